"""The standard catalogue (issue 15) from the intranet to the real public portal over HTTP.

The office presses 发布到政府网站 on the intranet's catalogue page; a document filed under an item
is published; the outbox worker (webapp.outbox.worker, gkt_protocol's signed client) delivers both
to the portal — the real app with its own database built by its own migrations, served on
loopback — and the catalogue page and the item's page are read back over HTTP."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from datetime import timedelta

import pytest

from tests.conftest import post
from tests.helpers import doc, user
from tests.pubhelpers import (
    SECRET,
    outbox_rows,
    portal_receipts,
    ready,
    set_agency,
)
from webapp import clock
from webapp.extensions import db
from webapp.models import CatalogueItem, Publication
from webapp.outbox.worker import Settings, run_once
from webapp.services import catalogue, publication

pytest.importorskip("portal", reason="the public portal (portal/) is not in this tree")

RELIEF = {"name": "过渡期生活救助", "content": "救助对象、救助标准、救助资金发放情况",
          "basis": "《自然灾害救助条例》第十九条", "time_limit": "信息形成或变更之日起20个工作日内",
          "subject": "县级应急管理部门", "channels": "政府网站、公开栏", "audience": "全社会", "mode": "主动",
          "level": "县级、乡级"}


def get(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read().decode(), dict(e.headers)


def first_level(domain: str, name: str) -> int:
    from sqlalchemy import select

    return db.session.execute(select(CatalogueItem.id).where(
        CatalogueItem.domain == domain, CatalogueItem.name == name, CatalogueItem.parent_id.is_(None))).scalar_one()


def test_the_catalogue_and_an_items_documents_reach_the_portal_over_http(app, chain_cast, people, portal):
    settings = Settings(portal.url, SECRET, timeout=5)
    with app.app_context():
        set_agency(chain_cast["admin"])
        catalogue.seed_first_level()
        item = catalogue.save_item(user(chain_cast["admin"]), RELIEF, parent_id=first_level("救灾", "灾后救助"))
        item_id, parent_id = item.id, item.parent_id
        d = ready(chain_cast, catalogue_item_id=item_id)
        publication.publish(d, user(chain_cast["publisher"]), doc(d).version)
        other = ready(chain_cast, title="关于印发安全生产工作要点的通知")  # filed under no item
        publication.publish(other, user(chain_cast["publisher"]), doc(other).version)

    office = people.client("office")  # the button on the intranet's catalogue page
    assert post(office, "/catalogue/publish").status_code == 302
    with app.app_context():
        assert sorted(o.status for o in run_once(settings)) == ["sent", "sent", "sent"]
        pub = db.session.get(Publication, d)
        title, public_url = doc(d).public_title, pub.public_url
        assert [r.status for r in outbox_rows() if r.kind == "catalogue"] == ["sent"]
    assert "已推送" in office.get("/catalogue/").get_data(as_text=True)

    status, html, headers = get(portal.url + "/xxgk/ml/")
    assert status == 200 and headers["ETag"] and "public" in headers["Cache-Control"]
    for value in RELIEF.values():
        assert value in html, value
    for first in ("政策文件", "依法行政", "行政管理", "公共服务", "重点领域信息公开", "备灾管理", "灾后救助", "款物管理",
                  "工作动态"):
        assert first in html, first
    assert "河南省应急管理厅" in html and "第 1 版" in html
    assert f'href="/xxgk/ml/{item_id}.html"' in html

    status, page, _ = get(f"{portal.url}/xxgk/ml/{item_id}.html")
    assert status == 200 and title in page and "共 1 条" in page
    assert "关于印发安全生产工作要点的通知" not in page
    assert f'href="/xxgk/ml/{parent_id}.html"' in page and "《自然灾害救助条例》第十九条" in page
    link = re.search(r'<a href="(/xxgk/[0-9A-Z]+/\d{4}-\d+\.html)">' + re.escape(title), page).group(1)
    assert public_url.endswith(link) and get(portal.url + link)[0] == 200

    # withdrawn on the intranet: gone from the item's page on the portal
    with app.app_context():
        publication.withdraw(d, user(chain_cast["publisher"]), doc(d).version, "附件有误")
        assert [o.status for o in run_once(settings)] == ["sent"]
    status, page, _ = get(f"{portal.url}/xxgk/ml/{item_id}.html")
    assert status == 200 and title not in page and "共 0 条" in page


def test_catalogue_versions_delivered_out_of_order_leave_the_newest(app, chain_cast, people, portal):
    """Two publications queued while the portal is down; the older one, if it arrives last, is
    refused as stale and marked superseded — the portal keeps the newer catalogue."""
    from webapp.services import catalogue_portal

    settings = Settings(portal.url, SECRET, timeout=5)
    with app.app_context():
        set_agency(chain_cast["admin"])
        catalogue.seed_first_level()
        office = user(chain_cast["office"])
        catalogue_portal.publish(office)
        catalogue.save_item(user(chain_cast["admin"]), RELIEF, parent_id=first_level("救灾", "灾后救助"))
        catalogue_portal.publish(office)
        v1, v2 = (r for r in outbox_rows() if r.kind == "catalogue")
        v1.next_attempt_at = clock.utcnow() + timedelta(minutes=5)  # the first is delayed (a retry)
        db.session.commit()
        assert [o.status for o in run_once(settings)] == ["sent"]
        with clock.frozen(clock.utcnow() + timedelta(minutes=10)):
            assert [(o.status, o.http_status) for o in run_once(settings)] == [("superseded", 409)]
    assert "过渡期生活救助" in get(portal.url + "/xxgk/ml/")[1]
    assert [(a, v) for _, a, v in portal_receipts(portal.app, "标准目录")] == [("catalogue", 2), ("stale", 1)]
