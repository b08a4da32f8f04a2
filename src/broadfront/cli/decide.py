"""``broadfront decide DECISION.json``: trade-offs by constituency and the vote's result.

Reads a decision document (``docs/decisions.md``), prints per option the expected net effect,
the worst-off constituency and whether another option dominates it, then the winner under the
decision's rule for members, for leaders and combined. ``--json`` prints the same as JSON
(``winner`` at the top level). Bad input exits with status 1 and one line naming the place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from broadfront.cli._common import emit_json
from broadfront.cli._files import read_json
from broadfront.cli._options import NO_LIMITS_HELP
from broadfront.exceptions import InputFileError, ValidationError


def register(app: typer.Typer) -> None:
    """Add the ``decide`` command to the root app."""

    @app.command()
    def decide(
        decision: Annotated[Path, typer.Argument(
            metavar="DECISION.json",
            help="Options, constituencies' impacts, the rule and ballots (see docs/decisions.md).")],
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        no_limits: Annotated[bool, typer.Option("--no-limits", help=NO_LIMITS_HELP)] = False,
    ) -> None:
        """Weigh a decision's trade-offs and count its ballots.

        Per option: expected net effect, worst-off constituency, who bears most downside and
        which options dominate it; then the winner for members, leaders and combined.
        Limits: 100 options, 100,000 ballots, 100 constituencies, ranked ballots x options^2
        at most 20,000,000 (docs/cli.md); the count reports no progress, so --no-limits shows
        no progress bar.
        """
        from broadfront.analysis.tradeoffs import decide as run
        from broadfront.analysis.tradeoffs import report_to_dict

        document = read_json(decision, lift_limits=no_limits)
        try:
            report = run(document, lift_limits=no_limits)
        except InputFileError:
            raise
        except ValidationError as exc:
            message = exc.message
            if exc.location and message.startswith(f"{exc.location}: "):
                message = message[len(exc.location) + 2:]
            raise InputFileError(message, file=str(decision), field=exc.location) from None
        payload = report_to_dict(report)
        if as_json:
            emit_json(payload)
        else:
            typer.echo(render(payload))


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:+.2f}"


def render(payload: dict[str, Any]) -> str:
    """The plain-text report for one decision (the output without ``--json``)."""
    lines = []
    if payload.get("question"):
        lines.append(payload["question"])
        lines.append("")
    rows = payload["options"]
    has_impacts = payload["impacts"] is not None
    if has_impacts:
        table = [("option", "expected net", "fair score", "worst-off", "bears most downside",
                  "dominated by")]
        for r in rows:
            worst = (f"{', '.join(r['worst_off'])} ({_fmt(r['worst_off_net'])})"
                     if r["worst_off"] else "-")
            table.append((r["option"], _fmt(r["expected_net"]), _fmt(r["prioritarian_score"]),
                          worst, ", ".join(r["largest_downside"]) or "-",
                          ", ".join(r["dominated_by"]) or "-"))
        widths = [max(len(row[k]) for row in table) for k in range(len(table[0]))]
        for row in table:
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        lines.append("dominated: " + (", ".join(payload["dominated"]) or "none"))
        imp = payload["impacts"]
        lines.append(f"(fair score: prioritarian, inequality aversion "
                     f"{imp['inequality_aversion']:g}, scale {imp['scale']:g})")
    else:
        lines.append("options: " + ", ".join(r["option"] for r in rows)
                     + " (no impact matrix)")
    lines.append("")
    rule = payload["rule"] + (f" (threshold {payload['threshold']:.4g})"
                              if payload["threshold"] is not None else "")
    lines.append(f"rule: {rule}; combined: {payload['combine']}")
    for group in ("members", "leaders", "combined"):
        lines.append(f"{group}: {_tally_line(payload[group])}")
        for o in payload[group]["objections"] if group != "combined" else ():
            who = o["voter"] or f"ballot {o['ballot']}"
            reason = f": {o['reason']}" if o["reason"] else ""
            lines.append(f"  {o['position']} on {o['option']} by {who}{reason}")
    lines.append(f"winner: {payload['winner'] or 'none'}")
    return "\n".join(lines)


def _tally_line(t: dict[str, Any]) -> str:
    parts = [f"{t['ballots']} ballot{'s' if t['ballots'] != 1 else ''}"]
    if t["quorum_required"]:
        parts.append(f"quorum {t['quorum_required']} {'met' if t['quorum_met'] else 'not met'}")
    if t["counts"]:
        parts.append(f"{t['counted']}: " + ", ".join(f"{k} {v:g}" for k, v in t["counts"].items()))
    if t["blocked"]:
        parts.append("blocked: " + ", ".join(t["blocked"]))
    if t["winner"] is not None:
        result = f"winner {t['winner']}"
    else:
        result = t["outcome"]
        if t["tied"]:
            result += " (" + ", ".join(t["tied"]) + ")"
    return result + " [" + "; ".join(parts) + "]"
