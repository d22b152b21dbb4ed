"""Read PDF reports that have a text layer into a Document: lines in reading order, tables as tab-separated rows.

The printed lines of a paragraph that wraps are joined into one line, so that a phrase the wrap breaks ("未收" at
the end of one line, "取任何信息处理费" on the next) reads whole; headings and table rows are never joined.

pdfplumber (0.11, on pdfminer.six) is the reader rather than pypdfium2. pypdfium2 extracts text 4 to 30 times
faster (about 500 pages a second on the Hongze report against 15–17 here; 80–130 against 17–28 on the reports
rendered by the tests), and the parser even gets all 44 Hongze figures from its plain text; but it has no table
finder and its text keeps no cell boundaries, so a blank cell vanishes (in the tests one blank cell in a section
三 row cost all seven figures of that row, which pdfplumber's grid keeps) and no figure can name its table and
row. A report is a few pages, read in well under a second either way, so correctness wins; caps bound the time.
"""

from __future__ import annotations

import io
import math
import os
import re
import statistics
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import PDFStream
from pdfminer.psexceptions import PSException
from pdfminer.psparser import LIT
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from loaders.model import Document, ReportError


@dataclass(frozen=True)
class PdfSettings:
    """The reader's limits and tolerances (lengths in PDF points unless said otherwise), checked on creation."""

    max_pages: int = 200
    max_bytes: int = 64 * 1024 * 1024
    max_page_content: int = 1024 * 1024  # inflated drawing instructions of one page, in bytes (memory bound)
    max_content: int = 6 * 1024 * 1024  # and of the whole file (time bound)
    max_edges: int = 4000  # a page with more ruling segments is a chart or a map: no ruled-table search there
    cell_gap_em: float = 1.5  # in unruled tables, a gap this many font heights wide separates two cells
    space_gap_em: float = 0.15  # a smaller gap inside a line is no space between words
    margin_share: float = 0.12  # top and bottom share of a page where page numbers and running lines live
    min_filled_share: float = 0.2  # a ruled "table" with fewer filled cells is a chart grid or a frame
    min_text_chars: int = 20  # fewer characters than this in the whole file: no text layer
    max_garbage_share: float = 0.3  # more unreadable characters than this share: mojibake
    min_cjk_share: float = 0.05  # a Chinese report with fewer Chinese characters than this is not readable text
    frame_tolerance: float = 6.0  # how far the edges of a table and its continuation may differ
    # Wrapped lines of a paragraph (lengths in font heights, "em"): a line wraps when it stops short of the text
    # block's right edge by less than the next line's first word plus this slack ...
    wrap_slack_em: float = 1.0
    indent_em: float = 0.5  # ... the next line does not start this much further right (a new paragraph) ...
    line_gap_em: float = 1.5  # ... and sits at most this far below it on the page
    max_indent_em: float = 4.0  # a line starting further right than this is centred or right-aligned: no wrap

    def __post_init__(self) -> None:
        for name in ("max_pages", "max_bytes", "max_page_content", "max_content", "max_edges", "min_text_chars"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        for name in (
            "cell_gap_em",
            "space_gap_em",
            "frame_tolerance",
            "wrap_slack_em",
            "indent_em",
            "line_gap_em",
            "max_indent_em",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        for name in ("margin_share", "min_filled_share", "max_garbage_share", "min_cjk_share"):
            if not 0 <= getattr(self, name) < 1:
                raise ValueError(f"{name} must be in [0, 1)")


DEFAULT_SETTINGS = PdfSettings()


@dataclass
class TextLine:
    """One line of text on a page, with its extent; `gapped` lines (cells split by wide gaps) are never joined."""

    text: str
    top: float
    bottom: float
    x0: float = 0.0
    x1: float = 0.0
    gapped: bool = False


@dataclass
class Grid:
    """A table found on one page: rows of cell texts ("" for empty or merged-over cells) and its frame."""

    rows: list[list[str]]
    top: float
    bottom: float
    x0: float
    x1: float


@dataclass
class PageRead:
    """What one page gave: its items in reading order and what the text-layer checks need."""

    number: int
    height: float
    items: list[TextLine | Grid]
    chars: list[str] = field(default_factory=list)
    images: int = 0
    width: float = 0.0


# ---------------------------------------------------------------- entry point


def read_pdf(data: bytes, source: str, settings: PdfSettings = DEFAULT_SETTINGS) -> Document:
    """Read a PDF report with a text layer; raise ReportError (naming `source`) for files that cannot be read."""
    check_bytes(data, source, settings)
    pages = _read_pages(data, source, settings)
    check_text_layer(pages, source, settings)
    drop_running_lines(pages, settings)
    text, locations = assemble(pages, settings)
    return Document(text=text, locations=locations, source_format="pdf", encoding=None)


def check_bytes(data: bytes, source: str, settings: PdfSettings = DEFAULT_SETTINGS) -> None:
    """Refuse empty, oversized, non-PDF and truncated files before any parsing."""
    if not data:
        raise ReportError(source, "文件为空（0 字节）", "file is empty (0 bytes)")
    if len(data) > settings.max_bytes:
        mb, limit = len(data) / 1024 / 1024, settings.max_bytes // 1024 // 1024
        raise ReportError(
            source,
            f"PDF 文件太大：{mb:.1f} MB，上限为 {limit} MB",
            f"PDF is too large: {mb:.1f} MB, the limit is {limit} MB",
        )
    if b"%PDF-" not in data[:1024]:
        raise ReportError(source, "不是 PDF 文件（缺少 %PDF 文件头）", "not a PDF file (no %PDF header)")
    # Every complete PDF ends with %%EOF; readers look for it near the end, and so do we.
    if b"%%EOF" not in data[-4096:]:
        raise ReportError(
            source,
            "PDF 文件不完整（缺少结尾标记 %%EOF），可能下载中断或被截断",
            "the PDF is incomplete (no %%EOF at its end): the download was cut short or the file truncated",
        )


def _read_pages(data: bytes, source: str, settings: PdfSettings) -> list[PageRead]:
    """Open the PDF and read every page, turning the reader's exceptions into ReportError."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            _check_page_count(len(pdf.pages), source, settings)
            check_content_size(pdf.pages, source, settings)
            return [_read_closing(page, settings) for page in pdf.pages]
    except (PdfminerException, MalformedPDFException, PSException) as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
        raise _open_error(cause, source) from exc
    except ReportError:
        raise
    except Exception as exc:
        # pdfminer raises many kinds (KeyError, TypeError, zlib.error ...) on damaged files; those mean a damaged
        # file to the user. Anything raised outside pdfminer is a bug and must surface as itself.
        if not _raised_in_pdfminer(exc):
            raise
        raise _open_error(exc, source) from exc


def _raised_in_pdfminer(exc: BaseException) -> bool:
    """Whether the innermost frame of the exception's traceback is pdfminer's code."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and f"{os.sep}pdfminer{os.sep}" in tb.tb_frame.f_code.co_filename


def _read_closing(page: Page, settings: PdfSettings) -> PageRead:
    """Read one page, then free its cached layout so that memory stays flat over long files."""
    try:
        return read_page(page, settings)
    finally:
        page.close()


def check_content_size(pages: list[Page], source: str, settings: PdfSettings = DEFAULT_SETTINGS) -> None:
    """Refuse pages whose compressed drawing instructions inflate past the limits: pdfminer reads them whole, and
    a megabyte of them costs seconds and hundreds of megabytes (a report page has 20–50 KB)."""
    total = 0
    for page in pages:
        room = min(settings.max_page_content, settings.max_content - total)
        size = _inflated_size(page.page_obj.contents, room)
        if size > room:
            over_page = size > settings.max_page_content
            raise _content_error(source, page.page_number if over_page else None, settings)
        total += size


def _inflated_size(streams: list, limit: int) -> int:
    """Bytes the content streams decode to, counted only up to about one byte past `limit`."""
    size = 0
    for stream in streams:
        if not isinstance(stream, PDFStream):
            continue  # not drawing instructions: pdfminer skips it too
        size += _decoded_size(stream, max(1, limit + 1 - size))
        if size > limit:
            break
    return size


def _decoded_size(stream: PDFStream, limit: int) -> int:
    """A stream's decoded length; inflating stops past `limit`, so a bomb is never held whole in memory."""
    if stream.rawdata is None:  # already decoded
        return len(stream.data or b"")
    data = stream.rawdata
    try:
        for name, _ in stream.get_filters():
            if name == LIT("FlateDecode"):
                data = zlib.decompressobj().decompress(data, limit)
            elif name == LIT("ASCII85Decode"):
                data = ascii85decode(data)
            elif name == LIT("ASCIIHexDecode"):
                data = asciihexdecode(data)
            else:  # other filters are rare in page content and cannot inflate by much
                return len(stream.get_data())
    except (zlib.error, ValueError):
        return 0  # a damaged stream: pdfminer reads what it can of it, or reports the file damaged
    return len(data)


def _content_error(source: str, page: int | None, settings: PdfSettings) -> ReportError:
    """The message for drawing instructions over the limit of one page (`page`) or of the whole file."""
    if page is not None:
        mb = settings.max_page_content / 1024 / 1024
        return ReportError(
            source,
            f"PDF 第{page}页的绘制指令解压后超过 {mb:g} MB（年报每页通常不到 0.1 MB），疑似异常或恶意文件，不予读取",
            f"page {page} of the PDF inflates to more than {mb:g} MB of drawing instructions (a report page has "
            "under 0.1 MB): a damaged or malicious file (decompression bomb), not read",
        )
    mb = settings.max_content / 1024 / 1024
    return ReportError(
        source,
        f"PDF 的绘制指令解压后共超过 {mb:g} MB，疑似异常或恶意文件，不予读取",
        f"the PDF inflates to more than {mb:g} MB of drawing instructions in all: a damaged or malicious file "
        "(decompression bomb), not read",
    )


def _check_page_count(count: int, source: str, settings: PdfSettings) -> None:
    """Refuse a PDF with no pages, or with more than the cap (time and memory stay bounded)."""
    if count == 0:
        raise ReportError(source, "PDF 没有页面", "the PDF has no pages")
    if count > settings.max_pages:
        raise ReportError(
            source,
            f"PDF 共 {count} 页，超过上限 {settings.max_pages} 页；年报通常只有几页到几十页，请只上传年报本身",
            f"the PDF has {count} pages, over the limit of {settings.max_pages}; an annual report has a few "
            "dozen at most, so upload the report on its own",
        )


def _open_error(exc: BaseException, source: str) -> ReportError:
    """The user's message for an exception raised while opening or reading a PDF."""
    if isinstance(exc, PDFPasswordIncorrect | PDFEncryptionError):
        return ReportError(
            source,
            "PDF 有密码保护，无法读取；请上传未加密的文件",
            "the PDF is password-protected and cannot be read; upload an unprotected copy",
        )
    detail = str(exc) or type(exc).__name__
    return ReportError(
        source, f"PDF 文件已损坏，无法读取（{detail}）", f"the PDF is damaged and cannot be read ({detail})"
    )


# ---------------------------------------------------------------- text-layer checks


_CID = re.compile(r"^\(cid:\d+\)$")


def check_text_layer(pages: list[PageRead], source: str, settings: PdfSettings = DEFAULT_SETTINGS) -> None:
    """Refuse scans without text (OCR needed) and text layers that are mojibake."""
    chars = [c for page in pages for c in page.chars if not c.isspace()]
    if len(chars) < settings.min_text_chars:
        raise _no_text_error(source, sum(p.images for p in pages), len(pages))
    counts = Counter(_char_class(c) for c in chars)
    garbage = counts["garbage"] / len(chars)
    if garbage > settings.max_garbage_share:
        raise ReportError(
            source,
            f"PDF 的文字层是乱码（{garbage:.0%} 为私用区、控制字符或拉丁乱码），通常是字体缺少 ToUnicode 映射；"
            "无法提取文字，本项目不做 OCR",
            f"the PDF's text layer is mojibake ({garbage:.0%} private-use, control or Latin garbage characters), "
            "usually fonts without a ToUnicode map; no text can be read and this project does no OCR",
        )
    if counts["cjk"] / len(chars) < settings.min_cjk_share:
        raise ReportError(
            source,
            "PDF 的文字层几乎没有汉字：可能是乱码（字体映射错误），或不是中文年报",
            "the PDF's text layer has almost no Chinese: either mojibake (wrong font mapping) or not a Chinese report",
        )


def _no_text_error(source: str, images: int, pages: int) -> ReportError:
    """The message for a PDF without text: a scan when it has images."""
    if images:
        return ReportError(
            source,
            f"PDF 没有文字层（{pages} 页都是图片，像是扫描件），需要先做 OCR 文字识别，本项目不做 OCR",
            f"the PDF has no text layer ({pages} pages of images, a scan): it needs OCR, which this project "
            "does not do",
        )
    return ReportError(source, "PDF 中没有文字", "the PDF contains no text")


def _char_class(char: str) -> str:
    """cjk, garbage (private use, control, U+FFFD, unmapped glyphs, Latin-1 letters) or plain."""
    if _CID.match(char) or len(char) != 1:
        return "garbage" if _CID.match(char) else "plain"
    code = ord(char)
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF:
        return "cjk"
    if code < 0x20 or 0x7F <= code <= 0x9F or 0xE000 <= code <= 0xF8FF or code == 0xFFFD or 0xA0 <= code <= 0x24F:
        return "garbage"
    return "plain"


# ---------------------------------------------------------------- one page


def read_page(page: Page, settings: PdfSettings = DEFAULT_SETTINGS) -> PageRead:
    """One page as text lines and tables in reading order (top to bottom)."""
    doubled = _doubled_chars(page.chars)
    visible = page.filter(lambda obj: id(obj) not in doubled and _is_visible(obj))
    grids = ruled_tables(visible, settings)
    words = [w for w in visible.extract_words(x_tolerance=1.5) if not _inside_any(w, grids)]
    items: list[TextLine | Grid] = [*grids, *split_unruled(group_lines(words), settings)]
    items.sort(key=lambda item: item.top)
    chars = [c["text"] for c in visible.chars]
    return PageRead(page.page_number, float(page.height), items, chars, len(page.images), float(page.width))


def _doubled_chars(chars: list[dict], tolerance: float = 1.0) -> set[int]:
    """Ids of characters drawn again within `tolerance` of an identical one: faux bold prints each glyph twice."""
    seen: dict[tuple[str, int, int], list[dict]] = {}
    doubled: set[int] = set()
    for char in chars:
        bx, by = math.floor(char["x0"] / tolerance), math.floor(char["top"] / tolerance)
        near = (c for dx in (-1, 0, 1) for dy in (-1, 0, 1) for c in seen.get((char["text"], bx + dx, by + dy), ()))
        if any(abs(c["x0"] - char["x0"]) <= tolerance and abs(c["top"] - char["top"]) <= tolerance for c in near):
            doubled.add(id(char))
        else:
            seen.setdefault((char["text"], bx, by), []).append(char)
    return doubled


def _is_visible(obj: dict) -> bool:
    """False for rectangles and curves that are neither stroked nor filled with a colour (text backgrounds)."""
    if obj.get("object_type") not in ("rect", "curve"):
        return True
    if obj.get("stroke") and not _is_white(obj.get("stroking_color")):
        return True
    return bool(obj.get("fill")) and not _is_white(obj.get("non_stroking_color"))


def _is_white(color: object) -> bool:
    """Whether a colour (grey, RGB or CMYK tuple) is white; unknown colours count as visible."""
    if not isinstance(color, tuple | list) or not color or not all(isinstance(v, int | float) for v in color):
        return False
    if len(color) == 4:
        return all(v <= 0.02 for v in color)
    return all(v >= 0.98 for v in color)


def _inside_any(word: dict, grids: list[Grid]) -> bool:
    """Whether a word's centre lies inside one of the tables (its text is already in a cell)."""
    x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return any(g.x0 <= x <= g.x1 and g.top <= y <= g.bottom for g in grids)


# ---------------------------------------------------------------- ruled tables


_LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3, "join_tolerance": 3}


def ruled_tables(page: Page, settings: PdfSettings = DEFAULT_SETTINGS) -> list[Grid]:
    """Tables drawn with ruling lines, as grids; frames, chart grids and one-column boxes are left to the text."""
    if len(page.edges) > settings.max_edges:
        return []
    first = page.find_tables(_LINES)
    if not first:
        return []
    # A table whose outer border is partly missing loses its corner cells; closing the outline brings them back.
    outlines = [edge for t in first for edge in _outline(t.bbox, page)]
    tables = page.find_tables({**_LINES, "explicit_vertical_lines": outlines, "explicit_horizontal_lines": outlines})
    grids = [_grid(t.bbox, t.extract(x_tolerance=1.5)) for t in tables]
    return [g for g in grids if _is_real_table(g, settings)]


def _outline(bbox: tuple[float, float, float, float], page: Page) -> list[dict]:
    """The four sides of a table's frame, down to where its vertical rules end, as edges for the table finder."""
    x0, top, x1, bottom = bbox
    rules = [
        e
        for e in page.edges
        if e["orientation"] == "v" and x0 - 3 <= e["x0"] <= x1 + 3 and e["top"] < bottom and e["bottom"] > top
    ]
    # A table cut by a page break often has no bottom rule: its vertical rules still show where it ends.
    top = min([top] + [e["top"] for e in rules])
    bottom = max([bottom] + [e["bottom"] for e in rules])
    return [
        _edge(x0, x1, top, top, "h"),
        _edge(x0, x1, bottom, bottom, "h"),
        _edge(x0, x0, top, bottom, "v"),
        _edge(x1, x1, top, bottom, "v"),
    ]


def _edge(x0: float, x1: float, top: float, bottom: float, orientation: str) -> dict:
    """An edge in the shape pdfplumber's table finder takes for an explicit line."""
    return {"object_type": "outline_edge", "orientation": orientation, "x0": x0, "x1": x1, "top": top,
            "bottom": bottom, "width": x1 - x0, "height": bottom - top}  # fmt: skip


def _grid(bbox: tuple[float, float, float, float], rows: list[list[str | None]]) -> Grid:
    """A grid from extracted rows: cells cleaned, rows with no text dropped."""
    cleaned = [[clean_cell(c) for c in row] for row in rows]
    kept = [row for row in cleaned if any(row)]
    x0, top, x1, bottom = bbox
    return Grid(kept, top, bottom, x0, x1)


def _is_real_table(grid: Grid, settings: PdfSettings) -> bool:
    """At least two rows and two columns with text, and enough filled cells not to be a chart grid."""
    if len(grid.rows) < 2 or max(sum(1 for c in row if c) for row in grid.rows) < 2:
        return False
    cells = sum(len(row) for row in grid.rows)
    filled = sum(1 for row in grid.rows for c in row if c)
    return filled / cells >= settings.min_filled_share


def clean_cell(text: str | None) -> str:
    """A cell's text on one line: wrapped lines and one-character-per-line (vertical) headers joined up."""
    if not text:
        return ""
    parts = [p.strip() for p in text.replace("\t", " ").split("\n") if p.strip()]
    joined = ""
    for part in parts:
        joined = join_text(joined, part)
    return tidy_spaces(joined)


def join_text(left: str, right: str) -> str:
    """Join two pieces of one line or one cell: no space next to Chinese or between digits, one space otherwise."""
    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    if is_cjk(a) or is_cjk(b) or (a.isdigit() and b.isdigit()):
        return left + right
    return f"{left} {right}"


_SPACES = re.compile(r"\s+")
_CJK_SPACE = re.compile(
    r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])"
)


