"""Every choice of every page lives in the URL (ui/url_state.py): a page opened with URL parameters shows those
choices, a changed choice goes into the URL (and leaves it when back at the default), an invalid or stale value falls
back to the default without an error, and one page's choices never reach another page."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders import workplan
from tests.apptest_support import metrics, run_page
from tests.test_workplan import SEED


def url(at, key: str) -> list[str]:
    """The values the URL holds for `key` after the run (none: [])."""
    if key not in at.query_params:
        return []
    value = at.query_params[key]
    return list(value) if isinstance(value, list) else [value]


def ok(at):
    """Run the app after a change and fail on any exception."""
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def frame(at, column: str):
    """The first data frame drawn that has this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


# --- 报送情况 --------------------------------------------------------------------------------------------


def test_coverage_year_from_the_url_and_back(dashboard_db: Path) -> None:
    at = run_page("app_pages/coverage.py", {"year": "2021"})
    assert at.selectbox(key="coverage_year").value == 2021
    assert url(at, "year") == ["2021"]
    by_hand = run_page("app_pages/coverage.py")
    by_hand.selectbox(key="coverage_year").select(2021)
    assert metrics(at) == metrics(ok(by_hand))  # the same view as picking 2021 by hand
    assert metrics(at) != metrics(run_page("app_pages/coverage.py"))
    at.selectbox(key="coverage_year").select(2014)
    assert url(ok(at), "year") == ["2014"]
    at.selectbox(key="coverage_year").select(2025)  # the default (the sidebar's last year): a plain link
    assert url(ok(at), "year") == []


@pytest.mark.parametrize("bad", ["1900", "abc", "2021; drop table reports", "<b>2021</b>"])
def test_coverage_bad_year_falls_back(dashboard_db: Path, bad: str) -> None:
    at = run_page("app_pages/coverage.py", {"year": bad})
    assert at.selectbox(key="coverage_year").value == 2025
    assert url(at, "year") == []  # the invalid value is not kept in the link


def test_a_page_choice_stays_with_its_page(dashboard_db: Path) -> None:
    at = run_page("app_pages/coverage.py", {"year": "2014"})
    at.query_params.clear()  # the menu opens a page with a bare URL
    ok(at.switch_page("app_pages/scoring.py"))
    assert at.selectbox(key="score_year").value == 2021  # scoring's own default, not coverage's 2014
    assert url(at, "year") == []
    at.query_params.clear()
    ok(at.switch_page("app_pages/coverage.py"))
    assert at.selectbox(key="coverage_year").value == 2014  # the page's last choice in this session
    assert url(at, "year") == ["2014"]


# --- 评分排名 --------------------------------------------------------------------------------------------


def test_scoring_year_and_unit(dashboard_db: Path) -> None:
    at = run_page("app_pages/scoring.py", {"year": "2025", "unit": "平潭综合实验区管委会"})
    assert at.selectbox(key="score_year").value == 2025
    assert at.selectbox(key="score_unit").value == "平潭综合实验区管委会"
    at = run_page("app_pages/scoring.py", {"unit": "张店区人民政府"})
    assert (at.selectbox(key="score_year").value, at.selectbox(key="score_unit").value) == (2021, "张店区人民政府")
    at.selectbox(key="score_unit").select("洪泽区人民政府")
    assert url(ok(at), "unit") == ["洪泽区人民政府"]
    at.selectbox(key="score_year").select(2024)
    assert url(ok(at), "year") == ["2024"]
    at = run_page("app_pages/scoring.py", {"year": "2099", "unit": "不存在的单位"})
    assert at.selectbox(key="score_year").value == 2021
    assert at.selectbox(key="score_unit").value == at.selectbox(key="score_unit").options[0]
    assert url(at, "year") == url(at, "unit") == []


# --- 问题核查 --------------------------------------------------------------------------------------------


