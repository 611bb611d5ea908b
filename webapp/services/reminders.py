"""Reminders before deadlines and on overdue (issue 12): the scan, the list, read/unread.

`scan` (run by `flask reminders scan`, every few minutes in `make run`) finds each deadline that
has come within its lead time or passed — publication (R7), an application's reply (R14), the
applicant's 补正 period, a normative document's validity (R11), the annual report (R12) — and
inserts one reminder per recipient and crossing (`reminders.crossing_key`).  The table's unique
key makes that idempotent: a second scan, a restarted one, or two at once on two machines, add
nothing.  With `send_email`, each new reminder for a user with an e-mail address gets an outbox
message (kind "email") in the same transaction; the outbox worker sends it once.

Recipients: publication — the publishers; an application and its 补正 — its handler (when none
is assigned yet, the office and the head of the disclosure office); validity — the document's
drafter and the office; the report — the office.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .. import clock, outbox
from ..applications_flow import AppStage
from ..disclosure import Disclosure
from ..extensions import db
from ..models import Application, Document, Reminder, User, UserRole, utcnow
from ..reminders import KINDS, OVERDUE, SOON, crossing_key, phase, words
from ..workdays import Calendar
from ..workflow import Role, Stage
from .dashboard import report_state
from .deadlines import catalogue_terms, publication_deadline
from .errors import NotFound
from .holidays import working_calendar
from .tx import transaction

LIST_LIMIT = 200
UNREAD_CAP = 100
NO_DUE = date(9999, 12, 31)
# Pre-filter: no lead time spans more calendar days than this (20 working days over the Spring
# Festival stays well inside it), so far-off deadlines are not even read.
HORIZON_DAYS = 60


@dataclass(frozen=True)
class Deadline:
    kind: str
    subject_id: int
    subject: str  # the words naming it
    due: date
    link: str
    recipients: tuple[int, ...]


@dataclass(frozen=True)
class ScanResult:
    created: int
    emailed: int
    deadlines: int  # deadlines within their lead time or overdue


# --------------------------------------------------------------------------- who

def _holders(*roles: Role) -> list[int]:
    return list(db.session.execute(
        select(User.id).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role.in_([r.value for r in roles]), User.is_active_account.is_(True))
        .distinct().order_by(User.id)).scalars())


# --------------------------------------------------------------------------- what is due

def _publication(today: date, calendar: Calendar) -> list[Deadline]:
    rows = db.session.execute(
        select(Document.id, Document.title, Document.doc_number, Document.print_date)
        .where(Document.stage.in_([Stage.DEID_REVIEW.value, Stage.READY.value]),
               Document.disclosure == Disclosure.PUBLIC.value, Document.print_date.is_not(None))).all()
    if not rows:
        return []
    terms = catalogue_terms([r.id for r in rows])
    publishers = tuple(_holders(Role.PUBLISHER))
    memo: dict[tuple, date] = {}
    out = []
    for r in rows:
        key = (r.print_date, terms.get(r.id))
        if key not in memo:
            memo[key] = publication_deadline(r.print_date, calendar, today, terms=terms.get(r.id)).due
        out.append(Deadline("publication", r.id, _doc_words(r.title, r.doc_number), memo[key],
                            f"/documents/{r.id}", publishers))
    return out


def _doc_words(title: str, number: str | None) -> str:
    return f"《{title}》" + (f"（{number}）" if number else "")


def _applications(today: date) -> list[Deadline]:
    horizon = today + timedelta(days=HORIZON_DAYS)
    fallback = tuple(_holders(Role.OFFICE, Role.DISCLOSURE_HEAD))
    out = []
    rows = db.session.execute(
        select(Application.id, Application.received_on, Application.due_on, Application.handler_id)
        .where(Application.stage.in_([AppStage.HANDLING.value, AppStage.REPLY_REVIEW.value]),
               Application.due_on.is_not(None), Application.due_on != NO_DUE, Application.due_on <= horizon)).all()
    for r in rows:
        out.append(Deadline("application", r.id, f"政府信息公开申请 依申〔{r.received_on.year}〕{r.id}号", r.due_on,
                            f"/applications/{r.id}", (r.handler_id,) if r.handler_id else fallback))
    rows = db.session.execute(
        select(Application.id, Application.received_on, Application.correction_until, Application.handler_id)
        .where(Application.stage == AppStage.CORRECTION.value, Application.correction_until.is_not(None),
               Application.correction_until <= horizon)).all()
    for r in rows:
        out.append(Deadline("correction", r.id, f"政府信息公开申请 依申〔{r.received_on.year}〕{r.id}号",
                            r.correction_until, f"/applications/{r.id}",
                            (r.handler_id,) if r.handler_id else fallback))
    return out


def _validity(today: date) -> list[Deadline]:
    rows = db.session.execute(
        select(Document.id, Document.title, Document.doc_number, Document.effective_to, Document.drafter_id)
        .where(Document.is_normative.is_(True), Document.validity == "valid", Document.effective_to.is_not(None),
               Document.effective_to <= today + timedelta(days=HORIZON_DAYS))).all()
    if not rows:
        return []
    office = _holders(Role.OFFICE)
    active = set(db.session.execute(select(User.id).where(User.is_active_account.is_(True))).scalars())
    return [Deadline("validity", r.id, _doc_words(r.title, r.doc_number), r.effective_to, f"/documents/{r.id}",
                     tuple(dict.fromkeys([*([r.drafter_id] if r.drafter_id in active else []), *office])))
            for r in rows]


def _report(today: date) -> list[Deadline]:
    from .dashboard import report_year

    year = report_year(today)
    words_, done, _ = report_state(year)
    if done:
        return []
    due = date(year + 1, 1, 31)
    return [Deadline("report", year, f"{year}年政府信息公开工作年度报告", due, "/dashboard",
                     tuple(_holders(Role.OFFICE)))]


def due_now(today: date | None = None, calendar: Calendar | None = None) -> list[tuple[Deadline, str, int]]:
    """Every deadline within its lead time or passed: (deadline, phase, working days left)."""
    today, calendar = today or clock.agency_today(), calendar or working_calendar()
    out = []
    for d in [*_publication(today, calendar), *_applications(today), *_validity(today), *_report(today)]:
        got = phase(d.due, today, KINDS[d.kind].lead_days, calendar)
        if got is None:
            continue
        which, left = got
        out.append((d, which, left))
    return out


# --------------------------------------------------------------------------- the scan

def _insert(rows: list[dict]) -> None:
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    stmt = (pg_insert(Reminder) if dialect == "postgresql" else sqlite_insert(Reminder)).on_conflict_do_nothing(
        index_elements=["user_id", "crossing"])
    db.session.execute(stmt, rows)


def scan(today: date | None = None, *, send_email: bool = False) -> ScanResult:
    """Create the reminders due now, once each (one transaction)."""
    today = today or clock.agency_today()
    found = due_now(today)
    wanted: dict[tuple[int, str], dict] = {}
    for d, which, left in found:
        key = crossing_key(d.kind, d.subject_id, d.due, which)
        title, message = words(d.kind, which, d.subject, d.due, left)
        for user_id in d.recipients:
            wanted[(user_id, key)] = dict(user_id=user_id, crossing=key, kind=d.kind, phase=which,
                                          subject_id=d.subject_id, due_on=d.due, title=title, message=message,
                                          link=d.link, created_at=utcnow())
    if not wanted:
        return ScanResult(0, 0, len(found))
    with transaction():
        keys = {k for _, k in wanted}
        have = {(u, c) for u, c in db.session.execute(select(Reminder.user_id, Reminder.crossing)
                                                      .where(Reminder.crossing.in_(keys)))}
        new = [row for k, row in wanted.items() if k not in have]
        _insert(new)  # ON CONFLICT DO NOTHING: a scan running at the same moment added it first
        emailed = 0
        if send_email and new:
            emailed = _email(new)
    return ScanResult(len(new), emailed, len(found))


def _email(rows: list[dict]) -> int:
    """An outbox e-mail for each reminder just inserted by this transaction whose recipient has an
    address.  A reminder that already carries one (the other scan's) is left alone."""
    addresses = dict(db.session.execute(
        select(User.id, User.email).where(User.id.in_({r["user_id"] for r in rows}), User.email != "")).all())
    sent = 0
    for r in rows:
        to = addresses.get(r["user_id"])
        if not to:
            continue
        reminder = db.session.execute(
            select(Reminder).where(Reminder.user_id == r["user_id"], Reminder.crossing == r["crossing"],
                                   Reminder.email_message_id.is_(None))).scalar_one_or_none()
        if reminder is None:
            continue
        msg = outbox.enqueue_email(to, f"【公开通提醒】{r['title']}"[:200],
                                   f"{r['message']}\n\n请登录公开通查看：{r['link']}\n（本邮件由系统自动发送，请勿回复。）",
                                   ref=f"reminder-{reminder.id}")
        reminder.email_message_id = msg.id
        sent += 1
    return sent


# --------------------------------------------------------------------------- the list

def list_for(user: User, unread_only: bool = False, limit: int = LIST_LIMIT) -> list[Reminder]:
    query = select(Reminder).where(Reminder.user_id == user.id)
    if unread_only:
        query = query.where(Reminder.read_at.is_(None))
    return list(db.session.execute(query.order_by(Reminder.id.desc()).limit(limit)).scalars())


def unread_count_query(user: User):
    """The SQL of the navigation's unread counter (capped), for the combined counter query."""
    inner = select(Reminder.id).where(Reminder.user_id == user.id, Reminder.read_at.is_(None)).limit(UNREAD_CAP)
    return select(func.count()).select_from(inner.subquery()).scalar_subquery()


def mark_read(user: User, reminder_id: int) -> Reminder:
    with transaction():
        reminder = db.session.get(Reminder, reminder_id) if 0 < reminder_id < 2**31 else None
        if reminder is None or reminder.user_id != user.id:  # another's reminder: as if it did not exist
            raise NotFound("提醒不存在。")
        if reminder.read_at is None:
            reminder.read_at = utcnow()
    return reminder


def mark_all_read(user: User) -> int:
    with transaction():
        result = db.session.execute(update(Reminder).where(Reminder.user_id == user.id, Reminder.read_at.is_(None))
                                    .values(read_at=utcnow()).execution_options(synchronize_session=False))
    return result.rowcount or 0


def kinds_in(reminders: Iterable[Reminder]) -> dict[str, str]:
    return {r.kind: KINDS[r.kind].label for r in reminders if r.kind in KINDS}


__all__ = ["OVERDUE", "SOON", "ScanResult", "due_now", "list_for", "mark_all_read", "mark_read", "scan"]
