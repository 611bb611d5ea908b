"""Citizens' disclosure applications (依申请公开, R14; 条例 Art. 27–45; REFERENCE.md §2–3) as data.

Pure Python: no Flask, no SQL.  Like `workflow.py` for documents, this module holds the
application's own chain (stages, who acts in each, the allowed moves), the channels and their
receipt-day rule (Art. 31), the applicant types (the columns of the annual report's table 三),
the reply types (its rows, each with its letter and legal basis), the fee tiers (国办函〔2020〕
109号) and the clock, computed from the application's append-only events with
`workdays.add_working_days` and its pauses:

- 20 working days from the receipt day (day 0; Art. 33);
- 补正 (Art. 30): asked once, within 7 working days of receipt; the count restarts from the day
  the corrected application arrives; no correction by the day set → 视为放弃 (row （六）1);
- third-party consultation (Art. 32, 15 working days to answer) and consultation of other
  agencies (Art. 34, 15 working days) are not counted — up to the day the answer came or the
  consulted party's own deadline, whichever is first: a late answer does not stretch the pause;
- one extension of at most 20 working days (Art. 33), approved by the head of the disclosure
  office: the due date moves, and the application is never shown overdue for it;
- a fee notice (109号文) pauses the count until paid, or for 20 working days, after which the
  application lapses (row （六）2).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .workdays import Calendar, Count, Pause, add_working_days, working_days_left
from .workflow import Role

REPLY_WORKING_DAYS = 20
MAX_EXTENSION_DAYS = 20
CORRECTION_WINDOW_DAYS = 7  # 补正 must be asked within 7 working days of receipt (Art. 30)
CONSULTATION_DAYS = 15  # third party (Art. 32) and other agencies (Art. 34)
FEE_PAYMENT_DAYS = 20
DUE_SOON_DAYS = 3


# --------------------------------------------------------------------------- channels (Art. 31)

class Channel(StrEnum):
    IN_PERSON = "in_person"
    MAIL = "mail"
    FAX = "fax"
    ONLINE = "online"

    @property
    def label(self) -> str:
        return CHANNELS[self][0]

    @property
    def receipt_rule(self) -> str:
        return CHANNELS[self][1]


CHANNELS: dict[Channel, tuple[str, str]] = {
    Channel.IN_PERSON: ("当面提交", "申请人当面提交的，以提交之日为收到申请之日（第三十一条第一项）"),
    Channel.MAIL: ("邮寄", "以邮寄方式提交的，以行政机关签收之日为收到申请之日；以平常信函等无需签收的方式提交的，"
                          "以双方确认之日为收到申请之日（第三十一条第二项）"),
    Channel.FAX: ("传真", "通过传真提交的，以双方确认之日为收到申请之日（第三十一条第三项）"),
    Channel.ONLINE: ("互联网", "通过互联网渠道提交的，以双方确认之日为收到申请之日（第三十一条第三项）"),
}


# --------------------------------------------------------------------------- applicants (table 三 columns)

class ApplicantType(StrEnum):
    PERSON = "person"
    COMMERCIAL = "commercial"
    RESEARCH = "research"
    PUBLIC_INTEREST = "public_interest"
    LEGAL_SERVICE = "legal_service"
    OTHER_ORG = "other_org"

    @property
    def label(self) -> str:
        return APPLICANT_COLUMNS[self][1]

    @property
    def is_person(self) -> bool:
        return self is ApplicantType.PERSON


# (column group, column label) exactly as the report's table 三 heads them.
APPLICANT_COLUMNS: dict[ApplicantType, tuple[str, str]] = {
    ApplicantType.PERSON: ("自然人", "自然人"),
    ApplicantType.COMMERCIAL: ("法人或其他组织", "商业企业"),
    ApplicantType.RESEARCH: ("法人或其他组织", "科研机构"),
    ApplicantType.PUBLIC_INTEREST: ("法人或其他组织", "社会公益组织"),
    ApplicantType.LEGAL_SERVICE: ("法人或其他组织", "法律服务机构"),
    ApplicantType.OTHER_ORG: ("法人或其他组织", "其他"),
}

FORMS_WANTED = {"paper": "纸质", "electronic": "电子数据", "viewing": "查阅"}


# --------------------------------------------------------------------------- reply types (table 三 rows)

REMEDIES = ("申请人如对本答复不服，可以自收到本告知书之日起六十日内依法申请行政复议，"
            "或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼。")


@dataclass(frozen=True)
class Outcome:
    code: str
    report_row: str  # the row of table 三, verbatim
    label: str  # what the handler picks
    letter: str  # the 告知书's title
    basis: str  # the legal basis named in the letter
    wording: str  # the decision sentence of the letter (the handler may edit before issuing)


def _o(code, row, label, letter, basis, wording):
    return Outcome(code, row, label, letter, basis, wording)


_DENY = "不予公开告知书"
_NONE = "政府信息不存在告知书"
_NP = "不予处理告知书"
OUTCOMES: tuple[Outcome, ...] = (
    _o("public", "（一）予以公开", "予以公开", "政府信息公开告知书",
       "《中华人民共和国政府信息公开条例》第三十六条第（一）项、第（二）项",
       "经审查，您申请公开的政府信息属于公开范围，本机关予以公开，现将有关信息提供给您（或告知获取的方式、途径）。"),
    _o("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开", "部分公开告知书",
       "《中华人民共和国政府信息公开条例》第三十七条",
       "经审查，您申请公开的政府信息中含有不应当公开的内容，但能够作区分处理，本机关向您提供可以公开的部分，并说明不予公开部分的理由。"),
    _o("deny_1", "（三）不予公开 1.属于国家秘密", "不予公开：属于国家秘密", _DENY,
       "《中华人民共和国政府信息公开条例》第十四条",
       "经审查，您申请公开的政府信息属于国家秘密，依法不予公开。"),
    _o("deny_2", "（三）不予公开 2.其他法律行政法规禁止公开", "不予公开：其他法律行政法规禁止公开", _DENY,
       "《中华人民共和国政府信息公开条例》第十四条",
       "经审查，您申请公开的政府信息属于法律、行政法规禁止公开的信息，依法不予公开。"),
    _o("deny_3", "（三）不予公开 3.危及“三安全一稳定”", "不予公开：危及“三安全一稳定”", _DENY,
       "《中华人民共和国政府信息公开条例》第十四条",
       "经审查，您申请公开的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，依法不予公开。"),
    _o("deny_4", "（三）不予公开 4.保护第三方合法权益", "不予公开：保护第三方合法权益", _DENY,
       "《中华人民共和国政府信息公开条例》第十五条",
       "经审查，您申请公开的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，依法不予公开。"),
    _o("deny_5", "（三）不予公开 5.属于三类内部事务信息", "不予公开：三类内部事务信息", _DENY,
       "《中华人民共和国政府信息公开条例》第十六条第一款",
       "经审查，您申请公开的信息属于人事管理、后勤管理、内部工作流程等内部事务信息，可以不予公开。"),
    _o("deny_6", "（三）不予公开 6.属于四类过程性信息", "不予公开：四类过程性信息", _DENY,
       "《中华人民共和国政府信息公开条例》第十六条第二款",
       "经审查，您申请公开的信息属于讨论记录、过程稿、磋商信函、请示报告等过程性信息，可以不予公开。"),
    _o("deny_7", "（三）不予公开 7.属于行政执法案卷", "不予公开：行政执法案卷", _DENY,
       "《中华人民共和国政府信息公开条例》第十六条第二款",
       "经审查，您申请公开的信息属于行政执法案卷信息，可以不予公开。"),
    _o("deny_8", "（三）不予公开 8.属于行政查询事项", "不予公开：行政查询事项", _DENY,
       "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
       "经审查，您申请获取的信息属于法律、行政法规对获取有特别规定的信息，请按照有关规定办理。"),
    _o("unavailable_1", "（四）无法提供 1.本机关不掌握相关政府信息", "无法提供：本机关不掌握", _NONE,
       "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项",
       "经检索，本机关未制作或获取您申请公开的政府信息，该政府信息不存在；能够确定负责公开的机关的，已告知其名称和联系方式。"),
    _o("unavailable_2", "（四）无法提供 2.没有现成信息需要另行制作", "无法提供：需要另行制作", "无法提供告知书",
       "《中华人民共和国政府信息公开条例》第三十八条",
       "您申请的信息需要本机关对现有政府信息进行加工、分析，本机关不予提供。"),
    _o("unavailable_3", "（四）无法提供 3.补正后申请内容仍不明确", "无法提供：补正后仍不明确", "无法提供告知书",
       "《中华人民共和国政府信息公开条例》第三十条",
       "经补正后，您的申请内容仍不明确，本机关无法确定您申请的政府信息，无法提供。"),
    _o("not_processed_1", "（五）不予处理 1.信访举报投诉类申请", "不予处理：信访举报投诉", _NP,
       "《中华人民共和国政府信息公开条例》第三十九条第一款",
       "您以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关不作为政府信息公开申请处理，并告知您通过相应渠道提出。"),
    _o("not_processed_2", "（五）不予处理 2.重复申请", "不予处理：重复申请", "重复申请告知书",
       "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
       "本机关已就您的同一政府信息公开申请作出答复，您重复申请公开相同政府信息，本机关不予重复处理。"),
    _o("not_processed_3", "（五）不予处理 3.要求提供公开出版物", "不予处理：公开出版物", _NP,
       "《中华人民共和国政府信息公开条例》第三十九条第二款",
       "您要求提供的是公开出版物，本机关告知获取的途径，不作为政府信息公开申请处理。"),
    _o("not_processed_4", "（五）不予处理 4.无正当理由大量反复申请", "不予处理：大量反复申请", _NP,
       "《中华人民共和国政府信息公开条例》第三十五条",
       "您申请公开政府信息的数量、频次明显超过合理范围，且未能说明理由或理由不合理，本机关不予处理。"),
    _o("not_processed_5", "（五）不予处理 5.要求行政机关确认或重新出具已获取信息", "不予处理：要求确认或重新出具", _NP,
       "《中华人民共和国政府信息公开条例》第三十九条第二款",
       "您要求本机关确认或者重新出具已获取的信息，本机关不作为政府信息公开申请处理。"),
    _o("other_1", "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
       "其他处理：逾期不补正", "终止处理告知书", "《中华人民共和国政府信息公开条例》第三十条",
       "您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。"),
    _o("other_2", "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
       "其他处理：逾期未缴费", "终止处理告知书", "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第五条",
       "您逾期未按收费通知要求缴纳信息处理费，视为放弃申请，本机关不再处理该政府信息公开申请。"),
    _o("other_3", "（六）其他处理 3.其他", "其他处理：其他", "政府信息公开申请答复书",
       "《中华人民共和国政府信息公开条例》", "本机关对您的申请作如下处理："),
)
OUTCOME_BY_CODE: dict[str, Outcome] = {o.code: o for o in OUTCOMES}
# Outcomes that the handler picks when replying (the two lapses close the application themselves).
LAPSE_OUTCOMES = {"other_1", "other_2"}
REPLY_OUTCOMES = tuple(o for o in OUTCOMES if o.code not in LAPSE_OUTCOMES)


# --------------------------------------------------------------------------- the chain

class AppStage(StrEnum):
    HANDLING = "handling"
    CORRECTION = "correction"
    CONSULTING = "consulting"
    FEE = "fee"
    REPLY_REVIEW = "reply_review"
    REPLIED = "replied"

    @property
    def label(self) -> str:
        return APP_STAGES[self][0]

    @property
    def tone(self) -> str:
        return APP_STAGES[self][1]


APP_STAGES: dict[AppStage, tuple[str, str]] = {
    AppStage.HANDLING: ("办理中", "info"),
    AppStage.CORRECTION: ("待申请人补正", "warn"),
    AppStage.CONSULTING: ("征求意见中", "warn"),
    AppStage.FEE: ("待缴费", "warn"),
    AppStage.REPLY_REVIEW: ("答复待审核", "info"),
    AppStage.REPLIED: ("已答复", "ok"),
}
OPEN_STAGES = tuple(s for s in AppStage if s is not AppStage.REPLIED)


class AppAction(StrEnum):
    REQUEST_CORRECTION = "request_correction"
    RECEIVE_CORRECTION = "receive_correction"
    CLOSE_NO_CORRECTION = "close_no_correction"
    CONSULT = "consult"
    END_CONSULTATION = "end_consultation"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    FEE_NOTICE = "fee_notice"
    FEE_PAID = "fee_paid"
    CLOSE_UNPAID = "close_unpaid"
    SUBMIT_REPLY = "submit_reply"
    APPROVE_REPLY = "approve_reply"
    RETURN_REPLY = "return_reply"

    @property
    def label(self) -> str:
        return APP_MOVES_BY_ACTION[self].label


@dataclass(frozen=True)
class AppMove:
    action: AppAction
    sources: tuple[AppStage, ...]
    target: AppStage | None  # None: the stage stays
    role: Role
    label: str


APP_MOVES: tuple[AppMove, ...] = (
    AppMove(AppAction.REQUEST_CORRECTION, (AppStage.HANDLING,), AppStage.CORRECTION, Role.HANDLER, "要求补正"),
    AppMove(AppAction.RECEIVE_CORRECTION, (AppStage.CORRECTION,), AppStage.HANDLING, Role.HANDLER, "收到补正"),
    AppMove(AppAction.CLOSE_NO_CORRECTION, (AppStage.CORRECTION,), AppStage.REPLIED, Role.HANDLER, "逾期未补正，视为放弃"),
    AppMove(AppAction.CONSULT, (AppStage.HANDLING,), AppStage.CONSULTING, Role.HANDLER, "征求意见"),
    AppMove(AppAction.END_CONSULTATION, (AppStage.CONSULTING,), AppStage.HANDLING, Role.HANDLER, "记录征求意见结果"),
    AppMove(AppAction.REQUEST_EXTENSION, (AppStage.HANDLING, AppStage.CONSULTING), None, Role.HANDLER, "申请延期答复"),
    AppMove(AppAction.APPROVE_EXTENSION, (AppStage.HANDLING, AppStage.CONSULTING, AppStage.REPLY_REVIEW), None,
            Role.DISCLOSURE_HEAD, "批准延期答复"),
    AppMove(AppAction.FEE_NOTICE, (AppStage.HANDLING,), AppStage.FEE, Role.HANDLER, "发出收费通知"),
    AppMove(AppAction.FEE_PAID, (AppStage.FEE,), AppStage.HANDLING, Role.HANDLER, "已缴费"),
    AppMove(AppAction.CLOSE_UNPAID, (AppStage.FEE,), AppStage.REPLIED, Role.HANDLER, "逾期未缴费，视为放弃"),
    AppMove(AppAction.SUBMIT_REPLY, (AppStage.HANDLING,), AppStage.REPLY_REVIEW, Role.HANDLER, "提交答复审核"),
    AppMove(AppAction.APPROVE_REPLY, (AppStage.REPLY_REVIEW,), AppStage.REPLIED, Role.OFFICE, "审核通过并答复"),
    AppMove(AppAction.RETURN_REPLY, (AppStage.REPLY_REVIEW,), AppStage.HANDLING, Role.OFFICE, "退回修改答复"),
)
APP_MOVES_BY_ACTION: dict[AppAction, AppMove] = {m.action: m for m in APP_MOVES}


class AppMoveRefused(Exception):
    """A move this application does not allow now; the message is shown to the user."""


@dataclass(frozen=True)
class AppFacts:
    stage: AppStage
    received_on: date
    corrections_requested: int
    extension_requested: bool
    extension_days: int  # approved, 0 when none
    correction_reply_by: date | None = None
    fee_pay_by: date | None = None


def check_app_move(app: AppFacts, roles: Iterable[Role], action: AppAction, today: date,
                   calendar: Calendar) -> AppStage:
    """The stage this move leads to, or AppMoveRefused saying why not (in Chinese)."""
    move = APP_MOVES_BY_ACTION[action]
    if app.stage not in move.sources:
        raise AppMoveRefused(f"申请处于“{app.stage.label}”状态，不能“{move.label}”。")
    if move.role not in set(roles):
        raise AppMoveRefused(f"“{move.label}”须由{move.role.label}办理，您没有相应权限。")
    if action is AppAction.REQUEST_CORRECTION:
        if app.corrections_requested:
            raise AppMoveRefused("补正只能要求一次（条例第三十条）。")
        window = add_working_days(app.received_on, CORRECTION_WINDOW_DAYS, calendar).due
        if today > window:
            raise AppMoveRefused(f"补正须在收到申请之日起 {CORRECTION_WINDOW_DAYS} 个工作日内一次性告知"
                                 f"（已于 {cn_date(window)} 届满）。")
    if action in (AppAction.REQUEST_EXTENSION, AppAction.APPROVE_EXTENSION) and app.extension_days:
        raise AppMoveRefused("答复期限只能延长一次（条例第三十三条）。")
    if action is AppAction.REQUEST_EXTENSION and app.extension_requested:
        raise AppMoveRefused("已申请延期，正待公开工作机构负责人批准。")
    if action is AppAction.APPROVE_EXTENSION and not app.extension_requested:
        raise AppMoveRefused("经办人尚未申请延期。")
    if action is AppAction.CLOSE_NO_CORRECTION and (app.correction_reply_by is None or today <= app.correction_reply_by):
        raise AppMoveRefused("补正期限尚未届满，不能视为放弃申请。")
    if action is AppAction.CLOSE_UNPAID and (app.fee_pay_by is None or today <= app.fee_pay_by):
        raise AppMoveRefused("缴费期限尚未届满，不能视为放弃申请。")
    return move.target or app.stage


def allowed_app_actions(app: AppFacts, roles: Iterable[Role], today: date, calendar: Calendar) -> list[AppAction]:
    roles = set(roles)
    out = []
    for m in APP_MOVES:
        try:
            check_app_move(app, roles, m.action, today, calendar)
        except AppMoveRefused:
            continue
        out.append(m.action)
    return out


# --------------------------------------------------------------------------- fees (国办函〔2020〕109号)

def fee_for_item(n: int) -> int:
    """按件计收 (yuan): what the applicant's n-th application (件) in one natural month costs — the
    1st–10th free; the 11th–30th ¥100; from the 31st, each further band of 10 costs ¥100 more per
    item (31st–40th ¥200, 41st–50th ¥300, …)."""
    if n < 1:
        raise ValueError("件数从 1 起算")
    if n <= 10:
        return 0
    if n <= 30:
        return 100
    return 100 + 100 * ((n - 31) // 10 + 1)


def fee_by_items(items: int) -> int:
    """按件计收 (yuan), for one applicant's `items` applications in one natural month, all together:
    the sum of `fee_for_item` over 1..items."""
    if items < 0:
        raise ValueError("件数不能为负")
    return sum(fee_for_item(n) for n in range(11, items + 1))


def fee_by_pages(pages: int) -> int:
    """按量计收 (yuan), for one application: ≤30 pages free; 31–100 ¥10/page; 101–200 ¥20/page; beyond ¥40/page."""
    if pages < 0:
        raise ValueError("页数不能为负")
    return (10 * max(0, min(pages, 100) - 30) + 20 * max(0, min(pages, 200) - 100)
            + 40 * max(0, pages - 200))


def fee(method: str, quantity: int) -> int:
    """Either per item or per volume, never both (109号文 第四条)."""
    if method == "items":
        return fee_by_items(quantity)
    if method == "pages":
        return fee_by_pages(quantity)
    raise ValueError("计费方式只能是按件或按量之一")


@dataclass(frozen=True)
class FeeComputation:
    """One application's 信息处理费 by ONE method, with the lines the 收费通知书 shows."""

    method: str  # items | pages
    quantity: int  # items: this application's rank in the applicant's month; pages: the pages
    amount: int
    lines: tuple[str, ...]

    @property
    def method_label(self) -> str:
        return FEE_METHODS[self.method]


