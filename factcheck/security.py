"""Login throttling across usernames, and the fixed end of a session.

django-axes locks a (username, address) pair; someone trying many usernames from one
address (password spraying) needs a separate, higher limit, which axes cannot express
alongside the first because it has one failure limit for all its rules.
"""

from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.utils import timezone

WINDOW_SECONDS = 15 * 60


def client_address(request) -> str:
    return get_client_ip_address(request) or "unknown"


def _key(address: str) -> str:
    return f"login-failures:{address}"


def too_many_failures(request) -> bool:
    return cache.get(_key(client_address(request)), 0) >= settings.LOGIN_IP_FAILURE_LIMIT


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    key = _key(client_address(request))
    if cache.add(key, 1, WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)


@receiver(user_logged_in)
def fix_session_end(sender, request, user, **kwargs):
    """The absolute session limit: a fixed end set at login. Without it every save of the
    session (the idle tracker writes one a minute) would push the end further out."""
    if request is not None and hasattr(request, "session"):
        request.session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))
