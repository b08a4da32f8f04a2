"""API endpoints of bloc building: caucus calculations, campaign progress, squads and recruits.

The calculations take the same inputs as ``broadfront caucus allocate|apportion|endorse``
and answer with the same JSON keys. Campaign progress is organization-scoped: a campaign
the user's organizations do not lead, partner or sit at the table of is a 404; partners see
counts per precinct, never who the recruits are. Squads and recruits are written by organizers
of the owning organization through the same services as the pages; another organization's
person, squad or recruit is never found. Bad input is a 400 whose ``field`` names the
argument.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from broadfront import clock
from broadfront.analysis.caucus import apportion, bloc_leverage, votes_needed
from broadfront.analysis.caucus.apportion import METHODS
from broadfront.analysis.caucus.endorsement import check_threshold
from broadfront.exceptions import PermissionDeniedError, ValidationError
from broadfront.web.campaigns import forms, queries, services
from broadfront.web.campaigns.models import Campaign, Recruit, Squad, Target
from broadfront.web.common.lookups import get_visible
from broadfront.web.common.tenancy import is_site_operator
from broadfront.web.organizations.models import Division, Organization, Person

router = Router(tags=["bloc building"])


class AllocateIn(Schema):
    rule: Any = "dfl"
    delegates: Any = None
    groups: Any = None
    attendees: Any = None
    seed: Any = None
    bloc: Any = None


class ApportionIn(Schema):
    method: Any = "huntington-hill"
    seats: Any = None
    weights: Any = None
    votes_per_delegate: Any = None
    seed: Any = None


class EndorseIn(Schema):
    threshold: Any = "0.6"
    votes_cast: Any = None
    bloc: Any = None


class ResultIn(Schema):
    division: Any = None
    groups: Any = None
    delegates: Any = None
    our_subcaucus: Any = None
    rule: Any = "dfl"
    attendees: Any = None
    seed: Any = None


def _whole(value: Any, name: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValidationError(f"{name} must be a whole number >= {minimum}, got {value!r}",
                              parameter=name)
    return value


def _lots(draws: Any, value: bool = True) -> list[dict[str, Any]]:
    return [{"step": d.step, "tied": list(d.tied), "winners": list(d.winners),
             **({"value": float(d.value)} if value else {})} for d in draws]


@router.post("/caucus/allocate")
def allocate(request: HttpRequest, payload: AllocateIn) -> dict[str, Any]:
    """Allocate a caucus's delegates (rule dfl, iowa or fair-reflection); ``bloc`` adds "what if"."""
    if payload.delegates is None:
        raise ValidationError("delegates is required", parameter="delegates")
    if not isinstance(payload.groups, dict):
        raise ValidationError("groups must be an object {name: members}", parameter="groups")
    calc = services.calculate_caucus(
        payload.groups, payload.delegates, rule=str(payload.rule), attendees=payload.attendees,
        seed=payload.seed, bloc=None if payload.bloc is None else str(payload.bloc))
    r = calc.result
    out: dict[str, Any] = {
        "rule": r.rule, "delegates": r.delegates, "attendees": r.attendees,
        "viability_number": r.viability_number,
        "divisor": None if r.divisor is None else float(r.divisor),
        "allocation": r.allocation, "viable": r.viable,
        "quota": {n: float(q) for n, q in r.quota.items()},
        "ties_broken_by_lot": _lots(r.ties_broken_by_lot), "unallocated": r.unallocated,
        "seed": payload.seed, "notes": list(r.notes),
    }
    w = calc.what_if
    if w is not None:
        out["what_if"] = {
            "bloc": w.bloc, "baseline": w.baseline,
            "recruits_for_next_delegate": w.recruits_for_next_delegate,
            "best": None if w.best is None else w.best.description,
            "moves": [{"kind": m.kind, "source": m.source, "people": m.people,
                       "bloc_delegates": m.bloc_delegates, "gain": m.gain,
                       "description": m.description} for m in w.moves],
        }
    return out


