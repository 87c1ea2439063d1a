"""Model loading, chunking and assembly of the extraction results."""

from __future__ import annotations

import bisect
import gc
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex

from . import DEFAULT_MODEL  # noqa: E402 -- one definition, in the light package module
from . import claims as claims_module
from .attribution import Found, find_attributions
from .attribution import noun_phrase as _np_of
from .attribution.entities import MIN_ACRONYM_LETTERS, ORG, PERSON, EntityTracker, with_title
from .lexicon import (
    DOCUMENT_NOUNS,
    HUMAN_NOUNS,
    ORG_NOUNS,
    PARTY_MEMBER_NOUNS,
    PERSON_ROLE_NOUNS,
    PRONOUNS_OTHER,
    PRONOUNS_PERSON,
)
from .quotes import DOUBLE_MARKS, QuotedSpan, english_marks, find_quoted_spans, marks_at_cuts
from .types import DIRECT, INDIRECT, Claim, Cue, Extraction, Quote, Speaker, Venue, Via

# Long pastes are parsed in pieces cut at paragraph breaks; a piece this size
# keeps the parser's memory flat while leaving ordinary articles whole.
CHUNK_CHARS = 20_000
# A piece is cut at the last paragraph break before the limit, but no earlier than a
# quarter of the way in (a tiny piece loses its context); failing that, at the last
# space in the second half; failing that (no space at all), at the limit itself.
_MIN_PARAGRAPH_CUT = CHUNK_CHARS // 4
_MIN_SPACE_CUT = CHUNK_CHARS // 2
_PARAGRAPH_BREAK = re.compile("[\n\r]")
# Articles per nlp.pipe batch: news articles are long, so a batch far below spaCy's
# default of 1000 texts keeps the parser's memory flat.
BATCH_SIZE = 64
# ... and tokens per batch: the parser's working memory is about 8 KB a token for the
# whole batch at once (the 15 chunks of a 300,000-character article took 1.1 GB), so
# a batch closes at this many tokens (a chunk with more is a batch of its own) and
# that memory stays under 200 MB whatever the length of the texts.
BATCH_TOKENS = 20_000
# No word of prose is this long (the longest in the 924 evaluation articles is 87
# characters, an HTML attribute holding a URL).  spaCy splits punctuation off a word
# one character at a time, rescanning the rest of the word each time: a stretch of
# quote marks or emoji without a space costs the square of its length (10,000 of them
# took 10 s) and gives the parser a token per character.  A longer stretch without
# whitespace is therefore cut: its first and last MAX_WORD_CHARS characters go through
# the tokenizer as usual (quote marks and punctuation at its edges are split off), and
# what lies between them is a token every MAX_WORD_CHARS characters.
MAX_WORD_CHARS = 100
_LONG_WORD = re.compile(rf"\S{{{MAX_WORD_CHARS + 1},}}")
# No sentence of prose runs this many tokens without a full stop, question or
# exclamation mark or line break (the longest run in the 924 evaluation articles is
# 199).  Every pass that reads a cue's content or a claim works within its sentence, so
# a "sentence" of a whole chunk (a paste without punctuation) would cost each of its
# cues the length of the chunk; the parser is told that the token after this many
# starts a sentence.
MAX_SENTENCE_TOKENS = 400
_SENTENCE_END_CHARS = (".", "!", "?", "\u2026")
# A description ("the president", "this ministry") has its determiner among its first
# tokens; further in, the noun belongs to a longer phrase.
_DESCRIPTION_DETERMINER_TOKENS = 2
# An unrecognised all-capitals token of up to this many letters may be an acronym
# ("CPA"); longer is shouting, not a name.
_MAX_ACRONYM_LETTERS = 6
# A speaker span longer than this is a phrase, not a person's name.
_MAX_NAME_TOKENS = 4
# Quoted speech of this many words is somebody's, not a claim of the writer's (shorter
# quotations are scare quotes and titles inside the writer's own sentence).
_MIN_QUOTED_WORDS = 6
# An item is scored on at most this many sentence cuts: a runaway quotation (a whole
# article in quote marks) costs the scorer no more than a long one.
_MAX_SENTENCE_CUTS = 50

