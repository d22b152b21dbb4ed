"""The command line, run as a real subprocess on real report files: ingest, parse --json and check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

import config

ROOT = Path(__file__).resolve().parent.parent
GOV = "zhangdian-district-gov-2021.txt"
OFFICE = "zhangdian-district-gov-office-2021.txt"
SHIZHONG = "shizhong-district-health-bureau-2021.txt"


def run_cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `python -m loaders ARGS` from the repository root and capture its output as UTF-8."""
    environment = {k: v for k, v in os.environ.items() if k != config.DB_ENV_VAR} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "loaders", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        env=environment,
        check=False,
    )


def test_ingest_prints_a_summary_and_a_progress_bar(reports_dir: Path, db_file: Path):
    result = run_cli("ingest", reports_dir / GOV, reports_dir / OFFICE, reports_dir / SHIZHONG, "--db", db_file)
    assert result.returncode == 0, result.stderr
    assert "新增 added 3" in result.stdout
    assert "失败 / failures: 0" in result.stdout
    assert "3/3" in result.stderr  # tqdm on stderr
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        figures = con.sql("select count(*) from figures").fetchall()[0][0]
        findings = con.sql("select count(*) from findings").fetchall()[0][0]
    finally:
        con.close()
    assert f"数值 / figures: {figures}" in result.stdout
    assert f"问题 / findings: {findings}" in result.stdout


