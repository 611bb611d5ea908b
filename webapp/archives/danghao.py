"""DA/T 22-2015 《归档文件整理规则》: the 档号 of one filed item (件).

档号 = 全宗号-档案门类代码·年度-保管期限代码-机构（问题）代码-件号, 件号 four digits
(e.g. ``Z109-WS·2026-Y-BGS-0001``).  The 归档章 carries 全宗号, 年度, 保管期限, 件号 (+机构).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# 保管期限 and its code (DA/T 22-2015 §6.1.3): 永久 Y, 定期30年 D30, 定期10年 D10.
RETENTIONS: dict[str, str] = {"Y": "永久", "D30": "定期30年", "D10": "定期10年"}
CATEGORY_WS = "WS"  # 文书档案

_FONDS = re.compile(r"[0-9A-Z]{1,10}")
_ORG = re.compile(r"[0-9A-Z]{1,10}")


class ArchiveCodeError(ValueError):
    """A part of the 档号 that DA/T 22 does not allow (message in Chinese)."""


@dataclass(frozen=True)
class ArchiveCode:
    fonds: str  # 全宗号
    year: int  # 年度 (the year the document was written)
    retention: str  # 保管期限代码: Y / D30 / D10
    org: str  # 机构（问题）代码
    item: int  # 件号
    category: str = CATEGORY_WS

    def __str__(self) -> str:
        return format_archive_code(self.fonds, self.year, self.retention, self.org, self.item, self.category)

    @property
    def retention_label(self) -> str:
        return RETENTIONS[self.retention]

    @property
    def item_label(self) -> str:
        return f"{self.item:04d}"


def check_parts(fonds: str, retention: str, org: str) -> list[str]:
    """Why these parts cannot make a 档号 (empty when they can)."""
    problems = []
    if not _FONDS.fullmatch(fonds or ""):
        problems.append("全宗号应为 1–10 位大写字母或数字（如 Z109）。")
    if retention not in RETENTIONS:
        problems.append("保管期限应为永久（Y）、定期30年（D30）或定期10年（D10）。")
    if not _ORG.fullmatch(org or ""):
        problems.append("机构（问题）代码应为 1–10 位大写字母或数字（如 BGS）。")
    return problems


def format_archive_code(fonds: str, year: int, retention: str, org: str, item: int,
                        category: str = CATEGORY_WS) -> str:
    problems = check_parts(fonds, retention, org)
    if not 1000 <= year <= 9999:
        problems.append("年度应为四位数字。")
    if not 1 <= item <= 9999:
        problems.append("件号应在 0001–9999 之间。")
    if problems:
        raise ArchiveCodeError("".join(problems))
    return f"{fonds}-{category}·{year}-{retention}-{org}-{item:04d}"
