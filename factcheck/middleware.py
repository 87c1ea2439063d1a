import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError, InterfaceError, OperationalError
from django.shortcuts import render

log = logging.getLogger(__name__)


class SessionLimitsMiddleware:
    """Log out a session idle for longer than SESSION_IDLE_MINUTES (the absolute limit is
    the session cookie's age, set at login and never extended)."""

    KEY = "last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only requests that carry a session are looked at: touching the session of an
        # anonymous reader would add "Vary: Cookie" and stop shared caches keeping public pages.
        user = getattr(request, "user", None) if settings.SESSION_COOKIE_NAME in request.COOKIES else None
        if user is not None and user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(self.KEY, now)
            if now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                return redirect_to_login(request.get_full_path())
            # Write at most once a minute so every request does not rewrite the session row.
            if now - last_seen > 60 or self.KEY not in request.session:
                request.session[self.KEY] = now
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """The database going away mid-request gives a 503 page, not a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or (
                isinstance(exception, DatabaseError) and "connection" in str(exception).lower()):
            log.error("database unavailable: %s", exception)
            # A self-contained page: the usual base template would query the database again.
            response = render(request, "503.html", status=503)
            response["Retry-After"] = "30"
            return response
        return None
