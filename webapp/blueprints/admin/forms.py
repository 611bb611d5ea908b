from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ...workflow import ROLE_LABELS


class RolesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


ROLE_CHOICES = [(r.value, label) for r, label in ROLE_LABELS.items()]


class UserForm(FlaskForm):
    display_name = StringField("姓名", validators=[InputRequired(message="请填写姓名。"), Length(max=50)])
    department = SelectField("处室", coerce=str, validators=[Optional()])
    roles = RolesField("角色", choices=ROLE_CHOICES)
    active = BooleanField("账号启用", default=True)


class NewUserForm(UserForm):
    username = StringField("用户名", validators=[InputRequired(message="请填写用户名。"), Length(max=50),
                           Regexp(r"^[A-Za-z0-9_.]+$", message="用户名只能由字母、数字、下划线和点组成。")])


class DepartmentForm(FlaskForm):
    name = StringField("处室名称", validators=[InputRequired(message="请填写处室名称。"), Length(max=100)])
    requires_dept_check = BooleanField("本处室文件须经处室负责人核稿后送出")


class IssuingCodeForm(FlaskForm):
    code = StringField("机关代字", validators=[InputRequired(message="请填写机关代字。"), Length(max=30)])
    issuer_mark = StringField("发文机关标志", validators=[InputRequired(message="请填写发文机关标志。"), Length(max=60)])
    signer = StringField("发文机关署名", validators=[InputRequired(message="请填写署名。"), Length(max=60)])
    printing_office = StringField("印发机关", validators=[InputRequired(message="请填写印发机关。"), Length(max=60)])
    active = BooleanField("启用", default=True)
