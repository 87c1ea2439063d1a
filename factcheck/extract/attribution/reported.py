"""Reported speech without quote marks, from the dependency parse.

``pass_reported`` takes the content of every unused cue ("said"/"warned"/"vowed" ...),
including reports nested inside a direct quotation (reached *via* its speaker) and
agentless passives ("Kovac was accused of ..."); then the reports held in other
words: "according to X", "as X noted, ..." and "In the latest poll, ...", claim nouns
("his claim that ...") and stance adjectives ("Quist was critical of ...").
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from ..lexicon import (
    ECHO_LEMMAS,
    LIGHT_VERBS,
    MENTAL_LEMMAS,
    NESTED_REPORT_LEMMAS,
    PASSIVE_REPORT_LEMMAS,
    PASSIVE_SUBJECT_CONTENT,
    SPEECH_LEMMAS,
    STANCE_AGENT_NOUNS,
    STANCE_NOUNS,
    STANCE_ON_SOMEONE_LEMMAS,
)
from ..types import DIRECT, INDIRECT, PARTIAL
from .chunk import (
    Chunk,
    Found,
    ItemsAround,
    as_of,
    is_agent,
    noun_phrase,
    quotes_speech,
    strip_chars,
    subject_of,
    word_count,
)
from .content import clip, content_chars, content_range, parts_around_aside, trim_range
from .sources import record_led

# Fewest words of reported content: a single word ("said so", "denied it") is no report.
_MIN_REPORTED_WORDS = 2
# An agentless passive reports something only with a subject and a statement about it
# ("Turnout is expected to fall"), not "X was reported".
_MIN_PASSIVE_WORDS = 3
# A claim noun's that-clause or infinitive must be a clause ("his claim that fares
# rose"); its prepositional complement can be shorter ("criticism of the plan").
_MIN_NOUN_CLAUSE_WORDS = 3
_MIN_NOUN_COMPLEMENT_WORDS = 2
# What "according to X" attributes must be a statement, not a stray phrase.
_MIN_ACCORDING_WORDS = 3


# What one raises by speaking ("raised concerns about ..."); raising money, rates or
# a wage is an act, not speech.
_RAISED_IN_SPEECH = {"question", "concern", "issue", "possibility", "prospect", "specter",
                     "spectre", "doubt", "flag", "point", "alarm", "objection", "challenge",
                     "suspicion", "allegation", "idea", "matter", "fear", "worry", "eyebrow",
                     "complaint", "criticism", "argument", "claim", "charge", "topic",
                     "subject", "problem", "need", "risk", "danger", "threat"}
# How the parser hangs a participle phrase beside a clause ("Dismissing X, he said").
_PARTICIPLE_DEPS = ("advcl", "xcomp", "amod", "acl")
# Tokens after the participle's object where its reporting clause stands (", he said").
_REPORT_AFTER_PARTICIPLE_TOKENS = 4


def pass_reported(chunk: Chunk) -> None:
    doc = chunk.doc
    # Cues come in text order: the items around each are found in one sweep.
    containers = ItemsAround(chunk.items, keep=lambda it: it.kind != DIRECT)
    covering = ItemsAround(chunk.items)
    for cue in chunk.cues:
        if cue.i in chunk.used_cues:
            continue
        qi = chunk.quote_of[cue.i]
        outer = None
        if qi >= 0:
            outer = chunk.assigned.get(qi)
            if outer is None or outer.kind != DIRECT:
                continue
        subject = subject_of(cue)
        if subject is None and qi < 0:
            _agentless_passive(chunk, cue, covering)
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
        a, b, head = rng
        if lemma == "raise" and head.lemma_.lower() not in _RAISED_IN_SPEECH:
            continue  # "raised $3 million", "raise the minimum wage": no words reported
        if qi >= 0:
            # A report nested in a quotation reports words inside that quotation;
            # when the parser hung the content elsewhere, the rest of the quotation is it.
            qa, qb = chunk.token_range(chunk.quotes[qi].start, chunk.quotes[qi].end)
            if a < qa or b >= qb:
                rest = trim_range(chunk, cue.i + 1, qb - 1)
                if rest is None or lemma not in SPEECH_LEMMAS:
                    continue
                a, b = rest
        if word_count(doc, a, b, stop=_MIN_REPORTED_WORDS) < _MIN_REPORTED_WORDS and \
                not _stance_on_someone(doc, a, b, cue):
            continue
        start, end = content_chars(chunk, a, b)
        if chunk.in_title(start, end):
            continue  # 'said on the podcast "Here's the Thing."': the show's name
        if qi < 0:
            end = _run_on_quote(chunk, end)
        parts = [strip_chars(chunk.text, start, end)]
        if a < cue.i < b:
            parts = parts_around_aside(chunk, a, b, cue)
            if parts is None:
                continue
        inner = [oi for oi in chunk.quotes_within(start, end) if oi != qi]
        if any(oi in chunk.assigned for oi in inner):
            continue
        if inner and not quotes_speech(cue, subject):
            continue  # "fearing reports of a 'Russian invasion'": scare quotes, no speech
        if not inner and _passing_topic(doc, a, b, cue):
            continue
        kind = PARTIAL if inner and outer is None else INDIRECT
        found = record_led(chunk, kind, _relative_pronoun(cue, subject, head), parts, cue, subject,
                           [chunk.quotes[oi] for oi in inner] if kind == PARTIAL else [])
        if outer is not None:
            found.outer = outer
        elif qi < 0:
            # (the first report around the cue, the one just recorded aside)
            container = containers.first(cue.idx, upto=len(chunk.items) - 1)
            if container is not None:
                if (container.cue_token is not None
                        and container.cue_token.lemma_.lower() in ECHO_LEMMAS) or \
                        lemma not in SPEECH_LEMMAS or lemma in MENTAL_LEMMAS:
                    # "echoed government claims that ...": one item, via the owner.
                    chunk.items.pop()
                    continue
                found.outer = container
    _pass_according_to(chunk)
    _pass_as_noted(chunk)
    _pass_in_poll(chunk)
    _pass_claim_nouns(chunk)
    _pass_stance_adjectives(chunk)


def _stance_on_someone(doc, a: int, b: int, cue: Token) -> bool:
    """'Christie endorsed Trump', 'the union backed Quist': a one-word object of a stance
    verb that names a person, an organisation or a party is the stance's whole content
    (but "said so", "denied it" report nothing, and "attacked Kyiv" is no stance on
    someone).  A pronoun object never reaches here: the content rules leave it out."""
    words = [t for t in doc[a:b + 1] if not (t.is_punct or t.is_space)]
    return len(words) == 1 and cue.lemma_.lower() in STANCE_ON_SOMEONE_LEMMAS and \
        words[0].dep_ == "dobj" and words[0].head.i == cue.i and \
        words[0].ent_type_ in ("PERSON", "ORG", "NORP")


def _relative_pronoun(cue: Token, subject: Token, head: Token) -> Token | None:
    """'probation, which he said was not a prison sentence': the relative pronoun right
    before the reporting clause stands in the reported clause for what it refers to.
    Attribution corpora open the content with it; the desk leaves it out (the item's
    ``lead_in``), as it leaves out a reporter's "that"."""
    pronoun = next((c for c in head.children if c.tag_ in ("WDT", "WP") and c.i < subject.i), None)
    if pronoun is None:
        return None
    between = cue.doc[pronoun.i + 1:cue.i]
    if any(not (t.is_punct or t.is_space or subject.left_edge.i <= t.i <= subject.right_edge.i
                or (t.dep_ == "advmod" and t.head.i == cue.i)) for t in between):
        return None
    return pronoun


