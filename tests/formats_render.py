"""Render real reports as Word, web-page and Markdown files, to test the readers of those formats against the text.

A report's text original is parsed once; its table sections (二, 三, 四) are laid out again from the parsed table
figures as the national templates print them (tests/flatten.py builds the layouts, merged cells included), and the
text before and after them (title, 一, 五, 六) is kept line for line. 2021-template reports fill the official
blank template's tables; others get tables built here with the same merges. A cell the text original states no
number for (digits run together that no arithmetic splits) prints "/", which states no number either.
"""

from __future__ import annotations

import html
import io
import struct
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from docx import Document as new_docx
from docx.table import Table as DocxTable
from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from loaders.keys import APPLICANT_KEYS, SECTION2_ROWS, SECTION3_ROWS, SECTION4_KEYS
from loaders.model import Figure, Report
from loaders.parse import parse_file, parse_text
from loaders.sections import find_sections
from tests import flatten as fl

REPORTS_DIR = Path(__file__).resolve().parent / "fixtures" / "reports"
TEMPLATE_2021 = REPORTS_DIR / "official_template_2021_blank.docx"
# Reports whose tables are rendered: the seeds on both templates and the Pingtan reports on the 2021 template.
RENDERED = (
    "zhangdian-district-gov-2021.txt",
    "zhangdian-district-gov-office-2021.txt",
    "shizhong-district-health-bureau-2021.txt",
    "014_pingtan_zone_2021.txt",
    "015_pingtan_zone_2022.txt",
    "016_pingtan_zone_2023.txt",
    "017_pingtan_zone_2024.txt",
    "018_pingtan_zone_2025.txt",
)
# Figure sets with blank cells, "/" and "—", signed changes and a 2019-template 政府集中采购 row.
RENDERED_SETS = tuple(f"set:{name}" for name in fl.SETS)
_NOT_STATED = ("/", "—", "-", "无")


@dataclass(frozen=True)
class Original:
    """A text report taken apart: the lines before its tables, its tables as printed, the lines after them."""

    name: str
    report: Report
    head: tuple[str, ...]
    tables: tuple[fl.Table, ...]
    tail: tuple[str, ...]

    @property
    def title(self) -> str:
        """The first line with text: the page title of the web rendering."""
        return next(line.strip() for line in self.head if line.strip())


@cache
def original(name: str) -> Original:
    """A fixture report parsed from its text, or ("set:NAME") a figure set of tests/flatten.py rendered as tab rows."""
    if name.startswith("set:"):
        figset = fl.SETS[name[4:]]
        return split_report(name, parse_text(fl.render(figset, fl.FLATTENINGS["tabs"]), f"{figset.name}.txt"))
    return split_report(name, parse_file(REPORTS_DIR / name))


def split_report(name: str, report: Report) -> Original:
    """A parsed report split around its table sections, the tables laid out again from its table figures."""
    sections = find_sections(report.text)
    head = report.text[: sections["二"].heading_start].split("\n")
    tail = report.text[sections["五"].heading_start :].split("\n")
    figset = fl.FigureSet(name, report.template or "2021", ("",), table_cells(report), {})
    tables = (fl.section2_table(figset), fl.section3_table(figset), fl.section4_table(figset))
    return Original(name, report, tuple(head), tables, tuple(tail))


def table_cells(report: Report) -> dict[fl.Key, str]:
    """Every table figure's cell text as it is to be printed again."""
    return {f.key(): printed(f) for f in report.figures if f.kind == "table"}


def printed(fig: Figure) -> str:
    """A figure's cell: its raw text when that is the cell alone, else its value; "/" when no value is stated.

    A blank would state no value too, but the text parser drops blank cells at the end of a row and then cannot
    tell which columns the filled ones stand in ("行政规范性文件<TAB>77<TAB><TAB>" loses its 77).
    """
    raw = fl.plain(fig.raw)
    if fig.value is None:
        return raw if raw in _NOT_STATED or raw == "" else "/"
    if fl.cell_value(raw) == fig.value:
        return raw
    return str(int(fig.value)) if float(fig.value).is_integer() else repr(fig.value)


