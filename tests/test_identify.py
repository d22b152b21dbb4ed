"""Reports that state no agency or year: stored unidentified with a finding, kept out of unit and year analytics,
shown on the pages, and moved into their unit and year by `identify` (real report file, real DuckDB file)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loaders import identify, store
from loaders.cli import main
from loaders.parse import parse_file
from loaders.review import ReviewError
from tests.apptest_support import run_page
from tests.dbutil import rows

# The Zhangdian office's 2021 report without its title lines and its statistics period, under a neutral name:
# nothing the loader reads (title, first line, period, signature, closing date, file name) names whom or when.
NAMELESS = Path(__file__).parent / "fixtures" / "unidentified" / "annual-disclosure-report.txt"
OFFICE = "张店区人民政府办公室"  # the office the report is really from; the sample database holds its 2021 report

# Every table the unit and year analytics read: an unidentified report must change none of them.
FACTS = ("fct_reports", "fct_values", "fct_unit_reports", "fct_coverage_units", "fct_coverage_names")


def facts(db: Path) -> dict[str, set]:
    """The unit and year facts and the 雷同 rows, row by row (lists and structs as text, so they compare)."""
    out = {}
    for table in (*FACTS, "section_similarity"):
        out[table] = {repr(row) for row in rows(db, f"select * from {table}")}
    out["sidebar"] = {repr(row) for row in rows(db, "select * from stg_agencies")}
    return out


def ingest(db: Path, *paths: Path) -> store.IngestSummary:
    """Ingest files into the database."""
    return store.ingest(list(paths), db, progress=False)


def stored(db: Path, source: str) -> list[tuple]:
    """(report_id, agency, year, agency_source, year_source, version) of the reports stored from a file."""
    query = "select report_id, agency, year, agency_source, year_source, version from reports where source = ?"
    return rows(db, query + " order by report_id", [source])


def identity_findings(db: Path, report_id: str) -> list[str]:
    """The messages of the stored finding that says the report lacks its agency or year."""
    query = "select message from fct_findings where report_id = ? and contains(message, ?)"
    return [m for (m,) in rows(db, query, [report_id, store.UNIDENTIFIED_MARK])]


def run(capsys: pytest.CaptureFixture, *args: str | Path) -> tuple[int, str, str]:
    """Run the loader's command line in this process: exit code, stdout, stderr."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_stores_it_with_nulls_and_a_finding_naming_the_file_and_the_way_out(sample_copy: Path):
    summary = ingest(sample_copy, NAMELESS)
    assert (summary.added, summary.unidentified, summary.failures) == (1, 1, [])
    [(report_id, agency, year, agency_source, year_source, version)] = stored(sample_copy, NAMELESS.name)
    assert (agency, year, agency_source, year_source, version) == (None, None, None, None, 1)
    parsed = parse_file(NAMELESS)
    figures = rows(
        sample_copy, "select metric, applicant, value, raw, line from figures where report_id = ?", [report_id]
    )
    assert sorted(figures, key=repr) == sorted(
        ((f.metric, f.applicant, f.value, f.raw, f.line) for f in parsed.figures), key=repr
    )
    [message] = identity_findings(sample_copy, report_id)
    assert NAMELESS.name in message and "未写明单位、年度" in message
    assert "“导入”页面" in message and f"python -m loaders identify {NAMELESS.name} --agency" in message
    # the checks of a single report still judge its figures: the office's three R1 breaks are there
    assert rows(sample_copy, "select count(*) from fct_findings where report_id = ? and rule = 'R1'", [report_id]) == [
        (3,)
    ]
    # and no check that needs a year speaks of it (R8 would otherwise hold it to some year's template)
    assert rows(sample_copy, "select count(*) from fct_findings where report_id = ? and rule = 'R8'", [report_id]) == [
        (0,)
    ]


