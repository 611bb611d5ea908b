"""Chinese full-text search, the pure part: tokens, queries, snippets (no Flask, no SQL).

Word segmentation is not needed to find a two-character word: the text is cut into
*runs* (a stretch of Chinese characters, or of ASCII letters and digits) and each Chinese
run into overlapping two-character tokens — "应急管理" → 应急 急管 管理.  A query is cut the
same way and searched as a *phrase* (tokens at consecutive positions), so "应急管理" matches
exactly where those four characters stand together, and a two-character query is one
token.  Runs separated by anything else (punctuation, space, a new paragraph, a table
cell) are kept apart by a *break* — a position no query token can match — so "救。灾" is
never a hit for 救灾 (REFERENCE.md §5: SQLite's trigram and unicode61 tokenizers fail on
two-character Chinese queries; overlapping bigrams with phrase queries work).

A one-character Chinese run is its own token.  In a query, a one-character run at the end
of a phrase matches as a prefix (号 finds 号 and 号文), so "5号" finds "5号文"; a query must
hold at least two characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html import escape

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"[{CJK}]+|[0-9a-z]+")
BREAK = None  # a position no token matches
MAX_QUERY_CHARS = 50
MAX_PHRASES = 8
MAX_ALNUM_TOKEN = 40


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def _run_tokens(run: str) -> list[str]:
    if run[0].isascii():
        return [run[:MAX_ALNUM_TOKEN]]
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def index_tokens(text: str) -> list[str | None]:
    """Tokens of a text in order, with BREAK (None) between runs that do not touch."""
    out: list[str | None] = []
    last_end = -1
    for m in _RUN.finditer(normalise(text)):
        if out and m.start() != last_end:
            out.append(BREAK)
        out.extend(_run_tokens(m.group()))
        last_end = m.end()
    return out


@dataclass(frozen=True)
class Phrase:
    surface: str  # the normalised characters, e.g. "应急管理" or "5号"
    tokens: tuple[str, ...]
    prefix_last: bool  # the last token is a one-character Chinese run: match it as a prefix


@dataclass(frozen=True)
class Query:
    text: str
    phrases: tuple[Phrase, ...]
    problem: str = ""  # why there is nothing to search, in Chinese

    @property
    def ok(self) -> bool:
        return bool(self.phrases) and not self.problem


def parse_query(raw: str) -> Query:
    """A user's query: phrases of touching runs; all phrases must match (AND)."""
    raw = (raw or "").strip()
    if not raw:
        return Query("", (), "请输入检索词。")
    if len(raw) > MAX_QUERY_CHARS:
        return Query(raw[:MAX_QUERY_CHARS], (), f"检索词不能超过 {MAX_QUERY_CHARS} 个字。")
    text = normalise(raw)
    phrases: list[Phrase] = []
    group: list[re.Match] = []

    def close() -> None:
        if not group:
            return
        tokens: list[str] = []
        for m in group:
            tokens.extend(_run_tokens(m.group()))
        last = group[-1].group()
        prefix = not last[0].isascii() and len(last) == 1 and len(group) > 1
        surface = text[group[0].start():group[-1].end()]
        phrase = Phrase(surface, tuple(tokens), prefix)
        if phrase not in phrases:
            phrases.append(phrase)
        group.clear()

    for m in _RUN.finditer(text):
        if group and m.start() != group[-1].end():
            close()
        group.append(m)
    close()
    if not phrases:
        return Query(raw, (), "检索词中没有可检索的文字或数字。")
    if sum(len(p.surface) for p in phrases) < 2:
        return Query(raw, (), "请至少输入两个字。")
    if len(phrases) > MAX_PHRASES:
        return Query(raw, (), f"检索词之间的分隔过多（最多 {MAX_PHRASES} 组）。")
    # A lone one-character Chinese phrase among others is matched as a prefix too.
    phrases = [Phrase(p.surface, p.tokens, True) if len(p.surface) == 1 and not p.surface.isascii() else p
               for p in phrases]
    return Query(raw, tuple(phrases))


# --------------------------------------------------------------------------- snippets

def _pattern(query: Query) -> re.Pattern | None:
    parts = []
    for p in sorted(query.phrases, key=lambda p: -len(p.surface)):
        s = re.escape(p.surface)
        if p.surface[0].isascii():
            s = r"(?<![0-9a-z])" + s
        if p.surface[-1].isascii():
            s += r"(?![0-9a-z])"
        parts.append(s)
    return re.compile("|".join(parts)) if parts else None


def _normalised_with_map(text: str) -> tuple[str, range | list[int]]:
    """The normalised text and, for each of its characters, the index of the original one."""
    whole = normalise(text)
    if len(whole) == len(text):  # the usual case: every character maps to one
        return whole, range(len(text))
    chars: list[str] = []
    origin: list[int] = []
    for i, c in enumerate(text):
        n = normalise(c)
        chars.append(n)
        origin.extend([i] * len(n))
    return "".join(chars), origin


