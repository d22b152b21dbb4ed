"""Shared fixtures: the real report files bundled for tests, and a database path in a fresh folder."""

from __future__ import annotations

from pathlib import Path

import pytest

REPORTS_DIR = Path(__file__).resolve().parent / "fixtures" / "reports"


@pytest.fixture
def reports_dir() -> Path:
    """The folder of real report files (read-only: copy a file to tmp_path before editing it)."""
    return REPORTS_DIR


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """A database path that does not exist yet, in this test's own folder."""
    return tmp_path / "db" / "reports.duckdb"
