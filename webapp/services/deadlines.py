"""R7: a 主动公开 document is published within 20 working days of its 印发日期.

The count itself is `workdays.add_working_days` over the agency's calendar (the package plus
the admin's overrides); this module says what it means for one document today: the deadline,
the working days left, overdue or not, and — once published — on time or late by how many
working days.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from .. import clock
from ..catalogue import TimeLimitError, deadline_explanation, parse_time_limit
from ..extensions import db
from ..models import CatalogueChange, CatalogueItem, Document
from ..workdays import Calendar, Count, add_working_days, working_days_left

PUBLICATION_WORKING_DAYS = 20


@dataclass(frozen=True)
class Deadline:
    count: Count
    days_left: int  # working days from today to the deadline; negative when overdue
    published_on: date | None = None  # the agency's date of first publication, when published
    basis: str = ""  # why this many working days: the 目录事项's 公开时限 (issue 15), or empty for R7's 20

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
                         published_on: date | None = None, terms: Terms | None = None) -> Deadline:
    """The deadline of a document issued on `print_date` (day 0), seen from `today` (the agency's),
    or, when published, from the day it was first published.  `terms`: the working days and the
    explanation from the document's 目录事项 (`catalogue_terms`); R7's 20 without one."""
    working_days, basis = terms or (PUBLICATION_WORKING_DAYS, "")
    count = add_working_days(print_date, working_days, calendar)
    seen_from = published_on or today or clock.agency_today()
    return Deadline(count, working_days_left(count.due, seen_from, calendar), published_on, basis)


# --------------------------------------------------------------------------- the catalogue's 公开时限

Terms = tuple[int, str]  # (working days, the explanation naming the item)


def catalogue_terms(doc_ids: list[int]) -> dict[int, Terms]:
    """For each document filed under a 目录事项: the 公开时限 of the item's version the document
    is filed under (a later change to the catalogue does not move its deadline), as working days,
    with the explanation naming the item (webapp/catalogue.py).  One query for any number."""
    if not doc_ids:
        return {}
    rows = db.session.execute(
        select(Document.id, CatalogueItem.name, CatalogueItem.time_limit, CatalogueChange.after_json)
        .join(CatalogueItem, CatalogueItem.id == Document.catalogue_item_id)
        .outerjoin(CatalogueChange, (CatalogueChange.item_id == Document.catalogue_item_id)
                   & (CatalogueChange.version == Document.catalogue_item_version))
        .where(Document.id.in_(doc_ids))).all()
    out = {}
    for doc_id, name, current, filed_json in rows:
        filed = json.loads(filed_json) if filed_json else {}
        text, name = filed.get("time_limit", current), filed.get("name", name)
        try:
            limit = parse_time_limit(text)
        except TimeLimitError:  # stored before a stricter reading: the statutory 20, said so
            limit = parse_time_limit("")
        out[doc_id] = (limit.publication_working_days, deadline_explanation(name, limit))
    return out
