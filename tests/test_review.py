"""Reviewing findings and correcting figures on a real database: statuses and explanations that survive
re-ingesting, corrections that every view and total uses and that can be undone, refusals that write nothing,
and concurrent writers that lose nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from loaders import review, store
from loaders.review import STATUSES, ReviewError
from tests.dbutil import query, rows

ROOT = Path(__file__).resolve().parent.parent
OFFICE = "zhangdian-district-gov-office-2021.txt"
OFFICE_AGENCY = "张店区人民政府办公室"
R1_MESSAGE = "自然人列：新收12+上年结转0 ≠ 办理总计16+结转下年0"
EVERYONE = {"regions": [], "levels": [], "types": [], "agencies": [], "year_from": None, "year_to": None}


def named(db: Path, name: str, **params) -> list[dict]:
    """The rows of a named query (sql/**/<name>.sql) as dicts, as the dashboard runs it."""
    return query(db, name, **params).to_dicts()


def r1_key(db: Path) -> str:
    """The key of the R1 finding on the district office's natural-person column."""
    (key,) = rows(db, "select finding_key from finding_reviews where rule = 'R1' and message like '自然人列%'")
    return key[0]


def review_row(db: Path, key: str) -> dict | None:
    """The finding_reviews row of one finding, or None when it no longer occurs."""
    found = [r for r in named(db, "finding_reviews") if r["finding_key"] == key]
    return found[0] if found else None


def office_id(db: Path) -> str:
    """The id of the newest stored version of the district office's report."""
    return rows(db, "select report_id from stg_reports_current where agency = ?", [OFFICE_AGENCY])[0][0]


def office_totals(db: Path) -> tuple[float | None, float | None]:
    """(requests received, requests handled) of the district office's 2021 report as 总览 and 办理结果 show them."""
    selection = {**EVERYONE, "agencies": [OFFICE_AGENCY]}
    (overview,) = named(db, "overview_by_year", **selection)
    (mix,) = named(db, "outcomes_mix", **selection)
    return overview["requests_new"], mix["handled"]


def file_state(db: Path) -> tuple[int, int]:
    """(inode, mtime) of the database file: a write swaps in a new file, a refusal leaves it alone."""
    stat = db.stat()
    return stat.st_ino, stat.st_mtime_ns


