"""Ingest end to end (text in, statements in PostgreSQL) against extraction alone, and the
memory of a worker over many articles.

    .venv/bin/python tests/benchmarks/bench_ingest.py [--texts 200] [--memory-articles 1000]

Both sides get the same texts in the same process. Ingest = `Article.objects.ingest` +
`run_extraction` (extraction, speaker resolution, statements, appearance grouping and
fact-check matching) on a fresh bench database; extraction alone = `extract()` per text.
Before the timings the database gets an archive, as a newsroom's has: `--archive` earlier
articles with `--published` of their statements in published fact-checks, so that new
statements are matched against earlier checks (with none published, matching never runs).
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


def build_archive(texts: list[str], published: int) -> None:
    """Earlier articles, and published fact-checks of `published` of their statements."""
    from django.contrib.auth.models import Group, User

    from factcheck.ingest.pipeline import run_extraction
    from factcheck.models import Article, AttributionVerdict, Rating, Statement
    from factcheck.publish import actions as publishing
    from factcheck.review import actions as review

    for i, text in enumerate(texts):
        run_extraction(Article.objects.ingest(text=text, url=f"https://archive.example/{i}")[0])
    writer = User.objects.create_user("bench-writer")
    writer.groups.add(Group.objects.get(name="Editor"))
    publisher = User.objects.create_user("bench-publisher")
    publisher.groups.add(Group.objects.get(name="Publisher"))
    for statement in Statement.objects.filter(duplicate_of=None).order_by("pk")[:published]:
        factcheck = review.start_factcheck(statement=statement, by=writer)
        review.save_factcheck(factcheck=factcheck, by=writer, version=factcheck.version,
                              claim_reviewed=statement.text[:500], explanation="Checked.",
                              attribution_verdict=AttributionVerdict.objects.first(),
                              rating=Rating.objects.first())
        review.submit_factcheck(factcheck=factcheck, by=writer)
        publishing.approve(factcheck=factcheck, by=publisher)
        publishing.publish(factcheck=factcheck, by=publisher)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=200)
    parser.add_argument("--memory-articles", type=int, default=1000)
    parser.add_argument("--archive", type=int, default=20)
    parser.add_argument("--published", type=int, default=10)
    args = parser.parse_args()

    import psycopg
    from bench_queue_search import PG
    from report import record, row

    # Helpers benchmarking side by side on one server pass their own name.
    name = os.environ.get("BENCH_INGEST_DB", "factcheck_bench_ingest")
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.update(DATABASE_URL=f"{PG}/{name}", DEBUG="0", SECRET_KEY="bench-only-" + "x" * 40,
                      DJANGO_SETTINGS_MODULE="factcheck.settings", ALLOWED_HOSTS="127.0.0.1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench_extract import corpus, generated_texts

    from factcheck.extract import extract
    from factcheck.ingest.pipeline import run_extraction
    from factcheck.models import Article

    texts = corpus(args.texts)
    extract(texts[0])  # load the model outside the timings
    build_archive(generated_texts(args.archive, seed=99), args.published)

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
    (first, first_mb), (last, last_mb) = samples[0], samples[-1]
    record("ingest", [
        row(f"ingest end to end vs extraction alone, {len(texts)} texts", f"{best_ingest:.2f} s",
            f"{best_extract:.2f} s", ratio, "<= 1.3", ratio <= 1.3),
        # Flat: what the model and caches take is there after the first hundred articles.
        row(f"worker RSS after {last} vs {first} ingests", f"{last_mb:.0f} MB", f"{first_mb:.0f} MB",
            last_mb / first_mb, "flat (<= 1.05)", last_mb <= first_mb * 1.05),
    ])
    return 0


if __name__ == "__main__":
    sys.exit(main())