def figure_set(report: Report) -> set[tuple[str, str | None, float | None]]:
    """What the format tests compare: every figure as (metric, applicant, value)."""
    return {(f.metric, f.applicant, f.value) for f in report.figures}


# --- merged cells of a printed table ---------------------------------------------------------------


def spans(table: fl.Table) -> list[tuple[int, int, int, int, str]]:
    """Every printed cell of a table as (row, column, rowspan, colspan, text)."""
    out = []
    for r, row in enumerate(table.rows):
        for c, slot in enumerate(row.slots):
            if isinstance(slot, str):
                out.append((r, c, _rowspan(table, r, c), _colspan(row, c), slot))
    return out


def _colspan(row: fl.Row, c: int) -> int:
    """How many columns the cell at column c covers: itself and the RIGHT slots after it."""
    end = c + 1
    while end < len(row.slots) and row.slots[end] is fl.Span.RIGHT:
        end += 1
    return end - c


def _rowspan(table: fl.Table, r: int, c: int) -> int:
    """How many rows the cell at (r, c) covers: itself and the DOWN slots below it."""
    end = r + 1
    while end < len(table.rows) and table.rows[end].slots[c] is fl.Span.DOWN:
        end += 1
    return end - r


# --- a report whose tables have blank cells --------------------------------------------------------

_BLANK_ROWS3 = {
    "requests.new": ("3", "1", "0", "0", "0", "0", ""),  # a blank 总计
    "outcome.granted": ("", "1", "0", "0", "0", "0", "1"),  # a blank applicant cell next to a merged label
    "outcome.partial": ("2", "0", "0", "0", "0", "0", ""),  # label across two columns, blank 总计
    "outcome.denied.state_secret": ("1", "0", "", "0", "0", "", "1"),  # two-level label, blanks inside
}
# Section 四 with only the 行政复议 block filled: the litigation blocks are blank.
_BLANK_S4 = ("3", "1", "", "1", "5") + ("",) * 10


def blank_cells_set() -> fl.FigureSet:
    """A 2021-template report whose tables leave cells blank: a 总计, an applicant, whole blocks of section 四."""
    cells = {
        **fl._s2(
            "2021",
            {
                "规章": ("2", "", "30"),
                "行政规范性文件": ("", "0", "47"),
                "行政许可": ("6",),
                "行政处罚": ("",),
                "行政强制": ("4",),
                "行政事业性收费": ("0",),
            },
        ),
        **fl._s3("2021", _BLANK_ROWS3),
        **{(key, None): raw for key, raw in zip(SECTION4_KEYS, _BLANK_S4, strict=True)},
    }
    prose = {
        "一": "一、总体情况\n\n本机关认真贯彻《中华人民共和国政府信息公开条例》，政务公开工作规范有序。",
        "五": "五、政府信息公开工作存在的主要问题及改进情况\n\n政策解读形式还较单一，下一步将加以改进。",
        "六": "六、其他需要报告的事项\n\n本年度未收取信息处理费。",
    }
    return fl.FigureSet(
        "blank-cells-2021", "2021", ("芦苇县人民政府办公室", "2021年政府信息公开工作年度报告"), cells, prose
    )


def blank_cells_original() -> Original:
    """The blank-cells report taken apart as the renderers need it (its tab-separated text parsed once)."""
    figset = blank_cells_set()
    return split_report("blank-cells", parse_text(fl.render(figset, fl.FLATTENINGS["tabs"]), "blank-cells.txt"))


def expected_blank_cells() -> dict[tuple[str, str | None], float | None]:
    """Every table figure of the blank-cells report: None (NULL) for a blank cell, the number otherwise."""
    return {key: fl.cell_value(raw) if raw else None for key, raw in blank_cells_set().cells.items()}


