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
            x=cons, y=up, name=_wrap(option, 40), marker_color=color, legendgroup=option,
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
    # Long constituency names break over lines, so they do not run into the legend on a phone.
    fig.update_xaxes(tickmode="array", tickvals=cons, ticktext=[_wrap(c, 14) for c in cons],
                     tickangle=0)
    fig = style(fig, height=360 + 18 * len(summary.options), legend=True)
    fig.update_layout(legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0})
    words = "; ".join(
        f"{option}: " + ", ".join(
            f"{c} gains {float(u):.2f} and loses {float(d):.2f}"
            for c, u, d in zip(cons, summary.expected_upside[i], summary.expected_downside[i],
                               strict=True))
        for i, option in enumerate(summary.options))
    return to_div(fig, label=f"Bar chart of the expected gain and loss of each option for each "
                             f"constituency. {words}")


def _wrap(text: str, width: int) -> str:
    """``text`` broken into lines of about ``width`` characters with Plotly's ``<br>``."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


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
