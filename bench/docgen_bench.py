"""Benchmark of the GB/T 9704 writer against a python-docx floor.

    .venv/bin/python bench/docgen_bench.py [--runs 9] [--verify-pages]

For a 10-page and a 50-page body (paragraphs of the real notices in
shared/seeds, cycled), it times ``build_docx`` (median of --runs runs, after
one warm-up run that also builds the per-process skeleton) beside the floor:
python-docx's ``Document()`` + ``add_paragraph`` for the same paragraphs, no
styling, ``save``.  Prints the medians and the ratio.  --verify-pages converts
each document with LibreOffice and prints its real page count.
"""

from __future__ import annotations

import argparse
import html
import io
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from machine import cpu_model  # noqa: E402  (bench/ is on sys.path when run as a script)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402

from webapp.disclosure import Disclosure  # noqa: E402
from webapp.docgen import (  # noqa: E402
    OfficialDocument,
    build_docx,
    gbt9704,  # noqa: E402
)

SEEDS = ROOT.parent / "shared" / "seeds"
# Paragraph counts that LibreOffice 7.4 lays out on exactly 10 and 50 pages
# (the seeds' paragraphs cycled in file order; measured with --verify-pages:
# 46…53 paragraphs give 10 pages, 228…236 give 50).
PARAGRAPHS_FOR_PAGES = {10: 50, 50: 232}
FALLBACK = "为贯彻落实政务公开工作要求，进一步加强和规范政务公开工作，结合实际，制定本方案。"


def corpus() -> list[str]:
    paragraphs: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        paragraphs += [" ".join(b.split()) for b in re.split(r"\n\s*\n", text) if b.strip()]
    return [p for p in paragraphs if len(p) < 2000] or [FALLBACK]


def body_paragraphs(pages: int) -> list[str]:
    source = corpus()
    return [source[i % len(source)] for i in range(PARAGRAPHS_FOR_PAGES[pages])]


def official(paragraphs: list[str]) -> OfficialDocument:
    return OfficialDocument(
        issuer_mark="河南省应急管理厅文件",
        doc_number="豫应急办〔2026〕7号",
        title="河南省应急管理厅关于全面推进政务公开标准化规范化工作的通知",
        recipients="各省辖市应急管理局，厅机关各处室",
        body_html="".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs),
        attachments=("安全生产领域基层政务公开标准目录", "救灾领域基层政务公开标准目录"),
        signer="河南省应急管理厅",
        written_date=date(2026, 3, 1),
        disclosure=Disclosure.PUBLIC,
        printing_office="河南省应急管理厅办公室",
        print_date=date(2026, 3, 5),
        cc="应急管理部办公厅",
    )


def floor(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def median_seconds(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pages_in_libreoffice(data: bytes) -> int | None:
    if not shutil.which("soffice") or not shutil.which("pdfinfo"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bench.docx"
        src.write_bytes(data)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(src),
            ],
            capture_output=True,
            timeout=300,
            check=False,
        )
        info = subprocess.run(
            ["pdfinfo", str(Path(tmp) / "bench.pdf")], capture_output=True, text=True, check=False
        ).stdout
        match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
        return int(match.group(1)) if match else None



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--verify-pages", action="store_true")
    args = parser.parse_args()
    runs = max(7, args.runs)

    print(
        f"machine: nproc={os.cpu_count()} cpu={cpu_model()!r} python={platform.python_version()} "
        f"python-docx={docx.__version__ if hasattr(docx, '__version__') else '?'}"
    )
    gbt9704._skeleton.cache_clear()
    start = time.perf_counter()
    gbt9704._skeleton()
    print(f"skeleton (once per process): {1000 * (time.perf_counter() - start):.1f} ms")
    print(f"runs per figure: {runs} (median)")
    print(f"{'pages':>5} {'paras':>6} {'chars':>7} {'build_docx':>11} {'floor':>9} {'ratio':>6} {'LO pages':>8}")
    for pages in (10, 50):
        paragraphs = body_paragraphs(pages)
        doc = official(paragraphs)
        data = build_docx(doc)  # warm-up
        floor(paragraphs)
        ours = median_seconds(lambda d=doc: build_docx(d), runs)
        base = median_seconds(lambda p=paragraphs: floor(p), runs)
        real = pages_in_libreoffice(data) if args.verify_pages else None
        chars = sum(len(p) for p in paragraphs)
        print(
            f"{pages:>5} {len(paragraphs):>6} {chars:>7} {1000 * ours:>9.1f}ms"
            f" {1000 * base:>7.1f}ms {ours / base:>6.2f} {real if real is not None else '-':>8}"
        )


if __name__ == "__main__":
    main()
