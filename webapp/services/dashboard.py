"""The dashboard the office and the leaders read (issue 12), and the lists behind its numbers.

Every figure is one aggregate query (GROUP BY in the database, never a loop over rows), and
every figure has a *list*: the same conditions, returning the rows instead of counting them,
so a number and the list it opens cannot disagree (`records`).  The working-day calendar is not
applied in the query: each publication stores the first instant at which it is late
(`Publication.late_from`, services/deadlines.fill_late_from, computed once per document and
cleared when a holiday override moves it), so on time is a comparison of two columns.

- 按期发布率: published documents by month of first publication (the agency's months) and
  department; on time when first published before the start of the first working day after the
  deadline — the document page's deadline (R7: 20 working days from the 印发日期, or the
  目录事项's own 公开时限, issue 15), the same rule as `deadlines.Deadline.late_by`.
- 在办文件: documents by stage (those still moving) and by how long they have waited there, in
  whole agency days (today minus the agency day it entered the stage).
- 依申请公开: open applications whose clock runs (办理中, 答复待审核), due within
  `DUE_SOON_DAYS` working days or overdue, by department.
- 送交: published documents not yet delivered, per active destination, and those waiting longer
  than the destination's period (in whole agency days since the day of first publication).
- 年度报告: the year's report status (services/annual_report.report_status, when present) and
  the countdown to 31 January.

For the office, the leaders and the secrecy reviewers (every submitted document) the figures are
sums over the dashboard's rollup (webapp/dashboard_rollup.py): counts by department and agency month,
by stage and agency day entered, by department and due day, by destination and agency day of first
publication, kept by triggers in every writing transaction — so even the first view after a change
reads a few thousand small rows, however many documents there are — all of them in ONE statement
(`read_folded`), so a view after a change runs three statements and a view of kept figures one (the
page is reads-only: webapp/readonly.py; the navigation rides on the versions' statement).  Anyone else's figures depend on
what they may see and are still grouped from the rows (the same conditions as the lists).

Every figure depends on the clock only through the agency day, so the whole page is a function of
(the data, today): the office's and the leaders' figures are kept per process under the tables'
data versions and the day (`figures_cache`; FiguresCache explains why an entry is never older than
the committed data).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import and_, bindparam, case, exists, func, or_, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import Join

from .. import clock
from ..applications_flow import DUE_SOON_DAYS, AppStage
from ..dashboard_rollup import COMPACT_AFTER, compact_statements
from ..data_versions import WATCHED
from ..extensions import db
from ..models import (
    Application,
    DashboardRollup,
    DataVersion,
    Department,
    Document,
    Publication,
    TransferBatch,
    TransferDestination,
    TransferItem,
    User,
)
from ..policy import REVIEWER_ROLES, visible_documents
from ..readonly import is_reads_only_request
from ..workdays import Calendar, add_working_days
from ..workflow import STAGES, Stage
from . import standin
from .deadlines import fill_late_from
from .holidays import working_calendar

MONTHS = 12
LIST_LIMIT = 200
NO_DUE = date(9999, 12, 31)
# Stages a document has left the chain in: not "in progress".
SETTLED_STAGES = (Stage.DRAFT, Stage.FILED, Stage.PUBLISHED)
# How long a document has waited in its stage, in calendar days: (key, label, from, to).
AGE_BUCKETS: tuple[tuple[str, str, int, int | None], ...] = (
    ("0-3", "3天以内", 0, 3),
    ("4-7", "4至7天", 4, 7),
    ("8-30", "8至30天", 8, 30),
    ("31+", "30天以上", 31, None),
)
AGE_KEYS = tuple(b[0] for b in AGE_BUCKETS)
CLOCK_RUNNING = (AppStage.HANDLING.value, AppStage.REPLY_REVIEW.value)


def cn_month(key: str) -> str:
    year, month = key.split("-")
    return f"{int(year)}年{int(month)}月"


def _agency_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, clock.AGENCY_TZ).astimezone(UTC)


def _months(today: date, n: int = MONTHS) -> list[tuple[str, datetime, datetime]]:
    """The last n agency months up to this one: (YYYY-MM, start, end) as UTC instants."""
    out = []
    y, m = today.year, today.month
    for _ in range(n):
        start = date(y, m, 1)
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        out.append((f"{y:04d}-{m:02d}", _agency_midnight(start), _agency_midnight(date(ny, nm, 1))))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return list(reversed(out))


def _inline(value, type_=None):
    """A constant written into the SQL text (not a bound parameter): the day's statement is then
    the same text at every request, and PostgreSQL plans its ~1,400 constants once."""
    return bindparam(None, value, type_=type_, literal_execute=True)


def _tree(expr, bounds: Sequence, values: Sequence, type_=None):
    """SQL for values[i] where bounds[i] <= expr < bounds[i+1] (bounds[0] is not read: the first value
    also covers everything below bounds[1]; the last, everything above its bound), as a balanced
    tree of CASE: log2(n) comparisons per row instead of n."""
    if len(values) == 1:
        return _inline(values[0], type_)
    mid = len(values) // 2
    # The dict form of case(): the tuple form would format the repr of the whole subtree first
    # (SQLAlchemy tries it as a mapping), which made this quadratic.
    return case({expr < _inline(bounds[mid], expr.type): _tree(expr, bounds[:mid], values[:mid], type_)},
                else_=_tree(expr, bounds[mid:], values[mid:], type_))


# --------------------------------------------------------------------------- on-time publication

@dataclass(frozen=True)
class Window:
    """The months shown (the agency's, as UTC instants)."""

    months: list[tuple[str, datetime, datetime]]

    @property
    def start(self) -> datetime:
        return self.months[0][1]

    @property
    def end(self) -> datetime:
        return self.months[-1][2]

    def on_time(self) -> ColumnElement[bool]:
        """First published before the stored first late instant (deadlines.late_from): the calendar
        and the 目录事项's 公开时限 were applied once per document when it was stored."""
        return Publication.first_published_at < Publication.late_from

    def month_of(self):
        return _month_tree(tuple(self.months))


@lru_cache(maxsize=8)
def _month_tree(months: tuple[tuple[str, datetime, datetime], ...]):
    return _tree(Publication.first_published_at, [m[1] for m in months], [m[0] for m in months])


def window(today: date | None = None, months: int = MONTHS, *, fill: bool = True) -> Window:
    """The months shown today; every stored "late from" filled first (deadlines.fill_late_from)
    unless the caller has just done it."""
    if fill:
        fill_late_from(working_calendar())
    return Window(_months(today or clock.agency_today(), months))


def seen_by(user: User) -> list:
    """The documents this user may see, as conditions.  Nothing for the office and the leaders:
    they see every submitted document, and the dashboard counts no draft (so the query can be
    answered from indexes)."""
    return [] if user.roles & REVIEWER_ROLES else [visible_documents(user)]


# SQLite would read each document's row (and walk the overflow pages of its long texts, once per
# CASE level) for the few short columns an index holds: told to use the index, the figures take
# milliseconds.  PostgreSQL plans these joins itself.
class _CoveringJoin(Join):
    """… JOIN documents INDEXED BY ix_documents_dashboard (SQLite): documents on the right."""

    inherit_cache = True


@compiles(_CoveringJoin, "sqlite")
def _compile_covering(join, compiler, **kw):
    kw["asfrom"] = True
    return (f"{compiler.process(join.left, **kw)} JOIN {compiler.process(join.right, **kw)} "
            f"INDEXED BY ix_documents_dashboard ON {compiler.process(join.onclause, **kw)}")


def _publications_documents():
    return _CoveringJoin(Publication.__table__, Document.__table__, Publication.document_id == Document.id)


def _published_conditions(user: User, win: Window) -> list:
    return [*seen_by(user), Publication.first_published_at >= win.start,
            Publication.first_published_at < win.end, Document.print_date.is_not(None)]


@dataclass
class RateCell:
    published: int = 0
    on_time: int = 0

    @property
    def late(self) -> int:
        return self.published - self.on_time

    @property
    def rate(self) -> float | None:
        return self.on_time / self.published if self.published else None

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"


@dataclass
class Timeliness:
    months: list[str]  # YYYY-MM, oldest first
    departments: list[tuple[int, str]]
    by_month: dict[str, RateCell]
    by_department: dict[int, RateCell]
    cells: dict[tuple[str, int], RateCell]
    total: RateCell

    @property
    def month_bars(self) -> list[tuple[str, float | None, str]]:
        """(月, rate in %, tone) for the chart: green from 95 %, amber from 80 %, red below."""
        out = []
        for m in self.months:
            rate = self.by_month[m].rate
            pct = None if rate is None else rate * 100
            tone = "neutral" if pct is None else "ok" if pct >= 95 else "warn" if pct >= 80 else "danger"
            out.append((f"{int(m[5:])}月", pct, tone))
        return out


def _timeliness_rows(user: User, win: Window) -> list:
    """(month, department, published, on time) from the rows, for a viewer who sees only some documents."""
    # The CASE trees in a subquery, grouped outside by name (PostgreSQL would not match the
    # GROUP BY's copy of an expression whose parameters are bound twice).
    inner = (select(win.month_of().label("month"), Document.department_id.label("dept"),
                    case((win.on_time(), 1), else_=0).label("ok"))
             .select_from(_publications_documents())
             .where(*_published_conditions(user, win)).subquery())
    return db.session.execute(
        select(inner.c.month, inner.c.dept, func.count(), func.sum(inner.c.ok))
        .group_by(inner.c.month, inner.c.dept)).all()


def _month_day(key: str) -> date:
    return date(int(key[:4]), int(key[5:]), 1)


def timeliness(user: User, win: Window, folded: Folded | None = None) -> Timeliness:
    if folded is not None:
        day_keys = {_month_day(m[0]): m[0] for m in win.months}
        rows = [(day_keys[day], dept, n, ok) for dept, day, n, ok in folded.rate]
    elif not seen_by(user):
        # Every submitted document: the rollup's (department, agency month, on time) counts.
        r = DashboardRollup
        day_keys = {_month_day(m[0]): m[0] for m in win.months}
        end = win.months[-1][2].astimezone(clock.AGENCY_TZ).date()
        got = db.session.execute(
            select(r.key_id, r.day, func.sum(r.n), func.sum(case((r.flag == 1, r.n), else_=0)))
            .where(r.figure == "rate", r.day >= min(day_keys), r.day < end)
            .group_by(r.key_id, r.day).having(func.sum(r.n) != 0)).all()
        rows = [(day_keys[day], dept, n, ok) for dept, day, n, ok in got]
    else:
        rows = _timeliness_rows(user, win)
    keys = [m[0] for m in win.months]
    by_month = {k: RateCell() for k in keys}
    by_dept: dict[int, RateCell] = {}
    cells: dict[tuple[str, int], RateCell] = {}
    total = RateCell()
    for m, dept, n, ok in rows:
        ok = int(ok or 0)
        for cell in (by_month.setdefault(m, RateCell()), by_dept.setdefault(dept, RateCell()),
                     cells.setdefault((m, dept), RateCell()), total):
            cell.published += n
            cell.on_time += ok
    if folded is not None:
        names = folded.names
    else:
        names = dict(db.session.execute(select(Department.id, Department.name)
                                        .where(Department.id.in_(list(by_dept)))).all()) if by_dept else {}
    departments = sorted(((d, names.get(d, "")) for d in by_dept), key=lambda p: p[1])
    return Timeliness(keys, departments, by_month, by_dept, cells, total)


# --------------------------------------------------------------------------- documents by stage and age

def active_stages() -> list[Stage]:
    return [s for s in STAGES if s not in SETTLED_STAGES]


def _days_ago(today: date, days: int) -> datetime:
    """The first instant of the agency day `days` before today (UTC)."""
    return _agency_midnight(today - timedelta(days=days))


def entered_by(today: date) -> ColumnElement[bool]:
    """Entered its stage on or before today (an agency day): the documents the ages count."""
    return Document.stage_entered_at < _days_ago(today, -1)


def _age_condition(key: str, today: date) -> ColumnElement[bool]:
    """Age in whole agency days: today minus the agency day the document entered its stage, from
    lo to hi (both included) — the same for the whole of a day, so (data, today) decides it."""
    _, _, lo, hi = next(b for b in AGE_BUCKETS if b[0] == key)
    conds = [Document.stage_entered_at < _days_ago(today, lo - 1)]
    if hi is not None:
        conds.append(Document.stage_entered_at >= _days_ago(today, hi))
    return and_(*conds)


@dataclass
class StageAges:
    stages: list[Stage]
    cells: dict[tuple[str, str], int]  # (stage, age key) -> documents
    by_stage: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_stage.values())

    @property
    def rows(self) -> list[tuple[str, dict[str, int]]]:
        return [(s.label, {k: self.cells[(s.value, k)] for k in AGE_KEYS}) for s in self.stages]


