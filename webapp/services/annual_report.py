"""The annual report (政府信息公开工作年度报告, R12): its figures computed from the records,
the office's hand entries and text, its .docx, the 公文 draft it becomes, and its status.

Figures are aggregate SQL over the documents and applications (GROUP BY, no per-row Python),
so a year of 100,000 documents and 20,000 applications computes in well under two seconds
(bench/annual_report_bench.py).  Table 四 reads the few `remedy_recorded` events in Python.
Each cell's counting rule is one SQL condition (`_t2_condition`, `_t3_condition`) shared by
the count and by the list of the records it counts, so the two cannot disagree.

Rules chosen (see the issue note):
- 本年制发件数: 行政规范性文件 (is_normative) with an 印发日期 in the year;
- 本年废止件数: validity 废止 (repealed) with validity_changed_on in the year; 失效 (expired:
  the period ran out) is not counted — the template's column says 废止;
- 现行有效件数: issued by 31 December and in force that day: validity 有效/已修订, or changed
  only after that day, and an effective_to (if any) not before it;
- 规章: the records do not mark a 规章; when the office says the agency makes them, the row
  is entered by hand; otherwise it shows —;
- 表三: 新收 = received in the year; 上年结转 = received before 1 January and not replied
  before it; 办理结果 = replied in the year, by its outcome's row; 结转下年度 = received by
  31 December and not replied by then.  一 + 二 = 三（七） + 四 holds by construction;
- 表四: a 行政复议/行政诉讼 (one per application and kind) counts in the year its first record
  falls in, with the result last recorded by 31 December (尚未审结 when still pending).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from html import escape

from sqlalchemy import and_, exists, func, or_, select

from .. import annual_report as rules
from .. import clock
from ..applications_flow import OUTCOME_BY_CODE, REMEDY_KINDS, REMEDY_RESULTS, ApplicantType
from ..docgen.annual_report import ReportDocx, build_report_docx
from ..docgen.html_blocks import Paragraph, parse_body_html
from ..extensions import db
from ..models import (
    AnnualReport,
    AnnualReportEntry,
    Application,
    ApplicationEvent,
    Document,
    Publication,
    User,
    utcnow,
)
from ..richtext import clean_html
from ..workflow import Role, Stage
from . import agency, audit
from .documents import get_document
from .errors import Conflict, Forbidden, Invalid, NotFound
from .tx import transaction

MIN_YEAR = 2008  # the first 条例 took effect on 1 May 2008
MAX_TEXT = 100_000
MAX_ADJUSTMENT = 100_000
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_INT = re.compile(r"[+-]?[0-9]{1,7}")


# --------------------------------------------------------------------------- who

def may_view(user: User) -> bool:
    return bool(user.roles & {Role.OFFICE, Role.LEADER, Role.DISCLOSURE_HEAD})


def may_edit(user: User) -> bool:
    return Role.OFFICE in user.roles


def check_year(year: int) -> int:
    if not MIN_YEAR <= year <= clock.agency_today().year:
        raise NotFound("没有该年度的年度报告。")
    return year


def _span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


# --------------------------------------------------------------------------- counting rules

def _t2_condition(cell: str, year: int):
    start, end = _span(year)
    normative = Document.is_normative.is_(True)
    if cell == "t2.normative.issued":
        return and_(normative, Document.print_date.between(start, end))
    if cell == "t2.normative.repealed":
        return and_(normative, Document.validity == "repealed", Document.validity_changed_on.between(start, end))
    if cell == "t2.normative.in_force":
        return and_(normative, Document.print_date <= end,
                    or_(Document.validity.in_(("valid", "revised")), Document.validity_changed_on > end),
                    or_(Document.effective_to.is_(None), Document.effective_to >= end))
    raise NotFound("该数字不是从文件记录统计的。")


def _t3_row_condition(row: str, year: int):
    start, end = _span(year)
    if row == "new":
        return Application.received_on.between(start, end)
    if row == "carried":
        return and_(Application.received_on < start,
                    or_(Application.replied_on.is_(None), Application.replied_on >= start))
    if row == "carry_next":
        return and_(Application.received_on <= end,
                    or_(Application.replied_on.is_(None), Application.replied_on > end))
    replied = Application.replied_on.between(start, end)
    if row == "results_total":
        return replied
    if row in OUTCOME_BY_CODE:
        if row == "other_3":  # 其他: also an outcome the table does not know (never expected)
            return and_(replied, or_(Application.outcome.is_(None), Application.outcome == row,
                                     Application.outcome.not_in(list(OUTCOME_BY_CODE))))
        return and_(replied, Application.outcome == row)
    raise NotFound("表三没有该行。")


def _t3_condition(cell: str, year: int):
    _, row, column = cell.split(".")
    condition = _t3_row_condition(row, year)
    if column == "total":
        return and_(condition, Application.applicant_type.in_(rules.T3_APPLICANT_KEYS))
    if column not in rules.T3_APPLICANT_KEYS:
        raise NotFound("表三没有该列。")
    return and_(condition, Application.applicant_type == column)


@dataclass
class Computed:
    figures: dict[str, int] = field(default_factory=dict)
    fees_yuan: int = 0  # 信息处理费 collected in the year
    fee_applications: int = 0
    published: int = 0  # 主动公开: documents first published in the year
    remedy_apps: dict[str, list[int]] = field(default_factory=dict)  # t4 cell -> application ids


def _count(condition) -> int:
    return db.session.execute(select(func.count()).select_from(Document).where(condition)).scalar_one()


def compute(year: int) -> Computed:
    """Every figure the records hold for the year (aggregate queries)."""
    start, end = _span(year)
    out = Computed()
    f = out.figures
    for cell in rules.T2_NORMATIVE:
        f[cell] = _count(_t2_condition(cell, year))
    # table 三: one grouped query per row kind
    for row in ("new", "carried", "carry_next"):
        for applicant, n in db.session.execute(
                select(Application.applicant_type, func.count()).where(_t3_row_condition(row, year))
                .group_by(Application.applicant_type)):
            if applicant in rules.T3_APPLICANT_KEYS:
                f[rules.t3(row, applicant)] = n
    for applicant, outcome, n in db.session.execute(
            select(Application.applicant_type, Application.outcome, func.count())
            .where(Application.replied_on.between(start, end))
            .group_by(Application.applicant_type, Application.outcome)):
        if applicant in rules.T3_APPLICANT_KEYS:
            key = rules.t3(outcome if outcome in OUTCOME_BY_CODE else "other_3", applicant)
            f[key] = f.get(key, 0) + n
    # table 四: the (few) remedy records up to 31 December, latest result per application and kind
    first: dict[tuple[int, str], date] = {}
    latest: dict[tuple[int, str], str] = {}
    for app_id, day, details in db.session.execute(
            select(ApplicationEvent.application_id, ApplicationEvent.day, ApplicationEvent.details_json)
            .where(ApplicationEvent.kind == "remedy_recorded", ApplicationEvent.day <= end)
            .order_by(ApplicationEvent.id)):
        d = json.loads(details or "{}")
        kind, result = d.get("kind"), d.get("result")
        if kind in REMEDY_KINDS and result in REMEDY_RESULTS:
            first.setdefault((app_id, kind), day)
            latest[(app_id, kind)] = result
    for (app_id, kind), result in latest.items():
        if first[(app_id, kind)] >= start:
            cell = rules.t4(kind, result)
            f[cell] = f.get(cell, 0) + 1
            out.remedy_apps.setdefault(cell, []).append(app_id)
            out.remedy_apps.setdefault(rules.t4(kind, "total"), []).append(app_id)
    # 信息处理费: the applications whose fee was paid in the year
    paid = exists().where(ApplicationEvent.application_id == Application.id, ApplicationEvent.kind == "fee_paid",
                          ApplicationEvent.day.between(start, end))
    out.fee_applications, out.fees_yuan = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Application.fee_amount), 0)).where(paid)).one()
    out.published = db.session.execute(
        select(func.count()).select_from(Publication)
        .where(Publication.first_published_at >= datetime(year, 1, 1, tzinfo=clock.AGENCY_TZ),
               Publication.first_published_at < datetime(year + 1, 1, 1, tzinfo=clock.AGENCY_TZ))).scalar_one()
    return out


# --------------------------------------------------------------------------- the report

def get_report(year: int) -> AnnualReport | None:
    return db.session.execute(select(AnnualReport).where(AnnualReport.year == year)).scalar_one_or_none()


def entries_of(report: AnnualReport | None) -> dict[str, AnnualReportEntry]:
    if report is None:
        return {}
    return {e.cell: e for e in db.session.execute(
        select(AnnualReportEntry).where(AnnualReportEntry.report_id == report.id)).scalars()}


def _hand_cells(makes_rules: bool) -> tuple[str, ...]:
    return (*(rules.T2_RULES if makes_rules else ()), *rules.T2_HAND)


def _final(computed: dict[str, int], values: dict[str, str], makes_rules: bool) -> dict[str, int | Decimal]:
    figures: dict[str, int | Decimal] = dict(computed)
    for cell in _hand_cells(makes_rules):
        raw = values.get(cell, "")
        if cell == rules.T2_MONEY:
            figures[cell] = rules.parse_money(raw) or Decimal(0)
        else:
            figures[cell] = int(raw) if raw else 0
    for cell in rules.ADJUSTABLE:
        raw = values.get(cell, "")
        if raw:
            figures[cell] = int(figures.get(cell, 0)) + int(raw)
    return rules.complete(figures)


@dataclass
class ReportView:
    year: int
    report: AnnualReport | None
    computed: Computed
    entries: dict[str, AnnualReportEntry]
    figures: dict[str, int | Decimal]
    problems: list[str]

    @property
    def makes_rules(self) -> bool:
        return bool(self.report and self.report.makes_rules)


def view(year: int) -> ReportView:
    report = get_report(year)
    computed = compute(year)
    entries = entries_of(report)
    makes_rules = bool(report and report.makes_rules)
    figures = _final(computed.figures, {c: e.value for c, e in entries.items()}, makes_rules)
    return ReportView(year, report, computed, entries, figures, rules.check(figures))


def open_report(year: int, user: User) -> AnnualReport:
    """The office starts the year's report: the text sections prefilled with the year's figures."""
    if not may_edit(user):
        raise Forbidden("只有办公室（公开审查员）可以编写年度报告。")
    check_year(year)
    with transaction():
        report = get_report(year)
        if report is not None:
            return report
        before = get_report(year - 1)
        report = AnnualReport(year=year, makes_rules=bool(before and before.makes_rules),
                              recipients=before.recipients if before else "", created_by_id=user.id,
                              updated_by_id=user.id)
        db.session.add(report)
        db.session.flush()
        v = view(year)
        report.overview_html, report.problems_html, report.other_html = prefill(v)
        audit.record("report_open", user, details={"year": year})
    return report


def prefill(v: ReportView) -> tuple[str, str, str]:
    """The text sections as first written for the office to edit: the year's figures in words."""
    f, c = v.figures, v.computed
    t = f"{v.year}年，本机关"
    overview = (
        f"<p>{t}认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息 {c.published} 件；"
        f"制发行政规范性文件 {f['t2.normative.issued']} 件，废止 {f['t2.normative.repealed']} 件，"
        f"现行有效 {f['t2.normative.in_force']} 件。</p>"
        f"<p>本年新收政府信息公开申请 {f['t3.new.total']} 件，上年结转 {f['t3.carried.total']} 件，"
        f"办结 {f['t3.results_total.total']} 件，结转下年度继续办理 {f['t3.carry_next.total']} 件。"
        f"因政府信息公开引起行政复议 {f['t4.reconsideration.total']} 件、行政诉讼 "
        f"{int(f['t4.litigation_direct.total']) + int(f['t4.litigation_after.total'])} 件。</p>")
    problems = "<p>（一）存在的主要问题：</p><p>（二）改进情况：</p>"
    if c.fees_yuan:
        fees = (f"<p>本年度共对 {c.fee_applications} 件政府信息公开申请收取信息处理费，合计 {c.fees_yuan} 元"
                f"（{rules.yuan_to_wanyuan(c.fees_yuan)} 万元）。</p>")
    else:
        fees = "<p>本年度未收取信息处理费。</p>"
    return overview, problems, fees


