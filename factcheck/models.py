"""The domain model: articles in, statements out, fact-checks published.

Business rules about one object live on its model, rules about many objects on its
QuerySet; multi-step workflows (assign, submit, approve, publish, ...) are small
functions in review/actions.py and factchecks/actions.py that own their permission check,
transaction and audit event.
"""

import hashlib
import json
import re
import secrets
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import IntegrityError, OperationalError, connection, models, transaction
from django.db.models import Exists, F, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from factcheck.extract.language import detect_language, is_supported, language_name
from factcheck.statements.lsh import LSH_FIELDS, SKETCH_BITS, set_lsh_fields

# --------------------------------------------------------------------------- helpers

# Query parameters that identify a campaign or a click, never the article itself: the same
# story shared from a newsletter and from social media is one article.
TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|smid|ref|s)$", re.I)


def normalize_url(url: str) -> str:
    """The form of a URL that two links to the same article share."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "https"
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    # http and https copies of one page are one article.
    scheme = "https" if scheme in {"http", "https"} else scheme
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
               if not TRACKING_PARAMS.match(k))
    )
    return urlunsplit((scheme, host, path, query, ""))


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def normalize_text(text: str) -> str:
    """Text as compared for sameness: Unicode-normalised, whitespace folded."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def fingerprint(text: str) -> str:
    """Hash of a quote's wording with quote marks, case and punctuation folded, so the same
    quote printed by several outlets groups into one."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = re.sub(r"[^\w\s]", " ", folded)
    return sha256_hex(" ".join(folded.split()))


def cut_at_word(slug: str, max_length: int) -> str:
    """The slug within max_length characters, cut after its last whole word (a single word
    longer than the limit is cut where it must be)."""
    if len(slug) <= max_length:
        return slug
    cut = slug[:max_length]
    if slug[max_length] != "-" and "-" in cut:
        cut = cut.rsplit("-", 1)[0]
    return cut.strip("-")


def unique_slug(model, value: str, *, max_length: int = 80, field: str = "slug",
                reserved: frozenset = frozenset()) -> str:
    """Made once, on first save, and never again: a published URL keeps its slug."""
    base = cut_at_word(slugify(value).strip("-"), max_length) or "item"
    slug, n = base, 2
    while slug in reserved or model._default_manager.filter(**{field: slug}).exists():
        suffix = f"-{n}"
        slug = f"{cut_at_word(base, max_length - len(suffix))}{suffix}"
        n += 1
    return slug


class StoredSearchVector(SearchVector):
    """The English full-text vector of some columns, for a stored generated column: a long
    article's vector is parsed once, when its text is written, not again by every search that
    ranks it. SQLite has no text-search vectors: the column stays empty there and search.py
    reads the text itself."""

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


class SlugFromField:
    """Models whose slug is made, once and unique, from another field on first save."""

    slug_from = "name"
    slug_max_length = 80
    reserved_slugs: frozenset = frozenset()

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), getattr(self, self.slug_from),
                                    max_length=self.slug_max_length, reserved=self.reserved_slugs)
        super().save(*args, **kwargs)


class TimeStamped(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# --------------------------------------------------------------------------- sources


class Outlet(SlugFromField, TimeStamped):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    domain = models.CharField(max_length=253, blank=True, db_index=True,
                              help_text="Host name without www, used to recognise its URLs.")
    homepage = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Feed(TimeStamped):
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)
    poll_interval_minutes = models.PositiveIntegerField(default=30,
                                                        validators=[MinValueValidator(5)])
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    consecutive_errors = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["outlet__name", "url"]

    def __str__(self):
        return self.title or self.url


def stuck_before(now=None):
    """An extraction waiting or running since before this is stuck: its worker died, or its
    task was never queued, and the sweep queues it again."""
    now = now or timezone.now()
    return now - timezone.timedelta(minutes=settings.FACTCHECK_EXTRACTION_TIMEOUT_MINUTES)


class ArticleQuerySet(models.QuerySet):
    def originals(self):
        return self.filter(copy_of__isnull=True)

    def stuck(self, now=None):
        """Articles whose extraction is stuck (see stuck_before)."""
        return self.filter(extraction_status__in=Article.WAITING,
                           extraction_changed_at__lt=stuck_before(now))

    def ingest(self, *, text: str, url: str = "", title: str = "", byline: str = "",
               outlet: Outlet | None = None, published_at=None, html: str = "",
               source: str = "paste", by=None) -> tuple["Article", bool]:
        """Store an article once: returns (article, created).

        The same URL twice is the same article (a changed text becomes a new version);
        pasted text without a URL that matches a stored text is that article; the same text
        from another URL is a new article marked as a copy of the first, so every outlet
        that printed a quote is counted.
        """
        content_hash, url_hash = _article_hashes(text, url)
        article = None
        try:
            # One transaction, or a savepoint inside the caller's: if a concurrent insert of the
            # same URL wins the race, only our part rolls back and the caller's stays usable.
            with transaction.atomic():
                if url_hash:
                    # Locked, so two fetches of a changed page record one version, not two.
                    existing = self.select_for_update().filter(url_hash=url_hash).first()
                    if existing:
                        existing.version_recorded = existing.record_version(text=text, html=html,
                                                                            title=title)
                        return existing, False
                else:
                    existing = self.filter(content_hash=content_hash).order_by("pk").first()
                    if existing:
                        return existing, False
                article = self._unsaved(content_hash, url_hash, text=text, url=url, title=title,
                                        byline=byline, outlet=outlet, published_at=published_at,
                                        html=html, source=source, by=by)
                article.copy_of = self.originals().filter(content_hash=content_hash).order_by("pk").first()
                article.save()
                return article, True
        except IntegrityError:
            if article is None or not url_hash:
                raise
            return self.get(url_hash=url_hash), False

    def ingest_many(self, items: list[dict]) -> list[tuple["Article", bool]]:
        """ingest(**item) for each item, in order and with the same results, in a fixed number
        of queries: a bulk import stores fifty records at a time, and one by one each cost two
        savepoints, two lookups and an insert. A URL given twice, or a known URL whose text has
        changed (a version to record), is rare and left to ingest(), one by one."""
        keyed = [(item, *_article_hashes(item["text"], item.get("url", ""))) for item in items]
        url_hashes = [url_hash for _, _, url_hash in keyed if url_hash]
        if len(items) > 1 and len(set(url_hashes)) == len(url_hashes):
            for _ in range(5):
                try:
                    with transaction.atomic():  # a savepoint: a failed attempt takes its rows along
                        return self._ingest_together(keyed, url_hashes)
                except _OneByOne:
                    break
                except IntegrityError:
                    continue  # a concurrent import stored one of these URLs first: it is known now
                except OperationalError as exc:
                    # Two imports inserting the same new URLs each wait for the other's; the
                    # database picks one to fail, and it tries again once the other is through.
                    if getattr(exc.__cause__, "sqlstate", None) != "40P01":  # deadlock_detected
                        raise
        return [self.ingest(**item) for item in items]

    def _unsaved(self, content_hash: str, url_hash: str | None, *, text: str, url: str = "",
                 title: str = "", byline: str = "", outlet: Outlet | None = None, published_at=None,
                 html: str = "", source: str = "paste", by=None) -> "Article":
        """A new article from ingest()'s arguments, its copy_of left for the caller to set."""
        article = self.model(url=url, url_hash=url_hash, content_hash=content_hash, title=title[:500],
                             byline=byline[:300], outlet=outlet, published_at=published_at, text=text,
                             html=html, source=source, ingested_by=by)
        article.set_language()
        return article

    def _ingest_together(self, keyed: list[tuple[dict, str, str | None]],
                         url_hashes: list[str]) -> list[tuple["Article", bool]]:
        # Locked in url_hash order, so that imports of the same URLs rarely wait for each other
        # in a circle (the inserts keep the records' order, and may: ingest_many tries again).
        known = {a.url_hash: a for a in self.select_for_update().filter(url_hash__in=url_hashes)
                 .order_by("url_hash")}
        if any(known[url_hash].content_hash != content_hash
               for _, content_hash, url_hash in keyed if url_hash in known):
            raise _OneByOne
        # Per text already stored: the oldest article with it, and the oldest that is no copy
        # (ids only: a wire story's copies may be hundreds of long rows).
        stored = {row["content_hash"]: row for row in self.filter(
            content_hash__in={c for _, c, u in keyed if u not in known}).values(
            "content_hash").annotate(first=Min("pk"), original=Min("pk", filter=Q(copy_of=None)))}
        pasted_again = self.in_bulk({stored[c]["first"] for _, c, url_hash in keyed
                                     if not url_hash and c in stored})
        first: dict[str, Article] = {}  # the same, among the articles of this batch
        original: dict[str, Article] = {}
        results, new = [], []
        for item, content_hash, url_hash in keyed:
            if url_hash in known:
                results.append((known[url_hash], False))
                continue
            if not url_hash and (content_hash in stored or content_hash in first):
                results.append((pasted_again[stored[content_hash]["first"]] if content_hash in stored
                                else first[content_hash], False))
                continue
            article = self._unsaved(content_hash, url_hash, **item)
            article.copy_of_id = stored.get(content_hash, {}).get("original")
            if article.copy_of_id is None and content_hash in original:
                article.copy_of = original[content_hash]
            first.setdefault(content_hash, article)
            if article.copy_of_id is None and article.copy_of is None:
                original.setdefault(content_hash, article)
            new.append(article)
            results.append((article, True))
        # Copies of an article of the same batch once it has an id.
        in_batch = {id(a) for a in new if a.copy_of_id is None and a.copy_of is not None}
        self.bulk_create([a for a in new if id(a) not in in_batch])  # in the records' order
        self.bulk_create([a for a in new if id(a) in in_batch])
        return results


