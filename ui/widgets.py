"""Streamlit pieces every page shares: the sidebar selection kept in the URL, charts with their 口径 and PNG/SVG
downloads, tables with an Excel download, rates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from analytics import charts, live
from analytics.state import LEVELS, TYPES, Selection, from_query
from analytics.views import Chart, Table, scope_words
from exports import excel, images
from exports.files import MIME
from ui import auth, data, textview, url_state

# the named queries this module runs
# run by the frame (and ui.auth's unit_names for a 单位填报人)
QUERIES = ("selection_options", "selection_regions", "selection_units", "data_updated")

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
        listed, total = len(totals["covered"]), totals["covered_reports"]
        more = f"等，共 {total:,} 份报告（只列出前 {listed} 份）" if total > listed else ""
        notes.append("合计未重复计入：" + "、".join(totals["covered"]) + more + "。")
    if totals["mixed_levels"]:
        notes.append(MIXED_LEVELS)
    return notes


WAN = 100_000  # from here on a count on a card reads in 万 (ten thousands), as Chinese figures are read


def count(value: float | None) -> str:
    """A count as text, in 万 from WAN on (12.35万); "—" when the reports do not state it."""
    if value is None:
        return "—"
    if abs(value) >= WAN:
        return f"{value / 10_000:,.2f}".rstrip("0").rstrip(".") + "万"
    return f"{value:,.0f}"


def show_chart(fig: go.Figure, note: str, key: str, on_select: bool = False) -> list[dict]:
    """A chart with its 口径 (definition and source) written under it.

    With `on_select`, clicking a point reruns the page and the clicked points are returned (each with its `x`,
    `y` and `customdata`); otherwise, and before any click, the list is empty.
    """
    points: list[dict] = []
    shown = charts.escaped(fig)  # unit names and other data drawn as text, never as Plotly's HTML
    if on_select:
        event = st.plotly_chart(shown, key=key, width="stretch", on_select="rerun", selection_mode="points")
        points = charts.unescaped_points(list(event.selection.points))
    else:
        st.plotly_chart(shown, key=key, width="stretch")
    st.caption(f"口径：{note}")  # the view's own words: a note quotes no report text
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


GRID_ROWS = 200  # rows a table sends to the browser at most; more would make a page megabytes long
MISSING = "—"  # how a table cell shows a figure the report does not state (never 0, never "None")


def table(frame: Any, key: str, **options: Any) -> Any:
    """Every table of the dashboard (st.dataframe): index hidden and an unstated value shown as MISSING rather
    than Streamlit's "None". Returns what st.dataframe returns (the selection, with on_select)."""
    return st.dataframe(frame, key=key, **{"hide_index": True, "placeholder": MISSING, **options})


def show_table(
    view: Table,
    key: str,
    selection: Selection | str,
    on_screen: pl.DataFrame | None = None,
    row_style: Callable[[pd.Series], list[str]] | None = None,
    full: Callable[[], Table] | None = None,
    grid_rows: int | None = None,
    **options: Any,
) -> Any:
    """A view's table (analytics/views) as a grid of typed columns, and its Excel download.

    Numbers stay numbers, so a column sorts by value: counts with thousands separators, rates as percentages, years
    and line numbers plain; an unstated value is an empty cell shown as MISSING, never 0. Each heading's tooltip is
    the column's 口径. The workbook (exports/excel.py) holds the same rows under a header block (the selection,
    the data's date, the 口径) and is written only when the button is clicked. `on_screen` holds columns the grid
    shows after the table's and the file leaves out (links to other pages); `row_style` shades rows (a pandas
    Styler function). `selection` is the sidebar's, or the page's own scope in words. The grid shows the first
    `grid_rows` rows (GRID_ROWS unless told), with a note saying how many there are; the workbook holds every row
    (of `full()` when the page passes only one page of a longer table). Returns what st.dataframe returns (the
    selection, with on_select)."""
    config = {**column_config(view), **options.pop("column_config", {})}
    frame = view.frame if on_screen is None else view.frame.hstack(on_screen)
    frame = frame.head(grid_rows or GRID_ROWS)  # the browser gets the first rows; the workbook holds every one
    grid = frame if row_style is None else _styled(frame, view, row_style)
    shown = table(grid, key=key, column_config=config, **options)
    if view.frame.height > frame.height:
        st.caption(rows_shown_note(frame.height, view.frame.height))
    scope = selection if isinstance(selection, str) else scope_words(selection)
    date = data_date()

    def workbook() -> bytes:
        return excel.table_workbook(full() if full else view, scope, date)

    st.download_button(
        "下载Excel", data=workbook, file_name=file_name(view.title, "xlsx"),
        mime=MIME["xlsx"], key=f"{key}_xlsx", on_click="ignore", icon=":material/download:", type="tertiary",
    )  # fmt: skip
    return shown


