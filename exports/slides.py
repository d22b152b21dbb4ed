"""The PowerPoint deck (python-pptx): a title slide, the headline figures, one chart per slide with its title,
source and 口径 note, the ranking and the findings."""

from __future__ import annotations

import io
import struct

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.text.text import TextFrame
from pptx.util import Emu, Inches, Pt

from analytics.views import Chart, Table, display
from exports.briefing import Briefing, chart_kind

FONT = "微软雅黑"  # on every Windows with Office or WPS; other systems substitute their CJK sans font
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
PICTURE_TOP, PICTURE_MAX_H = Inches(1.15), Inches(4.85)
NOTE_TOP = Inches(6.1)
GREY = RGBColor(0x61, 0x61, 0x61)
MAX_TABLE_ROWS = 12  # rows a table slide holds legibly; the workbook lists all
MAX_FINDING_ROWS = 8  # findings are long sentences: fewer rows fit
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5


def _style(frame: TextFrame, size: int, bold: bool = False, colour: RGBColor | None = None) -> None:
    """Font, size and colour of every run in a text frame, with the East Asian typeface set too (a:ea), which
    is the one PowerPoint and WPS use for Chinese characters."""
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
            if colour is not None:
                run.font.color.rgb = colour
            r_pr = run._r.get_or_add_rPr()
            ea = r_pr.find(qn("a:ea"))
            if ea is None:
                ea = r_pr.makeelement(qn("a:ea"), {})
                r_pr.append(ea)
            ea.set("typeface", FONT)


def _title(slide: Slide, text: str) -> None:
    """The slide's title placeholder, filled and styled."""
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = MARGIN, Inches(0.25), SLIDE_W - 2 * MARGIN, Inches(0.8)
    shape.text_frame.text = text
    _style(shape.text_frame, 26, bold=True)


