"""Charts for the decisions pages: who bears what, and how well we foresaw it.

The numbers come from :mod:`broadfront.analysis.tradeoffs`: expected upside and downside per
option and constituency (``size x likelihood``), and review errors (actual minus expected).
"""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.safestring import SafeString

from broadfront.analysis import tradeoffs
from broadfront.web.common.charts import MUTED, PALETTE, style, to_div


def who_bears_what(summary: tradeoffs.ImpactSummary) -> SafeString:
    """For each option and constituency: expected upside above the line, downside below.

    One colour per option; the solid bar is the expected gain (size x likelihood) and the pale
    bar below the line is the expected loss.
    """
    fig = go.Figure()
    cons = list(summary.constituencies)
    for i, option in enumerate(summary.options):
        color = PALETTE[i % len(PALETTE)]
        up = [float(v) for v in summary.expected_upside[i]]
        down = [-float(v) for v in summary.expected_downside[i]]
        fig.add_trace(go.Bar(
            x=cons, y=up, name=option, marker_color=color, legendgroup=option,
            offsetgroup=str(i),
            hovertemplate=f"{option}<br>%{{x}}: expected gain %{{y:.2f}}<extra></extra>",
        ))
        fig.add_trace(go.Bar(
            x=cons, y=down, name=f"{option} (loss)", marker_color=color, opacity=0.45,
            legendgroup=option, offsetgroup=str(i), showlegend=False, base=0,
            hovertemplate=f"{option}<br>%{{x}}: expected loss %{{y:.2f}}<extra></extra>",
        ))
    fig.update_layout(barmode="group")
    fig.update_yaxes(zerolinecolor=MUTED, zerolinewidth=1.5,
                     title_text="expected loss ↓   expected gain ↑")
    return to_div(style(fig, height=360, legend=True))


def calibration_chart(reviewed: list[tuple[str, str, list[tuple[str, float]]]]) -> SafeString:
    """Review errors over time: one line of dots per constituency, zero = as expected.

    ``reviewed`` holds, in date order, ``(date, question, [(constituency, error), ...])``;
    an error below zero means the constituency fared worse than we expected (too rosy).
    """
    series: dict[str, tuple[list[str], list[float], list[str]]] = {}
    for date, question, errors in reviewed:
        for constituency, error in errors:
            xs, ys, texts = series.setdefault(constituency, ([], [], []))
            xs.append(date)
            ys.append(error)
            texts.append(question)
    fig = go.Figure()
    for i, (constituency, (xs, ys, texts)) in enumerate(sorted(series.items())):
        fig.add_trace(go.Scatter(
            x=xs, y=ys, name=constituency, mode="lines+markers", text=texts,
            marker={"size": 9, "color": PALETTE[i % len(PALETTE)]},
            line={"color": PALETTE[i % len(PALETTE)], "width": 1.5},
            hovertemplate=f"{constituency}<br>%{{text}}<br>%{{x}}: actual minus expected "
                          "%{y:+.2f}<extra></extra>",
        ))
    fig.add_hline(y=0, line_color=MUTED, line_dash="dot")
    fig.update_yaxes(title_text="too rosy ↓   too gloomy ↑")
    fig.update_xaxes(type="date")
    return to_div(style(fig, height=320, legend=True))