def stages_by_age(user: User, today: date | None = None, folded: Folded | None = None) -> StageAges:
    today = today or clock.agency_today()
    # Oldest first: "31+" before the first instant of today-30, then each bucket from the first
    # instant of its oldest day (today - hi) — the same intervals as _age_condition.
    keys = [b[0] for b in reversed(AGE_BUCKETS)]
    bounds = [None] + [_days_ago(today, b[3]) for b in reversed(AGE_BUCKETS[:-1])]
    stages = active_stages()
    if folded is not None:
        rows = folded.stage
    elif not seen_by(user):
        # The rollup's (stage, agency day entered) counts: age = today − that day, the same buckets.
        r = DashboardRollup
        age = case(*[(r.day >= today - timedelta(days=b[3]), b[0]) for b in AGE_BUCKETS[:-1]],
                   else_=AGE_BUCKETS[-1][0])
        inner = (select(r.key_text.label("stage"), age.label("age"), r.n)
                 .where(r.figure == "stage", r.day <= today, r.key_text.in_([s.value for s in stages])).subquery())
        rows = db.session.execute(
            select(inner.c.stage, inner.c.age, func.sum(inner.c.n)).group_by(inner.c.stage, inner.c.age)).all()
    else:
        inner = (select(Document.stage.label("stage"), _tree(Document.stage_entered_at, bounds, keys).label("age"))
                 .where(*seen_by(user), Document.stage.in_([s.value for s in stages]), entered_by(today)).subquery())
        rows = db.session.execute(
            select(inner.c.stage, inner.c.age, func.count()).group_by(inner.c.stage, inner.c.age)).all()
    cells = {(s.value, k): 0 for s in stages for k in AGE_KEYS}
    by_stage = {s.value: 0 for s in stages}
    for stage, key, n in rows:
        cells[(stage, key)] = int(n)
        by_stage[stage] += int(n)
    return StageAges(stages, cells, by_stage)


