"""Quotations attached to their reporting clause, read from the surface around the
quote marks (the parse of news text with quote marks is too noisy to trust alone).

* ``pass_after``: ``"...," X said`` -- a bare reporting clause right after the
  quotation, or a dash and a name signing it;
* ``pass_before``: ``X said, "..."`` / ``X said that "..."`` -- a reporting clause
  right before it (a quotation that is only part of the reported clause makes the
  clause a partial quote), a clause ending in a colon, and a quotation that runs
  on after ``"...," he said,``;
* ``pass_continuations``: a paragraph that is nothing but a quotation continues
  the speaker of the paragraph before;
* ``pass_uncredited``: a speech verb later in the quotation's sentence (relaxed
  attribution), or else a whole quoted sentence credited to the speaker just before
  or to nobody.
"""

from __future__ import annotations

import itertools

from spacy.tokens import Token

from ..lexicon import DOCUMENT_NOUNS, MENTAL_LEMMAS, NAMING_LEMMAS, NESTED_REPORT_LEMMAS, SPEECH_LEMMAS
from ..types import DIRECT, INDIRECT, PARTIAL
from .chunk import (
    BARE_OBJECT_CUES,
    SENTENCE_END,
    Chunk,
    Found,
    circumstance_clause,
    is_agent,
    is_cue,
    puts_it,
    quotes_speech,
    relative_clause,
    reports_speech,
    strip_chars,
    subject_of,
    word_count,
)
from .content import content_chars, content_range, parts_around_aside
from .sources import record, record_led

# What may stand between an introducing clause and its quotation ("X said:").
_INTRO_PUNCT = {",", ":", "\u2014", "\u2013", "-", "\u2026"}
# Tokens after a quotation searched for its reporting clause: room for a long name
# and title ('"...," the harbour master of the port, Jonas Ekberg, said on Monday'),
# not for the next sentence's clauses.
_MAX_AFTER = 30
# Tokens before a quotation searched for its reporting clause: an introduction can be a
# whole sentence ("At the rally on Sunday, the mayor of ..., told the crowd that").
_MAX_BEFORE = 45
# Words of a name and title before the cue of '"...," ... said'; more is a new clause.
_MAX_WORDS_BEFORE_CUE = 8
# ... unless a name and its apposition stand there, set off by commas ('"...," Michael
# Roe, a senior fellow at the institute and a former ambassador, said').
_MAX_APPOSITION_WORDS = 24
# A dash signature ('"..." -- Jane Doe') is a short name whose first words are
# capitalised; a longer or lower-case run after a dash is prose.
_MAX_SIGNATURE_WORDS = 5
_SIGNATURE_CAPITALISED = 2
# A clause quoted whole is a direct quote even with a few words of the clause outside
# the marks ('"..." for now', 'that "..."'); more make it a partial quote.
_MAX_WORDS_AFTER_WHOLE_QUOTE = 2
_MAX_WORDS_BEFORE_WHOLE_QUOTE = 4
# Words between an introducing cue and its quotation ("said on Monday in a statement");
# more, or a verb, means the quotation belongs to another clause.
_MAX_WORDS_CUE_TO_QUOTE = 8
# Under a thought verb or a subject that cannot speak, a quotation shorter than this is
# the writer's scare quotes ("fearing a 'Russian invasion'"), not anyone's words.
_MIN_SPOKEN_QUOTE_WORDS = 4
# Heads climbed from the colon that ends an introduction to its verb ("made this
# comment:" hangs the colon on the object).
_COLON_HEAD_HOPS = 3
# A quotation introduced only by a colon must be more than a word or two (a label).
_MIN_COLON_QUOTE_WORDS = 3
# Heads climbed from a stance verb to a speech verb whose report holds it ("said he
# would consider it a 'grave insult'").
_OUTER_CUE_HOPS = 6
# A quotation paragraph continues the previous speaker only when it is a real
# stretch of speech, not a quoted phrase.
_MIN_CONTINUATION_WORDS = 6
# Tokens after a quotation searched for a late speech verb (relaxed attribution), and
# tokens after that verb where an inverted subject may stand ("said Mayor Szabo").
_RELAXED_WINDOW = 30
_INVERTED_SUBJECT_TOKENS = 2
# Shortest quotation worth a relaxed attribution, and shortest quoted sentence kept
# as a quotation when nobody is credited with it (shorter ones are phrases).
_MIN_RELAXED_QUOTE_WORDS = 3
_MIN_UNCREDITED_WORDS = 8
# An uncredited quotation goes to the speaker quoted just before only within the same
# or the next paragraph and this many characters; further back the desk decides.
_MAX_PARAGRAPHS_BACK = 1
_MAX_CHARS_BACK = 400


def _after_window(chunk: Chunk, qi: int) -> list[Token]:
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
        if tok.text in SENTENCE_END:
            break
        i += 1
    return window


# What a speaker's name and title are made of ("harbour master Jonas Ekberg");
# a verb or preposition before the cue means a new clause, not an attribution.
_NAME_POS = {"PROPN", "NOUN", "ADJ", "DET", "NUM", "CCONJ", "ADV", "AUX", "PART"}
_DASHES = {"\u2015", "\u2014", "\u2013", "-", "--"}


def _dash_signature(chunk: Chunk, qi: int, window: list[Token]) -> bool:
    """'"..." -- Jane Doe': a quotation signed with a dash and a name."""
    words = [t for t in window if not t.is_space]
    q = chunk.quotes[qi]
    if words and words[0].text in _DASHES:
        dash = (words[0].idx, words[0].idx + len(words[0]))
        words = words[1:]
    else:
        # A dash typed straight after the closing mark ('..."― Jane Doe') stays in
        # the closing mark's token, so it is not in the window.
        dash = next(((q.close_end, q.close_end + len(d)) for d in _DASHES
                     if chunk.text.startswith(d, q.close_end)), None)
    if dash is None:
        return False
    return _signed(chunk, qi, words, dash)


def _signed(chunk: Chunk, qi: int, words: list[Token], dash: tuple[int, int]) -> bool:
    """Credit quotation ``qi`` to the name that ``words``, after a signature's dash, hold."""
    name = [t for t in words if not t.is_punct]
    if not name or len(name) > _MAX_SIGNATURE_WORDS or not all(
            t.text[:1].isupper() for t in name[:_SIGNATURE_CAPITALISED]):
        return False
    q = chunk.quotes[qi]
    found = record(chunk, DIRECT, list(q.parts), None, name[-1], [q])
    found.cue = dash
    found.speaker = chunk.doc[name[0].i:name[-1].i + 1]
    return True


