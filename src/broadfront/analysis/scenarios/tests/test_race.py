"""Races: hand-checkable outcomes without noise, shocks, what it takes, chunking, write-ins."""

from __future__ import annotations

import numpy as np
import pytest

from broadfront.analysis.scenarios import Scenario, run_scenario
from broadfront.analysis.scenarios import race as race_module

QUIET = {"swing_sd": 0, "group_swing_sd": 0, "share_sd": 0, "turnout_swing_sd": 0, "turnout_sd": 0}


def two_division_race(**extra):
    # North: 1000 voters, 50% turnout, Us 60% / Them 40% -> 300 vs 200
    # South: 2000 voters, 40% turnout, Us 45% / Them 55% -> 360 vs 440
    # Totals: Us 660, Them 640: we win by 20 votes out of 1300.
    race = {
        "our_candidate": "Us",
        "candidates": ["Us", "Them"],
        "divisions": [
            {
                "name": "North",
                "voters": 1000,
                "turnout": 0.5,
                "group": "n",
                "shares": {"Us": 0.6, "Them": 0.4},
            },
            {
                "name": "South",
                "voters": 2000,
                "turnout": 0.4,
                "group": "s",
                "shares": {"Us": 0.45, "Them": 0.55},
            },
        ],
        **QUIET,
        **extra,
    }
    return race


def test_a_race_without_noise_is_decided_by_hand_arithmetic():
    r = run_scenario(Scenario.from_dict({"seed": 1, "race": two_division_race()}), draws=500)
    assert r.kind == "race" and r.method == "monte-carlo"
    assert r.p_hold == 1.0
    assert r.margin.mean == pytest.approx(20 / 1300, rel=1e-5)
    # our 300 voters in North or our 360 in South staying home would flip the race
    assert r.fragile == {"North": 1.0, "South": 1.0}


def test_a_certain_capture_of_our_base_flips_the_race_and_ranks_as_damaging():
    d = {
        "seed": 1,
        "race": two_division_race(),
        "shocks": [{"kind": "capture", "to": "Them", "fraction": 0.1, "divisions": ["South"]}],
    }
    # 10% of our 45% in South moves: Us 660 - 36 = 624, Them 676
    r = run_scenario(Scenario.from_dict(d), draws=500)
    assert r.p_hold == 0.0
    assert r.p_hold_without_shocks == 1.0
    assert r.damaging_shocks[0].alone == 1.0
    assert r.margin.mean == pytest.approx(-52 / 1300, rel=1e-5)
    wit = r.what_it_takes
    assert wit.votes_needed == 53.0
    assert wit.turnout_added == pytest.approx(53 / 1300)
    assert wit.achieved and wit.p_hold_after == 1.0


def test_a_random_shock_costs_its_probability_when_it_always_flips():
    d = {
        "seed": 7,
        "race": two_division_race(),
        "shocks": [{"kind": "turnout", "group": "n", "change": -0.2, "probability": 0.3}],
    }
    # North turnout 50% -> 40%: Us 240 + 360 = 600, Them 160 + 440 = 600: a tie is a loss
    r = run_scenario(Scenario.from_dict(d), draws=40_000)
    assert abs(r.p_hold - 0.7) < 4 * r.p_hold_se


def test_a_write_in_loses_the_votes_that_are_not_counted():
    race = two_division_race()
    race["candidates"] = ["Us", {"name": "Them", "write_in": True, "counted": 0.9}]
    race["divisions"][1]["shares"] = {"Us": 0.42, "Them": 0.58}
    # Us 300 + 336 = 636; Them (200 + 464) * 0.9 = 597.6: the write-in's spoiled ballots save us
    r = run_scenario(Scenario.from_dict({"seed": 1, "race": race}), draws=100)
    assert r.p_hold == 1.0
    race["candidates"] = ["Us", "Them"]
    r2 = run_scenario(Scenario.from_dict({"seed": 1, "race": race}), draws=100)
    assert r2.p_hold == 0.0


