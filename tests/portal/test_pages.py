"""The public pages as Chinese government sites present them (REFERENCE.md §1): the catalogue
with filters and keyset paging, the document page's metadata table and 有效性, the
网页设计规范 meta tags, the Atom feed, the sitemap — and HTTP caching on every page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, datetime, timedelta
from email.utils import format_datetime

import pytest

from tests.portal.conftest import BASE, BEIJING, page_path, publication, push

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def meta(html: str) -> dict[str, str]:
    return dict(re.findall(r'<meta name="([A-Za-z]+)" content="([^"]*)">', html))


def links(html: str) -> list[str]:
    table = html.split('<table class="catalogue">', 1)
    return re.findall(r'<td><a href="([^"]+)"', table[1]) if len(table) == 2 else []


@pytest.fixture
def catalogue(portal):
    """45 documents over two years, three topics, two publishers; one day apart, newest last."""
    topics = ["民政、扶贫、救灾", "综合政务", "卫生、体育"]
    for n in range(1, 46):
        pub = replace(
            publication(n), title=f"第{n}号测试文件", interpretation=None, interpretation_required=False, docx=None,
            topic=(topics[n % 3], ""), publisher="示范市应急管理局" if n % 2 else "示范市人民政府办公室",
            published_at=BEIJING - timedelta(days=400) + timedelta(days=10 * n),
        )
        assert push(portal, pub).status_code == 200
    return portal


def test_the_catalogue_pages_by_keyset_without_gaps_or_repeats(catalogue):
    seen, url = [], "/xxgk/"
    while url:
        html = catalogue.get(url).get_data(as_text=True)
        page = links(html)
        assert len(page) <= 20
        seen += page
        nxt = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = nxt.group(1).replace("&amp;", "&") if nxt else None
    assert len(seen) == 45 and len(set(seen)) == 45
    assert seen[0] == page_path(45) and seen[-1] == page_path(1)  # newest first


def test_previous_page_returns_to_the_same_rows(catalogue):
    first = catalogue.get("/xxgk/").get_data(as_text=True)
    nxt = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = catalogue.get(nxt).get_data(as_text=True)
    prev = re.search(r'rel="prev" href="([^"]+)"', second).group(1).replace("&amp;", "&")
    assert links(catalogue.get(prev).get_data(as_text=True)) == links(first)


def test_filters_by_year_topic_and_publisher(catalogue):
    html = catalogue.get("/xxgk/", query_string={"year": "2025", "topic": "综合政务",
                                                  "publisher": "示范市应急管理局"}).get_data(as_text=True)
    got = links(html)
    # published_at = 2025-01-29 + 10n days (Beijing): n ≤ 33 is 2025; topic 综合政务: n % 3 == 1; odd n
    expected = [page_path(n) for n in range(33, 0, -1) if n % 3 == 1 and n % 2 == 1]
    assert got == expected
    assert f"共 {len(expected)} 条" in html


def test_the_filter_choices_come_from_the_data(catalogue):
    html = catalogue.get("/xxgk/").get_data(as_text=True)
    assert '<option value="2026">2026年</option>' in html and '<option value="2025">2025年</option>' in html
    assert "<option>示范市人民政府办公室</option>" in html
    assert html.count("<option>") >= 22 + 2  # the 22 first-level 主题分类 and both publishers


@pytest.mark.parametrize("args", [{"year": "二〇二六"}, {"topic": "不存在"}, {"publisher": "长" * 200},
                                  {"after": "garbage"}, {"before": "99999999999999999999-1"}])
def test_bad_filters_are_ignored_with_a_message_never_500(catalogue, args):
    r = catalogue.get("/xxgk/", query_string=args)
    assert r.status_code == 200
    assert len(links(r.get_data(as_text=True))) == 20 or "没有符合条件" in r.get_data(as_text=True)


def test_the_document_page_shows_the_metadata_table(portal):
    push(portal, publication())
    html = portal.get(page_path()).get_data(as_text=True)
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td[^>]*>(.*?)</td>', html))
    assert rows["索引号"] == "11370812004339255B/2026-00001"
    assert rows["主题分类"] == "民政、扶贫、救灾 / 救灾"
    assert rows["发布机构"] == "示范市应急管理局"
    assert rows["成文日期"] == "2026年3月2日"
    assert rows["发布日期"] == "2026年3月5日"
    assert rows["文号"] == "示应急〔2026〕1号"
    assert "有效" in rows["有效性"]


def test_the_page_carries_the_web_design_standard_meta_tags(portal):
    """国办发〔2017〕47号: SiteName, SiteDomain, SiteIDCode, ColumnName, ColumnDescription,
    ColumnKeywords, ColumnType on every page; ArticleTitle, PubDate, ContentSource on articles."""
    push(portal, publication())
    article = meta(portal.get(page_path()).get_data(as_text=True))
    assert article["SiteName"] == "示范市人民政府门户网站"
    assert article["SiteDomain"] == "www.example.gov.cn"
    assert article["SiteIDCode"] == "1100000001"
    assert article["ColumnName"] == "政府信息公开"
    assert article["ArticleTitle"] == "关于做好2026年汛期救灾准备工作的通知"
    assert article["PubDate"] == "2026-03-05 09:30"  # YYYY-MM-DD HH:MM, Beijing time
    assert article["ContentSource"] == "示范市应急管理局"
    for name in ("ColumnDescription", "ColumnKeywords", "ColumnType"):
        assert article[name]
    for path in ("/", "/xxgk/", "/search?q=救灾"):
        tags = meta(portal.get(path).get_data(as_text=True))
        assert {"SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription", "ColumnKeywords",
                "ColumnType"} <= tags.keys(), path
    assert meta(portal.get(page_path(suffix="_jd.html")).get_data(as_text=True))["ColumnName"] == "政策解读"


@pytest.mark.parametrize("validity, label", [("expired", "失效"), ("repealed", "废止")])
def test_expired_and_repealed_documents_are_clearly_marked(portal, validity, label):
    push(portal, replace(publication(), validity=validity, validity_changed_on=date(2027, 1, 1)))
    html = portal.get(page_path()).get_data(as_text=True)
    assert f'<p class="validity-notice" role="note"><strong>本文件已{label}</strong>（2027年1月1日起{label}）' in html
    assert f'<span class="validity validity-{validity}">{label}</span>' in html
    listing = portal.get("/xxgk/").get_data(as_text=True)
    assert f'<span class="validity validity-{validity}">{label}</span>' in listing


def test_the_atom_feed_lists_the_latest_with_absolute_links(portal):
    push(portal, publication(1))
    push(portal, replace(publication(2), title="第二份文件", published_at=BEIJING + timedelta(days=1)))
    r = portal.get("/feed.atom")
    assert r.mimetype == "application/atom+xml"
    feed = ET.fromstring(r.data)
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles[0] == "第二份文件"
    assert titles == ["第二份文件", "关于做好2026年汛期救灾准备工作的通知"]  # policies; each links its 解读
    assert entries[0].find(f"{ATOM}link").get("href") == BASE + page_path(2)
    assert entries[0].findtext(f"{ATOM}published") == "2026-03-06T09:30:00+08:00"


def test_the_sitemap_lists_every_public_page(portal):
    push(portal, publication(1))
    push(portal, publication(2))
    index = ET.fromstring(portal.get("/sitemap.xml").data)
    locs = [s.findtext(f"{SITEMAP}loc") for s in index.findall(f"{SITEMAP}sitemap")]
    assert locs == [BASE + "/sitemap-0.xml"]
    urls = {u.findtext(f"{SITEMAP}loc") for u in ET.fromstring(portal.get("/sitemap-0.xml").data)}
    assert {BASE + page_path(1), BASE + page_path(2), BASE + page_path(1, "_jd.html"), BASE + "/xxgk/"} <= urls
    assert portal.get("/sitemap-7.xml").status_code == 404


def test_unknown_pages_are_404_in_chinese(portal):
    for path in ("/nope", "/xxgk/11370812004339255B/2026-99999.html", "/xxgk/BAD/2026-00001.html",
                 "/xxgk/11370812004339255B/2026-00001.docx"):
        r = portal.get(path)
        assert r.status_code == 404, path
        assert "页面不存在" in r.get_data(as_text=True)


# --------------------------------------------------------------------------- caching

PUBLIC_PAGES = ["/", "/xxgk/", "/xxgk/?topic=综合政务", "/xxgk/ndbg/", page_path(), page_path(suffix="_jd.html"),
                page_path(suffix=".docx"), "/search?q=救灾", "/feed.atom", "/sitemap.xml", "/sitemap-0.xml",
                "/robots.txt"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_is_cacheable_and_revalidates_to_304(portal, path):
    push(portal, publication())
    r = portal.get(path)
    assert r.status_code == 200
    assert r.headers["ETag"] and "public" in r.headers["Cache-Control"] and "max-age=" in r.headers["Cache-Control"]
    if path not in ("/robots.txt",):
        assert r.headers["Last-Modified"]
    again = portal.get(path, headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    if "Last-Modified" in r.headers:
        since = portal.get(path, headers={"If-Modified-Since": r.headers["Last-Modified"]})
        assert since.status_code == 304


def test_a_change_gives_a_new_etag(portal):
    push(portal, publication())
    before = portal.get(page_path()).headers["ETag"]
    listing = portal.get("/xxgk/").headers["ETag"]
    push(portal, replace(publication(), version=2, title="更新后的标题"))
    r = portal.get(page_path(), headers={"If-None-Match": before})
    assert r.status_code == 200 and "更新后的标题" in r.get_data(as_text=True)
    assert portal.get("/xxgk/", headers={"If-None-Match": listing}).status_code == 200


def test_a_withdrawn_page_is_a_cacheable_410(portal):
    push(portal, publication())
    from tests.portal.conftest import withdraw

    withdraw(portal)
    r = portal.get(page_path())
    assert r.status_code == 410 and "public" in r.headers["Cache-Control"] and r.headers["ETag"]


def test_the_api_is_never_cached(portal):
    r = portal.post("/api/push", data=b"{}")
    assert "public" not in r.headers.get("Cache-Control", "")


def test_if_modified_since_in_the_past_gets_the_page(portal):
    push(portal, publication())
    old = format_datetime(datetime(2020, 1, 1, tzinfo=BEIJING.tzinfo), usegmt=False)
    assert portal.get(page_path(), headers={"If-Modified-Since": old}).status_code == 200


def test_every_route_is_known_public_or_signed(portal_app):
    """Like the intranet's authz matrix: a new route must be added here on purpose.  Public
    routes are GET only; the API is POST only and signed (tested in test_push_api.py)."""
    public_get = {"/", "/xxgk/", "/xxgk/<code:code>/<serial:serial>.html", "/xxgk/<code:code>/<serial:serial>_jd.html",
                  "/xxgk/<code:code>/<serial:serial>.docx", "/xxgk/<code:code>/<serial:serial>_jd.docx", "/search",
                  "/feed.atom", "/sitemap.xml", "/sitemap-<int:n>.xml", "/robots.txt", "/static/<path:filename>",
                  "/xxgk/<code:code>/<serial:serial>_fj<int:n><ext:ext>",  # 附件 (test_attachments.py)
                  "/xxgk/ndbg/",  # 政府信息公开年报 (issue 12)
                  # the standard catalogue (issue 15): tests/portal/test_standard_catalogue.py
                  "/xxgk/ml/", "/xxgk/ml/<int:item_id>.html"}
    signed_post = {"/api/push", "/api/withdraw", "/api/catalogue",
                   # online applications (issue 9): signed as well (tests/portal/test_applications_online.py)
                   "/api/applications/pull", "/api/applications/ack", "/api/applications/status"}
    # the online application form, its 查询码 lookup and the reply download: POST without login,
    # guarded by a single-use CAPTCHA or the 查询码 itself (tests/portal/test_applications_online.py)
    public_forms = {"/yisqgk/": {"GET", "POST"}, "/yisqgk/chaxun": {"GET", "POST"}, "/yisqgk/dafu": {"POST"},
                    "/yisqgk/dafu/<int:position>": {"POST"}}
    rules: dict[str, set[str]] = {}
    for r in portal_app.url_map.iter_rules():  # a path may have one rule per method
        rules.setdefault(r.rule, set()).update(r.methods - {"HEAD", "OPTIONS"})
    for rule, methods in public_forms.items():
        assert rules.pop(rule) == methods
    assert set(rules) == public_get | signed_post
    assert all(rules[r] == {"GET"} for r in public_get)
    assert all(rules[r] == {"POST"} for r in signed_post)
