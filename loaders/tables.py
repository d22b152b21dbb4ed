"""Extract the tables of sections 二, 三 and 四 from a token stream into raw, located cells.

Rows are found by their printed labels, in template order; the values between one label and the next belong to
the row. Where cell boundaries were lost, the template's arithmetic decides the split, and where the labels are
separated from their values altogether (PDF reading order), the values are read back in column blocks.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from . import arith
from .keys import APPLICANTS, REVIEW_BLOCK_LABELS, REVIEW_PARTS, SECTION2_ROWS, SECTION3_ROWS, SECTION4_KEYS, RowDef
from .model import Finding
from .tokens import Token

WIDTH3 = len(APPLICANTS)
_OTHER_OTHER = re.compile(r"(?:^|\d[.．、])其他$")
_S3_HEADER = re.compile(r"自然人|申请人情况")
_S4_HEADER = re.compile(r"维持|纠正|审结")
_S2_HEADER = re.compile(r"数量|件数|金额|信息内容")


def after_header(tokens: list[Token], header: re.Pattern) -> list[Token]:
    """The tokens after the first text token that reads like the table's header (prose before it is not table)."""
    for i, tok in enumerate(tokens):
        if tok.kind == "text" and header.search(tok.text):
            return tokens[i:]
    return tokens


@dataclass
class Slot:
    """A located raw cell mapped to its canonical key; kind is num, na, blank or ambiguous."""

    metric: str
    applicant: str | None
    raw: str
    line: int
    section: str
    row_label: str
    col_label: str
    kind: str


@dataclass
class Row:
    """A row found by its label, with the value tokens that followed it."""

    index: int
    label: str
    line: int
    values: list[Token]


# ---------------------------------------------------------------- row labels


def _without_spaces(text: str) -> str:
    """The text with every white space character left out: what a pattern of white space replaced by nothing
    gives, without its scan that tests every character (a label has no spaces, and then costs one split)."""
    return "".join(text.split())


def _label_needles(rowdef: RowDef) -> tuple[str, ...] | None:
    """What finds a row's label in text, in the order tried: its keywords, then the head of a long label; None for
    the last 其他 row, which a pattern finds."""
    if rowdef.metric == "outcome.other.other":
        return None
    head = _label_head(rowdef.label)
    return (*rowdef.keywords, head) if head else rowdef.keywords


def _label_end(needles: tuple[str, ...] | None, text: str, pos: int) -> int:
    """Where in `text` (from `pos`) the label that `needles` (see _label_needles) find ends, or -1."""
    if needles is None:
        return len(text) if _OTHER_OTHER.search(text[pos:]) else -1
    for needle in needles:
        found = text.find(needle, pos)
        if found != -1:
            return found + len(needle)
    return -1


_ITEM_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.．、])")
_HEAD_CHARS = 8  # so many leading characters of a long label name its row alone


@functools.cache
def _label_head(label: str) -> str:
    """The start of a long label after its item marker: a PDF that breaks the label before its keywords (the
    rest printed after the row's numbers) still prints this much of it before them. Empty for short labels."""
    bare = _ITEM_MARKER.sub("", label)
    return bare[:_HEAD_CHARS] if len(bare) > _HEAD_CHARS else ""


def match_labels(text: str, needles: list[tuple[str, ...] | None], start: int, limit: int) -> list[int]:
    """Indexes of the rows (from `start`, skipping at most `limit`) whose labels appear in order in `text`, each
    row's label found by its `needles` (see _label_needles)."""
    text = _without_spaces(text)
    found: list[int] = []
    pos, j = 0, start
    while j < len(needles) and j - start <= limit:
        end = _label_end(needles[j], text, pos)
        if end != -1:
            found.append(j)
            pos, start = end, j + 1
        j += 1
    return found


