"""Charts for the decisions pages: who gets the upside and who bears the downside."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.safestring import SafeString

from broadfront.web.common.charts import style, to_div
from broadfront.web.decisions.models import Option


def impacts_chart(options: list[Option]) -> SafeString:
    """For each option, the stated upside (up) and downside (down) per constituency.

    Sizes are shown as recorded, with their likelihood in the hover; weighing them is the
    trade-offs engine's job, not the chart's.
    """
    fig = go.Figure()
    palette = ["#2f6f5e", "#3b6ea5", "#8e4585", "#b8860b", "#5f8f3e", "#d97745"]
    for i, option in enumerate(options):
        impacts = list(option.impacts.all())
        color = palette[i % len(palette)]
        fig.add_trace(go.Bar(
            x=[im.constituency for im in impacts], y=[float(im.upside) for im in impacts],
            name=f"{option.label}", marker_color=color, legendgroup=str(option.pk),
            offsetgroup=str(option.pk),
            customdata=[f"{float(im.upside_likelihood):.0%}" for im in impacts],
            hovertemplate=option.label + "<br>%{x}: upside %{y} (likelihood %{customdata})<extra></extra>",
        ))
        fig.add_trace(go.Bar(
            x=[im.constituency for im in impacts], y=[-float(im.downside) for im in impacts],
            name=f"{option.label} (downside)", marker_color=color, opacity=0.45,
            legendgroup=str(option.pk), offsetgroup=str(option.pk), showlegend=False,
            customdata=[f"{float(im.downside_likelihood):.0%}" for im in impacts],
            hovertemplate=option.label + "<br>%{x}: downside %{y} (likelihood %{customdata})<extra></extra>",
        ))
    fig.update_layout(barmode="group")
    fig.update_yaxes(zerolinecolor="#9ca3af", title_text="downside ↓   upside ↑")
    return to_div(style(fig, height=340, legend=True))
