from wtforms import StringField
from wtforms.validators import InputRequired, Length, ValidationError

from ...textinput import parse_id
from ..forms import AppForm


class CountersignForm(AppForm):
    # the <select> of departments sends an id; anything else gets this message, in Chinese
    department = StringField("会签处室", validators=[InputRequired(message="请选择会签处室。")])

    def validate_department(self, field) -> None:
        if parse_id(field.data) is None:  # ASCII digits within the column's range only
            raise ValidationError("请选择会签处室。")

    @property
    def department_id(self) -> int:
        return int(self.department.data)


class PhraseForm(AppForm):
    text = StringField("常用意见", validators=[InputRequired(message="请填写常用意见。"),
                                            Length(max=200, message="常用意见不能超过 200 字。")])
