"""Views: named queries turned into titled tables and charts with their 口径, one module per topic.

A page shows these objects and keeps only what is interactive; the briefing (exports/briefing.py) is a list of the
same objects, so a table or chart is built once, with one choice of agencies and one 口径. Nothing here draws on
screen or writes a file. Each topic module lists the named queries it runs in QUERIES.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from analytics.state import LEVELS, TYPES, Selection
from loaders.keys import TEMPLATES

PART_THREE = "各单位《政府信息公开工作年度报告》第三部分“收到和处理政府信息公开申请情况”表格总计列"
PART_FOUR = "各单位《政府信息公开工作年度报告》第四部分“政府信息公开行政复议、行政诉讼情况”表格"
PART_PROSE = "各单位《政府信息公开工作年度报告》正文"
DISCLOSURE_RATE = "实质公开率 =（予以公开 + 部分公开）/ 办理总计；分母为0或未填报时为空（不是0%）"
CORRECTION_RATE = (
    "复议诉讼纠错率 = 结果纠正 / 已审结（总计 − 尚未审结），行政复议与两类行政诉讼合计；只计结果纠正、总计、尚未审结"
    "均已填报且总计与分项相符（R4）的栏目；没有已审结案件或未填报时为空"
)
NULL_NOTE = "报告未填报的数字不按0计：Excel中为空单元格，文稿中显示“—”。"
NO_REPORT = "（无报告）"
DASHBOARD = "政务公开年报分析看板"  # where a table comes from when it is the dashboard's own list (findings, versions)
# metric key prefixes of the figures a table shows: a finding citing one of them footnotes the table
FIGURES_THREE = ("requests.", "outcome.")
FIGURES_FOUR = ("review.", "litigation.")


@dataclass(frozen=True)
class Column:
    """A table column: its heading, the kind of its values and its 口径.

    Kinds: text; year; count (whole numbers, thousands separators); rate (a share, 0.61 shown as 61.0%); percent (a
    rate the report prints, 100 shown as 100%); number (any figure as printed, decimals kept); ordinal (a line,
    row or rank number, no separators); score (points, two decimals). Every kind but text holds numbers, never
    numbers as text.
    """

    name: str
    kind: str = "text"
    note: str = ""


UNIT_YEAR = (Column("单位"), Column("年度", "year"))  # the first two columns of most tables


@dataclass(frozen=True)
class NativeChart:
    """An editable Excel chart drawn from a table's own columns: one series per column in `series`."""

    kind: str  # line | bar | percent_stacked | ranked
    title: str
    category: tuple[str, ...]  # the column(s) naming each point, joined with a space when several
    series: tuple[str, ...]
    y_title: str
    max_rows: int = 30


@dataclass
class Table:
    """One titled table: rows as the queries return them, headed for people, with source and 口径."""

    key: str
    title: str
    frame: pl.DataFrame
    columns: tuple[Column, ...]
    source: str
    note: str
    native: NativeChart | None = None
    metrics: tuple[str, ...] = ()  # key prefixes of the figures shown, for footnotes; () for none
    years: tuple[int, ...] | None = None  # the years shown, when the table has no 年度 column
    footnotes: list[str] = field(default_factory=list)  # reviewed findings about its figures (briefing footnotes)

    def kinds(self) -> dict[str, str]:
        """Column heading -> kind of value."""
        return {c.name: c.kind for c in self.columns}


@dataclass
class Chart:
    """One titled figure, built by analytics/charts.py, with its source and 口径 note."""

    key: str
    title: str
    figure: go.Figure
    source: str
    note: str
    table: str = ""  # the key of the table whose rows it draws: footnoted from the same findings
    metrics: tuple[str, ...] = ()  # key prefixes of the figures drawn, when fewer than the table's
    footnotes: list[str] = field(default_factory=list)


def source(part: str, data_label: str = "") -> str:
    """A table's or chart's source line: the part of the reports, then where the numbers were read."""
    return f"资料来源：{part}。{data_label}"


def headed(rows: pl.DataFrame, sources: tuple[str, ...], columns: tuple[Column, ...]) -> pl.DataFrame:
    """The query's columns `sources`, in order, under the headings of `columns`."""
    return rows.select([pl.col(s).alias(c.name) for s, c in zip(sources, columns, strict=True)])


def template_name(template: str | None) -> str:
    """A template key in words (2021版模板 …), the key itself when unknown."""
    return TEMPLATES.get(template or "", template or "未识别")


BARS = 60  # reports a per-report bar chart draws at most: more bars are too thin to read or to click


def most(rows: pl.DataFrame, weight: str, limit: int, bars: int = BARS) -> list[str]:
    """The agencies of `rows` with the most `weight` summed over their rows, most first (then by name), at most
    `limit` of them and only as many as have at most `bars` reports (years) between them, the first always: the
    agencies a per-report chart draws when it cannot draw them all."""
    totals = rows.group_by("agency").agg(pl.col(weight).sum(), pl.col("year").n_unique().alias("_reports"))
    ranked = totals.sort([weight, "agency"], descending=[True, False], nulls_last=True).head(limit)
    fits = (pl.col("_reports").cum_sum() <= bars) | (pl.int_range(pl.len()) == 0)
    return ranked.filter(fits)["agency"].to_list()


def drawn_note(rows: pl.DataFrame, weight: str, words: str, limit: int) -> str | None:
    """The note under a per-report chart that leaves agencies out (most() draws them): how many it draws, of how
    many, and how to see the others; None when it draws every agency. `words` names the weight, e.g. "案件"."""
    count, drawn = rows["agency"].n_unique(), len(most(rows, weight, limit))
    if count <= drawn:
        return None
    return (
        f"图中只画出{words}最多的{drawn}个单位（共{count:,}个；至多{limit}个单位、{BARS}份报告）；"
        "请用左侧筛选缩小范围（如单位或年度），表格列出全部。"
    )


def report_label(rows: pl.DataFrame) -> pl.Expr:
    """A bar's label: the year, over the agency when the chart holds several agencies."""
    if rows["agency"].n_unique() == 1:
        return pl.format("{}年", "year")
    return pl.format("{}年<br>{}", "year", "agency")


def display(value: object, kind: str) -> str:
    """A value as a briefing prints it: counts with separators, rates in per cent, "—" for an unstated one."""
    if value is None:
        return "—"
    if kind == "count":
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    if kind == "rate":
        return f"{value * 100:.1f}%"
    if kind == "percent":
        return f"{value:g}%"
    return str(value)


NUMERIC_KINDS = ("year", "count", "rate", "percent", "number", "ordinal", "score")


def scope_words(selection: Selection) -> str:
    """The whole selection in words (地区, 层级, 类型, 单位, 年度), e.g. 地区：全部；…；年度：2019—2021年."""
    parts = [
        ("地区", "、".join(selection.regions) or "全部"),
        ("层级", "、".join(LEVELS.get(v, v) for v in selection.levels) or "全部"),
        ("类型", "、".join(TYPES.get(v, v) for v in selection.types) or "全部"),
        ("单位", "、".join(selection.agencies) or "全部"),
        ("年度", _years(selection.year_from, selection.year_to)),
    ]
    return "；".join(f"{name}：{value}" for name, value in parts)


def _years(low: int | None, high: int | None) -> str:
    """A year range in words."""
    if low is None and high is None:
        return "全部"
    if low == high:
        return f"{low}年"
    return f"{low or '最早'}—{high or '最近'}年"


def note_lines(table: Table) -> list[str]:
    """The 口径 of each column that has one, as "heading：note" lines."""
    return [f"{c.name}：{c.note}" for c in table.columns if c.note]
