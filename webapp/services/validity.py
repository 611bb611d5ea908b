"""R11: the clean-up (规范性文件清理) of 行政规范性文件.

- `due_list`: the normative documents whose period ends within N days or has ended, with
  filters (what to show, department), for the office and the archivist;
- `decide`: the office's decision on one document — 继续有效 with a new end date, 修订, 废止
  or 失效 — with its reason.  One transaction: the decision row, the document's 有效性 (and
  end date), the audit event and a new push to the portal (version + 1) through the outbox,
  so the portal's page and list show the new 有效性 and its 规范性文件清理结果 lists it.

The rules (default periods, which decision is allowed, what "expiring" means) are in the
pure module webapp/validity.py; this module only reads and writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from .. import clock, outbox
from .. import validity as rules
from ..extensions import db
from ..models import Department, Document, Publication, User, ValidityDecision, utcnow
from ..outbox import messages
from ..workflow import Role, Stage
from . import agency, audit
from .documents import get_document
from .errors import Conflict, Forbidden, Invalid
from .tx import transaction

SHOW = {
    "due": "即将到期和已到期",
    "expiring": "即将到期",
    "lapsed": "已到期待清理",
    "decided": "已作清理结论",
    "all": "全部规范性文件",
}
MAX_ROWS = 500


@dataclass(frozen=True)
class DueRow:
    document: Document
    standing: rules.Standing
    days_left: int | None
    latest: ValidityDecision | None

    @property
    def standing_label(self) -> str:
        return rules.STANDING_LABELS[self.standing]

    @property
    def may_decide(self) -> bool:
        return self.document.stage == Stage.PUBLISHED.value and self.document.validity not in rules.ENDED


def due_list(window_days: int = rules.DEFAULT_WINDOW_DAYS, show: str = "due", department_id: int | None = None,
             today: date | None = None) -> list[DueRow]:
    """Issued normative documents, by end date (soonest first; those without one last)."""
    today = today or clock.agency_today()
    stmt = select(Document).where(Document.is_normative.is_(True), Document.issued_at.is_not(None))
    if department_id is not None:
        stmt = stmt.where(Document.department_id == department_id)
    if show in ("due", "expiring", "lapsed"):
        horizon = today + timedelta(days=window_days) if show != "lapsed" else today - timedelta(days=1)
        stmt = stmt.where(Document.validity == "valid", Document.effective_to.is_not(None),
                          Document.effective_to <= horizon)
        if show == "expiring":
            stmt = stmt.where(Document.effective_to >= today)
    elif show == "decided":
        stmt = stmt.where(Document.id.in_(select(ValidityDecision.document_id)))
    stmt = stmt.order_by(Document.effective_to.is_(None), Document.effective_to, Document.id).limit(MAX_ROWS)
    docs = list(db.session.execute(stmt).scalars())
    latest = _latest_decisions([d.id for d in docs])
    return [DueRow(d, rules.standing(d.validity, d.effective_to, today, window_days),
                   rules.days_left(d.effective_to, today), latest.get(d.id)) for d in docs]


def _latest_decisions(document_ids: list[int]) -> dict[int, ValidityDecision]:
    if not document_ids:
        return {}
    rows = db.session.execute(select(ValidityDecision).where(ValidityDecision.document_id.in_(document_ids))
                              .order_by(ValidityDecision.id)).scalars()
    return {r.document_id: r for r in rows}  # the last one wins


def decisions_of(document_id: int) -> list[ValidityDecision]:
    return list(db.session.execute(select(ValidityDecision).where(ValidityDecision.document_id == document_id)
                                   .order_by(ValidityDecision.id.desc())).scalars())


def departments() -> list[tuple[int, str]]:
    return list(db.session.execute(select(Department.id, Department.name).order_by(Department.name)).all())


def decide(actor: User, document_id: int, expected_version: int, decision: str, reason: str,
           decided_on: date | None, new_effective_to: date | None = None) -> ValidityDecision:
    """Record one clean-up decision and push the document's new 有效性 to the portal."""
    if Role.OFFICE not in actor.roles:
        raise Forbidden("只有公开审查员（办公室）可以作出规范性文件清理结论。")
    reason = (reason or "").strip()
    today = clock.agency_today()
    with transaction():
        doc = get_document(document_id, actor)
        if doc.version != expected_version:
            raise Conflict("该文件在您打开页面后已有变化（可能已作出清理结论），页面已显示最新状态，请核对后重新提交。")
        state = rules.DocumentState(doc.is_normative, doc.stage == Stage.PUBLISHED.value, doc.validity,
                                    doc.effective_from, doc.effective_to)
        problems = rules.decision_problems(state, decision, reason, new_effective_to, decided_on, today)
        if problems:
            raise Invalid("清理结论未记录。", problems)
        rule = rules.DECISIONS[rules.Decision(decision)]
        row = ValidityDecision(document_id=doc.id, decision=rule.decision.value, reason=reason, decided_on=decided_on,
                               previous_validity=doc.validity, previous_effective_to=doc.effective_to,
                               new_effective_to=new_effective_to if rule.needs_new_end else None,
                               decided_by_id=actor.id, decided_at=utcnow())
        db.session.add(row)
        doc.validity = rule.validity
        doc.validity_changed_on = None if rule.validity == "valid" else decided_on
        if rule.needs_new_end:
            doc.effective_to = new_effective_to
        doc.updated_at = utcnow()
        db.session.flush()  # UPDATE … WHERE version = ?: a concurrent change raises Conflict here
        push = _push_validity(doc, actor)
        audit.record(rule.event_kind, actor, doc, from_stage=doc.stage, to_stage=doc.stage, comment=reason,
                     details={"decision": rule.decision.value, "decided_on": decided_on.isoformat(),
                              "validity": {"from": row.previous_validity, "to": doc.validity},
                              "effective_to": {"from": _iso(row.previous_effective_to), "to": _iso(doc.effective_to)},
                              **push})
    return row


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _push_validity(doc: Document, actor: User) -> dict:
    """The published document again, at the next message version, with its new 有效性."""
    pub = db.session.get(Publication, doc.id)
    if pub is None:  # published documents always have one; an inconsistent old row must not crash
        raise Invalid("该文件没有发布记录，清理结论未记录。")
    pub.message_version += 1
    try:
        message = messages.push_message(doc, pub, agency.settings())
    except messages.PayloadError as exc:
        raise Invalid("清理结论未记录：推送内容不符合政府网站接口的要求。", exc.problems) from exc
    row = outbox.enqueue(doc, "push", pub.index_no, pub.message_version, message, actor)
    return {"index_no": pub.index_no, "version": pub.message_version, "outbox": row.id}
