"""A stored report filed under another unit or year (renamed, identified, or its name confirmed as another name of a
roster unit): the report keeps its versions, figures, text and corrections, and the record of review of its findings
(explanations, statuses, correction links, and so the score) follows it to the findings' new keys; an undo still
finds its finding afterwards (real report files, real DuckDB file)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

import config
from analytics.queries import run
from analytics.rubric import DEFAULT_RUBRIC, load_rubric
from analytics.scoring import score_year
from loaders import identify, rename, review, roster, store
from loaders.accounts import ADMIN, FILER, REVIEWER, VIEWER, Account, Refused
from loaders.cli import main
from loaders.model import Given
from loaders.review import ReviewError
from tests.apptest_support import run_page
from tests.dbutil import current_report_id, query, rows
from tests.test_unit_alias import UNIT, VARIANT, next_year_report
from ui.textview import markdown_text

OFFICE = "张店区人民政府办公室"
GOV = "张店区人民政府"
PREFIXED = "淄博市张店区人民政府办公室"  # the office written with its city's name, as a filer may
NAMELESS = Path(__file__).parent / "fixtures" / "unidentified" / "annual-disclosure-report.txt"
REVIEWER_A = Account("核查人甲", REVIEWER)


def key_of(db: Path, report_id: str, rule: str, start: str) -> str:
    """The key of the current finding of a report with that rule whose message starts with `start`."""
    found = rows(
        db,
        "select finding_key from findings where report_id = ? and rule = ? and starts_with(message, ?)",
        [report_id, rule, start],
    )
    assert len(found) == 1, found
    return found[0][0]


def thread(db: Path, key: str) -> list[str]:
    """The notes of a finding's thread, oldest first."""
    return [n for (n,) in rows(db, "select note from finding_notes where finding_key = ? order by note_id", [key])]


def status(db: Path, key: str) -> str | None:
    """A finding's current status as the pages read it (None: never set)."""
    found = rows(db, "select status from stg_finding_review_state where finding_key = ?", [key])
    return found[0][0] if found else None


