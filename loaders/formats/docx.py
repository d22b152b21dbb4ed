"""Read Word (.docx) reports into a Document: paragraphs and tables in body order, a table row per tab-separated line.

The package is checked before anything is extracted (member count, declared sizes, compression ratio), so a zip
bomb is refused without being inflated; python-docx opens it with an XML parser that does not expand entities,
and a part that declares entities at all is refused, since Word never writes a DTD.

Merged cells: python-docx's `row.cells` repeats a merged cell's text in every grid position it covers (a label
merged down eight rows comes back eight times). The grid is rebuilt here from the XML instead: a cell's text
stands at its first grid position, and the positions it covers by `gridSpan`, `hMerge` or `vMerge="continue"` are
marked as covered; grid.py turns the grid into lines in which a merged label stands once and every empty cell keeps
its column.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from loaders.model import Document, ReportError

from .grid import NOTE_MARK, Covered, Slot, grid_lines
from .sniff import OLE2_SIGNATURE, ole_kind

MAX_INPUT_BYTES = 64 * 1024 * 1024
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # Word XML compresses 5-30x; far more means padding built to explode
RATIO_FLOOR_BYTES = 1024 * 1024  # small members may compress any amount: they cannot hurt
MAX_MEMBERS = 10_000
MAX_XML_BYTES = 32 * 1024 * 1024  # python-docx parses every XML part; a tree takes several times its text
MAX_GRID_COLUMNS = 64  # Word allows 63 columns; larger spans in the XML are damage or malice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _R, _T, _TBL, _TR, _TC = W + "p", W + "r", W + "t", W + "tbl", W + "tr", W + "tc"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_WORD_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
# Wrappers that hold paragraphs, rows or cells without being one: content controls and custom XML.
_WRAPPERS = (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag")
_SPACES = re.compile(r"[ \t\n]+")
# Properties (no shown text inside) and runs whose text is not shown: deleted or moved-away revisions, and the
# VML copy of a text box.
_UNSHOWN = (W + "pPr", W + "rPr", W + "del", W + "moveFrom", _MC_FALLBACK)
# Elements that stand for text, with the text each shows (a w:t its own); nothing inside one of them is shown.
_TEXT_TAGS = {W + "t": "", W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}
_ENCLOSING = frozenset((*_UNSHOWN, *_TEXT_TAGS))


def read_docx(data: bytes, source: str) -> Document:
    """The report text of a .docx file; ReportError naming the file for anything that is not a readable one."""
    check_package(data, source)
    element, numbering = _open_body(data, source)
    body = _Body(element, numbering)
    lines: list[str] = []
    locations: list[str] = []
    counts = {"p": 0, "tbl": 0}
    for block in _blocks(element, body):
        _add_block(block, body, counts, lines, locations)
    if not "".join(lines).strip():
        raise ReportError(
            source, "Word 文档中没有文字（可能只有扫描图片）", "the Word document holds no text (scanned images only?)"
        )
    return Document("\n".join(lines), locations, source_format="docx", encoding=None)


# --- the package: refuse bombs and damage before extracting -----------------------------------------


def check_package(data: bytes, source: str) -> None:
    """Refuse what is not a sound, reasonably sized ZIP package, reading only its central directory."""
    if not data:
        raise ReportError(source, "文件为空（0 字节）", "file is empty (0 bytes)")
    if data.startswith(OLE2_SIGNATURE):
        raise _ole_error(data, source)
    if len(data) > MAX_INPUT_BYTES:
        raise _too_large(len(data), MAX_INPUT_BYTES, source)
    infos = _zip_members(data, source)
    if len(infos) > MAX_MEMBERS:
        count = len(infos)
        raise ReportError(source, f"压缩包内文件过多（{count} 个）", f"too many members in the package ({count})")
    _check_sizes(infos, source)


def _zip_members(data: bytes, source: str) -> list[zipfile.ZipInfo]:
    """The members listed in the central directory; a truncated or damaged archive has none to list."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _damaged(source, exc) from exc


