"""The standard catalogue of disclosure items (政务公开事项标准目录), as rules: pure Python.

Seed 000 requires every agency to compile its catalogue ("目录至少应包括公开事项的名称、内容、
依据、时限、主体、方式、渠道、公开对象等要素"), publish it and embed it in the business system.
This module holds what the product computes from it and the spreadsheet layout it is kept in:

- `parse_time_limit`: the 公开时限 column as a rule ("信息形成或变更之日起 20 个工作日内", "实时",
  "每季度", …) and the working days a document filed under the item has to be published in;
- `read_sheet` / `write_sheet`: the .xlsx layout (one row per second-level item), read with hard
  bounds (file, rows, columns, cell sizes) and every malformed cell reported by row and column;
- `SEED_FIRST_LEVEL`: the first-level items the seeds name — and nothing the seeds do not give.

No Flask and no models: the services store what this returns.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

DEFAULT_WORKING_DAYS = 20  # 条例 Art. 26 and seed 000 item 5: within 20 working days

# The first-level items of the two fields, as seed 000 (应急厅函〔2019〕390号, 三) and seed 003 name
# them.  Second-level items are the agency's own: the seeds give their counts (28; 20 or 19), not
# their content, so none is shipped.
SEED_FIRST_LEVEL: dict[str, tuple[str, ...]] = {
    "安全生产": ("政策文件", "依法行政", "行政管理", "公共服务", "重点领域信息公开"),
    "救灾": ("政策文件", "备灾管理", "灾后救助", "款物管理", "工作动态"),
}

MODES = ("主动", "依申请")  # 公开方式
AUDIENCES = ("全社会", "特定群体")  # 公开对象
LEVELS = ("县级", "乡级")  # 公开层级 (a row may name both: "县级、乡级")
CHANNELS = ("政府网站", "政务新媒体", "公开栏", "政务服务中心", "便民服务站", "新闻发布会", "广播电视",
            "报刊", "档案馆", "公共图书馆", "公共查阅室", "其他")

# --------------------------------------------------------------------------- 公开时限

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
MAX_DAYS = 365


def _cn_number(text: str) -> int | None:
    """Arabic (also full-width) or Chinese numerals up to 999: 20, ２０, 二十, 十五, 一百二十."""
    text = text.strip()
    if not text:
        return None
    ascii_text = text.translate({0xFF10 + i: 0x30 + i for i in range(10)})
    if ascii_text.isascii() and ascii_text.isdigit():
        return int(ascii_text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


_NUM = r"([0-9０-９]+|[零〇一二两三四五六七八九十百]+)"
_WORKING_DAYS = re.compile(_NUM + r"\s*个?\s*工作日")
_CALENDAR_DAYS = re.compile(_NUM + r"\s*[个]?\s*(?:自然)?日(?!常)")
_PERIODS = (("实时", "realtime", "实时"), ("即时", "realtime", "实时"), ("每季度", "quarterly", "每季度"),
            ("按季度", "quarterly", "每季度"), ("每月", "monthly", "每月"), ("按月", "monthly", "每月"),
            ("每半年", "half_yearly", "每半年"), ("每年", "yearly", "每年"), ("按年", "yearly", "每年"),
            ("年度", "yearly", "每年"), ("常态化", "ongoing", "常态化"), ("长期", "ongoing", "常态化"))


@dataclass(frozen=True)
class TimeLimit:
    """The 公开时限 of an item, read: what the product computes from the words."""

    text: str  # as the catalogue writes it
    kind: str  # working_days | realtime | quarterly | monthly | half_yearly | yearly | ongoing | unspecified
    days: int | None = None  # for working_days

    @property
    def publication_working_days(self) -> int:
        """Working days from the 印发日期 to publish a document filed under the item.

        N for "…N 个工作日内"; 1 for "实时" (the next working day at the latest); the statutory 20 for
        periodic, ongoing or unstated limits, which say when the item is refreshed, not how soon
        one document goes out."""
        if self.kind == "working_days" and self.days is not None:
            return self.days
        if self.kind == "realtime":
            return 1
        return DEFAULT_WORKING_DAYS

    @property
    def words(self) -> str:
        """How the product reads the rule, for the admin's page."""
        if self.kind == "working_days":
            return f"按 {self.days} 个工作日计算发布期限"
        if self.kind == "realtime":
            return "实时（至迟下一个工作日）"
        if self.kind == "unspecified":
            return f"未写明，按 {DEFAULT_WORKING_DAYS} 个工作日"
        label = next(w for _, k, w in _PERIODS if k == self.kind)
        return f"{label}更新（单个文件按 {DEFAULT_WORKING_DAYS} 个工作日）"


