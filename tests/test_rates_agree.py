"""One number, one definition: 总览, 办理结果, 复议诉讼, 评分排名 and the briefing show the same rate for the same
selection, on the sample reports and on a synthetic database with blocks that break R4."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from analytics.state import Selection
from bench import synthetic
from exports.briefing import Briefing, Table
from tests import dbutil
from tests.apptest_support import cards, metrics, run_page
from tests.exports_support import briefing_for

DISCLOSURE, CORRECTION = "实质公开率", "复议诉讼纠错率"


def rate_text(text: str) -> str:
    """The rate of a shown value without its counts: "12.5%（1/8）" -> "12.5%"; an unknown rate -> "—"."""
    head = text.split("（")[0]
    return "—" if head in ("", "未填报") else head


def percent(value: float | None) -> str:
    """A briefing's rate (a share) written as the pages write it."""
    return "—" if value is None else f"{value * 100:.1f}%"


def query(agencies: list[str], year: int) -> dict[str, str | list[str]]:
    """The URL query of a one-year selection (all units when `agencies` is empty)."""
    return {**({"agency": agencies} if agencies else {}), "from": str(year), "to": str(year)}


def table(brief: Briefing, key: str) -> pl.DataFrame:
    """A briefing table's rows by its key."""
    tables: list[Table] = [brief.ranking, *(t for s in brief.sections for t in s.tables)]
    return next(t.frame for t in tables if t.key == key)


def page_rates(agencies: list[str], year: int) -> dict[str, dict[str, str]]:
    """The two shared rates as each page shows them for the selection."""
    overview = metrics(run_page("app_pages/overview.py", query(agencies, year)))
    outcomes = cards(run_page("app_pages/outcomes.py", query(agencies, year)))
    review = cards(run_page("app_pages/review.py", query(agencies, year)))
    return {
        "总览": {DISCLOSURE: overview[DISCLOSURE], CORRECTION: overview[CORRECTION]},
        "办理结果": {DISCLOSURE: rate_text(outcomes.get(DISCLOSURE, "—"))},
        "复议诉讼": {CORRECTION: rate_text(review.get("复议诉讼合计纠错率", "—"))},
    }


def briefing_rates(db: Path, agencies: list[str], year: int) -> dict[str, str]:
    """The two rates of the briefing's 年度汇总 for the selection's year."""
    brief = briefing_for(db, Selection(agencies=tuple(agencies), year_from=year, year_to=year))
    row = table(brief, "overview").filter(pl.col("年度") == year).row(0, named=True)
    return {DISCLOSURE: percent(row[DISCLOSURE]), CORRECTION: percent(row[CORRECTION])}


def assert_selection_agrees(db: Path, agencies: list[str], year: int) -> dict[str, str]:
    """Every page and the briefing give the same rate for the selection; returns the rates."""
    shown = page_rates(agencies, year)
    shown["简报"] = briefing_rates(db, agencies, year)
    for rate in (DISCLOSURE, CORRECTION):
        values = {source: rates[rate] for source, rates in shown.items() if rate in rates}
        assert len(set(values.values())) == 1, (agencies, year, rate, values)
    return shown["总览"]


def score_values(year: int, units: list[str]) -> dict[str, dict[str, str]]:
    """Each unit's two rate indicators as 评分排名 shows them (结果 column of the unit's indicators)."""
    at = run_page("app_pages/scoring.py")
    at.selectbox(key="score_year").select(year).run()
    out = {}
    for unit in units:
        at.selectbox(key="score_unit").select(unit).run()
        assert not at.exception, [e.message for e in at.exception]
        shown: pd.DataFrame = next(d.value for d in at.dataframe if "得分" in d.value.columns)
        by_label = dict(zip(shown["指标"], shown["结果"], strict=True))
        correction = by_label.get(CORRECTION)  # a department's class has no correction indicator
        out[unit] = {
            DISCLOSURE: rate_text(by_label["依申请公开实质公开率"]),
            CORRECTION: None if correction is None else rate_text(correction),
        }
    return out


def assert_units_agree(db: Path, units: list[str], year: int) -> None:
    """Per unit: each one-unit selection, the outcome table's row, the briefing's ranking and the scoring agree."""
    ranking = table(briefing_for(db, Selection(year_from=year, year_to=year)), "ranking")
    outcomes = run_page("app_pages/outcomes.py", query([], year))
    mix = next(d.value for d in outcomes.dataframe if "办理总计" in d.value.columns)
    scored = score_values(year, units)
    for unit in units:
        alone = assert_selection_agrees(db, [unit], year)
        ranked = ranking.filter(pl.col("单位") == unit).row(0, named=True)
        assert percent(ranked[DISCLOSURE]) == alone[DISCLOSURE], unit
        assert percent(ranked[CORRECTION]) == alone[CORRECTION], unit
        row = mix[(mix["单位"] == unit) & (mix["年度"] == year)]
        if not row.empty:
            shown = row.iloc[0][DISCLOSURE]  # a number in the grid; empty (NaN) for no rate
            assert percent(None if pd.isna(shown) else shown) == alone[DISCLOSURE], unit
        assert scored[unit][DISCLOSURE] == alone[DISCLOSURE], unit
        if scored[unit][CORRECTION] is not None:
            assert scored[unit][CORRECTION] == alone[CORRECTION], unit


def test_the_sample_reports_show_one_rate_everywhere(dashboard_db: Path) -> None:
    # 2023: Hongze's 行政复议 and 复议后起诉 blocks break R4 and count nowhere: 1 corrected of 8 concluded
    assert assert_selection_agrees(dashboard_db, [], 2023)[CORRECTION] == "12.5%"
    # 2021: the office's report is inside its government's, so the totals take the government's figures only
    assert assert_selection_agrees(dashboard_db, [], 2021) == {DISCLOSURE: "56.9%", CORRECTION: "17.1%"}
    assert_units_agree(dashboard_db, ["平潭综合实验区管委会", "洪泽区人民政府"], 2023)
    assert_units_agree(dashboard_db, ["张店区人民政府", "张店区人民政府办公室", "市中区卫生健康局"], 2021)


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic database (invented agencies) in which a few blocks of section 四 break R4."""
    path = tmp_path_factory.mktemp("synthetic") / "rates.duckdb"
    synthetic.generate(path, 200, seed=7)
    return path


def test_a_synthetic_database_with_rule_breaking_blocks_shows_one_rate_everywhere(
    synthetic_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVREPORT_DB", str(synthetic_db))
    broken = dbutil.rows(
        synthetic_db,
        "select distinct r.agency, r.year from chk_review_blocks_add_up as c join fct_reports as r using (report_id)",
    )
    assert broken, "the synthetic database should hold blocks that break R4"
    for agency, year in sorted(broken, key=lambda r: r[1]):
        assert_selection_agrees(synthetic_db, [], year)
        assert_units_agree(synthetic_db, [agency], year)