# --------------------------------------------------------------------------- applications due

def soon_limit(today: date, calendar: Calendar) -> date:
    """The last day with at most DUE_SOON_DAYS working days left, seen from today."""
    return add_working_days(today, DUE_SOON_DAYS + 1, calendar).due - timedelta(days=1)


def _application_conditions(which: str, today: date, limit: date) -> list:
    conds = [Application.stage.in_(CLOCK_RUNNING), Application.due_on.is_not(None), Application.due_on != NO_DUE]
    if which == "overdue":
        conds.append(Application.due_on < today)
    else:
        conds += [Application.due_on >= today, Application.due_on <= limit]
    return conds


@dataclass
class ApplicationsDue:
    departments: list[tuple[int | None, str]]
    soon: dict[int | None, int]
    overdue: dict[int | None, int]
    limit: date

    @property
    def total_soon(self) -> int:
        return sum(self.soon.values())

    @property
    def total_overdue(self) -> int:
        return sum(self.overdue.values())


def _applications_select(today: date, limit: date):
    r = DashboardRollup
    overdue = func.sum(case((r.day < today, r.n), else_=0))
    return (select(r.key_id, func.sum(r.n), overdue).where(r.figure == "apps", r.day <= limit)
            .group_by(r.key_id).having(func.sum(r.n) != 0))


def applications_due(today: date, calendar: Calendar, folded: Folded | None = None) -> ApplicationsDue:
    limit = soon_limit(today, calendar)
    # The rollup's (department, due day) counts of the applications whose clock runs (not the
    # 9999-12-31 marker): _application_conditions' rows.
    rows = folded.apps if folded is not None else db.session.execute(_applications_select(today, limit)).all()
    soon = {d: int(n) - int(o or 0) for d, n, o in rows}
    late = {d: int(o or 0) for d, n, o in rows}
    ids = [d for d in soon if d is not None]
    if folded is not None:
        names = folded.names
    else:
        names = dict(db.session.execute(select(Department.id, Department.name).where(Department.id.in_(ids))).all()) \
            if ids else {}
    departments = sorted(((d, names.get(d, "未分配处室") if d is not None else "未分配处室") for d in soon),
                         key=lambda p: (p[0] is None, p[1]))
    return ApplicationsDue(departments, soon, late, limit)


