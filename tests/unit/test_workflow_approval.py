"""核稿, 会签 (the parallel stage) and the secrecy office's conclusion, read off workflow.py
(pure, no database)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.workflow import (
    COMMENT_REQUIRED,
    PARALLEL,
    STAGES,
    Action,
    ActorFacts,
    DocumentFacts,
    MoveRefused,
    Role,
    Stage,
    after_countersign_change,
    allowed_actions,
    check_countersign_change,
    check_move,
    default_opinion,
    move_label,
    queue_stages_for,
    required_stages,
)

DRAFTING_DEPT, FINANCE, LEGAL, PERSONNEL = 10, 20, 30, 40
DRAFTER = ActorFacts(1, frozenset({Role.DRAFTER}), DRAFTING_DEPT)
HEAD_OWN = ActorFacts(2, frozenset({Role.DEPT_HEAD}), DRAFTING_DEPT)
HEAD_FINANCE = ActorFacts(3, frozenset({Role.DEPT_HEAD}), FINANCE)
HEAD_LEGAL = ActorFacts(4, frozenset({Role.DEPT_HEAD}), LEGAL)
HEAD_PERSONNEL = ActorFacts(5, frozenset({Role.DEPT_HEAD}), PERSONNEL)
OFFICE = ActorFacts(6, frozenset({Role.OFFICE}), 99)
LEADER = ActorFacts(7, frozenset({Role.LEADER}), 99)
SECRECY = ActorFacts(8, frozenset({Role.SECRECY}), 98)


def doc(stage: Stage, *, flagged=False, dept_check=False, countersign=(), agreed=()) -> DocumentFacts:
    return DocumentFacts(stage, DRAFTER.user_id, flagged, "public", department_id=DRAFTING_DEPT,
                         dept_check=dept_check, countersign=frozenset(countersign), agreed=frozenset(agreed))


# --------------------------------------------------------------------------- 核稿

def test_a_department_with_its_check_switched_on_sends_submissions_to_its_head_first():
    assert check_move(doc(Stage.DRAFT, dept_check=True), DRAFTER, Action.SUBMIT) is Stage.DEPT_CHECK
    assert check_move(doc(Stage.RETURNED, dept_check=True), DRAFTER, Action.SUBMIT) is Stage.DEPT_CHECK
    assert check_move(doc(Stage.DRAFT), DRAFTER, Action.SUBMIT) is Stage.OFFICE_REVIEW


def test_after_the_check_the_secrecy_office_when_flagged_then_the_office():
    assert check_move(doc(Stage.DEPT_CHECK, dept_check=True), HEAD_OWN, Action.APPROVE) is Stage.OFFICE_REVIEW
    flagged = doc(Stage.DEPT_CHECK, dept_check=True, flagged=True)
    assert check_move(flagged, HEAD_OWN, Action.APPROVE) is Stage.SECRECY_REVIEW
    assert check_move(doc(Stage.DEPT_CHECK), HEAD_OWN, Action.REFER_TO_SECRECY) is Stage.SECRECY_REVIEW
    assert check_move(doc(Stage.DEPT_CHECK), HEAD_OWN, Action.RETURN) is Stage.RETURNED


def test_only_the_drafting_departments_head_checks():
    with pytest.raises(MoveRefused, match="起草处室的处室负责人"):
        check_move(doc(Stage.DEPT_CHECK), HEAD_FINANCE, Action.APPROVE)
    with pytest.raises(MoveRefused, match="没有相应权限"):
        check_move(doc(Stage.DEPT_CHECK), OFFICE, Action.APPROVE)
    head_who_drafted = ActorFacts(DRAFTER.user_id, frozenset({Role.DRAFTER, Role.DEPT_HEAD}), DRAFTING_DEPT)
    with pytest.raises(MoveRefused, match="自己起草"):
        check_move(doc(Stage.DEPT_CHECK), head_who_drafted, Action.APPROVE)


# --------------------------------------------------------------------------- 会签

def test_the_office_sends_to_countersign_only_when_departments_are_listed():
    assert check_move(doc(Stage.OFFICE_REVIEW), OFFICE, Action.APPROVE) is Stage.LEADER_APPROVAL
    listed = doc(Stage.OFFICE_REVIEW, countersign={FINANCE, LEGAL})
    assert check_move(listed, OFFICE, Action.APPROVE) is Stage.COUNTERSIGN


def test_countersign_waits_for_every_department_and_the_last_agreement_goes_to_the_leader():
    d = doc(Stage.COUNTERSIGN, countersign={FINANCE, LEGAL, PERSONNEL})
    assert check_move(d, HEAD_FINANCE, Action.APPROVE) is Stage.COUNTERSIGN
    d = replace(d, agreed=frozenset({FINANCE}))
    assert check_move(d, HEAD_LEGAL, Action.APPROVE) is Stage.COUNTERSIGN
    d = replace(d, agreed=frozenset({FINANCE, LEGAL}))
    assert check_move(d, HEAD_PERSONNEL, Action.APPROVE) is Stage.LEADER_APPROVAL


def test_departments_act_in_parallel_in_any_order():
    d = doc(Stage.COUNTERSIGN, countersign={FINANCE, LEGAL})
    assert set(queue_stages_for(HEAD_FINANCE.roles)) == {Stage.DEPT_CHECK, Stage.COUNTERSIGN}
    for first, second in ((HEAD_FINANCE, HEAD_LEGAL), (HEAD_LEGAL, HEAD_FINANCE)):
        assert allowed_actions(d, first) == [Action.APPROVE, Action.RETURN]
        assert allowed_actions(d, second) == [Action.APPROVE, Action.RETURN]
        after = replace(d, agreed=frozenset({first.department_id}))
        assert allowed_actions(after, first) == []  # agreed: nothing more to do
        assert check_move(after, second, Action.APPROVE) is Stage.LEADER_APPROVAL


def test_any_countersign_department_may_return_even_after_others_agreed():
    d = doc(Stage.COUNTERSIGN, countersign={FINANCE, LEGAL}, agreed={FINANCE})
    assert check_move(d, HEAD_LEGAL, Action.RETURN) is Stage.RETURNED
    assert Action.RETURN in COMMENT_REQUIRED


def test_only_listed_departments_that_have_not_agreed_act_in_countersign():
    d = doc(Stage.COUNTERSIGN, countersign={FINANCE, LEGAL}, agreed={FINANCE})
    with pytest.raises(MoveRefused, match="已会签同意"):
        check_move(d, HEAD_FINANCE, Action.APPROVE)
    with pytest.raises(MoveRefused, match="不是该文件的会签处室"):
        check_move(d, HEAD_PERSONNEL, Action.APPROVE)
    for outsider in (OFFICE, LEADER, SECRECY, DRAFTER):
        assert allowed_actions(d, outsider) == []
    # the leader never acts while the 会签 is open
    with pytest.raises(MoveRefused):
        check_move(d, LEADER, Action.APPROVE)


def test_a_resubmission_starts_countersign_again():
    """Agreements count since the last submission: the service keeps them per submission,
    so a resubmitted document carries none, and every department must agree again."""
    d = doc(Stage.RETURNED, countersign={FINANCE, LEGAL}, agreed={FINANCE, LEGAL})
    assert check_move(d, DRAFTER, Action.SUBMIT) is Stage.OFFICE_REVIEW
    fresh = replace(d, stage=Stage.COUNTERSIGN, agreed=frozenset())
    assert check_move(fresh, HEAD_FINANCE, Action.APPROVE) is Stage.COUNTERSIGN


def test_countersign_is_declared_parallel_and_routes_to_the_leader():
    assert set(PARALLEL) == {Stage.COUNTERSIGN}
    assert PARALLEL[Stage.COUNTERSIGN].done is Stage.LEADER_APPROVAL
    assert STAGES[Stage.COUNTERSIGN].scope == "countersign"
    assert move_label(Stage.COUNTERSIGN, Action.APPROVE) == "会签同意"


def test_who_may_change_the_list_of_countersign_departments():
    for stage in (Stage.DRAFT, Stage.RETURNED):
        check_countersign_change(doc(stage), DRAFTER, FINANCE)
        with pytest.raises(MoveRefused):
            check_countersign_change(doc(stage), OFFICE, FINANCE)
    for stage in (Stage.OFFICE_REVIEW, Stage.COUNTERSIGN):
        check_countersign_change(doc(stage), OFFICE, FINANCE)
        with pytest.raises(MoveRefused):
            check_countersign_change(doc(stage), DRAFTER, FINANCE)
    for stage in (Stage.LEADER_APPROVAL, Stage.APPROVED, Stage.DEPT_CHECK):
        with pytest.raises(MoveRefused, match="不能调整会签处室"):
            check_countersign_change(doc(stage), OFFICE, FINANCE)
    with pytest.raises(MoveRefused, match="不必列为会签处室"):
        check_countersign_change(doc(Stage.DRAFT), DRAFTER, DRAFTING_DEPT)


def test_removing_the_last_pending_department_ends_the_countersign():
    d = doc(Stage.COUNTERSIGN, countersign={FINANCE}, agreed={FINANCE})  # LEGAL just removed
    assert after_countersign_change(d) is Stage.LEADER_APPROVAL
    assert after_countersign_change(doc(Stage.COUNTERSIGN)) is Stage.LEADER_APPROVAL  # none left
    added = doc(Stage.COUNTERSIGN, countersign={FINANCE, PERSONNEL}, agreed={FINANCE})
    assert after_countersign_change(added) is Stage.COUNTERSIGN
    assert after_countersign_change(doc(Stage.OFFICE_REVIEW, countersign={FINANCE})) is Stage.OFFICE_REVIEW


def test_required_stages_follow_the_forward_path():
    assert required_stages(True, dept_check=True, countersign=True) == [
        Stage.DEPT_CHECK, Stage.SECRECY_REVIEW, Stage.OFFICE_REVIEW, Stage.COUNTERSIGN, Stage.LEADER_APPROVAL]
    assert required_stages(False, countersign=True) == [Stage.OFFICE_REVIEW, Stage.COUNTERSIGN,
                                                        Stage.LEADER_APPROVAL]


# --------------------------------------------------------------------------- secrecy, opinions

def test_the_secrecy_office_may_conclude_state_secret_and_nothing_moves_after():
    assert check_move(doc(Stage.SECRECY_REVIEW), SECRECY, Action.CLASSIFY) is Stage.CLASSIFIED
    assert Action.CLASSIFY in COMMENT_REQUIRED
    with pytest.raises(MoveRefused):
        check_move(doc(Stage.OFFICE_REVIEW), OFFICE, Action.CLASSIFY)
    every_role = ActorFacts(DRAFTER.user_id, frozenset(Role), DRAFTING_DEPT)
    assert allowed_actions(doc(Stage.CLASSIFIED), every_role) == []


def test_default_opinions_depend_on_the_step_and_where_it_leads():
    assert default_opinion(doc(Stage.OFFICE_REVIEW), Action.APPROVE) == "拟同意，请领导签发。"
    assert default_opinion(doc(Stage.OFFICE_REVIEW, countersign={FINANCE}), Action.APPROVE) == "拟同意，请有关处室会签。"
    assert default_opinion(doc(Stage.LEADER_APPROVAL), Action.APPROVE) == "同意。"
    assert default_opinion(doc(Stage.COUNTERSIGN, countersign={FINANCE}), Action.APPROVE, HEAD_FINANCE) == "同意。"
    assert default_opinion(doc(Stage.LEADER_APPROVAL), Action.RETURN) == ""  # a return says why, always


# --------------------------------------------------------------------------- a property

EVENTS = st.lists(st.tuples(st.sampled_from(["agree", "return", "add", "remove", "resubmit"]),
                            st.sampled_from([FINANCE, LEGAL, PERSONNEL])), max_size=40)
HEADS = {h.department_id: h for h in (HEAD_FINANCE, HEAD_LEGAL, HEAD_PERSONNEL)}


@given(start=st.sets(st.sampled_from([FINANCE, LEGAL, PERSONNEL]), min_size=1), events=EVENTS)
def test_the_leader_is_reached_only_when_every_listed_department_agreed(start, events):
    """Random agreements, returns, list changes and resubmissions over the pure rules: the
    document reaches the leader only from a state where every listed department agreed."""
    d = doc(Stage.COUNTERSIGN, countersign=start)
    for kind, dept in events:
        if d.stage is Stage.LEADER_APPROVAL:
            assert d.countersign <= d.agreed or not d.countersign
            return
        if kind == "resubmit" and d.stage is Stage.RETURNED:
            d = replace(d, stage=Stage.COUNTERSIGN, agreed=frozenset())
        elif kind in ("agree", "return") and d.stage is Stage.COUNTERSIGN:
            action = Action.APPROVE if kind == "agree" else Action.RETURN
            try:
                target = check_move(d, HEADS[dept], action)
            except MoveRefused:
                assert dept not in d.countersign or dept in d.agreed
                continue
            agreed = d.agreed | {dept} if action is Action.APPROVE else d.agreed
            if target is Stage.LEADER_APPROVAL:
                assert d.countersign <= agreed
            d = replace(d, stage=target, agreed=agreed)
        elif kind in ("add", "remove") and d.stage is Stage.COUNTERSIGN:
            listed = d.countersign | {dept} if kind == "add" else d.countersign - {dept}
            d = replace(d, countersign=listed, agreed=d.agreed & listed)
            d = replace(d, stage=after_countersign_change(d))
            if d.stage is Stage.LEADER_APPROVAL:
                assert d.countersign <= d.agreed
