from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ...authz import login_required, public
from ...services import accounts
from ...services.errors import Invalid
from .forms import ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        result = accounts.authenticate(form.username.data, form.password.data)
        if result.user is not None:
            session.clear()
            login_user(result.user)
            return redirect(safe_next(request.args.get("next")))
        error = result.message
    status = 200 if error is None and not form.errors else 401 if error else 422
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    session.clear()
    flash("您已安全退出。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current.data, form.new.data)
        except Invalid as exc:
            problems = [exc.message, *exc.problems]
        else:
            flash("密码已修改。", "ok")
            return redirect(url_for("main.index"))
    status = 422 if problems or form.errors else 200
    return render_template("auth/change_password.html", form=form, problems=problems), status
