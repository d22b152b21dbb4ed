"""办理结果: how requests were answered (the six outcome categories per report) and why they were refused."""

from __future__ import annotations

import polars as pl

from analytics import charts
from analytics.views import (
    BARS,
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
# Each rate: the name of its columns (fct_reports' <name>_rate per report, selection_rates' <name>_rate, _num and
# _den over the selection) and, per report, the column that is its numerator and the one that is its denominator.
RATES = {
    "实质公开率": ("disclosure", "disclosure_num", "handled"),
    "予以公开率": ("granted", "granted", "handled"),
    "部分公开率": ("partial", "partial", "handled"),
    "不予公开率": ("denied", "denied", "handled"),
    "无法提供率": ("unavailable", "unavailable", "handled"),
    "不予处理率": ("not_processed", "not_processed", "handled"),
    "其他处理率": ("other", "other", "handled"),
    "办结率": ("closure", "handled", "closure_den"),
}
RATE_NOTES = {
    "实质公开率": DISCLOSURE_RATE,
    "办结率": "办结率 = 办理总计 /（本年新收 + 上年结转）；分母为0或未填报时为空",
}
NUMERATORS = {"disclosure_num": ("实质公开", "予以公开与部分公开件数之和"), "handled": ("办理总计", "")}
DENOMINATORS = {
    "handled": ("办理总计", "第三部分“（七）总计”，按报告所印，不重新相加"),
    "closure_den": ("新收与结转", "本年新收 + 上年结转，两项都填报时计算"),
}


def stating(mix: pl.DataFrame, category: str | None) -> pl.DataFrame:
    """The reports whose count of one outcome category (by its label) is stated and above 0; all for None."""
    if category is None:
        return mix
    column = next(key for key, label in CATEGORY_LABELS.items() if label == category)
    return mix.filter(pl.col(column) > 0)


def of_reports(rows: pl.DataFrame, mix: pl.DataFrame) -> pl.DataFrame:
    """The rows (of any per-report query) of the reports `mix` lists."""
    return rows.filter(pl.col("report_id").is_in(mix["report_id"].implode()))


def category_rates(category: str | None) -> dict[str, tuple[str, str, str]]:
    """The rates (RATES) whose numerator holds the category (by its label): all of them for None."""
    if category is None:
        return RATES
    column = next(key for key, label in CATEGORY_LABELS.items() if label == category)
    parts = {"disclosure_num": ("granted", "partial")}
    return {k: v for k, v in RATES.items() if v[1] == column or column in parts.get(v[1], ())}


def answered(mix: pl.DataFrame) -> pl.DataFrame:
    """The reports with outcomes to draw: a report with no outcomes (all 0 or unstated) has no mix."""
    return mix.filter(pl.sum_horizontal(list(CATEGORY_LABELS)) > 0)


def mix_chart(mix: pl.DataFrame, data_label: str = "") -> Chart:
    """The outcome mix of each report of the agencies with the most handled (at most TOP of them and BARS reports)
    as a 100% stacked bar; unstated categories are left out, not drawn as 0."""
    drawn = answered(mix)
    shown = drawn.filter(pl.col("agency").is_in(most(drawn, "handled", TOP))).sort("agency", "year")
    long = shown.select(
        report_label(shown).alias("报告"),
        pl.col("agency").alias("单位"),
        *[pl.col(k).alias(v) for k, v in CATEGORY_LABELS.items()],
    ).unpivot(index=["报告", "单位"], variable_name="办理结果", value_name="件数")
    if long.is_empty():
        fig = charts.empty(MIX_TITLE, "所选报告没有可画的件数")
    else:
        order = list(CATEGORY_LABELS.values())
        fig = charts.share_bars_stated(long, "报告", "件数", "办理结果", MIX_TITLE, "报告", order, custom="单位")
    note = (
        "第三部分表格总计列，各类为其所有分项之和（文字报告只给出某类合计的，按该类合计计入）；"
        "报告未填报的类别不画出（不是0）；没有办理件数（全为0或未填报）的报告不画柱；"
        f"只画出办理总计最多的单位，至多{TOP}个单位、{BARS}份报告。"
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


def rates_table(mix: pl.DataFrame, data_label: str = "") -> Table:
    """Each report's rates (fct_reports), every rate beside its numerator, over the denominators as numbers."""
    exprs = [pl.col("agency").alias("单位"), pl.col("year").alias("年度"), pl.col("handled").alias("办理总计")]
    columns = [*UNIT_YEAR, Column("办理总计", "count", DENOMINATORS["handled"][1])]
    for label, (name, numerator, denominator) in RATES.items():
        if denominator != "handled":
            heading, note = DENOMINATORS[denominator]
            exprs.append(pl.col(denominator).alias(heading))
            columns.append(Column(heading, "count", note))
        if numerator != "handled":
            heading, note = _numerator(numerator)
            exprs.append(pl.col(numerator).alias(heading))
            columns.append(Column(heading, "count", note))
        exprs.append(pl.col(f"{name}_rate").alias(label))
        columns.append(
            Column(
                label,
                "rate",
                RATE_NOTES.get(label, f"{label.removesuffix('率')}件数 / 办理总计；分母为0或未填报时为空"),
            )
        )
    note = f"每个比率紧接其分子，分母为“办理总计”（办结率为“新收与结转”）。{NULL_NOTE}"
    src = source(PART_THREE, data_label)
    return Table(
        "outcome_rates", "各报告办理结果比率", mix.select(exprs), tuple(columns), src, note, metrics=("outcome.",)
    )


def _numerator(column: str) -> tuple[str, str]:
    """A rate's numerator column: its heading and 口径."""
    if column in NUMERATORS:
        return NUMERATORS[column]
    label = CATEGORY_LABELS[column]
    return label, f"第三部分“{label}”一类各分项之和（总计列）"


def applicants_table(applicants: pl.DataFrame, data_label: str = "") -> Table:
    """Each report's 本年新收 by applicant column (outcomes_applicants), one column per applicant."""
    wide = applicants.pivot(on="applicant_label", index=["agency", "year"], values="requests", sort_columns=False)
    labels = applicants.sort("position")["applicant_label"].unique(maintain_order=True).to_list()
    frame = wide.select(pl.col("agency").alias("单位"), pl.col("year").alias("年度"), *labels)
    columns = (*UNIT_YEAR, *[Column(c, "count", f"第三部分“本年新收”一行“{c}”列") for c in labels])
    src = source(PART_THREE, data_label)
    return Table("applicants", "各报告申请人构成", frame, columns, src, NULL_NOTE, metrics=("requests.new",))
