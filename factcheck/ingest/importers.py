"""Every way an article arrives ends here: validated, stored once, extraction queued.

The paste/URL/upload forms, the JSON API, feeds and `manage.py ingest` all call these
functions, so the same input gets the same answer whichever door it came through.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.utils.dateparse import parse_datetime

from factcheck.ingest.fetch import FetchError, fetch
from factcheck.ingest.html import (
    NotAnArticle,
    ParsedArticle,
    clean_text,
    decode_bytes,
    is_web_url,
    one_line,
    parse_html,
    parse_plain_text,
    storable_datetime,
)
from factcheck.ingest.queueing import enqueue_extraction, request_extraction
from factcheck.models import Article, Outlet, ReviewEvent, normalize_url, sha256_hex

log = logging.getLogger(__name__)

UPLOAD_EXTENSIONS = {".html": "html", ".htm": "html", ".txt": "text"}
# A database that is down or busy is not the record's fault: the import stops there and resumes.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


class IngestRefused(Exception):
    """The input was refused; `str(exc)` is a one-line reason, `status` the HTTP status to answer."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


@dataclass
class Outcome:
    article: Article
    created: bool
    new_version: bool = False

    @property
    def message(self) -> str:
        article = self.article
        if (self.created or self.new_version) and not article.extraction_supported:
            return (f"{'Added' if self.created else 'Recorded the changed text as a new version'}: it is "
                    f"in {article.language_name}, and extraction supports English only, so no quotes "
                    "or claims are taken from it.")
        if self.created and article.copy_of_id:
            original_done = article.copy_of.extraction_status == Article.Extraction.DONE
            reuse = ("its statements are reused" if original_done
                     else "the original is not extracted yet, so this copy is extracted on its own")
            return ("Added as a syndicated copy: the same text was already ingested "
                    f"({article.copy_of.display_title[:80]}); {reuse}.")
        if self.created:
            return "Added; extracting quotes and claims."
        if self.new_version:
            return "Already ingested, but the text has changed: recorded a new version, extracting again."
        return "Already ingested."

    def as_dict(self) -> dict:
        article = self.article
        return {
            "id": article.pk, "created": self.created, "new_version": self.new_version,
            "message": self.message, "title": article.title, "url": article.url,
            "copy_of": article.copy_of_id, "language": article.language,
            "extraction_status": article.extraction_status,
            "page": article.get_absolute_url(),
        }


def _check_size(text: str) -> None:
    limit = settings.FACTCHECK_MAX_ARTICLE_CHARS
    if len(text) > limit:
        raise IngestRefused(f"The article is too long ({len(text):,} characters; the limit is "
                            f"{limit:,}).", status=413)


def shown(value: str, limit: int = 60) -> str:
    """Part of what someone sent, safe to echo in a message and to store (JSON columns too):
    what is not printable (NUL, lone surrogates, line breaks) written as \\uXXXX."""
    value = str(value)
    cut = value[:limit]
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in cut) + (
        "…" if len(value) > limit else "")


def _check_url(url: str, *, to_fetch: bool = False) -> str:
    """A URL recorded as given must be well-formed; one to fetch is judged by the fetcher,
    which says more precisely what is wrong ("2130706433 resolves to 127.0.0.1 ...")."""
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > 2000:
        raise IngestRefused("The URL is longer than 2,000 characters.")
    if not url.isprintable():  # control characters, NUL included: PostgreSQL refuses NUL anywhere
        raise IngestRefused(f"The URL contains a control or invalid character ({shown(url)}).", status=400)
    if not to_fetch and not is_web_url(url):
        raise IngestRefused("The URL must start with http:// or https:// and name a host.")
    return url


# A bulk import's chunk is mostly one outlet's articles: while it is stored, each host is looked
# up once (store_records sets this; the dictionary lives only as long as that call).
_outlets_of_chunk: ContextVar[dict[str, Outlet | None] | None] = ContextVar("outlets_of_chunk", default=None)