def _signed_below(chunk: Chunk, qi: int) -> bool:
    """A quotation that is a paragraph of its own, then a line '- Jane Doe.' or '- Jane
    Doe, tweeting after the debate.': the line signs the quotation above it (but not a
    wire credit, '- Reuters.', after a paragraph of prose that ends with quoted words)."""
    q = chunk.quotes[qi]
    if chunk.text[:q.open_at].rstrip(" \t\u00a0")[-1:] not in ("", "\n", "\r"):
        return False
    doc = chunk.doc
    i = chunk.token_range(q.close_end, q.close_end + 1)[0]
    while i < len(doc) and doc[i].is_space:
        i += 1
    if i >= len(doc) or doc[i].text not in _DASHES or "\n" not in chunk.text[q.close_end:doc[i].idx]:
        return False
    if qi + 1 < len(chunk.quotes) and chunk.quotes[qi + 1].open_at < doc[i].idx:
        return False
    line = []
    for tok in doc[i + 1:]:
        if tok.is_space or tok.text in (",", ".", ";", "("):
            break
        line.append(tok)
        if "\n" in tok.whitespace_:
            break
    return _signed(chunk, qi, line, (doc[i].idx, doc[i].idx + len(doc[i])))


def pass_after(chunk: Chunk) -> None:
    for qi, q in enumerate(chunk.quotes):
        window = _after_window(chunk, qi)
        if not window and qi not in chunk.assigned and _signed_below(chunk, qi):
            continue
        embedded = _embedded(chunk, q)
        if not window or (embedded and not _comma_closes(chunk, q)) or \
                _dash_signature(chunk, qi, window) or _introduces_next(chunk, qi, window):
            continue
        lead = _leading_name(chunk, window)
        words_seen = 0
        for tok in window:
            if tok.is_punct or tok.is_space:
                continue
            # A gerund under a preposition names an act ('This sort of opining, CNN
            # claimed, ...'); it does not report the quotation before it.
            if is_cue(tok) and tok.i not in chunk.used_cues and \
                    reports_speech(tok) and tok.dep_ not in ("amod", "pcomp") and (
                    lead is None or tok.nbor(-1).text == ","):
                cue = tok
                break
            if words_seen and _verb_of_a_quote(chunk, q, tok):
                cue = tok
                break
            if not words_seen and _verb_before_its_speaker(chunk, q, tok):
                cue = tok
                break
            if words_seen and _verb_read_as_a_noun(chunk, q, tok):
                cue = tok
                break
            words_seen += 1
            # A verb starts a new clause -- unless the tagger took a name for one
            # ("harbour master Jonas Ekberg said"), or it is in the name's apposition.
            if words_seen > (_MAX_APPOSITION_WORDS if lead is not None else _MAX_WORDS_BEFORE_CUE) \
                    or (lead is None and tok.pos_ == "VERB" and tok.dep_ not in (
                        "nsubj", "compound", "amod")):
                cue = None
                break
        else:
            cue = None
        # '"..." But Trump did not respond': a clause opening with a conjunction, or
        # denying the speaking, is the writer's next sentence, not a reporting clause.
        if cue is None or _opens_another_clause(window) or any(
                c.dep_ == "neg" and chunk.quote_of[c.i] < 0 for c in cue.children):
            continue
        lemma = cue.lemma_.lower()
        # Content of its own after the cue means the cue reports something else --
        # except a next quotation, which continues this one.
        # After a quotation that closed its sentence ('... as an "umpire." Students would
        # continue to take tests'), an infinitive of the verb's own is content too,
        # unless it is the speaking itself ("went on to say").
        closed = chunk.text[q.start:q.end].rstrip()[-1:] == "."
        # '"...," read the email': the verb straight after the quotation puts its
        # speaker after it, where the parser may take the speaker for an object.
        inverted = next((t for t in window if not (t.is_punct or t.is_space)), cue).i == cue.i
        if inverted and cue.tag_ == "VBG":
            # 'but said, "It's time we change," promising the club will return': a
            # participle straight after the quotation goes on with the sentence's
            # speaker, named before it; nobody after it speaks.
            continue
        own = [c for c in cue.children if c.i > cue.i and chunk.quote_of[c.i] != qi and (
            (c.dep_ == "ccomp" and not circumstance_clause(c) and not relative_clause(c)
             and not _after_a_participle(cue, c))
            or (c.dep_ == "dobj" and lemma not in BARE_OBJECT_CUES and c.pos_ != "PRON" and not inverted)
            or (closed and c.dep_ == "xcomp" and c.pos_ == "VERB"
                and c.lemma_.lower() not in SPEECH_LEMMAS))
               and not _continues_quote(chunk, cue, c) and not _participle_clause(c)
               and not (inverted and _speaker_then_aside(cue, c))
               and not _said_by_a_later_verb(chunk, cue, c)
               and not chunk.in_title(c.left_edge.idx, c.right_edge.idx + len(c.right_edge))]
        if own:
            continue
        window_ids = {t.i for t in window}
        subject = subject_of(cue) if cue.pos_ != "NOUN" else _noun_before(cue)
        if lead is not None:
            subject = lead.root
        elif inverted and (subject is None or subject.i not in window_ids):
            subject = next((c for c in cue.children if c.dep_ in ("nsubj", "dobj")
                            and c.i > cue.i and c.i in window_ids), None)
        if lead is None and subject is not None and chunk.quote_of[subject.i] >= 0:
            # '"That was a good speech, Mr. President," Rep. Steve Cohen, Democrat of
            # Tennessee, told Mr. Obama': the parser took the vocative inside the quotation
            # for the subject; the name after it is the speaker.
            named = min((e for e in chunk.ents if e.label_ in ("PERSON", "ORG")
                         and window[0].i <= e.start and e.end <= cue.i),
                        key=lambda e: (e.label_ != "PERSON", e.start), default=None)
            subject = named.root if named is not None else subject
        if lead is None and (subject is None or subject.i not in window_ids):
            subject = _nearest_nominal(window, cue)
        if subject is None:
            subject = _name_the_parser_missed(chunk, cue)  # '"...," Will wrote.'
        if subject is None:
            continue
        # Only the speaker's own words may stand between the quotation and the
        # cue ('"...," the minister, Jane Doe, said', '"...," as Lind put it'); anything
        # else is a new clause.
        lo, hi = subject.left_edge.i, subject.right_edge.i
        if lead is None and any(not (t.is_punct or t.is_space or lo <= t.i <= hi or t.pos_ in _NAME_POS
                                     or t.dep_ in ("nsubj", "compound", "dep", "appos")
                                     or (t.lower_ == "as" and t.head.i == cue.i and puts_it(cue)))
                                for t in window if t.i < cue.i):
            continue
        if embedded:
            # 'Candidates who think "we have no interests there are wrong," she said.':
            # the clause after the comma reports the whole sentence the quotation ends,
            # whatever verb that sentence holds; the quoted words are hers.
            opening = _before_window(chunk, qi)
            if not _reports_the_sentence(chunk, qi, window, opening, cue, subject):
                continue
            start = next((t.idx for t in opening if not (t.is_space or t.is_punct)), q.open_at)
            found = record(chunk, PARTIAL, [(start, q.close_end)], cue, subject, [q])
        else:
            found = record(chunk, DIRECT, list(q.parts), cue, subject, [q])
        if lead is not None:
            found.speaker = lead
        # '"...," the mayor said, adding that it would take "more hours"': a report
        # with a clause of its own after the cue says something new, and a quotation
        # after it belongs to it, not to this one (so too 'said Lind, who said the
        # council had promised "..."' and 'told reporters, before insisting he had a "..."').
        # So does a colon after someone else's verb ('said as the heckler yelled: "..."').
        colon = window[-1].text == ":"
        if not any(t.i > cue.i and t.pos_ == "VERB" and (
                (t.lemma_.lower() in SPEECH_LEMMAS
                 and (any(c.dep_ == "ccomp" for c in t.children) or _participle_clause(t)))
                or (colon and any(c.dep_ == "nsubj" for c in t.children))) for t in window):
            found.clause_end = window[-1].idx + len(window[-1])


