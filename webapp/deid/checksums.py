"""Check digits: GB 11643 (resident ID), Luhn (bank cards), GB 32100 (USCC)."""

from __future__ import annotations

import datetime as _dt
import operator

from .. import clock
from .normalize import ascii_digits

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

#: First two digits of a resident ID: the province-level region (GB/T 2260).
ID_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)


def id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17:
        raise ValueError("17 digits expected")
    if first17.isdecimal():
        # the weights are 2**(17-i) mod 11, and 13 = 2 (mod 11): the weighted
        # sum is 2 * (the digits read in base 13), modulo 11; int() does that in C
        return _ID_CHECK[2 * int(first17, 13) % 11]
    total = sum(map(operator.mul, map(int, first17), _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def plausible_birth_date(year: int, month: int, day: int, today: _dt.date | None = None) -> bool:
    """A real calendar date between 1900-01-01 and today.

    ``today`` is the agency's date (Asia/Shanghai, webapp/clock.py), asked
    for when not given: never the server's own zone, so an ID of someone born
    "today" in Beijing is plausible at 17:00 UTC too.  The engine asks the
    clock once per text and passes it in.
    """
    if year < 1900:
        return False
    try:
        born = _dt.date(year, month, day)
    except ValueError:
        return False
    return born <= (today if today is not None else clock.agency_today())


def id18_shape(value: str) -> bool:
    """17 digits and a digit or X: the shape of a resident ID, whatever its check digit."""
    s = ascii_digits(value).upper()
    return len(s) == 18 and s[:17].isascii() and s[:17].isdigit() and (s[17].isdigit() or s[17] == "X")


def is_resident_id18(value: str, today: _dt.date | None = None) -> bool:
    """18 characters, known province, plausible birth date, correct check digit."""
    s = ascii_digits(value).upper()
    body = s[:17]
    if len(s) != 18 or not body.isascii() or not body.isdigit():
        return False
    if s[:2] not in ID_PROVINCES:
        return False
    if id_check_char(body) != s[17]:
        return False
    return plausible_birth_date(int(s[6:10]), int(s[10:12]), int(s[12:14]), today)


def is_resident_id15(value: str, today: _dt.date | None = None) -> bool:
    """The 15-digit form used before 1999: region, YYMMDD (19YY), sequence."""
    s = ascii_digits(value)
    if len(s) != 15 or not s.isascii() or not s.isdigit():
        return False
    if s[:2] not in ID_PROVINCES:
        return False
    return plausible_birth_date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12]), today)


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check used by bank card numbers."""
    s = ascii_digits(digits)
    if not s.isascii() or not s.isdigit():
        return False
    rev = s[::-1]
    # every second digit from the right doubled, as the digit sum of its double
    summands = rev[::2] + rev[1::2].translate(_LUHN_DOUBLE)
    return (sum(summands.encode()) - 48 * len(summands)) % 10 == 0


_LUHN_DOUBLE = str.maketrans("0123456789", "0246813579")
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def is_uscc(value: str) -> bool:
    """统一社会信用代码 (GB 32100-2015): 18 characters with a mod-31 check character."""
    s = ascii_digits(value).upper()
    if len(s) != 18 or any(c not in _USCC_CHARS for c in s):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(s[:17], _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31] == s[17]
