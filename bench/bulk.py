"""Bulk ingest benchmark: `python -m loaders ingest FOLDER` of thousands of real-shaped reports into a new database.

The folder is bench/batch.py's: the real 2021-template reports of tests/fixtures/reports with the place in the
agency's name and the year changed, as text and Word files (PDFs with --pdf-share). Each run is its own
`python -m loaders ingest` process writing a new database; a sampler reads the resident memory of that process and
of every process it started (the parse workers) from /proc every 20 ms. It prints, per run: wall seconds, reports
per second, CPU seconds of the whole process tree, the peak of the writing process, the peak of the whole tree (all
processes at one moment, summed) and the reports and figures stored. The stored facts of every run are compared:
the same folder must give the same database whatever the number of workers.

--code DIR runs the loaders of another checkout (an older version, for a baseline in the same run); its ingest has
no --workers option when it predates them, so give it --workers 0 (the option is then left out).

Usage: python bench/bulk.py [--files 10000] [--dir DIR] [--workers 1 2] [--code DIR] [--pdf-share 0]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script: `python bench/bulk.py`

import duckdb  # noqa: E402

from bench import batch as batch_bench  # noqa: E402

DEFAULT_FILES = 10_000
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") / 1024
TARGET_PEAK_MIB = 1024


@dataclass
class Run:
    """One ingest's figures: wall and CPU seconds, peaks of the writer and of every process, what it stored."""

    label: str
    seconds: float
    cpu: float
    writer_mib: float
    tree_mib: float
    reports: int
    figures: int
    digest: str


class TreeMemory:
    """Samples the summed resident memory of a process and its descendants; keeps the peaks."""

    def __init__(self, pid: int):
        """Start sampling the tree under `pid`."""
        self.pid, self.writer, self.tree = pid, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        """Every 20 ms until stopped: the resident memory of the process and its descendants."""
        while not self._stop.wait(0.02):
            pids = _descendants(self.pid)
            sizes = {pid: _rss_mib(pid) for pid in pids}
            self.writer = max(self.writer, sizes.get(self.pid, 0.0))
            self.tree = max(self.tree, sum(sizes.values()))

    def stop(self) -> None:
        """Stop sampling (the peaks stay)."""
        self._stop.set()
        self._thread.join()


def _descendants(pid: int) -> list[int]:
    """`pid` and every process below it (from /proc's children lists)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                queue += [int(child) for child in task.read_text().split()]
            except OSError:
                continue
    return found


def _rss_mib(pid: int) -> float:
    """A process's resident memory in MiB (0 when it has ended)."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KIB / 1024
    except (OSError, IndexError, ValueError):
        return 0.0


def ingest(label: str, code: Path, folder: Path, db: Path, workers: int) -> Run:
    """One `python -m loaders ingest` into a new database `db`, timed and sampled."""
    for stale in (db, db.with_name(f".{db.name}.lock")):
        stale.unlink(missing_ok=True)
    command = [sys.executable, "-m", "loaders", "ingest", str(folder), "--db", str(db), "--quiet"]
    if workers:
        command += ["--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": str(code)}
    before = os.times()
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=code, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(process.pid)
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    memory.stop()
    after = os.times()
    if process.returncode not in (0, 1):  # 1: some file failed, which the summary lists
        raise SystemExit(f"{label}: ingest exited {process.returncode}\n{out}\n{err}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    reports, figures, digest = _contents(db)
    return Run(label, seconds, cpu, memory.writer, memory.tree, reports, figures, digest)


def _contents(db: Path) -> tuple[int, int, str]:
    """Reports and figures stored, and a digest of the facts (the same folder must store the same facts)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        reports = con.sql("select count(*) from reports").fetchall()[0][0]
        figures = con.sql("select count(*) from figures").fetchall()[0][0]
        digest = hashlib.sha256()
        for table in ("fct_values", "fct_findings"):
            rows = con.sql(f"select * from {table} order by all").fetchall()
            digest.update(repr(rows).encode())
        return reports, figures, digest.hexdigest()[:12]
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    """Generate the folder, run each ingest and print its figures; 1 when two runs stored different facts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=DEFAULT_FILES, help=f"reports (default {DEFAULT_FILES})")
    parser.add_argument("--pdf-share", type=float, default=0.0, help="share of PDFs (default 0)")
    parser.add_argument("--dir", type=Path, default=ROOT / "bench" / "out" / "bulk")
    parser.add_argument("--workers", type=int, nargs="*", default=[1, os.cpu_count() or 1], help="runs of this code")
    parser.add_argument("--code", type=Path, nargs="*", default=[], help="other checkouts, each run once first")
    parser.add_argument("--code-workers", type=int, default=0, help="--workers for the other checkouts (0: none)")
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    folder = args.dir / "corpus"
    start = time.perf_counter()
    counts = batch_bench.generate(folder, args.files, args.pdf_share)
    print(f"folder: {folder}  {counts}  (made or checked in {time.perf_counter() - start:.0f} s)", flush=True)
    runs = []
    plan = [(f"{code} ({args.code_workers or 'default'})", code, args.code_workers) for code in args.code]
    plan += [(f"this code, --workers {n}", ROOT, n) for n in args.workers]
    print(f"{'run':<44}{'s':>8}{'rep/s':>8}{'CPU s':>8}{'writer MiB':>11}{'all MiB':>9}  reports figures facts")
    for label, code, workers in plan:
        run = ingest(label, code, folder, args.dir / "bulk.duckdb", workers)
        runs.append(run)
        flag = "  over target" if run.tree_mib > TARGET_PEAK_MIB else ""
        print(
            f"{label:<44}{run.seconds:>8.1f}{run.reports / run.seconds:>8.1f}{run.cpu:>8.1f}{run.writer_mib:>11.0f}"
            f"{run.tree_mib:>9.0f}  {run.reports} {run.figures} {run.digest}{flag}",
            flush=True,
        )
    if len({run.digest for run in runs}) > 1:
        print("the runs stored different facts", file=sys.stderr)
        return 1
    (args.dir / "bulk.duckdb").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
