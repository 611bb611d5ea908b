"""Keeping the standard catalogue (标准目录, issue 15): items by hand, spreadsheets in and out.

Every change is one transaction with a version row per item touched (who, when, before and
after) and one audit event.  A spreadsheet is read (webapp/catalogue.read_sheet), stored and
compared with the catalogue — nothing changes until the user applies the previewed differences,
and applying is refused when the catalogue changed since the preview.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from .. import catalogue as rules
from .. import clock
from ..extensions import db
from ..models import (
    CatalogueChange,
    CatalogueImport,
    CatalogueItem,
    ChannelRecord,
    Document,
    Publication,
    User,
    utcnow,
)
from . import audit
from .errors import Conflict, Invalid, NotFound
from .tx import transaction

ELEMENT_LABELS = {c.attr: c.header for c in rules.COLUMNS}


# --------------------------------------------------------------------------- reading

@dataclass
class Branch:
    item: CatalogueItem
    children: list[CatalogueItem] = field(default_factory=list)


def tree(include_retired: bool = False) -> list[Branch]:
    """First-level items in order (by 领域, then position), each with its second-level items."""
    q = select(CatalogueItem).order_by(CatalogueItem.domain, CatalogueItem.position, CatalogueItem.id)
    if not include_retired:
        q = q.where(CatalogueItem.active.is_(True))
    items = list(db.session.execute(q).scalars())
    branches = {i.id: Branch(i) for i in items if i.parent_id is None}
    for i in items:
        if i.parent_id is not None and i.parent_id in branches:
            branches[i.parent_id].children.append(i)
    return list(branches.values())


def get_item(item_id: int) -> CatalogueItem:
    item = db.session.get(CatalogueItem, item_id)
    if item is None:
        raise NotFound("没有这个目录事项。")
    return item


def choices() -> list[tuple[str, str]]:
    """(id, "领域 · 一级 / 二级") for every active second-level item — and first-level items that
    have none under them — for the drafter's and the office's select."""
    out = []
    for b in tree():
        if b.children:
            out += [(str(c.id), f"{b.item.domain} · {b.item.name} / {c.name}") for c in b.children]
        else:
            out.append((str(b.item.id), f"{b.item.domain} · {b.item.name}"))
    return out


def history(item_id: int) -> list[CatalogueChange]:
    return list(db.session.execute(
        select(CatalogueChange).where(CatalogueChange.item_id == item_id)
        .order_by(CatalogueChange.version.desc())).scalars())


def elements_at(item_id: int, version: int) -> dict | None:
    """The item's elements as they were in `version` (what a document filed then was under)."""
    row = db.session.execute(select(CatalogueChange).where(
        CatalogueChange.item_id == item_id, CatalogueChange.version == version)).scalar_one_or_none()
    return row.after if row else None


def reference(doc: Document):
    """The 目录事项 a pushed document carries (gkt_protocol CatalogueRef, issue 15), or None: the
    item's stable id and its names as in the version the document is filed under."""
    from gkt_protocol.payload import CatalogueRef

    item = db.session.get(CatalogueItem, doc.catalogue_item_id) if doc.catalogue_item_id else None
    if item is None:
        return None
    filed = elements_at(item.id, doc.catalogue_item_version or 0) or {}
    name = filed.get("name") or item.name
    parent = filed.get("parent") if "parent" in filed else (item.parent.name if item.parent else None)
    domain = filed.get("domain") or item.domain
    return CatalogueRef(item.id, domain, parent, name) if parent else CatalogueRef(item.id, domain, name, "")


def last_change_id() -> int:
    return _last_change_id()


def _last_change_id() -> int:
    return db.session.execute(select(func.coalesce(func.max(CatalogueChange.id), 0))).scalar_one()


def export_rows() -> list[dict[str, str]]:
    rows = []
    for b in tree():
        for c in b.children or [None]:
            leaf = c or b.item
            rows.append({"domain": b.item.domain, "first_level": b.item.name,
                         "name": c.name if c else "", **leaf.elements()})
    return [r for r in rows if r["name"]]


def export_xlsx() -> bytes:
    return rules.write_sheet(export_rows())


# --------------------------------------------------------------------------- changing by hand

def _snapshot(item: CatalogueItem) -> dict:
    return {"domain": item.domain, "name": item.name, "parent": item.parent.name if item.parent else None,
            "active": item.active, **item.elements()}


