"""Fixtures of the end-to-end tests: the dashboard under `streamlit run` over its own copy of the sample database,
and Playwright (pytest-playwright's `page`, `new_context`) on the system Chromium, never a downloaded browser."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import server as dashboard
from tests.e2e.app import TIMEOUT_MS, App  # TIMEOUT_MS: generous for a busy two-core machine

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip
# Streamlit scrolls inside the page, so a full-page screenshot is the viewport: make it tall enough for a page.
VIEWPORT = {"width": 1400, "height": 1800}

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch the Debian Chromium that scripts/setup.sh installs; fail (not skip) when it is missing."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} 不存在：请以 root 身份运行 scripts/setup.sh 安装 Debian 的 chromium 和 fonts-noto-cjk。 / "
            f"{CHROMIUM} is missing: run scripts/setup.sh as root to install Debian's chromium and fonts-noto-cjk.",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """Every browser context: a tall viewport, a Chinese locale, and reduced motion asked for, as a user may set it
    (fewer animations for the browser to draw on a two-core machine)."""
    return {**browser_context_args, "viewport": VIEWPORT, "locale": "zh-CN", "reduced_motion": "reduce"}


def _serve(source: Path, folder: Path) -> Iterator[dashboard.Server]:
    """A dashboard over a copy of `source` in `folder`, stopped (with its process group) when done."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "reports.duckdb"
    shutil.copy(source, db)
    running = dashboard.start(db, folder / "streamlit.log")
    try:
        yield running
    finally:
        dashboard.stop(running)


@pytest.fixture(scope="package")
def server(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dashboard.Server]:
    """The dashboard most flows use, over its own copy of the sample database (nothing writes to it); it stops when
    the end-to-end tests are done, not at the end of the whole test session."""
    yield from _serve(sample_db, tmp_path_factory.mktemp("e2e-server"))


@pytest.fixture(scope="module")
def module_server(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dashboard.Server]:
    """A dashboard shared by one module's tests, over its own copy of the sample database, for flows whose only write
    is an account of a name no other test uses (one server start instead of one per test)."""
    yield from _serve(sample_db, tmp_path_factory.mktemp("e2e-module-server"))


@pytest.fixture
def own_server(sample_db: Path, tmp_path: Path) -> Iterator[dashboard.Server]:
    """A dashboard of this test alone, over a fresh copy of the sample database, for a flow that writes to it."""
    yield from _serve(sample_db, tmp_path / "server")


@pytest.fixture
def open_app(tmp_path: Path) -> Iterator[Callable[[Page, dashboard.Server], App]]:
    """Wrap browser tabs as App (screenshots go to this test's tmp_path); fail on any page error they raised."""
    apps: list[App] = []

    def make(page: Page, on: dashboard.Server, account: str = dashboard.ADMIN, menu: list[str] | None = None) -> App:
        page.set_default_timeout(TIMEOUT_MS)
        app = App(page, on.url, tmp_path, (account, dashboard.PASSWORD), menu)
        apps.append(app)
        return app

    yield make
    errors = [error for app in apps for error in app.errors]
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture
def app(page: Page, server: dashboard.Server, open_app: Callable[[Page, dashboard.Server], App]) -> App:
    """A fresh browser tab (new context, new Streamlit session) on the shared dashboard."""
    return open_app(page, server)
