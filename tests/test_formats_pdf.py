"""The PDF reader: the real Hongze PDF, PDFs rendered from the real text reports, and PDFs that cannot be read."""

from __future__ import annotations

import base64
import io
import json
import re
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from loaders.formats.pdf import Grid, PageRead, PdfSettings, assemble, read_pdf
from loaders.model import Document, Report, ReportError
from loaders.parse import parse_document, parse_file
from loaders.prose import extract_prose
from tests import formats_render as fr

REPORTS = Path(__file__).parent / "fixtures" / "reports"
HONGZE = "hongze_district_gov_2023.pdf"
RENDERED = (
    "zhangdian-district-gov-2021.txt",
    "zhangdian-district-gov-office-2021.txt",
    "shizhong-district-health-bureau-2021.txt",
)
# Keys in the hand extraction that are not canonical keys, and the canonical key they stand for.
RENAMED = {"litigation.after_review.total_printed": "litigation.after_review.total"}

# ---------------------------------------------------------------- rendering text reports as PDF

FONT = "STSong-Light"  # reportlab's built-in CID font: a real Chinese text layer with no font file needed
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
PAGE_W, PAGE_H, MARGIN = 595.0, 842.0, 64.0
TEXT_SIZE, CELL_SIZE = 10.5, 8.5
HEADER = "张店区政务公开 年度报告"
# Runs of Latin letters and digits are never broken over two lines, as word processors do not break them.
_UNIT = re.compile(r"[A-Za-z0-9.,:;%+\-/_()\[\]@]+|\s+|.")


@dataclass
class Layout:
    """How a report is drawn: ruled or not, and a row label before which the table breaks onto a new page."""

    ruled: bool = True
    split_before: str | None = None

    @property
    def pad(self) -> float:
        # Without rules, cells are told apart only by the gaps between them.
        return 4.0 if self.ruled else 8.0


def wrap(text: str, width: float, size: float) -> list[str]:
    """Lines of at most `width` points."""
    lines, current = [], ""
    for unit in _UNIT.findall(text):
        if current and pdfmetrics.stringWidth(current + unit, FONT, size) > width:
            lines.append(current.rstrip())
            current = unit.lstrip()
        else:
            current += unit
    return [*lines, current.rstrip()] if current.strip() else lines or [""]


def blocks(text: str) -> list[str | list[list[str]]]:
    """Paragraphs and tables of a text report: tab-separated rows, or one cell per line with blank lines between
    rows (the Word flattening)."""
    out: list[str | list[list[str]]] = []
    table: list[list[str]] | None = None
    row: list[str] | None = None
    for line in text.split("\n"):
        if "\t" not in line:
            row = None
            if line.strip():
                table = None
                out.append(line.strip())
            continue
        if table is None:
            table = []
            out.append(table)
        cells = line.split("\t")
        if len(cells) == 2 and not cells[0].strip():
            if row is None:
                row = []
                table.append(row)
            row.append(cells[1].strip())
        else:
            row = None
            table.append([c.strip() for c in cells])
    return out


class Renderer:
    """Draws paragraphs and tables on A4 pages, with a running header and a page number on each page."""

    def __init__(self, layout: Layout) -> None:
        self.buffer = io.BytesIO()
        self.canvas = canvas.Canvas(self.buffer, pagesize=(PAGE_W, PAGE_H))
        self.layout, self.page, self.y = layout, 1, PAGE_H - MARGIN
        self._decorate()

    def _decorate(self) -> None:
        self.canvas.setFont(FONT, 9)
        self.canvas.drawCentredString(PAGE_W / 2, 36, f"- {self.page} -")
        self.canvas.drawCentredString(PAGE_W / 2, PAGE_H - 40, HEADER)

    def new_page(self) -> None:
        self.canvas.showPage()
        self.page, self.y = self.page + 1, PAGE_H - MARGIN
        self._decorate()

    def paragraph(self, text: str) -> None:
        for line in wrap(text, PAGE_W - 2 * MARGIN, TEXT_SIZE):
            if self.y - TEXT_SIZE * 1.6 < MARGIN:
                self.new_page()
            self.canvas.setFont(FONT, TEXT_SIZE)
            self.canvas.drawString(MARGIN, self.y - TEXT_SIZE, line)
            self.y -= TEXT_SIZE * 1.6

    def table(self, rows: list[list[str]]) -> None:
        width = max(len(r) for r in rows)
        rows = [[""] * (width - len(r)) + r for r in rows]
        widths = column_widths(rows, PAGE_W - 2 * MARGIN, self.layout.pad)
        top = self.y = self.y - 4
        for row in rows:
            cells = [wrap(t, w - 2 * self.layout.pad, CELL_SIZE) for t, w in zip(row, widths, strict=True)]
            height = max(len(c) for c in cells) * CELL_SIZE * 1.3 + 2 * self.layout.pad
            split = self.layout.split_before is not None and any(self.layout.split_before in t for t in row)
            if self.y - height < MARGIN or split:
                self._rules(widths, top)
                self.new_page()
                top = self.y
            self._row(cells, widths, height)
        self._rules(widths, top)
        self.y -= 8

    def _row(self, cells: list[list[str]], widths: list[float], height: float) -> None:
        x, pad = MARGIN, self.layout.pad
        self.canvas.setFont(FONT, CELL_SIZE)
        for lines, w in zip(cells, widths, strict=True):
            for k, line in enumerate(lines):
                self.canvas.drawString(x + pad, self.y - pad - CELL_SIZE * (1.3 * k + 1), line)
            x += w
        if self.layout.ruled:
            self.canvas.line(MARGIN, self.y, MARGIN + sum(widths), self.y)
        self.y -= height

    def _rules(self, widths: list[float], top: float) -> None:
        """The vertical rules of a table (or of its part on this page) and its bottom rule."""
        if not self.layout.ruled:
            return
        x = MARGIN
        for w in [0.0, *widths]:
            x += w
            self.canvas.line(x, top, x, self.y)
        self.canvas.line(MARGIN, self.y, MARGIN + sum(widths), self.y)

    def finish(self) -> bytes:
        self.canvas.save()
        return self.buffer.getvalue()


