"""The push and withdraw messages (gkt_protocol) built from a document's public copy.

Only what the publisher confirmed goes in: the public title, the public (de-identified) HTML
of the text and of the 解读, and the public .docx files.  The internal body, the internal
title and the original .docx are never read here.  Each message is checked with the
protocol's own parser before it is queued, so the portal's limits are met at the source.
"""

from __future__ import annotations

from datetime import datetime

from gkt_protocol import (
    Cleanup,
    DocxFile,
    Interpretation,
    PayloadError,
    Withdrawal,
    parse_publication,
    parse_withdrawal,
)
from gkt_protocol import Publication as PushMessage
from gkt_protocol.payload import AttachmentFile

from .. import attachments, clock, taxonomy
from ..extensions import db
from ..models import AgencySettings, Document, Publication, ValidityDecision
from ..publiccopy import masked_by_engine
from ..services import catalogue, files

MAX_FILENAME_STEM = 100
FALLBACK_TOPIC = ("其他", "")


def topic_of(doc: Document) -> tuple[str, str]:
    """(一级, 二级) of the document's 主题分类; 其他 when none was chosen."""
    top, sub = taxonomy.split(doc.topic_category or "")
    return (top, sub) if top else FALLBACK_TOPIC


def _docx(doc: Document, kind: str, stem: str) -> DocxFile | None:
    stored = files.latest(doc.id, kind)
    if stored is None:
        return None
    safe = "".join(ch for ch in stem if ch not in '/\\\r\n\t"')[:MAX_FILENAME_STEM].strip() or "document"
    return DocxFile.build(f"{safe}.docx", stored.data)


def _legacy_masked(text: str) -> str:
    """A document confirmed before the review read its 附件说明 and file names (migration 0022):
    they are masked with the engine's findings, unreviewed, until a correction confirms them."""
    return masked_by_engine(text)


_as_utf8 = attachments.as_utf8


def public_attachments(doc: Document) -> tuple[AttachmentFile, ...]:
    """The 附件 as the publisher confirmed them (services.deid_review: the .docx/.xlsx masked, the
    others checked by eye), each under its reviewed name and its reviewed 附件说明 line — the
    same text the public .docx was built from; never the originals."""
    titles = doc.public_attachments
    reviewed = titles is not None
    if not reviewed:
        titles = [_legacy_masked(t) for t in doc.attachments]
    originals = {o.id: n for n, o in enumerate(files.files_of(doc.id, "attachment"))}
    out = []
    for i, f in enumerate(files.files_of(doc.id, "public_attachment")):
        i = originals.get(f.source_id, i)  # the 附件说明 line of its original (a withheld one leaves a gap)
        data = _as_utf8(f.data) if f.filename.lower().endswith(".txt") else f.data
        title = titles[i] if i < len(titles) else ""
        out.append(AttachmentFile.build(f.filename if reviewed else _legacy_masked(f.filename), title, data))
    return tuple(out)


def push_message(doc: Document, pub: Publication, agency: AgencySettings) -> dict:
    """The push for this document at `pub.message_version`; PayloadError when it breaks a limit."""
    title = doc.public_title or ""
    published_at: datetime = clock.to_agency(pub.published_at)
    interpretation = None
    if doc.needs_interpretation and doc.public_interpretation_html is not None:
        interpretation = Interpretation(
            title=f"《{title}》政策解读"[:200],
            body_html=doc.public_interpretation_html,
            published_at=published_at,
            docx=_docx(doc, "public_interpretation", f"《{title}》政策解读"),
        )
    keywords, summary = doc.public_keywords, doc.public_summary
    if keywords is None or summary is None:  # confirmed before 关键词/内容概述 existed: from the public text
        from ..services.deid_review import PublicCopy, public_abstract

        keywords, summary = public_abstract(PublicCopy(title, doc.public_body_html or "", None))
    keywords = tuple(k for k in keywords.split("、") if k)
    message = PushMessage(
        index_no=pub.index_no,
        version=pub.message_version,
        title=title,
        doc_number=doc.doc_number or "",
        topic=topic_of(doc),
        publisher=agency.publisher_name,
        written_date=doc.written_date,
        published_at=published_at,
        validity=doc.validity if doc.is_normative else "valid",
        validity_changed_on=doc.validity_changed_on if doc.is_normative and doc.validity != "valid" else None,
        keywords=keywords,
        summary=summary,
        body_html=doc.public_body_html or "",
        docx=_docx(doc, "public", f"{doc.doc_number or ''} {title}"),
        interpretation_required=bool(doc.needs_interpretation),
        interpretation=interpretation,
        catalogue_item=catalogue.reference(doc),  # 目录事项 (issue 15)
        attachments=public_attachments(doc),
        **_normative_fields(doc),
    ).to_json()
    if doc.annual_report_year:  # the year's 政府信息公开工作年度报告 (issue 12): its own portal column
        message["column"] = "annual_report"
    parse_publication(message)  # the portal's own checks, here, before anything is queued
    return message


def _normative_fields(doc: Document) -> dict:
    """R11: a 行政规范性文件's period and its latest clean-up decision (规范性文件清理结果)."""
    if not doc.is_normative:
        return {}
    latest = db.session.execute(
        db.select(ValidityDecision).where(ValidityDecision.document_id == doc.id)
        .order_by(ValidityDecision.id.desc()).limit(1)).scalar_one_or_none()
    return {"normative": True, "effective_from": doc.effective_from,
            "effective_to": doc.effective_to if doc.effective_from else None,
            "cleanup": Cleanup(latest.decision, latest.decided_on) if latest is not None else None}


def withdraw_message(pub: Publication) -> dict:
    when = clock.to_agency(pub.withdrawn_at)
    notice = f"该信息已于{when.year}年{when.month}月{when.day}日撤回。"  # never the internal reason
    message = Withdrawal(pub.index_no, pub.message_version, notice, when).to_json()
    parse_withdrawal(message)
    return message


__all__ = ["PayloadError", "push_message", "topic_of", "withdraw_message"]
