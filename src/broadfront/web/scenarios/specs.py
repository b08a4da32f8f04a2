"""Scenario files built from stored records: a vote in a body, a race, a shock.

A stored body (seats, weights, blocs, the voting rule, the members' latest stances on an
issue) or a stored race (candidates, divisions) becomes the engine's scenario file (see
``docs/scenarios.md``); :func:`validate_spec` is the one check a file passes before it is
saved or run (errors name the field as ``spec.<path>``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from broadfront import clock
from broadfront.analysis import scenarios as engine
from broadfront.analysis.scenarios import MAX_WEB_DRAWS
from broadfront.exceptions import ValidationError
from broadfront.web.landscape.models import Body, Issue, Seat, Stance, VotingRule
from broadfront.web.organizations.models import Division
from broadfront.web.scenarios._checks import fraction_in
from broadfront.web.scenarios.words import (
    RACE_RULE_WORDS,
    chance_words,
    steps_words,
    where_words,
)

SHOCK_KINDS = ("bloc_shift", "member_shift", "member_defects", "capture", "turnout")

# --- building a spec from stored records --------------------------------------------------------

@dataclass(frozen=True)
class BuiltSpec:
    """A scenario spec built from the database, and where each number came from, in words."""

    spec: dict[str, Any]
    notes: tuple[str, ...]


def current_seats(body: Body, on: dt.date | None = None) -> list[Seat]:
    """The body's seats held on ``on`` (today by default), in label order.

    A body that has not sat yet (every seat starts later, as for a convention still to meet)
    is taken in its coming composition: the seats that have not ended.
    """
    on = on or clock.today()
    open_seats = body.seats.filter(Q(end_date__isnull=True) | Q(end_date__gte=on)) \
        .select_related("holder", "holder_organization").order_by("label")
    held = [s for s in open_seats if s.start_date is None or s.start_date <= on]
    return held or list(open_seats)


def engine_rule(rule: VotingRule | None) -> dict[str, Any]:
    """A stored voting rule in the engine's form (a simple majority when there is none)."""
    if rule is None or rule.kind == VotingRule.Kind.SIMPLE_MAJORITY:
        return {"kind": "majority"}
    if rule.kind == VotingRule.Kind.SUPERMAJORITY:
        out: dict[str, Any] = {"kind": "supermajority"}
        if rule.threshold is not None:
            out["fraction"] = float(rule.threshold)
        return out
    if rule.kind == VotingRule.Kind.QUOTA:
        if rule.quota is None:
            raise ValidationError(f"the quota rule of {rule.body} has no quota",
                                  parameter="body")
        return {"kind": "quota", "quota": float(rule.quota)}
    out = {"kind": "double_majority"}
    if rule.quota is not None:
        out["quota"] = float(rule.quota)
    elif rule.threshold is not None:
        out["fraction"] = float(rule.threshold)
    return out


def latest_stances(user: Any, issue: Issue, seats: Sequence[Seat]) -> dict[int, Stance]:
    """The most recent stance visible to ``user`` on ``issue`` of each seat's holder, by seat id."""
    people = {s.holder_id for s in seats if s.holder_id}
    orgs = {s.holder_organization_id for s in seats if s.holder_organization_id and not s.holder_id}
    stances = Stance.objects.visible_to(user).filter(issue=issue).filter(
        Q(person_id__in=people) | Q(organization_id__in=orgs)
    ).order_by("-assessed_on", "-id")
    by_person: dict[int, Stance] = {}
    by_org: dict[int, Stance] = {}
    for st in stances:
        if st.person_id is not None:
            by_person.setdefault(st.person_id, st)
        elif st.organization_id is not None:
            by_org.setdefault(st.organization_id, st)
    out = {}
    for seat in seats:
        found = by_person.get(seat.holder_id) if seat.holder_id else (
            by_org.get(seat.holder_organization_id) if seat.holder_organization_id else None)
        if found is not None:
            out[seat.pk] = found
    return out


def member_names(seats: Sequence[Seat]) -> dict[int, str]:
    """A unique member name per seat: the holder's name, with the seat label when two share it."""
    names = {s.pk: s.holder_name for s in seats}
    counts: dict[str, int] = {}
    for n in names.values():
        counts[n] = counts.get(n, 0) + 1
    return {s.pk: (f"{names[s.pk]} ({s.label})" if counts[names[s.pk]] > 1 else names[s.pk])
            for s in seats}


