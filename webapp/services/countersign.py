"""会签: the departments whose heads must agree before the leader signs (a parallel stage).

The rules (who may change the list when, when the stage is done) are in workflow.py;
this module keeps the list and the agreements.  Everything that acts on a document in
a parallel stage first locks its row (`lock_for_parallel`): two departments agreeing at
the same instant then take turns, and the second sees the first's agreement — so the
document moves on to the leader exactly once, with both opinions recorded.
"""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Countersign, Department, Document, User, UserRole, utcnow
from ..workflow import MoveRefused, Role, after_countersign_change, check_countersign_change
from . import audit
from .documents import get_document
from .errors import Forbidden, Invalid
from .tx import transaction


def lock_for_parallel(doc: Document, actor: User) -> Document:
    """Re-read the document under a row lock (SELECT … FOR UPDATE on PostgreSQL), with its
    会签 rows as committed now, not as this session first saw them."""
    doc = get_document(doc.id, actor, for_update=True)
    db.session.expire(doc, ["countersigns"])
    db.session.execute(
        select(Countersign).where(Countersign.document_id == doc.id).execution_options(populate_existing=True)
    ).scalars().all()
    return doc


def record_agreement(doc: Document, actor: User, opinion: str) -> dict:
    """The actor's department agrees, for the current submission (caller's transaction)."""
    row = next((c for c in doc.countersigns if c.department_id == actor.department_id), None)
    if row is None:  # check_move has refused this already; kept as a guard
        raise Forbidden("您所在处室不是该文件的会签处室。")
    row.agreed_round = doc.submission_round
    row.agreed_by_id = actor.id
    row.agreed_at = utcnow()
    row.opinion = opinion
    db.session.flush()
    left = [c.department.name for c in doc.countersigns if not c.agreed_in(doc.submission_round)]
    return {"countersign_department_id": row.department_id, "countersign_department": row.department.name,
            "countersign_waiting": left}


def reopen(doc: Document) -> None:
    """A (re)submission: every listed department is to agree again (their earlier opinions
    stay in the audit log).  Caller's transaction."""
    for c in doc.countersigns:
        c.agreed_round = c.agreed_by_id = c.agreed_at = None
        c.opinion = ""


def departments() -> list[Department]:
    return list(db.session.execute(select(Department).order_by(Department.name)).scalars())


def _agreed_names(doc: Document) -> list[str]:
    return [c.department.name for c in doc.countersigns if c.agreed_in(doc.submission_round)]


def require_may_change(doc: Document, actor: User) -> None:
    """Forbidden unless this actor may change the 会签 list now (before any form is read)."""
    try:
        check_countersign_change(doc.facts(), actor.facts(), -1)
    except MoveRefused as exc:
        raise Forbidden(str(exc)) from exc


def _check(doc: Document, actor: User, department_id: int) -> Department:
    try:
        check_countersign_change(doc.facts(), actor.facts(), department_id)
    except MoveRefused as exc:
        raise Forbidden(str(exc)) from exc
    dept = db.session.get(Department, department_id)
    if dept is None:
        raise Invalid("所选会签处室不存在。")
    return dept


def add_department(document_id: int, actor: User, department_id: int) -> Document:
    """List one more 会签 department (the drafter before submitting, the office while reviewing
    or during the 会签).  Recorded with the departments that had already agreed."""
    with transaction():
        doc = lock_for_parallel(get_document(document_id, actor), actor)
        dept = _check(doc, actor, department_id)
        if any(c.department_id == department_id for c in doc.countersigns):
            raise Invalid(f"{dept.name}已是会签处室。")
        already = _agreed_names(doc)
        doc.countersigns.append(Countersign(department_id=dept.id, added_by_id=actor.id))
        db.session.flush()
        audit.record("countersign_add", actor, doc, from_stage=doc.stage, to_stage=doc.stage,
                     details={"department_id": dept.id, "department": dept.name, "agreed_before": already})
    return doc


def remove_department(document_id: int, actor: User, department_id: int) -> Document:
    """Take a department off the 会签 list.  During the 会签 the document goes on to the
    leader when every department still listed has agreed (workflow.after_countersign_change)."""
    with transaction():
        doc = lock_for_parallel(get_document(document_id, actor), actor)
        dept = _check(doc, actor, department_id)
        row = next((c for c in doc.countersigns if c.department_id == department_id), None)
        if row is None:
            raise Invalid(f"{dept.name}不是会签处室。")
        had_agreed = row.agreed_in(doc.submission_round)
        already = _agreed_names(doc)
        doc.countersigns.remove(row)
        db.session.flush()
        source = doc.stage_enum
        target = after_countersign_change(doc.facts())
        if target is not source:
            doc.stage = target.value
            doc.stage_entered_at = doc.updated_at = utcnow()  # a move: the lists show it
            db.session.flush()  # UPDATE … WHERE version = ?
        audit.record("countersign_remove", actor, doc, from_stage=source.value, to_stage=target.value,
                     details={"department_id": dept.id, "department": dept.name, "had_agreed": had_agreed,
                              "agreed_before": already})
    return doc


def listed(doc: Document) -> list[Countersign]:
    return list(doc.countersigns)


def without_head(doc: Document) -> set[int]:
    """Listed departments with no active 处室负责人: nobody there could agree (the office may
    take them off the list, or the admin appoint a head)."""
    ids = [c.department_id for c in doc.countersigns]
    if not ids:
        return set()
    staffed = db.session.execute(
        select(User.department_id).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.DEPT_HEAD.value, User.is_active_account.is_(True), User.department_id.in_(ids))
    ).scalars()
    return set(ids) - set(staffed)


def may_be_added(doc: Document) -> list[Department]:
    """Departments that could still be listed (not the drafting one, not already listed)."""
    taken = {c.department_id for c in doc.countersigns} | {doc.department_id}
    return [d for d in departments() if d.id not in taken]


