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
_WHOLE = re.compile(r"(?:0|[1-9]\d*)$")  # _PART without a sign or decimals


def _valid_part(part: str, allow_sign: bool, allow_decimal: bool) -> bool:
    """True when a piece of digits could be one printed cell."""
    if not _PART.match(part) or len(part.lstrip("-增减").replace(".", "")) > MAX_DIGITS:
        return False
    if part[0] in "-增减" and not allow_sign:
        return False
    return allow_decimal or "." not in part


def _whole_part(part: str) -> bool:
    """_valid_part(part, False, False) in one pattern match: a count that could be one printed cell."""
    return len(part) <= MAX_DIGITS and _WHOLE.match(part) is not None


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
    """Cuts of `run` into `parts` cells whose last cell is the sum of the others (R3 rows, R4 blocks), ordered by
    the lengths of their cells from the first on (shorter first)."""
    if parts < 1:
        return []
    if len(run) == parts:  # one digit per cell is the only cut (a glued row of single digits, the common case)
        cells = list(run)
        return [cells] if run.isascii() and run.isdigit() and sum(map(int, cells[:-1])) == int(cells[-1]) else []
    found: list[list[str]] = []
    # The total is a tail of at most MAX_DIGITS digits; knowing it, the addends are cut with a target to stop at.
    for size in range(1, min(len(run) - (parts - 1), MAX_DIGITS) + 1):
        addends, total = run[: len(run) - size], run[len(run) - size :]
        if _whole_part(total):
            found += ([*cut, total] for cut in _summing_to(addends, parts - 1, int(total)))
    return sorted(found, key=lambda cut: [len(part) for part in cut])


def _summing_to(run: str, addends: int, target: int) -> Iterator[list[str]]:
    """Cuts of all of `run` into `addends` printable whole numbers that add up to `target`."""
    if addends <= 1:
        if addends == 0 and run == "" and target == 0:
            yield []
        elif addends == 1 and _whole_part(run) and int(run) == target:
            yield [run]
        return
    longest = min(len(run) - (addends - 1), MAX_DIGITS)
    for cut in range(1, longest + 1):
        head = run[:cut]
        if not _whole_part(head):
            continue
        value = int(head)
        if value > target:  # a longer head is larger still
            break
        for tail in _summing_to(run[cut:], addends - 1, target - value):
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


def reorderings(
    values: list[int], size: int, fits: Callable[[list[int], tuple[int, ...]], bool]
) -> list[tuple[int, ...]]:
    """Readings of `values` (as emitted) in which every block adds up and `fits` (given the values in printed order
    and the emitted position of each printed cell) holds, among those that move the fewest pieces (a block's run of
    parts, its total): each is the emitted position of every printed cell, one per distinct set of values."""
    found: dict[tuple[int, ...], tuple[int, ...]] = {}
    fewest = None
    for moves, where in sorted(_block_readings(values, size)):
        if fewest is not None and moves > fewest:
            break
        reading = [values[i] for i in where]
        if fits(reading, where):
            fewest = moves
            found.setdefault(tuple(reading), where)
    return list(found.values())


def _block_readings(values: list[int], size: int) -> Iterator[tuple[int, tuple[int, ...]]]:
    """(pieces moved, emitted position of each printed cell) of every piece order under which each block adds up."""
    blocks, whole = len(values) // size, sum(values)
    for pieces, runs, totals in _cuts(blocks, size):
        if 2 * sum(values[t] for t in totals) != whole:
            continue  # the totals of blocks that add up are half of all the values
        sums = [sum(values[r : r + size - 1]) for r in runs]
        if sorted(sums) != sorted(values[t] for t in totals):
            continue  # no way to give every run of parts a total equal to its sum
        for run_of, total_of in itertools.product(itertools.permutations(range(blocks)), repeat=2):
            if all(sums[run_of[b]] == values[totals[total_of[b]]] for b in range(blocks)):
                yield _placed(pieces, runs, totals, run_of, total_of, size)


def _placed(pieces, runs, totals, run_of, total_of, size: int) -> tuple[int, tuple[int, ...]]:
    """Where each printed cell was emitted when block b's parts are run `run_of[b]` and its total `total_of[b]`."""
    where: list[int] = []
    printed_piece = {}
    for b in range(len(run_of)):
        where += range(runs[run_of[b]], runs[run_of[b]] + size - 1)
        where.append(totals[total_of[b]])
        printed_piece[runs[run_of[b]]], printed_piece[totals[total_of[b]]] = 2 * b, 2 * b + 1
    order = tuple(printed_piece[start] for start, _ in pieces)
    return len(order) - _longest_rising(order), tuple(where)


@functools.cache
def _cuts(blocks: int, size: int) -> tuple[tuple[tuple, list[int], list[int]], ...]:
    """Every way to cut an emitted run of `blocks` blocks into runs of parts and lone totals: the pieces as
    (start, length), then the starts of the runs and of the totals."""
    out = []
    for lone in itertools.combinations(range(2 * blocks), blocks):
        pieces, start = [], 0
        for k in range(2 * blocks):
            length = 1 if k in lone else size - 1
            pieces.append((start, length))
            start += length
        runs = [start for start, length in pieces if length > 1]
        out.append((tuple(pieces), runs, [start for start, length in pieces if length == 1]))
    return tuple(out)


def _longest_rising(seq: tuple[int, ...]) -> int:
    """Length of the longest increasing subsequence: the pieces that need not move."""
    tails: list[int] = []
    for x in seq:
        i = bisect.bisect_left(tails, x)
        tails[i : i + 1] = [x]
    return len(tails)
