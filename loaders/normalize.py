"""Turn located raw cells into canonical figures: parse each printed value, keeping its raw text."""

from __future__ import annotations

import re

from .model import Figure
from .tables import Slot

_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]*\]\s*")
_VALUE = re.compile(r"^([增减])?\s*([-+]?\d+(?:\.\d+)?)$")


def parse_value(raw: str) -> float | None:
    """The number a printed cell states, or None when it states none ("", "/", "—", unreadable text).

    "65,036" is 65036; "增7" is 7 and "减3" is -3 (a change column written in words); a converter's bookmark
    before a number is ignored. Whether such a cell is acceptable as printed is for check R9 to say, from the raw text.
    """
    if raw.isdecimal():  # most cells: digits alone, read as the pattern below would read them
        return float(raw)
    match = _VALUE.match(_BOOKMARK.sub("", raw).replace(",", "").strip())
    if not match:
        return None
    value = float(match.group(2))
    return -value if match.group(1) == "减" else value


# Slot kinds kept as the figure's qualifier: digits that split more than one way (no value), and a number the
# extractor placed by inference, such as by reading order (checks R1–R4 then report a failed sum as PARSE).
_QUALIFYING_KINDS = ("ambiguous", "uncertain")


def slot_to_figure(slot: Slot) -> Figure:
    """A canonical figure from a located cell; ambiguous and unstated cells get no value."""
    value = parse_value(slot.raw) if slot.kind in ("num", "uncertain") else None
    qualifier = slot.kind if slot.kind in _QUALIFYING_KINDS else None
    # Positional arguments, in Figure's field order: a keyword call costs more, once per cell of every table.
    return Figure(
        slot.metric,
        slot.applicant,
        value,
        slot.raw,
        slot.line,
        slot.section,
        slot.row_label,
        slot.col_label,
        "table",
        qualifier,
    )
