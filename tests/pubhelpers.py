"""Helpers for the publication tests: a document ready to publish, the agency's settings, and
the real public portal (its own database, built by its own migrations) served on loopback."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from sqlalchemy import select

from tests.conftest import TEST_DATABASE_URL, create_pg_database, drop_pg_database
from tests.helpers import act, doc, submitted, user
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.services import agency, deid_review, issuing
from webapp.workflow import Action

SECRET = "publication-test-secret-0123456789abcdef"
USCC = "11410000MB0G6Y810Y"  # GB 32100 check character correct
PUBLISHER_NAME = "河南省应急管理厅"
BODY = "<p>一、工作目标</p><p>全面推进政务公开标准化规范化。</p><p>联系人：叶玉才，联系电话：83186312。</p>"
INTERPRETATION = "<p>一、出台背景</p><p>为落实政务公开要点制定本通知。</p>"


def set_agency(admin_id: int, uscc: str = USCC, name: str = PUBLISHER_NAME) -> None:
    agency.save_settings(user(admin_id), uscc, name)


def issued(cast: dict, *, print_date=None, interpretation: bool = True, **draft) -> int:
    """A 主动公开 document issued (印发) and waiting for de-identification."""
    codes = issuing.active_codes() or [issuing.save_code(
        None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")]
    draft.setdefault("body_html", BODY)
    draft.setdefault("topic_category", "综合政务/政务公开")
    if interpretation:
        draft.update(needs_interpretation=True, interpretation_html=INTERPRETATION)
    d = submitted(cast["drafter"], **draft)
    act(d, cast["office"], Action.APPROVE)
    act(d, cast["leader"], Action.APPROVE)
    written = issuing.default_written_date(doc(d))
    day = print_date or written
    issuing.issue_document(d, user(cast["office"]), doc(d).version,
                           issuing.IssueInput(codes[0].id, min(written, day) if print_date is None else day, day))
    return d


def ready(cast: dict, **kw) -> int:
    """Issued, every personal-data finding masked by the publisher, public copy confirmed: 待发布."""
    d = issued(cast, **kw)
    publisher = user(cast["publisher"])
    for f in deid_review.findings_of(d):
        deid_review.decide(d, f.id, publisher, "mask")
    deid_review.confirm(d, publisher, doc(d).version)
    return d


def outbox_rows(document_id: int | None = None) -> list[OutboxMessage]:
    db.session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if document_id is not None:
        query = query.where(OutboxMessage.document_id == document_id)
    return list(db.session.execute(query).scalars())


def body_of(row: OutboxMessage) -> dict:
    return json.loads(row.body)


# --------------------------------------------------------------------------- the real portal

def portal_database(backend: str, tmp_path) -> str:
    """A new portal database migrated to head with the portal's own migrations."""
    url = f"sqlite:///{tmp_path / 'portal.db'}" if backend == "sqlite" else create_pg_database()
    from flask_migrate import upgrade

    from portal import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PORTAL_PUSH_SECRET": SECRET})
    with app.app_context():
        upgrade()
        from portal.extensions import db as portal_db

        portal_db.engine.dispose()
    return url


def drop_portal_database(backend: str, url: str) -> None:
    if backend != "sqlite":
        drop_pg_database(url)


def portal_backends() -> list[str]:
    return ["sqlite", "postgresql"] if TEST_DATABASE_URL else ["sqlite"]


@dataclass
class LivePortal:
    """The portal app served by werkzeug on a loopback port, which can be stopped and started
    again on the same port (the portal going down during publishing)."""

    app: object
    port: int = 0
    server: object = None
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LivePortal:
        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(5)
            self.server = None


def portal_app(url: str):
    from portal import create_app

    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "PORTAL_PUSH_SECRET": SECRET,
                       "PORTAL_SITE_NAME": "示范政府信息公开网"})


def portal_items(app, index_no: str) -> list:
    """The portal's stored items (policy, 解读) for a 索引号, read from its own database."""
    from portal.extensions import db as portal_db
    from portal.models import Item

    with app.app_context():
        rows = portal_db.session.execute(select(Item).where(Item.index_no == index_no)).scalars().all()
        out = [(i.kind, i.status, i.version, i.title) for i in rows]
        portal_db.session.remove()
        return out


def portal_receipts(app, index_no: str | None = None) -> list[tuple[str, str, int]]:
    from portal.extensions import db as portal_db
    from portal.models import ReceiptEvent

    with app.app_context():
        query = select(ReceiptEvent).order_by(ReceiptEvent.id)
        if index_no:
            query = query.where(ReceiptEvent.index_no == index_no)
        out = [(r.index_no, r.action, r.version) for r in portal_db.session.execute(query).scalars()]
        portal_db.session.remove()
        return out
