"""申请趋势: requests per agency and year, the template each year's report used, and the yearly line per agency."""

from __future__ import annotations

import polars as pl

from analytics import charts
from analytics.views import NO_REPORT, NULL_NOTE, PART_THREE, UNIT_YEAR, Chart, Column, Table, source, template_name

QUERIES = ("trends_requests",)
TOP = 10  # more lines than this in one chart cannot be told apart
CHART_TITLE = "各单位本年新收申请数"
PRINTED_IN = {"prose": "正文", "table": "表格"}  # where a report printed its 本年新收


def report_template(template: str | None, report_id: str | None) -> str:
    """What the table and the hover say about a year: the report's template, or that there is no report."""
    return NO_REPORT if report_id is None else template_name(template)


def labelled(rows: pl.DataFrame) -> pl.DataFrame:
    """The mart's rows with the template named for people (column 模板)."""
    names = [report_template(t, r) for t, r in zip(rows["template"], rows["report_id"], strict=True)]
    return rows.with_columns(pl.Series("模板", names, dtype=pl.String))


def ranked_agencies(rows: pl.DataFrame) -> list[str]:
    """Agencies by the requests they received over the selected years, most first (unstated years add nothing)."""
    totals = rows.group_by("agency").agg(pl.col("requests_new").sum().alias("received"))
    return totals.sort(["received", "agency"], descending=[True, False], nulls_last=True)["agency"].to_list()


def requests_chart(rows: pl.DataFrame, data_label: str = "") -> Chart:
    """One line per agency (the TOP receiving the most requests): 本年新收 per year, gaps where there is no report
    or no stated figure; each point carries its report id, so that a click can open the report."""
    rows = labelled(rows) if "模板" not in rows.columns else rows
    shown = rows.filter(pl.col("agency").is_in(ranked_agencies(rows)[:TOP]))
    plot = shown.select(
        "year",
        pl.col("agency").alias("单位"),
        pl.col("requests_new").alias("本年新收"),
        pl.format("模板：{}", pl.col("模板")).alias("hover"),
        "report_id",
    )
    fig = charts.trend_lines_hover(
        plot, "year", "本年新收", "单位", "hover", CHART_TITLE, "年度", "件数", ids="report_id"
    )
    note = (
        "各报告第三部分“本年新收政府信息公开申请数量”的总计列；2018年及以前的文字报告取其正文或统计表所述的申请总数。"
        "某年没有报告或报告未填报时该点空缺，不画作0；虚线标出全国模板的更替（2019版、2021版），悬停可见各年报告的模板。"
    )
    return Chart(
        "requests_trend", CHART_TITLE, fig, source(PART_THREE, data_label), note, "requests", ("requests.new",)
    )


def printed_in(rows: pl.DataFrame) -> list[str | None]:
    """Where each row's 本年新收 was printed, e.g. 正文第47行; None where no report states it."""
    out: list[str | None] = []
    for kind, line in rows.select("requests_new_kind", "requests_new_line").iter_rows():
        name = None if kind is None else PRINTED_IN.get(kind, kind)
        out.append(f"{name}第{line}行" if name and line is not None else name)
    return out


def requests_table(rows: pl.DataFrame, data_label: str = "") -> Table:
    """Requests per agency and year: received, carried over, carried forward, and the template of the report."""
    columns = (
        *UNIT_YEAR,
        Column("模板", "text", "报告使用的全国模板；（无报告）表示该单位该年度没有报告"),
        Column("本年新收", "count", "第三部分“本年新收政府信息公开申请数量”总计列；文字报告取正文所述申请总数"),
        Column("上年结转", "count", "第三部分“上年结转政府信息公开申请数量”总计列"),
        Column("结转下年", "count", "第三部分“结转下年度继续办理”总计列"),
        Column("本年新收出处", "text", "本年新收取自报告的正文还是表格，及其在报告全文中的行号"),
    )
    frame = labelled(rows).select(
        pl.col("agency").alias("单位"),
        pl.col("year").alias("年度"),
        "模板",
        pl.col("requests_new").alias("本年新收"),
        pl.col("carried_over").alias("上年结转"),
        pl.col("carried_forward").alias("结转下年"),
        pl.Series("本年新收出处", printed_in(rows), pl.String),
    )
    src = source(PART_THREE, data_label)
    return Table("requests", "各单位申请情况", frame, columns, src, NULL_NOTE, metrics=("requests.",))
