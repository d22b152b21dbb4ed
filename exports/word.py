"""The Word briefing (python-docx) in 公文 style: A4 with 公文 margins, headings in 黑体, body in 仿宋 三号 on a
28 pt line, numbered 图/表 captions (Word SEQ fields, so Word can renumber them), each chart and table followed by
its source, 口径 note and footnotes (the reviewed findings about its figures, with status and explanation), a chart
kept on one page with its notes, tables with columns fitted to their content and the page and their header row
repeated, the annexes (findings one by one, the parser's notes) after the body, page numbers "— n —" in the
footer."""

from __future__ import annotations

import io
import math

from docx import Document
from docx.document import Document as Doc
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from analytics.views import DISCLOSURE_RATE, NULL_NOTE, Chart, Table, display
from exports.briefing import Briefing, chart_kind

HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
BODY_SIZE = Pt(16)  # 三号
NUMERALS = "一二三四五六七八九十"
MAX_TABLE_ROWS = 40  # a longer table is cut here, with a note that the workbook holds all of it
PICTURE_WIDTH = Cm(15.6)  # the text width of an A4 page with 公文 margins
STYLE_CAPTION, STYLE_SOURCE, STYLE_CELL, STYLE_SCOPE = "Caption", "图表注", "表格文字", "范围"
STYLE_PICTURE, STYLE_ANNEX = "图片", "附件标题"
TEXT_WIDTH = Cm(15.6)  # the same width, for the tables
CELL_SIZE = 10.5  # pt, the table text
CELL_PADDING = Cm(0.1)  # left and right inside each cell
WIDE, NARROW = 1.0, 0.65  # a character's advance in ems: CJK and full-width; Latin letters and digits (at most)
MAX_NAME_LINES = 3  # a unit's name (a text column's cell) may wrap twice, never more
SLACK = 0.4  # ems added to a width so that a font a little wider than reckoned does not wrap it
MIN_TEXT_EMS = 6  # a long text column (a finding's words) gets at least this many characters a line


def set_font(element, name: str) -> None:
    """Set a style's or run's font for Latin and East Asian text alike (w:ascii, w:hAnsi, w:eastAsia, w:cs),
    dropping theme fonts, which would otherwise win over the names."""
    r_pr = element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _paragraph_style(doc: Doc, name: str, font: str, size: Pt, **layout) -> None:
    """Create or adjust a paragraph style: font, size, black, and the given alignment, indent and spacing."""
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    set_font(style.element, font)
    style.font.size, style.font.bold, style.font.italic = size, False, False
    style.font.color.rgb = RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    fmt.alignment = layout.get("align", WD_ALIGN_PARAGRAPH.JUSTIFY)
    fmt.first_line_indent = layout.get("indent", Pt(0))  # 0, not unset: Normal's indent would be inherited
    fmt.space_before, fmt.space_after = layout.get("before", Pt(0)), layout.get("after", Pt(0))
    if layout.get("line", Pt(28)) is None:  # a picture's line grows with it (an exact height would clip it)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = layout.get("line", Pt(28))
    fmt.keep_with_next = layout.get("keep", False)
    borders = style.element.pPr.find(qn("w:pBdr"))
    if borders is not None:  # the default Title underlines itself in blue; an official document does not
        style.element.pPr.remove(borders)


