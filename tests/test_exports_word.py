"""The Word briefing opened with python-docx: 公文 page and fonts (黑体 headings, 仿宋 body, East Asian font set
too), numbered 图/表 captions, every chart followed by its source note, and tables with the queries' numbers."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from tests.exports_support import made


@pytest.fixture(scope="module")
def doc(sample_db: Path):
    """The document, reopened from its bytes."""
    return Document(io.BytesIO(made(sample_db).files["docx"]))


def fonts(style) -> dict[str, str]:
    """The font names a style sets, by script (ascii, eastAsia ...), and whether a theme font would override."""
    r_fonts = style.element.rPr.find(qn("w:rFonts"))
    return {attr.split("}")[1]: value for attr, value in r_fonts.attrib.items()}


def test_page_is_a4_with_official_document_margins(doc):
    section = doc.sections[0]
    sizes = [section.page_width, section.page_height, section.top_margin, section.bottom_margin]
    sizes += [section.left_margin, section.right_margin]
    assert [s.cm for s in sizes] == pytest.approx([21, 29.7, 3.7, 3.5, 2.8, 2.6], abs=0.01)  # stored in twips


@pytest.mark.parametrize(("style", "font"), [("Normal", "仿宋"), ("Heading 1", "黑体"), ("Title", "黑体")])
def test_styles_set_the_chinese_fonts_for_every_script(doc, style: str, font: str):
    names = fonts(doc.styles[style])
    assert names["eastAsia"] == font and names["ascii"] == font and names["hAnsi"] == font
    assert not any(key.endswith("Theme") or key == "cstheme" for key in names)  # a theme font would win


def test_body_is_fangsong_sanhao_on_a_fixed_line(doc):
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing == Pt(28)
    assert normal.paragraph_format.first_line_indent == Pt(32)
    for centred in ("Title", "Caption"):  # not shifted by the body's two-character indent
        assert doc.styles[centred].paragraph_format.first_line_indent == 0
    assert doc.styles["Title"].element.pPr.find(qn("w:pBdr")) is None  # no blue rule under the title


def test_headings_are_numbered_sections_in_heiti(doc, sample_db: Path):
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    sections = [s.heading for s in made(sample_db).briefing.sections]
    assert headings[: len(sections)] == [f"{n}、{h}" for n, h in zip("一二三四五六七八九十", sections, strict=False)]
    assert headings[0] == "一、总体情况" and headings[-1].endswith("数据与口径说明")


def test_captions_are_numbered_in_order(doc, sample_db: Path):
    brief = made(sample_db).briefing
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    figures = [c for c in captions if c.startswith("图")]
    tables = [c for c in captions if c.startswith("表")]
    assert figures == [f"图{i} {c.title}" for i, c in enumerate(brief.charts(), start=1)]
    assert tables == [f"表{i} {t.title}" for i, t in enumerate(brief.tables(), start=1)]
    assert figures[0] == "图1 收到与办理的政府信息公开申请" and tables[0] == "表1 年度汇总"


def test_captions_number_with_word_fields(doc):
    caption = next(p for p in doc.paragraphs if p.text.startswith("图1 "))
    instructions = [node.text for node in caption._p.iter(qn("w:instrText"))]
    assert instructions == [" SEQ 图 \\* ARABIC "]


def test_every_chart_is_a_picture_then_its_caption_then_its_source_and_note(doc, sample_db: Path):
    paragraphs = doc.paragraphs
    charts = made(sample_db).briefing.charts()
    for number, chart in enumerate(charts, start=1):
        at = next(i for i, p in enumerate(paragraphs) if p.text == f"图{number} {chart.title}")
        assert paragraphs[at - 1]._p.xpath(".//pic:pic"), f"图{number} has no picture above its caption"
        assert paragraphs[at + 1].text == chart.source and paragraphs[at + 1].text.startswith("资料来源：")
        assert paragraphs[at + 2].text == f"口径：{chart.note}"
    assert len(doc.inline_shapes) == len(charts)
    assert doc.inline_shapes[0].width == Cm(15.6)


def test_picture_lines_are_not_fixed_height(doc):
    # an exact line height would clip an inline picture to one line
    holder = next(p for p in doc.paragraphs if p._p.xpath(".//pic:pic"))
    assert holder.style.paragraph_format.line_spacing_rule == WD_LINE_SPACING.SINGLE


def test_tables_hold_the_numbers_of_the_queries(doc, sample_db: Path):
    yearly = doc.tables[0]
    rows = [[c.text for c in row.cells] for row in yearly.rows]
    assert rows[0][:5] == ["年度", "报告数", "单位数", "本年新收", "办理总计"]
    assert rows[3][:5] == ["2021", "2", "2", "175", "174"]
    expected = made(sample_db).briefing.tables()[0].frame
    assert [r[6] for r in rows[1:]] == [f"{v * 100:.1f}%" if v is not None else "—" for v in expected["实质公开率"]]
    assert rows[1][9] == "—"  # 2019 has no concluded case: no correction rate, never 0%
    header = yearly.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) == "true"


def test_headline_sentences_give_the_latest_year(doc):
    body = [p.text for p in doc.paragraphs if p.style.name == "Normal"]
    assert "2021年，所选范围内共有2个单位的2份年度报告。" in body
    assert any("实质公开率56.9%" in t and "办理总计174件" in t for t in body)


def test_footer_numbers_pages_like_an_official_document(doc):
    footer = doc.sections[0].footer.paragraphs[0]
    assert re.fullmatch(r"— 1 —", footer.text)
    assert [n.text for n in footer._p.iter(qn("w:instrText"))] == [" PAGE "]
