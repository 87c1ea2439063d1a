"""Telling a colleague: a line in their inbox and, if they want it, an e-mail.

The workflow steps call notify() inside their own transaction, so a notification exists
exactly when the change it reports was committed; e-mail is sent after the commit, and a
mail server that is down costs the e-mail, never the change.
"""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from factcheck.models import DeskProfile, FactCheck, Notification, Statement

log = logging.getLogger(__name__)
K = Notification.Kind


def notify(*, recipients, kind: str, by, statement: Statement | None = None,
           factcheck: FactCheck | None = None, text: str = "") -> list[Notification]:
    """One notification per recipient (never the person who did it, never an inactive account)."""
    kind = K(kind)
    seen, rows = set(), []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active or (by is not None and user.pk == by.pk):
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, kind=kind, actor=by, statement=statement,
                                 factcheck=factcheck, text=" ".join(text.split())[:500]))
    if not rows:
        return []
    Notification.objects.bulk_create(rows)
    mail_to = [row for row in rows if row.recipient.email]
    if mail_to:
        muted = set(DeskProfile.objects.filter(user__in=[r.recipient for r in mail_to],
                                               email_notifications=False).values_list("user_id", flat=True))
        mail_to = [row for row in mail_to if row.recipient_id not in muted]
    if mail_to:
        messages = [_email(row) for row in mail_to]
        transaction.on_commit(lambda: _send(messages))
    return rows


def _send(messages) -> None:
    try:
        send_mass_mail(messages, fail_silently=False)
    except Exception:  # noqa: BLE001 - whatever the mail server does, the change stands
        log.exception("could not send %d notification e-mails", len(messages))


def subject_of(notification: Notification) -> str:
    if notification.factcheck_id:
        return notification.factcheck.headline or notification.factcheck.claim_reviewed
    if notification.statement_id:
        return str(notification.statement)
    return ""


def headline(notification: Notification) -> str:
    """What happened, in words: "ann assigned you an item", "bob returned your fact-check"."""
    who = notification.actor.get_username() if notification.actor else "Someone"
    if notification.kind == K.ASSIGNED and not notification.statement_id and notification.text:
        return f"{who} assigned you {notification.text}"  # a batch: "3 items"
    return {
        K.ASSIGNED: f"{who} assigned you an item",
        K.MENTIONED: f"{who} mentioned you in a note",
        K.RETURNED: f"{who} returned your fact-check to draft",
        K.APPROVED: f"{who} approved your fact-check",
        K.PUBLISHED: f"{who} published your fact-check",
        K.CORRECTED: f"{who} published a correction to your fact-check",
    }[notification.kind]


def target_url(notification: Notification, user) -> str:
    """Where the notification takes its reader: the draft for its authors, the approval page
    for the publishers, the statement's page for an item."""
    if notification.factcheck_id:
        factcheck = notification.factcheck
        if factcheck.is_authored_by(user):
            return reverse("factcheck_edit", args=[factcheck.pk])
        return reverse("approval", args=[factcheck.pk])
    if notification.statement_id:
        return reverse("statement", args=[notification.statement_id])
    if notification.kind == K.ASSIGNED:  # a batch: the queue of what they hold
        return f"{reverse('queue')}?assignee=mine&status=assigned"
    return reverse("inbox")


def _email(notification: Notification) -> tuple:
    user = notification.recipient
    subject = f"[{settings.SITE_NAME}] {headline(notification)}"
    about = subject_of(notification)
    lines = [f"{headline(notification)}: {about}" if about else headline(notification)]
    if notification.text:
        lines += ["", notification.text]
    lines += ["", f"{settings.SITE_URL.rstrip('/')}{target_url(notification, user)}", "",
              f"Turn these e-mails off: {settings.SITE_URL.rstrip('/')}{reverse('inbox')}"]
    return (subject[:200], "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [user.email])


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user, notification: Notification | None = None) -> int:
    """One notification (or all of them) read; repeating it changes nothing."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=timezone.now())


def set_email(*, user, enabled: bool) -> DeskProfile:
    profile, _ = DeskProfile.objects.update_or_create(user=user, defaults={"email_notifications": enabled})
    return profile


def wants_email(user) -> bool:
    profile = DeskProfile.objects.filter(user=user).first()
    return profile.email_notifications if profile else True
