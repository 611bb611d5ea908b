"""The import boundaries of DESIGN.md §4, read from the source (every module's AST,
imports inside functions included), never by importing it:

- the pure packages (the chain, disclosure rules, working days, de-identification, the
  .docx generator, archives, the clock, the event table) reach no Flask, no SQLAlchemy and
  none of webapp.models / extensions / services / blueprints, directly or through another
  webapp module;
- the public portal (`portal/`) and the protocol it shares (`gkt_protocol/`) import
  nothing from `webapp`;
- the services form no import cycle (a step two services share becomes its own module).

The checker is tested on a small tree of its own first, so a broken checker cannot pass.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PURE = ("webapp.workflow", "webapp.catalogue", "webapp.disclosure", "webapp.workdays", "webapp.deid", "webapp.docgen",
        "webapp.archives", "webapp.clock", "webapp.events", "webapp.limits", "webapp.applications_flow",
        "webapp.urgency", "webapp.annual_report", "webapp.abstracts", "webapp.filemeta", "webapp.publiccopy")
# Third-party packages a pure module may not reach: the web framework and the database.
IMPURE_THIRD_PARTY = ("flask", "flask_login", "flask_migrate", "flask_sqlalchemy", "flask_wtf", "flask_htmx",
                      "werkzeug", "sqlalchemy", "wtforms")
IMPURE_WEBAPP = ("webapp.models", "webapp.extensions", "webapp.services", "webapp.blueprints")
SEPARATE_APPS = ("portal", "gkt_protocol")


# --------------------------------------------------------------------------- the checker

def module_files(root: Path, top: str) -> dict[str, Path]:
    """Every module under root/top, by dotted name (a package by its own name)."""
    out = {}
    for path in sorted((root / top).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def _nodes(tree: ast.AST):
    """Every node, skipping `if TYPE_CHECKING:` blocks (annotations only, never run)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                stack.extend(child.orelse)
                continue
            stack.append(child)


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The absolute module names this module imports, at any depth of its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
    return found


def import_graph(root: Path, tops: tuple[str, ...]) -> dict[str, set[str]]:
    files: dict[str, Path] = {}
    for top in tops:
        if (root / top).is_dir():
            files.update(module_files(root, top))
    known = set(files)
    return {name: imports_of(name, path, known) for name, path in files.items()}


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def purity_violations(graph: dict[str, set[str]], pure: tuple[str, ...] = PURE) -> list[str]:
    """For each pure module, the first import path that reaches Flask, the database or the app's
    impure parts, e.g. "webapp.docgen.x → webapp.policy → webapp.models"."""
    problems = []
    for start in sorted(m for m in graph if _within(m, pure)):
        seen, stack = {start}, [(start, [start])]
        while stack:
            mod, trail = stack.pop()
            for dep in sorted(graph.get(mod, ())):
                top = dep.split(".")[0]
                if top in IMPURE_THIRD_PARTY or _within(dep, IMPURE_WEBAPP):
                    problems.append(" → ".join([*trail, dep]))
                    stack.clear()
                    break
                if dep in graph and dep not in seen and dep != "webapp":
                    seen.add(dep)
                    stack.append((dep, [*trail, dep]))
    return problems


def webapp_imports(graph: dict[str, set[str]], top: str) -> list[str]:
    return sorted(f"{m} → {d}" for m, deps in graph.items() if _within(m, (top,))
                  for d in deps if _within(d, ("webapp",)))


def cycles(graph: dict[str, set[str]], within: str) -> list[list[str]]:
    """Import cycles among the modules under `within` (Tarjan's strongly connected components)."""
    nodes = sorted(m for m in graph if _within(m, (within,)) and m != within)
    edges = {m: sorted(d for d in graph[m] if d in nodes) for m in nodes}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in edges[v]:
                found.append(sorted(component))

    for v in nodes:
        if v not in index:
            visit(v)
    return found


# --------------------------------------------------------------------------- the checker, checked

def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, source in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return tmp_path


def test_the_checker_finds_each_kind_of_breach(tmp_path):
    root = _tree(tmp_path, {
        "webapp/__init__.py": "from flask import Flask\n",
        "webapp/models.py": "from .extensions import db\n",
        "webapp/extensions.py": "",
        "webapp/policy.py": "from .models import Document\n",
        "webapp/clock.py": "def now():\n    from flask import g  # hidden in a function\n    return g\n",
        "webapp/workflow.py": "from . import policy  # reaches the models through another module\n",
        "webapp/disclosure.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .models import X\n",
        "webapp/deid/__init__.py": "from .engine import find\n",
        "webapp/deid/engine.py": "from ..disclosure import Disclosure\nimport re\n",
        "webapp/services/__init__.py": "",
        "webapp/services/a.py": "from . import b\n",
        "webapp/services/b.py": "def f():\n    from .a import g\n",
        "webapp/services/c.py": "from .a import x\n",
        "portal/app.py": "import webapp.workflow\n",
        "gkt_protocol/sign.py": "import hmac\n",
    })
    graph = import_graph(root, ("webapp", "portal", "gkt_protocol"))
    assert purity_violations(graph) == ["webapp.clock → flask",
                                        "webapp.workflow → webapp.policy → webapp.models"]
    assert cycles(graph, "webapp.services") == [["webapp.services.a", "webapp.services.b"]]
    assert webapp_imports(graph, "portal") == ["portal.app → webapp.workflow"]
    assert webapp_imports(graph, "gkt_protocol") == []


# --------------------------------------------------------------------------- the code base

@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(ROOT, ("webapp", *SEPARATE_APPS))


def test_pure_packages_reach_no_flask_no_database_no_services(graph):
    present = {p for p in PURE if p in graph}
    assert {"webapp.workflow", "webapp.deid", "webapp.docgen", "webapp.clock", "webapp.events"} <= present
    assert purity_violations(graph) == []


@pytest.mark.parametrize("top", SEPARATE_APPS)
def test_the_portal_side_imports_nothing_from_webapp(graph, top):
    if not (ROOT / top).is_dir():
        pytest.skip(f"{top}/ does not exist yet")
    assert webapp_imports(graph, top) == []


def test_services_form_no_import_cycle(graph):
    assert any(m.startswith("webapp.services.") for m in graph)
    assert cycles(graph, "webapp.services") == []
