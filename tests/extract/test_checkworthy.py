"""Check-worthiness scorer: ranking, score range, input parsing, CLI output, threshold,
determinism, batch invariance, refusal of overlong input, and the model card's checksums.

Every text here is written for these tests; nothing is read from the evaluation data.
"""

import hashlib
import io
import json
import re

import numpy as np
import pytest
import spacy
from spacy.strings import get_string_id

from factcheck.extract import checkworthy
from factcheck.extract.checkworthy import cli
from factcheck.extract.checkworthy.data import parse_sentences
from factcheck.extract.checkworthy.features import WordVectors
from factcheck.extract.checkworthy.model import MODEL_DIR

CHECK_WORTHY = [
    "Officials said 4,000 troops were moved to the border in March.",
    "Unemployment fell to 3.5 percent last year, the lowest rate in five decades.",
    "The ministry said exports to China rose by 12% compared with 2022.",
    "The government spent $2 billion on the program in 2021.",
    "The army deployed two battalions to the northern region on Tuesday, the agency reported.",
    "Crime in the city doubled between 2015 and 2020.",
]
NOT_CHECK_WORTHY = [
    "Can nobody over there see what is happening?",
    "Still, it would be wiser for them to leave us alone.",
    "I think we need to do better.",
    "Thank you very much for having me.",
    "What a wonderful day for our country!",
    "We will crush anyone who crosses that line.",
    "Why would anyone believe that?",
]


@pytest.fixture(scope="module")
def nlp():
    try:
        return spacy.load(checkworthy.DEFAULT_SPACY_MODEL)
    except OSError:
        pytest.skip(f"spaCy model {checkworthy.DEFAULT_SPACY_MODEL} is not installed")


def test_threshold_is_the_shipped_models_own_choice():
    config = json.loads((MODEL_DIR / "model.json").read_text())
    assert isinstance(checkworthy.threshold(), float)
    assert 0.0 < checkworthy.threshold() < 1.0
    assert config["threshold"] == pytest.approx(checkworthy.threshold())


def test_the_model_files_are_the_ones_the_model_card_describes():
    recorded = json.loads((MODEL_DIR / "model.json").read_text())["sha256"]
    shipped = sorted(p.name for p in MODEL_DIR.iterdir() if p.name != "model.json")
    assert sorted(recorded) == shipped
    for name, digest in recorded.items():
        assert hashlib.sha256((MODEL_DIR / name).read_bytes()).hexdigest() == digest, name


def test_labels_an_editor_reads_follow_the_threshold():
    t = checkworthy.shipped_threshold()
    assert checkworthy.label(t) == "likely check-worthy"
    assert checkworthy.label(min(1.0, t + 0.2)) == "likely check-worthy"
    assert checkworthy.label(max(0.0, t - 0.01)) == "unlikely"


def test_scoring_is_deterministic_and_does_not_depend_on_the_batch(nlp):
    texts = CHECK_WORTHY + NOT_CHECK_WORTHY + ["A short one.", "word " * 120]
    together = checkworthy.score_texts(texts, nlp=nlp)
    assert checkworthy.score_texts(texts, nlp=nlp) == together
    alone = [checkworthy.score_texts([t], nlp=nlp)[0] for t in texts]
    order = np.random.default_rng(0).permutation(len(texts))
    shuffled = checkworthy.score_texts([texts[i] for i in order], nlp=nlp)
    assert alone == pytest.approx(together, abs=1e-4)
    assert [shuffled[list(order).index(i)] for i in range(len(texts))] == pytest.approx(
        together, abs=1e-4)
    # The sentences of one article, scored in one call or one by one.
    sents = list(nlp(" ".join(texts)).sents)
    assert [checkworthy.score_spans([s])[0] for s in sents] == pytest.approx(
        checkworthy.score_spans(sents), abs=1e-4)


def test_the_shipped_score_is_deterministic_and_does_not_depend_on_the_batch():
    texts = CHECK_WORTHY + NOT_CHECK_WORTHY + ["A short one.", "word " * 120, ""]
    together = checkworthy.score_statements(texts)
    assert checkworthy.score_statements(texts) == together
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in together)
    alone = [checkworthy.score_statements([t])[0] for t in texts]
    assert alone == pytest.approx(together, abs=1e-4)
    order = np.random.default_rng(0).permutation(len(texts))
    shuffled = checkworthy.score_statements([texts[i] for i in order])
    assert [shuffled[list(order).index(i)] for i in range(len(texts))] == pytest.approx(
        together, abs=1e-4)
    assert checkworthy.score_statements([]) == []


