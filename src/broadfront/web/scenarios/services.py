"""Use cases of blowback and realignment scenarios: build, save, run, reproduce, compare.

The simulation is :func:`broadfront.analysis.scenarios.run_scenario`; this module turns stored
bodies (seats, weights, blocs, the voting rule, the members' latest stances on an issue) and
stored races (candidates, divisions) into the engine's scenario file (see
``docs/scenarios.md``), saves scenarios only once :meth:`Scenario.from_dict` accepts them
(errors name the field as ``spec.<path>``; nothing is half-saved), and stores every run with
its seed, draws, inputs and results so that a saved scenario reproduces exactly.

Runs started from the web page are background jobs (:mod:`broadfront.web.jobs`, run by
``broadfront worker``) that write their progress into the run's ``result`` (``{"status":
"running", "done": k, "total": n}``) and the engine's result when done; the page polls a small
status endpoint, which says too when a run waits in the queue or its worker was lost.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from broadfront import clock
from broadfront.analysis import scenarios as engine
from broadfront.analysis.scenarios import DEFAULT_DRAWS, MAX_WEB_DRAWS
from broadfront.exceptions import BroadfrontError, NotFoundError, ValidationError
from broadfront.web.common import audit
from broadfront.web.common.services import require_role, validated_save
from broadfront.web.common.tenancy import ROLE_ORGANIZER
from broadfront.web.landscape.models import Body, Issue, Seat, Stance, VotingRule
from broadfront.web.organizations.models import Division, Organization
from broadfront.web.scenarios.models import Scenario, ScenarioRun

log = logging.getLogger(__name__)

SHOCK_KINDS = ("bloc_shift", "member_shift", "member_defects", "capture", "turnout")
METHODS = ("auto", "exact", "monte-carlo")
STALE_AFTER = dt.timedelta(hours=1)
_BOOKKEEPING = ("status", "inputs", "seconds", "done", "total", "error")


# --- reads --------------------------------------------------------------------------------------

def get_scenario_for_user(user: Any, pk: int) -> Scenario:
    """The scenario if one of ``user``'s organizations drew it up; NotFoundError otherwise."""
    scenario = Scenario.objects.visible_to(user).select_related(
        "organization", "body", "race").filter(pk=pk).first()
    if scenario is None:
        raise NotFoundError(f"scenario {pk} not found")
    return scenario


def get_run_for_user(user: Any, pk: int) -> ScenarioRun:
    run = ScenarioRun.objects.visible_to(user).select_related(
        "scenario", "scenario__organization").filter(pk=pk).first()
    if run is None:
        raise NotFoundError(f"scenario run {pk} not found")
    return run


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


# --- counting rule of a race ----------------------------------------------------------------------

#: the counting rules of a race, in words (the engine's ``race.rule``)
RACE_RULE_WORDS: dict[str, str] = {
    "plurality": "plurality: the most votes wins",
    "instant_runoff": "ranked-choice voting (instant runoff)",
    "top_two": "top-two runoff",
}


def race_rule_sentence(rule: str) -> str:
    """How a race under ``rule`` is decided, in one or two sentences."""
    if rule == "instant_runoff":
        return ("Ranked-choice voting (instant runoff): until a candidate has more than half of "
                "the continuing votes or two remain, the last candidate is eliminated and its "
                "voters move to their next choice by the transfer shares below (the rest "
                "exhaust).")
    if rule == "top_two":
        return ("Top-two runoff: a candidate with more than half of the first-round votes wins; "
                "otherwise the top two meet in a runoff, which the other candidates' voters "
                "join by the transfer shares below (the rest stay home).")
    return "The candidate with the most counted votes over all divisions wins."


