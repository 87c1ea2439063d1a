"""Check-worthiness scorer: how much a sentence or clause is a factual claim worth checking.

Trained on the CheckThat! 2024 English data (derived from ClaimBuster, Arslan et al., ICWSM
2020) by `training/checkworthy/`. Two scorers, one for each moment (README.md):

- `score_spans(spans, clip=False)`, the feature model, inside extraction: reads parsed
  spans (or Docs) without re-running the pipeline; decides which sentences are claims
  (`threshold()`) and gives the queue its first order. `score_texts(texts, nlp=None)`
  parses first.
- `score_statements(texts)`, the shipped score (a fine-tuned MiniLM, `reader.py`), in a
  task after extraction; `label(score)` reads it at `shipped_threshold()`.

A text over `MAX_SENTENCE_CHARS` is refused (`SentenceTooLong`, a ValueError), or with
`clip=True` scored on its start. `set_spacy_model(name)` chooses the pipeline
`score_texts` parses with (the app passes FACTCHECK_SPACY_MODEL). Weights load lazily.
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections.abc import Iterable, Sequence

import numpy as np
from spacy.tokens import Doc

from .. import DEFAULT_MODEL as DEFAULT_SPACY_MODEL
from .model import MODEL_DIR, Model, read_threshold

__all__ = ["DEFAULT_SPACY_MODEL", "MAX_SENTENCE_CHARS", "SentenceTooLong", "get_model", "label",
           "score_spans", "score_statements", "score_texts", "set_spacy_model",
           "shipped_threshold", "spacy_model", "threshold"]

# A sentence, not a document: the longest CheckThat! sentence has 833 characters. Longer
# ones are refused rather than cut, so that no score stands for text it did not read
# (the extractor, which must not fail on a run-on page, asks for clipping instead).
MAX_SENTENCE_CHARS = 20_000


class SentenceTooLong(ValueError):
    pass


# Read without loading the weights: the extractor asks for it at import time.
_THRESHOLD = read_threshold(MODEL_DIR)
_SHIPPED_THRESHOLD = read_threshold(MODEL_DIR, shipped=True)

_lock = threading.Lock()
_nlp = None
# Configured from outside: the app hands over the setting FACTCHECK_SPACY_MODEL (apps.py),
# the plain CLI its --spacy-model flag.
_spacy_model = DEFAULT_SPACY_MODEL


# Cached, not locked: two threads arriving first may both load, and the spare is dropped.
@functools.cache
def get_model() -> Model:
    return Model.load(MODEL_DIR)


@functools.cache
def get_reader():
    from .reader import Reader  # ONNX Runtime loads only where the shipped score is computed

    return Reader(MODEL_DIR)


def threshold() -> float:
    """The feature model's line: which sentences extraction keeps as claims."""
    return _THRESHOLD


def shipped_threshold() -> float:
    """The shipped score's line, chosen out of fold over the training debates."""
    return _SHIPPED_THRESHOLD


def label(score: float) -> str:
    return "likely check-worthy" if score >= _SHIPPED_THRESHOLD else "unlikely"


def set_spacy_model(name: str) -> None:
    """Parse with the spaCy pipeline `name` when `score_texts` is given none (loaded on
    first use; a different name drops the one already loaded)."""
    global _spacy_model, _nlp
    with _lock:
        if name != _spacy_model:
            _spacy_model, _nlp = name, None


def spacy_model() -> str:
    return _spacy_model


def _get_nlp():
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import spacy

                _nlp = spacy.load(_spacy_model)
    return _nlp


def _refuse_long(text: str, what: str) -> None:
    if len(text) > MAX_SENTENCE_CHARS:
        raise SentenceTooLong(f"{what} is {len(text):,} characters long; the scorer reads "
                              f"sentences of at most {MAX_SENTENCE_CHARS:,}")


def _end_char(doc: Doc, end: int) -> int:
    return doc[end - 1].idx + len(doc[end - 1])


def _clipped(doc: Doc, start: int, end: int) -> int:
    """The last end token that keeps the span within MAX_SENTENCE_CHARS (at least one)."""
    limit = doc[start].idx + MAX_SENTENCE_CHARS
    lo, hi = start + 1, end
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if _end_char(doc, mid) <= limit else (lo, mid - 1)
    return lo


def score_spans(spans: Sequence, clip: bool = False) -> list[float]:
    """Score spaCy Spans (or whole Docs) in 0..1; one float per input, in order. Each
    span's score depends on that span alone, not on the others in the call."""
    model = get_model()
    fz = model.featurizer
    dense = np.zeros((len(spans), fz.n_dense), dtype=np.float32)
    hashed: list[np.ndarray] = []
    # One to_array() per Doc, however many of its sentences are scored.
    arrays_by_doc: dict[int, tuple] = {}
    for i, span in enumerate(spans):
        if isinstance(span, Doc):
            doc, start, end = span, 0, len(span)
        else:
            doc, start, end = span.doc, span.start, span.end
        if end > start and _end_char(doc, end) - doc[start].idx > MAX_SENTENCE_CHARS:
            if not clip:
                _refuse_long(doc[start:end].text, f"span {i}")
            end = _clipped(doc, start, end)
        arrays = arrays_by_doc.get(id(doc))
        if arrays is None:
            arrays = arrays_by_doc[id(doc)] = fz.doc_arrays(doc)
        dense[i], h = fz.span_features(doc, arrays, start, end)
        hashed.append(h)
    return [float(p) for p in model.predict(dense, hashed)]


def score_statements(texts: Iterable[str]) -> list[float]:
    """The shipped score of each text, in order, whatever the other texts of the call. The
    model read single sentences in training: a text of several scores their mean, which ranks
    runs of sentences better than reading them whole (training/checkworthy/README.md)."""
    texts = list(texts)
    for i, text in enumerate(texts):
        _refuse_long(text, f"text {i}")
    if not texts:
        return []
    pieces = [[s.text for s in _splitter()(text).sents if s.text.strip()] or [text] for text in texts]
    probabilities = get_reader().probabilities([s for sentences in pieces for s in sentences])
    bounds = np.cumsum([0] + [len(sentences) for sentences in pieces])
    return [float(np.mean(probabilities[a:b], dtype=np.float64)) for a, b in itertools.pairwise(bounds)]


@functools.cache
def _splitter():
    """spaCy's rule-based sentencizer: its tokenizer keeps "Mr." and "U.S." whole."""
    import spacy

    splitter = spacy.blank("en")
    splitter.add_pipe("sentencizer")
    return splitter


def score_texts(texts: Iterable[str], nlp=None, batch_size: int = 256) -> list[float]:
    """Parse each text with `nlp` (default: the project's spaCy model) and score it."""
    texts = list(texts)
    for i, text in enumerate(texts):
        _refuse_long(text, f"text {i}")
    nlp = nlp or _get_nlp()
    return score_spans(list(nlp.pipe(texts, batch_size=batch_size)))