@router.post("/caucus/apportion")
def apportion_delegates(request: HttpRequest, payload: ApportionIn) -> dict[str, Any]:
    """Apportion delegates among units by weight (huntington-hill, hamilton or per-votes)."""
    if payload.method not in METHODS:
        raise ValidationError(f"method must be one of {', '.join(METHODS)}; got {payload.method!r}",
                              parameter="method")
    if not isinstance(payload.weights, dict) or not payload.weights:
        raise ValidationError("weights must be an object {name: weight}", parameter="weights")
    seats = None if payload.seats is None else _whole(payload.seats, "seats", 1)
    if seats is None and payload.method != "per-votes":
        raise ValidationError(f"seats is required for {payload.method}", parameter="seats")
    k = payload.votes_per_delegate
    if k is not None and (isinstance(k, bool) or not isinstance(k, int | float) or not k > 0):
        raise ValidationError(f"votes_per_delegate must be a positive number, got {k!r}",
                              parameter="votes_per_delegate")
    weights: dict[str, Fraction] = {}
    for name, w in payload.weights.items():
        if isinstance(w, bool) or not isinstance(w, int | float | str):
            raise ValidationError(f"weights: {name!r} must be a number, got {w!r}",
                                  parameter="weights")
        try:
            weights[str(name)] = Fraction(str(w))
        except (ValueError, ZeroDivisionError):
            raise ValidationError(f"weights: {name!r} must be a number, got {w!r}",
                                  parameter="weights") from None
    seed = None if payload.seed is None else _whole(payload.seed, "seed")
    r = apportion(weights, seats, method=payload.method, votes_per_delegate=k,  # type: ignore[arg-type]
                  rng=seed)
    return {"method": r.method, "seats": r.seats, "divisor": float(r.divisor),
            "allocation": r.allocation, "quota": {n: float(q) for n, q in r.quota.items()},
            "ties_broken_by_lot": _lots(r.ties_broken_by_lot, value=False), "seed": seed}


@router.post("/caucus/endorse")
def endorse(request: HttpRequest, payload: EndorseIn) -> dict[str, Any]:
    """Votes needed to endorse, ``ceil(threshold x votes_cast)``; with ``bloc``, can it block?"""
    t = check_threshold(payload.threshold if not isinstance(payload.threshold, bool)
                        else "invalid")
    cast = _whole(payload.votes_cast, "votes_cast")
    out: dict[str, Any] = {"threshold": float(t), "votes_cast": cast,
                           "votes_needed": votes_needed(cast, t)}
    if payload.bloc is not None:
        bloc = _whole(payload.bloc, "bloc")
        if bloc > cast:
            raise ValidationError(f"bloc must be between 0 and votes_cast, got {bloc}",
                                  parameter="bloc")
        lev = bloc_leverage({"bloc": bloc, "others": cast - bloc}, "bloc", threshold=t,
                            power=False)
        out.update(bloc=bloc, can_block_alone=lev.can_block_alone,
                   delegates_to_block=lev.delegates_to_block)
    return out