def _version(item: CatalogueItem, how: str, before: dict, by: User | None) -> None:
    db.session.flush()
    db.session.add(CatalogueChange(item_id=item.id, version=item.version, how=how,
                                   before_json=json.dumps(before, ensure_ascii=False),
                                   after_json=json.dumps(_snapshot(item), ensure_ascii=False),
                                   changed_by_id=by.id if by else None))


def _clean(values: dict[str, str]) -> dict[str, str]:
    return {k: (values.get(k) or "").strip() for k in ("domain", "name", *rules.ELEMENTS)}


def save_item(by: User, values: dict[str, str], item_id: int | None = None,
              parent_id: int | None = None) -> CatalogueItem:
    """Create (under `parent_id`, or a first-level item) or edit an item; a new version row."""
    v = _clean(values)
    problems = [f"{h}：{m}" for h, m in rules.check_elements(v)]
    if not v["name"]:
        problems.append("公开事项名称：不能为空。")
    elif len(v["name"]) > 100:
        problems.append("公开事项名称：不能超过 100 字。")
    with transaction():
        item = get_item(item_id) if item_id is not None else None
        parent = get_item(parent_id) if parent_id is not None else (item.parent if item else None)
        if parent is not None and parent.parent_id is not None:
            problems.append("目录只有两级：二级事项下不能再建事项。")
        domain = parent.domain if parent else (v["domain"] or (item.domain if item else ""))
        if not domain:
            problems.append("领域：不能为空。")
        elif len(domain) > 30:
            problems.append("领域：不能超过 30 字。")
        same_parent = (CatalogueItem.parent_id == parent.id) if parent else CatalogueItem.parent_id.is_(None)
        twin = db.session.execute(select(CatalogueItem.id).where(
            CatalogueItem.domain == domain, CatalogueItem.name == v["name"], same_parent)).scalar_one_or_none()
        if twin is not None and (item is None or twin != item.id):
            problems.append("同一位置已有同名事项。")
        if problems:
            raise Invalid("目录事项未保存。", problems)
        if item is None:
            position = db.session.execute(select(func.coalesce(func.max(CatalogueItem.position), 0))
                                          .where(same_parent)).scalar_one()
            item = CatalogueItem(parent=parent, domain=domain, position=position + 1, version=1,
                                 updated_by_id=by.id, name=v["name"])
            db.session.add(item)
            before, how = {}, "create"
        else:
            before, how = _snapshot(item), "edit"
            item.version += 1
        item.name, item.domain = v["name"], domain
        for a in rules.ELEMENTS:
            setattr(item, a, v[a])
        item.updated_at, item.updated_by_id = utcnow(), by.id
        if how == "edit" and _snapshot(item) == before:
            item.version -= 1
            return item  # nothing changed: no version, no event
        _version(item, how, before, by)
        audit.record("save_catalogue_item", by, details={"item": item.path, "version": item.version, "how": how})
    return item


def seed_first_level(by: User | None = None) -> int:
    """The first-level items the seeds name (SEED_FIRST_LEVEL), where missing.  Returns how many
    were added.  The migration does the same for an existing database."""
    added = 0
    with transaction():
        for domain, names in rules.SEED_FIRST_LEVEL.items():
            for pos, name in enumerate(names, start=1):
                exists = db.session.execute(select(CatalogueItem.id).where(
                    CatalogueItem.domain == domain, CatalogueItem.parent_id.is_(None),
                    CatalogueItem.name == name)).scalar_one_or_none()
                if exists is None:
                    item = CatalogueItem(domain=domain, name=name, position=pos, version=1,
                                         updated_by_id=by.id if by else None)
                    db.session.add(item)
                    _version(item, "create", {}, by)
                    added += 1
    return added


# --------------------------------------------------------------------------- spreadsheets

@dataclass
class Change:
    key: tuple[str, str, str]
    row: int | None
    fields: list[tuple[str, str, str]]  # (label, before, after)


@dataclass
class ImportDiff:
    added: list[rules.SheetRow] = field(default_factory=list)
    new_first_level: list[tuple[str, str]] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    retired: list[CatalogueItem] = field(default_factory=list)
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.retired or self.new_first_level)


