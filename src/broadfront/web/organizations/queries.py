"""Read-side use cases over organizations, coalitions, people and the leadership ladder.

Every function takes the requesting user and starts from ``Model.objects.visible_to(user)``
(or, for organizations and coalitions, from the tenancy helpers), so a page can never show a
row the user may not see. Person-level rows (people, memberships, ladder steps) come only from
the user's own organizations. The pages that combine these with events, commitments and squads
("Our power", "Leaders") compose them in :mod:`broadfront.web.site.queries`; events and their
counts are :mod:`broadfront.web.accountability.queries`'.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from broadfront.exceptions import NotFoundError
from broadfront.web.common.tenancy import (
    coalition_ids,
    is_site_operator,
    own_org_ids,
    partner_org_ids,
)
from broadfront.web.organizations.models import (
    LADDER_ORDER,
    Coalition,
    LadderStage,
    LeadershipStep,
    Membership,
    Organization,
    Person,
)


@dataclass(frozen=True)
class StageCount:
    """How many people are at (or have reached) one ladder stage."""

    stage: str
    label: str
    count: int


def our_organizations(user: Any) -> QuerySet[Organization]:
    """The organizations the user belongs to."""
    return Organization.objects.filter(id__in=own_org_ids(user)).order_by("name")


def our_coalitions(user: Any) -> QuerySet[Coalition]:
    """The coalition tables where the user's organizations sit or that the user coordinates."""
    return Coalition.objects.filter(id__in=coalition_ids(user)).order_by("name")


def active_memberships(user: Any, today: dt.date) -> QuerySet[Membership]:
    """Current memberships in the user's own organizations."""
    return Membership.objects.visible_to(user).filter(
        organization_id__in=own_org_ids(user)
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).filter(
        Q(start_date__isnull=True) | Q(start_date__lte=today)
    )


def current_stages(user: Any) -> dict[int, str]:
    """Each person's highest ladder stage in the user's organizations (person id -> stage)."""
    best: dict[int, str] = {}
    for person_id, stage in LeadershipStep.objects.visible_to(user).values_list(
        "person_id", "stage"
    ):
        if person_id not in best or LADDER_ORDER[stage] > LADDER_ORDER[best[person_id]]:
            best[person_id] = stage
    return best


def stage_counts(user: Any) -> list[StageCount]:
    """How many people currently stand at each ladder stage, in ladder order."""
    counts = Counter(current_stages(user).values())
    return [StageCount(s.value, str(s.label), counts.get(s.value, 0)) for s in LadderStage]


def reached_counts(user: Any) -> list[StageCount]:
    """How many people have reached each ladder stage or gone beyond it (the pipeline)."""
    ranks = [LADDER_ORDER[s] for s in current_stages(user).values()]
    return [StageCount(s.value, str(s.label), sum(1 for r in ranks if r >= LADDER_ORDER[s.value]))
            for s in LadderStage]


#: Orders of the people list: name (the model's order) or postal code, then name.
PEOPLE_SORTS = {
    "name": ("family_name", "given_name", "id"),
    "postal_code": ("postal_code", "family_name", "given_name", "id"),
}


def people(user: Any, search: str = "", sort: str = "name") -> QuerySet[Person]:
    """People on our own organizations' lists (never a partner's), optionally searched.

    Each word of ``search`` must match a name or email (anywhere) or the start of the postal
    code (so ``554`` finds everyone in ZIP codes 554xx); ``sort`` is a key of
    :data:`PEOPLE_SORTS` (an unknown one sorts by name).
    """
    qs = Person.objects.visible_to(user).filter(owner_id__in=own_org_ids(user))
    if search:
        for word in search.split():
            qs = qs.filter(
                Q(given_name__icontains=word) | Q(family_name__icontains=word)
                | Q(email__icontains=word) | Q(postal_code__startswith=word.upper())
            )
    return qs.select_related("division", "owner").order_by(
        *PEOPLE_SORTS.get(sort, PEOPLE_SORTS["name"])
    )


@dataclass
class LeadersOverview:
    current: list[StageCount]
    reached: list[StageCount]
    by_stage: list[tuple[StageCount, list[Person]]]
    recent_steps: list[LeadershipStep]


def leaders_overview(user: Any, per_stage: int = 12) -> LeadersOverview:
    """The ladder pipeline and the people at each stage (our own organizations only)."""
    best = current_stages(user)
    current = stage_counts(user)
    ids_by_stage: dict[str, list[int]] = defaultdict(list)
    for pid, stage in best.items():
        ids_by_stage[stage].append(pid)
    by_stage = []
    for sc in reversed(current):
        ids = ids_by_stage.get(sc.stage, [])
        shown = list(Person.objects.visible_to(user).filter(id__in=ids)[:per_stage]) if ids else []
        by_stage.append((sc, shown))
    return LeadersOverview(
        current=current,
        reached=reached_counts(user),
        by_stage=by_stage,
        recent_steps=list(LeadershipStep.objects.visible_to(user)
                          .select_related("person", "organization").order_by("-date", "-id")[:10]),
    )


def stage_label(stage: str) -> str:
    """The plain-language name of a ladder stage; NotFoundError for an unknown one."""
    try:
        return str(LadderStage(stage).label)
    except ValueError as exc:
        raise NotFoundError(f"stage {stage!r} not found") from exc


def people_at_stage(user: Any, stage: str) -> QuerySet[Person]:
    """People whose highest ladder stage is ``stage`` (own organizations only)."""
    stage_label(stage)
    ids = [pid for pid, s in current_stages(user).items() if s == stage]
    return Person.objects.visible_to(user).filter(id__in=ids)


# ------------------------------------------------------------------ whose power page is asked for


def get_power_org_for_user(user: Any, slug: str | None) -> Organization:
    """The organization whose power page the user asked for: one of theirs (default the
    first), or a partner at one of their tables (aggregates only); else NotFoundError."""
    if slug:
        qs = Organization.objects.filter(slug=slug)
        if not is_site_operator(user):
            qs = qs.filter(id__in=partner_org_ids(user))
    else:
        qs = our_organizations(user)
    org = qs.first()
    if org is None:
        raise NotFoundError(f"organization {slug!r} not found")
    return org
