import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_vary_headers

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def is_database_unavailable(exception: BaseException) -> bool:
    return isinstance(exception, (OperationalError, InterfaceError)) or (
        isinstance(exception, DatabaseError) and "connection" in str(exception).lower())


def wants_json(request) -> bool:
    """The JSON API, and clients that prefer JSON to HTML (a browser asks for HTML or */*)."""
    return request.path.startswith("/api/") or request.get_preferred_type(
        ["text/html", "application/json"]) == "application/json"


def database_unavailable(request, exception) -> HttpResponse:
    """503, as JSON for the API and JSON clients, else the 503 page. Rendered without the
    request: its context processors would ask the database (the session, the user) again."""
    log.error("database unavailable: %s %s: %s", request.method, request.path, exception)
    if wants_json(request):
        response = JsonResponse({"error": "The database is unavailable; try again in a minute."},
                                status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_vary_headers(response, ["Accept"])
    return response


class SessionLimitsMiddleware:
    """Log out a session idle for longer than SESSION_IDLE_MINUTES (the absolute limit is
    the session cookie's age, set at login and never extended)."""

    KEY = "last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = self.check_session(request)
        except (DatabaseError, InterfaceError) as exc:
            # Reading the session is the first query of a logged-in request, here, before
            # DatabaseUnavailableMiddleware's view-level handler can see it.
            if not is_database_unavailable(exc):
                raise
            return database_unavailable(request, exc)
        return refused or self.get_response(request)

    def check_session(self, request):
        """A redirect to the login page if the session has been idle too long, else None."""
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
        return None


class DatabaseUnavailableMiddleware:
    """The database going away mid-request gives a 503 (page or JSON), not a traceback.
    A request carrying a session fails earlier, in SessionLimitsMiddleware, which answers
    the same way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return database_unavailable(request, exception)
        return None


class DeskPagesNotStoredMiddleware:
    """The desk's pages (review, fact-checks, ingest) carry the CSRF token and what an editor
    is working on: no browser or shared cache keeps them, and the back button asks the server
    again instead of showing a "Take it" button for an item someone already took."""

    DESK_MODULES = ("factcheck.review.", "factcheck.factchecks.", "factcheck.ingest.")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.func.__module__.startswith(self.DESK_MODULES):
            add_never_cache_headers(response)
        return response
