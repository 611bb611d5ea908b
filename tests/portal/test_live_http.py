"""The portal as a real server on loopback, pushed to over real HTTP by gkt_protocol.client —
the client the intranet's outbox worker calls."""

from __future__ import annotations

import json
import socket
import urllib.request
from dataclasses import replace
from datetime import UTC, datetime

from gkt_protocol import Withdrawal, client, sign
from tests.portal.conftest import BEIJING, SECRET, page_path, publication


def get(url: str, headers: dict | None = None) -> tuple[int, str, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read().decode(), dict(e.headers)


def test_push_over_http_then_read_the_page(portal_server):
    answer = client.push(portal_server, SECRET, publication(), timeout=10)
    assert answer.ok, answer
    assert answer.data["url"].endswith(page_path())
    status, html, headers = get(portal_server + page_path())
    assert status == 200 and "关于做好2026年汛期救灾准备工作的通知" in html
    status, _, _ = get(portal_server + page_path(), {"If-None-Match": headers["ETag"]})
    assert status == 304
    # A retry of the same message (signed again) is accepted and changes nothing.
    assert client.push(portal_server, SECRET, publication(), timeout=10).ok


def test_tampered_stale_and_replayed_requests_are_refused_over_http(portal_server):
    body = json.dumps(publication().to_json(), ensure_ascii=False).encode()
    headers = {**sign(SECRET, "POST", "/api/push", body, datetime.now(UTC)), "Content-Type": "application/json"}

    def post(data: bytes, h: dict) -> tuple[int, dict]:
        req = urllib.request.Request(portal_server + "/api/push", data=data, headers=h, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            with e:
                return e.code, json.loads(e.read())

    status, data = post(body.replace("救灾".encode(), "赈灾".encode()), headers)
    assert (status, data["error"]) == (401, "bad_signature")
    stale = {**sign(SECRET, "POST", "/api/push", body, datetime(2026, 1, 1, tzinfo=UTC)),
             "Content-Type": "application/json"}
    status, data = post(body, stale)
    assert (status, data["error"]) == (401, "stale")
    assert post(body, headers)[0] == 200
    status, data = post(body, headers)
    assert (status, data["error"]) == (403, "replayed")


def test_withdraw_and_republish_over_http(portal_server):
    assert client.push(portal_server, SECRET, publication()).ok
    gone = client.withdraw(portal_server, SECRET, Withdrawal(publication().index_no, 2, "内容有误，已撤回。", BEIJING))
    assert gone.ok and gone.data["status"] == "withdrawn"
    status, html, _ = get(portal_server + page_path())
    assert status == 410 and "内容有误，已撤回。" in html
    back = client.push(portal_server, SECRET, replace(publication(), version=3))
    assert back.ok and back.data["url"].endswith(page_path())
    assert get(portal_server + page_path())[0] == 200


def test_the_client_reports_an_unreachable_portal_as_retryable():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    answer = client.push(f"http://127.0.0.1:{port}", SECRET, publication(), timeout=3)
    assert answer.status == 0 and answer.retryable and not answer.ok
    assert "无法连接门户网站" in answer.message


def test_the_client_reports_a_refusal_as_final(portal_server):
    answer = client.push(portal_server, "a-wrong-secret-for-this-portal-0000", publication())
    assert answer.status == 401 and not answer.retryable
    assert "签名校验失败" in answer.message


def test_simultaneous_pushes_of_a_new_document_leave_exactly_one_copy(portal_server, portal_app):
    """Eight workers push the same new 索引号 at once (an outbox retried in parallel): every
    request succeeds, and the portal holds one policy and one 解读."""
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.models import Item

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: client.push(portal_server, SECRET, publication(), timeout=30), range(8)))
    assert all(a.ok for a in answers), [(a.status, a.data) for a in answers]
    assert sum(a.data["created"] for a in answers) == 1
    with portal_app.app_context():
        assert db.session.execute(select(func.count()).select_from(Item)).scalar_one() == 2
