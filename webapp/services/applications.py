"""Citizens' disclosure applications (依申请公开, R14): register, the clock, each move of their
chain, the letters, the handler's queue.  Every function that changes something is one
transaction with its application event(s) and its audit event.  The chain's rules live in
`applications_flow`; the letters' layout in `docgen.letters`.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import BigInteger, Date, and_, bindparam, exists, false, func, or_, select, true

from .. import clock
from ..applications_flow import (
    APP_MOVES_BY_ACTION,
    CHANNELS,
    CONSULTATION_DAYS,
    DUE_SOON_DAYS,
    FEE_PAYMENT_DAYS,
    FORMS_WANTED,
    MAX_EXTENSION_DAYS,
    OPEN_STAGES,
    OUTCOME_BY_CODE,
    REMEDIES,
    REMEDY_KINDS,
    REMEDY_RESULTS,
    REPLY_OUTCOMES,
    REPLY_WORKING_DAYS,
    AppAction,
    ApplicantType,
    AppMoveRefused,
    AppStage,
    Channel,
    Clock,
    ClockKind,
    allowed_app_actions,
    check_app_move,
    cn_date,
    compute_clock,
    fee_for_application_items,
    fee_for_application_pages,
    latest_remedies,
)
from ..docgen.letters import Letter, build_letter
from ..extensions import db
from ..models import (
    Application,
    ApplicationDeidFinding,
    ApplicationEvent,
    ApplicationFile,
    ApplicationProvided,
    OutboxMessage,
    User,
)
from ..models_applications import ApplicationLabels
from ..workdays import Calendar, add_working_days, working_days_left
from ..workflow import Role
from . import agency, applications_portal, audit, provided_files, standin
from .errors import Conflict, Forbidden, Invalid, NotFound
from .holidays import working_calendar
from .queues import NAV_COUNT_CAP
from .standin import StandIn
from .tx import transaction

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_ID = 2**63 - 1
LIMITS = {"applicant_name": 100, "id_doc_type": 30, "id_doc_number": 50, "contact_phone": 30,
          "contact_address": 200, "contact_email": 100, "description": 2000}
MAX_TEXT = 5000
QUEUE_PAGE = 50
NO_DUE = date(9999, 12, 31)  # those waiting for a correction sort last
LETTER_KINDS = {
    "receipt": "接收回执", "registration": "政府信息公开申请登记表", "correction": "补正告知书",
    "extension": "延期答复告知书", "consultation": "征求意见书", "consultation_notice": "征求意见告知书",
    "fee": "收费通知书", "reply": "答复告知书", "provided": "（公开版）",
}


@dataclass(frozen=True)
class RegisterInput:
    channel: str
    received_on: date
    applicant_type: str
    applicant_name: str
    description: str
    id_doc_type: str = ""
    id_doc_number: str = ""
    contact_phone: str = ""
    contact_address: str = ""
    contact_email: str = ""
    form_wanted: str = "electronic"


@dataclass(frozen=True)
class MoveInput:
    """What a move may carry; each action reads the fields it needs."""

    comment: str = ""
    until: date | None = None  # 补正期限
    party: str = ""  # consult: third_party | agency
    party_name: str = ""
    days: int = 0  # extension
    fee_method: str = ""  # items | pages
    fee_quantity: int = 0
    outcome: str = ""
    reply_text: str = ""


# --------------------------------------------------------------------------- who sees what

def sees_all(user: User) -> bool:
    return bool(user.roles & {Role.OFFICE, Role.DISCLOSURE_HEAD})


def can_view(user: User, app: Application) -> bool:
    """The office and the head of the disclosure office see every application; a handler those
    assigned to them or to their department (the applicant's personal data goes no further)."""
    if sees_all(user):
        return True
    if Role.HANDLER not in user.roles:
        return False
    return app.handler_id == user.id or (app.department_id is not None and app.department_id == user.department_id)


def get_application(app_id: int, user: User, *, for_update: bool = False) -> Application:
    """The one loader: NotFound, or Forbidden when this user may not see the application."""
    if not 0 < app_id <= MAX_ID:
        raise NotFound("申请不存在。")
    query = select(Application).where(Application.id == app_id)
    if for_update:
        query = query.with_for_update()
    app = db.session.execute(query).scalar_one_or_none()
    if app is None:
        raise NotFound("申请不存在。")
    if not can_view(user, app):
        raise Forbidden("您无权查看该申请。")
    return app


# --------------------------------------------------------------------------- the clock

def events_of(app_id: int) -> list[ApplicationEvent]:
    return list(db.session.execute(
        select(ApplicationEvent).where(ApplicationEvent.application_id == app_id).order_by(ApplicationEvent.id)
    ).scalars())


def clock_of(app: Application, calendar: Calendar | None = None, today: date | None = None) -> Clock:
    evs = [c for c in (e.clock_event() for e in events_of(app.id)) if c is not None]
    return compute_clock(evs, calendar or working_calendar(), today or clock.agency_today())


@dataclass(frozen=True)
class QueueClock:
    """A queue row's deadline in words, from the stored due day (kept by every move from the
    events' clock) — the full count and its explanation are one click away on the row's page."""

    due: date | None
    days_left: int | None
    words: str
    tone: str


def queue_clocks(apps: list[Application] | list[QueueRow], today: date | None = None,
                 calendar: Calendar | None = None) -> dict[int, QueueClock]:
    calendar, today = calendar or working_calendar(), today or clock.agency_today()
    memo = _days_left_many({a.due_on for a in apps if a.due_on is not None and a.due_on != NO_DUE}, today, calendar)
    out = {}
    for a in apps:
        stage = a.stage_enum
        if stage is AppStage.CORRECTION:
            lapsed = a.correction_until is not None and today > a.correction_until
            out[a.id] = QueueClock(None, None, "逾期未补正，可视为放弃" if lapsed else "待补正，补正后重新计算",
                                   "danger" if lapsed else "neutral")
            continue
        if stage is AppStage.FEE:
            lapsed = a.fee_pay_by is not None and today > a.fee_pay_by
            out[a.id] = QueueClock(None, None, "逾期未缴费，可视为放弃" if lapsed else "暂停计算（待缴费）",
                                   "danger" if lapsed else "neutral")
            continue
        if stage is AppStage.CONSULTING:
            out[a.id] = QueueClock(None, None, "暂停计算（征求意见中）", "neutral")
            continue
        due = a.due_on
        if due is None or due == NO_DUE:
            out[a.id] = QueueClock(None, None, stage.label, "neutral")
            continue
        left = memo[due]
        words = f"剩余 {left} 个工作日" if left > 0 else "今天到期" if left == 0 else f"已逾期 {-left} 个工作日"
        tone = "danger" if left < 0 else "warn" if left <= DUE_SOON_DAYS else "info"
        out[a.id] = QueueClock(due, left, words, tone)
    return out


def _days_left_many(dues: set[date], today: date, calendar: Calendar) -> dict[date, int]:
    """`working_days_left(due, today)` for each due day (the calendar's prefix count: no walk)."""
    return {d: working_days_left(d, today, calendar) for d in dues}


def clocks_for(apps: list[Application], calendar: Calendar | None = None,
               today: date | None = None) -> dict[int, Clock]:
    """The clocks of a page of applications: their events in one query."""
    calendar, today = calendar or working_calendar(), today or clock.agency_today()
    by_app: dict[int, list] = {a.id: [] for a in apps}
    if by_app:
        rows = db.session.execute(
            select(ApplicationEvent).where(ApplicationEvent.application_id.in_(list(by_app)))
            .order_by(ApplicationEvent.application_id, ApplicationEvent.id)).scalars()
        for e in rows:
            c = e.clock_event()
            if c is not None:
                by_app[e.application_id].append(c)
    memo: dict[tuple[date, date], int] = {}

    def days_left(due: date, seen: date) -> int:
        if (due, seen) not in memo:
            memo[(due, seen)] = working_days_left(due, seen, calendar)
        return memo[(due, seen)]

    return {app_id: compute_clock(evs, calendar, today, days_left) for app_id, evs in by_app.items()}


def _refresh_due(app: Application, calendar: Calendar, today: date) -> Clock:
    c = clock_of(app, calendar, today)
    # The queue's key: the due day; NO_DUE while waiting for a correction; none once replied.
    app.due_on = None if app.stage == AppStage.REPLIED.value else (c.due or NO_DUE)
    return c


# --------------------------------------------------------------------------- register

def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def applicant_key(applicant_name: str, id_doc_number: str) -> str:
    """The applicant, for counting their applications in a month (109号文 per-item tiers): name
    and identity number without spaces, width or case (migration 0013 holds a frozen copy)."""
    name = re.sub(r"\s+", "", _clean(applicant_name)).lower()
    number = re.sub(r"\s+", "", _clean(id_doc_number)).upper()
    return hashlib.sha256(f"{name}|{number}".encode()).hexdigest()


def fingerprint(applicant_name: str, id_doc_number: str, description: str) -> str:
    """Same applicant, same request: names and numbers compared without spaces, width or case;
    the description without spaces and punctuation."""
    who = re.sub(r"\s+", "", _clean(applicant_name)).lower() + "|" + re.sub(r"\s+", "", _clean(id_doc_number)).upper()
    what = re.sub(r"[\W_]+", "", _clean(description)).lower()
    return hashlib.sha256(f"{who}|{what}".encode()).hexdigest()


def _validate(inp: RegisterInput, today: date) -> list[str]:
    problems = []
    if inp.channel not in {c.value for c in Channel}:
        problems.append("请选择申请方式。")
    if inp.applicant_type not in {t.value for t in ApplicantType}:
        problems.append("请选择申请人类型。")
    if not _clean(inp.applicant_name):
        problems.append("请填写申请人姓名或名称（条例第二十九条）。")
    if not _clean(inp.description):
        problems.append("请填写申请公开的政府信息的名称、文号或便于查询的其他特征性描述。")
    if not (_clean(inp.contact_phone) or _clean(inp.contact_address) or _clean(inp.contact_email)):
        problems.append("请至少填写一种联系方式（条例第二十九条）。")
    if inp.form_wanted not in FORMS_WANTED:
        problems.append("请选择获取信息的方式。")
    if inp.received_on > today:
        problems.append("收到申请之日不能晚于今天。")
    elif (today - inp.received_on).days > 366:
        problems.append("收到申请之日不能早于一年前。")
    for name, limit in LIMITS.items():
        if len(getattr(inp, name) or "") > limit:
            problems.append(f"“{_FIELD_WORDS[name]}”不能超过 {limit} 字。")
    return problems


_FIELD_WORDS = {"applicant_name": "申请人", "id_doc_type": "证件类型", "id_doc_number": "证件号码",
                "contact_phone": "联系电话", "contact_address": "通信地址", "contact_email": "电子邮箱",
                "description": "所需信息描述"}


def find_duplicate(fp: str) -> Application | None:
    return db.session.execute(
        select(Application).where(Application.fingerprint == fp).order_by(Application.id).limit(1)
    ).scalar_one_or_none()


def register(user: User | None, inp: RegisterInput, *, portal_ref: str | None = None) -> Application:
    """Register an application (by a handler, or pulled from the portal), its receipt event and
    its 接收回执, in one transaction."""
    today = clock.agency_today()
    problems = _validate(inp, today)
    if problems:
        raise Invalid("申请未登记。", problems)
    calendar = working_calendar()
    with transaction():
        fp = fingerprint(inp.applicant_name, inp.id_doc_number, inp.description)
        dup = find_duplicate(fp)
        app = Application(
            channel=inp.channel, received_on=inp.received_on, applicant_type=inp.applicant_type,
            applicant_name=_clean(inp.applicant_name), id_doc_type=_clean(inp.id_doc_type),
            id_doc_number=_clean(inp.id_doc_number), contact_phone=_clean(inp.contact_phone),
            contact_address=_clean(inp.contact_address), contact_email=_clean(inp.contact_email),
            description=(inp.description or "").strip(), form_wanted=inp.form_wanted, fingerprint=fp,
            applicant_key=applicant_key(inp.applicant_name, inp.id_doc_number),
            duplicate_of_id=dup.id if dup else None, stage=AppStage.HANDLING.value,
            department_id=user.department_id if user is not None else None,
            handler_id=user.id if user is not None and Role.HANDLER in user.roles else None,
            registered_by_id=user.id if user is not None else None, portal_ref=portal_ref,
        )
        db.session.add(app)
        db.session.flush()
        _event(app, user, ClockKind.RECEIVED.value, inp.received_on,
               comment=CHANNELS[Channel(inp.channel)][1])
        c = _refresh_due(app, calendar, today)
        _store(app, "receipt", _receipt_letter(app, c), user)
        _store(app, "registration", registration_form(app, c), user)
        applications_portal.enqueue_status(app, user)
        details = {"application_id": app.id, "channel": inp.channel, "duplicate_of": app.duplicate_of_id}
        if portal_ref:
            audit.record("app_pull", user, details=details)
        else:
            audit.record("app_register", user, details=details)
    return app


# --------------------------------------------------------------------------- moves

def actions_for(app: Application, user: User, calendar: Calendar | None = None) -> list[AppAction]:
    return allowed_app_actions(app.facts(), user.roles, clock.agency_today(), calendar or working_calendar())


def move(app_id: int, user: User, action: AppAction, version: int, inp: MoveInput) -> Application:
    """One move of the application's chain, with its events, letter and audit record."""
    today = clock.agency_today()
    calendar = working_calendar()
    with transaction():
        app = get_application(app_id, user, for_update=True)
        if app.version != version:
            raise Conflict("该申请已被他人处理，页面已显示最新状态。")
        try:
            target = check_app_move(app.facts(), user.roles, action, today, calendar)
        except AppMoveRefused as exc:
            raise Forbidden(str(exc)) from exc
        if Role.HANDLER in user.roles and app.handler_id is None and APP_MOVES_BY_ACTION[action].role is Role.HANDLER:
            app.handler_id = user.id  # the first handler to act takes it
        before = app.stage
        _apply(app, user, action, inp, today, calendar)
        app.stage = target.value
        c = _refresh_due(app, calendar, today)
        _letters_after(app, user, action, inp, c, calendar)
        applications_portal.enqueue_status(app, user)
        audit.record(f"app_{action.value}", user, from_stage=before, to_stage=target.value,
                     comment=inp.comment.strip()[:MAX_TEXT],
                     details={"application_id": app.id})
    return app


def _need(cond: bool, message: str, problems: list[str]) -> None:
    if not cond:
        problems.append(message)


def _apply(app: Application, user: User, action: AppAction, inp: MoveInput, today: date, calendar: Calendar) -> None:
    problems: list[str] = []
    comment = (inp.comment or "").strip()
    _need(len(comment) <= MAX_TEXT and len(inp.reply_text or "") <= MAX_TEXT, f"说明不能超过 {MAX_TEXT} 字。", problems)
    if action is AppAction.REQUEST_CORRECTION:
        _need(bool(comment), "请写明需要补正的事项（条例第三十条）。", problems)
        _need(inp.until is not None and today < inp.until <= add_working_days(today, 60, calendar).due,
              "请设定合理的补正期限（晚于今天，不超过 60 个工作日）。", problems)
        if not problems:
            app.corrections_requested += 1
            app.correction_until = inp.until
            _event(app, user, ClockKind.CORRECTION_REQUESTED.value, today, until=inp.until, comment=comment)
    elif action is AppAction.RECEIVE_CORRECTION:
        app.correction_until = None
        _event(app, user, ClockKind.CORRECTION_RECEIVED.value, today, comment=comment)
    elif action is AppAction.CLOSE_NO_CORRECTION:
        _close(app, user, "other_1", today)
    elif action is AppAction.CONSULT:
        _need(inp.party in ("third_party", "agency"), "请选择征求意见的对象（第三方或其他机关）。", problems)
        _need(bool(inp.party_name.strip()) and len(inp.party_name) <= 100, "请填写被征求意见的单位或个人（100 字以内）。", problems)
        if not problems:
            _event(app, user, ClockKind.CONSULTATION_STARTED.value, today, party=inp.party, comment=comment,
                   details={"party_name": inp.party_name.strip()})
    elif action is AppAction.END_CONSULTATION:
        _need(bool(comment), "请记录被征求意见方的意见（同意、不同意及理由，或逾期未答复）。", problems)
        if not problems:
            _event(app, user, ClockKind.CONSULTATION_ENDED.value, today, comment=comment)
    elif action is AppAction.REQUEST_EXTENSION:
        _need(1 <= inp.days <= MAX_EXTENSION_DAYS, f"延长的期限须为 1 至 {MAX_EXTENSION_DAYS} 个工作日。", problems)
        _need(bool(comment), "请写明延期的理由。", problems)
        if not problems:
            app.extension_requested = True
            _event(app, user, "extension_requested", today, days=inp.days, comment=comment)
    elif action is AppAction.APPROVE_EXTENSION:
        asked = next((e for e in reversed(events_of(app.id)) if e.kind == "extension_requested"), None)
        days = asked.days if asked else 0
        _need(1 <= days <= MAX_EXTENSION_DAYS, "延期申请无效。", problems)
        if not problems:
            app.extension_days, app.extension_requested = days, False
            _event(app, user, ClockKind.EXTENSION_APPROVED.value, today, days=days, comment=comment)
    elif action is AppAction.FEE_NOTICE:
        computation = None
        if any(e.kind == ClockKind.FEE_NOTICE.value for e in events_of(app.id)):
            problems.append("该申请已发出过收费通知；同一申请只能按件或按量收费一次，不能两种方式同时收费。")
        elif inp.fee_method == "items":
            computation = fee_by_items_for(app)
        elif inp.fee_method == "pages":
            _need(0 < inp.fee_quantity <= 100000, "按量计收请填写提供信息的页数（1 至 100000）。", problems)
            if not problems:
                computation = fee_for_application_pages(inp.fee_quantity)
        else:
            problems.append("请选择按件计收或按量计收（两者不能同时适用）。")
        if computation is not None and computation.amount <= 0:
            problems.append(f"按标准不收费，无需发出收费通知（{computation.lines[1]}）。")
        if not problems and computation is not None:
            app.fee_amount = computation.amount
            app.fee_pay_by = add_working_days(today, FEE_PAYMENT_DAYS, calendar).due
            _event(app, user, ClockKind.FEE_NOTICE.value, today, comment=comment,
                   details={"method": computation.method, "quantity": computation.quantity,
                            "amount": computation.amount, "lines": list(computation.lines)})
    elif action is AppAction.FEE_PAID:
        app.fee_pay_by = None
        _event(app, user, ClockKind.FEE_PAID.value, today, comment=comment)
    elif action is AppAction.CLOSE_UNPAID:
        _close(app, user, "other_2", today)
    elif action is AppAction.SUBMIT_REPLY:
        _need(inp.outcome in {o.code for o in REPLY_OUTCOMES}, "请选择答复类型。", problems)
        problems.extend(_provided_problems(app))
        if not problems:
            outcome = OUTCOME_BY_CODE[inp.outcome]
            app.outcome = outcome.code
            app.reply_text = (inp.reply_text or "").strip() or outcome.wording
            _event(app, user, "reply_submitted", today, comment=comment, details={"outcome": outcome.code})
    elif action is AppAction.APPROVE_REPLY:
        problems.extend(_provided_problems(app))
        if problems:
            raise Invalid("没有答复。", problems)
        app.replied_on = today
        _event(app, user, ClockKind.REPLIED.value, today, comment=comment, details={"outcome": app.outcome})
    elif action is AppAction.RETURN_REPLY:
        _need(bool(comment), "请写明退回修改的意见。", problems)
        if not problems:
            _event(app, user, "reply_returned", today, comment=comment)
    if problems:
        raise Invalid("没有办理。", problems)


def _provided_problems(app: Application) -> list[str]:
    """Nothing unreviewed reaches the applicant: every document the reply provides needs its
    public copy (the publisher's, or one made after its personal data — 附件 included — was
    reviewed), and an online reply must fit what the portal accepts."""
    waiting = db.session.execute(
        select(ApplicationProvided).where(ApplicationProvided.application_id == app.id,
                                          ApplicationProvided.public_file_id.is_(None))).scalars().all()
    out = []
    for p in waiting:
        undecided = db.session.execute(select(func.count(ApplicationDeidFinding.id)).where(
            ApplicationDeidFinding.provided_id == p.id, ApplicationDeidFinding.decision.is_(None))).scalar_one()
        by_eye = len(provided_files.unchecked(p))
        name = p.document.doc_number or p.document.title
        left = "，".join(part for part in (f"还有 {undecided} 处未确认" if undecided else "",
                                           f"{by_eye} 个附件未目视检查" if by_eye else "") if part)
        out.append(f"提供的文件“{name}”尚未完成个人信息审查（{left}），不能答复。" if left
                   else f"提供的文件“{name}”的公开版尚未确认生成，不能答复。")
    if not out and app.portal_ref:
        out.extend(provided_files.reply_size_problems(app.id))
    return out


def fee_by_items_for(app: Application):
    """按件计收 for this application: its rank among the applicant's applications received in the
    same natural month (in order of receipt), and how many that month holds so far."""
    first = app.received_on.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    same = select(Application.id, Application.received_on).where(
        Application.applicant_key == app.applicant_key, Application.received_on >= first,
        Application.received_on < nxt)
    rows = sorted(db.session.execute(same).all(), key=lambda r: (r.received_on, r.id))
    rank = next(i for i, r in enumerate(rows, 1) if r.id == app.id)
    return fee_for_application_items(rank, len(rows), first.year, first.month)


def applications_waiting_for(user: User) -> int:
    """How many applications wait for this user now (the navigation's 待办 counter): for a
    handler, the open ones assigned to them or, unassigned, to their department (not those in
    the office's review); for the office, replies to review and online applications nobody has
    been given yet; for the head of the disclosure office, extensions to approve."""
    roles = user.roles
    conds = []
    if Role.HANDLER in roles:
        mine = [Application.handler_id == user.id]
        if user.department_id is not None:
            mine.append(and_(Application.handler_id.is_(None), Application.department_id == user.department_id))
        conds.append(and_(or_(*mine), Application.stage.in_(
            [AppStage.HANDLING.value, AppStage.CORRECTION.value, AppStage.CONSULTING.value, AppStage.FEE.value])))
    if Role.OFFICE in roles:
        conds.append(Application.stage == AppStage.REPLY_REVIEW.value)
        conds.append(and_(Application.handler_id.is_(None), Application.department_id.is_(None),
                          Application.due_on.is_not(None)))
    if Role.DISCLOSURE_HEAD in roles:
        conds.append(and_(Application.extension_requested.is_(True), Application.due_on.is_not(None)))
    if not conds:
        return 0
    return db.session.execute(select(func.count(Application.id)).where(or_(*conds))).scalar_one()


def _close(app: Application, user: User, outcome: str, today: date) -> None:
    app.outcome = outcome
    app.reply_text = OUTCOME_BY_CODE[outcome].wording
    app.replied_on = today
    _event(app, user, ClockKind.REPLIED.value, today, details={"outcome": outcome})


def handlers() -> list[User]:
    """Users who may be assigned applications (the handler role), by department and name."""
    from ..models import UserRole

    return list(db.session.execute(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.HANDLER.value, User.is_active_account.is_(True))
        .order_by(User.department_id, User.display_name)
    ).scalars())


