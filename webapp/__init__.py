"""公开通: the application factory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from . import passwords
from .config import DEFAULT_SECRET_KEY, Config
from .extensions import csrf, db, htmx, login_manager, migrate
from .services.errors import ServiceError


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(Path(__file__).resolve().parent.parent / "instance"))
    app.config.from_object(Config)
    if config:
        app.config.update(config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'gongkaitong.db'}"
    if app.config["APP_ENV"] == "production" and app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        raise RuntimeError("生产环境必须设置 SECRET_KEY 环境变量（refusing to start with the default secret).")

    passwords.configure(
        app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"], app.config["ARGON2_PARALLELISM"]
    )
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

    @login_manager.user_loader
    def load_user(user_id: str):
        if not user_id.isdigit():
            return None
        from sqlalchemy.orm import joinedload

        user = db.session.execute(  # the user and their roles in one query, every request
            db.select(models.User).options(joinedload(models.User.role_rows)).where(models.User.id == int(user_id))
        ).unique().scalar_one_or_none()
        return user if user is not None and user.is_active_account else None

    from .blueprints import inputs, register_blueprints

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

    return app


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

    @app.context_processor
    def inject_nav():
        if not current_user.is_authenticated:
            return {}
        from flask import g

        from .services.queues import counters

        if "nav_counts" not in g:  # once per request, however many templates render
            g.nav_counts = counters(current_user)
        return {"nav_counts": g.nav_counts}
