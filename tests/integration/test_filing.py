"""归档 (issue 11): every issued document, public or not, is filed with its DA/T 22 档号 and a
package holding the 正本, the 定稿, the 处理单 (its whole timeline) and the audit events' hashes."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import bagit
import pytest
from docx import Document as DocxDocument
from sqlalchemy import select

from tests.helpers import doc, user
from tests.pubhelpers import issued, ready, set_agency
from webapp.archives.bag import extract_bag_zip
from webapp.extensions import db
from webapp.models import AuditEvent, Filing
from webapp.services import files, publication, transfers
from webapp.services.errors import Invalid
from webapp.services.transfers import BatchInput, Pick


@pytest.fixture
def cast(app, chain_cast):
    with app.app_context():
        set_agency(chain_cast["admin"])
        transfers.save_archive_settings(user(chain_cast["admin"]), "Z109", "BGS", "Y")
        yield chain_cast


def test_a_not_public_document_is_filed_with_its_code_and_package(cast, tmp_path: Path):
    d = issued(cast, interpretation=False, disclosure="not_public", disclosure_reason="内部事务",
               legal_basis_codes=["art16"])
    f = transfers.file_document(d, user(cast["archivist"]), "D30")
    year = doc(d).written_date.year
    assert f.archive_code == f"Z109-WS·{year}-D30-BGS-0001"
    package = files.latest(d, "archive_package")
    assert package.content_type == "application/zip"
    folder = extract_bag_zip(package.data, tmp_path)
    bag = bagit.Bag(str(folder))
    bag.validate()
    assert bag.info["档号"] == f.archive_code and bag.info["保管期限"] == "定期30年" and bag.info["件号"] == "0001"
    assert set(bag.payload_files()) == {"data/审计记录.json", "data/定稿.html", "data/文件处理单.docx", "data/正本.docx",
                                        "data/发文稿纸.docx"}  # the 发文稿纸 filed at 印发 (issue 10)
    assert (folder / "data" / "正本.docx").read_bytes() == files.latest(d, "official").data
    assert "全面推进政务公开标准化规范化" in (folder / "data" / "定稿.html").read_text("utf-8")
    events = db.session.execute(select(AuditEvent).where(AuditEvent.document_id == d)
                                .order_by(AuditEvent.seq)).scalars().all()
    recorded = json.loads((folder / "data" / "审计记录.json").read_text("utf-8"))
    assert [(r["seq"], r["hash"]) for r in recorded] == [(e.seq, e.hash) for e in events][:len(recorded)]
    assert {r["action"] for r in recorded} >= {"提交审核", "签发", "印发"}
    sheet = DocxDocument(io.BytesIO((folder / "data" / "文件处理单.docx").read_bytes()))
    facts = {r.cells[0].text: r.cells[1].text for r in sheet.tables[0].rows}
    assert facts["档号"] == f.archive_code and facts["公开属性"] == "不予公开"
    steps = [r.cells[2].text for r in sheet.tables[1].rows[1:]]
    assert "签发" in steps and "印发" in steps
    with pytest.raises(Invalid, match="已归档"):
        transfers.file_document(d, user(cast["archivist"]), "Y")


def test_a_document_given_its_code_by_a_transfer_keeps_it_when_filed(cast):
    d = ready(cast)
    publication.publish(d, user(cast["publisher"]), doc(d).version)
    dest = transfers.save_destination(user(cast["admin"]), None, transfers.DestinationInput(
        "archives", "河南省档案馆", "", "", "", 15)).id
    transfers.create_batch(user(cast["archivist"]), BatchInput(dest, "electronic", [Pick(d)]))
    code = db.session.get(Filing, d).archive_code
    assert files.latest(d, "archive_package") is None
    f = transfers.file_document(d, user(cast["archivist"]), "D10")
    assert f.archive_code == code  # the 档号 never changes
    with zipfile.ZipFile(io.BytesIO(files.latest(d, "archive_package").data)) as z:
        assert any(n.endswith("data/正本.docx") for n in z.namelist())


def test_a_document_not_yet_issued_cannot_be_filed(cast):
    from tests.helpers import act, submitted
    from webapp.workflow import Action

    d = submitted(cast["drafter"])
    act(d, cast["office"], Action.APPROVE)
    act(d, cast["leader"], Action.APPROVE)  # signed, not issued
    with pytest.raises(Invalid, match="尚未印发"):
        transfers.file_document(d, user(cast["archivist"]), "Y")
    assert db.session.get(Filing, d) is None
