"""Internal notes: a thread on each statement and fact-check where the desk talks, with
@mentions that reach a colleague's inbox. For the desk only: the public site, the feeds and
ClaimReview never read the Note table (tests/review/test_notes.py proves it on every output).
"""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from factcheck.models import FactCheck, Note, Notification, Statement
from factcheck.review.actions import is_publisher
from factcheck.review.notifications import notify

NOTE_MAX_CHARS = 5000
# "@ann", "@ann.lee", "@ann@desk.example": Django usernames are letters, digits and @.+-_;
# not the middle of an e-mail address (a word character before the @).
MENTION = re.compile(r"(?<![\w@])@([\w.@+-]+)")
MAX_MENTIONS = 20
# The same note by the same person on the same thing this soon after is a double submit.
REPEAT_WINDOW = timedelta(minutes=2)


def mentioned_names(body: str) -> list[str]:
    names = []
    for match in MENTION.finditer(body):
        name = match.group(1).rstrip(".-+@")  # "…ask @ann." ends a sentence
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names[:MAX_MENTIONS]


def may_read_factcheck(factcheck: FactCheck, user) -> bool:
    # As factchecks.actions.may_read, which this step comes before: its authors and the publishers.
    return is_publisher(user) or factcheck.is_authored_by(user)


def _resolve_mentions(names: list[str], *, factcheck: FactCheck | None):
    """The colleagues named, and the names that reach nobody (no such desk member, or one who
    may not open this fact-check)."""
    lookup = Q()
    for name in names:
        lookup |= Q(username__iexact=name)
    users = {u.username.casefold(): u for u in get_user_model().objects.filter(lookup, is_active=True)} \
        if names else {}
    found, unknown = [], []
    for name in names:
        user = users.get(name.casefold())
        reachable = user is not None and user.has_perm("factcheck.review_statement") and (
            factcheck is None or may_read_factcheck(factcheck, user))
        if not reachable:
            unknown.append(name)
        else:
            found.append(user)
    return found, unknown


@transaction.atomic
def add_note(*, by, body: str, statement: Statement | None = None,
             factcheck: FactCheck | None = None) -> tuple[Note, list[str]]:
    """Write a note on a statement or a fact-check and tell the colleagues it @mentions.

    Returns the note and the mentioned names that reached nobody, for the writer to see.
    """
    if not (by.is_active and by.has_perm("factcheck.review_statement")):
        raise PermissionDenied
    if (statement is None) == (factcheck is None):
        raise ValueError("a note is on one statement or one fact-check")
    if factcheck is not None and not may_read_factcheck(factcheck, by):
        raise PermissionDenied("Notes on a fact-check are for its authors and the publishers.")
    body = body.strip()
    if not body:
        raise ValidationError("Write the note first.")
    if len(body) > NOTE_MAX_CHARS:
        raise ValidationError(f"A note is at most {NOTE_MAX_CHARS} characters; this one has {len(body)}.")
    subject = {"statement": statement} if statement is not None else {"factcheck": factcheck}
    repeated = Note.objects.filter(author=by, body=body, created_at__gte=timezone.now() - REPEAT_WINDOW,
                                   **subject).first()
    mentioned, unknown = _resolve_mentions(mentioned_names(body), factcheck=factcheck)
    if repeated is not None:
        return repeated, unknown
    note = Note.objects.create(author=by, body=body, **subject)
    notify(recipients=mentioned, kind=Notification.Kind.MENTIONED, by=by, statement=statement,
           factcheck=factcheck, text=body)
    return note, unknown


def notes_on(*, statement: Statement | None = None, factcheck: FactCheck | None = None):
    subject = {"statement": statement} if statement is not None else {"factcheck": factcheck}
    return Note.objects.filter(**subject).select_related("author")
