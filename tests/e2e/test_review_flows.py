"""The review workbench in a real browser: explain a finding and see the unit's score rise on 评分排名, and two
reviewers in two browser sessions writing explanations and statuses at once without losing anything. Each test
runs its own dashboard over its own copy of the sample database, since both write to it.

The finding is the R1 finding on the natural-person column of 张店区人民政府办公室's 2021 report (fixture
zhangdian-district-gov-office-2021.txt); the expected scores come from analytics.scoring and rubrics/default.toml,
run on the test's database, not from figures written here."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl
import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from analytics.queries import run
from analytics.rubric import load_rubric
from analytics.scoring import UnitScore, score_year
from loaders.review import STATUSES
from tests.e2e.app import PAGE_TITLES, App
from tests.e2e.server import Server, add_account

OFFICE = "张店区人民政府办公室"
YEAR = 2021
SOURCE = "zhangdian-district-gov-office-2021.txt"
NATURAL = "自然人列：新收12+上年结转0 ≠ 办理总计16+结转下年0"
ENTERPRISE = "商业企业列：新收2+上年结转0 ≠ 办理总计0+结转下年0"
RESEARCH = "科研机构列：新收2+上年结转0 ≠ 办理总计0+结转下年0"
PARSE = "第四部分应有15个数字，实际印有16个（0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0），按前15个读取"
EXPLAINED = STATUSES[1]  # 已说明
REJECTED = STATUSES[3]  # 不采纳
REVIEWER_MENU = [t for t in PAGE_TITLES if t not in ("导入", "账户与审计")]  # the pages a 核查人 sees
OFFICE_YEAR = {"agency": OFFICE, "from": str(YEAR), "to": str(YEAR)}  # the sidebar selection of the office's year


# --- the database, read beside the running dashboard ---------------------------------------------------------


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """A query's rows, on a read-only connection closed again at once (the dashboard swaps the file on writes)."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql(sql, params=params).fetchall()


def finding_key(db: Path, message: str) -> str:
    """The key of the office's 2021 finding with this message, checked to come from the office's report file."""
    found = rows(
        db,
        "select f.finding_key, r.source from finding_reviews f join reports r using (report_id)"
        " where f.agency = ? and f.year = ? and f.message = ?",
        [OFFICE, YEAR, message],
    )
    assert len(found) == 1 and found[0][1] == SOURCE, found
    return found[0][0]


def status_events(db: Path, key: str) -> list[tuple[str, str]]:
    """(status, who) of every status change of a finding, in order."""
    return rows(
        db, "select status, changed_by from finding_status_events where finding_key = ? order by event_id", [key]
    )


def stored_notes(db: Path, key: str) -> list[tuple[str, str]]:
    """(who, note) of every explanation of a finding, in order."""
    return rows(db, "select written_by, note from finding_notes where finding_key = ? order by note_id", [key])


def office_score(db: Path, explained: str | None = None) -> UnitScore:
    """The office's 2021 score by analytics.scoring and the default rubric; with `explained`, as it is once that
    finding's status is 已说明 (the same arithmetic on the same inputs, that one status changed)."""
    with duckdb.connect(str(db), read_only=True) as con:

        def fetch(name: str, **params) -> pl.DataFrame:
            frame = run(con, name, **params)
            if name == "score_findings" and explained:
                frame = frame.with_columns(
                    pl.when(pl.col("finding_key") == explained)
                    .then(pl.lit(EXPLAINED))
                    .otherwise(pl.col("status"))
                    .alias("status")
                )
            return frame

        scores = score_year(fetch, YEAR, load_rubric())
    return next(score for score in scores if score.unit == OFFICE)


def deduction_rows(score: UnitScore) -> list[dict[str, str]]:
    """The unit's deductions as the 评分排名 page tabulates them (指标, 分数, 原因, 证据)."""
    items = [(d, -d.points) for d in score.deductions] + [(d, d.points) for d in score.bonuses]
    return [
        {"指标": d.label, "分数": f"{round(p, 2):g}", "原因": d.reason, "证据": d.evidence_text()} for d, p in items
    ]


# --- the pages ---------------------------------------------------------------------------------------------


def open_scoring(app: App) -> None:
    """评分排名 for 2021, the sidebar narrowed to the office (so its details are the ones shown)."""
    app.open("scoring", "评分排名", {"agency": OFFICE})
    app.select("年度", f"{YEAR}年度")
    expect(app.selectbox("单位").get_by_role("combobox")).to_have_value(OFFICE)


