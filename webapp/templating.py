"""Jinja filters: dates as 2024年3月5日, local time, stage and attribute labels."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from markupsafe import Markup

from . import clock, events, taxonomy
from .disclosure import Disclosure
from .models import utcnow
from .urgency import urgency_label
from .workflow import FORM_ACTIONS, MOVES, STAGES, Action, Stage, may_propose, move_label

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


def event_label(event) -> str:
    """An audit event's Chinese word (events.py); a move's word for the stage it was made in."""
    return events.label(event.action, event.from_stage)


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        cn_date=cn_date,
        cn_datetime=cn_datetime,
        waiting_days=waiting_days,
        stage_badge=stage_badge,
        disclosure_label=disclosure_label,
        event_label=event_label,
        stage_label=lambda s: STAGES[Stage(s)].label if s else "",
        topic_label=lambda v: taxonomy.label(v or "") or (v or ""),
        urgency_label=urgency_label,
    )
    app.jinja_env.globals.update(Stage=Stage, Action=Action, STAGES=STAGES, Disclosure=Disclosure, utcnow=utcnow,
                                  FORM_ACTIONS=list(FORM_ACTIONS), may_propose=may_propose,
                                  move_label=move_label, MOVES=MOVES)
