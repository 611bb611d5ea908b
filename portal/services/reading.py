"""What the public reads: the catalogue (keyset paging), one item, the feed and the sitemap.

Every list reads one page through an index in order (`published_at DESC, id DESC`), so a
page costs the same at 1,000 and at 1,000,000 documents; counts stop at COUNT_CAP
(shown as "1000+").
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import Integer, String, bindparam, func, literal, select, tuple_
from sqlalchemy.orm import undefer

from gkt_protocol.payload import INDEX_NO
from gkt_protocol.taxonomy import TOP_CLASSES

from ..clock import AGENCY_TZ, to_agency
from ..extensions import db
from ..models import POLICY, PUBLISHED, CatalogueVersion, Item, ItemFile, Publisher, UTCDateTime
from ..models_attachments import ItemAttachment
from ..models_catalogue import CatalogueLink
from ..models_rendered import RenderedPage

COUNT_CAP = 1_000
SITEMAP_CHUNK = 10_000
_CURSOR = re.compile(r"(\d{20})-(\d{1,12})")


@dataclass
class CatalogueFilter:
    year: int | None = None
    topic: str = ""
    publisher: str = ""
    problems: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, args) -> CatalogueFilter:
        f = cls()
        year = (args.get("year") or "").strip()
        if year:
            if year.isdigit() and len(year) == 4:
                f.year = int(year)
            else:
                f.problems.append("年份应为四位数字，已忽略。")
        topic = (args.get("topic") or "").strip()
        if topic:
            if topic in TOP_CLASSES:
                f.topic = topic
            else:
                f.problems.append("没有这个主题分类，已忽略。")
        publisher = (args.get("publisher") or "").strip()
        if publisher:
            if len(publisher) <= 100:
                f.publisher = publisher
            else:
                f.problems.append("发布机构名称过长，已忽略。")
        return f

    def as_args(self) -> dict:
        return {k: v for k, v in (("year", self.year), ("topic", self.topic), ("publisher", self.publisher)) if v}


@dataclass
class CataloguePage:
    rows: list  # Core rows with the columns of _LIST_COLUMNS (as attributes), newest first
    total: int
    total_capped: bool
    next_cursor: str | None
    prev_cursor: str | None
    last_change: datetime | None = None  # newest change anywhere (Last-Modified), read with the page
    version: int | None = None  # the catalogue's version, read in the same statement (the page's cache key)


def encode_cursor(item: Item) -> str:
    return f"{item.published_at.astimezone(UTC).strftime('%Y%m%d%H%M%S%f')}-{item.id}"


def decode_cursor(raw: str | None) -> tuple[datetime, int] | None:
    m = _CURSOR.fullmatch(raw or "")
    if not m:
        return None
    try:
        at = datetime.strptime(m.group(1), "%Y%m%d%H%M%S%f")
    except ValueError:
        return None
    return at.replace(tzinfo=UTC), int(m.group(2))


def _key_value(cursor: tuple[datetime, int]):
    return tuple_(literal(cursor[0], UTCDateTime()), literal(cursor[1], Integer()))


def _year_start(year: int) -> datetime:
    return datetime(max(1, min(year, 9998)), 1, 1, tzinfo=AGENCY_TZ).astimezone(UTC)


def _filtered(stmt, f: CatalogueFilter):
    stmt = stmt.where(Item.kind == POLICY, Item.status == PUBLISHED)
    if f.year:  # a range of 发布日期 (Beijing), so every catalogue index serves it
        stmt = stmt.where(Item.published_at >= _year_start(f.year), Item.published_at < _year_start(f.year + 1))
    if f.topic:
        stmt = stmt.where(Item.topic == f.topic)
    if f.publisher:
        stmt = stmt.where(Item.publisher == f.publisher)
    return stmt


# Building a SQLAlchemy statement costs more CPU than running it (about 1 ms for the catalogue's
# three), so each shape of the catalogue query — which filters, which direction — is built once,
# with bound parameters, and reused.  One round trip per page: the rows carry the capped count and
# the last change as scalar subqueries (evaluated once per statement by SQLite and PostgreSQL).
_STATEMENTS: dict[tuple, tuple] = {}
_VERSION = select(CatalogueVersion.version).where(CatalogueVersion.id == 1)


def catalogue_version() -> int | None:
    """The catalogue's version (raised at the commit of every change to what the list shows):
    one statement on a connection of its own, like the document's stamps."""
    with _autocommit_engine().connect() as connection:
        return connection.execute(_VERSION).scalar_one_or_none()