# A double quote mark typed with no space between punctuation and a word ('said,"Look',
# 'for ratings.”The Latest') is a token of its own, and so is the punctuation before it:
# glued to their neighbours they hide the cue, the sentence end and the quotation's first
# word from the parser.
_GLUED_MARKS = "(?:" + "|".join(re.escape(m) for m in DOUBLE_MARKS) + ")"
_GLUED_QUOTE_MARK = (f"(?<=[,.;:!?]){_GLUED_MARKS}(?=[^\\W\\d_])"  # the mark
                     f"|(?<=\\w)[,.;:!?](?={_GLUED_MARKS}[^\\W\\d_])")  # the punctuation before it

_model_name = DEFAULT_MODEL
_nlp: Language | None = None
_ENTITY_KIND = {"PERSON": PERSON, "ORG": ORG, "GPE": ORG, "NORP": ORG}
_FIRST_PERSON_SINGULAR = {"i", "me", "my"}
# Nouns whose capitalised plural is a group, not a name ("Aides say", "Remarks ...").
_GROUP_NOUNS = PERSON_ROLE_NOUNS | HUMAN_NOUNS | DOCUMENT_NOUNS


def set_model(name: str) -> None:
    """Choose the spaCy pipeline; it is loaded on first use, once per process."""
    global _model_name, _nlp
    if name != _model_name:
        _model_name, _nlp = name, None


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence. Without this the parser reads a headline, which has no
    full stop, and the first paragraph as one sentence, and takes the headline's words for
    the subject of the paragraph's verb."""
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 2:
            doc[token.i + 1].is_sent_start = True
    return doc


@Language.component("sentence_cap")
def sentence_cap(doc: Doc) -> Doc:
    """A token MAX_SENTENCE_TOKENS after the last possible sentence end (a token ending
    in a full stop, question or exclamation mark, a line break, a sentence start already
    set) starts a sentence."""
    run = 0
    for token in doc:
        if run >= MAX_SENTENCE_TOKENS:
            token.is_sent_start = True
            run = 0
        elif token.is_sent_start:
            run = 0
        if token.text.endswith(_SENTENCE_END_CHARS) or (
                token.is_space and ("\n" in token.text or "\r" in token.text)):
            run = 0
        else:
            run += 1
    return doc


def get_nlp() -> Language:
    global _nlp
    if _nlp is None:
        _nlp = spacy.load(_model_name)
        _nlp.tokenizer.infix_finditer = compile_infix_regex(
            list(_nlp.Defaults.infixes) + [_GLUED_QUOTE_MARK]).finditer
        if "parser" in _nlp.pipe_names:
            _nlp.add_pipe("paragraph_breaks", before="parser")
            _nlp.add_pipe("sentence_cap", before="parser")
        # The model's objects live as long as the process: out of the cyclic collector's
        # reach, the full collections that storing a batch's statements sets off no longer
        # walk them all (0.14-0.24 s of a 200-article ingest, against 0.005 s in the parse).
        gc.freeze()
    return _nlp


# ------------------------------------------------------------------ chunking
def _chunk_bounds(text: str, quotes: list[QuotedSpan]) -> list[tuple[int, int]]:
    if len(text) <= CHUNK_CHARS:
        return [(0, len(text))]
    bounds = []
    start = 0
    # Found once and bisected: the quotations follow one another without overlapping.
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)]
    opens = [q.open_at for q in quotes]

    def in_quotation(pos: int) -> bool:
        i = bisect.bisect_left(opens, pos) - 1
        return i >= 0 and pos < quotes[i].close_end

    while len(text) - start > CHUNK_CHARS:
        limit = start + CHUNK_CHARS
        cut = -1
        # The last paragraph break before the limit that is not inside a quotation.
        pos = limit
        while pos > start + _MIN_PARAGRAPH_CUT:
            i = bisect.bisect_left(breaks, pos) - 1
            brk = breaks[i] if i >= 0 else -1
            if brk <= start:
                break
            if not in_quotation(brk):
                cut = brk + 1
                break
            pos = brk
        if cut < 0:
            space = text.rfind(" ", start + _MIN_SPACE_CUT, limit)
            cut = space + 1 if space > start else limit
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(text)))
    return bounds


def _shift(q: QuotedSpan, delta: int) -> QuotedSpan:
    return QuotedSpan(q.start + delta, q.end + delta, q.open_at + delta, q.close_end + delta,
                      q.double, q.closed, [(s + delta, e + delta) for s, e in q.parts],
                      [_shift(i, delta) for i in q.inner])