def test_findings_filters(dashboard_db: Path) -> None:
    at = run_page("app_pages/findings.py", {"rule": ["R9", "R1"], "status": "待核实", "severity": "warning"})
    assert at.multiselect(key="fw_rule").value == ["R9", "R1"]
    assert at.multiselect(key="fw_status").value == ["待核实"]
    assert at.multiselect(key="fw_severity").value == ["warning"]
    listed = next(d.value for d in at.dataframe if "规则" in d.value.columns)
    assert set(listed["规则"]) <= {"R9", "R1"}
    at.multiselect(key="fw_status").unselect("待核实")
    at.multiselect(key="fw_severity").select("error")
    ok(at)
    assert url(at, "status") == [] and url(at, "severity") == ["warning", "error"]
    assert url(at, "rule") == ["R9", "R1"]


def test_findings_bad_filters_fall_back(dashboard_db: Path) -> None:
    at = run_page("app_pages/findings.py", {"rule": ["R99", "<script>"], "status": "x", "severity": ["fatal"]})
    assert at.multiselect(key="fw_rule").value == []
    assert at.multiselect(key="fw_status").value == []
    assert at.multiselect(key="fw_severity").value == []
    assert url(at, "rule") == url(at, "status") == url(at, "severity") == []
    at = run_page("app_pages/findings.py", {"rule": ["R3", "R99"]})  # a known rule without findings stays on offer
    assert at.multiselect(key="fw_rule").value == ["R3"]
    assert url(at, "rule") == ["R3"]


# --- 单位对比 --------------------------------------------------------------------------------------------


def test_compare_metrics_sort_and_order(dashboard_db: Path) -> None:
    query = {"metrics": ["outcome.total", "rate.disclosure"], "sort": "rate.disclosure", "desc": "0"}
    at = run_page("app_pages/compare.py", query)
    assert at.multiselect(key="compare_metrics").value == ["outcome.total", "rate.disclosure"]
    assert at.selectbox(key="compare_sort").value == "rate.disclosure"
    assert at.toggle(key="compare_desc").value is False
    rates = [v for v in frame(at, "实质公开率")["实质公开率"] if v == v and v is not None]
    assert rates == sorted(rates) and len(rates) > 1  # ascending, as the link says
    at.toggle(key="compare_desc").set_value(True)
    ok(at)
    assert url(at, "desc") == [] and url(at, "sort") == ["rate.disclosure"]
    at.multiselect(key="compare_metrics").unselect("outcome.total")
    assert url(ok(at), "metrics") == ["rate.disclosure"]


def test_compare_bad_and_empty_metrics(dashboard_db: Path) -> None:
    at = run_page("app_pages/compare.py", {"metrics": "nonsense", "sort": "nonsense", "desc": "maybe"})
    assert at.multiselect(key="compare_metrics").value == ["requests.new", "outcome.total", "rate.disclosure",
                                                          "rate.correction"]  # fmt: skip
    assert at.selectbox(key="compare_sort").value == "requests.new"
    assert at.toggle(key="compare_desc").value is True
    assert url(at, "metrics") == url(at, "sort") == url(at, "desc") == []
    at = run_page("app_pages/compare.py", {"metrics": ""})  # every metric removed on purpose
    assert at.multiselect(key="compare_metrics").value == []
    assert any("至少选择一个指标" in i.value for i in at.info)
    assert url(at, "metrics") == [""]


# --- 申请趋势, 主动公开, 雷同检查, 简报导出 ----------------------------------------------------------------------


def test_trends_unit(dashboard_db: Path) -> None:
    at = run_page("app_pages/trends.py", {"unit": "张店区人民政府"})
    assert at.selectbox(key="trends_agency").value == "张店区人民政府"
    at.selectbox(key="trends_agency").select("洪泽区人民政府")
    assert url(ok(at), "unit") == ["洪泽区人民政府"]
    at = run_page("app_pages/trends.py", {"unit": "不存在"})
    assert at.selectbox(key="trends_agency").value == "平潭综合实验区管委会"
    assert url(at, "unit") == []