def edited(reports_dir: Path, tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the office report with one passage replaced (it must occur exactly once)."""
    text = (reports_dir / OFFICE).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "edited" / OFFICE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.fixture
def db(sample_copy: Path) -> Path:
    """A private copy of the database of every fixture report."""
    return sample_copy


# --- finding identity --------------------------------------------------------------------------------


def test_every_finding_has_a_distinct_key(db: Path) -> None:
    keys = [r[0] for r in rows(db, "select finding_key from finding_reviews")]
    assert keys and len(keys) == len(set(keys))
    assert all(len(k) == 16 and int(k, 16) >= 0 for k in keys)
    assert rows(db, "select count(*) from fct_findings where finding_key is null") == [(0,)]


def test_a_fresh_database_of_the_same_files_gives_the_same_keys(db: Path, reports_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    store.ingest(sorted(reports_dir.glob("*.txt"), reverse=True), other, progress=False)  # another order
    assert sorted(rows(other, "select finding_key, message from findings")) == sorted(
        rows(db, "select finding_key, message from findings")
    )


def test_a_never_reviewed_finding_is_to_be_checked(db: Path) -> None:
    row = review_row(db, r1_key(db))
    assert row["status"] == review.UNREVIEWED == STATUSES[0] == "待核实"
    assert (row["status_by"], row["status_at"], row["note_count"], row["last_note"]) == (None, None, 0, None)
    assert (row["agency"], row["year"], row["rule"], row["severity"], row["message"]) == (
        OFFICE_AGENCY, 2021, "R1", "error", R1_MESSAGE
    )  # fmt: skip


# --- statuses and explanations ------------------------------------------------------------------------


def walk_every_status(db: Path, key: str) -> list[str]:
    """Move the finding through every status and back to 待核实, each step with an explanation."""
    notes = []
    path = [*STATUSES[1:], STATUSES[0]]
    previous = STATUSES[0]
    for i, status in enumerate(path):
        note = f"第{i + 1}次核查：改为{status}。自然人列新收应为16件。"
        written = review.review_finding(db, key, f"核查员{i}", note=note, status=status, expected=previous)
        assert written.note_id == i + 1 and written.event_id == i + 1
        notes.append(note)
        row = review_row(db, key)
        assert (row["status"], row["status_by"], row["note_count"], row["last_note"]) == (
            status, f"核查员{i}", i + 1, note
        )  # fmt: skip
        previous = status
    return notes


def test_the_r1_finding_goes_through_every_status_and_survives_reingest(db: Path, reports_dir: Path) -> None:
    key = r1_key(db)
    notes = walk_every_status(db, key)
    before = review_row(db, key)
    thread = named(db, "finding_thread", finding_key=key)
    assert [t["note"] for t in thread if t["kind"] == "note"] == notes
    assert [(t["previous_status"], t["status"]) for t in thread if t["kind"] == "status"] == [
        ("待核实", "已说明"), ("已说明", "已更正"), ("已更正", "不采纳"), ("不采纳", "待核实")
    ]  # fmt: skip
    again = store.ingest([reports_dir / OFFICE], db, progress=False)
    assert again.unchanged == 1
    assert review_row(db, key) == before
    everything = store.ingest(sorted(reports_dir.glob("*.txt")), db, progress=False)
    assert everything.added == 0
    assert review_row(db, key) == before
    assert named(db, "finding_thread", finding_key=key) == thread


def test_review_stays_with_the_finding_in_a_new_version_of_the_report(
    db: Path, reports_dir: Path, tmp_path: Path
) -> None:
    key = r1_key(db)
    old_id = office_id(db)
    review.review_finding(db, key, "张三", note="表格录入错误，已与单位核实。", status="已说明")
    revised = edited(reports_dir, tmp_path, "不公开为例外”原则", "不公开为例外”的原则")
    assert store.ingest([revised], db, progress=False).replaced == 1
    assert office_id(db) != old_id
    row = review_row(db, key)
    assert (row["report_id"], row["status"], row["status_by"]) == (office_id(db), "已说明", "张三")
    assert row["note_count"] == 1


def test_the_key_ignores_the_values_a_finding_quotes(db: Path, reports_dir: Path, tmp_path: Path) -> None:
    key = r1_key(db)
    review.set_status(db, key, "已说明", "张三")
    lines = (reports_dir / OFFICE).read_text(encoding="utf-8").split("\n")
    line = next(t for t in lines if t.startswith("一、本年新收"))
    revised = edited(reports_dir, tmp_path, line, line.replace("\t\t12\t", "\t\t13\t"))
    store.ingest([revised], db, progress=False)
    row = review_row(db, key)
    assert row["message"] == "自然人列：新收13+上年结转0 ≠ 办理总计16+结转下年0"
    assert row["status"] == "已说明"


def test_explanations_and_statuses_are_kept_as_a_log(db: Path) -> None:
    key = r1_key(db)
    review.add_note(db, key, "  第一条说明  ", " 张三 ")
    review.add_note(db, key, "第二条说明", "李四")
    review.set_status(db, key, "不采纳", "李四", expected="待核实")
    notes = rows(db, "select note_id, note, written_by, report_id, rule, message from finding_notes order by note_id")
    assert [n[:3] for n in notes] == [(1, "第一条说明", "张三"), (2, "第二条说明", "李四")]
    assert {n[3:] for n in notes} == {(office_id(db), "R1", R1_MESSAGE)}
    assert rows(db, "select status, previous_status, changed_by from finding_status_events") == [
        ("不采纳", "待核实", "李四")
    ]


# --- refusals ------------------------------------------------------------------------------------------


def test_a_status_changed_meanwhile_is_refused_naming_who_and_when(db: Path) -> None:
    key = r1_key(db)
    review.set_status(db, key, "已说明", "张三", expected="待核实")
    (at,) = rows(db, "select changed_at from finding_status_events")[0]
    state = file_state(db)
    with pytest.raises(ReviewError) as refused:
        review.review_finding(db, key, "李四", note="我认为不成立", status="不采纳", expected="待核实")
    message = str(refused.value)
    assert "张三" in message and at.strftime("%Y-%m-%d %H:%M:%S") in message and "已说明" in message
    assert "status was changed meanwhile" in message
    assert file_state(db) == state  # nothing written, not even the note
    assert rows(db, "select count(*) from finding_notes") == [(0,)]


@pytest.mark.parametrize(
    ("kwargs", "zh", "en"),
    [
        ({"finding_key": "0000000000000000", "note": "说明"}, "问题不存在", "no such finding"),
        ({"note": "   "}, "情况说明不能为空", "is empty"),
        ({"note": "说明", "by": "  "}, "请填写姓名", "a name is required"),
        ({"note": "说明", "by": "名" * 41}, "姓名过长", "too long"),
        ({"status": "已解决"}, "未知状态", "unknown status"),
        ({"status": "已说明", "expected": "已办结"}, "未知状态", "unknown status"),
        ({}, "没有要保存", "nothing to save"),
        ({"status": "待核实"}, "状态已是", "already"),
    ],
)
def test_bad_review_input_is_refused_and_writes_nothing(db: Path, kwargs: dict, zh: str, en: str) -> None:
    arguments = {"finding_key": r1_key(db), "by": "张三", **kwargs}
    state = file_state(db)
    with pytest.raises(ReviewError) as refused:
        review.review_finding(db, **arguments)
    assert zh in refused.value.zh and en in refused.value.en
    assert f"{refused.value.zh} / {refused.value.en}" == str(refused.value)
    assert file_state(db) == state


# --- corrections ------------------------------------------------------------------------------------------


def test_a_correction_changes_the_totals_and_undo_brings_them_back(db: Path) -> None:
    report = office_id(db)
    assert office_totals(db) == (16, 16)
    first = review.correct_figure(db, report, "requests.new", "total", 20, "原表总计少计4件", "张三")
    second = review.correct_figure(db, report, "outcome.total", "total", 18, "办理总计应为18件", "张三")
    assert office_totals(db) == (20, 18)
    figure = rows(
        db,
        "select value, original_value, corrected, raw from fct_values"
        " where report_id = ? and metric = 'requests.new' and applicant = 'total'",
        [report],
    )
    assert figure == [(20.0, 16.0, True, "16")]  # the printed text stays
    shown = {r["figure_key"]: r["value_text"] for r in named(db, "report_figures", report_id=report)}
    assert shown["requests.new|total"] == "20（已更正）" and shown["requests.new|natural_person"] == "12"
    review.undo_correction(db, second, "李四")
    assert office_totals(db) == (20, 16)
    review.undo_correction(db, first, "李四")
    assert office_totals(db) == (16, 16)
    history = named(db, "figure_correction_history", report_id=report)
    assert [(h["correction_id"], h["action"], h["undoes"]) for h in history] == [
        (4, "undo", first), (3, "undo", second), (2, "correct", None), (1, "correct", None)
    ]  # fmt: skip
    corrected = {h["correction_id"]: h for h in history}
    first_row = corrected[1]
    assert (first_row["value"], first_row["original_value"], first_row["reason"]) == (20, 16, "原表总计少计4件")
    assert (first_row["undone_by"], first_row["is_active"], first_row["is_current"]) == ("李四", False, False)


def test_checks_judge_corrected_values(db: Path) -> None:
    key = r1_key(db)
    report = office_id(db)
    review.review_finding(db, key, "张三", note="自然人新收应为16件", status="已更正")
    correction = review.correct_figure(db, report, "requests.new", "natural_person", 16, "表格录入错误", "张三")
    assert review_row(db, key) is None  # R1 holds on the corrected column
    gone = named(db, "findings_gone", **EVERYONE)
    assert [(g["finding_key"], g["status"], g["note_count"]) for g in gone] == [(key, "已更正", 1)]
    (detail,) = named(db, "finding_detail", finding_key=key)
    assert (detail["is_current"], detail["message"], detail["status"]) == (False, R1_MESSAGE, "已更正")
    review.add_note(db, key, "更正后问题消除", "李四")  # a finding with history can still be written to
    review.undo_correction(db, correction, "张三")
    row = review_row(db, key)
    assert (row["message"], row["status"], row["note_count"]) == (R1_MESSAGE, "已更正", 2)
    assert named(db, "findings_gone", **EVERYONE) == []


def thread(db: Path, key: str) -> list[tuple]:
    """A finding's thread as (kind, status, previous status, note) in the order it was written."""
    return [
        (t["kind"], t["status"], t["previous_status"], t["note"]) for t in named(db, "finding_thread", finding_key=key)
    ]


def test_a_correction_from_a_finding_marks_it_corrected_and_its_undo_puts_the_status_back(db: Path) -> None:
    key = r1_key(db)
    report = office_id(db)
    review.review_finding(db, key, "张三", note="请单位核实", status="已说明")
    correction = review.correct_figure(
        db, report, "requests.new", "natural_person", 16, "表格录入错误", "张三", finding_key=key
    )
    assert [r["status"] for r in named(db, "findings_gone", **EVERYONE)] == ["已更正"]
    # undone from 报告详情 (no finding named): the thread still gets the entry and the status goes back
    review.undo_correction(db, correction, "李四", reason="原表无误")
    row = review_row(db, key)
    assert (row["status"], row["status_by"]) == ("已说明", "李四")
    assert row["last_note"] == (
        f"撤销更正 #{correction}：一、本年新收政府信息公开申请数量（自然人）恢复为12。"
        "问题状态由“已更正”恢复为“已说明”。理由：原表无误"
    )
    assert thread(db, key)[-4:] == [  # written together, the entry comes before the status change
        (
            "note",
            None,
            None,
            f"更正数值 #{correction}：一、本年新收政府信息公开申请数量（自然人）由12改为16。理由：表格录入错误",
        ),
        ("status", "已更正", "已说明", None),
        ("note", None, None, row["last_note"]),
        ("status", "已说明", "已更正", None),
    ]
    actions = rows(db, "select action, before ->> 'status', after ->> 'status' from audit_log where target = ?", [key])
    assert actions[-2:] == [("finding.status", "已说明", "已更正"), ("finding.status", "已更正", "已说明")]


def test_an_undo_keeps_a_status_set_by_hand_and_one_another_correction_still_holds(db: Path) -> None:
    key = r1_key(db)
    report = office_id(db)
    first = review.correct_figure(db, report, "requests.new", "natural_person", 14, "一", "张三", finding_key=key)
    second = review.correct_figure(db, report, "requests.new", "natural_person", 16, "二", "张三", finding_key=key)
    assert named(db, "findings_gone", **EVERYONE)[0]["status"] == "已更正"
    review.undo_correction(db, second, "李四")  # the first is in force again: still 已更正
    assert review_row(db, key)["status"] == "已更正"
    assert review_row(db, key)["last_note"].endswith("该问题另有更正仍在生效，状态仍为“已更正”。")
    review.undo_correction(db, first, "李四")  # nothing made from it is in force: back to 待核实
    assert review_row(db, key)["status"] == "待核实"
    third = review.correct_figure(db, report, "requests.new", "natural_person", 16, "三", "张三", finding_key=key)
    review.set_status(db, key, "不采纳", "王五")  # set by hand after the correction: the undo leaves it
    review.undo_correction(db, third, "李四")
    assert review_row(db, key)["status"] == "不采纳"
    assert (
        review_row(db, key)["last_note"] == f"撤销更正 #{third}：一、本年新收政府信息公开申请数量（自然人）恢复为12。"
    )


@pytest.mark.parametrize(("encoding", "bom"), [("gbk", b""), ("utf-16-le", b"\xff\xfe"), ("utf-8", b"\xef\xbb\xbf")])
def test_the_same_report_as_other_bytes_is_no_new_version_and_keeps_its_correction(
    db: Path, reports_dir: Path, tmp_path: Path, encoding: str, bom: bytes
) -> None:
    report = office_id(db)
    review.correct_figure(db, report, "requests.new", "natural_person", 16, "表格录入错误", "张三")
    text = (reports_dir / OFFICE).read_text(encoding="utf-8").replace("\n", "\r\n")
    again = tmp_path / f"again-{encoding}.txt"
    again.write_bytes(bom + text.encode(encoding))
    summary = store.ingest([again], db, progress=False)
    assert (summary.unchanged, summary.added, summary.replaced) == (1, 0, 0)
    assert office_id(db) == report
    corrected = rows(
        db,
        "select value from stg_figures_corrected where report_id = ? and metric = 'requests.new'"
        " and applicant = 'natural_person'",
        [report],
    )
    assert corrected == [(16.0,)]


def test_the_same_report_as_a_docx_is_no_new_version_and_keeps_its_correction(db: Path, tmp_path: Path) -> None:
    from tests.formats_render import original, render_docx

    report = office_id(db)
    review.correct_figure(db, report, "requests.new", "natural_person", 16, "表格录入错误", "张三")
    docx = tmp_path / "office.docx"
    docx.write_bytes(render_docx(original(OFFICE)))
    summary = store.ingest([docx], db, progress=False)
    assert (summary.unchanged, summary.added, summary.replaced, summary.failures) == (1, 0, 0, [])
    assert office_id(db) == report
    assert rows(db, NATURAL_NEW, [report]) == [(16.0,)]


def test_a_report_whose_figures_changed_is_still_a_new_version(db: Path, reports_dir: Path, tmp_path: Path) -> None:
    text = (reports_dir / OFFICE).read_text(encoding="utf-8")
    before = office_id(db)
    changed = tmp_path / "changed.txt"
    changed.write_text(text.replace("一、本年新收", "一、本年新收", 1) + "\n附：本报告另附说明。\n", encoding="gbk")
    summary = store.ingest([changed], db, progress=False)
    assert summary.replaced == 1 and office_id(db) != before


NATURAL_NEW = (
    "select value from stg_figures_corrected where report_id = ? and metric = 'requests.new'"
    " and applicant = 'natural_person'"
)


def test_a_correction_follows_its_figure_to_a_new_version_that_prints_the_same_value(
    db: Path, reports_dir: Path, tmp_path: Path
) -> None:
    old = office_id(db)
    review.correct_figure(db, old, "requests.new", "natural_person", 16, "表格录入错误", "张三")
    text = (reports_dir / OFFICE).read_text(encoding="utf-8")
    newer = tmp_path / "newer.txt"
    newer.write_text(text + "\n附：本报告另附说明一份。\n", encoding="utf-8")  # a new version, same figures
    assert store.ingest([newer], db, progress=False).replaced == 1
    new = office_id(db)
    assert new != old and rows(db, NATURAL_NEW, [new]) == [(16.0,)]
    (reason,) = rows(db, "select reason from figure_corrections where report_id = ?", [new])
    assert reason[0].startswith("沿用更正#")


def test_a_correction_whose_figure_changed_in_the_new_version_is_flagged_not_carried(
    db: Path, reports_dir: Path, tmp_path: Path
) -> None:
    review.correct_figure(db, office_id(db), "requests.new", "natural_person", 16, "表格录入错误", "张三")
    text = (reports_dir / OFFICE).read_text(encoding="utf-8")
    line = "一、本年新收政府信息公开申请数量\t\t12\t2\t2\t0\t0\t0\t16\t"
    assert line in text
    changed = tmp_path / "changed.txt"
    changed.write_text(text.replace(line, line.replace("\t12\t2\t2", "\t14\t1\t1")), encoding="utf-8")
    assert store.ingest([changed], db, progress=False).replaced == 1
    new = office_id(db)
    assert rows(db, NATURAL_NEW, [new]) == [(14.0,)]  # the new printed value, not the old correction
    flagged = rows(db, "select message from findings where report_id = ? and message like '更正#%'", [new])
    assert len(flagged) == 1 and "未沿用" in flagged[0][0] and "“12”变为“14”" in flagged[0][0]


_CORRECTOR = """
import sys
from pathlib import Path
from loaders import review
from loaders.review import ReviewError
db, report, who, value = Path(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
sys.stdin.readline()  # both start together
try:
    review.correct_figure(db, report, "requests.new", "natural_person", value, "表格录入错误", who, expected=12)
    print("saved")
except ReviewError as exc:
    print("refused", exc)
"""


def test_two_reviewers_correcting_one_figure_at_once_one_is_refused_with_who_and_when(db: Path) -> None:
    report = office_id(db)
    figure = "select value from stg_figures_corrected where report_id = ? and metric = 'requests.new'"
    figure += " and applicant = 'natural_person'"
    assert rows(db, figure, [report]) == [(12.0,)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _CORRECTOR, str(db), report, who, value],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for who, value in (("张三", "16"), ("李四", "17"))
    ]
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs = [proc.communicate(timeout=300)[0].strip() for proc in procs]
    saved = [o for o in outputs if o == "saved"]
    refused = [o for o in outputs if o.startswith("refused")]
    assert len(saved) == 1 and len(refused) == 1, outputs
    winner = "张三" if outputs[0] == "saved" else "李四"
    assert f"数值已被他人更改：{winner}于" in refused[0] and "the figure was changed meanwhile" in refused[0]
    assert "你看到的是12" in refused[0]
    assert rows(db, figure, [report]) == [(16.0 if winner == "张三" else 17.0,)]
    assert rows(db, "select count(*) from figure_corrections") == [(1,)]


