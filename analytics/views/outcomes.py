"""办理结果: how requests were answered (the six outcome categories per report) and why they were refused."""

from __future__ import annotations

import polars as pl

from analytics import charts
from analytics.views import (
    DISCLOSURE_RATE,
    NULL_NOTE,
    PART_THREE,
    UNIT_YEAR,
    Chart,
    Column,
    NativeChart,
    Table,
    most,
    report_label,
    source,
)
from loaders.keys import CATEGORY_LABELS, TEMPLATES

QUERIES = ("outcomes_mix", "outcomes_denied_reasons")
TOP = 12  # agencies drawn in the per-report bar charts; the tables list all
MIX_TITLE = "各报告办理结果构成"


def answered(mix: pl.DataFrame) -> pl.DataFrame:
    """The reports with outcomes to draw: a report with no outcomes (all 0 or unstated) has no mix."""
    return mix.filter(pl.sum_horizontal(list(CATEGORY_LABELS)) > 0)


def mix_chart(mix: pl.DataFrame, data_label: str = "") -> Chart:
    """The outcome mix of each report of the TOP agencies (most handled) as a 100% stacked bar; unstated categories
    are left out, not drawn as 0."""
    drawn = answered(mix)
    shown = drawn.filter(pl.col("agency").is_in(most(drawn, "handled", TOP))).sort("agency", "year")
    long = shown.select(
        report_label(shown).alias("报告"),
        *[pl.col(k).alias(v) for k, v in CATEGORY_LABELS.items()],
    ).unpivot(index="报告", variable_name="办理结果", value_name="件数")
    if long.is_empty():
        fig = charts.empty(MIX_TITLE, "所选报告没有可画的件数")
    else:
        fig = charts.share_bars_stated(
            long, "报告", "件数", "办理结果", MIX_TITLE, "报告", list(CATEGORY_LABELS.values())
        )
    note = (
        "第三部分表格总计列，各类为其所有分项之和（文字报告只给出某类合计的，按该类合计计入）；"
        f"报告未填报的类别不画出（不是0）；没有办理件数（全为0或未填报）的报告不画柱；最多画出件数最多的{TOP}个单位。"
    )
    return Chart("outcomes_mix", MIX_TITLE, fig, source(PART_THREE, data_label), note, "outcomes")


def mix_table(mix: pl.DataFrame, data_label: str = "") -> Table:
    """Each report's six outcome categories, 办理总计 and 实质公开率 (outcomes_mix with its disclosure_rate)."""
    frame = mix.select(
        pl.col("agency").alias("单位"),
        pl.col("year").alias("年度"),
        pl.col("template").replace_strict(TEMPLATES, default=pl.col("template")).alias("模板"),
        *[pl.col(k).alias(v) for k, v in CATEGORY_LABELS.items()],
        pl.col("handled").alias("办理总计"),
        pl.col("disclosure_rate").alias("实质公开率"),
    )
    columns = (
        *UNIT_YEAR,
        Column("模板"),
        *[Column(v, "count", f"第三部分“{v}”一类各分项之和（总计列）") for v in CATEGORY_LABELS.values()],
        Column("办理总计", "count", "第三部分“（七）总计”，按报告所印，不重新相加"),
        Column("实质公开率", "rate", DISCLOSURE_RATE),
    )
    categories = tuple(CATEGORY_LABELS.values())
    native = NativeChart("percent_stacked", MIX_TITLE, ("单位", "年度"), categories, "占比")
    src = source(PART_THREE, data_label)
    return Table("outcomes", "各报告办理结果", frame, columns, src, NULL_NOTE, native, metrics=("outcome.",))


def reasons_chart(reasons: pl.DataFrame, data_label: str = "") -> Chart:
    """The eight 不予公开 reasons stacked by year."""
    plot = reasons.select(pl.col("reason").alias("理由"), pl.format("{}年", "year").alias("年度"), pl.col("cases"))
    title = "不予公开理由（件）"
    fig = charts.grouped_bars(plot, "理由", "cases", "年度", title, "理由", "件数", stacked=True)
    note = "第三部分“（三）不予公开”八个分项的总计列，按年度相加；只给出不予公开合计的文字报告不在其中。"
    return Chart("outcomes_reasons", title, fig, source(PART_THREE, data_label), note, "reasons")


def reasons_table(reasons: pl.DataFrame, data_label: str = "") -> Table:
    """不予公开 cases per reason and year, and how many reports stated them."""
    columns = (
        Column("理由"),
        Column("年度", "year"),
        Column("件数", "count", "该理由不予公开的件数（总计列），所选报告之和"),
        Column("填报的报告数", "count", "写明该理由件数的报告份数"),
    )
    frame = reasons.select(
        pl.col("reason").alias("理由"), pl.col("year").alias("年度"),
        pl.col("cases").alias("件数"), pl.col("reports").alias("填报的报告数"),
    )  # fmt: skip
    src = source(PART_THREE, data_label)
    return Table("reasons", "不予公开理由", frame, columns, src, NULL_NOTE, metrics=("outcome.denied.",))
