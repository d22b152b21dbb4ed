"""bench/review.py times each kind of review write on a copy of a database and prints its figures (no timing is
asserted); the database it is given is left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import review as bench


def test_bench_times_every_kind_of_write_and_leaves_the_database_alone(
    sample_db: Path, capsys: pytest.CaptureFixture[str]
):
    before = sample_db.read_bytes()
    assert bench.main(["--db", str(sample_db), "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert "21 current reports" in out
    rows = [line for line in out.splitlines() if " | " in line and "median" not in line]
    assert [r.split("|")[0].strip() for r in rows] == [
        "情况说明+状态（不重建事实表）",
        "更正+撤销（两次写入，各重建事实表）",
        "空事务，不重建（复制+替换）",
        "空事务，重建视图与事实表",
    ]
    assert all(float(r.split("|")[1]) > 0 for r in rows)
    assert sample_db.read_bytes() == before


def test_a_missing_database_is_refused_in_both_languages(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert bench.main(["--db", str(tmp_path / "none.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "找不到数据库文件" in err and "database file not found" in err


def test_a_database_built_by_older_sql_is_upgraded_before_timing(sample_copy: Path, capsys: pytest.CaptureFixture[str]):
    from loaders import store

    with store.transaction(sample_copy, rebuild=False) as con:
        con.sql("update schema_info set fingerprint = 'older'")
    assert bench.main(["--db", str(sample_copy), "--rounds", "1"]) == 0
    assert "upgraded first" in capsys.readouterr().out
    assert not store.is_current(sample_copy)  # the copy was upgraded, never the given file
