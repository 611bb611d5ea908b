"""A real reader: LibreOffice renders our .docx to PDF, poppler reads it back.

Skips when soffice / poppler are missing, except under CI=true, where their
absence fails the run.  Page 1 of the sample document is kept as a PNG under
$TEST_ARTIFACTS_DIR/docgen/ (default: test-results/docgen/ at the repo root).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.unit.test_docgen_fixtures import REPO_ROOT, sample_document, squash
from webapp.disclosure import Disclosure
from webapp.docgen import build_docx
from webapp.docgen.gbt9704 import CHARS_PER_LINE, LINES_PER_PAGE

TOOLS = ("soffice", "pdftotext", "pdfinfo", "pdftoppm")


def _require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    reason = (
        f"{', '.join(missing)} not installed (Debian: libreoffice-writer-nogui, poppler-utils, "
        "fonts-noto-cjk, fonts-arphic-ukai)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def artifacts_dir() -> Path:
    base = os.environ.get("TEST_ARTIFACTS_DIR")
    path = Path(base) / "docgen" if base else REPO_ROOT / "test-results" / "docgen"
    path.mkdir(parents=True, exist_ok=True)
    return path


def to_pdf(data: bytes, workdir: Path, name: str = "document") -> Path:
    """Convert with LibreOffice headless, in a profile of its own."""
    _require_tools()
    source = workdir / f"{name}.docx"
    source.write_bytes(data)
    profile = (workdir / "lo-profile").resolve().as_uri()
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = workdir / f"{name}.pdf"
    assert pdf.exists(), f"LibreOffice did not convert: {result.stdout}\n{result.stderr}"
    return pdf


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match, info
    return int(match.group(1))


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def red_rows(pdf: Path, workdir: Path) -> list[int]:
    """Pixel rows of page 1 (at 30 dpi) that hold clearly red pixels."""
    stem = workdir / "page1"
    subprocess.run(
        ["pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    raw = (workdir / "page1.ppm").read_bytes()
    magic, width, height, maxval, pixels = raw.split(maxsplit=4)
    assert magic == b"P6" and maxval == b"255"
    w, h = int(width), int(height)
    rows = []
    for y in range(h):
        row = pixels[y * w * 3 : (y + 1) * w * 3]
        if any(row[i] > 180 and row[i + 1] < 90 and row[i + 2] < 90 for i in range(0, len(row), 3)):
            rows.append(y)
    return rows


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("lo-sample")
    pdf = to_pdf(build_docx(sample_document()), workdir, "sample")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(artifacts_dir() / "docgen-sample-page1"),
        ],
        check=True,
    )
    return pdf


def test_page1_png_is_kept_as_an_artefact(sample_pdf: Path) -> None:
    png = artifacts_dir() / "docgen-sample-page1.png"
    assert png.exists() and png.stat().st_size > 1000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_red_mark_and_red_rule_on_page1(sample_pdf: Path, tmp_path: Path) -> None:
    rows = red_rows(sample_pdf, tmp_path)
    height = 297 * 30 / 25.4
    assert rows, "no red on page 1"
    # the red 发文机关标志 and the red rule sit in the top 45 % of the page
    assert max(rows) < 0.45 * height
    # two separate red bands: the mark, then (lower) the rule
    bands = [r for i, r in enumerate(rows) if i == 0 or r - rows[i - 1] > 2]
    assert len(bands) >= 2


@pytest.mark.parametrize("disclosure", list(Disclosure))
def test_annotation_and_doc_number_in_the_rendered_text(disclosure: Disclosure, tmp_path: Path) -> None:
    doc = sample_document(disclosure=disclosure)
    text = squash(pdf_text(to_pdf(build_docx(doc), tmp_path)))
    assert squash(disclosure.annotation) in text
    assert "豫应急办〔2026〕7号" in text
    assert "河南省应急管理厅文件" in text
    # the annotation comes right after the 成文日期
    assert "2026年3月1日" + disclosure.annotation in text


# Measured layout of the sample document in LibreOffice 7.4: the 版头, title
# and 主送机关 take 14 of page 1's 22 lines; the tail (blank, 署名, 成文日期,
# 附注, blank, 抄送, 印发) takes 7.  A 50-character paragraph is exactly two
# lines (26 after the two-character indent + 24, with 4 characters of slack).
HEADER_LINES = 14
TAIL_LINES = 7
PARAGRAPH = "政务公开标准化规范化工作要求" * 3 + "推进基层公开工作"


def three_page_paragraphs() -> int:
    """Paragraphs that end the document half-way down page 3."""
    assert len(PARAGRAPH) == 50 and 50 <= 2 * CHARS_PER_LINE - 2
    target = 2 * LINES_PER_PAGE + LINES_PER_PAGE // 2  # page 3, line 11
    return (target - HEADER_LINES - TAIL_LINES) // 2


def test_three_page_body_gives_exactly_three_pages(tmp_path: Path) -> None:
    n = three_page_paragraphs()
    assert n == 17  # 5 paragraphs (10 lines) of slack either way, measured: 12…22
    body = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(n))
    doc = sample_document(body_html=body, attachments=(), title="关于推进政务公开工作的通知")
    pdf = to_pdf(build_docx(doc), tmp_path)
    assert pdf_pages(pdf) == 3
    last = squash(page_text(pdf, 3))
    assert "（此件公开发布）" in last and "2026年3月5日印发" in last
    # page numbers: — 1 — … — 3 —
    for page in (1, 2, 3):
        assert f"—{page}—" in squash(page_text(pdf, page))


def test_lines_hold_28_characters(tmp_path: Path) -> None:
    """The character grid survives in a real reader: 28 characters a line."""
    line = "政务公开" * 7  # exactly 28 characters
    body = f"<p>{line * 3}</p>"
    pdf = to_pdf(build_docx(sample_document(body_html=body, attachments=())), tmp_path)
    layout = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [squash(x) for x in layout.splitlines() if x.strip() and set(x.strip()) <= set("政务公开")]
    # first line: 26 after the 2-character indent; then full lines of 28
    assert [len(x) for x in lines[:3]] == [26, 28, 28]
