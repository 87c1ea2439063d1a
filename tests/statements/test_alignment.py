"""Quote-to-source alignment (#32): the passage a quote comes from, the word diff and the class
the desk proposes, for each way a quote drifts from what was said. All texts are ours."""

import random
import time

import pytest

from factcheck.statements.alignment import (
    MAX_QUOTE_CHARS,
    MAX_SOURCE_CHARS,
    Alignment,
    SourceRefused,
    align,
    read_source,
)
from tests.statements.alignment_cases import HELD_OUT_SOURCES, SOURCES, sentences

TRANSCRIPT = (
    "Good evening, and thank you for having me. Let me be clear about the bridge. "
    "We will not pay for it, not this year and not next year. The council has other "
    "priorities, um, like the schools and the harbour wall. I have said this many times "
    "before and I will say it again tomorrow. Our budget for roads goes up by four percent, "
    "and every penny of it is spent in the districts that asked for it. "
    "Nobody in this chamber voted for a toll, and nobody will."
)

SRT = """1
00:00:01,000 --> 00:00:04,200
Good evening, and thank you
for having me.

2
00:00:04,300 --> 00:00:07,900
Let me be clear about the <i>bridge</i>.

3
00:12:34,000 --> 00:12:38,500
We will not pay for it,
not this year and not next year.
"""

VTT = """WEBVTT
Kind: captions

NOTE written for the tests

STYLE
::cue { color: yellow }

intro
00:00:01.000 --> 00:00:04.200 align:start position:0%
<v Mayor Orrell>Good evening, and thank you for having me.</v>

00:04.300 --> 00:07.900
Let me be clear about the <c.yellow>bridge</c>.

00:01:10.000 --> 00:01:14.000
<00:01:10.500><c>We will not pay</c><00:01:11.000><c> for it &amp; never will.</c>
"""


def check(quote, source=TRANSCRIPT) -> Alignment:
    return align(quote, read_source(source) if isinstance(source, str) else source)


def test_split_by_he_said_is_verbatim():
    result = check('"We will not," he said, "pay for it."')
    assert result.classification == "verbatim"
    assert result.passage == "We will not pay for it"
    assert TRANSCRIPT[result.start:result.end] == result.passage
    assert result.attribution == ["he said"]
    assert "attribution" in result.explanation


@pytest.mark.parametrize("quote", [
    "We will not, the mayor told reporters, pay for it",
    "'We will not,' she said, 'pay for it.'",
    "\u2018We will not,\u2019 Orrell said. \u2018Pay for it.\u2019",
    "'We will not pay for it,' he added.",
])
def test_split_by_attribution_without_double_quote_marks(quote):
    result = check(quote)
    assert (result.classification, result.passage) == ("verbatim", "We will not pay for it")
    assert result.attribution


@pytest.mark.parametrize("ellipsis", ["...", "…", ". . .", "[...]"])
def test_ellipsis_is_trimmed_and_marked(ellipsis):
    result = check(f"We will not pay for it {ellipsis} not next year.")
    assert result.classification == "trimmed"
    assert result.passage == "We will not pay for it, not this year and not next year"
    assert result.explanation.startswith("4 words left out, marked with an ellipsis")
    left_out = [op for op in result.diff if op.op == "delete"]
    assert [op.source for op in left_out] == ["not this year and "]


def test_words_left_out_without_ellipsis_are_trimmed_unmarked():
    result = check("Our budget for roads goes up by four percent, and every penny is spent in the "
                   "districts")
    assert result.classification == "trimmed"
    assert result.passage == ("Our budget for roads goes up by four percent, and every penny of it "
                              "is spent in the districts")
    assert result.explanation == "2 words left out with no ellipsis to mark it"
    unmarked = check("We will not pay for it, not next year.")
    assert unmarked.classification == "trimmed"
    assert "no ellipsis" in unmarked.explanation


