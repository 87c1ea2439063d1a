"""The fact-check workflow: start -> save -> submit -> approve -> publish -> correct -> withdraw
(and return, which sends a submitted one back to draft).

Each step is a small keyword-only function that owns its permission check (through _permit),
its transaction and its audit event (ReviewEvent.record); views call these and nothing else
changes a fact-check's state. Four eyes: whoever changed a fact-check's content (its text, a
source, a reply, a statement it covers) is one of its authors and never approves or publishes
it; a correction to a published one is proposed by one person and published by another.
"""

import hashlib
import mimetypes

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from factcheck.ingest.fetch import fetch
from factcheck.models import (
    AttributionVerdict,
    Conflict,
    Correction,
    Evidence,
    FactCheck,
    Notification,
    ProposedCorrection,
    Rating,
    ReviewEvent,
    RightOfReply,
    Speaker,
    Statement,
)
from factcheck.review.actions import is_publisher, may_change_statement, queue_changed
from factcheck.review.notifications import notify

S = FactCheck.Status
A = ReviewEvent.Action

# What an editor may change on a draft, and a publisher on a published fact-check.
DRAFT_FIELDS = {"claim_reviewed", "headline", "explanation", "internal_notes",
                "attribution_verdict", "rating"}
CORRECTABLE_FIELDS = {"claim_reviewed", "headline", "explanation", "attribution_verdict", "rating",
                      "speaker"}
ARCHIVE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/pdf",
                 "application/json", "text/csv")


def may_read(factcheck: FactCheck, user) -> bool:
    """The desk pages of a fact-check are its authors' and the publishers'."""
    return is_publisher(user) or factcheck.is_authored_by(user)


def may_edit(factcheck: FactCheck, user) -> bool:
    """A draft is changed by its authors, or by a publisher."""
    return (factcheck.status == S.DRAFT and user.has_perm("factcheck.change_factcheck")
            and may_read(factcheck, user))


def _permit(user, perm: str, *, editing: FactCheck | None = None, deciding: FactCheck | None = None,
            message: str = "") -> None:
    """The one permission check: `user` is active and holds `perm`; with `editing`, may edit
    that draft; with `deciding`, is not one of its authors (four eyes)."""
    if not (user.is_active and user.has_perm(perm)):
        raise PermissionDenied(message)
    if editing is not None and not may_edit(editing, user):
        raise PermissionDenied(message or "Only a draft can be changed, by its authors or a publisher.")
    if deciding is not None and deciding.is_authored_by(user):
        raise PermissionDenied(message or "Another publisher must decide on your own fact-check.")


def _tell_authors(factcheck: FactCheck, kind: str, *, by, text: str = "", also=()) -> None:
    """Its writers hear of each decision on their fact-check, in their inbox."""
    authors = [factcheck.created_by, *factcheck.authors.all(), *also]
    notify(recipients=authors, kind=kind, by=by, factcheck=factcheck, text=text)


def _transition(factcheck: FactCheck, *, frm: list[str], to: str, **fields) -> bool:
    """Move from one of `frm` to `to` with a conditional UPDATE, so a repeated or racing
    request changes nothing the second time."""
    updated = FactCheck.objects.filter(pk=factcheck.pk, status__in=frm).update(
        status=to, version=F("version") + 1, updated_at=timezone.now(), **fields)
    factcheck.refresh_from_db()
    return bool(updated)


# --------------------------------------------------------------------------- drafting


