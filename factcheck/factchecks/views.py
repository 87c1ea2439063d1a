"""The fact-check pages of the desk: the editor (draft, sources, right of reply, submit)
and the publishers' approvals (approve, return, publish, correct, withdraw).

Each view: decorators, the permission-scoped loader, then a step from actions.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from factcheck.factchecks import actions
from factcheck.factchecks.forms import (
    CorrectionForm,
    EvidenceForm,
    FactCheckForm,
    NoteForm,
    RightOfReplyForm,
)
from factcheck.ingest.fetch import FetchError
from factcheck.models import Conflict, FactCheck, PrimarySource, ProposedCorrection
from factcheck.review import notes, sources
from factcheck.review.forms import InternalNoteForm
from factcheck.review.views import (
    _back_to,
    get_statement_for,
    note_message,
    reviewer_required,
    statement_response,
)

S = FactCheck.Status


def _get_factcheck_for(request, pk, *, write=False) -> FactCheck:
    """A fact-check for its authors and the publishers; to anyone else it does not exist (a
    draft reveals who is being checked). `write`: a draft this user may change."""
    factcheck = get_object_or_404(
        FactCheck.objects.select_related("rating", "attribution_verdict", "created_by", "approver"),
        pk=pk)
    if not actions.may_read(factcheck, request.user):
        raise Http404("No fact-check here.")
    if write and not actions.may_edit(factcheck, request.user):
        raise PermissionDenied("Only a draft can be edited, by its authors or a publisher.")
    return factcheck


@require_POST
@login_required
@reviewer_required
def factcheck_start(request, pk):
    statement = get_statement_for(request, pk)
    reuse = None
    if request.POST.get("reuse"):
        reuse = get_object_or_404(FactCheck.objects.published(), pk=request.POST["reuse"]) \
            if request.POST["reuse"].isdigit() else None
        if reuse is None:
            return statement_response(request, statement, status=422,
                                       message="That earlier fact-check cannot be reused.")
    try:
        factcheck = actions.start_factcheck(statement=statement, by=request.user, reuse=reuse)
    except ValidationError as exc:
        return statement_response(request, statement, status=409, message=" ".join(exc.messages))
    url = reverse("factcheck_edit", args=[factcheck.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


# --------------------------------------------------------------------------- editor


def _with_proposed_verdicts(primaries) -> list[tuple]:
    primaries = list(primaries)
    return list(zip(primaries, sources.proposed_verdicts(primaries), strict=True))


def _factcheck_context(factcheck: FactCheck, user, **extra) -> dict:
    context = {
        "factcheck": factcheck,
        "statements": factcheck.statements.select_related("speaker", "article__outlet"),
        "evidence": factcheck.evidence.all(),
        "replies": factcheck.replies.all(),
        "events": factcheck.events.select_related("actor")[:100],
        "may_edit": actions.may_edit(factcheck, user),
        "form": FactCheckForm(instance=factcheck, initial={"version": factcheck.version},
                              has_speaker=factcheck.has_speaker()),
        "evidence_form": EvidenceForm(),
        "reply_form": RightOfReplyForm(),
        "notes": notes.notes_on(factcheck=factcheck),
        "internal_note_form": InternalNoteForm(),
        # Who sent it back and when, for the banner with the note (the latest return).
        "returned_by": factcheck.events.filter(action="returned").select_related("actor").first()
        if factcheck.return_note else None,
        # What the quotes' primary sources suggest for "Did they say it?": the editor decides.
        "primary_sources": _with_proposed_verdicts(PrimarySource.objects.filter(
            statement__factchecks=factcheck).select_related("statement", "decided_by")),
    }
    context.update(extra)
    return context


@require_http_methods(["GET", "POST"])
@login_required
@reviewer_required
def factcheck_edit(request, pk):
    factcheck = _get_factcheck_for(request, pk, write=request.method == "POST")
    if request.method == "GET":
        return render(request, "factchecks/edit.html", _factcheck_context(factcheck, request.user))
    form = FactCheckForm(request.POST, instance=FactCheck.objects.get(pk=pk),
                         has_speaker=factcheck.has_speaker())
    if not form.is_valid():
        return render(request, "factchecks/edit.html",
                      _factcheck_context(factcheck, request.user, form=form), status=422)
    changes = {f: form.cleaned_data.get(f) for f in actions.DRAFT_FIELDS}
    try:
        actions.save_factcheck(factcheck=factcheck, by=request.user,
                               version=form.cleaned_data["version"], **changes)
    except Conflict as conflict:
        # Keep the editor's text; offer the current version number so saving again is a
        # deliberate overwrite after seeing the other change.
        data = request.POST.copy()
        data["version"] = conflict.current.version
        return render(request, "factchecks/edit.html", _factcheck_context(
            factcheck, request.user, form=FactCheckForm(data, instance=conflict.current,
                                                        has_speaker=factcheck.has_speaker()),
            conflict=conflict.current), status=409)
    if request.POST.get("submit_for_approval"):
        return factcheck_submit(request, pk)
    messages.success(request, "Draft saved.")
    return redirect("factcheck_edit", pk=pk)


@require_POST
@login_required
@reviewer_required
def factcheck_submit(request, pk):
    factcheck = _get_factcheck_for(request, pk)
    try:
        submitted = actions.submit_factcheck(factcheck=factcheck, by=request.user,
                                             no_sources_reason=request.POST.get("no_sources_reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return render(request, "factchecks/edit.html", _factcheck_context(
            factcheck, request.user, no_sources_reason=request.POST.get("no_sources_reason", "")),
            status=422)
    if submitted:
        messages.success(request, "Submitted for approval.")
    return redirect("factcheck_edit", pk=pk)


@require_POST
@login_required
@permission_required("factcheck.add_evidence", raise_exception=True)
def evidence_add(request, pk):
    factcheck = _get_factcheck_for(request, pk, write=True)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        return render(request, "factchecks/edit.html",
                      _factcheck_context(factcheck, request.user, evidence_form=form), status=422)
    actions.add_evidence(factcheck=factcheck, by=request.user, **form.cleaned_data)
    if request.htmx:
        return render(request, "factchecks/edit.html#evidence",
                      _factcheck_context(factcheck, request.user))
    messages.success(request, "Source added.")
    return redirect("factcheck_edit", pk=pk)


@require_POST
@login_required
@reviewer_required
def reply_add(request, pk):
    factcheck = _get_factcheck_for(request, pk, write=True)
    form = RightOfReplyForm(request.POST)
    if not form.is_valid():
        return render(request, "factchecks/edit.html",
                      _factcheck_context(factcheck, request.user, reply_form=form), status=422)
    actions.log_reply(factcheck=factcheck, by=request.user, **form.cleaned_data)
    messages.success(request, "Right-of-reply entry added.")
    return redirect("factcheck_edit", pk=pk)



@require_POST
@login_required
@permission_required("factcheck.change_evidence", raise_exception=True)
def evidence_archive(request, pk, evidence_pk):
    factcheck = _get_factcheck_for(request, pk, write=True)
    evidence = get_object_or_404(factcheck.evidence, pk=evidence_pk)
    error = None
    try:
        actions.archive_evidence(evidence=evidence, by=request.user)
    except FetchError as exc:
        error, status = f"Could not archive {evidence.url}: {exc}", exc.status
    else:
        status = 200
    if request.htmx:
        return render(request, "factchecks/edit.html#evidence",
                      _factcheck_context(factcheck, request.user, archive_error=error), status=status)
    if error:
        messages.error(request, error)
        return render(request, "factchecks/edit.html", _factcheck_context(factcheck, request.user),
                      status=status)
    messages.success(request, "Archived a copy of the source.")
    return redirect("factcheck_edit", pk=pk)


@require_POST
@login_required
@reviewer_required
def factcheck_note(request, pk):
    """A note on the fact-check's thread, from its edit page or its approval page."""
    factcheck = _get_factcheck_for(request, pk)
    back = _back_to(request, reverse("factcheck_edit", args=[pk]))
    form = InternalNoteForm(request.POST)
    error = None
    if not form.is_valid():
        error = "Write the note (up to 5,000 characters)."
    else:
        try:
            _, unknown = notes.add_note(by=request.user, body=form.cleaned_data["body"], factcheck=factcheck)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if error:
        messages.error(request, error)
        if back.startswith(reverse("approval", args=[pk])):
            return _approval_page(request, factcheck, status=422)
        return render(request, "factchecks/edit.html",
                      _factcheck_context(factcheck, request.user, internal_note_form=form), status=422)
    messages.success(request, note_message(unknown))
    return redirect(f"{back}#notes")


