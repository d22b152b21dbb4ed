"""bench/similarity.py runs end to end on real reports and synthetic copies of them, and prints its figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import similarity as bench

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "reports"


def test_bench_prints_the_time_to_compute_similarity(capsys: pytest.CaptureFixture[str]) -> None:
    bench.main(["--data", str(FIXTURES), "--units", "4"])
    out = capsys.readouterr().out
    assert "[reports] 报告 / reports stored: 21" in out
    assert "synthetic reports written: 8" in out and "[synthetic] 报告 / reports stored: 8  失败 / failed: 0" in out
    for label in ("whole ingest", "all years recomputed", "ms CPU", "ru_maxrss"):
        assert label in out