def _passing_topic(doc, a: int, b: int, cue: Token) -> bool:
    """"*Downplaying* the likelihood of a major war, he predicted ...": a participle
    set beside a clause that reports speech says how that speech went, and its bare
    noun phrase object (no verb of its own, no quoted words) is the speech's topic,
    not a second thing said. ("He resigned, citing health reasons" reports no other
    speech: there the reasons are what he gave.)"""
    if cue.tag_ != "VBG" or cue.dep_ not in _PARTICIPLE_DEPS or any(
            c.dep_ in ("nsubj", "nsubjpass", "aux") for c in cue.children):
        return False
    if any(t.pos_ in ("VERB", "AUX") for t in doc[a:b + 1]):
        return False
    beside = [cue.head, *doc[b + 1:b + 1 + _REPORT_AFTER_PARTICIPLE_TOKENS]]
    return any(t.pos_ == "VERB" and t.lemma_.lower() in SPEECH_LEMMAS and t.i != cue.i
               for t in beside)


# Between a reported clause and quoted words that go on with it: nothing, or a comma.
# (A dash often hands over to someone else: "said the same, including Romney -- '...'".)
_RUN_ON_GAP = re.compile(r"[ \t]*,?[ \t]*")


def _according_to_inside(chunk: Chunk, opener: Token, cue_end: Token, source: Token, a: int,
                         b: int) -> Found | None:
    """"Fundraising, according to the campaign, has surged": a source set inside the
    clause it is the source of; the content is the clause around it, in two parts."""
    doc = chunk.doc
    left = trim_range(chunk, a, opener.left_edge.i - 1)
    # The right part keeps an "and" that joins the clause's halves ("..., according to
    # X, and nobody was hurt"): it is still the one clause.
    c = opener.right_edge.i + 1
    while c <= b and (doc[c].is_punct or doc[c].is_space):
        c += 1
    right = (c, b) if c <= b else None
    left = clip(chunk, *left, opener) if left is not None else None
    right = clip(chunk, *right, opener) if right is not None else None
    if right is not None and right[0] == c + 1 and doc[c].lower_ in ("and", "but"):
        right = (c, right[1])
    if left is None or right is None or word_count(doc, *left) + word_count(
            doc, *right, stop=_MIN_ACCORDING_WORDS) < _MIN_ACCORDING_WORDS:
        return None
    left, right = content_chars(chunk, *left), content_chars(chunk, *right)
    return _report(chunk, left[0], right[1], (opener.idx, cue_end.idx + len(cue_end)), opener,
                   noun_phrase(source),
                   parts=[strip_chars(chunk.text, *left), strip_chars(chunk.text, *right)])


