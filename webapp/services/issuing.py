"""Issuing (印发): the 发文字号, the dates and the GB/T 9704 .docx files.

The number is ``{机关代字}〔{year}〕{seq}号``: unique and without gaps per code and
year.  The counter row is created if missing and then locked (SELECT … FOR
UPDATE) inside the issuing transaction; if anything later fails, the whole
transaction — the increment included — rolls back, so no number is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .. import clock
from ..disclosure import Disclosure
from ..docgen import DocumentBuildError, build_docx, render_preview_html
from ..extensions import db
from ..models import Document, IssuingCode, NumberCounter, User, utcnow
from ..workflow import Action
from . import audit, chain, files, opinions
from .deid_scan import scan_document
from .errors import Invalid, NotFound
from .official import interpretation_document, official_document
from .tx import transaction

MAX_CC = 500
MAX_COPIES = 100_000


@dataclass(frozen=True)
class IssueInput:
    issuing_code_id: int
    written_date: date
    print_date: date
    cc: str = ""
    copies: int | None = None  # 印发份数, for the 发文稿纸


def format_number(code: str, year: int, seq: int) -> str:
    """豫应急办〔2026〕7号: the year in full inside 〔〕, no padding, no 第."""
    return f"{code}〔{year}〕{seq}号"


def next_number(code_id: int, year: int) -> int:
    """Take the next sequence for (code, year) in the caller's transaction."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(NumberCounter).values(issuing_code_id=code_id, year=year, last_seq=0).on_conflict_do_nothing()
    )
    counter = db.session.execute(
        select(NumberCounter)
        .where(NumberCounter.issuing_code_id == code_id, NumberCounter.year == year)
        .with_for_update()
    ).scalar_one()
    counter.last_seq += 1
    db.session.flush()
    return counter.last_seq


def default_written_date(doc: Document) -> date:
    """成文日期 defaults to the day the leader signed."""
    return clock.to_agency(doc.approved_at).date() if doc.approved_at else clock.agency_today()


def issue_document(document_id: int, actor: User, expected_version: int, data: IssueInput) -> Document:
    cc = data.cc.strip()
    problems = []
    if data.print_date < data.written_date:
        problems.append("印发日期不能早于成文日期。")
    if len(cc) > MAX_CC:
        problems.append(f"抄送机关不能超过 {MAX_CC} 字。")
    if data.copies is not None and not 1 <= data.copies <= MAX_COPIES:
        problems.append(f"印发份数应在 1 至 {MAX_COPIES} 之间。")
    code = db.session.get(IssuingCode, data.issuing_code_id)
    if code is None or not code.active:
        problems.append("请选择有效的机关代字。")
    if problems:
        raise Invalid("文件未印发，请修改以下问题。", problems)

    def assign_and_generate(doc: Document) -> dict:
        if doc.approved_at and data.written_date < default_written_date(doc):
            raise Invalid("成文日期不能早于领导签发日期。")
        scanned = {}
        if doc.disclosure_enum is Disclosure.PUBLIC:  # on to de-identification: find personal data now,
            scanned = scan_document(doc)
        year = data.written_date.year
        seq = next_number(code.id, year)
        number = format_number(code.code, year, seq)
        doc.issuing_code_id, doc.number_year, doc.number_seq, doc.doc_number = code.id, year, seq, number
        doc.written_date, doc.print_date, doc.cc = data.written_date, data.print_date, cc
        doc.print_copies = data.copies
        doc.issued_at = utcnow()
        try:
            official = build_docx(official_document(doc, code, number, data.written_date, data.print_date, cc,
                                                    doc.body_html))
            interpretation = (build_docx(interpretation_document(doc, code, number, data.written_date,
                                                                 data.print_date))
                              if doc.needs_interpretation else None)
        except DocumentBuildError as exc:
            raise Invalid(f"无法生成正式文件：{exc}") from exc
        stem = f"{number} {doc.title}"[:150]
        details = {"doc_number": number, "written_date": data.written_date.isoformat(),
                   "print_date": data.print_date.isoformat()}
        if doc.disclosure_enum is Disclosure.PUBLIC:
            details["personal_data_found"] = scanned
        f = files.store(doc, "official", f"{stem}.docx", official, actor)
        details["official_sha256"] = f.sha256
        if interpretation is not None:
            g = files.store(doc, "interpretation", f"《{doc.title}》政策解读.docx"[:150], interpretation, actor)
            details["interpretation_sha256"] = g.sha256
        # The 发文稿纸 with every opinion up to 签发, filed with the document (the archive package takes it).
        sheet = files.store(doc, "processing_sheet", f"{stem} 发文稿纸.docx"[:150],
                            opinions.processing_sheet_docx(doc), actor)
        details["processing_sheet_sha256"] = sheet.sha256
        return details

    return chain.move(document_id, actor, Action.ISSUE, expected_version, apply=assign_and_generate)


def preview_html(doc: Document) -> str:
    """The layout as HTML: the issued document, or a draft of it before the number exists."""
    code = doc.issuing_code or db.session.execute(
        select(IssuingCode).where(IssuingCode.active.is_(True)).order_by(IssuingCode.id)).scalars().first()
    if code is None:
        raise NotFound("尚未设置机关代字，无法预览版式。请联系管理员。")
    written = doc.written_date or default_written_date(doc)
    number = doc.doc_number or f"{code.code}〔{written.year}〕　号"
    return render_preview_html(official_document(doc, code, number, written, doc.print_date or written,
                                                 doc.cc, doc.body_html))


def active_codes() -> list[IssuingCode]:
    return list(db.session.execute(
        select(IssuingCode).where(IssuingCode.active.is_(True)).order_by(IssuingCode.code)).scalars())


def save_code(admin: User | None, code: str, issuer_mark: str, signer: str, printing_office: str,
              active: bool = True, code_id: int | None = None) -> IssuingCode:
    code = code.strip()
    problems = []
    if not code or any(ch in code for ch in "〔〕[]()（）0123456789 "):
        problems.append("机关代字不能为空，也不能含括号、数字或空格（如：豫应急办）。")
    for label, value in (("发文机关标志", issuer_mark), ("署名", signer), ("印发机关", printing_office)):
        if not value.strip():
            problems.append(f"请填写{label}。")
    clash = db.session.execute(select(IssuingCode).where(IssuingCode.code == code)).scalar_one_or_none()
    if clash is not None and clash.id != code_id:
        problems.append("该机关代字已存在。")
    if problems:
        raise Invalid("机关代字未保存。", problems)
    with transaction():
        row = db.session.get(IssuingCode, code_id) if code_id else IssuingCode()
        if row is None:
            raise NotFound("机关代字不存在。")
        row.code, row.issuer_mark, row.signer = code, issuer_mark.strip(), signer.strip()
        row.printing_office, row.active = printing_office.strip(), active
        db.session.add(row)
        db.session.flush()
        audit.record("save_issuing_code", admin, details={"code": code, "active": active})
    return row
