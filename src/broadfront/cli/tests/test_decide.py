"""``broadfront decide``: the smallest documents for every rule, full output, clear errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from broadfront.cli.main import app

runner = CliRunner()


def run(tmp_path, document, *args):
    path = tmp_path / "decision.json"
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    return runner.invoke(app, ["decide", str(path), *args]), str(path)


def as_json(tmp_path, document):
    result, _ = run(tmp_path, document, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_smallest_instant_runoff_document_works_as_is(tmp_path):
    # First preferences B 2, A 1, C 2 (members): A is dropped, its ballot goes to B: B wins 3-2.
    ballots = [["B", "A", "C"], ["B", "C", "A"], ["A", "B", "C"], ["C", "A", "B"],
               ["C", "B", "A"]]
    out = as_json(tmp_path, {"options": ["A", "B", "C"], "rule": "instant-runoff",
                             "ballots": [{"role": "member", "ranking": r} for r in ballots]})
    assert out["winner"] == "B"
    assert out["members"]["winner"] == "B" and out["members"]["eliminated"][0] == ["A"]
    assert out["leaders"]["outcome"] == "no ballots"
    assert out["combined"]["winner"] == "B"
    assert [o["option"] for o in out["options"]] == ["A", "B", "C"]
    assert out["options"][0]["expected_net"] is None
    assert list(out) == ["question", "rule", "combine", "threshold", "options", "dominated",
                         "impacts", "members", "leaders", "combined", "winner"]


def test_a_condorcet_cycle_reports_no_winner_as_null(tmp_path):
    out = as_json(tmp_path, {"options": ["A", "B", "C"], "rule": "condorcet", "ballots": [
        {"role": "member", "ranking": ["A", "B", "C"]},
        {"role": "member", "ranking": ["B", "C", "A"]},
        {"role": "member", "ranking": ["C", "A", "B"]}]})
    assert out["winner"] is None
    assert out["members"]["outcome"] == "cycle"
    assert out["members"]["smith_set"] == ["A", "B", "C"]
    assert out["combined"]["outcome"] == "cycle"  # the only group that voted decides


def test_approval_ballots_approve_lists_of_options(tmp_path):
    out = as_json(tmp_path, {"options": ["A", "B", "C"], "rule": "approval", "ballots": [
        {"role": "member", "approve": ["A", "B"]}, {"role": "member", "approve": ["B"]},
        {"role": "leader", "approve": ["B"]}]})
    assert out["members"]["counts"] == {"A": 1, "B": 2, "C": 0}
    assert out["winner"] == "B"


def test_majority_ballots_carry_a_choice(tmp_path):
    out = as_json(tmp_path, {"options": ["A", "B"], "rule": "majority", "ballots": [
        {"role": "member", "choice": "A"}, {"role": "member", "choice": "A"},
        {"role": "member", "choice": "B"}]})
    assert out["winner"] == "A" and out["members"]["counts"] == {"A": 2, "B": 1}


def test_a_consent_block_means_no_winner(tmp_path):
    ballots = [{"role": "member", "position": "agree"},
               {"role": "member", "position": "object", "reason": "too soon"},
               {"role": "leader", "position": "abstain"}]
    out = as_json(tmp_path, {"options": ["A"], "rule": "consent", "ballots": ballots})
    assert out["winner"] == "A"
    out = as_json(tmp_path, {"options": ["A"], "rule": "consent", "ballots": [
        *ballots, {"role": "leader", "voter": "dee", "position": "block", "reason": "unsafe"}]})
    assert out["winner"] is None
    assert out["leaders"]["blocked"] == ["A"]
    assert out["combined"]["objections"] == [
        {"ballot": 1, "voter": None, "role": "member", "option": "A", "position": "object",
         "reason": "too soon"},
        {"ballot": 3, "voter": "dee", "role": "leader", "option": "A", "position": "block",
         "reason": "unsafe"}]


def test_members_and_leaders_are_tallied_apart_and_combined(tmp_path):
    doc = {"options": ["strike", "wait"], "rule": "majority",
           "ballots": [{"role": "member", "choice": "strike"}] * 3
           + [{"role": "leader", "choice": "wait"}] * 2}
    out = as_json(tmp_path, doc)
    assert (out["members"]["winner"], out["leaders"]["winner"], out["winner"]) == \
        ("strike", "wait", None)
    out = as_json(tmp_path, doc | {"combine": "weighted",
                                   "role_weights": {"member": 2, "leader": 1}})
    assert out["winner"] == "strike"


IMPACT_DOC = {
    "question": "March on the county board, or petition?",
    "options": ["march", "petition", "wait"],
    "impacts": [
        {"option": "march", "constituency": "our members",
         "upside": {"size": 4, "likelihood": 0.5}},
        {"option": "march", "constituency": "neighborhood",
         "downside": {"size": 2, "likelihood": 0.5}},
        {"option": "petition", "constituency": "our members",
         "upside": {"size": 1, "likelihood": 1}},
        {"option": "wait", "constituency": "our members",
         "upside": {"size": 1, "likelihood": 0.5}},
    ],
    "rule": "approval",
    "ballots": [{"role": "member", "approve": ["march", "petition"]},
                {"role": "member", "approve": ["march"]}],
}


def test_the_json_output_summarizes_each_option_by_constituency(tmp_path):
    out = as_json(tmp_path, IMPACT_DOC)
    march, petition, wait = out["options"]
    assert (march["expected_net"], march["worst_off"], march["worst_off_net"]) == \
        (1.0, ["neighborhood"], -1.0)
    assert march["largest_downside"] == ["neighborhood"]
    assert march["largest_upside"] == ["our members"]
    assert (petition["expected_net"], petition["worst_off"]) == (1.0, ["neighborhood"])
    assert wait["dominated_by"] == ["petition"] and out["dominated"] == ["wait"]
    assert out["impacts"]["constituencies"] == ["our members", "neighborhood"]
    assert out["impacts"]["expected_net"] == [[2.0, -1.0], [1.0, 0.0], [0.5, 0.0]]
    assert out["winner"] == "march"


def test_the_text_output_shows_trade_offs_and_the_vote(tmp_path):
    result, _ = run(tmp_path, IMPACT_DOC)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "March on the county board, or petition?"
    assert lines[2].split() == ["option", "expected", "net", "fair", "score", "worst-off",
                                "bears", "most", "downside", "dominated", "by"]
    assert lines[3].startswith("march ") and "neighborhood (-1.00)" in lines[3]
    assert lines[5].split()[0] == "wait" and lines[5].split()[-1] == "petition"
    assert "dominated: wait" in lines
    assert "rule: approval; combined: both" in lines
    assert "members: winner march [2 ballots; approvals: march 2, petition 1, wait 0]" in lines
    assert "leaders: no ballots [0 ballots]" in lines
    assert lines[-1] == "winner: march"


@pytest.mark.parametrize("document, place, message", [
    ({"options": ["A", "B", "C"], "rule": "instant-runoff", "ballots": [
        {"role": "member", "ranking": ["A"]}, {"role": "member", "ranking": ["B"]},
        {"role": "member", "ranking": ["C"]}, {"role": "member", "ranking": ["A", "D"]}]},
     "ballots[3].ranking", "unknown option 'D'"),
    ({"options": ["A", "B"], "rule": "instant-runoff",
      "ballots": [{"role": "member", "ranking": ["A", "B", "A"]}]},
     "ballots[0].ranking", "more than once"),
    ({"options": ["A"], "rule": "majority", "impacts": [
        {"option": "A", "constituency": "x", "downside": {"size": 1, "likelihood": 1.5}}]},
     "impacts[0].downside.likelihood", "between 0 and 1"),
    ({"options": ["A", "B"], "rule": "majority", "ballots": [
        {"voter": "ana", "choice": "A"}, {"voter": "ana", "choice": "B"}]},
     "ballots[1].voter", "counted once"),
    ({"options": ["A"], "rule": "plurality"}, None, "rule must be one of"),
])
def test_bad_input_exits_1_with_one_line_naming_the_place(tmp_path, document, place, message):
    result, path = run(tmp_path, document)
    assert result.exit_code == 1
    assert result.stdout == ""
    line = result.stderr.strip()
    assert line.startswith(f"error: {path}") and "\n" not in line
    if place:
        assert f"field '{place}'" in line
    assert message in line


def test_a_file_that_is_not_json_names_its_line(tmp_path):
    result, path = run(tmp_path, '{"options": ["A"],\n "rule": }')
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}, row 2: not valid JSON")


def test_a_missing_file_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["decide", str(tmp_path / "nope.json")])
    assert result.exit_code == 1 and "cannot read the file" in result.stderr
