"""Documents a reply provides (条例 Art. 36–37): only their PUBLIC copies reach the applicant.

- A document the publisher already de-identified (R8: its public copy confirmed — 待发布,
  已发布, 已撤回) is attached as that public .docx, unchanged.
- Any other issued document (依申请公开 or 不予公开, filed; or still in de-identification) has no
  public copy: the de-identification engine (`webapp.deid`, through `publiccopy.find_in_fields`,
  the same one `deid_scan` runs at issue) reads its title and text, and each finding waits
  for a decision — mask, or keep with a reason — as in the publisher's review.  Only when all
  are decided and the reviewer confirms is the masked copy made (the same GB/T 9704 writer and
  the same masking as `deid_review.confirm`).  Until then the reply can be neither submitted
  nor approved (`applications._provided_problems`), so nothing unreviewed is ever sent.

Its 附件 go too, each through the same review (`ApplicationProvidedAttachment`):
- with a public copy: the publisher's public copies of the attachments (a file the publisher
  withheld has none and stays out), names masked by the engine as the portal's push does;
- reviewed: the engine also reads each .docx/.xlsx attachment (field "attachment:<file id>"),
  each attachment's file name ("name:<file id>") and the 附件说明 ("attachments_text"); any
  other file (PDF, image, OFD, text) is checked by eye — sent as it is (metadata stripped) or
  withheld.  Confirming is refused while a finding is undecided or a file unchecked; it writes
  the masked copy of every attachment not withheld and the document's public .docx whose
  附件说明 and 附件 pages are those copies.
"""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from .. import attachments, clock, filemeta
from ..applications_flow import AppStage
from ..docgen import DocumentBuildError, DocxImportError, build_docx
from ..extensions import db
from ..models import (
    Application,
    ApplicationDeidFinding,
    ApplicationFile,
    ApplicationProvided,
    ApplicationProvidedAttachment,
    Document,
    StoredFile,
    User,
)
from ..publiccopy import (
    FieldFinding,
    apply_to_html,
    find_in_fields,
    mask_lines,
    mask_text,
    masked_by_engine,
    replacement_texts,
    scan_html,
)
from ..workflow import Role, Stage
from . import applications, audit, files
from .errors import Forbidden, Invalid, NotFound
from .official import official_document, pages_of
from .provided_files import attachments_of, unchecked
from .tx import transaction

PUBLIC_STAGES = (Stage.READY.value, Stage.PUBLISHED.value, Stage.WITHDRAWN.value)
ISSUED_STAGES = (*PUBLIC_STAGES, Stage.FILED.value, Stage.DEID_REVIEW.value)
MAX_PROVIDED = 20
EYE_DECISIONS = {"send": "已目视检查，随答复提供", "withhold": "含无法遮盖的个人信息，不提供"}


def _editable(app_id: int, user: User):
    app = applications.get_application(app_id, user, for_update=True)
    if not user.roles & {Role.HANDLER, Role.OFFICE}:
        raise Forbidden("只有经办人或公开审查员可以处理答复提供的文件。")
    if app.stage_enum is not AppStage.HANDLING:
        raise Invalid("只有办理中的申请可以修改答复提供的文件。")
    return app


def _normal(number: str) -> str:
    return re.sub(r"\s+", "", (number or "").replace("[", "〔").replace("]", "〕"))


def find_issued(doc_number: str) -> Document | None:
    """An issued document by its 文号 (brackets 〔〕 or [], spaces ignored)."""
    wanted = _normal(doc_number)
    if not wanted or len(wanted) > 60:
        return None
    issued = select(Document).where(Document.stage.in_(ISSUED_STAGES), Document.doc_number.is_not(None))
    exact = db.session.execute(issued.where(Document.doc_number == wanted).limit(1)).scalar_one_or_none()
    if exact is not None:  # 文号 are stored as issued (〔〕, no spaces): one indexed look-up
        return exact
    return next((d for d in db.session.execute(issued).scalars() if _normal(d.doc_number) == wanted), None)