# --- Word ------------------------------------------------------------------------------------------


def render_docx(orig: Original) -> bytes:
    """The report as a .docx: the official 2021 template filled in, or tables built with the same merges."""
    if orig.report.template == "2021":
        doc = new_docx(str(TEMPLATE_2021))
        _fill_template(doc.tables, orig)
        table_elements = [t._tbl for t in doc.tables]
        for p in list(doc.paragraphs):
            p._p.getparent().remove(p._p)
    else:
        doc = new_docx()
        for p in list(doc.paragraphs):
            p._p.getparent().remove(p._p)
        table_elements = [_built_table(doc, t)._tbl for t in orig.tables]
    _place_prose(doc, orig, table_elements)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _place_prose(doc, orig: Original, tables: list) -> None:
    """Paragraphs around the tables: the head and 二's heading before the first, a heading before each other."""
    before = [*orig.head, fl.HEADINGS["二"]], [fl.HEADINGS["三"]], [fl.HEADINGS["四"]]
    for tbl, lines in zip(tables, before, strict=True):
        for line in lines:
            tbl.addprevious(doc.add_paragraph(line)._p)
    for line in orig.tail:
        doc.add_paragraph(line)


def _fill_template(tables: list[DocxTable], orig: Original) -> None:
    """Write the figures into the value cells of the official template's three tables."""
    cells = table_cells(orig.report)
    s2, s3, s4 = tables
    for r, row in enumerate(s2.rows):
        label = row.cells[0].text.strip()
        for s2row in (x for x in SECTION2_ROWS["2021"] if x.label == label):
            for j, metric in enumerate(s2row.metrics):
                s2.cell(r, 1 + j).text = cells[(metric, None)]
    assert len(s3.rows) == 3 + len(SECTION3_ROWS["2021"])
    for r, rowdef in enumerate(SECTION3_ROWS["2021"], start=3):
        for j, applicant in enumerate(APPLICANT_KEYS):
            s3.cell(r, 3 + j).text = cells[(rowdef.metric, applicant)]
    for j, key in enumerate(SECTION4_KEYS):
        s4.cell(3, j).text = cells[(key, None)]


def _built_table(doc, table: fl.Table) -> DocxTable:
    """A Word table laid out like the printed one, merged cells merged."""
    width = len(table.rows[0].slots)
    built = doc.add_table(rows=len(table.rows), cols=width)
    for r, c, rowspan, colspan, text in spans(table):
        built.cell(r, c).text = text
        if rowspan > 1 or colspan > 1:
            built.cell(r, c).merge(built.cell(r + rowspan - 1, c + colspan - 1))
    return built


# --- web page --------------------------------------------------------------------------------------

_MENU = "".join(
    f'<li><a href="/{i}/">{t}</a></li>' for i, t in enumerate(("首页", "政务公开", "政府信息公开年报", "互动交流"))
)
_WORD_HEAD = (
    "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->"
    "<style>p.MsoNormal {mso-style-parent:''; font-size:10.5pt;}</style>"
)
_LIST_MARK = (
    "<!--[if !supportLists]--><span style='mso-list:Ignore'><span style='font:7.0pt \"Times New Roman\"'>"
    "&nbsp;&nbsp;</span></span><!--[endif]-->"
)


def render_html(orig: Original, charset: str = "utf-8", word: bool = False) -> bytes:
    """The report as a web page: menu, scripts and footer around the article; tables with rowspan and colspan.

    `charset` "gb2312" declares GB2312 in an http-equiv meta and encodes as servers do (GB18030 bytes);
    `word` adds the residue of Word's "save as web page" (<o:p>, mso styles, conditional comments).
    """
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        if charset != "utf-8"
        else '<meta charset="utf-8">'
    )
    page = (
        f"<!DOCTYPE html><html><head>{meta}<title>{html.escape(orig.title)}</title>"
        f"{_WORD_HEAD if word else ''}<script>var menu = '政务公开 信息公开 2020年';</script></head><body>"
        f'<div class="header"><ul class="nav">{_MENU}</ul></div><div class="main"><div class="TRS_Editor">'
        f"{_html_body(orig, word)}</div></div>"
        '<div class="footer"><p>主办单位：人民政府办公室 <a href="/map">网站地图</a></p></div>'
        "<script>document.write('访问量');</script></body></html>"
    )
    codec = "gb18030" if charset.lower() in ("gb2312", "gbk", "gb18030") else charset
    return page.encode(codec)


