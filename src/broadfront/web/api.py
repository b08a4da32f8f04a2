"""The REST API (django-ninja) at /api/, OpenAPI at /api/openapi.json.

Authentication: a session (the web app's login, with CSRF for writes) or a personal token
sent as ``Authorization: Bearer <token>``. Errors are JSON ``{"code": ..., "message": ...}``
with a 4xx status; ``code`` is stable and machine-readable. That holds for django-ninja's
own errors too (a failed CSRF check is 403 ``csrf_failed``, a body that cannot be parsed is
400 ``invalid``) and for numbers too large for the database (400 ``invalid``). JSON bodies
are read within the limits of :mod:`broadfront.web.limits` (size, depth, finite numbers).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, django_auth

from broadfront.exceptions import BroadfrontError, ValidationError
from broadfront.web.limits import parse_json


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``broadfront token``.

    An expired or revoked token answers 401, a read-scope token used to write 403 (both as
    ``{"code", "message"}``); an unknown one falls through to the session check.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from broadfront.web.common.services import user_for_token

        user = user_for_token(token, request.method or "GET")
        if user is not None:
            request.user = user
        return user


class BoundedJSONParser(Parser):
    """JSON bodies through :func:`broadfront.web.limits.parse_json` (size, depth, numbers)."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = parse_json(request.body)
        if data is None:  # a body of ``null`` is not "no options"
            raise ValidationError("the body must be a JSON object, got null", parameter="body")
        return data


api = NinjaAPI(
    title="Broadfront API",
    version="1",
    description="Organization-scoped access to Broadfront's records and engines.",
    urls_namespace="api",
    auth=[TokenAuth(), django_auth],
    parser=BoundedJSONParser(),
)

#: Stable codes of django-ninja's own HTTP errors, by status.
_HTTP_ERROR_CODES = {400: "invalid", 401: "unauthenticated", 403: "forbidden",
                     404: "not_found", 405: "method_not_allowed", 413: "too_large",
                     429: "throttled"}


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


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja's own errors (CSRF, an unreadable body) in the documented format."""
    if isinstance(exc.__cause__, BroadfrontError):  # raised by the body parser
        return _broadfront_error(request, exc.__cause__)
    if exc.status_code == 403 and "csrf" in str(exc).lower():
        return _error(request, 403, "csrf_failed",
                      "CSRF check failed: with a session, send the csrftoken cookie's value in "
                      "the X-CSRFToken header; or authenticate with an API token")
    if exc.status_code == 400 and "body" in str(exc).lower():
        return _error(request, 400, "invalid", "the body is not valid JSON", field="body")
    code = _HTTP_ERROR_CODES.get(exc.status_code, "error")
    return _error(request, exc.status_code, code, str(exc))


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, "too_large", "the request body is too large")


@api.exception_handler(OverflowError)
def _overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """A number too large for the database or a float (an id beyond 64 bits, say)."""
    return _error(request, 400, "invalid", "a number in the request is out of range")


@api.exception_handler(DataError)
def _unstorable(request: HttpRequest, exc: DataError) -> HttpResponse:
    """A value the database refuses (a NUL character in a form field, a number out of its
    range): the request's fault, and nothing was written (the statement failed)."""
    return _error(request, 400, "invalid",
                  "a value in the request cannot be stored (a NUL character, or a number "
                  "out of range)")


# Each app with an ``api.py`` defining ``router`` is mounted at /api/ (paths are absolute).
API_MODULES = [
    "broadfront.web.organizations.api",
    "broadfront.web.site.api",
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
