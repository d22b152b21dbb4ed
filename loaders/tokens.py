"""Turn the body of a table section into a stream of text, number and empty-cell tokens with line numbers.

The stream is the same whatever the flattening (one cell per line, tab or space separated rows, Markdown pipes,
cells run together): the table parser only needs the order of labels and values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋／｜", "0123456789.-+/|")
_DIGIT = re.compile(r"\d")
_ANY_FULLWIDTH = re.compile("[０-９．－＋／｜]")  # translate() is slow: lines without these skip it

# Converter residue: bookmarks before a number stay in its raw text; other markers are dropped.
_BOOKMARK = r"\[bookmark:[^\]\n]*\]\s*"
_MARKER = re.compile(r"\[(?:image|pic|图片)[:：][^\]\n]*\]|\[bookmark:[^\]\n]*\](?!\s*\d)|<!--.*?-->")
_NUMBER = re.compile(rf"(?:{_BOOKMARK})*(?:[增减]\s*)?[-+]?(?:\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+)(?:\.\d+)?")
# _NUMBER in text without "[", 增, 减 or a sign, where it can only start at a digit: written to open with one, the
# search tries it only at digits instead of at every character.
_PLAIN_NUMBER = re.compile(r"\d(?:\d{0,2}(?:,\d{3})+(?!\d)|\d*)(?:\.\d+)?")
_NUMBER_OPENINGS = ("[", "增", "减", "+", "-")
_NOT_STATED = re.compile(r"^(?:/|—+|–|-|－|无|空|\\)$")
# A page number or footer line that a PDF or Word export leaves inside a table.
_NOT_STATED_IN_TEXT = re.compile(r"/+|—+|\\")
_FOOTER = re.compile(
    r"^\s*(?:[-–—－]\s*\d{1,3}\s*[-–—－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}|共\s*\d{1,3}\s*页\s*第\s*\d{1,3}\s*页)\s*$"
)
_FOOTER_OPENINGS = frozenset("-–—－第共")  # what a footer opens with, besides a digit
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
# "2.其他法律…" glued after a cell value: the last digit before "." and a non-digit is the row's own number.
_ITEM_NUMBER = re.compile(r"(?<=\d)\d(?=[.．、][^\d\s])")
# A note in brackets that words a number ("（其中修订 3 件）", "（含到期失效6件）"): no cell, no label, left out.
_NOTE = re.compile(r"[（(][^（）()\n]{0,30}?[\u4e00-\u9fff]{2}[^（）()\n]{0,30}?\d[^（）()\n]{0,30}?[）)]")
# A header cell that numbers its column ("数据1", "列 2", "Column 3", "Unnamed: 0", "第4列"): a label, not a value.
_ENUMERATED = re.compile(r"^(\D*?[^\W\d_]\D*?)[\s_:：#.\-]*(\d{1,3})(\D*)$")
# What such a cell holds somewhere, within one cell (no tab or pipe between): a letter, a separator, a digit.
_LETTER_THEN_DIGIT = re.compile(r"[^\W\d_][ \u3000_:：#.\-]*\d")


@dataclass
class Token:
    """A piece of a table: kind is text, num (a printed value), na ("/", "—") or blank (an empty cell)."""

    kind: str
    text: str
    line: int
    col: float | None = None  # display column of the value's centre, on lines laid out with spaces
    cell: int | None = None  # which cell of a tab- or pipe-separated line the token stands in (0 = first kept)


def tokenize(body: str, first_line: int) -> list[Token]:
    """Tokens of a section body whose first line is `first_line` (1-based) in the report text."""
    tokens: list[Token] = []
    # Full-width forms and converter markers are rare: looked for once in the body, then only on lines if found.
    # A marker needs a "[" or a "<!", which folding full-width forms never makes.
    full_width = _ANY_FULLWIDTH.search(body) is not None
    markers = "[" in body or "<!" in body
    for offset, raw_line in enumerate(body.split("\n")):
        line = raw_line.translate(FULLWIDTH) if full_width and _ANY_FULLWIDTH.search(raw_line) else raw_line
        line = line.replace("\f", " ")
        stripped = line.strip()
        if not stripped:
            if "\t" in line:  # a lone tab: an empty cell pasted from Word, one cell per line
                tokens.append(Token("blank", "", first_line + offset))
            continue
        if (_may_be_footer(stripped) and _FOOTER.match(line)) or ("--" in line and _MD_RULE.match(line)):
            continue
        if markers:
            line = _MARKER.sub(" ", line)
        _tokenize_line(_without_notes(line), first_line + offset, tokens)
    return tokens


def _may_be_footer(stripped: str) -> bool:
    """A cheap test before the footer pattern: a footer opens with a dash, 第, 共 or a digit."""
    first = stripped[0]
    return first in _FOOTER_OPENINGS or first.isdecimal()


def _without_notes(line: str) -> str:
    """The line with bracketed notes blanked out, display columns kept (CJK characters are two wide)."""
    if "（" not in line and "(" not in line:
        return line
    return _NOTE.sub(lambda m: " " * (_display_prefix(m.group())[-1]), line)


def _tokenize_line(line: str, lineno: int, out: list[Token]) -> None:
    """Split one line into cells (pipes or tabs when present) and each cell into tokens.

    An empty cell is a blank token in its place, so that the cells after it keep their columns. Empty cells that
    cannot be value cells are left out: those before a row's label (the label column of a row merged down) and
    those between labels on a line with no value (a header row's merged filler). Empty cells after a line's
    last label stay: a labelled row whose cells are all empty.
    """
    if "|" in line:
        cells = line.strip().strip("|").split("|")
    elif "\t" in line:
        cells = line.strip("\n").split("\t")
    else:
        # Display columns place values and unstated marks: a line with neither (a label) needs none.
        marked = "/" in line or "—" in line or "\\" in line or _DIGIT.search(line)
        _tokenize_cell(line, lineno, out, _display_prefix(line) if marked else None)
        return
    header = _may_number_columns(line) and is_header_row(cells)
    own: list[Token] = []
    for index, cell in enumerate(_trim_edge_blanks(cells)):
        if not cell.strip():
            own.append(Token("blank", "", lineno, cell=index))
            continue
        start = len(own)
        if header:
            _add_text(cell, lineno, own)
        else:
            _tokenize_cell(cell, lineno, own)
        for tok in own[start:]:
            tok.cell = index
    kinds = {t.kind for t in own}
    if "text" in kinds and "num" not in kinds and "na" not in kinds:
        last_text = max(i for i, t in enumerate(own) if t.kind == "text")
        own = [t for i, t in enumerate(own) if t.kind != "blank" or i > last_text]
    for tok in own:  # a text token joins the text just before it: a label broken over cells or lines
        if tok.kind == "text" and out and out[-1].kind == "text":
            out[-1].text += tok.text
        else:
            out.append(tok)


def _may_number_columns(line: str) -> bool:
    """A cheap test before is_header_row: some cell has a letter, then at most a separator, then a digit."""
    return _LETTER_THEN_DIGIT.search(line) is not None


def is_header_row(cells: list[str]) -> bool:
    """True for a row of column labels that numbers its columns ("类别 | 数据1 … 数据6 | 总计", "列1 … 列7").

    Its digits label columns: the numbered cells share one stem and number their columns in step with their
    places (1, 2, 3 … or the column index), and every other cell is a label without digits. Two numbered cells
    show the numbering; one alone ("Unnamed: 0") needs at least two other labels beside it.
    """
    stripped = [c.strip() for c in cells]
    if any(map(str.isdigit, stripped)):  # a value cell: the common case, decided without a regex
        return False
    numbered: list[tuple[str, str, int]] = []
    labels = 0
    for place, cell in enumerate(stripped):
        if not _DIGIT.search(cell):
            labels += bool(cell)
            continue
        match = _ENUMERATED.match(cell)
        if not match:
            return False
        numbered.append((match.group(1).strip(), match.group(3).strip(), int(match.group(2)) - place))
    return len(set(numbered)) == 1 and (len(numbered) >= 2 or labels >= 2)


def _trim_edge_blanks(cells: list[str]) -> list[str]:
    """Drop empty cells before the first filled one when it is a label (merged label columns) or the line's last
    cell (one indented cell per line); empty cells before a value in a row of cells, and after the last filled
    cell, are real empty cells."""
    filled = [i for i, c in enumerate(cells) if c.strip()]
    if not filled:
        return []
    first = filled[0]
    if first < len(cells) - 1 and _is_value_cell(cells[first]):  # full-width forms were folded with the line
        return cells
    return cells[first:]


def _is_value_cell(cell: str) -> bool:
    """A cell holding one printed value or an unstated mark ("/", "—"), not a label."""
    stripped = cell.strip()
    return bool(_NOT_STATED.match(stripped) or _NUMBER.fullmatch(stripped))


def _tokenize_cell(cell: str, lineno: int, out: list[Token], disp: list[int] | None = None) -> None:
    """Split a cell's text into text runs and numbers; `disp` (display columns) places values on laid-out lines."""
    stripped = cell.strip()
    if stripped.isdigit() and stripped.isascii():  # a plain number, the usual cell: what the patterns would find
        start = len(cell) - len(cell.lstrip())
        out.append(Token("num", stripped, lineno, (disp[start] + disp[start + len(stripped)]) / 2 if disp else None))
        return
    if _NOT_STATED.match(stripped):
        out.append(Token("na", stripped, lineno))
        return
    if not _DIGIT.search(cell):  # a label: no number to look for (a cheap scan, unlike the number pattern's)
        _add_text(cell, lineno, out, disp)
        return
    pos = 0
    # "00000002.其他…": the digit before "." is the next row's item number; mask it so the value stops before it.
    masked = _ITEM_NUMBER.sub("§", cell) if "." in cell or "．" in cell or "、" in cell else cell
    plain = not any(opening in masked for opening in _NUMBER_OPENINGS)
    for match in (_PLAIN_NUMBER if plain else _NUMBER).finditer(masked):
        if match.start() > pos:
            _add_text(cell[pos : match.start()], lineno, out, disp, pos)
        if _is_label_digit(cell, match):
            _add_text(match.group(), lineno, out)
        else:
            col = (disp[match.start()] + disp[match.end()]) / 2 if disp else None
            out.append(Token("num", match.group().strip(), lineno, col))
        pos = match.end()
    if pos < len(cell):
        _add_text(cell[pos:], lineno, out, disp, pos)


def _display_prefix(line: str) -> list[int]:
    """Display column before each character (CJK characters are two columns wide, as in pdftotext -layout)."""
    cols = [0]
    narrow_from = 0
    for run in _WIDE_RUN.finditer(line):  # runs of wide and of narrow characters, each added in one step
        _add_columns(cols, run.start() - narrow_from, 1)
        _add_columns(cols, run.end() - run.start(), 2)
        narrow_from = run.end()
    _add_columns(cols, len(line) - narrow_from, 1)
    return cols


# A wide character, then the rest of its run: a pattern that opens with a character set is tried only where one
# of its characters stands, a repeated one at every character.
_WIDE_RUN = re.compile("[\u2e80-\U0010ffff][\u2e80-\U0010ffff]*")


def _add_columns(cols: list[int], count: int, width: int) -> None:
    """The columns after `count` more characters each `width` columns wide."""
    last = cols[-1]
    cols += range(last + width, last + width * count + 1, width)


def _is_label_digit(cell: str, match: re.Match) -> bool:
    """True for digits that belong to a label: item numbers ("1."), 第…条, "三安全一稳定" never have digits."""
    end = match.end()
    nxt = cell[end : end + 1]
    if nxt in (".", "．", "、"):
        after = cell[end + 1 :].lstrip()
        return bool(after) and not after[0].isdigit() and len(match.group()) <= 2
    return nxt in ("年", "月", "日", "号", "条", "项", "类", "%", "％")


def _add_text(text: str, lineno: int, out: list[Token], disp: list[int] | None = None, base: int = 0) -> None:
    """Append text, merging with a text token just before it so that broken labels join up.

    "/" and "—" are unstated cells wherever they stand (no template label holds them, but for the header 增/减);
    a run of three or more is one unstated cell each (cells run together), a shorter run one cell ("——").
    """
    text = text.replace("增/减", "增_减")  # same length, so display columns stay right
    if "/" not in text and "—" not in text and "\\" not in text:  # the usual label, with no unstated mark
        _append_text(text, lineno, out)
        return
    pos = 0
    for match in _NOT_STATED_IN_TEXT.finditer(text):
        _append_text(text[pos : match.start()], lineno, out)
        run = match.group()
        col = (disp[base + match.start()] + disp[base + match.end()]) / 2 if disp else None
        cells = list(run) if len(run) >= 3 else [run]
        out.extend(Token("na", cell, lineno, col if len(cells) == 1 else None) for cell in cells)
        pos = match.end()
    _append_text(text[pos:], lineno, out)


def _append_text(text: str, lineno: int, out: list[Token]) -> None:
    text = "".join(text.split())
    if not text:
        return
    if out and out[-1].kind == "text":
        out[-1].text += text
    else:
        out.append(Token("text", text, lineno))