class TimeLimitError(ValueError):
    """The words name a limit the product cannot compute; the message is Chinese."""


def parse_time_limit(text: str | None) -> TimeLimit:
    """Read a 公开时限 cell.  Raises TimeLimitError for a day count out of range or for calendar
    days ("10日内"), which the catalogue must state as working days to be computed."""
    raw = (text or "").strip()
    if not raw:
        return TimeLimit("", "unspecified")
    m = _WORKING_DAYS.search(raw)
    if m:
        n = _cn_number(m.group(1))
        if n is None or not 1 <= n <= MAX_DAYS:
            raise TimeLimitError(f"公开时限的工作日数须在 1 至 {MAX_DAYS} 之间。")
        return TimeLimit(raw, "working_days", n)
    for word, kind, _label in _PERIODS:
        if word in raw:
            return TimeLimit(raw, kind)
    if _CALENDAR_DAYS.search(raw):
        raise TimeLimitError("公开时限请写成“N 个工作日内”，本系统按工作日计算期限。")
    raise TimeLimitError("无法识别公开时限，请写成“信息形成或变更之日起 N 个工作日内”、“实时”、“每季度”、“每月”或“每年”等。")


def deadline_explanation(item_name: str, limit: TimeLimit) -> str:
    """The line a document's deadline carries, naming the item (issue 15)."""
    n = limit.publication_working_days
    if limit.kind == "working_days":
        return f"按目录事项“{item_name}”的公开时限（{limit.text}），自印发之日起 {n} 个工作日内公开。"
    if limit.kind == "realtime":
        return f"按目录事项“{item_name}”的公开时限（实时），至迟于印发后第 1 个工作日公开。"
    return f"目录事项“{item_name}”未规定单个文件的公开时限，按自印发之日起 {n} 个工作日计。"


# --------------------------------------------------------------------------- the spreadsheet

@dataclass(frozen=True)
class Column:
    header: str
    attr: str
    max_len: int
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("领域", "domain", 30, True),
    Column("一级事项", "first_level", 60, True),
    Column("二级事项", "name", 100, True),
    Column("公开内容（要素）", "content", 2000),
    Column("公开依据", "basis", 2000),
    Column("公开时限", "time_limit", 100),
    Column("公开主体", "subject", 200),
    Column("公开渠道和载体", "channels", 300),
    Column("公开对象", "audience", 20),
    Column("公开方式", "mode", 20),
    Column("公开层级", "level", 20),
)
HEADERS = tuple(c.header for c in COLUMNS)
ELEMENTS = tuple(c.attr for c in COLUMNS[3:])  # the elements every item carries besides its place

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 30  # read at most this many; a value beyond the layout's columns is an error


@dataclass(frozen=True)
class SheetRow:
    row: int  # the spreadsheet's row number
    domain: str
    first_level: str
    name: str
    content: str = ""
    basis: str = ""
    time_limit: str = ""
    subject: str = ""
    channels: str = ""
    audience: str = ""
    mode: str = ""
    level: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.domain, self.first_level, self.name)

    def elements(self) -> dict[str, str]:
        return {a: getattr(self, a) for a in ELEMENTS}


@dataclass
class SheetProblem:
    row: int | None
    column: str | None  # the header, when one cell is at fault
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"“{self.column}”列")
        return ("".join(where) + "：" if where else "") + self.message


@dataclass
class Sheet:
    rows: list[SheetRow] = field(default_factory=list)
    problems: list[SheetProblem] = field(default_factory=list)


def _col_letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _split_list(value: str) -> list[str]:
    return [p.strip() for p in re.split(r"[、，,；;/\s]+", value) if p.strip()]


