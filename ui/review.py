"""Streamlit pieces of the review work that pages share: who is writing (the signed-in account, never a typed
name), and the block that corrects a report's figures, with the history of corrections and undo.

Writes go through loaders.review (one transaction each); the page then reruns and reads the swapped-in database.
A form is drawn only for a role that may make its write; the writer checks the role and the unit again, and a
refusal is shown like any other error. Form callbacks get what the reviewer saw as arguments bound when the form
was drawn, so a write made on a stale view is refused by the writer instead of silently overwriting someone else's
change.

Queries: report_figures, figure_correction_history.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.views import report as report_views
from config import db_path
from loaders import review
from loaders.accounts import Account, Refused
from ui import auth, data, textview
from ui import widgets as ui

# the named queries this module runs
QUERIES = ("report_figures", "figure_correction_history")

_FLASH = "review_flash"  # session key of the outcome of the last write, shown once after the rerun


# --- who is writing ---------------------------------------------------------------------------------


def name_field() -> None:
    """Inside a form: who is writing, the signed-in account and its role (recorded with the write)."""
    found = auth.current()
    if found is not None:
        st.caption(f"操作人：{textview.markdown_text(found.name)}（{found.role}）")


def writer() -> Account:
    """The signed-in account a write records; refused when the session has none."""
    return auth.account()


REFUSED = (review.ReviewError, Refused)  # what a write may raise, shown to the user in its Chinese words (.zh)


# --- outcome of a write ------------------------------------------------------------------------------


def flash(kind: str, text: str, where: str) -> None:
    """Remember the outcome of a write, to show at `where` after the rerun."""
    st.session_state[_FLASH] = (where, kind, text)


def show_flash(where: str) -> None:
    """Show (once) the outcome of the last write made from `where`."""
    held = st.session_state.get(_FLASH)
    if held and held[0] == where:
        del st.session_state[_FLASH]
        if held[1] == "success":  # the page's own words
            st.success(held[2])
        else:  # the writer's refusal quotes others' names and values: shown as text
            st.error(textview.markdown_text(held[2]))


# --- corrections ---------------------------------------------------------------------------------------


def figure_label(row: dict) -> str:
    """How a figure reads in the picker: label (column), line, current value and the text as printed."""
    column = f"（{row['applicant_label']}）" if row.get("applicant_label") else ""
    line = f"第{row['line']}行" if row.get("line") is not None else "行号不详"
    return f"{row['metric_label']}{column} · {line} · 当前值 {row['value_text']} · 原文“{row['raw'] or ''}”"


def correction_block(
    report_id: str, figures: pl.DataFrame | None = None, only: list[str] | None = None, finding_key: str | None = None
) -> None:
    """更正数值: correct one of the report's figures with a reason; the history below, with undo.

    `only` limits the picker to some figure keys (a finding's cells); from a finding (`finding_key`) corrections and
    undos are also written into its thread.
    """
    figures = data.fetch("report_figures", report_id=report_id) if figures is None else figures
    if only:
        figures = figures.filter(pl.col("figure_key").is_in(only))
    history = data.fetch("figure_correction_history", report_id=report_id)
    in_force = history.filter(pl.col("is_current")).height
    with st.expander(f"更正数值（生效中的更正 {in_force} 项）", expanded=not history.is_empty()):
        show_flash(f"correct_{report_id}")
        if figures.is_empty():
            st.caption("该报告没有可更正的数值。")
        elif not auth.may("figure.correct"):
            auth.cannot("figure.correct")
        else:
            correction_form(report_id, figures, finding_key)
        correction_history(report_id, history, finding_key)


def correction_form(report_id: str, figures: pl.DataFrame, finding_key: str | None = None) -> None:
    """The form: which figure, the corrected value (blank: not stated), the reason, the reviewer's name."""
    form = f"correct_{report_id}"
    labels = {row["figure_key"]: figure_label(row) for row in figures.iter_rows(named=True)}
    seen = {row["figure_key"]: row["value"] for row in figures.iter_rows(named=True)}  # checked again when saving
    with st.form(form):
        st.selectbox("数值", list(labels), format_func=labels.get, key=f"{form}_figure")
        st.text_input("更正后的数值", key=f"{form}_value", placeholder="留空表示“未填报”")
        st.text_area("更正理由", key=f"{form}_reason", max_chars=review.MAX_REASON, height=80)
        name_field()
        st.form_submit_button(
            "保存更正", key=f"{form}_save", on_click=_save_correction, args=(report_id, form, finding_key, seen)
        )
    st.caption("更正只改变看板和导出使用的数值；报告原文和原值保留，可随时撤销。")


def _save_correction(report_id: str, form: str, finding_key: str | None, seen: dict[str, float | None]) -> None:
    """Form callback: write the correction, or say why not; refused when the figure is no longer the value `seen`
    when the form was drawn (someone corrected it meanwhile)."""
    picked = st.session_state.get(f"{form}_figure") or ""
    metric, _, applicant = picked.partition("|")
    try:
        value = review.parse_value(st.session_state.get(f"{form}_value"))
        correction_id = review.correct_figure(
            db_path(), report_id, metric, applicant or None, value, st.session_state.get(f"{form}_reason"), writer(),
            finding_key=finding_key, expected=seen.get(picked, ...),
        )  # fmt: skip
    except REFUSED as exc:
        flash("error", exc.zh, form)
        return
    st.session_state[f"{form}_value"] = ""
    st.session_state[f"{form}_reason"] = ""
    flash("success", f"已保存更正 #{correction_id}。", form)


STATES = {"current": "生效中", "replaced": "已被后来的更正取代", "undone": "已撤销", "undo": "撤销操作"}


def correction_state(row: dict) -> str:
    """What became of one row of the corrections log, in words."""
    if row["action"] == "undo":
        return f"{STATES['undo']}（撤销 #{row['undoes']}）"
    if row["undone_by"] is not None:
        return f"{STATES['undone']}（{row['undone_by']}，{row['undone_at']:%Y-%m-%d %H:%M}）"
    return STATES["current"] if row["is_current"] else STATES["replaced"]


def _value_text(value: float | None) -> str:
    """A value as the history shows it: 未填报 for a cell that states no number."""
    if value is None:
        return "未填报"
    return f"{value:g}" if value != int(value) else str(int(value))


def correction_history(report_id: str, history: pl.DataFrame, finding_key: str | None = None) -> None:
    """Every correction and undo of the report, newest first, and a way to undo a correction in force."""
    if history.is_empty():
        st.caption("该报告的数值尚无更正记录。")
        return
    rows = list(history.iter_rows(named=True))
    view = report_views.corrections_table(history, [correction_state(r) for r in rows], "该报告")
    st.markdown("###### 更正记录")
    ui.show_table(view, f"correction_history_{report_id}", f"报告编号：{report_id}")
    undo_form(report_id, [r for r in rows if r["action"] == "correct" and r["is_active"]], finding_key)


def _figure_name(row: dict) -> str:
    """A figure's label with its applicant column."""
    column = f"（{row['applicant_label']}）" if row["applicant_label"] else ""
    return f"{row['metric_label']}{column}"


def undo_form(report_id: str, active: list[dict], finding_key: str | None = None) -> None:
    """Undo one correction in force; the figure returns to the previous correction or to the parsed value."""
    form = f"undo_{report_id}"
    show_flash(form)  # also when the undo just made leaves no correction in force
    if not active or not auth.may("figure.correct"):
        return
    labels = {
        r["correction_id"]: f"#{r['correction_id']} {_figure_name(r)} → {_value_text(r['value'])}" for r in active
    }
    with st.form(form):
        st.selectbox("撤销更正", list(labels), format_func=labels.get, key=f"{form}_pick")
        name_field()
        st.form_submit_button("撤销所选更正", key=f"{form}_save", on_click=_undo, args=(form, finding_key))


def _undo(form: str, finding_key: str | None) -> None:
    """Form callback: write the undo, or say why not."""
    try:
        undo_id = review.undo_correction(
            db_path(), int(st.session_state[f"{form}_pick"]), writer(), finding_key=finding_key
        )
    except REFUSED as exc:
        flash("error", exc.zh, form)
        return
    flash(
        "success",
        f"已撤销更正 #{st.session_state[f'{form}_pick']}（记录 #{undo_id}）；"
        "该更正若由问题发起，撤销已记入该问题的核查记录。",
        form,
    )
