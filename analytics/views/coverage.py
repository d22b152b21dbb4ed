"""报送情况: which units on the roster published their annual report for a year, on time or late; reports of units
the roster does not know; and what each government states against the sum of its units' reports (R7)."""

from __future__ import annotations

import polars as pl

from analytics import charts
from analytics.state import LEVELS, TYPES
from analytics.views import DASHBOARD, Chart, Column, Table, source

QUERIES = ("coverage_selection", "coverage_unmatched", "rollup_compare")
ROSTER = source(f"单位名册与各单位年度报告（{DASHBOARD}）")
SCOPES = "政府层面（本级）：与其办公室报告的同一数字相比；下属单位合计：与全部下属单位报告之和相比"
# the statuses in the order a reader looks for them, each in its semantic colour (a missing report stands out most)
STATUS_COLOURS = {
    "未发布": charts.STATUS_COLOURS["error"],
    "逾期": charts.STATUS_COLOURS["warning"],
    "日期不详": "#9e9e9e",
    "按时": charts.STATUS_COLOURS["ok"],
}
GROUP = "所属政府"
DEADLINES = "政府本级年度报告为次年3月31日，政府部门（含政府办公室）为次年1月31日（《政府信息公开条例》第四十九条）"


def coverage_table(rows: pl.DataFrame, year: int) -> Table:
    """The units expected to report for `year` (coverage_selection): status, identity, dates, days late, notes.
    Dates are text as printed (YYYY-MM-DD); a missing one stays empty."""
    frame = rows.select(
        pl.col("unit").alias("单位"),
        pl.col("timeliness").alias("报送情况"),
        pl.col("published_on").cast(pl.String).alias("发布日期"),
        pl.col("deadline").cast(pl.String).alias("截止日期"),
        pl.col("days_late").alias("逾期天数"),
        pl.col("parent").alias("上级"),
        pl.col("level").replace_strict(LEVELS, default=pl.col("level")).alias("层级"),
        pl.col("type").replace_strict(TYPES, default=pl.col("type")).alias("类型"),
        pl.col("peer_group").alias("同类组"),
        pl.col("filed_as").alias("报告所署名称"),
        pl.col("note").alias("说明"),
        pl.col("source").alias("报告文件"),
    )
    columns = (
        Column("单位"),
        Column("报送情况", "text", "按时、逾期、日期不详（原文未写明发布日期，不作判断）或未发布"),
        Column("发布日期", "text", "取自报告原文（网页发布时间、落款日期等）"),
        Column("截止日期", "text", DEADLINES),
        Column("逾期天数", "count", "发布日期晚于截止日期的天数；按时或日期不详时为空"),
        Column("上级"),
        Column("层级"),
        Column("类型"),
        Column("同类组", "text", "名册的同类组"),
        Column("报告所署名称", "text", "更名、合并后以原名称报送的，计入现单位"),
        Column("说明"),
        Column("报告文件"),
    )
    note = "没有报告的单位在前。更名、合并后，以原名称报送的报告计入现单位，并在“说明”中注明。"
    return Table("coverage", f"{year}年度报送情况", frame, columns, ROSTER, note)


def unmatched_table(unmatched: pl.DataFrame, year: int) -> Table:
    """Reports of the year filed by agencies the roster lists under no name (coverage_unmatched)."""
    columns = (Column("报告单位"), Column("发布日期", "text", "取自报告原文"), Column("报告文件"))
    frame = unmatched.select(
        pl.col("agency").alias("报告单位"),
        pl.col("published_on").cast(pl.String).alias("发布日期"),
        pl.col("source").alias("报告文件"),
    )
    note = "可能是名册遗漏，或单位更名而名册未登记。"
    return Table("coverage_unmatched", f"{year}年度不在名册中的报告单位", frame, columns, ROSTER, note)


