"""Alignment properties over generated input (#32): any text is read or refused with a message,
any quote gives a well-formed result, and a stretch of a source quoted as it stands, or with
words cut at an ellipsis, is found where it is."""

import re

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from factcheck.statements.alignment import CLASSES, FILLERS, SourceRefused, align, read_source
from tests.statements.alignment_cases import SOURCES

SOURCE = read_source(SOURCES["council"] + " " + SOURCES["health"])
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
WORDS = list(WORD.finditer(SOURCE.text))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.one_of(st.text(max_size=400), st.binary(max_size=400)),
       st.sampled_from([None, "a.txt", "a.srt", "a.vtt"]))
def test_any_input_is_read_or_refused_with_a_message(data, filename):
    try:
        source = read_source(data, filename)
    except SourceRefused as refused:
        assert str(refused)
        return
    assert WORD.search(source.text)
    result = align("anything at all", source)
    assert result.classification in CLASSES


@FAST
@given(st.text(max_size=300))
def test_any_quote_gives_a_well_formed_result(quote):
    result = align(quote, SOURCE)
    assert result.classification in CLASSES
    assert 0.0 <= result.score <= 1.0
    assert result.explanation
    if result.found:
        assert SOURCE.text[result.start:result.end] == result.passage
        assert "".join(op.source for op in result.diff) == result.passage
        assert all(op.op in ("equal", "delete", "insert", "replace") for op in result.diff)
    else:
        assert (result.passage, result.start, result.diff) == ("", None, [])


def _stretch(data, size_min=6, size_max=25):
    size = data.draw(st.integers(size_min, size_max))
    first = data.draw(st.integers(0, len(WORDS) - size))
    words = WORDS[first:first + size]
    text = SOURCE.text[words[0].start():words[-1].end()]
    # A stretch said twice in the source has two right answers; the property is about one.
    assume(SOURCE.text.count(text) == 1)
    return words, text


@FAST
@given(st.data())
def test_a_stretch_quoted_as_it_stands_is_verbatim_there(data):
    words, text = _stretch(data)
    dress = data.draw(st.sampled_from([str, str.upper, str.lower, lambda s: f"\u201c{s}\u201d",
                                       lambda s: " ".join(s.split()) + "."]))
    result = align(dress(text), SOURCE)
    assert result.classification == "verbatim", result.explanation
    assert (result.start, result.end) == (words[0].start(), words[-1].end())


@FAST
@given(st.data())
def test_words_cut_at_an_ellipsis_are_trimmed_there(data):
    words, text = _stretch(data, 10, 25)
    cut = data.draw(st.integers(3, len(words) - 5))
    gone = data.draw(st.integers(1, 3))
    # Leaving out only a filler ("um") keeps a quote verbatim.
    assume(any(w.group().lower() not in FILLERS for w in words[cut:cut + gone]))
    head = SOURCE.text[words[0].start():words[cut - 1].end()]
    tail = SOURCE.text[words[cut + gone].start():words[-1].end()]
    # The words left out may repeat the ones beside them ("not ... next year"): then the quote
    # is also the source's words with other ones left out, which is still right, at the same
    # passage.
    result = align(f"{head} ... {tail}", SOURCE)
    assert result.classification == "trimmed", result.explanation
    assert (result.start, result.end) == (words[0].start(), words[-1].end())
    assert "ellipsis" in result.explanation