FEE_METHODS = {"items": "按件计收", "pages": "按量计收"}


def fee_for_application_items(rank: int, month_total: int, year: int, month: int) -> FeeComputation:
    """按件计收 for the application that is the applicant's `rank`-th of `month_total` in the month
    (counted in order of receipt): it pays the tier its own rank falls in."""
    if not 1 <= rank <= month_total:
        raise ValueError("件数有误")
    amount = fee_for_item(rank)
    tier = ("10件以内（含10件）不收费" if rank <= 10 else "11—30件（含30件），每件100元" if rank <= 30
            else f"31件以上以10件为一档，本档（第{31 + (rank - 31) // 10 * 10}—{40 + (rank - 31) // 10 * 10}件）每件{amount}元")
    lines = ("计费方式：按件计收（国办函〔2020〕109号，同一申请人一个自然月内累计申请件数计算，不与按量计收同时适用）。",
             f"申请人{year}年{month}月共提出政府信息公开申请 {month_total} 件，本申请为其中第 {rank} 件。",
             f"第 {rank} 件适用的标准：{tier}。",
             f"本申请应缴信息处理费：人民币 {amount} 元。")
    return FeeComputation("items", rank, amount, lines)


def fee_for_application_pages(pages: int) -> FeeComputation:
    """按量计收 for one application's `pages` pages, band by band."""
    if pages < 0:
        raise ValueError("页数不能为负")
    bands = []
    for lo, hi, price in ((31, 100, 10), (101, 200, 20), (201, None, 40)):
        n = max(0, (pages if hi is None else min(pages, hi)) - lo + 1)
        if n:
            bands.append(f"第{lo}—{pages if hi is None else min(pages, hi)}页 {n} 页×{price}元＝{n * price}元")
    amount = fee_by_pages(pages)
    lines = ("计费方式：按量计收（国办函〔2020〕109号，同一申请的页数计算，不与按件计收同时适用）。",
             f"本申请提供的信息共 {pages} 页；30页以内（含30页）不收费。",
             *( [f"计算：{'；'.join(bands)}。"] if bands else []),
             f"本申请应缴信息处理费：人民币 {amount} 元。")
    return FeeComputation("pages", pages, amount, lines)


