"""The working-day calendar as the agency keeps it: the admin's overrides and confirmed years
(stored), read into a `workdays.Calendar` for every count (R7, and the applications' 20 + 20 days)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

from sqlalchemy import String, case, cast, func, literal, null, select, union_all

from ..extensions import db
from ..models import HolidayOverride, HolidayYear, User, utcnow
from ..workdays import PACKAGE_YEARS, Calendar, Override
from . import audit
from .deadlines import forget_late_from
from .errors import Invalid, NotFound
from .tx import transaction

MAX_NOTE = 100
# Dates an override may name: the package covers some years; the admin adds the next ones.
FIRST_YEAR, LAST_YEAR = 2000, 2100


# The calendar's rows in one small statement (every override, then every confirmed year).  Each
# request reads them, so a change made by an admin through any worker process counts from the next
# request of every other one; what is kept per process is the Calendar built from those exact rows
# (with its prefix counts of working days), reused while the rows stay the same.
_ROWS = union_all(
    select(literal(0).label("kind"), HolidayOverride.day, HolidayOverride.working, HolidayOverride.note,
           null().label("year")),
    select(literal(1), null(), null(), null(), HolidayYear.year),
).subquery()


def _fingerprint():
    """The calendar's whole content as one string, computed by the database: every override as
    "day|working|length of note|note" and every confirmed year as "y<year>", joined by ";" (NULL
    when both tables are empty).  The note's length makes the string name exactly one content;
    the database's order of the parts may differ from call to call, which costs a rebuild, never a
    wrong calendar."""
    item = (cast(HolidayOverride.day, String) + "|" + case((HolidayOverride.working, "1"), else_="0") + "|"
            + cast(func.length(HolidayOverride.note), String) + "|" + HolidayOverride.note)
    parts = union_all(select(item.label("part")),
                      select((literal("y") + cast(HolidayYear.year, String)).label("part"))).subquery()
    return select(func.aggregate_strings(parts.c.part, ";")).scalar_subquery()


# Rides on the navigation's statement (services/todo.py), which every logged-in page runs.
FINGERPRINT = _fingerprint()
# The rows and, on each, the fingerprint of the same content, read in ONE statement (one snapshot).
_ROWS_WITH_FINGERPRINT = select(_ROWS, FINGERPRINT.label("fingerprint")).order_by(
    _ROWS.c.kind, _ROWS.c.day, _ROWS.c.year)
_BUILT: dict[str | None, Calendar] = {}
_BUILT_MAX = 8  # a few calendars at once (tests, or a change under way); the oldest goes first
_LOCK = threading.Lock()


def working_calendar() -> Calendar:
    """The calendar in force: every override and every confirmed year (two small tables), as they
    are now in the database; built once per process for each distinct content.

    In a request of a view that only reads (webapp/readonly.py), the content's fingerprint comes
    with the navigation's counters (one statement the page runs anyway; run now if the page has not
    yet): a calendar already built from that content is used without a round trip of its own.
    Elsewhere — and when the content is new to this process — the rows are read with their
    fingerprint in one statement."""
    fingerprint = _page_fingerprint()
    if fingerprint is not _UNKNOWN:
        cal = _BUILT.get(fingerprint)  # type: ignore[arg-type]
        if cal is not None:
            return cal
    rows = db.session.execute(_ROWS_WITH_FINGERPRINT).all()
    key = rows[0].fingerprint if rows else None
    cal = _BUILT.get(key)
    if cal is None:
        cal = Calendar.of((Override(r.day, bool(r.working), r.note) for r in rows if r.kind == 0),
                          (r.year for r in rows if r.kind == 1))
        with _LOCK:
            while len(_BUILT) >= _BUILT_MAX:
                _BUILT.pop(next(iter(_BUILT)))
            _BUILT[key] = cal
    return cal


_UNKNOWN = object()


def _page_fingerprint() -> object:
    from flask import g, has_request_context

    if not has_request_context() or not g.get("reads_only"):
        return _UNKNOWN  # a request that may write: its navigation runs last, after its writes
    if "calendar_fingerprint" not in g:
        if run_page_navigation is None or not run_page_navigation():  # sets g.calendar_fingerprint
            return _UNKNOWN
    return g.get("calendar_fingerprint", _UNKNOWN)


# Set by the app factory (webapp/__init__.py): runs this request's navigation statement, which
# carries the calendar's fingerprint (services/todo.py), and says whether it could (a user is
# logged in).  A hook rather than an import: todo already imports this module.
run_page_navigation: Callable[[], bool] | None = None


def overrides() -> list[HolidayOverride]:
    return list(db.session.execute(select(HolidayOverride).order_by(HolidayOverride.day.desc())).scalars())


def confirmed_years() -> list[int]:
    return list(db.session.execute(select(HolidayYear.year).order_by(HolidayYear.year)).scalars())


def package_years() -> range:
    return PACKAGE_YEARS


def save_override(admin: User, day: date, working: bool, note: str) -> HolidayOverride:
    """Add or replace the override for `day`."""
    note = (note or "").strip()
    problems = []
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        problems.append(f"日期须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间。")
    if not note:
        problems.append("请写明说明（如：元旦、春节调休上班、本机关值班安排）。")
    if len(note) > MAX_NOTE:
        problems.append(f"说明不能超过 {MAX_NOTE} 字。")
    if problems:
        raise Invalid("节假日调整未保存。", problems)
    with transaction():
        row = db.session.get(HolidayOverride, day) or HolidayOverride(day=day)
        row.working, row.note, row.updated_at, row.updated_by_id = working, note, utcnow(), admin.id
        db.session.add(row)
        db.session.flush()
        forget_late_from(day)
        audit.record("save_holiday_override", admin,
                     details={"day": day.isoformat(), "working": working, "note": note})
    return row


def delete_override(admin: User, day: date) -> None:
    with transaction():
        row = db.session.get(HolidayOverride, day)
        if row is None:
            raise NotFound("该日期没有调整记录。")
        details = {"day": day.isoformat(), "working": row.working, "note": row.note}
        db.session.delete(row)
        forget_late_from(day)
        audit.record("delete_holiday_override", admin, details=details)


def set_year_confirmed(admin: User, year: int, confirmed: bool) -> None:
    """Confirm that the overrides for `year` are complete (counts into it stop being provisional),
    or take that back."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Invalid(f"年份须在 {FIRST_YEAR} 至 {LAST_YEAR} 之间。")
    with transaction():
        row = db.session.get(HolidayYear, year)
        if confirmed and row is None:
            db.session.add(HolidayYear(year=year, confirmed_by_id=admin.id))
        elif not confirmed and row is not None:
            db.session.delete(row)
        else:
            return
        db.session.flush()
        audit.record("confirm_holiday_year", admin, details={"year": year, "confirmed": confirmed})
