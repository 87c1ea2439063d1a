"""The scorer's second stage: the MiniLM encoder, its tokeniser, its int8 ONNX file, the band.

Every text here is written for these tests; nothing is read from the evaluation data.
"""

import io
import json

import numpy as np
import pytest
import spacy

from factcheck.extract import checkworthy
from factcheck.extract.checkworthy.encoder import Encoder, export_encoder
from factcheck.extract.checkworthy.minilm import MiniLM, WordPiece
from factcheck.extract.checkworthy.model import ENCODER_FILE, MODEL_DIR

CONFIG = json.loads((MODEL_DIR / "model.json").read_text())
needs_cascade = pytest.mark.skipif("cascade" not in CONFIG,
                                   reason="the shipped model has no second stage")

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "cafe", "北", "京", "the", "mayor", "said",
         "tax", "##es", "rose", ",", ".", "“", "”", "%", "20"]


def tiny_bert(rng, hidden=24, inner=48, layers=2):
    w = {"embeddings.word_embeddings.weight": rng.normal(0, 1, (len(VOCAB), hidden)),
         "embeddings.position_embeddings.weight": rng.normal(0, 0.1, (16, hidden)),
         "embeddings.token_type_embeddings.weight": rng.normal(0, 0.1, (2, hidden)),
         "embeddings.LayerNorm.weight": np.ones(hidden),
         "embeddings.LayerNorm.bias": np.zeros(hidden),
         "head.weight": rng.normal(0, 1, (1, hidden)), "head.bias": np.zeros(1)}
    for i in range(layers):
        p = f"encoder.layer.{i}."
        for name, shape in [("attention.self.query", (hidden, hidden)),
                            ("attention.self.key", (hidden, hidden)),
                            ("attention.self.value", (hidden, hidden)),
                            ("attention.output.dense", (hidden, hidden)),
                            ("intermediate.dense", (inner, hidden)),
                            ("output.dense", (hidden, inner))]:
            w[p + name + ".weight"] = rng.normal(0, 0.3, shape)
            w[p + name + ".bias"] = rng.normal(0, 0.1, shape[0])
        for name in ("attention.output.LayerNorm", "output.LayerNorm"):
            w[p + name + ".weight"] = np.ones(hidden)
            w[p + name + ".bias"] = np.zeros(hidden)
    return {k: v.astype(np.float32) for k, v in w.items()}


def test_tokeniser_normalises_as_bert_does():
    tok = WordPiece({t: i for i, t in enumerate(VOCAB)})
    # Accents stripped, control characters (mojibake) dropped, ideographs split apart,
    # punctuation split off, unknown words one [UNK].
    assert tok.basic("Caf\u00e9\x8f 北京, “taxes”") == ["cafe", "北", "京", ",", "“", "taxes",
                                                         "”"]
    ids = tok.encode("The mayor said taxes rose 20% in Zork.", max_len=16)
    assert [VOCAB[i] for i in ids] == ["[CLS]", "the", "mayor", "said", "tax", "##es", "rose",
                                       "20", "%", "[UNK]", "[UNK]", ".", "[SEP]"]
    # Long inputs keep their start and the closing [SEP].
    assert [VOCAB[i] for i in tok.encode("the " * 40, max_len=8)] == \
        ["[CLS]"] + ["the"] * 6 + ["[SEP]"]


def test_int8_onnx_encoder_scores_like_the_float_numpy_network(tmp_path):
    rng = np.random.default_rng(0)
    weights = tiny_bert(rng)
    vocab = {t: i for i, t in enumerate(VOCAB)}
    texts = ["The mayor said taxes rose 20%.", "Cafe 北京", "", "the the the tax",
             "the mayor " * 10]
    exact = MiniLM(dict(weights), vocab)
    exact.max_len = 12
    export_encoder(tmp_path / "enc.onnx", weights, vocab, max_len=12)
    loaded = Encoder(tmp_path / "enc.onnx")
    # The vocabulary and length travel inside the file.
    assert loaded.max_len == 12 and loaded.tok.vocab == vocab
    p_exact, p_loaded = exact.classify(texts), loaded.classify(texts)
    assert p_loaded.shape == (5,) and np.all((p_loaded >= 0) & (p_loaded <= 1))
    # int8 products: close to the float network, not equal (a broken graph is far off).
    assert np.abs(p_exact - p_loaded).max() < 0.05, (p_exact, p_loaded)
    # Different sentences get different probabilities: the file holds a working model.
    assert np.ptp(p_loaded) > 0.05
    # A sentence scores the same alone as among others.
    one_by_one = np.array([loaded.classify([t])[0] for t in texts])
    assert np.array_equal(one_by_one, p_loaded)
    assert loaded.classify([]).shape == (0,)