# ------------------------------------------------------------------ speakers
def _speaker(span: Span, offset: int, tracker: EntityTracker, doc_ents: list[Span],
             chunk_text: str) -> Speaker:
    # Doc.text re-joins every token on each access: slice the chunk's own string.
    root = span.root
    pos = span.start_char + offset
    sentence = tracker.sentence_of(span)[2] + offset

    def make(name, kind, mention: Span | None = None, start=None, end=None):
        m_start = mention.start_char if mention is not None else start
        m_end = mention.end_char if mention is not None else end
        return Speaker(name, chunk_text[m_start:m_end], m_start + offset, m_end + offset, kind)

    ents = [e for e in doc_ents if e.start < span.end and span.start < e.end
            and e.label_ in _ENTITY_KIND]
    for ent in ents:
        if not (span.start <= ent.start and ent.end <= span.end):
            # A headline name the recogniser ran into the verb: trust the span.
            return make(_name(tracker, span.text, ent.label_, pos), _ENTITY_KIND[ent.label_],
                        span)
    # ("Aides", "Remarks" opening a sentence: the recogniser may take the capitalised
    # plural of a role or a document for a name)
    plural_noun = root.lower_ != root.lemma_.lower() and root.lemma_.lower() in _GROUP_NOUNS
    if root.tag_ in ("NNS", "NNPS") and (plural_noun or (root.ent_type_ in ("", "NORP") and not any(
            e.label_ in ("PERSON", "ORG") and e.start <= root.i < e.end for e in ents))) \
            and not tracker.known_person(root.text, pos):
        # "Republicans said", "Aides say": a group of people, unnamed as a source (but
        # "Waters said" is David Waters, whom the article names).
        return make(None, None, span)
    if root.lower_ == "who" and root.head.dep_ == "relcl":
        # "Smith, who said ...": the relative pronoun is the mention, Smith the name.
        antecedent = _np_of(root.head.head)
        resolved = _speaker(antecedent, offset, tracker, doc_ents, chunk_text)
        return make(resolved.name, resolved.entity_type, span)
    if root.lower_ in PARTY_MEMBER_NOUNS and root.tag_ in ("NN", "NNP") and any(
            t.dep_ == "det" or t.lower_ == "one" for t in span if t.i < root.i):
        # "the Wisconsin Republican", "one New Hampshire Democrat": a person described by
        # party, never an organisation named "Republican": the one named beside it ("the
        # Democrat, Nancy Pelosi,"), else with "the" the person the article is about,
        # else someone unnamed.
        named = next((e for e in ents if e.label_ == "PERSON" and e.root.dep_ == "appos"
                      and e.root.head.i == root.i), None)
        if named is not None:
            return make(_name(tracker, with_title(named), "PERSON", pos), PERSON, span)
        name, kind = None, None
        if any(t.lower_ in ("the", "this", "that") for t in span[:_DESCRIPTION_DETERMINER_TOKENS]):
            modifiers = frozenset(t.lower_ for t in span if t.i != root.i)
            name, kind = tracker.resolve_affiliated(pos, modifiers)
            if name:
                tracker.add_speaker(pos, pos + len(span.text), name, kind, sentence=sentence)
        return make(name, kind, span)
    lemma = root.lemma_.lower()
    if lemma in DOCUMENT_NOUNS and root.pos_ == "NOUN":
        # "Pew's report", "a study by the Harbour Institute": its author speaks.
        for holder in _authors(root):
            author = _speaker(_np_of(holder), offset, tracker, doc_ents, chunk_text)
            if author.name:
                return make(author.name, author.entity_type, span)
    if lemma in ORG_NOUNS and root.pos_ == "NOUN":
        modifiers = [e for e in ents if e.root.head == root and e.root.dep_ in ("compound",)]
        if modifiers:
            name_start = modifiers[0].start_char
            name = chunk_text[name_start:root.idx + len(root)]
            return make(tracker.org_name(name, pos), ORG, span)
    for ent in ents:
        if ent.start <= root.i < ent.end:
            return make(_name(tracker, with_title(ent), ent.label_, pos), _ENTITY_KIND[ent.label_],
                        span)
    for ent in ents:
        if ent.root.dep_ in ("appos", "conj") and ent.label_ in ("PERSON", "ORG"):
            return make(_name(tracker, with_title(ent), ent.label_, pos), _ENTITY_KIND[ent.label_],
                        ent)
    lower = root.lower_
    if root.pos_ == "PRON" or lower in PRONOUNS_PERSON or lower in PRONOUNS_OTHER:
        name, kind = tracker.resolve_pronoun(lower, pos, sentence)
        if name:
            tracker.add_speaker(pos, pos + len(span.text), name, kind, sentence=sentence)
        return make(name, kind, span)
    if root.pos_ == "NOUN" and (lemma in PERSON_ROLE_NOUNS or lemma in ORG_NOUNS) and \
            any(t.lower_ in ("the", "this", "that") for t in span[:_DESCRIPTION_DETERMINER_TOKENS]) and \
            root.tag_ == "NN":
        modifiers = frozenset(t.lower_ for t in span if t.i != root.i and t.dep_ in ("amod", "compound"))
        nouns = frozenset(t.lower_ for t in span if t.i != root.i and t.dep_ == "compound"
                          and t.pos_ == "NOUN")
        name, kind = tracker.resolve_description(lemma, pos, modifiers, nouns)
        if name:
            tracker.add_speaker(pos, pos + len(span.text), name, kind, sentence=sentence)
            return make(name, kind, span)
    letters = span.text.replace(".", "")
    if len(span) == 1 and MIN_ACRONYM_LETTERS <= len(letters) <= _MAX_ACRONYM_LETTERS and \
            letters.isupper():
        # An acronym the recogniser missed ("CPA said"): the organisation it abbreviates.
        expanded = tracker.org_name(span.text, pos)
        if expanded != span.text:
            return make(expanded, ORG, span)
    person = tracker.known_person(span.text, pos) if len(span) <= _MAX_NAME_TOKENS else None
    if person:
        return make(person, PERSON, span)
    if root.pos_ in ("NOUN", "PROPN") and lemma in ORG_NOUNS and span[0].lower_ == "the" and any(
            t.dep_ in ("amod", "compound") and t.head.i == root.i for t in span):
        # "the regional council": unnamed but specific; later "the council" is it.
        name = chunk_text[span[1].idx:root.idx + len(root)]
        tracker.add_speaker(pos, pos + len(span.text), name, ORG, sentence=sentence)
        return make(name, ORG, span)
    if (root.pos_ == "PROPN" or _capitalised_name(span)) and \
            len(span) <= _MAX_NAME_TOKENS and span.text[:1].isupper() and len(letters) > 1:
        # (a single letter is a label, an interview's "Q" or "A", not a name)
        return make(tracker.person_name(span.text, pos), None, span)
    return make(None, None, span)


