"""The desk's steps on statements and speakers: each owns its permission check (_require),
its transaction and its audit event (ReviewEvent.record).

Views call these and nothing else changes a statement's state, so the rules (one editor per
statement, stale edits refused, every change in the trail) hold wherever a change comes from.
The fact-check workflow that follows is in factchecks/actions.py.
"""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from factcheck.models import (
    AlreadyAssigned,
    Conflict,
    FactCheck,
    ReviewEvent,
    Speaker,
    Statement,
    Tag,
    fingerprint,
    hold_locks,
    speaker_lock,
)
from factcheck.statements.lsh import lsh_fields

QUEUE_COUNTS_KEY = "queue:status-counts"
A = ReviewEvent.Action


def _require(user, perm: str) -> None:
    if not (user.is_active and user.has_perm(perm)):
        raise PermissionDenied


def is_publisher(user) -> bool:
    """Publishers may also act on items other editors hold."""
    return user.has_perm("factcheck.approve_factcheck")


def queue_changed() -> None:
    # Status counts are cached for the queue page; any transition makes them stale.
    cache.delete(QUEUE_COUNTS_KEY)


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
            ReviewEvent.new(A.ASSIGNMENT_EXPIRED, statement_id=pk, from_status="assigned",
                            to_status="new", data={"assignee": assignee})
            for pk, assignee in expired])
    queue_changed()
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
            ReviewEvent.record(A.ASSIGNED, by=by, statement=statement, from_status="new",
                               to_status="assigned", note="next item")
        queue_changed()
        return statement
    return None


@transaction.atomic
def assign(*, statement: Statement, by) -> Statement:
    _require(by, "factcheck.review_statement")
    was = statement.status
    statement.assign(to=by)  # raises AlreadyAssigned for someone else's item
    if was != Statement.Status.ASSIGNED:
        ReviewEvent.record(A.ASSIGNED, by=by, statement=statement, from_status=was, to_status="assigned")
        transaction.on_commit(queue_changed)
    return statement


@transaction.atomic
def release(*, statement: Statement, by) -> bool:
    _require(by, "factcheck.review_statement")
    if statement.assignee_id not in (None, by.pk) and not is_publisher(by):
        raise PermissionDenied("Only the assigned editor or a publisher can release this item.")
    released = statement.release()
    if released:
        ReviewEvent.record(A.RELEASED, by=by, statement=statement, from_status="assigned", to_status="new")
        transaction.on_commit(queue_changed)
    return released


def may_change_statement(statement: Statement, user) -> bool:
    return statement.assignee_id in (None, user.pk) or is_publisher(user)


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
        ReviewEvent.record(A.DISMISSED, by=by, statement=statement, from_status=was,
                           to_status="dismissed", note=reason)
        transaction.on_commit(queue_changed)
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
        ReviewEvent.record(A.RESTORED, by=by, statement=statement, from_status="dismissed", to_status="new")
        transaction.on_commit(queue_changed)
    return bool(updated)


# --------------------------------------------------------------------------- corrections


def _refuse_if_settled(statement: Statement) -> None:
    settled = list(statement.settled_factchecks().values_list("status", flat=True))
    if FactCheck.Status.PUBLISHED in settled:
        raise ValidationError("This quote is on a published fact-check: it changes only through a "
                              "correction there, which a second publisher publishes.")
    if settled:
        raise ValidationError("This quote is on a fact-check under approval: its publisher returns "
                              "it to draft before it changes.")


def _tag_named(name: str) -> Tag:
    """The tag of that name (any case), created if new; under a race, the one created first."""
    tag = Tag.objects.filter(name__iexact=name).first()
    if tag is not None:
        return tag
    try:
        with transaction.atomic():  # a savepoint: a unique-name collision leaves the rest intact
            return Tag.objects.create(name=name)
    except IntegrityError:
        return Tag.objects.get(name__iexact=name)


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
    _refuse_if_settled(statement)
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
    ReviewEvent.record(A.EDITED, by=by, statement=statement, data={"before": before, "after": after})
    # Whoever changed what a draft checks is one of its authors: never its approver.
    for factcheck in statement.factchecks.filter(status=FactCheck.Status.DRAFT):
        factcheck.authors.add(by)
    return statement


@transaction.atomic
def set_speaker(*, statement: Statement, by, version: int, speaker: Speaker | None,
                add_mention_as_alias: bool = False) -> Statement:
    statement = update_statement(statement=statement, by=by, version=version, speaker=speaker)
    if speaker and add_mention_as_alias and statement.mention:
        _require(by, "factcheck.add_speakeralias")
        if speaker.add_alias(statement.mention):
            ReviewEvent.record(A.ALIAS_ADDED, by=by, speaker=speaker, statement=statement,
                               note=statement.mention)
    return statement


@transaction.atomic
def create_speaker(*, by, name: str, kind: str = Speaker.Kind.PERSON, description: str = "") -> Speaker:
    _require(by, "factcheck.add_speaker")
    name = " ".join(name.split())
    if not name:
        raise ValidationError("A speaker needs a name.")
    # Two editors creating the same one, or an editor and an extraction, get one.
    hold_locks([speaker_lock(name)])
    existing = Speaker.objects.matching(name).first()
    if existing:  # a double submit, or someone created it a moment ago
        return existing
    speaker = Speaker(name=name[:200], kind=kind, description=description[:300])
    speaker.full_clean(exclude=["slug"])  # the slug is derived from the name on save
    speaker.save()
    ReviewEvent.record(A.SPEAKER_CREATED, by=by, speaker=speaker)
    return speaker


@transaction.atomic
def merge_speakers(*, keep: Speaker, merge: Speaker, by) -> Speaker:
    """Two records that are one person: statements and aliases move to `keep`."""
    _require(by, "factcheck.change_speaker")
    if keep.pk == merge.pk:
        raise ValidationError("Choose two different speakers to merge.")
    if Statement.objects.filter(speaker=merge).settled().exists():
        # Their statements would change speaker on pages published or under approval.
        raise ValidationError(f"{merge.name} is named on fact-checks that are published or under "
                              f"approval: merge the other way (keep {merge.name}), or correct those "
                              "fact-checks first.")
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
    ReviewEvent.record(A.SPEAKERS_MERGED, by=by, speaker=keep, note=f"{merged_name} merged into {keep.name}",
                       data={"statements_moved": moved})
    return keep


@transaction.atomic
def set_tags(*, statement: Statement, by, names: list[str]) -> list[Tag]:
    _require(by, "factcheck.review_statement")
    if not may_change_statement(statement, by):
        raise PermissionDenied("This item is assigned to another editor.")
    tags = [_tag_named(name) for name in {" ".join(n.split())[:100] for n in names if n.strip()}]
    before = sorted(statement.tags.values_list("name", flat=True))
    statement.tags.set(tags)
    after = sorted(t.name for t in tags)
    if before != after:
        ReviewEvent.record(A.TAGGED, by=by, statement=statement, data={"before": before, "after": after})
    return tags
