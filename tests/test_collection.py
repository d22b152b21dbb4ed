"""The collection template: generated from the data dictionary, filled from real reports, read back exactly.

A fresh template must open, carry every canonical key, and validate its number cells. A copy filled from two real
reports (one on the 2021 template, one on the 2019 template) must read back into one Report per row whose figures
equal the parsed originals', each pointing to its cell; the same sheet read twice must hash the same.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from loaders import cli, store
from loaders.formats.collection import (
    FIRST_ROW,
    GUIDE,
    KEY_ROW,
    LABEL_ROW,
    SHEET,
    is_collection,
    main_template,
    read_collection,
    template_columns,
    write_template,
)
from loaders.keys import APPLICANT_KEYS, METRICS, is_section3
from loaders.model import Figure, Report, ReportError
from tests.dbutil import rows
from tests.test_formats_xlsx import as_pasted, render_workbook

REPORTS = Path(__file__).resolve().parent / "fixtures" / "reports"
FILLED_FROM = ("zhangdian-district-gov-2021", "shizhong-district-health-bureau-2021")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly generated template."""
    path = tmp_path_factory.mktemp("template") / "填报模板.xlsx"
    write_template(path)
    return path


@pytest.fixture(scope="module")
def originals() -> list[Report]:
    """The two real reports the template is filled from, parsed from their text."""
    from loaders.parse import parse_file

    return [parse_file(REPORTS / f"{name}.txt") for name in FILLED_FROM]


