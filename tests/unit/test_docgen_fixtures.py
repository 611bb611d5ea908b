"""Shared sample data and builders for the docgen tests (no conftest needed).

Imported by the other ``test_docgen_*`` modules and by
``tests/integration/test_docgen_libreoffice.py``; it also tests its own
helpers so that it is not an empty test module.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import pytest

from webapp.disclosure import Disclosure
from webapp.docgen import OfficialDocument
from webapp.docgen.text import xml_safe

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = REPO_ROOT.parent / "shared" / "seeds"

SAMPLE_BODY = (
    "<p>为贯彻落实《国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见》"
    "（国办发〔2019〕54号）要求，现就有关事项通知如下：</p>"
    "<p>一、工作目标</p>"
    "<p>深入推进全省安全生产领域和救灾领域政务公开标准化规范化，到2023年，"
    "基本建成全省统一的<strong>政务公开标准体系</strong>。</p>"
    "<p>二、工作任务。各地要对照标准目录，全面梳理细化政务公开事项。</p>"
    "<p>（一）全面落实标准指引</p>"
    "<p>1．各市、县（市、区）应急管理局要对照应急管理部制定的标准目录指引开展工作。</p>"
    "<p>（1）<em>按时</em>完成<u>目录编制</u>。</p>"
    "<ol><li>第一项要求</li><li>第二项要求</li></ol>"
    "<ul><li>加强组织领导</li></ul>"
    "<table><thead><tr><th>工作任务</th><th>完成时限</th></tr></thead>"
    "<tbody><tr><td>编制目录</td><td>7月15日前</td></tr></tbody></table>"
    "<p>特此通知。</p>"
)


def sample_document(**changes: object) -> OfficialDocument:
    """A realistic document (seed 000's notice, renumbered for 2026)."""
    doc = OfficialDocument(
        issuer_mark="河南省应急管理厅文件",
        doc_number="豫应急办〔2026〕7号",
        title="河南省应急管理厅关于全面推进应急管理系统政务公开标准化规范化工作的通知",
        recipients="各省辖市应急管理局，厅机关各处室",
        body_html=SAMPLE_BODY,
        attachments=("安全生产领域基层政务公开标准目录", "救灾领域基层政务公开标准目录"),
        signer="河南省应急管理厅",
        written_date=date(2026, 3, 1),
        disclosure=Disclosure.PUBLIC,
        printing_office="河南省应急管理厅办公室",
        print_date=date(2026, 3, 5),
        cc="应急管理部办公厅",
    )
    return replace(doc, **changes) if changes else doc  # type: ignore[arg-type]


def paragraphs_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def draft_docx(paragraphs: list[str]) -> bytes:
    """A drafter's .docx: one python-docx paragraph per item, nothing else."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(xml_safe(text))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def seeds_dir() -> Path:
    """/work/main/../shared/seeds, or skip the calling test with the reason."""
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS_DIR}")
    return SEEDS_DIR


def seed_files() -> list[Path]:
    files = sorted(p for p in seeds_dir().glob("*.txt") if p.name != "README.md")
    if not files:
        pytest.skip(f"no *.txt seed documents in {SEEDS_DIR}")
    return files


def seed_paragraphs(path: Path) -> list[str]:
    """The seed's paragraphs: blocks separated by blank lines, non-empty."""
    text = path.read_text(encoding="utf-8")
    return [block.strip() for block in re.split(r"\n[ \t\r\f\v]*\n", text) if block.strip()]


def squash(text: str) -> str:
    """Whitespace-normalised text for comparisons: all whitespace removed."""
    return re.sub(r"\s+", "", text)


def assert_in_order(needles: list[str], haystack: str) -> None:
    """Every needle occurs in *haystack*, each after the previous one."""
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        assert found >= 0, f"lost or out of order: {needle[:60]!r}"
        position = found + len(needle)


# -- tests of the helpers themselves ---------------------------------------


def test_seed_paragraphs_split_on_blank_lines(tmp_path: Path) -> None:
    seed = tmp_path / "x.txt"
    seed.write_text("\n\n一、甲\n续行\n\n  \n二、乙\n", encoding="utf-8")
    assert seed_paragraphs(seed) == ["一、甲\n续行", "二、乙"]


def test_assert_in_order_detects_a_loss() -> None:
    assert_in_order(["甲", "丙"], "甲乙丙")
    with pytest.raises(AssertionError):
        assert_in_order(["丙", "甲"], "甲乙丙")


def test_draft_docx_is_readable() -> None:
    data = draft_docx(["第一段", "第二段\x00含控制字符"])
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert texts == ["第一段", "第二段含控制字符"]
