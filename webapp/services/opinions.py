"""Opinions (意见): each user's saved phrases, the OA 处理单 of a document and its 发文稿纸.

The opinions themselves are the audit log's comments on the chain's moves (the move's
actor, department and time): one record, hash-chained, that the document page, the
处理单 and the 发文稿纸 all read.  Nothing here changes a document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from .. import clock
from ..disclosure import Disclosure
from ..docgen.processing_sheet import ProcessingSheet, SheetOpinion, build_processing_sheet_docx
from ..extensions import db
from ..models import Document, IssuingCode, OpinionPhrase, User
from ..urgency import urgency_label
from ..workflow import (
    DEFAULT_OPINIONS,
    OPINION_STEPS,
    Action,
    Stage,
    default_opinion,
    move_label,
)
from . import audit
from .errors import Invalid, NotFound
from .secrecy import CLASSIFIED_NOTICE
from .tx import transaction

MAX_PHRASE = 200
MAX_PHRASES = 30
CHAIN_ACTIONS = frozenset(a.value for a in Action)


# --------------------------------------------------------------------------- personal phrases

def phrases_of(user: User) -> list[OpinionPhrase]:
    return list(db.session.execute(
        select(OpinionPhrase).where(OpinionPhrase.user_id == user.id).order_by(OpinionPhrase.id)).scalars())


def save_phrase(user: User, text: str) -> OpinionPhrase:
    text = " ".join((text or "").split())
    if not text:
        raise Invalid("常用意见不能为空。")
    if len(text) > MAX_PHRASE:
        raise Invalid(f"常用意见不能超过 {MAX_PHRASE} 字。")
    with transaction():
        mine = phrases_of(user)
        if any(p.text == text for p in mine):
            raise Invalid("已有相同的常用意见。")
        if len(mine) >= MAX_PHRASES:
            raise Invalid(f"常用意见最多保存 {MAX_PHRASES} 条，请先删除不用的。")
        phrase = OpinionPhrase(user_id=user.id, text=text)
        db.session.add(phrase)
        db.session.flush()
        audit.record("save_phrase", user, details={"phrase": text})
    return phrase


def delete_phrase(user: User, phrase_id: int) -> None:
    with transaction():
        phrase = db.session.get(OpinionPhrase, phrase_id) if 0 < phrase_id < 2**63 else None
        if phrase is None or phrase.user_id != user.id:  # another user's phrase is not theirs to see
            raise NotFound("常用意见不存在。")
        db.session.delete(phrase)
        audit.record("delete_phrase", user, details={"phrase": phrase.text})


@dataclass(frozen=True)
class OpinionChoices:
    """What the decision form offers: the step's default first, then the user's own phrases."""

    default: str
    phrases: list[str]


def choices_for(doc: Document, user: User) -> OpinionChoices:
    default = default_opinion(doc.facts(), Action.APPROVE, user.facts())
    others = [t for (stage, _), t in DEFAULT_OPINIONS.items() if stage is doc.stage_enum and t != default]
    own = [p.text for p in phrases_of(user)]
    return OpinionChoices(default, list(dict.fromkeys([*others, *own])))


# --------------------------------------------------------------------------- the 处理单

@dataclass(frozen=True)
class OpinionRow:
    step: str
    decision: str
    department: str
    person: str
    opinion: str
    at: datetime  # UTC, as stored
    from_stage: str
    to_stage: str
    action: str
    department_id: int | None

    def local(self) -> SheetOpinion:
        return SheetOpinion(self.step, self.decision, self.department, self.person, self.opinion,
                            clock.to_agency(self.at))


def processing_record(document_id: int) -> list[OpinionRow]:
    """Every decision on the document, in order: step, department, person, opinion, time."""
    rows = []
    for ev in audit.document_timeline(document_id):
        if ev.action not in CHAIN_ACTIONS or not ev.from_stage:
            continue
        try:
            stage = Stage(ev.from_stage)
        except ValueError:
            continue
        if stage not in OPINION_STEPS:
            continue
        d = ev.details
        dept = d.get("department") or (ev.actor.department.name if ev.actor and ev.actor.department else "")
        rows.append(OpinionRow(OPINION_STEPS[stage], move_label(stage, ev.action), dept, ev.actor_name,
                               ev.comment, ev.created_at, ev.from_stage, ev.to_stage or "", ev.action,
                               d.get("department_id")))
    return rows


def _since_last_submission(rows: list[OpinionRow]) -> list[OpinionRow]:
    starts = [i for i, r in enumerate(rows) if r.action == Action.SUBMIT.value]
    return rows[starts[-1]:] if starts else rows


def processing_sheet(doc: Document) -> ProcessingSheet:
    """The 发文稿纸: the last submission's path through the chain, and the whole history."""
    rows = processing_record(doc.id)
    last = _since_last_submission(rows)
    approvals = [r for r in last if r.action == Action.APPROVE.value]

    def at(stage: Stage) -> tuple[SheetOpinion, ...]:
        return tuple(r.local() for r in approvals if r.from_stage == stage.value)

    signing = next((r.local() for r in reversed(approvals) if r.from_stage == Stage.LEADER_APPROVAL.value), None)
    code = doc.issuing_code or db.session.execute(
        select(IssuingCode).where(IssuingCode.active.is_(True)).order_by(IssuingCode.id)).scalars().first()
    listed = {c.department_id for c in doc.countersigns}
    countersign = tuple(r.local() for r in approvals
                        if r.from_stage == Stage.COUNTERSIGN.value and r.department_id in listed)
    return ProcessingSheet(
        agency=code.signer if code else "",
        title=doc.title, doc_type=doc.doc_type, doc_number=doc.doc_number or "",
        urgency=urgency_label(doc.urgency),
        disclosure=Disclosure(doc.disclosure).label if doc.disclosure else "未设置",
        drafting_department=doc.department.name, drafter=doc.drafter.display_name,
        recipients=doc.recipients, cc=doc.cc, copies=doc.print_copies, attachments=tuple(doc.attachments),
        dept_check=at(Stage.DEPT_CHECK), secrecy_review=at(Stage.SECRECY_REVIEW),
        office_review=at(Stage.OFFICE_REVIEW), countersign=countersign, signing=signing,
        history=tuple(r.local() for r in rows), written_date=doc.written_date, print_date=doc.print_date,
        note=CLASSIFIED_NOTICE if doc.stage_enum is Stage.CLASSIFIED else "",
    )


def processing_sheet_docx(doc: Document) -> bytes:
    return build_processing_sheet_docx(processing_sheet(doc))

