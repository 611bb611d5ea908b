"""Front-end files are served from our own static folder, pinned by hash; no page loads from elsewhere."""

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "webapp" / "static"


def test_vendored_files_match_their_recorded_hashes():
    table = (STATIC / "vendor" / "README.md").read_text()
    rows = re.findall(r"^\| (\S+) \| .*? \| (\S+) \| ([0-9a-f]{64}) \|$", table, re.M)
    assert rows, "no pinned files listed"
    for name, _version, digest in rows:
        assert hashlib.sha256((STATIC / "vendor" / name).read_bytes()).hexdigest() == digest, name


def test_htmx_is_version_2():
    head = (STATIC / "vendor" / "htmx.min.js").read_text()[:20000]
    assert 'version:"2.0.' in head.replace(" ", "")


def test_templates_load_nothing_from_other_sites():
    for path in (ROOT / "webapp" / "templates").rglob("*.html"):
        text = path.read_text()
        assert not re.search(r'(src|href)="(https?:)?//', text), path


def test_test_only_axe_matches_its_recorded_hash():
    folder = ROOT / "tests" / "browser" / "vendor"
    rows = re.findall(r"^\| (\S+) \| .*? \| (\S+) \| ([0-9a-f]{64}) \|$", (folder / "README.md").read_text(), re.M)
    assert rows
    for name, _version, digest in rows:
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
