"""Structured kinds: ID numbers, phones, bank cards, e-mail addresses, plates.

All matching runs on the normalised copy (see normalise.py), where full-width
digits are ASCII, so ``[0-9]`` is enough and offsets are those of the original.
Numbers are anchored with ASCII look-arounds, never ``\\b``: between 号 and a
digit ``\\b`` does not fire, because Chinese characters are ``\\w``.

A run of digits (groups joined by single spaces or hyphens) is found once and
then read group by group: "0371-65901234-801", "138 1234 5678",
"6222 0212 3456 7890 123", "410105198503121234".  Dates, amounts and 文号 fall
through because no rule accepts their shape.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from .. import clock
from .checksums import id18_shape, id_check_char, is_resident_id15, is_resident_id18, is_uscc, luhn_ok
from .finding import Finding, make_finding
from .normalize import ascii_digits

#: A digit run: first digit not preceded by an ASCII letter or digit (the
#: look-behind sits after the first character so that the regex engine can
#: skip ahead to digits), groups joined by one separator, an optional X.
#: The look-ahead drops runs shorter than 7 characters (years, dates, 文号)
#: before Python sees them.
_RUN = re.compile(
    r"[0-9](?<![0-9A-Za-z][0-9])(?=[0-9 \-—–]{6})[0-9]*(?:[ \-—–][0-9]+)*[Xx]?(?![0-9A-Za-z])"
)
_GROUP = re.compile(r"[0-9]+[Xx]?")
_PAREN_LANDLINE = re.compile(
    r"[(（](0(?:10|2[0-9]|[3-9][0-9]{2}))[)）] ?([2-9][0-9]{6,7})"
    r"(?:(?:-|转|—)[0-9]{1,5})?(?![0-9A-Za-z])"
)
_AREA = re.compile(r"0(?:10|2[0-9]|[3-9][0-9]{2})")
_LOCAL = re.compile(r"[2-9][0-9]{6,7}")
_LOCAL_AFTER_AREA = re.compile(r"[1-9][0-9]{6,7}")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")

_PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE_DOTS = "·•・･. "
_PLATE = re.compile(
    "[" + _PLATE_PROVINCES + "][A-HJ-NP-Z][" + PLATE_DOTS + "]?"
    r"(?:[DF][A-HJ-NP-Z0-9][0-9]{4}|[0-9]{5}[DF]|[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警])"
    r"(?![0-9A-Za-z])"
)
_EMAIL_LOCAL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,64}\Z")
_EMAIL_DOMAIN = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,12}(?![A-Za-z0-9\-])"
)
_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")

#: Issuer prefixes of cards sold in China (UnionPay 62/60, Visa 4, Mastercard 5,
#: JCB 35, Amex 37, old domestic debit cards 9); corporate account numbers
#: (1702…, 3602…, 4100…) start otherwise.
CARD_PREFIXES = ("62", "60", "4", "5", "35", "37", "9")
BANK_CUES = ("卡号", "银行", "账号", "帐号", "开户", "账户", "帐户", "储蓄卡", "信用卡", "社保卡", "收款")
PHONE_CUES = ("电话", "传真", "座机", "联系方式", "tel", "Tel", "TEL", "手机", "热线", "分机")
_USCC_CUES = ("信用代码", "USCC", "注册号", "税号", "纳税人识别号")
#: Words that put a number in an ID's position (a 身份证号 column, "身份证号：…").
ID_CUES = ("身份证", "身份号码", "公民身份", "证件号")

HeaderAt = Callable[[int], str]


def ascii_digits_upper(s: str) -> str:
    return ascii_digits(s).upper()


def _no_header(_pos: int) -> str:
    return ""


def _before(norm: str, pos: int, width: int) -> str:
    """Up to ``width`` characters before pos on the same line."""
    a = max(0, pos - width)
    nl = norm.rfind("\n", a, pos)
    return norm[nl + 1 if nl >= 0 else a:pos]


def _has(window: str, cues: tuple[str, ...]) -> str | None:
    for cue in cues:
        if cue in window:
            return cue
    return None


class _Reader:
    """Reads the groups of one digit run into findings."""

    def __init__(self, norm: str, header_at: HeaderAt) -> None:
        self.norm = norm
        self.header_at = header_at
        self.today = clock.agency_today()  # asked once per text: birth dates up to the agency's today

    def id_position(self, pos: int) -> bool:
        """Does the number at pos stand where an ID number goes (its column, or after 身份证号)?"""
        return _has(_before(self.norm, pos, 12), ID_CUES) is not None or _has(self.header_at(pos), ID_CUES) is not None

    def bank_cue(self, pos: int) -> str | None:
        return _has(_before(self.norm, pos, 40), BANK_CUES) or _has(self.header_at(pos), BANK_CUES)

    def phone_cue(self, pos: int) -> str | None:
        return _has(_before(self.norm, pos, 12), PHONE_CUES) or _has(self.header_at(pos), PHONE_CUES)

    def single(self, a: int, b: int, s: str | None = None) -> Finding | None:
        """The finding for the one group norm[a:b] (``s``, when the caller has it)."""
        if s is None:
            s = self.norm[a:b]
        n = len(s)
        if n == 18 and is_resident_id18(s, self.today):
            if _has(_before(self.norm, a, 30), _USCC_CUES) and is_uscc(s):
                return None
            return make_finding("id_card", a, b, s, 0.99, "校验位正确的身份证号")
        if n == 18 and id18_shape(s) and self.id_position(a):
            # a number where an ID goes is personal data even when it fails the check
            if id_check_char(ascii_digits_upper(s)[:17]) != ascii_digits_upper(s)[17]:
                return make_finding("id_card", a, b, s, 0.8, "身份证号位置上的号码，校验位不符")
            return make_finding("id_card", a, b, s, 0.8, "身份证号位置上的号码，地区码或出生日期不符")
        if not s.isdigit():
            return None
        if n == 15 and is_resident_id15(s, self.today):
            return make_finding("id_card", a, b, s, 0.85, "15位旧版身份证号，出生日期合理")
        if n == 15 and self.id_position(a):
            return make_finding("id_card", a, b, s, 0.75, "身份证号位置上的15位号码，地区码或出生日期不符")
        if 16 <= n <= 19 and s.startswith(CARD_PREFIXES) and luhn_ok(s):
            cue = self.bank_cue(a)
            if cue:
                return make_finding("bank_card", a, b, s, 0.95, f"Luhn校验通过的卡号，context cue {cue}")
            if s.startswith("62") and n in (16, 19):
                return make_finding("bank_card", a, b, s, 0.7, "Luhn校验通过的银联卡号（62开头）")
            return None
        if n == 11 and _MOBILE.fullmatch(s):
            return make_finding("mobile", a, b, s, 0.95, "手机号码")
        if n in (11, 12) and s[0] == "0":
            for k in (3, 4):
                if _AREA.fullmatch(s, 0, k) and _LOCAL.fullmatch(s, k):
                    return make_finding("landline", a, b, s, 0.8, "带区号的固定电话（无分隔符）")
        if n in (7, 8) and _LOCAL.fullmatch(s):
            cue = self.phone_cue(a)
            if cue:
                return make_finding("landline", a, b, s, 0.75, f"固定电话，context cue {cue}")
        return None

    def multi(self, groups: list[tuple[int, int]], i: int) -> tuple[Finding | None, int]:
        """Try the longest shape that starts at group i; return the finding and groups used."""
        norm = self.norm
        lens = [b - a for a, b in groups[i : i + 5]]
        if lens[0] not in (3, 4, 7, 8):
            # every shape below starts with 3 (138 …, 020-…), 4 (6222 …, 0371-…)
            # or 7-8 characters (65901234-801)
            return self.single(*groups[i]), 1
        seps = [norm[groups[j][1]:groups[j + 1][0]] for j in range(i, min(i + 4, len(groups) - 1))]
        a0 = groups[i][0]
        # bank card written in fours: 6222 0212 3456 7890 (123)
        for k in (5, 4):
            if len(lens) >= k and lens[:4] == [4, 4, 4, 4] and (k == 4 or 1 <= lens[4] <= 3):
                if len(set(seps[: k - 1])) == 1:
                    b = groups[i + k - 1][1]
                    digits = "".join(norm[x:y] for x, y in groups[i : i + k])
                    if digits.isdigit() and digits.startswith(CARD_PREFIXES) and luhn_ok(digits):
                        cue = self.bank_cue(a0)
                        reason = f"Luhn校验通过的卡号，context cue {cue}" if cue else "每4位分隔、Luhn校验通过的卡号"
                        return make_finding("bank_card", a0, b, norm[a0:b], 0.95 if cue else 0.75, reason), k
        # mobile 138 1234 5678 / 138-1234-5678
        if len(lens) >= 3 and lens[:3] == [3, 4, 4] and seps[0] == seps[1]:
            b = groups[i + 2][1]
            digits = norm[a0:b].replace(seps[0], "")
            if _MOBILE.fullmatch(digits):
                return make_finding("mobile", a0, b, norm[a0:b], 0.95, "分段书写的手机号码"), 3
        # landline 0371-65901234(-801)
        if len(lens) >= 2 and seps[0] != "" and _AREA.fullmatch(norm, *groups[i]) and _LOCAL_AFTER_AREA.fullmatch(norm, *groups[i + 1]):
            k = 2
            if len(lens) >= 3 and seps[1] in "-—–" and 1 <= lens[2] <= 5 and norm[groups[i + 2][1] - 1].isdigit():
                k = 3
            b = groups[i + k - 1][1]
            return make_finding("landline", a0, b, norm[a0:b], 0.9, "带区号的固定电话"), k
        # local number with extension, 65901234-801, after a phone cue
        if len(lens) >= 2 and seps[0] == "-" and _LOCAL.fullmatch(norm, *groups[i]) and 1 <= lens[1] <= 5:
            cue = self.phone_cue(a0)
            if cue:
                b = groups[i + 1][1]
                return make_finding("landline", a0, b, norm[a0:b], 0.75, f"固定电话，context cue {cue}"), 2
        return self.single(*groups[i]), 1


def _url_spans(norm: str) -> list[tuple[int, int]]:
    """Spans of _URL.finditer(norm), found by str.find (much faster than a regex scan)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    h = norm.find("http")
    w = norm.find("www.")
    while h >= 0 or w >= 0:
        p = w if h < 0 or 0 <= w < h else h
        m = _URL.match(norm, p)
        pos = p + 1 if m is None else m.end()
        if m is not None:
            spans.append(m.span())
        if 0 <= h < pos:
            h = norm.find("http", pos)
        if 0 <= w < pos:
            w = norm.find("www.", pos)
    return spans