def column_widths(rows: list[list[str]], total: float, pad: float) -> list[float]:
    """Each column fits its longest unbreakable run; what is left goes to the columns with the longest text."""
    columns = list(zip(*rows, strict=True))
    need = [max(_longest_unit(t) for t in col) + 2 * pad + 2 for col in columns]
    want = [max(n, min(170.0, max(pdfmetrics.stringWidth(t, FONT, CELL_SIZE) for t in col) + 2 * pad))
            for n, col in zip(need, columns, strict=True)]  # fmt: skip
    extra = sum(want) - sum(need)
    scale = min(1.0, (total - sum(need)) / extra) if extra > 0 else 0.0
    widths = [n + (w - n) * scale for n, w in zip(need, want, strict=True)]
    return [w * total / sum(widths) for w in widths] if sum(widths) > total else widths


def _longest_unit(text: str) -> float:
    return max([pdfmetrics.stringWidth(u, FONT, CELL_SIZE) for u in _UNIT.findall(text) if not u.isspace()] or [0])


def render(text: str, layout: Layout | None = None) -> bytes:
    """A PDF with a real text layer that prints `text`: paragraphs wrapped, tables drawn as tables."""
    renderer = Renderer(layout or Layout())
    for block in blocks(text):
        if isinstance(block, str):
            renderer.paragraph(block)
        else:
            renderer.table(block)
    return renderer.finish()


# ---------------------------------------------------------------- helpers


@cache
def _report_text(name: str) -> str:
    return (REPORTS / name).read_text(encoding="utf-8")


@cache
def _rendered(name: str, ruled: bool = True, split_before: str | None = None) -> bytes:
    return render(_report_text(name), Layout(ruled, split_before))


@cache
def _read(name: str, ruled: bool = True, split_before: str | None = None) -> tuple[Document, Report]:
    """The Document and the parsed Report of a text report rendered as PDF."""
    doc = read_pdf(_rendered(name, ruled, split_before), name.replace(".txt", ".pdf"))
    return doc, parse_document(doc, name.replace(".txt", ".pdf"))


@cache
def _hongze() -> tuple[Document, Report]:
    data = (REPORTS / HONGZE).read_bytes()
    doc = read_pdf(data, HONGZE)
    return doc, parse_document(doc, HONGZE)


def _figures(report: Report) -> dict[tuple[str, str | None], float | None]:
    return {(f.metric, f.applicant): f.value for f in report.figures}


def _location(report: Report, metric: str, applicant: str | None = None) -> str | None:
    return next(f.location for f in report.figures if (f.metric, f.applicant) == (metric, applicant))


def _hongze_expected() -> list[tuple[str, object]]:
    entries = json.loads((REPORTS / "expected_corpus.json").read_text(encoding="utf-8"))
    return list(next(e for e in entries if e["file"] == HONGZE)["expected"].items())


def _value(figures: dict[tuple[str, str | None], float | None], key: str) -> float | None:
    """A figure's value; `sum:PREFIX|applicant` sums every figure under PREFIX (None if any is unstated)."""
    metric, applicant = key.removeprefix("sum:").split("|")
    if not key.startswith("sum:"):
        return figures.get((RENAMED.get(metric, metric), applicant or None))
    parts = [v for (m, a), v in figures.items() if m.startswith(metric + ".") and (a or "") == applicant]
    return None if not parts or None in parts else sum(parts)


# ---------------------------------------------------------------- the real Hongze PDF


