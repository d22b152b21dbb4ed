"""Query benchmark: every named query each dashboard page runs, timed on large SYNTHETIC databases.

For each size (default 10k and 100k current reports) it builds a synthetic database with bench/synthetic.py
(or reuses one already built in --dir), opens it read-only as the dashboard does, and runs every query the
pages call, as each page declares them (its QUERIES, with those of the views and helpers it names there, read from
the source without running the page), with the parameters the page passes, for a few representative selections:
no filter, one region, one agency and a year range. It prints, per page, query and selection, the rows returned
and the median, 90th-percentile and CPU milliseconds at each size (CPU time of all DuckDB threads: the steadier
figure when other work shares the machine), flags every query whose median is over the target at 100k reports, and
prints each database's file size and build time.

--query NAME (repeatable) times only the named queries, on every page that runs them.

Usage: python bench/queries.py [--sizes 10000 100000] [--rounds 5] [--dir DIR] [--db FILE ...] [--query NAME ...]
"""

from __future__ import annotations

import argparse
import ast
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script: `python bench/queries.py`

from analytics import queries  # noqa: E402
from analytics.db import connect  # noqa: E402
from analytics.state import Selection  # noqa: E402
from bench import synthetic  # noqa: E402

PAGES_DIR = ROOT / "app_pages"
TARGET_MS = 150.0
TARGET_AT = 100_000  # the target applies from this many reports on
BUDGET_S = 10.0  # seconds one case may take: a query slower than this is timed fewer times
EVERY_PAGE = "（每页侧栏）"  # queries that ui.widgets runs for the sidebar of every page


@dataclass(frozen=True)
class Case:
    """One timed call: the page, the query, the selection it stands for, and the bound parameters."""

    page: str
    query: str
    scenario: str
    params: dict = field(compare=False, hash=False)

    def key(self) -> tuple[str, str, str]:
        """What identifies the case across databases (their parameters name different agencies)."""
        return (self.page, self.query, self.scenario)


@dataclass
class Timing:
    """Milliseconds of every round of one case on one database, and the rows it returned."""

    ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # process CPU time: steadier than wall time on a busy machine
    rows: int = 0
    error: str | None = None  # the query failed: the first line of the error

    def median(self) -> float:
        """Median milliseconds."""
        return statistics.median(self.ms)

    def cpu(self) -> float:
        """Median CPU milliseconds of the process (all DuckDB threads) per run."""
        return statistics.median(self.cpu_ms)

    def p90(self) -> float:
        """90th-percentile milliseconds (the slowest round when there are fewer than ten)."""
        ordered = sorted(self.ms)
        return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


@dataclass
class Database:
    """A database benchmarked: its file, how many current reports it holds, how long it took to build."""

    path: Path
    reports: int
    build: synthetic.Build | None  # None when it was reused, not built

    def label(self) -> str:
        """The column heading of this database: its size in reports."""
        return f"{self.reports / 1000:g}k" if self.reports >= 1000 else str(self.reports)


# --- which queries the pages run ------------------------------------------------------------------


def page_queries(pages_dir: Path = PAGES_DIR) -> dict[str, list[str]]:
    """Page stem → the named queries it declares (its QUERIES, with those of the modules it names there).

    The sidebar's queries (ui.widgets) are left out here: every page runs them, see sidebar_queries().
    """
    return {page.stem: declared_queries(page) for page in sorted(pages_dir.glob("*.py"))}


def sidebar_queries() -> list[str]:
    """The queries ui.widgets runs for the shared sidebar, which every page draws."""
    return declared_queries(ROOT / "ui" / "widgets.py")


