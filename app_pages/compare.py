"""单位对比: the selected units side by side for the selected years, on metrics the user picks, each placed among
its peers (its peer group: the roster's, else same level and type) by the P25, P50 and P75 of ALL agencies of
its peer group in the same year. A click on a bar of the peer chart narrows the page to that unit; the note at the
top undoes it.

Queries: compare_units (once per chosen metric).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics import charts
from analytics.views import compare
from loaders.keys import METRICS
from ui import data, focus, url_state
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = ("compare_units",)

DERIVED = compare.DERIVED
DEFAULT_METRICS = ["requests.new", "outcome.total", "rate.disclosure", "rate.correction"]
SECTION_NAMES = compare.SECTION_NAMES
SMALL_SAMPLE = compare.SMALL_SAMPLE
MIN_PEERS = 5  # the mart marks groups with fewer units than this as small samples
MAX_BARS = 30  # the chart stays readable; the tables list more
MAX_ROWS = 500  # a table longer than this is not read, only scrolled, and slows every page view
row_label = compare.row_label


def metric_label(key: str) -> str:
    """A metric as the picker shows it: the part of the report it comes from, then its name."""
    section = "比率" if key in DERIVED else SECTION_NAMES.get(METRICS[key].section, METRICS[key].section)
    return f"{section}｜{row_label(key)}"


def peer_chart(rows: pl.DataFrame, key: str) -> None:
    """The first MAX_BARS units with a value, as bars beside their peer group's quartiles, with the 口径."""
    stated = rows.drop_nulls(f"{key}|value")
    title = f"{row_label(key)}：所选单位与同组P25／P50／P75"
    if stated.is_empty():
        fig = charts.empty(title, "所选单位都没有写明这一指标")
    else:
        quartiles = (f"{key}|p25", f"{key}|p50", f"{key}|p75")
        bars = stated.head(MAX_BARS)
        percent = key in DERIVED
        fig = charts.peer_bars(bars, "label", f"{key}|value", quartiles, title, row_label(key), None, percent, "agency")
    cut = f"按排序显示前{MAX_BARS}个有数值的单位年度；" if stated.height > MAX_BARS else ""
    peers = "同组（名册的同类组；不在名册上的单位按层级与类型）"
    note = f"{cut}竖线为{peers}全部单位同一年度的P25、P50、P75；未写明的单位不画出。"
    points = ui.show_chart(fig, note, focus.chart_key("compare_chart"), on_select=True)
    focus.follow(points, focused, focus.point_unit)
    st.caption("点击图中的柱形，本页缩小到该单位（各年度）；再点一次恢复。")


selection = ui.selection()
options = list(DERIVED) + list(METRICS)
chosen = url_state.multiselect(
    st, "指标", options, DEFAULT_METRICS, key="compare_metrics", url="metrics", format_func=metric_label,
    placeholder="请选择指标",
)  # fmt: skip
if not chosen:
    st.info("请至少选择一个指标。")
    st.stop()

whole = data.fetch("compare_units", metric=chosen[0], **selection.params())
if whole.is_empty():
    st.info("所选范围内没有报告。请调整左侧筛选条件。")
    st.stop()
focused = focus.read(set(whole["agency"]))  # a unit of the selection, or nothing
focus.note(focused, "单位", "类别")
selection = focus.narrowed(selection, focused)  # narrowed to a unit: the same query for that unit only
frames = {key: data.fetch("compare_units", metric=key, **selection.params()) for key in chosen}

left, right = st.columns([3, 1])
sort_key = url_state.selectbox(
    left, "排序依据", chosen, chosen[0], key="compare_sort", url="sort", format_func=row_label
)
descending = url_state.toggle(right, "从高到低", True, key="compare_desc", url="desc")
order = [f"{sort_key}|value", "agency", "year"]
wide = compare.wide(frames).sort(order, descending=[descending, False, False], nulls_last=True)

if wide.height > MAX_ROWS:
    st.caption(f"共 {wide.height:,} 个单位年度，表中按排序显示前 {MAX_ROWS} 个；可在左侧筛选缩小范围。")
shown = wide.head(MAX_ROWS)  # sorted over the whole selection first, so the head is the true top of the list
ui.show_table(compare.comparison_table(shown, chosen), "compare_table", selection)
st.caption(
    "同组：导入名册的单位按名册的同类组，其余单位按层级与类型相同。"
    "同组位置按同组全部单位（不限于所选单位）同一年度的P25、P50、P75划分；"
    f"* 同组不足{MIN_PEERS}个单位，{SMALL_SAMPLE}。第三部分指标取“总计”列。"
    "实质公开率 =（予以公开 + 部分公开）/ 办理结果总计；纠错率 = 结果纠正 / 已审结（总计 − 尚未审结），"
    "行政复议与两类行政诉讼合计，总计与分项不符（R4）或分项未填报的栏目不计入。未写明的数字为空（“—”），不按0计，"
    "“同组位置”写明原因（未填报、分母为0、未能确定）。"
)


st.subheader(f"同组分位：{row_label(sort_key)}")
rows = shown.with_columns(pl.format("{}（{}年）", "agency", "year").alias("label"))
peer_chart(rows, sort_key)
ui.show_table(compare.peer_table(rows, sort_key), "compare_peer_table", selection)
