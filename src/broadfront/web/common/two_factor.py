"""Two-step sign-in: a time-based one-time code (TOTP, RFC 6238) after the password.

A user turns it on from the page "Two-step sign-in" (``/account/two-factor/``):
:func:`do_start_totp` makes an unconfirmed authenticator (a ``django_otp`` ``TOTPDevice`` with
a random 20-byte secret) whose secret the page shows as a QR code and as text;
:func:`do_confirm_totp` confirms it with a current code from the user's app. From then on the
password alone leaves the session unverified: every page sends it to the code step
(``/login/code/``, :func:`do_verify_sign_in_code`) until a current code is entered.
:func:`do_disable_totp` turns it off (with a current code); a site operator resets a lost
phone with :func:`do_reset_totp` (``broadfront reset-two-factor USERNAME``).

Wrong codes are throttled on the device row, so every server process agrees: the sign-in
throttle's numbers (``AXES_FAILURE_LIMIT`` wrong codes, by default 5, with less than
``AXES_COOLOFF_TIME`` between them, by default 15 minutes) lock the code step for that long
after the last one (:class:`CodeLockedError`). A code is accepted once: django-otp refuses a
code of a time step at or before the last accepted one.

The API is not gated: a bearer token is the API's second factor (it is made by a signed-in
user or a site operator, stored hashed, expires and can be revoked). A *session* calling the
API is gated like a page.

Every change is audited (``two_factor start``, ``two_factor enable``, ``two_factor disable``,
``two_factor reset``, ``two_factor locked``); the secret never enters the audit log.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import segno
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from broadfront import clock
from broadfront.exceptions import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from broadfront.web.common import audit, permissions
from broadfront.web.common.tenancy import is_site_operator, own_org_ids

#: The name a confirmed authenticator is saved under.
DEVICE_NAME = "Authenticator app"

Step = Literal["code", "setup"]


class CodeLockedError(PermissionDeniedError):
    """Too many wrong codes: the code step is locked for a while (HTTP 429)."""

    code = "throttled"
    http_status = 429

    def __init__(self, message: str, *, until: dt.datetime) -> None:
        super().__init__(message)
        self.until = until


@dataclass(frozen=True)
class TotpSetup:
    """What the set-up page shows for an unconfirmed authenticator.

    Attributes
    ----------
    secret : str
        The secret in base 32, in groups of four letters (what a person types into an app).
    uri : str
        The ``otpauth://totp/...`` address the QR code holds.
    qr_data_uri : str
        The QR code as an SVG ``data:`` address, for an ``<img>`` (no script, no network).
    """

    secret: str
    uri: str
    qr_data_uri: str


# --- reading -----------------------------------------------------------------------------------

def confirmed_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user: Any) -> TOTPDevice | None:
    """The authenticator the user started to set up and has not confirmed, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def has_two_factor(user: Any) -> bool:
    """Whether ``user`` signs in with a code after the password."""
    if not getattr(user, "is_authenticated", False):
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def requires_two_factor(user: Any) -> bool:
    """Whether ``BROADFRONT_REQUIRE_TWO_FACTOR_FOR`` obliges ``user`` to use two-step sign-in.

    Empty (the default): nobody. ``organizer`` or ``admin``: users with that role or a higher
    one in any organization, and every superuser.
    """
    role = settings.BROADFRONT_REQUIRE_TWO_FACTOR_FOR
    if not role or not getattr(user, "is_authenticated", False):
        return False
    return is_site_operator(user) or bool(own_org_ids(user, role))


def next_step(user: Any) -> Step | None:
    """What a signed-in session must do before it may use the site.

    ``"code"``: the user has an authenticator and this session has not entered a code yet.
    ``"setup"``: the user must use two-step sign-in (:func:`requires_two_factor`) and has no
    authenticator. None: nothing (signed out, verified, or two-step sign-in not in use).
    ``user.otp_device`` (set by django-otp's middleware) is the device that verified the
    session.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "otp_device", None) is not None:
        return None
    if has_two_factor(user):
        return "code"
    if requires_two_factor(user):
        return "setup"
    return None


def setup_details(device: TOTPDevice) -> TotpSetup:
    """The secret, its ``otpauth://`` address and a QR code of it, for the set-up page."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    uri = device.config_url
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
    return TotpSetup(secret=grouped, uri=uri, qr_data_uri=qr)


def lock_ends(device: TOTPDevice) -> dt.datetime | None:
    """When the code step of ``device`` unlocks, or None when it is not locked."""
    stamp = device.throttling_failure_timestamp
    if stamp is None or device.throttling_failure_count < settings.AXES_FAILURE_LIMIT:
        return None
    ends = stamp + settings.AXES_COOLOFF_TIME
    return ends if clock.now() < ends else None


