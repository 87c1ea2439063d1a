from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL,
            "ORG_NAME": settings.ORG_NAME}


def approvals(request):
    """The publishers' inbox size, for the navigation bar (lazy: only counted if shown)."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.has_perm("factcheck.approve_factcheck")):
        return {}
    from factcheck.models import FactCheck

    return {"approvals_waiting": lambda: FactCheck.objects.filter(
        status__in=[FactCheck.Status.SUBMITTED, FactCheck.Status.APPROVED]).count()}
