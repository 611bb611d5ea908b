"""`flask outbox run`: send due outbox messages to the portal, with retries.

One pass (`run_once`) works in claimed batches:
1. claim up to `batch` due messages in a short transaction — on PostgreSQL with
   `SELECT … FOR UPDATE SKIP LOCKED`, so concurrent workers take different rows; on SQLite with
   one conditional UPDATE, which takes the write lock first;
2. send them with no transaction open, over kept-alive HTTP connections (gkt_protocol.client.
   Sender), `Settings.concurrency` at a time.  A batch never holds two messages of one document:
   a message is not due while an earlier one of its document is pending (claimed rows stay
   pending until their answer is recorded), so the order per 索引号 holds however they are sent;
3. record all the answers in ONE transaction (each message still gets its own audit event, in
   message order), so the audit chain's head is locked once per batch, not once per message.
A claim is a lease: a worker that dies mid-send leaves its rows to be claimed again when the
lease ends (the portal's idempotence makes that harmless); an answer is recorded only while
this worker still holds the row's lease.

Answers: 2xx — sent (the public URL is kept); 409 stale version — superseded by a newer
message; 404 on a withdrawal — nothing to withdraw; network errors, 5xx, 408, 429 — retried
after 2, 4, 8 … seconds (capped, with jitter); any other 4xx — failed, shown to the publisher
with the portal's answer and a retry button.
"""

from __future__ import annotations

import json
import logging
import os
import random
import secrets
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import aliased, load_only

from gkt_protocol import client

from .. import clock
from ..extensions import db
from ..models import Document, OutboxMessage, Publication
from ..services import audit
from ..services.dashboard import compact_rollup
from . import APP_STATUS, FAILED, PENDING, SENT, SUPERSEDED, application_status, mail

log = logging.getLogger(__name__)

DEFAULT_BATCH = 10
DEFAULT_CONCURRENCY = 4


@dataclass(frozen=True)
class Settings:
    portal_url: str
    secret: str
    timeout: float = client.DEFAULT_TIMEOUT
    base_backoff: float = 2.0
    max_backoff: float = 600.0
    smtp_url: str = ""  # issue 12: e-mails (kind "email") go here, see outbox/mail.py
    smtp_from: str = ""
    concurrency: int = DEFAULT_CONCURRENCY  # messages of one claimed batch in flight at once

    @classmethod
    def from_app(cls, app: Flask) -> Settings:
        return cls(
            portal_url=app.config["PORTAL_URL"],
            secret=push_secret(app),
            timeout=float(app.config.get("OUTBOX_TIMEOUT", client.DEFAULT_TIMEOUT)),
            base_backoff=float(app.config.get("OUTBOX_BASE_BACKOFF", 2.0)),
            max_backoff=float(app.config.get("OUTBOX_MAX_BACKOFF", 600.0)),
            smtp_url=app.config.get("SMTP_URL") or "",
            smtp_from=app.config.get("SMTP_FROM") or "",
            concurrency=max(1, int(app.config.get("OUTBOX_CONCURRENCY", DEFAULT_CONCURRENCY))),
        )


class SecretMissing(RuntimeError):
    pass


def push_secret(app: Flask) -> str:
    """PORTAL_PUSH_SECRET from the environment; outside production, when unset, the one generated
    at first start in the instance folder (file `portal_push_secret`, mode 0600), which the portal
    of the embedded run reads too (see Procfile)."""
    from ..secret_key import load_or_create

    secret = app.config.get("PORTAL_PUSH_SECRET") or ""
    if secret:
        return secret
    if app.config.get("APP_ENV") == "production":
        raise SecretMissing("生产环境必须设置 PORTAL_PUSH_SECRET（与门户网站相同，至少 32 个字符），推送程序拒绝启动。")
    return load_or_create(app.instance_path, PUSH_SECRET_FILE)


PUSH_SECRET_FILE = "portal_push_secret"


