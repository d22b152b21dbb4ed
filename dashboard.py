"""政务公开年报分析看板: the frame (page config, database, navigation, shared filters, data freshness)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from analytics import live
from config import SAMPLE_DATA_DIR, SAMPLE_ROSTER, SAMPLE_WORKPLAN, db_path, write_memory
from ui import auth
from ui import widgets as ui
from ui.textview import markdown_text

# Every page of the dashboard, in menu order: (file, title, url path, menu section, filters). A meta-test checks each
# is tested. `filters`: the page reads the shared sidebar selection, which the frame draws once before the page runs;
# a page that does not filter says so in the sidebar. A section's pages stand together.
PAGES = (
    ("app_pages/overview.py", "总览", "overview", "概览与分析", True),
    ("app_pages/trends.py", "申请趋势", "trends", "概览与分析", True),
    ("app_pages/outcomes.py", "办理结果", "outcomes", "概览与分析", True),
    ("app_pages/review.py", "复议诉讼", "review", "概览与分析", True),
    ("app_pages/proactive.py", "主动公开", "proactive", "概览与分析", True),
    ("app_pages/proposals.py", "建议提案", "proposals", "概览与分析", True),
    ("app_pages/compare.py", "单位对比", "compare", "概览与分析", True),
    ("app_pages/report.py", "报告详情", "report", "概览与分析", True),
    ("app_pages/findings.py", "问题核查", "findings", "核查", True),
    ("app_pages/similarity.py", "雷同检查", "similarity", "核查", True),
    ("app_pages/coverage.py", "报送情况", "coverage", "核查", True),
    ("app_pages/scoring.py", "评分排名", "scoring", "评估", True),
    ("app_pages/workplan.py", "工作要点", "workplan", "评估", False),
    ("app_pages/briefing.py", "简报导出", "briefing", "导出与导入", True),
    ("app_pages/upload.py", "导入", "upload", "导出与导入", False),
    ("app_pages/accounts.py", "账户与审计", "accounts", "管理", False),
)
APP_TITLE = "政务公开年报分析看板"


def build_sample_db(path: Path) -> None:
    """Build the database from the bundled sample reports, roster and work plan (first run only)."""
    from loaders.roster import import_roster  # the writers are imported only when there is something to write
    from loaders.store import ingest
    from loaders.workplan import import_workplan

    path.parent.mkdir(parents=True, exist_ok=True)
    with st.spinner(f"正在用示例数据构建数据库 / building {markdown_text(path.name)} from sample data …"):
        ingest([SAMPLE_DATA_DIR], path, progress=False)
        import_roster(SAMPLE_ROSTER, path)
        import_workplan(SAMPLE_WORKPLAN, path)


def upgrade_db(path: Path) -> None:
    """Have the loader rebuild a database that an older version of the code built."""
    from loaders.store import upgrade  # the writer is imported only when there is something to write

    with st.spinner(f"正在升级数据库 / upgrading {markdown_text(path.name)} to this version …"):
        upgrade(path)


@st.cache_data(show_spinner=False)
def _is_current(version: tuple[str, int, int]) -> bool:
    """Whether this version's sql/ files built the database, asked once per file version (path, inode, modification
    time) through the app's own connection: a second connection to the same path would share DuckDB's instance of
    the file and could leave the app reading the old file after a swap."""
    from loaders import store

    path = Path(version[0])
    if not live.run("relation_exists", path, relation="schema_info")["present"].item():
        return False
    return live.run("schema_fingerprint", path)["fingerprint"].to_list() == [store.schema_fingerprint()]


def ensure_db(path: Path) -> None:
    """Make sure the database file exists and was built by this version: build it from the sample data if it is
    missing, have the loader rebuild its views and facts if an older version built it."""
    try:
        write_memory()  # a wrong write memory budget is said here, before any page can write
        if not path.is_file():
            build_sample_db(path)
        elif not _is_current(live.version(path)):
            upgrade_db(path)
    except Exception as exc:  # shown to the user, then the page stops
        st.error(markdown_text(f"无法构建数据库 / cannot build the database {path}: {exc}"))
        st.stop()


def main() -> None:
    """Set up the page, ask an anonymous visitor to sign in, set up the data, draw the frame (the shared filters
    once, for a page that filters), then run the chosen page."""
    st.set_page_config(page_title=APP_TITLE, layout="wide")
    account = auth.require_sign_in(PAGES)  # an anonymous visitor sees only the sign-in page
    path = db_path()
    ensure_db(path)
    live.connection(path)
    page = st.navigation(auth.menu(account, PAGES), expanded=True)  # the role's pages, none behind "View more"
    st.set_page_config(page_title=f"{page.title} · {APP_TITLE}")
    ui.frame(page.title, auth.page_filters(account, PAGES)[page.title])
    auth.sidebar_account(account)
    page.run()


if __name__ == "__main__":  # Streamlit runs the script as __main__; a process that imports it (a worker started by
    # spawn re-reads its parent's main script as __mp_main__) runs nothing
    main()
