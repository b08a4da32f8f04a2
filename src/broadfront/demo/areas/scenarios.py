"""Northside's two saved scenarios, and a sweep of the council one."""

from __future__ import annotations

import datetime as dt

from broadfront.analysis import scenarios as engine
from broadfront.analysis.scenarios.sweep import run_sweep
from broadfront.demo import cast, story
from broadfront.demo.builder import Builder
from broadfront.demo.story import at
from broadfront.web.scenarios.models import Scenario, ScenarioSweep


def scenarios(demo: Builder) -> None:
    """Northside's two saved scenarios: the council majority and the write-in race."""
    k = demo.org_by_key
    council = demo.bodies[0]
    body_spec = story.council_scenario(demo.seed)
    race_spec = story.write_in_scenario(demo.seed)
    owner = k["northside"].pk
    saved = demo.bulk([
        Scenario(organization_id=owner, name=str(body_spec["name"]),
                 description=story.COUNCIL_SCENARIO_DESCRIPTION, body=council,
                 spec=body_spec, seed=demo.seed, draws=story.SCENARIO_DRAWS,
                 created_by=demo.users["ana"]),
        Scenario(organization_id=owner, name=str(race_spec["name"]),
                 description=story.WRITE_IN_SCENARIO_DESCRIPTION,
                 race=demo.campaigns["general"], spec=race_spec, seed=demo.seed,
                 draws=story.SCENARIO_DRAWS, created_by=demo.users["ana"]),
    ])
    # The council scenario was swept once: which members and shocks break the 5-4 majority
    # (computed here, as a worker would, from the sweep's seed; 2,000 draws per variant).
    council_scenario = saved[0]
    parsed = engine.Scenario.from_dict(council_scenario.spec)
    swept = run_sweep(parsed, draws=story.SWEEP_DRAWS, seed=demo.seed)
    demo.bulk([ScenarioSweep(
        scenario=council_scenario, created_at=at(cast.DEMO_AS_OF - dt.timedelta(days=2), 21),
        created_by=demo.users["ana"], seed=demo.seed, draws=story.SWEEP_DRAWS,
        spec=parsed.to_dict(), total=len(swept.points), chunks=4,
        points={str(p.index): p.to_dict() for p in swept.points},
        status=ScenarioSweep.Status.DONE, result=swept.to_dict())])
    demo.tick("scenarios", 2, 2)
