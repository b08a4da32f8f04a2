"""In Chromium: Ana asks whether Northside's majority on the demo's Riverton City Council holds.

She builds a scenario from the council (nine seats, simple majority; five progressives,
three centrists, one conservative; chances from the latest stances on Public transit), adds
a shock in plain words ("the centrists move two steps to the right, with a chance of 50%"),
runs it, watches the run panel report its progress and then the chance that we hold and the
fragile seats. The figures on the page are the engine's own: the test runs the stored
scenario again with the same seed and draws and finds the same numbers.
"""

from __future__ import annotations

from typing import Any

import pytest

from broadfront.web.common.tests.browser import (
    browsing,
    mark_page,
    needs_chromium,
    same_page,
    shot,
)

pytestmark = [pytest.mark.browser, needs_chromium]

COUNCIL = "Riverton City Council"
DRAWS = 40_000
SEED = 7


def test_ana_builds_a_scenario_adds_a_shock_runs_it_and_sees_the_fragile_seats(
        live_server: Any, transactional_db: Any, job_worker: Any) -> None:
    from broadfront.analysis import scenarios as engine
    from broadfront.demo import load_demo
    from broadfront.web.landscape.models import Seat
    from broadfront.web.scenarios.models import Scenario, ScenarioRun

    load_demo(scale="small", seed=0)
    with browsing(live_server) as b:
        page = b.login("ana", "broadfront-demo")

        # The builder: a vote in the council, chances from stances on Public transit.
        page.goto(f"{b.base}/scenarios/new/")
        page.fill("#name", "Does our transit majority survive the centrists?")
        page.check("input[name=source][value=body]")
        page.select_option("#body", label=COUNCIL)
        page.select_option("#issue", label="Public transit")
        page.fill("input[name=draws]", str(DRAWS))
        page.fill("input[name=seed]", str(SEED))
        page.click("button:has-text('Save and open the builder')")
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").inner_text() == \
            "Does our transit majority survive the centrists?"
        members = page.locator("#members tbody tr")
        assert members.count() == 9
        assert "centrist" in page.inner_text("#members").lower()

        # A shock in plain words, through the HTMX form for its kind.
        mark_page(page)
        page.select_option("#shock-kind", "bloc_shift")
        page.wait_for_selector("#shock-fields select[name=bloc]")
        bloc = next(o for o in page.locator("#shock-fields select[name=bloc] option")
                    .all_inner_texts() if o.lower().startswith("centrist"))
        page.select_option("#shock-fields select[name=bloc]", label=bloc)
        page.select_option("#shock-fields select[name=steps]", "2")
        page.select_option("#shock-fields select[name=direction]", "right")
        page.fill("#shock-fields input[name=probability]", "50")
        page.click("#shocks button:has-text('Add this shock')")
        page.wait_for_selector("#shocks [role=status] >> text=Shock added.")
        assert page.locator("#shocks .shocklist li span").inner_text() == (
            "1. the centrist bloc moves two steps right (away from us) with 50% chance")

        # Run it: a background job. The panel says it waits for a worker or is running (a
        # progress bar), then what the run found.
        page.click("#run button:has-text('Run')")
        page.wait_for_selector("#run-panel h2:has-text('Waiting to run'), "
                               "#run-panel [role=progressbar]")
        panel = page.inner_text("#run-panel")
        assert (f"of {DRAWS:,} simulated outcomes so far" in panel
                or "This run is queued" in panel), panel
        shot(page, "scenario-running")
        page.wait_for_selector("#run-panel >> text=What the run found", timeout=20_000)
        panel = page.inner_text("#run-panel")
        shown_percent = page.locator("#run-panel .bignum").inner_text().split("%")[0]
        assert "chance we hold" in page.inner_text("#run-panel .bignum")
        assert "What breaks first: the fragile members" in panel
        assert page.locator("#run-panel .js-plotly-plot").count() >= 1
        fragile_chart = page.locator("#run-panel h3:has-text('What breaks first') ~ .chart")
        fragile_names = fragile_chart.locator(".ytick text").evaluate_all(
            "els => els.map(e => e.textContent)")
        assert "The most damaging shocks" in panel
        assert same_page(page), "the shock list and the run panel were swapped in place"
        shot(page, "scenario-result")

        phone = b.phone(page)
        phone.goto(page.url)
        phone.wait_for_selector("#run-panel >> text=What the run found")
        b.fits_phone(phone)
        shot(phone, "scenario-result-phone")

    # (The database is read outside Playwright's event loop.) The page showed the stored
    # run, and the engine gives the same numbers again from the same file, seed and draws.
    scenario = Scenario.objects.get(name="Does our transit majority survive the centrists?")
    run = ScenarioRun.objects.get(scenario=scenario)
    assert (run.draws, run.seed) == (DRAWS, SEED)
    assert shown_percent == str(round(100 * run.p_hold))
    again = engine.run_scenario(engine.Scenario.from_dict(run.spec), draws=DRAWS, rng=SEED,
                                method=run.result["inputs"].get("method", "auto"),
                                target=run.result["inputs"].get("target"))
    assert again.p_hold == pytest.approx(run.p_hold)
    assert f"We hold in {again.p_hold:.1%} of {DRAWS:,} simulated" in panel
    fragile = {str(k): float(v) for k, v in (again.to_dict().get("fragile") or {}).items()}
    assert set(fragile_names) == set(fragile) and len(fragile) == 9
    # A majority of five progressives hangs on each of them more than on anyone else.
    progressives = set(Seat.objects.filter(body__name=COUNCIL, bloc="progressive")
                       .values_list("holder__given_name", "holder__family_name"))
    top_five = sorted(fragile, key=lambda name: -fragile[name])[:5]
    assert {tuple(name.split(" ", 1)) for name in top_five} == progressives


