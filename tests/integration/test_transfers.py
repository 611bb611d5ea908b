"""Transfers to the reading room, the archives and the library (R9, issue 11): the pending list,
a batch with its lists and BagIt package stored in the database, the receipt, 归档 with the
DA/T 22 档号; bad input refused with nothing changed."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import bagit
import pytest
from docx import Document as DocxDocument
from sqlalchemy import func, select

from tests.helpers import doc, user
from tests.pubhelpers import PUBLISHER_NAME, ready, set_agency
from webapp import clock
from webapp.archives import NIL_RETURN
from webapp.archives.bag import extract_bag_zip
from webapp.archives.lists import data_rows_of_xlsx
from webapp.extensions import db
from webapp.models import AuditEvent, Filing, Publication, TransferBatch, TransferFile, TransferItem
from webapp.services import files, publication, transfers
from webapp.services.errors import Invalid
from webapp.services.transfers import BatchInput, DestinationInput, Pick

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def cast(app, chain_cast):
    with app.app_context():
        set_agency(chain_cast["admin"])
        admin = user(chain_cast["admin"])
        transfers.save_archive_settings(admin, "z109", "bgs", "Y")
        chain_cast["library"] = transfers.save_destination(admin, None, DestinationInput(
            "library", "河南省图书馆", "王老师", "0371-65511111", "郑州市郑东新区", 15)).id
        chain_cast["archives"] = transfers.save_destination(admin, None, DestinationInput(
            "archives", "河南省档案馆", "李老师", "0371-65522222", "", 15)).id
        yield chain_cast


def published(cast, **kw) -> int:
    d = ready(cast, **kw)
    publication.publish(d, user(cast["publisher"]), doc(d).version)
    return d


def count(model) -> int:
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def batch_file(batch_id: int, kind: str) -> TransferFile:
    return db.session.execute(select(TransferFile).where(TransferFile.batch_id == batch_id,
                                                         TransferFile.kind == kind)).scalar_one()


def test_pending_lists_published_documents_not_yet_delivered_oldest_first(cast):
    first, second = published(cast), published(cast)
    unpublished = ready(cast)
    older = db.session.get(Publication, second)
    older.first_published_at = older.first_published_at - timedelta(days=20)
    db.session.commit()
    dest = transfers.get_destination(cast["library"])
    rows = transfers.pending(dest)
    assert [r.document_id for r in rows] == [second, first]
    assert rows[0].waiting_days == 20 and rows[0].overdue and not rows[1].overdue
    assert unpublished not in [r.document_id for r in rows]
    transfers.create_batch(user(cast["archivist"]), BatchInput(cast["library"], "paper", [Pick(second, 2)]))
    assert [r.document_id for r in transfers.pending(dest)] == [first]
    # another destination still waits for both
    assert {r.document_id for r in transfers.pending(transfers.get_destination(cast["archives"]))} == {first, second}


def test_a_paper_batch_stores_its_lists_whose_rows_match_the_batch(cast):
    a, b = published(cast), published(cast, title="关于印发安全生产工作要点的通知")
    batch = transfers.create_batch(user(cast["archivist"]),
                                   BatchInput(cast["library"], "paper", [Pick(a, 2), Pick(b, 1, pages=7, remark="附光盘")]))
    items = db.session.execute(select(TransferItem).where(TransferItem.batch_id == batch.id)
                               .order_by(TransferItem.id)).scalars().all()
    assert [(i.document_id, i.copies, i.kind) for i in items] == [(a, 2, "deliver"), (b, 1, "deliver")]
    xlsx = batch_file(batch.id, "list_xlsx")
    rows = data_rows_of_xlsx(xlsx.data)
    pa, pb = db.session.get(Publication, a), db.session.get(Publication, b)
    assert [(r[0], r[1], r[2], r[3], r[5], r[6], r[8], r[9], r[10]) for r in rows] == [
        (1, pa.index_no, doc(a).doc_number, doc(a).public_title, PUBLISHER_NAME, "主动公开", 2, "纸质", None),
        (2, pb.index_no, doc(b).doc_number, doc(b).public_title, PUBLISHER_NAME, "主动公开", 1, "纸质", "附光盘")]
    assert rows[1][7] == 7 and rows[0][7] == items[0].pages >= 1
    w = doc(a).written_date
    assert rows[0][4] == f"{w.year}年{w.month}月{w.day}日"
    docx = DocxDocument(io.BytesIO(batch_file(batch.id, "list_docx").data))
    assert [c.text for c in docx.tables[0].rows[1].cells][:4] == ["1", pa.index_no, doc(a).doc_number, doc(a).public_title]
    assert "接收单位：河南省图书馆" in "\n".join(p.text for p in docx.paragraphs)
    assert not db.session.execute(select(TransferFile).where(TransferFile.batch_id == batch.id,
                                                             TransferFile.kind == "bag")).first()
    kinds = [e.action for e in db.session.execute(select(AuditEvent).where(AuditEvent.document_id == a)).scalars()]
    assert kinds[-1] == "transfer_deliver"


def test_electronic_batch_bag_validates_and_holds_only_the_public_files(cast, tmp_path: Path):
    a = published(cast)
    b = published(cast, interpretation=False)
    batch = transfers.create_batch(user(cast["archivist"]), BatchInput(cast["archives"], "both", [Pick(a), Pick(b)]))
    stored = batch_file(batch.id, "bag")
    folder = extract_bag_zip(stored.data, tmp_path)
    bag = bagit.Bag(str(folder))
    bag.validate()
    assert bag.algorithms == ["sha256"]
    pa, pb = db.session.get(Publication, a), db.session.get(Publication, b)
    fa, fb = db.session.get(Filing, a), db.session.get(Filing, b)
    year = doc(a).written_date.year
    assert (fa.archive_code, fb.archive_code) == (f"Z109-WS·{year}-Y-BGS-0001", f"Z109-WS·{year}-Y-BGS-0002")
    info = bag.info
    assert info["Source-Organization"] == PUBLISHER_NAME and info["Batch-Id"] == batch.batch_no
    assert info["Index-Number"] == [pa.index_no, pb.index_no]
    assert info["档号"] == [fa.archive_code, fb.archive_code] and info["件号"] == ["0001", "0002"]
    assert info["全宗号"] == "Z109" and info["保管期限"] == "永久" and info["年度"] == str(year)
    # the manifest lists exactly the public files: the public .docx equal to the stored public copy
    payload = sorted(bag.payload_files())
    fa_dir = "data/" + pa.index_no.replace("/", "-")
    fb_dir = "data/" + pb.index_no.replace("/", "-")
    assert payload == sorted([f"{fa_dir}/metadata.json", f"{fa_dir}/政策解读.docx", f"{fa_dir}/政策解读.html",
                              f"{fa_dir}/正文.docx", f"{fa_dir}/正文.html",
                              f"{fb_dir}/metadata.json", f"{fb_dir}/正文.docx", f"{fb_dir}/正文.html"])
    public, official = files.latest(a, "public"), files.latest(a, "official")
    assert (folder / fa_dir / "正文.docx").read_bytes() == public.data != official.data
    internal_body = doc(a).body_html
    html = (folder / fa_dir / "正文.html").read_text("utf-8")
    assert doc(a).public_body_html in html and "83186312" in internal_body and "83186312" not in html
    meta = json.loads((folder / fa_dir / "metadata.json").read_text("utf-8"))
    assert meta["索引号"] == pa.index_no and meta["档号"] == fa.archive_code and meta["发布机构"] == PUBLISHER_NAME
    # one changed payload byte fails the validation
    target = folder / fa_dir / "正文.html"
    target.write_bytes(target.read_bytes().replace(b"<h1>", b"<h2>", 1))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(folder)).validate()


def test_nil_return_when_nothing_is_waiting_and_refused_when_something_is(cast):
    archivist = user(cast["archivist"])
    batch = transfers.create_batch(archivist, BatchInput(cast["library"], "paper", []))
    assert data_rows_of_xlsx(batch_file(batch.id, "list_xlsx").data)[0][0] == NIL_RETURN
    docx = DocxDocument(io.BytesIO(batch_file(batch.id, "list_docx").data))
    assert docx.tables[0].rows[1].cells[0].text == NIL_RETURN
    published(cast)
    before = count(TransferBatch)
    with pytest.raises(Invalid, match="本期有 1 件待送交文件"):
        transfers.create_batch(archivist, BatchInput(cast["library"], "paper", []))
    assert count(TransferBatch) == before


def test_bad_input_is_refused_and_changes_nothing(cast):
    archivist = user(cast["archivist"])
    unpublished, done = ready(cast), published(cast)
    transfers.create_batch(archivist, BatchInput(cast["library"], "paper", [Pick(done)]))
    before = (count(TransferBatch), count(TransferItem), count(TransferFile), count(AuditEvent))
    with pytest.raises(Invalid) as exc:
        transfers.create_batch(archivist, BatchInput(cast["library"], "paper", [Pick(unpublished)]))
    assert "尚未发布" in "".join(exc.value.problems)
    with pytest.raises(Invalid) as exc:
        transfers.create_batch(archivist, BatchInput(cast["library"], "paper", [Pick(done)]))
    assert "已送交过河南省图书馆" in "".join(exc.value.problems)
    with pytest.raises(Invalid):
        transfers.create_batch(archivist, BatchInput(cast["library"], "paper", [Pick(done, copies=0)]))
    with pytest.raises(Invalid):
        transfers.create_batch(archivist, BatchInput(cast["library"], "floppy", [Pick(done)]))
    assert (count(TransferBatch), count(TransferItem), count(TransferFile), count(AuditEvent)) == before
    # re-sent with a reason: accepted
    again = transfers.create_batch(archivist, BatchInput(cast["library"], "paper", [Pick(done, resend_reason="原件破损")]))
    assert again.items[0].resend_reason == "原件破损" and again.items[0].remark == "重新送交"


def test_receipt_completes_the_batch_and_bad_receipts_change_nothing(cast):
    archivist = user(cast["archivist"])
    batch = transfers.create_batch(archivist, BatchInput(cast["library"], "paper", [Pick(published(cast))]))
    today = clock.agency_today()
    for data, why in ((b"GIF89a....", "图片（PNG、JPEG）或 PDF"), (b"", "请上传"),
                      (b"%PDF-" + b"0" * (20 * 1024 * 1024), "20 MB")):
        with pytest.raises(Invalid) as exc:
            transfers.record_receipt(batch.id, archivist, "周杰", "王老师", today, "回执", data)
        assert why in "".join(exc.value.problems)
    with pytest.raises(Invalid):
        transfers.record_receipt(batch.id, archivist, "周杰", "王老师", today + timedelta(days=1), "r.png", PNG)
    db.session.expire_all()
    assert db.session.get(TransferBatch, batch.id).receipt_recorded_at is None
    assert count(TransferFile) == 2
    transfers.record_receipt(batch.id, archivist, "周杰", "王老师", today, "回执.png", PNG)
    db.session.expire_all()
    b = db.session.get(TransferBatch, batch.id)
    assert b.complete and (b.delivered_by, b.received_by) == ("周杰", "王老师")
    assert clock.to_agency(b.received_at).date() == today
    receipt = batch_file(batch.id, "receipt")
    assert receipt.content_type == "image/png" and receipt.data == PNG
    with pytest.raises(Invalid, match="已登记"):
        transfers.record_receipt(batch.id, archivist, "周杰", "王老师", today, "回执.png", PNG)


def test_a_withdrawn_document_that_was_delivered_gets_a_notice_in_the_next_batch(cast):
    archivist = user(cast["archivist"])
    d, other = published(cast), published(cast)
    transfers.create_batch(archivist, BatchInput(cast["library"], "paper", [Pick(d)]))
    publication.withdraw(d, user(cast["publisher"]), doc(d).version, "内容有误")
    nxt = transfers.create_batch(archivist, BatchInput(cast["library"], "paper", [Pick(other)]))
    assert sorted((i.document_id, i.kind) for i in nxt.items) == sorted([(other, "deliver"), (d, "withdrawal")])
    rows = data_rows_of_xlsx(batch_file(nxt.id, "list_xlsx").data)
    assert "撤回" in rows[1][10]
    # the notice goes once
    assert transfers.withdrawals_due(transfers.get_destination(cast["library"])) == []
    # never delivered to the archives: no notice there
    assert transfers.withdrawals_due(transfers.get_destination(cast["archives"])) == []


def test_a_withdrawn_noticed_and_republished_document_is_due_again(cast):
    archivist = user(cast["archivist"])
    d = published(cast)
    library = transfers.get_destination(cast["library"])
    transfers.create_batch(archivist, BatchInput(cast["library"], "paper", [Pick(d)]))
    assert d not in [r.document_id for r in transfers.pending(library)]
    publication.withdraw(d, user(cast["publisher"]), doc(d).version, "内容有误")
    notice = transfers.create_batch(archivist, BatchInput(cast["library"], "paper", []))
    assert [(i.document_id, i.kind) for i in notice.items] == [(d, "withdrawal")]
    publication.republish(d, user(cast["publisher"]), doc(d).version)
    # the library was told to stop offering it: the republished document is due there again …
    assert d in [r.document_id for r in transfers.pending(library)]
    again = transfers.create_batch(archivist, BatchInput(cast["library"], "paper", [Pick(d)]))  # … with no reason asked
    assert [(i.document_id, i.kind, i.remark) for i in again.items] == [(d, "deliver", "")]
    assert d not in [r.document_id for r in transfers.pending(library)] and transfers.withdrawals_due(library) == []
    # the archives never had it: nothing changes there
    assert d in [r.document_id for r in transfers.pending(transfers.get_destination(cast["archives"]))]


def test_dashboard_counts_delivered_pending_overdue(cast):
    archivist = user(cast["archivist"])
    a, b, c = published(cast), published(cast), published(cast)
    pub = db.session.get(Publication, c)
    pub.first_published_at -= timedelta(days=30)
    db.session.commit()
    transfers.create_batch(archivist, BatchInput(cast["library"], "paper", [Pick(a)]))
    by_name = {s.destination.name: s for s in transfers.dashboard()}
    lib, arc = by_name["河南省图书馆"], by_name["河南省档案馆"]
    assert (lib.delivered, lib.pending, lib.overdue, lib.open_batches) == (1, 2, 1, 1)
    assert (arc.delivered, arc.pending, arc.overdue, arc.open_batches) == (0, 3, 1, 0) and arc.due
    filing, sent = transfers.for_document(a)
    assert filing is None and [(t.destination, t.kind) for t in sent] == [("河南省图书馆", "deliver")]
    assert b


def test_filing_gives_a_dat22_archive_code_once(cast):
    archivist = user(cast["archivist"])
    d = published(cast)
    f = transfers.file_document(d, archivist, "D30")
    assert f.archive_code == f"Z109-WS·{doc(d).written_date.year}-D30-BGS-0001"
    with pytest.raises(Invalid, match="已归档"):
        transfers.file_document(d, archivist, "Y")
    with pytest.raises(Invalid, match="保管期限"):
        transfers.file_document(d, archivist, "X")