class _OneByOne(Exception):
    pass


def _article_hashes(text: str, url: str) -> tuple[str, str | None]:
    """What ingest() knows an article by: its normalised text's hash, and its URL's if it has one."""
    return sha256_hex(normalize_text(text)), (sha256_hex(normalize_url(url)) if url else None)


class Article(models.Model):
    class Source(models.TextChoices):
        PASTE = "paste", "Pasted text"
        URL = "url", "URL"
        UPLOAD = "upload", "Uploaded file"
        FEED = "feed", "Feed"
        API = "api", "API"
        BULK = "bulk", "Bulk import"
        DEMO = "demo", "Demo"

    class Extraction(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Extracting"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        # Stored, but in a language the extractor does not handle: nothing is taken from it.
        SKIPPED = "skipped", "English only"

    # Extraction not finished yet: queued, or under way in a worker.
    WAITING = (Extraction.PENDING, Extraction.RUNNING)

    url = models.URLField(max_length=2000, blank=True)
    url_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False,
                                help_text="SHA-256 of the normalised URL.")
    content_hash = models.CharField(max_length=64, db_index=True, editable=False,
                                    help_text="SHA-256 of the whitespace-normalised text.")
    copy_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="copies",
                                help_text="The first article with the same text (wire copy).")
    title = models.CharField(max_length=500, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    outlet = models.ForeignKey(Outlet, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="articles")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    text = models.TextField()
    html = models.TextField(blank=True, help_text="The original HTML, when fetched.")
    language = models.CharField(
        max_length=8, blank=True, default="", help_text="The text's language, detected when it is "
        "stored: an ISO 639-1 code (ISO 639-3 for a language without one); blank when the text is "
        "too short to tell, and then extracted as English.")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PASTE)
    extraction_status = models.CharField(max_length=10, choices=Extraction.choices,
                                         default=Extraction.PENDING, db_index=True)
    extraction_error = models.TextField(blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    extraction_changed_at = models.DateTimeField(
        default=timezone.now, help_text="When the extraction status last changed; a sweep "
        "re-queues extractions pending or running for too long (a worker died).")
    ingested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    ingested_at = models.DateTimeField(default=timezone.now, db_index=True)
    # GIN-indexed on PostgreSQL (migration 0015); search.py matches and ranks on it.
    search_vector = models.GeneratedField(
        expression=StoredSearchVector("title", "text", config="english"),
        output_field=SearchVectorField(null=True), db_persist=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-ingested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(copy_of=F("pk")), name="article_not_own_copy"),
            # Without a URL there is nothing else to tell two articles apart.
            models.CheckConstraint(condition=Q(url="") | Q(url_hash__isnull=False),
                                   name="article_url_has_hash"),
        ]

    def __str__(self):
        return self.title or f"Article {self.pk}"

    def get_absolute_url(self):
        return reverse("article", args=[self.pk])

    @property
    def display_title(self):
        return self.title or self.text[:80]

    def is_stuck(self, now=None) -> bool:
        return self.extraction_status in self.WAITING and self.extraction_changed_at < stuck_before(now)

    @property
    def language_name(self) -> str:
        """"German" for "de"; "" when the language is unknown."""
        return language_name(self.language)

    @property
    def extraction_supported(self) -> bool:
        """Whether the extractor takes this article's language (unknown is tried as English)."""
        return is_supported(self.language)

    def set_language(self) -> None:
        """Detect the text's language, and with it whether the extraction waits or is skipped
        (for a new text: its extraction has not run yet)."""
        self.language = detect_language(self.text)
        self.extraction_status = (Article.Extraction.PENDING if self.extraction_supported
                                  else Article.Extraction.SKIPPED)

    def record_version(self, *, text: str, html: str = "", title: str = "") -> bool:
        """A re-fetched URL whose text changed keeps the old text as a version."""
        content_hash = sha256_hex(normalize_text(text))
        if content_hash == self.content_hash:
            return False
        ArticleVersion.objects.create(article=self, text=self.text, title=self.title,
                                      content_hash=self.content_hash)
        self.text, self.content_hash = text, content_hash
        if html:
            self.html = html
        if title:
            self.title = title[:500]
        self.set_language()
        self.extraction_changed_at = timezone.now()
        self.save(update_fields=["text", "content_hash", "html", "title", "language",
                                 "extraction_status", "extraction_changed_at"])
        return True


