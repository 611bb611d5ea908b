"""find_personal_data: run every detector once and merge their findings."""

from __future__ import annotations

import bisect

from .addresses import find_addresses
from .finding import Finding
from .names import find_names
from .normalize import normalise
from .patterns import find_emails, find_numbers, find_plates
from .tables import Cell, table_cells

#: When two findings overlap, the kind earlier here wins (then the longer span).
PRIORITY = ("id_card", "bank_card", "mobile", "landline", "email", "license_plate", "address", "person_name")
_RANK = {kind: i for i, kind in enumerate(PRIORITY)}


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


def find_personal_data(text: str, *, second_opinion: bool = False) -> list[Finding]:
    """Personal data in ``text``, sorted by start, never overlapping.

    Offsets are into ``text`` as given (full-width characters are read like
    half-width ones through a same-length normalised copy).  ``second_opinion``
    asks jieba's part-of-speech tags to confirm names found by a cue; it is
    slower and off by default.
    """
    if not text:
        return []
    norm = normalise(text)
    cells = table_cells(norm)
    candidates = find_numbers(norm, _Headers(cells))
    if "@" in norm:
        candidates += find_emails(norm)
    candidates += find_plates(norm)
    candidates += find_addresses(norm, cells)
    candidates += find_names(norm, cells, second_opinion=second_opinion)
    return _merge(text, candidates)


def _merge(text: str, candidates: list[Finding]) -> list[Finding]:
    """Keep the strongest of overlapping candidates; report the original text."""
    candidates.sort(key=lambda f: (_RANK[f.kind], -(f.end - f.start), f.start))
    starts: list[int] = []
    ends: list[int] = []
    kept: list[Finding] = []
    for f in candidates:
        i = bisect.bisect_right(starts, f.start)
        if i > 0 and ends[i - 1] > f.start:
            continue
        if i < len(starts) and starts[i] < f.end:
            continue
        starts.insert(i, f.start)
        ends.insert(i, f.end)
        kept.insert(i, f)
    return [
        f if f.text == text[f.start : f.end]
        else Finding(f.kind, f.start, f.end, text[f.start : f.end], f.score, f.reason)
        for f in kept
    ]
