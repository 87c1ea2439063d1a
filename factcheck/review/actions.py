"""The desk's steps on statements and speakers: each owns its permission check (_require),
its transaction and its audit event (ReviewEvent.record).

Views call these and nothing else changes a statement's state, so the rules (one editor per
statement, stale edits refused, every change in the trail) hold wherever a change comes from.
The fact-check workflow that follows is in factchecks/actions.py.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from factcheck.models import (
    AlreadyAssigned,
    Article,
    Conflict,
    FactCheck,
    Notification,
    ReviewEvent,
    Speaker,
    Statement,
    Tag,
    fingerprint,
    hold_locks,
    speaker_lock,
)
from factcheck.review.notifications import notify
from factcheck.statements.lsh import lsh_fields

QUEUE_COUNTS_KEY = "queue:status-counts"
# Bumped by every change to the queue: the saved views' counts are cached under it.
QUEUE_GENERATION_KEY = "queue:generation"
A = ReviewEvent.Action
S = Statement.Status
# The most items one bulk action changes: a page of the queue is 50.
BULK_LIMIT = 200


def _require(user, perm: str) -> None:
    if not (user.is_active and user.has_perm(perm)):
        raise PermissionDenied


def is_publisher(user) -> bool:
    """Publishers may also act on items other editors hold."""
    return user.has_perm("factcheck.approve_factcheck")


def queue_changed() -> None:
    # Status counts are cached for the queue page; any transition makes them stale.
    cache.delete(QUEUE_COUNTS_KEY)
    try:
        cache.incr(QUEUE_GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value retires the old counts
        cache.set(QUEUE_GENERATION_KEY, int(timezone.now().timestamp() * 1000), None)


def desk_members():
    """The colleagues an item can be assigned to: active accounts that may review statements."""
    perm = Permission.objects.get(codename="review_statement", content_type__app_label="factcheck")
    return (get_user_model().objects.filter(is_active=True)
            .filter(Q(groups__permissions=perm) | Q(user_permissions=perm) | Q(is_superuser=True))
            .distinct().order_by("username"))


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
                                assigned_by=None, version=F("version") + 1, updated_at=timezone.now())
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
    candidates = candidates.filter(status=Statement.Status.NEW)
    # The items the desk raised first, in their order; then the rest by check-worthiness. Two
    # queries rather than one ORDER BY priority: each walks its own index (a partial one for
    # the few raised items), where one order over both would sort the whole queue.
    raised = candidates.filter(priority__gt=0).order_by("-priority", "-score", "-pk")
    rest = candidates.filter(priority__lte=0).order_by("-score", "-pk")
    skip_locked = connection.features.has_select_for_update_skip_locked
    for _attempt in range(20):
        with transaction.atomic():
            statement = None
            for qs in (raised, rest):
                if skip_locked:
                    qs = qs.select_for_update(skip_locked=True, of=("self",))
                statement = qs.first()
                if statement is not None:
                    break
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
def assign_to(*, statement: Statement, to, by, version: int | None = None, tell: bool = True) -> bool:
    """Give an item in the queue to a colleague (or to oneself), or pass on one held.

    An item someone else holds is passed on by them or by a publisher. False when it already
    was `to`'s (a repeated click); with `version`, Conflict if the item changed since then.
    The colleague is told in their inbox (unless `tell` is False: a batch tells them once).
    """
    _require(by, "factcheck.review_statement")
    if not (to.is_active and to.has_perm("factcheck.review_statement")):
        raise ValidationError(f"{to.get_username()} is not on the desk: items go to editors.")
    if statement.status == S.ASSIGNED and statement.assignee_id == to.pk:
        return False
    if statement.status not in (S.NEW, S.ASSIGNED):
        raise ValidationError(f"Only an item in the queue can be assigned; this one is "
                              f"{statement.get_status_display().lower()}.")
    if statement.status == S.ASSIGNED and statement.assignee_id != by.pk and not is_publisher(by):
        raise PermissionDenied(f"{statement.assignee} holds this item: they or a publisher can "
                               "pass it on.")
    was, was_holder = statement.status, statement.assignee
    now = timezone.now()
    # Conditional on what was read: of two editors assigning at once, one wins, the other is told.
    pending = Statement.objects.filter(pk=statement.pk, status=was, assignee=statement.assignee_id)
    if version is not None:
        pending = pending.filter(version=version)
    if not pending.update(status=S.ASSIGNED, assignee=to, assigned_at=now, assigned_by=by,
                          version=F("version") + 1, updated_at=now):
        current = Statement.objects.select_related("assignee").get(pk=statement.pk)
        if current.status == S.ASSIGNED and current.assignee_id == to.pk:
            return False
        raise Conflict(current)
    statement.refresh_from_db()
    note = f"to {to.get_username()}" + (f", from {was_holder.get_username()}" if was_holder else "")
    ReviewEvent.record(A.ASSIGNED_TO, by=by, statement=statement, from_status=was, to_status=S.ASSIGNED,
                       note=note, data={"to": to.pk, "from": was_holder.pk if was_holder else None})
    if tell:
        notify(recipients=[to], kind=Notification.Kind.ASSIGNED, by=by, statement=statement)
    transaction.on_commit(queue_changed)
    return True


@transaction.atomic
def set_priority(*, statement: Statement, by, priority: int, version: int | None = None) -> bool:
    """Raise or lower an item for the desk; False when it already had that priority."""
    _require(by, "factcheck.review_statement")
    priority = Statement.Priority(priority)
    if statement.priority == priority:
        return False
    if not may_change_statement(statement, by):
        raise PermissionDenied("This item is assigned to another editor.")
    pending = Statement.objects.filter(pk=statement.pk)
    if version is not None:
        pending = pending.filter(version=version)
    if not pending.update(priority=priority, version=F("version") + 1, updated_at=timezone.now()):
        raise Conflict(Statement.objects.get(pk=statement.pk))
    was = statement.get_priority_display()
    statement.refresh_from_db()
    ReviewEvent.record(A.PRIORITY_SET, by=by, statement=statement,
                       note=f"{priority.label} (was {was.lower()})")
    transaction.on_commit(queue_changed)
    return True


class BulkRefused(Exception):
    """One selected item cannot take the change: the whole batch is left as it was."""

    def __init__(self, statement: Statement, reason: str, status: int):
        super().__init__(f"Item {statement.pk} (“{str(statement)[:60]}”): {reason}")
        self.statement, self.status = statement, status


BULK_ACTIONS = ("assign", "tag", "dismiss", "restore", "priority")


def bulk_apply(*, by, action: str, items: list[tuple[int, int | None]], to=None, tags=(),
               reason: str = "", priority: int | None = None) -> int:
    """Apply one action to the selected items, `items` as (id, version read): all or nothing.

    One transaction, one audit event per item changed. An item already as asked (a double
    submit) counts as done without another event; one changed by someone since it was read
    (its version moved on), held by another editor, or past the queue, refuses the whole
    batch with BulkRefused naming it. Returns how many items changed.
    """
    _require(by, "factcheck.review_statement")
    if action not in BULK_ACTIONS:
        raise ValidationError("Choose what to do with the selected items.")
    if not items:
        raise ValidationError("Select at least one item.")
    if len(items) > BULK_LIMIT:
        raise ValidationError(f"Select at most {BULK_LIMIT} items at once.")
    if action == "assign" and to is None:
        raise ValidationError("Choose the colleague to assign them to.")
    if action == "dismiss" and not reason.strip():
        raise ValidationError("Say why these are not worth checking.")
    if action == "tag" and not tags:
        raise ValidationError("Type the tag to add.")
    if action == "priority" and priority not in Statement.Priority.values:
        raise ValidationError("Choose a priority.")
    versions = dict(items)
    done, changed_items = 0, []
    with transaction.atomic():
        # Locked in id order, so two bulk actions over overlapping selections wait rather than
        # deadlock; the locks keep the versions checked below true until the end.
        statements = list(Statement.objects.select_for_update(of=("self",)).filter(pk__in=versions)
                          .select_related("assignee").order_by("pk"))
        if len(statements) != len(versions):
            raise ValidationError("Some selected items no longer exist: reload the queue.")
        tag_objects = [_tag_named(name) for name in tags] if action == "tag" else []
        for statement in statements:
            version = versions[statement.pk]
            try:
                if action == "assign":
                    changed = assign_to(statement=statement, to=to, by=by, version=version, tell=False)
                elif action == "dismiss":
                    changed = dismiss(statement=statement, by=by, reason=reason, version=version)
                elif action == "restore":
                    changed = restore(statement=statement, by=by, version=version)
                elif action == "priority":
                    changed = set_priority(statement=statement, by=by, priority=priority, version=version)
                else:
                    changed = add_tags(statement=statement, by=by, tags=tag_objects)
            except Conflict:
                raise BulkRefused(statement, "someone changed it since you loaded the page. "
                                  "Nothing was changed: reload and try again.", 409) from None
            except PermissionDenied as exc:
                raise BulkRefused(statement, f"{exc or 'you may not change it'}. Nothing was changed.",
                                  403) from None
            except ValidationError as exc:
                raise BulkRefused(statement, f"{' '.join(exc.messages)} Nothing was changed.", 409) from None
            done += bool(changed)
            if changed:
                changed_items.append(statement)
        if action == "assign" and changed_items:
            # One line in their inbox (and one e-mail) for the batch, not one per item.
            single = changed_items[0] if len(changed_items) == 1 else None
            notify(recipients=[to], kind=Notification.Kind.ASSIGNED, by=by, statement=single,
                   text="" if single else f"{len(changed_items)} items")
    return done


@transaction.atomic
def dismiss(*, statement: Statement, by, reason: str, version: int | None = None) -> bool:
    """Not worth checking. Returns False when it already was (a repeated click); with
    `version`, raises Conflict if the item changed since that version was read."""
    _require(by, "factcheck.review_statement")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Say why this is not worth checking.")
    if statement.status == S.DISMISSED:
        return False
    if not may_change_statement(statement, by):
        raise PermissionDenied("This item is assigned to another editor.")
    if statement.status == S.IN_FACTCHECK:
        raise ValidationError("This item is in a fact-check: it cannot be dismissed.")
    was = statement.status
    pending = Statement.objects.filter(pk=statement.pk, status__in=[S.NEW, S.ASSIGNED])
    if version is not None:
        pending = pending.filter(version=version)
    updated = pending.update(status=S.DISMISSED, assignee=None, assigned_at=None, assigned_by=None,
                             dismissed_reason=reason[:300], version=F("version") + 1,
                             updated_at=timezone.now())
    if not updated and version is not None:
        current = Statement.objects.get(pk=statement.pk)
        if current.status != S.DISMISSED:
            raise Conflict(current)
    statement.refresh_from_db()
    if updated:
        ReviewEvent.record(A.DISMISSED, by=by, statement=statement, from_status=was,
                           to_status="dismissed", note=reason)
        transaction.on_commit(queue_changed)
    return bool(updated)


@transaction.atomic
def restore(*, statement: Statement, by, version: int | None = None) -> bool:
    """Dismissed -> back in the queue. False when it was not dismissed (a repeated click)."""
    _require(by, "factcheck.review_statement")
    pending = Statement.objects.filter(pk=statement.pk, status=Statement.Status.DISMISSED)
    if version is not None and statement.status == S.DISMISSED:
        pending = pending.filter(version=version)
    updated = pending.update(
        status=Statement.Status.NEW, dismissed_reason="", version=F("version") + 1,
        updated_at=timezone.now())
    if not updated and version is not None:
        current = Statement.objects.get(pk=statement.pk)
        if current.status == S.DISMISSED:
            raise Conflict(current)
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


def trimmed_span(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the whitespace a mouse selection takes in at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@transaction.atomic
def create_statement(*, article: Article, by, start: int, end: int, kind: str,
                     speaker: Speaker | None = None) -> tuple[Statement, bool]:
    """An item the extractor missed, from a span of the article an editor selected; assigned
    to them. Returns (statement, created): the same span and kind again is the one already
    there (a double submit), not a second item."""
    _require(by, "factcheck.review_statement")
    if kind not in Statement.Kind.values:
        raise ValidationError("Choose what kind of item it is.")
    if not (0 <= start < end <= len(article.text)):
        raise ValidationError("The selection must lie inside the article.")
    start, end = trimmed_span(article.text, start, end)
    if start == end:
        raise ValidationError("The selection holds no words.")
    existing = Statement.objects.filter(article=article, kind=kind, start=start, end=end).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    try:
        with transaction.atomic():  # a savepoint: a racing double submit hits the unique span
            statement = Statement.objects.create(
                article=article, kind=kind, text=article.text[start:end], start=start, end=end,
                speaker=speaker, status=S.ASSIGNED, assignee=by, assigned_by=by, assigned_at=now)
    except IntegrityError:
        return Statement.objects.get(article=article, kind=kind, start=start, end=end), False
    ReviewEvent.record(A.CREATED, by=by, statement=statement, to_status=S.ASSIGNED,
                       note=f"{statement.get_kind_display()}" + (f" by {speaker.name}" if speaker else ""))
    transaction.on_commit(queue_changed)
    return statement, True


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
def add_tags(*, statement: Statement, by, tags: list[Tag]) -> bool:
    """Add tags, keeping the ones it has; False when it had them all."""
    _require(by, "factcheck.review_statement")
    if not may_change_statement(statement, by):
        raise PermissionDenied("This item is assigned to another editor.")
    before = sorted(statement.tags.values_list("name", flat=True))
    statement.tags.add(*tags)
    after = sorted(statement.tags.values_list("name", flat=True))
    if before == after:
        return False
    ReviewEvent.record(A.TAGGED, by=by, statement=statement, data={"before": before, "after": after})
    transaction.on_commit(queue_changed)  # saved views count by tag
    return True


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
        transaction.on_commit(queue_changed)  # saved views count by tag
    return tags