def setup(doc: Doc) -> None:
    """Page and styles of a 公文: A4, margins 3.7/3.5/2.8/2.6 cm, 黑体 headings, 仿宋 body."""
    section = doc.sections[0]
    section.orientation, section.page_width, section.page_height = WD_ORIENT.PORTRAIT, Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph_style(doc, "Normal", BODY_FONT, BODY_SIZE, indent=Pt(32))
    _paragraph_style(doc, "Title", HEADING_FONT, Pt(22), align=centre, line=Pt(36), after=Pt(12))
    _paragraph_style(doc, "Heading 1", HEADING_FONT, BODY_SIZE, indent=Pt(32), before=Pt(6), keep=True)
    _paragraph_style(doc, "Heading 2", HEADING_FONT, BODY_SIZE, indent=Pt(32), keep=True)
    _paragraph_style(doc, STYLE_SCOPE, BODY_FONT, BODY_SIZE, align=centre, after=Pt(12))
    _paragraph_style(doc, STYLE_CAPTION, HEADING_FONT, Pt(14), align=centre, line=Pt(22), before=Pt(4), after=Pt(4))
    _paragraph_style(doc, STYLE_SOURCE, BODY_FONT, Pt(12), align=WD_ALIGN_PARAGRAPH.LEFT, line=Pt(18), after=Pt(8))
    _paragraph_style(doc, STYLE_CELL, BODY_FONT, Pt(10.5), align=WD_ALIGN_PARAGRAPH.LEFT, line=Pt(15))
    _paragraph_style(doc, STYLE_PICTURE, BODY_FONT, Pt(10.5), align=centre, line=None, before=Pt(6), keep=True)
    _paragraph_style(doc, STYLE_ANNEX, HEADING_FONT, BODY_SIZE, before=Pt(6), after=Pt(6), keep=True)
    _page_numbers(doc)


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (e.g. SEQ or PAGE) with the result it shows until Word updates it."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", shown), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = text
            run._r.append(node)
        elif kind == "text":
            run.text = text
        else:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
            run._r.append(node)


def _page_numbers(doc: Doc) -> None:
    """Page numbers as 公文 print them: — 1 — centred in the footer."""
    footer = doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    _field(footer, " PAGE ", "1")
    footer.add_run(" —")
    for run in footer.runs:
        set_font(run._r, "宋体")
        run.font.size = Pt(14)


def caption(doc: Doc, label: str, number: int, title: str) -> Paragraph:
    """A numbered caption, e.g. 图1 title: the number is a SEQ field Word keeps in order."""
    paragraph = doc.add_paragraph(style=STYLE_CAPTION)
    paragraph.add_run(label)
    _field(paragraph, f" SEQ {label} \\* ARABIC ", str(number))
    paragraph.add_run(f" {title}")
    return paragraph


def add_chart(doc: Doc, chart: Chart, number: int, image: bytes) -> None:
    """The picture, its caption 图n under it, then its source and 口径 note."""
    holder = doc.add_paragraph(style=STYLE_PICTURE)
    picture = holder.add_run().add_picture(io.BytesIO(image), width=PICTURE_WIDTH)
    picture._inline.docPr.set("descr", f"图{number} {chart.title}（{chart_kind(chart.figure)}）")
    caption(doc, "图", number, chart.title).paragraph_format.keep_with_next = True
    notes(doc, [chart.source, f"口径：{chart.note}", *chart.footnotes], keep=True)


def add_table(doc: Doc, table: Table, number: int) -> None:
    """Caption 表n above, the table (header row repeated on each page), then its source and 口径 note."""
    caption(doc, "表", number, table.title).paragraph_format.keep_with_next = True
    rows = table.frame.head(MAX_TABLE_ROWS)
    names, kinds = [c.name for c in table.columns], table.kinds()
    grid = doc.add_table(rows=rows.height + 1, cols=len(names))
    grid.style, grid.alignment = "Table Grid", WD_TABLE_ALIGNMENT.CENTER
    numeric = [kinds.get(n) in ("count", "rate", "percent") for n in names]
    lines = [[(name, False) for name in names]] + [
        [(display(v, kinds.get(n, "text")), right) for n, v, right in zip(names, row, numeric, strict=True)]
        for row in rows.select(names).iter_rows()
    ]
    style_id = doc.styles[STYLE_CELL].style_id
    # cell by cell through the table's XML rows: Table.cell() walks the whole table on every call
    for r, (tr, line) in enumerate(zip(grid._tbl.tr_lst, lines, strict=True)):
        for tc, (text, right) in zip(tr.tc_lst, line, strict=True):
            _cell(Paragraph(tc.p_lst[0], grid), style_id, text, bold=r == 0, right=right)
    _repeat_header(grid.rows[0])
    for tr in grid._tbl.tr_lst:  # a row stays whole on one page
        tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))  # before w:tblHeader, as the schema orders
    _set_widths(grid, column_widths(lines, [kinds.get(n, "text") != "text" for n in names]))  # numbers unbroken
    cut = f"表中为前{MAX_TABLE_ROWS}行，共{table.frame.height}行，完整内容见Excel工作簿。"
    note = f"口径：{table.note}" + (cut if table.frame.height > MAX_TABLE_ROWS else "")
    notes(doc, [table.source, note, *table.footnotes])


