"""dashboard.py under Streamlit's AppTest, over real databases built in tmp_path from real reports."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from loaders.store import ingest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "reports"
# Four agencies, two templates (the health bureau wrote its 2021 report on the 2019 template); the
# Pingtan report has runs of digits the parser cannot split for certain, stored as figures without a value.
REPORTS = (
    "zhangdian-district-gov-2021.txt",
    "zhangdian-district-gov-office-2021.txt",
    "shizhong-district-health-bureau-2021.txt",
    "014_pingtan_zone_2021.txt",
)


@pytest.fixture
def small_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database of the reports above, and GOVREPORT_DB pointing at it."""
    db = tmp_path / "reports.duckdb"
    ingest([FIXTURES / name for name in REPORTS], db, progress=False)
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    return db


def run_dashboard() -> AppTest:
    """Run dashboard.py once and fail on any exception it raised."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    """The headline metrics by label."""
    return {m.label: m.value for m in at.metric}


def stored(db: Path, sql: str) -> list[tuple]:
    """Rows of a query on the database, read directly (not through the app)."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql(sql).fetchall()


def test_overview_counts_the_reports(small_db: Path):
    at = run_dashboard()
    assert at.title[0].value == "政务公开年报分析看板"
    assert metrics(at)["报告数"] == "4"
    assert metrics(at)["机构数"] == "4"


def test_overview_table_has_one_row_per_report(small_db: Path):
    table = run_dashboard().dataframe[0].value
    assert list(table.columns) == ["机构", "年度", "模板", "数字个数", "问题数", "文件"]
    assert sorted(table["文件"]) == sorted(REPORTS)
    by_file = table.set_index("文件")
    assert by_file.loc["shizhong-district-health-bureau-2021.txt", "模板"] == "2019"
    assert by_file.loc["zhangdian-district-gov-2021.txt", "年度"] == 2021


def test_overview_counts_figures_with_a_value_and_findings(small_db: Path):
    table = run_dashboard().dataframe[0].value.set_index("文件")
    sql = "select source, count(value), count(*) from reports join figures using (report_id) group by source"
    figures = {name: (valued, rows) for name, valued, rows in stored(small_db, sql)}
    assert figures["014_pingtan_zone_2021.txt"][0] < figures["014_pingtan_zone_2021.txt"][1]
    for name in REPORTS:
        assert table.loc[name, "数字个数"] == figures[name][0] > 0
    sql = "select source, count(*) from reports join findings using (report_id) group by source"
    findings = dict(stored(small_db, sql))
    assert findings["zhangdian-district-gov-office-2021.txt"] >= 3  # R1 breaks in three columns
    for name in REPORTS:
        assert table.loc[name, "问题数"] == findings.get(name, 0)


def test_missing_database_is_built_from_sample_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "new" / "reports.duckdb"
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    at = run_dashboard()
    assert db.is_file()
    [(n_reports,)] = stored(db, "select count(distinct (agency, year)) from reports")
    assert n_reports > 10
    assert metrics(at)["报告数"] == str(n_reports)
