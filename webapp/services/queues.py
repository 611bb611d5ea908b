"""Read side: reviewer queues (keyset-paged), drafter lists and the navigation counters."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select, tuple_

from ..extensions import db
from ..models import AuditEvent, Countersign, Department, Document, User, utcnow
from ..policy import visible_documents
from ..textinput import parse_id
from ..workflow import STAGES, Role, Stage, queue_stages_for, work_queue_stages_for
from .errors import ServiceError


class BadCursor(ServiceError):
    """A paging position that this code did not write (edited, truncated, forged)."""

    status = 400

    def __init__(self) -> None:
        super().__init__("翻页位置无效（网址可能被截断或修改过），请回到列表第一页重新查看。")


@dataclass(frozen=True)
class QueueFilter:
    department_id: int | None = None
    disclosure: str | None = None
    waiting_days: int | None = None
    newest_first: bool = False
    urgent_first: bool = False  # 特急, then 加急, then the rest; oldest waiting first within each


# Counts stop at these caps ("99+", "1000+"): a number past them tells a person
# nothing more, and the count then costs the same at any database size.
NAV_COUNT_CAP = 100
QUEUE_TOTAL_CAP = 100


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One row of a work queue: just what the row shows (a queue never loads bodies)."""

    id: int
    title: str
    stage: str
    disclosure: str | None
    department_name: str
    drafter_name: str
    submitted_at: datetime | None
    stage_entered_at: datetime
    version: int
    may_involve_secrets: bool
    needs_interpretation: bool
    doc_number: str | None
    print_date: date | None
    approved_at: datetime | None
    urgency: int = 0


_ITEM_COLUMNS = (
    Document.id, Document.title, Document.stage, Document.disclosure, Department.name, User.display_name,
    Document.submitted_at, Document.stage_entered_at, Document.version, Document.may_involve_secrets,
    Document.needs_interpretation, Document.doc_number, Document.print_date, Document.approved_at,
    Document.urgency,
)


@dataclass
class Page:
    items: list[QueueItem]
    next_cursor: str | None
    total: int

    @property
    def total_label(self) -> str:
        return f"{QUEUE_TOTAL_CAP}+" if self.total >= QUEUE_TOTAL_CAP else str(self.total)


def capped_count(*conditions, cap: int) -> int:
    inner = select(Document.id).where(*conditions).limit(cap).subquery()
    return db.session.execute(select(func.count()).select_from(inner)).scalar_one()


def _encode_cursor(doc: QueueItem, urgent_first: bool = False) -> str:
    raw = f"{doc.stage_entered_at.isoformat()}|{doc.id}"
    if urgent_first:
        raw = f"{doc.urgency}|{raw}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode_cursor(cursor: str | None, urgent_first: bool = False) -> tuple | None:
    """The (time, id) a next-page link carries — (urgency, time, id) for the urgent-first
    order; BadCursor for anything else, so an edited link gets a message rather than a
    query the database refuses."""
    if not cursor:
        return None
    try:
        if len(cursor) > 100:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
        urgency = None
        if urgent_first:
            urgency, stamp, ident = raw.split("|")
            if urgency not in {"0", "1", "2"}:
                raise ValueError("not an urgency")
        else:
            stamp, ident = raw.split("|")
        when = datetime.fromisoformat(stamp)
        when = (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, UnicodeError, OverflowError) as exc:  # binascii.Error is a ValueError
        raise BadCursor() from exc
    number = parse_id(ident)
    if number is None:
        raise BadCursor()
    return (when, number) if urgency is None else (int(urgency), when, number)


def scope_conditions(stage: Stage, user: User) -> list:
    """Who of the stage's role sees a document in its queue (workflow.StageInfo.scope):
    核稿 only the drafting department's head; 会签 only a listed department's head whose
    department has not agreed since the last submission."""
    scope = STAGES[stage].scope
    if scope == "own_department":
        return [Document.department_id == user.department_id]
    if scope == "countersign":  # rows still waiting: cleared at each submission (ix_countersigns_pending)
        return [exists().where(
            Countersign.document_id == Document.id, Countersign.department_id == user.department_id,
            Countersign.agreed_at.is_(None))]
    return []


def _queue_conditions(stage: Stage, user: User, flt: QueueFilter) -> list:
    conds = [Document.stage == stage.value, Document.drafter_id != user.id, *scope_conditions(stage, user)]
    if flt.department_id:
        conds.append(Document.department_id == flt.department_id)
    if flt.disclosure:
        conds.append(Document.disclosure == flt.disclosure)
    if flt.waiting_days:
        conds.append(Document.stage_entered_at <= utcnow() - timedelta(days=flt.waiting_days))
    return conds


