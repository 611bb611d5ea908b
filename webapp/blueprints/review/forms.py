from wtforms import BooleanField, HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...disclosure import DISCLOSURE_CHOICES
from ...workflow import FORM_ACTIONS, Action
from ..forms import AppForm

DECISIONS = [(a.value, a.label) for a in Action if a not in FORM_ACTIONS]


class DecisionForm(AppForm):
    action = SelectField("处理", choices=DECISIONS, validators=[InputRequired(message="请选择处理方式。")])
    version = IntegerField(validators=[InputRequired(message="缺少版本号，请刷新页面。")])
    comment = TextAreaField("意见", validators=[Length(max=2000, message="意见不能超过 2000 字。")])
    proposed_disclosure = SelectField("建议改为（可选）", choices=[("", "不建议调整")] + DISCLOSURE_CHOICES,
                                      validators=[Optional()])
    proposal_reason = TextAreaField("建议理由", validators=[Length(max=2000)])
    context = HiddenField(default="document")
    save_phrase = BooleanField("将此意见存为常用意见")


class QueueFilterForm(AppForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    department = SelectField("处室", coerce=str, validators=[Optional()])
    disclosure = SelectField("公开属性", choices=[("", "全部")] + DISCLOSURE_CHOICES, validators=[Optional()])
    waiting = IntegerField("等待超过（天）", validators=[Optional(), NumberRange(min=1, max=3650)])
    order = SelectField("排序", choices=[("oldest", "等待最久在前"), ("newest", "最新提交在前"),
                                         ("urgent", "紧急程度优先")], validators=[Optional()])