def _parse_values(values: dict[str, str], makes_rules: bool) -> tuple[dict[str, str], list[str]]:
    clean: dict[str, str] = {}
    problems: list[str] = []
    for cell in (*_hand_cells(makes_rules), *rules.ADJUSTABLE):
        raw = (values.get(cell) or "").strip()
        if not raw:
            continue
        if cell == rules.T2_MONEY:
            if rules.parse_money(raw) is None:
                problems.append(f"{rules.cell_name(cell)}：请填写不小于 0 的金额（万元，最多 4 位小数）。")
                continue
        elif cell in rules.ADJUSTABLE:
            if not _INT.fullmatch(raw) or abs(int(raw)) > MAX_ADJUSTMENT:
                problems.append(f"{rules.cell_name(cell)}：补录数请填写整数（可为负数，绝对值不超过 {MAX_ADJUSTMENT}）。")
                continue
            raw = str(int(raw))
            if raw == "0":
                continue
        else:
            if not _INT.fullmatch(raw) or int(raw) < 0:
                problems.append(f"{rules.cell_name(cell)}：请填写不小于 0 的整数。")
                continue
            raw = str(int(raw))
        clean[cell] = raw
    return clean, problems


def save_entries(year: int, user: User, values: dict[str, str], makes_rules: bool, version: int) -> AnnualReport:
    """The hand entries and adjustments, all at once: refused — nothing saved — when a value is
    not a number or the report they make does not hold together (each message names its cell)."""
    if not may_edit(user):
        raise Forbidden("只有办公室（公开审查员）可以编写年度报告。")
    clean, problems = _parse_values(values, makes_rules)
    if problems:
        raise Invalid("没有保存，请修改以下数字。", problems)
    with transaction():
        report = _locked(year, version)
        _refuse_after_draft(report)
        figures = _final(compute(year).figures, clean, makes_rules)
        problems = rules.check(figures)
        if problems:
            raise Invalid("没有保存：报告的数字不一致。", problems)
        old = entries_of(report)
        changes = {}
        for cell in set(old) | set(clean):
            before, after = old[cell].value if cell in old else "", clean.get(cell, "")
            if before == after:
                continue
            changes[cell] = [before, after]
            if cell in old and not after:
                db.session.delete(old[cell])
            elif cell in old:
                old[cell].value, old[cell].entered_by_id = after, user.id
                old[cell].entered_by_name, old[cell].entered_at = user.display_name, utcnow()
            else:
                db.session.add(AnnualReportEntry(report_id=report.id, cell=cell, value=after, entered_by_id=user.id,
                                                 entered_by_name=user.display_name))
        if report.makes_rules != makes_rules:
            changes["makes_rules"] = [report.makes_rules, makes_rules]
            report.makes_rules = makes_rules
        if changes:
            report.updated_at, report.updated_by_id = utcnow(), user.id
            audit.record("report_save_entries", user, details={"year": year, "changes": changes})
    return report


