"""Read the findings of the checks R1–R9 (sql/checks) and the parser, from a database or for unstored reports."""

from __future__ import annotations

import json

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
    """Load one batch into an in-memory database and read the findings view."""
    con = duckdb.connect(":memory:")
    try:
        store.prepare(con)
        ids = {str(index): report.source for index, report in enumerate(batch)}
        store.insert_reports(con, [store.Queued(report, str(index), 1) for index, report in enumerate(batch)])
        rows = findings(con).to_dicts()
    finally:
        con.close()
    out: dict[str, list[dict]] = {source: [] for source in ids.values()}
    for row in rows:
        out[ids[row["report_id"]]].append(_finding_dict(row))
    return out


def _finding_dict(row: dict) -> dict:
    """One finding as plain data: rule, severity, message and the decoded evidence cells."""
    return {
        "rule": row["rule"],
        "severity": row["severity"],
        "message": row["message"],
        "cells": json.loads(row["cells"]) if row["cells"] else [],
    }
