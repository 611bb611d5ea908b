"""Build fast alternations of literal words.

Python's ``re`` tries the branches of ``a|b|c`` one after another at every
position; a trie-shaped pattern (``郑州|郑|开封`` → ``(?:郑州?|开封)``) lets it
pick the branch by the first character instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def trie_pattern(words: Iterable[str]) -> str:
    """A non-capturing regex matching any of the words, longest match first."""
    return _render(_trie(w for w in words if w))


def _trie(words: Iterable[str]) -> dict:
    """Nested dicts by character; ``""`` marks the end of a word (also of ``""`` itself)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return trie


def _render(node: dict) -> str:
    end = "" in node
    branches = [re.escape(ch) + _render(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end:
        if len(branches) == 1 and len(body) > 1:
            return "(?:" + body + ")?"
        return body + "?" if len(body) == 1 else "(?:" + body + ")?"
    return body


def scan_pattern(words: Iterable[str]) -> str:
    """Like :func:`trie_pattern`, but cheaper to *scan* a long text with.

    ``finditer`` over a trie stops at every character that starts a word and
    enters the trie there, which is slow when those characters are common
    (surnames, 中/大/新 of place names).  This form begins with one character
    class (so ``re`` skips ahead to candidates), rejects most candidates by a
    second character class, and only then picks the branch of the first
    character by a one-character look-behind.  It matches exactly what
    ``trie_pattern(words)`` matches, at the same positions.
    """
    rests: dict[str, set[str]] = {}
    for w in words:
        if w:
            rests.setdefault(w[0], set()).add(w[1:])
    if not rests:
        return "(?!)"
    firsts = "".join(sorted(rests))
    seconds = "".join(sorted({r[0] for rs in rests.values() for r in rs if r}))
    alone = "".join(sorted(c for c, rs in rests.items() if "" in rs))
    if not seconds:  # one-character words only
        return _charset(firsts)
    if alone:
        check = "(?:(?<=" + _charset(alone) + ")|(?=" + _charset(seconds) + "))"
    else:
        check = "(?=" + _charset(seconds) + ")"
    branches = [(c, _render(_trie(rs))) for c, rs in sorted(rests.items())]
    return _charset(firsts) + check + "(?:" + _by_first_char(branches) + ")"


def _by_first_char(branches: list[tuple[str, str]], fan_out: int = 8) -> str:
    """Alternatives picked by the character just matched, ``(?<=c)rest``.

    ``re`` tries alternatives one by one, so many first characters are split
    into a tree: ``(?<=[abc])(?:(?<=a)…|(?<=b)…|(?<=c)…)|(?<=[def])(?:…)``.
    """
    if len(branches) <= fan_out:
        return "|".join("(?<=" + re.escape(c) + ")" + rest for c, rest in branches)
    size = -(-len(branches) // fan_out)
    parts = [branches[i : i + size] for i in range(0, len(branches), size)]
    return "|".join(
        "(?<=" + _charset("".join(c for c, _ in part)) + ")(?:" + _by_first_char(part, fan_out) + ")" for part in parts
    )


def _charset(chars: str) -> str:
    return "[" + "".join(re.escape(c) for c in chars) + "]"
