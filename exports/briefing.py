"""What a briefing holds for a selection of agencies and years: tables, charts, findings, a ranking and the 口径.

Every number comes from the named queries the dashboard pages run (sql/marts, through a `fetch(name, **params)`
function: analytics.data.fetch in the app, analytics.queries.run on a read-only connection in the command line),
and every chart from the builders of analytics/charts.py. Nothing here adds, divides or recounts: the tables are
the queries' rows with their columns named for people, in the order a briefing reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import polars as pl

from analytics import charts
from analytics.state import Selection
from exports import ExportError
from loaders.keys import CATEGORY_LABELS, METRICS, REVIEW_BLOCK_LABELS, REVIEW_PARTS, RULES, SEVERITIES
from loaders.review import UNREVIEWED

Fetch = Callable[..., pl.DataFrame]

TOP = 12  # agencies drawn in one chart; the tables list all
MAX_PROPOSAL_BARS = 30
PROPOSALS = ("npc.", "cppcc.")
TEMPLATE_NAMES = {"2021": "2021版模板", "2019": "2019版模板", "prose": "文字报告"}
NO_REPORT = "（无报告）"
PARTS = dict(REVIEW_PARTS)  # maintained -> 结果维持 …, total -> 总计
SECTION_NAMES = {"二": "第二部分 主动公开", "三": "第三部分 依申请公开", "四": "第四部分 复议诉讼", "prose": "正文"}
KIND_NAMES = {"count": "件数（计数）", "change": "增减数", "amount": "金额"}
REVIEWS = "finding_reviews"  # the review state of findings, where the database has it
_FINDINGS = "briefing_findings"

PART_THREE = "各单位《政府信息公开工作年度报告》第三部分“收到和处理政府信息公开申请情况”表格总计列"
PART_FOUR = "各单位《政府信息公开工作年度报告》第四部分“政府信息公开行政复议、行政诉讼情况”表格"
PART_PROSE = "各单位《政府信息公开工作年度报告》正文"
DISCLOSURE_RATE = "实质公开率 =（予以公开 + 部分公开）/ 办理总计；分母为0或未填报时为空（不是0%）"
CORRECTION_RATE = (
    "复议诉讼纠错率 = 结果纠正 / 已审结（总计 − 尚未审结），行政复议与两类行政诉讼合计；只计结果纠正、总计、尚未审结"
    "均已填报且总计与分项相符（R4）的栏目；没有已审结案件或未填报时为空"
)
NULL_NOTE = "报告未填报的数字不按0计：Excel中为空单元格，文稿中显示“—”。"
MAX_FOOTNOTES = 10  # reviewed findings footnoted under one table or chart; the findings table lists all
# metric key prefixes of the figures a table shows: a finding citing one of them footnotes the table
FIGURES_THREE = ("requests.", "outcome.")
FIGURES_FOUR = ("review.", "litigation.")


@dataclass(frozen=True)
class Column:
    """A table column: its heading, the kind of its values (text, year, count, rate, percent) and its 口径."""

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
    """One table of the briefing: rows as the queries return them, headed for people, with source and 口径."""

    key: str
    title: str
    frame: pl.DataFrame
    columns: tuple[Column, ...]
    source: str
    note: str
    native: NativeChart | None = None
    metrics: tuple[str, ...] = ()  # key prefixes of the figures shown, for footnotes; () for none
    years: tuple[int, ...] | None = None  # the years shown, when the table has no 年度 column
    footnotes: list[str] = field(default_factory=list)  # reviewed findings about its figures (attach_footnotes)

    def kinds(self) -> dict[str, str]:
        """Column heading -> kind of value."""
        return {c.name: c.kind for c in self.columns}


@dataclass
class Chart:
    """One figure of the briefing, built by analytics/charts.py, with its source and 口径 note."""

    key: str
    title: str
    figure: go.Figure
    source: str
    note: str
    table: str = ""  # the key of the table whose rows it draws: footnoted from the same findings
    metrics: tuple[str, ...] = ()  # key prefixes of the figures drawn, when fewer than the table's
    footnotes: list[str] = field(default_factory=list)


@dataclass
class Section:
    """A part of the briefing: a heading, sentences, charts and tables, in reading order."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class Briefing:
    """Everything the three files show for one selection."""

    title: str
    scope: str
    data_label: str
    made_at: dt.datetime
    selection: Selection
    year: int  # the latest year of the selection with a report: headline and ranking
    sections: list[Section]
    ranking: Table
    findings: Table
    definitions: Table

    def charts(self) -> list[Chart]:
        """Every chart, in reading order."""
        return [c for s in self.sections for c in s.charts]

    def tables(self) -> list[Table]:
        """Every table, in reading order (the ranking and the findings among them)."""
        return [t for s in self.sections for t in s.tables]


