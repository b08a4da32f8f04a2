"""Use cases (writes) of a caucus-bloc campaign: targets, squads, recruits, caucus-night results.

Every write checks the actor's role, validates with errors naming the field, runs in one
transaction and appends to the audit log; the pages, the REST API and scripts call these
same functions.

Who may do what:

- **Targets** (``do_set_targets``): organizers of the campaign's lead organization.
- **Squads and recruits** (``do_form_squad``, ``do_record_recruit``,
  ``do_set_recruit_status``): organizers of the organization that owns the squad or the
  person. Squads and recruits stay private to that organization; partners only see counts.
- **Caucus-night results** (``do_record_caucus_result``): organizers of the lead
  organization or of any organization at the campaign's coalition table (a partner may
  phone in its precinct). Results are aggregates every partner sees.

The arithmetic comes from the engines: targets are ``ceil(share x expected attendance)``
(:func:`broadfront.analysis.blocs.precinct_targets`), delegates won follow the caucus rule
(:func:`broadfront.analysis.caucus.allocate_delegates`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import numpy as np
from django.db import transaction

from broadfront import clock
from broadfront.analysis.blocs import DEFAULT_CAUCUS_TURNOUT, expected_attendance, precinct_targets
from broadfront.analysis.caucus import (
    RULES,
    CaucusAllocation,
    WhatIfResult,
    allocate_delegates,
    what_if,
)
from broadfront.exceptions import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from broadfront.web.campaigns.models import Campaign, CaucusResult, Recruit, Squad, Target
from broadfront.web.common import audit, permissions
from broadfront.web.common.services import validated_save
from broadfront.web.organizations.models import CoalitionMembership, Division, Organization, Person

# --- reads ------------------------------------------------------------------------------------


def get_campaign_for_user(user: Any, slug: str) -> Campaign:
    """The campaign if it is ours, a partner's or our coalition's; else NotFoundError."""
    campaign = (Campaign.objects.visible_to(user)
                .select_related("lead_organization", "coalition", "division")
                .filter(slug=slug).first())
    if campaign is None:
        raise NotFoundError(f"campaign {slug!r} not found")
    return campaign


def get_squad_for_user(user: Any, pk: int) -> Squad:
    """One of our own squads; a partner's squad is not found."""
    squad = (Squad.objects.visible_to(user)
             .select_related("division", "leader", "organization", "campaign")
             .filter(pk=pk).first())
    if squad is None:
        raise NotFoundError(f"squad {pk} not found")
    return squad


def precincts_of(campaign: Campaign) -> Any:
    """Precinct divisions inside the campaign's division (by Open Civic Data id prefix).

    A campaign without a division covers the precincts it already has targets in.
    """
    qs = Division.objects.filter(level=Division.Level.PRECINCT)
    if campaign.division is None:
        return qs.filter(targets__campaign=campaign)
    return qs.filter(ocd_id__startswith=campaign.division.ocd_id + "/")


def takes_part(organization_id: int | None, campaign: Campaign) -> bool:
    """Whether the organization leads the campaign or sits at the campaign's coalition table."""
    if organization_id is None:
        return False
    if campaign.lead_organization_id == organization_id:
        return True
    return campaign.coalition_id is not None and CoalitionMembership.objects.filter(
        coalition_id=campaign.coalition_id, organization_id=organization_id
    ).exists()


def require_part_in_campaign(organization: Organization | int | None, campaign: Campaign | None,
                             parameter: str = "campaign") -> None:
    """Refuse a record of ``organization`` attached to a campaign it takes no part in.

    A partner may see another organization's campaign (aggregates), but its squads,
    recruits, events, commitments and contributions count towards a campaign only when it
    leads it or sits at the campaign's coalition table.
    """
    if campaign is None:
        return
    org_id = organization.pk if isinstance(organization, Organization) else organization
    if not takes_part(org_id, campaign):
        raise PermissionDeniedError(
            f"{parameter}: the organization takes no part in {campaign} (it neither leads it "
            "nor sits at its coalition table)")


def _share(value: Any, name: str = "share") -> Decimal:
    try:
        share = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{name} must be a number, got {value!r}", parameter=name) from None
    if not share.is_finite() or not 0 < share <= 1:
        raise ValidationError(f"{name} must be in (0, 1], got {value!r}", parameter=name)
    return share


def _whole(value: Any, name: str, minimum: int = 0) -> int:
    if isinstance(value, bool):
        raise ValidationError(f"{name} must be a whole number, got {value!r}", parameter=name)
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(f"{name} must be a whole number, got {value!r}", parameter=name) from None
    if number < minimum:
        raise ValidationError(f"{name} must be at least {minimum}, got {number}", parameter=name)
    return number


