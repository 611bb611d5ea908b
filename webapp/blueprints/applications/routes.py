"""The handler's pages: register, the queue by deadline, one application with its clock,
its events and the moves open to this user, the letters."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ... import clock, outbox
from ...applications_flow import (
    APP_EVENT_LABELS,
    APP_MOVES_BY_ACTION,
    OUTCOME_BY_CODE,
    REMEDY_KINDS,
    REMEDY_RESULTS,
    AppAction,
)
from ...authz import roles_required
from ...deid import KIND_LABELS
from ...readonly import reads_only
from ...services import applications, applications_portal, applications_provided, todo
from ...services.errors import Conflict, Forbidden, Invalid, NotFound
from ...workflow import Role
from ..forms import EmptyForm
from .forms import AssignForm, EyeCheckForm, FindingForm, MoveForm, ProvideForm, RegisterForm, RemedyForm, SearchForm

bp = Blueprint("applications", __name__, url_prefix="/applications")
staff = roles_required(Role.HANDLER, Role.OFFICE, Role.DISCLOSURE_HEAD)


@bp.app_template_filter("app_event_label")
def app_event_label(kind: str) -> str:
    return APP_EVENT_LABELS.get(kind, "其他办理事项")


@bp.route("/")
@staff
@reads_only
def queue():
    after = applications.parse_cursor(request.args.get("after", ""))
    # the navigation's counters ride on the page's statement (one round trip fewer)
    page = applications.queue_page(current_user, after, riders=todo.navigation_riders(current_user))
    rows = page.rows
    more = applications.cursor_after(rows[-1]) if len(rows) == applications.QUEUE_PAGE else None
    return render_template("applications/queue.html", rows=rows, clocks=applications.queue_clocks(rows),
                           more=more, total=page.total,
                           undelivered=applications.undelivered(current_user) if page.undelivered else [],
                           status_labels=outbox.STATUS_LABELS,
                           empty_form=EmptyForm(formdata=None) if page.undelivered else None)  # the panel's buttons


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.HANDLER)
def register():
    form = RegisterForm()
    if request.method == "GET":
        form.received_on.data = clock.agency_today()
    problems: list[str] = []
    status = 200
    if form.validate_on_submit():
        try:
            app = applications.register(current_user, applications.RegisterInput(
                channel=form.channel.data, received_on=form.received_on.data,
                applicant_type=form.applicant_type.data, applicant_name=form.applicant_name.data or "",
                description=form.description.data or "", id_doc_type=form.id_doc_type.data or "",
                id_doc_number=form.id_doc_number.data or "", contact_phone=form.contact_phone.data or "",
                contact_address=form.contact_address.data or "", contact_email=form.contact_email.data or "",
                form_wanted=form.form_wanted.data))
        except Invalid as exc:
            problems, status = exc.problems or [exc.message], exc.status
        else:
            flash(f"已登记 {app.reference}，接收回执已生成。", "ok")
            if app.duplicate_of_id:
                flash("注意：同一申请人曾提出相同的申请，可能属于重复申请。", "warn")
            return redirect(url_for("applications.detail", app_id=app.id))
    elif form.is_submitted():
        status = 422
    return render_template("applications/register.html", form=form, problems=problems), status


def _detail(app, problems=None, status=200, form=None):
    calendar = applications.working_calendar()
    actions = applications.actions_for(app, current_user, calendar)
    form = form or MoveForm(formdata=None, version=app.version, reply_text=app.reply_text, outcome=app.outcome or "")
    outcome = OUTCOME_BY_CODE.get(app.outcome or "")
    return render_template(
        "applications/detail.html", app=app, clock=applications.clock_of(app, calendar),
        events=applications.events_of(app.id), files=applications.files_of(app.id), actions=actions,
        moves=APP_MOVES_BY_ACTION, form=form, search_form=SearchForm(formdata=None, notes=app.search_notes),
        problems=problems or [], outcome=outcome, remedy_form=RemedyForm(formdata=None),
        remedies=applications.remedies_of(app.id), remedy_kinds=REMEDY_KINDS, remedy_results=REMEDY_RESULTS, assign_form=_assign_form(app) if applications.sees_all(current_user) else None,
        duplicate=applications.get_application(app.duplicate_of_id, current_user)
        if app.duplicate_of_id and _may_see(app.duplicate_of_id) else None,
        provided=[(p, applications_provided.findings_of(p.id), applications_provided.attachments_of(p.id),
                   applications_provided.field_labels(p))
                  for p in applications_provided.applications_provided_of(app.id)],
        deid_kinds=KIND_LABELS, provide_form=ProvideForm(formdata=None), finding_form=FindingForm(formdata=None),
        eye_form=EyeCheckForm(formdata=None), eye_decisions=applications_provided.EYE_DECISIONS,
        empty_form=EmptyForm(formdata=None),
        portal_message=applications_portal.last_message(app.id) if app.portal_ref else None,
    ), status


def _assign_form(app, formdata=None):
    form = AssignForm(formdata=formdata, version=app.version, handler=app.handler_id)
    form.handler.choices = [(u.id, f"{u.department.name if u.department else ''} {u.display_name}")
                            for u in applications.handlers()]
    return form


@bp.route("/<int:app_id>/assign", methods=["POST"])
@roles_required(Role.OFFICE, Role.DISCLOSURE_HEAD)
def assign(app_id: int):
    app = applications.get_application(app_id, current_user)
    form = _assign_form(app, request.form)
    if not form.validate_on_submit():
        return _detail(app, [m for msgs in form.errors.values() for m in msgs], 422)
    try:
        app = applications.assign(app.id, current_user, form.handler.data, form.version.data)
    except (Invalid, Conflict) as exc:
        return _detail(applications.get_application(app_id, current_user), exc.problems or [exc.message], exc.status)
    flash("已分配经办人。", "ok")
    return redirect(url_for("applications.detail", app_id=app.id))


def _may_see(app_id: int) -> bool:
    try:
        applications.get_application(app_id, current_user)
    except (Forbidden, NotFound):
        return False
    return True


@bp.route("/<int:app_id>")
@staff
def detail(app_id: int):
    return _detail(applications.get_application(app_id, current_user))


@bp.route("/<int:app_id>/clock")
@staff
def clock_page(app_id: int):
    app = applications.get_application(app_id, current_user)
    template = "applications/_clock.html" if request.htmx else "applications/clock.html"
    return render_template(template, app=app, clock=applications.clock_of(app))


@bp.route("/<int:app_id>/move/<action>", methods=["POST"])
@staff
def act(app_id: int, action: str):
    app = applications.get_application(app_id, current_user)
    try:
        move = AppAction(action)
    except ValueError:
        raise NotFound("没有这项办理操作。") from None
    form = MoveForm()
    if not form.validate_on_submit():
        problems = [m for msgs in form.errors.values() for m in msgs]
        return _detail(app, problems, 422, form)
    try:
        app = applications.move(app.id, current_user, move, form.version.data, applications.MoveInput(
            comment=form.comment.data or "", until=form.until.data, party=form.party.data or "",
            party_name=form.party_name.data or "", days=form.days.data or 0, fee_method=form.fee_method.data or "",
            fee_quantity=form.fee_quantity.data or 0, outcome=form.outcome.data or "",
            reply_text=form.reply_text.data or ""))
    except Invalid as exc:
        return _detail(applications.get_application(app_id, current_user), exc.problems or [exc.message], 422, form)
    except Conflict as exc:
        return _detail(applications.get_application(app_id, current_user), [exc.message], 409)
    flash(f"已{APP_MOVES_BY_ACTION[move].label}。", "ok")
    return redirect(url_for("applications.detail", app_id=app.id))


@bp.route("/<int:app_id>/remedy", methods=["POST"])
@staff
def remedy(app_id: int):
    app = applications.get_application(app_id, current_user)
    form = RemedyForm()
    if not form.validate_on_submit():
        return _detail(app, [m for msgs in form.errors.values() for m in msgs], 422)
    try:
        applications.record_remedy(app.id, current_user, form.kind.data or "", form.result.data or "",
                                   form.note.data or "")
    except Invalid as exc:
        return _detail(applications.get_application(app_id, current_user), exc.problems or [exc.message], 422)
    flash("已记录行政复议、行政诉讼情况。", "ok")
    return redirect(url_for("applications.detail", app_id=app.id))


@bp.route("/<int:app_id>/search", methods=["POST"])
@roles_required(Role.HANDLER)
def search(app_id: int):
    app = applications.get_application(app_id, current_user)
    form = SearchForm()
    if not form.validate_on_submit():
        return _detail(app, [m for msgs in form.errors.values() for m in msgs], 422)
    applications.record_search(app.id, current_user, form.notes.data)
    flash("已记录检索情况。", "ok")
    return redirect(url_for("applications.detail", app_id=app.id))


def _provided_action(app_id: int, form, do) -> Response:
    app = applications.get_application(app_id, current_user)
    if not form.validate_on_submit():
        return _detail(app, [m for msgs in form.errors.values() for m in msgs], 422)
    try:
        message = do(app)
    except Invalid as exc:
        return _detail(applications.get_application(app_id, current_user), exc.problems or [exc.message], 422)
    flash(message, "ok")
    return redirect(url_for("applications.detail", app_id=app.id, _anchor="provided"))


@bp.route("/<int:app_id>/provided", methods=["POST"])
@roles_required(Role.HANDLER, Role.OFFICE)
def provide(app_id: int):
    form = ProvideForm()

    def do(app):
        p = applications_provided.provide(app.id, current_user, form.doc_number.data or "")
        return "已添加，提供的是该文件的公开版。" if p.ready else "已添加；请逐项确认其中的个人信息并生成公开版。"
    return _provided_action(app_id, form, do)


@bp.route("/<int:app_id>/provided/<int:provided_id>/remove", methods=["POST"])
@roles_required(Role.HANDLER, Role.OFFICE)
def remove_provided(app_id: int, provided_id: int):
    def do(app):
        applications_provided.remove(app.id, current_user, provided_id)
        return "已移除。"
    return _provided_action(app_id, EmptyForm(), do)


@bp.route("/<int:app_id>/provided/<int:provided_id>/findings/<int:finding_id>", methods=["POST"])
@roles_required(Role.HANDLER, Role.OFFICE)
def decide_finding(app_id: int, provided_id: int, finding_id: int):
    form = FindingForm()

    def do(app):
        applications_provided.decide(app.id, current_user, provided_id, finding_id, form.decision.data or "",
                                     form.keep_reason.data or "")
        return "已保存。"
    return _provided_action(app_id, form, do)


@bp.route("/<int:app_id>/provided/<int:provided_id>/attachments/<int:attachment_id>", methods=["POST"])
@roles_required(Role.HANDLER, Role.OFFICE)
def check_attachment(app_id: int, provided_id: int, attachment_id: int):
    """An attachment the engine cannot read, checked by eye: sent as it is, or withheld."""
    form = EyeCheckForm()

    def do(app):
        applications_provided.check_attachment(app.id, current_user, provided_id, attachment_id,
                                               form.decision.data or "")
        return "已保存目视检查结果。"
    return _provided_action(app_id, form, do)


@bp.route("/<int:app_id>/provided/<int:provided_id>/confirm", methods=["POST"])
@roles_required(Role.HANDLER, Role.OFFICE)
def confirm_provided(app_id: int, provided_id: int):
    def do(app):
        applications_provided.confirm(app.id, current_user, provided_id)
        return "已生成该文件的公开版。"
    return _provided_action(app_id, EmptyForm(), do)


@bp.route("/<int:app_id>/resend", methods=["POST"])
@staff
def resend_status(app_id: int):
    """Send an online application's status to the portal again: a refused message is queued again
    with the current status; one retrying after a failed attempt is sent at once.  From the queue's
    推送未成功 panel (back=queue) the answer returns there."""
    app = applications.get_application(app_id, current_user)
    if not EmptyForm().validate_on_submit():
        return _detail(app, ["页面已过期，请刷新后重试。"], 422)
    last = applications_portal.last_message(app.id) if app.portal_ref else None
    if last is not None and last.status == outbox.FAILED:
        applications_portal.resend(app, current_user)
        flash(f"{app.reference}：已重新排队推送办理状态。", "ok")
    elif last is not None and last.status == outbox.PENDING and last.last_status is not None:
        applications_portal.retry_now(app, current_user)
        flash(f"{app.reference}：已安排立即重试推送。", "ok")
    else:
        return _detail(app, ["只有推送失败或正在重试的办理状态需要重新推送。"], 422)
    if request.form.get("back") == "queue":  # a fixed place, never an address from the form
        return redirect(url_for("applications.queue", _anchor="push-problems"))
    return redirect(url_for("applications.detail", app_id=app.id))


@bp.route("/<int:app_id>/files/<int:file_id>")
@staff
def download(app_id: int, file_id: int):
    app = applications.get_application(app_id, current_user)
    f = applications.file_of(app, file_id)
    from ... import attachments, filenames

    ext = attachments.EXTENSION_FOR_TYPE.get(f.content_type, "")  # a provided 附件 may be a PDF, an image…
    return Response(f.data, mimetype=f.content_type, headers={
        "Content-Disposition": filenames.content_disposition(f.filename, f"application-{app.id}-{f.id}", ext),
        "X-Content-Type-Options": "nosniff"})


@bp.cli.command("sync")
def sync_command():
    """Pull new online applications from the portal; re-enqueue any status the portal has not
    confirmed and no message carries (the outbox worker sends statuses and replies)."""
    import click
    from flask import current_app

    from ...outbox.worker import push_secret
    from ...services import applications_portal, applications_sync

    base, secret = current_app.config["PORTAL_URL"], push_secret(current_app)
    pulled = applications_sync.pull(base, secret)
    requeued = applications_portal.requeue_stale()
    click.echo(f"收取网上申请 {pulled.pulled} 件；重新排队推送办理状态 {requeued} 件（由推送程序发送）。")
    for e in pulled.errors or []:
        click.echo(f"问题：{e}", err=True)
