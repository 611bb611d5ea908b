"""`flask seed-demo`: departments, one user per role and documents built from the
seed notices at different stages, so a first start shows a living system — 核稿 in
应急救援处 (switched on there), 会签 under way, returned by a 会签 department, and
completed on an issued document whose 发文稿纸 carries every opinion."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from .disclosure import Disclosure
from .extensions import db
from .models import Document, User
from .richtext import text_to_html
from .services import accounts, chain, countersign, drafting, opinions
from .urgency import Urgency
from .workflow import Action, Role

SEEDS_DIR = Path(os.environ.get("SEEDS_DIR", Path(__file__).resolve().parents[2] / "shared" / "seeds"))

# A well-formed 统一社会信用代码 (GB 32100 check character) for the demo's 索引号; not a real agency's.
DEMO_USCC = "11410000MB0G6Y810Y"

DEPARTMENTS = ("办公室", "应急救援处", "风险监测和综合减灾处", "保密办", "政策法规处", "规划财务处")
# Departments whose head checks (核稿) their documents before they leave them.
DEPT_CHECK = ("应急救援处",)


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    department: str
    roles: tuple[Role, ...]


DEMO_USERS = (
    DemoUser("admin", "系统管理员", "办公室", (Role.ADMIN,)),
    DemoUser("drafter", "张丽", "应急救援处", (Role.DRAFTER,)),
    DemoUser("drafter2", "王强", "风险监测和综合减灾处", (Role.DRAFTER,)),
    DemoUser("secrecy", "刘敏", "保密办", (Role.SECRECY,)),
    DemoUser("office", "陈静", "办公室", (Role.OFFICE,)),
    DemoUser("leader", "赵阳", "办公室", (Role.LEADER,)),
    DemoUser("publisher", "孙悦", "办公室", (Role.PUBLISHER,)),
    DemoUser("archivist", "周杰", "办公室", (Role.ARCHIVIST,)),
    DemoUser("head_rescue", "黄伟", "应急救援处", (Role.DEPT_HEAD,)),
    DemoUser("head_risk", "林涛", "风险监测和综合减灾处", (Role.DEPT_HEAD,)),
    DemoUser("head_law", "何静", "政策法规处", (Role.DEPT_HEAD,)),
    DemoUser("head_finance", "马骏", "规划财务处", (Role.DEPT_HEAD,)),
)


def seed_text(prefix: str, max_paragraphs: int = 40) -> str:
    """The body paragraphs of a seed notice (by file-name prefix), or a short stand-in."""
    matches = sorted(SEEDS_DIR.glob(f"{prefix}_*.txt")) if SEEDS_DIR.is_dir() else []
    if not matches:
        return "为深入推进政务公开标准化规范化工作，结合本单位实际，制定本方案。\n一、工作目标\n全面提升政务公开质量。"
    # Seed 004's task table was scraped with its <p> markup: keep the words, not the tags.
    text = re.sub(r"</?p>", " ", matches[0].read_text(encoding="utf-8"))
    lines = [re.sub(r"\s+", " ", ln).strip() for ln in text.splitlines()]
    paras = [ln for ln in lines if ln and not ln.startswith("- ")]
    return "\n".join(paras[3 : 3 + max_paragraphs])


def database_is_empty() -> bool:
    return db.session.execute(select(func.count()).select_from(User)).scalar_one() == 0


def seed_demo() -> dict[str, str]:
    """Create the demo data; returns username → initial password (shown once)."""
    fixed = os.environ.get("DEMO_PASSWORD")
    depts = {name: accounts.save_department(name, None, requires_dept_check=name in DEPT_CHECK)
             for name in DEPARTMENTS}
    users: dict[str, User] = {}
    passwords: dict[str, str] = {}
    for u in DEMO_USERS:
        user, pw = accounts.create_user(u.username, u.display_name, fixed, depts[u.department].id, set(u.roles))
        users[u.username] = user
        passwords[u.username] = pw
    from .services import issuing

    issuing.save_code(None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")
    from .services import agency

    agency.save_settings(users["admin"], DEMO_USCC, "河南省应急管理厅")
    _seed_documents(users, {name: d.id for name, d in depts.items()})
    opinions.save_phrase(users["leader"], "同意，请办公室按程序印发。")
    opinions.save_phrase(users["office"], "拟同意，请有关处室会签后报领导签发。")
    return passwords


def _draft(user: User, title: str, doc_type: str, seed: str, **kw) -> Document:
    data = drafting.DraftInput(
        title=title,
        doc_type=doc_type,
        recipients=kw.pop("recipients", "各市、县（市、区）应急管理局，厅机关各处室"),
        body_html=text_to_html(seed_text(seed)),
        topic_category=kw.pop("topic_category", "综合政务/政务公开"),
        **kw,
    )
    return drafting.create_draft(user, data)


def _advance(doc: Document, steps: list[tuple[User, Action, str]]) -> Document:
    for actor, action, comment in steps:
        doc = chain.move(doc.id, actor, action, doc.version, comment)
    return doc


def _seed_documents(u: dict[str, User], dept: dict[str, int]) -> None:
    drafter, drafter2 = u["drafter"], u["drafter2"]
    office, leader = u["office"], u["leader"]
    head = u["head_rescue"]  # 应急救援处 has its 核稿 switched on: its head checks first
    law, finance = u["head_law"], u["head_finance"]

    d = _draft(drafter, "关于全面推进应急管理系统安全生产和救灾领域政务公开标准化规范化工作的通知",
               "通知", "000", disclosure=Disclosure.PUBLIC.value, needs_interpretation=True,
               interpretation_html="<p>一、出台背景</p><p>为落实国务院办公厅关于基层政务公开标准化规范化的部署……</p>")
    _advance(d, [(drafter, Action.SUBMIT, ""), (head, Action.APPROVE, "同意，请办公室审核。")])

    d = _draft(drafter2, "关于全面推进政务公开工作的实施办法", "办法", "001",
               disclosure=Disclosure.PUBLIC.value)
    _advance(d, [(drafter2, Action.SUBMIT, ""), (office, Action.APPROVE, "公开属性恰当，同意。")])

    d = _draft(drafter, "2019年政务公开工作实施方案", "方案", "002",
               disclosure=Disclosure.ON_REQUEST.value, may_involve_secrets=True,
               disclosure_reason="方案含内部工作流程与分工安排，属内部事务信息。",
               legal_basis_codes=["art16"])
    _advance(d, [(drafter, Action.SUBMIT, ""), (head, Action.APPROVE, "同意，请保密办审查。")])

    _draft(drafter, "救灾领域基层政务公开标准目录指引", "意见", "003", disclosure=None)

    d = _draft(drafter2, "2022年政务公开工作实施方案", "方案", "004",
               disclosure=Disclosure.NOT_PUBLIC.value, disclosure_reason="涉及内部分工。",
               legal_basis_codes=["art16"])
    d = _advance(d, [(drafter2, Action.SUBMIT, "")])
    chain.move(d.id, office, Action.RETURN, d.version,
               "方案面向社会公众，不宜作不予公开处理；附件中的联系人电话请核实后再提交。",
               proposed_disclosure=Disclosure.PUBLIC.value,
               proposal_reason="实施方案属于应主动公开的政策文件（《条例》第二十条）。")

    d = _draft(drafter, "关于做好冬春季森林防灭火工作的通知", "通知", "000",
               disclosure=Disclosure.PUBLIC.value, topic_category="民政、扶贫、救灾/减灾救灾")
    _advance(d, [(drafter, Action.SUBMIT, ""), (head, Action.APPROVE, ""), (office, Action.APPROVE, "同意公开。"),
                 (leader, Action.APPROVE, "同意印发。")])

    # 核稿: waiting for the head of 应急救援处 (加急)
    d = _draft(drafter, "关于开展2026年汛期应急演练的通知", "通知", "000",
               disclosure=Disclosure.PUBLIC.value, urgency=Urgency.URGENT)
    _advance(d, [(drafter, Action.SUBMIT, "演练时间紧，请尽快审核。")])

    # 会签 under way: 规划财务处 agreed, 政策法规处 still to agree (特急)
    d = _draft(drafter2, "关于下达2026年自然灾害防治专项资金的通知", "通知", "001",
               disclosure=Disclosure.PUBLIC.value, urgency=Urgency.VERY_URGENT)
    _with_countersign(d, drafter2, dept, "政策法规处", "规划财务处")
    _advance(d, [(drafter2, Action.SUBMIT, ""), (office, Action.APPROVE, ""),
                 (finance, Action.APPROVE, "同意，资金已列入年度预算。")])

    # returned by a 会签 department after the other agreed: the drafter revises and resubmits
    d = _draft(drafter2, "关于修订突发事件信息报送办法的通知", "通知", "002",
               disclosure=Disclosure.PUBLIC.value)
    _with_countersign(d, drafter2, dept, "政策法规处", "规划财务处")
    d = _advance(d, [(drafter2, Action.SUBMIT, ""), (office, Action.APPROVE, ""),
                     (finance, Action.APPROVE, "同意。")])
    chain.move(d.id, law, Action.RETURN, d.version, "第五条报送时限与《突发事件应对法》不一致，请修改后重新报送。")

    # Seed 004 with its contact line (联系人 and 电话): 会签 by 政策法规处, signed, issued (its
    # 发文稿纸 shows 会签 and 签发 with their opinions), de-identified by the publisher (every
    # finding masked) and published with its 解读 — the portal's first document.
    d = _draft(drafter2, "关于印发2022年政务公开工作实施方案的通知", "通知", "004",
               disclosure=Disclosure.PUBLIC.value, needs_interpretation=True,
               catalogue_item_id=_first_level_item("安全生产", "政策文件"),  # its 目录事项 (issue 15)
               interpretation_html="<p>一、制定背景</p><p>为贯彻落实政务公开工作要点，结合本局实际制定本方案。</p>")
    _with_countersign(d, drafter2, dept, "政策法规处")
    d = _advance(d, [(drafter2, Action.SUBMIT, "请审核。"), (office, Action.APPROVE, "同意公开。"),
                     (law, Action.APPROVE, "经审查，符合法律法规，同意。"), (leader, Action.APPROVE, "同意。")])
    _issue(d, office)
    _publish(d.id, u["publisher"])
    from .services import catalogue_portal

    catalogue_portal.publish(office)  # the standard catalogue on the portal too (issue 15)

    # Another 主动公开 document waiting for the publisher's de-identification (and its deadline).
    d = _draft(drafter, "关于做好汛期安全防范工作的通知", "通知", "000",
               disclosure=Disclosure.PUBLIC.value, topic_category="综合政务/应急管理")
    d = _advance(d, [(drafter, Action.SUBMIT, ""), (head, Action.APPROVE, ""), (office, Action.APPROVE, "同意公开。"),
                     (leader, Action.APPROVE, "同意印发。")])
    _issue(d, office)


def _with_countersign(doc: Document, drafter: User, dept: dict[str, int], *names: str) -> None:
    for name in names:
        countersign.add_department(doc.id, drafter, dept[name])
def _first_level_item(domain: str, name: str) -> int:
    """A first-level item the seeds name (the migration adds them; a test database may not have)."""
    from .models import CatalogueItem
    from .services import catalogue

    catalogue.seed_first_level()
    return db.session.execute(select(CatalogueItem.id).where(
        CatalogueItem.domain == domain, CatalogueItem.name == name, CatalogueItem.parent_id.is_(None))).scalar_one()


def _issue(doc: Document, office: User) -> None:
    from .services import issuing

    code = issuing.active_codes()[0]
    day = issuing.default_written_date(doc)
    issuing.issue_document(doc.id, office, doc.version, issuing.IssueInput(code.id, day, day, copies=60))


def _publish(doc_id: int, publisher: User) -> None:
    """Mask every finding, confirm the public copy, publish: the outbox holds the push until
    the worker (`flask outbox run`, started by `make run`) delivers it to the portal."""
    from .services import deid_review, publication
    from .services.documents import get_document

    for f in deid_review.findings_of(doc_id):
        deid_review.decide(doc_id, f.id, publisher, "mask")
    doc = deid_review.confirm(doc_id, publisher, get_document(doc_id, publisher).version)
    publication.publish(doc_id, publisher, doc.version)
