"""Where reported speech starts and ends: a learned adjustment of the rules' boundaries.

The rules find the content of a report from the parse ("said [that the plan would fail]"),
but where a human reader draws its edges follows conventions the parse only half shows:
whether "to" or a relative "which" belongs to the content, whether a trailing ", which
..." or "in a statement" does. Each edge of an unquoted report may move a few tokens;
a linear model over the words at and around each candidate edge picks the one a
PolNeAR annotator would have drawn. It was trained on PolNeAR's train split
(``training/attribution/boundaries.py`` says how, and how it was measured); its weights
are ``boundaries.json`` beside this module.

Only single-part reported speech without quotation marks moves: quoted words set their
own edges. An edge never crosses the sentence, the cue, or a quotation mark.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from spacy.tokens import Doc, Token

from ..types import INDIRECT
from .chunk import Chunk, strip_chars

WEIGHTS_FILE = Path(__file__).with_name("boundaries.json")
# How far (in tokens) an edge may move either way.
WINDOW = 4
# Word classes whose members are told apart by their form; other words by their tag.
_CLOSED = frozenset({"ADP", "SCONJ", "PRON", "DET", "PART", "CCONJ", "AUX", "ADV"})


def _word(token: Token | None) -> str:
    if token is None:
        return "<edge>"
    if token.is_punct:
        return token.text
    if token.pos_ in _CLOSED or token.is_stop:
        return token.lower_
    return token.pos_


def start_features(doc: Doc, i: int, s0: int, cue: int | None) -> list[str]:
    """Features of token ``i`` as the first of a content first drawn from ``s0``."""
    t = doc[i]
    prev = doc[i - 1] if i > 0 else None
    d = i - s0
    w, p = _word(t), _word(prev)
    feats = [f"off={d}", f"w={w}", f"pos={t.pos_}", f"dep={t.dep_}", f"prev={p}",
             f"off={d}|w={w}", f"off={d}|prev={p}", f"w={w}|prev={p}",
             f"dep={t.dep_}|headdep={t.head.dep_}", f"subtree={t.left_edge.i == i}",
             f"aftercue={cue is not None and i - 1 == cue}"]
    if d:
        moved = doc[min(i, s0):max(i, s0)]
        sign = "add" if d < 0 else "cut"
        feats += [f"{sign}={_word(x)}" for x in moved]
        feats.append(f"{sign}|first={_word(doc[s0])}")
        feats.append(f"{sign}|deps={'-'.join(x.dep_ for x in moved)}")
    return feats


def end_features(doc: Doc, j: int, e0: int, cue: int | None) -> list[str]:
    """Features of token ``j`` as the last of a content first drawn to ``e0``."""
    t = doc[j]
    nxt = doc[j + 1] if j + 1 < len(doc) else None
    d = j - e0
    w, n = _word(t), _word(nxt)
    feats = [f"off={d}", f"w={w}", f"pos={t.pos_}", f"dep={t.dep_}", f"next={n}",
             f"off={d}|w={w}", f"off={d}|next={n}", f"w={w}|next={n}",
             f"dep={t.dep_}|headdep={t.head.dep_}", f"subtree={t.right_edge.i == j}",
             f"beforecue={cue is not None and j + 1 == cue}"]
    if d:
        moved = doc[min(j, e0) + 1:max(j, e0) + 1]
        sign = "add" if d > 0 else "cut"
        feats += [f"{sign}={_word(x)}" for x in moved]
        feats.append(f"{sign}|last={_word(doc[e0])}")
        feats.append(f"{sign}|next={_word(doc[e0 + 1]) if e0 + 1 < len(doc) else '<edge>'}")
    return feats


def candidates(doc: Doc, a: int, b: int, cue: int | None, quoted) -> tuple[list[int], list[int]]:
    """Token positions the first and the last token of content a..b may move to: in
    its sentence, never over the cue or a token inside quotation marks (``quoted(i)``),
    never onto punctuation or space."""
    sent = doc[a].sent
    lo, hi = sent.start, sent.end - 1

    def ok(i: int) -> bool:
        t = doc[i]
        return not (t.is_punct or t.is_space or quoted(i))

    starts = [a]
    for step in (-1, 1):
        i = a
        for _ in range(WINDOW):
            i += step
            if i < lo or i > b or i == cue or quoted(i) and step < 0:
                break
            if ok(i):
                starts.append(i)
    ends = [b]
    for step in (1, -1):
        j = b
        for _ in range(WINDOW):
            j += step
            if j > hi or j < a or j == cue or quoted(j) and step > 0:
                break
            if ok(j):
                ends.append(j)
    return starts, ends


@cache
def weights() -> dict[str, dict[str, float]]:
    return json.loads(WEIGHTS_FILE.read_text())["weights"]


def _best(feats_of, options: list[int], table: dict[str, float]) -> int:
    return max(options, key=lambda i: (sum(table.get(f, 0.0) for f in feats_of(i)), i == options[0]))


def adjust(doc: Doc, a: int, b: int, cue: int | None, quoted) -> tuple[int, int]:
    """The edges a reader would draw for content tokens a..b (inclusive)."""
    table = weights()
    starts, ends = candidates(doc, a, b, cue, quoted)
    start = _best(lambda i: start_features(doc, i, a, cue), starts, table["start"])
    end = _best(lambda j: end_features(doc, j, b, cue), [j for j in ends if j >= start] or [b],
                table["end"])
    return start, max(end, start)


def redraw(chunk: Chunk) -> None:
    """Move the edges of the chunk's single-part, unquoted reported speech."""
    doc = chunk.doc

    def quoted(i: int) -> bool:
        return chunk.quote_of[i] >= 0

    for found in chunk.items:
        if found.kind != INDIRECT or len(found.parts) != 1 or found.quotes or \
                found.cue_token is None or \
                any(a <= found.start < b for a, b in chunk.headlines):
            continue
        a, b = chunk.token_range(*found.parts[0])
        b -= 1
        while a < b and (doc[a].is_punct or doc[a].is_space):
            a += 1
        while b > a and (doc[b].is_punct or doc[b].is_space):
            b -= 1
        if any(quoted(i) for i in range(a, b + 1)):
            continue
        na, nb = adjust(doc, a, b, found.cue_token.i, quoted)
        if (na, nb) != (a, b):
            found.parts = [strip_chars(chunk.text, *chunk.chars(na, nb))]
