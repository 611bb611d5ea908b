"""紧急程度 (GB/T 9704 7.2.3): 特急 or 加急, set at drafting; pure Python."""

from __future__ import annotations

from enum import IntEnum


class Urgency(IntEnum):
    """Stored as a number so that "urgent first" is a plain descending sort."""

    NORMAL = 0
    URGENT = 1  # 加急
    VERY_URGENT = 2  # 特急

    @property
    def label(self) -> str:
        return URGENCY_LABELS[self]

    @property
    def mark(self) -> str:
        """What the 版头 prints: nothing for an ordinary document."""
        return "" if self is Urgency.NORMAL else self.label


URGENCY_LABELS = {Urgency.NORMAL: "普通", Urgency.URGENT: "加急", Urgency.VERY_URGENT: "特急"}
URGENCY_CHOICES = [(u.value, u.label) for u in Urgency]


def urgency_label(value: int | None) -> str:
    try:
        return Urgency(value or 0).label
    except ValueError:
        return "普通"
