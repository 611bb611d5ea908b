"""Moves along the chain, each one transaction with exactly one audit event (R1–R5, R13)."""

import pytest
from sqlalchemy import func, select

from tests.helpers import act, doc, new_draft, submitted, user
from webapp.disclosure import Disclosure
from webapp.extensions import db
from webapp.models import AuditEvent
from webapp.services import chain
from webapp.services.audit import verify_chain
from webapp.services.errors import Conflict, Forbidden, Invalid
from webapp.workflow import Action, Stage


def audit_count() -> int:
    return db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


@pytest.fixture
def ctx(app, chain_cast):
    with app.app_context():
        yield chain_cast


def test_a_public_document_passes_office_and_leader(ctx):
    d = submitted(ctx["drafter"])
    assert doc(d).stage == Stage.OFFICE_REVIEW
    act(d, ctx["office"], Action.APPROVE)
    act(d, ctx["leader"], Action.APPROVE)
    assert doc(d).stage == Stage.APPROVED
    assert [e.action for e in db.session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars()
            if e.document_id == d] == ["create", "submit", "approve", "approve"]
    assert verify_chain().ok


def test_r1_no_attribute_no_submission(ctx):
    d = new_draft(ctx["drafter"], disclosure=None)
    before = audit_count()
    with pytest.raises(Invalid) as exc:
        act(d, ctx["drafter"], Action.SUBMIT)
    assert any("公开属性" in p for p in exc.value.problems)
    assert doc(d).stage == Stage.DRAFT and audit_count() == before


@pytest.mark.parametrize("attribute", [Disclosure.ON_REQUEST.value, Disclosure.NOT_PUBLIC.value])
def test_r2_non_public_needs_reason_and_legal_basis(ctx, attribute):
    d = new_draft(ctx["drafter"], disclosure=attribute)
    with pytest.raises(Invalid) as exc:
        act(d, ctx["drafter"], Action.SUBMIT)
    assert any("理由" in p for p in exc.value.problems)
    assert any("法律依据" in p for p in exc.value.problems)
    d2 = new_draft(ctx["drafter"], disclosure=attribute, disclosure_reason="内部事务信息",
                   legal_basis_codes=["art16"])
    act(d2, ctx["drafter"], Action.SUBMIT)
    assert doc(d2).stage == Stage.OFFICE_REVIEW


def test_r2_reason_alone_is_not_enough(ctx):
    d = new_draft(ctx["drafter"], disclosure=Disclosure.NOT_PUBLIC.value, disclosure_reason="涉及个人隐私")
    with pytest.raises(Invalid) as exc:
        act(d, ctx["drafter"], Action.SUBMIT)
    assert exc.value.problems == ["公开属性为“不予公开”，须选择至少一项法律依据。"]


def test_r5_interpretation_material_travels_with_the_policy(ctx):
    d = new_draft(ctx["drafter"], needs_interpretation=True)
    with pytest.raises(Invalid) as exc:
        act(d, ctx["drafter"], Action.SUBMIT)
    assert any("解读材料" in p for p in exc.value.problems)
    d2 = new_draft(ctx["drafter"], needs_interpretation=True, interpretation_html="<p>一、出台背景</p>")
    act(d2, ctx["drafter"], Action.SUBMIT)
    assert doc(d2).interpretation_html == "<p>一、出台背景</p>"


def test_r3_flagged_document_goes_to_the_secrecy_office_first(ctx):
    d = submitted(ctx["drafter"], may_involve_secrets=True)
    assert doc(d).stage == Stage.SECRECY_REVIEW
    with pytest.raises(Forbidden):
        act(d, ctx["office"], Action.APPROVE)
    act(d, ctx["secrecy"], Action.APPROVE)
    assert doc(d).stage == Stage.OFFICE_REVIEW


