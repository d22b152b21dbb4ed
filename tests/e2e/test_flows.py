"""The main flows of the dashboard in a real browser: pick agencies and years, open a report from a chart, upload
a file and see it stored, reload a bookmarked URL. Figures are the real ones of the sample reports (the same as
the AppTest tests of each page assert)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.dbutil import current_report_id
from tests.e2e.app import App
from tests.e2e.server import Server

ZHANGDIAN = "张店区人民政府"
PINGTAN = "平潭综合实验区管委会"
HONGZE = "洪泽区人民政府"
OVERVIEW_CHART = "收到与办理的政府信息公开申请"
TRENDS_CHART = "各单位本年新收申请数"
UPLOADED = "hongze_district_gov_2023.pdf"  # the district's own PDF; the sample database holds only its text output


def report_count(db: Path) -> int:
    """How many report versions a database stores."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql("select count(*) from reports").fetchall()[0][0]


def field(app: App, label: str) -> Locator:
    """A value of the 报告详情 metadata grid by its label."""
    return app.page.locator(f'xpath=//div[@class="rm-k" and text()="{label}"]/following-sibling::div[1]')


# --- pick agencies and years ---------------------------------------------------------------------------


def test_pick_agencies_and_years_on_the_overview(app: App) -> None:
    app.open("", "总览")
    expect(app.page.get_by_role("heading", name="2025年")).to_be_visible()
    app.expect_metrics(**{"收到申请（本年新收）": "154", "办理总计": "148"})  # only Pingtan reported for 2025
    app.shot("overview-everything")

    app.pick("单位", ZHANGDIAN)
    app.expect_query(agency=ZHANGDIAN, to="2025")
    expect(app.page.get_by_role("heading", name="2021年")).to_be_visible()
    app.expect_metrics(**{"收到申请（本年新收）": "105", "办理总计": "105", "实质公开率": "61.0%"})
    app.expect_trace(OVERVIEW_CHART, "收到申请", [2014, 2021], [15, 105])

    app.drag_years(1, 2014)
    app.expect_query(agency=ZHANGDIAN, **{"from": "2011", "to": "2014"})
    expect(app.page.get_by_role("heading", name="2014年")).to_be_visible()
    app.expect_metrics(**{"收到申请（本年新收）": "15", "办理总计": "—", "实质公开率": "—"})  # prose: no table
    app.expect_trace(OVERVIEW_CHART, "收到申请", [2014], [15])
    assert app.years() == ["2011", "2014"]
    app.shot("overview-zhangdian-to-2014")


def test_pick_agencies_and_years_on_trends(app: App) -> None:
    app.open("trends", "申请趋势")
    expect(app.caption("5个单位，20份报告，6个单位年度没有报告。")).to_be_visible()

    app.pick("单位", ZHANGDIAN)
    app.expect_query(agency=ZHANGDIAN)
    expect(app.caption("1个单位，2份报告，6个单位年度没有报告。")).to_be_visible()
    app.expect_trace(TRENDS_CHART, ZHANGDIAN, list(range(2014, 2022)), [15, *[None] * 6, 105])

    app.drag_years(1, 2014)
    app.expect_query(to="2014")
    expect(app.caption("1个单位，1份报告，0个单位年度没有报告。")).to_be_visible()
    app.expect_trace(TRENDS_CHART, ZHANGDIAN, [2014], [15])
    app.shot("trends-zhangdian-2014")

    app.drag_years(1, 2021)
    app.expect_query(to="2021")
    expect(app.caption("1个单位，2份报告，6个单位年度没有报告。")).to_be_visible()
    app.expect_trace(TRENDS_CHART, ZHANGDIAN, list(range(2014, 2022)), [15, *[None] * 6, 105])

    app.pick("单位", PINGTAN)
    app.expect_query(agency=[ZHANGDIAN, PINGTAN], **{"from": "2011", "to": "2021"})
    expect(app.caption("2个单位，13份报告，6个单位年度没有报告。")).to_be_visible()
    app.expect_trace(TRENDS_CHART, PINGTAN, list(range(2011, 2022)), [0, 0, 0, 1, 0, 0, 0, 0, 23, 21, 70])
    app.expect_trace(TRENDS_CHART, ZHANGDIAN, list(range(2014, 2022)), [15, *[None] * 6, 105])
    assert app.chosen("单位") == [ZHANGDIAN, PINGTAN]
    app.shot("trends-two-agencies-2011-2021")


