"""The catalogue list's page cache, keyed by the catalogue's version (views.catalogue).

Every write to what the list shows raises the version in the writing transaction (triggers,
migration 0009_portal_catalogue_version), and a request reads the version before looking in the
cache: so every write shows on the next request, in the process that received it and in any
other process on the same database, and a write made outside the portal's code shows too.
"""

from __future__ import annotations

import re
import threading
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from portal.pagecache import LIST_EXTENSION
from tests.portal.conftest import page_path, publication, push, withdraw

URLS = ["/xxgk/", "/xxgk/?year=2026", "/xxgk/?topic=民政、扶贫、救灾", "/xxgk/?publisher=示范市应急管理局",
        "/xxgk/?year=2026&topic=民政、扶贫、救灾&publisher=示范市应急管理局"]


@pytest.fixture
def other(portal_app):
    """A second process on the same database, with its own list cache."""
    from portal import create_app

    return create_app(dict(portal_app.config)).test_client()


def plain(n: int = 1, **changes):
    return publication(n, interpretation=None, interpretation_required=False, **changes)


def pages(*clients) -> list[str]:
    """Every filter's page from each client, each asked twice (the second from its cache)."""
    out = []
    for client in clients:
        for url in URLS:
            first = client.get(url).get_data(as_text=True)
            assert client.get(url).get_data(as_text=True) == first, url
            out.append(first)
    return out


def hits(client) -> int:
    return client.application.extensions[LIST_EXTENSION].hits


def test_a_page_from_the_cache_is_the_page_a_fresh_render_gives(portal_app, portal):
    from portal import create_app

    assert push(portal, plain()).status_code == 200
    first = portal.get("/xxgk/")
    again = portal.get("/xxgk/")
    assert hits(portal) == 1 and again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Last-Modified"] == first.headers["Last-Modified"]
    uncached = create_app({**portal_app.config, "PORTAL_LIST_CACHE_BYTES": 0}).test_client()
    assert uncached.application.extensions[LIST_EXTENSION] is None
    assert uncached.get("/xxgk/").get_data() == first.get_data()
    assert portal.get("/xxgk/", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_every_write_shows_on_the_next_request_here_and_in_another_process(portal, other):
    assert push(portal, plain(1)).status_code == 200
    for html in pages(portal, other):
        assert "共 1 条" in html

    # a new document
    assert push(portal, plain(2)).status_code == 200
    for html in pages(portal, other):
        assert "共 2 条" in html and page_path(2) in html

    # an update of one
    assert push(portal, plain(2, version=2, title="关于做好2026年防汛抗旱工作的通知")).status_code == 200
    for html in pages(portal, other):
        assert "关于做好2026年防汛抗旱工作的通知" in html

    # a 解读 added (the row says so), then dropped
    assert push(portal, publication(2, version=3)).status_code == 200
    for html in pages(portal, other):
        assert "有解读" in html
    assert push(portal, plain(2, version=4)).status_code == 200
    for html in pages(portal, other):
        assert "有解读" not in html

    # a validity change
    assert push(portal, plain(2, version=5, validity="repealed", validity_changed_on=date(2026, 6, 1))).status_code == 200
    for html in pages(portal, other):
        assert "validity-repealed" in html

    # a withdrawal, then the republication
    assert withdraw(portal, 2, version=6).status_code == 200
    for html in pages(portal, other):
        assert "共 1 条" in html and page_path(2) not in html
    assert push(portal, plain(2, version=7)).status_code == 200
    for html in pages(portal, other):
        assert "共 2 条" in html and page_path(2) in html

    # a new 发布机构 shows among the filter's choices at once (not after the facets' 30 seconds)
    assert push(portal, plain(3, publisher="示范市民政局")).status_code == 200
    assert "<option>示范市民政局</option>" in portal.get("/xxgk/").get_data(as_text=True)
    assert "<option>示范市民政局</option>" in other.get("/xxgk/").get_data(as_text=True)
    assert hits(portal) > 0 and hits(other) > 0


def test_a_write_outside_the_portals_code_shows_too(portal_app, portal, other):
    """The version comes from the database's triggers, not from the code that writes."""
    from portal.extensions import db

    assert push(portal, plain(1)).status_code == 200
    pages(portal, other)
    with portal_app.app_context():
        db.session.execute(text("UPDATE items SET title = '由维护脚本改正的标题'"))
        db.session.commit()
    for html in pages(portal, other):
        assert "由维护脚本改正的标题" in html


def test_the_version_rises_at_commit_and_a_push_does_not_wait_for_it_before(portal_app, portal):
    """PostgreSQL: the constraint trigger is deferred to the commit, so a transaction that has
    written items does not hold the version's row: another one writes and commits meanwhile."""
    from portal.extensions import db

    with portal_app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite serialises writers; the deferred trigger is PostgreSQL's")
        url = db.engine.url
    assert push(portal, plain(1)).status_code == 200
    assert push(portal, plain(2)).status_code == 200
    engine = create_engine(url)
    try:
        version = lambda c: c.execute(text("SELECT version FROM catalogue_version")).scalar_one()  # noqa: E731
        with engine.connect() as first, engine.connect() as second:
            before = version(first)
            first.execute(text("UPDATE items SET title = '第一' WHERE index_no LIKE '%-00001'"))
            assert version(second) == before  # not raised before the commit
            done = threading.Event()

            def write_other():
                second.execute(text("SET lock_timeout = '2s'"))
                second.execute(text("UPDATE items SET title = '第二' WHERE index_no LIKE '%-00002'"))
                second.commit()  # takes the version's row and lets it go, while `first` is open
                done.set()
            thread = threading.Thread(target=write_other)
            thread.start()
            thread.join(5)
            assert done.is_set()
            assert version(engine.connect()) == before + 1
            first.commit()
            assert version(second) == before + 2
    finally:
        engine.dispose()
    html = portal.get("/xxgk/").get_data(as_text=True)
    assert "第一" in html and "第二" in html


def test_the_cache_keeps_within_its_size(portal_app):
    from portal import create_app

    app = create_app({**portal_app.config, "PORTAL_LIST_CACHE_BYTES": 64 * 1024})
    client = app.test_client()
    assert push(client, plain(1)).status_code == 200
    for year in range(2000, 2040):
        assert client.get(f"/xxgk/?year={year}").status_code == 200
    cache = app.extensions[LIST_EXTENSION]
    assert 0 < len(cache) < 40 and cache._bytes <= 64 * 1024


def test_bad_filters_are_answered_with_their_message_and_kept_apart(portal):
    assert push(portal, plain(1)).status_code == 200
    good = portal.get("/xxgk/").get_data(as_text=True)
    bad = portal.get("/xxgk/?year=abcd&after=nonsense")
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "年份应为四位数字，已忽略。" in html
    assert "年份应为四位数字" not in portal.get("/xxgk/").get_data(as_text=True)
    assert re.findall(r'<td><a href="([^"]+)"', good) == re.findall(r'<td><a href="([^"]+)"', html)
