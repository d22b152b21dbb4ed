"""The stored reports that state no agency or no year, as the 导入 page lists them: each with a link to its 报告详情,
inputs for what it lacks and a save button that gives them through the loader (loaders.identify), after which the
report counts for its unit and year like any other.

Queries: unidentified_reports.
"""

from __future__ import annotations

import streamlit as st

from config import db_path
from loaders import identify
from ui import auth, data, textview
from ui import review as review_ui

# the named queries this module runs
QUERIES = ("unidentified_reports",)

_WHERE = "identify"  # where the outcome of a save is shown after the rerun
FORMS = 20  # reports given a form at once; each one saved brings the next


def unidentified_reports() -> None:
    """The list of unidentified stored reports with a form each (the first FORMS of them); nothing when there are
    none or when the role may not identify reports (the list names files of every unit)."""
    if not auth.may("report.identify"):
        return
    review_ui.show_flash(_WHERE)
    reports = data.fetch("unidentified_reports")
    if reports.is_empty():
        return
    st.subheader(f"未识别的报告（{reports.height}）")
    st.caption(
        "这些报告的标题、正文、落款、日期和文件名都没有写明单位或年度。它们已入库，数值和问题照常可查，"
        "但在填写之前不计入任何单位、任何年度的统计。填写后按“保存”，报告即归入该单位该年度（已有报告时存为新版本）。"
    )
    if reports.height > FORMS:
        st.caption(f"下面先列出前 {FORMS} 份；每保存一份，下一份随之列出。")
    for row in reports.head(FORMS).iter_rows(named=True):
        _form(row)


def _form(row: dict) -> None:
    """One report: its file, what it does state, a link to it, inputs for what it lacks and the save button."""
    report_id = row["report_id"]
    form = f"identify_{report_id}"
    with st.form(form, border=True):
        states = "、".join(
            f"{label}：{value}"
            for label, value in (("单位", row["agency"]), ("年度", row["year"]))
            if value is not None
        )
        st.markdown(
            f"**{textview.markdown_text(row['source'] or report_id)}** · {row['n_figures']}个数值 · "
            f"{row['n_findings']}个问题" + (f" · 报告写明{textview.markdown_text(states)}" if states else "")
        )
        agency_col, year_col = st.columns([3, 1])
        if row["agency"] is None:
            agency_col.text_input("单位名称", key=f"{form}_agency", max_chars=identify.MAX_AGENCY)
        if row["year"] is None:
            year_col.number_input(
                "报告年度", identify.FIRST_YEAR, identify.LAST_YEAR, value=None, step=1, key=f"{form}_year"
            )
        review_ui.name_field()
        st.form_submit_button("保存单位和年度", key=f"{form}_save", on_click=_save, args=(report_id, form))
    st.page_link(
        "app_pages/report.py", label="打开报告详情", query_params={"report": report_id}, icon=":material/article:"
    )


def _save(report_id: str, form: str) -> None:
    """Give the report what was typed, through the loader; the outcome is shown after the rerun."""
    year = st.session_state.get(f"{form}_year")
    try:
        done = identify.identify(
            db_path(),
            report_id,
            st.session_state.get(f"{form}_agency"),
            int(year) if year is not None else None,
            review_ui.writer(),
        )
    except review_ui.REFUSED as exc:
        review_ui.flash("error", exc.zh, _WHERE)  # show_flash escapes it
        return
    except OSError as exc:
        review_ui.flash("error", f"无法写入数据库，原数据库未改动（{exc}）", _WHERE)
        return
    where = f"第{done.version}版" if done.version else "该单位该年度已有的同一份报告（未识别的副本已移除）"
    names = f"“{textview.markdown_text(done.source)}”已归入{textview.markdown_text(done.agency)} {done.year}年"
    review_ui.flash("success", f"{names}：{where}", _WHERE)
    st.cache_data.clear()
