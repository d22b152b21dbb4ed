"""Scoring on the real seed reports: every deduction carries its evidence, reviewing a finding changes the score,
the small-sample guard, tiers, rubric validation, and the score-sheet command line end to end."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from analytics import scoring
from analytics.queries import run
from analytics.rubric import DEFAULT_RUBRIC, RubricError, Tier, load_rubric
from analytics.scoring import UnitScore, assign_tiers, score_year
from exports import score_sheet
from exports.score_sheet import score_workbook
from loaders import review, store
from tests.apptest_support import ROOT
from tests.dbutil import rows

OFFICE = "张店区人民政府办公室"
GOV = "张店区人民政府"
HEALTH = "市中区卫生健康局"
PINGTAN = "平潭综合实验区管委会"
HONGZE = "洪泽区人民政府"  # has a 2023 report only: expected for 2021, missing


def scores_of(db: Path, year: int = 2021, rubric_path: Path | None = None) -> dict[str, UnitScore]:
    """The units' scores for a year, by unit, from a database file opened read-only."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = score_year(lambda name, **p: run(con, name, **p), year, load_rubric(rubric_path))
    finally:
        con.close()
    return {s.unit: s for s in found}


def test_every_deduction_of_the_seed_reports_carries_its_evidence(sample_db: Path) -> None:
    scores = scores_of(sample_db)
    assert {OFFICE, GOV, HEALTH, PINGTAN, HONGZE} <= set(scores)
    keys = {k for (k,) in rows(sample_db, "select finding_key from finding_reviews where year = 2021")}
    for score in scores.values():
        assert score.total is not None and 0 <= score.total <= 100
        for item in score.deductions + score.bonuses:
            text = item.evidence_text()
            assert text and item.reason, item
            if item.evidence["kind"] == "finding":
                assert item.evidence["finding_key"] in keys
                assert item.evidence["report_id"] == score.report_id
            if item.evidence["kind"] in ("finding", "rate", "sections", "similarity"):
                assert item.evidence["report_id"] == score.report_id
    office = scores[OFFICE]
    r1 = [d for d in office.deductions if d.indicator == "reconciles"]
    assert len(r1) == 3 and all(d.evidence["rule"] == "R1" and d.evidence["line"] == 100 for d in r1)
    assert "自然人列：新收12+上年结转0 ≠ 办理总计16+结转下年0" in "".join(d.evidence_text() for d in r1)
    assert scores[HONGZE].total == 0 and scores[HONGZE].deductions[0].evidence["timeliness"] == "未发布"
    pingtan = next(r for r in scores[PINGTAN].indicators if r.id == "outcome_mix")
    assert pingtan.value == "50.7%（35/69）"  # (予以公开30 + 部分公开5) / 办理总计69, from the report's table


def test_totals_follow_the_rubric_arithmetic(sample_db: Path) -> None:
    scores = scores_of(sample_db)
    for score in scores.values():
        if not score.report_id:
            continue
        scored = [r for r in score.indicators if r.earned is not None and r.id != "early"]
        base = sum(r.points for r in scored)
        lost = sum(d.points for d in score.deductions)
        bonus = sum(d.points for d in score.bonuses)
        assert score.total == pytest.approx(min(100, round((base - lost) / base * 100 + bonus, 2)), abs=0.01)


def test_explaining_a_finding_raises_the_score(sample_copy: Path) -> None:
    before = scores_of(sample_copy)[OFFICE]
    finding = next(d for d in before.deductions if d.indicator == "unexplained")
    review.set_status(sample_copy, finding.evidence["finding_key"], "已说明", by="评审员")
    after = scores_of(sample_copy)[OFFICE]
    assert after.total > before.total
    assert len([d for d in after.deductions if d.indicator == "unexplained"]) == 2
    # explained, the table still does not add up: the reconciliation deduction stays
    assert len([d for d in after.deductions if d.indicator == "reconciles"]) == 3
    review.set_status(sample_copy, finding.evidence["finding_key"], "不采纳", by="评审员")
    rejected = scores_of(sample_copy)[OFFICE]
    assert len([d for d in rejected.deductions if d.indicator == "reconciles"]) == 2
    assert rejected.total > after.total


