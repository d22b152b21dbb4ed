"""简报导出: the briefing of the sidebar selection as an Excel workbook, a PowerPoint deck and a Word document.
The page lists what goes in (sections, charts, tables, findings), previews any chart, and makes the three files
on request; they are offered for download until the selection or the title changes. Where LibreOffice is
installed, a PDF of the Word document is made on request beside it.

Queries: those exports.briefing runs (overview_by_year, trends_requests, outcomes_mix, compare_units,
outcomes_denied_reasons, review_blocks, proposals_by_unit, briefing_findings, relation_exists).
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from analytics import live
from exports import ExportError, briefing, pdf
from exports.files import MIME, PDF, file_stem, make_files
from ui import data, textview, url_state
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = (*briefing.QUERIES,)

DEFAULT_TITLE = "政府信息公开工作年度报告分析简报"
FILE_LABELS = {"xlsx": "Excel工作簿", "pptx": "PowerPoint演示文稿", "docx": "Word简报", PDF: "PDF简报"}


def assemble(title: str) -> briefing.Briefing:
    """The briefing of the sidebar selection, from the same cached queries the other pages read."""
    path = Path(live.version()[0])
    return briefing.build(data.fetch, selection, briefing.data_label(path, data.fetch), title)


def show_contents(brief: briefing.Briefing) -> None:
    """What the files will hold: per section its sentences, numbered charts and tables."""
    title, scope, label = (textview.markdown_text(text) for text in (brief.title, brief.scope, brief.data_label))
    st.markdown(f"**{title}**  \n{scope}  \n{label}")
    figures, tables = 0, 0
    for section in brief.sections:
        lines = []
        for chart in section.charts:
            figures += 1
            lines.append(f"- 图{figures} {textview.markdown_text(chart.title)}（{briefing.chart_kind(chart.figure)}）")
        for table in section.tables:
            tables += 1
            lines.append(f"- 表{tables} {textview.markdown_text(table.title)}（{table.frame.height}行）")
        with st.expander(section.heading, expanded=section.heading == "总体情况"):
            for text in section.paragraphs:  # sentences that name units: shown as text
                st.markdown(textview.markdown_text(text))
            st.markdown("\n".join(lines))
    st.caption(
        "Excel：每个表一个工作表（可打印），主要序列附可编辑的Excel图表，另有“口径”工作表；"
        "PowerPoint：标题页、总体情况、每图一页（含资料来源与口径）、排名页、问题页；"
        "Word：公文格式（黑体标题、仿宋正文），图表按顺序编号，每图后注明资料来源与口径，"
        "逐条问题与解析提示列于附件；PDF：由Word简报转换，版式相同（需安装LibreOffice）。"
    )


def preview(brief: briefing.Briefing) -> None:
    """One chart of the briefing at a time, as the files will show it."""
    charts = {f"图{i} {c.title}": c for i, c in enumerate(brief.charts(), start=1)}
    if not charts:
        return
    names = list(charts)
    chosen = url_state.selectbox(
        st, "预览图表", names, names[0], key="briefing_preview", url="chart", token=lambda name: charts[name].key
    )
    chart = charts[chosen]
    ui.show_chart(chart.figure, chart.note, "briefing_preview_chart")


def signature(title: str) -> str:
    """What the made files depend on: the selection and the title (files made for another are not offered)."""
    return json.dumps({"selection": selection.to_query(), "title": title}, ensure_ascii=False, sort_keys=True)


def make(brief: briefing.Briefing, title: str) -> None:
    """Render the charts and write the three files in memory, kept for this session's download buttons."""
    with st.spinner("正在生成图表与文件（首次约需数秒）……"):
        try:
            files = make_files(brief)
        except ExportError as exc:
            st.error(textview.markdown_text(textview.chinese_part(str(exc))))
            return
    st.session_state["briefing_files"] = {"signature": signature(title), "stem": file_stem(brief), "files": files}


def offer(title: str) -> None:
    """Download buttons for the files made for the current selection and title."""
    made = st.session_state.get("briefing_files")
    if not made:
        return
    if made["signature"] != signature(title):
        st.info("筛选条件或标题已改变，请重新生成简报文件。")
        return
    st.success("简报文件已生成。")
    files = made["files"]
    slots = st.columns(len(files) + (PDF not in files))
    for column, (fmt, payload) in zip(slots, files.items(), strict=False):
        column.download_button(
            f"下载{FILE_LABELS[fmt]}", data=payload, file_name=f"{made['stem']}.{fmt}", mime=MIME[fmt],
            key=f"briefing_download_{fmt}", on_click="ignore", icon=":material/download:", width="stretch",
        )  # fmt: skip
    if PDF not in files:
        offer_pdf(slots[-1], made)


def offer_pdf(column, made: dict) -> None:
    """Beside the Word file: a button converting it to PDF, or why no PDF can be made here."""
    if not pdf.available():
        column.caption("未安装LibreOffice，无法生成PDF；可在Word中另存为PDF。")
        return
    if column.button("生成PDF简报", key="briefing_make_pdf", icon=":material/picture_as_pdf:", width="stretch"):
        with st.spinner("正在将Word简报转换为PDF …"):
            try:
                made["files"][PDF] = pdf.from_docx(made["files"]["docx"])
            except ExportError as exc:
                st.error(textview.markdown_text(textview.chinese_part(str(exc))))
                return
        st.rerun()


selection = ui.selection()
title = url_state.text_input(st, "简报标题", DEFAULT_TITLE, key="briefing_title", url="title").strip() or DEFAULT_TITLE
try:
    brief = assemble(title)
except ExportError as exc:
    st.info(f"{textview.markdown_text(textview.chinese_part(str(exc)))}。请调整左侧筛选条件。")
    st.stop()

show_contents(brief)
preview(brief)
if st.button("生成简报文件", key="briefing_make", type="primary", icon=":material/description:"):
    make(brief, title)
offer(title)
