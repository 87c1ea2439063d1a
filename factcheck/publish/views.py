"""The anonymous public site: fact-checks, speakers, tags, methodology, corrections, the
ClaimReview feed and archived evidence. Cached, and never showing anything unpublished."""

import hashlib
import re
import time
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Max, Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.http import parse_etags, quote_etag
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, conditional_page, require_safe

from factcheck.models import (
    AttributionVerdict,
    Correction,
    Evidence,
    FactCheck,
    PrimarySource,
    Rating,
    SiteText,
    Speaker,
    Tag,
)
from factcheck.publish import cards
from factcheck.publish.bundle import build_bundle
from factcheck.publish.claimreview import absolute, appearances_in_order, as_script_json, claim_review
from factcheck.publish.context import (
    appearances,
    article_texts,
    chain_in_words,
    present,
    printings,
    published_alignments,
    quote_context,
    related_factchecks,
    role_in_article,
)
from factcheck.statements.search import search_factchecks
from factcheck.statements.timeline import timeline_of

S = FactCheck.Status


# --------------------------------------------------------------------------- caching


def _public_changed_at(request, *args, **kwargs):
    """When anything public last changed: every publish, correction and withdrawal bumps
    a fact-check's updated_at, so this one aggregate dates all public lists. Kept on the
    request: the Last-Modified check and the cache key both need it."""
    if not hasattr(request, "_public_changed_at"):
        request._public_changed_at = FactCheck.objects.filter(
            status__in=[S.PUBLISHED, S.WITHDRAWN]).aggregate(at=Max("updated_at"))["at"]
    return request._public_changed_at


def _public_list_etag(request, *args, **kwargs):
    """The validator of a whole-site list (feeds, sitemap, ClaimReview feed): it changes with
    anything public, and is opaque like the fact-check pages' one."""
    changed = _public_changed_at(request)
    seed = f"{request.get_host()}{request.get_full_path()}:{changed.isoformat() if changed else 'none'}"
    return quote_etag(salted_hmac("public-list-etag", seed).hexdigest()[:24])


# Readers' browsers and shared caches may keep a public page this long, and serve it a while
# longer while they ask again. Public pages hold nothing user-specific (publish/base.html);
# the desk's pages are never stored (DeskPagesNotStoredMiddleware).
PUBLIC_MAX_AGE = 300
public_cache = cache_control(public=True, max_age=PUBLIC_MAX_AGE, stale_while_revalidate=PUBLIC_MAX_AGE)


def public_list(view):
    """For the feeds, the sitemap and the ClaimReview feed: 304 to a matching If-None-Match or
    If-Modified-Since, and a short public max-age. The validators are the site's own (when
    anything public last changed), replacing any the view dates itself (the syndication
    framework dates a feed by its newest item, which a withdrawal does not change)."""

    @wraps(view)
    def with_site_validators(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.has_header("Last-Modified"):
            del response.headers["Last-Modified"]
        return response

    return public_cache(condition(etag_func=_public_list_etag, last_modified_func=_public_changed_at)(
        with_site_validators))


def _cached_render(request, key: str, template: str, context_fn, *, status=200):
    """Render once per version of the content; `key` must change whenever the content does."""
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, context_fn(), request=request)
        cache.set(key, html, settings.PUBLIC_CACHE_SECONDS)
    return HttpResponse(html, status=status)


def _list_key(name: str, request) -> str:
    changed = _public_changed_at(request)
    return f"public:{name}:{changed.isoformat() if changed else 'none'}:{request.GET.urlencode()}"


# --------------------------------------------------------------------------- fact-checks


class IndexFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    rating = forms.ModelChoiceField(Rating.objects.filter(scale__is_default=True), required=False,
                                    to_field_name="slug", empty_label="Any rating")
    verdict = forms.ModelChoiceField(AttributionVerdict.objects.all(), required=False,
                                     to_field_name="slug", empty_label="Any attribution verdict",
                                     label="Attribution")
    speaker = forms.CharField(required=False, max_length=80)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


