"""The briefing fit for a leader's desk: Word table columns fitted to their content and the page (checked in the
document's XML everywhere, and in the PDF LibreOffice renders where it is installed: a sane page count, no unit's
name over more than three lines, no number broken), the parser's notes kept out of 发现的问题, empty charts left
out, and a year-on-year sentence that names the units that differ."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import plotly.graph_objects as go
import polars as pl
import pytest
from docx import Document
from docx.oxml.ns import qn

from analytics.views.overview import headline
from exports import pdf, word
from exports.briefing import draws_something
from tests.exports_support import AGENCIES, made

TEXT_WIDTH_TWIPS = 15.6 / 2.54 * 1440  # A4 less the 公文 margins
NO_LIBREOFFICE = "LibreOffice is not installed (setup installs libreoffice-writer as root): no PDF to check"


@pytest.fixture(scope="module")
def doc(sample_db: Path):
    """The Word briefing, reopened from its bytes."""
    return Document(io.BytesIO(made(sample_db).files["docx"]))


def grid_widths(table) -> list[int]:
    """A Word table's column widths in twips, as its grid states them."""
    return [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iter(qn("w:gridCol"))]


def test_tables_fit_the_page_with_fixed_columns_fitted_to_their_content(doc):
    for table in doc.tables:
        widths = grid_widths(table)
        assert sum(widths) <= TEXT_WIDTH_TWIPS + len(widths)  # rounding only
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        assert len(set(widths)) > 1  # not one width for every column
        header = table.rows[0]._tr.trPr
        assert header.find(qn("w:tblHeader")) is not None and header.find(qn("w:cantSplit")) is not None
    findings = next(t for t in doc.tables if t.rows[0].cells[0].text == "单位" and t.rows[0].cells[5].text == "问题")
    widths = dict(zip([c.text for c in findings.rows[0].cells], grid_widths(findings), strict=True))
    assert widths["问题"] > widths["单位"] > widths["年度"]  # the sentences get the room


def test_column_widths_keep_numbers_whole_and_names_on_three_lines_at_most():
    name = "平潭综合实验区管委会"
    header = [(h, False) for h in ("单位", "年度", *[f"指标{i}合计数" for i in range(6)])]
    body = [[(name, False), ("2021", True), *[("12,345", True)] * 6]]
    widths = word.column_widths([header, *body], [False, True, *[True] * 6])
    assert sum(widths) <= word.TEXT_WIDTH
    ems = [(w - 2 * word.CELL_PADDING) / word.Pt(word.CELL_SIZE) for w in widths]
    assert ems[0] >= len(name) / word.MAX_NAME_LINES  # the name wraps twice at most
    assert all(e >= word.text_ems("12,345") for e in ems[2:]) and ems[1] >= word.text_ems("2021")


def test_a_narrow_table_is_spread_over_the_page():
    widths = word.column_widths(
        [[("单位", False), ("件数", False)], [("张店区人民政府", False), ("3", True)]], [False, True]
    )
    assert sum(widths) == pytest.approx(word.TEXT_WIDTH, rel=0.01) and widths[0] > widths[1]


def test_parser_notes_stay_out_of_the_findings_and_go_to_an_annex(sample_db: Path, doc):
    brief = made(sample_db).briefing
    parse_rows = made(sample_db).query("briefing_parse_notes", **brief.selection.params())
    assert parse_rows.height > 0 and "PARSE" not in brief.findings.frame["规则"].to_list()
    body = next(s for s in brief.sections if s.heading == "发现的问题")
    assert [t.key for t in body.tables] == ["findings_summary"]
    assert f"另有解析提示{parse_rows.height}条" in body.paragraphs[0]
    annexes = {a.heading: a for a in brief.annexes}
    assert annexes["问题明细"].tables[0] is brief.findings
    assert annexes["解析提示（供审核人员核对）"].tables[0].frame["提示"].to_list() == parse_rows["message"].to_list()
    summary = body.tables[0].frame
    assert summary["问题数"].sum() == brief.findings.frame.height  # the summary counts the same findings
    annex_titles = [p.text for p in doc.paragraphs if p.style.name == word.STYLE_ANNEX]
    assert annex_titles == ["附件1：问题明细", "附件2：解析提示（供审核人员核对）"]


def test_a_chart_is_kept_on_its_page_with_its_source_note(doc, sample_db: Path):
    paragraphs = doc.paragraphs
    for chart in made(sample_db).briefing.charts():
        at = next(i for i, p in enumerate(paragraphs) if p.text.endswith(f" {chart.title}") and p.text[0] == "图")
        assert (
            paragraphs[at - 1].paragraph_format.keep_with_next
            or paragraphs[at - 1].style.paragraph_format.keep_with_next
        )
        assert paragraphs[at].paragraph_format.keep_with_next  # caption with its source
        assert paragraphs[at + 1].paragraph_format.keep_with_next  # source with its 口径 note


