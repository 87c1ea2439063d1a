"""The state the attribution passes share over one parsed chunk, and common helpers.

``Chunk`` holds the parsed ``Doc``, its quotations and what the passes have decided
so far (which cues and quotations are taken, the items found); ``Found`` is one
attribution.  The helpers answer questions every pass asks: is this token a
cue, who is its subject, what is the speaker's noun phrase.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy
from spacy.attrs import IDX, LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from ..lexicon import (
    DOCUMENT_NOUNS,
    HUMAN_NOUNS,
    LEMMA_FIXES,
    MENTAL_LEMMAS,
    ORG_NOUNS,
    PERSON_ROLE_NOUNS,
    PHRASAL_CUES,
    POLL_NOUNS,
    SHARE_WORDS,
    SPEECH_LEMMAS,
    STANCE_ADJECTIVES,
    STANCE_AGENT_NOUNS,
    STANCE_LEMMAS,
    STANCE_NOUNS,
    UNNAMED_SOURCE_NOUNS,
    WEEKDAYS,
    WORDED_NOUNS,
)
from ..quotes import QuotedSpan

# Tokens that end a sentence for the surface scans around a quotation.
SENTENCE_END = {".", "!", "?", ";"}
# Speech verbs whose object is the listener, not what was said ("told the council").
BARE_OBJECT_CUES = {"tell", "ask", "inform", "remind", "assure", "reassure", "warn", "advise"}
# Clauses searched for a cue's subject: its own and up to three it hangs from
# ("said, adding that ...", "In defending the plan, X ..."); higher up, the subject
# is usually another clause's.
_SUBJECT_CLAUSES = 4


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
    # Characters the item opens with that the desk leaves out, kept in the item as
    # attribution corpora mark them: 'that "' opening a direct quote the reporter's
    # "that" introduces, or a relative pronoun (and the space joining it to the rest)
    # that stands for what was said ('which "a disgrace"', 'which' + 'was late'; see
    # ``sources.record_led``).
    lead_in: int = 0

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


class ItemsAround:
    """Which items' ranges hold a position, for a pass that asks at positions that only
    grow while it appends items (and at most takes back the one it just added) and
    changes no item's range: each item enters once and is dropped once it ends before
    the position asked, instead of a pass over every item of the chunk per question
    (the square of the items in a chunk dense with reports).  ``keep`` chooses the
    items considered.  Asked out of order, or after an item it has seen was taken back,
    it starts over, so the answer is always a full scan's."""

    def __init__(self, items: list[Found], keep: Callable[[Found], bool] | None = None):
        self._items = items
        self._keep = keep
        self._restart()

    def _restart(self) -> None:
        self._entered: list[Found] = []
        self._waiting: list[tuple[int, int]] = []  # (start, index) of items not yet begun
        self._open: list[int] = []  # indices of begun items, the earliest first
        self._pos = -1

    def first(self, pos: int, upto: int | None = None) -> Found | None:
        """The first item, in list order, with start <= pos < end among the first
        ``upto`` items (all by default); None if there is none."""
        items = self._items
        stop = len(items) if upto is None else min(upto, len(items))
        seen = len(self._entered)
        if pos < self._pos or seen > stop or (seen and items[seen - 1] is not self._entered[-1]):
            self._restart()
            seen = 0
        self._pos = pos
        for index in range(seen, stop):
            item = items[index]
            self._entered.append(item)
            if self._keep is None or self._keep(item):
                heapq.heappush(self._waiting, (item.start, index))
        while self._waiting and self._waiting[0][0] <= pos:
            heapq.heappush(self._open, heapq.heappop(self._waiting)[1])
        while self._open and items[self._open[0]].end <= pos:
            heapq.heappop(self._open)
        return items[self._open[0]] if self._open else None


_AGENT_PRONOUNS = {"he", "she", "they", "we", "i", "you", "who", "it"}
# The same people as objects ("led her to declare").
_OBJECT_PRONOUNS = {"him", "her", "them", "me", "us"}
_AGENT_ENTITIES = {"PERSON", "ORG", "GPE", "NORP"}


