"""待办: what waits for this user across every area, and the navigation's counters (issue 12).

The chain's stages are counted by `queues.counter_queries`; every other area adds a capped count
*expression* here, and `navigation` runs them all as one SELECT of scalar subqueries: one query
per page for the whole navigation, whatever the roles.  Each
count uses the same condition as the list its link opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import g
from sqlalchemy import Date, bindparam, exists, func, select

from .. import clock
from ..applications_flow import AppStage
from ..extensions import db
from ..models import (
    Application,
    Document,
    Publication,
    SelfReview,
    TransferBatch,
    TransferDestination,
    TransferItem,
    User,
)
from ..workflow import STAGES, Role, Stage, queue_stages_for, work_queue_stages_for
from . import holidays, queues, reminders, session_user, standin
from .applications import undelivered_query as applications_undelivered
from .applications import visible as applications_visible
from .dashboard import VALIDITY_DAYS, seen_by, validity_condition
from .standin import StandIn

CAP = queues.NAV_COUNT_CAP


@dataclass(frozen=True)
class Item:
    key: str
    area: str
    label: str
    count: int
    endpoint: str
    args: dict

    @property
    def count_label(self) -> str:
        return "99+" if self.count >= CAP else str(self.count)


def _capped(query) -> object:
    return select(func.count()).select_from(query.limit(CAP).subquery()).scalar_subquery()


def _transfers_due():
    """Published documents not yet delivered to some active destination."""
    delivered = exists().where(TransferItem.document_id == Document.id, TransferItem.kind == "deliver",
                               TransferItem.batch_id == TransferBatch.id,
                               TransferBatch.destination_id == TransferDestination.id)
    missing = exists().where(TransferDestination.active.is_(True), ~delivered)
    return select(Document.id).join(Publication, Publication.document_id == Document.id).where(
        Document.stage == Stage.PUBLISHED.value, missing)


# key -> (area, label, endpoint, args, roles that see it)
AREAS: dict[str, tuple[str, str, str, dict, frozenset[Role]]] = {
    "applications_open": ("依申请公开", "待办理的政府信息公开申请", "applications.queue", {},
                          frozenset({Role.HANDLER})),
    "applications_reply_review": ("依申请公开", "待审核的答复", "applications.queue", {}, frozenset({Role.OFFICE})),
    "applications_extension": ("依申请公开", "待批准的延期答复", "applications.queue", {},
                               frozenset({Role.DISCLOSURE_HEAD})),
    # an online application's status the portal refused (or keeps failing): its own staff only
    "applications_push_failed": ("依申请公开", "办理状态推送未成功", "applications.queue", {"_anchor": "push-problems"},
                                 frozenset({Role.HANDLER, Role.OFFICE, Role.DISCLOSURE_HEAD})),
    "transfers_due": ("送交与归档", "已发布、尚未送交完毕的文件", "transfers.dashboard", {}, frozenset({Role.ARCHIVIST})),
    "self_review_mine": ("年度复核", "待本人确认的年度复核结论", "transfers.self_review_mine", {},
                         frozenset({Role.DRAFTER})),
    "validity_expiring": ("规范性文件", f"{VALIDITY_DAYS}天内到期或已到期的规范性文件", "dashboard.records",
                          {"metric": "validity"}, frozenset({Role.OFFICE})),
}


def _area_queries(user: User, today: date | None, validity_until=None) -> dict[str, object]:
    roles = user.roles
    out: dict[str, object] = {}
    if Role.HANDLER in roles:
        out["applications_open"] = _capped(select(Application.id).where(
            Application.due_on.is_not(None), applications_visible(user)))
    if Role.OFFICE in roles:
        out["applications_reply_review"] = _capped(select(Application.id).where(
            Application.stage == AppStage.REPLY_REVIEW.value))
    if Role.DISCLOSURE_HEAD in roles:
        out["applications_extension"] = _capped(select(Application.id).where(
            Application.due_on.is_not(None), Application.extension_requested.is_(True),
            Application.extension_days == 0))
    if roles & {Role.HANDLER, Role.OFFICE, Role.DISCLOSURE_HEAD}:
        out["applications_push_failed"] = _capped(applications_undelivered(user))
    if Role.ARCHIVIST in roles:
        out["transfers_due"] = _capped(_transfers_due())
    if Role.DRAFTER in roles:
        out["self_review_mine"] = _capped(select(SelfReview.id).join(Document, SelfReview.document_id == Document.id)
                                          .where(SelfReview.status == "awaiting_department",
                                                 Document.drafter_id == user.id))
    if Role.OFFICE in roles:
        out["validity_expiring"] = _capped(select(Document.id).where(*seen_by(user),
                                                                      *validity_condition(today, validity_until)))
    return out


def counts(user: User, today: date | None = None) -> dict[str, int]:
    """Every area's count beside the chain's and the unread reminders, in one query."""
    queries = {**_area_queries(user, today or clock.agency_today()),
               "reminders": reminders.unread_count_query(user)}
    row = db.session.execute(select(*(q.label(k) for k, q in queries.items()))).one()
    return dict(zip(queries, row, strict=True))


def nav_counts(user: User, chain: dict[str, int]) -> dict[str, int]:
    """The navigation's extra counters: the 待办 total (every item below) and unread reminders."""
    extra = counts(user)
    total = sum(chain.values()) + sum(v for k, v in extra.items() if k != "reminders")
    return {"todo": total, "reminders": extra["reminders"]}


_NAV: dict[tuple[frozenset[Role], bool], tuple[tuple, tuple[str, ...], tuple[str, ...]]] = {}


