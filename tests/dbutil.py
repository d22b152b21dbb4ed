"""Reading a test's database file: every call opens a read-only connection and closes it again at once, so the code
under test can write the file (and swap a new one in) between two reads."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from analytics import queries


def rows(db: Path, sql: str, params: list | dict | None = None) -> list[tuple]:
    """The rows of one SQL statement."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql, params=params).fetchall()
    finally:
        con.close()


def current_report_id(db: Path, agency: str, year: int) -> str:
    """The id of the current report of an agency and year, as stored."""
    found = rows(
        db, "select report_id from stg_reports_current where agency = $a and year = $y", {"a": agency, "y": year}
    )
    return found[0][0]


def query(db: Path, name: str, **params) -> pl.DataFrame:
    """The result of a named query (sql/**/<name>.sql), as the dashboard runs it."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return queries.run(con, name, **params)
    finally:
        con.close()