def rows_shown_note(shown: int, total: int, first: int = 1) -> str:
    """The note under a table the page cuts short: which rows are shown of how many, and where the rest are."""
    span = f"前 {shown:,} 行" if first == 1 else f"第 {first:,}–{first + shown - 1:,} 行"
    return f"显示{span} / 共 {total:,} 行；完整表格请点“下载Excel”。"


NUMBER_FORMATS = {  # st.column_config formats of the numeric kinds of analytics.views.Column
    "count": "%,d",
    "rate": "percent",
    "percent": "%.1f%%",
    "year": "%d",
    "ordinal": "%d",
    "number": "localized",
    "score": "%.2f",
}


def _styled(frame: pl.DataFrame, view: Table, row_style: Callable[[pd.Series], list[str]]) -> Any:
    """The frame as a pandas Styler with rows shaded; numbers keep their values and show as whole numbers with
    separators (or as the column's kind says), an unstated one as MISSING."""
    kinds = view.kinds()
    formats = {name: STYLER_FORMATS[kinds[name]] for name in frame.columns if kinds.get(name) in STYLER_FORMATS}
    return frame.to_pandas().style.apply(row_style, axis=1).format(formats, na_rep=MISSING)


STYLER_FORMATS = {"count": "{:,.0f}", "rate": "{:.1%}", "year": "{:.0f}", "ordinal": "{:.0f}", "number": "{:,g}"}


def column_config(view: Table) -> dict[str, Any]:
    """Each column of a view's table typed for the grid, its 口径 as the heading's tooltip."""
    config: dict[str, Any] = {}
    for column in view.columns:
        help_text = column.note or None
        if column.kind in NUMBER_FORMATS:
            config[column.name] = st.column_config.NumberColumn(format=NUMBER_FORMATS[column.kind], help=help_text)
        else:
            config[column.name] = st.column_config.TextColumn(help=help_text)
    return config


def data_date() -> str:
    """When the data last changed (data_updated: the latest row written), else when the file was last written."""
    updated = data.fetch("data_updated")["updated_at"].item()
    when = updated if updated is not None else dt.datetime.fromtimestamp(live.version()[2] / 1e9)
    return f"{when:%Y-%m-%d %H:%M}"


def _options() -> pl.DataFrame:
    return data.fetch("selection_options")


_LAST = "_last_selection"  # the Selection of the last page that filtered, kept in the session (not a widget key)
_PAGE = "_frame_page"  # the title of the page the last run showed
_SELECTION = "_frame_selection"  # the Selection the frame drew for the page now running
_WIDGET_KEYS = ("f_region", "f_region_search", "f_level", "f_type", "f_agency", "f_agency_search", "f_years")
NO_FILTERS = "本页不使用筛选"
CHOICES = 100  # names the 地区 and 单位 pickers send at most; past that, a search box finds the others


