"""Importing uploaded files for the 导入 page: save them to a temporary folder, let the loader parse and store
them (it is the only writer), then say for each file what became of it: the reports stored, or why not. Before
that, what a file would change in a report already stored (a new version), for the user to confirm.

Queries: upload_reports, upload_stored_version, upload_version_figures.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import polars as pl

from analytics import live
from loaders.formats.registry import FORMATS, SUFFIXES
from loaders.textio import MAX_ANY_FILE_BYTES

# the named queries this module runs
QUERIES = ("upload_reports", "upload_stored_version", "upload_version_figures")

if TYPE_CHECKING:
    from loaders.accounts import Account
    from loaders.model import Given, Report
    from loaders.store import IngestSummary
    from loaders.versions import FigureChange

# What the uploader accepts; the loader still decides by the content, so a misnamed file is read for what it is.
UPLOAD_TYPES = SUFFIXES
# the formats in words with their extensions, e.g. 纯文本（.txt/.text）
FORMAT_NAMES = "、".join(f"{f.label.split('（')[0]}（{'/'.join(f.extensions)}）" for f in FORMATS)
# The uploader's own hint is in English; this says the same in Chinese (the limit of .streamlit/config.toml too).
UPLOAD_HELP = f"将文件拖到框内，或点击框内的按钮选择文件；单个文件不超过 {MAX_ANY_FILE_BYTES // 1024 // 1024} MB。"

_NO_ROWS = pl.DataFrame(schema={"source_path": pl.String, "content_hash": pl.String, "report_id": pl.String})

Step = Callable[[float, str], None]  # progress (0 … 1) and what is happening, for a progress bar

_MAX_NAME_CHARS = 120  # file names stay well under the file system's 255-byte limit once encoded


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name it came with, its bytes, and the agency and year the user gave for it, if any."""

    name: str
    data: bytes
    given: Given | None = None


@dataclass
class FileResult:
    """What became of one uploaded file: stored (its reports), unchanged (already stored) or failed (why)."""

    name: str
    status: str  # stored | unchanged | failed
    reports: list[dict] = field(default_factory=list)  # rows of the upload_reports query
    error: str | None = None


@dataclass
class ImportResult:
    """Every file's result, with the loader's counts of reports added, replaced by a new version and unchanged."""

    files: list[FileResult]
    added: int = 0
    replaced: int = 0
    unchanged: int = 0

    @property
    def failed(self) -> int:
        """How many files could not be imported."""
        return sum(f.status == "failed" for f in self.files)


_UPLOAD_PREFIX = "govreport-upload-"


def remove_stale_upload_folders() -> list[Path]:
    """Delete the upload folders of processes that were killed mid-import (the folder names its owner's pid)."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(_UPLOAD_PREFIX + "*"):
        owner = folder.name[len(_UPLOAD_PREFIX) :].split("-", 1)[0]
        if owner.isdigit() and not _alive(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    """Whether a process with this id is running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def import_uploads(
    uploads: Sequence[Upload], db_path: Path, step: Step | None = None, by: Account | str | None = None
) -> ImportResult:
    """Store the uploaded files' reports in `db_path` through the loader; one bad file never stops the others.
    `by` is the signed-in account: the loader refuses a role that may not import, and another unit's report for
    an account limited to its unit."""
    step = step or _silent
    remove_stale_upload_folders()
    with tempfile.TemporaryDirectory(prefix=f"{_UPLOAD_PREFIX}{os.getpid()}-") as folder:
        saved, failures = save_uploads(uploads, Path(folder), step)
        step(0.3, f"正在解析并入库 {len(saved)} 个文件 / parsing and storing {len(saved)} files …")
        if not saved:
            return ImportResult([_file_result(u, f"#{i}", failures, _NO_ROWS) for i, u in enumerate(uploads)])
        given = {_resolved(saved[i]): u.given for i, u in enumerate(uploads) if i in saved and u.given}
        try:
            summary = _ingest(list(saved.values()), db_path, given, by)
        except Exception as exc:  # the loader swaps the database in only at the end, so it is untouched
            return ImportResult([_stopped(u.name, exc) for u in uploads])
        failures.update({_resolved(path): message for path, message in summary.failures})
        step(0.9, "正在读取导入结果 / reading the results …")
        rows = stored_reports(db_path, summary.report_ids, [content_hash(u.data) for u in uploads])
        files = [_file_result(u, _key(i, saved), failures, rows) for i, u in enumerate(uploads)]
    step(1.0, "导入完成 / import finished")
    return ImportResult(files, summary.added, summary.replaced, summary.unchanged)


@dataclass
class VersionPreview:
    """A report in an uploaded file that repeats or replaces a stored one: the stored version, and what changes."""

    name: str  # the uploaded file
    agency: str
    year: int
    version: int  # the stored version it repeats or would replace
    same: bool  # the stored report again: storing it changes nothing
    changes: list[FigureChange] = field(default_factory=list)


def preview_uploads(uploads: Sequence[Upload], db_path: Path) -> list[VersionPreview]:
    """What each upload would do to reports already stored: repeat one (nothing changes) or replace one with a new
    version (the figures added, changed and removed). Nothing is written; files the loader cannot read, or whose
    reports are new, are left for the import itself to report."""
    previews = []
    with tempfile.TemporaryDirectory(prefix=f"{_UPLOAD_PREFIX}{os.getpid()}-") as folder:
        saved, _ = save_uploads(uploads, Path(folder), _silent)
        for i, path in saved.items():
            known = stored_reports(db_path, [], [content_hash(uploads[i].data)])
            if not known.is_empty():  # the very bytes are stored: nothing to parse
                row = known.row(0, named=True)
                previews.append(VersionPreview(uploads[i].name, row["agency"], row["year"], row["version"], True))
                continue
            previews += [_preview(uploads[i].name, report, db_path) for report in _parsed(path, uploads[i].given)]
    return [p for p in previews if p is not None]


