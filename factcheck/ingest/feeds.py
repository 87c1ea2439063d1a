"""Polling RSS/Atom feeds: conditional GET, new entries fetched and ingested, errors kept per feed."""

from __future__ import annotations

import calendar
import logging
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin

import feedparser
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from factcheck.ingest.fetch import FEED_TYPES, FetchError, fetch
from factcheck.ingest.importers import IngestRefused, ingest_url
from factcheck.ingest.queueing import request_extractions
from factcheck.models import Article, Feed, normalize_url, sha256_hex

log = logging.getLogger(__name__)


@dataclass
class FeedReport:
    feed: Feed
    not_modified: bool = False
    entries: int = 0
    added: int = 0
    new_versions: int = 0
    known: int = 0
    errors: list[str] = field(default_factory=list)
    error: str = ""  # the feed itself failed

    def line(self) -> str:
        if self.error:
            return f"{self.feed.url}: FAILED — {self.error}"
        if self.not_modified:
            return f"{self.feed.url}: not modified"
        text = (f"{self.feed.url}: {self.entries} entries, {self.added} new, "
                f"{self.new_versions} changed, {self.known} already ingested")
        if self.errors:
            text += f", {len(self.errors)} failed"
        return text


def _entry_updated(entry) -> datetime | None:
    with warnings.catch_warnings():  # feedparser warns about its updated/published fallback
        warnings.simplefilter("ignore", DeprecationWarning)
        stamp = entry.get("updated_parsed") or entry.get("published_parsed")
    if not stamp:
        return None
    return datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC)


def poll_feed(feed: Feed, *, force: bool = False) -> FeedReport:
    """Fetch one feed (conditionally unless `force`) and ingest its new or updated entries."""
    report = FeedReport(feed)
    previous_poll = feed.last_polled_at
    headers = {}
    if not force:
        if feed.etag:
            headers["If-None-Match"] = feed.etag
        if feed.last_modified:
            headers["If-Modified-Since"] = feed.last_modified
    now = timezone.now()
    try:
        result = fetch(feed.url, accept=FEED_TYPES, headers=headers)
    except FetchError as exc:
        return _failed(feed, report, str(exc), now)
    if result.not_modified:
        Feed.objects.filter(pk=feed.pk).update(last_polled_at=now, last_error="", consecutive_errors=0)
        report.not_modified = True
        return report
    parsed = feedparser.parse(result.body, response_headers={
        "content-type": result.headers.get("Content-Type", ""), "content-location": result.url})
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = getattr(parsed, "bozo_exception", None)
        return _failed(feed, report, f"Not an RSS or Atom feed{f' ({reason})' if reason else ''}.", now)

    entries = parsed.entries[: settings.FACTCHECK_FEED_MAX_ENTRIES]
    report.entries = len(entries)
    to_extract, created = [], set()
    for entry in entries:
        link = entry.get("link") or ""
        if not link:
            continue
        try:
            link = urljoin(result.url, link)
        except ValueError:
            report.errors.append(f"{link[:200]}: not a valid URL")
            continue
        known = Article.objects.filter(url_hash=sha256_hex(normalize_url(link))).exists()
        updated = _entry_updated(entry)
        # A known entry is fetched again only when the feed says it changed since the last poll.
        if known and not force and not (previous_poll and updated and updated > previous_poll):
            report.known += 1
            continue
        try:
            outcome = ingest_url(link, source=Article.Source.FEED, outlet=feed.outlet, enqueue=False)
        except IngestRefused as exc:
            report.errors.append(f"{link}: {exc}")
            continue
        if outcome.created:
            report.added += 1
            created.add(outcome.article.pk)
        elif outcome.new_version:
            report.new_versions += 1
        else:
            report.known += 1
        if outcome.created or outcome.new_version:
            to_extract.append(outcome.article)
    # A feed's new entries are extracted in batches, not one task each.
    request_extractions(to_extract, created=created)

    title = (parsed.feed.get("title") or "")[:300]
    last_error = ""
    if report.errors:
        last_error = (f"{len(report.errors)} of {len(entries)} entries failed: "
                      + " | ".join(report.errors[:5]))
    Feed.objects.filter(pk=feed.pk).update(
        etag=(result.headers.get("ETag") or "")[:500],
        last_modified=(result.headers.get("Last-Modified") or "")[:100],
        last_polled_at=now, last_error=last_error, consecutive_errors=0,
        **({"title": title} if title and not feed.title else {}))
    feed.refresh_from_db()
    return report


def _failed(feed: Feed, report: FeedReport, message: str, now) -> FeedReport:
    Feed.objects.filter(pk=feed.pk).update(last_polled_at=now, last_error=message[:2000],
                                           consecutive_errors=F("consecutive_errors") + 1)
    feed.refresh_from_db()
    report.error = message
    log.warning("feed %s failed: %s", feed.url, message)
    return report


def due_feeds(now=None):
    """Active feeds whose interval has passed; a failing feed backs off (up to 32 intervals)."""
    now = now or timezone.now()
    due = []
    for feed in Feed.objects.filter(is_active=True).filter(
            Q(last_polled_at__isnull=True) | Q(last_polled_at__lte=now - timedelta(minutes=5))):
        backoff = 2 ** min(feed.consecutive_errors, 5)
        if feed.last_polled_at is None or (
                feed.last_polled_at + timedelta(minutes=feed.poll_interval_minutes * backoff) <= now):
            due.append(feed)
    return due


def poll_due(now=None) -> dict:
    """Poll every due feed once; two pollers running at once never poll the same feed twice."""
    now = now or timezone.now()
    reports = []
    for feed in due_feeds(now):
        # Claim the feed: only one poller's conditional update succeeds.
        if not Feed.objects.filter(pk=feed.pk, last_polled_at=feed.last_polled_at).update(
                last_polled_at=now):
            continue
        # `feed` still holds the previous poll time: entries updated since then are re-fetched.
        reports.append(poll_feed(feed))
    return {"feeds": len(reports), "added": sum(r.added for r in reports),
            "changed": sum(r.new_versions for r in reports),
            "failed": sum(1 for r in reports if r.error), "lines": [r.line() for r in reports]}
