"""简报导出 on the real sample reports: the page lists what the briefing holds for the sidebar selection, previews a
chart, makes the three files on request and offers them until the selection changes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
from docx import Document
from pptx import Presentation

from tests.apptest_support import run_page

PAGE = "app_pages/briefing.py"


def test_page_lists_the_sections_charts_and_tables_of_the_selection(dashboard_db: Path):
    at = run_page(PAGE, {"agency": "张店区人民政府", "from": "2021", "to": "2021"})
    assert at.header[0].value == "简报导出"
    assert [e.label for e in at.expander][:2] == ["总体情况", "申请情况"]
    text = re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown))  # as shown: escapes read
    assert "单位：张店区人民政府；年度：2021年" in text
    assert "本年新收政府信息公开申请105件" in text and "实质公开率61.0%" in text
    assert "- 图1 收到与办理的政府信息公开申请（折线图）" in text and "- 表1 年度汇总（1行）" in text
    assert at.selectbox(key="briefing_preview").value == "图1 收到与办理的政府信息公开申请"
    assert at.get("plotly_chart")[0].key == "briefing_preview_chart"
    assert not at.get("download_button") or all(b.key.startswith("briefing_preview") for b in at.get("download_button"))


def test_making_the_files_offers_three_downloads_that_open(dashboard_db: Path):
    at = run_page(PAGE, {"agency": "张店区人民政府", "from": "2021", "to": "2021"})
    at.button(key="briefing_make").click().run()
    assert not at.exception
    keys = {b.key: b.proto.label for b in at.get("download_button")}
    assert keys["briefing_download_xlsx"] == "下载Excel工作簿"
    assert keys["briefing_download_pptx"] == "下载PowerPoint演示文稿"
    assert keys["briefing_download_docx"] == "下载Word简报"
    made = at.session_state["briefing_files"]
    assert made["stem"] == "briefing_2021"
    book = openpyxl.load_workbook(io.BytesIO(made["files"]["xlsx"]))
    assert [c.value for c in book["表1 年度汇总"][6]][:5] == [2021, 1, 1, 105, 105]
    deck = Presentation(io.BytesIO(made["files"]["pptx"]))
    assert deck.slides[2].shapes.title.text == "图1 收到与办理的政府信息公开申请"
    doc = Document(io.BytesIO(made["files"]["docx"]))
    assert any(p.text == "图1 收到与办理的政府信息公开申请" for p in doc.paragraphs)

    at.text_input(key="briefing_title").set_value("张店区2021年度政务公开简报").run()
    assert "briefing_download_xlsx" not in {b.key for b in at.get("download_button")}
    assert any("请重新生成" in i.value for i in at.info)


def test_a_selection_without_reports_says_so(dashboard_db: Path):
    at = run_page(PAGE, {"level": "township"})
    assert at.info and "没有年度报告" in at.info[0].value
