"""政务公开年报分析看板: the frame (page config, database, navigation, shared filters, data freshness)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from analytics import data
from config import SAMPLE_DATA_DIR, db_path

# Every page of the dashboard, in menu order: (file, title, url path). A meta-test checks each is tested.
PAGES = (
    ("app_pages/overview.py", "总览", "overview"),
    ("app_pages/trends.py", "申请趋势", "trends"),
    ("app_pages/outcomes.py", "办理结果", "outcomes"),
    ("app_pages/review.py", "复议诉讼", "review"),
    ("app_pages/report.py", "报告详情", "report"),
    ("app_pages/proactive.py", "主动公开", "proactive"),
    ("app_pages/proposals.py", "建议提案", "proposals"),
    ("app_pages/compare.py", "单位对比", "compare"),
    ("app_pages/upload.py", "导入", "upload"),
)


def build_sample_db(path: Path) -> None:
    """Build the database from the bundled sample reports (first run only)."""
    from loaders.store import ingest  # the writer is imported only when there is something to write

    path.parent.mkdir(parents=True, exist_ok=True)
    with st.spinner(f"正在用示例数据构建数据库 / building {path.name} from sample data …"):
        ingest([SAMPLE_DATA_DIR], path, progress=False)


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
    """Set up the page, the data and the filters, then run the chosen page."""
    st.set_page_config(page_title="政务公开年报分析看板", layout="wide")
    path = db_path()
    ensure_db(path)
    data.connection(path)
    page = st.navigation(
        [st.Page(file, title=title, url_path=url, default=i == 0) for i, (file, title, url) in enumerate(PAGES)]
    )
    page.run()


main()