def _store(app, name: str, data: bytes, user: User, kind: str = "provided",
           content_type: str = files.DOCX) -> ApplicationFile:
    f = ApplicationFile(application_id=app.id, kind=kind, filename=name[:200], content_type=content_type,
                        size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data, created_by_id=user.id)
    db.session.add(f)
    db.session.flush()
    return f


def _copy_name(doc: Document, position: int, name: str) -> str:
    """The name an attachment's copy carries to the applicant: the document's 文号, then 附件N
    unless the (reviewed or masked) name already starts with 附件."""
    name = name.strip() or f"附件{position}"
    return f"{doc.doc_number} {name}" if name.startswith("附件") else f"{doc.doc_number} 附件{position} {name}"


def _store_attachment(app, row: ApplicationProvidedAttachment, doc: Document, name: str, data: bytes,
                      content_type: str, user: User) -> None:
    if name.lower().endswith(".txt"):
        data = attachments.as_utf8(data)
    row.public_file_id = _store(app, _copy_name(doc, row.position, name), data, user, "provided_attachment",
                                content_type).id


def _originals(doc: Document) -> list[StoredFile]:
    return files.files_of(doc.id, "attachment")


def review_fields(doc: Document) -> dict[str, str]:
    """What the engine reads in a document without a public copy, and what the reviewer decides:
    the title, the body, the 附件说明, each attachment's file name and each readable one's text."""
    fields = {"title": doc.title, "body": scan_html(doc.body_html or "").text}
    if doc.attachments:
        fields["attachments_text"] = "\n".join(doc.attachments)
    for f in _originals(doc):
        fields[f"name:{f.id}"] = f.filename
        try:
            scanned = attachments.scan(f.filename, f.data)
        except (attachments.AttachmentError, DocxImportError) as exc:
            raise Invalid("没有添加。", [f"附件“{f.filename}”无法读取，不能审查：{exc}"]) from exc
        if scanned is not None:
            fields[f"attachment:{f.id}"] = scanned.text
    return fields


def field_labels(p: ApplicationProvided) -> dict[str, str]:
    labels = {"title": "标题", "body": "正文", "attachments_text": "附件说明"}
    for f in _originals(p.document):
        labels[f"attachment:{f.id}"] = f"附件：{f.filename}"
        labels[f"name:{f.id}"] = f"附件文件名：{f.filename}"
    return labels


def provide(app_id: int, user: User, doc_number: str) -> ApplicationProvided:
    """Attach an issued document (and its 附件) to the reply: its public copy now, or after review."""
    with transaction():
        app = _editable(app_id, user)
        doc = find_issued(doc_number)
        if doc is None:
            raise Invalid("没有添加。", ["没有找到该文号的已印发文件，请核对文号（如：豫应急〔2026〕12号）。"])
        existing = applications_provided_of(app.id)
        if any(p.document_id == doc.id for p in existing):
            raise Invalid("没有添加。", ["该文件已在提供的文件中。"])
        if len(existing) >= MAX_PROVIDED:
            raise Invalid("没有添加。", [f"一次答复最多提供 {MAX_PROVIDED} 份文件。"])
        public = files.latest(doc.id, "public") if doc.stage in PUBLIC_STAGES and doc.deid_confirmed_at else None
        p = ApplicationProvided(application_id=app.id, document_id=doc.id, added_by_id=user.id,
                                source="public" if public is not None else "reviewed")
        db.session.add(p)
        db.session.flush()
        found = eye = 0
        place = {o.id: n for n, o in enumerate(_originals(doc), 1)}
        if public is not None:  # the publisher's confirmed public copy and public 附件, as they are
            p.public_file_id = _store(app, public.filename, public.data, user).id
            p.confirmed_at, p.confirmed_by_id = doc.deid_confirmed_at, doc.deid_confirmed_by_id
            for i, f in enumerate(files.files_of(doc.id, "public_attachment"), 1):
                row = ApplicationProvidedAttachment(provided_id=p.id, source_file_id=f.id,
                                                    position=place.get(f.source_id, i), filename=f.filename)
                db.session.add(row)
                # stored under the publisher's reviewed name since migration 0022; before it, unreviewed
                name = f.filename if doc.public_attachments is not None else masked_by_engine(f.filename)
                _store_attachment(app, row, doc, name, f.data, f.content_type, user)
        else:
            for f in find_in_fields(review_fields(doc)):
                db.session.add(ApplicationDeidFinding(provided_id=p.id, field=f.field, kind=f.kind, start=f.start,
                                                      end=f.end, text=f.text, keep_reason=""))
                found += 1
            for o in _originals(doc):
                by_eye = attachments.extension(o.filename) not in attachments.SCANNED
                db.session.add(ApplicationProvidedAttachment(provided_id=p.id, source_file_id=o.id,
                                                             position=place[o.id], filename=o.filename,
                                                             needs_eye_check=by_eye))
                eye += by_eye
        db.session.flush()
        audit.record("app_provide_document", user, doc, details={
            "application_id": app.id, "provided": p.id, "source": p.source, "findings": found,
            "attachments": len(attachments_of(p.id)), "eye_checks": eye})
    return p


