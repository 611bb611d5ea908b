"""The agency's own facts for publication: its 统一社会信用代码 (the 索引号 prefix, checked
with its GB 32100 check character) and its name as 发布机构.  One row, set by the admin."""

from __future__ import annotations

from ..extensions import db
from ..indexno import uscc_problem
from ..models import AgencySettings, User, utcnow
from . import audit
from .errors import Invalid
from .tx import transaction

MAX_PUBLISHER = 100


def settings() -> AgencySettings:
    """The settings row, or an empty unsaved one before the admin has set them."""
    return db.session.get(AgencySettings, 1) or AgencySettings(id=1, uscc="", publisher_name="")


def problems_for_publishing() -> list[str]:
    """What stops any document being published until the admin fixes it."""
    s = settings()
    out = []
    if not s.uscc or uscc_problem(s.uscc):
        out.append("管理员尚未设置本机关的统一社会信用代码（索引号前缀），暂不能发布。")
    if not s.publisher_name.strip():
        out.append("管理员尚未设置发布机构名称，暂不能发布。")
    return out


def save_settings(admin: User, uscc: str, publisher_name: str) -> AgencySettings:
    uscc = (uscc or "").strip().upper()
    publisher_name = (publisher_name or "").strip()
    problems = []
    bad = uscc_problem(uscc)
    if bad:
        problems.append(bad)
    if not publisher_name:
        problems.append("请填写发布机构名称。")
    elif len(publisher_name) > MAX_PUBLISHER:
        problems.append(f"发布机构名称不能超过 {MAX_PUBLISHER} 字。")
    if problems:
        raise Invalid("机构信息未保存。", problems)
    with transaction():
        row = db.session.get(AgencySettings, 1) or AgencySettings(id=1)
        before = {"uscc": row.uscc, "publisher_name": row.publisher_name}
        row.uscc, row.publisher_name, row.updated_at, row.updated_by_id = uscc, publisher_name, utcnow(), admin.id
        db.session.add(row)
        db.session.flush()
        audit.record("save_agency_settings", admin,
                     details={"uscc": uscc, "publisher_name": publisher_name, "before": before})
    return row
