"""Two-step sign-in pages and the gate that sends an unverified session to the code step.

``/account/two-factor/`` turns it on (start, show the secret, confirm with a code) and off;
``/login/code/`` is the sign-in's second step. :class:`TwoFactorGate` (a middleware, after
django-otp's ``OTPMiddleware``) answers every other request of a session that still owes a
code, or whose user must set two-step sign-in up first, with a redirect to the right page.
The logic lives in :mod:`broadfront.web.common.two_factor`; these views read the form, call
one service and render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from broadfront.exceptions import BroadfrontError, ValidationError
from broadfront.web.common import two_factor
from broadfront.web.common.two_factor import CodeLockedError

CODE_URL_NAME = "two-factor-code"
SETUP_URL_NAME = "two-factor"


def _next_url(request: HttpRequest) -> str:
    """The page to go to afterwards: ``next`` when it is on this site, else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def _with_next(url: str, target: str) -> str:
    return f"{url}?{urlencode({'next': target})}" if target else url


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """The page "Two-step sign-in": turn it on (start, scan, confirm) or off."""
    user = request.user
    here = _with_next(reverse(SETUP_URL_NAME), request.POST.get("next")
                      or request.GET.get("next", ""))
    error = ""
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        code = request.POST.get("code", "")
        try:
            if action == "start":
                two_factor.do_start_totp(user)
                return redirect(here)
            if action == "confirm":
                device = two_factor.do_confirm_totp(user, code)
                django_otp.login(request, device)
                request.session.cycle_key()
                messages.success(request, "Two-step sign-in is on: from now on Broadfront asks "
                                          "for a code from your app after your password.")
                if request.POST.get("next"):
                    return HttpResponseRedirect(_next_url(request))
                return redirect(here)
            if action == "disable":
                two_factor.do_disable_totp(user, code)
                messages.success(request, "Two-step sign-in is off: your password alone signs "
                                          "you in.")
                return redirect(reverse(SETUP_URL_NAME))
            raise ValidationError(f"unknown action {action!r}", parameter="action")
        except CodeLockedError as exc:
            error, status = str(exc), 429
        except BroadfrontError as exc:
            error, status = str(exc), 200
            if not isinstance(exc, ValidationError):
                status = exc.http_status
    device = two_factor.confirmed_device(user)
    pending = None if device is not None else two_factor.pending_device(user)
    return render(request, "two_factor/setup.html", {
        "device": device,
        "setup": two_factor.setup_details(pending) if pending is not None else None,
        "required": two_factor.requires_two_factor(user),
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "error": error,
    }, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a current code from the user's authenticator app."""
    user = request.user
    if two_factor.next_step(user) != "code":
        return HttpResponseRedirect(_next_url(request))
    error = ""
    status = 200
    if request.method == "POST":
        try:
            device = two_factor.do_verify_sign_in_code(user, request.POST.get("code", ""))
        except CodeLockedError as exc:
            error, status = str(exc), 429
        except ValidationError as exc:
            error = str(exc)
        else:
            django_otp.login(request, device)
            request.session.cycle_key()
            return HttpResponseRedirect(_next_url(request))
    else:
        device = two_factor.confirmed_device(user)
        ends = two_factor.lock_ends(device) if device is not None else None
        if ends is not None:
            error, status = two_factor.locked_message(ends), 429
    return render(request, "two_factor/code.html", {
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "error": error,
        "locked": status == 429,
    }, status=status)


class TwoFactorGate:
    """Send a signed-in session that owes a code (or a set-up) to that page first.

    A session whose user has a confirmed authenticator and has not entered a code reaches
    only the code step and logging out; a user obliged to use two-step sign-in
    (``BROADFRONT_REQUIRE_TWO_FACTOR_FOR``) without an authenticator reaches only the set-up
    page and logging out. Pages get a redirect (HTMX requests an ``HX-Redirect``); the API,
    called with that session, gets 403 ``{"code": "two_factor_required", ...}``. A request
    with an ``Authorization: Bearer`` token is left to the API: the token is its second
    factor.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        blocked = self._blocked(request)
        return blocked if blocked is not None else self.get_response(request)

    def _blocked(self, request: HttpRequest) -> HttpResponse | None:
        user: Any = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        path = request.path
        if path.startswith("/api/") and \
                request.headers.get("Authorization", "").lower().startswith("bearer "):
            return None
        step = two_factor.next_step(user)
        if step is None:
            return None
        target = reverse(CODE_URL_NAME if step == "code" else SETUP_URL_NAME)
        if path in (target, reverse("logout")):
            return None
        if path.startswith("/api/"):
            what = ("enter your sign-in code at /login/code/" if step == "code"
                    else "set up two-step sign-in at /account/two-factor/")
            return JsonResponse({"code": "two_factor_required",
                                 "message": f"{what} first, or use an API token"}, status=403)
        back = ""
        if request.method in ("GET", "HEAD") and path != reverse("login"):
            back = request.get_full_path()
        url = _with_next(target, back)
        if request.headers.get("HX-Request") == "true":
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)
