"""报告详情 ("app_pages/report.py") on the real sample reports: metadata, findings, figures and the source text view."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from loaders import accounts
from tests import dbutil
from tests.apptest_support import TEST_PASSWORD, numeric, run_page
from tests.conftest import REPORTS_DIR
from ui.auth import SESSION_KEY
from ui.textview import markdown_text, source_html

PAGE = "app_pages/report.py"
OFFICE = "zhangdian-district-gov-office-2021.txt"


def report_id(db: Path, source: str, version: int = 1) -> str:
    """The stored id of the report read from `source` (the id is a hash, so tests look it up)."""
    return dbutil.rows(db, "select report_id from reports where source = ? and version = ?", [source, version])[0][0]


def table(at: AppTest, prefix: str):
    """The st.dataframe whose key starts with `prefix`, as pandas."""
    return next(d for d in at.dataframe if (d.key or "").startswith(prefix)).value


def source_view(at: AppTest) -> str:
    """The HTML of the numbered source text."""
    return next(h.value for h in at.html if 'id="report-source"' in h.value)


def highlighted(html: str) -> list[int]:
    """Line numbers the source view highlights."""
    return [int(n) for n in re.findall(r'class="[^"]*\brs-hl\b[^"]*" id="rs-L(\d+)"', html)]


def param(at: AppTest, key: str) -> str | None:
    """One URL query parameter of the page as it stands (AppTest holds a value as a string or a list)."""
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def select_row(at: AppTest, key: str, row: int) -> None:
    """Select one row of a table, as a click on its row would, and rerun."""
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, [e.message for e in at.exception]


@pytest.fixture
def office(dashboard_db: Path) -> str:
    return report_id(dashboard_db, OFFICE)


def test_office_report_shows_its_r1_finding(office: str) -> None:
    at = run_page(PAGE, {"report": office})
    findings = table(at, "report_findings_")
    messages = set(findings["说明"])
    assert "自然人列：新收12+上年结转0 ≠ 办理总计16+结转下年0" in messages
    r1 = findings[findings["说明"].str.startswith("自然人列")]
    assert list(r1["行号"]) == [100, 101, 123, 124]  # the four cells of the identity, each with its line
    assert numeric(findings, "序号", "数值", "行号")
    assert list(r1["数值"]) == [12, 0, 16, 0]
    assert set(findings["规则"]) == {"R1", "PARSE"}  # the parser's own finding (16 zeros for 15 cells) too


def test_office_report_metadata(office: str) -> None:
    at = run_page(PAGE, {"report": office})
    meta = next(h.value for h in at.html if "rm-grid" in h.value)
    for text in (
        "张店区人民政府办公室",
        "2021版模板",
        "张店区人民政府",
        OFFICE,
        "纯文本",
        "utf-8",
        "第1版（共1版，最新）",
    ):
        assert text in meta
    assert at.selectbox(key="report_pick").value == office
    assert not at.warning  # a 2021 report on the 2021 template


def test_figure_shows_its_value_raw_text_and_line(office: str) -> None:
    at = run_page(PAGE, {"report": office})
    figures = table(at, "report_figures_")
    row = figures[figures["键"] == "outcome.total|natural_person"].iloc[0]
    assert numeric(figures, "数值", "行号")
    assert (row["数值"], row["原文"], row["行号"]) == (16, "16", 123)
    assert row["指标"] == "（七）总计（自然人）"
    line_123 = re.search(r'id="rs-L123">(.*?)</div>', source_view(at)).group(1)
    assert "总计" in line_123 and "16" in line_123


def test_selecting_a_figure_highlights_its_line(office: str) -> None:
    at = run_page(PAGE, {"report": office})
    assert highlighted(source_view(at)) == []
    figures = table(at, "report_figures_")
    row = int(figures.index[figures["键"] == "outcome.total|natural_person"][0])
    select_row(at, f"report_figures_{office}", row)
    html = source_view(at)
    assert highlighted(html) == [123]
    assert "scrollTop" in html  # the view scrolls to the highlighted line
    assert param(at, "line") == "123"  # a shared link opens on the same line


def test_the_last_picked_cell_wins(office: str) -> None:
    at = run_page(PAGE, {"report": office})
    figures = table(at, "report_figures_")
    select_row(at, f"report_figures_{office}", int(figures.index[figures["键"] == "rules.issued"][0]))
    assert highlighted(source_view(at)) == [82]
    findings = table(at, "report_findings_")
    cell = findings[(findings["说明"].str.startswith("自然人列")) & (findings["行号"] == 100)]
    select_row(at, f"report_findings_{office}", int(cell.index[0]))
    html = source_view(at)
    assert highlighted(html) == [100]
    assert re.search(r'class="rs-line rs-flag rs-hl" id="rs-L100"', html)  # a finding's line is also flagged


def test_a_line_in_the_url_is_highlighted(office: str) -> None:
    at = run_page(PAGE, {"report": office, "line": "131"})
    assert highlighted(source_view(at)) == [131]


def test_template_that_does_not_match_the_year_is_flagged(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"report": report_id(dashboard_db, "shizhong-district-health-bureau-2021.txt")})
    assert any("模板与年度不符" in w.value and "2019版模板" in w.value for w in at.warning)
    findings = table(at, "report_findings_")
    assert "增7" in set(findings["原文"])  # R9: the count cell printed "增7"


def test_picker_offers_the_selection(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府"})
    picker = at.selectbox(key="report_pick")
    assert picker.options == [
        "张店区人民政府 · 2021年 · 第1版（最新版）",
        "张店区人民政府 · 2014年 · 第1版（最新版）",
    ]
    assert param(at, "report") == report_id(dashboard_db, "zhangdian-district-gov-2021.txt")
    older = report_id(dashboard_db, "zhangdian-district-gov-2014.txt")
    picker.set_value(older).run()
    assert param(at, "report") == older
    assert "2014" in next(h.value for h in at.html if "rm-grid" in h.value)


def test_a_linked_report_opens_outside_the_selection(office: str) -> None:
    at = run_page(PAGE, {"agency": "张店区人民政府", "report": office})
    picker = at.selectbox(key="report_pick")
    assert picker.value == office
    assert len(picker.options) == 3  # the two of the selection and the linked one


def test_an_unknown_report_falls_back_with_a_warning(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"report": "no-such-report", "agency": "市中区卫生健康局"})
    assert any("不存在" in w.value for w in at.warning)
    assert param(at, "report") == report_id(dashboard_db, "shizhong-district-health-bureau-2021.txt")


def test_report_text_is_escaped(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"report": report_id(dashboard_db, "010_pingtan_zone_2016.txt")})
    html = source_view(at)
    assert "&lt;!--[if !supportLists]--&gt;" in html  # a Word comment leaked into this report's text
    assert "<!--[if" not in html


def test_prose_figure_is_marked_in_its_long_line(dashboard_db: Path) -> None:
    rid = report_id(dashboard_db, "016_pingtan_zone_2023.txt")  # its body is one line of some 3000 characters
    at = run_page(PAGE, {"report": rid})
    figures = table(at, "report_figures_")
    row = figures[figures["键"] == "proactive.items"].iloc[0]
    assert (row["数值"], row["原文"], row["行号"]) == (13561, "13561条", 10)
    select_row(at, f"report_figures_{rid}", int(row.name))
    html = source_view(at)
    assert highlighted(html) == [10]
    assert "<mark>13561条</mark>" in html


@pytest.fixture(scope="module")
def versions_built(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample database plus a second version of the office report in which one cell is printed "/" (built once
    for the module: the tests that use it only read it)."""
    from loaders.store import ingest

    folder = tmp_path_factory.mktemp("versions")
    db = folder / "reports.duckdb"
    shutil.copy(sample_db, db)
    lines = (REPORTS_DIR / OFFICE).read_text(encoding="utf-8").split("\n")
    assert lines[100].startswith("二、上年结转") and "\t\t0\t" in lines[100]
    lines[100] = lines[100].replace("\t\t0\t", "\t\t/\t", 1)  # 上年结转 · 自然人: not stated
    corrected = folder / "corrected" / OFFICE
    corrected.parent.mkdir()
    corrected.write_text("\n".join(lines), encoding="utf-8")
    assert ingest([corrected], db, progress=False).replaced == 1
    return db


