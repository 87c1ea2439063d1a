"""Approval and publishing steps: four eyes, each step's permission, transaction and audit event.

A publisher never approves their own work: not as the creator and not as a co-author.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from factcheck.models import Correction, FactCheck, ReviewEvent, Statement

S = FactCheck.Status


def _require(user, perm: str) -> None:
    if not (user.is_active and user.has_perm(perm)):
        raise PermissionDenied


def is_own_work(factcheck: FactCheck, user) -> bool:
    return factcheck.created_by_id == user.pk or factcheck.authors.filter(pk=user.pk).exists()


def _transition(factcheck: FactCheck, *, frm: list[str], to: str, **fields) -> bool:
    """Move from one of `frm` to `to` with a conditional UPDATE, so a repeated or racing
    request changes nothing the second time."""
    updated = FactCheck.objects.filter(pk=factcheck.pk, status__in=frm).update(
        status=to, version=F("version") + 1, updated_at=timezone.now(), **fields)
    factcheck.refresh_from_db()
    return bool(updated)


def _event(factcheck, by, action, frm, to, note="", **data):
    ReviewEvent.objects.create(factcheck=factcheck, actor=by, action=action, from_status=frm,
                               to_status=to, note=note, data=data)


@transaction.atomic
def approve(*, factcheck: FactCheck, by) -> bool:
    _require(by, "factcheck.approve_factcheck")
    if is_own_work(factcheck, by):
        raise PermissionDenied("You cannot approve your own fact-check; another publisher must.")
    done = _transition(factcheck, frm=[S.SUBMITTED], to=S.APPROVED, approver=by,
                       approved_at=timezone.now())
    if done:
        _event(factcheck, by, "approved", S.SUBMITTED, S.APPROVED)
    return done


@transaction.atomic
def return_to_draft(*, factcheck: FactCheck, by, note: str) -> bool:
    """Send a submitted (or approved, not yet published) fact-check back with a note."""
    _require(by, "factcheck.approve_factcheck")
    if is_own_work(factcheck, by):
        raise PermissionDenied("Return your own work by editing it, not through approval.")
    note = note.strip()
    if not note:
        raise ValidationError("Say what needs to change.")
    was = factcheck.status
    done = _transition(factcheck, frm=[S.SUBMITTED, S.APPROVED], to=S.DRAFT, approver=None,
                       approved_at=None, return_note=note)
    if done:
        _event(factcheck, by, "returned", was, S.DRAFT, note=note)
    return done


@transaction.atomic
def publish(*, factcheck: FactCheck, by) -> bool:
    _require(by, "factcheck.publish_factcheck")
    if is_own_work(factcheck, by):
        raise PermissionDenied("You cannot publish your own fact-check.")
    now = timezone.now()
    done = _transition(factcheck, frm=[S.APPROVED], to=S.PUBLISHED, published_at=now,
                       withdrawn_at=None, withdrawn_reason="", return_note="")
    if done:
        _event(factcheck, by, "published", S.APPROVED, S.PUBLISHED)
        # Flagged: new statements are matched against the words of these (a partial index).
        factcheck.statements.update(status=Statement.Status.IN_FACTCHECK, in_published_factcheck=True)
    return done


@transaction.atomic
def correct(*, factcheck: FactCheck, by, note: str, kind: str = Correction.Kind.CORRECTION,
            **changes) -> Correction:
    """Change a published fact-check in the open: the note appears on the page, in the
    corrections log and in the feed."""
    _require(by, "factcheck.publish_factcheck")
    note = note.strip()
    if not note:
        raise ValidationError("A correction or update needs a public note.")
    if factcheck.status != S.PUBLISHED:
        raise ValidationError("Only a published fact-check can be corrected.")
    allowed = {"claim_reviewed", "headline", "explanation", "attribution_verdict", "rating"}
    if set(changes) - allowed:
        raise ValueError(f"cannot change {sorted(set(changes) - allowed)}")
    FactCheck.objects.filter(pk=factcheck.pk).update(
        **changes, version=F("version") + 1, updated_at=timezone.now())
    factcheck.refresh_from_db()
    correction = Correction.objects.create(factcheck=factcheck, kind=kind, note=note, created_by=by)
    _event(factcheck, by, "corrected" if kind == Correction.Kind.CORRECTION else "updated",
           S.PUBLISHED, S.PUBLISHED, note=note, fields=sorted(changes))
    return correction


@transaction.atomic
def withdraw(*, factcheck: FactCheck, by, reason: str) -> bool:
    """Unpublish: the page answers 410 Gone with the reason."""
    _require(by, "factcheck.publish_factcheck")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Give the public reason for withdrawing it.")
    done = _transition(factcheck, frm=[S.PUBLISHED], to=S.WITHDRAWN, withdrawn_at=timezone.now(),
                       withdrawn_reason=reason)
    if done:
        _event(factcheck, by, "withdrawn", S.PUBLISHED, S.WITHDRAWN, note=reason)
        factcheck.statements.all().refresh_published_flag()  # another published one may cover them
    return done
