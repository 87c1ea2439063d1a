"""What a cue reports: the token range of its content.

``content_range`` tries an ordered tuple of small rules, ``CONTENT_RULES``, and
takes the first range one of them finds; ``clip`` cuts every candidate at
paragraph breaks, at quotations attributed elsewhere and at the cue itself.
The other helpers turn a token range into characters (``content_chars``) and
find the "..., X said, ..." hole a parenthetical attribution leaves in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Token

from ..lexicon import (
    CONTENT_PREPOSITIONS,
    MEDIA_NOUNS,
    OBJECT_CONTENT_LEMMAS,
    PHRASAL_CUES,
    SPEECH_LEMMAS,
    STANCE_LEMMAS,
    XCOMP_CONTENT_LEMMAS,
)
from ..types import DIRECT
from .chunk import (
    BARE_OBJECT_CUES,
    SENTENCE_END,
    Chunk,
    as_of,
    circumstance_clause,
    is_agent,
    puts_it,
    reports_speech,
    strip_chars,
    subject_of,
    word_count,
)

# Speech verbs whose "to"/"at"/"with" phrase names the audience or the venue,
# not what was said ("spoke to reporters", "speaking at a rally").
_AUDIENCE_CUES = {"speak", "talk", "say", "tell", "state", "announce", "explain", "testify",
                  "write", "post", "tweet", "comment", "declare", "remark", "add", "report",
                  "address", "reiterate", "repeat", "continue"}
# Pronoun objects that are not the person the words are about.
_NOT_ABOUT = {"what", "which", "that", "it", "this", "something", "anything", "nothing"}
# Where words are said, beside the media ("in an interview", "at a rally").
_VENUE_NOUNS = {"rally", "speech", "debate", "conference", "meeting", "event", "hearing",
                "statement", "tweet", "post", "twitter", "facebook", "forum", "hall",
                "press", "briefing", "appearance", "address", "stop", "fundraiser"}
# Speech verbs whose object is not what was said: "found a way", "continued the attacks".
_NO_OBJECT_CONTENT = {"find", "continue", "read", "sing", "learn", "know", "feel"}
# A range that stops this few characters short of the end of a quotation's words
# (the quotation's final full stop or comma left out) still takes in the closing mark.
_QUOTE_END_SLACK = 2
# A prepositional phrase ending fewer than this many tokens after the cue belongs to
# the attribution ("the agency said on Monday"); a longer one is content.
_HOLE_PREPOSITION_TOKENS = 6
# Words the content needs on each side of "..., X said, ..." for the cue to be an aside
# inside it; before it, one word is enough when it opens the sentence: "Overall, she
# said, turnout will fall" reports the whole sentence, that word included.
_MIN_ASIDE_SIDE_WORDS = 2
# How far after the cue a "that" the parser misattached may stand, past adverbials
# ("tweeted in the early hours of Monday that ..."); further on it is another clause's.
_THAT_WITHIN_TOKENS = 8
# Conjunctions of a reason the parser hangs on the cue, and how far after the reported
# clause one may open to be the speaker's ("...," because ...").
_REASON_MARKS = {"because"}
_REASON_GAP = 3
# Words a sentence needs before ", experts say." to be its content, not a fragment.
_MIN_WORDS_BEFORE_TRAILING_CUE = 3


def trim_range(chunk: Chunk, a: int, b: int) -> tuple[int, int] | None:
    """Tokens a..b without punctuation, space or "and"/"but" at the edges (the start of
    a quotation's own words stays); None if nothing is left.  A subordinating "that"
    stays: "said that rents will rise" reports the clause "that rents will rise", the
    complementiser included, as the verb governs it (PolNeAR marks it so, as does PARC)."""
    doc = chunk.doc
    while a <= b and (doc[a].is_punct or doc[a].is_space
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
    # Only a quotation holding the start or the end can move them.
    for qi in chunk.quotes_around(start, end):
        q = chunk.quotes[qi]
        if q.open_at < start <= q.start:
            start = q.open_at
        nested = q.start <= start  # a report inside the quotation keeps to its words
        if not nested and (q.end <= end < q.close_end or (q.start < end <= q.end
                                                          and end + _QUOTE_END_SLACK >= q.end)):
            end = max(end, q.close_end)
    return start, end


def attribution_hole(cue: Token) -> tuple[int, int]:
    """Tokens of a parenthetical "..., X said, ..." (subject, adverbs, cue)."""
    start = cue.i
    # ("..., as she put it, ...": the "as" and the "it" are the aside's too)
    put_so = puts_it(cue)
    as_ = as_of(cue) if put_so else None
    for child in cue.lefts:
        if child.dep_ in ("nsubj", "nsubjpass", "advmod", "aux", "neg") or child == as_:
            start = min(start, child.left_edge.i)
    end = cue.i
    for child in cue.rights:
        if child.dep_ in ("nsubj", "npadvmod", "advmod") or (put_so and child.dep_ == "dobj") or (
                child.dep_ == "prep" and child.right_edge.i - cue.i < _HOLE_PREPOSITION_TOKENS):
            end = max(end, child.right_edge.i)
    return start, end


def parts_around_aside(chunk: Chunk, a: int, b: int, cue: Token) -> list[tuple[int, int]] | None:
    """"The latest test, the agency said, was its biggest": the character spans of the
    content on either side of the attribution set inside it (None if a side is empty)."""
    hole_start, hole_end = attribution_hole(cue)
    left = trim_range(chunk, a, hole_start - 1)
    right = trim_range(chunk, hole_end + 1, b)
    if left is None or right is None:
        return None
    return [strip_chars(chunk.text, *content_chars(chunk, *left)),
            strip_chars(chunk.text, *content_chars(chunk, *right))]


def _parenthetical(cue: Token, a: int, b: int) -> bool:
    """'The latest test, the agency said, was its biggest': the cue sits inside
    its content between commas, with words of the content on both sides."""
    if not reports_speech(cue):
        return False
    start, end = attribution_hole(cue)
    doc = cue.doc
    return (a < start - 1 and end + 1 < b and doc[start - 1].text == ","
            and doc[end + 1].text == ","
            and (word_count(doc, a, start - 1, stop=_MIN_ASIDE_SIDE_WORDS) >= _MIN_ASIDE_SIDE_WORDS
                 or (a == doc[a].sent.start and word_count(doc, a, start - 1, stop=1) == 1))
            and word_count(doc, end + 1, b, stop=_MIN_ASIDE_SIDE_WORDS) >= _MIN_ASIDE_SIDE_WORDS)


def _reported_around(item, cue: Token) -> bool:
    """Is ``cue`` inside what ``item`` reports, unquoted? ('asking Clinton to repudiate a
    general who suggested the US should "segregate" radicals': the general's words sit in
    the organisations' report, quoted words and all.)"""
    return item.kind != DIRECT and item.start <= cue.idx < item.end


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
            if _reported_around(chunk.assigned[qi], cue):
                # its words run on into quoted words of the report around it: cut there,
                # they would be a fragment ("that the city should"), so nothing is found
                return None
            b = i - 1
            break
        if tok.text in (":", ";") and i + 1 <= b:
            nxt = i + 1
            while nxt <= b and doc[nxt].is_space:
                nxt += 1
            if nxt <= b and chunk.quote_of[nxt] >= 0:
                b = i - 1
                break
    # ', saying it is "..."', ', calling it "..."': a participle that reports again
    # after a comma opens a report of its own (so after a quotation the comma closes:
    # '"It's time we change," promising the club will return').
    # (the cue ids first: a Token per position is the expensive part of a scan)
    # So does a speech verb after "and" with no subject of its own ('said he was
    # "ignorant" of Islam and criticized him for ...'): the speaker's next report.
    for i in range(a + 2, b + 1):
        end = _next_report_ends(chunk, i, cue) if i in chunk.speech_cue_ids else None
        if end is not None:
            b = end
            break
    # A non-restrictive relative clause at the end ("..., which aims to oust the
    # monarchy", "..., who died in 1981") is the writer's aside -- unless it holds
    # quoted words, part of the report -- or, when it reports someone else ("...,
    # which the council says ..."), a separate attribution.
    cue_ids = chunk.speech_cue_ids
    for i in range(a, b + 1):
        tok = doc[i]
        if tok.dep_ == "relcl" and tok.right_edge.i >= b and tok.left_edge.i > a:
            inside = range(tok.left_edge.i, tok.right_edge.i + 1)
            if any(chunk.quote_of[j] >= 0 for j in inside) and not any(j in cue_ids for j in inside):
                break
            comma = tok.left_edge.i - 1
            if comma > a and doc[comma].text == ",":
                b = comma - 1
                break
    return trim_range(chunk, a, b)


_CONTRASTING = frozenset({"while", "whereas", "but"})


def _next_report_ends(chunk: Chunk, i: int, cue: Token) -> int | None:
    """Where a range ends that runs on into the speech verb at ``i``, when that verb
    opens a report of its own (the comma stays out, a closing mark stays in)."""
    doc = chunk.doc
    verb = doc[i]
    if i == cue.i:
        return None
    if verb.tag_ == "VBG" and doc[i - 1].text == ",":
        return i - 2
    if verb.tag_ == "VBG" and doc[i - 1].is_quote and doc[i - 2].text == "," and chunk.quote_of[i - 2] >= 0:
        return i - 1
    if doc[i - 1].lower_ == "and" and verb.tag_ in ("VBD", "VBZ") and \
            not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return i - 2
    # ('suggested that X, while Cruz said that Y', 'while other voters said': a report by
    # someone else, set against this one after a comma)
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < i), None)
    joint = subject.left_edge.i - 1 if subject is not None else -1
    if joint > 1 and doc[joint].lower_ in _CONTRASTING and doc[joint - 1].text == "," and \
            is_agent(subject):
        return joint - 2
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


