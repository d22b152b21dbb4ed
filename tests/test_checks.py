"""Checks R1–R9: each fires on a real report that breaks it and stays quiet on one that does not."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

import config
from loaders import checks, store
from loaders.keys import APPLICANT_KEYS
from loaders.model import Figure, Report
from loaders.parse import parse_file

GOV = "zhangdian-district-gov-2021.txt"
OFFICE = "zhangdian-district-gov-office-2021.txt"
SHIZHONG = "shizhong-district-health-bureau-2021.txt"
PINGTAN_2020 = "013_pingtan_zone_2020.txt"
PINGTAN_2021 = "014_pingtan_zone_2021.txt"
PINGTAN_2022 = "015_pingtan_zone_2022.txt"
HONGZE = "022_hongze_district_gov_2023_pdf_raw.txt"


@pytest.fixture(scope="module")
def all_findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    """Findings of a database holding every fixture report, by source file."""
    db = tmp_path_factory.mktemp("checks") / "all.duckdb"
    summary = store.ingest(sorted((Path(__file__).parent / "fixtures" / "reports").glob("*.txt")), db, progress=False)
    assert not summary.failures
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.sql(
            "select r.source, f.* exclude (finding_key) from findings as f"
            " join reports as r using (report_id) order by all"
        ).fetchall()
    finally:
        con.close()
    out: dict[str, list[dict]] = {}
    for source, _id, _agency, _year, rule, severity, message, cells in rows:
        out.setdefault(source, []).append({"rule": rule, "severity": severity, "message": message, "cells": cells})
    return out


def messages(found: list[dict], rule: str) -> list[str]:
    """The messages of one rule's findings."""
    return [f["message"] for f in found if f["rule"] == rule]


def edited(reports_dir: Path, tmp_path: Path, name: str, *changes: tuple[str, str]) -> Path:
    """A copy of a fixture report in tmp_path with passages replaced (each must occur exactly once)."""
    text = (reports_dir / name).read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, f"{name}: {old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- unedited real reports -------------------------------------------------------------------------

RULE_CASES = [
    ("R1", OFFICE, GOV, "自然人列：新收12+上年结转0 ≠ 办理总计16+结转下年0"),
    ("R1", OFFICE, GOV, "商业企业列：新收2+上年结转0 ≠ 办理总计0+结转下年0"),
    ("R2", PINGTAN_2020, GOV, "自然人列：办理结果各项之和26 ≠ 总计20"),
    ("R2", PINGTAN_2020, GOV, "总计列：办理结果各项之和27 ≠ 总计21"),
    ("R4", HONGZE, GOV, "行政复议：结果维持10+结果纠正1+其他结果0+尚未审结0=11 ≠ 总计0"),
    ("R4", HONGZE, GOV, "复议后起诉：结果维持5+结果纠正0+其他结果0+尚未审结0=5 ≠ 总计0"),
    ("R5", "007_pingtan_zone_2013.txt", GOV, "行政复议·总计：正文1 ≠ 表格0"),
    ("R5", PINGTAN_2022, GOV, "一、本年新收政府信息公开申请数量：正文75 ≠ 表格74"),
    ("R8", SHIZHONG, GOV, "2021年度报告使用了2019版表格模板，该年度应为2021版表格模板"),
    ("R9", GOV, OFFICE, "二、上年结转政府信息公开申请数量（商业企业）：单元格“00”不是规范的非负整数"),
    ("R9", SHIZHONG, OFFICE, "其他对外管理服务事项·本年增/减：单元格“增7”不是规范的增减数（可带正负号，不应有文字）"),
]


@pytest.mark.parametrize(("rule", "breaks", "quiet", "message"), RULE_CASES)
def test_rule_fires_on_the_report_that_breaks_it(all_findings, rule: str, breaks: str, quiet: str, message: str):
    assert message in messages(all_findings.get(breaks, []), rule)
    assert messages(all_findings.get(quiet, []), rule) == []


def test_the_well_formed_report_has_only_its_known_finding(all_findings):
    # zhangdian-district-gov-2021: every sum holds and the prose agrees; only the "00" cell is wrong.
    assert [(f["rule"], f["severity"]) for f in all_findings[GOV]] == [("R9", "warning")]


def test_severity_is_error_for_arithmetic_and_warning_otherwise(all_findings):
    seen = {(f["rule"], f["severity"]) for found in all_findings.values() for f in found}
    for rule, severity in seen:
        if rule in {"R1", "R2", "R3", "R4"}:
            assert severity == "error"
        elif re.fullmatch(r"R\d", rule):
            assert severity == "warning"


