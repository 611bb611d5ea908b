"""The review-and-approval chain (DESIGN.md §3) as data.

Pure Python: no Flask, no SQL.  Services ask this module whether a move is
allowed and where it leads; views and templates ask it who must act and what
buttons to show.  Adding a stage or a move means editing the tables below,
nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class Role(StrEnum):
    DRAFTER = "drafter"
    SECRECY = "secrecy"
    OFFICE = "office"
    LEADER = "leader"
    PUBLISHER = "publisher"
    ARCHIVIST = "archivist"
    DEPT_HEAD = "dept_head"
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
    Role.DEPT_HEAD: "处室负责人",
    Role.ADMIN: "管理员",
    # Citizens' applications (R14, issue 9)
    Role.HANDLER: "依申请公开经办人",
    Role.DISCLOSURE_HEAD: "公开工作机构负责人",
}


class Stage(StrEnum):
    DRAFT = "draft"
    DEPT_CHECK = "dept_check"
    SECRECY_REVIEW = "secrecy_review"
    OFFICE_REVIEW = "office_review"
    COUNTERSIGN = "countersign"
    LEADER_APPROVAL = "leader_approval"
    RETURNED = "returned"
    CLASSIFIED = "classified"
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
    # 涉及国家秘密 (issue 10): the secrecy office's conclusion takes the document out of this system
    CLASSIFY = "classify"

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
    Action.CLASSIFY: "认定涉及国家秘密",
}


# Which holders of the stage's role may act on a given document:
# "all" — any of them; "own_department" — only those in the document's department (核稿);
# "countersign" — those of a 会签 department that has not yet agreed since the last
# submission (a parallel stage: see PARALLEL below).
Scope = Literal["all", "own_department", "countersign"]


@dataclass(frozen=True)
class StageInfo:
    label: str
    actor_role: Role | None  # None: the drafter who owns the document acts
    waiting_for: str  # "who must act", in words
    tone: str  # css tone for the status badge
    is_review: bool = False  # a reviewer's queue exists for this stage
    scope: Scope = "all"


STAGES: dict[Stage, StageInfo] = {
    Stage.DRAFT: StageInfo("草稿", None, "起草人完善并提交", "neutral"),
    Stage.DEPT_CHECK: StageInfo("处室核稿", Role.DEPT_HEAD, "本处室负责人核稿", "info", True, "own_department"),
    Stage.SECRECY_REVIEW: StageInfo("保密审查", Role.SECRECY, "保密办审查", "info", True),
    Stage.OFFICE_REVIEW: StageInfo("公开属性审查", Role.OFFICE, "办公室审查公开属性与保密", "info", True),
    Stage.COUNTERSIGN: StageInfo("会签", Role.DEPT_HEAD, "各会签处室负责人会签", "info", True, "countersign"),
    Stage.LEADER_APPROVAL: StageInfo("待领导签发", Role.LEADER, "领导签发", "warn", True),
    Stage.RETURNED: StageInfo("已退回", None, "起草人修改后重新提交", "danger"),
    Stage.CLASSIFIED: StageInfo("涉密，已移出本系统", None, "起草人在涉密信息系统中办理", "danger"),
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
    (Stage.DEPT_CHECK, Action.APPROVE): None,  # the next stage on FORWARD_PATH that applies
    (Stage.DEPT_CHECK, Action.RETURN): Stage.RETURNED,
    (Stage.DEPT_CHECK, Action.REFER_TO_SECRECY): Stage.SECRECY_REVIEW,
    (Stage.SECRECY_REVIEW, Action.APPROVE): Stage.OFFICE_REVIEW,
    (Stage.SECRECY_REVIEW, Action.RETURN): Stage.RETURNED,
    (Stage.SECRECY_REVIEW, Action.CLASSIFY): Stage.CLASSIFIED,
    (Stage.OFFICE_REVIEW, Action.APPROVE): None,  # 会签 when departments are listed, else the leader
    (Stage.OFFICE_REVIEW, Action.RETURN): Stage.RETURNED,
    (Stage.OFFICE_REVIEW, Action.REFER_TO_SECRECY): Stage.SECRECY_REVIEW,
    (Stage.COUNTERSIGN, Action.APPROVE): None,  # parallel: stays until every department agreed
    (Stage.COUNTERSIGN, Action.RETURN): Stage.RETURNED,
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
    (Stage.DEPT_CHECK, Action.APPROVE): "核稿通过",
    (Stage.DEPT_CHECK, Action.RETURN): "退文",
    (Stage.DEPT_CHECK, Action.REFER_TO_SECRECY): "送保密审查",
    (Stage.SECRECY_REVIEW, Action.APPROVE): "保密审查通过",
    (Stage.SECRECY_REVIEW, Action.RETURN): "退文",
    (Stage.SECRECY_REVIEW, Action.CLASSIFY): "认定涉及国家秘密",
    (Stage.OFFICE_REVIEW, Action.APPROVE): "审核通过",
    (Stage.OFFICE_REVIEW, Action.RETURN): "退文",
    (Stage.OFFICE_REVIEW, Action.REFER_TO_SECRECY): "送保密审查",
    (Stage.COUNTERSIGN, Action.APPROVE): "会签同意",
    (Stage.COUNTERSIGN, Action.RETURN): "退文",
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
# Moves that need a written comment (退文 must say why; R4; 撤回 and 更正公开版 record their reason;
# 认定涉及国家秘密 says why the document leaves this system).
COMMENT_REQUIRED = {Action.RETURN, Action.REFER_TO_SECRECY, Action.WITHDRAW, Action.CORRECT, Action.CLASSIFY}
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
    department_id: int | None = None  # the drafting department
    dept_check: bool = False  # that department has its own 核稿 switched on
    countersign: frozenset[int] = frozenset()  # the 会签 departments listed now
    agreed: frozenset[int] = frozenset()  # those of them that agreed since the last submission
    # Issue 15: the document's 目录事项 says 主动 and the attribute is not 主动公开 (or the reverse),
    # and the office has not yet confirmed it with a reason (services/catalogue.mismatch_unconfirmed).
    catalogue_mismatch_unconfirmed: bool = False


@dataclass(frozen=True)
class ActorFacts:
    user_id: int
    roles: frozenset[Role]
    department_id: int | None = None


class MoveRefused(Exception):
    """A move the chain does not allow; the message is shown to the user."""


def target_of(doc: DocumentFacts, action: Action, actor: ActorFacts | None = None) -> Stage:
    """Where this move leads.  In a parallel stage the agreement of `actor`'s department
    is counted (without an actor: where it leads once every listed party has agreed)."""
    if (doc.stage, action) not in MOVES:
        raise MoveRefused(f"文件处于“{doc.stage.label}”阶段，不能执行“{action.label}”。")
    target = MOVES[(doc.stage, action)]
    if target is None and action is Action.SUBMIT:  # 核稿, then the secrecy office when flagged (R3)…
        target = next_on_path(doc, None)
    elif target is None and action is Action.ISSUE:  # only 主动公开 goes on to publication (R8)
        target = Stage.DEID_REVIEW if doc.disclosure == "public" else Stage.FILED
    elif target is None and doc.stage in PARALLEL and action is PARALLEL[doc.stage].agree:
        target = parallel_target(doc, actor)
    elif target is None and action is Action.APPROVE:
        target = next_on_path(doc, doc.stage)
    assert target is not None
    return target


def check_move(doc: DocumentFacts, actor: ActorFacts, action: Action) -> Stage:
    """Return the stage the move leads to, or raise MoveRefused saying why not."""
    target = target_of(doc, action, actor)
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
    _check_scope(doc, actor)
    return target


# What a move needs besides the right person at the right stage: (fact, refusal shown to the user).
# The buttons stay (the user sees why when pressing one); services.chain.move refuses the move.
# Issue 15: the office must confirm, with a reason, a document whose attribute disagrees with its
# 目录事项's 公开方式 before it passes office review; the leader cannot sign it unconfirmed either
# (the catalogue may have changed after office review: the leader returns it).
MISMATCH_UNCONFIRMED = (
    "catalogue_mismatch_unconfirmed",
    "文件的公开属性与所选目录事项的公开方式不一致，须由公开审查员在“目录事项”栏写明理由确认后才能继续（或修改目录事项）。",
)
CONDITIONS: dict[tuple[Stage, Action], tuple[tuple[str, str], ...]] = {
    (Stage.OFFICE_REVIEW, Action.APPROVE): (MISMATCH_UNCONFIRMED,),
    (Stage.LEADER_APPROVAL, Action.APPROVE): (MISMATCH_UNCONFIRMED,),
}


def move_problems(doc: DocumentFacts, action: Action) -> list[str]:
    """Why this move cannot be made yet although its actor may make it (empty: it can)."""
    return [message for fact, message in CONDITIONS.get((doc.stage, Action(action)), ())
            if getattr(doc, fact)]


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


def required_stages(may_involve_secrets: bool, dept_check: bool = False, countersign: bool = False) -> list[Stage]:
    """The review stages a submission must pass, in order (R3): the applicable ones of FORWARD_PATH."""
    facts = DocumentFacts(Stage.DRAFT, 0, may_involve_secrets, dept_check=dept_check,
                          countersign=frozenset({0}) if countersign else frozenset())
    return [s for s in FORWARD_PATH if s is not Stage.APPROVED and _applies(s, facts)]


def queue_stages_for(roles: Iterable[Role]) -> list[Stage]:
    """The review queues a user with these roles works from."""
    roles = set(roles)
    return [s for s in REVIEW_STAGES if STAGES[s].actor_role in roles]


def work_queue_stages_for(roles: Iterable[Role]) -> list[Stage]:
    """Stages after approval where this user's role acts (印发, 去标识化, 发布)."""
    roles = set(roles)
    return [s for s in (Stage.APPROVED, Stage.DEID_REVIEW, Stage.READY) if STAGES[s].actor_role in roles]