def tidy_spaces(text: str) -> str:
    """Collapse runs of spaces and drop those between Chinese characters (justified text: "总 计")."""
    return _CJK_SPACE.sub("", _SPACES.sub(" ", text)).strip()


def is_cjk(char: str) -> bool:
    """Chinese characters, CJK punctuation and full-width forms."""
    code = ord(char)
    return 0x3000 <= code <= 0x303F or 0x3400 <= code <= 0x9FFF or 0xFF00 <= code <= 0xFFEF


# ---------------------------------------------------------------- lines and unruled tables


@dataclass
class _Line:
    """Words that share a baseline, left to right."""

    words: list[dict]
    top: float
    bottom: float


def group_lines(words: list[dict]) -> list[_Line]:
    """Cluster words into lines by vertical overlap, top to bottom."""
    lines: list[_Line] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        line = next((ln for ln in reversed(lines[-3:]) if _same_line(ln, word)), None)
        if line is None:
            lines.append(_Line([word], word["top"], word["bottom"]))
        else:
            line.words.append(word)
            line.top, line.bottom = min(line.top, word["top"]), max(line.bottom, word["bottom"])
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
    return lines


def _same_line(line: _Line, word: dict) -> bool:
    """A word belongs to a line when their vertical extents overlap by half the smaller height."""
    overlap = min(line.bottom, word["bottom"]) - max(line.top, word["top"])
    height = min(line.bottom - line.top, word["bottom"] - word["top"])
    return overlap >= 0.5 * max(height, 1.0)