@router.get("/campaigns/{slug}/progress")
def progress(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Per-precinct target, committed (all partners, a count), forecast probability and status."""
    campaign = services.get_campaign_for_user(request.user, slug)
    f = queries.campaign_forecast(request.user, campaign, clock.today())
    s = f.settings
    return {
        "campaign": campaign.slug, "as_of": f.today.isoformat(),
        "caucus_night": campaign.end_date.isoformat(), "weeks_left": round(f.weeks_left, 3),
        "target_share": float(campaign.target_share),
        "assumptions": {"pace_window_weeks": s.window_weeks, "pace_dispersion": s.pace_dispersion,
                        "prior_show_up_rate": s.prior_show_up,
                        "prior_strength": s.prior_strength, "on_track": s.on_track,
                        "at_risk": s.at_risk},
        "totals": {"precincts": f.precincts, "target": f.goal_total,
                   "committed": f.recruited_total, "ours": f.ours_total,
                   "expected_attendance": f.attendance_total,
                   "expected_bloc_attendees": round(f.expected_attendees, 3),
                   "precincts_with_squad": f.precincts_with_squad,
                   "precincts_with_leader": f.precincts_with_leader,
                   "expected_precincts_reaching": round(f.expected_reaching, 3),
                   "sd_precincts_reaching": round(f.sd_reaching, 3),
                   "on_track": f.n_on_track, "at_risk": f.n_at_risk, "behind": f.n_behind},
        "precincts": [
            {"division": r.division_id, "name": r.name, "expected_attendance": r.attendance,
             "target": r.goal, "committed": r.recruited, "ours": r.ours,
             "expected_attendees": round(r.expected, 3),
             "probability": round(r.probability, 4), "status": r.status}
            for r in queries.sorted_rows(f.rows, "precinct", False)
        ],
    }


@router.post("/campaigns/{slug}/results", response={201: dict})
def record_result(request: HttpRequest, slug: str, payload: ResultIn) -> Status[dict[str, Any]]:
    """Record caucus night in one precinct; delegates won are computed by the rule."""
    campaign = services.get_campaign_for_user(request.user, slug)
    if payload.division is None:
        raise ValidationError("division is required", parameter="division")
    division = Division.objects.filter(pk=_whole(payload.division, "division")).first()
    if division is None:
        raise ValidationError(f"division {payload.division} does not exist", parameter="division")
    if not isinstance(payload.groups, dict):
        raise ValidationError("groups must be an object {name: members}", parameter="groups")
    r = services.do_record_caucus_result(
        request.user, campaign, division=division, groups=payload.groups,
        delegates=payload.delegates, our_subcaucus=str(payload.our_subcaucus or ""),
        rule=str(payload.rule), attendees=payload.attendees, seed=payload.seed)
    return Status(201, {"id": r.pk, "division": r.division_id, "rule": r.rule,
                 "attendees": r.attendees, "delegates": r.delegates,
                 "subcaucuses": r.subcaucuses, "our_subcaucus": r.our_subcaucus,
                 "delegates_won": r.delegates_won})


# --- squads and recruits (person-level: the user's own organization only) ---------------------


class SquadIn(Schema):
    division: Any = None
    name: Any = None
    leader: Any = None
    formed_on: Any = None
    organization: Any = None


class RecruitIn(Schema):
    person: Any = None
    division: Any = None
    squad: Any = None
    committed_on: Any = None


class StatusIn(Schema):
    status: Any = None


def _date(value: Any, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"{name} must be a date YYYY-MM-DD, got {value!r}",
                              parameter=name) from None


def _precinct(request: HttpRequest, campaign: Campaign, value: Any) -> Division:
    """A precinct with a target in the campaign (else 400 naming ``division``)."""
    pk = _whole(value, "division", 1)
    target = (Target.objects.visible_to(request.user).filter(campaign=campaign, division_id=pk)
              .select_related("division").first())
    if target is None:
        raise ValidationError(f"division {pk} is not a precinct of this campaign",
                              parameter="division")
    return target.division


def _our_person(request: HttpRequest, value: Any, name: str) -> Person:
    """One of the people of an organization the user organizes (else 400 naming ``name``).

    Another organization's person is reported exactly like one that does not exist.
    """
    pk = _whole(value, name, 1)
    person = Person.objects.filter(pk=pk, owner_id__in=forms.organizer_org_ids(request.user)
                                   ).first()
    if person is None and is_site_operator(request.user):
        person = Person.objects.filter(pk=pk, owner__isnull=False).first()
    if person is None:
        raise ValidationError(f"{name} {pk} is not one of your organization's people",
                              parameter=name)
    return person


def _squad_out(s: Squad) -> dict[str, Any]:
    return {"id": s.pk, "name": s.name, "organization": s.organization.slug,
            "division": s.division_id, "leader": s.leader_id,
            "formed_on": s.formed_on.isoformat() if s.formed_on else None}


def _recruit_out(r: Recruit) -> dict[str, Any]:
    return {"id": r.pk, "person": r.person_id, "organization": r.organization.slug,
            "division": r.division_id, "squad": r.squad_id,
            "committed_on": r.committed_on.isoformat(), "status": r.status}


@router.post("/campaigns/{slug}/squads", response={201: dict})
def form_squad(request: HttpRequest, slug: str, payload: SquadIn) -> Status[dict[str, Any]]:
    """Form a squad of one of the user's organizations in a precinct of the campaign.

    ``organization`` (a slug) may be left out by a user who organizes in one organization
    only; ``leader`` is a person id of that organization; ``formed_on`` defaults to today.
    """
    campaign = services.get_campaign_for_user(request.user, slug)
    if payload.division is None:
        raise ValidationError("division is required", parameter="division")
    division = _precinct(request, campaign, payload.division)
    mine = forms.organizer_org_ids(request.user)
    if not mine and not is_site_operator(request.user):
        raise PermissionDeniedError("you need the organizer role in an organization to form "
                                    "a squad")
    if payload.organization in (None, ""):
        if len(mine) != 1:
            raise ValidationError("organization is required (the slug of the organization "
                                  "whose squad this is)", parameter="organization")
        organization = Organization.objects.get(pk=next(iter(mine)))
    else:
        found = Organization.objects.filter(slug=str(payload.organization)).first()
        if found is None:
            raise ValidationError(f"organization {payload.organization!r} does not exist",
                                  parameter="organization")
        organization = found
    leader = (None if payload.leader in (None, "")
              else _our_person(request, payload.leader, "leader"))
    if not isinstance(payload.name, str):
        raise ValidationError("name is required", parameter="name")
    squad = services.do_form_squad(request.user, campaign, organization=organization,
                                   division=division, name=payload.name, leader=leader,
                                   formed_on=_date(payload.formed_on, "formed_on"))
    return Status(201, _squad_out(squad))


@router.post("/campaigns/{slug}/recruits", response={201: dict})
def record_recruit(request: HttpRequest, slug: str,
                   payload: RecruitIn) -> Status[dict[str, Any]]:
    """Record that one of the user's organization's people committed to attend the caucus.

    ``division`` defaults to the squad's precinct, then to the person's; ``squad`` is one of
    the organization's squads in the campaign; ``committed_on`` defaults to today.
    """
    campaign = services.get_campaign_for_user(request.user, slug)
    if payload.person is None:
        raise ValidationError("person is required", parameter="person")
    if not forms.organizer_org_ids(request.user) and not is_site_operator(request.user):
        raise PermissionDeniedError("you need the organizer role in an organization to record "
                                    "a recruit")
    person = _our_person(request, payload.person, "person")
    squad = None
    if payload.squad not in (None, ""):
        pk = _whole(payload.squad, "squad", 1)
        squad = Squad.objects.visible_to(request.user).filter(pk=pk, campaign=campaign).first()
        if squad is None:
            raise ValidationError(f"squad {pk} is not one of your squads in this campaign",
                                  parameter="squad")
    division = None
    if payload.division not in (None, ""):
        division = _precinct(request, campaign, payload.division)
    elif squad is None and person.division_id is not None:
        division = _precinct(request, campaign, person.division_id)
    recruit = services.do_record_recruit(request.user, campaign, person=person,
                                         division=division, squad=squad,
                                         committed_on=_date(payload.committed_on,
                                                            "committed_on"))
    return Status(201, _recruit_out(recruit))


@router.post("/campaigns/{slug}/recruits/{recruit_id}/status")
def set_recruit_status(request: HttpRequest, slug: str, recruit_id: int,
                       payload: StatusIn) -> dict[str, Any]:
    """Mark one of the user's organization's recruits committed, attended or dropped."""
    campaign = services.get_campaign_for_user(request.user, slug)
    recruit = get_visible(Recruit, request.user, recruit_id, what="recruit", campaign=campaign)
    r = services.do_set_recruit_status(request.user, recruit, str(payload.status or ""))
    return _recruit_out(r)