def _speaker_then_aside(cue: Token, clause: Token) -> bool:
    """'"...," said retired captain Ben Olsen, asked about his medal': after a verb that
    follows its quotation, a clause the parser starts with the words right after the verb
    is the speaker's name and an aside about them, not what the verb reports."""
    first = clause.left_edge
    return clause.dep_ == "ccomp" and first.i == cue.i + 1 and \
        first.pos_ in ("PROPN", "NOUN", "ADJ", "DET", "VERB") and \
        any(c.dep_ == "nsubj" and c.pos_ == "PROPN" and c.i < clause.i for c in clause.children)


def _opens_another_clause(window: list[Token]) -> bool:
    first = next((t for t in window if not (t.is_punct or t.is_space)), None)
    # (or a relative pronoun: '"Ladies and gentlemen, Mr. Paul Olsen," who proceeded to
    # sing' goes on with a name inside the quotation)
    return first is not None and (first.pos_ == "CCONJ" or first.tag_ in ("WP", "WDT"))


def _said_by_a_later_verb(chunk: Chunk, cue: Token, child: Token) -> bool:
    """'"...," Lind said as the heckler yelled: "You suck!"': the parser hangs the next
    quotation on the cue, but a verb with a subject of its own comes between them."""
    qi = chunk.quote_of[child.i]
    if qi < 0:
        return False
    first = chunk.token_range(chunk.quotes[qi].open_at, chunk.quotes[qi].open_at + 1)[0]
    return any(t.pos_ == "VERB" and any(c.dep_ == "nsubj" for c in t.children)
               for t in chunk.doc[cue.i + 1:first])


def _participle_clause(clause: Token) -> bool:
    """'"...," Kiedis said, mentioning the album is "in the home stretch."': a clause
    opening with a participle after a comma is a report of its own, however the parser
    hung it, not what the verb before it says."""
    first = clause.left_edge
    return first.tag_ == "VBG" and first.i > 0 and first.nbor(-1).text == ","


def _introduces_next(chunk: Chunk, qi: int, window: list[Token]) -> bool:
    """'Lind said, "... ." She added, "..."' (or '"Why now?" Lind wrote back, "..."'):
    after a quotation that ended its sentence, a clause ending in a comma or colon right
    before the next quotation opens that one; it does not report the quotation before it."""
    q = chunk.quotes[qi]
    if qi + 1 >= len(chunk.quotes) or window[-1].text not in (",", ":"):
        return False
    closing = chunk.text[q.start:q.end].rstrip()[-1:]
    # ('"Filth out!" she wrote, ...': after "?" or "!" a lower-case word goes on
    # with the quotation's own sentence.)
    if closing != "." and not (closing in "?!" and window[0].text[:1].isupper()):
        return False
    end = window[-1].idx + len(window[-1])
    return not chunk.text[end:chunk.quotes[qi + 1].open_at].strip()


def _reports_the_sentence(chunk: Chunk, qi: int, window: list[Token], opening: list[Token],
                          cue: Token, subject: Token) -> bool:
    """After a quotation inside a clause of its own ('They want to "..."'), a reporting
    clause that is all the rest of the sentence ('," Lind said.'): nothing after it
    but the speaker's name and description, and a clause with a verb before (the
    words of ``opening``, the sentence up to the quotation)."""
    if window[-1].text not in SENTENCE_END or cue.tag_ == "VBG" or cue.lemma_.lower() == "report":
        # (not a participle's object, 'blaming Bloomberg.'; and '..., the Post reported.'
        # passes the words on: whoever the sentence says said them keeps them)
        return False
    inverted = subject.i > cue.i
    if not (subject.dep_ in ("nsubj", "nsubjpass") or inverted):
        return False
    lo, hi = subject.left_edge.i, subject.right_edge.i
    if any(t.pos_ in ("VERB", "AUX") and t.i != cue.i and not lo <= t.i <= hi for t in window):
        return False
    opening = [t for t in opening if chunk.quote_of[t.i] < 0]
    if not any(t.pos_ in ("VERB", "AUX") for t in opening):
        return False
    # A person's verb of saying in the sentence that reports the quotation keeps it
    # ('Lind called the plan "a disaster," Berg said': Lind's words, by Berg's account);
    # wanting, thinking, or a poll showing does not.
    q = chunk.quotes[qi]
    qa, qb = chunk.token_range(q.start, q.end)
    words = [t.i for t in chunk.doc[qa:qb] if not (t.is_punct or t.is_space)]
    if not words:
        return False
    for inner in opening:
        lemma = inner.lemma_.lower()
        if not is_cue(inner) or lemma not in SPEECH_LEMMAS or lemma in MENTAL_LEMMAS:
            continue
        speaker = subject_of(inner)
        rng = content_range(chunk, inner)
        if speaker is not None and is_agent(speaker) and rng is not None and \
                rng[0] <= words[0] and words[-1] <= rng[1]:
            return False
    return True


