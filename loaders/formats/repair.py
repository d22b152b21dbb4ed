"""Put back together tables that converters broke apart, on a reader's loose lines and table rows.

OCR and PDF converters often emit a table as one small table per block of rows, each repeating the header, and
print a row's wrapped label as loose lines away from its row of numbers. Both repairs give back the canonical
form the table extractor reads: one table row per line, its label first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.keys import SECTION2_ROWS, SECTION3_ROWS
from loaders.sections import find_sections
from loaders.tokens import tokenize

# The template rows (section 二 or 三) by the words that name them: a loose label must name one.
_ROW_WORDS: dict[str, tuple[str, ...]] = {
    **{r.metric: r.keywords for rows in SECTION3_ROWS.values() for r in rows},
    **{r.label: r.keywords for rows in SECTION2_ROWS.values() for r in rows},
}
# Item markers at the start of a label, by depth: 一、 → （一） → 1. → （1）/①.
_MARKERS = (
    re.compile(r"[一二三四五六七八九十]+\s*[、.．]"),
    re.compile(r"[（(]\s*[一二三四五六七八九十]+\s*[）)]"),
    re.compile(r"\d{1,2}\s*[.．、](?!\d)"),
    re.compile(r"[（(]\s*\d{1,2}\s*[）)]|[①-⑳]"),
)
_LABEL_MAX = 60  # no template label is longer; a longer loose line is prose
_SENTENCE_END = ("。", "；", ";")
_NOTE_STARTS = ("注", "说明", "备注")


@dataclass
class Entry:
    """A reader's output line: a loose line of text or a table row (cells), and where it came from."""

    kind: str  # line | row
    index: int  # 0-based line of the file it starts on
    text: str = ""
    cells: list[str] = field(default_factory=list)
    table: int = 0
    row: int = 0
    heading: bool = False
    consumed: bool = False  # a loose label moved onto its row, or a row joined onto the row beside it
    beside: list[str] = field(default_factory=list)  # where cells joined on from a table beside it stood

    def output(self) -> str:
        """The line as the table extractor reads it: cells tab-separated."""
        return "\t".join(self.cells) if self.kind == "row" else self.text

    def location(self) -> str:
        """Where the line stands in the file: its table and row, or its line."""
        if self.kind != "row":
            return f"第{self.index + 1}行"
        return "、".join([f"表{self.table} 第{self.row}行", *self.beside])


# ---------------------------------------------------------------- one table per block of rows


def join_mini_tables(entries: list[Entry]) -> list[Entry]:
    """One table again from one printed block by block: repeated headers go, column blocks join by row label.

    A table's header row that repeats the column headers of the table before is dropped, its first cell kept as a
    loose line when it titles the block (blocks of rows); a table printed right after another with the same row
    labels holds more columns of the same rows (blocks of columns).
    """
    _join_column_blocks(entries)
    out: list[Entry] = []
    last_header: list[str] | None = None
    for e in entries:
        if e.consumed:
            continue
        if e.kind == "row" and e.row == 1 and _labels_only(e.cells):
            if last_header is not None and _filled(e.cells[1:]) == _filled(last_header[1:]):
                if e.cells[0].strip() and e.cells[0].strip() != last_header[0].strip():
                    out.append(Entry("line", e.index, text=e.cells[0].strip()))  # the block's own title stays
                continue
            last_header = e.cells
        out.append(e)
    return out


def _join_column_blocks(entries: list[Entry]) -> None:
    """Append to each row the cells of the row with the same label in the table printed right after."""
    tables: dict[int, list[Entry]] = {}
    for e in entries:
        if e.kind == "row":
            tables.setdefault(e.table, []).append(e)
    for number in sorted(tables):
        left, right = tables[number], tables.get(number + 1)
        if right is None or not _adjacent(entries, left[-1], right[0]) or not _same_row_labels(left, right):
            continue
        for a, b in zip(left, right, strict=True):
            a.cells = a.cells + b.cells[1:]
            a.beside.append(b.location())
            b.consumed = True
        tables[number + 1] = left


def _adjacent(entries: list[Entry], last: Entry, first: Entry) -> bool:
    """True when only blank lines, headings and rows already joined on stand between two tables."""
    between = entries[entries.index(last) + 1 : entries.index(first)]
    return all(e.consumed or e.kind == "line" and (e.heading or not e.text.strip()) for e in between)


def _same_row_labels(left: list[Entry], right: list[Entry]) -> bool:
    """True when two tables have as many rows, with the same labels in the first column (headers aside)."""
    if len(left) != len(right):
        return False
    labelled = [(a, b) for a, b in zip(left, right, strict=True) if not _labels_only(a.cells)]
    return bool(labelled) and all(
        a.cells[0].strip() and a.cells[0].strip() == b.cells[0].strip() and len(b.cells) > 1 for a, b in labelled
    )


def _filled(cells: list[str]) -> list[str]:
    return [c.strip() for c in cells if c.strip()]


def _labels_only(cells: list[str]) -> bool:
    """True for a row of labels: no cell reads as a value (column numbers in a header are labels)."""
    line = "\t".join(cells)
    return any(c.strip() for c in cells) and all(t.kind == "text" or t.kind == "blank" for t in tokenize(line, 1))


# ---------------------------------------------------------------- labels printed away from their rows


