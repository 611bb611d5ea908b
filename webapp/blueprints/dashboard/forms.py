from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional, Regexp

from ...services.dashboard import AGE_BUCKETS, METRICS
from ..forms import AppForm


class RecordsForm(AppForm):
    """Which list behind a dashboard number (a GET: changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    metric = SelectField("列表", choices=[(m, m) for m in METRICS])
    month = StringField("月份", validators=[Optional(), Regexp(r"^\d{4}-\d{2}$", message="月份格式应如 2026-03。")])
    department = IntegerField("处室", validators=[Optional(), NumberRange(min=0, max=2**31 - 1, message="处室无效。")])
    timeliness = SelectField("按期情况", choices=[("", "全部"), ("on_time", "按期"), ("late", "逾期")],
                             validators=[Optional()])
    stage = StringField("状态", validators=[Optional(), Regexp(r"^[a-z_]{1,30}$", message="状态无效。")])
    age = SelectField("停留时间", choices=[("", "全部")] + [(b[0], b[1]) for b in AGE_BUCKETS], validators=[Optional()])
    due = SelectField("期限", choices=[("", "全部"), ("soon", "即将到期"), ("overdue", "已逾期")], validators=[Optional()])
    destination = IntegerField("送交单位", validators=[Optional(), NumberRange(min=1, max=2**31 - 1, message="送交单位无效。")])
    overdue = SelectField("超期", choices=[("", "全部"), ("1", "超期")], validators=[Optional()])
