"""政务公开年报分析看板: the Streamlit frame (page config, database, overview of the stored reports)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from analytics import queries
from analytics.db import connect
from config import SAMPLE_DATA_DIR, db_path

OVERVIEW_COLUMNS = {
    "agency": "机构",
    "year": "年度",
    "template": "模板",
    "n_figures": "数字个数",
    "n_findings": "问题数",
    "source": "文件",
}


def build_sample_db(path: Path) -> None:
    """Build the database from the bundled sample reports (first run only)."""
    from loaders.store import ingest  # the writer is imported only when there is something to write

    path.parent.mkdir(parents=True, exist_ok=True)
    with st.spinner(f"正在用示例数据构建数据库 / building {path.name} from sample data …"):
        ingest([SAMPLE_DATA_DIR], path, progress=False)


@st.cache_resource(max_entries=4)
def open_db(path: str, mtime_ns: int) -> duckdb.DuckDBPyConnection:
    """One read-only connection per database file version (a rebuilt, swapped-in file gets a new one)."""
    del mtime_ns  # part of the cache key only
    return connect(Path(path))


@st.cache_data(max_entries=16)
def load_overview(path: str, mtime_ns: int) -> pl.DataFrame:
    """The report overview of one database file version."""
    return queries.report_overview(open_db(path, mtime_ns))


def show_metrics(overview: pl.DataFrame) -> None:
    """Headline counts: reports, agencies, findings."""
    left, middle, right = st.columns(3)
    left.metric("报告数", overview.height)
    middle.metric("机构数", overview["agency"].n_unique())
    right.metric("问题数", int(overview["n_findings"].sum()))


def show_overview(overview: pl.DataFrame) -> None:
    """The overview: headline counts and a table of the stored reports."""
    st.subheader("总览")
    if overview.is_empty():
        st.info("数据库中还没有报告 / no reports in the database yet")
        return
    show_metrics(overview)
    table = overview.select(list(OVERVIEW_COLUMNS)).rename(OVERVIEW_COLUMNS)
    st.dataframe(table, hide_index=True, key="report_overview")


def ensure_db(path: Path) -> None:
    """Make sure the database file exists, building it from the sample data if it does not."""
    if path.is_file():
        return
    try:
        build_sample_db(path)
    except Exception as exc:  # shown to the user, then the page stops
        st.error(f"无法构建数据库 / cannot build the database {path}: {exc}")
        st.stop()


def main() -> None:
    """Render the page."""
    st.set_page_config(page_title="政务公开年报分析看板", layout="wide")
    st.title("政务公开年报分析看板")
    path = db_path()
    ensure_db(path)
    overview = load_overview(str(path), path.stat().st_mtime_ns)
    show_overview(overview)
    st.caption(f"数据库 / database: {path.name}")


main()