def locked_message(ends: dt.datetime) -> str:
    """What a locked code step says."""
    minutes = max(1, -(-int((ends - clock.now()).total_seconds()) // 60))
    return (f"Too many wrong codes; try again in {minutes} minute{'s' if minutes != 1 else ''} "
            "or ask a site operator to reset your two-step sign-in.")


# --- writing -----------------------------------------------------------------------------------

@transaction.atomic
def do_start_totp(user: Any) -> TOTPDevice:
    """Start setting up two-step sign-in: a new unconfirmed authenticator with a new secret.

    An earlier unconfirmed one is replaced (its secret may have been seen).

    Raises
    ------
    PermissionDeniedError
        ``user`` is not signed in.
    ConflictError
        Two-step sign-in is already on.
    """
    _signed_in(user)
    permissions.require_write(user, TOTPDevice(user=user), permissions.CREATE)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ConflictError("two-step sign-in is already on; turn it off first to change the "
                            "authenticator app")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    audit.record(user, "two_factor start", device, organization=_home_organization(user),
                 summary=f"{user} started setting up two-step sign-in")
    return device


def do_confirm_totp(user: Any, code: str) -> TOTPDevice:
    """Turn two-step sign-in on: check a current code of the authenticator being set up.

    Returns the confirmed device (the caller marks the session verified with it).

    Raises
    ------
    ValidationError
        ``code`` is not 6 digits, or is not a current code (parameter ``code``).
    NotFoundError
        No set-up was started (:func:`do_start_totp`).
    """
    _signed_in(user)
    permissions.require_write(user, TOTPDevice(user=user), permissions.CHANGE)
    digits = _clean(code)
    with transaction.atomic():
        device = (TOTPDevice.objects.select_for_update()
                  .filter(user=user, confirmed=False).order_by("-pk").first())
        if device is None:
            raise NotFoundError("no two-step sign-in set-up was started; start again")
        ok = device.verify_token(digits)
        if ok:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit.record(user, "two_factor enable", device,
                         organization=_home_organization(user),
                         changes={"confirmed": [False, True]},
                         summary=f"{user} turned on two-step sign-in")
    if not ok:
        raise ValidationError("that code did not match; enter the 6-digit code your app shows "
                              "now", parameter="code")
    return device


def do_verify_sign_in_code(user: Any, code: str) -> TOTPDevice:
    """The second step of signing in: check a current code of the user's authenticator.

    Returns the device that accepted it (the caller marks the session verified with it).

    Raises
    ------
    CodeLockedError
        Too many wrong codes; nothing is checked until the lock ends.
    ValidationError
        ``code`` is not 6 digits, or is wrong (parameter ``code``); a wrong code counts
        towards the lock.
    NotFoundError
        The user has no authenticator.
    """
    _signed_in(user)
    # a code, right or wrong, is written on the device (the time step or the wrong-code count)
    permissions.require_write(user, TOTPDevice(user=user), permissions.CHANGE)
    return _check_code(user, _clean(code))


def do_disable_totp(user: Any, code: str) -> None:
    """Turn two-step sign-in off, with a current code (throttled like signing in).

    Raises
    ------
    CodeLockedError, ValidationError, NotFoundError
        As :func:`do_verify_sign_in_code`.
    """
    _signed_in(user)
    permissions.require_write(user, TOTPDevice(user=user), permissions.DELETE)
    # The code is checked (and a wrong one counted) before, not inside, the transaction that
    # removes the device: an error raised there would roll the count back.
    device = _check_code(user, _clean(code))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit.record(user, "two_factor disable", device, organization=_home_organization(user),
                     changes={"confirmed": [True, None]},
                     summary=f"{user} turned off two-step sign-in ({device.name})")


@transaction.atomic
def do_reset_totp(actor: Any, user: Any) -> int:
    """Remove every authenticator of ``user`` (a lost phone); returns how many were removed.

    ``actor`` is a site operator, or None for the command line (run by whoever runs the
    site). The user signs in with the password alone afterwards and may set it up again.

    Raises
    ------
    PermissionDeniedError
        ``actor`` is not a site operator.
    """
    if actor is not None:  # None: the command line, run by whoever runs the site
        permissions.require_write(actor, TOTPDevice(user=user), permissions.DELETE)
        if not is_site_operator(actor):  # not even one's own: a reset skips the code
            raise PermissionDeniedError(
                "only a site operator may reset someone's two-step sign-in")
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        audit.record(actor, "two_factor reset", organization=_home_organization(user),
                     model=TOTPDevice._meta.label,
                     changes={"user": user.get_username(), "devices_removed": removed},
                     summary=f"two-step sign-in of {user} reset")
    return int(removed)


# --- helpers -----------------------------------------------------------------------------------

def _signed_in(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError("sign in first")


def _clean(code: str) -> str:
    digits = "".join(str(code or "").split())
    if len(digits) != 6 or not digits.isascii() or not digits.isdigit():
        raise ValidationError("enter the 6-digit code your authenticator app shows",
                              parameter="code")
    return digits


def _check_code(user: Any, digits: str) -> TOTPDevice:
    """Verify ``digits`` against the user's confirmed device, counting wrong codes.

    The count is written even when the code is wrong, so the error is raised after the
    transaction that saved it.
    """
    with transaction.atomic():
        device = (TOTPDevice.objects.select_for_update()
                  .filter(user=user, confirmed=True).order_by("pk").first())
        if device is None:
            raise NotFoundError(f"{user} has no two-step sign-in")
        ends = lock_ends(device)
        if ends is not None:
            raise CodeLockedError(locked_message(ends), until=ends)
        stamp = device.throttling_failure_timestamp
        if stamp is not None and clock.now() - stamp >= settings.AXES_COOLOFF_TIME:
            device.throttle_reset(commit=False)  # old failures no longer count
        ok = device.verify_token(digits)  # saves the count (or the accepted time step)
        ends = lock_ends(device)
        if ends is not None:
            audit.record(user, "two_factor locked", device,
                         organization=_home_organization(user),
                         changes={"wrong_codes": device.throttling_failure_count},
                         summary=f"code step of {user} locked after "
                                 f"{device.throttling_failure_count} wrong codes")
    if ok:
        return device
    if ends is not None:
        raise CodeLockedError(locked_message(ends), until=ends)
    raise ValidationError("that code did not match; enter the 6-digit code your app shows now",
                          parameter="code")


def _home_organization(user: Any) -> int | None:
    """The organization an entry about ``user``'s sign-in is filed under: their only one."""
    mine = own_org_ids(user)
    return next(iter(mine)) if len(mine) == 1 else None
