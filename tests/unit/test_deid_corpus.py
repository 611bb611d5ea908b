"""Accuracy of the engine on the labelled corpus (tests/data/deid), against the targets.

Exact-span precision and recall per kind, computed by bench/deid_accuracy.py
(the same code prints the table recorded in docs/benchmarks.md (section 3)).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from webapp.deid import KINDS, find_personal_data, mask

ROOT = Path(__file__).resolve().parents[2]


def _accuracy_module():
    spec = importlib.util.spec_from_file_location("deid_accuracy", ROOT / "bench" / "deid_accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("deid_accuracy", module)
    spec.loader.exec_module(module)
    return module


acc = _accuracy_module()
CORPORA = {
    "corpus": acc.CORPUS,
    "holdout": acc.CORPUS.with_name("corpus_holdout.txt"),
}


@pytest.fixture(scope="module", params=sorted(CORPORA))
def corpus(request):
    docs = acc.load_corpus(CORPORA[request.param])
    return request.param, docs, acc.evaluate(docs)


def test_the_corpus_has_at_least_300_labelled_spans_of_every_kind():
    docs = acc.load_corpus(acc.CORPUS)
    spans = [s for d in docs for s in d.spans]
    assert len(spans) >= 300
    assert {k for k, _, _ in spans} == set(KINDS)


def test_the_markup_loader_strips_labels_into_spans():
    text, spans = acc.strip_markup("联系人：【person_name|叶玉才】，电话：【landline|83186312】）")
    assert text == "联系人：叶玉才，电话：83186312）"
    assert [(k, text[a:b]) for k, a, b in spans] == [("person_name", "叶玉才"), ("landline", "83186312")]


def test_labelled_spans_do_not_overlap():
    for path in CORPORA.values():
        for doc in acc.load_corpus(path):
            spans = sorted(doc.spans, key=lambda s: s[1])
            for (_, _, end), (_, start, _) in zip(spans, spans[1:], strict=False):
                assert end <= start, doc.name


@pytest.mark.parametrize("kind", KINDS)
def test_precision_and_recall_reach_the_target(corpus, kind):
    name, docs, score = corpus
    target = acc.TARGETS[kind]
    assert score.precision(kind) >= target, (name, kind, [e for e in score.errors if kind in e])
    assert score.recall(kind) >= target, (name, kind, [e for e in score.errors if kind in e])


def test_a_masked_corpus_document_has_nothing_left_to_mask(corpus):
    _, docs, _ = corpus
    for doc in docs:
        once = mask(doc.text, find_personal_data(doc.text))
        assert find_personal_data(once) == [], doc.name