def round_trip(page: str, key: str, option, param: str, query: dict | None = None):
    """Pick `option` in a page's selectbox, then open the page anew from the URL that gave: it shows the option."""
    at = run_page(page, query)
    at.selectbox(key=key).select(option)
    ok(at)
    given = url(at, param)
    assert given, (param, dict(at.query_params))
    again = run_page(page, {**(query or {}), param: given[0]})
    assert again.selectbox(key=key).value == option
    return given[0]


def test_proactive_series(dashboard_db: Path) -> None:
    token = round_trip("app_pages/proactive.py", "proactive_series_pick", "行政处罚·处理决定数量", "series")
    assert token.isascii() and "处罚" not in token  # the series' key, not its label
    at = run_page("app_pages/proactive.py", {"series": "no.such.series"})
    assert at.selectbox(key="proactive_series_pick").value == "行政许可·处理决定数量"


def test_similarity_threshold_relations_and_pair(dashboard_db: Path) -> None:
    at = run_page("app_pages/similarity.py", {"threshold": "80", "relations": "同类"})
    assert at.slider(key="sim_threshold").value == 80
    assert at.multiselect(key="sim_relations").value == ["同类"]
    at = run_page("app_pages/similarity.py", {"threshold": "83", "relations": "x"})  # not a step of the slider
    assert at.slider(key="sim_threshold").value == 50
    assert at.multiselect(key="sim_relations").value == ["上年", "同类"]
    at.slider(key="sim_threshold").set_value(60)
    assert url(ok(at), "threshold") == ["60"]
    options = run_page("app_pages/similarity.py").selectbox(key="sim_pick").options
    assert len(options) > 2
    pair = round_trip("app_pages/similarity.py", "sim_pick", 2, "pair")
    assert pair.count("~") == 3
    assert run_page("app_pages/similarity.py", {"pair": "a~b~c~d"}).selectbox(key="sim_pick").value == 0


def test_briefing_chart_and_title(dashboard_db: Path) -> None:
    names = run_page("app_pages/briefing.py").selectbox(key="briefing_preview").options
    assert round_trip("app_pages/briefing.py", "briefing_preview", names[3], "chart").isascii()
    at = run_page("app_pages/briefing.py", {"title": "张店区\x00年度\u202e简报" + "长" * 300})
    title = at.text_input(key="briefing_title").value
    assert title.startswith("张店区年度简报") and len(title) == 200
    at.text_input(key="briefing_title").input("二〇二一年度分析")
    assert url(ok(at), "title") == ["二〇二一年度分析"]


def test_workplan_plan_and_unit(dashboard_copy: Path) -> None:
    workplan.import_workplan(SEED, dashboard_copy)
    at = run_page("app_pages/workplan.py")
    units = at.selectbox(key="workplan_unit").options
    round_trip("app_pages/workplan.py", "workplan_unit", units[2], "unit")
    plan = at.selectbox(key="workplan_plan").value
    assert run_page("app_pages/workplan.py", {"plan": "no plan"}).selectbox(key="workplan_plan").value == plan


# --- tabs: 复议诉讼, 账户与审计 ----------------------------------------------------------------------------


def test_review_tab(dashboard_db: Path) -> None:
    at = run_page("app_pages/review.py", {"block": "litigation.direct"})
    assert at.session_state["review_block"] == "未经复议直接起诉"
    assert url(at, "block") == ["litigation.direct"]
    at.session_state["review_block"] = "复议后起诉"  # as a click on the tab sets it
    assert url(ok(at), "block") == ["litigation.after_review"]
    at = run_page("app_pages/review.py", {"block": "行政复议'"})
    assert at.session_state["review_block"] == "行政复议" and url(at, "block") == []


def test_accounts_tab_and_audit_filter(dashboard_db: Path) -> None:
    at = run_page("app_pages/accounts.py", {"tab": "audit", "action": ["report.ingest", "bogus"]})
    assert at.session_state["accounts_tab"] == "审计日志"
    assert at.multiselect(key="audit_actions").value == ["report.ingest"]
    assert url(at, "action") == ["report.ingest"]
    assert url(at, "tab") == ["audit"]
