"""Builders for documents in tests: a complete public draft and friends."""

from __future__ import annotations

from webapp.disclosure import Disclosure
from webapp.extensions import db
from webapp.models import Document, User
from webapp.services import chain, drafting
from webapp.workflow import Action


def draft_input(**overrides) -> drafting.DraftInput:
    values = dict(
        title="关于做好2026年政务公开工作的通知",
        doc_type="通知",
        recipients="各市、县（市、区）应急管理局",
        body_html="<p>一、工作目标</p><p>全面推进政务公开标准化规范化。</p>",
        disclosure=Disclosure.PUBLIC.value,
    )
    values.update(overrides)
    return drafting.DraftInput(**values)


def user(user_id: int) -> User:
    return db.session.get(User, user_id)


def new_draft(drafter_id: int, **overrides) -> int:
    return drafting.create_draft(user(drafter_id), draft_input(**overrides)).id


def doc(doc_id: int) -> Document:
    db.session.expire_all()
    return db.session.get(Document, doc_id)


def act(doc_id: int, actor_id: int, action: Action, comment: str = "", **kw) -> Document:
    d = doc(doc_id)
    return chain.move(doc_id, user(actor_id), action, d.version, comment, **kw)


def submitted(drafter_id: int, **overrides) -> int:
    doc_id = new_draft(drafter_id, **overrides)
    act(doc_id, drafter_id, Action.SUBMIT)
    return doc_id
