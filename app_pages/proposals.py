"""建议提案: NPC deputies' suggestions and CPPCC members' proposals each unit handled per year, and the handling rate.

The rate is resolved / received (fct_reports' npc_rate and cppcc_rate) where a report states both; where it states
only a rate in words (办复率100%), that rate is shown and marked as stated; otherwise "—".

Queries: proposals_by_unit.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.views import proposals
from ui import data
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = (*proposals.QUERIES,)

STATED = "（报告所述）"

selection = ui.selection()
units = data.fetch("proposals_by_unit", **selection.params())

if units.is_empty():
    st.info("所选范围内的报告没有写明人大代表建议或政协委员提案的办理件数。请调整左侧筛选条件。")
    st.stop()


def handling_rate(rate: float | None, stated: float | None) -> str:
    """The rate worked out from the counts; else the rate the report states, marked; else "—"."""
    if rate is not None:
        return ui.rate(rate)
    if stated is not None:
        return f"{stated:g}%{STATED}"
    return "—"


def _rates(frame: pl.DataFrame, kind: str) -> pl.Series:
    """The handling rate text of every row for one kind (npc or cppcc)."""
    cols = (f"{kind}_rate", f"{kind}_stated_rate")
    return pl.Series([handling_rate(*row) for row in frame.select(cols).iter_rows()], dtype=pl.String)


def _counts(column: str) -> pl.Expr:
    """A count column as text, "—" where the report does not state it."""
    return pl.col(column).map_elements(ui.count, return_dtype=pl.String, skip_nulls=False)


table = units.select(
    pl.col("agency").alias("单位"),
    pl.col("year").alias("年度"),
    _counts("npc_received").alias("人大代表建议（件）"),
    _counts("npc_resolved").alias("建议办结（件）"),
    _rates(units, "npc").alias("建议办复率"),
    _counts("cppcc_received").alias("政协委员提案（件）"),
    _counts("cppcc_resolved").alias("提案办结（件）"),
    _rates(units, "cppcc").alias("提案办复率"),
)
ui.show_table(table, "proposals_table", "建议提案")
st.caption(
    f"办复率 = 办结（办复）件数 / 承办件数，两者都写明时计算；报告只写了比率（如“办复率100%”）时照录并标注“{STATED}”；"
    "都没有写明时显示“—”。件数取自报告正文，未写明的显示“—”，不按0计。"
)

# the chart stays readable: the units and years with the most items, the table above lists them all
ui.show_view_chart(proposals.proposals_chart(units), "proposals_chart")

with st.expander("原文出处"):
    sources = units.select(
        pl.col("agency").alias("单位"),
        pl.col("year").alias("年度"),
        pl.col("npc_source").fill_null("—").alias("人大代表建议"),
        pl.col("cppcc_source").fill_null("—").alias("政协委员提案"),
    )
    ui.show_table(sources, "proposals_sources", "建议提案原文出处")