@pytest.fixture
def versions_db(versions_built: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the dashboard at the database with two versions of the office report."""
    monkeypatch.setenv("GOVREPORT_DB", str(versions_built))
    return versions_built


def test_a_figure_not_stated_shows_as_not_stated_never_zero(versions_db: Path) -> None:
    at = run_page(PAGE, {"report": report_id(versions_db, OFFICE, version=2)})
    figures = table(at, "report_figures_")
    row = figures[figures["键"] == "requests.carried_over|natural_person"].iloc[0]
    assert pd.isna(row["数值"])  # empty, never 0
    assert (row["状态"], row["原文"], row["行号"]) == ("未填报", "/", 101)


def test_an_older_version_keeps_its_figures_and_links_the_others(versions_db: Path) -> None:
    at = run_page(PAGE, {"report": report_id(versions_db, OFFICE, version=1)})
    assert any("这是第1版" in i.value for i in at.info)
    figures = table(at, "report_figures_")
    assert figures[figures["键"] == "requests.carried_over|natural_person"].iloc[0]["数值"] == 0
    links = [p.value for p in at.get("page_link")]
    assert len(links) == 2 and any("第2版" in link and "最新" in link for link in links)
    # checks run on the newest version only: the old one keeps just the parser's own findings
    assert set(table(at, "report_findings_")["规则"]) == {"PARSE"}


def test_source_view_escapes_and_marks_a_unique_raw_text() -> None:
    html = source_html("<b>a</b>\n共收到申请16件，办结16件\n主动公开8257条", line=3, raw="8257条", flagged=[2])
    assert "&lt;b&gt;a&lt;/b&gt;" in html and "<b>" not in html
    assert "<mark>8257条</mark>" in html
    assert highlighted(html) == [3]
    twice = source_html("共收到申请16件，办结16件", line=1, raw="16")
    assert "<mark>" not in twice  # which of the two is meant is unknown, so neither is marked


def test_markdown_text_is_literal() -> None:
    assert markdown_text("[x](javascript:alert(1)) *b* :red[c]") == (
        r"\[x\]\(javascript\:alert\(1\)\) \*b\* \:red\[c\]"
    )


def test_digits_run_together_that_cannot_be_split_are_not_shown_as_a_number(dashboard_db: Path) -> None:
    at = run_page(PAGE, {"report": report_id(dashboard_db, "012_pingtan_zone_2019.txt")})
    figures = table(at, "report_figures_")
    row = figures[figures["键"] == "coercion.decisions"].iloc[0]
    assert pd.isna(row["数值"])
    assert (row["状态"], row["原文"], row["说明"]) == ("无法拆分", "126025", "数字连写，无法确定拆分")


@pytest.fixture
def private_db(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the sample database that the page may write to (corrections)."""
    db = Path(shutil.copy(sample_db, tmp_path / "reports.duckdb"))
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    return db


def correct_on_page(at: AppTest, report: str, figure: str, value: str, reason: str) -> None:
    """Fill in and submit the 更正数值 form of the page."""
    form = f"correct_{report}"
    at.selectbox(key=f"{form}_figure").set_value(figure)
    at.text_input(key=f"{form}_value").input(value)
    at.text_area(key=f"{form}_reason").input(reason)
    at.button(key=f"{form}_save").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]


