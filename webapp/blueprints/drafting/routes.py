"""Drafting: write, edit and submit a document; the drafter's own lists."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...authz import roles_required
from ...disclosure import LEGAL_BASES
from ...docgen import MAX_UPLOAD_BYTES
from ...services import chain, drafting, files, queues
from ...services.documents import get_document
from ...services.errors import Conflict, Invalid
from ...workflow import Role, Stage
from ..forms import EmptyForm, VersionedForm
from .forms import AttachmentForm, DocumentForm, ImportForm

bp = Blueprint("drafting", __name__, url_prefix="/drafting")
drafter_only = roles_required(Role.DRAFTER)


def _render_form(form: DocumentForm, doc=None, problems=None, status=200):
    missing = drafting.submission_problems(doc) if doc is not None else []
    returns = queues.latest_returns([doc.id]) if doc is not None else {}
    return render_template("drafting/edit.html", form=form, doc=doc, problems=problems or [],
                           missing=missing, last_return=returns.get(doc.id) if doc else None,
                           legal_bases=LEGAL_BASES, attachment_form=AttachmentForm(),
                           attached=files.files_of(doc.id, "attachment") if doc else []), status


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
        try:
            doc = drafting.create_draft(current_user, form.to_input())
        except Invalid as exc:
            return _render_form(form, problems=exc.problems, status=422)
        if form.intent.data == "submit":
            return _submit_after_save(doc, form.submit_comment.data or "")
        flash("草稿已保存。", "ok")
        return redirect(url_for("drafting.edit", doc_id=doc.id))
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
            doc = drafting.import_draft(current_user, upload.filename or "", data, form.title.data or "",
                                        form.doc_type.data)
        except Invalid as exc:
            problems = exc.problems or [exc.message]
        else:
            flash("Word 草稿已导入，请核对正文并设置公开属性。", "ok")
            return redirect(url_for("drafting.edit", doc_id=doc.id))
    status = 422 if problems or form.errors else 200
    return render_template("drafting/import.html", form=form, problems=problems), status


@bp.route("/<int:doc_id>/edit", methods=["GET", "POST"])
@drafter_only
def edit(doc_id: int):
    doc = get_document(doc_id, current_user, "edit")
    form = DocumentForm(obj=None if request.method == "POST" else doc)
    if request.method == "GET":
        form.legal_basis_codes.data = doc.legal_basis_codes
        form.urgency.data = str(doc.urgency or 0)
        form.version.data = doc.version
    if form.validate_on_submit():
        try:
            version = int(form.version.data or 0)
            doc = drafting.update_draft(doc_id, current_user, form.to_input(), version)
        except ValueError:
            return _render_form(form, doc, problems=["缺少版本号，请刷新页面。"], status=400)
        except (Conflict, Invalid) as exc:
            return _render_form(form, doc, problems=exc.problems or [exc.message], status=exc.status)
        if form.intent.data == "submit":
            return _submit_after_save(doc, form.submit_comment.data or "")
        flash("修改已保存。", "ok")
        return redirect(url_for("drafting.edit", doc_id=doc.id))
    return _render_form(form, doc, status=422 if form.errors else 200)


@bp.route("/<int:doc_id>/attachments", methods=["POST"])
@drafter_only
def add_attachment(doc_id: int):
    get_document(doc_id, current_user, "edit")
    form = AttachmentForm()
    if not form.validate_on_submit():
        raise Invalid("请选择要上传的附件。", [m for msgs in form.errors.values() for m in msgs])
    upload = form.file.data
    drafting.add_attachment(doc_id, current_user, upload.filename or "附件", upload.read(MAX_UPLOAD_BYTES + 1))
    flash(f"已添加附件：{upload.filename}", "ok")
    return redirect(url_for("drafting.edit", doc_id=doc_id) + "#attachments")


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
    docs = queues.my_documents(current_user)
    return render_template("drafting/mine.html", docs=docs)


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