@pytest.mark.parametrize(("key", "expected"), _hongze_expected(), ids=lambda v: str(v))
def test_hongze_pdf_gives_every_expected_figure(key: str, expected: float) -> None:
    assert _value(_figures(_hongze()[1]), key) == pytest.approx(expected)


def test_hongze_pdf_identity() -> None:
    report = _hongze()[1]
    assert (report.agency, report.year, report.template, report.source_format) == (
        "洪泽区人民政府",
        2023,
        "2021",
        "pdf",
    )


def test_hongze_rows_are_tab_separated_with_the_vertical_header_in_one_cell() -> None:
    lines = _hongze()[0].text.split("\n")
    assert "三、本年度办理结果\t（一）予以公开\t\t0\t0\t0\t0\t0\t0\t0" in lines
    assert "行政许可\t550\t\t" in lines
    assert "10\t1\t0\t0\t0\t0\t0\t0\t0\t0\t5\t0\t0\t0\t0" in lines


def test_hongze_section3_table_continues_on_the_next_page() -> None:
    report = _hongze()[1]
    assert _location(report, "requests.new", "natural_person") == "第3页 表2 第4行"
    assert _location(report, "outcome.unavailable.needs_creation", "total") == "第3页 表2 第17行"
    assert _location(report, "outcome.unavailable.unclear", "total") == "第4页 表2 第18行"
    assert _location(report, "review.maintained") == "第4页 表3 第4行"
    assert _location(report, "proactive.items") == "第1页"


def test_hongze_section4_is_read_in_the_order_its_cells_stand() -> None:
    # The cells' page positions give the printed order, so the report's own mistake (复议 10 + 1 but 总计 0) stays
    # as printed for R4 to report; the same report as plain pdftotext text is flagged as a reading it cannot check.
    report = _hongze()[1]
    cells = [(f.metric, f.value) for f in report.figures if f.section == "四"]
    assert [v for _, v in cells] == [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]
    assert cells[0][0] == "review.maintained" and cells[10][0] == "litigation.after_review.maintained"
    assert not [f for f in report.findings if "第四部分" in f.message]
    raw = parse_file(REPORTS / "022_hongze_district_gov_2023_pdf_raw.txt")
    assert [v for v in (f.value for f in raw.figures if f.section == "四")] == [v for _, v in cells]
    assert [f.severity for f in raw.findings if "第四部分" in f.message] == ["info"]


def test_hongze_figures_all_name_their_page() -> None:
    report = _hongze()[1]
    assert all(re.match(r"第[1-5]页", f.location or "") for f in report.figures)
    assert {f.location.split(" ")[0] for f in report.figures if f.location} == {
        "第1页",
        "第2页",
        "第3页",
        "第4页",
        "第5页",
    }


def test_hongze_page_numbers_are_removed() -> None:
    doc = _hongze()[0]
    assert not [line for line in doc.text.split("\n") if re.fullmatch(r"-\s*\d+\s*-", line.strip())]
    assert len(doc.locations) == doc.text.count("\n")


# ---------------------------------------------------------------- PDFs rendered from the real text reports


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
@pytest.mark.parametrize("name", RENDERED)
def test_rendered_pdf_gives_the_same_figures_as_the_text(name: str, ruled: bool) -> None:
    expected = {(m, a, v) for (m, a), v in _figures(parse_file(REPORTS / name)).items()}
    got = {(m, a, v) for (m, a), v in _figures(_read(name, ruled)[1]).items()}
    assert expected == got
    assert len(got) > 150


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
@pytest.mark.parametrize("name", RENDERED)
def test_every_figure_is_on_the_page_its_location_names(name: str, ruled: bool) -> None:
    with pdfplumber.open(io.BytesIO(_rendered(name, ruled))) as pdf:
        pages = [re.sub(r"\s+", "", p.extract_text()) for p in pdf.pages]
    for fig in _read(name, ruled)[1].figures:
        # A paragraph wrapped over a page break names both pages ("第1–2页"); its figure is on one of them.
        where = re.match(r"第(\d+)(?:–(\d+))?页", fig.location or "")
        assert where, (fig.metric, fig.location)
        first, last = int(where.group(1)), int(where.group(2) or where.group(1))
        assert re.sub(r"\s+", "", fig.raw) in "".join(pages[first - 1 : last]), (fig.metric, fig.raw, fig.location)


def test_table_rows_carry_their_table_and_row() -> None:
    doc, report = _read("zhangdian-district-gov-office-2021.txt")
    row = report.text.split("\n")[_line_of(report, "requests.new", "natural_person") - 1]
    assert row.startswith("一、本年新收政府信息公开申请数量\t\t12\t2\t2\t0\t0\t0\t16")
    assert re.fullmatch(r"第\d+页 表\d+ 第\d+行", _location(report, "requests.new", "natural_person") or "")
    assert len(doc.locations) == doc.text.count("\n")


