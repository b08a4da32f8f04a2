"""Who is moving: periods linked through shared members, movers flagged, agreement rates."""

from __future__ import annotations

import numpy as np
import pytest

from broadfront.analysis.spectrum import (
    agreement_rates,
    fit_ideal_points,
    fit_periods,
    link_periods,
)
from broadfront.exceptions import ValidationError


def simulate_two_terms(rng: np.random.Generator, movers: dict[int, float]):
    """60 members vote 200 times per term; members in ``movers`` shift by the given amount."""
    n, m = 60, 200
    x1 = rng.standard_normal(n)
    x2 = x1.copy()
    for i, shift in movers.items():
        x2[i] += shift
    blocks = []
    for x in (x1, x2):
        alpha = rng.normal(0, 0.5, m)
        beta = rng.normal(0, 2.0, m)
        blocks.append((alpha + np.outer(x, beta) + rng.standard_normal((n, m)) > 0).astype(float))
    return x1, x2, np.hstack(blocks)


def test_linked_positions_follow_the_true_ones_and_the_movers_are_flagged() -> None:
    rng = np.random.default_rng(12)
    x1, x2, votes = simulate_two_terms(rng, {0: 3.0, 1: -3.0})
    names = [f"m{i}" for i in range(60)]
    anchor = f"m{int(np.argmax(x1))}"
    r = fit_periods(votes, names, ["2021"] * 200 + ["2022"] * 200, anchor=anchor, n_boot=30, rng=5)
    assert r.periods == ("2021", "2022")
    assert np.corrcoef(r.positions[1], x2)[0, 1] > 0.95
    flagged = {m.member for m in r.movers}
    assert {"m0", "m1"} <= flagged
    assert len(flagged) <= 5  # a 95% rule flags a few stayers by chance, not many
    move = next(m for m in r.moves if m.member == "m0")
    assert move.change > 0 and move.from_period == "2021"


def test_a_member_serving_in_one_period_only_is_missing_in_the_other() -> None:
    rng = np.random.default_rng(13)
    _, _, votes = simulate_two_terms(rng, {})
    votes[5, 200:] = np.nan  # m5 left after the first term
    names = [f"m{i}" for i in range(60)]
    r = fit_periods(votes, names, ["t1"] * 200 + ["t2"] * 200, n_boot=5, rng=1)
    k = r.members.index("m5")
    assert not np.isnan(r.positions[0, k]) and np.isnan(r.positions[1, k])
    assert all(m.member != "m5" for m in r.moves)
    assert r.links[1].bridges == 59


def test_linking_needs_bootstrapped_one_dimensional_fits_and_shared_members() -> None:
    votes = [[1, 0, 1], [1, 1, 0], [0, 1, 1], [0, 0, 0]]
    plain = fit_ideal_points(votes, ["a", "b", "c", "d"])
    with pytest.raises(ValidationError, match="no bootstrap"):
        link_periods([plain], ["t1"])
    a = fit_ideal_points(votes, ["a", "b", "c", "d"], n_boot=3, rng=0)
    b = fit_ideal_points(votes, ["e", "f", "c", "d"], n_boot=3, rng=0)
    with pytest.raises(ValidationError, match="share 2 members"):
        link_periods([a, b], ["t1", "t2"])


def test_agreement_rates_match_a_brute_force_count() -> None:
    rng = np.random.default_rng(14)
    votes = (rng.random((7, 30)) < 0.5).astype(float)
    votes[rng.random(votes.shape) < 0.2] = np.nan
    names = [f"m{i}" for i in range(7)]
    a = agreement_rates(votes, names, ["m0", "m3"], window=10, step=3)
    assert len(a.windows) == len(range(0, 21, 3))
    for w, start in enumerate(range(0, 21, 3)):
        for i in range(7):
            for k, anchor in enumerate([0, 3]):
                cols = range(start, start + 10)
                both = [j for j in cols if not np.isnan(votes[i, j]) and not np.isnan(votes[anchor, j])]
                same = [j for j in both if votes[i, j] == votes[anchor, j]]
                assert a.counts[w, i, k] == len(both)
                if both:
                    assert a.rates[w, i, k] == pytest.approx(len(same) / len(both))
                else:
                    assert np.isnan(a.rates[w, i, k])


def test_agreement_window_out_of_range_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        agreement_rates([[1, 0], [0, 1]], ["a", "b"], ["a"], window=3)
    assert info.value.parameter == "window"
