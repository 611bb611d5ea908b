"""The review-and-approval chain (DESIGN.md §3) as data.

Pure Python: no Flask, no SQL.  Services ask this module whether a move is
allowed and where it leads; views and templates ask it who must act and what
buttons to show.  Adding a stage or a move means editing the tables below,
nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    DRAFTER = "drafter"
    SECRECY = "secrecy"
    OFFICE = "office"
    LEADER = "leader"
    PUBLISHER = "publisher"
    ARCHIVIST = "archivist"
    ADMIN = "admin"
    # Citizens' applications (R14, issue 9)
    HANDLER = "handler"
    DISCLOSURE_HEAD = "disclosure_head"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.DRAFTER: "起草人",
    Role.SECRECY: "保密审查员",
    Role.OFFICE: "公开审查员",
    Role.LEADER: "签发领导",
    Role.PUBLISHER: "发布员",
    Role.ARCHIVIST: "档案员",
    Role.ADMIN: "管理员",
    # Citizens' applications (R14, issue 9)
    Role.HANDLER: "依申请公开经办人",
    Role.DISCLOSURE_HEAD: "公开工作机构负责人",
}


class Stage(StrEnum):
    DRAFT = "draft"
    SECRECY_REVIEW = "secrecy_review"
    OFFICE_REVIEW = "office_review"
    LEADER_APPROVAL = "leader_approval"
    RETURNED = "returned"
    APPROVED = "approved"
    DEID_REVIEW = "deid_review"
    READY = "ready"
    FILED = "filed"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    CORRECTION = "correction"

    @property
    def label(self) -> str:
        return STAGES[self].label

    @property
    def actor_role(self) -> Role | None:
        return STAGES[self].actor_role

    @property
    def tone(self) -> str:
        return STAGES[self].tone


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REFER_TO_SECRECY = "refer_to_secrecy"
    ISSUE = "issue"
    CONFIRM_DEID = "confirm_deid"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"
    REPUBLISH = "republish"
    CORRECT = "correct"
    # R10 (issue 11): after the yearly self-review, the drafting side confirms the change to 主动公开
    OPEN_AFTER_REVIEW = "open_after_review"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    Action.SUBMIT: "提交审核",
    Action.APPROVE: "审核通过",
    Action.RETURN: "退文",
    Action.REFER_TO_SECRECY: "送保密审查",
    Action.ISSUE: "印发",
    Action.CONFIRM_DEID: "确认去标识化",
    Action.PUBLISH: "发布",
    Action.WITHDRAW: "撤回",
    Action.REPUBLISH: "重新发布",
    Action.CORRECT: "更正公开版",
    Action.OPEN_AFTER_REVIEW: "年度复核转为主动公开",
}


@dataclass(frozen=True)
class StageInfo:
    label: str
    actor_role: Role | None  # None: the drafter who owns the document acts
    waiting_for: str  # "who must act", in words
    tone: str  # css tone for the status badge
    is_review: bool = False  # a reviewer's queue exists for this stage


STAGES: dict[Stage, StageInfo] = {
    Stage.DRAFT: StageInfo("草稿", None, "起草人完善并提交", "neutral"),
    Stage.SECRECY_REVIEW: StageInfo("保密审查", Role.SECRECY, "保密办审查", "info", True),
    Stage.OFFICE_REVIEW: StageInfo("公开属性审查", Role.OFFICE, "办公室审查公开属性与保密", "info", True),
    Stage.LEADER_APPROVAL: StageInfo("待领导签发", Role.LEADER, "领导签发", "warn", True),
    Stage.RETURNED: StageInfo("已退回", None, "起草人修改后重新提交", "danger"),
    Stage.APPROVED: StageInfo("已签发", Role.OFFICE, "办公室编文号并印发", "ok"),
    Stage.DEID_REVIEW: StageInfo("待去标识化", Role.PUBLISHER, "发布员审查个人信息并确认去标识化", "warn"),
    Stage.READY: StageInfo("待发布", Role.PUBLISHER, "发布员推送至政府网站", "info"),
    Stage.FILED: StageInfo("已印发（不主动公开）", None, "依申请公开或不予公开，归档备查", "ok"),
    # Publication (R7, R8): the publisher pushes the public copy through the outbox; a published
    # document may be withdrawn (撤回) with a reason and republished, keeping its 索引号 and URL.
    Stage.PUBLISHED: StageInfo("已发布", Role.PUBLISHER, "已在政府网站公开；如有错误，发布员可撤回", "ok"),
    Stage.WITHDRAWN: StageInfo("已撤回", Role.PUBLISHER, "发布员更正后重新发布", "danger"),
    # A withdrawn document's public copy under correction: the de-identification review is open
    # again (decisions, marks by hand, the engine's new findings); confirming writes the corrected
    # public copy and returns the document to 已撤回, from where it is republished (same 索引号).
    Stage.CORRECTION: StageInfo("更正公开版", Role.PUBLISHER, "发布员更正公开版（去标识化）后重新发布", "warn"),
}

REVIEW_STAGES: tuple[Stage, ...] = tuple(s for s, i in STAGES.items() if i.is_review)

# The moves: (from stage, action) -> to stage.  SUBMIT's target depends on the
# secrecy flag (R3) and is resolved by `target_of`.
MOVES: dict[tuple[Stage, Action], Stage | None] = {
    (Stage.DRAFT, Action.SUBMIT): None,
    (Stage.RETURNED, Action.SUBMIT): None,
    (Stage.SECRECY_REVIEW, Action.APPROVE): Stage.OFFICE_REVIEW,
    (Stage.SECRECY_REVIEW, Action.RETURN): Stage.RETURNED,
    (Stage.OFFICE_REVIEW, Action.APPROVE): Stage.LEADER_APPROVAL,
    (Stage.OFFICE_REVIEW, Action.RETURN): Stage.RETURNED,
    (Stage.OFFICE_REVIEW, Action.REFER_TO_SECRECY): Stage.SECRECY_REVIEW,
    (Stage.LEADER_APPROVAL, Action.APPROVE): Stage.APPROVED,
    (Stage.LEADER_APPROVAL, Action.RETURN): Stage.RETURNED,
    (Stage.APPROVED, Action.ISSUE): None,  # 主动公开 → de-identification; otherwise filed
    (Stage.DEID_REVIEW, Action.CONFIRM_DEID): Stage.READY,
    (Stage.READY, Action.PUBLISH): Stage.PUBLISHED,
    (Stage.PUBLISHED, Action.WITHDRAW): Stage.WITHDRAWN,
    (Stage.WITHDRAWN, Action.REPUBLISH): Stage.PUBLISHED,
    (Stage.WITHDRAWN, Action.CORRECT): Stage.CORRECTION,
    (Stage.CORRECTION, Action.CONFIRM_DEID): Stage.WITHDRAWN,
    # R10: a filed 依申请公开/不予公开 document changed to 主动公开 by the yearly self-review goes on to
    # de-identification and publication like any other (services/self_review.py makes this move).
    (Stage.FILED, Action.OPEN_AFTER_REVIEW): Stage.DEID_REVIEW,
}

# The word for each move, per stage: what its button says, what the flash after it says
# ("已签发"), what the timeline and the audit record show.  The leader 签发; the office and
# the secrecy office pass a review each in their own words.  Every move has exactly one.
MOVE_LABELS: dict[tuple[Stage, Action], str] = {
    (Stage.DRAFT, Action.SUBMIT): "提交审核",
    (Stage.RETURNED, Action.SUBMIT): "重新提交",
    (Stage.SECRECY_REVIEW, Action.APPROVE): "保密审查通过",
    (Stage.SECRECY_REVIEW, Action.RETURN): "退文",
    (Stage.OFFICE_REVIEW, Action.APPROVE): "审核通过",
    (Stage.OFFICE_REVIEW, Action.RETURN): "退文",
    (Stage.OFFICE_REVIEW, Action.REFER_TO_SECRECY): "送保密审查",
    (Stage.LEADER_APPROVAL, Action.APPROVE): "签发",
    (Stage.LEADER_APPROVAL, Action.RETURN): "退文",
    (Stage.APPROVED, Action.ISSUE): "印发",
    (Stage.DEID_REVIEW, Action.CONFIRM_DEID): "确认去标识化",
    (Stage.READY, Action.PUBLISH): "发布",
    (Stage.PUBLISHED, Action.WITHDRAW): "撤回",
    (Stage.WITHDRAWN, Action.REPUBLISH): "重新发布",
    (Stage.WITHDRAWN, Action.CORRECT): "更正公开版",
    (Stage.CORRECTION, Action.CONFIRM_DEID): "确认更正",
    (Stage.FILED, Action.OPEN_AFTER_REVIEW): "确认转为主动公开",
}


def move_label(stage: Stage | str, action: Action | str) -> str:
    """The word for this move at this stage (签发 for the leader's approval); the action's
    general word when the stage has no such move."""
    action = Action(action)
    try:
        return MOVE_LABELS.get((Stage(stage), action), action.label)
    except ValueError:  # a stage name this version does not know (an old audit record)
        return action.label


# Moves made through their own form (dates, numbers), not the review decision form.
FORM_ACTIONS = {Action.SUBMIT, Action.ISSUE, Action.CONFIRM_DEID, Action.PUBLISH, Action.WITHDRAW,
                Action.REPUBLISH, Action.CORRECT, Action.OPEN_AFTER_REVIEW}
# Moves that need a written comment (退文 must say why; R4; 撤回 records its reason).
COMMENT_REQUIRED = {Action.RETURN, Action.REFER_TO_SECRECY, Action.WITHDRAW, Action.CORRECT}
# Moves that send something to the public portal (through the outbox, services/publication.py).
PUBLICATION_ACTIONS = {Action.PUBLISH, Action.WITHDRAW, Action.REPUBLISH}
# Where another disclosure attribute may be proposed (R4): the office, when it returns.
PROPOSALS: dict[tuple[Stage, Action], Role] = {(Stage.OFFICE_REVIEW, Action.RETURN): Role.OFFICE}
# Stages where the drafter may still edit the document.
EDITABLE_STAGES = {Stage.DRAFT, Stage.RETURNED}


@dataclass(frozen=True)
class DocumentFacts:
    stage: Stage
    drafter_id: int
    may_involve_secrets: bool
    disclosure: str | None = None


@dataclass(frozen=True)
class ActorFacts:
    user_id: int
    roles: frozenset[Role]


class MoveRefused(Exception):
    """A move the chain does not allow; the message is shown to the user."""


def target_of(doc: DocumentFacts, action: Action) -> Stage:
    if (doc.stage, action) not in MOVES:
        raise MoveRefused(f"文件处于“{doc.stage.label}”阶段，不能执行“{action.label}”。")
    target = MOVES[(doc.stage, action)]
    if target is None and action is Action.SUBMIT:  # secrecy office first when flagged (R3)
        target = Stage.SECRECY_REVIEW if doc.may_involve_secrets else Stage.OFFICE_REVIEW
    elif target is None and action is Action.ISSUE:  # only 主动公开 goes on to publication (R8)
        target = Stage.DEID_REVIEW if doc.disclosure == "public" else Stage.FILED
    assert target is not None
    return target


def check_move(doc: DocumentFacts, actor: ActorFacts, action: Action) -> Stage:
    """Return the stage the move leads to, or raise MoveRefused saying why not."""
    target = target_of(doc, action)
    role = doc.stage.actor_role
    if role is None:
        if actor.user_id != doc.drafter_id:
            raise MoveRefused("只有文件的起草人可以提交该文件。")
        if Role.DRAFTER not in actor.roles:
            raise MoveRefused("您没有起草人权限。")
        return target
    if role not in actor.roles:
        raise MoveRefused(f"该文件正待{STAGES[doc.stage].waiting_for}，您没有相应权限。")
    if actor.user_id == doc.drafter_id:
        raise MoveRefused("不能审核或签发自己起草的文件。")
    return target


def may_propose(doc: DocumentFacts, actor: ActorFacts, action: Action) -> bool:
    """May this actor propose another disclosure attribute with this move?"""
    role = PROPOSALS.get((doc.stage, action))
    return role is not None and role in actor.roles


def allowed_actions(doc: DocumentFacts, actor: ActorFacts) -> list[Action]:
    """The actions this actor may take now, in the order buttons are shown."""
    result = []
    for (stage, action) in MOVES:
        if stage is doc.stage:
            try:
                check_move(doc, actor, action)
            except MoveRefused:
                continue
            result.append(action)
    return result


def required_stages(may_involve_secrets: bool) -> list[Stage]:
    """The review stages a submission must pass, in order (R3)."""
    stages = [Stage.OFFICE_REVIEW, Stage.LEADER_APPROVAL]
    return [Stage.SECRECY_REVIEW, *stages] if may_involve_secrets else stages


def queue_stages_for(roles: Iterable[Role]) -> list[Stage]:
    """The review queues a user with these roles works from."""
    roles = set(roles)
    return [s for s in REVIEW_STAGES if STAGES[s].actor_role in roles]


def work_queue_stages_for(roles: Iterable[Role]) -> list[Stage]:
    """Stages after approval where this user's role acts (印发, 去标识化, 发布)."""
    roles = set(roles)
    return [s for s in (Stage.APPROVED, Stage.DEID_REVIEW, Stage.READY) if STAGES[s].actor_role in roles]
