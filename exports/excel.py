"""Excel files (openpyxl): the briefing workbook and single tables from the dashboard, formatted for printing.

Numbers stay numbers (formatted "#,##0" or "0.0%"), an unstated figure stays an empty cell (never 0), and every
text cell goes through `put_text`, which stores text as text: a report's words starting with "=", "+", "-" or "@"
can never run as a formula in Excel or WPS.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence

import polars as pl
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analytics.views import Column, NativeChart, Table, note_lines
from exports.briefing import Briefing, column_notes

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheet programs read as the start of a formula
NUMBER_FORMATS = {
    "count": "#,##0",
    "rate": "0.0%",
    "percent": '0.0"%"',
    "year": "0",
    "ordinal": "0",
    "number": "#,##0",
    "amount": "#,##0.00",
    "score": "0.00",
}
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters the file format cannot hold
_THIN = Side(style="thin", color="9E9E9E")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(name="黑体", bold=True, color="FFFFFF", size=11)
BODY_FONT = Font(name="宋体", size=10.5)
TITLE_FONT = Font(name="黑体", bold=True, size=16)
NOTE_FONT = Font(name="宋体", size=9, color="616161")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
HEADER_ROW = 5  # a briefing table: title, source, note, blank, then the header
CHART_ROWS = 24  # rows a chart sheet keeps for the chart above its data
MAX_TEXT_WIDTH = 48  # columns with longer text wrap at this width (in Excel character units)
NOTE_LINE_HEIGHT = 13  # points per line of a footnote in NOTE_FONT
NOTE_FIT = 1.1  # NOTE_FONT is smaller than the body font the column widths are counted in


def put_text(cell: Cell, text: str) -> Cell:
    """Write text as text, the one way every text cell is written.

    openpyxl would store a string starting with "=" as a formula; here the cell's type is set to string after the
    value, so the file holds it as a plain string, and its style gets Excel's quote prefix (the hidden apostrophe
    of a cell typed as '=...), so that Excel and WPS keep it text even when someone edits the cell.
    """
    clean = _ILLEGAL.sub("", text)
    cell.value = clean
    cell.data_type = "s"
    if clean.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def put_value(cell: Cell, value: object, kind: str) -> Cell:
    """Write one value: None stays an empty cell, numbers get their number format, anything else is text."""
    if value is None:
        return cell
    if isinstance(value, bool) or not isinstance(value, int | float):
        return put_text(cell, str(value))
    cell.value = value
    cell.number_format = _number_format(value, kind)
    return cell


def _number_format(value: int | float, kind: str) -> str:
    """A number's format: its kind's; a figure as printed shows its decimals only when it has some."""
    if kind == "number" and not float(value).is_integer():
        return "#,##0.0#####"
    return NUMBER_FORMATS.get(kind, "General")


def _width(value: object, kind: str) -> float:
    """How wide a value shows, in Excel character units (a Chinese character takes two)."""
    if value is None:
        return 0
    if kind == "rate":
        return 7
    text = f"{value:,.0f}" if kind == "count" and isinstance(value, int | float) else str(value)
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def write_header(sheet: Worksheet, row: int, names: Sequence[str]) -> None:
    """A styled header row (bold white on dark blue, centred, wrapped)."""
    for col, name in enumerate(names, start=1):
        cell = put_text(sheet.cell(row, col), name)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _body(sheet: Worksheet, first_row: int, frame: pl.DataFrame, kinds: dict[str, str]) -> None:
    """The table's rows, each value in its format, bordered."""
    names = frame.columns
    for r, values in enumerate(frame.iter_rows(), start=first_row):
        for c, (name, value) in enumerate(zip(names, values, strict=True), start=1):
            cell = put_value(sheet.cell(r, c), value, kinds.get(name, "text"))
            cell.font, cell.border, cell.alignment = BODY_FONT, BORDER, WRAP_TOP


def _widths(sheet: Worksheet, frame: pl.DataFrame, kinds: dict[str, str]) -> None:
    """Column widths from the header and the longest value, long text wrapped."""
    for c, name in enumerate(frame.columns, start=1):
        kind = kinds.get(name, "text")
        longest = max([_width(name, "text"), *(_width(v, kind) for v in frame[name].head(500).to_list())])
        sheet.column_dimensions[get_column_letter(c)].width = min(max(longest + 2, 6), MAX_TEXT_WIDTH)


