"""Saved views: a named set of the queue's filters, the user's own or the desk's, listed in
the queue with how many items each holds now ("Health claims, unassigned: 14").

The counts are cached under the queue's generation (bumped by every change to the queue,
review/actions.queue_changed) for at most a minute: the queue page then costs the same
queries with one saved view or twenty, and an editor's own action shows in the counts at once.
"""

import hashlib

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import QueryDict

from factcheck.models import SavedView
from factcheck.review.actions import QUEUE_GENERATION_KEY, is_publisher
from factcheck.review.forms import QueueFilterForm
from factcheck.review.queue import filter_statements

COUNTS_TTL_SECONDS = 60
# Past this a view says "1000+": counting a million matching rows exactly costs a scan of them
# all, where stopping at the cap costs the same at any size; an editor needs the order of it.
COUNT_CAP = 1000
# Parameters that page or lay out the queue rather than choose its items.
NOT_FILTERS = {"after", "sort"}


def visible_to(user):
    return SavedView.objects.filter(Q(owner=user) | Q(for_desk=True)).select_related("owner")


def normalized_query(params: QueryDict, colleagues) -> str:
    """The filters of a queue URL that choose items, in a stable order; "" for none. Refuses
    filters the queue would not understand, so a saved view never silently shows everything."""
    form = QueueFilterForm(params, colleagues=colleagues)
    if not form.is_valid():
        raise ValidationError("Fix the filters before saving them as a view.")
    kept = QueryDict(mutable=True)
    for name in sorted(form.fields):
        value = params.get(name, "").strip()
        if value and name not in NOT_FILTERS:
            kept[name] = value
    return kept.urlencode()


@transaction.atomic
def save_view(*, by, name: str, query: str, for_desk: bool, colleagues) -> SavedView:
    """Save (or, under the same name, replace) a view; a desk view is shared with everyone."""
    if not (by.is_active and by.has_perm("factcheck.review_statement")):
        raise PermissionDenied
    name = " ".join(name.split())[:100]
    if not name:
        raise ValidationError("Give the view a name.")
    query = normalized_query(QueryDict(query), colleagues)
    try:
        with transaction.atomic():
            view, _ = SavedView.objects.update_or_create(owner=by, name=name,
                                                         defaults={"query": query, "for_desk": for_desk})
    except IntegrityError:  # the same name saved twice at once: the first stands, updated
        view = SavedView.objects.get(owner=by, name=name)
        SavedView.objects.filter(pk=view.pk).update(query=query, for_desk=for_desk)
    return view


@transaction.atomic
def delete_view(*, view: SavedView, by) -> bool:
    """Its owner deletes a view; a publisher may also remove one shared with the desk."""
    if view.owner_id != by.pk and not (view.for_desk and is_publisher(by)):
        raise PermissionDenied("Only its owner (or, for a desk view, a publisher) can delete this view.")
    return bool(SavedView.objects.filter(pk=view.pk).delete()[0])


def with_counts(user, colleagues) -> list[dict]:
    """The views this user sees, each with its live count (None for one whose filters no longer
    hold, e.g. a colleague who left)."""
    views = list(visible_to(user))
    if not views:
        return []
    generation = cache.get(QUEUE_GENERATION_KEY, 0)
    # Views with "mine" count differently per user; the key names the user and the views' filters.
    fingerprint = hashlib.sha256(repr([(v.pk, v.query) for v in views]).encode()).hexdigest()[:16]
    key = f"queue:view-counts:{generation}:{user.pk}:{fingerprint}"
    counts = cache.get(key)
    if counts is None:
        counts = {}
        for view in views:
            form = QueueFilterForm(QueryDict(view.query), colleagues=colleagues)
            if not form.is_valid():
                counts[view.pk] = None
                continue
            # Unordered: the count stops at the cap wherever the matches lie, with no sort.
            counts[view.pk] = filter_statements(form.cleaned_data, user).order_by()[:COUNT_CAP + 1].count()
        cache.set(key, counts, COUNTS_TTL_SECONDS)
    return [{"view": view, "count": _shown(counts.get(view.pk)), "mine": view.owner_id == user.pk}
            for view in views]


def _shown(count: int | None) -> str | None:
    if count is None:
        return None
    return f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)