# --------------------------------------------------------------------------- approval as an office works it
# 核稿, 会签 and the secrecy office's conclusion (issue 10), as data.

# The forward path of §3.  A submission, and each approval, lead to the next stage on it
# that applies to the document; the stages in [brackets] on the diagram apply only when
# APPLIES_WHEN says so.  Moves with a fixed target in MOVES (the secrecy office back to
# the office, the leader to 已签发) agree with this path.
FORWARD_PATH: tuple[Stage, ...] = (
    Stage.DEPT_CHECK, Stage.SECRECY_REVIEW, Stage.OFFICE_REVIEW, Stage.COUNTERSIGN,
    Stage.LEADER_APPROVAL, Stage.APPROVED,
)
APPLIES_WHEN: dict[Stage, Callable[[DocumentFacts], bool]] = {
    Stage.DEPT_CHECK: lambda d: d.dept_check,  # switched on for the drafting department by the admin
    Stage.SECRECY_REVIEW: lambda d: d.may_involve_secrets,  # flagged by the drafter or a reviewer (R3)
    Stage.COUNTERSIGN: lambda d: bool(d.countersign),  # departments listed by the drafter or the office
}


@dataclass(frozen=True)
class ParallelStage:
    """A stage several parties act in at once, each from their own queue.  The document
    stays while some listed party has not agreed since the last submission; `agree` by the
    last one takes it to `done`; any one may return it (its RETURN row in MOVES)."""

    agree: Action
    done: Stage


