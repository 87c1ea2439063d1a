"""The extractor's cost grows with the text's length, not its square (issue #28, finding 5).

The probe of the issue found 299,000 emoji taking 352 s and 4.8 GB, as many straight quote
marks running past 300 s at about 5 GB, and nested quote marks taking 1.3 s, 6.5 s and
34.8 s at 10k, 20k and 40k characters.  The causes, each with its rule (engine.py,
quotes.py, attribution/chunk.py in factcheck/extract): spaCy splits punctuation off a word
one character at a time, so a stretch without whitespace cost the square of its length
(MAX_WORD_CHARS); the parser's memory is per batch (BATCH_TOKENS); one long "sentence"
cost each of its cues the whole chunk (MAX_SENTENCE_TOKENS); quote pairing and the
attribution passes looked through every line break, quotation or item for each mark,
quotation or cue.

All texts are invented (tests/extract/pathological.py).
"""

import random
import subprocess
import time

import pytest

from factcheck.extract import engine, extract, extract_many
from factcheck.extract.attribution.chunk import Chunk, Found, ItemsAround
from factcheck.extract.quotes import find_quoted_spans
from tests.extract.pathological import (
    PATHOLOGICAL,
    measure,
    nested_quote_marks,
    news_like,
    no_punctuation,
    no_spaces,
    quote_marks,
)

# Just under FACTCHECK_MAX_ARTICLE_CHARS (300,000), the longest text an article may be.
LENGTH = 299_000
# The bounds for each text of that length.  With the fixes the slowest of them (nested
# quotations) takes about 14 s and 0.43 GB more memory on the development machine, a
# news-like text of the same length about 9 s and 0.32 GB; the old code took 337 s and
# 4.6 GB (emoji), 172 s and 4.6 GB (quote marks), over 600 s (nested quote marks).
# 60 s and 1.5 GB leave a machine four times slower room, and the old code exceeds
# them three to ten times.
MAX_SECONDS = 60
MAX_RSS_GROWTH_MB = 1536
# The child process is killed after this long: the old code would run for minutes.
TIMEOUT_SECONDS = 300


def check_offsets(text: str, result: dict) -> None:
    """Offsets of the extraction (as ``to_dict`` gives it) point into ``text``."""
    for quote in result["quotes"]:
        assert 0 <= quote["start"] <= quote["end"] <= len(text)
        for start, end in quote["parts"]:
            assert quote["start"] <= start <= end <= quote["end"]
        assert quote["text"] == " ".join(text[s:e] for s, e in quote["parts"])
        spans = [quote["speaker"], quote["cue"], quote["venue"], *quote["via"]]
        for span in filter(None, spans):
            assert 0 <= span["start"] <= span["end"] <= len(text)
    for claim in result["claims"]:
        assert text[claim["start"]:claim["end"]] == claim["text"]


@pytest.mark.slow  # a fresh process per text (the peak memory is per process): about a minute in all
@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_a_pathological_text_of_the_longest_length_takes_seconds_not_minutes(name, tmp_path):
    text = PATHOLOGICAL[name](LENGTH)
    assert len(text) == LENGTH
    try:
        measured = measure(text, tmp_path, timeout=TIMEOUT_SECONDS, result=True)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: extract() still running after {TIMEOUT_SECONDS} s")
    check_offsets(text, measured["result"])
    assert measured["seconds"] < MAX_SECONDS, f"{name}: {measured['seconds']:.1f} s"
    assert measured["rss_growth_mb"] < MAX_RSS_GROWTH_MB, f"{name}: {measured['rss_growth_mb']:.0f} MB"


def test_quote_pairing_of_deeply_nested_marks_is_one_pass():
    # 40,000 of these marks took the scanner 6.5 s, growing with the square of the length.
    text = nested_quote_marks(LENGTH)
    started = time.perf_counter()
    spans = find_quoted_spans(text)
    assert time.perf_counter() - started < 10
    assert spans and all(0 <= q.open_at < q.close_end <= len(text) for q in spans)


def test_a_long_stretch_without_whitespace_is_cut_into_pieces():
    nlp = engine.get_nlp()
    text = 'She wrote "' + "\U0001F600" * 250 + '" and left. "' + '"' * 20_000
    doc = engine._make_doc(nlp, text)
    assert doc.text == text
    assert max(len(t) for t in doc) <= engine.MAX_WORD_CHARS
    # The tokenizer still splits the marks at the edges of a stretch ...
    assert [t.text for t in doc[:4]] == ["She", "wrote", '"', "\U0001F600"]
    assert [t.text for t in doc[-2:]] == ['"', '"']
    assert "left" in [t.text for t in doc]
    # ... but the 20,000 marks are not 20,000 tokens: 100 at each edge, 198 pieces between.
    assert len(doc) < 700
    # Text without such a stretch is tokenized exactly as the tokenizer does it.
    plain = news_like(3000)
    assert [t.text for t in engine._make_doc(nlp, plain)] == [t.text for t in nlp.make_doc(plain)]


