"""Credit for wins follows its documented rule; CSV readers name file, row and field."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadfront.analysis.reliability import credit_for_win
from broadfront.analysis.reliability.files import read_attendance_csv, read_ledger_csv
from broadfront.exceptions import InputFileError, ValidationError


def test_credit_averages_unit_shares_and_lists_the_evidence():
    r = credit_for_win(["Faith", "Union", "Union"], [100, 100, 5000],
                       ["verified", "verified", "disputed"], units=["doors", "doors", "dollars"],
                       evidence=["sign-in sheets", "VAN export", "bank statement"])
    faith, union = sorted(r.shares, key=lambda s: s.partner)
    # doors split 50/50; the dollars are disputed (weight 0) so that unit does not count
    assert faith.share == pytest.approx(0.5) and union.share == pytest.approx(0.5)
    assert union.share_high == pytest.approx(0.75)  # if the dollars were verified
    assert union.evidence == ("verified doors 100: VAN export",
                              "disputed dollars 5000: bank statement")
    assert r.unit_weights == (("doors", 1.0),)


def test_credit_rejects_unknown_statuses_and_heavier_pending_weights():
    with pytest.raises(ValidationError):
        credit_for_win(["A"], [1], ["rumoured"])
    with pytest.raises(ValidationError):
        credit_for_win(["A"], [1], ["claimed"], weights={"claimed": 1.0, "verified": 0.5})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABCD"), st.sampled_from(["doors", "dollars", "votes"]),
                          st.integers(0, 100), st.sampled_from(["verified", "claimed",
                                                                "disputed"])),
                min_size=1, max_size=25))
def test_shares_add_up_to_one_and_sit_inside_their_settlement_range(rows):
    r = credit_for_win([x[0] for x in rows], [x[2] for x in rows], [x[3] for x in rows],
                       units=[x[1] for x in rows])
    total = sum(s.share for s in r.shares)
    assert total == pytest.approx(1.0) or total == 0.0
    for s in r.shares:
        assert s.share_low - 1e-12 <= s.share <= s.share_high + 1e-12
        if s.claimed == s.disputed == 0:
            others_pending = any(x[3] != "verified" and x[0] != s.partner for x in rows)
            if not others_pending:
                assert s.share_low == pytest.approx(s.share_high)


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("body", "row", "field"), [
    ("partner,unit,promised,delivered,due\nA,doors,1,1,2024-01-01\n", 1, "delivered_on"),
    ("partner,unit,promised,delivered,due,delivered_on\nA,doors,ten,1,2024-01-01,2024-01-01\n",
     2, "promised"),
    ("partner,unit,promised,delivered,due,delivered_on\nA,doors,1,1,2024-01-01,2024-01-01\n"
     "B,doors,1,1,2024-02-30,2024-01-01\n", 3, "due"),
    ("partner,unit,promised,delivered,due,delivered_on\nA,doors,5,1,2024-01-01,\n", 2,
     "delivered_on"),
])
def test_ledger_errors_name_the_file_row_and_field(tmp_path, body, row, field):
    path = _write(tmp_path, "ledger.csv", body)
    with pytest.raises(InputFileError) as err:
        read_ledger_csv(path)
    assert err.value.row == row and err.value.field == field
    assert str(path) in str(err.value)


def test_attendance_statuses_follow_osdi_and_blank_attended_means_not_yet_known(tmp_path):
    path = _write(tmp_path, "a.csv", "person,group,event,event_date,status,attended\n"
                  "ana,N,e1,2024-01-01,Needs Action,yes\nben,N,e2,2024-02-01,accepted,\n")
    table = read_attendance_csv(path)
    assert table.status.tolist() == ["needs_action", "accepted"]
    assert table.attended[0] == 1.0 and np.isnan(table.attended[1])
    bad = _write(tmp_path, "b.csv", "person,group,event,event_date,status,attended\n"
                 "ana,N,e1,2024-01-01,maybe,yes\n")
    with pytest.raises(InputFileError) as err:
        read_attendance_csv(bad)
    assert (err.value.row, err.value.field) == (2, "status")
