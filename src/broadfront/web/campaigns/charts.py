"""Charts for the bloc-building pages: progress toward each campaign's goal."""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go
from django.utils.safestring import SafeString

from broadfront.web.campaigns.queries import CampaignProgress
from broadfront.web.common.charts import ACCENT, style, to_div


def progress_chart(rows: list[CampaignProgress]) -> SafeString:
    """Goal versus people committed so far (ours and all partners), per campaign."""
    names = [r.campaign.name for r in rows]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=names, x=[r.goal for r in rows], orientation="h", name="Goal",
                         marker_color="#e3e1d8", hovertemplate="goal %{x}<extra></extra>"))
    fig.add_trace(go.Bar(y=names, x=[r.recruited for r in rows], orientation="h",
                         name="Committed (all partners)", marker_color="#7fb6a0",
                         hovertemplate="%{x} committed<extra></extra>"))
    fig.add_trace(go.Bar(y=names, x=[r.ours for r in rows], orientation="h",
                         name="Committed (ours)", marker_color=ACCENT,
                         hovertemplate="%{x} ours<extra></extra>"))
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(autorange="reversed")
    words = "; ".join(f"{r.campaign.name}: {r.recruited} committed ({r.ours} ours) of a goal "
                      f"of {r.goal}" for r in rows)
    return to_div(style(fig, height=max(200, 70 * len(rows) + 90), legend=True),
                  label=f"Bar chart of people committed against each campaign's goal: {words}")


STATUS_COLORS = {"on track": "#2f6f5e", "at risk": "#b8860b", "behind": "#a23b3b"}


def forecast_chart(forecast: Any) -> SafeString:
    """Precincts by their chance of reaching the target, in ten bands, coloured by status."""
    probs = np.array([r.probability for r in forecast.rows])
    edges = np.linspace(0, 1, 11)
    band = np.minimum((probs * 10).astype(int), 9)
    counts = np.bincount(band, minlength=10)
    labels = [f"{int(100 * lo)}–{int(100 * hi)}%" for lo, hi in zip(edges[:-1], edges[1:],
                                                                  strict=True)]
    s = forecast.settings
    colors = [STATUS_COLORS["on track"] if lo >= s.on_track - 1e-9 else STATUS_COLORS["at risk"]
              if lo >= s.at_risk - 1e-9 else STATUS_COLORS["behind"] for lo in edges[:-1]]
    fig = go.Figure(go.Bar(x=labels, y=counts.tolist(), marker_color=colors,
                           text=[str(c) if c else "" for c in counts], textposition="auto",
                           hovertemplate="%{y} precincts with a %{x} chance<extra></extra>"))
    # Two lines, so the axis title is not cut off at a phone's width.
    fig.update_xaxes(title_text="Chance of reaching the target<br>by caucus night")
    fig.update_yaxes(title_text="Precincts")
    words = ", ".join(f"{n} with a {lab} chance" for lab, n in zip(labels, counts.tolist(),
                                                                    strict=True) if n)
    return to_div(style(fig, height=300),
                  label=f"Bar chart of precincts by their chance of reaching the target: {words}")


def levels_chart(outlook: Any) -> SafeString:
    """Our expected share of the seats at each level, with the 5-95% range of delegates."""
    levels = outlook.propagation.levels
    names = [lv.name.capitalize() for lv in levels]
    shares = [100 * lv.expected_share for lv in levels]
    text = [f"{lv.expected:,.0f} of {lv.seats:,} (5–95%: {lv.p05:,.0f}–{lv.p95:,.0f})"
            for lv in levels]
    fig = go.Figure(go.Bar(x=names, y=shares, marker_color=ACCENT, text=text,
                           textposition="auto", hovertemplate="%{y:.1f}%: %{text}<extra></extra>"))
    target = 100 * float(outlook.campaign.target_share)
    fig.add_hline(y=target, line_dash="dot", line_color="#d97745",
                  annotation_text=f"target {target:.0f}%", annotation_position="top left")
    fig.update_yaxes(title_text="Our share of the delegates (%)", rangemode="tozero")
    return to_div(style(fig, height=300))
