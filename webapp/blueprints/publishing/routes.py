"""Publishing: the "to de-identify" queue and the publisher's review of personal data (R8);
the 待发布 queue, publication to the portal, withdrawal and republication (R7, issue 8)."""

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ... import outbox
from ...authz import login_required, roles_required
from ...outbox import messages
from ...services import abstract, agency, applications_portal, correction, deid_review, publication, queues
from ...services.documents import get_document
from ...services.errors import Conflict, Invalid, NotFound
from ...workflow import Action, Role, Stage
from ..forms import EmptyForm, VersionedForm
from .forms import (
    AbstractForm,
    ConfirmForm,
    CorrectForm,
    DecisionForm,
    ManualFindingForm,
    WithdrawForm,
    parse_selection,
)

bp = Blueprint("publishing", __name__, url_prefix="/publishing")
publisher_only = roles_required(Role.PUBLISHER)


@bp.route("/")
@publisher_only
def queue():
    page = queues.review_queue(Stage.DEID_REVIEW, current_user, queues.QueueFilter(), request.args.get("cursor"), 50)
    return render_template("publishing/queue.html", page=page, deadlines=publication.deadlines_of(page.items))


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


@bp.route("/<int:doc_id>/attachments/<int:file_id>/withhold", methods=["POST"])
@publisher_only
def withhold(doc_id: int, file_id: int):
    """Checked by eye: it holds personal data that cannot be masked, so it is not published."""
    doc = get_document(doc_id, current_user, Action.CONFIRM_DEID)
    if not EmptyForm().validate_on_submit():
        raise Invalid("表单无效，请刷新页面后重试。")
    deid_review.mark_checked_by_eye(doc.id, file_id, current_user, withhold=True)
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
    if doc.stage == Stage.WITHDRAWN.value:  # a correction of a withdrawn document's public copy
        flash("公开版已更正。请核对后重新发布（同一索引号、同一网址）。", "ok")
    else:
        flash("去标识化已确认，公开版已生成，文件进入待发布。", "ok")
    if request.htmx:
        from flask import make_response

        resp = make_response("", 204)
        resp.headers["HX-Redirect"] = url_for("main.document", doc_id=doc.id)
        return resp
    return redirect(url_for("main.document", doc_id=doc.id))


# --------------------------------------------------------------------------- publication (issue 8)

@bp.route("/ready")
@publisher_only
def ready():
    """待发布: nearest deadline first; publish one or a selection; failed pushes with a retry button."""
    return _ready_page()


def _ready_page(problems: list[str] | None = None, status: int = 200):
    return render_template("publishing/ready.html", rows=publication.ready_queue(),
                           attention=publication.messages_needing_attention(), problems=problems or [],
                           application_statuses=applications_portal.troubled_count(),
                           agency_problems=agency.problems_for_publishing(), status_labels=outbox.STATUS_LABELS,
                           topic_fallback=messages.FALLBACK_TOPIC[0]), status


@bp.route("/publish", methods=["POST"])
@publisher_only
def publish():
    if not EmptyForm().validate_on_submit():
        raise Invalid("表单无效，请刷新页面后重试。")
    selection = parse_selection(request.form.getlist("select"))
    if selection is None:
        raise Invalid("所选文件无效，请刷新页面后重新选择。")
    try:
        result = publication.publish_selection(selection, current_user)
    except Invalid as exc:
        return _ready_page([exc.message], 422)
    if not result.queued:
        return _ready_page([why for _, why in result.refused], 422)
    for doc_id, why in result.refused:
        flash(f"文件 {doc_id} 未发布：{why}", "danger")
    flash(f"已提交发布 {len(result.queued)} 件，正在推送至政府网站。", "ok")
    return redirect(url_for("publishing.batch", batch=result.batch))


@bp.route("/batches/<string:batch>")
@publisher_only
def batch(batch: str):
    """A selection's progress: its outbox messages.  The page polls this URL while any is pending,
    so it survives a reload and shows the portal's answers as they come."""
    if not re.fullmatch(r"[0-9a-f]{16}", batch):
        raise NotFound("没有这批发布记录。")
    rows = publication.batch_messages(batch)
    done = sum(1 for r in rows if r.message.status != outbox.PENDING)
    context = dict(batch=batch, rows=rows, done=done, total=len(rows), status_labels=outbox.STATUS_LABELS,
                   retry_form=EmptyForm())
    template = "publishing/_batch.html" if request.htmx else "publishing/batch.html"
    return render_template(template, **context)


