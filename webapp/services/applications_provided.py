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

Attachments of a reviewed document are not provided (the reviewer sends them separately after
checking them); its title and body are.
"""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from .. import clock
from ..applications_flow import AppStage
from ..docgen import DocumentBuildError, build_docx
from ..extensions import db
from ..models import ApplicationDeidFinding, ApplicationFile, ApplicationProvided, Document, User
from ..publiccopy import FieldFinding, apply_to_html, find_in_fields, mask_text, replacement_texts, scan_html
from ..workflow import Role, Stage
from . import applications, audit, files
from .errors import Forbidden, Invalid, NotFound
from .official import official_document
from .tx import transaction

PUBLIC_STAGES = (Stage.READY.value, Stage.PUBLISHED.value, Stage.WITHDRAWN.value)
ISSUED_STAGES = (*PUBLIC_STAGES, Stage.FILED.value, Stage.DEID_REVIEW.value)
MAX_PROVIDED = 20


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


def _store(app, name: str, data: bytes, user: User) -> ApplicationFile:
    f = ApplicationFile(application_id=app.id, kind="provided", filename=name[:200], content_type=files.DOCX,
                        size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data, created_by_id=user.id)
    db.session.add(f)
    db.session.flush()
    return f


def provide(app_id: int, user: User, doc_number: str) -> ApplicationProvided:
    """Attach an issued document to the reply: its public copy now, or after review."""
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
        found = 0
        if public is not None:  # the publisher's confirmed public copy, as it is
            p.public_file_id = _store(app, public.filename, public.data, user).id
            p.confirmed_at, p.confirmed_by_id = doc.deid_confirmed_at, doc.deid_confirmed_by_id
        else:
            fields = {"title": doc.title, "body": scan_html(doc.body_html or "").text}
            for f in find_in_fields(fields):
                db.session.add(ApplicationDeidFinding(provided_id=p.id, field=f.field, kind=f.kind, start=f.start,
                                                      end=f.end, text=f.text, keep_reason=""))
                found += 1
        audit.record("app_provide_document", user, doc, details={
            "application_id": app.id, "provided": p.id, "source": p.source, "findings": found})
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
        copy = db.session.get(ApplicationFile, p.public_file_id) if p.public_file_id else None
        doc = p.document
        db.session.delete(p)
        db.session.flush()
        if copy is not None:
            db.session.delete(copy)
        audit.record("app_remove_document", user, doc, details={"application_id": app.id, "provided": provided_id})


def findings_of(provided_id: int) -> list[ApplicationDeidFinding]:
    return list(db.session.execute(select(ApplicationDeidFinding).where(
        ApplicationDeidFinding.provided_id == provided_id).order_by(ApplicationDeidFinding.id)).scalars())


def decide(app_id: int, user: User, provided_id: int, finding_id: int, decision: str, keep_reason: str = "") -> None:
    """Mask, or keep with a reason (as the publisher does for a publication)."""
    keep_reason = (keep_reason or "").strip()
    if decision not in ("mask", "keep"):
        raise Invalid("没有保存。", ["请选择遮盖或保留。"])
    if decision == "keep" and not 2 <= len(keep_reason) <= 500:
        raise Invalid("没有保存。", ["保留个人信息须写明理由（2 至 500 字），如：系公职人员履职信息。"])
    with transaction():
        app = _editable(app_id, user)
        p = _provided(app, provided_id)
        if p.public_file_id is not None:
            raise Invalid("该文件的公开版已生成，如需修改请移除后重新添加。")
        f = db.session.get(ApplicationDeidFinding, finding_id) if 0 < finding_id <= applications.MAX_ID else None
        if f is None or f.provided_id != p.id:
            raise NotFound("该条个人信息不存在。")
        f.decision, f.keep_reason = decision, keep_reason if decision == "keep" else ""
        f.decided_by_id, f.decided_at = user.id, clock.utcnow()
        audit.record("app_deid_decide", user, p.document, details={
            "application_id": app.id, "provided": p.id, "finding": f.id, "kind": f.kind, "decision": decision})


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
        doc = p.document
        masked = {f.id: FieldFinding(f.field, f.kind, f.start, f.end, f.text) for f in findings if f.decision == "mask"}
        reps = replacement_texts(masked.values())

        def spans(field: str) -> list[tuple[int, int, str]]:
            return [(ff.start, ff.end, reps[ff]) for ff in masked.values() if ff.field == field]

        title = mask_text(doc.title, spans("title"))
        body = apply_to_html(scan_html(doc.body_html or ""), spans("body"))
        if doc.issuing_code is None:
            raise Invalid("该文件没有发文机关标志，无法生成公开版。")
        try:
            data = build_docx(official_document(doc, doc.issuing_code, doc.doc_number, doc.written_date,
                                                doc.print_date, doc.cc or "", body, title=title,
                                                attachment_kind="public_attachment"))
        except DocumentBuildError as exc:
            raise Invalid(f"无法生成公开版文件：{exc}") from exc
        p.public_file_id = _store(app, f"{doc.doc_number} {title}（公开版）.docx", data, user).id
        p.confirmed_at, p.confirmed_by_id = clock.utcnow(), user.id
        kept = sum(1 for f in findings if f.decision == "keep")
        audit.record("app_deid_confirm", user, doc, details={
            "application_id": app.id, "provided": p.id, "masked": len(findings) - kept, "kept": kept,
            "sha256": hashlib.sha256(data).hexdigest()})
    return p
