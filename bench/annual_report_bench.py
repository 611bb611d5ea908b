"""Time the annual report's figures for a year with 100,000 documents and 20,000 applications
(issue 12: under 2 s on SQLite and PostgreSQL).

    python bench/annual_report_bench.py                       # SQLite
    python bench/annual_report_bench.py --pg                  # PostgreSQL too (TEST_DATABASE_URL)
    python bench/annual_report_bench.py --documents 10000 --applications 2000   # a quick run

Three figures, each the median of RUNS runs, beside a floor measured in the same run:
- compute: `services.annual_report.view(year)` — every cell of tables 二–四 from the records, the
  hand entries, the derived totals and the checks (what the page, the .docx and the draft use);
- page: GET /annual-report/<year> through the WSGI app (login, compute, the three tables with a link
  per number, the forms) as the office;
- floor: one `SELECT count(*)` over each of documents, applications and application_events — the
  least any statistic over those tables reads.
Seeded: documents over 2019–2026, a quarter of them normative with every validity; applications
over 2024–2026 of every applicant type and outcome, with 4 events each, a fee paid on 5 % and a
行政复议/行政诉讼 record on 2 %.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import cpu_model  # noqa: E402

RUNS = 7
PASSWORD = "Bench-passw0rd"
YEAR = 2025


def seed(app, n_docs: int, n_apps: int) -> float:
    from sqlalchemy import insert

    from webapp.applications_flow import OUTCOMES, REMEDY_KINDS, REMEDY_RESULTS, ApplicantType
    from webapp.extensions import db
    from webapp.models import Application, ApplicationEvent, Document
    from webapp.services import accounts
    from webapp.workflow import Role

    t0 = time.perf_counter()
    with app.app_context():
        dept = accounts.save_department("办公室", None).id
        office, _ = accounts.create_user("office", "办公室", PASSWORD, dept, {Role.OFFICE, Role.DRAFTER})
        rnd = random.Random(12)
        now = datetime(2026, 1, 5, tzinfo=UTC)
        batch = 5000
        for lo in range(0, n_docs, batch):
            rows = []
            for i in range(lo, min(n_docs, lo + batch)):
                printed = date(2019, 1, 1) + timedelta(days=rnd.randrange(8 * 365))
                normative = rnd.random() < 0.25
                validity = rnd.choice(("valid", "valid", "valid", "revised", "repealed", "expired"))
                changed = printed + timedelta(days=rnd.randrange(1, 900)) if validity != "valid" else None
                rows.append(dict(id=i + 1, title=f"文件{i}", doc_type="通知", department_id=dept, drafter_id=office.id,
                                 stage="published", disclosure="public", print_date=printed, is_normative=normative,
                                 validity=validity, validity_changed_on=changed, created_at=now, updated_at=now,
                                 stage_entered_at=now, recipients="", attachments_text="", topic_category="",
                                 disclosure_reason="", legal_basis_json="[]", proposal_reason="", cc="",
                                 catalogue_mismatch_reason="", search_text="", version=1,
                                 effective_to=printed + timedelta(days=5 * 365) if normative else None))
            db.session.execute(insert(Document), rows)
            db.session.commit()
        kinds = [t.value for t in ApplicantType]
        outcomes = [o.code for o in OUTCOMES]
        for lo in range(0, n_apps, batch):
            apps, events = [], []
            for i in range(lo, min(n_apps, lo + batch)):
                received = date(2024, 1, 1) + timedelta(days=rnd.randrange(3 * 365 - 60))
                replied = received + timedelta(days=rnd.randrange(5, 45)) if rnd.random() < 0.95 else None
                apps.append(dict(id=i + 1, channel="online", received_on=received, applicant_type=rnd.choice(kinds),
                                 applicant_name=f"申请人{i}", id_doc_type="", id_doc_number=str(i), contact_phone="1",
                                 contact_address="", contact_email="", description=f"所需信息{i}",
                                 form_wanted="electronic", fingerprint=f"{i:064d}",
                                 stage="replied" if replied else "handling", department_id=dept, created_at=now,
                                 due_on=None if replied else received + timedelta(days=28), corrections_requested=0,
                                 extension_requested=False, extension_days=0, fee_amount=rnd.choice((100, 300, 1000)),
                                 search_notes="", reply_text="", portal_pushed_version=0, version=1,
                                 replied_on=replied, outcome=rnd.choice(outcomes) if replied else None))
                day = received
                for kind in ("received", "assigned", "search_recorded", "reply_submitted"):
                    events.append(dict(application_id=i + 1, kind=kind, day=day, days=0, party="", comment="",
                                       details_json="{}", actor_name="经办人", created_at=now))
                if rnd.random() < 0.05:
                    events.append(dict(application_id=i + 1, kind="fee_paid", day=received + timedelta(days=3), days=0,
                                       party="", comment="", details_json="{}", actor_name="经办人", created_at=now))
                if replied and rnd.random() < 0.02:
                    details = {"kind": rnd.choice(list(REMEDY_KINDS)), "result": rnd.choice(list(REMEDY_RESULTS))}
                    events.append(dict(application_id=i + 1, kind="remedy_recorded", day=replied + timedelta(days=30),
                                       days=0, party="", comment="", details_json=json.dumps(details),
                                       actor_name="办公室", created_at=now))
            db.session.execute(insert(Application), apps)
            db.session.execute(insert(ApplicationEvent), events)
            db.session.commit()
        from webapp.services import annual_report

        annual_report.open_report(YEAR, db.session.get(type(office), office.id))
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy import text

            db.session.execute(text("ANALYZE"))
            db.session.commit()
    return time.perf_counter() - t0


def _median_ms(fn) -> float:
    fn()
    samples = []
    for _ in range(RUNS):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples) * 1000


def measure(app) -> tuple[float, float, float]:
    import re

    from sqlalchemy import func, select

    from webapp.extensions import db
    from webapp.models import Application, ApplicationEvent, Document
    from webapp.services import annual_report

    with app.app_context():
        compute = _median_ms(lambda: annual_report.view(YEAR))

        def floor_queries():
            for model in (Document, Application, ApplicationEvent):
                db.session.execute(select(func.count()).select_from(model)).scalar_one()

        floor = _median_ms(floor_queries)
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    assert client.post("/login", data={"username": "office", "password": PASSWORD, "csrf_token": token}).status_code == 302

    def page():
        assert client.get(f"/annual-report/{YEAR}").status_code == 200

    return compute, _median_ms(page), floor


def run(url: str, n_docs: int, n_apps: int) -> str:
    from tests.conftest import TEST_CONFIG, make_app  # the test schema builder (create_all)

    app = make_app(url, **{**TEST_CONFIG, "WTF_CSRF_ENABLED": True})
    seconds = seed(app, n_docs, n_apps)
    compute, page, floor = measure(app)
    line = (f"| {url.split(':')[0]} | {n_docs:,} | {n_apps:,} | {compute:.0f} | {page:.0f} | {floor:.1f} | "
            f"{compute / floor:.1f}× | {page / floor:.1f}× | {seconds:.0f} |")
    print(line, flush=True)
    return line


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--applications", type=int, default=20_000)
    parser.add_argument("--pg", action="store_true")
    args = parser.parse_args()
    print(f"{platform.node()} · {os.cpu_count()} cores · {cpu_model()} · Python {platform.python_version()}")
    print("| database | documents | applications | compute median ms | page median ms | floor ms | compute/floor |"
          " page/floor | seeding s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    run(f"sqlite:///{tempfile.mkdtemp()}/bench.db", args.documents, args.applications)
    if args.pg and os.environ.get("TEST_DATABASE_URL"):
        from tests.conftest import create_pg_database, drop_pg_database

        url = create_pg_database()
        try:
            run(url, args.documents, args.applications)
        finally:
            drop_pg_database(url)


if __name__ == "__main__":
    main()
