"""Small bodies whose power can be worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from broadfront.web.landscape.models import Body, Issue, Seat, Stance, VotingRule
from broadfront.web.organizations.models import Person


def make_body(slug: str, weights: list[int | str], *, kind: str = "quota",
              quota: str | None = None, threshold: str | None = None,
              blocs: list[str] | None = None, second: list[int] | None = None,
              body_kind: str = "council") -> Body:
    """A body with seats A, B, C... holding public people of the same names."""
    body = Body.objects.create(name=slug.title(), slug=slug, kind=body_kind)
    VotingRule.objects.create(body=body, kind=kind, quota=Decimal(quota) if quota else None,
                              threshold=Decimal(threshold) if threshold else None)
    for i, w in enumerate(weights):
        label = chr(ord("A") + i)
        p = Person.objects.create(given_name=label, family_name=f"Member{slug.title()}",
                                  public_role="Member")
        Seat.objects.create(body=body, label=label, holder=p, weight=Decimal(str(w)),
                            bloc=(blocs[i] if blocs else ""),
                            second_weight=Decimal(second[i]) if second else None)
    return body


@pytest.fixture
def equal_body(db: Any) -> Body:
    """Weights 3, 2, 2 with quota 4: any two members win, so all three have equal power."""
    return make_body("three", [3, 2, 2], quota="4", blocs=["Left", "Right", "Right"])


@pytest.fixture
def null_body(db: Any) -> Body:
    """Weights 3, 3, 1 with quota 6: A and B must agree; C never decides anything."""
    return make_body("null", [3, 3, 1], quota="6")


@pytest.fixture
def council(world: Any) -> tuple[Body, Issue]:
    """Nine equal seats, simple majority (5 of 9). Northside rates A-F at +1 or more.

    A's latest stance is +2 (an older -1 is superseded), G is at 0, H was +3 but is now -1,
    I has no stance. Westfield rates I at +3 (only Westfield sees that).
    """
    body = make_body("nine", [1] * 9, kind="simple_majority",
                     blocs=["Progressive"] * 5 + ["Centrist"] * 3 + ["Conservative"])
    issue = Issue.objects.create(name="Transit", slug="transit")
    seats = {s.label: s for s in Seat.objects.filter(body=body).select_related("holder")}
    day = dt.date(2026, 1, 1)

    def stance(label: str, score: int, days: int, org: Any = None) -> None:
        Stance.objects.create(issue=issue, person=seats[label].holder, score=score,
                              recorded_by=org or world.northside,
                              assessed_on=day + dt.timedelta(days=days))

    stance("A", -1, 0)
    stance("A", 2, 10)
    for label in "BCDEF":
        stance(label, 1, 5)
    stance("G", 0, 5)
    stance("H", 3, 0)
    stance("H", -1, 9)
    stance("I", 3, 9, org=world.westfield)
    return body, issue