def applications_provided_of(app_id: int) -> list[ApplicationProvided]:
    return list(db.session.execute(select(ApplicationProvided).where(ApplicationProvided.application_id == app_id)
                                   .order_by(ApplicationProvided.id)).scalars())


def _provided(app, provided_id: int) -> ApplicationProvided:
    p = db.session.get(ApplicationProvided, provided_id) if 0 < provided_id <= applications.MAX_ID else None
    if p is None or p.application_id != app.id:
        raise NotFound("该文件不在本申请提供的文件中。")
    return p


def remove(app_id: int, user: User, provided_id: int) -> None:
    with transaction():
        app = _editable(app_id, user)
        p = _provided(app, provided_id)
        for f in findings_of(p.id):
            db.session.delete(f)
        ids = [p.public_file_id, *(a.public_file_id for a in attachments_of(p.id))]
        copies = [db.session.get(ApplicationFile, i) for i in ids if i is not None]
        for a in attachments_of(p.id):
            db.session.delete(a)
        doc = p.document
        db.session.flush()
        db.session.delete(p)
        db.session.flush()
        for copy in copies:
            db.session.delete(copy)
        audit.record("app_remove_document", user, doc, details={"application_id": app.id, "provided": provided_id})


def findings_of(provided_id: int) -> list[ApplicationDeidFinding]:
    return list(db.session.execute(select(ApplicationDeidFinding).where(
        ApplicationDeidFinding.provided_id == provided_id).order_by(ApplicationDeidFinding.id)).scalars())


def _under_review(app_id: int, user: User, provided_id: int) -> tuple[Application, ApplicationProvided]:
    """The provided document whose review is still open (no public copy made yet), for a decision."""
    app = _editable(app_id, user)
    p = _provided(app, provided_id)
    if p.public_file_id is not None:
        raise Invalid("该文件的公开版已生成，如需修改请移除后重新添加。")
    return app, p


def decide(app_id: int, user: User, provided_id: int, finding_id: int, decision: str, keep_reason: str = "") -> None:
    """Mask, or keep with a reason (as the publisher does for a publication)."""
    keep_reason = (keep_reason or "").strip()
    if decision not in ("mask", "keep"):
        raise Invalid("没有保存。", ["请选择遮盖或保留。"])
    if decision == "keep" and not 2 <= len(keep_reason) <= 500:
        raise Invalid("没有保存。", ["保留个人信息须写明理由（2 至 500 字），如：系公职人员履职信息。"])
    with transaction():
        app, p = _under_review(app_id, user, provided_id)
        f = db.session.get(ApplicationDeidFinding, finding_id) if 0 < finding_id <= applications.MAX_ID else None
        if f is None or f.provided_id != p.id:
            raise NotFound("该条个人信息不存在。")
        f.decision, f.keep_reason = decision, keep_reason if decision == "keep" else ""
        f.decided_by_id, f.decided_at = user.id, clock.utcnow()
        audit.record("app_deid_decide", user, p.document, details={
            "application_id": app.id, "provided": p.id, "finding": f.id, "kind": f.kind, "decision": decision})