def assign(app_id: int, user: User, handler_id: int, version: int) -> Application:
    """The office or the head of the disclosure office gives the application to a handler (and
    so to the handler's department)."""
    if not sees_all(user):
        raise Forbidden("只有办公室或公开工作机构负责人可以分配经办人。")
    with transaction():
        app = get_application(app_id, user, for_update=True)
        if app.version != version:
            raise Conflict("该申请已被他人处理，页面已显示最新状态。")
        if app.stage_enum not in OPEN_STAGES:
            raise Invalid("已答复的申请不能再分配。")
        target = db.session.get(User, handler_id) if 0 < handler_id <= MAX_ID else None
        if target is None or Role.HANDLER not in target.roles or not target.is_active_account:
            raise Invalid("没有分配。", ["请选择一位依申请公开经办人。"])
        app.handler_id, app.department_id = target.id, target.department_id
        _event(app, user, "assigned", clock.agency_today(), comment=f"分配给{target.display_name}",
               details={"handler_id": target.id})
        audit.record("app_assign", user, details={"application_id": app.id, "handler_id": target.id})
    return app


def record_remedy(app_id: int, user: User, kind: str, result: str, note: str) -> Application:
    """A 行政复议 or 行政诉讼 against a reply, and its result (table 四)."""
    problems = []
    if kind not in REMEDY_KINDS:
        problems.append("请选择行政复议或行政诉讼的类型。")
    if result not in REMEDY_RESULTS:
        problems.append("请选择结果。")
    if len(note or "") > MAX_TEXT:
        problems.append(f"说明不能超过 {MAX_TEXT} 字。")
    if problems:
        raise Invalid("没有记录。", problems)
    with transaction():
        app = get_application(app_id, user, for_update=True)
        if app.stage_enum is not AppStage.REPLIED:
            raise Invalid("只能对已答复的申请记录行政复议、行政诉讼情况。")
        _event(app, user, "remedy_recorded", clock.agency_today(), comment=(note or "").strip(),
               details={"kind": kind, "result": result})
        audit.record("app_record_remedy", user, details={"application_id": app.id, "kind": kind, "result": result})
    return app


