"""问题核查 ("app_pages/findings.py") on a private copy of the sample database: the list with its status counts and
filters, a finding's evidence and source lines, writing an explanation and a status through the form, conflicts,
and correcting a figure (and undoing it) from the finding."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders import review
from tests import dbutil
from tests.apptest_support import metrics, numeric, run_page
from ui.textview import markdown_text

ADMIN_NAME = "测试管理员"  # the account run_page signs in with

PAGE = "app_pages/findings.py"
R1_MESSAGE = "自然人列：新收12+上年结转0 ≠ 办理总计16+结转下年0"


def one(db: Path, sql: str, params: list | None = None):
    """The single value a query returns, read on a connection closed again at once."""
    return dbutil.rows(db, sql, params)[0][0]


def table(at: AppTest, prefix: str):
    """The st.dataframe whose key starts with `prefix`, as pandas."""
    return next(d for d in at.dataframe if (d.key or "").startswith(prefix)).value


def history(at: AppTest):
    """The table of corrections (a plain table, so found by its columns), as pandas."""
    return next(d.value for d in at.dataframe if "更正为" in d.value.columns)


def rerun(at: AppTest) -> AppTest:
    """Run the page again and fail on any exception."""
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def submit(at: AppTest, form: str, **fields: str) -> AppTest:
    """Fill the form's fields in the order given (by key suffix: `name` is the widget `{form}_name`; a select box is
    set, a text input or text area typed into), press its save button and run the page again."""
    for field, value in fields.items():
        key = f"{form}_{field}"
        if any(box.key == key for box in at.selectbox):
            at.selectbox(key=key).set_value(value)
        elif any(area.key == key for area in at.text_area):
            at.text_area(key=key).input(value)
        else:
            at.text_input(key=key).input(value)
    at.button(key=f"{form}_save").click()
    return rerun(at)


def texts(at: AppTest) -> str:
    """Every markdown, caption, success and error text on the page, joined."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [s.value for s in at.success] + [e.value for e in at.error] + [i.value for i in at.info]
    return "\n".join(parts)