def line_cells(line: _Line, settings: PdfSettings = DEFAULT_SETTINGS) -> list[tuple[str, float, float]]:
    """A line split at wide gaps into cells: (text, x0, x1)."""
    em = statistics.median(w["bottom"] - w["top"] for w in line.words)
    cells: list[tuple[str, float, float]] = []
    prev: dict | None = None
    for word in line.words:
        gap = word["x0"] - prev["x1"] if prev else 0.0
        if prev is None or gap >= settings.cell_gap_em * em:
            cells.append((word["text"], word["x0"], word["x1"]))
        else:
            text, x0, _ = cells[-1]
            glue = " " if gap >= settings.space_gap_em * em else ""
            cells[-1] = (text + glue + word["text"], x0, word["x1"])
        prev = word
    if len(cells) > 1 and all(len(t) == 1 and is_cjk(t) for t, _, _ in cells) and _evenly_spaced(cells, em):
        # Letter-spaced text (a heading set as "总 体 情 况") is one piece, not a row of one-character cells.
        return [("".join(t for t, _, _ in cells), cells[0][1], cells[-1][2])]
    return [(tidy_spaces(t), x0, x1) for t, x0, x1 in cells]


def _evenly_spaced(cells: list[tuple[str, float, float]], em: float) -> bool:
    """Whether one-character cells stand a few font heights apart at most, as letter-spacing sets them (the
    characters of a table's narrow columns, a vertical label beside a wrapped one, stand further apart)."""
    return all(b[1] - a[2] <= 3 * em for a, b in zip(cells, cells[1:], strict=False))


