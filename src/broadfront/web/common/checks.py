"""Broadfront's own system checks: the secret key.

The shipped demo key is public (it is in this repository), so it may sign sessions only in demo
mode (``BROADFRONT_DEMO=true``, set by ``broadfront demo``). Without ``BROADFRONT_SECRET_KEY``
and outside demo mode, settings sign with a random key of the process's own, ``broadfront
serve`` refuses to start unless ``BROADFRONT_DEBUG`` is on, and ``check --deploy`` fails.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

KEY_HINT = ("Set BROADFRONT_SECRET_KEY to a long random value of your own, e.g. the output of "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'.")


def secret_key_problem() -> str | None:
    """What is wrong with the secret key for a real deployment, or None when nothing is."""
    if settings.SECRET_KEY == settings.DEMO_SECRET_KEY:
        if settings.DEMO_MODE:
            return ("BROADFRONT_SECRET_KEY is not set: demo mode (BROADFRONT_DEMO) signs with "
                    "the shipped demo key, which is public")
        return ("BROADFRONT_SECRET_KEY is the shipped demo key, which is public; it only "
                "works in demo mode")
    if settings.BROADFRONT_SECRET_KEY_SOURCE != "environment":
        return ("BROADFRONT_SECRET_KEY is not set: this process signs sessions with a random "
                "key of its own, so sign-ins end when it stops and other processes reject them")
    return None


@register(Tags.security)
def demo_key_outside_demo_mode(app_configs: Any, **kwargs: Any) -> list[Error]:
    """broadfront.E001: the public demo key set as the secret key outside demo mode."""
    if settings.SECRET_KEY == settings.DEMO_SECRET_KEY and not settings.DEMO_MODE:
        return [Error("BROADFRONT_SECRET_KEY is the shipped demo key, which is public; it "
                      "only works in demo mode (BROADFRONT_DEMO=true).", hint=KEY_HINT,
                      id="broadfront.E001")]
    return []


@register(Tags.security, deploy=True)
def secret_key_for_deployment(app_configs: Any, **kwargs: Any) -> list[Error]:
    """broadfront.E002 (``check --deploy``): a deployment without a secret key of its own."""
    problem = secret_key_problem()
    if problem is None:
        return []
    return [Error(problem + ".", hint=KEY_HINT, id="broadfront.E002")]
