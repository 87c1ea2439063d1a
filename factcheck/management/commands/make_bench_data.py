"""Generate a realistic-shaped data set for benchmarks: many outlets, speakers, long
articles and statements, loaded with PostgreSQL COPY (bulk inserts elsewhere).

    manage.py make_bench_data --statements 1000000

All text is generated from an invented vocabulary; nothing here is a real article.
"""

import hashlib
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from factcheck.models import Article, Outlet, Speaker, Statement
from factcheck.statements.lsh import lsh_fields

FIRST = ["Ada", "Omar", "Hana", "Lina", "Pavel", "Ruth", "Ines", "Tomas", "Jana", "Piet", "Mara",
         "Sava", "Noor", "Ivo", "Greta", "Malik", "Edda", "Raul", "Yusuf", "Clio"]
LAST = ["Vance", "Vidal", "Berg", "Okafor", "Daskin", "Amberley", "Halvorsen", "Reyes", "Holm",
        "Vos", "Quist", "Petrov", "Tarnek", "Okonkwo", "Brandt", "Mendes", "Natarajan", "Lund"]
WORDS = [
    "budget", "bridge", "tram", "ferry", "harbour", "clinic", "nurses", "border", "troops",
    "grain", "fuel", "exports", "council", "ministry", "election", "turnout", "inflation", "wages",
    "rents", "housing", "flood", "barrier", "school", "teachers", "pension", "taxes", "airport",
    "runway", "police", "crime", "hospital", "waiting", "list", "refinery", "pipeline", "drought",
    "harvest", "coal", "wind", "solar", "tariff", "deficit", "surplus", "army", "treaty", "summit",
    "sanctions", "vaccine", "outbreak", "prices", "bread", "milk", "petrol",
]
VERBS = ["rose", "fell", "doubled", "halved", "stalled", "collapsed", "recovered", "tripled"]
KINDS = ["direct", "partial", "indirect", "claim"]
FUNCTION = [
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "on", "with", "as", "by", "was",
    "will", "more", "than", "not", "we", "they", "our", "has", "have", "be", "this", "at", "from",
    "but", "after", "about", "over", "their", "its", "were", "last", "year", "would", "said", "could",
    "every", "new", "since", "under"
]
SYLLABLES = [
    "ka", "ro", "mi", "ta", "ven", "lo", "dar", "is", "el", "um", "bra", "sto", "qui", "ne", "fal",
    "tor", "gen", "ha", "pol", "vik", "sa", "mur", "de", "an", "ol", "ti", "ber", "cas", "lan", "ru",
    "zo", "pe"
]


