"""Charts for the bloc-building pages: progress toward each campaign's goal."""

from __future__ import annotations

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
    return to_div(style(fig, height=max(200, 70 * len(rows) + 90), legend=True))
