"""The dashboard (office and leaders), the lists behind its numbers, the 待办 list and the
reminders (issue 12)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...authz import login_required, roles_required
from ...readonly import reads_only
from ...reminders import KINDS, PHASE_LABELS
from ...services import dashboard as board
from ...services import queues, reminders, todo
from ...workflow import Role
from ..forms import EmptyForm
from ..inputs import BadInput
from .forms import RecordsForm

bp = Blueprint("dashboard", __name__)
# The office (政务公开 department) and the leaders who sign: those who answer for the figures.
readers = roles_required(Role.OFFICE, Role.LEADER)


@bp.route("/dashboard")
@readers
@reads_only
def index():
    figures = board.dashboard(current_user, riders=todo.navigation_riders(current_user))
    return render_template("dashboard/index.html", d=figures, AGE_BUCKETS=board.AGE_BUCKETS, cn_month=board.cn_month)


@bp.route("/dashboard/records")
@readers
def records():
    form = RecordsForm(request.args)
    if not form.validate():
        raise BadInput("列表条件无效：" + "".join(form.labelled_errors()))
    try:
        result = board.records(
            current_user, form.metric.data, month=form.month.data or None, department=form.department.data,
            timeliness_=form.timeliness.data or None, stage=form.stage.data or None, age=form.age.data or None,
            due=form.due.data or None, destination=form.destination.data, overdue=form.overdue.data == "1")
    except board.UnknownList as exc:
        raise BadInput(str(exc)) from exc
    return render_template("dashboard/records.html", result=result)


@bp.route("/todo")
@login_required
def todo_page():
    chain = queues.counters(current_user)
    return render_template("dashboard/todo.html", items=todo.items(current_user, chain))


@bp.route("/reminders")
@login_required
def reminders_page():
    unread = request.args.get("show") == "unread"
    rows = reminders.list_for(current_user, unread_only=unread)
    return render_template("dashboard/reminders.html", rows=rows, unread=unread, form=EmptyForm(), KINDS=KINDS,
                           PHASE_LABELS=PHASE_LABELS)


@bp.route("/reminders/<int:reminder_id>/read", methods=["POST"])
@login_required
def mark_read(reminder_id: int):
    form = EmptyForm()
    if not form.validate_on_submit():
        raise BadInput("表单已过期，请刷新页面后重试。")
    reminder = reminders.mark_read(current_user, reminder_id)
    if request.htmx:
        return render_template("dashboard/_reminder.html", r=reminder, form=EmptyForm(), KINDS=KINDS,
                               PHASE_LABELS=PHASE_LABELS, oob=True)
    return redirect(url_for("dashboard.reminders_page"))


@bp.route("/reminders/read-all", methods=["POST"])
@login_required
def mark_all_read():
    form = EmptyForm()
    if not form.validate_on_submit():
        raise BadInput("表单已过期，请刷新页面后重试。")
    n = reminders.mark_all_read(current_user)
    flash(f"已将 {n} 条提醒标记为已读。" if n else "没有未读提醒。", "ok")
    return redirect(url_for("dashboard.reminders_page"))
