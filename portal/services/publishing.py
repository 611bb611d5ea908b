"""Receiving pushes and withdrawals: upsert by 索引号, one transaction each.

- A push creates or updates the policy and, when it has one, its 解读, and indexes both for
  search — in one transaction, so neither is ever public without the other.  Repeating a
  push updates the same rows (same id, same URL); it never duplicates.
- A withdrawal hides both (their pages answer 410 with the notice) and removes them from
  search; a later push republishes them at the same 索引号 and URL.
- Messages carry a version that grows with every change; one older than what is stored is
  refused (409, code "stale_version") so a late retry cannot undo a newer change.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from gkt_protocol import Publication, Withdrawal
from gkt_protocol.payload import DocxFile

from .. import rendering
from ..clock import to_agency, utcnow
from ..extensions import db
from ..models import INTERPRETATION, POLICY, PUBLISHED, WITHDRAWN, Item, ItemFile, Publisher, ReceiptEvent
from ..sanitize import clean_html, html_text
from ..search import search_index
from . import PortalError
from .attachments import store_attachments
from .catalogue import link as link_catalogue
from .reading import forget_facets


@dataclass(frozen=True)
class Receipt:
    index_no: str
    version: int
    created: bool
    status: str
    has_interpretation: bool


def _locked_items(index_no: str) -> dict[str, Item]:
    stmt = select(Item).where(Item.index_no == index_no)
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return {i.kind: i for i in db.session.execute(stmt).scalars()}


def _check_version(existing: Item | None, version: int, index_no: str) -> None:
    if existing is not None and version < existing.version:
        db.session.add(ReceiptEvent(index_no=index_no, action="stale", version=version))
        db.session.commit()
        raise PortalError(409, "stale_version",
                          f"门户已有该文件更新的版本（{existing.version}），收到的版本 {version} 较旧，未作修改。")


def _store_docx(item: Item, docx: DocxFile | None) -> None:
    current = db.session.get(ItemFile, item.id)
    if docx is None:
        if current is not None:
            db.session.delete(current)
        item.docx_filename = item.docx_sha256 = item.docx_size = None
        return
    if current is None:
        db.session.add(ItemFile(item_id=item.id, content=docx.content))
    elif item.docx_sha256 != docx.sha256:
        current.content = docx.content
    item.docx_filename, item.docx_sha256, item.docx_size = docx.filename, docx.sha256, len(docx.content)


def _fill(item: Item, pub: Publication, title: str, body_html: str, published_at, now) -> None:
    item.title = title
    item.doc_number = pub.doc_number
    item.topic, item.subtopic = pub.topic
    item.publisher = pub.publisher
    item.written_date = pub.written_date
    item.published_at = published_at
    item.year = to_agency(published_at).year
    item.validity = pub.validity
    item.validity_changed_on = pub.validity_changed_on
    item.normative, item.effective_from, item.effective_to = pub.normative, pub.effective_from, pub.effective_to
    item.cleanup_decision = pub.cleanup.decision if pub.cleanup else None
    item.cleanup_decided_on = pub.cleanup.decided_on if pub.cleanup else None
    item.keywords = "、".join(pub.keywords)
    item.site_column = pub.column
    item.summary = pub.summary
    item.body_html = clean_html(body_html)
    item.body_text = html_text(item.body_html)
    item.version = pub.version
    item.status = PUBLISHED
    item.notice = ""
    item.withdrawn_at = None
    item.updated_at = now


def receive_publication(pub: Publication) -> Receipt:
    try:
        return _receive_publication(pub)
    except IntegrityError:  # the same new 索引号 pushed twice at once: the other one won; apply on top
        db.session.rollback()
        return _receive_publication(pub)


def _receive_publication(pub: Publication) -> Receipt:
    now = utcnow()
    rows = _locked_items(pub.index_no)
    policy = rows.get(POLICY)
    _check_version(policy, pub.version, pub.index_no)
    created = policy is None
    if policy is None:
        policy = Item(kind=POLICY, index_no=pub.index_no, first_published_at=now)
        db.session.add(policy)
    _fill(policy, pub, pub.title, pub.body_html, pub.published_at, now)
    db.session.flush()
    _store_docx(policy, pub.docx)
    link_catalogue(policy, pub.catalogue_item)  # its 目录事项 (issue 15)
    store_attachments(policy, pub.attachments)
    index = search_index(db.session)
    # 关键词 weigh like the title, 内容概述 like the text (each a run apart: no match across them)
    index.put(policy.id, "\n".join([policy.title, *pub.keywords]), "\n".join([pub.summary, policy.body_text]))

    interp = rows.get(INTERPRETATION)
    if pub.interpretation is not None:
        if interp is None:
            interp = Item(kind=INTERPRETATION, index_no=pub.index_no, first_published_at=now, policy_id=policy.id)
            db.session.add(interp)
        _fill(interp, pub, pub.interpretation.title, pub.interpretation.body_html,
              pub.interpretation.published_at, now)
        interp.doc_number = ""
        db.session.flush()
        _store_docx(interp, pub.interpretation.docx)
        index.put(interp.id, interp.title, interp.body_text)
        policy.interpretation_id = interp.id
    else:
        policy.interpretation_id = None
        if interp is not None:  # the new version has no 解读 any more: take the old one down
            interp.status, interp.withdrawn_at, interp.updated_at, interp.version = WITHDRAWN, now, now, pub.version
            interp.notice = "该解读已随文件更新撤下。"
            index.delete(interp.id)

    if db.session.execute(select(Publisher.id).where(Publisher.name == pub.publisher)).first() is None:
        db.session.add(Publisher(name=pub.publisher))
    db.session.add(ReceiptEvent(index_no=pub.index_no, action="push", version=pub.version))
    db.session.flush()
    # Both pages, rendered from the rows just written and stored in this transaction: the policy's
    # page shows its 解读's title and the 解读's page links back (portal/rendering.py).
    rendering.store([i for i in (policy, interp) if i is not None])
    db.session.commit()
    forget_facets()
    return Receipt(pub.index_no, pub.version, created, PUBLISHED, pub.interpretation is not None)


def receive_withdrawal(w: Withdrawal) -> Receipt:
    now = utcnow()
    rows = _locked_items(w.index_no)
    policy = rows.get(POLICY)
    if policy is None:
        db.session.rollback()
        raise PortalError(404, "unknown_index_no", f"门户上没有索引号为 {w.index_no} 的信息，无法撤回。")
    _check_version(policy, w.version, w.index_no)
    index = search_index(db.session)
    for item in rows.values():
        item.status = WITHDRAWN
        item.notice = w.notice
        item.withdrawn_at = w.withdrawn_at
        item.version = w.version
        item.updated_at = now
        index.delete(item.id)
    db.session.add(ReceiptEvent(index_no=w.index_no, action="withdraw", version=w.version))
    rendering.store(rows.values())  # withdrawn: their stored pages are deleted (the page answers 410)
    db.session.commit()
    forget_facets()
    return Receipt(w.index_no, w.version, False, WITHDRAWN, INTERPRETATION in rows)
