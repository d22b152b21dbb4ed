"""Located cells become canonical figures: printed values parsed, raw text kept, doubtful readings marked."""

from __future__ import annotations

import pytest

from loaders.normalize import parse_value, slot_to_figure
from loaders.tables import Slot


@pytest.mark.parametrize(
    ("raw", "value"),
    [("12", 12), ("65,036", 65036), ("增7", 7), ("减3", -3), ("[bookmark: _GoBack]1", 1), ("", None), ("/", None)],
)
def test_printed_values(raw: str, value: float | None) -> None:
    assert parse_value(raw) == value


@pytest.mark.parametrize(
    ("kind", "value", "qualifier"),
    [("num", 5, None), ("uncertain", 5, "uncertain"), ("ambiguous", None, "ambiguous"), ("blank", None, None)],
)
def test_a_cell_keeps_its_raw_text_and_says_how_sure_its_reading_is(
    kind: str, value: float | None, qualifier: str | None
) -> None:
    slot = Slot("review.total", None, "5", 60, "四", "行政复议", "总计", kind)
    fig = slot_to_figure(slot)
    assert (fig.value, fig.raw, fig.qualifier, fig.kind, fig.line) == (value, "5", qualifier, "table", 60)
