"""The spectrum of allies: bands, weighted support and the "move one step" suggestions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.spectrum import BANDS, spectrum_of_allies
from broadfront.exceptions import ValidationError


def test_the_five_bands_hold_the_seven_stance_levels_once_each() -> None:
    levels = [s for _, stances in BANDS for s in stances]
    assert sorted(levels) == list(range(-3, 4))
    assert [name for name, _ in BANDS] == [
        "active opposition", "passive opposition", "neutral", "passive allies", "active allies"
    ]


def test_actors_in_a_band_are_listed_by_influence() -> None:
    s = spectrum_of_allies({"a": 1, "b": 2, "c": 1}, {"a": 1, "b": 4, "c": 2})
    band = next(b for b in s.bands if b.name == "passive allies")
    assert band.actors == ("b", "c", "a")
    assert band.influence == 7.0


def test_active_allies_get_no_suggestion_and_actors_without_influence_weigh_one() -> None:
    s = spectrum_of_allies({"core": 3, "church": -1})
    assert [x.actor for x in s.suggestions] == ["church"]
    assert s.suggestions[0].gain == 1.0


def test_custom_stance_values_change_the_ranking() -> None:
    # Only allies count: moving the neutral union (5) to leaning ally gains 5 x 1, moving the
    # chamber (9) from -3 to -2 gains nothing.
    values = {-3: 0, -2: 0, -1: 0, 0: 0, 1: 1, 2: 2, 3: 3}
    s = spectrum_of_allies({"union": 0, "chamber": -3}, {"union": 5, "chamber": 9}, stance_values=values)
    assert [(x.actor, x.gain) for x in s.suggestions] == [("union", 5.0), ("chamber", 0.0)]


stance_maps = st.dictionaries(
    st.text(alphabet="abcdefgh", min_size=1, max_size=3), st.integers(-3, 3), min_size=1, max_size=12
)


@settings(max_examples=60, deadline=None)
@given(stance_maps, st.data())
def test_each_suggested_gain_is_the_brute_force_change_in_weighted_support(stances, data) -> None:
    influence = {a: data.draw(st.floats(0, 100, allow_nan=False)) for a in stances}
    s = spectrum_of_allies(stances, influence)
    for x in s.suggestions:
        moved = dict(stances, **{x.actor: x.new_stance})
        assert spectrum_of_allies(moved, influence).weighted_support - s.weighted_support == pytest.approx(x.gain, abs=1e-9)
    gains = [x.gain for x in s.suggestions]
    assert gains == sorted(gains, reverse=True)
    assert sum(b.influence for b in s.bands) == pytest.approx(s.total_influence)


@pytest.mark.parametrize(
    ("stances", "influence", "values", "parameter"),
    [
        ({"a": 4}, None, None, "stances"),
        ({"a": 1.5}, None, None, "stances"),
        ({"a": 1}, {"a": -1}, None, "influence"),
        ({"a": 1}, {"b": 1}, None, "influence"),
        ({"a": 1}, None, {0: 1}, "stance_values"),
        ({"a": 1}, None, {-3: 3, -2: 2, -1: 1, 0: 0, 1: 1, 2: 2, 3: 3}, "stance_values"),
    ],
)
def test_bad_input_names_the_parameter(stances, influence, values, parameter) -> None:
    with pytest.raises(ValidationError) as info:
        spectrum_of_allies(stances, influence, stance_values=values)
    assert info.value.parameter == parameter