def spec_from_body(user: Any, body: Body, *, issue: Issue | None = None,
                   probabilities: Mapping[str, float] | None = None,
                   name: str | None = None, cohesion: float = 0.5,
                   on: dt.date | None = None) -> BuiltSpec:
    """The scenario spec of a vote in a stored body.

    Members are the seats held on ``on`` (weights and blocs from the seats); each member's
    chance of voting with us is, in order: the value in ``probabilities`` (by member name,
    0..1), else their latest stance on ``issue`` visible to ``user`` (turned into a chance by
    the engine's stance link, ``p = 1 / (1 + exp(-1.5 x stance))``), else an even 50% chance
    (stated in the notes). Every bloc gets ``cohesion``. The rule is the body's voting rule
    named "default" (or its first).
    """
    if not 0 <= cohesion <= 1:
        raise ValidationError(f"cohesion must be between 0 and 1, got {cohesion}",
                              parameter="cohesion")
    seats = current_seats(body, on)
    if not seats:
        raise ValidationError(f"{body.name} has no seats held today to simulate",
                              parameter="body")
    probabilities = dict(probabilities or {})
    names = member_names(seats)
    unknown = sorted(set(probabilities) - set(names.values()))
    if unknown:
        raise ValidationError(f"probabilities: {', '.join(unknown)} sit(s) on no seat of "
                              f"{body.name}", parameter="probabilities")
    stances = latest_stances(user, issue, seats) if issue is not None else {}
    members: list[dict[str, Any]] = []
    notes: list[str] = []
    missing: list[str] = []
    for seat in seats:
        nm = names[seat.pk]
        m: dict[str, Any] = {"name": nm, "weight": float(seat.weight)}
        if nm in probabilities:
            p = probabilities[nm]
            if not 0 <= p <= 1:
                raise ValidationError(f"probabilities: {nm}'s chance must be between 0 and 1, "
                                      f"got {p}", parameter="probabilities")
            m["p_with_us"] = float(p)
            notes.append(f"{nm}: set directly to {p:.0%}.")
        elif seat.pk in stances:
            st = stances[seat.pk]
            m["stance"] = int(st.score)
            notes.append(f"{nm}: {st.label.lower()} ({st.score:+d}) on {issue} as of "
                         f"{st.assessed_on:%d %b %Y}, so "
                         f"{engine.StanceLink().probability(st.score):.0%} with us.")
        else:
            m["p_with_us"] = 0.5
            missing.append(nm)
        if seat.bloc:
            m["bloc"] = seat.bloc
        members.append(m)
    if missing:
        where = f" on {issue}" if issue is not None else ""
        notes.append(f"No stance recorded{where} for {', '.join(missing)}: an even 50% chance "
                     "each until you set one.")
    rule = body.rules.filter(name="default").first() or body.rules.order_by("pk").first()
    blocs = sorted({m["bloc"] for m in members if "bloc" in m})
    spec: dict[str, Any] = {
        "name": name or f"Does our majority on {body.name} hold?",
        "body": {"rule": engine_rule(rule), "members": members,
                 **({"blocs": {b: {"cohesion": cohesion} for b in blocs}} if blocs else {})},
    }
    return BuiltSpec(spec, tuple(notes))


def race_divisions(campaign: Any) -> list[Division]:
    """The constituencies of a stored race: its target divisions, else the children of its
    division, else its division itself."""
    targeted = list(Division.objects.filter(targets__campaign=campaign).order_by("ocd_id"))
    if targeted:
        return targeted
    if campaign.division_id is None:
        return []
    children = list(campaign.division.children.order_by("ocd_id"))
    return children or [campaign.division]


