"""Streamlit pieces every page shares: the sidebar selection kept in the URL, charts with their 口径, rates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from analytics import data
from analytics.state import LEVELS, TYPES, Selection, from_query

_URL_KEYS = ("region", "level", "type", "agency", "from", "to")


def rate(numerator: float | None, denominator: float | None, digits: int = 1) -> str:
    """A percentage as text; "—" when the denominator is zero or unknown (never 0% or 100% by default)."""
    if numerator is None or denominator is None or denominator == 0:
        return "—"
    return f"{numerator / denominator * 100:.{digits}f}%"


def rate_with_counts(numerator: float | None, denominator: float | None) -> str:
    """A rate with the counts it divides, e.g. 61.0%（64/105）; "—" as rate() gives it."""
    shown = rate(numerator, denominator)
    return shown if shown == "—" else f"{shown}（{count(numerator)}/{count(denominator)}）"


def count(value: float | None) -> str:
    """A count as text; "—" when the reports do not state it."""
    return "—" if value is None else f"{value:,.0f}"


def show_chart(fig: go.Figure, note: str, key: str) -> None:
    """A chart with its 口径 (definition and source) written under it."""
    st.plotly_chart(fig, key=key, width="stretch")
    st.caption(f"口径：{note}")


def _options() -> pl.DataFrame:
    return data.fetch("selection_options")


def sidebar_selection() -> Selection:
    """Draw the shared filters in the sidebar, starting from the URL, and write the choice back to the URL."""
    opts = _options()
    initial = from_query({k: st.query_params.get_all(k) for k in _URL_KEYS})
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
    return chosen


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
    path, _, mtime_ns = data.version()
    loaded = dt.datetime.fromtimestamp(mtime_ns / 1e9).strftime("%Y-%m-%d %H:%M")
    st.sidebar.caption(f"数据更新于 {loaded}（{Path(path).name}）")


def page_frame(title: str) -> Selection:
    """What every page starts with: the app title and shared filters in the sidebar, the data's age, the heading.

    The filters are drawn by each page (same widget keys everywhere, so the choice carries across pages) and
    mirrored in the URL.
    """
    st.sidebar.title("政务公开年报分析看板")
    chosen = sidebar_selection()
    freshness()
    st.header(title)
    return chosen
