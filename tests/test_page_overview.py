"""总览 on the real sample reports."""

from __future__ import annotations

from pathlib import Path

from loaders import review
from tests import dbutil
from tests.apptest_support import metrics, numeric, run_page
from ui.widgets import count


def test_overview_shows_the_latest_year_of_the_selection(dashboard_db: Path) -> None:
    at = run_page("app_pages/overview.py", {"agency": "张店区人民政府", "to": "2021"})
    shown = metrics(at)
    assert at.subheader[0].value == "2021年"
    assert shown["收到申请（本年新收）"] == "105"
    assert shown["办理总计"] == "105"
    assert shown["实质公开率"] == "61.0%"  # (61 + 3) / 105
    # corrected 3 (review) + 3 (direct suits) over concluded (8 − 1) + (13 − 0) + (0 − 0) = 20
    assert shown["复议诉讼纠错率"] == "30.0%"


def test_overview_change_from_the_year_before(dashboard_db: Path) -> None:
    at = run_page("app_pages/overview.py", {"agency": "平潭综合实验区管委会", "from": "2024", "to": "2025"})
    shown = {m.label: m for m in at.metric}
    assert shown["收到申请（本年新收）"].value == "154"
    assert "-64" in shown["收到申请（本年新收）"].delta  # 218 in 2024


def test_zero_denominator_shows_a_dash(dashboard_db: Path) -> None:
    at = run_page("app_pages/overview.py", {"agency": "市中区卫生健康局"})
    assert metrics(at)["实质公开率"] == "—"


def test_empty_selection_says_so(dashboard_db: Path) -> None:
    at = run_page("app_pages/overview.py", {"level": "township"})  # no township in the sample
    assert at.info and "没有报告" in at.info[0].value


def test_unknown_agency_in_the_url_is_ignored(dashboard_db: Path) -> None:
    at = run_page("app_pages/overview.py", {"agency": "不存在的单位"})
    assert at.multiselect(key="f_agency").value == []
    assert metrics(at)["报告数"] != "0"


def test_a_government_and_its_office_are_not_added_twice(dashboard_db: Path) -> None:
    # the government's 105 new requests already hold the office's 16: the pair totals 105, not 121
    at = run_page("app_pages/overview.py", {"agency": ["张店区人民政府", "张店区人民政府办公室"], "from": "2021"})
    assert metrics(at)["收到申请（本年新收）"] == "105"
    assert any("不重复相加" in i.value for i in at.info)


def test_a_change_of_units_between_years_is_said(dashboard_db: Path) -> None:
    at = run_page("app_pages/overview.py", {"from": "2020", "to": "2021"})
    assert any("2021年与2020年的单位不同" in i.value for i in at.info)


def test_open_findings_are_counted_by_review_status(dashboard_copy: Path) -> None:
    query = {"agency": "洪泽区人民政府"}
    before = metrics(run_page("app_pages/overview.py", query))["待核实问题"]
    wanted = "select finding_key from fct_findings where agency = '洪泽区人民政府' and rule <> 'PARSE'"
    keys = dbutil.rows(dashboard_copy, wanted)  # the parser's notes are not counted among the findings
    review.set_status(dashboard_copy, keys[0][0], "已说明", "测试")
    review.set_status(dashboard_copy, keys[1][0], "不采纳", "测试")
    at = run_page("app_pages/overview.py", query)
    assert int(metrics(at)["待核实问题"]) == int(before) - 2
    assert f"待核实{int(before) - 2}条，已说明1条，已更正0条，不采纳1条" in at.caption[0].value


def test_yearly_table_holds_numbers(dashboard_db: Path) -> None:
    at = run_page("app_pages/overview.py", {"agency": "张店区人民政府"})
    rows = at.dataframe[0].value.set_index("年度")
    assert numeric(rows, "报告数", "本年新收", "办理总计", "实质公开率", "复议诉讼纠错率")
    assert rows.loc[2021, "办理总计"] == 105 and rows.isna().loc[2014, "办理总计"]  # unstated: empty, not 0
    assert round(rows.loc[2021, "实质公开率"], 3) == 0.610


def test_cards_read_large_counts_in_wan() -> None:
    assert [count(v) for v in (None, 0, 99_999, 100_000, 123_456, 1_234_567)] == [
        "—", "0", "99,999", "10万", "12.35万", "123.46万"
    ]  # fmt: skip
