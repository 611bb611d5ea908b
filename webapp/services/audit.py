"""The append-only, hash-chained audit log (R13: 谁公开、谁审查、谁负责).

Each event's hash covers its own fields and the previous event's hash, so any
edit, deletion or reordering breaks the chain at that point; `verify_chain`
names the first broken link.  Appenders lock the single `audit_head` row, so
concurrent transactions extend the chain one after another.  Only the kinds listed
in `webapp/events.py` are accepted: every entry has a Chinese label to be shown by.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import select

from ..events import event_type
from ..extensions import db
from ..models import AuditEvent, AuditHead, Document, User, utcnow

GENESIS = "0" * 64


def _canonical(ev: AuditEvent) -> str:
    created = ev.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return json.dumps(
        [ev.seq, ev.document_id, ev.actor_id, ev.actor_name, ev.action, ev.from_stage,
         ev.to_stage, ev.comment, ev.details_json, created],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def compute_hash(prev_hash: str, ev: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + _canonical(ev)).encode("utf-8")).hexdigest()


def ensure_head() -> None:
    """Create the chain's head row if the database has none (migrations insert it)."""
    if db.session.get(AuditHead, 1) is None:
        db.session.add(AuditHead(id=1, seq=0, last_hash=GENESIS))
        db.session.flush()


def record(
    action: str,
    actor: User | None,
    document: Document | None = None,
    *,
    from_stage: str | None = None,
    to_stage: str | None = None,
    comment: str = "",
    details: dict | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction.

    Raises events.UnknownEventKind, writing nothing, for a kind not in events.EVENT_TYPES."""
    event_type(action)
    head = db.session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        ensure_head()
        head = db.session.get(AuditHead, 1)
    now = utcnow()  # microsecond precision, as both SQLite and PostgreSQL store it
    ev = AuditEvent(
        seq=head.seq + 1,
        document_id=document.id if document is not None else None,
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.display_name if actor is not None else "系统",
        action=action,
        from_stage=from_stage,
        to_stage=to_stage,
        comment=comment,
        details_json=json.dumps(details or {}, ensure_ascii=False, sort_keys=True),
        created_at=now,
        prev_hash=head.last_hash,
    )
    ev.hash = compute_hash(head.last_hash, ev)
    head.seq = ev.seq
    head.last_hash = ev.hash
    db.session.add(ev)
    db.session.flush()
    return ev


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    first_broken_seq: int | None = None
    problem: str = ""


def verify_chain(batch: int = 5000) -> ChainReport:
    """Walk the whole log in order and report the first broken link, if any."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    while True:
        rows = db.session.execute(
            select(AuditEvent).where(AuditEvent.seq >= expected_seq).order_by(AuditEvent.seq).limit(batch)
        ).scalars().all()
        if not rows:
            break
        for ev in rows:
            if ev.seq != expected_seq:
                return ChainReport(False, count, expected_seq, f"缺少第 {expected_seq} 条记录（记录被删除）")
            if ev.prev_hash != prev:
                return ChainReport(False, count, ev.seq, f"第 {ev.seq} 条记录的前序哈希与上一条不符")
            if compute_hash(prev, ev) != ev.hash:
                return ChainReport(False, count, ev.seq, f"第 {ev.seq} 条记录的内容与其哈希不符（记录被修改）")
            prev = ev.hash
            expected_seq += 1
            count += 1
        db.session.expire_all()
    head = db.session.get(AuditHead, 1)
    if head is not None and (head.seq != count or head.last_hash != prev):
        return ChainReport(False, count, count + 1, "日志末尾的记录缺失（与链头不符）")
    return ChainReport(True, count)


def document_timeline(document_id: int) -> list[AuditEvent]:
    return list(
        db.session.execute(
            select(AuditEvent).where(AuditEvent.document_id == document_id).order_by(AuditEvent.seq)
        ).scalars()
    )