class ArticleVersion(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField()
    content_hash = models.CharField(max_length=64)
    superseded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-superseded_at"]

    def __str__(self):
        return f"{self.article} (until {self.superseded_at:%Y-%m-%d %H:%M})"


class ApiToken(models.Model):
    """A key another newsroom tool sends as `Authorization: Bearer <key>` to the ingest API.

    Only a hash of the key is stored; the key itself is shown once, when it is created.
    Requests act as `user`, so the token can do what that user's groups allow.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="Which tool uses it.")
    prefix = models.CharField(max_length=8, editable=False, help_text="First characters, to tell keys apart.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def create_for(cls, user, name: str) -> tuple["ApiToken", str]:
        """A new token and its key (the only time the key is available)."""
        key = "fc_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[:8], key_hash=sha256_hex(key))
        return token, key

    @classmethod
    def authenticate(cls, key: str) -> "ApiToken | None":
        if not key:
            return None
        token = (cls.objects.select_related("user")
                 .filter(key_hash=sha256_hex(key), is_active=True, user__is_active=True).first())
        if token:
            cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token


class IngestBatch(models.Model):
    """A JSONL file of articles imported in the background, with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    name = models.CharField(max_length=200, help_text="The uploaded file's name.")
    lines = models.TextField(help_text="The JSONL records, one per line.")
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0, help_text="Records handled so far; a resumed "
                                            "import starts after them.")
    added = models.PositiveIntegerField(default=0)
    known = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[line number, reason] of refused records.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "bulk import"
        constraints = [
            models.CheckConstraint(condition=Q(processed__lte=F("total")), name="batch_progress_bounded"),
        ]

    def __str__(self):
        return f"{self.name} ({self.processed}/{self.total})"

    def get_absolute_url(self):
        return reverse("ingest_batch", args=[self.pk])

    @property
    def percent(self) -> int:
        return 100 * self.processed // self.total if self.total else 100


# --------------------------------------------------------------------------- speakers


def speaker_key(name: str) -> str:
    """What a speaker's name or alias is compared by: Unicode-normalised, whitespace and case folded."""
    return normalize_text(name).casefold()


def hold_locks(keys) -> None:
    """Serialise a check-then-create on each of `keys` until the transaction ends. PostgreSQL:
    advisory locks (the rows do not exist yet, so there is nothing to lock), taken in one order
    so that two holders of several never wait for each other in a circle; SQLite runs one
    writing transaction at a time already."""
    if connection.vendor != "postgresql":
        return
    numbers = sorted({int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big",
                                     signed=True) for key in keys})
    if numbers:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(k) FROM (SELECT k FROM unnest(%s::bigint[]) AS k "
                           "ORDER BY k) AS sorted", [numbers])


def speaker_lock(name: str) -> str:
    """The lock key under which a speaker of this name is looked up and created (hold_locks)."""
    return f"speaker:{speaker_key(name)}"


