"""Jinja filters: dates as 2024年3月5日, local time, stage and attribute labels."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from markupsafe import Markup

from . import clock
from .disclosure import Disclosure
from .models import utcnow
from .workflow import ACTION_LABELS, FORM_ACTIONS, STAGES, Action, Stage, may_propose


EVENT_LABELS = {
    **{a.value: label for a, label in ACTION_LABELS.items()},
    "create": "创建草稿",
    "edit": "修改",
    "accept_proposal": "接受建议的公开属性",
    "import_docx": "导入 Word 草稿",
    "deid_scan": "检查个人信息",
    "deid_decide": "确认一处个人信息",
    "deid_add": "手工标记个人信息",
}


local = clock.to_agency


def cn_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value)
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    v = local(value)
    return f"{v.year}年{v.month}月{v.day}日 {v.hour:02d}:{v.minute:02d}"


def waiting_days(value: datetime | None) -> int:
    if value is None:
        return 0
    return max(0, (utcnow() - value).days)


def stage_badge(stage: str) -> Markup:
    info = STAGES[Stage(stage)]
    return Markup('<span class="badge badge-{}">{}</span>').format(info.tone, info.label)


def disclosure_label(value: str | None) -> str:
    return Disclosure(value).label if value else "未设置"


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        cn_date=cn_date,
        cn_datetime=cn_datetime,
        waiting_days=waiting_days,
        stage_badge=stage_badge,
        disclosure_label=disclosure_label,
        event_label=lambda a: EVENT_LABELS.get(a, a),
        stage_label=lambda s: STAGES[Stage(s)].label if s else "",
    )
    app.jinja_env.globals.update(Stage=Stage, Action=Action, STAGES=STAGES, Disclosure=Disclosure, utcnow=utcnow,
                                  FORM_ACTIONS=list(FORM_ACTIONS), may_propose=may_propose)