def save_text(year: int, user: User, overview: str, problems_text: str, other: str, recipients: str,
              version: int) -> AnnualReport:
    if not may_edit(user):
        raise Forbidden("只有办公室（公开审查员）可以编写年度报告。")
    problems = []
    if any(len(t or "") > MAX_TEXT for t in (overview, problems_text, other)):
        problems.append(f"每一部分不能超过 {MAX_TEXT} 字。")
    if len(recipients or "") > 500:
        problems.append("主送机关不能超过 500 字。")
    if problems:
        raise Invalid("没有保存。", problems)
    with transaction():
        report = _locked(year, version)
        _refuse_after_draft(report)
        report.overview_html = clean_html(overview or "")
        report.problems_html = clean_html(problems_text or "")
        report.other_html = clean_html(other or "")
        report.recipients = (recipients or "").strip()
        report.updated_at, report.updated_by_id = utcnow(), user.id
        audit.record("report_save_text", user, details={"year": year})
    return report


def _locked(year: int, version: int) -> AnnualReport:
    report = db.session.execute(select(AnnualReport).where(AnnualReport.year == year).with_for_update()) \
        .scalar_one_or_none()
    if report is None:
        raise NotFound("该年度的年度报告尚未开始编写。")
    if report.version != version:
        raise Conflict("年度报告已被他人修改，页面已显示最新内容，请核对后重新填写。")
    return report