def fill(template: Path, reports: list[Report], extra: dict[tuple[int, str], object] | None = None) -> bytes:
    """The template filled one row per report, as a unit would: printed cells as pasted, prose figures as numbers."""
    workbook = openpyxl.load_workbook(template)
    sheet = workbook[SHEET]
    columns = {sheet.cell(KEY_ROW, c).value: c for c in range(1, sheet.max_column + 1)}
    for offset, report in enumerate(reports):
        row = FIRST_ROW + offset
        identity = {"agency": report.agency, "year": report.year, "template": report.template}
        for key, value in identity.items():
            sheet.cell(row, columns[key], value)
        for figure in report.figures:
            sheet.cell(row, columns[column_key(figure)], cell_value(figure))
    for (row, key), value in (extra or {}).items():
        sheet.cell(row, columns[key], value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def column_key(figure: Figure) -> str:
    """The template's key of the column a figure goes to."""
    return f"{figure.metric}|{figure.applicant}" if figure.applicant else figure.metric


def cell_value(figure: Figure) -> object:
    """What a unit types: a table cell as printed; for a figure stated in words ("未收取"), its number."""
    return as_pasted(figure.raw) if figure.kind == "table" else figure.value


def figure_set(figures: list[Figure]) -> set[tuple[str, str | None, float | None]]:
    return {(f.metric, f.applicant, f.value) for f in figures}


# ---------------------------------------------------------------------------------------------------------------
# The template


def test_template_has_every_key_once(template: Path) -> None:
    sheet = openpyxl.load_workbook(template)[SHEET]
    keys = [sheet.cell(KEY_ROW, c).value for c in range(1, sheet.max_column + 1)]
    expected = {"agency", "year", "template", "region", "parent", "published_on"}
    for metric in METRICS:
        expected |= {f"{metric}|{a}" for a in APPLICANT_KEYS} if is_section3(metric) else {metric}
    assert len(keys) == len(set(keys)) and set(keys) == expected
    assert keys[:6] == ["agency", "year", "template", "region", "parent", "published_on"]
    assert [sheet.cell(LABEL_ROW, c).value for c in range(1, 4)] == ["单位名称", "年度", "模板"]
    new_total = keys.index("requests.new|total") + 1
    assert sheet.cell(LABEL_ROW, new_total).value == "一、本年新收政府信息公开申请数量·总计"
    secret = keys.index("outcome.denied.state_secret|natural_person") + 1
    assert sheet.cell(LABEL_ROW, secret).value == "（三）不予公开1.属于国家秘密·自然人"


def test_template_validates_number_cells(template: Path) -> None:
    sheet = openpyxl.load_workbook(template)[SHEET]
    rules = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            rules[cell_range.coord.split(":")[0]] = validation
    for index, column in enumerate(template_columns(), start=1):
        rule = rules.get(f"{get_column_letter(index)}{FIRST_ROW}")
        if column.kind in ("count", "change", "amount"):
            assert rule is not None and rule.type == "custom", column.key
            assert rule.showErrorMessage and '="/"' in rule.formula1
            assert (">=0" in rule.formula1) is (column.kind != "change") and ("INT(" in rule.formula1) is (
                column.kind != "amount"
            )
        elif column.key == "template":
            assert rule.type == "list" and rule.formula1 == '"2021,2019"'
        elif column.key == "year":
            assert rule.type == "whole"


def test_template_layout_and_guide(template: Path) -> None:
    workbook = openpyxl.load_workbook(template)
    assert workbook.sheetnames == [SHEET, GUIDE]
    sheet = workbook[SHEET]
    assert sheet.freeze_panes == f"C{FIRST_ROW}"
    assert sheet.row_dimensions[KEY_ROW].hidden
    assert sheet.print_title_rows and sheet.page_setup.orientation == "landscape"
    assert sheet.column_dimensions["A"].width >= 20
    guide = "\n".join(str(c.value) for row in workbook[GUIDE].iter_rows() for c in row if c.value)
    for phrase in ("留空", "“/”", "0 表示“零”", "requests.new|total"):
        assert phrase in guide


def test_template_command_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "sub" / "模板.xlsx"
    assert main_template(["--out", str(out)]) == 0
    assert is_collection(out.read_bytes())
    assert str(out) in capsys.readouterr().out


def test_template_command_reports_an_unwritable_path(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main_template(["--out", str(blocker / "模板.xlsx")]) == 2
    assert "无法写入" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------------------------
# Reading a filled template


def test_filled_template_reads_back_to_the_original_figures(template: Path, originals: list[Report]) -> None:
    reports = read_collection(fill(template, originals), "填报.xlsx")
    assert len(reports) == 2
    for original, report in zip(originals, reports, strict=True):
        assert (report.agency, report.year, report.template) == (original.agency, original.year, original.template)
        assert figure_set(report.figures) == figure_set(original.figures)
        assert len(report.figures) == len(original.figures)
        assert report.source == "填报.xlsx" and report.source_format == "collection"
        assert report.sections == ["二", "三", "四"]


def test_figures_point_to_their_cell(template: Path, originals: list[Report]) -> None:
    columns = {c.key: get_column_letter(i) for i, c in enumerate(template_columns(), start=1)}
    report = read_collection(fill(template, originals), "填报.xlsx")[0]
    by_key = {f.key(): f for f in report.figures}
    total = by_key[("requests.new", "total")]
    assert (total.value, total.raw, total.line) == (105, "105", FIRST_ROW)
    assert total.location == f"{SHEET}!{columns['requests.new|total']}{FIRST_ROW}"
    assert (total.row_label, total.col_label, total.section, total.kind) == (
        "一、本年新收政府信息公开申请数量",
        "总计",
        "三",
        "table",
    )
    carried = by_key[("requests.carried_over", "commercial")]
    assert (carried.raw, carried.value) == ("00", 0)  # typed as text, kept as printed for R9
    assert report.text.split("\n")[total.line - 1].split("\t")[0] == report.agency


def test_second_row_of_the_2019_template(template: Path, originals: list[Report]) -> None:
    report = read_collection(fill(template, originals), "填报.xlsx")[1]
    by_key = {f.key(): f for f in report.figures}
    change = by_key[("other_services.items_change", None)]
    assert (change.raw, change.value, change.line) == ("增7", 7, FIRST_ROW + 1)
    assert ("outcome.other.unspecified", "total") in by_key
    assert not any(
        f.metric.startswith("outcome.other.") and f.metric != "outcome.other.unspecified" for f in report.figures
    )


def test_reading_twice_changes_nothing(template: Path, originals: list[Report]) -> None:
    data = fill(template, originals)
    first, again = read_collection(data, "a.xlsx"), read_collection(data, "b.xlsx")
    assert [r.content_hash for r in first] == [r.content_hash for r in again]
    assert first[0].content_hash != first[1].content_hash
    edited = fill(template, originals, {(FIRST_ROW, "requests.new|total"): 106})
    assert read_collection(edited, "a.xlsx")[0].content_hash != first[0].content_hash
    assert read_collection(edited, "a.xlsx")[1].content_hash == first[1].content_hash


def test_blank_slash_zero_and_text_cells(template: Path) -> None:
    row = {
        (FIRST_ROW, "agency"): "某区人民政府",
        (FIRST_ROW, "year"): "2022年",
        (FIRST_ROW, "rules.issued"): "/",
        (FIRST_ROW, "rules.repealed"): 0,
        (FIRST_ROW, "requests.new|total"): "约10",
        (FIRST_ROW, "fees.amount_wan_yuan"): 356.27,
        (FIRST_ROW, "licensing.items_change"): -3,
        (FIRST_ROW, "published_on"): "2023年1月20日",
    }
    (report,) = read_collection(fill(template, [], row), "x.xlsx")
    by_key = {f.key(): (f.raw, f.value) for f in report.figures}
    assert by_key == {
        ("rules.issued", None): ("/", None),
        ("rules.repealed", None): ("0", 0),
        ("requests.new", "total"): ("约10", None),
        ("fees.amount_wan_yuan", None): ("356.27", 356.27),
        ("licensing.items_change", None): ("-3", -3),
    }
    assert ("rules.in_force", None) not in by_key  # blank: not stated, so no figure at all
    assert (report.year, report.published_on) == (2022, "2023-01-20")
    assert report.template == "2021"  # left blank: rules.issued is printed by the 2021 template only


@pytest.mark.parametrize(
    ("cells", "identity", "finding"),
    [
        ({(FIRST_ROW, "year"): 2021, (FIRST_ROW, "rules.issued"): 1}, (None, 2021), None),
        ({(FIRST_ROW, "agency"): "某局", (FIRST_ROW, "year"): "去年"}, ("某局", None), "年度“去年”无法识别"),
    ],
)
def test_rows_without_identity_are_kept_without_it(template: Path, cells: dict, identity: tuple, finding) -> None:
    (report,) = read_collection(fill(template, [], cells), "x.xlsx")
    assert (report.agency, report.year) == identity
    assert (report.agency_source, report.year_source) == tuple(None if v is None else "workbook" for v in identity)
    messages = [f.message for f in report.findings]
    if finding:
        assert len(messages) == 1 and finding in messages[0] and f"{SHEET}!B{FIRST_ROW}" in messages[0]
    else:
        assert messages == []


def test_rows_without_unit_or_year_are_stored_unidentified_and_identified_later(
    template: Path, tmp_path: Path, db_file: Path, capsys: pytest.CaptureFixture
) -> None:
    cells = {
        (FIRST_ROW, "agency"): "某局",
        (FIRST_ROW, "year"): 2021,
        (FIRST_ROW, "rules.issued"): 1,
        (FIRST_ROW + 1, "year"): 2021,  # no unit
        (FIRST_ROW + 1, "rules.issued"): 2,
        (FIRST_ROW + 2, "agency"): "某办",
        (FIRST_ROW + 2, "year"): "去年",  # no readable year
        (FIRST_ROW + 2, "rules.issued"): 3,
    }
    workbook = tmp_path / "汇总表.xlsx"
    workbook.write_bytes(fill(template, [], cells))
    summary = store.ingest([workbook], db_file, progress=False)
    assert (summary.failures, summary.added, summary.unidentified) == ([], 3, 2)
    unidentified = rows(db_file, "select source, agency, year from stg_reports_unidentified order by source")
    assert unidentified == [
        (f"{workbook.name}#{FIRST_ROW + 1}", None, 2021),
        (f"{workbook.name}#{FIRST_ROW + 2}", "某办", None),
    ]
    messages = rows(
        db_file,
        "select source, message from parse_findings join reports using (report_id) where contains(message, ?)"
        " order by source",
        [store.UNIDENTIFIED_MARK],
    )
    assert [source for source, _ in messages] == [source for source, *_ in unidentified]
    assert "未写明单位" in messages[0][1] and "未写明年度" in messages[1][1]
    code = cli.main(
        ["identify", f"{workbook.name}#{FIRST_ROW + 1}", "--agency", "某委", "--by", "审核员甲", "--db", str(db_file)]
    )
    assert (code, capsys.readouterr().err) == (0, "")
    identified = rows(
        db_file, "select agency, year, version from reports where source = ?", [f"{workbook.name}#{FIRST_ROW + 1}"]
    )
    assert identified == [("某委", 2021, 1)]
    assert rows(db_file, "select count(*) from stg_reports_unidentified") == [(1,)]


def test_unknown_template_value_is_a_finding(template: Path) -> None:
    cells = {(FIRST_ROW, "agency"): "某局", (FIRST_ROW, "year"): 2020, (FIRST_ROW, "template"): "2020"}
    cells[(FIRST_ROW, "rules.made")] = 4
    (report,) = read_collection(fill(template, [], cells), "x.xlsx")
    assert report.template == "2019"  # recognised from rules.made, which only the 2019 template prints
    assert [f.rule for f in report.findings] == ["PARSE"] and "2020" in report.findings[0].message


def test_empty_template_and_other_workbooks(template: Path, originals: list[Report]) -> None:
    with pytest.raises(ReportError, match="没有填写任何单位"):
        read_collection(template.read_bytes(), "空.xlsx")
    pasted = render_workbook(originals[0])
    assert is_collection(template.read_bytes())
    assert not is_collection(pasted)
    assert not is_collection(b"")
    assert not is_collection(b"PK\x03\x04 truncated")
    with pytest.raises(ReportError, match="不是本系统的填报模板"):
        read_collection(pasted, "年报.xlsx")