class SpeakerQuerySet(models.QuerySet):
    def matching(self, name: str):
        """Speakers whose canonical name or one of whose aliases is `name`."""
        return self.filter(Q(name__iexact=normalize_text(name)) | Q(aliases__normalized=speaker_key(name))
                           ).distinct()

    def answering_to(self, names):
        """Speakers whose canonical name or one of whose aliases is one of `names`, with their
        aliases: two queries however many names."""
        names = {normalize_text(name) for name in names}
        if not names:
            return self.none()
        named = Q(aliases__normalized__in={name.casefold() for name in names})
        for name in names:
            named |= Q(name__iexact=name)
        return self.filter(pk__in=self.model.objects.filter(named).values("pk")).prefetch_related("aliases")


class Speaker(SlugFromField, TimeStamped):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANIZATION = "organization", "Organisation"

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(max_length=200, db_index=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True,
                                   help_text='Who they are, e.g. "Mayor of Harbour City".')
    wikidata_qid = models.CharField(
        "Wikidata QID", max_length=16, blank=True,
        validators=[RegexValidator(r"^Q[1-9]\d*$", "A Wikidata QID looks like Q12345.")])

    objects = SpeakerQuerySet.as_manager()
    # /speakers/options/ and /speakers/merge/ are workbench pages, not speakers.
    reserved_slugs = frozenset({"options", "merge"})

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["wikidata_qid"], condition=~Q(wikidata_qid=""),
                                    name="speaker_unique_qid"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # A published page names its speaker as it was published: a rename would change it
        # with no correction on record (the admin is the only place a name is edited).
        if self.pk and self.is_on_published_pages():
            stored = Speaker.objects.filter(pk=self.pk).values_list("name", flat=True).first()
            if stored is not None and stored != self.name:
                raise ValidationError({"name": f"{stored} is named on published fact-checks; "
                                               "correct those through a correction instead."})

    def is_on_published_pages(self) -> bool:
        return self.statements.filter(factchecks__status=FactCheck.Status.PUBLISHED).exists()

    def add_alias(self, alias: str) -> "SpeakerAlias | None":
        alias = normalize_text(alias)
        if not alias or speaker_key(alias) == speaker_key(self.name):
            return None
        obj, _ = SpeakerAlias.objects.get_or_create(
            speaker=self, normalized=speaker_key(alias), defaults={"alias": alias})
        return obj


class SpeakerAlias(models.Model):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "speaker aliases"
        constraints = [
            models.UniqueConstraint(fields=["speaker", "normalized"], name="alias_unique_per_speaker"),
        ]

    def __str__(self):
        return self.alias

    def save(self, *args, **kwargs):
        self.alias = normalize_text(self.alias)
        self.normalized = speaker_key(self.alias)
        super().save(*args, **kwargs)


