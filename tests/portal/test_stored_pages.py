"""The document page rendered once when its rows are written (portal/rendering.py).

A push stores the rendered page of the policy and of its 解读 in its own transaction; a request
reads the stamps and the stored page in one statement and serves it while it is the page the
current rows give.  These tests use a second app on the same database with the per-process page
cache off, so every answer comes either from the stored page or from a live render — and they
count the statements a request runs to tell which.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select, update

from tests.portal.conftest import page_path, publication, push, withdraw


@pytest.fixture
def reader(portal_app):
    """Another process on the same database: no page cache, so nothing but the database serves it."""
    from portal import create_app

    return create_app({**portal_app.config, "PORTAL_PAGE_CACHE_BYTES": 0}).test_client()


@contextmanager
def statements(client):
    from portal.extensions import db

    seen: list[str] = []
    app = client.application
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):  # noqa: ARG001
        seen.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def get(client, path: str):
    with statements(client) as seen:
        response = client.get(path)
    return response, len(seen)


def mark(db, **values) -> None:
    """Append a marker to every stored page (and set `values`), to tell a stored answer apart."""
    from portal.models_rendered import RenderedPage

    for row in db.session.execute(select(RenderedPage)).scalars():
        row.body = row.body + b"<!-- stored -->"
        for name, value in values.items():
            setattr(row, name, value)
    db.session.commit()


def live(portal_app, path: str):
    """The page a live render gives (stored pages and the page cache both off)."""
    from portal import create_app

    app = create_app({**portal_app.config, "PORTAL_PAGE_CACHE_BYTES": 0, "PORTAL_STORED_PAGES": False})
    return app.test_client().get(path)


def test_a_stored_page_is_served_in_one_statement_and_is_the_live_render(portal_app, portal, reader):
    assert push(portal, publication()).status_code == 200
    for suffix in (".html", "_jd.html"):
        stored, n = get(reader, page_path(suffix=suffix))
        assert stored.status_code == 200 and n == 1  # the stamps and the page, nothing else
        fresh = live(portal_app, page_path(suffix=suffix))
        assert stored.get_data() == fresh.get_data()
        assert stored.headers["ETag"] == fresh.headers["ETag"]
        assert stored.headers["Last-Modified"] == fresh.headers["Last-Modified"]


def test_every_write_shows_on_the_next_request_of_another_process(portal, reader):
    assert push(portal, publication()).status_code == 200
    assert "汛期救灾准备工作的通知</h1>" in reader.get(page_path()).get_data(as_text=True)

    # an update of the policy
    assert push(portal, publication(version=2, title="关于做好2026年防汛抗旱工作的通知")).status_code == 200
    page, n = get(reader, page_path())
    assert "防汛抗旱工作的通知</h1>" in page.get_data(as_text=True) and n == 1

    # a change of the 解读 shows on the policy's page (its link) and on its own
    pub = publication(version=3, title="关于做好2026年防汛抗旱工作的通知")
    pub = replace(pub, interpretation=replace(pub.interpretation, title="关于防汛准备的政策解读（修订）"))
    assert push(portal, pub).status_code == 200
    assert "关于防汛准备的政策解读（修订）" in reader.get(page_path()).get_data(as_text=True)
    assert "关于防汛准备的政策解读（修订）</h1>" in reader.get(page_path(suffix="_jd.html")).get_data(as_text=True)

    # a validity change
    assert push(portal, replace(pub, version=4, validity="repealed",
                                validity_changed_on=date(2026, 6, 1))).status_code == 200
    html = reader.get(page_path()).get_data(as_text=True)
    assert "本文件已废止" in html and "2026年6月1日" in html

    # the 解读 dropped by a new version: the policy's page loses the link, the 解读's page is gone
    assert push(portal, publication(version=5, interpretation=None, interpretation_required=False)).status_code == 200
    html = reader.get(page_path()).get_data(as_text=True)
    assert "政策解读：" not in html and "本文件已废止" not in html
    assert reader.get(page_path(suffix="_jd.html")).status_code == 410

    # a withdrawal, then a republication at the same address
    assert withdraw(portal, version=6).status_code == 200
    assert reader.get(page_path()).status_code == 410
    assert push(portal, publication(version=7, title="关于做好2026年防汛工作的通知")).status_code == 200
    page, n = get(reader, page_path())
    assert page.status_code == 200 and "关于做好2026年防汛工作的通知</h1>" in page.get_data(as_text=True)
    assert n == 1
    assert reader.get(page_path(suffix="_jd.html")).status_code == 200


def test_a_withdrawal_deletes_the_stored_pages(portal_app, portal):
    from portal.extensions import db
    from portal.models_rendered import RenderedPage

    assert push(portal, publication()).status_code == 200
    with portal_app.app_context():
        assert len(db.session.execute(select(RenderedPage)).all()) == 2
    assert withdraw(portal).status_code == 200
    with portal_app.app_context():
        assert db.session.execute(select(RenderedPage)).all() == []


def test_a_stored_page_is_served_only_for_the_rows_it_was_rendered_from(portal_app, portal, reader):
    """The seed is the key: a body stored under the current seed is served as it is (so the
    stored body really is what goes out), one under any other seed never is."""
    from portal.extensions import db
    from portal.models_rendered import RenderedPage

    assert push(portal, publication()).status_code == 200
    with portal_app.app_context():
        mark(db)
    assert reader.get(page_path()).get_data(as_text=True).endswith("<!-- stored -->")
    with portal_app.app_context():
        db.session.execute(update(RenderedPage).values(seed=RenderedPage.seed + "x"))
        db.session.commit()
    page, n = get(reader, page_path())
    assert "<!-- stored -->" not in page.get_data(as_text=True) and n > 1  # rendered live


def test_after_a_deploy_pages_render_live_until_rerender_stores_them_again(portal_app, portal):
    from portal import create_app

    assert push(portal, publication()).status_code == 200
    # the new release shows another site name: the stored pages (old tag) are not served
    deployed = create_app({**portal_app.config, "PORTAL_PAGE_CACHE_BYTES": 0, "PORTAL_SITE_NAME": "示范市政府信息公开专栏"})
    client = deployed.test_client()
    page, n = get(client, page_path())
    assert "示范市政府信息公开专栏" in page.get_data(as_text=True) and n > 1
    result = deployed.test_cli_runner().invoke(args=["portal", "rerender"])
    assert result.exit_code == 0, result.output
    assert "已检查 2 个公开文件，重新生成 2 个页面" in result.output
    page, n = get(client, page_path())
    assert "示范市政府信息公开专栏" in page.get_data(as_text=True) and n == 1
    again = deployed.test_cli_runner().invoke(args=["portal", "rerender"])
    assert "重新生成 0 个页面" in again.output  # already current: nothing rendered twice


def test_a_page_under_another_script_root_is_rendered_for_it(portal, reader):
    assert push(portal, publication()).status_code == 200
    with statements(reader) as seen:
        page = reader.get(page_path(), environ_overrides={"SCRIPT_NAME": "/portal"})
    html = page.get_data(as_text=True)
    assert 'href="/portal/xxgk/' in html and 'href="/xxgk/' not in html and len(seen) > 1


def test_a_stored_page_is_not_served_from_its_fresh_until_date(portal_app, portal, reader):
    from portal.clock import agency_today
    from portal.extensions import db
    from portal.models_rendered import RenderedPage

    assert push(portal, publication()).status_code == 200
    with portal_app.app_context():
        mark(db, fresh_until=agency_today() + timedelta(days=1))
    assert reader.get(page_path()).get_data(as_text=True).endswith("<!-- stored -->")
    with portal_app.app_context():
        db.session.execute(update(RenderedPage).values(fresh_until=agency_today()))
        db.session.commit()
    assert "<!-- stored -->" not in reader.get(page_path()).get_data(as_text=True)


def test_rerender_under_a_script_root_and_a_bad_one_refused_with_a_message(portal_app, portal):
    from portal import create_app

    assert push(portal, publication()).status_code == 200
    app = create_app({**portal_app.config, "PORTAL_PAGE_CACHE_BYTES": 0})
    bad = app.test_cli_runner().invoke(args=["portal", "rerender", "--script-root", "portal"])
    assert bad.exit_code != 0 and "路径前缀应为空或以 / 开头" in bad.output
    ok = app.test_cli_runner().invoke(args=["portal", "rerender", "--script-root", "/portal"])
    assert ok.exit_code == 0 and "重新生成 2 个页面" in ok.output
    client = app.test_client()
    page, n = get(client, page_path())  # at the root: the /portal pages are not served here …
    assert 'href="/portal/' not in page.get_data(as_text=True) and n > 1
    with statements(client) as seen:  # … but under /portal they are, from the stored page
        page = client.get(page_path(), environ_overrides={"SCRIPT_NAME": "/portal"})
    assert 'href="/portal/xxgk/' in page.get_data(as_text=True) and len(seen) == 1
