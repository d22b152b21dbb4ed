"""Explanations travel into the briefing as footnotes: a reviewed finding (status and 情况说明) is footnoted under
every table and chart that shows the figures it cites, in the Word document, the workbook and the deck; findings
still awaiting review are counted, and the list never grows past MAX_FOOTNOTES lines."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest
from docx import Document
from pptx import Presentation

from exports import briefing as brief
from exports.files import make_files
from loaders import review
from tests.exports_support import briefing_for

NOTE = "原表该格填写“00”，经与报告单位核实为0件"
FINDING = "张店区人民政府2021年报告（R9）：二、上年结转政府信息公开申请数量（商业企业）：单元格“00”不是规范的非负整数"


@pytest.fixture(scope="module")
def reviewed(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[brief.Briefing, dict[str, bytes]]:
    """The test selection's briefing and files after a reviewer explained the R9 finding of 张店区人民政府 2021."""
    db = tmp_path_factory.mktemp("footnotes") / "reviewed.duckdb"
    shutil.copy(sample_db, db)
    con = duckdb.connect(str(db), read_only=True)
    ((key,),) = con.sql(
        "select finding_key from fct_findings where rule = 'R9' and agency = '张店区人民政府'"
    ).fetchall()
    con.close()
    review.review_finding(db, key, "审核员甲", note=NOTE, status="已说明")
    made = briefing_for(db)
    return made, make_files(made)


def expected_footnote() -> str:
    today = f"{dt.date.today():%Y-%m-%d}"
    return f"注1：{FINDING}。核实状态：已说明（审核员甲，{today}）。情况说明：{NOTE}（审核员甲，{today}）。"


def tables(made: brief.Briefing) -> dict[str, brief.Table]:
    return {t.key: t for t in made.tables()}


def charts(made: brief.Briefing) -> dict[str, brief.Chart]:
    return {c.key: c for c in made.charts()}


def test_the_explained_finding_footnotes_every_table_showing_its_figure(reviewed):
    made, _ = reviewed
    by_key = tables(made)
    # the finding cites requests.carried_over of 张店区人民政府 2021: the yearly totals, the requests table and the
    # 2021 ranking show requests figures of that report
    for key in ("overview", "requests", "ranking"):
        assert by_key[key].footnotes[0] == expected_footnote(), key
    # tables of other figures carry no footnote of it
    for key in ("outcomes", "reasons", "review", "proposals", "findings"):
        if key in by_key:
            assert not any(FINDING in line for line in by_key[key].footnotes), key


def test_findings_awaiting_review_are_counted_not_listed(reviewed, sample_db: Path):
    made, _ = reviewed
    # 平潭综合实验区管委会 2020 has two R2 findings (outcome sums), neither reviewed
    assert tables(made)["outcomes"].footnotes == ["本表数字涉及2条尚待核实的问题，见“发现的问题”。"]
    unreviewed = tables(briefing_for(sample_db))["requests"].footnotes
    assert unreviewed == ["本表数字涉及1条尚待核实的问题，见“发现的问题”。"]


def test_a_chart_is_footnoted_only_for_the_figures_it_draws(reviewed):
    made, _ = reviewed
    by_key = charts(made)
    assert by_key["requests_trend"].footnotes == []  # draws 本年新收 only; the finding is about 上年结转
    assert by_key["outcomes_mix"].footnotes == ["本图数字涉及2条尚待核实的问题，见“发现的问题”。"]


def test_the_word_briefing_prints_the_footnote_under_the_table(reviewed):
    made, files = reviewed
    doc = Document(io.BytesIO(files["docx"]))
    texts = [p.text for p in doc.paragraphs]
    table = tables(made)["requests"]
    note = next(i for i, t in enumerate(texts) if t.startswith(f"口径：{table.note}") and i > texts.index(table.source))
    assert texts[note + 1] == expected_footnote()
    assert doc.paragraphs[note + 1].style.name == "图表注"


def test_the_workbook_puts_the_footnote_under_the_table_across_its_width(reviewed):
    made, files = reviewed
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    table = tables(made)["requests"]
    sheet = next(ws for ws in book.worksheets if ws.title.endswith(table.title))
    row = brief_row(sheet, expected_footnote())
    assert row == 5 + table.frame.height + 2  # header row 5, the rows, one blank row
    merged = next(r for r in sheet.merged_cells.ranges if r.min_row == row)
    assert (merged.min_col, merged.max_col) == (1, len(table.columns))
    assert sheet.cell(row, 1).alignment.wrap_text
    assert sheet.row_dimensions[row].height >= 2 * 13  # tall enough for the wrapped text


def brief_row(sheet, text: str) -> int:
    """The row of the first cell of column A holding `text`."""
    return next(c.row for c in sheet["A"] if c.value == text)


def test_the_deck_points_to_the_footnotes_and_holds_them_in_the_slide_notes(reviewed):
    _, files = reviewed
    deck = Presentation(io.BytesIO(files["pptx"]))
    noted = [s for s in deck.slides if s.has_notes_slide and expected_footnote() in s.notes_slide.notes_text_frame.text]
    assert noted, "no slide carries the footnote in its notes"
    shown = [shape.text_frame.text for shape in noted[0].shapes if shape.has_text_frame]
    assert any("见本页备注与Word简报" in text for text in shown)


