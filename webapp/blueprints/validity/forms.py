from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ...validity import DECISION_CHOICES, MAX_REASON
from ..forms import VersionedForm


class ValidityDecisionForm(VersionedForm):
    """One clean-up decision (规范性文件清理) on one 行政规范性文件."""

    # the choice is checked by the pure rules, with their Chinese message
    decision = SelectField("清理结论", choices=[("", "请选择"), *DECISION_CHOICES], validate_choice=False)
    reason = TextAreaField("理由", validators=[InputRequired(message="请写明清理理由。"),
                                             Length(max=MAX_REASON, message=f"理由不能超过 {MAX_REASON} 字。")])
    decided_on = DateField("决定生效日期", validators=[InputRequired(message="请填写决定生效日期。")])
    new_effective_to = DateField("新的有效期截止日期（仅“继续有效”）", validators=[Optional()])