def is_agent(token: Token) -> bool:
    """Could this subject hold a position? (people, organisations, their words)"""
    if token.ent_type_ in _AGENT_ENTITIES or token.pos_ == "PROPN":
        return True
    lower = token.lower_
    if token.pos_ == "PRON":
        return lower in _AGENT_PRONOUNS
    lemma = token.lemma_.lower()
    if token.like_num or lemma in SHARE_WORDS:
        # "Forty percent of voters oppose ...": a share of people holds their position.
        whole = next((g for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                      for g in c.children if g.dep_ == "pobj"), None)
        return whole is not None and is_agent(whole)
    return lemma in HUMAN_NOUNS or lemma in PERSON_ROLE_NOUNS or lemma in ORG_NOUNS


# Words that open a clause saying when or why, not what ("says as a photo is shown").
_SUBORDINATORS = frozenset({"as", "when", "while", "before", "after", "until", "once", "because",
                            "since", "whenever"})


def circumstance_clause(clause: Token) -> bool:
    """'"...," a voice-over says as a photo of the pier is shown': a clause the parser
    made the verb's complement, though the word it split off before it ("as", "when",
    "while") makes it say when the words were said, not what."""
    start = clause.left_edge.i
    if start == 0:
        return False
    before = clause.doc[start - 1]
    return before.lower_ in _SUBORDINATORS and before.head.i == clause.head.i and \
        before.dep_ in ("prep", "mark", "advmod")


def relative_clause(clause: Token) -> bool:
    """'told the lawmakers and millions watching at home who could guess ...': a clause
    whose subject is a relative pronoun right after a noun describes that noun, though
    the parser made it the verb's complement ("asked who would win" is a question)."""
    def after_a_noun(i: int) -> bool:
        if i > 1 and clause.doc[i - 1].text == ",":
            i -= 1  # ("said his best friend, Bruce Turry, who, like ..., remembered")
        return i > 0 and clause.doc[i - 1].pos_ in ("NOUN", "PROPN")

    if any(c.dep_ == "nsubj" and c.tag_ in ("WP", "WDT") and after_a_noun(c.i)
           for c in clause.children):
        return True
    # 'said in a statement issued an hour before': a participle straight after a noun,
    # with no subject of its own, is a reduced relative clause on that noun.
    return clause.tag_ in ("VBN", "VBD") and clause.left_edge.i == clause.i and \
        clause.doc[clause.i - 1].pos_ == "NOUN" and \
        not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children)


def as_of(verb: Token) -> Token | None:
    """The "as" opening "as X put it" before ``verb``: a marker, or a preposition when the
    parser takes the speaker for its object ("As Norden, a professor, put it")."""
    return next((c for c in verb.children if c.lower_ == "as" and c.i < verb.i
                 and c.dep_ in ("mark", "prep")), None)


def puts_it(token: Token) -> bool:
    """'As Milbank puts it, "..."': "as X put it" credits X with the words."""
    return token.lemma_.lower() == "put" and \
        any(c.dep_ == "dobj" and c.lower_ == "it" for c in token.children) and \
        as_of(token) is not None


def reports_speech(token: Token) -> bool:
    """A verb of saying: a speech verb, or "as X put it"."""
    return token.lemma_.lower() in SPEECH_LEMMAS or puts_it(token)


def is_cue(token: Token) -> bool:
    lemma = token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX"):
        if lemma in SPEECH_LEMMAS or lemma in STANCE_LEMMAS or (lemma == "put" and puts_it(token)):
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


def _that_clause_verb(that: Token) -> Token | None:
    """"Lind groused that the paper ...", "the board ordered that ...": a verb whose
    subject could hold a position and whose object is a that-clause reports what they
    said or think, whether or not the lexicon lists it."""
    clause = that.head
    if that.dep_ != "mark" or clause.dep_ != "ccomp":
        return None
    verb = clause.head
    if verb.pos_ != "VERB" or verb.i > clause.i or verb.lemma_ in ("be", "have"):
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    # ("It appears that ...": an expletive "it" is nobody)
    return verb if subject is not None and subject.lower_ != "it" and is_agent(subject) else None


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
            "polls": numpy.array([strings.add(f) for w in POLL_NOUNS for f in (w, w + "s")],
                                 dtype="uint64"),
            "that": strings.add("that"),
            "misread": numpy.array([strings.add(w) for w in LEMMA_FIXES], dtype="uint64"),
            "stance_adjectives": numpy.array([strings.add(w) for w in STANCE_ADJECTIVES],
                                             dtype="uint64"),
        }
    return _HASHES[key]


