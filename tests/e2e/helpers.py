"""What the browser tests share: browser settings, logging in, screenshots, a desk's data."""

import os
from pathlib import Path

from django.conf import settings
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "correct-horse-battery-e2e"


def log_in_with_cookie(context, user, base_url):
    """A session made by the test client, handed to the browser: faster than the form."""
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": base_url}])


def log_in_with_form(page, username, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def mark_window(page) -> None:
    """Leave a marker in the page's JavaScript state: a full reload loses it, an htmx swap keeps it."""
    page.evaluate("window.__sameDocument = 'kept'")


def window_kept(page) -> bool:
    return page.evaluate("window.__sameDocument") == "kept"


def screenshot(page, name: str) -> Path:
    """Save what the viewport shows as test-artifacts/screenshots/<name>-<desktop|phone>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    kind = "desktop" if page.viewport_size["width"] >= 1000 else "phone"
    path = SCREENSHOTS / f"{name}-{kind}.png"
    page.screenshot(path=str(path))
    return path
