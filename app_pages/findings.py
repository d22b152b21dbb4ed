"""问题核查: the findings of the selection with their review status, evidence and explanation thread.

Every finding (rule checks R1–R9 and the parser's own problems) of the sidebar selection is listed with its status
(待核实, 已说明, 已更正, 不采纳), filterable by rule, status and severity. Picking one (or following a link with
?finding=<finding_key>) shows the cells it involves beside the report's source text, its thread of status changes
and explanations with who and when, a form to write an explanation and change the status, and the corrections of
the report's figures. Statuses and explanations live in their own tables, so re-ingesting reports keeps them.

Queries: findings_workbench, findings_gone, finding_detail, finding_evidence, finding_thread, report_meta (and
report_figures, figure_correction_history through ui.review).
"""

from __future__ import annotations

import hashlib

import polars as pl
import streamlit as st

from analytics.state import Selection
from analytics.views import findings as finding_views
from config import db_path
from loaders import review
from loaders.keys import RULES, SEVERITIES, STATUS_MEANINGS
from ui import auth, data, textview, url_state
from ui import review as review_ui
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = (
    "findings_workbench",
    "findings_gone",
    "finding_detail",
    "finding_evidence",
    "finding_thread",
    "report_meta",
    *finding_views.QUERIES,  # the findings view's module, whose briefing tables run these
    *review_ui.QUERIES,
)

_LINE_COLUMN = st.column_config.NumberColumn(format="%d", width=50)
_YEAR_COLUMN = st.column_config.NumberColumn(format="%d", width=60)


# --- the list ---------------------------------------------------------------------------------------


def status_counts(findings: pl.DataFrame) -> None:
    """How many findings of the selection stand at each status."""
    columns = st.columns(len(review.STATUSES) + 1)
    columns[0].metric("问题总数", findings.height)
    for column, status in zip(columns[1:], review.STATUSES, strict=True):
        column.metric(status, findings.filter(pl.col("status") == status).height, help=STATUS_MEANINGS[status])


def filters(findings: pl.DataFrame) -> pl.DataFrame:
    """Rule, status and severity filters over the list; empty means all."""
    rule_col, status_col, severity_col = st.columns(3)
    # a rule picked earlier (or named by a link) stays on offer even when no finding of it is left (a correction
    # removed the last one)
    picked = set(st.session_state.get("fw_rule", [])) | set(st.query_params.get_all("rule"))
    offered = sorted(set(findings["rule"].unique().to_list()) | (picked & set(RULES)))
    rules = url_state.multiselect(rule_col, "规则", offered, [], key="fw_rule", url="rule", placeholder="全部")
    statuses = url_state.multiselect(
        status_col, "状态", list(review.STATUSES), [], key="fw_status", url="status", placeholder="全部"
    )
    severities = url_state.multiselect(
        severity_col, "级别", list(SEVERITIES), [], key="fw_severity", url="severity", format_func=SEVERITIES.get,
        placeholder="全部",
    )  # fmt: skip
    for column, chosen in (("rule", rules), ("status", statuses), ("severity", severities)):
        if chosen:
            findings = findings.filter(pl.col(column).is_in(chosen))
    return findings


def finding_list(findings: pl.DataFrame, wanted: str | None) -> str | None:
    """The list as a table; a picked row becomes the finding shown (and goes into the URL)."""
    if findings.is_empty():
        st.info("所选范围内没有符合条件的问题。")
        return None
    keys = findings["finding_key"].to_list()
    table_key = _table_key("findings_list_", keys)
    default = {"selection": {"rows": [keys.index(wanted)] if wanted in keys else [], "columns": []}}
    event = ui.show_table(
        finding_views.list_table(findings), table_key, selection, on_select="rerun",
        selection_mode="single-row", selection_default=default, height=360,
        column_config={"问题": st.column_config.TextColumn(width="large"), "年度": _YEAR_COLUMN},
    )  # fmt: skip
    return _picked_key(event, keys, "list", table_key)


def _table_key(prefix: str, keys: list[str]) -> str:
    """A table's widget key that changes with its rows, so a picked row index never points at another list's row."""
    return prefix + hashlib.md5("".join(keys).encode()).hexdigest()[:12]