class Chunk:
    """One parsed chunk, its quotations, and what the passes have taken so far."""

    def __init__(self, doc: Doc, quotes: list[QuotedSpan], text: str,
                 titles: list[QuotedSpan] | None = None):
        self.doc = doc
        self.text = text  # Doc.text re-joins every token on each access
        self.quotes = quotes
        self.titles = titles or []  # titles of works in quote marks: names, not words
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
        known = {t.i for t in self.cues}
        for i in numpy.flatnonzero(lowers == hashes["that"]):
            verb = _that_clause_verb(doc[int(i)])
            if verb is not None and verb.i not in known:
                known.add(verb.i)
                self.cues.append(verb)
        self.cues.sort(key=lambda t: t.i)
        # Cues whose verb reports speech, not thought (asked per content range: once here).
        self.speech_cue_ids = {t.i for t in self.cues if t.lemma_.lower() in SPEECH_LEMMAS
                               and t.lemma_.lower() not in MENTAL_LEMMAS}
        self.according = [doc[int(i)] for i in numpy.flatnonzero(lowers == hashes["according"])]
        self.polls = [doc[int(i)] for i in numpy.flatnonzero(numpy.isin(lowers, hashes["polls"]))]
        self.stance_adjectives = [doc[int(i)] for i in numpy.flatnonzero(
            numpy.isin(lowers, hashes["stance_adjectives"]))]
        self.claim_nouns = [doc[int(i)] for i in numpy.flatnonzero(
            numpy.isin(lemmas, hashes["claim_nouns"]))]
        self.quote_of = [-1] * len(doc)
        for qi, q in enumerate(quotes):
            a, b = self.token_range(q.open_at, q.close_end)
            for i in range(a, b):
                self.quote_of[i] = qi
        # The scanner's quotations follow one another without overlapping (nested ones
        # are inner), so the ones in or around a stretch are found by bisection instead
        # of a pass over all of them for every item; any other list is scanned whole.
        self.quote_opens = [q.open_at for q in quotes]
        self._ordered = all(p.close_end <= q.open_at for p, q in itertools.pairwise(quotes))
        self._index_of = {id(q): qi for qi, q in enumerate(quotes)}
        self._by_words: dict[tuple[int, int], list[int]] = {}
        for qi, q in enumerate(quotes):
            self._by_words.setdefault((q.start, q.end), []).append(qi)
        # Doc.ents rebuilds its list on every access; read it once.
        self.ents = list(doc.ents)
        self.used_cues: set[int] = set()
        self.headlines: list[tuple[int, int]] = []  # headline lines, set by pass_headlines
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

    # ------------------------------------------------------------ quotations
    def quotes_within(self, start: int, end: int) -> list[int]:
        """Indices, in order, of the quotations whose marks lie within [start, end)."""
        if not self._ordered:
            return [qi for qi, q in enumerate(self.quotes)
                    if start <= q.open_at and q.close_end <= end]
        found = []
        for qi in range(bisect.bisect_left(self.quote_opens, start), len(self.quotes)):
            q = self.quotes[qi]
            if q.open_at >= end:
                break
            if q.close_end <= end:
                found.append(qi)
        return found

    def quotes_around(self, *positions: int) -> list[int]:
        """Indices, in order, of the quotations that may hold one of ``positions``: the
        last to open before each (a quotation wholly between two positions holds
        neither)."""
        if not self._ordered:
            return list(range(len(self.quotes)))
        found = {bisect.bisect_left(self.quote_opens, pos) - 1 for pos in positions}
        return sorted(qi for qi in found if qi >= 0)

    def quotes_overlapping(self, start: int, end: int) -> list[int]:
        """Indices, in order, of the quotations whose marks overlap [start, end)."""
        if not self._ordered:
            return [qi for qi, q in enumerate(self.quotes) if q.open_at < end and start < q.close_end]
        found = []
        for qi in range(max(0, bisect.bisect_left(self.quote_opens, start) - 1), len(self.quotes)):
            q = self.quotes[qi]
            if q.open_at >= end:
                break
            if start < q.close_end:
                found.append(qi)
        return found

    def first_quote_from(self, pos: int) -> int:
        """Index of the first quotation (in order) that opens at or after ``pos``, or
        ``len(quotes)``."""
        if not self._ordered:
            return next((qi for qi, q in enumerate(self.quotes) if q.open_at >= pos), len(self.quotes))
        return bisect.bisect_left(self.quote_opens, pos)

    def index_of(self, quote: QuotedSpan) -> int:
        """``quotes.index(quote)`` without comparing it with every quotation before it."""
        qi = self._index_of.get(id(quote))
        return qi if qi is not None else self.quotes.index(quote)

    def in_title(self, start: int, end: int) -> bool:
        """Characters start..end lie inside the title of a work in quote marks."""
        return any(t.start <= start and end <= t.end for t in self.titles)

    def quotes_with_words(self, span: tuple[int, int] | None) -> list[int]:
        """Indices of the quotations whose words are exactly ``span``."""
        return self._by_words.get(span, []) if span is not None else []

    def chars(self, a: int, b: int) -> tuple[int, int]:
        """Characters of tokens a..b inclusive."""
        return self.doc[a].idx, self.doc[b].idx + len(self.doc[b])


