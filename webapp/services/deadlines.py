"""R7: a 主动公开 document is published within 20 working days of its 印发日期.

The count itself is `workdays.add_working_days` over the agency's calendar (the package plus
the admin's overrides); this module says what it means for one document today: the deadline,
the working days left, overdue or not, and — once published — on time or late by how many
working days.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import bindparam, select, update

from .. import clock
from ..catalogue import TimeLimitError, deadline_explanation, parse_time_limit
from ..extensions import db
from ..models import CatalogueChange, CatalogueItem, Document, Publication
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


# --------------------------------------------------------------------------- the stored "late from"

def late_from(print_date: date, calendar: Calendar, terms: Terms | None = None) -> datetime:
    """The first instant (UTC) at which a first publication of a document issued on `print_date` is
    late: the agency's midnight starting the first working day after its deadline — the same rule as
    `Deadline.late_by` (published on the weekend right after a Friday deadline: on time)."""
    working_days, _ = terms or (PUBLICATION_WORKING_DAYS, "")
    due = add_working_days(print_date, working_days, calendar).due
    first_late_day = add_working_days(due, 1, calendar).due
    return datetime.combine(first_late_day, time.min, clock.AGENCY_TZ).astimezone(UTC)


FILL_CHUNK = 500


def fill_late_from(calendar: Calendar) -> int:
    """Store `Publication.late_from` wherever it is missing (new publications, rows from before the
    column, rows cleared by a holiday override): the calendar is applied once per (印发日期, 时限),
    in Python, and the dashboard's 按期发布率 is then a plain comparison.  `calendar`: the agency's
    (holidays.working_calendar).  A first publication stores its own (services/publication); this
    fills the rest.  Returns the rows filled; commits when there were any."""
    missing = db.session.execute(
        select(Publication.document_id, Document.print_date)
        .join(Document, Publication.document_id == Document.id)
        .where(Publication.late_from.is_(None), Document.print_date.is_not(None))).all()
    if not missing:
        return 0
    known: dict[tuple[date, int], datetime] = {}
    table = Publication.__table__
    stmt = update(table).where(table.c.document_id == bindparam("b_id")).values(late_from=bindparam("b_late"))
    for i in range(0, len(missing), FILL_CHUNK):
        chunk = missing[i:i + FILL_CHUNK]
        terms = catalogue_terms([doc_id for doc_id, _ in chunk])
        values = []
        for doc_id, print_date in chunk:
            t = terms.get(doc_id)
            key = (print_date, t[0] if t else PUBLICATION_WORKING_DAYS)
            if key not in known:
                known[key] = late_from(print_date, calendar, t)
            values.append({"b_id": doc_id, "b_late": known[key]})
        db.session.execute(stmt, values)
    db.session.commit()
    return len(missing)


# A deadline is at most this far after its 印发日期 (a 目录事项's longest 公开时限 and the longest
# holidays included, with room to spare): a calendar change on day D moves no deadline of a document
# issued before D minus this.
LATE_FROM_REACH = timedelta(days=400)


def forget_late_from(day: date) -> None:
    """A holiday override on `day` was added, changed or removed: the stored instants it can move are
    cleared (in the caller's transaction) and refilled by the next `fill_late_from`."""
    issued_near = select(Document.id).where(Document.print_date <= day, Document.print_date >= day - LATE_FROM_REACH)
    db.session.execute(update(Publication).where(Publication.document_id.in_(issued_near)).values(late_from=None),
                       execution_options={"synchronize_session": False})
