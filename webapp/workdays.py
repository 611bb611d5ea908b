"""Working days (工作日) as the agency counts them: statutory holidays and 调休 included.

Pure: no Flask, no models.  Two sources, in order:

1. the admin's overrides (a date, working or not, a note) — for years the package
   does not cover yet, or a day it gets wrong;
2. the PyPI package ``chinesecalendar`` (import ``chinese_calendar``): the State
   Council's holiday and adjusted-working-day (调休) arrangements, year by year.

A day neither source covers is counted by the weekend alone, and the result says so:
it is *provisional*, with the reason, never an exception and never silence.  A year
is covered when the package has it or when the admin has confirmed that the
overrides for that year are complete (the State Council publishes each year's
arrangement in November or December).

R7 (a 主动公开 document within 20 working days of its 印发日期) and the citizens'
applications (20 + 20 working days, consultation time not counted) both use
``add_working_days(start, count, calendar, paused)``; the day of ``start`` is day 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from chinese_calendar import constants as _cc

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

_HOLIDAY_NAMES: dict[str, str] = {h.value: h.chinese for h in _cc.Holiday}
_HOLIDAY_NAMES.update({"Tomb-sweeping Day": "清明节", "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节"})

PACKAGE_YEARS: range = range(min(_cc.holidays).year, max(_cc.holidays).year + 1)
PACKAGE_NAME = "chinesecalendar"

# No count may run away: 20 + 20 working days plus any pause fits well inside this.
MAX_COUNT = 250
MAX_SPAN_DAYS = 3 * 366


@dataclass(frozen=True)
class Override:
    """An admin's correction: this date is (not) a working day, and why."""

    day: date
    working: bool
    note: str = ""


@dataclass(frozen=True)
class Pause:
    """Days not counted, inclusive at both ends (e.g. 征求第三方意见 under Art. 33)."""

    start: date
    end: date
    reason: str


@dataclass(frozen=True)
class Calendar:
    """The overrides in force and the years the admin confirmed as complete.

    ``working_between`` counts working days from a prefix count per year, built on first use and
    kept with the calendar (which never changes: a changed override is a new Calendar)."""

    overrides: Mapping[date, Override] = field(default_factory=dict)
    confirmed_years: frozenset[int] = frozenset()
    # year -> cumulative working days: [0, Jan 1, Jan 1..2, ..., whole year]; filled lazily
    _prefix: dict[int, tuple[int, ...]] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def of(cls, overrides: Iterable[Override] = (), confirmed_years: Iterable[int] = ()) -> Calendar:
        return cls({o.day: o for o in overrides}, frozenset(confirmed_years))

    def covers(self, day: date) -> bool:
        return day.year in PACKAGE_YEARS or day.year in self.confirmed_years or day in self.overrides

    def day(self, day: date) -> Day:
        """Whether ``day`` is a working day, why, and from which source."""
        weekend = day.weekday() >= 5
        ov = self.overrides.get(day)
        if ov is not None:
            why = ov.note or ("调整为工作日" if ov.working else "调整为休息日")
            return Day(day, ov.working, why, "override")
        if day.year in PACKAGE_YEARS:
            holiday = _cc.holidays.get(day)
            if holiday is not None:
                return Day(day, False, _HOLIDAY_NAMES.get(holiday, "法定节假日"), "package")
            adjusted = _cc.workdays.get(day)
            if adjusted is not None and weekend:
                name = _HOLIDAY_NAMES.get(adjusted, "节假日")
                return Day(day, True, f"{name}调休上班", "package")
            return Day(day, not weekend, "周末" if weekend else "", "package")
        source = "confirmed" if day.year in self.confirmed_years else "weekend-only"
        return Day(day, not weekend, "周末" if weekend else "", source)

    def is_working(self, day: date) -> bool:
        """`day(day).working` without building the explanation."""
        ov = self.overrides.get(day)
        if ov is not None:
            return ov.working
        if day.year in PACKAGE_YEARS:
            if _cc.holidays.get(day) is not None:
                return False
            if _cc.workdays.get(day) is not None:
                return True
        return day.weekday() < 5

    def _year(self, year: int) -> tuple[int, ...]:
        prefix = self._prefix.get(year)
        if prefix is None:
            day, end, n, out = date(year, 1, 1), date(year + 1, 1, 1), 0, [0]
            while day < end:
                n += self.is_working(day)
                out.append(n)
                day += timedelta(days=1)
            prefix = self._prefix[year] = tuple(out)  # a whole tuple at once: safe to share across threads
        return prefix

    def _upto(self, day: date, base_year: int) -> int:
        """Working days from 1 January of ``base_year`` to ``day`` inclusive (``day.year >= base_year``)."""
        year = day.year
        before = sum(self._year(y)[-1] for y in range(base_year, year)) if year > base_year else 0
        return before + self._year(year)[day.toordinal() - _jan1(year)]

    def working_between(self, lo: date, hi: date) -> int:
        """Working days after ``lo`` up to ``hi`` inclusive (``lo <= hi``): O(years spanned), not a day-by-day walk."""
        return self._upto(hi, lo.year) - self._upto(lo, lo.year)


