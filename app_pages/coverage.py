"""报送情况: for one reporting year, which units on the roster published their annual report, which did not, and
which published after the deadline (31 January for departments and offices, 31 March for a government's own
report); reports filed by agencies the roster does not know; the roll-up of what each government states against
its units' reports (R7); and the roster import. A click on a bar of the status chart narrows the page to that
government's units and that status; the note at the top undoes it.

Queries: roster_info, coverage_years, coverage_selection, coverage_status, coverage_unmatched, rollup_compare, and
through ui.units roster_names and unmatched_agencies (matching a name not on the roster to its unit).
"""

from __future__ import annotations

from dataclasses import replace

import duckdb
import pandas as pd
import polars as pl
import streamlit as st

from analytics.charts import STATUS_COLOURS
from analytics.state import Selection
from analytics.views import coverage
from config import db_path
from ui import auth, data, focus, textview, units, url_state
from ui import imports as import_ui
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = ("coverage_years", *coverage.QUERIES, "coverage_status", "roster_info", *units.QUERIES)

STATUSES = ("按时", "逾期", "日期不详", "未发布")
GOVERNMENTS = 30  # governments the status chart draws a bar each; the others share one bar
# Shading of the status cell: a missing report stands out most, a late one next.
_SHADES = {"未发布": STATUS_COLOURS["error"], "逾期": STATUS_COLOURS["warning"]}


def roster_caption(info: dict) -> None:
    """Say which roster the page follows, or that none is imported and what stands in for it."""
    if not info["units"]:
        st.info(
            "尚未导入单位名册：下表按已有年度报告的单位列出。导入名册后，没有报告的单位也会列出。可在本页下方导入名册。"
        )
        return
    when = info["imported_at"].strftime("%Y-%m-%d %H:%M") if info["imported_at"] else "—"
    source = textview.markdown_text(info["source"] or "")
    st.caption(
        f"名册：{source}（{info['units']}个单位，更名{info['renames']}项、合并{info['mergers']}项），导入于 {when}。"
    )


def choose_year(years: pl.DataFrame, selection) -> int:
    """The reporting year: the sidebar's last year when coverage has it, else the latest year with any report."""
    options = years["year"].to_list()
    reported = years.filter(pl.col("reported") > 0)["year"].to_list()
    wanted = selection.year_to if selection.year_to in options else (reported[0] if reported else options[0])
    return url_state.selectbox(st, "报告年度", options, wanted, key="coverage_year", url="year", format_func=str)


def status_counts(rows: pl.DataFrame) -> None:
    """How many units are expected, and how many are on time, late, undated and missing."""
    counts = dict(rows.group_by("timeliness").len().iter_rows())
    cols = st.columns(len(STATUSES) + 1)
    cols[0].metric("应报单位", ui.count(rows.height))
    for col, status in zip(cols[1:], STATUSES, strict=True):
        col.metric(status, ui.count(counts.get(status, 0)))


def show_status_chart(year: int, params: dict, focused: focus.Focus) -> None:
    """Units per government they answer to, stacked by status, the GOVERNMENTS with the most units not published
    or late each on its own (coverage_status); a click on a segment narrows the page to that government's units
    and that status (on the bar of the others, to the status)."""
    asked = {**params, "government": focused.unit, "status": focused.category, "top": GOVERNMENTS}
    chart = coverage.status_chart(data.fetch("coverage_status", year=year, **asked), year)
    points = ui.show_view_chart(chart, focus.chart_key(chart.key), on_select=True)
    focus.follow(points, focused, focus.point_unit, focus.point_category)
    st.caption("点击图中的柱形，本页缩小到该上级政府所属的单位与该报送情况；再点一次恢复。图例只在图中隐藏或显示该类。")


def of_year(year: int) -> Selection:
    """The sidebar's selection with the page's reporting year in place of its year range (what the tables show)."""
    return replace(selection, year_from=year, year_to=year)


def _shade(row: pd.Series) -> list[str]:
    """Background of a row's status cell: missing reports and late ones stand out. Only that cell: a style per
    cell of the row would send the browser a rule for every cell of the grid."""
    colour = _SHADES.get(row["报送情况"])
    style = f"background-color: {colour}22" if colour else ""
    return [style if name == "报送情况" else "" for name in row.index]


def show_coverage(rows: pl.DataFrame, year: int) -> None:
    """The coverage table, missing reports first and shaded."""
    view = coverage.coverage_table(rows, year)
    links = rows.select(
        pl.when(pl.col("report_id").is_not_null()).then(pl.format("report?report={}", "report_id")).alias("报告详情")
    )
    config = {"报告详情": st.column_config.LinkColumn("报告详情", display_text="查看")}
    ui.show_table(view, "coverage_table", of_year(year), links, _shade, column_config=config)
    st.caption(
        "截止日期：政府本级年度报告为次年3月31日，政府部门（含政府办公室）为次年1月31日（《政府信息公开条例》"
        "第四十九条）。发布日期取自报告原文（如网页的发布时间、落款日期）；原文未写明的记为“日期不详”，不作按时或逾期判断。"
        "更名、合并后，以原名称报送的报告计入现单位，并在“说明”中注明。"
    )


