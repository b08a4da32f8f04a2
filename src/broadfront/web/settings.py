"""Django settings for Broadfront, read from environment variables.

Every setting a deployment changes comes from one environment variable, read once, here,
through a small typed helper (``env_str``, ``env_bool``, ``env_int``, ``env_list``,
``env_choice``, ``env_time_zone``, ``env_database_url``) with its default beside it. A bad
value stops the process as it starts: the helper raises Django's ``ImproperlyConfigured``
naming the variable and the value (the CLI prints it as ``error: ...``). Code elsewhere reads
``settings.BROADFRONT_...`` directly, never with a fallback of its own; every variable is
listed in the README's configuration table. Storage defaults to a SQLite file
(``var/broadfront.sqlite3`` under the current directory) and switches to PostgreSQL (or any
database) when ``DATABASE_URL`` says so, e.g. ``postgresql://user@127.0.0.1:5432/broadfront``.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def _raw(name: str) -> str | None:
    """The variable's value, or None when it is unset or blank."""
    raw = os.environ.get(name)
    return None if raw is None or raw.strip() == "" else raw


def env_str(name: str, default: str) -> str:
    """The environment variable ``name`` (surrounding spaces removed), or ``default``."""
    raw = _raw(name)
    return default if raw is None else raw.strip()


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable (1/0, true/false, yes/no, on/off); anything else is an error."""
    raw = _raw(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_int(name: str, default: int, low: int, high: int) -> int:
    """Read a whole number in ``low..high``; anything else is an error naming the variable."""
    raw = _raw(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise ImproperlyConfigured(f"{name} must be between {low} and {high}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list (set but empty: the empty list)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """Read one of ``choices``; unset or blank reads as ``default``."""
    value = env_str(name, default)
    if value not in choices:
        shown = ", ".join(c or "empty" for c in choices)
        raise ImproperlyConfigured(f"{name} must be one of: {shown}; got {value!r}")
    return value


def env_time_zone(name: str, default: str) -> str:
    """Read an IANA time zone name (``America/Chicago``); an unknown one is an error."""
    import zoneinfo

    value = env_str(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name} must be a time zone name such as UTC or "
                                   f"America/Chicago, got {value!r}") from None
    return value


def default_database_url() -> str:
    """The SQLite file used when ``DATABASE_URL`` is not set."""
    return f"sqlite:///{Path.cwd() / 'var' / 'broadfront.sqlite3'}"


def database_config(url: str, name: str = "DATABASE_URL") -> dict[str, object]:
    """Turn a database URL into Django's DATABASES entry, with a clear error on a bad one."""
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=0))
    except Exception as exc:  # dj_database_url raises plain exceptions on unknown schemes
        raise ImproperlyConfigured(f"{name} is not a database URL: {url!r} ({exc})") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        path = str(config["NAME"])
        if path not in ("", ":memory:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    return config


def env_database_url(name: str) -> str:
    """Read a database URL (checked by :func:`database_config`); unset, the SQLite file."""
    return env_str(name, "") or default_database_url()


DEBUG = env_bool("BROADFRONT_DEBUG", False)

# --- The secret key -----------------------------------------------------------------------
# Demo mode (BROADFRONT_DEMO=true, which ``broadfront demo`` sets before the settings load) may
# sign with the shipped demo key, so demo sessions survive a restart. Outside demo mode the
# shipped key is never used: set as BROADFRONT_SECRET_KEY it is refused here; without
# BROADFRONT_SECRET_KEY the process signs with a random key of its own (sessions end when it
# stops), ``broadfront serve`` refuses to start unless BROADFRONT_DEBUG is on, and ``check
# --deploy`` fails (broadfront/web/common/checks.py).
DEMO_MODE = env_bool("BROADFRONT_DEMO", False)
DEMO_SECRET_KEY = "insecure-demo-key-change-me-" + "x" * 24
_SECRET_KEY_FROM_ENV = env_str("BROADFRONT_SECRET_KEY", "").strip()
if _SECRET_KEY_FROM_ENV == DEMO_SECRET_KEY and not DEMO_MODE:
    raise ImproperlyConfigured("BROADFRONT_SECRET_KEY is the shipped demo key, which is public; "
                               "it only works in demo mode (BROADFRONT_DEMO=true)")
if _SECRET_KEY_FROM_ENV:
    SECRET_KEY = _SECRET_KEY_FROM_ENV
    BROADFRONT_SECRET_KEY_SOURCE = "environment"
elif DEMO_MODE:
    SECRET_KEY = DEMO_SECRET_KEY
    BROADFRONT_SECRET_KEY_SOURCE = "demo"
else:
    SECRET_KEY = secrets.token_urlsafe(50)
    BROADFRONT_SECRET_KEY_SOURCE = "random"
ALLOWED_HOSTS = env_list("BROADFRONT_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("BROADFRONT_CSRF_TRUSTED_ORIGINS", [])

DATABASE_URL = env_database_url("DATABASE_URL")
DATABASES = {"default": database_config(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "broadfront.web.common",
    "broadfront.web.organizations",
    "broadfront.web.accountability",
    "broadfront.web.landscape",
    "broadfront.web.bodies",
    "broadfront.web.campaigns",
    "broadfront.web.decisions",
    "broadfront.web.scenarios",
    "broadfront.web.dataio",
    "broadfront.web.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-step sign-in: which TOTP device verified this session, then the gate that sends a
    # session not yet verified to the code step (web/common/two_factor_views.py).
    "django_otp.middleware.OTPMiddleware",
    "broadfront.web.common.two_factor_views.TwoFactorGate",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "broadfront.web.common.middleware.BroadfrontErrorPages",
    # Last, as django-axes asks: turns a locked-out sign-in into the sign-in page's message.
    "axes.middleware.AxesMiddleware",
]

# --- Sign-in throttling (django-axes) -------------------------------------------------------
# BROADFRONT_LOGIN_FAILURE_LIMIT failed sign-ins (default 5) for one username from one address
# within BROADFRONT_LOGIN_LOCKOUT_MINUTES (default 15) lock that username at that address until
# that many minutes have passed without another failure (a failure during the lock restarts
# it). The lock is per username *and* address: a guesser cannot lock the real user out from
# her own address, and another user at the guesser's address is not affected. A site operator
# unlocks with ``broadfront unlock USERNAME`` or in the admin (Axes > Access attempts).
AUTHENTICATION_BACKENDS = [
    "broadfront.web.common.auth.ThrottledSignIn",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("BROADFRONT_LOGIN_FAILURE_LIMIT", 5, 1, 1000)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("BROADFRONT_LOGIN_LOCKOUT_MINUTES", 15, 1, 10080))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "broadfront.web.common.views.locked_out"
AXES_VERBOSE = False
# The client's address: REMOTE_ADDR, or (behind BROADFRONT_PROXY_COUNT reverse proxies that
# each append to X-Forwarded-For) the address the outermost trusted proxy saw.
BROADFRONT_PROXY_COUNT = env_int("BROADFRONT_PROXY_COUNT", 0, 0, 10)
if BROADFRONT_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = BROADFRONT_PROXY_COUNT
    AXES_IPWARE_PROXY_ORDER = "right-most"

# --- Two-step sign-in (django-otp, TOTP; see broadfront/web/common/two_factor.py) ------------
# A user with a confirmed authenticator enters its 6-digit code after the password. Wrong codes
# are throttled by the sign-in throttle's numbers: BROADFRONT_LOGIN_FAILURE_LIMIT wrong codes
# within BROADFRONT_LOGIN_LOCKOUT_MINUTES lock the code step for that many minutes (counted on
# the device row, so every process agrees); django-otp's own doubling delay is off.
# BROADFRONT_REQUIRE_TWO_FACTOR_FOR ("", "organizer" or "admin"): users with that role or higher
# in any organization, and superusers, must set it up before they use the site.
BROADFRONT_REQUIRE_TWO_FACTOR_FOR = env_choice("BROADFRONT_REQUIRE_TWO_FACTOR_FOR", "",
                                               ("", "organizer", "admin"))
OTP_TOTP_ISSUER = "Broadfront"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # site operators never see a user's secret or QR code

# --- Content-Security-Policy (django-csp) ----------------------------------------------------
# Scripts only from this site (no inline script, no eval): charts are drawn by
# static/broadfront/broadfront.js from JSON data blocks. Styles allow 'unsafe-inline' because
# Plotly injects its own <style> rules and sizes charts with style attributes, and templates
# use a few style attributes; see docs/security.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- HTTPS (BROADFRONT_HTTPS=true behind a TLS-terminating proxy) ---------------------------
# The proxy must set X-Forwarded-Proto to "https" on requests it received over HTTPS and must
# strip that header from what clients send; only then is SECURE_PROXY_SSL_HEADER safe.
BROADFRONT_HTTPS = env_bool("BROADFRONT_HTTPS", False)
if BROADFRONT_HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("BROADFRONT_HSTS_SECONDS", 31_536_000, 0, 63_072_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("BROADFRONT_HSTS_INCLUDE_SUBDOMAINS", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

ROOT_URLCONF = "broadfront.web.site.urls"
WSGI_APPLICATION = "broadfront.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "broadfront.web.common.context.navigation",
            ],
        },
    },
]

PASSWORD_MIN_LENGTH = 12
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_time_zone("BROADFRONT_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env_str("BROADFRONT_STATIC_ROOT", str(Path.cwd() / "var" / "static")))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# Exports are logged (who exported what, on stderr), not written to the audit log of changes.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "{asctime} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "loggers": {"broadfront.exports": {"handlers": ["console"], "level": "INFO"}},
}

# The cooling-off period (hours) for decisions triggered by a betrayal or a shock.
BROADFRONT_COOLING_OFF_HOURS = env_int("BROADFRONT_COOLING_OFF_HOURS", 48, 0, 8760)

# --- Background jobs (django-tasks, DEP 14; see broadfront/web/jobs) -------------------------
# BROADFRONT_TASKS_BACKEND: "database" (default: tasks are rows of this database, run by
# `broadfront worker`; SQLite for the demo, PostgreSQL for teams) or "immediate" (a task runs
# in the process that submits it, as soon as it is submitted: the test suite's default).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = env_choice("BROADFRONT_TASKS_BACKEND", "database", tuple(_TASK_BACKENDS))
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend], "QUEUES": ["default"]}}
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "broadfront.web.jobs"]
# A worker unseen this long (s) is lost: its running job is retried once, then failed.
BROADFRONT_JOB_LEASE_SECONDS = env_int("BROADFRONT_JOB_LEASE_SECONDS", 30, 10, 3600)
# The longest one job may run (s) before it is stopped and failed.
BROADFRONT_JOB_MAX_SECONDS = env_int("BROADFRONT_JOB_MAX_SECONDS", 1800, 10, 86400)
# Jobs one organization may have queued or running at once.
BROADFRONT_JOBS_PER_ORGANIZATION = env_int("BROADFRONT_JOBS_PER_ORGANIZATION", 3, 1, 100)
# Uploaded imports run as background jobs (sensible on PostgreSQL) instead of before the
# upload page answers (the default: SQLite allows one writer at a time).
BROADFRONT_IMPORT_IN_BACKGROUND = env_bool("BROADFRONT_IMPORT_IN_BACKGROUND", False)
# Scenario runs go to the background job queue (the default); off, they run before the
# page answers.
BROADFRONT_SCENARIO_RUNS_IN_BACKGROUND = env_bool("BROADFRONT_SCENARIO_RUNS_IN_BACKGROUND", True)