def notes(doc: Doc, lines: list[str], keep: bool = False) -> None:
    """The small print under a chart or table: source, 口径 and footnotes, one paragraph each, with the space
    after the last one only; `keep` holds each line on the page of the next (a chart's picture, caption and
    notes then stay on one page)."""
    for line in lines[:-1]:
        fmt = doc.add_paragraph(line, style=STYLE_SOURCE).paragraph_format
        fmt.space_after, fmt.keep_with_next = Pt(0), keep
    doc.add_paragraph(lines[-1], style=STYLE_SOURCE)


def _cell(paragraph: Paragraph, style_id: str, text: str, bold: bool = False, right: bool = False) -> None:
    """One table cell's text in the cell style (set by id: looking a style up by name is slow)."""
    paragraph._p.style = style_id
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
        set_font(run._r, HEADING_FONT)


def text_ems(text: str) -> float:
    """How wide a text runs in ems of the cell font: a CJK or full-width character one em, others about half."""
    return sum(WIDE if ord(ch) > 0x2E7F or ch in "—“”‘’…" else NARROW for ch in text)


def column_widths(lines: list[list[tuple[str, bool]]], numeric: list[bool]) -> list[int]:
    """Column widths (EMU) that fit the content to the text width: every column gets what it needs when the table
    fits the page, else its least (a number whole, a heading over two lines, or three when two do not fit, a
    unit's name over at most MAX_NAME_LINES lines, a sentence at least MIN_TEXT_EMS a line) and a share of what
    is left in proportion to what it still wants."""
    em, pad = Pt(CELL_SIZE), 2 * CELL_PADDING
    columns = [[row[c][0] for row in lines] for c in range(len(lines[0]))]
    need = [max(text_ems(t) for t in texts) + SLACK for texts in columns]
    room = (TEXT_WIDTH - pad * len(need)) / em  # ems the columns can share
    if sum(need) <= room:
        return [int(n * room / sum(need) * em + pad) for n in need]
    for heading_lines in (2, 3):
        least = [_least(texts, num, heading_lines) for texts, num in zip(columns, numeric, strict=True)]
        if sum(least) <= room:
            break
    else:
        least = [w * room / sum(least) for w in least]  # too many columns for the page: all narrowed alike
    spare, want = room - sum(least), [max(n - w, 0) for n, w in zip(need, least, strict=True)]
    ems = [w + spare * x / sum(want) if sum(want) > 0 else w for w, x in zip(least, want, strict=True)]
    return [int(e * em + pad) for e in ems]


def _least(texts: list[str], numeric: bool, heading_lines: int) -> float:
    """The narrowest a column may be, in ems: its heading (texts[0]) over `heading_lines` lines (a heading of
    two characters whole), and a number whole, or a text over MAX_NAME_LINES lines of at least MIN_TEXT_EMS,
    never narrower than its widest unbreakable run of letters or digits."""
    head = text_ems(texts[0])
    heading = max(min(head, 2 * WIDE), math.ceil(head / heading_lines)) + SLACK
    widest = max((text_ems(t) for t in texts[1:]), default=0.0)
    if numeric:
        return max(heading, widest + SLACK)
    lines = max(math.ceil(widest / MAX_NAME_LINES), MIN_TEXT_EMS)
    return max(heading, max(map(_longest_word, texts)) + SLACK, min(widest, lines) + SLACK)


