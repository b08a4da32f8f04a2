"""API tokens expire, can be revoked, record their last use and carry a scope (read / write).

Reproduces the hardening issue's "API tokens never expire": a token made today still opened the
API years later and could write whatever its user could.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from typer.testing import CliRunner

from broadfront import clock
from broadfront.cli.main import app
from broadfront.exceptions import NotFoundError, PermissionDeniedError, ValidationError
from broadfront.web.common.models import ApiToken
from broadfront.web.common.services import (
    TokenRefusedError,
    do_create_api_token,
    do_revoke_api_token,
    user_for_token,
)

runner = CliRunner()


def api(key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_a_new_token_lasts_ninety_days_and_may_write_by_default(world):
    key = do_create_api_token(world.ana, world.ana)
    token = ApiToken.objects.get(user=world.ana)
    assert token.scope == "write"
    assert token.expires_at is not None
    assert abs(token.expires_at - (clock.now() + dt.timedelta(days=90))) < dt.timedelta(minutes=1)
    assert key.startswith("bf_") and token.prefix == key[3:11]


@pytest.mark.parametrize("days", [0, -1, 3651, 10**9])
def test_a_lifetime_outside_one_day_to_ten_years_is_refused_by_name(world, days):
    with pytest.raises(ValidationError) as err:
        do_create_api_token(world.ana, world.ana, expires_in_days=days)
    assert err.value.parameter == "expires_in_days"


def test_an_unknown_scope_is_refused_by_name(world):
    with pytest.raises(ValidationError) as err:
        do_create_api_token(world.ana, world.ana, scope="admin")
    assert err.value.parameter == "scope"


def test_each_use_records_the_time(world, time_machine):
    time_machine.move_to(clock.now(), tick=False)
    key = do_create_api_token(world.ana, world.ana)
    assert api(key).get("/api/organizations").status_code == 200
    assert ApiToken.objects.get().last_used_at == clock.now()


def test_an_expired_token_is_refused_with_401_and_the_documented_body(world, time_machine):
    time_machine.move_to(clock.now(), tick=False)
    key = do_create_api_token(world.ana, world.ana, expires_in_days=7)
    time_machine.shift(dt.timedelta(days=7, seconds=-1))
    assert api(key).get("/api/organizations").status_code == 200
    time_machine.shift(dt.timedelta(seconds=1))
    response = api(key).get("/api/organizations")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthenticated" and "expired on" in body["message"]
    assert set(body) == {"code", "message"}


def test_a_revoked_token_is_refused_with_401(world):
    key = do_create_api_token(world.ana, world.ana)
    assert api(key).get("/api/organizations").status_code == 200
    do_revoke_api_token(world.ana, world.ana, key[3:11])
    response = api(key).get("/api/organizations")
    assert response.status_code == 401
    assert response.json() == {"code": "unauthenticated",
                               "message": f"this API token (bf_{key[3:11]}...) was revoked"}


def test_only_the_owner_or_a_site_operator_revokes_and_the_prefix_must_match(world):
    key = do_create_api_token(world.ana, world.ana)
    with pytest.raises(PermissionDeniedError):
        do_revoke_api_token(world.omar, world.ana, key[3:11])
    with pytest.raises(NotFoundError):
        do_revoke_api_token(world.ana, world.ana, "nothing1")
    do_revoke_api_token(world.ana, world.ana, "bf_" + key[3:11])
    with pytest.raises(NotFoundError):  # already revoked
        do_revoke_api_token(world.ana, world.ana, key[3:11])


def test_a_read_token_reads_but_every_write_method_is_refused_with_403(world):
    key = do_create_api_token(world.ana, world.ana, scope="read")
    reader = api(key)
    assert reader.get("/api/people").status_code == 200
    for response in (
        reader.post("/api/people", {"given_name": "Zed"}, content_type="application/json"),
        reader.put("/api/decisions/1/impacts", {}, content_type="application/json"),
    ):
        assert response.status_code == 403
        body = response.json()
        assert body["code"] == "forbidden" and "read scope" in body["message"]
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        with pytest.raises(PermissionDeniedError):
            user_for_token(key, method)
    for method in ("GET", "HEAD", "OPTIONS"):
        assert user_for_token(key, method) == world.ana


def test_a_write_token_still_writes(world):
    key = do_create_api_token(world.ana, world.ana, scope="write")
    response = api(key).post("/api/people", {"given_name": "Zed", "organization": "northside"},
                             content_type="application/json")
    assert response.status_code == 201, response.content


def test_a_token_of_a_deactivated_user_is_refused(world):
    key = do_create_api_token(world.ana, world.ana)
    world.ana.is_active = False
    world.ana.save()
    with pytest.raises(TokenRefusedError):
        user_for_token(key)


def test_the_command_line_creates_scoped_tokens_and_revokes_them(world):
    made = runner.invoke(app, ["token", "ana", "--name", "reports", "--scope", "read",
                               "--expires-in-days", "30"])
    assert made.exit_code == 0, made.output
    key = made.output.strip()
    token = ApiToken.objects.get(name="reports")
    assert token.scope == "read" and key[3:11] == token.prefix
    assert token.expires_at is not None and token.expires_at.date() == \
        (clock.now() + dt.timedelta(days=30)).date()
    revoked = runner.invoke(app, ["token", "ana", "--revoke", token.prefix])
    assert revoked.exit_code == 0, revoked.output
    assert revoked.output == f"Revoked API token bf_{token.prefix}... (reports) of ana.\n"
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize(("args", "says"), [
    (["--expires-in-days", "0"], "error: --expires-in-days must be between 1 and 3650, got 0"),
    (["--expires-in-days", "4000"],
     "error: --expires-in-days must be between 1 and 3650, got 4000"),
    (["--scope", "admin"], "error: --scope must be read or write, got 'admin'"),
    (["--revoke", "nothing1"], "error: ana has no live API token starting bf_nothing1"),
])
def test_the_command_line_refuses_bad_token_options_by_name(world, args, says):
    result = runner.invoke(app, ["token", "ana", *args])
    assert result.exit_code == 1
    assert result.output.strip() == says