def rollup_table(rollup: pl.DataFrame, year: int) -> Table:
    """Each government's stated figure beside the sum of its units' reports, the difference and who is missing
    (rollup_compare)."""
    frame = rollup.select(
        pl.col("government").alias("政府"),
        pl.col("scope_label").alias("口径"),
        pl.col("metric_label").alias("指标"),
        pl.col("stated").alias("报告所称"),
        pl.col("summed").alias("单位报告合计"),
        pl.col("difference").alias("差额"),
        pl.col("units_reported").alias("已报告单位"),
        pl.col("units_expected").alias("应报单位"),
        pl.col("units_missing").alias("未报告单位"),
        pl.col("units_unstated").alias("未写明该数的单位"),
        pl.col("r7_finding").alias("R7问题"),
        pl.col("stated_line").alias("原文行号"),
    )
    columns = (
        Column("政府"),
        Column("口径", "text", SCOPES),
        Column("指标"),
        Column("报告所称", "number", "政府报告所印的数字"),
        Column("单位报告合计", "number", "有报告且写明该数的单位之和；未报告或未写明的单位不按0计，单独列出"),
        Column("差额", "number", "报告所称 − 单位报告合计"),
        Column("已报告单位", "count", "有该年度报告的下属单位数"),
        Column("应报单位", "count", "名册“上级”列或报告所称上级为该政府的单位数"),
        Column("未报告单位"),
        Column("未写明该数的单位"),
        Column("R7问题", "text", "政府层面数字与其办公室报告不一致时的规则R7检查结果"),
        Column("原文行号", "ordinal", "政府报告中该数字所在的行"),
    )
    note = "政府报告按全区（县、市）口径填报时，两者应在全部单位报告后相等。"
    return Table("rollup", f"{year}年度汇总核对", frame, columns, ROSTER, note)


def group() -> pl.Expr:
    """The government a unit answers to: its 上级 (roster, else the report), itself when it has none."""
    return pl.coalesce("parent", "unit")


def groups(rows: pl.DataFrame) -> list[str]:
    """The governments of the coverage rows (the bars of the status chart)."""
    return rows.select(group().alias(GROUP))[GROUP].unique(maintain_order=True).drop_nulls().to_list()


def narrowed(rows: pl.DataFrame, government: str | None, status: str | None) -> pl.DataFrame:
    """The coverage rows of the units answering to one government and/or of one status; all rows for None."""
    if government:
        rows = rows.filter(group() == government)
    if status:
        rows = rows.filter(pl.col("timeliness") == status)
    return rows


def rollup_of(rollup: pl.DataFrame, government: str | None) -> pl.DataFrame:
    """The roll-up rows (rollup_compare) of one government; all rows for None."""
    return rollup.filter(pl.col("government") == government) if government else rollup


def status_chart(counts: pl.DataFrame, year: int) -> Chart:
    """Units expected to report for `year` per government they answer to (a unit without one on its own), stacked
    by status (coverage_status): the governments with the most units not published or late keep a bar each, in
    that order, and the others are summed into one bar at the end, named for how many governments it holds."""
    others = counts["governments"].max() or 0
    other_label = f"其他{others:,}个上级政府"
    plot = counts.select(
        pl.col("government").fill_null(other_label).alias(GROUP),
        pl.col("place"),
        pl.col("timeliness").alias("报送情况"),
        pl.col("units").alias("单位数"),
        pl.col("government").alias("政府"),  # what a click narrows to: nothing on the summed bar
    )
    order = plot.sort("place")[GROUP].unique(maintain_order=True).to_list()
    title = f"{year}年度各上级政府所属单位的报送情况"
    fig = charts.grouped_bars(
        plot, GROUP, "单位数", "报送情况", title, "上级政府（没有上级的单位为其自身）", "单位数", stacked=True,
        colours=STATUS_COLOURS, custom="政府",
    )  # fmt: skip
    fig.update_xaxes(categoryorder="array", categoryarray=order)
    shown = plot.filter(pl.col("政府").is_not_null())["政府"].n_unique()
    drawn = (
        f"画出未发布与逾期单位最多的{shown}个上级政府（再按单位数），其余{others:,}个上级政府的单位合为“{other_label}”一柱；"
        if others
        else "按未发布与逾期单位数从多到少排列；"
    )
    note = (
        "名册（未导入名册时为报告）所列应报单位按上级归组（一组为上级相同的单位，没有上级的单位自成一组）；"
        f"{drawn}截止日期：{DEADLINES}。"
    )
    return Chart("coverage_status", title, fig, ROSTER, note, "coverage")