def test_the_shipped_score_ranks_facts_above_rhetoric():
    good = checkworthy.score_statements(CHECK_WORTHY)
    bad = checkworthy.score_statements(NOT_CHECK_WORTHY)
    assert min(good) > max(bad), (good, bad)
    assert all(s >= checkworthy.shipped_threshold() for s in good), good
    assert all(s < checkworthy.shipped_threshold() for s in bad), bad


def test_a_quote_of_several_sentences_scores_the_mean_of_its_sentences():
    # The model read single sentences in training. A long quote of rhetoric that holds one
    # half-factual sentence is mostly rhetoric, and ranks below a short factual quote.
    sentences = ["Can they not see it?", "So they know it is pointless to fight us, above all "
                 "with our allies.", "We are not speaking of missiles or anything like that.",
                 "But it is wiser to leave us alone"]
    quote = " ".join(sentences)
    (whole,) = checkworthy.score_statements([quote])
    assert whole == pytest.approx(float(np.mean(checkworthy.score_statements(sentences))), abs=1e-6)
    (short_fact,) = checkworthy.score_statements(["There are no soldiers left there to stop us."])
    assert whole < short_fact
    # "Mr." and "U.S." do not end a sentence.
    abbreviations = "Mr. Hale said the U.S. sent 300 advisers in May."
    assert [s.text for s in checkworthy._splitter()(abbreviations).sents] == [abbreviations]


def test_a_sentence_over_20000_characters_is_refused_with_a_message(nlp):
    with pytest.raises(ValueError, match="text 1 is 20,001 characters long; the scorer reads "
                                         "sentences of at most 20,000"):
        checkworthy.score_statements(["Fine.", "a" * 20_001])
    long_text = "The levy rose 3 percent and " * 800
    assert len(long_text) > checkworthy.MAX_SENTENCE_CHARS
    with pytest.raises(ValueError, match="22,400 characters long; the scorer reads sentences "
                                         "of at most 20,000"):
        checkworthy.score_texts(["Fine.", long_text], nlp=nlp)
    doc = nlp.make_doc(long_text)
    with pytest.raises(checkworthy.SentenceTooLong):
        checkworthy.score_spans([doc[:], doc[:5]])
    # The extractor asks for clipping: the span is scored on its first 20,000 characters.
    nlp_doc = nlp(long_text)
    clipped = checkworthy.score_spans([nlp_doc[:]], clip=True)[0]
    assert 0.0 <= clipped <= 1.0


def test_check_worthy_sentences_rank_above_questions_opinions_and_threats(nlp):
    good = checkworthy.score_texts(CHECK_WORTHY, nlp=nlp)
    bad = checkworthy.score_texts(NOT_CHECK_WORTHY, nlp=nlp)
    assert min(good) > max(bad), (good, bad)
    assert all(s >= checkworthy.threshold() for s in good), good
    assert all(s < checkworthy.threshold() for s in bad), bad


def test_sentence_spans_of_an_article_are_scored_in_context(nlp):
    article = " ".join([
        CHECK_WORTHY[0], NOT_CHECK_WORTHY[0], CHECK_WORTHY[3], NOT_CHECK_WORTHY[1],
    ])
    doc = nlp(article)
    sents = list(doc.sents)
    assert len(sents) == 4
    scores = checkworthy.score_spans(sents)
    assert len(scores) == 4
    assert min(scores[0], scores[2]) > max(scores[1], scores[3]), scores
    # Spans and a whole Doc can be mixed; each gets one score, in order.
    mixed = checkworthy.score_spans([doc, sents[1], sents[0]])
    assert mixed[1] == pytest.approx(scores[1], abs=1e-6)
    assert mixed[2] == pytest.approx(scores[0], abs=1e-6)


def test_scores_are_probabilities_for_any_input(nlp):
    texts = ["", " ", "?", "1", "$$$ 100% 2020", "a " * 300, "\u00a0Hello\u00a0world.", "é" * 50]
    scores = checkworthy.score_texts(texts, nlp=nlp)
    assert len(scores) == len(texts)
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in scores)
    assert checkworthy.score_spans([]) == []
    assert checkworthy.score_texts([], nlp=nlp) == []


def test_spans_without_a_tensor_still_get_a_score(nlp):
    # A Doc from another pipeline or a DocBin has no tok2vec tensor; scoring must not fail.
    doc = nlp(CHECK_WORTHY[3])
    with_tensor = checkworthy.score_spans([doc])[0]
    doc.tensor = np.zeros((0, 0), dtype=np.float32)
    without = checkworthy.score_spans([doc])[0]
    assert 0.0 <= without <= 1.0
    assert abs(without - with_tensor) < 0.5