class Tag(SlugFromField, models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


# --------------------------------------------------------------------------- statements


class Conflict(Exception):
    """Someone saved first: the edit was based on an older version (optimistic concurrency)."""

    def __init__(self, current):
        super().__init__("This item was changed by someone else while you were editing it.")
        self.current = current


class AlreadyAssigned(Exception):
    """The statement is already assigned to another editor."""


class StatementQuerySet(models.QuerySet):
    def listed(self):
        """Statements as lists show them, with their speaker, article and outlet in the same
        query. The articles' text, original HTML, the search vectors and what matching stores
        are left behind: they can be hundreds of kilobytes a row and no list shows them."""
        return self.select_related("speaker", "article__outlet").defer(
            "search_vector", "bands", "sketch", "article__text", "article__html", "article__search_vector")

    def expired_assignments(self, now=None):
        now = now or timezone.now()
        ttl = timezone.timedelta(minutes=settings.FACTCHECK_ASSIGNMENT_TTL_MINUTES)
        # Only an item an editor took for themselves lapses: one a colleague assigned them
        # is the desk's decision and stays theirs until they release or pass it on.
        return self.filter(Q(assigned_by__isnull=True) | Q(assigned_by=F("assignee")),
                           status=Statement.Status.ASSIGNED, assigned_at__lt=now - ttl)

    def settled(self):
        """Statements covered by a fact-check past its draft (see Statement.settled_factchecks)."""
        return self.filter(factchecks__status__in=FactCheck.SETTLED)

    def refresh_published_flag(self) -> int:
        """Set in_published_factcheck on these statements from the fact-checks covering them
        now: after a fact-check is withdrawn, or its statements are changed by hand."""
        covering = FactCheck.objects.published().filter(statements=OuterRef("pk"))
        return self.update(in_published_factcheck=Exists(covering))


OPEN_QUEUE = Q(status__in=["new", "assigned"], duplicate_of__isnull=True)


class BandsField(models.Field):
    """A list of int4: integer[] on PostgreSQL, where a GIN index answers `&&` (overlap);
    JSON text elsewhere, where nothing queries it (matching runs in Python there)."""

    description = "List of 32-bit integers"

    def db_type(self, connection):
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        return json.loads(value) if isinstance(value, str) else value

    def to_python(self, value):
        return json.loads(value) if isinstance(value, str) else value

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        return list(value) if connection.vendor == "postgresql" else json.dumps(list(value))


class SketchField(models.Field):
    """A fixed-length string of bits: bit varying on PostgreSQL, where XOR and bit_count compare
    two in the database; text elsewhere, where nothing compares them. Python sees a str of '0'
    and '1' characters."""

    description = "String of bits"

    def __init__(self, *args, bits: int, **kwargs):
        self.bits = bits
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, {**kwargs, "bits": self.bits}

    def db_type(self, connection):
        return f"bit varying({self.bits})" if connection.vendor == "postgresql" else "text"


class Statement(TimeStamped):
    """One queue item: a quote or a claim found in an article."""

    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct quote"
        PARTIAL = "partial", "Partial quote"
        INDIRECT = "indirect", "Reported speech"
        CLAIM = "claim", "Claim"

    class Status(models.TextChoices):
        NEW = "new", "New"
        ASSIGNED = "assigned", "Assigned"
        IN_FACTCHECK = "in_factcheck", "In fact-check"
        DISMISSED = "dismissed", "Dismissed"

    class Priority(models.IntegerChoices):
        LOW = -1, "Low"
        NORMAL = 0, "Normal"
        HIGH = 1, "High"
        URGENT = 2, "Urgent"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()
    # No index of their own: article, speaker and assignee lead the unique span and the
    # (speaker, status) and (assignee, status) indexes, which serve the same lookups. Every index
    # is written on every insert, and ingest inserts far more than anything reads.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="statements",
                                db_index=False)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    parts = models.JSONField(default=list, blank=True,
                             help_text="[start, end] of each part of a quote split by its attribution.")
    speaker = models.ForeignKey(Speaker, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="statements", db_index=False)
    mention = models.CharField(max_length=300, blank=True,
                               help_text='How the article names the speaker here ("he").')
    mention_start = models.PositiveIntegerField(null=True, blank=True)
    mention_end = models.PositiveIntegerField(null=True, blank=True)
    cue = models.CharField(max_length=100, blank=True)
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    via = models.JSONField(default=list, blank=True,
                           help_text="Intermediaries the words passed through, nearest the speaker first.")
    score = models.FloatField(default=0.0, db_index=True,
                              validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
                              help_text="Check-worthiness, 0..1.")
    fingerprint = models.CharField(max_length=64, editable=False)  # indexed in Meta: no LIKE index
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, db_index=False,
                                 on_delete=models.SET_NULL, related_name="assigned_statements")
    assigned_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, db_index=False,
                                    on_delete=models.SET_NULL, related_name="+",
                                    help_text="Who gave the item to its assignee "
                                              "(themselves, for one taken).")
    priority = models.SmallIntegerField(choices=Priority.choices, default=Priority.NORMAL,
                                        help_text="Set by the desk; the next item is taken from the "
                                                  "highest priority first.")
    dismissed_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False,
                                          help_text="Bumped on every edit; stale edits are refused.")
    tags = models.ManyToManyField(Tag, blank=True, related_name="statements")
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="appearances",
        help_text="The first appearance of the same (or nearly the same) words in another article.")
    appearance_count = models.PositiveIntegerField(
        default=1, help_text="How many articles printed it: this one plus its later appearances.")
    bands = BandsField(default=list, editable=False,
                       help_text="LSH band hashes of the words' trigrams (statements/lsh.py), "
                                 "to find near repeats.")
    sketch = SketchField(bits=SKETCH_BITS, default="", blank=True, editable=False,
                         help_text="One bit of each minhash of the words' trigrams (statements/lsh.py): "
                                   "rows too unlike a new quote are not compared with it.")
    match_bands = BandsField(null=True, default=None, editable=False,
                             help_text="LSH bands fact-check matching looks up (statements/lsh.py); "
                                       "null until computed.")
    # Fact-check matching compares every new statement with the words of every statement a
    # published fact-check covers; a partial index of the match bands of the rows with this
    # flag set (migration 0025) finds the similar ones without reading the others.
    in_published_factcheck = models.BooleanField(
        default=False, editable=False,
        help_text="Covered by a published fact-check (kept by publish, withdraw and appearance grouping).")
    # GIN-indexed on PostgreSQL (migration 0015): desk and queue search match on it. A common
    # word matches a tenth of a million rows; filtering the newest of them read each one's
    # text through to_tsvector again (180 ms at 1M statements). With the mention, the queue's
    # search box finds "the minister" through the index too.
    search_vector = models.GeneratedField(
        expression=StoredSearchVector("text", "mention", config="english"),
        output_field=SearchVectorField(null=True), db_persist=True, editable=False)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "-created_at", "-pk"]
        permissions = [("review_statement", "Can take, review and dismiss statements")]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1),
                                   name="statement_score_0_1"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="statement_span_nonempty"),
            # An assigned statement has exactly one editor; a new or dismissed one has none.
            models.CheckConstraint(
                condition=(Q(status="assigned", assignee__isnull=False, assigned_at__isnull=False)
                           | Q(status__in=["new", "dismissed"], assignee__isnull=True)
                           | Q(status="in_factcheck")),
                name="statement_assignment_matches_status"),
            models.UniqueConstraint(fields=["article", "kind", "start", "end"],
                                    name="statement_unique_span"),
        ]
        indexes = [
            models.Index(fields=["fingerprint"], name="stmt_fingerprint"),
            # Keyset pagination walks these: (score, id) for priority, (created_at, id) for date.
            models.Index(fields=["status", "-score", "-id"], name="stmt_queue_priority"),
            models.Index(fields=["status", "-created_at", "-id"], name="stmt_queue_recent"),
            models.Index(fields=["kind", "status"], name="stmt_kind_status"),
            models.Index(fields=["speaker", "status"], name="stmt_speaker_status"),
            models.Index(fields=["assignee", "status"], name="stmt_assignee_status"),
            models.Index(fields=["status", "-appearance_count", "-id"], name="stmt_queue_appearances"),
            # The default queue ("open": new or assigned, first appearances only) in each of
            # its orders: a status IN (...) cannot walk the indexes above in order, so without
            # these a million-row queue is sorted on every page.
            models.Index(fields=["-score", "-id"], condition=OPEN_QUEUE, name="stmt_open_priority"),
            models.Index(fields=["-created_at", "-id"], condition=OPEN_QUEUE, name="stmt_open_recent"),
            models.Index(fields=["-appearance_count", "-id"], condition=OPEN_QUEUE,
                         name="stmt_open_appearances"),
            # "Next item" looks among the few raised ones first, without reading the rest.
            models.Index(fields=["-priority", "-score", "-id"],
                         condition=Q(status="new", priority__gt=0), name="stmt_raised_priority"),
        ]

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        self.fingerprint = fingerprint(self.text)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "text" in update_fields:
            set_lsh_fields([self])
            if update_fields is not None:  # they follow the text
                kwargs["update_fields"] = {*update_fields, "fingerprint", *LSH_FIELDS}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("statement", args=[self.pk])

    def settled_factchecks(self):
        """The fact-checks covering this statement past their draft: under approval (what the
        approver reads must not change under them) or published (changed only by a correction)."""
        return self.factchecks.filter(status__in=FactCheck.SETTLED)

    def assign(self, *, to, by=None) -> None:
        """Give the statement to one editor (`by` a colleague, or they take it themselves);
        refuses if someone else already has it.

        The conditional UPDATE is the lock: of two editors racing, exactly one row update
        succeeds, whatever the database.
        """
        now = timezone.now()
        updated = Statement.objects.filter(pk=self.pk, status=Statement.Status.NEW).update(
            status=Statement.Status.ASSIGNED, assignee=to, assigned_at=now, assigned_by=by or to,
            version=F("version") + 1, updated_at=now)
        if not updated:
            self.refresh_from_db()
            if self.status == Statement.Status.ASSIGNED and self.assignee_id == to.pk:
                return  # a double click: already ours
            raise AlreadyAssigned(f"Statement {self.pk} is already {self.get_status_display().lower()}.")
        self.refresh_from_db()

    def release(self) -> bool:
        now = timezone.now()
        updated = Statement.objects.filter(pk=self.pk, status=Statement.Status.ASSIGNED).update(
            status=Statement.Status.NEW, assignee=None, assigned_at=None, assigned_by=None,
            version=F("version") + 1, updated_at=now)
        self.refresh_from_db()
        return bool(updated)