# --------------------------------------------------------------------------- the clock

class ClockKind(StrEnum):
    RECEIVED = "received"
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_RECEIVED = "correction_received"
    CONSULTATION_STARTED = "consultation_started"  # party: third_party | agency
    CONSULTATION_ENDED = "consultation_ended"
    EXTENSION_APPROVED = "extension_approved"
    FEE_NOTICE = "fee_notice"
    FEE_PAID = "fee_paid"
    REPLIED = "replied"


@dataclass(frozen=True)
class ClockEvent:
    kind: ClockKind
    day: date  # the agency's date it happened
    days: int = 0  # extension_approved: the working days granted
    party: str = ""  # consultation: third_party | agency
    until: date | None = None  # correction_requested: the day the correction is due


@dataclass(frozen=True)
class Clock:
    start: date  # day 0: the receipt day, or the day the corrected application arrived
    working_days: int  # 20, or 20 + the extension
    count: Count | None  # None while the clock is stopped for 补正
    pauses: tuple[Pause, ...]
    today: date
    replied_on: date | None
    waiting_correction: bool
    correction_until: date | None
    lapsed: str = ""  # "correction" | "fee": the applicant let the period set pass
    extension_days: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    days_left: int | None = None
    paused_now: str = ""

    @property
    def due(self) -> date | None:
        return self.count.due if self.count else None

    @property
    def overdue(self) -> bool:
        if self.count is None or self.lapsed:
            return False
        if self.replied_on is not None:
            return self.replied_on > self.count.due
        return not self.paused_now and self.today > self.count.due

    @property
    def tone(self) -> str:
        if self.replied_on is not None:
            return "danger" if self.overdue else "ok"
        if self.waiting_correction or self.paused_now:
            return "neutral"
        if self.overdue:
            return "danger"
        return "warn" if self.days_left is not None and self.days_left <= DUE_SOON_DAYS else "info"

    @property
    def words(self) -> str:
        if self.replied_on is not None:
            return "逾期答复" if self.overdue else "按期答复"
        if self.lapsed == "correction":
            return "逾期未补正，可视为放弃"
        if self.lapsed == "fee":
            return "逾期未缴费，可视为放弃"
        if self.waiting_correction:
            return f"待补正，补正后重新计算（补正期限 {cn_date(self.correction_until)}）" if self.correction_until \
                else "待补正，补正后重新计算"
        if self.paused_now:
            return f"暂停计算（{self.paused_now}）"
        assert self.days_left is not None
        if self.days_left > 0:
            return f"剩余 {self.days_left} 个工作日"
        if self.days_left == 0:
            return "今天到期"
        return f"已逾期 {-self.days_left} 个工作日"

    @property
    def explanation(self) -> list[str]:
        lines = list(self.notes)
        if self.count is not None:
            lines.extend(self.count.explanation)
        return lines


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def compute_clock(events: Sequence[ClockEvent], calendar: Calendar, today: date,
                  days_left: Callable[[date, date], int] | None = None) -> Clock:
    """The application's reply deadline as its events make it, seen from ``today``.

    ``days_left(due, seen)`` may be given to share `working_days_left` results across a page of
    applications (many share a due day); it must equal ``working_days_left(due, seen, calendar)``."""
    evs = sorted(events, key=lambda e: e.day)  # stable: same-day events keep their order
    received = next((e for e in evs if e.kind is ClockKind.RECEIVED), None)
    if received is None:
        raise ValueError("申请没有收到日期")
    start = received.day
    notes = [f"收到申请之日：{cn_date(received.day)}。"]
    pauses: list[Pause] = []
    waiting_correction, correction_until = False, None
    consult_open: ClockEvent | None = None
    fee_open: ClockEvent | None = None
    extension = 0
    replied_on = None
    lapsed = ""
    paused_now = ""
    for e in evs:
        if e.kind is ClockKind.CORRECTION_REQUESTED:
            waiting_correction, correction_until = True, e.until
            notes.append(f"{cn_date(e.day)} 告知申请人补正（第三十条）；补正期间不计算，收到补正后重新起算。")
        elif e.kind is ClockKind.CORRECTION_RECEIVED:
            waiting_correction, start = False, e.day
            notes.append(f"{cn_date(e.day)} 收到补正后的申请，答复期限自该日重新计算。")
        elif e.kind is ClockKind.CONSULTATION_STARTED:
            consult_open = e
        elif e.kind is ClockKind.CONSULTATION_ENDED and consult_open is not None:
            pauses.append(_consultation_pause(consult_open, e.day, calendar, notes))
            consult_open = None
        elif e.kind is ClockKind.EXTENSION_APPROVED:
            extension = e.days
            notes.append(f"{cn_date(e.day)} 经公开工作机构负责人同意，延长答复期限 {e.days} 个工作日（第三十三条）。")
        elif e.kind is ClockKind.FEE_NOTICE:
            fee_open = e
        elif e.kind is ClockKind.FEE_PAID and fee_open is not None:
            pauses.append(Pause(fee_open.day, e.day, "收费通知至缴费期间，不计算"))
            notes.append(f"{cn_date(fee_open.day)} 发出收费通知，{cn_date(e.day)} 缴费，其间不计算。")
            fee_open = None
        elif e.kind is ClockKind.REPLIED:
            replied_on = e.day
    seen = replied_on or today
    if consult_open is not None:  # still consulting: counted as paused until today or the party's deadline
        cap = add_working_days(consult_open.day, CONSULTATION_DAYS, calendar).due
        pauses.append(_consultation_pause(consult_open, min(seen, cap), calendar, notes, open_=True))
        if seen <= cap:
            paused_now = "征求意见中"
    if fee_open is not None:
        pay_by = add_working_days(fee_open.day, FEE_PAYMENT_DAYS, calendar).due
        pauses.append(Pause(fee_open.day, min(seen, pay_by), "待缴费期间，不计算"))
        if seen > pay_by:
            lapsed = "fee"
            notes.append(f"收费通知的缴费期限 {cn_date(pay_by)} 已过，申请人未缴费（国办函〔2020〕109号）。")
        else:
            paused_now = "待缴费"
    if waiting_correction:
        if correction_until is not None and seen > correction_until:
            lapsed = "correction"
        return Clock(start, REPLY_WORKING_DAYS + extension, None, tuple(pauses), today, replied_on, True,
                     correction_until, lapsed, extension, tuple(notes))
    pauses = [p for p in pauses if p.end > start]  # a pause before a restart does not matter
    total = REPLY_WORKING_DAYS + extension
    count = add_working_days(start, total, calendar, pauses)
    left = days_left(count.due, seen) if days_left else working_days_left(count.due, seen, calendar)
    return Clock(start, total, count, tuple(pauses), today, replied_on, False, correction_until, lapsed,
                 extension, tuple(notes), left, paused_now)