def _reporting_verb_around(token: Token) -> Token | None:
    """The speech verb whose reported clause holds ``token``, if any: its ccomp, or the
    clause of the noun it takes as object ("denied the notion that ..."). Not a verb of
    a quotation that opens after ``token`` ('Weaver didn't seem impressed, telling
    reporters, "A lot of people said ..."', where the parser made the quotation's verb
    the head of the sentence)."""
    start = token
    for _ in range(_SUBJECT_CLAUSES):
        reporter = None
        if token.dep_ == "ccomp" and token.head.lemma_.lower() in SPEECH_LEMMAS:
            reporter = token.head
        elif token.dep_ == "acl" and token.head.dep_ == "dobj" and \
                token.head.head.lemma_.lower() in SPEECH_LEMMAS:
            reporter = token.head.head
        if reporter is not None:
            return None if _opened_between(start, reporter) else reporter
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def _speaking_verb_before(verb: Token) -> Token | None:
    """'It was a potent punch, as Mrs. Clinton echoed the criticism, saying ...': when
    the clause the parser hung ``verb`` on has no one to speak for it ("It was ..." is
    about something; nobody speaks through it), ``verb`` goes with the speaking clause
    right before it."""
    head = verb.head
    if any(c.dep_ == "nsubj" and is_agent(c) and not (c.lower_ == "it" and head.lemma_ == "be")
           for c in head.children):
        return None
    return next((c for c in head.children if c.dep_ == "advcl" and c.right_edge.i < verb.i
                 and is_cue(c) and any(g.dep_ == "nsubj" and is_agent(g) for g in c.children)), None)


def _opening_mark(t: Token) -> bool:
    """A quote mark that opens quoted words: one with a word straight after it, as the
    tagger reads the archive's two apostrophes as a closing mark either way."""
    return t.is_quote and (t.tag_ == "``" or (
        t.whitespace_ == "" and t.i + 1 < len(t.doc) and not t.nbor(1).is_punct))


def _opened_between(token: Token, later: Token) -> bool:
    """Whether quoted words that open after ``token`` are still open at ``later``."""
    depth = 0
    for t in token.doc[token.i + 1:later.i]:
        if _opening_mark(t):
            depth += 1
        elif t.is_quote and depth:
            depth -= 1
    return depth > 0


# How near after a participle of speech its quoted words open ("called Trump "...").
_QUOTE_AFTER_PARTICIPLE = 6


