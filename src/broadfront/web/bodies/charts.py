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
        hovertemplate="%{label}: weight %{value} (%{percent})<extra></extra>",
    ))
    return to_div(style(fig, height=280))
