"""Transfers of published documents (R9) to the reading room, the archives and the library;
归档 with the DA/T 22 档号.

A batch is one transaction: its items, one audit event per document, the list (.docx, .xlsx)
and — for electronic delivery — the BagIt package, all stored in the database, or nothing.
The package holds the public copies only (the public .docx and HTML the publisher confirmed),
never the internal text.  The hand-over is recorded afterwards with the signed receipt; the
batch is complete only with it.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from markupsafe import escape
from sqlalchemy import exists, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from .. import clock
from ..archives import (
    NIL_RETURN,
    RETENTIONS,
    ArchiveCode,
    BagFile,
    ListHeader,
    ListRow,
    build_list_docx,
    build_list_xlsx,
    make_bag_zip,
)
from ..archives.bag import safe_name
from ..archives.danghao import check_parts
from ..disclosure import Disclosure
from ..extensions import db
from ..models import (
    ArchiveCounter,
    ArchiveSettings,
    Document,
    Filing,
    Publication,
    TransferBatch,
    TransferDestination,
    TransferFile,
    TransferItem,
    User,
    utcnow,
)
from ..models_transfers import DESTINATION_KINDS, MEDIA
from ..workflow import Stage
from . import agency, audit, files
from .documents import get_document
from .errors import Conflict, Invalid, NotFound
from .tx import transaction

MAX_BATCH = 1000
MAX_COPIES = 100
MAX_PAGES = 9999
MAX_TEXT = 200
MAX_RECEIPT_BYTES = 20 * 1024 * 1024
RECEIPT_TYPES = {  # magic bytes → (content type, extension)
    b"%PDF-": ("application/pdf", "pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_LABELS = {"list_docx": "送交信息目录表（Word）", "list_xlsx": "送交信息目录表（Excel）",
               "bag": "电子文件包（BagIt，ZIP）", "receipt": "签收回执"}
PAPER_TITLE = {"archives": "移交清单", "library": "送交信息目录表", "reading_room": "送交信息目录表"}


# --------------------------------------------------------------------------- settings (admin)

@dataclass
class DestinationInput:
    kind: str
    name: str
    contact_name: str = ""
    contact_phone: str = ""
    address: str = ""
    period_days: int | None = 15
    active: bool = True


def destinations(active_only: bool = False) -> list[TransferDestination]:
    query = select(TransferDestination).order_by(TransferDestination.id)
    if active_only:
        query = query.where(TransferDestination.active.is_(True))
    return list(db.session.execute(query).scalars())


def get_destination(destination_id: int) -> TransferDestination:
    dest = db.session.get(TransferDestination, destination_id) if 0 < destination_id < 2**31 else None
    if dest is None:
        raise NotFound("送交单位不存在。")
    return dest


def save_destination(admin: User, destination_id: int | None, data: DestinationInput) -> TransferDestination:
    name = (data.name or "").strip()
    problems = []
    if data.kind not in DESTINATION_KINDS:
        problems.append("请选择送交单位类别：信息公开查阅场所、档案馆或公共图书馆。")
    if not name:
        problems.append("请填写送交单位名称。")
    elif len(name) > 100:
        problems.append("送交单位名称不能超过 100 字。")
    for label, value, limit in (("联系人", data.contact_name, 50), ("联系电话", data.contact_phone, 50),
                                ("地址", data.address, 200)):
        if len((value or "").strip()) > limit:
            problems.append(f"{label}不能超过 {limit} 字。")
    if data.period_days is None or not 1 <= data.period_days <= 366:
        problems.append("送交周期应为 1–366 天（图书馆、档案馆通常每半月一次，即 15 天）。")
    if problems:
        raise Invalid("送交单位未保存。", problems)
    with transaction():
        dest = get_destination(destination_id) if destination_id is not None else TransferDestination()
        clash = db.session.execute(select(TransferDestination.id).where(
            TransferDestination.name == name, TransferDestination.id != (dest.id or 0))).first()
        if clash:
            raise Invalid("送交单位未保存。", [f"已有名为“{name}”的送交单位。"])
        dest.kind, dest.name, dest.period_days, dest.active = data.kind, name, data.period_days, bool(data.active)
        dest.contact_name = (data.contact_name or "").strip()
        dest.contact_phone = (data.contact_phone or "").strip()
        dest.address = (data.address or "").strip()
        dest.updated_by_id = admin.id
        db.session.add(dest)
        db.session.flush()
        audit.record("save_transfer_destination", admin,
                     details={"destination": dest.id, "kind": dest.kind, "name": dest.name,
                              "period_days": dest.period_days, "active": dest.active})
    return dest


def archive_settings() -> ArchiveSettings:
    return db.session.get(ArchiveSettings, 1) or ArchiveSettings(id=1, fonds_no="", org_code="", default_retention="Y")


def save_archive_settings(admin: User, fonds_no: str, org_code: str, default_retention: str) -> ArchiveSettings:
    fonds_no, org_code = (fonds_no or "").strip().upper(), (org_code or "").strip().upper()
    problems = check_parts(fonds_no, default_retention, org_code)
    if problems:
        raise Invalid("归档设置未保存。", problems)
    with transaction():
        row = db.session.get(ArchiveSettings, 1) or ArchiveSettings(id=1)
        row.fonds_no, row.org_code, row.default_retention = fonds_no, org_code, default_retention
        row.updated_at, row.updated_by_id = utcnow(), admin.id
        db.session.add(row)
        db.session.flush()
        audit.record("save_archive_settings", admin,
                     details={"fonds_no": fonds_no, "org_code": org_code, "default_retention": default_retention})
    return row


# --------------------------------------------------------------------------- what is due

def _delivered_to(destination_id: int):
    """SQL: this destination holds the document — it was delivered there in some batch and no
    withdrawal notice went there after that delivery.  (Withdrawn, noticed and later republished,
    the document is due there again, like one never sent.)"""
    return exists().where(TransferItem.document_id == Document.id, TransferItem.kind == "deliver",
                          TransferItem.batch_id == TransferBatch.id,
                          TransferBatch.destination_id == destination_id, ~_noticed_after(destination_id))


def _noticed_after(destination_id: int):
    """SQL, about a delivery row (TransferItem): a withdrawal notice went to the same destination
    in a later batch."""
    notice, notice_batch = aliased(TransferItem), aliased(TransferBatch)
    return (select(notice.id).join(notice_batch, notice_batch.id == notice.batch_id)
            .where(notice.document_id == TransferItem.document_id, notice.kind == "withdrawal",
                   notice_batch.destination_id == destination_id, notice.batch_id > TransferItem.batch_id)
            .exists())


@dataclass(frozen=True)
class PendingRow:
    document_id: int
    index_no: str
    doc_number: str | None
    title: str
    written_date: date | None
    published_at: datetime
    waiting_days: int
    overdue: bool


def pending(destination: TransferDestination, limit: int = MAX_BATCH) -> list[PendingRow]:
    """Published documents not yet delivered to `destination`, the longest waiting first."""
    rows = db.session.execute(
        select(Document.id, Publication.index_no, Document.doc_number, Document.public_title, Document.title,
               Document.written_date, Publication.first_published_at)
        .join(Publication, Publication.document_id == Document.id)
        .where(Document.stage == Stage.PUBLISHED.value, ~_delivered_to(destination.id))
        .order_by(Publication.first_published_at.asc(), Document.id.asc()).limit(limit)).all()
    today = clock.agency_today()
    out = []
    for r in rows:
        # Whole agency days since the day of first publication (the dashboard counts the same way,
        # services/dashboard.overdue_from): overdue once more than the period's days have passed.
        days = max(0, (today - clock.to_agency(r.first_published_at).date()).days)
        out.append(PendingRow(r.id, r.index_no, r.doc_number, r.public_title or r.title, r.written_date,
                              r.first_published_at, days, days > destination.period_days))
    return out


def withdrawals_due(destination: TransferDestination) -> list[tuple[Document, Publication]]:
    """Documents delivered to `destination` and since withdrawn, whose withdrawal notice has not
    gone there yet: they join the next batch by themselves."""
    sent, sent_batch = aliased(TransferItem), aliased(TransferBatch)
    last_deliver = (select(func.max(sent.batch_id)).join(sent_batch, sent_batch.id == sent.batch_id)
                    .where(sent.document_id == Document.id, sent.kind == "deliver",
                           sent_batch.destination_id == destination.id)
                    .correlate(Document).scalar_subquery())
    notice, notice_batch = aliased(TransferItem), aliased(TransferBatch)
    notice_after = (select(notice.id).join(notice_batch, notice_batch.id == notice.batch_id)
                    .where(notice.document_id == Document.id, notice.kind == "withdrawal",
                           notice_batch.destination_id == destination.id, notice.batch_id > last_deliver)
                    .correlate(Document).exists())
    return list(db.session.execute(
        select(Document, Publication).join(Publication, Publication.document_id == Document.id)
        .where(Document.stage.in_([Stage.WITHDRAWN.value, Stage.CORRECTION.value]), _delivered_to(destination.id),
               ~notice_after)
        .order_by(Publication.withdrawn_at, Document.id)).all())


@dataclass(frozen=True)
class DestinationSummary:
    destination: TransferDestination
    delivered: int
    pending: int
    overdue: int
    withdrawals: int
    last_batch_at: datetime | None
    open_batches: int  # made, receipt not yet recorded

    @property
    def due(self) -> bool:
        """The period has run out since the last batch (or nothing was ever sent)."""
        if self.last_batch_at is None:
            return True
        return (utcnow() - self.last_batch_at).days >= self.destination.period_days


def dashboard() -> list[DestinationSummary]:
    out = []
    for dest in destinations(active_only=True):
        delivered = db.session.execute(
            select(func.count(func.distinct(TransferItem.document_id)))
            .join(TransferBatch, TransferBatch.id == TransferItem.batch_id)
            .where(TransferBatch.destination_id == dest.id, TransferItem.kind == "deliver")).scalar_one()
        rows = pending(dest, limit=100_000)
        last, open_batches = db.session.execute(
            select(func.max(TransferBatch.created_at),
                   func.count(TransferBatch.id).filter(TransferBatch.receipt_recorded_at.is_(None)))
            .where(TransferBatch.destination_id == dest.id)).one()
        out.append(DestinationSummary(dest, delivered, len(rows), sum(r.overdue for r in rows),
                                      len(withdrawals_due(dest)), last, open_batches))
    return out


# --------------------------------------------------------------------------- a batch

@dataclass
class Pick:
    document_id: int
    copies: int = 1
    pages: int | None = None  # None: estimated from the public .docx
    remark: str = ""
    resend_reason: str = ""


@dataclass
class BatchInput:
    destination_id: int
    medium: str
    picks: list[Pick] = field(default_factory=list)
    note: str = ""


def estimate_pages(docx: bytes | None) -> int:
    """Pages of a generated .docx: its explicit page breaks + 1 (the writer plans whole pages)."""
    if not docx:
        return 1
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as z:
            xml = z.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        return 1
    return 1 + xml.count(b"<w:pageBreakBefore/>") + xml.count(b'w:type="page"')


def _next_batch_no(dest: TransferDestination, year: int) -> str:
    prefix = f"{year}-{dest.id:02d}-"
    last = db.session.execute(select(func.max(TransferBatch.batch_no))
                              .where(TransferBatch.batch_no.like(prefix + "%"))).scalar_one()
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:03d}"


def _disclosure_label(doc: Document) -> str:
    return Disclosure(doc.disclosure).label if doc.disclosure else ""


def _public_html(doc: Document, title: str, body: str) -> bytes:
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title></head><body><h1>{escape(title)}</h1>\n{body}\n</body></html>\n"
            ).encode()


def create_batch(archivist: User, data: BatchInput) -> TransferBatch:
    """A batch for one destination: the picked documents (each published, not sent there before
    unless re-sent with a reason), the withdrawal notices due, the list and — electronic — the bag."""
    if data.medium not in MEDIA:
        raise Invalid("请选择载体：纸质、电子或纸质和电子。")
    if len(data.picks) > MAX_BATCH:
        raise Invalid(f"一批最多送交 {MAX_BATCH} 件，请分批。")
    problems = []
    seen = set()
    for p in data.picks:
        if p.document_id in seen:
            problems.append(f"文件 {p.document_id} 重复选择。")
        seen.add(p.document_id)
        if not 1 <= p.copies <= MAX_COPIES:
            problems.append(f"份数应为 1–{MAX_COPIES}。")
        if p.pages is not None and not 1 <= p.pages <= MAX_PAGES:
            problems.append(f"页数应为 1–{MAX_PAGES}。")
        if len(p.remark) > MAX_TEXT or len(p.resend_reason) > 2000:
            problems.append("备注不能超过 200 字，重新送交理由不能超过 2000 字。")
    if len(data.note) > 2000:
        problems.append("说明不能超过 2000 字。")
    if problems:
        raise Invalid("送交批次未生成。", sorted(set(problems)))
    with transaction():
        dest = get_destination(data.destination_id)
        if not dest.active:
            raise Invalid("该送交单位已停用，不能生成送交批次。")
        settings = agency.settings()
        arch = archive_settings()
        electronic = data.medium in ("electronic", "both")
        if electronic and (check_parts(arch.fonds_no, arch.default_retention, arch.org_code)):
            raise Invalid("送交批次未生成。", ["电子文件包须载明档号：请管理员先在“归档设置”中填写全宗号和机构代码。"])
        picked: list[tuple[Document, Publication, Pick]] = []
        for p in data.picks:
            doc = get_document(p.document_id, archivist)
            pub = db.session.get(Publication, doc.id)
            if doc.stage != Stage.PUBLISHED.value or pub is None or pub.withdrawn_at is not None:
                problems.append(f"《{doc.title}》尚未发布（或已撤回），不能送交。")
                continue
            sent_before = db.session.execute(  # delivered there, and no withdrawal notice since
                select(TransferItem.id).join(TransferBatch, TransferBatch.id == TransferItem.batch_id)
                .where(TransferItem.document_id == doc.id, TransferItem.kind == "deliver",
                       TransferBatch.destination_id == dest.id, ~_noticed_after(dest.id)).limit(1)).first() is not None
            p.resend_reason = p.resend_reason.strip()
            if sent_before and not p.resend_reason:
                problems.append(f"《{doc.public_title or doc.title}》已送交过{dest.name}；如需重新送交，请写明理由。")
                continue
            picked.append((doc, pub, p))
        if problems:
            raise Invalid("送交批次未生成。", problems)
        withdrawals = withdrawals_due(dest)
        if not picked and not withdrawals:
            waiting = len(pending(dest, limit=MAX_BATCH))
            if waiting:
                raise Invalid(f"本期有 {waiting} 件待送交文件，请勾选要送交的文件；"
                              f"没有待送交文件时才报送“{NIL_RETURN}”。")
        now = utcnow()
        today = clock.to_agency(now).date()
        batch = TransferBatch(batch_no=_next_batch_no(dest, today.year), destination_id=dest.id,
                              medium=data.medium, note=data.note.strip(), created_at=now, created_by_id=archivist.id)
        db.session.add(batch)
        db.session.flush()
        rows: list[ListRow] = []
        bag_files: list[BagFile] = []
        codes: list[ArchiveCode] = []
        for doc, pub, p in picked:
            public = files.latest(doc.id, "public")
            pages = p.pages or estimate_pages(public.data if public else None)
            remark = p.remark.strip() or ("重新送交" if p.resend_reason else "")
            db.session.add(TransferItem(batch_id=batch.id, document_id=doc.id, kind="deliver", index_no=pub.index_no,
                                        pages=pages, copies=p.copies, remark=remark, resend_reason=p.resend_reason))
            title = doc.public_title or doc.title
            rows.append(ListRow(pub.index_no, doc.doc_number or "", title, doc.written_date, settings.publisher_name,
                                _disclosure_label(doc), pages, p.copies, MEDIA[data.medium], remark))
            details = {"batch": batch.batch_no, "destination": dest.name, "copies": p.copies,
                       "medium": data.medium}
            if electronic:
                filing = ensure_filed(doc, archivist, arch)
                code = _code_of(filing)
                codes.append(code)
                bag_files.extend(_bag_files_for(doc, pub, code, settings.publisher_name))
                details["archive_code"] = filing.archive_code
            if p.resend_reason:
                details["resend_reason"] = p.resend_reason
            audit.record("transfer_deliver", archivist, doc, from_stage=doc.stage, to_stage=doc.stage,
                         details=details)
        for doc, pub in withdrawals:
            db.session.add(TransferItem(batch_id=batch.id, document_id=doc.id, kind="withdrawal",
                                        index_no=pub.index_no, pages=1, copies=1, remark="撤回通知"))
            when = clock.to_agency(pub.withdrawn_at).date()
            rows.append(ListRow(pub.index_no, doc.doc_number or "", doc.public_title or doc.title, doc.written_date,
                                settings.publisher_name, _disclosure_label(doc), 1, 1, MEDIA[data.medium],
                                f"已于{when.year}年{when.month}月{when.day}日撤回，请停止提供查阅"))
            audit.record("transfer_withdrawal_notice", archivist, doc, from_stage=doc.stage, to_stage=doc.stage,
                         details={"batch": batch.batch_no, "destination": dest.name})
        if not rows:
            audit.record("transfer_nil_return", archivist,
                         details={"batch": batch.batch_no, "destination": dest.name})
        header = ListHeader(title=PAPER_TITLE.get(dest.kind, "送交信息目录表"), sender=settings.publisher_name,
                            destination=dest.name, batch_no=batch.batch_no, made_on=today,
                            contact=archivist.display_name, contact_phone="")
        stem = f"{batch.batch_no} {header.title}"
        _store(batch, "list_docx", f"{stem}.docx", build_list_docx(header, rows), files.DOCX, archivist)
        _store(batch, "list_xlsx", f"{stem}.xlsx", build_list_xlsx(header, rows), XLSX, archivist)
        if electronic and rows:
            info = bag_info(batch, dest, settings.publisher_name, [r.index_no for r in rows], codes, today)
            _store(batch, "bag", f"{batch.batch_no} 电子文件包.zip",
                   make_bag_zip(bag_files, info, top=f"transfer-{batch.batch_no}"), "application/zip", archivist)
        try:
            db.session.flush()
        except IntegrityError as exc:  # another archivist took the same batch number first
            raise Conflict("另一位档案员同时生成了该单位的送交批次，请刷新页面后重试。") from exc
    return batch


def bag_info(batch: TransferBatch, dest: TransferDestination, issuer: str, index_numbers: list[str],
             codes: list[ArchiveCode], today: date) -> dict[str, str | list[str]]:
    """bag-info.txt: the issuing body, batch, 索引号 list and the DA/T 22 fields as custom tags."""
    info: dict[str, str | list[str]] = {
        "Source-Organization": issuer,
        "External-Identifier": batch.batch_no,
        "External-Description": f"{issuer}送交{dest.name}的主动公开政府信息",
        "Bagging-Date": today.isoformat(),
        "Batch-Id": batch.batch_no,
        "Destination": dest.name,
        "Index-Number": index_numbers,
    }
    if codes:
        info.update({
            "全宗号": sorted({c.fonds for c in codes}),
            "年度": sorted({str(c.year) for c in codes}),
            "保管期限": sorted({c.retention_label for c in codes}),
            "件号": [c.item_label for c in codes],
            "档号": [str(c) for c in codes],
        })
    return info


def _bag_files_for(doc: Document, pub: Publication, code: ArchiveCode, issuer: str) -> list[BagFile]:
    """The public .docx, the public HTML and the metadata of one document, under data/<索引号>/."""
    folder = safe_name(pub.index_no)
    title = doc.public_title or doc.title
    out: list[BagFile] = []
    listed = []
    for kind, name in (("public", "正文.docx"), ("public_interpretation", "政策解读.docx")):
        stored = files.latest(doc.id, kind)
        if stored is not None:
            out.append(BagFile(f"{folder}/{name}", stored.data))
            listed.append({"file": name, "sha256": stored.sha256, "size": stored.size})
    out.append(BagFile(f"{folder}/正文.html", _public_html(doc, title, doc.public_body_html or "")))
    listed.append({"file": "正文.html"})
    if doc.needs_interpretation and doc.public_interpretation_html is not None:
        out.append(BagFile(f"{folder}/政策解读.html",
                           _public_html(doc, f"《{title}》政策解读", doc.public_interpretation_html)))
        listed.append({"file": "政策解读.html"})
    meta = {
        "索引号": pub.index_no, "文号": doc.doc_number or "", "题名": title, "发布机构": issuer,
        "成文日期": doc.written_date.isoformat() if doc.written_date else "",
        "印发日期": doc.print_date.isoformat() if doc.print_date else "",
        "发布日期": clock.to_agency(pub.first_published_at).date().isoformat(),
        "公开属性": _disclosure_label(doc), "主题分类": doc.topic_category or "",
        "全宗号": code.fonds, "年度": code.year, "保管期限": code.retention_label, "件号": code.item_label,
        "档号": str(code), "文件": listed,
    }
    out.append(BagFile(f"{folder}/metadata.json", json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8")))
    return out


def _store(batch: TransferBatch, kind: str, filename: str, data: bytes, content_type: str, by: User) -> TransferFile:
    f = TransferFile(batch_id=batch.id, kind=kind, filename=filename, content_type=content_type, size=len(data),
                     sha256=hashlib.sha256(data).hexdigest(), data=data, created_by_id=by.id)
    db.session.add(f)
    return f


# --------------------------------------------------------------------------- 归档 (DA/T 22)

def _code_of(f: Filing) -> ArchiveCode:
    return ArchiveCode(f.fonds_no, f.year, f.retention, f.org_code, f.item_no)


def ensure_filed(doc: Document, by: User, arch: ArchiveSettings | None = None,
                 retention: str | None = None) -> Filing:
    """The document's filing, made now (next 件号 under a row lock) if it has none."""
    existing = db.session.get(Filing, doc.id)
    if existing is not None:
        return existing
    arch = arch or archive_settings()
    retention = retention or arch.default_retention
    problems = check_parts(arch.fonds_no, retention, arch.org_code)
    if problems:
        raise Invalid("未归档。", problems)
    year = (doc.written_date or clock.to_agency(utcnow()).date()).year
    key = dict(fonds_no=arch.fonds_no, year=year, retention=retention, org_code=arch.org_code)
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(ArchiveCounter).values(**key, last_item=0).on_conflict_do_nothing())
    counter = db.session.execute(select(ArchiveCounter).filter_by(**key).with_for_update()).scalar_one()
    counter.last_item += 1
    code = ArchiveCode(arch.fonds_no, year, retention, arch.org_code, counter.last_item)
    filing = Filing(document_id=doc.id, archive_code=str(code), fonds_no=code.fonds, year=year, retention=retention,
                    org_code=code.org, item_no=code.item, filed_at=utcnow(), filed_by_id=by.id)
    db.session.add(filing)
    db.session.flush()
    audit.record("file_record", by, doc, from_stage=doc.stage, to_stage=doc.stage,
                 details={"archive_code": filing.archive_code, "retention": RETENTIONS[retention]})
    return filing