def remedies_of(app_id: int) -> dict[str, str]:
    return latest_remedies((e.details.get("kind", ""), e.details.get("result", ""))
                           for e in events_of(app_id) if e.kind == "remedy_recorded")


def record_search(app_id: int, user: User, notes: str) -> Application:
    """The handler's record of where and how the information was searched for."""
    notes = (notes or "").strip()
    if not notes or len(notes) > MAX_TEXT:
        raise Invalid("检索情况未保存。", [f"请填写检索情况（{MAX_TEXT} 字以内）。"])
    with transaction():
        app = get_application(app_id, user, for_update=True)
        if Role.HANDLER not in user.roles or app.stage_enum not in OPEN_STAGES:
            raise Forbidden("只有经办人可以在办理中记录检索情况。")
        app.search_notes = notes
        _event(app, user, "search_recorded", clock.agency_today(), comment=notes)
        audit.record("app_record_search", user, details={"application_id": app.id})
    return app


def _event(app: Application, user: User | None, kind: str, day: date, *, days: int = 0, party: str = "",
           until: date | None = None, comment: str = "", details: dict | None = None) -> ApplicationEvent:
    ev = ApplicationEvent(application_id=app.id, kind=kind, day=day, days=days, party=party, until=until,
                          comment=comment, details_json=json.dumps(details or {}, ensure_ascii=False),
                          actor_id=user.id if user else None, actor_name=user.display_name if user else "系统")
    db.session.add(ev)
    db.session.flush()
    return ev


