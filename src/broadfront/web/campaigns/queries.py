"""Read-side use cases for the "Bloc building" pages.

Campaigns and their targets per precinct are shared at the coalition table. Squads and recruits
are person-level and belong to one organization: lists of them come from
``Squad.objects.visible_to(user)`` and ``Recruit.objects.visible_to(user)`` (own organization
only); the coalition-wide progress per precinct is shown as counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from broadfront.web.accountability.queries import CommitmentRow, commitment_rows, commitments
from broadfront.web.campaigns.models import Campaign, CaucusResult, Recruit, Squad, Target

ACTIVE = ~Q(status=Recruit.Status.DROPPED)


def _recruit_count(qs: QuerySet[Recruit]) -> Subquery:
    """A subquery counting active recruits in the target's campaign and division."""
    return Subquery(
        qs.filter(ACTIVE, campaign=OuterRef("campaign"), division=OuterRef("division"))
        .order_by().values("campaign").annotate(n=Count("id")).values("n")[:1],
        output_field=IntegerField(),
    )


def campaigns(user: Any) -> QuerySet[Campaign]:
    """Campaigns led by us or our partners, or run by one of our coalitions."""
    return Campaign.objects.visible_to(user).select_related(
        "lead_organization", "coalition", "division"
    )


@dataclass(frozen=True)
class CampaignProgress:
    """A campaign with its summed precinct goals and how many people are committed so far."""

    campaign: Campaign
    precincts: int
    goal: int
    recruited: int
    ours: int
    squads: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.recruited / self.goal)) if self.goal else 0


def _progress(user: Any, c: Campaign) -> CampaignProgress:
    agg = Target.objects.visible_to(user).filter(campaign=c).aggregate(
        n=Count("id"), goal=Sum("goal"))
    # Counts only: how many recruits all partners have; who they are stays with each partner.
    recruited = Recruit.objects.filter(ACTIVE, campaign=c).count()
    ours = Recruit.objects.visible_to(user).filter(ACTIVE, campaign=c).count()
    squads = Squad.objects.visible_to(user).filter(campaign=c).count()
    return CampaignProgress(c, agg["n"] or 0, agg["goal"] or 0, recruited, ours, squads)


def campaign_progress(user: Any) -> list[CampaignProgress]:
    """Every visible campaign with its caucus-bloc progress."""
    return [_progress(user, c) for c in campaigns(user)]


def bloc_progress(user: Any) -> list[CampaignProgress]:
    """Caucus-bloc campaigns only, with progress toward their precinct goals."""
    return [_progress(user, c) for c in campaigns(user).filter(kind=Campaign.Kind.CAUCUS_BLOC)]


def get_campaign_for_user(user: Any, slug: str) -> Campaign:
    """The campaign if it is ours, a partner's, or our coalition's; else 404."""
    campaign = campaigns(user).filter(slug=slug).first()
    if campaign is None:
        raise Http404("No such campaign")
    return campaign


SORTS = {
    "precinct": ("division__name",),
    "attendance": ("expected_attendance", "division__name"),
    "goal": ("goal", "division__name"),
    "recruited": ("recruited", "division__name"),
    "ours": ("ours", "division__name"),
    "gap": ("gap", "division__name"),
}


def targets(user: Any, campaign: Campaign, sort: str = "precinct", desc: bool = False,
            search: str = "") -> QuerySet[Target]:
    """The campaign's precinct targets with recruits so far (all partners: a count) and ours.

    ``sort`` is one of :data:`SORTS`; unknown values sort by precinct.
    """
    qs = Target.objects.visible_to(user).filter(campaign=campaign).select_related("division")
    if search:
        qs = qs.filter(division__name__icontains=search)
    qs = qs.annotate(
        recruited=Coalesce(_recruit_count(Recruit.objects.all()), Value(0)),
        ours=Coalesce(_recruit_count(Recruit.objects.visible_to(user)), Value(0)),
    ).annotate(gap=Coalesce("goal", Value(0)) - Coalesce("recruited", Value(0)))
    keys = SORTS.get(sort, SORTS["precinct"])
    order = [f"-{keys[0]}" if desc else keys[0], *keys[1:]]
    return qs.order_by(*order)


@dataclass
class CampaignDetail:
    progress: CampaignProgress
    squads: list[Squad]
    results: list[CaucusResult]
    commitments: list[CommitmentRow]
    delegates: int
    delegates_won: int


def campaign_detail(user: Any, campaign: Campaign, today: Any) -> CampaignDetail:
    """Squads (ours), caucus results and partners' commitments for a campaign."""
    results = list(CaucusResult.objects.visible_to(user).filter(campaign=campaign)
                   .select_related("division").order_by("division__name"))
    return CampaignDetail(
        progress=_progress(user, campaign),
        squads=list(squads(user).filter(campaign=campaign)[:50]),
        results=results,
        commitments=commitment_rows(commitments(user).filter(campaign=campaign), today),
        delegates=sum(r.delegates for r in results),
        delegates_won=sum(r.delegates_won for r in results),
    )


def squads(user: Any) -> QuerySet[Squad]:
    """Our own squads (a partner's squads are theirs alone), with recruit counts."""
    return Squad.objects.visible_to(user).select_related(
        "division", "leader", "organization", "campaign"
    ).annotate(n_recruits=Count("recruits", filter=~Q(recruits__status="dropped"), distinct=True))


def get_squad_for_user(user: Any, pk: int) -> Squad:
    """One of our squads; a partner's squad is a 404."""
    squad = squads(user).filter(pk=pk).first()
    if squad is None:
        raise Http404("No such squad")
    return squad


def squad_recruits(user: Any, squad: Squad) -> list[Recruit]:
    return list(Recruit.objects.visible_to(user).filter(squad=squad).select_related("person")
                .order_by("person__family_name", "person__given_name"))
