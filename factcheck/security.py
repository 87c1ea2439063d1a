"""Login throttling across usernames: failures counted per client address.

django-axes locks a (username, address) pair; someone trying many usernames from one
address (password spraying) needs a separate, higher limit, which axes cannot express
alongside the first because it has one failure limit for all its rules.
"""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver

WINDOW_SECONDS = 15 * 60


def client_address(request) -> str:
    from axes.helpers import get_client_ip_address

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