def test_cells_name_the_figures_behind_a_finding(all_findings):
    (r1,) = [f for f in all_findings[OFFICE] if f["message"].startswith("自然人列")]
    cells = {(c["metric"], c["applicant"]): c for c in json.loads(r1["cells"])}
    assert set(cells) == {
        ("requests.new", "natural_person"),
        ("requests.carried_over", "natural_person"),
        ("outcome.total", "natural_person"),
        ("requests.carried_forward", "natural_person"),
    }
    assert cells[("requests.new", "natural_person")]["value"] == 12
    assert cells[("requests.new", "natural_person")]["raw"] == "12"
    assert isinstance(cells[("outcome.total", "natural_person")]["line"], int)


def test_parser_findings_are_in_the_same_view(all_findings):
    parsed = [f for f in all_findings[OFFICE] if f["rule"] not in {f"R{i}" for i in range(1, 10)}]
    assert parsed and all(f["severity"] in {"error", "warning", "info"} for f in parsed)


def test_cross_report_rules_are_quiet_on_consistent_reports(all_findings):
    # Pingtan 2019–2025 carry over what the year before carried forward; the district states the
    # same government-level count (16) as its office.
    assert all(messages(found, "R6") == [] for found in all_findings.values())
    assert all(messages(found, "R7") == [] for found in all_findings.values())


# --- real reports edited to break one rule ------------------------------------------------------------


def test_r3_fires_on_an_edited_row(reports_dir: Path, tmp_path: Path):
    row = "一、本年新收政府信息公开申请数量\t\t12\t2\t2\t0\t0\t0\t"
    path = edited(reports_dir, tmp_path, OFFICE, (row + "16", row + "17"))
    assert messages(checks.findings_for([parse_file(reports_dir / OFFICE)])[OFFICE], "R3") == []
    found = checks.findings_for([parse_file(path)])[OFFICE]
    assert messages(found, "R3") == ["一、本年新收政府信息公开申请数量行：六类申请人之和16 ≠ 总计17"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("予以公开61件", "予以公开62件", "（一）予以公开：正文62 ≠ 表格61"),
        ("予以公开61件", "予以公开62件", "（一）予以公开：正文占比58.10%，按62÷105计算应为59.05%"),
        ("占58.10%", "占58.20%", "（一）予以公开：正文占比58.20%，按61÷105计算应为58.10%"),
        ("不予公开12件", "不予公开13件", "不予公开：正文13 ≠ 表格该类各项之和12"),
    ],
)
def test_r5_fires_when_prose_disagrees_with_the_table(
    reports_dir: Path, tmp_path: Path, old: str, new: str, expected: str
):
    path = edited(reports_dir, tmp_path, GOV, (old, new))
    assert expected in messages(checks.findings_for([parse_file(path)])[GOV], "R5")


def test_r5_is_quiet_on_the_unedited_report(reports_dir: Path):
    assert messages(checks.findings_for([parse_file(reports_dir / GOV)])[GOV], "R5") == []


def test_r6_fires_when_carried_over_differs_from_last_years_carried_forward(
    reports_dir: Path, tmp_path: Path, db_file: Path
):
    path = edited(
        reports_dir,
        tmp_path,
        PINGTAN_2022,
        ("上年结转政府信息公开申请数量 1000001", "上年结转政府信息公开申请数量 2000002"),
    )
    store.ingest([reports_dir / PINGTAN_2021, path], db_file, progress=False)
    found = db_findings(db_file)
    assert ("平潭综合实验区管委会", 2022, "自然人列：本年上年结转2 ≠ 2021年报告结转下年1") in found["R6"]
    assert ("平潭综合实验区管委会", 2022, "总计列：本年上年结转2 ≠ 2021年报告结转下年1") in found["R6"]
    assert all(year == 2022 for _, year, _ in found["R6"])


def test_r7_fires_when_the_government_level_figure_differs_from_the_office(
    reports_dir: Path, tmp_path: Path, db_file: Path
):
    path = edited(reports_dir, tmp_path, GOV, ("政府层面的申请16件", "政府层面的申请17件"))
    store.ingest([path, reports_dir / OFFICE], db_file, progress=False)
    assert db_findings(db_file)["R7"] == [
        (
            "张店区人民政府",
            2021,
            "一、本年新收政府信息公开申请数量：本报告称政府层面17，张店区人民政府办公室2021年报告为16",
        )
    ]


