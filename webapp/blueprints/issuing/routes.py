"""Issuing: the office's "approved, waiting to issue" queue and the issue form."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ... import clock
from ...authz import roles_required
from ...services import issuing, queues
from ...services.documents import get_document
from ...services.errors import Conflict, Forbidden, Invalid
from ...workflow import Action, Role, Stage, allowed_actions
from .forms import IssueForm

bp = Blueprint("issuing", __name__, url_prefix="/issuing")
office_only = roles_required(Role.OFFICE)

@bp.route("/")
@office_only
def queue():
    page = queues.review_queue(Stage.APPROVED, current_user, queues.QueueFilter(), request.args.get("cursor"), 50)
    return render_template("issuing/queue.html", page=page)

@bp.route("/<int:doc_id>", methods=["GET", "POST"])
@office_only
def issue(doc_id: int):
    doc = get_document(doc_id, current_user)
    if Action.ISSUE not in allowed_actions(doc.facts(), current_user.facts()):
        if doc.doc_number:
            flash(f"该文件已印发，文号 {doc.doc_number}。", "info")
            return redirect(url_for("main.document", doc_id=doc.id))
        raise Forbidden("该文件当前不能由您印发（须为领导已签发、且非本人起草的文件）。")
    codes = issuing.active_codes()
    form = IssueForm()
    form.issuing_code.choices = [(c.id, f"{c.code}（{c.issuer_mark}）") for c in codes]
    if request.method == "GET":
        form.written_date.data = issuing.default_written_date(doc)
        form.print_date.data = clock.agency_today()
        form.version.data = doc.version
        if codes:
            form.issuing_code.data = codes[0].id
    problems: list[str] = []
    status = 200
    if form.validate_on_submit():
        try:
            doc = issuing.issue_document(doc.id, current_user, form.version.data, issuing.IssueInput(
                issuing_code_id=form.issuing_code.data, written_date=form.written_date.data,
                print_date=form.print_date.data, cc=form.cc.data or "", copies=form.copies.data))
        except (Invalid, Conflict) as exc:
            problems, status = (exc.problems or [exc.message]), exc.status
        else:
            flash(f"已印发，发文字号 {doc.doc_number}。正式文件已生成，可下载。", "ok")
            return redirect(url_for("main.document", doc_id=doc.id))
    elif form.is_submitted():
        status = 422
    if not codes:
        problems.append("尚未设置机关代字，请联系管理员在“机关代字”中添加。")
    return render_template("issuing/issue.html", doc=doc, form=form, problems=problems), status
