"""Review workflow steps: each owns its permission check, its transaction and its audit event.

Views call these and nothing else changes a statement's state, so the rules (one editor per
statement, stale edits refused, every change in the trail) hold wherever a change comes from.
"""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from factcheck.matching import lsh_fields
from factcheck.models import (
    AlreadyAssigned,
    Evidence,
    FactCheck,
    ReviewEvent,
    RightOfReply,
    Speaker,
    Statement,
    Tag,
    fingerprint,
)

QUEUE_COUNTS_KEY = "queue:status-counts"


class Conflict(Exception):
    """Someone saved first: the edit was based on an older version."""

    def __init__(self, current):
        super().__init__("This item was changed by someone else while you were editing it.")
        self.current = current


def _require(user, perm: str) -> None:
    if not (user.is_active and user.has_perm(perm)):
        raise PermissionDenied


def _is_publisher(user) -> bool:
    return user.has_perm("factcheck.approve_factcheck")


def _queue_changed() -> None:
    # Status counts are cached for the queue page; any transition makes them stale.
    cache.delete(QUEUE_COUNTS_KEY)


def _event(*, by, action, statement=None, factcheck=None, speaker=None, article=None,
           from_status="", to_status="", note="", data=None) -> ReviewEvent:
    return ReviewEvent.objects.create(
        actor=by, action=action, statement=statement, factcheck=factcheck, speaker=speaker,
        article=article, from_status=from_status, to_status=to_status, note=note, data=data or {})


# --------------------------------------------------------------------------- assignment


def expire_assignments(*, now=None) -> int:
    """Return statements whose editor has held them too long to the queue."""
    expired = list(Statement.objects.expired_assignments(now).values_list("pk", "assignee_id"))
    if not expired:
        return 0
    with transaction.atomic():
        ids = [pk for pk, _ in expired]
        released = Statement.objects.expired_assignments(now).filter(pk__in=ids)
        count = released.update(status=Statement.Status.NEW, assignee=None, assigned_at=None,
                                version=F("version") + 1, updated_at=timezone.now())
        ReviewEvent.objects.bulk_create([
            ReviewEvent(action="assignment_expired", statement_id=pk, from_status="assigned",
                        to_status="new", data={"assignee": assignee})
            for pk, assignee in expired])
    _queue_changed()
    return count


def take_next(*, by, queryset=None) -> Statement | None:
    """Assign `by` the highest-priority unassigned statement (of `queryset`, if given).

    On PostgreSQL, SKIP LOCKED lets many editors take items at once without waiting for
    each other; elsewhere the conditional update in Statement.assign settles races and we
    move on to the next candidate.
    """
    _require(by, "factcheck.review_statement")
    expire_assignments()
    candidates = (queryset if queryset is not None else Statement.objects.all())
    candidates = candidates.filter(status=Statement.Status.NEW).order_by("-score", "-pk")
    skip_locked = connection.features.has_select_for_update_skip_locked
    for _attempt in range(20):
        with transaction.atomic():
            qs = candidates.select_for_update(skip_locked=True, of=("self",)) if skip_locked \
                else candidates
            statement = qs.first()
            if statement is None:
                return None
            try:
                statement.assign(to=by)
            except AlreadyAssigned:
                continue
            _event(by=by, action="assigned", statement=statement, from_status="new",
                   to_status="assigned", note="next item")
        _queue_changed()
        return statement
    return None


@transaction.atomic
def assign(*, statement: Statement, by) -> Statement:
    _require(by, "factcheck.review_statement")
    was = statement.status
    statement.assign(to=by)  # raises AlreadyAssigned for someone else's item
    if was != Statement.Status.ASSIGNED:
        _event(by=by, action="assigned", statement=statement, from_status=was, to_status="assigned")
        transaction.on_commit(_queue_changed)
    return statement


@transaction.atomic
def release(*, statement: Statement, by) -> bool:
    _require(by, "factcheck.review_statement")
    if statement.assignee_id not in (None, by.pk) and not _is_publisher(by):
        raise PermissionDenied("Only the assigned editor or a publisher can release this item.")
    released = statement.release()
    if released:
        _event(by=by, action="released", statement=statement, from_status="assigned", to_status="new")
        transaction.on_commit(_queue_changed)
    return released


