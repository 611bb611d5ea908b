"""The portal's 政府信息公开年报 column (issue 12): a push with column "annual_report" is filed
there as well as in the catalogue; other items are not; an unknown column is refused."""

from __future__ import annotations

from tests.portal.conftest import publication, push


def test_an_annual_report_is_listed_in_its_column_and_only_it(portal):
    report = publication(1, title="示范市应急管理局2025年政府信息公开工作年度报告", doc_number="",
                         topic=("综合政务", "政务公开"), interpretation_required=False, interpretation=None,
                         column="annual_report")
    assert push(portal, report).status_code == 200
    assert push(portal, publication(2)).status_code == 200
    page = portal.get("/xxgk/ndbg/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<meta name="ColumnName" content="政府信息公开年报">' in html
    assert "2025年政府信息公开工作年度报告" in html and "汛期救灾准备" not in html
    assert "2025年政府信息公开工作年度报告" in portal.get("/xxgk/").get_data(as_text=True)  # and in the catalogue
    assert "政府信息公开年报</a>" in portal.get("/").get_data(as_text=True)  # in the navigation


def test_an_unknown_column_is_refused(portal):
    message = publication(3).to_json()
    message["column"] = "news"
    resp = push(portal, message)
    assert resp.status_code == 400 and any("栏目" in p for p in resp.get_json()["problems"])
    assert "暂无年度报告" in portal.get("/xxgk/ndbg/").get_data(as_text=True)
