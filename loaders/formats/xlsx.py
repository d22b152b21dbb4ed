"""Read an Excel workbook (.xlsx) as report text: every sheet in order, each row one line of tab-separated cells.

Workbooks come from outside, so the archive is checked before any of its XML is parsed: the declared unpacked
sizes (zip bombs), document type declarations (entity bombs) and the extent of every sheet (a report has fewer
than 200 rows; a sheet of a million rows is refused after at most MAX_ROWS rows have been looked at). Cells are
then read in openpyxl's read-only mode, which streams. That mode does not report merged ranges, so the same scan
that measures a sheet also collects them: in a sheet's rows every cell a merge covers reads as empty, and in the
report text a merged label stands once while every other empty cell keeps its column (grid.py).
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from xml.parsers import expat

import openpyxl
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.utils.cell import column_index_from_string, range_boundaries

from loaders.model import Document, ReportError

from .grid import Covered, Slot, grid_cells

MAX_MEMBERS = 2_000  # parts in the archive; a workbook has a few dozen
MAX_UNPACKED = 100 * 1024 * 1024  # declared size of all parts once unpacked
MAX_SHEETS = 100
MAX_ROWS = 20_000  # a report has fewer than 200 rows; a collection sheet one per unit and year
MAX_CELLS = 1_000_000  # rows × columns of all sheets: the grids held in memory, and what bounds the time
MAX_CHARS = 20_000_000  # text produced from the whole workbook
MAX_ELEMENTS = 5 * MAX_CELLS  # XML elements of one sheet: a cell is two or three, junk between cells is refused too
MAX_XML_PART = 20 * 1024 * 1024  # an XML part other than a sheet (shared strings, styles), which openpyxl reads whole

_CHUNK = 64 * 1024
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx files protected by a password
_REL_OFFICE = "/officeDocument"
_REL_WORKSHEET = "/worksheet"
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_PERCENT_DECIMALS = re.compile(r"\.(0+)%")


@dataclass
class Sheet:
    """One worksheet as text: rows[i][j] is the cell at row i+1, column j+1 ("" when blank or covered by a merge).

    widths[i] is how many cells row i+1 has in the file, values or not (a bordered table's empty cells, the cells
    a merge covers): a table row keeps its empty trailing cells, as a Word table does.
    """

    name: str
    rows: list[list[str]]
    widths: list[int] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_col, min_row, max_col, max_row)


@dataclass
class _Layout:
    """What the scan of a sheet's XML found: its extent and its merged ranges (min_col, min_row, max_col, max_row)."""

    name: str
    path: str
    max_row: int = 0
    max_col: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


class _Stop(Exception):
    """Raised inside an expat handler to stop parsing once the answer is known."""


# ---------------------------------------------------------------------------------------------------------------
# Public entry points


def read_xlsx(data: bytes, source: str) -> Document:
    """The workbook as report text: rows as lines, cells separated by tabs, each line located as "Sheet1 第5行"."""
    lines: list[str] = []
    locations: list[str] = []
    for sheet in read_sheets(data, source):
        if lines:  # a blank line keeps the last row of one sheet apart from the first of the next
            lines.append("")
            locations.append(sheet.name)
        _append_sheet(sheet, lines, locations)
    _refuse_empty(lines, source)
    return Document(text="\n".join(lines), locations=locations, source_format="xlsx")


def read_sheets(data: bytes, source: str, max_rows: int | None = None) -> list[Sheet]:
    """Every worksheet of the workbook as a grid of cell texts; `max_rows` reads only the first rows of each."""
    archive = _open_archive(data, source)
    with _damage_reported(source):
        parts = _sheet_parts(archive, source)
    _check_xml_parts(archive, {path for _, path in parts}, source)
    layouts = [_scan_sheet(archive, name, path, source) for name, path in parts]
    _check_total(layouts, source)
    workbook = _open_workbook(data, source)
    budget = _Budget(source)
    try:
        return [_read_sheet(workbook, layout, budget, max_rows) for layout in layouts]
    finally:
        workbook.close()