def split_unruled(lines: list[_Line], settings: PdfSettings = DEFAULT_SETTINGS) -> Iterator[TextLine | Grid]:
    """Text lines; runs of lines split into cells by wide gaps (two or more such lines) are read as a table.

    A one-cell line right below such a line, inside one of its columns, is a wrapped cell and stays in the run.
    """
    run: list[tuple[_Line, list]] = []
    for line in lines:
        cells = line_cells(line, settings)
        if len(cells) >= 2 or (run and _wraps_into_run(run, line, cells[0])):
            run.append((line, cells))
            continue
        yield from _flush(run)
        run = []
        yield text_line(cells[0][0], line)
    yield from _flush(run)


def _wraps_into_run(run: list[tuple[_Line, list]], line: _Line, cell: tuple[str, float, float]) -> bool:
    """Whether a one-cell line is the wrapped part of a cell of the run above it (close below, in one column)."""
    last = run[-1][0]
    if line.top - last.bottom > 1.5 * (last.bottom - last.top):
        return False
    columns = _column_spans(run)
    inside = [k for k, (c0, c1) in enumerate(columns) if min(cell[2], c1) - max(cell[1], c0) > 0]
    if not inside:  # in a gutter: a label column whose other lines are one-cell lines too, inside the table
        return columns[0][0] - 1 <= cell[1] and cell[2] <= columns[-1][1] + 1
    if len(inside) != 1:
        return False
    k = inside[0]
    return k + 1 == len(columns) or cell[2] < columns[k + 1][0]


