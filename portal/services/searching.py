"""Full-text search: parse the query, ask the index (portal/search), load one page, make snippets."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import undefer

from ..extensions import db
from ..models import PUBLISHED, Item
from ..search import search_index
from ..search.bigrams import Query, highlight, parse_query, snippet

MAX_PAGES = 50


@dataclass
class Hit:
    item: Item
    title_html: Markup
    snippet_html: Markup


@dataclass
class SearchPage:
    query: Query
    hits: list[Hit]
    total: int
    capped: bool  # more matches exist than the window holds
    page: int
    pages: int


def search(raw: str, page: int, size: int, window: int) -> SearchPage:
    query = parse_query(raw)
    if not query.ok:
        return SearchPage(query, [], 0, False, 1, 0)
    ranked = search_index(db.session).search(query, window)
    pages = min(MAX_PAGES, max(1, -(-len(ranked) // size)))
    page = min(max(1, page), pages)
    ids = [item_id for item_id, _ in ranked[(page - 1) * size: page * size]]
    items = {i.id: i for i in db.session.execute(
        select(Item).options(undefer(Item.body_text)).where(Item.id.in_(ids), Item.status == PUBLISHED)).scalars()}
    hits = []
    for item_id in ids:
        item = items.get(item_id)
        if item is None:
            continue
        hits.append(Hit(item, Markup(highlight(item.title, query)), Markup(snippet(item.body_text, query))))
    return SearchPage(query, hits, len(ranked), len(ranked) >= window, page, pages)