def _after_a_participle(cue: Token, clause: Token) -> bool:
    """'Trump asked, repeating a broadside - that the president was to blame - ...': a
    clause after the cue's participle belongs to the participle's phrase, even where
    the parser hung it on the cue."""
    return any(c.tag_ == "VBG" and cue.i < c.i < clause.left_edge.i for c in cue.children)


def _comma_closes(chunk: Chunk, q) -> bool:
    """The quotation ends its words with a comma ('... are wrong," she said'): what
    follows is a clause of the same sentence, such as the one reporting it."""
    return chunk.text[q.start:q.end].rstrip().endswith(",") or \
        chunk.text[q.close_end:q.close_end + 1] == ","


def _embedded(chunk: Chunk, q) -> bool:
    """'called the vote "fantastic," telling reporters ...': a quotation that opens
    straight after a word of the running sentence is part of that sentence, so the
    clause after it is that sentence's next clause, not the quotation's reporting
    clause (whose quotation opens a sentence, or follows a colon or a comma)."""
    i = q.open_at - 1
    while i >= 0 and chunk.text[i] in " \t\u00a0":  # (not a copy of all the text before it)
        i -= 1
    return i >= 0 and chunk.text[i].isalnum()


# What a verb that says something else has: an object or complement of its own.
_OWN_OBJECTS = ("dobj", "ccomp", "xcomp", "attr", "acomp", "oprd")


def _finite_without_object(chunk: Chunk, verb: Token, objects: tuple[str, ...] = _OWN_OBJECTS) -> bool:
    """A finite verb with no object of its own among ``objects`` outside quotation marks:
    whatever the verb, it can only be reporting the quotation beside it."""
    return verb.pos_ == "VERB" and verb.tag_ in ("VBD", "VBZ") and not any(
        c.dep_ in objects and chunk.quote_of[c.i] < 0 for c in verb.children)


def _runs_on_into(chunk: Chunk, q, verb: Token, objects: tuple[str, ...]) -> bool:
    """A finite verb after quotation ``q`` closed on a comma (or "?", "!"), with no
    object of its own among ``objects`` outside the quotation: the reporting clause."""
    return chunk.text[q.start:q.end].rstrip()[-1:] in (",", "?", "!") and \
        _finite_without_object(chunk, verb, objects)


def _verb_of_a_quote(chunk: Chunk, q, verb: Token) -> bool:
    """'"...," Toomey fumed on Tuesday': a quotation closed on a comma (or "?", "!")
    runs on into its reporting clause, so the verb right after the speaker reports
    it, whatever the verb ("fumed", "quipped", "shot back")."""
    return _runs_on_into(chunk, q, verb, _OWN_OBJECTS)


def _verb_before_its_speaker(chunk: Chunk, q, verb: Token) -> bool:
    """'"...," scoffed Ana Lind': the same, with the speaker's name after the verb (the
    parser may take it for the verb's object)."""
    after = verb.nbor(1) if verb.i + 1 < len(chunk.doc) else None
    if after is None or after.pos_ != "PROPN" or after.ent_type_ not in ("PERSON", "ORG", ""):
        return False
    return _runs_on_into(chunk, q, verb, ("ccomp", "xcomp", "attr", "acomp", "oprd"))


def _verb_read_as_a_noun(chunk: Chunk, q, tok: Token) -> bool:
    """'"...," the editorial read.', '"...," the two write.': a speech verb that ends the
    clause after a quotation closed on a comma, right after its subject, is the
    reporting verb even where the tagger read it as a noun."""
    lower = tok.lower_
    form = lower in SPEECH_LEMMAS or (lower.endswith("s") and lower[:-1] in SPEECH_LEMMAS)
    after = tok.nbor(1) if tok.i + 1 < len(chunk.doc) else None
    return tok.pos_ == "NOUN" and form and (after is None or after.text in (".", "!", "?")) and \
        tok.nbor(-1).pos_ in ("NOUN", "PROPN", "NUM", "ADJ") and \
        chunk.text[q.start:q.end].rstrip()[-1:] == ","


def _noun_before(cue: Token) -> Token:
    """The subject of a verb the tagger read as a noun: the phrase that ends right before
    it, up to its head ('a voice-over in the ad states': the voice-over, not the ad)."""
    head = cue
    while head.dep_ in ("pobj", "prep") and head.head.i < head.i:
        head = head.head  # (the parser hung the "noun" on the phrase: "in the ad states")
    return head if head.i != cue.i else cue.nbor(-1)


def _leading_name(chunk: Chunk, window: list[Token]):
    """'"...," Gene Sperling, a top outside adviser, said': a name right after the
    quotation, set off by a comma, is the speaker, and all up to the comma before
    the cue is its apposition, however the parser hung it."""
    words = [t for t in window if not t.is_space]
    while words and words[0].is_punct:
        words = words[1:]  # '"...", Gene Sperling, ...' with the comma outside the marks
    if not words:
        return None
    first = words[0]
    ent = next((e for e in chunk.ents if e.start == first.i
                and e.label_ in ("PERSON", "ORG")), None)
    if ent is None:
        return None
    after = next((t for t in words if t.i >= ent.end), None)
    return ent if after is not None and after.text == "," else None


def _continues_quote(chunk: Chunk, cue: Token, child: Token) -> bool:
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
    # After the verb the speaker comes straight after it, before any comma ('said
    # Skelly, explaining he ...': not "he"), whatever the tagger made of the name.
    clause = list(itertools.takewhile(lambda t: t.text not in (",", ";", ":"),
                                      (t for t in window if t.i > cue.i)))
    after = [t for t in clause if t.pos_ in ("PROPN", "PRON", "NOUN")]
    if not after and clause and clause[0].is_alpha and clause[0].text[:1].isupper():
        return clause[0]
    if after:
        tok = after[0]
        while tok.dep_ in ("compound", "flat") and tok.head.i in {t.i for t in window}:
            tok = tok.head
        return tok
    return None


