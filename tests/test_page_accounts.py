"""账户与审计 ("app_pages/accounts.py"): only a 管理员 opens it; accounts are created there with a password shown
once; the audit log lists every write with its account; the roster's earlier state is restored from its history."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loaders import accounts, review, roster
from loaders.accounts import Account
from tests import dbutil
from tests.apptest_support import run_page

PAGE = "app_pages/accounts.py"
ROSTER_A = (
    "单位,上级,层级,类型,同类组\n张店区人民政府,,区县级,政府,区县政府\n"
    "张店区人民政府办公室,张店区人民政府,区县级,办公室,区县办公室\n"
)
ROSTER_B = "单位,上级,层级,类型,同类组\n张店区人民政府,,区县级,政府,区县政府\n"


def table(at, column: str):
    """The table that has this column (tables inside tabs carry no key in AppTest), as pandas."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.fixture
def db(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the sample database that the page reads and writes."""
    copy = Path(shutil.copy(sample_db, tmp_path / "reports.duckdb"))
    monkeypatch.setenv("GOVREPORT_DB", str(copy))
    return copy


def test_an_administrator_creates_an_account_with_a_password_shown_once(db: Path) -> None:
    at = run_page(PAGE)
    at.text_input(key="account_add_name").input("zhangsan")
    at.selectbox(key="account_add_role").set_value(accounts.FILER)
    at.text_input(key="account_add_units").input("张店区人民政府办公室")
    at.button(key="account_add_save").click()
    at.run()
    assert not at.exception
    shown = " ".join(s.value for s in at.success)
    password = shown.rsplit("：", 1)[1]
    assert accounts.sign_in(db, "zhangsan", password) == Account("zhangsan", accounts.FILER, ("张店区人民政府办公室",))
    listed = table(at, "创建时间")
    assert "zhangsan" in set(listed["账户"])
    assert accounts.events(db)[0]["account"] == "测试管理员"


def test_a_refused_account_change_says_why_in_chinese(db: Path) -> None:
    at = run_page(PAGE)
    at.text_input(key="account_add_name").input("no units")
    at.button(key="account_add_save").click()
    at.run()
    assert "账户名应为" in " ".join(e.value for e in at.error)


@pytest.mark.parametrize("role", [accounts.REVIEWER, accounts.EVALUATOR, accounts.VIEWER])
def test_other_roles_are_refused_the_page(db: Path, role: str) -> None:
    at = run_page(PAGE, role=role)
    assert not [d for d in at.dataframe if "之前" in d.value.columns]
    assert not [t for t in at.text_input if t.key == "account_add_name"]


def test_every_write_is_in_the_audit_log_with_its_account(db: Path) -> None:
    key = dbutil.rows(db, "select finding_key from finding_reviews where rule = 'R1' limit 1")[0][0]
    review.review_finding(db, key, Account("wang", accounts.REVIEWER), note="已核实", status="已说明")
    at = run_page(PAGE)
    log = table(at, "之前")
    mine = log[log["账户"] == "wang"]
    assert set(mine["操作"]) == {"问题状态", "情况说明"}
    assert set(mine["角色"]) == {accounts.REVIEWER}
    status = mine[mine["操作"] == "问题状态"].iloc[0]
    assert ('"待核实"' in status["之前"], '"已说明"' in status["之后"]) == (True, True)


def test_the_roster_is_restored_from_its_history(db: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(ROSTER_A, encoding="utf-8")
    second.write_text(ROSTER_B, encoding="utf-8")
    roster.import_roster(first, db, "tests")
    roster.import_roster(second, db, "tests")  # 2 units -> 1: the first roster is kept in the log
    assert dbutil.rows(db, "select count(*) from roster_units")[0][0] == 1
    at = run_page(PAGE)
    imports = dbutil.rows(db, "select audit_id from audit_log where action = 'roster.import' order by audit_id")
    at.selectbox(key="restore_pick").set_value(imports[0][0])
    at.button(key="restore_after").click()
    at.run()
    assert not at.exception
    assert any("已恢复" in s.value for s in at.success)
    assert dbutil.rows(db, "select unit from roster_units order by position") == [
        ("张店区人民政府",),
        ("张店区人民政府办公室",),
    ]
    last = dbutil.rows(db, "select account, action from audit_log order by audit_id desc limit 1")[0]
    assert last == ("测试管理员", "roster.restore")


def test_a_rubric_is_restored_from_its_history_and_its_first_import_undone(db: Path) -> None:
    from analytics.rubric import checked_name
    from loaders import rubrics

    default = (Path(__file__).parent.parent / "rubrics" / "default.toml").read_text(encoding="utf-8")
    first = default.replace("政务公开年报评分细则（默认）", "试行细则", 1)
    second = first.replace("min_requests = 30", "min_requests = 10", 1)
    for text in (first, second):
        rubrics.import_rubric_bytes(text.encode(), "trial.toml", db, checked_name, "tests")
    stored = "select toml from rubrics where name = '试行细则'"
    assert dbutil.rows(db, stored) == [(second,)]
    imports = dbutil.rows(db, "select audit_id from audit_log where action = 'rubric.import' order by audit_id")
    at = run_page(PAGE)
    at.selectbox(key="restore_pick").set_value(imports[0][0])
    at.button(key="restore_after").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert dbutil.rows(db, stored) == [(first,)]  # the first version is back
    at.selectbox(key="restore_pick").set_value(imports[0][0])
    at.button(key="restore_before").click().run()
    assert dbutil.rows(db, stored) == []  # before its first import there was no such rubric
    last = dbutil.rows(db, "select account, action, target from audit_log order by audit_id desc limit 2")
    assert last == [("测试管理员", "rubric.restore", "试行细则")] * 2