def do_set_race_rule(actor: Any, scenario: Scenario, *, rule: str,
                     transfers: Mapping[str, Mapping[str, float]],
                     transfer_sd: float = 0.0) -> Scenario:
    """Set how a race is counted: ``rule``, the ``transfers`` between candidates
    (``{from: {to: share}}``, shares as fractions; zero shares are dropped) and their
    per-draw uncertainty ``transfer_sd``. The engine validates them; errors name the field
    (``spec.race.transfers.Kaplan.Quan``)."""
    require_role(actor, scenario.organization_id, ROLE_ORGANIZER)  # before any validation
    race = dict(scenario.spec.get("race") or {})
    if not race:
        raise ValidationError("only a scenario about a race has a counting rule",
                              parameter="rule")
    if rule not in RACE_RULE_WORDS:
        raise ValidationError(f"rule must be one of {', '.join(RACE_RULE_WORDS)}, got {rule!r}",
                              parameter="rule")
    for key in ("rule", "transfers", "transfer_sd"):
        race.pop(key, None)
    if rule != "plurality":
        race["rule"] = rule
    rows = {str(src): {str(dst): float(v) for dst, v in row.items() if v}
            for src, row in transfers.items()}
    rows = {src: row for src, row in rows.items() if row}
    if rows:
        race["transfers"] = rows
    if transfer_sd:
        race["transfer_sd"] = float(transfer_sd)
    spec = {**scenario.spec, "race": race}
    return do_save_scenario(actor, organization=scenario.organization, name=scenario.name,
                            spec=spec, description=scenario.description, seed=scenario.seed,
                            draws=scenario.draws, scenario=scenario)


def runoff_words(result: Mapping[str, Any]) -> str:
    """The count of a ranked-choice or top-two race in one or two sentences ("" otherwise)."""
    ro = result.get("runoff")
    if not isinstance(ro, Mapping):
        return ""
    q = {round(float(a), 2): float(b) for a, b in ro.get("final_share_quantiles", [])}
    rounds = float(ro.get("p_more_rounds", 0.0))
    what = ("more than one round" if ro.get("rule") == "instant_runoff" else "a runoff")
    return (f"Counted by {RACE_RULE_WORDS.get(str(ro.get('rule')), ro.get('rule'))}: the count "
            f"goes to {what} in {rounds:.1%} of outcomes. In the final round our candidate has "
            f"{float(ro.get('final_share_mean', 0.0)):.1%} of the continuing votes on average "
            f"({q.get(0.05, 0.0):.1%} in the worst one in twenty, {q.get(0.95, 0.0):.1%} in the "
            "best; 0% when eliminated earlier).")


# --- shocks in plain words ----------------------------------------------------------------------

_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def _steps_words(steps: float) -> str:
    n = abs(steps)
    word = _NUMBER_WORDS.get(int(n), f"{n:g}") if float(n).is_integer() else f"{n:g}"
    return f"{word} step{'s' if n != 1 else ''}"


def _chance(p: float) -> str:
    return "" if p >= 1 else f" with {p:.0%} chance"


def _where(divisions: Sequence[str], group: str | None) -> str:
    if group:
        return f" in group {group}"
    if divisions:
        return f" in {', '.join(divisions)}"
    return " everywhere"


def _fraction(raw: Any, field: str, lo: float = 0.0, hi: float = 1.0) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{field} must be a number, got {raw!r}", parameter=field) from exc
    if not math.isfinite(value) or not lo <= value <= hi:
        raise ValidationError(f"{field} must be between {lo:g} and {hi:g}, got {value:g}",
                              parameter=field)
    return value


