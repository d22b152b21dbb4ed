"""评分排名 on the real sample reports: the ranking, tiers, the most improved units, and a unit's deductions with
their evidence and links; a finding explained elsewhere raises the score shown."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.queries import run
from analytics.rubric import load_rubric
from analytics.scoring import score_year
from loaders import review
from tests.apptest_support import chart, metrics, numeric, run_page, values
from ui.textview import markdown_text

PAGE = "app_pages/scoring.py"
OFFICE = "张店区人民政府办公室"


TABLES = {  # a column only this table of the page has
    "score_table": "等次",
    "score_improved_table": "上年总分",
    "score_unit_indicators": "得分",
    "score_deductions": "证据",
}


def frame(at: AppTest, key: str) -> pd.DataFrame:
    """The page's table named by its key (found by a column of its own: display-only tables keep no key)."""
    return next(d.value for d in at.dataframe if TABLES[key] in d.value.columns)


def open_year(year: int, query: dict | None = None) -> AppTest:
    """The page on one year."""
    at = run_page(PAGE, query)
    at.selectbox(key="score_year").select(year).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def expected_totals(db: Path, year: int) -> dict[str, float]:
    """The totals analytics.scoring gives, by unit."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {s.unit: s.total for s in score_year(lambda n, **p: run(con, n, **p), year, load_rubric())}
    finally:
        con.close()


def test_ranking_of_the_year_with_tiers(dashboard_db: Path) -> None:
    at = open_year(2021)
    ranking = frame(at, "score_table")
    assert dict(zip(ranking["单位"], ranking["总分"], strict=True)) == pytest.approx(
        expected_totals(dashboard_db, 2021)
    )
    assert {"排名", "等次", "按时发布", "内容不雷同", "依申请公开实质公开率"} <= set(ranking.columns)
    assert numeric(ranking, "排名", "总分", "按时发布", "依申请公开实质公开率", "扣分")
    by_unit = ranking.set_index("单位")
    assert by_unit.loc["洪泽区人民政府", "报送"] == "未发布"
    assert (
        pd.isna(by_unit.loc["洪泽区人民政府", "按时发布"])
        and "按时发布：未发布" in by_unit.loc["洪泽区人民政府", "未计分"]
    )
    assert pd.isna(by_unit.loc[OFFICE, "依申请公开实质公开率"])  # 16 requests: fewer than 30
    assert "依申请公开实质公开率：不计分" in by_unit.loc[OFFICE, "未计分"]
    assert pd.isna(by_unit.loc[OFFICE, "复议诉讼纠错率"])  # not an indicator of departments
    assert "复议诉讼纠错率" not in by_unit.loc[OFFICE, "未计分"]
    assert by_unit.loc[OFFICE, "表格数据勾稽相符"] == 8  # 20 points less 3 R1 findings × 4
    shown = metrics(at)
    assert shown["参评单位"] == "5"
    assert sum(int(shown[t]) for t in ("先进", "达标", "待改进")) == 5
    bars = chart(at, "score_tiers")
    assert sum(sum(values(trace["y"])) for trace in bars["data"]) == 5


def test_most_improved_against_the_previous_year(dashboard_db: Path) -> None:
    at = open_year(2021)
    improved = frame(at, "score_improved_table")
    assert list(improved["单位"]) == ["平潭综合实验区管委会"]  # the only unit with a report in 2020 and 2021
    totals = (
        expected_totals(dashboard_db, 2020)["平潭综合实验区管委会"],
        expected_totals(dashboard_db, 2021)["平潭综合实验区管委会"],
    )
    assert improved.iloc[0]["变化"] == pytest.approx(totals[1] - totals[0], abs=0.01)
    assert chart(at, "score_improved")["data"][0]["y"] == ["平潭综合实验区管委会"]


def test_no_previous_year_to_compare(dashboard_db: Path) -> None:
    at = open_year(2011)
    assert any("没有2010年度的报告" in i.value for i in at.info)


def test_a_units_deductions_with_evidence_and_links(dashboard_db: Path) -> None:
    at = open_year(2021)
    at.selectbox(key="score_unit").select(OFFICE).run()
    deductions = frame(at, "score_deductions")
    assert len(deductions) == 6 and set(deductions["指标"]) == {"表格数据勾稽相符", "问题均已说明"}
    # the report by unit and year, the rule and the finding's words: no ids (问题 3425aea7…, 报告 7b22686f…)
    assert all(e.startswith(f"{OFFICE}2021年报告第100行：R") for e in deductions["证据"])
    assert not any(re.search(r"[0-9a-f]{16}", e) for e in deductions["证据"])
    assert any("新收12+上年结转0" in e and "（待核实）" in e for e in deductions["证据"])
    indicators = frame(at, "score_unit_indicators").set_index("指标")
    assert "少于30件" in indicators.loc["依申请公开实质公开率", "说明"]
    links = [p.proto for p in at.get("page_link")]
    findings = [p for p in links if p.page == "findings"]
    assert len(findings) == 3 and all(p.query_string.startswith("finding=") for p in findings)
    reports = [p for p in links if p.page == "report"]
    assert len(reports) == 1 and reports[0].query_string.endswith("&line=100")


def test_the_sidebar_narrows_the_list_not_the_ranking(dashboard_db: Path) -> None:
    at = open_year(2021, {"agency": OFFICE})
    ranking = frame(at, "score_table")
    assert list(ranking["单位"]) == [OFFICE]
    assert ranking.iloc[0]["排名"] == 2  # still ranked among all departments


@pytest.fixture
def own_db(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the sample database for the page."""
    db = Path(shutil.copy(sample_db, tmp_path / "reports.duckdb"))
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    return db


