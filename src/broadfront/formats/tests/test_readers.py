"""The pure readers: round trips, malformed input with named errors, fuzzing, a live server."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadfront.exceptions import InputFileError
from broadfront.formats import csvfiles, osdi, popolo
from broadfront.formats.matching import PersonIndex, merge_person
from broadfront.formats.records import PersonRecord, PersonRef

EXAMPLES = Path(__file__).resolve().parents[4] / "docs" / "examples" / "data"


def test_osdi_pages_are_followed_across_files_in_the_folder():
    people = list(osdi.read_osdi_files(EXAMPLES / "osdi" / "people-1.json", "people"))
    assert [p.given_name for p in people] == ["Rosa", "Tom", "Aisha"]
    assert people[0].phone == "6125550101" and people[0].postal_code == "55407"


def test_an_osdi_next_link_to_a_missing_page_is_named(tmp_path):
    page = {"_links": {"next": {"href": "people-9.json"}}, "_embedded": {"osdi:people": []}}
    (tmp_path / "people-1.json").write_text(json.dumps(page))
    with pytest.raises(InputFileError) as info:
        list(osdi.read_osdi_files(tmp_path, "people"))
    assert info.value.row == "/_links/next/href"


def test_an_osdi_pagination_loop_is_refused(tmp_path):
    page = {"_links": {"next": {"href": "people-1.json"}}, "_embedded": {"osdi:people": []}}
    (tmp_path / "people-1.json").write_text(json.dumps(page))
    with pytest.raises(InputFileError, match="loops back"):
        list(osdi.read_osdi_files(tmp_path, "people"))


@pytest.mark.parametrize(("resource", "pointer", "field"), [
    ({"given_name": 5}, "/_embedded/osdi:people/0", "given_name"),
    ({"given_name": "A", "email_addresses": "a@b.org"}, "/_embedded/osdi:people/0",
     "email_addresses"),
    ({"identifiers": ["no-colon"], "given_name": "A"}, "/_embedded/osdi:people/0",
     "identifiers"),
    ({}, "/_embedded/osdi:people/0", "given_name"),
])
def test_wrong_types_and_missing_keys_name_the_json_pointer(tmp_path, resource, pointer, field):
    (tmp_path / "people-1.json").write_text(json.dumps({"_embedded": {"osdi:people": [resource]}}))
    with pytest.raises(InputFileError) as info:
        list(osdi.read_osdi_files(tmp_path, "people"))
    assert (info.value.row, info.value.field) == (pointer, field)


def test_a_truncated_json_page_names_line_and_column(tmp_path):
    text = (EXAMPLES / "osdi" / "people-2.json").read_text()
    (tmp_path / "people-1.json").write_text(text[: len(text) // 2])
    with pytest.raises(InputFileError, match="is not valid JSON") as info:
        list(osdi.read_osdi_files(tmp_path, "people"))
    assert str(info.value.row).startswith("line ")


def test_a_utf16_file_is_refused_as_not_utf8(tmp_path):
    (tmp_path / "p.csv").write_bytes("given_name\nAna\n".encode("utf-16"))
    with pytest.raises(InputFileError, match="not UTF-8"):
        list(csvfiles.read_csv(tmp_path / "p.csv", "people"))


def test_a_misspelled_template_column_is_named(tmp_path):
    (tmp_path / "p.csv").write_text("given_name,emial\nAna,a@b.org\n")
    with pytest.raises(InputFileError) as info:
        list(csvfiles.read_csv(tmp_path / "p.csv", "people"))
    assert (info.value.row, info.value.field) == (1, "emial")


def test_a_bad_date_in_a_template_is_named(tmp_path):
    (tmp_path / "d.csv").write_text("commitment,quantity,delivered_on\nk,3,2026-13-01\n")
    with pytest.raises(InputFileError) as info:
        list(csvfiles.read_csv(tmp_path / "d.csv", "deliveries"))
    assert (info.value.row, info.value.field) == (2, "delivered_on")


# --- postal codes -----------------------------------------------------------------------------

def _osdi_person(tmp_path, **fields):
    resource = {"given_name": "Ana", **fields}
    (tmp_path / "people-1.json").write_text(json.dumps({"_embedded": {"osdi:people": [resource]}}))
    return list(osdi.read_osdi_files(tmp_path, "people"))


def test_osdi_takes_the_postal_code_of_the_primary_address(tmp_path):
    people = _osdi_person(tmp_path, postal_addresses=[
        {"postal_code": "55401", "primary": False}, {"postal_code": "55407", "primary": True}])
    assert people[0].postal_code == "55407"


def test_osdi_takes_the_first_address_when_none_is_primary_and_normalizes_it(tmp_path):
    people = _osdi_person(tmp_path, postal_addresses=[
        {"postal_code": " sw1a   1aa "}, {"postal_code": "55407"}])
    assert people[0].postal_code == "SW1A 1AA"


@pytest.mark.parametrize("bad", ["55407;DROP", "1" * 21, 55407])
def test_a_bad_osdi_postal_code_names_the_pointer_and_field(tmp_path, bad):
    with pytest.raises(InputFileError) as info:
        _osdi_person(tmp_path, postal_addresses=[{"postal_code": bad, "primary": True}])
    assert (info.value.row, info.value.field) == ("/_embedded/osdi:people/0", "postal_addresses")


def test_osdi_export_writes_the_postal_code_back(tmp_path):
    record = PersonRecord("Ana", email="ana@example.org", postal_code="SW1A 1AA")
    assert osdi.osdi_resource(record)["postal_addresses"] == [
        {"postal_code": "SW1A 1AA", "primary": True}]
    osdi.write_osdi_files([record], tmp_path, "people")
    assert list(osdi.read_osdi_files(tmp_path, "people")) == [record]


def test_csv_postal_codes_are_normalized(tmp_path):
    (tmp_path / "p.csv").write_text("given_name,postal_code\nAna, k1a  0b1 \nBen,\n")
    people = list(csvfiles.read_csv(tmp_path / "p.csv", "people"))
    assert [p.postal_code for p in people] == ["K1A 0B1", ""]


@pytest.mark.parametrize(("kind", "header", "column"), [
    ("people", "given_name,postal_code", "postal_code"),
    ("action_network", "first_name,email,zip_code", "zip_code"),
])
def test_a_bad_csv_postal_code_names_the_row_and_the_column(tmp_path, kind, header, column):
    good = "Ana,55407" if kind == "people" else "Ana,ana@example.org,55407"
    bad = "Ben,55407#2" if kind == "people" else "Ben,ben@example.org,55407#2"
    (tmp_path / "p.csv").write_text(f"{header}\n{good}\n{bad}\n")
    with pytest.raises(InputFileError) as info:
        list(csvfiles.read_csv(tmp_path / "p.csv", kind))
    assert (info.value.row, info.value.field) == (3, column)
    assert str(info.value) == (f"{tmp_path / 'p.csv'}, row 3, field '{column}': may hold only "
                               f"letters, digits, spaces and hyphens, got '55407#2'")


def test_a_too_long_csv_postal_code_is_named(tmp_path):
    (tmp_path / "p.csv").write_text("given_name,postal_code\nAna," + "9" * 21 + "\n")
    with pytest.raises(InputFileError, match="longer than 20") as info:
        list(csvfiles.read_csv(tmp_path / "p.csv", "people"))
    assert (info.value.row, info.value.field) == (2, "postal_code")


def test_mobilize_rows_carry_the_person_and_the_event():
    rows = list(csvfiles.read_csv(EXAMPLES / "mobilize_attendance.csv", "mobilize"))
    assert [r.status for r in rows] == ["accepted", "accepted", "declined"]
    assert [r.attended for r in rows] == [True, False, None]
    assert rows[0].event_record.starts_at == dt.datetime(
        2026, 2, 11, 0, 30, tzinfo=dt.UTC)
    assert rows[1].person_record.identifiers == ("mobilize:78",)


def test_every_template_example_reads():
    for kind in csvfiles.TEMPLATES:
        assert list(csvfiles.read_csv(EXAMPLES / f"{kind}.csv", kind)), kind


def test_popolo_example_round_trips_through_the_writer(tmp_path):
    doc = popolo.read_popolo(EXAMPLES / "popolo_council.json")
    assert [v.option for v in doc.vote_events[0].votes] == ["yes", "no", "yes"]
    assert doc.vote_events[0].counts == (("yes", 2), ("no", 1))
    assert popolo.read_popolo(popolo.write_popolo(doc, tmp_path / "c.json")) == doc


def test_popolo_references_to_unknown_people_are_named(tmp_path):
    doc = json.loads((EXAMPLES / "popolo_council.json").read_text())
    doc["vote_events"][0]["votes"][1]["voter_id"] = "ocd-person/ghost"
    (tmp_path / "c.json").write_text(json.dumps(doc))
    with pytest.raises(InputFileError) as info:
        popolo.read_popolo(tmp_path / "c.json")
    assert (info.value.row, info.value.field) == ("/vote_events/0/votes/1", "voter_id")


# --- round trips and fuzzing ------------------------------------------------------------------

names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(str.strip)
people = st.builds(
    PersonRecord,
    given_name=names.filter(bool),
    family_name=names,
    email=st.from_regex(r"[a-z0-9]{1,8}@[a-z]{1,8}\.org", fullmatch=True),
    phone=st.from_regex(r"(\+?[0-9]{1,12})?", fullmatch=True),
    postal_code=st.from_regex(r"([A-Z0-9]{1,5}([ -][A-Z0-9]{1,5})?)?", fullmatch=True),
    identifiers=st.lists(st.from_regex(r"[a-z]{1,6}:[a-z0-9-]{1,10}", fullmatch=True),
                         max_size=3, unique=True).map(tuple),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(people, max_size=12), st.integers(1, 5))
def test_people_survive_an_osdi_write_and_read(tmp_path_factory, records, per_page):
    folder = tmp_path_factory.mktemp("osdi")
    osdi.write_osdi_files(records, folder, "people", per_page=per_page)
    assert list(osdi.read_osdi_files(folder, "people")) == records


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(people, max_size=12))
def test_people_survive_a_csv_write_and_read(tmp_path_factory, records):
    path = tmp_path_factory.mktemp("csv") / "people.csv"
    csvfiles.write_csv((csvfiles.person_row(r) for r in records), path,
                       csvfiles.template_header("people"))
    assert list(csvfiles.read_csv(path, "people")) == records


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=10)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(osdi.EMBEDDED)), st.lists(
    st.dictionaries(st.sampled_from(["given_name", "title", "start_date", "status", "attended",
                                     "identifiers", "email_addresses", "_links", "person",
                                     "amount", "name", "end_date", "postal_addresses"]),
                    json_values, max_size=6),
    max_size=3))
def test_osdi_parsing_of_arbitrary_json_yields_records_or_a_named_error(kind, resources):
    page = {"_embedded": {osdi.EMBEDDED[kind]: resources}}
    try:
        list(osdi.parse_osdi_page(page, kind, "fuzz.json"))
    except InputFileError as exc:
        assert exc.file == "fuzz.json"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200), st.sampled_from(csvfiles.CSV_FORMATS))
def test_csv_reading_of_arbitrary_bytes_yields_records_or_a_named_error(tmp_path_factory, data,
                                                                          kind):
    path = tmp_path_factory.mktemp("fuzz") / "f.csv"
    path.write_bytes(data)
    try:
        list(csvfiles.read_csv(path, kind))
    except InputFileError as exc:
        assert exc.file == str(path)


@settings(max_examples=100, deadline=None)
@given(people, people)
def test_merging_is_idempotent(a, b):
    once = merge_person(a, b).record
    assert merge_person(once, b).changed is False


def test_identifiers_win_over_email_and_the_disagreement_is_reported():
    index = PersonIndex()
    index.add(1, ("van:1",), "a@example.org", "")
    index.add(2, ("van:2",), "b@example.org", "")
    match = index.find(PersonRef(("van:1",), "b@example.org"))
    assert (match.key, match.via) == (1, "identifier") and match.conflict


# --- a live OSDI endpoint (a local test server, never a real service) ----------------------

class _OSDIHandler(BaseHTTPRequestHandler):
    requests: list[tuple[str, str | None]] = []

    def do_GET(self) -> None:  # noqa: N802
        query = parse_qs(urlsplit(self.path).query)
        page, per_page = int(query["page"][0]), int(query["per_page"][0])
        type(self).requests.append((self.path, self.headers.get("OSDI-API-Token")))
        if self.headers.get("OSDI-API-Token") != "secret":
            self.send_response(401)
            self.end_headers()
            return
        everyone = [{"given_name": f"P{i}", "identifiers": [f"an:{i}"]} for i in range(5)]
        chunk = everyone[(page - 1) * per_page: page * per_page]
        body = {"total_pages": -(-len(everyone) // per_page), "page": page,
                "_embedded": {"osdi:people": chunk}}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/hal+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def osdi_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OSDIHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _OSDIHandler.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v2/people"
    server.shutdown()
    server.server_close()


def test_a_live_endpoint_is_read_page_by_page_with_the_token(osdi_server):
    people = list(osdi.read_osdi_endpoint(osdi_server, "secret", "people", per_page=2))
    assert [p.given_name for p in people] == ["P0", "P1", "P2", "P3", "P4"]
    assert len(_OSDIHandler.requests) == 3
    assert all(token == "secret" for _, token in _OSDIHandler.requests)


def test_a_refused_token_is_a_named_error(osdi_server):
    with pytest.raises(InputFileError, match="HTTP 401") as info:
        list(osdi.read_osdi_endpoint(osdi_server, "wrong", "people"))
    assert info.value.file.startswith(osdi_server)