def test_at_most_max_footnotes_are_listed_and_the_rest_counted():
    at = dt.datetime(2026, 1, 5, 9, 30)
    n = brief.MAX_FOOTNOTES + 2
    rows = pl.DataFrame(
        {
            "agency": ["某局"] * (n + 3),
            "year": [2021] * (n + 3),
            "rule": ["R1"] * (n + 3),
            "message": [f"问题{i}。" for i in range(n + 3)],
            "status": ["不采纳"] * n + [review.UNREVIEWED] * 3,
            "status_by": ["乙"] * n + [None] * 3,
            "status_at": [at] * n + [None] * 3,
            "note_count": [0] * (n + 3),
            "last_note": [None] * (n + 3),
            "last_note_by": [None] * (n + 3),
            "last_note_at": [None] * (n + 3),
        }
    )
    lines = brief.footnotes(rows, "表")
    assert len(lines) == brief.MAX_FOOTNOTES + 2
    assert lines[0] == "注1：某局2021年报告（R1）：问题0。核实状态：不采纳（乙，2026-01-05）。"
    assert lines[-2] == "另有2条已有审核记录的问题涉及本表数字，见“发现的问题”。"
    assert lines[-1] == "本表数字涉及3条尚待核实的问题，见“发现的问题”。"


def test_an_explanation_alone_makes_a_finding_reviewed():
    at = dt.datetime(2026, 1, 6, 8, 0)
    row = {
        "agency": "某局",
        "year": 2021,
        "rule": "R4",
        "message": "总计不符",
        "status": review.UNREVIEWED,
        "status_by": None,
        "status_at": None,
        "note_count": 1,
        "last_note": "正在核实。",
        "last_note_by": "丙",
        "last_note_at": at,
    }
    lines = brief.footnotes(pl.DataFrame([row]), "图")
    assert lines == ["注1：某局2021年报告（R4）：总计不符。核实状态：待核实。情况说明：正在核实（丙，2026-01-06）。"]


@pytest.fixture(scope="module")
def corrected(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int]:
    """A copy of the sample database in which 张店区人民政府 2021's 本年新收 total was corrected from a finding."""
    db = tmp_path_factory.mktemp("footnotes") / "corrected.duckdb"
    shutil.copy(sample_db, db)
    con = duckdb.connect(str(db), read_only=True)
    ((report, key, raw, value),) = con.sql(
        "select f.report_id, k.finding_key, f.raw, f.value from fct_values as f"
        " join fct_findings as k on f.report_id = k.report_id and k.rule = 'R9'"
        " where f.agency = '张店区人民政府' and f.year = 2021 and f.metric = 'requests.new' and f.applicant = 'total'"
    ).fetchall()
    con.close()
    correction = review.correct_figure(
        db, report, "requests.new", "total", value + 2, "原表少计2件", "审核员乙", finding_key=key
    )
    return db, raw, correction


def requests_cell(made: brief.Briefing) -> int:
    """本年新收 of 张店区人民政府 2021 as the briefing's requests table exports it."""
    frame = tables(made)["requests"].frame
    row = frame.filter((pl.col("单位") == "张店区人民政府") & (pl.col("年度") == 2021))
    return row["本年新收"].item()


def test_a_correction_in_force_is_footnoted_with_the_value_the_table_exports(corrected):
    db, raw, correction = corrected
    made = briefing_for(db)
    shown = requests_cell(made)
    assert shown == int(raw) + 2
    today = f"{dt.date.today():%Y-%m-%d}"
    line = (
        f"张店区人民政府2021年报告一、本年新收政府信息公开申请数量（总计）原文为“{raw}”，经审核更正为{int(shown)}"
        f"（更正#{correction}，理由：原表少计2件）（审核员乙，{today}），本表按更正后的数值计。"
    )
    notes = tables(made)["requests"].footnotes
    assert any(n.endswith(line) for n in notes), (notes, line)
    assert tables(made)["requests"].footnotes[0].startswith("注1：")


def test_an_undone_correction_is_not_footnoted_and_the_export_shows_the_printed_value(corrected, tmp_path: Path):
    db, raw, correction = corrected
    undone = tmp_path / "undone.duckdb"
    shutil.copy(db, undone)
    review.undo_correction(undone, correction, "审核员丙")
    made = briefing_for(undone)
    assert requests_cell(made) == int(raw)
    notes = [n for t in made.tables() for n in t.footnotes] + [n for c in made.charts() for n in c.footnotes]
    assert not any("经审核更正为" in n for n in notes)
    # the finding's footnote says what happened last: the undo, not the correction
    finding_notes = [n for n in tables(made)["requests"].footnotes if "R9" in n]
    assert finding_notes and f"撤销更正 #{correction}" in finding_notes[0]
    assert f"更正数值 #{correction}" not in finding_notes[0]