# --------------------------------------------------------------------------- transfers pending

def _delivered_to(destination_id: int):
    return exists().where(TransferItem.document_id == Document.id, TransferItem.kind == "deliver",
                          TransferItem.batch_id == TransferBatch.id, TransferBatch.destination_id == destination_id)


def overdue_from(period_days: int, today: date) -> datetime:
    """Waiting longer than the destination's period: first published on an agency day more than
    `period_days` days before today, i.e. before the first instant of today - period_days (the
    same for the whole of a day, so (data, today) decides it; as transfers.pending counts days)."""
    return _days_ago(today, period_days)


def _pending_conditions(dest_id: int, period_days: int, overdue: bool, today: date) -> list:
    conds = [Document.stage == Stage.PUBLISHED.value, ~_delivered_to(dest_id)]
    if overdue:
        conds.append(Publication.first_published_at < overdue_from(period_days, today))
    return conds


def _transfers_select(bounds: dict[int, date]):
    r = DashboardRollup
    columns = [r.figure, r.key_id, func.sum(r.n)] + [func.sum(case((r.day < day, r.n), else_=0)) for day in bounds.values()]
    return (select(*columns).where(r.figure.in_(("pub", "dlv")), or_(r.figure == "pub", r.key_id.in_(list(bounds))))
            .group_by(r.figure, r.key_id))


def _rollup_transfers(olds: dict[int, datetime],
                      rows: list | None = None) -> tuple[int, dict[int, int], dict[int, tuple[int, int]]]:
    """From the rollup, in one statement: published documents (pub) and, per destination, those
    first published before its bound; per destination, the published documents delivered to it (dlv,
    each once) and those of them first published before its bound.  By agency day of first
    publication: first published before the agency midnight `old` is an agency day before old's.
    `rows`: that statement's rows, read already (Folded)."""
    bounds = _bounds(olds)
    if rows is None:
        rows = db.session.execute(_transfers_select(bounds)).all()
    published, published_old, delivered = 0, dict.fromkeys(bounds, 0), {}
    for figure, dest, n, *old in rows:
        if figure == "pub":
            published += int(n)
            published_old = {d: published_old[d] + int(o) for d, o in zip(bounds, old, strict=True)}
        else:
            delivered[dest] = (int(n), int(old[list(bounds).index(dest)]))
    return published, published_old, delivered


@dataclass(frozen=True)
class TransferRow:
    destination_id: int
    name: str
    kind: str
    period_days: int
    pending: int
    overdue: int


def _bounds(olds: dict[int, datetime]) -> dict[int, date]:
    return {d: at.astimezone(clock.AGENCY_TZ).date() for d, at in olds.items()}


_DESTINATIONS = (select(TransferDestination.id, TransferDestination.name, TransferDestination.kind,
                        TransferDestination.period_days)
                 .where(TransferDestination.active.is_(True)).order_by(TransferDestination.id))


def transfers_pending(today: date | None = None, folded: Folded | None = None) -> list[TransferRow]:
    today = today or clock.agency_today()
    dests = folded.destinations if folded is not None else list(db.session.execute(_DESTINATIONS).all())
    if not dests:
        return []
    # Not delivered = published − delivered (the lists use NOT EXISTS: the same documents).
    olds = {d.id: overdue_from(d.period_days, today) for d in dests}
    published, published_old, delivered = _rollup_transfers(olds, folded.transfers if folded is not None else None)
    out = []
    for d in dests:
        n_delivered, delivered_old = delivered.get(d.id, (0, 0))
        out.append(TransferRow(d.id, d.name, d.kind, d.period_days, published - n_delivered,
                               published_old[d.id] - delivered_old))
    return out


# --------------------------------------------------------------------------- the annual report

@dataclass(frozen=True)
class ReportPanel:
    year: int
    due: date
    days_left: int  # calendar days to the due day; negative when past
    status: str  # in words
    done: bool | None  # None: unknown (no report module yet)
    link: str | None = None


def report_year(today: date) -> int:
    """The year whose report is due next: last year's until 31 January, then this year's."""
    return today.year - 1 if (today.month, today.day) <= (1, 31) else today.year


def report_panel(today: date) -> ReportPanel:
    year = report_year(today)
    due = date(year + 1, 1, 31)
    label, done, link = report_state(year)
    return ReportPanel(year, due, (due - today).days, label, done, link)


def report_state(year: int) -> tuple[str, bool, str]:
    """(words, published, link) of the year's 政府信息公开工作年度报告 (services/annual_report)."""
    from .annual_report import report_status

    st = report_status(year)
    return st.label, st.state == "published", f"/annual-report/{year}"


# --------------------------------------------------------------------------- the whole page

@dataclass
class Dashboard:
    today: date
    timeliness: Timeliness
    stages: StageAges
    applications: ApplicationsDue
    transfers: list[TransferRow]
    report: ReportPanel
    extras: dict = field(default_factory=dict)

    @property
    def transfer_bars(self) -> list[tuple[str, int, str]]:
        return [(t.name[:6], t.pending, "danger" if t.overdue else "info") for t in self.transfers]

    @property
    def transfer_max(self) -> int:
        return max([1, *(t.pending for t in self.transfers)])


