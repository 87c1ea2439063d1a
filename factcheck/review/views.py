"""The editors' workbench: queue, statement, article, speakers and search. (The fact-check
editor that a statement leads to is in factchecks/views.py.)

Each view: decorators, a permission-scoped loader, then a workflow step from actions.py.
htmx requests get a named partial of the page's own template; everything works without JS.
"""

from collections import Counter

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Min
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from factcheck.ingest.fetch import FetchError
from factcheck.ingest.views import get_article_for
from factcheck.models import (
    AlreadyAssigned,
    Conflict,
    FactCheck,
    Notification,
    Outlet,
    PrimarySource,
    Speaker,
    Statement,
    Tag,
)
from factcheck.review import actions, notes, notifications, saved_views, sources
from factcheck.review.forms import (
    AlignmentDecisionForm,
    BulkForm,
    DismissForm,
    InternalNoteForm,
    MergeSpeakersForm,
    NewSpeakerForm,
    PrimarySourceForm,
    QueueFilterForm,
    SavedViewForm,
    SelectionForm,
    SpeakerChoiceForm,
    StatementEditForm,
    TagsForm,
)
from factcheck.review.highlight import context_paragraphs, paragraphs_with_marks
from factcheck.review.queue import filter_statements, keyset_page, status_counts
from factcheck.statements.alignment import MAX_SOURCE_BYTES, SourceRefused, read_source
from factcheck.statements.search import search_desk
from factcheck.statements.timeline import appearance_timeline

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


def _queue_context(request, params: QueryDict) -> tuple[dict, bool]:
    """The queue as `params` (its query string) asks for it; and whether the filters were valid."""
    colleagues = list(actions.desk_members().values_list("username", flat=True))
    form = QueueFilterForm(params or None, colleagues=colleagues)
    data = form.cleaned_data if form.is_valid() else {}
    statements = filter_statements(data, request.user).listed().select_related("assignee")
    page = keyset_page(statements, sort=data.get("sort") or "priority", after=params.get("after"))
    back_url = reverse("queue") + (f"?{params.urlencode()}" if params else "")
    params = params.copy()
    params.pop("after", None)
    counts = status_counts()
    context = {
        "form": form, "page": page,
        "status_tabs": [(key, label, counts.get(key, 0))
                        for key, label in QueueFilterForm.STATUSES if key != "all"],
        "filters_query": params.urlencode(),
        "back_url": back_url,
        "colleagues": colleagues,
        "priorities": Statement.Priority.choices,
        "saved_views": saved_views.with_counts(request.user, colleagues),
        "save_view_form": SavedViewForm(initial={"query": params.urlencode()}),
    }
    return context, form.is_valid() or not params


@require_safe
@login_required
@reviewer_required
@vary_on_headers("HX-Request")
def queue(request):
    context, valid = _queue_context(request, request.GET)
    partial = request.htmx and not request.htmx.boosted
    template = "review/queue.html#results" if partial else "review/queue.html"
    return render(request, template, context, status=200 if valid else 400)


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


BULK_DONE = {"assign": "Assigned", "tag": "Tagged", "dismiss": "Dismissed", "restore": "Restored",
             "priority": "Set the priority of"}


def _bulk_refused(request, message: str, status: int):
    """The queue the editor came from, with why nothing was changed, as a 4xx."""
    back = _back_to(request, reverse("queue"))
    query = back.partition("?")[2]
    context, _ = _queue_context(request, QueryDict(query))
    context["bulk_error"] = message
    return render(request, "review/queue.html", context, status=status)


def _bulk(request, data: QueryDict):
    form = BulkForm(data)
    if not form.is_valid():
        return _bulk_refused(request, " ".join(e for errors in form.errors.values() for e in errors), 422)
    cleaned = form.cleaned_data
    to = None
    if cleaned["action"] == "assign" and cleaned["assign_to"]:
        to = get_user_model().objects.filter(username=cleaned["assign_to"]).first()
        if to is None:
            return _bulk_refused(request, f"Nobody on the desk is called “{cleaned['assign_to']}”.", 422)
    try:
        done = actions.bulk_apply(by=request.user, action=cleaned["action"], items=cleaned["items"],
                                  to=to, tags=cleaned["tags"], reason=cleaned["reason"],
                                  priority=cleaned["priority"])
    except actions.BulkRefused as refused:
        return _bulk_refused(request, str(refused), refused.status)
    except ValidationError as exc:
        return _bulk_refused(request, " ".join(exc.messages), 422)
    total = len(cleaned["items"])
    verb = BULK_DONE[cleaned["action"]]
    message = f"{verb} {done} item{'s' if done != 1 else ''}"
    if cleaned["action"] == "assign":
        message += f" to {to.get_username()}"
    message += "." + (f" {total - done} already were." if done < total else "")
    messages.success(request, message)
    return redirect(_back_to(request, reverse("queue")))


