"""The document search: by 文号, title and body text, with filters, newest first.

A page is the `size` newest documents (by id) that the user may see, that pass the
filters and whose search text holds every term (webapp/fulltext.py).  Keyset paging:
the next page starts below the last id shown.

How the terms are found, so that neither a common word nor a rare one reads every text:
- SQLite: the FTS5 trigram table is the outer loop, newest row first, so a common word
  stops after the first page and a rare one (a 文号) reads only its few candidates.
- PostgreSQL: the newest RECENT_WINDOW documents are read directly (a common word fills
  its page there); then, by the share of matches seen so far, either a larger window of
  older ones (a frequent word) or the GIN trigram index (a rare one: a 文号, a name).
- A term shorter than three characters has no trigram: it is matched by LIKE in the
  same newest-first order (docs/benchmarks.md has what that costs).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import column, func, select, table, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import Join

from .. import fulltext
from ..clock import AGENCY_TZ
from ..extensions import db
from ..models import Document, User
from ..policy import visible_documents
from ..textinput import parse_id
from .queues import BadCursor

PAGE_SIZE = 50
RECENT_WINDOW = 100


@dataclass(frozen=True)
class DocumentSearch:
    """What the search page asks: words (文号, title or body) and filters."""

    text: str = ""
    stage: str | None = None
    disclosure: str | None = None
    department_id: int | None = None
    date_field: str = "updated"  # "updated": 更新日期; "printed": 印发日期
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class SearchPage:
    items: list[Document]
    next_cursor: str | None


def encode_cursor(doc_id: int) -> str:
    return base64.urlsafe_b64encode(f"id|{doc_id}".encode()).decode()


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        if len(cursor) > 100:
            raise ValueError("too long")
        kind, ident = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii").split("|")
    except (ValueError, UnicodeError) as exc:  # binascii.Error is a ValueError
        raise BadCursor() from exc
    number = parse_id(ident)
    if kind != "id" or number is None:
        raise BadCursor()
    return number


def _filters(user: User, search: DocumentSearch, below: int | None) -> list:
    conds = [visible_documents(user)]
    if below is not None:
        conds.append(Document.id < below)
    if search.stage:
        conds.append(Document.stage == search.stage)
    if search.disclosure:
        conds.append(Document.disclosure == search.disclosure)
    if search.department_id:
        conds.append(Document.department_id == search.department_id)
    if search.date_field == "printed":
        if search.date_from:
            conds.append(Document.print_date >= search.date_from)
        if search.date_to:
            conds.append(Document.print_date <= search.date_to)
    else:  # the agency's calendar days as UTC instants (SQLite compares the stored UTC wall time)
        if search.date_from:
            conds.append(Document.updated_at >= datetime.combine(search.date_from, time.min, AGENCY_TZ).astimezone(UTC))
        if search.date_to:
            conds.append(Document.updated_at <= datetime.combine(search.date_to, time.max, AGENCY_TZ).astimezone(UTC))
    return conds


class _DrivingJoin(Join):
    """`left CROSS JOIN right ON …`: SQLite then keeps `left` as the outer loop."""

    inherit_cache = True


@compiles(_DrivingJoin, "sqlite")
def _compile_driving_join(join, compiler, **kw):
    kw["asfrom"] = True
    return (f"{compiler.process(join.left, **kw)} CROSS JOIN {compiler.process(join.right, **kw)} "
            f"ON {compiler.process(join.onclause, **kw)}")


_FTS = table(fulltext.SQLITE_FTS_TABLE, column("rowid"), column("search_text"))


def _ids_sqlite(filters: list, terms: list[str], want: int) -> list[int]:
    likes = [Document.search_text.like(fulltext.like_pattern(t), escape="\\") for t in terms]
    indexed = [t for t in terms if fulltext.indexable(t)]
    if not indexed:
        query = select(Document.id).where(*filters, *likes).order_by(Document.id.desc())
    else:
        drive = max(indexed, key=len)  # the rarest, as far as length tells
        others = [like for t, like in zip(terms, likes, strict=True) if t != drive]
        query = (
            select(Document.id)
            .select_from(_DrivingJoin(_FTS, Document.__table__, Document.id == _FTS.c.rowid))
            .where(_FTS.c.search_text.like(fulltext.like_pattern(drive)), *filters, *others)
            .order_by(_FTS.c.rowid.desc())
        )
    return list(db.session.execute(query.limit(want)).scalars())


def _ids_postgresql(filters: list, terms: list[str], want: int, window: int) -> list[int]:
    patterns = [fulltext.like_pattern(t) for t in terms]  # backslash is PostgreSQL's own LIKE escape
    found: list[int] = []
    scanned, below = 0, None
    while True:
        recent = (select(Document.id, Document.search_text)
                  .where(*filters, *([Document.id < below] if below is not None else []))
                  .order_by(Document.id.desc()).limit(window).subquery())
        found += db.session.execute(
            select(recent.c.id).where(*[recent.c.search_text.like(p) for p in patterns])
            .order_by(recent.c.id.desc()).limit(want - len(found))
        ).scalars()
        if len(found) >= want:
            return found
        lowest, seen = db.session.execute(select(func.min(recent.c.id), func.count(recent.c.id))).one()
        if seen < window:  # nothing older is left
            return found
        scanned, below = scanned + seen, lowest
        # Read on, newest first, while that costs fewer texts than the index's candidates
        # among the older documents would (ids stand in for their number); else the index.
        rate, remaining = len(found) / scanned, want - len(found)
        if rate == 0 or remaining / rate > rate * lowest:
            return found + _through_gin_index(  # id + 0: not a range of the primary key to scan instead
                select(Document.id).where(*filters, Document.id + 0 < lowest,
                                          *[Document.search_text.like(p) for p in patterns])
                .order_by(Document.id.desc()).limit(remaining))
        window = int(remaining / rate * 1.5) + 1


def _through_gin_index(query) -> list[int]:
    """Run `query` with bitmap scans only.  PostgreSQL's planner does not count the cost of
    unpacking each stored text (TOAST), so on a table of a few thousand documents it
    prefers reading every text to the trigram index, at many times the cost."""
    settings = ("enable_seqscan", "enable_indexscan")
    for name in settings:
        db.session.execute(text(f"SET LOCAL {name} = off"))
    try:
        return list(db.session.execute(query).scalars())
    finally:
        for name in settings:
            db.session.execute(text(f"SET LOCAL {name} TO DEFAULT"))


def search_documents(user: User, search: DocumentSearch, cursor: str | None, size: int = PAGE_SIZE,
                     window: int = RECENT_WINDOW) -> SearchPage:
    filters = _filters(user, search, decode_cursor(cursor))
    terms = fulltext.query_terms(search.text)
    want = size + 1
    if not terms:
        ids = list(db.session.execute(
            select(Document.id).where(*filters).order_by(Document.id.desc()).limit(want)).scalars())
    elif db.session.get_bind().dialect.name == "postgresql":
        ids = _ids_postgresql(filters, terms, want, window)
    else:
        ids = _ids_sqlite(filters, terms, want)
    rows = {d.id: d for d in db.session.execute(select(Document).where(Document.id.in_(ids))).scalars()} if ids else {}
    items = [rows[i] for i in ids[:size]]
    return SearchPage(items, encode_cursor(items[-1].id) if len(ids) > size else None)
