"""Login throttling across usernames, and the fixed end of a session.

django-axes locks a (username, address) pair; someone trying many usernames from one
address (password spraying) needs a separate, higher limit, which axes cannot express
alongside the first because it has one failure limit for all its rules.

Past that limit an address is refused before any password is checked, on both login doors
(the site's and the admin's, through AddressLimitMixin), with one exception: a username that
has logged in from this browser before, which a signed cookie remembers (a "device cookie").
Behind a newsroom's shared NAT, colleagues whose browsers the site knows keep logging in
while a sprayer or someone's typos hold the address over the limit. Letting every correct
password through instead would end the limit: a sprayer over it would keep guessing and a
right guess would still get in. The cookie names no one (an HMAC of the username); with it,
wrong passwords are still counted and axes still locks the pair after its own limit.
"""

from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

WINDOW_SECONDS = 15 * 60

KNOWN_BROWSER_COOKIE = "known_login"
KNOWN_BROWSER_SALT = "factcheck.security.known-browser"
KNOWN_BROWSER_MAX_AGE = 30 * 24 * 3600  # renewed at every login
KNOWN_BROWSER_USERS = 5  # usernames remembered per browser: a shared desk computer
ADDRESS_LIMIT = "address_limit"  # the ValidationError code of a refusal


def client_address(request) -> str:
    return get_client_ip_address(request) or "unknown"


def _key(address: str) -> str:
    return f"login-failures:{address}"


def too_many_failures(request) -> bool:
    return cache.get(_key(client_address(request)), 0) >= settings.LOGIN_IP_FAILURE_LIMIT


def _browser_token(username: str) -> str:
    return salted_hmac(KNOWN_BROWSER_SALT, username).hexdigest()[:32]


def _known_tokens(request) -> list[str]:
    value = request.get_signed_cookie(KNOWN_BROWSER_COOKIE, default="", salt=KNOWN_BROWSER_SALT,
                                      max_age=KNOWN_BROWSER_MAX_AGE)
    return [token for token in value.split(":") if token][:KNOWN_BROWSER_USERS]


def known_browser(request, username: str) -> bool:
    """Has `username` logged in from this browser within KNOWN_BROWSER_MAX_AGE?"""
    if not username:
        return False
    token = _browser_token(username)
    return any(constant_time_compare(token, known) for known in _known_tokens(request))


def remember_browser(request, response, user) -> None:
    """After a successful login: this browser now knows `user` (most recent first)."""
    token = _browser_token(user.get_username())
    tokens = [token] + [known for known in _known_tokens(request) if known != token]
    response.set_signed_cookie(KNOWN_BROWSER_COOKIE, ":".join(tokens[:KNOWN_BROWSER_USERS]),
                               salt=KNOWN_BROWSER_SALT, max_age=KNOWN_BROWSER_MAX_AGE,
                               secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")


def login_refused(request, username: str) -> bool:
    """The address-wide limit: over it, only a username this browser knows is judged."""
    return too_many_failures(request) and not known_browser(request, username)


class AddressLimitMixin:
    """For an AuthenticationForm (the site's or the admin's): refuse before authenticating
    when the address is over LOGIN_IP_FAILURE_LIMIT, unless the browser knows the username."""

    def clean(self):
        if login_refused(self.request, self.cleaned_data.get("username") or ""):
            raise ValidationError("Too many failed logins from your network. Try again in 15 minutes.",
                                  code=ADDRESS_LIMIT)
        return super().clean()


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
