"""Getting articles in by hand: the Add article page, extraction status and retry, versions."""


from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from factcheck.ingest.forms import BulkForm, PasteForm, UploadForm, UrlForm
from factcheck.ingest.importers import IngestRefused, ingest_file, ingest_text, ingest_url
from factcheck.ingest.queueing import request_extraction
from factcheck.ingest.tasks import start_batch
from factcheck.models import Article, IngestBatch, ReviewEvent
from factcheck.textdiff import word_diff

adder_required = permission_required("factcheck.add_article", raise_exception=True)
reader_required = permission_required("factcheck.review_statement", raise_exception=True)

TABS = [("url", "URL"), ("paste", "Paste text"), ("upload", "Upload a file"), ("bulk", "Bulk (JSONL)")]
FORMS = {"url": UrlForm, "paste": PasteForm, "upload": UploadForm, "bulk": BulkForm}


def _recent(user):
    return list(Article.objects.filter(ingested_by=user).select_related("outlet")
                .order_by("-ingested_at", "-pk")[:10])


def _new_context(request, tab, form, error=""):
    recent = _recent(request.user)
    return {"tab": tab, "tabs": TABS, "form": form, "error": error, "recent": recent,
            "recent_active": any(a.extraction_status in Article.WAITING for a in recent)}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@adder_required
@vary_on_headers("HX-Request")
def article_new(request):
    """Add an article by URL, pasted text or an uploaded file; each tab a form that works
    without JavaScript, swapped in place with htmx."""
    try:
        tab = request.POST.get("tab") if request.method == "POST" else request.GET.get("tab")
    except RequestDataTooBig:  # Django refused to parse a body this large
        return _render_new(request, "paste", PasteForm(),
                           "That is too much data for one article.", 413)
    tab = tab if tab in FORMS else "url"
    if request.method != "POST":
        return _render_new(request, tab, FORMS[tab]())

    form = FORMS[tab](request.POST, request.FILES)
    if not form.is_valid():
        return _render_new(request, tab, form, "", 422)
    data = form.cleaned_data
    try:
        if tab == "url":
            outcome = ingest_url(data["url"], by=request.user)
        elif tab == "paste":
            outcome = ingest_text(data["text"], title=data["title"], url=data["url"],
                                  outlet=data["outlet"] or None, published_at=data["published_at"],
                                  by=request.user)
        elif tab == "bulk":
            upload = data["file"]
            if upload.size > 4 * settings.FACTCHECK_FETCH_MAX_BYTES:
                raise IngestRefused("The file is too large; split it or use `manage.py ingest`.", status=413)
            batch = start_batch(name=upload.name, data=upload.read(), by=request.user)
            return _redirect(request, batch.get_absolute_url())
        else:
            upload = data["file"]
            limit = settings.FACTCHECK_FETCH_MAX_BYTES
            if upload.size > limit:
                raise IngestRefused(f"The file is larger than {limit / 1e6:g} MB.", status=413)
            outcome = ingest_file(upload.name, upload.read(), by=request.user)
    except IngestRefused as exc:
        return _render_new(request, tab, form, str(exc), exc.status)
    if outcome.created or outcome.new_version:
        messages.success(request, outcome.message)
    else:
        messages.info(request, outcome.message)
    return _redirect(request, outcome.article.get_absolute_url())


def _redirect(request, target):
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


@require_safe
@login_required
@adder_required
@vary_on_headers("HX-Request")
def ingest_batch(request, pk):
    """A bulk import's progress, polled while it runs."""
    batch = get_object_or_404(IngestBatch.objects.select_related("created_by"), pk=pk)
    active = batch.status in {IngestBatch.Status.QUEUED, IngestBatch.Status.RUNNING}
    context = {"batch": batch, "active": active,
               "articles": Article.objects.filter(source=Article.Source.BULK, ingested_by=batch.created_by,
                                                  ingested_at__gte=batch.created_at)
               .order_by("-ingested_at")[:20]}
    template = "ingest/batch.html#progress" if request.htmx else "ingest/batch.html"
    return render(request, template, context)


def _render_new(request, tab, form, error="", status=200):
    context = _new_context(request, tab, form, error)
    template = "ingest/new.html#form" if request.htmx and request.method == "POST" else "ingest/new.html"
    if request.htmx and request.GET.get("part") == "recent":
        template = "ingest/new.html#recent"
    return render(request, template, context, status=status)


def get_article_for(request, pk) -> Article:
    # Every reviewer sees every article: the desk reads what the newsroom ingested.
    return get_object_or_404(Article.objects.select_related("outlet", "copy_of"), pk=pk)


def _extraction_context(article):
    return {"article": article, "stuck": article.is_stuck(),
            "extraction_active": article.extraction_status in Article.WAITING}


@require_safe
@login_required
@reader_required
@vary_on_headers("HX-Request")
def article_extraction(request, pk):
    """The extraction status of an article, polled by its page while pending or running."""
    article = get_article_for(request, pk)
    if not request.htmx:
        return redirect(article)
    response = render(request, "review/article.html#extraction", _extraction_context(article))
    if request.GET.get("was") in Article.WAITING and article.extraction_status == Article.Extraction.DONE:
        response["HX-Refresh"] = "true"  # reload the page to show the highlighted statements
    return response


@require_POST
@login_required
@adder_required
@vary_on_headers("HX-Request")
def article_retry(request, pk):
    """Run an article's extraction again (failed, interrupted, or to re-extract a done one).

    Safe to repeat: while one is queued or running (and not stuck), a second click only says so.
    """
    article = get_article_for(request, pk)
    if article.extraction_status in Article.WAITING and not article.is_stuck():
        message = "The extraction is already queued or running."
        level = messages.INFO
    else:
        previous = article.extraction_status
        request_extraction(article)
        ReviewEvent.record(ReviewEvent.Action.EXTRACTION_REQUESTED, article=article, by=request.user,
                           from_status=previous, to_status=Article.Extraction.PENDING)
        message, level = "Extraction queued.", messages.SUCCESS
    if request.htmx:
        article.refresh_from_db()
        context = {**_extraction_context(article), "extraction_message": message}
        return render(request, "review/article.html#extraction", context)
    messages.add_message(request, level, message)
    return redirect(article)




def _collapse(pieces, context_chars=160):
    """Long unchanged stretches shortened to their ends, so a one-word edit is easy to spot."""
    out = []
    for op, text in pieces:
        if op == "equal" and len(text) > 2 * context_chars + 20:
            out.append((op, text[:context_chars]))
            out.append(("skip", f" … {len(text) - 2 * context_chars:,} unchanged characters … "))
            out.append((op, text[-context_chars:]))
        else:
            out.append((op, text))
    return out


@require_safe
@login_required
@reader_required
@vary_on_headers("HX-Request")
def article_versions(request, pk):
    """Earlier texts of an article (a page edited after publication), each with a word diff."""
    article = get_article_for(request, pk)
    versions = list(article.versions.order_by("superseded_at", "pk"))
    texts = [v.text for v in versions] + [article.text]
    changes = []
    for i, version in enumerate(versions):
        changes.append({"version": version, "number": i + 1, "superseded_at": version.superseded_at,
                        "diff": _collapse(word_diff(texts[i], texts[i + 1]))})
    changes.reverse()
    context = {"article": article, "changes": changes, "now": timezone.now()}
    template = "ingest/versions.html#versions" if request.htmx else "ingest/versions.html"
    return render(request, template, context)
