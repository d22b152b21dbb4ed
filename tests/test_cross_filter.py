"""Cross-filtering on 办理结果, 单位对比 and 报送情况 (ui/focus.py): a click on a bar narrows the whole page to its
unit (and a segment's category), the narrowing is kept in the URL, and the note at the top or a second click on the
same bar shows everything again. Figures are the sample reports' own."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

import config
from loaders import roster
from tests.apptest_support import cards, metrics, run_page, values
from tests.test_escaping_sweep import AGENCY, active, hostile_db, literal  # noqa: F401 (hostile_db: a fixture)

OUTCOMES = "app_pages/outcomes.py"
COMPARE = "app_pages/compare.py"
COVERAGE = "app_pages/coverage.py"
ZHANGDIAN = "张店区人民政府"
PINGTAN = "平潭综合实验区管委会"
OFFICE = "张店区人民政府办公室"
YEAR_2021 = {"from": "2021", "to": "2021"}


def element(at: AppTest, base: str):
    """The clickable chart drawn under the key `base` (a new key after every handled click: base, base_1, …)."""
    return next(c for c in at.get("plotly_chart") if c.key == base or c.key.startswith(f"{base}_"))


def click(at: AppTest, base: str, unit: str, category: str | None = None) -> AppTest:
    """Rerun the app as the browser does after a click on the bar (segment) of `unit` (in the trace `category`):
    the chart's selection, as Streamlit's front end sends it, goes with the other widgets' values."""
    chart = element(at, base)
    traces = json.loads(chart.proto.spec)["data"]
    number, trace = next((i, t) for i, t in enumerate(traces) if category is None or t.get("legendgroup") == category)
    index = [c[0] for c in trace["customdata"]].index(unit)
    point = {
        "curve_number": number,
        "point_number": index,
        "point_index": index,
        "x": values(trace["x"])[index],
        "y": values(trace["y"])[index],
        "customdata": trace["customdata"][index],
        "legendgroup": trace.get("legendgroup"),
    }
    selection = {"selection": {"points": [point], "point_indices": [index], "box": [], "lasso": []}}
    states = at._tree.get_widget_states()
    kept = [w for w in states.widgets if w.id != chart.proto.id]  # the chart's own state before the click goes
    del states.widgets[:]
    states.widgets.extend([*kept, WidgetState(id=chart.proto.id, string_value=json.dumps(selection))])
    at._run(states)
    assert not at.exception, [e.message for e in at.exception]
    return at


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page that has this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def units_years(frame: pd.DataFrame) -> list[tuple[str, int]]:
    """The (单位, 年度) rows of a table, in order."""
    return list(zip(frame["单位"], frame["年度"].astype(int), strict=True))


def note(at: AppTest) -> str:
    """The text of the note that says what the page is narrowed to ("" when it is not)."""
    return next((i.value for i in at.info if i.value.startswith("本页已缩小到")), "")


def focus_query(at: AppTest) -> dict[str, str]:
    """The focus parameters of the URL."""
    return {k: at.query_params[k] for k in ("focus", "focus_cat") if k in at.query_params}


# --- 办理结果 ---------------------------------------------------------------------------------------------------

ALL_2021 = [(PINGTAN, 2021), (ZHANGDIAN, 2021), (OFFICE, 2021), ("市中区卫生健康局", 2021)]


def mix_rows(at: AppTest) -> list[tuple[str, int]]:
    """The reports of the outcome table, sorted."""
    return sorted(units_years(table(at, "办理总计")))


def test_a_click_on_a_segment_narrows_outcomes_to_its_unit_and_category(dashboard_db: Path) -> None:
    at = run_page(OUTCOMES, YEAR_2021)
    assert mix_rows(at) == sorted(ALL_2021) and note(at) == ""
    click(at, "outcomes_mix", ZHANGDIAN, "不予公开")
    assert focus_query(at) == {"focus": ZHANGDIAN, "focus_cat": "不予公开"}
    assert note(at).startswith(f"本页已缩小到：单位“{ZHANGDIAN}”，办理结果“不予公开”")
    assert mix_rows(at) == [(ZHANGDIAN, 2021)]
    assert table(at, "新收与结转")["不予公开"].tolist() == [12]
    assert cards(at) == {"不予公开率": "11.4%（12/105）"}  # only the rate that counts the category, from SQL
    assert units_years(table(at, "自然人")) == [(ZHANGDIAN, 2021)]  # the applicants of the same report
    assert "理由" in table(at, "填报的报告数").columns  # 不予公开: its reasons stay
    assert at.multiselect(key="f_agency").value == []  # the sidebar's own choice is left alone

    click(at, "outcomes_mix", ZHANGDIAN, "不予公开")  # the same segment again: everything is back
    assert focus_query(at) == {} and note(at) == ""
    assert mix_rows(at) == sorted(ALL_2021)
    assert len(cards(at)) == 8