def _compute(user: User, today: date, calendar: Calendar, folded: Folded | None = None) -> Dashboard:
    win = window(today, fill=False)
    if folded is None and not seen_by(user):
        folded = read_folded(today, calendar, win)
    if folded is not None:
        return Dashboard(today, timeliness(user, win, folded), stages_by_age(user, today, folded),
                         applications_due(today, calendar, folded), transfers_pending(today, folded),
                         report_panel(today))
    return Dashboard(today, timeliness(user, win), stages_by_age(user, today), applications_due(today, calendar),
                     transfers_pending(today), report_panel(today))


# --------------------------------------------------------------------------- one statement for the rollup

@dataclass
class Folded:
    """What the office's and the leaders' figures read, from ONE statement (`read_folded`): each
    figure's rollup sums (the rows its own statement would return), the departments' names, whether
    a publication lacks its late_from, and how many delta rows wait for a compaction (capped)."""

    rate: list = field(default_factory=list)  # (department, agency month's first day, published, on time)
    stage: list = field(default_factory=list)  # (stage, age key, documents)
    apps: list = field(default_factory=list)  # (department, due by the soon limit, of which overdue)
    transfers: list = field(default_factory=list)  # (pub|dlv, destination, n, n before each bound…)
    names: dict = field(default_factory=dict)  # department id -> name
    destinations: list = field(default_factory=list)
    late_missing: bool = False
    unmerged: int = 0


def _padded(tag: str, width: int, *, k=None, t1=None, t2=None, day=None, sums=()):
    """One member of the folded UNION ALL: (tag, k, t1, t2, day, s0 … s{width-1}), every column cast
    to one type (PostgreSQL resolves a UNION's column types from its members)."""
    from sqlalchemy import BigInteger, Date, Integer, String, cast, literal_column, null, type_coerce

    def c(value, type_):
        if value is None:
            return cast(null(), type_)
        # a date as it is (SQLite's CAST … AS DATE would make the text a number)
        return type_coerce(value, type_) if type_ is Date else cast(value, type_)

    sums = list(sums) + [None] * (width - len(sums))
    return [literal_column(f"'{tag}'").label("tag"), c(k, Integer).label("k"), c(t1, String).label("t1"),
            c(t2, String).label("t2"), c(day, Date).label("day"),
            *(c(v, BigInteger).label(f"s{i}") for i, v in enumerate(sums))]


_FOLDED: dict[int, object] = {}


def _folded_select(n_destinations: int):
    """The folded statement for this many active destinations, built once (building it cost more
    than running it) and run with `_folded_params`: every day in it is a bind parameter."""
    stmt = _FOLDED.get(n_destinations)
    if stmt is not None:
        return stmt
    from sqlalchemy import Date, Integer, union_all

    def day(name: str):
        return bindparam(name, type_=Date)

    r = DashboardRollup
    width = max(2, 1 + n_destinations)
    today = day("f_today")
    # 按期发布率: (department, agency month) counts of the months shown
    ok = func.sum(case((r.flag == 1, r.n), else_=0))
    rate = (select(*_padded("rate", width, k=r.key_id, day=r.day, sums=(func.sum(r.n), ok)))
            .where(r.figure == "rate", r.day >= day("f_from"), r.day < day("f_end"))
            .group_by(r.key_id, r.day).having(func.sum(r.n) != 0))
    # 在办文件: (stage, age bucket)
    age = case(*[(r.day >= day(f"f_age_{b[0]}"), b[0]) for b in AGE_BUCKETS[:-1]], else_=AGE_BUCKETS[-1][0])
    inner = (select(r.key_text.label("stage"), age.label("age"), r.n)
             .where(r.figure == "stage", r.day <= today, r.key_text.in_([s.value for s in active_stages()]))
             .subquery())
    stage = (select(*_padded("stage", width, t1=inner.c.stage, t2=inner.c.age, sums=(func.sum(inner.c.n),)))
             .group_by(inner.c.stage, inner.c.age))
    # 依申请公开: (department) due by the soon limit, of which overdue
    apps = (select(*_padded("apps", width, k=r.key_id,
                            sums=(func.sum(r.n), func.sum(case((r.day < today, r.n), else_=0)))))
            .where(r.figure == "apps", r.day <= day("f_limit")).group_by(r.key_id).having(func.sum(r.n) != 0))
    # 送交: published, and delivered per destination, each also before the destination's bound
    ids = [bindparam(f"f_dest_{i}", type_=Integer) for i in range(n_destinations)]
    transfers = (select(*_padded("xfer", width, k=r.key_id, t1=r.figure,
                                 sums=(func.sum(r.n), *(func.sum(case((r.day < day(f"f_bound_{i}"), r.n), else_=0))
                                                        for i in range(n_destinations)))))
                 .where(r.figure.in_(("pub", "dlv")), or_(r.figure == "pub", r.key_id.in_(ids)))
                 .group_by(r.figure, r.key_id))
    names = select(*_padded("name", width, k=Department.id, t1=Department.name))
    late = (select(Publication.document_id).join(Document, Publication.document_id == Document.id)
            .where(Publication.late_from.is_(None), Document.print_date.is_not(None)).limit(1).subquery())
    unmerged = select(r.id).where(~r.merged).limit(COMPACT_AFTER + 1).subquery()
    checks = select(*_padded("checks", width, sums=(select(func.count()).select_from(late).scalar_subquery(),
                                                     select(func.count()).select_from(unmerged).scalar_subquery())))
    stmt = _FOLDED[n_destinations] = union_all(rate, stage, apps, transfers, names, checks)
    return stmt