def test_empty_and_all_zero_charts_are_left_out(sample_db: Path):
    assert not draws_something(go.Figure(go.Bar(x=["甲", "乙"], y=[0, 0])))
    assert not draws_something(go.Figure(go.Bar(x=[None, 0], y=["甲", "乙"], orientation="h")))
    assert not draws_something(go.Figure())
    assert draws_something(go.Figure(go.Scatter(x=[2020, 2021], y=[0, 3])))
    charts = made(sample_db).briefing.charts()
    assert charts and all(draws_something(c.figure) for c in charts)
    # the sample's 2019–2021 复议后起诉 block states nothing but zeros: no chart of it
    assert "复议后起诉案件" not in [c.title for c in charts]


def test_a_year_on_year_sentence_names_the_units_that_differ():
    rows = pl.DataFrame(
        {
            "year": [2020, 2021], "reports": [1, 2], "counted_reports": [1, 2], "units": [1, 2],
            "requests_new": [21, 175], "handled": [21, 174], "disclosed": [13, 99], "disclosure_rate": [0.6, 0.57],
            "concluded": [0, 35], "corrected": [0, 6], "correction_rate": [None, 0.17], "same_units": [None, False],
            "units_joined": [[], ["张店区人民政府"]], "units_left": [None, []], "findings": [0, 1],
            "findings_open": [0, 1], "findings_explained": [0, 0], "findings_corrected": [0, 0],
            "findings_rejected": [0, 0], "parse_notes": [0, 3],
        }
    )  # fmt: skip
    lines = headline(rows)
    assert "（2020年为21件；两年单位不同，本年多张店区人民政府，增减不全是同一批单位的变化）" in lines[1]
    assert "另有解析提示3条" in lines[3]
    same = headline(rows.with_columns(pl.Series("same_units", [None, True])))
    assert "（2020年为21件）" in same[1]


@pytest.fixture(scope="module")
def cli_out(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the command line writes the test selection's Word briefing and its PDF to (one LibreOffice
    conversion, which takes 8–17 s on a two-core machine, for the two tests that read it)."""
    from exports.cli import main

    out = tmp_path_factory.mktemp("briefing-cli") / "out"
    args = ["briefing", "--db", str(sample_db), "--agencies", *AGENCIES, "--years", "2019-2021", "--out", str(out)]
    assert main([*args, "--formats", "docx", "--pdf"]) == 0
    return out


@pytest.mark.skipif(not pdf.available(), reason=NO_LIBREOFFICE)
def test_the_pdf_keeps_unit_names_within_three_lines_and_numbers_whole(cli_out: Path):
    out = (cli_out / "briefing_2019-2021.pdf").read_bytes()
    assert out.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(out)) as document:
        pages = len(document.pages)
        cells = [cell for page in document.pages for table in page.extract_tables() for row in table for cell in row]
    assert 6 <= pages <= 30  # 9 charts and 10 short tables: neither cramped nor six pages of findings
    names = [c for c in cells if c and c.replace("\n", "") in AGENCIES]
    assert names and all(c.count("\n") <= 2 for c in names), [c for c in names if c.count("\n") > 2]
    numbers = [c for c in cells if c and re.fullmatch(r"[\d,.%\n]+", c)]
    assert numbers and not [c for c in numbers if "\n" in c]  # a year, count or rate is never broken


def test_no_pdf_without_libreoffice(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(pdf, "converter", lambda: None)
    assert not pdf.available()
    with pytest.raises(pdf.ExportError, match="LibreOffice"):
        pdf.from_docx(b"")


@pytest.mark.skipif(not pdf.available(), reason=NO_LIBREOFFICE)
def test_the_command_line_writes_the_pdf(cli_out: Path) -> None:
    assert sorted(p.name for p in cli_out.iterdir()) == ["briefing_2019-2021.docx", "briefing_2019-2021.pdf"]
    with pdfplumber.open(cli_out / "briefing_2019-2021.pdf") as document:
        text = document.pages[0].extract_text()
    assert "政府信息公开工作年度报告分析简报" in text.replace("\n", "")


@pytest.mark.skipif(not pdf.available(), reason=NO_LIBREOFFICE)
def test_the_page_offers_the_pdf_beside_the_word_file(dashboard_db: Path) -> None:
    from tests.apptest_support import run_page

    at = run_page("app_pages/briefing.py", {"agency": AGENCIES[0], "from": "2021", "to": "2021"})
    at.button(key="briefing_make").click().run()
    at.button(key="briefing_make_pdf").click().run()
    assert not at.exception
    labels = {b.key: b.proto.label for b in at.get("download_button")}
    assert labels["briefing_download_pdf"] == "下载PDF简报" and "briefing_download_docx" in labels
    assert at.session_state["briefing_files"]["files"]["pdf"].startswith(b"%PDF")


def test_the_page_says_why_there_is_no_pdf_without_libreoffice(dashboard_db: Path, monkeypatch) -> None:
    from tests.apptest_support import run_page

    monkeypatch.setattr(pdf, "converter", lambda: None)
    at = run_page("app_pages/briefing.py", {"agency": AGENCIES[0], "from": "2021", "to": "2021"})
    at.button(key="briefing_make").click().run()
    assert not [b for b in at.button if b.key == "briefing_make_pdf"]
    assert any("未安装LibreOffice" in c.value for c in at.caption)
