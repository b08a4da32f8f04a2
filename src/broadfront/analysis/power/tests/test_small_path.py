"""The numpy path for small bodies (used before numba is loaded) agrees with the kernels."""

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.power import WeightedGame, _small, banzhaf, coleman, shapley_shubik


def solve(game, *, numpy_path):
    with pytest.MonkeyPatch.context() as mp:
        if numpy_path:
            mp.setattr(_small, "kernels_loaded", lambda: False)
        else:
            mp.setattr(_small, "fits", lambda T, work: False)
        return (
            banzhaf(game, method="exact"),
            banzhaf(game, method="float"),
            shapley_shubik(game, method="exact"),
            coleman(game, method="exact"),
        )


def assert_same(game):
    bz, fl, ss, co = solve(game, numpy_path=True)
    kbz, kfl, kss, kco = solve(game, numpy_path=False)
    assert bz.swings == kbz.swings
    assert co.winning == kco.winning
    np.testing.assert_allclose(fl.absolute, kfl.absolute, rtol=0, atol=2 * kfl.error_bound)
    np.testing.assert_allclose(ss.values, kss.values, rtol=0, atol=2 * kss.error_bound)


def test_a_council_of_a_hundred_agrees_on_both_paths():
    w = np.random.default_rng(0).integers(1, 21, 100)
    assert_same(WeightedGame(w, int(w.sum()) // 2 + 1))


@pytest.mark.skipif(not _small._EXTENDED, reason="numpy.longdouble is plain double here")
def test_a_fresh_process_solves_a_council_without_importing_numba():
    code = (
        "import sys\n"
        "from broadfront.analysis.power import WeightedGame, banzhaf, shapley_shubik\n"
        "g = WeightedGame(list(range(1, 61)), 1000)\n"
        "banzhaf(g); banzhaf(g, method='float'); shapley_shubik(g)\n"
        "print('numba' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_electoral_college_agrees_on_both_paths():
    ev = [9, 3, 11, 6, 54, 10, 7, 3, 3, 30, 16, 4, 4, 19, 11, 6, 6, 8, 8, 4, 10, 11, 15, 10, 6,
          10, 4, 5, 6, 4, 14, 5, 28, 16, 3, 17, 7, 8, 19, 4, 9, 3, 11, 40, 6, 3, 13, 12, 4, 10, 3]
    assert_same(WeightedGame(ev, 270))


def test_zero_weights_and_a_player_at_the_quota_agree_on_both_paths():
    assert_same(WeightedGame([0, 0, 5, 1, 1, 2], 5))
    assert_same(WeightedGame([0, 7, 3, 3], 2))


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=25), min_size=1, max_size=70),
    st.floats(min_value=0.05, max_value=1.0),
)
def test_random_small_games_agree_on_both_paths(weights, fraction):
    total = sum(weights)
    if total == 0:
        return
    quota = max(1, min(total, int(fraction * total)))
    assert_same(WeightedGame(weights, quota))


def test_big_tables_go_to_the_kernels():
    assert not _small.fits(_small.MAX_T + 1, 10.0)
    assert not _small.fits(10, _small.MAX_WORK + 1.0)
