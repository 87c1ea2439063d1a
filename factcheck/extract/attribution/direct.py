"""Attach quotations to their cue and speaker, and find reported speech.

Works on one parsed chunk (a spaCy ``Doc``) and the quotations the scanner
found in it.  Offsets here are relative to the chunk; ``engine`` shifts them.

The passes run from the strongest evidence to the weakest, and each cue verb
serves one item only:

1. ``"...," X said`` -- a bare reporting clause right after a quotation;
2. ``X said, "..."`` / ``X said that "..."`` -- a reporting clause right before
   it; a quotation that sits inside the reported clause without being the whole
   clause makes the clause a *partial* quote;
3. reported speech without quote marks, from the dependency parse (the content
   of "said"/"warned"/"vowed" ..., "according to X"), including reports nested
   inside a quotation (reached *via* the quoted speaker);
4. headlines ("X Vows Y Will ..."), which the parser reads as one long name.

Parser output on news text with quote marks is noisy, so the direct-quote
passes look at the surface around the marks rather than trusting the tree.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy
from spacy.attrs import IDX, LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from ..lexicon import (
    CONTENT_PREPOSITIONS,
    ECHO_LEMMAS,
    HEADLINE_CUES,
    HUMAN_NOUNS,
    LEMMA_FIXES,
    LIGHT_VERBS,
    MEDIA_NOUNS,
    MENTAL_LEMMAS,
    NESTED_REPORT_LEMMAS,
    OBJECT_CONTENT_LEMMAS,
    ORG_NOUNS,
    PASSIVE_REPORT_LEMMAS,
    PASSIVE_SUBJECT_CONTENT,
    PERSON_ROLE_NOUNS,
    PHRASAL_CUES,
    SPEECH_LEMMAS,
    STANCE_ADJECTIVES,
    STANCE_AGENT_NOUNS,
    STANCE_LEMMAS,
    STANCE_NOUNS,
    XCOMP_CONTENT_LEMMAS,
)
from ..quotes import QuotedSpan
from ..types import DIRECT, INDIRECT, PARTIAL

_SENTENCE_END = {".", "!", "?", ";"}
_INTRO_PUNCT = {",", ":", "\u2014", "\u2013", "-", "\u2026"}
_BARE_OBJECT_CUES = {"tell", "ask", "inform", "remind", "assure", "reassure", "warn", "advise"}
_TITLE_NOUNS = {"book", "film", "movie", "song", "album", "series", "column", "article",
                "headline", "titled", "entitled", "dubbed", "named", "called", "slogan",
                "hashtag", "documentary", "play", "novel", "op-ed", "essay", "memoir",
                "report", "bill", "act", "operation", "program", "programme", "show",
                "campaign", "podcast", "newsletter", "poem", "painting", "exhibition"}
# Speech verbs whose "to"/"at"/"with" phrase names the audience or the venue,
# not what was said ("spoke to reporters", "speaking at a rally").
_AUDIENCE_CUES = {"speak", "talk", "say", "tell", "state", "announce", "explain", "testify",
                  "write", "post", "tweet", "comment", "declare", "remark", "add", "report",
                  "address", "reiterate", "repeat", "continue"}
# Speech verbs whose object is not what was said: "found a way", "continued the attacks".
_NO_OBJECT_CONTENT = {"find", "continue", "read", "sing", "learn", "know", "feel"}
_MAX_AFTER = 20
_MAX_BEFORE = 45


@dataclass
class Found:
    """One attribution in chunk-relative character offsets."""

    kind: str
    parts: list[tuple[int, int]]
    cue: tuple[int, int] | None
    cue_token: Token | None
    speaker: Span | None
    quotes: list[QuotedSpan] = field(default_factory=list)
    venue: tuple[int, int] | None = None
    # Channels as (name or None, start, end); ``outer`` is the item whose quoted
    # words contain this one (an AP quote of a ministry statement).
    via: list[tuple[str | None, int, int]] = field(default_factory=list)
    outer: Found | None = None
    clause_end: int = -1  # where the attribution clause after a quotation ends

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


_AGENT_PRONOUNS = {"he", "she", "they", "we", "i", "you", "who", "it"}
_AGENT_ENTITIES = {"PERSON", "ORG", "GPE", "NORP"}


def is_agent(token: Token) -> bool:
    """Could this subject hold a position? (people, organisations, their words)"""
    if token.ent_type_ in _AGENT_ENTITIES or token.pos_ == "PROPN":
        return True
    lower = token.lower_
    if token.pos_ == "PRON":
        return lower in _AGENT_PRONOUNS
    lemma = token.lemma_.lower()
    return lemma in HUMAN_NOUNS or lemma in PERSON_ROLE_NOUNS or lemma in ORG_NOUNS


def is_cue(token: Token) -> bool:
    lemma = token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX"):
        if lemma in SPEECH_LEMMAS or lemma in STANCE_LEMMAS:
            return True
        particles = PHRASAL_CUES.get(lemma)
        return particles is not None and any(
            c.dep_ in ("prt", "prep", "advmod") and c.lower_ in particles and c.i > token.i
            for c in token.children)
    # "detailed", "described" after a subject are sometimes tagged as adjectives.
    if token.pos_ == "ADJ" and token.lower_.endswith("ed"):
        stem = token.lower_[:-1] if token.lower_[:-1] in SPEECH_LEMMAS else token.lower_[:-2]
        return stem in SPEECH_LEMMAS and any(c.dep_ == "nsubj" for c in token.children)
    return False


_HASHES: dict[int, dict] = {}


def _hashes(vocab) -> dict:
    """Hash ids of the lexicon words in this vocabulary, computed once."""
    key = id(vocab)
    if key not in _HASHES:
        strings = vocab.strings
        lemmas = SPEECH_LEMMAS | STANCE_LEMMAS | set(PHRASAL_CUES)
        forms = {w + "ed" for w in SPEECH_LEMMAS} | {w + "d" for w in SPEECH_LEMMAS}
        _HASHES[key] = {
            "cue_lemmas": numpy.array([strings.add(w) for w in lemmas], dtype="uint64"),
            "cue_forms": numpy.array([strings.add(w) for w in forms], dtype="uint64"),
            "claim_nouns": numpy.array([strings.add(w) for w in STANCE_NOUNS | STANCE_AGENT_NOUNS],
                                       dtype="uint64"),
            "according": strings.add("according"),
            "misread": numpy.array([strings.add(w) for w in LEMMA_FIXES], dtype="uint64"),
            "stance_adjectives": numpy.array([strings.add(w) for w in STANCE_ADJECTIVES],
                                             dtype="uint64"),
        }
    return _HASHES[key]


class _Chunk:
    def __init__(self, doc: Doc, quotes: list[QuotedSpan], text: str):
        self.doc = doc
        self.text = text  # Doc.text re-joins every token on each access
        self.quotes = quotes
        # One columnar read of the Doc instead of a Python loop per question:
        # creating Token objects is the expensive part of walking a Doc.
        table = doc.to_array([IDX, LEMMA, LOWER])
        self.starts = table[:, 0].tolist() if len(doc) else []
        lemmas, lowers = table[:, 1], table[:, 2]
        hashes = _hashes(doc.vocab)
        for i in numpy.flatnonzero(numpy.isin(lowers, hashes["misread"])):
            token = doc[int(i)]
            if token.pos_ == "VERB":
                token.lemma_ = LEMMA_FIXES[token.lower_]
                lemmas[i] = token.lemma
        self.cues = [doc[int(i)] for i in numpy.flatnonzero(
            numpy.isin(lemmas, hashes["cue_lemmas"]) | numpy.isin(lowers, hashes["cue_forms"]))]
        self.cues = [t for t in self.cues if is_cue(t)]
        self.according = [doc[int(i)] for i in numpy.flatnonzero(lowers == hashes["according"])]
        self.stance_adjectives = [doc[int(i)] for i in numpy.flatnonzero(
            numpy.isin(lowers, hashes["stance_adjectives"]))]
        self.claim_nouns = [doc[int(i)] for i in numpy.flatnonzero(
            numpy.isin(lemmas, hashes["claim_nouns"]))]
        self.quote_of = [-1] * len(doc)
        for qi, q in enumerate(quotes):
            a, b = self.token_range(q.open_at, q.close_end)
            for i in range(a, b):
                self.quote_of[i] = qi
        # Doc.ents rebuilds its list on every access; read it once.
        self.ents = list(doc.ents)
        self.used_cues: set[int] = set()
        self.headlines: list[tuple[int, int]] = []  # headline lines, set by _pass_headlines
        self.first = True  # the chunk starts the document
        self.assigned: dict[int, Found] = {}
        self.items: list[Found] = []

    # ------------------------------------------------------------ offsets
    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Tokens overlapping the characters [start, end)."""
        a = max(0, bisect.bisect_right(self.starts, start) - 1)
        if a < len(self.doc) and self.doc[a].idx + len(self.doc[a]) <= start:
            a += 1
        b = bisect.bisect_left(self.starts, end)
        return a, b

    def chars(self, a: int, b: int) -> tuple[int, int]:
        """Characters of tokens a..b inclusive."""
        return self.doc[a].idx, self.doc[b].idx + len(self.doc[b])

    def has_break(self, start: int, end: int) -> bool:
        return "\n" in self.text[start:end] or "\r" in self.text[start:end]


