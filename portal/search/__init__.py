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
(read in index order, so the cost does not grow with the table) plus the newest `window`
whose *title* matches; they are ordered by the database's relevance score (BM25 on SQLite,
ts_rank on PostgreSQL), title matches weighted up.  So a query matching half of a million
documents still costs one bounded read, and an older document whose title matches stays
in reach.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import text
from sqlalchemy.orm import Session

from .bigrams import Query, fts5_match, fts5_text, index_tokens, tsquery, tsvector


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
        match = fts5_match(query)
        rows = self.session.execute(text(
            "SELECT id, min(score) AS score FROM ("
            " SELECT * FROM (SELECT rowid AS id, bm25(search_fts, 10.0, 1.0) AS score FROM search_fts"
            "  WHERE search_fts MATCH :all ORDER BY rowid DESC LIMIT :k)"
            " UNION ALL"
            " SELECT * FROM (SELECT rowid AS id, bm25(search_fts, 10.0, 1.0) AS score FROM search_fts"
            "  WHERE search_fts MATCH :title ORDER BY rowid DESC LIMIT :k)"
            ") GROUP BY id ORDER BY score, id DESC"
        ), {"all": match, "title": "{title} : (" + match + ")", "k": window}).all()
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
        rows = self.session.execute(text(
            "WITH q AS (SELECT CAST(:q AS tsquery) AS q) "
            "SELECT id, max(score) AS score FROM ("
            " (SELECT item_id AS id, ts_rank(vec, q.q) AS score FROM search_entries, q"
            "  WHERE vec @@ q.q ORDER BY item_id DESC LIMIT :k)"
            " UNION ALL "
            " (SELECT item_id AS id, ts_rank(vec, q.q) AS score FROM search_entries, q"
            "  WHERE title_vec @@ q.q ORDER BY item_id DESC LIMIT :k)"
            ") hits GROUP BY id ORDER BY score DESC, id DESC"
        ), {"q": tsquery(query), "k": window}).all()
        return [(r.id, float(r.score)) for r in rows]


def search_index(session: Session) -> SearchIndex:
    if session.get_bind().dialect.name == "postgresql":
        return PostgresBigramIndex(session)
    return SqliteFts5Index(session)
