"""Publishing the standard catalogue on the portal (issue 15; seed 000: "在政府网站公开目录").

The office (or the admin) presses 发布到政府网站 on the catalogue page.  One transaction writes
the publication row (a new version), the outbox message with the whole catalogue — every active
item and every element, as gkt_protocol.catalogue describes — and its audit event; the outbox
worker delivers it like a document push (signed, retried, idempotent by version).

Published by a button, not on every change: an import or a morning of edits touches many items
one after another, and the public catalogue should change once, when the office has looked at
the result ("先审查、后发布"), not show every intermediate state.  The page says when the
catalogue has changed since its last publication.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select

from gkt_protocol import PayloadError
from gkt_protocol.catalogue import CatalogueEntry, CatalogueMessage, parse_catalogue

from .. import clock, outbox
from ..extensions import db
from ..models import CataloguePublication, OutboxMessage, User
from . import agency, audit
from .catalogue import last_change_id, tree
from .errors import Invalid
from .tx import transaction

INDEX_LABEL = "标准目录"  # the outbox row's 索引号 column: a catalogue has none


def entries() -> list[CatalogueEntry]:
    """Every active item, first-level items each followed by their second-level items."""
    out: list[CatalogueEntry] = []
    for branch in tree():
        for item in (branch.item, *branch.children):
            out.append(CatalogueEntry(item.id, item.parent_id, item.domain, item.name, **item.elements()))
    return out


def publish(by: User) -> CataloguePublication:
    """Queue the whole catalogue for the portal as a new version (one transaction, audited)."""
    publisher = agency.settings().publisher_name.strip()
    if not publisher:
        raise Invalid("目录未发布。", ["管理员尚未设置发布机构名称，暂不能发布。"])
    with transaction():
        version = 1 + db.session.execute(
            select(func.coalesce(func.max(CataloguePublication.version), 0))).scalar_one()
        items = entries()
        if not items:
            raise Invalid("目录未发布。", ["目录中没有启用的事项。"])
        message = CatalogueMessage(version, publisher, clock.to_agency(clock.utcnow()), tuple(items)).to_json()
        try:
            parse_catalogue(message)  # the portal's own checks, before anything is queued
        except PayloadError as exc:
            raise Invalid("目录未发布：内容不符合门户接口规范。", exc.problems) from exc
        row = outbox.enqueue(None, "catalogue", INDEX_LABEL, version, message, by)
        record = CataloguePublication(version=version, base_change_id=last_change_id(), item_count=len(items),
                                      published_by_id=by.id, outbox_message_id=row.id)
        db.session.add(record)
        audit.record("publish_catalogue", by, details={
            "version": version, "items": len(items), "outbox": row.id,
            "sha256": hashlib.sha256(outbox.encode(message)).hexdigest()})
    return record


@dataclass(frozen=True)
class PortalState:
    """What the catalogue page says about the public copy."""

    last: CataloguePublication | None
    status: str  # an outbox status (pending | sent | failed | superseded), "" before any publication
    status_label: str
    answer: str  # the portal's last answer when it refused or could not be reached
    changed_since: bool  # the catalogue changed after the last publication


def state() -> PortalState:
    last = db.session.execute(select(CataloguePublication).order_by(CataloguePublication.version.desc())
                              .limit(1)).scalar_one_or_none()
    if last is None:
        return PortalState(None, "", "尚未发布", "", True)
    row = db.session.get(OutboxMessage, last.outbox_message_id) if last.outbox_message_id else None
    status = row.status if row is not None else ""
    answer = row.last_answer if row is not None and status != outbox.SENT else ""
    return PortalState(last, status, outbox.STATUS_LABELS.get(status, ""), answer,
                       last_change_id() != last.base_change_id)
