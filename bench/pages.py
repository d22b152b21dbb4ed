"""Page benchmark: what each dashboard page sends to the browser, and how long it takes, on SYNTHETIC databases.

Each page of dashboard.py's PAGES is run once, signed in as an administrator with no sidebar filter, through
Streamlit's AppTest (the real script, in this process) against a synthetic database of bench/synthetic.py (built
in --dir or reused, as bench/queries.py does, or given with --db). What a page sends is measured as the serialized
size of every element and block protobuf of the page's script run: these are the messages Streamlit writes to the
browser's websocket (a dataframe's Arrow bytes, a chart's Plotly JSON, a select box's options, the text). Static
files (the frontend's JavaScript) are the same for every page and left out. The time is the page's first run with
empty caches (its queries and its own Python), and a second run served from Streamlit's cache.

It prints, per page and size, the KiB sent, the largest element kinds and both times, and flags a page over the
byte target.

Usage: python bench/pages.py [--sizes 10000] [--dir DIR] [--db FILE ...] [--page STEM ...]
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script: `python bench/pages.py`

from bench import queries as query_bench  # noqa: E402

TARGET_KIB = 300  # "a few hundred KB per page"
ADMIN_NAME = "基准测试管理员"
ADMIN_PASSWORD = "bench-password-1234"


@dataclass
class PageRun:
    """One page on one database: bytes sent by kind, seconds of the cold and the cached run, or the error."""

    page: str
    kinds: Counter = field(default_factory=Counter)
    cold_s: float = 0.0
    warm_s: float = 0.0
    error: str | None = None

    def total(self) -> int:
        """Bytes of every element and block."""
        return sum(self.kinds.values())


def dashboard_pages() -> list[tuple[str, str]]:
    """(file, title) of every page in dashboard.py's PAGES, read from the source, in menu order."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PAGES" for t in node.targets):
            return [(entry[0], entry[1]) for entry in ast.literal_eval(node.value)]
    raise LookupError("dashboard.py: 没有 PAGES / no PAGES")


def sent_bytes(node: object, kinds: Counter | None = None) -> Counter:
    """Serialized bytes of a script run's element tree, by element kind (dataframe, plotly_chart, …)."""
    kinds = Counter() if kinds is None else kinds
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "ByteSize"):
        kind = getattr(node, "type", None) or type(node).__name__
        kinds[str(kind)] += proto.ByteSize()
    for child in getattr(node, "children", {}).values():
        sent_bytes(child, kinds)
    return kinds


def ensure_admin(db: Path) -> str:
    """An administrator account in the database's account store (a file beside it), created on first use."""
    from loaders import accounts

    if accounts.account(db, ADMIN_NAME) is None:
        accounts.add_user(db, ADMIN_NAME, accounts.ADMIN, (), ADMIN_PASSWORD, by="bench")
    return ADMIN_NAME


def run_page(page: str, account: str) -> PageRun:
    """Run one page twice (cold, then cached) and measure the first run's elements."""
    from streamlit.testing.v1 import AppTest

    from ui.auth import SESSION_KEY

    result = PageRun(page)
    timings = []
    for _ in range(2):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        at.session_state[SESSION_KEY] = account
        at.switch_page(page)
        began = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - began)
        if at.exception:
            result.error = at.exception[0].message.splitlines()[0]
            return result
        if len(timings) == 1:
            result.kinds = sent_bytes(at._tree)
    result.cold_s, result.warm_s = timings
    return result


def run_pages(db: Path, only: frozenset[str]) -> list[PageRun]:
    """Every page (or those named in `only`) against one database (the dashboard's, $GOVREPORT_DB, which the caller
    points at it), with empty caches to begin with."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    account = ensure_admin(db)
    return [run_page(page, account) for page, _ in dashboard_pages() if not only or Path(page).stem in only]


def report_lines(label: str, runs: list[PageRun]) -> list[str]:
    """The table of one database: KiB sent, the three largest kinds, cold and cached seconds."""
    titles = dict(dashboard_pages())
    lines = [f"{label}:", f"{'page':<28} {'KiB':>9} {'cold s':>8} {'cached s':>9}  largest elements (KiB)"]
    over = 0
    for run in runs:
        name = query_bench.pad(f"{Path(run.page).stem} {titles[run.page]}", 28)
        if run.error:
            lines.append(f"{name} error: {run.error}")
            continue
        top = ", ".join(f"{kind} {size / 1024:,.1f}" for kind, size in run.kinds.most_common(3))
        flag = run.total() / 1024 > TARGET_KIB
        over += flag
        lines.append(
            f"{name} {run.total() / 1024:>9,.1f} {run.cold_s:>8.2f} {run.warm_s:>9.2f}  {top}"
            + (f"   <-- 超过 {TARGET_KIB} KiB / over target" if flag else "")
        )
    lines.append(f"目标 / target: ≤ {TARGET_KIB} KiB per page; {over} page(s) over")
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000], help="reports per synthetic database")
    ap.add_argument("--dir", type=Path, help="where synthetic databases are kept and reused (default: a temp dir)")
    ap.add_argument("--seed", type=int, default=20250101, help="seed of the synthetic data")
    ap.add_argument("--db", type=Path, action="append", help="measure this existing database instead (repeatable)")
    ap.add_argument("--page", action="append", default=[], help="measure only this page (file stem, repeatable)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the databases, run every page on each, print the table."""
    args = parse_args(argv)
    from streamlit import logger

    logger.set_log_level("error")  # AppTest's bare-mode warnings would bury the table
    with tempfile.TemporaryDirectory(prefix="govreport-pages-") as scratch:
        folder = args.dir or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        if args.db:
            databases = [query_bench.existing_database(path) for path in args.db]
        else:
            databases = [query_bench.prepare_database(folder, size, args.seed) for size in args.sizes]
        print("页面基准 / page benchmark: bytes of the elements sent to the browser, seconds per page run\n")
        for db in databases:
            os.environ["GOVREPORT_DB"] = str(db.path)
            for line in report_lines(f"{db.label()} ({db.path.name})", run_pages(db.path, frozenset(args.page))):
                print(line)
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