@require_safe
@public_cache
@condition(last_modified_func=_public_changed_at)
def factcheck_index(request):
    form = IndexFilterForm(request.GET or None)

    def context():
        factchecks = FactCheck.objects.for_public_list()
        if form.is_valid():
            data = form.cleaned_data
            if data["rating"]:
                factchecks = factchecks.filter(rating=data["rating"])
            if data["verdict"]:
                factchecks = factchecks.filter(attribution_verdict=data["verdict"])
            if data["speaker"]:
                factchecks = factchecks.filter(statements__speaker__slug=data["speaker"]).distinct()
            if data["since"]:
                factchecks = factchecks.filter(published_at__date__gte=data["since"])
            if data["until"]:
                factchecks = factchecks.filter(published_at__date__lte=data["until"])
        if form.is_valid() and form.cleaned_data["q"]:
            hits = search_factchecks(form.cleaned_data["q"], published_only=True, limit=100)
            allowed = set(factchecks.values_list("pk", flat=True))
            hits = [h for h in hits if h.obj.pk in allowed]
            page = Paginator(hits, 20).get_page(request.GET.get("page"))
            return {"form": form, "hits": page.object_list, "page": page}
        page = Paginator(factchecks, 20).get_page(request.GET.get("page"))
        return {"form": form, "page": page}

    status = 400 if request.GET and not form.is_valid() and set(request.GET) - {"page"} else 200
    return _cached_render(request, _list_key("index", request), "publish/index.html", context,
                          status=status)


def _factcheck_row(request, slug) -> dict | None:
    """The one small query a cached public page costs: id, version, status and publication
    time by slug. Kept on the request so the ETag check and the view share it. Plain SQL: the
    ORM took 1.2 ms to build this query, five times what the database took to answer it, and
    most of a cached hit's cost."""
    if not hasattr(request, "_factcheck_row"):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, version, status, published_at FROM {FactCheck._meta.db_table} "
                           "WHERE slug = %s", [slug])
            found = cursor.fetchone()
        request._factcheck_row = dict(zip(("pk", "version", "status", "published_at"), found, strict=True)) \
            if found else None
    return request._factcheck_row


def _now() -> float:
    return time.time()