def _picked_key(event, keys: list[str], slot: str, table_key: str) -> str | None:
    """The key of the row picked in this table, if the pick is new; None when nothing new was picked."""
    rows = event.selection.rows
    picked = keys[rows[0]] if rows and rows[0] < len(keys) else None
    seen = st.session_state.get("fw_seen", {})
    changed = seen.get(slot) != (table_key, picked)
    st.session_state["fw_seen"] = {**seen, slot: (table_key, picked)}
    return picked if changed else None


def gone_list(selection: Selection, wanted: str | None) -> str | None:
    """Findings with review history that no longer occur (corrected, or fixed in a new version)."""
    gone = data.fetch("findings_gone", **selection.params())
    if gone.is_empty():
        return None
    with st.expander(f"不再出现、但有核查记录的问题（{gone.height}）"):
        st.caption("相关数值已更正，或新版本报告中已没有该问题；状态和情况说明仍保留，问题再次出现时一并恢复。")
        keys = gone["finding_key"].to_list()
        table_key = _table_key("findings_gone_list_", keys)
        default = {"selection": {"rows": [keys.index(wanted)] if wanted in keys else [], "columns": []}}
        event = ui.show_table(
            finding_views.gone_table(gone), table_key, selection, on_select="rerun", selection_mode="single-row",
            selection_default=default,
        )  # fmt: skip
        return _picked_key(event, keys, "gone", table_key)


def chosen_finding(picked: str | None) -> str | None:
    """The finding to show: a newly picked row, else the URL's (?finding=...), kept in the URL either way."""
    if picked:
        st.query_params["finding"] = picked
    value = (st.query_params.get("finding") or "").strip()
    return value or None


# --- one finding --------------------------------------------------------------------------------------


def show_finding(finding_key: str, selection: Selection) -> None:
    """Heading, evidence beside the source text, review thread and form, and the corrections of its report."""
    detail = data.fetch("finding_detail", finding_key=finding_key)
    if detail.is_empty():
        st.warning(
            "链接中的问题在当前数据中不存在：链接有误，或相关数值已更正、报告已更新。"
            " / The finding named in the link does not occur in the current data."
        )
        return
    row = detail.row(0, named=True)
    auth.require_visible(row["agency"])  # a 单位填报人 opens only its own unit's findings, also by link
    heading(row, selection)
    evidence = data.fetch("finding_evidence", finding_key=finding_key)
    left, right = st.columns([11, 9], gap="medium")
    with left:
        line, raw = evidence_table(evidence, finding_key, f"{row['agency']}{row['year']}年{row['rule']}")
        thread(finding_key)
        review_form(row)
    with right:
        source(row["report_id"], line, raw, evidence["line"].drop_nulls().unique().to_list())
    keys = [k for k in evidence["figure_key"].drop_nulls().unique().to_list()]
    review_ui.correction_block(row["report_id"], only=keys or None, finding_key=finding_key)


def heading(row: dict, selection: Selection) -> None:
    """Who, which year, which rule, the message, the status, and the link to the report."""
    severity = SEVERITIES.get(row["severity"], "") if row["severity"] else ""
    agency = textview.markdown_text(row["agency"]) if row["agency"] else "未识别单位"
    year = f"{row['year']}年" if row["year"] is not None else "年度未识别"
    st.subheader(f"{agency} · {year} · {row['rule']} {severity}")
    st.markdown(textview.markdown_text(row["message"] or ""))
    status = f"状态：**{textview.markdown_text(row['status'])}**"
    if row["status_by"]:
        status += f"（{textview.markdown_text(row['status_by'])}，{row['status_at']:%Y-%m-%d %H:%M}）"
    st.markdown(status + f"　情况说明 {row['note_count']} 条")
    if not row["is_current"]:
        st.info("该问题在当前数据中已不再出现（相关数值已更正，或新版本报告已没有该问题）；以下为保留的核查记录。")
    query = {**selection.to_query(), "report": row["report_id"]}
    if row["first_line"] is not None:
        query["line"] = str(row["first_line"])
    st.page_link("app_pages/report.py", label="在“报告详情”中查看该报告", query_params=query)


