"""Assembling the official document (公文) from a document row, for the .docx writer
and the layout preview: the issued internal copy, the public copy after
de-identification, and the 政策解读 beside it.  No transaction, no audit: the
issuing and de-identification services call these inside their own moves.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from markupsafe import escape

from ..docgen import OfficialDocument
from ..models import Document, IssuingCode
from ..urgency import Urgency
from ..workflow import UPWARD_DOC_TYPES


def header_fields(doc: Document) -> dict:
    """The 版头 items the approval sets (GB/T 9704 7.2.3, 7.2.6): 紧急程度 from drafting, and
    for 请示 and 报告 (上行文) the 签发人 — the leader who signed."""
    out: dict = {"urgency": Urgency(doc.urgency or 0).mark}
    if doc.doc_type in UPWARD_DOC_TYPES and doc.signed_by_name:
        out["issuing_signers"] = (doc.signed_by_name,)
    return out


# The writer on branch `docgen` prints these (OfficialDocument.urgency, .issuing_signers);
# until it is merged, fields it does not know are left out rather than refused.
_WRITER_FIELDS = frozenset(f.name for f in fields(OfficialDocument))


def _header(doc: Document) -> dict:
    return {k: v for k, v in header_fields(doc).items() if k in _WRITER_FIELDS}


def official_document(doc: Document, code: IssuingCode, number: str, written: date, printed: date,
                      cc: str, body_html: str, title: str | None = None) -> OfficialDocument:
    return OfficialDocument(
        issuer_mark=code.issuer_mark, doc_number=number, title=title or doc.title, recipients=doc.recipients,
        body_html=body_html, attachments=tuple(doc.attachments), signer=code.signer,
        written_date=written, disclosure=doc.disclosure_enum, printing_office=code.printing_office,
        print_date=printed, cc=cc, **_header(doc))


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
