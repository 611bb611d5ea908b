"""Fill a migrated portal database with N published documents, fast (bulk inserts, COPY on PostgreSQL).

    python bench/portal_seed.py DATABASE_URL N

Titles and bodies are sentences of the real notices in shared/seeds (3–8 sentences,
about 300–900 characters); 50 agencies, the 22 主题分类 classes, publication dates spread
over ten years in id order, 5 % expired or repealed, one in ten with its 解读.  The search index is written with the
same functions the portal uses (portal/search/bigrams.py).
"""

from __future__ import annotations

import random
import re
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gkt_protocol.taxonomy import TOP_CLASSES  # noqa: E402
from portal.search.bigrams import fts5_text, index_tokens, tsvector  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
AGENCIES = [(f"1137{n:04d}00433925{n % 10}B"[:18].ljust(18, "0"), f"示范市第{n}局") for n in range(1, 51)]
START = datetime(2016, 1, 1, 1, 0, tzinfo=UTC)
SPAN = timedelta(days=3650)
BATCH = 5000


def sentences() -> list[str]:
    out = []
    for f in sorted(SEEDS.glob("0*.txt")):
        for s in re.split(r"(?<=[。；！？])|\n", f.read_text()):
            s = s.strip()
            if 8 <= len(s) <= 200:
                out.append(s)
    return out


def rows(n: int):
    """(item tuple, title, body_text) for n policies; every tenth has a 解读 (the next id)."""
    rng = random.Random(20260305)
    pool = sentences()
    next_id = 1
    for i in range(1, n + 1):
        code, agency = AGENCIES[rng.randrange(len(AGENCIES))]
        published = START + SPAN * (i / n)
        year = (published + timedelta(hours=8)).year
        paragraphs = [rng.choice(pool) for _ in range(rng.randint(3, 8))]
        title = "关于" + rng.choice(pool)[:24].rstrip("，。；、") + "的通知"
        validity, changed = "valid", None
        roll = rng.random()
        if roll < 0.05:
            validity, changed = ("expired" if roll < 0.025 else "repealed"), date(year + 2, 1, 1)
        naive = published.replace(tzinfo=None)
        index_no = f"{code}/{year}-{i:07d}"
        topic = TOP_CLASSES[rng.randrange(len(TOP_CLASSES))]
        policy_id, interp_id = next_id, (next_id + 1 if i % 10 == 0 else None)
        next_id += 2 if interp_id else 1

        written = (published - timedelta(days=3)).date()

        def item(id_, kind, title_, paragraphs_, policy=None, interpretation=None, number="",
                 m=(index_no, topic, agency, written, naive, year, validity, changed)):
            idx, top, org, wr, at, yr, val, ch = m
            return (id_, kind, idx, policy, interpretation, title_, number, top, "", org, wr, at, yr, val, ch, "", "",
                    "".join(f"<p>{p}</p>" for p in paragraphs_), "\n".join(paragraphs_), None, None, None, 1,
                    "published", "", None, at, at)

        yield item(policy_id, "policy", title, paragraphs, interpretation=interp_id,
                   number=f"示应急〔{year}〕{i}号"), title, "\n".join(paragraphs)
        if interp_id:
            i_title = f"《{title}》政策解读"
            i_paragraphs = [rng.choice(pool) for _ in range(rng.randint(2, 5))]
            yield item(interp_id, "interpretation", i_title, i_paragraphs, policy=policy_id), i_title, \
                "\n".join(i_paragraphs)


COLUMNS = ("id, kind, index_no, policy_id, interpretation_id, title, doc_number, topic, subtopic, publisher, "
           "written_date, published_at, year, validity, validity_changed_on, keywords, summary, body_html, body_text, "
           "docx_filename, docx_sha256, docx_size, version, status, notice, withdrawn_at, first_published_at, "
           "updated_at")


def seed_sqlite(url: str, n: int) -> None:
    import sqlite3

    con = sqlite3.connect(url.split("sqlite:///", 1)[1])
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    marks = ",".join("?" * 28)
    items, fts = [], []
    for item, title, body in rows(n):
        items.append(item)
        fts.append((item[0], fts5_text(index_tokens(title)), fts5_text(index_tokens(body))))
        if len(items) == BATCH:
            con.executemany(f"INSERT INTO items ({COLUMNS}) VALUES ({marks})", items)
            con.executemany("INSERT INTO search_fts (rowid, title, body) VALUES (?, ?, ?)", fts)
            items, fts = [], []
    if items:
        con.executemany(f"INSERT INTO items ({COLUMNS}) VALUES ({marks})", items)
        con.executemany("INSERT INTO search_fts (rowid, title, body) VALUES (?, ?, ?)", fts)
    con.executemany("INSERT INTO publishers (name) VALUES (?)", [(a,) for _, a in AGENCIES])
    con.commit()
    con.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
    con.execute("ANALYZE")
    con.commit()
    con.close()


def seed_postgres(url: str, n: int) -> None:
    """Two passes over the same generated rows: the items, then (committed, for the foreign key)
    their search entries."""
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as con, con.cursor() as cur:
        with cur.copy(f"COPY items ({COLUMNS}) FROM STDIN") as copy:
            for item, _, _ in rows(n):
                copy.write_row(item)
        cur.executemany("INSERT INTO publishers (name) VALUES (%s)", [(a,) for _, a in AGENCIES])
        cur.execute("SELECT setval(pg_get_serial_sequence('items', 'id'), (SELECT max(id) FROM items))")
        con.commit()
        # Build the GIN indexes once after loading (as the migration defines them), not row by row.
        cur.execute("DROP INDEX ix_search_entries_vec, ix_search_entries_title_vec")
        with cur.copy("COPY search_entries (item_id, vec, title_vec) FROM STDIN") as copy:
            for item, title, body in rows(n):
                t = index_tokens(title)
                copy.write_row((item[0], tsvector(t, index_tokens(body)), tsvector(t, [])))
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute("CREATE INDEX ix_search_entries_vec ON search_entries USING gin (vec)")
        cur.execute("CREATE INDEX ix_search_entries_title_vec ON search_entries USING gin (title_vec)")
        con.commit()
    with psycopg.connect(conninfo, autocommit=True) as con:
        con.execute("VACUUM ANALYZE items")
        con.execute("VACUUM ANALYZE search_entries")


def main() -> None:
    url, n = sys.argv[1], int(sys.argv[2])
    t = time.perf_counter()
    (seed_postgres if url.startswith("postgresql") else seed_sqlite)(url, n)
    print(f"seeded {n} in {time.perf_counter() - t:.0f} s")


if __name__ == "__main__":
    main()