def _verb_of_the_noun_before(verb: Token) -> bool:
    """'a man yelled "Stay there!"': a verb in the past tense the parser hung on the
    noun before it, as if a reduced relative (those take the participle), is that
    noun's own verb; so is a participle of speech before quoted words ('one lawmaker
    called Trump "the orange prince"' is not a lawmaker named Trump)."""
    if verb.dep_ != "acl" or verb.head.i > verb.i or not is_agent(verb.head):
        return False
    return verb.tag_ == "VBD" or (verb.tag_ == "VBN" and verb.lemma_.lower() in SPEECH_LEMMAS and any(
        _opening_mark(t) for t in verb.doc[verb.i + 1:verb.i + _QUOTE_AFTER_PARTICIPLE]))


def subject_of(cue: Token) -> Token | None:
    """Who speaks through ``cue``: its subject, the agent of a passive, or the
    subject of a clause it hangs from."""
    token = cue
    for _ in range(_SUBJECT_CLAUSES):
        # Of two subjects (a mis-split name), the proper noun is the speaker, and not a
        # wire story's dateline ("PHILADELPHIA, July 25 (UPI) - The committee released");
        # of two proper nouns, the one nearer the verb ('Speaking in Salem, New Hampshire,
        # Lind went after Berg': the place ends the phrase before the subject).
        children = sorted(token.children, key=lambda c: (
            c.dep_ != "nsubj" or c.pos_ != "PROPN",
            c.dep_ == "nsubj" and _dateline_dash(c.doc, c.i, min(len(c.doc) - 1, c.i + 9)) is not None,
            -c.i if c.dep_ == "nsubj" and c.i < token.i else 0))
        for child in children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                if child.dep_ == "nsubjpass":
                    if token.i != cue.i and is_agent(child):
                        # 'Silverman was joined on stage by Franken and joked': a verb
                        # sharing a passive's subject shares the subject, not the agent.
                        return child
                    agent = [g for g in token.children if g.dep_ == "agent"]
                    if agent:
                        pobj = [p for p in agent[0].children if p.dep_ == "pobj"]
                        return pobj[0] if pobj else None
                    return None
                if child.lower_ in WEEKDAYS and child.left_edge.i == child.i:
                    # 'Saturday at the convention Sen. Ana Lind (D-VA) said': a day
                    # never speaks; the name between it and the verb does.
                    named = next((e for e in token.doc.ents if child.i < e.start and e.end <= token.i
                                  and e.label_ in ("PERSON", "ORG")), None)
                    if named is None:
                        continue
                    return named.root
                if child.pos_ == "ADP":
                    # 'Of Carson, Levine said': a preposition cannot speak; the parser
                    # hung the speaker under the phrase that opens the sentence, as its
                    # object or beside it ('Of Holt, Berg, who ..., said'). (A name the
                    # tagger read as a preposition, "From said", has no object.)
                    obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if obj is not None:
                        beside = next((c for c in obj.children if c.dep_ in ("conj", "appos")
                                       and c.i > obj.i and is_agent(c)), None)
                        named = beside or (obj if is_agent(obj) else None)
                        if named is not None:
                            return named
                if child.lower_ in ("which", "that") and token.dep_ == "relcl":
                    return _issuer(token.head)
                if child.dep_ == "nsubj" and child.lower_ == "it" and any(
                        c.dep_ == "ccomp" and c.i > token.i for c in token.children) and \
                        token.lemma_ in ("be", "seem"):
                    return None
                return _poll_of_share(_described_speaker(child, token), cue)
        # "As Norden, a professor of law, put it": the parser may take "as" for a
        # preposition and the speaker for its object.
        if token.i == cue.i and puts_it(token):
            named = next((g for g in as_of(token).children if g.dep_ == "pobj"), None)
            if named is not None:
                return named
        # "..., Mayor Jane Doe, promised ...": a name the parser left without a role.
        if token.i == cue.i and token.dep_ == "ROOT":
            i = token.i - 1
            while i >= 0 and token.doc[i].is_punct and token.doc[i].text == ",":
                i -= 1
            # (or right before it, hung as an apposition: "..., former president Bill
            # Clinton said ...")
            speaker = _described(token.doc[i], token) if i >= 0 else None
            if speaker is not None and speaker.ent_type_ in ("PERSON", "ORG") and (
                    i < token.i - 1 or speaker.dep_ == "appos"):
                return speaker
            # ('a White House official who spoke anonymously to discuss strategy said',
            # the phrase hung elsewhere: the relative clause that ends right before the
            # verb closes its speaker's phrase)
            clause = next((a for a in (token.doc[i], *token.doc[i].ancestors) if a.dep_ == "relcl"),
                          None) if i >= 0 else None
            if clause is not None and clause.right_edge.i == i and clause.head.i < clause.i and \
                    is_agent(clause.head):
                return clause.head
        if token.i == cue.i and _verb_of_the_noun_before(token):
            return token.head
        # "a statement saying ...": the noun speaks, if it carries words or could hold a
        # position; on anything else ("at one point calling her a liar", "defended his
        # remarks calling them lazy") the participle reports for the clause around it.
        if token.dep_ == "acl" and token.tag_ == "VBG" and token.head.pos_ in ("NOUN", "PROPN"):
            noun = token.head
            if noun.dep_ == "pobj" and noun.head.lower_ == "to":
                # 'sent an email to supporters saying': the parser hangs the participle
                # on whom the document went to; the document says it, and under "as X
                # put it" X does ('As Weiner put it in his memo to employees explaining
                # the deal'; but 'respond to videos showing ...' is the videos').
                sent = noun.head.head
                if puts_it(sent):
                    token = sent
                    continue
                document = sent if sent.lemma_.lower() in DOCUMENT_NOUNS else next(
                    (c for c in sent.children
                     if c.dep_ == "dobj" and c.lemma_.lower() in DOCUMENT_NOUNS), None)
                if document is not None:
                    return _issuer(document)
            clause = noun.head.head if noun.dep_ == "pobj" else noun.head
            if noun.pos_ == "NOUN" and noun.dep_ in ("pobj", "dobj") and not is_agent(noun) and \
                    noun.lemma_.lower() not in WORDED_NOUNS and \
                    subject_of(clause) is not None:
                token = clause
                continue
            return _issuer(token.head)
        # "That prompted Lind to call Berg "...", "a win that led her to declare ...": whom
        # the verb moves to act (its object) is who does it, not the verb's subject.
        if token.dep_ == "xcomp":
            mover = next((c for c in token.head.children if c.dep_ == "dobj" and c.i < token.i
                          and c.lower_ != "it" and (is_agent(c) or c.lower_ in _OBJECT_PRONOUNS)),
                         None)
            if mover is not None:
                return mover
        # "he said, adding that ..." / "she said and warned ..." share the subject, and
        # so does "was quick to point out that ..." (through the adjective; but in "it is
        # worth noting that ..." the "it" stands for nobody).
        if token.dep_ == "acomp" and any(c.dep_ == "nsubj" and c.lower_ == "it"
                                         for c in token.head.children):
            return None
        if token.dep_ in ("conj", "advcl", "xcomp", "acomp") and token.head.i != token.i:
            # 'argued that X would ..., saying ...': a participle the parser hung inside
            # the reported clause still shares the reporting verb's subject.
            # So does a verb after "and" ('said he was "ignorant" and criticized him'),
            # which ``content.clip`` cuts from the reported clause as the next report.
            if token.i == cue.i and ((token.tag_ == "VBG" and token.dep_ == "advcl") or (
                    token.dep_ == "conj" and token.i > 0 and token.nbor(-1).lower_ == "and")):
                reporter = _reporting_verb_around(token.head) or _speaking_verb_before(token)
                if reporter is not None:
                    token = reporter
                    continue
            token = token.head
            continue
        # "In defending the plan, Tarnek ..." / "steered clear of criticising X".
        if token.dep_ == "pcomp" and token.head.dep_ == "prep" and token.tag_ == "VBG":
            token = token.head.head
            continue
        return None
    return None


