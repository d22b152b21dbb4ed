"""工作要点 ("app_pages/workplan.py"): the seed plan's 52 tasks per unit, the tasks of a chosen unit (and those
given to groups of units), the page without any plan, and a plan imported through the page's upload."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders import workplan
from tests.apptest_support import chart, metrics, run_page
from tests.dbutil import rows
from tests.test_workplan import SEED, seed_docx

PAGE = "app_pages/workplan.py"


@pytest.fixture
def db(dashboard_copy: Path) -> Path:
    """A copy of the sample database with the seed work plan imported; the dashboard reads it."""
    workplan.import_workplan(SEED, dashboard_copy)
    return dashboard_copy


def table(at, column: str):
    """The first data frame shown that has this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_tasks_per_unit(db: Path) -> None:
    at = run_page(PAGE)
    assert metrics(at)["任务数"] == "52"
    units = table(at, "类别")
    justice = units[units["单位"] == "区司法局"].iloc[0]
    assert (justice["任务数"], justice["牵头/责任"], justice["配合"], justice["类别"]) == (3, 3, 0, "具体单位")
    assert units[units["单位"] == "区政府各部门单位"].iloc[0]["类别"] == "集体对象"
    bars = chart(at, "workplan_units_chart")["data"][0]
    assert "区司法局" in bars["y"] and "区政府各部门单位" not in bars["y"]
    assert len(table(at, "牵头/责任单位")) == 52


def test_the_tasks_a_unit_carries(db: Path) -> None:
    at = run_page(PAGE)
    at.selectbox(key="workplan_unit").select("区司法局").run()
    tasks = table(at, "角色")
    assert list(tasks["序号"]) == ["18", "31", "46"]
    assert tasks.iloc[0]["任务内容"].startswith("行政复议机关要依法审理政府信息公开案件")
    assert set(tasks["角色"]) == {"牵头/责任"}
    groups = table(at, "承担对象")
    assert "1" in list(groups["序号"]) and "18" not in list(groups["序号"])


def test_no_plan_yet(dashboard_db: Path) -> None:
    at = run_page(PAGE)
    assert any("还没有导入工作要点" in i.value for i in at.info)


def test_a_plan_uploaded_through_the_page(dashboard_copy: Path) -> None:
    at = run_page(PAGE)
    at.get("file_uploader")[0].set_value(("任务分解表.docx", seed_docx(), "application/octet-stream")).run()
    at.button(key="workplan_import").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("任务 tasks 52" in s.value for s in at.success)
    assert metrics(at)["任务数"] == "52"
    assert rows(dashboard_copy, "select count(*), any_value(source) from workplan_tasks") == [(52, "任务分解表.docx")]
