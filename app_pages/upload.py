"""导入: upload report files; the loader reads and stores them, and each file's result is listed with a link to the
报告详情 of every report it stored. A file that fails never stops the others, and the database stays whole. A file
whose text states no agency or year is listed with inputs for them, and imported again with what the user enters.

Queries: upload_reports (run by ui.upload once the loader has written).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from config import db_path
from ui import auth, textview, upload
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = (*upload.QUERIES,)

STATUS = {"stored": "已导入", "unchanged": "未变（内容已入库）", "failed": "失败"}


def run_import(items: list[upload.Upload]) -> None:
    """Import the uploaded files with a progress bar, keep the outcome for the next run and refresh every page."""
    bar = st.progress(0.0, text="准备导入 / preparing …")
    outcome = upload.import_uploads(
        items, db_path(), step=lambda done, text: bar.progress(done, text=text), by=auth.account()
    )
    st.session_state["upload_outcome"] = outcome
    # Files refused only for want of an agency or a year stay at hand, for the user to give them and import again.
    st.session_state["upload_unnamed"] = [
        (item, result.missing) for item, result in zip(items, outcome.files, strict=True) if result.missing
    ]
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


def ask_identity(unnamed: list[tuple[upload.Upload, tuple[str, ...]]]) -> None:
    """Beside each file that states no agency or year, inputs for them, and a button importing those files again."""
    st.markdown("**以下文件未写明单位或年度：请填写后重新导入**")
    given = [_identity_inputs(item, missing) for item, missing in unnamed]
    ready = [g for g in given if g is not None]
    if st.button("按填写的单位和年度重新导入", key="upload_retry", disabled=not ready):
        run_import(ready)


def _identity_inputs(item: upload.Upload, missing: tuple[str, ...]) -> upload.Upload | None:
    """A file's name with inputs for what it lacks, keyed by its content; the upload with them once all are filled."""
    key = upload.content_hash(item.data)[:16]
    name, agency_col, year_col = st.columns([2, 2, 1])
    name.markdown(textview.markdown_text(item.name))
    agency = year = None
    if "agency" in missing:
        agency = agency_col.text_input("单位名称", key=f"upload_agency_{key}", placeholder="如：某某县教育局").strip()
    if "year" in missing:
        year = year_col.number_input("报告年度", 1990, 2100, value=None, step=1, key=f"upload_year_{key}")
    if ("agency" in missing and not agency) or ("year" in missing and year is None):
        return None
    return upload.with_identity(item, agency or None, int(year) if year is not None else None)


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
        label = f"{textview.markdown_text(report['agency'])} · {report['year']}年 · 第{report['version']}版"
        st.page_link("app_pages/report.py", label=label, query_params={"report": report_id}, icon=":material/article:")


ui.page_frame("导入")
st.markdown(
    f"上传一个或多个政府信息公开工作年度报告文件：{upload.FORMAT_NAMES}（PDF须带文字层，Excel含汇总填报表）。"
    "文件格式按内容识别；每个文件单独处理，"
    "某个文件失败不影响其他文件，数据库始终完整。同一单位同一年度的新文本存为新版本，旧版本保留。"
)
uploaded = st.file_uploader(
    "选择报告文件（可多选）",
    type=list(upload.UPLOAD_TYPES),
    accept_multiple_files=True,
    key=f"upload_files_{st.session_state.get('upload_round', 0)}",
)
if st.button("导入", key="upload_start", type="primary", disabled=not uploaded):
    run_import([upload.Upload(f.name, f.getvalue()) for f in uploaded])
if "upload_outcome" in st.session_state:
    show_outcome(st.session_state["upload_outcome"])
if st.session_state.get("upload_unnamed"):
    ask_identity(st.session_state["upload_unnamed"])
