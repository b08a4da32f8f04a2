"""Campaigns, Faith's caucus bloc (targets, squads, recruits) and the races' candidates."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from broadfront.demo import cast, story
from broadfront.demo.builder import Builder, slug
from broadfront.demo.cast import DEMO_AS_OF
from broadfront.demo.story import EPOCH, SQUAD_LEADER, day_of
from broadfront.web.campaigns.models import Campaign, Candidate, Recruit, Squad, Target


def campaigns_and_blocs(demo: Builder) -> None:
    """The campaigns, Faith's precinct targets, squads and recruits, and the candidates."""
    rng = demo.rng["campaigns"]
    k = demo.org_by_key
    forward = demo.coalitions["forward"]
    objs = []
    where = {"state": demo.state, "city": demo.city}
    for _key, nm, kind, lead, division, start, end, goal in story.CAMPAIGNS:
        objs.append(Campaign(
            name=nm, slug=slug(nm), kind=kind, lead_organization_id=k[lead].pk,
            coalition=forward, division=where[division], start_date=start, end_date=end,
            goal=goal, target_share=Decimal("0.1000"),
        ))
    demo.bulk(objs)
    demo.campaigns = {s[0]: c for s, c in zip(story.CAMPAIGNS, objs, strict=True)}
    caucus = demo.campaigns["caucus"]
    share = float(caucus.target_share)
    targets = [
        Target(campaign=caucus, division_id=int(pk), expected_attendance=int(att),
               goal=Target.goal_for(int(att), share))
        for pk, att in zip(demo.precinct_pk, demo.precinct_att, strict=True)
    ]
    demo.bulk(targets)
    # squads and recruits of Faith in Riverland, precinct by precinct
    faith = k["faith"]
    members = faith.people
    order = np.argsort(demo.p_precinct[members], kind="stable")
    members = members[order]
    prec_of = demo.p_precinct[members]
    bounds = np.searchsorted(prec_of, np.arange(len(demo.precinct_pk) + 1))
    squads: list[Squad] = []
    squad_precinct: list[int] = []
    squad_leader: list[int] = []
    plans: list[tuple[int, np.ndarray, bool]] = []
    for pi in range(len(demo.precinct_pk)):
        residents = members[bounds[pi]:bounds[pi + 1]]
        need = targets[pi].goal
        has_squad = len(residents) > 0 and rng.random() < 0.7
        if has_squad:
            leader = int(residents[rng.integers(len(residents))])
            demo.p_level[leader] = max(int(demo.p_level[leader]), SQUAD_LEADER)
            squads.append(Squad(
                campaign=caucus, organization_id=faith.pk,
                division_id=int(demo.precinct_pk[pi]),
                name=f"{demo.precinct_name[pi]} squad",
                leader_id=int(demo.p_pk[leader]),
                # formed 90 to 500 days ago: old enough for the chapter-leader criterion
                formed_on=day_of(int(rng.integers((DEMO_AS_OF - EPOCH).days - 500,
                                                (DEMO_AS_OF - EPOCH).days - 89))),
            ))
            squad_precinct.append(pi)
            squad_leader.append(leader)
            n = round(need * rng.uniform(0.7, 1.7))
        else:
            n = int(rng.integers(0, max(1, need)))
        n = min(n, len(residents))
        chosen = rng.choice(residents, n, replace=False) if n else residents[:0]
        plans.append((pi, chosen, has_squad))
    demo.bulk(squads)
    squad_by_precinct = {pi: s.pk for pi, s in zip(squad_precinct, squads, strict=True)}
    squad_index = {pi: j for j, pi in enumerate(squad_precinct)}
    first_day = (cast.BLOC_CAMPAIGN_START - EPOCH).days + 30
    stop = (DEMO_AS_OF - EPOCH).days
    practice = (cast.PRACTICE_CAUCUS_DAY - EPOCH).days
    # how well each squad's people show up (the squad events and the practice caucus)
    demo.squad_quality = rng.uniform(0.2, 0.8, len(squads))
    recruits = []
    plan_rows: list[tuple[int, int, int, int, str]] = []
    for pi, chosen, has_squad in plans:
        j = squad_index[pi] if has_squad else -1
        quality = float(demo.squad_quality[j]) if has_squad else 0.5
        for person in chosen:
            day = int(rng.integers(first_day, stop))
            if rng.random() < 0.12:
                status = "dropped"
            elif day < practice and rng.random() < 0.8 * quality:
                status = "attended"  # came to the practice caucus: a kept commitment
            else:
                status = "committed"
            recruits.append(Recruit(
                campaign=caucus, organization_id=faith.pk, person_id=int(demo.p_pk[person]),
                division_id=int(demo.precinct_pk[pi]),
                squad_id=squad_by_precinct.get(pi) if has_squad else None,
                committed_on=day_of(day), status=status,
            ))
            plan_rows.append((int(person), pi, j, day, status))
    demo.squads = squads
    demo.squad_precinct = squad_precinct
    demo.squad_leader = squad_leader
    demo.recruit_plan = plan_rows
    demo.bulk_stream("campaigns", [recruits[i:i + demo.batch]
                                    for i in range(0, len(recruits), demo.batch)],
                      len(recruits))
    # the races: the primary (won) and the general with the write-in
    party = k["party"].pk
    p = demo.public
    demo.bulk([
        Candidate(campaign=demo.campaigns["primary"], person=p["nominee"], party_id=party,
                  is_ours=True, spectrum_position=3),
        Candidate(campaign=demo.campaigns["primary"], person=p["mayor"], party_id=party,
                  spectrum_position=-1),
        Candidate(campaign=demo.campaigns["general"], person=p["nominee"], party_id=party,
                  is_ours=True, spectrum_position=3),
        Candidate(campaign=demo.campaigns["general"], person=p["mayor"], party=None,
                  is_write_in=True, spectrum_position=-1),
        Candidate(campaign=demo.campaigns["general"], person=p["conservative"], party=None,
                  spectrum_position=-3),
    ])