def test_fewer_than_thirty_requests_are_reported_not_scored(sample_db: Path, tmp_path: Path) -> None:
    scores = scores_of(sample_db)
    office = next(r for r in scores[OFFICE].indicators if r.id == "outcome_mix")
    assert office.earned is None and office.value == "50.0%（8/16）"
    assert "16件，少于30件" in office.note
    assert any("折算" in n for n in scores[OFFICE].notes)
    gov = next(r for r in scores[GOV].indicators if r.id == "outcome_mix")
    assert gov.earned == 10  # 105 requests, 61.0% disclosed: at or above the 60% target
    lower = tmp_path / "guard10.toml"
    lower.write_text(DEFAULT_RUBRIC.read_text(encoding="utf-8").replace("min_requests = 30", "min_requests = 10"))
    guarded = next(r for r in scores_of(sample_db, rubric_path=lower)[OFFICE].indicators if r.id == "outcome_mix")
    assert guarded.earned is not None  # 16 requests are enough under a guard of 10


def test_deductions_stop_at_the_indicators_points_and_the_groups_cap(sample_db: Path, tmp_path: Path) -> None:
    text = DEFAULT_RUBRIC.read_text(encoding="utf-8").replace("per = 4 ", "per = 10 ")  # 3 R1 findings: 30 > 20
    text = text.replace('label = "数据准确与问题说明"\ncap = 30', 'label = "数据准确与问题说明"\ncap = 25')
    path = tmp_path / "caps.toml"
    path.write_text(text, encoding="utf-8")
    office = scores_of(sample_db, rubric_path=path)[OFFICE]
    reconciles = next(r for r in office.indicators if r.id == "reconciles")
    assert reconciles.earned == 0  # lost 30, at most its 20 points
    caps = [d for d in office.deductions if d.evidence["kind"] == "cap"]
    assert [(d.indicator, d.points) for d in caps] == [("reconciles", -10), ("accuracy", -4)]
    assert "合计29分，超过上限25分" in caps[1].evidence_text()  # 20 + 9 unexplained (3 × 3), group cap 25
    assert sum(d.points for d in office.deductions) == 25
    assert office.total == pytest.approx((90 - 25) / 90 * 100, abs=0.01)


def unit(name: str, total: float, class_id: str = "department", report: str | None = "r") -> UnitScore:
    """A scored unit for the tier rules (report None: a unit without a report, scored 0)."""
    return UnitScore(name, None, None, None, class_id, class_id, report, name, "按时", total=total)


def place(scores: list[UnitScore], rubric=None) -> None:
    """Rank and tier the units as the rubric defines it (the score_tiers query on an empty database)."""
    con = duckdb.connect()
    try:
        assign_tiers(lambda name, **p: run(con, name, **p), scores, rubric or load_rubric())
    finally:
        con.close()


@pytest.mark.parametrize(
    ("totals", "tiers"),
    [
        ([95, 90, 85, 80, 70, 66, 50, 0], ["先进", "先进", "达标", "达标", "达标", "待改进", "待改进", "待改进"]),
        ([90, 90, 90, 70], ["先进", "先进", "先进", "达标"]),  # a tie at the top shares the top rank
        ([60, 50, 40, 30], ["待改进"] * 4),  # the top quarter must still reach 达标
    ],
)
def test_tiers_top_quarter_and_minimum(totals: list[float], tiers: list[str]) -> None:
    scores = [unit(f"u{i}", t) for i, t in enumerate(totals)]
    place(scores)
    assert [s.tier for s in scores] == tiers


def test_tiers_are_ranked_within_each_class() -> None:
    scores = [unit("a", 90, "government"), unit("b", 80, "government"), unit("c", 70), unit("d", 68)]
    scores += [unit("e", 60), unit("f", 50)]
    place(scores)
    assert {s.unit: (s.rank, s.tier) for s in scores} == {
        "a": (1, "达标"),
        "b": (2, "达标"),
        "c": (1, "先进"),
        "d": (2, "达标"),
        "e": (3, "待改进"),
        "f": (4, "待改进"),
    }  # fmt: skip  (the first of two is the top half, not the top quarter: not 先进)


def test_a_top_share_means_rank_over_the_class_at_most_that_share() -> None:
    # 同类别前25%: of five units only the first (20%) is in the top quarter; the second is 40%
    scores = [unit(n, t) for n, t in zip("abcde", (95, 90, 85, 80, 70), strict=True)]
    place(scores)
    assert [(s.rank, s.tier) for s in scores] == [(1, "先进"), (2, "达标"), (3, "达标"), (4, "达标"), (5, "达标")]
    eight = [unit(f"u{i}", 90 - i) for i in range(8)]
    place(eight)
    assert [s.tier for s in eight[:3]] == ["先进", "先进", "达标"]  # 2 of 8 is 25%, 3 of 8 is 37.5%