def _check_sizes(infos: list[zipfile.ZipInfo], source: str) -> None:
    """Declared sizes bound what inflating may produce (zipfile stops at them), so checking them is enough."""
    total = sum(i.file_size for i in infos)
    if total > MAX_EXPANDED_BYTES:
        mb, limit = total / 1024 / 1024, MAX_EXPANDED_BYTES // 1024 // 1024
        raise ReportError(
            source,
            f"文件解压后过大（{mb:.0f} MB，上限 {limit} MB），可能是恶意压缩包，已拒绝",
            f"the package would expand to {mb:.0f} MB (limit {limit} MB): refused as a possible zip bomb",
        )
    for info in infos:
        _check_member(info, source)


def _check_member(info: zipfile.ZipInfo, source: str) -> None:
    """Refuse an encrypted member, an XML part too large to parse, or a member compressed beyond reason."""
    if info.flag_bits & 0x1:
        raise _encrypted(source)
    if info.filename.endswith((".xml", ".rels")) and info.file_size > MAX_XML_BYTES:
        mb, limit = info.file_size / 1024 / 1024, MAX_XML_BYTES // 1024 // 1024
        raise ReportError(
            source,
            f"文档的 {info.filename} 过大（{mb:.0f} MB，上限 {limit} MB）",
            f"the document's {info.filename} is too large ({mb:.0f} MB, the limit is {limit} MB)",
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
        raise ReportError(
            source,
            f"压缩比异常（{info.filename} 压缩了 {ratio:.0f} 倍），可能是恶意压缩包，已拒绝",
            f"abnormal compression ratio ({info.filename} is {ratio:.0f}x compressed): refused as a zip bomb",
        )


def _open_body(data: bytes, source: str) -> tuple[etree._Element, Numbering]:
    """The <w:body> of the main document part and the document's list numbering."""
    from docx.opc.package import OpcPackage  # imported here: python-docx takes a moment to import

    try:
        package = OpcPackage.open(io.BytesIO(data))
        part = package.main_document_part
    except (KeyError, ValueError) as exc:  # no main document part, or no content type for it
        raise _not_word(source) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:  # a member's data fails its CRC or inflation
        raise _damaged(source, exc) from exc
    except etree.XMLSyntaxError as exc:
        raise _bad_xml(source, exc) from exc
    except Exception as exc:  # python-docx raises its own errors for other damage (missing relationships, ...)
        raise _damaged(source, exc) from exc
    if part.content_type not in _WORD_TYPES:
        raise _not_word(source)
    _refuse_dtds(package, source)
    body = part.element.find(W + "body")
    if body is None:
        raise _not_word(source)
    return body, Numbering.of(part)


def _refuse_dtds(package, source: str) -> None:
    """Refuse a package any XML part of which declares a DTD: the route to entity bombs and external entities."""
    for part in package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None and element.getroottree().docinfo.internalDTD is not None:
            raise _entities(source, str(part.partname))


def _entities(source: str, where: str) -> ReportError:
    return ReportError(
        source,
        f"文档的 {where} 含有 XML 实体声明（DTD，可用于“实体炸弹”攻击），Word 不会生成这种内容，已拒绝",
        f"the document's {where} declares XML entities (a DTD, the means of entity bombs), which Word never "
        "writes: refused",
    )


# --- body order -------------------------------------------------------------------------------------


def _blocks(container: etree._Element, body: _Body) -> Iterator[etree._Element]:
    """Paragraphs and tables in document order, looking through content controls, custom XML and layout tables."""
    for child in container:
        tag = child.tag
        if tag == _P:
            yield child
        elif tag == _TBL:
            if not is_layout_table(child, body):
                yield child
                continue
            for tr in _children(child, _TR):
                for tc in _children(tr, _TC):
                    yield from _blocks(tc, body)
        elif tag in _WRAPPERS:
            yield from _blocks(child, body)


def is_layout_table(tbl: etree._Element, body: _Body) -> bool:
    """A table that frames content rather than holding figures: a single cell, or cells holding tables.

    Reports pasted from web pages often arrive wrapped in such a frame; read as rows, the whole report would be
    one line.
    """
    if tbl in body.framing:
        return True
    cells = 0
    for tr in _children(tbl, _TR):
        for _ in _children(tr, _TC):
            cells += 1
            if cells > 1:
                return False
    return cells == 1


def _add_block(block: etree._Element, body: _Body, counts: dict, lines: list, locations: list) -> None:
    """Append a paragraph's lines or a table's rows, with where each came from."""
    if block.tag == _P:
        counts["p"] += 1
        text = body.paragraph(block)
        for line in text.split("\n"):
            lines.append(line)
            locations.append(f"第{counts['p']}段")
        return
    counts["tbl"] += 1
    for r, line in enumerate(grid_lines(table_grid(block, body)), start=1):
        lines.append(line)
        locations.append(f"表{counts['tbl']} 第{r}行")


# --- text of a paragraph ----------------------------------------------------------------------------


class _Body:
    """A document body, with what one pass over it finds: the shown text of every paragraph, the paragraphs that
    refer to a list, the span and merge marks of table cells, the grid columns table rows skip, and the tables
    that hold a table in one of their cells.

    lxml's iter() finds the elements these come from in document order in one pass in C, instead of a walk in
    Python over every element of every paragraph, a look into the properties of each paragraph, cell and row, and
    a search of each table for tables inside it.
    """

    def __init__(self, element: etree._Element, numbering: Numbering):
        self.element = element
        self._numbering = numbering
        self._texts: dict[etree._Element, str] = {}
        self._listed: set[etree._Element] = set()  # paragraphs whose properties may refer to a list
        self.cell_marks: dict[etree._Element, dict[str, etree._Element]] = {}  # cell -> its span and merge marks
        self.row_skips: dict[etree._Element, etree._Element] = {}  # row -> its first trPr/gridBefore
        self.framing: set[etree._Element] = set()  # tables holding a table inside one of their cells
        self._cell_paragraphs: dict[etree._Element, list[etree._Element]] = {}  # cell -> its paragraphs
        self._mixed_cells: set[etree._Element] = set()  # cells holding a table or wrapper besides paragraphs
        self._label_all = numbering.numbers_unlisted
        self._scan(numbering.reference_tags())

    def paragraph(self, p: etree._Element) -> str:
        """The list label and shown text of a paragraph of the body; the label counts the paragraph, so each is
        asked for once, in document order."""
        label = self._numbering.label(p) if self._label_all or p in self._listed else ""
        return label + self._texts[p]

    def cell_paragraphs(self, tc: etree._Element) -> list[etree._Element] | None:
        """The blocks of a cell that holds only paragraphs (no table, content control or custom XML): its
        paragraphs in order; None for any other cell."""
        return None if tc in self._mixed_cells else self._cell_paragraphs.get(tc, [])

    def _scan(self, reference_tags: tuple[str, ...]) -> None:
        """Gather paragraph texts, list references, cells' paragraphs, cell and row marks and framing tables.

        Text: the paragraphs that no other paragraph holds (the paragraphs of a text box belong to the paragraph
        the box stands in), tabs as tabs, line breaks as newlines, hidden and deleted text and superscript note
        marks left out. A text element belongs to the last paragraph found outside every other, if that paragraph
        holds it.
        """
        found: dict[etree._Element, list[etree._Element]] = {}
        marked: set[etree._Element] = set()  # runs with a vanish or vertAlign property
        outside: set[etree._Element] = set()  # elements known to stand outside every paragraph
        current: list[etree._Element] = []
        tables: list[etree._Element] = []
        tags = (_P, *_TEXT_TAGS, W + "vanish", W + "vertAlign", _TBL, *_CELL_MARKS, _GRID_BEFORE, *_WRAPPERS)
        for el in self.element.iter(*tags, *reference_tags):
            tag = el.tag
            if tag in _TEXT_TAGS:
                current.append(el)
            elif tag == _P:
                parent = el.getparent()
                if parent in outside or _outside_paragraphs(parent, outside):
                    current = found[el] = []
                    if parent.tag == _TC:
                        self._cell_paragraphs.setdefault(parent, []).append(el)
            elif tag in _CELL_MARKS:
                props = el.getparent()
                cell = props.getparent() if props.tag == W + "tcPr" else None
                if cell is not None and cell.tag == _TC:
                    self.cell_marks.setdefault(cell, {}).setdefault(tag, el)
            elif tag == _GRID_BEFORE:
                props = el.getparent()
                row = props.getparent() if props.tag == W + "trPr" else None
                if row is not None and row.tag == _TR:
                    self.row_skips.setdefault(row, el)
            elif tag == _TBL or tag in _WRAPPERS:
                if tag == _TBL:
                    tables.append(el)
                if el.getparent().tag == _TC:
                    self._mixed_cells.add(el.getparent())
            elif tag in reference_tags:
                props = el.getparent()
                if props.tag == W + "pPr":
                    self._listed.add(props.getparent())
            else:
                props = el.getparent()
                run = props.getparent() if props.tag == W + "rPr" else None
                if run is not None and run.tag == _R:
                    marked.add(run)
        for p, elements in found.items():
            parts = []
            for el in elements:
                run = el.getparent()
                if run.getparent() is p and run.tag == _R and run not in marked:  # the usual: a plain run's text
                    tag = el.tag
                    parts.append((el.text or "") if tag == _T else _TEXT_TAGS[tag])
                else:
                    parts.append(_shown_text(el, p, marked))
            self._texts[p] = "".join(parts)
        for table in tables:
            self.framing.update(_framing_tables(table))


def _framing_tables(table: etree._Element) -> list[etree._Element]:
    """The tables around `table` that hold it inside one of their cells."""
    out = []
    in_cell = False
    node = table.getparent()
    while node is not None:
        if node.tag == _TC:
            in_cell = True
        elif node.tag == _TBL and in_cell:
            out.append(node)
        node = node.getparent()
    return out


def _outside_paragraphs(node: etree._Element | None, outside: set[etree._Element]) -> bool:
    """True when neither `node` nor any element around it is a paragraph; what is found so is remembered."""
    chain = []
    while node is not None and node not in outside:
        if node.tag == _P:
            return False
        chain.append(node)
        node = node.getparent()
    outside.update(chain)
    return True


def _shown_text(el: etree._Element, p: etree._Element, marked: set[etree._Element]) -> str:
    """The text a text element shows in paragraph `p`: "" when `p` does not hold it or when something between
    them hides it (properties, a deleted revision, a VML fallback, another text element, a hidden or note-mark
    run)."""
    run = el.getparent()
    if run.tag != _R or run in marked or run.getparent() is not p:  # not the usual run in the paragraph
        node = run
        while node is not p:
            if node is None or node.tag in _ENCLOSING:
                return ""
            if node in marked and (_hidden_run(node) or _note_mark_run(node)):
                return ""
            node = node.getparent()
    tag = el.tag
    return (el.text or "") if tag == _T else _TEXT_TAGS[tag]


def _hidden_run(el: etree._Element) -> bool:
    """A run formatted as hidden text (w:vanish), which Word does not print."""
    if el.tag != _R:
        return False
    vanish = el.find(f"{W}rPr/{W}vanish")
    return vanish is not None and vanish.get(W + "val", "true") not in ("0", "false", "off")


def _note_mark_run(el: etree._Element) -> bool:
    """A superscript run holding only a note mark ("1", "[2]", "*"), which points to a note and states no figure."""
    if el.tag != _R:
        return False
    align = el.find(f"{W}rPr/{W}vertAlign")
    if align is None or align.get(W + "val") != "superscript":
        return False
    return bool(NOTE_MARK.fullmatch("".join(t.text or "" for t in el.iter(_T))))


# --- tables -----------------------------------------------------------------------------------------


def table_grid(tbl: etree._Element, body: _Body) -> list[list[Slot]]:
    """Each row's cells by grid position: a merged cell's text at its first position, the positions it covers marked."""
    grid: list[list[Slot]] = []
    above: dict[int, str] = {}  # grid column -> text of the cell that a vertical merge there continues
    for tr in _children(tbl, _TR):
        grid.append(_row_cells(tr, body, above))
    return grid


def _row_cells(tr: etree._Element, body: _Body, above: dict[int, str]) -> list[Slot]:
    """One row: leading grid positions the row skips (empty), then every cell over the columns it spans."""
    skip = body.row_skips.get(tr)
    cells: list[Slot] = [] if skip is None else [""] * max(0, min(_int_prop(skip, 0), MAX_GRID_COLUMNS))
    for tc in _children(tr, _TC):
        marks = body.cell_marks.get(tc)
        if marks is None:  # the common cell: one column, no merge
            text = cell_text(tc, body)
            above[len(cells)] = text
            cells.append(text)
            continue
        span = max(1, min(_int_prop(marks.get(_GRID_SPAN), 1), MAX_GRID_COLUMNS))
        col = len(cells)
        if _continues(marks.get(_V_MERGE)):
            cells += [Covered(above.get(col + j, ""), j == 0) for j in range(span)]
            continue
        if _continues(marks.get(_H_MERGE)):
            origin = cells[-1] if cells else ""
            cells += [Covered(origin.text if isinstance(origin, Covered) else origin)] * span
            continue
        text = cell_text(tc, body)
        cells.append(text)
        if span > 1:
            cells += [Covered(text)] * (span - 1)
        for j in range(span):
            above[col + j] = text
    return cells


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Child elements with this tag, looking through content controls and custom XML."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


_GRID_SPAN, _V_MERGE, _H_MERGE = W + "gridSpan", W + "vMerge", W + "hMerge"
# A cell's span and merge marks: by tag, the first of each among the children of its tcPr elements.
_CELL_MARKS = (_GRID_SPAN, _V_MERGE, _H_MERGE)
_GRID_BEFORE = W + "gridBefore"


def _continues(mark: etree._Element | None) -> bool:
    """True for a cell whose vMerge or (old-style) hMerge mark continues a merge."""
    return mark is not None and mark.get(W + "val", "continue") == "continue"


def _int_prop(el: etree._Element | None, default: int) -> int:
    """The w:val of a numeric property element, or the default when absent or malformed."""
    return default if el is None else _as_int(el.get(W + "val"), default)


def cell_text(tc: etree._Element, body: _Body) -> str:
    """A cell's paragraphs (and any nested table) on one line: breaks and tabs inside a cell become spaces."""
    paragraphs = body.cell_paragraphs(tc)
    if paragraphs is not None:  # the common cell: paragraphs only
        return _SPACES.sub(" ", " ".join([body.paragraph(p) for p in paragraphs])).strip()
    pieces: list[str] = []
    for block in _blocks(tc, body):
        if block.tag == _P:
            pieces.append(body.paragraph(block))
        else:
            pieces += [" ".join(c for c in row if c) for row in table_grid(block, body)]
    return _SPACES.sub(" ", " ".join(pieces)).strip()


# --- list numbering ---------------------------------------------------------------------------------

_RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_LABEL_ENDS = "、.．:：)）]】"


@dataclass(frozen=True)
class _Level:
    """One level of a list definition: its first number, number format and label pattern ("%1、")."""

    start: int
    fmt: str
    text: str


class Numbering:
    """List labels ("一、", "（二）", "3.") that Word computes when it lays out the page; the XML holds no such text.

    Section headings are often automatic list items, and without their numerals the parser could not find them.
    Counting follows Word's common case: one counter per list definition, deeper levels restart under a new item.
    """

    def __init__(self, nums: dict[str, _Num], levels: dict[str, dict[int, _Level]], styles: dict[str, tuple]):
        self._nums = nums
        self._levels = levels  # abstractNumId -> ilvl -> level
        self._styles = styles  # paragraph style id -> (numId, ilvl)
        self._counters: dict[str, dict[int, int]] = {}

    @classmethod
    def of(cls, part) -> Numbering:
        """The numbering definitions of a main document part (none when it has no numbering part)."""
        root = _related_root(part, _RT_NUMBERING)
        if root is None:
            return cls({}, {}, {})
        nums = {n.get(W + "numId"): _num(n) for n in root.iter(W + "num")}
        levels = {a.get(W + "abstractNumId"): _levels(a) for a in root.iter(W + "abstractNum")}
        return cls(nums, levels, _style_numbering(_related_root(part, _RT_STYLES)))

    def reference_tags(self) -> tuple[str, ...]:
        """The paragraph properties through which a paragraph refers to one of these lists: numPr, and pStyle when
        a paragraph style numbers its paragraphs; none when there are no lists."""
        if not self._nums:
            return ()
        return (W + "numPr", W + "pStyle") if self._styles else (W + "numPr",)

    @property
    def numbers_unlisted(self) -> bool:
        """Whether a paragraph that names neither a list nor a paragraph style can still be labelled: only through
        a list or a numbered style with an empty id."""
        return bool(self._nums) and ("" in self._nums or "" in self._styles)

    def label(self, p: etree._Element) -> str:
        """The label Word shows before this paragraph, counting it; "" for paragraphs outside a numbered list."""
        num_id, ilvl = self._reference(p)
        num = self._nums.get(num_id or "")
        levels = self._levels.get(num.abstract, {}) if num else {}
        if num is None or ilvl not in levels or levels[ilvl].fmt in ("bullet", "none"):
            return ""
        # Lists sharing a definition continue one count, unless a list restarts it (a start override).
        counters = self._counters.setdefault(num_id if num.starts else num.abstract, {})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else num.starts.get(ilvl, levels[ilvl].start)
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        label = _fill(levels[ilvl].text, counters, levels)
        return label if not label or label[-1] in _LABEL_ENDS else label + " "

    def _reference(self, p: etree._Element) -> tuple[str | None, int]:
        """The (numId, level) a paragraph points at, directly or through its paragraph style."""
        ppr = p.find(W + "pPr")
        if ppr is None:
            return None, 0
        style = self._styles.get(_val(ppr.find(W + "pStyle")) or "", (None, 0))
        num_id = _val(ppr.find(f"{W}numPr/{W}numId")) or style[0]
        ilvl = _val(ppr.find(f"{W}numPr/{W}ilvl"))
        return (None if num_id == "0" else num_id), (_as_int(ilvl, 0) if ilvl else style[1])


@dataclass(frozen=True)
class _Num:
    """A list instance: the definition it uses and the levels it restarts at a given number."""

    abstract: str
    starts: dict[int, int]


def _num(num: etree._Element) -> _Num:
    """A <w:num>: its abstract definition and its start overrides."""
    starts = {}
    for override in num.iter(W + "lvlOverride"):
        start = _val(override.find(W + "startOverride"))
        if start is not None:
            starts[_as_int(override.get(W + "ilvl"), 0)] = _as_int(start, 1)
    return _Num(_val(num.find(W + "abstractNumId")) or "", starts)


def _related_root(part, reltype: str) -> etree._Element | None:
    """The XML root of the part related to `part` by `reltype`, if there is one."""
    try:
        related = part.part_related_by(reltype)
    except KeyError:
        return None
    return getattr(related, "_element", None)


def _levels(abstract: etree._Element) -> dict[int, _Level]:
    """The levels of one abstract list definition."""
    out = {}
    for lvl in abstract.iter(W + "lvl"):
        props: dict = {}
        for child in lvl:  # the first child of each tag, in one pass instead of a search per property
            props.setdefault(child.tag, child)
        fmt = _val(props.get(W + "numFmt")) or "decimal"
        start = _as_int(_val(props.get(W + "start")), 1)
        out[_as_int(lvl.get(W + "ilvl"), 0)] = _Level(start, fmt, _val(props.get(W + "lvlText")) or "")
    return out


# The styles (this element and those below it, in document order) that hold a pPr/numPr/numId: a search in C that
# spares a path search in Python in each of the hundreds of styles a document can define.
_NUMBERED_STYLES = etree.XPath("descendant-or-self::w:style[w:pPr/w:numPr/w:numId]", namespaces={"w": W[1:-1]})


def _style_numbering(styles: etree._Element | None) -> dict[str, tuple[str, int]]:
    """Paragraph styles that number their paragraphs (heading styles often do): style id -> (numId, level)."""
    out: dict[str, tuple[str, int]] = {}
    for style in [] if styles is None else _NUMBERED_STYLES(styles):  # a style without numId numbers nothing
        num_id = _val(style.find(f"{W}pPr/{W}numPr/{W}numId"))
        if num_id:
            out[style.get(W + "styleId", "")] = (num_id, _as_int(_val(style.find(f"{W}pPr/{W}numPr/{W}ilvl")), 0))
    return out


def _fill(pattern: str, counters: dict[int, int], levels: dict[int, _Level]) -> str:
    """A label pattern with each %N replaced by level N's counter in that level's format."""
    out = pattern
    for k in range(9, 0, -1):  # %1 must not eat the start of a (hypothetical) %10
        if f"%{k}" in out:
            level = levels.get(k - 1)
            n = counters.get(k - 1, level.start if level else 1)
            out = out.replace(f"%{k}", format_number(n, level.fmt if level else "decimal"))
    return out


def format_number(n: int, fmt: str) -> str:
    """A list counter in one of Word's number formats (the ones Chinese reports use; others as digits)."""
    if fmt.startswith(("chineseCounting", "japaneseCounting", "taiwaneseCounting", "ideographDigital")):
        return chinese_numeral(n)
    if fmt == "chineseLegalSimplified":
        return chinese_numeral(n).translate(str.maketrans(_CN_DIGITS, _CN_LEGAL))
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _STEMS[n - 1]
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt in ("lowerLetter", "upperLetter") and n >= 1:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 1 <= n < 4000:
        return _roman(n).lower() if fmt == "lowerRoman" else _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def chinese_numeral(n: int) -> str:
    """一, 十, 十二, 二十三, 一百零五: counting numerals as list labels print them."""
    if n < 10:
        return _CN_DIGITS[max(n, 0)]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + _CN_DIGITS[rest] if rest < 10 else _cn_tens(rest))
    return chinese_numeral(n // 100) + "百" + tail


def _cn_tens(n: int) -> str:
    """10-99 inside a larger number, where 10-19 keep their 一 (一百一十二)."""
    return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L")):
        out, n = out + letters * (n // value), n % value
    for value, letters in ((40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        out, n = out + letters * (n // value), n % value
    return out


def _val(el: etree._Element | None) -> str | None:
    """The w:val attribute of an element, if both exist."""
    return None if el is None else el.get(W + "val")


def _as_int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


# --- errors -----------------------------------------------------------------------------------------


def _damaged(source: str, exc: Exception) -> ReportError:
    return ReportError(
        source,
        f"文件已损坏或不完整，无法作为 Word（.docx）文件打开（{exc}）",
        f"the file is damaged or incomplete and cannot be opened as a Word (.docx) file ({exc})",
    )


def _not_word(source: str) -> ReportError:
    return ReportError(
        source,
        "不是 Word 文档（.docx）：压缩包里没有 Word 正文",
        "not a Word (.docx) document: the package holds no Word document body",
    )


def _bad_xml(source: str, exc: etree.XMLSyntaxError) -> ReportError:
    if "entity" in str(exc).lower():  # libxml2 itself refuses entity bombs past its amplification limit
        return _entities(source, "XML")
    return ReportError(
        source,
        f"Word 文件内容损坏，XML 无法解析（{exc}）",
        f"the Word file is damaged: its XML cannot be parsed ({exc})",
    )


def _encrypted(source: str) -> ReportError:
    return ReportError(
        source,
        "文件设有密码（已加密），请在 Word 或 WPS 中取消密码并另存为 .docx 后再导入",
        "the file is password-protected: remove the password in Word or WPS, save it as .docx and import that",
    )


def _ole_error(data: bytes, source: str) -> ReportError:
    """An OLE2 compound file handed to the .docx reader: encrypted Office Open XML, or an old binary file."""
    if ole_kind(data) == "encrypted":
        return _encrypted(source)
    return ReportError(
        source,
        "这是旧版 Word（.doc）或 WPS 文件，请用 Word 或 WPS 另存为 .docx 后再导入",
        "this is an old binary Word (.doc) or WPS file: save it as .docx in Word or WPS and import that",
    )


def _too_large(size: int, limit: int, source: str) -> ReportError:
    mb, limit_mb = size / 1024 / 1024, limit // 1024 // 1024
    zh = f"文件太大：{mb:.1f} MB，上限为 {limit_mb} MB"
    return ReportError(source, zh, f"file is too large: {mb:.1f} MB, the limit is {limit_mb} MB")
