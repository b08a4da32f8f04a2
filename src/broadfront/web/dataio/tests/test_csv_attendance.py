"""The lean attendance CSV reader reads exactly what the row-by-row dict reader reads.

``read_csv(path, "attendance")`` takes values from each row's list by column position and
accepts common values inline; :func:`broadfront.formats.csvfiles._attendance` over
:func:`~broadfront.formats.csvfiles.iter_rows` is the reference (one dict per row, every
value through the shared parsers). Both must give equal records from the same rows and, on a
bad row, the same error: message, file, row and field.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadfront.exceptions import InputFileError
from broadfront.formats import csvfiles
from broadfront.formats.records import AttendanceRecord

COLUMNS = ("event", "person_identifiers", "person_email", "person_phone", "status",
           "attended", "invited_by")
VALUES = {
    "event": ["van-event:1", " van-event:2 ", "", "   ", "x" * 201, "e:" + "y" * 199],
    "person_identifiers": ["van:1", " van:2", "a:1|b:2", "a:1| |", "nocolon", ":", "", " ",
                           "a:" + "z" * 199],
    "person_email": ["", "Ana@X.org", " ben@x.org ", "not-an-email", "a b@x.org"],
    "person_phone": ["", "(612) 555-0100", "+1 612", "no digits"],
    "status": ["", "accepted", " declined ", "needs action", "tentative", "maybe", "Accepted"],
    "attended": ["", "true", "false", "TRUE", "True", " yes ", "no show", "0", "1", "perhaps"],
    "invited_by": ["", "ana@x.org", " van:9 ", "bad", "x@"],
}


def _reference(path: Path) -> Iterator[AttendanceRecord]:
    """The dict-per-row reading: what read_csv gave before the lean path."""
    rows = csvfiles.iter_rows(str(path), required=("event",),
                              known=[c.name for c in csvfiles.TEMPLATES["attendance"]],
                              strict=True)
    return (csvfiles._attendance(row, source) for source, row in rows)


def _outcome(records: Iterator[AttendanceRecord]) -> tuple[list[object], object]:
    """The records read (with their rows) up to the first error, and that error."""
    read: list[object] = []
    try:
        for record in records:
            read.append((record, record.source))
    except InputFileError as exc:
        return read, (str(exc), exc.file, exc.row, exc.field)
    return read, None


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@st.composite
def files(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    extra = draw(st.lists(st.sampled_from(COLUMNS[1:]), unique=True))
    header = ["event", *extra]
    header = draw(st.permutations(header))
    rows = draw(st.lists(st.tuples(*(st.sampled_from(VALUES[c]) for c in header)),
                         min_size=1, max_size=6))
    return list(header), [list(r) for r in rows]


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files())
def test_the_lean_reader_gives_the_reference_records_or_the_same_error(tmp_path, spec):
    header, rows = spec
    path = tmp_path / "att.csv"
    _write(path, header, rows)
    assert _outcome(csvfiles.read_csv(path, "attendance")) == _outcome(_reference(path))


def test_a_bad_status_names_the_file_the_row_and_the_column(tmp_path):
    path = tmp_path / "att.csv"
    _write(path, ["event", "person_email", "status"],
           [["van-event:1", "ana@x.org", "accepted"], ["van-event:1", "ben@x.org", " maybe "]])
    with pytest.raises(InputFileError) as caught:
        list(csvfiles.read_csv(path, "attendance"))
    assert (caught.value.file, caught.value.row, caught.value.field) == (str(path), 3, "status")
    assert "expected one of accepted, tentative, declined, needs action, got 'maybe'" in str(
        caught.value)


def test_common_values_are_read_as_the_parsers_read_them(tmp_path):
    path = tmp_path / "att.csv"
    _write(path, ["event", "person_identifiers", "status", "attended"],
           [["action_network:e1", "action_network:p1", "accepted", "true"],
            ["action_network:e1", "action_network:p2", "declined", "false"],
            ["action_network:e1", "action_network:p3", "", ""]])
    records = list(csvfiles.read_csv(path, "attendance"))
    assert [(r.event, r.person.identifiers, r.status, r.attended, r.source.row)
            for r in records] == [
        ("action_network:e1", ("action_network:p1",), "accepted", True, 2),
        ("action_network:e1", ("action_network:p2",), "declined", False, 3),
        ("action_network:e1", ("action_network:p3",), "accepted", None, 4)]
