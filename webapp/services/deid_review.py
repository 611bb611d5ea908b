"""De-identification before publication (R8: 先审查、后发布, 一事一审).

The engine proposes findings over every text that goes public (deid_scan.review_fields:
the title, the body, the interpretation material, 关键词, 内容概述, the 附件说明, the
attachments' file names and readable contents); the publisher decides each one (mask, or keep with a reason), may add
findings by hand, and confirms.  Confirming is refused while anything is
undecided; it writes the public copy (title, HTML, 附件说明, the attachments' copies
under their public names, the public .docx built from these) apart from the internal one, and moves the document to `ready`.  Every decision is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from .. import abstracts, attachments, filemeta
from ..deid import KIND_LABELS, KINDS
from ..docgen import DocumentBuildError, build_docx
from ..extensions import db
from ..models import DeidFinding, Document, StoredFile, User, utcnow
from ..publiccopy import FieldFinding, apply_to_html, mask_lines, mask_text, replacement_texts, scan_html
from ..workflow import Action, Stage
from . import audit, chain, files
from .deid_scan import ATTACHMENT_TITLES, name_field, review_fields, scan_again
from .documents import get_document
from .errors import Invalid, NotFound
from .official import interpretation_document, official_document
from .tx import transaction

FIELD_LABELS = {"title": "标题", "body": "正文", "interpretation": "解读材料", "keywords": "关键词", "summary": "内容概述",
                ATTACHMENT_TITLES: "附件说明"}
MAX_MANUAL = 100


def field_labels(doc: Document) -> dict[str, str]:
    labels = dict(FIELD_LABELS)
    for f in files.files_of(doc.id, "attachment"):
        labels[name_field(f.id)] = f"附件文件名：{f.filename}"
        labels[f"attachment:{f.id}"] = f"附件：{f.filename}"
    return labels


def eye_check_files(doc: Document) -> list[StoredFile]:
    """Attachments the engine cannot read: the publisher checks each by eye."""
    return [f for f in files.files_of(doc.id, "attachment") if attachments.extension(f.filename) not in attachments.SCANNED]


def mark_checked_by_eye(document_id: int, file_id: int, publisher: User, *, withhold: bool = False) -> None:
    """The publisher looked at an attachment the engine cannot read: it may be published as it is,
    or (`withhold`) it holds personal data that cannot be masked and stays off the portal — the
    document is published without it (issue 8)."""
    with transaction():
        doc = load_for_review(document_id, publisher)
        f = next((f for f in eye_check_files(doc) if f.id == file_id), None)
        if f is None:
            raise NotFound("该附件不存在或无需目视检查。")
        f.eye_checked_by_id, f.eye_checked_at, f.withheld = publisher.id, utcnow(), withhold
        details = {"file": f.id, "filename": f.filename, "sha256": f.sha256}
        if withhold:
            audit.record("deid_withhold", publisher, doc, from_stage=doc.stage, to_stage=doc.stage, details=details)
        else:
            audit.record("deid_eye_check", publisher, doc, from_stage=doc.stage, to_stage=doc.stage, details=details)


def load_for_review(document_id: int, user: User) -> Document:
    """The document, if this user is the publisher who may confirm it now."""
    return get_document(document_id, user, Action.CONFIRM_DEID)


def findings_of(document_id: int) -> list[DeidFinding]:
    order = {name: i for i, name in enumerate(FIELD_LABELS)}
    rows = db.session.execute(select(DeidFinding).where(DeidFinding.document_id == document_id)).scalars().all()
    return sorted(rows, key=lambda f: (order.get(f.field, 9), f.start))


def ensure_scanned(document_id: int, publisher: User) -> Document:
    """Scan a document that reached review unscanned (issued before the engine ran, reopened by the
    yearly self-review, or scanned before the review read the 附件说明 and file names: migration
    0022).  Findings it already has keep their decisions; only what they do not cover is added."""
    doc = load_for_review(document_id, publisher)
    if doc.deid_scanned_at is not None:
        return doc
    with transaction():
        counts = scan_again(doc, findings_of(doc.id))
        audit.record("deid_scan", publisher, doc, from_stage=doc.stage, to_stage=doc.stage,
                     details={"findings": sum(counts.values()), "by_kind": counts})
    return doc


def _finding(doc: Document, finding_id: int) -> DeidFinding:
    f = db.session.get(DeidFinding, finding_id)
    if f is None or f.document_id != doc.id:
        raise NotFound("该项不存在。")
    return f


def decide(document_id: int, finding_id: int, publisher: User, decision: str, keep_reason: str = "") -> DeidFinding:
    """Mask, or keep with a reason (e.g. the agency's own published work contact)."""
    if decision not in ("mask", "keep"):
        raise Invalid("处理方式无效。")
    keep_reason = keep_reason.strip()
    if decision == "keep" and not keep_reason:
        raise Invalid("保留原文须写明理由（如：本单位公开的工作联系电话）。")
    if len(keep_reason) > 500:
        raise Invalid("理由不能超过 500 字。")
    with transaction():
        doc = load_for_review(document_id, publisher)
        f = _finding(doc, finding_id)
        f.decision, f.keep_reason = decision, keep_reason if decision == "keep" else ""
        f.decided_by_id, f.decided_at = publisher.id, utcnow()
        audit.record("deid_decide", publisher, doc, from_stage=doc.stage, to_stage=doc.stage,
                     comment=keep_reason, details={"finding": f.id, "field": f.field, "kind": f.kind,
                                                   "decision": decision})
    return f


def add_by_hand(document_id: int, publisher: User, field: str, text: str, kind: str) -> int:
    """Mark every not yet covered occurrence of `text` in the document's fields; returns how many."""
    text = text.strip()
    if kind not in KINDS:
        raise Invalid("请选择个人信息的类别。")
    if not text or len(text) > MAX_MANUAL:
        raise Invalid(f"请选中 1 至 {MAX_MANUAL} 个字的原文。")
    with transaction():
        doc = load_for_review(document_id, publisher)
        fields = review_fields(doc)
        if field not in fields and field != "*":
            raise Invalid("所选文字不在可审查的内容中。")
        existing = findings_of(doc.id)
        added = 0
        for name, value in fields.items():
            if field != "*" and name != field:
                continue
            taken = [(f.start, f.end) for f in existing if f.field == name]
            pos = value.find(text)
            while pos >= 0:
                end = pos + len(text)
                if all(end <= s or pos >= e for s, e in taken):
                    db.session.add(DeidFinding(document_id=doc.id, field=name, kind=kind, start=pos, end=end,
                                               text=text, score=1.0, reason="发布员手工标记", source="manual",
                                               decision="mask", decided_by_id=publisher.id, decided_at=utcnow()))
                    taken.append((pos, end))
                    added += 1
                pos = value.find(text, end)
        if not added:
            raise Invalid("所选文字已被标记，或在内容中找不到。")
        db.session.flush()
        audit.record("deid_add", publisher, doc, from_stage=doc.stage, to_stage=doc.stage,
                     details={"kind": kind, "occurrences": added, "field": field})
    return added


@dataclass
class PublicCopy:
    title: str
    body_html: str
    interpretation_html: str | None
    keywords: str = ""  # "、"-joined; "" when the drafter set none (then proposed from the public text)
    summary: str = ""
    attachment_titles: list[str] = field(default_factory=list)  # the 附件说明, one per line of doc.attachments
    attachment_names: dict[int, str] = field(default_factory=dict)  # original file id → public file name


def public_copy(doc: Document, findings: list[DeidFinding], *, undecided_masked: bool = True) -> PublicCopy:
    """The public text: every finding masked unless the publisher decided to keep it."""
    masked = [f for f in findings if f.decision == "mask" or (f.decision is None and undecided_masked)]
    as_ff = {f.id: FieldFinding(f.field, f.kind, f.start, f.end, f.text) for f in masked}
    reps = replacement_texts(as_ff.values())

    def spans(field: str) -> list[tuple[int, int, str]]:
        return [(ff.start, ff.end, reps[ff]) for ff in as_ff.values() if ff.field == field]

    title = mask_text(doc.title, spans("title"))
    body = apply_to_html(scan_html(doc.body_html), spans("body"))
    interp = (apply_to_html(scan_html(doc.interpretation_html), spans("interpretation"))
              if doc.needs_interpretation and doc.interpretation_html else None)
    keywords = mask_text(doc.keywords or "", spans("keywords"))
    summary = mask_text(doc.summary or "", spans("summary"))
    titles = mask_lines(doc.attachments, spans(ATTACHMENT_TITLES))
    names = {f.id: mask_text(f.filename, spans(name_field(f.id))) for f in files.files_of(doc.id, "attachment")}
    return PublicCopy(title, body, interp, keywords, summary, titles, names)


def replacements_for(findings: list[DeidFinding]) -> dict[int, str]:
    """What each finding becomes in the public copy, as public_copy() computes it (kept ones stay)."""
    as_ff = {f.id: FieldFinding(f.field, f.kind, f.start, f.end, f.text) for f in findings if f.decision != "keep"}
    reps = replacement_texts(as_ff.values())
    out = {fid: reps[ff] for fid, ff in as_ff.items()}
    out.update({f.id: f.text for f in findings if f.decision == "keep"})
    return out


def progress(findings: list[DeidFinding]) -> tuple[int, int]:
    return sum(1 for f in findings if f.decision), len(findings)


def confirm(document_id: int, publisher: User, expected_version: int) -> Document:
    """Publisher confirms: all decided → the public copy is written and the document is ready."""

    def write_public_copy(doc: Document) -> dict:
        if doc.deid_scanned_at is None:
            raise Invalid("尚未完成个人信息检查，请先打开去标识化审查页面。")
        findings = findings_of(doc.id)
        done, total = progress(findings)
        if done < total:
            raise Invalid(f"还有 {total - done} 处个人信息未确认（已确认 {done} / {total}），不能确认发布。")
        unchecked = [f.filename for f in eye_check_files(doc) if f.eye_checked_at is None]
        if unchecked:
            raise Invalid(f"附件尚未目视检查：{'、'.join(unchecked)}。")
        copy = public_copy(doc, findings, undecided_masked=True)
        before = _public_state(doc)
        doc.public_title, doc.public_body_html = copy.title, copy.body_html
        doc.public_interpretation_html = copy.interpretation_html
        doc.public_keywords, doc.public_summary = public_abstract(copy)
        doc.public_attachments_text = "\n".join(copy.attachment_titles)
        doc.deid_confirmed_at, doc.deid_confirmed_by_id = utcnow(), publisher.id
        code = doc.issuing_code
        _public_attachments(doc, findings, publisher, copy)  # first: the public .docx carries their masked text
        try:
            data = build_docx(official_document(doc, code, doc.doc_number, doc.written_date, doc.print_date, doc.cc,
                                                copy.body_html, title=copy.title, attachment_kind="public_attachment",
                                                attachment_titles=copy.attachment_titles))
        except DocumentBuildError as exc:
            raise Invalid(f"无法生成公开版文件：{exc}") from exc
        stored = files.store(doc, "public", f"{doc.doc_number} {copy.title}（公开版）.docx"[:150], data, publisher)
        if copy.interpretation_html is not None:
            idata = build_docx(interpretation_document(doc, code, doc.doc_number, doc.written_date, doc.print_date,
                                                       title=copy.title, body_html=copy.interpretation_html))
            files.store(doc, "public_interpretation", f"《{copy.title}》政策解读（公开版）.docx"[:150], idata,
                        publisher)
        kept = sum(1 for f in findings if f.decision == "keep")
        details = {"masked": total - kept, "kept": kept, "public_sha256": stored.sha256}
        if doc.stage == Stage.CORRECTION.value:  # a correction: say what changed in the public copy
            after = _public_state(doc)
            details["corrected"] = [label for key, label in CORRECTED_PARTS.items() if before[key] != after[key]]
            details["previous_public_sha256"] = before["docx"]
            since = before["confirmed_at"]
            details["decisions_changed"] = sum(1 for f in findings if since is None or (f.decided_at and f.decided_at > since))
        return details

    return chain.move(document_id, publisher, Action.CONFIRM_DEID, expected_version, apply=write_public_copy)


CORRECTED_PARTS = {"title": "标题", "body": "正文", "interpretation": "解读材料", "keywords": "关键词",
                   "summary": "内容概述", "attachments": "附件说明"}


def public_abstract(copy: PublicCopy) -> tuple[str, str]:
    """The public 关键词 and 内容概述: the drafter's, masked like the rest of the public copy; when
    none was set, proposed from the public (already de-identified) text (webapp.abstracts)."""
    text = scan_html(copy.body_html).text
    keywords = copy.keywords or "、".join(abstracts.propose_keywords(copy.title, text))
    keywords = "、".join(k[:abstracts.MAX_KEYWORD_CHARS] for k in keywords.split("、") if k)
    summary = (copy.summary or abstracts.propose_summary(text))[:abstracts.MAX_SUMMARY_CHARS]
    return keywords, summary


def _public_state(doc: Document) -> dict:
    """The public copy's texts and its .docx's sha256, to record what a correction changed (the
    .docx and the attachments' copies are rebuilt each time, so only their hashes are kept)."""
    stored = files.latest(doc.id, "public")
    return {"title": doc.public_title, "body": doc.public_body_html, "interpretation": doc.public_interpretation_html,
            "keywords": doc.public_keywords, "summary": doc.public_summary,
            "attachments": doc.public_attachments_text, "docx": stored.sha256 if stored is not None else None, "confirmed_at": doc.deid_confirmed_at}


def _public_attachments(doc: Document, findings: list[DeidFinding], publisher: User, copy: PublicCopy) -> None:
    """Masked copies of the readable attachments, eye-checked ones as they are; each under its
    reviewed public name (copy.attachment_names)."""
    for old in files.files_of(doc.id, "public_attachment"):
        db.session.delete(old)
    masked = [f for f in findings if f.decision == "mask"]
    reps = replacements_for(masked)
    for f in files.files_of(doc.id, "attachment"):
        if f.withheld and attachments.extension(f.filename) not in attachments.SCANNED:
            continue  # checked by eye and kept off the portal
        spans = [(x.start, x.end, reps[x.id]) for x in masked if x.field == f"attachment:{f.id}"]
        try:
            data = attachments.public_copy(f.filename, f.data, spans)
        except attachments.AttachmentError as exc:
            raise Invalid(str(exc)) from exc
        data = filemeta.strip_metadata(f.filename, data)  # checked by eye: no unseen metadata goes out
        files.store(doc, "public_attachment", copy.attachment_names[f.id], data, publisher, content_type=f.content_type, source_id=f.id)


def kind_labels() -> dict[str, str]:
    return dict(KIND_LABELS)


@dataclass(frozen=True)
class Segment:
    start: int
    text: str
    finding: DeidFinding | None = None


def segments(fields: dict[str, str], findings: list[DeidFinding]) -> dict[str, list[Segment]]:
    """Each field's text cut into plain stretches and findings, for highlighting."""
    out: dict[str, list[Segment]] = {}
    for name, text in fields.items():
        parts, pos = [], 0
        for f in sorted((f for f in findings if f.field == name), key=lambda f: f.start):
            if f.start < pos or f.end > len(text):
                continue
            if f.start > pos:
                parts.append(Segment(pos, text[pos:f.start]))
            parts.append(Segment(f.start, text[f.start:f.end], f))
            pos = f.end
        if pos < len(text):
            parts.append(Segment(pos, text[pos:]))
        out[name] = parts
    return out
