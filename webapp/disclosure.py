"""Disclosure attributes (公开属性) and the legal grounds for not disclosing.

Pure data, no Flask: the vocabulary that drafting, review, the .docx generator
and the portal all share.  Sources: seeds 000 §四(一)5 and the 2019
《中华人民共和国政府信息公开条例》 Articles 14–16.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Disclosure(StrEnum):
    """The three disclosure attributes a document must carry (R1)."""

    PUBLIC = "public"  # 主动公开
    ON_REQUEST = "on_request"  # 依申请公开
    NOT_PUBLIC = "not_public"  # 不予公开

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def annotation(self) -> str:
        """The line printed under the 成文日期 (R6), full-width parentheses."""
        return _ANNOTATIONS[self]

    @property
    def needs_justification(self) -> bool:
        """R2: anything other than 主动公开 needs a reason and a legal basis."""
        return self is not Disclosure.PUBLIC


_LABELS = {
    Disclosure.PUBLIC: "主动公开",
    Disclosure.ON_REQUEST: "依申请公开",
    Disclosure.NOT_PUBLIC: "不予公开",
}

_ANNOTATIONS = {
    Disclosure.PUBLIC: "（此件公开发布）",
    Disclosure.ON_REQUEST: "（此件依申请公开）",
    Disclosure.NOT_PUBLIC: "（此件不公开）",
}

DISCLOSURE_CHOICES = [(d.value, d.label) for d in Disclosure]


@dataclass(frozen=True)
class LegalBasis:
    code: str
    title: str
    text: str


# The grounds of the 2019 条例 a drafter may cite (R2).  The admin-managed list
# in the database is seeded from this table.
LEGAL_BASES: tuple[LegalBasis, ...] = (
    LegalBasis(
        "art14",
        "《政府信息公开条例》第十四条",
        "依法确定为国家秘密的政府信息，法律、行政法规禁止公开的政府信息，以及公开后"
        "可能危及国家安全、公共安全、经济安全、社会稳定的政府信息，不予公开。",
    ),
    LegalBasis(
        "art15",
        "《政府信息公开条例》第十五条",
        "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，行政机关"
        "不得公开。但是，第三方同意公开或者行政机关认为不公开会对公共利益造成重大影响"
        "的，予以公开。",
    ),
    LegalBasis(
        "art16",
        "《政府信息公开条例》第十六条",
        "行政机关的内部事务信息，包括人事管理、后勤管理、内部工作流程等方面的信息，"
        "可以不予公开。行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商"
        "信函、请示报告等过程性信息以及行政执法案卷信息，可以不予公开。",
    ),
    LegalBasis(
        "other_law",
        "其他法律、行政法规的规定",
        "法律、行政法规对信息公开另有规定的，从其规定（请在理由中写明所依据的法律条文）。",
    ),
)

LEGAL_BASIS_BY_CODE = {b.code: b for b in LEGAL_BASES}
