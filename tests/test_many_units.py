"""Pages over a synthetic database of many units (bench/synthetic.py): what they draw is aggregated or capped, says
so, and adds up to the figures the named queries give for the whole selection."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from analytics import queries
from analytics.db import connect
from bench import synthetic
from tests.apptest_support import chart, metrics, run_page, values

REPORTS = 1500  # about 240 units under about 200 governments, over 18 years


@pytest.fixture(scope="module")
def many_units(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic database, built once for this module."""
    path = tmp_path_factory.mktemp("many") / "many.duckdb"
    synthetic.generate(path, REPORTS, seed=11)
    return path


@pytest.fixture
def dashboard(many_units: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The dashboard reads the synthetic database."""
    monkeypatch.setenv("GOVREPORT_DB", str(many_units))
    return many_units


def run(path: Path, name: str, **params: object) -> pl.DataFrame:
    """A named query on the database."""
    con = connect(path)
    try:
        return queries.run(con, name, **params)
    finally:
        con.close()


EVERYTHING = {"regions": [], "levels": [], "types": [], "agencies": [], "year_from": None, "year_to": None}


def test_the_status_chart_draws_the_governments_with_most_missing_units_and_sums_the_others(dashboard: Path) -> None:
    at = run_page("app_pages/coverage.py")
    year = at.selectbox(key="coverage_year").value
    rows = run(dashboard, "coverage_selection", year=year, **EVERYTHING)
    governments = rows.select(pl.coalesce("parent", "unit")).to_series().n_unique()
    assert governments > 31
    figure = chart(at, "coverage_status")
    bars = figure["layout"]["xaxis"]["categoryarray"]  # in the order drawn
    assert set(bars) == {x for trace in figure["data"] for x in trace["x"]}
    assert len(bars) == 31 and bars[-1] == f"其他{governments - 30}个上级政府"
    # every expected unit is in a bar, under its status: the chart adds up to the page's own counts
    drawn = {trace["name"]: sum(values(trace["y"])) for trace in figure["data"]}
    assert drawn == dict(rows.group_by("timeliness").len().iter_rows())
    assert sum(drawn.values()) == int(metrics(at)["应报单位"].replace(",", ""))
    # the bars stand in the order of units not published or late
    late = rows.filter(pl.col("timeliness").is_in(["未发布", "逾期"])).group_by(pl.coalesce("parent", "unit"))
    most = late.len().sort("len", descending=True)["len"][0]
    first = sum(
        v for trace in figure["data"] if trace["name"] in ("未发布", "逾期")
        for x, v in zip(trace["x"], values(trace["y"]), strict=True) if x == bars[0]
    )  # fmt: skip
    assert first == most
    note = next(c.value for c in at.caption if c.value.startswith("口径："))
    assert f"其余{governments - 30}个上级政府的单位合为" in note


@pytest.mark.parametrize("page", ["app_pages/review.py", "app_pages/outcomes.py"])
def test_the_note_on_reports_not_added_twice_names_twenty_and_counts_them_all(dashboard: Path, page: str) -> None:
    [totals] = run(dashboard, "selection_rates", **EVERYTHING).to_dicts()
    assert totals["covered_reports"] > 20 and len(totals["covered"]) == 20
    at = run_page(page)
    [note] = [c.value for c in at.caption if c.value.startswith("合计未重复计入")]
    assert f"等，共 {totals['covered_reports']:,} 份报告（只列出前 20 份）。" in note
    assert note.count("已含于") == 20


def ranked(rows: pl.DataFrame, weight: str) -> list[str]:
    """Agencies by their summed `weight`, most first, then by name (how the charts choose whom to draw)."""
    totals = rows.group_by("agency").agg(pl.col(weight).sum())
    return totals.sort([weight, "agency"], descending=[True, False], nulls_last=True)["agency"].to_list()


def test_a_per_report_chart_draws_at_most_sixty_reports_of_the_units_with_most_and_says_so(dashboard: Path) -> None:
    at = run_page("app_pages/outcomes.py")
    mix = run(dashboard, "outcomes_mix", **EVERYTHING)
    answered = mix.filter(pl.col("handled") > 0)
    figure = chart(at, "outcomes_mix")
    reports = {x for trace in figure["data"] for x in trace["x"]}
    units = {custom[0] for trace in figure["data"] for custom in trace["customdata"]}
    assert 0 < len(reports) <= 60 < answered.height
    assert units == set(ranked(answered, "handled")[: len(units)])  # the units with the most handled
    # each bar holds the report's own figures, as the named query gives them
    granted = next(trace for trace in figure["data"] if trace["name"] == "予以公开")
    by_report = {f"{y}年<br>{a}": g for a, y, g in mix.select("agency", "year", "granted").iter_rows()}
    assert dict(zip(granted["x"], values(granted["y"]), strict=True)) == {x: by_report[x] for x in granted["x"]}
    count = mix.filter(pl.col("handled") > 0)["agency"].n_unique()
    assert f"图中只画出办理总计最多的{len(units)}个单位（共{count:,}个；至多12个单位、60份报告）" in " ".join(
        c.value for c in at.caption
    )


def test_the_review_charts_draw_at_most_sixty_reports(dashboard: Path) -> None:
    at = run_page("app_pages/review.py")
    blocks = run(dashboard, "review_blocks", **EVERYTHING)
    figure = chart(at, "review_chart_review")
    reports = {x for trace in figure["data"] for x in trace["x"]}
    assert 0 < len(reports) <= 60 < blocks.select("agency", "year").n_unique()
    units = {x.split("<br>")[1] for x in reports}
    assert units == set(ranked(blocks, "total")[: len(units)])
    count = blocks["agency"].n_unique()
    assert f"图中只画出案件最多的{len(units)}个单位（共{count:,}个；" in " ".join(c.value for c in at.caption)


def test_the_flow_charts_unit_picker_lists_a_hundred_and_its_search_finds_the_others(dashboard: Path) -> None:
    rows = run(dashboard, "trends_requests", **EVERYTHING)
    ranked_units = ranked(rows, "requests_new")
    assert len(ranked_units) > 100
    at = run_page("app_pages/trends.py")
    picker = at.selectbox(key="trends_agency")
    assert picker.options == ranked_units[:100] and picker.value == ranked_units[0]
    note = f"共 {len(ranked_units):,} 个单位，列表只列出按申请量排序的前 100 个；在上面输入名称中的字词查找其他单位。"
    assert note in [c.value for c in at.caption]
    last = ranked_units[-1]
    at.text_input(key="trends_agency_search").input(last).run()
    assert last in at.selectbox(key="trends_agency").options
    at.selectbox(key="trends_agency").select(last).run()
    assert not at.exception
    assert chart(at, "trends_flow")["layout"]["title"]["text"].startswith(last)
    assert at.query_params["unit"] in (last, [last])
    # a link naming a unit beyond the first hundred opens it
    linked = run_page("app_pages/trends.py", {"unit": ranked_units[-2]})
    assert linked.selectbox(key="trends_agency").value == ranked_units[-2]
    assert ranked_units[-2] in linked.selectbox(key="trends_agency").options


def test_the_scoring_detail_picker_lists_a_hundred_and_a_link_opens_any_unit(dashboard: Path) -> None:
    at = run_page("app_pages/scoring.py")
    picker = at.selectbox(key="score_unit")
    assert len(picker.options) == 100
    note = next(c.value for c in at.caption if "列表只列出按类别与排名排序的前 100 个" in c.value)
    total = int(note.removeprefix("共 ").split(" 个单位")[0].replace(",", ""))
    assert total > 100
    score_sheet = next(d.value for d in at.dataframe if "总分" in d.value.columns)
    unit = next(u for u in score_sheet["单位"] if u not in picker.options)
    at.text_input(key="score_unit_search").input(unit).run()
    assert unit in at.selectbox(key="score_unit").options
    linked = run_page("app_pages/scoring.py", {"unit": unit})
    assert linked.selectbox(key="score_unit").value == unit


def test_the_report_picker_lists_two_hundred_and_its_search_finds_a_report_beyond_them(dashboard: Path) -> None:
    at = run_page("app_pages/report.py")
    picker = at.selectbox(key="report_pick")
    assert len(picker.options) == 200
    assert "所选范围内的报告超过 200 份，列表只列出前 200 份；请输入更多字词，或在左侧缩小筛选范围。" in [
        c.value for c in at.caption
    ]
    every = run(dashboard, "report_choices", **EVERYTHING, report_id=None, max_rows=None, search=None)
    beyond = every.row(-1, named=True)  # the last report of the whole list, far beyond the first 200
    label = f"{beyond['agency']} · {beyond['year']}年 · 第{beyond['version']}版"
    assert not [o for o in picker.options if o.startswith(label)]  # options show as their labels
    at.text_input(key="report_search").input(f"{beyond['agency']} {beyond['year']}年").run()
    assert [o for o in at.selectbox(key="report_pick").options if o.startswith(label)]
    at.selectbox(key="report_pick").set_value(beyond["report_id"]).run()
    assert not at.exception
    assert at.query_params["report"] in (beyond["report_id"], [beyond["report_id"]])