@require_POST
@login_required
@reviewer_required
def bulk_action(request):
    """Assign, tag, dismiss, restore or set the priority of the selected items: all or nothing."""
    return _bulk(request, request.POST)


@require_POST
@login_required
@reviewer_required
def bulk_dismiss(request):
    data = request.POST.copy()
    data["action"] = "dismiss"
    return _bulk(request, data)


@require_safe
@login_required
@reviewer_required
def holders(request):
    """Who holds what, and since when: the desk's load at a glance, oldest holds first."""
    held = Statement.objects.filter(status=Statement.Status.ASSIGNED)
    people = (held.order_by().values("assignee__username")
              .annotate(items=Count("pk"), since=Min("assigned_at")).order_by("since"))
    items = held.listed().select_related("assignee", "assigned_by").order_by("assigned_at", "pk")[:300]
    drafts = FactCheck.objects.filter(status=FactCheck.Status.DRAFT)
    if not actions.is_publisher(request.user):  # a draft is its authors' and the publishers' only
        drafts = drafts.filter(authors=request.user)
    drafts = drafts.select_related("created_by").order_by("created_at", "pk")[:200]
    return render(request, "review/holders.html", {"people": people, "items": items, "drafts": drafts})


# --------------------------------------------------------------------------- saved views


@require_POST
@login_required
@reviewer_required
def saved_view_save(request):
    form = SavedViewForm(request.POST)
    colleagues = list(actions.desk_members().values_list("username", flat=True))
    if not form.is_valid():
        return _bulk_refused(request, "Give the view a name (up to 100 characters).", 422)
    try:
        view = saved_views.save_view(by=request.user, name=form.cleaned_data["name"],
                                     query=form.cleaned_data["query"], for_desk=form.cleaned_data["for_desk"],
                                     colleagues=colleagues)
    except ValidationError as exc:
        return _bulk_refused(request, " ".join(exc.messages), 422)
    messages.success(request, f"Saved the view “{view.name}”"
                     + (" for the desk." if view.for_desk else "."))
    return redirect(f"{reverse('queue')}?{view.query}" if view.query else reverse("queue"))


