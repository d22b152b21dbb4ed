"""办理结果 on the real sample reports: the outcome mix, rates with their denominators, refusal reasons, applicants."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.apptest_support import cards, chart, numeric, run_page, values

PAGE = "app_pages/outcomes.py"
CATEGORIES = ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page that has this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def rates(at: AppTest) -> pd.DataFrame:
    """The table of rates, each beside its numerator, over 办理总计."""
    return table(at, "新收与结转")


def written(row: pd.Series, rate: str) -> str:
    """A rate with its numerator and denominator, as the headline cards write it, from the table's numbers."""
    if pd.isna(row[rate]):
        return "—"
    numerator = "实质公开" if rate == "实质公开率" else rate.removesuffix("率")
    return f"{row[rate] * 100:.1f}%（{row[numerator]:.0f}/{row['办理总计']:.0f}）"


def test_outcome_mix_of_one_report(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府", "from": "2021"})
    mix = table(at, "办理总计")
    assert numeric(mix, *CATEGORIES, "办理总计", "实质公开率")
    row = mix.iloc[0]
    assert row[CATEGORIES].tolist() == [61, 3, 12, 20, 9, 0]
    assert row["办理总计"] == 105
    bars = {t["name"]: values(t["y"]) for t in chart(at, "outcomes_mix")["data"]}
    assert [bars[c] for c in CATEGORIES] == [[61], [3], [12], [20], [9], [0]]


def test_rates_write_out_their_denominators(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府", "from": "2021"})
    assert numeric(rates(at), "实质公开", "实质公开率", "不予公开", "不予公开率", "办理总计", "办结率")
    row = rates(at).iloc[0]
    assert written(row, "实质公开率") == "61.0%（64/105）"
    assert written(row, "不予公开率") == "11.4%（12/105）"
    assert written(row, "无法提供率") == "19.0%（20/105）"
    assert written(row, "不予处理率") == "8.6%（9/105）"
    assert written(row, "其他处理率") == "0.0%（0/105）"
    assert cards(at)["实质公开率"] == "61.0%（64/105）"


def test_zero_denominator_shows_a_dash(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "市中区卫生健康局"})
    row = rates(at).iloc[0]
    assert row["办理总计"] == 0
    assert row[["实质公开率", "不予公开率", "无法提供率", "不予处理率", "其他处理率"]].isna().all()
    assert set(cards(at).values()) == {"—"}


def test_unstated_categories_of_a_prose_report_are_not_zero(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "平潭综合实验区管委会", "to": "2014"})
    rows = table(at, "办理总计").set_index("年度")
    assert rows.loc[2014, CATEGORIES].fillna(-1).tolist() == [1, 0, 0, -1, -1, 0]  # -1: empty cell, not stated
    shares = rates(at).set_index("年度")
    assert pd.isna(shares.loc[2014, "无法提供率"])
    assert written(shares.loc[2014], "实质公开率") == "100.0%（1/1）"
    drawn = {t["name"] for t in chart(at, "outcomes_mix")["data"]}
    assert "无法提供" not in drawn and "不予处理" not in drawn


def test_rates_use_the_printed_total(dashboard_db: Path) -> None:
    # Pingtan 2020 breaks R2: its rows add up to 27, its （七）总计 says 21; the rates keep the printed 21
    at = run_page(PAGE, {"agency": "平潭综合实验区管委会", "from": "2020", "to": "2020"})
    row = rates(at).iloc[0]
    assert row["办理总计"] == 21
    assert written(row, "实质公开率") == "61.9%（13/21）"


def test_refusal_reasons_and_applicants(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府", "from": "2021"})
    reasons = dict(zip(table(at, "理由")["理由"], table(at, "理由")["件数"], strict=True))
    assert len(reasons) == 8
    assert reasons["属于三类内部事务信息"] == 7
    assert reasons["属于四类过程性信息"] == 3
    assert reasons["属于行政执法案卷"] == 2
    assert reasons["属于国家秘密"] == 0
    applicants = table(at, "自然人").iloc[0]
    assert applicants[["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]].tolist() == [
        85,
        12,
        8,
        0,
        0,
        0,
    ]


def test_empty_selection_says_so(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"level": "township"})
    assert at.info and "没有填报办理结果" in at.info[0].value
