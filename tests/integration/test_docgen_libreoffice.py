"""A real reader: LibreOffice renders our .docx to PDF, poppler reads it back.

Skips when soffice / poppler are missing, except under CI=true, where their
absence fails the run.  Page 1 of the sample document is kept as a PNG under
$TEST_ARTIFACTS_DIR/docgen/ (default: test-results/docgen/ at the repo root).
"""

from __future__ import annotations

import html
import io
import itertools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from tests.unit.test_docgen_fixtures import (
    REPO_ROOT,
    SEEDS_DIR,
    paragraphs_html,
    sample_document,
    seed_files,
    seed_paragraphs,
    squash,
)
from webapp.disclosure import Disclosure
from webapp.docgen import AttachmentPage, InterpretationDocument, build_docx
from webapp.docgen.gbt9704 import CHARS_PER_LINE, LINES_PER_PAGE, plan_document

SEED_NAMES = (
    sorted(p.name for p in SEEDS_DIR.glob("*.txt") if p.name != "README.md")
    if SEEDS_DIR.is_dir()
    else ["(seeds missing)"]
)

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


# ===========================================================================
# Issue 14: the layout a 核稿 colleague checks, on LibreOffice's rendering.
# Every case keeps its page images under test-results/docgen/<case>-<page>.png.
# ===========================================================================

PT_PER_LINE = 28.95  # 579 twips
TOP = 37 / 25.4 * 72  # 版心 top edge, pt from the top of the page
BOTTOM = (297 - 35) / 25.4 * 72  # 版心 bottom edge


@dataclass
class Line:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    words: list[tuple[float, float, str]]


