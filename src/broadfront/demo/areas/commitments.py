"""Partners' commitments with deliveries of varied reliability, and contributions."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from broadfront.demo import story
from broadfront.demo.builder import Builder, split
from broadfront.demo.cast import DEMO_AS_OF
from broadfront.demo.story import EPOCH, day_of
from broadfront.web.accountability.models import (
    Commitment,
    Contribution,
    Delivery,
    Unit,
)


def commitments(demo: Builder) -> None:
    """Partners' commitments with deliveries, and the contributions to two wins."""
    rng = demo.rng["commitments"]
    partners = [o for o in demo.orgs if o.table is not None]
    per_partner = 6 if demo.size.people < 20_000 else 9
    today = (DEMO_AS_OF - EPOCH).days
    commitments: list[Commitment] = []
    plans: list[tuple[int, int, int, str]] = []
    for o in partners:
        units = story.UNITS_BY_KIND.get(o.kind, ["doors", "calls"])
        for _ in range(per_partner):
            unit = units[int(rng.integers(len(units)))]
            lo, hi = story.UNIT_RANGES[unit]
            qty = int(rng.integers(lo, hi + 1))
            if unit not in ("endorsements", "dollars"):
                qty = max(lo, round(qty, -1))
            camp = story.COMMITMENT_CAMPAIGNS[int(rng.integers(len(story.COMMITMENT_CAMPAIGNS)))]
            c = demo.campaigns[camp]
            made = int(rng.integers((c.start_date - EPOCH).days,
                                    max((c.start_date - EPOCH).days + 1,
                                        min(today, (c.end_date - EPOCH).days) - 10)))
            due = made + int(rng.integers(20, 90))
            commitments.append(Commitment(
                partner_id=o.pk, campaign=c, coalition=demo.coalitions["forward"],
                unit=unit, quantity=Decimal(qty), made_on=day_of(made), due_date=day_of(due),
                note=f"{o.name}: {qty:,} {Unit(unit).label} for {c.name}",
                created_by=demo.users["cora"],
            ))
            plans.append((qty, made, due, o.reliability))
    demo.bulk(commitments)
    deliveries: list[Delivery] = []
    for commitment, (qty, made, due, rel) in zip(commitments, plans, strict=True):
        for amount, day in _deliveries(rng, qty, made, due, rel, today):
            deliveries.append(Delivery(
                commitment=commitment, quantity=Decimal(amount), delivered_on=day_of(day),
                evidence="sign-in sheets and the shared tracker",
            ))
    demo.bulk(deliveries)
    demo.tick("commitments", len(commitments), len(commitments))
    # contributions to two wins
    k = demo.org_by_key
    demo.bulk([
        Contribution(organization_id=k[org].pk, campaign=demo.campaigns[camp],
                     outcome=story.OUTCOMES[camp], description=desc, unit=unit,
                     quantity=Decimal(qty), status=status, evidence=desc)
        for camp, org, unit, qty, status, desc in story.CONTRIBUTIONS
    ])


def _deliveries(rng: np.random.Generator, qty: int, made: int, due: int, rel: str,
                today: int) -> list[tuple[int, int]]:
    """Deliveries (amount, day) for one commitment under a reliability profile."""
    if rel == "over":
        factor, late_p, miss_p = rng.uniform(1.05, 1.35), 0.05, 0.0
    elif rel == "reliable":
        factor, late_p, miss_p = rng.uniform(0.95, 1.1), 0.1, 0.03
    elif rel == "late":
        factor, late_p, miss_p = rng.uniform(0.95, 1.1), 0.75, 0.05
    elif rel == "breaks":
        factor, late_p, miss_p = rng.uniform(0.2, 0.7), 0.3, 0.5
    else:
        factor, late_p, miss_p = rng.uniform(0.6, 1.1), 0.3, 0.12
    if rng.random() < miss_p:
        return []
    amount = max(1, round(qty * factor))
    parts = int(rng.integers(1, 4)) if amount >= 3 else 1
    sizes = split(amount, parts)
    late = rng.random() < late_p
    out = []
    span = max(1, due - made)
    for i, s in enumerate(sizes):
        if late and i == parts - 1:
            day = due + int(rng.integers(3, 35))
        else:
            day = made + int(rng.integers(1, span + 1))
        if day > today:  # not delivered yet
            continue
        if s > 0:
            out.append((s, day))
    return out