_T = Item.__table__  # plain Core columns: the list reads rows, not ORM objects
# What a catalogue row shows and links to (catalogue.html, item_url, encode_cursor): a Core row has
# these as attributes, and loading 21 rows of ten columns costs a fraction of loading 21 Items.
_LIST_COLUMNS = (_T.c.id, _T.c.kind, _T.c.index_no, _T.c.title, _T.c.doc_number, _T.c.publisher, _T.c.topic,
                 _T.c.published_at, _T.c.validity, _T.c.interpretation_id)


def _shape_filtered(stmt, shape: tuple[bool, bool, bool]):
    year, topic, publisher = shape
    stmt = stmt.where(_T.c.kind == POLICY, _T.c.status == PUBLISHED)
    if year:
        stmt = stmt.where(_T.c.published_at >= bindparam("y0", type_=UTCDateTime()),
                          _T.c.published_at < bindparam("y1", type_=UTCDateTime()))
    if topic:
        stmt = stmt.where(_T.c.topic == bindparam("topic", type_=String()))
    if publisher:
        stmt = stmt.where(_T.c.publisher == bindparam("publisher", type_=String()))
    return stmt


def _catalogue_statements(shape: tuple[bool, bool, bool], direction: str):
    key = (*shape, direction)
    built = _STATEMENTS.get(key)
    if built is None:
        count = (select(func.count()).select_from(_shape_filtered(select(_T.c.id), shape).limit(COUNT_CAP + 1)
                                                  .subquery()).scalar_subquery())
        changed = select(func.max(_T.c.updated_at)).scalar_subquery()
        version = _VERSION.scalar_subquery()
        rows = _shape_filtered(select(*_LIST_COLUMNS, count.label("total"), changed.label("changed"),
                                      version.label("version")), shape)
        cursor = tuple_(bindparam("at", type_=UTCDateTime()), bindparam("cid", type_=Integer()))
        key_cols = tuple_(_T.c.published_at, _T.c.id)
        if direction == "before":
            rows = rows.where(key_cols > cursor).order_by(_T.c.published_at.asc(), _T.c.id.asc())
        else:
            if direction == "after":
                rows = rows.where(key_cols < cursor)
            rows = rows.order_by(_T.c.published_at.desc(), _T.c.id.desc())
        rows = rows.limit(bindparam("size", type_=Integer()))
        built = _STATEMENTS[key] = (rows, select(count, changed, version))
    return built


def catalogue(f: CatalogueFilter, after: str | None, before: str | None, size: int) -> CataloguePage:
    after_c, before_c = decode_cursor(after), decode_cursor(before)
    direction = "before" if before_c else "after" if after_c else "first"
    rows_stmt, stats_stmt = _catalogue_statements((bool(f.year), bool(f.topic), bool(f.publisher)), direction)
    params: dict = {}
    if f.year:
        params.update(y0=_year_start(f.year), y1=_year_start(f.year + 1))
    if f.topic:
        params["topic"] = f.topic
    if f.publisher:
        params["publisher"] = f.publisher
    stats_params = dict(params)
    cursor = before_c or after_c
    if cursor:
        params.update(at=cursor[0], cid=cursor[1])
    # On a connection of its own (autocommit on PostgreSQL, like the document's stamps): one statement
    # answers the page, so no transaction is needed around it, and BEGIN and ROLLBACK would be two
    # more round trips.
    with _autocommit_engine().connect() as connection:
        rows = connection.execute(rows_stmt, {**params, "size": size + 1}).all()
        if rows:
            total, changed, version = rows[0].total, rows[0].changed, rows[0].version
        else:
            total, changed, version = connection.execute(stats_stmt, stats_params).one()
    more = len(rows) > size
    rows = rows[:size]
    if before_c:
        rows.reverse()
        has_next, has_prev = True, more
    else:
        has_next, has_prev = more, bool(after_c)
    return CataloguePage(
        rows, min(total, COUNT_CAP), total > COUNT_CAP,
        encode_cursor(rows[-1]) if rows and has_next else None,
        encode_cursor(rows[0]) if rows and has_prev else None,
        changed, version,
    )


_FACETS: dict[str, tuple[float, int | None, list[int], list[str]]] = {}  # database → (when, version, years, publishers)
FACETS_SECONDS = 30


def facets(version: int | None = None) -> tuple[list[int], list[str]]:
    """The catalogue's filter choices: years (newest first) and publishers.  Kept while the
    catalogue's version is `version` (read by the caller with its page; the triggers raise it with
    every change to items or publishers), else for FACETS_SECONDS; dropped by every push or
    withdrawal received by this process.  Read after the caller's page, so never from older data."""
    key = str(db.engine.url)
    cached = _FACETS.get(key)
    if (cached is None or cached[1] != version
            or (version is None and time.monotonic() - cached[0] > FACETS_SECONDS)):
        cached = (time.monotonic(), version, years(), publishers())
        _FACETS[key] = cached
    return cached[2], cached[3]