FILEABLE = {Stage.FILED.value, Stage.PUBLISHED.value, Stage.WITHDRAWN.value, Stage.READY.value,
            Stage.DEID_REVIEW.value, Stage.CORRECTION.value}


def _issuing_sheet(doc: Document) -> list[BagFile]:
    """The 发文稿纸 (issue 10): the copy filed at 印发 (file kind `processing_sheet`); for a
    document issued before it existed, made now from the record."""
    from . import opinions

    stored = files.latest(doc.id, "processing_sheet")
    return [BagFile("发文稿纸.docx", stored.data if stored is not None else opinions.processing_sheet_docx(doc))]


# Further records for the package, each a function (document) -> list of BagFile.
RECORD_EXTRAS: list = [_issuing_sheet]


def file_document(document_id: int, archivist: User, retention: str) -> Filing:
    """归档 one issued document, public or not: its 档号 (if a transfer has not given it one
    already) and its package — 正本, 定稿, 处理单, the audit events' hashes."""
    if retention not in RETENTIONS:
        raise Invalid("请选择保管期限：永久、定期30年或定期10年。")
    with transaction():
        doc = get_document(document_id, archivist)
        if doc.stage not in FILEABLE or doc.issued_at is None:
            raise Invalid("该文件尚未印发，不能归档。")
        if files.latest(doc.id, "archive_package") is not None:
            raise Invalid("该文件已归档，档号不再改变。")
        filing = ensure_filed(doc, archivist, retention=retention)
        files.store(doc, "archive_package", f"{filing.archive_code} 归档文件包.zip",
                    record_package_for(doc, filing), archivist, content_type="application/zip")
        return filing


