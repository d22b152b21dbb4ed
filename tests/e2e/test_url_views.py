"""A page reopened from its URL is the same view: a page of each kind of choice (PAGE_VIEWS) is opened with
non-default choices in its URL, the choices are checked as shown, then the same URL is opened in another browser (a
new session) and the pickers, the numbers and a screenshot of the main area are compared; the page as opened from
the menu, without those choices, is another view. A choice made by hand goes into the URL, stays with its page when
the menu opens another page, and survives a reload."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.app import TIMEOUT_MS, App
from tests.e2e.server import ADMIN, PASSWORD, Server

MAX_CHANGED = 0.002  # share of main-area pixels that may differ between two drawings of the same view
_PIXEL_DIFF = 48  # a pixel differs when a colour channel moves by more than this (anti-aliasing moves less)
_SHOTS = 8  # screenshots taken at most while waiting for the main area to stop changing

# What each page shows of its choices: (label, kind) -> value as drawn. Kinds: select (a selectbox's text), multi
# (a multiselect's chips), toggle ("on"/"off"), slider (thumb values), tab (the open tab), text (a text box).
_VIEW_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const label = (el) => (el.querySelector('[data-testid="stWidgetLabel"]')?.innerText ?? '').trim();
  const out = {};
  for (const el of main.querySelectorAll('[data-testid="stSelectbox"]'))
    out[`select:${label(el)}`] = el.querySelector('input')?.value ?? '';
  for (const el of main.querySelectorAll('[data-testid="stMultiSelect"]'))
    out[`multi:${label(el)}`] = Array.from(el.querySelectorAll('[data-tag]')).map((t) => t.innerText.trim());
  for (const el of main.querySelectorAll('[data-testid="stCheckbox"]'))
    out[`toggle:${label(el)}`] = el.querySelector('input')?.checked ? 'on' : 'off';
  for (const el of main.querySelectorAll('[data-testid="stSlider"]'))
    out[`slider:${label(el)}`] = Array.from(el.querySelectorAll('[data-testid="stSliderThumbValue"]'))
      .map((t) => t.innerText.trim());
  for (const el of main.querySelectorAll('[data-testid="stTextInput"]'))
    out[`text:${label(el)}`] = el.querySelector('input')?.value ?? '';
  const tabs = Array.from(main.querySelectorAll('[role="tab"][aria-selected="true"]')).map((t) => t.innerText.trim());
  if (tabs.length) out['tab'] = tabs;
  out['metrics'] = Array.from(main.querySelectorAll('[data-testid="stMetric"]')).map((m) => m.innerText.trim());
  const values = (v) => (v == null ? [] : Array.from(v._inputArray ?? v));  // plotly keeps packed arrays decoded here
  out['charts'] = Array.from(main.querySelectorAll('.js-plotly-plot')).map((d) =>
    JSON.stringify((d.data ?? []).map((t) => [t.name, values(t.x), values(t.y)])));
  // still loading: Streamlit's placeholders of elements not drawn yet, charts without their drawing
  out['loading'] = main.querySelectorAll('[data-testid="stSkeleton"]').length
    + Array.from(main.querySelectorAll('.js-plotly-plot')).filter((d) => !d.querySelector('svg.main-svg')).length;
  return out;
}"""

# (url path, title, the URL's page choices, what the page then shows of them); the sidebar selection is left whole.
# One page for each kind of choice a link restores in the browser: a select box (报送情况), multi-selects (问题核查),
# a toggle with a select box and a multi-select (单位对比), a slider (雷同检查), a text box (简报导出) and a tab
# (复议诉讼). That every page reads and writes each of its own choices is tests/test_url_state.py, through AppTest;
# each page opened here costs two new sessions, about 9 s of CPU each on a two-core machine.
PAGE_VIEWS = [
    ("coverage", "报送情况", {"year": "2021"}, {"select:报告年度": "2021"}),
    (
        "findings", "问题核查", {"rule": ["R9", "R1"], "severity": "warning"},
        {"multi:规则": ["R9", "R1"], "multi:状态": [], "multi:级别": ["警告"]},
    ),
    (
        "compare", "单位对比",
        {"metrics": ["outcome.total", "rate.disclosure"], "sort": "rate.disclosure", "desc": "0"},
        {
            "multi:指标": ["依申请公开（总计列）｜办理结果总计", "比率｜实质公开率"],
            "select:排序依据": "实质公开率",
            "toggle:从高到低": "off",
        },
    ),
    (
        "similarity", "雷同检查", {"threshold": "80", "relations": "上年"},
        {"slider:雷同率阈值（%）": ["80%"], "multi:比较对象": ["本单位上年报告"]},
    ),
    (
        "briefing", "简报导出", {"chart": "requests_trend", "title": "二〇二一年度分析"},
        {"select:预览图表": "图2 各单位本年新收申请数", "text:简报标题": "二〇二一年度分析"},
    ),
    ("review", "复议诉讼", {"block": "litigation.direct"}, {"tab": ["未经复议直接起诉"]}),
]  # fmt: skip


