"""Read-side use cases for the "Landscape" and "Bodies and power" pages.

Stances and relationships are assessments shared among coalition partners (never about a
partner's private people): they come from ``Stance.objects.visible_to(user)`` and
``Relationship.objects.visible_to(user)``. Issues, bodies, seats, motions and recorded votes are
public records; a seat holder or voter is named only when the user may see that person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from broadfront.analysis.spectrum import STANCE_LABELS, Spectrum, spectrum_of_allies
from broadfront.web.landscape.models import (
    Issue,
    Relationship,
    Seat,
    Stance,
)
from broadfront.web.organizations.models import Organization, Person

# The five bands of the spectrum of allies, and which -3..+3 scores fall in each.
BANDS: list[tuple[str, tuple[int, ...]]] = [
    ("Active opposition", (-3,)),
    ("Passive opposition", (-2, -1)),
    ("Neutral", (0,)),
    ("Passive allies", (1, 2)),
    ("Active allies", (3,)),
]


def band_of(score: int) -> int:
    """Index (0..4) of the spectrum band a -3..+3 score falls in."""
    for i, (_label, scores) in enumerate(BANDS):
        if score in scores:
            return i
    raise ValueError(f"score must be in -3..3, got {score}")


def actor_key(organization_id: int | None, person_id: int | None) -> str:
    """The id of an actor on the map and in the engines: ``o:<pk>`` or ``p:<pk>``."""
    return f"o:{organization_id}" if organization_id else f"p:{person_id}"


#: Influence of a person: their own 0-5 rating when one is recorded; otherwise a person who
#: holds a seat on a decision body (a vote that decides) counts 3 and anyone else 1
#: (organizations use their own 0-5 rating).
SEAT_HOLDER_INFLUENCE = 3
PERSON_INFLUENCE = 1


def influence_of(keys: Iterable[str]) -> dict[str, float]:
    """Influence of each actor key (organizations: their rating; people: see above)."""
    keys = list(keys)
    org_ids = [int(k[2:]) for k in keys if k.startswith("o:")]
    person_ids = [int(k[2:]) for k in keys if k.startswith("p:")]
    ratings = dict(Organization.objects.filter(id__in=org_ids).values_list("id", "influence"))
    seated = set(Seat.objects.filter(holder_id__in=person_ids).values_list("holder_id", flat=True))
    rated: dict[int, int] = {
        pk: int(value or 0) for pk, value in Person.objects.filter(
            id__in=person_ids, influence__isnull=False).values_list("id", "influence")
    }
    out: dict[str, float] = {}
    for k in keys:
        pk = int(k[2:])
        if k.startswith("o:"):
            out[k] = float(ratings.get(pk, 1))
        else:
            default = SEAT_HOLDER_INFLUENCE if pk in seated else PERSON_INFLUENCE
            out[k] = float(rated.get(pk, default))
    return out


@dataclass(frozen=True)
class ActorStance:
    """An actor's latest stance on an issue, and the one before it (to show movement)."""

    stance: Stance
    previous: int | None

    @property
    def name(self) -> str:
        return str(self.stance.actor)

    @property
    def key(self) -> str:
        return actor_key(self.stance.organization_id, self.stance.person_id)

    @property
    def band(self) -> int:
        return band_of(self.stance.score)

    @property
    def moved(self) -> int:
        return 0 if self.previous is None else self.stance.score - self.previous


def stances(user: Any) -> QuerySet[Stance]:
    return Stance.objects.visible_to(user).select_related(
        "issue", "organization", "person", "recorded_by"
    )


def latest_stances(user: Any, issue: Issue) -> list[ActorStance]:
    """For each actor with a visible stance on ``issue``: the latest one and the one before."""
    seen: dict[tuple[str, int], list[Stance]] = {}
    for s in stances(user).filter(issue=issue).order_by("-assessed_on", "-id"):
        key = ("o", s.organization_id) if s.organization_id else ("p", s.person_id or 0)
        seen.setdefault(key, []).append(s)
    out = [ActorStance(v[0], v[1].score if len(v) > 1 else None) for v in seen.values()]
    return sorted(out, key=lambda a: (-a.stance.score, a.name))


@dataclass
class IssueSummary:
    issue: Issue
    actors: int
    bands: list[int]
    motions: int


