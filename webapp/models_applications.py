"""Models of citizens' disclosure applications (依申请公开, R14, issue 9).

Imported at the end of models.py.  An application, its append-only event log (from which
its clock is computed, `applications_flow.compute_clock`) and its letters (.docx in the
database, like every file).  The applicant's personal data lives only here: the handlers and
the office see it; nothing of it is sent to the portal but the status behind the 查询码.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .applications_flow import (
    AppFacts,
    ApplicantType,
    AppStage,
    Channel,
    ClockEvent,
    ClockKind,
)
from .extensions import db
from .models import Department, Document, User, UTCDateTime, utcnow


class ApplicationLabels:
    """What an application shows by its stored codes: its reference and the labels of its stage,
    channel and applicant type — for the ORM row and the queue's plain rows alike."""

    __slots__ = ()  # reads id, received_on, stage, channel and applicant_type of the row

    @property
    def reference(self) -> str:
        return f"依申〔{self.received_on.year}〕{self.id}号"

    @property
    def stage_enum(self) -> AppStage:
        return AppStage(self.stage)

    @property
    def channel_enum(self) -> Channel:
        return Channel(self.channel)

    @property
    def applicant_type_enum(self) -> ApplicantType:
        return ApplicantType(self.applicant_type)


class Application(ApplicationLabels, db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        # The queue: open applications (due_on set) by the reply deadline, for all and by department.
        Index("ix_applications_queue", "due_on", "id"),
        Index("ix_applications_department", "department_id", "due_on", "id"),
        Index("ix_applications_fingerprint", "fingerprint"),
        # 109号文: the per-item tiers count one applicant's applications in one natural month.
        Index("ix_applications_applicant_month", "applicant_key", "received_on", "id"),
        # The navigation's counters (every page): replies waiting for the office's review, and
        # extensions waiting for the head; without them each page scanned every application.
        Index("ix_applications_stage", "stage", "id"),
        Index("ix_applications_extension", "extension_requested", "extension_days", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date] = mapped_column(Date)  # Art. 31, per channel
    applicant_type: Mapped[str] = mapped_column(String(20))
    applicant_name: Mapped[str] = mapped_column(String(100))
    id_doc_type: Mapped[str] = mapped_column(String(30), default="")
    id_doc_number: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    contact_address: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text)
    form_wanted: Mapped[str] = mapped_column(String(20), default="electronic")
    fingerprint: Mapped[str] = mapped_column(String(64))
    applicant_key: Mapped[str] = mapped_column(String(64), default="")  # name + identity number, normalised
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))

    stage: Mapped[str] = mapped_column(String(20), default=AppStage.HANDLING.value)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The clock's result kept for the queue's order (recomputed from the events at every move):
    # the due day, 9999-12-31 while waiting for a correction, None once replied.
    due_on: Mapped[date | None] = mapped_column(Date)

    corrections_requested: Mapped[int] = mapped_column(Integer, default=0)
    correction_until: Mapped[date | None] = mapped_column(Date)
    extension_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    fee_pay_by: Mapped[date | None] = mapped_column(Date)
    fee_amount: Mapped[int] = mapped_column(Integer, default=0)
    search_notes: Mapped[str] = mapped_column(Text, default="")

    outcome: Mapped[str | None] = mapped_column(String(30))
    reply_text: Mapped[str] = mapped_column(Text, default="")
    replied_on: Mapped[date | None] = mapped_column(Date)
    # Online applications: the portal's id and the hash of the applicant's 查询码.
    portal_ref: Mapped[str | None] = mapped_column(String(40), unique=True)
    # The version last confirmed by the portal (written outside the optimistic lock).
    portal_pushed_version: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    department: Mapped[Department | None] = relationship()
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id])

    __mapper_args__ = {"version_id_col": version}


    def facts(self) -> AppFacts:
        return AppFacts(self.stage_enum, self.received_on, self.corrections_requested, self.extension_requested,
                        self.extension_days, self.correction_until, self.fee_pay_by)


