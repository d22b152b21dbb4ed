"""Batch parse: report files to Parquet tables on worker processes (or on Ray, loaders/batch_ray.py), resumable and
idempotent, and the load of those tables into the database with the versioning, checks and facts of an ingest.

The output folder holds one folder per batch of files, OUT/parts/<batch id>/<table>.parquet for every table of
TABLES; the batch id is a hash of the batch's files (content hash and path), so the same files make the same
batch. A batch is written under OUT/tmp/ and renamed into parts/ once whole: a killed run leaves whole batches
only, and a re-run skips every file whose content hash a batch already holds. The parse is the one `ingest` runs
(loaders.parse), with the same canonical keys, findings and refusals; the rows are those `ingest` stores.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import posixpath
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import duckdb
import polars as pl
from tqdm import tqdm

from loaders import store, textio
from loaders.accounts import Account
from loaders.model import Report, ReportError
from loaders.parse import MAX_FILE_BYTES, parse_reports_data

PARTS_DIR = "parts"
TMP_DIR = "tmp"
DEFAULT_BATCH_SIZE = 32  # files per batch: one Parquet folder each, and what a worker that dies loses

# The tables of a batch. `files` says which files the batch holds (parsed or failed), by content hash: it is what
# a re-run reads to skip them. Child rows name their report by (source_path, position): position is the report's
# place in its file (a collection workbook holds many), and the same bytes under two paths are two files here.
FILES_SCHEMA = {"file_hash": pl.String, "source_path": pl.String, "status": pl.String, "reports": pl.Int32}
REPORTS_SCHEMA = {
    "report_id": pl.String,
    **{name: kind for name, kind in store.REPORT_SCHEMA.items() if name not in ("report_id", "version")},
    "file_hash": pl.String,
    "position": pl.Int32,
    "content_key": pl.String,  # what makes two files the same report (store.content_key), for versioning at load
}
_REPORT_KEY = {"source_path": pl.String, "position": pl.Int32}
FIGURES_SCHEMA = {**_REPORT_KEY, **store.FIGURE_SCHEMA}
FINDINGS_SCHEMA = {**_REPORT_KEY, **store.FINDING_SCHEMA}
FAILURES_SCHEMA = {
    "source_path": pl.String,
    "file_hash": pl.String,  # null when the file could not be read at all
    "message": pl.String,  # as ingest prints it: "file: 中文 / English"
    "reason_zh": pl.String,
    "reason_en": pl.String,
}
SCHEMAS = {
    "files": FILES_SCHEMA,
    "reports": REPORTS_SCHEMA,
    "figures": FIGURES_SCHEMA,
    "mentions": FIGURES_SCHEMA,
    "findings": FINDINGS_SCHEMA,
    "failures": FAILURES_SCHEMA,
}
TABLES = tuple(SCHEMAS)
# Where each table's rows go in the database (files and failures stay in Parquet: they describe the run).
_DB_TABLES = {"figures": "figures", "mentions": "mentions", "findings": "parse_findings"}
Done = frozenset[tuple[str | None, str]]  # (content hash, path) of the files an output holds


@dataclass
class Outcome:
    """One file's result: its reports, or why it failed (message, Chinese reason, English reason)."""

    source_path: str
    file_hash: str | None
    reports: list[Report] = field(default_factory=list)
    failure: tuple[str, str, str] | None = None


@dataclass
class Counts:
    """What a run did so far: files parsed, failed and skipped (already in the output)."""

    parsed: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file, message) of this run

    def add(self, other: Counts) -> None:
        """Add another batch's counts to these."""
        self.parsed += other.parsed
        self.failed += other.failed
        self.skipped += other.skipped
        self.failures += other.failures

    @property
    def files(self) -> int:
        """Files dealt with: parsed, failed or skipped."""
        return self.parsed + self.failed + self.skipped


# --- inputs ---------------------------------------------------------------------------------------------------------


def is_uri(path: str) -> bool:
    """Whether an input names a file by URI (s3://, gs://, …), which only the Ray runner reads."""
    return "://" in path