DEFAULT = Calendar()


def _jan1(year: int, _cache: dict[int, int] = {}) -> int:  # noqa: B006 (a deliberate memo)
    """The ordinal of 1 January of ``year`` minus one: ``ordinal - _jan1(year)`` is the day of the year."""
    v = _cache.get(year)
    if v is None:
        v = _cache[year] = date(year, 1, 1).toordinal() - 1
    return v


@dataclass(frozen=True)
class Day:
    date: date
    working: bool
    why: str  # "" for an ordinary working day
    source: str  # override | package | confirmed | weekend-only

    @property
    def label(self) -> str:
        return f"{self.date.year}年{self.date.month}月{self.date.day}日（{WEEKDAY_NAMES[self.date.weekday()]}）"


@dataclass(frozen=True)
class Step:
    """One day of the count worth explaining: skipped, paused, or counted though unusual."""

    day: Day
    counted: bool
    why: str
    ordinal: int | None = None  # the working day's number when counted


@dataclass(frozen=True)
class Count:
    """The result of a count and its explanation."""

    start: date
    working_days: int
    due: date
    steps: tuple[Step, ...]
    provisional: bool
    provisional_reasons: tuple[str, ...]

    @property
    def explanation(self) -> list[str]:
        """The count in words: the start, each skipped day with why, the end."""
        lines = [f"起算日：{_cn(self.start)}（当日不计），计 {self.working_days} 个工作日。"]
        for s in self.steps:
            if s.counted:
                lines.append(f"{s.day.label}：{s.why}，计为第 {s.ordinal} 个工作日")
            else:
                lines.append(f"{s.day.label}：{s.why}，不计")
        lines.append(f"期限届满日：{_cn(self.due)}（第 {self.working_days} 个工作日）。")
        lines.extend(f"注意：{r}" for r in self.provisional_reasons)
        return lines


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _paused(day: date, pauses: Sequence[Pause]) -> Pause | None:
    for p in pauses:
        if p.start <= day <= p.end:
            return p
    return None


def _uncovered_reason(years: Iterable[int]) -> tuple[str, ...]:
    ys = sorted(set(years))
    if not ys:
        return ()
    listed = "、".join(f"{y}年" for y in ys)
    return (f"{listed}的法定节假日和调休安排尚未收录（{PACKAGE_NAME} 收录至 {PACKAGE_YEARS.stop - 1} 年），"
            f"这几天暂按周末计算，结果为暂定；国务院办公厅公布安排后，请管理员在“节假日调整”中补录并确认该年。",)


def add_working_days(start: date, count: int, calendar: Calendar = DEFAULT,
                     paused: Sequence[Pause] = ()) -> Count:
    """The ``count``-th working day after ``start`` (day 0), skipping holidays, weekends
    not worked, and paused days; with the explanation and whether it is provisional."""
    if not 0 <= count <= MAX_COUNT:
        raise ValueError(f"工作日数须在 0 至 {MAX_COUNT} 之间")
    steps: list[Step] = []
    uncovered: set[int] = set()
    day, n = start, 0
    while n < count:
        day += timedelta(days=1)
        if (day - start).days > MAX_SPAN_DAYS:
            raise ValueError("暂停期间过长，无法计算期限")
        info = calendar.day(day)
        if not calendar.covers(day):
            uncovered.add(day.year)
        pause = _paused(day, paused)
        if pause is not None:
            steps.append(Step(info, False, pause.reason))
            continue
        if not info.working:
            steps.append(Step(info, False, info.why or "休息日"))
            continue
        n += 1
        if info.why:  # a weekend worked (调休上班) or an override: worth saying
            steps.append(Step(info, True, info.why, n))
    return Count(start, count, day, tuple(steps), bool(uncovered), _uncovered_reason(uncovered))


def working_days_left(due: date, today: date, calendar: Calendar = DEFAULT) -> int:
    """Working days from ``today`` (exclusive) to ``due`` (inclusive); negative when overdue
    (minus the working days from ``due`` exclusive to ``today`` inclusive); 0 on the day."""
    if today == due:
        return 0
    lo, hi, sign = (today, due, 1) if today < due else (due, today, -1)
    if (hi - lo).days > MAX_SPAN_DAYS:
        hi = lo + timedelta(days=MAX_SPAN_DAYS)
    return sign * calendar.working_between(lo, hi)


def is_working_day(day: date, calendar: Calendar = DEFAULT) -> bool:
    return calendar.day(day).working
