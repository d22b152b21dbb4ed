"""The roster import (CSV and Excel, Chinese and English headers, renames and mergers), its refusal of bad files,
and what it drives: coverage of a year with deadlines and timeliness, and the roll-up of a government's figures
against its units' reports. Everything runs on copies of the database built from the real fixture reports."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import polars as pl
import pytest

import config
from loaders import roster
from loaders.model import ReportError
from loaders.store import collect_files, ingest
from tests.dbutil import query, rows

ROOT = Path(__file__).resolve().parent.parent

UNITS = """单位,上级,层级,类型,同类组
张店区人民政府,淄博市人民政府,区县级,政府,区县政府
张店区人民政府办公室,张店区人民政府,区县级,政府办公室,区县政府办公室
张店区财政局,张店区人民政府,区县级,部门,区县部门
市中区卫生健康局,枣庄市市中区人民政府,区县级,部门,
平潭综合实验区管委会,福建省人民政府,区县级,政府,区县政府
"""
CHANGES = """
旧名称,新名称,类型,年度
市中区卫生和计划生育局,市中区卫生健康局,更名,2019
"""


@pytest.fixture
def db(sample_copy: Path) -> Path:
    """A copy of the sample database (every fixture report) that the test may write."""
    return sample_copy


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    """A roster file in the test's folder."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def by_unit(frame: pl.DataFrame) -> dict[str, dict]:
    """Rows of a coverage result keyed by unit."""
    return {row["unit"]: row for row in frame.iter_rows(named=True)}


# --- import ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_roster_with_a_rename_is_stored(db: Path, tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, "名册.csv", UNITS + CHANGES, encoding)
    imported = roster.import_roster(path, db)
    assert [u.unit for u in imported.units][:2] == ["张店区人民政府", "张店区人民政府办公室"]
    units = rows(
        db, "select unit, parent, level, type, peer_group, source, source_row from roster_units order by position"
    )
    assert len(units) == 5
    assert units[1] == (
        "张店区人民政府办公室",
        "张店区人民政府",
        "county",
        "office",
        "区县政府办公室",
        "名册.csv",
        "第3行",
    )
    assert units[3][4] == "county/department"  # a blank peer group defaults to level/type
    changes = rows(db, "select old_name, new_name, kind, year, source_row from roster_changes")
    assert changes == [("市中区卫生和计划生育局", "市中区卫生健康局", "rename", 2019, "第9行")]
    assert rows(db, "select count(*) from roster_units where imported_at is null") == [(0,)]