def test_a_correction_made_on_a_stale_view_is_refused_and_the_input_kept(private_db: Path) -> None:
    office, form = report_id(private_db, OFFICE), f"correct_{report_id(private_db, OFFICE)}"
    hostile = "李四[x](evil.example)"  # an account name that is also Markdown
    accounts.add_user(private_db, hostile, accounts.REVIEWER, (), TEST_PASSWORD, by="tests")
    first, second = run_page(PAGE, {"report": office}), run_page(PAGE, {"report": office})  # both see 16
    first.session_state[SESSION_KEY] = hostile  # the first reviewer signs in as that account
    first.run()
    correct_on_page(first, office, "requests.new|total", "20", "原表总计少计4件")
    correct_on_page(second, office, "requests.new|total", "18", "据原始台账应为18件")
    (error,) = [e.value for e in second.error]
    assert error.startswith(f"数值已被他人更改：{markdown_text(hostile)}于") and "你看到的是16" in error, error
    assert (second.text_input(key=f"{form}_value").value, second.text_area(key=f"{form}_reason").value) == (
        "18",
        "据原始台账应为18件",
    )  # nothing the second reviewer typed is lost
    stored = "select value, corrected_by from figure_corrections where report_id = ? order by correction_id"
    assert dbutil.rows(private_db, stored, [office]) == [(20.0, hostile)]
    second.button(key=f"{form}_save").click().run()  # now made on the figure as it stands: saved
    assert any("已保存更正 #2" in s.value for s in second.success)
    assert dbutil.rows(private_db, stored, [office]) == [(20.0, hostile), (18.0, "测试管理员")]