def cell_text(value: object, number_format: str | None = "General") -> str:
    """A cell's value as Excel prints it: 12.0 is "12", decimals are kept, text stays text, dates are ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if number_format and "%" in number_format:
            return _percent_text(float(value), number_format)
        return str(value) if isinstance(value, int) else _float_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").strip()


# ---------------------------------------------------------------------------------------------------------------
# The archive: size limits and document type declarations


def _open_archive(data: bytes, source: str) -> zipfile.ZipFile:
    """The workbook's zip archive, refused when empty, not a zip, encrypted, or too large once unpacked."""
    if not data:
        raise ReportError(source, "文件为空", "file is empty")
    if data.startswith(_OLE_SIGNATURE):
        raise ReportError(
            source,
            "这是旧版 .xls 或设置了密码的 Excel 文件，请另存为不加密的 .xlsx 后再导入",
            "an old-style .xls or password-protected Excel file: save it as an unprotected .xlsx and import again",
        )
    with _damage_reported(source):
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        _check_members(members, source)
        _refuse_dtds(archive, members, source)
    return archive


# What zipfile and expat raise for a damaged, truncated or unsupported archive (RuntimeError: encrypted parts,
# NotImplementedError: a compression method zipfile lacks, ValueError: malformed XML, as _parse_part reports it).
_ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    KeyError,
    NotImplementedError,
    RuntimeError,
)


@contextmanager
def _damage_reported(source: str, sheet: str | None = None) -> Iterator[None]:
    """Turn the errors of reading a damaged archive (or one of its sheets) into the ReportError that says so."""
    try:
        yield
    except _ARCHIVE_ERRORS as exc:
        raise _damaged(source, sheet, type(exc).__name__) from exc


def _damaged(source: str, sheet: str | None = None, why: str = "") -> ReportError:
    """The error for a file that is not a readable .xlsx archive, naming the sheet where the damage is."""
    zh_where = f"（工作表“{sheet}”{'：' + why if why else ''}）" if sheet else (f"（{why}）" if why else "")
    en_where = f" (sheet “{sheet}”{': ' + why if why else ''})" if sheet else (f" ({why})" if why else "")
    return ReportError(
        source,
        f"不是有效的 Excel（.xlsx）文件，文件可能已损坏或不完整{zh_where}",
        f"not a valid Excel (.xlsx) file; it may be damaged or truncated{en_where}",
    )


def _check_members(members: list[zipfile.ZipInfo], source: str) -> None:
    """Refuse archives with too many parts, encrypted parts, or more unpacked bytes than a workbook could need."""
    if len(members) > MAX_MEMBERS:
        raise ReportError(
            source,
            f"压缩包内有 {len(members)} 个部件，超过上限 {MAX_MEMBERS}，不像 Excel 工作簿",
            f"the archive holds {len(members)} parts, over the limit of {MAX_MEMBERS}: not a workbook",
        )
    if any(m.flag_bits & 0x1 for m in members):
        raise ReportError(source, "文件内容已加密，无法读取", "the file's parts are encrypted and cannot be read")
    # zipfile stops every part at its declared size, so the declared sizes bound what unpacking can produce.
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED:
        mb, limit = unpacked // 2**20, MAX_UNPACKED // 2**20
        raise ReportError(
            source,
            f"解压后共 {mb} MB，超过上限 {limit} MB（疑似压缩炸弹），已拒绝读取",
            f"{mb} MB once unpacked, over the limit of {limit} MB (possibly a zip bomb); refused",
        )


def _refuse_dtds(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], source: str) -> None:
    """Refuse any part that declares a DTD: Office never writes one, and entity expansion is how XML bombs work."""
    for member in members:
        if not member.is_dir() and _declares_dtd(archive, member):
            raise ReportError(
                source,
                f"部件 {member.filename} 含有 DTD（实体声明），疑似 XML 实体炸弹，已拒绝读取",
                f"part {member.filename} declares a DTD (entities), possibly an XML entity bomb; refused",
            )


def _declares_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether the part's prolog declares a DTD; parsing stops at the root element, before any content."""
    parser = expat.ParserCreate()
    found: list[bool] = []

    def doctype(*_args: object) -> None:
        found.append(True)
        raise _Stop

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = _stop
    try:
        _feed(archive, member.filename, parser)
    except (_Stop, expat.ExpatError):  # an ExpatError here means a part that is not XML (an image, say)
        pass
    return bool(found)