def backoff_seconds(attempts: int, settings: Settings, rand: random.Random | None = None) -> float:
    """2, 4, 8 … seconds after the 1st, 2nd, 3rd … failed attempt, capped, ±20 % jitter."""
    base = min(settings.max_backoff, settings.base_backoff * (2 ** max(0, attempts - 1)))
    return base * (0.8 + 0.4 * (rand or random).random())


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def claim(worker: str, limit: int, lease_seconds: float) -> list[int]:
    """Take up to `limit` due messages for this worker; returns their ids (committed)."""
    now = clock.utcnow()
    token = f"{worker}:{secrets.token_hex(4)}"[:64]
    earlier = aliased(OutboxMessage)
    waiting_behind = exists().where(and_(earlier.document_id == OutboxMessage.document_id,
                                         earlier.id < OutboxMessage.id, earlier.status == PENDING))
    due = (select(OutboxMessage.id)
           .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now,
                  or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
                  ~waiting_behind)
           .order_by(OutboxMessage.id).limit(limit))
    claimed_set = dict(claimed_by=token, claimed_until=now + timedelta(seconds=lease_seconds),
                       attempts=OutboxMessage.attempts + 1, last_attempt_at=now)
    try:
        if db.session.get_bind().dialect.name == "postgresql":
            ids = list(db.session.execute(due.with_for_update(of=OutboxMessage, skip_locked=True)).scalars())
            if ids:
                db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(**claimed_set)
                                   .execution_options(synchronize_session=False))
        else:  # one statement: SQLite takes the write lock before reading, so two workers never race
            db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(due.scalar_subquery()))
                               .values(**claimed_set).execution_options(synchronize_session=False))
            ids = list(db.session.execute(select(OutboxMessage.id).where(OutboxMessage.claimed_by == token)
                                          .order_by(OutboxMessage.id)).scalars())
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return ids


@dataclass(frozen=True)
class Outcome:
    message_id: int
    status: str  # what the row became
    http_status: int
    answer: str


PATHS = {"push": client.PUSH_PATH, "withdraw": client.WITHDRAW_PATH, "catalogue": client.CATALOGUE_PATH,
         APP_STATUS: client.APPLICATION_STATUS_PATH}


def send_one(message_id: int, settings: Settings) -> client.Answer:
    row = db.session.get(OutboxMessage, message_id)
    body = row.body
    if row.kind == mail.EMAIL:  # issue 12: an e-mail, over SMTP
        db.session.rollback()
        return mail.send(json.loads(body), message_id, settings.smtp_url, settings.smtp_from, settings.timeout)
    path = PATHS[row.kind]
    db.session.rollback()  # no transaction stays open while we wait on the network
    return client.send(settings.portal_url, path, settings.secret, json.loads(body), timeout=settings.timeout)


def record(message_id: int, answer: client.Answer, settings: Settings, worker_token: str | None = None
           ) -> Outcome:
    """Store the portal's answer (one transaction, with its audit event)."""
    return record_many([(message_id, answer, worker_token)], settings)[0]


def record_many(answers: list[tuple[int, client.Answer, str | None]], settings: Settings) -> list[Outcome]:
    """Store the portal's answers to a batch in one transaction, one audit event per message
    (in message order).  Each answer is kept only while `worker_token` still holds its row's lease."""
    now = clock.utcnow()
    ids = sorted(message_id for message_id, _, _ in answers)
    try:
        rows = {r.id: r for r in db.session.execute(
            select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id).with_for_update()
        ).scalars()}
        doc_ids = {r.document_id for r in rows.values()}
        pubs = {p.document_id: p for p in db.session.execute(
            select(Publication).where(Publication.document_id.in_(doc_ids))).scalars()}
        docs = {d.id: d for d in db.session.execute(
            select(Document).options(load_only(Document.id)).where(Document.id.in_(doc_ids))).scalars()}
        outcomes = {}
        for message_id, answer, worker_token in sorted(answers, key=lambda a: a[0]):
            row = rows[message_id]
            if worker_token is not None and row.claimed_by != worker_token:  # our lease ran out; another worker has it
                outcomes[message_id] = Outcome(message_id, row.status, answer.status, "lease lost")
                continue
            _apply(row, answer, settings, now, pubs.get(row.document_id), docs.get(row.document_id))
            outcomes[message_id] = Outcome(message_id, row.status, answer.status, row.last_answer)
        db.session.commit()
        return [outcomes[message_id] for message_id, _, _ in answers]
    except BaseException:
        db.session.rollback()
        raise