def report_document(year: int) -> Document | None:
    """The 公文 the year's report became (flagged with annual_report_year), if any."""
    return db.session.execute(select(Document).where(Document.annual_report_year == year)
                              .order_by(Document.id.desc()).limit(1)).scalar_one_or_none()


def _refuse_after_draft(report: AnnualReport) -> None:
    doc = report_document(report.year)
    if doc is not None and doc.stage not in (Stage.DRAFT.value, Stage.RETURNED.value):
        raise Invalid("年度报告已送审，不能再修改；如需修改，请待审核退回后再改。")


# --------------------------------------------------------------------------- records behind a number

@dataclass(frozen=True)
class CellRecords:
    cell: str
    name: str
    kind: str  # documents | applications
    documents: list[Document]
    applications: list[Application]
    adjustment: int = 0


LIST_LIMIT = 500


def records(year: int, cell: str) -> CellRecords:
    """The records a computed number counts (at most LIST_LIMIT of them, in order)."""
    if not re.fullmatch(r"t[234]\.[a-z_0-9]{1,30}\.[a-z_0-9]{1,30}", cell or ""):
        raise NotFound("没有该数字。")
    name = rules.cell_name(cell)
    if cell.startswith("t2."):
        docs = list(db.session.execute(select(Document).where(_t2_condition(cell, year))
                                       .order_by(Document.print_date, Document.id).limit(LIST_LIMIT)).scalars())
        return CellRecords(cell, name, "documents", docs, [])
    if cell.startswith("t3."):
        condition = _t3_condition(cell, year)
    else:
        _, group, result = cell.split(".")
        if group not in REMEDY_KINDS or result not in (*REMEDY_RESULTS, "total"):
            raise NotFound("表四没有该数字。")
        ids = compute(year).remedy_apps.get(cell, [])
        condition = Application.id.in_(ids[:LIST_LIMIT])
    apps = list(db.session.execute(select(Application).where(condition)
                                   .order_by(Application.received_on, Application.id).limit(LIST_LIMIT)).scalars())
    return CellRecords(cell, name, "applications", [], apps)


