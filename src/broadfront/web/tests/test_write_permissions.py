"""Nobody writes where they don't belong: every write route, tried by every outsider (issue 13).

The routes are found by introspection, so a new one is covered without editing this file:
every page of ``django.urls.get_resolver()`` (outside the admin and the API) and every
POST/PUT/PATCH/DELETE operation of the API's OpenAPI schema. Each is tried against a
Northside-owned object by Omar (Westfield: an opponent at no table), Grace (Faith: a partner at
Northside's table), Ben (a viewer of Northside) and an anonymous visitor, with a payload that
Ana (Northside's organizer) succeeds with (the control at the bottom proves each payload
writes). After each attempt a database diff (every row of every Broadfront model, audit log
included) must be empty and the answer a refusal: 404 where the object is not visible to the
user, 403 where it is visible but not writable (``docs/architecture.md``, tenancy), a login
redirect (pages) or 401 (API) for the anonymous visitor.

Exceptions are explicit: ``ALLOWED`` lists what an outsider may legitimately write (its own
things), ``CHOICE_REFUSALS`` the create pages where the owner is a form choice that only lists
the user's own organizations (refused with 400 naming the field), ``COMPUTE_ONLY`` the POSTs
that compute and store nothing. Page routes are write routes when their view (or a helper of
its module it calls) reads a POST; every other page is still posted to, and must write nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.urls import URLPattern, URLResolver, get_resolver

from broadfront import clock
from broadfront.web.common.tests.factories import Scene, build_scene

PERSONAS = ("omar", "grace", "ben")


# --- the routes, by introspection -------------------------------------------------------------

@dataclass(frozen=True)
class PageRoute:
    name: str  # "namespace:name"
    route: str  # "power/events/<int:pk>/"
    writes: bool


def _walk(patterns: list[Any], prefix: str = "", ns: str = "") -> Iterator[tuple[str, str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), inner or "")
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{ns}:{p.name}" if ns else (p.name or ""), p.callback


def _reads_post(callback: Any) -> bool:
    """Whether a view (or a function of its module it calls by name) reads a POST."""
    view = inspect.unwrap(callback)
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        return False
    module = inspect.getmodule(view)
    for name in getattr(getattr(view, "__code__", None), "co_names", ()):
        helper = getattr(module, name, None)
        if inspect.isfunction(helper) and helper.__module__ == view.__module__:
            source += inspect.getsource(helper)
    return "POST" in source


def page_routes() -> list[PageRoute]:
    routes = []
    for route, name, callback in _walk(get_resolver().url_patterns):
        # Signing in and the user's own two-step sign-in write no organization's record
        # (common/tests/test_sign_in.py and test_two_factor.py test them).
        if route.startswith(("admin/", "api/")) or name in ("login", "logout", "two-factor",
                                                            "two-factor-code"):
            continue
        routes.append(PageRoute(name, route, _reads_post(callback)))
    return sorted(routes, key=lambda r: r.name)


def api_operations() -> list[tuple[str, str]]:
    """(method, path) of every API operation that may write."""
    from broadfront.web.api import api

    schema = api.get_openapi_schema()
    return sorted((method.upper(), path) for path, ops in schema["paths"].items()
                  for method in ops if method in ("post", "put", "patch", "delete"))


PAGES = page_routes()
OPERATIONS = api_operations()

#: Legitimate writes by an outsider: their own things, never Northside's (still checked: the
#: rows that change must all belong to the user's own organizations).
ALLOWED: dict[tuple[str, str], str] = {
    ("decisions:ballot", "ben"): "a viewer is a member and casts a member's ballot",
    ("POST /api/decisions/{decision_id}/ballots", "ben"):
        "a viewer is a member and casts a member's ballot",
    ("scenarios:new", "omar"): "the form falls back to the user's only organization: a "
                               "Westfield scenario, not Northside's",
    ("scenarios:new", "grace"): "the form falls back to the user's only organization: a Faith "
                                "scenario, not Northside's",
    ("landscape:stance-new", "omar"): "recorded by the user's only organization (the form "
                                      "falls back to it): Westfield's assessment",
    ("landscape:stance-new", "grace"): "recorded by Faith, the user's only organization",
    ("landscape:relationship-new", "omar"): "recorded by Westfield, the user's only "
                                            "organization",
    ("landscape:relationship-new", "grace"): "recorded by Faith, the user's only organization",
}

#: Create pages whose owner is a form choice listing only the user's own organizations: a
#: post naming Northside is refused by the form (400) with the error on that field.
CHOICE_REFUSALS: dict[str, str] = {
    "power:event-new": "organization",
    "power:person-new": "organization",
    "coalition:commitment-new": "partner",
    "landscape:stance-new": "recorded_by",
    "landscape:relationship-new": "recorded_by",
    "dataio:upload": "organization",  # shows the form again with the error, status 200
    "decisions:new": "organization",  # no Django form: the page's ``error`` names the field
}

#: Pages that refuse by redirecting back with a message (status 302): the message must say so.
REDIRECT_REFUSALS = {"blocs:save-result": "Not saved:",
                     "decisions:impact": "you need the organizer role"}

#: POSTs that compute an answer and store nothing (the engines' endpoints, the what-if form,
#: the body page which reads the posted issue).
COMPUTE_ONLY = {"bodies:what-if", "bodies:body", "POST /api/power", "POST /api/caucus/allocate",
                "POST /api/caucus/apportion", "POST /api/caucus/endorse"}


# --- the Northside objects and the payloads ---------------------------------------------------

@dataclass
class Target:
    scene: Scene
    event: Any  # a Northside event not shared with the coalition
    campaign: Any  # a Northside campaign with no coalition (Faith sees it, takes no part)
    recruit: Any
    contribution: Any
    option: Any
    scenario: Any  # a Northside scenario about the council, as the builder saves it

    @property
    def w(self) -> Any:
        return self.scene.world


@pytest.fixture
def target(world: Any) -> Target:
    from broadfront.web.accountability.models import Contribution, Event
    from broadfront.web.campaigns.models import Campaign, Recruit
    from broadfront.web.campaigns.models import Target as CampaignTarget

    scene = build_scene(world)
    today = clock.today()
    event = Event.objects.create(organization=world.northside, name="Northside house meeting",
                                 starts_at=clock.now() - dt.timedelta(days=2))
    campaign = Campaign.objects.create(
        name="Northside Alone", slug="northside-alone", kind="caucus_bloc",
        lead_organization=world.northside, start_date=today - dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=60))
    CampaignTarget.objects.create(campaign=campaign, division=scene.p1, expected_attendance=200,
                                  goal=20)
    recruit = Recruit.objects.create(campaign=campaign, organization=world.northside,
                                     person=scene.marta, division=scene.p1, committed_on=today)
    contribution = Contribution.objects.create(organization=world.northside,
                                               campaign=scene.campaign, outcome="Ordinance")
    scene.decision.triggered_by = ""  # no cooling-off: the control may close it
    scene.decision.save()
    from broadfront.web.scenarios import services as scenario_services

    built = scenario_services.spec_from_body(world.ana, scene.body, issue=scene.issue)
    spec = {**built.spec, "shocks": [{"kind": "bloc_shift", "bloc": "Centrist",
                                      "steps": -1, "probability": 0.2}]}
    scenario = scenario_services.do_save_scenario(world.ana, organization=world.northside,
                                                  name="Council vote", spec=spec,
                                                  body=scene.body, draws=100)
    return Target(scene, event, campaign, recruit, contribution,
                  scene.decision.options.order_by("id").first(), scenario)


def _slug_for(t: Target, name: str) -> str:
    ns = name.split(":")[0]
    if name in ("landscape:alignment",) or ns == "bodies":
        return str(t.scene.body.slug)
    if ns == "landscape":
        return str(t.scene.issue.slug)
    if ns == "coalition":
        return str(t.w.coalition.slug if name == "coalition:table" else t.scene.campaign.slug)
    if ns == "blocs":
        return str(t.campaign.slug)
    return str(t.w.northside.slug)


def _pk_for(t: Target, name: str) -> int:
    table: dict[str, Any] = {
        "power:person": t.w.ana_person, "power:person-edit": t.w.ana_person,
        "power:event": t.event,
        "coalition:partner": t.w.northside, "coalition:commitment": t.scene.ours_open,
        "coalition:review": t.contribution,
        "landscape:actor": t.w.northside, "landscape:person": t.w.ana_person,
        "blocs:squad": t.scene.squad, "blocs:recruit-status": t.recruit,
        "bodies:motion": t.scene.motion,
        "scenarios:run": t.scene.run, "scenarios:run-status": t.scene.run,
        "decisions:review": t.scene.closed_decision,
    }
    if name in table:
        return int(table[name].pk)
    ns = name.split(":")[0]
    if ns == "scenarios":
        return int(t.scenario.pk)
    if ns == "decisions":
        return int(t.scene.decision.pk)
    if name.startswith("dataio:"):
        from broadfront.web.dataio.models import ImportJob

        job = ImportJob.objects.filter(organization=t.w.northside).first()
        return int(job.pk) if job else 999_999
    raise LookupError(f"no Northside object for <pk> of {name}: add it to _pk_for")


def url_for(t: Target, page: PageRoute) -> str:
    def value(match: re.Match[str]) -> str:
        param = match.group(2)
        if param == "slug":
            return _slug_for(t, page.name)
        if param == "pk":
            return str(_pk_for(t, page.name))
        if param == "division_id":
            return str(t.scene.p1.pk)
        if param == "index":
            return "0"
        if param == "stage":
            return "member"
        raise LookupError(f"unknown parameter <{param}> in {page.route}: teach url_for")

    return "/" + re.sub(r"<(\w+:)?(\w+)>", value, page.route)


def _own_person(t: Target, who: str) -> Any:
    """The person an attacker would forge a record for: its own (Ben has none: Northside's)."""
    return {"omar": t.w.omar_person, "grace": t.w.grace_person}.get(who, t.w.ana_person)


def _own_org(t: Target, who: str) -> Any:
    return {"omar": t.w.westfield, "grace": t.w.faith}.get(who, t.w.northside)


def page_payload(t: Target, name: str, who: str = "ana") -> dict[str, Any]:
    w, s = t.w, t.scene
    person = _own_person(t, who)
    today = clock.today().isoformat()
    base: dict[str, Any] = {
        "organization": w.northside.pk, "name": "Forged", "kind": "meeting",
        "starts_at": (clock.now() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "person": person.pk, "status": "accepted", "attended": "yes",
        "given_name": "Forged", "family_name": "Person",
        "partner": w.northside.pk, "unit": "doors", "quantity": "5", "due_date": today,
        "delivered_on": today, "evidence": "forged",
        "recorded_by": w.northside.pk, "issue": s.issue.slug, "actor": f"o:{w.westfield.pk}",
        "score": "2", "assessed_on": today, "source_actor": f"o:{w.westfield.pk}",
        "target_actor": f"o:{w.faith.pk}", "source": "forged", "strength": "1",
        "note": "forged",
    }
    extra: dict[str, dict[str, Any]] = {
        "coalition:review": {"status": "disputed"},
        "landscape:relationship-new": {"kind": "funds"},
        "blocs:recruit-status": {"status": "dropped"},
        "blocs:save-result": {"name_0": "Us", "count_0": "30", "name_1": "Them",
                              "count_1": "20", "ours": "0", "delegates": "3", "rule": "dfl",
                              "seed": "1"},
        "blocs:squad-new": {"name": "Forged squad", "organization": _own_org(t, who).pk},
        "blocs:recruit-new": {"person": person.pk},
        "scenarios:new": {"organization": w.northside.slug, "source": "body",
                          "body": s.body.slug, "name": "Forged scenario"},
        "scenarios:add-shock": {"kind": "bloc_shift", "bloc": "Centrist", "steps": "1",
                                "probability": "20"},
        "scenarios:members": {"p_0": "90"},
        "scenarios:counting": {"rule": "plurality"},
        "scenarios:edit": {"name": "Renamed", "spec": json.dumps(t.scenario.spec),
                           "seed": "1", "draws": "100"},
        "scenarios:copy": {"name": "Copied"},
        "scenarios:run-start": {"draws": "100", "seed": "1"},
        "decisions:new": {"organization": w.northside.slug, "question": "Forged?",
                          "options": "Yes\nNo", "rule": "majority"},
        "decisions:impact": {"option": t.option.pk, "constituency": "Tenants", "upside": "9",
                             "upside_likelihood": "0.9", "downside": "0",
                             "downside_likelihood": "0"},
        "decisions:ballot": {"role": "member", "choice": t.option.pk},
        "decisions:review": {"reviewed_on": today, "summary": "forged",
                             "constituency_0": "Tenants", "gained_0": "10", "lost_0": "0"},
        "dataio:upload": {"format": "csv", "kind": "people"},
    }
    return {**base, **extra.get(name, {})}


def api_request(t: Target, method: str, path: str,
                who: str = "ana") -> tuple[str, dict[str, Any] | None]:
    """The URL of an operation against Northside's objects, and its JSON body."""
    w, s = t.w, t.scene
    person = _own_person(t, who)
    today = clock.today().isoformat()
    ids = {"commitment_id": t.scene.ours_open.pk, "slug": t.campaign.slug,
           "recruit_id": t.recruit.pk, "decision_id": s.decision.pk,
           "scenario_id": t.scenario.pk}
    missing = set(re.findall(r"{(\w+)}", path)) - set(ids)
    if missing:
        raise LookupError(f"no Northside object for {missing} in {path}: add it to api_request")
    url = path.format(**ids)
    bodies: dict[str, dict[str, Any]] = {
        "/api/people": {"organization": w.northside.slug, "given_name": "Forged"},
        "/api/commitments": {"partner": w.northside.slug, "unit": "doors", "quantity": 5,
                             "due_date": today},
        "/api/commitments/{commitment_id}/deliveries": {"quantity": 5, "delivered_on": today},
        "/api/landscape/stances": {"issue": s.issue.slug, "actor": f"o:{w.westfield.pk}",
                                   "score": 2, "assessed_on": today, "evidence": "forged",
                                   "recorded_by": w.northside.slug},
        "/api/landscape/relationships": {"kind": "funds", "source_actor":
                                         f"o:{w.westfield.pk}",
                                         "target_actor": f"o:{w.faith.pk}",
                                         "source": "forged", "recorded_by": w.northside.slug},
        "/api/power": {"weights": [3, 2, 2], "quota": 4},
        "/api/caucus/allocate": {"rule": "dfl", "delegates": 3, "groups": {"a": 30, "b": 20}},
        "/api/caucus/apportion": {"seats": 3, "weights": {"a": 30, "b": 20}},
        "/api/caucus/endorse": {"threshold": 0.6, "votes_cast": 100, "bloc": 30},
        "/api/campaigns/{slug}/results": {"division": s.p1.pk, "groups": {"Us": 30, "Them": 20},
                                          "delegates": 3, "our_subcaucus": "Us", "seed": 1},
        "/api/campaigns/{slug}/squads": {"division": s.p1.pk, "name": "Forged squad",
                                         "organization": w.northside.slug},
        "/api/campaigns/{slug}/recruits": {"person": person.pk, "division": s.p1.pk},
        "/api/campaigns/{slug}/recruits/{recruit_id}/status": {"status": "dropped"},
        "/api/decisions": {"organization": w.northside.slug, "question": "Forged?",
                           "options": ["Yes", "No"]},
        "/api/decisions/{decision_id}/impacts": {"option": t.option.pk,
                                                 "constituency": "Tenants", "upside": 9,
                                                 "upside_likelihood": 0.9},
        "/api/decisions/{decision_id}/ballots": {"role": "member", "choice": t.option.pk},
        "/api/decisions/{decision_id}/close": {},
        "/api/decisions/{decision_id}/reviews": {"actual": {"Tenants": {"gained": 10,
                                                                       "lost": 0}},
                                                  "summary": "forged"},
        "/api/scenarios": {"organization": w.northside.slug, "name": "Forged",
                           "body": s.body.slug},
        "/api/scenarios/{scenario_id}/run": {"draws": 100, "seed": 1},
    }
    if path == "/api/data/imports":
        return url, None  # multipart, built in _call_api
    if path not in bodies:
        raise LookupError(f"no payload for {method} {path}: add one to api_request")
    return url, bodies[path]


# --- the database diff ------------------------------------------------------------------------

def _models() -> list[Any]:
    return [m for m in apps.get_models() if m.__module__.startswith("broadfront.web.")]


def snapshot() -> dict[tuple[str, Any], str]:
    """Every row of every Broadfront model: (model, pk) -> a hash of its values."""
    rows: dict[tuple[str, Any], str] = {}
    for model in _models():
        for values in model._base_manager.order_by("pk").values_list():
            rows[(model._meta.label, values[0])] = hashlib.sha256(
                repr(values).encode()).hexdigest()
    return rows


def changed_rows(before: dict[tuple[str, Any], str],
                 after: dict[tuple[str, Any], str]) -> list[tuple[str, Any]]:
    keys = set(before) | set(after)
    return sorted((k for k in keys if before.get(k) != after.get(k)), key=repr)


def _owner(label: str, pk: Any) -> int | None:
    from broadfront.web.common.admin_base import owner_organization_id

    obj = apps.get_model(label)._base_manager.filter(pk=pk).first()
    return None if obj is None else owner_organization_id(obj)


def assert_only_own_rows_changed(user: Any, rows: list[tuple[str, Any]]) -> None:
    from broadfront.web.common.tenancy import own_org_ids

    mine = own_org_ids(user)
    for label, pk in rows:
        owner = _owner(label, pk)
        assert owner in mine, f"{label} {pk} of organization {owner} changed"


# --- the attempts -----------------------------------------------------------------------------

def _user(t: Target, who: str) -> Any:
    return getattr(t.w, who)


def _post_page(client: Any, t: Target, page: PageRoute, who: str = "ana") -> Any:
    data = page_payload(t, page.name, who)
    if page.name == "dataio:upload":
        from django.core.files.uploadedfile import SimpleUploadedFile

        data["file"] = SimpleUploadedFile("people.csv", b"given_name,family_name\nForged,Row\n",
                                          content_type="text/csv")
    return client.post(url_for(t, page), data)


def _call_api(client: Any, t: Target, method: str, path: str, who: str = "ana") -> Any:
    url, body = api_request(t, method, path, who)
    if body is None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(url, {"organization": t.w.northside.slug, "format": "csv",
                                 "kind": "people", "dry_run": "false",
                                 "file": SimpleUploadedFile("p.csv", b"given_name\nForged\n")})
    return client.generic(method, url, data=json.dumps(body),
                          content_type="application/json")


def _expect_refusal(response: Any, key: str, who: str, page_choice_field: str | None) -> None:
    status = response.status_code
    if page_choice_field is not None and status in (200, 400):
        context = response.context or {}
        errors = getattr(context.get("form"), "errors", None) or {}
        error = context.get("error") or {}
        assert page_choice_field in errors or error.get("field") == page_choice_field, \
            f"{key} as {who}: {status} without an error on {page_choice_field}"
        return
    assert status in (403, 404), f"{key} as {who}: {status}"


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("page", [p for p in PAGES if p.writes], ids=lambda p: p.name)
def test_no_outsider_writes_through_a_page(client: Any, target: Target, page: PageRoute,
                                           who: str) -> None:
    user = _user(target, who)
    client.force_login(user)
    before = snapshot()
    response = _post_page(client, target, page, who)
    changed = changed_rows(before, snapshot())
    if (page.name, who) in ALLOWED:
        assert_only_own_rows_changed(user, changed)
        return
    assert changed == [], f"{page.name} as {who} wrote {changed}"
    if page.name in COMPUTE_ONLY:
        assert response.status_code < 500
        return
    if page.name in REDIRECT_REFUSALS and response.status_code not in (403, 404):
        assert response.status_code == 302, f"{page.name} as {who}: {response.status_code}"
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        assert any(REDIRECT_REFUSALS[page.name] in m for m in shown), shown
        return
    _expect_refusal(response, page.name, who, CHOICE_REFUSALS.get(page.name))


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("page", [p for p in PAGES if not p.writes], ids=lambda p: p.name)
def test_posting_to_a_reading_page_writes_nothing(client: Any, target: Target, page: PageRoute,
                                                  who: str) -> None:
    client.force_login(_user(target, who))
    before = snapshot()
    response = client.post(url_for(target, page), page_payload(target, page.name))
    assert response.status_code < 500
    assert changed_rows(before, snapshot()) == [], f"{page.name} as {who} wrote"


@pytest.mark.parametrize("page", [p for p in PAGES if p.writes], ids=lambda p: p.name)
def test_an_anonymous_post_to_a_page_is_sent_to_log_in(client: Any, target: Target,
                                                       page: PageRoute) -> None:
    before = snapshot()
    response = client.post(url_for(target, page), page_payload(target, page.name))
    assert response.status_code == 302 and "/login/" in response.url
    assert changed_rows(before, snapshot()) == []


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: f"{o[0]} {o[1]}")
def test_no_outsider_writes_through_the_api(client: Any, target: Target,
                                            operation: tuple[str, str], who: str) -> None:
    method, path = operation
    key = f"{method} {path}"
    user = _user(target, who)
    client.force_login(user)
    before = snapshot()
    response = _call_api(client, target, method, path, who)
    changed = changed_rows(before, snapshot())
    if (key, who) in ALLOWED:
        assert_only_own_rows_changed(user, changed)
        return
    assert changed == [], f"{key} as {who} wrote {changed}"
    if key in COMPUTE_ONLY:
        assert response.status_code == 200
        return
    assert response.status_code in (403, 404), f"{key} as {who}: {response.status_code}"
    assert set(response.json()) >= {"code", "message"}


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: f"{o[0]} {o[1]}")
def test_an_anonymous_api_call_is_unauthenticated(client: Any, target: Target,
                                                  operation: tuple[str, str]) -> None:
    before = snapshot()
    response = _call_api(client, target, *operation)
    assert response.status_code == 401
    assert changed_rows(before, snapshot()) == []


