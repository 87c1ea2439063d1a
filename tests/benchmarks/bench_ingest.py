"""Ingest end to end (text in, statements in PostgreSQL) against extraction alone, and the
memory of a worker over many articles.

    .venv/bin/python tests/benchmarks/bench_ingest.py [--texts 200] [--memory-articles 1000]

Both sides get the same texts in the same process. Ingest = `Article.objects.ingest` +
`run_extraction` (extraction, speaker resolution, statements, appearance grouping and
fact-check matching) on a fresh bench database; extraction alone = `extract()` per text.
Goal: ratio <= 1.3. Memory: the resident set size of the same process after every 100 of
`--memory-articles` ingests; it should stay flat once the model is loaded.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=200)
    parser.add_argument("--memory-articles", type=int, default=1000)
    args = parser.parse_args()

    import psycopg
    from bench_queue_search import PG

    name = "factcheck_bench_ingest"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.update(DATABASE_URL=f"{PG}/{name}", DEBUG="0", SECRET_KEY="bench-only-" + "x" * 40,
                      DJANGO_SETTINGS_MODULE="factcheck.settings", ALLOWED_HOSTS="127.0.0.1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench_extract import corpus

    from factcheck.extract import extract
    from factcheck.ingest.pipeline import run_extraction
    from factcheck.models import Article

    texts = corpus(args.texts)
    extract(texts[0])  # load the model outside the timings

    def extraction_only():
        for text in texts:
            extract(text)

    def ingest(offset: int):
        for i, text in enumerate(texts):
            article, _ = Article.objects.ingest(text=f"{text}\n\n(bench copy {offset + i})",
                                                url=f"https://bench.example/{offset + i}")
            run_extraction(article)

    best_extract = best_ingest = float("inf")
    for round_ in range(3):
        t = time.perf_counter()
        extraction_only()
        best_extract = min(best_extract, time.perf_counter() - t)
        t = time.perf_counter()
        ingest(round_ * len(texts))
        best_ingest = min(best_ingest, time.perf_counter() - t)

    samples = []
    done = 0
    while done < args.memory_articles:
        ingest(10_000 + done)
        done += len(texts)
        samples.append((done, rss_mb()))

    ratio = best_ingest / best_extract
    print(f"\n{'benchmark':40} {'ours':>10} {'baseline':>10} {'ratio':>7} {'goal':>6}")
    print(f"{'ingest end to end vs extraction':40} {best_ingest:>9.2f}s {best_extract:>9.2f}s "
          f"{ratio:>7.2f} {'<=1.3':>6} {'ok' if ratio <= 1.3 else 'MISS'}")
    growth = samples[-1][1] - samples[0][1]
    print(f"worker RSS after {samples[0][0]} articles: {samples[0][1]:.0f} MB; after {samples[-1][0]}: "
          f"{samples[-1][1]:.0f} MB (growth {growth:+.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
