"""Charts for the scenarios pages: how the chance of holding up changed over runs."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.safestring import SafeString

from broadfront.web.common.charts import ACCENT, style, to_div
from broadfront.web.scenarios.models import ScenarioRun


def runs_chart(runs: list[ScenarioRun]) -> SafeString:
    """The stored probability of holding, with its standard error, for each run."""
    ordered = sorted(runs, key=lambda r: r.computed_at)
    fig = go.Figure(go.Scatter(
        x=[r.computed_at for r in ordered], y=[r.p_hold for r in ordered], mode="lines+markers",
        marker_color=ACCENT,
        error_y={"type": "data", "array": [1.96 * r.p_hold_se for r in ordered], "visible": True},
        hovertemplate="%{y:.1%} chance of holding<extra></extra>",
    ))
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    return to_div(style(fig, height=260))