def _longest_word(text: str) -> float:
    """The widest run of Latin letters or digits in a text (which cannot break), in ems."""
    runs = [text_ems(part) for part in "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in text).split()]
    return max(runs, default=0.0)


_TBL_PR_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
    "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
)  # fmt: skip


def _tbl_pr_child(tbl_pr, name: str):
    """The table property `name`, added in the place the schema orders it when missing."""
    node = tbl_pr.find(qn(f"w:{name}"))
    if node is not None:
        return node
    node = OxmlElement(f"w:{name}")
    later = {qn(f"w:{n}") for n in _TBL_PR_ORDER[_TBL_PR_ORDER.index(name) + 1 :]}
    follower = next((child for child in tbl_pr if child.tag in later), None)
    if follower is None:
        tbl_pr.append(node)
    else:
        follower.addprevious(node)
    return node


def _set_widths(grid, widths: list[int]) -> None:
    """Fix the table's layout to the given column widths (in the grid and in every cell, which Word and
    LibreOffice both read), with narrow cell padding."""
    tbl_pr = grid._tbl.tblPr
    grid.autofit = False  # w:tblLayout fixed
    width = _tbl_pr_child(tbl_pr, "tblW")
    width.set(qn("w:w"), str(sum(widths) // 635))  # EMU to twips
    width.set(qn("w:type"), "dxa")
    margins = _tbl_pr_child(tbl_pr, "tblCellMar")
    for side in ("left", "right"):
        node = OxmlElement(f"w:{side}")
        node.set(qn("w:w"), str(CELL_PADDING // 635))
        node.set(qn("w:type"), "dxa")
        margins.append(node)
    for column, width_emu in zip(grid.columns, widths, strict=True):
        column.width = width_emu
    for tr in grid._tbl.tr_lst:
        for tc, width_emu in zip(tr.tc_lst, widths, strict=True):
            tc.width = width_emu


def _repeat_header(row) -> None:
    """Mark a table row as a header row, repeated at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def document(briefing: Briefing, images: dict[str, bytes]) -> bytes:
    """The briefing as a .docx: title, scope, numbered sections of sentences, charts and tables, the 口径."""
    doc = Document()
    setup(doc)
    doc.add_paragraph(briefing.title, style="Title")
    doc.add_paragraph(f"（{briefing.scope}；{briefing.made_at:%Y年%m月%d日}）", style=STYLE_SCOPE)
    figures, tables = 0, 0
    for i, section in enumerate(briefing.sections):
        doc.add_paragraph(f"{NUMERALS[i]}、{section.heading}", style="Heading 1")
        for text in section.paragraphs:
            doc.add_paragraph(text)
        for chart in section.charts:
            figures += 1
            add_chart(doc, chart, figures, images[chart.key])
        for table in section.tables:
            tables += 1
            add_table(doc, table, tables)
    _appendix(doc, briefing, len(briefing.sections))
    for number, annex in enumerate(briefing.annexes, start=1):
        doc.add_paragraph(f"附件{number}：{annex.heading}", style=STYLE_ANNEX)
        for text in annex.paragraphs:
            doc.add_paragraph(text)
        for table in annex.tables:
            tables += 1
            add_table(doc, table, tables)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _appendix(doc: Doc, briefing: Briefing, index: int) -> None:
    """The 口径 in words: the rates, unstated figures, and where the full dictionary is."""
    doc.add_paragraph(f"{NUMERALS[index]}、数据与口径说明", style="Heading 1")
    for text in (
        f"数据：{briefing.data_label.removeprefix('数据：')}。",
        f"{DISCLOSURE_RATE}。",
        "复议诉讼纠错率 = 结果纠正 / 已审结（总计 − 尚未审结），行政复议与两类行政诉讼合计。",
        NULL_NOTE,
        "各表各列与全部指标的口径定义见同时生成的Excel工作簿“口径”工作表。",
    ):
        doc.add_paragraph(text)