def _navigation_columns(roles: frozenset[Role], has_department: bool):
    """The navigation's labelled scalar subqueries (and the calendar's fingerprint last), built once
    per shape (roles, with or without a department): bind parameters `who_id`, `who_department`
    (services/standin) and `validity_until`."""
    key = (roles, has_department)
    built = _NAV.get(key)
    if built is None:
        who = StandIn(roles, has_department)
        chain_q = queues.counter_queries(who)  # type: ignore[arg-type]
        extra_q = {**_area_queries(who, None, bindparam("validity_until", type_=Date)),  # type: ignore[arg-type]
                   "reminders": reminders.unread_count_query(who)}  # type: ignore[arg-type]
        columns = (*(q.label(f"nav_{k}") for k, q in {**chain_q, **extra_q}.items()),
                   holidays.FINGERPRINT.label("calendar_fingerprint"),  # no round trip of its own
                   session_user.FINGERPRINT.label("user_fingerprint"))  # confirms a kept user
        built = _NAV[key] = (columns, tuple(chain_q), tuple(extra_q))
    return built


_NAV_STATEMENTS: dict[tuple[frozenset[Role], bool], object] = {}


def _navigation_statement(roles: frozenset[Role], has_department: bool):
    stmt = _NAV_STATEMENTS.get((roles, has_department))
    if stmt is None:
        stmt = _NAV_STATEMENTS[(roles, has_department)] = select(*_navigation_columns(roles, has_department)[0])
    return stmt


def _navigation_params(user: User, today: date | None) -> dict:
    today = today or clock.agency_today()
    return {**standin.params(user), "validity_until": today + timedelta(days=VALIDITY_DAYS)}


def _navigation_values(shape: tuple[frozenset[Role], bool], row) -> tuple[dict[str, int], str | None]:
    _, chain_keys, extra_keys = _navigation_columns(*shape)
    *counters, fingerprint, user_fingerprint = row
    session_user.confirm(user_fingerprint)
    values = dict(zip([*chain_keys, *extra_keys], counters, strict=True))
    chain = {k: values[k] for k in chain_keys}
    total = sum(chain.values()) + sum(values[k] for k in extra_keys if k != "reminders")
    return {**chain, "todo": total, "reminders": values["reminders"]}, fingerprint


def navigation(user: User, today: date | None = None) -> dict[str, int]:
    """Every counter of the navigation in ONE query: the chain's queues (`queues.counters`), the
    待办 total and the unread reminders (`nav_counts`) — the same numbers, one round trip.  The
    statement is built once per shape (roles, with or without a department) and run with this
    user's id, department and today's limit as parameters: building it cost more than running it."""
    return _navigation(user, today)[0]


def _navigation(user: User, today: date | None = None) -> tuple[dict[str, int], str | None]:
    """`navigation`, and the working calendar's fingerprint read by the same statement."""
    shape = standin.shape(user)
    row = standin.execute(_navigation_statement(*shape), _navigation_params(user, today)).one()
    return _navigation_values(shape, row)


def page_navigation(user: User) -> dict[str, int]:
    """The page's navigation counters, once per request (g.nav_counts), with the calendar's
    fingerprint of the same moment (g.calendar_fingerprint, for holidays.working_calendar)."""
    if "nav_counts" not in g:
        g.nav_counts, g.calendar_fingerprint = _navigation(user)
    return g.nav_counts


def navigation_riders(user: User) -> standin.Riders | None:
    """The page's navigation counters (and the calendar's fingerprint) as columns of the page's own
    statement (services/standin.Riders): one round trip fewer.  Only in a request of a view that
    only reads (webapp/readonly.py) — elsewhere the counters are read when the page renders, after
    the request's writes — and only while this request has not read them yet.  The values are
    those of the page's statement, so of the same moment as the page's rows."""
    if not g.get("reads_only") or "nav_counts" in g:
        return None
    shape = standin.shape(user)

    def take(values) -> None:
        if "nav_counts" not in g:
            g.nav_counts, g.calendar_fingerprint = _navigation_values(shape, values)

    columns, chain_keys, extra_keys = _navigation_columns(*shape)
    return standin.Riders(("navigation", *shape), columns, _navigation_params(user, None), take,
                          {key: i for i, key in enumerate((*chain_keys, *extra_keys))})


CHAIN_LINKS = {
    Stage.LEADER_APPROVAL.value: ("approval.queue", {}),
    Stage.APPROVED.value: ("issuing.queue", {}),
    Stage.DEID_REVIEW.value: ("publishing.queue", {}),
    Stage.READY.value: ("publishing.ready", {}),
    Stage.RETURNED.value: ("drafting.returned", {}),
    Stage.DRAFT.value: ("drafting.mine", {"stage": "draft"}),
}
CHAIN_LABELS = {Stage.RETURNED.value: "退回给我的文件", Stage.DRAFT.value: "我的草稿（未提交）",
                Stage.APPROVED.value: "待印发", Stage.DEID_REVIEW.value: "待去标识化", Stage.READY.value: "待发布"}


def items(user: User, chain: dict[str, int]) -> list[Item]:
    """The 待办 list: the chain's queues first, then each area, then unread reminders."""
    out = []
    for key, n in chain.items():
        endpoint, args = CHAIN_LINKS.get(key, ("review.queue", {"stage": key}))
        label = CHAIN_LABELS.get(key) or f"{STAGES[Stage(key)].label}（待我审核）"
        out.append(Item(key, "公文流转", label, n, endpoint, args))
    extra = counts(user)
    for key, n in extra.items():
        if key == "reminders":
            continue
        area, label, endpoint, args, _ = AREAS[key]
        out.append(Item(key, area, label, n, endpoint, args))
    out.append(Item("reminders", "提醒", "未读提醒", extra["reminders"], "dashboard.reminders_page", {}))
    return out


def stages_for(user: User) -> list[Stage]:
    return [*queue_stages_for(user.roles), *work_queue_stages_for(user.roles)]