# --- text -----------------------------------------------------------------------------------------


def display(value: Any, kind: str) -> str:
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


def scope_text(selection: Selection) -> str:
    """The selection in words, e.g. 单位：张店区人民政府；年度：2014—2021年."""
    units = "、".join(selection.agencies) if selection.agencies else "全部单位"
    low, high = selection.year_from, selection.year_to
    if low is None and high is None:
        years = "全部年度"
    elif low == high:
        years = f"{low}年"
    else:
        years = f"{low or '最早'}—{high or '最近'}年"
    return f"单位：{units}；年度：{years}"


def data_label(db: Path) -> str:
    """Where the numbers come from: the database file and when it was last written."""
    written = dt.datetime.fromtimestamp(db.stat().st_mtime)
    return f"数据：{db.name}（更新于{written:%Y-%m-%d %H:%M}）"


def _source(part: str, data_label: str) -> str:
    return f"资料来源：{part}。{data_label}"


def _headed(rows: pl.DataFrame, sources: tuple[str, ...], columns: tuple[Column, ...]) -> pl.DataFrame:
    """The query's columns `sources`, in order, under the headings of `columns`."""
    return rows.select([pl.col(s).alias(c.name) for s, c in zip(sources, columns, strict=True)])


def chart_kind(fig: go.Figure) -> str:
    """What kind of chart a figure is, in words (for alt text and captions): 折线图, 柱状图, 堆积柱状图, 条形图."""
    kinds = {t.type for t in fig.data}
    if "bar" in kinds:
        if any(getattr(t, "orientation", None) == "h" for t in fig.data):
            return "条形图"
        return "堆积柱状图" if fig.layout.barmode in ("stack", "relative") else "柱状图"
    if "scatter" in kinds:
        return "折线图"
    return "图"


# --- assembly -------------------------------------------------------------------------------------


def build(
    fetch: Fetch,
    selection: Selection,
    data_label: str,
    title: str = "政府信息公开工作年度报告分析简报",
    made_at: dt.datetime | None = None,
) -> Briefing:
    """Assemble the briefing of a selection from the named queries; an error when the selection holds no report."""
    params = selection.params()
    by_year = fetch("overview_by_year", **params)
    if by_year.is_empty():
        raise ExportError(f"所选范围内没有年度报告（{scope_text(selection)}） / the selection holds no annual report")
    year = int(by_year["year"].max())
    ranking = _ranking(fetch, selection, year, data_label)
    order = _agency_order(ranking)
    reviewed = with_reviews(fetch(_FINDINGS, **params), review_rows(fetch, params))
    findings = _findings(reviewed, data_label)
    sections = [
        _overview(by_year, data_label),
        _requests(fetch("trends_requests", **params), order, data_label),
        _outcomes(fetch, params, order, data_label),
        _review(fetch("review_blocks", **params), order, data_label),
        _proposals(fetch("proposals_by_unit", **params), order, data_label),
        _ranking_section(ranking, year),
        Section("发现的问题", [_findings_sentence(findings)], [], [findings]),
    ]
    attach_footnotes(sections, reviewed)
    return Briefing(
        title=title,
        scope=scope_text(selection),
        data_label=data_label,
        made_at=made_at or dt.datetime.now(),
        selection=selection,
        year=year,
        sections=[s for s in sections if s.charts or s.tables],
        ranking=ranking,
        findings=findings,
        definitions=definitions(),
    )


