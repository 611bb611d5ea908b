"""Publishing: the "to de-identify" queue and the publisher's review of personal data (R8)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...authz import roles_required
from ...services import deid_review, queues
from ...services.documents import get_document
from ...services.errors import Conflict, Invalid
from ...workflow import Action, Role, Stage
from ..forms import EmptyForm
from .forms import ConfirmForm, DecisionForm, ManualFindingForm

bp = Blueprint("publishing", __name__, url_prefix="/publishing")
publisher_only = roles_required(Role.PUBLISHER)


@bp.route("/")
@publisher_only
def queue():
    page = queues.review_queue(Stage.DEID_REVIEW, current_user, queues.QueueFilter(), request.args.get("cursor"), 50)
    return render_template("publishing/queue.html", page=page)


def _workspace(doc, problems: list[str] | None = None, status: int = 200, keep_form_for: int | None = None):
    """The review workspace: marked text, the findings list, the counter and the public preview.
    An HTMX request gets the fragment; a plain one the whole page."""
    findings = deid_review.findings_of(doc.id)
    fields = deid_review.review_fields(doc)
    done, total = deid_review.progress(findings)
    context = dict(
        doc=doc, findings=findings, done=done, total=total, problems=problems or [],
        fields=fields, field_labels=deid_review.field_labels(doc),
        eye_files=deid_review.eye_check_files(doc),
        segments=deid_review.segments(fields, findings),
        replacements=deid_review.replacements_for(findings), preview=deid_review.public_copy(doc, findings),
        kind_labels=deid_review.kind_labels(), keep_form_for=keep_form_for,
        manual_form=ManualFindingForm(), confirm_form=ConfirmForm(version=doc.version),
    )
    template = "publishing/_workspace.html" if request.htmx else "publishing/review.html"
    return render_template(template, **context), status


@bp.route("/<int:doc_id>")
@publisher_only
def review(doc_id: int):
    doc = get_document(doc_id, current_user, Action.CONFIRM_DEID)  # a GET changes nothing
    keep = request.args.get("keep", type=int)
    return _workspace(doc, keep_form_for=keep)


@bp.route("/<int:doc_id>/scan", methods=["POST"])
@publisher_only
def scan(doc_id: int):
    """Find personal data in a document that reached review unscanned."""
    if not EmptyForm().validate_on_submit():
        raise Invalid("表单无效，请刷新页面后重试。")
    doc = deid_review.ensure_scanned(doc_id, current_user)
    if not request.htmx:
        return redirect(url_for("publishing.review", doc_id=doc.id))
    return _workspace(doc)


@bp.route("/<int:doc_id>/findings/<int:finding_id>", methods=["POST"])
@publisher_only
def decide(doc_id: int, finding_id: int):
    doc = get_document(doc_id, current_user, Action.CONFIRM_DEID)
    form = DecisionForm()
    if not form.validate_on_submit():
        raise Invalid("处理方式无效，请刷新页面后重试。")
    try:
        deid_review.decide(doc.id, finding_id, current_user, form.decision.data, form.keep_reason.data or "")
    except Invalid as exc:
        return _workspace(doc, [exc.message], 422, keep_form_for=finding_id)
    if not request.htmx:
        return redirect(url_for("publishing.review", doc_id=doc.id))
    return _workspace(doc)


@bp.route("/<int:doc_id>/findings", methods=["POST"])
@publisher_only
def add(doc_id: int):
    doc = get_document(doc_id, current_user, Action.CONFIRM_DEID)
    form = ManualFindingForm()
    if not form.validate_on_submit():
        return _workspace(doc, [m for msgs in form.errors.values() for m in msgs], 422)
    try:
        n = deid_review.add_by_hand(doc.id, current_user, form.field.data or "*", form.text.data, form.kind.data)
    except Invalid as exc:
        return _workspace(doc, [exc.message], 422)
    if not request.htmx:
        flash(f"已标记 {n} 处。", "ok")
        return redirect(url_for("publishing.review", doc_id=doc.id))
    return _workspace(doc)


@bp.route("/<int:doc_id>/attachments/<int:file_id>/checked", methods=["POST"])
@publisher_only
def eye_checked(doc_id: int, file_id: int):
    doc = get_document(doc_id, current_user, Action.CONFIRM_DEID)
    if not EmptyForm().validate_on_submit():
        raise Invalid("表单无效，请刷新页面后重试。")
    deid_review.mark_checked_by_eye(doc.id, file_id, current_user)
    if not request.htmx:
        return redirect(url_for("publishing.review", doc_id=doc.id))
    return _workspace(doc)


@bp.route("/<int:doc_id>/confirm", methods=["POST"])
@publisher_only
def confirm(doc_id: int):
    doc = get_document(doc_id, current_user, Action.CONFIRM_DEID)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _workspace(doc, ["表单无效，请刷新页面后重试。"], 400)
    try:
        doc = deid_review.confirm(doc.id, current_user, form.version.data)
    except (Invalid, Conflict) as exc:
        return _workspace(get_document(doc_id, current_user), [exc.message], exc.status)
    flash("去标识化已确认，公开版已生成，文件进入待发布。", "ok")
    if request.htmx:
        from flask import make_response

        resp = make_response("", 204)
        resp.headers["HX-Redirect"] = url_for("main.document", doc_id=doc.id)
        return resp
    return redirect(url_for("main.document", doc_id=doc.id))
