"""POST /api/push and /api/withdraw: signed, idempotent by 索引号, versioned; bad input is a JSON
answer (401/403/400/404/409/413), never a 500, and changes nothing."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import INTERPRETATION, POLICY, Item, ItemFile, ReceiptEvent
from tests.portal.conftest import BASE, SECRET, SEEDS, page_path, publication, push, sha256, signed, withdraw


def count_items(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Item)).scalar_one()


def test_a_push_publishes_the_policy_and_its_interpretation_linked_both_ways(portal, portal_app):
    r = push(portal, publication())
    assert r.status_code == 200, r.get_json()
    data = r.get_json()
    assert data["ok"] and data["created"]
    assert data["url"] == BASE + page_path()
    assert data["interpretation_url"] == BASE + page_path(suffix="_jd.html")

    policy = portal.get(page_path()).get_data(as_text=True)
    interp = portal.get(page_path(suffix="_jd.html")).get_data(as_text=True)
    assert "关于做好2026年汛期救灾准备工作的通知" in policy
    assert f'href="{page_path(suffix="_jd.html")}"' in policy  # policy → 解读
    assert f'href="{page_path()}"' in interp  # 解读 → policy
    assert "近年来极端天气多发" in interp


def test_repeating_a_push_updates_in_place_and_never_duplicates(portal, portal_app):
    assert push(portal, publication()).status_code == 200
    with portal_app.app_context():
        first_ids = sorted(db.session.execute(select(Item.id)).scalars())
    r = push(portal, replace(publication(), version=2, title="关于做好2026年汛期救灾准备工作的通知（修订）"))
    assert r.status_code == 200 and r.get_json()["created"] is False
    r = push(portal, replace(publication(), version=2, title="关于做好2026年汛期救灾准备工作的通知（修订）"))
    assert r.status_code == 200  # the same message again: still one copy
    with portal_app.app_context():
        assert sorted(db.session.execute(select(Item.id)).scalars()) == first_ids
        assert db.session.execute(select(func.count()).select_from(ItemFile)).scalar_one() == 1
    page = portal.get(page_path()).get_data(as_text=True)
    assert "（修订）" in page
    hits = portal.get("/search?q=修订").get_data(as_text=True)
    assert hits.count(f'href="{page_path()}"') == 1


def test_an_older_version_arriving_late_changes_nothing(portal, portal_app):
    push(portal, replace(publication(), version=5, title="第五版标题"))
    r = push(portal, replace(publication(), version=4, title="第四版标题"))
    assert r.status_code == 409 and r.get_json()["error"] == "stale_version"
    assert "第五版标题" in portal.get(page_path()).get_data(as_text=True)
    with portal_app.app_context():
        actions = db.session.execute(select(ReceiptEvent.action).order_by(ReceiptEvent.id)).scalars().all()
    assert actions == ["push", "stale"]


def test_the_docx_download_is_exactly_the_pushed_file(portal):
    pub = publication()
    push(portal, pub)
    r = portal.get(page_path(suffix=".docx"))
    assert r.status_code == 200
    assert sha256(r.data) == pub.docx.sha256
    assert "attachment" in r.headers["Content-Disposition"]
    assert r.headers["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert portal.get(page_path(suffix="_jd.docx")).status_code == 404  # this 解读 has none


def test_only_the_pushed_masked_text_is_shown_and_markup_is_cleaned(portal):
    """The portal shows the de-identified copy it was sent — nothing else, and no active content
    (seed 004's contact line, masked by the publisher)."""
    body = ('<p>联系人：叶**，电话：8318****。</p><script>alert("x")</script>'
            '<p onclick="steal()">正文<a href="javascript:alert(1)">链接</a></p><img src="http://evil/x.png">')
    push(portal, replace(publication(), body_html=body))
    page = portal.get(page_path()).get_data(as_text=True)
    assert "联系人：叶**，电话：8318****。" in page
    for bad in ("<script>alert", "alert(\"x\")", "onclick", "javascript:", "evil", "叶玉才", "83186312"):
        assert bad not in page, bad


def test_withdrawal_answers_410_with_the_notice_and_hides_both_everywhere(portal):
    push(portal, publication())
    r = withdraw(portal, notice="该文件内容需要更正，已撤回。")
    assert r.status_code == 200 and r.get_json()["status"] == "withdrawn"
    for path in (page_path(), page_path(suffix="_jd.html"), page_path(suffix=".docx")):
        page = portal.get(path)
        assert page.status_code == 410, path
        assert "该文件内容需要更正，已撤回。" in page.get_data(as_text=True)
    assert "汛期救灾" not in portal.get("/search?q=汛期").get_data(as_text=True).split("<main")[1]
    assert page_path() not in portal.get("/xxgk/").get_data(as_text=True)
    assert page_path() not in portal.get("/feed.atom").get_data(as_text=True)
    assert page_path() not in portal.get("/sitemap-0.xml").get_data(as_text=True)


def test_republishing_after_withdrawal_keeps_the_same_url(portal, portal_app):
    first = push(portal, publication()).get_json()["url"]
    withdraw(portal, version=2)
    again = push(portal, replace(publication(), version=3, title="关于做好2026年汛期救灾准备工作的通知（更正）"))
    assert again.status_code == 200 and again.get_json()["url"] == first
    page = portal.get(page_path())
    assert page.status_code == 200 and "（更正）" in page.get_data(as_text=True)
    assert portal.get(page_path(suffix="_jd.html")).status_code == 200
    assert count_items(portal_app) == 2
    assert "（<mark>更正</mark>）" in portal.get("/search?q=更正").get_data(as_text=True)


def test_a_republish_without_its_interpretation_takes_the_old_one_down(portal):
    push(portal, publication())
    push(portal, replace(publication(), version=2, interpretation_required=False, interpretation=None))
    assert portal.get(page_path(suffix="_jd.html")).status_code == 410
    assert "政策解读：" not in portal.get(page_path()).get_data(as_text=True)


def test_withdrawing_an_unknown_document_is_404_json(portal):
    r = withdraw(portal, serial=99)
    assert r.status_code == 404 and r.get_json()["error"] == "unknown_index_no"


def test_a_policy_needing_interpretation_is_refused_alone_and_nothing_is_public(portal, portal_app):
    raw = publication().to_json()
    raw["interpretation"] = None
    r = push(portal, raw)
    assert r.status_code == 400
    assert any("解读材料" in p for p in r.get_json()["problems"])
    assert count_items(portal_app) == 0
    assert portal.get(page_path()).status_code == 404


# --------------------------------------------------------------------------- refused requests

def test_a_tampered_body_is_refused_401_and_nothing_is_stored(portal, portal_app):
    body = json.dumps(publication().to_json(), ensure_ascii=False).encode()
    from gkt_protocol import sign

    headers = sign(SECRET, "POST", "/api/push", body, datetime.now(UTC))
    tampered = body.replace("示范市应急管理局".encode(), "示范市财政局".encode())
    r = portal.post("/api/push", data=tampered, headers=headers, content_type="application/json")
    assert r.status_code == 401 and r.get_json()["error"] == "bad_signature"
    assert count_items(portal_app) == 0


def test_a_wrong_secret_is_refused(portal, portal_app):
    r = push(portal, publication(), secret="someone-elses-secret-0123456789")
    assert r.status_code == 401 and r.get_json()["error"] == "bad_signature"
    assert count_items(portal_app) == 0


def test_a_stale_timestamp_is_refused(portal, portal_app):
    r = push(portal, publication(), now=datetime.now(UTC) - timedelta(minutes=6))
    assert r.status_code == 401 and r.get_json()["error"] == "stale"
    assert count_items(portal_app) == 0


def test_a_replayed_request_is_refused_403(portal, portal_app):
    body = json.dumps(replace(publication(), version=1).to_json(), ensure_ascii=False).encode()
    from gkt_protocol import sign

    headers = sign(SECRET, "POST", "/api/push", body, datetime.now(UTC))
    assert portal.post("/api/push", data=body, headers=headers).status_code == 200
    withdraw(portal, version=2)  # the replay would republish a withdrawn document
    r = portal.post("/api/push", data=body, headers=headers)
    assert r.status_code == 403 and r.get_json()["error"] == "replayed"
    assert portal.get(page_path()).status_code == 410


def test_an_unsigned_request_is_refused(portal):
    r = portal.post("/api/push", json=publication().to_json())
    assert r.status_code == 401 and r.get_json()["error"] == "unsigned"


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[" * 100_000, b""])
def test_malformed_json_is_400_never_500(portal, body):
    r = signed(portal, "/api/push", body)
    assert r.status_code == 400, r.get_data(as_text=True)[:300]
    assert r.get_json()["error"] == "malformed_json"


@pytest.mark.parametrize("message", [[], {"protocol": 1}, {"protocol": 1, "index_no": 5, "version": "x"}])
def test_an_invalid_payload_is_400_with_chinese_problems(portal, message):
    r = signed(portal, "/api/push", message)
    assert r.status_code == 400
    data = r.get_json()
    assert data["error"] == "invalid_payload" and data["problems"]
    assert all(any("\u4e00" <= c <= "\u9fff" for c in p) for p in data["problems"])


def test_a_body_over_the_limit_is_413_json(portal_app):
    portal_app.config["MAX_CONTENT_LENGTH"] = 1000
    r = signed(portal_app.test_client(), "/api/push", b"{" + b" " * 5000 + b"}")
    assert r.status_code == 413 and r.get_json()["error"] == "too_large"


def test_get_on_the_api_is_405_json(portal):
    r = portal.get("/api/push")
    assert r.status_code == 405 and r.get_json()["error"] == "method_not_allowed"


def test_a_long_document_is_found_to_its_last_words(portal):
    """300,000 characters of real notices (seeds/): past PostgreSQL's last tsvector position
    (16383) the words are still found."""
    seeds = "".join(p.read_text() for p in sorted(SEEDS.glob("0*.txt")))
    text = (seeds * (300_000 // len(seeds) + 1))[:300_000]
    body = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip()) + "<p>末尾写明值守热线。</p>"
    r = push(portal, replace(publication(), body_html=body))
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    assert page_path() in portal.get("/search?q=热线").get_data(as_text=True)


def test_a_text_of_only_distinct_bigrams_is_stored_without_error(portal):
    """A pathological text (300,000 characters, nearly every bigram different) would make a
    tsvector over PostgreSQL's 1 MB limit: the index stops adding new bigrams instead of failing."""
    chars = "".join(chr(0x4E00 + (i * i + i // 7) % 20000) for i in range(300_000))
    r = push(portal, replace(publication(), body_html=f"<p>开头是防汛值班安排。{chars}</p>"))
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    assert page_path() in portal.get("/search?q=值班").get_data(as_text=True)


def test_a_push_stores_one_policy_row_and_one_interpretation_row(portal, portal_app):
    push(portal, publication())
    with portal_app.app_context():
        kinds = sorted(db.session.execute(select(Item.kind)).scalars())
        interp = db.session.execute(select(Item).where(Item.kind == INTERPRETATION)).scalar_one()
        policy = db.session.execute(select(Item).where(Item.kind == POLICY)).scalar_one()
        assert interp.policy_id == policy.id
    assert kinds == [INTERPRETATION, POLICY]