def test_ingesting_it_again_adds_nothing_whatever_its_bytes(sample_copy: Path, tmp_path: Path):
    ingest(sample_copy, NAMELESS)
    again = ingest(sample_copy, NAMELESS)
    assert (again.added, again.unchanged, again.unidentified) == (0, 1, 0)
    gbk = tmp_path / "另存为GBK.txt"  # the same report in another encoding: other bytes, the same content
    gbk.write_bytes(NAMELESS.read_text(encoding="utf-8").encode("gb18030"))
    assert (ingest(sample_copy, gbk).added, len(stored(sample_copy, gbk.name))) == (0, 0)
    assert rows(sample_copy, "select count(*) from stg_reports_unidentified") == [(1,)]


def test_two_different_unidentified_reports_never_replace_each_other(sample_copy: Path, tmp_path: Path):
    other = tmp_path / "another-report.txt"
    other.write_text(NAMELESS.read_text(encoding="utf-8") + "\n本单位将继续做好政务公开工作。\n", encoding="utf-8")
    ingest(sample_copy, NAMELESS)
    summary = ingest(sample_copy, other)
    assert (summary.added, summary.replaced) == (1, 0)
    current = rows(sample_copy, "select source, version from stg_reports_unidentified order by source")
    assert current == [(NAMELESS.name, 1), (other.name, 1)]
    keys = rows(
        sample_copy,
        "select count(distinct finding_key), count(*) from fct_findings where agency is null and year is null",
    )
    assert keys[0][0] == keys[0][1] == 10  # five findings each, none shared between the two reports


def test_unit_and_year_analytics_leave_it_out(sample_copy: Path):
    before = facts(sample_copy)
    ingest(sample_copy, NAMELESS)
    assert facts(sample_copy) == before
    assert rows(sample_copy, "select count(*) from stg_reports_current where agency is null or year is null") == [(0,)]


def test_pages_show_it_and_do_not_break(dashboard_copy: Path):
    ingest(dashboard_copy, NAMELESS)
    [(report_id, *_)] = stored(dashboard_copy, NAMELESS.name)
    at = run_page("app_pages/report.py", {"report": report_id})
    assert NAMELESS.name in at.selectbox(key="report_pick").format_func(report_id)
    assert any("未写明单位、年度" in w.value for w in at.warning)
    at = run_page("app_pages/findings.py")
    listed = at.dataframe[0].value
    unplaced = listed[listed["单位"] == "（未识别）"]
    assert any(NAMELESS.name in message for message in unplaced["问题"])
    for page in ("app_pages/overview.py", "app_pages/trends.py", "app_pages/upload.py"):
        run_page(page)  # fails on any exception