def _before_window(chunk: Chunk, qi: int) -> list[Token]:
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
        if tok.text in SENTENCE_END and window:
            break
        if tok.text in SENTENCE_END and not window:
            break
        window.append(tok)
        i -= 1
    window.reverse()
    return window


def _direct_or_partial(chunk: Chunk, qi: int, cue: Token, subject: Token | None) -> bool:
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
    whole = whole and (b < qb or word_count(chunk.doc, qb, b, stop=_MAX_WORDS_AFTER_WHOLE_QUOTE + 1)
                       <= _MAX_WORDS_AFTER_WHOLE_QUOTE)
    # 'Brushing aside X, he said, "..."': whatever the parser hung on the quotation's root,
    # a cue followed only by a comma or colon and then the whole clause in quote marks
    # introduces a direct quote.
    introduced = cue.idx < q.open_at and \
        chunk.text[cue.idx + len(cue.text):q.open_at].strip(" ,:\u00a0") == ""
    # (the complementiser "that" opening the clause is not one of its words)
    lead = a + 1 if chunk.doc[a].lower_ == "that" and chunk.doc[a].dep_ == "mark" else a
    few_before = word_count(chunk.doc, lead, qa - 1, stop=_MAX_WORDS_BEFORE_WHOLE_QUOTE + 1) \
        <= _MAX_WORDS_BEFORE_WHOLE_QUOTE if qa > lead else True
    # 'calling him "a total stiff"': a name in quote marks is given to something, and
    # the report is the two together (so too 'what Hedge called "the old model"').
    naming = cue.lemma_.lower() in NAMING_LEMMAS
    named = _named_before(cue)
    if whole and (introduced or few_before) and not (naming and (lead < qa or named is not None)):
        _record_whole(chunk, q, cue, subject)
        return True
    start, end = content_chars(chunk, a, b)
    start, end = min(start, q.open_at), max(end, q.close_end)
    inside = [chunk.quotes[oi] for oi in chunk.quotes_within(start, end) if oi not in chunk.assigned]
    parts = [strip_chars(chunk.text, start, end)]
    around = parts_around_aside(chunk, a, b, cue) if a < cue.i < b and start < cue.idx < end else None
    if around is not None:
        # 'Back then, Ms. Ripert said, she found her "very professional"': the aside
        # is not part of what she said.
        (left_start, left_end), (right_start, right_end) = around
        parts = [(min(left_start, start), left_end), (right_start, max(right_end, end))]
        named = None
    record_led(chunk, PARTIAL, named, parts, cue, subject, inside or [q])
    return True


def _colon_introduction(chunk: Chunk, qi: int, window: list[Token]) -> None:
    """'Okonkwo ... set out her plan:' then the quotation: whoever the clause
    ending in the colon is about speaks, whatever its verb."""
    words = [t for t in window if not t.is_space]
    if not words or words[-1].text != ":":
        return
    if _name_label(chunk, qi, words) or _source_label(chunk, qi, words):
        return
    verb = words[-1].head
    for _ in range(_COLON_HEAD_HOPS):  # the colon often hangs on the object ("made this comment:")
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if chunk.quote_of[verb.i] >= 0:
        # 'Dahl shot back: "That would be good."': the parser hung the colon on the
        # quotation's verb; the clause's own verb is the last one before the colon.
        verb = next((t for t in reversed(words[:-1]) if t.pos_ == "VERB"), verb)
    reporter = verb.head
    if verb.dep_ == "ccomp" and reporter.lemma_.lower() in SPEECH_LEMMAS and reporter.i < verb.i and \
            reporter.i not in chunk.used_cues and \
            not any(t.text in SENTENCE_END for t in chunk.doc[reporter.i:verb.i]):
        # 'He adds that Muslims have two choices: "..."': his words go on after the colon.
        verb = reporter
    if verb.pos_ not in ("VERB", "AUX") or verb.i in chunk.used_cues:
        return
    subject = subject_of(verb)
    if (subject is None or subject.tag_ in ("WP", "WDT")) and verb.dep_ in ("ccomp", "pcomp") \
            and verb.head.pos_ == "VERB" and verb.head.i not in chunk.used_cues:
        # 'Bush broke down exactly what was wrong with it to the paper: "..."': the
        # colon hangs on the clause inside; the sentence's own verb introduces.
        verb = verb.head
        subject = subject_of(verb)
    # (a document introduces words too: 'The piece used her words as its headline: "..."')
    if subject is None or not (is_agent(subject) or subject.lemma_.lower() in DOCUMENT_NOUNS
                               or _named_elsewhere(chunk, subject)):
        # 'The timing does not surprise pollster Daron Shaw: "..."': a clause whose
        # subject is no one, ending on a person's name, introduces that person.
        last = words[-2] if len(words) > 1 else None  # (a colon alone introduces nothing)
        subject = last if last is not None and last.ent_type_ == "PERSON" and \
            last.dep_ in ("dobj", "appos") else None
    if subject is None or chunk.quote_of[subject.i] >= 0:
        return
    q = chunk.quotes[qi]
    if len(q.text_words(chunk.text)) >= _MIN_COLON_QUOTE_WORDS:
        record(chunk, DIRECT, list(q.parts), verb, subject, [q])


def _named_elsewhere(chunk: Chunk, word: Token) -> bool:
    """'Hannity interjected: "..."' with the name tagged a common noun at the start of
    its sentence: a capitalised word the text also uses as a name elsewhere is that
    name."""
    return word.text[:1].isupper() and word.pos_ == "NOUN" and any(
        t.text == word.text and t.i != word.i and (t.ent_type_ == "PERSON" or t.pos_ == "PROPN")
        for t in chunk.doc)


def _source_label(chunk: Chunk, qi: int, words: list[Token]) -> bool:
    """'From the report: "..."', 'According to the filing: "..."', 'Here's Lind in
    1992: "..."': a sentence that is only its source and a colon labels whose words
    follow."""
    start = len(words) - 1
    while start > 0 and words[start - 1].text not in SENTENCE_END and \
            not (words[start - 1].is_space or "\n" in words[start - 1].whitespace_):
        start -= 1
    label = words[start:-1]
    if len(label) < 2 or label[0].lower_ not in ("from", "according", "here"):
        return False
    if label[0].lower_ == "here":
        # (who is presented, before when or where: "in December 1992")
        if label[1].lower_ not in ("'s", "\u2019s", "is"):
            return False
        rest = list(itertools.takewhile(lambda t: t.pos_ != "ADP", label[2:]))
    else:
        rest = label[2:] if label[0].lower_ == "according" and label[1].lower_ == "to" else label[1:]
    nouns = [t for t in rest if t.pos_ in ("NOUN", "PROPN", "PRON")]
    if not nouns or any(t.pos_ in ("VERB", "AUX") for t in rest) or \
            len(rest) > _MAX_SIGNATURE_WORDS * 2 or chunk.quote_of[rest[0].i] >= 0:
        return False
    source = nouns[-1]
    if not (is_agent(source) or source.lemma_.lower() in DOCUMENT_NOUNS):
        return False
    q = chunk.quotes[qi]
    record(chunk, DIRECT, list(q.parts), label[0], source, [q])
    return True


