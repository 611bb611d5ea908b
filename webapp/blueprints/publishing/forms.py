import re

from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ...deid import KIND_LABELS, KINDS
from ..forms import AppForm


class DecisionForm(AppForm):
    decision = SelectField(choices=[("mask", "遮盖"), ("keep", "保留")], validators=[InputRequired()])
    keep_reason = TextAreaField("保留理由", validators=[Length(max=500)])


class ManualFindingForm(AppForm):
    field = HiddenField(default="*")
    text = StringField("要标记的原文", validators=[InputRequired(message="请先在左侧选中文字，或输入要标记的原文。"),
                                             Length(max=100, message="一次最多标记 100 个字。")])
    kind = SelectField("类别", choices=[(k, KIND_LABELS[k]) for k in KINDS], validators=[InputRequired()])


class ConfirmForm(AppForm):
    version = IntegerField(validators=[InputRequired(message="缺少版本号，请刷新页面。")])


class WithdrawForm(AppForm):
    version = IntegerField(validators=[InputRequired(message="缺少版本号，请刷新页面。")])
    reason = TextAreaField("撤回理由（内部记录，不在政府网站显示）",
                           validators=[InputRequired(message="请写明撤回理由。"),
                                       Length(max=2000, message="撤回理由不能超过 2000 字。")])


class CorrectForm(AppForm):
    version = IntegerField(validators=[InputRequired(message="缺少版本号，请刷新页面。")])
    note = TextAreaField("更正说明（内部记录，不在政府网站显示）",
                         validators=[InputRequired(message="请写明要更正的内容。"),
                                     Length(max=2000, message="更正说明不能超过 2000 字。")])


class AbstractForm(AppForm):
    """关键词 and 内容概述, changed by the office at review (services/abstract.py)."""

    version = IntegerField(validators=[InputRequired(message="缺少版本号，请刷新页面。")])
    keywords = StringField("关键词", validators=[Length(max=300, message="关键词过长。")])
    summary = TextAreaField("内容概述", validators=[Length(max=300, message="内容概述不能超过 100 字。")])


_SELECTED = re.compile(r"([0-9]{1,18}):([0-9]{1,9})")


def parse_selection(values: list[str]) -> list[tuple[int, int]] | None:
    """The checked rows of the 待发布 queue, each "document id:version"; None when one is malformed."""
    out = []
    for value in values:
        m = _SELECTED.fullmatch(value or "")
        if m is None:
            return None
        out.append((int(m.group(1)), int(m.group(2))))
    return out
