"""The chain as a property: random users with random roles making random moves.

Invariants after every step:
- a document is `approved` only after every required stage approved it, in order,
  since its last submission;
- the leader never sees a document before every 会签 department listed then agreed
  since the last submission (replayed from the audit log: the departments added and
  removed, the agreements, the submissions — not read from the tables the code keeps);
- nobody ever approves (or reviews) a document they drafted;
- every successful move left exactly one audit entry, refused moves none;
- the audit chain verifies.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from tests.conftest import PASSWORD, wipe_database
from tests.helpers import draft_input
from webapp.extensions import db
from webapp.models import AuditEvent, Department, Document, OutboxMessage, Publication, User
from webapp.services import accounts, agency, chain, countersign, deid_review, drafting, issuing, publication
from webapp.services.audit import verify_chain
from webapp.services.errors import Conflict, Forbidden, Invalid
from webapp.workflow import (
    COMMENT_REQUIRED,
    PUBLICATION_ACTIONS,
    Action,
    Role,
    Stage,
    allowed_actions,
    may_change_countersign,
    required_stages,
)

CHAIN_ROLES = [Role.DRAFTER, Role.SECRECY, Role.OFFICE, Role.LEADER, Role.PUBLISHER, Role.DEPT_HEAD]
DEPARTMENTS = ("甲处", "乙处", "丙处")
ACTIONS = {a.value for a in Action}


def perform(doc_id: int, user: User, action: Action, version: int, comment: str) -> None:
    """A move as the application makes it: the moves with a form of their own go through their
    service (issuing, de-identification, publication with its outbox message); the others
    through chain.move."""
    if action is Action.ISSUE:
        code = issuing.active_codes()[0]
        day = issuing.default_written_date(db.session.get(Document, doc_id))
        issuing.issue_document(doc_id, user, version, issuing.IssueInput(code.id, day, day))
    elif action is Action.CONFIRM_DEID:
        deid_review.confirm(doc_id, user, version)
    elif action is Action.PUBLISH:
        publication.publish(doc_id, user, version)
    elif action is Action.WITHDRAW:
        publication.withdraw(doc_id, user, version, comment)
    elif action is Action.REPUBLISH:
        publication.republish(doc_id, user, version)
    else:
        chain.move(doc_id, user, action, version, comment=comment)


def check_countersign(events: list[AuditEvent]) -> None:
    """Replay the 会签 list and the agreements: every entry into the leader's stage happens
    with every listed department having agreed since the last submission."""
    listed: set[int] = set()
    agreed: set[int] = set()
    for e in events:
        d = e.details
        if e.action == "countersign_add":
            listed.add(d["department_id"])
        elif e.action == "countersign_remove":
            listed.discard(d["department_id"])
            agreed.discard(d["department_id"])
        elif e.action == Action.SUBMIT.value:
            agreed = set()
        elif e.action == Action.APPROVE.value and e.from_stage == Stage.COUNTERSIGN.value:
            assert d["countersign_department_id"] in listed, "an unlisted department agreed"
            assert d["countersign_department_id"] not in agreed, "a department agreed twice in one round"
            agreed.add(d["countersign_department_id"])
        if e.to_stage == Stage.LEADER_APPROVAL.value and e.from_stage != Stage.LEADER_APPROVAL.value:
            if e.from_stage == Stage.OFFICE_REVIEW.value:
                assert not listed, "departments were listed but the 会签 was skipped"
            assert listed <= agreed, f"the leader saw it while {listed - agreed} had not agreed"


def check_history(doc: Document, events: list[AuditEvent]) -> None:
    moves = [e for e in events if e.action in ACTIONS]
    for e in moves:
        if e.action != Action.SUBMIT.value:
            assert e.actor_id != doc.drafter_id, "a drafter reviewed their own document"
    check_countersign(events)
    if doc.stage != Stage.APPROVED.value:
        return
    # a 会签 may also end when its last pending department is removed: that event moves it too
    path = [e for e in events if e.action in ACTIONS or (e.action == "countersign_remove"
                                                         and e.from_stage != e.to_stage)]
    last_submit = max(i for i, e in enumerate(path) if e.action == Action.SUBMIT.value)
    since = path[last_submit:]
    for before, after in zip(since, since[1:], strict=False):
        assert after.from_stage == before.to_stage, "moves since submission do not chain"
    assert since[-1].to_stage == Stage.APPROVED.value
    approvals = [Stage(e.from_stage) for e in since if e.action == Action.APPROVE.value]
    approvals = [s for i, s in enumerate(approvals) if i == 0 or approvals[i - 1] is not s]  # 会签: one step
    flagged = any(e.to_stage == Stage.SECRECY_REVIEW.value for e in since)
    needed = required_stages(flagged, dept_check=since[0].to_stage == Stage.DEPT_CHECK.value)
    it = iter(approvals)
    assert all(stage in it for stage in needed), f"approvals {approvals} miss {needed} in order"
    assert approvals[-1] is Stage.LEADER_APPROVAL
    assert approvals[-2] in (Stage.OFFICE_REVIEW, Stage.COUNTERSIGN)


REACHED: list[set[str]] = []


def make_machine(app):
    class ChainMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.ctx = app.app_context()
            self.ctx.push()
            wipe_database()
            self.users: list[int] = []
            self.docs: list[int] = []
            self.expected_events = 0
            self.reached: set[str] = set()
            REACHED.append(self.reached)

        def teardown(self):
            db.session.remove()
            self.ctx.pop()

        def _audit_count(self) -> int:
            return db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()

        @initialize(role_sets=st.lists(st.sets(st.sampled_from(CHAIN_ROLES), min_size=1), min_size=3, max_size=7))
        def people(self, role_sets):
            self.depts = [accounts.save_department(name, None).id for name in DEPARTMENTS]
            issuing.save_code(None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")
            self.expected_events = len(self.depts) + 1
            for i, roles in enumerate(role_sets):
                user, _ = accounts.create_user(f"u{i}", f"用户{i}", PASSWORD, self.depts[i % 3], set(roles))
                self.users.append(user.id)
                self.expected_events += 1
            agency.save_settings(db.session.get(User, self.users[0]), "11410000MB0G6Y810Y", "示范局")
            self.expected_events += 1
            self.publication_moves = 0

        @rule(on=st.booleans())
        def switch_dept_check(self, on):
            """The admin switches 甲处's 核稿 on or off (recorded only when it changes); the other
            departments keep theirs off, so documents also flow where no head may be appointed."""
            which = 0
            dept_id = self.depts[which]
            before = self._audit_count()
            changed = bool(db.session.get(Department, dept_id).requires_dept_check) != on
            accounts.save_department(DEPARTMENTS[which], None, dept_id, requires_dept_check=on)
            self.expected_events += 1 + changed
            assert self._audit_count() - before == 1 + changed

        @rule(who=st.integers(0, 6), which=st.integers(0, 30), dept=st.integers(0, 2), add=st.booleans())
        def change_countersign(self, who, which, dept, add):
            """Someone (entitled or not) adds or removes a 会签 department."""
            if not self.docs:
                return
            user = db.session.get(User, self.users[who % len(self.users)])
            doc_id = self.docs[which % len(self.docs)]
            before = self._audit_count()
            change = countersign.add_department if add else countersign.remove_department
            try:
                change(doc_id, user, self.depts[dept])
            except (Forbidden, Invalid):
                assert self._audit_count() == before
                return
            self.expected_events += 1
            self.reached.add(db.session.get(Document, doc_id).stage)

        @rule(who=st.integers(0, 6), flagged=st.booleans(), complete=st.booleans(),
              listed=st.sets(st.integers(0, 2), max_size=2))
        def write_a_draft(self, who, flagged, complete, listed):
            """A draft, often with 会签 departments listed by its drafter before submitting."""
            user = db.session.get(User, self.users[who % len(self.users)])
            data = draft_input(may_involve_secrets=flagged, disclosure="public" if complete else None)
            try:
                d = drafting.create_draft(user, data)
            except Forbidden:
                assert Role.DRAFTER not in user.roles
                return
            self.docs.append(d.id)
            self.expected_events += 1
            for dept in sorted(self.depts[i] for i in listed):
                if dept != user.department_id:
                    countersign.add_department(d.id, user, dept)
                    self.expected_events += 1

        @rule(data=st.data())
        def entitled_person_lists_a_department(self, data):
            """Someone the chain lets change the 会签 list (drafter before submission, office
            in review or during the 会签) adds a department, or takes one off."""
            if not self.docs:
                return
            db.session.expire_all()
            doc = db.session.get(Document, data.draw(st.sampled_from(self.docs)))
            facts = doc.facts()
            who = [uid for uid in self.users
                   if may_change_countersign(facts, db.session.get(User, uid).facts())]
            candidates = [d for d in self.depts if d != doc.department_id]
            if not who:
                return
            uid, dept = data.draw(st.sampled_from(who)), data.draw(st.sampled_from(candidates))
            listed = dept in facts.countersign
            change = countersign.remove_department if listed and data.draw(st.booleans()) else countersign.add_department
            try:
                change(doc.id, db.session.get(User, uid), dept)
            except Invalid:
                assert change is countersign.add_department and listed  # already listed
                return
            self.expected_events += 1
            self.reached.add(db.session.get(Document, doc.id).stage)

        @rule(who=st.integers(0, 5), which=st.integers(0, 30), action=st.sampled_from(list(Action)),
              stale=st.booleans())
        def make_a_move(self, who, which, action, stale):
            if not self.docs:
                return
            user = db.session.get(User, self.users[who % len(self.users)])
            doc_id = self.docs[which % len(self.docs)]
            db.session.expire_all()
            version = db.session.get(Document, doc_id).version
            before = self._audit_count()
            try:
                perform(doc_id, user, action, version - 1 if stale else version, "意见")
            except Conflict:
                assert stale
            except (Forbidden, Invalid):
                pass
            else:
                assert not stale, "a stale version was accepted"
                self.expected_events += 1
                self.publication_moves += action in PUBLICATION_ACTIONS
            assert self._audit_count() - before in (0, 1)

        @rule(data=st.data())
        def entitled_people_move(self, data):
            """Pick a document and, among all users, someone the chain lets act on it; a few times."""
            if not self.docs:
                return
            doc_id = data.draw(st.sampled_from(self.docs))
            for _ in range(data.draw(st.integers(1, 6))):
                db.session.expire_all()
                doc = db.session.get(Document, doc_id)
                options = [(uid, a) for uid in self.users
                           for a in allowed_actions(doc.facts(), db.session.get(User, uid).facts())]
                if not options:
                    return
                forward = [o for o in options if o[1] in (Action.SUBMIT, Action.APPROVE, Action.ISSUE, Action.CONFIRM_DEID,
                                                          Action.PUBLISH, Action.WITHDRAW, Action.REPUBLISH)]
                uid, action = data.draw(st.sampled_from(forward * 3 + options * 2))
                comment = data.draw(st.sampled_from(["", "同意", "请补充依据"]))
                try:
                    perform(doc.id, db.session.get(User, uid), action, doc.version, comment)
                except Invalid:
                    assert (action in COMMENT_REQUIRED and not comment) or action is Action.SUBMIT
                    continue
                self.expected_events += 1
                self.publication_moves += action in PUBLICATION_ACTIONS
                self.reached.add(db.session.get(Document, doc.id).stage)

        @invariant()
        def one_audit_entry_per_move(self):
            assert self._audit_count() == self.expected_events

        @invariant()
        def histories_respect_the_chain(self):
            db.session.expire_all()
            for doc_id in self.docs:
                doc = db.session.get(Document, doc_id)
                events = list(db.session.execute(
                    select(AuditEvent).where(AuditEvent.document_id == doc_id).order_by(AuditEvent.seq)).scalars())
                check_history(doc, events)

        @invariant()
        def every_publication_move_left_one_outbox_message_and_index_numbers_have_no_gap(self):
            """Issue 8: publish, withdraw and republish each queued exactly one message; published
            and withdrawn documents hold a 索引号, numbered 1, 2, 3 … with no gap; nothing reached
            the portal's queue without the publisher's confirmed public copy (R8)."""
            messages = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
            assert len(messages) == self.publication_moves
            pubs = db.session.execute(select(Publication)).scalars().all()
            assert sorted(p.index_seq for p in pubs) == list(range(1, len(pubs) + 1))
            for p in pubs:
                versions = [m.version for m in messages if m.document_id == p.document_id]
                assert versions == list(range(1, p.message_version + 1))
                doc = db.session.get(Document, p.document_id)
                assert doc.deid_confirmed_at is not None and doc.public_body_html is not None
                assert doc.stage in (Stage.PUBLISHED, Stage.WITHDRAWN)

        @invariant()
        def audit_chain_verifies(self):
            assert verify_chain().ok

    return ChainMachine


@pytest.mark.slow
def test_chain_state_machine(app):
    REACHED.clear()
    run_state_machine_as_test(
        make_machine(app),
        settings=settings(max_examples=30, stateful_step_count=50, deadline=None, derandomize=True,
                          suppress_health_check=list(HealthCheck)),
    )
    reached = set().union(*REACHED)
    assert {Stage.APPROVED.value, Stage.RETURNED.value, Stage.COUNTERSIGN.value, Stage.DEPT_CHECK.value,
            Stage.PUBLISHED.value, Stage.WITHDRAWN.value} <= reached, f"the machine only reached {reached}"


def test_state_machine_reaches_approval(app):
    """The machine's moves can reach `approved` (guards against a vacuous property)."""
    from tests.helpers import act, submitted

    with app.app_context():
        wipe_database()
        d_id = accounts.save_department("甲处", None).id
        drafter, _ = accounts.create_user("d", "d", PASSWORD, d_id, {Role.DRAFTER})
        office, _ = accounts.create_user("o", "o", PASSWORD, d_id, {Role.OFFICE, Role.SECRECY})
        leader, _ = accounts.create_user("l", "l", PASSWORD, d_id, {Role.LEADER})
        doc_id = submitted(drafter.id, may_involve_secrets=True)
        for actor in (office.id, office.id, leader.id):
            act(doc_id, actor, Action.APPROVE)
        doc = db.session.get(Document, doc_id)
        events = list(db.session.execute(select(AuditEvent).where(AuditEvent.document_id == doc_id)
                                         .order_by(AuditEvent.seq)).scalars())
        assert doc.stage == Stage.APPROVED
        check_history(doc, events)
        bad = [e for e in events if not (e.action == "approve" and e.from_stage == "secrecy_review")]
        with pytest.raises(AssertionError):
            check_history(doc, bad)