# ------------------------------------------------------------------ helpers
def _subject(cue: Token) -> Token | None:
    token = cue
    for _ in range(4):
        # Of two subjects (a mis-split name), the proper noun is the speaker.
        children = sorted(token.children, key=lambda c: (c.dep_ != "nsubj" or c.pos_ != "PROPN"))
        for child in children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                if child.dep_ == "nsubjpass":
                    agent = [g for g in token.children if g.dep_ == "agent"]
                    if agent:
                        pobj = [p for p in agent[0].children if p.dep_ == "pobj"]
                        return pobj[0] if pobj else None
                    return None
                if child.lower_ in ("which", "that") and token.dep_ == "relcl":
                    return token.head
                if child.dep_ == "nsubj" and child.lower_ == "it" and any(
                        c.dep_ == "ccomp" and c.i > token.i for c in token.children) and \
                        token.lemma_ in ("be", "seem"):
                    return None
                return child
        # "..., Mayor Jane Doe, promised ...": a name the parser left without a role.
        if token.i == cue.i and token.dep_ == "ROOT":
            i = token.i - 1
            while i >= 0 and token.doc[i].is_punct and token.doc[i].text == ",":
                i -= 1
            if i >= 0 and i < token.i - 1 and token.doc[i].ent_type_ in ("PERSON", "ORG"):
                return token.doc[i]
        # "a statement saying ...": the noun speaks.
        if token.dep_ == "acl" and token.tag_ == "VBG" and token.head.pos_ in ("NOUN", "PROPN"):
            return token.head
        # "he said, adding that ..." / "she said and warned ..." share the subject.
        if token.dep_ in ("conj", "advcl", "xcomp") and token.head.i != token.i:
            token = token.head
            continue
        # "In defending the plan, Tarnek ..." / "steered clear of criticising X".
        if token.dep_ == "pcomp" and token.head.dep_ == "prep" and token.tag_ == "VBG":
            token = token.head.head
            continue
        return None
    return None


def noun_phrase(token: Token) -> Span:
    """The noun phrase of a speaker: modifiers, names and appositions, no clauses."""
    doc = token.doc
    left = token.left_edge.i
    right = token.i
    for child in token.rights:
        if child.dep_ in ("appos", "compound", "flat", "nummod", "amod", "conj", "cc",
                          "punct", "case"):
            right = max(right, child.right_edge.i)
        else:
            break
    for child in token.lefts:
        if child.dep_ in ("relcl", "acl"):
            left = max(left, child.right_edge.i + 1)
    # A noun phrase never spans a line break (headlines run into the lead).
    for i in range(token.i - 1, left - 1, -1):
        if doc[i].is_space and ("\n" in doc[i].text or "\r" in doc[i].text):
            left = i + 1
            break
    for i in range(token.i + 1, right + 1):
        if doc[i].is_space and ("\n" in doc[i].text or "\r" in doc[i].text):
            right = i - 1
            break
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    while right > left and (doc[right].is_punct or doc[right].is_space):
        right -= 1
    return doc[left:right + 1]


def _words(doc: Doc, a: int, b: int) -> int:
    return sum(1 for i in range(a, b + 1) if not (doc[i].is_punct or doc[i].is_space))


def _trim_range(chunk: _Chunk, a: int, b: int) -> tuple[int, int] | None:
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


def _content_chars(chunk: _Chunk, a: int, b: int) -> tuple[int, int]:
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


def _attribution_hole(cue: Token) -> tuple[int, int]:
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
    start, end = _attribution_hole(cue)
    doc = cue.doc
    return (a < start - 1 and end + 1 < b and doc[start - 1].text == ","
            and doc[end + 1].text == "," and _words(doc, a, start - 1) >= 2
            and _words(doc, end + 1, b) >= 2)


def _clip(chunk: _Chunk, a: int, b: int, cue: Token) -> tuple[int, int] | None:
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
    return _trim_range(chunk, a, b)


