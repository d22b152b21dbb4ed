"""Cross-filtering in a real browser: a click on a bar of 单位对比's peer chart narrows the page to that unit, a
reload keeps it, a second click on the same bar and the 显示全部 button show everything again."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.app import App

ZHANGDIAN = "张店区人民政府"
PINGTAN = "平潭综合实验区管委会"
HONGZE = "洪泽区人民政府"
PEER_CHART = "本年新收政府信息公开申请数量：所选单位与同组P25／P50／P75"
SELECTED = {"agency": [ZHANGDIAN, HONGZE, PINGTAN], "from": "2021", "to": "2023"}
EVERY_ROW = [(ZHANGDIAN, "2021"), (PINGTAN, "2023"), (PINGTAN, "2022"), (PINGTAN, "2021"), (HONGZE, "2023")]
PINGTAN_ROWS = [(PINGTAN, "2023"), (PINGTAN, "2022"), (PINGTAN, "2021")]


def click_bar(app: App, title: str, label: str) -> None:
    """Click the bar of the first trace labelled `label` (its y) in a horizontal bar chart, where it is drawn."""
    traces = app.traces(title)
    assert traces, title
    labels = traces[0]["y"]
    chart = app.page.get_by_test_id("stPlotlyChart").filter(has=app.page.get_by_text(title, exact=True))
    bars = chart.locator(".barlayer .trace").first.locator(".point path")
    expect(bars).to_have_count(len(labels))
    box = bars.nth(labels.index(label)).bounding_box()
    spot = (box["x"] + box["width"] * 0.2, box["y"] + box["height"] / 2)  # off the quartile ticks near its end
    app.page.mouse.move(*spot)  # hover first, as a user does: plotly picks the bar under the mouse
    app.page.mouse.click(*spot)


def compared(app: App, wanted: list[tuple[str, str]]) -> None:
    """Wait until the comparison table lists these (单位, 年度) rows, in this order."""
    expect(app.table("同组").locator("tbody tr")).to_have_count(len(wanted))
    app.wait_idle()
    assert [(row["单位"], row["年度"]) for row in app.rows("同组")] == wanted


def narrowed_note(app: App):
    """The note at the top of a narrowed page."""
    return app.main().get_by_text("本页已缩小到")


def no_focus(app: App) -> None:
    """Wait until the URL holds no focus."""
    app.page.wait_for_function("() => !new URLSearchParams(location.search).has('focus')")


def test_a_click_on_a_bar_narrows_compare_and_the_way_back(app: App) -> None:
    app.open("compare", "单位对比", SELECTED)
    compared(app, EVERY_ROW)
    app.shot("compare-before-click")

    click_bar(app, PEER_CHART, f"{PINGTAN}（2023年）")
    app.expect_query(focus=PINGTAN)
    expect(narrowed_note(app)).to_contain_text(f"单位“{PINGTAN}”")
    compared(app, PINGTAN_ROWS)
    assert app.chosen("单位") == [ZHANGDIAN, HONGZE, PINGTAN]  # the sidebar's choice stays as it was
    app.shot("compare-narrowed-to-pingtan")

    app.page.reload()  # the URL keeps the narrowing
    app.wait_for_page("单位对比")
    expect(narrowed_note(app)).to_be_visible()
    compared(app, PINGTAN_ROWS)

    click_bar(app, PEER_CHART, f"{PINGTAN}（2023年）")  # the same bar again: everything is back
    no_focus(app)
    expect(narrowed_note(app)).to_have_count(0)
    compared(app, EVERY_ROW)

    click_bar(app, PEER_CHART, f"{PINGTAN}（2022年）")
    app.expect_query(focus=PINGTAN)
    compared(app, PINGTAN_ROWS)
    app.page.get_by_role("button", name="显示全部").click()
    no_focus(app)
    expect(narrowed_note(app)).to_have_count(0)
    compared(app, EVERY_ROW)
    app.expect_query(agency=[ZHANGDIAN, HONGZE, PINGTAN], **{"from": "2021", "to": "2023"})
    app.shot("compare-everything-again")