def test_a_figure_corrected_on_the_page_is_marked_and_can_be_undone(private_db: Path) -> None:
    office = report_id(private_db, OFFICE)
    at = run_page(PAGE, {"report": office})
    correct_on_page(at, office, "requests.new|total", "二十", "原表总计少计4件")
    assert "不是数字" in " ".join(e.value for e in at.error)  # refused, nothing written
    correct_on_page(at, office, "requests.new|total", "20", "原表总计少计4件")
    assert any("已保存更正 #1" in s.value for s in at.success)
    figures = table(at, "report_figures_")
    corrected = figures[figures["键"] == "requests.new|total"]
    assert list(corrected[["数值", "状态", "原文"]].iloc[0]) == [20, "已更正", "16"]  # the printed text stays
    corrections = next(d.value for d in at.dataframe if "更正为" in d.value.columns)
    assert list(corrections[["原值", "更正为", "理由", "操作人", "状态"]].iloc[0]) == [
        16, 20, "原表总计少计4件", "测试管理员", "生效中"
    ]  # fmt: skip
    at.button(key=f"undo_{office}_save").click()
    at.run()
    figures = table(at, "report_figures_")
    assert list(figures[figures["键"] == "requests.new|total"][["数值", "状态"]].iloc[0]) == [16, ""]


def test_undoing_on_the_report_page_a_correction_made_from_a_finding_writes_into_its_thread(private_db: Path) -> None:
    from loaders import review

    office = report_id(private_db, OFFICE)
    key = dbutil.rows(
        private_db, "select finding_key from finding_reviews where rule = 'R1' and message like '自然人列%'"
    )[0][0]
    correction = review.correct_figure(
        private_db, office, "requests.new", "natural_person", 16, "原表自然人新收应为16件", "审核员甲", finding_key=key
    )
    at = run_page(PAGE, {"report": office})
    at.button(key=f"undo_{office}_save").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any(f"已撤销更正 #{correction}" in s.value for s in at.success), [e.value for e in at.error]
    state = (
        "select status, previous_status, changed_by from finding_status_events where finding_key = ? order by event_id"
    )
    assert dbutil.rows(private_db, state, [key]) == [
        ("已更正", "待核实", "审核员甲"),
        ("待核实", "已更正", "测试管理员"),
    ]
    ((last_note,),) = dbutil.rows(private_db, "select last_note from finding_reviews where finding_key = ?", [key])
    assert last_note == (
        f"撤销更正 #{correction}：一、本年新收政府信息公开申请数量（自然人）恢复为12。"
        "问题状态由“已更正”恢复为“待核实”。"
    )
