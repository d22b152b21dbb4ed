"""The only writer of the database: parse report files and store them, swapping the new file in atomically."""

from __future__ import annotations

import atexit
import csv
import fcntl
import hashlib
import io
import itertools
import json
import os
import re
import shlex
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import polars as pl
from tqdm import tqdm

import config
from loaders import audit, cli_support, meta, textio
from loaders.accounts import Account, Refused, authorize, local_user, require_unit
from loaders.formats.registry import EXTENSIONS
from loaders.keys import APPLICANTS, METRICS
from loaders.memory import run_sized, set_budget
from loaders.model import Figure, Finding, Given, Report, ReportError
from loaders.parse import parse_reports
from loaders.roster_headers import header_of
from loaders.sections import find_sections
from loaders.similarity import refresh as refresh_similarity

# File kinds the parser reads. A folder walk tries every other file too (its content decides, as when the file is
# named on the command line), so a .doc or .xls in a folder is refused with advice rather than passed over.
SUPPORTED_SUFFIXES = (*EXTENSIONS, "")  # a report file in a folder: a known extension or none

_ROSTER_PEEK_BYTES = 20 * 1024 * 1024  # a roster CSV larger than this is read as a report (and refused)

# SQL folders in the order they are applied: tables and macros first, then the views built on them.
_DDL_FOLDERS = ("tables", "macros")
_VIEW_FOLDERS = ("staging", "checks")
_STORED_FOLDERS = (*_DDL_FOLDERS, *_VIEW_FOLDERS, "facts")  # what the database holds, and its fingerprint covers

FIGURE_SCHEMA = {
    "report_id": pl.String,
    "metric": pl.String,
    "applicant": pl.String,
    "value": pl.Float64,
    "raw": pl.String,
    "line": pl.Int32,
    "section": pl.String,
    "row_label": pl.String,
    "col_label": pl.String,
    "kind": pl.String,
    "qualifier": pl.String,
    "sentence": pl.String,
    "percent": pl.Float64,
    "location": pl.String,
}
REPORT_SCHEMA = {
    "report_id": pl.String,
    "agency": pl.String,
    "year": pl.Int32,
    "template": pl.String,
    "region": pl.String,
    "parent": pl.String,
    "published_on": pl.String,
    "agency_source": pl.String,
    "year_source": pl.String,
    "source": pl.String,
    "source_path": pl.String,
    "source_format": pl.String,
    "encoding": pl.String,
    "content_hash": pl.String,
    "version": pl.Int32,
    "sections": pl.List(pl.String),
    "text": pl.String,
}
FINDING_SCHEMA = {
    "report_id": pl.String,
    "rule": pl.String,
    "severity": pl.String,
    "message": pl.String,
    "cells": pl.String,
}


@dataclass
class IngestSummary:
    """What one ingest did: reports added, unchanged and replaced, figures stored, findings, failed files."""

    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    figures: int = 0  # figures stored by this ingest
    findings: int = 0  # rows of the findings view that belong to the reports stored by this ingest
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file, message)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why) files of a folder left alone
    report_ids: list[str] = field(default_factory=list)  # ids of the reports stored by this ingest
    unidentified: int = 0  # reports stored by this ingest without an agency or a year (each with a PARSE finding)
    # (report id, what the user gave) for files already stored byte for byte and read again with an agency or a year
    # given: identify.identify_given gives them to such a report that was stored without them
    given_again: list[tuple[str, Given]] = field(default_factory=list)


GivenFor = Callable[[Path], Given | None]  # the agency and year a user supplied for a file, if any


def ingest(
    paths: list[Path],
    db_path: Path,
    progress: bool = True,
    given: GivenFor | None = None,
    by: Account | str | None = None,
) -> IngestSummary:
    """Parse and store every report under `paths` into `db_path`; the old database stays whole until the swap.

    `given(path)` is the agency and year the user supplied for a file: they fill what the report does not state
    and win over what it does (the report's own reading is then kept as a finding). Files are parsed before the
    writer lock is taken, so a slow file never keeps a reviewer's save waiting.

    `by` is who imports (default: the local user): an account must be allowed to import, and one limited to a unit
    stores only that unit's reports (another unit's report fails with the reason). Every stored report gets its
    row in the audit log. (loaders.batch.ingest does the same on several processes.)
    """
    by, files, summary = start_ingest(paths, by)
    ingest_collected(files, db_path, summary, progress, given, by)
    return summary


def start_ingest(paths: list[Path], by: Account | str | None) -> tuple[Account | str, list[Path], IngestSummary]:
    """What every ingest does first: who imports (default: the local user, who must be allowed to), the files to
    read, and the summary that starts with the paths that are unusable and the files skipped."""
    by = local_user() if by is None else by
    authorize(by, "report.ingest")
    files, failures, skipped = collect(paths)
    return by, files, IngestSummary(failures=failures, skipped=skipped)


def ingest_collected(
    files: list[Path],
    db_path: Path,
    summary: IngestSummary,
    progress: bool,
    given: GivenFor | None,
    by: Account | str,
) -> None:
    """ingest() of files already collected, on this process: each parsed in turn, then all stored in one write."""
    given = given or _nothing_given
    parsed = []
    for path in tqdm(files, desc="ingest", unit="file", file=sys.stderr, disable=not progress):
        reports = _parse_file(path, summary, given(path))
        if reports:
            parsed.append((path, reports))
    write_ingest(db_path, summary, lambda writer: _add_parsed(writer, parsed, by), by)


def _add_parsed(writer: BatchWriter, parsed: list[tuple[Path, list[Report]]], by: Account | str) -> None:
    """Queue every parsed report `by` may store, file by file in the order they were read."""
    for path, reports in parsed:
        for report in reports:
            if _in_scope(writer.con, by, report, path, writer.summary):
                writer.add(report, path)


def _nothing_given(path: Path) -> None:
    """No file gets a user-supplied agency or year."""