def test_r7_needs_the_office_report_of_the_same_year(reports_dir: Path, tmp_path: Path):
    path = edited(reports_dir, tmp_path, GOV, ("政府层面的申请16件", "政府层面的申请17件"))
    assert messages(checks.findings_for([parse_file(path)])[GOV], "R7") == []


def test_r8_fires_when_a_section_is_missing(reports_dir: Path, tmp_path: Path):
    path = edited(reports_dir, tmp_path, GOV, ("六、其他需要报告的事项\n", ""))
    found = checks.findings_for([parse_file(path)])[GOV]
    assert messages(found, "R8") == ["缺少第六部分（模板规定一至六共六部分）"]


def test_r8_takes_a_title_printed_without_its_numeral_for_the_section(reports_dir: Path, tmp_path: Path):
    path = edited(reports_dir, tmp_path, GOV, ("六、其他需要报告的事项\n", "其他需要报告的事项\n"))
    found = checks.findings_for([parse_file(path)])[GOV]
    assert messages(found, "R8") == []


def db_findings(db: Path) -> dict[str, list[tuple]]:
    """(agency, year, message) of every finding in a database, by rule, read through checks.findings."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        frame = checks.findings(con)
    finally:
        con.close()
    out: dict[str, list[tuple]] = {}
    for row in frame.iter_rows(named=True):
        out.setdefault(row["rule"], []).append((row["agency"], row["year"], row["message"]))
    return out


# --- edges of the rules, on reports built in code ----------------------------------------------------


def section3(rows: dict[str, list[float | None]], line: int = 100) -> list[Figure]:
    """Section 三 table figures from {metric: seven values in column order}; None is a "/" cell."""
    figures = []
    for offset, (metric, values) in enumerate(rows.items()):
        for applicant, value in zip(APPLICANT_KEYS, values, strict=True):
            raw = "/" if value is None else f"{value:g}"
            figures.append(Figure(metric, applicant, value, raw, line + offset, "三"))
    return figures


def built(figures: list[Figure], mentions: list[Figure] | None = None, **meta) -> Report:
    """A report assembled from figures, with the identity of a 2021 district report unless told otherwise."""
    fields = {"agency": "某区人民政府", "year": 2021, "template": "2021", "sections": list("一二三四五六")} | meta
    source = fields.pop("source", "built.txt")
    return Report(source, "", source, figures=figures, mentions=mentions or [], **fields)


def rules_of(report: Report) -> list[str]:
    """The rules that fire on one built report."""
    return [f["rule"] for f in checks.findings_for([report])[report.source]]


def test_a_column_with_a_cell_not_stated_is_not_summed():
    balanced = [1, 0, 0, 0, 0, 0, 1]
    rows = {
        "requests.new": [2, 0, 0, 0, 0, 0, 2],
        "requests.carried_over": [None, 0, 0, 0, 0, 0, 0],  # "/" in the 自然人 column
        "outcome.granted": balanced,
        "outcome.total": balanced,
        "requests.carried_forward": [0, 0, 0, 0, 0, 0, 0],
    }
    found = checks.findings_for([built(section3(rows))])["built.txt"]
    r1 = messages(found, "R1")
    assert r1 == ["总计列：新收2+上年结转0 ≠ 办理总计1+结转下年0"]  # the 自然人 column is not judged
    rows["outcome.partial"] = [None, 0, 0, 0, 0, 0, 0]
    found = checks.findings_for([built(section3(rows))])["built.txt"]
    assert messages(found, "R2") == []  # a column with an outcome cell not stated has no known sum


@pytest.mark.parametrize(
    ("metric", "raw", "fires"),
    [
        ("requests.new", "0", False),
        ("requests.new", "12", False),
        ("requests.new", "65,036", False),
        ("requests.new", "１２", False),
        ("requests.new", "[bookmark: _GoBack]1", False),
        ("requests.new", "/", False),
        ("requests.new", "", False),
        ("requests.new", "—", False),
        ("requests.new", "00", True),
        ("requests.new", "增7", True),
        ("requests.new", "-3", True),
        ("requests.new", "1.5", True),
        ("requests.new", "无", True),
        ("licensing.items_change", "-18", False),
        ("licensing.items_change", "+3", False),
        ("licensing.items_change", "增7", True),
        ("licensing.items_change", "1.5", True),
        ("fees.amount_wan_yuan", "19318.93442", False),
        ("fees.amount_wan_yuan", "-1", True),
        ("fees.amount_wan_yuan", "约5", True),
    ],
)
def test_r9_judges_the_printed_cell_by_the_kind_of_figure(metric: str, raw: str, fires: bool):
    applicant = "total" if metric.startswith("requests.") else None
    figure = Figure(metric, applicant, 1.0, raw, 50, "三" if applicant else "二")
    assert ("R9" in rules_of(built([figure]))) is fires


def test_r9_ignores_a_cell_the_parser_could_not_split():
    figure = Figure("licensing.decisions", None, None, "396442278", 10, "二", qualifier="ambiguous")
    assert "R9" not in rules_of(built([figure]))


@pytest.mark.parametrize(
    ("value", "total", "printed", "fires"),
    [
        (5, 15, "33.3", False),  # 33.33 printed to one decimal
        (5, 15, "33.4", True),
        (61, 105, "58.10", False),
        (61, 105, "58.1", False),
        (61, 105, "58.11", True),  # two decimals printed: 58.095 is not within 0.005
        (2, 3, "67", False),
        (2, 3, "66", True),
    ],
)
def test_r5_allows_half_a_unit_of_the_last_printed_decimal(value: int, total: int, printed: str, fires: bool):
    table = [Figure("outcome.total", "total", float(total), str(total), 90, "三")]
    sentence = f"予以公开{value}件，占{printed}%。"
    mention = Figure(
        "outcome.granted", "total", float(value), f"{value}件", 5, "一", kind="prose",
        sentence=sentence, percent=float(printed),
    )  # fmt: skip
    assert ("R5" in rules_of(built(table, [mention]))) is fires


@pytest.mark.parametrize(
    ("year", "template", "fires"),
    [(2018, "prose", False), (2019, "prose", True), (2020, "2019", False), (2020, "2021", True), (2022, "2019", True)],
)
def test_r8_template_must_match_the_year(year: int, template: str, fires: bool):
    assert ("R8" in rules_of(built([], year=year, template=template))) is fires


def test_reports_of_the_same_agency_and_year_are_each_checked(reports_dir: Path, tmp_path: Path):
    path = edited(reports_dir, tmp_path, GOV, ("予以公开61件", "予以公开62件"))
    revised = parse_file(path)
    revised.source = "revised.txt"
    found = checks.findings_for([parse_file(reports_dir / GOV), revised])
    assert messages(found[GOV], "R5") == []
    assert "（一）予以公开：正文62 ≠ 表格61" in messages(found["revised.txt"], "R5")


def test_database_and_unstored_reports_give_the_same_findings(reports_dir: Path, db_file: Path):
    names = [GOV, OFFICE, SHIZHONG, HONGZE]
    store.ingest([reports_dir / n for n in names], db_file, progress=False)
    stored = sorted(m for rule, found in db_findings(db_file).items() for _, _, m in found)
    unstored = checks.findings_for([parse_file(reports_dir / n) for n in names])
    assert sorted(f["message"] for found in unstored.values() for f in found) == stored


def test_findings_view_reads_every_check_file():
    from tests.test_architecture import check_rules

    union = (config.SQL_DIR / "checks" / "findings.sql").read_text(encoding="utf-8")
    rules = check_rules(config.SQL_DIR / "checks")
    assert sorted(r for found in rules.values() for r in found) == [f"R{i}" for i in range(1, 10)]  # one file per rule
    assert re.search(rf"\bquery_table\({store.CHECKS_MACRO}\(\), true\)", union)  # every view the macro lists
    con = duckdb.connect(":memory:")
    try:
        store.prepare(con)
        assert con.sql(f"select {store.CHECKS_MACRO}()").fetchall()[0][0] == sorted(rules)
    finally:
        con.close()


# A rule made up for the test below: a report that received more than 100 new requests (the total column).
NEW_RULE = ("R10", "本年新收申请超过100件")
NEW_CHECK = """-- R10 (a test's own rule): the report received more than 100 new requests.
with totals as (
    select report_id, agency, year, value, raw, line
    from stg_figures
    where kind = 'table' and metric = 'requests.new' and applicant = 'total' and value > 100
)

select
    report_id,
    agency,
    year,
    'R10' as rule,
    'info' as severity,
    format('本年新收{}件，超过100件', fmt_num(value)) as message,
    to_json([finding_cell('requests.new', 'total', value, raw, line)]) as cells
from totals
"""


def test_a_new_rule_is_one_entry_in_the_rule_list_and_one_check_file(
    reports_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from analytics.rubric import RubricError, load_rubric
    from loaders import keys
    from tests.test_architecture import rule_check_problems
    from tests.test_scoring import edited_rubric

    naming_r10 = edited_rubric(tmp_path, "per = 3 ", 'rules = ["R1", "R10"]\nper = 3 ')
    with pytest.raises(RubricError, match="未知的规则：R10"):
        load_rubric(naming_r10)

    original = config.SQL_DIR
    sql = shutil.copytree(original, tmp_path / "sql")
    (sql / "checks" / "chk_many_new_requests.sql").write_text(NEW_CHECK, encoding="utf-8")  # the one new file
    monkeypatch.setitem(keys.RULES, *NEW_RULE)  # the one new entry
    monkeypatch.setattr(config, "SQL_DIR", sql)
    monkeypatch.setattr(store, "schema_fingerprint", store.schema_fingerprint.__wrapped__)  # this sql/, uncached
    files = {p.relative_to(sql).as_posix(): p.read_bytes() for p in sql.rglob("*.sql")}
    assert files == {"checks/chk_many_new_requests.sql": NEW_CHECK.encode("utf-8")} | {
        p.relative_to(original).as_posix(): p.read_bytes() for p in original.rglob("*.sql")
    }  # no other file edited: findings.sql included

    assert rule_check_problems(sql / "checks", [r for r in keys.RULES if r != "PARSE"]) == []
    db = tmp_path / "new_rule.duckdb"
    store.ingest([reports_dir / GOV, reports_dir / SHIZHONG], db, progress=False)
    found = db_findings(db)
    assert found["R10"] == [("张店区人民政府", 2021, "本年新收105件，超过100件")]  # the health bureau got fewer
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = con.sql("select rule, count(*) from fct_findings group by rule order by rule").fetchall()
    finally:
        con.close()
    assert ("R10", 1) in stored
    assert {rule for rule in found if rule != "R10"} <= set(keys.CHECK_RULES) | {"PARSE"}
    load_rubric(naming_r10)  # a rubric may count the new rule's findings


# --- prose filling blank cells, readings in doubt, and counts of another scope ----------------------

CONTROL = Path(__file__).parent / "fixtures" / "shapes" / "00_control.txt"
OVERVIEW = "全年主动公开政府信息310条，"


def control_findings(tmp_path: Path, *changes: tuple[str, str]) -> list[dict]:
    """Findings of the control report (which breaks no rule) with passages replaced."""
    path = edited(CONTROL.parent, tmp_path, CONTROL.name, *changes)
    return checks.findings_for([parse_file(path)])[CONTROL.name]


@pytest.mark.parametrize(("stated", "fires"), [(5, False), (6, True)])
def test_a_prose_number_in_a_blank_cell_that_breaks_the_block_is_a_parse_finding(
    tmp_path: Path, stated: int, fires: bool
):
    found = control_findings(
        tmp_path,
        ("3\t1\t0\t1\t5\t1", "3\t1\t0\t1\t\t1"),  # 行政复议 总计 printed blank
        (OVERVIEW, OVERVIEW + f"政府信息公开行政复议{stated}件，"),
    )
    assert [f["rule"] for f in found if f["rule"] in ("R1", "R2", "R3", "R4", "R5")] == []
    parse = [f["message"] for f in found if f["rule"] == "PARSE"]
    expected = "读取存疑（R4）：行政复议：结果维持3+结果纠正1+其他结果0+尚未审结1=5 ≠ 总计6"
    assert any(m.startswith(expected) for m in parse) is fires


def test_a_prose_number_in_a_blank_applicant_cell_that_breaks_a_column_is_a_parse_finding(tmp_path: Path):
    row = "一、本年新收政府信息公开申请数量\t\t"
    blank = (row + "40\t2", row + "\t2")  # 自然人 printed blank
    assert control_findings(tmp_path, blank, (OVERVIEW, OVERVIEW + "收到申请43件，其中自然人申请40件，")) == []
    found = control_findings(tmp_path, blank, (OVERVIEW, OVERVIEW + "收到申请43件，其中自然人申请41件，"))
    assert sorted(f["rule"] for f in found) == ["PARSE", "PARSE"]
    assert {f["message"].split("：")[0] for f in found} == {"读取存疑（R1）", "读取存疑（R3）"}


def blank_total_row(total: Figure) -> list[Figure]:
    """A 新收 row whose six applicant cells are stated (sum 43) beside the given 总计 figure."""
    stated = zip(APPLICANT_KEYS[:6], [40, 2, 0, 0, 1, 0], strict=True)
    cells = [Figure("requests.new", a, v, f"{v:g}", 100, "三") for a, v in stated]
    return [*cells, total]


def prose(value: float, qualifier: str | None = None) -> Figure:
    """A prose statement of the requests received."""
    return Figure(
        "requests.new", "total", value, f"{value:g}件", 5, "一", kind="prose", qualifier=qualifier,
        sentence=f"共收到申请{value:g}件。",
    )  # fmt: skip


@pytest.mark.parametrize("filled", [False, True])
@pytest.mark.parametrize(("stated", "fires"), [(43, False), (45, True)])
def test_r5_holds_the_prose_against_the_columns_when_the_total_is_blank(filled: bool, stated: int, fires: bool):
    blank = Figure("requests.new", "total", None, "", 100, "三")
    if filled:  # as the parser stores it: the blank cell given the prose's number
        blank = Figure("requests.new", "total", stated, "", 100, "三", kind="prose", qualifier="from_prose")
    found = checks.findings_for([built(blank_total_row(blank), [prose(stated)])])["built.txt"]
    want = [f"一、本年新收政府信息公开申请数量：正文{stated} ≠ 表格六类申请人之和43（总计栏空白）"] if fires else []
    assert messages(found, "R5") == want
    assert messages(found, "R3") == []


def test_r5_leaves_a_blank_total_alone_when_a_column_is_not_stated():
    row = blank_total_row(Figure("requests.new", "total", None, "", 100, "三"))
    row[0] = Figure("requests.new", "natural_person", None, "/", 100, "三")
    assert "R5" not in rules_of(built(row, [prose(45)]))


@pytest.mark.parametrize(("qualifier", "rule"), [(None, "R3"), ("uncertain", "PARSE")])
def test_a_reading_in_doubt_that_breaks_a_row_is_the_parsers_finding(qualifier: str | None, rule: str):
    row = blank_total_row(Figure("requests.new", "total", 44, "44", 100, "三"))
    row[0] = Figure("requests.new", "natural_person", 40, "40", 100, "三", qualifier=qualifier)
    found = checks.findings_for([built(row)])["built.txt"]
    assert [f["rule"] for f in found] == [rule]
    assert found[0]["message"].endswith("一、本年新收政府信息公开申请数量行：六类申请人之和43 ≠ 总计44") is (
        rule == "R3"
    )
    assert found[0]["severity"] == ("error" if rule == "R3" else "warning")


@pytest.mark.parametrize(("qualifier", "rule"), [(None, "R4"), ("uncertain", "PARSE")])
def test_a_reading_in_doubt_that_breaks_a_block_is_the_parsers_finding(qualifier: str | None, rule: str):
    parts = {"maintained": 3, "corrected": 1, "other": 0, "pending": 1, "total": 6}
    block = [Figure(f"review.{p}", None, v, str(v), 60, "四", qualifier=qualifier) for p, v in parts.items()]
    assert rules_of(built(block)) == [rule]


def test_r5_skips_a_total_of_another_scope_when_the_table_is_the_government_levels():
    table = blank_total_row(Figure("requests.new", "total", 43, "43", 100, "三"))
    whole = prose(120)  # "全区共收到申请120件" in a government's report
    assert "R5" in rules_of(built(table, [whole]))
    assert "R5" not in rules_of(built(table, [whole, prose(43, "government_level")]))
    assert "R5" in rules_of(built(table, [whole, prose(9, "government_level")]))


def test_a_count_scoped_to_the_government_level_is_held_against_the_office_not_the_table(
    reports_dir: Path, tmp_path: Path, db_file: Path
):
    aside = "（政府层面的申请16件）"
    for stated, r7 in (
        (16, []),
        (17, ["一、本年新收政府信息公开申请数量：本报告称政府层面17，张店区人民政府办公室2021年报告为16"]),
    ):
        scoped = f"，其中区政府办公室代表区政府受理政府信息公开申请{stated}件"
        path = edited(reports_dir, tmp_path, GOV, (aside, scoped))
        assert messages(checks.findings_for([parse_file(path)])[GOV], "R5") == []
        store.ingest([path, reports_dir / OFFICE], db_file, progress=False)
        assert [m for _, _, m in db_findings(db_file).get("R7", [])] == r7
