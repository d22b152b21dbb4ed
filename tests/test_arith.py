"""Splitting runs of digits whose cell boundaries were lost."""

from __future__ import annotations

import itertools
import random

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


# ---------------------------------------------------------------- reading order of blocks


def _read(values: list[int], where: tuple[int, ...]) -> list[int]:
    return [values[i] for i in where]


def _every_order(values: list[int]) -> dict[tuple[int, ...], int]:
    """Brute force: each reading of three blocks of five under which every block adds up, with the fewest pieces
    (a block's four parts, its total) that any order giving it moved."""
    pieces = [range(b * 5, b * 5 + 4) if k == 0 else range(b * 5 + 4, b * 5 + 5) for b in range(3) for k in (0, 1)]
    best: dict[tuple[int, ...], int] = {}
    for order in itertools.permutations(range(6)):
        emitted = [cell for piece in order for cell in pieces[piece]]
        reading = [0] * 15
        for position, cell in enumerate(emitted):
            reading[cell] = values[position]
        rising = max(len(c) for n in range(7) for c in itertools.combinations(order, n) if list(c) == sorted(c))
        if arith.adds_up(reading, 5):
            best[tuple(reading)] = min(6 - rising, best.get(tuple(reading), 6))
    return best


@pytest.mark.parametrize("seed", range(40))
def test_reorderings_are_the_fewest_move_readings_of_every_piece_order(seed: int) -> None:
    rng = random.Random(seed)
    blocks = []
    for _ in range(3):
        parts = [rng.choice([0, 0, 1, 2, 3, 7]) for _ in range(4)]
        blocks.append((parts, sum(parts)))
    emitted_pieces = [p for parts, total in blocks for p in (parts, [total])]
    rng.shuffle(emitted_pieces)
    emitted = [v for piece in emitted_pieces for v in piece]
    every = _every_order(emitted)
    fewest = min(every.values())
    want = sorted(r for r, moves in every.items() if moves == fewest)
    assert sorted(tuple(_read(emitted, w)) for w in arith.reorderings(emitted, 5, lambda cells, where: True)) == want


def test_parts_emitted_before_the_previous_total_are_put_back() -> None:
    # Printed: 复议 6 2 0 1 9 | 直接起诉 2 0 0 1 3 | 复议后 1 1 0 2 4; the reader emitted the last block's parts
    # before the first block's total.
    emitted = [6, 2, 0, 1, 1, 1, 0, 2, 9, 2, 0, 0, 1, 3, 4]
    readings = arith.reorderings(emitted, 5, lambda cells, where: True)
    assert [_read(emitted, w) for w in readings] == [[6, 2, 0, 1, 9, 2, 0, 0, 1, 3, 1, 1, 0, 2, 4]]


def test_review_block_emitted_after_the_litigation_blocks_needs_the_prose() -> None:
    # 复议 2 1 0 1 4, 直接起诉 3 0 0 0 3, 复议后 1 1 0 0 2, emitted with the review total first and its parts last.
    emitted = [4, 3, 0, 0, 0, 3, 1, 1, 0, 0, 2, 2, 1, 0, 1]
    unpinned = arith.reorderings(emitted, 5, lambda cells, where: True)
    assert len(unpinned) == 2  # the blocks' sums alone cannot tell which block is the review
    pinned = arith.reorderings(emitted, 5, lambda cells, where: cells[4] == 4)
    assert [_read(emitted, w) for w in pinned] == [[2, 1, 0, 1, 4, 3, 0, 0, 0, 3, 1, 1, 0, 0, 2]]


def test_values_no_order_adds_up_have_no_reading() -> None:
    # A report's own mistake (复议 10 + 1 but 总计 0) is no reading-order problem.
    emitted = [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]
    assert arith.reorderings(emitted, 5, lambda cells, where: True) == []


def test_printed_order_that_adds_up_is_the_only_reading() -> None:
    emitted = [1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]
    assert arith.reorderings(emitted, 5, lambda cells, where: True) == [tuple(range(15))]
    assert arith.adds_up(emitted, 5) and not arith.adds_up([1, 1, 0, 0, 1], 5)
