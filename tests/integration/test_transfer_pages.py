"""The archivist's and the admin's pages for transfers (issue 11) over real HTTP requests:
a destination set up by the admin, a batch made from the pending list, its list downloaded and
read back, the receipt recorded; bad input answered in Chinese with nothing changed."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests.conftest import post
from tests.helpers import doc, user
from tests.pubhelpers import ready, set_agency
from webapp import clock
from webapp.archives.lists import data_rows_of_xlsx
from webapp.extensions import db
from webapp.models import Publication, TransferBatch, TransferDestination
from webapp.services import publication, transfers

PDF = b"%PDF-1.4\n% signed receipt\n"


@pytest.fixture
def cast(app, chain_cast):
    """The cast; no app context is held across the test, so each request has its own (and its own
    CSRF token): the service calls below open one each."""
    with app.app_context():
        set_agency(chain_cast["admin"])
    chain_cast["app"] = app
    return chain_cast


def count(app, model) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def published(cast) -> int:
    d = ready(cast)
    publication.publish(d, user(cast["publisher"]), doc(d).version)
    return d


def test_admin_sets_up_a_destination_and_the_archive_settings(cast, people):
    admin = people.client("admin")
    resp = post(admin, "/transfers/admin/destinations", {"kind": "archives", "name": "河南省档案馆", "contact_name": "李老师",
                                                        "contact_phone": "0371-65522222", "period_days": "15",
                                                        "active": "y"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    with cast["app"].app_context():
        dest = db.session.execute(select(TransferDestination)).scalar_one()
        assert (dest.kind, dest.name, dest.period_days, dest.active) == ("archives", "河南省档案馆", 15, True)
    bad = post(admin, "/transfers/admin/destinations", {"kind": "archives", "name": "河南省档案馆", "period_days": "0"})
    assert bad.status_code == 422 and "送交周期应为 1–366 天" in bad.get_data(as_text=True)
    dup = post(admin, "/transfers/admin/destinations", {"kind": "library", "name": "河南省档案馆", "period_days": "15"})
    assert dup.status_code == 422 and "已有名为“河南省档案馆”的送交单位" in dup.get_data(as_text=True)
    assert count(cast["app"], TransferDestination) == 1
    ok = post(admin, "/transfers/admin/archive-settings", {"fonds_no": "z109", "org_code": "BGS", "default_retention": "Y"})
    assert ok.status_code == 302
    with cast["app"].app_context():
        assert transfers.archive_settings().fonds_no == "Z109"
    bad = post(admin, "/transfers/admin/archive-settings", {"fonds_no": "Z-109", "org_code": "BGS", "default_retention": "Y"})
    assert bad.status_code == 422 and "全宗号应为" in bad.get_data(as_text=True)


def test_archivist_makes_a_batch_downloads_the_list_and_records_the_receipt(cast, people):
    with cast["app"].app_context():
        dest = transfers.save_destination(user(cast["admin"]), None, transfers.DestinationInput(
            "library", "河南省图书馆", "王老师", "0371-65511111", "", 15)).id
        a, b = published(cast), published(cast)
        index_a, index_b = db.session.get(Publication, a).index_no, db.session.get(Publication, b).index_no
    archivist = people.client("archivist")
    page = archivist.get(f"/transfers/destinations/{dest}").get_data(as_text=True)
    assert index_a in page and "待送交 2 件" in page
    dash = archivist.get("/transfers/").get_data(as_text=True)
    assert "河南省图书馆" in dash and "2 件" in dash
    resp = post(archivist, f"/transfers/destinations/{dest}/batches",
                {"select": [str(a)], "copies-" + str(a): "3", "pages-" + str(a): "", "medium": "paper", "note": ""})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:800]
    with cast["app"].app_context():
        batch = db.session.execute(select(TransferBatch)).scalar_one()
        xlsx = next(f for f in transfers.batch_files(batch.id) if f.kind == "list_xlsx")
    assert resp.headers["Location"].endswith(f"/transfers/batches/{batch.id}")
    page = archivist.get(f"/transfers/batches/{batch.id}").get_data(as_text=True)
    assert "待登记回执" in page and batch.batch_no in page
    got = archivist.get(f"/transfers/batches/{batch.id}/files/{xlsx.id}")
    assert got.status_code == 200 and "attachment" in got.headers["Content-Disposition"]
    [row] = data_rows_of_xlsx(got.data)
    assert row[1] == index_a and row[8] == 3
    # a bad receipt: a clear message, the batch still open
    bad = post(archivist, f"/transfers/batches/{batch.id}/receipt",
               {"delivered_by": "周杰", "received_by": "王老师", "received_on": clock.agency_today().isoformat(),
                "receipt": (io.BytesIO(b"not a scan"), "回执.txt")}, content_type="multipart/form-data")
    assert bad.status_code == 422 and "签收回执须为图片（PNG、JPEG）或 PDF 文件" in bad.get_data(as_text=True)
    assert 'value="周杰"' in bad.get_data(as_text=True)  # what was typed is kept
    with cast["app"].app_context():
        assert not db.session.get(TransferBatch, batch.id).complete
    ok = post(archivist, f"/transfers/batches/{batch.id}/receipt",
              {"delivered_by": "周杰", "received_by": "王老师", "received_on": clock.agency_today().isoformat(),
               "receipt": (io.BytesIO(PDF), "回执.pdf")}, content_type="multipart/form-data")
    assert ok.status_code == 302
    with cast["app"].app_context():
        assert db.session.get(TransferBatch, batch.id).complete
    page = archivist.get(f"/transfers/batches/{batch.id}").get_data(as_text=True)
    assert "已签收" in page and "王老师" in page
    # the document page shows where its copies went
    doc_page = archivist.get(f"/documents/{a}").get_data(as_text=True)
    assert "归档与送交" in doc_page and "河南省图书馆" in doc_page and batch.batch_no in doc_page
    # the pending list now holds only the other document
    page = archivist.get(f"/transfers/destinations/{dest}").get_data(as_text=True)
    assert "待送交 1 件" in page and index_b in page


def test_batch_refusals_keep_the_page_and_change_nothing(cast, people):
    with cast["app"].app_context():
        dest = transfers.save_destination(user(cast["admin"]), None, transfers.DestinationInput(
            "reading_room", "政府信息公开查阅室", "", "", "", 30)).id
        d = published(cast)
        not_yet = ready(cast)
    archivist = people.client("archivist")
    for data, message in (({"select": [str(not_yet)], "medium": "paper"}, "尚未发布"),
                          ({"select": ["abc"], "medium": "paper"}, "所选文件无效"),
                          ({"select": [str(d)], f"copies-{d}": "-1", "medium": "paper"}, "份数和页数须为正整数"),
                          ({"medium": "paper"}, "本期有 1 件待送交文件"),
                          ({"select": [str(d)], "medium": "disk"}, "请选择载体")):
        resp = post(archivist, f"/transfers/destinations/{dest}/batches", data)
        assert resp.status_code == 422, (data, resp.status_code)
        assert message in resp.get_data(as_text=True)
    assert count(cast["app"], TransferBatch) == 0
    # without the CSRF token: refused
    resp = archivist.post(f"/transfers/destinations/{dest}/batches", data={"select": [str(d)], "medium": "paper"})
    assert resp.status_code == 400
    assert count(cast["app"], TransferBatch) == 0


def test_archivist_files_a_document_from_its_page(cast, people):
    with cast["app"].app_context():
        transfers.save_archive_settings(user(cast["admin"]), "Z109", "BGS", "Y")
        d = published(cast)
        year = doc(d).written_date.year
    archivist = people.client("archivist")
    assert "归档" in archivist.get(f"/documents/{d}").get_data(as_text=True)
    resp = post(archivist, f"/transfers/documents/{d}/file", {"retention": "D10"})
    assert resp.status_code == 302
    page = archivist.get(f"/documents/{d}").get_data(as_text=True)
    assert f"Z109-WS·{year}-D10-BGS-0001" in page and "归档文件包：" in page and "生成归档文件包" not in page
