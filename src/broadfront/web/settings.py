"""Django settings for Broadfront, read from environment variables.

Every setting a deployment changes comes from one environment variable, read through a small
typed helper that fails loudly on a bad value. Storage defaults to a SQLite file
(``var/broadfront.sqlite3`` under the current directory) and switches to PostgreSQL (or any
database) when ``DATABASE_URL`` says so, e.g. ``postgresql://user@127.0.0.1:5432/broadfront``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from broadfront.exceptions import ValidationError

PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    """Return the environment variable ``name`` or ``default``."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable; anything but the usual spellings is an error."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValidationError(f"{name} must be true or false, got {raw!r}", parameter=name)


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def default_database_url() -> str:
    """The SQLite file used when ``DATABASE_URL`` is not set."""
    return f"sqlite:///{Path.cwd() / 'var' / 'broadfront.sqlite3'}"


def database_config(url: str) -> dict[str, object]:
    """Turn a database URL into Django's DATABASES entry, with a clear error on a bad one."""
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=0))
    except Exception as exc:  # dj_database_url raises plain exceptions on unknown schemes
        raise ValidationError(f"DATABASE_URL is not a database URL: {url!r} ({exc})",
                              parameter="DATABASE_URL") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        name = str(config["NAME"])
        if name not in ("", ":memory:"):
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    return config


DEBUG = env_bool("BROADFRONT_DEBUG", False)
SECRET_KEY = env_str("BROADFRONT_SECRET_KEY", "insecure-demo-key-change-me-" + "x" * 24)
ALLOWED_HOSTS = env_list("BROADFRONT_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("BROADFRONT_CSRF_TRUSTED_ORIGINS", [])

DATABASE_URL = env_str("DATABASE_URL", "") or default_database_url()
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
    "broadfront.web.common",
    "broadfront.web.organizations",
    "broadfront.web.accountability",
    "broadfront.web.landscape",
    "broadfront.web.bodies",
    "broadfront.web.campaigns",
    "broadfront.web.decisions",
    "broadfront.web.scenarios",
    "broadfront.web.dataio",
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
    "django_htmx.middleware.HtmxMiddleware",
    "broadfront.web.common.middleware.BroadfrontErrorPages",
]

ROOT_URLCONF = "broadfront.web.urls"
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("BROADFRONT_TIME_ZONE", "UTC")
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

# The cooling-off period (hours) for decisions triggered by a betrayal or a shock.
BROADFRONT_COOLING_OFF_HOURS = int(env_str("BROADFRONT_COOLING_OFF_HOURS", "48"))
