import importlib.util
import ipaddress
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class FactcheckConfig(AppConfig):
    name = "factcheck"
    verbose_name = "Fact-check desk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from factcheck import extract, security  # noqa: F401 — security connects its signal

        # The engine is Django-free; the model name is a setting, handed over once here.
        extract.set_model(settings.FACTCHECK_SPACY_MODEL)
        from factcheck.extract import checkworthy

        # The claim scorer parses with the same pipeline when it is given text, not Docs.
        checkworthy.set_spacy_model(settings.FACTCHECK_SPACY_MODEL)


@checks.register()
def spacy_model_installed(app_configs, **kwargs):
    """Fail `manage.py check` early rather than on the first article a worker extracts."""
    name = settings.FACTCHECK_SPACY_MODEL
    if importlib.util.find_spec(name) is None:
        return [checks.Error(
            f"The spaCy model package {name!r} is not installed.",
            hint="Run `make install`, or set FACTCHECK_SPACY_MODEL to an installed model.",
            id="factcheck.E001")]
    return []


def _loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@checks.register(checks.Tags.security, deploy=True)
def site_url_is_public_https(app_configs, **kwargs):
    """SITE_URL falls back to http://127.0.0.1:8000 when unset; in production that would put
    a local, plain-HTTP address into every canonical link, Open Graph tag and ClaimReview."""
    if settings.DEBUG:
        return []
    url = settings.SITE_URL
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:  # an unbalanced [ in the host, a port that is not a number
        parts, host = None, ""
    if parts is not None and parts.scheme == "https" and host and not _loopback(host):
        return []
    return [checks.Error(
        f"SITE_URL is {url!r}: with DEBUG off it must be the site's public https:// address "
        "(unset, it falls back to http://127.0.0.1:8000).",
        hint="Set SITE_URL, e.g. SITE_URL=https://factcheck.example.org.",
        id="factcheck.E003")]
