"""Shared chart helpers: Plotly figures rendered as an HTML ``div`` (no CDN, no bundled JS).

Every page loads Plotly's JavaScript once, from the installed plotly package (see
:func:`broadfront.web.common.views.plotly_js`); a chart on a page is only a ``div`` and its
figure as a JSON data block, which the site's static script draws (no inline script: see
:func:`to_div`).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import plotly.graph_objects as go
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK = "#1f2a37"
MUTED = "#6b7280"
GRID = "#e5e7eb"
ACCENT = "#2f6f5e"
PALETTE = ["#2f6f5e", "#d97745", "#3b6ea5", "#b8860b", "#8e4585", "#5f8f3e", "#a23b3b"]

# Five bands of the spectrum of allies, from active opposition to active allies.
BAND_COLORS = ["#b23a3a", "#e08a6d", "#c9c9c9", "#7fb6a0", "#2f6f5e"]


def style(fig: go.Figure, *, height: int = 300, legend: bool = False) -> go.Figure:
    """Apply Broadfront's quiet look to a figure (small margins, no toolbar clutter)."""
    fig.update_layout(
        template="none",
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        font={"family": FONT, "size": 13, "color": INK},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        showlegend=legend,
        legend={"orientation": "h", "y": -0.15},
    )
    fig.update_xaxes(gridcolor=GRID, zerolinecolor=GRID, automargin=True)
    fig.update_yaxes(gridcolor=GRID, zerolinecolor=GRID, automargin=True)
    return fig


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def describe(fig: go.Figure, limit: int = 12) -> str:
    """A plain-words summary of a figure for screen readers (its ``aria-label``).

    A pie or a single series reads as its labels with their values ("Supporter 13, Member
    24"); several series read as the names of the series, with the axis titles when set.
    """
    traces = list(fig.data)
    if not traces:
        return "Chart"
    if len(traces) == 1:
        t = traces[0]
        if t.type == "pie":
            labels, values = list(t.labels or []), list(t.values or [])
        elif getattr(t, "orientation", None) == "h":
            labels, values = list(t.y or []), list(t.x or [])
        else:
            labels, values = list(t.x or []), list(t.y or [])
        if labels and values and len(labels) == len(values):
            pairs = [f"{_short(a)} {_short(b)}" for a, b in zip(labels, values, strict=True)]
            more = f" and {len(pairs) - limit} more" if len(pairs) > limit else ""
            head = f"{t.name}: " if t.name else ""
            return "Chart. " + head + ", ".join(pairs[:limit]) + more
    names = [str(t.name) for t in traces if getattr(t, "name", None)]
    words = "Chart"
    if names:
        words += " of " + ", ".join(dict.fromkeys(names))
    axes = [a for a in (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) if a]
    if axes:
        words += " (" + " against ".join(axes) + ")"
    return words


#: Plotly's options for every chart: no toolbar, resized with its card.
CONFIG = {"displayModeBar": False, "responsive": True}
# What json_script escapes: the data block cannot close its <script> element early.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def to_div(fig: go.Figure, label: str | None = None) -> SafeString:
    """The figure as an HTML ``div`` for a template; Plotly's JS is loaded by the base page.

    The page carries no inline script (the Content-Security-Policy allows none): the figure
    travels as a JSON data block (``<script type="application/json">``, escaped as Django's
    ``json_script`` escapes) next to an empty ``div.plotly-graph-div``, and the site's one static
    script (``static/broadfront/broadfront.js``) draws it with ``Plotly.newPlot``, on load and
    after every HTMX swap.

    The chart is wrapped in a ``div`` with ``role="img"`` and an ``aria-label``: ``label``
    when given, otherwise :func:`describe`'s summary, so a screen reader says what it shows.
    """
    chart_id = f"chart-{uuid.uuid4().hex}"
    figure = fig.to_json()
    payload = ('{"figure": ' + figure + ', "config": ' + json.dumps(CONFIG) + "}") \
        .translate(_JSON_ESCAPES)
    aria = escape(label if label is not None else describe(fig))
    return mark_safe(  # noqa: S308 - our own markup; the label is escaped, the JSON made inert
        f'<div class="chart-figure" role="img" aria-label="{aria}">'
        f'<div id="{chart_id}" class="plotly-graph-div" data-figure="{chart_id}-data"'
        f' style="height:100%; width:100%;"></div>'
        f'<script type="application/json" id="{chart_id}-data">{payload}</script></div>')


def bar(
    labels: list[str], values: list[float], *, horizontal: bool = False, height: int = 280,
    color: str | list[str] = ACCENT, hover: str = "%{y}", text: list[str] | None = None,
    label: str | None = None,
) -> SafeString:
    """A simple bar chart of ``values`` by ``labels`` (``label``: its words for screen readers)."""
    kwargs: dict[str, Any] = {"marker_color": color, "text": text, "textposition": "auto"}
    if horizontal:
        trace = go.Bar(y=labels, x=values, orientation="h", hovertemplate=hover
                       + "<extra></extra>", **kwargs)
    else:
        trace = go.Bar(x=labels, y=values, hovertemplate=hover + "<extra></extra>", **kwargs)
    fig = go.Figure(trace)
    if horizontal:
        fig.update_yaxes(autorange="reversed")
    return to_div(style(fig, height=height), label=label)
