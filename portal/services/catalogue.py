"""The standard catalogue on the portal (标准目录, issue 15): receiving it, filing pushed policies
under its items, and reading the tree and an item's documents.

- `receive_catalogue`: a newer edition replaces the shown one in one transaction; the same
  version again is a retry (200, nothing changes); an older one is refused (409 stale_version).
- `link`: called from the push's transaction: the policy's 目录事项 as the push names it.
- `documents`: an item's public policies, newest first, one page through the index
  (catalogue_item_id, published_at, item_id) — the same cost at any size, like reading.catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.exc import IntegrityError

from gkt_protocol.catalogue import CatalogueMessage
from gkt_protocol.payload import CatalogueRef

from ..clock import utcnow
from ..extensions import db
from ..models import POLICY, PUBLISHED, Item, ReceiptEvent
from ..models_catalogue import CatalogueEdition, CatalogueEntry, CatalogueLink
from . import PortalError
from .reading import COUNT_CAP, _key_value, decode_cursor, encode_cursor

RECEIPT_LABEL = "标准目录"


@dataclass(frozen=True)
class CatalogueReceipt:
    version: int
    changed: bool
    items: int


def receive_catalogue(msg: CatalogueMessage) -> CatalogueReceipt:
    try:
        return _receive(msg)
    except IntegrityError:  # the same new version received twice at once: the other one won
        db.session.rollback()
        return _receive(msg)


def _receive(msg: CatalogueMessage) -> CatalogueReceipt:
    latest = db.session.execute(select(func.max(CatalogueEdition.version))).scalar_one()
    if latest is not None and msg.version < latest:
        db.session.add(ReceiptEvent(index_no=RECEIPT_LABEL, action="stale", version=msg.version))
        db.session.commit()
        raise PortalError(409, "stale_version",
                          f"门户已有更新的目录版本（{latest}），收到的版本 {msg.version} 较旧，未作修改。")
    if latest == msg.version:  # a retry of what is shown
        db.session.rollback()
        return CatalogueReceipt(msg.version, False, len(msg.items))
    db.session.add(CatalogueEdition(version=msg.version, publisher=msg.publisher, published_at=msg.published_at,
                                    received_at=utcnow(), item_count=len(msg.items)))
    db.session.flush()  # two senders of one new version: the second fails here, before replacing anything
    db.session.execute(delete(CatalogueEntry))
    db.session.add_all([CatalogueEntry(item_id=e.id, parent_id=e.parent_id, position=n, domain=e.domain, name=e.name,
                                       content=e.content, basis=e.basis, time_limit=e.time_limit, subject=e.subject,
                                       channels=e.channels, audience=e.audience, mode=e.mode, level=e.level)
                        for n, e in enumerate(msg.items, start=1)])
    db.session.add(ReceiptEvent(index_no=RECEIPT_LABEL, action="catalogue", version=msg.version))
    db.session.commit()
    return CatalogueReceipt(msg.version, True, len(msg.items))


def link(policy: Item, ref: CatalogueRef | None) -> None:
    """File the policy under its 目录事项 (in the caller's transaction); none: no longer filed."""
    current = db.session.get(CatalogueLink, policy.id)
    if ref is None:
        if current is not None:
            db.session.delete(current)
        return
    if current is None:
        current = CatalogueLink(item_id=policy.id)
        db.session.add(current)
    current.catalogue_item_id, current.domain = ref.id, ref.domain
    current.first_level, current.second_level = ref.first_level, ref.second_level
    current.published_at = policy.published_at


# --------------------------------------------------------------------------- reading

@dataclass
class Branch:
    entry: CatalogueEntry
    children: list[CatalogueEntry] = field(default_factory=list)


@dataclass
class Domain:
    name: str
    branches: list[Branch] = field(default_factory=list)


def edition() -> CatalogueEdition | None:
    return db.session.execute(select(CatalogueEdition).order_by(CatalogueEdition.version.desc())
                              .limit(1)).scalar_one_or_none()


def tree() -> list[Domain]:
    """The shown edition as 领域 → first-level items → second-level items, in the sender's order."""
    entries = list(db.session.execute(select(CatalogueEntry).order_by(CatalogueEntry.position)).scalars())
    branches = {e.item_id: Branch(e) for e in entries if e.parent_id is None}
    for e in entries:
        if e.parent_id is not None and e.parent_id in branches:
            branches[e.parent_id].children.append(e)
    domains: dict[str, Domain] = {}
    for b in branches.values():
        domains.setdefault(b.entry.domain, Domain(b.entry.domain)).branches.append(b)
    return list(domains.values())


@dataclass(frozen=True)
class Place:
    """Where an item sits, for its page: from the shown edition, else from the documents' pushes
    (an item retired since, or a catalogue not yet published)."""

    item_id: int
    domain: str
    first_level: str
    second_level: str
    entry: CatalogueEntry | None
    parent: CatalogueEntry | None
    children: tuple[CatalogueEntry, ...] = ()

    @property
    def name(self) -> str:
        return self.second_level or self.first_level


def place(item_id: int) -> Place | None:
    entry = db.session.get(CatalogueEntry, item_id)
    if entry is not None:
        parent = db.session.get(CatalogueEntry, entry.parent_id) if entry.parent_id is not None else None
        children = tuple(db.session.execute(select(CatalogueEntry).where(CatalogueEntry.parent_id == item_id)
                                            .order_by(CatalogueEntry.position)).scalars())
        if parent is not None:
            return Place(item_id, entry.domain, parent.name, entry.name, entry, parent, children)
        return Place(item_id, entry.domain, entry.name, "", entry, None, children)
    known = db.session.execute(select(CatalogueLink).where(CatalogueLink.catalogue_item_id == item_id)
                               .order_by(CatalogueLink.published_at.desc()).limit(1)).scalar_one_or_none()
    if known is None:
        return None
    return Place(item_id, known.domain, known.first_level, known.second_level, None, None)


@dataclass
class ItemPage:
    rows: list[Item]
    total: int
    total_capped: bool
    next_cursor: str | None
    prev_cursor: str | None


def _public(stmt, item_id: int):
    return (stmt.select_from(CatalogueLink).join(Item, Item.id == CatalogueLink.item_id)
            .where(CatalogueLink.catalogue_item_id == item_id, Item.kind == POLICY, Item.status == PUBLISHED))


def documents(item_id: int, after: str | None, before: str | None, size: int) -> ItemPage:
    """One page of the item's public policies, newest first (keyset paging on the link index)."""
    key = tuple_(CatalogueLink.published_at, CatalogueLink.item_id)
    stmt = _public(select(Item), item_id)
    after_c, before_c = decode_cursor(after), decode_cursor(before)
    if before_c:
        stmt = stmt.where(key > _key_value(before_c)).order_by(CatalogueLink.published_at.asc(),
                                                               CatalogueLink.item_id.asc())
    else:
        if after_c:
            stmt = stmt.where(key < _key_value(after_c))
        stmt = stmt.order_by(CatalogueLink.published_at.desc(), CatalogueLink.item_id.desc())
    rows = list(db.session.execute(stmt.limit(size + 1)).scalars())
    more = len(rows) > size
    rows = rows[:size]
    if before_c:
        rows.reverse()
        has_next, has_prev = True, more
    else:
        has_next, has_prev = more, bool(after_c)
    total = db.session.execute(select(func.count()).select_from(
        _public(select(CatalogueLink.item_id), item_id).limit(COUNT_CAP + 1).subquery())).scalar_one()
    return ItemPage(rows, min(total, COUNT_CAP), total > COUNT_CAP,
                    encode_cursor(rows[-1]) if rows and has_next else None,
                    encode_cursor(rows[0]) if rows and has_prev else None)


def filed_under(policy: Item) -> CatalogueLink | None:
    """The 目录事项 a policy was pushed with (its page links to the item's page)."""
    return db.session.get(CatalogueLink, policy.id)

