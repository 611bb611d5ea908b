"""R7: a 主动公开 document is published within 20 working days of its 印发日期.

The count itself is `workdays.add_working_days` over the agency's calendar (the package plus
the admin's overrides); this module says what it means for one document today: the deadline,
the working days left, overdue or not, and — once published — on time or late by how many
working days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import clock
from ..workdays import Calendar, Count, add_working_days, working_days_left

PUBLICATION_WORKING_DAYS = 20


@dataclass(frozen=True)
class Deadline:
    count: Count
    days_left: int  # working days from today to the deadline; negative when overdue
    published_on: date | None = None  # the agency's date of first publication, when published

    @property
    def due(self) -> date:
        return self.count.due

    @property
    def provisional(self) -> bool:
        return self.count.provisional

    @property
    def overdue(self) -> bool:
        return self.published_on is None and self.days_left < 0

    @property
    def late_by(self) -> int:
        """Working days the publication came after the deadline (0: on time)."""
        return max(0, -self.days_left) if self.published_on is not None else 0

    @property
    def tone(self) -> str:
        if self.published_on is not None:
            return "danger" if self.late_by else "ok"
        if self.days_left < 0:
            return "danger"
        return "warn" if self.days_left <= 3 else "info"

    @property
    def words(self) -> str:
        """What the document's line says: 剩余 5 个工作日 / 今天到期 / 已逾期 2 个工作日 / 按期发布."""
        if self.published_on is not None:
            return f"逾期 {self.late_by} 个工作日发布" if self.late_by else "按期发布"
        if self.days_left > 0:
            return f"剩余 {self.days_left} 个工作日"
        if self.days_left == 0:
            return "今天到期"
        return f"已逾期 {-self.days_left} 个工作日"


def publication_deadline(print_date: date, calendar: Calendar, today: date | None = None,
                         published_on: date | None = None) -> Deadline:
    """The deadline of a document issued on `print_date` (day 0), seen from `today` (the agency's),
    or, when published, from the day it was first published."""
    count = add_working_days(print_date, PUBLICATION_WORKING_DAYS, calendar)
    seen_from = published_on or today or clock.agency_today()
    return Deadline(count, working_days_left(count.due, seen_from, calendar), published_on)
