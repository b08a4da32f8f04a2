"""``broadfront power GAME.json``: power indices of a decision body.

Thin wrapper over :mod:`broadfront.analysis.power`; no database needed. GAME.json holds
``weights`` and ``quota`` (or ``quota_fraction``), optional ``names`` and optional
``conditions``: further ``{"weights": [...], "quota": ...}`` that must all hold.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from broadfront.cli._common import emit_json
from broadfront.cli._files import read_json
from broadfront.cli._options import NO_LIMITS_HELP, check_seed
from broadfront.exceptions import InputFileError, ValidationError

if TYPE_CHECKING:  # the engine (numpy, numba kernels) is imported when a command runs
    from broadfront.analysis.power import Game, IndexResult

INDEX_NAMES = ("banzhaf", "shapley_shubik", "holler", "deegan_packel", "johnston", "coleman")


def load_game(path: Path, *, lift_limits: bool = False) -> Game:
    """Read a game file; errors name the file and the field."""
    from broadfront.analysis.power import MultiConditionGame, WeightedGame

    file = str(path)
    data = read_json(path, lift_limits=lift_limits)
    if not isinstance(data, dict):
        raise InputFileError("must hold a JSON object with 'weights' and 'quota'", file=file)
    names = data.get("names")
    if names is not None and not isinstance(names, list):
        raise InputFileError("must be a list of names", file=file, field="names")
    main = _condition(data, file, "")
    extra = data.get("conditions", [])
    if not isinstance(extra, list):
        raise InputFileError("must be a list of {weights, quota}", file=file, field="conditions")
    conds = [main] + [_condition(c, file, f"conditions[{j}].") for j, c in enumerate(extra)]
    try:
        if len(conds) == 1:
            return WeightedGame(main[0], main[1], names=names)
        return MultiConditionGame(conds, names=names)
    except ValidationError as exc:
        field = exc.parameter or "weights"
        raise InputFileError(exc.message, file=file, field=field) from None


def _condition(data: Any, file: str, prefix: str) -> tuple[list[float], float]:
    from broadfront.analysis.power import WeightedGame

    if not isinstance(data, dict):
        raise InputFileError("must be an object with weights and quota", file=file, field=prefix[:-1])
    weights = data.get("weights")
    if not isinstance(weights, list) or not all(
        isinstance(w, int | float) and not isinstance(w, bool) for w in weights
    ):
        raise InputFileError("must be a list of numbers", file=file, field=f"{prefix}weights")
    has_q, has_f = "quota" in data, "quota_fraction" in data
    if has_q == has_f:
        raise InputFileError(
            "give exactly one of 'quota' and 'quota_fraction'", file=file, field=f"{prefix}quota"
        )
    try:
        if has_f:
            game = WeightedGame.from_quota_fraction(weights, data["quota_fraction"])
        else:
            game = WeightedGame(weights, data["quota"])
    except ValidationError as exc:
        field = {"fraction": "quota_fraction"}.get(exc.parameter or "", exc.parameter or "weights")
        raise InputFileError(exc.message, file=file, field=f"{prefix}{field}") from None
    return list(game.weights), game.quota


def compute(
    game: Game,
    indices: list[str],
    *,
    method: str = "auto",
    samples: int | None = None,
    seed: int | None = None,
    lift_limits: bool = False,
) -> dict[str, Any]:
    """The JSON payload of ``broadfront power`` (also used by the table output)."""
    from broadfront.analysis.power import (
        banzhaf,
        coleman,
        deegan_packel,
        holler,
        johnston,
        shapley_shubik,
    )

    lift = {"lift_limits": lift_limits}
    bz = banzhaf(game, method=method, samples=samples, rng=seed, **lift)
    ss = shapley_shubik(game, method=method, samples=samples, rng=seed, **lift)
    methods = {"banzhaf": bz.method, "shapley_shubik": ss.method}
    out: dict[str, Any] = {
        "players": list(game.names),
        "weights": [list(map(float, c.weights)) for c in game.conditions]
        if len(game.conditions) > 1
        else list(map(float, game.conditions[0].weights)),
        "banzhaf": bz.values,
        "banzhaf_swings": list(bz.swings) if bz.swings is not None else None,
        "banzhaf_absolute": bz.absolute,
        "shapley_shubik": ss.values,
    }
    for name in indices:
        if name in ("banzhaf", "shapley_shubik"):
            continue
        if name == "coleman":
            c = coleman(game, method=method, samples=samples, rng=seed, **lift)
            out["coleman"] = {"act": c.act, "prevent": c.prevent, "initiate": c.initiate}
            methods["coleman"] = c.method
        else:
            fns: dict[str, Callable[..., IndexResult]] = {
                "holler": holler,
                "deegan_packel": deegan_packel,
                "johnston": johnston,
            }
            r = fns[name](game, **lift) if name != "johnston" else johnston(game)
            out[name] = r.values
            methods[name] = r.method
    out["method"] = "exact" if all(m != "sample" for m in methods.values()) else "sample"
    out["methods"] = methods
    if bz.method == "sample" or ss.method == "sample":
        out["samples"] = samples if samples is not None else (bz.samples or ss.samples)
        out["standard_errors"] = {
            "banzhaf": bz.standard_errors,
            "shapley_shubik": ss.standard_errors,
        }
    return out


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
        help=f"Extra index: {', '.join(INDEX_NAMES[2:])} (repeatable).",
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
    names = []
    for item in index:
        key = item.strip().lower().replace("-", "_")
        if key not in INDEX_NAMES:
            raise ValidationError(
                f"--index must be one of {', '.join(INDEX_NAMES)}, got {item!r}", parameter="--index"
            )
        if key not in names:
            names.append(key)
    if method not in ("auto", "exact", "sample"):
        raise ValidationError(
            f"--method must be auto, exact or sample, got {method!r}", parameter="--method"
        )
    from broadfront.analysis._validation import check_count
    from broadfront.analysis.power import HARD_MAX_SAMPLES, MAX_SAMPLES

    if samples is not None:
        check_count(samples, "--samples", MAX_SAMPLES, hard=HARD_MAX_SAMPLES, lift_limits=no_limits)
    check_seed(seed)
    game = load_game(game_file, lift_limits=no_limits)
    payload = compute(game, names, method=method, samples=samples, seed=seed, lift_limits=no_limits)
    if as_json:
        emit_json(payload)
    else:
        typer.echo(_table(payload, names))


def register(app: typer.Typer) -> None:
    """Add the ``power`` command to the root ``broadfront`` app."""
    app.command("power")(power_cmd)
