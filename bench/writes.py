"""Write benchmark: one upload, one correction and one status change into a large SYNTHETIC database.

It builds a synthetic database of 10k current reports with bench/synthetic.py (100k with --sizes 100000; a
database already built in --dir is reused), copies it, and times on the copy, each write in its own process so
that its peak memory is its own:
- upload: one bundled report (sample_data/) stored as a synthetic unit's report of a year it lacks, so that the
  facts, the checks and the 雷同 rows of that year and the next change;
- correction: one figure of a current report corrected (loaders.review.correct_figure);
- status: one finding's status changed with an explanation (loaders.review.review_finding).
It prints wall seconds, CPU seconds (steadier when other work shares the machine) and the peak resident memory
(MiB) of each write's process, and the database's size.

Usage: python bench/writes.py [--sizes 10000 [100000]] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script: `python bench/writes.py`

import duckdb  # noqa: E402

from bench import synthetic  # noqa: E402
from loaders import review, store  # noqa: E402
from loaders.model import Given  # noqa: E402

ACTIONS = ("upload", "correction", "status")
UPLOAD_FILE = ROOT / "sample_data" / "014_pingtan_zone_2021.txt"  # a 2021-template report with prose and tables
BY = "基准测试"


def database(size: int, folder: Path) -> Path:
    """The synthetic database of `size` reports in `folder`, built unless one built from this code is there."""
    path = folder / f"synthetic-writes-{size}.duckdb"
    if path.exists() and _fingerprint(path) == synthetic.schema_fingerprint():
        return path
    build = synthetic.generate(path, size, force=True)
    print(f"built {path.name} in {build.seconds:.0f} s", file=sys.stderr)
    return path


def _fingerprint(path: Path) -> str | None:
    """The generator fingerprint a synthetic database records, None when it records none."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.sql("select schema_fingerprint from synthetic_dataset").fetchall()[0][0]
    except duckdb.Error:
        return None
    finally:
        con.close()


def upload_target(con: duckdb.DuckDBPyConnection) -> tuple[str, int]:
    """A synthetic unit and a year it has no report for, with reports the year before and the year after."""
    return con.sql(
        "select agency, year + 1 from stg_reports_current as r where template = '2021' and year between 2021 and 2023"
        " and not exists (select 1 from reports as o where o.agency = r.agency and o.year = r.year + 1)"
        " and exists (select 1 from reports as o where o.agency = r.agency and o.year = r.year + 2)"
        " order by agency, year limit 1"
    ).fetchall()[0]


def correction_target(con: duckdb.DuckDBPyConnection) -> tuple[str, str, float]:
    """A stated 本年新收 figure of a current report: report_id, metric and its value."""
    return con.sql(
        "select report_id, metric, value from stg_figures_corrected where applicant = 'total'"
        " and metric = 'requests.new' and value is not null order by report_id limit 1"
    ).fetchall()[0]


def run_one(action: str, db: Path) -> dict:
    """Do one write of kind `action` on `db`; its seconds and this process's peak memory."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        agency, year = upload_target(con)
        report_id, metric, value = correction_target(con)
        (key,) = con.sql("select finding_key from fct_findings order by finding_key limit 1").fetchall()[0]
    finally:
        con.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    if action == "upload":
        summary = store.ingest([UPLOAD_FILE], db, progress=False, given=lambda _: Given(agency, year), by=BY)
        assert summary.added == 1, summary
    elif action == "correction":
        review.correct_figure(db, report_id, metric, "total", value + 1, "基准测试", BY)
    else:
        review.review_finding(db, key, BY, note="基准测试说明", status=review.STATUSES[1])
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    return {"action": action, "seconds": round(seconds, 3), "cpu": round(cpu, 3), "peak_mib": peak_mib()}


def peak_mib() -> float:
    """This process's peak resident memory in MiB (VmHWM: unlike ru_maxrss it does not carry over an exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure(db: Path) -> list[dict]:
    """Each write once, in order, each in a fresh process on the same copy."""
    out = []
    for action in ACTIONS:
        done = subprocess.run(
            [sys.executable, __file__, "--one", action, "--db", str(db)],
            capture_output=True,
            text=True,
            check=True,
        )
        out.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return out


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the databases, time the writes on a copy of each and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000], help="current reports (default 10000)")
    ap.add_argument("--dir", type=Path, help="where synthetic databases are kept and reused (default: a temp dir)")
    ap.add_argument("--one", choices=ACTIONS, help=argparse.SUPPRESS)  # one write in this process (internal)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.db)))
        return 0
    with tempfile.TemporaryDirectory(prefix="govreport-bench-writes-") as scratch:
        folder = args.dir or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"{'reports':>8} | {'write':<10} | {'seconds':>8} | {'CPU s':>8} | {'peak MiB':>8}")
        for size in args.sizes:
            source = database(size, folder)
            db = Path(scratch) / f"copy-{size}.duckdb"
            shutil.copyfile(source, db)
            for row in measure(db):
                figures = f"{row['seconds']:>8.2f} | {row['cpu']:>8.2f} | {row['peak_mib']:>8.0f}"
                print(f"{size:>8} | {row['action']:<10} | {figures}")
            print(f"{size:>8} | database {source.stat().st_size / 2**20:,.0f} MiB")
            db.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
