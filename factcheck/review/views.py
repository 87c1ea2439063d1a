"""The editors' workbench: queue, statement, article, speakers and search. (The fact-check
editor that a statement leads to is in factchecks/views.py.)

Each view: decorators, a permission-scoped loader, then a workflow step from actions.py.
htmx requests get a named partial of the page's own template; everything works without JS.
"""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from factcheck.ingest.views import get_article_for
from factcheck.models import AlreadyAssigned, Conflict, Speaker, Statement, Tag
from factcheck.review import actions
from factcheck.review.forms import (
    BulkDismissForm,
    DismissForm,
    MergeSpeakersForm,
    NewSpeakerForm,
    QueueFilterForm,
    SpeakerChoiceForm,
    StatementEditForm,
    TagsForm,
)
from factcheck.review.highlight import context_paragraphs, paragraphs_with_marks
from factcheck.review.queue import filter_statements, keyset_page, status_counts
from factcheck.statements.search import search_desk
from factcheck.textdiff import word_diff

reviewer_required = permission_required("factcheck.review_statement", raise_exception=True)


def get_statement_for(request, pk) -> Statement:
    # Every reviewer sees every statement; what they may change is decided in actions.py.
    return get_object_or_404(
        Statement.objects.select_related("article__outlet", "speaker", "assignee"), pk=pk)


def _queue_filters(request, source: QueryDict) -> dict:
    form = QueueFilterForm(source)
    return form.cleaned_data if form.is_valid() else {}


