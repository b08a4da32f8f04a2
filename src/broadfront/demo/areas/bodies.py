"""The city council and the state convention: seats, rules, motions and votes."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np

from broadfront.demo import cast, names, story
from broadfront.demo.builder import Builder
from broadfront.demo.story import EPOCH, day_of
from broadfront.web.landscape.models import (
    Body,
    Motion,
    Seat,
    Vote,
    VotingRule,
)
from broadfront.web.organizations.models import Curation


def bodies_and_votes(demo: Builder) -> None:
    """The council and the convention, their seats and rules, 40 motions and their votes."""
    rng = demo.rng["bodies"]
    council = Body(name=f"{names.CITY_NAME} City Council", slug=story.COUNCIL_SLUG,
                   kind="council", division=demo.city,
                   description=story.COUNCIL_DESCRIPTION)
    convention = Body(name="Riverland Democratic Party State Convention",
                      slug=story.CONVENTION_SLUG, kind="convention", division=demo.state,
                      description=story.CONVENTION_DESCRIPTION)
    demo.bulk([council, convention])
    demo.bodies = [council, convention]
    # Northside's research team keeps the council's roll calls: a curation granted by the site
    # operator, so Ana may import them (docs/security.md, "Who may write what").
    demo.bulk([Curation(organization_id=demo.org_by_key["northside"].pk, body=council,
                        granted_by=demo.users["admin"])])
    demo.bulk([
        VotingRule(body=council, name="default", kind="simple_majority",
                   description="A motion passes with five of the nine votes."),
        VotingRule(body=convention, name="endorsement", kind="supermajority",
                   threshold=Decimal("0.6"),
                   description="Endorsement needs 60% of the delegates' votes."),
    ])
    seats = []
    members = []
    for i, (given_name, family_name, bloc, x) in enumerate(cast.COUNCIL, start=1):
        person = demo.public[f"council:{given_name} {family_name}"]
        seats.append(Seat(body=council, label=f"Ward {i}", holder=person, weight=1,
                          bloc=bloc, start_date=story.COUNCIL_SEATED))
        members.append((person, bloc, x))
    k = demo.org_by_key
    for label, org_key, bloc, weight in story.CONVENTION_BLOCS:
        seats.append(Seat(body=convention, label=label,
                          holder_organization_id=k[org_key].pk if org_key else None,
                          weight=Decimal(weight), bloc=bloc,
                          start_date=story.DELEGATES_SEATED))
    demo.bulk(seats)
    # forty recorded motions; votes follow the members' positions (a logistic
    # spatial-voting model: yes with probability expit(4 * direction * (x - cut)))
    slugs = [slug for slug, _, _ in names.ISSUES]
    motions = []
    plans = []
    first = (story.MOTIONS_FROM - EPOCH).days
    last = (story.MOTIONS_UNTIL - EPOCH).days
    days = np.sort(rng.integers(first, last, 40))
    for m in range(40):
        slug = slugs[m % len(slugs)]
        title = story.MOTION_TITLES[slug][(m // len(slugs)) % len(story.MOTION_TITLES[slug])]
        direction = 1 if rng.random() < 0.8 else -1
        kind = rng.random()
        if kind < 0.55:
            cut = rng.uniform(0.1, 0.7)  # splits the five progressives from the rest
        elif kind < 0.8:
            cut = rng.uniform(-0.4, -0.2)  # the mover joins; the mayor's allies do not
        else:
            cut = rng.uniform(-1.5, -0.9)  # everyone but the conservative
        if direction < 0:
            cut = -cut
        key = False
        day = day_of(int(days[m]))
        if m == 39:
            title, slug, direction, cut, key = (
                "Tenant protections ordinance (final passage)", "tenant-protections", 1,
                0.4, True)
            day = cast.ORDINANCE_DAY if day_of(int(days[38])) < cast.ORDINANCE_DAY else day
        verb = "Adopt" if direction > 0 else "Oppose"
        motions.append(Motion(body=council, identifier=f"RCC-{(day + demo.shift).year}-{m + 1:03d}",
                              title=f"{verb}: {title}" if not key else title, date=day,
                              issue=demo.issues[slug]))
        plans.append((direction, cut, key, day.year))
    votes: list[Vote] = []
    results: list[str] = []
    drifter = demo.public[f"council:{cast.DRIFTER}"]
    for direction, cut, key, year in plans:
        yes = 0
        row = []
        for person, bloc, x in members:
            if person is drifter:  # her votes move away from us from one year to the next
                x = cast.DRIFTER_POSITIONS.get(year, x)
            if key:
                option = "yes" if bloc == "progressive" else "no"
            else:
                p_yes = 1.0 / (1.0 + math.exp(-4.0 * direction * (x - cut)))
                r = rng.random()
                if r < 0.02:
                    option = "absent"
                elif r < 0.04:
                    option = "abstain"
                else:
                    option = "yes" if rng.random() < p_yes else "no"
            yes += option == "yes"
            row.append((person, option))
        results.append("pass" if yes >= 5 else "fail")
        votes.extend(Vote(voter=person, option=option) for person, option in row)
    for motion, result in zip(motions, results, strict=True):
        motion.result = result
    demo.bulk(motions)
    for i, vote in enumerate(votes):
        vote.motion = motions[i // len(members)]
    demo.bulk(votes)
    demo.tick("bodies", len(motions), len(motions))
