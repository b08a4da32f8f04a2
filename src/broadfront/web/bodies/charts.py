"""Charts of the "Bodies and power" pages."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import plotly.graph_objects as go
from django.utils.safestring import SafeString

from broadfront.web.common.charts import PALETTE, style, to_div


def seats_chart(blocs: Sequence[tuple[str, Decimal, int]]) -> SafeString:
    """A donut of the body's weight by bloc."""
    fig = go.Figure(go.Pie(
        labels=[b for b, _, _ in blocs], values=[float(w) for _, w, _ in blocs],
        hole=0.55, sort=False, marker_colors=PALETTE * 3, textinfo="label+value",
        automargin=True,  # room for a small slice's label outside the ring (a phone's width)
        hovertemplate="%{label}: weight %{value} (%{percent})<extra></extra>",
    ))
    words = ", ".join(f"{b} {float(w):g}" for b, w, _ in blocs)
    return to_div(style(fig, height=280), label=f"Donut chart of the weight by bloc: {words}")


def power_chart(rows: Sequence[tuple[str, float, float, float]]) -> SafeString:
    """Seat share beside Banzhaf and Shapley-Shubik power, one group of bars per member.

    ``rows`` holds ``(name, weight share, Banzhaf, Shapley-Shubik)``, shares in 0..1.
    """
    names = [r[0] for r in rows]
    fig = go.Figure()
    for j, (label, color) in enumerate(
        [("Share of the weight", "#c9c9c9"), ("Banzhaf power", PALETTE[0]),
         ("Shapley-Shubik power", PALETTE[1])], start=1):
        vals = [r[j] * 100 for r in rows]
        fig.add_trace(go.Bar(
            y=names, x=vals, name=label, orientation="h", marker_color=color,
            hovertemplate="%{y}: " + label.lower() + " %{x:.1f}%<extra></extra>",
        ))
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(ticksuffix="%", rangemode="tozero")
    height = min(1800, 80 + 46 * len(rows))
    return to_div(style(fig, height=height, legend=True))
