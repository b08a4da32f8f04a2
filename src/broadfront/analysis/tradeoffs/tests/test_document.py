"""Decision documents: the JSON format of ``broadfront decide``, checked place by place."""

from __future__ import annotations

import pytest

from broadfront.analysis.tradeoffs import decide, report_to_dict
from broadfront.exceptions import ValidationError

IMPACTS = [
    {"option": "march", "constituency": "our members",
     "upside": {"size": 4, "likelihood": 0.5}, "downside": {"size": 1, "likelihood": 0.5}},
    {"option": "march", "constituency": "neighborhood",
     "downside": {"size": 3, "likelihood": 0.5}},
    {"option": "petition", "constituency": "our members",
     "upside": {"size": 1, "likelihood": 1}},
]


def doc(**extra):
    base = {"options": ["march", "petition"], "rule": "majority",
            "ballots": [{"role": "member", "choice": "march"},
                        {"role": "leader", "choice": "march"}]}
    return base | extra


def test_the_smallest_document_is_counted_without_an_impact_matrix():
    report = decide(doc())
    assert report.winner == "march" and report.impacts is None
    d = report_to_dict(report)
    assert d["options"][0]["expected_net"] is None and d["dominated"] == []


def test_impacts_are_summarized_with_constituencies_in_order_of_appearance():
    report = decide(doc(impacts=IMPACTS))
    s = report.impacts
    assert s.constituencies == ("our members", "neighborhood")
    # march: members 2 - 0.5 = 1.5, neighborhood -1.5; petition: members 1, neighborhood 0
    assert s.expected_net.tolist() == [[1.5, -1.5], [1.0, 0.0]]
    d = report_to_dict(report)
    assert [r["expected_net"] for r in d["options"]] == [0.0, 1.0]
    assert d["options"][0]["worst_off"] == ["neighborhood"]
    assert d["options"][0]["largest_downside"] == ["neighborhood"]


def test_constituency_weights_and_inequality_aversion_come_from_the_document():
    report = decide(doc(impacts=IMPACTS, constituencies=["neighborhood", "our members", "staff"],
                        weights={"neighborhood": 2}, inequality_aversion=0))
    assert report.impacts.weights.tolist() == [2.0, 1.0, 1.0]
    assert report.impacts.option("march").expected_net == 2 * -1.5 + 1.5
    assert report.impacts.option("march").prioritarian_score == -1.5


@pytest.mark.parametrize("change, location, message", [
    ({"impacts": [{"option": "march", "constituency": "x",
                   "upside": {"size": 1, "likelihood": 1.2}}]},
     "impacts[0].upside.likelihood", "between 0 and 1"),
    ({"impacts": [{"option": "march", "constituency": "x",
                   "downside": {"size": -1, "likelihood": 0.2}}]},
     "impacts[0].downside.size", ">= 0"),
    ({"impacts": [{"option": "rally", "constituency": "x"}]}, "impacts[0].option",
     "unknown option 'rally'"),
    ({"impacts": [{"option": "march", "constituency": "x"},
                  {"option": "march", "constituency": "x"}]}, "impacts[1]", "already"),
    ({"impacts": [{"option": "march", "constituency": "x", "upsid": {}}]}, "impacts[0].upsid",
     "unknown key"),
    ({"ballots": [{"choice": "march"}, {"choice": "march", "rankng": []}]}, "ballots[1].rankng",
     "unknown key"),
    ({"ballots": [{"choice": 3}]}, "ballots[0].choice", "must be text"),
    ({"ballot": []}, "ballot", "unknown key"),
    ({"quorum": {"member": "half"}}, "quorum.member", "number of ballots"),
    ({"weights": {"x": 1}}, "weights", "no impacts"),
])
def test_a_malformed_document_is_refused_naming_the_place(change, location, message):
    with pytest.raises(ValidationError, match=message) as err:
        decide(doc(**change))
    assert err.value.location == location


def test_a_document_needs_options_and_a_rule():
    with pytest.raises(ValidationError) as err:
        decide({"rule": "majority"})
    assert err.value.location == "options"
    with pytest.raises(ValidationError) as err:
        decide({"options": ["A"]})
    assert err.value.location == "rule"


def test_quorum_objects_and_numbers_are_read():
    report = decide(doc(quorum={"member": {"eligible": 4, "fraction": 0.5}, "leader": 1}))
    assert report.result.members.quorum_required == 2
    assert not report.result.members.quorum_met and report.winner is None
