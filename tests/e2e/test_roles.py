"""Who may do what, in real Chromium against `streamlit run`: an anonymous visitor sees only the sign-in page; each
role signs in through the form and sees only its pages; a page refused to a role says so in Chinese; a 单位填报人
sees only its own unit's findings and cannot open another unit's finding or report nor upload its report (through
the page, and by a direct call of the writer); every write lands in the audit log with the account."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page, expect

from loaders import review
from loaders.accounts import Account, Refused
from tests.e2e.app import PAGE_TITLES, App
from tests.e2e.server import PASSWORD, Server, add_account

OFFICE = "张店区人民政府办公室"
GOVERNMENT = "张店区人民政府"
OTHER_UNITS_REPORT = "zhangdian-district-gov-2021.txt"  # the government's report, not the office's
STATISTICS = [
    "总览",
    "申请趋势",
    "办理结果",
    "复议诉讼",
    "报告详情",
    "主动公开",
    "建议提案",
    "单位对比",
    "报送情况",
    "工作要点",
]
EVALUATION = ["问题核查", "简报导出", "雷同检查", "评分排名"]
MENUS = {
    "核查人": [t for t in PAGE_TITLES if t in STATISTICS + EVALUATION],
    "评估人": [t for t in PAGE_TITLES if t in STATISTICS + EVALUATION],
    "只读": [t for t in PAGE_TITLES if t in STATISTICS],
    "单位填报人": [t for t in PAGE_TITLES if t in ("报告详情", "问题核查", "导入")],
}


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of a query on the server's database, on a read-only connection closed at once."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql, params=params).fetchall()
    finally:
        con.close()


def alert(app: App, text: str):
    """An alert of the main area containing `text`."""
    return app.main().get_by_test_id("stAlert").filter(has_text=text)


def test_an_anonymous_visitor_sees_only_the_sign_in_page(page: Page, server: Server) -> None:
    for path in ("", "findings", "accounts", "upload"):
        page.goto(f"{server.url}/{path}")
        expect(page.get_by_role("heading", name="登录")).to_be_visible()
        expect(page.get_by_test_id("stForm").get_by_role("button", name="登录", exact=True)).to_be_visible()
        expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
        expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
        expect(page.get_by_test_id("stMetric")).to_have_count(0)
    form = page.get_by_test_id("stForm")
    form.get_by_label("账户名").fill("admin")
    form.get_by_label("密码", exact=True).fill("not-the-password")
    form.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_test_id("stAlert").filter(has_text="账户名或密码错误")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)


@pytest.mark.parametrize(
    ("role", "refused_path", "refused_title"),
    [("核查人", "accounts", "账户与审计"), ("评估人", "upload", "导入"), ("只读", "scoring", "评分排名"),
     ("单位填报人", "overview", "总览")],
)  # fmt: skip
def test_each_role_signs_in_and_sees_only_its_pages(
    page: Page,
    module_server: Server,
    open_app: Callable[..., App],
    role: str,
    refused_path: str,
    refused_title: str,
) -> None:
    name = f"e2e-{role}"  # one account per role: the roles share a server
    add_account(module_server.db, name, role, (OFFICE,) if role == "单位填报人" else ())
    app = open_app(page, module_server, name, MENUS[role])
    first = MENUS[role][0]
    app.page.goto(app.url())
    app.wait_for_page(first)  # signs in through the form; the menu is the role's
    expect(app.sidebar().get_by_text(f"已登录：{name} · {role}")).to_be_visible()
    app.page.goto(app.url(refused_path))  # typed in the address bar: a new session, signed in again
    app.wait_for_page(refused_title)
    expect(alert(app, f"角色“{role}”不能打开“{refused_title}”页面")).to_be_visible()
    app.shot(f"refused-{refused_path}")


def test_a_filer_sees_and_writes_only_its_own_unit(
    page: Page, own_server: Server, open_app: Callable[..., App], reports_dir: Path
) -> None:
    db = own_server.db
    add_account(db, "tb", "单位填报人", (OFFICE,))
    app = open_app(page, own_server, "tb", MENUS["单位填报人"])

    app.open("findings", "问题核查")
    listed = app.rows("问题")
    assert listed and {row["单位"] for row in listed} == {OFFICE}
    assert app.chosen("单位") in ([], [OFFICE])
    app.shot("filer-findings")

    other_finding = rows(db, "select finding_key from finding_reviews where agency = ? limit 1", [GOVERNMENT])[0][0]
    app.open("findings", "问题核查", {"finding": other_finding})
    expect(alert(app, "无权查看")).to_be_visible()
    other_report = rows(db, "select report_id from reports where agency = ? limit 1", [GOVERNMENT])[0][0]
    app.open("report", "报告详情", {"report": other_report})
    expect(alert(app, "无权查看")).to_be_visible()
    expect(app.main().get_by_test_id("stDataFrame")).to_have_count(0)

    app.open("upload", "导入")
    app.page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        reports_dir / OTHER_UNITS_REPORT
    )
    expect(app.page.get_by_role("button", name=f"Remove {OTHER_UNITS_REPORT}")).to_be_visible()
    app.page.get_by_role("button", name="导入", exact=True).click()
    expect(app.page.get_by_role("heading", name="导入结果")).to_be_visible()
    app.expect_metrics(新增报告="0", 新版本="0", 失败文件="1")
    expect(alert(app, "无权操作其他单位的报告")).to_be_visible()
    app.shot("filer-upload-refused")

    # a direct call of the writer with the same account is refused as well, and writes nothing
    logged = rows(db, "select count(*) from audit_log")[0][0]
    with pytest.raises(Refused, match="无权操作其他单位"):
        review.add_note(db, other_finding, "越权说明", Account("tb", "单位填报人", (OFFICE,)))
    with pytest.raises(Refused, match="无权更改问题状态"):
        review.set_status(db, other_finding, "不采纳", Account("tb", "单位填报人", (OFFICE,)))
    assert rows(db, "select count(*) from audit_log")[0][0] == logged


def test_every_write_lands_in_the_audit_log_with_the_account(
    page: Page, own_server: Server, open_app: Callable[..., App], new_context
) -> None:
    db = own_server.db
    add_account(db, "tb", "单位填报人", (OFFICE,))
    own = rows(db, "select finding_key from finding_reviews where agency = ? limit 1", [OFFICE])[0][0]
    filer = open_app(page, own_server, "tb", MENUS["单位填报人"])
    filer.open("findings", "问题核查", {"finding": own})
    form = filer.main().get_by_test_id("stForm").filter(has=filer.page.get_by_role("textbox", name="情况说明"))
    expect(form.get_by_text("操作人：tb（单位填报人）")).to_be_visible()
    expect(form.get_by_label("状态")).to_have_count(0)  # a 单位填报人 explains; the status is the reviewers'
    form.get_by_label("情况说明").fill("本单位说明：已在网站更正。")
    form.get_by_role("button", name="保存").click()
    expect(alert(filer, "已保存。")).to_be_visible()
    assert rows(db, "select account, role, action, target from audit_log where action = 'finding.note'") == [
        ("tb", "单位填报人", "finding.note", own)
    ]

    admin = open_app(new_context().new_page(), own_server)
    admin.open("accounts", "账户与审计")
    admin.page.get_by_role("tab", name="审计日志").click()
    log = admin.rows("之前")
    assert any(row["账户"] == "tb" and row["操作"] == "情况说明" and row["对象"] == own for row in log), log[:3]
    admin.shot("audit-log")
    assert PASSWORD not in (own_server.db.parent / "reports.accounts.sqlite").read_bytes().decode("latin-1")