def _line_of(report: Report, metric: str, applicant: str | None) -> int:
    return next(f.line for f in report.figures if (f.metric, f.applicant) == (metric, applicant) and f.line)


def test_table_split_across_two_pages_continues_as_rows() -> None:
    name, split = "zhangdian-district-gov-office-2021.txt", "3. 补正后申请内容仍不明确"
    report = _read(name, True, split)[1]
    before = _location(report, "outcome.unavailable.needs_creation", "total") or ""
    after = _location(report, "outcome.unavailable.unclear", "total") or ""
    page, table, row = re.fullmatch(r"第(\d+)页 (表\d+) 第(\d+)行", before).groups()
    assert after == f"第{int(page) + 1}页 {table} 第{int(row) + 1}行"
    assert _figures(report) == _figures(parse_file(REPORTS / name))


def test_unruled_table_is_read_by_text_position() -> None:
    doc, report = _read("shizhong-district-health-bureau-2021.txt", False)
    row = report.text.split("\n")[_line_of(report, "outcome.denied.process_info", "total") - 1]
    assert row.split("\t")[-7:] == ["0"] * 7 and "属于四类过程性信息" in row
    assert re.fullmatch(r"第\d+页 表\d+ 第\d+行", _location(report, "outcome.denied.process_info", "total") or "")
    assert "其他对外管理服务事项\t121\t增7\t0" in doc.text.split("\n")


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_running_header_and_page_numbers_are_removed(ruled: bool) -> None:
    doc = _read("zhangdian-district-gov-2021.txt", ruled)[0]
    assert HEADER not in doc.text
    assert not [line for line in doc.text.split("\n") if re.fullmatch(r"-\s*\d+\s*-", line.strip())]


def test_blank_cell_stays_blank() -> None:
    name = "zhangdian-district-gov-office-2021.txt"
    row = "一、本年新收政府信息公开申请数量\t\t12\t2\t2\t0\t0\t0\t16"
    text = _report_text(name).replace(row, row.replace("\t12\t2\t2", "\t12\t\t2"))
    report = parse_document(read_pdf(render(text), "blank.pdf"), "blank.pdf")
    figures = _figures(report)
    assert [figures[("requests.new", a)] for a in ("natural_person", "research", "total")] == [12, 2, 16]
    # The cell stays blank as printed; its value is the one the prose states (商业企业申请 2 件), marked as such.
    cell = next(f for f in report.figures if (f.metric, f.applicant) == ("requests.new", "commercial"))
    assert (cell.raw, cell.value, cell.qualifier) == ("", 2, "from_prose")


def test_chart_grid_is_not_a_table() -> None:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(PAGE_W, PAGE_H))
    page.setFont(FONT, 10.5)
    page.drawString(MARGIN, 780, "图1 近五年政府信息公开申请数量（件）")
    for k in range(11):  # a 10 x 10 chart grid with axis labels only
        page.line(100, 400 + 30 * k, 500, 400 + 30 * k)
        page.line(100 + 40 * k, 400, 100 + 40 * k, 700)
    for k, year in enumerate(range(2019, 2024)):
        page.drawString(110 + 80 * k, 385, str(year))
    page.drawString(MARGIN, 350, "本年度共收到政府信息公开申请21件，均已按期答复。")
    page.save()
    doc = read_pdf(buffer.getvalue(), "chart.pdf")
    assert all("表" not in loc for loc in doc.locations)
    assert "本年度共收到政府信息公开申请21件，均已按期答复。" in doc.text.split("\n")


def test_unruled_table_with_a_centred_wrapped_label_and_a_letter_spaced_heading() -> None:
    def draw(page: canvas.Canvas) -> None:
        page.setFont(FONT, 10.5)
        for k, char in enumerate("三、依申请公开情况"):  # letter-spaced, 2 em between characters
            page.drawString(MARGIN + 31.5 * k, 760, char)
        page.setFont(FONT, 9)
        _unruled_row(page, 700, "一、本年新收政府信息公开申请数量", "21 0 0 0 0 0 21")
        _unruled_row(page, 676, "", "4 0 0 0 0 0 4")  # the label wraps onto a line above and one below
        page.drawString(MARGIN, 681.5, "（二）部分公开（区分处理的，只计这一情")
        page.drawString(MARGIN, 670.5, "形，不计其他情形）")
        _unruled_row(page, 652, "（三）不予公开", "1 0 0 0 0 0 1")

    doc = read_pdf(_canvas_pdf(draw), "centred.pdf")
    assert doc.text.split("\n")[:-1] == [
        "三、依申请公开情况",
        "一、本年新收政府信息公开申请数量\t21\t0\t0\t0\t0\t0\t21",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t4\t0\t0\t0\t0\t0\t4",
        "（三）不予公开\t1\t0\t0\t0\t0\t0\t1",
    ]
    assert doc.locations == ["第1页", "第1页 表1 第1行", "第1页 表1 第2行", "第1页 表1 第3行"]


