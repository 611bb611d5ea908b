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

from ._regex import trie_pattern

_SEP = re.compile(r"[ \u3000]*(?:\t|\|)[ \u3000]*")
_HAS_SEP = re.compile(r"[\t|]")
_RULE_ROW = re.compile(r"[\s|:：\-—=+]*")
_DIGITS5 = re.compile(r"[0-9０-９]{5}")

#: Words that make a cell a column header.
HEADER_WORDS = (
    "姓名", "名字", "户主", "申请人", "联系人", "负责人", "当事人", "驾驶人", "收款人", "户名",
    "身份证", "证件号", "住址", "地址", "住所", "户籍", "电话", "手机", "联系方式", "卡号",
    "账号", "帐号", "开户", "银行", "车牌", "号牌", "邮箱", "序号", "性别", "金额", "人口",
    "救助", "年龄", "备注", "单位", "名称",
)


class Cell(NamedTuple):
    """A cell's span (spaces stripped) and the header of its column."""

    start: int
    end: int
    header: str


def _split_row(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cell spans (stripped of spaces) of the row text[start:end]."""
    row = text[start:end]
    spans: list[tuple[int, int]] = []
    if "|" not in row and " " not in row and "\u3000" not in row and "\r" not in row:
        pos = start  # the common case: cells joined by bare tabs
        for part in row.split("\t"):
            spans.append((pos, pos + len(part)))
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


_HEADER_RE = re.compile(trie_pattern(HEADER_WORDS))
#: Header words of the columns some detector reads (names, addresses, cards, phones).
USEFUL_HEADERS = (
    "姓名", "名字", "户主", "申请人", "联系人", "负责人", "当事人", "驾驶", "收款人", "户名", "救助对象",
    "死者", "伤者", "法定代表人", "持卡人", "领取人", "承办人", "经办人", "住址", "地址", "住所", "户籍",
    "居住地", "所在地", "坐落", "电话", "手机", "联系方式", "卡号", "账号", "帐号", "开户", "银行", "账户", "传真",
)
_USEFUL_RE = re.compile(trie_pattern(USEFUL_HEADERS))


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


_useful_cache: dict[str, bool] = {}


def _useful(head: str) -> bool:
    ok = _useful_cache.get(head)
    if ok is None:
        ok = _useful_cache[head] = _USEFUL_RE.search(head) is not None or head.endswith("人")
        if len(_useful_cache) > 4096:
            _useful_cache.clear()
    return ok


def table_cells(text: str) -> list[Cell]:
    """The cells of table-like rows whose column header some detector reads.

    Only cells under a useful header (姓名, 身份证号, 住址, 电话, 卡号 …) or
    after a form key are returned; the rest of a table is never split up.
    """
    if _HAS_SEP.search(text) is None:
        return []
    out: list[Cell] = []
    header: list[str] = []
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
        if last_row_end < 0 or text[last_row_end:ls].strip():
            header = []
        last_row_end = le
        if _RULE_ROW.fullmatch(text, ls, le):
            continue
        if not header and _USEFUL_RE.search(text, ls, le) is None:
            continue  # a row no detector needs to read cell by cell
        cells = _split_row(text, ls, le)
        is_header = _is_header(text, cells)
        if is_header:
            header = [text[a:b] for a, b in cells] if _USEFUL_RE.search(text, ls, le) else []
        for i, (a, b) in enumerate(cells):
            if a == b:
                continue
            head = "" if is_header else header[i] if i < len(header) else ""
            if i > 0:
                key = text[cells[i - 1][0]:cells[i - 1][1]].rstrip(":：")
                if key in FORM_KEYS:
                    head = key
            if head and _useful(head):
                out.append(Cell(a, b, head))
        if pos > n:
            break
    return out