def declared_queries(path: Path) -> list[str]:
    """The QUERIES a module declares, read from its source (a page is not run): names, and `*module.QUERIES` of a
    module it imports, followed into that module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    value = next(
        (
            n.value
            for n in tree.body
            if isinstance(n, ast.Assign) and any(getattr(t, "id", None) == "QUERIES" for t in n.targets)
        ),
        None,
    )
    if value is None:
        raise LookupError(f"{path.name}: 没有声明 QUERIES / declares no QUERIES")
    names: list[str] = []
    for element in value.elts:
        if isinstance(element, ast.Constant):
            names.append(element.value)
        elif isinstance(element, ast.Starred) and isinstance(element.value, ast.Attribute):
            names += declared_queries(_imported_module(tree, element.value.value.id))
        else:
            raise ValueError(f"{path.name}: QUERIES 只能列出查询名或 *模块.QUERIES / unexpected entry in QUERIES")
    return list(dict.fromkeys(names))


def _imported_module(tree: ast.Module, alias: str) -> Path:
    """The file of the module a source knows as `alias` (`from a.b import c as alias`, `import a.b as alias`)."""
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            for name in node.names:
                if (name.asname or name.name) == alias:
                    return ROOT / Path(*node.module.split("."), f"{name.name}.py")
        if isinstance(node, ast.Import):
            for name in node.names:
                if name.asname == alias:
                    return ROOT / Path(*name.name.split(".")).with_suffix(".py")
    raise LookupError(f"{alias}: 未导入的模块 / not an imported module")


def page_constant(page: str, name: str) -> object:
    """A module-level constant of a page (MAX_UNITS, DEFAULT_METRICS …), read from its source, not by running it."""
    tree = ast.parse((PAGES_DIR / f"{page}.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == name and node.value:
            return ast.literal_eval(node.value)
    raise LookupError(f"{page}.py: 没有常量 {name} / no constant {name}")


# --- representative parameters ---------------------------------------------------------------------

SELECTION_PARAMS = frozenset(Selection().params())


@dataclass(frozen=True)
class Picks:
    """What the representative parameters name: the busiest region, a long-reporting government, its latest report,
    the busiest year, and (when the database has them) a finding and a work plan."""

    region: str
    agency: str
    report_id: str | None
    recent_ids: tuple[str, ...]
    year: int | None
    finding_key: str | None = None
    plan: str | None = None
    year_from: int = 2019
    year_to: int = 2023

    def selections(self) -> dict[str, Selection]:
        """The sidebar selections every selection-driven query is timed with."""
        return {
            "全部 / all": Selection(),
            "一个地区 / region": Selection(regions=(self.region,)),
            "一个单位 / agency": Selection(agencies=(self.agency,)),
            f"{self.year_from}–{self.year_to}": Selection(year_from=self.year_from, year_to=self.year_to),
        }

    def value(self, param: str) -> object:
        """The value a query parameter other than the selection is timed with (None when nothing fits)."""
        known = {
            "report_id": self.report_id,
            "report_ids": list(self.recent_ids),
            "content_hashes": [],
            "year": self.year,
            "years": [self.year] if self.year is not None else [],
            "finding_key": self.finding_key,
            "plan": self.plan,
        }
        return known.get(param)


def pick(con: duckdb.DuckDBPyConnection) -> Picks:
    """Choose the representative region, agency, report, year, finding and plan of a database."""
    agency = _first(con, "pick_agency")
    return Picks(
        region=_first(con, "pick_region"),
        agency=agency,
        report_id=_first(con, "pick_report", agency=agency),
        recent_ids=tuple(r for (r,) in con.sql(synthetic.bench_sql("pick_recent_reports")).fetchall()),
        year=_first(con, "pick_year"),
        finding_key=_first(con, "pick_finding_key", agency=agency),
        plan=_first(con, "pick_plan"),
    )


def _first(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> object:
    """The first value of a bench/sql query; None when it returns nothing or its table does not exist."""
    try:
        rows = con.sql(synthetic.bench_sql(name), params=params or None).fetchall()
    except duckdb.CatalogException:
        return None
    return rows[0][0] if rows else None


def cases(picks: Picks, pages: dict[str, list[str]] | None = None) -> list[Case]:
    """Every (page, query, selection) to time, with the parameters the page would bind."""
    pages = page_queries() if pages is None else pages
    out = [
        Case(EVERY_PAGE, name, scenario, params)
        for name in sidebar_queries()
        for scenario, params in query_params(name, picks)
    ]
    for page, names in pages.items():
        for name in names:
            out += [Case(page, label, scenario, params) for label, scenario, params in _labelled(name, picks)]
    return out


def _labelled(name: str, picks: Picks) -> Iterator[tuple[str, str, dict]]:
    """(query label, selection, parameters) of one query; compare_units once per metric the page starts with."""
    if name == "compare_units":
        for metric in page_constant("compare", "DEFAULT_METRICS"):
            for scenario, params in query_params(name, picks):
                yield f"{name}[{metric}]", scenario, {**params, "metric": metric}
        return
    for scenario, params in query_params(name, picks):
        yield name, scenario, params


def query_params(name: str, picks: Picks) -> list[tuple[str, dict]]:
    """The (selection label, parameters) a query is timed with, from the $parameters its SQL file names.

    A query that takes the sidebar selection runs once per representative selection; a page's fixed caps
    (MAX_UNITS, MAX_CHOICES) are read from the page; any other parameter gets the picked report, year,
    finding or plan, or None when the database has none.
    """
    wanted = set(re.findall(r"\$([a-z_][a-z0-9_]*)", re.sub(r"--[^\n]*", "", queries.load_sql(name))))
    fixed = {p: _fixed_value(p, picks) for p in sorted(wanted - SELECTION_PARAMS)}
    if not wanted & SELECTION_PARAMS:
        return [(_label(fixed), fixed)]
    return [
        (label, {**{k: v for k, v in sel.params().items() if k in wanted}, **fixed})
        for label, sel in picks.selections().items()
    ]


def _fixed_value(param: str, picks: Picks) -> object:
    """A non-selection parameter as the page binds it."""
    if param == "max_units":
        return page_constant("proactive", "MAX_UNITS")
    if param == "max_rows":
        return int(page_constant("report", "MAX_CHOICES")) + 1
    if param == "row_limit":
        return page_constant("similarity", "PAGE_ROWS")
    if param == "row_offset":
        return 0
    if param == "top":
        return page_constant("coverage", "GOVERNMENTS")
    return picks.value(param)


def _label(fixed: dict) -> str:
    """The selection column of a query that does not take the sidebar selection: what it is asked about."""
    if not fixed:
        return "全部 / all"
    if "report_ids" in fixed:
        return f"{len(fixed['report_ids'])}份新导入 / stored"
    named = list(dict.fromkeys(LABELS[param] for param in fixed if param in LABELS))
    return "; ".join(named) or "; ".join(fixed)


LABELS = {
    "report_id": "一份报告 / one report",
    "finding_key": "一条问题 / one finding",
    "year": "一个年度 / one year",
    "years": "一个年度 / one year",
    "plan": "一份方案 / one plan",
    "unit": "一个单位 / one unit",
}


# --- timing ---------------------------------------------------------------------------------------


def time_cases(
    path: Path, rounds: int, only: frozenset[str] = frozenset()
) -> tuple[Picks, dict[tuple[str, str, str], Timing]]:
    """Run every case `rounds` times (after one untimed run) on a read-only connection, as the dashboard does;
    with `only`, just the cases of the queries it names."""
    con = connect(path)
    try:
        picks = pick(con)
        results: dict[tuple[str, str, str], Timing] = {}
        for case in select_cases(cases(picks), only):
            results[case.key()] = time_case(con, case, rounds)
        return picks, results
    finally:
        con.close()


def select_cases(found: list[Case], only: frozenset[str]) -> list[Case]:
    """The cases of the queries named in `only`; every case when it is empty."""
    return [c for c in found if not only or c.query.split("[")[0] in only]


def refuse_unknown_queries(only: frozenset[str]) -> None:
    """Stop, before any database is built, when --query names a query that no page runs."""
    known = set(sidebar_queries()).union(*page_queries().values())
    unknown = sorted(only - known)
    if unknown:
        raise SystemExit(
            f"没有页面运行这些查询：{'、'.join(unknown)} / no page runs these queries: {', '.join(unknown)}"
        )


def time_case(con: duckdb.DuckDBPyConnection, case: Case, rounds: int, budget_s: float = BUDGET_S) -> Timing:
    """One case: an untimed run (its row count, and a warm-up), then `rounds` timed runs, fewer when they would
    overrun `budget_s`; a query slower than the whole budget is timed by its first run alone. An error is kept."""
    name = case.query.split("[")[0]
    start, cpu = time.perf_counter(), time.process_time()
    try:
        timing = Timing(rows=queries.run(con, name, **case.params).height)
    except duckdb.Error as exc:
        return Timing(error=str(exc).splitlines()[0])
    if time.perf_counter() - start >= budget_s > 0:
        timing.ms.append(1000 * (time.perf_counter() - start))
        timing.cpu_ms.append(1000 * (time.process_time() - cpu))
        return timing
    while len(timing.ms) < rounds and (not timing.ms or time.perf_counter() - start < budget_s):
        began, cpu = time.perf_counter(), time.process_time()
        queries.run(con, name, **case.params)
        timing.ms.append(1000 * (time.perf_counter() - began))
        timing.cpu_ms.append(1000 * (time.process_time() - cpu))
    return timing


def prepare_database(folder: Path, reports: int, seed: int) -> Database:
    """The synthetic database of `reports` reports in `folder`: reused when one with the same size and seed is there."""
    path = folder / f"synthetic-{reports}.duckdb"
    if path.exists() and _same_build(path, reports, seed):
        return Database(path, reports, None)
    build = synthetic.generate(path, reports, seed, force=True)
    return Database(path, reports, build)


def _same_build(path: Path, reports: int, seed: int) -> bool:
    """True when the file is a synthetic database built for this size and seed from the present sql/ and generator."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return False
    try:
        if not synthetic.is_synthetic(con):
            return False
        rows = con.sql(synthetic.bench_sql("synthetic_marker")).fetchall()
    except duckdb.Error:  # a marker from an older generator: build afresh
        return False
    else:
        return rows == [(reports, seed, synthetic.schema_fingerprint())]
    finally:
        con.close()