def _stop(*_args: object) -> None:
    """An expat handler that ends the parse."""
    raise _Stop


def _feed(archive: zipfile.ZipFile, name: str, parser: expat.XMLParserType) -> None:
    """Stream one part of the archive through an expat parser, a chunk at a time."""
    with archive.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


# ---------------------------------------------------------------------------------------------------------------
# The workbook's structure: which parts are its worksheets, in order


def _sheet_parts(archive: zipfile.ZipFile, source: str) -> list[tuple[str, str]]:
    """(name, part path) of every worksheet, in the workbook's order; chart sheets are skipped."""
    book = _office_document(archive)
    if book is None or book not in archive.namelist():
        raise ReportError(source, "不是 Excel 工作簿（找不到工作簿部件）", "not an Excel workbook (no workbook part)")
    targets = _relationships(archive, book, _REL_WORKSHEET)
    sheets = [
        (attrs.get("name", ""), targets[attrs.get("id", "")])
        for attrs in _elements(archive, book, "sheet")
        if attrs.get("id", "") in targets
    ]
    if not sheets:
        raise ReportError(source, "工作簿中没有工作表", "the workbook has no worksheet")
    if len(sheets) > MAX_SHEETS:
        raise ReportError(
            source,
            f"工作簿有 {len(sheets)} 个工作表，超过上限 {MAX_SHEETS}",
            f"the workbook has {len(sheets)} sheets, over the limit of {MAX_SHEETS}",
        )
    return sheets


def _check_xml_parts(archive: zipfile.ZipFile, sheets: set[str], source: str) -> None:
    """Refuse an oversized XML part besides the sheets: openpyxl parses shared strings and styles whole."""
    for member in archive.infolist():
        if member.filename not in sheets and member.filename.endswith((".xml", ".rels")):
            if member.file_size > MAX_XML_PART:
                mb, limit = member.file_size // 2**20, MAX_XML_PART // 2**20
                raise ReportError(
                    source,
                    f"部件 {member.filename} 有 {mb} MB，超过上限 {limit} MB，不像一份年报",
                    f"part {member.filename} is {mb} MB, over the limit of {limit} MB: not a report",
                )


def _office_document(archive: zipfile.ZipFile) -> str | None:
    """The path of the workbook part, from the package's own relationships."""
    if "_rels/.rels" not in archive.namelist():
        return None
    for attrs in _elements(archive, "_rels/.rels", "Relationship"):
        if attrs.get("Type", "").endswith(_REL_OFFICE):
            return _resolve("", attrs.get("Target", ""))
    return None


def _relationships(archive: zipfile.ZipFile, part: str, rel_type: str) -> dict[str, str]:
    """Relationship id -> target path for the relationships of `part` of one type."""
    rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    if rels not in archive.namelist():
        return {}
    return {
        attrs.get("Id", ""): _resolve(part, attrs.get("Target", ""))
        for attrs in _elements(archive, rels, "Relationship")
        if attrs.get("Type", "").endswith(rel_type)
    }


def _resolve(part: str, target: str) -> str:
    """A relationship target as a path inside the archive (targets are relative to the part, or absolute)."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def _elements(archive: zipfile.ZipFile, part: str, tag: str) -> list[dict[str, str]]:
    """The attributes (by local name) of every element named `tag` in a small XML part."""
    found: list[dict[str, str]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == tag:
            found.append({_local(k): v for k, v in attrs.items()})

    _parse_part(archive, part, start)
    return found


def _parse_part(archive: zipfile.ZipFile, part: str, start: Callable[[str, dict[str, str]], None]) -> None:
    """Run `start` on every element of a part; a malformed part is a damaged file."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    try:
        _feed(archive, part, parser)
    except expat.ExpatError as exc:
        raise ValueError(f"{part}: {exc}") from exc


def _local(name: str) -> str:
    """An element or attribute name without its namespace."""
    return name.rpartition("}")[2]


