"""The event-type table (webapp/events.py): every kind the code writes is in it, with a
Chinese label.  The kinds are collected from the source by parsing it, not by running it."""

from __future__ import annotations

import ast
from pathlib import Path

from webapp.events import CATEGORIES, EVENT_TYPES, label
from webapp.workflow import MOVE_LABELS, Action

ROOT = Path(__file__).resolve().parents[2]
# Where the kind is not a literal: the chain's moves, whose kind is the Action's value.
# Where the kind is not a literal: the chain's moves, whose kind is the Action's value, and the
# applications' moves, whose kind is "app_" + the AppAction's value (tests/unit/test_applications_rules.py),
# and the R11 clean-up decisions, whose kind is validity.DECISIONS' (tests/unit/test_validity_rules.py).
COMPUTED_KIND_SITES = {"webapp/services/chain.py", "webapp/services/applications.py", "webapp/services/validity.py"}


def audit_calls(source: str) -> list[ast.Call]:
    """Calls of audit.record(...) or of a bare record(...) imported from the audit service."""
    tree = ast.parse(source)
    bare = any(isinstance(n, ast.ImportFrom) and (n.module or "").endswith("audit")
               and any(a.name == "record" for a in n.names) for n in ast.walk(tree))
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if (isinstance(f, ast.Attribute) and f.attr == "record" and isinstance(f.value, ast.Name)
                and f.value.id == "audit") or (bare and isinstance(f, ast.Name) and f.id == "record"):
            calls.append(node)
    return calls


def kinds_written(root: Path) -> tuple[set[str], set[str]]:
    """(literal kinds, files where the kind is computed) over every module under root/webapp."""
    literal, computed = set(), set()
    for path in sorted((root / "webapp").rglob("*.py")):
        for call in audit_calls(path.read_text(encoding="utf-8")):
            first = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "action"), None)
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                literal.add(first.value)
            else:
                computed.add(path.relative_to(root).as_posix())
    return literal, computed


def test_the_collector_sees_literal_and_computed_kinds(tmp_path):
    (tmp_path / "webapp").mkdir()
    (tmp_path / "webapp" / "a.py").write_text(
        "from .services import audit\n"
        "def f(kind):\n"
        "    audit.record('frobnicate', None)\n"
        "    audit.record(kind, None)\n", encoding="utf-8")
    (tmp_path / "webapp" / "b.py").write_text(
        "from .services.audit import record\nrecord(action='wibble', actor=None)\n", encoding="utf-8")
    assert kinds_written(tmp_path) == ({"frobnicate", "wibble"}, {"webapp/a.py"})


def test_every_kind_the_code_writes_is_in_the_table():
    literal, computed = kinds_written(ROOT)
    assert literal, "no audit.record call found: the collector is broken"
    assert literal - set(EVENT_TYPES) == set(), "add these kinds to webapp/events.py"
    assert computed == COMPUTED_KIND_SITES, "a computed event kind outside the chain: use a literal kind"
    assert {a.value for a in Action} <= set(EVENT_TYPES)  # what chain.move writes


def test_every_label_is_chinese_and_every_category_known():
    for kind, t in EVENT_TYPES.items():
        assert t.kind == kind and not t.label.isascii() and t.category in CATEGORIES, t


def test_a_move_is_labelled_by_the_stage_it_was_made_in():
    assert label("approve", "leader_approval") == "签发"
    assert label("approve", "office_review") == "审核通过"
    assert label("approve", "secrecy_review") == "保密审查通过"
    assert label("approve") == "审核通过"
    for (stage, action), word in MOVE_LABELS.items():
        assert label(action.value, stage.value) == word


def test_an_unknown_or_retired_kind_never_shows_its_raw_name():
    assert label("frobnicate") == "其他操作"
    assert label("approve", "a_stage_since_removed") == "审核通过"
