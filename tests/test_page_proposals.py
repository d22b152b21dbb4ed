"""建议提案 on the real sample reports: counts per unit and year, and the handling rate computed or as stated."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_support import numeric, run_page
from tests.conftest import REPORTS_DIR

PAGE = "app_pages/proposals.py"
SHIZHONG = "shizhong-district-health-bureau-2021.txt"
STATED_SENTENCE = "共承办区级人大代表建议5件，办复率100%；承办区政协委员提案8件，办复率100%。"


def unit_row(at: AppTest, agency: str, year: int) -> pd.Series:
    """The main table's row of one unit and year."""
    table = at.dataframe[0].value
    found = table[(table["单位"] == agency) & (table["年度"] == year)]
    assert len(found) == 1, (agency, year, len(found))
    return found.iloc[0]


def plotted(values: list | dict) -> list[float]:
    """A trace's values as numbers: plotly writes numeric arrays as base64 with their dtype."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def test_counts_without_a_rate_show_a_dash(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府"})
    shown = unit_row(at, "张店区人民政府", 2021)
    assert numeric(at.dataframe[0].value, "人大代表建议", "建议办结", "建议办复率", "建议办复率（报告所述）")
    assert shown["人大代表建议"] == 80
    assert shown["政协委员提案"] == 172
    # the report says the suggestions were all resolved but gives no count or rate: nothing to compute
    assert pd.isna(shown["建议办结"])
    assert shown[["建议办复率", "建议办复率（报告所述）", "提案办复率", "提案办复率（报告所述）"]].isna().all()


def test_a_rate_stated_in_words_is_shown_as_stated(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "市中区卫生健康局"})
    shown = unit_row(at, "市中区卫生健康局", 2021)
    assert shown["人大代表建议"] == 5
    assert shown["政协委员提案"] == 8
    assert pd.isna(shown["建议办复率"]) and shown["建议办复率（报告所述）"] == 100
    assert pd.isna(shown["提案办复率"]) and shown["提案办复率（报告所述）"] == 100
    sources = at.dataframe[1].value
    assert "办复率100%" in sources.iloc[0]["人大代表建议"]


def test_the_chart_draws_the_stated_counts(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": ["张店区人民政府", "市中区卫生健康局"]})
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    drawn = {trace["name"]: sorted(plotted(trace["y"])) for trace in spec["data"]}
    assert drawn == {"人大代表建议": [5, 80], "政协委员提案": [8, 172]}


def test_units_without_such_figures_say_so(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "平潭综合实验区管委会"})
    assert at.info and "没有写明" in at.info[0].value


@pytest.fixture
def resolved_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database of the 市中区 report with its rates rewritten as resolved counts (4 of 5 and 0 of 8)."""
    from loaders.store import ingest

    text = (REPORTS_DIR / SHIZHONG).read_text(encoding="utf-8")
    assert STATED_SENTENCE in text
    folder = tmp_path / "reports"
    folder.mkdir()
    resolved = "共承办区级人大代表建议5件，已办结4件；承办区政协委员提案8件，已办结0件。"
    (folder / SHIZHONG).write_text(text.replace(STATED_SENTENCE, resolved), encoding="utf-8")
    db = tmp_path / "resolved.duckdb"
    ingest([folder], db, progress=False)
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    return db


def test_the_rate_is_computed_where_both_counts_are_stated(resolved_db: Path) -> None:
    shown = unit_row(run_page(PAGE), "市中区卫生健康局", 2021)
    assert shown["建议办结"] == 4
    assert shown["建议办复率"] == pytest.approx(0.8)
    assert shown["提案办结"] == 0
    assert shown["提案办复率"] == 0  # a stated 0 resolved is a real 0%, unlike an unstated count