def _folded_params(today: date, limit: date, win: Window, bounds: dict[int, date]) -> dict:
    params = {"f_today": today, "f_limit": limit, "f_from": _month_day(win.months[0][0]),
              "f_end": win.months[-1][2].astimezone(clock.AGENCY_TZ).date(),
              **{f"f_age_{b[0]}": today - timedelta(days=b[3]) for b in AGE_BUCKETS[:-1]}}
    for i, (dest, bound) in enumerate(bounds.items()):
        params[f"f_dest_{i}"], params[f"f_bound_{i}"] = dest, bound
    return params


def read_folded(today: date, calendar: Calendar, win: Window, versions: tuple | None = None) -> Folded:
    """Every rollup figure, the departments' names and the two checks (a missing late_from, the
    deltas waiting for a compaction) in ONE statement: one round trip where there were eight (the
    destinations are kept under their table's version, when `versions` were read first)."""
    dests = destinations(versions[_DEST_VERSION] if versions is not None else None)
    bounds = _bounds({d.id: overdue_from(d.period_days, today) for d in dests})
    out = Folded(destinations=dests)
    params = _folded_params(today, soon_limit(today, calendar), win, bounds)
    for tag, k, t1, t2, day, *sums in standin.execute(_folded_select(len(bounds)), params).all():
        if tag == "rate":
            out.rate.append((k, day, int(sums[0]), int(sums[1] or 0)))
        elif tag == "stage":
            out.stage.append((t1, t2, int(sums[0])))
        elif tag == "apps":
            out.apps.append((k, int(sums[0]), int(sums[1] or 0)))
        elif tag == "xfer":
            out.transfers.append((t1, k, int(sums[0]), *(int(v or 0) for v in sums[1:1 + len(bounds)])))
        elif tag == "name":
            out.names[k] = t1
        else:
            out.late_missing, out.unmerged = bool(sums[0]), int(sums[1])
    return out


# The active destinations, kept per engine under transfer_destinations' data version (read FIRST by
# the view, as the figures' key is): a destination changes only with that version, so a kept list is
# never older than the version it is kept under (FiguresCache's argument, for one table).
_DEST_VERSION = WATCHED.index("transfer_destinations")
_destinations: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def destinations(version: int | None = None) -> list:
    """The active destinations (id, name, kind, period_days); from this process's copy when
    `version` (transfer_destinations' data version, read before) is the one it was read under."""
    if version is None:
        return list(db.session.execute(_DESTINATIONS).all())
    kept = _destinations.get(db.engine)
    if kept is not None and kept[0] == version:
        return kept[1]
    got = list(db.session.execute(_DESTINATIONS).all())
    _destinations[db.engine] = (version, got)
    return got


def dashboard(user: User, today: date | None = None, riders: standin.Riders | None = None) -> Dashboard:
    """The page's figures: from this process's cache when the data and the agency day are those they
    were computed from (figures_cache), else computed and kept.  `riders`: the navigation's counters
    (services/todo.navigation_riders), read by the versions' statement (services/standin.Riders).

    Treat the result as read-only: it may be shared with other requests and threads."""
    today = today or clock.agency_today()
    scope = cache_scope(user)
    if scope is None:  # figures of what this user may see, grouped from the rows: nothing kept
        calendar = working_calendar()
        apart(fill_late_from, calendar)
        apart(compact_rollup)
        return _compute(user, today, calendar)
    if not figures_cache.enabled:
        return _fresh(user, today, None)[1]  # (the navigation then runs its own statement)
    # FIRST: see figures_cache for why this order makes a hit safe.  The navigation's counters (and
    # the kept user's fingerprint) ride on it in a reads-only request: a hit is then one statement.
    versions = read_versions(riders)
    cache = figures_cache.of(db.engine)
    kept = cache.get((scope, versions, today))
    if kept is not None:
        return kept
    versions, board = _fresh(user, today, versions)
    cache.put((scope, versions, today), board)
    return board


def _fresh(user: User, today: date, versions: tuple | None) -> tuple[tuple | None, Dashboard]:
    """The office's figures from the rollup (read_folded), and the versions they are at least as
    new as.  A missing late_from is filled and the deltas compacted in a transaction of their own
    (`apart`): the folded statement says whether either is needed."""
    calendar = working_calendar()
    win = window(today, fill=False)
    folded = read_folded(today, calendar, win, versions)
    if folded.late_missing and apart(fill_late_from, calendar):
        # it committed: the versions moved (publications); read them, then the figures, again
        versions = read_versions() if versions is not None else None
        folded = read_folded(today, calendar, win, versions)
    board = _compute(user, today, calendar, folded)
    if folded.unmerged > COMPACT_AFTER:
        apart(compact_rollup, True)  # changes no figure and no version
    return versions, board


# --------------------------------------------------------------------------- the rollup's compaction

_UNMERGED = text(f"SELECT count(*) FROM (SELECT 1 FROM dashboard_rollup WHERE NOT merged LIMIT {COMPACT_AFTER + 1}) AS t")


def compact_rollup(force: bool = False) -> bool:
    """Fold the rollup's delta rows into one row per key (webapp/dashboard_rollup.py) when more than
    COMPACT_AFTER were added since the last time, so a view sums a few thousand rows at most.  The
    sums, hence every figure, are the same before and after.  Commits; True when it compacted.  Skipped
    (False) when another compaction holds the PostgreSQL lock, or SQLite is busy with a writer."""
    if not force and db.session.execute(_UNMERGED).scalar_one() <= COMPACT_AFTER:
        return False
    dialect = db.engine.dialect.name
    try:
        if dialect == "postgresql":
            if not db.session.execute(text("SELECT pg_try_advisory_xact_lock(hashtext('dashboard_rollup'))")).scalar():
                db.session.rollback()
                return False
            params = {}
        else:
            params = {"upto": db.session.execute(select(func.max(DashboardRollup.id))).scalar() or 0}
        for statement in compact_statements(dialect):
            db.session.execute(text(statement), params)
        db.session.commit()
    except OperationalError:  # SQLite: the database is locked by a writer; the next view tries again
        db.session.rollback()
        return False
    return True


