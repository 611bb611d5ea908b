"""Merged table cells (colspan/rowspan) in the GB/T 9704 writer, read back with python-docx (issue 12)."""

from __future__ import annotations

import io
from dataclasses import replace

import docx
import pytest
from docx.oxml.ns import qn

from tests.unit.test_docgen_fixtures import sample_document
from webapp import annual_report as rules
from webapp.docgen import build_docx, render_preview_html
from webapp.docgen.html_blocks import MAX_GRID_COLUMNS, parse_body_html
from webapp.richtext import clean_html


def built_table(body_html: str, index: int = 0):
    data = build_docx(replace(sample_document(), body_html=body_html))
    return docx.Document(io.BytesIO(data)).tables[index]


def grid_span(cell) -> int:
    span = cell._tc.tcPr.find(qn("w:gridSpan"))
    return 1 if span is None else int(span.get(qn("w:val")))


def v_merge(cell) -> str | None:
    merge = cell._tc.tcPr.find(qn("w:vMerge"))
    return None if merge is None else (merge.get(qn("w:val")) or "continue")


HEAD = (
    '<table><tr><th colspan="2">甲乙合计</th><th rowspan="2">丙</th></tr>'
    "<tr><th>甲</th><th>乙</th></tr>"
    "<tr><td>1</td><td>2</td><td>3</td></tr></table>"
)


def test_colspan_and_rowspan_become_one_merged_cell() -> None:
    table = built_table(HEAD)
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["甲乙合计", "甲乙合计", "丙"], ["甲", "乙", "丙"], ["1", "2", "3"]]
    assert table.cell(0, 0)._tc is table.cell(0, 1)._tc  # one w:tc over two grid columns
    assert grid_span(table.cell(0, 0)) == 2
    assert table.cell(0, 2)._tc is table.cell(1, 2)._tc  # one cell over two rows
    first_row = table.rows[0]._tr.findall(qn("w:tc"))
    second_row = table.rows[1]._tr.findall(qn("w:tc"))
    assert len(first_row) == 2 and len(second_row) == 3
    assert [v_merge(table.cell(0, 2)), second_row[2].tcPr.find(qn("w:vMerge")).get(qn("w:val"))] == ["restart", None]
    assert second_row[2].xpath("string(.)") == ""  # the continued slot holds no second copy of the text
    # the merged cell is as wide as its two columns
    widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    tcw = int(table.cell(0, 0)._tc.tcPr.find(qn("w:tcW")).get(qn("w:w")))
    assert tcw == widths[0] + widths[1]


def test_without_spans_the_table_is_unchanged() -> None:
    table = built_table("<table><tr><th>名称</th><th>时限</th></tr><tr><td>编制目录</td><td>7月15日前</td></tr></table>")
    assert all(grid_span(c) == 1 and v_merge(c) is None for r in table.rows for c in r.cells)
    assert len({c._tc for r in table.rows for c in r.cells}) == 4


@pytest.mark.parametrize("html", [
    # a colspan running into a rowspan from above (HTML's table-model error): stops short of it
    '<table><tr><td>a</td><td rowspan="3">b</td><td>c</td></tr><tr><td colspan="3">d</td></tr>'
    "<tr><td>e</td><td>f</td></tr></table>",
    # spans far past the table's end, zero, negative, garbage
    '<table><tr><td colspan="1000" rowspan="1000">x</td></tr><tr><td rowspan="0">y</td><td colspan="-3">z</td>'
    '<td colspan="2x">w</td><td rowspan="99999999999999">v</td></tr></table>',
    # a thousand cells each asking for a thousand columns
    "<table><tr>" + '<td colspan="1000">c</td>' * 200 + "</tr><tr><td>end</td></tr></table>",
])
def test_hostile_spans_are_clipped_and_never_crash(html: str) -> None:
    (block,) = parse_body_html(html)
    layout = block.layout()
    assert layout.ncols <= max(MAX_GRID_COLUMNS, max(len(r.cells) for r in block.rows)) + len(layout.cells)
    slots = [(p.row + i, p.col + j) for p in layout.cells for i in range(p.rowspan) for j in range(p.colspan)]
    assert len(slots) == len(set(slots))  # never two cells on one slot
    assert all(r < layout.nrows and c < layout.ncols for r, c in slots)
    table = built_table(html)
    assert len(table.columns) == layout.ncols
    # every cell's text is written once
    texts = [c.text for c in block.rows[0].cells + block.rows[-1].cells]
    written = {tc.xpath("string(.)") for tc in table._tbl.iter(qn("w:tc"))}
    assert set(texts) <= written


def test_the_grid_stays_bounded_by_the_unspanned_table() -> None:
    html = "<table>" + ("<tr>" + '<td colspan="1000" rowspan="1000">c</td>' * 50 + "</tr>") * 50 + "</table>"
    (block,) = parse_body_html(html)
    layout = block.layout()
    # rowspans push later cells right, as in HTML, but never past one column per cell
    assert layout.nrows == 50 and layout.ncols <= MAX_GRID_COLUMNS + 50 * 50
    assert len(layout.covered) <= layout.nrows * layout.ncols


def test_the_policy_keeps_spans_on_cells() -> None:
    cleaned = clean_html('<table><tr><th colspan="2" rowspan="3" onclick="x()">a</th>'
                         '<td colspan="2" style="c">b</td></tr></table>')
    assert 'colspan="2" rowspan="3"' in cleaned and '<td colspan="2">' in cleaned
    assert "onclick" not in cleaned and "style" not in cleaned


def test_the_preview_merges_as_the_docx_does() -> None:
    html = render_preview_html(replace(sample_document(), body_html=HEAD))
    assert '<th colspan="2">甲乙合计</th><th rowspan="2">丙</th></tr><tr><th>甲</th><th>乙</th></tr>' in html


def test_table_three_as_issued_has_the_templates_merged_head() -> None:
    """REFERENCE.md §2: 申请人情况 → 自然人 | 法人或其他组织 {五类} | 总计, beside the corner note."""
    body = clean_html(rules.grid_html(rules.table3_grid(rules.complete({}))))
    table = built_table(body)
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    orgs = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert [c.text for c in table.rows[0].cells] == [corner] * 3 + ["申请人情况"] * 7
    assert [c.text for c in table.rows[1].cells] == [corner] * 3 + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]
    assert [c.text for c in table.rows[2].cells] == [corner] * 3 + ["自然人", *orgs, "总计"]
    assert table.cell(0, 0)._tc is table.cell(2, 2)._tc or (
        table.cell(0, 0)._tc is table.cell(0, 2)._tc and v_merge(table.cell(0, 0)) == "restart")
    assert grid_span(table.cell(0, 0)) == 3 and grid_span(table.cell(0, 3)) == 7 and grid_span(table.cell(1, 4)) == 5
    assert table.cell(1, 3)._tc is table.cell(2, 3)._tc and table.cell(1, 9)._tc is table.cell(2, 9)._tc
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[3][:3] == ["一、本年新收政府信息公开申请数量"] * 3
    results = [r for r in rows if r[0] == "三、本年度办理结果"]
    assert len(results) == 22 and all(len(r) == 10 for r in rows)
    assert ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"] == results[2][:3]
    assert rows[-1][:3] == ["四、结转下年度继续办理"] * 3
    # the head repeats on every page, the 结果 rows do not
    assert [r._tr.trPr.find(qn("w:tblHeader")) is not None for r in table.rows[:4]] == [True, True, True, False]