@require_POST
@login_required
@reviewer_required
def saved_view_delete(request, pk):
    view = get_object_or_404(saved_views.visible_to(request.user), pk=pk)
    try:
        saved_views.delete_view(view=view, by=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("queue")
    messages.success(request, f"Deleted the view “{view.name}”.")
    return redirect("queue")


# --------------------------------------------------------------------------- inbox


@require_safe
@login_required
@reviewer_required
def inbox(request):
    rows = list(Notification.objects.filter(recipient=request.user)
                .select_related("actor", "statement", "factcheck")[:100])
    items = [{"n": n, "headline": notifications.headline(n), "about": notifications.subject_of(n),
              "url": notifications.target_url(n, request.user)} for n in rows]
    return render(request, "review/inbox.html", {
        "items": items, "email_on": notifications.wants_email(request.user)})


@require_POST
@login_required
@reviewer_required
def inbox_read(request):
    """Mark one notification read and open what it is about, or mark them all read."""
    pk = request.POST.get("notification", "")
    if pk:
        if not pk.isdigit() or len(pk) > 12:
            return redirect("inbox")
        notification = get_object_or_404(Notification.objects.select_related("factcheck"),
                                          pk=pk, recipient=request.user)
        notifications.mark_read(user=request.user, notification=notification)
        return redirect(notifications.target_url(notification, request.user))
    count = notifications.mark_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("inbox")


@require_POST
@login_required
@reviewer_required
def inbox_email(request):
    enabled = request.POST.get("email") == "on"
    notifications.set_email(user=request.user, enabled=enabled)
    if enabled and not request.user.email:
        messages.info(request, "E-mail is on, but your account has no e-mail address: "
                               "ask an admin to add one.")
    else:
        messages.success(request, "Notifications by e-mail are " + ("on." if enabled else "off."))
    return redirect("inbox")


# --------------------------------------------------------------------------- statement


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
        "timeline": appearance_timeline(statement),
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
        "notes": notes.notes_on(statement=statement),
        "note_form": InternalNoteForm(),
        "text_offset": lo,  # the pieces shown start here in the article (select to fix)
        "selection_form": SelectionForm(initial={"kind": statement.kind}),
        "colleagues": actions.desk_members().values_list("username", flat=True),
        "priorities": Statement.Priority.choices,
        "primary_sources": statement.primary_sources.select_related("decided_by"),
        "source_form": PrimarySourceForm(),
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
def statement_assign_to(request, pk):
    """Give the item to a colleague (or pass on one held)."""
    statement = get_statement_for(request, pk)
    username, version = request.POST.get("to", "").strip(), request.POST.get("version", "")
    to = get_user_model().objects.filter(username=username).first() if username else None
    if to is None or not version.isdigit() or len(version) > 10:
        return statement_response(request, statement, status=422, refused=True,
                                   message="Choose a colleague from the list." if to is None
                                   else "Reload the page and try again.")
    try:
        changed = actions.assign_to(statement=statement, to=to, by=request.user, version=int(version))
    except Conflict:
        return statement_response(request, statement, status=409, refused=True,
                                   message="Someone changed this item a moment ago: see who holds it now.")
    except PermissionDenied as exc:
        return statement_response(request, statement, status=403, refused=True, message=str(exc))
    except ValidationError as exc:
        return statement_response(request, statement, status=409, refused=True,
                                   message=" ".join(exc.messages))
    if not changed:
        return statement_response(request, statement, message=f"It already was {to.get_username()}'s.")
    if to == request.user:
        return statement_response(request, statement, message="It's yours.")
    return statement_response(request, statement,
                              message=f"Assigned to {to.get_username()}; they have been told.")


@require_POST
@login_required
@reviewer_required
def statement_priority(request, pk):
    statement = get_statement_for(request, pk)
    priority, version = request.POST.get("priority", ""), request.POST.get("version", "")
    valid = (priority.lstrip("-").isdigit() and len(priority) < 4
             and int(priority) in Statement.Priority.values)
    if not valid or not version.isdigit() or len(version) > 10:
        return statement_response(request, statement, status=422, refused=True, message="Choose a priority.")
    try:
        actions.set_priority(statement=statement, by=request.user, priority=int(priority),
                             version=int(version))
    except Conflict:
        return statement_response(request, statement, status=409, refused=True,
                                   message="Someone changed this item a moment ago; "
                                           "its priority is shown as it is now.")
    except PermissionDenied as exc:
        return statement_response(request, statement, status=403, refused=True, message=str(exc))
    label = Statement.Priority(int(priority)).label
    return statement_response(request, statement, message=f"Priority: {label}.")


@require_POST
@login_required
@reviewer_required
def statement_note(request, pk):
    statement = get_statement_for(request, pk)
    form = InternalNoteForm(request.POST)
    if not form.is_valid():
        return statement_response(request, statement, status=422, refused=True, note_form=form,
                                   message="Write the note (up to 5,000 characters).")
    try:
        _, unknown = notes.add_note(by=request.user, body=form.cleaned_data["body"], statement=statement)
    except ValidationError as exc:
        return statement_response(request, statement, status=422, refused=True, note_form=form,
                                   message=" ".join(exc.messages))
    return statement_response(request, statement, message=note_message(unknown))


def note_message(unknown: list[str]) -> str:
    if not unknown:
        return "Note added."
    names = ", ".join(f"@{name}" for name in unknown)
    return f"Note added. Nobody was told for {names}: no colleague of that name may see this."


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
    # A span selected with the mouse takes in a space at either end; the words are what's between.
    start, end = actions.trimmed_span(statement.article.text, data["start"], data["end"])
    if start == end:
        return statement_response(request, statement, status=422, edit_form=form,
                                   message="The span holds no words.")
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


@require_safe
@login_required
@reviewer_required
def outlet_options(request):
    """Autocomplete for the queue's Outlet filter: outlets whose name contains the typed text."""
    q = " ".join(request.GET.get("outlet", request.GET.get("q", "")).split())[:100]
    outlets = Outlet.objects.filter(name__icontains=q).order_by("name")[:15] if len(q) >= 2 else []
    return render(request, "review/outlet_options.html", {"outlets": outlets})


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
    return _article_page(request, get_article_for(request, pk))


def _article_page(request, article, *, status=200, selection_form=None):
    statements = list(article.statements.select_related("speaker").order_by("start"))
    spans = [(s.pk, a, b) for s in statements for a, b in (s.parts or [[s.start, s.end]])]
    context = {
        "article": article,
        "statements": statements,
        "paragraphs": paragraphs_with_marks(article.text, spans),
        "copies": article.copies.select_related("outlet"),
        "text_offset": 0,
        "selection_form": selection_form or SelectionForm(),
    }
    return render(request, "review/article.html", context, status=status)


@require_POST
@login_required
@reviewer_required
def article_statement_new(request, pk):
    """A new item from the words an editor selected in the article: what the extractor missed."""
    article = get_article_for(request, pk)
    form = SelectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            statement, created = actions.create_statement(
                article=article, by=request.user, start=data["start"], end=data["end"],
                kind=data["kind"], speaker=data["speaker"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            (messages.success if created else messages.info)(
                request, "Added to the queue and assigned to you." if created
                else "That item was already in the queue.")
            url = statement.get_absolute_url()
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    problems = " ".join(e for errors in form.errors.values() for e in errors)
    messages.error(request, f"The item was not added: {problems}")
    return _article_page(request, article, status=422, selection_form=form)


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


# --------------------------------------------------------------------- primary sources (#32)


def get_primary_source_for(request, pk) -> PrimarySource:
    # Every reviewer sees every statement's sources; deciding is a reviewer's step too.
    return get_object_or_404(PrimarySource.objects.select_related(
        "statement__article__outlet", "statement__speaker", "added_by", "decided_by"), pk=pk)


@require_POST
@login_required
@reviewer_required
def primary_source_add(request, pk):
    statement = get_statement_for(request, pk)
    form = PrimarySourceForm(request.POST, request.FILES)
    if not form.is_valid():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        return statement_response(request, statement, status=422, message=message, source_form=form)
    data = form.cleaned_data
    try:
        if data["url"]:
            source, raw, content_type, title = sources.read_url(data["url"])
            filename = ""
        elif data["file"]:
            upload = data["file"]
            if upload.size > MAX_SOURCE_BYTES:
                raise SourceRefused(f"This file is {upload.size:,} bytes; a primary source can be "
                                    f"at most {MAX_SOURCE_BYTES:,}.")
            raw, filename = upload.read(), upload.name
            source, content_type, title = sources.read_upload(raw, filename), "text/plain", ""
        else:
            source = read_source(data["text"])
            raw, content_type, title, filename = data["text"].encode(), "text/plain", "", ""
    except (FetchError, SourceRefused) as error:
        status = getattr(error, "status", 422)
        return statement_response(request, statement, status=status, message=str(error),
                                  source_form=form)
    primary = sources.attach_primary_source(
        statement=statement, by=request.user, source=source, raw=raw, content_type=content_type,
        title=data["title"] or title, url=data["url"], filename=filename)
    if request.htmx:
        return HttpResponseClientRedirect(primary_url(primary))
    return redirect(primary_url(primary))


def primary_url(primary: PrimarySource) -> str:
    return reverse("primary_source", args=[primary.pk])


def _primary_context(request, primary: PrimarySource, **extra) -> dict:
    alignment = sources.alignment_of(primary)
    context = {
        "primary": primary,
        "statement": primary.statement,
        "alignment": alignment,
        "proposed_verdict": sources.proposed_verdicts([primary])[0],
        "decision_form": AlignmentDecisionForm(initial={"decision": primary.match,
                                                        "version": primary.version}),
    }
    context.update(extra)
    return context


@require_safe
@login_required
@reviewer_required
@vary_on_headers("HX-Request")
def primary_source(request, pk):
    primary = get_primary_source_for(request, pk)
    template = "review/primary_source.html#decision" if request.htmx else "review/primary_source.html"
    return render(request, template, _primary_context(request, primary))


@require_POST
@login_required
@reviewer_required
def primary_source_decide(request, pk):
    primary = get_primary_source_for(request, pk)
    form = AlignmentDecisionForm(request.POST)
    template = "review/primary_source.html#decision" if request.htmx else "review/primary_source.html"
    if not form.is_valid():
        return render(request, template, _primary_context(
            request, primary, decision_form=form, message="Choose one reading."), status=422)
    try:
        primary = sources.decide_alignment(primary=primary, by=request.user,
                                           decision=form.cleaned_data["decision"],
                                           version=form.cleaned_data["version"])
    except Conflict as conflict:
        current = conflict.current
        message = (f"Someone else decided first: {current.get_decision_display()}. "
                   "Read it again and decide if you disagree.")
        return render(request, template, _primary_context(
            request, get_primary_source_for(request, pk), message=message), status=409)
    if request.htmx:
        return render(request, template, _primary_context(request, primary, message="Decision saved."))
    messages.success(request, "Decision saved.")
    return redirect(primary_url(primary))
