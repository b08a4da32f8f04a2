"""Charts for the scenarios pages: the margin, the fragile seats, the chance over runs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
from django.utils.safestring import SafeString

from broadfront.web.common.charts import ACCENT, MUTED, PALETTE, style, to_div
from broadfront.web.scenarios.models import ScenarioRun

LOSS = PALETTE[6]
HOLD = ACCENT


def runs_chart(runs: list[ScenarioRun]) -> SafeString:
    """The stored probability of holding, with its standard error, for each finished run."""
    ordered = sorted(runs, key=lambda r: r.computed_at)
    fig = go.Figure(go.Scatter(
        x=[r.computed_at for r in ordered], y=[r.p_hold for r in ordered], mode="lines+markers",
        marker_color=ACCENT,
        error_y={"type": "data", "array": [1.96 * r.p_hold_se for r in ordered], "visible": True},
        hovertemplate="%{y:.1%} chance of holding<extra></extra>",
    ))
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    return to_div(style(fig, height=260))


def margin_chart(margin: Mapping[str, Any]) -> SafeString:
    """How often we hold (green) or lose (red) by each margin; grey: exactly at the line."""
    values = [float(v) for v in margin.get("values", [])]
    probs = [float(p) for p in margin.get("probabilities", [])]
    unit = str(margin.get("unit", ""))
    share = unit.startswith("share")
    colors = [HOLD if v > 0 else LOSS if v < 0 else MUTED for v in values]
    fmt = "%{x:+.1%}" if share else "%{x:+~g}"
    fig = go.Figure(go.Bar(
        x=values, y=probs, marker_color=colors,
        hovertemplate=f"margin {fmt}: %{{y:.1%}} of outcomes<extra></extra>",
    ))
    if share and len(values) > 1:
        fig.update_traces(width=(values[1] - values[0]) * 0.95)
    fig.update_xaxes(title_text=("our lead over the best opponent, share of the votes"
                                 if share else "votes with us minus the votes needed"),
                     tickformat="+.0%" if share else "+~g", zeroline=True, zerolinecolor=MUTED)
    fig.update_yaxes(tickformat=".0%" if max(probs, default=0) >= 0.1 else ".1%",
                     title_text="share of outcomes")
    return to_div(style(fig, height=280))


def fragile_chart(fragile: Mapping[str, float], limit: int = 12) -> SafeString:
    """The members (or divisions) whose defection most often flips a hold into a loss."""
    items = sorted(fragile.items(), key=lambda kv: -float(kv[1]))[:limit]
    fig = go.Figure(go.Bar(
        y=[k for k, _ in items], x=[float(v) for _, v in items], orientation="h",
        marker_color=PALETTE[1], text=[f"{float(v):.0%}" for _, v in items],
        textposition="auto",
        hovertemplate="%{y}: flips %{x:.1%} of outcomes<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=".0%", rangemode="tozero")
    return to_div(style(fig, height=max(160, 28 * len(items) + 40)))