def record_package_for(doc: Document, filing: Filing) -> bytes:
    from ..archives.record import TimelineEntry, processing_sheet_docx, record_package
    from ..events import label

    events = audit.document_timeline(doc.id)
    timeline = [TimelineEntry(_cn_datetime(e.created_at), e.actor_name, label(e.action, e.from_stage), e.comment,
                              e.seq, e.hash) for e in events]
    facts = [("档号", filing.archive_code), ("发文字号", doc.doc_number or ""), ("题名", doc.title),
             ("起草处室", doc.department.name), ("起草人", doc.drafter.display_name),
             ("公开属性", _disclosure_label(doc)), ("成文日期", _cn_date(doc.written_date)),
             ("印发日期", _cn_date(doc.print_date)), ("保管期限", RETENTIONS[filing.retention])]
    payload = []
    official = files.latest(doc.id, "official")
    if official is not None:
        payload.append(BagFile("正本.docx", official.data))
    payload.append(BagFile("定稿.html", _public_html(doc, doc.title, doc.body_html or "")))
    payload.append(BagFile("文件处理单.docx", processing_sheet_docx(doc.title, facts, timeline)))
    for extra in RECORD_EXTRAS:
        payload.extend(extra(doc))
    code = _code_of(filing)
    info = {"Source-Organization": agency.settings().publisher_name or "", "External-Identifier": filing.archive_code,
            "全宗号": code.fonds, "年度": str(code.year), "保管期限": code.retention_label, "件号": code.item_label}
    return record_package(filing.archive_code, payload, timeline, info)


