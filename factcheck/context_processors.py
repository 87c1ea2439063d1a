from django.conf import settings

from factcheck.models import FactCheck, Notification


def site(request):
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL,
            "ORG_NAME": settings.ORG_NAME}


def approvals(request):
    """The publishers' inbox size for the navigation bar, computed only if a template asks
    (public pages never do, so they never touch the session)."""

    def waiting() -> int:
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated and user.has_perm("factcheck.approve_factcheck")):
            return 0
        return FactCheck.objects.filter(
            status__in=[FactCheck.Status.SUBMITTED, FactCheck.Status.APPROVED]).count()

    return {"approvals_waiting": waiting}


def inbox(request):
    """The header's unread-notification count: one query, made only when a desk page's header
    asks for it (public pages never do)."""

    def unread() -> int:
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated and user.has_perm("factcheck.review_statement")):
            return 0
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

    return {"inbox_unread": unread}