def anchor_rows(tokens: list[Token], rowdefs: tuple) -> tuple[dict[int, Row], list[Token]]:
    """Rows found by label, each with its following values; values before any label are returned as orphans."""
    rows: dict[int, Row] = {}
    orphans: list[Token] = []
    current, is_open = -1, False
    needles = [_label_needles(rowdef) for rowdef in rowdefs]  # once for the table, not for each text token
    for tok in tokens:
        if tok.kind == "text":
            limit = 3 if current == -1 else 8
            matched = match_labels(tok.text, needles, current + 1, limit)
            for j in matched:
                rows[j] = Row(j, tok.text, tok.line, [])
                current, is_open = j, True
            if not matched and current >= 0 and len(rows[current].values) >= WIDTH3:
                is_open = False  # text after a full row (a note, a page header): what follows is not the row's
        elif is_open:
            rows[current].values.append(tok)
        else:
            orphans.append(tok)
    return rows, orphans


# ---------------------------------------------------------------- cells of one row


def _trim(values: list[Token], width: int) -> list[Token]:
    """Drop surplus empty cells at the ends of a row (merged label columns, ragged ends), trailing ones first.

    Empty cells right after the label on its line go first: they are the filler of a label merged across columns,
    while the row's last cells stand at the table's right edge.
    """
    while len(values) > width and values[0].kind == "blank" and (values[0].cell or 0) > 0:
        values = values[1:]
    while len(values) > width and values[-1].kind == "blank":
        values = values[:-1]
    while len(values) > width and values[0].kind == "blank":
        values = values[1:]
    if len(values) < width:
        while values and values[-1].kind == "blank":
            values = values[:-1]
    return values


def _lone_tokens(values: list[Token]) -> list[int]:
    """Positions of number tokens that stand alone on their line (page numbers left inside a table)."""
    per_line: dict[int, int] = {}
    for tok in values:
        per_line[tok.line] = per_line.get(tok.line, 0) + 1
    return [i for i, t in enumerate(values) if t.kind == "num" and per_line[t.line] == 1]


Candidate = list[tuple[str, int, str]]  # (raw, line, kind) per cell


def _as_candidate(values: list[Token]) -> Candidate:
    return [(t.text, t.line, t.kind) for t in values]


def row_candidates(values: list[Token], width: int, with_total: bool) -> list[Candidate]:
    """Possible readings of one row's values as `width` cells (several when glued digits split more than one way)."""
    values = _trim(values, width)
    if len(values) == width:
        return [_as_candidate(values)]
    if len(values) > width:
        return _drop_strays(values, width, with_total)
    if not values or any(t.kind != "num" for t in values) or any(not _plain_digits(t.text) for t in values):
        return []
    return _glued_candidates(values, width, with_total)


def _plain_digits(text: str) -> bool:
    return _unmarked(text).isdigit()


_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]*\]\s*")


def _unmarked(text: str) -> str:
    """A value's text without a converter's bookmark before it."""
    return _BOOKMARK.sub("", text) if "[" in text else text


def _glued_candidates(values: list[Token], width: int, with_total: bool) -> list[Candidate]:
    """Split digits that ran together into `width` cells, by the row total when the row has one."""
    run = "".join(_unmarked(t.text) for t in values)
    line = values[0].line
    if with_total:
        cuts = arith.split_with_total(run, width)
        if not cuts and len(run) == width:
            cuts = [list(run)]  # one digit per cell is the only reading, even if it does not add up
    else:
        cuts = list(arith.splits(run, width))
    return [[(part, line, "num") for part in cut] for cut in cuts]


def _drop_strays(values: list[Token], width: int, with_total: bool) -> list[Candidate]:
    """Too many values: try leaving out one lone number (a page number) so that the row adds up."""
    for i in _lone_tokens(values):
        rest = values[:i] + values[i + 1 :]
        if len(rest) == width and (not with_total or _adds_up(_as_candidate(rest))):
            return [_as_candidate(rest)]
    return []


def _adds_up(cand: Candidate) -> bool:
    """True when the last cell equals the sum of the others (all plain numbers)."""
    nums = [_int(raw) for raw, _, _ in cand]
    return None not in nums and sum(nums[:-1]) == nums[-1]