def shown_total(app: App, expected: float) -> float:
    """The office's total as the unit's details show it, once it is the expected one."""
    line = app.main().get_by_text(re.compile(r"^总分 \S+\s+等次"))
    expect(line).to_contain_text(f"总分 {expected:g}")
    return float(re.match(r"总分 (\S+)", line.inner_text()).group(1))


def expect_deductions(app: App, score: UnitScore) -> list[dict[str, str]]:
    """Wait until the deductions table lists exactly the deductions the scoring code gives; return its rows."""
    wanted = deduction_rows(score)
    grid = app.table("证据")
    expect(grid.locator("tbody tr")).to_have_count(len(wanted))
    for row in wanted:
        expect(grid.locator("tbody tr").filter(has_text=row["证据"]).filter(has_text=row["原因"])).to_have_count(
            sum(r == row for r in wanted)
        )
    shown = app.rows("证据")
    assert sorted(map(str, shown)) == sorted(map(str, wanted)), shown
    return shown


def form(app: App) -> Locator:
    """The form that writes an explanation and a status (not the one that corrects a figure)."""
    return app.main().get_by_test_id("stForm").filter(has=app.page.get_by_role("textbox", name="情况说明"))


def open_finding(app: App, key: str, message: str) -> None:
    """A finding's page by its link (?finding=...) in a new session, the sidebar narrowed to the office's findings
    of the year (so the list above is short); wait until its form is drawn."""
    app.open("findings", "问题核查", {"finding": key, **OFFICE_YEAR})
    expect_finding(app, message)


def expect_finding(app: App, message: str, rule: str = "R1 错误") -> None:
    """Wait until the page shows this finding of the office (its rule and severity as the heading gives them), with
    its form."""
    expect(app.main().get_by_role("heading", name=f"{OFFICE} · {YEAR}年 · {rule}")).to_be_visible()
    expect(app.main().get_by_test_id("stMarkdownContainer").get_by_text(message, exact=True)).to_be_visible()
    app.wait_idle()  # the form of the finding shown before is gone by then
    expect(form(app).get_by_role("button", name="保存")).to_be_visible()


def write(app: App, note: str, status: str | None = None) -> None:
    """Fill in the form without saving: the explanation and the status (the signed-in account is the writer)."""
    form(app).get_by_label("情况说明").fill(note)
    if status is not None:
        app.select("状态", status)


def save(app: App) -> None:
    """Click 保存 (without waiting for what the page does next)."""
    form(app).get_by_role("button", name="保存").click()


def thread_entry(app: App, name: str, text: str) -> Locator:
    """The entry of the finding's thread written by `name` that contains `text` (a note, or a status change)."""
    entries = app.main().get_by_test_id("stVerticalBlock").filter(has=app.page.get_by_text(re.compile(f"^{name} · ")))
    return entries.filter(has_text=text).last


def expect_thread(app: App, count: int, *entries: tuple[str, str]) -> None:
    """Wait until the thread holds `count` entries, among them these (name, text) ones."""
    expect(app.main().get_by_role("heading", name=f"核查记录（{count}）")).to_be_visible()
    for name, text in entries:
        expect(thread_entry(app, name, text)).to_be_visible()


def refusal(app: App) -> Locator:
    """The message that refuses a status change made on a stale view."""
    return app.main().get_by_test_id("stAlert").filter(has_text="状态已被他人更改")


def saved_or_refused(app: App) -> bool:
    """Wait until the page reports the outcome of its write: True when saved, False when refused."""
    outcome = app.main().get_by_test_id("stAlert").filter(has_text=re.compile("^已保存。$|状态已被他人更改"))
    expect(outcome).to_be_visible()
    app.wait_idle()
    return outcome.inner_text().strip() == "已保存。"


def expect_saved(app: App) -> None:
    """Wait until the page says the write was saved and the form is ready for the next explanation."""
    expect(app.main().get_by_test_id("stAlert").filter(has_text="已保存。")).to_be_visible()
    expect(form(app).get_by_label("情况说明")).to_have_value("")
    app.wait_idle()


# --- open a finding, explain it, see the score change ----------------------------------------------------------


