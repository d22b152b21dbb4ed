"""The dashboard in a browser tab: open a page, read what it shows (filters, numbers, charts) and take checked
screenshots. Every read waits for the content it expects, since Streamlit redraws a page on each rerun and
briefly shows the old elements beside the new ones."""

from __future__ import annotations

import ast
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from playwright.sync_api import Locator, Page, expect

from config import REPO_ROOT
from tests.e2e.screens import assert_not_blank


def pages() -> tuple[tuple, ...]:
    """Every page as dashboard.py lists them in PAGES (read, not run): (file, title, url path, section, filters)."""
    tree = ast.parse((REPO_ROOT / "dashboard.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PAGES" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("dashboard.py has no PAGES")


T = TypeVar("T")
TIMEOUT_MS = 30_000  # every wait of the browser tests; waits end as soon as the content is there
_NOTHING = object()
_FRAMES_JS = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"
PAGE_TITLES = [entry[1] for entry in pages()]  # the menu, in order
FILTERS = {entry[1]: entry[4] for entry in pages()}  # title -> whether the page shows the shared filters
SECTION_OF = {entry[1]: entry[3] for entry in pages()}  # title -> its menu section
_GRID_ROW_PX = 35  # the height of a header row and of a row in st.dataframe's grid (Streamlit's default)

# The chart's traces as drawn in the browser: name, x and y (NaN, a gap, as null), customdata.
_TRACES_JS = """(title) => {
  const values = (v) => v == null ? [] : Array.from(v._inputArray ?? v).map((n) => Number.isNaN(n) ? null : n);
  for (const div of document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')) {
    const text = div.layout && div.layout.title && String(div.layout.title.text).replace(/<[^>]*>/g, '');
    if (text === title && div.data) {
      return div.data.map((t) => ({name: t.name, x: values(t.x), y: values(t.y), customdata: t.customdata ?? null}));
    }
  }
  return null;
}"""


class App:
    """One browser tab on the dashboard, with the page errors it raised."""

    def __init__(
        self, page: Page, base_url: str, shots: Path, account: tuple[str, str], menu: list[str] | None = None
    ) -> None:
        self.page = page
        self.base_url = base_url
        self.shots = shots
        self.account = account  # (name, password) it signs in with when the sign-in page shows
        self.menu = PAGE_TITLES if menu is None else menu  # the pages its role sees, in menu order
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(f"{error.name}: {error.message}"))

    # --- navigating ---------------------------------------------------------------------------------

    def url(self, path: str = "", query: dict[str, str | list[str]] | None = None) -> str:
        """The address of a page (e.g. "trends") with URL query parameters."""
        suffix = f"?{urlencode(query, doseq=True)}" if query else ""
        return f"{self.base_url}/{path}{suffix}"

    def open(self, path: str, title: str, query: dict[str, str | list[str]] | None = None) -> None:
        """Open a page by its address and wait until its heading and the whole frame are drawn."""
        self.page.goto(self.url(path, query))
        self.wait_for_page(title)

    def wait_for_page(self, title: str) -> None:
        """Wait for a page's heading, the menu of the role's pages under their section headings, and the sidebar
        filters (or, on a page that does not filter or that the role may not open, the note that says so): the
        frame. Sign in first when a new session shows the sign-in page (a new tab, a reload)."""
        heading = self.page.get_by_role("heading", name=title, exact=True)
        expect(heading.or_(self.sign_in_button())).to_be_visible()
        if self.sign_in_button().is_visible():
            self.sign_in(*self.account)
        expect(heading).to_be_visible()
        expect(self.page).to_have_title(re.compile(rf"^{re.escape(title)} · "))  # the page's own title in the tab
        links = self.nav().get_by_role("link")
        expect(links.first).to_have_text(self.menu[0])
        expect(links).to_have_count(len(self.menu))  # every page of the role shown, none behind "View more"
        assert [text.strip() for text in links.all_inner_texts()] == self.menu
        for section in dict.fromkeys(SECTION_OF[t] for t in self.menu):
            expect(self.nav().get_by_text(section, exact=True)).to_be_visible()
        expect(self.nav().get_by_test_id("stSidebarNavViewButton")).to_have_count(0)  # no "View 5 more"/"View less"
        if FILTERS[title] and title in self.menu:  # a page the role may not open draws no filters
            expect(self.sidebar().get_by_text("筛选", exact=True)).to_be_visible()
        else:
            expect(self.sidebar().get_by_text("本页不使用筛选", exact=True)).to_be_visible()
            expect(self.sidebar().get_by_text("筛选", exact=True)).to_have_count(0)

    def sign_in_button(self) -> Locator:
        """The button of the sign-in form."""
        return self.page.get_by_test_id("stForm").get_by_role("button", name="登录", exact=True)

    def sign_in(self, name: str, password: str) -> None:
        """Fill in the sign-in form and submit it (the caller waits for what follows)."""
        form = self.page.get_by_test_id("stForm")
        form.get_by_label("账户名").fill(name)
        form.get_by_label("密码", exact=True).fill(password)
        self.sign_in_button().click()

    def go_to(self, title: str) -> None:
        """Click a page in the sidebar menu."""
        self.nav().get_by_role("link", name=title, exact=True).click()
        self.wait_for_page(title)

    def nav(self) -> Locator:
        """The sidebar menu of pages."""
        return self.page.get_by_test_id("stSidebarNav")

    def sidebar(self) -> Locator:
        """The sidebar."""
        return self.page.get_by_test_id("stSidebar")

    # --- the URL ------------------------------------------------------------------------------------

    def query(self) -> dict[str, list[str]]:
        """The query parameters of the tab's URL now."""
        return parse_qs(urlsplit(self.page.url).query)

    def expect_query(self, **wanted: str | list[str]) -> None:
        """Wait until the URL carries these parameters (a list: exactly these values, in this order)."""
        for key, value in wanted.items():
            values = value if isinstance(value, list) else [value]
            pattern = "".join(rf"[?&]{re.escape(key)}={re.escape(quote(v, safe=''))}" + r"(?=&|$).*" for v in values)
            expect(self.page).to_have_url(re.compile(pattern))
        actual = self.query()
        for key, value in wanted.items():
            assert actual[key] == (value if isinstance(value, list) else [value]), (key, actual)

    def expect_path(self, path: str) -> None:
        """Wait until the tab shows the page at this address (e.g. "/report")."""
        expect(self.page).to_have_url(re.compile(rf"^{re.escape(self.base_url)}{re.escape(path)}(\?|$)"))

    # --- the sidebar filters --------------------------------------------------------------------------

    def multiselect(self, label: str) -> Locator:
        """A sidebar multiselect by its label."""
        return self.sidebar().get_by_test_id("stMultiSelect").filter(has=self.page.get_by_text(label, exact=True))

    def pick(self, label: str, option: str) -> None:
        """Add an option to a sidebar multiselect: type it, choose it, close the list."""
        box = self.multiselect(label)
        box.locator("input").fill(option)
        self.page.get_by_role("option", name=option, exact=True).click()
        self.page.keyboard.press("Escape")
        expect(self.chip(label, option)).to_be_visible()

    def chip(self, label: str, option: str) -> Locator:
        """The chip of a chosen option in a sidebar multiselect."""
        return self.multiselect(label).locator("[data-tag]").filter(has_text=option)

    def chosen(self, label: str) -> list[str]:
        """The options chosen in a sidebar multiselect, in order."""
        return [t.strip() for t in self.multiselect(label).locator("[data-tag]").all_inner_texts()]

    def years(self) -> list[str]:
        """The two ends of the year slider as shown. The browser may still be mounting the slider when the script
        run has ended (its values then show a moment later: a read in between found none), so the two values are
        awaited; every page these tests read has a year range."""
        values = self.sidebar().get_by_test_id("stSlider").get_by_test_id("stSliderThumbValue")
        expect(values).to_have_count(2)
        return values.all_inner_texts()

    def drag_years(self, thumb: int, year: int) -> None:
        """Drag one end of the year slider (0: from, 1: to) with the mouse to `year`, as a user does."""
        slider = self.sidebar().get_by_test_id("stSlider")
        handle = slider.get_by_role("slider").nth(thumb)
        low, high = int(handle.get_attribute("min")), int(handle.get_attribute("max"))
        grip = slider.locator("[data-testid=stSliderThumbValue]").nth(thumb).locator("xpath=..")
        start, track = grip.bounding_box(), slider.locator("[data-orientation=horizontal][style]").bounding_box()
        y = start["y"] + start["height"] / 2
        x = track["x"] + track["width"] * (year - low) / (high - low)
        self.page.mouse.move(start["x"] + start["width"] / 2, y)
        self.page.mouse.down()
        self.page.mouse.move(x, y, steps=5)
        self.page.mouse.up()

    # --- the main area: pickers and tables -------------------------------------------------------------

    def main(self) -> Locator:
        """The page's main area (beside the sidebar)."""
        return self.page.get_by_test_id("stMain")

    def selectbox(self, label: str) -> Locator:
        """A selectbox of the main area by its label."""
        return self.main().get_by_test_id("stSelectbox").filter(has=self.page.get_by_text(label, exact=True))

    def select(self, label: str, option: str) -> None:
        """Choose an option of a main-area selectbox: open its list, click the option, wait until it is shown."""
        box = self.selectbox(label)
        box.click()
        self.page.get_by_role("option", name=option, exact=True).click()
        expect(box.get_by_role("combobox")).to_have_value(option)

    def table(self, header: str) -> Locator:
        """The st.dataframe of the main area that has a column with this header."""
        header_cell = self.page.locator("th[role=columnheader]").get_by_text(header, exact=True)
        return self.main().get_by_test_id("stDataFrame").filter(has=header_cell)

    def rows(self, header: str) -> list[dict[str, str]]:
        """The rows of a table (see `table`) as the grid lays them out for assistive technology: header -> text of
        each cell drawn (the grid draws only the rows and columns in its view)."""
        grid = self.table(header)
        expect(grid.locator("tbody tr").first).to_be_attached()
        headers = [text.strip() for text in grid.locator("thead th").all_text_contents()]
        cells = grid.locator("tbody tr").evaluate_all(
            "(rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((c) => c.textContent.trim()))"
        )
        return [dict(zip(headers, row, strict=False)) for row in cells]

    def pick_row(self, header: str, text: str) -> None:
        """Tick the row-selection box of the one row of a table (see `table`) whose text contains `text`; the grid
        draws on a canvas, so the click goes where that row is drawn (the table must show it without scrolling)."""
        grid = self.table(header)
        rows = [" ".join(row.values()) for row in self.rows(header)]
        matching = [index for index, row in enumerate(rows) if text in row]
        assert len(matching) == 1, (text, rows)
        canvas = grid.get_by_test_id("data-grid-canvas")
        canvas.evaluate("(grid) => grid.scrollIntoView({block: 'center'})")  # the page may have scrolled away
        box = canvas.bounding_box()
        y = box["y"] + _GRID_ROW_PX * (matching[0] + 1.5)  # below the header row, mid-row
        assert 0 < y < min(box["y"] + box["height"], self.page.viewport_size["height"]), f"row not in view: {text}"
        self.page.mouse.click(box["x"] + _GRID_ROW_PX / 2, y)  # the selection box at the left of the row

    # --- what the page shows ------------------------------------------------------------------------

    def metric(self, label: str) -> Locator:
        """The value of a metric by its label."""
        box = self.page.get_by_test_id("stMetric").filter(
            has=self.page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
        )
        return box.get_by_test_id("stMetricValue")

    def expect_metrics(self, **wanted: str) -> None:
        """Wait until each metric shows its value."""
        for label, value in wanted.items():
            expect(self.metric(label)).to_have_text(value)

    def metrics(self) -> dict[str, str]:
        """Every metric shown, label -> value."""
        labels = self.page.get_by_test_id("stMetricLabel").all_inner_texts()
        values = self.page.get_by_test_id("stMetricValue").all_inner_texts()
        return dict(zip([label.strip() for label in labels], [v.strip() for v in values], strict=True))

    def caption(self, text: str) -> Locator:
        """A caption with exactly this text."""
        return self.page.get_by_test_id("stCaptionContainer").get_by_text(text, exact=True)

    def traces(self, title: str) -> list[dict] | None:
        """The traces of the chart with this title, as the browser holds them; None when it is not drawn."""
        return self.page.evaluate(_TRACES_JS, title)

    def expect_trace(self, title: str, name: str, x: list[int], y: list[float | None]) -> None:
        """Wait until the chart with this title draws a trace `name` with these points (None: a gap)."""
        self.page.wait_for_function(
            f"""([title, name, x, y]) => {{
                const traces = ({_TRACES_JS})(title);
                const trace = traces && traces.find((t) => t.name === name);
                return !!trace && JSON.stringify(trace.x) === JSON.stringify(x)
                    && JSON.stringify(trace.y) === JSON.stringify(y);
            }}""",
            arg=[title, name, x, y],
        )

    def wait_idle(self) -> None:
        """Wait until the script run has finished (stale elements of the last run are gone by then). Call it after
        waiting for new content: just after a click the new run may not have started yet."""
        expect(self.page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")

    def settled(self, read: Callable[[], T], ready: Callable[[T], bool] = lambda _: True) -> T:
        """What `read` gives once the page has settled: the script run has ended, `ready` holds, and a read two drawn
        frames later gives the same. The end of the run does not mean the browser has drawn it: on a busy machine
        columns, metrics and the slider's values are drawn seconds later (their width is measured first)."""
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        last: object = _NOTHING
        while True:
            self.wait_idle()
            seen = read()
            if seen == last and ready(seen):
                return seen
            assert time.monotonic() < deadline, f"the page did not settle: {seen}"
            last = seen
            self.page.evaluate(_FRAMES_JS)

    def expect_no_exception(self) -> None:
        """No Streamlit exception box and no traceback on the page, and no JavaScript error so far."""
        expect(self.page.get_by_test_id("stException")).to_have_count(0)
        expect(self.page.get_by_text("Traceback")).to_have_count(0)
        assert not self.errors, self.errors

    # --- screenshots --------------------------------------------------------------------------------

    def shot(self, name: str) -> Path:
        """A full-page screenshot, checked to show no error and not to be blank (whole page and main area)."""
        self.wait_idle()
        self.expect_no_exception()
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=path, full_page=True)
        main = self.page.get_by_test_id("stMain").bounding_box()
        box = None if main is None else _box(main)
        assert_not_blank(path, box)
        return path


def _box(rect: dict[str, float]) -> tuple[int, int, int, int]:
    """A Playwright bounding box as a Pillow crop box."""
    left, top = int(rect["x"]), int(rect["y"])
    return left, top, left + int(rect["width"]), top + int(rect["height"])
