"""bench/writes.py times one upload, one correction and one status change on a copy of a synthetic database;
each write lands as the dashboard's would. Timings are printed, never asserted."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from bench import synthetic, writes


def test_each_write_lands_and_is_measured(tmp_path: Path):
    db = tmp_path / "tiny.duckdb"
    synthetic.generate(db, 150, seed=11)
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(db, copy)
    con = duckdb.connect(str(copy), read_only=True)
    try:
        agency, year = writes.upload_target(con)
        assert con.sql(
            "select count(*) from reports where agency = ? and year = ?", params=[agency, year]
        ).fetchall() == [(0,)]
    finally:
        con.close()
    rows = [writes.run_one(action, copy) for action in writes.ACTIONS]
    assert [row["action"] for row in rows] == list(writes.ACTIONS)
    assert all(row["seconds"] > 0 and row["peak_mib"] > 0 for row in rows)
    con = duckdb.connect(str(copy), read_only=True)
    try:
        assert con.sql("select count(*) from stg_reports_current where agency = ? and year = ?",
                       params=[agency, year]).fetchall() == [(1,)]  # fmt: skip
        assert con.sql("select count(*) from figure_corrections").fetchall() == [(1,)]
        assert con.sql("select count(*) from finding_status_events").fetchall() == [(1,)]
        actions = {a for (a,) in con.sql("select action from audit_log").fetchall()}
        assert {"report.ingest", "figure.correct", "finding.status"} <= actions
    finally:
        con.close()