# Words of an unnamed source's bare role ("a top aide").
_BARE_ROLE_TOKENS = 3


def _described_speaker(subject: Token, verb: Token) -> Token:
    """'Clinton, a top aide said, "is very confident"': a description set after a name
    with no comma closing it before the verb is the speaker, and the name is what the
    report is about (with the comma, 'Clinton, a top aide, said', it describes her)."""
    appos = next((c for c in subject.children if c.dep_ == "appos" and c.i > subject.i), None)
    # (only a bare unnamed role, "an aide", "a top official": a longer description
    # missing its comma, 'Doug Andres, a spokesman for the Speaker told', describes)
    if appos is None or appos.right_edge.i + 1 != verb.i or \
            appos.lemma_.lower() not in UNNAMED_SOURCE_NOUNS or \
            appos.right_edge.i - appos.left_edge.i >= _BARE_ROLE_TOKENS or \
            not any(d.dep_ == "det" and d.lower_ in ("a", "an") for d in appos.children):
        return subject
    return appos


def _poll_of_share(subject: Token, cue: Token) -> Token:
    """'In a Harbour Institute poll, 75 percent of residents said the ferry "runs late"':
    a share of respondents is the poll's finding, not a speaker one could ask, so the
    poll the sentence names is the source. Without a poll in the sentence the share
    stays the speaker ("About four in 10 said ...", after a paragraph on the poll)."""
    if not (subject.like_num or subject.lower_ in SHARE_WORDS or any(
            # "Six in 10 Republicans": the parser makes the people the subject
            c.dep_ == "nummod" and any(t.lower_ == "in" for t in c.subtree) for c in subject.children)):
        return subject
    sent = cue.sent
    if sent.start > 0 and sent.doc[sent.start - 1].text == ":":
        # 'a new poll shows how it stands: Six in 10 said ...' (the parser may end the
        # sentence at the colon that introduces the finding)
        sent = sent.doc[sent.doc[sent.start - 1].sent.start:sent.end]
    polls = [t for t in sent if t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() in POLL_NOUNS]
    return min(polls, key=lambda t: abs(t.i - cue.i)) if polls else subject