@bp.route("/messages/<int:message_id>/retry", methods=["POST"])
@publisher_only
def retry(message_id: int):
    if not EmptyForm().validate_on_submit():
        raise Invalid("表单无效，请刷新页面后重试。")
    row = publication.retry(message_id, current_user)
    flash("已重新排队推送。", "ok")
    if row.batch:
        return redirect(url_for("publishing.batch", batch=row.batch))
    return redirect(url_for("publishing.ready"))


@bp.route("/<int:doc_id>/withdraw", methods=["GET", "POST"])
@publisher_only
def withdraw(doc_id: int):
    doc = get_document(doc_id, current_user, Action.WITHDRAW)
    form = WithdrawForm(version=doc.version)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            publication.withdraw(doc.id, current_user, form.version.data, form.reason.data)
        except (Invalid, Conflict) as exc:
            problems = [exc.message, *exc.problems]
        else:
            flash("已撤回：政府网站上的该文件及其解读将显示撤回说明。", "ok")
            return redirect(url_for("main.document", doc_id=doc.id))
    status = 422 if problems or form.errors else 200
    return render_template("publishing/withdraw.html", doc=doc, form=form, problems=problems,
                           facts=publication.for_document(doc)), status


@bp.route("/<int:doc_id>/correct", methods=["GET", "POST"])
@publisher_only
def correct(doc_id: int):
    """更正公开版: a withdrawn document's de-identification review opens again (services/correction)."""
    doc = get_document(doc_id, current_user, Action.CORRECT)
    form = CorrectForm(version=doc.version)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            correction.start_correction(doc.id, current_user, form.version.data, form.note.data)
        except (Invalid, Conflict) as exc:
            problems = [exc.message, *exc.problems]
        else:
            flash("已开始更正公开版：请复核各处个人信息，确认更正后重新发布。", "ok")
            return redirect(url_for("publishing.review", doc_id=doc.id))
    status = 422 if problems or form.errors else 200
    return render_template("publishing/correct.html", doc=doc, form=form, problems=problems,
                           facts=publication.for_document(doc)), status


@bp.route("/<int:doc_id>/abstract", methods=["POST"])
@roles_required(Role.OFFICE)
def set_abstract(doc_id: int):
    """关键词 and 内容概述, changed by the office at review (issue 8)."""
    doc = get_document(doc_id, current_user)
    form = AbstractForm()
    if not form.validate_on_submit():
        raise Invalid("关键词和内容概述未修改。", [e for errs in form.errors.values() for e in errs]
                      or ["表单已过期，请刷新页面后重试。"])
    abstract.set_abstract(doc.id, current_user, form.version.data, form.keywords.data or "", form.summary.data or "")
    flash("已修改关键词和内容概述。", "ok")
    return redirect(url_for("main.document", doc_id=doc.id) + "#abstract")


@bp.route("/<int:doc_id>/republish", methods=["POST"])
@publisher_only
def republish(doc_id: int):
    doc = get_document(doc_id, current_user, Action.REPUBLISH)
    form = VersionedForm()
    if not form.validate_on_submit():
        raise Invalid("表单无效，请刷新页面后重试。")
    try:
        publication.republish(doc.id, current_user, form.version.data)
    except Invalid as exc:
        flash("".join([exc.message, *exc.problems]), "danger")
    else:
        flash("已重新发布：同一索引号、同一网址，正在推送至政府网站。", "ok")
    return redirect(url_for("main.document", doc_id=doc.id))


@bp.route("/published")
@publisher_only
def published():
    return render_template("publishing/published.html", rows=publication.published_documents(),
                           status_labels=outbox.STATUS_LABELS)


@bp.route("/<int:doc_id>/deadline")
@login_required
def deadline(doc_id: int):
    """“如何计算”: the count of the 发布期限 day by day (an HTMX fragment, or a page)."""
    doc = get_document(doc_id, current_user)
    found = publication.deadline_for(doc)
    if found is None:
        raise NotFound("该文件不是已印发的主动公开文件，没有发布期限。")
    template = "publishing/_deadline.html" if request.htmx else "publishing/deadline.html"
    return render_template(template, doc=doc, deadline=found)
