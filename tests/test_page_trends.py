"""申请趋势 on the real sample reports: requests per year with gaps for missing years, templates, report links."""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from tests.apptest_support import numeric, run_page
from tests.dbutil import current_report_id

PAGE = "app_pages/trends.py"


def table(at: AppTest) -> pd.DataFrame:
    """The page's table of agencies and years."""
    return next(d.value for d in at.dataframe if "本年新收出处" in d.value.columns)


def chart(at: AppTest, key: str) -> dict:
    """The plotly figure (as JSON) of the chart drawn with this key."""
    return json.loads(next(c for c in at.get("plotly_chart") if c.key == key).proto.spec)


def values(data: list | dict) -> list[float | None]:
    """A trace's numbers, decoded when plotly packed them as base64; NaN (a gap) as None."""
    if isinstance(data, dict):
        data = np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in data]


def test_years_without_a_report_are_gaps_not_zeros(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府"})
    rows = table(at).set_index("年度")
    assert list(rows.index) == list(range(2014, 2022))
    assert numeric(rows, "本年新收", "上年结转", "结转下年")
    assert rows.loc[2014, "本年新收"] == 15  # the prose report's own figure: 申请总数为15件
    assert rows.loc[2014, "本年新收出处"] == "正文第47行"
    assert rows.loc[2021, "本年新收"] == 105
    assert (rows.loc[2015:2020, "模板"] == "（无报告）").all()
    assert rows.loc[2015:2020, "本年新收"].isna().all()
    line = chart(at, "trends_requests")["data"][0]
    assert values(line["y"]) == [15, None, None, None, None, None, None, 105]


def link_query(link: str) -> dict[str, list[str]]:
    """The path and query parameters of a link in the table, e.g. {"path": ["/report"], "report": [...], ...}."""
    parts = urlsplit(link)
    return {"path": [parts.path], **parse_qs(parts.query)}


def test_each_report_shows_its_template_and_links_to_its_page(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府"})
    rows = table(at).set_index("年度")
    assert rows.loc[2014, "模板"] == "文字报告"
    assert rows.loc[2021, "模板"] == "2021版模板"
    selection = {"path": ["/report"], "agency": ["张店区人民政府"], "from": ["2011"], "to": ["2025"]}
    assert link_query(rows.loc[2021, "报告"]) == {
        **selection,
        "report": [current_report_id(dashboard_db, "张店区人民政府", 2021)],
    }
    assert link_query(rows.loc[2014, "报告"]) == {
        **selection,
        "report": [current_report_id(dashboard_db, "张店区人民政府", 2014)],
    }
    assert rows.loc[2015:2020, "报告"].isna().all()
    line = chart(at, "trends_requests")["data"][0]
    assert line["customdata"][0][0] == "模板：文字报告" and line["customdata"][-1][0] == "模板：2021版模板"
    assert "%{customdata[0]}" in line["hovertemplate"]


def test_table_links_keep_the_whole_selection(dashboard_db: Path) -> None:
    query = {"agency": ["张店区人民政府", "平潭综合实验区管委会"], "from": "2014", "to": "2021"}
    at = run_page(PAGE, query)
    rows = table(at).set_index(["单位", "年度"])
    assert link_query(rows.loc[("平潭综合实验区管委会", 2019), "报告"]) == {
        "path": ["/report"],
        "agency": ["张店区人民政府", "平潭综合实验区管委会"],
        "from": ["2014"],
        "to": ["2021"],
        "report": [current_report_id(dashboard_db, "平潭综合实验区管委会", 2019)],
    }


def test_each_point_carries_its_report_id(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府"})
    line = chart(at, "trends_requests")["data"][0]
    ids = [custom[1] for custom in line["customdata"]]
    assert ids[0] == current_report_id(dashboard_db, "张店区人民政府", 2014)
    assert ids[-1] == current_report_id(dashboard_db, "张店区人民政府", 2021)
    assert ids[1:-1] == [None] * 6  # 2015–2020: no report, nothing to open


def click(at: AppTest, key: str, trace: int, index: int) -> AppTest:
    """Rerun the app as the browser does after a click on point `index` of trace `trace` of the chart `key`: the
    chart's selection (what Streamlit's front end sends, customdata included) goes with the other widgets' values."""
    element = next(c for c in at.get("plotly_chart") if c.key == key)
    data = json.loads(element.proto.spec)["data"][trace]
    point = {
        "curve_number": trace,
        "point_number": index,
        "point_index": index,
        "x": values(data["x"])[index],
        "y": values(data["y"])[index],
        "customdata": data["customdata"][index],
        "legendgroup": data["legendgroup"],
    }
    selection = {"selection": {"points": [point], "point_indices": [index], "box": [], "lasso": []}}
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=element.proto.id, string_value=json.dumps(selection)))
    at._run(states)
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_click_on_a_point_opens_its_report_with_the_selection(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": ["平潭综合实验区管委会", "张店区人民政府"], "from": "2014", "to": "2021"})
    figure = chart(at, "trends_requests")
    trace = next(i for i, t in enumerate(figure["data"]) if t["name"] == "张店区人民政府")
    at = click(at, "trends_requests", trace, 7)  # 2014 … 2021: the 2021 report
    assert at.header[0].value == "报告详情"
    wanted = current_report_id(dashboard_db, "张店区人民政府", 2021)
    assert at.query_params["report"] == wanted
    assert at.query_params["agency"] == ["平潭综合实验区管委会", "张店区人民政府"]
    assert (at.query_params["from"], at.query_params["to"]) == ("2014", "2021")
    assert at.selectbox(key="report_pick").value == wanted
    assert at.multiselect(key="f_agency").value == ["平潭综合实验区管委会", "张店区人民政府"]
    assert at.slider(key="f_years").value == (2014, 2021)


def test_no_click_stays_on_the_page(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府"})
    at.run()  # a rerun without a click (e.g. another widget changed) does not leave the page
    assert at.header[0].value == "申请趋势"
    assert "report" not in at.query_params


def test_template_changes_are_marked(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "平潭综合实验区管委会"})
    figure = chart(at, "trends_requests")
    assert sorted(s["x0"] for s in figure["layout"]["shapes"]) == [2018.5, 2020.5]
    rows = table(at).set_index("年度")
    assert rows.loc[2018, "模板"] == "文字报告"
    assert rows.loc[2019, "模板"] == "2019版模板" and rows.loc[2020, "模板"] == "2019版模板"
    assert rows.loc[2021, "模板"] == "2021版模板"


def test_new_carried_over_and_carried_forward(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "平潭综合实验区管委会", "from": "2021"})
    rows = table(at).set_index("年度")
    assert rows.loc[2021, ["本年新收", "上年结转", "结转下年"]].tolist() == [70, 0, 1]
    assert rows.loc[2022, ["本年新收", "上年结转", "结转下年"]].tolist() == [74, 1, 0]
    assert rows.loc[2025, ["本年新收", "上年结转", "结转下年"]].tolist() == [154, 0, 6]
    bars = {t["name"]: values(t["y"]) for t in chart(at, "trends_flow")["data"]}
    assert bars["本年新收"] == [70, 74, 81, 218, 154]
    assert bars["结转下年"] == [1, 0, 0, 0, 6]


def test_prose_reports_without_carry_figures_show_a_dash(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "平潭综合实验区管委会", "to": "2018"})
    rows = table(at).set_index("年度")
    assert rows.loc[2014, "本年新收"] == 1
    assert pd.isna(rows.loc[2014, "上年结转"]) and pd.isna(rows.loc[2014, "结转下年"])
    bars = {t["name"]: values(t["y"]) for t in chart(at, "trends_flow")["data"]}
    assert set(bars["上年结转"]) == {None}


def test_empty_selection_says_so(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"level": "township"})
    assert at.info and "没有年度报告" in at.info[0].value
