"""Assembling the official document (公文) from a document row, for the .docx writer
and the layout preview: the issued internal copy, the public copy after
de-identification, and the 政策解读 beside it.  No transaction, no audit: the
issuing and de-identification services call these inside their own moves.
"""

from __future__ import annotations

from datetime import date

from markupsafe import escape

from ..docgen import OfficialDocument
from ..models import Document, IssuingCode


def official_document(doc: Document, code: IssuingCode, number: str, written: date, printed: date,
                      cc: str, body_html: str, title: str | None = None) -> OfficialDocument:
    return OfficialDocument(
        issuer_mark=code.issuer_mark, doc_number=number, title=title or doc.title, recipients=doc.recipients,
        body_html=body_html, attachments=tuple(doc.attachments), signer=code.signer,
        written_date=written, disclosure=doc.disclosure_enum, printing_office=code.printing_office,
        print_date=printed, cc=cc)


def interpretation_document(doc: Document, code: IssuingCode, number: str, written: date, printed: date,
                            title: str | None = None, body_html: str | None = None) -> OfficialDocument:
    """The 政策解读 as its own document, naming the policy it explains (linked both ways)."""
    title = title or doc.title
    link = f"<p>本解读对应文件：《{escape(title)}》（{escape(number)}）。</p>"
    return OfficialDocument(
        issuer_mark=code.issuer_mark, doc_number="", title=f"《{title}》政策解读", recipients="",
        body_html=link + (doc.interpretation_html if body_html is None else body_html), attachments=(),
        signer=code.signer, written_date=written,
        disclosure=doc.disclosure_enum, printing_office=code.printing_office, print_date=printed)
