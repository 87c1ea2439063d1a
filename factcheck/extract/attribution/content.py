"""What a cue reports: the token range of its content.

``content_range`` tries an ordered tuple of small rules, ``CONTENT_RULES``, and
takes the first range one of them finds; ``clip`` cuts every candidate at
paragraph breaks, at quotations attributed elsewhere and at the cue itself.
The other helpers turn a token range into characters (``content_chars``) and
find the "..., X said, ..." hole a parenthetical attribution leaves in it.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..lexicon import (
    CONTENT_PREPOSITIONS,
    MENTAL_LEMMAS,
    OBJECT_CONTENT_LEMMAS,
    PHRASAL_CUES,
    SPEECH_LEMMAS,
    STANCE_LEMMAS,
    XCOMP_CONTENT_LEMMAS,
)
from .chunk import BARE_OBJECT_CUES, SENTENCE_END, Chunk, subject_of, word_count

# Speech verbs whose "to"/"at"/"with" phrase names the audience or the venue,
# not what was said ("spoke to reporters", "speaking at a rally").
_AUDIENCE_CUES = {"speak", "talk", "say", "tell", "state", "announce", "explain", "testify",
                  "write", "post", "tweet", "comment", "declare", "remark", "add", "report",
                  "address", "reiterate", "repeat", "continue"}
# Speech verbs whose object is not what was said: "found a way", "continued the attacks".
_NO_OBJECT_CONTENT = {"find", "continue", "read", "sing", "learn", "know", "feel"}


def trim_range(chunk: Chunk, a: int, b: int) -> tuple[int, int] | None:
    doc = chunk.doc
    while a <= b and (doc[a].is_punct or doc[a].is_space
                      or (doc[a].dep_ == "mark" and doc[a].lower_ == "that")
                      or doc[a].lower_ in ("and", "but")):
        if chunk.quote_of[a] >= 0 and doc[a].idx >= chunk.quotes[chunk.quote_of[a]].start:
            break
        a += 1
    while b >= a and (doc[b].is_punct or doc[b].is_space or doc[b].lower_ in ("and", "but")):
        b -= 1
    return (a, b) if a <= b else None


def content_chars(chunk: Chunk, a: int, b: int) -> tuple[int, int]:
    """Characters of a content range; a quotation cut by the range keeps its marks."""
    start, end = chunk.chars(a, b)
    for q in chunk.quotes:
        if q.open_at < start <= q.start:
            start = q.open_at
        nested = q.start <= start  # a report inside the quotation keeps to its words
        if not nested and (q.end <= end < q.close_end or (q.start < end <= q.end
                                                          and end + 2 >= q.end)):
            end = max(end, q.close_end)
    return start, end


def attribution_hole(cue: Token) -> tuple[int, int]:
    """Tokens of a parenthetical "..., X said, ..." (subject, adverbs, cue)."""
    start = cue.i
    for child in cue.lefts:
        if child.dep_ in ("nsubj", "nsubjpass", "advmod", "aux", "neg"):
            start = min(start, child.left_edge.i)
    end = cue.i
    for child in cue.rights:
        if child.dep_ in ("nsubj", "npadvmod", "advmod") or (
                child.dep_ == "prep" and child.right_edge.i - cue.i < 6):
            end = max(end, child.right_edge.i)
    return start, end


def _parenthetical(cue: Token, a: int, b: int) -> bool:
    """'The latest test, the agency said, was its biggest': the cue sits inside
    its content between commas, with words of the content on both sides."""
    if cue.lemma_.lower() not in SPEECH_LEMMAS:
        return False
    start, end = attribution_hole(cue)
    doc = cue.doc
    return (a < start - 1 and end + 1 < b and doc[start - 1].text == ","
            and doc[end + 1].text == "," and word_count(doc, a, start - 1) >= 2
            and word_count(doc, end + 1, b) >= 2)


def clip(chunk: Chunk, a: int, b: int, cue: Token) -> tuple[int, int] | None:
    """Cut a content range at paragraph breaks, at a colon that introduces another
    quotation, at quotations attributed elsewhere and at the cue itself."""
    doc = chunk.doc
    own_quote = chunk.quote_of[cue.i]
    # Reported content stays in the cue's paragraph (the parser happily joins a
    # headline to the lead).
    line_start = max(chunk.text.rfind("\n", 0, cue.idx), chunk.text.rfind("\r", 0, cue.idx))
    while a <= b and doc[a].idx <= line_start:
        a += 1
    if a > b:
        return None
    if a <= cue.i <= b and not _parenthetical(cue, a, b):
        if cue.i - a > b - cue.i:
            b = cue.i - 1
        else:
            a = cue.i + 1
    for i in range(a, b + 1):
        tok = doc[i]
        if tok.is_space and ("\n" in tok.text or "\r" in tok.text) and i > a:
            b = i - 1
            break
        qi = chunk.quote_of[i]
        if qi >= 0 and qi != own_quote and qi in chunk.assigned and i > a:
            b = i - 1
            break
        if tok.text in (":", ";") and i + 1 <= b:
            nxt = i + 1
            while nxt <= b and doc[nxt].is_space:
                nxt += 1
            if nxt <= b and chunk.quote_of[nxt] >= 0:
                b = i - 1
                break
    # A non-restrictive relative clause at the end that reports someone else
    # ("..., which the council says ...") is a separate attribution.
    cue_ids = {t.i for t in chunk.cues
               if t.lemma_.lower() in SPEECH_LEMMAS and t.lemma_.lower() not in MENTAL_LEMMAS}
    for i in range(a, b + 1):
        tok = doc[i]
        if tok.dep_ == "relcl" and tok.right_edge.i >= b and tok.left_edge.i > a and \
                any(j in cue_ids for j in range(tok.left_edge.i, tok.right_edge.i + 1)):
            comma = tok.left_edge.i - 1
            if comma > a and doc[comma].text == ",":
                b = comma - 1
                break
    return trim_range(chunk, a, b)


def content_range(chunk: Chunk, cue: Token) -> tuple[int, int, Token] | None:
    """Token range of what the cue reports, and the head of that content."""
    lemma = cue.lemma_.lower()
    children = list(cue.children)
    own_quote = chunk.quote_of[cue.i]
    # "The audit stirred a row: officials said they ...": of two clauses, the one after
    # the cue is what it reports.
    for child in sorted(children, key=lambda c: c.i < cue.i):
        if child.dep_ == "ccomp":
            qi = chunk.quote_of[child.i]
            if qi >= 0 and qi != own_quote and qi in chunk.assigned:
                continue  # the parser hung someone else's quotation on this verb
            rng = clip(chunk, child.left_edge.i, child.right_edge.i, cue)
            if rng:
                return rng[0], rng[1], child
    # "She argued that ..." / "He tweeted in the early hours that ..." with the
    # clause misattached by the parser: the words after "that" to the sentence end.
    doc = cue.doc
    nxt = cue.i + 1
    while nxt < len(doc) and nxt <= cue.i + 8 and not (
            doc[nxt].lower_ == "that" and doc[nxt].dep_ != "det") and doc[nxt].dep_ in (
            "prep", "pobj", "det", "amod", "compound", "advmod", "npadvmod", "nummod", "poss"):
        nxt += 1
    if nxt < len(doc) and doc[nxt].lower_ == "that" and lemma in SPEECH_LEMMAS:
        clause = doc[nxt].head
        if doc[nxt].dep_ == "mark" and clause.i > nxt and clause.left_edge.i >= nxt:
            end = clause.right_edge.i
        else:
            end = nxt
            while end + 1 < len(doc) and not doc[end + 1].is_sent_start and \
                    doc[end + 1].text not in SENTENCE_END:
                end += 1
        rng = clip(chunk, nxt + 1, end, cue)
        if rng:
            return rng[0], rng[1], doc[nxt]
    if lemma in SPEECH_LEMMAS:
        for child in children:
            if child.i < cue.i:
                continue
            # "said after the meeting he would not accept": a finite clause with its
            # own subject and no subordinator, which the parser made adverbial.
            grand = list(child.children)
            finite = child.dep_ == "advcl" and not any(g.dep_ == "mark" for g in grand) \
                and not any(g.tag_ in ("WRB", "WDT") and g.i < child.i for g in grand) \
                and any(g.dep_ in ("nsubj", "nsubjpass") for g in grand) \
                and (child.tag_ in ("VBD", "VBZ", "VBP") or any(g.dep_ == "aux" for g in grand))
            # "admitted using the fund": a gerund.
            gerund = child.dep_ == "xcomp" and child.tag_ == "VBG" and lemma != "continue"
            if finite or gerund:
                rng = clip(chunk, child.left_edge.i, child.right_edge.i, cue)
                if rng:
                    return rng[0], rng[1], child
    if lemma in XCOMP_CONTENT_LEMMAS:
        for child in children:
            if child.dep_ == "xcomp" and child.i > cue.i:
                rng = clip(chunk, child.left_edge.i, child.right_edge.i, cue)
                if rng:
                    return rng[0], rng[1], child
    if lemma in BARE_OBJECT_CUES:
        # "told his supporters to go and vote": the listener and the infinitive.
        xcomp = next((c for c in children if c.dep_ == "xcomp" and c.i > cue.i and any(
            g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
        if xcomp is not None:
            listener = next((c for c in children if c.dep_ == "dobj" and cue.i < c.i < xcomp.i),
                            None)
            first = listener.left_edge.i if listener is not None else xcomp.left_edge.i
            right = max(c.right_edge.i for c in children if c.i >= xcomp.i and c.dep_ in (
                "xcomp", "prep", "ccomp", "conj", "dobj", "punct") and not c.is_sent_end)
            rng = clip(chunk, first, right, cue)
            if rng:
                return rng[0], rng[1], xcomp
    # "The figures were first reported by the Coastal Wire": the passive subject.
    passive = next((c for c in children if c.dep_ == "nsubjpass" and c.i < cue.i), None)
    if passive is not None and passive.pos_ != "PRON" and any(
            c.dep_ == "agent" for c in children) and lemma not in BARE_OBJECT_CUES:
        rng = clip(chunk, passive.left_edge.i, passive.right_edge.i, cue)
        if rng:
            return rng[0], rng[1], passive
    broad = lemma in OBJECT_CONTENT_LEMMAS or lemma in STANCE_LEMMAS or lemma in PHRASAL_CUES
    # "mentioned the ferry deal", "cited rising costs": a speech verb's object is
    # what was said (not so for the listener of "told the council").
    said_object = lemma in SPEECH_LEMMAS and lemma not in BARE_OBJECT_CUES \
        and (lemma not in _NO_OBJECT_CONTENT or _finding(cue))
    if broad or said_object or cue.pos_ == "ADJ":
        objs = [c for c in children if c.dep_ in ("dobj", "attr") and c.i > cue.i
                and c.pos_ != "PRON"]
        # "called him 'a genius'": the predicate after a pronoun object is the content.
        if not objs and any(c.dep_ == "dobj" and c.i > cue.i and c.pos_ == "PRON"
                            and c.lower_ not in ("what", "which", "that") for c in children):
            objs = [c for c in children if c.dep_ == "oprd" and c.i > cue.i]
        if objs:
            right = max(c.right_edge.i for c in children
                        if c.i > cue.i and c.dep_ in ("dobj", "prep", "dative", "oprd", "ccomp",
                                                      "xcomp"))
            rng = clip(chunk, objs[0].left_edge.i, right, cue)
            if rng:
                return rng[0], rng[1], objs[0]
    if broad or lemma in SPEECH_LEMMAS:
        # "talked about X", "voted against X", "called for X"
        for child in children:
            if child.dep_ == "prep" and child.lower_ in CONTENT_PREPOSITIONS and \
                    child.i > cue.i and any(g.dep_ in ("pobj", "pcomp") for g in child.children) \
                    and not (lemma in _AUDIENCE_CUES and child.lower_ in ("to", "at", "with")):
                # Modifiers the parser hung on the verb still belong to the content
                # ("decided against X during the forum").
                # "called on the minister to resign": the infinitive too.
                right = max([child.right_edge.i] + [
                    c.right_edge.i for c in children if c.i > child.i
                    and (c.dep_ in ("prep", "npadvmod", "advmod", "pobj", "xcomp", "ccomp")
                         or (c.dep_ == "advcl" and any(
                             a.dep_ == "aux" and a.lower_ == "to" for a in c.children)))])
                rng = clip(chunk, child.i + 1, right, cue)
                if rng:
                    return rng[0], rng[1], child
    if cue.dep_ == "parataxis" and _parenthetical(cue, cue.head.left_edge.i,
                                                  cue.head.right_edge.i):
        head = cue.head
        rng = clip(chunk, head.left_edge.i, head.right_edge.i, cue)
        if rng:
            return rng[0], rng[1], head
    if cue.dep_ == "parataxis" and cue.head.i < cue.left_edge.i:
        head = cue.head
        rng = clip(chunk, head.left_edge.i, cue.left_edge.i - 1, cue)
        if rng:
            return rng[0], rng[1], head
    if lemma in SPEECH_LEMMAS and cue.dep_ in ("parataxis", "ROOT"):
        sent = cue.sent
        a, b = sent.start, sent.end - 1
        if cue.dep_ == "parataxis" and _parenthetical(cue, a, b):
            # "That is why, he argued, the council should wait": the parser hung the
            # aside on the later clause; the whole sentence is the content.
            rng = clip(chunk, a, b, cue)
            if rng:
                return rng[0], rng[1], sent.root
        start, _end = attribution_hole(cue)
        tail = [t for t in doc[cue.i + 1:sent.end] if not (t.is_punct or t.is_space)]
        if cue.dep_ == "ROOT" and not tail and start - 1 > a and doc[start - 1].text == "," \
                and word_count(doc, a, start - 2) >= 3:
            # "Fares unclear on whether pensioners are covered, experts say."
            rng = clip(chunk, a, start - 2, cue)
            if rng:
                return rng[0], rng[1], doc[rng[0]]
    return None


_FINDERS = {"study", "report", "court", "analysis", "investigation", "audit", "review", "poll",
            "survey", "research", "judge", "panel", "researcher", "investigator", "inquiry",
            "probe", "commission", "jury", "tribunal", "author", "auditor", "inspector",
            "analyst", "economist", "scientist", "expert"}


def _finding(cue: Token) -> bool:
    """'The court found the fee unlawful', 'a study found 31 cases': what a
    finder found is reported content (unlike 'found a way')."""
    if cue.lemma_.lower() != "find":
        return False
    subject = subject_of(cue)
    return any(c.dep_ == "oprd" for c in cue.children) or (
        subject is not None and subject.lemma_.lower() in _FINDERS)
