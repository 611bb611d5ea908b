"""Reminders (issue 12): one row per recipient per deadline crossing, read or unread.

Imported at the end of models.py.  `flask reminders scan` (services/reminders.py) inserts a row
when a deadline comes within its lead time or passes; the unique key (recipient, crossing) makes
the scan idempotent, however often and on however many machines it runs.  The e-mail copy is an
outbox message of kind "email", written in the same transaction as the row.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .models import Document, Publication, UTCDateTime, utcnow


class Reminder(db.Model):
    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("user_id", "crossing", name="uq_reminders_user_crossing"),
        # The list and the unread counter: WHERE user_id = ? [AND read_at IS NULL] ORDER BY id DESC.
        Index("ix_reminders_user_read", "user_id", "read_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # kind:subject:due:soon|overdue — one deadline crossing (reminders.crossing_key)
    crossing: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # reminders.KINDS
    phase: Mapped[str] = mapped_column(String(10))  # soon | overdue
    subject_id: Mapped[int] = mapped_column(Integer)  # the document, application or report year
    due_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    message: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_message_id: Mapped[int | None] = mapped_column(Integer)  # the outbox message, when e-mailed


# The dashboard's aggregates (services/dashboard.py), read from indexes alone: on SQLite a column
# stored after the documents' long texts costs a walk over their overflow pages for every row.
Index("ix_documents_dashboard", Document.id, Document.department_id, Document.print_date, Document.stage)
# Normative documents by the end of their validity (the 待办 count and the reminder scan).
Index("ix_documents_validity_end", Document.is_normative, Document.validity, Document.effective_to)
Index("ix_publications_first_published", Publication.first_published_at, Publication.document_id)
# The on-time rate read from the index alone (migration 0019_dashperf).
Index("ix_publications_on_time", Publication.first_published_at, Publication.document_id, Publication.late_from)
# The dashboard's check for publications whose "late from" is still to be filled, at every view
# (migration 0023_intraperf): without it the check read every publication.
Index("ix_publications_late_from", Publication.late_from)
