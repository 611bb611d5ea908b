"""Every real notice in shared/seeds survives draft → import → official .docx."""

from __future__ import annotations

from pathlib import Path

import bleach
import pytest

from tests.unit.test_docgen_fixtures import (
    SEEDS_DIR,
    assert_in_order,
    draft_docx,
    sample_document,
    seed_files,
    seed_paragraphs,
    squash,
)
from webapp.docgen import ALLOWED_TAGS, build_docx, document_text, docx_to_body_html

SEED_NAMES = (
    sorted(p.name for p in SEEDS_DIR.glob("*.txt") if p.name != "README.md")
    if SEEDS_DIR.is_dir()
    else ["(seeds missing)"]
)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_round_trip_loses_no_paragraph(name: str) -> None:
    files = {p.name: p for p in seed_files()}
    path: Path = files[name]
    paragraphs = seed_paragraphs(path)
    assert paragraphs, f"{name} has no paragraphs"

    body_html = docx_to_body_html(draft_docx(paragraphs))
    assert bleach.clean(body_html, tags=ALLOWED_TAGS, attributes={}, strip=True) == body_html

    text = document_text(build_docx(sample_document(body_html=body_html)))
    assert_in_order([squash(p) for p in paragraphs], squash(text))