def _unruled_row(page: canvas.Canvas, y: float, label: str, values: str) -> None:
    page.drawString(MARGIN, y, label)
    for k, value in enumerate(values.split()):
        page.drawString(300 + 32 * k, y, value)


def test_header_rows_repeated_after_a_page_break_are_dropped() -> None:
    header = ["申请人情况", "自然人", "总计"]
    first = Grid([header, ["一、本年新收政府信息公开申请数量", "3", "3"]], 600, 800, 70, 520)
    second = Grid([header, ["二、上年结转政府信息公开申请数量", "0", "0"]], 70, 200, 71, 521)
    text, locations = assemble([PageRead(1, 842, [first]), PageRead(2, 842, [second])])
    assert text.split("\n")[:-1] == [
        "申请人情况\t自然人\t总计",
        "一、本年新收政府信息公开申请数量\t3\t3",
        "二、上年结转政府信息公开申请数量\t0\t0",
    ]
    assert locations == ["第1页 表1 第1行", "第1页 表1 第2行", "第2页 表1 第3行"]


def test_faux_bold_text_is_read_once() -> None:
    def draw(page: canvas.Canvas) -> None:
        page.setFont(FONT, 16)
        for dx in (0.0, 0.4):  # bold faked by drawing the text twice, a hair apart
            page.drawString(MARGIN + dx, 760, "洪泽区人民政府2023年政府信息公开工作年度报告")

    assert read_pdf(_canvas_pdf(draw), "bold.pdf").text == "洪泽区人民政府2023年政府信息公开工作年度报告\n"


# ---------------------------------------------------------------- paragraphs that wrap

WIDTH = PAGE_W - 2 * MARGIN
FEES = "2021年度，在区政府办理政府信息公开申请过程中，依据《政府信息公开信息处理费管理办法》未收取任何信息处理费。"
FILLER = "本机关坚持以公开为常态、不公开为例外，持续推进决策、执行、管理、服务、结果公开，不断提升政务公开质量" * 2


def _full_line(text: str = FILLER) -> str:
    """As much of `text` as fills one line of the text block, with no sentence-ending punctuation."""
    line = wrap(text, WIDTH, TEXT_SIZE)[0].rstrip("，、。")
    assert WIDTH - pdfmetrics.stringWidth(line, FONT, TEXT_SIZE) < 2 * TEXT_SIZE
    return line


def _lines_pdf(*pages: list[str | tuple[str, float]]) -> bytes:
    """Pages of text lines set as a word processor sets paragraphs: from the top of the text block, one line every
    1.6 font heights, at the left edge unless given as a (text, x) pair."""

    def draw(page: canvas.Canvas) -> None:
        for k, lines in enumerate(pages):
            if k:
                page.showPage()
            page.setFont(FONT, TEXT_SIZE)
            for n, line in enumerate(lines):
                text, x = line if isinstance(line, tuple) else (line, MARGIN)
                page.drawString(x, PAGE_H - MARGIN - TEXT_SIZE * (1 + 1.6 * n), text)

    return _canvas_pdf(draw)


def test_rendered_paragraph_wrapped_inside_a_keyword_gives_the_prose_figure() -> None:
    assert wrap(FEES, WIDTH, TEXT_SIZE)[0].endswith("未收")  # the page breaks 未收取 across two lines
    doc = read_pdf(render(f"（一）收费情况说明\n{FEES}\n"), "fees.pdf")
    # A running header on a single page is not known to repeat, so it stays as the first line.
    assert doc.text.split("\n")[:-1] == [HEADER.replace(" ", ""), "（一）收费情况说明", FEES]
    assert doc.locations == ["第1页", "第1页", "第1页"]
    assert [(f.metric, f.value, f.raw) for f in extract_prose(doc.text, 2021)] == [
        ("fees.disclosure_charged_yuan", 0.0, "未收取任何信息处理费")
    ]


def test_wrapped_keyword_in_a_rendered_report_gives_the_figure_and_its_page() -> None:
    report = _read("zhangdian-district-gov-2021.txt")[1]
    assert _figures(report)[("fees.disclosure_charged_yuan", None)] == 0
    assert re.fullmatch(r"第\d+页", _location(report, "fees.disclosure_charged_yuan") or "")


