"""Read the findings of the checks R1–R9 (sql/checks) and the parser, from a database or for unstored reports."""

from __future__ import annotations

import json
import threading

import duckdb
import polars as pl

from loaders import store
from loaders.model import Report

_FINDINGS_QUERY = """
select report_id, agency, year, rule, severity, message, cells
from findings
order by agency, year, report_id, rule, message
"""


def findings(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every row of the findings view, ordered by agency, year and rule; cells stay a JSON string."""
    return con.sql(_FINDINGS_QUERY).pl()


def findings_for(reports: list[Report]) -> dict[str, list[dict]]:
    """Findings of reports not in any database, keyed by Report.source, from the same tables, views and SQL.

    Each finding is {"rule", "severity", "message", "cells"}. Reports of the same agency and year are checked
    in separate in-memory databases, since a database keeps only one current version of each.
    """
    result: dict[str, list[dict]] = {report.source: [] for report in reports}
    for batch in _batches(reports):
        for source, found in _findings_of_batch(batch).items():
            result[source] = found
    return result


def _batches(reports: list[Report]) -> list[list[Report]]:
    """Split reports into groups in which no two share agency and year (or source name)."""
    batches: list[list[Report]] = []
    for report in reports:
        batch = next((b for b in batches if not any(_clash(report, other) for other in b)), None)
        if batch is None:
            batches.append(batch := [])
        batch.append(report)
    return batches


def _clash(a: Report, b: Report) -> bool:
    """True when two reports cannot be current in the same database."""
    return (a.agency, a.year) == (b.agency, b.year) or a.source == b.source or a.content_hash == b.content_hash


def _findings_of_batch(batch: list[Report]) -> dict[str, list[dict]]:
    """Load one batch into the in-memory database of the checks, read the findings view, then empty it again."""
    ids = {str(index): report.source for index, report in enumerate(batch)}
    with _CHECKER_LOCK:
        con = _checker()
        try:
            store.insert_reports(con, [store.Queued(report, str(index), 1) for index, report in enumerate(batch)])
            with store.pinned_staging(con):
                rows = findings(con).to_dicts()
        finally:
            _empty(con)
    out: dict[str, list[dict]] = {source: [] for source in ids.values()}
    for row in rows:
        out[ids[row["report_id"]]].append(_finding_dict(row))
    return out


# The in-memory database unstored reports are checked in, with the tables and views of sql/: creating them takes
# longer than checking a report, so it is made once per process (again when sql/ changes) and emptied after each
# batch. One batch at a time: the lock keeps two threads' reports apart.
_CHECKER_LOCK = threading.Lock()
_checkers: dict[str, duckdb.DuckDBPyConnection] = {}  # schema fingerprint -> the prepared database


def _checker() -> duckdb.DuckDBPyConnection:
    """The prepared in-memory database of this version of sql/ (made on first use); call it under the lock."""
    fingerprint = store.schema_fingerprint()
    if fingerprint not in _checkers:
        for stale in _checkers.values():
            stale.close()
        _checkers.clear()
        con = duckdb.connect(":memory:")
        store.prepare(con)
        _checkers[fingerprint] = con
    return _checkers[fingerprint]


def _empty(con: duckdb.DuckDBPyConnection) -> None:
    """Remove a batch's rows (the tables insert_reports fills); a database that cannot be emptied is dropped."""
    try:
        for table in store.REPORT_TABLES:
            con.sql(f"delete from {table}")  # fixed table names
    except duckdb.Error:
        for fingerprint in [f for f, c in _checkers.items() if c is con]:
            _checkers.pop(fingerprint).close()
        raise


def _finding_dict(row: dict) -> dict:
    """One finding as plain data: rule, severity, message and the decoded evidence cells."""
    return {
        "rule": row["rule"],
        "severity": row["severity"],
        "message": row["message"],
        "cells": json.loads(row["cells"]) if row["cells"] else [],
    }
