"""Charts for the "Our power" and "Leaders" pages (Plotly figures as HTML divs)."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString

from broadfront.web.common.charts import ACCENT, bar
from broadfront.web.organizations.queries import StageCount


def ladder_pipeline(reached: list[StageCount], current: list[StageCount]) -> SafeString:
    """A horizontal pipeline: how many people reached each stage, and how many stand there now."""
    import plotly.graph_objects as go

    from broadfront.web.common.charts import style, to_div

    labels = [s.label for s in reached]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=labels, x=[s.count for s in reached], orientation="h", name="Ever reached",
        marker_color="#b9d8cc", hovertemplate="%{x} reached %{y}<extra></extra>",
    ))
    fig.add_trace(go.Bar(
        y=labels, x=[s.count for s in current], orientation="h", name="Standing here now",
        marker_color=ACCENT, hovertemplate="%{x} now at %{y}<extra></extra>",
        text=[str(s.count) for s in current], textposition="auto",
    ))
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(autorange="reversed")
    return to_div(style(fig, height=320, legend=True))


def stage_bars(stages: list[StageCount]) -> SafeString:
    """People by their current ladder stage."""
    return bar([s.label for s in stages], [s.count for s in stages], horizontal=True,
               hover="%{x} people", text=[str(s.count) for s in stages], height=280)


def pipeline_history(months: list[Any], series: dict[str, list[int]]) -> SafeString:
    """The ladder pipeline over time: people who had reached each stage, month by month."""
    import plotly.graph_objects as go

    from broadfront.web.common.charts import PALETTE, style, to_div
    from broadfront.web.organizations.models import LadderStage

    fig = go.Figure()
    for i, s in enumerate(LadderStage):
        if s.value == "supporter":
            continue
        fig.add_trace(go.Scatter(x=months, y=series.get(s.value, []), mode="lines",
                                 name=str(s.label), line={"color": PALETTE[i % len(PALETTE)]},
                                 hovertemplate="%{y} reached " + str(s.label) + "<extra></extra>"))
    return to_div(style(fig, height=300, legend=True))