def _authors(document) -> list:
    """Who a document is by: its possessor ("Pew's report"), a name set before it ("a
    Harbour Institute report") or the object of its "by"/"from" ("a statement from the
    ministry"); for "the report" with none of these, the author of the last report the
    chunk named with one (the article's "the report" is the one it introduced)."""
    holders = _named_authors(document)
    if holders or not any(c.lower_ in ("the", "this", "that") for c in document.children):
        return holders
    doc = document.doc
    # (only the earlier mentions' own authors: following "the report" back through every
    # earlier "the report" would cost the power of their number)
    for i in range(document.i - 1, max(-1, document.i - _DOCUMENT_LOOKBACK_TOKENS), -1):
        earlier = doc[i]
        if earlier.lemma_ == document.lemma_ and earlier.pos_ == "NOUN":
            found = _named_authors(earlier)
            if found:
                return found
    return []


def _named_authors(document) -> list:
    # ("Monday's paper", "last week's report": a possessive day says when, not who)
    holders = [c for c in document.children if c.dep_ == "poss" and c.pos_ != "PRON"
               and c.ent_type_ not in ("DATE", "TIME")]
    holders += [c for c in document.children if c.dep_ == "compound" and c.i < document.i
                and c.ent_type_ in ("ORG", "PERSON")]
    return holders + [p for c in document.children if c.dep_ == "prep" and c.lower_ in ("by", "from")
                      for p in c.children if p.dep_ == "pobj"]


# How far back "the report" looks for the report the article introduced (a few
# paragraphs; further back the desk decides).
_DOCUMENT_LOOKBACK_TOKENS = 1500


def _capitalised_name(span: Span) -> bool:
    """A name the tagger took for common nouns ("Pew Research"); not a capitalised
    description ("The Officials", "Senior Aides")."""
    root = span.root
    return len(span) >= 2 and span[0].pos_ != "DET" and root.tag_ != "NNS" and \
        root.lemma_.lower() not in PERSON_ROLE_NOUNS and \
        all(t.text[:1].isupper() for t in span if t.is_alpha)