# --------------------------------------------------------------------------- letters

def _store(app: Application, kind: str, data: bytes, user: User | None) -> ApplicationFile:
    f = ApplicationFile(application_id=app.id, kind=kind, filename=f"{app.reference}{LETTER_KINDS[kind]}.docx",
                        content_type=DOCX, size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data,
                        created_by_id=user.id if user else None)
    db.session.add(f)
    db.session.flush()
    return f


def _signer() -> str:
    return agency.settings().publisher_name or "本机关"


def _letter(app: Application, title: str, paragraphs: list[str], table=()) -> bytes:
    return build_letter(Letter(title, app.reference, f"{app.applicant_name}：", tuple(paragraphs), _signer(),
                               clock.agency_today(), tuple(table)))


def _receipt_letter(app: Application, c: Clock) -> bytes:
    rows = (("申请编号", app.reference), ("申请人", app.applicant_name),
            ("申请方式", app.channel_enum.label), ("收到申请之日", cn_date(app.received_on)),
            ("所需信息", app.description[:200]), ("获取方式", FORMS_WANTED.get(app.form_wanted, "")),
            ("答复期限", cn_date(c.due) if c.due else "补正后重新计算"))
    paragraphs = [f"本机关已收到您的政府信息公开申请。{app.channel_enum.receipt_rule}。",
                  f"本机关将自收到申请之日起 {REPLY_WORKING_DAYS} 个工作日内予以答复；需要延长答复期限的，"
                  f"经政府信息公开工作机构负责人同意并告知您，延长的期限最长不超过 {MAX_EXTENSION_DAYS} 个工作日。"
                  "征求第三方和其他机关意见所需时间不计算在前述期限内。"]
    return _letter(app, "政府信息公开申请接收回执", paragraphs, rows)


