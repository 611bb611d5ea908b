"""Assembling the official document (公文) from a document row, for the .docx writer
and the layout preview: the issued internal copy, the public copy after
de-identification, and the 政策解读 beside it.  No transaction, no audit: the
issuing and de-identification services call these inside their own moves.
"""

from __future__ import annotations

from datetime import date

from ..docgen import AttachmentPage, DocxImportError, InterpretationDocument, OfficialDocument, docx_to_body_html
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


def attachment_pages(doc: Document, kind: str = "attachment",
                     titles: list[str] | None = None) -> tuple[AttachmentPage, ...]:
    """The 附件 pages after the body (GB/T 9704 7.3.8): one per attached file, in the order
    attached, titled by the matching 附件说明 line (else the file's name).  An attached .docx
    is carried in full; any other file gets a page saying where it is.  ``kind`` is
    "public_attachment" for the public copy, so only the masked attachments (stored under their
    reviewed names) go there, with ``titles`` the reviewed 附件说明 (deid_review.public_copy)."""
    from . import files

    originals = {o.id: n for n, o in enumerate(files.files_of(doc.id, "attachment"))}
    return pages_of(doc.attachments if titles is None else titles, [(originals.get(f.source_id, i), f.filename, f.data)  # a public copy: its
                                      for i, f in enumerate(files.files_of(doc.id, kind))])  # original's place


def pages_of(titles: list[str], copies: list[tuple[int, str, bytes]]) -> tuple[AttachmentPage, ...]:
    """Pages for (place among the 附件, file name, content), titled by the 附件说明 line at that
    place (a withheld file leaves a gap); a reply's reviewed copies use it with masked titles."""
    pages = []
    for i, filename, data in copies:
        title = titles[i] if i < len(titles) else filename.rsplit(".", 1)[0]
        body = ""
        if filename.lower().endswith(".docx"):
            try:
                body = docx_to_body_html(data)
            except DocxImportError:
                body = ""  # the page then names the file instead
        pages.append(AttachmentPage(title=title, body_html=body, file_name=filename))
    return tuple(pages)


def official_document(doc: Document, code: IssuingCode, number: str, written: date, printed: date,
                      cc: str, body_html: str, title: str | None = None,
                      attachment_kind: str = "attachment", attachment_titles: list[str] | None = None,
                      pages: tuple[AttachmentPage, ...] | None = None) -> OfficialDocument:
    """``attachment_titles``: a copy's own (reviewed) 附件说明 instead of the document's, listed and
    titling the pages of its ``attachment_kind`` files; ``pages``: a copy's own 附件 pages (a reply's
    reviewed copy, services.applications_provided)."""
    return OfficialDocument(
        issuer_mark=code.issuer_mark, doc_number=number, title=title or doc.title, recipients=doc.recipients,
        body_html=body_html, attachments=tuple(doc.attachments if attachment_titles is None else attachment_titles),
        signer=code.signer, written_date=written, disclosure=doc.disclosure_enum, printing_office=code.printing_office,
        print_date=printed, cc=cc, **header_fields(doc),
        attachment_pages=attachment_pages(doc, attachment_kind, attachment_titles) if pages is None else pages)


def interpretation_document(doc: Document, code: IssuingCode, number: str, written: date, printed: date,
                            title: str | None = None, body_html: str | None = None) -> InterpretationDocument:
    """The 政策解读 as its own plain document (not a 红头文件), naming the policy it explains and its 文号."""
    title = title or doc.title
    return InterpretationDocument(
        title=f"《{title}》政策解读", policy_title=title, policy_number=number,
        body_html=doc.interpretation_html if body_html is None else body_html,
        signer=code.signer, written_date=written)