def test_explain_a_finding_and_see_the_score_rise(
    page: Page, own_server: Server, open_app: Callable[[Page, Server], App]
) -> None:
    key = finding_key(own_server.db, NATURAL)
    before, after = office_score(own_server.db), office_score(own_server.db, explained=key)
    assert after.total > before.total  # the rubric deducts for an unexplained R1 finding (问题均已说明)
    waiting = f"（待核实）：{NATURAL}"  # the evidence names the finding by its words and status, not its key
    assert [d.label for d in before.deductions if waiting in d.evidence_text()] == ["表格数据勾稽相符", "问题均已说明"]
    add_account(own_server.db, "王芳", "核查人")
    app = open_app(page, own_server, "王芳", REVIEWER_MENU)

    open_scoring(app)
    assert shown_total(app, before.total) == pytest.approx(before.total)
    shown = expect_deductions(app, before)
    assert {r["指标"] for r in shown if waiting in r["证据"]} == {"表格数据勾稽相符", "问题均已说明"}
    app.shot("scoring-before")

    app.open("findings", "问题核查", OFFICE_YEAR)
    app.pick_row("问题", NATURAL)  # the office's 2021 findings: pick the natural-person R1 one
    app.expect_query(finding=key)
    expect_finding(app, NATURAL)
    expect(app.main().get_by_text(re.compile(r"^状态：待核实\s+情况说明 0 条$"))).to_be_visible()
    expect_thread(app, 0)
    note = "经与单位核实，自然人申请新收16件，表中误填为12件，单位已在网站更正。"
    write(app, note, status=EXPLAINED)
    save(app)
    expect_saved(app)
    expect_thread(app, 2, ("王芳", note), ("王芳", f"待核实 → {EXPLAINED}"))
    expect(app.main().get_by_text(re.compile(rf"^状态：{EXPLAINED}（王芳，"))).to_be_visible()
    expect(form(app).get_by_text("操作人：王芳（核查人）")).to_be_visible()  # the signed-in account, never typed
    app.shot("finding-explained")

    open_scoring(app)
    assert shown_total(app, after.total) == pytest.approx(after.total)
    shown = expect_deductions(app, after)
    assert not [r for r in shown if waiting in r["证据"]]
    assert {r["指标"] for r in shown if f"（{EXPLAINED}）：{NATURAL}" in r["证据"]} == {"表格数据勾稽相符"}
    assert len(shown) == len(deduction_rows(before)) - 1  # only the 问题均已说明 deduction of this finding is gone
    app.shot("scoring-after")

    link = app.main().get_by_role("link", name=f"问题核查：表格数据勾稽相符（R1，{EXPLAINED}）· {NATURAL}", exact=True)
    expect(link).to_have_attribute("href", re.compile(rf"^/?findings\?finding={key}$"))
    link.click()  # the deduction's link back to its finding
    app.wait_for_page("问题核查")
    expect_finding(app, NATURAL)
    expect_thread(app, 2, ("王芳", note))
    assert status_events(own_server.db, key) == [(EXPLAINED, "王芳")]
    assert stored_notes(own_server.db, key) == [("王芳", note)]


# --- two browser sessions at once ---------------------------------------------------------------------------------