def reply_letter(app: Application) -> bytes:
    outcome = OUTCOME_BY_CODE[app.outcome or "other_3"]
    paragraphs = [f"本机关于{cn_date(app.received_on)}收到您提出的政府信息公开申请，申请公开：{app.description[:500]}",
                  app.reply_text or outcome.wording]
    provided = applications_portal.provided_with_reply(app)
    if provided:
        def name(p) -> str:
            own = (f"{p.document.doc_number}《{p.document.public_title or p.document.title}》" if p.source == "public"
                   else f"{p.document.doc_number}（公开版）")
            attached = len(provided_files.files_with_reply(p)) - 1
            return f"{own}（含附件 {attached} 个）" if attached > 0 else own
        names = "；".join(name(p) for p in provided)
        paragraphs.append(f"随本告知书提供以下政府信息（公开版，个人信息已作去标识化处理）：{names}。")
    paragraphs += [f"依据：{outcome.basis}。", REMEDIES]
    return _letter(app, outcome.letter, paragraphs)


def registration_form(app: Application, c: Clock) -> bytes:
    """政府信息公开申请登记表: the application as registered (internal: it holds the applicant's data)."""
    registrar = db.session.get(User, app.registered_by_id) if app.registered_by_id else None
    rows = (("申请编号", app.reference), ("申请方式", app.channel_enum.label),
            ("收到申请之日", cn_date(app.received_on)), ("收到日期的确定", app.channel_enum.receipt_rule),
            ("申请人类型", app.applicant_type_enum.label if app.applicant_type_enum.is_person
             else f"法人或其他组织：{app.applicant_type_enum.label}"),
            ("申请人姓名或名称", app.applicant_name), ("身份证明类型", app.id_doc_type or "—"),
            ("身份证明号码", app.id_doc_number or "—"), ("联系电话", app.contact_phone or "—"),
            ("通信地址", app.contact_address or "—"), ("电子邮箱", app.contact_email or "—"),
            ("所需政府信息的描述", app.description[:2000]), ("获取信息的方式", FORMS_WANTED.get(app.form_wanted, "")),
            ("答复期限", cn_date(c.due) if c.due else "补正后重新计算"),
            ("疑似重复申请", f"与依申〔{app.received_on.year}〕{app.duplicate_of_id}号相同" if app.duplicate_of_id else "否"),
            ("登记人", registrar.display_name if registrar else "政府网站网上申请（系统登记）"))
    return build_letter(Letter("政府信息公开申请登记表", app.reference, "", (), _signer(), clock.agency_today(),
                               rows))