@transaction.atomic
def start_factcheck(*, statement: Statement, by, reuse: FactCheck | None = None) -> FactCheck:
    """Open a draft fact-check of a statement (the one already open, on a repeated click).

    `reuse`: an earlier, published fact-check whose verdict, rating, explanation and sources
    pre-fill the draft ("reuse this verdict"); the editor still reviews and submits it.
    """
    _permit(by, "factcheck.add_factcheck")
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    existing = statement.factchecks.exclude(status=S.WITHDRAWN).first()
    if existing:
        return existing
    if statement.status == Statement.Status.DISMISSED:
        raise ValidationError("Restore this statement before checking it.")
    if not may_change_statement(statement, by):
        raise PermissionDenied("This item is assigned to another editor.")
    if reuse is not None and reuse.status != S.PUBLISHED:
        raise ValidationError("Only a published fact-check can be reused.")
    # "Did they say it?" is asked only of words someone is named as saying.
    verdict = reuse.attribution_verdict if reuse and statement.speaker_id else None
    factcheck = FactCheck.objects.create(
        claim_reviewed=(reuse.claim_reviewed if reuse else statement.text)[:500], created_by=by,
        rating=reuse.rating if reuse else None, attribution_verdict=verdict,
        explanation=(f"{reuse.explanation}\n\n*Based on our earlier fact-check "
                     f"[{reuse.claim_reviewed}]({reuse.get_absolute_url()}).*") if reuse else "")
    if reuse is not None:
        Evidence.objects.bulk_create([
            Evidence(factcheck=factcheck, url=e.url, title=e.title, publisher=e.publisher,
                     kind=e.kind, quote=e.quote, snapshot=e.snapshot.name,
                     snapshot_sha256=e.snapshot_sha256, accessed_at=e.accessed_at, order=e.order,
                     added_by=by) for e in reuse.evidence.all()])
    # A fact-check of a quote covers every outlet that printed it.
    first = statement.duplicate_of or statement
    factcheck.statements.add(first, *first.appearances.all())
    factcheck.authors.add(by)
    was = statement.status
    Statement.objects.filter(pk=statement.pk).update(
        status=Statement.Status.IN_FACTCHECK, assignee=by,
        assigned_at=statement.assigned_at or timezone.now(), version=F("version") + 1)
    ReviewEvent.record(A.FACTCHECK_STARTED, by=by, statement=statement, factcheck=factcheck,
                       from_status=was, to_status=Statement.Status.IN_FACTCHECK,
                       data={"reused": reuse.pk} if reuse else None)
    transaction.on_commit(queue_changed)
    return factcheck