def show_unmatched(year: int) -> None:
    """Reports of the year filed by agencies the roster does not list under any name."""
    unmatched = data.fetch("coverage_unmatched", year=year)
    if unmatched.is_empty():
        units.match_forms([], "coverage")  # the outcome of a match just confirmed
        return
    st.warning(
        f"{unmatched.height}份{year}年度报告的单位不在名册中（可能是同一单位的另一种写法、名册遗漏，或单位更名而名册"
        "未登记）。请在下方确认其对应的名册单位，或作为新单位加入名册。"
    )
    ui.show_table(coverage.unmatched_table(unmatched, year), "coverage_unmatched", of_year(year))
    units.match_forms(unmatched["agency"].unique(maintain_order=True).to_list(), "coverage")


def show_rollup(year: int, government: str | None) -> None:
    """Each government's stated figures beside the sum of its units' reports, with the units missing; only the
    government the page is narrowed to, if any."""
    st.subheader("汇总核对")
    rollup = coverage.rollup_of(data.fetch("rollup_compare", year=year), government)
    if rollup.is_empty():
        st.info(f"{year}年度没有可核对的政府报告：需要政府本级报告及其下属单位（名册“上级”列或报告所称上级）。")
        return
    ui.show_table(coverage.rollup_table(rollup, year), "coverage_rollup", of_year(year))
    st.caption(
        "政府层面（本级）：政府报告中“政府层面”的数字，与其办公室（名册类型为政府办公室，或名称为“××人民政府办公室”）"
        "报告的同一数字相比，不一致即R7问题。下属单位合计：政府报告表格中的数字，与上级为该政府的全部单位报告之和相比；"
        "政府报告按全区（县、市）口径填报时，两者应在全部单位报告后相等。未报告或未写明该数字的单位单独列出，不按0计。"
    )


def roster_import() -> None:
    """Upload a roster; the loader checks it whole and replaces the stored one, or says what is wrong."""
    st.subheader("导入单位名册")
    st.markdown(
        "名册为 Excel（.xlsx）或 CSV 文件（UTF-8 或 GBK 编码），列：**单位、上级、层级、类型、同类组**（也可用英文"
        "表头 unit, parent, level, type, peer group）。更名与合并写在第二个工作表，或 CSV 中空一行后的第二段，"
        "列：**旧名称、新名称、类型（更名/合并）、年度**（新名称开始报送的第一个年度）。导入的名册整体替换原名册；"
        "文件有任何错误时不导入，原名册不变。"
    )
    from loaders import roster

    st.download_button(
        "下载名册模板（CSV）",
        roster.template_csv().encode("utf-8-sig"),
        file_name="名册模板.csv",
        mime="text/csv",
        key="roster_template",
    )
    import_ui.import_form("roster", "选择名册文件", ("xlsx", "csv", "txt"), "导入名册", _import_roster, "roster.import")


def _import_roster(name: str, content: bytes) -> str:
    """Check and store the roster through the loader; its summary, or ReportError naming every problem."""
    from loaders import roster

    return roster.summary(roster.import_roster_bytes(content, name, db_path(), auth.account()))


selection = ui.selection()
try:
    info = data.fetch("roster_info").row(0, named=True)
except duckdb.CatalogException:  # a database written before rosters existed: the next write adds the tables
    st.warning("数据库中还没有名册所需的表：导入名册（本页下方）或重新导入报告后即可使用本页。")
    roster_import()
    st.stop()
roster_caption(info)
years = data.fetch("coverage_years")
if years.is_empty():
    st.info("数据库中还没有年度报告，也没有名册。")
else:
    year = choose_year(years, selection)
    params = {**selection.params(), "year_from": None, "year_to": None}  # the year chooser above decides the year
    whole = data.fetch("coverage_selection", year=year, **params)
    focused = focus.read(coverage.groups(whole), STATUSES)
    detail = "只列出上级为该政府的单位（没有上级的单位为其自身）。" if focused.unit else ""
    focus.note(focused, "政府", "报送情况", detail)
    rows = coverage.narrowed(whole, focused.unit, focused.category)
    status_counts(rows)
    if rows.is_empty():
        st.info("所选范围内没有应报单位。请调整左侧筛选条件。")
    else:
        show_status_chart(year, params, focused)
        show_coverage(rows, year)
    show_unmatched(year)
    show_rollup(year, focused.unit)
roster_import()