def test_a_correction_to_not_stated_is_null_not_zero(db: Path) -> None:
    report = office_id(db)
    review.correct_figure(db, report, "requests.new", "total", None, "原表此格应为空", "张三")
    assert rows(
        db,
        "select value, original_value, raw from stg_figures"
        " where report_id = ? and metric = 'requests.new' and applicant = 'total'",
        [report],
    ) == [(None, 16.0, "16")]
    assert office_totals(db)[0] is None  # nothing stated, not 0


def test_the_latest_correction_wins_and_undo_falls_back_to_the_one_before(db: Path) -> None:
    report = office_id(db)
    first = review.correct_figure(db, report, "requests.new", "total", 20, "第一次", "张三")
    second = review.correct_figure(db, report, "requests.new", "total", 25, "第二次", "李四")
    assert office_totals(db)[0] == 25
    review.undo_correction(db, second, "李四")
    assert office_totals(db)[0] == 20
    review.undo_correction(db, first, "张三")
    assert office_totals(db)[0] == 16


def test_corrections_survive_reingest(db: Path, reports_dir: Path) -> None:
    review.correct_figure(db, office_id(db), "requests.new", "total", 20, "原表总计少计4件", "张三")
    store.ingest(sorted(reports_dir.glob("*.txt")), db, progress=False)
    assert office_totals(db)[0] == 20


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (("nope", "requests.new", "total", 1, "理由"), "报告不存在", "no such report"),
        ((None, "requests.brand_new", "total", 1, "理由"), "未知指标", "unknown metric"),
        ((None, "requests.new", "robots", 1, "理由"), "未知申请人类别", "unknown applicant"),
        ((None, "review.total", "total", 1, "理由"), "该报告没有这个数值", "has no figure"),
        ((None, "requests.new", "total", -1, "理由"), "不能为负数", "cannot be negative"),
        ((None, "requests.new", "total", 1.5, "理由"), "应为整数", "whole numbers"),
        ((None, "requests.new", "total", 16, "理由"), "与当前值相同", "equals the current one"),
        ((None, "requests.new", "total", 20, " "), "更正理由不能为空", "the reason is empty"),
    ],
)
def test_bad_corrections_are_refused_and_write_nothing(db: Path, args: tuple, zh: str, en: str) -> None:
    report, *rest = args
    state = file_state(db)
    with pytest.raises(ReviewError) as refused:
        review.correct_figure(db, report or office_id(db), *rest, "张三")
    assert zh in refused.value.zh and en in refused.value.en
    assert file_state(db) == state