def _html_body(orig: Original, word: bool) -> str:
    """The article: paragraphs, then each table under its heading, then the closing paragraphs."""
    parts = [_html_paragraph(line, word) for line in orig.head]
    for table in orig.tables:
        parts.append(_html_paragraph(fl.HEADINGS[table.section], word))
        parts.append(_html_table(table, word))
    parts += [_html_paragraph(line, word) for line in orig.tail]
    return "\n".join(parts)


def _html_paragraph(line: str, word: bool) -> str:
    if not word:
        return f"<p>{html.escape(line)}</p>"
    return f"<p class=MsoNormal>{_LIST_MARK}<span lang=EN-US>{html.escape(line)}<o:p></o:p></span></p>"


def _html_table(table: fl.Table, word: bool) -> str:
    """A table with rowspan/colspan; empty cells hold &nbsp; as editors write them."""
    rows: dict[int, list[str]] = {r: [] for r in range(len(table.rows))}
    for r, _c, rowspan, colspan, text in spans(table):
        attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
        content = "<br>".join(html.escape(part) for part in text.split("\n")) or "&nbsp;"
        if word:
            span = f"<span style='mso-bidi-font-size:10.5pt'>{content}<o:p></o:p></span>"
            content = f"<p class=MsoNormal align=center>{span}</p>"
        rows[r].append(f"<td{attrs}>{content}</td>")
    body = "".join(f"<tr>{''.join(cells)}</tr>" for cells in rows.values())
    return f'<table border="1" cellspacing="0"><tbody>{body}</tbody></table>'


# --- Excel -----------------------------------------------------------------------------------------


def render_xlsx(orig: Original) -> bytes:
    """The report as one worksheet: prose lines in column A, each table below its heading with its merged ranges."""
    workbook = Workbook()
    sheet = workbook.active
    row = 1
    for line in orig.head:
        sheet.cell(row, 1, line.strip() or None)
        row += 1
    for table in orig.tables:
        sheet.cell(row, 1, fl.HEADINGS[table.section])
        row += 1
        for r, c, rowspan, colspan, text in spans(table):
            sheet.cell(row + r, c + 1, int(text) if text.isdigit() else text or None)
            if rowspan > 1 or colspan > 1:
                sheet.merge_cells(
                    start_row=row + r, start_column=c + 1, end_row=row + r + rowspan - 1, end_column=c + colspan
                )
        row += len(table.rows)
    for line in orig.tail:
        sheet.cell(row, 1, line.strip() or None)
        row += 1
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Markdown --------------------------------------------------------------------------------------


def render_markdown(orig: Original) -> bytes:
    """The report as Markdown as a PDF converter writes it: # title, ## section headings, pipe tables."""
    lines = [f"# {orig.title}", ""]
    lines += [line for line in orig.head if line.strip() != orig.title]
    for table in orig.tables:
        lines += ["", f"## {fl.HEADINGS[table.section]}", "", *fl.markdown_lines(table), ""]
    lines += orig.tail
    return "\n".join(lines).encode("utf-8")


# --- PDF -------------------------------------------------------------------------------------------

PDF_FONT = "STSong-Light"  # reportlab's built-in CID font: a real Chinese text layer with no font file needed


@cache
def _pdf_font() -> str:
    """Register the CID font once."""
    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    return PDF_FONT