def may_change_statement(statement: Statement, user) -> bool:
    return statement.assignee_id in (None, user.pk) or _is_publisher(user)


@transaction.atomic
def dismiss(*, statement: Statement, by, reason: str) -> bool:
    """Not worth checking. Returns False when it already was (a repeated click)."""
    _require(by, "factcheck.review_statement")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Say why this is not worth checking.")
    if not may_change_statement(statement, by):
        raise PermissionDenied("This item is assigned to another editor.")
    was = statement.status
    updated = Statement.objects.filter(
        pk=statement.pk, status__in=[Statement.Status.NEW, Statement.Status.ASSIGNED]
    ).update(status=Statement.Status.DISMISSED, assignee=None, assigned_at=None,
             dismissed_reason=reason[:300], version=F("version") + 1, updated_at=timezone.now())
    statement.refresh_from_db()
    if updated:
        _event(by=by, action="dismissed", statement=statement, from_status=was,
               to_status="dismissed", note=reason)
        transaction.on_commit(_queue_changed)
    return bool(updated)


def dismiss_many(*, statements, by, reason: str) -> int:
    """Bulk dismissal from the queue; items others hold or already in a fact-check are skipped."""
    done = 0
    for statement in statements:
        try:
            done += dismiss(statement=statement, by=by, reason=reason)
        except PermissionDenied:
            continue
    return done


@transaction.atomic
def restore(*, statement: Statement, by) -> bool:
    _require(by, "factcheck.review_statement")
    updated = Statement.objects.filter(pk=statement.pk, status=Statement.Status.DISMISSED).update(
        status=Statement.Status.NEW, dismissed_reason="", version=F("version") + 1,
        updated_at=timezone.now())
    statement.refresh_from_db()
    if updated:
        _event(by=by, action="restored", statement=statement, from_status="dismissed", to_status="new")
        transaction.on_commit(_queue_changed)
    return bool(updated)


# --------------------------------------------------------------------------- corrections


