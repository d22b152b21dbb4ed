"""报告详情: one report, its metadata and versions, its findings and figures beside its source text.

The report is the one the URL names (?report=<report_id>, how other pages link here; &line=<n> highlights a line)
or the one picked from the reports of the sidebar selection. Picking a figure or a finding's cell highlights its
line in the source text.

Queries: report_choices, report_meta, report_versions, report_findings, report_figures.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.state import Selection
from analytics.views import report as report_views
from loaders import keys
from loaders.formats.registry import LABELS
from loaders.keys import RULES, SEVERITIES
from ui import auth, data, textview
from ui import rename as rename_ui
from ui import review as review_ui
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = (
    "report_choices", "report_versions", "report_meta", *report_views.QUERIES, *review_ui.QUERIES,
    *rename_ui.QUERIES,
)  # fmt: skip

MAX_CHOICES = 200  # reports the picker lists at most; a search box (and the sidebar) finds the others
ONE_REPORT_ROWS = 2000  # one report's figures and findings are shown whole: a report prints a few hundred at most
TEMPLATE_DETAIL = {"prose": "（无固定表格）", "workplan": "（不是年度报告）"}
TEMPLATES = {key: name + TEMPLATE_DETAIL.get(key, "") for key, name in keys.TEMPLATES.items()}
TEMPLATES_EN = {"2021": "the 2021 template", "2019": "the 2019 template", "prose": "prose without fixed tables"}
FORMATS = LABELS
NOT_STATED = "未注明"
Pick = tuple[int, int | None, str | None]  # a picked table row: (row, line, raw text)
_LINE_COLUMN = st.column_config.NumberColumn(format="%d", width=50)


# --- which report ---------------------------------------------------------------------------------


def requested_report() -> str | None:
    """The report id the URL names, if any."""
    value = (st.query_params.get("report") or "").strip()
    return value or None


def requested_line() -> int | None:
    """The line the URL asks to highlight, if any."""
    value = (st.query_params.get("line") or "").strip()
    return int(value) if value.isdigit() else None


def choice_label(row: dict) -> str:
    """How a report reads in the picker: agency, year, version; a report that states neither by its file name."""
    state = "最新版" if row["is_current"] else "旧版本"
    agency = row["agency"] or f"未识别单位（{row['source']}）"
    year = f"{row['year']}年" if row["year"] is not None else f"年度未识别（{row['source']}）"
    if row["agency"] is None and row["year"] is None:
        year = "年度未识别"
    return f"{agency} · {year} · 第{row['version']}版（{state}）"


def _picked_to_url() -> None:
    """A report picked by hand goes into the URL at once, so that the link names what is shown."""
    st.query_params["report"] = st.session_state["report_pick"]
    if "line" in st.query_params:
        del st.query_params["line"]


def pick_report(selection: Selection) -> str:
    """The report to show: the URL's if it exists, else the picker's (the first of the selection to begin with)."""
    wanted = requested_report()
    asked = {**selection.params(), "report_id": wanted, "max_rows": MAX_CHOICES + 1}
    choices = data.fetch("report_choices", **asked, search=None)
    if choices.is_empty():
        st.info("所选范围内没有报告。请调整左侧筛选条件，或在“导入”页导入报告。")
        st.stop()
    if choices.height > MAX_CHOICES:
        choices = _searched(choices, asked)
    if choices.height > MAX_CHOICES:
        choices = choices.head(MAX_CHOICES)
    labels = {row["report_id"]: choice_label(row) for row in choices.iter_rows(named=True)}
    if wanted and wanted not in labels:
        st.warning("链接中的报告不存在，改为显示所选范围内的报告。")
    _seed_picker(wanted, labels)
    chosen = st.selectbox("报告", list(labels), format_func=labels.get, key="report_pick", on_change=_picked_to_url)
    if st.query_params.get("report") != chosen:
        st.query_params["report"] = chosen
    return chosen


def _searched(choices: pl.DataFrame, asked: dict) -> pl.DataFrame:
    """More reports than the picker lists: a search box over unit, year and file name (report_choices with
    $search), and a note saying what the list holds."""
    typed = st.text_input(
        "查找报告", key="report_search", placeholder="单位名称、年度（如2021年）或文件名中的字词，按回车", max_chars=100
    )
    search = " ".join(typed.split())
    shown = textview.markdown_text(search)
    found = data.fetch("report_choices", **asked, search=search) if search else choices
    if search and found.filter(~pl.col("is_requested")).is_empty():
        st.caption(f"没有单位、年度或文件名含“{shown}”的报告；下面列出所选范围内的报告。")
        found = choices
    elif search and found.height <= MAX_CHOICES:
        return found
    words = f"含“{shown}”的" if found is not choices else "所选范围内的"
    st.caption(
        f"{words}报告超过 {MAX_CHOICES} 份，列表只列出前 {MAX_CHOICES} 份；请输入更多字词，或在左侧缩小筛选范围。"
    )
    return found


def _seed_picker(wanted: str | None, labels: dict[str, str]) -> None:
    """Start the picker on the URL's report (a followed link or a reload), or keep the user's pick if still listed."""
    current = st.session_state.get("report_pick")
    if wanted in labels and current != wanted:
        st.session_state["report_pick"] = wanted
    elif current not in labels:
        st.session_state["report_pick"] = next(iter(labels))


# --- metadata -------------------------------------------------------------------------------------


def _text(value: object) -> str:
    """A metadata value as text; 未注明 when the report does not say."""
    return NOT_STATED if value in (None, "") else str(value)


def show_meta(meta: dict) -> None:
    """Who published the report for which year, how it reached us, and which version it is."""
    version = f"第{meta['version']}版（共{meta['n_versions']}版，{'最新' if _is_current(meta) else '旧版本'}）"
    fields = {
        "单位": _text(meta["agency"]),
        "年度": _text(meta["year"]),
        "模板": TEMPLATES.get(meta["template"], _text(meta["template"])),
        "地区": _text(meta["region"]),
        "上级单位": _text(meta["parent"]),
        "发布日期": _text(meta["published_on"]),
        "源文件": _text(meta["source"]),
        "格式": FORMATS.get(meta["source_format"], _text(meta["source_format"])),
        "编码": _text(meta["encoding"]),
        "版本": version,
        "导入时间": meta["ingested_at"].strftime("%Y-%m-%d %H:%M") if meta["ingested_at"] else NOT_STATED,
        "章节": "、".join(meta["sections"] or []) or NOT_STATED,
        "报告编号": meta["report_id"],
        "内容哈希": _text(meta["content_hash"]),
    }
    st.html(textview.fields_html(fields))
    warn_unidentified(meta)
    warn_template(meta)
    if not _is_current(meta):
        st.info(
            f"这是第{meta['version']}版，已有更新的第{meta['latest_version']}版。规则检查 R1–R9 只针对最新版本，"
            "下方“问题”只列出解析时发现的问题。 / This is an older version: rule checks run on the newest one only."
        )


def warn_unidentified(meta: dict) -> None:
    """Say that a report without an agency or a year counts for no unit and year, and where to give them."""
    lacking = "、".join(label for label, value in (("单位", meta["agency"]), ("年度", meta["year"])) if value is None)
    if lacking:
        st.warning(
            f"这份报告未写明{lacking}，已入库但不计入任何单位、年度的统计。请在“导入”页面的“未识别的报告”中填写，"
            f"或运行 python -m loaders identify {meta['report_id']}。"
        )


def _is_current(meta: dict) -> bool:
    """Whether the report shown is the newest version of its agency and year."""
    return meta["version"] == meta["latest_version"]


def warn_template(meta: dict) -> None:
    """Warn when the template recognised from the report's structure is not the one its year calls for."""
    template, expected = meta["template"], meta["expected_template"]
    if template == "workplan":
        st.warning("这是政务公开工作要点，不是年度报告，没有年报数值。")
    elif template in TEMPLATES_EN and expected and template != expected:
        st.warning(
            f"模板与年度不符：{meta['year']}年度报告应使用{TEMPLATES[expected]}，实际为{TEMPLATES[template]}。"
            f" / The template does not match the year: a {meta['year']} report should use {TEMPLATES_EN[expected]},"
            f" this one uses {TEMPLATES_EN[template]}."
        )