def render_pdf(orig: Original, ruled: bool = True, valign: str = "MIDDLE", narrow: bool = False) -> bytes:
    """The report as a PDF laid out by a typesetter: merged cells merged, wrapped cell text, values set `valign`
    ("MIDDLE": vertically centred in rows that a wrapped label makes tall), rules drawn only when `ruled`.

    `narrow` label columns make long labels wrap over several lines (the vertical 三、本年度办理结果 one character a
    line), so that rows are tall and their values sit between a label's lines.
    """
    font = _pdf_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font, fontSize=7, leading=8.5, wordWrap="CJK", alignment=1)
    story: list = [Paragraph(html.escape(line), body) for line in orig.head if line.strip()]
    for table in orig.tables:
        story.append(Paragraph(fl.HEADINGS[table.section], body))
        story.append(_pdf_table(table, cell, ruled, valign, narrow))
        story.append(Spacer(1, 8))
    story += [Paragraph(html.escape(line), body) for line in orig.tail if line.strip()]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=50, rightMargin=50, topMargin=60, bottomMargin=60).build(story)
    return out.getvalue()


def _pdf_table(table: fl.Table, style: ParagraphStyle, ruled: bool, valign: str, narrow: bool) -> PdfTable:
    """One table as a typeset grid: every printed cell a wrapping paragraph, merged ranges spanned."""
    width = len(table.rows[0].slots)
    data: list[list] = [[""] * width for _ in table.rows]
    commands: list[tuple] = [("VALIGN", (0, 0), (-1, -1), valign), ("ALIGN", (0, 0), (-1, -1), "CENTER")]
    commands += [("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    for r, c, rowspan, colspan, text in spans(table):
        data[r][c] = Paragraph(html.escape(text), style) if text else ""
        if rowspan > 1 or colspan > 1:
            commands.append(("SPAN", (c, r), (c + colspan - 1, r + rowspan - 1)))
    if ruled:
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    total = A4[0] - 100
    labels = [total * 0.12] * table.n_label
    if narrow and table.n_label:
        labels = [40.0] if table.n_label == 1 else [18.0] + [55.0] * (table.n_label - 1)
    values = [(total - sum(labels)) / (width - table.n_label)] * (width - table.n_label)
    return PdfTable(data, colWidths=labels + values, style=TableStyle(commands), repeatRows=0)


# --- files that must be refused ------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def small_docx(text: str = "本报告说明政府信息公开工作情况。") -> bytes:
    """A real, minimal Word document holding one paragraph."""
    doc = new_docx()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def replaced_members(data: bytes, members: dict[str, bytes]) -> bytes:
    """A copy of a ZIP package with some members' contents replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in members:
                target.writestr(info, source.read(info))
        for name, content in members.items():
            target.writestr(name, content)
    return out.getvalue()


def zip_bomb(data: bytes, expanded_mb: int) -> bytes:
    """A package with an extra member of `expanded_mb` MB of zeros (written in chunks: it never sits in memory)."""
    out = io.BytesIO(replaced_members(data, {}))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as target:
        with target.open("word/media/padding.bin", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(expanded_mb):
                member.write(chunk)
    return out.getvalue()


def entity_bomb_xml(levels: int = 10) -> bytes:
    """A document.xml whose DTD nests entities ten deep ("billion laughs": 10^10 copies if expanded)."""
    decls = ['<!ENTITY e0 "公开公开公开公开公开">']
    decls += [f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, levels)]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<!DOCTYPE w:document [{''.join(decls)}]>\n"
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&e{levels - 1};</w:t></w:r></w:p></w:body></w:document>'
    ).encode()


def external_entity_xml() -> bytes:
    """A document.xml that asks for a file from the machine through an external entity."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>公开&x;</w:t></w:r></w:p></w:body></w:document>'
    ).encode()


def deep_xml(depth: int) -> bytes:
    """A document.xml whose body nests custom-XML wrappers `depth` deep."""
    opening, closing = "<w:customXml w:element='x'>" * depth, "</w:customXml>" * depth
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<w:document xmlns:w="{W_NS}"><w:body>{opening}'
        f"<w:p><w:r><w:t>公开</w:t></w:r></w:p>{closing}</w:body></w:document>"
    ).encode()