def _parsed(path: Path, given: Given | None) -> list[Report]:
    """The reports of a saved upload as the loader reads them; none when it cannot (the import says why)."""
    from loaders.parse import parse_reports

    try:
        reports = parse_reports(path, given)
    except Exception:  # reported by the import, which parses the same file the same way
        return []
    return [r for r in reports if r.agency and r.year]  # a report without them replaces nothing


def _preview(name: str, report: Report, db_path: Path) -> VersionPreview | None:
    """A parsed report against the newest stored version of its agency and year; None when there is none."""
    from loaders import versions

    stored = live.run("upload_stored_version", db_path, agency=report.agency, year=report.year)
    if stored.is_empty():
        return None
    row = stored.row(0, named=True)
    figures = live.run("upload_version_figures", db_path, report_id=row["report_id"]).rows()
    same = versions.same_report(report, row["text"], figures)
    changes = [] if same else versions.figure_changes(report, figures)
    return VersionPreview(name, report.agency, report.year, row["version"], same, changes)


def changes_frame(changes: Sequence[FigureChange]) -> pl.DataFrame:
    """A new version's changed figures as a table: key, label, what changed, the old and the new value as printed."""
    from loaders.versions import CHANGES

    rows = [
        (c.key, c.label, CHANGES[c.change], _printed(c.old, c.old_raw), _printed(c.new, c.new_raw)) for c in changes
    ]
    return pl.DataFrame(rows, schema=_CHANGE_SCHEMA, orient="row")


_CHANGE_SCHEMA = {"键": pl.String, "指标": pl.String, "变化": pl.String, "原值": pl.String, "新值": pl.String}


def _printed(value: float | None, raw: str | None) -> str | None:
    """A figure's value as text (未填报 for a cell printed without a number); None when the report lacks the figure."""
    if value is None:
        return None if raw is None else "未填报"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def save_uploads(uploads: Sequence[Upload], folder: Path, step: Step) -> tuple[dict[int, Path], dict[str, str]]:
    """Write each upload to a subfolder of its own (two uploads may share a name); failures keyed by upload index."""
    saved: dict[int, Path] = {}
    failures: dict[str, str] = {}
    for i, upload in enumerate(uploads):
        path = folder / f"{i:04d}" / safe_name(upload.name, i)
        try:
            path.parent.mkdir()
            path.write_bytes(upload.data)
            saved[i] = path
        except OSError as exc:
            failures[_key(i, saved)] = (
                f"{upload.name}: 无法保存上传的文件（{exc}） / cannot save the uploaded file ({exc})"
            )
        step(0.3 * (i + 1) / max(len(uploads), 1), f"已接收 {i + 1}/{len(uploads)}：{upload.name}")
    return saved, failures


def safe_name(name: str, index: int) -> str:
    """The upload's own file name without any folder part, shortened if need be; a fallback when none is left."""
    base = PurePosixPath(name.replace("\\", "/").replace("\x00", "")).name.strip()
    if base in ("", ".", ".."):
        return f"upload-{index}"
    if len(base) > _MAX_NAME_CHARS:
        suffix = PurePosixPath(base).suffix[:10]
        base = base[: _MAX_NAME_CHARS - len(suffix)] + suffix
    return base


def content_hash(data: bytes) -> str:
    """The hash the loader stores for a file's content, to find a report already stored from identical bytes."""
    return hashlib.sha256(data).hexdigest()


def stored_reports(db_path: Path, report_ids: list[str], hashes: list[str]) -> pl.DataFrame:
    """The stored reports with these ids or content hashes, read from the database the loader just swapped in."""
    return live.run("upload_reports", db_path, report_ids=report_ids, content_hashes=hashes)


def _ingest(paths: list[Path], db_path: Path, given: dict[str, Given], by: Account | str | None) -> IngestSummary:
    """Run the loader on exactly these files (named one by one, so that no file is skipped by a folder walk), with
    the agency and year the user gave for some of them (keyed by resolved path)."""
    from loaders.store import ingest  # the writer is imported only where something is written

    return ingest(paths, db_path, progress=False, given=lambda path: given.get(_resolved(path)), by=by)


def _key(index: int, saved: dict[int, Path]) -> str:
    """How a file's outcome is looked up: its saved path as the loader records it, or its index if never saved."""
    return _resolved(saved[index]) if index in saved else f"#{index}"


def _file_result(upload: Upload, key: str, failures: dict[str, str], rows: pl.DataFrame) -> FileResult:
    """One file's result from the failures (saving's and the loader's) and the reports now stored."""
    if key in failures:
        return FileResult(upload.name, "failed", error=failures[key])
    mine = rows.filter(pl.col("source_path") == key)
    if not mine.is_empty():
        return FileResult(upload.name, "stored", mine.to_dicts())
    # Nothing stored from this file and no failure: the loader found its content already stored.
    same = rows.filter(pl.col("content_hash") == content_hash(upload.data)).unique("report_id")
    return FileResult(upload.name, "unchanged", same.to_dicts())


def _stopped(name: str, exc: Exception) -> FileResult:
    """The result of a file whose import was stopped by an error of the whole ingest."""
    message = f"{name}: 导入中断，数据库未改动（{exc}） / the import stopped, the database is unchanged ({exc})"
    return FileResult(name, "failed", error=message)


def _resolved(path: str | Path) -> str:
    """A path as the loader records it (absolute, links resolved), for matching its records to our files."""
    return str(Path(path).resolve())


def _silent(fraction: float, text: str) -> None:
    """The default progress report: none."""