# ------------------------------------------------------------------ content rules
# ``content_range`` asks each rule in ``CONTENT_RULES`` in turn; the first one that
# finds a (clipped, non-empty) range wins.  A rule returns the first and last token
# of the content and the content's head, or None to leave the question to the next
# rule.  The order runs from the clearest evidence in the parse (a clausal
# complement) to surface guesses about the whole sentence.
Content = tuple[int, int, Token]


@dataclass(frozen=True)
class CueContext:
    """What every content rule asks of the cue, read once."""

    token: Token
    lemma: str
    children: list[Token]

    @property
    def broad(self) -> bool:
        """A stance or phrasal verb, or a speech verb whose object can be content."""
        return self.lemma in OBJECT_CONTENT_LEMMAS or self.lemma in STANCE_LEMMAS \
            or self.lemma in PHRASAL_CUES


def _clipped(chunk: Chunk, a: int, b: int, cue: Token, head: Token) -> Content | None:
    rng = clip(chunk, a, b, cue)
    return (rng[0], rng[1], head) if rng else None


def clausal_complement(chunk: Chunk, cue: CueContext) -> Content | None:
    """The cue's clausal complement ("said they would ...").  "The audit stirred a
    row: officials said they ...": of two clauses, the one after the cue is what it
    reports."""
    own_quote = chunk.quote_of[cue.token.i]
    for child in sorted(cue.children, key=lambda c: c.i < cue.token.i):
        if child.dep_ != "ccomp" or circumstance_clause(child):
            continue
        qi = chunk.quote_of[child.i]
        if qi >= 0 and qi != own_quote and qi in chunk.assigned:
            continue  # the parser hung someone else's quotation on this verb
        if child.i < cue.token.i and any(t.text in (":", ";") for t in
                                         cue.token.doc[child.right_edge.i + 1:cue.token.i]):
            continue  # 'sounded equivocal: Harman called it "..."': a sentence of its own
        found = _clipped(chunk, child.left_edge.i, _second_that_clause(cue.token, child),
                         cue.token, child)
        if found:
            return found
    return None