def _flush(run: list[tuple[_Line, list]]) -> Iterator[TextLine | Grid]:
    """A run with two or more gapped lines is a table; otherwise its lines are text, gaps read as spaces."""
    if sum(1 for _, cells in run if len(cells) >= 2) >= 2:
        yield align_columns(run)
        return
    for line, cells in run:
        yield text_line(tidy_spaces(" ".join(c[0] for c in cells)), line, gapped=True)


def text_line(text: str, line: _Line, gapped: bool = False) -> TextLine:
    """A text line with the extent of its words."""
    return TextLine(text, line.top, line.bottom, line.words[0]["x0"], max(w["x1"] for w in line.words), gapped)


def align_columns(run: list[tuple[_Line, list]]) -> Grid:
    """Place the cells of a run into shared columns by their x position, one row per table row; "" where nothing is.

    Rows are told by where their words stand, not by equal baselines: a row is anchored by its line of values, and a
    label wrapped over several lines joins the row whose values sit beside it (above, level or below, as the cell
    aligns them); lines without values (header rows, a row left blank) are rows of their own.
    """
    rows: list[list[str]] = []
    for part in _parts(run):
        rows += _part_rows(part)
    x0 = min(c[1] for _, cells in run for c in cells)
    x1 = max(c[2] for _, cells in run for c in cells)
    return Grid(rows, run[0][0].top, run[-1][0].bottom, x0, x1)


def _parts(run: list[tuple[_Line, list]]) -> list[list[tuple[_Line, list]]]:
    """A run split where a header row sets out new columns (section 二 prints a small table per item, each with
    its own header row): a line of text cells after rows of values, with a cell standing in no column so far."""
    parts: list[list[tuple[_Line, list]]] = [[]]
    values_from = math.inf  # where the part's values begin across: labels stand left of it
    for line, cells in run:
        header = len(cells) >= 2 and not any(_VALUE_CELL.fullmatch(c[0]) for c in cells)
        if header and values_from < math.inf and _sets_new_columns(cells, _column_spans(parts[-1]), values_from):
            parts.append([])
            values_from = math.inf
        parts[-1].append((line, cells))
        values_from = min([values_from, *(c[1] for c in cells if _VALUE_CELL.fullmatch(c[0]))])
    return parts


def _sets_new_columns(cells: list[tuple[str, float, float]], columns: list[tuple[float, float]], left: float) -> bool:
    """Whether a header line has a cell among the values (right of `left`) whose middle lies in no column of the
    rows above it."""
    middles = [(x0 + x1) / 2 for _, x0, x1 in cells]
    return any(m > left and not any(c0 <= m <= c1 for c0, c1 in columns) for m in middles)


def _part_rows(run: list[tuple[_Line, list]]) -> list[list[str]]:
    """The rows of one part of a run, its cells placed in the part's columns."""
    columns = _column_spans(run)
    pieces = _pieces(run, columns)
    anchors = {p.line for p in pieces if p.value}
    rows: dict[int, list[_Piece]] = {}
    free: list[list[_Piece]] = []
    for block in _blocks(pieces, anchors):
        block.sort(key=lambda p: (p.top, p.x0))
        for piece in block[1:]:  # a wrapped cell stays in the column of its first line
            piece.column = block[0].column
        row = _anchor_of(block, run, anchors)
        if row is None:
            free.append(block)
        else:
            rows.setdefault(row, []).extend(block)
    grouped = list(rows.values()) + _free_rows(free)
    grouped.sort(key=lambda row: min(p.top for p in row))
    return [_row_texts(row, len(columns)) for row in grouped]


# A cell that states a figure: a number (signed, with thousands separators or decimals) or a dash or slash.
_VALUE_CELL = re.compile(r"[-+增减]?\d[\d,，]*(?:\.\d+)?%?|[/／—–\-－]{1,2}")