def forget_facets() -> None:
    _FACETS.clear()


def years() -> list[int]:
    """From the newest back to the oldest year with a public policy (two index look-ups)."""
    base = select(Item.published_at).where(Item.kind == POLICY, Item.status == PUBLISHED)
    oldest = db.session.execute(base.order_by(Item.published_at.asc()).limit(1)).scalar_one_or_none()
    newest = db.session.execute(base.order_by(Item.published_at.desc()).limit(1)).scalar_one_or_none()
    if oldest is None or newest is None:
        return []
    return list(range(to_agency(newest).year, to_agency(oldest).year - 1, -1))


def publishers() -> list[str]:
    return list(db.session.execute(select(Publisher.name).order_by(Publisher.name)).scalars())


def _latest_policies(limit: int):
    """The newest public policies (their 解读 are linked from them), in index order."""
    return (select(Item).where(Item.kind == POLICY, Item.status == PUBLISHED)
            .order_by(Item.published_at.desc(), Item.id.desc()).limit(limit))


def annual_reports(limit: int = 100) -> list[Item]:
    """The 政府信息公开年报 column: the agency's annual reports, newest first (issue 12)."""
    return list(db.session.execute(
        select(Item).where(Item.kind == POLICY, Item.status == PUBLISHED, Item.site_column == "annual_report")
        .order_by(Item.published_at.desc(), Item.id.desc()).limit(limit)).scalars())


def latest(limit: int) -> list[Item]:
    return list(db.session.execute(_latest_policies(limit)).scalars())


def latest_with_text(limit: int) -> list[Item]:
    return list(db.session.execute(_latest_policies(limit).options(undefer(Item.body_text))).scalars())


def last_change() -> datetime | None:
    return db.session.execute(select(func.max(Item.updated_at))).scalar_one()


# The document page's two statements, built once (see _STATEMENTS above).  A policy and its 解读
# share the 索引号, so one look-up by 索引号 returns both rows.
# The stamps carry the requested item's stored page (portal/rendering.py), joined on the row of the
# requested kind only: the same statement decides 404/410/304 and, when the stored page is current,
# answers the 200 without another round trip.
_R = RenderedPage.__table__
_STAMPS = (select(Item.id, Item.kind, Item.status, Item.version, Item.updated_at, Item.policy_id,
                  Item.interpretation_id, _R.c.seed.label("r_seed"), _R.c.tag.label("r_tag"),
                  _R.c.script_root.label("r_root"), _R.c.fresh_until.label("r_fresh_until"),
                  _R.c.body.label("r_body"))
           .select_from(Item.__table__.outerjoin(_R, (_R.c.item_id == Item.id)
                                                 & (Item.kind == bindparam("kind", type_=String()))))
           .where(Item.index_no == bindparam("index_no", type_=String())))
_PAIR = (select(Item).options(undefer(Item.body_html))
         .where(Item.index_no == bindparam("index_no", type_=String())).order_by(Item.id))


def _index_no(code: str, serial: str) -> str | None:
    index_no = f"{code}/{serial}"
    return index_no if INDEX_NO.fullmatch(index_no) else None


def item_stamps(code: str, serial: str, kind: str = POLICY) -> list:
    """What a document page is made of, without the text: id, kind, status, version, last change
    of the policy and its 解读 at this 索引号 (one indexed look-up, no ORM objects), and on the row
    of `kind` its stored page (r_seed, r_tag, r_root, r_fresh_until, r_body; None when none)."""
    index_no = _index_no(code, serial)
    if index_no is None:
        return []
    # A plain Core statement on a connection of its own, outside the ORM session: a page served from
    # the page cache never opens the session (nothing to set up, nothing to roll back at teardown),
    # and in autocommit the one SELECT is the only round trip (no BEGIN, no ROLLBACK on PostgreSQL).
    with _autocommit_engine().connect() as conn:
        return conn.execute(_STAMPS, {"index_no": index_no, "kind": kind}).all()


def _autocommit_engine():
    """The app's engine (same pool); on PostgreSQL each checkout in autocommit.  SQLite's driver
    opens no transaction for a SELECT anyway, and switching its isolation level costs a PRAGMA."""
    ext = current_app.extensions
    engine = ext.get("portal_stamp_engine")
    if engine is None:
        engine = db.engine
        if engine.dialect.name == "postgresql":
            engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        ext["portal_stamp_engine"] = engine
    return engine


