"""Split runs of digits whose cell boundaries were lost, using the template's own arithmetic.

A candidate split never gives a part a leading zero ("07") and only lets a sign open a part. Callers keep the
cells on which every surviving candidate agrees and leave the rest unstated, with a finding. The same arithmetic
puts back in printed order blocks of cells that a PDF's reading order emitted piece by piece.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterator

MAX_DIGITS = 8  # no count in these tables runs past eight digits
_PART = re.compile(r"^[-增减]?(?:0|[1-9]\d*)(?:\.\d+)?$")


def _valid_part(part: str, allow_sign: bool, allow_decimal: bool) -> bool:
    """True when a piece of digits could be one printed cell."""
    if not _PART.match(part) or len(part.lstrip("-增减").replace(".", "")) > MAX_DIGITS:
        return False
    if part[0] in "-增减" and not allow_sign:
        return False
    return allow_decimal or "." not in part


def splits(run: str, parts: int, signed: tuple[bool, ...] = (), decimal: tuple[bool, ...] = ()) -> Iterator[list[str]]:
    """Every way to cut `run` into `parts` printable cells; signed/decimal say per cell what it may hold."""
    yield from _splits(run, parts, 0, signed, decimal)


def _splits(
    run: str, parts: int, index: int, signed: tuple[bool, ...], decimal: tuple[bool, ...]
) -> Iterator[list[str]]:
    sign_ok = signed[index] if index < len(signed) else False
    dec_ok = decimal[index] if index < len(decimal) else False
    if parts == 1:
        if _valid_part(run, sign_ok, dec_ok):
            yield [run]
        return
    longest = min(len(run) - (parts - 1), MAX_DIGITS + 2)
    for cut in range(1, longest + 1):
        head = run[:cut]
        if not _valid_part(head, sign_ok, dec_ok):
            continue
        for tail in _splits(run[cut:], parts - 1, index + 1, signed, decimal):
            yield [head, *tail]


def split_with_total(run: str, parts: int) -> list[list[str]]:
    """Cuts of `run` into `parts` cells whose last cell is the sum of the others (R3 rows, R4 blocks)."""
    return list(_sum_splits(run, parts - 1, 0))


def _sum_splits(run: str, addends: int, acc: int) -> Iterator[list[str]]:
    """Cut `addends` cells off the front whose sum with `acc` equals what is left as the total."""
    if addends == 0:
        if _valid_part(run, False, False) and int(run) == acc:
            yield [run]
        return
    longest = min(len(run) - addends, MAX_DIGITS)
    for cut in range(1, longest + 1):
        head = run[:cut]
        if not _valid_part(head, False, False):
            continue
        value = acc + int(head)
        for tail in _sum_splits(run[cut:], addends - 1, value):
            yield [head, *tail]


def split_blocks(run: str, blocks: int, size: int) -> list[list[str]]:
    """Cuts of `run` into `blocks` consecutive blocks of `size` cells, each closing with its own total (R4)."""
    if blocks == 0:
        return [[]] if run == "" else []
    found: list[list[str]] = []
    min_rest = (blocks - 1) * size
    for end in range(size, len(run) - min_rest + 1):
        for block in split_with_total(run[:end], size):
            for rest in split_blocks(run[end:], blocks - 1, size):
                found.append(block + rest)
    return found


def agreed(candidates: list[list[str]], width: int) -> list[str | None]:
    """For each cell, the text all candidates agree on, or None where they differ (or none exist)."""
    if not candidates:
        return [None] * width
    first = candidates[0]
    return [first[i] if all(c[i] == first[i] for c in candidates) else None for i in range(width)]


# ---------------------------------------------------------------- reading order of blocks


def adds_up(cells: list[int], size: int) -> bool:
    """True when every block of `size` cells closes with the sum of its other cells."""
    return all(sum(cells[i : i + size - 1]) == cells[i + size - 1] for i in range(0, len(cells), size))


def reorderings(values: list[int], size: int, fits: Callable[[list[int]], bool]) -> list[tuple[int, ...]]:
    """Readings of `values` (as emitted) in which every block adds up and `fits` holds, among those that move the
    fewest pieces: each is the emitted position of every printed cell, one per distinct set of values."""
    found: dict[tuple[int, ...], tuple[int, ...]] = {}
    fewest = None
    for moves, where in piece_orders(len(values) // size, size):
        if fewest is not None and moves > fewest:
            break
        reading = [values[i] for i in where]
        if adds_up(reading, size) and fits(reading):
            fewest = moves
            found.setdefault(tuple(reading), where)
    return list(found.values())


@functools.cache
def piece_orders(blocks: int, size: int) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """Every order in which a reader may emit the pieces of `blocks` blocks (each block's parts as one run, then
    its total), as (pieces moved out of printed order, emitted position of each printed cell), fewest moves first."""
    pieces = [range(b * size, b * size + size - 1) for b in range(blocks)]
    pieces = [p for b in range(blocks) for p in (pieces[b], range(b * size + size - 1, b * size + size))]
    best: dict[tuple[int, ...], int] = {}
    for order in itertools.permutations(range(len(pieces))):
        where = [0] * (blocks * size)
        emitted = itertools.count()
        for piece in order:
            for cell in pieces[piece]:
                where[cell] = next(emitted)
        moves = len(order) - _longest_rising(order)
        key = tuple(where)
        best[key] = min(moves, best.get(key, moves))
    return tuple(sorted((moves, where) for where, moves in best.items()))


def _longest_rising(seq: tuple[int, ...]) -> int:
    """Length of the longest increasing subsequence: the pieces that need not move."""
    tails: list[int] = []
    for x in seq:
        i = bisect.bisect_left(tails, x)
        tails[i : i + 1] = [x]
    return len(tails)
