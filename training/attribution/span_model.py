"""Experiment (#33): can a learned span model find the reported speech the rules miss?

A spaCy NER component is trained to mark PolNeAR's indirect contents (label ``IND``) on
whole articles, with no rule in the loop. It is scored out of fold on train: five folds of
whole articles, each held-out fold tagged by the model trained on the other four, the five
held-out outputs joined into one file for the whole split and scored once with
``score.py``. Dev is tagged by fold 0's model (trained on folds 1-4; no model sees dev).
Each split is scored four ways against the rules' own output:

- ``rules``: the extractor alone (``manage.py extract`` / ``parse_cache run``);
- ``model``: the model's spans replace the rules' unquoted items;
- ``union``: the rules, plus the model's spans that touch no item of theirs;
- ``gate``: the rules' unquoted items that a model span touches, and nothing else.

The model's spans carry no speaker and no cue: this measures whether the words of the
content can be found, the upper bound for such a model in the product.

    mkdir -p var/spans    # the parses: parse_cache's docstring
    .venv/bin/python -m spacy init config var/spans/ner.cfg --lang en --pipeline ner \\
        --optimize efficiency
    DEBUG=1 .venv/bin/python -m training.attribution.parse_cache run var/parses/train.spacy \\
        > var/spans/rules.train.jsonl          # and the same for dev
    .venv/bin/python -m training.attribution.span_model data var/spans \\
        ../shared/eval/polnear-train/gold.jsonl
    .venv/bin/python -m training.attribution.span_model train var/spans var/spans/ner.cfg
    .venv/bin/python -m training.attribution.span_model score var/spans \\
        ../shared/eval/score.py ../shared/eval/polnear-train/gold.jsonl var/spans/rules.train.jsonl
    .venv/bin/python -m training.attribution.span_model score var/spans --dev \\
        ../shared/eval/score.py ../shared/eval/polnear-dev/gold.jsonl var/spans/rules.dev.jsonl

``docs/accuracy.md`` ("7 Dec 2026, fifth session") has the figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

FOLDS = 5
LABEL = "IND"


def _articles(gold: Path):
    with gold.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _doc(nlp, article):
    from spacy.util import filter_spans

    doc = nlp.make_doc(article["text"])
    spans = []
    for attribution in article["attributions"]:
        if attribution["type"] != "indirect":
            continue
        for start, end in attribution["content"]:
            span = doc.char_span(start, end, label=LABEL, alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
    # NER spans cannot nest: a report inside another keeps only the outer one.
    doc.ents = filter_spans(spans)
    return doc


def data(out: Path, gold_train: Path) -> None:
    """Fold of each train article, and the DocBins each fold's model trains and stops on."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    train = sorted(_articles(gold_train), key=lambda a: a["name"])
    fold = {a["name"]: i % FOLDS for i, a in enumerate(train)}
    out.mkdir(parents=True, exist_ok=True)
    (out / "folds.json").write_text(json.dumps(fold))
    docs = [(fold[a["name"]], _doc(nlp, a)) for a in train]
    for k in range(FOLDS):
        fit, held = DocBin(), DocBin()
        for f, doc in docs:
            (held if f == k else fit).add(doc)
        fit.to_disk(out / f"fit_{k}.spacy")
        held.to_disk(out / f"held_{k}.spacy")
    print(f"{len(train)} train articles in {FOLDS} folds")


def train(out: Path, config: Path) -> None:
    """One model per fold. spaCy keeps the best checkpoint and stops on the held-out fold's
    NER score, which flatters the train figures a little (dev's are free of it). A fold
    whose ``model-best`` exists is skipped: delete ``model_K`` to train it again."""
    for k in range(FOLDS):
        if (out / f"model_{k}" / "model-best").exists():
            continue
        subprocess.run([sys.executable, "-m", "spacy", "train", str(config),
                        "--paths.train", str(out / f"fit_{k}.spacy"),
                        "--paths.dev", str(out / f"held_{k}.spacy"),
                        "--training.max_epochs", "12", "--training.patience", "3000",
                        "--output", str(out / f"model_{k}")], check=True)


def _variants(text, rules, spans):
    def touches(a, b):
        return a[0] < b[1] and b[0] < a[1]

    def item(start, end):
        return {"kind": "indirect", "text": text[start:end], "start": start, "end": end,
                "speaker": None, "cue": None}

    ours = [(q["start"], q["end"]) for q in rules]
    quoted = [q for q in rules if q["kind"] != "indirect"]
    new = [item(*s) for s in spans if not any(touches(s, o) for o in ours)]
    return {
        "rules": rules,
        "model": quoted + [item(*s) for s in spans],
        "union": rules + new,
        "gate": quoted + [q for q in rules if q["kind"] == "indirect"
                          and any(touches((q["start"], q["end"]), s) for s in spans)],
    }


def score(out: Path, scorer: Path, gold: Path, rules_jsonl: Path, dev: bool) -> None:
    import spacy

    spec = importlib.util.spec_from_file_location("polnear_score", scorer)
    S = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(S)
    golds = S.load_gold(str(gold))
    articles = {name: doc["text"] for name, doc in golds.items()}
    fold = json.loads((out / "folds.json").read_text())
    rules = {}
    with rules_jsonl.open(encoding="utf-8") as handle:
        for line in handle:
            rec = json.loads(line)
            rules[Path(rec["path"]).stem] = rec["quotes"]
    spans = {}
    for k in ([0] if dev else range(FOLDS)):
        nlp = spacy.load(out / f"model_{k}" / "model-best")
        names = sorted(n for n in articles if dev or fold[n] == k)
        for name, doc in zip(names, nlp.pipe(articles[n] for n in names), strict=True):
            spans[name] = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == LABEL]
    for variant in ("rules", "model", "union", "gate"):
        path = out / f"{'dev' if dev else 'train'}.{variant}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for name in sorted(articles):
                quotes = _variants(articles[name], rules.get(name, []), spans[name])[variant]
                handle.write(json.dumps({"path": name + ".txt", "quotes": quotes}) + "\n")
        rows = S.score(golds, S.load_pred(str(path), golds, Counter()))["rows"]
        ind, every = rows["indirect"], rows["all"]
        print(f"{variant:6} indirect P {ind['precision']:.4f} R {ind['recall']:.4f} "
              f"F1 {ind['f1']:.4f} ({ind['tp']} of {ind['n_pred']} predicted, {ind['n_gold']} gold)"
              f"  all F1 {every['f1']:.4f}  exact F1 {every['exact_f1']:.4f}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("data")
    d.add_argument("out", type=Path)
    d.add_argument("gold_train", type=Path)
    t = sub.add_parser("train")
    t.add_argument("out", type=Path)
    t.add_argument("config", type=Path)
    s = sub.add_parser("score")
    s.add_argument("out", type=Path)
    s.add_argument("scorer", type=Path)
    s.add_argument("gold", type=Path)
    s.add_argument("rules", type=Path)
    s.add_argument("--dev", action="store_true", help="tag with fold 0's model (dev is never trained on)")
    args = ap.parse_args(argv)
    # One thread per process: on a two-core machine a second run (or the desk) keeps a core.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if args.cmd == "data":
        data(args.out, args.gold_train)
    elif args.cmd == "train":
        train(args.out, args.config)
    else:
        score(args.out, args.scorer, args.gold, args.rules, args.dev)


if __name__ == "__main__":
    main()