def _turnover() -> int:
    """A number that changes every PUBLIC_CACHE_SECONDS. A fact-check page also shows what
    changes without its version (related fact-checks, other outlets printing the words): its
    cache key and ETag carry this, so neither the cached copy nor a reader's 304 outlives that
    long. Cheaper than asking the database when anything public last changed on every hit."""
    return int(_now() // settings.PUBLIC_CACHE_SECONDS) if settings.PUBLIC_CACHE_SECONDS > 0 else 0


def _stamp(value) -> str:
    """A publication time as digits (a raw query gives a datetime, or on SQLite its text)."""
    return re.sub(r"\D", "", str(value)) if value else "none"


def _page_state(row: dict) -> str:
    """What a public page's cache key and ETag follow: its version and status (every publish,
    correction and withdrawal bumps the version), its publication time (a database made anew
    reuses ids and versions) and the turnover of what changes beside it."""
    return f"{row['pk']}:{row['version']}:{row['status']}:{_stamp(row['published_at'])}:{_turnover()}"


def _factcheck_etag(request, slug):
    """An opaque validator, for public pages only: a draft has none, so a conditional request
    cannot tell a draft from a page that does not exist (both 404), and the value does not
    spell out an id, a version or a status."""
    row = _factcheck_row(request, slug)
    if row is None or row["status"] not in (S.PUBLISHED, S.WITHDRAWN):
        return None
    return quote_etag(salted_hmac("public-page-etag", _page_state(row)).hexdigest()[:24])


@require_safe
@public_cache
@condition(etag_func=_factcheck_etag)
def factcheck_page(request, slug):
    row = _factcheck_row(request, slug)
    if row is None or row["status"] not in (S.PUBLISHED, S.WITHDRAWN):
        # Drafts must not reveal that someone is being checked.
        raise Http404("No fact-check here.")
    # Every publish, correction and withdrawal bumps the version, so the key changes with the
    # content and every worker process sees the change at once.
    key = f"public:fc:{_page_state(row)}"
    html = cache.get(key)
    status = 410 if row["status"] == S.WITHDRAWN else 200
    if html is not None:
        return HttpResponse(html, status=status)
    factcheck = get_object_or_404(FactCheck.objects.select_related(
        "rating__scale", "attribution_verdict", "approver"), pk=row["pk"])
    if status == 410:
        return _cached_render(request, key, "publish/withdrawn.html", lambda: {"factcheck": factcheck},
                              status=410)

    def context():
        statements, others = appearances(factcheck)
        printed = printings(statements, others)
        texts = article_texts([p.primary for p in printed])
        for s in (p.primary for p in printed):  # what the provenance block shows of each quote
            s.context = quote_context(s, texts.get(s.article_id, ""))
            s.role = role_in_article(s)
            s.chain = chain_in_words(s)
        has = present(factcheck, statements)
        return {
            "factcheck": factcheck,
            "statements": statements,
            "speaker": next((s.speaker for s in statements if s.speaker), None),
            "evidence": factcheck.evidence.all() if has.evidence else [],
            "corrections": factcheck.corrections.all() if has.corrections else [],
            "authors": factcheck.authors.all(),
            "jsonld": as_script_json(claim_review(factcheck, statements)),
            "canonical": absolute(factcheck.get_absolute_url()),
            "printings": printed,
            "related": related_factchecks(factcheck, statements),
            "alignments": published_alignments(factcheck, statements) if has.primary_sources else [],
            "timelines": [timeline_of(p.group) for p in printed if p.other_articles],
            "card_url": absolute(reverse("factcheck_card", args=[factcheck.slug, factcheck.version])),
            "bundle_url": reverse("factcheck_bundle", args=[factcheck.slug, factcheck.version]),
        }

    return _cached_render(request, key, "publish/factcheck.html", context)


def _rating_chart(factchecks) -> list[dict]:
    """Bars for a small server-rendered SVG: one per rating, widths relative to the largest."""
    counts = {}
    for fc in factchecks:
        label = fc.rating.label if fc.rating else "Unrated"
        counts[label] = counts.get(label, 0) + 1
    order = {r.label: (r.order, r.pk) for r in Rating.objects.filter(scale__is_default=True)}
    top = max(counts.values(), default=1)
    bars = sorted(counts.items(), key=lambda kv: order.get(kv[0], (99, 0)))
    return [{"label": label, "count": n, "width": round(200 * n / top), "y": i * 26}
            for i, (label, n) in enumerate(bars)]


@require_safe
@public_cache
@condition(last_modified_func=_public_changed_at)
def speaker_page(request, slug):
    speaker = get_object_or_404(Speaker, slug=slug)
    factchecks = list(FactCheck.objects.for_public_list().filter(statements__speaker=speaker)
                      .distinct())
    if not factchecks:
        raise Http404("Nothing published about this speaker.")  # never reveal who is checked

    def context():
        chart = _rating_chart(factchecks)
        return {"speaker": speaker, "factchecks": factchecks, "chart": chart,
                "chart_height": len(chart) * 26}

    return _cached_render(request, _list_key(f"speaker:{speaker.pk}", request), "publish/speaker.html",
                          context)


@require_safe
@public_cache
@condition(last_modified_func=_public_changed_at)
def tag_page(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    factchecks = list(FactCheck.objects.for_public_list().filter(
        Q(tags=tag) | Q(statements__tags=tag)).distinct())
    if not factchecks:
        raise Http404("Nothing published under this topic.")
    return _cached_render(request, _list_key(f"tag:{tag.pk}", request), "publish/tag.html",
                          lambda: {"tag": tag, "factchecks": factchecks})


@require_safe
@public_cache
@conditional_page  # an ETag of the page itself: it changes with the scales and the intro
def methodology(request):
    return render(request, "publish/methodology.html", {
        "intro": SiteText.objects.filter(key="methodology").first(),
        "ratings": Rating.objects.filter(scale__is_default=True).select_related("scale"),
        "verdicts": AttributionVerdict.objects.filter(is_active=True),
    })


@dataclass(frozen=True)
class Withdrawal:
    """A withdrawal, as the corrections log lists it beside Correction rows."""

    factcheck: FactCheck
    created_at: datetime
    note: str
    withdrawal: bool = True


@require_safe
@public_cache
@condition(last_modified_func=_public_changed_at)
def corrections(request):
    """Corrections and updates to public fact-checks, and the withdrawals themselves (the 410
    page sends readers here), newest first."""
    corrections = Correction.objects.filter(factcheck__status__in=[S.PUBLISHED, S.WITHDRAWN]) \
        .select_related("factcheck")
    withdrawals = [Withdrawal(factcheck=fc, created_at=fc.withdrawn_at, note=fc.withdrawn_reason)
                   for fc in FactCheck.objects.filter(status=S.WITHDRAWN, withdrawn_at__isnull=False)]
    entries = sorted([*corrections, *withdrawals], key=lambda entry: entry.created_at, reverse=True)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "publish/corrections.html", {"page": page})


@require_safe
@public_list
def claimreview_feed(request):
    """All published ClaimReviews as a schema.org DataFeed, for fact-check aggregators."""
    factchecks = FactCheck.objects.for_public_list().with_appearances()
    changed = _public_changed_at(request)
    feed = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": f"{settings.ORG_NAME} fact-checks",
        "dateModified": changed.isoformat() if changed else None,
        "dataFeedElement": [claim_review(fc) for fc in factchecks],
    }
    return JsonResponse(feed, json_dumps_params={"ensure_ascii": False})


