"""CSV exports neutralize formula cells (OWASP's rule) and read back unchanged."""

from __future__ import annotations

from decimal import Decimal

import pytest

from broadfront.formats.csvfiles import iter_rows, neutralize, write_csv


@pytest.mark.parametrize("cell", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
                                  "\tx", "\rx", '=HYPERLINK("http://x.example","y")'])
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_quote(cell):
    assert neutralize(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Ana", "", "-3", "+16125550100", "-0.25", "a=b", "'quoted"])
def test_text_and_plain_numbers_are_left_alone(cell):
    assert neutralize(cell) == cell


def test_numbers_stay_numbers_and_text_is_guarded(tmp_path):
    out = tmp_path / "out.csv"
    write_csv([{"n": -3, "d": Decimal("-1.5"), "name": "=1+1", "ids": ["-x:1", "y:2"]}], out,
              ["n", "d", "name", "ids"])
    assert out.read_text().splitlines()[1] == "-3,-1.5,'=1+1,'-x:1|y:2"


def test_the_reader_removes_the_guard_so_an_export_imports_back_unchanged(tmp_path):
    out = tmp_path / "out.csv"
    values = ["=1+1", "-Smith", "@home", "'plain quote", "-3"]
    write_csv([{"v": v} for v in values], out, ["v"])
    assert [row["v"] for _, row in iter_rows(str(out))] == values
