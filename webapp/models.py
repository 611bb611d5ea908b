"""SQLAlchemy models.  Small domain methods only; moves live in services/."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from . import clock
from .disclosure import LEGAL_BASIS_BY_CODE, Disclosure, LegalBasis
from .extensions import db
from .workflow import ActorFacts, DocumentFacts, Role, Stage


def utcnow() -> datetime:
    return clock.utcnow()


class UTCDateTime(db.TypeDecorator):
    """Timestamps stored as UTC and always read back timezone-aware (SQLite drops tz)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Department(db.Model):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # 核稿: the department's head checks its documents before they leave it (admin switch).
    requires_dept_check: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    users: Mapped[list[User]] = relationship(back_populates="department")

    def __repr__(self) -> str:
        return f"<Department {self.name}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    password_hash: Mapped[str] = mapped_column(String(255))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Sessions: each login carries this number (get_id); raising it ends every earlier session.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set while the password is one the system generated (first login, admin reset).
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Where reminders are e-mailed (issue 12), kept by the admin; empty: in-app only.
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")

    department: Mapped[Department | None] = relationship(back_populates="users")
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="select"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.is_active_account

    def get_id(self) -> str:  # Flask-Login keeps this in the session; the user loader checks the epoch
        return f"{self.id}:{self.session_epoch or 0}"

    def end_sessions(self) -> None:
        """Every session opened before now stops working at its next request."""
        self.session_epoch = (self.session_epoch or 0) + 1

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.role_rows)

    def set_roles(self, roles: set[Role] | frozenset[Role]) -> None:
        wanted = {Role(r).value for r in roles}
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        have = {r.role for r in self.role_rows}
        for role in sorted(wanted - have):
            self.role_rows.append(UserRole(role=role))

    def facts(self) -> ActorFacts:
        return ActorFacts(user_id=self.id, roles=self.roles, department_id=self.department_id)

    @property
    def role_labels(self) -> str:
        return "、".join(r.label for r in Role if r in self.roles)

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class Document(db.Model):
    __tablename__ = "documents"
    __table_args__ = (
        # Reviewer queues: WHERE stage = ? ORDER BY stage_entered_at, id (keyset).
        Index("ix_documents_queue", "stage", "stage_entered_at", "id"),
        Index("ix_documents_department_stage", "department_id", "stage"),
        Index("ix_documents_drafter_stage", "drafter_id", "stage"),
        # 发文字号: one number per issuing code and year (gap-free by services/issuing.py).
        UniqueConstraint("issuing_code_id", "number_year", "number_seq", name="uq_documents_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    doc_type: Mapped[str] = mapped_column(String(20))
    recipients: Mapped[str] = mapped_column(String(500), default="")
    body_html: Mapped[str] = mapped_column(Text, default="", deferred=True, deferred_group="content")
    attachments_text: Mapped[str] = mapped_column(Text, default="")
    topic_category: Mapped[str] = mapped_column(String(50), default="")

    disclosure: Mapped[str | None] = mapped_column(String(20))
    disclosure_reason: Mapped[str] = mapped_column(Text, default="")
    legal_basis_json: Mapped[str] = mapped_column(Text, default="[]")
    may_involve_secrets: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_interpretation: Mapped[bool] = mapped_column(Boolean, default=False)
    interpretation_html: Mapped[str] = mapped_column(Text, default="", deferred=True, deferred_group="content")

    # The office's proposal of another attribute (R4), shown to the drafter.
    proposed_disclosure: Mapped[str | None] = mapped_column(String(20))
    proposal_reason: Mapped[str] = mapped_column(Text, default="")

    stage: Mapped[str] = mapped_column(String(30), default=Stage.DRAFT.value)
    stage_entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    drafter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the leader signs (签发): the default 成文日期.
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Issuing (印发): 发文字号 = code〔year〕seq号, 成文日期, 印发日期, 抄送.
    issuing_code_id: Mapped[int | None] = mapped_column(ForeignKey("issuing_codes.id"))
    number_year: Mapped[int | None] = mapped_column(Integer)
    number_seq: Mapped[int | None] = mapped_column(Integer)
    doc_number: Mapped[str | None] = mapped_column(String(50), unique=True)
    written_date: Mapped[date | None] = mapped_column(Date)
    print_date: Mapped[date | None] = mapped_column(Date)
    cc: Mapped[str] = mapped_column(String(500), default="")
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The public copy (R8), made when the publisher confirms the de-identification;
    # None: not yet made.  The internal copy above is never sent anywhere.
    public_body_html: Mapped[str | None] = mapped_column(Text, deferred=True, deferred_group="content")
    public_title: Mapped[str | None] = mapped_column(String(200))
    public_interpretation_html: Mapped[str | None] = mapped_column(Text, deferred=True, deferred_group="content")
    # The public 附件说明: one reviewed line per line of `attachments` ("\n"-joined, same places);
    # None: confirmed before the 附件说明 was reviewed (migration 0022).
    public_attachments_text: Mapped[str | None] = mapped_column(Text)
    deid_scanned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deid_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deid_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Optimistic lock: every UPDATE says "WHERE version = <what I read>".
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # Search (webapp/fulltext.py): title, 文号 and body text, normalised; kept current by
    # `_refresh_search_text` at the end of this file.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="", deferred=True)
    # --- catalogue (issue 15): the 目录事项, the item's version it is filed under, and the
    # office's recorded confirmation when the item's 公开方式 and the attribute disagree
    catalogue_item_id: Mapped[int | None] = mapped_column(ForeignKey("catalogue_items.id"))
    catalogue_item_version: Mapped[int | None] = mapped_column(Integer)
    catalogue_mismatch_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    catalogue_mismatch_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    catalogue_mismatch_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # --- end catalogue
    # --- validity (R11, issue 11): 行政规范性文件 carry a validity period; the clean-up
    # decision sets `validity` (valid 有效 / revised 已修订 / repealed 废止 / expired 失效)
    # and the day it took effect.  Read by the portal push and the annual report (table 二).
    is_normative: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    effective_from: Mapped[date | None] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    validity: Mapped[str] = mapped_column(String(10), default="valid", server_default="valid")
    validity_changed_on: Mapped[date | None] = mapped_column(Date)
    # --- end validity
    # Approval (issue 10): 紧急程度 (urgency.Urgency), the submission count that 会签
    # agreements belong to, the leader who signed (签发人), 印发份数 for the 发文稿纸.
    urgency: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    submission_round: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_by_name: Mapped[str] = mapped_column(String(50), default="", server_default="")
    print_copies: Mapped[int | None] = mapped_column(Integer)
    # --- annual report (R12, issue 12): set on the 报告 that is this year's annual report
    annual_report_year: Mapped[int | None] = mapped_column(Integer)
    # --- end annual report
    # --- publication (issue 8): 关键词 ("、"-joined, ≤ 10 of ≤ 20 characters) and 内容概述 (≤ 100
    # characters) as the drafter set them, and their public copies written when the publisher
    # confirms the de-identification (None: not yet; the push then proposes them from the public text)
    keywords: Mapped[str] = mapped_column(String(300), default="", server_default="")
    summary: Mapped[str] = mapped_column(String(300), default="", server_default="")
    public_keywords: Mapped[str | None] = mapped_column(String(300))
    public_summary: Mapped[str | None] = mapped_column(String(300))
    # --- end publication

    department: Mapped[Department] = relationship(lazy="joined")
    drafter: Mapped[User] = relationship(lazy="joined", foreign_keys=[drafter_id])
    issuing_code: Mapped[IssuingCode | None] = relationship()
    countersigns: Mapped[list[Countersign]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Countersign.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)

    @property
    def disclosure_enum(self) -> Disclosure | None:
        return Disclosure(self.disclosure) if self.disclosure else None

    @property
    def proposed_disclosure_enum(self) -> Disclosure | None:
        return Disclosure(self.proposed_disclosure) if self.proposed_disclosure else None

    @property
    def legal_basis_codes(self) -> list[str]:
        return list(json.loads(self.legal_basis_json or "[]"))

    @legal_basis_codes.setter
    def legal_basis_codes(self, codes: list[str]) -> None:
        self.legal_basis_json = json.dumps(list(codes))

    @property
    def legal_bases(self) -> list[LegalBasis]:
        return [LEGAL_BASIS_BY_CODE[c] for c in self.legal_basis_codes if c in LEGAL_BASIS_BY_CODE]

    @property
    def keyword_list(self) -> list[str]:
        return [k for k in (self.keywords or "").split("、") if k]

    @property
    def attachments(self) -> list[str]:
        return [line.strip() for line in self.attachments_text.splitlines() if line.strip()]

    @property
    def public_attachments(self) -> list[str] | None:
        """The 附件说明 as the publisher confirmed it (None: confirmed before it was reviewed)."""
        if self.public_attachments_text is None:
            return None
        return self.public_attachments_text.split("\n") if self.public_attachments_text else []

    def facts(self) -> DocumentFacts:
        return DocumentFacts(
            stage=self.stage_enum,
            drafter_id=self.drafter_id,
            may_involve_secrets=self.may_involve_secrets,
            disclosure=self.disclosure,
            department_id=self.department_id,
            dept_check=bool(self.department is not None and self.department.requires_dept_check),
            countersign=frozenset(c.department_id for c in self.countersigns),
            agreed=frozenset(c.department_id for c in self.countersigns if c.agreed_in(self.submission_round)),
        )

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.stage}>"


class IssuingCode(db.Model):
    """机关代字 and what goes with it on the 公文: managed by the admin."""

    __tablename__ = "issuing_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)  # 豫应急办
    issuer_mark: Mapped[str] = mapped_column(String(60))  # 河南省应急管理厅文件
    signer: Mapped[str] = mapped_column(String(60))  # 河南省应急管理厅
    printing_office: Mapped[str] = mapped_column(String(60))  # 河南省应急管理厅办公室
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class NumberCounter(db.Model):
    """The last sequence used per issuing code and year.  Incremented under a row lock
    in the issuing transaction, so numbers are unique and without gaps."""

    __tablename__ = "number_counters"

    issuing_code_id: Mapped[int] = mapped_column(ForeignKey("issuing_codes.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class StoredFile(db.Model):
    """Files live in the database with their sha256 and size (DESIGN.md §4)."""

    __tablename__ = "stored_files"
    __table_args__ = (Index("ix_stored_files_document", "document_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    kind: Mapped[str] = mapped_column(String(30))  # see services/files.py FILE_KINDS
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # An attachment the engine cannot read is checked by eye by the publisher (R8).
    eye_checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    eye_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A public copy points at the file it was made from.
    source_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    # Checked by eye and kept off the portal: it holds personal data that cannot be masked (issue 8).
    withheld: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class DeidFinding(db.Model):
    """One span of personal data in one field of a document, and the publisher's decision."""

    __tablename__ = "deid_findings"
    __table_args__ = (Index("ix_deid_findings_document", "document_id", "field", "start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    field: Mapped[str] = mapped_column(String(40))  # title, body, interpretation
    kind: Mapped[str] = mapped_column(String(20))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(db.Float, default=1.0)
    reason: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(10), default="engine")  # engine | manual
    decision: Mapped[str | None] = mapped_column(String(10))  # None | mask | keep
    keep_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    decided_by: Mapped[User | None] = relationship()


class AuditEvent(db.Model):
    """Append-only log (R13).  Each row carries the hash of the previous one."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_document", "document_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(50), default="")
    action: Mapped[str] = mapped_column(String(40))
    from_stage: Mapped[str | None] = mapped_column(String(30))
    to_stage: Mapped[str | None] = mapped_column(String(30))
    comment: Mapped[str] = mapped_column(Text, default="")
    details_json: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship(lazy="joined")

    @property
    def details(self) -> dict:
        return json.loads(self.details_json or "{}")


class AuditHead(db.Model):
    """One row: the end of the audit chain.  Appenders lock it (SELECT … FOR UPDATE)
    so concurrent transactions extend the chain one after another, never fork it."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _audit_is_append_only(mapper, connection, target):  # noqa: ARG001
    raise RuntimeError("审计日志只能追加，不能修改或删除。")


# On PostgreSQL the database itself refuses to change or delete audit rows, so
# not even a hand-written UPDATE gets past it.  The migration creates the same.
AUDIT_APPEND_ONLY_SQL = (
    "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
)
for _statement in AUDIT_APPEND_ONLY_SQL:
    event.listen(
        AuditEvent.__table__, "after_create", db.DDL(_statement).execute_if(dialect="postgresql")
    )


class LoginFailure(db.Model):
    """One failed login (wrong password or unknown name) by the name typed and the source
    address: what the login throttle counts.  Rows older than its window are deleted."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_pair", "username", "address", "failed_at"),
        Index("ix_login_failures_address", "address", "failed_at"),
        Index("ix_login_failures_failed_at", "failed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50))
    address: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime())


# ---- Publication (issue 8): the working-day calendar, the agency, 索引号 and the outbox ----
# Kept apart from Document so that the outbox worker's updates (public URL, pushed at) never
# bump a document's optimistic-lock version under a publisher's open page.

class HolidayOverride(db.Model):
    """The admin's correction of the working-day calendar (workdays.Override): a date is, or is
    not, a working day, and why (a year the package does not cover yet, or a local arrangement)."""

    __tablename__ = "holiday_overrides"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class HolidayYear(db.Model):
    """A year whose holidays and 调休 the admin has entered completely: counts into it are final."""

    __tablename__ = "holiday_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AgencySettings(db.Model):
    """One row (id 1): the agency's 统一社会信用代码 (the 索引号 prefix) and its name as 发布机构."""

    __tablename__ = "agency_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), default="")
    publisher_name: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class IndexCounter(db.Model):
    """The last 索引号 serial per agency code and year; locked FOR UPDATE in the publishing
    transaction (like NumberCounter), so 索引号 are unique and without gaps."""

    __tablename__ = "index_counters"

    agency_code: Mapped[str] = mapped_column(String(18), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Publication(db.Model):
    """A document on the public portal: its 索引号 (kept for good from the first publication),
    who published it and when, where it is, and its withdrawal."""

    __tablename__ = "publications"
    __table_args__ = (UniqueConstraint("agency_code", "index_year", "index_seq", name="uq_publications_serial"),)

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True, autoincrement=False)
    index_no: Mapped[str] = mapped_column(String(40), unique=True)
    agency_code: Mapped[str] = mapped_column(String(18))
    index_year: Mapped[int] = mapped_column(Integer)
    index_seq: Mapped[int] = mapped_column(Integer)
    first_published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())  # the latest (re)publication
    # The first instant at which the first publication is late (the agency's midnight starting the
    # first working day after the deadline, services/deadlines.late_from): stored for the dashboard's
    # 按期发布率, filled lazily (deadlines.fill_late_from), cleared when a holiday override moves it.
    late_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Every message about this 索引号 carries a higher version (the portal refuses older ones).
    message_version: Mapped[int] = mapped_column(Integer, default=0)
    public_url: Mapped[str] = mapped_column(String(500), default="")
    interpretation_url: Mapped[str] = mapped_column(String(500), default="")
    pushed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the portal's last confirmation
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdraw_reason: Mapped[str] = mapped_column(Text, default="")

    published_by: Mapped[User] = relationship(foreign_keys=[published_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])


class OutboxMessage(db.Model):
    """One message for the portal, written in the same transaction as the move that caused it,
    sent later by `flask outbox run` (webapp/outbox).  `body` is the exact JSON sent: the public
    copy as it was when the publisher acted, never the internal text."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_due", "status", "next_attempt_at", "id"),
        Index("ix_outbox_messages_document", "document_id", "id"),
        Index("ix_outbox_messages_batch", "batch", "id"),
        Index("ix_outbox_messages_application", "application_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a message about no document: the standard catalogue (kind "catalogue", issue 15),
    # an online application's status and reply (kind app_status, issue 9), an e-mail (issue 12).
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    kind: Mapped[str] = mapped_column(String(10))  # push | withdraw | catalogue | app_status | email
    index_no: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | sent | failed | superseded
    batch: Mapped[str] = mapped_column(String(32), default="")  # the publisher's selection it belongs to
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_status: Mapped[int | None] = mapped_column(Integer)  # the portal's HTTP status; 0: unreachable
    last_answer: Mapped[str] = mapped_column(Text, default="")  # the portal's message, for the publisher
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    document: Mapped[Document | None] = relationship()


# ---- Data versions (issue 12's dashboard cache): one row per watched table, bumped by triggers ----

class DataVersion(db.Model):
    """A watched table's version (webapp/data_versions.py): changed in the same commit as any change
    to the table, so figures kept under the versions read before computing them are never older than
    the data."""

    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


@event.listens_for(db.metadata, "after_create")
def _data_version_triggers(target, connection, tables=(), **kw) -> None:
    """The triggers of every watched table, and the version rows, made with the schema by create_all
    (tests, benches); a deployment gets them from migration 0024_dashcache."""
    from . import data_versions

    names = {t.name for t in tables}
    if data_versions.TABLE not in names:
        return
    dialect = connection.dialect.name
    for statement in data_versions.create_statements(dialect):
        connection.execute(text(statement))
    connection.execute(text(data_versions.seed_statement(dialect)))


# ---- The dashboard's rollup (issue 12): counts kept by triggers in the writing transaction ----

class DashboardRollup(db.Model):
    """Delta rows of the dashboard's counts (webapp/dashboard_rollup.py): the triggers insert +1/-1
    per key in the writing transaction, a figure sums n over its keys, a compaction folds the rows
    into one per key (merged)."""

    __tablename__ = "dashboard_rollup"
    __table_args__ = (
        Index("ix_dashboard_rollup_figure", "figure", "day", "key_id", "key_text", "flag", "n"),
        Index("ix_dashboard_rollup_unmerged", "id", sqlite_where=text("NOT merged"),
              postgresql_where=text("NOT merged")),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    figure: Mapped[str] = mapped_column(String(8))
    key_id: Mapped[int | None] = mapped_column(Integer)
    key_text: Mapped[str | None] = mapped_column(String(20))
    day: Mapped[date | None] = mapped_column(Date)
    flag: Mapped[int] = mapped_column(Integer, default=0)
    n: Mapped[int] = mapped_column(Integer)
    merged: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


@event.listens_for(db.metadata, "after_create")
def _dashboard_rollup_triggers(target, connection, tables=(), **kw) -> None:
    """The rollup's triggers, made with the schema by create_all (tests, benches); a deployment gets
    them, and the counts of its existing rows, from migration 0025_dashroll."""
    from . import dashboard_rollup

    if dashboard_rollup.TABLE not in {t.name for t in tables}:
        return
    for statement in dashboard_rollup.create_statements(connection.dialect.name):
        connection.execute(text(statement))


# ---- Document search: search_text kept current, and its trigram index ----
_SEARCHED_ATTRIBUTES = ("title", "doc_number", "body_html")


def _search_index_ddl() -> None:
    """The trigram index of search_text (webapp/fulltext.py), made with the table in
    tests and by migration 0008_input in a deployment."""
    from . import fulltext

    table = Document.__table__
    for statement in fulltext.SQLITE_INDEX_SQL:
        event.listen(table, "after_create", db.DDL(statement).execute_if(dialect="sqlite"))
    for statement in fulltext.SQLITE_DROP_SQL:
        event.listen(table, "before_drop", db.DDL(statement).execute_if(dialect="sqlite"))
    for statement in (fulltext.POSTGRESQL_EXTENSION_SQL, fulltext.POSTGRESQL_INDEX_SQL):
        event.listen(table, "after_create", db.DDL(statement).execute_if(dialect="postgresql"))


_search_index_ddl()


@event.listens_for(Session, "before_flush")
def _refresh_search_text(session, flush_context, instances):  # noqa: ARG001
    """Whatever code changes a document's title, 文号 or body, its search text follows."""
    from sqlalchemy import inspect

    from .fulltext import document_search_text

    for obj in (*session.new, *session.dirty):
        if not isinstance(obj, Document):
            continue
        state = inspect(obj)
        if obj in session.new or any(state.attrs[a].history.has_changes() for a in _SEARCHED_ATTRIBUTES):
            obj.search_text = document_search_text(obj.title, obj.doc_number, obj.body_html)


# --------------------------------------------------------------------------- approval (issue 10)

# A queue sorted by urgency (特急, 加急, then oldest waiting first): its own index, in that order.
Index("ix_documents_queue_urgent", Document.stage, Document.urgency.desc(), Document.stage_entered_at, Document.id)


class Countersign(db.Model):
    """One 会签 department of a document.  Its agreement counts for the submission it was
    given in (`agreed_round` = the document's submission_round then); a resubmission also
    clears it, so a row waiting for its department is exactly one with `agreed_at` unset —
    what a head's queue reads, through a partial index that holds only those rows (finished
    documents' agreed rows never slow it down).  Each opinion is also in the audit log."""

    __tablename__ = "countersigns"
    __table_args__ = (
        UniqueConstraint("document_id", "department_id", name="uq_countersigns_document_department"),
        Index("ix_countersigns_department", "department_id", "document_id"),
        Index("ix_countersigns_pending", "department_id", "document_id",
              sqlite_where=text("agreed_at IS NULL"), postgresql_where=text("agreed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    agreed_round: Mapped[int | None] = mapped_column(Integer)
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opinion: Mapped[str] = mapped_column(Text, default="")

    document: Mapped[Document] = relationship(back_populates="countersigns")
    department: Mapped[Department] = relationship(lazy="joined")
    agreed_by: Mapped[User | None] = relationship(foreign_keys=[agreed_by_id])

    def agreed_in(self, submission_round: int) -> bool:
        return self.agreed_round is not None and self.agreed_round == submission_round


class OpinionPhrase(db.Model):
    """A user's own saved opinion (常用意见), offered beside the step's default."""

    __tablename__ = "opinion_phrases"
    __table_args__ = (UniqueConstraint("user_id", "text", name="uq_opinion_phrases_user_text"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# --- catalogue (issue 15): the 标准目录 models live in their own module
# ---- Citizens' disclosure applications (issue 9): their own module ----
from .models_applications import (  # noqa: E402,F401
    Application,
    ApplicationDeidFinding,
    ApplicationEvent,
    ApplicationFile,
    ApplicationProvided,
    ApplicationProvidedAttachment,
)
from .models_catalogue import (  # noqa: E402, F401
    CatalogueChange,
    CatalogueImport,
    CatalogueItem,
    CataloguePublication,
    ChannelRecord,
)

# ---- Reminders (issue 12): their own module ----
from .models_reminders import Reminder  # noqa: E402, F401

# ---- The annual report (issue 12): its own module ----
from .models_report import AnnualReport, AnnualReportEntry  # noqa: E402, F401

# ---- Transfers and 归档 (issue 11): models in their own module ----
from .models_transfers import (  # noqa: E402, F401
    ArchiveCounter,
    ArchiveSettings,
    Filing,
    SelfReview,
    TransferBatch,
    TransferDestination,
    TransferFile,
    TransferItem,
    ValidityDecision,
)
