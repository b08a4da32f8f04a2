"""Fuzzing the analysis commands' input files: every input gives a result or one clean error.

Hypothesis writes JSON and CSV files (random structures, documents shaped like the real ones
with wrong types, huge and non-finite numbers, deep nesting, empty files, bad UTF-8) and runs
``power``, ``caucus``, ``simulate``, ``decide``, ``align``, ``paths``, ``reliability`` and
``turnout`` in-process. Each run must exit 0, or exit 1 printing exactly one line
``error: ...``: never a traceback, never exit status 2 or more, within the deadline.
The seed is fixed (``derandomize=True``) so a failure reproduces.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from broadfront.cli.main import app

runner = CliRunner()

FUZZ = settings(
    derandomize=True,
    max_examples=25,
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

# ------------------------------------------------------------------------- building blocks

names = st.sampled_from(["A", "B", "C", "us", "them", "b1", "", "x" * 300, "é", "A\nB", "1"])
numbers = st.one_of(
    st.integers(min_value=-5, max_value=20),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 1, 0.5, -1, 10**12, 1e308, 2**63, 10**400]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, names, st.text(max_size=8))
anything = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(names, st.text(max_size=5)), inner, max_size=4)
    ),
    max_leaves=12,
)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly the plausible value, sometimes anything at all."""
    return st.one_of(strategy, strategy, anything)


