"""One small search interface; the database's own full-text index behind it.

    index = search_index(session)
    index.put(item_id, title, text)      # add or replace (in the caller's transaction)
    index.delete(item_id)
    hits = index.search(query, window)   # [(item_id, score)] best first, at most `window` + title hits

SQLite uses an FTS5 table of overlapping bigrams (`search_fts`), PostgreSQL a table of
bigram tsvectors with GIN indexes (`search_entries`); both are built by the portal's
migration.  A dedicated engine (a province-wide portal) would be a third class with the
same three methods.

Ranking, the same on both: the candidates are the newest `window` items matching the query
(read in id order, so a query matching half of a million documents still costs one bounded
read), ordered by the database's relevance score (BM25 on SQLite, ts_rank on PostgreSQL)
with matches in the title weighted up.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.orm import Session

from .bigrams import Phrase, Query, fts5_match, fts5_text, index_tokens, tsquery, tsvector


class SearchIndex(Protocol):
    def put(self, item_id: int, title: str, body: str) -> None: ...

    def delete(self, item_id: int) -> None: ...

    def search(self, query: Query, window: int) -> list[tuple[int, float]]: ...


class SqliteFts5Index:
    def __init__(self, session: Session) -> None:
        self.session = session

    def put(self, item_id: int, title: str, body: str) -> None:
        self.delete(item_id)
        self.session.execute(
            text("INSERT INTO search_fts (rowid, title, body) VALUES (:id, :t, :b)"),
            {"id": item_id, "t": fts5_text(index_tokens(title)), "b": fts5_text(index_tokens(body))},
        )

    def delete(self, item_id: int) -> None:
        self.session.execute(text("DELETE FROM search_fts WHERE rowid = :id"), {"id": item_id})

    def search(self, query: Query, window: int) -> list[tuple[int, float]]:
        rows = self.session.execute(text(
            "SELECT id, score FROM ("
            " SELECT rowid AS id, bm25(search_fts, 10.0, 1.0) AS score FROM search_fts"
            " WHERE search_fts MATCH :q ORDER BY rowid DESC LIMIT :k"
            ") ORDER BY score, id DESC"
        ), {"q": fts5_match(query), "k": window}).all()
        return [(r.id, -r.score) for r in rows]


class PostgresBigramIndex:
    def __init__(self, session: Session) -> None:
        self.session = session

    def put(self, item_id: int, title: str, body: str) -> None:
        title_tokens = index_tokens(title)
        self.session.execute(text(
            "INSERT INTO search_entries (item_id, vec, title_vec) VALUES (:id, CAST(:v AS tsvector), CAST(:t AS tsvector))"
            " ON CONFLICT (item_id) DO UPDATE SET vec = EXCLUDED.vec, title_vec = EXCLUDED.title_vec"
        ), {"id": item_id, "v": tsvector(title_tokens, index_tokens(body)), "t": tsvector(title_tokens, [])})

    def delete(self, item_id: int) -> None:
        self.session.execute(text("DELETE FROM search_entries WHERE item_id = :id"), {"id": item_id})

    def search(self, query: Query, window: int) -> list[tuple[int, float]]:
        # The tsquery is written into the statement, not bound, so the planner's estimates see it.
        # It holds only the quoted tokens of bigrams.tsquery() (checked by _sql_string).
        q = "CAST(" + _sql_string(tsquery(query)) + " AS tsquery)"
        self._choose_plan(query, q, window)
        rows = self.session.execute(text(
            f"SELECT item_id AS id, ts_rank(vec, {q}) AS score FROM ("
            f" SELECT item_id, vec FROM search_entries WHERE vec @@ {q} ORDER BY item_id DESC LIMIT :k"
            f") newest ORDER BY score DESC, id DESC"
        ), {"k": window}).all()
        return [(r.id, float(r.score)) for r in rows]

    def _choose_plan(self, query: Query, q: str, window: int) -> None:
        """Read the newest `window` matches the cheaper of two ways.

        Walking the primary key backwards stops after `window` matches but opens every row it
        passes — about window ÷ (share of rows matching); the GIN index finds every match and
        keeps the newest — about share × rows.  PostgreSQL knows the share of a common bigram
        (its statistics on the column) but counts opening a row's vector (stored out of line)
        as free, so left alone it walks for bigrams that are not common enough.  The choice is
        made here from the same statistics, and the other plan is switched off with
        set_config(..., true), which lasts until this read-only request's transaction ends."""
        stats = _column_stats(self.session)
        share = min((stats.share(p) for p in query.phrases), default=0.0)  # an upper bound: all must match
        walk = share > 0 and window / share < share * stats.rows
        self.session.execute(text("SELECT set_config('enable_bitmapscan', :b, true), "
                                  "set_config('enable_indexscan', :i, true)"),
                             {"b": "off" if walk else "on", "i": "on" if walk else "off"})


@dataclass
class _Stats:
    rows: float
    shares: dict[str, float]
    floor: float  # the share of a bigram too rare to be listed

    def share(self, phrase: Phrase) -> float:
        """The share of rows holding every token of the phrase: at most its rarest token's."""
        tokens = phrase.tokens[:-1] if phrase.prefix_last else phrase.tokens
        if not tokens:
            return 0.0  # a prefix alone: unknown, take the index
        return min(self.shares.get(t, self.floor) for t in tokens)


_STATS: dict[str, tuple[_Stats, float]] = {}  # database URL → (statistics, when read)


def _column_stats(session: Session) -> _Stats:
    """PostgreSQL's own statistics of search_entries.vec (its most common bigrams and their
    share of rows), read again every 10 minutes; ANALYZE (autovacuum) refreshes them."""
    key = str(session.get_bind().url)
    cached = _STATS.get(key)
    if cached and time.monotonic() - cached[1] < 600:
        return cached[0]
    rows = float(session.execute(text(
        "SELECT reltuples FROM pg_class WHERE oid = 'search_entries'::regclass")).scalar_one() or 0)
    found = session.execute(text(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats"
        " WHERE tablename = 'search_entries' AND attname = 'vec'")).first()
    shares: dict[str, float] = {}
    if found and found[0]:
        shares = dict(zip(found[0], (float(f) for f in found[1]), strict=False))
    stats = _Stats(max(rows, 0.0), shares, min(shares.values()) / 2 if shares else 0.0)
    _STATS[key] = (stats, time.monotonic())
    return stats


_SAFE_TSQUERY = re.compile(r"[\s'()&<>\-:*0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]*")


def _sql_string(value: str) -> str:
    if not _SAFE_TSQUERY.fullmatch(value):
        raise ValueError("unexpected character in a tsquery")
    return "'" + value.replace("'", "''") + "'"


def search_index(session: Session) -> SearchIndex:
    if session.get_bind().dialect.name == "postgresql":
        return PostgresBigramIndex(session)
    return SqliteFts5Index(session)
