"""Finding personal data in a document's public fields (R8), apart from the review.

Issuing runs the scan when a 主动公开 document enters de-identification; the
publisher's review (deid_review) reads the same fields.  Both import this module,
and neither imports the other.
"""

from __future__ import annotations

from .. import attachments
from ..extensions import db
from ..models import DeidFinding, Document, utcnow
from ..publiccopy import find_in_fields, scan_html
from . import files

ATTACHMENT_TITLES = "attachments_text"  # the 附件说明 lines, "\n"-joined


def name_field(file_id: int) -> str:
    """The field of an attachment's file name."""
    return f"name:{file_id}"


def review_fields(doc: Document) -> dict[str, str]:
    """The scan text of each field the public will see: title, body, interpretation, 关键词, 内容概述,
    the 附件说明 lines (ATTACHMENT_TITLES: the public .docx lists them and titles each 附件 page
    with them, the portal lists each file under its line), each attachment's file name (field
    "name:<file id>": the portal's list and download, the .docx's page of a file it cannot show)
    and the text of every .docx/.xlsx attachment (field "attachment:<file id>").  The public copy
    (deid_review.public_copy) is built from exactly these fields and nothing else."""
    fields = {"title": doc.title, "body": scan_html(doc.body_html).text}
    if doc.needs_interpretation and doc.interpretation_html:
        fields["interpretation"] = scan_html(doc.interpretation_html).text
    if doc.keywords:  # 关键词 and 内容概述 go to the portal too (issue 8)
        fields["keywords"] = doc.keywords
    if doc.summary:
        fields["summary"] = doc.summary
    if doc.attachments:
        fields[ATTACHMENT_TITLES] = "\n".join(doc.attachments)
    for f in files.files_of(doc.id, "attachment"):
        fields[name_field(f.id)] = f.filename
        scanned = attachments.scan(f.filename, f.data)
        if scanned is not None:
            fields[f"attachment:{f.id}"] = scanned.text
    return fields


def scan_document(doc: Document) -> dict[str, int]:
    """Run the engine over the document's public fields, in the caller's transaction
    (the issuing move, when a 主动公开 document enters de-identification).  Returns counts by kind."""
    counts: dict[str, int] = {}
    for f in find_in_fields(review_fields(doc)):
        db.session.add(DeidFinding(document_id=doc.id, field=f.field, kind=f.kind, start=f.start, end=f.end,
                                   text=f.text, score=f.score, reason=f.reason[:200], source="engine"))
        counts[f.kind] = counts.get(f.kind, 0) + 1
    doc.deid_scanned_at = utcnow()
    return counts


def scan_again(doc: Document, findings: list[DeidFinding]) -> dict[str, int]:
    """Run the engine again (a withdrawn document's correction): add what it finds now that no
    existing finding covers, undecided, so the publisher must decide it before confirming.
    Earlier findings and their decisions stay as they are.  Returns counts by kind of the new ones."""
    taken: dict[str, list[tuple[int, int]]] = {}
    for f in findings:
        taken.setdefault(f.field, []).append((f.start, f.end))
    counts: dict[str, int] = {}
    for f in find_in_fields(review_fields(doc)):
        spans = taken.setdefault(f.field, [])
        if any(f.start < e and s < f.end for s, e in spans):
            continue
        db.session.add(DeidFinding(document_id=doc.id, field=f.field, kind=f.kind, start=f.start, end=f.end,
                                   text=f.text, score=f.score, reason=f.reason[:200], source="engine"))
        spans.append((f.start, f.end))
        counts[f.kind] = counts.get(f.kind, 0) + 1
    doc.deid_scanned_at = utcnow()
    return counts