@pytest.mark.parametrize(
    ("second", "joined"),
    [
        ("工作实效，更好保障人民群众的知情权。", True),
        ("hzzwgk@126.com）。", True),
        ("二、主动公开政府信息情况", False),
        ("（二）依申请公开情况", False),
        ("(3) 政务新媒体", False),
        ("1. 2021年度，我机关未收取任何信息处理费。", False),
        ("第二章公开情况", False),
        (("工作实效，更好保障人民群众的知情权。", MARGIN + 2 * TEXT_SIZE), False),  # indented: a new paragraph
    ],
    ids=str,
)
def test_only_a_line_that_carries_on_a_wrapped_line_is_joined(second: str | tuple[str, float], joined: bool) -> None:
    first = _full_line()
    text = second if isinstance(second, str) else second[0]
    doc = read_pdf(_lines_pdf([first, second]), "wrap.pdf")
    assert doc.text.split("\n")[:-1] == ([first + text] if joined else [first, text])


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (FILLER[:20], "工作实效，更好保障人民群众的知情权。"),  # a short line ends its paragraph
        (_full_line()[:-2] + "。", "工作实效，更好保障人民群众的知情权。"),  # a sentence ends at the line end
        (_full_line()[:-2] + "：", "一是加强制度建设。"),
        (_full_line()[:-3] + "。”", "工作实效，更好保障人民群众的知情权。"),
    ],
    ids=["short", "full-stop", "colon", "quoted"],
)
def test_a_line_that_ends_its_paragraph_is_not_joined(first: str, second: str) -> None:
    doc = read_pdf(_lines_pdf([first, second]), "ends.pdf")
    assert doc.text.split("\n")[:-1] == [first, second]


def test_a_line_far_below_or_in_another_size_is_not_joined() -> None:
    def draw(page: canvas.Canvas) -> None:
        page.setFont(FONT, TEXT_SIZE)
        page.drawString(MARGIN, 760, _full_line())
        page.drawString(MARGIN, 700, "工作实效，更好保障人民群众的知情权。")  # a blank line's height and more below
        page.drawString(MARGIN, 600, _full_line())
        page.setFont(FONT, 7)
        page.drawString(MARGIN, 588, "注：本表数据截至2021年12月31日。")

    doc = read_pdf(_canvas_pdf(draw), "apart.pdf")
    full = _full_line()
    assert doc.text.split("\n")[:-1] == [
        full,
        "工作实效，更好保障人民群众的知情权。",
        full,
        "注：本表数据截至2021年12月31日。",
    ]


def test_table_rows_are_never_joined() -> None:
    full, more = wrap(FILLER, WIDTH, 9)[0], "工作实效，更好保障人民群众的知情权。"

    def draw(page: canvas.Canvas) -> None:
        page.setFont(FONT, 9)
        page.drawString(MARGIN, 760, full)  # a full line right above a table
        _unruled_row(page, 746, "一、本年新收政府信息公开申请数量", "21 0 0 0 0 0 21")
        _unruled_row(page, 732, "二、上年结转政府信息公开申请数量", "0 0 0 0 0 0 0")
        page.drawString(MARGIN, 718, full)  # and one right below it, which wraps
        page.drawString(MARGIN, 704, more)
        page.drawString(MARGIN, 690, full)
        # One line with a wide gap is no table, and no prose either, even when it reaches the right edge.
        page.drawString(MARGIN, 676, "联系电话：0533-2869836")
        page.drawRightString(PAGE_W - MARGIN, 676, "邮政编码255020")
        page.drawString(MARGIN, 662, more)

    doc = read_pdf(_canvas_pdf(draw), "rows.pdf")
    assert doc.text.split("\n")[:-1] == [
        full,
        "一、本年新收政府信息公开申请数量\t21\t0\t0\t0\t0\t0\t21",
        "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
        full + more,
        full,
        "联系电话：0533-2869836 邮政编码255020",
        more,
    ]
    assert doc.locations == ["第1页", "第1页 表1 第1行", "第1页 表1 第2行", "第1页", "第1页", "第1页", "第1页"]


def test_joined_line_is_located_on_its_first_page_or_both_pages_of_a_break() -> None:
    first, last = wrap(FILLER * 2, WIDTH, TEXT_SIZE)[:2], "工作实效，更好保障人民群众的知情权。"
    doc = read_pdf(
        _lines_pdf(["（一）主动公开情况", *first], [last, "（二）依申请公开情况", *first, last]), "pages.pdf"
    )
    assert doc.text.split("\n")[:-1] == [
        "（一）主动公开情况",
        "".join(first) + last,
        "（二）依申请公开情况",
        "".join(first) + last,
    ]
    assert doc.locations == ["第1页", "第1–2页", "第2页", "第2页"]