def test_translation_changing_one_word_is_reworded():
    result = check("Our budget for streets goes up by four percent")
    assert result.classification == "reworded"
    assert result.passage == "Our budget for roads goes up by four percent"
    assert [op for op in result.diff if op.op != "equal"] == [("replace", "roads ", "streets")]
    assert result.explanation == "1 word changed"
    assert 0.5 < result.score < 1


def test_reordered_clauses_are_reworded_and_cover_both():
    result = check("like the schools and the harbour wall, the council has other priorities")
    assert result.classification == "reworded"
    assert result.passage == "The council has other priorities, um, like the schools and the harbour wall"
    assert "another order" in result.explanation


def test_paraphrase_is_reworded():
    result = check("Nobody in the chamber has voted for any toll and no one ever will")
    assert result.classification == "reworded"
    assert result.passage == "Nobody in this chamber voted for a toll, and nobody will"


def test_quote_in_no_source_is_not_found_with_no_passage():
    result = check("The harbour ferry will be free for pensioners from the first of May")
    assert result.classification == "not_found"
    assert (result.passage, result.start, result.end, result.diff) == ("", None, None, [])
    assert not result.found


@pytest.mark.parametrize("quote", [
    "we will NOT pay for it!",
    "\u201cWe will not pay for it\u201d",
    "We   will not\npay for it",
    "'We will not pay for it.'",
])
def test_case_punctuation_curly_quotes_and_spacing_are_verbatim(quote):
    result = check(quote)
    assert (result.classification, result.passage) == ("verbatim", "We will not pay for it")
    assert result.score == 1.0


def test_curly_apostrophes_and_fillers_are_verbatim():
    source = read_source("Well, we don't, uh, we don't sign contracts we can't keep.")
    result = align("We don\u2019t sign contracts we can\u2019t keep", source)
    assert result.classification == "verbatim"
    assert result.passage == "we don't sign contracts we can't keep"


def test_five_hundred_thousand_character_transcript_well_under_a_second():
    filler = (
        "Councillor {n} asked about the bus timetable for ward {n}, and the chair said that the "
        "answer would come in writing before the next meeting of the committee on transport. "
    )
    parts, n = [], 0
    while sum(map(len, parts)) < 500_000:
        parts.append(filler.format(n=n))
        n += 1
    middle = len(parts) * 2 // 3
    parts.insert(middle, "Then the mayor said: we will not pay for the bridge, not this year and not next. ")
    text = "".join(parts)[:500_000]
    assert len(text) == 500_000
    started = time.perf_counter()
    source = read_source(text)
    result = align('"We will not," she said, "pay for the bridge."', source)
    elapsed = time.perf_counter() - started
    assert result.classification == "verbatim"
    assert result.passage == "we will not pay for the bridge"
    assert elapsed < 0.5, f"{elapsed:.2f} s"
    # The index is built once a source: a second quote costs far less.
    started = time.perf_counter()
    assert align("the answer would come in writing before the next meeting", source).found
    assert time.perf_counter() - started < 0.2


def test_srt_cues_are_text_with_their_start_times():
    source = read_source(SRT.encode(), "speech.srt")
    assert source.kind == "srt"
    assert "-->" not in source.text and "00:" not in source.text and "<i>" not in source.text
    assert "\n1\n" not in source.text and not source.text.startswith("1")
    result = align("We will not pay for it, not this year and not next year", source)
    assert result.classification == "verbatim"
    assert result.time == 754.0
    assert result.time_label == "00:12:34"
    # A quote running over two cues is one passage.
    assert align("thank you for having me", source).classification == "verbatim"


def test_vtt_header_notes_styles_and_tags_are_dropped():
    source = read_source(VTT, "speech.vtt")
    assert source.kind == "vtt"
    for gone in ("WEBVTT", "NOTE", "::cue", "<v", "<c", "00:", "align:start", "intro", "&amp;"):
        assert gone not in source.text
    result = align("We will not pay for it & never will", source)
    assert (result.classification, result.time) == ("verbatim", 70.0)
    assert align("Let me be clear about the bridge", source).time == 4.3