def _index() -> tuple[dict[tuple[str, str], CatalogueItem], dict[tuple[str, str, str], CatalogueItem]]:
    items = list(db.session.execute(select(CatalogueItem)).scalars())
    by_id = {i.id: i for i in items}
    firsts = {(i.domain, i.name): i for i in items if i.parent_id is None}
    seconds = {(i.domain, by_id[i.parent_id].name, i.name): i for i in items if i.parent_id is not None}
    return firsts, seconds


def compare(rows: list[rules.SheetRow]) -> ImportDiff:
    firsts, seconds = _index()
    diff = ImportDiff()
    for row in rows:
        if (row.domain, row.first_level) not in firsts and (row.domain, row.first_level) not in diff.new_first_level:
            diff.new_first_level.append((row.domain, row.first_level))
        item = seconds.get(row.key)
        if item is None:
            diff.added.append(row)
            continue
        now = row.elements()
        fields = [(ELEMENT_LABELS[a], getattr(item, a) or "", now[a]) for a in rules.ELEMENTS
                  if (getattr(item, a) or "") != now[a]]
        if not item.active:
            fields.insert(0, ("状态", "已停用", "启用"))
        if fields:
            diff.changed.append(Change(row.key, row.row, fields))
        else:
            diff.unchanged += 1
    keys = {r.key for r in rows}
    diff.retired = [i for k, i in seconds.items() if i.active and k not in keys]
    return diff


def preview_import(by: User, filename: str, data: bytes) -> tuple[CatalogueImport, ImportDiff]:
    """Read and check a spreadsheet; on any problem raise Invalid listing every one (row and
    column), saving nothing.  Otherwise keep the file for `apply_import` and return the diff."""
    sheet = rules.read_sheet(data)
    if sheet.problems:
        raise Invalid("表格有错误，未导入任何内容。", [str(p) for p in sheet.problems[:200]])
    with transaction():
        diff = compare(sheet.rows)
        upload = CatalogueImport(filename=(filename or "目录.xlsx")[:200], sha256=hashlib.sha256(data).hexdigest(),
                                 data=data, base_change_id=_last_change_id(), created_by_id=by.id)
        db.session.add(upload)
    return upload, diff


def pending_import(import_id: int, by: User) -> tuple[CatalogueImport, ImportDiff]:
    upload = db.session.get(CatalogueImport, import_id)
    if upload is None or upload.created_by_id != by.id:
        raise NotFound("没有这次导入。")
    return upload, compare(rules.read_sheet(upload.data).rows)


def apply_import(by: User, import_id: int) -> ImportDiff:
    """Apply a previewed spreadsheet: add, change, re-enable and retire items as the preview showed."""
    with transaction():
        upload = db.session.get(CatalogueImport, import_id)
        if upload is None or upload.created_by_id != by.id:
            raise NotFound("没有这次导入。")
        if upload.status != "preview":
            raise Invalid("这份表格已经导入过了。")
        if _last_change_id() != upload.base_change_id:
            raise Invalid("预览之后目录已被修改，请重新上传表格查看差异。")
        sheet = rules.read_sheet(upload.data)
        diff = compare(sheet.rows)
        firsts, seconds = _index()
        for domain, name in diff.new_first_level:
            pos = 1 + max([i.position for i in firsts.values() if i.domain == domain], default=0)
            item = CatalogueItem(domain=domain, name=name, position=pos, version=1, updated_by_id=by.id)
            db.session.add(item)
            _version(item, "import", {}, by)
            firsts[(domain, name)] = item
        positions: dict[int, int] = {}
        for row in sheet.rows:
            parent = firsts[(row.domain, row.first_level)]
            positions[parent.id] = positions.get(parent.id, 0) + 1
            item = seconds.get(row.key)
            if item is None:
                item = CatalogueItem(parent=parent, domain=row.domain, name=row.name, version=0)
                db.session.add(item)
                before = {}
            else:
                before = _snapshot(item)
            changed = item.version == 0 or not item.active or item.elements() != row.elements()
            item.position = positions[parent.id]
            if not changed:
                continue
            for a, value in row.elements().items():
                setattr(item, a, value)
            item.active, item.version = True, item.version + 1
            item.updated_at, item.updated_by_id = utcnow(), by.id
            _version(item, "import", before, by)
        for item in diff.retired:
            before = _snapshot(item)
            item.active, item.version = False, item.version + 1
            item.updated_at, item.updated_by_id = utcnow(), by.id
            _version(item, "retire", before, by)
        upload.status, upload.applied_at = "applied", utcnow()
        audit.record("import_catalogue", by, details={
            "file": upload.filename, "sha256": upload.sha256, "added": len(diff.added),
            "changed": len(diff.changed), "retired": len(diff.retired), "first_level": len(diff.new_first_level)})
    return diff


