"""Every chart of the dashboard and the exports: one Plotly theme with a CJK font, builders that take a
DataFrame and return a figure (never touching Streamlit), each titled, with Chinese axis labels and its 口径."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from loaders.keys import CATEGORY_LABELS, TEMPLATES

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
# Semantic colours, defined once: ok / warning / violation, and one colour per outcome category.
STATUS_COLOURS = {"ok": "#2e7d32", "warning": "#ed6c02", "error": "#c62828", "info": "#0277bd"}
_CATEGORY_COLOURS = {
    "granted": "#2e7d32",
    "partial": "#81c784",
    "denied": "#c62828",
    "unavailable": "#ef6c00",
    "not_processed": "#8d6e63",
    "other": "#9e9e9e",
}
OUTCOME_COLOURS = {CATEGORY_LABELS[key]: colour for key, colour in _CATEGORY_COLOURS.items()}  # by label, as drawn
SERIES = ["#1f4e79", "#c0504d", "#4f81bd", "#9bbb59", "#8064a2", "#f79646", "#4bacc6", "#7f7f7f"]
TEMPLATE_YEARS = dict(sorted((int(k), name) for k, name in TEMPLATES.items() if k.isdigit()))  # year each began

pio.templates["govreport"] = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 13},
        title={"x": 0.0, "xanchor": "left", "font": {"size": 16}},
        colorway=SERIES,
        plot_bgcolor="white",
        paper_bgcolor="white",
        xaxis={"gridcolor": "#e0e0e0", "linecolor": "#9e9e9e", "automargin": True},
        yaxis={"gridcolor": "#e0e0e0", "linecolor": "#9e9e9e", "rangemode": "tozero", "automargin": True},
        # the legend's vertical place depends on the title above it: _pin_header sets it for each figure
        legend={"orientation": "h", "xanchor": "left", "x": 0},
        margin={"l": 60, "r": 20, "t": 80, "b": 60},
    )
)
THEME = "govreport"
DEFAULT_HEIGHT = 480  # px; a figure without its own height gets this one, on screen and in exported images
TITLE_TOP = 12  # px from the top edge to the title
TITLE_LINE = 24  # px one line of the 16 px title takes
NOTE_LINE = 17  # px one line of the 11 px subtitle (the 口径 note) takes
NOTE_CHARS = 72  # CJK characters per subtitle line at the export width (a Latin character counts half)


def _finish(fig: go.Figure, title: str, x_title: str, y_title: str, note: str | None) -> go.Figure:
    """Title, axis labels and the 口径 note under the title: what every chart carries."""
    fig.update_layout(template=THEME, title={"text": title}, xaxis_title=x_title, yaxis_title=y_title)
    _labels_inside(fig)
    _count_axis(fig)
    if note:
        return with_note(fig, note, copy=False)
    return _pin_header(fig)


SMALL_COUNT = 10  # a count axis up to this value is ticked at every whole number


def _count_axis(fig: go.Figure) -> None:
    """An axis of counts reads as counts: whole-number ticks only (never 0.5 steps, however small the counts),
    written in full with thousands separators (14,000, never "14k"). An axis is one of counts when every value
    drawn on it is a whole number and it is not a share (a percent format or 100% stacked bars)."""
    if fig.layout.barnorm:
        return
    horizontal = any(getattr(t, "orientation", None) == "h" for t in fig.data)
    axis = fig.layout.xaxis if horizontal else fig.layout.yaxis
    if "%" in (axis.tickformat or ""):
        return
    values = [v for t in fig.data if t.type in ("bar", "scatter") for v in _drawn(t, horizontal)]
    numbers = [n for n in map(_number, values) if n is not None]
    if not numbers or any(not n.is_integer() for n in numbers):
        return
    top = max(_stacked_top(fig, horizontal), max(abs(n) for n in numbers))
    axis.update(tickformat=",d")
    if top <= SMALL_COUNT:
        axis.update(tick0=0, dtick=1)


def _number(value) -> float | None:
    """A drawn value as a float (numpy numbers too), None for a gap (None, NaN) or anything else."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def _drawn(trace, horizontal: bool) -> list:
    """The values a trace draws along the value axis (its x when the bars lie horizontally, else its y)."""
    values = trace.x if horizontal else trace.y
    return [] if values is None else list(values)


def _stacked_top(fig: go.Figure, horizontal: bool) -> float:
    """The tallest stack of a stacked bar chart (0 for other charts): the axis must reach it."""
    if fig.layout.barmode not in ("stack", "relative"):
        return 0.0
    stacks: dict = {}
    for trace in (t for t in fig.data if t.type == "bar"):
        keys = trace.y if horizontal else trace.x
        for key, value in zip([] if keys is None else list(keys), _drawn(trace, horizontal), strict=False):
            number = _number(value)
            if number is not None:
                stacks[key] = stacks.get(key, 0.0) + abs(number)
    return max(stacks.values(), default=0.0)


