"""The public site (fact-checks, speakers, tags, methodology, corrections) and the
publishers' approvals inbox."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import condition, require_POST, require_safe

from factcheck.models import (
    AttributionVerdict,
    Correction,
    FactCheck,
    Rating,
    SiteText,
    Speaker,
    Tag,
)
from factcheck.publish import actions
from factcheck.publish.claimreview import absolute, appearances_in_order, as_script_json, claim_review

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
            from factcheck.search import search_factchecks

            hits = search_factchecks(form.cleaned_data["q"], published_only=True, limit=100)
            allowed = set(factchecks.values_list("pk", flat=True))
            hits = [h for h in hits if h.obj.pk in allowed]
            page = Paginator(hits, 20).get_page(request.GET.get("page"))
            return {"form": form, "hits": page.object_list, "page": page}
        page = Paginator(factchecks, 20).get_page(request.GET.get("page"))
        return {"form": form, "page": page}

    status = 400 if request.GET and not form.is_valid() and set(request.GET) - {"page"} else 200
    return _cached_render(request, _list_key("index", request), "public/index.html", context,
                          status=status)


def _factcheck_row(request, slug) -> dict | None:
    """The one small query a cached public page costs: id, version and status by slug.
    Kept on the request so the ETag check and the view share it."""
    if not hasattr(request, "_factcheck_row"):
        request._factcheck_row = FactCheck.objects.filter(slug=slug).values(
            "pk", "version", "status").first()
    return request._factcheck_row


def _factcheck_etag(request, slug):
    row = _factcheck_row(request, slug)
    return quote_etag(f"fc-{row['pk']}-{row['version']}-{row['status']}") if row else None


@require_safe
@condition(etag_func=_factcheck_etag)
def factcheck_page(request, slug):
    row = _factcheck_row(request, slug)
    if row is None or row["status"] not in (S.PUBLISHED, S.WITHDRAWN):
        # Drafts must not reveal that someone is being checked.
        raise Http404("No fact-check here.")
    # Every publish, correction and withdrawal bumps the version, so the key changes with the
    # content and every worker process sees the change at once.
    key = f"public:fc:{row['pk']}:{row['version']}:{row['status']}"
    html = cache.get(key)
    status = 410 if row["status"] == S.WITHDRAWN else 200
    if html is not None:
        return HttpResponse(html, status=status)
    factcheck = get_object_or_404(FactCheck.objects.select_related(
        "rating__scale", "attribution_verdict", "approver").with_appearances(), pk=row["pk"])
    if status == 410:
        return _cached_render(request, key, "public/withdrawn.html", lambda: {"factcheck": factcheck},
                              status=410)

    def context():
        statements = appearances_in_order(factcheck)
        return {
            "factcheck": factcheck,
            "statements": statements,
            "speaker": next((s.speaker for s in statements if s.speaker), None),
            "evidence": factcheck.evidence.all(),
            "corrections": factcheck.corrections.all(),
            "authors": factcheck.authors.all(),
            "jsonld": as_script_json(claim_review(factcheck)),
            "canonical": absolute(factcheck.get_absolute_url()),
        }

    return _cached_render(request, key, "public/factcheck.html", context)


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

    return _cached_render(request, _list_key(f"speaker:{speaker.pk}", request), "public/speaker.html",
                          context)


@require_safe
@condition(last_modified_func=_public_changed_at)
def tag_page(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    factchecks = list(FactCheck.objects.for_public_list().filter(
        Q(tags=tag) | Q(statements__tags=tag)).distinct())
    if not factchecks:
        raise Http404("Nothing published under this topic.")
    return _cached_render(request, _list_key(f"tag:{tag.pk}", request), "public/tag.html",
                          lambda: {"tag": tag, "factchecks": factchecks})


@require_safe
def methodology(request):
    return render(request, "public/methodology.html", {
        "intro": SiteText.objects.filter(key="methodology").first(),
        "ratings": Rating.objects.filter(scale__is_default=True).select_related("scale"),
        "verdicts": AttributionVerdict.objects.filter(is_active=True),
    })


@require_safe
@condition(last_modified_func=_public_changed_at)
def corrections(request):
    entries = Correction.objects.filter(factcheck__status__in=[S.PUBLISHED, S.WITHDRAWN]) \
        .select_related("factcheck").order_by("-created_at")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "public/corrections.html", {"page": page})


@require_safe
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
    response = JsonResponse(feed, json_dumps_params={"ensure_ascii": False})
    if changed:
        response["Last-Modified"] = http_date(changed.timestamp())
    return response


@require_safe
def evidence_snapshot(request, pk):
    """Our archived copy of a source. Published fact-checks' snapshots are public; the desk
    sees all. The copy is someone else's HTML, so it is served sandboxed: no scripts, no
    same-origin access, never sniffed into something else."""
    from factcheck.models import Evidence

    evidence = get_object_or_404(Evidence.objects.select_related("factcheck"), pk=pk)
    public = evidence.factcheck.status == S.PUBLISHED
    if not evidence.snapshot or not (public or request.user.has_perm("factcheck.review_statement")):
        raise Http404("No archived copy here.")
    from django.http import FileResponse

    response = FileResponse(evidence.snapshot.open("rb"), as_attachment=False)
    response["Content-Security-Policy"] = ("sandbox; default-src 'none'; img-src data:; "
                                           "style-src 'unsafe-inline'")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["X-Snapshot-SHA256"] = evidence.snapshot_sha256
    return response


# --------------------------------------------------------------------------- approvals


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(choices=Correction.Kind.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                           label="Public note")
    rating = forms.ModelChoiceField(Rating.objects.filter(scale__is_default=True), required=False,
                                    help_text="Leave empty to keep the current rating.")
    explanation = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False,
                                  help_text="Leave empty to keep the current explanation.")


def _get_factcheck_for(request, pk) -> FactCheck:
    factcheck = get_object_or_404(FactCheck.objects.select_related("rating", "created_by"), pk=pk)
    user = request.user
    if user.has_perm("factcheck.approve_factcheck") or factcheck.created_by_id == user.pk \
            or factcheck.authors.filter(pk=user.pk).exists():
        return factcheck
    raise Http404


@require_safe
@login_required
@permission_required("factcheck.review_statement", raise_exception=True)
def approvals(request):
    user = request.user
    context = {"returned": FactCheck.objects.filter(status=S.DRAFT, authors=user)
               .exclude(return_note="").order_by("updated_at"),
               "mine_waiting": FactCheck.objects.filter(status__in=[S.SUBMITTED, S.APPROVED],
                                                        authors=user).order_by("submitted_at")}
    if user.has_perm("factcheck.approve_factcheck"):
        context["submitted"] = FactCheck.objects.filter(status=S.SUBMITTED) \
            .select_related("created_by", "rating").order_by("submitted_at", "pk")
        context["approved"] = FactCheck.objects.filter(status=S.APPROVED) \
            .select_related("created_by", "approver", "rating").order_by("approved_at", "pk")
        context["published"] = FactCheck.objects.for_public_list()[:20]
    return render(request, "approvals.html", context)


def _done(request, factcheck, ok: bool, success: str, already: str):
    (messages.success if ok else messages.info)(request, success if ok else already)
    return redirect("approval", pk=factcheck.pk)


def _approval_page(request, factcheck, *, status=200):
    return render(request, "approval.html", {
        "factcheck": factcheck, "note_form": NoteForm(), "correction_form": CorrectionForm(),
        "statements": factcheck.statements.select_related("speaker", "article__outlet"),
        "evidence": factcheck.evidence.all(), "corrections": factcheck.corrections.all(),
        "events": factcheck.events.select_related("actor")[:100],
        "own_work": actions.is_own_work(factcheck, request.user)}, status=status)


@require_safe
@login_required
@permission_required("factcheck.review_statement", raise_exception=True)
def approval_detail(request, pk):
    return _approval_page(request, _get_factcheck_for(request, pk))


def _action_view(step):
    """POST-only wrapper: load, run the workflow step, report refusals as 4xx with the reason."""

    @require_POST
    @login_required
    def view(request, pk):
        factcheck = _get_factcheck_for(request, pk)
        try:
            return step(request, factcheck)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or "You may not do that.")
            return _approval_page(request, factcheck, status=403)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _approval_page(request, factcheck, status=422)

    view.__name__ = step.__name__
    return view


@_action_view
def approve(request, factcheck):
    ok = actions.approve(factcheck=factcheck, by=request.user)
    return _done(request, factcheck, ok, "Approved.", "It was already approved.")


@_action_view
def return_to_draft(request, factcheck):
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    ok = actions.return_to_draft(factcheck=factcheck, by=request.user, note=note)
    return _done(request, factcheck, ok, "Returned to its editor.", "It is no longer waiting.")


@_action_view
def publish(request, factcheck):
    ok = actions.publish(factcheck=factcheck, by=request.user)
    return _done(request, factcheck, ok, "Published.", "It was already published.")


@_action_view
def correct(request, factcheck):
    form = CorrectionForm(request.POST)
    if not request.user.has_perm("factcheck.publish_factcheck"):
        raise PermissionDenied("Only publishers correct published fact-checks.")
    if not form.is_valid():
        raise ValidationError("A correction needs its kind and a public note.")
    data = form.cleaned_data
    changes = {k: data[k] for k in ("rating", "explanation") if data[k]}
    actions.correct(factcheck=factcheck, by=request.user, note=data["note"], kind=data["kind"],
                    **changes)
    return _done(request, factcheck, True, "Correction published.", "")


@_action_view
def withdraw(request, factcheck):
    form = NoteForm(request.POST)
    reason = form.cleaned_data["note"] if form.is_valid() else ""
    ok = actions.withdraw(factcheck=factcheck, by=request.user, reason=reason)
    return _done(request, factcheck, ok, "Withdrawn; the page now answers 410 Gone.",
                 "It was not published.")

