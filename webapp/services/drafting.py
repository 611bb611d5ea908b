"""Drafting: create and edit a document, accept the office's proposed attribute."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import abstracts, taxonomy
from ..disclosure import LEGAL_BASIS_BY_CODE, Disclosure
from ..doctypes import DOC_TYPES, recipients_problem
from ..extensions import db
from ..filenames import extension, safe_filename
from ..limits import MAX_BODY_CHARS
from ..models import Document, User, utcnow
from ..publiccopy import scan_html
from ..richtext import clean_html, plain_text
from ..urgency import Urgency
from ..workflow import Role, Stage
from . import audit
from .catalogue import catalogue_item_problem, clear_mismatch, file_under
from .documents import get_document
from .errors import Conflict, Forbidden, Invalid, NotFound
from .tx import transaction

TOO_LONG = f"正文过长：超过 {MAX_BODY_CHARS:,} 字符的上限，请拆分或以附件形式提交。"


@dataclass
class DraftInput:
    title: str
    doc_type: str
    recipients: str = ""
    body_html: str = ""
    attachments_text: str = ""
    topic_category: str = ""
    disclosure: str | None = None
    disclosure_reason: str = ""
    legal_basis_codes: list[str] = field(default_factory=list)
    may_involve_secrets: bool = False
    needs_interpretation: bool = False
    interpretation_html: str = ""
    catalogue_item_id: int | None = None  # the 目录事项 (issue 15)
    urgency: int = 0  # urgency.Urgency: 普通, 加急, 特急
    keywords: str = ""  # 关键词, as typed (issue 8; webapp.abstracts)
    summary: str = ""  # 内容概述


@dataclass(frozen=True)
class NewAttachment:
    """A file sent together with the draft form (saved with it, or neither is)."""

    filename: str
    data: bytes


class AttachmentRefused(Invalid):
    """The file sent with the draft is refused; nothing at all was saved."""


def _validate(data: DraftInput) -> list[str]:
    problems = []
    if not data.title.strip():
        problems.append("请填写标题。")
    if len(data.title) > 200:
        problems.append("标题不能超过 200 字。")
    if data.doc_type not in DOC_TYPES:
        problems.append("请选择文种。")
    if data.topic_category and not taxonomy.is_valid(data.topic_category):
        problems.append("主题分类无效：请从国务院公文主题分类中选择。")
    if data.disclosure and data.disclosure not in {d.value for d in Disclosure}:
        problems.append("公开属性无效。")
    unknown = [c for c in data.legal_basis_codes if c not in LEGAL_BASIS_BY_CODE]
    if unknown:
        problems.append("所选法律依据不在列表中。")
    if len(data.body_html) > MAX_BODY_CHARS or len(data.interpretation_html) > MAX_BODY_CHARS:
        problems.append(TOO_LONG)
    if data.catalogue_item_id is not None and catalogue_item_problem(data.catalogue_item_id):
        problems.append(catalogue_item_problem(data.catalogue_item_id))
    if data.urgency not in {u.value for u in Urgency}:
        problems.append("紧急程度无效。")
    problems += abstracts.keyword_problems(abstracts.split_keywords(data.keywords))  # issue 8
    problems += abstracts.summary_problems(data.summary.strip())
    return problems


def _apply(doc: Document, data: DraftInput) -> None:
    doc.title = data.title.strip()
    doc.doc_type = data.doc_type
    doc.recipients = data.recipients.strip()
    doc.body_html = clean_html(data.body_html)
    doc.attachments_text = data.attachments_text.strip()
    doc.topic_category = data.topic_category
    if doc.disclosure != (data.disclosure or None):
        clear_mismatch(doc)  # a confirmation was for the attribute it named
    doc.disclosure = data.disclosure or None
    doc.disclosure_reason = data.disclosure_reason.strip()
    doc.legal_basis_codes = list(dict.fromkeys(data.legal_basis_codes))
    doc.may_involve_secrets = data.may_involve_secrets
    doc.needs_interpretation = data.needs_interpretation
    doc.interpretation_html = clean_html(data.interpretation_html)
    file_under(doc, data.catalogue_item_id)
    doc.urgency = data.urgency
    doc.keywords = "、".join(abstracts.split_keywords(data.keywords))  # issue 8
    doc.summary = data.summary.strip()
    if len(doc.body_html) > MAX_BODY_CHARS or len(doc.interpretation_html) > MAX_BODY_CHARS:
        raise Invalid("文件未保存。", [TOO_LONG])  # cleaning escaped it past the limit: the caller rolls back
    doc.updated_at = utcnow()


def create_draft(author: User, data: DraftInput, *, attach: NewAttachment | None = None) -> Document:
    """A new draft; with `attach`, the file is stored in the same transaction (or neither is)."""
    if Role.DRAFTER not in author.roles:
        raise Forbidden("您没有起草人权限。")
    if author.department_id is None:
        raise Invalid("您尚未分配到处室，请联系管理员。")
    problems = _validate(data)
    if problems:
        raise Invalid("文件未保存，请修改以下问题。", problems)
    checked = _checked_attachment(attach) if attach is not None else None
    with transaction():
        doc = Document(department_id=author.department_id, drafter_id=author.id, stage=Stage.DRAFT.value)
        _apply(doc, data)
        db.session.add(doc)
        db.session.flush()
        audit.record("create", author, doc, to_stage=Stage.DRAFT.value)
        if checked is not None:
            _attach(doc, author, *checked)
    return doc


def update_draft(document_id: int, editor: User, data: DraftInput, expected_version: int, *,
                 attach: NewAttachment | None = None, detach_file_id: int | None = None) -> Document:
    """Save the draft form; with `attach` or `detach_file_id`, the attachment change is part of
    the same transaction, so an upload never costs the text typed beside it."""
    problems = _validate(data)
    if problems:
        raise Invalid("修改未保存，请修改以下问题。", problems)
    checked = _checked_attachment(attach) if attach is not None else None
    with transaction():
        doc = get_document(document_id, editor, "edit")
        if doc.version != expected_version:
            raise Conflict("此文件已被他人处理或在别处修改过，请在最新内容上重新修改。")
        _apply(doc, data)
        db.session.flush()
        audit.record("edit", editor, doc, from_stage=doc.stage, to_stage=doc.stage)
        if checked is not None:
            _attach(doc, editor, *checked)
        if detach_file_id is not None:
            _detach(doc, editor, detach_file_id)
    return doc


def accept_proposal(document_id: int, drafter: User, expected_version: int) -> Document:
    """The drafter takes the office's proposed attribute (R4)."""
    with transaction():
        doc = get_document(document_id, drafter, "edit")
        if not doc.proposed_disclosure:
            raise Forbidden("该文件没有可接受的公开属性建议。")
        if doc.version != expected_version:
            raise Conflict()
        old = doc.disclosure
        doc.disclosure = doc.proposed_disclosure
        if doc.disclosure == Disclosure.PUBLIC.value:
            doc.disclosure_reason = ""
            doc.legal_basis_codes = []
        doc.proposed_disclosure = None
        doc.updated_at = utcnow()
        db.session.flush()
        audit.record(
            "accept_proposal", drafter, doc, from_stage=doc.stage, to_stage=doc.stage,
            details={"from": old, "to": doc.disclosure},
        )
    return doc


