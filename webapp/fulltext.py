"""The searchable text of a document, and the query terms matched against it — pure.

A document's `search_text` holds its title, its 发文字号 and the visible text of its
body, each paragraph on a line of its own, normalised so that what a user types finds
what the document says:

- full-width and half-width forms are one (NFKC: ２０２６ = 2026, ＡＢ = ab), case is
  folded;
- the brackets of a 文号 are one: 〔2026〕, [2026], ［2026］, 【2026】 and (2026) all
  match each other, since people type whichever their keyboard gives;
- spaces, tabs and zero-width characters inside a line are dropped, so
  "豫应急办 〔2026〕 4 号" finds 豫应急办〔2026〕4号.

A query is split on spaces into at most MAX_TERMS terms, normalised the same way; a
document matches when every term occurs in its text (a LIKE per term).

A trigram index finds a term of MIN_INDEXED characters or more without reading every
text: FTS5's trigram tokenizer on SQLite (an external-content table kept current by
triggers), pg_trgm's GIN index on PostgreSQL.  A shorter term (一 or 应急) is matched by
a scan; docs/benchmarks.md has the figures.  Both indexes are made by the DDL below,
from the models' create events and from migration 0008_input, not by autogenerate.
"""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser

MAX_TERMS = 5
MAX_QUERY_CHARS = 100

_OPEN = "[(【〖〘"
_CLOSE = "])】〗〙"
_BRACKETS = str.maketrans({**{c: "〔" for c in _OPEN}, **{c: "〕" for c in _CLOSE}})
_BLOCK_TAGS = frozenset({"p", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
                         "div", "table", "ol", "ul", "blockquote"})
_SKIP_TAGS = frozenset({"script", "style"})


def _drop(c: str) -> bool:
    return c.isspace() or unicodedata.category(c) in ("Cf", "Cc")


def normalize(text: str | None) -> str:
    """One line of text as it is stored and matched (see the module's docstring)."""
    folded = unicodedata.normalize("NFKC", text or "").casefold().translate(_BRACKETS)
    return "".join(c for c in folded if not _drop(c))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):  # noqa: ARG002
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_lines(html: str | None) -> list[str]:
    """The visible text of an HTML fragment, one entry per block (paragraph, cell, item)."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    return [line for line in "".join(parser.parts).split("\n") if line.strip()]


def document_search_text(title: str | None, doc_number: str | None, body_html: str | None) -> str:
    lines = [title or "", doc_number or "", *html_lines(body_html)]
    return "\n".join(n for n in (normalize(line) for line in lines) if n)


def query_terms(query: str | None) -> list[str]:
    """The distinct normalised terms of a search box's text, at most MAX_TERMS."""
    terms: list[str] = []
    for word in (query or "")[:MAX_QUERY_CHARS].split():
        term = normalize(word)
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def like_pattern(term: str, escape: str = "\\") -> str:
    """`%term%` with LIKE's own wildcards in the term taken literally."""
    for special in (escape, "%", "_"):
        term = term.replace(special, escape + special)
    return f"%{term}%"


# ---- the trigram index ----------------------------------------------------------------

MIN_INDEXED = 3
SQLITE_FTS_TABLE = "documents_fts"
POSTGRESQL_INDEX = "ix_documents_search_trgm"

SQLITE_INDEX_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_FTS_TABLE} USING fts5(search_text, content='documents', "
    "content_rowid='id', tokenize='trigram', detail='none')",
    f"CREATE TRIGGER IF NOT EXISTS {SQLITE_FTS_TABLE}_insert AFTER INSERT ON documents BEGIN "
    f"INSERT INTO {SQLITE_FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {SQLITE_FTS_TABLE}_delete AFTER DELETE ON documents BEGIN "
    f"INSERT INTO {SQLITE_FTS_TABLE}({SQLITE_FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "END",
    f"CREATE TRIGGER IF NOT EXISTS {SQLITE_FTS_TABLE}_update AFTER UPDATE OF search_text ON documents BEGIN "
    f"INSERT INTO {SQLITE_FTS_TABLE}({SQLITE_FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {SQLITE_FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
)
SQLITE_REBUILD_SQL = f"INSERT INTO {SQLITE_FTS_TABLE}({SQLITE_FTS_TABLE}) VALUES ('rebuild')"
SQLITE_DROP_SQL = (
    *(f"DROP TRIGGER IF EXISTS {SQLITE_FTS_TABLE}_{event}" for event in ("insert", "delete", "update")),
    f"DROP TABLE IF EXISTS {SQLITE_FTS_TABLE}",
)
POSTGRESQL_EXTENSION_SQL = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
POSTGRESQL_INDEX_SQL = (
    f"CREATE INDEX IF NOT EXISTS {POSTGRESQL_INDEX} ON documents USING gin (search_text gin_trgm_ops)"
)


def is_search_index_object(name: str | None) -> bool:
    """The tables and index above (for autogenerate to leave alone)."""
    return bool(name) and (name.startswith(SQLITE_FTS_TABLE) or name == POSTGRESQL_INDEX)


def indexable(term: str) -> bool:
    """A term the trigram index can find: long enough, and (SQLite's index takes no
    ESCAPE clause) free of LIKE's own characters."""
    return len(term) >= MIN_INDEXED and not any(c in term for c in "%_\\")
