"""建议提案: NPC deputies' suggestions and CPPCC members' proposals each unit handled per year."""

from __future__ import annotations

import polars as pl

from analytics import charts
from analytics.views import NULL_NOTE, PART_PROSE, UNIT_YEAR, Chart, Column, Table, headed, source

QUERIES = ("proposals_by_unit",)
MAX_BARS = 30  # unit-years drawn; the table lists them all
PROPOSALS = ("npc.", "cppcc.")
HANDLING_RATE = "办复率 = 办结（办复）件数 / 承办件数，两者都写明时计算；否则为空"
STATED_RATE = "报告正文写明的办复率，照录（如“办复率100%”）；没有写明时为空"


def proposals_chart(units: pl.DataFrame, data_label: str = "") -> Chart:
    """Suggestions and proposals received, for the MAX_BARS unit-years with the most of them."""
    largest = units.sort(pl.sum_horizontal("npc_received", "cppcc_received"), descending=True).head(MAX_BARS)
    long = largest.select(
        pl.format("{}（{}年）", "agency", "year").alias("单位年度"),
        pl.col("npc_received").alias("人大代表建议"),
        pl.col("cppcc_received").alias("政协委员提案"),
    ).unpivot(index="单位年度", variable_name="类别", value_name="件数")
    title = "承办的人大代表建议与政协委员提案"
    fig = charts.grouped_bars(long.drop_nulls("件数"), "单位年度", "件数", "类别", title, "单位（年度）", "件数")
    note = (
        f"报告正文中承办（收到）的人大代表建议、政协委员提案件数，最多画出件数最多的{MAX_BARS}个单位年度；"
        "未写明的不画出。政府与其办公室的报告可能写同一组数字。"
    )
    return Chart("proposals", title, fig, source(PART_PROSE, data_label), note, "proposals")


def proposals_table(units: pl.DataFrame, data_label: str = "") -> Table:
    """Suggestions and proposals received and resolved per unit and year, with the rate the report states."""
    columns = (
        *UNIT_YEAR,
        Column("人大代表建议", "count", "报告正文所述承办的人大代表建议件数"),
        Column("建议办结", "count", "报告正文所述人大代表建议办结（办复）件数"),
        Column("建议办复率", "rate", HANDLING_RATE),
        Column("建议办复率（报告所述）", "percent", STATED_RATE),
        Column("政协委员提案", "count", "报告正文所述承办的政协委员提案件数"),
        Column("提案办结", "count", "报告正文所述政协委员提案办结（办复）件数"),
        Column("提案办复率", "rate", HANDLING_RATE),
        Column("提案办复率（报告所述）", "percent", STATED_RATE),
    )
    sources = ("agency", "year", "npc_received", "npc_resolved", "npc_rate", "npc_stated_rate")
    sources += ("cppcc_received", "cppcc_resolved", "cppcc_rate", "cppcc_stated_rate")
    frame = headed(units, sources, columns)
    src = source(PART_PROSE, data_label)
    return Table("proposals", "建议提案办理", frame, columns, src, NULL_NOTE, metrics=PROPOSALS)


def sources_table(units: pl.DataFrame, data_label: str = "") -> Table:
    """Where each unit's and year's figures were read: the sentences as printed."""
    columns = (
        *UNIT_YEAR,
        Column("人大代表建议", "text", "报告中写明人大代表建议件数的原文"),
        Column("政协委员提案", "text", "报告中写明政协委员提案件数的原文"),
    )
    frame = headed(units, ("agency", "year", "npc_source", "cppcc_source"), columns)
    return Table("proposal_sources", "建议提案原文出处", frame, columns, source(PART_PROSE, data_label), "")
