"""Parse a corpus once, analyse it many times.

Trying an extraction rule on PolNeAR's train split means re-running only the rules, not
spaCy: ``cache`` parses every article the way ``engine.iter_extract`` does and keeps the
Docs in a ``DocBin``; ``extract_cached`` runs the engine's own analysis over them. The
output is the same as ``manage.py extract --format jsonl`` (``--check`` compares them).

    DEBUG=1 .venv/bin/python -m training.attribution.parse_cache cache var/parses/train.spacy \\
        ../shared/eval/polnear-train/texts/*.txt
    DEBUG=1 .venv/bin/python -m training.attribution.parse_cache run var/parses/train.spacy > train.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import django


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    django.setup()


def cache(out: Path, paths: list[Path], n_process: int) -> None:
    from spacy.tokens import DocBin

    from factcheck.extract import engine

    texts = []
    for p in paths:
        with p.open(encoding="utf-8", newline="", errors="replace") as handle:
            texts.append(handle.read())
    _, jobs, docs = engine.parse_chunks(engine.get_nlp(), texts, n_process)
    bin_ = DocBin(store_user_data=True)
    for doc in docs:
        bin_.add(doc)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(bin_.to_bytes())
    meta = {"paths": [str(p) for p in paths], "jobs": jobs}
    out.with_suffix(".json").write_text(json.dumps(meta))


def extract_cached(path: Path, *, score_claims: bool = False):
    """(article path, Extraction) for every article in the cache, in order."""
    from spacy.tokens import DocBin

    from factcheck.extract import claims as claims_module
    from factcheck.extract import engine

    nlp = engine.get_nlp()
    meta = json.loads(path.with_suffix(".json").read_text())
    docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(nlp.vocab))
    if not score_claims:
        # The scorer reads quotes, not claims: skip the check-worthiness model.
        claims_module.scorer = lambda: ((lambda spans: [0.0] * len(spans)), 1.0)
    paths = meta["paths"]
    by_text: dict[int, list] = {}
    for (ti, s, e), doc in zip(meta["jobs"], docs, strict=True):
        doc.user_data["chunk_offset"] = s  # for training code that looks inside _analyse
        by_text.setdefault(ti, []).append((s, e, doc))
    for ti, p in enumerate(paths):
        with open(p, encoding="utf-8", newline="", errors="replace") as handle:
            text = handle.read()
        _, quotes, _ = engine._prepare(text)
        yield p, engine._analyse(text, quotes, by_text[ti])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("cache")
    c.add_argument("out", type=Path)
    c.add_argument("paths", nargs="+", type=Path)
    c.add_argument("--processes", type=int, default=2)
    r = sub.add_parser("run")
    r.add_argument("cache", type=Path)
    args = ap.parse_args(argv)
    _setup()
    if args.cmd == "cache":
        cache(args.out, args.paths, args.processes)
        return
    for p, extraction in extract_cached(args.cache):
        sys.stdout.write(json.dumps({"path": p, **extraction.to_dict()}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
