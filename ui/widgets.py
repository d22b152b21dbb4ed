"""Streamlit pieces every page shares: the sidebar selection kept in the URL, charts with their 口径 and PNG/SVG
downloads, tables with an Excel download, rates."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from analytics import charts, live
from analytics.state import LEVELS, TYPES, Selection, from_query
from analytics.views import Chart
from exports import excel, images
from exports.files import MIME
from ui import auth, data

# the named queries this module runs
QUERIES = ("selection_options",)  # the shared sidebar's, run by every page (and ui.auth's unit_names for a 单位填报人)

_URL_KEYS = ("region", "level", "type", "agency", "from", "to")


def rate(value: float | None, digits: int = 1) -> str:
    """A rate the SQL worked out (a share, e.g. 0.61) as text; "—" when it is NULL (zero or unknown denominator)."""
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def rate_with_counts(value: float | None, numerator: float | None, denominator: float | None) -> str:
    """A rate with the counts the SQL divided, e.g. 61.0%（64/105）; "—" when the rate is NULL."""
    return "—" if value is None else f"{rate(value)}（{count(numerator)}/{count(denominator)}）"


MIXED_LEVELS = "所选单位中有上级不详的部门或办公室（名册未列明），合计可能把政府与其下属单位的数字相加。"


def total_notes(totals: dict) -> list[str]:
    """What a selection's totals (the selection_rates row) leave out as already covered, or may mix, in words."""
    notes = []
    if totals["covered"]:
        notes.append("合计未重复计入：" + "、".join(totals["covered"]) + "。")
    if totals["mixed_levels"]:
        notes.append(MIXED_LEVELS)
    return notes


def count(value: float | None) -> str:
    """A count as text; "—" when the reports do not state it."""
    return "—" if value is None else f"{value:,.0f}"


def show_chart(fig: go.Figure, note: str, key: str, on_select: bool = False) -> list[dict]:
    """A chart with its 口径 (definition and source) written under it.

    With `on_select`, clicking a point reruns the page and the clicked points are returned (each with its `x`,
    `y` and `customdata`); otherwise, and before any click, the list is empty.
    """
    points: list[dict] = []
    if on_select:
        event = st.plotly_chart(fig, key=key, width="stretch", on_select="rerun", selection_mode="points")
        points = list(event.selection.points)
    else:
        st.plotly_chart(fig, key=key, width="stretch")
    st.caption(f"口径：{note}")
    chart_downloads(fig, note, key)
    return points


def show_view_chart(chart: Chart, key: str = "", on_select: bool = False) -> list[dict]:
    """A view's chart (analytics/views) with its 口径, as show_chart draws it; `key` defaults to the chart's own."""
    return show_chart(chart.figure, chart.note, key or chart.key, on_select)


def file_name(title: str, suffix: str) -> str:
    """A download's file name from a chart or table title (no characters that file systems refuse)."""
    stem = re.sub(r"<br>|[\\/:*?\"<>|\s]+", "_", title).strip("_") or "export"
    return f"{stem[:60]}.{suffix}"


def chart_downloads(fig: go.Figure, note: str, key: str) -> None:
    """PNG (print resolution, 300 dpi) and SVG buttons for a chart as drawn, its 口径 written under its title.

    The image is rendered only when a button is clicked (about 0.3 s each, a few seconds for the first one of the
    server), never on a rerun: the button holds a function, not the bytes.
    """
    title = fig.layout.title.text or key
    with st.popover("下载图表", icon=":material/download:"):
        for fmt, label, render in (("png", "PNG（打印分辨率）", images.png), ("svg", "SVG（矢量）", images.svg)):
            st.download_button(
                label, data=lambda render=render: render(charts.with_note(fig, f"口径：{note}")),
                file_name=file_name(title, fmt), mime=MIME[fmt], key=f"{key}_{fmt}", on_click="ignore", width="stretch",
            )  # fmt: skip


MISSING = "—"  # how a table cell shows a figure the report does not state (never 0, never "None")


def table(frame: Any, key: str, **options: Any) -> Any:
    """Every table of the dashboard (st.dataframe): index hidden and an unstated value shown as MISSING rather
    than Streamlit's "None". Returns what st.dataframe returns (the selection, with on_select)."""
    return st.dataframe(frame, key=key, **{"hide_index": True, "placeholder": MISSING, **options})