def show_versions(report_id: str, selection: Selection) -> None:
    """Every stored version of the same agency and year, each a link to its own page."""
    versions = data.fetch("report_versions", report_id=report_id)
    if versions.height < 2:
        return
    with st.expander(f"全部版本（{versions.height}）", expanded=False):
        for row in versions.iter_rows(named=True):
            label = f"第{row['version']}版 · {row['ingested_at']:%Y-%m-%d %H:%M} 导入"
            label += "（最新）" if row["is_current"] else ""
            label += "（当前显示）" if row["is_shown"] else ""
            query = {**selection.to_query(), "report": row["report_id"]}
            st.page_link("app_pages/report.py", label=label, query_params=query, disabled=row["is_shown"])


# --- figures, findings and the source text ----------------------------------------------------------


def figure_table(figures: pl.DataFrame, report_id: str, title: str) -> Pick | None:
    """The view's table of the report's figures; returns the picked row as (row, line, raw text)."""
    st.markdown(f"#### 数值（{figures.height}）")
    if figures.is_empty():
        st.caption("该报告没有提取到数值。")
        return None
    config = {"部分": st.column_config.TextColumn(width=40), "行号": _LINE_COLUMN}
    event = ui.show_table(
        report_views.figures_table(figures, title), f"report_figures_{report_id}", selection,
        on_select="rerun", selection_mode="single-row", height=420, column_config=config, grid_rows=ONE_REPORT_ROWS,
    )  # fmt: skip
    return _picked(event, figures)


