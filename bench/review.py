"""Review-write benchmark: how long a reviewer waits after saving on 问题核查.

On a copy of the given database (the original is never written; a copy built by older sql/ files is upgraded
first) it times, end to end as the page calls them:
- an explanation with a status change (loaders.review.review_finding): copy, write, swap; the facts are kept;
- a correction of a figure and its undo (correct_figure, undo_correction): copy, write, rebuild the views and
  facts, swap;
- an empty transaction with and without the rebuild, to show what the copy and the rebuild each cost.
It prints the median and maximum seconds of each, the database's size and its number of current reports.

Usage: python bench/review.py --db FILE [--rounds 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script: `python bench/review.py`

import duckdb  # noqa: E402

from bench.queries import pad  # noqa: E402
from loaders import review, store  # noqa: E402


def timed(action: Callable[[], object], rounds: int) -> list[float]:
    """Seconds of each of `rounds` runs of `action`."""
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        out.append(time.perf_counter() - start)
    return out


def target(db: Path) -> tuple[str, str, str, float | None, int]:
    """A finding to review and a figure to correct: finding_key, report_id, metric, its value; and the number of
    current reports."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        (key,) = con.sql("select finding_key from fct_findings order by finding_key limit 1").fetchall()[0]
        report_id, metric, value = con.sql(
            "select report_id, metric, value from stg_figures_corrected "
            "where applicant = 'total' and metric = 'requests.new' and value is not null "
            "order by report_id limit 1"
        ).fetchall()[0]
        (reports,) = con.sql("select count(*) from stg_reports_current").fetchall()[0]
    finally:
        con.close()
    return key, report_id, metric, value, reports


def run(db: Path, rounds: int) -> list[tuple[str, list[float]]]:
    """The timings of each kind of write on `db` (written to)."""
    key, report_id, metric, value, _ = target(db)
    steps = iter(range(1, 10**6))

    def explain() -> None:
        n = next(steps)
        review.review_finding(db, key, "基准测试", note=f"情况说明{n}", status=review.STATUSES[1 + n % 3])

    def correct_and_undo() -> None:
        correction = review.correct_figure(db, report_id, metric, "total", (value or 0) + 1, "基准测试", "基准测试")
        review.undo_correction(db, correction, "基准测试")

    def empty(rebuild: bool) -> Callable[[], None]:
        def write() -> None:
            with store.transaction(db, rebuild=rebuild):
                pass

        return write

    return [
        ("情况说明+状态（不重建事实表）", timed(explain, rounds)),
        ("更正+撤销（两次写入，各重建事实表）", timed(correct_and_undo, rounds)),
        ("空事务，不重建（复制+替换）", timed(empty(False), rounds)),
        ("空事务，重建视图与事实表", timed(empty(True), rounds)),
    ]


def main(argv: list[str] | None = None) -> int:
    """Copy the database, time every kind of write on the copy and print the figures; 2 when it is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="database to copy and write to (left untouched)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if not args.db.is_file():
        print(f"找不到数据库文件：{args.db} / database file not found: {args.db}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-review-") as work:
        db = Path(work) / args.db.name
        shutil.copyfile(args.db, db)
        if not store.is_current(db):  # else the first write would time the upgrade
            start = time.perf_counter()
            store.upgrade(db)
            print(f"built by older sql/ files: upgraded first in {time.perf_counter() - start:.1f} s")
        reports = target(db)[-1]
        print(f"database: {args.db.name}, {args.db.stat().st_size / 2**20:.0f} MiB, {reports} current reports")
        print(f"{pad('write', 40)} | {'median s':>9} | {'max s':>7}")
        for name, seconds in run(db, args.rounds):
            print(f"{pad(name, 40)} | {statistics.median(seconds):>9.3f} | {max(seconds):>7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
