"""The scenario file format: round trip, defaults, and errors that name the field."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.scenarios import Scenario, StanceLink
from broadfront.exceptions import ValidationError

MINIMAL = {
    "body": {"quota": 5, "members": [{"name": n, "weight": 1, "p_with_us": 0.8} for n in "ABCDEFG"]}
}


def test_the_smallest_form_reads_as_independent_members_with_a_quota():
    s = Scenario.from_dict(MINIMAL)
    assert s.body is not None
    assert s.body.rule.kind == "quota" and s.body.rule.quota == 5
    assert [m.bloc for m in s.body.members] == [None] * 7
    assert s.shocks == () and s.seed is None


def test_a_full_scenario_survives_a_json_round_trip():
    d = {
        "name": "centrists realign",
        "seed": 42,
        "draws": 5000,
        "target": 0.9,
        "body": {
            "rule": {"kind": "double_majority", "fraction": 0.6, "count_fraction": 0.5},
            "link": {"intercept": 0.2, "slope": 1.2},
            "blocs": {"centre": {"cohesion": 0.7}},
            "default_cohesion": 0.4,
            "members": [
                {"name": "A", "weight": 2, "stance": 1, "bloc": "centre"},
                {"name": "B", "p_with_us": 0.3, "bloc": "left"},
            ],
        },
        "shocks": [
            {
                "kind": "bloc_shift",
                "bloc": "centre",
                "steps": -2,
                "probability": 0.4,
                "label": "the centre moves right",
            },
            {"kind": "member_defects", "member": "B"},
        ],
    }
    s = Scenario.from_dict(d)
    again = Scenario.from_dict(json.loads(json.dumps(s.to_dict())))
    assert again == s
    assert s.body is not None and s.body.cohesion("left") == 0.4


def test_a_race_survives_a_json_round_trip():
    d = {
        "race": {
            "candidates": [
                {"name": "Walton", "us": True},
                {"name": "Brown", "write_in": True, "counted": 0.9},
            ],
            "share_sd": 0.04,
            "divisions": [
                {
                    "name": "d1",
                    "voters": 100,
                    "turnout": 0.3,
                    "group": "east",
                    "shares": {"Walton": 0.5, "Brown": 0.5},
                    "turnout_sd": 0.01,
                }
            ],
        },
        "shocks": [
            {"kind": "capture", "to": "Brown", "fraction": 0.1, "group": "east"},
            {"kind": "turnout", "divisions": ["d1"], "change": -0.1, "probability": 0.5},
        ],
    }
    s = Scenario.from_dict(d)
    assert s.race is not None and s.race.our_candidate == "Walton"
    assert Scenario.from_dict(json.loads(json.dumps(s.to_dict()))) == s


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.floats(0, 1), st.one_of(st.none(), st.sampled_from("xy"))),
        min_size=1,
        max_size=6,
    ),
    st.integers(1, 10),
)
def test_any_valid_body_round_trips(members, quota):
    d = {
        "body": {
            "quota": quota,
            "members": [
                {"name": f"m{i}", "weight": w, "p_with_us": p, "bloc": b}
                for i, (w, p, b) in enumerate(members)
            ],
        }
    }
    if sum(w for w, _, _ in members) == 0:
        d["body"]["members"][0]["weight"] = 1
    s = Scenario.from_dict(d)
    assert Scenario.from_dict(s.to_dict()) == s


@pytest.mark.parametrize(
    ("mutate", "path", "words"),
    [
        (
            lambda d: d["body"]["members"][2].__setitem__("weight", -1),
            "body.members[2].weight",
            ">= 0",
        ),
        (
            lambda d: d["body"]["members"][1].__setitem__("p_with_us", 1.5),
            "body.members[1].p_with_us",
            "<= 1",
        ),
        (lambda d: d["body"]["members"][0].pop("p_with_us"), "body.members[0]", "p_with_us"),
        (
            lambda d: d["body"]["members"][3].__setitem__("name", "A"),
            "body.members[3].name",
            "duplicate",
        ),
        (
            lambda d: d["body"]["members"][0].__setitem__("colour", "red"),
            "body.members[0].colour",
            "unknown field",
        ),
        (lambda d: d["body"].__setitem__("quota", "five"), "body.quota", "number"),
        (lambda d: d["body"].__setitem__("rule", "unanimity"), "body.rule.kind", "one of"),
        (
            lambda d: d.__setitem__(
                "shocks", [{"kind": "bloc_shift", "bloc": "ghosts", "steps": -1}]
            ),
            "shocks[0].bloc",
            "ghosts",
        ),
        (
            lambda d: d.__setitem__("shocks", [{"kind": "member_defects", "member": "Z"}]),
            "shocks[0].member",
            "not a member",
        ),
        (
            lambda d: d.__setitem__("shocks", [{"kind": "capture", "to": "X", "fraction": 0.1}]),
            "shocks[0].kind",
            "needs a race",
        ),
        (
            lambda d: d.__setitem__(
                "shocks", [{"kind": "member_defects", "member": "A", "probability": 2}]
            ),
            "shocks[0].probability",
            "<= 1",
        ),
        (lambda d: d.__setitem__("race", {}), "body", "exactly one"),
        (lambda d: d.__setitem__("seed", -3), "seed", "non-negative"),
    ],
)
def test_bad_files_get_errors_naming_the_field_and_the_problem(mutate, path, words):
    d = json.loads(json.dumps(MINIMAL))
    mutate(d)
    with pytest.raises(ValidationError) as info:
        Scenario.from_dict(d)
    assert info.value.parameter == path
    assert str(info.value).startswith(path + ":")
    assert words in str(info.value)


def test_race_errors_name_the_division_and_candidate():
    race = {
        "our_candidate": "Us",
        "candidates": ["Us", "Them"],
        "divisions": [
            {"name": "d1", "voters": 10, "turnout": 0.5, "shares": {"Us": 0.5, "Them": 0.5}},
            {"name": "d2", "voters": 10, "turnout": 0.5, "shares": {"Us": 0.5, "Ghost": 0.5}},
        ],
    }
    with pytest.raises(ValidationError, match=r"^race\.divisions\[1\]\.shares\.Ghost: "):
        Scenario.from_dict({"race": race})
    race["divisions"][1]["shares"] = {"Us": 0.5, "Them": 0.3}
    with pytest.raises(ValidationError, match="add up to 0.8"):
        Scenario.from_dict({"race": race})
    race["divisions"][1]["shares"] = {"Us": 0.5, "Them": 0.5}
    race["our_candidate"] = "Nobody"
    with pytest.raises(ValidationError, match=r"^race\.our_candidate: "):
        Scenario.from_dict({"race": race})


def test_the_default_stance_link_gives_the_documented_probabilities():
    link = StanceLink()
    got = [round(link.probability(s), 3) for s in (-3, -2, -1, 0, 1, 2, 3)]
    assert got == [0.011, 0.047, 0.182, 0.5, 0.818, 0.953, 0.989]
    # two steps toward the right from a leaning ally makes a leaning opponent
    assert link.shifted(link.probability(1), -2) == pytest.approx(link.probability(-1))
    assert link.shifted(1.0, -3) == 1.0