def test_no_sentence_runs_past_the_cap():
    nlp = engine.get_nlp()
    doc = nlp(no_punctuation(12_000))
    assert max(len(s) for s in doc.sents) <= engine.MAX_SENTENCE_TOKENS
    # Prose with full stops is left to the parser.
    news = nlp.make_doc(news_like(20_000))
    before = [t.is_sent_start for t in news]
    assert [t.is_sent_start for t in engine.sentence_cap(news)] == before


@pytest.mark.parametrize("make", [no_spaces, quote_marks, no_punctuation, news_like])
def test_a_chunk_never_exceeds_the_chunk_size(make):
    text = make(100_000)
    bounds = engine._chunk_bounds(text, find_quoted_spans(text))
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a < b <= a + engine.CHUNK_CHARS for a, b in bounds)
    assert all(b == c for (_, b), (c, _) in zip(bounds, bounds[1:], strict=False))


def test_a_parse_batch_stays_within_the_token_budget(monkeypatch):
    nlp = engine.get_nlp()
    texts = [news_like(30_000, seed=1), "", news_like(900, seed=2), news_like(1500, seed=3)]
    whole = [r.to_dict() for r in extract_many(texts)]
    batches = []
    pipe = nlp.pipe

    def recording_pipe(docs, **kwargs):
        docs = list(docs)
        batches.append([len(d) for d in docs])
        return pipe(docs, **kwargs)

    monkeypatch.setattr(engine, "BATCH_TOKENS", 800)
    monkeypatch.setattr(nlp, "pipe", recording_pipe)
    assert [r.to_dict() for r in extract_many(texts)] == whole  # batches do not change results
    assert len(batches) > 2
    assert all(len(b) == 1 or sum(b) <= 800 for b in batches)


def test_quotation_lookups_of_a_chunk_match_a_full_scan():
    nlp = engine.get_nlp()
    rng = random.Random(5)
    pieces = ['"', "\u201c", "\u201d", "'", " word", " said", "\n\n", ". ", ", "]
    for _ in range(40):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(20, 200)))
        quotes = find_quoted_spans(text)
        chunk = Chunk(nlp.make_doc(text), quotes, text)
        for _ in range(20):
            a, b = sorted(rng.randint(0, len(text)) for _ in range(2))
            assert chunk.quotes_within(a, b) == [
                i for i, q in enumerate(quotes) if a <= q.open_at and q.close_end <= b]
            assert chunk.quotes_overlapping(a, b) == [
                i for i, q in enumerate(quotes) if q.open_at < b and a < q.close_end]
            assert chunk.first_quote_from(a) == next(
                (i for i, q in enumerate(quotes) if q.open_at >= a), len(quotes))
            around = set(chunk.quotes_around(a, b))
            assert all(i in around for i, q in enumerate(quotes)
                       if q.open_at < a <= q.close_end or q.open_at < b <= q.close_end)


def test_items_around_a_position_match_a_full_scan():
    rng = random.Random(9)
    for _ in range(200):
        items: list[Found] = []
        direct_only = ItemsAround(items, keep=lambda it: it.kind != "direct")
        every = ItemsAround(items)
        pos = 0
        for _ in range(60):
            pos += rng.randint(0, 30) if rng.random() < 0.95 else -rng.randint(0, 50)  # mostly growing
            start = max(0, pos + rng.randint(-80, 40))
            items.append(Found(rng.choice(["direct", "indirect", "partial"]),
                               [(start, start + rng.randint(1, 120))], None, None, None))
            expected = next((it for it in items[:-1] if it.kind != "direct"
                             and it.start <= pos < it.end), None)
            assert direct_only.first(pos, upto=len(items) - 1) is expected
            if rng.random() < 0.3:
                items.pop()
            assert (every.first(pos) is not None) == any(it.start <= pos < it.end for it in items)


def test_pathological_texts_of_a_few_thousand_characters_give_consistent_offsets():
    for make in PATHOLOGICAL.values():
        text = make(5000)
        check_offsets(text, extract(text).to_dict())
