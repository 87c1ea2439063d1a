"""The queue's filtering, ordering and keyset pagination, shared by the page and "next item"."""

import re
from dataclasses import dataclass
from datetime import datetime, time

from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from factcheck.models import Outlet, Speaker, Statement
from factcheck.review.actions import QUEUE_COUNTS_KEY

OPEN_STATUSES = [Statement.Status.NEW, Statement.Status.ASSIGNED]
SORT_KEYS = {"priority": ("score", float), "recent": ("created_at", datetime.fromisoformat),
             "appearances": ("appearance_count", int)}
COUNTS_TTL_SECONDS = 30
# Digits of the largest article id a typed number is taken for (ids are 32-bit).
_ID_DIGITS = 10


def filter_statements(data: dict, user, queryset=None):
    """Statements matching the cleaned filter form `data`."""
    qs = queryset if queryset is not None else Statement.objects.all()
    # One queue item per quote: later appearances in other outlets are listed on its page.
    qs = qs.filter(duplicate_of__isnull=True)
    status = data.get("status") or "open"
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status != "all":
        qs = qs.filter(status=status)
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    # Speaker, outlet and article as an editor types them: a name (or a speaker's alias),
    # an article's title or number; the slugs the queue's own links carry still match.
    if data.get("speaker"):
        typed = data["speaker"].strip()
        qs = qs.filter(speaker__in=Speaker.objects.filter(
            Q(slug=typed) | Q(name__icontains=typed) | Q(aliases__alias__iexact=typed)).values("pk"))
    if data.get("outlet"):
        typed = data["outlet"].strip()
        qs = qs.filter(article__outlet__in=Outlet.objects.filter(
            Q(slug=typed) | Q(name__icontains=typed)).values("pk"))
    if data.get("article"):
        typed = data["article"].strip()
        # (a number longer than any id is searched as title text, never sent as an id)
        qs = qs.filter(article_id=int(typed)) if typed.isdigit() and len(typed) < _ID_DIGITS \
            else qs.filter(article__title__icontains=typed)
    if data.get("tag"):
        qs = qs.filter(tags__slug=data["tag"])
    if data.get("assignee") == "mine":
        qs = qs.filter(assignee=user)
    elif data.get("assignee") == "unassigned":
        qs = qs.filter(assignee__isnull=True)
    elif data.get("assignee"):  # a colleague, by username
        qs = qs.filter(assignee__username=data["assignee"])
    if data.get("priority") is not None:
        qs = qs.filter(priority=data["priority"])
    if data.get("min_score") is not None:
        qs = qs.filter(score__gte=data["min_score"])
    if data.get("max_score") is not None:
        qs = qs.filter(score__lte=data["max_score"])
    tz = timezone.get_current_timezone()
    if data.get("since"):
        qs = qs.filter(created_at__gte=datetime.combine(data["since"], time.min, tz))
    if data.get("until"):
        qs = qs.filter(created_at__lte=datetime.combine(data["until"], time.max, tz))
    if data.get("q"):
        qs = qs.filter(_text_matches(data["q"]))
    return qs


def _text_matches(q: str) -> Q:
    """The queue's search box: full-text on PostgreSQL (stemmed, so "deploy" finds "deployed";
    the words of the statement and of how the article names its speaker), substring elsewhere;
    speaker names by substring."""
    if connection.vendor == "postgresql":
        # Two conditions each index can answer, so PostgreSQL can OR the two indexes' matches
        # and sort only those: the speakers first, as a list of ids. As a join or a subquery
        # the planner could not tell how few rows match and walked the whole queue in order,
        # testing each (2.6 s at 1M statements for a word in 67 of them).
        speakers = list(Speaker.objects.filter(name__icontains=q).values_list("pk", flat=True))
        return (Q(search_vector=SearchQuery(q, config="english", search_type="plain"))
                | Q(speaker_id__in=speakers))
    return substring_matches(q)


def substring_matches(q: str) -> Q:
    """Without full-text search: every word somewhere in the words, the mention or the speaker's
    name, as PostgreSQL's plain query wants every word ("Russia troops" is two words, not one
    phrase)."""
    condition = Q()
    for word in re.findall(r"[^\W_]+", q)[:12] or [q]:
        condition &= (Q(text__icontains=word) | Q(mention__icontains=word)
                      | Q(speaker__name__icontains=word))
    return condition


@dataclass
class Page:
    items: list
    next_cursor: str | None


def keyset_page(qs, *, sort: str, after: str | None, size: int = 50) -> Page:
    """One page after the cursor `after` ("<key>|<id>"), newest/highest first.

    Keyset rather than OFFSET: page 1,000 costs what page 1 costs, on a million rows.
    """
    field, parse = SORT_KEYS.get(sort, SORT_KEYS["priority"])
    qs = qs.order_by(f"-{field}", "-pk")
    if after:
        try:
            raw_key, raw_pk = after.rsplit("|", 1)
            key, pk = parse(raw_key), int(raw_pk)
        except ValueError:
            key = pk = None
        if pk is not None:
            # A row comparison, not (a < x OR a = x AND id < y): the database can start an
            # index scan right at the cursor instead of filtering everything before it.
            table = Statement._meta.db_table
            qs = qs.extra(where=[f'("{table}"."{field}", "{table}"."id") < (%s, %s)'],
                          params=[key, pk])
    items = list(qs[: size + 1])
    next_cursor = None
    if len(items) > size:
        items = items[:size]
        last = items[-1]
        value = getattr(last, field)
        next_cursor = f"{value.isoformat() if isinstance(value, datetime) else repr(value)}|{last.pk}"
    return Page(items, next_cursor)


def status_counts() -> dict[str, int]:
    """Items per status, recomputed at most every half minute or after a transition.

    Counting a million rows on every page view is what makes queues slow; editors need
    the order of magnitude, and their own actions invalidate the cache at once.
    """
    counts = cache.get(QUEUE_COUNTS_KEY)
    if counts is None:
        rows = Statement.objects.order_by().values("status").annotate(n=Count("pk"))
        counts = {s: 0 for s in Statement.Status.values} | {r["status"]: r["n"] for r in rows}
        counts["open"] = sum(counts[s] for s in OPEN_STATUSES)
        cache.set(QUEUE_COUNTS_KEY, counts, COUNTS_TTL_SECONDS)
    return counts
