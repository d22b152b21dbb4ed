"""总览: the selection's yearly totals, the yearly trend of requests received and handled, headline sentences."""

from __future__ import annotations

import polars as pl

from analytics import charts
from analytics.views import (
    CORRECTION_RATE,
    DISCLOSURE_RATE,
    FIGURES_FOUR,
    FIGURES_THREE,
    NULL_NOTE,
    PART_THREE,
    Chart,
    Column,
    NativeChart,
    Table,
    display,
    headed,
    source,
)

QUERIES = ("overview_by_year",)

COLUMNS = (
    Column("年度", "year"),
    Column("报告数", "count", "所选单位当年的年度报告份数（最新版本）"),
    Column("单位数", "count", "当年有年度报告的单位数"),
    Column("本年新收", "count", "第三部分“本年新收政府信息公开申请数量”总计列之和"),
    Column("办理总计", "count", "第三部分“（七）总计”总计列之和"),
    Column("实质公开", "count", "予以公开与部分公开件数之和"),
    Column("实质公开率", "rate", DISCLOSURE_RATE),
    Column("结果纠正", "count", "行政复议与两类行政诉讼“结果纠正”之和（计入纠错率的栏目）"),
    Column("已审结", "count", "行政复议与两类行政诉讼“总计 − 尚未审结”之和（计入纠错率的栏目）"),
    Column("复议诉讼纠错率", "rate", CORRECTION_RATE),
    Column("问题数", "count", "规则检查R1–R9与解析发现的问题条数"),
)
SOURCES = ("year", "reports", "units", "requests_new", "handled", "disclosed", "disclosure_rate", "corrected")
SOURCES += ("concluded", "correction_rate", "findings")
TREND_TITLE = "收到与办理的政府信息公开申请"


def yearly_table(by_year: pl.DataFrame, data_label: str = "") -> Table:
    """The yearly totals of the selection (overview_by_year)."""
    frame = headed(by_year, SOURCES, COLUMNS)
    note = (
        "按年度汇总所选单位的报告；只计报告写明的数字，未填报的报告不计入；下级单位已含在所选上级单位报告中的，"
        f"不重复相加。{NULL_NOTE}"
    )
    return Table(
        "overview", "年度汇总", frame, COLUMNS, source(PART_THREE + "及第四部分表格", data_label), note,
        NativeChart("line", TREND_TITLE, ("年度",), ("本年新收", "办理总计"), "件数"),
        metrics=FIGURES_THREE + FIGURES_FOUR,
    )  # fmt: skip


def trend_chart(by_year: pl.DataFrame, data_label: str = "") -> Chart:
    """Requests received and handled per year, one line each."""
    long = by_year.select("year", pl.col("requests_new").alias("收到申请"), pl.col("handled").alias("办理总计"))
    long = long.unpivot(index="year", variable_name="指标", value_name="件数")
    fig = charts.trend_lines(long, "year", "件数", "指标", TREND_TITLE, "年度", "件数")
    note = "各报告第三部分表格“本年新收”“办理结果·总计”列的总计，按年度汇总；未填报的报告不计入。"
    metrics = ("requests.new", "outcome.total")
    return Chart("overview_trend", TREND_TITLE, fig, source(PART_THREE, data_label), note, "overview", metrics)


MAX_NAMED = 5  # units named in a sentence; more are counted


def headline(by_year: pl.DataFrame) -> list[str]:
    """The latest year's key figures in sentences, with the year before for comparison (figures as queried)."""
    last = by_year.row(-1, named=True)
    before = by_year.row(-2, named=True) if by_year.height > 1 else None
    count = lambda v: "未填报" if v is None else f"{display(v, 'count')}件"  # noqa: E731
    rate = lambda v: "无法计算（分母为0或未填报）" if v is None else display(v, "rate")  # noqa: E731
    changed = unit_change(last) if before and not last["same_units"] else ""
    earlier = f"（{before['year']}年为{count(before['requests_new'])}{changed}）" if before else ""
    skipped = last["reports"] - last["counted_reports"]
    notes = last.get("parse_notes") or 0
    parse_notes = f"；另有解析提示{notes}条，说明报告如何读取，不计入问题" if notes else ""
    covered = f"，其中{skipped}份的数字已含在所选上级单位的报告中，合计不重复相加。" if skipped > 0 else "。"
    return [
        f"{last['year']}年，所选范围内共有{last['units']}个单位的{last['reports']}份年度报告{covered}",
        f"本年新收政府信息公开申请{count(last['requests_new'])}{earlier}，办理总计{count(last['handled'])}，"
        f"其中予以公开和部分公开{count(last['disclosed'])}，实质公开率{rate(last['disclosure_rate'])}。",
        f"行政复议和行政诉讼已审结{count(last['concluded'])}，结果纠正{count(last['corrected'])}，"
        f"纠错率{rate(last['correction_rate'])}。",
        f"数据核查发现{last['year']}年度报告的问题{last['findings']}条，其中待核实{last['findings_open']}条，"
        f"已说明{last['findings_explained']}条，已更正{last['findings_corrected']}条，不采纳{last['findings_rejected']}条，"
        f"详见“发现的问题”{parse_notes}。",
    ]


def unit_change(row: dict) -> str:
    """Which units a year's figures hold that the year before's do not, and the reverse (units_joined, units_left),
    so a reader does not take a change of units for a change of figures."""
    named = lambda units: "、".join(units[:MAX_NAMED]) + (f"等{len(units)}个单位" if len(units) > MAX_NAMED else "")  # noqa: E731
    parts = []
    if row.get("units_joined"):
        parts.append(f"本年多{named(row['units_joined'])}")
    if row.get("units_left"):
        parts.append(f"本年少{named(row['units_left'])}")
    return f"；两年单位不同，{'，'.join(parts)}，增减不全是同一批单位的变化" if parts else "；两年所选单位不同"
