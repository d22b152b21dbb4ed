"""Read web-page reports (.html, .htm, and .mht single-file pages) into a Document.

The page is decoded by its byte order mark or declared charset (GB2312 and GBK pages are read as GB18030, their
superset), parsed with lxml's HTML parser, which copes with broken markup, and stripped of scripts, styles,
navigation, headers and footers. The article is the deepest element that still holds most of the page's Chinese
text outside links: menus are links, and a footer or sidebar is small beside the report. Block elements become
lines; tables become one tab-separated line per row, with rowspan and colspan laid out on a grid (see grid.py: a
merged label stands once, every other empty cell keeps its column). Word's HTML residue (<o:p>, mso styles,
conditional comments) adds nothing.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from loaders import textio
from loaders.model import Document, ReportError

from .grid import NOTE_MARK, Covered, Slot, grid_lines

MAX_DEPTH = 2048  # libxml2's nesting limit with huge_tree; deeper pages would be cut off silently
ARTICLE_SHARE = 0.8  # the article holds at least this share of the page's Chinese text outside links
LAYOUT_CELL_CHARS = 300  # a table with a cell this long is page layout, not a data table
MAX_COLSPAN, MAX_ROWSPAN = 1000, 65534  # the HTML standard's own limits

_DROP = (
    "script", "style", "noscript", "template", "head", "nav", "header", "footer", "aside", "iframe", "frame",
    "object", "embed", "svg", "canvas", "select", "button", "input", "textarea", "map", "audio", "video", "xml",
)  # fmt: skip
_BLOCKS = frozenset(
    (
        "address", "article", "blockquote", "body", "caption", "center", "dd", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "html", "li", "main", "ol", "p",
        "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    )
)  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all|visibility\s*:\s*hidden", re.I)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_FIGURE = re.compile(r"^\s*[增减+-]?\d[\d,.]*\s*$")
_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0]+")
_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.I)
_MIME_HEADERS = (b"mime-version:", b"from:", b"subject:", b"date:")  # how saved .mht files begin
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# Charset labels pages declare for Chinese text; all of them are read with GB18030, which contains them all.
_GB_LABELS = ("gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "cp936", "ms936", "csgb2312", "euc-cn", "gb18030")


def read_html(data: bytes, source: str) -> Document:
    """The report text of a web page; ReportError naming the file when it holds no readable page."""
    if not data:
        raise ReportError(source, "文件为空（0 字节）", "file is empty (0 bytes)")
    textio.check_size(len(data), source)
    data = unwrap_mht(data)
    text, encoding = decode_html(data, source)
    root = parse_page(text, source)
    lines = _Lines()
    _title_line(root, lines)  # before cleaning, which drops <head>
    clean(root)
    walk(article_root(root), lines)
    if not "".join(lines.text).strip():
        raise ReportError(source, "网页中没有正文文字", "the web page holds no text")
    return Document("\n".join(lines.text), lines.locations, source_format="html", encoding=encoding)


# --- bytes to text ----------------------------------------------------------------------------------


def unwrap_mht(data: bytes) -> bytes:
    """The HTML part of a single-file web page (.mht, MIME multipart/related); other bytes come back unchanged."""
    head = data[:2048].lower()
    if b"multipart/related" not in head or not head.lstrip().startswith(_MIME_HEADERS):
        return data
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            return _with_charset(payload, charset) if charset else payload
    return data


def _with_charset(payload: bytes, charset: str) -> bytes:
    """HTML from a MIME part whose charset the headers name: recoded to UTF-8 so the page decodes the same way."""
    codec = _codec(charset)
    if codec is None:
        return payload
    text = payload.decode(codec, errors="replace")
    return b'<meta charset="utf-8">' + text.encode("utf-8")


def decode_html(data: bytes, source: str) -> tuple[str, str]:
    """Decode a page by BOM, then its declared charset (<meta charset>, http-equiv, <?xml encoding>), else as text."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return textio.normalise(data[len(bom) :].decode(codec, errors="replace")), codec
    declared = declared_charset(data[:8192])
    if declared:
        found = _decode_declared(data, declared)
        if found:
            return found
    return textio.decode(data, source)


def declared_charset(head: bytes) -> str | None:
    """The codec a page declares for itself, if Python knows it; GB2312 and GBK declarations give GB18030."""
    match = _XML_ENCODING.search(head) or _CHARSET.search(head)
    return _codec(match.group(1).decode("ascii")) if match else None


