"""Claim scoring: the fallback heuristic and the claims/quotes split.

Invented sentences only.
"""

import pytest

from factcheck import extract as engine
from factcheck.extract import extract, get_nlp
from factcheck.extract.claims import heuristic_scores


def test_heuristic_ranks_factual_sentences_above_questions_and_opinion():
    docs = list(get_nlp().pipe([
        "The port handled 4.2 million containers in 2030, up from 3.1 million in 2025.",
        "The council approved the new ferry contract on Tuesday.",
        "Do they really want the port to shrink?",
        "I think it is simply better to wait.",
        "Photo via the harbour authority",
    ]))
    facts, opinions = heuristic_scores([d[:] for d in docs[:2]]), heuristic_scores(
        [d[:] for d in docs[2:]])
    assert all(0.0 <= s <= 1.0 for s in facts + opinions)
    assert min(facts) > max(opinions)


def test_claims_are_the_writers_sentences_not_quoted_speech():
    text = ('The bridge carried 18,000 vehicles a day in 2030. "It carried 40,000 a day '
            'when I was mayor, and nobody checked," the former mayor, Ivo Strand, said.')
    result = extract(text)
    assert [c.text for c in result.claims] == [
        "The bridge carried 18,000 vehicles a day in 2030."]
    assert result.quotes[0].speaker.name == "Ivo Strand"
    assert result.claims[0].score > 0


def test_set_model_loads_lazily_and_can_be_switched_back():
    engine.set_model("no_such_spacy_model_xyz")
    try:
        with pytest.raises(OSError):
            extract("Any text.")
    finally:
        engine.set_model(engine.DEFAULT_MODEL)
    assert extract('"Fine," she said.').quotes