def _picked(event, rows: pl.DataFrame) -> Pick | None:
    """The selected row of a table as (row, line, raw text), or None."""
    picked = event.selection.rows
    if not picked or picked[0] >= rows.height:
        return None
    row = rows.row(picked[0], named=True)
    return picked[0], row["line"], row["raw"]


def finding_table(findings: pl.DataFrame, report_id: str, title: str) -> Pick | None:
    """The view's table of the findings against the report, one row per cell involved; returns the picked cell as
    (row, line, raw)."""
    count = findings["finding_no"].n_unique() if not findings.is_empty() else 0
    st.markdown(f"#### 问题（{count}）")
    if findings.is_empty():
        st.caption("没有发现问题。")
        return None
    severities = findings.unique("finding_no")["severity"].value_counts()
    st.caption("；".join(f"{SEVERITIES.get(s, s)} {n}" for s, n in severities.sort("severity").iter_rows()))
    config = {
        "序号": st.column_config.NumberColumn(format="%d", width=40),
        "级别": st.column_config.TextColumn(width=40),
        "规则": st.column_config.TextColumn(width=50),
        "说明": st.column_config.TextColumn(width="large"),
        "行号": _LINE_COLUMN,
    }
    event = ui.show_table(
        report_views.findings_table(findings, title), f"report_findings_{report_id}", selection,
        on_select="rerun", selection_mode="single-row", column_config=config, grid_rows=ONE_REPORT_ROWS,
    )  # fmt: skip
    rules = sorted(findings["rule"].unique().to_list(), key=lambda rule: (rule == "PARSE", rule))
    st.caption("；".join(f"{rule}：{RULES[rule]}" for rule in rules if rule in RULES))
    return _picked(event, findings)


def focus(report_id: str, picks: dict[str, Pick | None]) -> tuple[int | None, str | None]:
    """The line to highlight and its raw text: from the table whose pick changed last (the URL's line on arrival)."""
    state = st.session_state.get("report_focus")
    if not state or state["report"] != report_id:
        state = {"report": report_id, "seen": {}, "line": requested_line(), "raw": None}
    for table, pick in picks.items():
        row = pick[0] if pick else None
        if pick is not None and state["seen"].get(table) != row:
            state["line"], state["raw"] = pick[1], pick[2]
        state["seen"][table] = row
    st.session_state["report_focus"] = state
    _line_to_url(state["line"])
    return state["line"], state["raw"]


def _line_to_url(line: int | None) -> None:
    """Keep the highlighted line in the URL, so that a shared link opens on the same line."""
    if line is None:
        if "line" in st.query_params:
            del st.query_params["line"]
    elif st.query_params.get("line") != str(line):
        st.query_params["line"] = str(line)


def show_source(meta: dict, line: int | None, raw: str | None, flagged: list[int]) -> None:
    """The report text as stored, numbered, with the chosen line highlighted and scrolled into view."""
    st.markdown("#### 原文")
    if line is None:
        st.caption("选中“问题”或“数值”表中的一行，原文中对应的行会高亮显示；红色边线标出问题涉及的行。")
    else:
        st.caption(f"第 {line} 行（高亮）；红色边线标出问题涉及的行。")
    st.html(textview.source_html(meta["text"] or "", line, raw, flagged), unsafe_allow_javascript=True)


# --- the page -------------------------------------------------------------------------------------

selection = ui.selection()
report_id = pick_report(selection)
meta_rows = data.fetch("report_meta", report_id=report_id)
if meta_rows.is_empty():  # removed between the listing and now (a database swapped in meanwhile)
    st.warning("该报告已不在数据库中。")
    st.stop()
meta = meta_rows.row(0, named=True)
auth.require_visible(meta["agency"])  # a 单位填报人 opens only its own unit's reports, also by link
show_meta(meta)
show_versions(report_id, selection)

findings = data.fetch("report_findings", report_id=report_id)
figures = data.fetch("report_figures", report_id=report_id)
title = f"{meta['agency']}{meta['year']}年度报告"
cell_pick = finding_table(findings, report_id, title)  # full width: the messages need the room
left, right = st.columns([11, 9], gap="medium")
with left:
    figure_pick = figure_table(figures, report_id, title)
line, raw = focus(report_id, {"findings": cell_pick, "figures": figure_pick})
with right:
    show_source(meta, line, raw, findings["line"].drop_nulls().unique().to_list())
review_ui.correction_block(report_id, figures)  # 更正数值: correct a figure with a reason; history and undo
rename_ui.rename_block(meta)  # 更正报告的单位或年度: for the roles that may; the record of review follows
