"""Check-worthiness scoring throughput, in sentences a second, against the parse.

    .venv/bin/python tests/benchmarks/bench_checkworthy.py [--texts 200] [--rounds 3]

The same invented texts as bench_extract.py, cut into their sentences by the parse. In
the same process, alternating rounds, best CPU time of each (one process, one thread):

- the baseline: the bare ``nlp.pipe`` of those texts;
- the feature model on every sentence of the parsed Docs (``score_spans``), as the
  extractor calls it, once per Doc;
- the shipped score (``score_statements``, the fine-tuned MiniLM) on every item the
  extractor finds in those texts, as the task after extraction calls it, once per text:
  its sentences a second and its CPU per article.

Ratios are scoring time over parse time: what scoring every sentence adds to the parse.
Reported, not judged: the budget is judged on all of extraction in bench_extract.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402
from bench_extract import corpus, cpu_seconds  # noqa: E402
from report import record, row  # noqa: E402

from factcheck.extract import DEFAULT_MODEL, checkworthy, extract_many  # noqa: E402


def best_cpu(rounds: int, runs: dict) -> dict[str, float]:
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, run in runs.items():
            start = cpu_seconds()
            run()
            best[name] = min(best[name], cpu_seconds() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = corpus(args.texts)
    nlp = spacy.load(DEFAULT_MODEL)
    docs = list(nlp.pipe(texts, batch_size=64))
    sentences = [list(doc.sents) for doc in docs]
    n = sum(map(len, sentences))
    items = [[x.text for x in r.quotes + r.claims] for r in extract_many(texts)]
    n_items = sum(map(len, items))
    checkworthy.score_spans(sentences[0])  # load the weights outside the timing
    checkworthy.score_statements(items[0])

    def parse():
        for _ in nlp.pipe(texts, batch_size=64):
            pass

    def score_all():
        for doc_sents in sentences:
            checkworthy.score_spans(doc_sents)

    def shipped():
        for article_items in items:
            checkworthy.score_statements(article_items)

    best = best_cpu(args.rounds, {"parse": parse, "score": score_all, "shipped": shipped})
    parse_s = best["parse"]
    labels = {"score": "feature model (in extraction), every sentence of the parsed Docs"}
    print(f"{len(texts)} texts, {n} sentences; parse {n / parse_s:,.0f} sentences/s (CPU)")
    rows = [row(f"check-worthiness: bare nlp.pipe, {n} sentences (sentences/s)",
                f"{n / parse_s:,.0f}/s", f"{parse_s:.2f} s", 1.0, "baseline", None)]
    for name, label in labels.items():
        if name in best:
            seconds = best[name]
            print(f"{label}: {seconds:.3f} s, {n / seconds:,.0f} sentences/s, "
                  f"{seconds / parse_s:.3f} of the parse")
            rows.append(row(f"check-worthiness: {label} (CPU vs the parse)",
                            f"{n / seconds:,.0f}/s ({seconds:.2f} s)", f"{parse_s:.2f} s",
                            seconds / parse_s, "reported", None))
    seconds = best["shipped"]
    print(f"shipped score (task after extraction): {n_items} items, {seconds:.3f} s, "
          f"{n_items / seconds:,.0f} items/s, {1000 * seconds / len(texts):.1f} ms an article, "
          f"{seconds / parse_s:.3f} of the parse")
    rows.append(row(f"check-worthiness: shipped score (MiniLM, task after extraction), "
                    f"{n_items} items of {len(texts)} texts (CPU vs the parse)",
                    f"{n_items / seconds:,.0f}/s ({1000 * seconds / len(texts):.0f} ms/article)",
                    f"{parse_s:.2f} s", seconds / parse_s, "reported", None))
    record("checkworthy", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
