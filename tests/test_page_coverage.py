"""报送情况 ("app_pages/coverage.py"): coverage of a year on the sample reports with the sample roster, the units
without a report first and shaded, the roll-up, the sidebar filters, the roster upload (good and bad files) and the
first run, which imports the sample roster and work plan with the reports."""

from __future__ import annotations

from pathlib import Path

import pytest

import config
from loaders import roster
from tests.apptest_support import metrics, numeric, run_page, shown
from tests.dbutil import rows

PAGE = "app_pages/coverage.py"


@pytest.fixture
def db(dashboard_copy: Path) -> Path:
    """A copy of the sample database with the sample roster imported; the dashboard reads it."""
    roster.import_roster(config.SAMPLE_ROSTER, dashboard_copy)
    return dashboard_copy


def year_2021(query: dict | None = None):
    """The page with the reporting year 2021 chosen."""
    at = run_page(PAGE, query)
    at.selectbox(key="coverage_year").select(2021).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def table(at, column: str):
    """The first data frame shown that has this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_units_without_a_report_are_listed_first_and_shaded(db: Path) -> None:
    at = year_2021()
    assert metrics(at) == {"应报单位": "8", "按时": "2", "逾期": "0", "日期不详": "2", "未发布": "4"}
    rows = table(at, "报送情况")
    assert list(rows["报送情况"])[:4] == ["未发布"] * 4
    assert set(list(rows["单位"])[:4]) == {"张店区财政局", "张店区司法局", "周村区人民政府办公室", "洪泽区人民政府"}
    finance = rows[rows["单位"] == "张店区财政局"].iloc[0]
    assert (finance["上级"], finance["层级"], finance["类型"]) == ("张店区人民政府", "区县级", "部门")
    shizhong = rows[rows["单位"] == "市中区卫生健康局"].iloc[0]
    assert (str(shizhong["发布日期"])[:10], shizhong["报送情况"]) == ("2022-01-10", "按时")
    assert shizhong["报告详情"].startswith("report?report=")
    styles = str(next(d for d in at.dataframe if "报送情况" in d.value.columns).proto)
    assert "c62828" in styles  # the rows of missing reports carry the violation colour


def test_rollup_table(db: Path) -> None:
    rollup = table(year_2021(), "口径")
    own = rollup[rollup["口径"] == "政府层面（本级）"].iloc[0]
    assert (own["政府"], own["报告所称"], own["单位报告合计"], own["差额"]) == ("张店区人民政府", 16, 16, 0)
    new = rollup[(rollup["口径"] == "下属单位合计") & (rollup["指标"].str.contains("本年新收"))].iloc[0]
    assert numeric(rollup, "报告所称", "单位报告合计", "差额", "已报告单位", "应报单位")
    assert list(new[["报告所称", "单位报告合计", "差额", "已报告单位", "应报单位"]]) == [105, 16, 89, 1, 3]
    assert new["未报告单位"] == "张店区司法局、张店区财政局"


def test_sidebar_filters_narrow_the_units(db: Path) -> None:
    at = year_2021({"type": ["department"]})
    assert set(table(at, "报送情况")["单位"]) == {"张店区财政局", "张店区司法局", "市中区卫生健康局"}
    assert metrics(at)["未发布"] == "2"


def test_without_a_roster_the_page_says_so(dashboard_db: Path) -> None:
    at = year_2021()
    assert any("尚未导入单位名册" in i.value for i in at.info)
    assert set(table(at, "报送情况")["单位"]) == {
        "张店区人民政府", "张店区人民政府办公室", "市中区卫生健康局", "平潭综合实验区管委会", "洪泽区人民政府",
    }  # fmt: skip


def stored_units(db: Path) -> list[str]:
    """The units of the stored roster, in its order."""
    return [u for (u,) in rows(db, "select unit from roster_units order by position")]


def test_a_bad_roster_upload_is_refused_and_changes_nothing(db: Path) -> None:
    before = stored_units(db)
    at = run_page(PAGE)
    assert at.button(key="roster_import").proto.disabled
    at.get("file_uploader")[0].set_value(("bad.csv", "单位,层级,类型\n张店区财政局,县团级,部门\n".encode(), "text/csv"))
    at.run()
    at.button(key="roster_import").click().run()
    assert not at.exception
    (error,) = at.error
    shown = error.value.replace("\\", "")  # the message is shown as literal Markdown, its punctuation escaped
    assert "bad.csv 第2行" in shown and "县团级" in shown and "unknown level" in shown
    assert stored_units(db) == before


def test_a_roster_upload_replaces_the_roster(db: Path) -> None:
    at = run_page(PAGE)
    text = "单位,层级,类型\n张店区人民政府,区县级,政府\n张店区审计局,区县级,部门\n"
    at.get("file_uploader")[0].set_value(("新名册.csv", text.encode("gb18030"), "text/csv")).run()
    at.button(key="roster_import").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("单位 units 2" in s.value for s in at.success)
    assert stored_units(db) == ["张店区人民政府", "张店区审计局"]
    at.selectbox(key="coverage_year").select(2021).run()
    assert set(table(at, "报送情况")["单位"]) == {"张店区人民政府", "张店区审计局"}
    assert metrics(at)["未发布"] == "1"


def test_the_first_run_imports_the_sample_roster_and_work_plan(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "fresh" / "reports.duckdb"
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    at = run_page(PAGE)
    assert any("名册：roster.csv（8个单位" in shown(c.value) for c in at.caption)
    assert rows(db, "select count(*) from workplan_tasks") == [(52,)]


@pytest.fixture
def variant(db: Path, reports_dir: Path, tmp_path: Path) -> Path:
    """The database with the next year's report of 张店区人民政府 titled 淄博市张店区人民政府 (not on the roster)."""
    from loaders import store
    from tests.test_unit_alias import next_year_report

    store.ingest([next_year_report(reports_dir, tmp_path)], db, progress=False)
    return db


