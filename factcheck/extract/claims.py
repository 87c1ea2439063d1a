"""Check-worthy claims: the factual sentences that are nobody's quotation.

The score comes from the check-worthiness model (``checkworthy.score_spans``)
when that package is present, or from a cheap feature heuristic otherwise.
Both read the already-parsed spans, so scoring adds no second parse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from spacy.tokens import Doc, Span

from .lexicon import PHRASAL_CUES, SPEECH_LEMMAS

try:  # the trained model, built separately; the heuristic keeps the engine usable
    from .checkworthy import score_spans as model_score_spans
    from .checkworthy import threshold as model_threshold
except ImportError:  # pragma: no cover - depends on the checkworthy package
    model_score_spans = model_threshold = None

# The heuristic starts every span at 0.4, so a claim needs net evidence of a checkable
# fact (numbers, names, a past-tense verb outweighing hedges, questions, "I"/"we").
HEURISTIC_THRESHOLD = 0.5
_QUANTITY_LABELS = {"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME", "ORDINAL"}
_NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "EVENT", "LAW", "FAC", "LOC", "PRODUCT"}
_HEDGES = {"should", "must", "better", "best", "worse", "think", "believe", "hope", "feel",
           "maybe", "perhaps", "probably", "seem", "wish", "want", "love", "hate", "great",
           "terrible", "awful", "wonderful", "beautiful", "futile", "stupid", "ought"}
_PERSONAL = {"i", "we", "you", "me", "us", "my", "our", "your"}
_CAPTION = {"photo", "photograph", "image", "picture", "credit", "courtesy", "file"}
# A claim is a statement: fewer words (or characters) is a fragment, a dateline
# or a caption ("Photo: Reuters"), not something to check.
_MIN_CLAIM_WORDS = 5
_MIN_CLAIM_CHARS = 20


def heuristic_scores(spans: Sequence[Span]) -> list[float]:
    """Check-worthiness in 0..1 from surface features of the parsed span:
    numbers, dates and names raise it; questions, hedges, first and second
    person, verbless captions lower it."""
    out = []
    for span in spans:
        words = [t for t in span if not (t.is_punct or t.is_space)]
        if not words:
            out.append(0.0)
            continue
        score = 0.4
        labels = {t.ent_type_ for t in words if t.ent_type_}
        if labels & _QUANTITY_LABELS or any(t.like_num for t in words):
            score += 0.2
        if labels & _NAME_LABELS:
            score += 0.1
        verbs = [t for t in words if t.pos_ in ("VERB", "AUX")]
        if not verbs:
            score -= 0.3
        elif any(t.tag_ in ("VBD", "VBN", "VBZ", "VBG") and t.pos_ == "VERB" for t in verbs):
            score += 0.1
        lowers = {t.lower_ for t in words}
        if "?" in span.text:
            score -= 0.35
        if lowers & _PERSONAL:
            score -= 0.15
        if lowers & _HEDGES:
            score -= 0.2
        if lowers & _CAPTION and len(verbs) == 0:
            score -= 0.2
        if len(words) < _MIN_CLAIM_WORDS:
            score -= 0.15
        if words[0].tag_ == "VB":  # imperative
            score -= 0.2
        out.append(min(1.0, max(0.0, score)))
    return out


def scorer() -> tuple[Callable[[Sequence[Span]], list[float]], float]:
    if model_score_spans is not None:
        # A run-on "sentence" of a pathological page is scored on its first 20,000
        # characters rather than refused: extraction must not fail on it.
        return partial(model_score_spans, clip=True), model_threshold()
    return heuristic_scores, HEURISTIC_THRESHOLD


def claim_candidates(doc: Doc, text: str, covered: list[tuple[int, int]],
                     frames: list[tuple[int, int]]) -> list[Span]:
    """Sentences (split at line breaks) minus the text already in a quote item.

    ``covered`` are the character ranges of quote items; ``frames`` the cue and
    speaker of each item -- a leftover that holds them is an attribution frame
    ("While ..., X predicted that"), not a claim.
    """
    out: list[Span] = []
    covered = sorted(covered)
    for sent in doc.sents:
        for start, end in _lines(text, sent.start_char, sent.end_char):
            for seg_start, seg_end in _uncovered(start, end, covered):
                seg_start, seg_end = _strip(text, seg_start, seg_end)
                if seg_end - seg_start < _MIN_CLAIM_CHARS:
                    continue
                if any(seg_start <= fs and fe <= seg_end for fs, fe in frames):
                    continue
                span = doc.char_span(seg_start, seg_end, alignment_mode="contract")
                if span is None or sum(1 for t in span if t.is_alpha) < _MIN_CLAIM_WORDS:
                    continue
                if _speech_without_content(span):
                    continue
                out.append(span)
    return out


def _speech_without_content(span: Span) -> bool:
    """"The ambassador lashed out over the weekend": that someone spoke, with nothing
    of what was said, is no claim to check (what was said would be the claim)."""
    root = span.root
    lemma = root.lemma_.lower()
    if root.pos_ != "VERB" or not (lemma in SPEECH_LEMMAS or lemma in PHRASAL_CUES):
        return False
    if lemma in PHRASAL_CUES and not any(c.lower_ in PHRASAL_CUES[lemma] for c in root.children):
        return False
    return not any(c.dep_ in ("ccomp", "dobj", "xcomp", "attr", "oprd") for c in root.children)


def _lines(text: str, start: int, end: int):
    pos = start
    for i in range(start, end):
        if text[i] in "\n\r":
            if i > pos:
                yield pos, i
            pos = i + 1
    if end > pos:
        yield pos, end


def _uncovered(start: int, end: int, covered: list[tuple[int, int]]):
    pieces = [(start, end)]
    for cs, ce in covered:
        if ce <= start or cs >= end:
            continue
        nxt = []
        for ps, pe in pieces:
            if ce <= ps or cs >= pe:
                nxt.append((ps, pe))
                continue
            if cs > ps:
                nxt.append((ps, cs))
            if ce < pe:
                nxt.append((ce, pe))
        pieces = nxt
    # Only the largest leftover of a sentence is worth a claim of its own.
    if len(pieces) > 1:
        pieces = [max(pieces, key=lambda p: p[1] - p[0])]
    return pieces


_EDGE = set(" \t\u00a0,;:-\u2014\u2013\"'\u201c\u201d\u2018\u2019")


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start] in _EDGE or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _EDGE or text[end - 1].isspace()):
        end -= 1
    return start, end
