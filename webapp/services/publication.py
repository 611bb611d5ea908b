"""Publication to the public portal (R7, R8, R5): publish, withdraw (撤回), republish.

Each is one move of the chain (workflow: ready → published → withdrawn → published) made by
`chain.move`, so the document's new stage, its audit event and — here — the outbox message
that carries it to the portal commit together or not at all.  Nothing goes out before the
publisher confirmed the de-identification (先审查、后发布): the message is built from the public
copy only (outbox.messages).  A policy and its 解读 travel in one message (三同步).

索引号 = 统一社会信用代码/年份-五位流水号, assigned at the first publication from a counter row
locked FOR UPDATE in the same transaction (unique and gap-free like the 发文字号: a failed
publication rolls the increment back).  Withdrawal and republication keep it, and the URL.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .. import clock, outbox
from ..disclosure import Disclosure
from ..extensions import db
from ..indexno import format_index_number
from ..models import Department, Document, IndexCounter, OutboxMessage, Publication, User, utcnow
from ..outbox import messages
from ..workdays import Calendar
from ..workflow import Action, Stage
from . import agency, audit, chain, files
from .deadlines import Deadline, catalogue_terms, late_from, publication_deadline
from .documents import get_document
from .errors import Invalid, NotFound, ServiceError
from .holidays import working_calendar
from .tx import transaction

MAX_SELECTION = 100
MAX_REASON = 2000


# --------------------------------------------------------------------------- moves

def next_index_serial(agency_code: str, year: int) -> int:
    """Take the next 索引号 serial for (agency, year) in the caller's transaction."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(IndexCounter).values(agency_code=agency_code, year=year, last_seq=0)
                       .on_conflict_do_nothing())
    counter = db.session.execute(
        select(IndexCounter).where(IndexCounter.agency_code == agency_code, IndexCounter.year == year)
        .with_for_update()).scalar_one()
    counter.last_seq += 1
    db.session.flush()
    return counter.last_seq


def publish_problems(doc: Document) -> list[str]:
    """Why this document cannot go to the portal now (besides the chain's own rules)."""
    problems = agency.problems_for_publishing()
    if doc.deid_confirmed_at is None or doc.public_body_html is None:
        problems.append("发布员尚未确认去标识化，没有公开版，不能发布（先审查、后发布）。")
    elif files.latest(doc.id, "public") is None:
        problems.append("公开版 Word 文件缺失，请重新确认去标识化。")
    if doc.needs_interpretation and doc.public_interpretation_html is None:
        problems.append("该文件须与解读材料同步发布（三同步），但解读材料没有公开版，不能单独发布。")
    return problems


def _push(doc: Document, actor: User, batch: str) -> dict:
    problems = publish_problems(doc)
    if problems:
        raise Invalid("文件未发布。", problems)
    settings = agency.settings()
    now = utcnow()
    pub = db.session.get(Publication, doc.id)
    first = pub is None
    if pub is None:
        year = clock.to_agency(now).year
        seq = next_index_serial(settings.uscc, year)
        pub = Publication(document_id=doc.id, index_no=format_index_number(settings.uscc, year, seq),
                          agency_code=settings.uscc, index_year=year, index_seq=seq, first_published_at=now,
                          message_version=0, public_url="", interpretation_url="", withdraw_reason="")
        if doc.print_date is not None:  # the dashboard's 按期发布率 (deadlines.fill_late_from for the rest)
            pub.late_from = late_from(doc.print_date, working_calendar(), catalogue_terms([doc.id]).get(doc.id))
        db.session.add(pub)
    pub.published_at, pub.published_by_id = now, actor.id
    pub.withdrawn_at, pub.withdrawn_by_id, pub.withdraw_reason = None, None, ""
    pub.message_version += 1
    try:
        message = messages.push_message(doc, pub, settings)
    except messages.PayloadError as exc:
        raise Invalid("文件未发布：公开内容不符合政府网站接口的要求。", exc.problems) from exc
    row = outbox.enqueue(doc, "push", pub.index_no, pub.message_version, message, actor, batch)
    return {"index_no": pub.index_no, "version": pub.message_version, "outbox": row.id, "first": first,
            "with_interpretation": message["interpretation"] is not None}


