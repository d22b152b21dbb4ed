"""雷同检查: the sections of the selected reports that repeat the unit's previous-year report (上年) or a peer
unit's report of the same year (同类) above a threshold, with the repeated passages side by side.

Queries: similarity_summary, similarity_sections (a page of rows at a time), similarity_passages.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics import scoring
from analytics.views import similarity
from ui import data, passages, textview, url_state
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = (*similarity.QUERIES, "similarity_passages", *scoring.QUERIES)

RELATIONS = similarity.RELATIONS
MEASURE = similarity.MEASURE
PAGE_ROWS = 200  # comparisons listed at a time: the table and the picker below it; the Excel file holds them all


def _threshold() -> float:
    """The threshold chosen on the page, as a share (the rubric's threshold to begin with)."""
    default = round(scoring.duplicated_text_threshold() * 100)
    steps = range(10, 101, 5)
    chosen = url_state.slider(
        st, "雷同率阈值（%）", steps, default, key="sim_threshold", url="threshold", format="%d%%"
    )
    return chosen / 100


def _relations() -> list[str]:
    """The comparisons to show: with the previous year, with peers, or both."""
    chosen = url_state.multiselect(
        st, "比较对象", list(RELATIONS), list(RELATIONS), key="sim_relations", url="relations",
        format_func=RELATIONS.get, placeholder="全部",
    )  # fmt: skip
    return chosen or list(RELATIONS)


def _other(row: dict) -> str:
    """The report compared with, in words."""
    return f"{row['other_agency']} {row['other_year']}年"


def _headline(summary: dict) -> None:
    """How many sections, reports and units are above the threshold (similarity_summary: all of them)."""
    left, middle, right = st.columns(3)
    left.metric("超过阈值的部分", summary["sections"])
    middle.metric("涉及报告", summary["reports"])
    right.metric("涉及单位", summary["agencies"])


def _page_offset(total: int) -> int:
    """The first row (0-based) of the page of comparisons chosen; a page picker only when there is more than one."""
    pages = -(-total // PAGE_ROWS)
    if pages <= 1:
        return 0
    page = st.number_input(f"页码（每页{PAGE_ROWS}条，共{pages}页）", 1, pages, 1, key="sim_page")
    return (int(page) - 1) * PAGE_ROWS


def _label(row: dict) -> str:
    """How a comparison reads in the picker."""
    return (
        f"{row['agency']} {row['year']}年 第{row['section']}部分 — {RELATIONS[row['relation']]}"
        f"（{_other(row)}）：{row['score'] * 100:.1f}%"
    )


def _pair_id(row: dict) -> str:
    """A comparison in the URL: both reports, the section and the relation (stable while the reports stand)."""
    return f"{row['report_id']}~{row['section']}~{row['relation']}~{row['other_report_id']}"


def _details(rows: pl.DataFrame) -> None:
    """The passages of the comparison picked, side by side, with links to both reports."""
    st.subheader("相同段落")
    options = list(range(rows.height))
    labels = [_label(r) for r in rows.iter_rows(named=True)]
    ids = [_pair_id(r) for r in rows.iter_rows(named=True)]
    picked = url_state.selectbox(
        st, "查看", options, 0, key="sim_pick", url="pair", token=ids.__getitem__, format_func=labels.__getitem__
    )
    row = rows.row(picked or 0, named=True)
    found = data.fetch(
        "similarity_passages",
        report_id=row["report_id"],
        section=row["section"],
        other_report_id=row["other_report_id"],
        relation=row["relation"],
    )
    _links(row)
    if found.is_empty():
        st.info("两份报告的这一部分没有相同段落。")
        return
    left = f"{row['agency']} {row['year']}年 第{row['section']}部分"
    right = f"{_other(row)} 第{row['section']}部分"
    st.html(passages.side_by_side_html(found.iter_rows(named=True), left, right))
    st.caption("黄色：两份报告相同的文字；橙色：不同之处（多为数字）。")


def _links(row: dict) -> None:
    """Links to both reports on the 报告详情 page, at the first repeated passage."""
    left, right = st.columns(2)
    for column, report_id, line, name in (
        (left, row["report_id"], row["first_line"], f"{row['agency']} {row['year']}年"),
        (right, row["other_report_id"], row["other_first_line"], _other(row)),
    ):
        query = {"report": report_id, **({"line": str(line)} if line else {})}
        column.page_link("app_pages/report.py", label=f"打开报告：{textview.markdown_text(name)}", query_params=query)


selection = ui.selection()
controls = st.columns(2)
with controls[0]:
    threshold = _threshold()
with controls[1]:
    relations = _relations()
asked = {**selection.params(), "threshold": threshold, "relations": relations}
summary = data.fetch("similarity_summary", **asked).row(0, named=True)
if summary["comparisons"] == 0:
    st.info(f"所选范围内没有雷同率达到 {threshold * 100:.0f}% 的部分。可降低阈值或调整左侧筛选条件。")
    st.caption(f"口径：{MEASURE}")
    st.stop()
_headline(summary)
offset = _page_offset(summary["comparisons"])
rows = data.fetch("similarity_sections", **asked, row_limit=PAGE_ROWS, row_offset=offset)
ui.show_table(
    similarity.sections_table(rows, threshold),
    "sim_table",
    selection,
    full=lambda: similarity.sections_table(
        data.fetch("similarity_sections", **asked, row_limit=None, row_offset=None), threshold
    ),
)
if summary["comparisons"] > rows.height:
    st.caption(ui.rows_shown_note(rows.height, summary["comparisons"], offset + 1))
st.caption(f"口径：{MEASURE}")
_details(rows)