def test_the_note_drops_the_unit_or_the_category_or_both(dashboard_db: Path) -> None:
    at = run_page(OUTCOMES, {**YEAR_2021, "focus": ZHANGDIAN, "focus_cat": "不予公开"})
    at.button(key="focus_不限单位").click().run()
    assert focus_query(at) == {"focus_cat": "不予公开"}
    assert mix_rows(at) == sorted([(PINGTAN, 2021), (ZHANGDIAN, 2021), (OFFICE, 2021)])  # 市中区 states 0
    # over the whole selection, as selection_rates counts it: 平潭 and 张店, whose report covers its office
    assert cards(at) == {"不予公开率": "11.5%（20/174）"}

    at = run_page(OUTCOMES, {**YEAR_2021, "focus": ZHANGDIAN, "focus_cat": "其他处理"})
    assert not at.dataframe and any(i.value.startswith("缩小后的范围内没有报告") for i in at.info)  # 张店: 0 其他处理
    at.button(key="focus_不限办理结果").click().run()
    assert focus_query(at) == {"focus": ZHANGDIAN}
    assert mix_rows(at) == [(ZHANGDIAN, 2021)]
    assert cards(at)["实质公开率"] == "61.0%（64/105）" and len(cards(at)) == 8
    at.button(key="focus_显示全部").click().run()
    assert focus_query(at) == {} and note(at) == "" and mix_rows(at) == sorted(ALL_2021)


def test_a_click_on_an_applicant_bar_narrows_to_the_unit(dashboard_db: Path) -> None:
    at = run_page(OUTCOMES, YEAR_2021)
    click(at, "outcomes_applicants", PINGTAN)
    assert focus_query(at) == {"focus": PINGTAN}
    assert mix_rows(at) == [(PINGTAN, 2021)]
    assert cards(at)["实质公开率"] == "50.7%（35/69）"


def test_a_reload_keeps_the_narrowing(dashboard_db: Path) -> None:
    at = run_page(OUTCOMES, {**YEAR_2021, "focus": PINGTAN})
    assert mix_rows(at) == [(PINGTAN, 2021)] and note(at)
    at = run_page(OUTCOMES, {**YEAR_2021, "focus_cat": "予以公开"})
    assert mix_rows(at) == sorted([(PINGTAN, 2021), (ZHANGDIAN, 2021), (OFFICE, 2021)])
    assert set(cards(at)) == {"实质公开率", "予以公开率"}
    assert any(i.value.startswith("不予公开的理由只属于“不予公开”一类") for i in at.info)  # another category's


def test_unknown_focus_values_are_ignored(dashboard_db: Path) -> None:
    at = run_page(OUTCOMES, {**YEAR_2021, "focus": "不存在的单位", "focus_cat": "不存在的类别"})
    assert note(at) == "" and focus_query(at) == {} and mix_rows(at) == sorted(ALL_2021)
    at = run_page(OUTCOMES, {**YEAR_2021, "agency": ZHANGDIAN, "focus": PINGTAN})  # outside the sidebar's choice
    assert note(at) == "" and focus_query(at) == {} and mix_rows(at) == [(ZHANGDIAN, 2021)]


# --- 单位对比 ----------------------------------------------------------------------------------------------------

THREE = {"agency": [ZHANGDIAN, "洪泽区人民政府", PINGTAN], "from": "2021", "to": "2023"}
NEW = "本年新收政府信息公开申请数量"


