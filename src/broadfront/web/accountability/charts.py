"""Charts for the coalition pages: commitments kept, late, partly kept, broken or open."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from django.utils.safestring import SafeString

from broadfront.web.accountability.queries import STATUS_LABELS, STATUS_ORDER, PartnerSummary
from broadfront.web.common.charts import style, to_div

STATUS_COLORS = {"open": "#9bb4d6", "kept": "#2f6f5e", "kept_late": "#b8860b",
                 "partly_kept": "#d97745", "broken": "#a23b3b"}


def partner_status_chart(partners: list[PartnerSummary]) -> SafeString:
    """Stacked horizontal bars: each partner's commitments by status."""
    names = [p.organization.name for p in partners]
    fig = go.Figure()
    for status in STATUS_ORDER:
        fig.add_trace(go.Bar(
            y=names, x=[p.tally.get(status) for p in partners], orientation="h",
            name=str(STATUS_LABELS[status]), marker_color=STATUS_COLORS[status],
            hovertemplate="%{y}: %{x} " + str(STATUS_LABELS[status]).lower() + "<extra></extra>",
        ))
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    fig.update_yaxes(autorange="reversed")
    return to_div(style(fig, height=max(180, 48 * len(partners) + 80), legend=True))


def scorecard_trend(series: list[tuple[str, list[Any], list[float | None]]], *,
                    percent: bool = True, height: int = 260) -> SafeString:
    """Lines over time, one per partner (kept share by quarter, show-up by month)."""
    from broadfront.web.common.charts import PALETTE

    fig = go.Figure()
    for i, (name, xs, ys) in enumerate(series):
        fig.add_trace(go.Scatter(
            x=xs, y=[None if y is None else (100 * y if percent else y) for y in ys],
            mode="lines+markers", name=name, line={"color": PALETTE[i % len(PALETTE)]},
            connectgaps=False,
            hovertemplate=name + ": %{y:.0f}" + ("%" if percent else "") + "<extra></extra>",
        ))
    if percent:
        fig.update_yaxes(range=[0, 105], ticksuffix="%")
    return to_div(style(fig, height=height, legend=len(series) > 1))


def stacked_by_month(months: list[Any], series: dict[str, list[float]], *,
                     height: int = 260) -> SafeString:
    """Stacked bars by month, one colour per series (deliveries by unit)."""
    from broadfront.web.common.charts import PALETTE

    fig = go.Figure()
    for i, (name, ys) in enumerate(series.items()):
        fig.add_trace(go.Bar(x=months, y=ys, name=name, marker_color=PALETTE[i % len(PALETTE)],
                             hovertemplate=name + ": %{y:,.0f}<extra></extra>"))
    fig.update_layout(barmode="stack")
    return to_div(style(fig, height=height, legend=True))


def turnout_chart(pmf: Any, p10: int, p90: int, actual: int | None = None) -> SafeString:
    """The turnout distribution with its P10-P90 band shaded, and the actual count if known."""
    xs = list(range(len(pmf)))
    colors = ["#2f6f5e" if p10 <= x <= p90 else "#b9d8cc" for x in xs]
    fig = go.Figure(go.Bar(x=xs, y=[100 * float(p) for p in pmf], marker_color=colors,
                           hovertemplate="%{x} people: %{y:.1f}% chance<extra></extra>"))
    if actual is not None:
        fig.add_vline(x=actual, line_color="#a23b3b", line_width=3,
                      annotation_text=f"actual: {actual}", annotation_position="top")
    fig.update_yaxes(ticksuffix="%")
    fig.update_xaxes(title_text="people who show up")
    return to_div(style(fig, height=240))
