"""The transactional outbox to the public portal (DESIGN.md §4).

- `enqueue` writes a message in the caller's transaction — the same one that moves the
  document and writes its audit event — so a message exists exactly when the move happened.
- `worker` (`flask outbox run`) sends due messages over HTTP with gkt_protocol's signed
  client, retrying with exponential backoff; on PostgreSQL several workers share the work
  (`FOR UPDATE SKIP LOCKED`), each message claimed by one of them at a time.
- `messages` builds the push and withdraw messages from a document's public copy only.

Messages about one document are sent in the order they were written: a message waits while
an earlier one for the same document is still pending.  The portal is idempotent by 索引号 and
version, so a message repeated after a worker died mid-send changes nothing there.
"""

from __future__ import annotations

import json

from ..extensions import db
from ..models import Document, OutboxMessage, User, utcnow

PENDING, SENT, FAILED, SUPERSEDED = "pending", "sent", "failed", "superseded"
APP_STATUS = "app_status"  # an online application's status (and reply) for the applicant's 查询码 page
KINDS = ("push", "withdraw", "catalogue", APP_STATUS)  # catalogue: the 标准目录 (issue 15), about no document
STATUS_LABELS = {PENDING: "等待推送", SENT: "已推送", FAILED: "推送失败", SUPERSEDED: "已被新版本取代"}


def encode(message: dict) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def enqueue(document: Document | None, kind: str, index_no: str, version: int, message: dict, by: User | None,
            batch: str = "") -> OutboxMessage:
    """Add a message in the caller's transaction (never commits).  `document` is None only for
    the standard catalogue (kind "catalogue", issue 15)."""
    assert kind in KINDS, kind
    assert (document is None) == (kind == "catalogue"), kind
    row = OutboxMessage(document_id=document.id if document is not None else None, kind=kind, index_no=index_no, version=version, body=encode(message),
                        status=PENDING, batch=batch, attempts=0, next_attempt_at=utcnow(),
                        created_by_id=by.id if by is not None else None, last_answer="")
    db.session.add(row)
    db.session.flush()
    return row


def enqueue_application_status(application_id: int, public_id: str, version: int, message: dict,
                               by: User | None) -> OutboxMessage:
    """An online application's status message, in the caller's transaction (never commits).
    `index_no` carries the portal's public id of the application."""
    row = OutboxMessage(document_id=None, application_id=application_id, kind=APP_STATUS, index_no=public_id[:40],
                        version=version, body=encode(message), status=PENDING, batch="", attempts=0,
                        next_attempt_at=utcnow(), created_by_id=by.id if by is not None else None, last_answer="")
    db.session.add(row)
    db.session.flush()
    return row