def check_attachment(app_id: int, user: User, provided_id: int, attachment_id: int, decision: str) -> None:
    """An attachment the engine cannot read, looked at by the reviewer: sent as it is (its metadata
    stripped) or withheld — it holds personal data that cannot be masked."""
    if decision not in EYE_DECISIONS:
        raise Invalid("没有保存。", ["请选择随答复提供或不提供。"])
    with transaction():
        app, p = _under_review(app_id, user, provided_id)
        a = db.session.get(ApplicationProvidedAttachment, attachment_id) if 0 < attachment_id <= applications.MAX_ID else None
        if a is None or a.provided_id != p.id or not a.needs_eye_check:
            raise NotFound("该附件不存在或无需目视检查。")
        a.eye_decision, a.eye_checked_by_id, a.eye_checked_at = decision, user.id, clock.utcnow()
        audit.record("app_attachment_eye_check", user, p.document, details={
            "application_id": app.id, "provided": p.id, "attachment": a.id, "decision": decision})


def confirm(app_id: int, user: User, provided_id: int) -> ApplicationProvided:
    """Every finding decided → the masked public copy (.docx) of the document for this reply."""
    with transaction():
        app = _editable(app_id, user)
        p = _provided(app, provided_id)
        if p.public_file_id is not None:
            return p
        findings = findings_of(p.id)
        undecided = sum(1 for f in findings if f.decision is None)
        if undecided:
            raise Invalid("没有生成公开版。", [f"还有 {undecided} 处个人信息未确认遮盖或保留。"])
        waiting = unchecked(p)
        if waiting:
            raise Invalid("没有生成公开版。", [f"附件尚未目视检查：{'、'.join(waiting)}。"])
        doc = p.document
        masked = {f.id: FieldFinding(f.field, f.kind, f.start, f.end, f.text) for f in findings if f.decision == "mask"}
        reps = replacement_texts(masked.values())

        def spans(field: str) -> list[tuple[int, int, str]]:
            return [(ff.start, ff.end, reps[ff]) for ff in masked.values() if ff.field == field]

        title = mask_text(doc.title, spans("title"))
        body = apply_to_html(scan_html(doc.body_html or ""), spans("body"))
        titles = mask_lines(doc.attachments, spans("attachments_text"))
        if doc.issuing_code is None:
            raise Invalid("该文件没有发文机关标志，无法生成公开版。")
        copies = []
        originals = {o.id: o for o in _originals(doc)}
        for a in attachments_of(p.id):
            if a.eye_decision == "withhold":
                continue
            original = originals[a.source_file_id]
            try:
                data = attachments.public_copy(original.filename, original.data, spans(f"attachment:{original.id}"))
            except (attachments.AttachmentError, DocxImportError) as exc:
                raise Invalid(f"无法生成附件“{original.filename}”的公开版：{exc}") from exc
            data = filemeta.strip_metadata(original.filename, data)
            name = mask_text(original.filename, spans(f"name:{original.id}"))
            _store_attachment(app, a, doc, name, data, original.content_type, user)
            copies.append((a.position - 1, name, data))
        try:
            data = build_docx(official_document(doc, doc.issuing_code, doc.doc_number, doc.written_date,
                                                doc.print_date, doc.cc or "", body, title=title,
                                                attachment_titles=titles, pages=pages_of(titles, copies)))
        except DocumentBuildError as exc:
            raise Invalid(f"无法生成公开版文件：{exc}") from exc
        p.public_file_id = _store(app, f"{doc.doc_number} {title}（公开版）.docx", data, user).id
        p.confirmed_at, p.confirmed_by_id = clock.utcnow(), user.id
        kept = sum(1 for f in findings if f.decision == "keep")
        audit.record("app_deid_confirm", user, doc, details={
            "application_id": app.id, "provided": p.id, "masked": len(findings) - kept, "kept": kept,
            "attachments": len(copies), "withheld": sum(1 for a in attachments_of(p.id) if a.eye_decision == "withhold"),
            "sha256": hashlib.sha256(data).hexdigest()})
    return p