# --------------------------------------------------------------------------- output

def _paragraphs(html: str) -> list[str]:
    return [b.text.strip() for b in parse_body_html(html or "") if isinstance(b, Paragraph) and b.text.strip()]


def title_of(year: int) -> str:
    name = agency.settings().publisher_name or "本机关"
    return f"{name}{year}年政府信息公开工作年度报告"


def docx_of(year: int) -> tuple[str, bytes]:
    v = view(year)
    if v.report is None:
        raise NotFound("该年度的年度报告尚未开始编写。")
    data = build_report_docx(ReportDocx(
        title=title_of(year), year=year, signer=agency.settings().publisher_name or "本机关",
        signed_on=clock.agency_today(), overview=tuple(_paragraphs(v.report.overview_html)),
        problems=tuple(_paragraphs(v.report.problems_html)), other=tuple(_paragraphs(v.report.other_html)),
        figures=v.figures, makes_rules=v.makes_rules))
    return f"{title_of(year)}.docx", data


def body_html(v: ReportView) -> str:
    """The report as the 公文's body: the six sections, the tables with their merged heads."""
    assert v.report is not None
    s = rules.SECTIONS
    parts = [f"<h2>{escape(s[0])}</h2>", v.report.overview_html,
             f"<h2>{escape(s[1])}</h2>", rules.grid_html(rules.table2_grid(v.figures, v.makes_rules)),
             f"<h2>{escape(s[2])}</h2>", rules.grid_html(rules.table3_grid(v.figures)),
             f"<h2>{escape(s[3])}</h2>", rules.grid_html(rules.table4_grid(v.figures)),
             f"<h2>{escape(s[4])}</h2>", v.report.problems_html,
             f"<h2>{escape(s[5])}</h2>", v.report.other_html]
    return "".join(parts)