def _cn_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _cn_datetime(when: datetime) -> str:
    t = clock.to_agency(when)
    return f"{t.year}年{t.month}月{t.day}日 {t.hour:02d}:{t.minute:02d}"


# --------------------------------------------------------------------------- the receipt

def receipt_type(data: bytes) -> tuple[str, str] | None:
    for magic, kind in RECEIPT_TYPES.items():
        if data.startswith(magic):
            return kind
    return None


def record_receipt(batch_id: int, archivist: User, delivered_by: str, received_by: str, received_on: date | None,
                   filename: str, data: bytes) -> TransferBatch:
    """The hand-over: who delivered, who received, when, and the signed receipt (image or PDF)."""
    delivered_by, received_by = (delivered_by or "").strip(), (received_by or "").strip()
    problems = []
    if not delivered_by or len(delivered_by) > 50:
        problems.append("请填写送交人（不超过 50 字）。")
    if not received_by or len(received_by) > 50:
        problems.append("请填写接收人（不超过 50 字）。")
    if received_on is None:
        problems.append("请填写接收日期。")
    elif received_on > clock.agency_today():
        problems.append("接收日期不能晚于今天。")
    if not data:
        problems.append("请上传签收回执（图片或 PDF）。")
    elif len(data) > MAX_RECEIPT_BYTES:
        problems.append("签收回执不能超过 20 MB。")
    elif receipt_type(data) is None:
        problems.append("签收回执须为图片（PNG、JPEG）或 PDF 文件。")
    if problems:
        raise Invalid("回执未登记。", problems)
    content_type, ext = receipt_type(data)
    with transaction():
        batch = get_batch(batch_id, for_update=True)
        if batch.receipt_recorded_at is not None:
            raise Invalid("该批次的回执已登记。")
        if received_on < clock.to_agency(batch.created_at).date():
            raise Invalid("回执未登记。", ["接收日期不能早于批次生成日期。"])
        noon = clock.to_agency(utcnow()).replace(year=received_on.year, month=received_on.month, day=received_on.day,
                                                 hour=12, minute=0, second=0, microsecond=0)
        batch.delivered_by, batch.received_by, batch.received_at = delivered_by, received_by, noon
        batch.receipt_recorded_at, batch.receipt_recorded_by_id = utcnow(), archivist.id
        _store(batch, "receipt", f"{batch.batch_no} 签收回执.{ext}", data, content_type, archivist)
        audit.record("transfer_receipt", archivist,
                     details={"batch": batch.batch_no, "destination": batch.destination.name,
                              "delivered_by": delivered_by, "received_by": received_by,
                              "received_on": received_on.isoformat(), "receipt_sha256": hashlib.sha256(data).hexdigest(),
                              "original_filename": (filename or "")[:200]})
    return batch