def with_note(fig: go.Figure, note: str, copy: bool = True) -> go.Figure:
    """The figure (a copy unless `copy` is false) with its 口径 note as a subtitle under the title, wrapped to the
    export width: an image taken out of the dashboard then says where its numbers come from."""
    out = go.Figure(fig) if copy else fig
    out.update_layout(title={"subtitle": {"text": _wrap(note), "font": {"size": 11, "color": "#616161"}}})
    return _pin_header(out)


def _wrap(text: str, width: int = NOTE_CHARS) -> str:
    """Text broken into lines of about `width` CJK characters (a Latin character counts half), joined by <br>."""
    lines, line, size = [], "", 0.0
    for char in text:
        step = 0.5 if char.isascii() else 1.0
        if size + step > width:
            lines.append(line)
            line, size = "", 0.0
        line, size = line + char, size + step
    return "<br>".join([*lines, line] if line else lines)


def _pin_header(fig: go.Figure) -> go.Figure:
    """Pin the title to the top edge, its subtitle under it and the legend under both, in pixels.

    A horizontal legend placed just above the plot grows upwards as it wraps into more rows and ran into the
    title; pinned below the title it grows downwards instead and pushes the plot down (Plotly widens the top
    margin to fit a legend outside the plot), so title, 口径 note and legend never overlap.
    """
    height = fig.layout.height or DEFAULT_HEIGHT
    subtitle = fig.layout.title.subtitle.text
    header = TITLE_TOP + (TITLE_LINE if fig.layout.title.text else 0)
    header += (subtitle.count("<br>") + 1) * NOTE_LINE if subtitle else 0
    fig.update_layout(
        height=height,
        title={"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": TITLE_TOP}},
        legend={"yref": "container", "y": 1 - (header + 6) / height, "yanchor": "top"},
        margin={"t": header + 24},
    )
    return fig


def _labels_inside(fig: go.Figure) -> None:
    """Move labels placed just above the plot (e.g. where the national template changed) to just inside its
    top edge, where the pinned legend cannot cover them."""
    for note in fig.layout.annotations:
        if note.yref == "paper" and note.y == 1 and note.yanchor == "bottom":
            note.update(yanchor="top", xanchor="left", bgcolor="rgba(255,255,255,0.8)", font={"size": 11})


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
    custom: str | None = None,
) -> go.Figure:
    """100% stacked bars: each bar shows how its total divides among the categories. Each segment carries the
    value of column `custom` (e.g. the unit) as its custom data, so that a click on it can name it."""
    colours = {k: OUTCOME_COLOURS.get(k, SERIES[i % len(SERIES)]) for i, k in enumerate(order)}
    fig = px.bar(
        df, x=x, y=y, color=colour, category_orders={colour: list(order)}, color_discrete_map=colours,
        custom_data=[custom] if custom else None, template=THEME,
    )  # fmt: skip
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
    colours: dict[str, str] | None = None,
    custom: str | None = None,
) -> go.Figure:
    """Bars side by side (or stacked) per category, in the `colours` given per category if any; each bar carries
    the value of column `custom` as its custom data, so that a click on it can name it."""
    fig = px.bar(
        df, x=x, y=y, color=colour, barmode="stack" if stacked else "group", color_discrete_map=colours or {},
        category_orders={colour: list(colours)} if colours and colour else {},
        custom_data=[custom] if custom else None, template=THEME,
    )  # fmt: skip
    return _finish(fig, title, x_title, y_title, note)


def ranked_bars(
    df: pl.DataFrame,
    label: str,
    value: str,
    title: str,
    value_title: str,
    note: str | None = None,
    percent: bool = False,
) -> go.Figure:
    """Horizontal bars sorted by value, largest on top, for rankings and side-by-side comparisons of units.
    Rows without a value are left out: an unstated figure is never ranked as 0."""
    ordered = df.drop_nulls(value).sort(value)
    fig = px.bar(ordered, x=value, y=label, orientation="h", template=THEME)
    fig.update_traces(marker_color=SERIES[0], texttemplate="%{x:.1%}" if percent else "%{x:,}", textposition="outside")
    fig.update_xaxes(tickformat=".0%" if percent else ",")
    fig.update_layout(height=max(300, 150 + 32 * ordered.height), bargap=0.35)
    return _finish(fig, title, value_title, "", note)


def empty(title: str, message: str = "所选范围内没有数据") -> go.Figure:
    """A titled placeholder saying there is nothing to draw."""
    fig = go.Figure()
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 14})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _finish(fig, title, "", "", None)


