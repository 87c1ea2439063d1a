"""Check-worthiness scorer: how much a sentence or clause is a factual claim worth checking.

Trained on the CheckThat! 2024 English check-worthiness data (derived from ClaimBuster,
Arslan et al., ICWSM 2020); see `train.py`. Public API (the extractor depends on it):

- `score_spans(spans)`: scores already-parsed spans (or Docs) without re-running the
  pipeline; features come from the annotations and `doc.tensor` already computed.
- `score_texts(texts, nlp=None)`: parses, then scores.
- `set_spacy_model(name)`: the pipeline `score_texts` parses with when given none (the app
  passes the setting `FACTCHECK_SPACY_MODEL`; default `factcheck.extract.DEFAULT_MODEL`).
- `threshold()`: the decision threshold, chosen out of fold over the training debates.
- `set_second_stage(enabled)`: the second stage (setting `FACTCHECK_CLAIM_SECOND_STAGE`;
  on by default wherever the model ships one).

The feature model scores every span. With the second stage on (the default), where its
probability falls in the cascade's band (`model.json` `cascade`), a fine-tuned three-layer
MiniLM reads the span's text and its probability, mixed with the first stage's by the
cascade's weight (now 1.0: the MiniLM's alone), replaces the first stage's: the band
holds the sentences near the line, where a second opinion changes decisions. It ranks
unseen debates better (nested out-of-fold F1 0.688 -> 0.707); it reads about one span in
nine, through ONNX Runtime with int8 products (`encoder.py`), at 700-870 a second.

Pure Python + spaCy/numpy (+ ONNX Runtime for the second stage); the weights load lazily,
once per process.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from spacy.tokens import Doc

from .. import DEFAULT_MODEL as DEFAULT_SPACY_MODEL
from .encoder import Encoder
from .model import ENCODER_FILE, MODEL_DIR, Model, read_threshold

__all__ = ["DEFAULT_SPACY_MODEL", "score_spans", "score_texts", "get_model", "threshold",
           "set_second_stage", "second_stage", "second_stage_available", "second_stage_enabled",
           "set_spacy_model", "spacy_model"]

# Read without loading the weights: the extractor asks for it at import time.
_THRESHOLDS = {False: read_threshold(MODEL_DIR), True: read_threshold(MODEL_DIR, True)}

_lock = threading.Lock()
_model: Model | None = None
_encoder: Encoder | None = None
_nlp = None
# Configured from outside, as the second stage is: the app hands over the setting
# FACTCHECK_SPACY_MODEL (apps.py), the plain CLI its --spacy-model flag.
_spacy_model = DEFAULT_SPACY_MODEL


def get_model() -> Model:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = Model.load(MODEL_DIR)
    return _model


def second_stage_available() -> bool:
    return ((MODEL_DIR / ENCODER_FILE).exists() and _THRESHOLDS[True] is not None
            and importlib.util.find_spec("onnxruntime") is not None)


# On by default where the model has it: with ONNX Runtime it fits the extraction budget
# (docs/accuracy.md, Check-worthiness). The app applies FACTCHECK_CLAIM_SECOND_STAGE (settings.py,
# apps.py); callers without Django use set_second_stage or the CLI's --no-second-stage.
_second_stage = second_stage_available()


def set_second_stage(enabled: bool) -> None:
    global _second_stage
    if enabled and not second_stage_available():
        raise ValueError(f"no second stage in {MODEL_DIR}: {ENCODER_FILE} or the cascade "
                         "in model.json is missing")
    _second_stage = bool(enabled)


def second_stage_enabled() -> bool:
    return _second_stage


@contextmanager
def second_stage(enabled: bool = True) -> Iterator[None]:
    """The second stage on (or off) for the block, then as it was."""
    previous = _second_stage
    set_second_stage(enabled)
    try:
        yield
    finally:
        set_second_stage(previous)


def threshold() -> float:
    """The line between Yes and No for the scores `score_spans` gives now: the mixed
    probabilities of the second stage have their own, chosen with them."""
    return _THRESHOLDS[_second_stage]


def get_encoder() -> Encoder:
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                _encoder = Encoder(MODEL_DIR / ENCODER_FILE)
    return _encoder


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
    probs = model.predict(dense, hashed)
    if _second_stage:
        cascade = model.config["cascade"]
        lo, hi = cascade["band"]
        unsure = np.flatnonzero((probs >= lo) & (probs < hi))
        if len(unsure):
            second = get_encoder().classify([spans[i].text for i in unsure])
            w = float(cascade["weight"])
            probs[unsure] = w * second + (1 - w) * probs[unsure]
    return [float(p) for p in probs]


def score_texts(texts: Iterable[str], nlp=None, batch_size: int = 256) -> list[float]:
    """Parse each text with `nlp` (default: the project's spaCy model) and score it."""
    nlp = nlp or _get_nlp()
    docs = list(nlp.pipe(list(texts), batch_size=batch_size))
    return score_spans(docs)
