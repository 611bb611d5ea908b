from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ...workflow import ROLE_LABELS
from ..forms import AppForm


class RolesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


ROLE_CHOICES = [(r.value, label) for r, label in ROLE_LABELS.items()]


class UserForm(AppForm):
    display_name = StringField("姓名", validators=[InputRequired(message="请填写姓名。"), Length(max=50)])
    department = SelectField("处室", coerce=str, validators=[Optional()])
    roles = RolesField("角色", choices=ROLE_CHOICES)
    active = BooleanField("账号启用", default=True)


class NewUserForm(UserForm):
    username = StringField("用户名", validators=[InputRequired(message="请填写用户名。"), Length(max=50),
                           Regexp(r"^[A-Za-z0-9_.]+$", message="用户名只能由字母、数字、下划线和点组成。")])


class DepartmentForm(AppForm):
    name = StringField("处室名称", validators=[InputRequired(message="请填写处室名称。"), Length(max=100)])
    requires_dept_check = BooleanField("本处室文件须经处室负责人核稿后送出")


class IssuingCodeForm(AppForm):
    code = StringField("机关代字", validators=[InputRequired(message="请填写机关代字。"), Length(max=30)])
    issuer_mark = StringField("发文机关标志", validators=[InputRequired(message="请填写发文机关标志。"), Length(max=60)])
    signer = StringField("发文机关署名", validators=[InputRequired(message="请填写署名。"), Length(max=60)])
    printing_office = StringField("印发机关", validators=[InputRequired(message="请填写印发机关。"), Length(max=60)])
    active = BooleanField("启用", default=True)


class _CnDateField(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("日期格式不正确，应如 2027-01-01。") from None


class _CnIntegerField(IntegerField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("请填写四位数字的年份。") from None


class AgencyForm(AppForm):
    uscc = StringField("统一社会信用代码", validators=[InputRequired(message="请填写统一社会信用代码。"), Length(max=18, min=18, message="统一社会信用代码应为18位。")])
    publisher_name = StringField("发布机构名称", validators=[InputRequired(message="请填写发布机构名称。"), Length(max=100, message="发布机构名称不能超过 100 字。")])


class HolidayOverrideForm(AppForm):
    day = _CnDateField("日期", validators=[InputRequired(message="请填写日期，格式如 2027-01-01。")])
    working = SelectField("这一天", choices=[("0", "休息（不计工作日）"), ("1", "上班（计为工作日）")],
                          validators=[InputRequired()])
    note = StringField("说明", validators=[InputRequired(message="请写明说明（如：元旦、春节调休上班）。"), Length(max=100, message="说明不能超过 100 字。")])


class HolidayYearForm(AppForm):
    year = _CnIntegerField("年份", validators=[InputRequired(message="请填写年份。"), NumberRange(2000, 2100, message="年份须在 2000 至 2100 之间。")])
    confirmed = HiddenField(default="1")