def evidence_table(evidence: pl.DataFrame, finding_key: str, title: str) -> tuple[int | None, str | None]:
    """The cells the finding involves; returns the line (and raw text) to highlight: the picked cell's or the first."""
    st.markdown("#### 证据")
    if evidence.is_empty():
        st.caption("该问题没有单元格证据（例如模板不符），或已不再出现。")
        return None, None
    event = ui.show_table(
        finding_views.evidence_table(evidence, title), f"finding_evidence_{finding_key}", selection,
        on_select="rerun", selection_mode="single-row", column_config={"行号": _LINE_COLUMN},
    )  # fmt: skip
    rows = event.selection.rows
    pick = evidence.row(rows[0] if rows and rows[0] < evidence.height else 0, named=True)
    return pick["line"], pick["raw"]


def source(report_id: str, line: int | None, raw: str | None, flagged: list[int]) -> None:
    """The report's text, numbered, the evidence lines marked and the chosen one highlighted."""
    st.markdown("#### 原文")
    meta = data.fetch("report_meta", report_id=report_id)
    if meta.is_empty():
        st.caption("该报告已不在数据库中。")
        return
    st.caption("红色边线标出证据所在的行；选中证据表中的一行可高亮该行。")
    st.html(textview.source_html(meta["text"][0] or "", line, raw, flagged), unsafe_allow_javascript=True)


def thread(finding_key: str) -> None:
    """Status changes and explanations in the order they were written, each with who and when."""
    entries = data.fetch("finding_thread", finding_key=finding_key)
    st.markdown(f"#### 核查记录（{entries.height}）")
    if entries.is_empty():
        st.caption("尚无核查记录。")
    for entry in entries.iter_rows(named=True):
        with st.container(border=True):
            who = f"{textview.markdown_text(entry['by_name'])} · {entry['happened_at']:%Y-%m-%d %H:%M}"
            if entry["kind"] == "status":
                st.caption(who)
                before, after = (textview.markdown_text(entry[k] or "") for k in ("previous_status", "status"))
                st.markdown(f"状态：{before} → **{after}**")
            else:
                st.caption(f"{who} · 情况说明")
                st.markdown(textview.markdown_text(entry["note"]))


def review_form(row: dict) -> None:
    """Write an explanation and/or change the status; the status the reviewer saw goes along to catch conflicts."""
    key = row["finding_key"]
    form = f"review_{key}"
    st.markdown("#### 情况说明与状态")
    review_ui.show_flash(form)
    _follow_status(form, row["status"])
    if not auth.may("finding.note"):
        auth.cannot("finding.note")
        return
    with st.form(form):
        st.text_area("情况说明", key=f"{form}_note", max_chars=review.MAX_NOTE, height=110)
        if auth.may("finding.status"):  # a 单位填报人 explains; reviewers set the status
            st.selectbox("状态", review.STATUSES, key=f"{form}_status")
        review_ui.name_field()
        st.form_submit_button("保存", key=f"{form}_save", type="primary", on_click=_save, args=(key, row["status"]))


def _follow_status(form: str, status: str) -> None:
    """Start the status picker at the finding's status, and move it along whenever the stored status changes
    (another reviewer's change included), so that a stale pick never writes back an old status unnoticed."""
    if st.session_state.get(f"{form}_shown") != status:
        st.session_state[f"{form}_status"] = status
        st.session_state[f"{form}_shown"] = status


def _save(finding_key: str, seen_status: str) -> None:
    """Form callback: write the explanation and the status change together, or say why not."""
    form = f"review_{finding_key}"
    note = st.session_state.get(f"{form}_note") or ""
    status = st.session_state.get(f"{form}_status") if auth.may("finding.status") else seen_status
    try:
        review.review_finding(
            db_path(), finding_key, review_ui.writer(),
            note=note if note.strip() else None,
            status=status if status != seen_status else None,
            expected=seen_status,
        )  # fmt: skip
    except review_ui.REFUSED as exc:
        review_ui.flash("error", exc.zh, form)
        return
    st.session_state[f"{form}_note"] = ""
    review_ui.flash("success", "已保存。", form)


# --- the page -------------------------------------------------------------------------------------

selection = ui.selection()
findings = data.fetch("findings_workbench", **selection.params())
wanted = (st.query_params.get("finding") or "").strip() or None
status_counts(findings)
picked = finding_list(filters(findings), wanted)
picked = gone_list(selection, wanted) or picked
finding_key = chosen_finding(picked)
if finding_key:
    show_finding(finding_key, selection)
else:
    st.caption("在上表中选择一个问题，查看证据、原文和核查记录，并填写情况说明。")
