"""What a briefing holds for a selection of agencies and years: a list of the views the pages show (analytics/views:
titled tables and charts with their 口径), in the order a briefing reads them, with footnotes from the findings.

Every number comes from the pages' named queries (sql/marts, through a `fetch(name, **params)` function:
ui.data.fetch in the app, analytics.queries.run on a read-only connection in the command line). Nothing here adds,
divides or recounts, and no table or chart is built here: the views build them once for page and briefing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import polars as pl

from analytics.state import Selection
from analytics.views import Chart, Table, compare, outcomes, overview, proposals, review, trends
from analytics.views import findings as finding_views
from analytics.views.definitions import definitions
from exports import ExportError
from loaders.keys import UNREVIEWED

Fetch = Callable[..., pl.DataFrame]

# the named queries the briefing runs, through the views it shows (bench/queries.py times them)
QUERIES = (
    *overview.QUERIES,
    *trends.QUERIES,
    *outcomes.QUERIES,
    *review.QUERIES,
    *proposals.QUERIES,
    *compare.QUERIES,
    *finding_views.QUERIES,
    "data_updated",
)
MAX_FOOTNOTES = 10  # reviewed findings footnoted under one table or chart; the findings table lists all


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
    findings: Table  # the rule findings one by one (the annex 问题明细)
    definitions: Table
    annexes: list[Section] = field(default_factory=list)  # after the body: findings in detail, parser notes

    def charts(self) -> list[Chart]:
        """Every chart, in reading order."""
        return [c for s in self.sections for c in s.charts]

    def tables(self) -> list[Table]:
        """Every table, in reading order (the ranking and the findings among them, the annexes' last)."""
        return [t for s in (*self.sections, *self.annexes) for t in s.tables]


# --- text -----------------------------------------------------------------------------------------


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


def data_label(db: Path, fetch: Fetch | None = None) -> str:
    """Where the numbers come from: the database file and when its data last changed (data_updated, through
    `fetch`), or, without it or any data, when the file was last written."""
    updated = fetch("data_updated")["updated_at"].item() if fetch is not None else None
    written = updated if updated is not None else dt.datetime.fromtimestamp(db.stat().st_mtime)
    return f"数据：{db.name}（更新于{written:%Y-%m-%d %H:%M}）"


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
    """Assemble the briefing of a selection from the views the pages show; an error when it holds no report."""
    params = selection.params()
    by_year = fetch("overview_by_year", **params)
    if by_year.is_empty():
        raise ExportError(f"所选范围内没有年度报告（{scope_text(selection)}） / the selection holds no annual report")
    year = int(by_year["year"].max())
    ranking = compare.ranking_table(fetch, selection, year, data_label)
    reviewed = finding_views.reviewed_findings(fetch, params)
    findings = finding_views.findings_table(reviewed, data_label)
    summary = finding_views.summary_table(fetch("briefing_findings_summary", **params), data_label)
    parse_notes = finding_views.parse_notes_table(fetch("briefing_parse_notes", **params), data_label)
    sections = [
        Section(
            "总体情况",
            overview.headline(by_year),
            [overview.trend_chart(by_year, data_label)],
            [overview.yearly_table(by_year, data_label)],
        ),
        _requests(fetch("trends_requests", **params), data_label),
        _outcomes(fetch, params, data_label),
        _review(fetch("review_blocks", **params), data_label),
        _proposals(fetch("proposals_by_unit", **params), data_label),
        Section(f"{year}年单位排名", [], compare.ranking_charts(ranking, year), [ranking]),
        Section("发现的问题", [_findings_sentence(findings, parse_notes)], [], [summary]),
    ]
    annexes = [Section("问题明细", [], [], [findings])]
    if not parse_notes.frame.is_empty():
        annexes.append(Section("解析提示（供审核人员核对）", [], [], [parse_notes]))
    for section in sections:
        section.charts = [c for c in section.charts if draws_something(c.figure)]
    attach_footnotes([*sections, *annexes], reviewed, finding_views.corrections_in_force(fetch, params))
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
        annexes=annexes,
    )


def _requests(rows: pl.DataFrame, data_label: str) -> Section:
    """Requests per agency and year, as on 申请趋势."""
    if rows.is_empty():
        return Section("申请情况")
    return Section("申请情况", [], [trends.requests_chart(rows, data_label)], [trends.requests_table(rows, data_label)])


def _outcomes(fetch: Fetch, params: dict[str, Any], data_label: str) -> Section:
    """How requests were answered, as on 办理结果 (outcomes_mix with its disclosure_rate)."""
    mix = fetch("outcomes_mix", **params)
    section = Section("办理结果")
    if not mix.is_empty():
        section.tables.append(outcomes.mix_table(mix, data_label))
        section.charts.append(outcomes.mix_chart(mix, data_label))
    reasons = fetch("outcomes_denied_reasons", **params)
    if not reasons.is_empty():
        section.charts.append(outcomes.reasons_chart(reasons, data_label))
        section.tables.append(outcomes.reasons_table(reasons, data_label))
    return section


def _review(blocks: pl.DataFrame, data_label: str) -> Section:
    """Section 四 as printed, as on 复议诉讼: the table and a chart per block some report states."""
    if blocks.is_empty():
        return Section("行政复议和行政诉讼")
    charts = review.block_charts(blocks, data_label)
    return Section("行政复议和行政诉讼", [], charts, [review.blocks_table(blocks, data_label)])


