"""Browser tests: Playwright (Python) driving the system Chromium against the app served by
pytest-django's live server.

One Chromium for all the browser tests (started with the first, stopped after the last one,
so the rest of the suite runs without Playwright's event loop in its thread); a new context
per test. Every context records console errors, uncaught page errors, CSP violations and
5xx answers; `problems.assert_none()` fails a test that caused any.

Without /usr/bin/chromium the browser tests skip with the reason; with CI=true they fail.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connections

from tests.e2e.helpers import CHROMIUM, CHROMIUM_ARGS, DESKTOP, IN_CI, PASSWORD, log_in_with_cookie

# Reports CSP violations to Python through an exposed function: the page's own console
# message for a violation is not guaranteed, the event is.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  const where = e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}` : "";
  window.__reportCsp(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}${where} `
                     + `on ${document.location.pathname}`);
});
"""


class _Chromium:
    """Playwright and one browser, started on first use."""

    def __init__(self):
        self.playwright = self.browser = None
        self.async_unsafe_before = None

    def get(self):
        if self.browser is None:
            if not Path(CHROMIUM).exists():
                reason = f"{CHROMIUM} is missing (install the Debian package `chromium`)"
                if IN_CI:
                    pytest.fail(f"CI=true but {reason}", pytrace=False)
                pytest.skip(reason)
            from playwright.sync_api import sync_playwright

            # Playwright's sync API keeps an asyncio loop running in this thread; Django's ORM
            # refuses to work beside one unless told it is safe, which it is here (our calls
            # never run inside the loop).
            self.async_unsafe_before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            # Beside a running loop Django keeps its connections per context, not per thread:
            # this thread gets new connection objects, which must carry the database contents
            # serialized at set-up for `serialized_rollback` to restore them.
            serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None)
                          for alias in connections}
            self.playwright = sync_playwright().start()
            for alias, contents in serialized.items():
                if contents is not None:
                    connections[alias]._test_serialized_contents = contents
            self.browser = self.playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        return self.browser

    def stop(self):
        if self.playwright is not None:
            connections.close_all()  # the ones made beside the loop
            try:
                self.browser.close()
            finally:
                self.playwright.stop()
                self.playwright = self.browser = None
                if self.async_unsafe_before is None:
                    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
                else:
                    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self.async_unsafe_before


_chromium = _Chromium()


@pytest.fixture(autouse=True, scope="session")
def _patient_assertions():
    # A loaded two-core CI machine runs the live server, Chromium and the suite at once.
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(config, items):
    # Skipped before any database is set up for them; with CI=true they run and fail instead.
    if Path(CHROMIUM).exists() or IN_CI:
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (install the Debian package `chromium`)")
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(skip)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    # After the fixtures of the last browser test are torn down: stop the browser so the
    # tests that follow run without Playwright's loop (and with Django's async check back).
    if nextitem is None or nextitem.get_closest_marker("browser") is None:
        _chromium.stop()


def pytest_sessionfinish(session):
    _chromium.stop()


@pytest.fixture
def browser():
    return _chromium.get()


class Problems:
    """What went wrong in the browser during one test, beside what the test asserts."""

    def __init__(self):
        self.items: list[str] = []
        self.visited: list[str] = []
        self.allowed_statuses: set[int] = set()

    def watch(self, context):
        context.expose_function("__reportCsp", lambda text: self.items.append(f"CSP: {text}"))
        context.add_init_script(script=CSP_LISTENER)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.items.append(f"page error: {error.error}"))
        context.on("response", self._response)
        context.on("page", lambda page: page.on("framenavigated", self._navigated))

    def _console(self, message):
        if message.type != "error":
            return
        text = message.text
        # Chrome logs every 4xx answer as "Failed to load resource"; the ones a test provokes
        # on purpose (a 409 conflict, a 422 form error) are what the app is meant to answer.
        if any(f"status of {code}" in text for code in self.allowed_statuses):
            return
        self.items.append(f"console error: {text} ({message.location.get('url', '')})")

    def _response(self, response):
        if response.status >= 500:
            self.items.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def _navigated(self, frame):
        if frame.parent_frame is None:
            self.visited.append(frame.url)

    def allow_status(self, *codes: int):
        self.allowed_statuses.update(codes)

    def assert_none(self):
        assert not self.items, "\n".join(self.items)


@pytest.fixture
def problems():
    return Problems()


@pytest.fixture
def new_context(browser, live_server, problems):
    """A fresh browser context on the live server (cookies of its own), watched for problems."""
    contexts = []

    def make(*, viewport=None, user=None):
        context = browser.new_context(base_url=live_server.url, viewport=viewport or DESKTOP)
        context.set_default_timeout(10_000)
        problems.watch(context)
        if user is not None:
            log_in_with_cookie(context, user, live_server.url)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def make_desk_user(django_user_model):
    def make(username, group="Editor", **extra):
        user = django_user_model.objects.create_user(username=username, password=PASSWORD,
                                                     **extra)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def desk_editor(make_desk_user):
    return make_desk_user("erin", "Editor", first_name="Erin", last_name="Editor")


@pytest.fixture
def desk_publisher(make_desk_user):
    return make_desk_user("paul", "Publisher", first_name="Paul", last_name="Publisher")
