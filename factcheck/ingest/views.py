"""Getting articles in by hand: the Add article page, extraction status and retry, versions."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from factcheck.ingest.batches import max_batch_bytes
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


def _megabytes(n: int) -> str:
    return f"{n / 1e6:,.1f}".removesuffix(".0") + " MB"


def _file_limit(tab: str) -> int:
    """The largest file a tab takes (0: the tab takes no file)."""
    return {"bulk": max_batch_bytes(), "upload": settings.FACTCHECK_FETCH_MAX_BYTES}.get(tab, 0)


def refuse_oversized_body(view):
    """413 for a POST whose declared length (Content-Length, which also bounds what Django
    reads) is more than its tab takes, before anything reads the body: Django would otherwise
    parse all of it, spooling a 300 MB upload to disk, before the form could say it is too big.

    The tab comes from the form's action URL (?tab=...); without one, the largest limit. The
    text fields of any tab take up to DATA_UPLOAD_MAX_MEMORY_SIZE besides the file."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            tab = request.GET.get("tab", "")
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + (
                _file_limit(tab) if tab in FORMS else max(map(_file_limit, FORMS)))
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0  # Django reads nothing of a body without a valid length
            if declared > limit:
                shown_tab = tab if tab in FORMS else "bulk"
                if _file_limit(shown_tab):
                    message = (f"The upload is {_megabytes(declared)}; a file can be at most "
                               f"{_megabytes(_file_limit('upload'))} ({_megabytes(_file_limit('bulk'))} "
                               "for a bulk JSONL file): split it, or use `manage.py ingest`.")
                else:
                    message = (f"That is too much data for one article ({_megabytes(declared)}); "
                               "for more, use a bulk JSONL file or `manage.py ingest`.")
                return _render_new(request, shown_tab, FORMS[shown_tab](), message, 413)
        return view(request, *args, **kwargs)

    return wrapped


# The CSRF middleware reads the token from the body, which would parse an upload of any size
# before the view could refuse it: the view is exempt from the middleware and checks the token
# itself (csrf_protect), after the login and the body's size.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
@login_required
@adder_required
@refuse_oversized_body
@csrf_protect
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
        else:
            # The size Django counted while spooling the file: checked before reading it in.
            upload, limit = data["file"], _file_limit(tab)
            if upload.size > limit:
                raise IngestRefused(f"The file is larger than {limit / 1e6:g} MB; split it or use "
                                    "`manage.py ingest`.", status=413)
            if tab == "bulk":
                batch = start_batch(name=upload.name, data=upload.read(), by=request.user)
                return _redirect(request, batch.get_absolute_url())
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