def landscape_overview(user: Any) -> tuple[list[IssueSummary], int, list[Relationship]]:
    """Every issue with how many actors stand in each band; relationship count; recent edges."""
    summaries = []
    for issue in Issue.objects.annotate(n_motions=Count("motions")).order_by("name"):
        latest = latest_stances(user, issue)
        bands = [0] * len(BANDS)
        for a in latest:
            bands[a.band] += 1
        summaries.append(IssueSummary(issue, len(latest), bands, issue.n_motions))  # type: ignore[attr-defined]
    rels = relationships(user)
    return summaries, rels.count(), list(rels.order_by("-start_date", "-id")[:8])


def relationships(user: Any, kind: str = "") -> QuerySet[Relationship]:
    """Relationships recorded at our tables (none about a partner's private people)."""
    qs = Relationship.objects.visible_to(user).select_related(
        "source_organization", "source_person", "target_organization", "target_person",
        "recorded_by",
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs


@dataclass
class ActorDetail:
    actor: Organization | Person
    key: str
    stances: list[Stance]
    relationships: list[Relationship]

    @property
    def organization(self) -> Organization | None:
        return self.actor if isinstance(self.actor, Organization) else None

    @property
    def person(self) -> Person | None:
        return self.actor if isinstance(self.actor, Person) else None

    @property
    def history(self) -> list[tuple[Issue, list[Stance]]]:
        """Stances grouped by issue, newest first within each (every recorded row)."""
        out: dict[int, tuple[Issue, list[Stance]]] = {}
        for s in self.stances:
            out.setdefault(s.issue_id, (s.issue, []))[1].append(s)
        return list(out.values())


def actor_detail(user: Any, actor: Organization | Person) -> ActorDetail:
    """An actor's stances over time and its relationships, as our tables recorded them."""
    if isinstance(actor, Organization):
        mine = Q(organization=actor)
        ties = Q(source_organization=actor) | Q(target_organization=actor)
        key = actor_key(actor.pk, None)
    else:
        mine = Q(person=actor)
        ties = Q(source_person=actor) | Q(target_person=actor)
        key = actor_key(None, actor.pk)
    return ActorDetail(
        actor=actor, key=key,
        stances=list(stances(user).filter(mine).select_related("assessed_by")
                     .order_by("issue__name", "-assessed_on", "-id")),
        relationships=list(relationships(user).filter(ties).order_by("-start_date", "id")),
    )


# --- the spectrum of allies and the power grid -------------------------------------------------

@dataclass(frozen=True)
class Suggestion:
    """One "move this actor one step" suggestion, in words."""

    key: str
    name: str
    stance: int
    new_stance: int
    influence: float
    gain: float

    @property
    def sentence(self) -> str:
        return (f"Move {self.name} from {STANCE_LABELS[self.stance]} ({self.stance:+d}) to "
                f"{STANCE_LABELS[self.new_stance]} ({self.new_stance:+d}): weighted support "
                f"rises by {self.gain:g}, its influence.")


@dataclass(frozen=True)
class IssueSpectrum:
    """An issue's spectrum of allies: the latest stances, influences and the engine's result."""

    issue: Issue
    actors: list[ActorStance]
    influence: dict[str, float]
    spectrum: Spectrum
    suggestions: list[Suggestion]

    @property
    def names(self) -> dict[str, str]:
        return {a.key: a.name for a in self.actors}


def issue_spectrum(user: Any, issue: Issue, *, suggestions: int = 5) -> IssueSpectrum:
    """The spectrum of allies for ``issue`` from the stances the user may see.

    Weighted support is the sum over actors of influence x stance
    (:func:`broadfront.analysis.spectrum.spectrum_of_allies`); a suggestion moves one actor
    one step toward us and gains its influence.
    """
    actors = latest_stances(user, issue)
    influence = influence_of(a.key for a in actors)
    spectrum = spectrum_of_allies({a.key: a.stance.score for a in actors}, influence)
    names = {a.key: a.name for a in actors}
    steps = [Suggestion(s.actor, names[s.actor], s.stance, s.new_stance, s.influence, s.gain)
             for s in spectrum.suggestions if s.gain > 0][:suggestions]
    return IssueSpectrum(issue, actors, influence, spectrum, steps)


# --- alerts ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Alert:
    """Something to look at before an ally realigns."""

    kind: str  # "stance", "votes" or "ties"
    actor: str
    key: str
    date: dt.date | None
    text: str
    url: str = ""


def actor_positions(user: Any) -> tuple[dict[str, float], set[str]]:
    """Each actor's average latest stance over issues, and the actors ever assessed as allies.

    Organizations without stances fall back on their overall spectrum position.
    """
    history: dict[tuple[str, int], list[int]] = {}
    ever_ally: set[str] = set()
    for s in Stance.objects.visible_to(user).order_by("assessed_on", "id").values(
            "organization_id", "person_id", "issue_id", "score"):
        key = actor_key(s["organization_id"], s["person_id"])
        history.setdefault((key, s["issue_id"]), []).append(s["score"])
        if s["score"] >= 1:
            ever_ally.add(key)
    latest: dict[str, list[int]] = {}
    for (key, _issue), scores in history.items():
        latest.setdefault(key, []).append(scores[-1])
    positions = {k: sum(v) / len(v) for k, v in latest.items()}
    for pk, pos in Organization.objects.values_list("id", "spectrum_position"):
        key = f"o:{pk}"
        if key not in positions:
            positions[key] = float(pos)
            if pos >= 1:
                ever_ally.add(key)
    return positions, ever_ally


def stance_drops(user: Any) -> list[Alert]:
    """Allies (previous stance +1 or more) whose latest stance on an issue is lower."""
    by_actor: dict[tuple[str, int], list[Stance]] = {}
    for s in stances(user).order_by("assessed_on", "id"):
        by_actor.setdefault((actor_key(s.organization_id, s.person_id), s.issue_id), []).append(s)
    out = []
    for (key, _issue), rows in by_actor.items():
        if len(rows) < 2:
            continue
        before, last = rows[-2], rows[-1]
        if before.score >= 1 and last.score < before.score:
            text = (f"{last.actor} dropped from {before.score:+d} ({STANCE_LABELS[before.score]}) "
                    f"to {last.score:+d} ({STANCE_LABELS[last.score]}) on {last.issue.name}"
                    + (f". Evidence: {last.evidence}" if last.evidence else "."))
            out.append(Alert("stance", str(last.actor), key, last.assessed_on, text))
    return sorted(out, key=lambda a: (a.date or dt.date.min), reverse=True)


def is_opponent(key: str, positions: dict[str, float], allies: set[str]) -> bool:
    """On the opposing side: an average latest stance below neutral, and never an ally."""
    pos = positions.get(key)
    return pos is not None and pos < 0 and key not in allies


def new_ties_to_opposition(user: Any, today: dt.date, *, days: int = 365) -> list[Alert]:
    """Ties started in the last ``days`` days between an ally and an opponent.

    An ally is an actor ever assessed at +1 or more; an opponent one whose average latest
    stance over issues is below neutral and who was never an ally (:func:`is_opponent`).
    Ties of type "opposes" are not ties *to* the opposition and are left out.
    """
    positions, allies = actor_positions(user)
    since = today - dt.timedelta(days=days)
    out = []
    for r in relationships(user).filter(start_date__gte=since, start_date__lte=today).exclude(
            kind=Relationship.Kind.OPPOSES).order_by("-start_date", "-id"):
        a = actor_key(r.source_organization_id, r.source_person_id)
        b = actor_key(r.target_organization_id, r.target_person_id)
        for ally, other, ally_actor, other_actor in ((a, b, r.source_actor, r.target_actor),
                                                     (b, a, r.target_actor, r.source_actor)):
            pos = positions.get(other)
            if ally in allies and pos is not None and is_opponent(other, positions, allies):
                out.append(Alert(
                    "ties", str(ally_actor), ally, r.start_date,
                    f"{r.source_actor} {r.get_kind_display()} {r.target_actor} since "
                    f"{r.start_date:%d %b %Y}: {other_actor} stands at {pos:+.1f} on average"
                    f" (opposition side)" + (f". Source: {r.source}" if r.source else ".")))
                break
    return out


def person_name_for(user: Any, person_ids: Iterable[int]) -> dict[int, str]:
    """Names of the given people the user may see."""
    return {p.pk: str(p) for p in Person.objects.visible_to(user).filter(id__in=list(person_ids))}
