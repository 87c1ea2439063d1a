"""Who and where the words came through: the venue a cue names ("told the Harbour
Gazette", "in an interview with Radio Valdoria") and the channels of a via chain
("according to X", "echoed Kremlin accusations").  ``record`` stores an item with
them and marks its cue and quotations as taken.
"""

from __future__ import annotations

import heapq

from spacy.tokens import Span, Token

from ..lexicon import ECHO_LEMMAS, MEDIA_NOUNS
from ..quotes import QuotedSpan
from .chunk import Chunk, Found, noun_phrase


def _venue(chunk: Chunk, cue: Token) -> tuple[int, int] | None:
    """Where the words were said: a medium the cue names ("told the Gazette", "on
    Radio Valdoria"), as the title in quote marks, the name or the noun phrase."""
    lemma = cue.lemma_.lower()
    for child in cue.children:
        target = None
        if child.dep_ in ("dobj", "dative") and lemma in ("tell", "say", "write", "add"):
            if child.lemma_.lower() in MEDIA_NOUNS or (
                    lemma == "tell" and child.ent_type_ in ("ORG", "WORK_OF_ART")):
                target = child
        elif child.dep_ == "prep" and child.lower_ in ("on", "in", "to"):
            pobj = [p for p in child.children if p.dep_ == "pobj"]
            if pobj and (pobj[0].lemma_.lower() in MEDIA_NOUNS or (
                    child.lower_ == "on" and pobj[0].ent_type_ in ("ORG", "WORK_OF_ART"))):
                target = pobj[0]
                if target.lemma_.lower() == "interview":
                    withs = [w for w in target.children if w.dep_ == "prep" and w.lower_ == "with"]
                    inner = [p for w in withs for p in w.children if p.dep_ == "pobj"]
                    if inner and inner[0].ent_type_ in ("ORG", "WORK_OF_ART"):
                        target = inner[0]
                    else:
                        continue
        if target is None:
            continue
        np_start, np_end = chunk.chars(target.left_edge.i, target.right_edge.i)
        for q in heapq.merge(chunk.quotes, chunk.titles, key=lambda q: q.open_at):
            if np_start <= q.open_at and q.close_end <= np_end + 1:
                return q.start, q.end
            # 'the evening programme "Harbour Hour"' with the title left unattached
            if np_end <= q.open_at and chunk.text[np_end:q.open_at].strip() == "":
                return q.start, q.end
        ent = next((e for e in chunk.ents if e.start >= target.left_edge.i
                    and e.end <= target.right_edge.i + 1
                    and e.label_ in ("ORG", "WORK_OF_ART", "PRODUCT")), None)
        if ent is not None:
            return ent.start_char, ent.end_char
        span = noun_phrase(target)
        first = span[0].i + (1 if span[0].dep_ == "det" and len(span) > 1 else 0)
        return chunk.chars(first, span[-1].i)
    return None


def _according_to(cue: Token) -> Token | None:
    """The pobj of an "according to X" attached to ``cue``'s clause."""
    for child in cue.children:
        if child.lower_ == "according":
            for to in child.children:
                if to.lower_ == "to":
                    pobj = [p for p in to.children if p.dep_ == "pobj"]
                    if pobj:
                        return pobj[0]
    return None


def _echo_source(cue: Token) -> Token | None:
    """The owner of the words an "echoed Kremlin accusations" passes on."""
    if cue.lemma_.lower() not in ECHO_LEMMAS:
        return None
    for child in cue.children:
        if child.dep_ == "dobj":
            for mod in child.children:
                if mod.dep_ in ("compound", "poss") and mod.ent_type_ in ("ORG", "PERSON",
                                                                         "GPE", "NORP"):
                    return mod
    return None


def _mention(chunk: Chunk, speaker: Token, cue: Token | None) -> Span | None:
    """The speaker's noun phrase, never over its own verb nor back over a quotation."""
    mention = noun_phrase(speaker)
    if cue is not None and mention.start <= cue.i < mention.end:
        # The parser ran the speaker's phrase on over its own verb ("The article used
        # ... headline: "..."" as one noun phrase): the speaker ends before the verb.
        before, after = mention.doc[mention.start:cue.i], mention.doc[cue.i + 1:mention.end]
        mention = after if speaker.i > cue.i or not len(before) else before
        if not len(mention):
            return None
    # Nor back over the quotation it follows ('"It's unanimous," councilmember Mark
    # Levine said'): quoted words that open the phrase are not the speaker's name.
    own = chunk.quote_of[speaker.i]

    def quoted(t: Token) -> bool:
        return t.is_quote or chunk.quote_of[t.i] not in (-1, own)

    if mention[0].i < speaker.i and quoted(mention[0]):
        last = max(t.i for t in mention if t.i < speaker.i and quoted(t))
        mention = mention.doc[last + 1:mention.end]
        while len(mention) > 1 and (mention[0].is_punct or mention[0].is_space):
            mention = mention[1:]
    return mention


def record(chunk: Chunk, kind: str, parts: list[tuple[int, int]], cue: Token | None,
          speaker: Token | None, quotes: list[QuotedSpan]) -> Found:
    """Store an item with its cue's venue and via chain; its cue and quotations are
    taken from now on."""
    found = Found(kind, parts, (cue.idx, cue.idx + len(cue)) if cue is not None else None,
                  cue, _mention(chunk, speaker, cue) if speaker is not None else None,
                  list(quotes))
    if cue is not None:
        chunk.used_cues.add(cue.i)
        found.venue = _venue(chunk, cue)
        for qi in chunk.quotes_with_words(found.venue):
            chunk.assigned[qi] = found  # a show's title, not more words of the quote
        via = _according_to(cue)
        if via is not None:
            found.via.append((None, *chunk.chars(via.left_edge.i, via.right_edge.i)))
        echo = _echo_source(cue)
        if echo is not None:
            found.via.append((None, echo.idx, echo.idx + len(echo)))
    for q in quotes:
        chunk.assigned[chunk.index_of(q)] = found
    chunk.items.append(found)
    return found


def record_led(chunk: Chunk, kind: str, pronoun: Token | None, parts: list[tuple[int, int]],
               cue: Token | None, speaker: Token | None, quotes: list[QuotedSpan]) -> Found:
    """``record``, for an item that opens with the relative pronoun standing for what was
    said ('which "a disgrace"', 'which' + 'was not a prison sentence') when it stands
    before the item's words: attribution corpora count it as the item's first part, the
    desk leaves it out (``lead_in``: the pronoun and the space that joins it)."""
    if pronoun is None or pronoun.idx + len(pronoun) > parts[0][0]:
        return record(chunk, kind, parts, cue, speaker, quotes)
    found = record(chunk, kind, [(pronoun.idx, pronoun.idx + len(pronoun)), *parts], cue, speaker, quotes)
    found.lead_in = len(pronoun) + 1
    return found