def test_units_without_a_report_are_ranked_and_counted_as_the_rubric_says(tmp_path: Path) -> None:
    def made() -> list[UnitScore]:
        reported = [unit(n, t) for n, t in zip("abc", (95, 90, 85), strict=True)]
        return reported + [unit(n, 0.0, report=None) for n in "xyzw"]

    unranked = made()  # the default rubric: missing_report = "unranked"
    place(unranked)
    by_unit = {s.unit: (s.rank, s.tier) for s in unranked}
    assert load_rubric().missing_report == "unranked"
    assert by_unit["x"] == (None, "待改进") and by_unit["b"] == (2, "达标")
    assert by_unit["a"] == (1, "达标")  # 1 of the 3 that reported is 33%: not the top quarter
    text = DEFAULT_RUBRIC.read_text(encoding="utf-8").replace('missing_report = "unranked"', 'missing_report = "zero"')
    (tmp_path / "zero.toml").write_text(text, encoding="utf-8")
    counted = made()
    place(counted, load_rubric(tmp_path / "zero.toml"))
    by_unit = {s.unit: (s.rank, s.tier) for s in counted}
    assert by_unit["a"] == (1, "先进") and by_unit["b"] == (2, "达标")  # 1 of 7 is 14%, 2 of 7 is 29%
    assert by_unit["x"] == (4, "待改进") and by_unit["w"] == (4, "待改进")  # the four share the last rank


def test_tier_conditions_read_as_the_sheet_and_the_page_print_them() -> None:
    tiers = load_rubric().tiers
    assert [t.conditions() for t in tiers] == ["同类别前25%且不低于67分", "不低于67分", ""]
    assert Tier("优秀", top_share=0.1).conditions() == "同类别前10%"


def test_duplicated_text_deducts_with_the_repeated_passage(reports_dir: Path, tmp_path: Path, db_file: Path) -> None:
    original = (reports_dir / "zhangdian-district-gov-office-2021.txt").read_text(encoding="utf-8")
    copy = re.sub(r"\d+", lambda m: m.group() if m.group().startswith("202") else "9", original)
    copy = copy.replace(OFFICE, "周村区人民政府办公室")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "original.txt").write_text(original, encoding="utf-8")
    (tmp_path / "in" / "copy.txt").write_text(copy, encoding="utf-8")
    store.ingest([tmp_path / "in"], db_file, progress=False)
    copied = scores_of(db_file)["周村区人民政府办公室"]
    items = [d for d in copied.deductions if d.indicator == "duplicated"]
    assert {d.evidence["section"] for d in items} == {"一", "五", "六"}
    for item in items:
        assert item.evidence["score"] >= 0.95 and item.evidence["other_agency"] == OFFICE
        assert item.evidence["passage"] and item.evidence["line"]
        assert item.evidence["passage"].rstrip("…")[:20] in copy


# --- the rubric file ----------------------------------------------------------------------------------------------