def bbox_lines(pdf: Path) -> list[Line]:
    """Every text line of the PDF with its box (pt), from pdftotext -bbox-layout."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    out: list[Line] = []
    page = 0
    for m in re.finditer(
        r'<page |<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', xml, re.S
    ):
        if m.group(0).startswith("<page"):
            page += 1
            continue
        words = [
            (float(a), float(b), html.unescape(t))
            for a, b, t in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                                     m.group(5))
        ]
        x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
        out.append(Line(page, x0, y0, x1, y1, "".join(w[2] for w in words), words))
    return out


def page_number_line(line: Line) -> bool:
    return bool(re.fullmatch(r"—\d+—", line.text))


def render_case(name: str, doc, tmp_path: Path) -> tuple[Path, list[Line]]:
    """Build, convert, keep every page as a PNG for a human, return the lines."""
    pdf = to_pdf(build_docx(doc), tmp_path, name)
    out = artifacts_dir()
    for old in out.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(out / name)], check=True)
    return pdf, bbox_lines(pdf)


def colophon_bottom(lines: list[Line]) -> Line:
    return next(line for line in reversed(lines) if line.text.endswith("印发"))


def assert_colophon_at_the_foot(lines: list[Line], pages: int) -> None:
    """7.4: the 版记's last line is the last line of the last page's 版心."""
    printed = colophon_bottom(lines)
    assert printed.page == pages, f"版记 on page {printed.page} of {pages}"
    assert BOTTOM - PT_PER_LINE < printed.y1 <= BOTTOM, (printed.y1, BOTTOM)


def assert_signature_not_alone(lines: list[Line], signer: str = "河南省应急管理厅") -> None:
    """No page carries the 署名 and 成文日期 without any of the text above them."""
    sig = next(line for line in lines if line.text == signer)
    above = [
        line for line in lines
        if line.page == sig.page and line.y0 < sig.y0 - 1 and not page_number_line(line)
    ]
    assert above, f"署名 alone on page {sig.page}"


REPEAT = "政务公开标准化规范化工作要求" * 3 + "推进基层公开工作"  # 50 characters = 2 lines


def short_doc(paragraphs: int, **changes):
    return sample_document(
        body_html="".join(f"<p>{REPEAT}</p>" for _ in range(paragraphs)),
        attachments=(),
        title="关于推进政务公开工作的通知",
        **changes,
    )


# -- page 1 holds all the lines of the grid --------------------------------------


def test_page1_holds_all_22_lines(tmp_path: Path) -> None:
    pdf, lines = render_case("page1-full", short_doc(20), tmp_path)
    page1 = [line for line in lines if line.page == 1 and not page_number_line(line)]
    last = max(page1, key=lambda line: line.y1)
    # the last text line of page 1 sits in the 22nd line of the 版心
    assert BOTTOM - PT_PER_LINE < last.y1 <= BOTTOM, last
    body = [line for line in page1 if REPEAT[:6] in line.text or line.text.startswith("要求")]
    assert len(body) == 22 - 13  # 版头 5 + 2 + 文号 1 + 2 + 标题 1 + 空行 1 + 主送 1 = 13
    # every body line on the grid: 579 twips apart
    tops = [line.y0 for line in body]
    assert all(abs(b - a - PT_PER_LINE) < 0.2 for a, b in itertools.pairwise(tops))


# -- 标题 -----------------------------------------------------------------------------

TITLES = [
    # (title, words that must stay on one line)
    ("关于印发河南省安全生产应急救援培训基地建设管理办法的通知", ["培训基地", "应急救援", "管理办法"]),
    ("河南省应急管理厅关于全面推进应急管理系统政务公开标准化规范化工作的通知", ["应急管理系统", "政务公开"]),
    ("国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见", ["政务公开", "指导意见"]),
    ("关于做好2026年度政府信息公开工作年度报告编制发布工作的通知", ["2026年度", "年度报告"]),
]


@pytest.mark.parametrize(("title", "whole"), TITLES)
def test_title_breaks_between_words_into_balanced_lines(title: str, whole: list[str], tmp_path: Path) -> None:
    name = f"title-{TITLES.index((title, whole))}"
    _, lines = render_case(name, sample_document(title=title, body_html="<p>正文。</p>", attachments=()), tmp_path)
    number = next(line for line in lines if line.text == "豫应急办〔2026〕7号")
    recipients = next(line for line in lines if line.text.startswith("各省辖市"))
    title_lines = [line.text for line in lines if number.y1 < line.y0 < recipients.y0 and line.page == 1]
    assert "".join(title_lines) == title
    assert len(title_lines) == 2
    for word in whole:
        assert any(word in line for line in title_lines), (word, title_lines)
    lengths = [len(line) for line in title_lines]
    assert max(lengths) - min(lengths) <= 5, title_lines  # 梯形, not one long and one short line


# -- digits and Latin letters keep their natural spacing ---------------------------------

DIGITS_BODY = "<p>到2026年11月30日，完成GB/T 9704-2012的3项要求。</p>"


def gaps_in(line: Line) -> list[float]:
    return [b[0] - a[1] for a, b in itertools.pairwise(line.words)]


def _assert_tight_digits(lines: list[Line]) -> None:
    body = next(line for line in lines if line.text.startswith("到2026年"))
    assert body.text.startswith("到2026年11月30日，完成GB/T9704-2012的3项要求。")
    # LibreOffice 7.4 keeps a small fixed gap (≈0.24 em) where Chinese meets a
    # digit: it does not read w:autoSpaceDN="0".  A character grid padded each
    # digit run to whole cells instead: gaps of 13–14 pt after "2026", "11", "30".
    assert max(gaps_in(body)) < 0.3 * 16, gaps_in(body)
    date = next(line for line in lines if line.text == "2026年11月30日")
    assert max(gaps_in(date), default=0) < 0.3 * 16, gaps_in(date)


def test_digits_get_no_stray_spaces_with_noto_cjk(tmp_path: Path) -> None:
    doc = sample_document(body_html=DIGITS_BODY, written_date=date(2026, 11, 30), attachments=())
    _, lines = render_case("digits-noto", doc, tmp_path)
    _assert_tight_digits(lines)


def fangsong_font() -> Path | None:
    """A 仿宋 face: $FANGSONG_FONT, or Debian's fonts-cwtex-fs (cwTeX 仿宋體)."""
    for candidate in (os.environ.get("FANGSONG_FONT", ""), "/usr/share/fonts/truetype/cwtex/cwfs.ttf"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def test_digits_get_no_stray_spaces_with_a_fangsong_face(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    font = fangsong_font()
    if font is None:
        reason = "no 仿宋 face (Debian: fonts-cwtex-fs, or FANGSONG_FONT=/path/to/font.ttf)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        "<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>"
        f"<dir>{font.parent}</dir>"
        '<match target="pattern"><test name="family"><string>仿宋_GB2312</string></test>'
        '<edit name="family" mode="prepend" binding="strong"><string>cwTeXFangSong</string></edit></match>'
        "</fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    doc = sample_document(body_html=DIGITS_BODY, written_date=date(2026, 11, 30), attachments=())
    pdf, lines = render_case("digits-fangsong", doc, tmp_path)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "cwTeX" in fonts or "FangSong" in fonts, fonts  # the face really was used
    _assert_tight_digits(lines)


# -- 署名 and 成文日期 never alone; the 版记 at the foot ---------------------------------


@pytest.mark.parametrize("paragraphs", [0, 3, 5, 12, 13, 14, 15])
def test_signature_never_alone_and_colophon_at_the_foot(paragraphs: int, tmp_path: Path) -> None:
    """3 and 14 paragraphs leave the 署名 alone unless the body is tightened;
    13–15 leave no room for the 版记, which then takes an even page of its own."""
    doc = short_doc(paragraphs)
    pdf, lines = render_case(f"tail-{paragraphs}", doc, tmp_path)
    pages = pdf_pages(pdf)
    plan = plan_document(doc)[1]
    assert pages == plan.colophon_page
    assert_signature_not_alone(lines)
    assert_colophon_at_the_foot(lines, pages)
    if plan.colophon_own_page:
        assert pages % 2 == 0  # printed on both sides: 版记 on the back of the last sheet
        last = [line for line in lines if line.page == pages]
        assert {line.text.split("\t")[0] for line in last} <= {
            "抄送：应急管理部办公厅。", "河南省应急管理厅办公室2026年3月5日印发", "河南省应急管理厅办公室", "2026年3月5日印发"
        }, "版记 page carries something else (a page number?)"
        if plan.blank_page:
            assert not [line for line in lines if line.page == pages - 1], "the blank page is not blank"


def test_colophon_page_of_its_own_printed_on_one_side_needs_no_blank_page(tmp_path: Path) -> None:
    doc = short_doc(13, duplex=False)
    pdf, lines = render_case("tail-13-simplex", doc, tmp_path)
    assert pdf_pages(pdf) == 3
    assert_colophon_at_the_foot(lines, 3)


def test_tightened_page_is_tighter_but_whole(tmp_path: Path) -> None:
    doc = short_doc(14)
    plan = plan_document(doc)[1]
    assert plan.tightened_pitch < 579  # the case needs tightening
    _, lines = render_case("tight-14", doc, tmp_path)
    sig = next(line for line in lines if line.text == "河南省应急管理厅")
    body = [line for line in lines if line.page == sig.page and line.y0 < sig.y0 and REPEAT[:4] in line.text]
    pitches = sorted(b.y0 - a.y0 for a, b in itertools.pairwise(body))
    assert pitches and pitches[len(pitches) // 2] < PT_PER_LINE - 0.5 and pitches[0] >= 20  # 20 pt floor


# -- the five seed notices -------------------------------------------------------------


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_notice_layout(name: str, tmp_path: Path) -> None:
    path = {p.name: p for p in seed_files()}[name]
    paragraphs = seed_paragraphs(path)
    doc = sample_document(body_html=paragraphs_html(paragraphs), title=TITLES[0][0])
    pdf, lines = render_case(f"seed-{name[:3]}", doc, tmp_path)
    pages = pdf_pages(pdf)
    assert pages == plan_document(doc)[1].colophon_page
    assert_signature_not_alone(lines)
    assert_colophon_at_the_foot(lines, pages)
    if pages > 1:  # page 1 full to its last grid line, unless a heading went on with its text
        page1 = [line for line in lines if line.page == 1 and not page_number_line(line)]
        page2 = min((line for line in lines if line.page == 2), key=lambda line: line.y0)
        heading = re.match(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）", page2.text)
        assert max(line.y1 for line in page1) > BOTTOM - PT_PER_LINE or heading, page2.text


# -- tables ---------------------------------------------------------------------------


def long_table(rows: int = 40) -> str:
    head = "<thead><tr><th>序号</th><th>工作任务</th><th>完成时限</th><th>责任单位</th></tr></thead>"
    body = "".join(
        f"<tr><td>{i}</td><td>梳理细化安全生产领域和救灾领域基层政务公开事项第{i}项，编制标准目录</td>"
        f"<td>2026年7月15日前</td><td>办公室</td></tr>"
        for i in range(1, rows + 1)
    )
    return f"<p>现将工作任务分解如下：</p><table>{head}<tbody>{body}</tbody></table><p>特此通知。</p>"


def test_long_table_repeats_its_header_and_sizes_columns_from_content(tmp_path: Path) -> None:
    doc = sample_document(body_html=long_table(), attachments=())
    data = build_docx(doc)
    table = docx.Document(io.BytesIO(data)).tables[0]
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(set(grid)) == 4  # no equal-width columns
    number, task, when, unit = grid
    assert number < unit < when < task  # 序号 narrow, 工作任务 wide
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    pdf, lines = render_case("table-long", doc, tmp_path)
    pages = pdf_pages(pdf)
    assert pages >= 3
    for page in range(2, pages):  # every page the table runs onto starts with its header
        top = min(line.y0 for line in lines if line.page == page)
        first = sorted((line for line in lines if line.page == page and abs(line.y0 - top) < 2), key=lambda x: x.x0)
        assert "".join(line.text for line in first) == "序号工作任务完成时限责任单位", page
    assert pages == plan_document(doc)[1].colophon_page
    assert_colophon_at_the_foot(lines, pages)
    # rendered widths follow the grid: 序号 cell text sits in a column < 2 cm wide
    task = next(line for line in lines if line.text.startswith("梳理细化"))
    assert task.x0 - 79.4 < 57  # the task column starts within 2 cm: the 序号 column is narrow


# -- 附件 pages -------------------------------------------------------------------------


def test_attachment_pages_follow_the_body(tmp_path: Path) -> None:
    pages_in = (
        AttachmentPage("安全生产领域基层政务公开标准目录", body_html="<p>一、公开事项</p><p>行政许可、行政处罚。</p>"),
        AttachmentPage("救灾领域基层政务公开标准目录", file_name="救灾领域目录.pdf"),
    )
    doc = sample_document(attachment_pages=pages_in)
    pdf, lines = render_case("attachments", doc, tmp_path)
    pages = pdf_pages(pdf)
    sig = next(line for line in lines if line.text == "河南省应急管理厅")
    first = [line for line in lines if line.page == sig.page + 1 and not page_number_line(line)]
    first.sort(key=lambda line: line.y0)
    assert first[0].text == "附件1" and first[0].x0 < 90  # top left of the 版心
    assert first[1].text == "安全生产领域基层政务公开标准目录"
    centre = (28 + (210 - 26)) / 2 / 25.4 * 72  # middle of the 版心, pt
    assert abs((first[1].x0 + first[1].x1) / 2 - centre) < 8  # centred
    assert round((first[1].y0 - first[0].y0) / PT_PER_LINE) == 2  # the title on the third line
    second = sorted((line for line in lines if line.page == sig.page + 2 and not page_number_line(line)),
                    key=lambda line: line.y0)
    assert second[0].text == "附件2"
    assert any("救灾领域目录.pdf" in line.text for line in second)  # says where the attachment is
    assert_colophon_at_the_foot(lines, pages)
    document = docx.Document(io.BytesIO(build_docx(doc)))
    label = next(p for p in document.paragraphs if p.text == "附件1")
    assert label._p.pPr.find(qn("w:pageBreakBefore")) is not None
    assert label.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"


# -- 政策解读 ----------------------------------------------------------------------------


def test_interpretation_is_not_a_red_header_document(tmp_path: Path) -> None:
    doc = InterpretationDocument(
        title="《关于推进政务公开工作的通知》政策解读",
        policy_title="关于推进政务公开工作的通知",
        policy_number="豫应急办〔2026〕7号",
        body_html="<p>一、出台背景</p><p>为落实国务院部署，制定本通知。</p>",
        signer="河南省应急管理厅",
        written_date=date(2026, 3, 1),
    )
    pdf, lines = render_case("interpretation", doc, tmp_path)
    assert not red_rows(pdf, tmp_path)  # no red 发文机关标志, no red rule
    page1 = sorted((line for line in lines if line.page == 1), key=lambda line: line.y0)
    assert page1[0].text == "《关于推进政务公开工作的通知》政策解读"
    assert page1[0].y0 < TOP + PT_PER_LINE  # the title is the first line: no 版头 above it
    text = squash(pdf_text(pdf))
    assert "本解读对应文件：《关于推进政务公开工作的通知》（豫应急办〔2026〕7号）" in text
    assert "河南省应急管理厅文件" not in text and "印发" not in text
    document = docx.Document(io.BytesIO(build_docx(doc)))
    assert not [p for p in document.paragraphs if p.text.strip() == "〔〕号" or re.fullmatch(r".*〔\d*〕\s*号", p.text)]


# -- 份号, 密级, 紧急程度, 签发人 --------------------------------------------------------------


def test_copy_number_secrecy_urgency_and_signers_in_the_header(tmp_path: Path) -> None:
    doc = short_doc(2, copy_number="000123", secrecy="秘密★1年", urgency="特急", issuing_signers=("张三", "李四"))
    _, lines = render_case("header-marks", doc, tmp_path)
    page1 = sorted((line for line in lines if line.page == 1), key=lambda line: line.y0)
    assert [line.text for line in page1[:3]] == ["000123", "秘密★1年", "特急"]
    assert all(line.x0 < 82 for line in page1[:3])  # 顶格, top left
    assert [round((b.y0 - a.y0) / PT_PER_LINE) for a, b in itertools.pairwise(page1[:3])] == [1, 1]
    number = next(line for line in lines if "豫应急办〔2026〕7号" in line.text)
    signers = next(line for line in lines if line.text.startswith("签发人："))
    assert abs(number.y0 - signers.y0) < 1  # one line: 文号 left, 签发人 right
    assert "张三" in signers.text and "李四" in signers.text
    assert number.x0 > 79.5 + 10 and signers.x1 < 521.6 - 10  # each one character in
    body = next(line for line in lines if line.text.startswith(REPEAT[:8]))
    assert round((body.y0 - TOP) / PT_PER_LINE) == 13  # the marks take no extra line
