"""Two-step sign-in: a code from an authenticator app after the password.

Ana turns it on with a current code, then signs in with her password and a code; wrong codes
are refused and the fifth locks the step for 15 minutes; Ben, without it, signs in as before.
A site operator resets a lost phone from the command line or the admin. Codes are computed
as an authenticator app computes them (``django_otp.oath.totp`` over the device's key) on a
clock held still by time-machine.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from typer.testing import CliRunner

from broadfront.cli.main import app
from broadfront.conftest import FIXED_NOW, PASSWORD
from broadfront.exceptions import ConflictError, PermissionDeniedError, ValidationError
from broadfront.web.common.models import AuditEntry
from broadfront.web.common.two_factor import (
    CodeLockedError,
    do_confirm_totp,
    do_disable_totp,
    do_reset_totp,
    do_start_totp,
    do_verify_sign_in_code,
    has_two_factor,
    requires_two_factor,
    setup_details,
)

runner = CliRunner()
LOCKED = "Too many wrong codes; try again in 15 minutes"
PAGE = "/decisions/"


@pytest.fixture
def still(time_machine: Any) -> Any:
    """The clock held at the suite's fixed instant; ``still.shift(seconds)`` moves it."""
    time_machine.move_to(FIXED_NOW, tick=False)
    return time_machine


