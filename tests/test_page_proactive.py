"""主动公开 on the real sample reports: crosswalked series, glued cells shown as not stated, the prose count."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_support import numeric, run_page
from tests.conftest import REPORTS_DIR

PAGE = "app_pages/proactive.py"
PINGTAN = {"agency": "平潭综合实验区管委会"}
LICENSING = "行政许可·处理决定数量"


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table shown that has `column`."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table has a column {column}")


def row(table: pd.DataFrame, year: int, agency: str = "平潭综合实验区管委会") -> pd.Series:
    """The table row of one unit and year."""
    found = table[(table["单位"] == agency) & (table["年度"] == year)]
    assert len(found) == 1, (agency, year, len(found))
    return found.iloc[0]


def charts(at: AppTest) -> list[dict]:
    """The plotly figures shown, as their JSON specs."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_comparable_series_run_across_both_templates(dashboard_db: Path) -> None:
    table = table_with(run_page(PAGE, PINGTAN), LICENSING)
    assert numeric(table, LICENSING, "行政处罚·处理决定数量")
    assert row(table, 2021)[LICENSING] == 2293  # 2021 template: 本年处理决定数量
    assert row(table, 2022)[LICENSING] == 10690
    assert row(table, 2021)["模板"] == "2021版"
    assert row(table, 2020)["模板"] == "2019版"
    assert row(table, 2021)["行政处罚·处理决定数量"] == 1282
    assert pd.isna(row(table, 2014)[LICENSING])  # a prose report has no such table
    assert LICENSING not in row(table, 2014)["说明"]  # nothing to explain: the report has no such row


def test_glued_cells_are_not_stated_never_zero(dashboard_db: Path) -> None:
    table = table_with(run_page(PAGE, PINGTAN), LICENSING)
    # the 2019 template row 行政许可 printed "3960181": three columns glued together, not split with certainty
    assert pd.isna(row(table, 2019)[LICENSING])
    assert f"{LICENSING}：未能确定（原文 3960181）" in row(table, 2019)["说明"]
    assert pd.isna(row(table, 2020)["行政强制·处理决定数量"])
    assert "行政强制·处理决定数量：未能确定（原文 1262629）" in row(table, 2020)["说明"]


def test_roughly_comparable_series_are_marked(dashboard_db: Path) -> None:
    at = run_page(PAGE, PINGTAN)
    rough = "≈ 规章·本年制发（2019版：本年新制作）"
    table = table_with(at, rough)
    assert row(table, 2019)[rough] == 0  # 2019 template: 本年新制作数量
    assert row(table, 2022)["≈ 规范性文件·本年制发（2019版：本年新制作）"] == 88
    assert at.selectbox(key="proactive_series_pick").options[0] == rough
    at.selectbox(key="proactive_series_pick").set_value(rough).run()
    spec = charts(at)[1]
    assert "大致可比" in spec["layout"]["title"]["text"]
    assert all(trace["line"]["dash"] == "dash" for trace in spec["data"] if trace["mode"] == "lines+markers")


def test_the_chart_marks_unreadable_cells_and_leaves_a_gap(dashboard_db: Path) -> None:
    at = run_page(PAGE, PINGTAN)
    assert at.selectbox(key="proactive_series_pick").value == LICENSING  # the first fully comparable series
    spec = charts(at)[1]
    assert spec["layout"]["title"]["text"] == LICENSING
    trace = spec["data"][0]
    points = dict(zip(trace["x"], trace["y"], strict=True))
    assert points[2019] is None and points[2020] is None  # a gap, not 0
    assert points[2021] == 2293
    marks = {a["x"]: a for a in spec["layout"]["annotations"] if a.get("text") == "未能确定"}
    assert set(marks) == {2019, 2020}
    assert "3960181" in marks[2019]["hovertext"]


def test_not_comparable_figures_are_listed_and_kept_apart(dashboard_db: Path) -> None:
    at = run_page(PAGE, PINGTAN)
    pairs = table_with(at, "不可比原因")
    fees = pairs[pairs["2021版栏目"] == "行政事业性收费·本年收费金额（单位：万元）"].iloc[0]
    assert fees["2019版栏目"] == "行政事业性收费·上一年项目数量"
    assert not any("收费" in column for column in table_with(at, LICENSING).columns)
    apart_2021 = table_with(at, "行政事业性收费·本年收费金额（单位：万元）")
    assert row(apart_2021, 2022)["行政事业性收费·本年收费金额（单位：万元）"] == 9116.36
    apart_2019 = table_with(at, "行政事业性收费·上一年项目数量")
    assert row(apart_2019, 2020)["行政事业性收费·上一年项目数量"] == 35
    assert row(apart_2019, 2020)["行政事业性收费·本年增/减"] == -15


def test_proactive_items_from_prose_is_its_own_trend(dashboard_db: Path) -> None:
    at = run_page(PAGE, PINGTAN)
    table = table_with(at, "主动公开政府信息条数")
    assert row(table, 2014)["主动公开政府信息条数"] == 2543
    assert row(table, 2025)["主动公开政府信息条数"] == 7700  # printed "7700余条": a floor, said so beside it
    assert "主动公开政府信息条数：约数（原文“7700余条”）" in row(table, 2025)["说明"]
    spec = charts(at)[0]
    trace = spec["data"][0]
    points = dict(zip(trace["x"], trace["y"], strict=True))
    assert points[2011] == 425 and points[2022] == 14571
    hollow = [t for t in spec["data"] if t.get("showlegend") is False]  # the approximate counts, drawn hollow
    assert [(t["x"], t["y"]) for t in hollow] == [([2025], [7700])]


def test_a_2021_report_on_the_2019_template_reads_the_2019_keys(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "市中区卫生健康局"})
    table = table_with(at, LICENSING)
    found = row(table, 2021, "市中区卫生健康局")
    assert found["模板"] == "2019版"
    assert found["行政处罚·处理决定数量"] == 303
    assert found["主动公开政府信息条数"] == 245


def test_empty_selection_says_so(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"level": "township"})
    assert at.info and "没有主动公开数据" in at.info[0].value


def test_a_long_selection_shows_the_units_with_most_years(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from loaders.store import ingest

    text = (REPORTS_DIR / "zhangdian-district-gov-2014.txt").read_text(encoding="utf-8")
    copies = tmp_path / "copies"
    copies.mkdir()
    for name in ("甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"):
        (copies / f"{name}.txt").write_text(text.replace("张店", f"{name}城"), encoding="utf-8")
    db = tmp_path / "many.duckdb"
    ingest([REPORTS_DIR, copies], db, progress=False)
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    at = run_page(PAGE, {"level": "county"})
    assert "有 15 个单位" in at.info[0].value
    shown = set(table_with(at, LICENSING)["单位"])
    assert len(shown) == 10
    assert {"平潭综合实验区管委会", "张店区人民政府"} <= shown  # 15 and 2 reporting years come first
