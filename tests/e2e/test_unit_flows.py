"""Unit identity in a real browser: a district's next-year report titled with its city prefix is uploaded on 导入,
matched there to the roster's unit, and 报送情况 and 申请趋势 then show one unit. The dashboard runs over its own
copy of the sample database with the sample roster imported, since the flow writes to it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

import config
from loaders import roster
from tests.dbutil import rows
from tests.e2e.app import App
from tests.e2e.server import Server
from tests.test_unit_alias import UNIT, VARIANT, next_year_report

TRENDS_CHART = "各单位本年新收申请数"


def test_upload_a_report_under_a_variant_name_and_match_it_to_the_roster_unit(
    page: Page, own_server: Server, open_app: Callable[[Page, Server], App], reports_dir: Path, tmp_path: Path
) -> None:
    roster.import_roster(config.SAMPLE_ROSTER, own_server.db)
    upload = next_year_report(reports_dir, tmp_path)
    app = open_app(page, own_server)

    app.open("upload", "导入")
    app.page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(upload)
    app.page.get_by_role("button", name="导入", exact=True).click()
    expect(app.page.get_by_role("heading", name="导入结果")).to_be_visible()
    expect(app.page.get_by_role("heading", name="单位不在名册中")).to_be_visible()
    expect(app.main().get_by_text(f"最可能是“{UNIT}”", exact=False)).to_be_visible()
    app.shot("upload-unit-not-on-roster")
    app.page.get_by_role("button", name="确认为该单位").click()
    expect(app.page.get_by_text(f"已确认：“{VARIANT}”记为“{UNIT}”的另一名称", exact=False)).to_be_visible()
    expect(app.page.get_by_role("heading", name="单位不在名册中")).to_have_count(0)
    app.shot("upload-unit-matched")
    assert rows(own_server.db, "select kind from roster_changes where old_name = ?", [VARIANT]) == [("alias",)]

    app.open("coverage", "报送情况")
    app.select("报告年度", "2022")
    expect(app.page.get_by_text("不在名册中", exact=False)).to_have_count(0)
    deadline = app.table("报送情况").locator("tbody td").get_by_text("2023-03-31", exact=True)  # the 2022 rows
    expect(deadline.first).to_be_attached()  # the grid has redrawn for the year chosen
    listed = app.rows("报送情况")  # the grid draws the columns in view: 单位 and 报送情况 come first
    unit_row = [r for r in listed if r.get("单位") == UNIT]
    assert len(unit_row) == 1 and unit_row[0]["报送情况"] != "未发布", unit_row
    assert not [r for r in listed if r.get("单位") == VARIANT], listed  # not a unit of its own
    app.shot("coverage-one-unit")

    app.open("trends", "申请趋势", {"agency": UNIT, "from": "2014", "to": "2022"})
    app.expect_trace(TRENDS_CHART, UNIT, list(range(2014, 2023)), [15, *[None] * 6, 105, 105])
    app.shot("trend-one-unit")