def test_a_finding_explained_raises_the_score_shown(own_db: Path) -> None:
    at = open_year(2021)
    before = frame(at, "score_table").set_index("单位").loc[OFFICE, "总分"]
    con = duckdb.connect(str(own_db), read_only=True)
    key = con.sql(
        "select finding_key from finding_reviews where agency = ? and rule = 'R1'", params=[OFFICE]
    ).fetchall()
    con.close()
    review.set_status(own_db, key[0][0], "已说明", by="评审员")
    at.run()
    after = frame(at, "score_table").set_index("单位").loc[OFFICE, "总分"]
    assert after > before


def test_each_finding_link_names_its_finding(dashboard_db: Path) -> None:
    at = open_year(2021)
    at.selectbox(key="score_unit").select(OFFICE).run()
    links = [p.proto for p in at.get("page_link") if p.proto.page == "findings"]
    con = duckdb.connect(str(dashboard_db), read_only=True)
    try:
        messages = dict(
            con.sql(
                "select finding_key, message from finding_reviews where agency = ? and year = 2021 and rule = 'R1'",
                params=[OFFICE],
            ).fetchall()
        )
    finally:
        con.close()
    assert len(links) == len(messages) == 3
    for link in links:  # three R1 findings, all 待核实: only the message tells their links apart
        key = link.query_string.removeprefix("finding=")
        assert link.label == f"问题核查：表格数据勾稽相符（R1，待核实）· {markdown_text(messages[key])}"


def test_no_improvement_to_show_within_the_selection_says_so(dashboard_db: Path) -> None:
    at = open_year(2021, {"agency": OFFICE})  # Pingtan has both years, but the sidebar lists only the office
    assert [i.value for i in at.info] == ["所选范围内没有单位在2020年度和2021年度都有报告。"]


def test_the_page_opens_on_the_year_most_units_reported() -> None:
    # The sample's latest year, 2025, has only Pingtan's report: ranking it first would put every other unit last.
    at = run_page(PAGE)
    assert not at.exception
    assert at.selectbox(key="score_year").value == 2021
    narrowed = run_page(PAGE, {"to": "2014"})
    assert narrowed.selectbox(key="score_year").value == 2014


# --- rubrics a 管理员 imports ---------------------------------------------------------------------------


def trial_rubric(name: str, tier: str) -> bytes:
    """The default rubric under another name, its last tier (the units no other tier takes) relabelled."""
    text = (Path(__file__).parent.parent / "rubrics" / "default.toml").read_text(encoding="utf-8")
    last_tier = load_rubric().tiers[-1].label
    text = text.replace('name = "政务公开年报评分细则（默认）"', f'name = "{name}"', 1)
    assert text.count(f'label = "{last_tier}"') == 1
    return text.replace(f'label = "{last_tier}"', f'label = "{tier}"').encode()


@pytest.fixture
def writable_db(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the sample database that the page may write to."""
    db = Path(shutil.copy(sample_db, tmp_path / "reports.duckdb"))
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    return db


def test_an_administrator_imports_a_rubric_and_the_page_scores_with_it(writable_db: Path) -> None:
    at = run_page(PAGE)
    at.get("file_uploader")[0].set_value(("trial.toml", trial_rubric("试行细则", "标杆"), "application/toml")).run()
    at.button(key="rubric_import").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("已导入评分细则“试行细则”" in s.value for s in at.success)
    at.selectbox(key="score_rubric").set_value(("stored", "试行细则")).run()
    assert not at.exception, [e.message for e in at.exception]
    assert "标杆" in set(frame(at, "score_table")["等次"])  # scored with the imported rubric's tiers
    logged = duckdb.connect(str(writable_db), read_only=True).sql(
        "select account, action, target from audit_log where action like 'rubric%'"
    )
    assert logged.fetchall() == [("测试管理员", "rubric.import", "试行细则")]


def test_a_rubric_that_does_not_check_is_refused_naming_the_file_and_nothing_is_stored(writable_db: Path) -> None:
    at = run_page(PAGE)
    broken = trial_rubric("坏细则", "标杆").replace(b"max_score = 100", b'max_score = "\xe4\xb8\x80\xe7\x99\xbe"')
    at.get("file_uploader")[0].set_value(("broken.toml", broken, "application/toml")).run()
    at.button(key="rubric_import").click().run()
    (error,) = [e.value for e in at.error]
    assert "broken" in error and "max\\_score" in error, error
    stored = duckdb.connect(str(writable_db), read_only=True).sql("select count(*) from rubrics").fetchall()
    assert stored == [(0,)]


def test_only_an_administrator_sees_the_rubric_import(writable_db: Path) -> None:
    from loaders import rubrics
    from loaders.accounts import REVIEWER, Account, Refused

    at = run_page(PAGE, role=REVIEWER)
    assert not at.get("file_uploader")
    with pytest.raises(Refused, match="导入或恢复评分细则"):
        rubrics.import_rubric_bytes(
            trial_rubric("x", "y"), "x.toml", writable_db, lambda t, f: "x", Account("r", REVIEWER)
        )
