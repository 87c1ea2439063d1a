"""The address-wide login limit (LOGIN_IP_FAILURE_LIMIT) on both login doors (issue #28,
finding 9).

/admin/login/ counts failures and obeys the limit like /accounts/login/. Past the limit an
address is refused before any password is checked, except for a username that has logged in
from this browser before (a signed "known browser" cookie): behind a newsroom's shared NAT a
colleague's typos or a password sprayer no longer lock everyone out, while the sprayer, who
has no such cookie, gets no more guesses. axes still locks a (username, address) pair after
its own limit, known browser or not.
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client

from factcheck.security import KNOWN_BROWSER_COOKIE

pytestmark = pytest.mark.django_db
SITE = "/accounts/login/"
ADMIN = "/admin/login/"
IP = "10.0.0.7"
LIMIT = 6
PASSWORD = "right-password-123"


@pytest.fixture(autouse=True)
def small_limit(settings):
    cache.clear()
    settings.LOGIN_IP_FAILURE_LIMIT = LIMIT
    yield
    cache.clear()


@pytest.fixture
def alice(make_user):
    user = make_user("alice", "Editor", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client, url, username, password, ip=IP):
    return client.post(url, {"username": username, "password": password, "next": "/admin/"},
                       REMOTE_ADDR=ip)


def _spray(url, n=LIMIT, ip=IP):
    """n wrong passwords for n different usernames, from a browser of their own."""
    sprayer = Client()
    for i in range(n):
        response = _login(sprayer, url, f"guess{i}", "guess", ip=ip)
        assert response.status_code == 200 and SESSION_KEY not in sprayer.session, i


def _logged_in(client) -> bool:
    return SESSION_KEY in client.session


@pytest.mark.parametrize("spray_at,refused_at", [(ADMIN, ADMIN), (ADMIN, SITE), (SITE, ADMIN)])
def test_admin_login_is_counted_and_refused_past_the_address_limit(spray_at, refused_at, alice):
    _spray(spray_at)
    response = _login(Client(), refused_at, "someone-else", "guess")
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    # A browser that never logged in here waits, even with the right password...
    stranger = Client()
    assert _login(stranger, refused_at, "alice", PASSWORD).status_code == 429
    assert not _logged_in(stranger)
    # ...and another address is not affected.
    elsewhere = Client()
    assert _login(elsewhere, refused_at, "alice", PASSWORD, ip="10.9.9.9").status_code == 302
    assert _logged_in(elsewhere)


@pytest.mark.parametrize("door", [SITE, ADMIN])
def test_correct_password_from_a_known_browser_after_the_address_limit(door, alice):
    browser = Client()
    assert _login(browser, door, "alice", PASSWORD).status_code == 302  # sets the cookie
    assert browser.cookies[KNOWN_BROWSER_COOKIE].value
    browser.post("/accounts/logout/")
    _spray(door)
    assert _login(browser, door, "alice", PASSWORD).status_code == 302
    assert _logged_in(browser)


def test_the_known_browser_cookie_is_for_its_username_only(alice, make_user):
    bob = make_user("bob", "Editor")
    bob.set_password(PASSWORD)
    bob.save()
    browser = Client()
    assert _login(browser, SITE, "alice", PASSWORD).status_code == 302
    browser.post("/accounts/logout/")
    _spray(SITE)
    assert _login(browser, SITE, "bob", PASSWORD).status_code == 429
    assert _login(browser, SITE, "alice", "wrong").status_code == 200  # judged, and wrong
    assert not _logged_in(browser)


def test_a_forged_cookie_is_ignored(alice):
    _spray(SITE)
    forger = Client()
    forger.cookies[KNOWN_BROWSER_COOKIE] = "alice"
    assert _login(forger, SITE, "alice", PASSWORD).status_code == 429


def test_axes_still_locks_the_pair_for_a_known_browser(alice, settings):
    browser = Client()
    assert _login(browser, SITE, "alice", PASSWORD).status_code == 302
    browser.post("/accounts/logout/")
    _spray(SITE)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(browser, SITE, "alice", "wrong").status_code == 200
    assert _login(browser, SITE, "alice", "wrong").status_code == 429
    assert _login(browser, SITE, "alice", PASSWORD).status_code == 429  # locked by axes
    assert not _logged_in(browser)