def _described(name: Token, cue: Token) -> Token:
    """'..., Col. Tomas Berg, a harbour spokesman in Vasa, said': the name right before
    the cue may end the description of the speaker named before it ("in Vasa"); the
    speaker is the person or organisation that description is in apposition to."""
    token, speaker = name, name
    while token.dep_ in ("pobj", "prep", "appos", "compound") and token.head.i < cue.i \
            and token.head.i != token.i:
        described = token.dep_ == "appos"
        token = token.head
        if described and token.ent_type_ in ("PERSON", "ORG"):
            speaker = token
    return speaker


def _issuer(noun: Token) -> Token:
    """"Rubio's campaign sent out a press release saying ...": a document someone
    issues speaks for them, so they are the speaker; a document on its own ("a
    statement saying ...") speaks for itself."""
    if noun.dep_ == "dobj" and noun.lemma_.lower() in DOCUMENT_NOUNS:
        verb = noun.head
        issuer = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        before = verb.nbor(-1) if verb.i > 0 else None
        if issuer is None and before is not None and before.pos_ == "PROPN" and before.head.i == verb.i:
            # 'Black Lives Matter issued a statement saying': a name ending in a word
            # the parser read as a verb's modifier is still who issued it
            issuer = before
        if issuer is not None and is_agent(issuer):
            return issuer
    return noun


# A dateline's dash has space after it ("LONDON (Reuters) - "); a hyphen inside a
# word ("UC-AFT") does not.
_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})
# What the words of a speaker's name after a dateline can be ("President Barack Obama").
_NAME_POS = frozenset({"PROPN", "NOUN", "ADJ"})