def _proposals(units: pl.DataFrame, data_label: str) -> Section:
    """NPC suggestions and CPPCC proposals, as on 建议提案."""
    if units.is_empty():
        return Section("建议提案办理")
    chart, table = proposals.proposals_chart(units, data_label), proposals.proposals_table(units, data_label)
    return Section("建议提案办理", [], [chart], [table])


def _findings_sentence(findings: Table, parse_notes: Table) -> str:
    """How many rule findings there are, where they are listed, and how many parser notes are kept apart."""
    notes = parse_notes.frame.height
    apart = f"另有解析提示{notes}条（报告如何读取，不是报告的问题），列于附件供审核人员核对。" if notes else ""
    if findings.frame.is_empty():
        return f"所选范围内的报告未发现违反规则R1–R9的问题。{apart}"
    return (
        f"所选范围内的报告共发现违反规则R1–R9的问题{findings.frame.height}条，"
        f"按单位和规则汇总于下表，逐条问题及其状态与情况说明见附件“问题明细”。{apart}"
    )


def draws_something(fig: go.Figure) -> bool:
    """Whether a chart shows any figure other than zero: an empty or all-zero chart says nothing and is left out."""
    return any(_nonzero(v) for trace in fig.data for v in _plotted(trace))


def _plotted(trace) -> list:
    """The values a trace draws (not its categories): a pie's values, a horizontal bar's x, otherwise its y."""
    if trace.type == "pie":
        values = trace.values
    elif getattr(trace, "orientation", None) == "h":
        values = trace.x
    else:
        values = getattr(trace, "y", None)
    return [] if values is None else list(values)


def _nonzero(value: Any) -> bool:
    """A drawn value that is a number other than zero (None, NaN and text are not)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return number == number and number != 0


# --- footnotes ------------------------------------------------------------------------------------


def attach_footnotes(sections: list[Section], findings: pl.DataFrame, corrections: pl.DataFrame | None = None) -> None:
    """Footnote every table and chart with the reviewed findings about the figures it shows, then with the
    corrections in force on those figures.

    A finding concerns a table when it is about one of the table's reports (unit and year) and cites a figure of
    the kind the table shows (metric key prefixes). Reviewed findings (a status other than 待核实, or a written
    explanation) are footnoted one by one with their status and latest explanation; the rest are counted in one
    closing line. A correction in force (briefing_corrections: never an undone or replaced one) is footnoted
    under the tables of its unit, year and metric with the printed and the corrected value, the value the table
    shows. A chart takes the footnotes of the table whose rows it draws, narrowed to its own figures.
    """
    corrections = _NO_CORRECTIONS if corrections is None else corrections
    has_findings = not findings.is_empty() and findings["metrics"].list.len().sum() > 0
    if not has_findings and corrections.is_empty():
        return
    tables = {t.key: t for s in sections for t in s.tables}
    cited = corrections.with_columns(pl.concat_list(pl.col("metric")).alias("metrics"))
    for table in tables.values():
        notes = footnotes(_concerning(findings, table, table.metrics), "表") if has_findings else []
        table.footnotes = notes + correction_notes(_concerning(cited, table, table.metrics), _numbered(notes), "表")
    for chart in (c for s in sections for c in s.charts):
        table = tables.get(chart.table)
        if table is not None:
            metrics = chart.metrics or table.metrics
            notes = footnotes(_concerning(findings, table, metrics), "图") if has_findings else []
            chart.footnotes = notes + correction_notes(_concerning(cited, table, metrics), _numbered(notes), "图")


def _numbered(lines: list[str]) -> int:
    """How many 注n lines a list of footnotes holds (the closing counts are not numbered)."""
    return sum(line.startswith("注") for line in lines)


_NO_CORRECTIONS = pl.DataFrame(
    schema={"agency": pl.String, "year": pl.Int32, "metric": pl.String, "correction_id": pl.Int32}
)


def correction_notes(corrections: pl.DataFrame, before: int, what: str) -> list[str]:
    """注n lines for the corrections in force under a table (`what` 表) or chart (图), numbered on from the
    `before` lines above them."""
    rows = corrections.head(MAX_FOOTNOTES).iter_rows(named=True)
    lines = [f"注{before + n}：{correction_note(row, what)}" for n, row in enumerate(rows, 1)]
    if corrections.height > MAX_FOOTNOTES:
        lines.append(f"另有{corrections.height - MAX_FOOTNOTES}处更正，见各报告的更正记录。")
    return lines


def correction_note(row: dict[str, Any], what: str = "表") -> str:
    """One correction in force: the figure, the printed and the corrected value, why, who and when."""
    column = f"（{row['applicant_label']}）" if row.get("applicant_label") else ""
    printed = row["raw"] if row.get("raw") not in (None, "") else "未填报"
    value = _value(row["value"])
    said = f"，理由：{row['reason'].strip().rstrip('。')}" if row.get("reason") else ""
    return (
        f"{row['agency']}{row['year']}年报告{row['metric_label']}{column}原文为“{printed}”，"
        f"经审核更正为{value}（更正#{row['correction_id']}{said}）{_by(row['corrected_by'], row['corrected_at'])}，"
        f"本{what}按更正后的数值计。"
    )


def _value(value: float | None) -> str:
    """A corrected value in words: 未填报 for a cell corrected to not stated."""
    if value is None:
        return "“未填报”"
    return str(int(value)) if value == int(value) else f"{value:g}"


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


def column_notes(briefing: Briefing) -> pl.DataFrame:
    """Every table column that has a 口径 note: table, column, note (for the 口径 sheet and appendix)."""
    rows = [(t.title, c.name, c.note) for t in briefing.tables() for c in t.columns if c.note]
    return pl.DataFrame(rows, schema=["表", "列", "口径"], orient="row")
