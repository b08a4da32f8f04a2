"""Read-side use cases for the "Landscape" and "Bodies and power" pages.

Stances and relationships are assessments shared among coalition partners (never about a
partner's private people): they come from ``Stance.objects.visible_to(user)`` and
``Relationship.objects.visible_to(user)``. Issues, bodies, seats, motions and recorded votes are
public records; a seat holder or voter is named only when the user may see that person.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from broadfront.web.landscape.models import (
    Body,
    Issue,
    Motion,
    Relationship,
    Seat,
    Stance,
    Vote,
    VotingRule,
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


@dataclass(frozen=True)
class ActorStance:
    """An actor's latest stance on an issue, and the one before it (to show movement)."""

    stance: Stance
    previous: int | None

    @property
    def name(self) -> str:
        return str(self.stance.actor)

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


def get_issue_for_user(user: Any, slug: str) -> Issue:
    """Issues are public; 404 for an unknown slug."""
    issue = Issue.objects.filter(slug=slug).first()
    if issue is None:
        raise Http404("No such issue")
    return issue


def relationships(user: Any, kind: str = "") -> QuerySet[Relationship]:
    """Relationships recorded at our tables (none about a partner's private people)."""
    qs = Relationship.objects.visible_to(user).select_related(
        "source_organization", "source_person", "target_organization", "target_person",
        "recorded_by",
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def get_actor_for_user(user: Any, pk: int) -> Organization:
    """Organizations are public actors on the landscape map; 404 for an unknown one."""
    org = Organization.objects.filter(pk=pk).first()
    if org is None:
        raise Http404("No such organization")
    return org


@dataclass
class ActorDetail:
    organization: Organization
    stances: list[Stance]
    relationships: list[Relationship]


def actor_detail(user: Any, org: Organization) -> ActorDetail:
    """An organization's stances over time and its relationships, as our tables recorded them."""
    return ActorDetail(
        organization=org,
        stances=list(stances(user).filter(organization=org).order_by("issue__name", "-assessed_on")),
        relationships=list(relationships(user).filter(
            Q(source_organization=org) | Q(target_organization=org))),
    )


# Bodies and power ---------------------------------------------------------------------------


def bodies(user: Any) -> QuerySet[Body]:
    """Decision bodies (public records) with their seat count, total weight and motions."""
    return Body.objects.select_related("division").annotate(
        n_seats=Count("seats", distinct=True),
        n_motions=Count("motions", distinct=True),
    ).order_by("name")


def get_body_for_user(user: Any, slug: str) -> Body:
    body = Body.objects.filter(slug=slug).select_related("division").first()
    if body is None:
        raise Http404("No such body")
    return body


def visible_person_ids(user: Any, ids: set[int]) -> set[int]:
    """Of the given people, those the user may see by name."""
    return set(Person.objects.visible_to(user).filter(id__in=ids).values_list("id", flat=True))


@dataclass(frozen=True)
class SeatRow:
    seat: Seat
    holder: str
    holder_id: int | None
    share: float


@dataclass
class BodyDetail:
    body: Body
    seats: list[SeatRow]
    total_weight: Decimal
    rules: list[VotingRule]
    blocs: list[tuple[str, Decimal, int]]
    motions: list[Any]


def body_detail(user: Any, body: Body) -> BodyDetail:
    """A body's seats and weights, its voting rules, its blocs and its recorded motions."""
    seats = list(Seat.objects.filter(body=body).select_related("holder", "holder_organization"))
    total = sum((s.weight for s in seats), Decimal(0))
    shown = visible_person_ids(user, {s.holder_id for s in seats if s.holder_id})
    rows = []
    for s in seats:
        if s.holder_id and s.holder_id not in shown:
            name, hid = "A private person", None
        else:
            name, hid = s.holder_name, s.holder_id
        rows.append(SeatRow(s, name, hid, float(s.weight / total) if total else 0.0))
    bloc_weight: dict[str, Decimal] = {}
    bloc_seats: Counter[str] = Counter()
    for s in seats:
        b = s.bloc or "No bloc"
        bloc_weight[b] = bloc_weight.get(b, Decimal(0)) + s.weight
        bloc_seats[b] += 1
    blocs = sorted(((b, w, bloc_seats[b]) for b, w in bloc_weight.items()), key=lambda t: -t[1])
    motions = list(Motion.objects.filter(body=body).select_related("issue").annotate(
        yes=Count("votes", filter=Q(votes__option="yes")),
        no=Count("votes", filter=Q(votes__option="no")),
        other=Count("votes", filter=~Q(votes__option__in=["yes", "no"])),
    ).order_by("-date", "-identifier"))
    return BodyDetail(body, rows, total, list(VotingRule.objects.filter(body=body)), blocs, motions)


def get_motion_for_user(user: Any, pk: int) -> Motion:
    motion = Motion.objects.filter(pk=pk).select_related("body", "issue").first()
    if motion is None:
        raise Http404("No such motion")
    return motion


@dataclass(frozen=True)
class VoteRow:
    voter: str
    voter_id: int | None
    option: str
    option_label: str
    bloc: str


def motion_votes(user: Any, motion: Motion) -> list[VoteRow]:
    """How each member voted on ``motion`` (voters named only if the user may see them)."""
    votes = list(Vote.objects.filter(motion=motion).select_related("voter"))
    shown = visible_person_ids(user, {v.voter_id for v in votes})
    blocs = dict(Seat.objects.filter(body_id=motion.body_id, holder__isnull=False)
                 .values_list("holder_id", "bloc"))
    rows = [VoteRow(str(v.voter) if v.voter_id in shown else "A private person",
                    v.voter_id if v.voter_id in shown else None,
                    v.option, str(v.get_option_display()), blocs.get(v.voter_id, "") or "")
            for v in votes]
    order = {"yes": 0, "no": 1, "abstain": 2, "absent": 3}
    return sorted(rows, key=lambda r: (order.get(r.option, 9), r.voter))


def total_weight(body: Body) -> Decimal:
    return Seat.objects.filter(body=body).aggregate(t=Sum("weight"))["t"] or Decimal(0)
