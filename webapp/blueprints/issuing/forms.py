from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..forms import AppForm


class IssueForm(AppForm):
    issuing_code = SelectField("机关代字", coerce=int, validators=[InputRequired(message="请选择机关代字。")])
    written_date = DateField("成文日期", validators=[InputRequired(message="请填写成文日期。")])
    print_date = DateField("印发日期", validators=[InputRequired(message="请填写印发日期。")])
    cc = StringField("抄送机关（可选）", validators=[Length(max=500)])
    copies = IntegerField("印发份数（可选）", validators=[Optional(), NumberRange(min=1, max=100000,
                                                                            message="印发份数应在 1 至 100000 之间。")])
    version = IntegerField(validators=[InputRequired(message="缺少版本号，请刷新页面。")])