# --- the control: each payload does write, for Northside's own organizer ----------------------

#: Who writes in the control when it is not Ana: the coalition's coordinator reviews claims.
CONTROL_USER = {"coalition:review": "cora"}

#: Routes whose successful write needs another kind of object; their own tests write.
CONTROL_ELSEWHERE = {
    "scenarios:counting": "a race scenario's counting rule (scenarios/tests/test_browser.py)",
}


@pytest.mark.parametrize("page", [p for p in PAGES if p.writes and p.name not in COMPUTE_ONLY
                                  and p.name not in CONTROL_ELSEWHERE], ids=lambda p: p.name)
def test_each_page_payload_writes_for_northsides_organizer(client: Any, target: Target,
                                                           page: PageRoute,
                                                           settings: Any) -> None:
    settings.BROADFRONT_SCENARIO_RUNS_IN_BACKGROUND = False
    client.force_login(getattr(target.w, CONTROL_USER.get(page.name, "ana")))
    before = snapshot()
    response = _post_page(client, target, page)
    assert response.status_code < 400, f"{page.name}: {response.status_code}"
    assert changed_rows(before, snapshot()), f"{page.name}: the payload wrote nothing"


@pytest.mark.parametrize("operation", [o for o in OPERATIONS
                                       if f"{o[0]} {o[1]}" not in COMPUTE_ONLY],
                         ids=lambda o: f"{o[0]} {o[1]}")
def test_each_api_payload_writes_for_northsides_organizer(client: Any, target: Target,
                                                          operation: tuple[str, str],
                                                          settings: Any) -> None:
    settings.BROADFRONT_SCENARIO_RUNS_IN_BACKGROUND = False
    client.force_login(target.w.ana)
    before = snapshot()
    response = _call_api(client, target, *operation)
    assert response.status_code < 400, f"{operation}: {response.status_code} {response.content!r}"
    assert changed_rows(before, snapshot()), f"{operation}: the payload wrote nothing"


def test_the_route_lists_are_found_by_introspection() -> None:
    names = {p.name for p in PAGES if p.writes}
    assert {"power:event", "coalition:commitment", "decisions:impact",
            "scenarios:delete"} <= names
    assert ("POST", "/api/commitments/{commitment_id}/deliveries") in OPERATIONS
    assert all(isinstance(k, tuple) for k in ALLOWED)
    unused: Callable[[str], bool] = lambda n: n not in names  # noqa: E731
    assert not [n for n in CHOICE_REFUSALS if unused(n)], "a refusal for a route that is gone"
