"""Fixtures for the public portal: its own database (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set), built by the portal's real migrations; signed requests."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from gkt_protocol import Interpretation, Publication, sign
from gkt_protocol.payload import DocxFile
from tests.conftest import BACKENDS, create_pg_database, drop_pg_database

SECRET = "portal-test-secret-0123456789abcdef"
BASE = "https://www.example.gov.cn"
AGENCY = "11370812004339255B"
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"  # the real notices
BEIJING = datetime.fromisoformat("2026-03-05T09:30:00+08:00")


@pytest.fixture(scope="session", params=BACKENDS)
def portal_db_url(request, tmp_path_factory) -> Iterator[str]:
    """A portal database migrated to head with `flask db upgrade` (the real migrations)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('portal') / 'portal.db'}"
    else:
        url = create_pg_database()
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PORTAL_PUSH_SECRET": SECRET})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    try:
        yield url
    finally:
        if request.param != "sqlite":
            drop_pg_database(url)


def wipe(db) -> None:
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("TRUNCATE items, rendered_pages, item_files, publishers, seen_signatures, receipt_events, "
                                "search_entries, catalogue_links, catalogue_entries, catalogue_editions "
                                "RESTART IDENTITY CASCADE"))
    else:
        for table in ("search_fts", "rendered_pages", "item_attachments", "item_files", "receipt_events", "seen_signatures", "publishers",
                      "catalogue_links", "catalogue_entries", "catalogue_editions"):
            db.session.execute(text(f"DELETE FROM {table}"))
        db.session.execute(text("DELETE FROM items WHERE policy_id IS NOT NULL"))
        db.session.execute(text("DELETE FROM items"))
    db.session.commit()


@pytest.fixture
def portal_app(portal_db_url):
    from portal import create_app
    from portal.extensions import db

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": portal_db_url, "PORTAL_PUSH_SECRET": SECRET,
                      "PORTAL_BASE_URL": BASE, "PORTAL_SITE_NAME": "示范市人民政府门户网站",
                      "PORTAL_SITE_DOMAIN": "www.example.gov.cn", "PORTAL_SITE_ID_CODE": "1100000001"})
    with app.app_context():
        wipe(db)
    from portal.services.reading import forget_facets

    forget_facets()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def portal(portal_app):
    return portal_app.test_client()


@pytest.fixture
def portal_server(portal_app):
    """The portal served over real HTTP on a free loopback port, in a thread."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, portal_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


# --------------------------------------------------------------------------- messages

def make_docx(text_: str) -> bytes:
    """A small real .docx (a ZIP with a document part) holding `text_`."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", f'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text_}</w:t></w:r></w:p></w:body></w:document>')
    return buf.getvalue()


def publication(serial: int = 1, **changes) -> Publication:
    """A valid push for 索引号 AGENCY/2026-<serial>, with a 解读 unless interpretation=None."""
    pub = Publication(
        index_no=f"{AGENCY}/2026-{serial:05d}",
        version=1,
        title="关于做好2026年汛期救灾准备工作的通知",
        doc_number=f"示应急〔2026〕{serial}号",
        topic=("民政、扶贫、救灾", "救灾"),
        publisher="示范市应急管理局",
        written_date=date(2026, 3, 2),
        published_at=BEIJING,
        validity="valid",
        validity_changed_on=None,
        keywords=("救灾", "汛期"),
        summary="部署汛期救灾物资储备和值班值守。",
        body_html="<p>各区应急管理局：</p><p>为做好汛期救灾准备，现将有关事项通知如下。</p>"
                  "<p>联系人：叶**，电话：8318****。</p>",
        docx=DocxFile.build("关于做好2026年汛期救灾准备工作的通知.docx", make_docx("汛期救灾准备")),
        interpretation_required=True,
        interpretation=Interpretation(
            title="《关于做好2026年汛期救灾准备工作的通知》政策解读",
            body_html="<p>一、出台背景</p><p>近年来极端天气多发，应急保障任务重。</p>",
            published_at=BEIJING,
            docx=None,
        ),
    )
    return replace(pub, **changes)


def page_path(serial: int = 1, suffix: str = ".html") -> str:
    return f"/xxgk/{AGENCY}/2026-{serial:05d}{suffix}"


def signed(client, path: str, message: dict | bytes, *, secret: str = SECRET, now: datetime | None = None,
           headers: dict | None = None):
    body = message if isinstance(message, bytes) else json.dumps(message, ensure_ascii=False).encode()
    h = sign(secret, "POST", path, body, now or datetime.now(UTC))
    h.update(headers or {})
    return client.post(path, data=body, headers=h, content_type="application/json")


def push(client, pub: Publication | dict, **kw):
    return signed(client, "/api/push", pub.to_json() if isinstance(pub, Publication) else pub, **kw)


def withdraw(client, serial: int = 1, version: int = 2, notice: str = "该文件内容需要更正，已撤回。", **kw):
    msg = {"protocol": 1, "index_no": f"{AGENCY}/2026-{serial:05d}", "version": version, "notice": notice,
           "withdrawn_at": (BEIJING + timedelta(days=4)).isoformat()}
    return signed(client, "/api/withdraw", msg, **kw)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
