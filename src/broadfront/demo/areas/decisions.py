"""Decisions with options, impacts, ballots and reviews."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from broadfront.demo import story
from broadfront.demo.builder import Builder
from broadfront.web.decisions.models import Ballot, Decision, Impact, Option, Review


def decisions(demo: Builder) -> None:
    """The decisions of the story with options, impacts, ballots and reviews."""
    rng = demo.rng["decisions"]
    k = demo.org_by_key
    u = demo.users
    forward = demo.coalitions["forward"]
    specs = story.decisions()
    decisions = []
    for s in specs:
        decisions.append(Decision(
            organization_id=k[str(s["org"])].pk, coalition=forward,
            question=s["question"], context=s["context"], rule=s["rule"],
            combine=s["combine"], triggered_by=s["triggered_by"], state=s["state"],
            opened_at=s["opened"], closes_at=s["closes"],
            closed_at=s["closes"] if s["state"] == "closed" else None,
            review_due=s.get("review_due") if s["state"] == "closed" else None,
        ))
    demo.bulk(decisions)
    options: list[list[Option]] = []
    flat = []
    for d, s in zip(decisions, specs, strict=True):
        opts = [Option(decision=d, label=label, description=desc)
                for label, desc in s["options"]]  # type: ignore[attr-defined]
        options.append(opts)
        flat.extend(opts)
    demo.bulk(flat)
    impacts = []
    for opts, s in zip(options, specs, strict=True):
        for oi, constituency, up, pu, down, pd in s["impacts"]:  # type: ignore[attr-defined]
            impacts.append(Impact(option=opts[oi], constituency=constituency,
                                  upside=Decimal(str(up)),
                                  upside_likelihood=Decimal(str(pu)),
                                  downside=Decimal(str(down)),
                                  downside_likelihood=Decimal(str(pd))))
    demo.bulk(impacts)
    ballots = []
    for d, opts, s in zip(decisions, options, specs, strict=True):
        voters = list(s["voters"])  # type: ignore[call-overload]
        if s["state"] == "open":
            voters = voters[: max(2, len(voters) * 2 // 3)]
        for name in voters:
            role = "leader" if name in ("ana", "grace", "hector") or rng.random() < 0.2 \
                else "member"
            if d.rule == "instant-runoff":
                order = [int(x) for x in rng.permutation(len(opts))]
                ballots.append(Ballot(decision=d, voter=u[name], role=role,
                                      ranking=[opts[i].pk for i in order]))
            else:
                if "lean" in s:  # the chosen option won most ballots
                    weights = np.array(s["lean"], dtype=float)
                else:
                    weights = np.array([0.25, 0.55, 0.2][: len(opts)]) if len(opts) == 3 \
                        else np.array([0.7, 0.3])
                choice = opts[int(rng.choice(len(opts), p=weights / weights.sum()))]
                ballots.append(Ballot(decision=d, voter=u[name], role=role, choice=choice,
                                      reason="" if rng.random() < 0.5 else
                                      "Thinking of the people this falls on."))
    demo.bulk(ballots)
    reviews = []
    for d, opts, s in zip(decisions, options, specs, strict=True):
        if "outcome" not in s:
            continue
        d.outcome = opts[int(s["outcome"])]
        Decision.objects.filter(pk=d.pk).update(outcome=d.outcome)
        for day, summary, actual in s.get("reviews", []):
            reviews.append(Review(decision=d, reviewed_on=day, summary=summary,
                                  actual=actual))
    demo.bulk(reviews)
    demo.tick("decisions", len(decisions), len(decisions))
