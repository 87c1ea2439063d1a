"""Settings for factcheck, read once from the environment.

Every knob an operator may turn is an environment variable listed in the README's
configuration table; nothing else in the code reads os.environ.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# The model's name is the engine's; its package imports no spaCy (and no Django) until
# something extracts. Underscored so that it is not a setting of its own.
from factcheck.extract import DEFAULT_MODEL as _DEFAULT_SPACY_MODEL

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value not in {"1", "0", "true", "false", "yes", "no", "on", "off", ""}:
        raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")
    return value in {"1", "true", "yes", "on"}


def envbool_or_none(name: str) -> bool | None:
    """None when the variable is unset or empty: the code's own default applies."""
    return envbool(name, "") if os.environ.get(name, "").strip() else None


def envint(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer") from exc


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "0")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (DEBUG=1 allows a development key)."
        )
    # Only ever used with DEBUG on, so a leaked dev key signs nothing that matters.
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "factcheck")
# The publishing organisation, as named in ClaimReview JSON-LD and on public pages.
ORG_NAME = os.environ.get("ORG_NAME", "factcheck desk (demo)")
ORG_LOGO_URL = os.environ.get("ORG_LOGO_URL", "")
# Public pages are cached this long; publishing, correcting or withdrawing changes the key.
PUBLIC_CACHE_SECONDS = envint("PUBLIC_CACHE_SECONDS", 600)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # trigram and full-text lookups; inert on SQLite
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "django_rq",  # provides `rqworker` for the Redis/RQ task backend
    "axes",
    "factcheck",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "factcheck.middleware.DeskPagesNotStoredMiddleware",
    "factcheck.middleware.SessionLimitsMiddleware",
    "factcheck.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns lockouts raised during login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "factcheck.context_processors.site",
                "factcheck.context_processors.approvals",
                "factcheck.context_processors.inbox",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'factcheck.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database (make run) with a web process and a task worker writing at once:
    # WAL lets readers read while one connection writes; IMMEDIATE takes the write lock when a
    # transaction begins, so a read-then-write never fails half-way on a snapshot gone stale;
    # a writer waits up to `timeout` seconds for the lock (sqlite3's default, 5, lost 6 of 10
    # logins during a 5,000-record import); synchronous=NORMAL is safe with WAL and makes each
    # commit, and so each hold of the lock, shorter.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The Tasks API backend: the database backend needs only a worker process
# (`manage.py db_worker`); "immediate" runs tasks inline (handy for scripts and tests).
# For many workers on many machines: TASKS_BACKEND=django_tasks_rq.RQBackend and REDIS_URL,
# workers started with `manage.py rqworker` (see the README's "Deploying").
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": []}}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# One process (make run): the in-memory default. Several web processes: CACHE_URL=redis://...
# so the login counters and the cached public pages are shared between them.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": CACHE_URL}}
elif CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must be a redis:// URL (or unset for in-memory).")
RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}
             for name in envlist("RQ_QUEUE_NAMES", "default")}

FACTCHECK_SPACY_MODEL = os.environ.get("FACTCHECK_SPACY_MODEL", _DEFAULT_SPACY_MODEL)
# After extraction, a task gives each new item the shipped check-worthiness score (a
# fine-tuned MiniLM, about as much CPU as the parse again); 0 keeps the feature model's score.
FACTCHECK_CLAIM_RESCORE = envbool("FACTCHECK_CLAIM_RESCORE", "1")
# How long an editor keeps a statement they took before it returns to the queue.
FACTCHECK_ASSIGNMENT_TTL_MINUTES = envint("FACTCHECK_ASSIGNMENT_TTL_MINUTES", 120)

# Ingestion. The fetcher refuses loopback/private/link-local/reserved addresses; hosts listed
# here are fetched anyway (an intranet CMS, the tests' local server). Limits apply per URL.
FACTCHECK_FETCH_ALLOWED_HOSTS = envlist("FACTCHECK_FETCH_ALLOWED_HOSTS", "")
FACTCHECK_FETCH_TIMEOUT = envint("FACTCHECK_FETCH_TIMEOUT", 10)  # seconds, whole fetch incl. redirects
FACTCHECK_FETCH_MAX_BYTES = envint("FACTCHECK_FETCH_MAX_BYTES", 5_000_000)  # decoded body
FACTCHECK_FETCH_MAX_REDIRECTS = envint("FACTCHECK_FETCH_MAX_REDIRECTS", 5)
FACTCHECK_MAX_ARTICLE_CHARS = envint("FACTCHECK_MAX_ARTICLE_CHARS", 300_000)
# Room for the longest article we accept, in UTF-8, so an oversized paste reaches the form
# and its precise message instead of Django's generic refusal (templates/400.html).
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, 4 * FACTCHECK_MAX_ARTICLE_CHARS + 65_536)
# An extraction pending or running longer than this is assumed lost (a worker died) and re-queued.
FACTCHECK_EXTRACTION_TIMEOUT_MINUTES = envint("FACTCHECK_EXTRACTION_TIMEOUT_MINUTES", 15)
# A worker extracting one article takes other waiting ones along (up to EXTRACTION_BATCH), so
# pastes and API calls arriving faster than the workers extract are parsed together. Off with
# the immediate backend: there the task runs inside the request that queued it.
FACTCHECK_EXTRACTION_TAKE_ALONG = envbool(
    "FACTCHECK_EXTRACTION_TAKE_ALONG", "0" if TASKS_BACKEND.endswith("ImmediateBackend") else "1")
FACTCHECK_FEED_MAX_ENTRIES = envint("FACTCHECK_FEED_MAX_ENTRIES", 50)  # articles fetched per poll

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "queue"
LOGOUT_REDIRECT_URL = "login"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "0")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "factcheck@localhost")

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"

# --- Security --------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while a lockout is in force
    "django.contrib.auth.backends.ModelBackend",
]
# 5 failures for one (username, IP) pair within 15 minutes lock that pair for 15 minutes; a
# lockout from one address does not lock the user out from another.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_IPWARE_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0) or None
# Failed logins from one address across all usernames (password spraying): axes has one
# limit for all its rules, so this higher one is ours (factcheck/security.py).
LOGIN_IP_FAILURE_LIMIT = envint("LOGIN_IP_FAILURE_LIMIT", 30)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("SESSION_ABSOLUTE_HOURS", 12) * 3600  # absolute limit
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 60)  # logged out after this long idle
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "0" if DEBUG else "1")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "0" if DEBUG else "1")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "0" if DEBUG else "1")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "0" if DEBUG else "1")
if envbool("BEHIND_TLS_PROXY", "0"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health checks come over plain HTTP from the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# No inline script or style anywhere; htmx runs without eval (see templates/base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
