"""Ideal points by EM: recovery of simulated positions, agreement with published scores."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.spectrum import anchor_distances, fit_ideal_points, prepare_votes
from broadfront.analysis.spectrum.tests.conftest import load_senate, reference, simulate_votes
from broadfront.exceptions import ValidationError


def names(n: int) -> list[str]:
    return [f"m{i}" for i in range(n)]


# ------------------------------------------------------------------ recovery from the model


def test_recovers_simulated_positions_with_a_fifth_of_votes_missing() -> None:
    rng = np.random.default_rng(20240601)
    x, y = simulate_votes(rng, 100, 600, missing=0.2)
    fit = fit_ideal_points(y, names(100), anchor="m0")
    r = abs(np.corrcoef(fit.positions[:, 0], x[:, 0])[0, 1])
    assert fit.converged
    assert r >= 0.98, r


def test_recovers_two_simulated_dimensions_up_to_rotation() -> None:
    rng = np.random.default_rng(7)
    x, y = simulate_votes(rng, 120, 600, dims=2, missing=0.2)
    fit = fit_ideal_points(y, names(120), dims=2)
    design = np.hstack([fit.positions, np.ones((120, 1))])
    for k in range(2):
        coef, *_ = np.linalg.lstsq(design, x[:, k], rcond=None)
        assert np.corrcoef(design @ coef, x[:, k])[0, 1] >= 0.97


def test_the_anchor_sits_on_the_positive_side() -> None:
    rng = np.random.default_rng(3)
    x, y = simulate_votes(rng, 40, 200)
    left = f"m{int(np.argmin(x[:, 0]))}"
    fit = fit_ideal_points(y, names(40), anchor=left)
    assert fit.positions[fit.index(left), 0] > 0
    assert np.corrcoef(fit.positions[:, 0], x[:, 0])[0, 1] < -0.9


def test_positions_are_standardized() -> None:
    rng = np.random.default_rng(4)
    _, y = simulate_votes(rng, 30, 100, missing=0.1)
    fit = fit_ideal_points(y, names(30))
    assert fit.positions.mean() == pytest.approx(0.0, abs=1e-9)
    assert fit.positions.std() == pytest.approx(1.0)


# ------------------------------------------------------------------ published scores


def test_109th_senate_matches_pscl_ideal_and_dw_nominate() -> None:
    # References: s109_legislators.csv in /work/shared/data/rollcall (README): pscl::ideal
    # posterior means (1-D, unanimous votes dropped) and DW-NOMINATE dim 1 of the Voteview
    # run SL80110C21 (Senate 80-110). Achieved: r = 0.999 with pscl, r = 0.979 with DW-NOMINATE.
    members, votes, table = load_senate("s109")
    republican = next(m for m in members if table[m]["party"] == "R")
    fit = fit_ideal_points(votes, members, anchor=republican)
    x = fit.positions[:, 0]
    assert np.corrcoef(x, reference(table, fit.members, "pscl_ideal_mean"))[0, 1] >= 0.995
    assert np.corrcoef(x, reference(table, fit.members, "dwnominate_dim1_sl80110"))[0, 1] >= 0.97
    assert fit.votes_used == 520  # 645 roll calls, 125 with a minority under 2.5%
    assert fit.correct_classification > 0.88


def test_90th_senate_matches_w_nominate_in_one_and_two_dimensions() -> None:
    # References: sen90_legislators.csv (README): W-NOMINATE 2-D example of the wnominate
    # package, polarity c(2, 5), and DW-NOMINATE dim 1. The 90th Senate is two-dimensional
    # (civil rights), so dim 1 of DW-NOMINATE and W-NOMINATE agree only at r = 0.878.
    # Achieved: 1-D r = 0.983 with W-NOMINATE dim 1, 0.870 with DW-NOMINATE dim 1;
    # 2-D after the best linear map: r = 0.985 (dim 1) and 0.970 (dim 2).
    members, votes, table = load_senate("sen90")
    conservative = next(m for m in members if table[m]["name"] == "THURMOND")
    fit = fit_ideal_points(votes, members, anchor=conservative)
    x = fit.positions[:, 0]
    assert np.corrcoef(x, reference(table, fit.members, "wnominate_dim1"))[0, 1] >= 0.97
    assert np.corrcoef(x, reference(table, fit.members, "dwnominate_dim1_sl80110"))[0, 1] >= 0.85
    fit2 = fit_ideal_points(votes, members, dims=2, anchor=conservative)
    design = np.hstack([fit2.positions, np.ones((len(fit2.members), 1))])
    for k, column in enumerate(["wnominate_dim1", "wnominate_dim2"]):
        target = reference(table, fit2.members, column)
        coef, *_ = np.linalg.lstsq(design, target, rcond=None)
        assert np.corrcoef(design @ coef, target)[0, 1] >= (0.98, 0.96)[k]
    assert fit2.correct_classification > fit.correct_classification


# ------------------------------------------------------------------ the drop rule


def test_unanimous_and_lopsided_votes_are_dropped_by_the_minority_share_rule() -> None:
    # 50 members: vote a is unanimous, b has 1 dissenter (2%), c has 2 dissenters (4%).
    y = np.ones((50, 3))
    y[0, 1] = 0
    y[:2, 2] = 0
    _, _, kept = prepare_votes(y)
    assert kept.tolist() == [False, False, True]
    _, _, kept = prepare_votes(y, lop=0.0)
    assert kept.tolist() == [False, True, True]


def test_members_with_too_few_votes_are_dropped_and_reported() -> None:
    rng = np.random.default_rng(5)
    _, y = simulate_votes(rng, 20, 60)
    y[3, 5:] = np.nan
    fit = fit_ideal_points(y, names(20), min_votes=10)
    assert fit.dropped_members == ("m3",)
    assert "m3" not in fit.members


def test_missing_votes_do_not_count_against_classification() -> None:
    votes = [[1, 1, 0, None], [1, None, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]]
    fit = fit_ideal_points(votes, ["a", "b", "c", "d"])
    assert fit.correct_classification == 1.0


# ------------------------------------------------------------------ uncertainty and distance


def test_bootstrap_intervals_cover_the_estimate_and_repeat_with_the_same_seed() -> None:
    rng = np.random.default_rng(6)
    _, y = simulate_votes(rng, 30, 80, missing=0.2)
    a = fit_ideal_points(y, names(30), anchor="m0", n_boot=40, rng=11)
    b = fit_ideal_points(y, names(30), anchor="m0", n_boot=40, rng=11)
    assert a.lower is not None and a.upper is not None and a.standard_errors is not None
    assert np.array_equal(a.lower, b.lower)
    inside = (a.lower <= a.positions) & (a.positions <= a.upper)
    assert inside.mean() >= 0.9
    assert np.all(a.standard_errors > 0)


def test_distance_from_the_anchor_is_zero_for_the_anchor_and_brute_force_elsewhere() -> None:
    rng = np.random.default_rng(8)
    _, y = simulate_votes(rng, 15, 60)
    fit = fit_ideal_points(y, names(15), n_boot=10, rng=1)
    d = anchor_distances(fit, "m4")
    for m, value in d.as_dict().items():
        assert value == pytest.approx(abs(fit.positions[fit.index(m), 0] - fit.positions[fit.index("m4"), 0]))
    assert d.lower is not None and d.lower[fit.index("m4")] == 0.0


# ------------------------------------------------------------------ properties


votes_tables = st.integers(min_value=0, max_value=10_000).map(
    lambda seed: simulate_votes(np.random.default_rng(seed), 12, 25, missing=0.15)[1]
)


@settings(max_examples=10, deadline=None)
@given(votes_tables)
def test_recoding_a_vote_yes_for_no_leaves_positions_unchanged(y: np.ndarray) -> None:
    flipped = y.copy()
    flipped[:, 0] = 1.0 - flipped[:, 0]
    a = fit_ideal_points(y, names(12), anchor="m0", tol=1e-12)
    b = fit_ideal_points(flipped, names(12), anchor="m0", tol=1e-12)
    assert np.allclose(a.positions, b.positions, atol=1e-4)


@settings(max_examples=25, deadline=None)
@given(votes_tables, st.randoms(use_true_random=False))
def test_reordering_members_reorders_positions(y: np.ndarray, shuffler) -> None:
    order = list(range(12))
    shuffler.shuffle(order)
    a = fit_ideal_points(y, names(12), anchor="m0")
    b = fit_ideal_points(y[order], [f"m{i}" for i in order], anchor="m0")
    for m in a.members:
        assert a.positions[a.index(m), 0] == pytest.approx(b.positions[b.index(m), 0], abs=1e-3)


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"dims": 3}, "dims"),
        ({"anchor": "nobody"}, "anchor"),
        ({"lop": 0.6}, "lop"),
        ({"n_boot": -1}, "n_boot"),
        ({"min_votes": 0}, "min_votes"),
    ],
)
def test_bad_arguments_name_the_parameter(kwargs: dict, parameter: str) -> None:
    votes = [[1, 0, 1], [1, 1, 0], [0, 1, 1], [0, 0, 0]]
    with pytest.raises(ValidationError) as info:
        fit_ideal_points(votes, ["a", "b", "c", "d"], **kwargs)
    assert info.value.parameter == parameter


def test_a_vote_other_than_yes_no_or_missing_is_refused_with_its_place() -> None:
    with pytest.raises(ValidationError, match="row 2, column 1 holds 2.0"):
        fit_ideal_points([[1, 0], [2, 1], [0, 1]], ["a", "b", "c"])


def test_duplicate_members_are_refused() -> None:
    with pytest.raises(ValidationError, match="'a' appears twice"):
        fit_ideal_points([[1, 0], [0, 1], [0, 1]], ["a", "b", "a"])
