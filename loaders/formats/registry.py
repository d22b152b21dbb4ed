"""The input formats, written once: each format's kind (as sniff() names it), its name for people, the file name
extensions it comes with and its reader. The loader's folder walk, the 导入 page's uploader and every label derive
from this list; a file is still read by what its bytes are, the extension only lets it through the door."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One input format: kind, label, file name extensions (lower case, with the dot) and reader (module, function;
    None for plain text, which the package reads itself)."""

    kind: str
    label: str
    extensions: tuple[str, ...]
    reader: tuple[str, str] | None


FORMATS = (
    Format("text", "纯文本", (".txt", ".text"), None),
    Format("html", "网页（HTML）", (".html", ".htm", ".mht"), ("loaders.formats.html", "read_html")),
    Format(
        "markdown", "Markdown", (".md", ".markdown", ".mdown", ".mkd"), ("loaders.formats.markdown", "read_markdown")
    ),
    Format("docx", "Word（.docx）", (".docx",), ("loaders.formats.docx", "read_docx")),
    Format("pdf", "PDF", (".pdf",), ("loaders.formats.pdf", "read_pdf")),
    Format("xlsx", "Excel（.xlsx）", (".xlsx",), ("loaders.formats.xlsx", "read_xlsx")),
)
BY_KIND = {f.kind: f for f in FORMATS}
EXTENSIONS = tuple(e for f in FORMATS for e in f.extensions)  # every extension a report file may have
SUFFIXES = tuple(e.removeprefix(".") for e in EXTENSIONS)  # the same without the dot, as file pickers take them
READERS = {f.kind: f.reader for f in FORMATS if f.reader is not None}  # kind -> (module, function)
# what a stored report's source_format may be, in words: the formats, and the collection workbook (an .xlsx file
# the xlsx reader recognises as one report per row)
LABELS = {**{f.kind: f.label for f in FORMATS}, "collection": "汇总填报表（Excel）"}


def extensions_of(kind: str) -> tuple[str, ...]:
    """The file name extensions of one format."""
    return BY_KIND[kind].extensions