def edited_rubric(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the default rubric with one passage replaced (it must occur)."""
    text = DEFAULT_RUBRIC.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "where", "words"),
    [
        ('kind = "on_time"', 'kind = "punctuality"', 'indicators[0] (id "on_time")', "未知的指标类型"),
        ("points = 15\nlate = 15", "pionts = 15\nlate = 15", 'indicators[0] (id "on_time")', "未知的键 pionts"),
        ('group = "content"', 'group = "style"', 'indicators[4] (id "duplicated")', "分组“style”未在"),
        ("threshold = 0.5", "threshold = 1.5", 'indicators[4] (id "duplicated")', "threshold = 1.5"),
        (
            "per = 3 ",
            'statuses = ["已处理"]\nper = 3 ',
            'indicators[3] (id "unexplained")',
            "未知的状态：已处理",
        ),  # fmt: skip
        ('id = "sections"', 'id = "on_time"', 'indicators[1] (id "on_time")', "id“on_time”重复"),
        ('types = ["department", "office"]', 'types = ["department"]', "[[classes]]", "office 不属于任何类别"),
        (
            "points = { on_time = 20, duplicated = 20 }",
            "points = { on_time = 20, originality = 20 }",
            'classes[1] (id "department")',
            "指标“originality”未在",
        ),  # fmt: skip
        ('label = "待改进"', 'label = "待改进"\nmin_score = 0', "tiers[2]", "最后一个等次不能有条件"),
        ("min_score = 67             # ... and", "min_score = 167             # ... and", "tiers[0]", "超过满分"),
        ("max_score = 100", "max_score = 100\nmax_score = 90", "TOML", "TOML 格式错误"),
    ],
)
def test_a_bad_rubric_is_refused_naming_the_file_and_the_entry(
    tmp_path: Path, old: str, new: str, where: str, words: str
) -> None:
    with pytest.raises(RubricError) as caught:
        load_rubric(edited_rubric(tmp_path, old, new))
    message = str(caught.value)
    assert message.startswith("bad.toml: ")
    assert where in message and words in message
    assert " / " in message and re.search(r"[a-z]{4,}", message.split(" / ", 1)[1])  # an English half follows


def test_a_missing_rubric_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RubricError, match=r"nothere\.toml: 评分细则文件不存在 / rubric file not found"):
        load_rubric(tmp_path / "nothere.toml")


def test_the_default_rubric_gives_each_class_100_points() -> None:
    rubric = load_rubric()
    for unit_class in rubric.classes:
        scored = [rubric.indicators[i] for i in unit_class.indicators if not rubric.indicators[i].bonus]
        assert sum(rubric.points(unit_class, i) for i in scored) == rubric.max_score
    assert rubric.threshold() == 0.5 == scoring.duplicated_text_threshold()


# --- the score sheet ------------------------------------------------------------------------------------------------


def test_command_line_writes_a_printable_score_sheet(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheets" / "score-2021.xlsx"
    done = subprocess.run(
        [sys.executable, "-m", "exports.score_sheet", "--db", str(sample_db), "--year", "2021", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["评分表", "扣分明细", "评分细则"]
    sheet = book["评分表"]
    header = [c.value for c in sheet[4]]
    assert header[:6] == ["排名", "单位", "类别", "报送情况", "总分", "等次"]
    assert "按时发布" in header and "扣分与加分明细（含证据）" in header
    rows = {r[1]: r for r in sheet.iter_rows(min_row=5, values_only=True)}
    assert set(rows) == set(scores_of(sample_db))
    expected = scores_of(sample_db)
    for name, row in rows.items():
        assert row[4] == pytest.approx(expected[name].total) and row[5] == expected[name].tier
    details = rows[OFFICE][header.index("扣分与加分明细（含证据）")]
    assert f"{OFFICE}2021年报告第100行：R1 " in details  # the report by unit and year, not by its id
    assert not re.search(r"[0-9a-f]{16}", details)
    assert sheet.freeze_panes == "C5" and sheet.print_title_rows == "$4:$4"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    items = sum(len(s.deductions) + len(s.bonuses) for s in expected.values())
    assert book["扣分明细"].max_row - 4 == items
    assert not list(out.parent.glob(".*.part"))  # no temporary file left behind


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--db", "{tmp}/none.duckdb", "--year", "2021"], "none.duckdb: 数据库文件不存在 / database file not found"),
        (["--db", "{db}", "--year", "1990"], "1990年度没有应报送的单位 / no units to score for 1990"),
        (["--db", "{db}", "--year", "2021", "--rubric", "{tmp}/r.toml"], "r.toml: 评分细则文件不存在"),
    ],
)
def test_command_line_errors_are_bilingual(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str], words: str
) -> None:
    filled = [a.format(tmp=tmp_path, db=sample_db) for a in args]
    out = tmp_path / "x.xlsx"
    assert score_sheet.main([*filled, "--out", str(out)]) == 1
    assert words in capsys.readouterr().err
    assert not out.exists()


def test_the_sheet_must_be_an_xlsx(sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert score_sheet.main(["--db", str(sample_db), "--year", "2021", "--out", str(tmp_path / "x.csv")]) == 1
    assert "x.csv: 评分表应保存为 .xlsx 文件 / the score sheet must be an .xlsx file" in capsys.readouterr().err


def test_text_from_reports_cannot_run_as_a_formula(sample_db: Path) -> None:
    scores = list(scores_of(sample_db).values())
    scores[0].unit = '=HYPERLINK("http://example.invalid","x")'
    book = load_workbook(io.BytesIO(score_workbook(scores, load_rubric(), 2021)))
    cell = next(c for row in book["评分表"].iter_rows(min_row=5) for c in row if c.value == scores[0].unit)
    assert cell.data_type == "s"
