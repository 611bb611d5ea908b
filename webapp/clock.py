"""The agency's clock: UTC for storage, Asia/Shanghai (UTC+8, no DST) for what is shown
and for every date a user means ("today", 印发日期, working days).

Pure: no Flask, no models.  Everything that needs "now" or "today" asks this module,
so a test can set the clock (`frozen`) and so no code falls back on the server's own
time zone — `date.today()` on a UTC server is yesterday in Beijing until 08:00.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone

AGENCY_TZ = timezone(timedelta(hours=8), "CST")

_source: Callable[[], datetime] = lambda: datetime.now(UTC)


def utcnow() -> datetime:
    """Now, timezone-aware UTC."""
    return _source()


def to_agency(dt: datetime) -> datetime:
    """A stored (UTC or naive-UTC) timestamp in the agency's time zone."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(AGENCY_TZ)


def agency_now() -> datetime:
    return to_agency(utcnow())


def agency_today() -> date:
    """Today's date in Beijing — the default for 印发日期 and the start of every count."""
    return agency_now().date()


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Set the clock for a test: `with frozen(datetime(2026, 3, 5, 17, 0, tzinfo=UTC)): …`."""
    global _source
    if at.tzinfo is None:
        raise ValueError("frozen() needs a timezone-aware datetime")
    previous, _source = _source, (lambda: at.astimezone(UTC))
    try:
        yield
    finally:
        _source = previous