def scores(db: Path, year: int) -> dict:
    """The units' scores of a year under the default rubric."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = score_year(lambda name, **p: run(con, name, **p), year, load_rubric(DEFAULT_RUBRIC))
    finally:
        con.close()
    return {s.unit: s for s in found}


def figures_of(db: Path, report_id: str) -> list[tuple]:
    """Every stored figure of a report with its raw text and location, in a fixed order."""
    return rows(db, "select * exclude (report_id) from figures where report_id = ? order by all", [report_id])


def gone_keys(db: Path) -> set[str]:
    """Keys the findings page lists as no longer occurring."""
    frame = query(
        db, "findings_gone", regions=[], levels=[], types=[], agencies=[], year_from=None, year_to=None
    )  # fmt: skip
    return set(frame["finding_key"].to_list())


@pytest.fixture
def reviewed(sample_copy: Path) -> dict:
    """The office's 2021 report with one finding explained and set 已说明, and a figure corrected from another finding
    (which the correction makes go away)."""
    report_id = current_report_id(sample_copy, OFFICE, 2021)
    explained = key_of(sample_copy, report_id, "R1", "自然人列")
    corrected = key_of(sample_copy, report_id, "R1", "商业企业列")
    review.review_finding(sample_copy, explained, "核查人甲", note="自然人列多计4件，已向填报单位核实", status="已说明")
    correction = review.correct_figure(
        sample_copy, report_id, "requests.new", "commercial", 0, "表内误填", "核查人甲", finding_key=corrected
    )
    assert gone_keys(sample_copy) == {corrected}
    note = thread(sample_copy, corrected)[-1]
    return {"db": sample_copy, "report_id": report_id, "correction": correction, "corrected_note": note,
            "keys": (explained, corrected)}  # fmt: skip


def test_a_renamed_report_keeps_itself_and_its_record_of_review_and_undo_still_works(reviewed: dict) -> None:
    db, report_id = reviewed["db"], reviewed["report_id"]
    figures = figures_of(db, report_id)
    text = rows(db, "select text, source, source_path, content_hash from reports where report_id = ?", [report_id])
    total = scores(db, 2021)[OFFICE].total

    done = rename.rename(db, report_id, agency=PREFIXED, by=REVIEWER_A)

    assert (done.report_id, done.before, done.after, done.carried) == (
        report_id, (OFFICE, 2021, 1), (PREFIXED, 2021, 1), 2
    )  # fmt: skip
    assert figures_of(db, report_id) == figures  # values, raw text, lines and source locations untouched
    assert rows(db, "select text, source, source_path, content_hash from reports where report_id = ?", [report_id]) == (
        text
    )
    assert current_report_id(db, PREFIXED, 2021) == report_id
    assert rows(db, "select count(*) from fct_reports where agency = ?", [OFFICE]) == [(0,)]
    corrected_value = "select value from stg_figures_corrected where report_id = ? and metric = ? and applicant = ?"
    assert rows(db, corrected_value, [report_id, "requests.new", "commercial"]) == [(0.0,)]  # the correction stays
    explained = key_of(db, report_id, "R1", "自然人列")
    assert rows(db, "select agency from findings where finding_key = ?", [explained]) == [(PREFIXED,)]
    assert status(db, explained) == "已说明"
    assert thread(db, explained)[0] == "自然人列多计4件，已向填报单位核实"
    assert "改为“淄博市张店区人民政府办公室2021年”" in thread(db, explained)[-1]
    # the thread's entry saying the record moved is no explanation: 说明数 and 最近说明 still read the reviewer's note
    review_state = "select note_count, last_note from stg_finding_review_state where finding_key = ?"
    assert rows(db, review_state, [explained]) == [(1, "自然人列多计4件，已向填报单位核实")]
    assert scores(db, 2021)[PREFIXED].total == total and OFFICE not in scores(db, 2021)
    # the finding the correction made go away is still listed as gone, once, under its new key and unit
    (gone,) = gone_keys(db)
    assert gone not in reviewed["keys"] and status(db, gone) == "已更正"
    assert rows(db, "select agency from stg_finding_last_record where finding_key = ?", [gone]) == [(PREFIXED,)]
    ((account, before, after),) = rows(
        db, "select account, before::varchar, after::varchar from audit_log where action = 'report.rename'"
    )
    assert account == "核查人甲" and OFFICE in before and PREFIXED in after

    # the undo finds the finding under its new key: the finding comes back there with its thread and status
    review.undo_correction(db, reviewed["correction"], "核查人乙", "核实后原表无误")
    back = key_of(db, report_id, "R1", "商业企业列")
    assert rows(db, "select agency from findings where finding_key = ?", [back]) == [(PREFIXED,)]
    notes = thread(db, back)
    assert notes[0] == reviewed["corrected_note"] and notes[-1].startswith(f"撤销更正 #{reviewed['correction']}：")
    assert "问题状态由“已更正”恢复为“待核实”" in notes[-1]
    assert status(db, back) == "待核实" and back == gone
    assert gone_keys(db) == set()


def test_renamed_back_the_thread_is_not_doubled(reviewed: dict) -> None:
    db, report_id = reviewed["db"], reviewed["report_id"]
    explained = key_of(db, report_id, "R1", "自然人列")
    rename.rename(db, report_id, agency=PREFIXED, by="核查人甲")
    rename.rename(db, report_id, agency=OFFICE, by="核查人甲")
    assert key_of(db, report_id, "R1", "自然人列") == explained
    notes = thread(db, explained)
    assert notes.count("自然人列多计4件，已向填报单位核实") == 1 and len(notes) == 3  # the note and two moves
    assert status(db, explained) == "已说明"
    # the report states its own name again: no finding says a user replaced it
    assert rows(
        db, "select count(*) from parse_findings where report_id = ? and message like '%用户指定%'", [report_id]
    )[0] == (0,)


def test_renamed_onto_a_unit_and_year_with_a_report_it_becomes_the_next_version_there(reviewed: dict) -> None:
    db, report_id = reviewed["db"], reviewed["report_id"]
    first = current_report_id(db, GOV, 2021)
    done = rename.rename(db, report_id, agency=GOV, by="核查人甲")
    assert done.after == (GOV, 2021, 2)
    assert current_report_id(db, GOV, 2021) == report_id
    assert rows(db, "select version from reports where report_id = ?", [first]) == [(1,)]  # kept, as an ingest keeps
    assert status(db, key_of(db, report_id, "R1", "自然人列")) == "已说明"
    # the year alone can change too
    moved = rename.rename(db, report_id, year=2020, by="核查人甲")
    assert moved.after == (GOV, 2020, 1) and current_report_id(db, GOV, 2021) == first


def test_a_rename_onto_the_same_report_is_refused_naming_both(sample_copy: Path, tmp_path: Path) -> None:
    original = Path(__file__).parent / "fixtures" / "reports" / "zhangdian-district-gov-2021.txt"
    copy = tmp_path / "copy" / "gov-2021-again.txt"
    copy.parent.mkdir()
    copy.write_text(original.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")  # other bytes, same report
    store.ingest([copy], sample_copy, progress=False, given=lambda _: Given("张店区政府", None))
    stray = current_report_id(sample_copy, "张店区政府", 2021)
    audit = rows(sample_copy, "select count(*) from audit_log")
    with pytest.raises(ReviewError) as refused:
        rename.rename(sample_copy, stray, agency=GOV, by="核查人甲")
    assert original.name in refused.value.zh and copy.name in refused.value.zh
    assert current_report_id(sample_copy, GOV, 2021) in refused.value.zh and stray in refused.value.zh
    assert rows(sample_copy, "select count(*) from audit_log") == audit
    assert current_report_id(sample_copy, "张店区政府", 2021) == stray


def test_who_may_rename(sample_copy: Path) -> None:
    report_id = current_report_id(sample_copy, OFFICE, 2021)
    audit = rows(sample_copy, "select count(*) from audit_log")
    for account in (Account("填报人", FILER, (OFFICE,)), Account("只读", VIEWER)):
        with pytest.raises(Refused):
            rename.rename(sample_copy, report_id, agency=GOV, by=account)
    limited = Account("核查人丙", REVIEWER, (OFFICE,))
    with pytest.raises(Refused, match=GOV):  # the new unit is not one of its units
        rename.rename(sample_copy, report_id, agency=GOV, by=limited)
    with pytest.raises(Refused, match=OFFICE):  # nor is the old one
        rename.rename(sample_copy, current_report_id(sample_copy, GOV, 2021), agency=OFFICE, by=limited)
    assert rows(sample_copy, "select count(*) from audit_log") == audit
    with pytest.raises(ReviewError, match="无需更改"):
        rename.rename(sample_copy, report_id, agency=OFFICE, year=2021, by=Account("管理员", ADMIN))
    with pytest.raises(ReviewError, match="没有报告"):
        rename.rename(sample_copy, "no-such-report", agency=GOV, by="核查人甲")
    both = Account("核查人丁", REVIEWER, (OFFICE, GOV))
    assert rename.rename(sample_copy, report_id, agency=GOV, by=both).after == (GOV, 2021, 2)


def test_the_command_line_renames_in_chinese_and_english(sample_copy: Path, capsys: pytest.CaptureFixture) -> None:
    source = "zhangdian-district-gov-office-2021.txt"
    code = main(["rename", source, "--agency", PREFIXED, "--by", "核查人甲", "--db", str(sample_copy)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert f"{OFFICE} 2021年第1版 → {PREFIXED} 2021年第1版" in out and "v1 →" in out
    code = main(["rename", source, "--year", "2021", "--agency", PREFIXED, "--db", str(sample_copy)])
    out, err = capsys.readouterr()
    assert code == 1 and "无需更改" in err and "already filed" in err


def test_an_identified_report_takes_its_record_of_review_along(sample_copy: Path, tmp_path: Path) -> None:
    nameless = tmp_path / "in" / NAMELESS.name
    nameless.parent.mkdir()
    shutil.copy(NAMELESS, nameless)
    store.ingest([nameless], sample_copy, progress=False)
    ((report_id,),) = rows(sample_copy, "select report_id from reports where source = ?", [NAMELESS.name])
    explained = key_of(sample_copy, report_id, "R1", "自然人列")
    corrected = key_of(sample_copy, report_id, "R1", "商业企业列")
    review.review_finding(sample_copy, explained, "核查人甲", note="待确认单位后核实", status="已说明")
    correction = review.correct_figure(
        sample_copy, report_id, "requests.new", "commercial", 0, "表内误填", "核查人甲", finding_key=corrected
    )

    identify.identify(sample_copy, report_id, OFFICE, 2021, "核查人甲")

    now = key_of(sample_copy, report_id, "R1", "自然人列")
    assert now != explained and status(sample_copy, now) == "已说明"
    assert thread(sample_copy, now)[0] == "待确认单位后核实" and "识别报告" in thread(sample_copy, now)[-1]
    review.undo_correction(sample_copy, correction, "核查人甲")
    back = key_of(sample_copy, report_id, "R1", "商业企业列")
    assert back != corrected and status(sample_copy, back) == "待核实"
    assert thread(sample_copy, back)[-1].startswith(f"撤销更正 #{correction}：")
    assert gone_keys(sample_copy) == set()


def test_a_name_confirmed_as_a_roster_unit_takes_its_record_of_review_along(
    sample_copy: Path, reports_dir: Path, tmp_path: Path
) -> None:
    roster.import_roster(config.SAMPLE_ROSTER, sample_copy)
    store.ingest([next_year_report(reports_dir, tmp_path)], sample_copy, progress=False)
    report_id = current_report_id(sample_copy, VARIANT, 2022)
    key = key_of(sample_copy, report_id, "R9", "二、上年结转")
    review.review_finding(sample_copy, key, "核查人甲", note="“00”为排版所致", status="已说明")
    correction = review.correct_figure(
        sample_copy, report_id, "requests.carried_over", "natural_person", 0, "上年无结转", "核查人甲", finding_key=key
    )
    assert status(sample_copy, key) == "已更正"

    roster.add_alias(sample_copy, VARIANT, UNIT, Account("管理员甲", ADMIN))

    now = key_of(sample_copy, report_id, "R9", "二、上年结转")
    assert now != key and rows(sample_copy, "select agency from findings where finding_key = ?", [now]) == [(UNIT,)]
    assert status(sample_copy, now) == "已更正"
    assert thread(sample_copy, now)[0] == "“00”为排版所致" and "确认名册单位" in thread(sample_copy, now)[-1]
    reviewed = query(sample_copy, "score_findings", year=2022).filter(finding_key=now)
    assert reviewed["status"].to_list() == ["已更正"]  # the score reads the status under the new key
    review.undo_correction(sample_copy, correction, "核查人甲")
    assert status(sample_copy, now) == "已说明" and status(sample_copy, key) == "已更正"  # the old key is left alone
    assert thread(sample_copy, now)[-1].startswith(f"撤销更正 #{correction}：")
    assert gone_keys(sample_copy) == set()


def test_the_report_page_offers_the_form_only_to_roles_that_may_rename(dashboard_copy: Path) -> None:
    report_id = current_report_id(dashboard_copy, OFFICE, 2021)
    page = "app_pages/report.py"
    assert not [e for e in run_page(page, {"report": report_id}, role=VIEWER).expander if "单位或年度" in e.label]
    at = run_page(page, {"report": report_id}, role=REVIEWER)
    assert [e.label for e in at.expander if "单位或年度" in e.label] == ["更正报告的单位或年度"]
    at.text_input(key="rename_report_typed").input(PREFIXED)
    at.button(key="rename_report_save").click().run()
    assert not at.exception and any("已将报告由" in s.value for s in at.success), [e.value for e in at.error]
    assert current_report_id(dashboard_copy, PREFIXED, 2021) == report_id


def test_a_refusal_on_the_report_page_quotes_the_typed_name_as_typed(dashboard_copy: Path) -> None:
    report_id = current_report_id(dashboard_copy, OFFICE, 2021)
    at = run_page("app_pages/report.py", {"report": report_id}, role=REVIEWER, units=(OFFICE,))
    at.text_input(key="rename_report_typed").input("外单位(甲)*")
    at.button(key="rename_report_save").click().run()
    # its Chinese half, escaped once where it is shown: no backslash of a second escaping shows on the page
    assert [e.value for e in at.error] == [markdown_text(f"无权操作其他单位的报告：“外单位(甲)*”不属于{OFFICE}")]
    assert current_report_id(dashboard_copy, OFFICE, 2021) == report_id


def test_a_long_roster_is_searched_in_the_rename_form(dashboard_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import units

    roster.import_roster(config.SAMPLE_ROSTER, dashboard_copy)
    monkeypatch.setattr(units, "CHOICES", 2)
    roster_units = sorted(u for (u,) in rows(dashboard_copy, "select unit from roster_units"))
    report_id = current_report_id(dashboard_copy, OFFICE, 2021)
    at = run_page("app_pages/report.py", {"report": report_id}, role=REVIEWER)
    offered = at.selectbox(key="rename_report_unit").options
    listed = [o for o in offered if o in roster_units]  # the other units, shown as their names
    assert len(listed) <= 2 < len(roster_units)
    assert any(c.value.startswith(f"共 {len(roster_units)} 个名册单位，列表只列出") for c in at.caption)
    wanted = next(u for u in reversed(roster_units) if not any(o.startswith(u) for o in offered))
    at.text_input(key="rename_report_search").input(wanted).run()
    assert wanted in at.selectbox(key="rename_report_unit").options
    at.selectbox(key="rename_report_unit").set_value(wanted)
    at.button(key="rename_report_save").click().run()
    assert not at.exception and any("已将报告由" in s.value for s in at.success), [e.value for e in at.error]
    assert current_report_id(dashboard_copy, wanted, 2021) == report_id
