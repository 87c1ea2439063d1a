"""`manage.py check --deploy` refuses a production SITE_URL that is unset (the development
fallback, http://127.0.0.1:8000) or not https (issue #28, finding 13): canonical links, Open
Graph and ClaimReview would all point there."""

import pytest
from django.core.checks import run_checks
from django.test import override_settings

CHECK_ID = "factcheck.E003"


def _site_url_errors():
    return [m for m in run_checks(include_deployment_checks=True) if m.id == CHECK_ID]


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000",  # what settings fall back to when SITE_URL is unset
    "",
    "http://factcheck.example.org",
    "factcheck.example.org",
    "https://",
    "https://localhost",
    "https://127.0.0.1:8000",
    "ftp://factcheck.example.org",
])
def test_unset_or_plain_http_site_url_fails_the_deploy_check(url):
    with override_settings(DEBUG=False, SITE_URL=url):
        errors = _site_url_errors()
    assert len(errors) == 1, url
    assert errors[0].is_serious() and "SITE_URL" in errors[0].msg


@pytest.mark.parametrize("url", ["https://factcheck.example.org", "https://news.example:8443/checks"])
def test_public_https_site_url_passes(url):
    with override_settings(DEBUG=False, SITE_URL=url):
        assert _site_url_errors() == []


def test_development_is_left_alone():
    with override_settings(DEBUG=True, SITE_URL="http://127.0.0.1:8000"):
        assert _site_url_errors() == []


def test_only_with_deploy():
    with override_settings(DEBUG=False, SITE_URL="http://127.0.0.1:8000"):
        assert not [m for m in run_checks() if m.id == CHECK_ID]