def _codec(label: str) -> str | None:
    """Python's codec name for a charset label, or None for labels it does not know."""
    label = label.strip().lower()
    if label in _GB_LABELS:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decode_declared(data: bytes, codec: str) -> tuple[str, str] | None:
    """Decode with the declared codec, except that bytes valid as UTF-8 are UTF-8.

    Pages still declaring GBK after a site moved to UTF-8 are common, and GB18030 would read their UTF-8 bytes
    without error, as mojibake; real GBK text, on the other hand, is almost never valid UTF-8.
    """
    if not codec.startswith(("utf-16", "utf-32")):
        try:
            return textio.normalise(data.decode("utf-8")), "utf-8"
        except UnicodeDecodeError:
            pass
    try:
        return textio.normalise(data.decode(codec)), codec
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
    if text.count("\ufffd") > 0.01 * len(text):
        return None  # the declaration does not fit: let the text decoder guess
    return textio.normalise(text), codec


# --- parsing and cleaning ---------------------------------------------------------------------------


def parse_page(text: str, source: str) -> etree._Element:
    """The page's element tree; pages nested deeper than libxml2 can hold are refused rather than cut short."""
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=False)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ReportError(source, f"网页无法解析（{exc}）", f"the web page cannot be parsed ({exc})") from exc
    if any("Excessive depth" in e.message for e in parser.error_log):
        raise ReportError(
            source,
            f"网页元素嵌套过深（超过 {MAX_DEPTH} 层），无法完整读取",
            f"the page nests its elements too deeply (over {MAX_DEPTH} levels) to be read completely",
        )
    return root


def clean(root: etree._Element) -> None:
    """Remove what is not the report: scripts, styles, navigation, page frames, controls, hidden parts, note marks."""
    doomed = [el for el in root.iter(*_DROP)]
    doomed += [el for el in root.iter() if isinstance(el.tag, str) and _HIDDEN_STYLE.search(el.get("style", ""))]
    doomed += [el for el in root.iter("sup") if NOTE_MARK.fullmatch(el.text_content())]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _title_line(root: etree._Element, lines: _Lines) -> None:
    """The page title first: the report's name often stands only there, outside the article."""
    title = root.find(".//title")
    text = _SPACE.sub(" ", title.text_content()).strip() if title is not None else ""
    if text:
        lines.text.append(text)
        lines.locations.append("标题")


# --- finding the article ----------------------------------------------------------------------------


def article_root(root: etree._Element) -> etree._Element:
    """The article: the deepest element holding most of the page's Chinese text, widened to every table of figures."""
    body = root.find("body")
    body = root if body is None else body
    counts = _cjk_outside_links(body)
    total = counts.get(body, 0)
    best = body
    for el in body.iter():
        if counts.get(el, 0) >= ARTICLE_SHARE * total > 0:
            best = el  # elements meeting the share form one chain; document order reaches the deepest last
    # Prose can outweigh the tables that hold the report's numbers; those must not be left outside.
    for table in body.iter("table"):
        if best not in table.iterancestors() and _holds_figures(table):
            best = _common_ancestor(best, table)
    return best


def _holds_figures(table: etree._Element) -> bool:
    """A data table with at least one cell that is a number."""
    return is_data_table(table) and any(_FIGURE.match(c.text_content()) for c in _cells_of(table))


def _common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element:
    """The nearest element that contains both (or is one of them)."""
    lineage = {a, *a.iterancestors()}
    return next(el for el in (b, *b.iterancestors()) if el in lineage)


def _cjk_outside_links(body: etree._Element) -> dict[etree._Element, int]:
    """For every element, how many Chinese characters it holds outside <a> elements (computed without recursion)."""
    order = [el for el in body.iter() if isinstance(el.tag, str)]
    in_link = {body: body.tag == "a"}
    for el in order[1:]:
        in_link[el] = el.tag == "a" or in_link.get(el.getparent(), False)
    counts: dict[etree._Element, int] = {}
    for el in reversed(order):
        own = 0 if in_link[el] else _cjk_count(el.text) + sum(_cjk_count(c.tail) for c in el)
        counts[el] = own + sum(counts.get(c, 0) for c in el)
    return counts


def _cjk_count(text: str | None) -> int:
    return len(_CJK.findall(text)) if text else 0


# --- text and tables --------------------------------------------------------------------------------


