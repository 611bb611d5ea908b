"""Public portal: catalogue, document and search pages at 100,000 documents (and more).

    python bench/portal_bench.py                          # SQLite, and PostgreSQL when TEST_DATABASE_URL is set
    python bench/portal_bench.py --sizes 1000             # a quick run
    python bench/portal_bench.py --sizes 100000 --pg-sizes 100000,1000000
    python bench/portal_bench.py --wrk                    # + gunicorn / nginx cache / nginx static with wrk

Every figure is p50 / p95 over 200 requests through the WSGI app (Flask's test client:
routing, queries, template, cache headers), median of 3 rounds, beside a floor: the same
template rendered from rows already held in memory (no query at all).

Each page is requested two ways, both in this process: through Flask's test client (as the
figures before the `portalperf` branch were), and by calling the app as a WSGI server does,
`app(environ, start_response)` with a fresh copy of an environ prepared once per URL ("direct").
The test client's own cost shows in an empty route measured both ways in the same run.

The document page is measured twice: with the in-process page cache (portal/pagecache.py)
holding the 200 pages (warm: every request still reads the rows' stamps), and with the cache
turned off (cold: every request reads the rows and renders), which is also what the first
request for a page after a push costs.

    python bench/portal_bench.py --sizes "" --existing-pg postgresql://…/db:1000000   # a database seeded before
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_model  # noqa: E402

REQUESTS = 200
ROUNDS = 3
QUERIES = ["救灾", "公开", "应急"]


def pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))] * 1000


CPU: dict[str, list[float]] = {}  # figure → p50 CPU seconds of this process per request, one per round


def time_requests(client, urls: list[str], cpu_key: str | None = None) -> list[float]:
    """Wall time per request; with cpu_key, also this process's CPU time (on a shared machine
    the wall time includes waiting for a core, the CPU time does not — for SQLite, which runs
    inside this process, it is the whole cost).  `client` is a Flask test client or a Direct."""
    out, cpu = [], []
    for url in urls:
        t, c = time.perf_counter(), time.process_time()
        r = client.get(url)
        cpu.append(time.process_time() - c)
        out.append(time.perf_counter() - t)
        assert r.status_code == 200, (url, r.status_code)
    if cpu_key:
        CPU.setdefault(cpu_key, []).append(statistics.median(cpu))
    return out


from bench.wsgi_direct import Direct  # noqa: E402  (the app called as a server calls it)


def make_app(url: str, **config):
    from portal import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PORTAL_PUSH_SECRET": "bench-secret-0123456789abcdef",
                      **config})
    # An empty route on the benchmark's own instance (not in the portal): what Flask and the way
    # of calling it cost before any portal code runs.
    app.add_url_rule("/_bench/empty", "bench_empty", lambda: "")
    return app


def migrate_and_seed(url: str, n: int) -> float:
    from flask_migrate import upgrade

    from portal.extensions import db

    app = make_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    t = time.perf_counter()
    subprocess.run([sys.executable, str(Path(__file__).with_name("portal_seed.py")), url, str(n)], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def page_extras(item) -> tuple:
    """A policy page's 目录事项 and 附件, read once for the floor (the template renders them from
    memory when given; the code before `portalperf` read them from inside the template)."""
    from portal.services import reading

    if hasattr(reading, "filed_and_attachments"):
        return reading.filed_and_attachments(item)
    from portal.attachments import item_attachments
    from portal.catalogue_views import filed_under

    return filed_under(item), item_attachments(item)


def floors(app, doc_urls: list[str], query: str) -> dict[str, list[float]]:
    """The same templates rendered from objects already loaded (no query)."""
    from flask import render_template

    from gkt_protocol.taxonomy import TOP_CLASSES
    from portal.services import reading, searching

    out = {"list": [], "doc": [], "search": []}
    cpu = {"list": [], "doc": [], "search": []}
    with app.test_request_context("/xxgk/"):
        f = reading.CatalogueFilter()
        page = reading.catalogue(f, None, None, 20)
        years, publishers = reading.years(), reading.publishers()
        items = []
        for u in doc_urls[:50]:
            code, rest = u.split("/")[2:4]
            item = reading.find(code, rest[:-5], "policy")
            items.append((item, reading.counterpart(item), *page_extras(item)))
        result = searching.search(query, 1, 20, app.config["PORTAL_SEARCH_WINDOW"])
        renders = {
            "list": lambda i: render_template("portal/catalogue.html", page=page, f=f, years=years,
                                              topics=TOP_CLASSES, publishers=publishers, column="政府信息公开"),
            "doc": lambda i: render_template("portal/item.html", item=items[i % len(items)][0],
                                             other=items[i % len(items)][1], filed=items[i % len(items)][2],
                                             attachments=items[i % len(items)][3], column="政府信息公开"),
            "search": lambda i: render_template("portal/search.html", q=query, result=result, column="搜索",
                                                size=20),
        }
        for key, render in renders.items():
            for i in range(REQUESTS):
                t, c = time.perf_counter(), time.process_time()
                render(i)
                cpu[key].append(time.process_time() - c)
                out[key].append(time.perf_counter() - t)
    for key in cpu:
        CPU.setdefault(f"{key}_floor", []).append(statistics.median(cpu[key]))
    return out


def bench_one(url: str, n: int, seed: bool = True) -> dict:
    seed_s = migrate_and_seed(url, n) if seed else 0.0
    app = make_app(url)
    client = app.test_client()
    rerender_s = None
    try:
        from portal import rendering

        with app.app_context():  # the pages stored at write time (the seed bulk-inserts: none yet)
            t = time.perf_counter()
            rerender_s = (rendering.rerender(app), time.perf_counter() - t)
    except ImportError:  # the code before the `portalcold` branch
        pass
    cold = make_app(url, PORTAL_PAGE_CACHE_BYTES=0)  # the same portal with the page cache off (stored pages on)
    cold_client = cold.test_client()
    # Neither stored pages nor any in-process cache: every document and list page read and rendered
    # live (what the code before `portalcold` did for a cold document and for every list page).
    live = make_app(url, PORTAL_PAGE_CACHE_BYTES=0, PORTAL_STORED_PAGES=False, PORTAL_LIST_CACHE_BYTES=0)
    rng = random.Random(7)
    with app.app_context():
        from sqlalchemy import select

        from portal.extensions import db
        from portal.models import Item

        ids = [rng.randint(1, n) for _ in range(REQUESTS)]
        index_nos = dict(db.session.execute(select(Item.id, Item.index_no).where(Item.id.in_(ids))).all())
        middle = db.session.get(Item, n // 2)
        from portal.services.reading import encode_cursor

        deep = f"/xxgk/?after={encode_cursor(middle)}"
    doc_urls = [f"/xxgk/{index_nos[i]}.html" for i in ids]
    list_urls = ["/xxgk/", deep, "/xxgk/?topic=综合政务", "/xxgk/?year=2021&publisher=示范市第7局"] * (REQUESTS // 4)
    search_urls = {q: [f"/search?q={q}"] * REQUESTS for q in QUERIES}
    direct, cold_direct, live_direct = Direct(app), Direct(cold), Direct(live)
    empty = ["/_bench/empty"] * REQUESTS
    time_requests(client, list_urls[:20] + doc_urls + search_urls["救灾"][:5])  # warm up (and fill the page cache)
    time_requests(cold_client, doc_urls[:20])
    time_requests(direct, list_urls[:20] + doc_urls[:20] + empty[:20])
    time_requests(cold_direct, doc_urls[:20])
    time_requests(live_direct, doc_urls[:20] + list_urls[:20])
    keys = ["empty", "list", "doc", "doc_cold", "empty_d", "list_d", "doc_d", "doc_cold_d", "list_live_d",
            "doc_live_d", *QUERIES,
            "list_floor", "doc_floor", "search_floor"]
    rounds: dict[str, list] = {k: [] for k in keys}
    for _ in range(ROUNDS):
        samples = {}
        for suffix, c, cc in (("", client, cold_client), ("_d", direct, cold_direct)):
            samples["empty" + suffix] = time_requests(c, empty, "empty" + suffix)
            samples["list" + suffix] = time_requests(c, list_urls, "list" + suffix)
            samples["doc" + suffix] = time_requests(c, doc_urls, "doc" + suffix)
            samples["doc_cold" + suffix] = time_requests(cc, doc_urls, "doc_cold" + suffix)
        # interleaved with the same round's cached / stored figures (A/B in one process)
        samples["list_live_d"] = time_requests(live_direct, list_urls, "list_live_d")
        samples["doc_live_d"] = time_requests(live_direct, doc_urls, "doc_live_d")
        for q in QUERIES:
            samples[q] = time_requests(client, search_urls[q], q)
        fl = floors(app, doc_urls, "救灾")
        samples.update(list_floor=fl["list"], doc_floor=fl["doc"], search_floor=fl["search"])
        for k in keys:
            rounds[k].append((pct(samples[k], .5), pct(samples[k], .95)))
    for a in (app, cold, live):
        with a.app_context():
            from portal.extensions import db

            db.engine.dispose()
    med = {k: (statistics.median(a for a, _ in v), statistics.median(b for _, b in v)) for k, v in rounds.items()}
    cpu = {k: statistics.median(v[-ROUNDS:]) * 1000 for k, v in CPU.items()}  # median of the rounds' p50s
    CPU.clear()
    return {"n": n, "seed_s": seed_s, "rerender": rerender_s, "cpu": cpu, "load": os.getloadavg()[0], **med}


def backends(sqlite_sizes: list[int], pg_sizes: list[int], existing: list[str] = ()):
    for spec in existing:  # URL:N of a database seeded before (kept)
        url, _, n = spec.rpartition(":")
        yield ("PostgreSQL" if url.startswith("postgres") else "SQLite"), int(n), url, None
    tmp = Path(tempfile.mkdtemp(prefix="gkt-portal-bench-"))
    for n in sqlite_sizes:
        yield "SQLite", n, f"sqlite:///{tmp / f'portal{n}.db'}", lambda: None
    if os.environ.get("TEST_DATABASE_URL"):
        from tests.conftest import create_pg_database, drop_pg_database

        for n in pg_sizes:
            url = create_pg_database()
            yield "PostgreSQL", n, url, (lambda u=url: drop_pg_database(u))


def table(sqlite_sizes: list[int], pg_sizes: list[int], existing: list[str] = ()) -> None:
    cpu_rows, cold_rows = [], []
    print("Wall time, ms, p50 / p95 (median of the rounds). client = Flask's test client, direct = "
          "app(environ, start_response); floor = the same template rendered from memory")
    print("| database | documents | empty route: client · direct | list: client · direct | list floor | "
          "document (cached): client · direct | document, cache off: client · direct | document floor | "
          "search 救灾 | search 公开 | search 应急 | search floor | direct ÷ floor, p50 (p95): list / document / off | "
          "seeding (s) | load average |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, n, url, cleanup in backends(sqlite_sizes, pg_sizes, existing):
        load0 = os.getloadavg()[0]
        try:
            r = bench_one(url, n, seed=cleanup is not None)
        finally:
            if cleanup is not None:
                cleanup()

        def f(k: str, r: dict = r) -> str:
            return f"{r[k][0]:.2f} / {r[k][1]:.2f}"

        def ratio(k: str, floor: str, r: dict = r) -> str:
            return f"{r[k][0] / r[floor][0]:.1f}× ({r[k][1] / r[floor][1]:.1f}×)"

        load = f"{load0:.1f}–{r['load']:.1f}"
        print(f"| {name} | {n:,} | {f('empty')} · {f('empty_d')} | {f('list')} · {f('list_d')} | {f('list_floor')} | "
              f"{f('doc')} · {f('doc_d')} | {f('doc_cold')} · {f('doc_cold_d')} | {f('doc_floor')} | "
              f"{f('救灾')} | {f('公开')} | {f('应急')} | {f('search_floor')} | "
              f"{ratio('list_d', 'list_floor')} / {ratio('doc_d', 'doc_floor')} / {ratio('doc_cold_d', 'doc_floor')} | "
              f"{r['seed_s']:.0f} | {load} |", flush=True)
        c = r["cpu"]

        def cr(k: str, floor: str, c: dict = c) -> str:
            return f"{c[k]:.2f} ({c[k] / c[floor]:.1f}×)"

        cpu_rows.append(f"| {name} | {n:,} | {c['empty']:.2f} / {c['empty_d']:.2f} | "
                        f"{cr('list', 'list_floor')} / {cr('list_d', 'list_floor')} / {c['list_floor']:.2f} | "
                        f"{cr('doc', 'doc_floor')} / {cr('doc_d', 'doc_floor')} / {c['doc_floor']:.2f} | "
                        f"{cr('doc_cold', 'doc_floor')} / {cr('doc_cold_d', 'doc_floor')} | "
                        f"{c['救灾']:.1f} / {c['公开']:.1f} / {c['应急']:.1f} | {load} |")
        rr = r["rerender"]
        rerender = f"{rr[1]:.1f} s ({rr[0][1]:,} pages)" if rr else "—"

        def both(k: str, floor: str, r: dict = r, c: dict = c) -> str:
            return f"{c[k]:.2f} ({c[k] / c[floor]:.1f}×) · {r[k][0]:.2f} ({r[k][0] / r[floor][0]:.1f}×)"
        cold_rows.append(f"| {name} | {n:,} | {both('list_d', 'list_floor')} | {both('list_live_d', 'list_floor')} | "
                         f"{c['list_floor']:.2f} · {r['list_floor'][0]:.2f} | {both('doc_d', 'doc_floor')} | "
                         f"{both('doc_cold_d', 'doc_floor')} | {both('doc_live_d', 'doc_floor')} | "
                         f"{c['doc_floor']:.2f} · {r['doc_floor'][0]:.2f} | {rerender} | {load} |")
    print("\nCPU time of this process per request, ms, median of the rounds' p50s (ratio to the floor); for "
          "PostgreSQL the server's own work is not in it")
    print("| database | documents | empty route: client / direct | list: client / direct / floor | "
          "document (cached): client / direct / floor | document, cache off: client / direct | "
          "search 救灾 / 公开 / 应急 | load average |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in cpu_rows:
        print(row, flush=True)
    print("\nDirect calls, ms per request, p50: CPU (÷ floor) · wall (÷ floor), median of the rounds; "
          "'live' = stored pages and every in-process cache off (the code path before `portalcold`)")
    print("| database | documents | list, list cache | list, live | list floor | document, page cache | "
          "document cold, stored page | document cold, live | document floor | rerender | load average |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in cold_rows:
        print(row, flush=True)


# --------------------------------------------------------------------------- wrk: gunicorn, nginx cache, static

NGINX_TEMPLATE = ROOT / "deploy" / "nginx-portal.conf"


def wrk(url: str, seconds: int, connections: int) -> float:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise RuntimeError(out)


def wait_for(url: str, timeout: float = 30) -> None:
    import urllib.error
    import urllib.request

    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"{url} answered {exc.code}: {exc.read()[:300]!r}")
        except OSError:  # not up yet
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def run_wrk(n: int, workers: int, seconds: int, connections: int) -> None:
    import urllib.request

    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} is missing: apt-get install wrk nginx-light")
    work = Path(tempfile.mkdtemp(prefix="gkt-portal-wrk-"))
    url = f"sqlite:///{work / 'portal.db'}"
    seed_s = migrate_and_seed(url, n)
    env = {**os.environ, "PORTAL_DATABASE_URL": url, "PORTAL_PUSH_SECRET": "bench-secret-0123456789abcdef",
           "PYTHONPATH": str(ROOT)}
    gunicorn = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", "127.0.0.1:18001",
                                 "--access-logfile", "/dev/null", "portal_wsgi:app"], cwd=ROOT, env=env,
                                stderr=subprocess.DEVNULL)
    conf = NGINX_TEMPLATE.read_text()
    conf = (conf.replace("127.0.0.1:5001", "127.0.0.1:18001").replace("listen 80;", "listen 18080;")
            .replace("/var/cache/nginx/portal", str(work / "cache"))
            .replace("/srv/gongkaitong/portal/static", str(ROOT / "portal" / "static")))
    static_root = work / "static-floor"
    static_root.mkdir()
    main = (f"worker_processes 2; pid {work / 'nginx.pid'}; error_log {work / 'error.log'};\n"
            f"events {{ worker_connections 1024; }}\n"
            f"http {{ access_log off; client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;\n"
            f"fastcgi_temp_path {work}/fcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;\n"
            f"include /etc/nginx/mime.types;\n{conf}\n"
            f"server {{ listen 18081; location / {{ root {static_root}; }} }}\n}}\n")
    (work / "nginx.conf").write_text(main)
    work.chmod(0o755)  # nginx's workers run as an unprivileged user when started by root
    for sub in ("cache", "body", "proxy", "fcgi", "uwsgi", "scgi"):
        (work / sub).mkdir(mode=0o777)
        (work / sub).chmod(0o777)
    nginx = None
    try:
        wait_for("http://127.0.0.1:18001/xxgk/")
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.connect() as c:
            index_no = c.execute(text("SELECT index_no FROM items WHERE id = :i"), {"i": n // 2}).scalar_one()
        engine.dispose()
        path = f"/xxgk/{index_no}.html"
        with urllib.request.urlopen("http://127.0.0.1:18001" + path) as r:
            page = r.read()
        (static_root / "page.html").write_bytes(page)
        check = subprocess.run(["nginx", "-t", "-c", str(work / "nginx.conf")], capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(check.stderr)
        nginx = subprocess.Popen(["nginx", "-c", str(work / "nginx.conf"), "-g", "daemon off;"])
        wait_for("http://127.0.0.1:18080" + path)
        wait_for("http://127.0.0.1:18081/page.html")
        figures = {}
        for label, target in (("gunicorn alone", "http://127.0.0.1:18001" + path),
                              ("nginx cache → gunicorn", "http://127.0.0.1:18080" + path),
                              ("nginx static file (floor)", "http://127.0.0.1:18081/page.html")):
            wrk(target, 2, connections)  # warm up
            figures[label] = statistics.median(wrk(target, seconds, connections) for _ in range(3))
        print(f"document page {path} ({len(page):,} bytes), {n:,} documents on SQLite (seeded in {seed_s:.0f} s); "
              f"gunicorn -w {workers}; wrk -t2 -c{connections} -d{seconds}s, median of 3")
        print("| served by | requests/s | ÷ static floor |")
        print("| --- | ---: | ---: |")
        floor = figures["nginx static file (floor)"]
        for label, rps in figures.items():
            print(f"| {label} | {rps:,.0f} | {rps / floor:.2f} |")
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(10)
        gunicorn.terminate()
        gunicorn.wait(10)
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000", help="SQLite sizes")
    parser.add_argument("--pg-sizes", default=None, help="PostgreSQL sizes (default: --sizes)")
    parser.add_argument("--wrk", action="store_true", help="also: wrk against gunicorn, nginx cache, nginx static")
    parser.add_argument("--wrk-only", action="store_true")
    parser.add_argument("--existing-pg", action="append", default=[],
                        help="URL:N of a database already seeded with bench/portal_seed.py (kept afterwards)")
    parser.add_argument("--wrk-docs", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    pg_sizes = [int(s) for s in (args.pg_sizes or args.sizes).split(",") if s]
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · {cpu_model()} · Python {platform.python_version()}")
    if not args.wrk_only:
        print(f"{REQUESTS} requests per figure, median of {ROUNDS} rounds; times in ms (p50 / p95)")
        table(sizes, pg_sizes, args.existing_pg)
    if args.wrk or args.wrk_only:
        run_wrk(args.wrk_docs, args.workers, args.seconds, args.connections)


if __name__ == "__main__":
    main()