def outlet_for(url: str, site_name: str = "") -> Outlet | None:  # url passed is_web_url
    """The outlet a URL belongs to, by host name; created on first sight."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    host = host[4:] if host.startswith("www.") else host
    if not host:
        return None
    seen = _outlets_of_chunk.get()
    if seen is None:
        return _outlet_of_host(host, site_name)
    if host not in seen:
        seen[host] = _outlet_of_host(host, site_name)
    return seen[host]


def _outlet_of_host(host: str, site_name: str) -> Outlet | None:
    outlet = Outlet.objects.filter(domain=host).order_by("pk").first()
    if outlet:
        return outlet
    name = one_line(site_name, 150) or host
    if Outlet.objects.filter(name=name).exists():
        name = f"{name} ({host})"[:200]
    try:
        with transaction.atomic():
            return Outlet.objects.create(name=name, domain=host, homepage=f"https://{host}/")
    except IntegrityError:  # created meanwhile by a concurrent ingest
        return Outlet.objects.filter(domain=host).order_by("pk").first()


def outlet_named(name: str) -> Outlet | None:
    name = one_line(name, 200)
    if not name:
        return None
    outlet = Outlet.objects.filter(name__iexact=name).first()
    if outlet:
        return outlet
    try:
        with transaction.atomic():
            return Outlet.objects.create(name=name)
    except IntegrityError:
        return Outlet.objects.filter(name__iexact=name).first()


@dataclass
class Pending:
    """An article checked and ready to store (store_many), its outlet found or created."""
    parsed: ParsedArticle
    url: str = ""
    html: str = ""
    source: str = Article.Source.PASTE
    by: object = None
    outlet: Outlet | None = None

    def __post_init__(self):
        if not self.parsed.text.strip():
            raise IngestRefused("The article has no text.")
        _check_size(self.parsed.text)

    def fields(self) -> dict:
        parsed = self.parsed
        return dict(text=parsed.text, url=self.url, title=parsed.title, byline=parsed.byline,
                    outlet=self.outlet, published_at=parsed.published_at, html=self.html,
                    source=self.source, by=self.by)


def store_many(pending: list[Pending], *, enqueue: bool = True) -> list[Outcome]:
    """Store checked articles once each, in order, and queue their extraction; the one place
    articles are created. A fixed number of queries for the lot (Article.objects.ingest_many).

    With `enqueue=False` the articles are left pending for the caller to extract in-process
    (`manage.py ingest`) or to queue together (`request_extractions`).
    """
    with transaction.atomic():
        outcomes, events = [], []
        for item, (article, created) in zip(pending, Article.objects.ingest_many(
                [item.fields() for item in pending]), strict=True):
            new_version = bool(getattr(article, "version_recorded", False))
            if created:
                events.append(ReviewEvent.new(
                    ReviewEvent.Action.INGESTED, article=article, by=item.by,
                    data={"source": item.source, "copy_of": article.copy_of_id}))
            elif new_version:
                events.append(ReviewEvent.new(ReviewEvent.Action.NEW_VERSION, article=article,
                                              by=item.by, data={"source": item.source}))
            outcomes.append(Outcome(article, created, new_version))
        ReviewEvent.objects.bulk_create(events)
        for outcome in outcomes if enqueue else ():
            if outcome.created:
                enqueue_extraction(outcome.article)  # stored pending: no second write of the new row
            elif outcome.new_version:
                request_extraction(outcome.article)
    return outcomes


def store(parsed: ParsedArticle, *, url: str = "", html: str = "", source: str, by=None,
          outlet: Outlet | None = None, enqueue: bool = True) -> Outcome:
    """Store one parsed article (store_many)."""
    return store_many([Pending(parsed, url, html, source, by, outlet)], enqueue=enqueue)[0]


# --------------------------------------------------------------------------- the doors


def prepare_text(text: str, *, title: str = "", url: str = "", outlet: Outlet | str | None = None,
                 byline: str = "", published_at=None, source: str = Article.Source.PASTE,
                 by=None) -> Pending:
    """Pasted text (title, URL, outlet and date optional), checked; the URL is recorded, not fetched."""
    url = _check_url(url)
    try:
        text = clean_text(text or "")
    except NotAnArticle as exc:
        raise IngestRefused(str(exc)) from None
    if not text:
        raise IngestRefused("The text is empty.")
    _check_size(text)
    title = one_line(title, 500)
    parsed = ParsedArticle(title=title, body=text) if title else parse_plain_text(text)
    parsed.byline, parsed.published_at = one_line(byline, 300), published_at
    if isinstance(outlet, str):  # by name, created only once the input is known to be good
        outlet = outlet_named(outlet)
    if url and outlet is None:
        outlet = outlet_for(url)
    return Pending(parsed, url=url, source=source, by=by, outlet=outlet)


def ingest_text(text: str, *, enqueue: bool = True, **options) -> Outcome:
    """Pasted text, stored (prepare_text's options)."""
    return store_many([prepare_text(text, **options)], enqueue=enqueue)[0]


@dataclass
class FetchedPage:
    """A page fetched and parsed, not yet stored: fetching happens outside any transaction."""
    requested_url: str
    final_url: str
    parsed: ParsedArticle
    html: str


def fetch_page(url: str) -> FetchedPage:
    """Fetch a page (safely) and extract its article."""
    if not (url or "").strip():
        raise IngestRefused("Give a URL.")
    url = _check_url(url, to_fetch=True)
    try:
        result = fetch(url)
    except FetchError as exc:
        raise IngestRefused(str(exc), status=exc.status) from None
    decoded = decode_bytes(result.body, result.charset)
    try:
        if result.content_type == "text/plain":
            parsed, html = parse_plain_text(decoded), ""
        else:
            parsed, html = parse_html(decoded, url=result.url), decoded
    except NotAnArticle as exc:
        raise IngestRefused(str(exc), status=422) from None
    return FetchedPage(url, result.url, parsed, html)


def prepare_page(page: FetchedPage, *, by=None, source: str = Article.Source.URL,
                 outlet: Outlet | str | None = None) -> Pending:
    article_url = _identity_url(page.requested_url, page.final_url, page.parsed.canonical_url)
    if isinstance(outlet, str):
        outlet = outlet_named(outlet)
    if outlet is None:
        outlet = outlet_for(article_url, page.parsed.site_name)
    return Pending(page.parsed, url=article_url, html=page.html, source=source, by=by, outlet=outlet)


def store_page(page: FetchedPage, *, enqueue: bool = True, **options) -> Outcome:
    return store_many([prepare_page(page, **options)], enqueue=enqueue)[0]


def ingest_url(url: str, *, by=None, source: str = Article.Source.URL,
               outlet: Outlet | str | None = None, enqueue: bool = True) -> Outcome:
    """Fetch a page (safely), extract its article and store it."""
    return store_page(fetch_page(url), by=by, source=source, outlet=outlet, enqueue=enqueue)


def _identity_url(requested: str, final: str, canonical: str) -> str:
    """The URL an article is known by.

    An article already stored under any of the three URLs keeps its URL. Otherwise the
    page's canonical URL, when it is on the host we fetched (a page may not claim to be
    another site's article), else where the redirects ended.
    """
    candidates = [u for u in (requested, final, canonical) if u]
    hashes = {sha256_hex(normalize_url(u)): u for u in candidates}
    existing = Article.objects.filter(url_hash__in=hashes).values_list("url", flat=True).first()
    if existing:
        return existing
    if canonical:
        final_host = (urlsplit(final).hostname or "").removeprefix("www.")
        if (urlsplit(canonical).hostname or "").removeprefix("www.") == final_host:
            return canonical
    return final


def ingest_file(name: str, data: bytes, *, by=None, source: str = Article.Source.UPLOAD,
                enqueue: bool = True) -> Outcome:
    """An uploaded or local .html/.htm/.txt file."""
    kind = UPLOAD_EXTENSIONS.get(PurePath(name or "").suffix.lower())
    if kind is None:
        raise IngestRefused("Only .html, .htm and .txt files can be ingested.", status=415)
    if len(data) > settings.FACTCHECK_FETCH_MAX_BYTES:
        raise IngestRefused(f"The file is larger than {settings.FACTCHECK_FETCH_MAX_BYTES / 1e6:g} MB.",
                            status=413)
    if not data.strip():
        raise IngestRefused("The file is empty.")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestRefused("That file is binary, not text or HTML.", status=415)
    decoded = decode_bytes(data)
    try:
        if kind == "text":
            return ingest_text(decoded, source=source, by=by, enqueue=enqueue)
        parsed = parse_html(decoded)
    except NotAnArticle as exc:
        raise IngestRefused(str(exc), status=422) from None
    url = parsed.canonical_url  # parse_html keeps only a well-formed http(s) URL
    outlet = outlet_for(url, parsed.site_name) if url else outlet_named(parsed.site_name)
    return store(parsed, url=url, html=decoded, source=source, by=by, outlet=outlet, enqueue=enqueue)


RECORD_FIELDS = ("text", "title", "url", "outlet", "byline", "published_at")


def _checked_record(record) -> dict:
    if not isinstance(record, dict):
        raise IngestRefused('Expected a JSON object such as {"url": "https://..."} or {"text": "..."}.')
    unknown = set(record) - set(RECORD_FIELDS)
    if unknown:
        raise IngestRefused(f"Unknown field(s): {', '.join(shown(k, 40) for k in sorted(unknown)[:10])}.")
    for key, value in record.items():
        if value is not None and not isinstance(value, str):
            raise IngestRefused(f"The field {key!r} must be a string.")
        if value:
            _check_unicode(key, value)
    if not (record.get("text") or "").strip() and not (record.get("url") or "").strip():
        raise IngestRefused('Give either "url" (to fetch) or "text".')
    return record


def _check_unicode(key: str, value: str) -> None:
    """JSON's \\ud800 escapes decode to lone surrogates: not characters, so no database (nor
    UTF-8) can hold them. Refused here rather than failing when the article is stored."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = value[exc.start]
        raise IngestRefused(f"The field {key!r} holds U+{ord(bad):04X} at character {exc.start + 1:,}, "
                            "a lone surrogate, which is not a character: send valid Unicode.",
                            status=400) from None


def fetch_record_page(record) -> FetchedPage | None:
    """The page a record asks us to fetch ({"url": ...} without text), fetched now; None for a
    record that brings its text. Lets a bulk import fetch before it opens its transaction."""
    record = _checked_record(record)
    if (record.get("text") or "").strip():
        return None
    return fetch_page(record["url"].strip())


def prepare_record(record, *, by=None, source: str = Article.Source.API,
                   page: FetchedPage | None = None) -> Pending:
    """One JSON object, from the API or a JSONL line, checked: {"url": ...} to fetch (or `page`,
    fetched already by fetch_record_page), or {"text": ..., "title"?, "url"?, "outlet"?,
    "byline"?, "published_at"?} to store as given."""
    record = _checked_record(record)
    text, url = record.get("text") or "", (record.get("url") or "").strip()
    outlet = record.get("outlet") or None
    if text.strip():
        return prepare_text(text, title=record.get("title") or "", url=url, outlet=outlet,
                            byline=record.get("byline") or "",
                            published_at=parse_published(record.get("published_at")), source=source,
                            by=by)
    return prepare_page(page or fetch_page(url), by=by, source=source, outlet=outlet)


def ingest_record(record, *, enqueue: bool = True, **options) -> Outcome:
    """One JSON object, stored (prepare_record's options)."""
    return store_many([prepare_record(record, **options)], enqueue=enqueue)[0]


@dataclass
class FetchedRecord:
    """A JSONL record of a bulk import, parsed and its page fetched (or the refusal met doing
    so), waiting to be stored inside the import's transaction."""
    lineno: int
    record: object = None
    page: FetchedPage | None = None
    refused: IngestRefused | None = None

    def prepare(self, *, by=None, source: str = Article.Source.BULK) -> Pending:
        """Check it for store_many; raises the refusal met while fetching."""
        if self.refused is not None:
            raise self.refused
        return prepare_record(self.record, by=by, source=source, page=self.page)


def _unexpected(lineno: int, exc: Exception, doing: str) -> IngestRefused:
    """A record that failed in a way no check foresaw: logged for us, refused for its sender,
    so that one bad line costs that line only."""
    log.error("bulk record on line %s could not be %s", lineno, doing, exc_info=exc)
    return IngestRefused(f"Could not be {doing} ({type(exc).__name__}: {shown(exc, 160)}).")


def store_records(fetched: list[FetchedRecord], *, by=None) -> list[Outcome | IngestRefused]:
    """A chunk of a bulk import, stored together (store_many) and left for the caller to
    extract: for each record in order its outcome, or why it was refused.

    One record the database refuses does not cost the others their place: the chunk is then
    stored again one record at a time (store_many's savepoint kept the caller's transaction
    usable), and that record is refused with the reason."""
    results: list[Outcome | IngestRefused | None] = []
    pending: list[tuple[FetchedRecord, Pending]] = []
    token = _outlets_of_chunk.set({})
    try:
        for item in fetched:
            try:
                pending.append((item, item.prepare(by=by)))
                results.append(None)
            except IngestRefused as exc:
                results.append(exc)
            except DatabaseError:
                raise  # the transaction may be unusable: the chunk fails, and is retried whole
            except Exception as exc:
                results.append(_unexpected(item.lineno, exc, "read"))
    finally:
        _outlets_of_chunk.reset(token)
    stored = iter(_store_isolating(pending))
    return [next(stored) if result is None else result for result in results]


def _store_isolating(pending: list[tuple[FetchedRecord, Pending]]) -> list[Outcome | IngestRefused]:
    try:
        return store_many([p for _, p in pending], enqueue=False)
    except TRANSIENT_DB_ERRORS:
        raise
    except Exception as exc:
        if len(pending) == 1:
            return [_unexpected(pending[0][0].lineno, exc, "stored")]
        log.warning("storing %d bulk records failed (%s); storing them one by one", len(pending), exc)
    outcomes: list[Outcome | IngestRefused] = []
    for item, one in pending:
        try:
            outcomes += store_many([one], enqueue=False)
        except TRANSIENT_DB_ERRORS:
            raise
        except Exception as exc:
            outcomes.append(_unexpected(item.lineno, exc, "stored"))
    return outcomes


def fetch_records(lines: list[tuple[int, str]]) -> list[FetchedRecord]:
    """(line number, JSONL line) pairs parsed and their pages fetched, before the caller opens
    the transaction that stores them: fifty slow sites must not hold it open."""
    fetched = []
    for lineno, line in lines:
        try:
            record = parse_json(line)
            fetched.append(FetchedRecord(lineno, record, fetch_record_page(record)))
        except IngestRefused as exc:
            fetched.append(FetchedRecord(lineno, refused=exc))
        except DatabaseError:
            raise
        except Exception as exc:
            fetched.append(FetchedRecord(lineno, refused=_unexpected(lineno, exc, "read")))
    return fetched


def parse_published(value) -> datetime | None:
    """An ISO 8601 date and time (UTC when it has no offset), within what every database and
    time zone can show: 0001-01-01T00:00+14:00 is a year 0 in UTC (an OverflowError, or a date
    PostgreSQL stores and Python cannot read back)."""
    if not value:
        return None
    try:
        parsed = parse_datetime(value) or datetime.fromisoformat(value)
    except ValueError:
        raise IngestRefused(f"published_at {shown(value, 40)!r} is not an ISO 8601 date.",
                            status=400) from None
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if storable_datetime(parsed) is None:
        raise IngestRefused(f"published_at {shown(value, 40)!r} is out of range (years 1 to 9999, "
                            "in UTC).", status=400)
    return parsed


def parse_json(text: str | bytes):
    """A JSON document (the API's body, a JSONL line), or IngestRefused (400) saying why not:
    also for what json.loads raises besides JSONDecodeError, on input built to break it."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestRefused(f"Not valid JSON ({exc.msg} at column {exc.colno}).", status=400) from None
    except RecursionError:  # [[[[... 100,000 deep
        raise IngestRefused("Not valid JSON for us: nested too deeply.", status=400) from None
    except ValueError as exc:  # an integer of more than 4,300 digits (sys.int_info)
        reason = "a number has too many digits" if "digits" in str(exc) else shown(exc, 120)
        raise IngestRefused(f"Not valid JSON for us: {reason}.", status=400) from None


__all__ = ["FetchedPage", "FetchedRecord", "IngestRefused", "Outcome", "Pending", "fetch_page",
           "fetch_record_page", "fetch_records", "ingest_file", "ingest_record", "ingest_text",
           "ingest_url", "outlet_for", "parse_json", "prepare_page", "prepare_record", "prepare_text",
           "shown", "store", "store_many", "store_page", "store_records"]