PARALLEL: dict[Stage, ParallelStage] = {
    Stage.COUNTERSIGN: ParallelStage(agree=Action.APPROVE, done=Stage.LEADER_APPROVAL),
}

# Who may add or remove 会签 departments, by stage (None: the drafter, while writing).
# A change while the 会签 is under way is recorded; the stage is then re-evaluated.
COUNTERSIGN_EDITORS: dict[Stage, Role | None] = {
    Stage.DRAFT: None,
    Stage.RETURNED: None,
    Stage.OFFICE_REVIEW: Role.OFFICE,
    Stage.COUNTERSIGN: Role.OFFICE,
}

# Every decision carries an opinion (意见).  Approving without writing one records the
# stage's default; the decision form offers it as a one-click phrase beside the user's own.
DEFAULT_OPINIONS: dict[tuple[Stage, Action], str] = {
    (Stage.DEPT_CHECK, Action.APPROVE): "同意，请办公室审核。",
    (Stage.SECRECY_REVIEW, Action.APPROVE): "经审查，不涉及国家秘密。",
    (Stage.OFFICE_REVIEW, Action.APPROVE): "拟同意，请领导签发。",
    (Stage.COUNTERSIGN, Action.APPROVE): "同意。",
    (Stage.LEADER_APPROVAL, Action.APPROVE): "同意。",
}
# Where the next stage changes what the default says.
DEFAULT_OPINIONS_TOWARDS: dict[tuple[Stage, Stage], str] = {
    (Stage.OFFICE_REVIEW, Stage.COUNTERSIGN): "拟同意，请有关处室会签。",
    (Stage.DEPT_CHECK, Stage.SECRECY_REVIEW): "同意，请保密办审查。",
}

