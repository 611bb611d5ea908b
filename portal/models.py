"""What the portal stores: only what was pushed to it (the public, de-identified copy).

`items` holds policy documents and their interpretations (解读), one row each, linked by
`policy_id`; the search index lives beside it (portal/search) and is not an ORM table.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

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
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from .clock import utcnow
from .extensions import db

POLICY = "policy"
INTERPRETATION = "interpretation"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"


class UTCDateTime(db.TypeDecorator):
    """Timezone-aware UTC in Python, naive UTC in the database (the same on SQLite and PostgreSQL)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=UTC) if value is not None else None


class Item(db.Model):
    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("index_no", "kind", name="uq_items_index_no_kind"),
        Index("ix_items_catalogue", "kind", "status", "published_at", "id"),
        Index("ix_items_topic", "kind", "status", "topic", "published_at", "id"),
        Index("ix_items_publisher", "kind", "status", "publisher", "published_at", "id"),
        Index("ix_items_updated", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # policy | interpretation
    index_no: Mapped[str] = mapped_column(String(40))  # 索引号 (the 解读 shares its policy's)
    policy_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), unique=True)
    # On a policy: its public 解读, or None.  Kept here so a page of the catalogue needs no lookup
    # (most policies have none, and an index full of NULLs misleads SQLite's planner).
    interpretation_id: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    doc_number: Mapped[str] = mapped_column(String(60), default="")  # 文号
    topic: Mapped[str] = mapped_column(String(40), default="")  # 主题分类, first level
    subtopic: Mapped[str] = mapped_column(String(40), default="")  # second level
    publisher: Mapped[str] = mapped_column(String(100), default="")  # 发布机构
    written_date: Mapped[date | None] = mapped_column(Date)  # 成文日期
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())  # 发布日期
    year: Mapped[int] = mapped_column(Integer)  # 发布日期's year in Beijing (the filter uses a date range)
    validity: Mapped[str] = mapped_column(String(10), default="valid")  # valid | revised | expired | repealed
    validity_changed_on: Mapped[date | None] = mapped_column(Date)
    # 行政规范性文件 (R11, migration 0003_portal_validity): the period and the latest clean-up decision
    normative: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    effective_from: Mapped[date | None] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    cleanup_decision: Mapped[str | None] = mapped_column(String(10))  # gkt_protocol.CLEANUP_LABELS
    cleanup_decided_on: Mapped[date | None] = mapped_column(Date)
    keywords: Mapped[str] = mapped_column(String(300), default="")  # "、"-joined
    summary: Mapped[str] = mapped_column(String(300), default="")
    body_html: Mapped[str] = mapped_column(Text, default="", deferred=True)  # the page
    body_text: Mapped[str] = mapped_column(Text, default="", deferred=True)  # snippets and the feed
    docx_filename: Mapped[str | None] = mapped_column(String(120))
    docx_sha256: Mapped[str | None] = mapped_column(String(64))
    docx_size: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(12), default=PUBLISHED)  # published | withdrawn
    notice: Mapped[str] = mapped_column(Text, default="")  # the public withdrawal notice
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A column the item is also filed under besides the catalogue: "annual_report" = 政府信息公开年报
    site_column: Mapped[str] = mapped_column(String(20), default="", server_default="")

    @property
    def is_public(self) -> bool:
        return self.status == PUBLISHED

    @property
    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.split("、") if k]


class CatalogueVersion(db.Model):
    """One row: raised by triggers at the commit of every change to `items` or `publishers`
    (migration 0009_portal_catalogue_version); the key of the catalogue list's page cache."""

    __tablename__ = "catalogue_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class ItemFile(db.Model):
    """The public .docx of an item, kept in the database with its sha256 (see Item.docx_sha256)."""

    __tablename__ = "item_files"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Publisher(db.Model):
    """Every 发布机构 seen, for the catalogue's filter (a small table; no DISTINCT over items)."""

    __tablename__ = "publishers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class SeenSignature(db.Model):
    """Signatures of accepted requests, kept until they could no longer pass the clock check."""

    __tablename__ = "seen_signatures"

    signature: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ReceiptEvent(db.Model):
    """What the portal received and did: push, withdraw, stale (refused as older than stored)."""

    __tablename__ = "receipt_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    index_no: Mapped[str] = mapped_column(String(40), index=True)
    action: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# ---- Online disclosure applications (issue 9): submitted here, pulled by the intranet ----

class PortalApplication(db.Model):
    """An application submitted on the portal.  The intranet pulls it (signed), registers it and
    pushes its status and reply back; the applicant reads them behind their 查询码 (only its hash
    is kept).  The applicant's personal data is shown to nobody here."""

    __tablename__ = "portal_applications"
    __table_args__ = (Index("ix_portal_applications_pending", "pulled_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    applicant_type: Mapped[str] = mapped_column(String(20))
    applicant_name: Mapped[str] = mapped_column(String(100))
    id_doc_type: Mapped[str] = mapped_column(String(30), default="")
    id_doc_number: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    contact_email: Mapped[str] = mapped_column(String(100), default="")
    contact_address: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text)
    form_wanted: Mapped[str] = mapped_column(String(20), default="electronic")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    pulled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the intranet last told us (version: only a newer status replaces an older one).
    status_version: Mapped[int] = mapped_column(Integer, default=0)
    status_label: Mapped[str] = mapped_column(String(60), default="已提交，等待受理")
    reference: Mapped[str] = mapped_column(String(40), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    replied_on: Mapped[date | None] = mapped_column(Date)
    reply_filename: Mapped[str | None] = mapped_column(String(120))
    reply_docx: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PortalApplicationFile(db.Model):
    """A document the reply provides — its public copy as the intranet sent it — shown to the
    applicant behind their 查询码 only."""

    __tablename__ = "portal_application_files"
    __table_args__ = (Index("ix_portal_application_files_application", "application_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("portal_applications.id"))
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class CaptchaUse(db.Model):
    """A CAPTCHA answer token already used (each works once), kept until it expires."""

    __tablename__ = "captcha_uses"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


# ---- The standard catalogue (issue 15): models in their own module ----
from .models_catalogue import CatalogueEdition, CatalogueEntry, CatalogueLink  # noqa: E402, F401