def find_pair(code: str, serial: str, kind: str) -> tuple[Item | None, Item | None]:
    """The item at /xxgk/<code>/<serial>.html with its text, and its public counterpart — one query."""
    index_no = _index_no(code, serial)
    if index_no is None:
        return None, None
    rows = list(db.session.execute(_PAIR, {"index_no": index_no}).scalars())
    item = next((i for i in rows if i.kind == kind), None)
    if item is None:
        return None, None
    other_id = item.interpretation_id if item.kind == POLICY else item.policy_id
    other = next((i for i in rows if i.id == other_id), None) if other_id else None
    if other is None and other_id:  # not at the same 索引号 (never written so by the push; kept for safety)
        other = db.session.get(Item, other_id)
    return item, (other if other is not None and other.status == PUBLISHED else None)


# A policy page's 目录事项 and 附件 (names and sizes, not their bytes) in one round trip: one row per
# attachment, or one row without, each carrying the item's link (catalogue_links has one per item).
_L, _A = CatalogueLink.__table__, ItemAttachment.__table__
_EXTRAS = (select(_L.c.catalogue_item_id, _L.c.domain, _L.c.first_level, _L.c.second_level,
                  _A.c.position, _A.c.filename, _A.c.title, _A.c.size)
           .select_from(Item.__table__.outerjoin(_L, _L.c.item_id == Item.__table__.c.id)
                        .outerjoin(_A, _A.c.item_id == Item.__table__.c.id))
           .where(Item.__table__.c.id == bindparam("item_id", type_=Integer()))
           .order_by(_A.c.position))


@dataclass(frozen=True)
class FiledUnder:
    catalogue_item_id: int
    domain: str
    first_level: str
    second_level: str


@dataclass(frozen=True)
class AttachmentEntry:
    position: int
    filename: str
    title: str
    size: int


def filed_and_attachments(item: Item) -> tuple[FiledUnder | None, list[AttachmentEntry]]:
    """What a policy's page shows beside its own row: its 目录事项 and its 附件 (none for a 解读).
    Read by the view with one prepared statement, so the template renders from memory."""
    if item.kind != POLICY:
        return None, []
    rows = db.session.connection().execute(_EXTRAS, {"item_id": item.id}).all()
    first = rows[0] if rows else None
    filed = (FiledUnder(first.catalogue_item_id, first.domain, first.first_level, first.second_level or "")
             if first is not None and first.catalogue_item_id is not None else None)
    files = [AttachmentEntry(r.position, r.filename, r.title or "", r.size) for r in rows if r.position is not None]
    return filed, files


def find(code: str, serial: str, kind: str) -> Item | None:
    """The item at /xxgk/<code>/<serial>.html, with its text."""
    return find_pair(code, serial, kind)[0]


def counterpart(item: Item) -> Item | None:
    """The policy's 解读, or the 解读's policy (only when public)."""
    other_id = item.interpretation_id if item.kind == POLICY else item.policy_id
    other = db.session.get(Item, other_id) if other_id else None
    return other if other is not None and other.status == PUBLISHED else None


def docx_bytes(item: Item) -> bytes | None:
    f = db.session.get(ItemFile, item.id)
    return f.content if f is not None else None


def sitemap_chunks() -> int:
    """How many sitemap files of SITEMAP_CHUNK ids there are (from the largest id: no scan)."""
    top = db.session.execute(select(func.max(Item.id))).scalar_one()
    return 0 if top is None else (top - 1) // SITEMAP_CHUNK + 1


def sitemap_chunk(n: int) -> list[Item]:
    low, high = n * SITEMAP_CHUNK + 1, (n + 1) * SITEMAP_CHUNK
    return list(db.session.execute(
        select(Item).where(Item.id.between(low, high), Item.status == PUBLISHED).order_by(Item.id)
    ).scalars())



# --------------------------------------------------------------------------- 规范性文件清理结果 (R11)

MAX_CLEANUP_ROWS = 1_000


def cleanup_results(decision: str | None = None) -> list[Item]:
    """The public policies whose latest push carried a 规范性文件清理 decision, newest decision
    first (the page lists them all: an agency decides tens a year, not thousands)."""
    stmt = select(Item).where(Item.kind == POLICY, Item.status == PUBLISHED, Item.cleanup_decision.is_not(None))
    if decision:
        stmt = stmt.where(Item.cleanup_decision == decision)
    stmt = stmt.order_by(Item.cleanup_decided_on.desc(), Item.id.desc()).limit(MAX_CLEANUP_ROWS)
    return list(db.session.execute(stmt).scalars())