def _int(raw: str) -> int | None:
    raw = _unmarked(raw)
    return int(raw) if raw.isdigit() else None


# ---------------------------------------------------------------- section 三


def _equations_met(
    table: dict[int, Candidate], rowdefs: tuple, outcome_rows: list[str], numbers: dict[int, list[int | None]]
) -> int:
    """How many of the column equations R1 and R2 a reading of section 三 satisfies.

    `outcome_rows` are the metrics of the outcome rows R2 adds up; `numbers` holds the cells of each row reading
    already read as numbers, by the reading's id (readings of a table share most rows).
    """
    by_metric = {rowdefs[i].metric: _numbers_of(cand, numbers) for i, cand in table.items()}
    # A row that could not be read leaves its column sums unknown, never zero.
    if any(m not in by_metric for m in outcome_rows):
        outcome_rows = []
    met = 0
    for col in range(WIDTH3):
        r1 = [by_metric.get(m, [None] * WIDTH3)[col] for m in _R1_METRICS]
        if None not in r1 and r1[0] + r1[1] == r1[2] + r1[3]:
            met += 1
        parts = [by_metric[m][col] for m in outcome_rows]
        total = by_metric.get("outcome.total", [None] * WIDTH3)[col]
        if parts and total is not None and None not in parts and sum(parts) == total:
            met += 1
    return met


def _numbers_of(cand: Candidate, numbers: dict[int, list[int | None]]) -> list[int | None]:
    """A row reading's cells as whole numbers (None where not plain digits), read once per reading."""
    found = numbers.get(id(cand))
    if found is None:
        found = numbers[id(cand)] = [_int(raw) for raw, _, _ in cand]
    return found


_R1_METRICS = ("requests.new", "requests.carried_over", "outcome.total", "requests.carried_forward")
_MAX_COMBOS = 4096


def resolve_rows(options: dict[int, list[Candidate]], rowdefs: tuple) -> tuple[dict[int, Candidate], set]:
    """Pick, among rows with several readings, those that make the columns add up; return cells still in doubt."""
    fixed = {i: c[0] for i, c in options.items() if len(c) == 1}
    open_rows = [i for i, c in options.items() if len(c) > 1]
    if not open_rows:
        return fixed, set()
    combos = list(itertools.islice(itertools.product(*(options[i] for i in open_rows)), _MAX_COMBOS + 1))
    if len(combos) > _MAX_COMBOS:
        combos = [tuple(options[i][0] for i in open_rows)]
        return {**fixed, **dict(zip(open_rows, combos[0], strict=True))}, {
            (i, c) for i in open_rows for c in range(WIDTH3)
        }
    tables = [{**fixed, **dict(zip(open_rows, combo, strict=True))} for combo in combos]
    return best_reading(tables, rowdefs)


def best_reading(tables: list[dict[int, Candidate]], rowdefs: tuple) -> tuple[dict[int, Candidate], set]:
    """The readings that satisfy most column equations; cells on which those readings differ are in doubt."""
    outcome_rows = [r.metric for r in rowdefs if r.metric.startswith("outcome.") and r.metric != "outcome.total"]
    numbers: dict[int, list[int | None]] = {}  # the tables hold every reading, so no id is reused meanwhile
    scores = [_equations_met(t, rowdefs, outcome_rows, numbers) for t in tables]
    kept = [t for t, score in zip(tables, scores, strict=True) if score == max(scores)]
    doubtful = {
        (i, col) for i in kept[0] for col in range(len(kept[0][i])) if len({t[i][col][0] for t in kept if i in t}) > 1
    }
    return kept[0], doubtful


def column_blocks(values: list[Token], rowdefs: tuple) -> list[dict[int, Candidate]]:
    """Read values emitted block by block, each block of rows column by column (PDF reading order)."""
    nums = [t for t in values if t.kind in ("num", "na")]
    count = len(rowdefs)
    if len(nums) != WIDTH3 * count:
        return []
    numbers = [_int(t.text) for t in nums]  # each value read once, however many blocks try it
    memo: dict[int, list[list[Candidate]]] = {}

    def tails(i: int) -> list[list[Candidate]]:
        if i == count:
            return [[]]
        if i not in memo:
            memo[i] = _block_tails(nums, numbers, i, count, tails)
        return memo[i]

    return [dict(enumerate(rows)) for rows in tails(0)]


