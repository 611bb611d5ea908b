"""The document types (文种) a drafter may choose, and which of them need a 主送机关.

Pure data, no Flask.  Source: 《党政机关公文处理工作条例》 (2012) Art. 8 (the 文种) and
Art. 9 (主送机关: "公文的主要受理机关，应当使用机关全称、规范化简称或者同类型机关统称");
GB/T 9704-2012 §7.2.4.  A 通知, 通报, 请示, 报告 or 函 is always addressed to someone; a
纪要 is distributed (分送) rather than addressed; 意见 and 决定 are addressed when they are
sent to particular bodies and may be issued generally (普发) without one; 办法, 规定 and
方案 are normally issued as the attachment of a 印发通知, which carries the 主送.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Recipients(StrEnum):
    REQUIRED = "required"  # refused at submission without a 主送机关
    OPTIONAL = "optional"  # may be addressed or issued generally
    NONE = "none"  # not addressed (a 主送 line, if typed, is still kept)


@dataclass(frozen=True)
class DocType:
    name: str
    recipients: Recipients


DOC_TYPE_TABLE: tuple[DocType, ...] = (
    DocType("通知", Recipients.REQUIRED),
    DocType("意见", Recipients.OPTIONAL),
    DocType("办法", Recipients.OPTIONAL),
    DocType("方案", Recipients.OPTIONAL),
    DocType("规定", Recipients.OPTIONAL),
    DocType("决定", Recipients.OPTIONAL),
    DocType("报告", Recipients.REQUIRED),
    DocType("请示", Recipients.REQUIRED),
    DocType("函", Recipients.REQUIRED),
    DocType("通报", Recipients.REQUIRED),
    DocType("纪要", Recipients.NONE),
)

DOC_TYPES: tuple[str, ...] = tuple(t.name for t in DOC_TYPE_TABLE)
_BY_NAME = {t.name: t for t in DOC_TYPE_TABLE}

# The types whose 主送机关 is required, in table order (the form marks the field for them).
RECIPIENTS_REQUIRED: tuple[str, ...] = tuple(t.name for t in DOC_TYPE_TABLE if t.recipients is Recipients.REQUIRED)


def needs_recipients(doc_type: str) -> bool:
    """True when a document of this type cannot be submitted without its 主送机关."""
    found = _BY_NAME.get(doc_type)
    return found is not None and found.recipients is Recipients.REQUIRED


def recipients_problem(doc_type: str, recipients: str) -> str | None:
    """The Chinese refusal when the 主送机关 is missing for a type that needs it, else None."""
    if needs_recipients(doc_type) and not (recipients or "").strip():
        return f"文种为“{doc_type}”，须填写主送机关（如：各市、县（市、区）应急管理局）。"
    return None
