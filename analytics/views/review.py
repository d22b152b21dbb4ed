"""复议诉讼: section 四 as printed, per agency, year and block (行政复议 and the two kinds of lawsuit)."""

from __future__ import annotations

import polars as pl

from analytics import charts
from analytics.views import (
    FIGURES_FOUR,
    NULL_NOTE,
    PART_FOUR,
    UNIT_YEAR,
    Chart,
    Column,
    Table,
    most,
    report_label,
    source,
)
from loaders.keys import REVIEW_BLOCK_LABELS, REVIEW_PARTS

QUERIES = ("review_blocks",)
TOP = 12  # agencies drawn in a chart; the table lists all
PARTS = dict(REVIEW_PARTS)  # maintained -> 结果维持 …, total -> 总计
CORRECTION_NOTE = (
    "结果纠正 / 已审结；总计与分项不符（R4）或结果纠正、总计、尚未审结有未填报的栏目不计算（为空），"
    "没有已审结案件时为空"
)


def block_chart(blocks: pl.DataFrame, block: str, data_label: str = "") -> Chart | None:
    """One block's five figures per report of the agencies with the most cases over all blocks (at most TOP of them
    and BARS reports) as grouped bars, 总计 drawn as printed beside its parts; None when no report of the selection
    states any of them."""
    label = REVIEW_BLOCK_LABELS[block]
    stated = blocks.filter((pl.col("block") == block) & pl.any_horizontal([pl.col(k).is_not_null() for k in PARTS]))
    shown = stated.filter(pl.col("agency").is_in(most(blocks, "total", TOP))).sort("agency", "year")
    if shown.is_empty():
        return None
    plot = shown.select(report_label(shown).alias("报告"), *[pl.col(k).alias(v) for k, v in PARTS.items()]).unpivot(
        index="报告", variable_name="结果", value_name="件数"
    )
    # unstated cells stay as nulls: they keep each report in its place on the axis and draw no bar
    title = f"{label}案件"
    fig = charts.grouped_bars(plot, "报告", "件数", "结果", title, "报告", "件数")
    note = (
        f"第四部分“{label}”一栏的五项，按报告原文（总计不重新计算）；未填报的项不画出（不是0）。"
        "文字报告通常只说明有无复议、诉讼。"
    )
    key, src = f"review_{block.replace('.', '_')}", source(PART_FOUR, data_label)
    return Chart(key, title, fig, src, note, "review", (f"{block}.",))


def block_charts(blocks: pl.DataFrame, data_label: str = "") -> list[Chart]:
    """The chart of every block some report states."""
    drawn = (block_chart(blocks, block, data_label) for block in REVIEW_BLOCK_LABELS)
    return [c for c in drawn if c is not None]


def blocks_table(blocks: pl.DataFrame, data_label: str = "") -> Table:
    """Every block of every report: the five figures as printed, the concluded cases and the R4 check."""
    columns = (
        *UNIT_YEAR,
        Column("类别"),
        *[Column(v, "count", f"第四部分该栏“{v}”，按报告原文") for v in PARTS.values()],
        Column("已审结", "count", "总计 − 尚未审结"),
        Column("纠错率", "rate", CORRECTION_NOTE),
        Column("核对", "text", "总计与分项之和不符时为规则R4的检查结果"),
    )
    frame = blocks.select(
        pl.col("agency").alias("单位"),
        pl.col("year").alias("年度"),
        pl.col("block_label").alias("类别"),
        *[pl.col(k).alias(v) for k, v in PARTS.items()],
        pl.col("concluded").alias("已审结"),
        pl.col("correction_rate").alias("纠错率"),
        pl.format("总计不符（R4）：{}", "r4_message").fill_null("").alias("核对"),
    )
    note = f"总计按报告原文，不重新相加；总计与分项不符的栏目在“核对”列注明。{NULL_NOTE}"
    src = source(PART_FOUR, data_label)
    return Table("review", "行政复议和行政诉讼", frame, columns, src, note, metrics=FIGURES_FOUR)