def match_spans(text: str, query: Query) -> list[tuple[int, int]]:
    """Where the query's phrases occur in `text` (spans of the original text)."""
    pattern = _pattern(query)
    if pattern is None or not text:
        return []
    norm, origin = _normalised_with_map(text)
    spans = []
    for m in pattern.finditer(norm):
        if m.end() > m.start():
            spans.append((origin[m.start()], origin[m.end() - 1] + 1))
    return spans


def highlight(text: str, query: Query) -> str:
    """The whole (short) text, HTML-escaped, with every match in <mark>."""
    return _marked(text, match_spans(text, query), 0, len(text))


def snippet(text: str, query: Query, width: int = 110) -> str:
    """About `width` characters around the best place in `text`, HTML-escaped, matches in <mark>."""
    spans = match_spans(text, query)
    if not spans:
        cut = text[:width]
        return escape(cut) + ("…" if len(text) > width else "")
    # The window holding the most matches, starting a little before its first one.
    best, best_count = spans[0][0], 0
    for i, (start, _) in enumerate(spans):
        count = sum(1 for s, _ in spans[i:] if s < start + width)
        if count > best_count:
            best, best_count = start, count
    begin = max(0, best - width // 4)
    end = min(len(text), begin + width)
    begin = max(0, min(begin, end - width))
    return ("…" if begin else "") + _marked(text, spans, begin, end) + ("…" if end < len(text) else "")


def _marked(text: str, spans: list[tuple[int, int]], begin: int, end: int) -> str:
    out, pos = [], begin
    for s, e in spans:
        if e <= begin or s >= end or s < pos:
            continue
        e = min(e, end)
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


# --------------------------------------------------------------------------- backends' query syntax

def fts5_match(query: Query) -> str:
    """SQLite FTS5 MATCH expression: "t1 t2 t3" AND "t4"* …"""
    parts = []
    for p in query.phrases:
        parts.append('"' + " ".join(p.tokens) + '"' + ("*" if p.prefix_last else ""))
    return " AND ".join(parts)


def fts5_text(tokens: list[str | None]) -> str:
    """The token string stored in the FTS5 table: breaks become a private-use character,
    which the unicode61 tokenizer keeps as a token no query can contain."""
    return " ".join("\ue000" if t is None else t for t in tokens)


def tsquery(query: Query) -> str:
    """PostgreSQL tsquery text: '应急' <-> '急管' <-> '管理' & '救灾':*"""
    parts = []
    for p in query.phrases:
        toks = [f"'{t}'" for t in p.tokens]
        if p.prefix_last:
            toks[-1] += ":*"
        parts.append("(" + " <-> ".join(toks) + ")")
    return " & ".join(parts)


MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_LEXEME = 255
MAX_TSVECTOR_BYTES = 900_000  # PostgreSQL refuses a tsvector over 1 MB


def tsvector(title_tokens: list[str | None], body_tokens: list[str | None]) -> str:
    """PostgreSQL tsvector text: title tokens weighted A, body tokens (after a gap) weighted D.

    Positions from 16382 on all become 16383 (PostgreSQL's limit is 16383): such a token
    still matches a one-token query and can never fake a phrase (nothing sits at 16382).
    A pathological text (hundreds of thousands of distinct bigrams) stops adding new
    tokens before the vector reaches PostgreSQL's 1 MB limit."""
    positions: dict[str, list[str]] = {}
    size = 0

    def add(token: str, entry: str) -> None:
        nonlocal size
        lst = positions.get(token)
        if lst is None:
            cost = len(token.encode()) + 8
            if size + cost > MAX_TSVECTOR_BYTES:
                return
            lst = positions[token] = []
            size += cost
        if len(lst) < MAX_POSITIONS_PER_LEXEME and (not lst or lst[-1] != entry):
            lst.append(entry)
            size += 2

    pos = 0
    for weight, tokens in (("A", title_tokens), ("", body_tokens)):
        pos += 1  # a gap between title and body
        exact = max(0, min(len(tokens), MAX_POSITION - 2 - pos))  # tokens that keep their own position
        for t in tokens[:exact]:
            pos += 1
            if t is not None:
                add(t, f"{pos}{weight}")
        rest = tokens[exact:]
        if rest:  # past the limit every token sits at 16383: each distinct one once
            pos += len(rest)
            for t in dict.fromkeys(rest):
                if t is not None:
                    add(t, f"{MAX_POSITION}{weight}")
    return " ".join(f"'{t}':{','.join(ps)}" for t, ps in positions.items())
