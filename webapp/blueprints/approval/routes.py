"""Approval: the leader's queue, 会签 departments, personal opinion phrases and the 发文稿纸."""

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user

from ... import filenames
from ...authz import login_required, roles_required
from ...docgen.processing_sheet import HISTORY_COLUMNS, field_rows, history_rows
from ...services import countersign, opinions
from ...services.documents import get_document
from ...services.errors import Invalid
from ...workflow import Role, Stage
from ..forms import EmptyForm
from ..review.routes import render_queue
from .forms import CountersignForm, PhraseForm

bp = Blueprint("approval", __name__, url_prefix="/approval")
# Who writes opinions on decisions (the drafter's submission needs none).
deciders = roles_required(Role.DEPT_HEAD, Role.SECRECY, Role.OFFICE, Role.LEADER)
# Who lists 会签 departments: the drafter before submitting, the office while reviewing.
countersign_editors = roles_required(Role.DRAFTER, Role.OFFICE)


@bp.route("/")
@roles_required(Role.LEADER)
def queue():
    return render_queue(Stage.LEADER_APPROVAL)


def _back(doc_id: int):
    return redirect(url_for("main.document", doc_id=doc_id) + "#countersign")


@bp.route("/documents/<int:doc_id>/countersign", methods=["POST"])
@countersign_editors
def add_countersign(doc_id: int):
    countersign.require_may_change(get_document(doc_id, current_user), current_user)
    form = CountersignForm()
    if not form.validate_on_submit():
        raise Invalid("请选择会签处室，没有做任何修改。", [m for msgs in form.errors.values() for m in msgs])
    doc = countersign.add_department(doc_id, current_user, form.department_id)
    added = next(c.department.name for c in doc.countersigns if c.department_id == form.department_id)
    flash(f"已添加会签处室：{added}", "ok")
    return _back(doc_id)


@bp.route("/documents/<int:doc_id>/countersign/<int:dept_id>/remove", methods=["POST"])
@countersign_editors
def remove_countersign(doc_id: int, dept_id: int):
    countersign.require_may_change(get_document(doc_id, current_user), current_user)
    if not EmptyForm().validate_on_submit():
        raise Invalid("表单无效，请刷新页面后重试。")
    doc = countersign.remove_department(doc_id, current_user, dept_id)
    message = "已移除会签处室。"
    if doc.stage_enum is Stage.LEADER_APPROVAL:
        message += "其余会签处室均已同意，文件已送领导签发。"
    flash(message, "ok")
    return _back(doc_id)


@bp.route("/phrases", methods=["GET", "POST"])
@deciders
def phrases():
    form = PhraseForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            opinions.save_phrase(current_user, form.text.data)
        except Invalid as exc:
            problems = [exc.message]
        else:
            flash("常用意见已保存。", "ok")
            return redirect(url_for("approval.phrases"))
    status = 422 if problems or form.errors else 200
    return render_template("approval/phrases.html", form=form, problems=problems,
                           phrases=opinions.phrases_of(current_user), delete_form=EmptyForm()), status


@bp.route("/phrases/<int:phrase_id>/delete", methods=["POST"])
@deciders
def delete_phrase(phrase_id: int):
    if not EmptyForm().validate_on_submit():
        raise Invalid("表单无效，请刷新页面后重试。")
    opinions.delete_phrase(current_user, phrase_id)
    flash("常用意见已删除。", "ok")
    return redirect(url_for("approval.phrases"))


@bp.route("/documents/<int:doc_id>/sheet")
@login_required
def sheet(doc_id: int):
    """The 发文稿纸 as a printable page."""
    doc = get_document(doc_id, current_user)
    sheet = opinions.processing_sheet(doc)
    return render_template("approval/sheet.html", doc=doc, sheet=sheet, rows=field_rows(sheet),
                           columns=HISTORY_COLUMNS, history=history_rows(sheet))


@bp.route("/documents/<int:doc_id>/sheet.docx")
@login_required
def sheet_docx(doc_id: int):
    """The 发文稿纸 as .docx, made now from the record (the copy filed at 印发 is among the files)."""
    doc = get_document(doc_id, current_user)
    data = opinions.processing_sheet_docx(doc)
    name = f"{doc.doc_number or ''} {doc.title} 发文稿纸.docx".strip()
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": filenames.content_disposition(name, f"sheet-{doc.id}", ".docx"),
                             "Content-Length": str(len(data))})