def deep_html(depth: int) -> bytes:
    """A page whose report text sits inside `depth` nested <div> elements."""
    return (
        "<html><head><title>政府信息公开工作年度报告</title></head><body>"
        + "<div>" * depth
        + "<p>一、总体情况 本年度公开信息10条。</p>"
        + "</div>" * depth
        + "</body></html>"
    ).encode("utf-8")


_FREESECT, _ENDOFCHAIN, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole_file(*streams: str) -> bytes:
    """A minimal OLE2 compound file (512-byte sectors: FAT, then directory) listing empty streams by name."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, _ENDOFCHAIN, 0, _ENDOFCHAIN, 0)
    struct.pack_into("<109I", header, 76, 0, *([_FREESECT] * 108))
    fat = struct.pack("<128I", _FATSECT, _ENDOFCHAIN, *([_FREESECT] * 126))
    names = ("Root Entry", *streams)
    assert len(names) <= 4, "one directory sector holds four entries"
    entries = b"".join(_dir_entry(n, i, len(names)) for i, n in enumerate(names))
    return bytes(header) + fat + entries.ljust(512, b"\x00")


def _dir_entry(name: str, index: int, count: int) -> bytes:
    """One 128-byte directory entry: the root's child is entry 1, each stream's right sibling the next one."""
    entry = bytearray(128)
    encoded = name.encode("utf-16-le")
    entry[: len(encoded)] = encoded
    kind = 5 if index == 0 else 2
    child = 1 if index == 0 and count > 1 else _NOSTREAM
    right = index + 1 if 0 < index < count - 1 else _NOSTREAM
    struct.pack_into("<HBBIII", entry, 64, len(encoded) + 2, kind, 1, _NOSTREAM, right, child)
    struct.pack_into("<II", entry, 116, _ENDOFCHAIN, 0)
    return bytes(entry)


def docx_with_numbering(body_xml: str, numbering_xml: str | None) -> bytes:
    """A Word document with this body XML and, when given, this numbering part (list definitions)."""
    document = f'<?xml version="1.0" encoding="UTF-8"?>\n<w:document xmlns:w="{W_NS}"><w:body>{body_xml}</w:body>'
    document += "</w:document>"
    members = {"word/document.xml": document.encode()}
    if numbering_xml is not None:
        members["word/numbering.xml"] = numbering_xml.encode()
    return replaced_members(small_docx(), members)


def zip_only(members: dict[str, bytes]) -> bytes:
    """A plain ZIP archive of these members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    """A real, small Excel workbook."""
    book = Workbook()
    book.active["A1"] = "政府信息公开工作年度报告"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def corrupted_member(data: bytes, name: str) -> bytes:
    """A package whose member `name` has ten bytes of its compressed data overwritten (its CRC no longer holds)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
    return data[:start] + bytes(10) + data[start + 10 :]


def assert_blank_cells_kept(report) -> None:
    """The report of blank_cells_original(), in any format: every blank cell NULL with blank raw text (not 0), every
    other cell in its column, and no finding."""
    figures = {f.key(): f for f in report.figures if f.kind == "table"}
    assert {key: f.value for key, f in figures.items()} == expected_blank_cells()
    for key in (("requests.new", "total"), ("outcome.granted", "natural_person"), ("review.other", None)):
        assert (figures[key].value, figures[key].raw) == (None, ""), key  # NULL, not 0
    assert [figures["requests.new", a].value for a in ("natural_person", "commercial", "research")] == [3, 1, 0]
    assert [figures[f"review.{p}", None].value for p in ("maintained", "corrected", "pending", "total")] == [3, 1, 1, 5]
    assert all(figures[key].value is None for key in figures if key[0].startswith("litigation."))
    assert not report.findings