def review_queue(stage: Stage, user: User, flt: QueueFilter, cursor: str | None, size: int,
                 unfiltered_total: int | None = None) -> Page:
    """Documents waiting at `stage` for this user; oldest waiting first unless asked.
    `unfiltered_total` (the navigation counter) spares a count when no filter is set."""
    conds = _queue_conditions(stage, user, flt)
    after = _decode_cursor(cursor, flt.urgent_first)
    if flt.urgent_first:  # most urgent first, then oldest waiting (index ix_documents_queue_urgent)
        if after is not None:
            urgency, stamp, ident = after
            conds.append(or_(Document.urgency < urgency, and_(
                Document.urgency == urgency, tuple_(Document.stage_entered_at, Document.id) > (stamp, ident))))
        order = (Document.urgency.desc(), Document.stage_entered_at.asc(), Document.id.asc())
    else:
        key = tuple_(Document.stage_entered_at, Document.id)
        if after is not None:
            conds.append(key < after if flt.newest_first else key > after)
        order = (
            (Document.stage_entered_at.desc(), Document.id.desc())
            if flt.newest_first
            else (Document.stage_entered_at.asc(), Document.id.asc())
        )
    rows = db.session.execute(
        select(*_ITEM_COLUMNS)
        .join(Department, Department.id == Document.department_id)
        .join(User, User.id == Document.drafter_id)
        .where(and_(*conds)).order_by(*order).limit(size + 1)
    ).all()
    more = len(rows) > size
    items = [QueueItem(*row) for row in rows[:size]]
    if unfiltered_total is not None and flt == QueueFilter(newest_first=flt.newest_first,
                                                           urgent_first=flt.urgent_first):
        total = unfiltered_total
    else:
        total = capped_count(*_queue_conditions(stage, user, flt), cap=QUEUE_TOTAL_CAP)
    return Page(items, _encode_cursor(items[-1], flt.urgent_first) if more and items else None, total)


def counter_queries(user: User) -> dict[str, object]:
    """The navigation's chain counters as capped scalar subqueries, one per queue the user works
    from (run by `counters`, or inside the navigation's single query, `todo.navigation`)."""
    wanted: dict[str, list] = {}
    for stage in [*queue_stages_for(user.roles), *work_queue_stages_for(user.roles)]:
        wanted[stage.value] = [Document.stage == stage.value, Document.drafter_id != user.id,
                               *scope_conditions(stage, user)]
    if Role.DRAFTER in user.roles:
        for stage in (Stage.RETURNED, Stage.DRAFT):
            wanted[stage.value] = [Document.drafter_id == user.id, Document.stage == stage.value]
    return {
        key: select(func.count()).select_from(select(Document.id).where(*conds).limit(NAV_COUNT_CAP).subquery())
        .scalar_subquery()
        for key, conds in wanted.items()
    }


def counters(user: User) -> dict[str, int]:
    """Live counts for the navigation: one per queue the user works from, in one query."""
    wanted = counter_queries(user)
    if not wanted:
        return {}
    row = db.session.execute(select(*(q.label(k) for k, q in wanted.items()))).one()
    return dict(zip(wanted, row, strict=True))


def my_documents(user: User, stages: list[Stage] | None = None, limit: int = 200) -> list[Document]:
    query = select(Document).where(Document.drafter_id == user.id)
    if stages:
        query = query.where(Document.stage.in_([s.value for s in stages]))
    return list(db.session.execute(query.order_by(Document.updated_at.desc()).limit(limit)).scalars())


def department_documents(user: User, limit: int = 200) -> list[Document]:
    """The user's department's documents they may see (not others' drafts)."""
    if user.department_id is None:
        return []
    query = (
        select(Document)
        .where(Document.department_id == user.department_id, visible_documents(user))
        .order_by(Document.updated_at.desc())
        .limit(limit)
    )
    return list(db.session.execute(query).scalars())


def departments() -> list[Department]:
    return list(db.session.execute(select(Department).order_by(Department.name)).scalars())


def latest_returns(document_ids: list[int]) -> dict[int, AuditEvent]:
    """The most recent 退文 event of each document, for the drafter's view."""
    if not document_ids:
        return {}
    rows = db.session.execute(
        select(AuditEvent)
        .where(AuditEvent.document_id.in_(document_ids), AuditEvent.action == "return")
        .order_by(AuditEvent.seq)
    ).scalars()
    return {ev.document_id: ev for ev in rows}
