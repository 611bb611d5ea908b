"""The admin's publication settings and the publisher's pages, over HTTP (issue 8):
统一社会信用代码 checked with its GB 32100 check character; a holiday override entered on
the admin page changes a document's 发布期限; the 待发布 queue, a batch, withdraw and republish."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from tests.conftest import post
from tests.helpers import doc, user
from tests.pubhelpers import USCC, issued, outbox_rows, ready, set_agency
from webapp import clock
from webapp.extensions import db
from webapp.models import AgencySettings, AuditEvent, HolidayOverride
from webapp.workflow import Stage


def events(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


def test_the_agency_code_is_checked_and_nothing_changes_when_it_is_wrong(app, chain_cast, people):
    admin = people.client("admin")
    before = events(app)
    wrong = USCC[:-1] + ("X" if USCC[-1] != "X" else "Y")
    resp = post(admin, "/admin/agency", {"uscc": wrong, "publisher_name": "河南省应急管理厅"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "校验位不符" in page and wrong in page  # what was typed stays
    assert events(app) == before
    with app.app_context():
        assert db.session.get(AgencySettings, 1) is None
    assert post(admin, "/admin/agency", {"uscc": USCC.lower(), "publisher_name": "河南省应急管理厅"}).status_code == 302
    with app.app_context():
        assert db.session.get(AgencySettings, 1).uscc == USCC
    assert events(app) == before + 1


def test_an_admin_override_entered_on_the_page_changes_a_deadline(app, chain_cast, people):
    with app.app_context():
        d = issued(chain_cast, print_date=date(2026, 12, 21))
    publisher = people.client("publisher")

    def deadline_text() -> str:
        page = publisher.get(f"/documents/{d}").get_data(as_text=True)
        m = re.search(r'<dt>发布期限</dt><dd><span class="deadline[^"]*"><time datetime="([0-9-]+)">', page)
        assert m, "no deadline on the document page"
        return m.group(1) + (" 暂定" if "暂定" in page[m.end():m.end() + 400] else "")

    # 2027 is not in the package yet: weekends only, and the page says the result is provisional.
    assert deadline_text() == "2027-01-18 暂定"
    admin = people.client("admin")
    assert post(admin, "/admin/holidays", {"day": "2027-01-01", "working": "0", "note": "元旦"}).status_code == 302
    assert deadline_text() == "2027-01-19 暂定"
    explained = publisher.get(f"/publishing/{d}/deadline", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "2027年1月1日（星期五）：元旦，不计" in explained and "<html" not in explained  # the fragment
    assert "期限届满日：2027年1月19日（第 20 个工作日）" in publisher.get(f"/publishing/{d}/deadline").get_data(as_text=True)
    assert post(admin, "/admin/holidays/years", {"year": "2027", "confirmed": "1"}).status_code == 302
    assert deadline_text() == "2027-01-19"
    # a bad date is refused in Chinese and changes nothing
    resp = post(admin, "/admin/holidays", {"day": "2027-02-30", "working": "0", "note": "x"})
    assert resp.status_code == 422 and "日期格式不正确" in resp.get_data(as_text=True)
    assert post(admin, "/admin/holidays/2027-01-01/delete").status_code == 302
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(HolidayOverride)).scalar_one() == 0


def test_the_ready_queue_is_ordered_by_deadline_and_shows_overdue_ones(app, chain_cast, people):
    with app.app_context():
        set_agency(chain_cast["admin"])
        with clock.frozen(datetime(2026, 10, 9, 2, 0, tzinfo=UTC)):  # signed and issued in October
            late = ready(chain_cast, print_date=date(2026, 10, 9), title="早已印发的通知")
        soon = ready(chain_cast, title="刚刚印发的通知")
    page = people.client("publisher").get("/publishing/ready").get_data(as_text=True)
    assert page.index("早已印发的通知") < page.index("刚刚印发的通知")
    overdue_row = page[page.rindex("<tr", 0, page.index("早已印发的通知")):page.index("刚刚印发的通知")]
    assert "row-overdue" in overdue_row and "已逾期" in overdue_row and "deadline-danger" in overdue_row
    assert late and soon


def test_publish_a_selection_then_the_batch_page_shows_its_progress(app, chain_cast, people):
    with app.app_context():
        set_agency(chain_cast["admin"])
        a, b = ready(chain_cast), ready(chain_cast)
        versions = {d: doc(d).version for d in (a, b)}
    publisher = people.client("publisher")
    resp = post(publisher, "/publishing/publish", {"select": [f"{a}:{versions[a]}", f"{b}:{versions[b]}"]})
    assert resp.status_code == 302 and "/publishing/batches/" in resp.headers["Location"]
    batch_url = resp.headers["Location"]
    page = publisher.get(batch_url).get_data(as_text=True)
    assert "已完成 0 / 2" in page and 'hx-trigger="every 1s"' in page  # polls while pending
    with app.app_context():
        assert {doc(a).stage, doc(b).stage} == {Stage.PUBLISHED}
        rows = outbox_rows()
        for r in rows:  # the portal answered (as the worker records it)
            r.status = "sent"
        db.session.commit()
    fragment = publisher.get(batch_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "已完成 2 / 2" in fragment and "every 1s" not in fragment and "<html" not in fragment
    again = post(publisher, "/publishing/publish", {"select": [f"{a}:{versions[a]}"]})
    assert again.status_code == 422 and "未发布" in again.get_data(as_text=True)
    with app.app_context():
        assert len(outbox_rows()) == 2


def test_bad_selections_are_refused_in_chinese(app, chain_cast, people):
    publisher = people.client("publisher")
    assert "请先勾选" in post(publisher, "/publishing/publish", {}).get_data(as_text=True)
    resp = post(publisher, "/publishing/publish", {"select": "1:abc"})
    assert resp.status_code == 422 and "所选文件无效" in resp.get_data(as_text=True)
    assert publisher.get("/publishing/batches/not-a-batch").status_code == 404


def test_withdraw_asks_for_a_reason_and_republish_from_the_document_page(app, chain_cast, people):
    with app.app_context():
        set_agency(chain_cast["admin"])
        d = ready(chain_cast)
    publisher = people.client("publisher")
    page = publisher.get(f"/documents/{d}").get_data(as_text=True)
    assert "发布期限" in page and "发布至政府网站" in page
    with app.app_context():
        version = doc(d).version
    assert post(publisher, "/publishing/publish", {"select": f"{d}:{version}"}).status_code == 302
    page = publisher.get(f"/documents/{d}").get_data(as_text=True)
    assert "索引号" in page and USCC in page and "等待推送" in page and "按期发布" in page
    with app.app_context():
        version = doc(d).version
    resp = post(publisher, f"/publishing/{d}/withdraw", {"version": version, "reason": ""})
    assert resp.status_code == 422 and "请写明撤回理由" in resp.get_data(as_text=True)
    assert post(publisher, f"/publishing/{d}/withdraw", {"version": version, "reason": "附件有误"}).status_code == 302
    with app.app_context():
        assert doc(d).stage == Stage.WITHDRAWN
        version = doc(d).version
    page = publisher.get(f"/documents/{d}").get_data(as_text=True)
    assert "附件有误" in page and "重新发布" in page
    assert post(publisher, f"/publishing/{d}/republish", {"version": version}).status_code == 302
    with app.app_context():
        assert doc(d).stage == Stage.PUBLISHED
        assert [(r.kind, r.version) for r in outbox_rows(d)] == [("push", 1), ("withdraw", 2), ("push", 3)]


def test_drafting_offers_the_state_council_taxonomy_and_refuses_other_values(app, chain_cast, people):
    drafter = people.client("drafter")
    form = drafter.get("/drafting/new").get_data(as_text=True)
    assert '<optgroup label="综合政务">' in form and 'value="综合政务/应急管理"' in form
    assert form.count("<optgroup") == 22  # the 22 first-level classes (REFERENCE.md §1)
    resp = post(drafter, "/drafting/new", {"title": "分类不对", "doc_type": "通知", "topic_category": "政策文件"})
    assert resp.status_code in (200, 422) and "请从列表中选择主题分类" in resp.get_data(as_text=True)
    ok = post(drafter, "/drafting/new", {"title": "分类正确", "doc_type": "通知", "body_html": "<p>x</p>",
                                          "topic_category": "综合政务/应急管理"})
    assert ok.status_code == 302
    edit = drafter.get(ok.headers["Location"]).get_data(as_text=True)
    assert '<option selected value="综合政务/应急管理">应急管理</option>' in edit
    doc_id = int(re.search(r"/drafting/(\d+)/edit", ok.headers["Location"]).group(1))
    assert "综合政务 › 应急管理" in drafter.get(f"/documents/{doc_id}").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/admin/agency", "/admin/holidays"])
def test_admin_pages_render(app, chain_cast, people, path):
    assert people.client("admin").get(path).status_code == 200


def test_user_is_kept(app, chain_cast):
    with app.app_context():
        assert user(chain_cast["admin"]).username == "admin"