def build_shock(kind: str, *, probability: Any = 1.0, bloc: str | None = None,
                member: str | None = None, steps: Any = 0, fraction: Any = 0,
                to: str | None = None, source: str | None = None,
                divisions: Sequence[str] = (), group: str | None = None,
                change: Any = 0) -> dict[str, Any]:
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
    p = _fraction(probability, "probability")
    out: dict[str, Any] = {"kind": kind}
    if p < 1:
        out["probability"] = p
    if kind in ("bloc_shift", "member_shift"):
        who = bloc if kind == "bloc_shift" else member
        field = "bloc" if kind == "bloc_shift" else "member"
        if not who:
            raise ValidationError(f"choose a {field}", parameter=field)
        k = _fraction(steps, "steps", -6, 6)
        if k == 0:
            raise ValidationError("steps must not be 0", parameter="steps")
        out[field] = who
        out["steps"] = k
        subject = f"the {who} bloc" if kind == "bloc_shift" else who
        way = "right (away from us)" if k < 0 else "toward us"
        out["label"] = f"{subject} moves {_steps_words(k)} {way}{_chance(p)}"
    elif kind == "member_defects":
        if not member:
            raise ValidationError("choose a member", parameter="member")
        out["member"] = member
        out["label"] = f"{member} defects{_chance(p)}"
    elif kind == "capture":
        if not to:
            raise ValidationError("choose who captures the votes", parameter="to")
        f = _fraction(fraction, "fraction")
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
                        f"{_where(divisions, group)}{_chance(p)}")
    else:
        c = _fraction(change, "change", -1, 5)
        if c == 0:
            raise ValidationError("change must not be 0", parameter="change")
        out["change"] = c
        if divisions:
            out["divisions"] = list(divisions)
        if group:
            out["group"] = group
        where = _where(divisions, group).replace(" everywhere", "")
        out["label"] = f"turnout{where} changes by {c:+.0%}{_chance(p)}"
    return out


# --- validation and saving ----------------------------------------------------------------------

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


def _int(raw: Any, field: str, lo: int, hi: int) -> int:
    if isinstance(raw, bool):
        raise ValidationError(f"{field} must be a whole number, got {raw!r}", parameter=field)
    try:
        value = int(raw)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{field} must be a whole number, got {raw!r}",
                              parameter=field) from exc
    if value != raw and not isinstance(raw, str):
        raise ValidationError(f"{field} must be a whole number, got {raw!r}", parameter=field)
    if not lo <= value <= hi:
        raise ValidationError(f"{field} must be between {lo:,} and {hi:,}, got {value:,}",
                              parameter=field)
    return value


@transaction.atomic
def do_save_scenario(actor: Any, *, organization: Organization, name: str, spec: Any,
                     description: str = "", body: Body | None = None, race: Any = None,
                     seed: Any = None, draws: Any = None,
                     scenario: Scenario | None = None) -> Scenario:
    """Create (or, with ``scenario``, update) a scenario after the engine accepts its spec.

    ``seed`` and ``draws`` default to the spec's (else 0 and 100,000) and are written into the
    stored spec, so the spec alone reruns the scenario exactly (``broadfront simulate``).
    Errors name the field (``name``, ``seed``, ``draws``, ``spec.body.members[2].weight``...);
    nothing is saved when one is raised.
    """
    if scenario is not None:
        organization = scenario.organization
    require_role(actor, organization.pk, ROLE_ORGANIZER)
    name = (name or "").strip()
    if not name:
        raise ValidationError("name must not be empty", parameter="name")
    if isinstance(spec, Mapping):
        if seed is None or seed == "":
            seed = spec.get("seed", scenario.seed if scenario else 0)
        if draws is None or draws == "":
            draws = spec.get("draws", scenario.draws if scenario else DEFAULT_DRAWS)
    seed_v = _int(0 if seed is None else seed, "seed", 0, 2**63 - 1)
    draws_v = _int(DEFAULT_DRAWS if draws is None else draws, "draws", 1, MAX_WEB_DRAWS)
    parsed, normalised = validate_spec(spec, name=name, seed=seed_v, draws=draws_v)
    if body is not None and race is not None:
        raise ValidationError("a scenario is about a body or a race, not both", parameter="race")
    if body is not None and parsed.body is None:
        raise ValidationError("spec: the scenario describes a race, but a body was chosen",
                              parameter="spec")
    if race is not None and parsed.race is None:
        raise ValidationError("spec: the scenario describes a body, but a race was chosen",
                              parameter="spec")
    if race is not None and getattr(race, "kind", None) != "electoral":
        raise ValidationError(f"{race} is not an electoral campaign", parameter="race")
    creating = scenario is None
    clash = Scenario.objects.filter(organization=organization, name=name)
    if scenario is not None:
        clash = clash.exclude(pk=scenario.pk)
    if clash.exists():
        raise ValidationError(f"name: {organization} already has a scenario called {name!r}",
                              parameter="name")
    if scenario is None:
        scenario = Scenario(organization=organization, created_by=actor
                            if getattr(actor, "is_authenticated", False) else None)
    before = {"name": scenario.name, "spec": scenario.spec} if not creating else {}
    scenario.name = name
    scenario.description = description.strip() if description is not None else ""
    scenario.spec = normalised
    scenario.seed = seed_v
    scenario.draws = draws_v
    if creating or body is not None or race is not None:
        scenario.body = body
        scenario.race = race
    if scenario.body_id is not None and parsed.body is None:
        scenario.body = None
    if scenario.race_id is not None and parsed.race is None:
        scenario.race = None
    validated_save(scenario, exclude=["created_by"])
    audit.record(actor, "create" if creating else "update", scenario,
                 organization=scenario.organization,
                 changes={"name": name, "shocks": len(parsed.shocks), "seed": seed_v,
                          "draws": draws_v, **({"before": before} if before else {})},
                 summary=f"scenario {name}")
    return scenario