def trend_lines_hover(
    df: pl.DataFrame,
    x: str,
    y: str,
    colour: str,
    hover: str,
    title: str,
    x_title: str,
    y_title: str,
    note: str | None = None,
    ids: str | None = None,
) -> go.Figure:
    """trend_lines with one more hover line per point taken from column `hover` (e.g. the report's template).

    Each point carries [hover text, value of column `ids`] as its customdata, so that a click on it can name what
    it stands for (e.g. the report id); without `ids` the second item is None.
    """
    fig = trend_lines(df, x, y, colour, title, x_title, y_title, note)
    ordered = df.sort(x).with_columns((pl.col(ids) if ids else pl.lit(None, pl.String)).alias("_id"))
    for trace in fig.data:
        # px draws each series in the order of the sorted frame: the same rows, in the same order, as here
        part = ordered.filter(pl.col(colour).cast(pl.String) == trace.name)
        trace.customdata = [list(row) for row in part.select(hover, "_id").iter_rows()]
        trace.hovertemplate = trace.hovertemplate.replace("<extra>", "<br>%{customdata[0]}<extra>")
    return fig


def marked_trend(
    df: pl.DataFrame,
    x: str,
    y: str,
    colour: str,
    title: str,
    x_title: str,
    y_title: str,
    hover: str,
    hollow: str | None = None,
    unstated: pl.DataFrame | None = None,
    dashed: bool = False,
    note: str | None = None,
) -> go.Figure:
    """Values per year, one line per series, each point with its own hover text (column `hover`).

    Points whose `hollow` column is true are drawn hollow (e.g. figures read from the other template), `dashed`
    draws series that are only roughly comparable, and each row of `unstated` (columns x, `hover`) puts a
    "未能确定" mark above its year: a figure that exists but could not be read leaves a gap, never a 0.
    """
    fig = go.Figure()
    for i, ((name,), part) in enumerate(df.sort(colour, x).group_by(colour, maintain_order=True)):
        colour_i = SERIES[i % len(SERIES)]
        fig.add_trace(_marked_line(part, x, y, str(name), hover, dashed, colour_i))
        if hollow:
            fig.add_trace(_hollow_points(part.filter(pl.col(hollow)), x, y, str(name), colour_i))
    _template_lines(fig, df[x].drop_nulls())
    if unstated is not None and not unstated.is_empty():
        _unstated_marks(fig, unstated, x, hover)
    fig.update_xaxes(dtick=1)
    return _finish(fig, title, x_title, y_title, note)


def _marked_line(part: pl.DataFrame, x: str, y: str, name: str, hover: str, dashed: bool, colour: str) -> go.Scatter:
    """One series: a null value breaks the line instead of dropping to 0."""
    return go.Scatter(
        x=part[x].to_list(),
        y=part[y].to_list(),
        name=name,
        legendgroup=name,
        mode="lines+markers",
        connectgaps=False,
        line={"color": colour, "dash": "dash" if dashed else "solid"},
        marker={"size": 9, "color": colour},
        customdata=part[hover].to_list(),
        hovertemplate="%{x}年<br>%{customdata}<extra>%{fullData.name}</extra>",
    )


def _hollow_points(part: pl.DataFrame, x: str, y: str, name: str, colour: str) -> go.Scatter:
    """White-filled markers laid over a series' own where its points are marked (the legend keeps solid ones)."""
    return go.Scatter(
        x=part[x].to_list(),
        y=part[y].to_list(),
        name=name,
        legendgroup=name,
        showlegend=False,
        mode="markers",
        marker={"size": 9, "color": "white", "line": {"color": colour, "width": 2}},
        hoverinfo="skip",
    )


def _template_lines(fig: go.Figure, years: pl.Series) -> None:
    """A dotted line where the national template changed, when the years cross it."""
    for year, label in TEMPLATE_YEARS.items():
        if len(years) and years.min() < year <= years.max():
            fig.add_vline(x=year - 0.5, line_dash="dot", line_color="#9e9e9e")
            fig.add_annotation(x=year - 0.5, y=1, yref="paper", text=label, showarrow=False, yanchor="bottom")


def _unstated_marks(fig: go.Figure, unstated: pl.DataFrame, x: str, hover: str) -> None:
    """One "未能确定" mark per year at the top of the plot, its hover text listing what was printed."""
    for (year,), part in unstated.sort(x).group_by(x, maintain_order=True):
        fig.add_annotation(
            x=year, y=0.98, yref="paper", yanchor="top", showarrow=False, text="未能确定",
            hovertext="<br>".join(part[hover].to_list()), font={"size": 11, "color": STATUS_COLOURS["warning"]},
            bordercolor=STATUS_COLOURS["warning"], borderpad=2,
        )  # fmt: skip