def test_ana_counts_the_mayoral_race_by_ranked_choice_and_sees_the_final_round(
        live_server: Any, transactional_db: Any, job_worker: Any) -> None:
    """The demo's write-in race, counted by instant runoff: the transfer table, then a run."""
    from broadfront.demo import load_demo
    from broadfront.web.scenarios.models import Scenario, ScenarioRun

    load_demo(scale="small", seed=0)
    scenario = Scenario.objects.get(name__startswith="The write-in")
    names = [c["name"] for c in scenario.spec["race"]["candidates"]]
    ours, mayor, gop = names  # the demo's order: our nominee, the write-in, the Republican
    with browsing(live_server) as b:
        page = b.login("ana", "broadfront-demo")
        page.goto(f"{b.base}/scenarios/{scenario.pk}/")
        page.select_option("#counting select[name=rule]", "instant_runoff")
        table = page.locator("#counting table")
        # the Republican's voters: 70% rank the write-in next, 10% our nominee, the rest nobody
        table.get_by_label(f"{gop}'s voters whose next choice is {mayor}, %").fill("70")
        table.get_by_label(f"{gop}'s voters whose next choice is {ours}, %").fill("10")
        page.click("#counting button:has-text('Save the counting rule')")
        page.wait_for_load_state("networkidle")
        assert "ranked-choice" in page.inner_text("#counting").lower()
        assert table.get_by_label(
            f"{gop}'s voters whose next choice is {mayor}, %").input_value() == "70"

        # a bad share is refused with its field named, and nothing is saved
        table.get_by_label(f"{gop}'s voters whose next choice is {ours}, %").fill("50")
        seen = len(b.problems)
        page.click("#counting button:has-text('Save the counting rule')")
        page.wait_for_load_state("networkidle")
        assert "Nothing was saved" in page.inner_text("#counting [role=alert]")
        # the refusal is a 400 (and Chromium logs it); nothing else went wrong
        refused = b.problems[seen:]
        assert refused and all("400" in p for p in refused), refused
        del b.problems[seen:]

        page.goto(f"{b.base}/scenarios/{scenario.pk}/")
        page.click("#run button:has-text('Run')")
        page.wait_for_selector("#runoff-words", timeout=30_000)
        words = page.inner_text("#runoff-words")

    spec = Scenario.objects.get(pk=scenario.pk).spec["race"]
    assert spec["rule"] == "instant_runoff"
    assert spec["transfers"] == {gop: {mayor: 0.7, ours: 0.1}}
    run = ScenarioRun.objects.filter(scenario=scenario).latest("pk")
    ro = run.result["runoff"]
    assert ro["rule"] == "instant_runoff"
    # the page says what the stored run found, in words
    assert words.startswith("Counted by ranked-choice")
    assert f"in {ro['p_more_rounds']:.1%} of outcomes" in words
    assert f"{ro['final_share_mean']:.1%} of the continuing votes on average" in words
