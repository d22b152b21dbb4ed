"""复议诉讼 on the real sample reports: the three blocks as printed, correction rates, and the R4 mark."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.apptest_support import cards, chart, numeric, run_page, shown, values

PAGE = "app_pages/review.py"
PARTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def table(at: AppTest) -> pd.DataFrame:
    """The page's table of blocks, indexed by (年度, 类别)."""
    frame = next(d.value for d in at.dataframe if "纠错率" in d.value.columns)
    return frame.set_index(["年度", "类别"])


def written(row: pd.Series) -> str:
    """A block's rate with its numerator and denominator, as the headline cards write it, from the table's numbers."""
    if pd.isna(row["纠错率"]):
        return "—"
    return f"{row['纠错率'] * 100:.1f}%（{row['结果纠正']:.0f}/{row['已审结']:.0f}）"


def test_three_blocks_as_printed(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府", "from": "2021"})
    rows = table(at)
    assert numeric(rows, *PARTS, "已审结", "纠错率")
    assert rows.loc[(2021, "行政复议"), PARTS].tolist() == [4, 3, 0, 1, 8]
    assert rows.loc[(2021, "未经复议直接起诉"), PARTS].tolist() == [9, 3, 1, 0, 13]
    assert rows.loc[(2021, "复议后起诉"), PARTS].tolist() == [0, 0, 0, 0, 0]
    bars = {t["name"]: values(t["y"]) for t in chart(at, "review_chart_review")["data"]}
    assert [bars[p] for p in PARTS] == [[4], [3], [0], [1], [8]]


def test_correction_rate_counts_concluded_cases_only(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府", "from": "2021"})
    rows = table(at)
    assert written(rows.loc[(2021, "行政复议")]) == "42.9%（3/7）"  # 8 cases, 1 pending
    assert written(rows.loc[(2021, "未经复议直接起诉")]) == "23.1%（3/13）"
    assert written(rows.loc[(2021, "复议后起诉")]) == "—"  # none concluded
    shown = cards(at)
    assert shown["行政复议纠错率"] == "42.9%（3/7）"
    assert shown["复议后起诉纠错率"] == "—"
    assert shown["复议诉讼合计纠错率"] == "30.0%（6/20）"  # the same figure as the 总览 page


def test_a_total_that_disagrees_with_its_parts_is_shown_as_printed_and_marked(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "洪泽区人民政府"})
    warnings = [shown(w.value) for w in at.warning]  # the message reaches Markdown escaped
    assert any("行政复议：结果维持10+结果纠正1+其他结果0+尚未审结0=11 ≠ 总计0" in w for w in warnings)
    assert any("复议后起诉：结果维持5+结果纠正0+其他结果0+尚未审结0=5 ≠ 总计0" in w for w in warnings)
    rows = table(at)
    assert rows.loc[(2023, "行政复议"), PARTS].tolist() == [10, 1, 0, 0, 0]
    assert "R4" in rows.loc[(2023, "行政复议"), "核对"]
    assert "R4" in rows.loc[(2023, "复议后起诉"), "核对"]
    assert rows.loc[(2023, "未经复议直接起诉"), "核对"] == ""
    assert pd.isna(rows.loc[(2023, "行政复议"), "纠错率"])
    assert cards(at)["行政复议纠错率"] == "—"  # a block that does not add up gives no rate


def test_prose_report_states_only_whether_there_was_a_review(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府", "to": "2014"})
    rows = table(at)
    assert rows.loc[(2014, "行政复议"), PARTS].fillna(-1).tolist() == [-1, -1, -1, -1, 0]  # -1: empty, not stated
    assert pd.isna(rows.loc[(2014, "行政复议"), "纠错率"])


def test_empty_selection_says_so(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"level": "township"})
    assert at.info and "没有填报行政复议" in at.info[0].value
