"""The chain's rules, read straight off workflow.py (pure, no database)."""

import pytest

from webapp.workflow import (
    COMMENT_REQUIRED,
    MOVE_LABELS,
    MOVES,
    STAGES,
    Action,
    ActorFacts,
    DocumentFacts,
    MoveRefused,
    Role,
    Stage,
    allowed_actions,
    check_move,
    move_label,
    queue_stages_for,
    required_stages,
    target_of,
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


EVERY_ROLE = ActorFacts(8, frozenset(Role))  # holds every role, drafted nothing


def test_after_signing_no_review_decision_applies_only_the_offices_issue():
    """签发 closes the review: whoever acts, even someone holding every role, the only move
    left is 印发 (and a leader, who may not issue, has none)."""
    assert allowed_actions(doc(Stage.APPROVED), EVERY_ROLE) == [Action.ISSUE]
    for action in (Action.SUBMIT, Action.APPROVE, Action.RETURN, Action.REFER_TO_SECRECY, Action.CONFIRM_DEID):
        with pytest.raises(MoveRefused, match="不能执行"):
            check_move(doc(Stage.APPROVED), EVERY_ROLE, action)
    assert allowed_actions(doc(Stage.APPROVED), LEADER) == []


def test_filed_documents_take_only_the_yearly_review_move_and_only_from_their_drafter():
    """R10: a filed document leaves the archive only when the yearly self-review changed it to
    主动公开 and its drafter confirmed (services/self_review.py makes the move)."""
    assert allowed_actions(doc(Stage.FILED), EVERY_ROLE) == []
    assert allowed_actions(doc(Stage.FILED, drafter=EVERY_ROLE.user_id), EVERY_ROLE) == [Action.OPEN_AFTER_REVIEW]
    assert check_move(doc(Stage.FILED, drafter=EVERY_ROLE.user_id), EVERY_ROLE, Action.OPEN_AFTER_REVIEW) \
        == Stage.DEID_REVIEW


def test_publication_moves_belong_to_a_publisher_who_did_not_draft_the_document():
    """ready → published → withdrawn → published (issue 8); 撤回 must say why."""
    publisher = ActorFacts(50, frozenset({Role.PUBLISHER}))
    office = ActorFacts(51, frozenset({Role.OFFICE, Role.LEADER}))
    for stage, actions, target in ((Stage.READY, [Action.PUBLISH], Stage.PUBLISHED),
                                   (Stage.PUBLISHED, [Action.WITHDRAW], Stage.WITHDRAWN),
                                   (Stage.WITHDRAWN, [Action.REPUBLISH, Action.CORRECT], Stage.PUBLISHED),
                                   (Stage.CORRECTION, [Action.CONFIRM_DEID], Stage.WITHDRAWN)):
        assert allowed_actions(doc(stage), publisher) == actions
        assert check_move(doc(stage), publisher, actions[0]) is target
        assert allowed_actions(doc(stage), office) == []
        assert allowed_actions(doc(stage, drafter=EVERY_ROLE.user_id), EVERY_ROLE) == []
    assert Action.WITHDRAW in COMMENT_REQUIRED and Action.PUBLISH not in COMMENT_REQUIRED


def test_a_withdrawn_documents_public_copy_is_corrected_before_it_is_republished():
    """withdrawn → 更正公开版 (the de-identification review open again) → withdrawn → republished;
    the correction says what is corrected."""
    publisher = ActorFacts(50, frozenset({Role.PUBLISHER}))
    assert check_move(doc(Stage.WITHDRAWN), publisher, Action.CORRECT) is Stage.CORRECTION
    assert check_move(doc(Stage.CORRECTION), publisher, Action.CONFIRM_DEID) is Stage.WITHDRAWN
    assert Action.CORRECT in COMMENT_REQUIRED
    with pytest.raises(MoveRefused):
        check_move(doc(Stage.CORRECTION), publisher, Action.REPUBLISH)  # not before the correction is confirmed
    assert move_label(Stage.CORRECTION, Action.CONFIRM_DEID) == "确认更正"


def test_every_move_leads_to_a_described_stage_and_every_stage_is_reachable():
    """Each move, whatever the document's facts (secrecy flag, attribute), resolves to a
    stage the chain describes; and every stage can be reached from a draft."""
    reached = {Stage.DRAFT}
    for (stage, action) in MOVES:
        for flagged in (False, True):
            for attribute in ("public", "on_request", "not_public", None):
                for dept_check in (False, True):
                    for countersign, agreed in ((frozenset(), frozenset()), (frozenset({5, 6}), frozenset()),
                                                (frozenset({5, 6}), frozenset({5}))):
                        facts = DocumentFacts(stage, 1, flagged, attribute, department_id=4, dept_check=dept_check,
                                              countersign=countersign, agreed=agreed)
                        for actor in (None, ActorFacts(7, frozenset({Role.DEPT_HEAD}), 6)):
                            target = target_of(facts, action, actor)
                            assert type(target) is Stage and target in STAGES, (stage, action, target)
                            reached.add(target)
    assert reached == set(Stage)


def test_each_move_has_its_own_word_for_its_stage():
    """The leader 签发, the office 审核通过, the secrecy office 保密审查通过 — never one
    generic word for all three (the leader's was shown as "审核通过 → 已签发")."""
    assert set(MOVE_LABELS) == set(MOVES)
    assert move_label(Stage.LEADER_APPROVAL, Action.APPROVE) == "签发"
    assert move_label(Stage.OFFICE_REVIEW, Action.APPROVE) == "审核通过"
    assert move_label(Stage.SECRECY_REVIEW, Action.APPROVE) == "保密审查通过"
    assert move_label("returned", "submit") == "重新提交"
    assert all(label and not label.isascii() for label in MOVE_LABELS.values())


def test_required_stages_in_order():
    assert required_stages(False) == [Stage.OFFICE_REVIEW, Stage.LEADER_APPROVAL]
    assert required_stages(True) == [Stage.SECRECY_REVIEW, Stage.OFFICE_REVIEW, Stage.LEADER_APPROVAL]


def test_queues_follow_roles():
    assert queue_stages_for({Role.OFFICE, Role.LEADER}) == [Stage.OFFICE_REVIEW, Stage.LEADER_APPROVAL]
    assert queue_stages_for({Role.DRAFTER}) == []
