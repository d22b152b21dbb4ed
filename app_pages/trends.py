"""申请趋势: requests per agency across the years, new against carried over and carried forward, each report a
click away.

Queries: trends_requests.
"""

from __future__ import annotations

from urllib.parse import urlencode

import polars as pl
import streamlit as st

from analytics import charts
from analytics.state import Selection
from analytics.views import trends
from ui import data, url_state
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = (*trends.QUERIES,)

MEASURES = {"requests_new": "本年新收", "carried_over": "上年结转", "carried_forward": "结转下年"}
REPORT_PAGE = "app_pages/report.py"
CHOICES = 100  # units the flow chart's picker lists at most; a search box finds the others


def _requests_chart(rows: pl.DataFrame, agencies: list[str], selection: Selection) -> None:
    """The view's line per agency; a click on a point opens that year's report."""
    clicked = clicked_report(ui.show_view_chart(trends.requests_chart(rows), "trends_requests", on_select=True))
    if clicked is not None:
        st.switch_page(REPORT_PAGE, query_params=report_query(selection, clicked))
    st.caption("点击图中的点，打开该单位该年度的报告详情。")
    top = trends.TOP  # lines drawn
    if len(agencies) > top:
        st.caption(f"图中只画出申请量最多的{top}个单位（共{len(agencies)}个）；请用左侧筛选缩小范围，下表列出全部。")


def _flow_chart(rows: pl.DataFrame, agencies: list[str]) -> None:
    """For one chosen agency: new, carried over and carried forward requests side by side per year."""
    agency = url_state.searched_selectbox(
        st, "单位", agencies, agencies[0], key="trends_agency", url="unit", limit=CHOICES, order="按申请量排序"
    )
    one = rows.filter(pl.col("agency") == agency).select(
        pl.format("{}年", pl.col("year")).alias("年度"), *[pl.col(k).alias(v) for k, v in MEASURES.items()]
    )
    long = one.unpivot(index="年度", variable_name="指标", value_name="件数")
    title = f"{agency}：本年新收、上年结转与结转下年"
    fig = charts.grouped_bars(long, "年度", "件数", "指标", title, "年度", "件数")
    note = (
        "第三部分表格总计列的“本年新收”“上年结转”“结转下年度继续办理”三行；文字报告通常只说明申请总数。"
        "没有报告或未填报的年份不画柱（不是0）。"
    )
    ui.show_chart(fig, note, "trends_flow")


def clicked_report(points: list[dict]) -> str | None:
    """The report id of the clicked point (customdata [hover text, report id]); None for no click or no report."""
    for point in points:
        custom = point.get("customdata")
        if isinstance(custom, list) and len(custom) > 1 and custom[1]:
            return str(custom[1])
    return None


def report_query(selection: Selection, report_id: str) -> dict[str, list[str] | str]:
    """URL query parameters of a report's 报告详情 page that keep the sidebar selection."""
    return {**selection.to_query(), "report": report_id}


def _link(report_id: str | None, selection: Selection) -> str | None:
    """The 报告详情 page of one report, with the sidebar selection in its URL."""
    return None if report_id is None else f"/report?{urlencode(report_query(selection, report_id), doseq=True)}"


def _table(rows: pl.DataFrame, selection: Selection) -> None:
    """The view's table of every agency and year, with a link to each report on screen."""
    links = pl.DataFrame({"报告": [_link(r, selection) for r in rows["report_id"]]}, schema={"报告": pl.String})
    config = {"报告": st.column_config.LinkColumn("报告", display_text="报告详情")}
    ui.show_table(trends.requests_table(rows), "trends_table", selection, links, column_config=config)
    st.caption(
        "空白（“—”）表示报告未填报该项（不是0）；“（无报告）”表示该单位该年度没有报告。点“报告详情”打开该份报告。"
    )


selection = ui.selection()
rows = data.fetch("trends_requests", **selection.params())

if rows.is_empty():
    st.info("所选范围内没有年度报告。请调整左侧筛选条件，或在“导入”页导入报告。")
    st.stop()

rows = trends.labelled(rows)
agencies = trends.ranked_agencies(rows)
reports = rows["report_id"].drop_nulls().len()
st.caption(f"{len(agencies)}个单位，{reports}份报告，{rows.height - reports}个单位年度没有报告。")
_requests_chart(rows, agencies, selection)
_flow_chart(rows, agencies)
_table(rows, selection)