class ApplicationEvent(db.Model):
    """What happened to an application, on which of the agency's days: append-only."""

    __tablename__ = "application_events"
    __table_args__ = (Index("ix_application_events_application", "application_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    kind: Mapped[str] = mapped_column(String(40))
    day: Mapped[date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer, default=0)
    party: Mapped[str] = mapped_column(String(20), default="")
    until: Mapped[date | None] = mapped_column(Date)
    comment: Mapped[str] = mapped_column(Text, default="")
    details_json: Mapped[str] = mapped_column(Text, default="{}")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def details(self) -> dict:
        return json.loads(self.details_json or "{}")

    def clock_event(self) -> ClockEvent | None:
        try:
            kind = ClockKind(self.kind)
        except ValueError:
            return None
        return ClockEvent(kind, self.day, self.days, self.party, self.until)


@event.listens_for(ApplicationEvent, "before_update")
@event.listens_for(ApplicationEvent, "before_delete")
def _events_are_append_only(mapper, connection, target):  # noqa: ARG001
    raise RuntimeError("申请的办理记录只能追加，不能修改或删除。")


class ApplicationFile(db.Model):
    """A letter (.docx) or a provided document, in the database with its sha256 and size."""

    __tablename__ = "application_files"
    __table_args__ = (Index("ix_application_files_application", "application_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    kind: Mapped[str] = mapped_column(String(30))  # receipt | correction | extension | consultation | fee | reply
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ApplicationProvided(db.Model):
    """A document the reply provides.  What reaches the applicant is its public copy: the one
    the publisher confirmed (source "public"), or one made for this reply after every personal-
    data finding in it was decided (source "reviewed"); `public_file_id` is set only then."""

    __tablename__ = "application_provided"
    __table_args__ = (UniqueConstraint("application_id", "document_id", name="uq_application_provided_document"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    source: Mapped[str] = mapped_column(String(10))  # public | reviewed
    public_file_id: Mapped[int | None] = mapped_column(ForeignKey("application_files.id"))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    document: Mapped[Document] = relationship()

    @property
    def ready(self) -> bool:
        return self.public_file_id is not None


class ApplicationProvidedAttachment(db.Model):
    """One 附件 of a provided document, and what of it reaches the applicant (`public_file_id`).

    Source "public": the publisher's public copy of the attachment (R8 review done; a file the
    publisher withheld has none and is not listed), copied when the document is added.  Source
    "reviewed": the original, read by the engine (.docx/.xlsx: findings on the field
    "attachment:<source_file_id>") or checked by eye (`needs_eye_check`: send as it is, metadata
    stripped, or withhold); its copy is made when the document's review is confirmed."""

    __tablename__ = "application_provided_attachments"
    __table_args__ = (Index("ix_application_provided_attachments_provided", "provided_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provided_id: Mapped[int] = mapped_column(ForeignKey("application_provided.id"))
    source_file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    position: Mapped[int] = mapped_column(Integer)  # its place among the document's 附件, from 1
    filename: Mapped[str] = mapped_column(String(200))  # the original's name (internal)
    needs_eye_check: Mapped[bool] = mapped_column(Boolean, default=False)
    eye_decision: Mapped[str | None] = mapped_column(String(10))  # None | send | withhold
    eye_checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    eye_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    public_file_id: Mapped[int | None] = mapped_column(ForeignKey("application_files.id"))


class ApplicationDeidFinding(db.Model):
    """Personal data found by the de-identification engine in a provided document that has no
    confirmed public copy, and the reviewer's decision (mask, or keep with a reason)."""

    __tablename__ = "application_deid_findings"
    __table_args__ = (Index("ix_application_deid_findings_provided", "provided_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provided_id: Mapped[int] = mapped_column(ForeignKey("application_provided.id"))
    field: Mapped[str] = mapped_column(String(40))  # title | body
    kind: Mapped[str] = mapped_column(String(20))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(10))  # None | mask | keep
    keep_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


# On PostgreSQL the database itself refuses to change or delete an application's events
# (migration 0008 creates the same trigger).
APPLICATION_EVENTS_APPEND_ONLY_SQL = (
    "CREATE OR REPLACE FUNCTION application_events_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'application_events is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER application_events_no_change BEFORE UPDATE OR DELETE ON application_events "
    "FOR EACH ROW EXECUTE FUNCTION application_events_append_only()",
)
for _statement in APPLICATION_EVENTS_APPEND_ONLY_SQL:
    event.listen(ApplicationEvent.__table__, "after_create",
                 db.DDL(_statement).execute_if(dialect="postgresql"))
