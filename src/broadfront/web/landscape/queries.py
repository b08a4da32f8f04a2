"""Read-side use cases for the "Landscape" and "Bodies and power" pages.

Stances and relationships are assessments shared among coalition partners (never about a
partner's private people): they come from ``Stance.objects.visible_to(user)`` and
``Relationship.objects.visible_to(user)``. Issues, bodies, seats, motions and recorded votes are
public records; a seat holder or voter is named only when the user may see that person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from broadfront.web.landscape.models import (
    Issue,
    Relationship,
    Stance,
)
from broadfront.web.organizations.models import Organization

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
