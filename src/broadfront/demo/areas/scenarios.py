"""Northside's two saved scenarios."""

from __future__ import annotations

from broadfront.demo import story
from broadfront.demo.builder import Builder
from broadfront.web.scenarios.models import Scenario


def scenarios(demo: Builder) -> None:
    """Northside's two saved scenarios: the council majority and the write-in race."""
    k = demo.org_by_key
    council = demo.bodies[0]
    body_spec = story.council_scenario(demo.seed)
    race_spec = story.write_in_scenario(demo.seed)
    owner = k["northside"].pk
    demo.bulk([
        Scenario(organization_id=owner, name=str(body_spec["name"]),
                 description=story.COUNCIL_SCENARIO_DESCRIPTION, body=council,
                 spec=body_spec, seed=demo.seed, draws=story.SCENARIO_DRAWS,
                 created_by=demo.users["ana"]),
        Scenario(organization_id=owner, name=str(race_spec["name"]),
                 description=story.WRITE_IN_SCENARIO_DESCRIPTION,
                 race=demo.campaigns["general"], spec=race_spec, seed=demo.seed,
                 draws=story.SCENARIO_DRAWS, created_by=demo.users["ana"]),
    ])
    demo.tick("scenarios", 2, 2)