def test_ingest_exits_1_and_names_each_failed_file(reports_dir: Path, tmp_path: Path, db_file: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run_cli("ingest", "--quiet", reports_dir / GOV, empty, "--db", db_file)
    assert result.returncode == 1
    assert "新增 added 1" in result.stdout
    assert "失败 / failures: 1" in result.stdout
    failure_lines = [line for line in result.stdout.splitlines() if str(empty) in line]
    assert len(failure_lines) == 1 and "文件为空" in failure_lines[0] and "empty" in failure_lines[0]
    assert result.stderr == ""  # --quiet: no progress bar


def test_ingest_and_check_use_the_database_named_by_the_environment(reports_dir: Path, db_file: Path):
    env = {config.DB_ENV_VAR: str(db_file)}
    assert run_cli("ingest", "--quiet", reports_dir / OFFICE, env=env).returncode == 0
    assert db_file.is_file()
    result = run_cli("check", "--json", env=env)
    assert result.returncode == 0
    assert {f["agency"] for f in json.loads(result.stdout)["findings"]} == {"张店区人民政府办公室"}


def test_parse_json_has_the_stable_shape(reports_dir: Path):
    result = run_cli("parse", reports_dir / OFFICE, reports_dir / GOV, "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == ["reports"]
    office, gov = document["reports"]
    for report in (office, gov):
        assert list(report) == [
            "source",
            "agency",
            "year",
            "agency_source",
            "year_source",
            "template",
            "figures",
            "findings",
        ]
        assert all(list(f) == ["metric", "applicant", "value", "raw", "line"] for f in report["figures"])
        assert all(list(f) == ["rule", "severity", "message"] for f in report["findings"])
    assert (office["source"], office["agency"], office["year"], office["template"]) == (
        OFFICE,
        "张店区人民政府办公室",
        2021,
        "2021",
    )
    new_total = [f for f in office["figures"] if (f["metric"], f["applicant"]) == ("requests.new", "total")]
    assert new_total == [{"metric": "requests.new", "applicant": "total", "value": 16, "raw": "16", "line": 100}]
    assert {
        "rule": "R1",
        "severity": "error",
        "message": "自然人列：新收12+上年结转0 ≠ 办理总计16+结转下年0",
    } in office["findings"]
    assert [f["rule"] for f in gov["findings"]] == ["R9"]


def test_parse_json_lists_failed_files_under_errors(reports_dir: Path, tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run_cli("parse", "--json", empty, reports_dir / GOV)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert [r["source"] for r in document["reports"]] == [GOV]
    assert document["errors"] == [{"source": str(empty), "message": document["errors"][0]["message"]}]
    assert "empty.txt" in document["errors"][0]["message"] and "file is empty" in document["errors"][0]["message"]


def test_parse_without_json_is_readable(reports_dir: Path):
    result = run_cli("parse", reports_dir / SHIZHONG)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == f"{SHIZHONG}: 市中区卫生健康局 2021 模板/template 2019"
    assert any(
        line.strip().startswith("R8 warning: 2021年度报告使用了2019版表格模板") for line in result.stdout.splitlines()
    )


def test_check_prints_a_table_and_json_of_the_same_findings(reports_dir: Path, db_file: Path):
    assert run_cli("ingest", "--quiet", reports_dir / OFFICE, reports_dir / SHIZHONG, "--db", db_file).returncode == 0
    as_json = json.loads(run_cli("check", "--db", db_file, "--json").stdout)["findings"]
    assert as_json and set(as_json[0]) == {"report_id", "agency", "year", "rule", "severity", "message", "cells"}
    assert isinstance(as_json[0]["cells"], list)
    table = run_cli("check", "--db", db_file)
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert lines[0].startswith("机构 agency")
    assert len(lines) == len(as_json) + 2  # header, one line per finding, count
    errors = sum(f["severity"] == "error" for f in as_json)
    assert lines[-1] == f"共 {len(as_json)} 条问题（错误 {errors} 条）/ {len(as_json)} findings ({errors} errors)"
    for finding in as_json:
        assert any(finding["message"] in line and finding["rule"] in line for line in lines[1:-1])


def test_check_without_a_database_says_so(tmp_path: Path):
    result = run_cli("check", "--db", tmp_path / "missing.duckdb")
    assert result.returncode == 1
    assert "数据库不存在" in result.stderr and "database not found" in result.stderr


SHAPES = ROOT / "tests" / "fixtures" / "shapes"
# The control report without its title and statistics period: nothing in it says whose report it is or for when.
NAMELESS = (SHAPES / "00_control.txt").read_text(encoding="utf-8").split("\n", 3)[3]


def stored_identity(db_file: Path) -> list[tuple]:
    """Agency, year and where each was read, for every stored report."""
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        return con.sql("select agency, year, agency_source, year_source from reports order by agency").fetchall()
    finally:
        con.close()


def test_parse_json_says_where_agency_and_year_were_read(tmp_path: Path):
    named = tmp_path / "2022年青禾县教育局政府信息公开工作年度报告.txt"
    named.write_text(NAMELESS, encoding="utf-8")
    result = run_cli("parse", "--json", SHAPES / "C9_title_wrapped.txt", named)
    assert result.returncode == 0, result.stderr
    wrapped, by_name = json.loads(result.stdout)["reports"]
    assert [wrapped[k] for k in ("agency", "year", "agency_source", "year_source")] == [
        "江川市生态环境局",
        2023,
        "title",
        "title",
    ]
    assert [by_name[k] for k in ("agency", "year", "agency_source", "year_source")] == [
        "青禾县教育局",
        2022,
        "filename",
        "filename",
    ]


def test_a_report_without_agency_or_year_is_stored_with_the_way_to_give_them(tmp_path: Path, db_file: Path):
    nameless = tmp_path / "report.txt"
    nameless.write_text(NAMELESS, encoding="utf-8")
    parsed = json.loads(run_cli("parse", "--json", nameless).stdout)["reports"][0]
    assert (parsed["agency"], parsed["year"]) == (None, None)
    assert any(
        f["rule"] == "PARSE" and "未写明单位、年度" in f["message"] and "identify report.txt" in f["message"]
        for f in parsed["findings"]
    )
    stored = run_cli("ingest", "--quiet", nameless, "--db", db_file)
    assert stored.returncode == 0, stored.stdout
    assert "stored without agency or year: 1" in stored.stdout and "失败 / failures: 0" in stored.stdout
    assert stored_identity(db_file) == [(None, None, None, None)]


def test_ingest_stores_a_report_with_the_agency_and_year_given(tmp_path: Path, db_file: Path, reports_dir: Path):
    nameless = tmp_path / "report.txt"
    nameless.write_text(NAMELESS, encoding="utf-8")
    result = run_cli("ingest", "--quiet", nameless, "--agency", "青禾县农业农村局", "--year", "2023", "--db", db_file)
    assert result.returncode == 0, result.stdout
    assert stored_identity(db_file) == [("青禾县农业农村局", 2023, "given", "given")]


def test_a_given_year_wins_and_the_report_s_own_is_kept_as_a_finding(reports_dir: Path):
    result = run_cli("parse", "--json", reports_dir / OFFICE, "--year", "2020")
    report = json.loads(result.stdout)["reports"][0]
    assert (report["agency"], report["agency_source"], report["year"], report["year_source"]) == (
        "张店区人民政府办公室",
        "title",
        2020,
        "given",
    )
    assert any("“2021”" in f["message"] and "“2020”" in f["message"] for f in report["findings"])


def test_a_year_that_is_not_four_digits_is_refused_before_reading_anything(reports_dir: Path):
    result = run_cli("parse", reports_dir / OFFICE, "--year", "二〇二三")
    assert result.returncode == 2 and "四位年份" in result.stderr


def test_a_folder_ingest_names_every_file_it_skipped_or_refused_and_fails(
    reports_dir: Path, tmp_path: Path, db_file: Path
):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / GOV).write_bytes((reports_dir / GOV).read_bytes())
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600  # the header of an old binary Office file
    (folder / "old.doc").write_bytes(ole)
    (folder / "sub" / "old.wps").write_bytes(ole)
    (folder / "sheet.xls").write_bytes(ole)
    (folder / "macro.xlsm").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (folder / "table.csv").write_text("甲,乙\n1,2\n", encoding="utf-8")
    (folder / "unit-roster.csv").write_bytes((ROOT / "sample_data" / "roster.csv").read_bytes())
    (folder / "README.md").write_text("说明", encoding="utf-8")
    (folder / ".hidden.txt").write_text("x", encoding="utf-8")
    result = run_cli("ingest", "--quiet", folder, "--db", db_file)
    assert result.returncode == 1, result.stdout
    assert "新增 added 1" in result.stdout and "失败 / failures: 5" in result.stdout
    lines = result.stdout.splitlines()
    for name in ("old.doc", "old.wps", "sheet.xls", "macro.xlsm", "table.csv"):
        line = next(
            line for line in lines if line.strip().startswith(str(folder)) and line.split(":")[0].endswith(name)
        )
        assert " / " in line, line  # the reason, in Chinese and English
    assert "另存为 .docx" in next(line for line in lines if "old.doc:" in line)
    assert "跳过 / skipped: 3" in result.stdout
    for name, reason in (("unit-roster.csv", "roster"), ("README.md", "README"), (".hidden.txt", "hidden")):
        assert reason in next(line for line in lines if line.split(":")[0].endswith(name))


def test_a_folder_with_only_reports_and_a_roster_still_exits_0(db_file: Path):
    result = run_cli("ingest", "--quiet", ROOT / "sample_data", "--db", db_file)
    assert result.returncode == 0, result.stdout
    assert "roster.csv" in result.stdout and "README.md" in result.stdout  # listed as skipped, with the reason