def do_add_shock(actor: Any, scenario: Scenario, shock: Mapping[str, Any]) -> Scenario:
    """Append a shock (validated by the engine against the scenario's body or race)."""
    require_role(actor, scenario.organization_id, ROLE_ORGANIZER)
    spec = dict(scenario.spec)
    spec["shocks"] = [*spec.get("shocks", []), dict(shock)]
    return do_save_scenario(actor, organization=scenario.organization, name=scenario.name,
                            spec=spec, description=scenario.description, seed=scenario.seed,
                            draws=scenario.draws, scenario=scenario)


def do_remove_shock(actor: Any, scenario: Scenario, index: int) -> Scenario:
    """Remove the shock at ``index`` (0-based)."""
    require_role(actor, scenario.organization_id, ROLE_ORGANIZER)
    shocks = list(scenario.spec.get("shocks", []))
    if not 0 <= index < len(shocks):
        raise ValidationError(f"index: no shock number {index + 1}", parameter="index")
    del shocks[index]
    spec = {**scenario.spec, "shocks": shocks}
    return do_save_scenario(actor, organization=scenario.organization, name=scenario.name,
                            spec=spec, description=scenario.description, seed=scenario.seed,
                            draws=scenario.draws, scenario=scenario)


def do_set_probabilities(actor: Any, scenario: Scenario,
                         chances: Mapping[str, float | None]) -> Scenario:
    """Set members' chances of voting with us directly (``None``: back to their stance)."""
    require_role(actor, scenario.organization_id, ROLE_ORGANIZER)
    body = dict(scenario.spec.get("body") or {})
    if not body:
        raise ValidationError("only a scenario about a body has members", parameter="spec")
    members = []
    names = {m.get("name") for m in body.get("members", [])}
    unknown = sorted(set(chances) - names)
    if unknown:
        raise ValidationError(f"{', '.join(map(str, unknown))} is not a member",
                              parameter="members")
    for m in body.get("members", []):
        m = dict(m)
        if m["name"] in chances:
            p = chances[m["name"]]
            if p is None:
                if "stance" not in m:
                    continue
                m.pop("p_with_us", None)
            else:
                m["p_with_us"] = _fraction(p, f"members.{m['name']}")
                m.pop("stance", None)
        members.append(m)
    spec = {**scenario.spec, "body": {**body, "members": members}}
    return do_save_scenario(actor, organization=scenario.organization, name=scenario.name,
                            spec=spec, description=scenario.description, seed=scenario.seed,
                            draws=scenario.draws, scenario=scenario)


def do_copy_scenario(actor: Any, scenario: Scenario, name: str) -> Scenario:
    """Save a copy under a new name (to vary it and compare side by side)."""
    require_role(actor, scenario.organization_id, ROLE_ORGANIZER)
    return do_save_scenario(actor, organization=scenario.organization, name=name,
                            spec=scenario.spec, description=scenario.description,
                            body=scenario.body, race=scenario.race, seed=scenario.seed,
                            draws=scenario.draws)