def print_setup(sheet: Worksheet, title: str, header_row: int | None) -> None:
    """Landscape A4, fitted to one page wide, the header row on every page, title and page numbers."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    if header_row:
        sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.oddHeader.center.text = title.replace("&", "&&")
    sheet.oddHeader.center.size = 10
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddFooter.center.size = 9


def _sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, none of []:*?/\\)."""
    name = re.sub(r"[\[\]:*?/\\]", "·", text)[:31]
    base, n = name, 2
    while name in taken:
        suffix = f"({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def write_table(sheet: Worksheet, table: Table, label: str, above: Sequence[str] | None = None) -> int:
    """One table on its own sheet: the title, the lines `above` it (by default its source and 口径 note), a blank
    row, header, rows, frozen header, print setup. Returns the header's row."""
    names = [c.name for c in table.columns]
    put_text(sheet.cell(1, 1), f"{label} {table.title}".strip()).font = TITLE_FONT
    if above is None:
        above = [table.source, f"口径：{table.note}" if table.note else ""]
    for row, line in enumerate(above, start=2):
        put_text(sheet.cell(row, 1), line).font = NOTE_FONT
    header = len(above) + 3
    write_header(sheet, header, names)
    kinds = table.kinds()
    _body(sheet, header + 1, table.frame.select(names), kinds)
    _widths(sheet, table.frame.select(names), kinds)
    sheet.freeze_panes = sheet.cell(header + 1, 1)
    if table.frame.height:
        sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(names))}{header + table.frame.height}"
    write_footnotes(sheet, header + table.frame.height + 2, table.footnotes, len(names))
    print_setup(sheet, f"{label} {table.title}".strip(), header)
    return header


def write_footnotes(sheet: Worksheet, first_row: int, lines: list[str], n_columns: int) -> None:
    """The table's footnotes under it, one per row, each merged across the table's width and wrapped, its row
    tall enough for the wrapped text (Excel does not grow merged rows by itself)."""
    widths = [sheet.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, n_columns + 1)]
    per_line = max(sum(widths) * NOTE_FIT, 10)
    for row, line in enumerate(lines, start=first_row):
        cell = put_text(sheet.cell(row, 1), line)
        cell.font, cell.alignment = NOTE_FONT, WRAP_TOP
        if n_columns > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n_columns)
        sheet.row_dimensions[row].height = NOTE_LINE_HEIGHT * math.ceil(_width(line, "text") / per_line)


def write_chart_sheet(sheet: Worksheet, table: Table, label: str) -> None:
    """A native (editable) Excel chart of a table's main series on its own sheet, with the values it draws below
    it (copied from the table, the category labels joined)."""
    spec = table.native
    assert spec is not None
    rows = table.frame.head(spec.max_rows)
    labels = [" ".join(str(v) for v in row if v is not None) for row in rows.select(spec.category).iter_rows()]
    data = pl.DataFrame({"类别": labels}).hstack(rows.select(spec.series))
    start = CHART_ROWS + 2
    put_text(sheet.cell(1, 1), f"{label}（{table.title}）的图表：{spec.title}").font = TITLE_FONT
    cut = f"；图中为表中前{spec.max_rows}行" if table.frame.height > spec.max_rows else ""
    put_text(sheet.cell(start - 1, 1), f"图表数据（取自{label}{cut}）").font = NOTE_FONT
    write_header(sheet, start, data.columns)
    kinds = {name: table.kinds().get(name, "text") for name in data.columns}
    _body(sheet, start + 1, data, kinds)
    _widths(sheet, data, kinds)
    chart = native_chart(spec, sheet, start, data.height)
    sheet.add_chart(chart, "A3")
    print_setup(sheet, spec.title, None)


