"""The standard catalogue on the portal (标准目录, issue 15): the signed POST /api/catalogue (its
checks, versions, retries, signature and replay refusals over real HTTP), each push's 目录事项, and
the two pages — the catalogue with every element, and an item's documents paged through an index."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from gkt_protocol import PayloadError, client, parse_publication, sign
from gkt_protocol.catalogue import MAX_ITEMS, CatalogueEntry, CatalogueMessage, parse_catalogue
from gkt_protocol.payload import CatalogueRef
from tests.portal.conftest import BEIJING, SECRET, publication, push, signed, withdraw

RELIEF = CatalogueEntry(7, None, "救灾", "灾后救助")
LIVING = CatalogueEntry(31, 7, "救灾", "过渡期生活救助", content="救助对象、救助标准、救助资金发放情况",
                        basis="《自然灾害救助条例》第十九条", time_limit="信息形成或变更之日起20个工作日内",
                        subject="县级应急管理部门", channels="政府网站、公开栏", audience="全社会", mode="主动",
                        level="县级、乡级")
WARNING = CatalogueEntry(8, None, "救灾", "备灾管理", basis="《中华人民共和国突发事件应对法》")
PUNISH = CatalogueEntry(12, None, "安全生产", "依法行政")
PUNISH_RESULT = CatalogueEntry(40, 12, "安全生产", "行政处罚结果", content="处罚对象、违法事实、处罚结果",
                               time_limit="信息形成或变更之日起7个工作日内", mode="主动", audience="全社会", level="县级")


def catalogue(version: int = 1, items=(RELIEF, LIVING, WARNING, PUNISH, PUNISH_RESULT)) -> CatalogueMessage:
    return CatalogueMessage(version, "示范市应急管理局", BEIJING, tuple(items))


def send_catalogue(portal, msg: CatalogueMessage | dict, **kw):
    return signed(portal, "/api/catalogue", msg.to_json() if isinstance(msg, CatalogueMessage) else msg, **kw)


LIVING_REF = CatalogueRef(31, "救灾", "灾后救助", "过渡期生活救助")


# --------------------------------------------------------------------------- the protocol

def test_a_push_without_a_catalogue_item_is_still_valid_and_one_with_it_round_trips():
    old = publication().to_json()
    old.pop("catalogue_item")
    assert parse_publication(old).catalogue_item is None  # a message from before issue 15
    message = publication(catalogue_item=LIVING_REF).to_json()
    assert message["catalogue_item"] == {"id": 31, "domain": "救灾", "first_level": "灾后救助",
                                         "second_level": "过渡期生活救助"}
    assert parse_publication(message).catalogue_item == LIVING_REF
    bad = {**message, "catalogue_item": {"id": 0, "domain": "", "first_level": "x" * 101}}
    with pytest.raises(PayloadError) as refused:
        parse_publication(bad)
    text = "；".join(refused.value.problems)
    assert "目录事项编号" in text and "目录事项领域不能为空" in text and "目录事项一级事项不能超过 100" in text


def test_the_catalogue_message_round_trips_and_every_problem_is_named():
    msg = catalogue()
    assert parse_catalogue(json.loads(json.dumps(msg.to_json(), ensure_ascii=False))) == msg
    broken = msg.to_json()
    broken["items"] += [
        {**LIVING.to_json(), "mode": "公开"},  # not 主动/依申请, and id 31 again
        {**PUNISH_RESULT.to_json(), "id": 41, "parent_id": 40},  # a third level
        {**RELIEF.to_json(), "id": 9},  # the same name in the same place
    ]
    with pytest.raises(PayloadError) as refused:
        parse_catalogue(broken)
    text = "；".join(refused.value.problems)
    for expected in ("第 6 项公开方式应为“主动”或“依申请”", "第 6 项编号31 重复", "第 7 项上级编号应为此前列出的一级事项",
                     "第 8 项公开事项名称同一位置重名"):
        assert expected in text, text
    with pytest.raises(PayloadError, match=f"不能超过 {MAX_ITEMS} 项"):
        parse_catalogue({**msg.to_json(), "items": [RELIEF.to_json()] * (MAX_ITEMS + 1)})
    with pytest.raises(PayloadError, match="协议版本"):
        parse_catalogue({**msg.to_json(), "protocol": 2})


# --------------------------------------------------------------------------- the endpoint

def test_a_newer_version_replaces_the_catalogue_the_same_is_a_retry_an_older_is_refused(portal):
    r = send_catalogue(portal, catalogue(2))
    assert r.status_code == 200 and r.get_json()["changed"] is True and r.get_json()["items"] == 5
    assert r.get_json()["url"].endswith("/xxgk/ml/")
    again = send_catalogue(portal, catalogue(2))  # a retry from the outbox (signed anew)
    assert again.status_code == 200 and again.get_json()["changed"] is False
    stale = send_catalogue(portal, catalogue(1, items=(RELIEF,)))
    assert stale.status_code == 409 and stale.get_json()["error"] == "stale_version"
    page = portal.get("/xxgk/ml/").get_data(as_text=True)
    assert "过渡期生活救助" in page and "第 2 版" in page
    newer = send_catalogue(portal, catalogue(3, items=(RELIEF, LIVING)))  # 安全生产 items dropped
    assert newer.status_code == 200
    page = portal.get("/xxgk/ml/").get_data(as_text=True)
    assert "行政处罚结果" not in page and "第 3 版" in page


def test_a_malformed_catalogue_changes_nothing(portal):
    assert send_catalogue(portal, catalogue(1)).status_code == 200
    bad = catalogue(2).to_json()
    bad["items"][1]["parent_id"] = 999
    r = send_catalogue(portal, bad)
    assert r.status_code == 400 and r.get_json()["error"] == "invalid_payload"
    assert any("上级编号" in p for p in r.get_json()["problems"])
    assert "第 1 版" in portal.get("/xxgk/ml/").get_data(as_text=True)


def _post(url: str, body: bytes, headers: dict) -> tuple[int, str]:
    req = urllib.request.Request(url, data=body, headers={**headers, "Content-Type": "application/json"},
                                 method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read()).get("error", "")
    except urllib.error.HTTPError as e:
        with e:
            return e.code, json.loads(e.read())["error"]


def test_unsigned_tampered_stale_and_replayed_catalogues_are_refused_over_http(portal_server):
    url = portal_server + "/api/catalogue"
    body = json.dumps(catalogue().to_json(), ensure_ascii=False).encode()
    good = sign(SECRET, "POST", "/api/catalogue", body, datetime.now(UTC))
    assert _post(url, body, {}) == (401, "unsigned")
    assert _post(url, body.replace("灾后救助".encode(), "灾后重建".encode()), good) == (401, "bad_signature")
    old = sign(SECRET, "POST", "/api/catalogue", body, datetime.now(UTC) - timedelta(minutes=6))
    assert _post(url, body, old) == (401, "stale")
    # a push's signature does not open the catalogue endpoint: the path is signed
    assert _post(url, body, sign(SECRET, "POST", "/api/push", body, datetime.now(UTC))) == (401, "bad_signature")
    assert _post(url, body, good) == (200, "")
    assert _post(url, body, good) == (403, "replayed")
    answer = client.publish_catalogue(portal_server, SECRET, catalogue(), timeout=10)  # the outbox's client
    assert answer.ok and answer.data["changed"] is False


# --------------------------------------------------------------------------- the pages

def test_the_catalogue_page_shows_the_tree_and_every_element_with_meta_and_cache_headers(portal):
    empty = portal.get("/xxgk/ml/")
    assert empty.status_code == 200 and "尚未在本网站发布" in empty.get_data(as_text=True)
    send_catalogue(portal, catalogue())
    r = portal.get("/xxgk/ml/")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    for header in ("公开事项名称", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "公开对象",
                   "公开方式", "公开层级"):
        assert f'<th scope="col">{header}</th>' in html, header
    for value in LIVING.to_json().values():
        if isinstance(value, str):
            assert value in html, value
    body = html[html.index('class="ml-domain"'):]  # after the table of contents
    assert body.index("救灾领域") < body.index("灾后救助") < body.index("过渡期生活救助")
    assert body.index("安全生产领域") < body.index("行政处罚结果")
    assert 'href="/xxgk/ml/31.html"' in html and 'href="/xxgk/ml/7.html"' in html
    for meta in ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription", "ColumnKeywords",
                 "ColumnType"):
        assert f'<meta name="{meta}"' in html, meta
    assert '<meta name="ColumnName" content="政府信息公开">' in html
    assert 'aria-current="page">政务公开事项标准目录' in html  # the column's navigation
    assert "public" in r.headers["Cache-Control"] and r.headers["ETag"] and r.headers["Last-Modified"]
    assert portal.get("/xxgk/ml/", headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
    send_catalogue(portal, catalogue(2, items=(RELIEF, LIVING)))
    assert portal.get("/xxgk/ml/", headers={"If-None-Match": r.headers["ETag"]}).status_code == 200
    # the list by 主题分类 and year links to it
    assert 'href="/xxgk/ml/"' in portal.get("/xxgk/").get_data(as_text=True)


def test_an_items_page_lists_its_public_documents_newest_first_in_pages(portal_app, portal):
    portal_app.config["PORTAL_PAGE_SIZE"] = 2
    send_catalogue(portal, catalogue())
    for serial in range(1, 6):  # five under 过渡期生活救助, one elsewhere, one not filed
        assert push(portal, publication(serial, title=f"过渡期生活救助资金发放情况（第{serial}批）",
                                        published_at=BEIJING + timedelta(days=serial),
                                        catalogue_item=LIVING_REF)).status_code == 200
    push(portal, publication(6, title="行政处罚结果公示", catalogue_item=CatalogueRef(40, "安全生产", "依法行政", "行政处罚结果")))
    push(portal, publication(7, title="未归入目录的通知"))
    withdraw(portal, serial=3)
    first = portal.get("/xxgk/ml/31.html")
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and "共 4 条" in html  # the withdrawn one is not listed
    assert html.index("第5批") < html.index("第4批") and "第2批" not in html and "行政处罚结果公示" not in html
    assert "《自然灾害救助条例》第十九条" in html and "县级、乡级" in html  # the item's elements
    assert '<a href="/xxgk/ml/7.html">灾后救助</a>' in html  # crumbs up to its first-level item
    assert '<meta name="ColumnKeywords" content="政府信息公开,政务公开事项标准目录,过渡期生活救助">' in html
    assert first.headers["ETag"] and "public" in first.headers["Cache-Control"]
    assert portal.get("/xxgk/ml/31.html", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    nxt = html.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = portal.get(nxt).get_data(as_text=True)
    assert "第2批" in second and "第1批" in second and "第5批" not in second
    prev = second.split('rel="prev" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "第5批" in portal.get(prev).get_data(as_text=True)
    doc_page = portal.get("/xxgk/11370812004339255B/2026-00005.html").get_data(as_text=True)
    assert '<a href="/xxgk/ml/31.html">救灾 · 灾后救助 / 过渡期生活救助</a>' in doc_page  # the document links its item
    assert "目录事项" not in portal.get("/xxgk/11370812004339255B/2026-00007.html").get_data(as_text=True)
    parent = portal.get("/xxgk/ml/7.html").get_data(as_text=True)
    assert "二级事项" in parent and 'href="/xxgk/ml/31.html"' in parent
    assert "行政处罚结果公示" in portal.get("/xxgk/ml/40.html").get_data(as_text=True)


def test_a_document_refiled_or_filed_under_an_unpublished_item_and_unknown_items(portal):
    push(portal, publication(1, catalogue_item=CatalogueRef(55, "救灾", "款物管理", "")))
    page = portal.get("/xxgk/ml/55.html")  # the catalogue is not published yet: named from the push
    assert page.status_code == 200 and "不在现行标准目录中" in page.get_data(as_text=True)
    assert "关于做好2026年汛期救灾准备工作的通知" in page.get_data(as_text=True)
    push(portal, replace(publication(1, catalogue_item=LIVING_REF), version=2))  # re-filed
    assert portal.get("/xxgk/ml/55.html").status_code == 404
    assert "关于做好2026年汛期救灾准备工作的通知" in portal.get("/xxgk/ml/31.html").get_data(as_text=True)
    push(portal, replace(publication(1), version=3))  # no longer filed anywhere (no catalogue published here)
    assert portal.get("/xxgk/ml/31.html").status_code == 404
    for path in ("/xxgk/ml/99.html", "/xxgk/ml/0.html", "/xxgk/ml/99999999999.html", "/xxgk/ml/abc.html"):
        assert portal.get(path).status_code == 404, path