def test_hongze_paragraphs_are_joined_across_lines_and_pages() -> None:
    doc = _hongze()[0]
    lines = dict(zip(doc.text.split("\n"), doc.locations, strict=False))
    requests = (
        "（二）依申请公开情况。进一步规范依申请公开流程，畅通依申请公开受理渠。2023 年全区受理政府信息公开申请 21 件，"
    )
    assert lines[requests + "均在法定期限答复。"] == "第1页"
    assert lines["（三）政府信息管理情况。"] == "第1页"
    spanning = [line for line, where in lines.items() if where == "第4–5页"]
    assert len(spanning) == 1 and "下一步，将切实抓好以下工作：一是扎实推进" in spanning[0]
    assert spanning[0].endswith(
        "实行政府信息公开工作人员跟班学习制度，不断提高各单位政府信息公开工作人员的思想认识和业务工作水平。"
    )
    for heading in (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ):
        assert heading in lines


# ---------------------------------------------------------------- PDFs that cannot be read


def _canvas_pdf(draw, **kwargs) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(PAGE_W, PAGE_H), **kwargs)
    draw(page)
    page.save()
    return buffer.getvalue()


def _text_page(page: canvas.Canvas) -> None:
    page.setFont(FONT, 12)
    page.drawString(MARGIN, 760, "洪泽区人民政府2023年政府信息公开工作年度报告")


def _encrypted(user_password: str) -> bytes:
    """A text PDF encrypted with AES-256; an empty user password opens it, as permission-only PDFs are."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_canvas_pdf(_text_page))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _scanned() -> bytes:
    image = Image.new("L", (600, 800), 255)
    ImageDraw.Draw(image).rectangle((50, 50, 550, 120), fill=0)  # a dark band where a title would be
    return _canvas_pdf(lambda page: page.drawImage(ImageReader(image), 0, 0, PAGE_W, PAGE_H))


def _many_pages(count: int) -> bytes:
    def draw(page: canvas.Canvas) -> None:
        for n in range(count):
            page.setFont(FONT, 12)
            page.drawString(MARGIN, 760, f"政府信息公开工作年度报告 第{n + 1}页")
            page.showPage()

    return _canvas_pdf(draw)


def _raw_pdf(font: bytes, content: bytes, *extra: bytes, filters: bytes = b"") -> bytes:
    """A one-page PDF written by hand: `content` shown with the font dictionary `font` (object 4)."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
    page += b"/Contents 5 0 R >>"
    stream = b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(content), filters, content)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, font, stream]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate([*objects, *extra], 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref, size = len(out), len(offsets) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n%s" % (size, b"".join(b"%010d 00000 n \n" % o for o in offsets))
    return bytes(out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))


def _show(hex_codes: str) -> bytes:
    return b"BT /F1 12 Tf 72 760 Td <%s> Tj ET" % hex_codes.encode()


_CID_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H %s /DescendantFonts [<< /Type /Font "
    b"/Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
    b"/Supplement 0 >> /DW 1000 >>] >>"
)
_CODES = "".join(f"{0x1000 + 7 * i:04X}" for i in range(60))


def _unmapped_glyphs() -> bytes:
    """Glyph ids with no ToUnicode map: text extraction sees only glyph numbers."""
    return _raw_pdf(_CID_FONT % b"", _show(_CODES))


def _private_use() -> bytes:
    """A ToUnicode map that sends every glyph to the private use area."""
    cmap = b"begincmap\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
    cmap += b"1 beginbfrange <0000> <FFFF> <E000> endbfrange\nendcmap"
    tounicode = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap)
    return _raw_pdf(_CID_FONT % b"/ToUnicode 6 0 R", _show(_CODES), tounicode)


def _latin_garbage() -> bytes:
    """GBK bytes shown with a Latin font: the text layer reads as accented Latin letters."""
    text = "洪泽区人民政府2023年政府信息公开工作年度报告，本年新收政府信息公开申请数量21件，予以公开4件"
    return _raw_pdf(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        _show(text.encode("gbk").hex()),
    )


def _decompression_bomb(ascii85: bool = False) -> bytes:
    """A page whose 64 KB of compressed drawing instructions inflate to 64 MB (optionally ASCII85-wrapped too)."""
    packer = zlib.compressobj(9)
    content = packer.compress(b"BT /F1 12 Tf 72 760 Td (x) Tj ET\n")
    for _ in range(64):
        content += packer.compress(b" " * (1 << 20))
    content += packer.flush()
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    if ascii85:
        content = base64.a85encode(content) + b"~>"
        return _raw_pdf(font, content, filters=b"/Filter [/ASCII85Decode /FlateDecode] ")
    return _raw_pdf(font, content, filters=b"/Filter /FlateDecode ")