def _name_label(chunk: Chunk, qi: int, words: list[Token]) -> bool:
    """'Clinton: "Our goal is ..."', '... - Pew Research: "..."': a name and a colon
    alone, as transcripts and round-ups print them, label whose words follow."""
    if len(words) < 2:
        return False
    last = words[-2]
    ent = next((e for e in chunk.ents if e.end == last.i + 1
                and e.label_ in ("PERSON", "ORG")), None)
    if ent is None or not _labels_alone(words, ent):
        # A name the recogniser missed: capitalised words ("Pew Research"), or two
        # names joined by "and" ("Frank Newport and Jim Harter").
        run = [t for t in words[:-1] if t.i <= last.i]
        k = len(run)
        while k > 0 and ((run[k - 1].is_alpha and run[k - 1].text[:1].isupper()) or (
                run[k - 1].lower_ in ("and", "&") and k < len(run) and k > 1)):
            k -= 1
        if k == len(run) or len(run) - k > 2 * _MAX_SIGNATURE_WORDS or run[k].lower_ == "and":
            return False
        ent = chunk.doc[run[k].i:last.i + 1]
        if not _labels_alone(words, ent):
            return False
    if chunk.quote_of[ent.start] >= 0:
        return False
    q = chunk.quotes[qi]
    if len(q.text_words(chunk.text)) < _MIN_COLON_QUOTE_WORDS:
        return False
    found = record(chunk, DIRECT, list(q.parts), None, ent.root, [q])
    found.speaker = ent
    return True


def _labels_alone(words: list[Token], name) -> bool:
    """The name starts its line or sentence, or follows a dash ("... - Pew Research:")."""
    before = [t for t in words[:-1] if t.i < name.start]
    return not before or before[-1].text in _DASHES


def pass_before(chunk: Chunk) -> None:
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
                    gap.strip(" \t\u00a0,") == "" and not _embedded(chunk, q):
                _goes_on(chunk, prev, qi)
                continue
        window = _before_window(chunk, qi)
        words = [t for t in window if not t.is_space]
        if words and words[-1].text == ":" and any(t.text in _DASHES for t in words) and \
                _name_label(chunk, qi, words):
            # 'Pollsters agree - Carl Bialik: "..."': a round-up's topic line, then the
            # name of whose words follow; the topic's verb is not the attribution, nor
            # the name what the topic reports.
            chunk.used_cues.update(t.i for t in words if is_cue(t))
            continue
        _introduced(chunk, qi, window)
        if qi not in chunk.assigned:
            # 'When Trump suggested ..., Rubio fired back: "..."': the clause ending in
            # the colon introduces it, whatever cue came earlier in the sentence.
            _colon_introduction(chunk, qi, window)


def _introduced(chunk: Chunk, qi: int, window: list[Token]) -> None:
    """'X said, "..."' / 'X said that "..."': the reporting clause before quotation ``qi``."""
    q = chunk.quotes[qi]
    cues = [t for t in window if is_cue(t) and t.i not in chunk.used_cues]
    if not cues:
        _any_verb_before(chunk, qi, window)
        return
    cue = _outer_speech_cue(cues[-1], cues)
    subject = subject_of(cue)
    if subject is not None and chunk.quote_of[subject.i] >= 0:
        subject = None
    if subject is None or not is_agent(subject):
        subject = _name_before_aside(chunk, cue) or subject
    if subject is None:
        subject = _name_the_parser_missed(chunk, cue)
    if subject is None and cue.tag_ == "VBG":
        # 'Clinton seemed ready to riff on it, telling the crowd, "..."': a participle
        # after a clause shares its subject (the parser hangs it on the quotation).
        subject = next((t for t in reversed(window) if t.i < cue.i and t.dep_ in (
            "nsubj", "nsubjpass") and t.head.dep_ == "ROOT" and is_agent(t)), None)
    if subject is None:
        if _asked_by_nobody_named(chunk, qi, cue, window):
            # 'Blumenthal was asked, "Would you have told her?"': the question is not
            # his, and whoever put it is not named; nor is it the next words of the
            # speaker before it.
            record(chunk, DIRECT, list(q.parts), cue, None, [q])
        return
    lemma = cue.lemma_.lower()
    if not quotes_speech(cue, subject) and len(q.text_words(chunk.text)) < _MIN_SPOKEN_QUOTE_WORDS:
        return  # "fearing a 'Russian invasion'": the writer's scare quotes
    if _direct_or_partial(chunk, qi, cue, subject):
        return
    between = [t for t in window if t.i > cue.i and not t.is_space]
    words = [t for t in between if not (t.is_punct or t.is_space)]
    last = between[-1].text if between else cue.text
    # (a cue tagged as an adjective, "detailed", passed is_cue as a speech verb)
    speech = (reports_speech(cue) or cue.pos_ == "ADJ") and lemma not in MENTAL_LEMMAS
    if speech and len(words) <= _MAX_WORDS_CUE_TO_QUOTE and not any(t.pos_ == "VERB" for t in words) and (
            last in _INTRO_PUNCT or last == cue.text or last.lower() == "that"):
        _record_whole(chunk, q, cue, subject)


def _asked_by_nobody_named(chunk: Chunk, qi: int, cue: Token, window: list[Token]) -> bool:
    """'X was asked, "..."': a passive "ask" with no "by" right before the question."""
    between = [t for t in window if t.i > cue.i and not (t.is_punct or t.is_space)]
    return cue.lemma_.lower() == "ask" and not between and \
        any(c.dep_ == "nsubjpass" for c in cue.children) and \
        not any(c.dep_ == "agent" for c in cue.children) and \
        chunk.text[chunk.quotes[qi].start:chunk.quotes[qi].end].rstrip().endswith("?")