# The 处理单: the step each decision belongs to, by the stage it was made in.
OPINION_STEPS: dict[Stage, str] = {
    Stage.DRAFT: "拟稿",
    Stage.RETURNED: "拟稿",
    Stage.DEPT_CHECK: "核稿",
    Stage.SECRECY_REVIEW: "保密审查",
    Stage.OFFICE_REVIEW: "办公室审核",
    Stage.COUNTERSIGN: "会签",
    Stage.LEADER_APPROVAL: "签发",
}

# 上行文: their 版头 carries 签发人 and the signing leader's name (GB/T 9704 7.2.6).
UPWARD_DOC_TYPES = frozenset({"请示", "报告"})


def _applies(stage: Stage, doc: DocumentFacts) -> bool:
    rule = APPLIES_WHEN.get(stage)
    return rule is None or rule(doc)


def next_on_path(doc: DocumentFacts, after: Stage | None) -> Stage:
    """The first stage after `after` (None: from the start) on FORWARD_PATH that applies."""
    start = 0 if after is None else FORWARD_PATH.index(after) + 1
    return next(s for s in FORWARD_PATH[start:] if _applies(s, doc))


def pending_parties(doc: DocumentFacts) -> frozenset[int]:
    """The 会签 departments still to agree since the last submission."""
    return doc.countersign - doc.agreed


def parallel_target(doc: DocumentFacts, actor: ActorFacts | None) -> Stage:
    stage = PARALLEL[doc.stage]
    left = pending_parties(doc) - ({actor.department_id} if actor is not None else pending_parties(doc))
    return stage.done if not left else doc.stage


def _check_scope(doc: DocumentFacts, actor: ActorFacts) -> None:
    scope = STAGES[doc.stage].scope
    if scope == "own_department" and (actor.department_id is None or actor.department_id != doc.department_id):
        raise MoveRefused("只有起草处室的处室负责人可以核稿。")
    if scope == "countersign":
        if actor.department_id not in doc.countersign:
            raise MoveRefused("您所在处室不是该文件的会签处室。")
        if actor.department_id in doc.agreed:
            raise MoveRefused("您所在处室已会签同意，正等待其他会签处室。")


def after_countersign_change(doc: DocumentFacts) -> Stage:
    """The stage once the list of 会签 departments changed: a 会签 under way ends when every
    department still listed has agreed (or none is left); elsewhere nothing moves."""
    if doc.stage in PARALLEL and not pending_parties(doc):
        return PARALLEL[doc.stage].done
    return doc.stage


def check_countersign_change(doc: DocumentFacts, actor: ActorFacts, department_id: int) -> None:
    """May this actor add or remove `department_id` as a 会签 department now?"""
    if doc.stage not in COUNTERSIGN_EDITORS:
        raise MoveRefused(f"文件处于“{doc.stage.label}”阶段，不能调整会签处室。")
    role = COUNTERSIGN_EDITORS[doc.stage]
    if role is None:
        if actor.user_id != doc.drafter_id or Role.DRAFTER not in actor.roles:
            raise MoveRefused("只有起草人可以在提交前调整会签处室。")
    elif role not in actor.roles:
        raise MoveRefused(f"该文件正待{STAGES[doc.stage].waiting_for}，只有{role.label}可以调整会签处室。")
    elif actor.user_id == doc.drafter_id:
        raise MoveRefused("不能审核自己起草的文件。")
    if department_id == doc.department_id:
        raise MoveRefused("起草处室的意见由处室核稿体现，不必列为会签处室。")


def may_change_countersign(doc: DocumentFacts, actor: ActorFacts) -> bool:
    try:
        check_countersign_change(doc, actor, -1)
    except MoveRefused:
        return False
    return True


def default_opinion(doc: DocumentFacts, action: Action, actor: ActorFacts | None = None) -> str:
    """The opinion recorded when a decision is made without one ("" when the move needs none)."""
    try:
        target = target_of(doc, action, actor)
    except MoveRefused:
        return ""
    return DEFAULT_OPINIONS_TOWARDS.get((doc.stage, target)) or DEFAULT_OPINIONS.get((doc.stage, action), "")
