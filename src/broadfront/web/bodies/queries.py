"""Read-side use cases of the "Bodies and power" pages.

Bodies, seats, voting rules, motions and recorded votes are public records; a seat holder or
voter is named only when the user may see that person.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from broadfront.web.landscape.models import Body, Motion, Seat, Vote, VotingRule
from broadfront.web.organizations.models import Person


def bodies(user: Any) -> QuerySet[Body]:
    """Decision bodies (public records) with their seat count, total weight and motions."""
    return Body.objects.select_related("division").annotate(
        n_seats=Count("seats", distinct=True),
        n_motions=Count("motions", distinct=True),
    ).order_by("name")


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
