from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length, Regexp


class CountersignForm(FlaskForm):
    # the <select> of departments sends an id; anything else gets this message, in Chinese
    department = StringField("会签处室", validators=[InputRequired(message="请选择会签处室。"),
                                                 Regexp(r"^[0-9]{1,18}$", message="请选择会签处室。")])

    @property
    def department_id(self) -> int:
        return int(self.department.data)


class PhraseForm(FlaskForm):
    text = StringField("常用意见", validators=[InputRequired(message="请填写常用意见。"),
                                            Length(max=200, message="常用意见不能超过 200 字。")])
