"""Every kind of audit event the intranet writes, with its Chinese label (R13).

Pure Python: no Flask, no models.  This table is the only list of event kinds:
the audit service refuses to append a kind that is not in it, so an event cannot
reach the log, or a document's timeline, without its Chinese word.  A test
collects every kind the code writes and checks it is here.

The chain's moves are events too; their word depends on the stage they were made
in (the leader's approval is 签发, the office's 审核通过), so a move's label comes
from `workflow.MOVE_LABELS` when the stage is known.  Adding a kind: one line below.
"""

from __future__ import annotations

from dataclasses import dataclass

from .applications_flow import APP_MOVES
from .workflow import ACTION_LABELS, move_label


@dataclass(frozen=True)
class EventType:
    kind: str  # what audit_events.action holds
    label: str  # what a user reads
    category: str  # a key of CATEGORIES


CATEGORIES = {
    "chain": "流转",
    "drafting": "起草",
    "deid": "去标识化",
    "approval": "审批",
    "admin": "系统管理",
    "account": "账号",
    "publication": "发布",
    "archives": "送交与归档",
    "applications": "依申请公开",
    "report": "年度报告",
    "validity": "规范性文件清理",
}

_TYPES = [
    # the chain's moves (workflow.Action), each made in one stage or another
    *(EventType(action.value, label, "chain") for action, label in ACTION_LABELS.items()),
    # drafting
    EventType("create", "创建草稿", "drafting"),
    EventType("edit", "修改草稿", "drafting"),
    EventType("accept_proposal", "接受建议的公开属性", "drafting"),
    EventType("import_docx", "导入 Word 草稿", "drafting"),
    EventType("attach", "添加附件", "drafting"),
    EventType("detach", "删除附件", "drafting"),
    # de-identification before publication (R8)
    EventType("deid_scan", "检查个人信息", "deid"),
    EventType("deid_decide", "确认一处个人信息", "deid"),
    EventType("deid_add", "手工标记个人信息", "deid"),
    EventType("deid_eye_check", "目视检查附件", "deid"),
    EventType("deid_withhold", "附件不随文公开（含个人信息）", "deid"),
    # publication to the portal (R7, R8): the outbox's deliveries and the publisher's retries
    EventType("push_delivered", "已推送至政府网站", "publication"),
    EventType("push_failed", "推送被政府网站拒绝", "publication"),
    EventType("push_retry", "重新推送", "publication"),
    EventType("record_channel", "登记其他渠道发布", "publication"),
    # transfers to the reading room, the archives and the library (R9); 归档 (issue 11)
    EventType("transfer_deliver", "送交", "archives"),
    EventType("transfer_withdrawal_notice", "送交撤回通知", "archives"),
    EventType("transfer_nil_return", "报送本期无主动公开信息", "archives"),
    EventType("transfer_receipt", "登记送交回执", "archives"),
    EventType("file_record", "归档", "archives"),
    # the yearly self-review of 依申请公开 and 不予公开 documents (R10)
    EventType("self_review_decide", "年度复核结论", "archives"),
    EventType("self_review_object", "起草处室对复核结论提出异议", "archives"),
    # R11: the clean-up decisions on 行政规范性文件 (webapp/validity.py DECISIONS names these kinds)
    EventType("validity_continue", "规范性文件清理：继续有效", "validity"),
    EventType("validity_revise", "规范性文件清理：修订", "validity"),
    EventType("validity_repeal", "规范性文件清理：废止", "validity"),
    EventType("validity_expire", "规范性文件清理：失效", "validity"),
    EventType("save_transfer_destination", "保存送交单位", "admin"),
    EventType("save_archive_settings", "保存归档设置", "admin"),
    # citizens' disclosure applications (R14, issue 9): registration and each move of their chain
    EventType("app_register", "登记政府信息公开申请", "applications"),
    EventType("app_assign", "分配经办人", "applications"),
    EventType("app_record_search", "记录检索情况", "applications"),
    EventType("app_pull", "从政府网站接收网上申请", "applications"),
    EventType("app_record_remedy", "记录行政复议、行政诉讼情况", "applications"),
    EventType("app_status_delivered", "办理状态已送达政府网站", "applications"),
    EventType("app_status_failed", "办理状态被政府网站拒绝", "applications"),
    EventType("app_status_requeue", "重新推送办理状态", "applications"),
    EventType("app_provide_document", "添加答复提供的文件", "applications"),
    EventType("app_remove_document", "移除答复提供的文件", "applications"),
    EventType("app_deid_decide", "确认提供文件中的个人信息处理", "applications"),
    EventType("app_deid_confirm", "生成提供文件的公开版", "applications"),
    EventType("app_attachment_eye_check", "目视检查提供文件的附件", "applications"),
    *(EventType(f"app_{m.action.value}", m.label, "applications") for m in APP_MOVES),
    # approval as an office works it (issue 10)
    EventType("countersign_add", "添加会签处室", "approval"),
    EventType("countersign_remove", "移除会签处室", "approval"),
    EventType("save_phrase", "保存常用意见", "approval"),
    EventType("delete_phrase", "删除常用意见", "approval"),
    EventType("set_dept_check", "设置处室核稿", "admin"),
    # the annual report (R12, issue 12)
    EventType("report_open", "开始编写政府信息公开工作年度报告", "report"),
    EventType("report_save_entries", "录入年度报告数据", "report"),
    EventType("report_save_text", "保存年度报告文字部分", "report"),
    EventType("report_make_draft", "年度报告生成公文草稿", "report"),
    # administration
    EventType("save_agency_settings", "保存发布机构信息", "admin"),
    EventType("save_holiday_override", "保存节假日调整", "admin"),
    EventType("delete_holiday_override", "删除节假日调整", "admin"),
    EventType("confirm_holiday_year", "确认年度节假日安排", "admin"),
    EventType("save_issuing_code", "保存机关代字", "admin"),
    EventType("create_user", "创建用户", "admin"),
    EventType("update_user", "修改用户", "admin"),
    EventType("reset_password", "重置密码", "admin"),
    EventType("save_department", "保存处室", "admin"),
    # the standard catalogue (issue 15)
    EventType("save_catalogue_item", "保存目录事项", "admin"),
    EventType("import_catalogue", "导入标准目录", "admin"),
    EventType("set_catalogue_item", "选定目录事项", "drafting"),
    EventType("confirm_catalogue_mismatch", "确认目录事项与公开属性不一致", "drafting"),
    EventType("publish_catalogue", "发布标准目录到政府网站", "admin"),
    # 关键词 and 内容概述 changed by the office at review (issue 8)
    EventType("set_abstract", "修改关键词和内容概述", "drafting"),
    # accounts
    EventType("account_locked", "账号被锁定", "account"),
    EventType("change_password", "修改密码", "account"),
]

EVENT_TYPES: dict[str, EventType] = {t.kind: t for t in _TYPES}
assert len(EVENT_TYPES) == len(_TYPES), "an event kind is listed twice"


class UnknownEventKind(ValueError):
    """A kind missing from EVENT_TYPES: a programming error, never shown to a user."""


def event_type(kind: str) -> EventType:
    try:
        return EVENT_TYPES[kind]
    except KeyError:
        raise UnknownEventKind(f"unknown audit event kind {kind!r}: add it to webapp/events.py") from None


def label(kind: str, from_stage: str | None = None) -> str:
    """The Chinese word for an event; a move's word for the stage it was made in."""
    t = EVENT_TYPES.get(kind)
    if t is None:
        return "其他操作"  # never the raw kind: an old record of a kind since retired
    if t.category == "chain" and from_stage:
        return move_label(from_stage, kind)
    return t.label