def _overview(by_year: pl.DataFrame, data_label: str) -> Section:
    """Headline sentences, the yearly trend chart and the yearly table (overview_by_year, as on 总览)."""
    columns = (
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
    sources = ("year", "reports", "units", "requests_new", "handled", "disclosed", "disclosure_rate", "corrected")
    sources += ("concluded", "correction_rate", "findings")
    frame = _headed(by_year, sources, columns)
    note = (
        "按年度汇总所选单位的报告；只计报告写明的数字，未填报的报告不计入；下级单位已含在所选上级单位报告中的，"
        f"不重复相加。{NULL_NOTE}"
    )
    table = Table(
        "overview", "年度汇总", frame, columns, _source(PART_THREE + "及第四部分表格", data_label), note,
        NativeChart("line", "收到与办理的政府信息公开申请", ("年度",), ("本年新收", "办理总计"), "件数"),
        metrics=FIGURES_THREE + FIGURES_FOUR,
    )  # fmt: skip
    long = frame.select("年度", pl.col("本年新收").alias("收到申请"), "办理总计")
    long = long.rename({"年度": "year"}).unpivot(index="year", variable_name="指标", value_name="件数")
    title = "收到与办理的政府信息公开申请"
    fig = charts.trend_lines(long, "year", "件数", "指标", title, "年度", "件数")
    chart_note = "各报告第三部分表格“本年新收”“办理结果·总计”列的总计，按年度汇总；未填报的报告不计入。"
    metrics = ("requests.new", "outcome.total")
    chart = Chart("overview_trend", title, fig, _source(PART_THREE, data_label), chart_note, "overview", metrics)
    return Section("总体情况", headline(by_year), [chart], [table])


def headline(by_year: pl.DataFrame) -> list[str]:
    """The latest year's key figures in sentences, with the year before for comparison (figures as queried)."""
    last = by_year.row(-1, named=True)
    before = by_year.row(-2, named=True) if by_year.height > 1 else None
    count = lambda v: "未填报" if v is None else f"{display(v, 'count')}件"  # noqa: E731
    rate = lambda v: "无法计算（分母为0或未填报）" if v is None else display(v, "rate")  # noqa: E731
    changed = "，两年所选单位不同" if before and not last["same_units"] else ""
    earlier = f"（{before['year']}年为{count(before['requests_new'])}{changed}）" if before else ""
    return [
        f"{last['year']}年，所选范围内共有{last['units']}个单位的{last['reports']}份年度报告"
        + (
            f"，其中{last['reports'] - last['counted_reports']}份的数字已含在所选上级单位的报告中，合计不重复相加。"
            if last["counted_reports"] < last["reports"]
            else "。"
        ),
        f"本年新收政府信息公开申请{count(last['requests_new'])}{earlier}，办理总计{count(last['handled'])}，"
        f"其中予以公开和部分公开{count(last['disclosed'])}，实质公开率{rate(last['disclosure_rate'])}。",
        f"行政复议和行政诉讼已审结{count(last['concluded'])}，结果纠正{count(last['corrected'])}，"
        f"纠错率{rate(last['correction_rate'])}。",
        f"数据核查发现{last['year']}年度报告的问题{last['findings']}条，其中待核实{last['findings_open']}条，"
        f"已说明{last['findings_explained']}条，已更正{last['findings_corrected']}条，不采纳{last['findings_rejected']}条，"
        "详见“发现的问题”。",
    ]


def _agency_order(ranking: Table) -> list[str]:
    """Agencies in ranking order (most requests in the latest year first): the ones charts draw first."""
    return ranking.frame["单位"].to_list()


def _first_agencies(rows: pl.DataFrame, order: list[str], limit: int = TOP) -> list[str]:
    """The agencies of `rows` that charts draw: ranking order first, the rest by name, at most `limit`."""
    present = set(rows["agency"].drop_nulls().to_list())
    ranked = [a for a in order if a in present]
    return (ranked + sorted(present - set(ranked)))[:limit]


def _requests(rows: pl.DataFrame, order: list[str], data_label: str) -> Section:
    """Requests per agency and year (trends_requests, as on 申请趋势): a line per agency and the table."""
    columns = (
        *UNIT_YEAR,
        Column("模板", "text", "报告使用的全国模板；（无报告）表示该单位该年度没有报告"),
        Column("本年新收", "count", "第三部分“本年新收政府信息公开申请数量”总计列；文字报告取正文所述申请总数"),
        Column("上年结转", "count", "第三部分“上年结转政府信息公开申请数量”总计列"),
        Column("结转下年", "count", "第三部分“结转下年度继续办理”总计列"),
    )
    if rows.is_empty():
        return Section("申请情况")
    pairs = rows.select("template", "report_id").rows()
    names = [NO_REPORT if r is None else TEMPLATE_NAMES.get(t, t) for t, r in pairs]
    frame = rows.select(
        pl.col("agency").alias("单位"),
        pl.col("year").alias("年度"),
        pl.Series("模板", names, pl.String),
        pl.col("requests_new").alias("本年新收"),
        pl.col("carried_over").alias("上年结转"),
        pl.col("carried_forward").alias("结转下年"),
    )
    source = _source(PART_THREE, data_label)
    table = Table("requests", "各单位申请情况", frame, columns, source, NULL_NOTE, metrics=("requests.",))
    drawn = _first_agencies(rows, order, 10)
    plot = rows.filter(pl.col("agency").is_in(drawn)).select(
        "year", pl.col("agency").alias("单位"), pl.col("requests_new").alias("本年新收")
    )
    title = "各单位本年新收申请数"
    fig = charts.trend_lines(plot, "year", "本年新收", "单位", title, "年度", "件数")
    note = (
        "各报告第三部分“本年新收政府信息公开申请数量”的总计列；2018年及以前的文字报告取正文所述的申请总数。"
        "某年没有报告或报告未填报时该点空缺，不画作0；虚线标出全国模板的更替。"
    )
    chart = Chart("requests_trend", title, fig, source, note, "requests", ("requests.new",))
    return Section("申请情况", [], [chart], [table])


def _outcomes(fetch: Fetch, params: dict[str, Any], order: list[str], data_label: str) -> Section:
    """How requests were answered (outcomes_mix with its disclosure_rate, outcomes_denied_reasons)."""
    mix = fetch("outcomes_mix", **params)
    section = Section("办理结果")
    if not mix.is_empty():
        frame = mix.select(
            pl.col("agency").alias("单位"),
            pl.col("year").alias("年度"),
            pl.col("template").replace_strict(TEMPLATE_NAMES, default=pl.col("template")).alias("模板"),
            *[pl.col(k).alias(v) for k, v in CATEGORY_LABELS.items()],
            pl.col("handled").alias("办理总计"),
            pl.col("disclosure_rate").alias("实质公开率"),
        )
        section.tables.append(_mix_table(frame, data_label))
        section.charts.append(_mix_chart(mix, order, data_label))
    reasons = fetch("outcomes_denied_reasons", **params)
    if not reasons.is_empty():
        section.charts.append(_reasons_chart(reasons, data_label))
        section.tables.append(_reasons_table(reasons, data_label))
    return section


def _mix_table(frame: pl.DataFrame, data_label: str) -> Table:
    """Each report's six outcome categories, 办理总计 and 实质公开率."""
    columns = (
        *UNIT_YEAR,
        Column("模板"),
        *[Column(v, "count", f"第三部分“{v}”一类各分项之和（总计列）") for v in CATEGORY_LABELS.values()],
        Column("办理总计", "count", "第三部分“（七）总计”，按报告所印，不重新相加"),
        Column("实质公开率", "rate", DISCLOSURE_RATE),
    )
    categories = tuple(CATEGORY_LABELS.values())
    native = NativeChart("percent_stacked", "各报告办理结果构成", ("单位", "年度"), categories, "占比")
    source = _source(PART_THREE, data_label)
    return Table("outcomes", "各报告办理结果", frame, columns, source, NULL_NOTE, native, metrics=("outcome.",))


def _report_label(rows: pl.DataFrame) -> pl.Expr:
    """A bar's label: the year, over the agency when the chart holds several agencies."""
    if rows["agency"].n_unique() == 1:
        return pl.format("{}年", "year")
    return pl.format("{}年<br>{}", "year", "agency")


def _per_report(rows: pl.DataFrame, order: list[str], labels: dict[str, str], name: str) -> pl.DataFrame:
    """The reports of the agencies a chart draws, one row per report and figure: 报告 (its bar's label), `name` (the
    figure's label from `labels`, keyed by column) and 件数."""
    shown = rows.filter(pl.col("agency").is_in(_first_agencies(rows, order))).sort("agency", "year")
    wide = shown.select(_report_label(shown).alias("报告"), *[pl.col(k).alias(v) for k, v in labels.items()])
    return wide.unpivot(index="报告", variable_name=name, value_name="件数")


def _mix_chart(mix: pl.DataFrame, order: list[str], data_label: str) -> Chart:
    """The outcome mix of each report as a 100% stacked bar (the 办理结果 page's chart)."""
    answered = mix.filter(pl.any_horizontal([pl.col(c) > 0 for c in CATEGORY_LABELS]))
    long = _per_report(answered, order, CATEGORY_LABELS, "办理结果")
    title = "各报告办理结果构成"
    if long.is_empty():
        fig = charts.empty(title, "所选报告没有可画的件数")
    else:
        fig = charts.share_bars_stated(long, "报告", "件数", "办理结果", title, "报告", list(CATEGORY_LABELS.values()))
    note = (
        "第三部分表格总计列，各类为其所有分项之和（文字报告只给出某类合计的，按该类合计计入）；"
        f"报告未填报的类别不画出（不是0）；最多画出{TOP}个单位。"
    )
    return Chart("outcomes_mix", title, fig, _source(PART_THREE, data_label), note, "outcomes")


def _reasons_chart(reasons: pl.DataFrame, data_label: str) -> Chart:
    """The eight 不予公开 reasons stacked by year (the 办理结果 page's chart)."""
    plot = reasons.select(pl.col("reason").alias("理由"), pl.format("{}年", "year").alias("年度"), pl.col("cases"))
    title = "不予公开理由（件）"
    fig = charts.grouped_bars(plot, "理由", "cases", "年度", title, "理由", "件数", stacked=True)
    note = "第三部分“（三）不予公开”八个分项的总计列，按年度相加；只给出不予公开合计的文字报告不在其中。"
    return Chart("outcomes_reasons", title, fig, _source(PART_THREE, data_label), note, "reasons")


def _reasons_table(reasons: pl.DataFrame, data_label: str) -> Table:
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
    source = _source(PART_THREE, data_label)
    return Table("reasons", "不予公开理由", frame, columns, source, NULL_NOTE, metrics=("outcome.denied.",))


def _review(blocks: pl.DataFrame, order: list[str], data_label: str) -> Section:
    """Section 四 as printed (review_blocks, as on 复议诉讼): a chart per block with figures, and the table."""
    section = Section("行政复议和行政诉讼")
    if blocks.is_empty():
        return section
    columns = (
        *UNIT_YEAR,
        Column("类别"),
        *[Column(v, "count", f"第四部分该栏“{v}”，按报告原文") for v in PARTS.values()],
        Column("已审结", "count", "总计 − 尚未审结"),
        Column("核对", "text", "总计与分项之和不符时为规则R4的检查结果"),
    )
    frame = blocks.select(
        pl.col("agency").alias("单位"),
        pl.col("year").alias("年度"),
        pl.col("block_label").alias("类别"),
        *[pl.col(k).alias(v) for k, v in PARTS.items()],
        pl.col("concluded").alias("已审结"),
        pl.col("r4_message").fill_null("").alias("核对"),
    )
    note = f"总计按报告原文，不重新相加；总计与分项不符的栏目在“核对”列注明。{NULL_NOTE}"
    source = _source(PART_FOUR, data_label)
    section.tables.append(Table("review", "行政复议和行政诉讼", frame, columns, source, note, metrics=FIGURES_FOUR))
    for block, label in REVIEW_BLOCK_LABELS.items():
        chart = _block_chart(blocks, block, label, order, data_label)
        if chart:
            section.charts.append(chart)
    return section


def _block_chart(blocks: pl.DataFrame, block: str, label: str, order: list[str], data_label: str) -> Chart | None:
    """One block's five figures per report as grouped bars; None when no report of the selection states any."""
    rows = blocks.filter(pl.col("block") == block)
    rows = rows.filter(pl.any_horizontal([pl.col(k).is_not_null() for k in PARTS]))
    if rows.is_empty():
        return None
    plot = _per_report(rows, order, PARTS, "结果")
    title = f"{label}案件"
    fig = charts.grouped_bars(plot, "报告", "件数", "结果", title, "报告", "件数")
    note = f"第四部分“{label}”一栏的五项，按报告原文（总计不重新计算）；未填报的项不画出（不是0）。"
    key, source = f"review_{block.replace('.', '_')}", _source(PART_FOUR, data_label)
    return Chart(key, title, fig, source, note, "review", (f"{block}.",))


def _proposals(units: pl.DataFrame, order: list[str], data_label: str) -> Section:
    """NPC suggestions and CPPCC proposals (proposals_by_unit, as on 建议提案)."""
    section = Section("建议提案办理")
    if units.is_empty():
        return section
    columns = (
        *UNIT_YEAR,
        Column("人大代表建议", "count", "报告正文所述承办的人大代表建议件数"),
        Column("建议办结", "count", "报告正文所述人大代表建议办结（办复）件数"),
        Column("建议办复率（报告所述）", "percent", "报告正文写明的办复率，照录"),
        Column("政协委员提案", "count", "报告正文所述承办的政协委员提案件数"),
        Column("提案办结", "count", "报告正文所述政协委员提案办结（办复）件数"),
        Column("提案办复率（报告所述）", "percent", "报告正文写明的办复率，照录"),
    )
    sources = ("agency", "year", "npc_received", "npc_resolved", "npc_stated_rate")
    sources += ("cppcc_received", "cppcc_resolved", "cppcc_stated_rate")
    frame = _headed(units, sources, columns)
    source = _source(PART_PROSE, data_label)
    section.tables.append(Table("proposals", "建议提案办理", frame, columns, source, NULL_NOTE, metrics=PROPOSALS))
    drawn = units.filter(pl.col("agency").is_in(_first_agencies(units, order))).head(MAX_PROPOSAL_BARS)
    long = drawn.select(
        pl.format("{}（{}年）", "agency", "year").alias("单位年度"),
        pl.col("npc_received").alias("人大代表建议"),
        pl.col("cppcc_received").alias("政协委员提案"),
    ).unpivot(index="单位年度", variable_name="类别", value_name="件数")
    title = "承办的人大代表建议与政协委员提案"
    fig = charts.grouped_bars(long.drop_nulls("件数"), "单位年度", "件数", "类别", title, "单位（年度）", "件数")
    note = "报告正文中承办的人大代表建议、政协委员提案件数；未写明的不画出。政府与其办公室的报告可能写同一组数字。"
    section.charts.append(Chart("proposals", title, fig, source, note, "proposals"))
    return section


_RANK_METRICS = {
    "requests.new": "本年新收",
    "outcome.total": "办理总计",
    "rate.disclosure": "实质公开率",
    "rate.correction": "复议诉讼纠错率",
}


def _ranking(fetch: Fetch, selection: Selection, year: int, data_label: str) -> Table:
    """The selected units in `year` ranked by requests received, with their handling and rates (compare_units, as
    on 单位对比: one query per metric, the same numbers the page shows)."""
    params = {**selection.params(), "year_from": year, "year_to": year}
    frame: pl.DataFrame | None = None
    for metric, name in _RANK_METRICS.items():
        rows = fetch("compare_units", metric=metric, **params).select("agency", pl.col("value").alias(name))
        frame = rows if frame is None else frame.join(rows, on="agency", how="left")
    assert frame is not None
    frame = frame.sort(["本年新收", "agency"], descending=[True, False], nulls_last=True)
    place = pl.col("本年新收").rank("min", descending=True).cast(pl.Int64)
    frame = frame.select(place.alias("名次"), pl.col("agency").alias("单位"), *_RANK_METRICS.values())
    columns = (
        Column("名次", "count", f"按{year}年本年新收申请数从多到少；并列同名次；未填报的不排名"),
        Column("单位"),
        Column("本年新收", "count", "第三部分“本年新收政府信息公开申请数量”总计列"),
        Column("办理总计", "count", "第三部分“（七）总计”总计列"),
        Column("实质公开率", "rate", DISCLOSURE_RATE),
        Column("复议诉讼纠错率", "rate", CORRECTION_RATE),
    )
    native = NativeChart("ranked", f"{year}年本年新收申请数", ("单位",), ("本年新收",), "件数")
    note = f"{year}年所选单位按本年新收申请数排名。{NULL_NOTE}"
    source = _source(PART_THREE + "及第四部分表格", data_label)
    metrics = FIGURES_THREE + FIGURES_FOUR
    return Table("ranking", f"{year}年单位排名", frame, columns, source, note, native, metrics, (year,))


def _ranking_section(ranking: Table, year: int) -> Section:
    """The ranking table and its two bar charts (requests received, substantive disclosure rate)."""
    frame = ranking.frame
    figs = [
        ("ranking_requests", f"{year}年本年新收申请数排名", "本年新收", "件数", False),
        ("ranking_disclosure", f"{year}年实质公开率排名", "实质公开率", "实质公开率", True),
    ]
    out = []
    for key, title, column, axis, percent in figs:
        if frame[column].drop_nulls().is_empty():
            continue
        fig = charts.ranked_bars(frame, "单位", column, title, axis, percent=percent)
        note = f"{year}年所选单位；未填报或分母为0的单位不画出。" + (DISCLOSURE_RATE if percent else "")
        drawn = ("requests.new",) if column == "本年新收" else ("outcome.",)
        out.append(Chart(key, title, fig, ranking.source, note, "ranking", drawn))
    return Section(f"{year}年单位排名", [], out, [ranking])


def _findings(rows: pl.DataFrame, data_label: str) -> Table:
    """The findings of the selection with their review status and explanation (情况说明) where recorded."""
    frame = rows.select(
        pl.col("agency").alias("单位"),
        pl.col("year").alias("年度"),
        pl.col("rule").alias("规则"),
        pl.col("rule").replace_strict(RULES, default="").alias("规则说明"),
        pl.col("severity").replace_strict(SEVERITIES, default=pl.col("severity")).alias("级别"),
        pl.col("message").alias("问题"),
        pl.col("status").alias("状态"),
        pl.col("last_note").alias("情况说明"),
    )
    columns = (
        *UNIT_YEAR,
        Column("规则", "text", "R1–R9为年报模板自身规定的核对规则；PARSE为解析时发现的问题"),
        Column("规则说明"),
        Column("级别", "text", "错误：数字互相矛盾；警告：可能有误或不规范；提示：供参考"),
        Column("问题", "text", "检查发现的问题，写明所涉单元格与数值"),
        Column("状态", "text", "审核记录的核实状态（待核实、已说明、已更正、不采纳）"),
        Column("情况说明", "text", "审核记录中最新的一条情况说明；空白表示尚无说明"),
    )
    source = _source("规则检查R1–R9与解析结果（与“报告详情”页所列相同）", data_label)
    note = "每行一个问题，错误在前。报告按原文入库，问题不改动原数字。"
    return Table("findings", "发现的问题", frame, columns, source, note)


REVIEW_COLUMNS = {
    "status": pl.String,
    "status_by": pl.String,
    "status_at": pl.Datetime,
    "note_count": pl.Int64,
    "last_note": pl.String,
    "last_note_by": pl.String,
    "last_note_at": pl.Datetime,
}


def with_reviews(rows: pl.DataFrame, reviews: pl.DataFrame | None) -> pl.DataFrame:
    """The findings with each one's review state (REVIEW_COLUMNS) matched by finding_key, in the findings' order;
    the columns stay empty (None) where the database keeps no reviews."""
    if reviews is None:
        return rows.with_columns(pl.lit(None, dtype).alias(name) for name, dtype in REVIEW_COLUMNS.items())
    state = reviews.unique("finding_key", keep="last").select("finding_key", *REVIEW_COLUMNS)
    return rows.join(state, on="finding_key", how="left", maintain_order="left")


def review_rows(fetch: Fetch, params: dict[str, Any]) -> pl.DataFrame | None:
    """The review state of the selection's findings, or None when the database has no finding_reviews view (a
    database made before reviews existed): the 状态 and 情况说明 columns then stay blank."""
    if not fetch("relation_exists", relation=REVIEWS)["present"].item():
        return None
    wanted = {k: params[k] for k in ("agencies", "year_from", "year_to")}
    return fetch("briefing_finding_reviews", **wanted)


def _findings_sentence(findings: Table) -> str:
    """How many findings the list holds."""
    if findings.frame.is_empty():
        return "所选范围内的报告未发现问题。"
    return f"所选范围内的报告共发现问题{findings.frame.height}条，逐条列于下表；状态与情况说明由审核记录填入。"


# --- footnotes ------------------------------------------------------------------------------------


def attach_footnotes(sections: list[Section], findings: pl.DataFrame) -> None:
    """Footnote every table and chart with the reviewed findings about the figures it shows.

    A finding concerns a table when it is about one of the table's reports (unit and year) and cites a figure of
    the kind the table shows (metric key prefixes). Reviewed findings (a status other than 待核实, or a written
    explanation) are footnoted one by one with their status and latest explanation; the rest are counted in one
    closing line. A chart takes the footnotes of the table whose rows it draws, narrowed to its own figures.
    """
    if findings.is_empty() or findings["metrics"].list.len().sum() == 0:
        return
    tables = {t.key: t for s in sections for t in s.tables}
    for table in tables.values():
        table.footnotes = footnotes(_concerning(findings, table, table.metrics), "表")
    for chart in (c for s in sections for c in s.charts):
        table = tables.get(chart.table)
        if table is not None:
            chart.footnotes = footnotes(_concerning(findings, table, chart.metrics or table.metrics), "图")


def _concerning(findings: pl.DataFrame, table: Table, metrics: tuple[str, ...]) -> pl.DataFrame:
    """The findings about the reports a table shows that cite one of `metrics` (key prefixes)."""
    if not metrics:
        return findings.clear()
    starts = pl.any_horizontal(pl.element().str.starts_with(prefix) for prefix in metrics)
    keep = pl.col("metrics").list.eval(starts).list.any()
    frame = table.frame
    if "单位" in frame.columns:
        keep = keep & pl.col("agency").is_in(frame["单位"].drop_nulls().unique().to_list())
    years = frame["年度"].drop_nulls().unique().to_list() if "年度" in frame.columns else table.years
    if years is not None:
        keep = keep & pl.col("year").is_in(list(years))
    return findings.filter(keep)


def footnotes(findings: pl.DataFrame, what: str) -> list[str]:
    """The footnote lines of a table (`what` 表) or chart (图): 注1, 注2 … for each reviewed finding, at most
    MAX_FOOTNOTES, then how many more there are and how many still await review."""
    if findings.is_empty():
        return []
    reviewed = (pl.col("status").fill_null(UNREVIEWED) != UNREVIEWED) | (pl.col("note_count").fill_null(0) > 0)
    done, waiting = findings.filter(reviewed), findings.filter(~reviewed).height
    lines = [f"注{n}：{footnote(row)}" for n, row in enumerate(done.head(MAX_FOOTNOTES).iter_rows(named=True), 1)]
    if done.height > MAX_FOOTNOTES:
        lines.append(f"另有{done.height - MAX_FOOTNOTES}条已有审核记录的问题涉及本{what}数字，见“发现的问题”。")
    if waiting:
        lines.append(f"本{what}数字涉及{waiting}条尚待核实的问题，见“发现的问题”。")
    return lines


def footnote(row: dict[str, Any]) -> str:
    """One reviewed finding as a footnote: the report, the finding, its status and latest explanation with who
    recorded them and when."""
    parts = [f"{row['agency']}{row['year']}年报告（{row['rule']}）：{row['message'].rstrip('。')}"]
    status = row["status"] or UNREVIEWED
    parts.append(f"核实状态：{status}{_by(row['status_by'], row['status_at'])}")
    if row["last_note"]:
        note = row["last_note"].strip().rstrip("。")
        parts.append(f"情况说明：{note}{_by(row['last_note_by'], row['last_note_at'])}")
    return "。".join(parts) + "。"


def _by(who: str | None, when: dt.datetime | None) -> str:
    """（who，YYYY-MM-DD） when either is recorded."""
    said = [x for x in (who, f"{when:%Y-%m-%d}" if when else None) if x]
    return f"（{'，'.join(said)}）" if said else ""


def definitions() -> Table:
    """The 口径 of every figure: the two rates, then every canonical metric of the data dictionary."""
    rows = [
        ("比率", "实质公开率", "rate.disclosure", DISCLOSURE_RATE),
        ("比率", "复议诉讼纠错率", "rate.correction", CORRECTION_RATE),
    ]
    for metric in METRICS.values():
        where = SECTION_NAMES.get(metric.section, metric.section)
        templates = "、".join(TEMPLATE_NAMES.get(t, t) for t in metric.templates)
        total = "；第三部分指标在简报中取“总计”列" if metric.section == "三" else ""
        rows.append(("指标", metric.label, metric.key, f"{where}；{KIND_NAMES[metric.kind]}；见于{templates}{total}"))
    columns = (Column("类别"), Column("名称"), Column("键"), Column("口径"))
    frame = pl.DataFrame(rows, schema=[c.name for c in columns], orient="row")
    note = "指标名称与键见《政府信息公开工作年度报告》数据字典；未填报的数字为空，不按0计；“/”与空白照录为未填报。"
    source = "资料来源：数据字典（loaders/keys.py，与数据库表 metric_defs 相同）"
    return Table("definitions", "口径", frame, columns, source, note)


def column_notes(briefing: Briefing) -> pl.DataFrame:
    """Every table column that has a 口径 note: table, column, note (for the 口径 sheet and appendix)."""
    rows = [(t.title, c.name, c.note) for t in briefing.tables() for c in t.columns if c.note]
    return pl.DataFrame(rows, schema=["表", "列", "口径"], orient="row")