def submission_problems(doc: Document) -> list[str]:
    """What is missing before a document may be submitted (R1, R2, R5)."""
    problems = []
    if not doc.title.strip():
        problems.append("缺少标题。")
    if not plain_text(doc.body_html):
        problems.append("缺少正文。")
    attr = doc.disclosure_enum
    if attr is None:
        problems.append("未设置公开属性（主动公开、依申请公开或不予公开），不能提交。")
    elif attr.needs_justification:
        if not doc.disclosure_reason.strip():
            problems.append(f"公开属性为“{attr.label}”，须写明理由。")
        if not doc.legal_bases:
            problems.append(f"公开属性为“{attr.label}”，须选择至少一项法律依据。")
    missing_recipients = recipients_problem(doc.doc_type, doc.recipients)
    if missing_recipients:
        problems.append(missing_recipients)
    if doc.needs_interpretation and not plain_text(doc.interpretation_html):
        problems.append("已勾选“需要政策解读”，须同时提交解读材料（三同步）。")
    return problems


@dataclass
class ImportedDraft:
    """A Word draft made into a document, and what the import recognised in it."""

    document: Document
    found: list[str]  # moved from the body into fields: 标题, 主送机关, 附件说明（n 项）
    dropped: list[str]  # left out of the body because issuing prints them: 发文机关标志, 发文字号

    @property
    def summary(self) -> str:
        """The message after the import (bounded: it names no file)."""
        parts = ["Word 草稿已导入。"]
        if self.found:
            parts.append(f"已识别{'、'.join(self.found)}，已从正文移入对应栏目。")
        if self.dropped:
            parts.append(f"正文开头的{'、'.join(self.dropped)}已略去（印发时由系统生成）。")
        parts.append("请核对正文并设置公开属性。")
        return "".join(parts)