def publish(document_id: int, publisher: User, expected_version: int, batch: str = "") -> Document:
    """ready → published: the 索引号 (first time), the audit event and the push message, together."""
    return chain.move(document_id, publisher, Action.PUBLISH, expected_version,
                      apply=lambda doc: _push(doc, publisher, batch))


def republish(document_id: int, publisher: User, expected_version: int) -> Document:
    """withdrawn → published, with the same 索引号 (so the same public URL)."""
    return chain.move(document_id, publisher, Action.REPUBLISH, expected_version,
                      apply=lambda doc: _push(doc, publisher, ""))


def withdraw(document_id: int, publisher: User, expected_version: int, reason: str) -> Document:
    """published → withdrawn: the portal answers 410 with a public notice; `reason` stays internal."""
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise Invalid(f"撤回理由不能超过 {MAX_REASON} 字。")

    def apply(doc: Document) -> dict:
        pub = db.session.get(Publication, doc.id)
        if pub is None:  # a published document always has one; an old inconsistent row must not crash
            raise Invalid("该文件没有发布记录，无法撤回。")
        pub.withdrawn_at, pub.withdrawn_by_id, pub.withdraw_reason = utcnow(), publisher.id, reason
        pub.message_version += 1
        row = outbox.enqueue(doc, "withdraw", pub.index_no, pub.message_version, messages.withdraw_message(pub),
                             publisher)
        return {"index_no": pub.index_no, "version": pub.message_version, "outbox": row.id}

    return chain.move(document_id, publisher, Action.WITHDRAW, expected_version, reason, apply=apply)


@dataclass
class Selection:
    batch: str
    queued: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (document id, why)


def publish_selection(items: list[tuple[int, int]], publisher: User) -> Selection:
    """Publish each selected (document id, version) in its own transaction: one refusal (someone
    published it first, a missing public copy) does not hold back the others.  The messages
    queued share a batch id, whose page shows their progress."""
    if not items:
        raise Invalid("请先勾选要发布的文件。")
    if len(items) > MAX_SELECTION:
        raise Invalid(f"一次最多发布 {MAX_SELECTION} 件，请分批选择。")
    result = Selection(batch=secrets.token_hex(8))
    for doc_id, version in dict(items).items():
        try:
            publish(doc_id, publisher, version, result.batch)
        except ServiceError as exc:
            result.refused.append((doc_id, "".join([exc.message, *exc.problems])))
        else:
            result.queued.append(doc_id)
    return result


def retry(message_id: int, publisher: User) -> OutboxMessage:
    """Send a failed (or still retrying) message again at once."""
    with transaction():
        row = db.session.get(OutboxMessage, message_id)
        if row is None or row.document_id is None:  # the catalogue's messages (published again from its page), e-mails
            raise NotFound("推送记录不存在。")
        doc = get_document(row.document_id, publisher)
        if row.status not in (outbox.FAILED, outbox.PENDING):
            raise Invalid("该推送已完成，无需重试。")
        row.status, row.next_attempt_at = outbox.PENDING, utcnow()
        audit.record("push_retry", publisher, doc, from_stage=doc.stage, to_stage=doc.stage,
                     details={"outbox": row.id, "index_no": row.index_no, "version": row.version,
                              "previous_answer": row.last_answer[:500]})
    return row


# --------------------------------------------------------------------------- read side

def deadline_for(doc: Document, calendar: Calendar | None = None, today: date | None = None) -> Deadline | None:
    """R7's deadline for a 主动公开 document once it has its 印发日期; None otherwise."""
    if doc.disclosure != Disclosure.PUBLIC.value or doc.print_date is None:
        return None
    pub = db.session.get(Publication, doc.id)
    published_on = clock.to_agency(pub.first_published_at).date() if pub is not None else None
    return publication_deadline(doc.print_date, calendar or working_calendar(), today, published_on,
                                catalogue_terms([doc.id]).get(doc.id))