@dataclass
class _Piece:
    """One cell of one line, placed in its column: value pieces anchor their line's row."""

    column: int
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    line: int  # the index of its line in the run
    value: bool


def _pieces(run: list[tuple[_Line, list]], columns: list[tuple[float, float]]) -> list[_Piece]:
    """Every cell of the run in the column it overlaps most, keeping each line's cells in left-to-right order."""
    pieces = []
    for i, (line, cells) in enumerate(run):
        k = -1
        for text, x0, x1 in cells:
            if k + 1 < len(columns):
                k = _best_column(columns, x0, x1, k + 1)
            value = bool(_VALUE_CELL.fullmatch(text))
            words = [w for w in line.words if w["x0"] >= x0 - 0.5 and w["x1"] <= x1 + 0.5] or line.words
            top, bottom = min(w["top"] for w in words), max(w["bottom"] for w in words)
            pieces.append(_Piece(k, text, top, bottom, x0, x1, i, value))
    return pieces


def _blocks(pieces: list[_Piece], anchors: set[int]) -> list[list[_Piece]]:
    """Pieces stacked into cells: a text line joins the one just above it in the same place across when the gap
    between them is the table's line spacing (rows are set further apart by their padding), the closest pairs
    first, as long as a cell takes in no second line of values; a value is a cell of its own."""
    text = [p for p in pieces if not p.value]
    links = sorted(_stacked_pairs(text), key=lambda link: link[0])
    values = [[p] for p in pieces if p.value]
    if not links:
        return [[p] for p in text] + values
    em = statistics.median(p.bottom - p.top for p in text)
    spaced = [gap for gap, _, _ in links if gap > 0.05 * em]  # lines that touch or overlap say nothing of it
    # Lines of one cell stand at most half a line apart; rows are set further apart than the closest lines.
    spacing = min((min(spaced) if spaced else 0.0) + 0.25 * em, 0.5 * em)
    parent = list(range(len(text)))
    index = {id(p): i for i, p in enumerate(text)}
    anchored = [{p.line} & anchors for p in text]
    has_below: set[int] = set()
    has_above: set[int] = set()

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for gap, upper, lower in links:
        u, v = index[id(upper)], index[id(lower)]
        if gap > spacing or u in has_below or v in has_above:
            continue
        a, b = root(u), root(v)
        # Two lines of values in one cell: two rows' labels, unless the cell is set one character a line (a
        # vertical label merged down over several rows).
        vertical = len(upper.text) == 1 and len(lower.text) == 1
        if a == b or (len(anchored[a] | anchored[b]) > 1 and not vertical):
            continue
        parent[b] = a
        anchored[a] |= anchored[b]
        has_below.add(u)
        has_above.add(v)
    cells: dict[int, list[_Piece]] = {}
    for i, p in enumerate(text):
        cells.setdefault(root(i), []).append(p)
    return list(cells.values()) + values


def _stacked_pairs(text: list[_Piece]) -> list[tuple[float, _Piece, _Piece]]:
    """Each text piece with the nearest piece above it that overlaps it across: (gap, upper, lower)."""
    pairs = []
    ordered = sorted(text, key=lambda p: p.top)
    for i, lower in enumerate(ordered):
        best = None
        for upper in ordered[:i]:
            if upper.line == lower.line or min(upper.x1, lower.x1) - max(upper.x0, lower.x0) <= 0:
                continue
            if upper.bottom <= lower.top + 0.5 * (lower.bottom - lower.top) and (
                best is None or upper.bottom > best.bottom
            ):
                best = upper
        if best is not None:
            pairs.append((lower.top - best.bottom, best, lower))
    return pairs


def _anchor_of(block: list[_Piece], run: list[tuple[_Line, list]], anchors: set[int]) -> int | None:
    """The line of values a cell belongs to: its own, or the first whose middle lies within the cell's height
    (values centred in a tall row, or a label merged down over several rows); None when no values are beside it."""
    own = [p.line for p in block if p.line in anchors]
    if own:
        return own[0]
    top, bottom = min(p.top for p in block), max(p.bottom for p in block)
    slack = 0.25 * (block[0].bottom - block[0].top)
    for i in sorted(anchors):
        middle = (run[i][0].top + run[i][0].bottom) / 2
        if top - slack <= middle <= bottom + slack:
            return i
    return None


def _free_rows(blocks: list[list[_Piece]]) -> list[list[_Piece]]:
    """Cells without values beside them, grouped into rows where their heights overlap."""
    rows: list[tuple[float, float, list[_Piece]]] = []
    for block in sorted(blocks, key=lambda b: b[0].top):
        top, bottom = min(p.top for p in block), max(p.bottom for p in block)
        if rows and top < rows[-1][1]:
            row_top, row_bottom, row = rows[-1]
            rows[-1] = (row_top, max(row_bottom, bottom), row + block)
        else:
            rows.append((top, bottom, list(block)))
    return [row for _, _, row in rows]


def _row_texts(row: list[_Piece], width: int) -> list[str]:
    """A row's cell texts, the lines of each cell joined top to bottom."""
    texts = [""] * width
    lines: dict[int, int] = {}  # the line of the last piece written to each column
    for piece in sorted(row, key=lambda p: (p.top, p.x0)):
        k = piece.column
        if lines.get(k) == piece.line:  # two cells of one line in one column: never glue two numbers together
            texts[k] = f"{texts[k]} {piece.text}"
        else:
            texts[k] = join_text(texts[k], piece.text)
        lines[k] = piece.line
    return [tidy_spaces(t) for t in texts]


