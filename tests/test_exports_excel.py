"""The briefing workbook opened with openpyxl: the numbers are the named queries' numbers, unstated ones are empty
cells, sheets are set up for printing, the main series are native Excel charts, the 口径 and findings sheets are
whole, and report text can never become a formula."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest
from openpyxl.chart import BarChart, LineChart

from analytics.views import Column, Table
from exports import excel
from loaders import review
from loaders.keys import METRICS
from tests.exports_support import AGENCIES, SELECTION, briefing_for, made

HEADER = excel.HEADER_ROW


def workbook(sample_db: Path) -> openpyxl.Workbook:
    """The briefing workbook, reopened from its bytes."""
    return openpyxl.load_workbook(io.BytesIO(made(sample_db).files["xlsx"]))


def sheet_named(book: openpyxl.Workbook, title: str):
    """The table sheet whose name ends with `title` (names are "表n title")."""
    return next(ws for ws in book.worksheets if re.fullmatch(rf"表\d+ {re.escape(title)}", ws.title))


def rows_of(ws) -> list[dict]:
    """The table under the header row as dicts (header -> cell value), up to the blank row before its footnotes."""
    names = [c.value for c in ws[HEADER]]
    rows = []
    for row in ws.iter_rows(min_row=HEADER + 1, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(dict(zip(names, row, strict=True)))
    return rows


def test_sheets_one_per_table_then_charts_and_the_definitions(sample_db: Path):
    book = workbook(sample_db)
    tables = [t.title for t in made(sample_db).briefing.tables()]
    table_sheets = [ws.title for ws in book.worksheets if re.fullmatch(r"表\d+ .+", ws.title)]
    assert table_sheets == [f"表{i} {t}" for i, t in enumerate(tables, start=1)]
    assert book.sheetnames[0] == "说明" and book.sheetnames[-1] == "口径"
    assert {"表8 问题汇总（按单位和规则）", "表9 发现的问题", "表10 解析提示（供审核人员核对）"} <= set(book.sheetnames)


def test_yearly_table_equals_overview_by_year(sample_db: Path):
    expected = made(sample_db).query("overview_by_year", **SELECTION.params())
    rows = rows_of(sheet_named(workbook(sample_db), "年度汇总"))
    assert [r["年度"] for r in rows] == expected["year"].to_list() == [2019, 2020, 2021]
    assert [r["本年新收"] for r in rows] == expected["requests_new"].to_list()
    assert [r["办理总计"] for r in rows] == expected["handled"].to_list()
    # openpyxl writes 16 significant digits: the rates are the query's to that precision
    assert [r["实质公开率"] for r in rows] == pytest.approx(expected["disclosure_rate"].to_list(), rel=1e-14)
    last = rows[-1]
    assert (last["本年新收"], last["办理总计"], last["实质公开"]) == (175, 174, 99)  # 105 + 70; (61 + 3) + (30 + 5)
    assert last["实质公开率"] == pytest.approx(99 / 174)


def test_unstated_figures_are_empty_cells_never_zero(sample_db: Path):
    ws = sheet_named(workbook(sample_db), "年度汇总")
    rows = rows_of(ws)
    # 2019: nothing concluded, so no correction rate: an empty cell, while the printed 0 cases stay 0
    assert rows[0]["复议诉讼纠错率"] is None
    assert rows[0]["已审结"] == 0
    col = [c.value for c in ws[HEADER]].index("复议诉讼纠错率") + 1
    assert ws.cell(HEADER + 1, col).data_type == "n" and ws.cell(HEADER + 1, col).value is None


def test_outcomes_table_rows_and_rates_come_from_the_queries(sample_db: Path):
    mix = made(sample_db).query("outcomes_mix", **SELECTION.params())
    rates = made(sample_db).query("compare_units", metric="rate.disclosure", **SELECTION.params())
    rows = rows_of(sheet_named(workbook(sample_db), "各报告办理结果"))
    zhangdian = next(r for r in rows if r["单位"] == "张店区人民政府")
    assert [zhangdian[k] for k in ("年度", "予以公开", "部分公开", "办理总计")] == [2021, 61, 3, 105]
    rate = rates.filter(pl.col("agency") == "张店区人民政府")["value"].item()
    assert zhangdian["实质公开率"] == pytest.approx(rate, rel=1e-14)
    assert zhangdian["实质公开率"] == pytest.approx(64 / 105)
    assert sorted(r["办理总计"] for r in rows) == sorted(mix["handled"].to_list())


def test_ranking_follows_compare_units(sample_db: Path):
    rows = rows_of(sheet_named(workbook(sample_db), "2021年单位排名"))
    assert [(r["名次"], r["单位"], r["本年新收"]) for r in rows] == [(1, "张店区人民政府", 105), (2, AGENCIES[1], 70)]
    assert rows[0]["复议诉讼纠错率"] == pytest.approx(0.3)  # 6 corrected of 20 concluded, as 总览 shows


def test_number_formats_header_freeze_and_print_setup(sample_db: Path):
    ws = sheet_named(workbook(sample_db), "年度汇总")
    names = [c.value for c in ws[HEADER]]
    assert ws.cell(HEADER + 3, names.index("本年新收") + 1).number_format == "#,##0"
    assert ws.cell(HEADER + 3, names.index("实质公开率") + 1).number_format == "0.0%"
    assert ws[HEADER][0].font.bold and ws[HEADER][0].fill.fgColor.rgb.endswith("1F4E79")
    assert ws.freeze_panes == f"A{HEADER + 1}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${HEADER}:${HEADER}"
    assert ws.oddHeader.center.text == "表1 年度汇总"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws["A2"].value.startswith("资料来源：") and ws["A3"].value.startswith("口径：")


def test_main_series_are_native_excel_charts(sample_db: Path):
    book = workbook(sample_db)
    charts = {ws.title: ws._charts for ws in book.worksheets if ws._charts}
    kinds = {title: type(found[0]) for title, found in charts.items()}
    assert kinds == {"表1图表": LineChart, "表3图表": BarChart, "表7图表": BarChart}
    assert charts["表3图表"][0].grouping == "percentStacked"
    assert charts["表7图表"][0].type == "bar"
    with zipfile.ZipFile(io.BytesIO(made(sample_db).files["xlsx"])) as archive:
        xml = {n: archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")}
        pictures = [n for n in archive.namelist() if n.startswith("xl/media/")]
    assert len(xml) == 3 and not pictures  # chart objects, not pictures of charts
    assert sum("<lineChart>" in x for x in xml.values()) == 1
    assert sum("<barChart>" in x for x in xml.values()) == 2
    line = next(x for x in xml.values() if "<lineChart>" in x)
    assert line.count('<smooth val="0"/>') == 2  # both series drawn straight, not smoothed


def test_chart_sheet_data_are_the_table_values(sample_db: Path):
    book = workbook(sample_db)
    chart_ws = book["表1图表"]
    header = next(r for r in range(1, chart_ws.max_row + 1) if chart_ws.cell(r, 1).value == "类别")
    values = [chart_ws.cell(r, 2).value for r in range(header + 1, header + 4)]
    assert [c.value for c in chart_ws[header]][:3] == ["类别", "本年新收", "办理总计"]
    assert values == [r["本年新收"] for r in rows_of(sheet_named(book, "年度汇总"))]


def test_definitions_sheet_holds_every_metric_and_both_rates(sample_db: Path):
    ws = workbook(sample_db)["口径"]
    keys = {row[2] for row in ws.iter_rows(values_only=True) if row[2]}
    assert set(METRICS) <= keys
    assert {"rate.disclosure", "rate.correction"} <= keys
    texts = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v]
    assert any("实质公开率 =（予以公开 + 部分公开）/ 办理总计" in t for t in texts)
    assert ("年度汇总", "实质公开率") in {(row[0], row[1]) for row in ws.iter_rows(values_only=True)}


def test_findings_sheet_lists_the_findings_with_status_and_explanation_columns(sample_db: Path):
    expected = made(sample_db).query("briefing_findings", **SELECTION.params())
    ws = sheet_named(workbook(sample_db), "发现的问题")
    names = [c.value for c in ws[HEADER]]
    assert names == ["单位", "年度", "规则", "规则说明", "级别", "问题", "状态", "情况说明"]
    rows = rows_of(ws)
    assert [r["问题"] for r in rows] == expected["message"].to_list()
    assert rows[0]["级别"] == "错误" and rows[0]["规则"] == "R2"
    assert all(r["状态"] == review.UNREVIEWED and r["情况说明"] is None for r in rows)  # nobody reviewed yet


def test_findings_take_status_and_explanation_from_the_reviews(sample_db: Path, tmp_path: Path):
    db = tmp_path / "reviewed.duckdb"
    shutil.copy(sample_db, db)
    con = duckdb.connect(str(db), read_only=True)
    wanted = "select finding_key from fct_findings where rule = 'R9' and agency = '张店区人民政府'"
    ((key,),) = con.sql(wanted).fetchall()
    con.close()
    review.set_status(db, key, "已说明", "审核员")
    review.add_note(db, key, '=HYPERLINK("x") 报告单位已更正原文', "审核员")
    book = openpyxl.load_workbook(io.BytesIO(excel.briefing_workbook(briefing_for(db))))
    rows = rows_of(sheet_named(book, "发现的问题"))
    r9 = next(r for r in rows if r["规则"] == "R9")
    assert (r9["状态"], r9["情况说明"]) == ("已说明", '=HYPERLINK("x") 报告单位已更正原文')
    assert all(r["状态"] == review.UNREVIEWED for r in rows if r["规则"] != "R9")
    cell = next(c for c in sheet_named(book, "发现的问题")["H"] if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix  # an explanation is text, never a formula


def test_a_database_without_reviews_leaves_status_and_explanation_blank(sample_db: Path, tmp_path: Path):
    db = tmp_path / "older.duckdb"
    shutil.copy(sample_db, db)
    con = duckdb.connect(str(db))
    con.sql("drop view finding_reviews")  # as in a database made before reviews existed
    con.close()
    book = openpyxl.load_workbook(io.BytesIO(excel.briefing_workbook(briefing_for(db))))
    rows = rows_of(sheet_named(book, "发现的问题"))
    assert rows and all(r["状态"] is None and r["情况说明"] is None for r in rows)


@pytest.mark.parametrize("text", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1"])
def test_report_text_that_looks_like_a_formula_stays_text(text: str):
    frame = pl.DataFrame({"单位": [text], "件数": [3]})
    table = Table("t", "注入", frame, (Column("单位"), Column("件数", "count")), "来源", "口径")
    book = openpyxl.Workbook()
    excel.write_table(book.active, table, "表1")
    data = excel.save(book)
    cell = openpyxl.load_workbook(io.BytesIO(data)).active.cell(HEADER + 1, 1)
    assert cell.value == text  # kept exactly as printed, no apostrophe added to the text
    assert cell.data_type == "s" and cell.quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_plain_text_gets_no_quote_prefix():
    book = openpyxl.Workbook()
    cell = excel.put_text(book.active["A1"], "张店区人民政府")
    assert cell.data_type == "s" and not cell.quotePrefix


def test_a_dashboard_table_keeps_numbers_numbers_and_blanks_empty():
    frame = pl.DataFrame({"年度": [2020, 2021], "收到申请": [21.0, None], "实质公开率": [0.61, None]})
    columns = (
        Column("年度", "year"),
        Column("收到申请", "count", "本年新收"),
        Column("实质公开率", "rate", "公开/办理"),
    )
    table = Table("page", "年度汇总", frame, columns, "资料来源：年报", "口径说明")
    ws = openpyxl.load_workbook(io.BytesIO(excel.table_workbook(table, "单位：全部", "2026-01-02 03:04"))).active
    assert [ws.cell(r, 1).value for r in range(1, 8)] == [
        "年度汇总",
        "范围：单位：全部",
        "数据日期：2026-01-02 03:04",
        "资料来源：年报",
        "口径：口径说明",
        "列口径·收到申请：本年新收",
        "列口径·实质公开率：公开/办理",
    ]
    header = 9
    assert ws.freeze_panes == f"A{header + 1}"
    assert [c.value for c in ws[header]] == ["年度", "收到申请", "实质公开率"]
    assert [c.value for c in ws[header + 1]] == [2020, 21, 0.61]
    assert ws.cell(header + 2, 2).value is None and ws.cell(header + 2, 3).value is None
    formats = [c.number_format for c in ws[header + 1]]
    assert formats == ["0", "#,##0", "0.0%"] and ws.title == "年度汇总"
