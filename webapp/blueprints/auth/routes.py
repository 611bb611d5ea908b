from urllib.parse import unquote, urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ...authz import login_required, public
from ...services import accounts
from ...services.errors import Invalid
from .forms import ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__)

# What a user who must still replace a generated password may reach.
REACHABLE_BEFORE_PASSWORD_CHANGE = frozenset({"auth.change_password", "auth.logout", "auth.login", "static",
                                              "main.preview_css"})


def is_safe_redirect(target: str | None) -> bool:
    """A path on this site, and nothing a browser could read as another host.

    Checked on the text as given and on every percent-decoding of it (`%2F%2F`, `%5C`,
    `%252F` …): it must start with one "/", with no backslash, no control character, no
    scheme or host, no empty path segment ("//" anywhere) and no "." or ".." segment."""
    if not target or len(target) > 2000:
        return False
    forms = [target]
    while len(forms) < 4:
        decoded = unquote(forms[-1])
        if decoded == forms[-1]:
            break
        forms.append(decoded)
    else:
        return False  # still changing after three decodings: nothing of ours looks like that
    for text in forms:
        if "\\" in text or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
            return False
        if not text.startswith("/") or text.startswith("//"):
            return False
        parts = urlsplit(text)
        if parts.scheme or parts.netloc:
            return False
        segments = parts.path.split("/")[1:]
        if "//" in parts.path or any(seg in (".", "..") for seg in segments):
            return False
    return True


def safe_next(target: str | None) -> str:
    return target if is_safe_redirect(target) else url_for("main.index")


@bp.before_app_request
def require_password_change():
    """A generated password (first login, admin reset) is replaced before anything else."""
    if request.endpoint in REACHABLE_BEFORE_PASSWORD_CHANGE:
        return None
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    target = url_for("auth.change_password")
    if request.headers.get("HX-Request"):
        return "", 204, {"HX-Redirect": target}
    return redirect(target)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        result = accounts.authenticate(form.username.data, form.password.data, request.remote_addr or "",
                                       accounts.LoginThrottle.from_config(current_app.config))
        if result.user is not None:
            session.clear()
            login_user(result.user)
            if result.user.must_change_password:
                return redirect(url_for("auth.change_password"))
            return redirect(safe_next(request.args.get("next")))
        error = result.message
    status = 200 if error is None and not form.errors else 401 if error else 422
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    accounts.log_out(current_user._get_current_object())  # and every copy of every earlier cookie
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
        user = current_user._get_current_object()
        try:
            accounts.change_password(user, form.current.data, form.new.data)
        except Invalid as exc:
            problems = [exc.message, *exc.problems]
        else:
            login_user(user)  # this session carries the new epoch; every other one has ended
            flash("密码已修改。使用旧密码登录的其他会话已全部退出。", "ok")
            return redirect(url_for("main.index"))
    status = 422 if problems or form.errors else 200
    return render_template("auth/change_password.html", form=form, problems=problems,
                           must_change=current_user.must_change_password), status
