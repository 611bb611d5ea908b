"""Files kept in the database with their sha256 and size."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from .. import attachments, filenames
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
    "archive_package": "归档文件包（正本、定稿、处理单、审计记录）",  # issue 11
    "processing_sheet": "发文稿纸（.docx）",
}
# Kinds of which a document holds several (the others are replaced when made again).
MULTIPLE = {"draft_upload", "attachment", "public_attachment"}


def store(document: Document, kind: str, filename: str, data: bytes, by: User | None,
          content_type: str = DOCX, source_id: int | None = None) -> StoredFile:
    """Add a file in the caller's transaction; a file of a single kind is replaced.
    The name kept is the safe display name (webapp.filenames), whoever chose it."""
    assert kind in FILE_KINDS, kind
    filename = filenames.safe_filename(filename, default="文件")
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


def download_extension(f: StoredFile) -> str:
    """The extension a download of *f* carries: its own when it names the stored type,
    otherwise the one of the stored content type ("" when unknown)."""
    own = filenames.extension(f.filename)
    known = attachments.ALLOWED.get(own)
    if known is not None and known.content_type == f.content_type:
        return own
    return attachments.EXTENSION_FOR_TYPE.get(f.content_type, "")


def content_disposition(f: StoredFile) -> str:
    """The download header: an ASCII name with the file's real extension, and the
    display name in UTF-8 (RFC 5987)."""
    return filenames.content_disposition(f.filename, f"document-{f.document_id}-{f.id}", download_extension(f))