_MAX_READINGS = 32


def _block_tails(nums: list[Token], numbers: list[int | None], i: int, count: int, tails) -> list[list[Candidate]]:
    """All readings of rows i.. where the next block holds k rows written column by column."""
    out: dict[tuple, list[Candidate]] = {}
    base = WIDTH3 * i
    for k in range(1, count - i + 1):
        cands = _block_rows(nums, numbers, base, k)
        if cands is None:
            continue
        for tail in tails(i + k):
            rows = cands + tail
            out.setdefault(tuple(raw for row in rows for raw, _, _ in row), rows)
            if len(out) > _MAX_READINGS:
                return list(out.values())
    return list(out.values())


def _block_rows(nums: list[Token], numbers: list[int | None], base: int, k: int) -> list[Candidate] | None:
    """The k rows of a block written column by column from nums[base], or None as soon as one does not add up
    (`numbers` are the values of `nums` as whole numbers, None where not plain digits)."""
    rows = []
    for r in range(k):
        places = range(base + r, base + WIDTH3 * k + r, k)
        cells = [numbers[p] for p in places]
        if None in cells or sum(cells[:-1]) != cells[-1]:
            return None
        rows.append(_as_candidate([nums[p] for p in places]))
    return rows


def extract_section3(tokens: list[Token], variant: str) -> tuple[list[Slot], list[Finding]]:
    """Section 三 as slots for every row × applicant, with findings for what could not be read."""
    rowdefs = SECTION3_ROWS[variant]
    rows, _ = anchor_rows(tokens, rowdefs)
    options = {i: row_candidates(r.values, WIDTH3, True) for i, r in rows.items()}
    _place_by_columns(rows, options)
    complete = len(rows) == len(rowdefs) and all(options.values())
    if not complete:
        readings = column_blocks([t for t in after_header(tokens, _S3_HEADER) if t.kind != "text"], rowdefs)
        if readings:
            table, doubtful = best_reading(readings, rowdefs)
            return _section3_slots(table, doubtful, rows, rowdefs), []
    for i, row in rows.items():
        if not row.values:  # a label printed with no values at all: its cells are blank, not missing
            options[i] = [[("", row.line, "blank")] * WIDTH3]
    readable = {i: c for i, c in options.items() if c}
    table, doubtful = resolve_rows(readable, rowdefs)
    findings = _row_findings(rows, options, doubtful, rowdefs, "三")
    slots = _section3_slots(table, doubtful, rows, rowdefs)
    slots += _unreadable_slots(rows, options, rowdefs)
    return slots, findings


def _place_by_columns(rows: dict[int, Row], options: dict[int, list[Candidate]]) -> None:
    """On lines laid out with spaces, put a short row's values under the columns the full rows use."""
    centres = _column_centres([r.values for r in rows.values()])
    if centres is None:
        return
    for i, row in rows.items():
        values = [t for t in row.values if t.kind != "blank"]
        if 0 < len(values) < WIDTH3 and all(t.col is not None and t.line == values[0].line for t in values):
            placed = _nearest_columns(values, centres)
            if placed is not None:
                options[i] = [placed]


