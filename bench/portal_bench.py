"""Public portal: catalogue, document and search pages at 100,000 documents (and more).

    python bench/portal_bench.py                          # SQLite, and PostgreSQL when TEST_DATABASE_URL is set
    python bench/portal_bench.py --sizes 1000             # a quick run
    python bench/portal_bench.py --sizes 100000 --pg-sizes 100000,1000000
    python bench/portal_bench.py --wrk                    # + gunicorn / nginx cache / nginx static with wrk

Every figure is p50 / p95 over 200 requests through the WSGI app (Flask's test client:
routing, queries, template, cache headers), median of 3 rounds, beside a floor: the same
template rendered from rows already held in memory (no query at all).

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


CPU: dict[str, list[float]] = {}  # figure → CPU seconds of this process per request (last round)


def time_requests(client, urls: list[str], cpu_key: str | None = None) -> list[float]:
    """Wall time per request; with cpu_key, also this process's CPU time (on a shared machine
    the wall time includes waiting for a core, the CPU time does not — for SQLite, which runs
    inside this process, it is the whole cost)."""
    out, cpu = [], []
    for url in urls:
        t, c = time.perf_counter(), time.process_time()
        r = client.get(url)
        cpu.append(time.process_time() - c)
        out.append(time.perf_counter() - t)
        assert r.status_code == 200, (url, r.status_code)
    if cpu_key:
        CPU[cpu_key] = cpu
    return out


def make_app(url: str, **config):
    from portal import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "PORTAL_PUSH_SECRET": "bench-secret-0123456789abcdef",
                       **config})


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
            items.append((item, reading.counterpart(item)))
        result = searching.search(query, 1, 20, app.config["PORTAL_SEARCH_WINDOW"])
        renders = {
            "list": lambda i: render_template("portal/catalogue.html", page=page, f=f, years=years,
                                              topics=TOP_CLASSES, publishers=publishers, column="政府信息公开"),
            "doc": lambda i: render_template("portal/item.html", item=items[i % len(items)][0],
                                             other=items[i % len(items)][1], column="政府信息公开"),
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
        CPU[f"{key}_floor"] = cpu[key]
    return out


def bench_one(url: str, n: int, seed: bool = True) -> dict:
    seed_s = migrate_and_seed(url, n) if seed else 0.0
    app = make_app(url)
    client = app.test_client()
    cold = make_app(url, PORTAL_PAGE_CACHE_BYTES=0)  # the same portal with the page cache off
    cold_client = cold.test_client()
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
    time_requests(client, list_urls[:20] + doc_urls + search_urls["救灾"][:5])  # warm up (and fill the page cache)
    time_requests(cold_client, doc_urls[:20])
    keys = ["list", "doc", "doc_cold", *QUERIES, "list_floor", "doc_floor", "search_floor"]
    rounds: dict[str, list] = {k: [] for k in keys}
    for _ in range(ROUNDS):
        samples = {"list": time_requests(client, list_urls, "list"), "doc": time_requests(client, doc_urls, "doc"),
                   "doc_cold": time_requests(cold_client, doc_urls, "doc_cold")}
        for q in QUERIES:
            samples[q] = time_requests(client, search_urls[q], q)
        fl = floors(app, doc_urls, "救灾")
        samples.update(list_floor=fl["list"], doc_floor=fl["doc"], search_floor=fl["search"])
        for k in keys:
            rounds[k].append((pct(samples[k], .5), pct(samples[k], .95)))
    for a in (app, cold):
        with a.app_context():
            from portal.extensions import db

            db.engine.dispose()
    med = {k: (statistics.median(a for a, _ in v), statistics.median(b for _, b in v)) for k, v in rounds.items()}
    cpu = {k: pct(v, .5) for k, v in CPU.items()}
    return {"n": n, "seed_s": seed_s, "cpu": cpu, "load": os.getloadavg()[0], **med}


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
    cpu_rows = []
    print("| database | documents | list p50 / p95 (ms) | list floor | document p50 / p95 (cached) | document, cache off | "
          "document floor | search 救灾 | search 公开 | search 应急 | search floor | list ÷ floor (p95) | "
          "document ÷ floor (p95, cached / off) | seeding (s) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, n, url, cleanup in backends(sqlite_sizes, pg_sizes, existing):
        try:
            r = bench_one(url, n, seed=cleanup is not None)
        finally:
            if cleanup is not None:
                cleanup()
        def f(k: str, r: dict = r) -> str:
            return f"{r[k][0]:.1f} / {r[k][1]:.1f}"

        print(f"| {name} | {n:,} | {f('list')} | {f('list_floor')} | {f('doc')} | {f('doc_cold')} | {f('doc_floor')} | "
              f"{f('救灾')} | {f('公开')} | {f('应急')} | {f('search_floor')} | "
              f"{r['list'][1] / r['list_floor'][1]:.2f}× | {r['doc'][1] / r['doc_floor'][1]:.2f}× / "
              f"{r['doc_cold'][1] / r['doc_floor'][1]:.2f}× | {r['seed_s']:.0f} |", flush=True)
        c = r["cpu"]
        cpu_rows.append(f"| {name} | {n:,} | {c['list']:.2f} / {c['list_floor']:.2f} ({c['list'] / c['list_floor']:.1f}×) | "
                        f"{c['doc']:.2f} / {c['doc_floor']:.2f} ({c['doc'] / c['doc_floor']:.1f}×) | "
                        f"{c['doc_cold']:.2f} ({c['doc_cold'] / c['doc_floor']:.1f}×) | "
                        f"{c['救灾']:.1f} / {c['公开']:.1f} / {c['应急']:.1f} | {r['load']:.1f} |")
    print("\nCPU time of this process per request, p50 of the last round, ms (request / floor); for "
          "PostgreSQL the server's own work is not in it")
    print("| database | documents | list | document (cached) | document, cache off | search 救灾 / 公开 / 应急 | load average |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in cpu_rows:
        print(row)


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
