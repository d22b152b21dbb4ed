"""雷同 benchmark: time to compute the section similarity rows, on sample_data/ and on synthetic reports.

The synthetic set is built from the 2021-template reports in sample_data/: each unit gets a made-up name, and
every prose sentence is kept, swapped for a random sentence of another report, or has its figures changed, so
that units share some text and not other. Half the units are governments and half departments (two peer
groups); each unit reports for two years, so both the 上年 and the 同类 comparisons run. The files are ingested
(which computes the rows once), then the rows of all years are recomputed on their own and timed.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script: `python bench/similarity.py`

import duckdb  # noqa: E402

from loaders import similarity, store  # noqa: E402
from loaders.model import ReportError  # noqa: E402
from loaders.parse import parse_file  # noqa: E402
from loaders.store import ingest, prepare  # noqa: E402

PLACES = "东西南北中安平宁和丰泰华兴盛昌江河山川林源阳青白金玉石桥湖海云"
SENTENCE = re.compile(r"[^。]*。")


def base_reports(folder: Path, work: Path) -> list[tuple[str, str, int]]:
    """(text, agency, year) of the sample reports on the 2021 template that keep a new name when renamed."""
    out = []
    for path in sorted(folder.glob("*.txt")):
        report = parse_file(path)
        if report.template == "2021" and report.agency and _renames(report.text, report.agency, work):
            out.append((report.text, report.agency, report.year))
    return out


def _renames(text: str, agency: str, work: Path) -> bool:
    """True when the report, its agency's name replaced, is read with the new name (tried in `work`)."""
    probe = work / "rename-probe.txt"
    try:
        return _parsed_agency(probe, text.replace(agency, unit_name(0, True))) == unit_name(0, True)
    finally:
        probe.unlink(missing_ok=True)


def _parsed_agency(path: Path, text: str) -> str | None:
    """The agency the loader reads from `text` (written to `path`), or None when it refuses the text."""
    path.write_text(text, encoding="utf-8")
    try:
        return parse_file(path).agency
    except ReportError:
        return None


def sentence_pool(bases: list[tuple[str, str, int]]) -> list[str]:
    """Every prose sentence of the base reports."""
    return [s for text, _, _ in bases for line in text.split("\n") if "\t" not in line for s in SENTENCE.findall(line)]


