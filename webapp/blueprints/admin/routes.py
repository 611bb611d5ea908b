"""Administration: departments, users and their roles; the agency and the holiday calendar."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ...authz import roles_required
from ...extensions import db
from ...models import Department, IssuingCode, User
from ...services import accounts, holidays, issuing, queues
from ...services import agency as agency_service
from ...services.errors import Invalid, NotFound
from ...workflow import Role
from ..forms import EmptyForm
from .forms import (
    AgencyForm,
    DepartmentForm,
    HolidayOverrideForm,
    HolidayYearForm,
    IssuingCodeForm,
    NewUserForm,
    UserForm,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_only = roles_required(Role.ADMIN)


def _department_choices(form: UserForm) -> None:
    form.department.choices = [("", "（未分配）")] + [(str(d.id), d.name) for d in queues.departments()]


def _dept_id(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 10 else None


@bp.route("/users")
@admin_only
def users():
    rows = db.session.execute(select(User).order_by(User.username)).scalars().all()
    return render_template("admin/users.html", users=rows, reset_form=EmptyForm())


@bp.route("/users/new", methods=["GET", "POST"])
@admin_only
def new_user():
    form = NewUserForm()
    _department_choices(form)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            user, password = accounts.create_user(
                form.username.data, form.display_name.data, None, _dept_id(form.department.data),
                {Role(r) for r in form.roles.data}, by=current_user)
        except Invalid as exc:
            problems = exc.problems
        else:
            flash(f"已创建用户 {user.username}，初始密码（只显示这一次）：{password}。该用户首次登录时须修改密码。", "ok")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, problems=problems, user=None), \
        422 if problems or form.errors else 200


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@admin_only
def edit_user(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在。")
    form = UserForm(obj=user)
    _department_choices(form)
    problems: list[str] = []
    if not form.is_submitted():
        form.department.data = str(user.department_id or "")
        form.roles.data = [r.value for r in user.roles]
        form.active.data = user.is_active_account
    if form.validate_on_submit():
        try:
            accounts.update_user(user.id, current_user, form.display_name.data, _dept_id(form.department.data),
                                 {Role(r) for r in form.roles.data}, bool(form.active.data))
        except Invalid as exc:
            problems = exc.problems
        else:
            flash(f"已保存用户 {user.username}。", "ok")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, problems=problems, user=user), \
        422 if problems or form.errors else 200


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@admin_only
def reset_password(user_id: int):
    if not EmptyForm().validate_on_submit():
        raise Invalid("表单无效，请刷新页面后重试。")
    password = accounts.reset_password(user_id, current_user)
    user = db.session.get(User, user_id)
    flash(f"已重置 {user.username} 的密码，新密码（只显示这一次）：{password}。该用户已有的登录均已退出，"
          "下次登录时须修改密码。", "ok")
    return redirect(url_for("admin.users"))


@bp.route("/departments", methods=["GET", "POST"])
@admin_only
def departments():
    form = DepartmentForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            accounts.save_department(form.name.data, current_user,
                                     requires_dept_check=bool(form.requires_dept_check.data))
        except Invalid as exc:
            problems = [exc.message]
        else:
            flash(f"已添加处室：{form.name.data.strip()}", "ok")
            return redirect(url_for("admin.departments"))
    rows = queues.departments()
    heads = {d.id: [u.display_name for u in d.users if u.is_active_account and Role.DEPT_HEAD in u.roles]
             for d in rows}
    return render_template("admin/departments.html", form=form, departments=rows, problems=problems,
                           heads_by_department=heads), \
        422 if problems or form.errors else 200


@bp.route("/departments/<int:dept_id>/edit", methods=["GET", "POST"])
@admin_only
def edit_department(dept_id: int):
    dept = db.session.get(Department, dept_id)
    if dept is None:
        raise NotFound("处室不存在。")
    form = DepartmentForm(obj=dept)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            accounts.save_department(form.name.data, current_user, dept.id,
                                     requires_dept_check=bool(form.requires_dept_check.data))
        except Invalid as exc:
            problems = [exc.message]
        else:
            flash("处室已保存。", "ok")
            return redirect(url_for("admin.departments"))
    return render_template("admin/department_form.html", form=form, dept=dept, problems=problems), \
        422 if problems or form.errors else 200


@bp.route("/codes")
@admin_only
def codes():
    rows = db.session.execute(select(IssuingCode).order_by(IssuingCode.code)).scalars().all()
    return render_template("admin/codes.html", codes=rows)


@bp.route("/codes/new", methods=["GET", "POST"])
@admin_only
def new_code():
    return _code_form(None)


@bp.route("/codes/<int:code_id>/edit", methods=["GET", "POST"])
@admin_only
def edit_code(code_id: int):
    row = db.session.get(IssuingCode, code_id)
    if row is None:
        raise NotFound("机关代字不存在。")
    return _code_form(row)


def _code_form(row: IssuingCode | None):
    form = IssuingCodeForm(obj=row)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            issuing.save_code(current_user, form.code.data, form.issuer_mark.data, form.signer.data,
                              form.printing_office.data, bool(form.active.data), row.id if row else None)
        except Invalid as exc:
            problems = exc.problems
        else:
            flash(f"已保存机关代字：{form.code.data.strip()}", "ok")
            return redirect(url_for("admin.codes"))
    return render_template("admin/code_form.html", form=form, row=row, problems=problems), \
        422 if problems or form.errors else 200


# --------------------------------------------------------------------------- publication settings (issue 8)

@bp.route("/agency", methods=["GET", "POST"])
@admin_only
def agency():
    """统一社会信用代码 (the 索引号 prefix, GB 32100 check character) and the 发布机构 name."""
    current = agency_service.settings()
    form = AgencyForm(obj=current)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            agency_service.save_settings(current_user, form.uscc.data, form.publisher_name.data)
        except Invalid as exc:
            problems = exc.problems
        else:
            flash("已保存发布机构信息。", "ok")
            return redirect(url_for("admin.agency"))
    return render_template("admin/agency.html", form=form, problems=problems), 422 if problems or form.errors else 200


def _holidays_page(form=None, year_form=None, problems=None, status=200):
    return render_template("admin/holidays.html", form=form or HolidayOverrideForm(),
                           year_form=year_form or HolidayYearForm(), problems=problems or [],
                           overrides=holidays.overrides(), confirmed=holidays.confirmed_years(),
                           package_years=holidays.package_years(), delete_form=EmptyForm()), status


@bp.route("/holidays", methods=["GET", "POST"])
@admin_only
def holidays_page():
    """节假日调整: overrides of the working-day calendar and the years confirmed complete."""
    form = HolidayOverrideForm()
    if not form.is_submitted():
        return _holidays_page(form)
    if not form.validate():
        return _holidays_page(form, status=422)
    try:
        holidays.save_override(current_user, form.day.data, form.working.data == "1", form.note.data)
    except Invalid as exc:
        return _holidays_page(form, problems=exc.problems or [exc.message], status=422)
    flash(f"已保存：{form.day.data.year}年{form.day.data.month}月{form.day.data.day}日"
          f"{'上班' if form.working.data == '1' else '休息'}（{form.note.data.strip()}）。", "ok")
    return redirect(url_for("admin.holidays_page"))


@bp.route("/holidays/<string:day>/delete", methods=["POST"])
@admin_only
def delete_holiday(day: str):
    if not EmptyForm().validate_on_submit():
        raise Invalid("表单无效，请刷新页面后重试。")
    try:
        parsed = date.fromisoformat(day) if len(day) == 10 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise NotFound("该日期没有调整记录。")
    holidays.delete_override(current_user, parsed)
    flash("已删除该日期的调整。", "ok")
    return redirect(url_for("admin.holidays_page"))


@bp.route("/holidays/years", methods=["POST"])
@admin_only
def holiday_year():
    year_form = HolidayYearForm()
    if not year_form.validate_on_submit():
        return _holidays_page(year_form=year_form, status=422)
    confirmed = year_form.confirmed.data != "0"
    try:
        holidays.set_year_confirmed(current_user, year_form.year.data, confirmed)
    except Invalid as exc:
        return _holidays_page(year_form=year_form, problems=[exc.message], status=422)
    flash(f"已{'确认' if confirmed else '取消确认'} {year_form.year.data} 年的节假日安排。", "ok")
    return redirect(url_for("admin.holidays_page"))
