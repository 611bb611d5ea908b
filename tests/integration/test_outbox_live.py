"""The outbox worker and the real public portal over HTTP on loopback (issue 8).

The portal is the real app (`portal/`, its own database built by its own migrations), served
by werkzeug in a thread; the worker is webapp.outbox.worker, signing with gkt_protocol.  Both
databases are SQLite, and PostgreSQL too when TEST_DATABASE_URL is set."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers import doc, user
from tests.pubhelpers import (
    SECRET,
    LivePortal,
    body_of,
    outbox_rows,
    portal_app,
    portal_database,
    portal_items,
    portal_receipts,
    ready,
    set_agency,
)
from webapp import clock
from webapp.extensions import db
from webapp.models import Publication
from webapp.outbox.worker import Settings, backoff_seconds, run_once
from webapp.services import publication

pytest.importorskip("portal", reason="the public portal (portal/) is not in this tree")


@pytest.fixture
def cast(app, chain_cast):
    with app.app_context():
        set_agency(chain_cast["admin"])
        yield chain_cast


def settings(portal: LivePortal) -> Settings:
    return Settings(portal.url, SECRET, timeout=5)


def get(url: str, raw: bool = False) -> tuple[int, str | bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            data = r.read()
            return r.status, data if raw else data.decode()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read().decode()


def test_publish_then_the_worker_delivers_it_with_all_its_metadata(cast, portal):
    d = ready(cast)
    publication.publish(d, user(cast["publisher"]), doc(d).version)
    outcomes = run_once(settings(portal))
    assert [o.status for o in outcomes] == ["sent"]
    db.session.expire_all()
    pub = db.session.get(Publication, d)
    assert pub.public_url.startswith(portal.url) and pub.public_url.endswith(pub.index_no.split("/")[1] + ".html")
    assert pub.pushed_at is not None and pub.interpretation_url.endswith("_jd.html")
    status, html = get(pub.public_url)
    assert status == 200
    document = doc(d)
    for shown in (pub.index_no, "综合政务", "政务公开", "河南省应急管理厅", document.public_title,
                  document.doc_number, f"{document.written_date.year}年{document.written_date.month}月"
                                       f"{document.written_date.day}日", "有效"):
        assert shown in html, shown
    assert "政策解读" in html  # the policy links its 解读 …
    status, interp = get(pub.interpretation_url)
    assert status == 200 and document.public_title in interp  # … and the 解读 links back
    for original in ("叶玉才", "83186312"):
        assert original not in html and original not in interp
    status, docx = get(pub.public_url.replace(".html", ".docx"), raw=True)
    from webapp.docgen import document_text

    assert status == 200 and document.public_title in document_text(docx)
    assert "叶玉才" not in document_text(docx) and "83186312" not in document_text(docx)
    assert run_once(settings(portal)) == []  # nothing left: sent once


def test_the_portal_refuses_a_tampered_a_stale_and_a_replayed_request(cast, portal):
    from gkt_protocol import sign

    d = ready(cast)
    publication.publish(d, user(cast["publisher"]), doc(d).version)
    body = outbox_rows(d)[0].body

    def post(data: bytes, headers: dict) -> tuple[int, str]:
        req = urllib.request.Request(portal.url + "/api/push", data=data, method="POST",
                                     headers={**headers, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, json.loads(r.read()).get("error", "")
        except urllib.error.HTTPError as e:
            with e:
                return e.code, json.loads(e.read())["error"]

    good = sign(SECRET, "POST", "/api/push", body, datetime.now(UTC))
    title = body_of(outbox_rows(d)[0])["title"]
    tampered = body.replace(title.encode(), ("改" + title[1:]).encode())
    assert post(tampered, good) == (401, "bad_signature")
    assert post(body, sign(SECRET, "POST", "/api/push", body, datetime.now(UTC) - timedelta(minutes=6))) == (401, "stale")
    assert post(body, good) == (200, "")
    assert post(body, good) == (403, "replayed")
    assert post(body, sign("another-secret-of-sufficient-length", "POST", "/api/push", body, datetime.now(UTC))) \
        == (401, "bad_signature")


def test_portal_down_during_publishing_retries_with_backoff_and_delivers_exactly_once(cast, portal):
    d = ready(cast)
    publication.publish(d, user(cast["publisher"]), doc(d).version)
    index_no = db.session.get(Publication, d).index_no
    portal.stop()
    now = clock.utcnow()
    with clock.frozen(now):
        first = run_once(settings(portal))
    assert [(o.status, o.http_status) for o in first] == [("pending", 0)]
    row = outbox_rows(d)[0]
    assert row.attempts == 1 and "无法连接门户网站" in row.last_answer
    assert 1.6 <= (row.next_attempt_at - now).total_seconds() <= 2.4  # 2 s ± 20 %
    with clock.frozen(now + timedelta(seconds=1)):
        assert run_once(settings(portal)) == []  # not due yet: backoff respected
    with clock.frozen(now + timedelta(seconds=3)):
        assert [o.status for o in run_once(settings(portal))] == ["pending"]
    row = outbox_rows(d)[0]
    assert row.attempts == 2 and 3.2 <= (row.next_attempt_at - now - timedelta(seconds=3)).total_seconds() <= 4.8
    portal.start()  # back, on the same port
    with clock.frozen(now + timedelta(seconds=10)):
        assert [o.status for o in run_once(settings(portal))] == ["sent"]
        assert run_once(settings(portal)) == []
    assert outbox_rows(d)[0].attempts == 3
    assert portal_receipts(portal.app, index_no) == [(index_no, "push", 1)]  # one copy, received once
    assert sorted(k for k, *_ in portal_items(portal.app, index_no)) == ["interpretation", "policy"]


def test_withdraw_answers_410_and_republish_brings_back_the_same_url(cast, portal):
    d = ready(cast)
    pub_user = user(cast["publisher"])
    publication.publish(d, pub_user, doc(d).version)
    run_once(settings(portal))
    url = db.session.get(Publication, d).public_url
    assert get(url)[0] == 200
    publication.withdraw(d, pub_user, doc(d).version, "附件内容有误，需更正")
    assert [o.status for o in run_once(settings(portal))] == ["sent"]
    status, html = get(url)
    assert status == 410 and "撤回" in html and "附件内容有误" not in html  # the internal reason stays inside
    assert get(db.session.get(Publication, d).interpretation_url)[0] == 410  # neither is public alone
    publication.republish(d, pub_user, doc(d).version)
    assert [o.status for o in run_once(settings(portal))] == ["sent"]
    db.session.expire_all()
    assert db.session.get(Publication, d).public_url == url
    assert get(url)[0] == 200
    index_no = db.session.get(Publication, d).index_no
    assert [a for _, a, _ in portal_receipts(portal.app, index_no)] == ["push", "withdraw", "push"]


def test_messages_of_one_document_go_in_order_even_when_queued_while_the_portal_is_down(cast, portal):
    d = ready(cast)
    pub_user = user(cast["publisher"])
    portal.stop()
    publication.publish(d, pub_user, doc(d).version)
    publication.withdraw(d, pub_user, doc(d).version, "发现错别字")
    with clock.frozen(clock.utcnow()):
        assert [o.message_id for o in run_once(settings(portal))] == [outbox_rows(d)[0].id]  # the withdrawal waits
    portal.start()
    with clock.frozen(clock.utcnow() + timedelta(minutes=1)):
        assert [o.status for o in run_once(settings(portal))] == ["sent", "sent"]
    assert get(db.session.get(Publication, d).public_url or portal.url + "/none")[0] in (410, 404)
    index_no = db.session.get(Publication, d).index_no
    assert [a for _, a, _ in portal_receipts(portal.app, index_no)] == ["push", "withdraw"]


def test_a_refusal_is_kept_with_the_portals_answer_and_can_be_retried(app, chain_cast, people, portal):
    with app.app_context():  # (requests below run outside it: each gets its own context, as in production)
        set_agency(chain_cast["admin"])
        d = ready(chain_cast)
        publication.publish(d, user(chain_cast["publisher"]), doc(d).version)
        wrong = Settings(portal.url, "a-secret-the-portal-does-not-know-000", timeout=5)
        assert [o.status for o in run_once(wrong)] == ["failed"]
        row = outbox_rows(d)[0]
        assert row.last_status == 401 and "签名校验失败" in row.last_answer
        row_id = row.id
    from tests.conftest import post

    c = people.client("publisher")
    page = c.get("/publishing/ready").get_data(as_text=True)
    assert "推送失败" in page and "签名校验失败" in page and "立即重试" in page
    assert "签名校验失败" in c.get(f"/documents/{d}").get_data(as_text=True)  # on the document page too
    assert post(c, f"/publishing/messages/{row_id}/retry").status_code == 302
    with app.app_context():
        assert outbox_rows(d)[0].status == "pending"
        assert [o.status for o in run_once(settings(portal))] == ["sent"]
        assert [e for e in outbox_rows(d) if e.status == "sent"]


def test_backoff_grows_exponentially_up_to_its_cap():
    s = Settings("http://127.0.0.1:1", SECRET, base_backoff=2, max_backoff=60)

    class Fixed:
        def random(self):
            return 0.5  # no jitter

    assert [backoff_seconds(n, s, Fixed()) for n in (1, 2, 3, 4, 5, 6, 7)] == [2, 4, 8, 16, 32, 60, 60]


def test_a_claimed_batch_goes_out_concurrently_and_each_message_keeps_its_own_audit_event(cast, portal):
    from sqlalchemy import select

    from webapp.models import AuditEvent
    from webapp.services import audit

    pub_user = user(cast["publisher"])
    docs = [ready(cast) for _ in range(3)]
    for d in docs:
        publication.publish(d, pub_user, doc(d).version)
    outcomes = run_once(Settings(portal.url, SECRET, timeout=5, concurrency=3))
    assert sorted(o.message_id for o in outcomes) == [r.id for r in outbox_rows() if r.document_id in docs]
    assert {o.status for o in outcomes} == {"sent"}
    assert run_once(settings(portal)) == []  # each sent once
    delivered = db.session.execute(select(AuditEvent).where(AuditEvent.action == "push_delivered")
                                   .order_by(AuditEvent.seq)).scalars().all()
    assert sorted(e.document_id for e in delivered) == sorted(docs)  # one event per message, in one transaction
    assert [json.loads(e.details_json)["outbox"] for e in delivered] == sorted(o.message_id for o in outcomes)
    assert audit.verify_chain().ok
    for d in docs:
        pub = db.session.get(Publication, d)
        assert pub.public_url and get(pub.public_url)[0] == 200
        assert portal_receipts(portal.app, pub.index_no) == [(pub.index_no, "push", 1)]


def _push_message(n: int, version: int = 1) -> dict:
    from datetime import date

    from gkt_protocol import Publication as PushMessage
    from tests.pubhelpers import USCC

    return PushMessage(index_no=f"{USCC}/2026-{n:05d}", version=version, title=f"关于第{n}项工作的通知",
                       doc_number="", topic=("综合政务", "政务公开"), publisher="示范局", written_date=date(2026, 3, 2),
                       published_at=datetime(2026, 3, 5, 1, 30, tzinfo=UTC), validity="valid",
                       validity_changed_on=None, keywords=(), summary="", body_html=f"<p>第{n}项工作。</p>",
                       docx=None).to_json()


class GunicornPortal:
    """The portal under gunicorn's threaded worker (keep-alive on, as behind nginx in production),
    in its own process, stoppable and startable again on the same port."""

    def __init__(self, database_url: str) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.database_url = database_url
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> GunicornPortal:
        import os
        import subprocess
        import sys
        import time

        from tests.conftest import ROOT

        env = {**os.environ, "PORTAL_DATABASE_URL": self.database_url, "PORTAL_PUSH_SECRET": SECRET,
               "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-k", "gthread", "--threads", "2", "-w", "1", "--keep-alive", "30",
             "-b", f"127.0.0.1:{self.port}", "--access-logfile", "/dev/null", "portal_wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120  # a worker boots slowly on a busy machine
        while time.monotonic() < deadline:
            try:
                if self._listening() and get(self.url + "/robots.txt")[0] == 200:
                    return self
            except OSError:  # listening, but its worker is still booting: the probe timed out
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not come up")

    def _listening(self) -> bool:
        import socket

        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(20)
            self.process = None


def test_the_sender_keeps_its_connection_and_signs_afresh_when_the_portal_closed_it(tmp_path):
    from gkt_protocol import client

    url = portal_database("sqlite", tmp_path)
    portal = GunicornPortal(url).start()
    try:
        with client.Sender(portal.url, SECRET, timeout=60) as sender:
            assert sender.send(client.PUSH_PATH, _push_message(1)).ok
            kept = sender._conn.sock
            assert kept is not None  # gunicorn kept the connection open
            assert sender.send(client.PUSH_PATH, _push_message(2)).ok
            assert sender._conn.sock is kept  # the same TCP connection: no set-up per message
            portal.stop()  # closes the kept connection from the server's side …
            portal.start()  # … and comes back on the same port
            answer = sender.send(client.PUSH_PATH, _push_message(2, version=2))
            assert answer.ok, (answer.status, answer.data)  # not a replay (403), not "unreachable" (0)
            assert sender._conn is not None and sender._conn.sock is not kept
    finally:
        portal.stop()
    app = portal_app(url)
    for n, versions in ((1, [1]), (2, [1, 2])):
        index_no = f"11410000MB0G6Y810Y/2026-{n:05d}"
        assert [v for _, _, v in portal_receipts(app, index_no)] == versions  # each received once