def test_an_undo_is_refused_when_it_cannot_apply(db: Path) -> None:
    correction = review.correct_figure(db, office_id(db), "requests.new", "total", 20, "理由", "张三")
    undo = review.undo_correction(db, correction, "李四")
    state = file_state(db)
    for target, zh in ((correction, "已由李四于"), (undo, "是一次撤销"), (99, "更正记录不存在")):
        with pytest.raises(ReviewError) as refused:
            review.undo_correction(db, target, "王五")
        assert zh in str(refused.value)
    assert file_state(db) == state


@pytest.mark.parametrize(
    ("text", "value"), [("16", 16.0), (" １２ ", 12.0), ("1,234", 1234.0), ("2.5", 2.5), ("", None), ("  ", None)]
)
def test_typed_values_are_read_as_numbers_and_blank_as_not_stated(text: str, value: float | None) -> None:
    assert review.parse_value(text) == value


@pytest.mark.parametrize("text", ["十六", "16件", "nan", "inf"])
def test_typed_values_that_are_not_numbers_are_refused(text: str) -> None:
    with pytest.raises(ReviewError, match="not a"):
        review.parse_value(text)


@pytest.mark.parametrize(
    ("metric", "value", "zh", "en"),
    [
        ("requests.new", 1e308, "无法精确保存", "too large to store exactly"),
        ("requests.new", float(2**53 + 2), "无法精确保存", "too large to store exactly"),
        ("requests.new", 20_000_000, "不合常理", "not plausible"),
        ("review.total", 10_000_001, "不合常理", "not plausible"),
        ("requests.new", -1, "不能为负数", "cannot be negative"),
        ("requests.new", float("inf"), "不是有效数字", "not a finite number"),
        ("requests.new", float("nan"), "不是有效数字", "not a finite number"),
        ("requests.new", 2.5, "应为整数", "whole numbers"),
    ],
)
def test_absurd_corrections_are_refused_before_anything_is_written(metric, value, zh, en) -> None:
    with pytest.raises(ReviewError) as refused:
        review.check_value(metric, value)
    assert zh in refused.value.zh and en in refused.value.en
    assert review.check_value(metric, 10_000_000) == 10_000_000  # the bound itself is allowed