def sidebar_selection(page: str = "") -> Selection:
    """Draw the shared filters in the sidebar, starting from the URL, and write the choice back to the URL.

    Opening another page from the menu drops the URL's parameters; the new page then keeps the selection last made
    in this session. Arriving on a page with a URL that names a selection (a bookmark, a link) shows that
    selection. On the same page, a URL without parameters means the user cleared the filters.
    """
    opts = auth.limit_options(_options())  # a 单位填报人 sees only its own unit
    names = auth.visible_names()
    visible = None if names is None else sorted(names)
    initial = _initial_selection(page)
    side = st.sidebar
    side.header("筛选")
    regions = _searched(side, "地区", "f_region", initial.regions, "selection_regions", visible=visible)
    levels = _multi(side, "层级", list(LEVELS), initial.levels, "f_level", LEVELS)
    types = _multi(side, "类型", list(TYPES), initial.types, "f_type", TYPES)
    narrowing = {"regions": regions, "levels": levels, "types": types, "visible": visible}
    agencies = _searched(side, "单位", "f_agency", initial.agencies, "selection_units", **narrowing)
    year_from, year_to = _years(side, opts, initial)
    chosen = Selection(tuple(regions), tuple(levels), tuple(types), tuple(agencies), year_from, year_to)
    _write_url(chosen)
    chosen = auth.limit_selection(chosen)
    st.session_state[_LAST] = chosen
    return chosen


def _initial_selection(page: str) -> Selection:
    """The selection the filters start from: on arrival at a page, the URL's if it names one (the filters left
    from the page before are reset to it), else the session's last one; on the same page, the URL's."""
    in_url = {k: st.query_params.get_all(k) for k in _URL_KEYS}
    if st.session_state.get(_PAGE) == page:
        return from_query(in_url)
    if any(in_url.values()):
        for key in _WIDGET_KEYS:
            st.session_state.pop(key, None)
        return from_query(in_url)
    last = st.session_state.get(_LAST)
    return last if last is not None else from_query(in_url)


def _multi(side, label: str, options: list[str], initial, key: str, names: dict | None = None) -> list[str]:
    default = [v for v in initial if v in options]
    fmt = (lambda v: names.get(v, v)) if names else str
    return side.multiselect(label, options, default=default, key=key, format_func=fmt, placeholder="全部")


def _searched(side, label: str, key: str, initial, query: str, **params: Any) -> list[str]:
    """A picker of names (地区 or 单位) that sends the browser at most CHOICES of them: all when there are no more,
    else a search box above the list, which then offers the first CHOICES names holding every word typed (in name
    order), with a note saying how many match. Names already chosen always stay on offer."""
    chosen = st.session_state.get(key, list(initial))  # the widget's value once drawn, else the URL's
    ask = {**params, "chosen": list(chosen), "row_limit": CHOICES}
    found = data.fetch(query, search=None, **ask)
    total = _matching(found)
    search = ""
    if total > CHOICES:
        search = url_state.search_box(side, label, key)
        if search:
            found = data.fetch(query, search=search, **ask)
    column = found.columns[0]
    options = found[column].to_list()
    default = [v for v in initial if v in options]
    picked = side.multiselect(label, options, default=default, key=key, placeholder="全部")
    if total > CHOICES:
        side.caption(url_state.search_note(label, search, _matching(found) if search else total, CHOICES))
    return picked


def _matching(found: pl.DataFrame) -> int:
    """How many names a picker's search matched (0 when the query returned only the chosen ones, or nothing)."""
    return int(found["matching"].max() or 0)


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
    path, _, _ = live.version()
    st.sidebar.caption(f"数据更新于 {data_date()}（{textview.markdown_text(Path(path).name)}）")


def frame(title: str, filters: bool) -> None:
    """What the frame (dashboard.py) draws before every page runs: the app title, the shared filters in the sidebar
    (kept in the URL) for a page that reads them or a note that the page does not, the data's age, the heading."""
    st.sidebar.title("政务公开年报分析看板")
    url_state.open_page(title, arrived=st.session_state.get(_PAGE) != title)
    if filters:
        st.session_state[_SELECTION] = sidebar_selection(title)
    else:
        st.sidebar.caption(NO_FILTERS)
        st.session_state.pop(_SELECTION, None)
    st.session_state[_PAGE] = title
    freshness()
    st.header(title)


def selection() -> Selection:
    """The shared selection the frame drew in the sidebar for the page now running (see PAGES in dashboard.py)."""
    if _SELECTION not in st.session_state:
        raise RuntimeError("本页在页面列表中声明为不使用筛选 / this page is listed as not using the shared filters")
    return st.session_state[_SELECTION]
