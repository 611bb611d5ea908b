"""Portal: the standard catalogue's pages (issue 15) — the catalogue page and an item's page — as the
portal grows.

    python bench/portal_catalogue_bench.py                       # SQLite 10,000 and 100,000; PostgreSQL too
                                                                  # when TEST_DATABASE_URL is set
    python bench/portal_catalogue_bench.py --sizes 1000 --pg-sizes ""   # a quick run

Seeding: bench/portal_seed.py (N policies from the real notices), then every policy filed under one
of 300 second-level items (catalogue_links, as pushes write them): item 11 holds 20 % of the
policies (a "hot" item), item 12 one in 1,000 (a "rare" item), the rest spread evenly; the catalogue
itself (10 first-level and 300 second-level items, every element filled) received as a message.

Figures: p50 / p95 of 200 requests through the WSGI app (routing, queries, template, ETag), median
of 3 rounds, beside the floor: the same template rendered from rows already in memory.  Pages: the
catalogue page; the hot item's first page and a page from its middle (keyset `after=`); the rare
item's page (its few rows are spread over the whole table: the index must find them without a scan).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe  # noqa: E402
from bench.portal_bench import backends, migrate_and_seed, pct  # noqa: E402

REQUESTS = 200
ROUNDS = 3
HOT, RARE = 11, 12


def catalogue_message():
    from gkt_protocol.catalogue import CatalogueEntry, CatalogueMessage

    items, next_id = [], 1000
    for f in range(1, 11):
        items.append(CatalogueEntry(f, None, "安全生产" if f <= 5 else "救灾", f"一级事项{f}"))
        for s in range(30):
            item_id = 11 + (f - 1) * 30 + s
            items.append(CatalogueEntry(item_id, f, items[-1 - s].domain if s else items[-1].domain,
                                        f"二级事项{item_id}", content="公开内容要素" * 10, basis="《政府信息公开条例》第二十条" * 3,
                                        time_limit="信息形成或变更之日起20个工作日内", subject="县级应急管理部门",
                                        channels="政府网站、政务新媒体、公开栏", audience="全社会", mode="主动", level="县级、乡级"))
            next_id += 1
    return CatalogueMessage(1, "示范市应急管理局", datetime(2026, 3, 5, 9, 30, tzinfo=UTC), tuple(items))


def file_policies(app) -> None:
    """Every policy under an item: 20 % under HOT, 1 ‰ under RARE, the rest over items 13…310."""
    from sqlalchemy import text

    from portal.extensions import db
    from portal.services.catalogue import receive_catalogue

    with app.app_context():
        receive_catalogue(catalogue_message())
        db.session.execute(text(
            "INSERT INTO catalogue_links (item_id, catalogue_item_id, domain, first_level, second_level, published_at) "
            "SELECT id, CASE WHEN id % 5 = 0 THEN 11 WHEN id % 1000 = 7 THEN 12 ELSE 13 + id % 298 END, "
            "'救灾', '一级事项1', '二级事项', published_at FROM items WHERE kind = 'policy'"))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE catalogue_links"))
            db.session.commit()


def time_requests(client, urls: list[str]) -> list[float]:
    out = []
    for url in urls:
        t = time.perf_counter()
        r = client.get(url)
        out.append(time.perf_counter() - t)
        assert r.status_code == 200, (url, r.status_code)
    return out


def floors(app, middle_url: str) -> dict[str, list[float]]:
    from flask import render_template

    from portal.catalogue_views import ELEMENT_LABELS
    from portal.services import catalogue as standard

    out: dict[str, list[float]] = {"catalogue_floor": [], "item_floor": []}
    with app.test_request_context("/xxgk/ml/"):
        edition, domains = standard.edition(), standard.tree()
        where = standard.place(HOT)
        page = standard.documents(HOT, None, None, 20)
        renders = {
            "catalogue_floor": lambda: render_template("portal/standard_catalogue.html", edition=edition,
                                                       domains=domains, elements=ELEMENT_LABELS,
                                                       column="政府信息公开", subcolumn="ml"),
            "item_floor": lambda: render_template("portal/standard_item.html", place=where, page=page,
                                                  elements=ELEMENT_LABELS, edition=edition,
                                                  column="政府信息公开", subcolumn="ml"),
        }
        for key, render in renders.items():
            for _ in range(REQUESTS):
                t = time.perf_counter()
                render()
                out[key].append(time.perf_counter() - t)
    return out


def plan(app) -> str:
    """How the database reads the rare item's page (the index, not a scan)."""
    from sqlalchemy import text

    from portal.extensions import db

    sql = ("SELECT items.id FROM catalogue_links JOIN items ON items.id = catalogue_links.item_id "
           "WHERE catalogue_links.catalogue_item_id = 12 AND items.kind = 'policy' AND items.status = 'published' "
           "ORDER BY catalogue_links.published_at DESC, catalogue_links.item_id DESC LIMIT 21")
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            rows = db.session.execute(text("EXPLAIN QUERY PLAN " + sql)).all()
            return "; ".join(r[-1] for r in rows)
        rows = db.session.execute(text("EXPLAIN " + sql)).all()
        return " / ".join(r[0].strip() for r in rows if "Scan" in r[0] or "Index" in r[0])