# --------------------------------------------------------------------------- approvals


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
    return render(request, "factchecks/approvals.html", context)


def _done(request, factcheck, ok: bool, success: str, already: str):
    (messages.success if ok else messages.info)(request, success if ok else already)
    return redirect("approval", pk=factcheck.pk)


def _proposals(factcheck: FactCheck) -> list[dict]:
    """The corrections waiting for a second publisher, each with its changes in words."""
    labels = {"rating": "Rating", "attribution_verdict": "Attribution verdict", "speaker": "Speaker",
              "explanation": "Explanation", "claim_reviewed": "Claim", "headline": "Headline"}
    waiting = factcheck.proposed_corrections.filter(status=ProposedCorrection.Status.PROPOSED) \
        .select_related("proposed_by")
    return [{"proposal": p, "changes": [(labels.get(name, name), str(value)) for name, value
                                        in actions.corrected_values(p.changes).items()]}
            for p in waiting]


def _approval_page(request, factcheck, *, status=200, correction_form=None):
    return render(request, "factchecks/approval.html", {
        "factcheck": factcheck, "note_form": NoteForm(),
        "correction_form": correction_form or CorrectionForm(),
        "statements": factcheck.statements.select_related("speaker", "article__outlet"),
        "evidence": factcheck.evidence.all(), "corrections": factcheck.corrections.all(),
        "proposals": _proposals(factcheck),
        "events": factcheck.events.select_related("actor")[:100],
        "notes": notes.notes_on(factcheck=factcheck), "internal_note_form": InternalNoteForm(),
        "own_work": factcheck.is_authored_by(request.user)}, status=status)


