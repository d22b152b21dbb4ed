"""The dashboard frame: every page registered and tested, the first run builds the sample database, a swapped
database is noticed, and the selection survives a reload of the URL."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from analytics import live
from analytics.state import Selection, from_query
from loaders import store
from tests.apptest_support import ROOT, dashboard_pages, metrics, run_page
from ui.textview import markdown_text


def _registereddashboard_pages() -> list[str]:
    return [entry[0] for entry in dashboard_pages()]


def test_every_page_file_is_registered_and_has_its_test() -> None:
    files = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "app_pages").glob("*.py"))
    assert sorted(_registereddashboard_pages()) == files
    for file in files:
        test = ROOT / "tests" / f"test_page_{Path(file).stem}.py"
        assert test.is_file(), f"{file} has no {test.name}"
        assert f'"{file}"' in test.read_text(encoding="utf-8"), f"{test.name} never opens {file}"


def test_the_menu_groups_pages_by_section_in_the_order_of_the_list() -> None:
    pages = dashboard_pages()
    assert all(len(entry) == 5 and isinstance(entry[4], bool) for entry in pages)
    sections = [entry[3] for entry in pages]
    runs = [s for i, s in enumerate(sections) if i == 0 or sections[i - 1] != s]
    assert len(runs) == len(set(runs)), runs  # a section's pages stand together: the menu keeps the list's order
    assert len({entry[1] for entry in pages}) == len({entry[2] for entry in pages}) == len(pages)


def test_a_page_reads_the_shared_selection_exactly_when_the_list_says_it_filters() -> None:
    for file, _title, _, _, filters in dashboard_pages():
        source = (ROOT / file).read_text(encoding="utf-8")
        assert ("ui.selection()" in source) == filters, f"{file}: PAGES says filters={filters}"
        assert "sidebar_selection(" not in source and "ui.frame(" not in source  # the frame draws them, once


def test_a_page_without_filters_says_so_and_draws_none(dashboard_db: Path) -> None:
    for file, title, _, _, filters in dashboard_pages():
        if filters:
            continue
        at = run_page(file)
        assert [h.value for h in at.main.header] == [title]
        assert "本页不使用筛选" in [c.value for c in at.sidebar.caption]
        assert not [w for w in at.sidebar.multiselect if w.key and w.key.startswith("f_")]
        assert "筛选" not in [h.value for h in at.sidebar.header]


def test_a_filtering_page_gets_the_filters_once_from_the_frame(dashboard_db: Path) -> None:
    at = run_page("app_pages/trends.py", {"agency": "张店区人民政府"})
    assert [h.value for h in at.sidebar.header] == ["筛选"]
    assert [w.key for w in at.sidebar.multiselect] == ["f_region", "f_level", "f_type", "f_agency"]
    assert at.multiselect(key="f_agency").value == ["张店区人民政府"]
    assert [h.value for h in at.main.header] == ["申请趋势"]


def test_the_selection_survives_a_page_without_filters(dashboard_db: Path) -> None:
    at = run_page("app_pages/overview.py", {"agency": "张店区人民政府", "from": "2014", "to": "2021"})
    assert metrics(at)["收到申请（本年新收）"] == "105"
    at.query_params.clear()  # the menu opens a page with a bare URL
    at.switch_page("app_pages/upload.py").run()
    assert not at.exception and not at.sidebar.multiselect
    at.query_params.clear()
    at.switch_page("app_pages/overview.py").run()
    assert not at.exception
    assert at.multiselect(key="f_agency").value == ["张店区人民政府"]
    assert at.slider(key="f_years").value == (2014, 2021)
    assert metrics(at)["收到申请（本年新收）"] == "105"
    assert at.query_params["agency"] in ("张店区人民政府", ["张店区人民政府"])


def test_a_link_naming_a_selection_opens_it_over_the_filters_left_from_the_page_before(dashboard_db: Path) -> None:
    at = run_page("app_pages/overview.py", {"agency": "张店区人民政府"})
    at.query_params.clear()
    at.query_params["agency"] = "平潭综合实验区管委会"
    at.switch_page("app_pages/trends.py").run()
    assert not at.exception
    assert at.multiselect(key="f_agency").value == ["平潭综合实验区管委会"]


def test_first_run_builds_the_database_from_the_sample_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "fresh" / "reports.duckdb"
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    at = run_page()
    assert db.is_file()
    assert int(metrics(at)["报告数"]) >= 1


def test_a_swapped_database_is_noticed(sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "reports.duckdb"
    shutil.copy(sample_db, db)
    before = live.connection(db)
    assert live.connection(db) is before
    replacement = tmp_path / "new.duckdb"
    shutil.copy(sample_db, replacement)
    replacement.replace(db)  # what the loader does: a new file moved over the old one
    after = live.connection(db)
    assert after is not before
    assert after.sql("select count(*) from reports").fetchall()[0][0] > 0


def test_selection_round_trips_through_the_url() -> None:
    chosen = Selection(("淄博市张店区",), ("county",), ("government",), ("张店区人民政府",), 2014, 2021)
    url = {k: v if isinstance(v, list) else [v] for k, v in chosen.to_query().items()}
    assert from_query(url) == chosen


def test_the_url_is_kept_equal_to_the_selection(dashboard_db: Path) -> None:
    at = run_page("app_pages/overview.py", {"agency": "张店区人民政府"})
    at.slider(key="f_years").set_value((2014, 2021)).run()
    params = {k: at.query_params[k] for k in ("agency", "from", "to")}
    assert {k: v if isinstance(v, str) else v[0] for k, v in params.items()} == {
        "agency": "张店区人民政府",
        "from": "2014",
        "to": "2021",
    }


def test_no_legacy_pages_folder_beside_the_frame() -> None:
    # Streamlit treats a folder named "pages" next to the main script as its own page list and, on a fresh
    # server, may run those files without dashboard.py's frame; the pages therefore live in app_pages/.
    assert not (ROOT / "pages").exists()


def test_a_database_built_by_an_older_version_is_upgraded_on_start(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "old.duckdb"
    shutil.copy(sample_db, db)
    con = duckdb.connect(str(db))
    for table in ("section_similarity", "similarity_pairs", "similarity_sketches"):
        con.sql(f"drop table {table}")  # tables this version has and an older one did not
    con.sql("drop table schema_info")
    con.close()
    assert not store.is_current(db)
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    at = run_page("app_pages/similarity.py")
    assert not at.exception
    assert store.is_current(db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.sql("select count(*) from section_similarity").fetchall()[0][0] > 0
    finally:
        con.close()


def test_every_table_is_drawn_through_ui_table() -> None:
    # ui.table shows an unstated figure as "—" (Streamlit's own default would print "None")
    callers = [ROOT / "dashboard.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "analytics").glob("*.py")]
    direct = [p.name for p in callers if p.name != "ui.py" and "st.dataframe(" in p.read_text(encoding="utf-8")]
    assert direct == []


def test_an_unstated_value_reads_as_a_dash_in_a_table(dashboard_db: Path) -> None:
    at = run_page("app_pages/coverage.py", {"year": "2021"})
    assert at.dataframe and all(table.proto.placeholder == "—" for table in at.dataframe)
    # units without a 2021 report have no publication date: blank in the data, "—" on screen
    assert any(table.value.isna().any().any() for table in at.dataframe)


def test_a_wrong_write_memory_budget_stops_the_dashboard_with_the_reason(
    dashboard_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVREPORT_WRITE_MEMORY", "lots")
    at = run_page("app_pages/overview.py")
    reason = "GOVREPORT_WRITE_MEMORY='lots' 不是内存大小（如 1GB、512MB 或 none） / is not a memory size (such as 1GB,"
    said = f"无法构建数据库 / cannot build the database {dashboard_db}: {reason} 512MB or none)"
    assert [e.value for e in at.error] == [markdown_text(said)]  # shown as the characters of the message
    assert not at.main.metric  # the page itself never ran