def bench_one(url: str, n: int) -> dict:
    from bench.portal_bench import make_app
    from portal.services.catalogue import documents

    seed_s = migrate_and_seed(url, n)
    app = make_app(url)
    file_policies(app)
    client = app.test_client()
    with app.app_context():
        first = documents(HOT, None, None, 20)
        cursor = first.next_cursor
        for _ in range(min(50, n // 100)):  # walk into the middle of the hot item's list
            cursor = documents(HOT, cursor, None, 20).next_cursor or cursor
    urls = {"catalogue": ["/xxgk/ml/"] * REQUESTS, "hot": [f"/xxgk/ml/{HOT}.html"] * REQUESTS,
            "hot_deep": [f"/xxgk/ml/{HOT}.html?after={cursor}"] * REQUESTS, "rare": [f"/xxgk/ml/{RARE}.html"] * REQUESTS}
    for u in urls.values():
        time_requests(client, u[:10])  # warm up
    rounds: dict[str, list] = {}
    for _ in range(ROUNDS):
        samples = {k: time_requests(client, u) for k, u in urls.items()}
        samples.update(floors(app, urls["hot_deep"][0]))
        for k, v in samples.items():
            rounds.setdefault(k, []).append((pct(v, .5), pct(v, .95)))
    how = plan(app)
    with app.app_context():
        from portal.extensions import db

        db.engine.dispose()
    med = {k: (statistics.median(a for a, _ in v), statistics.median(b for _, b in v)) for k, v in rounds.items()}
    return {"n": n, "seed_s": seed_s, "load": os.getloadavg()[0], "plan": how, **med}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--pg-sizes", default="10000,100000")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    pg_sizes = [int(s) for s in args.pg_sizes.split(",") if s]
    print(f"Machine: {describe()}; load average at start {os.getloadavg()[0]:.1f}\n")
    print("| database | policies | catalogue page | catalogue floor | item, first page | item, middle page | "
          "rare item (1 ‰) | item floor | item p95 ÷ floor p95 | load | seeding (s) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    plans = []
    for name, n, url, cleanup in backends(sizes, pg_sizes):
        try:
            r = bench_one(url, n)
        finally:
            cleanup()

        def f(k: str, r: dict = r) -> str:
            return f"{r[k][0]:.1f} / {r[k][1]:.1f}"

        worst = max(r["hot"][1], r["hot_deep"][1], r["rare"][1])
        print(f"| {name} | {n:,} | {f('catalogue')} | {f('catalogue_floor')} | {f('hot')} | {f('hot_deep')} | "
              f"{f('rare')} | {f('item_floor')} | {worst / r['item_floor'][1]:.1f}× | {r['load']:.1f} | "
              f"{r['seed_s']:.0f} |", flush=True)
        plans.append(f"- {name}, {n:,}: {r['plan']}")
    print("\nQuery plan of the rare item's page:")
    print("\n".join(plans))


if __name__ == "__main__":
    main()