def view(app: App) -> dict:
    """The page's choices as drawn in the main area, its metrics and its charts' data, once the run has ended."""
    app.wait_idle()
    return app.page.evaluate(_VIEW_JS)


def drawn(app: App, shown: dict) -> dict:
    """The view once it shows the link's choices and stays the same over two drawn frames: the browser may still be
    drawing the main area (columns, metrics, charts) after the script run has ended, the more so on a busy machine."""
    return app.settled(
        lambda: view(app), lambda seen: not seen["loading"] and all(seen.get(k) == v for k, v in shown.items())
    )


def same_views(first: App, second: App, shown: dict) -> dict:
    """The view both tabs draw once both have settled on the same one (each keeps drawing until it is complete)."""
    return first.settled(lambda: (drawn(first, shown), drawn(second, shown)), lambda pair: pair[0] == pair[1])[0]


def settled_main(app: App, name: str) -> Path:
    """A screenshot of the main area once two in a row are the same (charts and grids draw after the run ends)."""
    app.wait_idle()
    main = app.main()
    previous = None
    for attempt in range(_SHOTS):
        path = app.shots / f"{name}-main-{attempt}.png"
        main.screenshot(path=path, animations="disabled", caret="hide")
        current = path.read_bytes()
        if current == previous:
            return path
        previous = current
    return path  # still changing: the comparison says by how much


def changed_share(first: Path, second: Path) -> float:
    """The share of pixels that differ between two screenshots of the same size."""
    with Image.open(first) as a, Image.open(second) as b:
        assert a.size == b.size, (a.size, b.size)
        diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).convert("L")
        changed = sum(diff.histogram()[_PIXEL_DIFF + 1 :])
        return changed / (a.size[0] * a.size[1])


@pytest.fixture(scope="module")
def plain(
    browser: Browser, browser_context_args: dict, server: Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[App]:
    """One signed-in session, in a browser of its own, that only ever opens pages from the menu and changes no
    choice: each page it opens shows its defaults. Shared by the module's tests (a sign-in and a first load each
    would cost as much again); each test checks that it raised no error."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    app = App(page, server.url, tmp_path_factory.mktemp("plain"), (ADMIN, PASSWORD))
    app.open("", "总览")
    yield app
    context.close()


@pytest.mark.parametrize(("path", "title", "query", "shown"), PAGE_VIEWS, ids=[p[0] for p in PAGE_VIEWS])
def test_every_page_reopens_from_its_url(
    app: App,
    new_context: Callable[..., BrowserContext],
    open_app: Callable[[Page, Server], App],
    plain: App,
    server: Server,
    path: str,
    title: str,
    query: dict,
    shown: dict,
) -> None:
    app.open(path, title, query)
    first = drawn(app, shown)
    for key, value in query.items():  # the link's choices stay in the URL, as given
        assert app.query()[key] == (value if isinstance(value, list) else [value]), (key, app.query())
    before = settled_main(app, f"url-{path}-first")
    app.shot(f"url-{path}-first")

    other = open_app(new_context().new_page(), server)  # another browser: no cookies, a new session
    other.open(path, title, query)
    first = same_views(app, other, shown)
    after = settled_main(other, f"url-{path}-again")
    share = changed_share(before, after)
    assert share <= MAX_CHANGED, f"{share:.2%} of the main area differs"

    plain.go_to(title)  # the page without its choices, from the menu, is another view
    assert drawn(plain, {}) != first
    assert not plain.errors, f"JavaScript errors in the page: {plain.errors}"


def test_a_choice_goes_into_the_url_stays_with_its_page_and_survives_a_reload(app: App) -> None:
    app.open("coverage", "报送情况")
    expect(app.selectbox("报告年度").get_by_role("combobox")).to_have_value("2025")
    app.select("报告年度", "2014")
    app.expect_query(year="2014")
    app.go_to("评分排名")  # the menu: coverage's year does not reach the scoring page
    expect(app.selectbox("年度").get_by_role("combobox")).to_have_value("2021年度")
    app.wait_idle()
    assert "year" not in app.query()
    app.go_to("报送情况")  # back: the page's own last choice, in the URL again
    expect(app.selectbox("报告年度").get_by_role("combobox")).to_have_value("2014")
    app.expect_query(year="2014")
    app.page.reload()
    app.wait_for_page("报送情况")
    expect(app.selectbox("报告年度").get_by_role("combobox")).to_have_value("2014")
    app.shot("coverage-2014-reloaded")


def test_an_invalid_choice_in_the_url_falls_back(app: App) -> None:
    app.open("coverage", "报送情况", {"year": "<img src=x onerror=alert(1)>"})
    expect(app.selectbox("报告年度").get_by_role("combobox")).to_have_value("2025")
    app.wait_idle()
    assert "year" not in app.query()
    app.expect_no_exception()