def vocabulary(size: int = 20_000) -> tuple[list[str], list[float]]:
    """Invented words after the topic words, with Zipf cumulative weights: news vocabulary is
    large and skewed, which is what makes trigram and full-text indexes selective (a few dozen
    words repeated everywhere would make every row a candidate of every search)."""
    rng = random.Random(0)
    words = list(WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    cumulative, total = [], 0.0
    for rank in range(len(words)):
        total += 1 / (rank + 2)
        cumulative.append(total)
    return words, cumulative


VOCABULARY, CUMULATIVE = vocabulary()


def sentence(rng: random.Random) -> str:
    """One statement: a claim-like template (numbers, comparisons, promises) and a clause of
    everyday prose, 10 to 40 words."""
    a, b, c = rng.choices(VOCABULARY, cum_weights=CUMULATIVE, k=3)
    n = rng.randint(2, 90_000)
    year = rng.randint(1990, 2026)
    head = rng.choice([
        f"Spending on {a} {rng.choice(VERBS)} by {n % 100} per cent since {year}",
        f"We will finish the {a} and the {b} by {year}, and nobody will pay more for {c}",
        f"The {a} cost {n} million crowns, more than the {b} and the {c} together",
        f"There are {n} {a} workers left, fewer than in {year}",
        f"The {a} plan is a disgrace and the {b} office knows it",
    ])
    return f"{head}, {prose(rng, rng.randint(4, 24))}."


def prose(rng: random.Random, words: int) -> str:
    """Everyday prose of `words` words: function words about every other word, the rest over
    the Zipf-distributed vocabulary."""
    return " ".join(rng.choice(FUNCTION) if rng.random() < 0.45 else
                    rng.choices(VOCABULARY, cum_weights=CUMULATIVE)[0] for _ in range(words))


def reworded(rng: random.Random, text: str) -> str:
    """Another outlet's version of a statement: one word changed (a syndicated repeat)."""
    words = text.split()
    words[rng.randrange(len(words))] = rng.choices(VOCABULARY, cum_weights=CUMULATIVE)[0]
    return " ".join(words)


class Command(BaseCommand):
    help = "Fill the database with generated outlets, speakers, articles and statements."

    def add_arguments(self, parser):
        parser.add_argument("--statements", type=int, default=10_000)
        parser.add_argument("--per-article", type=int, default=20)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, statements, per_article, seed, **options):
        if Statement.objects.exists():
            raise CommandError("The database already has statements; use an empty one.")
        rng = random.Random(seed)
        started = time.monotonic()
        outlets = Outlet.objects.bulk_create(
            [Outlet(name=f"Bench Outlet {i}", slug=f"bench-outlet-{i}") for i in range(120)])
        speakers = Speaker.objects.bulk_create(
            [Speaker(name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}", slug=f"bench-speaker-{i}")
             for i in range(max(50, statements // 500))])
        n_articles = max(1, statements // per_article)
        now = timezone.now()
        article_rows, statement_rows = [], []
        for a in range(n_articles):
            parts, spans = [], []
            offset = 0
            for _ in range(per_article):
                # About one statement in 30 repeats an earlier one, as syndication does.
                earlier = statement_rows[rng.randrange(len(statement_rows))][2] if statement_rows else ""
                text = reworded(rng, earlier) if earlier and rng.random() < 1 / 30 else sentence(rng)
                spans.append((offset, offset + len(text), text))
                parts.append(text)
                offset += len(text) + 2
            body = "\n\n".join(parts)
            article_rows.append((f"https://bench.example/{a}", hashlib.sha256(f"u{a}".encode()).hexdigest(),
                                 hashlib.sha256(body.encode()).hexdigest(), f"Bench article {a}", body,
                                 rng.choice(outlets).pk, now))
            for start, end, text in spans:
                statement_rows.append((a, rng.choice(KINDS), text, start, end,
                                       rng.choice(speakers).pk if rng.random() < 0.8 else None,
                                       round(rng.random(), 4), hashlib.sha256(text.encode()).hexdigest()))
        with transaction.atomic():
            first_article = self._load_articles(article_rows)
            self._load_statements(statement_rows, first_article)
        if connection.vendor == "postgresql":
            # VACUUM, not only ANALYZE: what autovacuum does soon after a bulk load. Without
            # it the first reader of every page sets its rows' hint bits (writing the page),
            # and no page is all-visible, so index-only scans visit the heap: the first
            # benchmark after a build measured that, not the queue.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        phases = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in getattr(self, "phases", {}).items())
        self.stdout.write(f"{n_articles} articles, {len(statement_rows)} statements in "
                          f"{time.monotonic() - started:.0f} s" + (f" ({phases})" if phases else ""))

    def _load_articles(self, rows) -> int:
        objs = [Article(url=u, url_hash=h, content_hash=c, title=t, text=x, outlet_id=o,
                        ingested_at=at, published_at=at, extraction_status="done", source="bulk")
                for u, h, c, t, x, o, at in rows]
        if connection.vendor != "postgresql":
            return Article.objects.bulk_create(objs, batch_size=2000)[0].pk
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence('factcheck_article', 'id'))")
            first = cursor.fetchone()[0]
            cursor.execute("SELECT setval(pg_get_serial_sequence('factcheck_article', 'id'), %s)",
                           [first + len(objs)])
        for i, obj in enumerate(objs):
            obj.pk = first + i
        copy_rows(Article, objs, with_pk=True)
        return first

    def _load_statements(self, rows, first_article: int) -> None:
        now = timezone.now()
        # COPY and bulk_create skip Model.save(): the LSH bands are computed here, for all at once.
        started = time.monotonic()
        lsh = lsh_fields([row[2] for row in rows])
        self.phases = {"LSH bands": time.monotonic() - started}
        objs = [Statement(article_id=first_article + a, kind=k, text=t, start=s, end=e, speaker_id=sp,
                          score=sc, fingerprint=f, created_at=now, **b)
                for (a, k, t, s, e, sp, sc, f), b in zip(rows, lsh, strict=True)]
        if connection.vendor != "postgresql":
            Statement.objects.bulk_create(objs, batch_size=5000)
            return
        # GIN indexes built after the load, not maintained row by row during it: the LSH bands
        # alone are 62 random keys a row, which made the COPY crawl and the index twice its size.
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                           "AND indexdef LIKE '%%USING gin%%'", [Statement._meta.db_table])
            gin = cursor.fetchall()
            for name, _ in gin:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        copy_rows(Statement, objs, with_pk=False)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # pending foreign-key checks block an index build
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            started = time.monotonic()
            for _, definition in gin:
                cursor.execute(definition)
            self.phases["GIN indexes"] = time.monotonic() - started


def copy_rows(model, objs, *, with_pk: bool) -> None:
    """COPY model instances into their table, every concrete column prepared as Django would
    save it, so new columns need no change here. Generated columns compute themselves."""
    fields = [f for f in model._meta.concrete_fields
              if (with_pk or not f.primary_key) and not f.generated]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    now = timezone.now()
    with connection.cursor() as cursor, cursor.copy(
            f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            row = []
            for f in fields:
                value = getattr(obj, f.attname)
                if value is None and getattr(f, "auto_now", False):
                    value = now
                prepared = f.get_db_prep_save(value, connection)
                row.append(prepared.dumps(prepared.obj) if hasattr(prepared, "dumps") else prepared)
            copy.write_row(row)
