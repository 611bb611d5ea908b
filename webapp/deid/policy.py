"""The masking policy: one table, one place.

Each kind has its Chinese label (for the UI) and the rule that masks a value
of that kind, following Chinese public-release practice (and hutool's
DesensitizedUtil, the common reference):

=============  ==========  ==================================================
kind           label       masked as
=============  ==========  ==================================================
id_card        身份证号     first 6 and last 4 kept: 410105********1234
mobile         手机号码     first 3 and last 4 kept: 138****5678
landline       固定电话     area code and last 2 kept: 0371-******34
bank_card      银行卡号     first 6 and last 4 kept: 622202*********0123
email          电子邮箱     first character and domain: z***@example.com
person_name    姓名        surname + 某; two people of one surname 王某甲/王某乙
address        住址        kept down to the county/district: 河南省郑州市金水区****
license_plate  车牌号       province character kept: 豫*·*****
=============  ==========  ==================================================

Masked values use ``*`` and 某, which no detector reads as personal data, so
masking a masked text changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .addresses import region_end
from .finding import KINDS, Finding
from .names import surname_of
from .normalize import normalise

STAR = "*"
#: 天干, the order aliases take when several people share a surname.
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"


def _keep(head: int, tail: int) -> Callable[[str], str]:
    """Keep ``head`` leading and ``tail`` trailing digits; separators stay."""

    def rule(value: str) -> str:
        positions = [i for i, c in enumerate(value) if c.isalnum()]
        masked = set(positions[head : len(positions) - tail] if tail else positions[head:])
        return "".join(STAR if i in masked else c for i, c in enumerate(value))

    return rule


_AREA = re.compile(r"[(（]?0(?:10|2[0-9]|[3-9][0-9]{2})[)）]?(?=[ \-—–]?[1-9][0-9]{6})")


def _landline(value: str) -> str:
    m = _AREA.match(normalise(value))
    head = m.end() if m else 0
    body = _keep(0, 2)(value[head:])
    return value[:head] + body


def _email(value: str) -> str:
    at = value.rfind("@")
    if at <= 0:
        return STAR * len(value)
    return value[0] + STAR * 3 + value[at:]


def _address(value: str) -> str:
    return value[: region_end(normalise(value))] + STAR * 4


def _plate(value: str) -> str:
    return value[0] + "".join(c if c in "·•・･. " else STAR for c in value[1:])


def _name(value: str) -> str:
    return surname_of(value) + "某"


@dataclass(frozen=True, slots=True)
class MaskRule:
    label: str
    keeps: str
    apply: Callable[[str], str]


#: THE policy table.
POLICY: dict[str, MaskRule] = {
    "id_card": MaskRule("身份证号", "前6位和后4位", _keep(6, 4)),
    "mobile": MaskRule("手机号码", "前3位和后4位", _keep(3, 4)),
    "landline": MaskRule("固定电话", "区号和后2位", _landline),
    "bank_card": MaskRule("银行卡号", "前6位和后4位", _keep(6, 4)),
    "email": MaskRule("电子邮箱", "首字符和域名", _email),
    "person_name": MaskRule("姓名", "姓氏（王某、王某甲）", _name),
    "address": MaskRule("住址", "省市县（区）", _address),
    "license_plate": MaskRule("车牌号", "省份简称", _plate),
}
assert tuple(POLICY) == KINDS

KIND_LABELS: dict[str, str] = {kind: rule.label for kind, rule in POLICY.items()}


def mask_value(kind: str, text: str, *, alias: str | None = None) -> str:
    """The masked form of one value of the given kind.

    ``alias`` (王某甲) replaces a person's name when several people share a
    surname; see :func:`name_aliases`.
    """
    if kind not in POLICY:
        raise ValueError(f"unknown kind {kind!r}")
    if kind == "person_name" and alias is not None:
        return alias
    return POLICY[kind].apply(text)


def _ordinal(i: int) -> str:
    return HEAVENLY_STEMS[i] if i < len(HEAVENLY_STEMS) else str(i + 1)


def name_aliases(findings: Iterable[Finding]) -> dict[str, str]:
    """Alias for every distinct name, consistent over the whole list.

    A lone person of a surname is 王某; two or more different people of one
    surname are 王某甲, 王某乙 … 王某癸, then 王某11, 王某12 …, in order of
    first appearance.
    """
    by_surname: dict[str, list[str]] = {}
    for f in sorted(findings, key=lambda f: f.start):
        if f.kind != "person_name":
            continue
        people = by_surname.setdefault(surname_of(f.text), [])
        if f.text not in people:
            people.append(f.text)
    aliases: dict[str, str] = {}
    for surname, people in by_surname.items():
        if len(people) == 1:
            aliases[people[0]] = surname + "某"
        else:
            for i, person in enumerate(people):
                aliases[person] = surname + "某" + _ordinal(i)
    return aliases


def mask(text: str, findings: Sequence[Finding]) -> str:
    """Replace each finding's span of text by its masked form.

    Findings must point into ``text`` (``text[start:end] == finding.text``);
    overlapping findings keep the first.  Person names get aliases computed
    over the whole findings list.
    """
    aliases = name_aliases(findings)
    parts: list[str] = []
    pos = 0
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if f.start < pos:
            continue
        if text[f.start : f.end] != f.text:
            raise ValueError(f"finding {f.kind} {f.start}..{f.end} does not match the text")
        parts.append(text[pos : f.start])
        parts.append(mask_value(f.kind, f.text, alias=aliases.get(f.text)))
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)