# ---------------------------------------------------------------------------------------------------------------
# Measuring a sheet before it is read


def _scan_sheet(archive: zipfile.ZipFile, name: str, path: str, source: str) -> _Layout:
    """Extent and merged ranges of one sheet; refused as soon as it proves larger than any report could be."""
    layout = _Layout(name, path)
    scan = _SheetScan(layout, source)
    with _damage_reported(source, name):
        _parse_part(archive, path, scan.start)
    _check_extent(layout, source)
    return layout


class _SheetScan:
    """Expat handler that measures a sheet: rows, columns and merged ranges, with no cell values kept."""

    def __init__(self, layout: _Layout, source: str):
        self.layout, self.source = layout, source
        self.row = 0
        self.col = 0
        self.elements = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        """Called by expat for every element that opens."""
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise ReportError(
                self.source,
                f"工作表“{self.layout.name}”的 XML 元素超过 {MAX_ELEMENTS} 个，不像一份年报，已拒绝读取",
                f"sheet “{self.layout.name}” has more than {MAX_ELEMENTS:,} XML elements, not a report; refused",
            )
        tag = _local(name)
        if tag == "c":
            self._cell(attrs.get("r"))
        elif tag == "row":
            self._row(attrs.get("r"))
        elif tag == "dimension":
            self._dimension(attrs.get("ref", ""))
        elif tag == "mergeCell":
            self._merge(attrs.get("ref", ""))

    def _row(self, ref: str | None) -> None:
        # Rows and cells may omit their reference; they then follow the previous one.
        self.row = int(ref) if ref and ref.isdigit() else self.row + 1
        self.col = 0
        if self.row > MAX_ROWS:
            raise _too_many_rows(self.source, self.layout.name, f"超过{MAX_ROWS}", f"more than {MAX_ROWS:,}")
        self.layout.max_row = max(self.layout.max_row, self.row)

    def _cell(self, ref: str | None) -> None:
        match = _CELL_REF.match(ref or "")
        self.col = column_index_from_string(match.group(1).upper()) if match else self.col + 1
        self.layout.max_col = max(self.layout.max_col, self.col)
        self.layout.max_row = max(self.layout.max_row, self.row)
        if self.layout.max_col * self.layout.max_row > MAX_CELLS:  # refused as soon as it is known
            raise _too_many_cells(self.source, self.layout)

    def _dimension(self, ref: str) -> None:
        # The declared extent lets a huge sheet be refused before any of its rows is looked at.
        match = _CELL_REF.match(ref.rpartition(":")[2])
        rows = int(match.group(2)) if match else 0
        if rows > MAX_ROWS:
            raise _too_many_rows(self.source, self.layout.name, str(rows), f"{rows:,}")

    def _merge(self, ref: str) -> None:
        try:
            self.layout.merges.append(range_boundaries(ref))
        except (ValueError, TypeError):
            pass  # a malformed range merges nothing


def _too_many_rows(source: str, sheet: str, zh: str, en: str) -> ReportError:
    """The refusal of a sheet with more rows than MAX_ROWS."""
    return ReportError(
        source,
        f"工作表“{sheet}”有{zh}行，超过上限 {MAX_ROWS} 行（一份年报不足 200 行），已拒绝读取",
        f"sheet “{sheet}” has {en} rows, over the limit of {MAX_ROWS:,} (a report has fewer than 200); refused",
    )


def _too_many_cells(source: str, layout: _Layout) -> ReportError:
    """The refusal of a sheet whose grid is larger than MAX_CELLS."""
    return ReportError(
        source,
        f"工作表“{layout.name}”的范围至少 {layout.max_row} 行 × {layout.max_col} 列，超过上限 {MAX_CELLS} 个单元格",
        f"sheet “{layout.name}” spans at least {layout.max_row} rows × {layout.max_col} columns, "
        f"over the limit of {MAX_CELLS:,} cells",
    )