# --- targets ----------------------------------------------------------------------------------


@transaction.atomic
def do_set_targets(
    actor: Any,
    campaign: Campaign,
    *,
    share: Any = None,
    turnout_rate: float = DEFAULT_CAUCUS_TURNOUT,
    divisions: Iterable[Division] | None = None,
) -> int:
    """Set the campaign's target in every precinct: ``ceil(share x expected attendance)``.

    Expected attendance is the precinct's recorded ``expected_attendance`` when it has one,
    else ``turnout_rate x party vote`` rounded to a whole person (about 1% of the party's vote
    in a non-presidential year). Existing targets are updated, missing ones created.

    Parameters
    ----------
    actor : User
        Must be an organizer of the campaign's lead organization.
    campaign : Campaign
        A caucus-bloc campaign.
    share : number, optional
        The bloc's share of each caucus, in (0, 1]; stored on the campaign. Default: the
        campaign's ``target_share``.
    turnout_rate : float, default 0.01
        Caucus attendance as a share of the party vote, for precincts without a recorded
        expected attendance.
    divisions : iterable of Division, optional
        Precincts to set; default every precinct inside the campaign's division.

    Returns
    -------
    int
        Number of precinct targets written.
    """
    permissions.require_write(actor, campaign, permissions.CHANGE)
    permissions.require_write(actor, Target(campaign=campaign), permissions.CREATE)
    if campaign.kind != Campaign.Kind.CAUCUS_BLOC:
        raise ValidationError("targets from caucus attendance need a caucus-bloc campaign",
                              parameter="campaign")
    new_share = campaign.target_share if share is None else _share(share)
    rows = list((precincts_of(campaign) if divisions is None
                 else Division.objects.filter(pk__in=[d.pk for d in divisions]))
                .values_list("pk", "expected_attendance", "party_vote"))
    if not rows:
        raise ValidationError("the campaign has no precincts to set targets in",
                              parameter="divisions")
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    recorded = np.array([r[1] for r in rows], dtype=float)
    from_votes = np.rint(expected_attendance(np.array([r[2] for r in rows], dtype=float),
                                             turnout_rate))
    attendance = np.where(recorded > 0, recorded, from_votes).astype(np.int64)
    goals = precinct_targets(attendance, Fraction(str(new_share)))
    if new_share != campaign.target_share:
        campaign.target_share = new_share
        campaign.save(update_fields=["target_share"])
    existing = {t.division_id: t for t in Target.objects.filter(campaign=campaign,
                                                                division_id__in=ids.tolist())}
    updates, creates = [], []
    for pk, att, goal in zip(ids.tolist(), attendance.tolist(), goals.tolist(), strict=True):
        t = existing.get(pk)
        if t is None:
            creates.append(Target(campaign=campaign, division_id=pk, expected_attendance=att,
                                  goal=goal))
        elif (t.expected_attendance, t.goal) != (att, goal):
            t.expected_attendance, t.goal = att, goal
            updates.append(t)
    Target.objects.bulk_create(creates, batch_size=1000)
    Target.objects.bulk_update(updates, ["expected_attendance", "goal"], batch_size=1000)
    audit.record(
        actor, "update", campaign, organization=campaign.lead_organization_id,
        changes={"share": str(new_share), "turnout_rate": turnout_rate,
                 "precincts": len(rows), "created": len(creates), "updated": len(updates),
                 "goal_total": int(goals.sum())},
        summary=f"Targets set in {len(rows)} precincts for {campaign} ({new_share:.0%})",
    )
    return len(rows)


# --- squads and recruits ----------------------------------------------------------------------


def _check_precinct_of(campaign: Campaign, division: Division) -> None:
    """A squad or recruit works in a precinct the campaign targets (when it has targets)."""
    targets = Target.objects.filter(campaign=campaign)
    if targets.exists() and not targets.filter(division=division).exists():
        raise ValidationError(f"{division} is not a precinct of {campaign}", parameter="division")


