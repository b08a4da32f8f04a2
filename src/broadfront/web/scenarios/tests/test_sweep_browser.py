"""In Chromium: Ana asks what breaks the demo council's majority, with a sweep that a
background worker runs in chunks, and reads the changes that break it, worst first."""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.web.common.tests.browser import browsing, needs_chromium, shot

pytestmark = [pytest.mark.browser, needs_chromium]


def test_ana_sweeps_the_council_scenario_and_reads_what_breaks_it(
        live_server: Any, transactional_db: Any, job_worker: Any) -> None:
    from broadfront.demo import load_demo
    from broadfront.web.scenarios.models import Scenario, ScenarioSweep

    load_demo(scale="small", seed=0)
    scenario = Scenario.objects.get(name="Does our 5-4 council majority hold?")
    with browsing(live_server) as b:
        page = b.login("ana", "broadfront-demo")
        page.goto(f"{b.base}/scenarios/{scenario.pk}/")
        page.fill("#sweep input[name=draws]", "2000")
        page.fill("#sweep input[name=seed]", "4")
        page.click("#sweep button:has-text('Sweep')")
        page.wait_for_url("**/scenarios/sweeps/*/")
        page.wait_for_selector("#sweep-panel h2:has-text('chance we hold')", timeout=60_000)
        panel = page.inner_text("#sweep-panel")
        first_row = (page.locator("#sweep-breaking tbody tr").first.inner_text()
                     if page.locator("#sweep-breaking tbody tr").count() else "")
        shot(page, "scenario-sweep")
    sweep = ScenarioSweep.objects.filter(scenario=scenario).latest("pk")  # the demo has one
    assert sweep.status == "done" and sweep.draws == 2000 and sweep.seed == 4
    base = round(100 * sweep.result["base"]["p_hold"])
    assert f"As it stands: {base}% chance we hold" in panel
    if sweep.result["breaking"]:
        assert first_row.startswith(sweep.result["breaking"][0]["label"])
    else:
        assert "Nothing in this sweep breaks it on its own." in panel
