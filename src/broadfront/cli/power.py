"""``broadfront power GAME.json``: power indices of a decision body.

Thin wrapper over :mod:`broadfront.analysis.power`; no database needed. GAME.json holds
``weights`` and ``quota`` (or ``quota_fraction``), optional ``names`` and optional
``conditions``: further ``{"weights": [...], "quota": ...}`` that must all hold.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from broadfront.cli._common import emit_json
from broadfront.cli._files import read_json
from broadfront.cli._options import NO_LIMITS_HELP, options_named
from broadfront.exceptions import InputFileError, ValidationError

if TYPE_CHECKING:  # the engine (numpy, numba kernels) is imported when a command runs
    from broadfront.analysis.power import Game

#: The engine's parameters, named as the options the user typed.
_OPTIONS = {"index": "--index", "method": "--method", "samples": "--samples", "seed": "--seed"}


def load_game(path: Path, *, lift_limits: bool = False) -> Game:
    """Read a game file (:func:`broadfront.analysis.power.game_from_dict`); errors name the
    file and the field."""
    from broadfront.analysis.power import game_from_dict

    data = read_json(path, lift_limits=lift_limits)
    try:
        return game_from_dict(data)
    except InputFileError:
        raise
    except ValidationError as exc:
        raise InputFileError(exc.message, file=str(path), field=exc.parameter) from None


def _fmt_int(x: int) -> str:
    s = str(x)
    return s if len(s) <= 14 else f"{float(x):.6e}"


def _table(payload: dict[str, Any], indices: list[str]) -> str:
    players = payload["players"]
    weights = payload["weights"]
    wcol = weights if not isinstance(weights[0], list) else weights[0]
    cols = ["banzhaf", "shapley_shubik"] + [
        i for i in indices if i not in ("banzhaf", "shapley_shubik", "coleman")
    ]
    header = ["player", "weight", *cols]
    if payload["banzhaf_swings"] is not None:
        header.insert(3, "swings")
    rows = []
    for k, name in enumerate(players):
        row = [name, f"{wcol[k]:g}"]
        for c in cols:
            row.append(f"{float(payload[c][k]):.4f}")
            if c == "banzhaf" and payload["banzhaf_swings"] is not None:
                row.append(_fmt_int(payload["banzhaf_swings"][k]))
        rows.append(row)
    widths = [max(len(str(r[j])) for r in [header, *rows]) for j in range(len(header))]
    lines = [
        "  ".join(h.ljust(widths[j]) if j == 0 else h.rjust(widths[j]) for j, h in enumerate(header))
    ]
    for r in rows:
        lines.append(
            "  ".join(v.ljust(widths[j]) if j == 0 else v.rjust(widths[j]) for j, v in enumerate(r))
        )
    lines.append(f"method: {payload['method']}")
    if "samples" in payload:
        lines.append(f"samples: {payload['samples']} (standard errors in --json)")
    powerless = [p for k, p in enumerate(players) if float(payload["banzhaf"][k]) == 0.0 and wcol[k] > 0]
    if powerless and payload["method"] == "exact":
        lines.append("no power at all despite their weight: " + ", ".join(powerless))
    if "coleman" in payload:
        lines.append(f"power of the body to act (Coleman): {payload['coleman']['act']:.4f}")
    return "\n".join(lines)


def power_cmd(
    game_file: Path = typer.Argument(
        ..., metavar="GAME.json",
        help="The body: weights and quota (or quota_fraction), optional names and extra "
             "conditions (see docs/power.md).",
    ),
    index: list[str] = typer.Option(
        [], "--index", metavar="NAME",
        help="Extra index: holler, deegan_packel, johnston, coleman (repeatable).",
    ),
    method: str = typer.Option(
        "auto", "--method", help="auto (exact when feasible, else sample), exact or sample."
    ),
    samples: int | None = typer.Option(
        None, "--samples", help="Monte Carlo samples when sampling (1 to 10,000,000)."
    ),
    seed: int | None = typer.Option(None, "--seed", help="Seed of the Monte Carlo sampling."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    no_limits: bool = typer.Option(False, "--no-limits", help=NO_LIMITS_HELP),
) -> None:
    """Voting power of each member (Banzhaf, Shapley-Shubik).

    Prints each member's weight, normalized Banzhaf index and swing count and Shapley-Shubik
    index, and names members whose weight buys no power at all. Limits: up to 10,000
    players and 10,000,000 samples (docs/cli.md); the engine reports no progress, so
    --no-limits shows no progress bar.
    """
    from broadfront.analysis.power import power_options, power_payload

    with options_named(_OPTIONS):
        options = power_options(index=index, method=method, samples=samples, seed=seed,
                                lift_limits=no_limits)
    game = load_game(game_file, lift_limits=no_limits)
    payload = power_payload(game, options, lift_limits=no_limits)
    if as_json:
        emit_json(payload)
    else:
        typer.echo(_table(payload, list(options.indices)))


def register(app: typer.Typer) -> None:
    """Add the ``power`` command to the root ``broadfront`` app."""
    app.command("power")(power_cmd)
