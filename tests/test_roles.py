"""Roles in the dashboard (AppTest): an anonymous visitor sees only the sign-in page; the form signs in and locks
after repeated failures; each role opens only its pages and sees only the forms it may use; a 单位填报人 sees only
its own unit's findings and reports, and every write it may not make is refused by the writer too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders import accounts, review
from loaders.accounts import ADMIN, EVALUATOR, FILER, REVIEWER, VIEWER, Account, Refused
from tests import dbutil
from tests.apptest_support import ROOT, TEST_PASSWORD, account_for, dashboard_pages, run_page
from ui import auth
from ui import upload as upload_ui

PAGE_FILES = [entry[0] for entry in dashboard_pages()]
OFFICE = "张店区人民政府办公室"
GOVERNMENT = "张店区人民政府"


@pytest.fixture
def db(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the sample database that the pages read and write."""
    copy = Path(shutil.copy(sample_db, tmp_path / "reports.duckdb"))
    monkeypatch.setenv("GOVREPORT_DB", str(copy))
    return copy


def headers(at: AppTest) -> list[str]:
    return [h.value for h in at.header]


def errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def finding_of(db: Path, agency: str) -> str:
    """The key of one finding of the agency's reports."""
    return dbutil.rows(db, "select finding_key from finding_reviews where agency = ? limit 1", [agency])[0][0]


def test_an_anonymous_visitor_sees_only_the_sign_in_page(db: Path) -> None:
    for page in ("app_pages/overview.py", "app_pages/findings.py", "app_pages/accounts.py"):
        at = run_page(page, role=None)
        assert [s.value for s in at.subheader] == ["登录"]
        assert headers(at) == [] and not at.dataframe and not at.metric
        assert {t.key for t in at.text_input} == {"auth_name", "auth_password"}


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    at.button(key="auth_submit").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_sign_in_form_lets_an_account_in_and_refuses_a_wrong_password(db: Path) -> None:
    name = account_for(VIEWER)
    at = run_page(role=None)
    sign_in(at, name, "wrong-password")
    assert "账户名或密码错误" in errors(at) and headers(at) == []
    sign_in(at, name, TEST_PASSWORD)
    assert headers(at)[0] == "总览"
    assert any(f"已登录：{name} · 只读" in c.value for c in at.sidebar.caption)
    at.sidebar.button(key="auth_sign_out").click()
    at.run()
    assert headers(at) == [] and [s.value for s in at.subheader] == ["登录"]


def test_repeated_failures_lock_the_sign_in(db: Path) -> None:
    name = account_for(EVALUATOR)
    at = run_page(role=None)
    for _ in range(accounts.MAX_FAILURES):
        sign_in(at, name, "wrong-password")
    sign_in(at, name, TEST_PASSWORD)
    assert "已锁定" in errors(at) and headers(at) == []


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (ADMIN, set(PAGE_FILES)),
        (REVIEWER, set(PAGE_FILES) - {"app_pages/upload.py", "app_pages/accounts.py"}),
        (EVALUATOR, set(PAGE_FILES) - {"app_pages/upload.py", "app_pages/accounts.py"}),
        (
            VIEWER,
            set(PAGE_FILES)
            - {"app_pages/upload.py", "app_pages/accounts.py", "app_pages/findings.py", "app_pages/briefing.py"}
            - {"app_pages/similarity.py", "app_pages/scoring.py"},
        ),
        (FILER, {"app_pages/report.py", "app_pages/findings.py", "app_pages/upload.py"}),
    ],
)
def test_each_role_opens_only_its_pages(role: str, allowed: set[str]) -> None:
    found = Account("x", role, (OFFICE,) if role == FILER else ())
    assert {f for f in PAGE_FILES if auth.may_open(found, f)} == allowed


@pytest.mark.parametrize(
    ("role", "page", "title"),
    [(VIEWER, "app_pages/scoring.py", "评分排名"), (FILER, "app_pages/overview.py", "总览")],
)
def test_a_refused_page_says_so_in_chinese_and_never_runs(db: Path, role: str, page: str, title: str) -> None:
    at = run_page(page, role=role, units=(OFFICE,) if role == FILER else ())
    assert headers(at) == [title]  # no sidebar filters: the page's own code did not run
    assert f"角色“{role}”不能打开“{title}”页面" in errors(at)
    assert not at.dataframe and not at.metric


def test_a_read_only_role_sees_no_write_forms(db: Path) -> None:
    key = finding_of(db, OFFICE)
    at = run_page("app_pages/findings.py", {"finding": key}, role=EVALUATOR)
    assert not [a for a in at.text_area if a.key == f"review_{key}_note"]
    shown = " ".join(c.value for c in at.caption)
    assert "不能填写情况说明" in shown and "不能更正数值" in shown