@transaction.atomic
def do_form_squad(
    actor: Any,
    campaign: Campaign,
    *,
    organization: Organization,
    division: Division,
    name: str,
    leader: Person | None = None,
    formed_on: dt.date | None = None,
) -> Squad:
    """Form a squad of ``organization`` in a precinct, optionally with its leader.

    The leader must be one of the organization's own people. The squad is private to the
    organization.
    """
    permissions.require_write(actor, Squad(campaign=campaign, organization=organization,
                                           division=division, leader=leader),
                              permissions.CREATE)
    require_part_in_campaign(organization, campaign)
    name = (name or "").strip()
    if not name:
        raise ValidationError("name must not be empty", parameter="name")
    if leader is not None and leader.owner_id != organization.pk:
        raise ValidationError("leader must be one of the organization's own people",
                              parameter="leader")
    _check_precinct_of(campaign, division)
    if Squad.objects.filter(campaign=campaign, organization=organization, name=name).exists():
        raise ConflictError(f"{organization} already has a squad named {name!r} in this campaign")
    squad = validated_save(Squad(
        campaign=campaign, organization=organization, division=division, name=name,
        leader=leader, formed_on=formed_on or clock.today(),
    ))
    audit.record(actor, "create", squad, summary=f"Squad {name} formed in {division}",
                 changes={"campaign": campaign, "division": division, "leader": leader})
    return squad


@transaction.atomic
def do_record_recruit(
    actor: Any,
    campaign: Campaign,
    *,
    person: Person,
    division: Division | None = None,
    squad: Squad | None = None,
    committed_on: dt.date | None = None,
) -> Recruit:
    """Record that ``person`` has committed to attend the caucus for the campaign.

    The recruit belongs to the person's organization (``person.owner``); the actor must
    organize there. The precinct defaults to the squad's, then to the person's division.
    """
    if person.owner_id is None:
        raise ValidationError("a public figure cannot be recorded as a recruit", parameter="person")
    permissions.require_write(actor, Recruit(campaign=campaign, organization_id=person.owner_id,
                                             person=person), permissions.CREATE)
    require_part_in_campaign(person.owner_id, campaign)
    if squad is not None:
        if squad.organization_id != person.owner_id or squad.campaign_id != campaign.pk:
            raise ValidationError("squad must be one of the organization's squads in this campaign",
                                  parameter="squad")
        division = division or squad.division
    division = division or person.division
    if division is None:
        raise ValidationError("division (the precinct) is required", parameter="division")
    _check_precinct_of(campaign, division)
    if squad is not None and squad.division_id != division.pk:
        raise ValidationError("the squad works in another precinct", parameter="squad")
    committed_on = committed_on or clock.today()
    if committed_on > clock.today():
        raise ValidationError(f"committed_on {committed_on} is in the future",
                              parameter="committed_on")
    if Recruit.objects.filter(campaign=campaign, person=person).exists():
        raise ConflictError(f"{person} is already a recruit of this campaign")
    recruit = validated_save(Recruit(
        campaign=campaign, organization_id=person.owner_id, person=person, division=division,
        squad=squad, committed_on=committed_on,
    ))
    audit.record(actor, "create", recruit, summary=f"Recruit committed in {division}",
                 changes={"campaign": campaign, "division": division, "squad": squad,
                          "committed_on": committed_on})
    return recruit


@transaction.atomic
def do_set_recruit_status(actor: Any, recruit: Recruit, status: str) -> Recruit:
    """Mark a recruit committed, attended or dropped (own organization only)."""
    permissions.require_write(actor, recruit, permissions.CHANGE)
    if status not in Recruit.Status.values:
        raise ValidationError(
            f"status must be one of {', '.join(Recruit.Status.values)}, got {status!r}",
            parameter="status")
    old = recruit.status
    recruit.status = status
    recruit.save(update_fields=["status"])
    audit.record(actor, "update", recruit, changes={"status": [old, status]},
                 summary=f"Recruit {old} -> {status}")
    return recruit


# --- caucus night -----------------------------------------------------------------------------


def parse_groups(groups: Any) -> dict[str, int]:
    """A mapping of subcaucus name -> members, with errors naming ``groups``."""
    if not isinstance(groups, Mapping) or not groups:
        raise ValidationError("groups must name at least one subcaucus with its members",
                              parameter="groups")
    out: dict[str, int] = {}
    for name, count in groups.items():
        label = str(name).strip()
        if not label:
            raise ValidationError("groups: every subcaucus needs a name", parameter="groups")
        if isinstance(count, bool) or not isinstance(count, int | str):
            raise ValidationError(f"groups: members of {label!r} must be a whole number, "
                                  f"got {count!r}", parameter="groups")
        try:
            n = int(count)
        except ValueError:
            raise ValidationError(f"groups: members of {label!r} must be a whole number, "
                                  f"got {count!r}", parameter="groups") from None
        if n < 0:
            raise ValidationError(f"groups: members of {label!r} must not be negative, got {n}",
                                  parameter="groups")
        if label in out:
            raise ValidationError(f"groups: {label!r} is listed twice", parameter="groups")
        out[label] = n
    return out


