"""Assembling the official document (公文) from a document row, for the .docx writer
and the layout preview: the issued internal copy, the public copy after
de-identification, and the 政策解读 beside it.  No transaction, no audit: the
issuing and de-identification services call these inside their own moves.
"""

from __future__ import annotations

from datetime import date

from ..docgen import InterpretationDocument, OfficialDocument
from ..models import Document, IssuingCode


def official_document(doc: Document, code: IssuingCode, number: str, written: date, printed: date,
                      cc: str, body_html: str, title: str | None = None) -> OfficialDocument:
    return OfficialDocument(
        issuer_mark=code.issuer_mark, doc_number=number, title=title or doc.title, recipients=doc.recipients,
        body_html=body_html, attachments=tuple(doc.attachments), signer=code.signer,
        written_date=written, disclosure=doc.disclosure_enum, printing_office=code.printing_office,
        print_date=printed, cc=cc)


def interpretation_document(doc: Document, code: IssuingCode, number: str, written: date, printed: date,
                            title: str | None = None, body_html: str | None = None) -> InterpretationDocument:
    """The 政策解读 as its own plain document (not a 红头文件), naming the policy it explains and its 文号."""
    title = title or doc.title
    return InterpretationDocument(
        title=f"《{title}》政策解读", policy_title=title, policy_number=number,
        body_html=doc.interpretation_html if body_html is None else body_html,
        signer=code.signer, written_date=written)
