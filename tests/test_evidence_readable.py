"""Evidence a person can read: every figure read from a PDF carries its page (the parser's location, through the
facts to the report's figures and a finding's evidence), and 报告详情 opens on an annual report, not a work plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders import store
from tests import dbutil
from tests.apptest_support import run_page

PDF = Path(__file__).parent / "fixtures" / "reports" / "hongze_district_gov_2023.pdf"


@pytest.fixture(scope="module")
def pdf_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of the one PDF report."""
    db = tmp_path_factory.mktemp("pdf") / "reports.duckdb"
    store.ingest([PDF], db, progress=False)
    return db


def test_every_figure_of_a_pdf_has_its_page(pdf_db: Path) -> None:
    report_id = dbutil.rows(pdf_db, "select report_id from reports")[0][0]
    figures = dbutil.query(pdf_db, "report_figures", report_id=report_id)
    assert figures.height > 100 and figures["page"].null_count() == 0
    pages = set(figures["page"].to_list())
    assert min(pages) == 1 and len(pages) > 2  # the figures spread over the report's pages
    for location, page in figures.select("location", "page").iter_rows():
        assert location.startswith(f"第{page}页") or location.startswith(f"第{page}–")
    assert dbutil.rows(pdf_db, "select count(*) = count(page) from fct_values")[0][0]


def test_a_findings_evidence_names_the_pdf_page(pdf_db: Path) -> None:
    key, report_id = dbutil.rows(
        pdf_db, "select finding_key, report_id from fct_findings where json_array_length(cells) > 0 limit 1"
    )[0]
    evidence = dbutil.query(pdf_db, "finding_evidence", finding_key=key)
    figures = dbutil.query(pdf_db, "report_figures", report_id=report_id)
    pages = {(r["line"], r["raw"]): r["page"] for r in figures.iter_rows(named=True)}
    matched = [r for r in evidence.iter_rows(named=True) if (r["line"], r["raw"]) in pages]
    assert matched and all(r["page"] == pages[(r["line"], r["raw"])] for r in matched)
    listed = dbutil.query(pdf_db, "report_findings", report_id=report_id)
    assert listed.filter(listed["line"].is_not_null())["page"].null_count() == 0


def test_a_text_report_has_no_page(sample_db: Path) -> None:
    report_id = dbutil.current_report_id(sample_db, "张店区人民政府", 2021)
    assert dbutil.query(sample_db, "report_figures", report_id=report_id)["page"].null_count() > 0


def test_the_report_page_opens_on_an_annual_report(dashboard_db: Path) -> None:
    at = run_page("app_pages/report.py")
    chosen = at.selectbox(key="report_pick").value
    template = dbutil.rows(dashboard_db, "select template from reports where report_id = ?", [chosen])[0][0]
    assert template != "workplan"
    assert dbutil.rows(dashboard_db, "select count(*) from reports where template = 'workplan'")[0][0] > 0
    table = next(t for t in at.dataframe if "页码" in t.value.columns)
    assert "页码" in table.value.columns  # every figure table carries the PDF page column
