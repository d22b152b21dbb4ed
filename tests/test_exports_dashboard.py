"""Downloads on the dashboard: every chart offers PNG and SVG and the main tables offer Excel, made only when the
button is clicked. The real pages run under AppTest; the functions the buttons hold are taken from Streamlit's
media manager (which stores them until a click) and run, as a click would run them."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from PIL import Image
from streamlit.runtime.media_file_manager import MediaFileManager

from tests import dbutil
from tests.apptest_support import run_page

Deferred = dict[str, Callable[[], bytes]]


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> Deferred:
    """The functions download buttons hold, by file name, recorded as Streamlit registers them."""
    held: Deferred = {}
    register = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, *, element_id=""):
        held[file_name] = data_callable
        return register(self, data_callable, mimetype, coordinates, file_name, element_id=element_id)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return held


def buttons(at) -> dict[str, str]:
    """Download buttons shown: key -> label."""
    return {b.key: b.proto.label for b in at.get("download_button")}


def test_a_chart_offers_png_and_svg_rendered_on_click(dashboard_db: Path, deferred: Deferred):
    at = run_page("app_pages/overview.py", {"agency": "张店区人民政府"})
    assert buttons(at)["overview_trend_png"] == "PNG（打印分辨率）"
    assert buttons(at)["overview_trend_svg"] == "SVG（矢量）"
    popover = next(b for b in at.get("popover") if b.proto.popover.label == "下载图表")
    assert {c.key for c in popover.children.values()} == {"overview_trend_png", "overview_trend_svg"}
    png = deferred["收到与办理的政府信息公开申请.png"]()
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size[0] == 3000 and round(image.info["dpi"][0]) == 300
    svg = deferred["收到与办理的政府信息公开申请.svg"]().decode()
    assert "收到与办理的政府信息公开申请" in svg
    assert "口径：各报告第三部分表格" in svg  # the image says where its numbers come from


def test_every_chart_on_a_page_has_both_downloads(dashboard_db: Path):
    at = run_page("app_pages/review.py", {"agency": "张店区人民政府"})
    charts = [c.key for c in at.get("plotly_chart")]
    assert charts and set(buttons(at)) >= {f"{k}_{fmt}" for k in charts for fmt in ("png", "svg")}


def header_row(sheet) -> int:
    """The row of a table sheet's column headings: the one above the frozen panes."""
    return sheet[sheet.freeze_panes].row - 1


def test_a_table_offers_the_rows_it_shows_as_excel(dashboard_db: Path, deferred: Deferred):
    at = run_page("app_pages/overview.py", {"agency": "张店区人民政府"})
    assert buttons(at)["overview_table_xlsx"] == "下载Excel"
    shown = at.dataframe[0].value  # the page's only table
    book = openpyxl.load_workbook(io.BytesIO(deferred["年度汇总.xlsx"]()))
    sheet = book.active
    header = header_row(sheet)
    assert [c.value for c in sheet[header]] == list(shown.columns)
    rows = [list(r) for r in sheet.iter_rows(min_row=header + 1, values_only=True)]
    as_shown = [[None if v != v else v for v in row] for row in shown.values.tolist()]  # NaN: not stated
    assert rows == as_shown
    assert rows[0][4] is None  # the 2014 prose report states no 办理总计: an empty cell, not 0
    assert rows[-1][:5] == [2021, 1, 1, 105, 105]


PAGES = [
    ("app_pages/overview.py", ["overview_table"]),
    (
        "app_pages/outcomes.py",
        ["outcomes_table", "outcomes_rates_table", "outcomes_reasons_table", "outcomes_applicants_table"],
    ),
    ("app_pages/review.py", ["review_table"]),
    ("app_pages/trends.py", ["trends_table"]),
    ("app_pages/compare.py", ["compare_table", "compare_peer_table"]),
    ("app_pages/proposals.py", ["proposals_table"]),
    ("app_pages/proactive.py", ["proactive_table", "proactive_not_comparable"]),
]