def _apply(row: OutboxMessage, answer: client.Answer, settings: Settings, now, pub: Publication | None,
           document: Document | None) -> None:
    row.last_status, row.claimed_by, row.claimed_until = answer.status, None, None
    code = str(answer.data.get("error") or "")
    if answer.ok or (row.kind == "withdraw" and answer.status == 404):
        row.status, row.sent_at = SENT, now
        row.last_answer = "" if answer.ok else "门户网站上没有该文件，无需撤回。"
        if row.kind == APP_STATUS:  # an application's status: its own bookkeeping, no publication
            application_status.delivered(row)
            return
        if pub is not None and pub.message_version == row.version:
            pub.pushed_at = now
            if row.kind == "push" and answer.data.get("url"):
                pub.public_url = str(answer.data["url"])[:500]
                pub.interpretation_url = str(answer.data.get("interpretation_url") or "")[:500]
        if row.kind == mail.EMAIL:  # an e-mail is about no document: its reminder is the record
            return
        audit.record("push_delivered", None, document, details={
            "kind": row.kind, "index_no": row.index_no, "version": row.version, "outbox": row.id,
            "url": str(answer.data.get("url") or ""), "attempts": row.attempts})
    elif answer.status == 409 and code == "stale_version":
        row.status, row.last_answer = SUPERSEDED, answer.message[:2000]
    elif answer.retryable:
        row.status = PENDING
        row.last_answer = answer.message[:2000]
        row.next_attempt_at = now + timedelta(seconds=backoff_seconds(row.attempts, settings))
    else:
        row.status, row.last_answer = FAILED, _refusal(answer)[:2000]
        if row.kind == APP_STATUS:
            application_status.refused(row)
            return
        if row.kind == mail.EMAIL:
            return
        audit.record("push_failed", None, document, comment=row.last_answer, details={
            "kind": row.kind, "index_no": row.index_no, "version": row.version, "outbox": row.id,
            "status": answer.status})


def _refusal(answer: client.Answer) -> str:
    problems = answer.data.get("problems") or []
    text = answer.message
    if isinstance(problems, list) and problems:
        text += "：" + "；".join(str(p) for p in problems[:10])
    return f"HTTP {answer.status}：{text}"


def _send_batch(ids: list[int], settings: Settings, senders: list[client.Sender]
                ) -> list[tuple[int, client.Answer, str | None]]:
    """Send the claimed messages (no transaction open meanwhile); returns (id, answer, lease token)."""
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.body, OutboxMessage.claimed_by,
               OutboxMessage.document_id).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)).all()
    db.session.rollback()  # no transaction stays open while we wait on the network

    def send(sender: client.Sender, row) -> tuple[int, client.Answer, str | None]:
        if row.kind == mail.EMAIL:  # issue 12: an e-mail, over SMTP (no document: sent in order, one lane)
            return row.id, mail.send(json.loads(row.body), row.id, settings.smtp_url, settings.smtp_from,
                                     settings.timeout), row.claimed_by
        return row.id, sender.send(PATHS[row.kind], json.loads(row.body)), row.claimed_by

    lanes = min(len(senders), len(rows))
    # Never two messages of one document in a batch (see the module's docstring); messages without a
    # document (the catalogue's) do not wait for each other when claimed, so those go in order too.
    if lanes <= 1 or len({r.document_id for r in rows}) < len(rows) or any(r.document_id is None for r in rows):
        return [send(senders[0], row) for row in rows]
    with ThreadPoolExecutor(lanes, thread_name_prefix="outbox-send") as pool:
        parts = pool.map(lambda lane: [send(senders[lane], row) for row in rows[lane::lanes]], range(lanes))
        return [answer for part in parts for answer in part]


def run_once(settings: Settings, worker: str | None = None, batch: int = DEFAULT_BATCH,
             limit: int | None = None) -> list[Outcome]:
    """Send every message due now (until none is left, or `limit` messages); returns what happened."""
    worker = worker or worker_name()
    lease = batch * (settings.timeout + 5) + 30
    outcomes: list[Outcome] = []
    senders = [client.Sender(settings.portal_url, settings.secret, settings.timeout)
               for _ in range(max(1, settings.concurrency))]
    try:
        while limit is None or len(outcomes) < limit:
            ids = claim(worker, batch if limit is None else min(batch, limit - len(outcomes)), lease)
            if not ids:
                break
            for outcome in record_many(_send_batch(ids, settings, senders), settings):
                log.info("outbox %s → %s (%s)", outcome.message_id, outcome.status, outcome.http_status)
                outcomes.append(outcome)
    finally:
        for sender in senders:
            sender.close()
    return outcomes


def run_forever(settings: Settings, interval: float = 1.0, batch: int = DEFAULT_BATCH,
                should_stop=lambda: False) -> None:
    worker = worker_name()
    while not should_stop():
        try:
            done = run_once(settings, worker, batch)
        except Exception:  # the database went away for a moment: log, wait, go on
            log.exception("outbox pass failed")
            db.session.rollback()
            done = []
        db.session.remove()
        if not done:
            compact_dashboard()
            time.sleep(interval)


def compact_dashboard() -> bool:
    """Between passes with nothing to send: fold the dashboard rollup's deltas (services/dashboard.
    compact_rollup, when more than COMPACT_AFTER wait), so a view seldom has to.  Never fatal."""
    try:
        return compact_rollup()
    except Exception:  # the database went away for a moment: the next idle pass tries again
        log.exception("dashboard rollup compaction failed")
        db.session.rollback()
        return False
    finally:
        db.session.remove()