def test_a_click_on_a_peer_bar_narrows_compare_to_the_unit(dashboard_db: Path) -> None:
    at = run_page(COMPARE, THREE)
    assert [int(v) for v in table(at, "同组")[NEW]] == [105, 81, 74, 70, 21]
    click(at, "compare_chart", PINGTAN)
    assert focus_query(at) == {"focus": PINGTAN}
    assert note(at).startswith(f"本页已缩小到：单位“{PINGTAN}”")
    assert units_years(table(at, "同组")) == [(PINGTAN, 2023), (PINGTAN, 2022), (PINGTAN, 2021)]
    assert [int(v) for v in table(at, "同组")[NEW]] == [81, 74, 70]
    assert set(table(at, "同组单位数")["单位"]) == {PINGTAN}  # the peer table too
    assert at.multiselect(key="f_agency").value == THREE["agency"]

    click(at, "compare_chart", PINGTAN)  # the same bar again
    assert focus_query(at) == {} and note(at) == ""
    assert [int(v) for v in table(at, "同组")[NEW]] == [105, 81, 74, 70, 21]


def test_compare_ignores_an_unknown_unit(dashboard_db: Path) -> None:
    at = run_page(COMPARE, {**THREE, "focus": "不存在的单位"})
    assert note(at) == "" and focus_query(at) == {}
    assert len(table(at, "同组")) == 5


# --- 报送情况 ----------------------------------------------------------------------------------------------------


@pytest.fixture
def roster_db(dashboard_copy: Path) -> Path:
    """A copy of the sample database with the sample roster imported; the dashboard reads it."""
    roster.import_roster(config.SAMPLE_ROSTER, dashboard_copy)
    return dashboard_copy


def coverage_2021(query: dict | None = None) -> AppTest:
    """The 报送情况 page with the reporting year 2021 chosen."""
    at = run_page(COVERAGE, query)
    at.selectbox(key="coverage_year").select(2021).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_click_on_a_status_segment_narrows_coverage(roster_db: Path) -> None:
    at = coverage_2021()
    assert metrics(at)["应报单位"] == "8"
    click(at, "coverage_status", ZHANGDIAN, "未发布")
    assert focus_query(at) == {"focus": ZHANGDIAN, "focus_cat": "未发布"}
    assert note(at).startswith(f"本页已缩小到：政府“{ZHANGDIAN}”，报送情况“未发布”")
    assert metrics(at) == {"应报单位": "2", "按时": "0", "逾期": "0", "日期不详": "0", "未发布": "2"}
    assert set(table(at, "报送情况")["单位"]) == {"张店区财政局", "张店区司法局"}
    assert set(table(at, "口径")["政府"]) == {ZHANGDIAN}  # the roll-up of that government only

    at.button(key="focus_不限政府").click().run()
    assert focus_query(at) == {"focus_cat": "未发布"}
    assert set(table(at, "报送情况")["报送情况"]) == {"未发布"} and metrics(at)["应报单位"] == "4"
    click(at, "coverage_status", ZHANGDIAN, "未发布")  # narrows to 张店 again (it was not the focus)
    click(at, "coverage_status", ZHANGDIAN, "未发布")  # and the same segment once more shows everything
    assert focus_query(at) == {} and metrics(at)["应报单位"] == "8"


def test_coverage_ignores_an_unknown_government_or_status(roster_db: Path) -> None:
    at = coverage_2021({"focus": "不存在的政府", "focus_cat": "已撤销"})
    assert note(at) == "" and focus_query(at) == {}
    assert metrics(at)["应报单位"] == "8"
    at = coverage_2021({"focus": ZHANGDIAN})
    assert metrics(at)["应报单位"] == "3"  # its office and two departments (张店 itself answers to 淄博市)
    assert set(table(at, "报送情况")["上级"].dropna()) == {ZHANGDIAN}


# --- names from files ---------------------------------------------------------------------------------------------


def test_a_hostile_unit_name_round_trips_and_shows_as_text(request, monkeypatch: pytest.MonkeyPatch) -> None:
    """A unit whose name carries Markdown and HTML: the click gives back its name as the data has it (the chart
    draws it escaped), and the note shows it as text."""
    db, _, _ = request.getfixturevalue("hostile_db")
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    at = run_page(OUTCOMES, {"agency": AGENCY, "from": "2021", "to": "2021"})
    assert any("&lt;img" in c[0] for t in json.loads(element(at, "outcomes_mix").proto.spec)["data"]
               for c in t["customdata"])  # fmt: skip
    escaped_name = json.loads(element(at, "outcomes_mix").proto.spec)["data"][0]["customdata"][0][0]
    click(at, "outcomes_mix", escaped_name, "予以公开")  # what the browser sends: the name as drawn
    assert focus_query(at) == {"focus": AGENCY, "focus_cat": "予以公开"}
    shown = note(at)
    assert literal(shown).startswith(f"本页已缩小到：单位“{AGENCY}”") and not active(shown)
