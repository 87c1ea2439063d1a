"""Who said what: quotes, speakers, cues, attribution chains and check-worthy claims.

Pure Python + spaCy (no Django).  ``extract(text)`` returns an ``Extraction``;
``extract_many(texts, n_process=1)`` parses many texts with ``nlp.pipe``;
``set_model(name)`` chooses the spaCy pipeline, loaded lazily once per process.
"""

from .engine import DEFAULT_MODEL, extract, extract_many, get_nlp, iter_extract, set_model
from .types import Claim, Cue, Extraction, Quote, Speaker, Venue, Via

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
