"""复议诉讼: the three blocks of section 四 (行政复议, 未经复议直接起诉, 复议后起诉) per agency and year as printed,
their correction rates over concluded cases, and a warning wherever a printed total disagrees with its parts (R4).

Queries: review_blocks, selection_rates.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.views import drawn_note, review
from loaders.keys import REVIEW_BLOCK_LABELS
from ui import data, textview, url_state
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = (*review.QUERIES, "selection_rates")

TOP = review.TOP  # agencies drawn in a chart (at most BARS reports); the table lists all
MAX_WARNINGS = 20  # R4 warnings written out on the page; 问题核查 lists every finding


def _warnings(blocks: pl.DataFrame) -> None:
    """One warning per block whose printed 总计 disagrees with its parts, with the finding's own message."""
    flagged = blocks.filter(pl.col("r4_message").is_not_null())
    if flagged.height > MAX_WARNINGS:
        st.caption(
            f"共 {flagged.height:,} 个栏目总计与分项之和不符（R4），下面列出前 {MAX_WARNINGS} 个；"
            "全部见“问题核查”页，表格的“下载Excel”也包含全部栏目。"
        )
    for row in flagged.head(MAX_WARNINGS).iter_rows(named=True):
        agency, message = textview.markdown_text(row["agency"]), textview.markdown_text(row["r4_message"])
        st.warning(
            f"{agency} {row['year']}年报告：{message}。"
            "总计与分项之和不符（R4），图表与表格按报告原文显示，该栏不计入任何纠错率（本页、总览、评分与简报相同）。"
        )


# Each headline rate: the name of its selection_rates columns (<name>_rate, _num, _den)
HEADLINE = {
    "行政复议纠错率": "review_correction",
    "未经复议直接起诉纠错率": "direct_correction",
    "复议后起诉纠错率": "after_review_correction",
    "行政诉讼纠错率": "litigation_correction",
    "复议诉讼合计纠错率": "correction",
}


def _headline(totals: dict) -> None:
    """The selection's correction rate per block, over both kinds of suit and over all three (selection_rates)."""
    # markdown rather than st.metric: the large metric type cuts "42.9%（3/7）" short in a narrow column
    for column, (label, name) in zip(st.columns(len(HEADLINE)), HEADLINE.items(), strict=True):
        text = ui.rate_with_counts(totals[f"{name}_rate"], totals[f"{name}_num"], totals[f"{name}_den"])
        column.markdown(f"{label}  \n**{text}**")
    st.caption(
        "纠错率 = 结果纠正 /（总计 − 尚未审结），只算已审结的案件；没有已审结案件或未填报时显示“—”。"
        "只计结果纠正、总计、尚未审结均已填报且总计与分项相符的栏目；已含在所选上级单位报告中的下级单位不重复相加。"
    )
    for note in ui.total_notes(totals):
        st.caption(textview.markdown_text(note))


def _block_chart(blocks: pl.DataFrame, block: str, label: str) -> None:
    """The view's chart of one block: five figures per report, 总计 drawn as printed beside its parts."""
    chart = review.block_chart(blocks, block)
    if chart is None:
        st.info(f"所选报告没有填报{label}。")
        return
    ui.show_view_chart(chart, f"review_chart_{block}")


def _charts(blocks: pl.DataFrame) -> None:
    """A tab per block of section 四."""
    blocks_by_label = {label: block for block, label in REVIEW_BLOCK_LABELS.items()}
    tabs = url_state.tabs(st, list(blocks_by_label), key="review_block", url="block", token=blocks_by_label.__getitem__)
    for tab, (block, label) in zip(tabs, REVIEW_BLOCK_LABELS.items(), strict=True):
        with tab:
            _block_chart(blocks, block, label)
    note = drawn_note(blocks, "total", "案件", TOP)
    if note:
        st.caption(note)


selection = ui.selection()
blocks = data.fetch("review_blocks", **selection.params())
totals = data.fetch("selection_rates", **selection.params()).row(0, named=True)

if blocks.is_empty():
    st.info("所选范围内没有填报行政复议、行政诉讼情况的报告。请调整左侧筛选条件。")
    st.stop()

_warnings(blocks)
_headline(totals)
_charts(blocks)
ui.show_table(review.blocks_table(blocks), "review_table", selection)
st.caption("空白（“—”）：报告未填报该项（不是0），或没有已审结的案件。纠错率 = 结果纠正 / 已审结（总计 − 尚未审结）。")