# --------------------------------------------------------------------------- read side

def get_batch(batch_id: int, for_update: bool = False) -> TransferBatch:
    query = select(TransferBatch).where(TransferBatch.id == batch_id)
    if for_update:  # the batch row only (PostgreSQL refuses FOR UPDATE on the joined destination)
        query = query.with_for_update(of=TransferBatch)
    batch = db.session.execute(query).unique().scalar_one_or_none() if 0 < batch_id < 2**31 else None
    if batch is None:
        raise NotFound("送交批次不存在。")
    return batch


def batch_files(batch_id: int) -> list[TransferFile]:
    return list(db.session.execute(select(TransferFile).where(TransferFile.batch_id == batch_id)
                                   .order_by(TransferFile.id)).scalars())


def batch_file(batch_id: int, file_id: int) -> TransferFile:
    f = db.session.get(TransferFile, file_id) if 0 < file_id < 2**31 else None
    if f is None or f.batch_id != batch_id:
        raise NotFound("文件不存在。")
    return f


def recent_batches(destination_id: int | None = None, limit: int = 50) -> list[TransferBatch]:
    query = select(TransferBatch).order_by(TransferBatch.id.desc()).limit(limit)
    if destination_id is not None:
        query = query.where(TransferBatch.destination_id == destination_id)
    return list(db.session.execute(query).unique().scalars())


@dataclass(frozen=True)
class DocumentTransfer:
    destination: str
    batch_id: int
    batch_no: str
    kind: str
    copies: int
    sent_at: datetime
    received_at: datetime | None


def for_document(document_id: int) -> tuple[Filing | None, list[DocumentTransfer]]:
    """Where a document's copies went and when (the document page), and its 档号."""
    rows = db.session.execute(
        select(TransferDestination.name, TransferBatch.id, TransferBatch.batch_no, TransferItem.kind,
               TransferItem.copies, TransferBatch.created_at, TransferBatch.received_at)
        .join(TransferBatch, TransferBatch.id == TransferItem.batch_id)
        .join(TransferDestination, TransferDestination.id == TransferBatch.destination_id)
        .where(TransferItem.document_id == document_id).order_by(TransferBatch.id)).all()
    return db.session.get(Filing, document_id), [DocumentTransfer(*r) for r in rows]



