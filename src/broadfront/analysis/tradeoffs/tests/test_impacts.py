"""The impact matrix: expected effects, who bears what, dominance and fair summaries."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from broadfront.analysis.tradeoffs import (
    ImpactCell,
    impact_arrays,
    prioritarian_transform,
    summarize_impacts,
)
from broadfront.exceptions import ValidationError

CONS = ["our members", "partner members", "neighborhood"]


def march_matrix(**kwargs):
    """Three options for a march, worked out by hand below.

    A: members +6 at 0.5 (=3), partner +2 at 0.5 (=1), neighborhood -4 at 0.5 (=-2)
    B: members +2 for sure, partner +2 for sure, neighborhood +1 for sure, minus 1 at 1
       for the neighborhood (net 0)
    C: members +1 for sure, partner +1 for sure, neighborhood loses 2 at 0.5 (=-1)
    """
    up = [[6, 2, 0], [2, 2, 1], [1, 1, 0]]
    pu = [[0.5, 0.5, 0], [1, 1, 1], [1, 1, 0]]
    down = [[0, 0, 4], [0, 0, 1], [0, 0, 2]]
    pd = [[0, 0, 0.5], [0, 0, 1], [0, 0, 0.5]]
    return summarize_impacts(["A", "B", "C"], CONS, up, pu, down, pd, **kwargs)


def test_expected_net_is_upside_times_likelihood_minus_downside_times_likelihood():
    s = march_matrix()
    assert s.expected_net.tolist() == [[3.0, 1.0, -2.0], [2.0, 2.0, 0.0], [1.0, 1.0, -1.0]]
    assert [o.expected_net for o in s.by_option] == [2.0, 4.0, 1.0]
    assert [o.expected_upside for o in s.by_option] == [4.0, 5.0, 2.0]
    assert [o.expected_downside for o in s.by_option] == [2.0, 1.0, 1.0]


def test_each_option_names_who_bears_the_largest_downside_and_who_gains_most():
    a, b, c = march_matrix().by_option
    assert a.largest_downside == ("neighborhood",) and a.largest_expected_downside == 2.0
    assert a.largest_upside == ("our members",) and a.largest_expected_upside == 3.0
    assert b.largest_upside == ("our members", "partner members")  # a tie lists both
    assert c.largest_downside == ("neighborhood",)


def test_an_option_without_any_downside_names_nobody_as_bearing_it():
    s = summarize_impacts(["A"], ["x"], [[1]], [[1]], [[0]], [[0]])
    assert s.by_option[0].largest_downside == ()
    assert s.by_option[0].largest_expected_downside == 0.0


def test_the_worst_off_constituency_is_the_one_with_the_lowest_expected_net():
    a, b, c = march_matrix().by_option
    assert (a.worst_off, a.worst_off_net) == (("neighborhood",), -2.0)
    assert (b.worst_off, b.worst_off_net) == (("neighborhood",), 0.0)
    assert (c.worst_off, c.worst_off_net) == (("neighborhood",), -1.0)


def test_an_option_worse_for_every_constituency_is_dominated():
    s = march_matrix()
    # C (1, 1, -1) is below B (2, 2, 0) everywhere; A (3, 1, -2) beats B for our members.
    assert s.dominated == ("C",)
    assert s.option("C").dominated_by == ("B",)
    assert s.option("A").dominated_by == ()


def test_an_identical_option_does_not_dominate():
    s = summarize_impacts(["A", "B"], ["x"], [[1], [1]], [[1], [1]], [[0], [0]], [[0], [0]])
    assert s.dominated == ()


def test_the_prioritarian_score_ranks_the_option_that_spares_the_neighborhood_higher():
    s = march_matrix()
    # The plain total prefers B (4 over A's 2); with scale s = 3 (largest |effect|) and eps=1,
    # A = 3(1-e^-1) + 3(1-e^-1/3) + 3(1-e^{2/3}), B = 2 * 3(1-e^{-2/3}) + 0.
    a = 3 * (1 - math.exp(-1)) + 3 * (1 - math.exp(-1 / 3)) + 3 * (1 - math.exp(2 / 3))
    b = 2 * 3 * (1 - math.exp(-2 / 3))
    assert s.scale == 3.0
    assert s.option("A").prioritarian_score == pytest.approx(a)
    assert s.option("B").prioritarian_score == pytest.approx(b)
    assert a < 0.5 < b


def test_without_inequality_aversion_the_prioritarian_score_is_the_plain_total():
    s = march_matrix(inequality_aversion=0)
    assert [o.prioritarian_score for o in s.by_option] == [o.expected_net for o in s.by_option]


def test_the_transform_weighs_a_loss_e_to_the_eps_times_a_gain_of_the_same_size():
    for eps in (0.5, 1.0, 2.0):
        g = prioritarian_transform([-2.0, 2.0], inequality_aversion=eps, scale=2.0)
        assert -g[0] / g[1] == pytest.approx(math.exp(eps))


def test_weights_enter_the_totals_but_not_the_worst_off_view():
    s = march_matrix(weights=[2, 1, 10])
    assert s.option("A").expected_net == 2 * 3 + 1 + 10 * -2
    assert s.option("A").worst_off_net == -2.0


def test_a_constituency_no_option_touches_is_not_the_worst_off():
    s = summarize_impacts(["A"], ["members", "staff"], [[2, 0]], [[1, 0]], [[0, 0]], [[0, 0]])
    assert s.affected == ("members",)
    assert s.option("A").worst_off == ("members",)
    assert s.option("A").worst_off_net == 2.0


def test_a_matrix_without_any_impact_has_no_worst_off():
    s = summarize_impacts(["A"], ["x"], [[0]], [[0]], [[0]], [[0]])
    assert s.option("A").worst_off == () and s.option("A").worst_off_net is None


def test_cells_become_arrays_and_missing_cells_mean_no_impact():
    up, pu, down, pd = impact_arrays(["A", "B"], ["x", "y"], [
        ImpactCell("A", "y", upside=3, upside_likelihood=0.2),
        ImpactCell("B", "x", downside=1, downside_likelihood=0.9)])
    assert up.tolist() == [[0, 3], [0, 0]] and pu.tolist() == [[0, 0.2], [0, 0]]
    assert down.tolist() == [[0, 0], [1, 0]] and pd.tolist() == [[0, 0], [0.9, 0]]


@pytest.mark.parametrize("cells, location", [
    ([ImpactCell("Z", "x")], "cells[0].option"),
    ([ImpactCell("A", "nowhere")], "cells[0].constituency"),
    ([ImpactCell("A", "x"), ImpactCell("A", "x")], "cells[1]"),
])
def test_impact_cells_with_unknown_names_or_twice_the_same_pair_are_refused(cells, location):
    with pytest.raises(ValidationError) as err:
        impact_arrays(["A"], ["x"], cells)
    assert err.value.location == location


def test_a_likelihood_outside_zero_to_one_names_the_array_and_the_cell():
    with pytest.raises(ValidationError, match=r"downside_likelihood .* got 1\.5 for option 'B' "
                                              r"and constituency 'y'") as err:
        summarize_impacts(["A", "B"], ["x", "y"], np.zeros((2, 2)), np.zeros((2, 2)),
                          np.ones((2, 2)), [[0, 0], [0, 1.5]])
    assert err.value.parameter == "downside_likelihood"


@pytest.mark.parametrize("kwargs, parameter", [
    ({"upside": [[-1]]}, "upside"),
    ({"upside": [[1, 2]]}, "upside"),
    ({"weights": [-1]}, "weights"),
    ({"inequality_aversion": -0.5}, "inequality_aversion"),
    ({"options": ["A", "A"]}, "options"),
])
def test_bad_arguments_are_refused_naming_the_parameter(kwargs, parameter):
    args = {"options": ["A"], "constituencies": ["x"], "upside": [[1]],
            "upside_likelihood": [[1]], "downside": [[0]], "downside_likelihood": [[0]]}
    if kwargs.get("options") == ["A", "A"]:
        args.update(upside=[[1], [1]], upside_likelihood=[[1], [1]], downside=[[0], [0]],
                    downside_likelihood=[[0], [0]])
    args.update(kwargs)
    with pytest.raises(ValidationError) as err:
        summarize_impacts(**args)
    assert err.value.parameter == parameter


# ---------------------------------------------------------------- properties

sizes = st.floats(0, 10, allow_nan=False).map(lambda v: round(v, 3))
probs = st.floats(0, 1).map(lambda v: round(v, 3))


@st.composite
def matrices(draw):
    n_opt = draw(st.integers(1, 4))
    n_con = draw(st.integers(1, 4))
    shape = (n_opt, n_con)
    return (
        [f"o{i}" for i in range(n_opt)], [f"c{j}" for j in range(n_con)],
        draw(arrays(float, shape, elements=sizes)), draw(arrays(float, shape, elements=probs)),
        draw(arrays(float, shape, elements=sizes)), draw(arrays(float, shape, elements=probs)),
        draw(arrays(float, (n_con,), elements=st.sampled_from([0.5, 1.0, 2.0, 3.0]))),
    )


def _pad(a):
    return np.hstack([a, np.zeros((a.shape[0], 1))])


@settings(max_examples=80, deadline=None)
@given(matrices())
def test_adding_a_constituency_with_zero_impacts_changes_nothing(m):
    opts, cons, up, pu, down, pd, w = m
    before = summarize_impacts(opts, cons, up, pu, down, pd, weights=w)
    after = summarize_impacts(opts, [*cons, "bystanders"], _pad(up), _pad(pu), _pad(down),
                              _pad(pd), weights=[*w, 1.0])
    assert after.dominated == before.dominated
    assert after.scale == before.scale
    for b, a in zip(before.by_option, after.by_option, strict=True):
        assert a == b


@settings(max_examples=80, deadline=None)
@given(matrices(), st.sampled_from([0.25, 2.0, 7.0]))
def test_scaling_every_size_scales_the_totals_and_the_prioritarian_score(m, k):
    opts, cons, up, pu, down, pd, w = m
    s1 = summarize_impacts(opts, cons, up, pu, down, pd, weights=w)
    sk = summarize_impacts(opts, cons, k * up, pu, k * down, pd, weights=w)
    np.testing.assert_allclose(sk.expected_net, k * s1.expected_net, atol=1e-9)
    for a, b in zip(s1.by_option, sk.by_option, strict=True):
        assert b.expected_net == pytest.approx(k * a.expected_net, abs=1e-9)
        assert b.prioritarian_score == pytest.approx(k * a.prioritarian_score, abs=1e-9)
        assert b.worst_off == a.worst_off
        assert b.dominated_by == a.dominated_by


@settings(max_examples=80, deadline=None)
@given(matrices())
def test_a_dominated_option_never_has_the_higher_total(m):
    opts, cons, up, pu, down, pd, w = m
    s = summarize_impacts(opts, cons, up, pu, down, pd, weights=w)
    for o in s.by_option:
        for better in o.dominated_by:
            assert s.option(better).expected_net >= o.expected_net - 1e-9
            assert s.option(better).prioritarian_score >= o.prioritarian_score - 1e-9


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=2, max_size=5), st.floats(0.01, 1.0),
       st.floats(0.1, 3.0))
def test_moving_a_gain_from_the_better_off_to_the_worse_off_raises_the_score(x, share, eps):
    x = np.array(sorted(x))
    gap = x[-1] - x[0]
    if gap < 1e-3:
        return
    delta = share * gap / 2  # keeps the order: Pigou-Dalton transfer
    y = x.copy()
    y[0] += delta
    y[-1] -= delta
    g = prioritarian_transform(x, inequality_aversion=eps, scale=5.0).sum()
    h = prioritarian_transform(y, inequality_aversion=eps, scale=5.0).sum()
    assert h > g