def test_two_sessions_editing_findings_at_once_lose_nothing(
    page: Page,
    new_context: Callable[..., BrowserContext],
    own_server: Server,
    open_app: Callable[[Page, Server], App],
) -> None:
    first, second, third = (finding_key(own_server.db, m) for m in (NATURAL, ENTERPRISE, RESEARCH))
    for name in ("王芳", "李明"):
        add_account(own_server.db, name, "核查人")
    alice = open_app(page, own_server, "王芳", REVIEWER_MENU)
    bob = open_app(new_context().new_page(), own_server, "李明", REVIEWER_MENU)  # another user, another session

    # the same finding, both explanations saved at the same moment
    notes = {first: {}, second: {}}
    for app in (alice, bob):
        open_finding(app, first, NATURAL)
    notes[first]["王芳"] = "王芳：自然人申请数以登记台账为准，新收16件。"
    notes[first]["李明"] = "李明：已电话核实，表格第100行录入错误。"
    write(alice, notes[first]["王芳"])
    write(bob, notes[first]["李明"])
    save(alice)
    save(bob)  # straight after: both writes are under way together
    for app, name in ((alice, "王芳"), (bob, "李明")):
        expect_saved(app)
        expect(thread_entry(app, name, notes[first][name])).to_be_visible()
    alice.shot("two-sessions-first-alice")
    bob.shot("two-sessions-first-bob")

    # a second finding, picked from the list in the same sessions: no name is asked, the accounts write
    notes[second]["王芳"] = "王芳：商业企业申请2件已办结，办理结果漏填。"
    notes[second]["李明"] = "李明：同意，单位将补充办理结果。"
    for app, name in ((alice, "王芳"), (bob, "李明")):
        app.pick_row("问题", ENTERPRISE)
        app.expect_query(finding=second)
        expect_finding(app, ENTERPRISE)
        expect(form(app).get_by_label("姓名")).to_have_count(0)
        expect(form(app).get_by_text(f"操作人：{name}（核查人）")).to_be_visible()
        write(app, notes[second][name])
    save(bob)
    save(alice)
    for app in (alice, bob):
        expect_saved(app)

    # a new session sees both explanations of each finding, with both names
    carol = open_app(new_context().new_page(), own_server)
    for key, message in ((first, NATURAL), (second, ENTERPRISE)):
        open_finding(carol, key, message)
        expect_thread(carol, 2, *((name, text) for name, text in notes[key].items()))
        carol.shot(f"two-sessions-thread-{key}")
    stored = rows(own_server.db, "select finding_key, written_by, note from finding_notes order by note_id")
    assert sorted(stored) == sorted((key, name, text) for key in notes for name, text in notes[key].items())
    assert rows(own_server.db, "select count(*) from finding_status_events") == [(0,)]

    # a status changed by one while the other has the old one on screen: the stale change is refused, its note kept
    for app, message in ((alice, RESEARCH), (bob, RESEARCH)):
        app.pick_row("问题", message)
        app.expect_query(finding=third)
        expect_finding(app, message)
    write(alice, "王芳：科研机构申请2件已答复，属填报遗漏。", status=EXPLAINED)
    stale = "李明：该问题系模板理解差异，不构成错误。"
    write(bob, stale, status=REJECTED)  # bob still sees 待核实
    save(alice)
    expect_saved(alice)
    save(bob)
    expect(refusal(bob)).to_contain_text("王芳于")
    expect(refusal(bob)).to_contain_text(f"改为“{EXPLAINED}”（你看到的是“待核实”），本次未保存")
    expect(form(bob).get_by_label("情况说明")).to_have_value(stale)  # the note is still there to save
    expect(bob.selectbox("状态").get_by_role("combobox")).to_have_value(EXPLAINED)  # the picker shows the new status
    expect_thread(bob, 2, ("王芳", f"待核实 → {EXPLAINED}"))
    bob.shot("two-sessions-status-refused")
    assert rows(own_server.db, "select count(*) from finding_notes where note = ?", [stale]) == [(0,)]

    save(bob)  # saved again as it stands now: the note goes in, the status stays as alice set it
    expect_saved(bob)
    expect_thread(bob, 3, ("王芳", f"待核实 → {EXPLAINED}"), ("李明", stale))
    bob.shot("two-sessions-note-kept")
    assert status_events(own_server.db, third) == [(EXPLAINED, "王芳")]
    assert [name for name, _ in stored_notes(own_server.db, third)] == ["王芳", "李明"]

    # both change the status of one finding at the same moment, each seeing 待核实: one change lands, the other is
    # refused (the check and the write are one transaction), and the refused one's note is kept and saved after
    fourth = finding_key(own_server.db, PARSE)
    wanted = {
        "王芳": (EXPLAINED, "王芳：拆分错误系表格排版所致，不影响数据。"),
        "李明": (REJECTED, "李明：该问题不成立。"),
    }
    for app in (alice, bob):
        app.pick_row("问题", "第四部分应有15个数字")
        app.expect_query(finding=fourth)
        expect_finding(app, PARSE, rule="PARSE 警告")
    for app, name in ((alice, "王芳"), (bob, "李明")):
        write(app, wanted[name][1], status=wanted[name][0])
    save(alice)
    save(bob)  # straight after
    outcomes = {"王芳": saved_or_refused(alice), "李明": saved_or_refused(bob)}
    assert sorted(outcomes.values()) == [False, True], outcomes
    winner = next(name for name, saved in outcomes.items() if saved)
    loser, late = next((name, app) for name, app in (("王芳", alice), ("李明", bob)) if not outcomes[name])
    expect(refusal(late)).to_contain_text(f"{winner}于")
    expect(form(late).get_by_label("情况说明")).to_have_value(wanted[loser][1])
    expect(late.selectbox("状态").get_by_role("combobox")).to_have_value(wanted[winner][0])
    late.shot("two-sessions-same-moment-refused")
    save(late)
    expect_saved(late)
    expect_thread(
        late, 3, (winner, wanted[winner][1]), (winner, f"待核实 → {wanted[winner][0]}"), (loser, wanted[loser][1])
    )
    assert status_events(own_server.db, fourth) == [(wanted[winner][0], winner)]
    assert stored_notes(own_server.db, fourth) == [(winner, wanted[winner][1]), (loser, wanted[loser][1])]
