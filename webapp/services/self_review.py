"""R10, the yearly self-review: every 依申请公开 and 不予公开 document issued in a year is looked at
again.  The office records, per document, keep or change to 主动公开 with reasons; a change goes
to the drafting side, which confirms or objects with a reason.  A confirmed change is the chain's
move filed → de-identification (workflow: OPEN_AFTER_REVIEW) made by the drafter, with the
attribute set to 主动公开 in the same transaction; from there the document is de-identified and
published through the existing services like any other.  A summary .docx lists the year.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.shared import Cm
from sqlalchemy import extract, select

from .. import clock
from ..archives.lists import chinese_date
from ..disclosure import Disclosure
from ..extensions import db
from ..models import Department, Document, SelfReview, User, utcnow
from ..workflow import Action, Role, Stage
from . import audit, chain
from .documents import get_document
from .errors import Conflict, Forbidden, Invalid, NotFound
from .tx import transaction

NON_PUBLIC = (Disclosure.ON_REQUEST.value, Disclosure.NOT_PUBLIC.value)
MAX_REASON = 2000
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class ReviewRow:
    document: Document
    review: SelfReview | None


def check_year(year: int | None) -> int:
    if year is None:
        return clock.agency_today().year
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Invalid(f"年度应在 {MIN_YEAR}–{MAX_YEAR} 之间。")
    return year


def review_list(year: int) -> list[ReviewRow]:
    """Every document issued in `year` whose attribute was 依申请公开 or 不予公开 (those changed by an
    earlier review included, so the year's list stays whole), with its review if any."""
    reviews = {r.document_id: r for r in db.session.execute(
        select(SelfReview).where(SelfReview.year == year)).scalars()}
    docs = db.session.execute(
        select(Document).where(Document.print_date.is_not(None), extract("year", Document.print_date) == year,
                               (Document.disclosure.in_(NON_PUBLIC)) | (Document.id.in_(list(reviews) or [0])))
        .order_by(Document.print_date, Document.id)).scalars().all()
    return [ReviewRow(d, reviews.get(d.id)) for d in docs]


def decide(office: User, year: int, document_id: int, decision: str, reason: str) -> SelfReview:
    """The office's conclusion for one document: keep, or change to 主动公开 (sent to the drafter)."""
    reason = (reason or "").strip()
    if Role.OFFICE not in office.roles:
        raise Forbidden("只有公开审查员（办公室）可以作出复核结论。")
    if decision not in ("keep", "change"):
        raise Invalid("请选择复核结论：维持或转为主动公开。")
    if not reason:
        raise Invalid("请写明复核理由。")
    if len(reason) > MAX_REASON:
        raise Invalid(f"复核理由不能超过 {MAX_REASON} 字。")
    year = check_year(year)
    with transaction():
        doc = get_document(document_id, office)
        if doc.disclosure not in NON_PUBLIC or doc.stage != Stage.FILED.value:
            raise Invalid("该文件不是已印发的依申请公开或不予公开文件，不在年度复核范围内。")
        if doc.print_date is None or doc.print_date.year != year:
            raise Invalid(f"该文件不是 {year} 年印发的文件。")
        review = db.session.execute(select(SelfReview).where(SelfReview.year == year,
                                                             SelfReview.document_id == doc.id)).scalar_one_or_none()
        if review is not None and review.status == "confirmed":
            raise Invalid("该文件已确认转为主动公开，复核结论不再改变。")
        if review is None:
            review = SelfReview(year=year, document_id=doc.id, original_disclosure=doc.disclosure)
            db.session.add(review)
        review.decision, review.reason, review.decided_by_id, review.decided_at = decision, reason, office.id, utcnow()
        review.status = "kept" if decision == "keep" else "awaiting_department"
        review.response_reason, review.responded_by_id, review.responded_at = "", None, None
        db.session.flush()
        audit.record("self_review_decide", office, doc, from_stage=doc.stage, to_stage=doc.stage, comment=reason,
                     details={"year": year, "decision": decision, "disclosure": doc.disclosure})
    return review


def awaiting(user: User) -> list[SelfReview]:
    """Changes waiting for this drafter's confirmation or objection."""
    return list(db.session.execute(
        select(SelfReview).join(Document, SelfReview.document_id == Document.id)
        .where(SelfReview.status == "awaiting_department", Document.drafter_id == user.id)
        .order_by(SelfReview.id)).scalars())


def get_review(review_id: int) -> SelfReview:
    review = db.session.get(SelfReview, review_id) if 0 < review_id < 2**31 else None
    if review is None:
        raise NotFound("复核记录不存在。")
    return review


def respond(review_id: int, drafter: User, agree: bool, reason: str) -> SelfReview:
    """The drafting side's answer: agree (the document moves on to de-identification as 主动公开)
    or object with a reason (it stays filed; the office sees the objection)."""
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise Invalid(f"意见不能超过 {MAX_REASON} 字。")
    if not agree and not reason:
        raise Invalid("提出异议须写明理由。")
    review = get_review(review_id)
    if review.status != "awaiting_department":
        raise Invalid("该复核结论不在待确认状态。")
    doc = get_document(review.document_id, drafter)
    if doc.drafter_id != drafter.id:
        raise Forbidden("只有该文件的起草人可以代表起草处室确认或提出异议。")
    if not agree:
        with transaction():
            review = get_review(review_id)
            if review.status != "awaiting_department":
                raise Conflict("该复核结论已被处理，页面已显示最新状态。")
            review.status, review.response_reason = "objected", reason
            review.responded_by_id, review.responded_at = drafter.id, utcnow()
            audit.record("self_review_object", drafter, doc, from_stage=doc.stage, to_stage=doc.stage, comment=reason,
                         details={"year": review.year})
        return review

    def open_to_public(d: Document) -> dict:
        r = db.session.execute(select(SelfReview).where(SelfReview.id == review_id).with_for_update()).scalar_one()
        if r.status != "awaiting_department":
            raise Conflict("该复核结论已被处理，页面已显示最新状态。")
        before = {"disclosure": d.disclosure, "reason": d.disclosure_reason, "legal_basis": d.legal_basis_codes}
        d.disclosure, d.disclosure_reason, d.legal_basis_codes = Disclosure.PUBLIC.value, "", []
        d.deid_scanned_at = None  # the publisher's review scans it afresh
        r.status, r.response_reason, r.responded_by_id, r.responded_at = "confirmed", reason, drafter.id, utcnow()
        return {"year": r.year, "self_review": r.id, "before": before, "office_reason": r.reason}

    chain.move(doc.id, drafter, Action.OPEN_AFTER_REVIEW, doc.version, reason, apply=open_to_public)
    return get_review(review_id)


# --------------------------------------------------------------------------- the summary

def summary_docx(year: int) -> bytes:
    """What was reviewed and decided in `year`, as a Word table (A4 landscape)."""
    year = check_year(year)
    rows = review_list(year)
    depts = dict(db.session.execute(select(Department.id, Department.name)).all())
    out = DocxDocument()
    section = out.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    out.add_heading(f"{year}年度依申请公开、不予公开政府信息复核情况", level=1)
    reviewed = [r for r in rows if r.review is not None]
    changed = sum(1 for r in reviewed if r.review.status == "confirmed")
    out.add_paragraph(f"应复核 {len(rows)} 件，已复核 {len(reviewed)} 件；维持原公开属性 "
                      f"{sum(1 for r in reviewed if r.review.status == 'kept')} 件，转为主动公开 {changed} 件，"
                      f"待起草处室确认 {sum(1 for r in reviewed if r.review.status == 'awaiting_department')} 件，"
                      f"起草处室有异议 {sum(1 for r in reviewed if r.review.status == 'objected')} 件。"
                      f"编制日期：{chinese_date(clock.agency_today())}。")
    columns = ("序号", "文号", "题名", "起草处室", "原公开属性", "复核结论", "复核理由", "起草处室意见", "状态")
    table = out.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, columns, strict=True):
        cell.text = name
    for seq, r in enumerate(rows, 1):
        d, rv = r.document, r.review
        original = rv.original_disclosure if rv else d.disclosure
        values = [str(seq), d.doc_number or "", d.title, depts.get(d.department_id, ""),
                  Disclosure(original).label if original else "",
                  ("维持" if rv.decision == "keep" else "转为主动公开") if rv else "未复核",
                  rv.reason if rv else "", rv.response_reason if rv else "", rv.status_label if rv else "未复核"]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def default_year(today: date | None = None) -> int:
    """The year under review: the last one (the review is done early in the next year)."""
    return (today or clock.agency_today()).year - 1
