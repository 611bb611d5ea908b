"""The one document loader (Flask tutorial's `get_post(id, check_author=True)`).

Every view and every service that touches a document gets it from `get_document`:
NotFound (404) when it does not exist, Forbidden (403) when this user may not see it,
or may not do what `check` names.  The error pages turn these into 404/403 with the
Chinese message; services running inside a transaction get the same refusals.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy.orm import undefer_group

from ..extensions import db
from ..models import Document, User
from ..policy import can_edit, can_view
from ..workflow import Action, MoveRefused, check_move
from .errors import Forbidden, NotFound

Check = Literal["view", "edit"] | Action

MAX_ID = 2**63 - 1  # BIGINT / SQLite INTEGER
NOT_EDITABLE = "该文件正在审核或已办结，当前不能修改。"


def get_document(document_id: int, user: User, check: Check = "view", *, for_update: bool = False) -> Document:
    """The document, if `user` may see it and, with `check`:

    - "view": nothing more (policy.can_view);
    - "edit": the drafter may still change it (policy.can_edit);
    - an Action: the chain allows this user that move now (workflow.check_move).
    """
    if not 0 < document_id <= MAX_ID:  # a URL's integer may exceed what the database stores
        raise NotFound("文件不存在。")
    # The texts are deferred on lists (a queue need not carry 25 bodies); a single
    # document's page wants them, in the same query.
    query = db.select(Document).options(undefer_group("content")).where(Document.id == document_id)
    if for_update:  # the document's row only (its joined department and drafter are outer joins,
        # which PostgreSQL refuses to lock), re-read as committed once the lock is held
        query = query.with_for_update(of=Document).execution_options(populate_existing=True)
    doc = db.session.execute(query).scalar_one_or_none()
    if doc is None:
        raise NotFound("文件不存在。")
    if not can_view(user, doc):
        raise Forbidden("您无权查看该文件。")
    if check == "edit":
        if not can_edit(user, doc):
            raise Forbidden(NOT_EDITABLE)
    elif isinstance(check, Action):
        try:
            check_move(doc.facts(), user.facts(), check)
        except MoveRefused as exc:
            raise Forbidden(str(exc)) from exc
    elif check != "view":
        raise ValueError(f"unknown check {check!r}")
    return doc
