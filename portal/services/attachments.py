"""Storing a policy's 附件 (the public copies pushed with it), in the push's transaction."""

from __future__ import annotations

from sqlalchemy import select

from gkt_protocol.payload import AttachmentFile

from ..extensions import db
from ..models import Item
from ..models_attachments import ItemAttachment


def store_attachments(item: Item, files: tuple[AttachmentFile, ...]) -> None:
    """The policy's attachments become exactly `files`, in order (in the caller's transaction)."""
    current = {a.position: a for a in db.session.execute(
        select(ItemAttachment).where(ItemAttachment.item_id == item.id)).scalars()}
    for position, f in enumerate(files, 1):
        row = current.pop(position, None)
        if row is None:
            row = ItemAttachment(item_id=item.id, position=position)
            db.session.add(row)
        if row.sha256 != f.sha256:
            row.content = f.content
        row.filename, row.title, row.sha256, row.size = f.filename, f.title, f.sha256, len(f.content)
        row.content_type = f.content_type
    for row in current.values():
        db.session.delete(row)
