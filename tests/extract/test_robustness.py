"""Text as it arrives: odd spaces, CRLF, junk, huge pastes, broken quote marks.

All texts are invented for these tests.
"""

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from factcheck.extract import Extraction, extract, extract_many

PARAGRAPH = ('"We will finish the bridge by June," the works director, Hana Berg, said on '
             "Monday. The city spent 4.1 million crowns on the first phase last year.")


def check_offsets(text, result):
    assert isinstance(result, Extraction)
    for quote in result.quotes:
        assert 0 <= quote.start <= quote.end <= len(text)
        for start, end in quote.parts:
            assert quote.start <= start <= end <= quote.end
        assert quote.text == " ".join(text[s:e] for s, e in quote.parts)
        assert 0.0 <= quote.score <= 1.0
        for span in [quote.speaker, quote.cue, quote.venue, *quote.via]:
            if span is not None:
                assert 0 <= span.start <= span.end <= len(text)
    for claim in result.claims:
        assert text[claim.start:claim.end] == claim.text
        assert 0.0 <= claim.score <= 1.0


def test_empty_and_blank_text():
    for text in ("", " ", "\n\n\n", "\u00a0\u2003"):
        result = extract(text)
        assert result.quotes == [] and result.claims == []


def test_binary_junk_returns_a_result():
    junk = bytes(range(256)).decode("latin-1") * 20 + "\x00\x01\ufffd\ud7ff"
    check_offsets(junk, extract(junk))


def test_a_lone_colon_before_a_quotation_does_not_crash():
    # A colon with no words before it, then a quotation: nothing introduces it.
    text = ('\n:\t"Open quote with no end\nA B C D: How soon will the money come? '
            'BRIGHTWATER : I said "we will pay" and I meant it.')
    check_offsets(text, extract(text))


def test_nbsp_and_crlf_keep_offsets_on_the_original_text():
    text = PARAGRAPH.replace(" ", "\u00a0", 6).replace(". ", ".\r\n\r\n")
    result = extract(text)
    check_offsets(text, result)
    quote = result.quotes[0]
    assert " ".join(quote.text.split()) == "We will finish the bridge by June,"
    assert quote.speaker.name == "Hana Berg"


def test_unbalanced_quote_mark_does_not_swallow_the_article():
    text = ('The mayor said "we are nearly there.\n\nThe council disagreed.\n\n'
            + "\n\n".join([PARAGRAPH] * 5) + '\n\nA stray mark" here.')
    result = extract(text)
    check_offsets(text, result)
    assert all(q.end - q.start < 200 for q in result.quotes)
    # the well-formed quotes after the broken one are still found
    assert sum(q.text == "We will finish the bridge by June," for q in result.quotes) == 5


@pytest.mark.slow  # about 35 s: runs last (tests/conftest.py), still in every make test and CI run
def test_half_a_million_characters_in_chunks():
    text = "\n\n".join([PARAGRAPH] * (500_000 // (len(PARAGRAPH) + 2) + 1))
    assert len(text) >= 500_000
    result = extract(text)
    check_offsets(text, result)
    assert len(result.quotes) >= 0.95 * text.count("We will finish")
    last = result.quotes[-1]
    assert last.start > 490_000
    assert text[last.speaker.start:last.speaker.end] == last.speaker.mention


def test_extract_many_matches_extract_and_keeps_order():
    texts = [PARAGRAPH, "", "No quotes here at all, just a sentence about 12 ferries."]
    many = extract_many(texts)
    assert [r.to_dict() for r in many] == [extract(t).to_dict() for t in texts]


def test_to_dict_is_the_documented_json_shape():
    result = extract(PARAGRAPH).to_dict()
    json.dumps(result)
    quote = result["quotes"][0]
    assert set(quote) == {"kind", "text", "start", "end", "parts", "score", "speaker", "cue",
                          "venue", "via", "topic", "complementiser"}
    assert {"name", "mention", "start", "end"} <= set(quote["speaker"])
    assert set(quote["cue"]) == {"text", "start", "end"}
    assert set(result["claims"][0]) == {"text", "start", "end", "score"}


def test_rejects_bytes_with_a_clear_error():
    with pytest.raises(TypeError):
        extract(b"bytes are not text")


QUOTEISH = st.sampled_from(['"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "''", "``",
                            "\n", "\r\n", "\u00a0", " said ", " he ", ", ", ". ", "Ana Lind",
                            "according to", ":", "\u2015", "s' ", "1990's"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(max_size=12), QUOTEISH), max_size=40).map("".join))
@example("0A\" said 0000''@")  # a number parsed as the object "attr" of "said" once crashed
def test_any_text_gives_consistent_offsets(text):
    check_offsets(text, extract(text))


def test_claims_keep_the_quote_marks_as_written():
    # The parser is shown «» and „“ as English marks; a claim's text is still the article's.
    text = ("The city spent 4.1 million crowns on the \u00abnew\u00bb bridge in 2023, "
            "and the \u201etram\u201c line cost 9 million crowns more than planned.")
    result = extract(text)
    assert result.claims
    for claim in result.claims:
        assert claim.text == text[claim.start:claim.end]