def xlsx_roster(units: list[list], changes: list[list] | None) -> bytes:
    """A roster workbook: a title row and the units on the first sheet, changes on a second sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名册"
    sheet.append(["2021年度报告报送名册"])
    for row in units:
        sheet.append(row)
    if changes is not None:
        second = book.create_sheet("更名合并")
        for row in changes:
            second.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX_UNITS = [
    ["Unit", "Parent", "Level", "Type", "Peer group"],
    ["张店区人民政府", "淄博市人民政府", "county", "government", "区县政府"],
    ["张店区人民政府办公厅", "张店区人民政府", "county", "office", "区县政府办公室"],
    ["市中区卫生健康和医疗保障局", "枣庄市市中区人民政府", "county", "department", "区县部门"],
]
XLSX_CHANGES = [
    ["Old name", "New name", "Kind", "Year"],
    ["张店区人民政府办公室", "张店区人民政府办公厅", "rename", 2023],
    ["市中区卫生健康局", "市中区卫生健康和医疗保障局", "合并", 2022],
    ["市中区医疗保障局", "市中区卫生健康和医疗保障局", "merge", "2022年"],
]


def test_xlsx_roster_with_english_headers_renames_and_mergers(db: Path) -> None:
    data = xlsx_roster(XLSX_UNITS, XLSX_CHANGES)
    imported = roster.import_roster_bytes(data, "roster.xlsx", db)
    assert [u.type for u in imported.units] == ["government", "office", "department"]
    changes = rows(db, "select old_name, kind, year, source_row from roster_changes order by old_name")
    assert changes == [
        ("市中区医疗保障局", "merge", 2022, "工作表“更名合并”第4行"),
        ("市中区卫生健康局", "merge", 2022, "工作表“更名合并”第3行"),
        ("张店区人民政府办公室", "rename", 2023, "工作表“更名合并”第2行"),
    ]


def test_units_on_several_sheets_are_one_roster_and_a_unit_listed_twice_is_refused(db: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["单位", "层级", "类型"])
    book.active.append(["张店区人民政府", "区县级", "政府"])
    towns = book.create_sheet("镇街")
    towns.append(["单位", "上级", "层级", "类型"])
    towns.append(["张店区马尚街道办事处", "张店区人民政府", "乡镇级", "政府"])
    out = io.BytesIO()
    book.save(out)
    imported = roster.import_roster_bytes(out.getvalue(), "two.xlsx", db)
    assert [(u.unit, u.position, u.level) for u in imported.units] == [
        ("张店区人民政府", 1, "county"),
        ("张店区马尚街道办事处", 2, "township"),
    ]
    towns.append(["张店区人民政府", "", "区县级", "政府"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(
        roster.RosterError, match="工作表“镇街”第3行：单位“张店区人民政府”重复（已见于工作表“Sheet”第2行）"
    ):
        roster.read_roster(out.getvalue(), "two.xlsx")


def test_renames_and_mergers_carry_old_reports_to_the_new_unit(db: Path) -> None:
    roster.import_roster_bytes(xlsx_roster(XLSX_UNITS, XLSX_CHANGES), "roster.xlsx", db)
    rows = by_unit(query(db, "coverage", year=2021))
    office = rows["张店区人民政府办公厅"]
    assert office["filed_as"] == "张店区人民政府办公室" and office["report_id"] is not None
    assert office["note"] == "以原名称“张店区人民政府办公室”报送"
    merged = rows["市中区卫生健康和医疗保障局"]
    assert merged["filed_as"] == "市中区卫生健康局" and merged["timeliness"] == "按时"
    assert merged["note"] == "由合并前单位“市中区卫生健康局”报送；合并前单位未报送：市中区医疗保障局"
    assert set(rows) == {"张店区人民政府", "张店区人民政府办公厅", "市中区卫生健康和医疗保障局"}
    # The old names are not units of their own, and their reports are not "outside the roster".
    assert query(db, "coverage_unmatched", year=2021)["agency"].to_list() == ["平潭综合实验区管委会"]


def test_a_chain_of_renames_leads_to_the_current_unit(db: Path, tmp_path: Path) -> None:
    chain = "单位,层级,类型\n市中区卫生健康委员会,区县级,部门\n\n旧名称,新名称,类型,年度\n"
    chain += "市中区卫生健康局,市中区卫生健康委员会,更名,2024\n市中区卫生和计划生育局,市中区卫生健康局,更名,2019\n"
    roster.import_roster(write(tmp_path, "chain.csv", chain), db)
    (row,) = query(db, "coverage", year=2021).to_dicts()
    assert (row["unit"], row["filed_as"], row["timeliness"]) == ("市中区卫生健康委员会", "市中区卫生健康局", "按时")


def test_a_new_roster_replaces_the_old_one_whole(db: Path, tmp_path: Path) -> None:
    roster.import_roster(write(tmp_path, "a.csv", UNITS + CHANGES), db)
    roster.import_roster_bytes(xlsx_roster(XLSX_UNITS[:2], None), "b.xlsx", db)
    assert rows(db, "select unit, source from roster_units") == [("张店区人民政府", "b.xlsx")]
    assert rows(db, "select count(*) from roster_changes") == [(0,)]


def test_the_sample_roster_imports_and_is_never_ingested_as_a_report(db: Path) -> None:
    imported = roster.import_roster(config.SAMPLE_ROSTER, db)
    assert len(imported.units) == 8 and len(imported.changes) == 1
    files, _ = collect_files([config.SAMPLE_DATA_DIR])
    assert config.SAMPLE_ROSTER not in files  # a folder ingest of sample_data/ leaves the roster alone
    assert all(p.suffix != ".csv" for p in files)


# --- bad files: refused with every problem named, nothing written ---------------------------------------------

BAD = [
    (
        "单位,上级,层级\n张店区财政局,张店区人民政府,区县级\n",
        ["缺少“类型”列", "missing column “type”", "第1行"],
    ),
    (
        "单位,层级,类型\n张店区财政局,县团级,部门\n",
        ["第2行：无法识别的层级“县团级”", "unknown level “县团级”", "区县级", "county"],
    ),
    ("unit,level,type\n张店区财政局,county,bureau\n", ["第2行：无法识别的类型“bureau”", "unknown type “bureau”"]),
    (
        "单位,层级,类型\n张店区财政局,区县级,部门\n张店区司法局,区县级,部门\n张店区财政局,区县级,部门\n",
        ["第4行：单位“张店区财政局”重复（已见于第2行）", "duplicate unit “张店区财政局” (also at 第2行)"],
    ),
    ("单位,层级,类型\n,区县级,部门\n", ["第2行：单位名称为空", "empty unit name"]),
    ("单位,层级,类型\n张店区财政局,,部门\n", ["第2行：层级为空", "empty level"]),
    (
        "单位,层级,类型\n张店区财政局,区县级,部门\n\n旧名称,新名称,类型,年度\n张店区财税局,张店区财政局,撤销,2020\n",
        ["第5行：无法识别的变更类型“撤销”", "unknown kind of change"],
    ),
    (
        "单位,层级,类型\n张店区财政局,区县级,部门\n\n旧名称,新名称,类型,年度\n张店区财税局,张店区财政局,更名,20\n",
        ["第5行：年度“20”无效", "invalid year “20”"],
    ),
    (
        "单位,层级,类型\n张店区财政局,区县级,部门\n\n旧名称,新名称,类型,年度\n张店区财税局,张店区税务局,更名,2020\n",
        ["第5行：新名称“张店区税务局”不是名册中的单位", "is not a unit of the roster"],
    ),
    (
        "单位,层级,类型\n张店区财政局,区县级,部门\n张店区财税局,区县级,部门\n\n旧名称,新名称,类型,年度\n"
        "张店区财税局,张店区财政局,合并,2020\n",
        ["第6行：旧名称“张店区财税局”仍列在名册的单位中", "is still listed as a unit"],
    ),
    (
        "单位,层级,类型\n张店区财政局,区县级,部门\n\n旧名称,新名称,类型,年度\n"
        "张店区财税局,张店区财政局,更名,2020\n张店区财税局,张店区财政局,合并,2021\n",
        ["第6行：旧名称“张店区财税局”已在第5行登记过变更", "already has a change at 第5行"],
    ),
    ("单位名单\n张店区财政局\n", ["找不到名册表头", "no roster header found"]),
    (  # a parent chain that loops through three units
        "单位,上级,层级,类型\n甲局,乙局,区县级,部门\n乙局,丙局,区县级,部门\n丙局,甲局,区县级,部门\n丁局,甲局,区县级,部门\n",
        ["上级关系成环", "甲局→乙局→丙局→甲局", "第2行、第3行、第4行", "the parent chain loops"],
    ),
    (  # a unit that is its own parent
        "单位,上级,层级,类型\n甲局,甲局,区县级,部门\n",
        ["上级关系成环（甲局→甲局", "the parent chain loops"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD, ids=range(len(BAD)))
def test_bad_rosters_are_refused_with_bilingual_messages(db: Path, tmp_path: Path, text: str, expected) -> None:
    roster.import_roster(write(tmp_path, "good.csv", UNITS), db)
    before = rows(db, "select * from roster_units order by position")
    with pytest.raises(roster.RosterError) as caught:
        roster.import_roster(write(tmp_path, "bad.csv", text), db)
    message = str(caught.value)
    assert message.startswith("bad.csv")
    for part in expected:
        assert part in message, message
    assert rows(db, "select * from roster_units order by position") == before  # nothing written


def test_one_loop_is_reported_once_and_a_chain_into_it_not_at_all(tmp_path: Path) -> None:
    text = (
        "单位,上级,层级,类型\n丁局,甲局,区县级,部门\n甲局,乙局,区县级,部门\n乙局,甲局,区县级,部门\n戊局,,区县级,部门\n"
    )
    with pytest.raises(roster.RosterError) as caught:
        roster.read_roster_file(write(tmp_path, "loop.csv", text))
    assert str(caught.value).count("上级关系成环") == 1 and "丁局→" not in str(caught.value)


def test_every_problem_of_a_file_is_listed(tmp_path: Path) -> None:
    text = "单位,层级,类型\n,区县级,部门\n张店区财政局,县团级,局\n"
    with pytest.raises(roster.RosterError) as caught:
        roster.read_roster_file(write(tmp_path, "bad.csv", text))
    assert len(caught.value.problems) == 3
    assert all(" / " in line and line.startswith("bad.csv") for line in str(caught.value).splitlines())


def test_a_file_that_is_not_a_roster_is_refused(reports_dir: Path, db: Path) -> None:
    pdf = reports_dir / "hongze_district_gov_2023.pdf"
    with pytest.raises(ReportError, match="名册应为 Excel（.xlsx）或 CSV 文件 / a roster must be"):
        roster.import_roster(pdf, db)
    with pytest.raises(ReportError, match="文件为空"):
        roster.read_roster(b"", "empty.csv")


def test_the_command_line_imports_and_refuses(db: Path, tmp_path: Path) -> None:
    good = write(tmp_path, "名册.csv", UNITS + CHANGES)
    bad = write(tmp_path, "bad.csv", "单位,层级,类型\n张店区财政局,县团级,部门\n")
    command = [sys.executable, "-m", "loaders", "roster"]
    done = subprocess.run([*command, good, "--db", db], cwd=ROOT, capture_output=True, encoding="utf-8", check=False)
    assert done.returncode == 0, done.stderr
    assert "单位 units 5" in done.stdout and "更名 renames 1" in done.stdout
    refused = subprocess.run([*command, bad, "--db", db], cwd=ROOT, capture_output=True, encoding="utf-8", check=False)
    assert refused.returncode == 1
    assert "bad.csv 第2行：无法识别的层级“县团级”" in refused.stderr and "unknown level" in refused.stderr
    assert rows(db, "select count(*) from roster_units") == [(5,)]


# --- coverage ----------------------------------------------------------------------------------------------------


def test_coverage_lists_units_without_a_report(db: Path) -> None:
    roster.import_roster(config.SAMPLE_ROSTER, db)
    rows = by_unit(query(db, "coverage", year=2021))
    assert len(rows) == 8
    missing = {unit for unit, row in rows.items() if row["timeliness"] == "未发布"}
    # 周村区人民政府办公室 published only its work plan, which is not an annual report.
    assert missing == {"张店区财政局", "张店区司法局", "周村区人民政府办公室", "洪泽区人民政府"}
    assert all(rows[u]["report_id"] is None and rows[u]["published_on"] is None for u in missing)
    assert rows["张店区财政局"]["parent"] == "张店区人民政府"
    assert (rows["张店区人民政府"]["timeliness"], rows["张店区人民政府"]["deadline"].isoformat()) == (
        "日期不详",
        "2022-03-31",
    )
    assert rows["张店区人民政府办公室"]["deadline"].isoformat() == "2022-01-31"  # an office is a department
    shizhong = rows["市中区卫生健康局"]
    assert (shizhong["published_on"].isoformat(), shizhong["timeliness"]) == ("2022-01-10", "按时")


def test_without_a_roster_the_units_are_the_agencies_with_reports(db: Path) -> None:
    rows = by_unit(query(db, "coverage", year=2014))
    assert set(rows) == {
        "张店区人民政府",
        "张店区人民政府办公室",
        "市中区卫生健康局",
        "平潭综合实验区管委会",
        "洪泽区人民政府",
    }
    assert rows["张店区人民政府办公室"]["timeliness"] == "未发布"
    assert rows["平潭综合实验区管委会"]["timeliness"] == "按时"  # published 2015-01-02


def replaced(reports_dir: Path, tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A fixture report with one piece of its text replaced, saved under the test's folder."""
    text = (reports_dir / name).read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / f"edited-{name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "old", "new", "unit", "timeliness", "days_late"),
    [
        (
            "shizhong-district-health-bureau-2021.txt",
            "2022年1月10日",
            "2022年1月31日",
            "市中区卫生健康局",
            "按时",
            None,
        ),
        ("shizhong-district-health-bureau-2021.txt", "2022年1月10日", "2022年2月1日", "市中区卫生健康局", "逾期", 1),
        (
            "014_pingtan_zone_2021.txt",
            "发布时间: 2022-02-08",
            "发布时间: 2022-03-31",
            "平潭综合实验区管委会",
            "按时",
            None,
        ),
        (
            "014_pingtan_zone_2021.txt",
            "发布时间: 2022-02-08",
            "发布时间: 2022-04-01",
            "平潭综合实验区管委会",
            "逾期",
            1,
        ),
    ],
)
def test_timeliness_at_the_deadlines(
    db: Path, reports_dir: Path, tmp_path: Path, name: str, old: str, new: str, unit: str, timeliness: str, days_late
) -> None:
    ingest([replaced(reports_dir, tmp_path, name, old, new)], db, progress=False)  # the newer version counts
    row = by_unit(query(db, "coverage", year=2021))[unit]
    assert (row["timeliness"], row["days_late"]) == (timeliness, days_late)