@transaction.atomic
def save_factcheck(*, factcheck: FactCheck, by, version: int, **changes) -> FactCheck:
    _permit(by, "factcheck.change_factcheck", editing=factcheck,
            message="Only a draft can be edited, by its authors or a publisher.")
    unknown = set(changes) - DRAFT_FIELDS
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    if changes.get("attribution_verdict") is not None and not factcheck.has_speaker():
        changes["attribution_verdict"] = None  # nobody to ask "did they say it?" of
    updated = FactCheck.objects.filter(pk=factcheck.pk, version=version, status=S.DRAFT).update(
        **changes, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise Conflict(FactCheck.objects.select_related("rating", "attribution_verdict")
                       .get(pk=factcheck.pk))
    factcheck.refresh_from_db()
    factcheck.authors.add(by)
    ReviewEvent.record(A.FACTCHECK_SAVED, by=by, factcheck=factcheck, data={"fields": sorted(changes)})
    return factcheck


@transaction.atomic
def add_evidence(*, factcheck: FactCheck, by, **fields) -> Evidence:
    _permit(by, "factcheck.add_evidence", editing=factcheck,
            message="Sources can be added to drafts by their authors.")
    duplicate = factcheck.evidence.filter(url=fields["url"]).first()
    if duplicate:  # a double submit
        return duplicate
    order = factcheck.evidence.count() + 1
    evidence = Evidence.objects.create(factcheck=factcheck, added_by=by, order=order, **fields)
    factcheck.authors.add(by)  # whoever shaped its content cannot approve it
    # History names the source as people know it: its title, or else its URL.
    ReviewEvent.record(A.EVIDENCE_ADDED, by=by, factcheck=factcheck, note=str(evidence))
    return evidence


def archive_evidence(*, evidence: Evidence, by) -> Evidence:
    """Keep our own copy of a source, fetched through the SSRF-safe fetcher, with its SHA-256,
    so readers can see what it said when we cited it. Raises FetchError with a clear message."""
    _permit(by, "factcheck.change_evidence", editing=evidence.factcheck,
            message="Sources can be archived on drafts by their authors.")
    result = fetch(evidence.url, accept=ARCHIVE_TYPES)  # network first, outside any transaction
    digest = hashlib.sha256(result.body).hexdigest()
    extension = mimetypes.guess_extension(result.content_type) or ".bin"
    with transaction.atomic():
        evidence.snapshot.save(f"{digest}{extension}", ContentFile(result.body), save=False)
        evidence.snapshot_sha256 = digest
        evidence.accessed_at = timezone.now()
        evidence.save(update_fields=["snapshot", "snapshot_sha256", "accessed_at"])
        ReviewEvent.record(A.EVIDENCE_ARCHIVED, by=by, factcheck=evidence.factcheck,
                           note=f"{evidence.url} sha256:{digest}")
    return evidence


@transaction.atomic
def log_reply(*, factcheck: FactCheck, by, **fields) -> RightOfReply:
    _permit(by, "factcheck.change_factcheck", editing=factcheck,
            message="The right-of-reply log belongs to the draft's authors.")
    reply = RightOfReply.objects.create(factcheck=factcheck, added_by=by, **fields)
    factcheck.authors.add(by)  # whoever shaped its content cannot approve it
    ReviewEvent.record(A.REPLY_LOGGED, by=by, factcheck=factcheck, note=str(reply))
    return reply


@transaction.atomic
def submit_factcheck(*, factcheck: FactCheck, by, no_sources_reason: str = "") -> bool:
    """Draft -> submitted, for a publisher's approval. False if it already was submitted.

    A fact-check cites at least one source; one that needs none (a quote checked against its
    own recording, say) is submitted with `no_sources_reason`, which the publisher reads in
    its history."""
    _permit(by, "factcheck.submit_factcheck")
    no_sources_reason = " ".join(no_sources_reason.split())[:1000]
    if factcheck.status == S.DRAFT:
        _permit(by, "factcheck.submit_factcheck", editing=factcheck,
                message="Only its authors can submit this fact-check.")
        has_speaker = factcheck.has_speaker()  # without one there is nobody to ask "did they say it?" of
        if not has_speaker and factcheck.attribution_verdict_id:
            # Chosen while the words still had a speaker: never published beside an unknown one.
            FactCheck.objects.filter(pk=factcheck.pk).update(attribution_verdict=None)
            factcheck.attribution_verdict = None
        missing = [label for label, value in [
            ("a claim summary", factcheck.claim_reviewed.strip()),
            ("an attribution verdict", factcheck.attribution_verdict_id or not has_speaker),
            ("a rating", factcheck.rating_id),
            ("an explanation", factcheck.explanation.strip()),
            ("at least one source (or say why it needs none)",
             no_sources_reason or factcheck.evidence.exists())] if not value]
        if missing:
            raise ValidationError(f"Before submitting, add {', '.join(missing)}.")
    done = _transition(factcheck, frm=[S.DRAFT], to=S.SUBMITTED, submitted_at=timezone.now())
    if done:
        sourced = factcheck.evidence.exists()
        ReviewEvent.record(A.SUBMITTED, by=by, factcheck=factcheck, from_status=S.DRAFT,
                           to_status=S.SUBMITTED,
                           note="" if sourced else f"no sources, because {no_sources_reason}")
    return done


# --------------------------------------------------------------------------- publishing


@transaction.atomic
def approve(*, factcheck: FactCheck, by) -> bool:
    _permit(by, "factcheck.approve_factcheck", deciding=factcheck,
            message="You cannot approve your own fact-check; another publisher must.")
    done = _transition(factcheck, frm=[S.SUBMITTED], to=S.APPROVED, approver=by,
                       approved_at=timezone.now())
    if done:
        ReviewEvent.record(A.APPROVED, by=by, factcheck=factcheck, from_status=S.SUBMITTED,
                           to_status=S.APPROVED)
        _tell_authors(factcheck, Notification.Kind.APPROVED, by=by)
    return done


@transaction.atomic
def return_to_draft(*, factcheck: FactCheck, by, note: str) -> bool:
    """Send a submitted (or approved, not yet published) fact-check back with a note."""
    _permit(by, "factcheck.approve_factcheck", deciding=factcheck,
            message="Return your own work by editing it, not through approval.")
    note = note.strip()
    if not note:
        raise ValidationError("Say what needs to change.")
    was = factcheck.status
    done = _transition(factcheck, frm=[S.SUBMITTED, S.APPROVED], to=S.DRAFT, approver=None,
                       approved_at=None, return_note=note)
    if done:
        ReviewEvent.record(A.RETURNED, by=by, factcheck=factcheck, from_status=was,
                           to_status=S.DRAFT, note=note)
        _tell_authors(factcheck, Notification.Kind.RETURNED, by=by, text=note)
    return done


@transaction.atomic
def publish(*, factcheck: FactCheck, by) -> bool:
    _permit(by, "factcheck.publish_factcheck", deciding=factcheck,
            message="You cannot publish your own fact-check.")
    done = _transition(factcheck, frm=[S.APPROVED], to=S.PUBLISHED, published_at=timezone.now(),
                       withdrawn_at=None, withdrawn_reason="", return_note="")
    if done:
        ReviewEvent.record(A.PUBLISHED, by=by, factcheck=factcheck, from_status=S.APPROVED,
                           to_status=S.PUBLISHED)
        _tell_authors(factcheck, Notification.Kind.PUBLISHED, by=by)
        # Flagged: new statements are matched against the words of these (a partial index).
        factcheck.statements.update(status=Statement.Status.IN_FACTCHECK, in_published_factcheck=True)
    return done


def corrected_values(changes: dict) -> dict:
    """A proposal's changes as model values: ids stand for the rating, verdict and speaker."""
    values = {}
    for name, value in changes.items():
        if name == "rating":
            values[name] = Rating.objects.get(pk=value)
        elif name == "attribution_verdict":
            values[name] = AttributionVerdict.objects.get(pk=value)
        elif name == "speaker":
            values[name] = Speaker.objects.get(pk=value)
        else:
            values[name] = value
    return values


@transaction.atomic
def propose_correction(*, factcheck: FactCheck, by, note: str, kind: str = Correction.Kind.CORRECTION,
                       **changes) -> ProposedCorrection:
    """Propose a change to a published fact-check, with its public note. Nothing on the page
    changes until a second publisher publishes it (publish_correction)."""
    _permit(by, "factcheck.change_factcheck", message="Only the desk proposes corrections.")
    if not may_read(factcheck, by):
        raise PermissionDenied("Corrections are proposed by the fact-check's authors or a publisher.")
    note = note.strip()
    if not note:
        raise ValidationError("A correction or update needs a public note.")
    if factcheck.status != S.PUBLISHED:
        raise ValidationError("Only a published fact-check can be corrected.")
    if set(changes) - CORRECTABLE_FIELDS:
        raise ValueError(f"cannot change {sorted(set(changes) - CORRECTABLE_FIELDS)}")
    if changes.get("attribution_verdict") and not (changes.get("speaker") or factcheck.has_speaker()):
        raise ValidationError("No speaker is named for these words: name one before correcting "
                              "“did they say it?”.")
    stored = {name: getattr(value, "pk", value) for name, value in changes.items() if value is not None}
    waiting = factcheck.proposed_corrections.filter(status=ProposedCorrection.Status.PROPOSED,
                                                    proposed_by=by, note=note, kind=kind)
    duplicate = next((p for p in waiting if p.changes == stored), None)
    if duplicate:  # a double submit
        return duplicate
    proposal = ProposedCorrection.objects.create(factcheck=factcheck, kind=kind, note=note,
                                                 changes=stored, proposed_by=by)
    ReviewEvent.record(A.CORRECTION_PROPOSED, by=by, factcheck=factcheck, note=note,
                       data={"proposal": proposal.pk, "fields": sorted(stored)})
    return proposal


@transaction.atomic
def publish_correction(*, proposal: ProposedCorrection, by) -> Correction | None:
    """Apply a proposed correction and put it on the record (the page, the corrections log,
    the feeds). Four eyes: never by the person who proposed it. None if it was already
    decided (a repeated click)."""
    factcheck = proposal.factcheck
    _permit(by, "factcheck.publish_factcheck", message="Only a publisher publishes corrections.")
    if proposal.proposed_by_id == by.pk:
        raise PermissionDenied("Another publisher must publish the correction you proposed.")
    if factcheck.status != S.PUBLISHED:
        raise ValidationError("Only a published fact-check can be corrected.")
    now = timezone.now()
    waiting = ProposedCorrection.objects.filter(pk=proposal.pk, status=ProposedCorrection.Status.PROPOSED)
    if not waiting.update(status=ProposedCorrection.Status.PUBLISHED, decided_by=by, decided_at=now):
        return None
    values = corrected_values(proposal.changes)
    speaker = values.pop("speaker", None)
    if speaker is not None:  # the quote's speaker, on every appearance the fact-check covers
        factcheck.statements.update(speaker=speaker, version=F("version") + 1, updated_at=now)
    FactCheck.objects.filter(pk=factcheck.pk).update(**values, version=F("version") + 1, updated_at=now)
    factcheck.refresh_from_db()
    correction = Correction.objects.create(factcheck=factcheck, kind=proposal.kind, note=proposal.note,
                                           created_at=now, created_by=proposal.proposed_by,
                                           approved_by=by)
    ReviewEvent.record(A.CORRECTED if proposal.kind == Correction.Kind.CORRECTION else A.UPDATED, by=by,
                       factcheck=factcheck, from_status=S.PUBLISHED, to_status=S.PUBLISHED,
                       note=proposal.note, data={"fields": sorted(proposal.changes),
                                                 "proposed_by": proposal.proposed_by_id})
    _tell_authors(factcheck, Notification.Kind.CORRECTED, by=by, text=proposal.note,
                  also=[proposal.proposed_by])
    return correction


@transaction.atomic
def decline_correction(*, proposal: ProposedCorrection, by, note: str = "") -> bool:
    """Turn a proposal down (its proposer may withdraw it too); the page stays as it is."""
    if proposal.proposed_by_id != by.pk:
        _permit(by, "factcheck.publish_factcheck", message="Only a publisher declines corrections.")
    waiting = ProposedCorrection.objects.filter(pk=proposal.pk, status=ProposedCorrection.Status.PROPOSED)
    done = waiting.update(status=ProposedCorrection.Status.DECLINED, decided_at=timezone.now(),
                          decided_by=None if proposal.proposed_by_id == by.pk else by)
    if done:
        ReviewEvent.record(A.CORRECTION_DECLINED, by=by, factcheck=proposal.factcheck, note=note.strip(),
                           data={"proposal": proposal.pk})
    return bool(done)


@transaction.atomic
def withdraw(*, factcheck: FactCheck, by, reason: str) -> bool:
    """Unpublish: the page answers 410 Gone with the reason."""
    _permit(by, "factcheck.publish_factcheck")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Give the public reason for withdrawing it.")
    done = _transition(factcheck, frm=[S.PUBLISHED], to=S.WITHDRAWN, withdrawn_at=timezone.now(),
                       withdrawn_reason=reason)
    if done:
        ReviewEvent.record(A.WITHDRAWN, by=by, factcheck=factcheck, from_status=S.PUBLISHED,
                           to_status=S.WITHDRAWN, note=reason)
        factcheck.statements.all().refresh_published_flag()  # another published one may cover them
    return done
