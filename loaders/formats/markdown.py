"""Read Markdown reports (as PDF and Word converters write them) into a Document.

Pipe tables become tab-separated rows: rule lines (|---|) go, empty cells stay, and broken tables (no leading or
trailing pipe, ragged rows) still read as tables. Some converters write tables with merged cells as HTML inside
the Markdown; those are laid out like tables of a web page. Headings lose their #; emphasis markers, footnote references
([^1]) and backslash escapes go; every other character stays. A table printed as one small table per block of rows is
joined back, and rows of bare numbers get the labels printed as loose lines near them (`repair`).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from loaders import textio
from loaders.model import Document

from . import repair
from .grid import grid_cells
from .html import table_grid
from .repair import Entry

_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"\s{0,3}#{1,6}(?![#])")
_EMPHASIS = re.compile(r"(\*\*|__)(\S(?:.*?\S)?)\1")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_PIPE = re.compile(r"(?<!\\)\|")
_BR = re.compile(r"<br\s*/?>", re.I)
# A footnote reference ([^1]) marks a note, it is no figure; a definition ([^1]: text) opens a line and stays.
_FOOTNOTE_REF = re.compile(r"(?<!^)\[\^[^\]\s]{1,20}\](?!:)")


def read_markdown(data: bytes, source: str) -> Document:
    """The report text of a Markdown file; ReportError naming the file when it is empty or not text."""
    text, encoding = textio.decode(data, source)
    entries = _entries(text.split("\n"))
    entries = repair.join_mini_tables(entries)
    entries = repair.attach_loose_labels(entries)
    return Document(
        "\n".join(e.output() for e in entries),
        [e.location() for e in entries],
        source_format="markdown",
        encoding=encoding,
    )


def _entries(lines: list[str]) -> list[Entry]:
    """The file's lines as loose lines and table rows (rule lines go), tables numbered in order."""
    rows = table_rows(lines)
    out: list[Entry] = []
    tables = 0
    i = 0
    while i < len(lines):
        if lines[i].lstrip().lower().startswith("<table"):
            i, tables = _html_table(lines, i, out, tables)
        elif i in rows:
            if not _RULE.match(lines[i]):  # rule lines only mark the header off
                if i - 1 not in rows or tables == 0:  # the first row after a non-table line starts a new table
                    tables += 1
                out.append(Entry("row", i, cells=split_row(lines[i]), table=tables, row=_next_row(out, tables)))
            i += 1
        else:
            out.append(Entry("line", i, text=plain(lines[i]), heading=bool(_HEADING.match(lines[i]))))
            i += 1
    return out


def _next_row(entries: list[Entry], table: int) -> int:
    """The number the next row of `table` takes."""
    last = next((e for e in reversed(entries) if e.kind == "row"), None)
    return last.row + 1 if last is not None and last.table == table else 1


def table_rows(lines: list[str]) -> set[int]:
    """Indices of pipe-table lines: lines framed by pipes, rule lines, and piped lines next to either."""
    piped = {i for i, line in enumerate(lines) if _PIPE.search(line)}
    rows = {i for i in piped if _framed(lines[i])}
    grew = True
    while grew:  # a row without outer pipes belongs to the table it stands next to
        extra = {i for i in piped - rows if i - 1 in rows or i + 1 in rows}
        rows |= extra
        grew = bool(extra)
    return rows


def _framed(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") or stripped.endswith("|") or bool(_RULE.match(line))


def split_row(line: str) -> list[str]:
    """A pipe-table row's cells, empty ones kept; the outer pipes, when present, frame the row."""
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        stripped = stripped[:-1]
    return [plain(_BR.sub(" ", cell)).strip() for cell in _PIPE.split(stripped)]


def plain(line: str) -> str:
    """A line without Markdown markup: heading marks, bold markers and backslash escapes removed."""
    heading = _HEADING.match(line)
    if heading:
        line = _without_closing_hashes(line[heading.end() :].strip())
    return _ESCAPE.sub(r"\1", _EMPHASIS.sub(r"\2", _FOOTNOTE_REF.sub("", line)))


def _without_closing_hashes(text: str) -> str:
    """A heading's text without the optional closing run of # (written with string methods: lines can be long)."""
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1].isspace()):
        return bare.rstrip()
    return text


def _html_table(lines: list[str], start: int, out: list[Entry], tables: int) -> tuple[int, int]:
    """An HTML <table> block inside the Markdown, read as a web page's table; the line after it, the table count."""
    end = start
    while end < len(lines) and "</table>" not in lines[end].lower():
        end += 1
    block = "\n".join(lines[start : end + 1])
    try:
        table = lxml.html.fragment_fromstring(block, create_parent="div").find(".//table")
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        table = None
    if table is None:
        out.append(Entry("line", start, text=plain(lines[start])))
        return start + 1, tables
    tables += 1
    for r, cells in enumerate(grid_cells(table_grid(table)), start=1):
        out.append(Entry("row", start, cells=cells, table=tables, row=r))
    return end + 1, tables