def _column_spans(run: list[tuple[_Line, list]]) -> list[tuple[float, float]]:
    """Columns of a run: the x ranges that cells of several lines cover, split at the gutters between them.

    A cell that straddles a gutter of a line with more cells than its own (a header over several columns,
    "法人或其他组织" or "未经复议直接起诉") does not count, so the finest rows (the header rows of the leaf
    columns, full rows of values) set the columns; a cell straddling other gutters (a label spanning two columns)
    is outvoted: a range counts as a column when more than a tenth of the gapped lines have a cell there.
    """
    gapped = [cells for _, cells in run if len(cells) >= 2] or [cells for _, cells in run]
    gutters = sorted(
        {(len(cells), a[2], b[1]) for cells in gapped for a, b in zip(cells, cells[1:], strict=False)}, reverse=True
    )
    left = int(min(c[1] for cells in gapped for c in cells))
    cover = [0] * (int(max(c[2] for cells in gapped for c in cells)) - left + 2)
    for cells in gapped:
        finer = [(g0, g1) for n, g0, g1 in gutters if n > len(cells)]
        for _, x0, x1 in cells:
            if any(x0 < g0 and x1 > g1 for g0, g1 in finer):
                continue
            # One point off each side, so that cells that touch still leave a gutter between them.
            for x in range(math.ceil(x0) + 1 - left, math.floor(x1) - left):
                cover[x] += 1
    limit = len(gapped) // 10
    spans: list[tuple[float, float]] = []
    start = None
    for x, n in enumerate(cover):
        if n > limit and start is None:
            start = x
        elif n <= limit and start is not None:
            spans.append((left + start, left + x - 1))
            start = None
    return spans


def _best_column(columns: list[tuple[float, float]], x0: float, x1: float, first: int) -> int:
    """The column from `first` on that a cell overlaps most, or the nearest one by centre when it overlaps none."""
    candidates = range(first, len(columns))
    overlap = {k: min(x1, columns[k][1]) - max(x0, columns[k][0]) for k in candidates}
    best = max(candidates, key=overlap.__getitem__)
    if overlap[best] > 0:
        return best
    centre = (x0 + x1) / 2
    return min(candidates, key=lambda k: abs((columns[k][0] + columns[k][1]) / 2 - centre))


# ---------------------------------------------------------------- page numbers and running lines