# --------------------------------------------------------------------------- the cache of the figures

def cache_scope(user: User) -> str | None:
    """What makes the figures differ between viewers (seen_by): nothing for the office, the
    leaders and the secrecy reviewers (every submitted document, no condition) — one shared
    entry; anyone else's figures depend on their own visibility and are not kept."""
    return "all" if not seen_by(user) else None


_VERSIONS = select(DataVersion.name, DataVersion.version).where(DataVersion.name.in_(WATCHED))
_VERSIONS_WITH: dict = {}


def read_versions(riders: standin.Riders | None = None) -> tuple[int | None, ...]:
    """The version of every table the figures read (webapp/data_versions.py), in one small statement;
    None for a table whose row is missing (not written since its row was removed).  `riders`: another
    service's columns on the same statement (services/standin.Riders: the navigation's counters)."""
    if riders is None:
        got = dict(db.session.execute(_VERSIONS).all())
    else:
        stmt = _VERSIONS_WITH.get(riders.key)
        if stmt is None:
            stmt = _VERSIONS_WITH[riders.key] = _VERSIONS.add_columns(*riders.columns)
        rows = standin.execute(stmt, riders.params).all()
        if rows:
            riders.take(rows[0][2:])
        got = {row[0]: row[1] for row in rows}
    return tuple(got.get(name) for name in WATCHED)


def apart(write, *args):
    """Run `write` (it commits) in a session and transaction of its own — a fresh app context, so a
    connection of its own from the pool: in a reads-only request (webapp/readonly.py) the request's
    own connection may not write, and the view's reads are not held up by it."""
    if not is_reads_only_request():
        return write(*args)
    with current_app.app_context():
        try:
            return write(*args)
        finally:
            db.session.remove()


