"""公开通: the application factory."""

from __future__ import annotations

import os
import re
from pathlib import Path

from flask import Flask, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from . import passwords, secret_key
from .config import Config
from .extensions import csrf, db, htmx, login_manager, migrate
from .services.errors import ServiceError


def create_app(config: dict | None = None) -> Flask:
    instance_path = ((config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH")
                     or str(Path(__file__).resolve().parent.parent / "instance"))
    app = Flask(__name__, instance_path=str(instance_path))
    app.config.from_object(Config)
    if config:
        app.config.update(config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'gongkaitong.db'}"
    _configure_secret_key(app)
    passwords.configure(
        app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"], app.config["ARGON2_PARALLELISM"]
    )
    from .postgres import configure_connections, tune_psycopg

    configure_connections(app)  # before the engine is made
    tune_psycopg(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    login_manager.session_protection = "strong"

    from . import models  # noqa: F401  (register models with SQLAlchemy)
    from .sqlite import enable_sqlite_pragmas

    enable_sqlite_pragmas(app)

    from .services import session_user

    @login_manager.user_loader
    def load_user(session_id: str):
        # "user id:session epoch" (User.get_id): a session from before the user's latest logout,
        # password change, reset, role change or disabling names an older epoch and ends here.
        # The user with their roles and department, from the database or, on a page that only
        # reads, as kept from an earlier request and confirmed by the page's own statement
        # (services/session_user).
        match = _SESSION_ID.fullmatch(session_id)
        if match is None:
            return None
        user = session_user.load(int(match["user"]), int(match["epoch"]))
        if user is None or not user.is_active_account or user.session_epoch != int(match["epoch"]):
            return None
        return user

    from . import readonly
    from .blueprints import inputs, register_blueprints

    readonly.install(app)  # first of the request hooks: before any of them loads the user
    session_user.install(app)  # after the view: confirm a kept user; rerun the request if out of date
    inputs.install(app)  # bounded ids in URLs, no control characters, bounded flashes
    register_blueprints(app)
    _register_error_pages(app)
    _register_template_helpers(app)

    from .cli import register_cli

    register_cli(app)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint and request.endpoint not in ("static", "main.preview_css"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    if app.config["TRUSTED_PROXIES"] > 0:  # the client's own address, for the login throttle
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]  # outermost: a rerun (services/session_user) sees its result
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    return app


_SESSION_ID = re.compile(r"(?P<user>[0-9]{1,18}):(?P<epoch>[0-9]{1,18})")


def _configure_secret_key(app: Flask) -> None:
    """Never sign with a known key: a published value is refused everywhere, production needs
    its own key, and elsewhere a missing key is generated once into the instance folder."""
    key = app.config.get("SECRET_KEY")
    if key in secret_key.PUBLISHED_KEYS:
        raise RuntimeError("SECRET_KEY 是代码库中公开的示例值，任何人都能伪造登录状态，拒绝启动。"
                           "请删除该设置（自动生成）或设置为随机值。")
    if app.config["APP_ENV"] == "production":
        if not key or len(key) < secret_key.MIN_LENGTH:
            raise RuntimeError(f"生产环境必须设置 SECRET_KEY 环境变量（至少 {secret_key.MIN_LENGTH} 个字符的随机值），"
                               "拒绝启动（refusing to start without a configured secret）。")
    elif not key:
        app.config["SECRET_KEY"] = secret_key.load_or_create(app.instance_path)


def _register_error_pages(app: Flask) -> None:
    titles = {
        400: "请求无效", 403: "无权操作", 404: "页面不存在", 409: "文件已被他人处理",
        413: "提交的内容过大", 422: "内容不完整", 500: "系统内部错误",
    }

    def render(status: int, message: str, problems: list[str] | None = None):
        htmx_request = bool(request.headers.get("HX-Request"))
        template = "errors/_error.html" if htmx_request else "errors/error.html"
        try:
            body = render_template(template, status=status, title=titles.get(status, "出错了"),
                                   message=message, problems=problems or [])
        except Exception:  # the error page itself failed: answer in plain text
            app.logger.exception("error page failed")
            return f"{titles.get(status, '出错了')}：{message}", status, {"Content-Type": "text/plain; charset=utf-8"}
        headers = {}
        if htmx_request:  # show the message in the page's message area, not inside a table row
            headers = {"HX-Retarget": "#flash-area", "HX-Reswap": "innerHTML"}
        return body, status, headers

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        return render(exc.status, exc.message, exc.problems)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return render(400, "表单已过期或来源无法验证（CSRF 校验失败），没有做任何修改。请刷新页面后重试。")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {
            403: "您没有权限执行此操作，没有做任何修改。",
            404: "您访问的页面或文件不存在。",
            405: "请求方式不正确。",
            413: "提交的内容超过了系统允许的大小，没有保存。",
        }
        status = exc.code or 500
        description = exc.description if status == 403 and exc.description and not exc.description.startswith("You") else None
        return render(status, description or messages.get(status, "请求无法处理。"))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        db.session.rollback()
        return render(500, "系统出现内部错误，操作没有完成，已记录以便排查。请稍后重试。")


def _register_template_helpers(app: Flask) -> None:
    from .templating import register

    register(app)

    from .services import holidays
    from .services.todo import page_navigation

    def run_page_navigation() -> bool:
        if not current_user.is_authenticated:
            return False
        page_navigation(current_user)
        return True

    holidays.run_page_navigation = run_page_navigation

    @app.context_processor
    def inject_nav():
        if not current_user.is_authenticated:
            return {}
        # once per request, however many templates render: one query (the chain's queues, 待办 and
        # reminders, issue 12; and the working calendar's fingerprint)
        return {"nav_counts": page_navigation(current_user)}
