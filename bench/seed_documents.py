"""Seed a database with N documents and 10 audit events each, for benchmarks.

    python bench/seed_documents.py sqlite:///instance/bench.db 100000

Documents are spread over the stages the way a working agency's are: most are
finished (approved), a share waits in each review queue, some are drafts or
returned.  The audit events form a valid hash chain (`flask audit verify` passes).
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import AuditEvent, AuditHead, Department, Document, User, UserRole, utcnow  # noqa: E402
from webapp.passwords import hash_password  # noqa: E402
from webapp.services.audit import GENESIS, compute_hash  # noqa: E402

STAGE_SHARE = [("approved", 0.70), ("office_review", 0.10), ("leader_approval", 0.06),
               ("secrecy_review", 0.04), ("returned", 0.04), ("draft", 0.06)]
EVENTS_PER_DOC = 10
BENCH_PASSWORD = "Bench-pass1"
BODY = "<p>一、工作目标</p><p>" + "全面推进政务公开标准化规范化，" * 30 + "</p><p>二、工作任务</p><p>" + "加强组织领导。" * 40 + "</p>"


def _search_text(title: str, number: str | None, body_lines: str, extra: str) -> str:
    from webapp.fulltext import normalize

    return "\n".join(p for p in (normalize(title), normalize(number), body_lines, normalize(extra)) if p)


def seed(url: str, n_docs: int, *, fresh: bool = True, bodies: list[str] | None = None,
         events_per_doc: int = EVENTS_PER_DOC) -> dict:
    """`bodies`: the texts cycled through the documents (default: one short BODY); each
    document also gets a task code of its own, and every 7th finished one a 文号, so
    a search has rare and common words to look for."""
    from webapp.fulltext import html_lines, normalize

    bodies = bodies or [BODY]
    body_lines = ["\n".join(n for n in (normalize(line) for line in html_lines(b)) if n) for b in bodies]
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ARGON2_MEMORY_COST": 1024, "ARGON2_TIME_COST": 1,
                      "ARGON2_PARALLELISM": 1})
    rng = random.Random(42)
    t0 = time.perf_counter()
    with app.app_context():
        if fresh:
            db.drop_all()
            db.create_all()
        if db.engine.dialect.name == "postgresql":  # the trigram index is built once, after the rows
            from sqlalchemy import text

            from webapp.fulltext import POSTGRESQL_INDEX, POSTGRESQL_INDEX_SQL

            db.session.execute(text(f"DROP INDEX IF EXISTS {POSTGRESQL_INDEX}"))
            db.session.commit()
        depts = [Department(name=f"处室{i:02d}") for i in range(10)]
        db.session.add_all(depts)
        db.session.flush()
        pw = hash_password(BENCH_PASSWORD)
        people = []
        for i in range(50):
            people.append(User(username=f"drafter{i}", display_name=f"起草人{i}", password_hash=pw,
                               department_id=depts[i % 10].id))
        office = User(username="office", display_name="公开审查员", password_hash=pw, department_id=depts[0].id)
        leader = User(username="leader", display_name="签发领导", password_hash=pw, department_id=depts[0].id)
        db.session.add_all([*people, office, leader])
        db.session.flush()
        db.session.add_all([UserRole(user_id=u.id, role="drafter") for u in people])
        db.session.add_all([UserRole(user_id=office.id, role="office"), UserRole(user_id=leader.id, role="leader")])
        db.session.commit()

        stages = [s for s, share in STAGE_SHARE for _ in range(round(share * 1000))]
        now = utcnow()
        batch: list[dict] = []
        next_id = 1
        for i in range(n_docs):
            drafter = people[i % len(people)]
            entered = now - timedelta(minutes=rng.randint(0, 60 * 24 * 60))
            title = f"关于做好第{i}项政务公开工作的通知"
            stage = stages[i % len(stages)]
            number = f"豫应急办〔2026〕{i}号" if stage == "approved" and i % 7 == 0 else None
            task = f"任务编号 RW{i:06d}"
            batch.append(dict(
                id=next_id, title=title, doc_type="通知", recipients="各处室",
                body_html=bodies[i % len(bodies)] + f"<p>{task}</p>", attachments_text="", topic_category="综合政务/政务公开",
                doc_number=number, search_text=_search_text(title, number, body_lines[i % len(bodies)], task),
                disclosure=rng.choice(["public", "public", "public", "on_request", "not_public"]),
                disclosure_reason="", legal_basis_json="[]", may_involve_secrets=False,
                needs_interpretation=False, interpretation_html="", proposed_disclosure=None, proposal_reason="",
                stage=stage, stage_entered_at=entered, submitted_at=entered,
                department_id=drafter.department_id, drafter_id=drafter.id, created_at=entered,
                updated_at=entered, version=EVENTS_PER_DOC))
            next_id += 1
            if len(batch) == 5000:
                db.session.execute(insert(Document), batch)
                batch.clear()
        if batch:
            db.session.execute(insert(Document), batch)
        db.session.commit()

        prev, seq, events = GENESIS, 0, []
        head = db.session.get(AuditHead, 1) or AuditHead(id=1, seq=0, last_hash=GENESIS)
        db.session.add(head)
        for doc_id in range(1, n_docs + 1):
            drafter = people[(doc_id - 1) % len(people)]
            for k in range(events_per_doc):
                seq += 1
                ev = AuditEvent(seq=seq, document_id=doc_id, actor_id=drafter.id, actor_name=drafter.display_name,
                                action="edit" if k else "create", from_stage="draft", to_stage="draft",
                                comment="", details_json=json.dumps({}), created_at=now, prev_hash=prev)
                ev.hash = compute_hash(prev, ev)
                prev = ev.hash
                events.append(dict(seq=ev.seq, document_id=doc_id, actor_id=ev.actor_id, actor_name=ev.actor_name,
                                   action=ev.action, from_stage=ev.from_stage, to_stage=ev.to_stage, comment="",
                                   details_json=ev.details_json, created_at=now, prev_hash=ev.prev_hash, hash=ev.hash))
            if len(events) >= 20000:
                db.session.execute(insert(AuditEvent), events)
                events.clear()
        if events:
            db.session.execute(insert(AuditEvent), events)
        head.seq, head.last_hash = seq, prev
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy import text

            for table in ("documents", "audit_events"):
                db.session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
            db.session.execute(text("SET maintenance_work_mem = '256MB'"))
            db.session.execute(text(POSTGRESQL_INDEX_SQL))
            db.session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            from sqlalchemy import text

            db.session.execute(text("ANALYZE"))
            db.session.commit()
        db.engine.dispose()
    return {"documents": n_docs, "events": n_docs * events_per_doc, "seconds": time.perf_counter() - t0}


if __name__ == "__main__":
    print(seed(sys.argv[1], int(sys.argv[2])))
