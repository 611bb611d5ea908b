"""公开通 public portal: a separate Flask app with its own database.

It receives the de-identified public copy of documents pushed (signed) by the intranet
and shows them as Chinese government sites do.  It never imports `webapp` and never
reads the intranet's database; the only shared code is `gkt_protocol`.

    flask --app portal_wsgi db upgrade      # create / migrate its database
    flask --app portal_wsgi run --port 5001
    gunicorn -w 4 -b 127.0.0.1:5001 portal_wsgi:app
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from sqlalchemy import event

from .config import DEFAULT_PUSH_SECRET, PortalConfig
from .extensions import db, migrate

ROOT = Path(__file__).resolve().parent.parent
SECURITY_HEADERS = (
    ("Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(ROOT / "instance"))
    app.config.from_object(PortalConfig)
    if config:
        app.config.update(config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'portal.db'}"
    secret = app.config["PORTAL_PUSH_SECRET"]
    if app.config["PORTAL_ENV"] == "production" and (secret == DEFAULT_PUSH_SECRET or len(secret) < 32):
        raise RuntimeError("生产环境必须设置 PORTAL_PUSH_SECRET（至少 32 个字符）；refusing to start with the default push secret.")
    if len(secret.encode()) < 16:
        raise RuntimeError("PORTAL_PUSH_SECRET 至少 16 个字节。")

    from .caching import build_tag

    app.config.setdefault("PORTAL_BUILD", build_tag())
    db.init_app(app)
    from . import pagecache

    pagecache.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent / "migrations"),
                     version_table="portal_alembic_version")
    from . import models, models_attachments, models_rendered, rendering  # noqa: F401  (the models register themselves)

    rendering.init_app(app)

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            event.listen(db.engine, "connect", _sqlite_pragmas)

    from .api import api
    from .views import public, register_template_helpers

    register_template_helpers(app)  # first: the URL converters the routes use
    app.register_blueprint(api)
    from .applying import applying_bp  # online disclosure applications (issue 9)

    app.register_blueprint(applying_bp)
    from .catalogue_views import bp as standard_bp  # the standard catalogue (issue 15)

    app.register_blueprint(standard_bp)
    app.register_blueprint(public)
    from .attachments import register as register_attachments  # 附件 (their pages and downloads)

    register_attachments(app)
    _register_errors(app)

    @app.after_request
    def security_headers(response):
        # Added unless a view set its own (werkzeug's setdefault raises and catches a KeyError per
        # missing header, which costs more than the rest of a cached page's headers together).
        headers = response.headers
        present = {name.lower() for name, _ in headers}
        for name, value in SECURITY_HEADERS:
            if name.lower() not in present:
                headers.add(name, value)
        return response

    return app


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ARG001
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")  # with WAL: never corrupt; a power cut may lose the last commits (push again)
    cur.close()


def _register_errors(app: Flask) -> None:
    from flask import jsonify, render_template, request
    from werkzeug.exceptions import HTTPException

    from .caching import cacheable
    from .services import PortalError

    titles = {400: "请求无效", 404: "页面不存在", 405: "请求方式不正确", 410: "信息已撤回", 413: "请求内容过大",
              500: "系统内部错误"}
    messages = {400: "请求无法处理。", 404: "您访问的页面不存在，可能地址有误。", 405: "该地址不接受这种请求方式。",
                413: "请求内容超过了允许的大小。", 500: "系统出现内部错误，请稍后再试。"}

    def answer(status: int, code: str, message: str, problems: list[str] | None = None):
        if request.path.startswith("/api/"):
            return jsonify(ok=False, error=code, message=message, problems=problems or []), status
        body = render_template("portal/error.html", status=status, title=titles.get(status, "出错了"), message=message)
        response = app.response_class(body, status=status, mimetype="text/html")
        if status in (404, 410):
            return cacheable(response)
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(PortalError)
    def portal_error(exc: PortalError):
        return answer(exc.status, exc.code, exc.message, exc.problems)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        return answer(status, {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(status, "bad_request"),
                      messages.get(status, "请求无法处理。"))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        db.session.rollback()
        return answer(500, "internal_error", messages[500])