def _second_that_clause(cue: Token, clause: Token) -> int:
    """Where the cue's clause ends, past a second one: "said that their father could be
    unyielding and that Lars had struggled" is one report of two things said. A clause
    that opens with "that" cannot stand on its own, so one the parser coordinated with
    the cue itself is the cue's."""
    end = clause.right_edge.i
    for conj in cue.rights:
        if conj.i > end and (_second_that(conj) or _reason_after(conj, end)):
            end = conj.right_edge.i
    return end


def _second_that(conj: Token) -> bool:
    return conj.dep_ == "conj" and any(
        c.dep_ == "mark" and c.lower_ == "that" for c in conj.children)


def _reason_after(clause: Token, end: int) -> bool:
    """'wrote that the request was "futile," because ...': a reason the parser hung
    on the cue, opening straight after the reported clause (ending at token ``end``),
    is the speaker's."""
    return clause.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in _REASON_MARKS and c.i == clause.left_edge.i
        and c.i <= end + _REASON_GAP for c in clause.children)


def that_clause(chunk: Chunk, cue: CueContext) -> Content | None:
    """"She argued that ..." / "He tweeted in the early hours that ..." with the
    clause misattached by the parser: "that" and the words after it to the sentence end."""
    token = cue.token
    doc = token.doc
    nxt = token.i + 1
    while nxt < len(doc) and nxt <= token.i + _THAT_WITHIN_TOKENS and not (
            doc[nxt].lower_ == "that" and doc[nxt].dep_ != "det") and doc[nxt].dep_ in (
            "prep", "pobj", "det", "amod", "compound", "advmod", "npadvmod", "nummod", "poss"):
        nxt += 1
    if not (nxt < len(doc) and doc[nxt].lower_ == "that" and cue.lemma in SPEECH_LEMMAS):
        return None
    clause = doc[nxt].head
    if doc[nxt].dep_ == "mark" and clause.i > nxt and clause.left_edge.i >= nxt:
        end = clause.right_edge.i
    else:
        end = nxt
        while end + 1 < len(doc) and not doc[end + 1].is_sent_start and \
                doc[end + 1].text not in SENTENCE_END:
            end += 1
    return _clipped(chunk, nxt, end, token, doc[nxt])


