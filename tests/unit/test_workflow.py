"""The chain's rules, read straight off workflow.py (pure, no database)."""

import pytest

from webapp.workflow import (
    MOVES,
    Action,
    ActorFacts,
    DocumentFacts,
    MoveRefused,
    Role,
    Stage,
    allowed_actions,
    check_move,
    queue_stages_for,
    required_stages,
)

DRAFTER = ActorFacts(1, frozenset({Role.DRAFTER}))
OFFICE = ActorFacts(2, frozenset({Role.OFFICE}))
SECRECY = ActorFacts(3, frozenset({Role.SECRECY}))
LEADER = ActorFacts(4, frozenset({Role.LEADER}))


def doc(stage: Stage, flagged: bool = False, drafter: int = 1) -> DocumentFacts:
    return DocumentFacts(stage=stage, drafter_id=drafter, may_involve_secrets=flagged)


def test_submission_goes_to_the_office_when_no_secret_is_flagged():
    assert check_move(doc(Stage.DRAFT), DRAFTER, Action.SUBMIT) is Stage.OFFICE_REVIEW


def test_secrecy_office_reviews_first_when_flagged_r3():
    assert check_move(doc(Stage.DRAFT, flagged=True), DRAFTER, Action.SUBMIT) is Stage.SECRECY_REVIEW
    assert check_move(doc(Stage.SECRECY_REVIEW, True), SECRECY, Action.APPROVE) is Stage.OFFICE_REVIEW


def test_office_then_leader_then_approved():
    assert check_move(doc(Stage.OFFICE_REVIEW), OFFICE, Action.APPROVE) is Stage.LEADER_APPROVAL
    assert check_move(doc(Stage.LEADER_APPROVAL), LEADER, Action.APPROVE) is Stage.APPROVED


def test_any_reviewer_may_return_to_the_drafter_r4():
    for stage, actor in ((Stage.SECRECY_REVIEW, SECRECY), (Stage.OFFICE_REVIEW, OFFICE),
                         (Stage.LEADER_APPROVAL, LEADER)):
        assert check_move(doc(stage), actor, Action.RETURN) is Stage.RETURNED


def test_a_returned_document_starts_the_whole_chain_again():
    assert check_move(doc(Stage.RETURNED), DRAFTER, Action.SUBMIT) is Stage.OFFICE_REVIEW
    assert check_move(doc(Stage.RETURNED, flagged=True), DRAFTER, Action.SUBMIT) is Stage.SECRECY_REVIEW


def test_the_office_may_send_a_document_to_the_secrecy_office():
    assert check_move(doc(Stage.OFFICE_REVIEW), OFFICE, Action.REFER_TO_SECRECY) is Stage.SECRECY_REVIEW


def test_nobody_acts_on_a_stage_that_is_not_theirs():
    with pytest.raises(MoveRefused, match="没有相应权限"):
        check_move(doc(Stage.OFFICE_REVIEW), LEADER, Action.APPROVE)
    with pytest.raises(MoveRefused):
        check_move(doc(Stage.LEADER_APPROVAL), OFFICE, Action.APPROVE)


def test_nobody_reviews_or_approves_what_they_drafted():
    both = ActorFacts(1, frozenset({Role.DRAFTER, Role.OFFICE, Role.LEADER}))
    for stage in (Stage.OFFICE_REVIEW, Stage.LEADER_APPROVAL):
        with pytest.raises(MoveRefused, match="自己起草"):
            check_move(doc(stage), both, Action.APPROVE)
    assert allowed_actions(doc(Stage.OFFICE_REVIEW), both) == []


def test_only_the_drafter_submits_their_document():
    colleague = ActorFacts(9, frozenset({Role.DRAFTER}))
    with pytest.raises(MoveRefused, match="起草人"):
        check_move(doc(Stage.DRAFT), colleague, Action.SUBMIT)


def test_approved_is_final_in_this_chain():
    for action in Action:
        with pytest.raises(MoveRefused):
            check_move(doc(Stage.APPROVED), LEADER, action)


def test_every_move_lands_on_a_known_stage():
    for (stage, action), target in MOVES.items():
        assert isinstance(stage, Stage) and isinstance(action, Action)
        assert target is None or isinstance(target, Stage)


def test_required_stages_in_order():
    assert required_stages(False) == [Stage.OFFICE_REVIEW, Stage.LEADER_APPROVAL]
    assert required_stages(True) == [Stage.SECRECY_REVIEW, Stage.OFFICE_REVIEW, Stage.LEADER_APPROVAL]


def test_queues_follow_roles():
    assert queue_stages_for({Role.OFFICE, Role.LEADER}) == [Stage.OFFICE_REVIEW, Stage.LEADER_APPROVAL]
    assert queue_stages_for({Role.DRAFTER}) == []
