"""Test settings: the project's settings on the test database.

`make test` runs on PostgreSQL (TEST_DATABASE_URL, default the local server) when it is
reachable. Without one the suite runs on SQLite and tests marked `postgres` are skipped
with the reason; with CI=true an unreachable PostgreSQL is an error, never a skip.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

import dj_database_url  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from factcheck.settings import *  # noqa: E402,F403
from factcheck.settings import DATABASES, VAR_DIR  # noqa: E402

# The claim scorer as shipped (second stage where the model has one), whatever the shell says.
FACTCHECK_CLAIM_SECOND_STAGE = None

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL",
                                   "postgres://postgres@127.0.0.1:5432/factcheck")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _postgres_unreachable_reason(url: str) -> str:
    """Empty when PostgreSQL answers at `url`, else why not."""
    import psycopg

    params = dj_database_url.parse(url)
    try:
        # Connect to the maintenance database: the test database is created by the runner.
        psycopg.connect(host=params["HOST"] or None, port=params["PORT"] or None,
                        user=params["USER"] or None, password=params["PASSWORD"] or None,
                        dbname="postgres", connect_timeout=3).close()
    except psycopg.Error as exc:
        return f"PostgreSQL at {params['HOST']}:{params['PORT']} unreachable ({exc})".strip()
    return ""


POSTGRES_UNAVAILABLE = ""
if TEST_DATABASE_URL.startswith(("postgres://", "postgresql://")):
    POSTGRES_UNAVAILABLE = _postgres_unreachable_reason(TEST_DATABASE_URL)
    if POSTGRES_UNAVAILABLE and IN_CI:
        raise ImproperlyConfigured(f"CI=true but {POSTGRES_UNAVAILABLE}")
else:
    POSTGRES_UNAVAILABLE = "TEST_DATABASE_URL is not a PostgreSQL URL"

if POSTGRES_UNAVAILABLE:
    DATABASES = {"default": dj_database_url.parse(f"sqlite:///{VAR_DIR / 'test.sqlite3'}")}
else:
    DATABASES = {"default": dj_database_url.parse(TEST_DATABASE_URL)}

# Tasks run inline in tests unless a test picks a backend itself.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}}
FACTCHECK_EXTRACTION_TAKE_ALONG = False  # as the immediate backend has it; tests that need it set it
# The test client speaks plain HTTP; `manage.py check --deploy` covers the production values.
SECURE_SSL_REDIRECT = False
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic before tests
AXES_VERBOSE = False
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "axes": {"level": "WARNING"}}}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
