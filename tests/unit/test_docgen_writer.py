"""The GB/T 9704 writer, read back with python-docx (no LibreOffice needed)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import date

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from tests.unit.test_docgen_fixtures import sample_document, squash
from webapp.disclosure import Disclosure
from webapp.docgen import AttachmentPage, InterpretationDocument, build_docx, document_text, render_preview_html
from webapp.docgen.gbt9704 import CHAR, FONT_FANGSONG, FONT_HEITI, FONT_KAITI, plan_document, table_column_widths
from webapp.docgen.html_blocks import Table, parse_body_html
from webapp.docgen.layout import count_lines
from webapp.docgen.title import break_title

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def data() -> bytes:
    return build_docx(sample_document())


@pytest.fixture(scope="module")
def document(data: bytes):
    return docx.Document(io.BytesIO(data))


def paragraph_with(document, text: str):
    for p in document.paragraphs:
        if p.text == text:
            return p
    raise AssertionError(f"no paragraph {text!r}")


def index_of(document, text: str) -> int:
    for i, p in enumerate(document.paragraphs):
        if p.text == text:
            return i
    raise AssertionError(f"no paragraph {text!r}")


def east_asia(run) -> str | None:
    rpr = run._r.rPr
    fonts = None if rpr is None else rpr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def mm(length) -> float:
    return round(length.mm, 1)


# -- page -------------------------------------------------------------------


def test_page_is_a4_with_gbt9704_margins(document) -> None:
    section = document.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    assert mm(section.top_margin) == 37.0
    assert mm(section.bottom_margin) == 35.0
    assert mm(section.left_margin) == 28.0
    assert mm(section.right_margin) == 26.0


def test_document_grid_is_22_lines_of_28_characters(document) -> None:
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    # a line grid only: a character grid pads digits to whole cells in LibreOffice
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:charSpace")) is None
    line_pitch = int(grid.get(qn("w:linePitch")))
    text_height = 16838 - 2098 - 1984
    text_width = 11906 - 1588 - 1474
    assert text_height // line_pitch == 22 and line_pitch == 579
    # 28 characters a line: 16 pt condensed by w:spacing (twips) on the Normal style
    condense = int(document.styles["Normal"].element.rPr.find(qn("w:spacing")).get(qn("w:val")))
    assert int(text_width // (16 * 20 + condense)) == 28


def test_normal_style_is_3hao_fangsong_with_east_asia_font_and_zh_cn(document) -> None:
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == FONT_FANGSONG
    assert fonts.get(qn("w:ascii")) == FONT_FANGSONG
    assert not [k for k in fonts.attrib if k.endswith("Theme")]
    lang = normal.element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN" and lang.get(qn("w:val")) == "zh-CN"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{W}rFonts").get(qn("w:eastAsia")) == FONT_FANGSONG


def test_every_run_names_its_east_asian_font(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if not re.fullmatch(r"word/(document|footer\d*)\.xml", name):
                continue
            root = docx.oxml.parse_xml(zf.read(name))
            for run in root.iter(f"{W}r"):
                fonts = run.find(f"{W}rPr/{W}rFonts")
                assert fonts is not None and fonts.get(qn("w:eastAsia")), name
                assert fonts.get(qn("w:ascii")) and fonts.get(qn("w:hAnsi"))


# -- 版头 ----------------------------------------------------------------------


def test_issuer_mark_is_red_xiaobiaosong_centred(document) -> None:
    mark = document.paragraphs[0]
    assert mark.text == "河南省应急管理厅文件"
    assert mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = mark.runs[0]
    assert east_asia(run) == "方正小标宋简体"
    assert str(run.font.color.rgb) in ("FF0000", "C00000")
    assert Pt(22) <= run.font.size <= Pt(26)


def test_doc_number_two_lines_below_mark_with_red_rule(document) -> None:
    number = index_of(document, "豫应急办〔2026〕7号")
    assert number == 3  # mark, two blank lines, 文号
    assert document.paragraphs[1].text == document.paragraphs[2].text == ""
    p = document.paragraphs[number]
    assert re.fullmatch(r".+〔\d{4}〕\d+号", p.text)
    assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asia(p.runs[0]) == FONT_FANGSONG
    bottom = p._p.pPr.find(f"{W}pBdr/{W}bottom")
    assert bottom is not None and bottom.get(qn("w:color")) in ("FF0000", "C00000")


def test_title_is_2hao_xiaobiaosong_centred_then_blank_then_recipients(document) -> None:
    doc = sample_document()
    i = next(k for k, p in enumerate(document.paragraphs) if p.text.replace("\n", "") == doc.title)
    title = document.paragraphs[i]
    # broken between words, into lines of at most 20 characters
    assert title.text.split("\n") == ["河南省应急管理厅关于全面推进应急管理系统", "政务公开标准化规范化工作的通知"]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asia(title.runs[0]) == "方正小标宋简体"
    assert title.runs[0].font.size == Pt(22)
    assert document.paragraphs[i + 1].text == ""
    recipients = document.paragraphs[i + 2]
    assert recipients.text == "各省辖市应急管理局，厅机关各处室："
    assert recipients.alignment == WD_ALIGN_PARAGRAPH.LEFT
    fmt = recipients.paragraph_format
    assert not fmt.first_line_indent and not fmt.left_indent


def test_recipients_colon_is_not_doubled() -> None:
    document = docx.Document(io.BytesIO(build_docx(sample_document(recipients="各处室："))))
    assert any(p.text == "各处室：" for p in document.paragraphs)


# -- body ---------------------------------------------------------------------


def test_body_paragraph_is_fangsong_indented_two_characters(document) -> None:
    p = next(x for x in document.paragraphs if x.text.startswith("深入推进"))
    assert all(east_asia(r) == FONT_FANGSONG for r in p.runs)
    ind = p._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert int(ind.get(qn("w:firstLine"))) == 2 * CHAR
    assert p.paragraph_format.first_line_indent.pt == pytest.approx(31.5, abs=0.6)
    strong = [r for r in p.runs if r.bold]
    assert [r.text for r in strong] == ["政务公开标准体系"]


def test_headings_take_their_fonts(document) -> None:
    h1 = paragraph_with(document, "一、工作目标")
    assert {east_asia(r) for r in h1.runs} == {FONT_HEITI}
    h2 = paragraph_with(document, "（一）全面落实标准指引")
    assert {east_asia(r) for r in h2.runs} == {FONT_KAITI}
    h3 = next(p for p in document.paragraphs if p.text.startswith("1．各市"))
    assert {east_asia(r) for r in h3.runs} == {FONT_FANGSONG}
    h4 = next(p for p in document.paragraphs if p.text.startswith("（1）"))
    assert {east_asia(r) for r in h4.runs} == {FONT_FANGSONG}
    assert [r.text for r in h4.runs if r.italic] == ["按时"]
    assert [r.text for r in h4.runs if r.underline] == ["目录编制"]


def test_heading_running_into_text_sets_only_its_first_sentence() -> None:
    p = next(
        x
        for x in docx.Document(io.BytesIO(build_docx(sample_document()))).paragraphs
        if x.text.startswith("二、工作任务")
    )
    assert p.runs[0].text == "二、工作任务。" and east_asia(p.runs[0]) == FONT_HEITI
    assert {east_asia(r) for r in p.runs[1:]} == {FONT_FANGSONG}


def test_h2_h3_tags_are_headings() -> None:
    body = "<h2>总体要求</h2><h3>指导思想</h3><p>正文。</p>"
    document = docx.Document(io.BytesIO(build_docx(sample_document(body_html=body))))
    assert east_asia(paragraph_with(document, "总体要求").runs[0]) == FONT_HEITI
    assert east_asia(paragraph_with(document, "指导思想").runs[0]) == FONT_KAITI


def test_lists_keep_their_numbers(document) -> None:
    texts = [p.text for p in document.paragraphs]
    assert "1.第一项要求" in texts and "2.第二项要求" in texts
    assert "·加强组织领导" in texts


def test_table_is_a_real_table_with_repeated_bold_header(document) -> None:
    assert len(document.tables) == 1
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["工作任务", "完成时限"]
    assert [c.text for c in table.rows[1].cells] == ["编制目录", "7月15日前"]
    tr0 = table.rows[0]._tr
    assert tr0.trPr.find(qn("w:tblHeader")) is not None
    header_runs = [r for c in table.rows[0].cells for p in c.paragraphs for r in p.runs]
    assert header_runs and all(r.bold for r in header_runs)
    body_runs = [r for c in table.rows[1].cells for p in c.paragraphs for r in p.runs]
    assert all(east_asia(r) == FONT_FANGSONG and not r.bold for r in body_runs)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        assert borders.find(qn(f"w:{side}")).get(qn("w:val")) == "single"


def test_body_text_is_escaped_not_interpreted() -> None:
    body = "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; 5 &gt; 3</p><script>bad()</script>"
    text = document_text(build_docx(sample_document(body_html=body)))
    assert "<script>alert(1)</script> & 5 > 3" in text
    assert "bad()" not in text


# -- 附件说明, 署名, 成文日期, 附注 -----------------------------------------------


def test_attachment_note_numbers_and_aligns_titles(document) -> None:
    i = next(k for k, p in enumerate(document.paragraphs) if p.text.startswith("附件："))
    assert document.paragraphs[i - 1].text == ""  # one blank line after the body
    first, second = document.paragraphs[i], document.paragraphs[i + 1]
    assert first.text == "附件：1．\t安全生产领域基层政务公开标准目录"
    assert second.text == "2．\t救灾领域基层政务公开标准目录"

    def start(p) -> int:  # where the first line starts, in twips
        ind = p._p.pPr.find(qn("w:ind"))
        return int(ind.get(qn("w:left"))) - int(ind.get(qn("w:hanging")))

    assert start(first) == 2 * CHAR  # 左空二字
    assert start(second) == start(first) + 3 * CHAR  # "2" under "1"
    left = {p._p.pPr.find(qn("w:ind")).get(qn("w:left")) for p in (first, second)}
    assert len(left) == 1  # titles (and their wrapped lines) aligned


def test_single_attachment_has_no_number() -> None:
    document = docx.Document(io.BytesIO(build_docx(sample_document(attachments=("政务公开标准目录",)))))
    assert "附件：政务公开标准目录" in [p.text for p in document.paragraphs]


def test_no_attachment_note_without_attachments() -> None:
    text = document_text(build_docx(sample_document(attachments=())))
    assert "附件：" not in text


def test_signer_and_date_follow_7_3_5_2(document) -> None:
    d = index_of(document, "2026年3月1日")
    signer, when = document.paragraphs[d - 1], document.paragraphs[d]
    assert signer.text == "河南省应急管理厅"
    assert document.paragraphs[d - 2].text == ""  # 下空一行
    assert signer.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert when.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    sig_right = int(signer._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")))
    date_right = int(when._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")))
    assert sig_right == 200  # 署名右空二字
    # 成文日期首字比署名首字右移二字: 8 - 2 = 6 characters wide → right-indent 2
    assert date_right == 200


def test_long_date_moves_the_signer() -> None:
    doc = sample_document(signer="某某局", written_date=date(2026, 12, 31))
    document = docx.Document(io.BytesIO(build_docx(doc)))
    d = index_of(document, "2026年12月31日")
    date_right = int(document.paragraphs[d]._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")))
    sig_right = int(document.paragraphs[d - 1]._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")))
    assert date_right == 200  # 成文日期右空二字
    # date 7 characters wide, signer 3: signer's first character 2 left of the date's
    assert sig_right == 200 + 700 - 300 + 200


@pytest.mark.parametrize("disclosure", list(Disclosure))
def test_annotation_is_the_paragraph_right_after_the_date(disclosure: Disclosure) -> None:
    doc = sample_document(disclosure=disclosure, written_date=date(2026, 11, 9))
    document = docx.Document(io.BytesIO(build_docx(doc)))
    d = index_of(document, "2026年11月9日")
    note = document.paragraphs[d + 1]
    assert note.text == disclosure.annotation
    assert note.text in ("（此件公开发布）", "（此件依申请公开）", "（此件不公开）")
    assert note.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert note.paragraph_format.first_line_indent.pt == pytest.approx(31.5, abs=0.6)
    assert note._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"


def test_dates_are_not_zero_padded() -> None:
    doc = sample_document(written_date=date(2026, 3, 1), print_date=date(2026, 3, 5))
    text = document_text(build_docx(doc))
    assert "2026年3月1日" in text and "2026年3月5日印发" in text
    assert "03月" not in text and "01日" not in text


# -- 版记 ------------------------------------------------------------------------


def test_colophon_cc_and_printing_line_between_rules(document) -> None:
    last = document.paragraphs[-2:]
    assert last[0].text == "抄送：应急管理部办公厅。"
    assert last[1].text == "河南省应急管理厅办公室\t2026年3月5日印发"
    for p in last:
        assert p.runs[0].font.size == Pt(14)
        assert east_asia(p.runs[0]) == FONT_FANGSONG
        assert p.paragraph_format.keep_together
        borders = p._p.pPr.find(qn("w:pBdr"))
        top, bottom, between = (borders.find(qn(f"w:{s}")) for s in ("top", "bottom", "between"))
        assert int(top.get(qn("w:sz"))) > int(between.get(qn("w:sz")))
        assert int(bottom.get(qn("w:sz"))) > int(between.get(qn("w:sz")))
    assert last[0].paragraph_format.keep_with_next  # never split from the 印发 line
    tab = last[1]._p.pPr.find(f"{W}tabs/{W}tab")
    assert tab.get(qn("w:val")) == "right"
    ind = last[1]._p.pPr.find(qn("w:ind"))
    assert int(ind.get(qn("w:left"))) - int(ind.get(qn("w:hanging"))) == 280  # 左空一字
    assert int(ind.get(qn("w:right"))) == 280  # 右空一字


def test_colophon_without_cc() -> None:
    document = docx.Document(io.BytesIO(build_docx(sample_document(cc=""))))
    assert not any(p.text.startswith("抄送") for p in document.paragraphs)
    assert document.paragraphs[-1].text.endswith("2026年3月5日印发")


# -- page numbers -----------------------------------------------------------------


def _has_page_field(footer) -> bool:
    xml = footer._element.xml
    return bool(
        re.search(r"<w:instrText[^>]*>\s*PAGE\s*</w:instrText>", xml) or re.search(r'w:instr="\s*PAGE\s*"', xml)
    )


def test_page_numbers_odd_right_even_left(document) -> None:
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    assert document.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    odd, even = section.footer, section.even_page_footer
    assert not odd.is_linked_to_previous and not even.is_linked_to_previous
    assert _has_page_field(odd) and _has_page_field(even)
    odd_p, even_p = odd.paragraphs[0], even.paragraphs[0]
    assert odd_p.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert even_p.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert odd_p.paragraph_format.right_indent == Pt(14)
    assert even_p.paragraph_format.left_indent == Pt(14)
    for p in (odd_p, even_p):
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert {east_asia(r) for r in p.runs} == {"宋体"}
        assert {r.font.size for r in p.runs} == {Pt(14)}


# -- metadata and hygiene ---------------------------------------------------------


def test_core_properties_name_the_issuing_body_only(document, data: bytes) -> None:
    props = document.core_properties
    assert props.author == "河南省应急管理厅"
    assert props.last_modified_by == "河南省应急管理厅"
    assert props.title == sample_document().title
    assert props.comments == "" and props.keywords == "" and props.subject == ""
    assert props.language == "zh-CN"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            assert b"python-docx" not in zf.read(name), name


def test_no_hidden_text_revisions_comments_or_leftover_parts(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        for name in names:
            if name.endswith(".xml"):
                xml = zf.read(name)
                for tag in (
                    b"<w:vanish",
                    b"<w:ins ",
                    b"<w:ins>",
                    b"<w:del ",
                    b"<w:del>",
                    b"<w:commentReference",
                    b"<w:specVanish",
                ):
                    assert tag not in xml, (name, tag)
        content_types = zf.read("[Content_Types].xml")
    assert not [n for n in names if "comment" in n.lower()]
    assert b"comments+xml" not in content_types
    assert not [n for n in names if n.startswith(("customXml/", "docProps/thumbnail"))]
    assert "word/vbaProject.bin" not in names


def test_theme_east_asian_language_is_chinese(document) -> None:
    lang = document.settings.element.find(qn("w:themeFontLang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


def test_generator_reads_only_its_input() -> None:
    """Same input, same document text: nothing else is read (no I/O, no DB)."""
    a = document_text(build_docx(sample_document()))
    b = document_text(build_docx(sample_document()))
    assert a == b
    public = document_text(build_docx(sample_document(body_html="<p>公开文本。</p>")))
    assert "公开文本。" in public and "政务公开标准体系" not in public


# -- sanitising --------------------------------------------------------------------


def test_illegal_xml_characters_are_stripped_everywhere() -> None:
    bad = "\x00\x01\x08\x0b\x0c\x1f\ufffe\uffff\ud800\udfff"
    doc = sample_document(
        title=f"关于{bad}测试的通知",
        body_html=f"<p>正文{bad}内容😀\u200f\u202eעברית</p>",
        signer=f"河南省{bad}应急管理厅",
        cc=f"抄{bad}送",
        attachments=(f"附{bad}件",),
    )
    data = build_docx(doc)
    text = document_text(data)
    assert "关于测试的通知" in text
    assert "正文内容😀\u200f\u202eעברית" in text
    assert docx.Document(io.BytesIO(data)).core_properties.author == "河南省应急管理厅"


def test_hundred_kilobytes_of_text() -> None:
    paragraph = "政务公开标准化规范化工作😀" * 40
    body = "".join(f"<p>{paragraph}</p>" for _ in range(200))
    assert len(body) > 100_000
    text = document_text(build_docx(sample_document(body_html=body)))
    assert squash(text).count(paragraph) == 200


def test_empty_body_still_builds() -> None:
    text = document_text(build_docx(sample_document(body_html="", attachments=(), cc="")))
    assert "（此件公开发布）" in text


# -- preview ----------------------------------------------------------------------


def test_preview_escapes_and_lays_out_the_document() -> None:
    doc = sample_document(title="<b>关于</b>测试的通知", body_html="<p>&lt;img src=x onerror=alert(1)&gt;</p>")
    preview = render_preview_html(doc)
    assert preview.startswith('<div class="gw-page">') and preview.endswith("</div>")
    assert "&lt;b&gt;关于&lt;/b&gt;" in preview
    assert "<img" not in preview and "&lt;img src=x onerror=alert(1)&gt;" in preview
    for cls in (
        "gw-issuer",
        "gw-number",
        "gw-red-rule",
        "gw-title",
        "gw-recipients",
        "gw-body",
        "gw-attachments",
        "gw-signer",
        "gw-date",
        "gw-annotation",
        "gw-colophon",
    ):
        assert f'class="{cls}' in preview
    assert preview.index("2026年3月1日") < preview.index("（此件公开发布）")


def test_preview_marks_headings_like_the_docx() -> None:
    preview = render_preview_html(sample_document())
    assert '<p class="gw-h1"><span class="gw-h1-text">一、工作目标</span></p>' in preview
    assert '<span class="gw-h1-text">二、工作任务。</span>各地' in preview
    assert '<p class="gw-h2"><span class="gw-h2-text">（一）全面落实标准指引</span></p>' in preview


# -- 抄送: one rule for the .docx and the preview (GB/T 9704 7.5.2) ---------------


@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ("应急管理部办公厅", "抄送：应急管理部办公厅。"),
        ("省政府办公厅、省财政厅; 省审计厅.", "抄送：省政府办公厅，省财政厅，省审计厅。"),
        ("省政府办公厅,省财政厅。", "抄送：省政府办公厅，省财政厅。"),
        ("省政府办公厅\n省财政厅，", "抄送：省政府办公厅，省财政厅。"),
    ],
)
def test_cc_line_is_the_same_in_docx_and_preview(typed: str, line: str) -> None:
    doc = sample_document(cc=typed)
    texts = [p.text for p in docx.Document(io.BytesIO(build_docx(doc))).paragraphs]
    assert line in texts
    assert f'<p class="gw-cc">{line}</p>' in render_preview_html(doc)


def test_blank_cc_prints_no_cc_line_anywhere() -> None:
    doc = sample_document(cc=" ，、 ")
    assert "抄送" not in document_text(build_docx(doc))
    assert "gw-cc" not in render_preview_html(doc)


# -- issue 14, read back with python-docx (the rendering is checked in
#    tests/integration/test_docgen_libreoffice.py) --------------------------------


@pytest.mark.parametrize(
    ("title", "whole"),
    [
        ("关于印发河南省安全生产应急救援培训基地建设管理办法的通知", "培训基地"),
        ("国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见", "政务公开"),
        ("关于转发《国务院办公厅关于印发2026年政务公开工作要点的通知》的通知", "2026年"),
    ],
)
def test_title_lines_keep_words_whole_and_balanced(title: str, whole: str) -> None:
    lines = break_title(title)
    assert "".join(lines) == title and len(lines) == 2
    assert any(whole in line for line in lines)
    assert all(len(line) <= 20 for line in lines)
    assert abs(len(lines[0]) - len(lines[1])) <= 5
    assert not lines[1].startswith(("的", "》", "）", "，"))


def test_short_title_is_one_line_and_drafters_breaks_are_kept() -> None:
    assert break_title("关于推进政务公开工作的通知") == ["关于推进政务公开工作的通知"]
    assert break_title("关于推进政务公开\n工作的通知") == ["关于推进政务公开", "工作的通知"]


def test_three_line_title_is_never_an_hourglass() -> None:
    title = "河南省人民政府办公厅关于进一步加强全省应急管理系统政务公开和政府信息公开工作标准化规范化建设的实施意见"
    widths = [len(line) for line in break_title(title)]
    assert len(widths) == 3
    assert not (widths[1] < widths[0] and widths[1] < widths[2])


def test_table_columns_are_sized_from_their_content() -> None:
    html = (
        "<table><tr><th>序号</th><th>名称</th><th>完成时限</th></tr>"
        "<tr><td>1</td><td>安全生产领域基层政务公开标准目录编制与发布及动态调整</td><td>2026年7月15日前</td></tr>"
        "</table>"
    )
    table = next(b for b in parse_body_html(html) if isinstance(b, Table))
    number, name, when = table_column_widths(table)
    assert number + name + when == 8844  # the width of the 版心, 156 mm
    assert number < when < name
    document = docx.Document(io.BytesIO(build_docx(sample_document(body_html=html))))
    grid = [int(c.get(qn("w:w"))) for c in document.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid == [number, name, when]
    assert document.tables[0]._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_line_model_counts_like_libreoffice() -> None:
    assert count_lines("政" * 26, 8844, 630) == 1
    assert count_lines("政" * 27, 8844, 630) == 2
    assert count_lines("政" * 26 + "。", 8844, 630) == 1  # a full stop hangs
    assert count_lines("政" * 25 + "务”", 8844, 630) == 2  # a closing quote takes its character down
    assert count_lines("0123456789" * 5, 8844) == 1  # 50 digits fit a line, 51 measured
    assert count_lines("0123456789" * 6, 8844) == 2


def test_signature_alone_is_prevented_by_tightening_the_body() -> None:
    repeat = "政务公开标准化规范化工作要求" * 3 + "推进基层公开工作"
    doc = sample_document(body_html=f"<p>{repeat}</p>" * 3, attachments=(), title="关于推进政务公开工作的通知")
    pieces, plan = plan_document(doc)
    assert plan.tightened_pitch < 579
    sig = next(p.item for p in pieces if p.item.tag == "sig")
    assert sig.places[0][0] == 1  # stays on page 1 with the body
    document = docx.Document(io.BytesIO(build_docx(doc)))
    body = [p for p in document.paragraphs if p.text == repeat]
    spacing = body[0]._p.pPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:lineRule")) == "exact" and int(spacing.get(qn("w:line"))) == plan.tightened_pitch


def test_colophon_of_its_own_is_a_section_without_page_numbers() -> None:
    repeat = "政务公开标准化规范化工作要求" * 3 + "推进基层公开工作"
    doc = sample_document(body_html=f"<p>{repeat}</p>" * 13, attachments=(), title="关于推进政务公开工作的通知")
    plan = plan_document(doc)[1]
    assert plan.colophon_own_page and plan.blank_page and plan.colophon_page % 2 == 0
    document = docx.Document(io.BytesIO(build_docx(doc)))
    assert len(document.sections) == 3  # the text, the blank page, the 版记 page
    for section in document.sections[1:]:
        assert section.different_first_page_header_footer
        assert not _has_page_field(section.first_page_footer)
    assert not document.sections[0].different_first_page_header_footer
    simplex = docx.Document(io.BytesIO(build_docx(replace(doc, duplex=False))))
    assert len(simplex.sections) == 2


def test_header_marks_and_signers_are_printed_when_given() -> None:
    doc = sample_document(copy_number="000123", secrecy="秘密★1年", urgency="特急", issuing_signers=("张三",))
    document = docx.Document(io.BytesIO(build_docx(doc)))
    texts = [p.text for p in document.paragraphs]
    assert texts[:4] == ["000123", "秘密★1年", "特急", "河南省应急管理厅文件"]
    assert east_asia(document.paragraphs[1].runs[0]) == FONT_HEITI
    number = next(p for p in document.paragraphs if p.text.startswith("豫应急办"))
    assert number.text == "豫应急办〔2026〕7号\t签发人：张三"
    assert east_asia(number.runs[-1]) == FONT_KAITI
    plain = [p.text for p in docx.Document(io.BytesIO(build_docx(sample_document()))).paragraphs]
    assert plain[0] == "河南省应急管理厅文件" and not any("签发人" in t for t in plain)


def test_interpretation_has_no_red_header_and_names_the_policy() -> None:
    doc = InterpretationDocument(
        title="《关于推进政务公开工作的通知》政策解读",
        policy_title="关于推进政务公开工作的通知",
        policy_number="豫应急办〔2026〕7号",
        body_html="<p>一、出台背景</p>",
    )
    document = docx.Document(io.BytesIO(build_docx(doc)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "《关于推进政务公开工作的通知》政策解读"
    assert "本解读对应文件：《关于推进政务公开工作的通知》（豫应急办〔2026〕7号）。" in texts
    colours = {r.font.color.rgb for p in document.paragraphs for r in p.runs if r.font.color and r.font.color.rgb}
    assert not colours  # nothing red
    assert not any(p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None for p in document.paragraphs)


def test_attachment_pages_join_the_attachment_note() -> None:
    doc = sample_document(
        attachments=("安全生产领域基层政务公开标准目录",),
        attachment_pages=(AttachmentPage("救灾领域基层政务公开标准目录", file_name="目录.xlsx"),),
    )
    texts = [p.text for p in docx.Document(io.BytesIO(build_docx(doc))).paragraphs]
    assert "附件：1．\t安全生产领域基层政务公开标准目录" in texts
    assert "2．\t救灾领域基层政务公开标准目录" in texts
    assert "附件2" in texts and "救灾领域基层政务公开标准目录" in texts
    assert any("目录.xlsx" in t for t in texts)
    # the 附件 page comes after the 附注 and before the 版记
    assert texts.index("（此件公开发布）") < texts.index("附件2") < texts.index("抄送：应急管理部办公厅。")
