"""Read-only access to the database (the loader is the only writer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import polars as pl


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the database read-only; a missing file is an error naming the file."""
    if not path.is_file():
        raise FileNotFoundError(f"数据库文件不存在 / database file not found: {path}")
    con = duckdb.connect(str(path), read_only=True)
    con.sql("set enable_progress_bar = false")  # a slow query prints no bar into the server's output
    return con


def query(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None) -> pl.DataFrame:
    """Run one query on its own cursor (safe across Streamlit threads) and return a polars DataFrame."""
    cur = con.cursor()
    try:
        return cur.sql(sql, params=params or None).pl()
    finally:
        cur.close()
