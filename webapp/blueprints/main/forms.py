from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from ...disclosure import DISCLOSURE_CHOICES
from ...fulltext import MAX_QUERY_CHARS
from ...services.search import DocumentSearch
from ...workflow import STAGES
from ..forms import AppForm

FIRST_YEAR, LAST_YEAR = 1900, 2999  # a search needs no other; year 1 in Beijing has no UTC instant


class DocumentSearchForm(AppForm):
    """The search page's box and filters (a GET: changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField("关键词", description="文号、标题或正文中的文字，多个词用空格分开",
                    validators=[Optional(), Length(max=MAX_QUERY_CHARS)])
    stage = SelectField("状态", choices=[("", "全部")] + [(s.value, i.label) for s, i in STAGES.items()],
                        validators=[Optional()])
    disclosure = SelectField("公开属性", choices=[("", "全部")] + DISCLOSURE_CHOICES, validators=[Optional()])
    department = SelectField("处室", coerce=str, validators=[Optional()])
    date_field = SelectField("日期", choices=[("updated", "更新日期"), ("printed", "印发日期")],
                             validators=[Optional()])
    date_from = DateField("从", validators=[Optional()])
    date_to = DateField("至", validators=[Optional()])

    def to_search(self) -> DocumentSearch:
        return DocumentSearch(
            text=self.q.data or "",
            stage=self.stage.data or None,
            disclosure=self.disclosure.data or None,
            department_id=int(self.department.data) if self.department.data else None,
            date_field=self.date_field.data or "updated",
            date_from=self.date_from.data,
            date_to=self.date_to.data,
        )

    def validate_date_from(self, field):
        if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
            raise ValidationError(f"日期须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间。")

    def validate_date_to(self, field):
        self.validate_date_from(field)
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("截止日期不能早于起始日期。")