def unit_name(i: int, government: bool) -> str:
    """A made-up unit name at county level: a government or a department."""
    place = PLACES[i % len(PLACES)] + PLACES[(i // len(PLACES)) % len(PLACES)] + PLACES[i // len(PLACES) ** 2]
    return f"{place}区人民政府" if government else f"{place}区卫生健康局"


def variant(text: str, pool: list[str], rng: random.Random) -> str:
    """The text with each prose sentence kept (50%), swapped for a pool sentence (30%) or with figures changed."""
    lines = []
    for line in text.split("\n"):
        if "\t" in line or "。" not in line:
            lines.append(line)
            continue
        parts = []
        for sentence in SENTENCE.findall(line):
            roll = rng.random()
            if roll < 0.3:
                sentence = rng.choice(pool)
            elif roll < 0.5:
                sentence = re.sub(r"\d+", lambda m: str(rng.randint(1, 99)), sentence)
            parts.append(sentence)
        lines.append("".join(parts) + line[sum(len(s) for s in SENTENCE.findall(line)) :])
    return "\n".join(lines)


def write_units(folder: Path, units: int, bases: list, seed: int) -> int:
    """Write two years of reports for each unit into `folder`; return the number of files."""
    rng = random.Random(seed)
    pool = sentence_pool(bases)
    written = 0
    for i in range(units):
        text, agency, year = bases[i % len(bases)]
        name = unit_name(i, government=i % 2 == 0)
        renamed = text.replace(agency, name)
        first = _readable(folder / f"unit{i:04d}_0.txt", variant(renamed, pool, rng), renamed, name)
        later = first.replace(str(year), str(year + 1))
        _readable(folder / f"unit{i:04d}_1.txt", variant(later, pool, rng), later, name)
        written += 2
    return written


def _readable(path: Path, text: str, fallback: str, name: str) -> str:
    """Write `text`, or `fallback` when the loader would refuse `text` (a variant can look cut short)."""
    if _parsed_agency(path, text) != name:
        path.write_text(text := fallback, encoding="utf-8")
    return text


def timed_recompute(db: Path) -> tuple[float, float, int]:
    """Delete every similarity row of `db` and recompute them all; (wall seconds, CPU seconds, rows)."""
    con = duckdb.connect(str(db))
    try:
        prepare(con)
        con.sql("delete from section_similarity")
        ids = [rid for (rid,) in con.sql("select report_id from stg_reports_current").fetchall()]
        start, cpu = time.perf_counter(), time.process_time()
        rows = similarity.refresh(con, ids)
        return time.perf_counter() - start, time.process_time() - cpu, rows
    finally:
        con.close()


def timed_upload(db: Path, file: Path) -> tuple[float, float, float]:
    """Ingest one more report into a copy of `db`; (whole ingest seconds, 雷同 wall seconds, 雷同 CPU seconds)."""
    copy = db.with_name(f"upload-{db.name}")
    shutil.copyfile(db, copy)
    spent = [0.0, 0.0]
    refresh = store.refresh_similarity

    def timed(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> int:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return refresh(con, report_ids)
        finally:
            spent[0] += time.perf_counter() - start
            spent[1] += time.process_time() - cpu

    store.refresh_similarity = timed
    try:
        start = time.perf_counter()
        summary = ingest([file], copy, progress=False)
        assert summary.added == 1, summary
        return time.perf_counter() - start, spent[0], spent[1]
    finally:
        store.refresh_similarity = refresh
        copy.unlink()


def measure(label: str, files: list[Path], work: Path) -> Path:
    """Ingest files, then time a full recompute of the similarity rows, and print the figures."""
    db = work / f"{label}.duckdb"
    start = time.perf_counter()
    summary = ingest(files, db, progress=False)
    ingest_seconds = time.perf_counter() - start
    seconds, cpu, rows = timed_recompute(db)
    print(f"[{label}] 报告 / reports stored: {summary.added}  失败 / failed: {len(summary.failures)}")
    print(f"[{label}] 入库总耗时 / whole ingest (parse + store + similarity): {ingest_seconds:.2f} s")
    print(f"[{label}] 雷同计算 / similarity, all years recomputed: {seconds:.2f} s wall, {cpu:.2f} s CPU, {rows} rows")
    print(f"[{label}] 每份报告 / per report: {1000 * cpu / max(summary.added, 1):.1f} ms CPU")
    return db


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark at sample scale and on the synthetic set."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=ROOT / "sample_data", help="folder of text reports to start from")
    ap.add_argument("--units", type=int, default=500, help="synthetic units (two reports each)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, default=None, help="also copy the synthetic database to this file")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="similarity-bench-"))
    try:
        measure(args.data.name, sorted(args.data.glob("*.txt")), work)
        synthetic = work / "synthetic"
        synthetic.mkdir()
        count = write_units(synthetic, args.units, base_reports(args.data, work), args.seed)
        print(f"合成报告 / synthetic reports written: {count}")
        db = measure("synthetic", sorted(synthetic.glob("*.txt")), work)
        upload = work / "upload"
        upload.mkdir()
        write_units(upload, args.units + 1, base_reports(args.data, work), args.seed)
        whole, seconds, cpu = timed_upload(db, upload / f"unit{args.units:04d}_1.txt")  # a new unit's later year
        print(
            f"[synthetic] 上传一份报告 / one more report: ingest {whole:.2f} s, of which 雷同 {seconds:.2f} s wall,"
            f" {cpu:.2f} s CPU"
        )
        if args.keep:
            shutil.copyfile(db, args.keep)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"内存峰值 / ru_maxrss (whole process): {peak:.0f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
