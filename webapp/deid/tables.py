"""Tables flattened to text: rows on lines, cells split by tabs or ``|``.

A .docx table reaches the engine as rows joined with tabs or " | ".  This
module finds those rows and tells, for every cell, the header of its column
("姓名", "身份证号", "家庭住址" …), so that a cell under 姓名 is read as a name
even though no cue stands next to it.  Key–value rows of a form
("姓名\t张三\t性别\t男") give the key as the header of the next cell.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ._regex import scan_pattern

_SEP = re.compile(r"[ \u3000]*(?:\t|\|)[ \u3000]*")
_HAS_SEP = re.compile(r"[\t|]")
_NON_SPACE = re.compile(r"\S")  # \s is str.isspace(): text[a:b].strip() without the copy
_RULE_ROW = re.compile(r"[\s|:：\-—=+]*")
_DIGITS5 = re.compile(r"[0-9０-９]{5}")

#: Words that make a cell a column header.
HEADER_WORDS = (
    "姓名", "名字", "户主", "申请人", "联系人", "负责人", "当事人", "驾驶人", "收款人", "户名",
    "身份证", "证件号", "住址", "地址", "住所", "户籍", "电话", "手机", "联系方式", "卡号",
    "账号", "帐号", "开户", "银行", "车牌", "号牌", "邮箱", "序号", "性别", "金额", "人口",
    "救助", "年龄", "备注", "单位", "名称", "农户", "位置",
)


class Cell(NamedTuple):
    """A cell's span (spaces stripped) and the header of its column."""

    start: int
    end: int
    header: str


def _cell(fields: tuple[int, int, str]) -> Cell:
    return tuple.__new__(Cell, fields)


def _cells_under(text: str, start: int, end: int, heads: list[str]) -> list[Cell]:
    """The non-empty cells of the row text[start:end] under a useful header."""
    row = text[start:end]
    if "|" in row or " " in row or "\u3000" in row or "\r" in row:  # spaces to strip
        cells = _split_row(text, start, end)
        return [_cell((a, b, head)) for (a, b), head in zip(cells, heads, strict=False) if head and a != b]
    out: list[Cell] = []
    pos = start  # cells joined by bare tabs, as _split_row reads them
    for part, head in zip(row.split("\t"), heads, strict=False):
        if head and part:
            out.append(_cell((pos, pos + len(part), head)))
        pos += len(part) + 1
    return out