@dataclass(frozen=True)
class ReadyRow:
    id: int
    title: str
    doc_number: str | None
    department_name: str
    print_date: date
    needs_interpretation: bool
    topic_category: str
    version: int
    deadline: Deadline


def ready_queue(limit: int = 200) -> list[ReadyRow]:
    """待发布: every document waiting to be pushed, the nearest deadline first (the deadline grows
    with the 印发日期, so the order is the database's)."""
    rows = db.session.execute(
        select(Document.id, Document.title, Document.doc_number, Department.name, Document.print_date,
               Document.needs_interpretation, Document.topic_category, Document.version)
        .join(Department, Department.id == Document.department_id)
        .where(Document.stage == Stage.READY.value)
        .order_by(Document.print_date.asc(), Document.id.asc()).limit(limit)).all()
    cal, today = working_calendar(), clock.agency_today()
    terms = catalogue_terms([r.id for r in rows])
    return [ReadyRow(*r, deadline=publication_deadline(r.print_date or today, cal, today, terms=terms.get(r.id)))
            for r in rows]


def deadlines_of(items, calendar: Calendar | None = None) -> dict[int, Deadline]:
    """Deadlines for queue rows that carry id and print_date (the de-identification queue)."""
    cal, today = calendar or working_calendar(), clock.agency_today()
    items = [i for i in items if i.print_date]
    terms = catalogue_terms([i.id for i in items])
    return {i.id: publication_deadline(i.print_date, cal, today, terms=terms.get(i.id)) for i in items}


@dataclass(frozen=True)
class MessageRow:
    message: OutboxMessage
    title: str
    stage: str


def messages_needing_attention(limit: int = 50) -> list[MessageRow]:
    """Failed messages, and pending ones whose last attempt failed (retrying)."""
    rows = db.session.execute(
        select(OutboxMessage, Document.title, Document.stage).join(Document, OutboxMessage.document_id == Document.id)
        .where(or_(OutboxMessage.status == outbox.FAILED,
                   (OutboxMessage.status == outbox.PENDING) & (OutboxMessage.last_status.is_not(None))))
        .order_by(OutboxMessage.id.desc()).limit(limit)).all()
    return [MessageRow(*r) for r in rows]


def batch_messages(batch: str) -> list[MessageRow]:
    rows = db.session.execute(
        select(OutboxMessage, Document.title, Document.stage).join(Document, OutboxMessage.document_id == Document.id)
        .where(OutboxMessage.batch == batch).order_by(OutboxMessage.id)).all()
    if not rows:
        raise NotFound("没有这批发布记录。")
    return [MessageRow(*r) for r in rows]


@dataclass(frozen=True)
class PublishedRow:
    document: Document
    publication: Publication
    deadline: Deadline | None
    last_message: OutboxMessage | None


def published_documents(limit: int = 100) -> list[PublishedRow]:
    pairs = db.session.execute(
        select(Document, Publication).join(Publication, Publication.document_id == Document.id)
        .order_by(Publication.published_at.desc()).limit(limit)).all()
    cal = working_calendar()
    last = _last_messages([d.id for d, _ in pairs])
    return [PublishedRow(d, p, deadline_for(d, cal), last.get(d.id)) for d, p in pairs]


def _last_messages(document_ids: list[int]) -> dict[int, OutboxMessage]:
    if not document_ids:
        return {}
    rows = db.session.execute(select(OutboxMessage).where(OutboxMessage.document_id.in_(document_ids))
                              .order_by(OutboxMessage.id)).scalars()
    return {m.document_id: m for m in rows}


@dataclass(frozen=True)
class DocumentPublication:
    """What the document page shows about publication: deadline, 索引号, URL, the messages."""

    deadline: Deadline | None
    publication: Publication | None
    messages: list[OutboxMessage]


def for_document(doc: Document) -> DocumentPublication:
    pub = db.session.get(Publication, doc.id)
    msgs = list(db.session.execute(select(OutboxMessage).where(OutboxMessage.document_id == doc.id)
                                   .order_by(OutboxMessage.id.desc()).limit(10)).scalars())
    return DocumentPublication(deadline_for(doc), pub, msgs)
