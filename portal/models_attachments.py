"""附件 on the portal: the public (de-identified) copies of a policy's attachments, as pushed.

Kept in the database with their sha256 and size, like the .docx (models.ItemFile); replaced as a
whole by every push of the policy, listed on its page and downloaded from
/xxgk/<机构代码>/<年份-流水号>_fj<n><扩展名> (portal/attachments.py).
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db


class ItemAttachment(db.Model):
    __tablename__ = "item_attachments"
    __table_args__ = (UniqueConstraint("item_id", "position", name="uq_item_attachments_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # 1, 2, … as the 附件说明 numbers them
    filename: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200), default="")
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
