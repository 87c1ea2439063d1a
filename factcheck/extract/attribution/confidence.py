"""How likely an item of reported speech is to be speech, learned from annotated news.

The rules find reported speech wherever a cue's parse allows it, and many cues have a
sense that reports nothing ("showed", "decided", "pledged $5 million", "see"): about
three in ten of their unquoted items are not speech a reader would attribute. Rather
than a word list per sense, a logistic regression over what the rules already know
(the cue's word and form, the reading that found the content, who the subject is and
what the content looks like) gives each unquoted item a probability, and items below
``THRESHOLD`` stay out of the queue. The weights are trained on PolNeAR's train split
(``training/attribution/train_confidence.py``, which also says how the threshold was
chosen out of fold); direct and partial quotes are never dropped here: their quote
marks are the evidence.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

from spacy.tokens import Token

from ..types import INDIRECT
from .chunk import Found

WEIGHTS = Path(__file__).with_name("reported_speech_weights.json")

_MODALS = frozenset("would could might may can will shall should must".split())
_WH = frozenset("whether if how what why when where who which".split())


def _bucket(n: int) -> str:
    return "1" if n <= 1 else "2-3" if n <= 3 else "4-7" if n <= 7 else "8-15" if n <= 15 else "16+"


def features(found: Found) -> list[str]:
    """The binary features of one item (names of the features that are on)."""
    cue: Token | None = found.cue_token
    out = [f"how={found.how or 'other'}"]
    if cue is None:
        return [*out, "cue=none"]
    doc = cue.doc
    lemma = cue.lemma_.lower()
    out += [f"lemma={lemma}", f"tag={cue.tag_}", f"dep={cue.dep_}", f"lemma_tag={lemma}_{cue.tag_}",
            f"lemma_how={lemma}_{found.how}", f"head_dep={cue.head.dep_ if cue.head.i != cue.i else 'root'}"]
    children = list(cue.children)
    if any(c.dep_ == "neg" for c in children):
        out.append("negated")
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in children):
        out.append("modal")
    if any(c.dep_ in ("dobj", "dative") and c.i > cue.i and c.pos_ in ("PRON", "PROPN")
           for c in children):
        out.append("listener")
    if cue.sent[-1].text == "?" or (cue.sent[-2].text == "?" if len(cue.sent) > 1 else False):
        out.append("question")
    speaker = found.speaker
    if speaker is None:
        out.append("subj=none")
    else:
        root = speaker.root
        out.append(f"subj_pos={root.pos_}")
        out.append(f"subj_ent={root.ent_type_ or 'none'}")
        if root.pos_ == "PRON":
            out.append(f"subj_pron={root.lower_}")
        if root.tag_ in ("NNS", "NNPS"):
            out.append("subj_plural")
    if found.outer is not None:
        out.append("nested")
    start, end = found.start, found.end
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None and len(span):
        words = [t for t in span if not (t.is_punct or t.is_space)]
        out.append(f"words={_bucket(len(words))}")
        first = words[0] if words else span[0]
        if first.lower_ == "that":
            out.append("starts=that")
        elif first.lower_ == "to":
            out.append("starts=to")
        elif first.lower_ in _WH:
            out.append("starts=wh")
        head = span.root
        out.append(f"content_head={head.pos_}")
        if head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
            out.append(f"lemma_object={lemma}_{head.ent_type_ or head.lemma_.lower()}")
            out.append(f"object={head.ent_type_ or head.lemma_.lower()}")
        verbs = [t for t in span if t.pos_ in ("VERB", "AUX")]
        if not verbs:
            out.append("no_verb")
        elif any(c.dep_ in ("nsubj", "nsubjpass", "expl") for v in verbs for c in v.children
                 if c.i >= span.start):
            out.append("clause")
        if any(t.like_num or t.ent_type_ in ("MONEY", "PERCENT", "CARDINAL") for t in span):
            out.append("number")
        if start < cue.idx:
            out.append("before_cue")
    if len(found.parts) > 1:
        out.append("split")
    return out


@cache
def _model() -> tuple[dict[str, float], float, float]:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return data["weights"], data["bias"], data["threshold"]


def probability(found: Found) -> float:
    weights, bias, _ = _model()
    z = bias + sum(weights.get(f, 0.0) for f in features(found))
    return 1.0 / (1.0 + math.exp(-z))


def keep(found: Found) -> bool:
    """Is this item speech enough to go in the queue? (Quoted items always are.)"""
    if found.kind != INDIRECT:
        return True
    return probability(found) >= _model()[2]