def _column_centres(rows: list[list[Token]]) -> list[float] | None:
    """Median display column of each cell over the rows printed whole on one laid-out line (at least three)."""
    full = [
        r
        for r in rows
        if len(r) == WIDTH3 and all(t.col is not None and t.kind != "blank" and t.line == r[0].line for t in r)
    ]
    if len(full) < 3:
        return None
    return [sorted(r[c].col for r in full)[len(full) // 2] for c in range(WIDTH3)]


def _nearest_columns(values: list[Token], centres: list[float]) -> Candidate | None:
    """Each value in the column whose centre is nearest, others blank; None when two share one or one is far off."""
    gap = min(b - a for a, b in zip(centres, centres[1:], strict=False))
    cells: Candidate = [("", values[0].line, "blank")] * len(centres)
    taken: set[int] = set()
    for tok in values:
        col = min(range(len(centres)), key=lambda c: abs(centres[c] - tok.col))
        if col in taken or abs(centres[col] - tok.col) > gap / 2:
            return None
        taken.add(col)
        cells[col] = (tok.text, tok.line, tok.kind)
    return cells


def _section3_slots(table: dict[int, Candidate], doubtful: set, rows: dict[int, Row], rowdefs: tuple) -> list[Slot]:
    """Slots of every readable row; cells in doubt are kept as ambiguous with the row's printed digits."""
    slots = []
    for i in sorted(table):
        label = rows[i].label if i in rows else rowdefs[i].label
        metric = rowdefs[i].metric
        for col, (raw, line, kind) in enumerate(table[i]):
            applicant, col_label = APPLICANTS[col]
            if (i, col) in doubtful:
                raw, kind = _row_digits(i, table, rows), "ambiguous"
            slots.append(Slot(metric, applicant, raw, line, "三", label, col_label, kind))
    return slots


def _row_digits(i: int, table: dict[int, Candidate], rows: dict[int, Row]) -> str:
    """Row i's digits for a cell in doubt: as printed after its label, or its cells run together when the row was
    read by columns (made only for such a cell, as few rows have one)."""
    return "".join(raw for raw, _, _ in table[i]) if i not in rows else _printed(rows[i].values)


def _printed(values: list[Token]) -> str:
    """The values of a row as printed, space separated."""
    return " ".join(t.text for t in values)


def _unreadable_slots(rows: dict[int, Row], options: dict[int, list[Candidate]], rowdefs: tuple) -> list[Slot]:
    """Rows whose values could not be read at all: every cell unstated, with the printed text kept."""
    slots = []
    for i, cands in options.items():
        if cands or not rows[i].values:
            continue
        row = rows[i]
        for applicant, col_label in APPLICANTS:
            raw = _printed(row.values)
            slots.append(
                Slot(rowdefs[i].metric, applicant, raw, row.values[0].line, "三", row.label, col_label, "ambiguous")
            )
    return slots


def _row_findings(rows: dict, options: dict, doubtful: set, rowdefs: tuple, section: str) -> list[Finding]:
    """Findings for rows whose values could not be read or split one way only."""
    findings = []
    for i, row in rows.items():
        unreadable = not options[i]
        in_doubt = not unreadable and bool(doubtful) and any((i, c) in doubtful for c in range(WIDTH3))
        if not (unreadable or in_doubt):
            continue  # a row read one way, as most are: its printed values are not needed
        printed = _printed(row.values)
        cells = [{"metric": rowdefs[i].metric, "raw": printed, "line": row.line}]
        if unreadable:
            msg = f"第{section}部分“{row.label}”一行的数字“{printed}”无法读成{WIDTH3}个单元格，已留空"
            findings.append(Finding("PARSE", "warning", msg, cells))
        else:
            msg = (
                f"第{section}部分“{row.label}”一行的数字“{printed}”有多种拆分方式均符合勾稽关系，无法确定的单元格已留空"
            )
            findings.append(Finding("PARSE", "warning", msg, cells))
    return findings


# ---------------------------------------------------------------- section 四

_S4_WIDTH = len(SECTION4_KEYS)
_S4_BLOCK = len(REVIEW_PARTS)
_R4_WORDS = "+".join(label for _, label in REVIEW_PARTS[:-1]) + "=" + REVIEW_PARTS[-1][1]


def extract_section4(
    tokens: list[Token], pins: dict[str, set[float]] | None = None
) -> tuple[list[Slot], list[Finding]]:
    """Section 四's fifteen cells in printed order; glued digits are split so that each block adds up (R4).

    `pins` maps a cell's metric (and "litigation.total", both suits together) to the values the prose states;
    they help choose among readings, never override what the table prints.
    """
    table = after_header(tokens, _S4_HEADER)
    values = _trim([t for t in table if t.kind != "text"], _S4_WIDTH)
    if not values:
        return [], []
    findings: list[Finding] = []
    if len(values) > _S4_WIDTH:
        printed = _printed(values)
        msg = f"第四部分应有{_S4_WIDTH}个数字，实际印有{len(values)}个（{printed}），按前{_S4_WIDTH}个读取"
        findings.append(Finding("PARSE", "warning", msg, [{"raw": printed, "line": values[0].line}]))
        values = values[:_S4_WIDTH]
    elif len(values) == _S4_WIDTH:
        values = _s4_reading_order(values, _s4_labelled(table), pins or {}, findings)
    cells = _section4_cells(_pad_short_row(_spaced_row(values)), findings, pins or {})
    return [_s4_slot(i, raw, line, kind) for i, (raw, line, kind) in enumerate(cells)], findings


def _pad_short_row(values: list[Token]) -> list[Token]:
    """A row of separate cells on one tab- or pipe-separated line that stops early: the cells it lacks are blank.

    Such a row is written left to right (only the 行政复议 block filled, its empty cells left off the end), so its
    values keep their columns; glued digits, values spread over lines or cells holding several values stay as read.
    """
    row = [t for t in values if t.line == values[-1].line]
    before = values[: len(values) - len(row)]
    if any(t.kind != "blank" or not t.cell for t in before):  # only a header line's trailing filler may precede
        return values
    cells = [t.cell for t in row]
    if not 2 <= len(row) < _S4_WIDTH or None in cells or len(set(cells)) != len(cells):
        return values
    return row + [Token("blank", "", row[-1].line)] * (_S4_WIDTH - len(row))


def _spaced_row(values: list[Token]) -> list[Token]:
    """A row laid out with spaces that prints fewer than fifteen values: a blank cell shows as a gap one column
    wider, so that, where every gap is a whole number of column widths and they add up to fifteen cells between the
    first value and the last, the gaps' blank cells are put back and the values keep their columns."""
    if not 2 <= len(values) < _S4_WIDTH or any(
        t.col is None or t.kind not in ("num", "na") or t.line != values[0].line for t in values
    ):
        return values
    gaps = [b.col - a.col for a, b in zip(values, values[1:], strict=False)]
    pitch = sorted(gaps)[len(gaps) // 2]
    if pitch <= 0:
        return values
    steps = [round(g / pitch) for g in gaps]
    if any(st < 1 or abs(g / pitch - st) > _GAP_SLACK for g, st in zip(gaps, steps, strict=True)):
        return values
    if 1 + sum(steps) != _S4_WIDTH:
        return values
    out = [values[0]]
    for tok, st in zip(values[1:], steps, strict=True):
        out += [Token("blank", "", tok.line) for _ in range(st - 1)] + [tok]
    return out


_GAP_SLACK = 0.2  # a gap within a fifth of a column width of a whole number of columns


def _s4_reading_order(
    values: list[Token], labelled: dict[int, int], pins: dict[str, set[float]], findings: list[Finding]
) -> list[Token]:
    """Values printed one or a few per line may come out of a PDF in another order than printed: when the order
    read breaks a block's sum (R4), the one order of the pieces (a block's parts, its total) with the fewest moves
    under which every block adds up, the prose agrees and each value right after its block's name stays in that
    block is the printed one. Values in one row keep their order."""
    numbers = [_int(t.text) for t in values]
    if len({t.line for t in values}) == 1 or None in numbers or arith.adds_up(numbers, _S4_BLOCK):
        return values
    blocks = {i: labelled[id(t)] for i, t in enumerate(values) if id(t) in labelled}

    def fits(cells: list[int], where: tuple[int, ...]) -> bool:
        placed = all(blocks.get(at, cell // _S4_BLOCK) == cell // _S4_BLOCK for cell, at in enumerate(where))
        return placed and _s4_fits(cells, pins)

    readings = arith.reorderings(numbers, _S4_BLOCK, fits)
    printed = _printed(values)
    cells = [{"raw": printed, "line": values[0].line}]
    broken = f"第四部分的数字按读出的顺序（{printed}）在{_s4_broken(numbers)}不符合“{_R4_WORDS}”"
    if len(readings) == 1:
        restored = [values[i] for i in readings[0]]
        msg = f"{broken}，已按唯一使各栏都相符、且与正文一致的顺序读取（{_printed(restored)}）"
        findings.append(Finding("PARSE", "info", msg, cells))
        return restored
    why = f"有{len(readings)}种阅读顺序都能使各栏相符，无法确定" if readings else "换任何阅读顺序也不能使各栏都相符"
    findings.append(Finding("PARSE", "warning" if readings else "info", f"{broken}，{why}，按读出的顺序保留", cells))
    return values


def _s4_broken(numbers: list[int]) -> str:
    """The names of the blocks of section 四 that do not add up, in printed order."""
    labels = list(REVIEW_BLOCK_LABELS.values())
    return "、".join(
        labels[k]
        for k in range(len(labels))
        if not arith.adds_up(numbers[k * _S4_BLOCK : (k + 1) * _S4_BLOCK], _S4_BLOCK)
    )


# The name of each block as it heads its columns; "行政复议" is the only one outside the other two.
_S4_BLOCK_NAMES = {"行政复议": 0, "直接起诉": 1, "复议后起诉": 2}


def _s4_labelled(table: list[Token]) -> dict[int, int]:
    """Values (by id) that come right after text naming exactly one block: the reader emitted them under it."""
    out: dict[int, int] = {}
    for before, tok in zip(table, table[1:], strict=False):
        named = {b for name, b in _S4_BLOCK_NAMES.items() if before.kind == "text" and name in before.text}
        if tok.kind == "num" and len(named) == 1:
            out[id(tok)] = named.pop()
    return out


def _s4_fits(cells: list[int], pins: dict[str, set[float]]) -> bool:
    """Whether a reading of section 四 agrees with every figure the prose states for it."""
    for metric, value in zip(SECTION4_KEYS, cells, strict=True):
        if metric in pins and value not in pins[metric]:
            return False
    suits = pins.get("litigation.total")
    return not suits or cells[2 * _S4_BLOCK - 1] + cells[3 * _S4_BLOCK - 1] in suits


def _section4_cells(values: list[Token], findings: list[Finding], pins: dict[str, set[float]]) -> Candidate:
    """Fifteen (raw, line, kind) cells, splitting glued digits where needed (by the blocks' sums, then the prose)."""
    if len(values) == _S4_WIDTH:
        return _as_candidate(values)
    run = "".join(t.text for t in values)
    line = values[0].line
    if all(t.kind == "num" and t.text.isdigit() for t in values):
        cuts = arith.split_blocks(run, len(REVIEW_BLOCK_LABELS), _S4_BLOCK)
        cuts = [c for c in cuts if _s4_fits([int(p) for p in c], pins)] or cuts
        agreed = arith.agreed(cuts, _S4_WIDTH)
        if cuts and None not in agreed:
            return [(part, line, "num") for part in agreed]
    else:
        agreed = [None] * _S4_WIDTH
    msg = f"第四部分的数字“{_printed(values)}”无法唯一拆分为{_S4_WIDTH}个单元格，无法确定的单元格已留空"
    findings.append(Finding("PARSE", "warning", msg, [{"raw": run, "line": line}]))
    return [(part, line, "num") if part is not None else (run, line, "ambiguous") for part in agreed]


def _s4_slot(index: int, raw: str, line: int, kind: str) -> Slot:
    metric = SECTION4_KEYS[index]
    block, part = metric.rsplit(".", 1)
    part_label = dict(REVIEW_PARTS)[part]
    return Slot(metric, None, raw, line, "四", REVIEW_BLOCK_LABELS[block], part_label, kind)


# ---------------------------------------------------------------- section 二


def _s2_match(text: str, rows: tuple, start: int, found: dict) -> list[int]:
    """Section 二 rows whose labels appear in `text`, in printed order.

    Rows not yet read that come after the last one read are looked for anywhere in the text; those that come earlier
    in the template (their sub-table printed later) only where the label ends the text, just before its values.
    """
    text = _without_spaces(text)
    hits: list[tuple[int, int]] = []
    pos = 0
    for j in range(start, len(rows)):
        if j in found:
            continue
        at = [h for h in (text.find(k, pos) for k in rows[j].keywords) if h != -1]
        if at:
            hits.append((min(at), j))
            pos = min(at) + 1
    for j in range(start):
        if j not in found and any(text.endswith(k) for k in rows[j].keywords):
            hits.append((len(text), j))
    return [j for _, j in sorted(hits)]


def extract_section2(
    tokens: list[Token], template: str, pins: dict[str, set[float]]
) -> tuple[list[Slot], list[Finding]]:
    """Section 二 by row label, its sub-tables in any order.

    Values printed before a label with none after it are the label's (PDF order); a label with values of its own
    leaves the values before it aside (a footnote's number, a cell of another sub-table).
    """
    rows = SECTION2_ROWS[template]
    found: dict[int, Row] = {}
    before: dict[int, list[Token]] = {}
    orphans: list[Token] = []
    current, is_open = -1, False
    for tok in tokens:
        if tok.kind != "text":
            (found[current].values if is_open else orphans).append(tok)
            continue
        matched = _s2_match(tok.text, rows, current + 1, found)
        if not matched:
            # A column header between rows: values that follow may precede their own label (PDF reading order).
            # Any other text (prose) ends a row and voids values not yet claimed.
            is_open = False
            if not _S2_HEADER.search(tok.text):
                orphans = []
            continue
        for j in matched:
            found[j] = Row(j, rows[j].label, tok.line, [])
        before[matched[0]] = orphans
        orphans, current, is_open = [], matched[-1], True
    for j, row in found.items():
        if not row.values:
            row.values = before.get(j, [])
    slots: list[Slot] = []
    findings: list[Finding] = []
    for j, row in sorted(found.items()):
        slots += _s2_row_slots(rows[j], row, pins, findings)
    return slots, findings


def _s2_row_slots(rowdef, row: Row, pins: dict[str, set[float]], findings: list[Finding]) -> list[Slot]:
    """One section 二 row's cells; glued digits are split only where prose statements pin the reading."""
    width = len(rowdef.metrics)
    values = _trim(row.values, width)
    if not values:
        cells = [("", row.line, "blank")] * width
    elif len(values) == width:
        cells = _as_candidate(values)
    else:
        cells = _s2_glued(rowdef, values, pins, findings)
    return [
        Slot(metric, None, raw, line, "二", row.label, column, kind)
        for metric, column, (raw, line, kind) in zip(rowdef.metrics, rowdef.columns, cells, strict=True)
    ]


def _s2_glued(rowdef, values: list[Token], pins: dict[str, set[float]], findings: list[Finding]) -> Candidate:
    """Split a section 二 row whose cells ran together; without arithmetic, only prose can pin a reading."""
    width = len(rowdef.metrics)
    run = "".join(_unmarked(t.text) for t in values)
    line = values[0].line
    signed = tuple(m.endswith("items_change") for m in rowdef.metrics)
    decimal = tuple("amount" in m for m in rowdef.metrics)
    cuts = list(itertools.islice(arith.splits(run, width, signed, decimal), 2000))
    for index, metric in enumerate(rowdef.metrics):
        pinned = [c for c in cuts if _as_number(c[index]) in pins.get(metric, ())]
        cuts = pinned or cuts
    agreed = arith.agreed(cuts, width)
    if None in agreed:
        msg = f"第二部分“{rowdef.label}”一行的数字“{run}”可以多种方式拆分，无法确定的单元格已留空"
        findings.append(Finding("PARSE", "warning", msg, [{"raw": run, "line": line}]))
    return [(part, line, "num") if part is not None else (run, line, "ambiguous") for part in agreed]


def _as_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None