@transaction.atomic
def do_delete_scenario(actor: Any, scenario: Scenario) -> None:
    require_role(actor, scenario.organization_id, ROLE_ORGANIZER)
    audit.record(actor, "delete", scenario, organization=scenario.organization,
                 summary=f"scenario {scenario.name}")
    scenario.delete()


# --- runs ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RunInputs:
    """What a run was asked for (stored in the run so it reproduces exactly)."""

    draws: int
    seed: int
    method: str
    target: float


def _inputs(scenario: Scenario, parsed: engine.Scenario, draws: Any, seed: Any, method: str,
            target: Any) -> RunInputs:
    if method not in METHODS:
        raise ValidationError(f"method must be one of {', '.join(METHODS)}, got {method!r}",
                              parameter="method")
    d = scenario.draws if draws in (None, "") else _int(draws, "draws", 1, MAX_WEB_DRAWS)
    s = scenario.seed if seed in (None, "") else _int(seed, "seed", 0, 2**63 - 1)
    t = parsed.target if target in (None, "") else _fraction(target, "target")
    if not 0 < t < 1:
        raise ValidationError(f"target must be between 0 and 1 (exclusive), got {t:g}",
                              parameter="target")
    return RunInputs(d, s, method, t)


def _run_spec(scenario: Scenario) -> engine.Scenario:
    try:
        parsed, _ = validate_spec(scenario.spec, name=scenario.name, seed=scenario.seed,
                                  draws=scenario.draws)
    except ValidationError as exc:
        raise ValidationError(f"this scenario cannot run until its file is fixed: {exc}",
                              parameter=exc.parameter) from exc
    return parsed


@transaction.atomic
def _create_run(actor: Any, scenario: Scenario, inputs: RunInputs) -> ScenarioRun:
    require_role(actor, scenario.organization_id, ROLE_ORGANIZER)
    parsed = _run_spec(scenario)
    run = ScenarioRun.objects.create(
        scenario=scenario, seed=inputs.seed, draws=inputs.draws, spec=parsed.to_dict(),
        method="pending", p_hold=0.0, p_hold_se=0.0,
        result={"status": "running", "done": 0, "total": inputs.draws,
                "inputs": {"method": inputs.method, "target": inputs.target}},
    )
    audit.record(actor, "run", run, organization=scenario.organization,
                 changes={"seed": inputs.seed, "draws": inputs.draws, "method": inputs.method},
                 summary=f"ran scenario {scenario.name}")
    return run


def execute_run(run_pk: int, progress: Callable[[int, int], None] | None = None) -> ScenarioRun:
    """Run a stored pending run through the engine and store its result (or its failure)."""
    run = ScenarioRun.objects.get(pk=run_pk)
    inputs = dict(run.result.get("inputs", {}))
    started = time.monotonic()
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if progress is not None:
            progress(done, total)
        if now - last[0] >= 0.5 and done < total:
            last[0] = now
            ScenarioRun.objects.filter(pk=run_pk).update(
                result={"status": "running", "done": done, "total": total, "inputs": inputs})

    try:
        scenario = engine.Scenario.from_dict(run.spec)
        result = engine.run_scenario(scenario, draws=run.draws, rng=run.seed,
                                     method=inputs.get("method", "auto"),
                                     target=inputs.get("target"), progress=report)
    except BroadfrontError as exc:
        run.method, run.result = "failed", {"status": "failed", "error": str(exc),
                                            "inputs": inputs}
    except Exception as exc:  # a bug, not bad input: tell the user, keep the run honest
        log.exception("scenario run %s failed", run_pk)
        run.method, run.result = "failed", {"status": "failed",
                                            "error": f"unexpected error: {exc}", "inputs": inputs}
    else:
        run.method = result.method
        run.p_hold = min(1.0, max(0.0, result.p_hold))
        run.p_hold_se = result.p_hold_se
        run.result = {**result.to_dict(), "status": "done", "inputs": inputs,
                      "seconds": round(time.monotonic() - started, 3)}
    run.save(update_fields=["method", "p_hold", "p_hold_se", "result"])
    return run


