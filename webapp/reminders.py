"""Reminders before a deadline and on overdue (issue 12), as data.

Pure Python: no Flask, no SQL.  Each kind of deadline has its lead time in working days (a
reminder comes when the deadline is that near) and its words.  A deadline is *crossed* twice at
most: once when it comes within the lead time ("soon"), once when it has passed ("overdue").
Each crossing has a key — kind, subject, due day and phase — and the database keeps one reminder
per recipient and key, so a scan run twice, or after a restart, or on two machines at once,
never reminds twice.  A deadline that moves (an extension, a new 补正 period) is a new deadline
with new crossings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .workdays import Calendar, working_days_left

SOON, OVERDUE = "soon", "overdue"
PHASE_LABELS = {SOON: "即将到期", OVERDUE: "已逾期"}


@dataclass(frozen=True)
class ReminderKind:
    code: str
    label: str  # what the list says the deadline is
    lead_days: int  # working days before the deadline that the "soon" reminder comes
    soon: str  # "{subject}" and "{due}" and "{left}" are filled in
    overdue: str


KINDS: dict[str, ReminderKind] = {k.code: k for k in (
    ReminderKind("publication", "主动公开发布期限", 3,
                 "{subject} 应于 {due} 前在政府网站发布（印发之日起 20 个工作日），还剩 {left} 个工作日。",
                 "{subject} 的发布期限 {due} 已过，已逾期 {late} 个工作日，请尽快发布。"),
    ReminderKind("application", "依申请公开答复期限", 3,
                 "{subject} 应于 {due} 前答复，还剩 {left} 个工作日。",
                 "{subject} 的答复期限 {due} 已过，已逾期 {late} 个工作日。"),
    ReminderKind("correction", "申请人补正期限", 2,
                 "{subject} 的补正期限 {due} 将至，还剩 {left} 个工作日。",
                 "{subject} 的补正期限 {due} 已过，申请人未补正的，可按视为放弃处理（条例第三十条）。"),
    ReminderKind("validity", "规范性文件有效期", 20,
                 "行政规范性文件 {subject} 的有效期至 {due}，还剩 {left} 个工作日，请及时评估是否继续有效、修订或废止。",
                 "行政规范性文件 {subject} 的有效期已于 {due} 届满，请作出清理决定。"),
    ReminderKind("report", "政府信息公开工作年度报告", 10,
                 "{subject} 应于 {due} 前发布，还剩 {left} 个工作日。",
                 "{subject} 应于 {due} 前发布，已逾期 {late} 个工作日。"),
)}


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def phase(due: date, today: date, lead_days: int, calendar: Calendar) -> tuple[str, int] | None:
    """(phase, working days left) when the deadline has come within `lead_days` or passed; else None."""
    left = working_days_left(due, today, calendar)
    if left < 0:
        return OVERDUE, left
    if left <= lead_days:
        return SOON, left
    return None


def crossing_key(kind: str, subject_id: int, due: date, which: str) -> str:
    """The one key of a deadline crossing: unique per recipient in the reminders table."""
    return f"{kind}:{subject_id}:{due.isoformat()}:{which}"


def words(kind: str, which: str, subject: str, due: date, left: int) -> tuple[str, str]:
    """(title, message) of a reminder."""
    k = KINDS[kind]
    template = k.soon if which == SOON else k.overdue
    message = template.format(subject=subject, due=cn_date(due), left=max(left, 0), late=max(-left, 0))
    return f"{k.label}{PHASE_LABELS[which]}：{subject}"[:300], message
