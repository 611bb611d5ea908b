"""R11 over real HTTP: a 废止 decision on a published 行政规范性文件 reaches the running portal
through the outbox worker, and the portal's document page, its catalogue and its
规范性文件清理结果 page show it clearly marked (REFERENCE.md §1: 修改/废止/失效 files clearly
marked).  The portal is the real app on loopback with its own database (SQLite, and PostgreSQL
too when TEST_DATABASE_URL is set), as in test_outbox_live.py."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from datetime import timedelta

import pytest

from tests.helpers import doc, user
from tests.pubhelpers import (
    SECRET,
    ready,
    set_agency,
)
from webapp import clock
from webapp.extensions import db
from webapp.models import Publication
from webapp.outbox.worker import Settings, run_once
from webapp.services import publication
from webapp.services import validity as service

pytest.importorskip("portal", reason="the public portal (portal/) is not in this tree")

TITLE = "河南省应急管理厅行政执法公示办法"


@pytest.fixture
def cast(app, chain_cast):
    with app.app_context():
        set_agency(chain_cast["admin"])
        yield chain_cast


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read().decode()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_repeal_reaches_the_portal_page_the_catalogue_and_the_clean_up_list(cast, portal):
    today = clock.agency_today()
    start = today - timedelta(days=1800)
    d = ready(cast, title=TITLE, interpretation=False, is_normative=True, effective_from=start,
              effective_to=today + timedelta(days=20))
    other = ready(cast, title="关于做好汛期安全生产工作的通知", interpretation=False)
    for x in (d, other):
        publication.publish(x, user(cast["publisher"]), doc(x).version)
    settings = Settings(portal.url, SECRET, timeout=5)
    assert [o.status for o in run_once(settings)] == ["sent", "sent"]
    pub = db.session.get(Publication, d)
    status, page = get(pub.public_url)
    assert status == 200 and "有效" in page and "validity-notice" not in page
    assert "施行日期" in page and f"{start.year}年{start.month}月{start.day}日" in page  # the period is shown
    status, listing = get(portal.url + "/xxgk/gfxwjql/")
    assert status == 200 and "暂无规范性文件清理结果" in listing

    on = today
    service.decide(user(cast["office"]), d, doc(d).version, "repeal", "已被新的公示办法替代", on)
    assert [o.status for o in run_once(settings)] == ["sent"]
    cn = f"{on.year}年{on.month}月{on.day}日"
    status, page = get(pub.public_url)
    assert status == 200
    assert '<p class="validity-notice" role="note"><strong>本文件已废止</strong>' in page
    assert f"（{cn}起废止）" in page and '<span class="validity validity-repealed">废止</span>' in page
    status, catalogue = get(portal.url + "/xxgk/")
    row = next(r for r in catalogue.split("<tr>") if TITLE in r)
    assert '<span class="validity validity-repealed">废止</span>' in row
    plain_row = next(r for r in catalogue.split("<tr>") if "汛期安全生产" in r)
    assert "validity-repealed" not in plain_row  # only the repealed one is marked
    status, listing = get(portal.url + "/xxgk/gfxwjql/")
    assert status == 200
    flat = text(listing)
    assert f"{TITLE} {doc(d).doc_number} 废止 {cn} 废止" in flat
    assert "汛期安全生产" not in flat and "已被新的公示办法替代" not in flat  # the internal reason stays inside
    status, filtered = get(portal.url + "/xxgk/gfxwjql/?decision=continue")
    assert status == 200 and TITLE not in filtered
    status, bad = get(portal.url + "/xxgk/gfxwjql/?decision=%E2%80%8B")
    assert status == 200 and "清理结论筛选无效" in bad and TITLE in bad