@pytest.mark.parametrize(("page", "keys"), PAGES)
def test_main_tables_of_the_pages_offer_excel(dashboard_db: Path, page: str, keys: list[str]):
    at = run_page(page, {"agency": ["张店区人民政府", "平潭综合实验区管委会"]})
    assert {f"{k}_xlsx" for k in keys} <= set(buttons(at))


NUMBER_AS_TEXT = re.compile(r"[+-]?[\d,]+(\.\d+)?%?")


def workbook_numbers(deferred: Deferred, scope: str) -> int:
    """Open every Excel file the page's buttons hold: each has the header block (the selection `scope` in words, the
    data's date, the source, the 口径) and no number written as text (but the report's own text as printed); every
    number has a number format. Returns
    how many numbers the files hold."""
    numbers = 0
    for name, make in deferred.items():
        if not name.endswith(".xlsx"):
            continue
        sheet = openpyxl.load_workbook(io.BytesIO(make())).active
        header = header_row(sheet)
        block = [sheet.cell(r, 1).value or "" for r in range(1, header)]
        assert block[1].startswith(f"范围：{scope}"), (name, block[1])
        assert re.fullmatch(r"数据日期：\d{4}-\d{2}-\d{2} \d{2}:\d{2}", block[2]), name
        assert block[3].startswith("资料来源："), name
        assert any(line.startswith(("口径：", "列口径·")) for line in block), name
        printed = {c.column for c in sheet[header] if c.value == "原文"}  # the report's text as printed stays text
        for row in sheet.iter_rows(min_row=header + 1):
            for cell in row:
                if isinstance(cell.value, str) and cell.column not in printed:
                    assert not NUMBER_AS_TEXT.fullmatch(cell.value), (name, cell.coordinate, cell.value)
                elif isinstance(cell.value, int | float):
                    assert cell.number_format != "General", (name, cell.coordinate)
                    numbers += 1
    return numbers


@pytest.mark.parametrize(("page", "keys"), PAGES)
def test_every_excel_download_keeps_numbers_numbers_under_a_header_block(
    dashboard_db: Path, deferred: Deferred, page: str, keys: list[str]
):
    at = run_page(page, {"agency": ["张店区人民政府", "平潭综合实验区管委会"], "from": "2020"})
    assert {f"{k}_xlsx" for k in keys} <= set(buttons(at))
    scope = "地区：全部；层级：全部；类型：全部；单位：张店区人民政府、平潭综合实验区管委会；年度：2020—"
    assert workbook_numbers(deferred, scope), page  # the page's tables of figures hold them as numbers


def test_report_coverage_and_findings_downloads_keep_numbers_numbers(dashboard_db: Path, deferred: Deferred):
    source = "zhangdian-district-gov-office-2021.txt"
    report = dbutil.rows(dashboard_db, "select report_id from reports where source = ?", [source])[0][0]
    at = run_page("app_pages/report.py", {"report": report})
    assert {f"report_figures_{report}_xlsx", f"report_findings_{report}_xlsx"} <= set(buttons(at))
    assert workbook_numbers(deferred, "地区：全部；层级：全部；类型：全部；单位：全部；年度：")
    deferred.clear()
    at = run_page("app_pages/coverage.py")  # the year the page picks, not the sidebar's range
    assert "coverage_table_xlsx" in buttons(at)
    year = at.selectbox(key="coverage_year").value
    workbook_numbers(deferred, f"地区：全部；层级：全部；类型：全部；单位：全部；年度：{year}年")  # none may be late
    deferred.clear()
    at = run_page("app_pages/findings.py")
    assert any(k.startswith("findings_list_") and k.endswith("_xlsx") for k in buttons(at))
    assert workbook_numbers(deferred, "地区：全部；层级：全部；类型：全部；单位：全部；年度：")
