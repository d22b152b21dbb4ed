"""总览: the selection at a glance, with the change from the year before.

Queries: overview_by_year.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.views import overview
from ui import data
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = (*overview.QUERIES,)

selection = ui.page_frame("总览")
by_year = data.fetch("overview_by_year", **selection.params())

if by_year.is_empty():
    st.info("所选范围内没有报告。请调整左侧筛选条件，或在“导入”页导入报告。")
    st.stop()

latest = by_year.row(-1, named=True)
previous = by_year.row(-2, named=True) if by_year.height > 1 else None


def _delta(key: str) -> str | None:
    """Change from the previous year as text, or None when either year does not state the figure."""
    if previous is None or latest[key] is None or previous[key] is None:
        return None
    return f"{latest[key] - previous[key]:+,.0f}（较{previous['year']}年）"


st.subheader(f"{latest['year']}年")
row1 = st.columns(4)
row1[0].metric("报告数", ui.count(latest["reports"]), _delta("reports"))
row1[1].metric("单位数", ui.count(latest["units"]), _delta("units"))
row1[2].metric("收到申请（本年新收）", ui.count(latest["requests_new"]), _delta("requests_new"))
row1[3].metric("办理总计", ui.count(latest["handled"]), _delta("handled"))
row2 = st.columns(3)
row2[0].metric("实质公开率", ui.rate(latest["disclosed"], latest["handled"]))
row2[1].metric("复议诉讼纠错率", ui.rate(latest["corrected"], latest["concluded"]))
row2[2].metric("待核实问题", ui.count(latest["findings"]), _delta("findings"), delta_color="inverse")
st.caption(
    "实质公开率 = (予以公开 + 部分公开) / 办理总计；复议诉讼纠错率 = 结果纠正 / 已审结（总计 − 尚未审结）；"
    "分母为 0 或未填报时显示“—”。"
)

ui.show_view_chart(overview.trend_chart(by_year))

table = by_year.select(
    pl.col("year").alias("年度"),
    pl.col("reports").alias("报告数"),
    pl.col("units").alias("单位数"),
    pl.col("requests_new").alias("收到申请"),
    pl.col("handled").alias("办理总计"),
    pl.col("findings").alias("问题数"),
)
ui.show_table(table, "overview_table", "年度汇总")
