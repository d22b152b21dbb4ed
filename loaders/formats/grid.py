"""Lay out a table read from a web page, Word or Excel file as text lines in which every empty field is a cell.

A reader builds the table's grid, each position holding either a cell's own text or a mark that a merged cell
covers it. The lines keep what a reader of the printed table sees as columns:

- a label merged across several columns (colspan, gridSpan, a merged range) stands once: the positions it covers
  to the right are its filler and are left out, so they never read as empty value cells; on the rows a label is
  merged down over, its first column stays an empty cell, so that tables read by column position (work plans)
  keep their columns, and the cell is dropped later as the empty start of a labelled row;
- positions covered by an empty or numeric merged cell stay empty cells, one per column, so the values right
  of them keep their columns;
- a spacer column, unnamed in the header and empty in every row, is left out;
- every other empty cell (a blank, an &nbsp;) stays an empty field between tabs, in its column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A superscript note mark ("1", "[2]", "*", "注1"): a pointer to a note; glued to a label or number it is no figure.
NOTE_MARK = re.compile(r"\s*(?:注\s*)?[\[(（]?\s*(?:\d{1,2}|[*†‡]{1,3}|[①-⑳])\s*[\])）]?\s*")

_FIGURE = re.compile(r"^\s*[增减+-]?\s*[\d０-９][\d０-９,，.．]*\s*[%％]?\s*$")


@dataclass(frozen=True)
class Covered:
    """A grid position covered by a merged cell whose own text is `text`; `lead` marks the merge's first column
    on a row below the cell's own."""

    text: str
    lead: bool = False


Slot = str | Covered


def is_label(text: str) -> bool:
    """Text that names a row or column rather than stating a value (not a number, not empty)."""
    return bool(text.strip()) and not _FIGURE.match(text)


def grid_lines(grid: list[list[Slot]]) -> list[str]:
    """One tab-separated line per row: label filler and spacer columns left out, empty cells kept in place."""
    return ["\t".join(cells) for cells in grid_cells(grid)]


def grid_cells(grid: list[list[Slot]]) -> list[list[str]]:
    """The cells each row shows: label filler and spacer columns left out, empty cells kept in place."""
    spacers = _spacer_columns(grid)
    return [[_cell(slot) for c, slot in enumerate(row) if c not in spacers and not _is_filler(slot)] for row in grid]


def _cell(slot: Slot) -> str:
    return "" if isinstance(slot, Covered) else slot


def _is_filler(slot: Slot) -> bool:
    """A position a merged label covers to the right: the label already stands at its first position."""
    return isinstance(slot, Covered) and not slot.lead and is_label(slot.text)


def _spacer_columns(grid: list[list[Slot]]) -> set[int]:
    """Columns empty in every row that a header row (labels only, at least two) leaves unnamed between its labels."""
    width = max((len(row) for row in grid), default=0)
    empty = [c for c in range(width) if all(c >= len(row) or row[c] == "" for row in grid)]
    if not empty:
        return set()
    spacers: set[int] = set()
    for row in grid:
        named = [c for c, slot in enumerate(row) if isinstance(slot, str) and slot.strip()]
        if len(named) < 2 or not all(is_label(row[c]) for c in named):
            continue
        spacers.update(c for c in empty if named[0] < c < named[-1])
    return spacers