@dataclass
class _Lines:
    """Lines of output with their locations, and the line being built from inline text."""

    text: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    tables: int = 0

    def add(self, text: str | None) -> None:
        """Inline text: runs of white space (&nbsp; too) count as one space, as a browser shows them."""
        if text:
            self.pending.append(_SPACE.sub(" ", text))

    def flush(self) -> None:
        """End the current line (a block element started or ended, or a <br>)."""
        line = "".join(self.pending).strip()
        self.pending.clear()
        if line:
            self.text.append(line)
            self.locations.append("正文")


def walk(root: etree._Element, lines: _Lines, in_cell: bool = False) -> None:
    """Lines of an element's content, depth first with an explicit stack (pages can nest thousands deep)."""
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        if closing:
            _close(el, root, lines)
            continue
        if not isinstance(el.tag, str):  # comments (Word's conditional comments too) and processing instructions
            _tail(el, root, lines)
        elif el.tag == "br":
            lines.flush()
            _tail(el, root, lines)
        elif el.tag == "table" and not in_cell and is_data_table(el):
            lines.flush()
            _emit_table(el, lines)
            _tail(el, root, lines)
        else:
            if el.tag in _BLOCKS:
                lines.flush()
            lines.add(el.text)
            stack.append((el, True))
            stack.extend((child, False) for child in reversed(el))
    lines.flush()


def _close(el: etree._Element, root: etree._Element, lines: _Lines) -> None:
    """After an element's content: end its line if it is a block, then continue with its tail text."""
    if el.tag in _BLOCKS:
        lines.flush()
    _tail(el, root, lines)


def _tail(el: etree._Element, root: etree._Element, lines: _Lines) -> None:
    """Text after an element belongs to its parent: the root's own tail lies outside what is read."""
    if el is not root:
        lines.add(el.tail)


def is_data_table(table: etree._Element) -> bool:
    """A table of figures rather than page layout: no nested table and no cell as long as an article."""
    if any(True for _ in table.iterdescendants("table")):
        return False
    return all(len(cell.text_content()) <= LAYOUT_CELL_CHARS for cell in _cells_of(table))


def _rows_of(table: etree._Element) -> list[etree._Element]:
    """The table's own rows, inside thead/tbody/tfoot or directly under it, in order."""
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows += [r for r in child if r.tag == "tr"]
    return rows


def _cells_of(table: etree._Element) -> list[etree._Element]:
    return [c for row in _rows_of(table) for c in row if c.tag in ("td", "th")]


def table_grid(table: etree._Element) -> list[list[Slot]]:
    """Rows of cell texts with rowspan and colspan laid out: a cell's text at its first position, the rest covered."""
    rows = _rows_of(table)
    covered: dict[tuple[int, int], Covered] = {}
    widths = [0] * len(rows)
    texts: list[dict[int, str]] = [{} for _ in rows]
    for r, row in enumerate(rows):
        col = 0
        for cell in (c for c in row if c.tag in ("td", "th")):
            while (r, col) in covered:
                col += 1
            rowspan = min(_span(cell, "rowspan", MAX_ROWSPAN, len(rows) - r), len(rows) - r)
            colspan = _span(cell, "colspan", MAX_COLSPAN, 1)
            texts[r][col] = cell_text(cell)
            for i in range(rowspan):
                covered.update(((r + i, col + j), Covered(texts[r][col], i > 0 and j == 0)) for j in range(colspan))
                widths[r + i] = max(widths[r + i], col + colspan)
            col += colspan
    return [[texts[r].get(c, covered.get((r, c), "")) for c in range(widths[r])] for r in range(len(rows))]


def _span(cell: etree._Element, name: str, limit: int, zero: int) -> int:
    """A rowspan/colspan attribute as browsers read it: bad values are 1, 0 means `zero` (rowspan: to the end)."""
    match = re.match(r"\s*(\d+)", cell.get(name, "1"))
    if not match:
        return 1
    value = int(match.group(1))
    return min(zero if value == 0 else value, limit)


def cell_text(cell: etree._Element) -> str:
    """A cell's content on one line: its blocks and breaks joined by spaces; an &nbsp;-only cell is empty."""
    inner = _Lines()
    walk(cell, inner, in_cell=True)
    return " ".join(inner.text).strip()


def _emit_table(table: etree._Element, lines: _Lines) -> None:
    """The caption, then one tab-separated line per row of a data table, located by table and row number."""
    lines.tables += 1
    for caption in table.iterchildren("caption"):
        lines.add(cell_text(caption))
        lines.flush()
    for r, line in enumerate(grid_lines(table_grid(table)), start=1):
        lines.text.append(line)
        lines.locations.append(f"表{lines.tables} 第{r}行")