# The desk and the login areas: nothing there is for crawlers (and it answers them with a
# redirect to the login anyway). /speakers/<slug>/ is public; two desk helpers sit beside it.
ROBOTS_DISALLOW = ("/accounts/", "/admin/", "/api/", "/queue/", "/statements/", "/search/",
                   "/articles/", "/desk/", "/approvals/", "/speakers/options/", "/speakers/merge/")


@require_safe
@public_cache
def robots_txt(request):
    """Crawlers may read the public site; the sitemap is named by the same absolute URL as
    every canonical link (SITE_URL)."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), "Allow: /",
             "", f"Sitemap: {absolute(reverse('django.contrib.sitemaps.views.sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def evidence_snapshot(request, pk):
    """Our archived copy of a source. Published fact-checks' snapshots are public; the desk
    sees all. The copy is someone else's HTML, so it is served sandboxed: no scripts, no
    same-origin access, never sniffed into something else."""
    evidence = get_object_or_404(Evidence.objects.select_related("factcheck"), pk=pk)
    public = evidence.factcheck.status == S.PUBLISHED
    if not evidence.snapshot or not (public or request.user.has_perm("factcheck.review_statement")):
        raise Http404("No archived copy here.")
    return _sandboxed_copy(evidence.snapshot, evidence.snapshot_sha256)


def _sandboxed_copy(snapshot, sha256: str) -> FileResponse:
    response = FileResponse(snapshot.open("rb"), as_attachment=False)
    response["Content-Security-Policy"] = ("sandbox; default-src 'none'; img-src data:; "
                                           "style-src 'unsafe-inline'")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["X-Snapshot-SHA256"] = sha256
    return response


@require_safe
def primary_source_snapshot(request, pk):
    """Our archived copy of a primary source (#32). Public once a published fact-check covers
    its quote and an editor has decided how the quote matches it; the desk sees all."""
    primary = get_object_or_404(PrimarySource, pk=pk)
    public = bool(primary.decision) and FactCheck.objects.published().filter(
        statements=primary.statement_id).exists()
    if not primary.snapshot or not (public or request.user.has_perm("factcheck.review_statement")):
        raise Http404("No archived copy here.")
    return _sandboxed_copy(primary.snapshot, primary.snapshot_sha256)


# --------------------------------------------------------------------------- share cards, bundles

# A card or bundle URL names one published version: what it serves never changes, so it may be
# kept a day (a withdrawal answers 410 to the next request after that). A redirect from an older
# version to the current one changes with the next correction: kept as briefly as a page.
VERSIONED_MAX_AGE = 86400


def versioned_cache(view):
    @wraps(view)
    def with_cache_control(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        long_lived = response.status_code in (200, 304, 410)
        max_age = VERSIONED_MAX_AGE if long_lived else PUBLIC_MAX_AGE
        patch_cache_control(response, public=True, max_age=max_age)
        return response

    return with_cache_control


def _published_version(request, slug: str, version: int, url_name: str):
    """The fact-check behind a versioned URL, and the answer to give instead when there is one:
    404 for drafts and unknown slugs, 410 once withdrawn, and for an older version a redirect
    to the current one (a card or a bundle is only made for what is published now)."""
    row = _factcheck_row(request, slug)
    if row is None or row["status"] not in (S.PUBLISHED, S.WITHDRAWN):
        raise Http404("No fact-check here.")
    if row["status"] == S.WITHDRAWN:
        return row, HttpResponse("This fact-check has been withdrawn; see the corrections log.",
                                 status=410, content_type="text/plain; charset=utf-8")
    if version != row["version"]:
        return row, redirect(url_name, slug=slug, version=row["version"])
    return row, None


def _file_response(path, content_type: str, *, filename: str = "", request=None) -> HttpResponse:
    """A stored card or bundle. Its ETag comes from the file's name (id, version, publication
    time), size and modification time: one stat, nothing read, on every hit."""
    stat = path.stat()
    etag = quote_etag(hashlib.sha256(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
                      .hexdigest()[:24])
    wanted = request.headers.get("If-None-Match", "") if request is not None else ""
    if wanted.strip() == "*" or etag in parse_etags(wanted):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(path.open("rb"), content_type=content_type, as_attachment=bool(filename),
                                filename=filename or None)
    response["ETag"] = etag
    return response


def _card_text(factcheck, statements) -> cards.CardText:
    first = next((s for s in statements if s.speaker), statements[0] if statements else None)
    return cards.CardText(
        quote=first.text if first else factcheck.claim_reviewed,
        speaker=first.speaker.name if first and first.speaker else "",
        verdict=str(factcheck.attribution_verdict or "") if first and first.speaker else "",
        rating=str(factcheck.rating or ""), rating_slug=factcheck.rating.slug if factcheck.rating else "",
        site=settings.ORG_NAME)


@require_safe
@versioned_cache
def factcheck_card(request, slug, version):
    """The fact-check's share card (og:image) for one published version: drawn the first time
    it is asked for, then served from disk without drawing."""
    row, answer = _published_version(request, slug, version, "factcheck_card")
    if answer is not None:
        return answer

    def draw():
        factcheck = FactCheck.objects.select_related("rating", "attribution_verdict") \
            .with_appearances().get(pk=row["pk"])
        return cards.draw_card(_card_text(factcheck, appearances_in_order(factcheck)))

    path = cards.stored(f"cards/{row['pk']}-v{row['version']}-{_stamp(row['published_at'])}.png", draw)
    return _file_response(path, "image/png", request=request)


@require_safe
@versioned_cache
def site_card(request):
    """The site's card, for the index, speaker and topic pages."""
    tagline = "Fact-checks of what public figures say in the news."
    name = hashlib.sha256(f"{settings.ORG_NAME}|{tagline}".encode()).hexdigest()[:16]
    path = cards.stored(f"cards/site-{name}.png", lambda: cards.draw_site_card(settings.ORG_NAME, tagline))
    return _file_response(path, "image/png", request=request)


@require_safe
@versioned_cache
def factcheck_bundle(request, slug, version):
    """The evidence bundle of one published version (factcheck/publish/bundle.py)."""
    row, answer = _published_version(request, slug, version, "factcheck_bundle")
    if answer is not None:
        return answer

    def build():
        factcheck = FactCheck.objects.select_related("rating__scale", "attribution_verdict") \
            .with_appearances().get(pk=row["pk"])
        return build_bundle(factcheck, appearances_in_order(factcheck))

    path = cards.stored(f"bundles/{row['pk']}-v{row['version']}-{_stamp(row['published_at'])}.zip", build)
    return _file_response(path, "application/zip", filename=f"{slug}-v{version}-evidence.zip",
                          request=request)
