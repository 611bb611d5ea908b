"""Moves along the review-and-approval chain: submit, approve, return, refer.

Every move is one transaction: the optimistic-lock UPDATE of the document and
its audit event commit together, or neither does.  When someone else moved the
document first, the move raises Conflict and writes nothing.

Every decision carries an opinion (意见): the comment, or the step's default
(workflow.DEFAULT_OPINIONS) when approving without one; it is the audit entry's
comment, with the actor's department, so the 处理单 and the 发文稿纸 read it there.
In a parallel stage (会签) the document row is locked first and an agreement that
leaves others to agree records itself without moving the document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..disclosure import Disclosure
from ..extensions import db
from ..models import Document, User, utcnow
from ..workflow import (
    COMMENT_REQUIRED,
    PARALLEL,
    PUBLICATION_ACTIONS,
    Action,
    MoveRefused,
    Stage,
    check_move,
    default_opinion,
    may_propose,
    move_label,
    move_problems,
)
from . import audit, countersign, secrecy
from .catalogue import mismatch_unconfirmed
from .documents import get_document
from .drafting import submission_problems
from .errors import Conflict, Forbidden, Invalid
from .tx import transaction

MAX_COMMENT = 2000


def move(
    document_id: int,
    actor: User,
    action: Action,
    expected_version: int,
    comment: str = "",
    *,
    proposed_disclosure: str | None = None,
    proposal_reason: str = "",
    apply: Callable[[Document], dict] | None = None,
) -> Document:
    """Make one move.  `apply`, when given, runs after the checks and before the
    stage changes, in the same transaction, and returns details for the audit event."""
    comment = (comment or "").strip()
    if action in PUBLICATION_ACTIONS and apply is None:  # the outbox message is part of the move
        raise Invalid("发布、撤回和重新发布须通过发布服务办理（services.publication）。")
    if len(comment) > MAX_COMMENT:
        raise Invalid(f"意见不能超过 {MAX_COMMENT} 字。")
    with transaction():
        doc = get_document(document_id, actor)
        if doc.stage_enum in PARALLEL:  # several act at once: take turns on the row
            doc = countersign.lock_for_parallel(doc, actor)
        if doc.version != expected_version:  # someone moved it since this user's page was drawn
            raise Conflict()
        target = _refuse_if_not_allowed(doc, actor, action)
        blocked = move_problems(replace(doc.facts(), catalogue_mismatch_unconfirmed=mismatch_unconfirmed(doc)), action)
        if blocked:  # issue 15: an unconfirmed 目录事项/attribute mismatch, …
            raise Invalid(f"不能{move_label(doc.stage, action)}：", blocked)
        if action in COMMENT_REQUIRED and not comment:
            raise Invalid(f"“{move_label(doc.stage, action)}”须填写意见。")
        if not comment:  # every decision carries an opinion: the step's default when none is written
            comment = default_opinion(doc.facts(), action, actor.facts())
        details: dict = _actor_department(actor)
        if action is Action.SUBMIT:
            problems = submission_problems(doc)
            if problems:
                raise Invalid("文件不能提交，缺少以下内容：", problems)
            doc.submitted_at = utcnow()
            doc.submission_round += 1  # 会签 agreements count from here (workflow: "since the last submission")
            countersign.reopen(doc)
            doc.proposed_disclosure = None
            doc.proposal_reason = ""
            details["disclosure"] = doc.disclosure
        if action is Action.REFER_TO_SECRECY:
            doc.may_involve_secrets = True
        if proposed_disclosure:
            _propose(doc, actor, action, proposed_disclosure, proposal_reason, details)
        if target is Stage.APPROVED:  # 签发: the leader's name is the 签发人
            doc.approved_at = utcnow()
            doc.signed_by_id = actor.id
            doc.signed_by_name = actor.display_name
            details["signer"] = actor.display_name
        if target is Stage.CLASSIFIED:  # 涉及国家秘密: the content leaves this system
            details.update(secrecy.purge_content(doc))
        if doc.stage_enum in PARALLEL and action is PARALLEL[doc.stage_enum].agree:
            details.update(countersign.record_agreement(doc, actor, comment))
        if apply is not None:
            details.update(apply(doc))
        source = doc.stage
        if target.value != source:  # an agreement that leaves others to agree does not move it
            doc.stage = target.value
            doc.stage_entered_at = doc.updated_at = utcnow()  # every move is an update the lists show
        db.session.flush()  # UPDATE … WHERE version = ?: raises if someone moved it first
        audit.record(action.value, actor, doc, from_stage=source, to_stage=target.value,
                     comment=comment, details=details)
    return doc


def _actor_department(actor: User) -> dict:
    """The department the actor decided for, as it was named then (the 处理单 shows it)."""
    dept = actor.department
    return {"department_id": dept.id, "department": dept.name} if dept is not None else {}


def _refuse_if_not_allowed(doc: Document, actor: User, action: Action):
    try:
        return check_move(doc.facts(), actor.facts(), action)
    except MoveRefused as exc:
        raise Forbidden(str(exc)) from exc


def _propose(doc: Document, actor: User, action: Action, proposed: str, reason: str, details: dict) -> None:
    """R4: the office may propose another attribute, with a reason, when it returns."""
    if not may_propose(doc.facts(), actor.facts(), action):
        raise Invalid("只有公开审查员退文时可以建议其他公开属性。")
    if proposed not in {d.value for d in Disclosure}:
        raise Invalid("建议的公开属性无效。")
    if proposed == doc.disclosure:
        raise Invalid("建议的公开属性与现有属性相同。")
    if not reason.strip():
        raise Invalid("建议其他公开属性须写明理由。")
    doc.proposed_disclosure = proposed
    doc.proposal_reason = reason.strip()
    details.update({"proposed_disclosure": proposed, "proposal_reason": reason.strip()})


def submit_for_review(document_id: int, drafter: User, expected_version: int, comment: str = "") -> Document:
    return move(document_id, drafter, Action.SUBMIT, expected_version, comment)

