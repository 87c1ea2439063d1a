"""Queue page and search/matching at scale, each against a small baseline in the same run.

    .venv/bin/python tests/benchmarks/bench_queue_search.py [--small 1000] [--large 1000000]

Builds (once; reused when the row count already matches) two PostgreSQL databases with
`manage.py make_bench_data`, then times, in a child process per database:
- the queue page (first page, a filtered page, a deep keyset page, a search) and its SQL
  query count;
- desk search, and matching one new statement (near-duplicates + earlier fact-checks).
Goals: queue large/small <= 1.5 with a constant query count; search and matching
large/medium <= 3 (the issue compares 1M with 10k).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from report import record, row

ROOT = Path(__file__).resolve().parents[2]
PG = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")


def ensure_database(name: str, statements: int) -> str:
    """A database with the current schema and exactly `statements` generated statements;
    built once and reused by later runs."""
    import psycopg

    url = f"{PG}/{name}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    run = [sys.executable, "manage.py"]
    subprocess.run(run + ["migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    with psycopg.connect(url, autocommit=True) as db:
        count = db.execute("SELECT count(*) FROM factcheck_statement").fetchone()[0]
        if count == statements:
            return url
        db.execute("TRUNCATE factcheck_statement, factcheck_article, factcheck_speaker, "
                   "factcheck_outlet CASCADE")
    started = time.monotonic()
    subprocess.run(run + ["make_bench_data", "--statements", str(statements)], cwd=ROOT, env=env,
                   check=True)
    print(f"  built {name} ({statements:,} statements) in {time.monotonic() - started:.0f} s",
          file=sys.stderr)
    return url


PROBE = r"""
import json, statistics, sys, time
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()  # lets the test client see template contexts (for the cursor)
from django.core.signals import request_started
from django.db import close_old_connections
request_started.disconnect(close_old_connections)  # one connection, as the test runner keeps
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from factcheck.models import Statement
from factcheck.statements.matching import find_first_appearances, match_factchecks
from factcheck.statements.search import search_desk

user, _ = User.objects.get_or_create(username="bench-editor")
user.groups.add(Group.objects.get(name="Editor"))
client = Client()
client.force_login(user)
rounds = int(sys.argv[1])

def timed(fn):
    fn()  # warm caches, as a busy server would have them
    samples = []
    for _ in range(rounds):
        t = time.perf_counter(); fn(); samples.append(time.perf_counter() - t)
    return statistics.median(samples)

def get(url):
    def fn():
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        return r
    return fn

first = client.get("/queue/").context["page"]
deep = client.get("/queue/", {"after": first.next_cursor}).context["page"].next_cursor
with CaptureQueriesContext(connection) as ctx:
    client.get("/queue/")
queue_queries = len(ctx.captured_queries)
# The newest statement stands for a just-extracted one: every stored row is an earlier candidate.
# (The oldest, used before, has none, so its search for repeats never looked at the table.)
probe = Statement.objects.order_by("-pk").first()
new = Statement(pk=probe.pk, article_id=probe.article_id, kind="direct", speaker_id=probe.speaker_id,
                text="Spending on the tram budget rose by 40 per cent since 2019.",
                fingerprint="bench", start=0, end=10)
out = {
    "queue": timed(get("/queue/")),
    "queue_filtered": timed(get("/queue/?kind=direct&min_score=0.5&sort=recent")),
    "queue_deep": timed(get("/queue/?after=" + deep)),
    # The search box, with a word in a third of all statements (once 35 s at 1M).
    "queue_searched": timed(get("/queue/?q=budget")),
    "queue_queries": queue_queries,
    "search": timed(lambda: search_desk("tram budget")),
    "matching": timed(lambda: (find_first_appearances([new]), match_factchecks([new]))),
}

# Saved views (#30): four of them listed with live counts. Cached, as a page after the first
# within a minute sees them; recounted, as the first page after any change to the queue.
from django.core.cache import cache
from factcheck.models import SavedView
from factcheck.review.actions import QUEUE_GENERATION_KEY
SavedView.objects.filter(owner=user).delete()
for name, query, desk in [("Direct quotes", "kind=direct", False), ("Claims", "kind=claim", True),
                          ("Likely check-worthy", "min_score=0.8", True), ("New", "status=new", False)]:
    SavedView.objects.create(owner=user, name=name, query=query, for_desk=desk)
page = client.get("/queue/").content.decode()
assert "Likely check-worthy" in page, "the saved views are not on the queue page"
out["queue_views"] = timed(get("/queue/"))
def recounted():
    cache.set(QUEUE_GENERATION_KEY, time.perf_counter_ns())  # what a change to the queue does
    return get("/queue/")()
out["queue_views_recounted"] = timed(recounted)
with CaptureQueriesContext(connection) as ctx:
    client.get("/queue/")
out["queue_views_queries"] = len(ctx.captured_queries)
SavedView.objects.filter(owner=user).delete()
print(json.dumps(out))
"""


def probe(url: str, rounds: int) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "factcheck.settings",
           "ALLOWED_HOSTS": "testserver"}
    done = subprocess.run([sys.executable, "-c", PROBE, str(rounds)], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"probe failed on {url}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--medium", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--prefix", default="factcheck_bench2",
                        help="database names are PREFIX_N; another worktree's schema needs its own")
    args = parser.parse_args()
    sizes = {"small": args.small, "medium": args.medium, "large": args.large}
    results = {key: probe(ensure_database(f"{args.prefix}_{n}", n), args.rounds)
               for key, n in sizes.items()}
    s, m, lg = results["small"], results["medium"], results["large"]
    large, small, medium = f"{args.large:,}", f"{args.small:,}", f"{args.medium:,}"

    def timed(label: str, key: str, base: dict, base_size: str, goal: float) -> dict:
        ratio = lg[key] / base[key]
        return row(f"{label}, {large} vs {base_size} statements", f"{lg[key] * 1000:.1f} ms",
                   f"{base[key] * 1000:.1f} ms", ratio, f"<= {goal}", ratio <= goal)

    queries = lg["queue_queries"] / s["queue_queries"]
    record("queue_search", [
        timed("queue page, first", "queue", s, small, 1.5),
        timed("queue page, filtered", "queue_filtered", s, small, 1.5),
        timed("queue page, deep cursor", "queue_deep", s, small, 1.5),
        timed("queue page, searched (q=budget)", "queue_searched", s, small, 1.5),
        row(f"queue page SQL queries, {large} vs {small} statements", str(lg["queue_queries"]),
            str(s["queue_queries"]), queries, "constant", queries <= 1.0),
        timed("queue page with 4 saved views, counts cached", "queue_views", s, small, 1.5),
        timed("queue page with 4 saved views, counted again", "queue_views_recounted", s, small, 1.5),
        row(f"queue page SQL queries with 4 saved views, {large} vs {small} statements",
            str(lg["queue_views_queries"]), str(s["queue_views_queries"]),
            lg["queue_views_queries"] / s["queue_views_queries"], "constant",
            lg["queue_views_queries"] <= s["queue_views_queries"]),
        timed("desk search", "search", m, medium, 3),
        timed("matching a new statement (repeats + earlier fact-checks)", "matching", m, medium, 3),
    ])
    return 0


if __name__ == "__main__":
    sys.exit(main())
