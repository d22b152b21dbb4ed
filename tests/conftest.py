"""Shared fixtures: the real report files bundled for tests, a database path in a fresh folder, and the database of
every fixture report, shared read-only or as a private copy a test may write."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.components.v2 import manifest_scanner

REPORTS_DIR = Path(__file__).resolve().parent / "fixtures" / "reports"


@pytest.fixture(autouse=True, scope="session")
def _scan_installed_components_once() -> Iterator[None]:
    """Streamlit's AppTest scans every installed package for custom components on each run (about 0.3 s here, with
    Ray's many packages installed); the packages do not change during a test run, so each process scans once and
    every later run gets that same real result."""
    scan = functools.cache(manifest_scanner.scan_component_manifests)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests", scan)
        yield


@pytest.fixture
def reports_dir() -> Path:
    """The folder of real report files (read-only: copy a file to tmp_path before editing it)."""
    return REPORTS_DIR


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """A database path that does not exist yet, in this test's own folder."""
    return tmp_path / "db" / "reports.duckdb"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database of every real fixture report, built once for the dashboard tests (read-only for them)."""
    from loaders.store import ingest

    db = tmp_path_factory.mktemp("sample") / "reports.duckdb"
    ingest(sorted(REPORTS_DIR.glob("*.txt")), db, progress=False)  # the text reports (the PDF repeats one of them)
    return db


@pytest.fixture
def dashboard_db(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the dashboard at the shared sample database."""
    monkeypatch.setenv("GOVREPORT_DB", str(sample_db))
    return sample_db


@pytest.fixture
def sample_copy(sample_db: Path, tmp_path: Path) -> Path:
    """A private copy of the sample database that the test may write."""
    copy = tmp_path / "db" / "reports.duckdb"
    copy.parent.mkdir()
    shutil.copy(sample_db, copy)
    return copy


@pytest.fixture
def dashboard_copy(sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the dashboard at a private copy of the sample database, which the test and the pages may write."""
    monkeypatch.setenv("GOVREPORT_DB", str(sample_copy))
    return sample_copy