def _name(tracker: EntityTracker, text: str, label: str, pos: int) -> str:
    if label == "PERSON":
        return tracker.person_name(text, pos)
    # The recogniser sometimes tags a bare surname as an organisation.
    return tracker.known_person(text, pos) or tracker.org_name(text, pos)


def _via_name(doc: Doc, start: int, end: int, offset: int, tracker: EntityTracker,
              doc_ents: list[Span], chunk_text: str) -> str:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None:
        for ent in (e for e in doc_ents if span.start <= e.start and e.end <= span.end):
            if ent.label_ in ("PERSON", "ORG", "GPE") and ent.root == span.root:
                return _name(tracker, ent.text, ent.label_, start + offset)
    text = chunk_text[start:end]
    if span is not None and len(span) == 1 and span[0].ent_type_ in _ENTITY_KIND:
        return _name(tracker, text, span[0].ent_type_, start + offset)
    return text


# ------------------------------------------------------------------ assembly
def _analyse(text: str, quotes: list[QuotedSpan],
             pieces: list[tuple[int, int, Doc]]) -> Extraction:
    quote_starts = [q.open_at for q in quotes]

    def in_quote(pos: int) -> bool:
        i = bisect.bisect_right(quote_starts, pos) - 1
        return i >= 0 and quotes[i].start <= pos < quotes[i].end

    tracker = EntityTracker(text)
    for offset, _end, doc in pieces:
        tracker.add_doc(doc, offset, in_quote)
    score_spans, threshold = claims_module.scorer()
    result = Extraction()
    interviewee: tuple[str | None, str | None] | None = None  # who answers the "A:" turns
    for offset, chunk_end, doc in pieces:
        chunk_text = text[offset:chunk_end]
        local = []
        for qi in range(bisect.bisect_left(quote_starts, offset), len(quotes)):
            q = quotes[qi]
            if q.open_at >= chunk_end:
                break
            if q.close_end <= chunk_end:
                local.append(_shift(q, -offset))
        found = find_attributions(doc, local, chunk_text, first=offset == 0)
        doc_ents = list(doc.ents)
        # A question-and-answer interview: its turns are labelled Q and A only.
        labels = {item.speaker.text for item in found if item.speaker is not None and
                  _labelled(item) and chunk_text.find("\n", 0, item.cue[0]) >= 0}  # (not the headline)
        interview = "A" in labels and labels <= {"Q", "A"}
        speakers: dict[int, Speaker | None] = {}
        built: list[tuple[Found, Quote]] = []
        for item in found:
            speaker = None
            if item.speaker is not None:
                speaker = _speaker(item.speaker, offset, tracker, doc_ents, chunk_text)
                outer = speakers.get(id(item.outer)) if _in_own_words(item) else None
                if speaker.name is None and outer is not None and outer.name and \
                        item.speaker.root.lower_ in _FIRST_PERSON_SINGULAR:
                    # "FALLIN: Well, I think ...": "I" in someone's own words is that someone.
                    speaker = replace(speaker, name=outer.name, entity_type=outer.entity_type)
                if interview and speaker.mention == "A" and _labelled(item):
                    # An interview's answers are the person the article introduces before
                    # them, the one in focus at the first "A:" ("Q&A with Vice President
                    # Joe Biden ... Biden complained ... Q: ... A: ...").
                    if interviewee is None:
                        interviewee = tracker.resolve_affiliated(speaker.start)
                    speaker = replace(speaker, name=interviewee[0], entity_type=interviewee[1])
            speakers[id(item)] = speaker
            parts = [(s + offset, e + offset) for s, e in item.parts]
            if item.kind == DIRECT:
                parts = marks_at_cuts(text, parts)
            quote = Quote(
                kind=item.kind,
                text=" ".join(text[s:e] for s, e in parts),
                start=parts[0][0], end=parts[-1][1], parts=parts,
                speaker=speaker,
                cue=Cue(chunk_text[item.cue[0]:item.cue[1]], item.cue[0] + offset,
                        item.cue[1] + offset) if item.cue else None,
                venue=Venue(chunk_text[item.venue[0]:item.venue[1]], item.venue[0] + offset,
                            item.venue[1] + offset) if item.venue else None,
                topic=item.kind == INDIRECT and not _has_verb(doc, item.parts),
                complementiser=item.lead_in if item.lead_in or item.kind == DIRECT
                else _complementiser(doc, item),
            )
            for name, s, e in item.via:
                quote.via.append(Via(name or _via_name(doc, s, e, offset, tracker, doc_ents, chunk_text),
                                     chunk_text[s:e], s + offset, e + offset))
            built.append((item, quote))
        by_item = {id(item): quote for item, quote in built}
        for item, quote in built:
            outer = item.outer
            while outer is not None:
                outer_speaker = speakers.get(id(outer))
                if outer_speaker is not None:
                    quote.via.append(Via(outer_speaker.name or outer_speaker.mention,
                                         outer_speaker.mention, outer_speaker.start,
                                         outer_speaker.end))
                outer_quote = by_item.get(id(outer))
                if outer_quote is not None:
                    quote.via.extend(v for v in outer_quote.via if v not in quote.via)
                outer = outer.outer

        covered = [(q.start - offset, q.end - offset) for _, q in built]
        # Quoted speech nobody is credited with is still not the writer's claim.
        covered += [(q.start, q.end) for q in local if len(q.text_words(chunk_text)) >= _MIN_QUOTED_WORDS]
        frames = [item.cue for item in found if item.cue]
        candidates = claims_module.claim_candidates(doc, chunk_text, covered, frames)
        # A quotation of several sentences is as check-worthy as its average
        # sentence: one figure in a string of rhetoric does not make it a claim.
        sent_starts = [sent.start for sent in doc.sents]
        pieces_of = [_sentences(doc, sent_starts, item.start, item.end) for item, _ in built]
        spans = [p for pieces in pieces_of for p in pieces]
        scores = score_spans(spans + candidates) if (spans or candidates) else []
        at = 0
        for (_, quote), pieces in zip(built, pieces_of, strict=True):
            part = scores[at:at + len(pieces)]
            quote.score = float(sum(part) / len(part)) if part else 0.0
            at += len(pieces)
        for span, score in zip(candidates, scores[len(spans):], strict=False):
            if score >= threshold:
                # (the text as given: the parser read other quote marks as English ones)
                result.claims.append(Claim(chunk_text[span.start_char:span.end_char],
                                           span.start_char + offset,
                                           span.end_char + offset, float(score)))
        result.quotes.extend(q for _, q in built)
    result.quotes.sort(key=lambda q: (q.start, q.end))
    return result


