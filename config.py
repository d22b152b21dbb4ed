"""Where things live: the database file, the bundled sample data (reports, roster, work plan) and the SQL folder,
resolved in one place."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent
DB_ENV_VAR = "GOVREPORT_DB"
SQL_DIR = REPO_ROOT / "sql"
SAMPLE_DATA_DIR = REPO_ROOT / "sample_data"
SAMPLE_ROSTER = SAMPLE_DATA_DIR / "roster.csv"  # the units the sample reports come from, and one without a report
SAMPLE_WORKPLAN = SAMPLE_DATA_DIR / "zhoucun-district-workplan-2021.txt"  # imported as a work plan, not a report
DEFAULT_DB_PATH = REPO_ROOT / "data" / "reports.duckdb"


def db_path() -> Path:
    """The DuckDB file: $GOVREPORT_DB when set (read at call time, so tests can point it elsewhere), else data/."""
    value = os.environ.get(DB_ENV_VAR, "").strip()
    return Path(value).expanduser() if value else DEFAULT_DB_PATH