def compute_caucus(
    groups: Any, delegates: Any, *, rule: str = "dfl", attendees: Any = None,
    seed: Any = None,
) -> CaucusAllocation:
    """Validate caucus-night input and allocate the delegates (no write)."""
    counts = parse_groups(groups)
    n_delegates = _whole(delegates, "delegates", minimum=1)
    if rule not in RULES:
        raise ValidationError(f"rule must be one of {', '.join(RULES)}; got {rule!r}",
                              parameter="rule")
    n_attendees = None if attendees in (None, "") else _whole(attendees, "attendees")
    lot_seed = None if seed in (None, "") else _whole(seed, "seed")
    return allocate_delegates(counts, n_delegates, rule=rule, attendees=n_attendees, rng=lot_seed)


@dataclass(frozen=True)
class CaucusCalculation:
    """The caucus-night calculator's answer: the allocation, the counts it was made from and,
    for a bloc, every move that would win it another delegate (None without a bloc)."""

    result: CaucusAllocation
    counts: dict[str, int]
    what_if: WhatIfResult | None = None


def calculate_caucus(
    groups: Any, delegates: Any, *, rule: str = "dfl", attendees: Any = None,
    seed: Any = None, bloc: str | None = None,
) -> CaucusCalculation:
    """The caucus-night calculator of the precinct page and ``POST /api/caucus/allocate``.

    Allocates the delegates (:func:`compute_caucus`) and, with ``bloc`` (one of the groups),
    searches the moves that win it one more delegate
    (:func:`broadfront.analysis.caucus.what_if`, bounded by its
    ``MAX_WHATIF_ATTENDEES``; the recruits it tries follow the engine's default). No write.

    Raises
    ------
    ValidationError
        Naming ``groups``, ``delegates``, ``rule``, ``attendees``, ``seed`` or ``bloc``.
    """
    result = compute_caucus(groups, delegates, rule=rule, attendees=attendees, seed=seed)
    counts = parse_groups(groups)
    moves = None
    if bloc is not None:
        if bloc not in result.allocation:
            raise ValidationError(f"bloc {bloc!r} is not one of the groups", parameter="bloc")
        moves = what_if(counts, result.delegates, bloc, rule=result.rule,
                        attendees=result.attendees)
    return CaucusCalculation(result, counts, moves)


@transaction.atomic
def do_record_caucus_result(
    actor: Any,
    campaign: Campaign,
    *,
    division: Division,
    groups: Mapping[str, Any],
    delegates: Any,
    our_subcaucus: str,
    rule: str = "dfl",
    attendees: Any = None,
    seed: Any = None,
) -> CaucusResult:
    """Record caucus night in one precinct: subcaucus counts in, delegates won computed.

    Delegates are allocated with the campaign engine's rule (``dfl``, ``iowa`` or
    ``fair-reflection``); ties are settled by a lot drawn from ``seed`` and the draw is kept
    in the audit log. Recording again replaces the precinct's earlier result.
    """
    permissions.require_write(
        actor, CaucusResult.objects.filter(campaign=campaign, division=division).first()
        or CaucusResult(campaign=campaign, division=division))
    if division.level != Division.Level.PRECINCT:
        raise ValidationError(f"{division} is not a precinct", parameter="division")
    result = compute_caucus(groups, delegates, rule=rule, attendees=attendees, seed=seed)
    ours = (our_subcaucus or "").strip()
    if ours not in result.allocation:
        raise ValidationError(f"our_subcaucus {our_subcaucus!r} is not one of the groups",
                              parameter="our_subcaucus")
    existing = CaucusResult.objects.filter(campaign=campaign, division=division).first()
    obj = existing or CaucusResult(campaign=campaign, division=division)
    obj.attendees = result.attendees
    obj.delegates = result.delegates
    obj.subcaucuses = parse_groups(groups)
    obj.our_subcaucus = ours
    obj.delegates_won = result.allocation[ours]
    obj.rule = rule
    validated_save(obj)
    audit.record(
        actor, "update" if existing else "create", obj,
        organization=campaign.lead_organization_id,
        summary=f"Caucus result in {division}: {obj.delegates_won} of {obj.delegates} delegates",
        changes={"rule": rule, "subcaucuses": obj.subcaucuses, "delegates": obj.delegates,
                 "attendees": obj.attendees, "allocation": result.allocation,
                 "seed": seed, "lots": [
                     {"step": d.step, "tied": list(d.tied), "winners": list(d.winners)}
                     for d in result.ties_broken_by_lot]},
    )
    return obj