def import_draft(author: User, filename: str, data: bytes, title: str, doc_type: str) -> ImportedDraft:
    """A .docx draft becomes a new document whose body is editable HTML; the original is kept.

    The title, the 主送 line and the 附件说明 found in the draft fill their fields and
    leave the body (docgen.recognise); a title typed on the form wins over the one found,
    which wins over the file name.  Refused, with nothing stored, when the file is not a
    safe .docx (see docgen.importer)."""
    from ..docgen import DocxImportError, docx_to_blocks, recognise
    from . import files

    name = safe_filename(filename, default="草稿")
    if extension(name) != ".docx":
        raise Invalid("请上传 .docx 格式的 Word 文档（.doc、.docm、.wps 等请先另存为 .docx）。")
    try:
        parts = recognise(docx_to_blocks(data))
    except DocxImportError as exc:
        raise Invalid(exc.message) from exc
    if not plain_text(parts.body_html):
        raise Invalid("文档中没有可导入的正文。")
    stem = name[: -len(".docx")].strip()
    data_in = DraftInput(title=(title.strip() or parts.title or stem or "未命名文件")[:200], doc_type=doc_type,
                         recipients=parts.recipients[:500], attachments_text="\n".join(parts.attachments)[:5000],
                         body_html=parts.body_html)
    problems = _validate(data_in)
    if problems:
        raise Invalid("文件未导入。", problems)
    if Role.DRAFTER not in author.roles or author.department_id is None:
        raise Forbidden("您没有起草人权限或尚未分配处室。")
    with transaction():
        doc = Document(department_id=author.department_id, drafter_id=author.id, stage=Stage.DRAFT.value)
        _apply(doc, data_in)
        db.session.add(doc)
        db.session.flush()
        stored = files.store(doc, "draft_upload", name, data, author)
        audit.record("import_docx", author, doc, to_stage=Stage.DRAFT.value,
                     details={"filename": stored.filename, "sha256": stored.sha256, "size": stored.size,
                              "recognised": parts.found + parts.dropped})
    return ImportedDraft(doc, parts.found, parts.dropped)


def _checked_attachment(upload: NewAttachment) -> tuple[str, bytes, str]:
    """(display name, data, content type) of a file that may be attached; refused otherwise."""
    from .. import attachments

    filename = safe_filename(upload.filename)  # no folders, control or bidi characters; bounded
    try:
        content_type = attachments.check(filename, upload.data)
    except attachments.AttachmentError as exc:
        raise AttachmentRefused(str(exc)) from exc
    return filename, upload.data, content_type


def _attach(doc: Document, drafter: User, filename: str, data: bytes, content_type: str) -> str:
    """Store the file and record it; returns the name kept (safe and bounded)."""
    from . import files

    stored = files.store(doc, "attachment", filename, data, drafter, content_type=content_type)
    audit.record("attach", drafter, doc, from_stage=doc.stage, to_stage=doc.stage,
                 details={"filename": stored.filename, "sha256": stored.sha256, "size": stored.size})
    return stored.filename


def _detach(doc: Document, drafter: User, file_id: int) -> None:
    from ..models import StoredFile

    f = db.session.get(StoredFile, file_id)
    if f is None or f.document_id != doc.id or f.kind != "attachment":
        raise NotFound("附件不存在。")
    db.session.delete(f)
    audit.record("detach", drafter, doc, from_stage=doc.stage, to_stage=doc.stage,
                 details={"filename": f.filename, "sha256": f.sha256})


def add_attachment(document_id: int, drafter: User, filename: str, data: bytes) -> str:
    """Attach a file while the document can still be edited; unsafe files are refused, nothing
    stored.  The file's content must be what its name says (webapp.attachments).  Returns the
    name kept: the safe display name, bounded, for the message after the upload."""
    get_document(document_id, drafter, "edit")  # permission before reading the file
    checked = _checked_attachment(NewAttachment(filename, data))
    with transaction():
        doc = get_document(document_id, drafter, "edit")
        return _attach(doc, drafter, *checked)


def remove_attachment(document_id: int, drafter: User, file_id: int) -> None:
    with transaction():
        doc = get_document(document_id, drafter, "edit")
        _detach(doc, drafter, file_id)


def proposed_abstract(doc: Document) -> tuple[str, str]:
    """The 关键词 ("、"-joined) and 内容概述 proposed from the document's text (webapp.abstracts),
    for the drafting form to show in an empty field; nothing is saved until the drafter saves."""
    if not doc.body_html:
        return "", ""
    text = scan_html(doc.body_html).text
    return "、".join(abstracts.propose_keywords(doc.title, text)), abstracts.propose_summary(text)