_PAGE_NUMBER = re.compile(
    r"^(?:[-–—－_\s]*\d{1,4}[-–—－_\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)


def drop_running_lines(pages: list[PageRead], settings: PdfSettings = DEFAULT_SETTINGS) -> None:
    """Remove page numbers and headers or footers repeated on most pages, from the margins of each page."""
    repeated = _repeated_margin_texts(pages, settings)
    for page in pages:
        page.items = [
            item
            for item in page.items
            if not (isinstance(item, TextLine) and _in_margin(item, page, settings) and _is_running(item, repeated))
        ]


def _is_running(line: TextLine, repeated: set[str]) -> bool:
    """A page number, or a header or footer repeated on most pages."""
    return bool(_PAGE_NUMBER.match(line.text.strip())) or _shape(line.text) in repeated


def _in_margin(line: TextLine, page: PageRead, settings: PdfSettings) -> bool:
    """Whether a line sits in the top or bottom band of its page."""
    band = page.height * settings.margin_share
    return line.bottom <= band or line.top >= page.height - band


def _shape(text: str) -> str:
    """A running line with its page number masked, so that "第1页" and "第2页" compare equal."""
    return re.sub(r"\d+", "#", _SPACES.sub("", text))


def _repeated_margin_texts(pages: list[PageRead], settings: PdfSettings) -> set[str]:
    """Margin lines that recur on at least half the pages (three or more): running headers and footers."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({_shape(i.text) for i in page.items if isinstance(i, TextLine) and _in_margin(i, page, settings)})
    return {shape for shape, n in seen.items() if n >= max(3, len(pages) / 2)}


# ---------------------------------------------------------------- paragraphs that wrap


@dataclass(frozen=True)
class TextBlock:
    """Where running text lies on a page: the document's left edge and the page's right edge."""

    left: float
    right: float


def text_blocks(pages: list[PageRead]) -> list[TextBlock]:
    """The text block of each page: most lines start at the same left edge, and with page margins as good as
    always symmetric, the right edge is near the mirror of the left one."""
    body = [i for p in pages for i in p.items if isinstance(i, TextLine) and not i.gapped]
    if not body:
        return [TextBlock(0.0, 0.0) for _ in pages]
    left = Counter(round(i.x0, 1) for i in body).most_common(1)[0][0]
    em = statistics.median(i.bottom - i.top for i in body)
    return [TextBlock(left, _right_edge(p, left, em)) for p in pages]


def _right_edge(page: PageRead, left: float, em: float) -> float:
    """The furthest end of a text line on the page, leaving out lines that overflow the mirrored margin (a wide
    table line), and never far inside it (on a page of short lines, no line reaches the edge)."""
    lines = [i.x1 for i in page.items if isinstance(i, TextLine) and not i.gapped]
    if page.width <= 0:  # a page of unknown size: its longest line
        return max(lines, default=0.0)
    mirror = page.width - left
    return max([mirror - 2 * em, *(x1 for x1 in lines if x1 <= mirror + 2 * em)])


_SENTENCE_END = frozenset("。；！？：;!?:")
_CLOSERS = "”’」』）)》〉】"
# Headings open a line: "二、" "（一）" "(3)" "1." "1、" "第二章"; "—、" is a common typo for "一、".
_HEADING = re.compile(
    r"[一二三四五六七八九十—]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]|\d{1,2}\s*[、.．](?!\d)"
    r"|第[一二三四五六七八九十\d]{1,3}[章节部分]"
)
_LATIN_RUN = re.compile(r"[A-Za-z0-9.,:;%+\-/_@#&=?~()\[\]]+")


def continues_paragraph(
    above: TextLine,
    below: TextLine,
    block: TextBlock,
    settings: PdfSettings = DEFAULT_SETTINGS,
    page_break: bool = False,
) -> bool:
    """Whether `below` carries on the paragraph of `above` that wrapped: text joins, never headings or rows."""
    if above.gapped or below.gapped or not above.text or not below.text:
        return False
    if ends_sentence(above.text) or _HEADING.match(below.text):
        return False
    return _wraps_onto(above, below, block, settings, page_break)


def ends_sentence(text: str) -> bool:
    """Whether a line ends a sentence or announces what follows (。；！？：), closing quotes aside."""
    stripped = text.rstrip().rstrip(_CLOSERS)
    return not stripped or stripped[-1] in _SENTENCE_END


def _wraps_onto(above: TextLine, below: TextLine, block: TextBlock, settings: PdfSettings, page_break: bool) -> bool:
    """The layout of a wrap: `above` fills the line, and `below` starts no further right, in the same size, close
    below it (anywhere on the next page after a page break)."""
    small, em = sorted((above.bottom - above.top, below.bottom - below.top))
    if em > 1.3 * small or em <= 0:  # a title over body text, or body text over a note in small print
        return False
    if above.x0 > block.left + settings.max_indent_em * em or below.x0 > above.x0 + settings.indent_em * em:
        return False
    # The line broke because the next line's first word did not fit in the room left.
    if block.right - above.x1 > _lead_width(below.text, em) + settings.wrap_slack_em * em:
        return False
    return page_break or below.top - above.bottom <= settings.line_gap_em * em


def _lead_width(text: str, em: float) -> float:
    """About how wide the first unbreakable piece of a line is: a Chinese character, or a run of Latin letters
    and digits (word processors do not break those), at a generous 0.6 em a character."""
    run = _LATIN_RUN.match(text)
    return 0.6 * em * len(run.group()) if run else em


# ---------------------------------------------------------------- the document


@dataclass
class _TableState:
    """Numbering of tables over the document, and the open table a next page may continue."""

    count: int = 0
    rows: int = 0
    open: Grid | None = None
    header: list[list[str]] = field(default_factory=list)


@dataclass
class _Output:
    """The document's lines and their locations, and the text line last written while the next may continue it."""

    lines: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    last: TextLine | None = None
    first_page: int = 0  # where the paragraph of `last` began
    last_page: int = 0
    block: TextBlock | None = None  # the text block of `last`'s page

    def add(self, text: str, location: str) -> None:
        """Write a line that starts afresh (a table row, or text that continues nothing)."""
        self.lines.append(text)
        self.locations.append(location)
        self.last = None


def assemble(pages: list[PageRead], settings: PdfSettings = DEFAULT_SETTINGS) -> tuple[str, list[str]]:
    """The document text and one location per line: "第p页" for text ("第p–q页" for a paragraph wrapped over a
    page break), "第p页 表n 第r行" for table rows."""
    out = _Output()
    state = _TableState()
    for page, block in zip(pages, text_blocks(pages), strict=True):
        for k, item in enumerate(page.items):
            if isinstance(item, TextLine):
                _write_text(out, item, page.number, block, settings)
                continue
            continued = k == 0 and _continues(state, item, settings)
            for row, where in _table_rows(state, item, page.number, continued):
                out.add(row, where)
        state.open = page.items[-1] if page.items and isinstance(page.items[-1], Grid) else None
    return "\n".join(out.lines) + "\n", out.locations


def _write_text(out: _Output, line: TextLine, page: int, block: TextBlock, settings: PdfSettings) -> None:
    """Write a text line: appended to the line above when it carries on that line's wrapped paragraph."""
    if _carries_on(out, line, page, settings):
        out.lines[-1] = join_text(out.lines[-1], line.text)
        out.locations[-1] = f"第{out.first_page}页" if page == out.first_page else f"第{out.first_page}–{page}页"
    else:
        out.add(line.text, f"第{page}页")
        out.first_page = page
    out.last, out.last_page, out.block = line, page, block


def _carries_on(out: _Output, line: TextLine, page: int, settings: PdfSettings) -> bool:
    """Whether a text line continues the text line written last, on the same page or the one after it."""
    if out.last is None or out.block is None or page - out.last_page not in (0, 1):
        return False
    return continues_paragraph(out.last, line, out.block, settings, page_break=page != out.last_page)


def _continues(state: _TableState, grid: Grid, settings: PdfSettings) -> bool:
    """A table at the top of a page continues the table that ended the previous page when their frames match."""
    prev = state.open
    if prev is None:
        return False
    tol = settings.frame_tolerance
    return abs(prev.x0 - grid.x0) <= tol and abs(prev.x1 - grid.x1) <= tol


def _table_rows(state: _TableState, grid: Grid, page: int, continued: bool) -> Iterator[tuple[str, str]]:
    """Each row of a grid as a tab-separated line with its location; a repeated header row is left out."""
    rows = grid.rows
    if continued:
        rows = _drop_repeated_header(rows, state.header)
    else:
        state.count += 1
        state.rows = 0
        state.header = rows[:3]
    for row in rows:
        state.rows += 1
        yield "\t".join(row), f"第{page}页 表{state.count} 第{state.rows}行"


def _drop_repeated_header(rows: list[list[str]], header: list[list[str]]) -> list[list[str]]:
    """Rows without the header rows that the page break repeated (Word's "repeat as header row")."""
    k = 0
    while k < len(header) and k < len(rows) and rows[k] == header[k]:
        k += 1
    return rows[k:]
