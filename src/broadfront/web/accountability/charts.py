"""Charts for the coalition pages: commitments kept, late, partly kept, broken or open."""

from __future__ import annotations

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
