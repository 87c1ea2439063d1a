"""The content rules one at a time: each finds what a cue reports in one shape of
sentence, and ``content_range`` takes the first rule's answer.

Every sentence here is invented for these tests.
"""

import pytest

from factcheck.extract import get_nlp
from factcheck.extract.attribution.chunk import Chunk
from factcheck.extract.attribution.content import (
    CONTENT_RULES,
    CueContext,
    adverbial_clause_or_gerund,
    clausal_complement,
    clause_before_aside,
    content_preposition,
    content_range,
    direct_object,
    listener_and_infinitive,
    open_complement,
    parenthetical_head,
    passive_subject,
    sentence_around_aside,
    sentence_before_trailing_cue,
    that_clause,
)
from factcheck.extract.quotes import find_quoted_spans


def cue_in(text, word):
    doc = get_nlp()(text)
    chunk = Chunk(doc, find_quoted_spans(text), text)
    token = next(t for t in chunk.cues if t.text == word)
    return chunk, token


def words(chunk, found):
    a, b, head = found
    return chunk.doc[a:b + 1].text, head.text


def apply(rule, text, word):
    chunk, token = cue_in(text, word)
    found = rule(chunk, CueContext(token, token.lemma_.lower(), list(token.children)))
    return words(chunk, found) if found else None


@pytest.mark.parametrize(("rule", "text", "cue", "content", "head"), [
    (clausal_complement, "The harbour board said the ferry would run late.", "said",
     "the ferry would run late", "run"),
    (that_clause, "Mayor Imre Szabo argued in a late statement that the tram plan was too costly.",
     "argued", "that the tram plan was too costly", "that"),
    (adverbial_clause_or_gerund, "Kovac said after the vote he would not accept the offer.", "said",
     "after the vote he would not accept the offer", "accept"),
    (adverbial_clause_or_gerund, "Kovac has admitted using the ferry fund.", "admitted",
     "using the ferry fund", "using"),
    (open_complement, "The Harbour Policy Institute plans to release its ferry audit next week.",
     "plans", "to release its ferry audit next week", "release"),
    (listener_and_infinitive, "Szabo told his supporters to stay home on Sunday.", "told",
     "his supporters to stay home on Sunday", "stay"),
    (passive_subject, "The figures were first reported by the Coastal Wire.", "reported",
     "The figures", "figures"),
    (direct_object, "Kovac mentioned the ferry deal.", "mentioned", "the ferry deal", "deal"),
    (content_preposition, "Berg talked about the budget gap.", "talked", "the budget gap", "about"),
    (parenthetical_head, "The latest test, the agency said, was its biggest.", "said",
     "The latest test, the agency said, was its biggest", "was"),
    (clause_before_aside, "It was, the mayor admitted, a costly mistake.", "admitted",
     "It was", "was"),
    (sentence_around_aside, "That is why, he argued, the council should wait.", "argued",
     "That is why, he argued, the council should wait", "is"),
    (sentence_before_trailing_cue, "Fares unclear on whether pensioners are covered, experts say.",
     "say", "Fares unclear on whether pensioners are covered", "Fares"),
])
def test_each_rule_on_its_own(rule, text, cue, content, head):
    assert apply(rule, text, cue) == (content, head)


@pytest.mark.parametrize(("rule", "text", "cue"), [
    # "said" has no infinitive of its own to report
    (open_complement, "The harbour board said the ferry would run late.", "said"),
    # the listener of "told" is no content without an infinitive after it
    (listener_and_infinitive, "Szabo told the council about the ferry.", "told"),
    # an active verb has no passive subject
    (passive_subject, "Kovac mentioned the ferry deal.", "mentioned"),
    # a cue that ends its sentence with nothing before a comma
    (sentence_before_trailing_cue, "Kovac mentioned the ferry deal.", "mentioned"),
])
def test_a_rule_leaves_other_shapes_to_the_next(rule, text, cue):
    assert apply(rule, text, cue) is None


@pytest.mark.parametrize(("text", "cue"), [
    ("Mayor Imre Szabo argued in a late statement that the tram plan was too costly.", "argued"),
    ("The latest test, the agency said, was its biggest.", "said"),
    ("It was, the mayor admitted, a costly mistake.", "admitted"),
    ("Rents will rise next year, the mayor warned.", "warned"),
    ("Fares unclear on whether pensioners are covered, experts say.", "say"),
])
def test_content_range_takes_the_first_rule_that_finds_a_range(text, cue):
    chunk, token = cue_in(text, cue)
    context = CueContext(token, token.lemma_.lower(), list(token.children))
    answers = [rule(chunk, context) for rule in CONTENT_RULES]
    first = next(found for found in answers if found is not None)
    assert content_range(chunk, token) == first
