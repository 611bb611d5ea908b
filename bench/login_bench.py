"""Time a failed login for a known name and for an unknown one, at the production Argon2 cost.

    python bench/login_bench.py               # SQLite, and PostgreSQL when TEST_DATABASE_URL is set
    python bench/login_bench.py --samples 10  # a quick run

Every sample is one `POST /login` through the WSGI app (Flask's test client: routing,
form, throttle queries, the Argon2 verification, the failure row, the page), each from a
fresh source address so the throttle never answers early.  The cases run interleaved, so
drift on the shared machine touches them alike.  The floor is one Argon2id verification
alone at the same cost, measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import describe  # noqa: E402
from webapp import create_app, passwords  # noqa: E402
from webapp.config import Config  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.workflow import Role  # noqa: E402

PASSWORD = "Bench-pass1"


def run(url: str, samples: int) -> dict[str, float]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-" + "x" * 40, "WTF_CSRF_ENABLED": False,
                      "ARGON2_TIME_COST": Config.ARGON2_TIME_COST, "ARGON2_MEMORY_COST": Config.ARGON2_MEMORY_COST,
                      "ARGON2_PARALLELISM": Config.ARGON2_PARALLELISM})
    with app.app_context():
        db.drop_all()
        db.create_all()
        from webapp.services import accounts, audit

        audit.ensure_head()
        db.session.commit()
        user, _ = accounts.create_user("zhang", "张丽", PASSWORD, None, {Role.DRAFTER})
        stored = user.password_hash
    client = app.test_client()
    cases = {"known name, wrong password": ("zhang", "Wrong-pass1"),
             "unknown name": ("nobody", "Wrong-pass1")}
    times: dict[str, list[float]] = {name: [] for name in (*cases, "floor: one Argon2id verification")}
    for i in range(samples):
        for case, (name, (username, password)) in enumerate(cases.items()):
            client.environ_base["REMOTE_ADDR"] = f"10.{case}.{i // 250}.{i % 250 + 1}"  # never throttled
            t = time.perf_counter()
            resp = client.post("/login", data={"username": username, "password": password})
            times[name].append(time.perf_counter() - t)
            assert resp.status_code == 401, resp.status_code
        t = time.perf_counter()
        passwords.verify_password(stored, "Wrong-pass1")
        times["floor: one Argon2id verification"].append(time.perf_counter() - t)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args()
    targets = []
    with tempfile.TemporaryDirectory() as tmp:
        targets.append(("SQLite", f"sqlite:///{Path(tmp) / 'login.db'}"))
        pg_url = None
        if os.environ.get("TEST_DATABASE_URL"):
            from tests.conftest import create_pg_database

            pg_url = create_pg_database()
            targets.append(("PostgreSQL", pg_url))
        print(f"machine: {describe()}")
        print(f"Argon2id t={Config.ARGON2_TIME_COST} m={Config.ARGON2_MEMORY_COST} KiB p={Config.ARGON2_PARALLELISM};"
              f" {args.samples} samples per case, medians")
        print("| database | case | median (ms) | ÷ floor |")
        print("| --- | --- | ---: | ---: |")
        try:
            for label, url in targets:
                medians = run(url, args.samples)
                floor = medians["floor: one Argon2id verification"]
                for name, ms in medians.items():
                    print(f"| {label} | {name} | {ms:.1f} | {ms / floor:.2f}× |")
                known, unknown = medians["known name, wrong password"], medians["unknown name"]
                print(f"| {label} | unknown ÷ known | | {unknown / known:.2f}× |")
        finally:
            if pg_url:
                from tests.conftest import drop_pg_database

                drop_pg_database(pg_url)


if __name__ == "__main__":
    main()