# --------------------------------------------------------------------------- documents' 目录事项

def catalogue_item_problem(item_id: int) -> str | None:
    """Why a document cannot be filed under `item_id`, or None."""
    item = db.session.get(CatalogueItem, item_id)
    if item is None or not item.active:
        return "所选目录事项不存在或已停用，请重新选择。"
    return None


def file_under(doc: Document, item_id: int | None) -> bool:
    """Set the document's 目录事项 and the item's version it is filed under (in the caller's
    transaction).  A changed item clears an earlier mismatch confirmation.  True when it changed."""
    if doc.catalogue_item_id == item_id:
        return False
    item = db.session.get(CatalogueItem, item_id) if item_id is not None else None
    doc.catalogue_item_id = item.id if item else None
    doc.catalogue_item_version = item.version if item else None
    clear_mismatch(doc)
    return True


def clear_mismatch(doc: Document) -> None:
    """Forget a mismatch confirmation: it was for another item or another attribute."""
    doc.catalogue_mismatch_reason, doc.catalogue_mismatch_by_id, doc.catalogue_mismatch_at = "", None, None


def mismatch(doc: Document) -> str | None:
    """The 公开方式/attribute warning for the document's item, or None."""
    if doc.catalogue_item_id is None:
        return None
    item = db.session.get(CatalogueItem, doc.catalogue_item_id)
    return rules.mode_mismatch(item.mode if item else "", doc.disclosure)


def mismatch_unconfirmed(doc: Document) -> bool:
    """True while the document's attribute disagrees with its item and the office has not
    confirmed it with a reason (the chain refuses to move it on: workflow.CONDITIONS)."""
    return doc.catalogue_mismatch_at is None and mismatch(doc) is not None


MAX_REASON = 1000


def set_document_item(doc: Document, by: User, item_id: int | None, expected_version: int) -> Document:
    """The office changes a document's 目录事项 at review (one transaction with its event)."""
    if item_id is not None and (problem := catalogue_item_problem(item_id)):
        raise Invalid("目录事项未修改。", [problem])
    with transaction():
        if doc.version != expected_version:
            raise Conflict()
        before = doc.catalogue_item_id
        if file_under(doc, item_id):
            doc.updated_at = utcnow()
            audit.record("set_catalogue_item", by, doc, details={"from": before, "to": item_id,
                                                                  "item_version": doc.catalogue_item_version})
    return doc


def confirm_mismatch(doc: Document, by: User, reason: str, expected_version: int) -> Document:
    """The office confirms, with a reason, a document whose attribute disagrees with its item's
    公开方式; recorded on the document and in the audit log."""
    reason = (reason or "").strip()
    warning = mismatch(doc)
    if warning is None:
        raise Invalid("本文件的公开属性与目录事项一致，无需确认。")
    if not reason:
        raise Invalid("未确认。", ["请写明理由。"])
    if len(reason) > MAX_REASON:
        raise Invalid("未确认。", [f"理由不能超过 {MAX_REASON} 字。"])
    with transaction():
        if doc.version != expected_version:
            raise Conflict()
        doc.catalogue_mismatch_reason, doc.catalogue_mismatch_by_id = reason, by.id
        doc.catalogue_mismatch_at = utcnow()
        audit.record("confirm_catalogue_mismatch", by, doc, comment=reason,
                     details={"item": doc.catalogue_item_id, "disclosure": doc.disclosure, "warning": warning})
    return doc


@dataclass
class DocumentPanel:
    """What the document page shows of its 目录事项 (read only)."""

    item: CatalogueItem | None
    warning: str | None
    confirmed_by: User | None
    may_change: bool  # the office, at office review, not the drafter
    choices: list[tuple[str, str]]
    outlets: list[Outlet] = field(default_factory=list)
    may_record: bool = False  # the publisher, once the document is on the portal
    channels: tuple[str, ...] = ()
    filed: dict = field(default_factory=dict)  # the item's elements in the version the document is filed under


