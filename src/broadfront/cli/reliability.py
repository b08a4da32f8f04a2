"""``broadfront reliability`` and ``broadfront turnout``: partners' records and show-up rates.

Both commands read a CSV (documented in docs/reliability.md), call the pure engine
:mod:`broadfront.analysis.reliability` and print plain words, or JSON with ``--json``. They
print aggregates only (rates, counts, forecasts), never a person's record.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import typer

from broadfront import clock
from broadfront.cli._common import emit_json
from broadfront.cli._files import check_file
from broadfront.cli._options import NO_LIMITS_HELP, options_named
from broadfront.exceptions import InputFileError, ValidationError


def register(app: typer.Typer) -> None:
    """Add the ``reliability`` and ``turnout`` commands to the root app."""
    app.command("reliability")(reliability)
    app.command("turnout")(turnout)


@options_named({"level": "--level", "as_of": "--as-of"})
def reliability(
    ledger: Path = typer.Argument(..., metavar="LEDGER.csv",
                                  help="Commitments CSV: partner,unit,promised,delivered,due,"
                                       "delivered_on (see docs/reliability.md)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Today's date (YYYY-MM-DD); "
                                     "incomplete commitments due on or after it are open. "
                                     "Default: today."),
    level: float = typer.Option(0.9, "--level", help="Credible level of the intervals."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
    no_limits: bool = typer.Option(False, "--no-limits", help=NO_LIMITS_HELP),
) -> None:
    """How reliably each partner keeps its commitments, per unit.

    Kept rate and delivered ratio of each partner's commitments with credible intervals.
    Limits: LEDGER.csv at most 64 MiB (1 GiB with --no-limits), which bounds its rows.
    """
    from broadfront.analysis.reliability import commitment_reliability
    from broadfront.analysis.reliability.files import read_ledger_csv

    check_file(ledger, lift_limits=no_limits)
    table = read_ledger_csv(ledger)
    day = _day(as_of)
    result = commitment_reliability(
        table.partner, table.unit, table.promised, table.delivered, table.due,
        table.delivered_on, as_of=day, level=level,
    )
    if json_out:
        emit_json({
            "as_of": day,
            "level": result.level,
            "kept_prior": _prior_json(result.kept_prior),
            "ratio_prior": _prior_json(result.ratio_prior),
            "partners": list(result.scorecards),
        })
        return
    typer.echo(f"Commitments as of {day} ({_pct(result.level)} intervals):")
    for c in result.scorecards:
        line = (f"{c.partner}, {c.unit}: kept {c.kept} of {c.commitments} scored commitments "
                f"({c.kept_late} late, {c.partly_kept} partly kept, {c.broken} broken"
                + (f"; {c.open} still open" if c.open else "") + ")")
        typer.echo(line)
        typer.echo(f"  kept rate {_pct(c.kept_rate)} ({_range(c.kept_low, c.kept_high)}); "
                   f"delivers about {_pct(c.delivered_ratio)} of what it promises "
                   f"({_range(c.ratio_low, c.ratio_high)})")
        if c.note:
            typer.echo(f"  note: {c.note}")


@options_named({"level": "--level", "half_life_days": "--half-life"})
def turnout(
    attendance: Path = typer.Argument(..., metavar="ATTENDANCE.csv",
                                      help="Attendance CSV: person,group,event,event_date,"
                                           "status,attended (see docs/reliability.md)."),
    half_life: float | None = typer.Option(None, "--half-life", help="Recency half-life in "
                                           "days (default: every past event counts fully)."),
    level: float = typer.Option(0.9, "--level", help="Credible level of the intervals."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
    no_limits: bool = typer.Option(False, "--no-limits", help=NO_LIMITS_HELP),
) -> None:
    """Show-up rate of each group and a forecast for coming events.

    Rows with attended filled in are history; RSVPs (status accepted) with attended blank
    are forecast, event by event, from each person's record shrunk toward their group's.
    Limits: ATTENDANCE.csv at most 64 MiB (1 GiB with --no-limits), which bounds its rows.
    """
    import numpy as np

    from broadfront.analysis.reliability import (
        forecast_turnout,
        rsvp_probabilities,
        show_up_rates,
    )
    from broadfront.analysis.reliability.files import read_attendance_csv

    check_file(attendance, lift_limits=no_limits)
    table = read_attendance_csv(attendance)
    accepted = table.status == "accepted"
    known = accepted & ~np.isnan(table.attended)
    pending = accepted & np.isnan(table.attended)
    if not np.any(known):
        raise InputFileError(
            "no past RSVP (status accepted with attended filled in) to learn from",
            file=str(attendance))
    as_of = table.event_date[known].max()
    dates = table.event_date[known]
    groups = show_up_rates(table.group[known], table.attended[known], dates=dates,
                           as_of=as_of, half_life_days=half_life, level=level)
    group_rate = rsvp_probabilities(groups, table.group)
    people = show_up_rates(table.person[known], table.attended[known], dates=dates,
                           as_of=as_of, half_life_days=half_life, level=level,
                           target=group_rate[known])
    forecasts = []
    if np.any(pending):
        ev, ev_date = table.event[pending], table.event_date[pending]
        probs = rsvp_probabilities(people, table.person[pending], fallback=group_rate[pending])
        order = np.lexsort((ev, ev_date))
        ev, ev_date, probs = ev[order], ev_date[order], probs[order]
        starts = np.flatnonzero(np.r_[True, (ev[1:] != ev[:-1]) | (ev_date[1:] != ev_date[:-1])])
        ends = np.r_[starts[1:], ev.size]
        for s, e in zip(starts, ends, strict=True):
            f = forecast_turnout(probs[s:e])
            forecasts.append({"event": str(ev[s]), "event_date": ev_date[s], "rsvps": f.rsvps,
                              "expected": round(f.expected, 2), "p10": f.p10, "p50": f.p50,
                              "p90": f.p90})
    walk_ins = int(np.sum(~accepted & (table.attended == 1.0)))
    if json_out:
        emit_json({
            "as_of": as_of,
            "half_life_days": half_life,
            "level": groups.level,
            "pooled_rate": groups.pooled_rate,
            "prior": _prior_json(groups.prior),
            "walk_ins": walk_ins,
            "groups": groups.records(),
            "forecasts": forecasts,
        })
        return
    recency = f"half-life {half_life:g} days" if half_life else "no recency weighting"
    typer.echo(f"Show-up rates of RSVPs as of {as_of} ({_pct(groups.level)} intervals, "
               f"{recency}); coalition-wide {_pct(groups.pooled_rate)}:")
    for r in groups.records():
        typer.echo(f"{r.group}: {_pct(r.rate)} ({_range(r.low, r.high)}); "
                   f"{r.attended} of {r.rsvps} RSVPs came")
        if r.note:
            typer.echo(f"  note: {r.note}")
    if walk_ins:
        typer.echo(f"Walk-ins (attended without an accepted RSVP, not in the rates): {walk_ins}")
    if forecasts:
        typer.echo("Forecast of coming events (people who RSVP'd and will show up):")
    for fc in forecasts:
        typer.echo(f"{fc['event']} ({fc['event_date']}): {fc['rsvps']} RSVPs; expect "
                   f"{fc['expected']:.1f} (P10 {fc['p10']}, P50 {fc['p50']}, P90 {fc['p90']})")


def _day(value: str | None) -> dt.date:
    if value is None:
        return clock.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"--as-of must be a date YYYY-MM-DD, got {value!r}",
                              parameter="as_of") from None


def _pct(x: float) -> str:
    return "n/a" if not math.isfinite(x) else f"{100 * x:.0f}%"


def _range(low: float, high: float) -> str:
    return f"{100 * low:.0f}-{100 * high:.0f}%"


def _prior_json(prior: Any) -> dict[str, Any]:
    return {"mean": prior.mean, "concentration": prior.concentration, "method": prior.method,
            "capped": prior.capped}
