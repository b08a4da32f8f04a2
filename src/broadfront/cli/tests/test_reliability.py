"""``broadfront reliability`` and ``broadfront turnout`` print exact scorecards and forecasts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from broadfront.analysis.reliability import commitment_reliability, forecast_turnout
from broadfront.analysis.reliability.files import read_ledger_csv
from broadfront.cli.main import app

EXAMPLES = Path(__file__).resolve().parents[4] / "docs" / "examples"
LEDGER = EXAMPLES / "reliability_ledger.csv"
ATTENDANCE = EXAMPLES / "attendance.csv"
runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def small_ledger(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text(
        "partner,unit,promised,delivered,due,delivered_on\n"
        "Faith,doors,100,100,2024-05-01,2024-04-30\n"
        "Faith,doors,100,100,2024-05-01,2024-05-03\n"
        "Union,doors,50,0,2024-05-01,\n"
        "Union,doors,50,20,2024-07-01,2024-05-20\n",
        encoding="utf-8",
    )
    return path


def test_reliability_prints_one_plain_scorecard_per_partner_and_unit(small_ledger):
    # By hand: 1 kept of 3 scored shows no spread beyond chance, so the kept prior is capped at
    # 3 trials around 1/3, Beta(1, 2): Faith (1 + 1) / (3 + 2) = 40%, interval the 5% and 95%
    # quantiles of Beta(2, 3) = 0.098 and 0.751; Union (1 + 0) / (3 + 1) = 25%. The fulfilments
    # (1, 1) and (0) spread widely, so the ratio prior sits at its Jeffreys floor Beta(1/2, 1/2):
    # Faith (0.5 + 2) / (1 + 2) = 83%, Union 0.5 / 2 = 25%.
    result = _run("reliability", str(small_ledger), "--as-of", "2024-06-01")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Commitments as of 2024-06-01 (90% intervals):\n"
        "Faith, doors: kept 1 of 2 scored commitments (1 late, 0 partly kept, 0 broken)\n"
        "  kept rate 40% (10-75%); delivers about 83% of what it promises (43-100%)\n"
        "  note: only 2 commitments scored: the estimate leans on the coalition-wide record\n"
        "Union, doors: kept 0 of 1 scored commitments (0 late, 0 partly kept, 1 broken; "
        "1 still open)\n"
        "  kept rate 25% (2-63%); delivers about 25% of what it promises (0-77%)\n"
        "  note: only 1 commitment scored: the estimate leans on the coalition-wide record\n"
    )


def test_reliability_json_lists_partners_with_the_documented_keys(small_ledger):
    result = _run("reliability", str(small_ledger), "--as-of", "2024-06-01", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    rows = {(p["partner"], p["unit"]): p for p in payload["partners"]}
    faith = rows[("Faith", "doors")]
    for key in ("partner", "unit", "commitments", "kept_rate", "kept_low", "kept_high",
                "delivered_ratio"):
        assert key in faith
    assert (faith["commitments"], faith["kept"], faith["kept_late"]) == (2, 1, 1)
    union = rows[("Union", "doors")]
    assert (union["commitments"], union["open"], union["broken"]) == (1, 1, 1)
    prior = payload["kept_prior"]
    alpha = prior["mean"] * prior["concentration"]
    assert faith["kept_rate"] == pytest.approx((alpha + 1) / (prior["concentration"] + 2))
    assert faith["kept_low"] < faith["kept_rate"] < faith["kept_high"]


def test_the_documented_example_ledger_matches_the_engine():
    result = _run("reliability", str(LEDGER), "--as-of", "2024-06-15", "--json")
    assert result.exit_code == 0, result.output
    table = read_ledger_csv(LEDGER)
    engine = commitment_reliability(table.partner, table.unit, table.promised,
                                    table.delivered, table.due, table.delivered_on,
                                    as_of="2024-06-15")
    got = json.loads(result.output)["partners"]
    assert [(p["partner"], p["unit"], p["kept"], p["commitments"]) for p in got] == [
        (c.partner, c.unit, c.kept, c.commitments) for c in engine.scorecards]
    assert len(got) == 9


def test_turnout_prints_group_rates_and_a_forecast_of_the_coming_event():
    result = _run("turnout", str(ATTENDANCE), "--half-life", "60")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Show-up rates of RSVPs as of 2024-05-18 (90% intervals, half-life 60 days); "
        "coalition-wide 67%:\n"
        "Faith in Action: 68% (52-82%); 5 of 6 RSVPs came\n"
        "  note: only 6 RSVPs: the estimate leans on the coalition-wide rate\n"
        "Northside Tenants: 69% (54-83%); 6 of 8 RSVPs came\n"
        "  note: only 8 RSVPs: the estimate leans on the coalition-wide rate\n"
        "Renters Union: 62% (46-77%); 3 of 7 RSVPs came\n"
        "  note: only 7 RSVPs: the estimate leans on the coalition-wide rate\n"
        "Walk-ins (attended without an accepted RSVP, not in the rates): 1\n"
        "Forecast of coming events (people who RSVP'd and will show up):\n"
        "caucus-0611 (2024-06-11): 9 RSVPs; expect 6.0 (P10 4, P50 6, P90 8)\n"
    )


def test_turnout_json_gives_aggregates_only_and_a_consistent_forecast():
    result = _run("turnout", str(ATTENDANCE), "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert [g["group"] for g in payload["groups"]] == [
        "Faith in Action", "Northside Tenants", "Renters Union"]
    assert "ana" not in result.output  # no person's name or record is printed
    (forecast,) = payload["forecasts"]
    assert forecast["event"] == "caucus-0611" and forecast["rsvps"] == 9
    assert forecast["p10"] <= forecast["p50"] <= forecast["p90"] <= 9
    with_nine = forecast_turnout([forecast["expected"] / 9] * 9)
    assert abs(with_nine.p50 - forecast["p50"]) <= 1


@pytest.mark.parametrize(("body", "message"), [
    ("partner,unit,promised,delivered,due\n", "row 1, field 'delivered_on': missing column"),
    ("partner,unit,promised,delivered,due,delivered_on\nA,doors,x,1,2024-01-01,2024-01-01\n",
     "row 2, field 'promised': promised must be a non-negative number, got 'x'"),
    ("partner,unit,promised,delivered,due,delivered_on\nA,doors,1,1,2024-01-32,2024-01-01\n",
     "row 2, field 'due': due must be an ISO date"),
])
def test_bad_ledger_files_exit_one_naming_file_row_and_field(tmp_path, body, message):
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    result = _run("reliability", str(path), "--as-of", "2024-06-01")
    assert result.exit_code == 1
    assert f"error: {path}, {message}" in result.output


def test_a_missing_attendance_file_exits_one(tmp_path):
    result = _run("turnout", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert "error:" in result.output and "nope.csv" in result.output