def _consultation_pause(started: ClockEvent, ended: date, calendar: Calendar, notes: list[str],
                        open_: bool = False) -> Pause:
    who = "第三方" if started.party != "agency" else "其他机关"
    article = "第三十二条" if started.party != "agency" else "第三十四条"
    cap = add_working_days(started.day, CONSULTATION_DAYS, calendar).due
    end = min(ended, cap)
    if open_:
        notes.append(f"{cn_date(started.day)} 起征求{who}意见（{article}，{who}答复期限 {cn_date(cap)}），"
                     f"征求意见期间不计算。")
    elif ended > cap:
        notes.append(f"{cn_date(started.day)} 征求{who}意见，{who}于 {cn_date(ended)} 逾期答复；"
                     f"仅其答复期限（至 {cn_date(cap)}）内不计算，此后的日子照常计算。")
    else:
        notes.append(f"{cn_date(started.day)} 至 {cn_date(ended)} 征求{who}意见（{article}），不计算。")
    return Pause(started.day, end, f"征求{who}意见，不计算")


# The words of the application's own events (its timeline; the audit log has its own kinds).
APP_EVENT_LABELS: dict[str, str] = {
    ClockKind.RECEIVED.value: "收到申请",
    ClockKind.CORRECTION_REQUESTED.value: "告知补正",
    ClockKind.CORRECTION_RECEIVED.value: "收到补正",
    ClockKind.CONSULTATION_STARTED.value: "征求意见",
    ClockKind.CONSULTATION_ENDED.value: "收到意见",
    ClockKind.EXTENSION_APPROVED.value: "批准延期答复",
    ClockKind.FEE_NOTICE.value: "发出收费通知",
    ClockKind.FEE_PAID.value: "已缴费",
    ClockKind.REPLIED.value: "已答复",
    "extension_requested": "申请延期答复",
    "assigned": "分配经办人",
    "search_recorded": "记录检索情况",
    "reply_submitted": "提交答复审核",
    "reply_returned": "退回修改答复",
}


# After the reply: 行政复议 and 行政诉讼 against it, as the report's table 四 counts them (kept as
# events "remedy_recorded"; a later record of the same kind — e.g. 尚未审结 then 结果维持 — replaces
# the earlier one in the count).
REMEDY_KINDS = {"reconsideration": "行政复议", "litigation_direct": "行政诉讼：未经复议直接起诉",
                "litigation_after": "行政诉讼：复议后起诉"}
REMEDY_RESULTS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结"}
APP_EVENT_LABELS["remedy_recorded"] = "记录行政复议、行政诉讼情况"


def latest_remedies(records: Iterable[tuple[str, str]]) -> dict[str, str]:
    """(kind, result) in the order recorded → the result in force per kind."""
    out: dict[str, str] = {}
    for kind, result in records:
        if kind in REMEDY_KINDS and result in REMEDY_RESULTS:
            out[kind] = result
    return out
