"""bench/exports.py runs end to end on a small database and prints its figures (no timing is asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import exports as bench

ROOT = Path(__file__).resolve().parent.parent


def test_bench_prints_seconds_per_chart_per_deck_and_per_briefing(sample_db: Path, capsys: pytest.CaptureFixture):
    assert bench.main(["--db", str(sample_db), "--charts", "2", "--deck", "3"]) == 0
    out = capsys.readouterr().out
    assert "per chart after warm-up (2 charts" in out and "median" in out
    assert "deck of 3 charts (render + pptx):" in out
    assert "full briefing (xlsx + pptx + docx" in out
    for line in ("warm-up", "assemble briefing"):
        assert line in out


def test_bench_builds_its_own_database_from_a_folder_of_reports(tmp_path: Path, capsys: pytest.CaptureFixture):
    reports = ROOT / "tests" / "fixtures" / "reports"
    (tmp_path / "r").mkdir()
    for name in ("zhangdian-district-gov-2021.txt", "014_pingtan_zone_2021.txt"):
        (tmp_path / "r" / name).write_bytes((reports / name).read_bytes())
    assert bench.main(["--data", str(tmp_path / "r"), "--charts", "1", "--deck", "1"]) == 0
    assert "database: bench.duckdb" in capsys.readouterr().out