def _inside(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    """Is a..b inside one of the sorted, disjoint spans?"""
    i = bisect.bisect_right(spans, (a, len(spans) and 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= a and b <= spans[i][1]


def find_numbers(norm: str, header_at: HeaderAt = _no_header) -> list[Finding]:
    """ID numbers, mobiles, landlines and bank cards in the normalised text."""
    reader = _Reader(norm, header_at)
    single = reader.single
    urls = _url_spans(norm)
    u, n_urls = 0, len(urls)  # urls[u]: the first URL that ends after the run
    out: list[Finding] = []
    for m in _RUN.finditer(norm):
        run = m.group()
        n = len(run)
        if n < 7:
            continue
        a = m.start()
        b = a + n
        if n <= 19 and run.isdigit():  # the common case: one group
            found = single(a, b, run)
            if found is not None:
                while u < n_urls and urls[u][1] <= a:
                    u += 1
                if not (u < n_urls and urls[u][0] <= a and b <= urls[u][1]):  # not inside a URL
                    out.append(found)
            continue
        groups = [g.span() for g in _GROUP.finditer(norm, a, b)]
        if len(groups) > 1:
            lens = [y - x for x, y in groups]
            if max(lens) < 7 and lens.count(4) < 2:
                # every shape needs a group of 7+ characters, or 138 1234 5678 /
                # 6222 0212 3456 7890: dates, 文号 and amounts stop here
                continue
        i = 0
        while i < len(groups):
            if len(groups) == 1:
                found, used = reader.single(*groups[0]), 1
            else:
                found, used = reader.multi(groups, i)
            if found is not None and not (urls and _inside(urls, found.start, found.end)):
                out.append(found)
            i += used
    for m in _paren_landlines(norm):
        if not (urls and _inside(urls, *m.span())):
            out.append(make_finding("landline", m.start(), m.end(), m.group(), 0.9, "带区号（括号）的固定电话"))
    return out


def _paren_landlines(norm: str) -> list[re.Match[str]]:
    """The matches of _PAREN_LANDLINE.finditer(norm), tried only where "(0" or "（0" stands."""
    starts = [p for opening in ("(0", "（0") for p in _find_all(norm, opening)]
    if len(starts) > 1:
        starts.sort()
    out: list[re.Match[str]] = []
    end = 0
    for p in starts:
        if p >= end:
            m = _PAREN_LANDLINE.match(norm, p)
            if m is not None:
                out.append(m)
                end = m.end()
    return out


def _find_all(text: str, word: str) -> list[int]:
    """Every offset where ``word`` occurs (str.find is far faster than a regex scan)."""
    out: list[int] = []
    p = text.find(word)
    while p >= 0:
        out.append(p)
        p = text.find(word, p + 1)
    return out


def find_emails(norm: str) -> list[Finding]:
    """ASCII e-mail addresses; the local part never takes Chinese text before it."""
    out: list[Finding] = []
    p = norm.find("@")
    while p >= 0:
        lm = _EMAIL_LOCAL.search(norm, max(0, p - 64), p)
        dm = _EMAIL_DOMAIN.match(norm, p + 1)
        if lm is not None and dm is not None:
            a = lm.start()
            while a < p and norm[a] in "._%+-":
                a += 1
            if a == p:
                p = norm.find("@", p + 1)
                continue
            out.append(make_finding("email", a, dm.end(), norm[a : dm.end()], 0.95, "电子邮箱地址"))
            p = norm.find("@", dm.end())
        else:
            p = norm.find("@", p + 1)
    return out


def find_plates(norm: str) -> list[Finding]:
    """Motor vehicle plates, new-energy ones included; 豫A·D1234-style dots allowed."""
    out: list[Finding] = []
    for m in _PLATE.finditer(norm):
        tail = m.group()[2:].lstrip(PLATE_DOTS)
        new_energy = len(tail) == 6
        if not new_energy and sum(c.isalpha() and c.isascii() for c in tail) > 2:
            continue
        if not any(c.isdigit() for c in tail):
            continue
        reason = "新能源机动车号牌" if new_energy else "机动车号牌"
        out.append(make_finding("license_plate", m.start(), m.end(), m.group(), 0.9, reason))
    return out
