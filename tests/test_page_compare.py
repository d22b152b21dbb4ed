"""单位对比 on the real sample reports: units side by side, sorting, derived rates and peer-group percentiles."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_support import numeric, run_page
from tests.conftest import REPORTS_DIR

PAGE = "app_pages/compare.py"
NEW = "本年新收政府信息公开申请数量"
THREE = {"agency": ["张店区人民政府", "洪泽区人民政府", "平潭综合实验区管委会"], "from": "2021", "to": "2023"}


def side_by_side(at: AppTest) -> pd.DataFrame:
    """The comparison table (units and years as rows, metrics as columns)."""
    return at.dataframe[0].value


def peers(at: AppTest) -> pd.DataFrame:
    """The peer-percentile table of the sort metric."""
    return at.dataframe[1].value


def row(table: pd.DataFrame, agency: str, year: int) -> pd.Series:
    """The row of one unit and year."""
    found = table[(table["单位"] == agency) & (table["年度"] == year)]
    assert len(found) == 1, (agency, year, len(found))
    return found.iloc[0]


def percent(value: float) -> str:
    """A rate as the grid's percentage shows it, to one decimal."""
    return f"{value * 100:.1f}%"


def test_units_side_by_side_with_derived_rates(dashboard_db: Path) -> None:
    table = side_by_side(run_page(PAGE, THREE))
    zhangdian = row(table, "张店区人民政府", 2021)
    assert numeric(table, NEW, "办理结果总计", "实质公开率", "纠错率")
    assert zhangdian[NEW] == 105
    assert zhangdian["办理结果总计"] == 105
    assert percent(zhangdian["实质公开率"]) == "61.0%"  # (61 + 3) / 105
    assert percent(zhangdian["纠错率"]) == "30.0%"  # (3 + 3) / ((8 − 1) + 13 + 0)
    assert zhangdian["同组"] == "区县级·政府"
    # 洪泽 prints 行政复议 总计 0 beside 11 cases (an R4 finding): the rate has no denominator, it is not 0%
    hongze = row(table, "洪泽区人民政府", 2023)
    assert pd.isna(hongze["纠错率"]) and hongze["纠错率·同组位置"] == "分母为0"


def test_sorted_by_the_chosen_metric(dashboard_db: Path) -> None:
    at = run_page(PAGE, THREE)
    assert at.selectbox(key="compare_sort").value == "requests.new"
    order = list(zip(side_by_side(at)["单位"], side_by_side(at)["年度"], strict=True))
    assert order[0] == ("张店区人民政府", 2021) and order[-1] == ("洪泽区人民政府", 2023)
    assert [int(v) for v in side_by_side(at)[NEW]] == [105, 81, 74, 70, 21]
    at.toggle(key="compare_desc").set_value(False).run()
    assert [int(v) for v in side_by_side(at)[NEW]] == [21, 70, 74, 81, 105]
    at.selectbox(key="compare_sort").set_value("rate.disclosure").run()
    assert [percent(v) for v in side_by_side(at)["实质公开率"]] == ["19.0%", "40.0%", "50.7%", "51.9%", "61.0%"]


def test_peer_percentiles_use_every_agency_of_the_group(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府", "from": "2021", "to": "2021"})
    shown = row(peers(at), "张店区人民政府", 2021)
    # the group 区县级·政府 in 2021 holds 张店 (105) and 平潭 (70), though only 张店 is selected
    assert shown["同组单位数"] == 2
    assert (shown["同组P25"], shown["同组P50"], shown["同组P75"]) == (78.75, 87.5, 96.25)
    assert shown["位置"] == "高于P75"
    assert shown["提示"] == "样本较少，仅供参考"
    assert row(side_by_side(at), "张店区人民政府", 2021)[f"{NEW}·同组位置"] == "高于P75*"


def test_a_unit_alone_in_its_group_is_said_so(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府办公室"})
    shown = row(peers(at), "张店区人民政府办公室", 2021)
    assert shown["同组单位数"] == 1
    assert shown["位置"] == "同组仅此一个单位"


def test_the_picker_offers_every_metric_with_chinese_labels(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府"})
    picker = at.multiselect(key="compare_metrics")
    assert "比率｜实质公开率" in picker.options and "比率｜纠错率" in picker.options
    assert "依申请公开（总计列）｜不予公开·属于国家秘密" in picker.options
    assert "正文｜人大代表建议件数" in picker.options
    picker.set_value(["licensing.decisions", "npc.suggestions"]).run()
    shown = row(side_by_side(at), "张店区人民政府", 2021)
    assert shown["行政许可·处理决定数量"] == 65036
    assert shown["人大代表建议件数"] == 80
    prose = row(side_by_side(at), "张店区人民政府", 2014)  # a prose report
    assert pd.isna(prose["行政许可·处理决定数量"]) and prose["行政许可·处理决定数量·同组位置"] == "未填报"


@pytest.fixture
def five_peers_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample reports plus the 张店 2021 report copied under three other district names, so that the
    group 区县级·政府 in 2021 has five units: 张店, 临淄, 博山, 淄川 (105 requests each) and 平潭 (70)."""
    from loaders.store import ingest

    text = (REPORTS_DIR / "zhangdian-district-gov-2021.txt").read_text(encoding="utf-8")
    copies = tmp_path / "copies"
    copies.mkdir()
    for name in ("临淄", "博山", "淄川"):
        (copies / f"{name}.txt").write_text(text.replace("张店", name), encoding="utf-8")
    db = tmp_path / "peers.duckdb"
    ingest([REPORTS_DIR, copies], db, progress=False)
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    return db


def test_five_peers_are_no_small_sample(five_peers_db: Path) -> None:
    at = run_page(PAGE, {"agency": ["平潭综合实验区管委会", "张店区人民政府"], "from": "2021", "to": "2021"})
    pingtan = row(peers(at), "平潭综合实验区管委会", 2021)
    assert pingtan["同组单位数"] == 5
    assert (pingtan["同组P25"], pingtan["同组P50"], pingtan["同组P75"]) == (105, 105, 105)
    assert pingtan["位置"] == "低于P25"
    assert pingtan["提示"] == ""
    assert row(peers(at), "张店区人民政府", 2021)["位置"] == "等于P50（中位数）"
    assert row(side_by_side(at), "平潭综合实验区管委会", 2021)[f"{NEW}·同组位置"] == "低于P25"  # no * mark


def test_empty_selection_says_so(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"level": "township"})
    assert at.info and "没有报告" in at.info[0].value


def test_a_roster_peer_group_is_shown_by_its_name(sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from loaders import roster

    listed = "单位,上级,层级,类型,同类组\n张店区人民政府,淄博市人民政府,区县级,政府,淄博区县政府\n"
    (sample_copy.parent / "名册.csv").write_text(listed, encoding="utf-8")
    roster.import_roster(sample_copy.parent / "名册.csv", sample_copy)
    monkeypatch.setenv("GOVREPORT_DB", str(sample_copy))
    table = side_by_side(run_page(PAGE, THREE))
    assert row(table, "张店区人民政府", 2021)["同组"] == "淄博区县政府"  # the roster's group, as it names it
    assert row(table, "平潭综合实验区管委会", 2021)["同组"] == "区县级·政府"  # not on the roster: by its name
