"""`flask seed-demo`: departments, one user per role and documents built from the
seed notices at different stages, so a first start shows a living system."""

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
from .services import accounts, chain, drafting
from .workflow import Action, Role

SEEDS_DIR = Path(os.environ.get("SEEDS_DIR", Path(__file__).resolve().parents[2] / "shared" / "seeds"))

# A well-formed 统一社会信用代码 (GB 32100 check character) for the demo's 索引号; not a real agency's.
DEMO_USCC = "11410000MB0G6Y810Y"

DEPARTMENTS = ("办公室", "应急救援处", "风险监测和综合减灾处", "保密办")


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
    depts = {name: accounts.save_department(name, None) for name in DEPARTMENTS}
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
    _seed_documents(users)
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


def _seed_documents(u: dict[str, User]) -> None:
    drafter, drafter2 = u["drafter"], u["drafter2"]
    office, leader = u["office"], u["leader"]

    d = _draft(drafter, "关于全面推进应急管理系统安全生产和救灾领域政务公开标准化规范化工作的通知",
               "通知", "000", disclosure=Disclosure.PUBLIC.value, needs_interpretation=True,
               interpretation_html="<p>一、出台背景</p><p>为落实国务院办公厅关于基层政务公开标准化规范化的部署……</p>")
    _advance(d, [(drafter, Action.SUBMIT, "")])

    d = _draft(drafter2, "关于全面推进政务公开工作的实施办法", "办法", "001",
               disclosure=Disclosure.PUBLIC.value)
    _advance(d, [(drafter2, Action.SUBMIT, ""), (office, Action.APPROVE, "公开属性恰当，同意。")])

    d = _draft(drafter, "2019年政务公开工作实施方案", "方案", "002",
               disclosure=Disclosure.ON_REQUEST.value, may_involve_secrets=True,
               disclosure_reason="方案含内部工作流程与分工安排，属内部事务信息。",
               legal_basis_codes=["art16"])
    _advance(d, [(drafter, Action.SUBMIT, "")])

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
    _advance(d, [(drafter, Action.SUBMIT, ""), (office, Action.APPROVE, "同意公开。"),
                 (leader, Action.APPROVE, "同意印发。")])

    # Seed 004 with its contact line (联系人 and 电话): issued, de-identified by the publisher
    # (every finding masked) and published with its 解读 — the portal's first document.
    d = _draft(drafter2, "关于印发2022年政务公开工作实施方案的通知", "通知", "004",
               disclosure=Disclosure.PUBLIC.value, needs_interpretation=True,
               interpretation_html="<p>一、制定背景</p><p>为贯彻落实政务公开工作要点，结合本局实际制定本方案。</p>")
    d = _advance(d, [(drafter2, Action.SUBMIT, ""), (office, Action.APPROVE, "同意公开。"),
                     (leader, Action.APPROVE, "同意。")])
    _issue(d, office)
    _publish(d.id, u["publisher"])

    # Another 主动公开 document waiting for the publisher's de-identification (and its deadline).
    d = _draft(drafter, "关于做好汛期安全防范工作的通知", "通知", "000",
               disclosure=Disclosure.PUBLIC.value, topic_category="综合政务/应急管理")
    d = _advance(d, [(drafter, Action.SUBMIT, ""), (office, Action.APPROVE, "同意公开。"),
                     (leader, Action.APPROVE, "同意印发。")])
    _issue(d, office)

    # R11 (issue 11): a 行政规范性文件 (暂行, so two years), published, its period ending within
    # a month: it is on the office's 规范性文件清理 list.
    from datetime import timedelta

    from . import clock
    from .validity import add_years

    ends = clock.agency_today() + timedelta(days=25)
    d = _draft(drafter2, "河南省应急管理厅行政执法公示暂行办法", "办法", "001",
               disclosure=Disclosure.PUBLIC.value, topic_category="综合政务/政务公开", is_normative=True,
               effective_from=add_years(ends, -2) + timedelta(days=1), effective_to=ends)
    d = _advance(d, [(drafter2, Action.SUBMIT, ""), (office, Action.APPROVE, "同意公开。"),
                     (leader, Action.APPROVE, "同意印发。")])
    _issue(d, office)
    _publish(d.id, u["publisher"])


def _issue(doc: Document, office: User) -> None:
    from .services import issuing

    code = issuing.active_codes()[0]
    day = issuing.default_written_date(doc)
    issuing.issue_document(doc.id, office, doc.version, issuing.IssueInput(code.id, day, day))


def _publish(doc_id: int, publisher: User) -> None:
    """Mask every finding, confirm the public copy, publish: the outbox holds the push until
    the worker (`flask outbox run`, started by `make run`) delivers it to the portal."""
    from .services import deid_review, publication
    from .services.documents import get_document

    for f in deid_review.findings_of(doc_id):
        deid_review.decide(doc_id, f.id, publisher, "mask")
    doc = deid_review.confirm(doc_id, publisher, get_document(doc_id, publisher).version)
    publication.publish(doc_id, publisher, doc.version)