def make_draft(year: int, user: User, version: int) -> Document:
    """The report becomes an ordinary 公文 draft (文种 报告, 主动公开) of this user, flagged as the
    year's annual report, with the report's .docx attached: it then goes through the ordinary
    chain (submission by its drafter, the office's review, the leader's 签发, 印发, publication).
    Refused while the figures do not hold together; a draft already made is brought up to date."""
    from . import drafting  # the draft's fields and attachment are set exactly as the drafting page does

    if not may_edit(user) or Role.DRAFTER not in user.roles:
        raise Forbidden("生成公文草稿须由同时具有起草人和公开审查员权限的办公室人员办理。")
    if user.department_id is None:
        raise Invalid("您尚未分配到处室，请联系管理员。")
    with transaction():
        report = _locked(year, version)
        _refuse_after_draft(report)
        v = view(year)
        if v.problems:
            raise Invalid("不能生成：报告的数字不一致。", v.problems)
        if not report.recipients.strip():
            raise Invalid("不能生成：请先填写主送机关（文种为“报告”，须有主送机关）。")
        filename, data = docx_of(year)
        draft = drafting.DraftInput(title=title_of(year), doc_type="报告", recipients=report.recipients,
                                    body_html=body_html(v), topic_category="综合政务/政务公开", disclosure="public")
        found = report_document(year)
        if found is None:
            doc = Document(department_id=user.department_id, drafter_id=user.id, stage=Stage.DRAFT.value)
            drafting._apply(doc, draft)
            doc.annual_report_year = year
            db.session.add(doc)
            db.session.flush()
            audit.record("create", user, doc, to_stage=Stage.DRAFT.value)
            report.document_id = doc.id
        else:
            if found.drafter_id != user.id:
                raise Forbidden("该年度报告的公文草稿由其起草人更新。")
            doc = get_document(found.id, user, "edit")
            drafting._apply(doc, draft)
            from . import files

            for f in files.files_of(doc.id, "attachment"):
                if f.filename == filename:
                    drafting._detach(doc, user, f.id)
        drafting._attach(doc, user, filename, data, DOCX)
        report.updated_at, report.updated_by_id = utcnow(), user.id
        audit.record("report_make_draft", user, doc, details={"year": year,
                                                              "sha256": hashlib.sha256(data).hexdigest()})
    return doc


# --------------------------------------------------------------------------- status (for the dashboard)

@dataclass(frozen=True)
class ReportStatus:
    year: int
    due: date
    days_left: int  # calendar days to the due date (negative: overdue)
    state: str  # not_started | writing | in_chain | approved | published
    label: str
    document_id: int | None


STATE_LABELS = {"not_started": "未开始", "writing": "编写中", "in_chain": "审核中", "approved": "已签发",
                "published": "已发布"}


def report_status(year: int, today: date | None = None) -> ReportStatus:
    """The year's report as the dashboard shows it, counting down to 31 January of the next year."""
    today = today or clock.agency_today()
    due = rules.due_date(year)
    report = get_report(year)
    doc = report_document(year) if report else None
    if report is None:
        state = "not_started"
    elif doc is None or doc.stage in (Stage.DRAFT.value, Stage.RETURNED.value):
        state = "writing"
    elif doc.stage == Stage.PUBLISHED.value:
        state = "published"
    elif doc.approved_at is not None:
        state = "approved"
    else:
        state = "in_chain"
    return ReportStatus(year, due, (due - today).days, state, STATE_LABELS[state], doc.id if doc else None)


def applicant_label(applicant_type: str) -> str:
    try:
        return ApplicantType(applicant_type).label
    except ValueError:
        return applicant_type


def outcome_row(outcome: str | None) -> str:
    o = OUTCOME_BY_CODE.get(outcome or "")
    return o.report_row if o else ""


def group_entries(entries: dict[str, AnnualReportEntry]) -> dict[str, list[AnnualReportEntry]]:
    out: dict[str, list[AnnualReportEntry]] = defaultdict(list)
    for cell, e in entries.items():
        out[cell.split(".")[0]].append(e)
    return out
