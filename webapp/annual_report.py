"""The annual report on government information disclosure (政府信息公开工作年度报告, R12) as data.

Pure Python: no Flask, no SQL.  The tables of the 2021 template (国办公开办函〔2021〕30号;
../shared/REFERENCE.md §2, every label verbatim) as rows and columns with a key per cell, the
cells the product computes and those entered by hand, and the checks that refuse an
inconsistent report, each message naming its cell ("表三 第三项（七）总计 · 自然人：…").

Cell keys:  ``t2.<row>.<column>`` (table 二), ``t3.<row>.<column>`` (table 三; columns are the
`ApplicantType` values and ``total``), ``t4.<group>.<result>`` (table 四).  Figures are a dict
from cell key to a number (int, or a ``Decimal`` for the 收费金额).  Derived cells (every
总计) are never entered nor stored: `complete` computes them from the others, and `check`
verifies them anyway, so a report read from anywhere is checked the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from .applications_flow import APPLICANT_COLUMNS, OUTCOMES, REMEDY_KINDS, REMEDY_RESULTS, ApplicantType

SECTIONS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
SECTION6_NOTE = "（文字描述，收取信息处理费情况在此处报告。）"
DUE_MONTH_DAY = (1, 31)  # departments: 31 January of the next year (条例第四十九条)


def due_date(year: int) -> date:
    return date(year + 1, *DUE_MONTH_DAY)


# --------------------------------------------------------------------------- table 二

@dataclass(frozen=True)
class Table2Block:
    item: str  # 信息内容 heading, e.g. 第二十条第（一）项
    columns: tuple[tuple[str, str], ...]  # (key, label)
    rows: tuple[tuple[str, str], ...]  # (key, label)


TABLE2: tuple[Table2Block, ...] = (
    Table2Block("第二十条第（一）项",
                (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")),
                (("rules", "规章"), ("normative", "行政规范性文件"))),
    Table2Block("第二十条第（五）项", (("decisions", "本年处理决定数量"),), (("permit", "行政许可"),)),
    Table2Block("第二十条第（六）项", (("decisions", "本年处理决定数量"),),
                (("penalty", "行政处罚"), ("enforcement", "行政强制"))),
    Table2Block("第二十条第（八）项", (("amount", "本年收费金额（单位：万元）"),), (("fees", "行政事业性收费"),)),
)
TABLE2_HEAD = "信息内容"

# Computed from the documents (行政规范性文件); 规章 when the agency makes none is shown as —.
T2_NORMATIVE = ("t2.normative.issued", "t2.normative.repealed", "t2.normative.in_force")
T2_RULES = ("t2.rules.issued", "t2.rules.repealed", "t2.rules.in_force")
# Entered by hand: the records cannot know them (the 规章 row too, when the agency makes 规章).
T2_HAND = ("t2.permit.decisions", "t2.penalty.decisions", "t2.enforcement.decisions", "t2.fees.amount")
T2_MONEY = "t2.fees.amount"
MONEY = re.compile(r"[0-9]{1,9}(\.[0-9]{1,4})?")


def parse_money(raw: str) -> Decimal | None:
    """万元 with at most 4 decimals (one yuan), written in ASCII digits; None when not such a number."""
    raw = (raw or "").strip()
    if not MONEY.fullmatch(raw):
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        return None


# --------------------------------------------------------------------------- table 三

T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_HEAD = "申请人情况"
T3_ORG_GROUP = "法人或其他组织"
T3_COLUMNS: tuple[tuple[str, str, str], ...] = (
    *((t.value, group, label) for t, (group, label) in APPLICANT_COLUMNS.items()),
    ("total", "总计", "总计"),
)  # (key, group, label)
T3_APPLICANT_KEYS: tuple[str, ...] = tuple(t.value for t in ApplicantType)


@dataclass(frozen=True)
class Table3Row:
    key: str
    section: str  # 一、… / 二、… / 三、本年度办理结果 / 四、…
    group: str = ""  # （三）不予公开 …, within 三
    item: str = ""  # 1.属于国家秘密 …, within a group
    derived: bool = False

    @property
    def label(self) -> str:
        return self.item or self.group or self.section

    @property
    def name(self) -> str:
        """How a message names the row: 第一项, 第三项（三）1, 第三项（七）总计."""
        number = {"一": "第一项", "二": "第二项", "三": "第三项", "四": "第四项"}[self.section[0]]
        if not self.group:
            return number
        group = self.group[:3] + (self.group[3:] if self.group.startswith("（七）") else "")
        item = self.item.split(".")[0] if self.item else ""
        return f"{number}{group}{item}"


RESULTS_SECTION = "三、本年度办理结果"


def _result_rows() -> tuple[Table3Row, ...]:
    rows = []
    for outcome in OUTCOMES:  # report_row is the row verbatim: "（三）不予公开 1.属于国家秘密"
        group, _, item = outcome.report_row.partition(" ")
        rows.append(Table3Row(outcome.code, RESULTS_SECTION, group, item))
    return tuple(rows)


T3_RESULT_ROWS = _result_rows()
T3_ROWS: tuple[Table3Row, ...] = (
    Table3Row("new", "一、本年新收政府信息公开申请数量"),
    Table3Row("carried", "二、上年结转政府信息公开申请数量"),
    *T3_RESULT_ROWS,
    Table3Row("results_total", RESULTS_SECTION, "（七）总计", derived=True),
    Table3Row("carry_next", "四、结转下年度继续办理"),
)
T3_ROW_BY_KEY = {r.key: r for r in T3_ROWS}
T3_GROUP_LABELS: dict[str, str] = {}  # "（三）" -> "（三）不予公开"
for _r in T3_RESULT_ROWS:
    T3_GROUP_LABELS.setdefault(_r.group[:3], _r.group)


def t3(row: str, column: str) -> str:
    return f"t3.{row}.{column}"


# --------------------------------------------------------------------------- table 四

T4_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("reconsideration", "行政复议", ""),
    ("litigation_direct", "行政诉讼", "未经复议直接起诉"),
    ("litigation_after", "行政诉讼", "复议后起诉"),
)  # (key, head, sub-head)
T4_RESULTS: tuple[tuple[str, str], ...] = (*REMEDY_RESULTS.items(), ("total", "总计"))
assert {k for k, _, _ in T4_GROUPS} == set(REMEDY_KINDS)


def t4(group: str, result: str) -> str:
    return f"t4.{group}.{result}"


# --------------------------------------------------------------------------- cells

def computed_cells() -> tuple[str, ...]:
    """Every cell the records fill (before the derived totals)."""
    cells = [*T2_NORMATIVE]
    cells += [t3(r.key, c) for r in T3_ROWS if not r.derived for c in T3_APPLICANT_KEYS]
    cells += [t4(g, r) for g, _, _ in T4_GROUPS for r, _ in T4_RESULTS if r != "total"]
    return tuple(cells)


# Hand adjustments (补录): the figures the records do not hold — applications handled on paper
# before the system, remedies not recorded on an application.  Only non-derived cells.
ADJUSTABLE = tuple(c for c in computed_cells() if c.startswith(("t3.", "t4.")))


def derived_cells() -> tuple[str, ...]:
    cells = [t3(r.key, "total") for r in T3_ROWS]
    cells += [t3("results_total", c) for c in T3_APPLICANT_KEYS]
    cells += [t4(g, "total") for g, _, _ in T4_GROUPS]
    return tuple(dict.fromkeys(cells))


def cell_name(key: str) -> str:
    """The cell as a message names it: 表三 第三项（七）总计 · 自然人."""
    table, row, column = (key.split(".") + [""])[:3]
    if table == "t2":
        for block in TABLE2:
            rows, cols = dict(block.rows), dict(block.columns)
            if row in rows and column in cols:
                return f"表二 {block.item} {rows[row]} · {cols[column]}"
    elif table == "t3" and row in T3_ROW_BY_KEY:
        label = next((lab for k, _, lab in T3_COLUMNS if k == column), column)
        return f"表三 {T3_ROW_BY_KEY[row].name} · {label}"
    elif table == "t4":
        group = next(((h, s) for k, h, s in T4_GROUPS if k == row), None)
        result = dict(T4_RESULTS).get(column)
        if group and result:
            return f"表四 {group[0]}{('·' + group[1]) if group[1] else ''} · {result}"
    return key


def complete(figures: Mapping[str, int | Decimal]) -> dict[str, int | Decimal]:
    """The figures with every derived total computed from its parts (missing cells count 0)."""
    out: dict[str, int | Decimal] = {c: 0 for c in (*computed_cells(), *T2_RULES, *T2_HAND)}
    out[T2_MONEY] = Decimal(0)
    out.update(figures)
    for c in T3_APPLICANT_KEYS:
        out[t3("results_total", c)] = sum(int(out[t3(r.key, c)]) for r in T3_RESULT_ROWS)
    for r in T3_ROWS:
        out[t3(r.key, "total")] = sum(int(out[t3(r.key, c)]) for c in T3_APPLICANT_KEYS)
    for g, _, _ in T4_GROUPS:
        out[t4(g, "total")] = sum(int(out[t4(g, r)]) for r, _ in T4_RESULTS if r != "total")
    return out


def check(figures: Mapping[str, int | Decimal]) -> list[str]:
    """Every inconsistency of a report, each naming its cell; [] when the report holds together.

    - no cell is negative;
    - table 三, per column (总计 included): 第一项 + 第二项 = 第三项（七）总计 + 第四项 (the corner note);
    - table 三: 第三项（七）总计 = the sum of the result rows; each row's 总计 = the sum of its columns;
    - table 四: each group's 总计 = the sum of its four results.
    """
    f = {k: figures.get(k, 0) for k in (*computed_cells(), *derived_cells(), *T2_RULES, *T2_HAND)}
    problems = [f"{cell_name(k)}：数值不能为负数（现为 {v}）。" for k, v in f.items() if v < 0]
    for key, _, _ in T3_COLUMNS:
        left = f[t3("new", key)] + f[t3("carried", key)]
        right = f[t3("results_total", key)] + f[t3("carry_next", key)]
        if left != right:
            problems.append(f"{cell_name(t3('results_total', key))}：第一项加第二项之和（{left}）应当等于"
                            f"第三项加第四项之和（{right}），相差 {left - right}。")
        parts = sum(f[t3(r.key, key)] for r in T3_RESULT_ROWS)
        if parts != f[t3("results_total", key)]:
            problems.append(f"{cell_name(t3('results_total', key))}：应当等于第三项各情形之和（{parts}），"
                            f"现为 {f[t3('results_total', key)]}。")
    for r in T3_ROWS:
        parts = sum(f[t3(r.key, c)] for c in T3_APPLICANT_KEYS)
        if parts != f[t3(r.key, "total")]:
            problems.append(f"{cell_name(t3(r.key, 'total'))}：应当等于各类申请人之和（{parts}），"
                            f"现为 {f[t3(r.key, 'total')]}。")
    for g, _, _ in T4_GROUPS:
        parts = sum(f[t4(g, r)] for r, _ in T4_RESULTS if r != "total")
        if parts != f[t4(g, "total")]:
            problems.append(f"{cell_name(t4(g, 'total'))}：应当等于结果维持、结果纠正、其他结果、尚未审结之和"
                            f"（{parts}），现为 {f[t4(g, 'total')]}。")
    return problems


def money_text(value: int | Decimal) -> str:
    """万元 as the report prints it: up to 4 decimals, no trailing zeros."""
    d = Decimal(value).quantize(Decimal("0.0001"))
    text = format(d.normalize(), "f")
    return text


def yuan_to_wanyuan(yuan: int) -> str:
    return money_text(Decimal(yuan) / Decimal(10000))


# --------------------------------------------------------------------------- the tables as laid out

@dataclass(frozen=True)
class GridCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    key: str = ""  # a figure's cell key ("" for a label)


Grid = list[list[GridCell]]


def _value_text(key: str, figures: Mapping[str, int | Decimal]) -> str:
    value = figures.get(key, 0)
    return money_text(value) if key == T2_MONEY else str(value)


def _num(key: str, figures: Mapping[str, int | Decimal], span: int = 1) -> GridCell:
    return GridCell(_value_text(key, figures), colspan=span, key=key)


def table2_grid(figures: Mapping[str, int | Decimal], makes_rules: bool) -> Grid:
    """Table 二 as the template lays it out: four columns, one heading row per 第二十条 item."""
    rows: Grid = []
    for block in TABLE2:
        rows.append([GridCell(block.item, colspan=4, header=True)])
        span = 3 // len(block.columns)
        rows.append([GridCell(TABLE2_HEAD, header=True),
                     *(GridCell(label, colspan=span, header=True) for _, label in block.columns)])
        for row_key, row_label in block.rows:
            cells = [GridCell(row_label, header=True)]
            for col_key, _ in block.columns:
                key = f"t2.{row_key}.{col_key}"
                if row_key == "rules" and not makes_rules:
                    cells.append(GridCell("—", key=""))
                else:
                    cells.append(_num(key, figures, span))
            rows.append(cells)
    return rows


def table3_grid(figures: Mapping[str, int | Decimal]) -> Grid:
    """Table 三: three label columns (项, 情形, 细目) and the seven applicant columns."""
    rows: Grid = [
        [GridCell(T3_CORNER, colspan=3, rowspan=3, header=True), GridCell(T3_HEAD, colspan=7, header=True)],
        [GridCell("自然人", rowspan=2, header=True), GridCell(T3_ORG_GROUP, colspan=5, header=True),
         GridCell("总计", rowspan=2, header=True)],
        [GridCell(label, header=True) for key, group, label in T3_COLUMNS if group == T3_ORG_GROUP],
    ]
    results = [r for r in T3_ROWS if r.section == RESULTS_SECTION]
    group_sizes: dict[str, int] = {}
    for r in results:
        group_sizes[r.group] = group_sizes.get(r.group, 0) + 1
    seen_groups: set[str] = set()
    for r in T3_ROWS:
        cells: list[GridCell] = []
        if r.section != RESULTS_SECTION:
            cells.append(GridCell(r.section, colspan=3, header=True))
        else:
            if r is results[0]:
                cells.append(GridCell(RESULTS_SECTION, rowspan=len(results), header=True))
            if not r.item:
                cells.append(GridCell(r.group, colspan=2, header=True))
            else:
                if r.group not in seen_groups:
                    cells.append(GridCell(r.group, rowspan=group_sizes[r.group], header=True))
                cells.append(GridCell(r.item, header=True))
            seen_groups.add(r.group)
        cells += [_num(t3(r.key, key), figures) for key, _, _ in T3_COLUMNS]
        rows.append(cells)
    return rows


def table4_grid(figures: Mapping[str, int | Decimal]) -> Grid:
    """Table 四: 行政复议 (5 columns) and 行政诉讼 (未经复议直接起诉, 复议后起诉: 5 each)."""
    results = [label for _, label in T4_RESULTS]
    return [
        [GridCell("行政复议", colspan=5, header=True), GridCell("行政诉讼", colspan=10, header=True)],
        [*(GridCell(label, rowspan=2, header=True) for label in results),
         GridCell("未经复议直接起诉", colspan=5, header=True), GridCell("复议后起诉", colspan=5, header=True)],
        [GridCell(label, header=True) for _ in range(2) for label in results],
        [_num(t4(g, r), figures) for g, _, _ in T4_GROUPS for r, _ in T4_RESULTS],
    ]


def grid_html(grid: Grid) -> str:
    """The grid as the HTML a 公文 body holds (htmlpolicy keeps colspan/rowspan)."""
    from html import escape

    out = ["<table>"]
    for row in grid:
        out.append("<tr>")
        for c in row:
            tag = "th" if c.header else "td"
            attrs = (f' colspan="{c.colspan}"' if c.colspan > 1 else "") + \
                    (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "")
            out.append(f"<{tag}{attrs}>{escape(c.text)}</{tag}>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)
