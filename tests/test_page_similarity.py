"""雷同检查 on the real sample reports: sections above the threshold, the other report, and the repeated passages
side by side with links to both reports."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from loaders import store
from tests.apptest_support import metrics, numeric, run_page
from ui.passages import marked_pair, side_by_side_html

PAGE = "app_pages/similarity.py"
PINGTAN = "平潭综合实验区管委会"


def table(at: AppTest) -> pd.DataFrame:
    """The page's table of comparisons above the threshold."""
    return next(d.value for d in at.dataframe if "雷同率" in d.value.columns)


def passages_view(at: AppTest) -> str:
    """The side-by-side passages, as HTML."""
    return next(h.value for h in at.html if "sim-pairs" in h.value)


def test_sections_above_the_default_threshold_with_the_other_report(dashboard_db: Path) -> None:
    at = run_page(PAGE)
    assert at.slider(key="sim_threshold").value == 50  # the default rubric's threshold
    rows = table(at)
    assert numeric(rows, "雷同率", "相同字数", "本部分字数")
    assert list(rows["雷同率"])[0] == 1 and all(r >= 0.5 for r in rows["雷同率"])
    first = rows.iloc[0]
    assert (first["单位"], first["年度"], first["部分"]) == (PINGTAN, 2013, "第一部分")
    assert (first["比较对象"], first["对方报告"]) == ("本单位上年报告", f"{PINGTAN} 2012年")
    assert (first["相同字数"], first["本部分字数"]) == (486, 486)
    assert metrics(at)["涉及单位"] == "1"


def test_the_repeated_passages_side_by_side_with_links(dashboard_db: Path) -> None:
    at = run_page(PAGE)
    view = passages_view(at)
    assert f"{PINGTAN} 2013年 第一部分" in view and f"{PINGTAN} 2012年 第一部分" in view
    same = "".join(re.findall(r'<span class="sim-same">([^<]*)</span>', view))
    assert "持续稳步开展，不断深化公开内容、完善工作机制、拓展公开渠道" in html.unescape(same)
    assert "2013年" in view and "2012年" in view  # each side as its own report prints it
    assert '<span class="sim-diff">3</span>' in view and '<span class="sim-diff">2</span>' in view
    links = [p.proto for p in at.get("page_link")]
    assert [p.page for p in links] == ["report", "report"]
    assert all(re.fullmatch(r"report=[0-9a-f]{16}&line=\d+", p.query_string) for p in links)


def test_picking_another_comparison_shows_its_passages(dashboard_db: Path) -> None:
    at = run_page(PAGE)
    pick = at.selectbox(key="sim_pick")
    second = next(i for i, label in enumerate(pick.options) if "2015年 第二部分" in label)
    pick.set_value(second).run()
    assert f"{PINGTAN} 2015年 第二部分" in passages_view(at)


def test_threshold_and_relation_narrow_the_list(dashboard_db: Path) -> None:
    at = run_page(PAGE)
    at.slider(key="sim_threshold").set_value(10).run()
    assert len(table(at)) > 4
    at.multiselect(key="sim_relations").set_value(["同类"]).run()
    assert any("没有雷同率达到 10%" in i.value for i in at.info)  # peers in the sample share stock phrases only
    at.slider(key="sim_threshold").set_value(100).run()
    at.multiselect(key="sim_relations").set_value(["上年"]).run()
    assert list(table(at)["雷同率"]) == [1]


def test_the_sidebar_selection_applies(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府"})
    assert any("没有雷同率达到 50%" in i.value for i in at.info)


@pytest.fixture
def copied_db(reports_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database with the district office's report and a peer's copy of it with its figures changed."""
    original = (reports_dir / "zhangdian-district-gov-office-2021.txt").read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(reports_dir / "zhangdian-district-gov-office-2021.txt", folder / "original.txt")
    copy = re.sub(r"答复书 16 件", "答复书 18 件", original).replace("张店区人民政府办公室", "周村区人民政府办公室")
    (folder / "copy.txt").write_text(copy, encoding="utf-8")
    db = tmp_path / "db" / "reports.duckdb"
    store.ingest([folder], db, progress=False)
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    return db


def test_a_peer_copy_shows_the_changed_figure(copied_db: Path) -> None:
    at = run_page(PAGE, {"agency": "周村区人民政府办公室"})
    rows = table(at)
    assert set(rows["比较对象"]) == {"同类单位同年报告"} and set(rows["对方报告"]) == {"张店区人民政府办公室 2021年"}
    pick = at.selectbox(key="sim_pick")
    pick.set_value(next(i for i, label in enumerate(pick.options) if "第一部分" in label)).run()
    view = passages_view(at)
    assert '<span class="sim-diff">8</span>' in view and '<span class="sim-diff">6</span>' in view


def test_passages_are_escaped_and_differences_marked() -> None:
    ours, theirs = marked_pair("<b>共受理16件</b>", "<b>共受理18件</b>")
    assert "<b>" not in ours and "&lt;b&gt;" in ours
    assert '<span class="sim-diff">6</span>' in ours and '<span class="sim-diff">8</span>' in theirs
    view = side_by_side_html([{"text": "甲", "other_text": "甲", "line": 3, "other_line": 7}], "<左>", "右")
    assert "&lt;左&gt;" in view and "第3行" in view and "第7行" in view
