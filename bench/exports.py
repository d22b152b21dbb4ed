"""Export benchmark: seconds per chart image after warm-up, a deck of 20 charts and the full briefing (three files),
on a database built from sample_data/ (or the one given); prints the figures and the targets."""

from __future__ import annotations

import argparse
import dataclasses
import functools
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script: `python bench/exports.py`

from analytics import queries  # noqa: E402
from analytics.db import connect  # noqa: E402
from analytics.state import Selection  # noqa: E402
from analytics.views import Chart  # noqa: E402
from config import SAMPLE_DATA_DIR  # noqa: E402
from exports import images, slides  # noqa: E402
from exports.briefing import Briefing, Section, build, data_label  # noqa: E402
from exports.files import make_files  # noqa: E402

TARGET_PER_CHART = 0.5  # seconds
TARGET_DECK = 15.0  # seconds for a 20-chart deck


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=None, help="database to read (default: built from --data)")
    parser.add_argument("--data", type=Path, default=SAMPLE_DATA_DIR, help="reports to build the database from")
    parser.add_argument("--charts", type=int, default=20, help="charts timed one by one after the warm-up")
    parser.add_argument("--deck", type=int, default=20, help="charts in the timed deck")
    return parser


def prepare_db(args: argparse.Namespace, work: Path) -> Path:
    """The database to read: the one given, or a new one ingested from the data folder."""
    if args.db:
        return args.db
    from loaders.store import ingest

    db = work / "bench.duckdb"
    ingest([args.data], db, progress=False)
    return db


def cycled(charts: list[Chart], count: int) -> list[Chart]:
    """`count` charts taken round-robin from the briefing's, each with its own key."""
    return [dataclasses.replace(charts[i % len(charts)], key=f"bench_{i}") for i in range(count)]


def time_charts(charts: list[Chart]) -> list[float]:
    """Seconds to render each chart to a print PNG."""
    seconds = []
    for chart in charts:
        start = time.perf_counter()
        images.png(chart.figure)
        seconds.append(time.perf_counter() - start)
    return seconds


def time_deck(briefing: Briefing, count: int) -> float:
    """Seconds to render `count` charts and write them into a deck."""
    charts = cycled(briefing.charts(), count)
    deck_briefing = dataclasses.replace(briefing, sections=[Section("图表", charts=charts)])
    start = time.perf_counter()
    pictures = {chart.key: images.png(chart.figure) for chart in charts}
    slides.deck(deck_briefing, pictures)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    args = _parser().parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        db = prepare_db(args, Path(work))
        con = connect(db)
        try:
            fetch = functools.partial(queries.run, con)
            start = time.perf_counter()
            briefing = build(fetch, Selection(), data_label(db))
            assembled = time.perf_counter() - start
            start = time.perf_counter()
            images.png(briefing.charts()[0].figure)
            warm_up = time.perf_counter() - start
            seconds = time_charts(cycled(briefing.charts(), args.charts))
            deck = time_deck(briefing, args.deck)
            start = time.perf_counter()
            files = make_files(briefing)
            full = time.perf_counter() - start
        finally:
            con.close()
    median = statistics.median(seconds)
    counts = f"{len(briefing.charts())} charts, {len(briefing.tables())} tables"
    print(f"database: {db.name}; briefing of all units: {counts}")
    print(f"assemble briefing (queries + figures): {assembled:.2f} s")
    print(f"warm-up (start kaleido + Chromium, first chart): {warm_up:.2f} s")
    print(
        f"per chart after warm-up ({len(seconds)} charts, PNG {images.EXPORT_WIDTH}px x{images.PRINT_SCALE}): "
        f"median {median:.3f} s, max {max(seconds):.3f} s (target < {TARGET_PER_CHART} s)"
    )
    print(f"deck of {args.deck} charts (render + pptx): {deck:.2f} s (target < {TARGET_DECK} s for 20)")
    sizes = ", ".join(f"{fmt} {len(data) / 1e6:.1f} MB" for fmt, data in files.items())
    print(f"full briefing (xlsx + pptx + docx, {len(briefing.charts())} charts): {full:.2f} s ({sizes})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