def native_chart(spec: NativeChart, sheet: Worksheet, header_row: int, n_rows: int) -> BarChart | LineChart:
    """An openpyxl chart over the data block at `header_row` (categories in column A, one series per column)."""
    chart = LineChart() if spec.kind == "line" else BarChart()
    if isinstance(chart, BarChart):
        chart.type = "bar" if spec.kind == "ranked" else "col"
        chart.grouping = "percentStacked" if spec.kind == "percent_stacked" else "clustered"
        chart.overlap = 100 if spec.kind == "percent_stacked" else None
    last_row = header_row + max(n_rows, 1)
    values = Reference(sheet, min_col=2, max_col=1 + len(spec.series), min_row=header_row, max_row=last_row)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last_row))
    for series in chart.series:
        series.smooth = False  # openpyxl writes no <c:smooth>, and Excel then draws curves
        if spec.kind == "line":
            series.marker.symbol = "circle"
    chart.title, chart.y_axis.title = spec.title, spec.y_title
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl hides both axes unless told
    if spec.kind == "ranked":
        chart.x_axis.scaling.orientation = "maxMin"  # the first (top-ranked) row on top
        chart.legend = None
    chart.width, chart.height = 26, 12  # cm
    return chart


def write_definitions(sheet: Worksheet, briefing: Briefing) -> None:
    """The 口径 sheet: every table column's definition, then every metric of the data dictionary."""
    notes = column_notes(briefing)
    note_table = Table("columns", "各表列的口径", notes, (Column("表"), Column("列"), Column("口径")), "", "")
    write_table(sheet, note_table, "口径")
    below = HEADER_ROW + notes.height + 3
    defs = briefing.definitions
    put_text(sheet.cell(below, 1), f"指标口径：{defs.note}").font = TITLE_FONT
    put_text(sheet.cell(below + 1, 1), defs.source).font = NOTE_FONT
    names = [c.name for c in defs.columns]
    write_header(sheet, below + 2, names)
    _body(sheet, below + 3, defs.frame.select(names), defs.kinds())
    for c, width in enumerate((12, 30, 34, 70), start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width


def write_cover(sheet: Worksheet, briefing: Briefing, contents: list[tuple[str, str]]) -> None:
    """The first sheet: what the workbook is, for which selection, from which data, and what each sheet holds."""
    lines = [
        (briefing.title, TITLE_FONT),
        (briefing.scope, BODY_FONT),
        (f"生成时间：{briefing.made_at:%Y-%m-%d %H:%M}", BODY_FONT),
        (briefing.data_label, BODY_FONT),
        ("报告未填报的数字为空单元格，不按0计；比率的分母为0或未填报时为空。", NOTE_FONT),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        put_text(sheet.cell(row, 1), text).font = font
    write_header(sheet, len(lines) + 2, ["工作表", "内容"])
    for row, (name, what) in enumerate(contents, start=len(lines) + 3):
        put_text(sheet.cell(row, 1), name).border = BORDER
        put_text(sheet.cell(row, 2), what).border = BORDER
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 30, 90
    print_setup(sheet, briefing.title, None)


def briefing_workbook(briefing: Briefing) -> bytes:
    """The briefing as an .xlsx: a cover, one sheet per table, a chart sheet per main series, the 口径 sheet."""
    book = Workbook()
    cover = book.active
    taken = {_sheet_name("说明", set())}
    cover.title = "说明"
    contents: list[tuple[str, str]] = []
    for number, table in enumerate(briefing.tables(), start=1):
        label = f"表{number}"
        sheet = book.create_sheet(_sheet_name(f"{label} {table.title}", taken))
        write_table(sheet, table, label)
        contents.append((sheet.title, f"{table.title}（{table.frame.height}行）"))
        if table.native and table.frame.height:
            chart_sheet = book.create_sheet(_sheet_name(f"{label}图表", taken))
            write_chart_sheet(chart_sheet, table, label)
            contents.append((chart_sheet.title, f"{table.native.title}（Excel图表，可编辑）"))
    sheet = book.create_sheet(_sheet_name("口径", taken))
    write_definitions(sheet, briefing)
    contents.append((sheet.title, "各表列与全部指标的口径定义"))
    write_cover(cover, briefing, contents)
    return save(book)


def table_workbook(table: Table, scope: str, data_date: str) -> bytes:
    """One table from a dashboard page as an .xlsx, formatted like a briefing table, with a header block above it:
    the selection in words, the data's date, the source, the table's 口径 and each column's."""
    above = [f"范围：{scope}", f"数据日期：{data_date}", table.source]
    above += [f"口径：{table.note}"] if table.note else []
    above += [f"列口径·{line}" for line in note_lines(table)]
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_name(table.title, set())
    write_table(sheet, table, "", above)
    return save(book)


def save(book: Workbook) -> bytes:
    """The workbook's bytes."""
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