def test_an_absurd_correction_leaves_the_database_as_it_was(db: Path) -> None:
    report = office_id(db)
    state = file_state(db)
    with pytest.raises(ReviewError, match="无法精确保存"):
        review.correct_figure(db, report, "requests.new", "total", 1e308, "手误", "张三")
    assert file_state(db) == state


# --- concurrent writers -----------------------------------------------------------------------------------

_WRITER = """
import sys
from pathlib import Path
from loaders import review
db, key, who = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
for i in range(3):
    review.add_note(db, key, f"{who}-{i}", who)
    if who == "b":
        review.set_status(db, key, ("已说明", "不采纳", "已更正")[i], who)
"""


def test_two_processes_writing_at_once_lose_nothing(db: Path) -> None:
    key = r1_key(db)
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(db), key, who], cwd=ROOT) for who in "ab"]
    assert [w.wait(timeout=300) for w in writers] == [0, 0]
    notes = rows(db, "select note, written_by from finding_notes order by note_id")
    assert sorted(notes) == sorted([(f"{w}-{i}", w) for w in "ab" for i in range(3)])
    assert [n for n, _ in notes if n.startswith("a")] == [f"a-{i}" for i in range(3)]  # each writer's order kept
    events = rows(db, "select event_id, previous_status, status from finding_status_events order by event_id")
    assert events == [(1, "待核实", "已说明"), (2, "已说明", "不采纳"), (3, "不采纳", "已更正")]
    assert rows(db, "select list(note_id order by note_id) from finding_notes") == [(list(range(1, 7)),)]
    assert review_row(db, key)["note_count"] == 6
