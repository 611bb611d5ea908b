"""R11 (issue 11): 行政规范性文件 — the list of those expiring or expired, and the office's
clean-up decision per document.  The office (公开审查员, 办公室) decides: 规范性文件清理 is a
legal-content judgement of the 政务公开 department, like the yearly self-review (R10), and
its result is published; the archivist sees the same list, read-only, for the records."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ... import clock
from ... import validity as rules
from ...authz import roles_required
from ...services import validity
from ...services.documents import get_document
from ...services.errors import Conflict, Invalid
from ...workflow import Role
from .forms import ValidityDecisionForm

bp = Blueprint("validity", __name__, url_prefix="/validity")
office_or_archivist = roles_required(Role.OFFICE, Role.ARCHIVIST)


def _filters() -> tuple[int, str, int | None, list[str]]:
    problems = []
    days, problem = rules.window_problem(request.args.get("days"))
    if problem:
        problems.append(problem)
    show = request.args.get("show") or "due"
    if show not in validity.SHOW:
        problems.append("显示范围无效。")
        show = "due"
    raw = request.args.get("department") or ""
    department = None
    if raw:
        known = dict(validity.departments())
        if raw.isascii() and raw.isdigit() and len(raw) < 10 and int(raw) in known:
            department = int(raw)
        else:
            problems.append("处室无效，请从列表中选择。")
    return days, show, department, problems


@bp.route("/")
@office_or_archivist
def due():
    days, show, department, problems = _filters()
    rows = validity.due_list(days, show, department)
    return render_template("validity/due.html", rows=rows, days=days, show=show, department=department,
                           shows=validity.SHOW, departments=validity.departments(), problems=problems,
                           today=clock.agency_today()), 422 if problems else 200


def _document_page(doc_id: int, form: ValidityDecisionForm | None = None, problems: list[str] | None = None,
                   status: int = 200):
    doc = get_document(doc_id, current_user)
    if form is None:
        form = ValidityDecisionForm(version=doc.version, decided_on=clock.agency_today())
    today = clock.agency_today()
    return render_template("validity/document.html", doc=doc, form=form, problems=problems or [],
                           decisions=validity.decisions_of(doc.id), today=today,
                           standing=rules.standing(doc.validity, doc.effective_to, today) if doc.is_normative else None,
                           default_years=rules.default_years(doc.title),
                           may_decide=Role.OFFICE in current_user.roles), status


@bp.route("/documents/<int:doc_id>")
@office_or_archivist
def document(doc_id: int):
    return _document_page(doc_id)


@bp.route("/documents/<int:doc_id>/decide", methods=["POST"])
@roles_required(Role.OFFICE)
def decide(doc_id: int):
    form = ValidityDecisionForm()
    if not form.validate_on_submit():
        return _document_page(doc_id, form, [], 422)
    try:
        validity.decide(current_user, doc_id, form.version.data, form.decision.data or "", form.reason.data or "",
                        form.decided_on.data, form.new_effective_to.data)
    except Conflict as exc:
        fresh = ValidityDecisionForm(formdata=None, obj=None, version=get_document(doc_id, current_user).version,
                                     decision=form.decision.data, reason=form.reason.data,
                                     decided_on=form.decided_on.data, new_effective_to=form.new_effective_to.data)
        return _document_page(doc_id, fresh, [exc.message], 409)
    except Invalid as exc:
        return _document_page(doc_id, form, [exc.message, *exc.problems], 422)
    label = rules.decision_rule(form.decision.data).label
    flash(f"清理结论“{label}”已记录，已推送至政府网站更新有效性。", "ok")
    return redirect(url_for("validity.document", doc_id=doc_id))
