"""A document page rendered once, when its rows were written (migration 0008_portal_rendered).

One row per item (policy or 解读): the page body and what it was rendered from — the ETag seed
(ids, versions, statuses and last changes of the item and its public counterpart), the render
tag (templates, stylesheet and the site settings shown on every page), the script root its links
were written under, and the agency date from which it must be rendered again (NULL: nothing on
it depends on the date).  The document request reads these with the stamps in one statement
and serves the body only when all four still match (portal/rendering.py).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db


class RenderedPage(db.Model):
    __tablename__ = "rendered_pages"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    seed: Mapped[str] = mapped_column(String(200))
    tag: Mapped[str] = mapped_column(String(40))
    script_root: Mapped[str] = mapped_column(String(200), default="")
    fresh_until: Mapped[date | None] = mapped_column(Date)
    body: Mapped[bytes] = mapped_column(LargeBinary)