def show_table(
    frame: pl.DataFrame,
    key: str,
    title: str,
    note: str = "",
    kinds: dict[str, str] | None = None,
    **options: Any,
) -> Any:
    """A page's table (st.dataframe, index hidden) with an Excel download of exactly what it shows; `kinds` names
    columns' number formats ("count", "rate", "year") where the column types alone do not say. The workbook is
    written only when the button is clicked. Returns what st.dataframe returns (the selection, with on_select)."""
    shown = table(frame, key=key, **options)
    st.download_button(
        "下载Excel", data=lambda: excel.table_workbook(frame, title, note, kinds), file_name=file_name(title, "xlsx"),
        mime=MIME["xlsx"], key=f"{key}_xlsx", on_click="ignore", icon=":material/download:", type="tertiary",
    )  # fmt: skip
    return shown


def _options() -> pl.DataFrame:
    return data.fetch("selection_options")


_LAST = "_last_selection"  # (page, Selection) of the last run, kept in the session (not a widget key)


def sidebar_selection(page: str = "") -> Selection:
    """Draw the shared filters in the sidebar, starting from the URL, and write the choice back to the URL.

    Opening another page from the menu drops the URL's parameters and the widgets of the page left behind; the
    new page then starts from the selection last made in this session. On the same page, a URL without
    parameters means the user cleared the filters.
    """
    opts = auth.limit_options(_options())  # a 单位填报人 sees only its own unit
    initial = _initial_selection(page)
    side = st.sidebar
    side.header("筛选")
    regions = _multi(side, "地区", sorted(opts["region"].unique().to_list()), initial.regions, "f_region")
    levels = _multi(side, "层级", list(LEVELS), initial.levels, "f_level", LEVELS)
    types = _multi(side, "类型", list(TYPES), initial.types, "f_type", TYPES)
    pool = _narrow(opts, regions, levels, types)
    agencies = _multi(side, "单位", pool["agency"].to_list(), initial.agencies, "f_agency")
    year_from, year_to = _years(side, opts, initial)
    chosen = Selection(tuple(regions), tuple(levels), tuple(types), tuple(agencies), year_from, year_to)
    _write_url(chosen)
    chosen = auth.limit_selection(chosen)
    st.session_state[_LAST] = (page, chosen)
    return chosen


def _initial_selection(page: str) -> Selection:
    """The selection the URL describes, or, arriving from another page with a bare URL, the session's last one."""
    in_url = {k: st.query_params.get_all(k) for k in _URL_KEYS}
    last_page, last = st.session_state.get(_LAST, (page, None))
    if last is not None and last_page != page and not any(in_url.values()):
        return last
    return from_query(in_url)


def _multi(side, label: str, options: list[str], initial, key: str, names: dict | None = None) -> list[str]:
    default = [v for v in initial if v in options]
    fmt = (lambda v: names.get(v, v)) if names else str
    return side.multiselect(label, options, default=default, key=key, format_func=fmt, placeholder="全部")


def _narrow(opts: pl.DataFrame, regions: list[str], levels: list[str], types: list[str]) -> pl.DataFrame:
    """The agencies that the region, level and type filters leave."""
    if regions:
        opts = opts.filter(pl.col("region").is_in(regions))
    if levels:
        opts = opts.filter(pl.col("agency_level").is_in(levels))
    if types:
        opts = opts.filter(pl.col("agency_type").is_in(types))
    return opts


def _years(side, opts: pl.DataFrame, initial: Selection) -> tuple[int | None, int | None]:
    """A year range slider over the years the database holds."""
    if opts.is_empty():
        return None, None
    low, high = int(opts["first_year"].min()), int(opts["last_year"].max())
    if low == high:
        side.caption(f"年度：{low}")
        return low, high
    start = min(max(initial.year_from or low, low), high)
    end = max(min(initial.year_to or high, high), start)
    chosen = side.slider("年度", low, high, (start, end), key="f_years")
    return int(chosen[0]), int(chosen[1])


def _write_url(chosen: Selection) -> None:
    """Keep the URL equal to the selection so that a bookmarked or shared link opens the same view."""
    wanted = chosen.to_query()
    for key in _URL_KEYS:
        if key in wanted:
            if st.query_params.get_all(key) != (wanted[key] if isinstance(wanted[key], list) else [wanted[key]]):
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def freshness() -> None:
    """When the data was last loaded, in the sidebar."""
    path, _, mtime_ns = live.version()
    loaded = dt.datetime.fromtimestamp(mtime_ns / 1e9).strftime("%Y-%m-%d %H:%M")
    st.sidebar.caption(f"数据更新于 {loaded}（{Path(path).name}）")


def page_frame(title: str) -> Selection:
    """What every page starts with: the app title and shared filters in the sidebar, the data's age, the heading.

    The filters are drawn by each page (same widget keys everywhere, so the choice carries across pages) and
    mirrored in the URL.
    """
    st.sidebar.title("政务公开年报分析看板")
    chosen = sidebar_selection(title)
    freshness()
    st.header(title)
    return chosen
