"""关键词 and 内容概述 set by the office at its review (issue 8).

The drafter sets them on the drafting form; the office (公开审查员) may change them while the
document is at office review, as it may change the 目录事项.  One transaction with its audit
event, refused on a stale page like every other change.  The rules are webapp.abstracts'.
"""

from __future__ import annotations

from .. import abstracts
from ..models import Document, User, utcnow
from ..workflow import Role, Stage
from . import audit
from .documents import get_document
from .errors import Conflict, Forbidden, Invalid
from .tx import transaction


def may_set_abstract(doc: Document, user: User) -> bool:
    return doc.stage == Stage.OFFICE_REVIEW.value and Role.OFFICE in user.roles and doc.drafter_id != user.id


def set_abstract(document_id: int, office: User, expected_version: int, keywords: str, summary: str) -> Document:
    words = abstracts.split_keywords(keywords)
    summary = (summary or "").strip()
    problems = abstracts.keyword_problems(words) + abstracts.summary_problems(summary)
    if problems:
        raise Invalid("关键词和内容概述未修改。", problems)
    with transaction():
        doc = get_document(document_id, office)
        if not may_set_abstract(doc, office):
            raise Forbidden("只有办公室在审核阶段可以修改关键词和内容概述（不能审核自己起草的文件）。")
        if doc.version != expected_version:
            raise Conflict()
        before = {"keywords": doc.keywords, "summary": doc.summary}
        doc.keywords, doc.summary = "、".join(words), summary
        if before != {"keywords": doc.keywords, "summary": doc.summary}:
            doc.updated_at = utcnow()
            audit.record("set_abstract", office, doc, details={"from": before, "to": {"keywords": doc.keywords,
                                                                                    "summary": doc.summary}})
    return doc
