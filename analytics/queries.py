"""Named queries: each function runs the sql/ file of the same name with bound parameters."""

from __future__ import annotations

from functools import cache
from typing import Any

import duckdb
import polars as pl

from analytics.db import query
from config import SQL_DIR


@cache
def load_sql(name: str) -> str:
    """The text of sql/**/<name>.sql; the name must match exactly one file."""
    matches = sorted(SQL_DIR.rglob(f"{name}.sql"))
    if len(matches) != 1:
        raise LookupError(f"查询文件应唯一 / expected one sql file named {name}.sql, found {len(matches)}")
    return matches[0].read_text(encoding="utf-8")


def run(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pl.DataFrame:
    """Run the named query with its parameters bound by name ($param in the SQL)."""
    return query(con, load_sql(name), params)


def report_overview(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per stored report: agency, year, template, figure and finding counts."""
    return run(con, "report_overview")