def _run_on_quote(chunk: Chunk, end: int) -> int:
    """'said the council was to blame for "years of delay."': the parser often ends
    the reported clause at the opening mark; a quotation that follows with nothing
    between, or only a comma ('better to close the bridge, "because ..."'), and that
    no attribution of its own has taken, still belongs to it."""
    oi = chunk.first_quote_from(end)
    if oi < len(chunk.quotes):
        q = chunk.quotes[oi]
        gap = chunk.text[end:q.open_at]
        if q.closed and oi not in chunk.assigned and _RUN_ON_GAP.fullmatch(gap) \
                and q.open_at > end:
            return q.close_end
    return end


def _report(chunk: Chunk, start: int, end: int, cue: tuple[int, int], cue_token: Token,
            speaker: Span, *, quotes_inside: bool = False,
            parts: list[tuple[int, int]] | None = None) -> Found | None:
    """Record reported speech over chunk characters [start, end): partial when quotation
    marks fall in it (overlap it, or with ``quotes_inside`` lie wholly inside it), indirect
    otherwise; None when one of those quotations already belongs to another item."""
    held = chunk.quotes_within(start, end) if quotes_inside else chunk.quotes_overlapping(start, end)
    if any(qi in chunk.assigned for qi in held):
        return None
    quotes = [chunk.quotes[qi] for qi in held]
    found = Found(PARTIAL if quotes else INDIRECT, parts or [strip_chars(chunk.text, start, end)],
                  cue, cue_token, speaker, quotes)
    for qi in held:
        chunk.assigned[qi] = found
    chunk.items.append(found)
    return found


_LINKING = {"be", "seem", "remain", "become", "appear", "sound", "grow", "stay"}
_PASSIVE_COMPLEMENTS = ("xcomp", "prep", "oprd", "ccomp", "attr", "dobj", "advcl")


