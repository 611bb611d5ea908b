"""Reviewer queues and the decision on a document (approve, return, refer to secrecy)."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from ...authz import roles_required
from ...services import chain, opinions, queues, todo
from ...services.documents import get_document
from ...services.errors import Conflict, Invalid
from ...workflow import STAGES, Action, Role, Stage, move_label, queue_stages_for
from ..auth.routes import safe_next
from ..inputs import BadInput
from ..main.routes import render_document
from .forms import DecisionForm, QueueFilterForm

bp = Blueprint("review", __name__, url_prefix="/review")
reviewers = roles_required(Role.SECRECY, Role.OFFICE, Role.LEADER, Role.DEPT_HEAD)
# The queues under /review/<stage> (the leader's is /approval/).
QUEUE_STAGES = (Stage.DEPT_CHECK, Stage.SECRECY_REVIEW, Stage.OFFICE_REVIEW, Stage.COUNTERSIGN)


def queue_filter(values) -> tuple[QueueFilterForm, queues.QueueFilter]:
    """The queue's filter from the page's query string, or from the filter inputs an inline
    decision carries along (so the header count after a move is the filtered one)."""
    form = QueueFilterForm(values)
    form.department.choices = [("", "全部")] + [(str(d.id), d.name) for d in queues.departments()]
    valid = form.validate()  # an unknown value is said next to its filter, not shown as 0 items
    if not valid and request.htmx and request.htmx.target != "main":
        raise BadInput("筛选条件无效：" + "".join(form.labelled_errors()))
    flt = queues.QueueFilter(
        department_id=int(form.department.data) if form.department.data and not form.department.errors else None,
        disclosure=(form.disclosure.data or None) if not form.disclosure.errors else None,
        waiting_days=form.waiting.data if not form.waiting.errors else None,
        newest_first=form.order.data == "newest",
        urgent_first=form.order.data == "urgent",
    )
    return form, flt


def render_queue(stage: Stage):
    """The queue page for `stage`, or only its rows for an HTMX request."""
    if STAGES[stage].actor_role not in current_user.roles:
        abort(403, description=f"您不是{STAGES[stage].actor_role.label}，不能查看该队列。")
    form, flt = queue_filter(request.args)
    g.nav_counts = todo.navigation(current_user)  # the same numbers the navigation shows
    page = queues.review_queue(stage, current_user, flt, request.args.get("cursor"), _page_size(),
                               unfiltered_total=g.nav_counts.get(stage.value))
    context = dict(stage=stage, info=STAGES[stage], page=page, form=form, filters=_filter_args())
    if request.htmx and request.htmx.target != "main":
        template = "review/_more.html" if request.args.get("cursor") else "review/_rows.html"
        return render_template(template, **context)
    return render_template("review/queue.html", **context), 400 if form.errors else 200


def _page_size() -> int:
    from flask import current_app

    return current_app.config["QUEUE_PAGE_SIZE"]


def _filter_args() -> dict:
    return {k: v for k, v in request.args.items() if k in ("department", "disclosure", "waiting", "order") and v}


@bp.route("/<stage>")
@reviewers
def queue(stage: str):
    if stage not in {s.value for s in QUEUE_STAGES}:
        abort(404)
    return render_queue(Stage(stage))


@bp.route("/documents/<int:doc_id>/form")
@reviewers
def decision_form(doc_id: int):
    """The inline comment form (return / refer) that opens inside a queue row."""
    try:
        action = Action(request.args.get("action", Action.RETURN.value))
    except ValueError:
        abort(404)
    doc = get_document(doc_id, current_user, action)
    if not request.htmx:
        return redirect(url_for("main.document", doc_id=doc.id) + "#decision")
    form = DecisionForm(action=action.value, version=doc.version, context="queue")
    return render_template("review/_inline_form.html", doc=doc, form=form, action=action)


@bp.route("/documents/<int:doc_id>/decide", methods=["POST"])
@reviewers
def decide(doc_id: int):
    form = DecisionForm()
    in_queue = form.context.data == "queue"
    if not form.validate_on_submit():
        problems = [m for msgs in form.errors.values() for m in msgs]
        if not (request.htmx and in_queue):  # on the document page, beside the decision form
            return render_document(get_document(doc_id, current_user), decision_form=form,
                                   decision_problems=["处理意见无效，没有做任何修改。", *problems], status=422)
        raise Invalid("处理意见无效，没有做任何修改。", problems)
    action = Action(form.action.data)
    said = move_label(get_document(doc_id, current_user).stage, action)  # 签发, 审核通过, 保密审查通过…
    try:
        doc = chain.move(
            doc_id, current_user, action, form.version.data, form.comment.data or "",
            proposed_disclosure=form.proposed_disclosure.data or None,
            proposal_reason=form.proposal_reason.data or "",
        )
    except Conflict as exc:
        fresh = get_document(doc_id, current_user)
        if request.htmx and in_queue:
            return render_template("review/_row_done.html", doc=fresh, message=exc.message, conflict=True,
                                   queue_total=_queue_total_after_move()), 409
        flash(exc.message, "warn")
        form.version.data = fresh.version  # what was typed stays; the page shows the new state
        return render_document(fresh, decision_form=form, status=409)
    except Invalid as exc:
        doc = get_document(doc_id, current_user)
        if request.htmx and in_queue:
            return render_template("review/_inline_form.html", doc=doc, form=form, action=action,
                                   problems=exc.problems or [exc.message]), 422
        return render_document(doc, decision_form=form, decision_problems=[exc.message, *exc.problems], status=422)
    message = f"已{said}：{doc.title}（现为“{doc.stage_enum.label}”）"
    if form.save_phrase.data and form.comment.data:
        try:
            opinions.save_phrase(current_user, form.comment.data)
        except Invalid as exc:
            message += f"（意见未存为常用意见：{exc.message}）"
        else:
            message += "（已存为常用意见）"
    if request.htmx and in_queue:
        return render_template("review/_row_done.html", doc=doc, message=message, conflict=False,
                               queue_total=_queue_total_after_move())
    flash(message, "ok")
    if in_queue:
        return redirect(safe_next(request.form.get("next")))
    return redirect(url_for("main.document", doc_id=doc.id))


def _queue_total_after_move() -> str | None:
    """The queue page's header count after an inline move, for the same filter as the page
    (the row carries its queue and the page's filter inputs along)."""
    try:
        stage = Stage(request.form.get("queue", ""))
    except ValueError:
        return None
    if stage not in queue_stages_for(current_user.roles):
        return None
    _, flt = queue_filter(request.form)
    return queues.review_queue(stage, current_user, flt, None, 1).total_label