# --------------------------------------------------------------------------- verdicts


class StatementMatch(models.Model):
    """A published fact-check that matches a statement, found when the statement was created."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="matches")
    factcheck = models.ForeignKey("FactCheck", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    same_speaker = models.BooleanField(default=False)

    class Meta:
        ordering = ["-same_speaker", "-score"]
        constraints = [models.UniqueConstraint(fields=["statement", "factcheck"],
                                               name="match_unique_pair")]

    def __str__(self):
        return f"{self.statement_id} ~ {self.factcheck_id} ({self.score:.2f})"


class RatingScale(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    min_value = models.IntegerField(default=1)
    max_value = models.IntegerField(default=5)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(max_value__gt=F("min_value")), name="scale_bounds_ordered"),
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True),
                                    name="one_default_scale"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.pk and self.min_value is not None and self.max_value is not None:
            outside = self.ratings.exclude(value__isnull=True).exclude(
                value__gte=self.min_value, value__lte=self.max_value)
            if outside.exists():
                raise ValidationError("Some ratings of this scale have values outside these bounds.")


class Rating(models.Model):
    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="ratings")
    label = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    value = models.IntegerField(null=True, blank=True,
                                help_text="Position on the scale; empty for ratings such as Unproven.")
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scale", "order", "-value"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "slug"], name="rating_unique_slug"),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        # The bound is a relation between two rows, which a CHECK cannot express; validating
        # on every save keeps the admin, the API and scripts equally honest.
        if not self.slug:
            self.slug = slugify(self.label)
        self.full_clean(exclude=["scale"] if not self.scale_id else None, validate_unique=False)
        super().save(*args, **kwargs)

    def clean(self):
        scale = self.scale if self.scale_id else None
        if scale and self.value is not None and not scale.min_value <= self.value <= scale.max_value:
            raise ValidationError({"value": f"Must be between {scale.min_value} and "
                                            f"{scale.max_value} on the {scale} scale."})


class AttributionVerdict(models.Model):
    """Did this person say this, in this form and context?"""

    label = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


# --------------------------------------------------------------------------- fact-checks


class FactCheckQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=FactCheck.Status.PUBLISHED)

    def for_public_list(self):
        return self.published().select_related("rating__scale", "attribution_verdict").order_by(
            "-published_at", "-pk")

    def with_appearances(self):
        """Each fact-check's statements with their speaker, article and outlet, in one query for
        the lot (`listed`): what a ClaimReview and the public page show."""
        return self.prefetch_related(models.Prefetch("statements", queryset=Statement.objects.listed()))


class FactCheck(SlugFromField, TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # Past the draft: what the approver reads, or the public page, changes only by the workflow.
    SETTLED = (Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED)

    statements = models.ManyToManyField(Statement, related_name="factchecks")
    claim_reviewed = models.CharField(max_length=500, help_text="The claim, in one line "
                                      "(under 75 characters reads best in search results).")
    headline = models.CharField(max_length=200, blank=True)
    attribution_verdict = models.ForeignKey(AttributionVerdict, null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="factchecks")
    rating = models.ForeignKey(Rating, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="factchecks")
    explanation = models.TextField(blank=True, help_text="Markdown.")
    internal_notes = models.TextField(blank=True, help_text="For the desk only; never published.")
    slug = models.SlugField(max_length=120, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="factchecks_created")
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="factchecks_authored")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="factchecks_approved")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    return_note = models.TextField(blank=True, help_text="Why a publisher sent it back to draft.")
    version = models.PositiveIntegerField(default=1, editable=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="factchecks")
    # What fact-check matching compares a published claim with (statements/lsh.py), kept by
    # matching itself, which computes them again when the claim differs from `banded_claim`:
    # the workflow writes claims with conditional updates, which never reach save().
    claim_bands = BandsField(default=list, editable=False)
    claim_sketch = SketchField(bits=SKETCH_BITS, default="", blank=True, editable=False)
    banded_claim = models.CharField(max_length=500, blank=True, default="", editable=False)

    objects = FactCheckQuerySet.as_manager()
    slug_from, slug_max_length = "claim_reviewed", 100

    class Meta:
        ordering = ["-published_at", "-created_at"]
        permissions = [
            ("submit_factcheck", "Can submit a fact-check for approval"),
            ("approve_factcheck", "Can approve or return others' fact-checks"),
            ("publish_factcheck", "Can publish, correct and withdraw fact-checks"),
        ]
        constraints = [
            # Four eyes: the approver is never the person who wrote it.
            models.CheckConstraint(condition=Q(approver__isnull=True) | ~Q(approver=F("created_by")),
                                   name="factcheck_not_self_approved"),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "published"]) | Q(approver__isnull=False),
                name="factcheck_approved_has_approver"),
            models.CheckConstraint(condition=~Q(status="published") | Q(published_at__isnull=False),
                                   name="factcheck_published_has_date"),
        ]

    def __str__(self):
        return self.claim_reviewed

    def get_absolute_url(self):
        return reverse("factcheck", args=[self.slug])

    def has_speaker(self) -> bool:
        """Whether a statement it covers names who said it (an attribution verdict needs one)."""
        return self.statements.filter(speaker__isnull=False).exists()

    def is_authored_by(self, user) -> bool:
        """Its creator or a co-author: never its approver (four eyes)."""
        return self.created_by_id == user.pk or self.authors.filter(pk=user.pk).exists()


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PRIMARY = "primary", "Primary source"
        SECONDARY = "secondary", "Secondary source"

    factcheck = models.ForeignKey(FactCheck, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PRIMARY)
    quote = models.TextField(blank=True, help_text="The passage of the source that matters.")
    snapshot = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    accessed_at = models.DateTimeField(default=timezone.now)
    order = models.PositiveSmallIntegerField(default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["factcheck", "order", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.title or self.url


class PrimarySource(models.Model):
    """A transcript, press release or subtitles the quote is lined up against (the first
    verdict axis: did they say it?). We keep our own copy with its SHA-256, as for evidence.
    The alignment is computed once, when attached; it only proposes how the quote relates to
    the source, and an editor's decision is what a fact-check may show."""

    class Match(models.TextChoices):
        VERBATIM = "verbatim", "Verbatim"
        TRIMMED = "trimmed", "Trimmed"
        REWORDED = "reworded", "Reworded"
        NOT_FOUND = "not_found", "Not found in this source"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="primary_sources")
    title = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=2000, blank=True, help_text="Where it was fetched from, if it was.")
    filename = models.CharField(max_length=200, blank=True, help_text="The uploaded file's name.")
    text = models.TextField(help_text="The readable text the quote is aligned against.")
    snapshot = models.FileField(upload_to="sources/%Y/%m/", blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    accessed_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    passage_start = models.PositiveIntegerField(null=True, blank=True)
    passage_end = models.PositiveIntegerField(null=True, blank=True)
    starts_at = models.CharField(max_length=16, blank=True, help_text="The passage's cue time.")
    score = models.FloatField(null=True, blank=True)
    proposed = models.CharField(max_length=10, choices=Match.choices)
    decision = models.CharField(max_length=10, choices=Match.choices, blank=True,
                                help_text="The editor's reading; empty until one decides.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["statement", "accessed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(passage_start__isnull=True, passage_end__isnull=True)
                | Q(passage_start__lte=F("passage_end")),
                name="primarysource_passage_in_order"),
        ]

    def __str__(self):
        return self.title or self.url or self.filename or f"Source {self.pk}"

    @property
    def passage(self) -> str:
        if self.passage_start is None:
            return ""
        return self.text[self.passage_start:self.passage_end]

    @property
    def match(self) -> str:
        """What the desk stands by: the editor's decision, else the proposal."""
        return self.decision or self.proposed

    @property
    def match_label(self) -> str:
        return self.Match(self.match).label