@require_safe
@login_required
@permission_required("factcheck.review_statement", raise_exception=True)
def approval_detail(request, pk):
    return _approval_page(request, _get_factcheck_for(request, pk))


def _action_view(step):
    """POST-only wrapper: load, run the workflow step, report refusals as 4xx with the reason."""

    @require_POST
    @login_required
    def view(request, pk, **kwargs):
        factcheck = _get_factcheck_for(request, pk)  # others' drafts are 404, as on every page
        try:
            return step(request, factcheck, **kwargs)
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
    """Propose a correction; it reaches the page when another publisher publishes it."""
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "A correction needs its kind and a public note.")
        return _approval_page(request, factcheck, status=422, correction_form=form)
    data = form.cleaned_data
    changes = {k: data[k] for k in CorrectionForm.CHANGES if data[k]}
    actions.propose_correction(factcheck=factcheck, by=request.user, note=data["note"], kind=data["kind"],
                               **changes)
    return _done(request, factcheck, True, "Correction proposed: another publisher publishes it.", "")


def _get_proposal_for(factcheck: FactCheck, proposal_pk: int) -> ProposedCorrection:
    return get_object_or_404(factcheck.proposed_corrections.select_related("factcheck"), pk=proposal_pk)


@_action_view
def correction_publish(request, factcheck, proposal_pk):
    correction = actions.publish_correction(proposal=_get_proposal_for(factcheck, proposal_pk),
                                            by=request.user)
    return _done(request, factcheck, correction is not None, "Correction published.",
                 "That correction was already decided.")


@_action_view
def correction_decline(request, factcheck, proposal_pk):
    form = NoteForm(request.POST)
    ok = actions.decline_correction(proposal=_get_proposal_for(factcheck, proposal_pk), by=request.user,
                                    note=form.cleaned_data["note"] if form.is_valid() else "")
    return _done(request, factcheck, ok, "Correction declined.", "That correction was already decided.")


@_action_view
def withdraw(request, factcheck):
    form = NoteForm(request.POST)
    reason = form.cleaned_data["note"] if form.is_valid() else ""
    ok = actions.withdraw(factcheck=factcheck, by=request.user, reason=reason)
    return _done(request, factcheck, ok, "Withdrawn; the page now answers 410 Gone.",
                 "It was not published.")
