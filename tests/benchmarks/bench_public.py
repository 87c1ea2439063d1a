"""Public fact-check page throughput under gunicorn, against a minimal view on the same server.

    .venv/bin/python tests/benchmarks/bench_public.py [--seconds 10]

Serves the app with gunicorn (2 sync workers, as many as the machine's cores) on a bench
database holding one published fact-check, and loads it with wrk (Debian package `wrk`).
The baseline is /healthz — the smallest view we have (one `SELECT 1`), through the same
middleware stack. Goal: the cached fact-check page at >= 0.5x the baseline's requests/s;
the uncached figure (PUBLIC_CACHE_SECONDS=0) is reported beside it.

The share card (og:image) is drawn once per published version and then served from disk: its
cached hits are loaded the same way (goal >= 0.5x /healthz), and the card file must not be
written again while they run (drawing it costs what the in-process row reports).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).parent))

from bench_queue_search import ensure_database  # noqa: E402
from report import record, row  # noqa: E402

SETUP = r"""
import django
django.setup()
from django.contrib.auth.models import Group, User
from factcheck.models import AttributionVerdict, FactCheck, Rating, Statement
from factcheck.factchecks import actions as factchecks
from factcheck.review import actions as review

fc = FactCheck.objects.filter(slug="bench-fact-check").first()
if fc is not None and fc.status == "published" and not fc.statements.exists():
    # The bench data was built again (its statements truncated): the check covers a new one.
    fc.statements.add(Statement.objects.filter(duplicate_of=None).order_by("pk").first())
if fc is None or fc.status != "published":
    editor, _ = User.objects.get_or_create(username="bench-writer")
    editor.groups.add(Group.objects.get(name="Editor"))
    boss, _ = User.objects.get_or_create(username="bench-publisher")
    boss.groups.add(Group.objects.get(name="Publisher"))
    statement = Statement.objects.filter(status="new", duplicate_of=None).order_by("pk").first()
    review.assign(statement=statement, by=editor)
    fc = factchecks.start_factcheck(statement=statement, by=editor)
    FactCheck.objects.filter(pk=fc.pk).update(slug="bench-fact-check")
    fc.refresh_from_db()
    factchecks.save_factcheck(factcheck=fc, by=editor, version=fc.version, explanation="Checked " * 200,
                              attribution_verdict=AttributionVerdict.objects.first(),
                              rating=Rating.objects.first())
    factchecks.submit_factcheck(factcheck=fc, by=editor,
                                no_sources_reason="The claim is checked against its own recording.")
    factchecks.approve(factcheck=fc, by=boss)
    factchecks.publish(factcheck=fc, by=boss)
print("ready", fc.pk, fc.version)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rps(url: str, seconds: int) -> float:
    out = subprocess.run(["wrk", "-t", "1", "-c", "8", "--timeout", "10s", "-d", f"{seconds}s", url],
                         capture_output=True,
                         text=True, check=True).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "factcheck.wsgi", "--preload", "--workers", "2",
         "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--statements", type=int, default=1000)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("needs wrk (apt-get install wrk)")
    url = ensure_database(f"factcheck_bench2_{args.statements}", args.statements)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "SECRET_KEY": "bench-only-" + "x" * 40,
           "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0",
           "DJANGO_SETTINGS_MODULE": "factcheck.settings", "DATABASE_CONN_MAX_AGE": "60",
           # A media folder of the bench's own: the share card is drawn into it afresh each run.
           "MEDIA_ROOT": tempfile.mkdtemp(prefix="bench-public-media-")}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)
    ready = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True,
                           text=True).stdout.split()
    version = int(ready[-1])
    results = {}
    for label, cache_seconds in (("cached", "600"), ("uncached", "0")):
        port = free_port()
        server = serve({**env, "PUBLIC_CACHE_SECONDS": cache_seconds}, port)
        try:
            base = f"http://127.0.0.1:{port}"
            rps(f"{base}/fact-checks/bench-fact-check/", 2)  # warm up
            results[label] = rps(f"{base}/fact-checks/bench-fact-check/", args.seconds)
            results[f"baseline_{label}"] = rps(f"{base}/healthz", args.seconds)
            if label == "cached":
                results.update(card_hits(base, version, Path(env["MEDIA_ROOT"]), args.seconds))
        finally:
            server.terminate()
            server.wait()
    rows = []
    for label, goal in (("cached", 0.5), ("uncached", None)):
        ratio = results[label] / results[f"baseline_{label}"]
        rows.append(row(f"public fact-check page under gunicorn, {label}, vs /healthz",
                        f"{results[label]:,.0f} req/s", f"{results['baseline_' + label]:,.0f} req/s", ratio,
                        f">= {goal}" if goal else "(reported)", ratio >= goal if goal else None))
    ratio = results["card"] / results["baseline_cached"]
    rows.append(row("share card, cached hit under gunicorn, vs /healthz "
                    f"(card files written during the load: {results['card_writes']})",
                    f"{results['card']:,.0f} req/s", f"{results['baseline_cached']:,.0f} req/s", ratio,
                    ">= 0.5, 0 writes", ratio >= 0.5 and results["card_writes"] == 0))
    drawn = draw_ms()
    rows.append(row("share card, drawing one (Pillow, 1200x630 PNG), in-process", f"{drawn:.0f} ms", "-",
                    0.0, "(reported)", None))
    record("public", rows)
    return 0


def card_hits(base: str, version: int, media: Path, seconds: int) -> dict:
    """Draw the card with one request, then load it: no hit may draw or write it again."""
    import urllib.request

    url = f"{base}/fact-checks/bench-fact-check/card-v{version}.png"
    with urllib.request.urlopen(url) as response:
        assert response.status == 200 and response.headers["Content-Type"] == "image/png"
    cards = sorted((media / "public" / "cards").glob("*.png"))
    before = {p: p.stat().st_mtime_ns for p in cards}
    hits = rps(url, seconds)
    after = {p: p.stat().st_mtime_ns for p in sorted((media / "public" / "cards").glob("*.png"))}
    writes = sum(1 for p in after if before.get(p) != after[p])
    return {"card": hits, "card_writes": writes}


def draw_ms(n: int = 10) -> float:
    """Milliseconds to draw one card, as the first request for a version does."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    sys.path.insert(0, str(ROOT))
    from factcheck.publish import cards

    text = cards.CardText(quote="We will stop every shipment the day they move against us " * 3,
                          speaker="Miroslav Tarnek", verdict="Accurate", rating="Mostly false",
                          rating_slug="mostly-false", site="factcheck desk (demo)")
    cards.draw_card(text)  # fonts loaded once per process, as in a server worker
    start = time.perf_counter()
    for _ in range(n):
        cards.draw_card(text)
    return (time.perf_counter() - start) / n * 1000


if __name__ == "__main__":
    sys.exit(main())
