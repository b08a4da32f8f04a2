"""The power document, read once for ``broadfront power GAME.json`` and ``POST /api/power``."""

from __future__ import annotations

import pytest

from broadfront.analysis.power import (
    MAX_SAMPLES,
    MultiConditionGame,
    PowerOptions,
    WeightedGame,
    game_from_dict,
    power_options,
    power_payload,
)
from broadfront.exceptions import ValidationError


def test_a_game_from_json_checks_every_field() -> None:
    g = game_from_dict({"weights": [1, 1, 1, 1], "quota": 3, "conditions": [
        {"weights": [420, 310, 150, 120], "quota_fraction": 0.65}]})
    assert g.n == 4 and len(g.conditions) == 2
    cases = [
        ({"weights": [1, 2], "quota": 9}, "quota"),
        ({"weights": [1, 2]}, "quota"),
        ({"weights": "12", "quota": 1}, "weights"),
        ({"weights": [1, 2], "quota_fraction": 1.5}, "quota_fraction"),
        ({"weights": [1, 2], "quota": 1, "names": ["x"]}, "names"),
        ({"weights": [1, 2], "quota": 1, "conditions": [{"weights": [1], "quota": 1}]},
         "conditions[0].weights"),
        ({"weights": [1, 2], "quota": 1, "conditions": [{"weights": [1, 1], "quota": 5}]},
         "conditions[0].quota"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as err:
            game_from_dict(data)
        assert err.value.parameter == field, data


def test_one_condition_is_a_weighted_game_and_more_are_a_multi_condition_game() -> None:
    one = game_from_dict({"weights": [3, 2, 2], "quota": 4, "names": ["A", "B", "C"]})
    assert isinstance(one, WeightedGame) and one.names == ("A", "B", "C")
    two = game_from_dict({"weights": [1, 1, 1], "quota": 2,
                          "conditions": [{"weights": [5, 3, 2], "quota_fraction": 0.6}]})
    assert isinstance(two, MultiConditionGame) and two.conditions[1].quota == 6


def test_an_error_in_a_further_condition_names_its_path_in_the_message() -> None:
    with pytest.raises(ValidationError) as err:
        game_from_dict({"weights": [1, 2], "quota": 1,
                        "conditions": [{"weights": [1, 1], "quota": 5}]})
    assert str(err.value) == "conditions[0].quota must not exceed the total weight 2, got 5"


def test_a_quota_that_is_not_a_number_is_refused_by_name() -> None:
    for value in ("half", True, None):
        with pytest.raises(ValidationError) as err:
            game_from_dict({"weights": [1, 2], "quota": value})
        assert err.value.parameter == "quota", value


def test_the_web_may_cap_the_players_below_the_engines_limits() -> None:
    data = {"weights": [1] * 11, "quota": 6}
    assert game_from_dict(data).n == 11
    with pytest.raises(ValidationError) as err:
        game_from_dict(data, max_players=10)
    assert err.value.parameter == "weights" and "at most 10 players, got 11" in str(err.value)


def test_the_options_name_the_option_at_fault() -> None:
    assert power_options(index="Deegan-Packel") == PowerOptions(("deegan_packel",))
    cases = [({"index": ["gini"]}, "index"), ({"index": 3}, "index"),
             ({"method": "fast"}, "method"), ({"samples": 0}, "samples"),
             ({"samples": True}, "samples"), ({"samples": MAX_SAMPLES + 1}, "samples"),
             ({"seed": -1}, "seed"), ({"seed": "1"}, "seed")]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as err:
            power_options(**kwargs)
        assert err.value.parameter == field, kwargs
        assert str(err.value).startswith(f"{field} "), str(err.value)


def test_the_sample_limit_can_be_tightened_or_lifted() -> None:
    with pytest.raises(ValidationError, match="between 1 and 1,000, got 2000$"):
        power_options(samples=2000, max_samples=1000, hard_max_samples=None)
    assert power_options(samples=MAX_SAMPLES + 1, lift_limits=True).samples == MAX_SAMPLES + 1


def test_the_payload_of_three_seats_3_2_2_with_quota_4_gives_equal_power() -> None:
    game = game_from_dict({"weights": [3, 2, 2], "quota": 4})
    out = power_payload(game, PowerOptions(("holler", "johnston", "coleman")))
    assert out["banzhaf_swings"] == [2, 2, 2] and out["method"] == "exact"
    assert list(out["holler"]) == pytest.approx([1 / 3] * 3)
    assert out["coleman"]["act"] == pytest.approx(0.5)  # 4 winning coalitions of 8
    assert set(out["methods"]) == {"banzhaf", "shapley_shubik", "holler", "johnston", "coleman"}