def _named_before(cue: Token) -> Token | None:
    """The relative pronoun a naming verb names ('what Hedge called "the old model"')."""
    if cue.lemma_.lower() not in NAMING_LEMMAS:
        return None
    return next((c for c in cue.children if c.dep_ == "dobj" and c.i < cue.i
                 and c.tag_ in ("WP", "WDT")), None)


def _record_whole(chunk: Chunk, q, cue: Token, subject: Token) -> None:
    """A quoted sentence its cue introduces.  'said that "The ferry will run."': the
    item starts at the reporter's "that", as attribution corpora mark the reported
    clause, and says how long 'that "' is, so the desk shows the quotation without it."""
    named = _named_before(cue)
    if named is not None:
        # 'a model which Lind called "a disgrace"': the thing named, then its name.
        record_led(chunk, PARTIAL, named, [strip_chars(chunk.text, q.open_at, q.close_end)], cue,
                   subject, [q])
        return
    parts = list(q.parts)
    mark = chunk.token_range(q.open_at, q.open_at + 1)[0]
    that = chunk.doc[mark - 1] if mark > 0 else None
    before = 0
    if that is not None and that.lower_ == "that" and cue.i < that.i and chunk.quote_of[that.i] < 0:
        before = parts[0][0] - that.idx
        parts[0] = (that.idx, parts[0][1])
    record(chunk, DIRECT, parts, cue, subject, [q]).lead_in = before


def _name_the_parser_missed(chunk: Chunk, cue: Token) -> Token | None:
    """A speaker's name next to the cue that the parser did not make its subject."""
    doc = cue.doc
    if cue.i == cue.sent.start or cue.nbor(-1).is_punct:
        # 'Said Ellis: "..."': an inverted subject (but in 'a lawmaker called Trump
        # "..."', where the verb does not open its clause, the name is its object).
        nxt = cue.nbor(1) if cue.i + 1 < len(doc) else None
        return nxt if nxt is not None and nxt.pos_ == "PROPN" and chunk.quote_of[nxt.i] < 0 else None
    if cue.i > cue.sent.start + 1 and cue.text[:1].islower():
        # 'And Skelly called ...', '..., Will described ...': a capitalised word right
        # before the verb, mid-sentence, is a name the tagger took for something else
        # (not on a headline's line, where every word is capitalised).
        prev = cue.nbor(-1)
        before = prev.nbor(-1)
        if prev.is_alpha and prev.text[:1].isupper() and prev.pos_ in ("ADV", "AUX", "PROPN", "NOUN") \
                and chunk.quote_of[prev.i] < 0 and not before.is_space and "\n" not in before.whitespace_:
            return prev
    return None


# How far back the opening comma of a participle aside may lie ('Trump, asked about the
# deaths of journalists under Mr. Putin, had said').
_ASIDE_TOKENS = 20


def _name_before_aside(chunk: Chunk, cue: Token) -> Token | None:
    """'after Mr. Trump, asked about the deaths of journalists, had said, "..."': a
    name, then an aside opening with a participle set off by commas, then the cue (and
    its auxiliaries): the name is the speaker the parser did not give the cue."""
    doc = cue.doc
    i = cue.i - 1
    while i >= 0 and doc[i].pos_ == "AUX":
        i -= 1
    if i < 2 or doc[i].text != ",":
        return None
    for j in range(i - 2, max(i - _ASIDE_TOKENS, 0), -1):
        if doc[j].text == ",":
            if doc[j + 1].tag_ not in ("VBN", "VBG", "VBD"):  # ("asked", often tagged VBD)
                return None
            name = doc[j - 1]
            if name.ent_type_ == "PERSON" and chunk.quote_of[name.i] < 0:
                return name
            return None
    return None


def _any_verb_before(chunk: Chunk, qi: int, window: list[Token]) -> None:
    """'Clinton cracked, "..."', 'his friends jeered, "..."': a finite verb with no
    object of its own, its subject someone, then a comma and the quotation: whatever the
    verb, it introduces the quotation (as '"...," Toomey fumed' ends one)."""
    words = [t for t in window if not t.is_space]
    if len(words) < 3 or words[-1].text != ",":
        return
    verb = words[-2]
    if verb.lemma_.lower() in DOCUMENT_NOUNS and verb.dep_ == "dobj" and verb.head.pos_ == "VERB":
        # 'Lind issued a statement, "..."': the document she put out holds the words.
        verb = verb.head
    elif not _finite_without_object(chunk, verb):
        return
    if verb.i in chunk.used_cues:
        return
    subject = subject_of(verb)
    if subject is None or chunk.quote_of[subject.i] >= 0 or not is_agent(subject):
        return
    q = chunk.quotes[qi]
    record(chunk, DIRECT, list(q.parts), verb, subject, [q])


def _outer_speech_cue(cue: Token, cues: list[Token]) -> Token:
    """'She said he would consider it a "grave insult"': a stance verb inside the
    reported clause of a speech verb is part of that report, not its own cue -- also
    from a relative clause inside it ('stating that the council should break with the
    group that has declared a "free zone"': the reporter's words, quoted in part)."""
    ids = {t.i for t in cues if t.lemma_.lower() in SPEECH_LEMMAS
           and t.lemma_.lower() not in MENTAL_LEMMAS}
    # 'Back then, Ms. Ripert said, she found her "very professional"': the aside
    # reports the whole clause, the verb inside it included.
    aside = next((t for t in cues if t.i in ids and t.dep_ == "parataxis" and t.head.i == cue.i
                  and t.i < cue.i), None)
    if aside is not None:
        return aside
    best = cue
    token = cue
    for _ in range(_OUTER_CUE_HOPS):
        if token.head.i == token.i:
            break
        token = token.head
        if token.i in ids:
            best = token
    return best


def pass_continuations(chunk: Chunk) -> None:
    """A paragraph that is nothing but a quotation, right after a paragraph whose
    quotation was credited, continues that speaker's words (the usual news layout): it
    is more of the same quotation, its next part."""
    previous: Found | None = None
    for qi, q in enumerate(chunk.quotes):
        item = chunk.assigned.get(qi)
        if item is not None:
            previous = item if item.kind in (DIRECT, PARTIAL) else None
            continue
        if previous is None or not q.closed or len(q.text_words(chunk.text)) < _MIN_CONTINUATION_WORDS:
            previous = None
            continue
        before = chunk.text[previous.quotes[-1].close_end:q.open_at]
        after_end = chunk.text.find("\n", q.close_end)
        after = chunk.text[q.close_end:after_end if after_end >= 0 else len(chunk.text)]
        # ('Hussein said, "...". / Carter said that ... . / "That's because ...": the
        # speaker reported last goes on, not the one quoted before; ``pass_uncredited``
        # credits the nearest)
        if before.count("\n") == 0 or after.strip(" .\u00a0\t\r") or \
                before[before.rfind("\n") + 1:].strip() or \
                any(_reported_since(it, previous, q.open_at) for it in chunk.items):
            previous = None
            continue
        _goes_on(chunk, previous, qi)