def _agentless_passive(chunk: Chunk, cue: Token, covering: ItemsAround) -> None:
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
    if covering.first(cue.idx) is not None:
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
    left = clip(chunk, subj.left_edge.i, subj.right_edge.i, cue)
    if left is None:
        return
    parts = [left]
    if rest:
        # "accused of hiding": the preposition is the verb's, not the content's
        first = rest[0].i + 1 if rest[0].dep_ == "prep" else rest[0].left_edge.i
        right = clip(chunk, first, max(c.right_edge.i for c in rest), cue)
        if right is None:
            return
        parts.append(right)
    elif lemma not in PASSIVE_SUBJECT_CONTENT:
        return
    if sum(word_count(chunk.doc, a, b, stop=_MIN_PASSIVE_WORDS) for a, b in parts) < _MIN_PASSIVE_WORDS:
        return
    chars = [content_chars(chunk, a, b) for a, b in parts]
    if chunk.quotes_overlapping(chars[0][0], chars[-1][1]):
        return  # quoted words in it: the quote passes decide
    found = Found(INDIRECT, [strip_chars(chunk.text, s, e) for s, e in chars],
                  (cue.idx, cue.idx + len(cue)), cue, None)
    chunk.used_cues.add(cue.i)
    chunk.items.append(found)


