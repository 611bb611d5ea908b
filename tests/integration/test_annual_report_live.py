"""The published annual report reaches the real portal over HTTP (outbox worker, signed push) and
is listed under 政府信息公开年报 (issue 12)."""

from __future__ import annotations

import pytest

from tests.integration.test_annual_report import YEAR, cast, publish_report, year  # noqa: F401 - fixtures
from tests.integration.test_outbox_live import get, settings
from webapp.outbox.worker import run_once
from webapp.workflow import Role

pytest.importorskip("portal", reason="the public portal (portal/) is not in this tree")


def test_the_report_is_listed_in_the_portals_annual_report_column(app, cast, year, people, portal):  # noqa: F811
    admin = people.user("admin", Role.ADMIN, department="办公室")
    publisher = people.user("publisher", Role.PUBLISHER, department="办公室")
    with app.app_context():
        publish_report(cast, admin, publisher)
        assert [o.status for o in run_once(settings(portal))] == ["sent"]
    status, html = get(portal.url + "/xxgk/ndbg/")
    assert status == 200
    assert f"河南省应急管理厅{YEAR}年政府信息公开工作年度报告" in html
    status, catalogue = get(portal.url + "/xxgk/")
    assert f"{YEAR}年政府信息公开工作年度报告" in catalogue
