"""The briefing deck opened with python-pptx: title slide, one chart per slide with its title, picture, source and
口径 note, the ranking as a table with the queries' numbers, and the findings."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from exports.slides import MAX_FINDING_ROWS
from tests.exports_support import AGENCIES, SELECTION, made


@pytest.fixture(scope="module")
def deck(sample_db: Path):
    """The deck, reopened from its bytes."""
    return Presentation(io.BytesIO(made(sample_db).files["pptx"]))


def texts(slide) -> list[str]:
    """The text of every text frame on a slide."""
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def table_rows(slide) -> list[list[str]]:
    """The cell texts of the slide's table."""
    table = next(shape for shape in slide.shapes if shape.has_table).table
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_title_slide_names_the_briefing_the_selection_and_the_data(deck):
    first = deck.slides[0]
    assert first.shapes.title.text == "政府信息公开工作年度报告分析简报"
    body = "\n".join(texts(first))
    assert "单位：张店区人民政府、平潭综合实验区管委会；年度：2019—2021年" in body
    assert "数据：reports.duckdb（更新于" in body


def test_one_chart_per_slide_with_title_picture_source_and_note(deck, sample_db: Path):
    charts = made(sample_db).briefing.charts()
    chart_slides = [s for s in deck.slides if s.shapes.title.text.startswith("图")]
    assert [s.shapes.title.text for s in chart_slides] == [f"图{i} {c.title}" for i, c in enumerate(charts, start=1)]
    for slide, chart in zip(chart_slides, charts, strict=True):
        pictures = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1 and pictures[0].image.content_type == "image/png"
        assert pictures[0].top + pictures[0].height <= deck.slide_height
        notes = "\n".join(texts(slide))
        assert chart.source in notes and f"口径：{chart.note}" in notes
        assert notes.count("资料来源：") == 1


def test_chart_pictures_are_print_resolution_and_say_their_kind(deck):
    slide = next(s for s in deck.slides if s.shapes.title.text.startswith("图1 "))
    picture = next(shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE)
    assert picture.image.size[0] == 3000
    assert picture._element.nvPicPr.cNvPr.get("descr") == "图1 收到与办理的政府信息公开申请（折线图）"
    kinds = [
        shape._element.nvPicPr.cNvPr.get("descr")
        for s in deck.slides
        for shape in s.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert any(k.endswith("（堆积柱状图）") for k in kinds) and any(k.endswith("（条形图）") for k in kinds)


def test_ranking_slide_holds_the_ranking_numbers(deck, sample_db: Path):
    slide = next(s for s in deck.slides if s.shapes.title.text == "2021年单位排名")
    rows = table_rows(slide)
    assert rows[0] == ["名次", "单位", "本年新收", "办理总计", "实质公开率", "复议诉讼纠错率"]
    assert rows[1] == ["1", "张店区人民政府", "105", "105", "61.0%", "30.0%"]
    assert rows[2][:3] == ["2", AGENCIES[1], "70"]
    expected = made(sample_db).query(
        "compare_units", metric="requests.new", **{**SELECTION.params(), "year_from": 2021}
    )
    assert {r[1]: r[2] for r in rows[1:]} == {a: f"{v:,.0f}" for a, v in expected.select("agency", "value").rows()}
    assert any(t.startswith("资料来源：") for t in texts(slide))


def test_findings_slide_lists_the_first_findings_and_points_to_the_workbook(deck, sample_db: Path):
    findings = made(sample_db).briefing.findings.frame
    slide = next(s for s in deck.slides if s.shapes.title.text.startswith("发现的问题"))
    assert slide.shapes.title.text == f"发现的问题（共{findings.height}条）"
    rows = table_rows(slide)
    assert rows[0] == ["单位", "年度", "规则", "级别", "问题", "状态", "情况说明"]
    assert [r[4] for r in rows[1:]] == findings["问题"].head(MAX_FINDING_ROWS).to_list()
    assert rows[1][2:4] == ["R2", "错误"]
    cut = f"表中为前{MAX_FINDING_ROWS}行，共{findings.height}行" in "\n".join(texts(slide))
    assert cut == (findings.height > MAX_FINDING_ROWS)  # the parser's notes are not findings: 3 rule findings here
    assert all(r[2] != "PARSE" for r in rows[1:])


def test_slides_are_in_briefing_order_and_set_a_chinese_font(deck):
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[1] == "总体情况" and titles[-2] == "2021年单位排名" and titles[-1].startswith("发现的问题")
    run = deck.slides[1].shapes[1].text_frame.paragraphs[0].runs[0]
    assert run._r.rPr.find(qn("a:ea")).get("typeface") == "微软雅黑"
    assert "本年新收政府信息公开申请175件" in deck.slides[1].shapes[1].text_frame.text
