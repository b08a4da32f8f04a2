"""The REST API (django-ninja) at /api/, OpenAPI at /api/openapi.json.

Authentication: a session (the web app's login, with CSRF for writes) or a personal token
sent as ``Authorization: Bearer <token>``. Errors are JSON ``{"code": ..., "message": ...}``
with a 4xx status; ``code`` is stable and machine-readable.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from broadfront.exceptions import BroadfrontError


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``broadfront token``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from broadfront.web.common.services import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Broadfront API",
    version="1",
    description="Organization-scoped access to Broadfront's records and engines.",
    urls_namespace="api",
    auth=[TokenAuth(), django_auth],
)


def _error(request: HttpRequest, status: int, code: str, message: str,
           **extra: Any) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(BroadfrontError)
def _broadfront_error(request: HttpRequest, exc: BroadfrontError) -> HttpResponse:
    extra = {}
    if getattr(exc, "parameter", None):
        extra["field"] = exc.parameter  # type: ignore[attr-defined]
    return _error(request, exc.http_status, exc.code, str(exc), **extra)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", str(exc) or "not found")


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(p) for p in first.get("loc", []) if p not in ("body", "payload"))
    message = f"{where}: {first.get('msg', 'invalid input')}" if where else "invalid input"
    return _error(request, 422, "invalid", message, errors=exc.errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "log in or send a valid API token")


# Each app with an ``api.py`` defining ``router`` is mounted at /api/ (paths are absolute).
API_MODULES = [
    "broadfront.web.organizations.api",
    "broadfront.web.accountability.api",
    "broadfront.web.landscape.api",
    "broadfront.web.bodies.api",
    "broadfront.web.campaigns.api",
    "broadfront.web.decisions.api",
    "broadfront.web.scenarios.api",
    "broadfront.web.dataio.api",
]


def _register_routers() -> None:
    import importlib

    for name in API_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # an app without an API yet
            if exc.name != name:
                raise
            continue
        api.add_router("/", module.router)


_register_routers()