def _in_own_words(item: Found) -> bool:
    """Is ``item`` inside someone's own words: a quotation, a transcript turn or a
    headline's "Name: ..."? (In "Quist said that I told her ..." the "I" is the writer.)"""
    outer = item.outer
    return outer is not None and (outer.kind == DIRECT or _labelled(outer))


def _labelled(item: Found) -> bool:
    """Is ``item`` a line credited by the label opening it ("QUIST: ...", "Lind: ...")?"""
    return item.cue_token is not None and item.cue_token.text == ":"


def _complementiser(doc: Doc, item: Found) -> int:
    """Characters of a leading "that" the parse reads as the clause's complementiser
    ("said that plan would fail"), not as its subject ("said that was wrong")."""
    span = doc.char_span(*item.parts[0], alignment_mode="expand")
    if span is None or len(span) < 2 or span[0].lower_ != "that" or span[0].dep_ != "mark":
        return 0
    return span[1].idx - item.parts[0][0]


def _has_verb(doc: Doc, parts: list[tuple[int, int]]) -> bool:
    """Does the content say something (a verb of its own), or only name something?"""
    for start, end in parts:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or any(t.pos_ in ("VERB", "AUX") for t in span):
            return True
    return False


def _sentences(doc: Doc, sent_starts: list[int], start: int, end: int) -> list[Span]:
    """The item's text cut at sentence boundaries (``Span.sents`` rescans the
    whole Doc on every call, so the boundaries are computed once per Doc)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return []
    cuts = [span.start]
    cuts += [b for b in sent_starts[bisect.bisect_right(sent_starts, span.start):]
             if b < span.end][:_MAX_SENTENCE_CUTS]
    cuts.append(span.end)
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = doc[a:b]
        if any(t.is_alpha for t in piece):
            pieces.append(piece)
    return pieces or [span]


def _prepare(text: str) -> tuple[str, list[QuotedSpan], list[tuple[int, int]]]:
    if not isinstance(text, str):
        raise TypeError(f"extract() takes str, not {type(text).__name__}")
    quotes = find_quoted_spans(text)
    return text, quotes, _chunk_bounds(text, quotes)


def _make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)``, except that a stretch longer than MAX_WORD_CHARS without
    whitespace is cut into pieces (see MAX_WORD_CHARS)."""
    long_words = list(_LONG_WORD.finditer(text))
    if not long_words:
        return nlp.make_doc(text)
    docs = []
    at = 0
    for word in long_words:
        start, end = word.span()
        if start > at:
            docs.append(nlp.make_doc(text[at:start]))
        head_end = start + MAX_WORD_CHARS
        tail_start = max(head_end, end - MAX_WORD_CHARS)
        docs.append(nlp.make_doc(text[start:head_end]))
        if tail_start > head_end:
            middle = [text[a:min(a + MAX_WORD_CHARS, tail_start)]
                      for a in range(head_end, tail_start, MAX_WORD_CHARS)]
            docs.append(Doc(nlp.vocab, words=middle, spaces=[False] * len(middle)))
        # The space after the stretch stays with its last token, as the tokenizer has it.
        at = end + 1 if text[end:end + 1] == " " else end
        docs.append(nlp.make_doc(text[tail_start:at]))
    if at < len(text):
        docs.append(nlp.make_doc(text[at:]))
    return Doc.from_docs(docs, ensure_whitespace=False)


