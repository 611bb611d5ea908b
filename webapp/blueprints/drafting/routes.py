"""Drafting: write, edit and submit a document; the drafter's own lists."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...attachments import MAX_ATTACHMENT_BYTES
from ...authz import roles_required
from ...disclosure import LEGAL_BASES
from ...docgen import MAX_UPLOAD_BYTES
from ...doctypes import RECIPIENTS_REQUIRED
from ...policy import can_edit
from ...services import chain, drafting, files, queues
from ...services.documents import get_document
from ...services.drafting import AttachmentRefused, NewAttachment
from ...services.errors import Conflict, Invalid, NotFound
from ...workflow import Role, Stage
from ..forms import EmptyForm, VersionedForm
from .forms import AttachmentForm, DocumentForm, ImportForm

bp = Blueprint("drafting", __name__, url_prefix="/drafting")
drafter_only = roles_required(Role.DRAFTER)


def _render_form(form: DocumentForm, doc=None, problems=None, status=200):
    if request.method == "POST":  # typed in the request: only the cleaned markup goes back to the editor
        form.keep_clean_markup()
    missing = drafting.submission_problems(doc) if doc is not None else []
    returns = queues.latest_returns([doc.id]) if doc is not None else {}
    return render_template("drafting/edit.html", form=form, doc=doc, problems=problems or [],
                           missing=missing, last_return=returns.get(doc.id) if doc else None,
                           legal_bases=LEGAL_BASES, recipients_required=RECIPIENTS_REQUIRED,
                           max_attachment_bytes=MAX_ATTACHMENT_BYTES,
                           attached=files.files_of(doc.id, "attachment") if doc else []), status


def _short(name: str, limit: int = 60) -> str:
    name = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name if len(name) <= limit else "…" + name[-limit:]


def _refused_file(form: DocumentForm, doc, message: str):
    """The chosen file was refused: the message beside the file field, everything typed kept."""
    form.file.errors = [*form.file.errors, message]
    return _render_form(form, doc, problems=["附件未上传，本页的修改也尚未保存。请重新选择文件上传，或直接“保存草稿”。"],
                        status=422)


def _after_save(doc, form: DocumentForm, attach: NewAttachment | None, detached: bool):
    if form.intent.data == "submit":
        return _submit_after_save(doc, form.submit_comment.data or "")
    if attach is not None:
        flash(f"草稿已保存，附件已上传：{_short(attach.filename)}", "ok")
        return redirect(url_for("drafting.edit", doc_id=doc.id) + "#attachments")
    if detached:
        flash("草稿已保存，附件已删除。", "ok")
        return redirect(url_for("drafting.edit", doc_id=doc.id) + "#attachments")
    flash("修改已保存。" if form.version.data else "草稿已保存。", "ok")
    return redirect(url_for("drafting.edit", doc_id=doc.id))


def _submit_after_save(doc, comment: str):
    try:
        chain.submit_for_review(doc.id, current_user, doc.version, comment)
    except Invalid as exc:
        flash("已保存为草稿，但尚不能提交：" + "".join(exc.problems), "warn")
        return redirect(url_for("drafting.edit", doc_id=doc.id))
    flash("文件已提交审核。", "ok")
    return redirect(url_for("main.document", doc_id=doc.id))


@bp.route("/new", methods=["GET", "POST"])
@drafter_only
def new():
    form = DocumentForm()
    if form.validate_on_submit():
        attach = form.new_attachment(MAX_ATTACHMENT_BYTES)
        if form.intent.data == "attach" and attach is None:
            return _refused_file(form, None, "请选择要上传的附件。")
        try:
            doc = drafting.create_draft(current_user, form.to_input(), attach=attach)
        except AttachmentRefused as exc:
            return _refused_file(form, None, exc.message)
        except Invalid as exc:
            return _render_form(form, problems=exc.problems or [exc.message], status=422)
        return _after_save(doc, form, attach, detached=False)
    return _render_form(form, status=422 if form.errors else 200)


@bp.route("/import", methods=["GET", "POST"])
@drafter_only
def import_docx():
    """Upload a .docx draft: its paragraphs, headings and tables become the editable body."""
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        try:
            imported = drafting.import_draft(current_user, upload.filename or "", data, form.title.data or "",
                                             form.doc_type.data)
        except Invalid as exc:
            problems = exc.problems or [exc.message]
        else:
            flash(imported.summary, "ok")
            return redirect(url_for("drafting.edit", doc_id=imported.document.id))
    status = 422 if problems or form.errors else 200
    return render_template("drafting/import.html", form=form, problems=problems,
                           max_upload_bytes=MAX_UPLOAD_BYTES), status


@bp.route("/<int:doc_id>/edit", methods=["GET", "POST"])
@drafter_only
def edit(doc_id: int):
    doc = get_document(doc_id, current_user, "edit")
    form = DocumentForm(obj=None if request.method == "POST" else doc)
    if request.method == "GET":
        form.legal_basis_codes.data = doc.legal_basis_codes
        form.urgency.data = str(doc.urgency or 0)
        form.version.data = doc.version
        if not (doc.keywords and doc.summary):  # 关键词 / 内容概述 proposed when empty (issue 8)
            keywords, summary = drafting.proposed_abstract(doc)
            form.keywords.data, form.summary.data = doc.keywords or keywords, doc.summary or summary
    if form.validate_on_submit():
        attach = form.new_attachment(MAX_ATTACHMENT_BYTES)
        detach = form.detach_file_id()
        if form.intent.data == "attach" and attach is None:
            return _refused_file(form, doc, "请选择要上传的附件。")
        try:
            version = int(form.version.data or 0)
            doc = drafting.update_draft(doc_id, current_user, form.to_input(), version,
                                        attach=attach, detach_file_id=detach)
        except ValueError:
            return _render_form(form, doc, problems=["缺少版本号，请刷新页面。"], status=400)
        except AttachmentRefused as exc:
            return _refused_file(form, doc, exc.message)
        except (Conflict, Invalid, NotFound) as exc:
            return _render_form(form, doc, problems=exc.problems or [exc.message], status=exc.status)
        return _after_save(doc, form, attach, detached=detach is not None)
    return _render_form(form, doc, status=422 if form.errors else 200)


@bp.route("/<int:doc_id>/attachments", methods=["POST"])
@drafter_only
def add_attachment(doc_id: int):
    """A file posted on its own (without the draft form): refusals come back on the edit page."""
    doc = get_document(doc_id, current_user, "edit")
    form = AttachmentForm()
    if not form.validate_on_submit():
        return _refused_on_edit_page(doc, [m for msgs in form.errors.values() for m in msgs])
    upload = form.file.data
    try:
        name = drafting.add_attachment(doc_id, current_user, upload.filename or "附件", upload.read(MAX_ATTACHMENT_BYTES + 1))
    except Invalid as exc:
        return _refused_on_edit_page(doc, [exc.message, *exc.problems])
    flash(f"已添加附件：{name}", "ok")  # the safe, bounded name the service kept
    return redirect(url_for("drafting.edit", doc_id=doc_id) + "#attachments")


def _refused_on_edit_page(doc, messages: list[str], problems: list[str] | None = None, status: int = 422):
    """The edit page as last saved, with the refusal beside the file field."""
    form = DocumentForm(formdata=None, obj=doc)
    form.legal_basis_codes.data = doc.legal_basis_codes
    form.version.data = doc.version
    form.file.errors = messages
    return _render_form(form, doc, problems=problems, status=status)


@bp.route("/<int:doc_id>/attachments/<int:file_id>/delete", methods=["POST"])
@drafter_only
def remove_attachment(doc_id: int, file_id: int):
    if not EmptyForm().validate_on_submit():
        raise Invalid("表单无效，请刷新页面后重试。")
    drafting.remove_attachment(doc_id, current_user, file_id)
    flash("附件已删除。", "ok")
    return redirect(url_for("drafting.edit", doc_id=doc_id) + "#attachments")


@bp.route("/<int:doc_id>/submit", methods=["POST"])
@drafter_only
def submit(doc_id: int):
    form = VersionedForm()
    if not form.validate_on_submit():
        raise Invalid("表单无效，请刷新页面后重试。")
    chain.submit_for_review(doc_id, current_user, form.version.data, request.form.get("comment", ""))
    flash("文件已提交审核。", "ok")
    return redirect(url_for("main.document", doc_id=doc_id))


@bp.route("/<int:doc_id>/accept-proposal", methods=["POST"])
@drafter_only
def accept_proposal(doc_id: int):
    form = VersionedForm()
    if not form.validate_on_submit():
        raise Invalid("表单无效，请刷新页面后重试。")
    drafting.accept_proposal(doc_id, current_user, form.version.data)
    flash("已接受办公室建议的公开属性，请检查后重新提交。", "ok")
    return redirect(url_for("drafting.edit", doc_id=doc_id))


@bp.route("/")
@drafter_only
def mine():
    """All the drafter's documents, or with ?stage=draft only those not yet submitted."""
    shown = request.args.get("stage", "")
    if shown not in ("", Stage.DRAFT.value):
        return render_template("drafting/mine.html", docs=queues.my_documents(current_user), shown="",
                               problem="未知的筛选条件，已显示全部文件。"), 400
    stages = [Stage.DRAFT] if shown else None
    return render_template("drafting/mine.html", docs=queues.my_documents(current_user, stages), shown=shown,
                           problem=None)


