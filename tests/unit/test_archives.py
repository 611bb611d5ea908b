"""The pure archives package (issue 11): DA/T 22 档号, the transfer lists read back with
python-docx and openpyxl, BagIt packages validated with the bagit library."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import bagit
import pytest
from docx import Document as DocxDocument
from openpyxl import load_workbook

from webapp.archives import (
    NIL_RETURN,
    BagFile,
    ListHeader,
    ListRow,
    build_list_docx,
    build_list_xlsx,
    format_archive_code,
    make_bag_zip,
    validate_bag_zip,
)
from webapp.archives.bag import BagProblem, extract_bag_zip
from webapp.archives.danghao import ArchiveCodeError
from webapp.archives.lists import COLUMNS, data_rows_of_xlsx

HEADER = ListHeader("送交信息目录表", "河南省应急管理厅", "河南省图书馆", "2026-01-001", date(2026, 3, 5),
                    "周杰", "0371-12345678")
ROWS = [
    ListRow("11410000MB0G6Y810Y/2026-00001", "豫应急办〔2026〕1号", "关于做好2026年政务公开工作的通知",
            date(2026, 3, 2), "河南省应急管理厅", "主动公开", 3, 2, "纸质"),
    ListRow("11410000MB0G6Y810Y/2026-00002", "豫应急办〔2026〕2号", "关于印发安全生产工作要点的通知",
            date(2026, 3, 4), "河南省应急管理厅", "主动公开", 5, 1, "纸质", "重新送交"),
]


def test_archive_code_follows_dat22():
    assert format_archive_code("Z109", 2026, "Y", "BGS", 1) == "Z109-WS·2026-Y-BGS-0001"
    assert format_archive_code("Z109", 2026, "D30", "BGS", 123) == "Z109-WS·2026-D30-BGS-0123"
    with pytest.raises(ArchiveCodeError, match="保管期限"):
        format_archive_code("Z109", 2026, "D5", "BGS", 1)
    with pytest.raises(ArchiveCodeError, match="件号"):
        format_archive_code("Z109", 2026, "Y", "BGS", 10000)
    with pytest.raises(ArchiveCodeError, match="全宗号"):
        format_archive_code("z-1", 2026, "Y", "BGS", 1)


def test_xlsx_list_rows_match_the_batch():
    data = build_list_xlsx(HEADER, ROWS)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "送交信息目录表"
    texts = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "送交单位：河南省应急管理厅" in texts and "批次号：2026-01-001" in texts
    assert any(t.startswith("接收人（签字）") for t in texts) and any("联系人：周杰" in t for t in texts)
    rows = data_rows_of_xlsx(data)
    assert rows == [[1, ROWS[0].index_no, "豫应急办〔2026〕1号", ROWS[0].title, "2026年3月2日", "河南省应急管理厅",
                     "主动公开", 3, 2, "纸质", None],
                    [2, ROWS[1].index_no, "豫应急办〔2026〕2号", ROWS[1].title, "2026年3月4日", "河南省应急管理厅",
                     "主动公开", 5, 1, "纸质", "重新送交"]]


def test_docx_list_reads_back_with_its_columns_rows_and_signature_lines():
    doc = DocxDocument(io.BytesIO(build_list_docx(HEADER, ROWS)))
    [table] = doc.tables
    assert [c.text for c in table.rows[0].cells] == list(COLUMNS)
    assert [c.text for c in table.rows[2].cells] == ["2", ROWS[1].index_no, "豫应急办〔2026〕2号", ROWS[1].title,
                                                     "2026年3月4日", "河南省应急管理厅", "主动公开", "5", "1", "纸质",
                                                     "重新送交"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "送交信息目录表" in text and "接收单位：河南省图书馆" in text and "编制日期：2026年3月5日" in text
    assert "送交人（签字）" in text and "接收人（签字）" in text and "联系电话：0371-12345678" in text
    section = doc.sections[0]
    assert section.page_width > section.page_height  # A4 landscape for eleven columns


def test_an_empty_period_gets_the_nil_return_in_both_lists():
    doc = DocxDocument(io.BytesIO(build_list_docx(HEADER, [])))
    [table] = doc.tables
    assert len(table.rows) == 2 and table.rows[1].cells[0].text == NIL_RETURN
    assert data_rows_of_xlsx(build_list_xlsx(HEADER, [])) == [[NIL_RETURN] + [None] * (len(COLUMNS) - 1)]


def _bag(files=None, **info):
    files = files or [BagFile("A-1/正文.docx", b"PK\x03\x04 public docx"), BagFile("A-1/正文.html", "<p>公开</p>".encode()),
                      BagFile("A-1/metadata.json", b"{}")]
    return make_bag_zip(files, {"Source-Organization": "河南省应急管理厅", "Batch-Id": "2026-01-001",
                                "Index-Number": ["A/1"], "档号": ["Z109-WS·2026-Y-BGS-0001"], **info}, top="t-1")


def test_bag_validates_with_bagit_and_lists_exactly_the_given_files(tmp_path: Path):
    data = _bag()
    assert validate_bag_zip(data) == []
    folder = extract_bag_zip(data, tmp_path)
    bag = bagit.Bag(str(folder))
    bag.validate()
    assert set(bag.entries) >= {"data/A-1/正文.docx", "data/A-1/正文.html", "data/A-1/metadata.json"}
    assert sorted(bag.payload_files()) == ["data/A-1/metadata.json", "data/A-1/正文.docx", "data/A-1/正文.html"]
    assert bag.algorithms == ["sha256"]
    assert bag.info["Source-Organization"] == "河南省应急管理厅" and bag.info["档号"] == "Z109-WS·2026-Y-BGS-0001"


def test_one_changed_payload_byte_fails_validation():
    data = _bag()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename.endswith("正文.html"):
                content = content[:-1] + bytes([content[-1] ^ 1])
            dst.writestr(info, content)
    problems = validate_bag_zip(out.getvalue())
    assert problems and any("正文.html" in p for p in problems)


def test_bag_refuses_paths_that_leave_the_payload():
    with pytest.raises(BagProblem):
        make_bag_zip([BagFile("../etc/passwd", b"x")], {})
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("../outside.txt", b"x")
    with tempfile.TemporaryDirectory() as tmp:
        with pytest.raises(BagProblem):
            extract_bag_zip(evil.getvalue(), Path(tmp))


def test_list_text_with_markup_and_control_characters_reads_back():
    row = ListRow("A/1", "豫〔2026〕1号", "关于<通知>&“标题”\x0b的说明", date(2026, 3, 2), "机关", "主动公开", 1, 1, "纸质")
    doc = DocxDocument(io.BytesIO(build_list_docx(HEADER, [row])))
    assert doc.tables[0].rows[1].cells[3].text == "关于<通知>&“标题”的说明"
