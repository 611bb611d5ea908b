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
    trie: dict = {}
    for w in words:
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _render(trie)


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
