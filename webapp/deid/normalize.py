"""A 1:1 character map from full-width forms to ASCII.

Every detector of numbers, e-mail addresses and plates runs on a normalised
*copy* of the text.  Because each character maps to exactly one character,
offsets in the copy are offsets in the original.
"""

from __future__ import annotations

import re

# Full-width digits, letters and the punctuation that occurs inside numbers
# and e-mail addresses.  Chinese punctuation such as （）：， stays as it is;
# patterns that need it list both forms.
_FULL = "０１２３４５６７８９＠．－＿＋　" + "".join(
    chr(c) for c in range(ord("Ａ"), ord("Ｚ") + 1)
) + "".join(chr(c) for c in range(ord("ａ"), ord("ｚ") + 1))
_HALF = "0123456789@.-_+ " + "".join(
    chr(c) for c in range(ord("A"), ord("Z") + 1)
) + "".join(chr(c) for c in range(ord("a"), ord("z") + 1))

_TABLE = str.maketrans(_FULL, _HALF)
_ANY_FULL = re.compile("[" + re.escape(_FULL) + "]")
_FULL_RUN = re.compile("[" + re.escape(_FULL) + "]+")


def _half(m: re.Match[str]) -> str:
    return m.group().translate(_TABLE)

assert len(_FULL) == len(_HALF)


def normalise(text: str) -> str:
    """Return ``text`` with full-width digits/letters mapped to ASCII, same length."""
    if _ANY_FULL.search(text) is None:  # the common case costs one scan
        return text
    # translate only the full-width runs: str.translate over a whole
    # Chinese text is slower than a regex scan
    return _FULL_RUN.sub(_half, text)


def ascii_digits(s: str) -> str:
    """Map full-width digits and X to ASCII; for check-digit routines."""
    return s if s.isascii() else s.translate(_TABLE)
