from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from ..forms import AppForm


class LoginForm(AppForm):
    username = StringField("用户名", validators=[InputRequired(message="请输入用户名。"), Length(max=50)])
    password = PasswordField("密码", validators=[InputRequired(message="请输入密码。"), Length(max=200)])


class ChangePasswordForm(AppForm):
    current = PasswordField("当前密码", validators=[InputRequired(message="请输入当前密码。")])
    new = PasswordField("新密码", validators=[InputRequired(message="请输入新密码。"), Length(min=8, max=200, message="新密码至少 8 位。")])
    confirm = PasswordField("再次输入新密码", validators=[InputRequired(message="请再次输入新密码。"), EqualTo("new", message="两次输入的新密码不一致。")])
