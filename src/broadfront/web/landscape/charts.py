"""Charts for the landscape pages: the spectrum of allies, the power grid, positions from votes."""

from __future__ import annotations

import math

import plotly.graph_objects as go
from django.utils.safestring import SafeString

from broadfront.web.common.charts import ACCENT, BAND_COLORS, MUTED, PALETTE, style, to_div
from broadfront.web.landscape.queries import BANDS, ActorStance

PER_ROW = 4  # actors side by side within a band before a new row starts


def _size(influence: float) -> float:
    """Marker diameter in pixels: area grows with influence (0 still shows a dot)."""
    return 9.0 + 7.0 * math.sqrt(max(influence, 0.0))


def spectrum_chart(actors: list[ActorStance], influence: dict[str, float] | None = None
                   ) -> SafeString:
    """The spectrum of allies: five bands, each actor a circle sized by its influence.

    Within a band the most influential actors come first (bottom left), four to a row; the
    axis label under each band gives its actor count and total influence.
    """
    influence = influence or {a.key: 1.0 for a in actors}
    by_band: list[list[ActorStance]] = [[] for _ in BANDS]
    for a in actors:
        by_band[a.band].append(a)
    fig = go.Figure()
    rows_needed = 1
    for b, members in enumerate(by_band):
        members.sort(key=lambda a: (-influence.get(a.key, 1.0), a.name))
        rows_needed = max(rows_needed, math.ceil(len(members) / PER_ROW))
        xs = [b - 0.33 + 0.22 * (i % PER_ROW) for i in range(len(members))]
        ys = [i // PER_ROW for i in range(len(members))]
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers", name=BANDS[b][0],
            marker={"size": [_size(influence.get(a.key, 1.0)) for a in members],
                    "color": BAND_COLORS[b], "line": {"color": "#ffffff", "width": 1}},
            customdata=[[a.name, a.stance.score, influence.get(a.key, 1.0)] for a in members],
            hovertemplate="<b>%{customdata[0]}</b><br>stance %{customdata[1]:+d}, influence "
                          "%{customdata[2]}<extra></extra>",
        ))
    labels = []
    for b, members in enumerate(by_band):
        total = sum(influence.get(a.key, 1.0) for a in members)
        noun = "actor" if len(members) == 1 else "actors"
        labels.append(f"{BANDS[b][0]}<br>{len(members)} {noun}, influence {total:g}")
    for b in range(len(BANDS)):
        fig.add_vrect(x0=b - 0.5, x1=b + 0.5, fillcolor=BAND_COLORS[b], opacity=0.08,
                      line_width=0, layer="below")
    fig.update_xaxes(tickvals=list(range(len(BANDS))), ticktext=labels,
                     range=[-0.5, len(BANDS) - 0.5], showgrid=False, zeroline=False)
    fig.update_yaxes(visible=False, range=[-0.8, rows_needed - 0.2])
    return to_div(style(fig, height=max(260, 70 + 42 * rows_needed)))


def power_grid_chart(actors: list[ActorStance], influence: dict[str, float]) -> SafeString:
    """The power grid: support (stance, -3..+3) across, influence up; one dot per actor.

    Actors at the same spot share one dot, its hover listing them all.
    """
    spots: dict[tuple[int, float], list[str]] = {}
    for a in actors:
        spots.setdefault((a.stance.score, influence.get(a.key, 1.0)), []).append(a.name)
    xs = [s for s, _ in spots]
    ys = [w for _, w in spots]
    names = ["<br>".join(v[:12]) + ("<br>..." if len(v) > 12 else "") for v in spots.values()]
    counts = [len(v) for v in spots.values()]
    colors = [BAND_COLORS[[i for i, (_, lv) in enumerate(BANDS) if s in lv][0]] for s in xs]
    fig = go.Figure(go.Scatter(
        x=xs, y=ys, mode="markers+text",
        text=[str(c) if c > 1 else "" for c in counts], textposition="middle center",
        textfont={"color": "#ffffff", "size": 11},
        marker={"size": [14 + 5 * math.sqrt(c) for c in counts], "color": colors,
                "line": {"color": "#ffffff", "width": 1}},
        customdata=names,
        hovertemplate="support %{x:+d}, influence %{y}<br>%{customdata}<extra></extra>",
    ))
    top = max([*ys, 5.0])
    fig.add_shape(type="line", x0=0, x1=0, y0=-0.3, y1=top + 0.3,
                  line={"color": MUTED, "dash": "dot"})
    fig.add_annotation(x=2.2, y=top + 0.2, text="allies with power", showarrow=False,
                       font={"color": ACCENT})
    fig.add_annotation(x=-2.2, y=top + 0.2, text="opponents with power", showarrow=False,
                       font={"color": BAND_COLORS[0]})
    fig.update_xaxes(title_text="support (stance on this issue)", range=[-3.5, 3.5],
                     tickvals=list(range(-3, 4)), ticktext=[f"{s:+d}" for s in range(-3, 4)])
    fig.update_yaxes(title_text="influence", range=[-0.3, top + 0.6], rangemode="tozero")
    return to_div(style(fig, height=340))


def alignment_chart(rows: list, anchor_name: str | None) -> SafeString:  # type: ignore[type-arg]
    """Members' positions from votes with 95% intervals, coloured by bloc, anchor marked."""
    shown = [r for r in rows if r.position is not None]
    blocs = sorted({r.bloc or "no bloc" for r in shown})
    fig = go.Figure()
    for i, bloc in enumerate(blocs):
        sel = [r for r in shown if (r.bloc or "no bloc") == bloc]
        fig.add_trace(go.Scatter(
            x=[r.position for r in sel], y=[r.name for r in sel], mode="markers", name=bloc,
            marker={"size": [15 if r.is_anchor else 10 for r in sel],
                    "symbol": ["diamond" if r.is_anchor else "circle" for r in sel],
                    "color": PALETTE[i % len(PALETTE)]},
            error_x={"type": "data", "symmetric": False,
                     "array": [(r.upper - r.position) if r.upper is not None else 0 for r in sel],
                     "arrayminus": [(r.position - r.lower) if r.lower is not None else 0
                                    for r in sel],
                     "color": PALETTE[i % len(PALETTE)], "thickness": 1.5},
            hovertemplate="<b>%{y}</b><br>position %{x:.2f}<extra>" + bloc + "</extra>",
        ))
    fig.update_yaxes(autorange="reversed", categoryorder="array",
                     categoryarray=[r.name for r in shown])
    side = f"{anchor_name}'s side" if anchor_name else "positive side"
    fig.update_xaxes(title_text=f"position from recorded votes ({side} to the right)",
                     zeroline=True)
    fig = style(fig, height=110 + 28 * len(shown), legend=True)
    fig.update_layout(legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0})
    return to_div(fig)


def movement_chart(periods: tuple[str, ...], names: list[str], positions: list[list[float]],
                   moved: set[str]) -> SafeString:
    """Linked positions per period, one line per member; members who moved drawn thick."""
    fig = go.Figure()
    for i, name in enumerate(names):
        ys = positions[i]
        fig.add_trace(go.Scatter(
            x=list(periods), y=ys, mode="lines+markers", name=name,
            line={"width": 4 if name in moved else 1.5,
                  "color": PALETTE[1] if name in moved else "#9aa5b1"},
            hovertemplate=f"<b>{name}</b><br>%{{x}}: %{{y:.2f}}<extra></extra>",
        ))
    fig.update_yaxes(title_text="position (common scale)")
    fig.update_xaxes(type="category")
    return to_div(style(fig, height=320))