def test_the_selection_carries_to_another_page_of_the_menu(app: App) -> None:
    app.open("", "总览", {"agency": ZHANGDIAN, "from": "2014", "to": "2021"})
    app.expect_metrics(**{"收到申请（本年新收）": "105"})
    app.go_to("申请趋势")
    expect(app.caption("1个单位，2份报告，6个单位年度没有报告。")).to_be_visible(timeout=3_000)
    app.expect_query(agency=[ZHANGDIAN], **{"from": "2014", "to": "2021"})
    assert app.chosen("单位") == [ZHANGDIAN]
    app.shot("selection-carried")

    app.go_to("导入")  # a page without filters, and back: the selection is still there
    app.go_to("总览")
    app.expect_metrics(**{"收到申请（本年新收）": "105"})
    app.expect_query(agency=[ZHANGDIAN], **{"from": "2014", "to": "2021"})
    assert app.chosen("单位") == [ZHANGDIAN] and app.years() == ["2014", "2021"]


# --- open a report from a chart ------------------------------------------------------------------------


def click_point(app: App, title: str, trace: str, year: int) -> None:
    """Click the point of one trace at one year in a chart, where it is drawn on the screen."""
    traces = app.traces(title)
    index = [t["name"] for t in traces].index(trace)
    chart = app.page.get_by_test_id("stPlotlyChart").filter(has=app.page.get_by_text(title, exact=True))
    points = chart.locator(".scatterlayer .trace").nth(index).locator(".points path")
    drawn = [x for x, y in zip(traces[index]["x"], traces[index]["y"], strict=True) if y is not None]
    expect(points).to_have_count(len(drawn))
    box = points.nth(drawn.index(year)).bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    app.page.mouse.move(*centre)  # hover first, as a user does: plotly picks the point under the mouse
    app.page.mouse.click(*centre)


def test_open_a_report_from_the_trend_chart(app: App, sample_db: Path) -> None:
    query = {"agency": [PINGTAN, ZHANGDIAN], "from": "2014", "to": "2021"}
    app.open("trends", "申请趋势", query)
    app.expect_trace(TRENDS_CHART, ZHANGDIAN, list(range(2014, 2022)), [15, *[None] * 6, 105])
    app.shot("trends-before-click")

    click_point(app, TRENDS_CHART, ZHANGDIAN, 2021)
    app.wait_for_page("报告详情")
    app.expect_path("/report")
    app.expect_query(report=current_report_id(sample_db, ZHANGDIAN, 2021), agency=[PINGTAN, ZHANGDIAN], to="2021")
    app.expect_query(**{"from": "2014"})
    expect(field(app, "单位")).to_have_text(ZHANGDIAN)
    expect(field(app, "年度")).to_have_text("2021")
    expect(field(app, "模板")).to_have_text("2021版模板")
    assert app.chosen("单位") == [PINGTAN, ZHANGDIAN]
    assert app.years() == ["2014", "2021"]
    app.shot("report-opened-from-chart")

    app.page.go_back()  # the browser's back button: the same chart again, and its old click must not reopen the report
    app.wait_for_page("申请趋势")
    expect(app.page.get_by_text("点“报告详情”打开该份报告", exact=False)).to_be_visible()  # the page ran to its end
    app.expect_path("/trends")
    app.expect_query(agency=[PINGTAN, ZHANGDIAN], **{"from": "2014", "to": "2021"})
    app.expect_trace(TRENDS_CHART, ZHANGDIAN, list(range(2014, 2022)), [15, *[None] * 6, 105])
    expect(app.page.get_by_role("heading", name="报告详情", exact=True)).to_have_count(0)


# --- upload a file ---------------------------------------------------------------------------------------