TEXTS = ["Officials said 4,000 troops were moved to the border in March.",
         "Thank you very much for having me.",
         "The new rules could cost farmers more than they save, critics say.",
         "We have the strongest economy in the world right now.",
         "He visited the plant last spring and met the workers.",
         "Our plan will bring jobs back to this state.",
         "The bridge was closed after inspectors found cracks."]


@needs_cascade
def test_only_the_first_stages_unsure_spans_are_rescored():
    nlp = spacy.load(checkworthy.DEFAULT_SPACY_MODEL)
    docs = list(nlp.pipe(TEXTS))
    with checkworthy.second_stage(False):
        first = checkworthy.score_spans(docs)
    final = checkworthy.score_spans(docs)  # on by default
    with checkworthy.second_stage(False):
        assert checkworthy.score_spans(docs) == first
    assert checkworthy.score_spans(docs) == final  # and on again after the block
    cascade = CONFIG["cascade"]
    lo, hi = cascade["band"]
    w = cascade["weight"]
    second = checkworthy.get_encoder().classify(TEXTS)
    rescored = 0
    for f, s, p in zip(first, second, final, strict=True):
        if lo <= f < hi:
            rescored += 1
            assert p == pytest.approx(w * s + (1 - w) * f, abs=1e-6)
        else:
            assert p == f
    assert 0 < rescored < len(TEXTS), (first, lo, hi)
    assert (MODEL_DIR / ENCODER_FILE).stat().st_size < 20 * 2**20


@needs_cascade
def test_the_shipped_encoder_tells_a_claim_from_a_pleasantry():
    # The encoder alone (a broken file or tokeniser gives noise): a factual claim without
    # a number, and a pleasantry with one.
    p = checkworthy.get_encoder().classify([
        "The senator voted against the veterans' health bill twice.",
        "Thank you all, and good night to the 20,000 of you here.",
    ])
    assert p[0] > 0.5 > p[1], p


@needs_cascade
def test_the_command_can_turn_the_second_stage_off(tmp_path):
    from django.core.management import call_command

    path = tmp_path / "in.txt"
    path.write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    outputs = {}
    for flag in (False, True, None):
        out = io.StringIO()
        call_command("checkworthy", str(path), second_stage=flag, stdout=out)
        outputs[flag] = [line.split("\t") for line in out.getvalue().splitlines()]
    assert [r[0] for r in outputs[True]] == [str(i) for i in range(1, len(TEXTS) + 1)]
    assert outputs[True] != outputs[False]
    assert outputs[None] == outputs[True]  # on unless turned off
    assert outputs[True][0][2] == "Yes" and outputs[True][1][2] == "No"
    assert checkworthy.threshold() == CONFIG["cascade"]["threshold"]  # the flag did not leak


@needs_cascade
def test_the_plain_cli_turns_the_second_stage_off_and_refuses_it_when_missing(monkeypatch):
    from factcheck.extract.checkworthy import cli

    text = "\n".join(TEXTS) + "\n"
    outputs = {}
    for argv in (["-"], ["--second-stage", "-"], ["--no-second-stage", "-"]):
        out = io.StringIO()
        assert cli.main(argv, stdin=io.StringIO(text), stdout=out) == 0
        outputs[argv[0]] = out.getvalue()
    assert outputs["-"] == outputs["--second-stage"] != outputs["--no-second-stage"]
    assert checkworthy.second_stage_enabled()  # the flag did not leak
    # A model without a second stage: asking for it is an error with a message, exit 2.
    monkeypatch.setattr(checkworthy, "second_stage_available", lambda: False)
    with pytest.raises(SystemExit) as exc:
        cli.main(["--second-stage", "-"], stdin=io.StringIO(text), stdout=io.StringIO())
    assert exc.value.code == 2


@needs_cascade
def test_the_setting_turns_it_off_and_unset_follows_the_model(settings, monkeypatch):
    from django.apps import apps

    from factcheck.apps import claim_second_stage_available

    config = apps.get_app_config("factcheck")
    try:
        settings.FACTCHECK_CLAIM_SECOND_STAGE = False
        config.ready()
        assert not checkworthy.second_stage_enabled()
        settings.FACTCHECK_CLAIM_SECOND_STAGE = None
        config.ready()
        assert checkworthy.second_stage_enabled()
        assert claim_second_stage_available(None) == []
        # Required but missing (a retrained first stage without its band): the check says
        # so; unset, the first stage alone scores without complaint.
        monkeypatch.setattr(checkworthy, "second_stage_available", lambda: False)
        config.ready()
        assert not checkworthy.second_stage_enabled()
        assert claim_second_stage_available(None) == []
        settings.FACTCHECK_CLAIM_SECOND_STAGE = True
        assert [e.id for e in claim_second_stage_available(None)] == ["factcheck.E002"]
    finally:
        monkeypatch.undo()
        settings.FACTCHECK_CLAIM_SECOND_STAGE = None
        config.ready()
    assert checkworthy.second_stage_enabled()
