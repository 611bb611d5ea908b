"""What the worker records when the portal answers an online application's status message
(kind `app_status`): the version the portal now holds, and an audit event."""

from __future__ import annotations

from sqlalchemy import update

from ..extensions import db
from ..models import Application, OutboxMessage
from ..services import audit


def delivered(row: OutboxMessage) -> None:
    """In the worker's transaction: the portal holds this version (never lowered)."""
    db.session.execute(update(Application).where(Application.id == row.application_id,
                                                  Application.portal_pushed_version < row.version)
                       .values(portal_pushed_version=row.version).execution_options(synchronize_session=False))
    audit.record("app_status_delivered", None, details={
        "application_id": row.application_id, "version": row.version, "outbox": row.id, "attempts": row.attempts})


def refused(row: OutboxMessage) -> None:
    audit.record("app_status_failed", None, comment=row.last_answer, details={
        "application_id": row.application_id, "version": row.version, "outbox": row.id,
        "status": row.last_status})
