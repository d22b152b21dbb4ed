"""Where things live: the database file, the bundled sample data (reports, roster, work plan) and the SQL folder,
resolved in one place."""

from __future__ import annotations

import os
import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent
DB_ENV_VAR = "GOVREPORT_DB"
SQL_DIR = REPO_ROOT / "sql"
SAMPLE_DATA_DIR = REPO_ROOT / "sample_data"
SAMPLE_ROSTER = SAMPLE_DATA_DIR / "roster.csv"  # the units the sample reports come from, and one without a report
SAMPLE_WORKPLAN = SAMPLE_DATA_DIR / "zhoucun-district-workplan-2021.txt"  # imported as a work plan, not a report
DEFAULT_DB_PATH = REPO_ROOT / "data" / "reports.duckdb"
# The memory a write lets DuckDB use before it spills to disk: a write's own work fits in it whatever the size of
# the database, except a statement that DuckDB cannot spill (a full rebuild of the facts of a very large database),
# which then runs without it. "none" sets no budget (DuckDB's own default: most of the machine's memory).
WRITE_MEMORY_ENV_VAR = "GOVREPORT_WRITE_MEMORY"
DEFAULT_WRITE_MEMORY = "600MB"
# A write that brings the facts of a few units up to date in place (an upload, a correction, a status change) reads
# the large tables once, block by block, and holds only its own units' rows: DuckDB's buffers past this size would
# only keep blocks it does not read again. Such a write works within the smaller of this and the write budget, and so
# do the 雷同 comparisons of every write, which hold their reports in Python's memory beside DuckDB's.
UPDATE_MEMORY = "300MB"
_MEMORY = re.compile(r"(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)
_UNIT_BYTES = {
    **{unit: 1000**power for power, unit in enumerate(("kb", "mb", "gb", "tb"), start=1)},
    **{unit: 1024**power for power, unit in enumerate(("kib", "mib", "gib", "tib"), start=1)},
}


def db_path() -> Path:
    """The DuckDB file: $GOVREPORT_DB when set (read at call time, so tests can point it elsewhere), else data/."""
    value = os.environ.get(DB_ENV_VAR, "").strip()
    return Path(value).expanduser() if value else DEFAULT_DB_PATH


def write_memory() -> str | None:
    """The memory budget of a write (None: no budget): $GOVREPORT_WRITE_MEMORY when set, else DEFAULT_WRITE_MEMORY."""
    value = os.environ.get(WRITE_MEMORY_ENV_VAR, "").strip() or DEFAULT_WRITE_MEMORY
    if value.lower() == "none":
        return None
    if not _MEMORY.fullmatch(value):
        raise ValueError(
            f"{WRITE_MEMORY_ENV_VAR}={value!r} 不是内存大小（如 1GB、512MB 或 none）"
            f" / is not a memory size (such as 1GB, 512MB or none)"
        )
    return value


def update_memory() -> str | None:
    """The memory budget of a write that updates the facts in place (None: no budget): the write budget, at most
    UPDATE_MEMORY."""
    budget = write_memory()
    if budget is None or memory_bytes(budget) <= memory_bytes(UPDATE_MEMORY):
        return budget
    return UPDATE_MEMORY


def memory_bytes(size: str) -> float:
    """The bytes of a memory size as write_memory() accepts it (KB = 1000 bytes, KiB = 1024, as DuckDB reads them)."""
    number, unit = _MEMORY.fullmatch(size.strip()).groups()
    return float(number) * _UNIT_BYTES[unit.lower()]
