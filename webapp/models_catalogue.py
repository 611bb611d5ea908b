"""The standard catalogue of disclosure items (标准目录, issue 15): the tree, its versions, and
uploaded spreadsheets waiting to be applied.  Rules are in webapp/catalogue.py; changes only
through webapp/services/catalogue.py."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .catalogue import ELEMENTS, TimeLimit, parse_time_limit
from .extensions import db
from .models import User, UTCDateTime, utcnow


class CatalogueItem(db.Model):
    """One item: first level (parent None, with its 领域) or second level (under a first-level
    item), with every element seed 000 lists.  `version` grows with every change; the change
    rows keep each version's elements, so a document filed under version 3 can be shown it."""

    __tablename__ = "catalogue_items"
    __table_args__ = (
        UniqueConstraint("domain", "parent_id", "name", name="uq_catalogue_items_place"),
        Index("ix_catalogue_items_parent", "parent_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("catalogue_items.id"))
    domain: Mapped[str] = mapped_column(String(30))  # 领域: 安全生产, 救灾, …
    name: Mapped[str] = mapped_column(String(100))  # 公开事项名称
    position: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[str] = mapped_column(Text, default="")  # 公开内容（要素）
    basis: Mapped[str] = mapped_column(Text, default="")  # 公开依据
    time_limit: Mapped[str] = mapped_column(String(100), default="")  # 公开时限, as written
    subject: Mapped[str] = mapped_column(String(200), default="")  # 公开主体
    channels: Mapped[str] = mapped_column(String(300), default="")  # 公开渠道和载体
    audience: Mapped[str] = mapped_column(String(20), default="")  # 公开对象
    mode: Mapped[str] = mapped_column(String(20), default="")  # 公开方式
    level: Mapped[str] = mapped_column(String(20), default="")  # 公开层级
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    parent: Mapped[CatalogueItem | None] = relationship(remote_side=[id])

    @property
    def is_first_level(self) -> bool:
        return self.parent_id is None

    @property
    def rule(self) -> TimeLimit:
        return parse_time_limit(self.time_limit)

    @property
    def path(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent else self.name

    def elements(self) -> dict[str, str]:
        return {a: getattr(self, a) or "" for a in ELEMENTS}


class CatalogueChange(db.Model):
    """One version of one item: who changed it, when, how (create | edit | import | retire), and
    its elements after the change (and before, for the diff)."""

    __tablename__ = "catalogue_changes"
    __table_args__ = (Index("ix_catalogue_changes_item", "item_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_items.id"))
    version: Mapped[int] = mapped_column(Integer)
    how: Mapped[str] = mapped_column(String(10))
    before_json: Mapped[str] = mapped_column(Text, default="{}")
    after_json: Mapped[str] = mapped_column(Text, default="{}")
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    changed_by: Mapped[User | None] = relationship()

    @property
    def before(self) -> dict:
        return json.loads(self.before_json or "{}")

    @property
    def after(self) -> dict:
        return json.loads(self.after_json or "{}")


class CatalogueImport(db.Model):
    """An uploaded spreadsheet between its preview and its application: the file itself (in the
    database, like every file) and the last catalogue change it was compared with, so applying
    it after someone else changed the catalogue is refused and previewed again."""

    __tablename__ = "catalogue_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    base_change_id: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(10), default="preview")  # preview | applied
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ChannelRecord(db.Model):
    """Publication of a document on a channel besides the portal (issue 15): a 公开栏 posting with
    its place and dates, a 政务新媒体 post with its account and link, …  With the portal's own
    record (publications) this answers "where and when did this go out" for one document."""

    __tablename__ = "channel_records"
    __table_args__ = (Index("ix_channel_records_document", "document_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    channel: Mapped[str] = mapped_column(String(20))  # one of catalogue.CHANNELS
    place: Mapped[str] = mapped_column(String(200), default="")  # 公开栏: where it is posted
    account: Mapped[str] = mapped_column(String(100), default="")  # 政务新媒体: the account
    link: Mapped[str] = mapped_column(String(500), default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    recorded_by: Mapped[User | None] = relationship()


class CataloguePublication(db.Model):
    """One publication of the catalogue to the portal (issue 15, seed 000 "在政府网站公开目录"): the
    version sent, the catalogue change it was taken at (to show "changed since published"), who
    published it and the outbox message that carries it."""

    __tablename__ = "catalogue_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    base_change_id: Mapped[int] = mapped_column(Integer, default=0)
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"))

    published_by: Mapped[User | None] = relationship()