def adverbial_clause_or_gerund(chunk: Chunk, cue: CueContext) -> Content | None:
    """A speech verb's content the parser did not make a complement: "said after the
    meeting he would not accept" (a finite clause with its own subject and no
    subordinator, made adverbial) or "admitted using the fund" (a gerund)."""
    if cue.lemma not in SPEECH_LEMMAS:
        return None
    for child in cue.children:
        if child.i < cue.token.i:
            continue
        grand = list(child.children)
        finite = child.dep_ == "advcl" and not any(g.dep_ == "mark" for g in grand) \
            and not any(g.tag_ in ("WRB", "WDT") and g.i < child.i for g in grand) \
            and any(g.dep_ in ("nsubj", "nsubjpass") for g in grand) \
            and (child.tag_ in ("VBD", "VBZ", "VBP") or any(g.dep_ == "aux" for g in grand))
        gerund = child.dep_ == "xcomp" and child.tag_ == "VBG" and cue.lemma != "continue"
        if finite or gerund:
            found = _clipped(chunk, child.left_edge.i, child.right_edge.i, cue.token, child)
            if found:
                return found
    return None


def open_complement(chunk: Chunk, cue: CueContext) -> Content | None:
    """"plans to release the audit", "vowed to resign": the infinitive of a verb
    whose open complement is what it reports."""
    if cue.lemma not in XCOMP_CONTENT_LEMMAS:
        return None
    for child in cue.children:
        if child.dep_ == "xcomp" and child.i > cue.token.i:
            found = _clipped(chunk, child.left_edge.i, child.right_edge.i, cue.token, child)
            if found:
                return found
    return None


