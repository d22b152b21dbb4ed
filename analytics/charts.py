"""Every chart of the dashboard and the exports: one Plotly theme with a CJK font, builders that take a
DataFrame and return a figure (never touching Streamlit), each titled, with Chinese axis labels and its 口径."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
# Semantic colours, defined once: ok / warning / violation, and one colour per outcome category.
STATUS_COLOURS = {"ok": "#2e7d32", "warning": "#ed6c02", "error": "#c62828", "info": "#0277bd"}
OUTCOME_COLOURS = {
    "予以公开": "#2e7d32",
    "部分公开": "#81c784",
    "不予公开": "#c62828",
    "无法提供": "#ef6c00",
    "不予处理": "#8d6e63",
    "其他处理": "#9e9e9e",
}
SERIES = ["#1f4e79", "#c0504d", "#4f81bd", "#9bbb59", "#8064a2", "#f79646", "#4bacc6", "#7f7f7f"]
TEMPLATE_YEARS = {2019: "2019版模板", 2021: "2021版模板"}

pio.templates["govreport"] = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 13},
        title={"x": 0.0, "xanchor": "left", "font": {"size": 16}},
        colorway=SERIES,
        plot_bgcolor="white",
        paper_bgcolor="white",
        xaxis={"gridcolor": "#e0e0e0", "linecolor": "#9e9e9e"},
        yaxis={"gridcolor": "#e0e0e0", "linecolor": "#9e9e9e", "rangemode": "tozero"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        margin={"l": 60, "r": 20, "t": 80, "b": 60},
    )
)
THEME = "govreport"


def _finish(fig: go.Figure, title: str, x_title: str, y_title: str, note: str | None) -> go.Figure:
    """Title, axis labels and the 口径 note under the plot: what every chart carries."""
    fig.update_layout(template=THEME, title={"text": title}, xaxis_title=x_title, yaxis_title=y_title)
    if note:
        fig.add_annotation(
            text=note, xref="paper", yref="paper", x=0, y=-0.22, showarrow=False, xanchor="left",
            font={"size": 11, "color": "#616161"},
        )  # fmt: skip
        fig.update_layout(margin={"b": 110})
    return fig


def trend_lines(
    df: pl.DataFrame, x: str, y: str, colour: str, title: str, x_title: str, y_title: str, note: str | None = None
) -> go.Figure:
    """Values per year, one line per series, with a marker where the national template changed."""
    fig = px.line(df.sort(x), x=x, y=y, color=colour, markers=True, template=THEME)
    years = df[x].drop_nulls()
    for year, label in TEMPLATE_YEARS.items():
        if len(years) and years.min() < year <= years.max():
            fig.add_vline(x=year - 0.5, line_dash="dot", line_color="#9e9e9e")
            fig.add_annotation(x=year - 0.5, y=1, yref="paper", text=label, showarrow=False, yanchor="bottom")
    fig.update_xaxes(dtick=1)
    fig.update_traces(hovertemplate=f"%{{x}}年<br>{y_title}：%{{y}}<extra>%{{fullData.name}}</extra>")
    return _finish(fig, title, x_title, y_title, note)


def share_bars(
    df: pl.DataFrame,
    x: str,
    y: str,
    colour: str,
    title: str,
    x_title: str,
    order: Sequence[str],
    note: str | None = None,
) -> go.Figure:
    """100% stacked bars: each bar shows how its total divides among the categories."""
    colours = {k: OUTCOME_COLOURS.get(k, SERIES[i % len(SERIES)]) for i, k in enumerate(order)}
    fig = px.bar(
        df, x=x, y=y, color=colour, category_orders={colour: list(order)}, color_discrete_map=colours, template=THEME
    )
    fig.update_layout(barmode="stack", barnorm="percent")
    fig.update_traces(hovertemplate="%{x}<br>%{fullData.name}：%{y}件<extra></extra>")
    return _finish(fig, title, x_title, "占比（%）", note)


def grouped_bars(
    df: pl.DataFrame,
    x: str,
    y: str,
    colour: str | None,
    title: str,
    x_title: str,
    y_title: str,
    note: str | None = None,
    stacked: bool = False,
) -> go.Figure:
    """Bars side by side (or stacked) per category."""
    fig = px.bar(df, x=x, y=y, color=colour, barmode="stack" if stacked else "group", template=THEME)
    return _finish(fig, title, x_title, y_title, note)


def ranked_bars(df: pl.DataFrame, label: str, value: str, title: str, value_title: str, note: str | None = None):
    """Horizontal bars sorted by value, for rankings and side-by-side comparisons of units."""
    ordered = df.drop_nulls(value).sort(value)
    fig = px.bar(ordered, x=value, y=label, orientation="h", template=THEME)
    fig.update_traces(marker_color=SERIES[0])
    return _finish(fig, title, value_title, "", note)


def empty(title: str, message: str = "所选范围内没有数据") -> go.Figure:
    """A titled placeholder saying there is nothing to draw."""
    fig = go.Figure()
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 14})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _finish(fig, title, "", "", None)
