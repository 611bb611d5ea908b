"""Breaking the 标题 into lines (GB/T 9704-2012 7.3.1).

"标题……可分一行或多行居中排布；回行时，要做到词意完整，排列对称，长短适宜，
间距恰当，标题排列应当使用梯形或菱形。"

The title is cut into words with jieba (part-of-speech tagged); a line may
only end between two words, never inside a bracketed name (《…》, （…）,
〔…〕, “…”) or a number.  Among the ways to fill the fewest lines that hold
the title, the one chosen has the lowest cost:

* each break costs by what it separates — nothing before "关于" or after a
  comma, a little after "的", more between two nouns of one compound
  ("应急|救援"), much more before "的" or after an opening bracket;
* lines closest in length cost least (梯形, or 菱形 for three lines); an
  hourglass (a middle line shorter than both its neighbours) is refused.

Ties go to the layout whose first line is the longer.  A title the drafter
broke by hand ("\\n") keeps the drafter's lines.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from .text import display_width

# 2号 (22 pt) characters, condensed like the body by 0.25 pt, in 156 mm: 20.
TITLE_CHARS_PER_LINE = 20
MAX_LINES = 4  # longer titles are filled greedily (at most C(59, 3) layouts are scored)

_OPEN = "《（(〔[【“‘「"
_CLOSE = "》）)〕]】”’」"
_NO_LINE_START = set(_CLOSE + "，。、；：？！,.;:?!…—%％")
# Function words: prepositions, particles, conjunctions.
_FUNCTION = ("p", "u", "c")
_LIGHT_BEFORE = {"关于", "印发", "转发", "做好", "加强", "推进", "开展", "进一步"}
_FREE_AFTER = set("、，；：,;:")
# Terms of government writing that jieba's general dictionary cuts in two
# ("政务|公开", "应急|管理"); a title line never ends inside one of them.
DOMAIN_TERMS = (
    "政务公开", "政府信息公开", "信息公开", "基层政务公开", "应急管理", "应急管理系统", "应急救援", "安全生产",
    "培训基地", "指导意见", "实施意见", "实施方案", "工作方案", "工作要点", "年度报告",
    "管理办法", "实施细则", "暂行办法", "规范性文件", "行政执法", "营商环境", "防汛抗旱",
    "森林防火", "自然灾害", "救灾物资", "标准目录", "人民政府", "办公厅", "办公室",
)  # fmt: skip


@lru_cache(maxsize=1)
def _tagger():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    for term in DOMAIN_TERMS:
        jieba.add_word(term, freq=100_000, tag="n")
    return jieba.posseg


def _words(title: str) -> list[tuple[str, str, int]]:
    """(word, flag, bracket depth) triples; numbers, Latin words and
    punctuation stay attached to their neighbours."""
    tagged = [(w.word, w.flag) for w in _tagger().lcut(title)]
    out: list[tuple[str, str, int]] = []
    depth = 0
    for word, flag in tagged:
        glue = bool(out) and (
            word[0] in _NO_LINE_START
            or out[-1][0][-1] in _OPEN
            or (re.match(r"[0-9A-Za-z]", word) and re.search(r"[0-9A-Za-z.]$", out[-1][0]))
            or (re.match(r"[年月日号期届次项个万亿元]", word) and re.search(r"[0-9]$", out[-1][0]))
        )
        start_depth = depth
        for ch in word:
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                depth = max(0, depth - 1)
        if glue:
            prev_word, prev_flag, prev_depth = out[-1]
            out[-1] = (prev_word + word, prev_flag, prev_depth)
        else:
            out.append((word, flag, start_depth))
    return out


def _break_cost(left: tuple[str, str, int], right: tuple[str, str, int]) -> float:
    lw, lf, _ = left
    rw, rf, depth = right
    inside = 4.0 if depth > 0 else 0.0  # inside 《…》 or （…）: only when it must
    if rw[0] in "的之等" or lw[-1] in _OPEN:
        return 10.0 + inside
    if rw == "关于" or lw[-1] in _FREE_AFTER:
        return inside
    if lf.startswith("u"):  # after 的
        return 0.5 + inside
    if rf.startswith("c"):  # before 和 / 及 / 与
        return 0.5 + inside
    if lw in _LIGHT_BEFORE or lf.startswith(_FUNCTION):
        return 3.0 + inside
    # two content words: a short word binds to what follows it ("基层|政务公开")
    return 2.0 + (2.0 if len(lw) <= 2 else 0.0) + (1.0 if len(rw) <= 2 else 0.0) + inside


def _hourglass(widths: list[float]) -> bool:
    return any(widths[i] < widths[i - 1] and widths[i] < widths[i + 1] for i in range(1, len(widths) - 1))


def break_title(title: str, chars_per_line: float = TITLE_CHARS_PER_LINE) -> list[str]:
    """The lines of *title*, each at most *chars_per_line* wide (一个汉字 = 1)."""
    title = title.strip()
    if "\n" in title:
        return [line.strip() for line in title.split("\n") if line.strip()]
    title = " ".join(title.split())
    total = display_width(title)
    if total <= chars_per_line:
        return [title] if title else []
    words = _words(title)
    widths = [display_width(w) for w, _, _ in words]
    costs = [_break_cost(words[i], words[i + 1]) for i in range(len(words) - 1)]
    need = int(-(-total // chars_per_line))
    if need > MAX_LINES or len(words) > 60 or any(w > chars_per_line for w in widths):
        return _greedy(title, chars_per_line)  # not a title a drafter writes: bounded work
    for lines in range(need, min(need + 1, MAX_LINES, len(words)) + 1):
        best: tuple[float, float, tuple[int, ...]] | None = None
        for cuts in itertools.combinations(range(1, len(words)), lines - 1):
            bounds = (0, *cuts, len(words))
            line_widths = [sum(widths[a:b]) for a, b in itertools.pairwise(bounds)]
            if max(line_widths) > chars_per_line or _hourglass(line_widths):
                continue
            cost = sum(costs[c - 1] for c in cuts) + 0.5 * (max(line_widths) - min(line_widths))
            key = (cost, -line_widths[0], cuts)
            if best is None or key < best:
                best = key
        if best is not None:
            bounds = (0, *best[2], len(words))
            return ["".join(w for w, _, _ in words[a:b]) for a, b in itertools.pairwise(bounds)]
    return _greedy(title, chars_per_line)


def _greedy(title: str, chars_per_line: float) -> list[str]:
    """Fallback for a title no word break can fit: fill lines character by character."""
    lines, line, width = [], "", 0.0
    for ch in title:
        w = display_width(ch)
        if line and width + w > chars_per_line and ch not in _NO_LINE_START:
            lines.append(line)
            line, width = "", 0.0
        line += ch
        width += w
    if line:
        lines.append(line)
    return lines