def spec_from_race(user: Any, campaign: Any, *, shares: Mapping[str, float] | None = None,
                   turnout: float = 0.5, name: str | None = None,
                   rule: str = "plurality",
                   transfers: Mapping[str, Mapping[str, float]] | None = None,
                   transfer_sd: float = 0.0) -> BuiltSpec:
    """The scenario spec of a stored race (an electoral campaign with candidates).

    Candidates come from the race (write-ins flagged, ours marked); divisions from
    :func:`race_divisions`, each with its expected turnout (``expected_attendance``, or the
    party's vote there at the last comparable election) as ``voters x turnout``. Nothing in the
    database says how each division splits between the candidates, so every division starts
    from the same expected ``shares`` (by candidate name; an even split by default), which the
    organizer then edits. ``rule`` is how the race is counted (``plurality``,
    ``instant_runoff`` or ``top_two``) with the ``transfers`` between candidates
    (``{from: {to: share}}``; none by default: an eliminated candidate's votes exhaust) and
    their uncertainty ``transfer_sd``; the engine validates them when the spec is saved.
    """
    if rule not in RACE_RULE_WORDS:
        raise ValidationError(f"rule must be one of {', '.join(RACE_RULE_WORDS)}, got {rule!r}",
                              parameter="rule")
    if getattr(campaign, "kind", None) != "electoral":
        raise ValidationError(f"{campaign} is not an electoral campaign", parameter="race")
    if not 0 < turnout <= 1:
        raise ValidationError(f"turnout must be in (0, 1], got {turnout}", parameter="turnout")
    candidates = list(campaign.candidates.select_related("person").order_by("pk"))
    if len(candidates) < 2:
        raise ValidationError(f"{campaign} needs at least two candidates", parameter="race")
    names = [str(c.person) for c in candidates]
    ours = [str(c.person) for c in candidates if c.is_ours]
    if len(ours) != 1:
        raise ValidationError(f"{campaign} needs exactly one candidate marked as ours",
                              parameter="race")
    if shares is None:
        shares = {n: 1 / len(names) for n in names}
    unknown = sorted(set(shares) - set(names))
    if unknown:
        raise ValidationError(f"shares: {', '.join(unknown)} is not a candidate in {campaign}",
                              parameter="shares")
    total = sum(shares.get(n, 0.0) for n in names)
    if total <= 0 or any(v < 0 for v in shares.values()):
        raise ValidationError("shares must be non-negative and add up to more than 0",
                              parameter="shares")
    split = {n: round(shares.get(n, 0.0) / total, 6) for n in names}
    divisions = race_divisions(campaign)
    rows = []
    notes = []
    for d in divisions:
        expected = d.expected_attendance or d.party_vote
        if expected <= 0:
            notes.append(f"{d.name}: no expected turnout recorded; left out.")
            continue
        rows.append({"name": d.name, "voters": round(expected / turnout),
                     "turnout": turnout, "shares": dict(split)})
    if not rows:
        raise ValidationError(f"{campaign} has no division with an expected turnout",
                              parameter="race")
    notes.append("Every division starts from the same expected split ("
                 + ", ".join(f"{n} {v:.0%}" for n, v in split.items())
                 + "); edit the shares division by division in the scenario file.")
    cands: list[dict[str, Any]] = []
    for c, n in zip(candidates, names, strict=True):
        entry: dict[str, Any] = {"name": n}
        if c.is_write_in:
            entry["write_in"] = True
            entry["counted"] = 0.95
        cands.append(entry)
    if any(c.is_write_in for c in candidates):
        notes.append("Write-in candidates keep 95% of the votes meant for them (misspelled or "
                     "spoiled write-ins); change 'counted' to adjust.")
    race: dict[str, Any] = {"our_candidate": ours[0], "candidates": cands, "divisions": rows}
    if rule != "plurality":
        race["rule"] = rule
        if not transfers:
            notes.append("No transfers between candidates yet: an eliminated candidate's "
                         "voters rank nobody else until you set where they go on the scenario "
                         "page.")
    if transfers:
        race["transfers"] = {str(k): dict(v) for k, v in transfers.items()}
    if transfer_sd:
        race["transfer_sd"] = transfer_sd
    spec = {"name": name or f"Does {ours[0]} hold in {campaign.name}?", "race": race}
    return BuiltSpec(spec, tuple(notes))


# --- shocks --------------------------------------------------------------------------------------