class RightOfReply(models.Model):
    """Who we asked for comment, how and when, and what they answered."""

    class Method(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        SOCIAL = "social", "Social media"
        IN_PERSON = "in_person", "In person"
        OTHER = "other", "Other"

    factcheck = models.ForeignKey(FactCheck, on_delete=models.CASCADE, related_name="replies")
    contact = models.CharField(max_length=200, help_text="Who was contacted.")
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.EMAIL)
    contacted_at = models.DateTimeField(default=timezone.now)
    response = models.TextField(blank=True, help_text="Their answer; empty while none came.")
    responded_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["contacted_at", "pk"]
        verbose_name_plural = "right-of-reply log"

    def __str__(self):
        return f"{self.contact} ({self.get_method_display()}, {self.contacted_at:%Y-%m-%d})"

    @property
    def replied(self) -> bool:
        return bool(self.response.strip())


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    factcheck = models.ForeignKey(FactCheck, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CORRECTION)
    note = models.TextField(help_text="Shown publicly on the fact-check and in the corrections log.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    help_text="The second person who published it (four eyes).")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.factcheck}"


class ProposedCorrection(models.Model):
    """A change to a published fact-check waiting for a second person: only when another
    publisher publishes it does the change reach the page, as a Correction on the record."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for a second publisher"
        PUBLISHED = "published", "Published"
        DECLINED = "declined", "Declined"

    factcheck = models.ForeignKey(FactCheck, on_delete=models.CASCADE, related_name="proposed_corrections")
    kind = models.CharField(max_length=10, choices=Correction.Kind.choices,
                            default=Correction.Kind.CORRECTION)
    note = models.TextField(help_text="The public note, shown once the correction is published.")
    changes = models.JSONField(default=dict, blank=True,
                               help_text="Field -> new value (ids for rating, verdict and speaker).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # Four eyes: whoever proposed a correction never publishes it.
            models.CheckConstraint(condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                                   name="correction_not_self_published"),
        ]

    def __str__(self):
        return f"Proposed {self.get_kind_display().lower()} to {self.factcheck}"


class SiteText(models.Model):
    """Prose the desk edits in the admin, such as the methodology page's introduction."""

    key = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.title


class ReviewEvent(models.Model):
    """Append-only audit log: every state change, who, when and why. Written through
    ReviewEvent.record (or ReviewEvent.new and bulk_create, for many at once)."""

    class Action(models.TextChoices):
        # Articles in, and their extraction.
        INGESTED = "ingested", "Added the article"
        NEW_VERSION = "new_version", "Stored a new version of the article"
        EXTRACTION_REQUESTED = "extraction_requested", "Asked for the statements to be extracted again"
        EXTRACTED = "extracted", "Extracted the statements"
        EXTRACTION_COPIED = "extraction_copied", "Copied the statements from the original article"
        ARTICLE_CHANGED = "article_changed", "The words are no longer in the edited article"
        # The queue.
        ASSIGNED = "assigned", "Took the item"
        RELEASED = "released", "Released the item to the queue"
        ASSIGNMENT_EXPIRED = "assignment_expired", "The hold on the item expired"
        ASSIGNED_TO = "assigned_to", "Assigned the item"
        PRIORITY_SET = "priority_set", "Set the priority"
        CREATED = "created", "Added the item from a selection in the article"
        DISMISSED = "dismissed", "Dismissed the item"
        RESTORED = "restored", "Restored the item to the queue"
        EDITED = "edited", "Corrected the item"
        TAGGED = "tagged", "Changed the tags"
        SPEAKER_CREATED = "speaker_created", "Created a speaker"
        ALIAS_ADDED = "alias_added", "Remembered an alias"
        SPEAKERS_MERGED = "speakers_merged", "Merged two speakers"
        # Fact-checks.
        FACTCHECK_STARTED = "factcheck_started", "Started a fact-check"
        FACTCHECK_SAVED = "factcheck_saved", "Saved the draft"
        EVIDENCE_ADDED = "evidence_added", "Added a source"
        EVIDENCE_ARCHIVED = "evidence_archived", "Archived a source"
        PRIMARY_SOURCE_ADDED = "primary_source_added", "Lined the quote up against a primary source"
        ALIGNMENT_DECIDED = "alignment_decided", "Decided how the quote matches its primary source"
        REPLY_LOGGED = "reply_logged", "Logged a request for comment"
        SUBMITTED = "submitted", "Submitted it for approval"
        RETURNED = "returned", "Returned it to draft"
        APPROVED = "approved", "Approved it"
        PUBLISHED = "published", "Published it"
        CORRECTION_PROPOSED = "correction_proposed", "Proposed a correction"
        CORRECTION_DECLINED = "correction_declined", "Declined a correction"
        CORRECTED = "corrected", "Published a correction"
        UPDATED = "updated", "Published an update"
        WITHDRAWN = "withdrawn", "Withdrew it"

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=40, db_index=True, choices=Action.choices)
    statement = models.ForeignKey(Statement, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="events")
    factcheck = models.ForeignKey(FactCheck, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="events")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="events")
    speaker = models.ForeignKey(Speaker, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(statement__isnull=False) | Q(factcheck__isnull=False)
                | Q(article__isnull=False) | Q(speaker__isnull=False),
                name="event_has_subject"),
        ]

    def __str__(self):
        return f"{self.action} by {self.actor} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Review events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Review events are append-only.")

    @classmethod
    def new(cls, action: "ReviewEvent.Action", *, by=None, note: str = "", data: dict | None = None,
            **fields) -> "ReviewEvent":
        """An unsaved entry, for bulk_create; `fields`: its subjects (statement, factcheck,
        article, speaker), from_status, to_status, created_at. An action not in Action is
        refused here, so a misspelt one never reaches the log."""
        return cls(action=cls.Action(action), actor=by, note=note, data=data or {}, **fields)

    @classmethod
    def record(cls, action: "ReviewEvent.Action", **fields) -> "ReviewEvent":
        """Write one entry (see new)."""
        event = cls.new(action, **fields)
        event.save()
        return event