def test_the_countersign_replay_sees_a_leader_reached_too_early():
    """The 会签 invariant fails on a history where the leader got the document while a listed
    department had not agreed since the last submission (guards against a vacuous check)."""
    from types import SimpleNamespace

    def ev(action, from_stage, to_stage, **details):
        return SimpleNamespace(action=action, from_stage=from_stage, to_stage=to_stage, details=details)

    listed = [ev("countersign_add", "draft", "draft", department_id=1),
              ev("countersign_add", "draft", "draft", department_id=2),
              ev("submit", "draft", "office_review"),
              ev("approve", "office_review", "countersign", department_id=9)]
    agree_1 = ev("approve", "countersign", "countersign", countersign_department_id=1)
    agree_2 = ev("approve", "countersign", "leader_approval", countersign_department_id=2)
    check_countersign([*listed, agree_1, agree_2])
    with pytest.raises(AssertionError, match="leader saw it"):  # 2 never agreed
        check_countersign([*listed, ev("approve", "countersign", "leader_approval", countersign_department_id=1)])
    returned = [ev("return", "countersign", "returned"), ev("submit", "returned", "office_review"),
                ev("approve", "office_review", "countersign")]
    with pytest.raises(AssertionError, match="leader saw it"):  # 1 agreed before the resubmission only
        check_countersign([*listed, agree_1, *returned, agree_2])
    with pytest.raises(AssertionError, match="skipped"):
        check_countersign([*listed[:3], ev("approve", "office_review", "leader_approval")])
    removed = ev("countersign_remove", "countersign", "leader_approval", department_id=2)
    check_countersign([*listed, agree_1, removed])  # the pending one removed: the rest agreed