# --- roll-up -------------------------------------------------------------------------------------------------


def rollup(db: Path, year: int) -> dict[tuple[str, str], dict]:
    """Roll-up rows keyed by (scope, metric)."""
    return {(r["scope"], r["metric"]): r for r in query(db, "rollup_compare", year=year).iter_rows(named=True)}


def test_rollup_compares_the_government_with_its_units(db: Path) -> None:
    roster.import_roster(config.SAMPLE_ROSTER, db)
    rows = rollup(db, 2021)
    own = rows[("government_level", "requests.new")]
    assert (own["government"], own["stated"], own["summed"], own["difference"]) == ("张店区人民政府", 16, 16, 0)
    assert (own["units_expected"], own["units_missing"], own["r7_finding"]) == (1, None, None)
    total = rows[("units_total", "requests.new")]
    assert (total["stated"], total["summed"], total["difference"]) == (105, 16, 89)
    assert (total["units_expected"], total["units_reported"]) == (3, 1)
    assert total["units_missing"] == "张店区司法局、张店区财政局"
    assert rows[("units_total", "outcome.total")]["stated"] == 105
    assert rows[("units_total", "review.total")]["stated"] == 8  # the office prints 0 reviews: 8 vs 0


def test_rollup_carries_the_r7_finding_when_the_government_level_disagrees(
    db: Path, reports_dir: Path, tmp_path: Path
) -> None:
    edited = replaced(
        reports_dir, tmp_path, "zhangdian-district-gov-2021.txt", "政府层面的申请16件", "政府层面的申请15件"
    )
    ingest([edited], db, progress=False)
    own = rollup(db, 2021)[("government_level", "requests.new")]
    assert (own["stated"], own["summed"], own["difference"]) == (15, 16, -1)
    assert "政府层面15" in own["r7_finding"] and "张店区人民政府办公室" in own["r7_finding"]


def test_rollup_lists_units_without_a_report_and_never_counts_them_as_zero(db: Path) -> None:
    # Without a roster the office is the district's one known unit (its 2021 report names the district as parent);
    # in 2014 only the district reported.
    total = rollup(db, 2014)[("units_total", "requests.new")]
    assert (total["stated"], total["summed"], total["difference"]) == (15, None, None)
    assert (total["units_expected"], total["units_reported"], total["units_missing"]) == (1, 0, "张店区人民政府办公室")