def _parse(nlp: Language, chunks: Iterable[str], n_process: int, batch_size: int) -> Iterator[Doc]:
    """The parsed Docs of ``chunks`` in order, in batches of at most ``batch_size`` chunks
    and (in this process) BATCH_TOKENS tokens."""
    if n_process != 1:
        # Workers tokenize; a chunk with an over-long stretch goes to them tokenized.
        return nlp.pipe((_make_doc(nlp, c) if _LONG_WORD.search(c) else c for c in chunks),
                        n_process=n_process, batch_size=batch_size)
    return _parse_bounded(nlp, chunks, batch_size)


def _parse_bounded(nlp: Language, chunks: Iterable[str], batch_size: int) -> Iterator[Doc]:
    batch: list[Doc] = []
    tokens = 0
    for chunk in chunks:
        doc = _make_doc(nlp, chunk)
        if batch and (len(batch) >= batch_size or tokens + len(doc) > BATCH_TOKENS):
            yield from nlp.pipe(batch, batch_size=len(batch))
            batch, tokens = [], 0
        batch.append(doc)
        tokens += len(doc)
    if batch:
        yield from nlp.pipe(batch, batch_size=len(batch))


def parse_chunks(nlp: Language, texts: Iterable[str], n_process: int = 1,
                 batch_size: int = BATCH_SIZE):
    """Each text prepared (text, quotations, chunk bounds), the chunks as (text index, start,
    end), and an iterator of their parsed Docs in that order: what _analyse takes."""
    prepared = [_prepare(t) for t in texts]
    jobs = [(ti, start, end) for ti, (_, _, bounds) in enumerate(prepared)
            for start, end in bounds]
    parse_texts = [english_marks(text, quotes) for text, quotes, _ in prepared]
    docs = _parse(nlp, (parse_texts[ti][s:e] for ti, s, e in jobs), n_process, batch_size)
    return prepared, jobs, docs


def iter_extract(texts: Iterable[str], n_process: int = 1,
                 batch_size: int = BATCH_SIZE) -> Iterator[Extraction]:
    """Extractions of ``texts`` in order, parsing them with ``nlp.pipe``."""
    nlp = get_nlp()
    prepared, jobs, docs = parse_chunks(nlp, texts, n_process, batch_size)
    pending: list[tuple[int, int, Doc]] = []
    current = 0
    for (ti, start, end), doc in zip(jobs, docs, strict=True):
        if ti != current and pending:
            yield _analyse(prepared[current][0], prepared[current][1], pending)
            pending = []
        current = ti
        pending.append((start, end, doc))
    if pending:
        yield _analyse(prepared[current][0], prepared[current][1], pending)


def extract_many(texts: Iterable[str], n_process: int = 1,
                 batch_size: int = BATCH_SIZE) -> list[Extraction]:
    return list(iter_extract(texts, n_process=n_process, batch_size=batch_size))


def extract(text: str) -> Extraction:
    """Quotes, partial quotes, reported speech and check-worthy claims of ``text``."""
    return extract_many([text])[0]