def _pass_stance_adjectives(chunk: Chunk) -> None:
    """"Quist was critical of the tram plan", "the board is confident that ...":
    a person's or organisation's stated position, held in an adjective."""
    covering = ItemsAround(chunk.items)
    for adj in chunk.stance_adjectives:
        head = adj.head
        # "is convinced that": the parser tags such participles VERB, still in the acomp slot.
        if adj.pos_ not in ("ADJ", "VERB") or adj.dep_ != "acomp" or head.lemma_.lower() not in _LINKING:
            continue
        if chunk.quote_of[adj.i] >= 0 or head.i in chunk.used_cues or adj.i in chunk.used_cues:
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
        if content is None or covering.first(adj.idx) is not None:
            continue
        rng = clip(chunk, content[0], content[1], adj)
        if rng is None:
            continue
        if _report(chunk, *content_chars(chunk, *rng), (adj.idx, adj.idx + len(adj)), adj,
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
        subject = subject_of(head)
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
            return child.left_edge.i, child.right_edge.i, _MIN_NOUN_CLAUSE_WORDS
        if child.dep_ == "acl" and child.pos_ in ("VERB", "AUX") and any(
                m.dep_ == "aux" and m.lower_ == "to" and m.i < child.i for m in child.children):
            return child.left_edge.i, child.right_edge.i, _MIN_NOUN_CLAUSE_WORDS
        if child.dep_ == "prep" and child.lower_ in _NOUN_CONTENT_PREPOSITIONS and (
                child.lower_ != "to" or tok.lemma_.lower() in _TO_CONTENT_NOUNS):
            obj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
            if obj is not None and obj.ent_type_ not in ("DATE", "TIME"):
                return child.i + 1, child.right_edge.i, _MIN_NOUN_COMPLEMENT_WORDS
    return None


def _pass_claim_nouns(chunk: Chunk) -> None:
    """"his claim that ...", "Szabo's decision to ...", "the union's criticism of
    ...": reported content of a noun with an owner who holds the position."""
    doc = chunk.doc
    covering = ItemsAround(chunk.items)
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
        if covering.first(tok.idx) is not None:
            continue
        rng = clip(chunk, content[0], content[1], tok)
        if rng is None or word_count(doc, *rng, stop=content[2]) < content[2]:
            continue
        _report(chunk, *content_chars(chunk, *rng), (tok.idx, tok.idx + len(tok)), tok,
                noun_phrase(owner), quotes_inside=True)


def _pass_according_to(chunk: Chunk) -> None:
    covering = ItemsAround(chunk.items)
    for tok in chunk.according:
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if pobj is not None:
            _clause_from_source(chunk, covering, tok, to, pobj)


# Verbs of speaking that "as" sets in time rather than cites: "As Quist answered, the crowd
# began to leave" says when, not what Quist said.
_AS_WHILE_SPEAKING = {"answer", "reply", "respond", "ask", "wonder", "laugh", "sigh", "cry",
                      "scream", "shout", "yell", "whisper", "continue", "speak", "sing", "chant"}


def _pass_as_noted(chunk: Chunk) -> None:
    """'As the Harbour Times noted, the mayor raised $1.1 million ...', '..., as Quist
    told reporters on Friday': a reporting clause opened by "as" and holding no words of
    its own (whom it was said to may stand in it) credits the clause it is set in, the
    way "according to X" does."""
    covering = ItemsAround(chunk.items)
    for cue in chunk.cues:
        if cue.i in chunk.used_cues or cue.dep_ != "advcl" or cue.lemma_.lower() not in SPEECH_LEMMAS \
                or cue.lemma_.lower() in _AS_WHILE_SPEAKING:
            continue
        as_ = as_of(cue)
        if as_ is None or as_.dep_ != "mark" or any(
                c.dep_ in ("ccomp", "xcomp", "attr", "oprd") or (
                    c.dep_ in ("dobj", "dative") and not is_agent(c)) for c in cue.children):
            continue
        subject = subject_of(cue)
        if subject is None or subject.head.i != cue.i or subject.pos_ == "DET":
            continue
        if _clause_from_source(chunk, covering, cue, cue, subject) is not None:
            chunk.used_cues.add(cue.i)


def _pass_in_poll(chunk: Chunk) -> None:
    """'In the new Harbour poll, the mayor wins one voter in three': a poll's finding,
    reported with the poll as its source the way "according to the poll" reports it.
    Polls in general ("In the polls, Quist has struggled") are no source."""
    covering = ItemsAround(chunk.items)
    for poll in chunk.polls:
        opener = poll.head
        if poll.dep_ != "pobj" or opener.lower_ != "in" or opener.dep_ != "prep" or \
                opener.i != opener.sent.start or opener.head.pos_ not in ("VERB", "AUX"):
            continue
        if poll.tag_ in ("NNS", "NNPS") and all(c.lower_ == "the" for c in poll.children):
            continue
        clause = opener.head
        if not chunk.quotes_overlapping(clause.left_edge.idx,
                                        clause.right_edge.idx + len(clause.right_edge)):
            _clause_from_source(chunk, covering, opener, opener, poll)


def _clause_from_source(chunk: Chunk, covering: ItemsAround, opener: Token, cue_end: Token,
                        source: Token) -> Found | None:
    """Report the clause that a source phrase hangs in ("according to X", "In X's poll",
    "as X noted"), with X as its speaker: ``opener`` heads the phrase and starts the cue,
    ``cue_end`` ends the cue, ``source`` heads who or what X is."""
    doc = chunk.doc
    if chunk.quote_of[opener.i] >= 0:
        return None
    head = opener.head
    while head.head.i != head.i and head.dep_ not in ("ccomp", "conj", "parataxis") \
            and not head.is_sent_start:
        head = head.head
    if head.i in chunk.used_cues or covering.first(opener.idx) is not None:
        return None
    if head.i == opener.i:
        # "According to X, the move reeks of ...", parsed with "According" as the
        # root: the clause after the comma that closes the source, to the sentence end.
        if opener.dep_ != "ROOT" or opener.i != opener.sent.start:
            return None
        comma = next((t.i for t in doc[source.i:opener.sent.end] if t.text == ","), None)
        if comma is None:
            return None
        a, b = comma + 1, opener.sent.end - 1
    else:
        a, b = head.left_edge.i, head.right_edge.i
    while b > a and (doc[b].is_punct or doc[b].is_space):
        b -= 1
    if head.i == opener.i:
        pass  # already the clause after the source
    elif opener.left_edge.i <= a:
        a = opener.right_edge.i + 1
    elif opener.right_edge.i >= b:
        b = opener.left_edge.i - 1
    else:
        return _according_to_inside(chunk, opener, cue_end, source, a, b)
    rng = clip(chunk, a, b, opener) if a <= b else None
    if rng is None or word_count(doc, *rng, stop=_MIN_ACCORDING_WORDS) < _MIN_ACCORDING_WORDS:
        return None
    phrase = noun_phrase(source)
    if head.i == opener.i and phrase.end > a:
        phrase = doc[phrase.start:a - 1]
    # "According to X, the move reeks of "fear"": quoted fragments make it partial.
    return _report(chunk, *content_chars(chunk, *rng), (opener.idx, cue_end.idx + len(cue_end)),
                   opener, phrase)