def test_word_vector_lookup_by_lowercase_hash():
    keys = np.array([get_string_id(w) for w in ("troops", "border")], dtype=np.uint64)
    vectors = WordVectors(keys, np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32))
    lowers = np.array([get_string_id(w) for w in ("border", "unknown", "troops")],
                      dtype=np.uint64)
    rows = vectors.rows(lowers)
    assert rows[1] == -1
    assert vectors.table[rows[0]].tolist() == [0.0, 1.0]
    assert vectors.table[rows[2]].tolist() == [1.0, 0.0]


def test_plain_lines_get_line_numbers_and_crlf_is_stripped():
    sentences = parse_sentences("First line.\r\n\r\nThird line.\r\n")
    assert [(s.id, s.text) for s in sentences] == [("1", "First line."), ("3", "Third line.")]


def test_checkthat_tsv_with_quotes_crlf_and_labels():
    content = (
        "Sentence_id\tText\tclass_label\r\n"
        '17\t"He said ""no"" twice."\tNo\r\n'
        "18\tTaxes rose 4 percent.\tYes\r\n"
    )
    sentences = parse_sentences(content)
    assert [(s.id, s.text, s.label) for s in sentences] == [
        ("17", 'He said "no" twice.', False),
        ("18", "Taxes rose 4 percent.", True),
    ]


def test_an_unbalanced_quote_does_not_swallow_later_records():
    content = 'Sentence_id\tText\n1\t"He said it.\n2\tTaxes rose.\n'
    assert [s.id for s in parse_sentences("\ufeff" + content)] == ["1", "2"]


def test_tsv_without_labels_and_two_records_run_together():
    assert [(s.id, s.label) for s in parse_sentences("Sentence_id\tText\n5\tHello.\n")] == [
        ("5", None)
    ]
    content = "Sentence_id\tText\tclass_label\n1\tWe grew.\tNo2\tIt fell 3%.\tYes\n"
    assert [(s.id, s.text, s.label) for s in parse_sentences(content)] == [
        ("1", "We grew.", False),
        ("2", "It fell 3%.", True),
    ]


@pytest.mark.parametrize("flags", [[], ["--feature-model"]])
def test_cli_prints_id_score_label_per_sentence(nlp, monkeypatch, flags):
    monkeypatch.setattr(checkworthy, "_nlp", nlp)
    out = io.StringIO()
    text = "\r\n".join([CHECK_WORTHY[0], NOT_CHECK_WORTHY[0]]) + "\r\n"
    assert cli.main([*flags, "-"], stdin=io.StringIO(text), stdout=out) == 0
    rows = [line.split("\t") for line in out.getvalue().splitlines()]
    assert [r[0] for r in rows] == ["1", "2"]
    assert all(re.fullmatch(r"\d\.\d{4}", r[1]) for r in rows)
    assert [r[2] for r in rows] == ["Yes", "No"]
    scorer = checkworthy.score_texts if flags else checkworthy.score_statements
    assert float(rows[0][1]) == pytest.approx(scorer([CHECK_WORTHY[0]])[0], abs=1e-4)


def test_cli_reads_a_checkthat_file(nlp, monkeypatch, tmp_path):
    monkeypatch.setattr(checkworthy, "_nlp", nlp)
    path = tmp_path / "in.tsv"
    path.write_bytes(
        b"Sentence_id\tText\r\n901\tThe plant employed 1,200 workers in 2019.\r\n902\tReally?\r\n"
    )
    out = io.StringIO()
    cli.main([str(path)], stdout=out)
    rows = [line.split("\t") for line in out.getvalue().splitlines()]
    assert [(r[0], r[2]) for r in rows] == [("901", "Yes"), ("902", "No")]


def test_labels_follow_the_threshold():
    rows = cli.format_rows(["a", "b", "c"], [0.0, checkworthy.threshold(), 1.0],
                           checkworthy.threshold())
    assert [r.split("\t")[2] for r in rows] == ["No", "Yes", "Yes"]


def test_the_command_refuses_unreadable_or_overlong_input_with_a_message(tmp_path):
    from django.core.management import CommandError, call_command

    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.7\n\xff\xfe\x00\x01 not text")
    with pytest.raises(CommandError, match="cannot read .*utf-8"):
        call_command("checkworthy", str(binary), stdout=io.StringIO())
    # A whole document pasted as one line is not scored as one "sentence", nor cut short.
    pasted = tmp_path / "pasted.txt"
    pasted.write_text("The port handled 4,000 ships last year.\n"
                      + "The levy rose 3 percent. " * 1000 + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="sentence 2 is 24,999 characters long"):
        call_command("checkworthy", str(pasted), stdout=io.StringIO())
    # The same from `python -m factcheck.extract.checkworthy`: a message and exit status 2.
    with pytest.raises(SystemExit) as exited:
        cli.main([str(pasted)], stdout=io.StringIO())
    assert exited.value.code == 2
