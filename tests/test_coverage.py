"""Coverage and roll-up row by row on the fixture reports: the years coverage lists, the notes of a unit that took
in a merged unit, every roll-up row of a year in order, and the stored facts they read (fct_coverage_units,
fct_coverage_names, fct_unit_reports, fct_values) following a roster import and a reviewer's correction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import config
from loaders import review, roster
from tests.dbutil import query, rows

OFFICE = "张店区人民政府办公室"
GOVERNMENT = "张店区人民政府"
MISSING = "张店区司法局、张店区财政局"


def report_of(db: Path, agency: str, year: int) -> str:
    """The id of an agency's current report of a year."""
    return rows(db, "select report_id from stg_reports_current where agency = ? and year = ?", [agency, year])[0][0]


@pytest.fixture
def db(sample_copy: Path) -> Path:
    """A copy of the sample database (every fixture report) with the sample roster imported."""
    roster.import_roster(config.SAMPLE_ROSTER, sample_copy)
    return sample_copy


def test_coverage_years_run_from_the_first_report_to_last_calendar_year(db: Path) -> None:
    reported = {2025: 1, 2024: 1, 2023: 2, 2022: 1, 2021: 4, 2014: 2}  # other years up to 2025: one unit each
    last = max(2025, dt.date.today().year - 1)  # a year nobody has reported for yet is listed too
    expected = [(year, 8, reported.get(year, 1 if year <= 2025 else 0)) for year in range(last, 2010, -1)]
    assert query(db, "coverage_years").rows() == expected


def test_a_unit_that_took_in_a_merged_unit(sample_copy: Path, tmp_path: Path) -> None:
    merger = f"单位,层级,类型\n{GOVERNMENT},区县级,政府\n\n旧名称,新名称,类型,年度\n{OFFICE},{GOVERNMENT},合并,2025\n"
    path = tmp_path / "merger.csv"
    path.write_text(merger, encoding="utf-8")
    roster.import_roster(path, sample_copy)
    columns = ["unit", "filed_as", "timeliness", "note"]
    # Both filed in 2021: the unit's own report stands for it, the merged unit's is listed beside it.
    assert query(sample_copy, "coverage", year=2021).select(columns).rows() == [
        (GOVERNMENT, GOVERNMENT, "日期不详", f"另有报告计入本单位：{OFFICE}")
    ]
    # In 2014 and 2022 the merged unit filed nothing; in 2022 neither did the unit itself.
    assert query(sample_copy, "coverage", year=2014).select(columns).rows() == [
        (GOVERNMENT, GOVERNMENT, "日期不详", f"合并前单位未报送：{OFFICE}")
    ]
    assert query(sample_copy, "coverage", year=2022).select(columns).rows() == [
        (GOVERNMENT, None, "未发布", f"合并前单位未报送：{OFFICE}")
    ]
    assert query(sample_copy, "coverage_years").filter(year=2021).rows() == [(2021, 1, 1)]


def test_every_rollup_row_of_a_year_in_order(db: Path) -> None:
    columns = ["government", "scope", "metric", "stated", "stated_line", "summed", "difference"]
    counts = ["units_expected", "units_reported", "units_stated", "units_missing", "units_unstated"]
    found = query(db, "rollup_compare", year=2021)
    assert found.select(columns).rows() == [
        (GOVERNMENT, "government_level", "requests.new", 16, 17, 16, 0),
        (GOVERNMENT, "units_total", "requests.new", 105, 131, 16, 89),
        (GOVERNMENT, "units_total", "requests.carried_over", 0, 140, 0, 0),
        (GOVERNMENT, "units_total", "outcome.total", 105, 379, 16, 89),
        (GOVERNMENT, "units_total", "requests.carried_forward", 0, 388, 0, 0),
        (GOVERNMENT, "units_total", "review.total", 8, 444, 0, 8),
        (GOVERNMENT, "units_total", "litigation.direct.total", 13, 449, 0, 13),
        (GOVERNMENT, "units_total", "litigation.after_review.total", 0, 454, 0, 0),
    ]
    assert found.select(counts).rows() == [(1, 1, 1, None, None)] + [(3, 1, 1, MISSING, None)] * 7
    assert found["scope_label"].to_list() == ["政府层面（本级）"] + ["下属单位合计"] * 7
    assert found["metric_label"][0] == "一、本年新收政府信息公开申请数量"
    assert found["report_id"].unique().to_list() == [report_of(db, GOVERNMENT, 2021)]
    assert found["r7_finding"].null_count() == found.height  # the office's 16 agrees with the government's 16


def test_rollup_sums_corrected_figures_and_carries_the_r7_finding_they_raise(db: Path) -> None:
    office_report = report_of(db, OFFICE, 2021)
    review.correct_figure(db, office_report, "requests.new", "total", 20, "原表总计少计4件", "张三")
    found = query(db, "rollup_compare", year=2021).filter(metric="requests.new")
    assert found.select("scope", "stated", "summed", "difference").rows() == [
        ("government_level", 16, 20, -4),
        ("units_total", 105, 20, 85),
    ]
    own, total = found["r7_finding"].to_list()
    assert own == f"一、本年新收政府信息公开申请数量：本报告称政府层面16，{OFFICE}2021年报告为20" and total is None


@pytest.mark.parametrize(
    ("fact", "view"),
    [
        ("fct_coverage_units", "stg_coverage_units"),
        ("fct_coverage_names", "stg_coverage_names"),
        ("fct_unit_reports", "stg_unit_reports"),
    ],
)
def test_the_coverage_facts_hold_what_their_views_give_after_a_roster_import(db: Path, fact: str, view: str) -> None:
    stored = rows(db, f"select * from {fact}")  # fixed names from the parameters above
    assert stored and sorted(stored, key=repr) == sorted(rows(db, f"select * from {view}"), key=repr)
    assert GOVERNMENT in {r[0] for r in stored}