def test_a_filer_explains_but_does_not_set_statuses(db: Path) -> None:
    key = finding_of(db, OFFICE)
    at = run_page("app_pages/findings.py", {"finding": key}, role=FILER, units=(OFFICE,))
    assert [a.key for a in at.text_area if a.key == f"review_{key}_note"]
    assert not [s for s in at.selectbox if s.key == f"review_{key}_status"]
    at.text_area(key=f"review_{key}_note").input("本单位说明：表格录入错误。")
    at.button(key=f"review_{key}_save").click()
    at.run()
    assert not at.exception
    written = dbutil.rows(db, "select written_by from finding_notes")
    assert written == [(account_for(FILER, (OFFICE,)),)]
    assert dbutil.rows(db, "select count(*) from finding_status_events")[0][0] == 0


def test_a_filer_sees_only_its_own_units_findings(db: Path) -> None:
    at = run_page("app_pages/findings.py", role=FILER, units=(OFFICE,))
    listed = next(d.value for d in at.dataframe if (d.key or "").startswith("findings_list_"))
    agencies = dbutil.rows(db, "select distinct agency from finding_reviews")
    assert len(agencies) > 1  # there are other units' findings to hide
    assert set(listed["单位"]) == {OFFICE}
    assert at.sidebar.multiselect(key="f_agency").options == [OFFICE]


def test_a_filer_cannot_open_another_units_finding_or_report_by_link(db: Path) -> None:
    at = run_page("app_pages/findings.py", {"finding": finding_of(db, GOVERNMENT)}, role=FILER, units=(OFFICE,))
    assert "无权查看" in errors(at)
    other = dbutil.rows(db, "select report_id from reports where agency = ? limit 1", [GOVERNMENT])[0][0]
    at = run_page("app_pages/report.py", {"report": other}, role=FILER, units=(OFFICE,))
    assert "无权查看" in errors(at)
    assert not [d for d in at.dataframe if (d.key or "").startswith("report_figures_")]


def test_direct_calls_with_a_wrong_role_or_unit_are_refused(db: Path) -> None:
    filer = Account("tb", FILER, (OFFICE,))
    other = finding_of(db, GOVERNMENT)
    logged = dbutil.rows(db, "select count(*) from audit_log")[0][0]
    with pytest.raises(Refused, match="无权操作其他单位"):
        review.add_note(db, other, "不是本单位的问题", filer)
    with pytest.raises(Refused, match="无权更改问题状态"):
        review.set_status(db, finding_of(db, OFFICE), "不采纳", filer)
    report = dbutil.rows(db, "select report_id from reports where agency = ? limit 1", [OFFICE])[0][0]
    with pytest.raises(Refused, match="无权更正数值"):
        review.correct_figure(db, report, "requests.new", "total", 1, "理由", Account("v", VIEWER))
    limited = Account("r", REVIEWER, (OFFICE,))
    with pytest.raises(Refused, match="无权操作其他单位"):
        review.set_status(db, other, "不采纳", limited)
    assert dbutil.rows(db, "select count(*) from audit_log")[0][0] == logged  # nothing was written


def test_a_filer_cannot_upload_another_units_report(db: Path) -> None:
    text = (ROOT / "tests" / "fixtures" / "reports" / "zhangdian-district-gov-2021.txt").read_bytes()
    logged = dbutil.rows(db, "select count(*) from audit_log")[0][0]
    outcome = upload_ui.import_uploads([upload_ui.Upload("gov.txt", text)], db, by=Account("tb", FILER, (OFFICE,)))
    assert [f.status for f in outcome.files] == ["failed"]
    assert "无权操作其他单位" in outcome.files[0].error
    outcome = upload_ui.import_uploads([upload_ui.Upload("gov.txt", text)], db, by=Account("v", VIEWER))
    assert "无权导入年报" in outcome.files[0].error
    assert dbutil.rows(db, "select count(*) from audit_log")[0][0] == logged


OIDC = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-cookie-secret-for-tests",
    "client_id": "dashboard",
    "client_secret": "secret",
    "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
}


def test_single_sign_on_is_offered_only_where_the_site_configures_it(db: Path) -> None:
    import authlib  # noqa: F401  Streamlit's st.login needs it: a site turning OIDC on finds it installed

    plain = run_page(role=None)
    assert [b.key for b in plain.button] == ["auth_submit"]
    configured = AppTest.from_file(str(Path(__file__).parent.parent / "dashboard.py"), default_timeout=120)
    configured.secrets["auth"] = OIDC
    configured.run()
    assert not configured.exception
    assert [b.key for b in configured.button] == ["auth_submit", "auth_oidc"]
    assert [b.label for b in configured.button if b.key == "auth_oidc"] == ["使用单点登录"]