def do_run_scenario(actor: Any, scenario: Scenario, *, draws: Any = None, seed: Any = None,
                    method: str = "auto", target: Any = None,
                    progress: Callable[[int, int], None] | None = None) -> ScenarioRun:
    """Run a saved scenario now and store the run (seed, draws, spec, inputs, results).

    ``draws`` and ``seed`` default to the scenario's; the same scenario, seed and draws give
    exactly the same stored result (see :func:`reproduce`).
    """
    parsed = _run_spec(scenario)
    inputs = _inputs(scenario, parsed, draws, seed, method, target)
    run = _create_run(actor, scenario, inputs)
    return execute_run(run.pk, progress)


def start_run(actor: Any, scenario: Scenario, *, draws: Any = None, seed: Any = None,
              method: str = "auto", target: Any = None,
              background: bool | None = None) -> ScenarioRun:
    """Store a pending run and queue it as a background job (``broadfront worker`` runs it).

    The run's ``result`` holds ``{"status": "running", "done": k, "total": n, "job": id}``
    until the engine's result replaces it; :func:`run_status` says whether it is queued,
    running, done or failed. With ``background=False`` (or the setting
    ``BROADFRONT_SCENARIO_RUNS_IN_BACKGROUND = False``) it runs before returning.

    Raises
    ------
    ConflictError
        If the organization already has as many jobs queued or running as it may (nothing is
        stored then).
    """
    from django.conf import settings

    from broadfront.web.jobs.runner import submit
    from broadfront.web.scenarios.tasks import run_scenario

    parsed = _run_spec(scenario)
    inputs = _inputs(scenario, parsed, draws, seed, method, target)
    if background is None:
        background = settings.BROADFRONT_SCENARIO_RUNS_IN_BACKGROUND
    if not background:
        run = _create_run(actor, scenario, inputs)
        return execute_run(run.pk)
    with transaction.atomic():
        run = _create_run(actor, scenario, inputs)
        job = submit(run_scenario, run.pk, kind="scenario-run",
                     organization=scenario.organization_id, actor=actor,
                     label=f"{scenario.name} ({inputs.draws:,} draws)")
        ScenarioRun.objects.filter(pk=run.pk, method="pending").update(
            result={**run.result, "job": job.pk})
    run.refresh_from_db()
    return run


@dataclass(frozen=True)
class RunStatus:
    """Where a run stands: ``queued`` (``words`` says how many jobs are ahead), ``running``
    (with draws done of total), ``done``, ``failed`` or ``interrupted`` (a run from before
    background jobs, still running an hour later: the server restarted mid-run)."""

    status: str
    done: int
    total: int
    error: str
    words: str = ""

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


def run_status(run: ScenarioRun, now: dt.datetime | None = None) -> RunStatus:
    result = run.result if isinstance(run.result, dict) else {}
    status = str(result.get("status") or ("done" if run.method not in ("pending", "failed")
                                          else "failed"))
    now = now or clock.now()
    job_id = result.get("job")
    if status == "running" and job_id is not None:
        from broadfront.web.jobs.models import Job
        from broadfront.web.jobs.runner import state

        job = Job.objects.filter(pk=job_id).first()
        if job is not None:
            js = state(job, now)
            total = int(result.get("total", run.draws) or 0)
            if js.status == Job.Status.QUEUED:
                return RunStatus("queued", 0, total, js.error, js.words)
            if js.status == Job.Status.FAILED:
                return RunStatus("failed", int(result.get("done", 0) or 0), total,
                                 f"the run did not finish: {js.error}")
            if js.status == Job.Status.DONE:  # the job ended without storing (run deleted?)
                run.refresh_from_db()
                result = run.result if isinstance(run.result, dict) else {}
                status = str(result.get("status") or "failed")
            # running: the run's own progress below
    elif status == "running" and run.computed_at and now - run.computed_at > STALE_AFTER:
        return RunStatus("interrupted", int(result.get("done", 0)),
                         int(result.get("total", run.draws)),
                         "the run stopped before it finished (the server restarted?); "
                         "run it again")
    if status == "done":
        return RunStatus("done", run.draws, run.draws, "")
    return RunStatus(status, int(result.get("done", 0) or 0),
                     int(result.get("total", run.draws) or 0), str(result.get("error", "")))