def test_upload_a_report_and_see_it_stored(
    page: Page, own_server: Server, open_app: Callable[[Page, Server], App], sample_db: Path, reports_dir: Path
) -> None:
    before = report_count(sample_db)
    app = open_app(page, own_server)
    app.open("report", "报告详情", {"report": current_report_id(own_server.db, HONGZE, 2023)})
    expect(field(app, "版本")).to_have_text("第1版（共1版，最新）")

    app.open("upload", "导入")
    app.page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(reports_dir / UPLOADED)
    expect(app.page.get_by_role("button", name=f"Remove {UPLOADED}")).to_be_visible()  # the file is chosen
    app.page.get_by_role("button", name="导入", exact=True).click()
    # a new version of a stored report: the page first shows what it changes and waits for a confirmation
    expect(app.page.get_by_role("heading", name="以下文件将替换已入库的报告")).to_be_visible()
    expect(app.page.get_by_role("heading", name="导入结果")).to_have_count(0)
    app.page.get_by_role("button", name="确认导入（存为新版本）").click()
    expect(app.page.get_by_role("heading", name="导入结果")).to_be_visible()
    app.expect_metrics(新增报告="0", 新版本="1", 未变="0", 失败文件="0")
    link = app.page.get_by_role("link", name=f"{HONGZE} · 2023年 · 第2版")
    expect(link).to_be_visible()
    app.shot("upload-result")

    link.click()
    app.wait_for_page("报告详情")
    expect(field(app, "版本")).to_have_text("第2版（共2版，最新）")
    expect(field(app, "格式")).to_have_text("PDF")
    expect(field(app, "源文件")).to_have_text(UPLOADED)
    expect(app.page.get_by_text("全部版本（2）")).to_be_visible()
    app.shot("uploaded-report")
    assert report_count(own_server.db) == before + 1
    assert report_count(sample_db) == before  # the shared fixture is untouched


# --- reload a bookmarked URL -----------------------------------------------------------------------------


def view(app: App, chart: str, like: dict | None = None) -> dict:
    """What a page shows once it has settled (see App.settled; given `like`, once it shows that: a reopened page
    keeps drawing until it does): the URL's parameters, the filters, the numbers and captions, and a chart's points."""
    return app.settled(lambda: _shown(app, chart), lambda seen: like is None or seen == like)


def _shown(app: App, chart: str) -> dict:
    """What a page shows now (see view)."""
    return {
        "query": app.query(),
        "agencies": app.chosen("单位"),
        "years": app.years(),
        "metrics": app.metrics(),
        "captions": [c for c in app.page.get_by_test_id("stCaptionContainer").all_inner_texts() if "数据更新" not in c],
        "chart": app.traces(chart),
    }


BOOKMARKS = [
    ("", "总览", OVERVIEW_CHART, {"收到申请（本年新收）": "175", "报告数": "2"}),  # 2021: Zhangdian 105 + Pingtan 70
    ("trends", "申请趋势", TRENDS_CHART, {}),
]


@pytest.mark.parametrize(("path", "title", "chart", "numbers"), BOOKMARKS, ids=["overview", "trends"])
def test_a_bookmarked_url_opens_the_same_view(
    app: App,
    new_context: Callable[..., BrowserContext],
    open_app: Callable[[Page, Server], App],
    server: Server,
    path: str,
    title: str,
    chart: str,
    numbers: dict[str, str],
) -> None:
    bookmark = app.url(path, {"agency": [ZHANGDIAN, PINGTAN], "from": "2014", "to": "2021"})
    app.page.goto(bookmark)
    app.wait_for_page(title)
    app.expect_metrics(**numbers)
    if path == "trends":
        expect(app.caption("2个单位，10份报告，6个单位年度没有报告。")).to_be_visible()
    app.expect_trace(chart, *_first_trace(path))
    first = view(app, chart)
    assert first["agencies"] == [ZHANGDIAN, PINGTAN] and first["years"] == ["2014", "2021"]
    app.shot(f"bookmark-{path or 'overview'}-first")

    other = open_app(new_context().new_page(), server)  # another browser context: no cookies, a new session
    other.page.goto(bookmark)
    other.wait_for_page(title)
    other.expect_metrics(**numbers)
    other.expect_trace(chart, *_first_trace(path))
    assert view(other, chart, like=first) == first
    other.shot(f"bookmark-{path or 'overview'}-again")
    # a reload of the same tab is a new session opened from the same URL, as here: test_url_views reloads one


def _first_trace(path: str) -> tuple[str, list[int], list[float | None]]:
    """A trace the bookmarked page draws once it is ready: (name, years, values)."""
    if path == "trends":
        return ZHANGDIAN, list(range(2014, 2022)), [15, *[None] * 6, 105]
    return "收到申请", list(range(2014, 2022)), [16, 0, 0, 0, 0, 23, 21, 175]
