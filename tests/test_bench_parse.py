"""bench/parse.py runs end to end on real reports and prints its figures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench import parse as bench

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "reports"


def test_bench_prints_speed_and_memory(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    for name in ("zhangdian-district-gov-2021.txt", "014_pingtan_zone_2021.txt"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / "README.md").write_text("not a report", encoding="utf-8")
    assert bench.main(["--data", str(tmp_path), "--rounds", "2", "--no-pin"]) == 0
    out = capsys.readouterr().out
    assert "2 x 2 rounds = 4 parses" in out
    for label in ("reports per second", "mean per report", "slowest file", "tracemalloc peak", "ru_maxrss"):
        assert label in out
    for kind in ("docx", "html", "markdown", "xlsx", "pdf"):
        assert any(line.split()[:1] == [kind] and "files/s" in line for line in out.splitlines()), kind
    assert "pages/s" in out


def test_bench_refuses_a_folder_without_reports(tmp_path: Path):
    (tmp_path / "README.md").write_text("not a report", encoding="utf-8")
    with pytest.raises(SystemExit, match="no report files"):
        bench.main(["--data", str(tmp_path), "--rounds", "1", "--no-pin"])