def stored_result(run: ScenarioRun) -> dict[str, Any]:
    """The engine's result as stored in the run (without the bookkeeping entries)."""
    result = run.result if isinstance(run.result, dict) else {}
    return {k: v for k, v in result.items() if k not in _BOOKKEEPING}


def reproduce(run: ScenarioRun) -> engine.ScenarioResult:
    """Recompute a stored run from its stored spec, seed, draws and inputs."""
    inputs = run.result.get("inputs", {}) if isinstance(run.result, dict) else {}
    return engine.run_scenario(engine.Scenario.from_dict(run.spec), draws=run.draws,
                               rng=run.seed, method=inputs.get("method", "auto"),
                               target=inputs.get("target"))


# --- comparing ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Comparison:
    """One scenario's latest finished run, summarised for a side-by-side table."""

    scenario: Scenario
    run: ScenarioRun | None
    p_hold: float | None
    p_hold_se: float | None
    p_without: float | None
    method: str
    most_fragile: list[tuple[str, float]]
    worst_shock: str
    what_it_takes: str

    @property
    def plus_minus(self) -> str:
        """Twice the standard error, in points ("" when exact)."""
        return f"± {200 * self.p_hold_se:.1f} pts" if self.p_hold_se else ""


def latest_finished_run(scenario: Scenario) -> ScenarioRun | None:
    for run in scenario.runs.order_by("-computed_at", "-pk"):
        if run_status(run).status == "done":
            return run
    return None


def what_it_takes_words(result: Mapping[str, Any]) -> str:
    """"What would it take" in one sentence."""
    w = result.get("what_it_takes") or {}
    target = float(w.get("target", 0.8))
    if not w:
        return ""
    if w.get("search") == "none needed":
        return f"Nothing: the chance of holding is already at least {target:.0%}."
    after = float(w.get("p_hold_after", 0))
    if w.get("members_persuaded"):
        who = ", ".join(w["members_persuaded"])
        n = len(w["members_persuaded"])
        verb = "Persuading" if w.get("achieved") else "Even persuading"
        tail = (f"lifts the chance of holding to {after:.0%} (target {target:.0%})"
                if w.get("achieved") else f"only reaches {after:.0%}, short of {target:.0%}")
        return f"{verb} {who} ({n} member{'s' if n != 1 else ''}) {tail}."
    if w.get("votes_needed") is not None:
        votes = float(w["votes_needed"])
        share = float(w.get("turnout_added") or 0)
        if not w.get("achieved"):
            return (f"Even {votes:,.0f} more votes for us only reach {after:.0%}, "
                    f"short of {target:.0%}.")
        return (f"About {votes:,.0f} more counted votes for us ({share:.1%} more than the "
                f"expected turnout) lift the chance of holding to {after:.0%}.")
    if not w.get("achieved"):
        return f"No change the engine tried reaches {target:.0%} (best: {after:.0%})."
    return f"The chance of holding reaches {after:.0%}."


def compare_runs(scenarios: Sequence[Scenario]) -> list[Comparison]:
    """Each scenario's latest finished run, for a side-by-side comparison."""
    rows = []
    for s in scenarios:
        run = latest_finished_run(s)
        if run is None:
            rows.append(Comparison(s, None, None, None, None, "not run yet", [], "", ""))
            continue
        r = stored_result(run)
        fragile = sorted(((str(k), float(v)) for k, v in (r.get("fragile") or {}).items()),
                         key=lambda kv: -kv[1])[:3]
        shocks = sorted(r.get("damaging_shocks") or [], key=lambda d: -float(d["marginal"]))
        worst = ""
        if shocks:
            worst = (f"{shocks[0]['shock']} (preventing it wins back "
                     f"{100 * float(shocks[0]['marginal']):.0f} points)")
        rows.append(Comparison(s, run, run.p_hold, run.p_hold_se,
                               float(r.get("p_hold_without_shocks", run.p_hold)), run.method,
                               fragile, worst, what_it_takes_words(r)))
    return rows