def test_a_report_under_a_variant_name_is_matched_to_its_unit_on_the_page(variant: Path) -> None:
    from tests.test_unit_alias import UNIT, VARIANT

    at = run_page(PAGE)
    at.selectbox(key="coverage_year").select(2022).run()
    assert any("不在名册中" in w.value for w in at.warning)
    assert table(at, "报送情况").set_index("单位").loc[UNIT, "报送情况"] == "未发布"
    assert any(VARIANT in m.value and f"最可能是“{UNIT}”" in m.value for m in at.markdown)
    picker = at.selectbox(key="coverage_match_0_unit")
    assert picker.value == UNIT
    assert picker.options[0].startswith(f"{UNIT}（地区前缀不同")  # options as shown: the unit and why
    at.button(key="coverage_match_0_confirm").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert [s.value for s in at.success] == [f"已确认：“{VARIANT}”记为“{UNIT}”的另一名称，其报告计入该单位。"]
    assert not any("不在名册中" in w.value for w in at.warning)
    row = table(at, "报送情况").set_index("单位").loc[UNIT]
    assert row["报送情况"] != "未发布" and VARIANT in row["说明"]
    assert rows(variant, "select account, target from audit_log where action = 'roster.alias'") == [
        ("测试管理员", VARIANT)
    ]


def test_an_account_limited_to_a_unit_may_only_match_to_it(variant: Path) -> None:
    from loaders.accounts import REVIEWER

    at = run_page(PAGE, role=REVIEWER, units=("张店区财政局",))
    at.selectbox(key="coverage_year").select(2022).run()
    pickers = [s for s in at.selectbox if s.key and s.key.startswith("coverage_match_")]
    assert pickers and all(list(s.options) == ["张店区财政局"] for s in pickers)
    assert not any(b.key and b.key.endswith("_add") for b in at.button)  # only confirming; adding a unit is not


def test_a_long_roster_is_searched_in_the_match_form(variant: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_unit_alias import UNIT, VARIANT
    from ui import units

    monkeypatch.setattr(units, "CHOICES", 2)
    roster_units = sorted(u for (u,) in rows(variant, "select unit from roster_units"))
    assert len(roster_units) > 3
    at = run_page(PAGE)
    at.selectbox(key="coverage_year").select(2022).run()
    picker = at.selectbox(key="coverage_match_0_unit")
    assert picker.value == UNIT and picker.options[0].startswith(f"{UNIT}（")  # the likely unit first, as before
    assert picker.options[1:] == [u for u in roster_units[:2] if u != UNIT]
    note = f"共 {len(roster_units)} 个名册单位，列表只列出按名称排序的前 2 个；在上面输入名称中的字词查找其他名册单位。"
    assert note in [c.value for c in at.caption]
    wanted = roster_units[-1]
    at.text_input(key="coverage_match_0_search").input(wanted).run()
    assert wanted in at.selectbox(key="coverage_match_0_unit").options
    at.selectbox(key="coverage_match_0_unit").set_value(wanted)
    at.button(key="coverage_match_0_confirm").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert rows(variant, "select target from audit_log where action = 'roster.alias'") == [(VARIANT,)]
    assert rows(variant, f"select new_name from roster_changes where old_name = '{VARIANT}'") == [(wanted,)]
