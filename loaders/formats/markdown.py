"""Read Markdown reports (as PDF and Word converters write them) into a Document.

Pipe tables become tab-separated rows: rule lines (|---|) go, empty cells stay, and broken tables (no leading or
trailing pipe, ragged rows) still read as tables. Some converters write tables with merged cells as HTML inside
the Markdown; those are laid out like tables of a web page. Headings lose their #, emphasis markers and backslash
escapes go; every other character stays.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from loaders import textio
from loaders.model import Document

from .grid import grid_lines
from .html import table_grid

_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"\s{0,3}#{1,6}(?![#])")
_EMPHASIS = re.compile(r"(\*\*|__)(\S(?:.*?\S)?)\1")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_PIPE = re.compile(r"(?<!\\)\|")
_BR = re.compile(r"<br\s*/?>", re.I)


def read_markdown(data: bytes, source: str) -> Document:
    """The report text of a Markdown file; ReportError naming the file when it is empty or not text."""
    text, encoding = textio.decode(data, source)
    lines = text.split("\n")
    rows = table_rows(lines)
    out = _Out()
    i = 0
    while i < len(lines):
        if lines[i].lstrip().lower().startswith("<table"):
            i = _html_table(lines, i, out)
        elif i in rows:
            if not _RULE.match(lines[i]):  # rule lines only mark the header off
                out.row(split_row(lines[i]), new_table=i - 1 not in rows)
            i += 1
        else:
            out.line(plain(lines[i]), f"第{i + 1}行")
            i += 1
    return Document("\n".join(out.text), out.locations, source_format="markdown", encoding=encoding)


class _Out:
    """Output lines and their locations, numbering tables and their rows."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.locations: list[str] = []
        self.tables = 0
        self.rows = 0

    def line(self, text: str, location: str) -> None:
        self.text.append(text)
        self.locations.append(location)

    def row(self, cells: list[str], new_table: bool) -> None:
        """A table row; the first row after a non-table line starts a new table."""
        if new_table or self.tables == 0:
            self.tables += 1
            self.rows = 0
        self.rows += 1
        self.line("\t".join(cells), f"表{self.tables} 第{self.rows}行")


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
    return _ESCAPE.sub(r"\1", _EMPHASIS.sub(r"\2", line))


def _without_closing_hashes(text: str) -> str:
    """A heading's text without the optional closing run of # (written with string methods: lines can be long)."""
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1].isspace()):
        return bare.rstrip()
    return text


def _html_table(lines: list[str], start: int, out: _Out) -> int:
    """An HTML <table> block inside the Markdown, read as a web page's table; returns the line after it."""
    end = start
    while end < len(lines) and "</table>" not in lines[end].lower():
        end += 1
    block = "\n".join(lines[start : end + 1])
    try:
        table = lxml.html.fragment_fromstring(block, create_parent="div").find(".//table")
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        table = None
    if table is None:
        out.line(plain(lines[start]), f"第{start + 1}行")
        return start + 1
    out.tables += 1
    for r, line in enumerate(grid_lines(table_grid(table)), start=1):
        out.line(line, f"表{out.tables} 第{r}行")
    out.rows = 0
    return end + 1