def _truncated() -> bytes:
    data = (REPORTS / HONGZE).read_bytes()
    return data[: len(data) // 2]


BAD_PDFS = {
    "empty": (lambda: b"", "文件为空", "file is empty"),
    "truncated": (_truncated, "PDF 文件不完整", "the PDF is incomplete"),
    "password": (lambda: _encrypted("secret"), "密码保护", "password-protected"),
    "scanned": (_scanned, "需要先做 OCR", "it needs OCR, which this project does not do"),
    "unmapped-glyphs": (_unmapped_glyphs, "文字层是乱码", "text layer is mojibake"),
    "private-use": (_private_use, "文字层是乱码", "text layer is mojibake"),
    "latin-garbage": (_latin_garbage, "文字层是乱码", "text layer is mojibake"),
    "not-a-pdf": (lambda: "政府信息公开工作年度报告".encode(), "不是 PDF 文件", "not a PDF file"),
    "damaged": (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", "PDF 文件已损坏", "damaged"),
    "too-many-pages": (lambda: _many_pages(201), "超过上限 200 页", "over the limit of 200"),
    "decompression-bomb": (_decompression_bomb, "第1页的绘制指令解压后超过 1 MB", "decompression bomb"),
    "ascii85-bomb": (lambda: _decompression_bomb(ascii85=True), "解压后超过 1 MB", "decompression bomb"),
}


@pytest.mark.parametrize("kind", BAD_PDFS)
def test_bad_pdf_is_refused_with_a_message_naming_the_file(kind: str) -> None:
    make, zh, en = BAD_PDFS[kind]
    with pytest.raises(ReportError) as caught:
        read_pdf(make(), f"{kind}.pdf")
    assert caught.value.source == f"{kind}.pdf"
    assert str(caught.value).startswith(f"{kind}.pdf: ")
    assert zh in caught.value.zh and en in caught.value.en


def test_pdf_with_only_an_owner_password_is_read() -> None:
    doc = read_pdf(_encrypted(""), "permissions.pdf")
    assert doc.text == "洪泽区人民政府2023年政府信息公开工作年度报告\n"
    assert doc.locations == ["第1页"]


def test_limits_are_settings() -> None:
    with pytest.raises(ReportError, match="超过上限 3 页"):
        read_pdf(_many_pages(4), "four.pdf", PdfSettings(max_pages=3))
    with pytest.raises(ReportError, match="绘制指令解压后共超过"):
        read_pdf(_rendered(RENDERED[0]), "heavy.pdf", PdfSettings(max_content=60_000))
    with pytest.raises(ValueError, match="max_pages"):
        PdfSettings(max_pages=0)


# ---------------------------------------------------------------- tables read by position


@pytest.mark.parametrize(
    ("ruled", "valign", "narrow"),
    [
        (True, "MIDDLE", True),
        (False, "MIDDLE", False),
        (False, "MIDDLE", True),
        (False, "TOP", True),
        (False, "BOTTOM", False),
    ],  # fmt: skip
)
def test_blank_cells_keep_their_columns_in_a_typeset_pdf(ruled: bool, valign: str, narrow: bool) -> None:
    # Merged cells, a blank 总计, a blank applicant cell beside a two-column label, section 四 with only 行政复议
    # filled; `narrow` wraps the labels so that rows are tall and their values stand between a label's lines.
    data = fr.render_pdf(fr.blank_cells_original(), ruled=ruled, valign=valign, narrow=narrow)
    fr.assert_blank_cells_kept(parse_document(read_pdf(data, "blank.pdf"), "blank.pdf"))


@pytest.mark.parametrize("valign", ["MIDDLE", "TOP"])
@pytest.mark.parametrize("name", ["zhangdian-district-gov-2021.txt", "shizhong-district-health-bureau-2021.txt"])
def test_unruled_typeset_tables_give_the_figures_of_the_text(name: str, valign: str) -> None:
    # Without rules, with wrapped labels: section 二's small tables each with their own columns (2019 template:
    # 本年增/减 spans two columns of the others), section 三's seven columns, section 四's fifteen.
    orig = fr.original(name)
    report = parse_document(read_pdf(fr.render_pdf(orig, ruled=False, valign=valign, narrow=True), "t.pdf"), "t.pdf")
    expected = {(f.metric, f.applicant): f.value for f in orig.report.figures if f.kind == "table"}
    assert {(f.metric, f.applicant): f.value for f in report.figures if f.kind == "table"} == expected
    assert not report.findings


def test_a_label_wrapped_around_its_centred_values_is_one_row() -> None:
    data = fr.render_pdf(fr.blank_cells_original(), ruled=False, valign="MIDDLE", narrow=True)
    rows = [line.split("\t") for line in read_pdf(data, "blank.pdf").text.split("\n") if "\t" in line]
    labels = {cells[k] for cells in rows for k in range(len(cells)) if "属于三类内部事务信息" in cells[k]}
    assert labels == {"5.属于三类内部事务信息"}  # its two lines joined, in the row of its values
    row = next(cells for cells in rows if "1.属于国家秘密" in cells)
    assert [c for c in row if c != "1.属于国家秘密" and not c.startswith("（")][-7:] == [
        "1",
        "0",
        "",
        "0",
        "0",
        "",
        "1",
    ]
