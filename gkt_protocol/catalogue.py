"""The standard catalogue message (政务公开事项标准目录, issue 15): POST /api/catalogue.

Seed 000 requires the agency to publish its catalogue on the government website with every
element.  The intranet sends the whole catalogue — every active item of the two-level tree —
each time the office publishes it; the portal replaces what it shows in one transaction:

    {
      "protocol": 1,
      "version": 3,                                  grows with every publication of the catalogue
      "publisher": "河南省应急管理厅",                 发布机构 (公开主体 of the catalogue itself)
      "published_at": "2026-03-05T09:30:00+08:00",
      "items": [                                     in display order; first-level items before their children
        {"id": 7, "parent_id": null, "domain": "救灾", "name": "灾后救助",
         "content": "", "basis": "", "time_limit": "", "subject": "", "channels": "",
         "audience": "", "mode": "", "level": ""},
        {"id": 31, "parent_id": 7, "domain": "救灾", "name": "过渡期生活救助",
         "content": "救助对象、救助标准、……",        公开内容（要素）
         "basis": "《自然灾害救助条例》第十九条",      公开依据
         "time_limit": "信息形成或变更之日起20个工作日内",   公开时限
         "subject": "县级应急管理部门",              公开主体
         "channels": "政府网站、公开栏",             公开渠道和载体
         "audience": "全社会",                      公开对象: 全社会 | 特定群体 | ""
         "mode": "主动",                            公开方式: 主动 | 依申请 | ""
         "level": "县级、乡级"}                      公开层级
      ]
    }

`id` is the item's number in the intranet, stable for the item's life (items are retired, never
renumbered); a pushed document names it in `catalogue_item.id`.  Signed like /api/push.  The
portal answers 409 "stale_version" to a version older than the one it shows, and 200 without a
change to the same version again (a retry), so the message is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass

from .payload import (
    MAX_CATALOGUE_DOMAIN,
    MAX_CATALOGUE_ID,
    MAX_CATALOGUE_NAME,
    MAX_PUBLISHER,
    MAX_VERSION,
    PROTOCOL_VERSION,
    PayloadError,
    _Reader,
)

MAX_ITEMS = 3000  # the intranet's sheet holds ≤ 2,000 second-level items, plus their first levels
# (element, label, limit): the columns of the 标准目录 table after the item's name
ELEMENTS: tuple[tuple[str, str, int], ...] = (
    ("content", "公开内容（要素）", 2000),
    ("basis", "公开依据", 2000),
    ("time_limit", "公开时限", 100),
    ("subject", "公开主体", 200),
    ("channels", "公开渠道和载体", 300),
    ("audience", "公开对象", 20),
    ("mode", "公开方式", 20),
    ("level", "公开层级", 20),
)
CHOICES = {"audience": ("全社会", "特定群体"), "mode": ("主动", "依申请")}


@dataclass(frozen=True)
class CatalogueEntry:
    id: int
    parent_id: int | None
    domain: str
    name: str
    content: str = ""
    basis: str = ""
    time_limit: str = ""
    subject: str = ""
    channels: str = ""
    audience: str = ""
    mode: str = ""
    level: str = ""

    def to_json(self) -> dict:
        return {"id": self.id, "parent_id": self.parent_id, "domain": self.domain, "name": self.name,
                **{key: getattr(self, key) for key, _, _ in ELEMENTS}}


@dataclass(frozen=True)
class CatalogueMessage:
    version: int
    publisher: str
    published_at: object  # datetime, timezone-aware
    items: tuple[CatalogueEntry, ...]

    def to_json(self) -> dict:
        return {"protocol": PROTOCOL_VERSION, "version": self.version, "publisher": self.publisher,
                "published_at": self.published_at.isoformat(), "items": [i.to_json() for i in self.items]}


def parse_catalogue(obj) -> CatalogueMessage:
    """A catalogue message from decoded JSON, or PayloadError listing every problem (at most 50)."""
    r = _Reader(obj)
    if r.obj.get("protocol") != PROTOCOL_VERSION:
        r.fail("协议版本", f"应为 {PROTOCOL_VERSION}")
    version = r.integer("version", "版本号", 1, MAX_VERSION)
    publisher = r.text("publisher", "发布机构", MAX_PUBLISHER)
    published_at = r.moment("published_at", "发布时间")
    raw_items = r.obj.get("items")
    entries: list[CatalogueEntry] = []
    if not isinstance(raw_items, list):
        r.fail("目录事项", "应为列表")
        raw_items = []
    elif len(raw_items) > MAX_ITEMS:
        r.fail("目录事项", f"不能超过 {MAX_ITEMS} 项")
        raw_items = []
    first_levels: set[int] = set()
    seen: set[int] = set()
    places: set[tuple[str, int | None, str]] = set()
    for n, raw in enumerate(raw_items, start=1):
        s = _Reader(raw, f"第 {n} 项")
        item_id = s.integer("id", "编号", 1, MAX_CATALOGUE_ID)
        parent = s.obj.get("parent_id")
        if parent is not None and (isinstance(parent, bool) or not isinstance(parent, int)):
            s.fail("上级编号", "应为整数或 null")
            parent = None
        domain = s.text("domain", "领域", MAX_CATALOGUE_DOMAIN)
        name = s.text("name", "公开事项名称", MAX_CATALOGUE_NAME)
        values = {key: s.text(key, label, limit, required=False, single_line=False) for key, label, limit in ELEMENTS}
        for key, allowed in CHOICES.items():
            if values[key] and values[key] not in allowed:
                s.fail(dict((k, lb) for k, lb, _ in ELEMENTS)[key], "应为" + "或".join(f"“{a}”" for a in allowed))
        if item_id in seen:
            s.fail("编号", f"{item_id} 重复")
        if parent is not None and parent not in first_levels:
            s.fail("上级编号", "应为此前列出的一级事项（目录只有两级）")
        if (domain, parent, name) in places:
            s.fail("公开事项名称", "同一位置重名")
        r.problems += s.problems
        if not s.problems:
            seen.add(item_id)
            places.add((domain, parent, name))
            if parent is None:
                first_levels.add(item_id)
            entries.append(CatalogueEntry(item_id, parent, domain, name, **values))
        if len(r.problems) > 50:
            break
    if r.problems:
        raise PayloadError(r.problems[:50])
    return CatalogueMessage(version, publisher, published_at, tuple(entries))
