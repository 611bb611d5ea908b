"""The value object every detector returns."""

from __future__ import annotations

from dataclasses import dataclass

#: The kinds of personal data the engine finds, in the order the UI lists them.
KINDS: tuple[str, ...] = (
    "id_card",
    "mobile",
    "landline",
    "bank_card",
    "email",
    "person_name",
    "address",
    "license_plate",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One span of personal data in a text.

    ``start``/``end`` are offsets into the text given to
    :func:`webapp.deid.find_personal_data`, so ``text[start:end] == finding.text``.
    """

    kind: str
    start: int
    end: int
    text: str
    score: float
    reason: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score {self.score} outside 0..1")
