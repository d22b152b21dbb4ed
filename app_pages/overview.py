"""总览: the selection at a glance, with the change from the year before.

Queries: overview_by_year.
"""

from __future__ import annotations

import streamlit as st

from analytics.views import overview
from ui import data
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = (*overview.QUERIES,)

selection = ui.selection()
by_year = data.fetch("overview_by_year", **selection.params())

if by_year.is_empty():
    st.info("所选范围内没有报告。请调整左侧筛选条件，或在“导入”页导入报告。")
    st.stop()

latest = by_year.row(-1, named=True)
previous = by_year.row(-2, named=True) if by_year.height > 1 else None


def _card(column, label: str, key: str, worse_up: bool = False) -> None:
    """A headline count with its change from the previous year: +n or −n with an arrow, 与上年持平 without one
    (never "↑ +0"), nothing when either year does not state the figure."""
    value = ui.count(latest[key])
    if previous is None or latest[key] is None or previous[key] is None:
        column.metric(label, value)
        return
    change = latest[key] - previous[key]
    if change == 0:
        column.metric(label, value, f"与{previous['year']}年持平", delta_color="off", delta_arrow="off")
        return
    colour = "inverse" if worse_up else "normal"
    column.metric(label, value, f"{change:+,.0f}（较{previous['year']}年）", delta_color=colour)


def _scope_notes(row: dict, before: dict | None) -> list[str]:
    """What the totals leave out or mix, and whether the year before covers the same units, in words."""
    notes = []
    if row["counted_reports"] < row["reports"]:
        notes.append(
            f"合计只计{row['counted_reports']}份报告：其余{row['reports'] - row['counted_reports']}份报告的单位"
            "隶属于所选的上级单位，其数字已含在上级单位的报告中，不重复相加。"
        )
    if row["mixed_levels"]:
        notes.append(ui.MIXED_LEVELS)
    if before is not None and not row["same_units"]:
        notes.append(
            f"{row['year']}年与{before['year']}年的单位不同（{row['units_this_year']}个、{row['units_prev_year']}个），"
            "增减含单位变化。"
        )
    return notes


st.subheader(f"{latest['year']}年")
row1 = st.columns(4)
_card(row1[0], "报告数", "reports")
_card(row1[1], "单位数", "units")
_card(row1[2], "收到申请（本年新收）", "requests_new")
_card(row1[3], "办理总计", "handled")
row2 = st.columns(3)
row2[0].metric("实质公开率", ui.rate(latest["disclosure_rate"]))
row2[1].metric("复议诉讼纠错率", ui.rate(latest["correction_rate"]))
_card(row2[2], "待核实问题", "findings_open", worse_up=True)
st.caption(
    "实质公开率 = (予以公开 + 部分公开) / 办理总计；复议诉讼纠错率 = 结果纠正 / 已审结（总计 − 尚未审结），"
    "总计与分项不符（R4）或分项未填报的栏目不计入；分母为 0 或未填报时显示“—”。"
    f"{latest['year']}年问题共{latest['findings']}条：待核实{latest['findings_open']}条，"
    f"已说明{latest['findings_explained']}条，已更正{latest['findings_corrected']}条，不采纳{latest['findings_rejected']}条。"
    + (f"另有解析提示{latest['parse_notes']}条（报告如何读取，不计入问题）。" if latest["parse_notes"] else "")
)
for note in _scope_notes(latest, previous):
    st.info(note)

ui.show_view_chart(overview.trend_chart(by_year))

ui.show_table(overview.yearly_table(by_year), "overview_table", selection)
