"""Running the real dashboard under Streamlit's AppTest, on one page, with a given URL query."""

from __future__ import annotations

import ast
import base64
import json
import re
from pathlib import Path

import numpy as np
from pandas.api.types import is_numeric_dtype
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def dashboard_pages() -> tuple[tuple, ...]:
    """PAGES of dashboard.py, read (not run): (file, title, url path, menu section, filters) per page."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PAGES" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("dashboard.py has no PAGES")


def run_page(page: str | None = None, query: dict[str, str | list[str]] | None = None) -> AppTest:
    """Run dashboard.py (optionally with URL query parameters), switch to `page` (e.g. "app_pages/trends.py") and fail
    on any exception the app raised."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    if page:
        at.switch_page(page)  # before the first run: the page opens directly, as from a bookmarked link
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    """The st.metric values shown, by label."""
    return {m.label: m.value for m in at.metric}


def chart(at: AppTest, key: str) -> dict:
    """The plotly figure (as JSON) of the chart drawn with this key."""
    return json.loads(next(c for c in at.get("plotly_chart") if c.key == key).proto.spec)


def values(data: list | dict) -> list[float]:
    """A trace's numbers, decoded when plotly packed them as base64."""
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def cards(at: AppTest) -> dict[str, str]:
    """The headline rates shown as markdown cards, label -> text."""
    out = {}
    for block in at.markdown:
        label, _, value = block.value.partition("  \n")
        if value.startswith("**"):
            out[label] = value.strip("*")
    return out


def numeric(frame, *columns: str) -> bool:
    """Whether the grid holds these columns as numbers (so they sort by value), not as text."""
    return all(is_numeric_dtype(frame[c]) for c in columns)


def shown(markdown: str) -> str:
    """The text a Markdown body shows once its backslash escapes are read (untrusted text reaches Streamlit escaped)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)
