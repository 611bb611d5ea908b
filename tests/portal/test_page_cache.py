"""The document page's in-process cache (portal/pagecache.py) and the catalogue's prepared
statements (portal/services/reading.py): faster, never staler.  A page from the cache is the
page a fresh render gives, and every push or withdrawal shows on the next request."""

from __future__ import annotations

import re
from dataclasses import replace

from portal.pagecache import EXTENSION, PageCache
from tests.portal.conftest import page_path, publication, push, withdraw


def cache_of(client) -> PageCache:
    return client.application.extensions[EXTENSION]


def test_a_cached_page_is_the_page_a_fresh_render_gives(portal_app):
    from portal import create_app

    # Stored pages off (portal/rendering.py): the pages render live and go through the page cache.
    portal = create_app({**portal_app.config, "PORTAL_STORED_PAGES": False}).test_client()
    assert push(portal, publication()).status_code == 200
    first = portal.get(page_path())
    again = portal.get(page_path())
    assert cache_of(portal).hits >= 1  # the second answer came from the cache …
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    uncached = create_app({**portal_app.config, "PORTAL_PAGE_CACHE_BYTES": 0,
                           "PORTAL_STORED_PAGES": False}).test_client()
    assert uncached.application.extensions[EXTENSION] is None
    fresh = uncached.get(page_path())
    assert fresh.get_data() == first.get_data()  # … and is byte for byte a fresh render
    assert fresh.headers["ETag"] == first.headers["ETag"]
    assert fresh.headers["Last-Modified"] == first.headers["Last-Modified"]


def test_a_push_or_a_withdrawal_shows_on_the_next_request(portal):
    assert push(portal, publication()).status_code == 200
    old = portal.get(page_path())
    assert "汛期救灾准备工作" in old.get_data(as_text=True)
    portal.get(page_path())  # now in the cache
    assert push(portal, publication(version=2, title="关于做好2026年防汛抗旱工作的通知")).status_code == 200
    new = portal.get(page_path())
    html = new.get_data(as_text=True)
    assert new.status_code == 200 and "防汛抗旱" in html and "汛期救灾准备工作的通知</h1>" not in html
    assert new.headers["ETag"] != old.headers["ETag"]
    assert portal.get(page_path(), headers={"If-None-Match": old.headers["ETag"]}).status_code == 200
    assert withdraw(portal, version=3).status_code == 200
    assert portal.get(page_path()).status_code == 410
    assert portal.get(page_path(suffix="_jd.html")).status_code == 410
    assert push(portal, publication(version=4, title="关于做好2026年防汛工作的通知")).status_code == 200
    back = portal.get(page_path())
    assert back.status_code == 200 and "关于做好2026年防汛工作的通知" in back.get_data(as_text=True)


def test_a_change_to_the_interpretation_shows_on_the_policy_page(portal):
    assert push(portal, publication()).status_code == 200
    portal.get(page_path())
    portal.get(page_path())
    pub = publication(version=2)
    pub = replace(pub, interpretation=replace(pub.interpretation, title="关于防汛准备的政策解读（修订）"))
    assert push(portal, pub).status_code == 200
    assert "关于防汛准备的政策解读（修订）" in portal.get(page_path()).get_data(as_text=True)
    assert push(portal, publication(version=3, interpretation=None, interpretation_required=False)).status_code == 200
    html = portal.get(page_path()).get_data(as_text=True)
    assert "政策解读：" not in html  # the 解读 taken down is no longer linked


def test_a_client_holding_the_current_etag_gets_304_from_cache_or_not(portal):
    assert push(portal, publication()).status_code == 200
    etag = portal.get(page_path()).headers["ETag"]
    for _ in range(2):
        r = portal.get(page_path(), headers={"If-None-Match": etag})
        assert r.status_code == 304 and r.get_data() == b"" and r.headers["ETag"] == etag


def test_the_cache_keeps_within_its_size_and_drops_the_least_recently_used():
    cache = PageCache(8_000)
    for n in range(10):
        cache.put(n, bytes(1_000))
    assert len(cache) == 8 and cache.get(0) is None and cache.get(9) is not None
    cache.get(2)  # used: stays
    cache.put("new", bytes(1_000))
    assert cache.get(2) is not None and cache.get(3) is None
    cache.put("huge", bytes(5_000))  # more than an eighth of the whole: never kept
    assert cache.get("huge") is None


def test_the_catalogue_shows_a_push_on_the_next_request_under_every_filter(portal):
    for n in (1, 2):
        assert push(portal, publication(n, interpretation=None, interpretation_required=False)).status_code == 200
    urls = ["/xxgk/", "/xxgk/?year=2026", "/xxgk/?topic=民政、扶贫、救灾", "/xxgk/?publisher=示范市应急管理局",
            "/xxgk/?year=2026&topic=民政、扶贫、救灾&publisher=示范市应急管理局"]
    for url in urls:
        assert "共 2 条" in portal.get(url).get_data(as_text=True), url
    assert push(portal, publication(3, interpretation=None, interpretation_required=False)).status_code == 200
    for url in urls:
        html = portal.get(url).get_data(as_text=True)
        assert "共 3 条" in html and page_path(3) in html, url
    assert "共 0 条" in portal.get("/xxgk/?year=2019").get_data(as_text=True)
    assert "共 0 条" in portal.get("/xxgk/?publisher=别的机构").get_data(as_text=True)
    html = portal.get("/xxgk/").get_data(as_text=True)
    assert re.findall(r'<td><a href="([^"]+)"', html) == [page_path(3), page_path(2), page_path(1)]
