"""Signing in: throttled by username and address (django-axes), strong passwords only.

Reproduces M2 of the hardening issue: 30 wrong passwords in a row were all answered, then the
right one logged in. Now the fifth failure locks ``ana`` at that address for 15 minutes.
"""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.test import Client
from typer.testing import CliRunner

from broadfront import clock
from broadfront.cli.main import app
from broadfront.conftest import PASSWORD
from broadfront.exceptions import ValidationError
from broadfront.web.organizations.services import do_create_user

runner = CliRunner()
GUESSER = "203.0.113.9"
LOCKED = "Too many failed sign-ins; try again in 15 minutes or ask a site operator"


def sign_in(client: Client, username: str, password: str, address: str = GUESSER,
            path: str = "/login/") -> object:
    return client.post(path, {"username": username, "password": password},
                       REMOTE_ADDR=address)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def guess(client: Client, times: int, username: str = "ana") -> list[int]:
    return [sign_in(client, username, f"wrong-guess-{n}").status_code  # type: ignore[attr-defined]
            for n in range(times)]


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, world):
    statuses = guess(client, 30)
    assert statuses[:4] == [200] * 4, "the first four failures only say the password is wrong"
    assert set(statuses[4:]) == {429}, "from the fifth on, the lock answers"
    response = sign_in(client, "ana", PASSWORD)
    assert response.status_code == 429  # type: ignore[attr-defined]
    assert LOCKED in response.content.decode()  # type: ignore[attr-defined]
    assert not signed_in(client)


def test_the_lock_lifts_after_fifteen_minutes(client, world, time_machine):
    time_machine.move_to(clock.now(), tick=False)
    guess(client, 5)
    time_machine.shift(dt.timedelta(minutes=14))
    assert sign_in(client, "ana", PASSWORD).status_code == 429  # type: ignore[attr-defined]
    # That refused attempt counts as a failure during the lock: the 15 minutes start again.
    time_machine.shift(dt.timedelta(minutes=15, seconds=1))
    response = sign_in(client, "ana", PASSWORD)
    assert response.status_code == 302 and signed_in(client)  # type: ignore[attr-defined]


def test_a_site_operator_unlocks_with_the_command_line(client, world):
    guess(client, 5)
    assert sign_in(client, "ana", PASSWORD).status_code == 429  # type: ignore[attr-defined]
    result = runner.invoke(app, ["unlock", "ana"])
    assert result.exit_code == 0, result.output
    assert result.output == "Unlocked ana.\n"
    assert sign_in(client, "ana", PASSWORD).status_code == 302  # type: ignore[attr-defined]
    assert runner.invoke(app, ["unlock", "ana"]).output == "ana was not locked.\n"
    nobody = runner.invoke(app, ["unlock", "nobody"])
    assert nobody.exit_code == 1 and nobody.output == "error: no user named 'nobody'\n"


def test_a_site_operator_sees_and_clears_locks_in_the_admin(client, world):
    from axes.models import AccessAttempt
    from django.contrib.auth.models import User

    guess(client, 5)
    operator = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    admin = Client()
    admin.force_login(operator)
    page = admin.get("/admin/axes/accessattempt/")
    assert page.status_code == 200 and "ana" in page.content.decode()
    attempt = AccessAttempt.objects.get(username="ana")
    admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert sign_in(client, "ana", PASSWORD).status_code == 302  # type: ignore[attr-defined]


def test_the_lock_does_not_affect_another_user_at_the_same_address(client, world):
    guess(client, 30)
    response = sign_in(Client(), "ben", PASSWORD)
    assert response.status_code == 302  # type: ignore[attr-defined]


def test_a_guesser_cannot_lock_ana_out_of_her_own_address(client, world):
    guess(client, 30)
    ana = Client()
    response = sign_in(ana, "ana", PASSWORD, address="198.51.100.7")
    assert response.status_code == 302 and signed_in(ana)  # type: ignore[attr-defined]


def test_the_admin_sign_in_is_throttled_too(client, world):
    from django.contrib.auth.models import User

    User.objects.create_superuser("root", "root@example.org", PASSWORD)
    for n in range(5):
        sign_in(client, "root", f"wrong-{n}", path="/admin/login/")
    response = sign_in(client, "root", PASSWORD, path="/admin/login/")
    assert response.status_code == 429 and not signed_in(client)  # type: ignore[attr-defined]


def test_a_success_clears_the_earlier_failures(client, world):
    guess(client, 4)
    assert sign_in(client, "ana", PASSWORD).status_code == 302  # type: ignore[attr-defined]
    client.logout()
    assert guess(client, 4) == [200] * 4, "four more failures are allowed again"


def test_the_api_takes_no_password(client, world):
    basic = base64.b64encode(f"ana:{PASSWORD}".encode()).decode()
    response = client.get("/api/organizations", HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


# --- passwords --------------------------------------------------------------------------------

@pytest.mark.parametrize(("password", "says"), [
    ("eleven-char", "at least 12 characters"),
    ("123456789012345", "entirely numeric"),
    ("password1234", "too common"),
    ("zedediah-2026", "too similar"),
])
def test_weak_passwords_are_refused_by_name(world, password, says):
    with pytest.raises(ValidationError) as err:
        do_create_user(None, username="zedediah", password=password)
    assert err.value.parameter == "password"
    assert says in str(err.value) and str(err.value).startswith("password: ")


def test_a_password_of_twelve_characters_is_enough(world):
    user = do_create_user(None, username="zed", password="twelve-chars")
    assert user.check_password("twelve-chars")


def test_createuser_says_twelve_characters_and_refuses_fewer(world):
    assert "At least 12 characters" in runner.invoke(app, ["createuser", "--help"]).output
    result = runner.invoke(app, ["createuser", "zed", "--password", "short-pass"])
    assert result.exit_code == 1
    assert result.output.startswith("error: password: This password is too short. It must "
                                    "contain at least 12 characters.")
