"""Parse benchmark: every report in sample_data/ parsed many times on one core; prints speed and memory."""

from __future__ import annotations

import argparse
import cProfile
import math
import os
import pstats
import resource
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script: `python bench/parse.py`

from loaders.formats.registry import EXTENSIONS  # noqa: E402
from loaders.model import ReportError  # noqa: E402
from loaders.parse import parse_file  # noqa: E402

REPORT_SUFFIXES = EXTENSIONS
TARGET_PER_SECOND = 200.0


@dataclass
class Timings:
    """Wall time spent per file over all rounds, and the files that failed."""

    seconds: dict[Path, float] = field(default_factory=dict)
    rounds: int = 0
    errors: dict[Path, str] = field(default_factory=dict)

    def reports(self) -> int:
        """Number of parse calls timed."""
        return self.rounds * len(self.seconds)

    def total(self) -> float:
        """Total parse time in seconds."""
        return sum(self.seconds.values())


def report_files(folder: Path) -> list[Path]:
    """Every report file in a folder (its README is not a report)."""
    files = [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES and not p.name.lower().startswith("readme")
    ]
    if not files:
        raise SystemExit(f"目录中没有报告文件 / no report files in {folder}")
    return files


def parse_once(path: Path, timings: Timings) -> None:
    """Parse one file, adding its wall time; a ReportError is a result, anything else is recorded as a failure."""
    start = time.perf_counter()
    try:
        parse_file(path)
    except ReportError:
        pass  # a refused file is a normal, timed outcome
    except Exception as exc:  # a benchmark reports every crash, not just the first
        timings.errors[path] = f"{type(exc).__name__}: {exc}"
    timings.seconds[path] = timings.seconds.get(path, 0.0) + time.perf_counter() - start


def run_rounds(files: list[Path], rounds: int, timings: Timings) -> Timings:
    """Parse every file `rounds` times, round after round."""
    for _ in range(rounds):
        for path in files:
            parse_once(path, timings)
        timings.rounds += 1
    return timings


def calibrate(files: list[Path], seconds: float) -> int:
    """Rounds needed to run about `seconds`: one warm-up round (imports, regex and other caches), one timed."""
    run_rounds(files, 1, Timings())
    timed = run_rounds(files, 1, Timings())
    return max(1, math.ceil(seconds / max(timed.total(), 1e-6)))


def peak_traced_bytes(files: list[Path]) -> int:
    """Peak Python heap during one round, under tracemalloc (run apart: tracing slows parsing down)."""
    tracemalloc.start()
    try:
        run_rounds(files, 1, Timings())
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def max_rss_mib() -> float:
    """Peak resident set size of this process in MiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pin_to_one_core() -> str:
    """Pin the process to one CPU so the figure is a one-core figure; returns which CPU, or why not."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (unsupported)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"CPU {cpu}"


def print_profile(files: list[Path], rounds: int, top: int) -> None:
    """Run the rounds under cProfile and print the top functions by cumulative and by own time."""
    profiler = cProfile.Profile()
    profiler.runcall(run_rounds, files, rounds, Timings())
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    print(f"\n== cProfile: top {top} by cumulative time ==")
    stats.sort_stats("cumulative").print_stats(top)
    print(f"== cProfile: top {top} by own time ==")
    stats.sort_stats("tottime").print_stats(top)


def summary_lines(timings: Timings, peak_bytes: int, cpu: str) -> list[str]:
    """The figures to print, one per line, labels in Chinese and English."""
    total = timings.total()
    per_second = timings.reports() / total if total else float("inf")
    slowest = max(timings.seconds, key=timings.seconds.__getitem__)
    verdict = "达标 / met" if per_second >= TARGET_PER_SECOND else "未达标 / NOT met"
    return [
        f"文件 / files:                {len(timings.seconds)} x {timings.rounds} rounds = {timings.reports()} parses",
        f"核心 / core:                 {cpu}",
        f"总耗时 / parse time:         {total:.2f} s",
        f"速度 / reports per second:   {per_second:.1f}  (目标 / target {TARGET_PER_SECOND:.0f}: {verdict})",
        f"平均 / mean per report:      {1000 * total / timings.reports():.2f} ms",
        f"最慢 / slowest file:         {slowest.name} ({1000 * timings.seconds[slowest] / timings.rounds:.2f} ms)",
        f"内存峰值 / tracemalloc peak: {peak_bytes / 2**20:.1f} MiB (one round)",
        f"内存峰值 / ru_maxrss:        {max_rss_mib():.1f} MiB (whole process)",
    ]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=ROOT / "sample_data", help="folder of report files")
    ap.add_argument("--rounds", type=int, help="rounds over all files (default: enough for --seconds)")
    ap.add_argument("--seconds", type=float, default=10.0, help="target run time when --rounds is not given")
    ap.add_argument("--profile", action="store_true", help="also print the top functions from cProfile")
    ap.add_argument("--top", type=int, default=25, help="how many functions --profile prints")
    ap.add_argument("--no-pin", action="store_true", help="do not pin the process to one CPU")
    ap.add_argument("--no-formats", action="store_true", help="skip the per-format figures (Word, web, PDF ...)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 if any file crashed the parser."""
    args = parse_args(argv)
    cpu = "not pinned (--no-pin)" if args.no_pin else pin_to_one_core()
    files = report_files(args.data)
    rounds = args.rounds or calibrate(files, args.seconds)
    timings = run_rounds(files, rounds, Timings())
    peak = peak_traced_bytes(files)
    print("\n".join(summary_lines(timings, peak, cpu)))
    for path, error in sorted(timings.errors.items()):
        print(f"解析失败 / parser crashed: {path.name}: {error}", file=sys.stderr)
    if args.profile:
        print_profile(files, max(1, rounds // 4), args.top)
    if not args.no_formats:
        from bench.formats import format_lines

        print("\n".join(format_lines()))
    return 1 if timings.errors else 0


if __name__ == "__main__":
    sys.exit(main())