def _text_box(slide: Slide, top: Emu, height: Emu, lines: list[str], size: int, colour: RGBColor | None = None):
    """A text box across the slide with one paragraph per line."""
    box = slide.shapes.add_textbox(MARGIN, top, SLIDE_W - 2 * MARGIN, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.text = lines[0] if lines else ""
    for line in lines[1:]:
        frame.add_paragraph().text = line
    _style(frame, size, colour=colour)
    return box


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels of a PNG, from its header."""
    return struct.unpack(">II", data[16:24])


def title_slide(deck: Deck, briefing: Briefing) -> None:
    """The first slide: title, the selection, the date and where the data come from."""
    slide = deck.slides.add_slide(deck.slide_layouts[LAYOUT_TITLE])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    # the layouts are drawn for 4:3; placed anew across the 16:9 slide
    title.left, title.top, title.width, title.height = MARGIN, Inches(2.0), SLIDE_W - 2 * MARGIN, Inches(1.5)
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = MARGIN, Inches(3.8), SLIDE_W - 2 * MARGIN, Inches(2)
    title.text = briefing.title
    _style(title.text_frame, 36, bold=True)
    body = subtitle.text_frame
    body.text = briefing.scope
    body.add_paragraph().text = f"{briefing.made_at:%Y年%m月%d日}"
    body.add_paragraph().text = briefing.data_label
    _style(body, 18, colour=GREY)


def text_slide(deck: Deck, heading: str, lines: list[str]) -> None:
    """A slide of sentences (the headline figures)."""
    slide = deck.slides.add_slide(deck.slide_layouts[LAYOUT_TITLE_ONLY])
    _title(slide, heading)
    _text_box(slide, Inches(1.4), Inches(5.2), lines, 22)


def chart_slide(deck: Deck, chart: Chart, number: int, image: bytes) -> None:
    """One chart: 图n title, the picture as large as fits, source and 口径 note under it."""
    slide = deck.slides.add_slide(deck.slide_layouts[LAYOUT_TITLE_ONLY])
    _title(slide, f"图{number} {chart.title}")
    width_px, height_px = png_size(image)
    height = min(PICTURE_MAX_H, int((SLIDE_W - 2 * MARGIN) * height_px / width_px))
    width = int(height * width_px / height_px)
    picture = slide.shapes.add_picture(io.BytesIO(image), (SLIDE_W - width) // 2, PICTURE_TOP, width, height)
    picture.name = f"图{number}"
    picture._element.nvPicPr.cNvPr.set("descr", f"图{number} {chart.title}（{chart_kind(chart.figure)}）")
    _text_box(slide, NOTE_TOP, Inches(1.2), [chart.source, f"口径：{chart.note}", *_pointer(chart.footnotes)], 12, GREY)
    _speaker_notes(slide, chart.footnotes)


def _pointer(footnotes: list[str]) -> list[str]:
    """The line a slide shows for its footnotes (too long for the slide itself): how many, and where they are."""
    if not footnotes:
        return []
    return [f"注：本页数字涉及的问题及核实情况{len(footnotes)}条，见本页备注与Word简报。"]


def _speaker_notes(slide: Slide, footnotes: list[str]) -> None:
    """The footnotes in full in the slide's notes, which the presenter view and the printed notes pages show."""
    if footnotes:
        slide.notes_slide.notes_text_frame.text = "\n".join(footnotes)


def table_slide(
    deck: Deck, heading: str, table: Table, columns: list[str], footer: list[str], limit: int = MAX_TABLE_ROWS
) -> None:
    """A native PowerPoint table of the first `limit` rows, with notes under it."""
    slide = deck.slides.add_slide(deck.slide_layouts[LAYOUT_TITLE_ONLY])
    _title(slide, heading)
    rows = table.frame.head(limit)
    kinds = table.kinds()
    height = Inches(0.35) * (rows.height + 1)
    shape = slide.shapes.add_table(rows.height + 1, len(columns), MARGIN, Inches(1.2), SLIDE_W - 2 * MARGIN, height)
    grid = shape.table
    texts = [columns] + [
        [display(v, kinds.get(n, "text")) for n, v in zip(columns, row, strict=True)]
        for row in rows.select(columns).iter_rows()
    ]
    for r, line in enumerate(texts):
        for c, text in enumerate(line):
            grid.cell(r, c).text = text
            _style(grid.cell(r, c).text_frame, 13 if r == 0 else 11, bold=r == 0)
    _fit_columns(grid, texts, SLIDE_W - 2 * MARGIN)
    cut = [f"表中为前{limit}行，共{table.frame.height}行，完整内容见Excel工作簿。"]
    notes = footer + (cut if table.frame.height > limit else []) + _pointer(table.footnotes)
    _text_box(slide, NOTE_TOP, Inches(1.2), notes, 12, GREY)
    _speaker_notes(slide, table.footnotes)


def _fit_columns(grid, texts: list[list[str]], total: int) -> None:
    """Share the table's width among its columns by the length of their longest text (capped), so that long
    messages get room and numbers do not."""
    weights = [min(max(len(line[c]) for line in texts), 40) + 2 for c in range(len(texts[0]))]
    for c, weight in enumerate(weights):
        grid.columns[c].width = int(total * weight / sum(weights))


def deck(briefing: Briefing, images: dict[str, bytes]) -> bytes:
    """The briefing as a .pptx (16:9): title, headline, a slide per chart, the ranking, the findings."""
    out = Presentation()
    out.slide_width, out.slide_height = SLIDE_W, SLIDE_H
    title_slide(out, briefing)
    headline = next((s for s in briefing.sections if s.paragraphs and s.heading == "总体情况"), None)
    if headline:
        text_slide(out, "总体情况", headline.paragraphs)
    for number, chart in enumerate(briefing.charts(), start=1):
        chart_slide(out, chart, number, images[chart.key])
    ranking = briefing.ranking
    notes = [ranking.source, f"口径：{ranking.note}"]
    table_slide(out, ranking.title, ranking, [c.name for c in ranking.columns], notes)
    findings = briefing.findings
    heading = f"发现的问题（共{findings.frame.height}条）"
    if findings.frame.is_empty():
        text_slide(out, heading, ["所选范围内的报告未发现问题。"])
    else:
        columns = ["单位", "年度", "规则", "级别", "问题", "状态", "情况说明"]
        notes = [findings.source, f"口径：{findings.note}"]
        table_slide(out, heading, findings, columns, notes, MAX_FINDING_ROWS)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