def consultation_notice(app: Application, party: str, deadline: date) -> bytes:
    """征求意见告知书（给申请人）: the consultation, and that its time is not counted (Art. 32/34)."""
    who, article = ("第三方", "第三十二条") if party == "third_party" else ("其他机关", "第三十四条")
    return _letter(app, "征求意见告知书", [
        f"本机关于{cn_date(app.received_on)}收到您提出的政府信息公开申请，申请公开：{app.description[:500]}",
        f"经审查，您申请公开的政府信息涉及{who}的合法权益或需要与{who}协商确认，根据《中华人民共和国政府信息公开条例》"
        f"{article}，本机关已于{cn_date(clock.agency_today())}书面征求{who}意见，{who}应于{cn_date(deadline)}前提出意见。",
        "根据《中华人民共和国政府信息公开条例》第三十三条第三款，行政机关征求第三方和其他机关意见所需时间不计算在答复期限内。"
        "本机关将在收到意见或者意见期限届满后依法作出答复。"])


def _letters_after(app: Application, user: User, action: AppAction, inp: MoveInput, c: Clock, calendar: Calendar) -> None:
    if action is AppAction.REQUEST_CORRECTION:
        _store(app, "correction", _letter(app, "补正申请告知书", [
            f"本机关于{cn_date(app.received_on)}收到您的政府信息公开申请。经审查，您的申请内容不明确，"
            f"根据《中华人民共和国政府信息公开条例》第三十条，请您作出补正：{inp.comment.strip()}",
            f"请于{cn_date(inp.until)}前补正。答复期限自本机关收到补正后的申请之日起计算；"
            "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"]), user)
    elif action is AppAction.APPROVE_EXTENSION:
        _store(app, "extension", _letter(app, "延期答复告知书", [
            f"本机关于{cn_date(app.received_on)}收到您的政府信息公开申请。因需要进一步检索、审查，"
            "不能在规定期限内作出答复，经本机关政府信息公开工作机构负责人同意，根据《中华人民共和国政府信息公开条例》"
            f"第三十三条第二款，答复期限延长 {app.extension_days} 个工作日，"
            f"至{cn_date(c.due) if c.due else '补正后重新计算'}前答复。"]), user)
    elif action is AppAction.CONSULT:
        deadline = add_working_days(clock.agency_today(), CONSULTATION_DAYS, calendar).due
        article = "第三十二条" if inp.party == "third_party" else "第三十四条"
        data = build_letter(Letter("政府信息公开征求意见书", app.reference, f"{inp.party_name.strip()}：", (
            "本机关收到一份政府信息公开申请，所申请公开的政府信息可能涉及您（单位）的合法权益"
            "（或需要与您单位协商确认）。",
            f"根据《中华人民共和国政府信息公开条例》{article}，请于{cn_date(deadline)}前提出书面意见；"
            "逾期未提出意见的，由本机关依照条例的规定决定是否公开。"), _signer(), clock.agency_today()))
        _store(app, "consultation", data, user)
        _store(app, "consultation_notice", consultation_notice(app, inp.party, deadline), user)
    elif action is AppAction.FEE_NOTICE:
        notice = next(e for e in reversed(events_of(app.id)) if e.kind == ClockKind.FEE_NOTICE.value)
        lines = [str(x) for x in notice.details.get("lines", [])]
        _store(app, "fee", _letter(app, "收费通知书", [
            f"根据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），您的申请需缴纳信息处理费"
            f"人民币 {app.fee_amount} 元。计算如下：",
            *lines,
            f"请于{cn_date(app.fee_pay_by)}前缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。"]), user)
    elif action in (AppAction.APPROVE_REPLY, AppAction.CLOSE_NO_CORRECTION, AppAction.CLOSE_UNPAID):
        _store(app, "reply", reply_letter(app), user)