def _back_to(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return default


# --------------------------------------------------------------------------- queue


@require_safe
@login_required
@reviewer_required
@vary_on_headers("HX-Request")
def queue(request):
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    statements = filter_statements(data, request.user).listed().select_related("assignee")
    page = keyset_page(statements, sort=data.get("sort") or "priority",
                       after=request.GET.get("after"))
    params = request.GET.copy()
    params.pop("after", None)
    counts = status_counts()
    context = {
        "form": form, "page": page,
        "status_tabs": [(key, label, counts.get(key, 0))
                        for key, label in QueueFilterForm.STATUSES if key != "all"],
        "filters_query": params.urlencode(),
    }
    partial = request.htmx and not request.htmx.boosted
    template = "review/queue.html#results" if partial else "review/queue.html"
    return render(request, template, context, status=200 if form.is_valid() or not request.GET else 400)


@require_POST
@login_required
@reviewer_required
def next_item(request):
    """Take the highest-priority unassigned item that matches the queue's current filters."""
    data = _queue_filters(request, QueryDict(request.POST.get("filters", "")))
    data.pop("status", None)
    data.pop("assignee", None)
    statement = actions.take_next(by=request.user,
                                  queryset=filter_statements({**data, "status": "new"}, request.user))
    if statement is None:
        messages.info(request, "Nothing left to take with these filters.")
        url = reverse("queue")
    else:
        url = statement.get_absolute_url()
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_POST
@login_required
@reviewer_required
def bulk_dismiss(request):
    form = BulkDismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the items to dismiss and give a reason.")
        return redirect(_back_to(request, reverse("queue")))
    done = actions.dismiss_many(statements=form.cleaned_data["statements"], by=request.user,
                                reason=form.cleaned_data["reason"])
    skipped = len(form.cleaned_data["statements"]) - done
    messages.success(request, f"Dismissed {done} item{'s' if done != 1 else ''}."
                     + (f" {skipped} skipped (already dismissed or someone else's)." if skipped else ""))
    return redirect(_back_to(request, reverse("queue")))


# --------------------------------------------------------------------------- statement


def _appearances(statement: Statement) -> list[dict]:
    """The other articles that printed these words, each with how its wording differs."""
    first = statement.duplicate_of or statement
    group = [first, *first.appearances.select_related("article__outlet").order_by("pk")]
    return [{"statement": other, "diff": word_diff(statement.text, other.text),
             "same_words": other.fingerprint == statement.fingerprint}
            for other in group if other.pk != statement.pk]


def _statement_context(request, statement: Statement, **extra) -> dict:
    article = statement.article
    lo, hi = context_paragraphs(article.text, statement.start, statement.end)
    parts = statement.parts or [[statement.start, statement.end]]
    spans = [(statement.pk, a - lo, b - lo) for a, b in parts]
    context = {
        "statement": statement,
        "article": article,
        "paragraphs": paragraphs_with_marks(article.text[lo:hi], spans),
        "events": statement.events.select_related("actor")[:100],
        "factchecks": statement.factchecks.all(),
        "appearances": _appearances(statement),
        "matches": statement.matches.select_related("factcheck__rating",
                                                    "factcheck__attribution_verdict"),
        "tags": statement.tags.all(),
        "may_change": actions.may_change_statement(statement, request.user),
        "dismiss_form": DismissForm(),
        "edit_form": StatementEditForm(initial={"kind": statement.kind, "start": statement.start,
                                                "end": statement.end, "version": statement.version},
                                       article_length=len(article.text)),
        "speaker_form": SpeakerChoiceForm(initial={"speaker": statement.speaker,
                                                   "version": statement.version}),
        "new_speaker_form": NewSpeakerForm(initial={"name": statement.mention if statement.mention
                                                    and statement.mention[:1].isupper() else ""}),
        "tags_form": TagsForm(initial={"tags": ", ".join(t.name for t in statement.tags.all())}),
        "known_tags": Tag.objects.values_list("name", flat=True)[:200],
    }
    context.update(extra)
    return context


def statement_response(request, statement: Statement, *, status=200, message=None, **extra):
    """After an action: the refreshed panel for htmx, a redirect to the page otherwise."""
    if request.htmx:
        statement = get_statement_for(request, statement.pk)
        context = _statement_context(request, statement, message=message, **extra)
        return render(request, "review/statement.html#panel", context, status=status)
    if message:
        (messages.success if status < 400 else messages.error)(request, message)
    if status >= 400 and extra:
        context = _statement_context(request, get_statement_for(request, statement.pk), **extra)
        return render(request, "review/statement.html", context, status=status)
    return redirect(statement)


@require_safe
@login_required
@reviewer_required
@vary_on_headers("HX-Request")
def statement_detail(request, pk):
    statement = get_statement_for(request, pk)
    template = "review/statement.html#panel" if request.htmx else "review/statement.html"
    return render(request, template, _statement_context(request, statement))


@require_POST
@login_required
@reviewer_required
def statement_assign(request, pk):
    statement = get_statement_for(request, pk)
    try:
        actions.assign(statement=statement, by=request.user)
    except AlreadyAssigned:
        return statement_response(request, statement, status=409,
                                   message="Someone else took this item a moment ago.")
    return statement_response(request, statement, message="It's yours.")


@require_POST
@login_required
@reviewer_required
def statement_release(request, pk):
    statement = get_statement_for(request, pk)
    actions.release(statement=statement, by=request.user)
    return statement_response(request, statement, message="Released back to the queue.")


@require_POST
@login_required
@reviewer_required
def statement_dismiss(request, pk):
    statement = get_statement_for(request, pk)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return statement_response(request, statement, status=422, dismiss_form=form,
                                   message="Give a reason for dismissing it.")
    try:
        actions.dismiss(statement=statement, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return statement_response(request, statement, status=409, message=" ".join(exc.messages))
    return statement_response(request, statement, message="Dismissed.")


@require_POST
@login_required
@reviewer_required
def statement_restore(request, pk):
    statement = get_statement_for(request, pk)
    actions.restore(statement=statement, by=request.user)
    return statement_response(request, statement, message="Back in the queue.")


@require_POST
@login_required
@reviewer_required
def statement_edit(request, pk):
    statement = get_statement_for(request, pk)
    form = StatementEditForm(request.POST, article_length=len(statement.article.text))
    if not form.is_valid():
        return statement_response(request, statement, status=422, edit_form=form,
                                   message="Check the corrected span.")
    data = form.cleaned_data
    start, end = data["start"], data["end"]
    try:
        actions.update_statement(statement=statement, by=request.user, version=data["version"],
                                 kind=data["kind"], start=start, end=end,
                                 text=statement.article.text[start:end].strip())
    except Conflict as conflict:
        # The correction stays in the form with the current version, so saving again (after
        # seeing their change) is a deliberate overwrite rather than another conflict.
        data = request.POST.copy()
        data["version"] = conflict.current.version
        form = StatementEditForm(data, article_length=len(statement.article.text))
        return statement_response(request, statement, status=409, edit_form=form,
                                   conflict=conflict.current,
                                   message="Someone changed this item while you were editing: "
                                           "their version is shown; your correction is still in the form.")
    except ValidationError as exc:  # on a fact-check under approval or published
        return statement_response(request, statement, status=409, message=" ".join(exc.messages))
    return statement_response(request, statement, message="Saved.")


@require_POST
@login_required
@reviewer_required
def statement_speaker(request, pk):
    statement = get_statement_for(request, pk)
    form = SpeakerChoiceForm(request.POST)
    if not form.is_valid():
        return statement_response(request, statement, status=422, speaker_form=form,
                                   message="Choose a speaker from the list, or create one.")
    try:
        actions.set_speaker(statement=statement, by=request.user, version=form.cleaned_data["version"],
                            speaker=form.cleaned_data["speaker"],
                            add_mention_as_alias=form.cleaned_data["add_mention_as_alias"])
    except Conflict as conflict:
        data = request.POST.copy()
        data["version"] = conflict.current.version  # as for the span: saving again overwrites
        return statement_response(request, statement, status=409, speaker_form=SpeakerChoiceForm(data),
                                   conflict=conflict.current,
                                   message="Someone changed this item while you were editing; "
                                           "your choice is still in the form.")
    except ValidationError as exc:
        return statement_response(request, statement, status=409, message=" ".join(exc.messages))
    return statement_response(request, statement, message="Speaker updated.")


@require_POST
@login_required
@permission_required("factcheck.add_speaker", raise_exception=True)
def statement_new_speaker(request, pk):
    statement = get_statement_for(request, pk)
    form = NewSpeakerForm(request.POST)
    version = request.POST.get("version", "")
    if not form.is_valid() or not version.isdigit():
        return statement_response(request, statement, status=422, new_speaker_form=form,
                                   message="A new speaker needs a name.")
    speaker = actions.create_speaker(by=request.user, **form.cleaned_data)
    try:
        actions.set_speaker(statement=statement, by=request.user, version=int(version),
                            speaker=speaker, add_mention_as_alias=True)
    except Conflict as conflict:
        return statement_response(request, statement, status=409, conflict=conflict.current,
                                   message=f"{speaker} was created, but someone changed this item "
                                           "meanwhile; choose the speaker again.")
    except ValidationError as exc:
        return statement_response(request, statement, status=409, message=" ".join(exc.messages))
    return statement_response(request, statement, message=f"{speaker} created and set.")


@require_POST
@login_required
@reviewer_required
def statement_tags(request, pk):
    statement = get_statement_for(request, pk)
    form = TagsForm(request.POST)
    if not form.is_valid():
        return statement_response(request, statement, status=422, tags_form=form,
                                   message="Tags are comma-separated words.")
    actions.set_tags(statement=statement, by=request.user, names=form.cleaned_data["tags"])
    return statement_response(request, statement, message="Tags saved.")


# --------------------------------------------------------------------------- speakers


@require_safe
@login_required
@reviewer_required
def speaker_options(request):
    """Autocomplete: speakers whose name or alias contains the typed text, sent as `q` or as
    the field it completes (htmx sends the input's own name)."""
    typed = next((request.GET[name] for name in ("q", "speaker", "keep", "merge") if name in request.GET), "")
    q = " ".join(typed.split())[:100]
    speakers = Speaker.objects.none()
    if len(q) >= 2:
        speakers = (Speaker.objects.filter(name__icontains=q)
                    | Speaker.objects.filter(aliases__alias__icontains=q)).distinct()[:15]
    speakers = list(speakers)
    # An option offers the name people type; two of the same name are told apart by slug.
    names = Counter(speaker.name.casefold() for speaker in speakers)
    for speaker in speakers:
        speaker.option = speaker.slug if names[speaker.name.casefold()] > 1 else speaker.name
    return render(request, "review/speaker_options.html", {"speakers": speakers})


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("factcheck.change_speaker", raise_exception=True)
def speakers_merge(request):
    form = MergeSpeakersForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST":
        if form.is_valid():
            try:
                keep = actions.merge_speakers(keep=form.cleaned_data["keep"],
                                              merge=form.cleaned_data["merge"], by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
                return render(request, "review/speakers_merge.html", {"form": form}, status=409)
            messages.success(request, f"Merged into {keep}.")
            return redirect(_back_to(request, reverse("queue") + f"?speaker={keep.slug}"))
        return render(request, "review/speakers_merge.html", {"form": form}, status=422)
    return render(request, "review/speakers_merge.html", {"form": form})


# --------------------------------------------------------------------------- article


@require_safe
@login_required
@reviewer_required
def article_detail(request, pk):
    article = get_article_for(request, pk)
    statements = list(article.statements.select_related("speaker").order_by("start"))
    spans = [(s.pk, a, b) for s in statements for a, b in (s.parts or [[s.start, s.end]])]
    context = {
        "article": article,
        "statements": statements,
        "paragraphs": paragraphs_with_marks(article.text, spans),
        "copies": article.copies.select_related("outlet"),
    }
    return render(request, "review/article.html", context)


SEARCH_PER_PAGE = 20
SEARCH_MAX_PAGES = 10  # ranking is bounded (statements/search.py), so deep pages add nothing


@require_safe
@login_required
@reviewer_required
def search(request):
    """One box over statements, fact-checks, speakers and articles, ranked with snippets."""
    q = " ".join(request.GET.get("q", "").split())[:200]
    page = min(max(int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1, 1),
               SEARCH_MAX_PAGES)
    results, has_next = {}, False
    if q:
        # One extra hit per section tells whether another page exists.
        found = search_desk(q, limit=SEARCH_PER_PAGE * page + 1)
        lo, hi = SEARCH_PER_PAGE * (page - 1), SEARCH_PER_PAGE * page
        results = {kind: hits[lo:hi] for kind, hits in found.items()}
        has_next = page < SEARCH_MAX_PAGES and any(len(hits) > hi for hits in found.values())
    return render(request, "review/search.html", {"q": q, "results": results, "page": page,
                                           "has_next": has_next})
