"""The portal's clock: UTC for storage and signatures, Asia/Shanghai for what is shown.

The intranet has its own (webapp/clock.py); the portal may not import it, so the same
three functions live here.  Tests set the time with `frozen`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone

AGENCY_TZ = timezone(timedelta(hours=8), "CST")

_source: Callable[[], datetime] = lambda: datetime.now(UTC)


def utcnow() -> datetime:
    return _source()


def to_agency(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(AGENCY_TZ)


def agency_today() -> date:
    """Today in Beijing."""
    return to_agency(utcnow()).date()


def chinese_date(value: date | datetime | None) -> str:
    """2026年3月5日 (a datetime is first moved to Beijing time)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_agency(value).date()
    return f"{value.year}年{value.month}月{value.day}日"


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    global _source
    if at.tzinfo is None:
        raise ValueError("frozen() needs a timezone-aware datetime")
    previous, _source = _source, (lambda: at.astimezone(UTC))
    try:
        yield
    finally:
        _source = previous
