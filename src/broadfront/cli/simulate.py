"""``broadfront simulate SCENARIO.json``: will our majority or our candidate hold?

A thin wrapper over :func:`broadfront.analysis.scenarios.run_scenario`; no database needed.
The file format is documented in ``docs/scenarios.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from broadfront.cli._common import emit_json, progress_bar
from broadfront.cli._files import read_json
from broadfront.cli._options import NO_LIMITS_HELP, check_seed, options_named
from broadfront.exceptions import InputFileError, ValidationError

if TYPE_CHECKING:  # the engine (numpy, numba kernels) is imported when the command runs
    from broadfront.analysis.scenarios import Scenario, ScenarioResult

BAR_WIDTH = 30
SHOWN = 10
RULE_WORDS = {"instant_runoff": "ranked choice (instant runoff)", "top_two": "top-two runoff"}


def load_scenario(path: Path, *, lift_limits: bool = False) -> Scenario:
    """Read and validate a scenario file; errors name the file and the field."""
    from broadfront.analysis.scenarios import Scenario

    name = str(path)
    data = read_json(path, lift_limits=lift_limits)
    try:
        return Scenario.from_dict(data)
    except ValidationError as exc:
        message = exc.message
        if exc.location and message.startswith(exc.location + ": "):
            message = message[len(exc.location) + 2 :]
        raise InputFileError(message, file=name, field=exc.parameter) from None


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _bar(x: float) -> str:
    return "#" * int(round(max(0.0, min(1.0, x)) * BAR_WIDTH))


def _text(result: ScenarioResult, scenario: Scenario) -> list[str]:
    n_shocks = len(scenario.shocks)
    lines = [
        f"scenario: {result.name} ({result.kind}, {n_shocks} shock{'' if n_shocks == 1 else 's'})"
    ]
    if result.method == "exact":
        lines.append(f"chance we hold: {_pct(result.p_hold)} (exact)")
    else:
        seed = "" if result.seed is None else f", seed {result.seed}"
        lines.append(
            f"chance we hold: {_pct(result.p_hold)} +/- {_pct(result.p_hold_se)} "
            f"(monte-carlo, {result.draws:,} draws{seed})"
        )
    lines.append(f"without the shocks: {_pct(result.p_hold_without_shocks)}")
    if result.runoff is not None:
        ro = result.runoff
        rule = RULE_WORDS.get(ro.rule, ro.rule)
        quant = "  ".join(f"{int(q * 100)}%: {_pct(v)}" for q, v in ro.final_share_quantiles)
        lines.append(f"counted by {rule}: more than one round in {_pct(ro.p_more_rounds)}")
        lines.append(f"our final-round share: mean {_pct(ro.final_share_mean)}  {quant}")
    m = result.margin
    quant = "  ".join(f"{int(q * 100)}%: {v:+.3g}" for q, v in m.quantiles)
    lines.append(f"margin ({m.unit}, negative = we lose): mean {m.mean:+.3g}  {quant}")
    what = "seats" if result.kind == "body" else "divisions"
    lines.append(f"fragile {what} (share of outcomes their defection flips):")
    width = max((len(k) for k in list(result.fragile)[:SHOWN]), default=0)
    for name, share in list(result.fragile.items())[:SHOWN]:
        lines.append(f"  {name:<{width}}  {_pct(share):>6}  {_bar(share)}".rstrip())
    if len(result.fragile) > SHOWN:
        lines.append(f"  ... and {len(result.fragile) - SHOWN} more (see --json)")
    if result.damaging_shocks:
        lines.append("damaging shocks (points lost alone; points won back by preventing it):")
        for d in result.damaging_shocks:
            lines.append(
                f"  {d.shock}: -{100 * d.alone:.1f} alone, +{100 * d.marginal:.1f} if prevented"
            )
    w = result.what_it_takes
    head = f"what would it take to hold with {_pct(w.target)}:"
    if w.search == "none needed":
        lines.append(f"{head} nothing, we are there")
    elif w.votes_needed is not None:
        of_turnout = (
            "" if w.turnout_added is None else f" ({_pct(w.turnout_added)} of expected turnout)"
        )
        lines.append(
            f"{head} {w.votes_needed:,.0f} more votes for us{of_turnout} -> {_pct(w.p_hold_after)}"
        )
    elif w.members_persuaded:
        verdict = "" if w.achieved else " (still short)"
        lines.append(
            f"{head} persuade {', '.join(w.members_persuaded)} -> {_pct(w.p_hold_after)}{verdict}"
            f" [{w.search} search]"
        )
    else:
        lines.append(f"{head} out of reach")
    return lines


@options_named({"target": "--target", "draws": "--draws"})
def simulate_cmd(
    scenario_file: Path = typer.Argument(
        ..., metavar="SCENARIO.json",
        help="The body or race, its members or divisions and the shocks (see docs/scenarios.md).",
    ),
    draws: int | None = typer.Option(
        None, "--draws",
        help="Monte Carlo draws (default: the file's, else 100000; at most 10,000,000).",
    ),
    seed: int | None = typer.Option(None, "--seed", help="Random seed (default: the file's)."),
    target: float | None = typer.Option(
        None, "--target", help="Chance of holding to reach (default 0.8)."
    ),
    method: str = typer.Option(
        "auto", "--method", help="auto (exact when feasible), exact or monte-carlo."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    no_limits: bool = typer.Option(False, "--no-limits", help=NO_LIMITS_HELP),
    sweep: str | None = typer.Option(
        None, "--sweep", metavar="KINDS",
        help="Which changes break what we hold: comma-separated shocks, members (a body) or "
             "divisions (a race); 'all' for every kind that applies. At most 2,000 variants.",
    ),
) -> None:
    """Chance our majority or candidate holds under shocks.

    Also prints the margin, the most fragile seats or divisions, the most damaging shocks and
    what it would take to reach --target. Limits: 10,000,000 draws, 10,000 members, 100,000
    divisions, 50 candidates, 50 shocks (docs/cli.md); at a terminal a progress bar follows
    the draws (with --json too when --no-limits is given).
    """
    from broadfront.analysis._validation import check_count
    from broadfront.analysis.scenarios import HARD_MAX_DRAWS, MAX_DRAWS, run_scenario

    if draws is not None:
        check_count(draws, "--draws", MAX_DRAWS, hard=HARD_MAX_DRAWS, lift_limits=no_limits)
    scenario = load_scenario(scenario_file, lift_limits=no_limits)
    check_seed(seed)
    if method not in ("auto", "exact", "monte-carlo"):
        raise ValidationError(
            f"--method must be auto, exact or monte-carlo, got {method!r}", parameter="--method"
        )
    if sweep is not None:
        _sweep(scenario, sweep, draws=draws, seed=seed, as_json=as_json)
        return
    kwargs: dict[str, Any] = {"draws": draws, "rng": seed, "target": target, "method": method,
                              "lift_limits": no_limits}
    # a progress bar for people at a terminal, never in pipes
    if sys.stderr.isatty() and (no_limits or not as_json):
        with progress_bar("simulating", draws or scenario.draws) as progress:
            result = run_scenario(scenario, progress=progress, **kwargs)
    else:
        result = run_scenario(scenario, **kwargs)
    if as_json:
        emit_json(result.to_dict())  # to_dict: no "runoff" key for a plurality race
        return
    for line in _text(result, scenario):
        typer.echo(line)


def _sweep(scenario: Any, kinds: str, *, draws: int | None, seed: int | None,
           as_json: bool) -> None:
    """``--sweep``: every variant, worst first, and which break what we hold."""
    from broadfront.analysis.scenarios.sweep import run_sweep

    chosen = None if kinds.strip() == "all" else [k.strip() for k in kinds.split(",")
                                                  if k.strip()]
    result = run_sweep(scenario, draws=draws, seed=seed, kinds=chosen)
    if as_json:
        emit_json(result.to_dict())
        return
    typer.echo(f"{scenario.name}: {_pct(result.base.p_hold)} chance we hold as it stands; "
               f"{len(result.points) - 1} variants")
    if not result.breaking:
        typer.echo("Nothing in this sweep breaks it on its own.")
    else:
        typer.echo("What breaks it, worst first:")
        for point in result.breaking:
            typer.echo(f"  {_pct(point.p_hold):>6}  {point.label}")
    rest = [p for p in result.points[1:] if p not in result.breaking]
    if rest:
        typer.echo("The rest:")
        for point in sorted(rest, key=lambda p: (p.p_hold, p.index)):
            typer.echo(f"  {_pct(point.p_hold):>6}  {point.label}")


def register(app: typer.Typer) -> None:
    """Add ``simulate`` to the root ``broadfront`` command."""
    app.command("simulate")(simulate_cmd)