def test_subtitles_are_recognised_without_a_file_name():
    assert read_source(VTT).kind == "vtt"
    assert read_source(SRT).kind == "srt"
    assert read_source("We will not pay.\n\n1 --> 2").kind == "text"


@pytest.mark.parametrize("data, filename, message", [
    (b"", None, "empty"),
    (b"   \n\t  ", None, "empty"),
    ("   ", None, "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png", "binary"),
    (bytes(range(1, 32)) * 40, None, "binary"),
    ("Caf\u00e9 speech".encode("latin-1"), "speech.txt", "UTF-8"),
    (b"1\n00:00:01,000 --> 00:00:02,000\n\n", "empty.srt", "no subtitle cue"),
    ("x " * (MAX_SOURCE_CHARS // 2 + 1), None, "at most"),
    (b"x" * (MAX_SOURCE_CHARS * 8 + 1), None, "at most"),
])
def test_unreadable_sources_are_refused_with_a_reason(data, filename, message):
    with pytest.raises(SourceRefused, match=message):
        read_source(data, filename)
    assert issubclass(SourceRefused, ValueError)


def test_utf8_with_bom_and_utf16_are_read():
    assert read_source("\ufeffWe will not pay.".encode()).text == "We will not pay."
    assert read_source("We will not pay.".encode("utf-16")).text == "We will not pay."


def test_a_plain_string_source_and_the_result_round_trip_as_json():
    result = align("We will not pay for it ... not next year", TRANSCRIPT)
    assert Alignment.from_dict(result.to_dict()) == result
    assert "".join(op.source for op in result.diff) == result.passage


def test_a_quote_with_no_words_is_not_found():
    assert check("... \u2014 !").classification == "not_found"


def test_a_quote_longer_than_a_paragraph_is_not_looked_for_and_says_why():
    started = time.perf_counter()
    result = check("We will not pay for it. " * (MAX_QUOTE_CHARS // 20))
    assert time.perf_counter() - started < 0.1
    assert result.classification == "not_found"
    assert "characters long" in result.explanation


def test_a_long_quote_of_many_clauses_is_aligned_quickly():
    source = read_source(TRANSCRIPT * 40)
    quote = TRANSCRIPT[TRANSCRIPT.index("Let me be clear"):]
    started = time.perf_counter()
    result = align(quote, source)
    assert time.perf_counter() - started < 0.5
    assert result.classification == "verbatim"
    assert result.passage == quote.rstrip(".")


def test_sentences_of_other_speeches_are_not_found_in_a_long_transcript():
    """A long transcript shares many words with any sentence: none of 48 sentences from other
    speeches may be proposed as found in 500,000 characters of these four."""
    pool = [s for text in SOURCES.values() for s in sentences(text)]
    rng, parts, size = random.Random(32), [], 0
    while size < 500_000:
        parts.append(rng.choice(pool) + " ")
        size += len(parts[-1])
    source = read_source("".join(parts))
    others = [s for text in HELD_OUT_SOURCES.values() for s in sentences(read_source(text).text)]
    assert len(others) >= 40
    found = [(q, r.passage) for q in others if (r := align(q, source)).found]
    assert found == []


def test_reported_speech_is_looked_for_without_the_reporters_that():
    # "She said that the budget has been cut by half": the speaker said the clause, not "that".
    result = align("that the budget has been cut by half", "Colleagues, the budget has been cut by half.")
    assert result.classification == "verbatim" and result.passage == "the budget has been cut by half"
    assert 'the reporter\'s "that" set aside' in result.explanation
    # A quote that itself opens with "That" keeps it when the source has it.
    kept = align("That is the plan.", "Well, that is the plan, and we keep to it.")
    assert kept.classification == "verbatim" and kept.passage.lower().startswith("that is the plan")
