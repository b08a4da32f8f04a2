"""Published power values of real decision bodies."""

from fractions import Fraction

import numpy as np
import pytest

from broadfront.analysis.power import (
    WeightedGame,
    banzhaf,
    coleman,
    deegan_packel,
    holler,
    johnston,
    minimal_winning_coalitions,
    shapley_shubik,
    with_veto,
)


def nassau_1964() -> WeightedGame:
    # Banzhaf, "Weighted voting doesn't work", Rutgers Law Review 19:317-343 (1965): the
    # Nassau County Board of Supervisors, 115 votes, majority 58.
    return WeightedGame(
        [31, 31, 21, 28, 2, 2],
        58,
        names=["Hempstead 1", "Hempstead 2", "North Hempstead", "Oyster Bay", "Glen Cove", "Long Beach"],
    )


def test_three_of_six_nassau_supervisors_have_no_power():
    r = banzhaf(nassau_1964())
    assert r.swings[2] == r.swings[4] == r.swings[5] == 0
    assert r.swings[0] == r.swings[1] == r.swings[3] > 0
    assert np.allclose(r.values, [1 / 3, 1 / 3, 0, 1 / 3, 0, 0])


def every_index(game: WeightedGame, method: str) -> dict[str, np.ndarray]:
    bz = banzhaf(game, method=method)
    co = coleman(game, method=method)
    return {
        "banzhaf": bz.values,
        "banzhaf_absolute": bz.absolute,
        "shapley_shubik": shapley_shubik(game, method=method).values,
        "holler": holler(game).values,
        "deegan_packel": deegan_packel(game).values,
        "johnston": johnston(game).values,
        "coleman_prevent": co.prevent,
        "coleman_initiate": co.initiate,
    }


@pytest.mark.parametrize("method", ["exact", "float", "auto"])
def test_the_three_powerless_nassau_supervisors_get_exactly_zero_on_every_index(method):
    # the Shapley-Shubik table used to leave 4.16e-17 for North Hempstead
    for name, values in every_index(nassau_1964(), method).items():
        assert values[[2, 4, 5]].tolist() == [0.0, 0.0, 0.0], name
        assert np.all(values[[0, 1, 3]] > 0), name
        assert values[0] == values[1], name  # equal weights: bit-identical values
    ss = shapley_shubik(nassau_1964(), method=method)
    assert abs(ss.values.sum() - 1) <= 6 * ss.error_bound


def eec_1958() -> WeightedGame:
    # Council of the EEC under the Treaty of Rome (1958): 12 of 17 votes. Felsenthal and
    # Machover, The Measurement of Voting Power, Edward Elgar 1998, section 5.3 (Table 5.3.1).
    return WeightedGame([4, 4, 4, 2, 2, 1], 12, names=["FR", "DE", "IT", "BE", "NL", "LU"])


def test_luxembourg_had_no_power_in_the_1958_eec_council():
    r = banzhaf(eec_1958())
    assert r.swings == (10, 10, 10, 6, 6, 0)
    assert np.allclose(r.values, [5 / 21] * 3 + [3 / 21] * 2 + [0])


@pytest.mark.parametrize("method", ["exact", "float", "auto"])
def test_luxembourg_gets_exactly_zero_on_every_index(method):
    for name, values in every_index(eec_1958(), method).items():
        assert values[5] == 0.0, name
        assert np.all(values[:5] > 0), name
        assert values[0] == values[1] == values[2] and values[3] == values[4], name


def test_eec_1958_shapley_shubik_values_are_the_published_ones():
    r = shapley_shubik(eec_1958())
    assert np.allclose(r.values, [14 / 60] * 3 + [9 / 60] * 2 + [0], atol=1e-12)


# UN Security Council since 1965: 9 of 15 votes including the 5 permanent members.
# Shapley and Shubik (APSR 48:787-792, 1954) give 421/2145 (about 0.1963) to each permanent
# member and 4/2145 (about 0.0019) to each elected member.
UNSC_PERMANENT = Fraction(421, 2145)
UNSC_ELECTED = Fraction(4, 2145)


@pytest.mark.parametrize("form", ["weighted", "veto"])
def test_un_security_council_shapley_shubik_values(form):
    if form == "weighted":
        game = WeightedGame([7] * 5 + [1] * 10, 39)
    else:
        game = with_veto(WeightedGame([1] * 15, 9), range(5))
    r = shapley_shubik(game)
    assert np.allclose(r.values[:5], float(UNSC_PERMANENT), atol=1e-12)
    assert np.allclose(r.values[5:], float(UNSC_ELECTED), atol=1e-12)
    if r.exact_values is not None:
        assert r.exact_values[0] == UNSC_PERMANENT and r.exact_values[-1] == UNSC_ELECTED


def test_the_two_forms_of_the_security_council_have_the_same_banzhaf_swings():
    a = banzhaf(WeightedGame([7] * 5 + [1] * 10, 39))
    b = banzhaf(with_veto(WeightedGame([1] * 15, 9), range(5)))
    assert a.swings == b.swings


def test_security_council_minimal_winning_coalitions_are_five_permanent_plus_four():
    r = minimal_winning_coalitions(WeightedGame([7] * 5 + [1] * 10, 39), limit=0)
    assert r.count == 210  # C(10, 4)
    assert r.coalitions is None
