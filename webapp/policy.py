"""Who may see and edit which document — one place, used by views, lists and tests.

- A drafter sees their own documents and their department's submitted ones,
  never another person's unsubmitted draft.
- Reviewers (secrecy, office, leader) see every submitted document.
- Publishers and archivists see approved documents (they work after 签发).
- A department head (处室负责人) sees their department's submitted documents (核稿) and
  those their department is listed on as a 会签 department.
- The admin manages people, not documents.
"""

from __future__ import annotations

from sqlalchemy import and_, exists, false, or_
from sqlalchemy.sql.elements import ColumnElement

from .models import Countersign, Document, User
from .workflow import EDITABLE_STAGES, Role, Stage

REVIEWER_ROLES = frozenset({Role.SECRECY, Role.OFFICE, Role.LEADER})
AFTER_APPROVAL_ROLES = frozenset({Role.PUBLISHER, Role.ARCHIVIST})
AFTER_APPROVAL_STAGES = frozenset({Stage.APPROVED, Stage.DEID_REVIEW, Stage.READY, Stage.FILED, Stage.PUBLISHED,
                                   Stage.WITHDRAWN, Stage.CORRECTION})


def can_view(user: User, doc: Document) -> bool:
    if doc.drafter_id == user.id:
        return True
    stage = doc.stage_enum
    if stage is Stage.DRAFT:
        return False
    roles = user.roles
    if roles & REVIEWER_ROLES:
        return True
    if roles & AFTER_APPROVAL_ROLES and stage in AFTER_APPROVAL_STAGES:
        return True
    if Role.DEPT_HEAD in roles and user.department_id is not None and (
            doc.department_id == user.department_id
            or any(c.department_id == user.department_id for c in doc.countersigns)):
        return True
    return Role.DRAFTER in roles and doc.department_id == user.department_id


def can_edit(user: User, doc: Document) -> bool:
    return (
        doc.drafter_id == user.id
        and Role.DRAFTER in user.roles
        and doc.stage_enum in EDITABLE_STAGES
    )


def visible_documents(user: User) -> ColumnElement[bool]:
    """The SQL form of can_view, for lists."""
    roles = user.roles
    submitted = Document.stage != Stage.DRAFT.value
    clauses = [Document.drafter_id == user.id]
    if roles & REVIEWER_ROLES:
        clauses.append(submitted)
    if roles & AFTER_APPROVAL_ROLES:
        clauses.append(Document.stage.in_([s.value for s in AFTER_APPROVAL_STAGES]))
    if Role.DRAFTER in roles and user.department_id is not None:
        clauses.append(and_(submitted, Document.department_id == user.department_id))
    if Role.DEPT_HEAD in roles and user.department_id is not None:
        countersigned = exists().where(Countersign.document_id == Document.id,
                                       Countersign.department_id == user.department_id)
        clauses.append(and_(submitted, or_(Document.department_id == user.department_id, countersigned)))
    return or_(*clauses) if clauses else false()
