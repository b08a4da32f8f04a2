"""Charts for the landscape and bodies pages: the spectrum of allies, seats and votes."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.safestring import SafeString

from broadfront.web.common.charts import BAND_COLORS, style, to_div
from broadfront.web.landscape.queries import BANDS, ActorStance


def spectrum_chart(actors: list[ActorStance]) -> SafeString:
    """The spectrum of allies as five bands, each bar listing the actors standing in it."""
    counts = [0] * len(BANDS)
    names: list[list[str]] = [[] for _ in BANDS]
    for a in actors:
        counts[a.band] += 1
        names[a.band].append(a.name)
    hover = ["<br>".join(n[:15]) + ("<br>..." if len(n) > 15 else "") or "nobody" for n in names]
    fig = go.Figure(go.Bar(
        x=[label for label, _ in BANDS], y=counts, marker_color=BAND_COLORS,
        text=[str(c) for c in counts], textposition="auto", customdata=hover,
        hovertemplate="<b>%{x}</b><br>%{customdata}<extra></extra>",
    ))
    fig.update_yaxes(title_text="actors", rangemode="tozero", dtick=1 if max(counts, default=0) < 8 else None)
    return to_div(style(fig, height=300))
