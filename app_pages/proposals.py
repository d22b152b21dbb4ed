"""建议提案: NPC deputies' suggestions and CPPCC members' proposals each unit handled per year, and the handling rate.

The rate is resolved / received (fct_reports' npc_rate and cppcc_rate) where a report states both; a rate the report
states in words (办复率100%) has its own column; otherwise the cell is empty.

Queries: proposals_by_unit.
"""

from __future__ import annotations

import streamlit as st

from analytics.views import proposals
from ui import data
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = (*proposals.QUERIES,)

selection = ui.selection()
units = data.fetch("proposals_by_unit", **selection.params())

if units.is_empty():
    st.info("所选范围内的报告没有写明人大代表建议或政协委员提案的办理件数。请调整左侧筛选条件。")
    st.stop()

ui.show_table(proposals.proposals_table(units), "proposals_table", selection)
st.caption(
    "办复率 = 办结（办复）件数 / 承办件数，两者都写明时计算；报告只写了比率（如“办复率100%”）时照录在“（报告所述）”列；"
    "件数取自报告正文，未写明的为空（“—”），不按0计。"
)

# the chart stays readable: the units and years with the most items, the table above lists them all
ui.show_view_chart(proposals.proposals_chart(units), "proposals_chart")

with st.expander("原文出处"):
    ui.show_table(proposals.sources_table(units), "proposals_sources", selection)
