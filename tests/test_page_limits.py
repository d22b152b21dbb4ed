"""Pages send the browser only what they show: a long table shows its first rows with a note saying how many there
are, its Excel download keeps every row; 雷同检查 lists its comparisons a page at a time, counted in full."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from analytics import queries
from analytics.db import connect
from analytics.state import Selection
from tests.apptest_support import run_page
from ui import widgets

Deferred = dict[str, Callable[[], bytes]]


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> Deferred:
    """The functions download buttons hold, by file name, recorded as Streamlit registers them."""
    held: Deferred = {}
    register = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, *, element_id=""):
        held[file_name] = data_callable
        return register(self, data_callable, mimetype, coordinates, file_name, element_id=element_id)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return held


def test_a_long_table_shows_its_first_rows_and_the_excel_keeps_every_row(
    dashboard_db: Path, deferred: Deferred, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(widgets, "GRID_ROWS", 5)
    at = run_page("app_pages/trends.py")
    grid = next(d.value for d in at.dataframe if "本年新收" in d.value.columns)
    assert len(grid) == 5
    con = connect(dashboard_db)
    try:
        total = queries.run(con, "trends_requests", **Selection().params()).height
    finally:
        con.close()
    assert total > 5
    assert f"显示前 5 行 / 共 {total:,} 行；完整表格请点“下载Excel”。" in [c.value for c in at.caption]
    sheet = openpyxl.load_workbook(io.BytesIO(deferred["各单位申请情况.xlsx"]())).active
    header = sheet[sheet.freeze_panes].row - 1
    rows = list(sheet.iter_rows(min_row=header + 1, values_only=True))
    assert len(rows) == total
    assert [list(r[:2]) for r in rows[:5]] == grid[["单位", "年度"]].values.tolist()


def test_a_short_table_has_no_note(dashboard_db: Path):
    at = run_page("app_pages/trends.py", {"agency": "张店区人民政府"})
    assert not any("完整表格请点" in c.value for c in at.caption)


def test_similarity_pages_are_slices_of_the_whole_list_and_the_headline_counts_it_all(sample_db: Path):
    con = connect(sample_db)
    try:
        asked = {**Selection().params(), "threshold": 0.1, "relations": []}
        whole = queries.run(con, "similarity_sections", **asked, row_limit=None, row_offset=None)
        assert whole.height > 4
        pieces = [
            queries.run(con, "similarity_sections", **asked, row_limit=3, row_offset=start)
            for start in range(0, whole.height, 3)
        ]
        summary = queries.run(con, "similarity_summary", **asked).row(0, named=True)
    finally:
        con.close()
    assert [p.height for p in pieces[:-1]] == [3] * (len(pieces) - 1)
    assert pieces[0].vstack(pieces[1]).equals(whole.head(6))
    assert summary["comparisons"] == whole.height
    assert summary["sections"] == whole.select("report_id", "section").n_unique()
    assert summary["reports"] == whole["report_id"].n_unique()
    assert summary["agencies"] == whole["agency"].n_unique()
    # each row says how many passages it has and where the first one stands, on both sides
    assert (whole["passages"] > 0).all() and whole["first_line"].is_not_null().all()