def code_now(device: TOTPDevice) -> str:
    """The code an authenticator app holding ``device``'s key shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):0{device.digits}d}"


def wrong(code: str) -> str:
    """A code that is not ``code``, nor the one before or after it (any 6 other digits)."""
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def turn_on(user: Any, still: Any) -> TOTPDevice:
    """Set up and confirm an authenticator for ``user``, then let the code change."""
    device = do_start_totp(user)
    do_confirm_totp(user, code_now(device))
    still.shift(dt.timedelta(seconds=90))  # the confirming code is spent; a new one shows
    device.refresh_from_db()
    return device


def sign_in(client: Client, username: str = "ana") -> Any:
    return client.post("/login/", {"username": username, "password": PASSWORD},
                       REMOTE_ADDR="198.51.100.7")


def actions(user: Any) -> list[str]:
    return list(AuditEntry.objects.filter(action__startswith="two_factor")
                .order_by("id").values_list("action", flat=True))


# --- the services ------------------------------------------------------------------------------

def test_ana_turns_it_on_with_a_current_code_from_her_app(world, still):
    device = do_start_totp(world.ana)
    assert not device.confirmed and not has_two_factor(world.ana)
    shown = setup_details(device)
    key = base64.b32decode(shown.secret.replace(" ", "") + "=" * (-len(shown.secret.replace(
        " ", "")) % 8))
    assert key == device.bin_key, "the key on the page is the device's key"
    assert shown.uri.startswith("otpauth://totp/Broadfront%3Aana?secret=")
    assert shown.qr_data_uri.startswith("data:image/svg+xml")
    confirmed = do_confirm_totp(world.ana, code_now(device))
    assert confirmed.pk == device.pk and confirmed.confirmed and has_two_factor(world.ana)
    assert actions(world.ana) == ["two_factor start", "two_factor enable"]
    entries = AuditEntry.objects.filter(action__startswith="two_factor")
    assert all(device.key not in str(e.changes) + e.summary for e in entries), \
        "the secret never enters the audit log"
    assert {e.organization_id for e in entries} == {world.northside.pk}


def test_a_wrong_or_malformed_code_does_not_turn_it_on(world, still):
    device = do_start_totp(world.ana)
    for bad in ("12345", "abcdef", "1234567", "", wrong(code_now(device))):
        with pytest.raises(ValidationError) as err:
            do_confirm_totp(world.ana, bad)
        assert err.value.parameter == "code"
    assert not has_two_factor(world.ana)
    spaced = code_now(device)
    do_confirm_totp(world.ana, f"{spaced[:3]} {spaced[3:]}")  # as apps show it: "123 456"
    assert has_two_factor(world.ana)


def test_starting_again_replaces_an_unconfirmed_secret_and_refuses_when_on(world, still):
    first = do_start_totp(world.ana)
    second = do_start_totp(world.ana)
    assert second.key != first.key
    assert list(TOTPDevice.objects.filter(user=world.ana).values_list("pk", flat=True)) == \
        [second.pk]
    turn_on(world.ana, still)
    with pytest.raises(ConflictError):
        do_start_totp(world.ana)


def test_a_code_is_accepted_once(world, still):
    device = do_start_totp(world.ana)
    code = code_now(device)
    do_confirm_totp(world.ana, code)
    with pytest.raises(ValidationError):
        do_verify_sign_in_code(world.ana, code)  # the same 30 seconds: already spent
    still.shift(dt.timedelta(seconds=30))
    assert do_verify_sign_in_code(world.ana, code_now(device)).pk == device.pk


def test_turning_it_off_needs_a_current_code(world, still):
    device = turn_on(world.ana, still)
    with pytest.raises(ValidationError):
        do_disable_totp(world.ana, wrong(code_now(device)))
    assert has_two_factor(world.ana)
    do_disable_totp(world.ana, code_now(device))
    assert not TOTPDevice.objects.filter(user=world.ana).exists()
    assert actions(world.ana)[-1] == "two_factor disable"


def test_five_wrong_codes_lock_the_step_for_fifteen_minutes(world, still):
    device = turn_on(world.ana, still)
    for _ in range(4):
        with pytest.raises(ValidationError):
            do_verify_sign_in_code(world.ana, wrong(code_now(device)))
    with pytest.raises(CodeLockedError) as err:
        do_verify_sign_in_code(world.ana, wrong(code_now(device)))
    assert str(err.value).startswith(LOCKED) and err.value.http_status == 429
    still.shift(dt.timedelta(minutes=14, seconds=59))
    with pytest.raises(CodeLockedError):
        do_verify_sign_in_code(world.ana, code_now(device))  # right, but not even checked
    still.shift(dt.timedelta(seconds=1))
    assert do_verify_sign_in_code(world.ana, code_now(device)).pk == device.pk
    assert "two_factor locked" in actions(world.ana)


def test_wrong_codes_far_apart_do_not_add_up(world, still):
    device = turn_on(world.ana, still)
    for _ in range(8):
        with pytest.raises(ValidationError):
            do_verify_sign_in_code(world.ana, wrong(code_now(device)))
        still.shift(dt.timedelta(minutes=16))
    assert do_verify_sign_in_code(world.ana, code_now(device)).pk == device.pk


def test_only_a_site_operator_resets_someone_elses(world, still):
    turn_on(world.ana, still)
    with pytest.raises(PermissionDeniedError):
        do_reset_totp(world.omar, world.ana)
    assert has_two_factor(world.ana)
    assert do_reset_totp(None, world.ana) == 1
    assert not has_two_factor(world.ana)
    entry = AuditEntry.objects.get(action="two_factor reset")
    assert entry.changes == {"user": "ana", "devices_removed": 1}


@pytest.mark.parametrize(("setting", "ana", "ben", "root"), [
    ("", False, False, False),
    ("organizer", True, False, True),
    ("admin", False, False, True),
])
def test_who_must_use_it(world, settings, setting, ana, ben, root):
    from django.contrib.auth.models import User

    settings.BROADFRONT_REQUIRE_TWO_FACTOR_FOR = setting
    operator = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    assert (requires_two_factor(world.ana), requires_two_factor(world.ben),
            requires_two_factor(operator)) == (ana, ben, root)


def test_the_setting_refuses_another_role(monkeypatch):
    import runpy
    from pathlib import Path

    from django.core.exceptions import ImproperlyConfigured

    import broadfront.web.settings as module

    monkeypatch.setenv("BROADFRONT_REQUIRE_TWO_FACTOR_FOR", "viewer")
    with pytest.raises(ImproperlyConfigured, match="BROADFRONT_REQUIRE_TWO_FACTOR_FOR .*'viewer'"):
        runpy.run_path(str(Path(module.__file__)))
    monkeypatch.setenv("BROADFRONT_REQUIRE_TWO_FACTOR_FOR", "admin")
    assert runpy.run_path(str(Path(module.__file__)))["BROADFRONT_REQUIRE_TWO_FACTOR_FOR"] == \
        "admin"


# --- signing in through the pages --------------------------------------------------------------

@pytest.mark.parametrize("path", ["/account/two-factor/", "/login/code/"])
def test_signed_out_visitors_are_sent_to_log_in(client, world, path):
    for response in (client.get(path), client.post(path, {"action": "start",
                                                          "code": "123456"})):
        assert response.status_code == 302 and response.url.startswith("/login/?next=")
    assert not TOTPDevice.objects.exists()


def test_ben_without_it_signs_in_as_before(client, world):
    response = sign_in(client, "ben")
    assert response.status_code == 302 and response.url == "/"
    assert client.get(PAGE).status_code == 200


def test_ana_enters_a_code_after_her_password(client, world, still):
    device = turn_on(world.ana, still)
    response = sign_in(client)
    assert response.status_code == 302
    gated = client.get(PAGE)
    assert gated.status_code == 302 and gated.url == f"/login/code/?next={PAGE.replace('/', '%2F')}"
    for path in ("/", "/account/two-factor/", "/admin/", "/data/"):
        assert client.get(path).url.startswith("/login/code/"), path
    page = client.get(gated.url)
    assert page.status_code == 200 and "enter the 6-digit code your authenticator app" in page.content.decode()

    refused = client.post("/login/code/", {"code": wrong(code_now(device)), "next": PAGE})
    assert refused.status_code == 200
    assert "that code did not match" in refused.content.decode()
    assert client.get(PAGE).status_code == 302, "still not through"

    done = client.post("/login/code/", {"code": code_now(device), "next": PAGE})
    assert done.status_code == 302 and done.url == PAGE
    assert client.get(PAGE).status_code == 200
    assert client.get("/login/code/").status_code == 302, "nothing more to enter"


def test_the_code_page_sends_nowhere_else(client, world, still):
    device = turn_on(world.ana, still)
    sign_in(client)
    done = client.post("/login/code/", {"code": code_now(device),
                                        "next": "https://evil.example.org/"})
    assert done.status_code == 302 and done.url == "/"


def test_wrong_codes_at_the_code_step_are_throttled_with_a_clear_message(client, world, still):
    device = turn_on(world.ana, still)
    sign_in(client)
    statuses = [client.post("/login/code/", {"code": wrong(code_now(device))}).status_code
                for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    locked = client.post("/login/code/", {"code": code_now(device)})
    assert locked.status_code == 429 and LOCKED in locked.content.decode()
    assert client.get(PAGE).status_code == 302
    assert client.get("/login/code/").status_code == 429, "the page says so before a try"
    still.shift(dt.timedelta(minutes=15))
    assert client.post("/login/code/", {"code": code_now(device)}).status_code == 302
    assert client.get(PAGE).status_code == 200


def test_a_session_owing_a_code_may_log_out(client, world, still):
    turn_on(world.ana, still)
    sign_in(client)
    response = client.post("/logout/")
    assert response.status_code == 302 and response.url == "/login/"
    assert "_auth_user_id" not in client.session


def test_htmx_requests_are_sent_to_the_code_step_with_hx_redirect(client, world, still):
    turn_on(world.ana, still)
    sign_in(client)
    response = client.get(PAGE, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/login/code/")


def test_the_api_with_that_session_is_refused_but_a_token_is_the_second_factor(
        client, world, still):
    from broadfront.web.common.services import do_create_api_token

    turn_on(world.ana, still)
    sign_in(client)
    refused = client.get("/api/organizations")
    assert refused.status_code == 403
    assert refused.json()["code"] == "two_factor_required"
    key = do_create_api_token(world.ana, world.ana)
    token = Client().get("/api/organizations", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert token.status_code == 200


def test_turning_it_on_elsewhere_asks_open_sessions_for_a_code(client, world, still):
    sign_in(client)
    assert client.get(PAGE).status_code == 200
    turn_on(world.ana, still)
    assert client.get(PAGE).url.startswith("/login/code/")


# --- the page "Two-step sign-in" ---------------------------------------------------------------

def test_ana_turns_it_on_and_off_on_the_page(client, world, still):
    sign_in(client)
    off = client.get("/account/two-factor/").content.decode()
    assert "Two-step sign-in is off" in off
    assert client.get("/").content.decode().count('href="/account/two-factor/"') == 1, \
        "linked from the page header"

    started = client.post("/account/two-factor/", {"action": "start"})
    assert started.status_code == 302
    page = client.get("/account/two-factor/").content.decode()
    device = TOTPDevice.objects.get(user=world.ana)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert secret[:4] + " " + secret[4:8] in page
    assert 'src="data:image/svg+xml' in page

    refused = client.post("/account/two-factor/", {"action": "confirm", "code": "000000"
                                                   if code_now(device) != "000000" else "111111"})
    assert "that code did not match" in refused.content.decode()
    assert not has_two_factor(world.ana)

    client.post("/account/two-factor/", {"action": "confirm", "code": code_now(device)})
    assert has_two_factor(world.ana)
    on = client.get("/account/two-factor/").content.decode()
    assert "Two-step sign-in is on" in on and secret[:4] + " " + secret[4:8] not in on
    assert client.get(PAGE).status_code == 200, "this session entered a code: verified"

    still.shift(dt.timedelta(seconds=60))
    client.post("/account/two-factor/", {"action": "disable", "code": code_now(device)})
    assert not has_two_factor(world.ana)
    assert "Two-step sign-in is off" in client.get("/account/two-factor/").content.decode()


def test_organizers_must_set_it_up_when_the_setting_says_so(client, world, settings, still):
    settings.BROADFRONT_REQUIRE_TWO_FACTOR_FOR = "organizer"
    sign_in(client)
    sent = client.get(PAGE)
    assert sent.status_code == 302 and sent.url.startswith("/account/two-factor/?next=")
    assert "Your role requires two-step sign-in" in client.get(sent.url).content.decode()
    ben = Client()
    sign_in(ben, "ben")
    assert ben.get(PAGE).status_code == 200, "a viewer is not obliged"

    client.post("/account/two-factor/", {"action": "start"})
    device = TOTPDevice.objects.get(user=world.ana)
    done = client.post("/account/two-factor/", {"action": "confirm", "code": code_now(device),
                                                "next": PAGE})
    assert done.status_code == 302 and done.url == PAGE
    assert client.get(PAGE).status_code == 200


# --- site operators ----------------------------------------------------------------------------

def test_a_site_operator_resets_a_lost_phone_from_the_command_line(client, world, still):
    turn_on(world.ana, still)
    result = runner.invoke(app, ["reset-two-factor", "ana"])
    assert result.exit_code == 0, result.output
    assert result.output == ("Two-step sign-in of ana is off; the password alone signs in until "
                             "it is set up again.\n")
    sign_in(client)
    assert client.get(PAGE).status_code == 200, "the password alone signs her in"
    assert AuditEntry.objects.filter(action="two_factor reset", actor=None).count() == 1
    assert runner.invoke(app, ["reset-two-factor", "ana"]).output == \
        "ana had no two-step sign-in.\n"
    nobody = runner.invoke(app, ["reset-two-factor", "nobody"])
    assert nobody.exit_code == 1 and nobody.output == "error: no user named 'nobody'\n"


def test_only_superusers_see_devices_in_the_admin_and_a_deletion_is_audited(world, still):
    from django.contrib.auth.models import Permission, User

    device = turn_on(world.ana, still)
    staff = world.omar
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="totpdevice"))
    outsider = Client()
    outsider.force_login(staff)
    assert outsider.get("/admin/otp_totp/totpdevice/").status_code == 403
    assert outsider.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").status_code in (
        302, 403)
    assert "otp_totp" not in outsider.get("/admin/").content.decode()

    operator = Client()
    operator.force_login(User.objects.create_superuser("root", "root@example.org", PASSWORD))
    listing = operator.get("/admin/otp_totp/totpdevice/")
    assert listing.status_code == 200 and "ana" in listing.content.decode()
    change = operator.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in change, "the secret is never shown"
    operator.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not has_two_factor(world.ana)
    entry = AuditEntry.objects.get(action="admin delete", model="otp_totp.TOTPDevice")
    assert device.key not in str(entry.changes)