def files_of(app_id: int) -> list[ApplicationFile]:
    return list(db.session.execute(
        select(ApplicationFile).where(ApplicationFile.application_id == app_id).order_by(ApplicationFile.id)
    ).scalars())


def file_of(app: Application, file_id: int) -> ApplicationFile:
    f = db.session.get(ApplicationFile, file_id) if 0 < file_id <= MAX_ID else None
    if f is None or f.application_id != app.id:
        raise NotFound("文件不存在。")
    return f


# --------------------------------------------------------------------------- the queue

def visible(user: User):
    """The SQL condition for the applications this user may see."""
    if sees_all(user):
        return true()
    if Role.HANDLER not in user.roles:
        return false()
    conds = [Application.handler_id == user.id]
    if user.department_id is not None:
        conds.append(Application.department_id == user.department_id)
    return or_(*conds)


@dataclass(frozen=True)
class Undelivered:
    message: OutboxMessage
    application: Application


def undelivered(user: User, limit: int = 50) -> list[Undelivered]:
    """The applications this user handles whose status the portal refused or has not taken yet
    after a failed attempt (newest first), with the portal's answer: the queue's 推送未成功 panel."""
    rows = db.session.execute(
        select(OutboxMessage, Application).join(Application, Application.id == OutboxMessage.application_id)
        .where(applications_portal.troubled(), visible(user)).order_by(OutboxMessage.id.desc()).limit(limit)).all()
    return [Undelivered(*r) for r in rows]


def undelivered_query(user: User):
    """The same applications as a SELECT of ids (the 待办 list counts it)."""
    return (select(OutboxMessage.id).join(Application, Application.id == OutboxMessage.application_id)
            .where(applications_portal.troubled(), visible(user)))