@pytest.fixture
def db(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the sample database that the page reads and writes."""
    copy = Path(shutil.copy(sample_db, tmp_path / "reports.duckdb"))
    monkeypatch.setenv("GOVREPORT_DB", str(copy))
    return copy


@pytest.fixture
def key(db: Path) -> str:
    """The key of the R1 finding on the district office's natural-person column."""
    return one(db, "select finding_key from finding_reviews where rule = 'R1' and message = ?", [R1_MESSAGE])


def test_lists_every_finding_with_status_counts(db: Path) -> None:
    at = run_page(PAGE)
    listed = table(at, "findings_list_")
    assert R1_MESSAGE in set(listed["问题"])
    total = one(db, "select count(*) from finding_reviews")
    assert len(listed) == total and numeric(listed, "年度", "说明数")
    assert metrics(at) == {"问题总数": str(total), "待核实": str(total), "已说明": "0", "已更正": "0", "不采纳": "0"}
    assert "选择一个问题" in texts(at)


def test_filters_by_rule_status_and_severity(db: Path, key: str) -> None:
    review.set_status(db, key, "已说明", "张三")
    at = run_page(PAGE)
    at.multiselect(key="fw_status").set_value(["已说明"])
    listed = table(rerun(at), "findings_list_")
    assert list(listed["问题"]) == [R1_MESSAGE]
    at.multiselect(key="fw_status").set_value([])
    at.multiselect(key="fw_rule").set_value(["R1"])
    at.multiselect(key="fw_severity").set_value(["error"])
    listed = table(rerun(at), "findings_list_")
    assert set(listed["规则"]) == {"R1"} and len(listed) == 3
    at.multiselect(key="f_agency").set_value(["市中区卫生健康局"])  # a unit without R1 findings
    rerun(at)
    assert any("没有符合条件的问题" in i.value for i in at.info)
    assert at.multiselect(key="fw_rule").value == ["R1"]


def test_picking_a_finding_shows_its_evidence_and_source_lines(db: Path, key: str) -> None:
    at = run_page(PAGE)
    rows = list(table(at, "findings_list_")["问题"])
    at.session_state[next(d.key for d in at.dataframe if d.key.startswith("findings_list_"))] = {
        "selection": {"rows": [rows.index(R1_MESSAGE)], "columns": [], "cells": []}
    }
    rerun(at)
    assert at.query_params["finding"] in (key, [key])
    evidence = table(at, f"finding_evidence_{key}")
    assert list(evidence["行号"]) == [100, 101, 123, 124]
    assert numeric(evidence, "数值", "行号") and list(evidence["数值"]) == [12, 0, 16, 0]
    source = next(h.value for h in at.html if 'id="report-source"' in h.value)
    assert 'class="rs-line rs-flag rs-hl" id="rs-L100"' in source  # the first cell's line, highlighted
    assert all(f'rs-flag" id="rs-L{n}"' in source for n in (101, 123, 124))
    links = [p for p in at.get("page_link") if "报告详情" in p.proto.label]
    report = one(db, "select report_id from finding_reviews where finding_key = ?", [key])
    assert [p.proto.page for p in links] == ["report"]
    assert links[0].proto.query_string.endswith(f"report={report}&line=100")


def test_an_explanation_and_a_status_written_through_the_form(db: Path, key: str) -> None:
    at = run_page(PAGE, {"finding": key})
    form = f"review_{key}"
    submit(at, form, note="经与单位核实，自然人新收应为16件，表格录入有误。", status="已说明")
    shown = texts(at)
    assert "已保存" in shown
    assert markdown_text("经与单位核实，自然人新收应为16件，表格录入有误。") in shown
    assert "待核实 → **已说明**" in shown and f"{ADMIN_NAME} · " in shown
    assert metrics(at)["已说明"] == "1"
    assert at.text_area(key=f"{form}_note").value == ""  # ready for the next explanation
    assert not [t for t in at.text_input if t.key == f"{form}_name"]  # no name is typed: the account writes
    assert f"操作人：{ADMIN_NAME}（管理员）" in shown
    assert one(db, "select status || '|' || changed_by from finding_status_events") == f"已说明|{ADMIN_NAME}"
    again = run_page(PAGE, {"finding": key})  # a new session reads it back from the database
    listed = table(again, "findings_list_")
    assert list(listed[listed["问题"] == R1_MESSAGE]["状态"]) == ["已说明"]
    assert "经与单位核实" in texts(again)


def test_a_status_changed_by_someone_else_meanwhile_is_refused(db: Path, key: str) -> None:
    at = run_page(PAGE, {"finding": key})  # the reviewer sees 待核实
    review.set_status(db, key, "已说明", "李四")  # another reviewer, in another session
    form = f"review_{key}"
    submit(at, form, note="不成立", status="不采纳")
    errors = " ".join(e.value for e in at.error)
    assert "李四" in errors and "已说明" in errors
    assert at.text_area(key=f"{form}_note").value == "不成立"  # kept for another try
    assert one(db, "select count(*) from finding_notes") == 0
    assert one(db, "select count(*) from finding_status_events") == 1


def test_the_status_picker_follows_a_change_made_elsewhere(db: Path, key: str) -> None:
    at = run_page(PAGE, {"finding": key})
    assert at.selectbox(key=f"review_{key}_status").value == "待核实"
    review.set_status(db, key, "已说明", "李四")  # another reviewer, in another session
    rerun(at)
    assert at.selectbox(key=f"review_{key}_status").value == "已说明"  # a note alone will not write 待核实 back
    submit(at, f"review_{key}", note="补充说明")
    assert one(db, "select list(status order by event_id) from finding_status_events") == ["已说明"]
    assert one(db, "select count(*) from finding_notes") == 1


def test_an_empty_submission_is_refused_with_a_reason(db: Path, key: str) -> None:
    at = run_page(PAGE, {"finding": key})
    submit(at, f"review_{key}")
    assert "没有要保存" in " ".join(e.value for e in at.error)


def test_correcting_a_cell_of_the_finding_and_undoing_it(db: Path, key: str) -> None:
    report = one(db, "select report_id from finding_reviews where finding_key = ?", [key])
    at = run_page(PAGE, {"finding": key})
    form = f"correct_{report}"
    picker = at.selectbox(key=f"{form}_figure")
    assert len(picker.options) == 4  # the finding's own cells
    assert "一、本年新收政府信息公开申请数量（自然人） · 第100行 · 当前值 12 · 原文“12”" in picker.options
    submit(at, form, figure="requests.new|natural_person", value="16", reason="原表自然人新收应为16件")
    shown = texts(at)
    assert "已保存更正 #1" in shown
    assert R1_MESSAGE not in set(table(at, "findings_list_")["问题"])  # the check holds on the corrected value
    assert list(table(at, "findings_gone_list")["问题"]) == [R1_MESSAGE]  # still in sight, with its thread
    assert "不再出现" in shown
    assert markdown_text("更正数值 #1：一、本年新收政府信息公开申请数量（自然人）由12改为16。") in shown
    corrections = history(at)
    assert numeric(corrections, "原值", "更正为")
    assert (list(corrections["原值"]), list(corrections["更正为"]), list(corrections["状态"])) == (
        [12],
        [16],
        ["生效中"],
    )
    assert list(corrections["操作人"]) == [ADMIN_NAME]
    at.button(key=f"undo_{report}_save").click()
    rerun(at)
    assert R1_MESSAGE in set(table(at, "findings_list_")["问题"])
    assert markdown_text("撤销更正 #1：一、本年新收政府信息公开申请数量（自然人）恢复为12。") in texts(at)
    states = list(history(at)["状态"])
    assert states[0] == "撤销操作（撤销 #1）" and states[1].startswith(f"已撤销（{ADMIN_NAME}，")


def test_a_link_to_an_unknown_finding_says_so(db: Path) -> None:
    at = run_page(PAGE, {"finding": "0000000000000000"})
    assert any("不存在" in w.value for w in at.warning)


def test_a_correction_from_the_finding_marks_it_corrected_and_its_undo_tells_the_thread(db: Path, key: str) -> None:
    report = one(db, "select report_id from finding_reviews where finding_key = ?", [key])
    review.review_finding(db, key, "审核员甲", note="请单位核实自然人一列", status="已说明")
    at = run_page(PAGE, {"finding": key})
    form = f"correct_{report}"
    submit(at, form, figure="requests.new|natural_person", value="16", reason="原表自然人新收应为16件")
    gone = table(at, "findings_gone_list")
    assert list(gone["状态"]) == ["已更正"]  # set by the correction made from the finding
    at.button(key=f"undo_{report}_save").click()
    rerun(at)
    listed = table(at, "findings_list_").set_index("问题").loc[R1_MESSAGE]
    undo = "撤销更正 #1：一、本年新收政府信息公开申请数量（自然人）恢复为12。问题状态由“已更正”恢复为“已说明”。"
    assert (listed["状态"], listed["最近说明"]) == ("已说明", undo)  # 最近说明 is the undo, not the correction
    shown = texts(at)
    assert markdown_text(undo) in shown
    assert shown.index(markdown_text("更正数值 #1")) < shown.index(markdown_text(undo))  # the thread in order
