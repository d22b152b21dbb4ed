"""Splitting runs of digits whose cell boundaries were lost."""

from __future__ import annotations

import pytest

from loaders import arith


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("640020470", [["64", "0", "0", "2", "0", "4", "70"]]),
        ("230000023", [["23", "0", "0", "0", "0", "0", "23"]]),
        ("0000000", [["0"] * 7]),
        ("21710000218", [["217", "1", "0", "0", "0", "0", "218"]]),
    ],
)
def test_row_split_by_its_total(run: str, expected: list[list[str]]) -> None:
    assert arith.split_with_total(run, 7) == expected


def test_row_that_adds_up_no_way_has_no_split() -> None:
    assert arith.split_with_total("1234567", 7) == []


def test_no_part_has_a_leading_zero() -> None:
    assert all(not (p.startswith("0") and len(p) > 1) for c in arith.splits("100153", 3) for p in c)


def test_review_blocks_each_add_up() -> None:
    cuts = arith.split_blocks("10203120001200000", 3, 5)
    assert cuts == [["1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0"]]


def test_sign_only_where_allowed() -> None:
    cuts = list(arith.splits("2648-18538", 3, signed=(False, True, False)))
    assert ["2648", "-18", "538"] in cuts
    assert all(c[0] == "2648" for c in cuts)
    assert list(arith.splits("2648-18538", 3)) == []


def test_agreed_keeps_only_cells_all_readings_share() -> None:
    assert arith.agreed([["1", "2", "3"], ["1", "23", "4"]], 3) == ["1", None, None]
    assert arith.agreed([], 2) == [None, None]
