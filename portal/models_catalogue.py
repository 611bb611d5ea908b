"""The standard catalogue on the portal (政务公开事项标准目录, issue 15).

- `CatalogueEdition`: each version of the catalogue received (POST /api/catalogue); the newest is shown.
- `CatalogueEntry`: the items of the newest edition, keyed by the intranet's stable item id, with
  every element seed 000 lists.  Replaced as a whole by a newer edition, in one transaction.
- `CatalogueLink`: the 目录事项 a pushed policy is filed under (from its push), with the names it
  was pushed with and its 发布日期, so an item's page reads one index range in order.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .clock import utcnow
from .extensions import db
from .models import UTCDateTime


class CatalogueEdition(db.Model):
    __tablename__ = "catalogue_editions"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    publisher: Mapped[str] = mapped_column(String(100))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    item_count: Mapped[int] = mapped_column(Integer, default=0)


class CatalogueEntry(db.Model):
    __tablename__ = "catalogue_entries"
    __table_args__ = (Index("ix_catalogue_entries_parent", "parent_id", "position"),)

    item_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    parent_id: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    domain: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text, default="")  # 公开内容（要素）
    basis: Mapped[str] = mapped_column(Text, default="")  # 公开依据
    time_limit: Mapped[str] = mapped_column(String(100), default="")  # 公开时限
    subject: Mapped[str] = mapped_column(String(200), default="")  # 公开主体
    channels: Mapped[str] = mapped_column(String(300), default="")  # 公开渠道和载体
    audience: Mapped[str] = mapped_column(String(20), default="")  # 公开对象
    mode: Mapped[str] = mapped_column(String(20), default="")  # 公开方式
    level: Mapped[str] = mapped_column(String(20), default="")  # 公开层级

    @property
    def has_elements(self) -> bool:
        return any((self.content, self.basis, self.time_limit, self.subject, self.channels, self.audience,
                    self.mode, self.level))


class CatalogueLink(db.Model):
    __tablename__ = "catalogue_links"
    __table_args__ = (Index("ix_catalogue_links_item", "catalogue_item_id", "published_at", "item_id"),)

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    catalogue_item_id: Mapped[int] = mapped_column(Integer)
    domain: Mapped[str] = mapped_column(String(30))
    first_level: Mapped[str] = mapped_column(String(100))
    second_level: Mapped[str] = mapped_column(String(100), default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