def _split_row(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cell spans (stripped of spaces) of the row text[start:end]."""
    row = text[start:end]
    spans: list[tuple[int, int]] = []
    if "|" not in row:
        # cells joined by tabs (the spaces _SEP takes around a tab are the
        # ones stripping takes off the cells)
        pos = start
        parts = row.split("\t")
        for part in parts:
            a, b = pos, pos + len(part)
            if part and (part[0] in " \u3000" or part[-1] in " \u3000\r"):
                inner = part.lstrip(" \u3000")
                if inner or pos != start or len(parts) == 1:
                    a = b - len(inner)
                    b = a + len(inner.rstrip(" \u3000\r"))
                else:  # only spaces before the first tab: _SEP takes them all
                    b = a
            spans.append((a, b))
            pos += len(part) + 1
        return spans
    pos = start
    for m in _SEP.finditer(text, start, end):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    # a Markdown row "| a | b |" has empty cells at both ends
    if spans and spans[0][0] == spans[0][1] and row.lstrip(" \u3000").startswith("|"):
        spans.pop(0)
    if spans and spans[-1][0] == spans[-1][1] and row.rstrip(" \u3000\r").endswith("|"):
        spans.pop()
    out = []
    for a, b in spans:
        while a < b and text[a] in " \u3000":
            a += 1
        while b > a and text[b - 1] in " \u3000\r":
            b -= 1
        out.append((a, b))
    return out


_HEADER_RE = re.compile(scan_pattern(HEADER_WORDS))
#: Header words of the columns some detector reads (names, addresses, cards, phones).
USEFUL_HEADERS = (
    "姓名", "名字", "户主", "申请人", "联系人", "负责人", "当事人", "驾驶", "收款人", "户名", "救助对象",
    "死者", "伤者", "法定代表人", "持卡人", "领取人", "承办人", "经办人", "住址", "地址", "住所", "户籍",
    "居住地", "所在地", "坐落", "电话", "手机", "联系方式", "卡号", "账号", "帐号", "开户", "银行", "账户", "传真",
    "农户", "业主", "车主", "所有人", "位置", "身份证", "证件号", "公民身份",
)
_USEFUL_RE = re.compile(scan_pattern(USEFUL_HEADERS))


def _is_header(text: str, cells: list[tuple[int, int]]) -> bool:
    hits = 0
    for a, b in cells:
        if b - a > 14 or _DIGITS5.search(text, a, b):
            return False
        if _HEADER_RE.search(text, a, b):
            hits += 1
    return hits >= 2 or (hits == 1 and len(cells) <= 3)


#: Labels of a key–value form whose value sits in the next cell.
FORM_KEYS = frozenset(
    "姓名 名字 申请人 申请人姓名 联系人 负责人 法定代表人 户主 户主姓名 当事人 驾驶人 "
    "身份证号 身份证号码 公民身份号码 证件号码 住址 家庭住址 地址 联系地址 通讯地址 住所 "
    "联系电话 电话 手机 手机号码 办公电话 传真 电子邮箱 邮箱 银行卡号 卡号 账号 开户行 "
    "车牌号 车牌号码 号牌号码 房屋坐落 坐落".split()
)


_FORM_KEY_MAX = max(map(len, FORM_KEYS))
_FORM_KEY_RE = re.compile(scan_pattern(FORM_KEYS))

_useful_cache: dict[str, bool] = {}


def _useful(head: str) -> bool:
    ok = _useful_cache.get(head)
    if ok is None:
        ok = _useful_cache[head] = _USEFUL_RE.search(head) is not None or head.endswith("人")
        if len(_useful_cache) > 4096:
            _useful_cache.clear()
    return ok


_USEFUL_KEYS = frozenset(k for k in FORM_KEYS if _useful(k))


def table_cells(text: str) -> list[Cell]:
    """The cells of table-like rows whose column header some detector reads.

    Only cells under a useful header (姓名, 身份证号, 住址, 电话, 卡号 …) or
    after a form key are returned; the rest of a table is never split up.
    """
    if _HAS_SEP.search(text) is None:
        return []
    out: list[Cell] = []
    header: list[str] = []
    heads: list[str] = []  # header[i] where some detector reads the column, else ""
    last_row_end = -2
    pos = 0
    n = len(text)
    while True:
        m = _HAS_SEP.search(text, pos)
        if m is None:
            break
        ls = text.rfind("\n", 0, m.start()) + 1
        le = text.find("\n", m.start())
        if le < 0:
            le = n
        pos = le + 1
        # rows of one table: only blank lines between them
        if last_row_end < 0 or _NON_SPACE.search(text, last_row_end, ls):
            header = heads = []
        last_row_end = le
        if _RULE_ROW.fullmatch(text, ls, le):
            continue
        if not header and _USEFUL_RE.search(text, ls, le) is None:
            continue  # a row no detector needs to read cell by cell
        # a header row holds header words and no long numbers (neither crosses a separator)
        may_be_header = _DIGITS5.search(text, ls, le) is None and _HEADER_RE.search(text, ls, le) is not None
        # a cell after a form key ("姓名\t张三") takes the key as its header
        keys = _FORM_KEY_RE.search(text, ls, le) is not None
        if not may_be_header and not keys:  # the common case: a data row under its header
            if any(heads):
                out += _cells_under(text, ls, le, heads)
            continue
        cells = _split_row(text, ls, le)
        is_header = may_be_header and _is_header(text, cells)
        if is_header:
            header = [text[a:b] for a, b in cells] if _USEFUL_RE.search(text, ls, le) else []
            heads = [h if h and _useful(h) else "" for h in header]
        if not keys:
            if not is_header:  # the common case: a data row under its header
                out += [_cell((a, b, head)) for (a, b), head in zip(cells, heads, strict=False) if head and a != b]
            if pos > n:
                break
            continue
        columns = 0 if is_header else len(heads)
        pa = pb = 0  # the previous cell
        for i, (a, b) in enumerate(cells):
            if a != b:
                head = heads[i] if i < columns else ""
                # a key is short, or ends in a colon
                if keys and i > 0 and (pb - pa <= _FORM_KEY_MAX or text[pb - 1] in ":："):
                    key = text[pa:pb].rstrip(":：")
                    if key in FORM_KEYS:
                        head = key if key in _USEFUL_KEYS else ""
                if head:
                    out.append(_cell((a, b, head)))
            pa, pb = a, b
        if pos > n:
            break
    return out