def shaped(required: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """An object with these keys (each sometimes missing or of the wrong type)."""
    return st.fixed_dictionaries({}, optional={k: maybe(v) for k, v in required.items()})


RAW_TEXTS = st.sampled_from([
    "",
    " ",
    "[" * 5000 + "]" * 5000,
    '{"a":' * 3000 + "1" + "}" * 3000,
    "[" * 100_000,
    '{"weights": [1, 2], "quota": NaN}',
    '{"weights": [Infinity], "quota": 1}',
    '{"weights": [1e999, 2], "quota": 1}',
    '{"weights": [' + "9" * 5000 + "], \"quota\": 1}",
    "null",
    '"text"',
    "{,}",
    "\ufeff{}",
])

BAD_BYTES = st.sampled_from([b"\xff\xfe\x00", b"{\"a\": \"\xc3\x28\"}", b"\x00\x00", b"a,b\n\xff,1\n"])


def json_file(shape: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    """File contents: a shaped document, any JSON value, a raw nasty text or bad bytes."""
    return st.one_of(
        shape.map(lambda v: json.dumps(v).encode()),
        shape.map(lambda v: json.dumps(v).encode()),
        anything.map(lambda v: json.dumps(v).encode()),
        RAW_TEXTS.map(str.encode),
        BAD_BYTES,
    )


cells = st.one_of(st.sampled_from(["", "1", "0", "2", "x", " 1", "1.0", "-1", "2026-01-01",
                                   "accepted", "declined", "yes", "NaN", "inf", "1e400", '"',
                                   "9" * 400]), st.text(max_size=6))


def csv_file(header: list[str]) -> st.SearchStrategy[bytes]:
    """CSV contents: the expected header (or a mangled one), then rows of odd cells."""
    headers = st.one_of(st.just(header), st.just(header), st.lists(cells, max_size=4))
    rows = st.lists(st.lists(cells, min_size=0, max_size=len(header) + 1), max_size=6)

    def render(parts: tuple[list[str], list[list[str]]]) -> bytes:
        head, body = parts
        lines = [",".join(head)] + [",".join(r) for r in body]
        return "\n".join(lines).encode()

    return st.one_of(st.tuples(headers, rows).map(render), BAD_BYTES, st.just(b""),
                     st.just(b"a\x00b,c\n1,2\n"), st.just(("x" * 200_000 + "\n").encode()))


# ------------------------------------------------------------------------- documents

game = shaped({
    "weights": st.lists(numbers, max_size=6),
    "quota": numbers,
    "quota_fraction": numbers,
    "names": st.lists(names, max_size=6),
    "conditions": st.lists(shaped({"weights": st.lists(numbers, max_size=6), "quota": numbers}),
                           max_size=3),
})
member = shaped({"name": names, "weight": numbers, "p_with_us": numbers, "stance": numbers,
                 "bloc": names})
division = shaped({"name": names, "voters": numbers, "turnout": numbers,
                   "shares": st.dictionaries(names, numbers, max_size=3), "group": names})
shock = shaped({"kind": st.sampled_from(["bloc_shift", "member_shift", "member_defects",
                                         "capture", "turnout", "other"]),
                "bloc": names, "member": names, "steps": numbers, "probability": numbers,
                "fraction": numbers, "to": names, "from": names, "change": numbers,
                "divisions": st.lists(anything, max_size=2), "group": names})
scenario = st.one_of(
    shaped({"draws": numbers, "seed": numbers, "target": numbers,
            "body": shaped({"members": st.lists(member, max_size=5), "quota": numbers,
                            "rule": st.sampled_from(["majority", "supermajority", "quota", "x"]),
                            "blocs": st.dictionaries(names, numbers, max_size=2)}),
            "shocks": st.lists(shock, max_size=3)}),
    shaped({"race": shaped({"candidates": st.lists(names, max_size=4), "our_candidate": names,
                            "divisions": st.lists(division, max_size=4),
                            "rule": st.sampled_from(["plurality", "instant_runoff", "top_two"]),
                            "transfers": anything}),
            "shocks": st.lists(shock, max_size=3)}),
)
ballot = shaped({"role": st.sampled_from(["member", "leader", "boss"]), "voter": names,
                 "ranking": st.lists(names, max_size=4), "approve": st.lists(names, max_size=3),
                 "choice": names, "scores": st.dictionaries(names, numbers, max_size=3),
                 "position": st.sampled_from(["agree", "object", "block", "maybe"]),
                 "option": names})
decision = shaped({
    "options": st.lists(names, max_size=5),
    "rule": st.sampled_from(["consent", "majority", "supermajority", "approval", "score",
                             "instant-runoff", "condorcet", "dictator"]),
    "ballots": st.lists(ballot, max_size=6),
    "threshold": numbers, "quorum": anything, "role_weights": anything, "score_range": anything,
    "combine": st.sampled_from(["both", "weighted", "pooled", "x"]),
    "impacts": st.lists(anything, max_size=3), "constituencies": st.lists(names, max_size=3),
    "weights": anything, "inequality_aversion": numbers, "scale": numbers,
})
power_map = shaped({
    "actors": st.lists(shaped({"id": names, "kind": names, "name": names}), max_size=5),
    "relationships": st.lists(shaped({"source": names, "target": names, "type": names,
                                      "start": cells, "end": cells, "strength": numbers}),
                              max_size=5),
})

# ------------------------------------------------------------------------- the check


def run_clean(args: list[str], content: bytes, suffix: str) -> None:
    """Run the command on a file holding ``content``: a result, or exit 1 with one error line."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "input" + suffix)
        path.write_bytes(content)
        result = runner.invoke(app, [a.replace("{file}", str(path)) for a in args])
    if result.exit_code == 0:
        return
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output


COMMANDS = {
    "power": (["power", "{file}", "--samples", "500", "--seed", "1", "--index", "coleman"],
              json_file(game), ".json"),
    "simulate": (["simulate", "{file}", "--draws", "300", "--seed", "1"],
                 json_file(scenario), ".json"),
    "decide": (["decide", "{file}", "--json"], json_file(decision), ".json"),
    "paths": (["paths", "{file}", "--from", "A", "--to", "B", "--k", "2"],
              json_file(power_map), ".json"),
    "align": (["align", "{file}", "--lop", "0"], csv_file(["member", "v1", "v2", "v3"]), ".csv"),
    "reliability": (["reliability", "{file}", "--as-of", "2026-06-01"],
                    csv_file(["partner", "unit", "promised", "delivered", "due",
                              "delivered_on"]), ".csv"),
    "turnout": (["turnout", "{file}"],
                csv_file(["person", "group", "event", "event_date", "status", "attended"]),
                ".csv"),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_generated_input_file_gives_a_result_or_one_clean_error(command: str) -> None:
    args, contents, suffix = COMMANDS[command]

    @FUZZ
    @given(contents)
    def check(content: bytes) -> None:
        run_clean(args, content, suffix)

    check()


caucus_numbers = st.one_of(st.integers(min_value=-3, max_value=50),
                           st.sampled_from([10**6, 10**7, 10**12, 10**30, 2**63]))
pair = st.tuples(st.sampled_from(["a", "b", "c", "", "a"]), st.one_of(
    caucus_numbers.map(str), st.sampled_from(["x", "1/0", "1e400", "nan", "0.5", "-0"])))


@FUZZ
@given(
    command=st.sampled_from(["allocate", "apportion", "endorse"]),
    number=caucus_numbers,
    other=caucus_numbers,
    pairs=st.lists(pair, min_size=1, max_size=4),
    rule=st.sampled_from(["dfl", "iowa", "fair-reflection", "huntington-hill", "hamilton",
                          "per-votes", "x"]),
)
def test_caucus_options_give_a_result_or_one_clean_error(command, number, other, pairs, rule):
    if command == "allocate":
        args = ["caucus", "allocate", "--rule", rule, "--delegates", str(number),
                "--attendees", str(other)]
        args += [x for n, v in pairs for x in ("--group", f"{n}={v}")]
    elif command == "apportion":
        args = ["caucus", "apportion", "--method", rule, "--seats", str(number)]
        args += [x for n, v in pairs for x in ("--weight", f"{n}={v}")]
    else:
        args = ["caucus", "endorse", "--votes-cast", str(number), "--bloc", str(other)]
    run_clean(args, b"", ".txt")


# ------------------------------------------------------------------------- the reproductions


def test_absurd_sizes_are_refused_by_name_before_any_work(tmp_path: Path) -> None:
    game_file = tmp_path / "game.json"
    game_file.write_text('{"weights": [3, 2, 2], "quota": 4}')
    result = runner.invoke(app, ["power", str(game_file), "--samples", str(10**12)])
    assert result.exit_code == 1
    assert result.output == "error: --samples must be between 1 and 10,000,000, got 1000000000000\n"
    votes = tmp_path / "votes.csv"
    votes.write_text("member,v1,v2\nA,1,0\nB,0,1\nC,1,1\nD,0,0\n")
    result = runner.invoke(app, ["align", str(votes), "--boot", str(10**9)])
    assert result.exit_code == 1
    assert result.output == "error: --boot must be between 0 and 1,000, got 1000000000\n"


def test_a_scenario_with_a_million_members_is_refused_before_simulating(tmp_path: Path) -> None:
    members = [{"name": f"m{i}", "p_with_us": 0.5} for i in range(1_000_000)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"body": {"members": members}}))
    result = runner.invoke(app, ["simulate", str(path)])
    assert result.exit_code == 1
    assert result.output == (
        f"error: {path}, field 'body.members': must list at most 100,000 entries, "
        "got 1,000,000\n")
    path.write_text(json.dumps({"body": {"members": members[:20_000]}}))
    result = runner.invoke(app, ["simulate", str(path)])
    assert result.exit_code == 1
    assert result.output == ("error: the number of members must be between 1 and 10,000, got "
                             "20000 (up to 100,000 with --no-limits)\n")


def test_a_decision_with_a_hundred_thousand_options_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "decision.json"
    path.write_text(json.dumps({"options": [f"o{i}" for i in range(100_000)], "rule": "majority"}))
    result = runner.invoke(app, ["decide", str(path)])
    assert result.exit_code == 1
    assert result.output == (f"error: {path}, field 'options': the number of options must be "
                             "between 1 and 100, got 100000\n")


def test_no_limits_lifts_a_soft_limit_but_not_the_hard_one(tmp_path: Path) -> None:
    game_file = tmp_path / "game.json"
    game_file.write_text('{"weights": [3, 2, 2], "quota": 4}')
    args = ["power", str(game_file), "--method", "sample", "--samples", "20000000", "--json"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1
    assert "(up to 1,000,000,000 with --no-limits)" in refused.output
    lifted = runner.invoke(app, [*args, "--no-limits", "--seed", "1"])
    assert lifted.exit_code == 0, lifted.output
    assert json.loads(lifted.output)["samples"] == 20_000_000
    hard = runner.invoke(app, ["power", str(game_file), "--samples", str(10**10), "--no-limits"])
    assert hard.output == "error: --samples must be between 1 and 1,000,000,000, got 10000000000\n"


def test_deep_json_and_big_files_are_refused_before_parsing(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    result = runner.invoke(app, ["power", str(deep)])
    assert result.exit_code == 1
    assert result.output == f"error: {deep}: JSON nested 100000 levels deep; at most 64 are allowed\n"
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(65 * 2**20)  # sparse: no disk used
    result = runner.invoke(app, ["decide", str(big)])
    assert result.output == (f"error: {big}: the file is 65.0 MiB; files must be at most 64 MiB "
                             "(up to 1,024 MiB with --no-limits)\n")
