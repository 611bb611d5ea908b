"""Cleaning time of user HTML by shape and size, before and after the linear pre-pass.

    /work/main/.venv/bin/python bench/richtext_bench.py [--sizes 2000,8000,20000] [--rounds 3]

"before" is the cleaning as it was (a <div> regex, then bleach.clean straight on the
input); "after" is webapp.richtext.clean_html.  The floor is clean_html on a plain body
of the same length (paragraphs of text, no inline markup), measured in the same run.
Each figure is the median of the rounds (--before-rounds for the old path, 1 by default).  "before" is skipped where one call would take
minutes (the quadratic shapes past 8,000).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bleach  # noqa: E402

from bench.machine import describe  # noqa: E402
from webapp.richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean_html  # noqa: E402

_DIV_OPEN = re.compile(r"<div(\s[^>]*)?>", re.IGNORECASE)
_DIV_CLOSE = re.compile(r"</div\s*>", re.IGNORECASE)


def before(html: str) -> str:
    html = _DIV_CLOSE.sub("</p>", _DIV_OPEN.sub("<p>", html))
    return bleach.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=[],
                        strip=True, strip_comments=True)


SHAPES = {
    "nested <b> (the issue's case)": lambda n: "<b>" * n + "正文" + "</b>" * n,
    "paragraphs with bold": lambda n: "<p><b>一、</b>正文内容</p>" * n,
    "table rows": lambda n: "<table><tbody>" + "<tr><td>事项</td><td><b>6月底前</b></td></tr>" * n
                            + "</tbody></table>",
    "unclosed <p><b a=i>": lambda n: "".join(f"<p><b a={i}>x" for i in range(n)),
    "nested tables": lambda n: "<table><tr><td>" * n,
    "character references": lambda n: "&amp;&lt;" * n,
}
# Largest n measured "before": one call past it takes minutes (unclosed <p><b a=i> at
# 2,000 already took 3 minutes).
BEFORE_LIMIT = {"nested <b> (the issue's case)": 20000, "unclosed <p><b a=i>": 2000, "nested tables": 2000}


def median_time(fn, html: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn(html)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor_body(length: int) -> str:
    para = "<p>为贯彻落实有关要求，现就政务公开工作通知如下。</p>"
    return para * max(1, length // len(para))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="2000,8000,20000")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--before-rounds", type=int, default=1, help="the old path takes minutes on some shapes")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {describe()}")
    print(f"median of {args.rounds} rounds per figure ({args.before_rounds} for 'before')")
    print("| shape | n | input chars | before (s) | after (s) | floor (s) | after ÷ floor |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, make in SHAPES.items():
        for n in sizes:
            html = make(n)
            limit = BEFORE_LIMIT.get(name, 8000)
            old = f"{median_time(before, html, args.before_rounds):.3f}" if n <= limit else "—"
            new = median_time(clean_html, html, args.rounds)
            floor = median_time(clean_html, floor_body(len(html)), args.rounds)
            print(f"| {name} | {n:,} | {len(html):,} | {old} | {new:.3f} | {floor:.3f} | {new / floor:.2f}× |",
                  flush=True)


if __name__ == "__main__":
    main()