def existing_database(path: Path) -> Database:
    """A database given on the command line, sized by its current reports."""
    con = connect(path)
    try:
        reports = con.sql(synthetic.bench_sql("current_reports")).fetchall()[0][0]
    finally:
        con.close()
    return Database(path, reports, None)


# --- output ---------------------------------------------------------------------------------------


def table_lines(databases: list[Database], results: list[dict[tuple[str, str, str], Timing]]) -> list[str]:
    """The table: one line per case, with rows, median, p90 and CPU ms at each size, and a flag over the target."""
    head = pad("page", 12) + " " + pad("query", 34) + " " + pad("selection", 22)
    for db in databases:
        head += f" | {db.label():>6} rows {'median':>8} {'p90':>8} {'cpu':>7}"
    lines = [head, "-" * len(head)]
    slow = 0
    errors: list[str] = []
    for key in dict.fromkeys(k for result in results for k in result):  # every case, in the order first timed
        page, query, scenario = key
        line = pad(page, 12) + " " + pad(query, 34) + " " + pad(scenario, 22)
        over = False
        for db, result in zip(databases, results, strict=True):
            timing = result.get(key)
            if timing is None or timing.error:
                line += f" | {'—':>11} {'error' if timing else '—':>8} {'—':>8} {'—':>7}"
                if timing:
                    errors.append(f"{db.label()} {page} {query}: {timing.error}")
                continue
            line += f" | {timing.rows:>11,} {timing.median():>8.1f} {timing.p90():>8.1f} {timing.cpu():>7.1f}"
            over |= db.reports >= TARGET_AT and timing.median() > TARGET_MS
        slow += over
        lines.append(line + (f"   <-- 超过 {TARGET_MS:.0f} ms / over target" if over else ""))
    lines.append("")
    lines.append(_verdict(databases, slow))
    lines += [f"错误 / error: {e}" for e in dict.fromkeys(errors)]
    return lines


