"""Word import: the title, the 主送 line and the 附件说明 are recognised and leave the body.

The five seed notices (../shared/seeds) are the fixtures: each is written to a .docx with
python-docx, one paragraph per line as a drafter's Word file has them, and read back
through the real importer.
"""

from __future__ import annotations

import html
import io

import docx
import pytest

from tests.unit.test_docgen_fixtures import draft_docx, seed_files
from webapp.docgen import docx_to_blocks, recognise


def seed_docx(name_prefix: str) -> bytes:
    path = next(p for p in seed_files() if p.name.startswith(name_prefix))
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    # seed 002 was scraped from a web page: its "- 发布时间:…" lines are the site's, not the notice's
    lines = [line for line in lines if not line.startswith("- ")]
    return draft_docx(lines)


SEEDS = {
    "000": dict(
        issuer_mark="河南省应急管理厅文件", doc_number="豫应急办〔2020〕62号",
        title="河南省应急管理厅关于全面推进应急管理系统安全生产和救灾领域政务公开标准化规范化工作的通知",
        recipients="",
        attachments=["《应急管理部办公厅关于印发安全生产和救灾领域基层政务公开标准目录指引的通知》（应急厅函〔2019〕390号）"],
        first_body="为贯彻落实《国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见》"),
    "001": dict(
        issuer_mark="河南省人民防空办公室文件", doc_number="豫人防综〔2017〕7号",
        title="河南省人民防空办公室关于印发全面推进政务公开工作的实施办法的通知",
        recipients="各省辖市、省直管县（市）人防办（民防局），郑州航空港实验区人防办，郑州铁路局人防办，"
                   "河南机场集团国动办，机关各处室、直属各单位",
        attachments=["河南省人民防空办公室政务公开工作任务台账"],
        first_body="《河南省人民防空办公室关于全面推进政务公开工作的实施办法》已经省人防办主任会议研究同意"),
    "002": dict(
        issuer_mark="", doc_number="",
        title="辽宁省应急管理厅办公室关于印发2019年政务公开工作实施方案的通知",
        recipients="省厅机关各处室、直属事业单位", attachments=[],
        first_body="现将《辽宁省应急管理厅2019年政务公开工作实施方案》印发给你们"),
    "003": dict(
        issuer_mark="", doc_number="", title="瑞丽市救灾领域基层政务公开标准目录指引", recipients="",
        attachments=["救灾领域基层政务公开标准目录"],
        first_body="为落实《省政府办公厅关于全面推进基层政务公开标准化规范化工作实施意见》"),
    "004": dict(
        issuer_mark="广州市应急管理局", doc_number="",
        title="广州市应急管理局关于印发2022年政务公开工作实施方案的通知",
        recipients="各处室、各直属单位", attachments=["广州市应急管理局2022年政务公开工作实施方案"],
        first_body="为贯彻落实《广州市人民政府办公厅关于印发广州市"),
}


def _text(block: str) -> str:
    import re

    return html.unescape(re.sub(r"<[^>]*>", "", block))


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_each_seed_notice_has_its_parts_recognised(seed):
    expected = SEEDS[seed]
    blocks = docx_to_blocks(seed_docx(seed))
    found = recognise(blocks)
    assert (found.issuer_mark, found.doc_number, found.title, found.recipients, found.attachments) == (
        expected["issuer_mark"], expected["doc_number"], expected["title"], expected["recipients"],
        expected["attachments"])
    assert _text(found.body_blocks[0]).startswith(expected["first_body"])
    body = "".join(_text(b) for b in found.body_blocks)
    for attachment in found.attachments:  # the 附件说明 line left the body; the annex text stays
        assert f"附件：{attachment}" not in body.replace(" ", "")
    taken = len(blocks) - len(found.body_blocks)
    assert taken == sum(map(bool, (found.issuer_mark, found.doc_number, found.title, found.recipients))) \
        + (found.title == SEEDS["003"]["title"]) + bool(found.attachments) + (seed == "000")


def blocks_of(*lines: str) -> list[str]:
    return [f"<p>{html.escape(line, quote=False)}</p>" for line in lines]


def test_a_draft_that_starts_with_its_body_keeps_it():
    found = recognise(blocks_of("一、总体要求", "各单位要压实责任。"))
    assert (found.title, found.recipients, found.attachments) == ("", "", [])
    assert len(found.body_blocks) == 2


def test_a_long_opening_sentence_ending_in_a_colon_is_not_the_recipients():
    found = recognise(blocks_of("关于做好政务公开工作的通知",
                                "为贯彻落实《中华人民共和国政府信息公开条例》，结合我厅实际，现就有关事项通知如下：",
                                "一、总体要求"))
    assert found.title == "关于做好政务公开工作的通知" and found.recipients == ""
    assert len(found.body_blocks) == 2


def test_recipients_without_a_title_and_an_explicit_label():
    assert recognise(blocks_of("各市、县应急管理局：", "正文。")).recipients == "各市、县应急管理局"
    assert recognise(blocks_of("关于X的通知", "主送：国务院办公厅：", "正文。")).recipients == "国务院办公厅"


def test_numbered_attachment_notes_are_all_taken():
    found = recognise(blocks_of("关于印发目录的通知", "各单位：", "正文。",
                                "附件：1．安全生产领域基层政务公开标准目录", "2．救灾领域基层政务公开标准目录",
                                "河南省应急管理厅", "附件1", "安全生产领域基层政务公开标准目录"))
    assert found.attachments == ["安全生产领域基层政务公开标准目录", "救灾领域基层政务公开标准目录"]
    assert [_text(b) for b in found.body_blocks] == ["正文。", "河南省应急管理厅", "附件1", "安全生产领域基层政务公开标准目录"]


def test_a_bare_attachment_label_over_numbered_lines_is_a_list():
    found = recognise(blocks_of("正文。", "附件：", "1. 甲表", "2. 乙表", "3. 丙表"))
    assert found.attachments == ["甲表", "乙表", "丙表"]
    assert [_text(b) for b in found.body_blocks] == ["正文。"]


def test_a_bare_attachment_label_over_the_annex_text_stays():
    found = recognise(blocks_of("正文。", "附件：", "某某工作方案", "一、目标"))
    assert found.attachments == [] and len(found.body_blocks) == 4


def test_a_title_over_two_lines_and_spaces_from_pdf_conversion():
    found = recognise(blocks_of("广州市应急管理局关于印发 2022 年", "政务公开工作实施方案的 通 知", "各处室：", "正文。"))
    assert found.title == "广州市应急管理局关于印发2022年政务公开工作实施方案的通知"
    assert found.recipients == "各处室"


def test_a_bare_annex_label_alone_is_body_text():
    found = recognise(blocks_of("附件1", "一、目标", "正文。"))
    assert len(found.body_blocks) == 3 and found.title == ""


def test_tables_and_lists_are_never_taken():
    d = docx.Document()
    d.add_table(rows=1, cols=1).cell(0, 0).text = "关于X的通知"
    d.add_paragraph("正文。")
    out = io.BytesIO()
    d.save(out)
    found = recognise(docx_to_blocks(out.getvalue()))
    assert found.title == "" and len(found.body_blocks) == 2


def test_what_was_found_is_said_in_chinese():
    found = recognise(blocks_of("某某厅文件", "某厅〔2026〕3号", "关于X的通知", "各单位：", "正文。", "附件：甲表"))
    assert found.found == ["标题", "主送机关", "附件说明（1 项）"]
    assert found.dropped == ["发文机关标志", "发文字号"]
