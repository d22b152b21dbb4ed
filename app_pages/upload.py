"""导入: upload report files; the loader reads and stores them, and each file's result is listed with a link to the
报告详情 of every report it stored. A file that fails never stops the others, and the database stays whole. A report
whose text states no agency or year is stored all the same; every such stored report is listed below with inputs
for what it lacks (ui.identify), which the loader then gives it.
A file that would replace a stored report first shows the figures it adds, changes and removes, and waits for a
confirmation.

Queries: upload_reports (run by ui.upload once the loader has written), unidentified_reports (ui.identify),
roster_names and unmatched_agencies (ui.units: a stored report whose agency the roster does not list is offered
a match to its likely roster unit).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from config import db_path
from ui import auth, identify, textview, units, upload
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = (*upload.QUERIES, *identify.QUERIES, *units.QUERIES)

STATUS = {"stored": "已导入", "unchanged": "未变（内容已入库）", "failed": "失败"}


def start_import(items: list[upload.Upload]) -> None:
    """Import the files at once, or, when one would replace a stored report, first show what changes and wait."""
    previews = upload.preview_uploads(items, db_path())
    if any(not p.same for p in previews):
        st.session_state["upload_pending"] = (items, previews)
        st.rerun()
    run_import(items)


def confirm_versions(items: list[upload.Upload], previews: list[upload.VersionPreview]) -> None:
    """Each report a file would replace, with its changed figures, and the buttons that import or cancel."""
    st.subheader("以下文件将替换已入库的报告")
    for i, p in enumerate(previews):
        where = f"{textview.markdown_text(p.name)}：{textview.markdown_text(p.agency)} {p.year}年 第{p.version}版"
        if p.same:
            st.info(f"{where}：内容与已入库的报告相同，没有变化，不会新增版本。")
        else:
            st.markdown(f"**{where} → 第{p.version + 1}版**：数值新增、改变、删除 {len(p.changes)} 项")
            ui.table(upload.changes_frame(p.changes), key=f"upload_diff_{i}")
    confirm, cancel = st.columns(2)
    if confirm.button("确认导入（存为新版本）", key="upload_confirm", type="primary"):
        del st.session_state["upload_pending"]
        run_import(items)
    if cancel.button("取消", key="upload_cancel"):
        del st.session_state["upload_pending"]
        st.rerun()


def run_import(items: list[upload.Upload]) -> None:
    """Import the uploaded files with a progress bar, keep the outcome for the next run and refresh every page."""
    bar = st.progress(0.0, text="准备导入 / preparing …")
    outcome = upload.import_uploads(
        items,
        db_path(),
        step=lambda done, text: bar.progress(done, text=textview.markdown_text(text)),
        by=auth.account(),
    )
    st.session_state["upload_outcome"] = outcome
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1  # a fresh, empty uploader
    st.cache_data.clear()  # every cached query of the old database goes; the data layer also notices the new file
    st.rerun()  # redraw the sidebar and the page from the new database


def show_outcome(outcome: upload.ImportResult) -> None:
    """The counts, one row per stored report or failed file, each error in full, and links to the new reports."""
    st.subheader("导入结果")
    cols = st.columns(4)
    cols[0].metric("新增报告", outcome.added)
    cols[1].metric("新版本", outcome.replaced)
    cols[2].metric("未变", outcome.unchanged)
    cols[3].metric("失败文件", outcome.failed)
    ui.table(result_rows(outcome), key="upload_results")
    for result in outcome.files:
        if result.status == "failed":
            st.error(textview.markdown_text(result.error or result.name), icon=":material/error:")
    show_links(outcome)
    show_unmatched(outcome)


def show_unmatched(outcome: upload.ImportResult) -> None:
    """The stored reports' agencies that the roster does not list, each with a form to match it to a unit."""
    agencies = [r["agency"] for result in outcome.files for r in result.reports if r.get("agency")]
    names = units.unmatched_names(agencies) if agencies else []
    if names:
        st.subheader("单位不在名册中")
        st.warning(
            "以下报告的单位名称不在名册中。若是名册中某单位的另一种写法，请确认对应的单位，以免同一单位被拆成两个。"
        )
    units.match_forms(names, "upload")


def result_rows(outcome: upload.ImportResult) -> pl.DataFrame:
    """One row per report stored (or already stored) from a file, and one per failed file."""
    rows = []
    for result in outcome.files:
        for report in result.reports or [{}]:
            rows.append(_row(result, report))
    return pl.DataFrame(rows, schema=_ROW_SCHEMA, orient="row")


_ROW_SCHEMA = {
    "文件": pl.String,
    "结果": pl.String,
    "单位": pl.String,
    "年度": pl.Int32,
    "模板": pl.String,
    "版本": pl.Int32,
    "数值个数": pl.Int64,
    "问题数": pl.Int64,
    "说明": pl.String,
}


def _row(result: upload.FileResult, report: dict) -> tuple:
    """A result table row: the file, what happened, and the stored report's identity and counts."""
    status = STATUS[result.status]
    if result.status == "stored" and report.get("version", 1) > 1:
        status = "已导入（新版本）"
    note = result.error or ("" if report.get("is_current", True) else "与较早版本相同，最新版本另有其文")
    if result.status != "failed" and None in (report.get("agency"), report.get("year")):
        note = "未写明单位或年度：已入库，请在下方“未识别的报告”中填写"
    return (
        result.name,
        status,
        report.get("agency"),
        report.get("year"),
        report.get("template"),
        report.get("version"),
        report.get("n_figures"),
        report.get("n_findings"),
        note,
    )


def show_links(outcome: upload.ImportResult) -> None:
    """A link to the 报告详情 page of every report the upload stored or found already stored."""
    reports = {r["report_id"]: r for result in outcome.files for r in result.reports}
    if not reports:
        return
    st.markdown("**打开报告详情**")
    for report_id, report in reports.items():
        label = " · ".join(
            (
                textview.markdown_text(report["agency"] or f"未识别单位（{report['source']}）"),
                f"{report['year']}年" if report["year"] is not None else "年度未识别",
                f"第{report['version']}版",
            )
        )
        st.page_link("app_pages/report.py", label=label, query_params={"report": report_id}, icon=":material/article:")


st.markdown(
    f"上传一个或多个政府信息公开工作年度报告文件：{upload.FORMAT_NAMES}（PDF须带文字层，Excel含汇总填报表）。"
    "文件格式按内容识别；每个文件单独处理，"
    "某个文件失败不影响其他文件，数据库始终完整。同一单位同一年度的新文本存为新版本，旧版本保留。"
)
uploaded = st.file_uploader(
    "选择报告文件（可多选）",
    type=list(upload.UPLOAD_TYPES),
    accept_multiple_files=True,
    help=upload.UPLOAD_HELP,
    key=f"upload_files_{st.session_state.get('upload_round', 0)}",
)
if st.button("导入", key="upload_start", type="primary", disabled=not uploaded):
    start_import([upload.Upload(f.name, f.getvalue()) for f in uploaded])
if "upload_pending" in st.session_state:
    confirm_versions(*st.session_state["upload_pending"])
if "upload_outcome" in st.session_state:
    show_outcome(st.session_state["upload_outcome"])
identify.unidentified_reports()
