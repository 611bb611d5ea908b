"""Forms of the annual report's page (政府信息公开工作年度报告)."""

from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ... import annual_report as rules
from ..forms import AppForm, EmptyForm

HAND_CELLS = (*rules.T2_RULES, *rules.T2_HAND)


def field_name(cell: str) -> str:
    return cell.replace(".", "__")


def cell_of(name: str) -> str:
    return name.replace("__", ".")


class OpenForm(EmptyForm):
    """开始编写: a button."""


class _Versioned(AppForm):
    version = IntegerField(validators=[InputRequired(message="缺少版本号，请刷新页面。")])


class EntriesForm(_Versioned):
    """The hand entries (table 二's rows the records cannot know) and the adjustments (补录) of
    table 三 and 四, all in one form: the checks look at the whole report."""

    makes_rules = BooleanField("本机关制定规章（勾选后“规章”一行手工填报）")

    def values(self) -> dict[str, str]:
        return {cell_of(f.name): (f.data or "").strip() for f in self
                if f.name.startswith("t") and isinstance(f, StringField)}


for _cell in (*HAND_CELLS, *rules.ADJUSTABLE):
    setattr(EntriesForm, field_name(_cell),
            StringField(rules.cell_name(_cell), validators=[Length(max=20, message="不能超过 20 个字符。")]))


class TextForm(_Versioned):
    recipients = StringField("主送机关", validators=[Length(max=500, message="不能超过 500 字。")])
    overview_html = TextAreaField("一、总体情况")
    problems_html = TextAreaField("五、存在的主要问题及改进情况")
    other_html = TextAreaField("六、其他需要报告的事项")


class DraftForm(_Versioned):
    """生成公文草稿: the version of the report the office saw."""