def document_panel(doc: Document, user: User) -> DocumentPanel:
    from ..workflow import Role, Stage

    item = db.session.get(CatalogueItem, doc.catalogue_item_id) if doc.catalogue_item_id else None
    may_change = (Role.OFFICE in user.roles and doc.stage == Stage.OFFICE_REVIEW.value
                  and doc.drafter_id != user.id)
    confirmed_by = db.session.get(User, doc.catalogue_mismatch_by_id) if doc.catalogue_mismatch_by_id else None
    found = outlets(doc)
    may_record = Role.PUBLISHER in user.roles and bool(found)
    listed = tuple(c for c in OTHER_CHANNELS if item and c in item.channels) if item else ()
    return DocumentPanel(item, mismatch(doc), confirmed_by, may_change, choices() if may_change else [],
                         found, may_record, listed + tuple(c for c in OTHER_CHANNELS if c not in listed),
                         (elements_at(item.id, doc.catalogue_item_version or 0) or {}) if item else {})


# --------------------------------------------------------------------------- other channels

OTHER_CHANNELS = tuple(c for c in rules.CHANNELS if c != "政府网站")  # the portal records itself


@dataclass(frozen=True)
class ChannelInput:
    channel: str
    start_date: date | None
    end_date: date | None = None
    place: str = ""
    account: str = ""
    link: str = ""
    note: str = ""


def record_channel(doc: Document, by: User, data: ChannelInput) -> ChannelRecord:
    """The publisher records that a published document also went out on another channel."""
    problems = []
    if data.channel not in OTHER_CHANNELS:
        problems.append("请选择发布渠道。")
    if data.start_date is None:
        problems.append("请填写发布（张贴）日期。")
    if data.start_date and data.end_date and data.end_date < data.start_date:
        problems.append("撤下日期不能早于发布日期。")
    if data.channel == "公开栏" and not data.place.strip():
        problems.append("公开栏须写明张贴地点。")
    if data.channel == "政务新媒体":
        if not data.account.strip():
            problems.append("政务新媒体须写明账号名称。")
        if not data.link.strip().startswith(("https://", "http://")):
            problems.append("政务新媒体须填写以 http:// 或 https:// 开头的链接。")
    for value, limit, label in ((data.place, 200, "地点"), (data.account, 100, "账号"), (data.link, 500, "链接"),
                                (data.note, 500, "说明")):
        if len(value.strip()) > limit:
            problems.append(f"{label}不能超过 {limit} 字。")
    if db.session.get(Publication, doc.id) is None:
        problems.append("文件尚未在政府网站发布，发布后再登记其他渠道。")
    if problems:
        raise Invalid("发布渠道未登记。", problems)
    with transaction():
        row = ChannelRecord(document_id=doc.id, channel=data.channel, start_date=data.start_date,
                            end_date=data.end_date, place=data.place.strip(), account=data.account.strip(),
                            link=data.link.strip(), note=data.note.strip(), recorded_by_id=by.id)
        db.session.add(row)
        db.session.flush()
        audit.record("record_channel", by, doc, details={
            "channel": row.channel, "place": row.place, "account": row.account, "link": row.link,
            "start": row.start_date.isoformat(), "end": row.end_date.isoformat() if row.end_date else None})
    return row


@dataclass(frozen=True)
class Outlet:
    """One line of "where and when did this go out"."""

    channel: str
    where: str
    start: date
    end: date | None
    by: str


def outlets(doc: Document) -> list[Outlet]:
    """Every channel the document went out on, the portal first: one answer per document."""
    out = []
    pub = db.session.get(Publication, doc.id)
    if pub is not None:
        out.append(Outlet("政府网站", pub.public_url or "", clock.to_agency(pub.first_published_at).date(),
                          clock.to_agency(pub.withdrawn_at).date() if pub.withdrawn_at else None,
                          pub.published_by.display_name if pub.published_by else ""))
    rows = db.session.execute(select(ChannelRecord).where(ChannelRecord.document_id == doc.id)
                              .order_by(ChannelRecord.start_date, ChannelRecord.id)).scalars()
    for r in rows:
        where = "；".join(x for x in (r.place, r.account, r.link, r.note) if x)
        out.append(Outlet(r.channel, where, r.start_date, r.end_date,
                          r.recorded_by.display_name if r.recorded_by else ""))
    return out