def _reported_since(item: Found, previous: Found, end: int) -> bool:
    """Reported speech after ``previous``'s quotation and before ``end``, in a sentence
    of its own ('"...," Ryan said, adding that ...' is still Ryan's sentence)."""
    if item.kind != INDIRECT or item.speaker is None or not (
            previous.quotes[-1].close_end <= item.start and item.end <= end):
        return False
    return previous.cue_token is None or item.cue_token is None or \
        item.cue_token.sent.start != previous.cue_token.sent.start


def _goes_on(chunk: Chunk, item: Found, qi: int) -> None:
    """Quotation ``qi`` is more of ``item``'s quotation: its next part."""
    q = chunk.quotes[qi]
    item.parts.extend(q.parts)
    item.quotes.append(q)
    chunk.assigned[qi] = item


def _relaxed_attribution(chunk: Chunk, qi: int) -> bool:
    """A speech verb with a named subject later in the quotation's own sentence,
    when the strict surface patterns failed (long titles, parser slips)."""
    q = chunk.quotes[qi]
    doc = chunk.doc
    limit = chunk.quotes[qi + 1].open_at if qi + 1 < len(chunk.quotes) else len(chunk.text)
    i = chunk.token_range(q.close_end, q.close_end + 1)[0]
    for tok in doc[i:min(len(doc), i + _RELAXED_WINDOW)]:
        if tok.idx >= limit or (tok.is_space and "\n" in tok.text) or tok.text in SENTENCE_END:
            return False
        # (a verb: "won a single state" names no speaker)
        if tok.i in chunk.used_cues or tok.lemma_.lower() not in NESTED_REPORT_LEMMAS or \
                tok.pos_ not in ("VERB", "AUX"):
            continue
        subject = subject_of(tok)
        if subject is None or chunk.quote_of[subject.i] >= 0 or subject.i < i:
            around = doc[i:tok.i + 1 + _INVERTED_SUBJECT_TOKENS]
            subject = _nearest_nominal([t for t in around if not t.is_punct], tok)
        if subject is None or subject.ent_type_ not in ("PERSON", "ORG") and \
                subject.pos_ != "PRON":
            return False
        record(chunk, DIRECT, list(q.parts), tok, subject, [q])
        return True
    return False


# What a speech verb that announces the next quotation may have besides its subject:
# who it was said to, and when, where or how ("Lind said in a statement.").
_ANNOUNCING_OBJECTS = ("ccomp", "xcomp", "attr", "oprd", "acomp")


def _announced(chunk: Chunk, qi: int) -> bool:
    """'Island University's Dianne Berg agreed. "The council is running out of time."':
    a sentence that is nothing but someone speaking, right before the quotation (in its
    paragraph or ending the one before), announces it: the quotation is what they said."""
    q = chunk.quotes[qi]
    doc = chunk.doc
    i = chunk.token_range(q.open_at, q.open_at + 1)[0] - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    if i < 0 or doc[i].text != "." or chunk.quote_of[i] >= 0 or \
            chunk.text[doc[i].idx + 1:q.open_at].count("\n") > 2:
        return False
    verb = doc[i].sent.root
    if verb.pos_ != "VERB" or verb.i in chunk.used_cues or not reports_speech(verb) or \
            any(chunk.quote_of[t.i] >= 0 for t in doc[i].sent):
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or not is_agent(subject) or any(
            c.dep_ in _ANNOUNCING_OBJECTS or c.dep_ == "neg"
            or (c.dep_ == "dobj" and not is_agent(c)) for c in verb.children):
        return False
    record(chunk, DIRECT, list(q.parts), verb, subject, [q])
    return True


def _said_until(item: Found) -> int:
    return item.quotes[-1].close_end if item.quotes else item.end


def pass_uncredited(chunk: Chunk) -> None:
    """Quoted sentences nobody is credited with are still quotations for the
    desk to attribute: a closed quotation of a whole sentence or more."""
    for qi, q in enumerate(chunk.quotes):
        if qi in chunk.assigned or not q.closed:
            continue
        words = q.text_words(chunk.text)
        if len(words) >= _MIN_RELAXED_QUOTE_WORDS and _relaxed_attribution(chunk, qi):
            continue
        if len(words) < _MIN_UNCREDITED_WORDS or not words[0][:1].isupper() or \
                not chunk.text[q.start:q.end].rstrip().endswith((".", "?", "!", ",")):
            continue
        if _announced(chunk, qi):
            continue
        # The speaker quoted just before (same or previous paragraph) is the one
        # news prose means; further back the desk decides.
        # (the distance first: counting paragraphs over a long way back costs its length)
        # (Quoted in part counts: 'Trump is a "change agent," Cole said. "That's ..."';
        # so does reported speech: 'Valastro praised the governor. / "We need ..."'.)
        recent = [(_said_until(it), it) for it in chunk.items if it.speaker is not None
                  and it.end <= q.open_at]
        recent = [(end, it) for end, it in recent if q.open_at - end < _MAX_CHARS_BACK
                  and chunk.text.count("\n\n", end, q.open_at) <= _MAX_PARAGRAPHS_BACK]
        previous = max(recent, key=lambda pair: pair[0])[1] if recent else None
        # More words of a quotation credited earlier in the same paragraph, nobody else
        # quoted in between: the same quotation goes on ('Lind said: "..." The vote
        # was close. "..."'), as a quotation cut by its attribution does.
        if previous is not None and previous.kind in (DIRECT, PARTIAL) and previous.quotes and \
                "\n" not in chunk.text[previous.quotes[-1].close_end:q.open_at]:
            _goes_on(chunk, previous, qi)
            continue
        found = Found(DIRECT, list(q.parts), previous.cue if previous else None,
                      previous.cue_token if previous else None,
                      previous.speaker if previous else None, [q])
        chunk.assigned[qi] = found
        chunk.items.append(found)