# --------------------------------------------------------------------------- the desk's day (#30)


class Note(models.Model):
    """An internal comment on a statement or a fact-check, with @mentions of colleagues.
    For the desk only: nothing public reads this table."""

    statement = models.ForeignKey(Statement, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="notes")
    factcheck = models.ForeignKey(FactCheck, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(statement__isnull=False, factcheck__isnull=True)
                | Q(statement__isnull=True, factcheck__isnull=False),
                name="note_has_one_subject"),
        ]

    def __str__(self):
        return f"Note by {self.author} on {self.statement or self.factcheck}"


class Notification(models.Model):
    """One line in a colleague's inbox (and, if they want it, an e-mail)."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "Assigned to you"
        MENTIONED = "mentioned", "Mentioned you"
        RETURNED = "returned", "Returned to you"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        CORRECTED = "corrected", "Corrected"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", db_index=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    statement = models.ForeignKey(Statement, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")
    factcheck = models.ForeignKey(FactCheck, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")
    text = models.CharField(max_length=500, blank=True, help_text="The note or reason that came with it.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The header's unread count on every desk page reads only this.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True),
                         name="notification_unread"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"


class DeskProfile(models.Model):
    """A desk member's own settings."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="desk_profile")
    email_notifications = models.BooleanField(
        default=True, help_text="Also send each notification to the account's e-mail address.")

    def __str__(self):
        return f"Settings of {self.user}"


class SavedView(models.Model):
    """A named set of queue filters, for its owner or for the whole desk."""

    name = models.CharField(max_length=100)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="saved_views")
    for_desk = models.BooleanField(default=False, help_text="Listed in every editor's queue.")
    query = models.CharField(max_length=2000, blank=True, help_text="The queue's filters, as in its URL.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_view_unique_name")]

    def __str__(self):
        return self.name