def _dateline_dash(doc: Doc, left: int, right: int) -> int | None:
    """The dash that ends a dateline at the start of tokens left..right, or None.
    "LONDON (Reuters) - Donald Trump said", "RENO, Nev. (AP) \u2014 ...": the place
    (and agency) that open a wire story are not part of the speaker's name."""
    first = doc[left]
    # ("Mexico City (AFP) -": a place in title case, then its agency in brackets)
    agency = first.is_title and any(doc[i].text == "(" for i in range(left + 1, min(right, left + 4) + 1))
    if not ((first.is_upper and first.is_alpha and len(first) > 2) or first.ent_type_ == "DATE" or agency):
        return None
    for i in range(left + 1, min(right, left + 10) + 1):
        t = doc[i]
        if t.text in _DASHES and t.whitespace_ and (not agency or doc[i - 1].text == ")"):
            return i if i + 1 < len(doc) else None
        if t.is_alpha and t.is_lower:
            return None  # running words: not a dateline
    return None


# Clauses inside a speaker's description ("Lind, who chairs the board, said").
_NAME_CLAUSES = ("relcl", "acl", "ccomp", "advcl")
_NOUN_ROLES = ("pobj", "dobj", "compound", "nsubj", "conj")


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
    # Never its own verb: 'Some advisers are said to be urging', with an apposition
    # the parser hung on the subject from after the verb, stops before "are".
    verb = token.head
    if verb.i > token.i and right >= verb.i:
        right = min([verb.i] + [c.i for c in verb.children if c.i > token.i
                                and c.dep_ in ("aux", "auxpass", "neg")]) - 1
    # A finite verb of its own ends the phrase, unless in a clause of the name's
    # ('Erin Brockovich, the activist, endorsed Sanders' approach Saturday, saying':
    # the parser hung the sentence's own verb in an apposition).
    for i in range(token.i + 1, right + 1):
        t = doc[i]
        # (a capitalised one is in a name or title: "Perkins Coie", "Those Guys Have All
        # the Fun"; a noun's role is a misread noun: "his afternoon remarks")
        if t.tag_ in ("VBD", "VBZ", "VBP") and t.pos_ == "VERB" and t.text[:1].islower() and \
                t.dep_ not in _NAME_CLAUSES + _NOUN_ROLES and not any(
                a.dep_ in _NAME_CLAUSES for a in t.ancestors if a.i > token.i):
            right = i - 1
            break
    for child in token.lefts:
        if child.dep_ in ("relcl", "acl"):
            left = max(left, child.right_edge.i + 1)
        elif child.dep_ == "nmod" and child.pos_ == "PROPN" and child.right_edge.i + 1 < token.i and \
                doc[child.right_edge.i + 1].text == "," and child.left_edge.i <= token.sent.start + 1:
            # 'Of Carson, Levine said': the parser hangs what the sentence opens with on
            # the name after the comma; it is not part of the name.
            left = max(left, child.right_edge.i + 2)
    dash = _dateline_dash(doc, left, max(right, token.i))
    if dash is not None:
        if dash > token.i:
            # The parser took the dateline's place for the subject: the speaker is the
            # name the story opens with.
            right = dash + 1
            while right + 1 < len(doc) and doc[right + 1].pos_ in _NAME_POS:
                right += 1
        left = dash + 1
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
    while right > left and (doc[right].is_punct or doc[right].is_space or doc[right].pos_ == "CCONJ"):
        right -= 1
    return doc[left:right + 1]


def word_count(doc: Doc, a: int, b: int, stop: int | None = None) -> int:
    """Words (not punctuation or space) among tokens a..b inclusive.  With ``stop``, the
    count ends there: enough to compare with a threshold, without reading a long range
    through (asked of every cue, a whole sentence each time)."""
    count = 0
    for i in range(a, b + 1):
        token = doc[i]
        if not (token.is_punct or token.is_space):
            count += 1
            if count == stop:
                break
    return count


def strip_chars(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the spaces and clause punctuation at its edges."""
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def quotes_speech(cue: Token, subject: Token) -> bool:
    """Are quote marks in what ``cue`` reports the subject's words?  Speech verbs
    quote; a person or organisation who "dismissed X as 'Y'" or "likened X to 'Y'"
    is quoted too; thought verbs ("fearing a 'Z'") carry the writer's scare quotes."""
    lemma = cue.lemma_.lower()
    if lemma in MENTAL_LEMMAS:
        return False
    return lemma in SPEECH_LEMMAS or is_agent(subject)