@bp.route("/returned")
@drafter_only
def returned():
    docs = queues.my_documents(current_user, [Stage.RETURNED])
    returns = queues.latest_returns([d.id for d in docs])
    return render_template("drafting/returned.html", docs=docs, returns=returns)


@bp.route("/department")
@drafter_only
def department():
    docs = queues.department_documents(current_user)
    return render_template("drafting/department.html", docs=docs)


@bp.errorhandler(413)
def too_large(exc):
    """The body was refused before it was read (over MAX_CONTENT_LENGTH): the page the user was
    on comes back with the reason beside the file field.  Nothing of the request can be read, so
    the form shows what was last saved; the page's script checks sizes before sending, so this
    is what a browser without JavaScript meets."""
    limit_mb = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    message = (f"提交的内容超过了系统允许的大小（{limit_mb} MB），没有保存。附件每个不超过 "
               f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB，请压缩或拆分后重新上传。")
    unsaved = "本次提交的内容没有收到，页面显示的是上次保存的内容；未保存的修改需要重新填写。"
    doc_id = (request.view_args or {}).get("doc_id")
    if request.endpoint == "drafting.import_docx":
        form = ImportForm(formdata=None)
        form.file.errors = [message]
        return render_template("drafting/import.html", form=form, problems=[],
                               max_upload_bytes=MAX_UPLOAD_BYTES), 413
    if request.endpoint == "drafting.new":
        form = DocumentForm(formdata=None)
        form.file.errors = [message]
        return render_template("drafting/edit.html", form=form, doc=None, problems=[unsaved], missing=[],
                               last_return=None, legal_bases=LEGAL_BASES, recipients_required=RECIPIENTS_REQUIRED,
                               max_attachment_bytes=MAX_ATTACHMENT_BYTES, attached=[]), 413
    if doc_id is not None:
        doc = get_document(doc_id, current_user)
        if can_edit(current_user, doc):
            return _refused_on_edit_page(doc, [message], problems=[unsaved], status=413)
    return render_template("errors/error.html", status=413, title="提交的内容过大", message=message, problems=[]), 413