def check_elements(values: dict[str, str]) -> list[tuple[str, str]]:
    """Problems of one item's elements, as (header, message) — shared by the form and the sheet."""
    out: list[tuple[str, str]] = []
    header = {c.attr: c.header for c in COLUMNS}
    for c in COLUMNS:
        v = values.get(c.attr, "")
        if c.attr in values and len(v) > c.max_len:
            out.append((c.header, f"不能超过 {c.max_len} 字。"))
    if values.get("time_limit"):
        try:
            parse_time_limit(values["time_limit"])
        except TimeLimitError as exc:
            out.append((header["time_limit"], str(exc)))
    if values.get("mode") and values["mode"] not in MODES:
        out.append((header["mode"], "须为“主动”或“依申请”。"))
    if values.get("audience") and values["audience"] not in AUDIENCES:
        out.append((header["audience"], "须为“全社会”或“特定群体”。"))
    if values.get("level") and any(p not in LEVELS for p in _split_list(values["level"])):
        out.append((header["level"], "须为“县级”“乡级”或二者（用顿号分隔）。"))
    return out


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_sheet(data: bytes) -> Sheet:
    """Read a catalogue spreadsheet: the first sheet, a header row with the layout's columns in
    order, then one row per second-level item.  Bounded work for any input; every problem found
    is reported (by row and column), and a sheet with problems yields no rows to save."""
    from openpyxl import load_workbook  # a pure dependency, loaded only when a sheet is read

    sheet = Sheet()
    if len(data) > MAX_FILE_BYTES:
        sheet.problems.append(SheetProblem(None, None, f"文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB。"))
        return sheet
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_UNPACKED_BYTES:
                sheet.problems.append(SheetProblem(None, None, "文件解压后过大，请拆分后再导入。"))
                return sheet
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — any unreadable file gets the same answer
        sheet.problems.append(SheetProblem(None, None, "无法读取该文件，请上传 Excel 工作簿（.xlsx）。"))
        return sheet
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        header = next(rows, None)
        got = [_cell_text(v) for v in (header or ())]
        while got and not got[-1]:
            got.pop()
        if tuple(got) != HEADERS:
            sheet.problems.append(SheetProblem(1, None, "表头须依次为：" + "、".join(HEADERS) + "。"))
            return sheet
        seen: dict[tuple[str, str, str], int] = {}
        for number, values in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                sheet.problems.append(SheetProblem(number, None, f"目录最多 {MAX_ROWS} 行，其余未读取。"))
                break
            cells = [_cell_text(v) for v in values]
            if not any(cells):
                continue
            extra = [i for i in range(len(COLUMNS), len(cells)) if cells[i]]
            for i in extra:
                sheet.problems.append(SheetProblem(number, _col_letter(i), "超出目录的列，请删除。"))
            cells = (cells + [""] * len(COLUMNS))[: len(COLUMNS)]
            values_by_attr = {c.attr: v for c, v in zip(COLUMNS, cells, strict=True)}
            row_problems = [SheetProblem(number, c.header, "不能为空。")
                            for c in COLUMNS if c.required and not values_by_attr[c.attr]]
            row_problems += [SheetProblem(number, h, m) for h, m in check_elements(values_by_attr)]
            key = (values_by_attr["domain"], values_by_attr["first_level"], values_by_attr["name"])
            if all(key) and key in seen:
                row_problems.append(SheetProblem(number, "二级事项", f"与第 {seen[key]} 行重复。"))
            seen.setdefault(key, number)
            if row_problems:
                sheet.problems.extend(row_problems)
            elif not extra:
                sheet.rows.append(SheetRow(row=number, **values_by_attr))
    finally:
        wb.close()
    if not sheet.rows and not sheet.problems:
        sheet.problems.append(SheetProblem(None, None, "表中没有目录事项。"))
    if sheet.problems:
        sheet.rows = []
    return sheet


def write_sheet(rows: list[dict[str, str]], title: str = "政务公开事项标准目录") -> bytes:
    """The catalogue as an .xlsx in the layout `read_sheet` reads: one row per second-level item."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([r.get(c.attr, "") for c in COLUMNS])
    widths = {"domain": 10, "first_level": 16, "name": 24, "content": 40, "basis": 40, "time_limit": 24,
              "subject": 16, "channels": 24}
    for i, c in enumerate(COLUMNS):
        ws.column_dimensions[_col_letter(i)].width = widths.get(c.attr, 10)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def mode_mismatch(item_mode: str, disclosure: str | None) -> str | None:
    """The warning when an item's 公开方式 and a document's attribute disagree, or None.

    A 主动 item with a 不予公开 (or 依申请公开) document, or a 依申请 item with a 主动公开 document."""
    if not item_mode or not disclosure:
        return None
    if item_mode == "主动" and disclosure in ("not_public", "on_request"):
        return "目录事项的公开方式为“主动”，而本文件的公开属性不是主动公开。"
    if item_mode == "依申请" and disclosure == "public":
        return "目录事项的公开方式为“依申请”，而本文件拟主动公开。"
    return None
