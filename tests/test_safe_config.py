"""The safe defaults of .streamlit/config.toml, as Streamlit reads them, and the run commands that leave them alone."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from streamlit import config as st_config

from loaders import textio
from tests.e2e import server

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
# The flags a run command may pass: the port, headless mode and, for the tests' own servers, the same address.
ALLOWED_FLAGS = {
    "server.port",
    "server.headless",
    "server.address",
    "server.fileWatcherType",
    "browser.gatherUsageStats",
}


def option(key: str):
    """A config.toml value by its dotted name."""
    section, name = key.split(".")
    return CONFIG[section][name]


def test_the_dashboard_listens_on_the_local_interface_only() -> None:
    assert option("server.address") == "127.0.0.1"
    assert set(option("server.allowedHosts")) == {"127.0.0.1", "localhost"}


def test_visitors_get_no_error_details_and_no_developer_chrome() -> None:
    accepted = {o.value for o in st_config.ShowErrorDetailsConfigOptions}
    assert option("client.showErrorDetails") == "none" and "none" in accepted
    assert option("client.toolbarMode") == "minimal"
    assert option("client.showErrorLinks") is False


def test_cross_site_protection_stays_on() -> None:
    assert option("server.enableXsrfProtection") is True and option("server.enableCORS") is True
    assert option("browser.gatherUsageStats") is False


def test_the_upload_limit_is_the_loaders_limit() -> None:
    assert option("server.maxUploadSize") * 1024 * 1024 == textio.MAX_ANY_FILE_BYTES


def test_streamlit_reads_the_file() -> None:
    for key in ("server.address", "server.maxUploadSize", "client.showErrorDetails", "client.toolbarMode"):
        assert st_config.get_option(key) == option(key), key


def _flags(text: str) -> dict[str, str]:
    """The --section.option flags of a command line and their values."""
    return dict(re.findall(r"--(\w+\.\w+)\W+\s*\"?([^\s\"\\,]+)", text))


def test_run_commands_override_nothing() -> None:
    run = _flags((ROOT / "scripts" / "run.sh").read_text(encoding="utf-8"))
    e2e = _flags(" ".join(server.command(8600)))
    assert set(run) == {"server.port", "server.headless"}
    for flags in (run, e2e):
        assert set(flags) <= ALLOWED_FLAGS, flags
        assert flags.get("server.address", "127.0.0.1") == "127.0.0.1"
        assert flags.get("browser.gatherUsageStats", "false") == "false"
