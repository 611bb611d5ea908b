"""How long the drafting editor takes to open a body, in Debian's Chromium.

The editor (webapp/static/js/app.js) parses the textarea's HTML into an inert document and
rebuilds only allow-listed elements, one by one.  The floor is what it replaced: assigning
the same HTML to innerHTML (fast, and unsafe).  Bodies: the five seed notices as paragraphs,
and a synthetic body at the service's limit (500,000 characters, paragraphs and tables).

Run: .venv/bin/python bench/editor_bench.py  (CHROMIUM_PATH, default /usr/bin/chromium)
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe  # noqa: E402
from webapp.richtext import text_to_html  # noqa: E402

RUNS = 20  # openings per sample; 5 samples per figure


def bodies() -> dict[str, str]:
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("0*.txt")) or sorted(Path("/work/shared/seeds").glob("0*.txt"))
    found = {f"seed {p.stem[:3]}": text_to_html(p.read_text(encoding="utf-8")) for p in seeds}
    para = "<p>各地要压实防汛责任，<strong>落实24小时值班</strong>，发现险情及时报告。</p>"
    table = "<table><tr><th>事项</th><th>时限</th></tr>" + "<tr><td>编制目录</td><td>6月底前</td></tr>" * 20 + "</table>"
    big = ""
    while len(big) < 500_000:
        big += para * 20 + table
    found["500,000 chars"] = big[:500_000].rsplit("</table>", 1)[0] + "</table>"
    return found


MEASURE = """([html, runs]) => {
  // Each sample times `runs` openings in one go (the browser's clock is coarse) and divides.
  const main = document.querySelector('main');
  function editorOnce() {
    const box = document.createElement('div');
    const ta = document.createElement('textarea');
    ta.setAttribute('data-richtext', '1');
    ta.value = html;
    box.appendChild(ta);
    main.appendChild(box);
    box.dispatchEvent(new CustomEvent('htmx:afterSwap', {bubbles: true}));
    box.remove();
  }
  function floorOnce() {
    const plain = document.createElement('div');
    main.appendChild(plain);
    plain.innerHTML = html;
    plain.remove();
  }
  const sample = (fn) => { const t = performance.now(); for (let i = 0; i < runs; i++) fn(); return (performance.now() - t) / runs; };
  const editor = [], floor = [];
  for (let round = 0; round < 5; round++) { editor.push(sample(editorOnce)); floor.push(sample(floorOnce)); }
  return [editor, floor];
}"""


def main() -> None:
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    print(f"machine: vm · {describe()} · Chromium at {chromium}")
    print(f"median of 5 samples, each the mean of {RUNS} openings (3 for the 500,000-character body), in ms")
    print("| body | characters | editor (ms) | innerHTML floor (ms) | editor ÷ floor |")
    print("| --- | ---: | ---: | ---: | ---: |")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                                                      "--disable-dev-shm-usage"])
        page = browser.new_page()
        page.set_content("<!doctype html><html><body><main></main></body></html>")
        page.add_script_tag(path=str(ROOT / "webapp" / "static" / "js" / "app.js"))
        for name, html in bodies().items():
            editor, floor = page.evaluate(MEASURE, [html, RUNS if len(html) < 100_000 else 3])
            e, f = statistics.median(editor), statistics.median(floor)
            print(f"| {name} | {len(html):,} | {e:.2f} | {f:.2f} | {e / f:.1f}× |")
        browser.close()


if __name__ == "__main__":
    main()
