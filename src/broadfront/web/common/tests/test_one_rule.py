"""Every ``do_*`` service asks the one write rule (:mod:`broadfront.web.common.permissions`).

The services are found by introspection: every function named ``do_*`` defined in a module of
``broadfront.web``. Each one has an entry in ``CASES`` (how to call it on the page-test scene,
and which record it must ask the rule about) or in ``WRITES_NO_RECORD`` (with the reason); a
new service with neither fails :func:`test_every_service_has_an_entry`.

Two things are proved for every service: called as someone allowed, it asks
``permissions.require_write`` about the record it writes (its model, the action and whose
record it is); and when the rule refuses, the service refuses with the rule's error and
writes nothing, so the rule is the one that decides.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import importlib.util
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

import broadfront.web
from broadfront import clock
from broadfront.web.common import permissions
from broadfront.web.common.tests.factories import Scene, build_scene

# --- the services -----------------------------------------------------------------------------


def _services() -> dict[str, Callable[..., Any]]:
    """Every ``do_*`` function defined at the top of a module of the web layer, by name.

    The sources are read first (``ast``), and only the modules defining a ``do_*`` function
    are imported.
    """
    found: dict[str, Callable[..., Any]] = {}
    for info in pkgutil.walk_packages(broadfront.web.__path__, "broadfront.web."):
        parts = info.name.split(".")
        if "tests" in parts or "migrations" in parts:
            continue
        spec = importlib.util.find_spec(info.name)
        if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
            continue
        tree = ast.parse(Path(spec.origin).read_text())
        names = [node.name for node in tree.body
                 if isinstance(node, ast.FunctionDef) and node.name.startswith("do_")]
        if not names:
            continue
        module = importlib.import_module(info.name)
        for name in names:
            assert name not in found, f"two services named {name}"
            found[name] = getattr(module, name)
    return found


SERVICES = _services()

#: Services that write no record (nothing for the rule to decide), with the reason.
WRITES_NO_RECORD = {
    "do_export": "reads an organization's records into a file; logged, not a write",
}


# --- what each service is called with ------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """How to call one service as someone allowed, and the record it must ask the rule about.

    ``whose`` gives the organizations the record belongs to
    (:func:`~broadfront.web.common.permissions.subject_organization_ids`), or for a user's own
    record (API tokens, authenticators) the user's id.
    """

    label: str
    action: str
    call: Callable[[Scene], Any]
    whose: Callable[[Scene], Any]


def _operator() -> Any:
    return User.objects.filter(username="sam").first() or User.objects.create_superuser(
        "sam", "sam@example.org", "operator-passphrase-1234")


def _svc(name: str) -> Callable[..., Any]:
    return SERVICES[name]


def _days(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


def _contribution(s: Scene) -> Any:
    from broadfront.web.accountability.models import Contribution

    return Contribution.objects.get(organization=s.world.faith)


def _new_member(s: Scene) -> Any:
    from broadfront.web.organizations.models import Person

    return Person.objects.create(owner=s.world.northside, given_name="Nia", family_name="New")


def _open_decision(s: Scene) -> Any:
    from broadfront.web.decisions.models import Decision, Option

    decision = Decision.objects.create(organization=s.world.northside, question="Meet weekly?",
                                       rule="majority", state="open", opened_at=clock.now())
    Option.objects.create(decision=decision, label="Yes")
    return decision


def _scenario(s: Scene, shocks: list[dict[str, Any]] | None = None) -> Any:
    from broadfront.web.scenarios.models import Scenario
    from broadfront.web.scenarios.tests.fixtures import INDEPENDENT

    spec = {**INDEPENDENT, "shocks": shocks or []}
    return Scenario.objects.create(organization=s.world.northside, name="Plain", spec=spec,
                                   seed=1, draws=200)


def _race_scenario(s: Scene) -> Any:
    from broadfront.web.campaigns.models import Candidate
    from broadfront.web.scenarios import specs
    from broadfront.web.scenarios.models import Scenario
    from broadfront.web.scenarios.tests.fixtures import build_council

    council = build_council(s.world)
    Candidate.objects.create(campaign=council.race, person=council.bruno)
    built = specs.spec_from_race(s.world.ana, council.race, shares={
        "Alma Reyes": 0.38, "Byron Mayorson": 0.42, "Bruno Stahl": 0.20})
    return Scenario.objects.create(organization=s.world.northside, name="Race",
                                   spec=built.spec, race=council.race, seed=4, draws=200)


def _device(s: Scene, confirmed: bool = True) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=s.world.ana, name="app", confirmed=confirmed)


def _code(device: Any) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits):0{device.digits}d}"


def _people_file(tmp: Any) -> Any:
    from broadfront.formats import csvfiles

    path = tmp / "people.csv"
    header = csvfiles.template_header("people")
    row = {name: "" for name in header}
    row.update({"given_name": "Rosa", "family_name": "Alvarez", "email": "rosa@example.org"})
    path.write_text(",".join(header) + "\n" + ",".join(row[h] for h in header) + "\n")
    return path


def _north(s: Scene) -> list[int]:
    return [s.world.northside.pk]


def _faith(s: Scene) -> list[int]:
    return [s.world.faith.pk]


def _ana(s: Scene) -> int:
    return int(s.world.ana.pk)


_TMP: list[Any] = []  # the test's tmp_path, for the import case

CASES: dict[str, Case] = {
    # organizations
    "do_create_person": Case("organizations.person", "create", lambda s: _svc(
        "do_create_person")(s.world.ana, s.world.northside, given_name="Nia"), _north),
    "do_update_person": Case("organizations.person", "change", lambda s: _svc(
        "do_update_person")(s.world.ana, s.marta.pk, given_name="Martina"), _north),
    "do_delete_person": Case("organizations.person", "delete", lambda s: _svc(
        "do_delete_person")(s.world.ana, s.marta.pk), _north),
    "do_record_ladder_step": Case("organizations.leadershipstep", "create", lambda s: _svc(
        "do_record_ladder_step")(s.world.ana, s.marta, "chapter_leader", _days(0)), _north),
    "do_create_user": Case("organizations.organizationrole", "create", lambda s: _svc(
        "do_create_user")(_operator(), username="nadia", password="a-long-passphrase-4217",
                          organization=s.world.northside), _north),
    # accountability
    "do_create_commitment": Case("accountability.commitment", "create", lambda s: _svc(
        "do_create_commitment")(s.world.ana, partner=s.world.northside, unit="calls",
                                quantity=10, due_date=_days(30), campaign=s.campaign,
                                coalition=s.world.coalition), _north),
    "do_record_delivery": Case("accountability.delivery", "create", lambda s: _svc(
        "do_record_delivery")(s.world.ana, s.ours_open, quantity=5, delivered_on=_days(0)),
        _north),
    "do_create_event": Case("accountability.event", "create", lambda s: _svc(
        "do_create_event")(s.world.ana, organization=s.world.northside, name="Door knock",
                           starts_at=clock.now() + dt.timedelta(days=2)), _north),
    "do_record_attendance": Case("accountability.attendance", "create", lambda s: _svc(
        "do_record_attendance")(s.world.ana, s.prep, s.marta), _north),
    "do_claim_contribution": Case("accountability.contribution", "create", lambda s: _svc(
        "do_claim_contribution")(s.world.ana, organization=s.world.northside,
                                 campaign=s.campaign, outcome="Ordinance passed"), _north),
    "do_review_contribution": Case("accountability.contribution", "review", lambda s: _svc(
        "do_review_contribution")(s.world.cora, _contribution(s), "disputed"), _faith),
    # campaigns
    "do_set_targets": Case("campaigns.campaign", "change", lambda s: _svc(
        "do_set_targets")(s.world.ana, s.campaign, share="0.2"), _north),
    "do_form_squad": Case("campaigns.squad", "create", lambda s: _svc(
        "do_form_squad")(s.world.ana, s.campaign, organization=s.world.northside,
                         division=s.p2, name="Precinct 2 Squad"), _north),
    "do_record_recruit": Case("campaigns.recruit", "create", lambda s: _svc(
        "do_record_recruit")(s.world.ana, s.campaign, person=_new_member(s), division=s.p1),
        _north),
    "do_set_recruit_status": Case("campaigns.recruit", "change", lambda s: _svc(
        "do_set_recruit_status")(s.world.ana, s.campaign.recruits.get(person=s.marta),
                                 "attended"), _north),
    # a partner at the campaign's table phones in its precinct: the rule's `table` refinement
    "do_record_caucus_result": Case("campaigns.caucusresult", "create", lambda s: _svc(
        "do_record_caucus_result")(s.world.grace, s.campaign, division=s.p1,
                                   groups={"Bloc": 30, "Rest": 70}, delegates=5,
                                   our_subcaucus="Bloc"), _north),
    # decisions
    "do_create_decision": Case("decisions.decision", "create", lambda s: _svc(
        "do_create_decision")(s.world.ana, organization=s.world.northside, question="Why?",
                              options=["A", "B"]), _north),
    "do_set_impact": Case("decisions.impact", "create", lambda s: _svc(
        "do_set_impact")(s.world.ana, s.decision.options.get(label="Endorse"), "Renters",
                         upside=3), _north),
    "do_cast_ballot": Case("decisions.ballot", "change", lambda s: _svc(
        "do_cast_ballot")(s.world.ben, s.decision, role="member",
                          choice=s.decision.options.get(label="Endorse").pk), _north),
    "do_close_decision": Case("decisions.decision", "change", lambda s: _svc(
        "do_close_decision")(s.world.ana, _open_decision(s)), _north),
    "do_record_review": Case("decisions.review", "create", lambda s: _svc(
        "do_record_review")(s.world.ana, s.closed_decision, reviewed_on=_days(0),
                            actual={"Tenants": {"gained": 1}}), _north),
    # landscape
    "do_record_stance": Case("landscape.stance", "create", lambda s: _svc(
        "do_record_stance")(s.world.ana, issue=s.issue, score=1, assessed_on=_days(0),
                            evidence="Their vote", organization=s.world.westfield), _north),
    "do_record_relationship": Case("landscape.relationship", "create", lambda s: _svc(
        "do_record_relationship")(s.world.ana, kind="funds", source="A filing",
                                  source_organization=s.world.westfield,
                                  target_organization=s.world.faith), _north),
    # scenarios
    "do_save_scenario": Case("scenarios.scenario", "create", lambda s: _svc(
        "do_save_scenario")(s.world.ana, organization=s.world.northside, name="New",
                            spec=_scenario(s).spec), _north),
    "do_add_shock": Case("scenarios.scenario", "change", lambda s: _svc(
        "do_add_shock")(s.world.ana, _scenario(s), {"kind": "member_defects", "member": "B",
                                                   "probability": 0.3}), _north),
    "do_remove_shock": Case("scenarios.scenario", "change", lambda s: _svc(
        "do_remove_shock")(s.world.ana, _scenario(s, [{"kind": "member_defects", "member": "B",
                                                       "probability": 0.3}]), 0), _north),
    "do_set_probabilities": Case("scenarios.scenario", "change", lambda s: _svc(
        "do_set_probabilities")(s.world.ana, _scenario(s), {"C": 0.9}), _north),
    "do_copy_scenario": Case("scenarios.scenario", "create", lambda s: _svc(
        "do_copy_scenario")(s.world.ana, _scenario(s), "Copy"), _north),
    "do_delete_scenario": Case("scenarios.scenario", "delete", lambda s: _svc(
        "do_delete_scenario")(s.world.ana, _scenario(s)), _north),
    "do_set_race_rule": Case("scenarios.scenario", "change", lambda s: _svc(
        "do_set_race_rule")(s.world.ana, _race_scenario(s), rule="top_two", transfers={}),
        _north),
    "do_run_scenario": Case("scenarios.scenariorun", "create", lambda s: _svc(
        "do_run_scenario")(s.world.ana, _scenario(s), draws=200, seed=1), _north),
    "do_start_sweep": Case("scenarios.scenariosweep", "create", lambda s: _svc(
        "do_start_sweep")(s.world.ana, _scenario(s), draws=200, seed=1), _north),
    # imports
    "do_import": Case("organizations.person", "create", lambda s: _svc(
        "do_import")(s.world.ana, s.world.northside, _people_file(_TMP[0]), format="csv",
                     kind="people"), _north),
    # a user's own records
    "do_create_api_token": Case("common.apitoken", "create", lambda s: _svc(
        "do_create_api_token")(s.world.ana, s.world.ana, "laptop"), _ana),
    "do_revoke_api_token": Case("common.apitoken", "change", lambda s: _svc(
        "do_revoke_api_token")(s.world.ana, s.world.ana, _svc("do_create_api_token")(
            s.world.ana, s.world.ana, "old")[3:11]), _ana),
    "do_start_totp": Case("otp_totp.totpdevice", "create", lambda s: _svc(
        "do_start_totp")(s.world.ana), _ana),
    "do_confirm_totp": Case("otp_totp.totpdevice", "change", lambda s: _svc(
        "do_confirm_totp")(s.world.ana, _code(_device(s, confirmed=False))), _ana),
    "do_verify_sign_in_code": Case("otp_totp.totpdevice", "change", lambda s: _svc(
        "do_verify_sign_in_code")(s.world.ana, _code(_device(s))), _ana),
    "do_disable_totp": Case("otp_totp.totpdevice", "delete", lambda s: _svc(
        "do_disable_totp")(s.world.ana, _code(_device(s))), _ana),
    "do_reset_totp": Case("otp_totp.totpdevice", "delete", lambda s: _svc(
        "do_reset_totp")(_operator(), s.world.ana), _ana),
}


# --- the recording ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Asked:
    label: str
    action: str
    whose: Any


def _whose(obj: Any) -> Any:
    if permissions.group_of(obj._meta.label_lower) == "personal":
        return obj.user_id
    return permissions.subject_organization_ids(obj)


@pytest.fixture
def scene(world: Any, settings: Any, tmp_path: Any, fixed_clock: Any) -> Scene:
    settings.BROADFRONT_SCENARIO_RUNS_IN_BACKGROUND = False
    _TMP[:] = [tmp_path]
    return build_scene(world)


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[Asked]:
    """Every question put to the rule while the test runs (the rule still answers)."""
    calls: list[Asked] = []
    real = permissions.require_write

    def recording(user: Any, obj: Any, action: Any = None, **kw: Any) -> None:
        if not isinstance(obj, type):
            resolved = action or ("create" if obj.pk is None else "change")
            calls.append(Asked(obj._meta.label_lower, resolved, _whose(obj)))
        real(user, obj, action, **kw)

    monkeypatch.setattr(permissions, "require_write", recording)
    return calls


# --- the tests --------------------------------------------------------------------------------


def test_services_are_found_and_every_entry_names_one() -> None:
    assert {"do_create_person", "do_import", "do_cast_ballot"} <= set(SERVICES)
    assert not set(CASES) & set(WRITES_NO_RECORD)
    stale = (set(CASES) | set(WRITES_NO_RECORD)) - set(SERVICES)
    assert not stale, f"entries for services that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_has_an_entry(name: str) -> None:
    assert name in CASES or name in WRITES_NO_RECORD, (
        f"{name} ({SERVICES[name].__module__}) has no entry: add a Case saying which record it "
        "asks the write rule about (broadfront.web.common.permissions.require_write)")


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_service_asks_the_rule_about_the_record_it_writes(name: str, scene: Scene,
                                                             asked: list[Asked]) -> None:
    case = CASES[name]
    case.call(scene)
    expected = Asked(case.label, case.action, case.whose(scene))
    assert expected in asked, f"{name} asked {asked}, not about {expected}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_when_the_rule_refuses_the_service_refuses_and_writes_nothing(
        name: str, scene: Scene, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.apps import apps

    from broadfront.web.common.models import AuditEntry

    case = CASES[name]
    model = apps.get_model(case.label)

    def refuse(user: Any, obj: Any, action: Any = None, **kw: Any) -> None:
        raise permissions.WriteRefusedError("refused by the test")

    monkeypatch.setattr(permissions, "require_write", refuse)
    before = (model._base_manager.count(), AuditEntry.objects.count())
    with pytest.raises(permissions.WriteRefusedError, match="refused by the test"):
        case.call(scene)
    # nothing of the kind written or removed beyond what the case set up before the call
    assert model._base_manager.count() == before[0] + SET_UP_ROWS.get(name, 0), name
    assert AuditEntry.objects.count() == before[1], f"{name} wrote an audit entry"


#: Records of the checked kind a case creates itself before it calls the service.
SET_UP_ROWS = {"do_save_scenario": 1, "do_copy_scenario": 1, "do_add_shock": 1,
               "do_remove_shock": 1, "do_set_probabilities": 1, "do_delete_scenario": 1,
               "do_set_race_rule": 1, "do_close_decision": 1, "do_confirm_totp": 1,
               "do_verify_sign_in_code": 1, "do_disable_totp": 1}


# --- decisions the table now makes ------------------------------------------------------------


def test_an_organizations_admin_adds_logins_to_it_but_not_a_superuser(world: Any) -> None:
    from broadfront.web.organizations.models import OrganizationRole

    OrganizationRole.objects.filter(user=world.ana).update(role="admin")
    create_user = SERVICES["do_create_user"]
    create_user(world.ana, username="nadia", password="a-long-passphrase-4217",
                organization=world.northside)
    with pytest.raises(permissions.WriteRefusedError, match="only site operators may"):
        create_user(world.ana, username="root2", password="a-long-passphrase-4217",
                    organization=world.northside, superuser=True)
    assert not User.objects.filter(username="root2").exists()


def test_a_partner_at_the_table_records_caucus_night_but_an_opponent_does_not(
        scene: Scene) -> None:
    record = SERVICES["do_record_caucus_result"]
    kwargs = {"division": scene.p1, "groups": {"Bloc": 30, "Rest": 70}, "delegates": 5,
              "our_subcaucus": "Bloc"}
    with pytest.raises(permissions.WriteRefusedError, match="coalition table"):
        record(scene.world.omar, scene.campaign, **kwargs)
    assert record(scene.world.grace, scene.campaign, **kwargs).delegates_won >= 1