def attach_loose_labels(entries: list[Entry]) -> list[Entry]:
    """Give each row of bare numbers the loose label printed near it (before it, or right after its table).

    Labels and bare rows are paired in printed order within a section. A label is a short loose line (with its
    wrapped continuation lines) that names a template row and heads no group of numbered items; a bare row takes
    the oldest waiting label, or waits for the next one until a row with a label of its own comes.
    """
    labels: list[list[Entry]] = []
    bare: list[Entry] = []
    for kind, item in _stream(entries):
        if kind == "break":
            labels, bare = [], []
        elif kind == "labelled":
            bare = []
            named = _rows_named(item[0].output())
            labels = [label for label in labels if not named & _rows_named(_text_of(label))]
        elif kind == "bare" and labels:
            _attach(labels.pop(0), item[0])
        elif kind == "bare":
            bare.append(item[0])
        elif kind == "label" and bare:
            _attach(item, bare.pop(0))
        elif kind == "label":
            labels.append(item)
    return [e for e in entries if not e.consumed]


def _attach(label: list[Entry], row: Entry) -> None:
    """Put the label's text in front of the row's numbers and take its lines out of the text."""
    text = _text_of(label)
    first = next(i for i, c in enumerate(row.cells) if c.strip())
    row.cells = [text, *row.cells[first:]]
    for e in label:
        e.consumed = True


def _stream(entries: list[Entry]):
    """(kind, entries) in printed order: break, labelled or bare (a row), label or other (loose lines)."""
    previous: Entry | None = None
    run: list[list[Entry]] = []  # loose labels in a row, each with its wrapped lines
    open_item = False
    for e in entries:
        kind = _line_kind(e) if e.kind == "line" else _row_kind(e, previous)
        if kind == "blank":
            open_item = False  # a blank line ends the label before it
            continue
        if open_item and kind in ("label", "other") and _continues(e, run[-1]):
            run[-1].append(e)  # a wrapped label goes on
            continue
        if kind == "label":
            run.append([e])
            open_item = True
            continue
        yield from _loose_items(run)
        run, open_item = [], False
        yield kind, [e]
        if e.kind == "row":
            previous = e
    yield from _loose_items(run)


def _continues(e: Entry, item: list[Entry]) -> bool:
    """True for a line that carries on the label above it: no marker of its own, neither is a heading."""
    if e.heading or item[0].heading or _marker_end(e.text):
        return False
    return not e.text.lstrip().startswith(_NOTE_STARTS)


def _loose_items(run: list[list[Entry]]):
    """Each loose label of a run: label, or other when it names no row or heads a group of deeper items."""
    for n, item in enumerate(run):
        text = _text_of(item)
        heads_group = n + 1 < len(run) and _depth(run[n + 1][0].text) > _depth(item[0].text) > 0
        names_row = len(text) <= _LABEL_MAX and bool(_rows_named(text))
        yield ("label" if names_row and not heads_group else "other"), item


def _rows_named(text: str) -> set[str]:
    """The template rows a label names ("其他" alone names 3.其他 only where the label ends with it)."""
    text = re.sub(r"\s+", "", next((c for c in text.split("\t") if c.strip()), ""))
    return {
        row for row, words in _ROW_WORDS.items() if any(w in text and (w != "其他" or text.endswith(w)) for w in words)
    }


def _text_of(label: list[Entry]) -> str:
    return "".join(e.text.strip() for e in label)


def _row_kind(row: Entry, previous: Entry | None) -> str:
    """bare for a row of numbers only, unless it follows a row holding only its label; else labelled."""
    tokens = tokenize("\t".join(row.cells), 1)
    if not any(t.kind == "num" for t in tokens) or any(t.kind == "text" for t in tokens):
        return "labelled"
    return "labelled" if previous is not None and _label_row_above(previous, row) else "bare"


def _label_row_above(previous: Entry, row: Entry) -> bool:
    """True when the row above holds only a label, left of where this row's numbers start (a label split off)."""
    if previous.table != row.table or not _labels_only(previous.cells):
        return False
    filled = [i for i, c in enumerate(previous.cells) if c.strip()]
    first_value = next(i for i, c in enumerate(row.cells) if c.strip())
    return filled[-1] < first_value


def _line_kind(e: Entry) -> str:
    """What a loose line is: blank; break (a section heading, prose); labelled (numbers); other (a note); label."""
    text = e.text.strip()
    if not text:
        return "blank"
    if len(text) > _LABEL_MAX or text.endswith(_SENTENCE_END) or find_sections(text):
        return "break"
    rest = text[_marker_end(text) :].strip()
    if rest.startswith(("（", "(", *_NOTE_STARTS)):
        return "other"
    if "\t" in text or any(ch.isdigit() for ch in rest):
        return "labelled"
    return "label"


def _marker_end(text: str) -> int:
    """Where the item marker a label starts with ("（二）", "5.") ends, 0 when it has none."""
    stripped = text.lstrip()
    for marker in _MARKERS:
        match = marker.match(stripped)
        if match:
            return len(text) - len(stripped) + match.end()
    return 0


def _depth(text: str) -> int:
    """How deep an item marker sits (1 for 一、 … 4 for （1）), 0 without one."""
    stripped = text.lstrip()
    return next((d for d, marker in enumerate(_MARKERS, start=1) if marker.match(stripped)), 0)
