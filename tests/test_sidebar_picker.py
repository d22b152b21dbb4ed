"""The sidebar's 地区 and 单位 pickers send the browser at most CHOICES names: past that, a search box finds the
others, a note says how many there are, and what is chosen (by hand or from a link) stays on offer."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics import queries
from analytics.db import connect
from tests.apptest_support import metrics, run_page
from ui import widgets

LIMIT = 2  # fewer than the sample's units and regions, so that the pickers must cut their lists short


@pytest.fixture
def names(dashboard_db: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Every agency and region of the sample database in name order, the pickers cut to LIMIT names."""
    monkeypatch.setattr(widgets, "CHOICES", LIMIT)
    con = connect(dashboard_db)
    try:
        options = queries.run(con, "selection_options")
    finally:
        con.close()
    return {
        "agency": sorted(options["agency"].to_list()),
        "region": sorted(options["region"].unique().to_list()),
        "reports": dict(options.select("agency", "reports").iter_rows()),
    }


def test_a_picker_with_more_names_than_it_sends_lists_the_first_and_says_how_many(names: dict) -> None:
    at = run_page("app_pages/overview.py")
    units = at.sidebar.multiselect(key="f_agency")
    assert len(names["agency"]) > LIMIT
    assert units.options == names["agency"][:LIMIT]
    assert at.sidebar.multiselect(key="f_region").options == names["region"][:LIMIT]
    notes = [c.value for c in at.sidebar.caption]
    for kind, label in (("agency", "单位"), ("region", "地区")):
        listed = f"列表只列出按名称排序的前 {LIMIT} 个；在上面输入名称中的字词查找其他{label}。"
        assert f"共 {len(names[kind])} 个{label}，{listed}" in notes


def test_the_search_finds_a_unit_beyond_the_first_and_choosing_it_filters_the_page(names: dict) -> None:
    wanted = "洪泽区人民政府"
    assert wanted in names["agency"] and wanted not in names["agency"][:LIMIT]
    at = run_page("app_pages/overview.py")
    at.sidebar.text_input(key="f_agency_search").input(" 洪泽  政府 ").run()
    units = at.sidebar.multiselect(key="f_agency")
    assert units.options == [wanted]
    assert "名称含“洪泽 政府”的单位共 1 个，均已列入列表。" in [c.value for c in at.sidebar.caption]
    units.select(wanted).run()
    assert not at.exception
    assert at.multiselect(key="f_agency").value == [wanted]
    assert metrics(at)["报告数"] == str(names["reports"][wanted])  # the page shows that unit's reports only
    # a new search keeps the chosen unit on offer beside what it finds
    at.sidebar.text_input(key="f_agency_search").input("张店区").run()
    offered = at.sidebar.multiselect(key="f_agency").options
    assert wanted in offered and len([o for o in offered if o != wanted]) <= LIMIT
    assert at.multiselect(key="f_agency").value == [wanted]


def test_a_search_that_finds_nothing_says_so_escaped(names: dict) -> None:
    at = run_page("app_pages/overview.py")
    at.sidebar.text_input(key="f_agency_search").input("<b>无此单位</b>").run()
    assert at.sidebar.multiselect(key="f_agency").options == []
    note = next(c.value for c in at.sidebar.caption if "无此单位" in c.value)
    assert note.startswith("没有名称含“") and "<b>" not in note


def test_a_link_naming_a_unit_beyond_the_first_keeps_it_chosen(names: dict) -> None:
    unit, region = names["agency"][-1], names["region"][-1]
    at = run_page("app_pages/trends.py", {"agency": unit, "region": region})
    assert at.multiselect(key="f_agency").value == [unit]
    assert at.multiselect(key="f_region").value == [region]
    assert at.query_params["agency"] in (unit, [unit])


def test_a_short_list_has_no_search_box(dashboard_db: Path) -> None:
    at = run_page("app_pages/overview.py")
    assert not [t for t in at.sidebar.text_input if t.key in ("f_agency_search", "f_region_search")]
    assert len(at.sidebar.multiselect(key="f_agency").options) <= widgets.CHOICES
