"""Transfers in Chromium (issue 11): the archivist picks a published document on the pending
list, makes a paper-and-electronic batch, downloads the list and the package (read back with
openpyxl and validated with bagit), records the signed receipt; screenshots kept; axe-core finds
no serious problem on the new pages."""

from __future__ import annotations

import json
from pathlib import Path

import bagit
import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations
from tests.browser.test_chain_in_browser import SHOTS, log_in
from tests.helpers import doc, user
from tests.pubhelpers import ready, set_agency
from webapp.archives.bag import extract_bag_zip
from webapp.archives.lists import data_rows_of_xlsx
from webapp.extensions import db
from webapp.models import Publication
from webapp.services import publication, transfers

pytestmark = pytest.mark.browser
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
       b"\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82")


def test_create_a_batch_download_the_list_and_record_the_receipt(app, live_server, chain_cast, browser, tmp_path: Path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        set_agency(chain_cast["admin"])
        admin = user(chain_cast["admin"])
        transfers.save_archive_settings(admin, "Z109", "BGS", "Y")
        dest = transfers.save_destination(admin, None, transfers.DestinationInput(
            "archives", "河南省档案馆", "李老师", "0371-65522222", "", 15)).id
        d = ready(chain_cast, title="关于做好汛期救灾物资储备工作的通知")
        publication.publish(d, user(chain_cast["publisher"]), doc(d).version)
        title, index_no = doc(d).public_title, db.session.get(Publication, d).index_no
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True,
                                  accept_downloads=True)
    page = context.new_page()
    log_in(page, live_server, "archivist")
    page.get_by_role("link", name="送交与归档").click()
    expect(page.locator("#destinations")).to_contain_text("河南省档案馆")
    problems = {"dashboard": violations(page)}
    page.get_by_role("link", name="河南省档案馆").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("待送交 1 件")
    problems["pending"] = violations(page)
    page.get_by_label(f"选择：{title}").check()
    page.get_by_label(f"份数：{title}").fill("2")
    page.get_by_label("载体").select_option("both")
    page.screenshot(path=str(SHOTS / "transfer-pending.png"), full_page=True)
    page.get_by_role("button", name="生成送交批次").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("待登记回执")
    problems["batch"] = violations(page)

    with page.expect_download() as got:
        page.get_by_role("link", name="送交信息目录表（Excel）", exact=False).click()
    rows = data_rows_of_xlsx(Path(got.value.path()).read_bytes())
    assert [(r[1], r[3], r[8], r[9]) for r in rows] == [(index_no, title, 2, "纸质、电子")]
    with page.expect_download() as got:
        page.get_by_role("link", name="电子文件包", exact=False).click()
    folder = extract_bag_zip(Path(got.value.path()).read_bytes(), tmp_path)
    bagit.Bag(str(folder)).validate()

    receipt = tmp_path / "回执.png"
    receipt.write_bytes(PNG)
    page.get_by_label("送交人").fill("周杰")
    page.get_by_label("接收人").fill("李老师")
    with app.app_context():
        from webapp import clock

        today = clock.agency_today().isoformat()
    page.get_by_label("接收日期").fill(today)
    page.get_by_label("签收回执（图片或 PDF，不超过 20 MB）").set_input_files(str(receipt))
    page.get_by_role("button", name="登记回执").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已签收")
    expect(page.locator("#receipt-panel")).to_contain_text("李老师")
    page.screenshot(path=str(SHOTS / "transfer-batch-received.png"), full_page=True)

    page.goto(f"{live_server}/documents/{d}")
    expect(page.locator("#transfers-panel")).to_contain_text("河南省档案馆")
    expect(page.locator("#archive-code")).to_contain_text("Z109-WS·")
    problems["document"] = violations(page)
    page.goto(f"{live_server}/transfers/self-review")
    problems["self-review"] = violations(page)
    context.clear_cookies()
    log_in(page, live_server, "admin")
    for path in ("/transfers/admin/destinations", f"/transfers/admin/destinations/{dest}",
                 "/transfers/admin/archive-settings"):
        page.goto(live_server + path)
        problems[path] = violations(page)
    context.close()
    found = {k: [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]} for v in vs]
             for k, vs in problems.items() if vs}
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
