"""Files kept in the database with their sha256 and size."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from ..extensions import db
from ..models import Document, StoredFile, User

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FILE_KINDS = {
    "draft_upload": "起草人上传的 Word 草稿",
    "official": "正式文件（.docx）",
    "interpretation": "政策解读（.docx）",
    "public": "公开版（.docx，已去标识化）",
    "public_interpretation": "政策解读公开版（.docx，已去标识化）",
    "attachment": "附件",
    "public_attachment": "附件公开版（已去标识化）",
    "processing_sheet": "发文稿纸（.docx）",
}
# Kinds of which a document holds several (the others are replaced when made again).
MULTIPLE = {"draft_upload", "attachment", "public_attachment"}


def store(document: Document, kind: str, filename: str, data: bytes, by: User | None,
          content_type: str = DOCX, source_id: int | None = None) -> StoredFile:
    """Add a file in the caller's transaction; a file of a single kind is replaced."""
    assert kind in FILE_KINDS, kind
    if kind not in MULTIPLE:
        for old in files_of(document.id, kind):
            db.session.delete(old)
    f = StoredFile(document_id=document.id, kind=kind, filename=filename, content_type=content_type,
                   size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data,
                   created_by_id=by.id if by is not None else None, source_id=source_id)
    db.session.add(f)
    db.session.flush()
    return f


def files_of(document_id: int, kind: str | None = None) -> list[StoredFile]:
    query = select(StoredFile).where(StoredFile.document_id == document_id)
    if kind:
        query = query.where(StoredFile.kind == kind)
    return list(db.session.execute(query.order_by(StoredFile.id)).scalars())


def latest(document_id: int, kind: str) -> StoredFile | None:
    found = files_of(document_id, kind)
    return found[-1] if found else None