def pad(text: str, width: int) -> str:
    """Text padded to a display width, counting a Chinese character as two columns, so the table lines up."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - shown)


def _verdict(databases: list[Database], slow: int) -> str:
    """One line saying whether every query met the target at 100k reports, or that no database was that large."""
    if not any(db.reports >= TARGET_AT for db in databases):
        return f"目标 / target: median < {TARGET_MS:.0f} ms at {TARGET_AT:,} reports (no database here is that large)"
    if slow:
        return f"目标 / target: {slow} 个查询超过 {TARGET_MS:.0f} ms / {slow} queries over {TARGET_MS:.0f} ms"
    return f"目标 / target: 全部低于 {TARGET_MS:.0f} ms / every query under {TARGET_MS:.0f} ms at {TARGET_AT:,} reports"


def database_lines(databases: list[Database], picks: list[Picks]) -> list[str]:
    """File size, build time and the representative selections of each database."""
    lines = []
    for db, chosen in zip(databases, picks, strict=True):
        built = (
            "reused"
            if db.build is None
            else f"built in {db.build.seconds:.1f} s (loader checks and facts {db.build.facts_seconds:.1f} s)"
        )
        lines.append(
            f"{db.label():>6}: {db.path.name}  {db.path.stat().st_size / 2**20:,.0f} MiB  {built}  "
            f"(region {chosen.region}; agency {chosen.agency}; report {chosen.report_id})"
        )
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="reports per synthetic database")
    ap.add_argument("--rounds", type=int, default=5, help="timed runs of each query (after one untimed run)")
    ap.add_argument("--dir", type=Path, help="where synthetic databases are kept and reused (default: a temp dir)")
    ap.add_argument("--seed", type=int, default=20250101, help="seed of the synthetic data")
    ap.add_argument("--db", type=Path, action="append", help="time this existing database instead (repeatable)")
    ap.add_argument("--query", action="append", default=[], help="time only this named query (repeatable)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the databases, time every page's queries on each, print the table."""
    args = parse_args(argv)
    only = frozenset(args.query)
    refuse_unknown_queries(only)
    with tempfile.TemporaryDirectory(prefix="govreport-bench-") as scratch:
        folder = args.dir or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        if args.db:
            databases = [existing_database(path) for path in args.db]
        else:
            databases = [prepare_database(folder, size, args.seed) for size in args.sizes]
        timed = [time_cases(db.path, args.rounds, only) for db in databases]
        print(f"查询基准 / query benchmark: {args.rounds} rounds per query, median and p90 in ms\n")
        for line in database_lines(databases, [p for p, _ in timed]):
            print(line)
        print()
        for line in table_lines(databases, [r for _, r in timed]):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