def build_shock(kind: str, *, probability: float = 1.0, bloc: str | None = None,
                member: str | None = None, steps: float = 0, fraction: float = 0,
                to: str | None = None, source: str | None = None,
                divisions: Sequence[str] = (), group: str | None = None,
                change: float = 0) -> dict[str, Any]:
    """One shock in the engine's form with a plain-words ``label``.

    ``steps`` are on the -3..+3 spectrum (negative: away from us, toward the right);
    ``probability``, ``fraction`` and ``change`` are fractions (0.4 for 40%).

    Examples
    --------
    >>> build_shock("bloc_shift", bloc="centrist", steps=-2, probability=0.4)["label"]
    'the centrist bloc moves two steps right (away from us) with 40% chance'
    >>> build_shock("turnout", group="renters", change=-0.1)["label"]
    'turnout in group renters changes by -10%'
    """
    if kind not in SHOCK_KINDS:
        raise ValidationError(f"kind must be one of {', '.join(SHOCK_KINDS)}, got {kind!r}",
                              parameter="kind")
    p = fraction_in(probability, "probability")
    out: dict[str, Any] = {"kind": kind}
    if p < 1:
        out["probability"] = p
    if kind in ("bloc_shift", "member_shift"):
        who = bloc if kind == "bloc_shift" else member
        field = "bloc" if kind == "bloc_shift" else "member"
        if not who:
            raise ValidationError(f"choose a {field}", parameter=field)
        k = fraction_in(steps, "steps", -6, 6)
        if k == 0:
            raise ValidationError("steps must not be 0", parameter="steps")
        out[field] = who
        out["steps"] = k
        subject = f"the {who} bloc" if kind == "bloc_shift" else who
        way = "right (away from us)" if k < 0 else "toward us"
        out["label"] = f"{subject} moves {steps_words(k)} {way}{chance_words(p)}"
    elif kind == "member_defects":
        if not member:
            raise ValidationError("choose a member", parameter="member")
        out["member"] = member
        out["label"] = f"{member} defects{chance_words(p)}"
    elif kind == "capture":
        if not to:
            raise ValidationError("choose who captures the votes", parameter="to")
        f = fraction_in(fraction, "fraction")
        if f == 0:
            raise ValidationError("fraction must be more than 0", parameter="fraction")
        out.update({"to": to, "fraction": f})
        if source:
            out["from"] = source
        if divisions:
            out["divisions"] = list(divisions)
        if group:
            out["group"] = group
        whose = f"{source}'s" if source else "our"
        out["label"] = (f"{to} captures {f:.0%} of {whose} base"
                        f"{where_words(divisions, group)}{chance_words(p)}")
    else:
        c = fraction_in(change, "change", -1, 5)
        if c == 0:
            raise ValidationError("change must not be 0", parameter="change")
        out["change"] = c
        if divisions:
            out["divisions"] = list(divisions)
        if group:
            out["group"] = group
        where = where_words(divisions, group).replace(" everywhere", "")
        out["label"] = f"turnout{where} changes by {c:+.0%}{chance_words(p)}"
    return out


# --- validation ---------------------------------------------------------------------------------

def validate_spec(spec: Any, *, name: str | None = None, seed: int | None = None,
                  draws: int | None = None) -> tuple[engine.Scenario, dict[str, Any]]:
    """The engine's scenario and its normalised JSON form, with ``name``, ``seed``, ``draws``.

    Errors name the field as ``spec.<path>`` (for example ``spec.body.members[2].weight``).
    """
    if not isinstance(spec, Mapping):
        raise ValidationError(f"spec must be a JSON object, got {type(spec).__name__}",
                              parameter="spec")
    data = dict(spec)
    data.pop("description", None)
    if name is not None:
        data["name"] = name
    if seed is not None:
        data["seed"] = seed
    if draws is not None:
        data["draws"] = draws
    try:
        parsed = engine.Scenario.from_dict(data)
    except ValidationError as exc:
        path = exc.parameter or ""
        message = str(exc)
        if exc.location and message.startswith(f"{exc.location}: "):
            message = message[len(exc.location) + 2:]
        field = f"spec.{path}" if path and path != "scenario" else "spec"
        raise ValidationError(f"{field}: {message}", parameter=field) from exc
    if parsed.draws > MAX_WEB_DRAWS:
        raise ValidationError(f"draws must be at most {MAX_WEB_DRAWS:,}, got {parsed.draws:,}",
                              parameter="draws")
    return parsed, parsed.to_dict()
