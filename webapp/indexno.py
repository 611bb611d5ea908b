"""索引号: {统一社会信用代码}/{年份}-{五位流水号}, and the GB 32100-2015 check character
of the 18-character 统一社会信用代码 (../shared/REFERENCE.md §1).  Pure."""

from __future__ import annotations

import re

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
SERIAL_WIDTH = 5
_INDEX_RE = re.compile(r"^([0-9A-Z]{18})/(\d{4})-(\d{5,})$")


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """None when ``code`` is a valid 统一社会信用代码; otherwise what is wrong, in Chinese."""
    code = code.strip().upper()
    if len(code) != 18:
        return f"统一社会信用代码应为18位，现为{len(code)}位。"
    bad = sorted({c for c in code if c not in USCC_CHARSET})
    if bad:
        return f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（不使用 I、O、Z、S、V）。"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位不符：第18位应为 {expected}，请核对。"
    return None


def format_index_number(uscc: str, year: int, serial: int) -> str:
    return f"{uscc}/{year}-{serial:0{SERIAL_WIDTH}d}"


def parse_index_number(value: str) -> tuple[str, int, int] | None:
    m = _INDEX_RE.match(value)
    return (m.group(1), int(m.group(2)), int(m.group(3))) if m else None