def peer_bars(
    df: pl.DataFrame,
    label: str,
    value: str,
    quartiles: tuple[str, str, str],
    title: str,
    value_title: str,
    note: str | None = None,
    percent: bool = False,
    custom: str | None = None,
) -> go.Figure:
    """Horizontal bars of each unit's value in the order given, with its peer group's P25, P50 and P75 as ticks
    on the same row. Rows without a value are left out: an unstated figure is never drawn as 0. Each bar and tick
    carries the value of column `custom` (e.g. the unit) as its custom data, so that a click on it can name it."""
    shown = df.drop_nulls(value)
    ids = [[v] for v in shown[custom].to_list()] if custom else None
    bars = go.Bar(x=shown[value].to_list(), y=shown[label].to_list(), orientation="h", name="本单位", customdata=ids)
    fig = go.Figure(bars.update(marker_color=SERIES[0]))
    names = ("同组P25", "同组P50（中位数）", "同组P75")
    for column, name, colour in zip(quartiles, names, ("#f79646", "#c0504d", "#9bbb59"), strict=True):
        fig.add_trace(
            go.Scatter(
                x=shown[column].to_list(), y=shown[label].to_list(), mode="markers", name=name, customdata=ids,
                marker={"symbol": "line-ns-open", "size": 18, "color": colour, "line": {"width": 3, "color": colour}},
            )
        )  # fmt: skip
    fig.update_yaxes(categoryorder="array", categoryarray=shown[label].to_list(), autorange="reversed")
    fig.update_xaxes(tickformat=".0%" if percent else ",")
    fig.update_layout(height=160 + 30 * shown.height)
    return _finish(fig, title, value_title, "", note)


def share_bars_stated(
    df: pl.DataFrame,
    x: str,
    y: str,
    colour: str,
    title: str,
    x_title: str,
    order: Sequence[str],
    note: str | None = None,
    custom: str | None = None,
) -> go.Figure:
    """share_bars over data with unstated (null) cells: those are left out, since a single null in a stack with
    barnorm empties the whole bar, and the bars keep the order of the frame."""
    fig = share_bars(df.drop_nulls(y), x, y, colour, title, x_title, order, note, custom)
    fig.update_xaxes(categoryorder="array", categoryarray=df[x].unique(maintain_order=True).to_list())
    return fig


# --- text from reports and users, drawn as text -------------------------------------------------------------------

# Trace attributes that carry data (names of units, categories, hover text): Plotly draws them as its HTML subset,
# so a name holding <a href=…>, <span style=…> or <img …> would become a link or styled text.
_DATA_TEXT = ("name", "legendgroup", "x", "y", "text", "hovertext", "customdata", "labels")


def escaped(fig: go.Figure) -> go.Figure:
    """A copy of the figure whose data texts (trace names, categories, text, hover text, custom data), category
    orders, tick labels and titles are escaped, so that Plotly draws them as the characters they are; the line
    breaks (<br>) the charts put in stay."""
    out = go.Figure(fig)
    for trace in out.data:
        for attr in _DATA_TEXT:
            if attr in trace and trace[attr] is not None:
                trace[attr] = _plain(trace[attr])
    out.update_layout(title_text=_plain(out.layout.title.text))
    out.for_each_xaxis(_plain_axis)
    out.for_each_yaxis(_plain_axis)
    return out


def _plain_axis(axis) -> None:
    """An axis's title, category order and tick labels escaped in place."""
    axis.update(title_text=_plain(axis.title.text))
    for attr in ("categoryarray", "ticktext"):
        if axis[attr] is not None:
            axis[attr] = _plain(axis[attr])


def _plain(value):
    """Strings escaped wherever they sit in a value (a string, a list, a tuple or an array of any depth), keeping
    the <br> line breaks."""
    if isinstance(value, str):
        return "<br>".join(html.escape(part, quote=False) for part in value.split("<br>"))
    if isinstance(value, np.ndarray):
        return np.array([_plain(v) for v in value.tolist()], dtype=object) if value.dtype.kind in "OUS" else value
    if isinstance(value, list | tuple):
        return type(value)(_plain(v) for v in value)
    return value


def unescaped_points(points: list[dict]) -> list[dict]:
    """Clicked points of an escaped figure with their texts as the data has them."""
    return [_unescape(point) for point in points]


def _unescape(value):
    """The inverse of _plain on what a click returns (dicts, lists and strings)."""
    if isinstance(value, str):
        return html.unescape(value)
    if isinstance(value, dict):
        return {k: _unescape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unescape(v) for v in value]
    return value
