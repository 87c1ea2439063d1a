from django.conf import settings

from factcheck.models import FactCheck


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
