"""Correcting a withdrawn document's public copy before it is republished (R8, issue 8).

A published document found to hold something it should not (a phone number the publisher
kept, a name the engine missed in an attachment) is withdrawn first: the portal answers 410
at once.  The publisher then opens the correction (withdrawn → 更正公开版, with a note of what
is corrected): the de-identification review is open again with its earlier decisions, and the
engine runs again over the title, the text, the 解读 and the attachments, adding any finding
no earlier one covers.  Confirming (deid_review.confirm, the chain's CONFIRM_DEID from this
stage) writes the corrected public copy — title, HTML, .docx, 关键词, 内容概述, the attachments'
public copies — and returns the document to 已撤回, from where republishing pushes it with the
same 索引号 and URL.  Attachments the engine cannot read (PDF, images) must be checked by eye
again before confirming.  Every step is an audited move or decision.
"""

from __future__ import annotations

from ..models import Document, User
from ..workflow import Action
from . import chain
from .deid_review import eye_check_files, findings_of
from .deid_scan import scan_again
from .errors import Invalid

MAX_NOTE = 2000


def start_correction(document_id: int, publisher: User, expected_version: int, note: str) -> Document:
    """withdrawn → correction: the review opens again; `note` (what is to be corrected) is audited."""
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise Invalid(f"更正说明不能超过 {MAX_NOTE} 字。")

    def apply(doc: Document) -> dict:
        counts = scan_again(doc, findings_of(doc.id))
        by_eye = eye_check_files(doc)
        for f in by_eye:  # what the engine cannot read is looked at again
            f.eye_checked_by_id, f.eye_checked_at = None, None
        return {"new_findings": sum(counts.values()), "by_kind": counts, "eye_checks_reopened": len(by_eye)}

    return chain.move(document_id, publisher, Action.CORRECT, expected_version, note, apply=apply)