def test_identify_moves_it_into_its_unit_and_year(sample_copy: Path, capsys: pytest.CaptureFixture):
    ingest(sample_copy, NAMELESS)
    [(report_id, *_)] = stored(sample_copy, NAMELESS.name)
    code, out, err = run(
        capsys, "identify", NAMELESS.name, "--agency", "青禾县人民政府办公室", "--year", "2022", "--by", "审核员甲",
        "--db", sample_copy,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "青禾县人民政府办公室" in out and "第1版" in out and "version 1" in out
    assert stored(sample_copy, NAMELESS.name) == [(report_id, "青禾县人民政府办公室", 2022, "given", "given", 1)]
    assert identity_findings(sample_copy, report_id) == []
    headline = rows(
        sample_copy, "select agency, year, requests_new, handled from fct_reports where report_id = ?", [report_id]
    )
    assert headline == [("青禾县人民政府办公室", 2022, 16.0, 16.0)]  # the unit's figures now count
    record = rows(
        sample_copy,
        "select previous_agency, previous_year, agency, year, version, identified_by from report_identifications",
    )
    assert record == [(None, None, "青禾县人民政府办公室", 2022, 1, "审核员甲")]


def test_ingesting_it_again_with_its_agency_and_year_identifies_it(db_file: Path, capsys: pytest.CaptureFixture):
    ingest(db_file, NAMELESS)
    [(report_id, *_)] = stored(db_file, NAMELESS.name)
    code, out, _ = run(capsys, "ingest", "--quiet", NAMELESS, "--agency", "青禾县人民政府办公室", "--db", db_file)
    assert code == 1 and "未能识别 / not identified" in out and "还缺年度" in out and "still needs its year" in out
    assert stored(db_file, NAMELESS.name) == [(report_id, None, None, None, None, 1)]
    given = ("--agency", "青禾县人民政府办公室", "--year", "2022")
    code, out, _ = run(capsys, "ingest", "--quiet", NAMELESS, *given, "--db", db_file)
    assert code == 0 and "未变 unchanged 1" in out
    assert "已识别 / identified" in out and "青禾县人民政府办公室 2022年" in out and "version 1" in out
    assert stored(db_file, NAMELESS.name) == [(report_id, "青禾县人民政府办公室", 2022, "given", "given", 1)]
    assert identity_findings(db_file, report_id) == []
    assert rows(db_file, "select count(*) from stg_reports_unidentified") == [(0,)]
    record = rows(db_file, "select previous_agency, previous_year, agency, year, version from report_identifications")
    assert record == [(None, None, "青禾县人民政府办公室", 2022, 1)]
    code, out, _ = run(capsys, "ingest", "--quiet", NAMELESS, *given, "--db", db_file)  # once identified, it stays
    assert code == 0 and "未变 unchanged 1" in out and "已识别" not in out and "未能识别" not in out
    assert len(rows(db_file, "select * from report_identifications")) == 1


def test_identified_into_a_unit_year_that_has_a_report_it_becomes_the_next_version(sample_copy: Path):
    ingest(sample_copy, NAMELESS)
    [(report_id, *_)] = stored(sample_copy, NAMELESS.name)
    done = identify.identify(sample_copy, report_id, OFFICE, 2021, by="审核员甲")
    assert done.version == 2  # its text differs from the stored one (no title), so it is a new version
    current = rows(sample_copy, "select report_id from stg_reports_current where agency = ? and year = 2021", [OFFICE])
    assert current == [(report_id,)]
    assert rows(sample_copy, "select count(*) from stg_reports_unidentified") == [(0,)]


def test_identifying_a_copy_of_a_stored_report_drops_the_copy(db_file: Path, tmp_path: Path):
    ingest(db_file, NAMELESS)
    gbk = tmp_path / "copy.txt"
    gbk.write_bytes(NAMELESS.read_text(encoding="utf-8").encode("gb18030"))
    identify.identify(db_file, NAMELESS.name, OFFICE, 2021, by="审核员甲")
    ingest(db_file, gbk)  # the same content again, unidentified: the identified one is not its version
    [(copy_id, *_)] = stored(db_file, gbk.name)
    done = identify.identify(db_file, gbk.name, OFFICE, 2021, by="审核员乙")
    assert done.version is None  # as an ingest with --agency/--year would have stored nothing
    assert stored(db_file, gbk.name) == [] and rows(
        db_file, "select count(*) from figures where report_id = ?", [copy_id]
    ) == [(0,)]
    assert rows(db_file, "select count(*), max(version) from reports") == [(1, 1)]


def test_a_file_without_its_year_keeps_its_agency(db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture):
    yearless = tmp_path / "report-of-the-office.txt"
    yearless.write_text(f"{OFFICE}\n" + NAMELESS.read_text(encoding="utf-8"), encoding="utf-8")
    ingest(db_file, yearless)
    [(report_id, agency, year, agency_source, year_source, _)] = stored(db_file, yearless.name)
    assert (agency, year, agency_source, year_source) == (OFFICE, None, "text", None)
    [message] = identity_findings(db_file, report_id)
    assert "未写明年度" in message and "--year 年度" in message and "--agency" not in message
    code, _, err = run(capsys, "identify", yearless.name, "--agency", "", "--db", db_file)
    assert code == 1 and "请填写单位或年度" in err and "give an agency or a year" in err
    assert run(capsys, "identify", report_id, "--year", "2021", "--by", "审核员甲", "--db", db_file)[0] == 0
    assert stored(db_file, yearless.name) == [(report_id, OFFICE, 2021, "text", "given", 1)]
    assert rows(db_file, "select agency, year from fct_reports") == [(OFFICE, 2021)]


def test_identify_refuses_what_it_cannot_do_and_writes_nothing(
    db_file: Path, reports_dir: Path, capsys: pytest.CaptureFixture
):
    ingest(db_file, NAMELESS, reports_dir / "zhangdian-district-gov-2021.txt")
    before = rows(db_file, "select report_id, agency, year, version from reports order by report_id")
    cases = [
        (("no-such-file.txt", "--agency", OFFICE, "--year", "2021"), "数据库中没有报告", "no stored report"),
        (("zhangdian-district-gov-2021.txt", "--agency", OFFICE, "--year", "2021"), "已有单位和年度", "already has"),
        ((NAMELESS.name, "--agency", OFFICE), "还缺年度", "still needs its year"),
    ]
    for args, zh, en in cases:
        code, _, err = run(capsys, "identify", *args, "--db", db_file)
        assert code == 1 and zh in err and en in err, err
    assert rows(db_file, "select report_id, agency, year, version from reports order by report_id") == before
    with pytest.raises(ReviewError, match="请填写姓名"):
        identify.identify(db_file, NAMELESS.name, OFFICE, 2021, by=" ")
    code, _, err = run(capsys, "identify", NAMELESS.name, "--year", "2021", "--db", db_file.with_name("none.duckdb"))
    assert code == 1 and "数据库不存在" in err


def test_two_unidentified_reports_of_one_file_name_are_named_by_id(db_file: Path, tmp_path: Path):
    first, second = tmp_path / "a" / "report.txt", tmp_path / "b" / "report.txt"
    for folder, path in ((tmp_path / "a", first), (tmp_path / "b", second)):
        folder.mkdir()
        shutil.copy(NAMELESS, path)
    second.write_text(second.read_text(encoding="utf-8") + "\n另附说明。\n", encoding="utf-8")
    ingest(db_file, first, second)
    with pytest.raises(ReviewError, match="请改用报告编号"):
        identify.identify(db_file, "report.txt", OFFICE, 2021, by="审核员甲")
    [(first_id, *_), _] = stored(db_file, "report.txt")
    assert identify.identify(db_file, first_id, OFFICE, 2021, by="审核员甲").version == 1


def test_a_folder_ingest_counts_it_as_stored_without_identity(
    db_file: Path, tmp_path: Path, reports_dir: Path, capsys: pytest.CaptureFixture
):
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(NAMELESS, folder / NAMELESS.name)
    shutil.copy(reports_dir / "zhangdian-district-gov-2021.txt", folder / "zhangdian-district-gov-2021.txt")
    code, out, _ = run(capsys, "ingest", "--quiet", folder, "--db", db_file)
    assert code == 0  # nothing was refused
    assert "新增 added 2" in out and "stored without agency or year: 1" in out and "失败 / failures: 0" in out


def test_the_import_page_gives_a_form_to_the_first_reports_only_and_counts_them_all(
    dashboard_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from ui import identify as identify_ui

    monkeypatch.setattr(identify_ui, "FORMS", 1)
    other = tmp_path / "another-report.txt"
    other.write_text(NAMELESS.read_text(encoding="utf-8") + "\n本单位将继续做好政务公开工作。\n", encoding="utf-8")
    ingest(dashboard_copy, NAMELESS)
    ingest(dashboard_copy, other)
    at = run_page("app_pages/upload.py")
    assert "未识别的报告（2）" in [s.value for s in at.subheader]
    assert "下面先列出前 1 份；每保存一份，下一份随之列出。" in [c.value for c in at.caption]
    assert len([t for t in at.text_input if t.key and t.key.endswith("_agency")]) == 1
