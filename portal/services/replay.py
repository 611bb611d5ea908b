"""The replay guard for signed requests, kept in the portal's database (gkt_protocol.ReplayGuard)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from ..clock import utcnow
from ..extensions import db
from ..models import SeenSignature


class DatabaseReplayGuard:
    """Records a signature in its own short transaction, so a replay is refused even while the
    first request is still being processed (the primary key makes the check atomic)."""

    def remember(self, signature: str, expires_at: datetime) -> bool:
        db.session.execute(delete(SeenSignature).where(SeenSignature.expires_at < utcnow()))
        db.session.add(SeenSignature(signature=signature, expires_at=expires_at))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return False
        return True