def test_r3_the_office_may_flag_a_secret_and_refer_it(ctx):
    d = submitted(ctx["drafter"])
    with pytest.raises(Invalid, match="须填写意见"):
        act(d, ctx["office"], Action.REFER_TO_SECRECY)
    act(d, ctx["office"], Action.REFER_TO_SECRECY, "附件含储备物资点位")
    assert doc(d).stage == Stage.SECRECY_REVIEW and doc(d).may_involve_secrets


def test_r4_return_needs_a_comment_and_restarts_the_chain(ctx):
    d = submitted(ctx["drafter"], may_involve_secrets=True)
    act(d, ctx["secrecy"], Action.APPROVE)
    act(d, ctx["office"], Action.APPROVE)
    with pytest.raises(Invalid):
        act(d, ctx["leader"], Action.RETURN, "")
    act(d, ctx["leader"], Action.RETURN, "请补充经费来源。")
    assert doc(d).stage == Stage.RETURNED
    act(d, ctx["drafter"], Action.SUBMIT)
    assert doc(d).stage == Stage.SECRECY_REVIEW  # the whole chain again


def test_r4_office_proposes_another_attribute_and_the_drafter_accepts(ctx):
    from webapp.services import drafting

    d = submitted(ctx["drafter"], disclosure=Disclosure.NOT_PUBLIC.value, disclosure_reason="内部",
                  legal_basis_codes=["art16"])
    with pytest.raises(Invalid, match="理由"):
        act(d, ctx["office"], Action.RETURN, "属性不当", proposed_disclosure="public")
    act(d, ctx["office"], Action.RETURN, "属性不当", proposed_disclosure="public",
        proposal_reason="属于应主动公开的政策文件")
    assert doc(d).proposed_disclosure == "public"
    drafting.accept_proposal(d, user(ctx["drafter"]), doc(d).version)
    assert doc(d).disclosure == "public" and doc(d).proposed_disclosure is None
    assert doc(d).legal_basis_codes == []
    act(d, ctx["drafter"], Action.SUBMIT)
    assert doc(d).stage == Stage.OFFICE_REVIEW


def test_only_the_office_proposes_and_only_when_returning(ctx):
    d = submitted(ctx["drafter"])
    with pytest.raises(Invalid):
        act(d, ctx["office"], Action.APPROVE, proposed_disclosure="not_public", proposal_reason="x")
    assert doc(d).stage == Stage.OFFICE_REVIEW


def test_a_reviewer_who_drafted_cannot_approve(app, people):
    from webapp.workflow import Role

    with app.app_context():
        both = people.user("both", Role.DRAFTER, Role.OFFICE)
        d = submitted(both)
        with pytest.raises(Forbidden, match="自己起草"):
            act(d, both, Action.APPROVE)
        assert doc(d).stage == Stage.OFFICE_REVIEW


def test_a_stale_version_changes_nothing(ctx):
    d = submitted(ctx["drafter"])
    stale = doc(d).version
    act(d, ctx["office"], Action.APPROVE)
    before = audit_count()
    with pytest.raises(Conflict, match="此文件已被他人处理"):
        chain.move(d, user(ctx["leader"]), Action.RETURN, stale, "旧页面上的退回")
    assert doc(d).stage == Stage.LEADER_APPROVAL and audit_count() == before


def test_editing_is_only_for_the_drafter_while_draft_or_returned(ctx):
    from tests.helpers import draft_input
    from webapp.services import drafting

    d = submitted(ctx["drafter"])
    with pytest.raises(Forbidden):
        drafting.update_draft(d, user(ctx["drafter"]), draft_input(title="改"), doc(d).version)
    d2 = new_draft(ctx["drafter"])
    with pytest.raises(Forbidden):
        drafting.update_draft(d2, user(ctx["colleague"]), draft_input(title="改"), doc(d2).version)
    drafting.update_draft(d2, user(ctx["drafter"]), draft_input(title="改过的标题"), doc(d2).version)
    assert doc(d2).title == "改过的标题"