def test_a_noisy_race_is_reproducible_and_its_chunks_do_not_change_the_answer(monkeypatch):
    race = two_division_race(swing_sd=0.05, share_sd=0.05, turnout_sd=0.03, turnout_swing_sd=0.02)
    s = Scenario.from_dict({"seed": 3, "race": race})
    a = run_scenario(s, draws=5000)
    assert a == run_scenario(s, draws=5000)
    assert 0.0 < a.p_hold < 1.0
    # smaller chunks reshape the random stream but not the distribution
    monkeypatch.setattr(race_module, "CHUNK_CELLS", 64)
    b = run_scenario(s, draws=20_000)
    assert abs(a.p_hold - b.p_hold) < 4 * np.hypot(a.p_hold_se, b.p_hold_se)


def test_what_it_takes_in_a_noisy_race_reaches_the_target_exactly_on_the_draws():
    race = two_division_race(swing_sd=0.05, share_sd=0.05)
    d = {
        "seed": 2,
        "target": 0.9,
        "race": race,
        "shocks": [{"kind": "capture", "to": "Them", "fraction": 0.05, "probability": 0.5}],
    }
    r = run_scenario(Scenario.from_dict(d), draws=20_000)
    assert r.p_hold < 0.9
    wit = r.what_it_takes
    assert wit.search == "quantile" and wit.achieved
    assert wit.p_hold_after >= 0.9
    fewer = run_scenario(Scenario.from_dict(d), draws=20_000)
    assert fewer.what_it_takes == wit


def test_captures_move_share_between_opponents_without_touching_ours():
    race = two_division_race()
    race["candidates"] = ["Us", "Them", "Centre"]
    for div, shares in zip(
        race["divisions"],
        [{"Us": 0.4, "Them": 0.3, "Centre": 0.3}, {"Us": 0.4, "Them": 0.35, "Centre": 0.25}],
        strict=True,
    ):
        div["shares"] = shares
    # Us 200 + 320 = 520; Them 150 + 280 = 430; Centre 150 + 200 = 350 -> we hold
    d = {
        "seed": 1,
        "race": race,
        "shocks": [{"kind": "capture", "from": "Centre", "to": "Them", "fraction": 0.5}],
    }
    # half of the centre realigns: Them 430 + 175 = 605 > 520
    r = run_scenario(Scenario.from_dict(d), draws=100)
    assert r.p_hold_without_shocks == 1.0 and r.p_hold == 0.0
    assert r.margin.mean == pytest.approx((520 - 605) / 1300, rel=1e-5)


def test_the_compiled_loop_matches_plain_numpy_arithmetic_for_every_shock_set():
    race = two_division_race(
        swing_sd=0.05, group_swing_sd=0.03, share_sd=0.08, turnout_sd=0.05, turnout_swing_sd=0.03
    )
    race["candidates"] = ["Us", "Them", "Centre"]
    race["divisions"].append(
        {
            "name": "Loose",
            "voters": 500,
            "turnout": 0.9,
            "shares": {"Us": 0.3, "Them": 0.3, "Centre": 0.4},
        }
    )
    d = {
        "race": race,
        "shocks": [
            {
                "kind": "capture",
                "from": "Centre",
                "to": "Them",
                "fraction": 0.5,
                "probability": 0.5,
            },
            {
                "kind": "capture",
                "to": "Them",
                "fraction": 0.2,
                "divisions": ["South", "Loose"],
                "probability": 0.5,
            },
            {"kind": "turnout", "group": "n", "change": 0.5, "probability": 0.5},
        ],
    }
    s = Scenario.from_dict(d)
    pr = race_module.prepare_race(s.race, s.shocks)
    gens = [np.random.default_rng(i) for i in range(4)]
    chunk = race_module.draw_chunk(pr, gens[0], gens[1:], 300)
    sets = np.array([[a, b, c] for a in (0, 1) for b in (0, 1) for c in (0, 1)], dtype=bool)
    totals, ours = race_module.evaluate_sets(pr, chunk, sets, main=7)
    for j, active in enumerate(sets):
        np.testing.assert_allclose(
            totals[j], race_module.reference_totals(pr, chunk, active), rtol=1e-12
        )
    assert ours is not None
    np.testing.assert_allclose(ours.sum(axis=1), totals[7][:, pr.us], rtol=1e-5)