@dataclass(frozen=True, slots=True)
class QueueRow(ApplicationLabels):
    """One row of the queue: just the columns the row shows and its deadline needs (no ORM object)."""

    id: int
    received_on: date
    applicant_name: str
    applicant_type: str
    channel: str
    description: str
    stage: str
    due_on: date | None
    correction_until: date | None
    fee_pay_by: date | None
    duplicate_of_id: int | None
    handler_name: str | None


_QUEUE_COLUMNS = (Application.id, Application.received_on, Application.applicant_name, Application.applicant_type,
                  Application.channel, Application.description, Application.stage, Application.due_on,
                  Application.correction_until, Application.fee_pay_by, Application.duplicate_of_id,
                  User.display_name)


def _queue_query(user: User, after: tuple[int, int] | None, limit: int, *extra):
    query = (select(*_QUEUE_COLUMNS, *extra).outerjoin(User, User.id == Application.handler_id)
             .where(Application.due_on.is_not(None), visible(user))
             .order_by(Application.due_on, Application.id).limit(limit))
    if after is not None:
        due = date.fromordinal(after[0])
        query = query.where(or_(Application.due_on > due, and_(Application.due_on == due, Application.id > after[1])))
    return query


def queue(user: User, after: tuple[int, int] | None = None, limit: int = QUEUE_PAGE) -> list[QueueRow]:
    """Open applications this user may see, the nearest deadline first (those waiting for a
    correction, with no deadline yet, last); keyset after (due ordinal, id)."""
    return [QueueRow(*row) for row in db.session.execute(_queue_query(user, after, limit))]


_PAGE_STATEMENTS: dict[tuple, object] = {}


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int  # capped at 100
    undelivered: bool  # some status the portal refused or keeps failing (the panel's rows are read then)


def queue_page(user: User, after: tuple[int, int] | None = None,
               riders: standin.Riders | None = None) -> QueuePage:
    """`queue` and `queue_count` (capped at 100) in one statement: the count, and whether any status
    delivery needs a person (`undelivered`), ride on each row as scalar subqueries (evaluated once);
    a page past the end counts on its own.  `riders`: another service's columns on the same
    statement (services/standin.Riders; the navigation's counters), handed their values from the
    first row.  The statement is built once per shape (services/standin) and run with this user's
    ids and the cursor as parameters."""
    roles = frozenset(r for r in user.roles if r in (Role.OFFICE, Role.DISCLOSURE_HEAD, Role.HANDLER))
    # a handler's navigation counts exactly this page's total (the open applications they may see,
    # capped at 100): read it there rather than count twice
    shared = riders.counts.get("applications_open") if riders and NAV_COUNT_CAP == 100 else None
    key = (roles, user.department_id is not None, after is not None, riders.key if riders else None)
    stmt = _PAGE_STATEMENTS.get(key)
    if stmt is None:
        who = StandIn(roles, key[1])
        own_total = () if shared is not None else (_count_query(who, 100).label("total"),)
        stmt = (select(*_QUEUE_COLUMNS, exists(undelivered_query(who)).label("undelivered"),  # type: ignore[arg-type]
                       *own_total,  # type: ignore[arg-type]
                       *(riders.columns if riders else ()))
                .outerjoin(User, User.id == Application.handler_id)
                .where(Application.due_on.is_not(None), visible(who))  # type: ignore[arg-type]
                .order_by(Application.due_on, Application.id).limit(QUEUE_PAGE))
        if after is not None:
            # BigInteger: a cursor may name any id up to MAX_ID (a hand-edited link), past int4 on PostgreSQL
            due, after_id = bindparam("after_due", type_=Date), bindparam("after_id", type_=BigInteger)
            stmt = stmt.where(or_(Application.due_on > due, and_(Application.due_on == due, Application.id > after_id)))
        _PAGE_STATEMENTS[key] = stmt
    params = {**riders.params, **standin.params(user)} if riders else standin.params(user)
    if after is not None:
        params |= {"after_due": date.fromordinal(after[0]), "after_id": after[1]}
    rows = standin.execute(stmt, params).all()
    if not rows:
        return QueuePage([], queue_count(user), db.session.execute(select(exists(undelivered_query(user)))).scalar_one())
    n = len(_QUEUE_COLUMNS)
    first_rider = n + 1 if shared is not None else n + 2
    if riders:
        riders.take(rows[0][first_rider:])
    total = rows[0][first_rider + shared] if shared is not None else rows[0][n + 1]
    return QueuePage([QueueRow(*row[:n]) for row in rows], total, bool(rows[0][n]))


def cursor_after(app: Application | QueueRow) -> str:
    return f"{(app.due_on or NO_DUE).toordinal()}-{app.id}"


def parse_cursor(raw: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"(\d{6})-(\d{1,18})", raw or "")
    if m is None or not 1 <= int(m[1]) <= NO_DUE.toordinal() or int(m[2]) > MAX_ID:
        return None
    return int(m[1]), int(m[2])


def _count_query(user: User, cap: int):
    sub = select(Application.id).where(Application.due_on.is_not(None), visible(user)).limit(cap).subquery()
    return select(func.count()).select_from(sub).scalar_subquery()


def queue_count(user: User, cap: int = 100) -> int:
    return db.session.execute(select(_count_query(user, cap))).scalar_one()