def _check_extent(layout: _Layout, source: str) -> None:
    """Keep the merged ranges that reach into the grid; refuse ranges that overlap, which Excel never writes."""
    layout.merges = [m for m in layout.merges if _clipped_area(m, layout) > 0]
    cells = layout.max_row * layout.max_col
    # Blanking and widening walk each range, so their total area is bounded by the grid's.
    covered = sum(_clipped_area(m, layout) for m in layout.merges)
    if covered > cells:
        raise _damaged(source, layout.name, "合并单元格互相重叠 / overlapping merged cells")


def _check_total(layouts: list[_Layout], source: str) -> None:
    """Refuse a workbook whose sheets together span more cells than one could hold (many sheets, each under the cap)."""
    total = sum(layout.max_row * layout.max_col for layout in layouts)
    if total > MAX_CELLS:
        raise ReportError(
            source,
            f"工作簿各表共 {total} 个单元格，超过上限 {MAX_CELLS}",
            f"the workbook's sheets span {total:,} cells, over the limit of {MAX_CELLS:,}",
        )


def _clipped_area(merge: tuple[int, int, int, int], layout: _Layout) -> int:
    """Cells of a merged range that lie inside the sheet's grid."""
    min_col, min_row, max_col, max_row = merge
    cols = min(max_col, layout.max_col) - min_col + 1
    rows = min(max_row, layout.max_row) - min_row + 1
    return max(cols, 0) * max(rows, 0)


# ---------------------------------------------------------------------------------------------------------------
# Reading cell values


def _open_workbook(data: bytes, source: str) -> openpyxl.Workbook:
    """The workbook in read-only mode, with the values Excel last computed for formulas."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops; they carry no cell values
        try:
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # openpyxl reports a malformed part with many exception types
            raise _damaged(source, None, type(exc).__name__) from exc


class _Budget:
    """Characters of cell text still allowed: one long shared string repeated in every cell must not fill memory."""

    def __init__(self, source: str):
        self.source = source
        self.left = MAX_CHARS

    def spend(self, text: str) -> str:
        """Count a cell's text against the budget and hand it back."""
        self.left -= len(text)
        if self.left < 0:
            raise ReportError(
                self.source,
                f"工作簿的文字超过 {MAX_CHARS} 个字符，不像一份年报，已拒绝读取",
                f"the workbook holds more than {MAX_CHARS:,} characters of text, not a report; refused",
            )
        return text


def _read_sheet(workbook: openpyxl.Workbook, layout: _Layout, budget: _Budget, max_rows: int | None) -> Sheet:
    """The cell texts of one sheet, covered cells of merged ranges blanked."""
    last_row = layout.max_row if max_rows is None else min(layout.max_row, max_rows)
    if last_row == 0 or layout.max_col == 0:
        return Sheet(layout.name, [])
    try:
        rows, widths = _cell_rows(workbook[layout.name], last_row, layout.max_col, budget)
    except ReportError:
        raise
    except Exception as exc:  # as above: a malformed cell or style surfaces as any exception type
        raise _damaged(budget.source, layout.name, type(exc).__name__) from exc
    _blank_merged(rows, layout.merges)
    _widen_merged(widths, layout.merges, layout.max_col)
    return Sheet(layout.name, rows, widths, layout.merges)


def _cell_rows(worksheet, last_row: int, last_col: int, budget: _Budget) -> tuple[list[list[str]], list[int]]:
    """Texts of the rows 1..last_row, columns 1..last_col (the extent comes from the scan, not the sheet's claim),
    and the number of cells each row has in the file."""
    rows: list[list[str]] = []
    widths: list[int] = []
    for cells in worksheet.iter_rows(min_row=1, max_row=last_row, min_col=1, max_col=last_col):
        rows.append([budget.spend(_text_of(cell)) for cell in cells])
        widths.append(max((i for i, cell in enumerate(cells, start=1) if cell is not EMPTY_CELL), default=0))
    while len(rows) < last_row:  # openpyxl stops at the last row present in the file
        rows.append([""] * last_col)
        widths.append(0)
    return rows, widths


