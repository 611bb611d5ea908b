"""An online application's status for its applicant on the portal, through the outbox.

Every change of an online application (registered, each move of its chain) enqueues, in the
same transaction, one signed status message for the portal (`outbox.enqueue_application_status`);
the outbox worker sends it with retries, and the portal keeps the newest version and shows it
only behind the applicant's 查询码.  The message carries the status in words, the reference,
the dates, and — once replied — the reply letter and the PUBLIC copies of the documents the reply
provides, each followed by the reviewed copies of its 附件; never the applicant's personal data nor any internal note.

`requeue_stale` is the thin repair path (`flask applications sync`): an application whose newest
version the portal has not confirmed and for which no message is waiting gets its current
status enqueued again.
"""

from __future__ import annotations

import base64

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from .. import outbox
from ..applications_flow import LAPSE_OUTCOMES, AppStage
from ..extensions import db
from ..models import Application, ApplicationFile, ApplicationProvided, OutboxMessage, User, utcnow
from . import audit
from .provided_files import files_with_reply, provided_of

PORTAL_LABELS = {
    AppStage.HANDLING: "已受理，正在办理", AppStage.CORRECTION: "需要补正，请按补正告知书补充申请内容",
    AppStage.CONSULTING: "已受理，正在征求意见", AppStage.FEE: "待缴纳信息处理费",
    AppStage.REPLY_REVIEW: "已受理，正在办理", AppStage.REPLIED: "已答复",
}


def _b64(f: ApplicationFile) -> dict:
    return {"filename": f.filename, "content_b64": base64.b64encode(f.data).decode()}


def status_message(app: Application) -> dict:
    """The message for the application's current version (call after a flush)."""
    message = {"public_id": app.portal_ref, "version": app.version, "status_label": PORTAL_LABELS[app.stage_enum],
               "reference": app.reference, "due_on": app.due_on.isoformat() if app.due_on else None,
               "replied_on": app.replied_on.isoformat() if app.replied_on else None, "reply": None, "provided": []}
    if app.stage_enum is AppStage.REPLIED:
        letter = db.session.execute(
            select(ApplicationFile).where(ApplicationFile.application_id == app.id, ApplicationFile.kind == "reply")
            .order_by(ApplicationFile.id.desc()).limit(1)).scalar_one_or_none()
        if letter is not None:
            message["reply"] = _b64(letter)
        for p in provided_with_reply(app):  # each document's public copy, then its 附件
            message["provided"].extend(_b64(f) for f in files_with_reply(p))
    return message


def provided_with_reply(app: Application) -> list[ApplicationProvided]:
    """The documents that go with the reply: only those whose public copy exists (an issued reply
    cannot have others), and none when the application lapsed (视为放弃: nothing is provided)."""
    if app.outcome in LAPSE_OUTCOMES:
        return []
    return [p for p in provided_of(app.id) if p.public_file_id is not None]


def enqueue_status(app: Application, by: User | None) -> OutboxMessage | None:
    """In the caller's transaction: the status message of an online application (None for others)."""
    if not app.portal_ref:
        return None
    db.session.flush()  # the version this change gives the application
    return outbox.enqueue_application_status(app.id, app.portal_ref, app.version, status_message(app), by)


def last_message(app_id: int) -> OutboxMessage | None:
    return db.session.execute(select(OutboxMessage).where(OutboxMessage.application_id == app_id)
                              .order_by(OutboxMessage.id.desc()).limit(1)).scalar_one_or_none()


def requeue_stale(limit: int = 500) -> int:
    """Enqueue the current status of online applications the portal has not confirmed and for
    which no message is pending (one committed transaction); returns how many."""
    waiting = exists().where(OutboxMessage.application_id == Application.id, OutboxMessage.status == outbox.PENDING)
    try:
        apps = db.session.execute(select(Application).where(
            Application.portal_ref.is_not(None), Application.portal_pushed_version < Application.version, ~waiting)
            .order_by(Application.id).limit(limit)).scalars().all()
        for app in apps:
            outbox.enqueue_application_status(app.id, app.portal_ref, app.version, status_message(app), None)
            audit.record("app_status_requeue", None, details={"application_id": app.id, "version": app.version})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return len(apps)


def resend(app: Application, by: User) -> OutboxMessage:
    """Queue the application's current status again (after the portal refused a message, e.g.
    a wrong secret since corrected): one transaction with its audit event.  The portal keeps
    only the newest version, so a repeat changes nothing there."""
    if not app.portal_ref:
        raise ValueError("not an online application")
    try:
        row = outbox.enqueue_application_status(app.id, app.portal_ref, app.version, status_message(app), by)
        audit.record("app_status_requeue", by, details={"application_id": app.id, "version": app.version})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return row


# --------------------------------------------------------------------------- deliveries that need a person

def troubled():
    """The SQL condition for an application's status message that needs a person: its newest
    message, refused by the portal (failed) or still retrying after a failed attempt."""
    newer = aliased(OutboxMessage)
    return and_(OutboxMessage.kind == outbox.APP_STATUS, OutboxMessage.application_id.is_not(None),
                or_(OutboxMessage.status == outbox.FAILED,
                    and_(OutboxMessage.status == outbox.PENDING, OutboxMessage.last_status.is_not(None))),
                ~exists().where(newer.application_id == OutboxMessage.application_id, newer.id > OutboxMessage.id))


def troubled_count() -> int:
    """How many applications' statuses the portal has not taken (the publisher is told the number
    only: the applications themselves are for their handling staff)."""
    return db.session.execute(select(func.count(OutboxMessage.id)).where(troubled())).scalar_one()


def retry_now(app: Application, by: User) -> OutboxMessage:
    """The newest message is retrying after a failed attempt: send it at once (one transaction
    with its audit event).  A refused one is queued again instead (`resend`)."""
    row = last_message(app.id)
    if row is None or row.status != outbox.PENDING or row.last_status is None:
        raise ValueError("no retrying message")
    try:
        row.next_attempt_at = utcnow()
        audit.record("app_status_requeue", by, details={"application_id": app.id, "version": row.version,
                                                        "outbox": row.id, "retry": True,
                                                        "previous_answer": row.last_answer[:500]})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return row
