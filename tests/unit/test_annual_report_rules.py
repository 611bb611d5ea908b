"""The annual report's tables and checks (webapp/annual_report.py), against the template's
labels in ../shared/REFERENCE.md §2."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from webapp import annual_report as rules


def test_table_three_rows_are_the_templates_rows_in_order():
    # REFERENCE.md §2, Table 三 rows
    assert [r.section for r in rules.T3_ROWS if r.section != rules.RESULTS_SECTION] == [
        "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "四、结转下年度继续办理"]
    groups = list(dict.fromkeys(r.group for r in rules.T3_ROWS if r.group))
    assert groups == ["（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（三）不予公开",
                      "（四）无法提供", "（五）不予处理", "（六）其他处理", "（七）总计"]
    assert [len([r for r in rules.T3_ROWS if r.group == g]) for g in groups] == [1, 1, 8, 3, 5, 3, 1]
    assert [c[2] for c in rules.T3_COLUMNS] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
                                               "其他", "总计"]


def test_cell_names_say_table_row_and_column():
    assert rules.cell_name("t3.results_total.person") == "表三 第三项（七）总计 · 自然人"
    assert rules.cell_name("t3.deny_3.commercial") == "表三 第三项（三）3 · 商业企业"
    assert rules.cell_name("t3.carry_next.total") == "表三 第四项 · 总计"
    assert rules.cell_name("t4.litigation_direct.pending") == "表四 行政诉讼·未经复议直接起诉 · 尚未审结"
    assert rules.cell_name("t2.normative.in_force") == "表二 第二十条第（一）项 行政规范性文件 · 现行有效件数"


def test_a_consistent_report_has_no_problems_and_each_inconsistency_names_its_cell():
    f = rules.complete({"t3.new.person": 3, "t3.carried.person": 1, "t3.public.person": 2, "t3.carry_next.person": 2,
                        "t4.reconsideration.upheld": 1})
    assert rules.check(f) == []
    assert f["t3.results_total.total"] == 2 and f["t4.reconsideration.total"] == 1
    bad = dict(f, **{"t3.carry_next.person": 1, "t3.carry_next.total": 1})
    assert rules.check(bad) == ["表三 第三项（七）总计 · 自然人：第一项加第二项之和（4）应当等于第三项加第四项之和（3），相差 1。",
                                "表三 第三项（七）总计 · 总计：第一项加第二项之和（4）应当等于第三项加第四项之和（3），相差 1。"]
    bad = dict(f, **{"t3.results_total.research": 1})
    assert any(p.startswith("表三 第三项（七）总计 · 科研机构：应当等于第三项各情形之和（0）") for p in rules.check(bad))
    bad = dict(f, **{"t3.new.total": 9})
    assert any(p.startswith("表三 第一项 · 总计：应当等于各类申请人之和（3）") for p in rules.check(bad))
    bad = dict(f, **{"t4.reconsideration.total": 0})
    assert rules.check(bad) == ["表四 行政复议 · 总计：应当等于结果维持、结果纠正、其他结果、尚未审结之和（1），现为 0。"]
    assert rules.check(dict(f, **{"t2.permit.decisions": -1})) == [
        "表二 第二十条第（五）项 行政许可 · 本年处理决定数量：数值不能为负数（现为 -1）。"]


counts = st.integers(min_value=0, max_value=50)


@given(st.dictionaries(st.sampled_from(rules.ADJUSTABLE), counts, max_size=30))
def test_a_report_holds_together_exactly_when_each_column_balances(values):
    f = rules.complete(values)
    balanced = all(f[rules.t3("new", c)] + f[rules.t3("carried", c)]
                   == f[rules.t3("results_total", c)] + f[rules.t3("carry_next", c)] for c in rules.T3_APPLICANT_KEYS)
    assert (rules.check(f) == []) == balanced


def test_grids_cover_a_rectangle():
    f = rules.complete({})
    for grid, width in ((rules.table2_grid(f, True), 4), (rules.table3_grid(f), 10), (rules.table4_grid(f), 15)):
        filled: set[tuple[int, int]] = set()
        for r, row in enumerate(grid):
            col = 0
            for cell in row:
                while (r, col) in filled:
                    col += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        assert (r + dr, col + dc) not in filled
                        filled.add((r + dr, col + dc))
                col += cell.colspan
        assert filled == {(r, c) for r in range(len(grid)) for c in range(width)}


def test_money_in_wanyuan():
    assert rules.parse_money("1.5") == Decimal("1.5") and rules.parse_money("1.23456") is None
    assert rules.parse_money("-1") is None and rules.parse_money("１") is None
    assert rules.yuan_to_wanyuan(300) == "0.03" and rules.money_text(Decimal("12.0000")) == "12"