@contextmanager
def transaction(db_path: Path, rebuild: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """A write to the database that lands whole or not at all, like an ingest.

    Under the writer lock, the body works on a copy of the current database (its tables and views recreated from
    sql/ first when they were built by other sql/ files); when it returns, the facts are brought up to date and the
    copy swapped in. An exception leaves the database as
    it was. Writers queue on the lock, so two writers never lose each other's rows.

    rebuild=False is for writes that no view or fact is computed from at ingest (a finding's status or
    explanation, read live through stg_finding_review_state): the facts are kept as they are, which saves
    rebuilding them (minutes for a province-sized database). A database built by other sql/ files is still
    refreshed and rebuilt in full.
    """
    with _swapped_copy(Path(db_path)) as work:
        con = connect(work)
        _touched[id(con)] = None
        try:
            built = _prepared(con)
            yield con
            touched = _touched[id(con)]
            if not built or (rebuild and touched is None):
                materialize(con)
            elif rebuild:
                refresh_facts(con, sorted(touched))
            con.sql("checkpoint")
        finally:
            _touched.pop(id(con), None)
            con.close()


# The reports each open transaction's body declared it changed (touch()); None: not declared, rebuild every fact.
_touched: dict[int, set[str] | None] = {}


def touch(con: duckdb.DuckDBPyConnection, report_ids: Iterable[str]) -> None:
    """Declare, inside transaction(), the only reports whose figures or findings the body changed: at its end only
    the fact rows of those reports' units are recomputed instead of every fact table."""
    if id(con) in _touched:
        _touched[id(con)] = (_touched[id(con)] or set()) | set(report_ids)


def _prepared(con: duckdb.DuckDBPyConnection) -> bool:
    """Make the open work copy's tables, macros and views those of this sql/ (recreated only when the fingerprint or
    the set of views differs); whether its stored facts can be brought up to date rather than stored whole (built by
    this sql/, every fact table in place); such a write works within the budget of a write in place from here on."""
    built = _built_by_this_schema(con)
    if not built or not _views_in_place(con):
        prepare(con)
    in_place = built and _facts_in_place(con)
    if in_place:
        set_budget(con, config.update_memory())
    return in_place


def _built_by_this_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the open database was built by the sql/ files of this version of the code."""
    if not con.sql("select 1 from duckdb_tables() where table_name = 'schema_info'").fetchall():
        return False
    return con.sql("select fingerprint from schema_info").fetchall() == [(schema_fingerprint(),)]


def _views_in_place(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database holds exactly the views of sql/staging and sql/checks (by name): with the fingerprint,
    what lets a write skip recreating every view."""
    views = {name for (name,) in con.sql("select view_name from duckdb_views() where not internal").fetchall()}
    return views == {p.stem for folder in _VIEW_FOLDERS for p in sql_files(folder)}


def _facts_in_place(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether every fact table of sql/facts is stored (a new database has none until its first write stores them
    whole)."""
    tables = {name for (name,) in con.sql("select table_name from duckdb_tables() where not temporary").fetchall()}
    return {p.stem for p in sql_files("facts")} <= tables


@contextmanager
def _swapped_copy(db_path: Path) -> Iterator[Path]:
    """Yield a work copy of `db_path` under the writer lock; swap it in when the body returns without error."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with _writer_lock(db_path):
        _remove_stale_work(db_path)
        # The work copy lives in the target's folder so that os.replace is a same-filesystem rename.
        with tempfile.TemporaryDirectory(dir=db_path.parent, prefix=_work_prefix(db_path)) as work_dir:
            work = Path(work_dir) / db_path.name
            stale_wal = _copy_database(db_path, work)
            yield work
            _fsync(work)
            if stale_wal:  # replayed into the work copy; beside the new file it would make it unreadable
                os.replace(stale_wal, Path(work_dir) / "replayed.wal")
            os.replace(work, db_path)
            _fsync(db_path.parent)


@contextmanager
def _writer_lock(db_path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the database: a second ingest waits rather than racing the first."""
    with open(db_path.with_name(f".{db_path.name}.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released by the kernel even when the process is killed
        yield


def _work_prefix(db_path: Path) -> str:
    """Name prefix of the work folders of ingests into `db_path`."""
    return f".{db_path.name}.ingest-"


def _remove_stale_work(db_path: Path) -> None:
    """Delete work folders left by ingests that were killed; safe because we hold the writer lock."""
    for stale in db_path.parent.glob(_work_prefix(db_path) + "*"):
        shutil.rmtree(stale, ignore_errors=True)


def write_ingest(
    db_path: Path, summary: IngestSummary, store_reports: Callable[[BatchWriter], None], by: Account | str | None = None
) -> None:
    """Under the writer lock, on a work copy of the database: `store_reports` adds reports through a BatchWriter,
    then every stored report gets its audit row (recorded for `by`, default the local user), the corrections are
    carried, 雷同 rows and facts brought up to date, findings counted and the copy swapped in."""
    by = local_user() if by is None else by
    authorize(by, "report.ingest")
    with _swapped_copy(Path(db_path)) as work:
        _ingest_into(work, summary, store_reports, by)


def _ingest_into(
    work: Path, summary: IngestSummary, store_reports: Callable[[BatchWriter], None], by: Account | str
) -> None:
    """Store the reports in the work copy (views recreated only when sql/ changed), count findings, checkpoint."""
    con = connect(work)
    try:
        built = _prepared(con)
        writer = BatchWriter(con, summary)
        store_reports(writer)
        writer.flush()
        audit_ingest(con, by, summary.report_ids)
        carry_corrections(con, summary.report_ids)
        refresh_similarity(con, summary.report_ids)  # 雷同 rows of the years these reports touch
        if built:
            refresh_facts(con, summary.report_ids)
        else:
            materialize(con)
        summary.findings = count_findings(con, summary.report_ids)
        con.sql("checkpoint")
    finally:
        con.close()


def _in_scope(con: duckdb.DuckDBPyConnection, by: Account | str, report: Report, path: Path, summary) -> bool:
    """Whether `by` may store this report (an account limited to a unit: only that unit's); else a failure."""
    try:
        require_unit(con, by, report.agency)
    except Refused as exc:
        summary.failures.append((str(path), f"{path.name}: {exc}"))
        return False
    return True


def audit_ingest(con: duckdb.DuckDBPyConnection, by: Account | str, report_ids: list[str]) -> None:
    """One audit row per stored report: the version it replaces (before) and the new one (after)."""
    if not report_ids:
        return
    rows = con.sql(
        "select n.report_id, n.agency, n.year, n.version, n.source, n.content_hash, o.report_id as replaced,"
        " o.content_hash as replaced_hash from reports as n left join reports as o"
        " on o.agency = n.agency and o.year = n.year and o.version = n.version - 1"
        " where list_contains(?, n.report_id) order by n.agency, n.year",
        params=[report_ids],
    ).pl()
    entries = []
    for row in rows.iter_rows(named=True):
        before = {"report_id": row["replaced"], "content_hash": row["replaced_hash"]} if row["replaced"] else None
        after = {k: row[k] for k in ("report_id", "agency", "year", "version", "source", "content_hash")}
        entries.append((f"{row['agency']}|{row['year']}", before, after))
    audit.record_many(con, by, "report.ingest", entries)


# The current corrections of the version before each new version, with the figure as each version prints it.
_CARRIED_SQL = """
with fresh as (
    select report_id, agency, year, version from reports where list_contains(?, report_id) and version > 1
),
pairs as (
    select f.report_id as new_id, r.report_id as old_id
    from fresh as f join reports as r on r.agency = f.agency and r.year = f.year and r.version = f.version - 1
)
select
    p.new_id, c.correction_id, c.metric, c.applicant, c.value, c.reason, c.corrected_by,
    o.raw as old_raw, o.value as old_value, n.raw as new_raw, n.value as new_value, n.report_id is not null as found
from pairs as p
join stg_figure_corrections as c on c.report_id = p.old_id and c.is_current
left join figures as o
    on o.report_id = p.old_id and o.metric = c.metric and o.applicant is not distinct from c.applicant
left join figures as n
    on n.report_id = p.new_id and n.metric = c.metric and n.applicant is not distinct from c.applicant
-- a report identified after it was stored may carry corrections of its own, which stand
where not exists (
    select 1 from stg_figure_corrections as own
    where own.report_id = p.new_id and own.metric = c.metric and own.applicant is not distinct from c.applicant
        and own.is_current
)
order by c.correction_id
"""


def carry_corrections(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """Carry each current correction of a replaced version to the new version when the new version prints the
    same value; when it prints another, leave it behind and flag the figure with a PARSE finding to review."""
    if not report_ids:
        return
    for row in con.sql(_CARRIED_SQL, params=[report_ids]).fetchall():
        new_id, correction_id, metric, applicant, value, reason, by, old_raw, old_value, new_raw, new_value, found = row
        if found and old_value == new_value:
            next_id = con.sql("select coalesce(max(correction_id), 0) + 1 from figure_corrections").fetchall()[0][0]
            con.sql(
                "insert into figure_corrections values (?, ?, ?, ?, ?, ?, ?, cast(now() as timestamp), null)",
                params=[next_id, new_id, metric, applicant, value, f"沿用更正#{correction_id}：{reason}", by],
            )
            continue
        label = METRICS[metric].label if metric in METRICS else metric
        message = (
            f"更正#{correction_id}（{label}{'|' + applicant if applicant else ''}）未沿用到新版本："
            f"原文数字由“{old_raw or '未填报'}”变为“{new_raw or '未填报'}”，请复核"
        )
        cells = json.dumps([{"metric": metric, "applicant": applicant, "raw": new_raw}], ensure_ascii=False)
        con.sql(
            "insert into parse_findings by name select ? as report_id, 'PARSE' as rule, 'warning' as severity,"
            " ? as message, cast(? as json) as cells",
            params=[new_id, message, cells],
        )


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The report files named by `paths` (folders walked recursively), and failures for paths that are unusable."""
    files, failures, _ = collect(paths)
    return files, failures


def collect(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]], list[tuple[str, str]]]:
    """(files to read, failures, skipped): folders walked recursively; every skipped file comes with its reason."""
    files: list[Path] = []
    failures: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    for path in map(Path, paths):
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if not p.is_dir()):
                reason = _skip_reason(found)
                if reason:
                    skipped.append((str(found), reason))
                else:
                    files.append(found)
        elif not path.exists():
            failures.append((str(path), str(ReportError(path.name, "文件不存在", "file not found"))))
        else:
            files.append(path)
    return files, failures, skipped


def _skip_reason(path: Path) -> str | None:
    """Why a file found in a folder is not read as a report (None: it is read, and refused if it is none)."""
    name = path.name
    if name.startswith("."):
        return "隐藏文件，已跳过 / hidden file, skipped"
    if name.upper().startswith("README"):
        return "说明文件，已跳过 / a README, skipped"
    if path.suffix.lower() == ".csv" and _is_roster(path):
        return (
            "单位名册，不是年报，已跳过；请用 roster 命令导入 / a roster of units, not a report: import it with roster"
        )
    return None


def _is_roster(path: Path) -> bool:
    """Whether a CSV file is a roster of units: among its first rows, a header naming the unit, level and type."""
    try:
        text, _ = textio.decode(textio.read_regular(path, _ROSTER_PEEK_BYTES), path.name)
    except (ReportError, OSError):
        return False
    for cells in itertools.islice(csv.reader(io.StringIO(text)), 20):
        header = header_of(cells)
        if header and header[0] == "units" and {"unit", "level", "type"} <= header[1].keys():
            return True
    return False


def _parse_file(path: Path, summary: IngestSummary, given: Given | None) -> list[Report] | None:
    """Parse one file, recording a failure instead of raising so nothing else stops."""
    try:
        reports = parse_reports(path, given)
    except ReportError as exc:
        summary.failures.append((str(path), str(exc)))
        return None
    except Exception as exc:  # a parser bug on one file must not stop the others
        summary.failures.append((str(path), _could_not(path, exc)))
        return None
    return with_identity_findings(reports)


def with_identity_findings(reports: list[Report]) -> list[Report]:
    """The reports, each that lacks an agency or a year given the finding that says so (as ingest stores it)."""
    for report in reports:
        finding = identity_finding(report)
        if finding:
            report.findings.append(finding)
    return reports


def _could_not(path: Path, exc: Exception) -> str:
    """The failure message for an unexpected error on one file."""
    return f"{path.name}: {could_not_zh(exc)} / {could_not_en(exc)}"


def could_not_zh(exc: Exception) -> str:
    """The Chinese half of the failure message for an unexpected error on one file."""
    return f"无法处理该文件（{exc}）"


def could_not_en(exc: Exception) -> str:
    """The English half of the failure message for an unexpected error on one file."""
    return f"could not process this file ({exc})"


_IDENTITY = (("agency", "单位", "agency"), ("year", "年度", "year"))
# The words of the finding of a report stored without identity, by which identifying it finds the finding to drop.
UNIDENTIFIED_MARK = "已作为未识别报告入库"


def missing_identity(report: Report) -> tuple[str, ...]:
    """Which of "agency" and "year" neither the report (title, signature, dates, file name) nor the user gives."""
    return tuple(name for name, _, _ in _IDENTITY if getattr(report, name) in (None, ""))


def identity_finding(report: Report) -> Finding | None:
    """The PARSE finding of a report stored without an agency or a year: it names the file, what is missing and
    how to give it. Such a report is kept out of every unit and year total until someone identifies it."""
    missing = missing_identity(report)
    if not missing:
        return None
    zh = "、".join(z for name, z, _ in _IDENTITY if name in missing)
    flags = " ".join(f"--{name} {'单位名称' if name == 'agency' else '年度'}" for name in missing)
    message = (
        f"文件“{report.source}”的标题、正文、落款、日期和文件名均未写明{zh}，{UNIDENTIFIED_MARK}，"
        f"暂不计入各单位、各年度的统计；请在“导入”页面的“未识别的报告”中填写{zh}，"
        f"或运行 python -m loaders identify {shlex.quote(report.source)} {flags}"
    )
    return Finding("PARSE", "error", message, [])


def content_key(text: str, figures: Iterable[tuple]) -> str:
    """What makes two files the same report: every figure's value, and the text outside the tables of sections
    二 to 四 (which the figures stand for, however a format lays the tables out) without its whitespace."""
    sections = find_sections(text)
    if "二" in sections and "五" in sections and sections["二"].heading_start < sections["五"].heading_start:
        text = text[: sections["二"].heading_start] + text[sections["五"].heading_start :]
    digest = hashlib.sha256("".join(text.split()).encode("utf-8"))
    for metric, applicant, value in sorted(figures, key=lambda f: (f[0], f[1] or "", -1 if f[2] is None else f[2])):
        digest.update(f"\n{metric}|{applicant or ''}|{value!r}".encode())
    return digest.hexdigest()


def is_identified(agency: str | None, year: int | None) -> bool:
    """Whether a report has both an agency and a year: only then does it take part in versions and unit totals."""
    return agency not in (None, "") and year is not None


def report_id_for(report: Report) -> str:
    """The stored id of a report: a prefix of its content hash, so the same text always gets the same id."""
    return report.content_hash[:16]


def unidentified_contents(con: duckdb.DuckDBPyConnection) -> Iterator[tuple[str, list[tuple]]]:
    """The text and figures (metric, applicant, value) of every stored report without an agency or a year."""
    rows = con.sql(
        "select r.report_id, any_value(r.text), list((f.metric, f.applicant, f.value)) filter (f.metric is not null)"
        " from reports as r left join figures as f on r.report_id = f.report_id"
        " where r.agency is null or r.year is null group by r.report_id"
    ).fetchall()
    for _, text, figures in rows:
        yield text, [tuple(f.values()) if isinstance(f, dict) else tuple(f) for f in figures]


@dataclass
class Queued:
    """A parsed report waiting to be written, with the id and version it will be stored under."""

    report: Report
    report_id: str
    version: int
    path: Path | None = None


class BatchWriter:
    """Stores parsed reports in batches, each batch in one transaction, since one insert per report is slow."""

    batch_size = 200

    # Lookups of a content hash or a version answered by a query each; past this many, every stored hash and version
    # is read at once (a bulk ingest), so one upload into a large database does not read them all.
    point_lookups = 32

    def __init__(self, con: duckdb.DuckDBPyConnection, summary: IngestSummary):
        """Start with nothing known of what is stored: hashes and versions are looked up as reports come."""
        self.con, self.summary = con, summary
        self.hashes: set[str] = set()  # content hashes known to be stored (or queued by this writer)
        self.versions: dict[tuple, int] = {}  # (agency, year) -> its newest version known (0: none)
        self.all_read = False  # whether hashes and versions hold everything stored
        self.lookups = 0
        self.latest: dict[tuple, str] = {}  # (agency, year) -> content_key of its newest version, once looked up
        self.unidentified: set[str] | None = None  # content keys of stored reports without identity, once read
        self.pending: list[Queued] = []

    def _is_stored(self, content_hash: str) -> bool:
        """Whether a report of these bytes is stored (or queued by this writer)."""
        if content_hash in self.hashes or self._read_all():
            return content_hash in self.hashes
        found = self.con.sql("select 1 from reports where content_hash = ? limit 1", params=[content_hash]).fetchall()
        if found:
            self.hashes.add(content_hash)
        return bool(found)

    def _version(self, key: tuple) -> int:
        """The newest version of an agency and year stored or queued (0: none)."""
        if key not in self.versions and not self._read_all():
            found = self.con.sql(
                "select coalesce(max(version), 0) from reports where agency = ? and year = ?", params=list(key)
            ).fetchall()
            self.versions[key] = found[0][0]
        return self.versions.get(key, 0)

    def _read_all(self) -> bool:
        """Past point_lookups lookups, read every stored hash and version once; whether all are read."""
        self.lookups += 1
        if not self.all_read and self.lookups > self.point_lookups:
            self.hashes |= {h for (h,) in self.con.sql("select content_hash from reports").fetchall()}
            rows = self.con.sql(
                "select agency, year, max(version) from reports where agency is not null and year is not null"
                " group by agency, year"
            ).fetchall()
            for agency, year, version in rows:
                self.versions[(agency, year)] = max(version, self.versions.get((agency, year), 0))
            self.all_read = True
        return self.all_read

    def add(self, report: Report, path: Path) -> None:
        """Queue a report as the next version of its agency and year, unless the same report is already stored:
        the same bytes, or other bytes (another encoding, a BOM, another format) with the same text and figures.
        A report without an agency or a year is a version of nothing: it is stored once per content, as version 1."""
        if self._is_stored(report.content_hash):
            given = meta.given_on(report)
            if given:  # the same file again, now with its agency or year: identified after the write
                self.summary.given_again.append((report_id_for(report), given))
        version = self.admit(
            report.content_hash,
            report.agency,
            report.year,
            lambda: content_key(report.text, [(f.metric, f.applicant, f.value) for f in report.figures]),
        )
        if version is not None:
            self._queue(report, version, path)

    def admit(self, content_hash: str, agency: str | None, year: int | None, content: Callable[[], str]) -> int | None:
        """The version a report is to be stored under, or None (counted unchanged) when it is already stored;
        `content()` is its content_key, computed only when its bytes are new."""
        if self._is_stored(content_hash):
            self.summary.unchanged += 1
            return None
        key_of_content = content()
        if not is_identified(agency, year):
            return self._admit_unidentified(content_hash, key_of_content)
        key = (agency, year)
        stored = self._version(key)
        if stored and self._latest_key(key) == key_of_content:
            self.summary.unchanged += 1
            return None
        self.latest[key] = key_of_content
        self.versions[key] = stored + 1
        self.hashes.add(content_hash)
        return self.versions[key]

    def _admit_unidentified(self, content_hash: str, content: str) -> int | None:
        """Version 1 for a report stored without identity, unless an unidentified report of the same content is
        stored (None, counted unchanged)."""
        if self.unidentified is None:
            self.unidentified = {content_key(text, figures) for text, figures in unidentified_contents(self.con)}
        if content in self.unidentified:
            self.summary.unchanged += 1
            return None
        self.unidentified.add(content)
        self.hashes.add(content_hash)
        return 1

    def _queue(self, report: Report, version: int, path: Path) -> None:
        """Queue a report for the next batch under its version; write the batch once it is full."""
        self.hashes.add(report.content_hash)
        self.pending.append(Queued(report, report_id_for(report), version, path))
        if len(self.pending) >= self.batch_size:
            self.flush()

    def _latest_key(self, key: tuple) -> str | None:
        """The content key of the newest stored version of an agency and year."""
        if key not in self.latest:
            found = self.con.sql(
                "select report_id, text from reports where agency = ? and year = ? order by version desc limit 1",
                params=list(key),
            ).fetchall()
            if not found:
                return None
            report_id, text = found[0]
            figures = self.con.sql(
                "select metric, applicant, value from figures where report_id = ?", params=[report_id]
            ).fetchall()
            self.latest[key] = content_key(text, figures)
        return self.latest[key]

    def flush(self) -> None:
        """Write the queued reports; if the batch fails, write them one by one so only a bad one fails."""
        batch, self.pending = self.pending, []
        try:
            insert_reports(self.con, batch)
            stored = batch
        except duckdb.FatalException:
            raise  # the work copy is unusable: abandon the ingest, the old database stays as it was
        except Exception:
            stored = [item for item in batch if self._store_alone(item)]
        for item in stored:
            self._count(item)

    def _store_alone(self, item: Queued) -> bool:
        """Write one report in its own transaction; on failure record it and forget its text."""
        try:
            insert_reports(self.con, [item])
        except duckdb.FatalException:
            raise
        except Exception as exc:
            self.summary.failures.append((str(item.path), _could_not(item.path or Path(item.report.source), exc)))
            self.hashes.discard(item.report.content_hash)
            return False
        return True

    def _count(self, item: Queued) -> None:
        """Add one stored report to the summary."""
        self.summary.added += item.version == 1
        self.summary.replaced += item.version > 1
        self.summary.unidentified += not is_identified(item.report.agency, item.report.year)
        self.summary.figures += len(item.report.figures)
        self.summary.report_ids.append(item.report_id)


# The tables insert_reports fills: a report, its figures, its prose mentions and its parser findings.
REPORT_TABLES = ("reports", "figures", "mentions", "parse_findings")


def insert_reports(con: duckdb.DuckDBPyConnection, items: list[Queued]) -> None:
    """Insert reports with their figures, mentions and parser findings in one transaction, all or nothing."""
    if not items:
        return
    reports, figures, mentions, parse_findings = REPORT_TABLES
    con.begin()
    try:
        append(con, reports, _reports_frame(items), REPORTS_SELECT)
        append(con, figures, _figures_frame(items, "figures"))
        append(con, mentions, _figures_frame(items, "mentions"))
        append(con, parse_findings, _findings_frame(items), FINDINGS_SELECT)
        con.commit()
    except BaseException:
        con.rollback()
        raise


# The frames hold plain values; SQL converts the ISO date and the JSON text and stamps the time.
REPORTS_SELECT = """
select
    * exclude (published_on),
    try_cast(published_on as date) as published_on,
    cast(now() as timestamp) as ingested_at
from incoming
"""
FINDINGS_SELECT = "select * exclude (cells), cast(cells as json) as cells from incoming"
# An imported file's rows (a roster, a work plan's tasks), stamped with the import time.
IMPORTED_SELECT = "select *, cast(now() as timestamp) as imported_at from incoming"


def append(
    con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, select: str = "select * from incoming"
) -> None:
    """Insert a frame into `table` (a fixed name in the caller's code) by column name, through `select` over the
    frame registered as "incoming"; an empty frame inserts nothing."""
    if frame.is_empty():
        return
    con.register("incoming", frame)
    try:
        con.sql(f"insert into {table} by name {select}")
    finally:
        con.unregister("incoming")


def _reports_frame(items: list[Queued]) -> pl.DataFrame:
    """One row per report: identity, provenance, version, sections and text."""
    rows = [
        {
            "report_id": item.report_id,
            **report_row(item.report, str(item.path.resolve()) if item.path else None),
            "version": item.version,
        }
        for item in items
    ]
    return pl.DataFrame(rows, schema=REPORT_SCHEMA)


def report_row(report: Report, source_path: str | None) -> dict:
    """A report's row of the reports table, but for its id and version: identity, provenance, sections and text."""
    return {
        "agency": report.agency or None,  # never an empty name: a report without one has none
        "year": report.year,
        "template": report.template,
        "region": report.region,
        "parent": report.parent,
        "published_on": report.published_on,
        "agency_source": report.agency_source,
        "year_source": report.year_source,
        "source": report.source,
        "source_path": source_path,
        "source_format": report.source_format,
        "encoding": report.encoding,
        "content_hash": report.content_hash,
        "sections": list(report.sections),
        "text": report.text,
    }


def _figures_frame(items: list[Queued], attribute: str) -> pl.DataFrame:
    """The figures (or mentions) of every report, one row each, tagged with the report id."""
    pairs = [(item.report_id, fig) for item in items for fig in getattr(item.report, attribute)]
    return pl.DataFrame(figure_columns(pairs), schema=FIGURE_SCHEMA)


def figure_columns(pairs: list[tuple[str, Figure]]) -> dict[str, list]:
    """The columns of the figures (or mentions) table for (report id, figure) pairs."""
    columns = {name: [getattr(fig, name) for _, fig in pairs] for name in FIGURE_SCHEMA if name != "report_id"}
    return {"report_id": [rid for rid, _ in pairs], **columns}


def append_finding(con: duckdb.DuckDBPyConnection, report_id: str, finding: Finding) -> None:
    """Store one parser finding of a stored report."""
    frame = pl.DataFrame([finding_row(report_id, finding)], schema=FINDING_SCHEMA, orient="row")
    append(con, "parse_findings", frame, FINDINGS_SELECT)


def _findings_frame(items: list[Queued]) -> pl.DataFrame:
    """The parser's findings of every report, with their evidence cells as JSON text."""
    rows = [finding_row(item.report_id, f) for item in items for f in item.report.findings]
    return pl.DataFrame(rows, schema=FINDING_SCHEMA, orient="row")


def finding_row(report_id: str, finding: Finding) -> tuple:
    """A parser finding's row of the parse_findings table, its evidence cells as JSON text."""
    return (report_id, finding.rule, finding.severity, finding.message, cells_json(finding.cells))


def cells_json(cells: list[dict]) -> str:
    """A finding's evidence cells as JSON text."""
    return json.dumps(cells, ensure_ascii=False, default=str)


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a database file for the loader: without DuckDB's progress bar, which a slow query would otherwise print
    on standard output (into the command line's and scripts' output); to write, within the write memory budget."""
    con = duckdb.connect(str(path), read_only=read_only)
    con.sql("set enable_progress_bar = false")
    if not read_only:
        set_budget(con, config.write_memory())
    return con


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables and macros, refresh the dictionary tables and rebuild every view from sql/."""
    unkeyed = _set_aside_dropped_keys(con)
    for folder in _DDL_FOLDERS:
        for path in sql_files(folder):
            con.sql(path.read_text(encoding="utf-8"))
    for table, aside in unkeyed:  # fixed names
        con.sql(f"insert into {table} by name select * from {aside}")
        con.sql(f"drop table {aside}")
    _load_dictionary(con)
    create_views(con)
    con.sql("delete from schema_info")
    con.sql("insert into schema_info values (?, current_localtimestamp())", params=[schema_fingerprint()])


# Tables that older databases hold with a primary key this sql/ no longer declares (DuckDB cannot drop one in place).
_KEYS_DROPPED = ("section_similarity",)


def _set_aside_dropped_keys(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Rename each table of _KEYS_DROPPED that still has its primary key out of the way, so that sql/tables creates it
    anew without the key and prepare() moves its rows back; return the (table, renamed) pairs."""
    keyed = con.sql(
        "select table_name from duckdb_constraints() where constraint_type = 'PRIMARY KEY'"
        " and database_name = current_database() and schema_name = 'main' and list_contains($tables, table_name)",
        params={"tables": list(_KEYS_DROPPED)},
    ).fetchall()
    moved = []
    for (table,) in keyed:
        con.sql(f"alter table {table} rename to {table}_keyed")  # a name from _KEYS_DROPPED
        moved.append((table, f"{table}_keyed"))
    return moved


@cache
def schema_fingerprint() -> str:
    """A hash of the name and text of every sql/ file the database holds (tables, macros, views and facts) and of the
    dictionary in code (metric_defs, applicant_defs): changes whenever the schema, a view, a fact or a dictionary
    entry changes, so a write that finds it unchanged keeps the tables, views and facts it finds. The named queries
    of sql/marts are read from their files at each run and left out: a changed page query never makes a write
    rebuild every fact (minutes and gigabytes at 100k reports)."""
    digest = hashlib.sha256()
    for path in sorted(path for folder in _STORED_FOLDERS for path in sql_files(folder)):
        digest.update(path.relative_to(config.SQL_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    for metric in METRICS.values():
        digest.update(repr((metric.key, metric.label, metric.section, metric.kind, metric.category)).encode())
    digest.update(repr(APPLICANTS).encode())
    return digest.hexdigest()[:16]


def is_current(db_path: Path) -> bool:
    """Whether the database was built by the sql/ files of this version of the code (read-only check)."""
    con = connect(db_path, read_only=True)
    try:
        return _built_by_this_schema(con)
    finally:
        con.close()


def upgrade(db_path: Path) -> None:
    """Rebuild an older database's tables, views, facts and 雷同 rows with this version's sql/, atomically."""
    with transaction(db_path) as con:
        refresh_similarity(con, [])  # computes the years that have no rows yet


def sql_files(folder: str) -> list[Path]:
    """The .sql files of one folder under sql/, in name order."""
    return sorted((config.SQL_DIR / folder).glob("*.sql"))


def _load_dictionary(con: duckdb.DuckDBPyConnection) -> None:
    """Refresh metric_defs and applicant_defs from loaders.keys, the dictionary in code."""
    metrics = pl.DataFrame(
        [(m.key, m.label, m.section, m.kind, m.category) for m in METRICS.values()],
        schema=["key", "label", "section", "kind", "category"],
        orient="row",
    )
    applicants = pl.DataFrame(
        [(key, label, i + 1) for i, (key, label) in enumerate(APPLICANTS)],
        schema={"key": pl.String, "label": pl.String, "position": pl.Int32},
        orient="row",
    )
    for table, frame in (("metric_defs", metrics), ("applicant_defs", applicants)):
        con.sql(f"delete from {table}")  # table is one of two fixed names
        append(con, table, frame)


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Drop every view and create one per sql/staging and sql/checks file, named after the file, each after the
    views it reads (view_order); first the macro that lists the check views, which the findings view unions."""
    for (name,) in con.sql("select view_name from duckdb_views() where not internal").fetchall():
        con.sql(f'drop view if exists "{name}"')
    bodies = {p.stem: p.read_text(encoding="utf-8") for folder in _VIEW_FOLDERS for p in sql_files(folder)}
    con.sql(check_views_macro(check_views(bodies)))
    for name in view_order(bodies):
        _create_view(con, name, bodies[name])


# The checks: every sql/checks file named chk_* is one rule's check, a view of the findings it makes. The findings
# view reads them all through the macro CHECKS_MACRO(), the list of their names the loader writes from the folder,
# so that a new rule is one entry in loaders.keys.RULES and one check file, with no other list to extend.
CHECKS_MACRO = "check_views"
_CHECK_PREFIX = "chk_"
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def check_views(names: Iterable[str]) -> list[str]:
    """The check views among these view names, in name order."""
    return sorted(name for name in names if name.startswith(_CHECK_PREFIX))


def check_views_macro(names: list[str]) -> str:
    """The statement that (re)defines CHECKS_MACRO() as the list of these check view names (file names, checked to be
    plain identifiers: the list is written into the macro, as a macro takes no bound parameter)."""
    bad = [name for name in names if not _IDENTIFIER.fullmatch(name)]
    if bad:
        raise ValueError(f"检查视图名不合规：{'、'.join(bad)} / check view names must be identifiers: {bad}")
    quoted = ", ".join(f"'{name}'" for name in names)
    return f"create or replace macro {CHECKS_MACRO}() as [{quoted}]::varchar[]"


_COMMENT = re.compile(r"--[^\n]*")


def view_dependencies(bodies: dict[str, str]) -> dict[str, set[str]]:
    """View name -> the other views its SQL text names (comments left out); a view that calls CHECKS_MACRO() reads
    every check view."""
    words = {name: set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", _COMMENT.sub(" ", body))) for name, body in bodies.items()}
    checks = set(check_views(bodies))
    return {
        name: ((found & bodies.keys()) | (checks if CHECKS_MACRO in found else set())) - {name}
        for name, found in words.items()
    }


def view_order(bodies: dict[str, str]) -> list[str]:
    """The views in an order that creates each after the views it reads (by name where free to choose); ValueError
    naming the views that read each other in a circle."""
    waiting = view_dependencies(bodies)
    order: list[str] = []
    while waiting:
        ready = sorted(name for name, needs in waiting.items() if not needs)
        if not ready:
            circle = "、".join(sorted(waiting))
            raise ValueError(f"视图互相引用，无法排序：{circle} / views that read each other: {circle}")
        order += ready
        for name in ready:
            del waiting[name]
        for needs in waiting.values():
            needs.difference_update(ready)
    return order


def materialize(con: duckdb.DuckDBPyConnection) -> None:
    """Store each sql/facts query as a table of the same name, computed whole from the current data, within the
    whole write budget."""
    budget = config.write_memory()
    set_budget(con, budget)
    with pinned_staging(con):
        for path in sql_files("facts"):
            body = path.read_text(encoding="utf-8").strip().rstrip(";")
            run_sized(con, f'create or replace table "{path.stem}" as\n{body}', budget)  # a file name, not user input


# The staging views that the checks and facts read many times over (stg_reports_current about twenty times in the
# findings view alone), each small: one row per report, unit or correction, never per figure. While facts or
# findings are computed, pinned_staging() computes each once into a temporary table of the same name, which the
# views then read instead: a plan a fraction of the size, planned and run in about half the time for a small
# database, and no slower for a large one. The report text, which no check or fact reads, is left out of the copies
# (at 100k reports it would be most of the database).
PINNED_STAGING = (
    "stg_reports_current",
    "stg_reports_unidentified",
    "stg_coverage_names",
    "stg_agencies",
    "stg_report_agencies",
    "stg_figure_corrections",
)
_PINNED_LEFT_OUT = ("text",)


def own_catalog(con: duckdb.DuckDBPyConnection) -> str:
    """The quoted name of the database file's own catalog: "<catalog>.main.<name>" is the stored table or view even
    while a temporary one of the same name stands before it (a bare main.<name> would name the temporary one)."""
    (database,) = con.sql("select current_database()").fetchall()[0]
    return '"' + database.replace('"', '""') + '"'


@contextmanager
def pinned_staging(con: duckdb.DuckDBPyConnection, names: tuple[str, ...] = PINNED_STAGING) -> Iterator[None]:
    """While the body runs, each of these PINNED_STAGING views is a temporary table of its rows as they are now
    (read through whatever temporary tables or views stand before the stored ones): the body must not change the
    tables they read. Pinning a view again inside replaces its copy until the inner body ends."""
    quoted = own_catalog(con)
    made: list[str] = []
    try:
        for name in (n for n in PINNED_STAGING if n in names):  # fixed names, each after the views it reads
            con.sql(
                f"create or replace temp table {name} as"
                f" select columns(lambda c: not list_contains($left_out, c)) from {quoted}.main.{name}",
                params={"left_out": list(_PINNED_LEFT_OUT)},
            )
            made.append(name)
        yield
    finally:
        for name in reversed(made):
            con.sql(f"drop table if exists temp.main.{name}")


# The facts stored one row per report (or per finding of a report), each with its report's agency, and those stored
# one row per unit (or per name or report of a unit), each with its unit: an incremental write deletes and
# recomputes the rows of the agencies and units it touches (sql/marts/writes/write_scope.sql).
PER_REPORT_FACTS = ("fct_values", "fct_reports", "fct_findings")
PER_UNIT_FACTS = ("fct_unit_reports", "fct_coverage_units", "fct_coverage_names")


@dataclass(frozen=True)
class WriteScope:
    """What a write of some reports recomputes: the agencies whose per-report fact rows and the units whose
    coverage rows can change, and every name whose reports those rows are computed from (agencies included)."""

    agencies: list[str]
    units: list[str]
    context: list[str]


def write_scope(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> WriteScope:
    """The scope of a write of the reports `report_ids`, as the stored reports and facts are now."""
    sql = (config.SQL_DIR / "marts" / "writes" / "write_scope.sql").read_text(encoding="utf-8")
    found: dict[str, list[str]] = {"agency": [], "unit": [], "context": []}
    for role, name in con.sql(sql, params={"report_ids": report_ids}).fetchall():
        found[role].append(name)
    return WriteScope(agencies=found["agency"], units=found["unit"], context=found["context"])


def refresh_facts(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """Recompute only the fact rows the reports `report_ids` (new, replaced, corrected or identified) can change,
    from the same sql/facts queries materialize() stores whole (the result equals a full rebuild's), within the
    budget of a write in place."""
    if not report_ids:
        return
    budget = config.update_memory()
    set_budget(con, budget)
    scope = write_scope(con, report_ids)
    by_report = "list_contains($agencies, agency) or list_contains($report_ids, report_id)"
    by_unit = "list_contains($units, unit)"
    report_params = {"agencies": scope.agencies, "report_ids": report_ids}
    unit_params = {"units": scope.units}
    bodies = {p.stem: p.read_text(encoding="utf-8").strip().rstrip(";") for p in sql_files("facts")}
    stored = _stored_agencies(con, scope.agencies)
    with _reports_limited_to(con, scope.context, report_ids), pinned_staging(con):
        con.sql(_STORED_PLACES_SQL)
        for name in PER_REPORT_FACTS + PER_UNIT_FACTS:  # fixed names
            where, params = (by_report, report_params) if name in PER_REPORT_FACTS else (by_unit, unit_params)
            found = _SCOPE_FOUND_BY.get(name, "").format(scope=where)
            con.sql(f'delete from "{name}" where {found}({where})', params=params)
            run_sized(con, f'insert into "{name}" select * from (\n{bodies[name]}\n) where {where}', budget, params)
    _renumber_report_order(con, scope.agencies, stored)


# How refresh_facts finds the scope's rows in a per-report fact table before deleting them, beside the scope itself:
# fct_values, many rows per report, by its reports' numbers (an integer column, read as a filter on a few values)
# instead of by matching every row's agency and report id (ten times slower at 100k reports).
_SCOPE_FOUND_BY = {"fct_values": "report_order in (select report_order from fct_reports where {scope}) and "}

# Within the scope of refresh_facts, stg_report_agencies ranks only the scope's agencies, so its report_order would
# be wrong for all but the first; the pinned copy takes each agency's place among all agencies from the stored
# fct_reports instead (place = report_order // 10000), so the rows inserted carry the order a full rebuild gives
# and _renumber_report_order has nothing to move. An agency new to the database keeps the scope's number until
# _renumber_report_order, which also moves the agencies after it.
_STORED_PLACES_SQL = """
update temp.main.stg_report_agencies as s
set report_order = p.place * 10000 + s.year
from (select distinct agency, report_order // 10000 as place from fct_reports) as p
where s.agency = p.agency
"""


@contextmanager
def reports_scope(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> Iterator[None]:
    """While the body runs, the views of this connection read only these reports and those their checks compare
    them with, so a query of these reports' findings does not compute every report's."""
    with _reports_limited_to(con, write_scope(con, report_ids).context, report_ids):
        yield


# The tables of per-report rows that the views read beside reports: while facts are recomputed for some reports,
# each is stood in for by a temporary copy of those reports' rows, read once, so no check or fact query reads the
# rows of every report.
_PER_REPORT_TABLES = ("figures", "mentions", "parse_findings")


@contextmanager
def _reports_limited_to(con: duckdb.DuckDBPyConnection, agencies: list[str], report_ids: list[str]) -> Iterator[None]:
    """While the body runs, the views of this connection read only the reports of these agencies and ids: a
    temporary view named reports stands before the table, and temporary tables of those reports' figures, mentions
    and parser findings before theirs, so every check and fact query computes the rows of those reports alone
    (their values depend on no other report: see sql/marts/writes/write_scope.sql)."""
    con.register("scope_agencies", pl.DataFrame({"agency": agencies}, schema={"agency": pl.String}))
    con.register("scope_reports", pl.DataFrame({"report_id": report_ids}, schema={"report_id": pl.String}))
    quoted = own_catalog(con)
    try:
        con.sql(
            f"create or replace temp view reports as select * from {quoted}.main.reports"
            " where agency in (select agency from scope_agencies)"
            " or report_id in (select report_id from scope_reports)"
        )
        for table in _PER_REPORT_TABLES:  # fixed names
            con.sql(
                f"create or replace temp table {table} as select * from {quoted}.main.{table}"
                " where report_id in (select report_id from temp.main.reports)"
            )
        yield
    finally:
        for table in _PER_REPORT_TABLES:
            con.sql(f"drop table if exists temp.main.{table}")
        con.sql("drop view if exists temp.reports")
        con.unregister("scope_agencies")
        con.unregister("scope_reports")


def _stored_agencies(con: duckdb.DuckDBPyConnection, agencies: list[str]) -> list[str]:
    """Which of these agencies fct_reports holds reports of."""
    sql = "select distinct agency from fct_reports where list_contains($agencies, agency) order by agency"
    return [a for (a,) in con.sql(sql, params={"agencies": agencies}).fetchall()]


def _renumber_report_order(con: duckdb.DuckDBPyConnection, agencies: list[str], stored: list[str]) -> None:
    """Give the stored facts the report_order (place in agency, year order) a full rebuild gives, after a write
    that recomputed the facts of `agencies`, of which fct_reports held `stored` before. The places move only when
    an agency's first report was added or its last dropped: each other agency keeps its place (_STORED_PLACES_SQL).
    The moved reports are found in fct_reports (one row per report), so fct_values, many rows per report, is
    updated only where a place moved."""
    if _stored_agencies(con, agencies) == stored:
        return
    con.sql(
        "create or replace temp table moved_reports as select s.report_id, s.report_order"
        " from stg_report_agencies as s inner join fct_reports as f on f.report_id = s.report_id"
        " where f.report_order <> s.report_order"
    )
    try:
        if con.sql("select count(*) from moved_reports").fetchall()[0][0]:
            for table in ("fct_reports", "fct_values"):
                con.sql(
                    f"update {table} set report_order = m.report_order from moved_reports as m"
                    f" where {table}.report_id = m.report_id"
                )  # table is one of two fixed names
    finally:
        con.sql("drop table if exists temp.main.moved_reports")


def _create_view(con: duckdb.DuckDBPyConnection, name: str, body: str) -> None:
    """Create or replace the view `name` (a file name, never user input) from its select statement."""
    con.sql(f'create or replace view "{name}" as\n{body.strip().rstrip(";")}')


def count_findings(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> int:
    """How many findings the given reports have (fct_findings: the findings view as stored at this write)."""
    if not report_ids:
        return 0
    rows = con.sql(
        "select count(*) from fct_findings where list_contains(?, report_id)", params=[report_ids]
    ).fetchall()
    return rows[0][0]


class WriteRefused(OSError):
    """A write that was not started because the database is in a state it cannot safely be written from."""

    def __init__(self, db_path: Path, zh: str, en: str):
        super().__init__(f"{db_path.name}: {zh} / {en}")


def _copy_database(source: Path, target: Path) -> Path | None:
    """Start the work copy from the current database; returns the write-ahead log left by a killed writer, if any.

    Such a log is copied with the file and replayed into the work copy at once (it holds committed rows);
    the caller moves it out of the way at the swap. A log whose writer is still running is refused.
    """
    if source.exists():
        if not cli_support.is_duckdb_file(source):
            raise WriteRefused(
                source,
                "不是数据库文件（已损坏，或不是 DuckDB 数据库），未写入；请检查数据库路径",
                "not a database file (damaged, or not a DuckDB database); nothing was written; check the path",
            )
        shutil.copyfile(source, target)
    else:
        shutil.copyfile(_empty_database(), target)
    wal = source.with_name(source.name + ".wal")
    if not wal.exists():
        _require_ours(source, target)
        return None
    _require_no_live_writer(source)
    shutil.copyfile(wal, target.with_name(target.name + ".wal"))
    try:
        con = connect(target)
        try:
            con.sql("checkpoint")
        finally:
            con.close()
    except duckdb.Error as exc:
        raise WriteRefused(
            source,
            f"数据库旁的预写日志（{wal.name}）已损坏，无法恢复，未写入（{exc}）；请先备份后删除该日志，或从备份恢复",
            f"the write-ahead log beside the database ({wal.name}) is damaged and cannot be replayed; nothing was"
            " written; back it up and delete it, or restore the database from a backup",
        ) from exc
    _require_ours(source, target)
    return wal


_empty_databases: dict[str, Path] = {}
_empty_lock = threading.Lock()


def _empty_database() -> Path:
    """A database file with every table, macro, dictionary row and view of this version's sql/ and no report, made
    once per process (in a temporary folder removed at exit) and copied to start each new database: creating the
    views takes about half a second, copying the file a few milliseconds. The fact tables are left out, so the first
    write into the new database stores them whole."""
    fingerprint = schema_fingerprint()
    with _empty_lock:
        if fingerprint not in _empty_databases:
            folder = Path(tempfile.mkdtemp(prefix="govreport-empty-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            path = folder / "empty.duckdb"
            con = connect(path)
            try:
                prepare(con)
                con.sql("checkpoint")
            finally:
                con.close()
            _empty_databases[fingerprint] = path
        return _empty_databases[fingerprint]


def _require_ours(db_path: Path, work: Path) -> None:
    """Refuse to write into a DuckDB database that holds other tables but no reports (a wrong --db, say)."""
    if not work.exists():
        return
    con = connect(work)
    try:
        tables = {name for (name,) in con.sql("select table_name from duckdb_tables()").fetchall()}
    finally:
        con.close()
    if tables and "reports" not in tables:
        raise WriteRefused(
            db_path,
            "这个数据库不是年报数据库（没有报告表），未写入；请检查数据库路径",
            "this database holds no reports (not one this program made); nothing was written; check the path",
        )


def _require_no_live_writer(db_path: Path) -> None:
    """Refuse when another program has the database open read-write (its log is not stale but in use)."""
    try:
        connect(db_path, read_only=True).close()
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            return  # not held by another program: a damaged log is reported when it is replayed
        raise WriteRefused(
            db_path,
            "数据库正被其他程序以读写方式打开，未写入；请关闭该程序后重试",
            "another program has the database open read-write; nothing was written; close it and try again",
        ) from exc


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk, so the rename never points at data still in the page cache."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