def listed_paths(list_files: Iterable[Path]) -> list[str]:
    """The paths and URIs of list files, one a line; blank lines and lines starting with # are left out."""
    out: list[str] = []
    for list_file in list_files:
        text, _ = textio.decode(textio.read_regular(Path(list_file), MAX_FILE_BYTES), Path(list_file).name)
        out += [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return out


def input_files(paths: Iterable[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """(files, skipped): folders walked as ingest walks them, every local path made absolute, URIs as given. A path
    that does not exist stays in the list: reading it fails with ingest's message."""
    files: list[str] = []
    skipped: list[tuple[str, str]] = []
    for path in paths:
        if is_uri(path):
            files.append(path)
            continue
        local = Path(path).expanduser()
        if not local.exists():
            files.append(str(local.absolute()))
            continue
        found, _, left = store.collect([local])
        files += [str(p.resolve()) for p in found]
        skipped += left
    return list(dict.fromkeys(files)), skipped


# --- parsing --------------------------------------------------------------------------------------------------------


def file_hash(data: bytes) -> str:
    """A file's content hash (the content_hash of the report a one-report file holds)."""
    return hashlib.sha256(data).hexdigest()


def parse_data(source_path: str, data: bytes) -> Outcome:
    """Parse a file's bytes as ingest does: its reports with their findings, or the failure ingest would print."""
    name = posixpath.basename(source_path.rstrip("/"))
    digest = file_hash(data)
    try:
        reports = store.with_identity_findings(parse_reports_data(data, name))
    except ReportError as exc:
        return Outcome(source_path, digest, failure=(str(exc), exc.zh, exc.en))
    except Exception as exc:  # a parser bug on one file must not stop the others
        zh, en = store.could_not_zh(exc), store.could_not_en(exc)
        return Outcome(source_path, digest, failure=(f"{name}: {zh} / {en}", zh, en))
    return Outcome(source_path, digest, reports)


def read_and_parse(source_path: str, done: Done) -> Outcome | None:
    """Read a local file and parse it; None when the output already holds it (see done_files)."""
    try:
        data = textio.read_regular(Path(source_path), MAX_FILE_BYTES)
    except ReportError as exc:
        if (None, source_path) in done:
            return None
        return Outcome(source_path, None, failure=(str(exc), exc.zh, exc.en))
    return parse_unless_done(source_path, data, done)


def parse_unless_done(source_path: str, data: bytes, done: Done) -> Outcome | None:
    """Parse a file's bytes unless the output holds them under this path (None); a file over the size limit fails
    unread, as reading it from disk does."""
    try:
        textio.check_limit(len(data), posixpath.basename(source_path), MAX_FILE_BYTES)
    except ReportError as exc:
        return None if (None, source_path) in done else Outcome(source_path, None, failure=(str(exc), exc.zh, exc.en))
    if (file_hash(data), source_path) in done:
        return None
    return parse_data(source_path, data)


def batch_tables(outcomes: list[Outcome]) -> dict[str, pl.DataFrame]:
    """The tables of one batch, rows in a fixed order: files by path, then each file's reports in their order."""
    columns = {table: {name: [] for name in schema} for table, schema in SCHEMAS.items()}
    for outcome in sorted(outcomes, key=lambda o: o.source_path):
        path = outcome.source_path
        status = "failed" if outcome.failure else "parsed"
        _add_row(columns["files"], (outcome.file_hash, path, status, len(outcome.reports)))
        if outcome.failure:
            _add_row(columns["failures"], (path, outcome.file_hash, *outcome.failure))
        for position, report in enumerate(outcome.reports):
            _report_rows(columns, path, position, outcome.file_hash, report)
    return {table: pl.DataFrame(columns[table], schema=schema) for table, schema in SCHEMAS.items()}


def _add_row(columns: dict[str, list], row: Iterable) -> None:
    """Append one row, its values in the order of the table's columns."""
    for values, value in zip(columns.values(), row, strict=True):
        values.append(value)


def _report_rows(
    columns: dict[str, dict[str, list]], path: str, position: int, digest: str | None, report: Report
) -> None:
    """Add one report's rows, column by column: itself, its figures, its mentions and its parser findings."""
    report_id = store.report_id_for(report)
    content = store.content_key(report.text, [(f.metric, f.applicant, f.value) for f in report.figures])
    row = {"report_id": report_id, **store.report_row(report, path)}
    row.update(file_hash=digest, position=position, content_key=content)
    _add_row(columns["reports"], (row[name] for name in REPORTS_SCHEMA))
    for table, attribute in (("figures", "figures"), ("mentions", "mentions")):
        figures = store.figure_columns([(report_id, fig) for fig in getattr(report, attribute)])
        count = len(figures["report_id"])
        keyed = {"source_path": [path] * count, "position": [position] * count, **figures}
        for name, values in columns[table].items():
            values += keyed[name]
    for finding in report.findings:
        _add_row(columns["findings"], (path, position, *store.finding_row(report_id, finding)))


def counts_of(tables: dict[str, pl.DataFrame]) -> Counts:
    """What a batch holds: files parsed and failed, and the failures' messages."""
    files = tables["files"]
    failed = int((files["status"] == "failed").sum())
    failures = list(zip(tables["failures"]["source_path"], tables["failures"]["message"], strict=True))
    return Counts(parsed=files.height - failed, failed=failed, failures=failures)


# --- output ---------------------------------------------------------------------------------------------------------


def batch_id(files: pl.DataFrame) -> str:
    """A batch's name: a hash of its files' content hashes and paths, in path order."""
    digest = hashlib.sha256()
    for digest_of_file, path in sorted(zip(files["file_hash"], files["source_path"], strict=True), key=lambda r: r[1]):
        digest.update(f"{digest_of_file or ''}\t{path}\n".encode())
    return digest.hexdigest()[:24]


def write_batch(out: Path, tables: dict[str, pl.DataFrame]) -> bool:
    """Write one batch's tables atomically (a folder written aside, then renamed); False when the batch holds no
    file or a batch of the same files is already there."""
    if tables["files"].is_empty():
        return False
    final = Path(out) / PARTS_DIR / batch_id(tables["files"])
    if final.exists():
        return False
    work = Path(out) / TMP_DIR / f"{final.name}.{uuid.uuid4().hex[:8]}"
    work.mkdir(parents=True)
    try:
        for table, frame in tables.items():
            frame.write_parquet(work / f"{table}.parquet", compression="zstd")
            _fsync(work / f"{table}.parquet")
        final.parent.mkdir(parents=True, exist_ok=True)
        os.rename(work, final)
    except OSError:
        shutil.rmtree(work, ignore_errors=True)
        if final.exists():  # another writer finished the same batch first
            return False
        raise
    _fsync(final.parent)
    return True


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk before the rename that publishes it."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the output folder for one run: a second run into the same folder is refused, not mixed in."""
    Path(out).mkdir(parents=True, exist_ok=True)
    with open(Path(out) / ".lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released by the kernel even when the run is killed
        except BlockingIOError:
            raise ReportError(
                str(out), "另一个批量任务正在写入该输出目录", "another batch run is writing to this output folder"
            ) from None
        yield


def prepare_output(out: Path) -> None:
    """Create the output folder and drop the unfinished batches a killed run left in its tmp folder."""
    (Path(out) / PARTS_DIR).mkdir(parents=True, exist_ok=True)
    shutil.rmtree(Path(out) / TMP_DIR, ignore_errors=True)


def table_glob(out: Path, table: str) -> str:
    """The glob of one table's Parquet files across every batch."""
    return str(Path(out).resolve() / PARTS_DIR / "*" / f"{table}.parquet")


def batch_count(out: Path) -> int:
    """How many finished batches the output folder holds."""
    return sum(1 for _ in (Path(out) / PARTS_DIR).glob(f"*/{TABLES[0]}.parquet"))


def has_batches(out: Path) -> bool:
    """Whether the output folder holds at least one finished batch."""
    return any((Path(out) / PARTS_DIR).glob(f"*/{TABLES[0]}.parquet"))


def done_files(out: Path) -> Done:
    """(content hash, path) of every file the output already holds: a re-run skips a file whose content is there
    under its path. The same bytes under another path are another input, parsed again (and stored once by
    load-parquet), so that what a run writes never depends on what an earlier, interrupted run had reached. A file
    that could not be read (no hash) is skipped while it still cannot be."""
    if not has_batches(out):
        return frozenset()
    con = duckdb.connect()
    try:
        rows = con.sql("select distinct file_hash, source_path from read_parquet(?)", params=[table_glob(out, "files")])
        return frozenset(rows.fetchall())
    finally:
        con.close()


def read_table(out: Path, table: str) -> pl.DataFrame:
    """One table across every batch, in a fixed order (for comparing outputs): by every column."""
    if not has_batches(out):
        return pl.DataFrame(schema=SCHEMAS[table])
    con = duckdb.connect()
    try:
        frame = con.sql("select * from read_parquet(?)", params=[table_glob(out, table)]).pl()
    finally:
        con.close()
    return frame.sort(by=list(frame.columns), nulls_last=True)


# --- progress -------------------------------------------------------------------------------------------------------


class Progress:
    """Files done, failures, files per second and the time left, on stderr; off when quiet."""

    def __init__(self, total: int, quiet: bool, label: str):
        """Start the display for `total` files."""
        self.bar = tqdm(total=total, desc=label, unit="file", file=sys.stderr, disable=quiet, mininterval=1.0)
        self.failed = 0

    def advance(self, counts: Counts) -> None:
        """Count one batch (or one skipped file's worth of counts)."""
        self.failed += counts.failed
        self.bar.set_postfix_str(f"失败 failures {self.failed}", refresh=False)
        self.bar.update(counts.files)

    def close(self) -> None:
        """End the display."""
        self.bar.close()


# --- the local runner -----------------------------------------------------------------------------------------------

_DONE: Done = frozenset()  # in a worker process: the files already in the output


def _init_worker(done: Done) -> None:
    """Give a worker process the files to skip."""
    global _DONE
    _DONE = done


def parse_paths(paths: list[str], done: Done | None = None) -> tuple[dict[str, pl.DataFrame], int]:
    """A batch's tables from local files, and how many files were skipped as already in the output."""
    done = _DONE if done is None else done
    outcomes = [read_and_parse(path, done) for path in paths]
    found = [o for o in outcomes if o is not None]
    return batch_tables(found), len(outcomes) - len(found)


def chunks(items: list[str], size: int) -> Iterator[list[str]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def run_local(files: list[str], out: Path, workers: int, batch_size: int, quiet: bool = False) -> Counts:
    """Parse local files on `workers` processes, writing each batch from this process as it comes back; at most two
    batches per worker are in flight, so memory stays bounded whatever the number of files."""
    uris = [f for f in files if is_uri(f)]
    if uris:
        raise ReportError(
            uris[0],
            "本机运行只能读取本地文件，URI 请用 --ray 在 Ray 集群上运行",
            "the local runner reads local files only; run URIs on a Ray cluster with --ray",
        )
    with output_lock(out):
        return _run_local(files, out, workers, batch_size, quiet)


def _run_local(files: list[str], out: Path, workers: int, batch_size: int, quiet: bool, label: str = "batch") -> Counts:
    """The local run, under the output folder's lock."""
    prepare_output(out)
    done = done_files(out)
    counts = Counts()
    progress = Progress(len(files), quiet, label)
    pending = chunks(files, batch_size)
    in_flight: set[Future] = set()
    context = get_context("spawn")  # a fresh interpreter per worker: nothing inherited from this one's threads
    with ProcessPoolExecutor(max(1, workers), mp_context=context, initializer=_init_worker, initargs=(done,)) as pool:
        while True:
            while len(in_flight) < 2 * max(1, workers) and (chunk := next(pending, None)) is not None:
                in_flight.add(pool.submit(parse_paths, chunk))
            if not in_flight:
                break
            finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                tables, skipped = future.result()
                batch = store_batch(out, tables)
                batch.skipped = skipped
                counts.add(batch)
                progress.advance(batch)
    progress.close()
    return counts


def store_batch(out: Path, tables: dict[str, pl.DataFrame]) -> Counts:
    """Write a batch and count it."""
    write_batch(out, tables)
    return counts_of(tables)


# --- ingest on every core -------------------------------------------------------------------------------------------


# Files from which ingest() parses on several processes: below, starting the worker processes (about a second
# each) costs more than it saves.
PARALLEL_FROM = 64


def ingest(
    paths: list[Path],
    db_path: Path,
    progress: bool = True,
    given: store.GivenFor | None = None,
    by: Account | str | None = None,
    workers: int = 1,
) -> store.IngestSummary:
    """store.ingest() on `workers` processes (one or more) when there is work for them: at least PARALLEL_FROM files,
    nothing given and an account not limited to units (ingest_on_workers: the same rows, with memory that does not
    grow with the number of files, even on one worker); else on this process, as store.ingest()."""
    by, files, summary = store.start_ingest(paths, by)
    if len(files) >= PARALLEL_FROM and given is None and not (isinstance(by, Account) and by.scoped):
        ingest_on_workers(files, db_path, summary, workers, by, progress)
    else:
        store.ingest_collected(files, db_path, summary, progress, given, by)
    return summary


def ingest_on_workers(
    files: list[Path], db_path: Path, summary: store.IngestSummary, workers: int, by: Account | str, progress: bool
) -> None:
    """Ingest many files on `workers` processes: they are parsed into a Parquet folder beside the database (each
    batch written as it comes back, so memory does not grow with the number of files), which is then stored as
    load-parquet stores it, under the writer lock, and removed. The parse runs before the lock is taken, as for
    `ingest` of a few files, so a reviewer's save never waits for it."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_parsed(db_path)
    out = Path(tempfile.mkdtemp(prefix=_parsed_prefix(db_path), dir=db_path.parent))
    try:
        with output_lock(out):
            _run_local([str(path) for path in files], out, workers, DEFAULT_BATCH_SIZE, not progress, "ingest")
        store.write_ingest(db_path, summary, lambda writer: _load_into(writer, out), by)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _parsed_prefix(db_path: Path) -> str:
    """The name start of the Parquet folders an ingest on workers keeps beside the database while it runs."""
    return f".{db_path.name}.parsed-"


def _remove_stale_parsed(db_path: Path) -> None:
    """Remove the Parquet folders that killed ingests left beside the database: those whose lock no run holds."""
    for folder in db_path.parent.glob(f"{_parsed_prefix(db_path)}*"):
        lock = folder / ".lock"
        if not lock.exists():
            continue  # a run that has just made its folder takes the lock next
        with open(lock, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live ingest's
            shutil.rmtree(folder, ignore_errors=True)


# --- loading into the database --------------------------------------------------------------------------------------


def load_parquet(out: Path, db_path: Path) -> store.IngestSummary:
    """Store the reports of a batch output in the database as `ingest` of the same files would: versions, checks,
    facts, incremental when the database exists; through the same locked, atomic write."""
    if not has_batches(out):
        raise ReportError(
            str(out), "没有批量解析结果（parts/ 下无批次）", "no batch output here (no batch under parts/)"
        )
    summary = store.IngestSummary()
    store.write_ingest(db_path, summary, lambda writer: _load_into(writer, out))
    return summary


# Reports in the order ingest of the same folder reads them: by path, folder by folder, then by place in the file.
_ORDERED_REPORTS = """
select source_path, position, content_hash, agency, year, content_key
from batch_reports
order by string_split(source_path, '/'), position
"""
_INSERT_REPORTS = """
insert into reports by name
select
    r.* exclude (file_hash, position, content_key, published_on),
    a.version,
    try_cast(r.published_on as date) as published_on,
    cast(now() as timestamp) as ingested_at
from batch_reports as r
join admitted as a on a.source_path = r.source_path and a.position = r.position
"""


def _load_into(writer: store.BatchWriter, out: Path) -> None:
    """Decide each report's version as ingest does, then insert the chosen rows straight from Parquet."""
    con, summary = writer.con, writer.summary
    # A view, not a copy: the versioning pass reads only its few columns, the insert reads the texts once.
    source = _literal(table_glob(out, "reports"))
    con.sql(f"create or replace temp view batch_reports as select * from read_parquet({source})")
    admitted = []
    for path, position, content_hash, agency, year, content in con.sql(_ORDERED_REPORTS).fetchall():
        version = writer.admit(content_hash, agency, year, lambda content=content: content)
        if version is not None:
            admitted.append((path, position, version))
    frame = pl.DataFrame(
        admitted, schema={"source_path": pl.String, "position": pl.Int32, "version": pl.Int32}, orient="row"
    )
    con.register("admitted", frame)
    try:
        con.sql(_INSERT_REPORTS)
        for table, target in _DB_TABLES.items():
            _insert_children(con, out, table, target)
        _count_loaded(con, summary)
    finally:
        con.unregister("admitted")
        con.sql("drop view batch_reports")
    failures = con.sql(
        "select source_path, message from read_parquet(?) order by source_path", params=[table_glob(out, "failures")]
    )
    summary.failures += failures.fetchall()


def _literal(text: str) -> str:
    """A SQL string literal (a view's definition takes no bound parameter)."""
    return "'" + text.replace("'", "''") + "'"


def _insert_children(con: duckdb.DuckDBPyConnection, out: Path, table: str, target: str) -> None:
    """Insert the figures, mentions or findings of the admitted reports (target: a fixed table name)."""
    cells = ", cast(c.cells as json) as cells" if table == "findings" else ""
    exclude = "source_path, position, cells" if table == "findings" else "source_path, position"
    con.sql(
        f"insert into {target} by name select c.* exclude ({exclude}){cells} from read_parquet(?) as c"
        " semi join admitted as a on a.source_path = c.source_path and a.position = c.position",
        params=[table_glob(out, table)],
    )


def _count_loaded(con: duckdb.DuckDBPyConnection, summary: store.IngestSummary) -> None:
    """Add the stored reports to the summary, as ingest counts them."""
    rows = con.sql(
        "select r.report_id, a.version, r.agency, r.year from batch_reports as r"
        " join admitted as a on a.source_path = r.source_path and a.position = r.position"
        " order by string_split(r.source_path, '/'), r.position"
    ).fetchall()
    for report_id, version, agency, year in rows:
        summary.added += version == 1
        summary.replaced += version > 1
        summary.unidentified += not store.is_identified(agency, year)
        summary.report_ids.append(report_id)
    if summary.report_ids:
        summary.figures += con.sql(
            "select count(*) from figures where list_contains(?, report_id)", params=[summary.report_ids]
        ).fetchall()[0][0]