@transaction.atomic
def update_statement(*, statement: Statement, by, version: int, **changes) -> Statement:
    """Correct kind, span, text, speaker or mention; refused if `version` is stale."""
    _require(by, "factcheck.review_statement")
    if not may_change_statement(statement, by):
        raise PermissionDenied("This item is assigned to another editor.")
    allowed = {"kind", "text", "start", "end", "speaker", "mention", "parts"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    text = changes.get("text", statement.text)
    start, end = changes.get("start", statement.start), changes.get("end", statement.end)
    if not (0 <= start < end <= len(statement.article.text)):
        raise ValidationError("The span must lie inside the article.")
    if "start" in changes or "end" in changes:
        changes.setdefault("parts", [])
    before = {k: str(getattr(statement, k)) for k in changes}
    updated = Statement.objects.filter(pk=statement.pk, version=version).update(
        **changes, fingerprint=fingerprint(text), **lsh_fields([text])[0], version=F("version") + 1,
        updated_at=timezone.now())
    if not updated:
        raise Conflict(Statement.objects.select_related("speaker").get(pk=statement.pk))
    statement.refresh_from_db()
    after = {k: str(getattr(statement, k)) for k in changes}
    _event(by=by, action="edited", statement=statement,
           data={"before": before, "after": after})
    return statement


@transaction.atomic
def set_speaker(*, statement: Statement, by, version: int, speaker: Speaker | None,
                add_mention_as_alias: bool = False) -> Statement:
    statement = update_statement(statement=statement, by=by, version=version, speaker=speaker)
    if speaker and add_mention_as_alias and statement.mention:
        _require(by, "factcheck.add_speakeralias")
        if speaker.add_alias(statement.mention):
            _event(by=by, action="alias_added", speaker=speaker, statement=statement,
                   note=statement.mention)
    return statement


@transaction.atomic
def create_speaker(*, by, name: str, kind: str = Speaker.Kind.PERSON, description: str = "") -> Speaker:
    _require(by, "factcheck.add_speaker")
    name = " ".join(name.split())
    if not name:
        raise ValidationError("A speaker needs a name.")
    existing = Speaker.objects.matching(name).first()
    if existing:  # a double submit, or someone created it a moment ago
        return existing
    speaker = Speaker(name=name[:200], kind=kind, description=description[:300])
    speaker.full_clean(exclude=["slug"])  # the slug is derived from the name on save
    speaker.save()
    _event(by=by, action="speaker_created", speaker=speaker)
    return speaker


@transaction.atomic
def merge_speakers(*, keep: Speaker, merge: Speaker, by) -> Speaker:
    """Two records that are one person: statements and aliases move to `keep`."""
    _require(by, "factcheck.change_speaker")
    if keep.pk == merge.pk:
        raise ValidationError("Choose two different speakers to merge.")
    moved = Statement.objects.filter(speaker=merge).update(speaker=keep, version=F("version") + 1)
    for alias in merge.aliases.all():
        keep.add_alias(alias.alias)
    keep.add_alias(merge.name)
    if not keep.wikidata_qid and merge.wikidata_qid:
        keep.wikidata_qid = merge.wikidata_qid
    if not keep.description and merge.description:
        keep.description = merge.description
    merged_name = merge.name
    merge.delete()
    keep.save()
    _event(by=by, action="speakers_merged", speaker=keep, note=f"{merged_name} merged into {keep.name}",
           data={"statements_moved": moved})
    return keep


@transaction.atomic
def set_tags(*, statement: Statement, by, names: list[str]) -> list[Tag]:
    _require(by, "factcheck.review_statement")
    tags = []
    for name in {" ".join(n.split())[:100] for n in names if n.strip()}:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags.append(tag)
    before = sorted(statement.tags.values_list("name", flat=True))
    statement.tags.set(tags)
    after = sorted(t.name for t in tags)
    if before != after:
        _event(by=by, action="tagged", statement=statement, data={"before": before, "after": after})
    return tags


# --------------------------------------------------------------------------- fact-checks


@transaction.atomic
def start_factcheck(*, statement: Statement, by, reuse: FactCheck | None = None) -> FactCheck:
    """Open a draft fact-check of a statement (the one already open, on a repeated click).

    `reuse`: an earlier, published fact-check whose verdict, rating, explanation and sources
    pre-fill the draft ("reuse this verdict"); the editor still reviews and submits it.
    """
    _require(by, "factcheck.add_factcheck")
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    existing = statement.factchecks.exclude(status=FactCheck.Status.WITHDRAWN).first()
    if existing:
        return existing
    if statement.status == Statement.Status.DISMISSED:
        raise ValidationError("Restore this statement before checking it.")
    if not may_change_statement(statement, by):
        raise PermissionDenied("This item is assigned to another editor.")
    if reuse is not None and reuse.status != FactCheck.Status.PUBLISHED:
        raise ValidationError("Only a published fact-check can be reused.")
    factcheck = FactCheck.objects.create(
        claim_reviewed=(reuse.claim_reviewed if reuse else statement.text)[:500], created_by=by,
        rating=reuse.rating if reuse else None,
        attribution_verdict=reuse.attribution_verdict if reuse else None,
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
    _event(by=by, action="factcheck_started", statement=statement, factcheck=factcheck,
           from_status=was, to_status="in_factcheck",
           data={"reused": reuse.pk} if reuse else None)
    transaction.on_commit(_queue_changed)
    return factcheck


def may_edit_factcheck(factcheck: FactCheck, user) -> bool:
    if factcheck.status != FactCheck.Status.DRAFT:
        return False
    if not user.has_perm("factcheck.change_factcheck"):
        return False
    return _is_publisher(user) or factcheck.created_by_id == user.pk or \
        factcheck.authors.filter(pk=user.pk).exists()


FACTCHECK_FIELDS = {"claim_reviewed", "headline", "explanation", "internal_notes",
                    "attribution_verdict", "rating"}


@transaction.atomic
def save_factcheck(*, factcheck: FactCheck, by, version: int, **changes) -> FactCheck:
    if not may_edit_factcheck(factcheck, by):
        raise PermissionDenied("Only a draft can be edited, by its authors or a publisher.")
    unknown = set(changes) - FACTCHECK_FIELDS
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    updated = FactCheck.objects.filter(pk=factcheck.pk, version=version,
                                       status=FactCheck.Status.DRAFT).update(
        **changes, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise Conflict(FactCheck.objects.select_related("rating", "attribution_verdict")
                       .get(pk=factcheck.pk))
    factcheck.refresh_from_db()
    factcheck.authors.add(by)
    _event(by=by, action="factcheck_saved", factcheck=factcheck, data={"fields": sorted(changes)})
    return factcheck


@transaction.atomic
def submit_factcheck(*, factcheck: FactCheck, by) -> bool:
    """Draft → submitted, for a publisher's approval. False if it already was submitted."""
    _require(by, "factcheck.submit_factcheck")
    if not may_edit_factcheck(factcheck, by) and factcheck.status == FactCheck.Status.DRAFT:
        raise PermissionDenied("Only its authors can submit this fact-check.")
    missing = [label for label, value in [("a claim summary", factcheck.claim_reviewed.strip()),
                                          ("an attribution verdict", factcheck.attribution_verdict_id),
                                          ("a rating", factcheck.rating_id),
                                          ("an explanation", factcheck.explanation.strip())]
               if not value]
    if factcheck.status == FactCheck.Status.DRAFT and missing:
        raise ValidationError(f"Before submitting, add {', '.join(missing)}.")
    now = timezone.now()
    updated = FactCheck.objects.filter(pk=factcheck.pk, status=FactCheck.Status.DRAFT).update(
        status=FactCheck.Status.SUBMITTED, submitted_at=now, version=F("version") + 1, updated_at=now)
    factcheck.refresh_from_db()
    if updated:
        _event(by=by, action="submitted", factcheck=factcheck, from_status="draft",
               to_status="submitted")
    return bool(updated)


@transaction.atomic
def add_evidence(*, factcheck: FactCheck, by, **fields) -> Evidence:
    if not may_edit_factcheck(factcheck, by):
        raise PermissionDenied("Sources can be added to drafts by their authors.")
    duplicate = factcheck.evidence.filter(url=fields["url"]).first()
    if duplicate:  # a double submit
        return duplicate
    order = factcheck.evidence.count() + 1
    evidence = Evidence.objects.create(factcheck=factcheck, added_by=by, order=order, **fields)
    _event(by=by, action="evidence_added", factcheck=factcheck, note=evidence.url)
    return evidence


@transaction.atomic
def log_reply(*, factcheck: FactCheck, by, **fields) -> RightOfReply:
    if not may_edit_factcheck(factcheck, by):
        raise PermissionDenied("The right-of-reply log belongs to the draft's authors.")
    reply = RightOfReply.objects.create(factcheck=factcheck, added_by=by, **fields)
    _event(by=by, action="reply_logged", factcheck=factcheck, note=str(reply))
    return reply


ARCHIVE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/pdf",
                 "application/json", "text/csv")


def archive_evidence(*, evidence: Evidence, by) -> Evidence:
    """Keep our own copy of a source, fetched through the SSRF-safe fetcher, with its SHA-256,
    so readers can see what it said when we cited it. Raises FetchError with a clear message."""
    import hashlib
    import mimetypes

    from django.core.files.base import ContentFile

    from factcheck.ingest.fetch import fetch

    if not may_edit_factcheck(evidence.factcheck, by):
        raise PermissionDenied("Sources can be archived on drafts by their authors.")
    result = fetch(evidence.url, accept=ARCHIVE_TYPES)  # network first, outside any transaction
    digest = hashlib.sha256(result.body).hexdigest()
    extension = mimetypes.guess_extension(result.content_type) or ".bin"
    with transaction.atomic():
        evidence.snapshot.save(f"{digest}{extension}", ContentFile(result.body), save=False)
        evidence.snapshot_sha256 = digest
        evidence.accessed_at = timezone.now()
        evidence.save(update_fields=["snapshot", "snapshot_sha256", "accessed_at"])
        _event(by=by, action="evidence_archived", factcheck=evidence.factcheck,
               note=f"{evidence.url} sha256:{digest}")
    return evidence
