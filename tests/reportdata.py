"""A fixture year (2025) of documents and applications with every cell of the annual report's
tables 二–四 computed by hand (REFERENCE.md §2; the rules in services/annual_report.py).

Records are written directly (as the validity clean-up and the applications' moves leave them),
so each counting rule is tested on exactly the rows that decide it."""

from __future__ import annotations

import json
from datetime import date

from webapp.extensions import db
from webapp.models import Application, ApplicationEvent, Document, User

YEAR = 2025

# (key, normative, 印发日期, validity, validity_changed_on, effective_to)
DOCUMENTS = [
    ("D1", True, date(2025, 3, 1), "valid", None, None),  # issued, in force
    ("D2", True, date(2025, 6, 1), "repealed", date(2025, 11, 1), None),  # issued and repealed in the year
    ("D3", True, date(2023, 1, 1), "valid", None, date(2027, 12, 31)),  # in force
    ("D4", True, date(2022, 1, 1), "expired", date(2025, 5, 1), None),  # 失效, not 废止: in no column
    ("D5", True, date(2021, 1, 1), "repealed", date(2026, 3, 1), None),  # repealed only later: in force
    ("D6", True, date(2020, 1, 1), "valid", None, date(2025, 6, 30)),  # its period ran out: not in force
    ("D7", True, date(2024, 1, 1), "revised", date(2025, 4, 1), None),  # revised: in force
    ("D8", False, date(2025, 2, 1), "valid", None, None),  # not normative
    ("D9", True, date(2026, 1, 10), "valid", None, None),  # next year
]
T2_EXPECTED = {"t2.normative.issued": 2, "t2.normative.repealed": 1, "t2.normative.in_force": 4}

# (key, applicant_type, received_on, replied_on, outcome, fee paid (yuan, day))
APPLICATIONS = [
    ("A1", "person", date(2024, 12, 20), date(2025, 1, 10), "public", None),
    ("A2", "commercial", date(2024, 11, 1), date(2024, 12, 1), "deny_1", None),  # all in 2024
    ("A3", "person", date(2025, 3, 1), date(2025, 3, 20), "partial", (300, date(2025, 3, 10))),
    ("A4", "person", date(2025, 5, 1), date(2025, 5, 10), "deny_4", None),
    ("A5", "research", date(2025, 6, 1), date(2025, 6, 25), "unavailable_1", None),
    ("A6", "legal_service", date(2025, 7, 1), date(2025, 7, 5), "not_processed_2", None),
    ("A7", "other_org", date(2025, 12, 20), None, None, None),
    ("A8", "public_interest", date(2025, 12, 28), date(2026, 1, 5), "public", None),
    ("A9", "commercial", date(2024, 12, 30), None, None, None),
    ("A10", "person", date(2025, 8, 1), date(2025, 9, 15), "other_1", None),
    ("A11", "commercial", date(2025, 9, 1), date(2025, 9, 30), "other_2", None),
    ("A12", "person", date(2024, 12, 15), date(2025, 1, 20), "deny_6", (200, date(2024, 12, 31))),
]
# (application, day, kind, result)
REMEDIES = [
    ("A4", date(2025, 6, 1), "reconsideration", "pending"),
    ("A4", date(2025, 8, 1), "reconsideration", "upheld"),
    ("A5", date(2025, 7, 10), "litigation_direct", "pending"),
    ("A5", date(2026, 2, 1), "litigation_direct", "corrected"),  # after 31 December: still pending in 2025
    ("A2", date(2024, 12, 20), "reconsideration", "pending"),  # began in 2024: not a 2025 case
    ("A2", date(2025, 2, 1), "reconsideration", "corrected"),
    ("A6", date(2025, 9, 1), "reconsideration", "other"),
    ("A6", date(2025, 10, 1), "litigation_after", "corrected"),
]
FEES_YUAN = 300
FEE_APPLICATIONS = 1

COLUMNS = ("person", "commercial", "research", "public_interest", "legal_service", "other_org")


def _row(**values) -> dict[str, int]:
    out = {c: values.get(c, 0) for c in COLUMNS}
    out["total"] = sum(out.values())
    return out


# Hand-computed, row by row (zero rows omitted from this table are zero in every column).
T3_ROWS = {
    "new": _row(person=3, commercial=1, research=1, public_interest=1, legal_service=1, other_org=1),  # A3 A4 A10 | A11 | A5 | A8 | A6 | A7
    "carried": _row(person=2, commercial=1),  # A1 A12 | A9
    "public": _row(person=1),  # A1
    "partial": _row(person=1),  # A3
    "deny_4": _row(person=1),  # A4
    "deny_6": _row(person=1),  # A12
    "unavailable_1": _row(research=1),  # A5
    "not_processed_2": _row(legal_service=1),  # A6
    "other_1": _row(person=1),  # A10
    "other_2": _row(commercial=1),  # A11
    "results_total": _row(person=5, commercial=1, research=1, legal_service=1),
    "carry_next": _row(commercial=1, public_interest=1, other_org=1),  # A9 | A8 | A7
}
T4_EXPECTED = {
    "reconsideration": {"upheld": 1, "corrected": 0, "other": 1, "pending": 0, "total": 2},
    "litigation_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1},
    "litigation_after": {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1},
}


def expected_cells() -> dict[str, int]:
    from webapp import annual_report as rules

    out: dict[str, int] = dict(T2_EXPECTED)
    for row in rules.T3_ROWS:
        for col, _, _ in rules.T3_COLUMNS:
            out[f"t3.{row.key}.{col}"] = T3_ROWS.get(row.key, {}).get(col, 0)
    for group, results in T4_EXPECTED.items():
        for result, n in results.items():
            out[f"t4.{group}.{result}"] = n
    return out


def seed(drafter_id: int) -> dict[str, int]:
    """Write the fixture year; returns key -> row id."""
    drafter = db.session.get(User, drafter_id)
    ids: dict[str, int] = {}
    for key, normative, printed, validity, changed, until in DOCUMENTS:
        d = Document(title=f"关于{key}的规定", doc_type="规定", department_id=drafter.department_id,
                     drafter_id=drafter.id, stage="filed", disclosure="public", print_date=printed,
                     doc_number=f"测试〔{printed.year}〕{key}号", is_normative=normative, validity=validity,
                     validity_changed_on=changed, effective_to=until)
        db.session.add(d)
        db.session.flush()
        ids[key] = d.id
    for key, applicant, received, replied, outcome, fee in APPLICATIONS:
        a = Application(channel="in_person", received_on=received, applicant_type=applicant,
                        applicant_name=f"申请人{key}", description=f"{key}所需信息", fingerprint=key * 4,
                        stage="replied" if replied else "handling", replied_on=replied, outcome=outcome,
                        fee_amount=fee[0] if fee else 0, due_on=None if replied else date(2026, 1, 30))
        db.session.add(a)
        db.session.flush()
        ids[key] = a.id
        db.session.add(ApplicationEvent(application_id=a.id, kind="received", day=received))
        if fee:
            db.session.add(ApplicationEvent(application_id=a.id, kind="fee_paid", day=fee[1]))
    for key, day, kind, result in REMEDIES:
        db.session.add(ApplicationEvent(application_id=ids[key], kind="remedy_recorded", day=day,
                                        details_json=json.dumps({"kind": kind, "result": result})))
    db.session.commit()
    return ids