def listener_and_infinitive(chunk: Chunk, cue: CueContext) -> Content | None:
    """"told his supporters to go and vote": the listener and the infinitive."""
    if cue.lemma not in BARE_OBJECT_CUES:
        return None
    children = cue.children
    xcomp = next((c for c in children if c.dep_ == "xcomp" and c.i > cue.token.i and any(
        g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
    if xcomp is None:
        return None
    listener = next((c for c in children if c.dep_ == "dobj" and cue.token.i < c.i < xcomp.i),
                    None)
    first = listener.left_edge.i if listener is not None else xcomp.left_edge.i
    right = max(c.right_edge.i for c in children if c.i >= xcomp.i and c.dep_ in (
        "xcomp", "prep", "ccomp", "conj", "dobj", "punct") and not c.is_sent_end)
    return _clipped(chunk, first, right, cue.token, xcomp)


def passive_subject(chunk: Chunk, cue: CueContext) -> Content | None:
    """"The figures were first reported by the Coastal Wire": the passive subject."""
    children = cue.children
    passive = next((c for c in children if c.dep_ == "nsubjpass" and c.i < cue.token.i), None)
    if passive is None or passive.pos_ == "PRON" or not any(
            c.dep_ == "agent" for c in children) or cue.lemma in BARE_OBJECT_CUES:
        return None
    return _clipped(chunk, passive.left_edge.i, passive.right_edge.i, cue.token, passive)


def direct_object(chunk: Chunk, cue: CueContext) -> Content | None:
    """"mentioned the ferry deal", "cited rising costs": a speech verb's object is
    what was said (not so for the listener of "told the council"); so is a stance
    verb's, and "called him 'a genius'" has the predicate after a pronoun object."""
    lemma = cue.lemma
    token = cue.token
    said_object = lemma in SPEECH_LEMMAS and lemma not in BARE_OBJECT_CUES \
        and (lemma not in _NO_OBJECT_CONTENT or _finding(token))
    if not (cue.broad or said_object or token.pos_ == "ADJ"):
        return None
    children = cue.children
    objs = [c for c in children if c.dep_ in ("dobj", "attr") and c.i > token.i
            and c.pos_ != "PRON"]
    start = None
    if not objs:
        pronoun = next((c for c in children if c.dep_ == "dobj" and c.i > token.i
                        and c.pos_ == "PRON" and c.lower_ not in ("what", "which", "that")), None)
        complements = [c for c in children if c.dep_ == "oprd" and c.i > token.i]
        if pronoun is not None:
            objs = complements
            start = pronoun.i  # "called it 'meritless'": what was called so, with it
        elif len(complements) > 1 and not any(c.dep_ == "dobj" for c in children):
            # 'called both Trump and Clinton "crazy"': the object read as a complement
            objs = complements
    if not objs:
        return None
    right = max((c.right_edge.i for c in children
                 if c.i > token.i and c.dep_ in ("dobj", "prep", "dative", "oprd", "ccomp",
                                                 "xcomp") and not _circumstance(c)), default=-1)
    right = max(right, objs[0].right_edge.i)  # (an "attr" object is not in that list)
    return _clipped(chunk, objs[0].left_edge.i if start is None else start, right, token, objs[0])


def content_preposition(chunk: Chunk, cue: CueContext) -> Content | None:
    """"talked about X", "voted against X", "called for X" -- but not the audience or
    venue of "spoke to reporters", "speaking at a rally"."""
    if not (cue.broad or cue.lemma in SPEECH_LEMMAS):
        return None
    token = cue.token
    children = cue.children
    for child in children:
        if child.dep_ == "prep" and child.lower_ in CONTENT_PREPOSITIONS and \
                child.i > token.i and any(g.dep_ in ("pobj", "pcomp") for g in child.children) \
                and not (cue.lemma in _AUDIENCE_CUES and child.lower_ in ("to", "at", "with")) \
                and not _when(child):
            # Modifiers the parser hung on the verb still belong to the content
            # ("decided against X during the forum").
            # "called on the minister to resign": the infinitive too.
            right = max([child.right_edge.i] + [
                c.right_edge.i for c in children if c.i > child.i and not _circumstance(c)
                and (c.dep_ in ("prep", "npadvmod", "advmod", "pobj", "xcomp", "ccomp")
                     or (c.dep_ == "advcl" and any(
                         a.dep_ == "aux" and a.lower_ == "to" for a in c.children)))])
            # "accused him of lying", "described herself as a moderate": the person the
            # words are about comes with them (a named one already does, as the object).
            first = child.i + 1
            pronoun = next((c for c in children if c.dep_ == "dobj" and c.pos_ == "PRON"
                            and token.i < c.i < child.i and c.lower_ not in _NOT_ABOUT), None)
            if pronoun is not None:
                first = pronoun.i
            found = _clipped(chunk, first, right, token, child)
            if found:
                return found
    return None


def _circumstance(child: Token) -> bool:
    """A modifier of the cue that says when or where the words were said, not what:
    "endorsed Berg *on Thursday*", "praised the plan *in an interview*", "announced
    his candidacy *in June 2015*" (the content ends before it)."""
    if child.dep_ == "npadvmod":
        return child.ent_type_ in ("DATE", "TIME")
    if child.dep_ != "prep":
        return False
    if _when(child):
        return True
    objects = [g for g in child.children if g.dep_ == "pobj"]
    return child.lower_ in ("on", "in", "during", "at", "via") and bool(objects) and all(
        g.lemma_.lower() in MEDIA_NOUNS or g.lemma_.lower() in _VENUE_NOUNS for g in objects)


def _when(prep: Token) -> bool:
    """"lashed out over the weekend", "spoke on Monday": a time, not what was said."""
    objects = [g for g in prep.children if g.dep_ == "pobj"]
    return bool(objects) and all(g.ent_type_ in ("DATE", "TIME") for g in objects)


def parenthetical_head(chunk: Chunk, cue: CueContext) -> Content | None:
    """"The latest test, the agency said, was its biggest" with the cue parsed as an
    aside (parataxis) of the clause around it: that clause."""
    token = cue.token
    head = token.head
    if token.dep_ != "parataxis" or not _parenthetical(token, head.left_edge.i,
                                                       head.right_edge.i):
        return None
    return _clipped(chunk, head.left_edge.i, head.right_edge.i, token, head)


def clause_before_aside(chunk: Chunk, cue: CueContext) -> Content | None:
    """"Rents will rise -- the mayor warned": an aside after its clause reports the
    words before it."""
    token = cue.token
    head = token.head
    if token.dep_ != "parataxis" or head.i >= token.left_edge.i:
        return None
    return _clipped(chunk, head.left_edge.i, token.left_edge.i - 1, token, head)


def sentence_around_aside(chunk: Chunk, cue: CueContext) -> Content | None:
    """"That is why, he argued, the council should wait": the parser hung the aside
    on the later clause; the whole sentence is the content."""
    token = cue.token
    if cue.lemma not in SPEECH_LEMMAS or token.dep_ != "parataxis":
        return None
    sent = token.sent
    a, b = sent.start, sent.end - 1
    if not _parenthetical(token, a, b):
        return None
    return _clipped(chunk, a, b, token, sent.root)


def clause_put_so(chunk: Chunk, cue: CueContext) -> Content | None:
    """"The plan would, as she put it, 'make sure it works'": the clause that "as X
    put it" hangs on is what X said."""
    token = cue.token
    if token.head.i == token.i or not puts_it(token):
        return None
    head = token.head
    a, b = head.left_edge.i, head.right_edge.i
    start, end = attribution_hole(token)
    if start <= a:  # "As she put it, ...": the words after the aside
        a = end + 1
    elif end >= b:  # "..., as she put it.": the words before it
        b = start - 1
    return _clipped(chunk, a, b, token, head)


def sentence_before_trailing_cue(chunk: Chunk, cue: CueContext) -> Content | None:
    """"Fares unclear on whether pensioners are covered, experts say.": a sentence
    that ends in its attribution reports the words before the comma."""
    token = cue.token
    if cue.lemma not in SPEECH_LEMMAS or token.dep_ != "ROOT":
        return None
    doc = token.doc
    sent = token.sent
    a = sent.start
    start, _end = attribution_hole(token)
    tail = [t for t in doc[token.i + 1:sent.end] if not (t.is_punct or t.is_space)]
    if tail or not (start - 1 > a and doc[start - 1].text == ","
                    and word_count(doc, a, start - 2, stop=_MIN_WORDS_BEFORE_TRAILING_CUE)
                    >= _MIN_WORDS_BEFORE_TRAILING_CUE):
        return None
    rng = clip(chunk, a, start - 2, token)
    return (rng[0], rng[1], doc[rng[0]]) if rng else None


CONTENT_RULES: tuple[Callable[[Chunk, CueContext], Content | None], ...] = (
    clausal_complement,
    that_clause,
    adverbial_clause_or_gerund,
    open_complement,
    listener_and_infinitive,
    passive_subject,
    direct_object,
    content_preposition,
    parenthetical_head,
    clause_before_aside,
    sentence_around_aside,
    clause_put_so,
    sentence_before_trailing_cue,
)


def content_range(chunk: Chunk, cue: Token) -> Content | None:
    """Token range of what the cue reports, and the head of that content: the
    range of the first rule in ``CONTENT_RULES`` that finds one."""
    context = CueContext(cue, cue.lemma_.lower(), list(cue.children))
    for rule in CONTENT_RULES:
        found = rule(chunk, context)
        if found is not None:
            return found
    return None
