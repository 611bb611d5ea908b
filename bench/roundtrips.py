"""Count the round trips one GET makes to PostgreSQL: every message the client sends that waits for
an answer (a simple Query — BEGIN, ROLLBACK — or an extended-protocol Sync), read from libpq's own
trace of the connection (psycopg's `PGconn.trace`), so psycopg's implicit BEGIN and the pool's
ROLLBACK are counted too, not only SQLAlchemy's statements.

    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python bench/roundtrips.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PAGES = ["/applications/", "/applications/?after=", "/"]


def trips(app, client, path: str) -> list[str]:
    from sqlalchemy import event

    from webapp.extensions import db

    fd, name = tempfile.mkstemp()
    traced = []

    def checkout(dbapi_conn, record, proxy):  # noqa: ARG001
        dbapi_conn.pgconn.trace(fd)
        traced.append(dbapi_conn)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "checkout", checkout)
    try:
        client.get(path)
    finally:
        event.remove(engine, "checkout", checkout)
        for c in traced:
            c.pgconn.untrace()
        os.close(fd)
    text = Path(name).read_text()
    if os.environ.get("TRIPS_RAW"):
        print(text[:3000])
    os.unlink(name)
    out, parse = [], ""
    for line in text.splitlines():  # frontend messages: <time> F <len> Query "..." | Parse | Sync
        parts = line.split("\t")
        if len(parts) < 4 or parts[1] != "F":
            continue
        if parts[3] == "Query":
            out.append(parts[4].strip()[:70])
        elif parts[3] == "Parse":
            parse = parts[4].strip()[4:74]
        elif parts[3] == "Sync":
            out.append(parse)
    return out


def main() -> None:
    from bench.applications_queue_bench import PASSWORD, login, seed  # noqa: F401
    from tests.conftest import TEST_CONFIG, create_pg_database, drop_pg_database, make_app

    url = create_pg_database()
    try:
        app = make_app(url, **{**TEST_CONFIG, "WTF_CSRF_ENABLED": True})
        seed(app, 200)
        for who in ("office", "handler"):
            client = app.test_client()
            login(client, who)
            client.get("/applications/")  # warm: statements built, calendar kept
            for path in ("/applications/", "/applications/new" if who == "handler" else "/dashboard/"):
                got = trips(app, client, path)
                print(f"{who:8} {path:22} {len(got)} round trips")
                for g in got:
                    print("           ", g)
    finally:
        drop_pg_database(url)


if __name__ == "__main__":
    main()