def content_range(chunk: _Chunk, cue: Token) -> tuple[int, int, Token] | None:
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
            rng = _clip(chunk, child.left_edge.i, child.right_edge.i, cue)
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
                    doc[end + 1].text not in _SENTENCE_END:
                end += 1
        rng = _clip(chunk, nxt + 1, end, cue)
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
                rng = _clip(chunk, child.left_edge.i, child.right_edge.i, cue)
                if rng:
                    return rng[0], rng[1], child
    if lemma in XCOMP_CONTENT_LEMMAS:
        for child in children:
            if child.dep_ == "xcomp" and child.i > cue.i:
                rng = _clip(chunk, child.left_edge.i, child.right_edge.i, cue)
                if rng:
                    return rng[0], rng[1], child
    if lemma in _BARE_OBJECT_CUES:
        # "told his supporters to go and vote": the listener and the infinitive.
        xcomp = next((c for c in children if c.dep_ == "xcomp" and c.i > cue.i and any(
            g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
        if xcomp is not None:
            listener = next((c for c in children if c.dep_ == "dobj" and cue.i < c.i < xcomp.i),
                            None)
            first = listener.left_edge.i if listener is not None else xcomp.left_edge.i
            right = max(c.right_edge.i for c in children if c.i >= xcomp.i and c.dep_ in (
                "xcomp", "prep", "ccomp", "conj", "dobj", "punct") and not c.is_sent_end)
            rng = _clip(chunk, first, right, cue)
            if rng:
                return rng[0], rng[1], xcomp
    # "The figures were first reported by the Coastal Wire": the passive subject.
    passive = next((c for c in children if c.dep_ == "nsubjpass" and c.i < cue.i), None)
    if passive is not None and passive.pos_ != "PRON" and any(
            c.dep_ == "agent" for c in children) and lemma not in _BARE_OBJECT_CUES:
        rng = _clip(chunk, passive.left_edge.i, passive.right_edge.i, cue)
        if rng:
            return rng[0], rng[1], passive
    broad = lemma in OBJECT_CONTENT_LEMMAS or lemma in STANCE_LEMMAS or lemma in PHRASAL_CUES
    # "mentioned the ferry deal", "cited rising costs": a speech verb's object is
    # what was said (not so for the listener of "told the council").
    said_object = lemma in SPEECH_LEMMAS and lemma not in _BARE_OBJECT_CUES \
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
            rng = _clip(chunk, objs[0].left_edge.i, right, cue)
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
                rng = _clip(chunk, child.i + 1, right, cue)
                if rng:
                    return rng[0], rng[1], child
    if cue.dep_ == "parataxis" and _parenthetical(cue, cue.head.left_edge.i,
                                                  cue.head.right_edge.i):
        head = cue.head
        rng = _clip(chunk, head.left_edge.i, head.right_edge.i, cue)
        if rng:
            return rng[0], rng[1], head
    if cue.dep_ == "parataxis" and cue.head.i < cue.left_edge.i:
        head = cue.head
        rng = _clip(chunk, head.left_edge.i, cue.left_edge.i - 1, cue)
        if rng:
            return rng[0], rng[1], head
    if lemma in SPEECH_LEMMAS and cue.dep_ in ("parataxis", "ROOT"):
        sent = cue.sent
        a, b = sent.start, sent.end - 1
        if cue.dep_ == "parataxis" and _parenthetical(cue, a, b):
            # "That is why, he argued, the council should wait": the parser hung the
            # aside on the later clause; the whole sentence is the content.
            rng = _clip(chunk, a, b, cue)
            if rng:
                return rng[0], rng[1], sent.root
        start, _end = _attribution_hole(cue)
        tail = [t for t in doc[cue.i + 1:sent.end] if not (t.is_punct or t.is_space)]
        if cue.dep_ == "ROOT" and not tail and start - 1 > a and doc[start - 1].text == "," \
                and _words(doc, a, start - 2) >= 3:
            # "Fares unclear on whether pensioners are covered, experts say."
            rng = _clip(chunk, a, start - 2, cue)
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
    subject = _subject(cue)
    return any(c.dep_ == "oprd" for c in cue.children) or (
        subject is not None and subject.lemma_.lower() in _FINDERS)


def _venue(chunk: _Chunk, cue: Token) -> tuple[int, int] | None:
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
        for q in chunk.quotes:
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


def _make(chunk: _Chunk, kind: str, parts: list[tuple[int, int]], cue: Token | None,
          speaker: Token | None, quotes: list[QuotedSpan]) -> Found:
    found = Found(kind, parts, (cue.idx, cue.idx + len(cue)) if cue is not None else None,
                  cue, noun_phrase(speaker) if speaker is not None else None, list(quotes))
    if cue is not None:
        chunk.used_cues.add(cue.i)
        found.venue = _venue(chunk, cue)
        for qi, q in enumerate(chunk.quotes):
            if found.venue == (q.start, q.end):
                chunk.assigned[qi] = found  # a show's title, not more words of the quote
        via = _according_to(cue)
        if via is not None:
            found.via.append((None, *chunk.chars(via.left_edge.i, via.right_edge.i)))
        echo = _echo_source(cue)
        if echo is not None:
            found.via.append((None, echo.idx, echo.idx + len(echo)))
    for q in quotes:
        chunk.assigned[chunk.quotes.index(q)] = found
    chunk.items.append(found)
    return found


# ------------------------------------------------------------------ passes
def _after_window(chunk: _Chunk, qi: int) -> list[Token]:
    q = chunk.quotes[qi]
    doc = chunk.doc
    limit = chunk.quotes[qi + 1].open_at if qi + 1 < len(chunk.quotes) else len(chunk.text)
    i = chunk.token_range(q.close_end, q.close_end + 1)[0]
    window: list[Token] = []
    while i < len(doc) and len(window) < _MAX_AFTER:
        tok = doc[i]
        if tok.idx >= limit or (tok.is_space and ("\n" in tok.text or "\r" in tok.text)):
            break
        if chunk.quote_of[i] == qi:
            i += 1
            continue
        window.append(tok)
        if tok.text in _SENTENCE_END:
            break
        i += 1
    return window


# What a speaker's name and title are made of ("harbour master Jonas Ekberg");
# a verb or preposition before the cue means a new clause, not an attribution.
_NAME_POS = {"PROPN", "NOUN", "ADJ", "DET", "NUM", "CCONJ", "ADV", "AUX", "PART"}
_DASHES = {"\u2015", "\u2014", "\u2013", "-", "--"}


def _dash_signature(chunk: _Chunk, qi: int, window: list[Token]) -> bool:
    """'"..." -- Jane Doe': a quotation signed with a dash and a name."""
    words = [t for t in window if not t.is_space]
    if len(words) < 2 or words[0].text not in _DASHES:
        return False
    name = [t for t in words[1:] if not t.is_punct]
    if not name or len(name) > 5 or not all(t.text[:1].isupper() for t in name[:2]):
        return False
    q = chunk.quotes[qi]
    found = _make(chunk, DIRECT, list(q.parts), None, name[-1], [q])
    found.cue = (words[0].idx, words[0].idx + len(words[0]))
    found.speaker = chunk.doc[name[0].i:name[-1].i + 1]
    return True


def _pass_after(chunk: _Chunk) -> None:
    for qi, q in enumerate(chunk.quotes):
        window = _after_window(chunk, qi)
        if not window or _dash_signature(chunk, qi, window):
            continue
        words_seen = 0
        for tok in window:
            if tok.is_punct or tok.is_space:
                continue
            if is_cue(tok) and tok.i not in chunk.used_cues and \
                    tok.lemma_.lower() in SPEECH_LEMMAS and tok.dep_ != "amod":
                cue = tok
                break
            words_seen += 1
            # A verb starts a new clause -- unless the tagger took a name for one
            # ("harbour master Jonas Ekberg said").
            if words_seen > 8 or (tok.pos_ == "VERB" and tok.dep_ not in (
                    "nsubj", "compound", "amod")):
                cue = None
                break
        else:
            cue = None
        if cue is None:
            continue
        lemma = cue.lemma_.lower()
        # Content of its own after the cue means the cue reports something else --
        # except a next quotation, which continues this one.
        own = [c for c in cue.children if c.i > cue.i and chunk.quote_of[c.i] != qi and (
            c.dep_ == "ccomp" or (c.dep_ == "dobj" and lemma not in _BARE_OBJECT_CUES
                                  and c.pos_ != "PRON"))
               and not _continues_quote(chunk, cue, c)]
        if own:
            continue
        window_ids = {t.i for t in window}
        subject = _subject(cue)
        if subject is None or subject.i not in window_ids:
            subject = _nearest_nominal(window, cue)
        if subject is None:
            continue
        # Only the speaker's own words may stand between the quotation and the
        # cue ('"...," the minister, Jane Doe, said'); anything else is a new clause.
        lo, hi = subject.left_edge.i, subject.right_edge.i
        if any(not (t.is_punct or t.is_space or lo <= t.i <= hi or t.pos_ in _NAME_POS
                    or t.dep_ in ("nsubj", "compound", "dep", "appos"))
               for t in window if t.i < cue.i):
            continue
        found = _make(chunk, DIRECT, list(q.parts), cue, subject, [q])
        # '"...," the mayor said, adding that it would take "more hours"': a clause
        # of the cue's own after it reports something new, and a quotation after
        # that belongs to it, not to this one.
        if not any(t.i > cue.i and t.head.i == cue.i and t.lemma_.lower() in SPEECH_LEMMAS
                   and t.dep_ in ("advcl", "conj", "xcomp", "ccomp", "parataxis")
                   and any(c.dep_ == "ccomp" for c in t.children) for t in window):
            found.clause_end = window[-1].idx + len(window[-1])


def _continues_quote(chunk: _Chunk, cue: Token, child: Token) -> bool:
    """'"...," X said on Monday. "..."': the parser hangs the next quotation on the
    cue, but without a colon the cue still belongs to the quotation before it."""
    qi = chunk.quote_of[child.i]
    if qi < 0:
        return False
    between = chunk.text[cue.idx + len(cue):chunk.quotes[qi].open_at]
    return ":" not in between and "\n" not in between and between.rstrip().endswith((".", ","))


def _nearest_nominal(window: list[Token], cue: Token) -> Token | None:
    before = [t for t in window if t.i < cue.i and t.pos_ in ("PROPN", "PRON", "NOUN")]
    if before:
        tok = before[-1]
        while tok.dep_ in ("compound", "flat") and tok.head.i in {t.i for t in window}:
            tok = tok.head
        return tok
    after = [t for t in window if t.i > cue.i and t.pos_ in ("PROPN", "PRON", "NOUN")]
    if after:
        tok = after[0]
        while tok.dep_ in ("compound", "flat") and tok.head.i in {t.i for t in window}:
            tok = tok.head
        return tok
    return None


def _before_window(chunk: _Chunk, qi: int) -> list[Token]:
    q = chunk.quotes[qi]
    doc = chunk.doc
    floor = chunk.quotes[qi - 1].close_end if qi > 0 else 0
    i = chunk.token_range(q.open_at, q.open_at + 1)[0] - 1
    window: list[Token] = []
    crossed_paragraph = False
    while i >= 0 and len(window) < _MAX_BEFORE:
        tok = doc[i]
        if tok.idx < floor:
            break
        if tok.is_space and ("\n" in tok.text or "\r" in tok.text):
            # "X said:" ending the previous paragraph introduces this one.
            prev = i - 1
            while prev >= 0 and doc[prev].is_space:
                prev -= 1
            if window or crossed_paragraph or prev < 0 or doc[prev].text != ":":
                break
            crossed_paragraph = True
            i = prev
            continue
        if tok.text in _SENTENCE_END and window:
            break
        if tok.text in _SENTENCE_END and not window:
            break
        window.append(tok)
        i -= 1
    window.reverse()
    return window


def _direct_or_partial(chunk: _Chunk, qi: int, cue: Token, subject: Token | None) -> bool:
    """``cue``'s reported clause holds quotation ``qi``: a whole clause in quote
    marks is a direct quote, quoted fragments make the clause a partial quote."""
    q = chunk.quotes[qi]
    rng = content_range(chunk, cue)
    if rng is None:
        return False
    a, b, head = rng
    qa, qb = chunk.token_range(q.start, q.end)
    if not (a <= qb - 1 and qa <= b):
        return False
    subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    whole = qa <= head.i < qb and all(qa <= s.left_edge.i for s in subjects)
    # 'called him "a coward" for skipping the debate': words of the clause after
    # the closing mark make it a partial quote.
    whole = whole and (b < qb or _words(chunk.doc, qb, b) <= 2)
    # 'Brushing aside X, he said, "..."': whatever the parser hung on the quotation's root,
    # a cue followed only by a comma or colon and then the whole clause in quote marks
    # introduces a direct quote.
    introduced = cue.idx < q.open_at and \
        chunk.text[cue.idx + len(cue.text):q.open_at].strip(" ,:\u00a0") == ""
    if whole and (introduced or (_words(chunk.doc, a, qa - 1) <= 4 if qa > a else True)):
        _make(chunk, DIRECT, list(q.parts), cue, subject, [q])
        return True
    start, end = _content_chars(chunk, a, b)
    start, end = min(start, q.open_at), max(end, q.close_end)
    inside = [other for oi, other in enumerate(chunk.quotes)
              if oi not in chunk.assigned and start <= other.open_at and other.close_end <= end]
    text_start, text_end = _strip_chars(chunk.text, start, end)
    _make(chunk, PARTIAL, [(text_start, text_end)], cue, subject, inside or [q])
    return True


def _strip_chars(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def _colon_introduction(chunk: _Chunk, qi: int, window: list[Token]) -> None:
    """'Okonkwo ... set out her plan:' then the quotation: whoever the clause
    ending in the colon is about speaks, whatever its verb."""
    words = [t for t in window if not t.is_space]
    if not words or words[-1].text != ":":
        return
    verb = words[-1].head
    for _ in range(3):  # the colon often hangs on the object ("made this comment:")
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX") or verb.i in chunk.used_cues:
        return
    subject = _subject(verb)
    if subject is None or not is_agent(subject) or chunk.quote_of[subject.i] >= 0:
        return
    q = chunk.quotes[qi]
    if len(q.text_words(chunk.text)) >= 3:
        _make(chunk, DIRECT, list(q.parts), verb, subject, [q])


def _pass_before(chunk: _Chunk) -> None:
    for qi, q in enumerate(chunk.quotes):
        if qi in chunk.assigned:
            continue
        # '"...," he said, "..."' and '"...," he said. "..."': one quotation.
        if qi > 0 and (qi - 1) in chunk.assigned:
            prev = chunk.assigned[qi - 1]
            gap = chunk.text[prev.clause_end:q.open_at] if prev.clause_end >= 0 else "x"
            # A long attribution clause ran past the window: finish its sentence.
            if gap.strip() and not any(m in gap for m in '"\u201c\u201d\n\r'):
                stop = max(gap.rfind(". "), gap.rfind("! "), gap.rfind("? "))
                gap = gap[stop + 1:] if stop >= 0 else gap
            if prev.kind == DIRECT and prev.clause_end >= 0 and \
                    gap.strip(" \t\u00a0,") == "":
                prev.parts.extend(q.parts)
                prev.quotes.append(q)
                chunk.assigned[qi] = prev
                continue
        window = _before_window(chunk, qi)
        cues = [t for t in window if is_cue(t) and t.i not in chunk.used_cues]
        if not cues:
            _colon_introduction(chunk, qi, window)
            continue
        cue = _outer_speech_cue(cues[-1], cues)
        subject = _subject(cue)
        if subject is not None and chunk.quote_of[subject.i] >= 0:
            subject = None
        if subject is None:
            # 'Said Ellis: "..."' -- the parser often misses an inverted subject.
            nxt = cue.nbor(1) if cue.i + 1 < len(cue.doc) else None
            if nxt is not None and nxt.pos_ == "PROPN" and chunk.quote_of[nxt.i] < 0:
                subject = nxt
        if subject is None:
            continue
        lemma = cue.lemma_.lower()
        if not _quotes_speech(cue, subject) and len(q.text_words(chunk.text)) < 4:
            continue  # "fearing a 'Russian invasion'": the writer's scare quotes
        if _direct_or_partial(chunk, qi, cue, subject):
            continue
        between = [t for t in window if t.i > cue.i]
        words = [t for t in between if not (t.is_punct or t.is_space)]
        last = between[-1].text if between else cue.text
        # (a cue tagged as an adjective, "detailed", passed is_cue as a speech verb)
        speech = (lemma in SPEECH_LEMMAS or cue.pos_ == "ADJ") and lemma not in MENTAL_LEMMAS
        if speech and len(words) <= 8 and not any(t.pos_ == "VERB" for t in words) and (
                last in _INTRO_PUNCT or last == cue.text or last.lower() == "that"):
            _make(chunk, DIRECT, list(q.parts), cue, subject, [q])


def _run_on_quote(chunk: _Chunk, end: int) -> int:
    """'said the council was to blame for "years of delay."': the parser often ends
    the reported clause at the opening mark; a quotation that follows with nothing
    between still belongs to it."""
    for oi, q in enumerate(chunk.quotes):
        if q.open_at >= end:
            if q.closed and oi not in chunk.assigned and chunk.text[end:q.open_at].strip() == "" \
                    and chunk.text[end:q.open_at].count("\n") == 0 and q.open_at > end:
                return q.close_end
            break
    return end


def _outer_speech_cue(cue: Token, cues: list[Token]) -> Token:
    """'She said he would consider it a "grave insult"': a stance verb inside the
    reported clause of a speech verb is part of that report, not its own cue."""
    ids = {t.i for t in cues if t.lemma_.lower() in SPEECH_LEMMAS
           and t.lemma_.lower() not in MENTAL_LEMMAS}
    best = cue
    token = cue
    for _ in range(6):
        if token.head.i == token.i or token.dep_ in ("relcl", "acl"):
            break
        token = token.head
        if token.i in ids:
            best = token
    return best


def _quotes_speech(cue: Token, subject: Token) -> bool:
    """Are quote marks in what ``cue`` reports the subject's words?  Speech verbs
    quote; a person or organisation who "dismissed X as 'Y'" or "likened X to 'Y'"
    is quoted too; thought verbs ("fearing a 'Z'") carry the writer's scare quotes."""
    lemma = cue.lemma_.lower()
    if lemma in MENTAL_LEMMAS:
        return False
    return lemma in SPEECH_LEMMAS or is_agent(subject)


def _pass_reported(chunk: _Chunk) -> None:
    doc = chunk.doc
    for cue in chunk.cues:
        if cue.i in chunk.used_cues:
            continue
        qi = chunk.quote_of[cue.i]
        outer = None
        if qi >= 0:
            outer = chunk.assigned.get(qi)
            if outer is None or outer.kind != DIRECT:
                continue
        subject = _subject(cue)
        if subject is None and qi < 0:
            _agentless_passive(chunk, cue)
            continue
        if subject is None or subject.pos_ == "DET":
            continue
        if cue.lemma_.lower() not in SPEECH_LEMMAS and not is_agent(subject):
            continue
        # Inside a quotation only a named reporter opens a nested report
        # ("The ministry said ..."); "they understand" is the speaker's own talk.
        lemma = cue.lemma_.lower()
        if outer is not None and (subject.pos_ == "PRON" or lemma not in NESTED_REPORT_LEMMAS):
            continue
        rng = content_range(chunk, cue)
        if rng is None:
            continue
        a, b, _head = rng
        if qi >= 0:
            # A report nested in a quotation reports words inside that quotation;
            # when the parser hung the content elsewhere, the rest of the quotation is it.
            qa, qb = chunk.token_range(chunk.quotes[qi].start, chunk.quotes[qi].end)
            if a < qa or b >= qb:
                rest = _trim_range(chunk, cue.i + 1, qb - 1)
                if rest is None or lemma not in SPEECH_LEMMAS:
                    continue
                a, b = rest
        if _words(doc, a, b) < 2:
            continue
        start, end = _content_chars(chunk, a, b)
        if qi < 0:
            end = _run_on_quote(chunk, end)
        parts = [_strip_chars(chunk.text, start, end)]
        if a < cue.i < b:
            # "The latest test, the agency said, was its biggest": two parts.
            hole_start, hole_end = _attribution_hole(cue)
            left = _trim_range(chunk, a, hole_start - 1)
            right = _trim_range(chunk, hole_end + 1, b)
            if left is None or right is None:
                continue
            parts = [_strip_chars(chunk.text, *_content_chars(chunk, *left)),
                     _strip_chars(chunk.text, *_content_chars(chunk, *right))]
        inner = [oi for oi, q in enumerate(chunk.quotes)
                 if start <= q.open_at and q.close_end <= end and oi != qi]
        if any(oi in chunk.assigned for oi in inner):
            continue
        if inner and not _quotes_speech(cue, subject):
            continue  # "fearing reports of a 'Russian invasion'": scare quotes, no speech
        kind = PARTIAL if inner and outer is None else INDIRECT
        found = _make(chunk, kind, parts, cue, subject,
                      [chunk.quotes[oi] for oi in inner] if kind == PARTIAL else [])
        if outer is not None:
            found.outer = outer
        elif qi < 0:
            container = next((it for it in chunk.items[:-1] if it.kind != DIRECT
                              and it.start <= cue.idx < it.end), None)
            if container is not None:
                if (container.cue_token is not None
                        and container.cue_token.lemma_.lower() in ECHO_LEMMAS) or \
                        lemma not in SPEECH_LEMMAS or lemma in MENTAL_LEMMAS:
                    # "echoed government claims that ...": one item, via the owner.
                    chunk.items.pop()
                    continue
                found.outer = container
    _pass_according_to(chunk)
    _pass_claim_nouns(chunk)
    _pass_stance_adjectives(chunk)


def _report(chunk: _Chunk, start: int, end: int, cue: tuple[int, int], cue_token: Token,
            speaker: Span, *, quotes_inside: bool = False) -> Found | None:
    """Record reported speech over chunk characters [start, end): partial when quotation
    marks fall in it (overlap it, or with ``quotes_inside`` lie wholly inside it), indirect
    otherwise; None when one of those quotations already belongs to another item."""
    if quotes_inside:
        held = [qi for qi, q in enumerate(chunk.quotes) if start <= q.open_at and q.close_end <= end]
    else:
        held = [qi for qi, q in enumerate(chunk.quotes) if q.open_at < end and start < q.close_end]
    if any(qi in chunk.assigned for qi in held):
        return None
    quotes = [chunk.quotes[qi] for qi in held]
    found = Found(PARTIAL if quotes else INDIRECT, [_strip_chars(chunk.text, start, end)], cue,
                  cue_token, speaker, quotes)
    for qi in held:
        chunk.assigned[qi] = found
    chunk.items.append(found)
    return found


_LINKING = {"be", "seem", "remain", "become", "appear", "sound", "grow", "stay"}
_PASSIVE_COMPLEMENTS = ("xcomp", "prep", "oprd", "ccomp", "attr", "dobj", "advcl")


def _agentless_passive(chunk: _Chunk, cue: Token) -> None:
    """'Kovac was accused of hiding the figures', 'Turnout is expected to fall':
    a report whose holder goes unnamed.  The content is the passive subject and
    what the verb says of it."""
    lemma = cue.lemma_.lower()
    if lemma not in PASSIVE_REPORT_LEMMAS or cue.tag_ != "VBN":
        return
    children = list(cue.children)
    subj = next((c for c in children if c.dep_ == "nsubjpass" and c.i < cue.i), None)
    if subj is None or any(c.dep_ == "agent" for c in children) or \
            subj.lower_ in ("it", "that", "which", "who", "what"):
        return
    if any(it.start <= cue.idx < it.end for it in chunk.items):
        return
    rest = [c for c in children if c.i > cue.i and c.dep_ in _PASSIVE_COMPLEMENTS
            and not (c.dep_ == "prep" and any(g.ent_type_ in ("DATE", "TIME")
                                              for g in c.children))]
    if c_advcl := [c for c in rest if c.dep_ == "advcl"]:
        # only an infinitive ("is expected to ...") continues the report
        rest = [c for c in rest if c not in c_advcl or any(
            g.dep_ == "aux" and g.lower_ == "to" for g in c.children)]
    if lemma in PASSIVE_SUBJECT_CONTENT:
        rest = [c for c in rest if c.dep_ in ("xcomp", "ccomp", "oprd")]
    left = _clip(chunk, subj.left_edge.i, subj.right_edge.i, cue)
    if left is None:
        return
    parts = [left]
    if rest:
        # "accused of hiding": the preposition is the verb's, not the content's
        first = rest[0].i + 1 if rest[0].dep_ == "prep" else rest[0].left_edge.i
        right = _clip(chunk, first, max(c.right_edge.i for c in rest), cue)
        if right is None:
            return
        parts.append(right)
    elif lemma not in PASSIVE_SUBJECT_CONTENT:
        return
    if sum(_words(chunk.doc, a, b) for a, b in parts) < 3:
        return
    chars = [_content_chars(chunk, a, b) for a, b in parts]
    if any(q.open_at < chars[-1][1] and chars[0][0] < q.close_end for q in chunk.quotes):
        return  # quoted words in it: the quote passes decide
    found = Found(INDIRECT, [_strip_chars(chunk.text, s, e) for s, e in chars],
                  (cue.idx, cue.idx + len(cue)), cue, None)
    chunk.used_cues.add(cue.i)
    chunk.items.append(found)


def _pass_stance_adjectives(chunk: _Chunk) -> None:
    """"Quist was critical of the tram plan", "the board is confident that ...":
    a person's or organisation's stated position, held in an adjective."""
    for adj in chunk.stance_adjectives:
        head = adj.head
        if adj.pos_ != "ADJ" or adj.dep_ != "acomp" or head.lemma_.lower() not in _LINKING:
            continue
        if chunk.quote_of[adj.i] >= 0 or head.i in chunk.used_cues:
            continue
        subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
        if subject is None or not is_agent(subject) or subject.lower_ in ("it", "that", "this"):
            continue
        content = None
        for child in adj.children:
            if child.i < adj.i:
                continue
            if child.dep_ in ("ccomp", "xcomp"):
                content = (child.left_edge.i, child.right_edge.i)
            elif child.dep_ == "prep" and child.lower_ in ("of", "about", "to", "on", "over",
                                                           "with", "that") and \
                    any(g.dep_ in ("pobj", "pcomp") for g in child.children):
                content = (child.i + 1, child.right_edge.i)
            if content:
                break
        if content is None or any(it.start <= adj.idx < it.end for it in chunk.items):
            continue
        rng = _clip(chunk, content[0], content[1], adj)
        if rng is None:
            continue
        if _report(chunk, *_content_chars(chunk, *rng), (adj.idx, adj.idx + len(adj)), adj,
                   noun_phrase(subject)):
            chunk.used_cues.add(adj.i)


_NOUN_CONTENT_PREPOSITIONS = {"of", "for", "on", "against", "about", "over", "to", "toward",
                               "towards"}
_OWNER_ENTITIES = {"PERSON", "ORG", "GPE", "NORP"}
# "commitment to X" states a position on X; "statements to the FBI" names a listener.
_TO_CONTENT_NOUNS = {"commitment", "opposition", "objection", "support", "pledge", "promise"}


def _noun_owner(tok: Token) -> Token | None:
    """Whose position a stance noun states: "Szabo's decision", "the Valdorian
    reluctance", "criticism from the union", "Tarnek made a condemnation of",
    "Berg is a staunch opponent of"."""
    for child in tok.children:
        if child.dep_ == "poss":
            return child
    for child in tok.children:
        if child.dep_ in ("compound", "amod") and child.i < tok.i and \
                child.ent_type_ in _OWNER_ENTITIES:
            return child
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "by") and child.i > tok.i:
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None and is_agent(pobj):
                return pobj
    head = tok.head
    lemma = tok.lemma_.lower()
    light = tok.dep_ == "dobj" and head.lemma_.lower() in LIGHT_VERBS and lemma in STANCE_NOUNS
    held = tok.dep_ == "attr" and head.lemma_.lower() in _LINKING and lemma in STANCE_AGENT_NOUNS
    if light or held:
        subject = _subject(head)
        if subject is not None and is_agent(subject) and subject.lower_ not in ("it", "that"):
            return subject
    return None


def _noun_content(tok: Token) -> tuple[int, int, int] | None:
    """Token range of a stance noun's content and the fewest words it must have:
    its that-clause, its infinitive, or its of/for/on/against ... complement."""
    for child in tok.children:
        if child.i < tok.i:
            continue
        if child.dep_ in ("acl", "ccomp", "relcl") and any(
                m.lower_ == "that" and m.dep_ == "mark" for m in child.children):
            return child.left_edge.i, child.right_edge.i, 3
        if child.dep_ == "acl" and child.pos_ in ("VERB", "AUX") and any(
                m.dep_ == "aux" and m.lower_ == "to" and m.i < child.i for m in child.children):
            return child.left_edge.i, child.right_edge.i, 3
        if child.dep_ == "prep" and child.lower_ in _NOUN_CONTENT_PREPOSITIONS and (
                child.lower_ != "to" or tok.lemma_.lower() in _TO_CONTENT_NOUNS):
            obj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
            if obj is not None and obj.ent_type_ not in ("DATE", "TIME"):
                return child.i + 1, child.right_edge.i, 2
    return None


def _pass_claim_nouns(chunk: _Chunk) -> None:
    """"his claim that ...", "Szabo's decision to ...", "the union's criticism of
    ...": reported content of a noun with an owner who holds the position."""
    doc = chunk.doc
    for tok in chunk.claim_nouns:
        if tok.pos_ != "NOUN" or chunk.quote_of[tok.i] >= 0:
            continue
        if tok.lemma_.lower() in STANCE_AGENT_NOUNS and tok.dep_ != "attr":
            continue
        content = _noun_content(tok)
        if content is None:
            continue
        owner = _noun_owner(tok)
        if owner is None or (owner.pos_ == "PRON" and owner.lower_ not in (
                "his", "her", "their", "its", "my", "our", "your", "he", "she", "they", "we")):
            continue
        if any(it.start <= tok.idx < it.end for it in chunk.items):
            continue
        rng = _clip(chunk, content[0], content[1], tok)
        if rng is None or _words(doc, *rng) < content[2]:
            continue
        _report(chunk, *_content_chars(chunk, *rng), (tok.idx, tok.idx + len(tok)), tok,
                noun_phrase(owner), quotes_inside=True)


def _pass_according_to(chunk: _Chunk) -> None:
    doc = chunk.doc
    for tok in chunk.according:
        if chunk.quote_of[tok.i] >= 0:
            continue
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        if to is None:
            continue
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        head = tok.head
        while head.head.i != head.i and head.dep_ not in ("ccomp", "conj", "parataxis") \
                and not head.is_sent_start:
            head = head.head
        if pobj is None or head.i in chunk.used_cues:
            continue
        if any(it.start <= tok.idx < it.end for it in chunk.items):
            continue
        if head.i == tok.i:
            # "According to X, the move reeks of ...", parsed with "According" as the
            # root: the clause after the comma that closes the source, to the sentence end.
            if tok.dep_ != "ROOT" or tok.i != tok.sent.start:
                continue
            comma = next((t.i for t in doc[pobj.i:tok.sent.end] if t.text == ","), None)
            if comma is None:
                continue
            a, b = comma + 1, tok.sent.end - 1
        else:
            a, b = head.left_edge.i, head.right_edge.i
        while b > a and (doc[b].is_punct or doc[b].is_space):
            b -= 1
        if head.i == tok.i:
            pass  # already the clause after the source
        elif tok.left_edge.i <= a:
            a = tok.right_edge.i + 1
        elif tok.right_edge.i >= b:
            b = tok.left_edge.i - 1
        else:
            continue  # "according to X" in mid-clause: leave the clause whole
        rng = _clip(chunk, a, b, tok) if a <= b else None
        if rng is None or _words(doc, *rng) < 3:
            continue
        source = noun_phrase(pobj)
        if head.i == tok.i and source.end > a:
            source = doc[source.start:a - 1]
        # "According to X, the move reeks of "fear"": quoted fragments make it partial.
        _report(chunk, *_content_chars(chunk, *rng), (tok.idx, to.idx + len(to)), tok, source)


def _pass_headlines(chunk: _Chunk) -> None:
    """'Tarnek Vows Valdoria Will Stand ...': a title-case line whose third-person
    reporting verb follows a name.  The parser reads such lines as one long name."""
    text = chunk.text
    pos = 0
    for line in text.splitlines(keepends=True):
        start, end = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        words = line.split()
        if not (3 <= len(words) <= 25):
            continue
        if start == 0 and chunk.first and _is_title_line(text, end):
            # The document's first line, standing alone, is its headline even in
            # sentence case or with a closing full stop.
            chunk.headlines.append((start, end))
            body = line.rstrip().rstrip(".")
        else:
            body = line.rstrip()
        if body.endswith((".", ":")):
            continue
        capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
        if capitalised < 0.7 * len(words):
            continue
        if not chunk.headlines or chunk.headlines[-1] != (start, end):
            chunk.headlines.append((start, end))
        a, b = chunk.token_range(start, end)
        toks = [t for t in chunk.doc[a:b] if not t.is_space]
        for k, tok in enumerate(toks[1:6], start=1):
            if tok.lower_ not in HEADLINE_CUES:
                continue
            speaker_toks = toks[:k]
            if not all(t.text[:1].isupper() for t in speaker_toks) or len(toks) - k < 3:
                break
            if any(chunk.used_cues & {t.i for t in toks}) or any(
                    chunk.quote_of[t.i] >= 0 for t in speaker_toks):
                break
            content_start = toks[k + 1].idx
            content_end = toks[-1].idx + len(toks[-1])
            quotes = [q for q in chunk.quotes
                      if content_start <= q.open_at and q.close_end <= content_end + 1]
            if any(chunk.quotes.index(q) in chunk.assigned for q in quotes):
                break
            kind = PARTIAL if quotes else INDIRECT
            if len(quotes) == 1 and _strip_chars(text, content_start, content_end) == (
                    quotes[0].open_at, quotes[0].close_end):
                kind = DIRECT
                parts = list(quotes[0].parts)
            else:
                parts = [_strip_chars(text, content_start, content_end)]
            speaker = chunk.doc[speaker_toks[0].i:speaker_toks[-1].i + 1]
            found = Found(kind, parts, (tok.idx, tok.idx + len(tok)), tok, speaker, quotes)
            chunk.used_cues.add(tok.i)
            for q in quotes:
                chunk.assigned[chunk.quotes.index(q)] = found
            chunk.items.append(found)
            break


def find_attributions(doc: Doc, quotes: list[QuotedSpan], text: str,
                      first: bool = True) -> list[Found]:
    """Every attribution in one parsed chunk (``text`` is the chunk's string), in order;
    ``first`` says the chunk starts the document (its first line may be the headline)."""
    chunk = _Chunk(doc, quotes, text)
    chunk.first = first
    _pass_headlines(chunk)
    _pass_after(chunk)
    _pass_before(chunk)
    _pass_reported(chunk)
    _pass_continuations(chunk)
    _pass_uncredited(chunk)
    _headline_reports(chunk)
    return sorted(chunk.items, key=lambda f: f.start)


def _is_title_line(text: str, end: int) -> bool:
    """A first line followed by a blank line, one sentence long."""
    rest = text[end:end + 4].replace("\r", "")
    if not rest.startswith("\n\n"):
        return False
    line = text[:end].rstrip().rstrip(".!?\u2019\u201d'\"")
    # '"We will not back down," the mayor said.': a quotation closed on its comma is a
    # lede's direct quote, a style headlines do not use.
    if any(f",{mark}" in line for mark in "\"\u201d'\u2019"):
        return False
    return not any(line[i] in ".!?" and line[i + 1] == " " and line[i + 2:i + 3].isupper()
                   for i in range(len(line) - 2))


def _headline_reports(chunk: _Chunk) -> None:
    """Quote marks in a headline are the headline writer's shorthand for what was
    said ("Tarnek Calls Plan 'A Disgrace'"), not a verbatim record: whatever a
    title-case line reports is reported speech."""
    for item in chunk.items:
        if item.kind != INDIRECT and any(
                a <= item.start and item.end <= b for a, b in chunk.headlines):
            item.kind = INDIRECT


def _relaxed_attribution(chunk: _Chunk, qi: int) -> bool:
    """A speech verb with a named subject later in the quotation's own sentence,
    when the strict surface patterns failed (long titles, parser slips)."""
    q = chunk.quotes[qi]
    doc = chunk.doc
    limit = chunk.quotes[qi + 1].open_at if qi + 1 < len(chunk.quotes) else len(chunk.text)
    i = chunk.token_range(q.close_end, q.close_end + 1)[0]
    for tok in doc[i:min(len(doc), i + 30)]:
        if tok.idx >= limit or (tok.is_space and "\n" in tok.text) or tok.text in _SENTENCE_END:
            return False
        if tok.i in chunk.used_cues or tok.lemma_.lower() not in NESTED_REPORT_LEMMAS:
            continue
        subject = _subject(tok)
        if subject is None or chunk.quote_of[subject.i] >= 0 or subject.i < i:
            subject = _nearest_nominal([t for t in doc[i:tok.i + 3] if not t.is_punct], tok)
        if subject is None or subject.ent_type_ not in ("PERSON", "ORG") and \
                subject.pos_ != "PRON":
            return False
        _make(chunk, DIRECT, list(q.parts), tok, subject, [q])
        return True
    return False


def _pass_uncredited(chunk: _Chunk) -> None:
    """Quoted sentences nobody is credited with are still quotations for the
    desk to attribute: a closed quotation of a whole sentence or more."""
    for qi, q in enumerate(chunk.quotes):
        if qi in chunk.assigned or not q.closed:
            continue
        words = q.text_words(chunk.text)
        if len(words) >= 3 and _relaxed_attribution(chunk, qi):
            continue
        if len(words) < 8 or not words[0][:1].isupper() or \
                not chunk.text[q.start:q.end].rstrip().endswith((".", "?", "!", ",")):
            continue
        # The speaker quoted just before (same or previous paragraph) is the one
        # news prose means; further back the desk decides.
        recent = [it for it in chunk.items if it.kind == DIRECT and it.speaker is not None
                  and it.quotes and it.quotes[-1].close_end <= q.open_at
                  and chunk.text.count("\n\n", it.quotes[-1].close_end, q.open_at) <= 1
                  and q.open_at - it.quotes[-1].close_end < 400]
        previous = max(recent, key=lambda it: it.quotes[-1].close_end) if recent else None
        found = Found(DIRECT, list(q.parts), previous.cue if previous else None,
                      previous.cue_token if previous else None,
                      previous.speaker if previous else None, [q])
        chunk.assigned[qi] = found
        chunk.items.append(found)


def _pass_continuations(chunk: _Chunk) -> None:
    """A paragraph that is nothing but a quotation, right after a paragraph whose
    quotation was credited, continues that speaker's words (the usual news layout)."""
    previous: Found | None = None
    for qi, q in enumerate(chunk.quotes):
        item = chunk.assigned.get(qi)
        if item is not None:
            previous = item if item.kind == DIRECT else None
            continue
        if previous is None or not q.closed or len(q.text_words(chunk.text)) < 6:
            previous = None
            continue
        before = chunk.text[previous.quotes[-1].close_end:q.open_at]
        after_end = chunk.text.find("\n", q.close_end)
        after = chunk.text[q.close_end:after_end if after_end >= 0 else len(chunk.text)]
        if before.count("\n") == 0 or after.strip(" .\u00a0\t\r") or \
                before[before.rfind("\n") + 1:].strip():
            previous = None
            continue
        found = Found(DIRECT, list(q.parts), previous.cue, previous.cue_token,
                      previous.speaker, [q])
        chunk.assigned[qi] = found
        chunk.items.append(found)