class FiguresCache:
    """The dashboard's figures kept per process, per database engine (one per app), under
    (scope, versions, agency day): a small LRU, safe to share between threads.

    Why an entry can never be older than the committed data its key names:
    - every change to a table the figures read bumps that table's version in the same transaction
      (triggers, webapp/data_versions.py; on PostgreSQL at COMMIT, inside it), so a commit makes its
      data and its new versions visible together, and no commit leaves them all unchanged;
    - a reader reads the versions FIRST, in a statement of its own, and computes the figures after
      it.  Under READ COMMITTED (PostgreSQL) each later statement sees a snapshot taken later, so it
      sees every commit the versions showed, perhaps more; SQLite's statements likewise see the
      versions' snapshot or a newer one.  The figures stored under a key are therefore at least as
      new as the data that key was read from — never older;
    - a reader that reads versions V and finds an entry is served figures computed from data at
      least as new as V; had any commit happened since, it would have read other versions.  A
      reader that computes from newer data than its key only ever stores figures *newer* than the
      key: any later reader of that same key is served at least the data it would have seen;
    - the only missing fill (publications.late_from, cleared by a holiday override) is done before
      computing: if `fill_late_from` committed, the versions are read again before computing, so an
      entry's figures never count an unfilled row under a key read after the rows were filled;
    - the figures depend on the clock only through the agency day (ages and transfers' waiting
      time in whole agency days, the months, the soon/overdue limits, the report's countdown), and
      the day is in the key; the working calendar is in the watched tables.
    Every worker process has its own cache and reads the versions on each view, so a write made
    through any worker shows on the next view of every other.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class _Caches:
    """The caches of this process, one per engine (an app; two apps on one database in a test stand
    for two worker processes), and the process-wide switch (`enabled`, for tests and benches)."""

    SIZE = 4  # entries per engine: a day's rollover and a change under way need a few, no more

    def __init__(self) -> None:
        self.enabled = True
        self._by_engine: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def of(self, engine) -> FiguresCache:
        with self._lock:
            cache = self._by_engine.get(engine)
            if cache is None:
                cache = self._by_engine[engine] = FiguresCache(self.SIZE)
            return cache


figures_cache = _Caches()


# --------------------------------------------------------------------------- the lists behind the numbers

@dataclass(frozen=True)
class Record:
    """One row of a list: what it is, a few words, and where it opens (None: not for this user)."""

    label: str
    detail: str
    department: str
    day: date | datetime | None
    link_endpoint: str | None
    link_args: dict


@dataclass
class RecordList:
    title: str
    records: list[Record]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.records)


class UnknownList(ValueError):
    """A list the dashboard does not have (a hand-edited link): said to the user, nothing else."""


METRICS = ("published", "stage", "applications", "transfers", "validity")
VALIDITY_DAYS = 30  # the 待办 list's "normative documents whose validity ends within 30 days, or has ended"


def validity_condition(today: date, until=None) -> tuple:
    """Normative documents in force that end within VALIDITY_DAYS of `today` (or on or before
    `until`, a bind parameter holding that day, for a statement built once)."""
    return (Document.is_normative.is_(True), Document.validity == "valid", Document.effective_to.is_not(None),
            Document.effective_to <= (until if until is not None else today + timedelta(days=VALIDITY_DAYS)))


def _doc_record(row) -> Record:
    return Record(row.title, row.doc_number or "", row.department, row.day, "main.document", {"doc_id": row.id})


def records(user: User, metric: str, *, month: str | None = None, department: int | None = None,
            timeliness_: str | None = None, stage: str | None = None, age: str | None = None,
            due: str | None = None, destination: int | None = None, overdue: bool = False,
            today: date | None = None, limit: int = LIST_LIMIT) -> RecordList:
    """The rows a dashboard number counts, by the same conditions as the count."""
    today = today or clock.agency_today()
    if metric == "published":
        win = window(today)
        conds = _published_conditions(user, win)
        title = "已发布的主动公开文件"
        if month is not None:
            span = next((m for m in win.months if m[0] == month), None)
            if span is None:
                raise UnknownList("月份不在看板的统计范围内。")
            conds += [Publication.first_published_at >= span[1], Publication.first_published_at < span[2]]
            title = f"{cn_month(month)}首次发布的主动公开文件"
        if department is not None:
            conds.append(Document.department_id == department)
        if timeliness_ == "on_time":
            conds.append(win.on_time())
            title += "（按期发布）"
        elif timeliness_ == "late":
            conds.append(~win.on_time())
            title += "（逾期发布）"
        elif timeliness_ is not None:
            raise UnknownList("按期情况只能是按期或逾期。")
        query = (select(Document.id, Document.title, Document.doc_number, Department.name.label("department"),
                        Publication.first_published_at.label("day"))
                 .join(Publication, Publication.document_id == Document.id)
                 .join(Department, Department.id == Document.department_id).where(*conds))
        return _run(query, conds, title, _doc_record, limit, Publication.first_published_at.desc(),
                    join_publication=True)
    if metric == "stage":
        stages = {s.value: s for s in active_stages()}
        if stage not in stages:
            raise UnknownList("看板没有这个状态的统计。")
        if age is not None and age not in AGE_KEYS:
            raise UnknownList("停留时间分段无效。")
        conds = [*seen_by(user), Document.stage == stage, entered_by(today)]
        title = f"处于“{stages[stage].label}”的文件"
        if age is not None:
            conds.append(_age_condition(age, today))
            title += f"（已停留{next(b[1] for b in AGE_BUCKETS if b[0] == age)}）"
        query = (select(Document.id, Document.title, Document.doc_number, Department.name.label("department"),
                        Document.stage_entered_at.label("day"))
                 .join(Department, Department.id == Document.department_id).where(*conds))
        return _run(query, conds, title, _doc_record, limit, Document.stage_entered_at.asc())
    if metric == "applications":
        if due not in ("soon", "overdue"):
            raise UnknownList("申请期限只能是即将到期或已逾期。")
        limit_day = soon_limit(today, working_calendar())
        conds = _application_conditions(due, today, limit_day)
        if department is not None:  # 0: the applications not yet given to a department
            conds.append(Application.department_id == department if department else Application.department_id.is_(None))
        title = "即将到期的政府信息公开申请" if due == "soon" else "已逾期未答复的政府信息公开申请"
        from .applications import sees_all

        opens = sees_all(user)
        query = (select(Application.id, Application.received_on, Application.due_on, Application.stage,
                        func.coalesce(Department.name, "未分配处室").label("department"))
                 .outerjoin(Department, Department.id == Application.department_id).where(*conds))

        def app_record(row) -> Record:
            reference = f"依申〔{row.received_on.year}〕{row.id}号"
            return Record(reference, f"{AppStage(row.stage).label}，答复期限 {row.due_on.year}年{row.due_on.month}月"
                          f"{row.due_on.day}日", row.department, row.received_on,
                          "applications.detail" if opens else None, {"app_id": row.id})

        total = _count(Application.id, conds)
        rows = db.session.execute(query.order_by(Application.due_on, Application.id).limit(limit)).all()
        return RecordList(title, [app_record(r) for r in rows], total)
    if metric == "transfers":
        dest = db.session.get(TransferDestination, destination) if destination and 0 < destination < 2**31 else None
        if dest is None or not dest.active:
            raise UnknownList("送交单位不存在或已停用。")
        conds = _pending_conditions(dest.id, dest.period_days, overdue, today)
        title = f"待送交{dest.name}的文件" + (f"（超过 {dest.period_days} 天未送交）" if overdue else "")
        query = (select(Document.id, Document.title, Document.doc_number, Department.name.label("department"),
                        Publication.first_published_at.label("day"))
                 .join(Publication, Publication.document_id == Document.id)
                 .join(Department, Department.id == Document.department_id).where(*conds))
        return _run(query, conds, title, _doc_record, limit, Publication.first_published_at.asc(),
                    join_publication=True)
    if metric == "validity":
        conds = [*seen_by(user), *validity_condition(today)]
        query = (select(Document.id, Document.title, Document.doc_number, Department.name.label("department"),
                        Document.effective_to.label("day"))
                 .join(Department, Department.id == Document.department_id).where(*conds))
        return _run(query, conds, f"有效期{VALIDITY_DAYS}天内届满或已届满的行政规范性文件", _doc_record, limit,
                    Document.effective_to.asc())
    raise UnknownList("看板没有这个列表。")


def _count(key, conds, join_publication: bool = False) -> int:
    query = select(func.count(key)).where(*conds)
    if join_publication:
        query = query.select_from(Document).join(Publication, Publication.document_id == Document.id)
    return db.session.execute(query).scalar_one()


def _run(query, conds, title, make, limit, order, join_publication: bool = False) -> RecordList:
    total = _count(Document.id, conds, join_publication)
    rows = db.session.execute(query.order_by(order, Document.id).limit(limit)).all()
    return RecordList(title, [make(r) for r in rows], total)
