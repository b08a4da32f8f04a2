"""``broadfront align`` (ideal points from a roll-call CSV) and ``broadfront paths`` (power map).

Both are pure engine commands: no Django, no database.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from broadfront.cli._common import emit_json
from broadfront.cli._files import check_file, read_json
from broadfront.cli._options import NO_LIMITS_HELP, check_seed, options_named
from broadfront.exceptions import InputFileError, ValidationError

if TYPE_CHECKING:  # the engines (numpy, scipy, rustworkx) are imported when a command runs
    import numpy as np

    from broadfront.analysis.network import PowerMap


def register(app: typer.Typer) -> None:
    """Add ``align`` and ``paths`` to the root app."""
    app.command("align")(align)
    app.command("paths")(paths)


@options_named({"dims": "--dims", "lop": "--lop", "min_votes": "--min-votes", "n_boot": "--boot"})
def align(
    votes_csv: Path = typer.Argument(
        ..., metavar="VOTES.csv",
        help="Roll-call CSV: member, then one column per vote (1 yes, 0 no, blank missing).",
    ),
    anchor: str | None = typer.Option(None, "--anchor", help="Member placed on the positive side."),
    dims: int = typer.Option(1, "--dims", help="Dimensions: 1 or 2."),
    lop: float = typer.Option(0.025, "--lop", help="Drop votes whose minority share is below this."),
    min_votes: int = typer.Option(1, "--min-votes", help="Drop members who cast fewer votes."),
    boot: int = typer.Option(
        0, "--boot", help="Parametric bootstrap replicates for intervals (0 to 1,000)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    no_limits: bool = typer.Option(False, "--no-limits", help=NO_LIMITS_HELP),
) -> None:
    """Members' positions measured from their recorded votes.

    Ideal points by item response theory fitted with EM (Imai, Lo and Olmsted 2016), sorted
    from one end to the other, with the share of votes the positions classify correctly.
    Limits: 1,000 bootstrap replicates, 2,000,000 members x votes (docs/cli.md); the engine
    reports no progress, so --no-limits shows no progress bar.
    """
    import numpy as np

    from broadfront.analysis._validation import check_count
    from broadfront.analysis.spectrum import HARD_MAX_BOOT, MAX_BOOT, fit_ideal_points

    check_count(boot, "--boot", MAX_BOOT, minimum=0, hard=HARD_MAX_BOOT, lift_limits=no_limits)
    check_seed(seed)
    members, vote_ids, matrix = read_rollcall_csv(votes_csv, lift_limits=no_limits)
    fit = fit_ideal_points(
        matrix, members, vote_ids=vote_ids, dims=dims, anchor=anchor, lop=lop,
        min_votes=min_votes, n_boot=boot, rng=seed, lift_limits=no_limits,
    )
    if as_json:
        payload: dict[str, Any] = {
            "ideal_points": fit.ideal_points,
            "correct_classification": fit.correct_classification,
            "votes_used": fit.votes_used,
            "members_used": len(fit.members),
            "dims": fit.dims,
            "anchor": list(fit.anchor),
            "apre": fit.apre,
            "gmp": fit.gmp,
            "dropped_votes": list(fit.dropped_votes),
            "dropped_members": list(fit.dropped_members),
            "iterations": fit.iterations,
            "converged": fit.converged,
        }
        if fit.lower is not None and fit.upper is not None:
            payload["intervals"] = {
                m: {"lower": _flat(fit.lower[i]), "upper": _flat(fit.upper[i])}
                for i, m in enumerate(fit.members)
            }
            payload["level"] = fit.level
        emit_json(payload)
        return
    width = max(len(m) for m in fit.members)
    order = np.argsort(fit.positions[:, 0], kind="stable")
    for i in order:
        pos = "  ".join(f"{v:+.3f}" for v in fit.positions[i])
        line = f"{fit.members[i]:<{width}}  {pos}"
        if fit.lower is not None and fit.upper is not None:
            line += f"  [{fit.lower[i, 0]:+.3f}, {fit.upper[i, 0]:+.3f}]"
        typer.echo(line)
    typer.echo(f"votes used: {fit.votes_used} of {fit.votes_used + len(fit.dropped_votes)}")
    typer.echo(f"correct classification: {fit.correct_classification:.3f}")


@options_named({"k": "--k"})
def paths(
    map_json: Path = typer.Argument(
        ..., metavar="MAP.json", help="Power map JSON: actors and relationships (see docs/landscape.md)."
    ),
    source: str = typer.Option(..., "--from", help="Actor id to start from (us)."),
    target: str = typer.Option(..., "--to", help="Actor id to reach."),
    k: int = typer.Option(3, "--k", help="Number of paths."),
    directed: bool = typer.Option(False, "--directed", help="Follow relationships only in their direction."),
    weighted: bool = typer.Option(False, "--weighted", help="Cost 1/strength per step instead of 1."),
    exclude_type: list[str] = typer.Option(
        [], "--exclude-type", metavar="TYPE", help="Leave out a relationship type (repeatable)."
    ),
    on: str | None = typer.Option(None, "--on", help="Only relationships active on this date (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    no_limits: bool = typer.Option(False, "--no-limits", help=NO_LIMITS_HELP),
) -> None:
    """Shortest chains of relationships from one actor to another.

    The --k shortest paths (fewest steps, or cheapest with --weighted), each step with the
    relationship types that link it. Limits: --k from 1 to 1,000; MAP.json at most 64 MiB
    (1 GiB with --no-limits), which bounds the actors and relationships.
    """
    from broadfront.analysis.network import MAX_PATHS, filter_map, shortest_paths

    if isinstance(k, bool) or not 1 <= k <= MAX_PATHS:
        raise ValidationError(f"--k must be between 1 and {MAX_PATHS:,}, got {k}", parameter="--k")
    power_map = read_power_map_json(map_json, lift_limits=no_limits)
    day = None
    if on is not None:
        try:
            day = dt.date.fromisoformat(on)
        except ValueError:
            raise ValidationError(f"--on must be a date YYYY-MM-DD, got {on!r}", parameter="on") from None
    if exclude_type or day is not None:
        power_map = filter_map(power_map, exclude_types=exclude_type or None, on=day)
    found = shortest_paths(power_map, source, target, k=k, directed=directed, weighted=weighted)
    if as_json:
        emit_json({"from": source, "to": target, "paths": list(found.paths)})
        return
    if not found.paths:
        typer.echo(f"no path from {source} to {target}")
        return
    for n, path in enumerate(found.paths, start=1):
        cost = f"{path.hops} steps" if not weighted else f"{path.hops} steps, cost {path.cost:.3g}"
        typer.echo(f"{n}. {' -> '.join(path.actors)} ({cost})")
        for step in path.steps:
            typer.echo(f"     {step.source} -[{', '.join(step.types)}]- {step.target}")


# ---------------------------------------------------------------------------- readers


def read_rollcall_csv(
    path: Path, *, lift_limits: bool = False
) -> tuple[list[str], list[str], np.ndarray]:
    """Read a roll-call CSV: header (member column, vote ids), then one row per member.

    Cells are 1 (yes), 0 (no) or blank (missing); errors name the file, row and field. The
    file must be within the size limit (:func:`broadfront.cli._files.check_file`).
    """
    import numpy as np

    name = str(path)
    check_file(path, lift_limits=lift_limits)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except OSError as exc:
        raise InputFileError(f"cannot read the file: {exc.strerror or exc}", file=name) from None
    except UnicodeDecodeError:
        raise InputFileError("the file is not UTF-8 text", file=name) from None
    except csv.Error as exc:
        raise InputFileError(f"not a valid CSV file: {exc}", file=name) from None
    if not rows or len(rows[0]) < 2:
        raise InputFileError("the header must name the member column and at least one vote", file=name, row=1)
    header = [h.strip() for h in rows[0]]
    vote_ids = header[1:]
    seen_votes: set[str] = set()
    for j, v in enumerate(vote_ids, start=2):
        if not v:
            raise InputFileError(f"column {j} has no vote name", file=name, row=1, field=f"column {j}")
        if v in seen_votes:
            raise InputFileError(f"vote {v!r} appears twice in the header", file=name, row=1, field=v)
        seen_votes.add(v)
    members: list[str] = []
    seen_members: set[str] = set()
    data: list[list[float]] = []
    for r, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputFileError(
                f"has {len(row)} cells, the header has {len(header)}", file=name, row=r, field=header[0]
            )
        member = row[0].strip()
        if not member:
            raise InputFileError("member is blank", file=name, row=r, field=header[0])
        if member in seen_members:
            raise InputFileError(f"member {member!r} appears twice", file=name, row=r, field=header[0])
        seen_members.add(member)
        values = []
        for v, cell in zip(vote_ids, row[1:], strict=True):
            cell = cell.strip()
            if cell == "":
                values.append(math.nan)
            elif cell in ("1", "0"):
                values.append(float(cell))
            else:
                raise InputFileError(f"must be 1, 0 or blank, got {cell!r}", file=name, row=r, field=v)
        members.append(member)
        data.append(values)
    if not members:
        raise InputFileError("no member rows", file=name, row=2)
    return members, vote_ids, np.array(data, dtype=float)


def read_power_map_json(path: Path, *, lift_limits: bool = False) -> PowerMap:
    """Read ``{"actors": [...], "relationships": [...]}``; errors name the file, item and field."""
    from broadfront.analysis.network import Actor, Relationship, build_power_map

    name = str(path)
    data = read_json(path, lift_limits=lift_limits)
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise InputFileError("must be an object with an 'actors' list", file=name, field="actors")
    rel_items = data.get("relationships", [])
    if not isinstance(rel_items, list):
        raise InputFileError("'relationships' must be a list", file=name, field="relationships")
    actors = []
    seen: set[str] = set()
    for i, item in enumerate(data["actors"], start=1):
        where = f"actors[{i - 1}]"
        if not isinstance(item, dict):
            raise InputFileError("must be an object", file=name, row=where)
        ident = item.get("id")
        if not isinstance(ident, str) or not ident:
            raise InputFileError("must be a non-empty string", file=name, row=where, field="id")
        if ident in seen:
            raise InputFileError(f"actor {ident!r} appears twice", file=name, row=where, field="id")
        seen.add(ident)
        actors.append(Actor(ident, str(item.get("kind", "person")), str(item.get("name", ident))))
    relationships = []
    for i, item in enumerate(rel_items, start=1):
        where = f"relationships[{i - 1}]"
        if not isinstance(item, dict):
            raise InputFileError("must be an object", file=name, row=where)
        fields = {}
        for key in ("source", "target", "type"):
            value = item.get(key)
            if not isinstance(value, str) or not value:
                raise InputFileError("must be a non-empty string", file=name, row=where, field=key)
            if key != "type" and value not in seen:
                raise InputFileError(f"{value!r} is not an actor", file=name, row=where, field=key)
            fields[key] = value
        dates: dict[str, dt.date | None] = {}
        for key in ("start", "end"):
            value = item.get(key)
            try:
                dates[key] = None if value in (None, "") else dt.date.fromisoformat(str(value))
            except ValueError:
                raise InputFileError(f"must be a date YYYY-MM-DD, got {value!r}", file=name, row=where, field=key) from None
        if dates["start"] and dates["end"] and dates["end"] < dates["start"]:
            raise InputFileError("ends before it starts", file=name, row=where, field="end")
        strength = item.get("strength", 1.0)
        if isinstance(strength, bool) or not isinstance(strength, int | float) or not math.isfinite(strength) or strength <= 0:
            raise InputFileError(f"must be a number > 0, got {strength!r}", file=name, row=where, field="strength")
        relationships.append(
            Relationship(fields["source"], fields["target"], fields["type"], dates["start"], dates["end"], float(strength))
        )
    return build_power_map(actors, relationships)


def _flat(values: np.ndarray) -> float | list[float]:
    return float(values[0]) if values.shape[0] == 1 else [float(v) for v in values]
