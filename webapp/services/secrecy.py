"""The secrecy office's conclusion "涉及国家秘密": the document leaves this system.

This intranet is not a classified network.  When the secrecy review concludes that a
document involves state secrets, its content is purged from the database — body,
interpretation, recipients, reasons, files, findings — keeping only its title, its
number (if any) and the decision (the search text follows: models._refresh_search_text
rebuilds it from what is left); the drafter is told to handle it in the classified
system.  The audit log keeps the decision (it is append-only: earlier entries stay).
Runs inside the chain's move, in its transaction.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from ..extensions import db
from ..models import DeidFinding, Document, StoredFile, User
from ..workflow import Stage

CLASSIFIED_NOTICE = ("经保密审查，该文件涉及国家秘密，已移出本系统，正文、附件等内容已从本系统删除。"
                     "请起草人按保密规定在涉密信息系统中办理。")

# Text fields emptied; the title, 文号 and the chain's record stay.
PURGED_FIELDS = ("body_html", "interpretation_html", "attachments_text", "recipients", "disclosure_reason",
                 "proposal_reason", "cc", "topic_category", "catalogue_mismatch_reason")
PURGED_NULLABLE = ("public_body_html", "public_title", "public_interpretation_html", "proposed_disclosure")


def purge_content(doc: Document) -> dict:
    """Empty the document's content in the caller's transaction; returns what was removed."""
    files = db.session.execute(select(func.count()).select_from(StoredFile)
                               .where(StoredFile.document_id == doc.id)).scalar_one()
    db.session.execute(delete(DeidFinding).where(DeidFinding.document_id == doc.id))
    # public copies point at their source file: unlink them first, whatever order the database deletes in
    db.session.execute(update(StoredFile).where(StoredFile.document_id == doc.id).values(source_id=None))
    db.session.execute(delete(StoredFile).where(StoredFile.document_id == doc.id))
    for name in PURGED_FIELDS:
        setattr(doc, name, "")
    for name in PURGED_NULLABLE:
        setattr(doc, name, None)
    doc.legal_basis_codes = []
    doc.needs_interpretation = False
    return {"purged_fields": list(PURGED_FIELDS), "files_removed": files}


def classified_of(drafter: User, limit: int = 20) -> list[Document]:
    """The drafter's documents concluded 涉及国家秘密: they are told to use the classified system."""
    return list(db.session.execute(
        select(Document).where(Document.drafter_id == drafter.id, Document.stage == Stage.CLASSIFIED.value)
        .order_by(Document.updated_at.desc()).limit(limit)).scalars())
