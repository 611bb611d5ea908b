"""Models of issue 11 (archive staff): transfer destinations, batches and their items and files,
the receipt; 归档 with its DA/T 22 档号.  Imported by models.py (kept apart so the parallel
edits of models.py stay small)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .models import Document, User, UTCDateTime, utcnow

DESTINATION_KINDS = {
    "reading_room": "信息公开查阅场所",
    "archives": "档案馆",
    "library": "公共图书馆",
}
MEDIA = {"paper": "纸质", "electronic": "电子", "both": "纸质、电子"}


class TransferDestination(db.Model):
    """Where published documents are delivered (R9), set up by the admin: its contact and how
    often it is due a delivery (the library and the archives typically twice a month)."""

    __tablename__ = "transfer_destinations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # DESTINATION_KINDS
    name: Mapped[str] = mapped_column(String(100), unique=True)
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    period_days: Mapped[int] = mapped_column(Integer, default=15)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def kind_label(self) -> str:
        return DESTINATION_KINDS.get(self.kind, self.kind)


class TransferBatch(db.Model):
    """One delivery to one destination: its list, its package, and the hand-over with the signed
    receipt.  The batch is complete only with the receipt."""

    __tablename__ = "transfer_batches"
    __table_args__ = (Index("ix_transfer_batches_destination", "destination_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_no: Mapped[str] = mapped_column(String(40), unique=True)  # e.g. 2026-SD01-003
    destination_id: Mapped[int] = mapped_column(ForeignKey("transfer_destinations.id"))
    medium: Mapped[str] = mapped_column(String(12))  # MEDIA
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The hand-over (交接): who delivered, who received, when; the signed receipt file.
    delivered_by: Mapped[str] = mapped_column(String(50), default="")
    received_by: Mapped[str] = mapped_column(String(50), default="")
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    receipt_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    receipt_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    destination: Mapped[TransferDestination] = relationship(lazy="joined")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    items: Mapped[list[TransferItem]] = relationship(back_populates="batch", order_by="TransferItem.id")

    @property
    def medium_label(self) -> str:
        return MEDIA.get(self.medium, self.medium)

    @property
    def complete(self) -> bool:
        return self.receipt_recorded_at is not None


class TransferItem(db.Model):
    """One document in a batch: delivered (copies, pages), or a withdrawal notice for a document
    delivered earlier and since withdrawn."""

    __tablename__ = "transfer_items"
    __table_args__ = (
        UniqueConstraint("batch_id", "document_id", name="uq_transfer_items_batch_document"),
        Index("ix_transfer_items_document", "document_id", "batch_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("transfer_batches.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    kind: Mapped[str] = mapped_column(String(12), default="deliver")  # deliver | withdrawal
    index_no: Mapped[str] = mapped_column(String(40))
    pages: Mapped[int] = mapped_column(Integer, default=1)
    copies: Mapped[int] = mapped_column(Integer, default=1)
    remark: Mapped[str] = mapped_column(String(200), default="")
    resend_reason: Mapped[str] = mapped_column(Text, default="")

    batch: Mapped[TransferBatch] = relationship(back_populates="items")
    document: Mapped[Document] = relationship()


class TransferFile(db.Model):
    """A batch's files in the database with sha256 and size: the list (.docx, .xlsx), the BagIt
    package (.zip) and the signed receipt (image or PDF)."""

    __tablename__ = "transfer_files"
    __table_args__ = (Index("ix_transfer_files_batch", "batch_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("transfer_batches.id"))
    kind: Mapped[str] = mapped_column(String(20))  # list_docx | list_xlsx | bag | receipt
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ArchiveSettings(db.Model):
    """One row (id 1): the agency's 全宗号 and the defaults of the 档号 (DA/T 22)."""

    __tablename__ = "archive_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    fonds_no: Mapped[str] = mapped_column(String(10), default="")
    org_code: Mapped[str] = mapped_column(String(10), default="")
    default_retention: Mapped[str] = mapped_column(String(4), default="Y")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ArchiveCounter(db.Model):
    """The last 件号 per 全宗号, 年度, 保管期限 and 机构 (locked FOR UPDATE like NumberCounter)."""

    __tablename__ = "archive_counters"

    fonds_no: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    retention: Mapped[str] = mapped_column(String(4), primary_key=True)
    org_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    last_item: Mapped[int] = mapped_column(Integer, default=0)


class Filing(db.Model):
    """归档: an issued document filed with its 档号 (kept for good)."""

    __tablename__ = "filings"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True, autoincrement=False)
    archive_code: Mapped[str] = mapped_column(String(60), unique=True)
    fonds_no: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    retention: Mapped[str] = mapped_column(String(4))
    org_code: Mapped[str] = mapped_column(String(10))
    item_no: Mapped[int] = mapped_column(Integer)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


SELF_REVIEW_STATUS = {
    "kept": "维持原公开属性",
    "awaiting_department": "待起草处室确认",
    "confirmed": "已确认转为主动公开",
    "objected": "起草处室有异议",
}


class SelfReview(db.Model):
    """R10: one document's yearly self-review — the office keeps its attribute or proposes
    主动公开 with reasons; a change waits for the drafting side to confirm or object."""

    __tablename__ = "self_reviews"
    __table_args__ = (UniqueConstraint("year", "document_id", name="uq_self_reviews_year_document"),
                      Index("ix_self_reviews_status", "status", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    original_disclosure: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(String(10))  # keep | change
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(24))  # SELF_REVIEW_STATUS
    response_reason: Mapped[str] = mapped_column(Text, default="")
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    document: Mapped[Document] = relationship()
    decided_by: Mapped[User] = relationship(foreign_keys=[decided_by_id])
    responded_by: Mapped[User | None] = relationship(foreign_keys=[responded_by_id])

    @property
    def status_label(self) -> str:
        return SELF_REVIEW_STATUS.get(self.status, self.status)


class ValidityDecision(db.Model):
    """R11: one clean-up decision (规范性文件清理) on a 行政规范性文件 — 继续有效 with a new end date,
    修订, 废止 or 失效 — with its reason and the day it takes effect.  The document's own columns
    (validity, validity_changed_on, effective_to) hold the result; these rows keep every decision,
    and the latest one is what the portal's 规范性文件清理结果 lists."""

    __tablename__ = "validity_decisions"
    __table_args__ = (Index("ix_validity_decisions_document", "document_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    decision: Mapped[str] = mapped_column(String(10))  # validity.Decision
    reason: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[date] = mapped_column(Date)  # the day it takes effect
    previous_validity: Mapped[str] = mapped_column(String(10))
    previous_effective_to: Mapped[date | None] = mapped_column(Date)
    new_effective_to: Mapped[date | None] = mapped_column(Date)  # 继续有效 only
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    decided_by: Mapped[User] = relationship()