def _text_of(cell) -> str:
    """The printed text of a read-only cell."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return cell_text(value, cell.number_format)
    return cell_text(value)


def _blank_merged(rows: list[list[str]], merges: list[tuple[int, int, int, int]]) -> None:
    """Empty every cell a merged range covers except its top-left one, where Excel shows the value."""
    for min_col, min_row, max_col, max_row in merges:
        for r in range(min_row, min(max_row, len(rows)) + 1):
            row = rows[r - 1]
            for c in range(min_col, min(max_col, len(row)) + 1):
                if (r, c) != (min_row, min_col):
                    row[c - 1] = ""


def _widen_merged(widths: list[int], merges: list[tuple[int, int, int, int]], last_col: int) -> None:
    """A row reaches at least to the right edge of every merged range on it."""
    for _, min_row, max_col, max_row in merges:
        for r in range(min_row, min(max_row, len(widths)) + 1):
            widths[r - 1] = max(widths[r - 1], min(max_col, last_col))


def _float_text(value: float) -> str:
    """A float as Excel's General format shows it: whole numbers without ".0", at most 15 significant digits."""
    if value.is_integer():
        return f"{value:.0f}"
    return f"{value:.15g}"


def _percent_text(value: float, number_format: str) -> str:
    """A number formatted as a percentage ("0.00%" shows 0.581 as "58.10%")."""
    match = _PERCENT_DECIMALS.search(number_format)
    decimals = len(match.group(1)) if match else 0
    return f"{value * 100:.{decimals}f}%"


# ---------------------------------------------------------------------------------------------------------------
# Sheets to lines


def _append_sheet(sheet: Sheet, lines: list[str], locations: list[str]) -> None:
    """Add one sheet's rows as lines; a cell of several paragraphs alone on its row gives one line per paragraph."""
    for number, cells in enumerate(grid_cells(_slot_grid(sheet)), start=1):
        location = f"{sheet.name} 第{number}行"
        for line in _row_lines(cells):
            lines.append(line)
            locations.append(location)


def _slot_grid(sheet: Sheet) -> list[list[Slot]]:
    """The sheet's rows up to each row's width (or last filled cell), positions a merged range covers marked."""
    covered: dict[tuple[int, int], Covered] = {}
    for min_col, min_row, max_col, max_row in sheet.merges:
        if min_row > len(sheet.rows) or min_col > len(sheet.rows[min_row - 1]):
            continue
        text = sheet.rows[min_row - 1][min_col - 1]
        for r in range(min_row, min(max_row, len(sheet.rows)) + 1):
            covered.update(((r, c), Covered(text, r > min_row and c == min_col)) for c in range(min_col, max_col + 1))
        del covered[min_row, min_col]
    grid: list[list[Slot]] = []
    for number, row in enumerate(sheet.rows, start=1):
        width = sheet.widths[number - 1] if number <= len(sheet.widths) else 0
        end = len(row)
        while end > width and not row[end - 1]:
            end -= 1
        grid.append([covered.get((number, c), text) for c, text in enumerate(row[:end], start=1)])
    _square_tables(grid)
    return grid


def _square_tables(grid: list[list[Slot]]) -> None:
    """Rows of one table (consecutive rows of two or more cells) reach its right edge: a sheet without borders
    stores no empty cell after a row's last value, yet a blank 总计 is a cell of the row."""
    start = 0
    while start < len(grid):
        end = start
        while end < len(grid) and len(grid[end]) >= 2:
            end += 1
        width = max((len(row) for row in grid[start:end]), default=0)
        for row in grid[start:end]:
            row.extend([""] * (width - len(row)))
        start = end + 1


def _row_lines(cells: list[str]) -> list[str]:
    """The line(s) of one row: cells joined by tabs."""
    filled = [c for c in cells if c]
    if len(filled) == 1 and "\n" in filled[0]:
        indent = "\t" * cells.index(filled[0])
        return [indent + part.strip() for part in filled[0].split("\n") if part.strip()]
    # A line break typed inside a table cell only wraps a label; joining keeps the words whole.
    return ["\t".join(c.replace("\n", "") for c in cells)]


def _refuse_empty(lines: list[str], source: str) -> None:
    """A workbook without a single filled cell is refused rather than parsed as an empty report."""
    if not any(line.strip() for line in lines):
        raise ReportError(source, "工作簿中没有任何内容", "the workbook contains no data")
