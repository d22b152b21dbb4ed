"""Excel input: real reports pasted into a workbook read back to the figures of their text, and hostile files fail.

The workbooks are built here the way people paste a report into Excel: the title and the prose in column A, each
table below its section heading with merged label cells, numbers stored as numbers and "00" as text. Read with
read_xlsx and parsed, each must give exactly the figures (metric, applicant, value) that parse_file gives for the
text original. The hostile files (zero bytes, truncated, a million rows, a zip bomb, an entity bomb) are made in
tmp_path and must each be refused with a ReportError that names the file and says what is wrong.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from loaders.formats.xlsx import MAX_ROWS, cell_text, read_sheets, read_xlsx
from loaders.keys import APPLICANTS, REVIEW_BLOCK_LABELS, REVIEW_BLOCKS, REVIEW_PARTS, SECTION2_ROWS, SECTION3_ROWS
from loaders.model import Figure, Report, ReportError

REPORTS = Path(__file__).resolve().parent / "fixtures" / "reports"
PASTED = [
    "zhangdian-district-gov-2021",
    "zhangdian-district-gov-office-2021",
    "shizhong-district-health-bureau-2021",
    "014_pingtan_zone_2021",
    "015_pingtan_zone_2022",
    "016_pingtan_zone_2023",
    "017_pingtan_zone_2024",
    "018_pingtan_zone_2025",
]
REPO = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------------------------------------------
# Rendering a parsed report into a workbook, as people paste one


# Which item of 第二十条 each section 二 row belongs to; rows of one item share a small table.
_ITEMS = {
    "规章": "（一）",
    "行政规范性文件": "（一）",
    "规范性文件": "（一）",
    "行政许可": "（五）",
    "其他对外管理服务事项": "（五）",
    "行政处罚": "（六）",
    "行政强制": "（六）",
    "行政事业性收费": "（八）",
    "政府集中采购": "（九）",
}
_CATEGORY_HEADS = {
    "outcome.granted": "（一）予以公开",
    "outcome.partial": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "outcome.denied": "（三）不予公开",
    "outcome.unavailable": "（四）无法提供",
    "outcome.not_processed": "（五）不予处理",
    "outcome.other": "（六）其他处理",
    "outcome.total": "（七）总计",
}


class Paster:
    """Writes rows into a worksheet the way a person pastes a report: cell by cell, merging label cells."""

    def __init__(self, sheet: Worksheet):
        self.sheet = sheet
        self.row = 0

    def line(self, *cells: object) -> int:
        """Append one row; strings that look like numbers become numbers, except those with a leading zero."""
        self.row += 1
        for column, value in enumerate(cells, start=1):
            if value is not None and value != "":
                self.put(self.row, column, value)
        return self.row

    def put(self, row: int, column: int, value: object) -> None:
        """One cell; text is stored as text even when it starts with "=" (a formula is not what was pasted)."""
        cell = self.sheet.cell(row, column)
        cell.value = as_pasted(value)
        if isinstance(cell.value, str):
            cell.data_type = "s"

    def merge(self, top: int, left: int, bottom: int, right: int) -> None:
        """Merge a block of cells, as label cells of a printed table are."""
        if (top, left) != (bottom, right):
            self.sheet.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)


def as_pasted(value: object) -> object:
    """What Excel stores for a pasted value: 12 and 3.5 as numbers, "00", "增7" and "/" as text."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub(" ", re.sub(r"\[bookmark:[^\]\n]*\]\s*", "", value)).strip()
    plain = text.replace(",", "")
    if re.fullmatch(r"-?(?:0|[1-9]\d*)", plain):
        return int(plain)
    if re.fullmatch(r"-?(?:0|[1-9]\d*)\.\d+", plain):
        return float(plain)
    return text


def render_workbook(report: Report) -> bytes:
    """The report as a workbook: prose lines in column A, the tables of sections 二, 三 and 四 as tables."""
    from loaders.sections import find_sections

    workbook = openpyxl.Workbook()
    paster = Paster(workbook.active)
    text, sections = report.text, find_sections(report.text)
    # Digits the text parser could not split state no value; "/" in their cells states none in the workbook either.
    cells = {f.key(): "/" if f.qualifier == "ambiguous" else f.raw for f in report.figures if f.kind == "table"}
    write_prose(paster, text[: sections["二"].heading_start])
    for numeral, write_table in (("二", write_section2), ("三", write_section3), ("四", write_section4)):
        section = sections[numeral]
        write_prose(paster, text[section.heading_start : section.start])
        write_table(paster, cells, report.template)
    write_prose(paster, text[sections["五"].heading_start :])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_prose(paster: Paster, text: str) -> None:
    """Every line of prose in its own row, in column A (a line with tabs keeps its cells)."""
    for line in text.split("\n"):
        paster.line(*line.split("\t"))


def write_section2(paster: Paster, cells: dict, template: str) -> None:
    """The small tables of 第二十条, one per item, each with its header row."""
    rows = [r for r in SECTION2_ROWS[template] if any((m, None) in cells for m in r.metrics)]
    item = None
    for row in rows:
        if _ITEMS[row.label] != item:
            item = _ITEMS[row.label]
            top = paster.line(f"第二十条第{item}项")
            paster.merge(top, 1, top, 4)
            header = paster.line("信息内容", *row.columns)
            paster.merge(header, 1 + len(row.columns), header, 4)
        at = paster.line(row.label, *(cells.get((m, None)) for m in row.metrics))
        paster.merge(at, 1 + len(row.metrics), at, 4)


def write_section3(paster: Paster, cells: dict, template: str) -> None:
    """The table of requests and outcomes: three header rows, label cells merged across and down."""
    top = paster.line("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", None, None, "申请人情况")
    paster.line(None, None, None, "自然人", "法人或其他组织", None, None, None, None, "总计")
    paster.line(None, None, None, None, *(label for _, label in APPLICANTS[1:6]))
    paster.merge(top, 1, top + 2, 3)
    paster.merge(top, 4, top, 10)
    paster.merge(top + 1, 4, top + 2, 4)
    paster.merge(top + 1, 5, top + 1, 9)
    paster.merge(top + 1, 10, top + 2, 10)
    outcome_rows: list[int] = []
    for row in SECTION3_ROWS[template]:
        values = [cells.get((row.metric, applicant)) for applicant, _ in APPLICANTS]
        at = _section3_row(paster, row.metric, row.label, values)
        if row.metric.startswith("outcome."):
            outcome_rows.append(at)
    paster.put(outcome_rows[0], 1, "三、本年度办理结果")
    paster.merge(outcome_rows[0], 1, outcome_rows[-1], 1)
    _merge_categories(paster, SECTION3_ROWS[template], outcome_rows)


def _section3_row(paster: Paster, metric: str, label: str, values: list) -> int:
    """One row of the table: its label in A (requests), B (a category's own row) or C (a numbered sub-row)."""
    head = ".".join(metric.split(".")[:2])
    if not metric.startswith("outcome."):
        at = paster.line(label, None, None, *values)
        paster.merge(at, 1, at, 3)
    elif metric == head or metric.endswith(".unspecified"):
        at = paster.line(None, _CATEGORY_HEADS[head], None, *values)
        paster.merge(at, 2, at, 3)
    else:
        at = paster.line(None, None, label, *values)
    return at


def _merge_categories(paster: Paster, rows: tuple, at_rows: list[int]) -> None:
    """Each category's label in column B, merged down over its numbered sub-rows."""
    outcome = [r for r in rows if r.metric.startswith("outcome.")]
    runs: dict[str, list[int]] = {}
    for row, at in zip(outcome, at_rows, strict=True):
        parts = row.metric.split(".")
        if len(parts) == 3 and parts[2] != "unspecified":
            runs.setdefault(".".join(parts[:2]), []).append(at)
    for head, numbers in runs.items():
        paster.put(numbers[0], 2, _CATEGORY_HEADS[head])
        paster.merge(numbers[0], 2, numbers[-1], 2)


def write_section4(paster: Paster, cells: dict, _template: str) -> None:
    """Review and litigation: three header rows over the fifteen numbers."""
    parts = [label for _, label in REVIEW_PARTS]
    top = paster.line("行政复议", None, None, None, None, "行政诉讼")
    paster.line(
        *parts, REVIEW_BLOCK_LABELS["litigation.direct"], *[None] * 4, REVIEW_BLOCK_LABELS["litigation.after_review"]
    )
    paster.line(*[None] * 5, *parts, *parts)
    paster.merge(top, 1, top, 5)
    paster.merge(top, 6, top, 15)
    for column in range(1, 6):
        paster.merge(top + 1, column, top + 2, column)
    paster.merge(top + 1, 6, top + 1, 10)
    paster.merge(top + 1, 11, top + 1, 15)
    paster.line(*(cells.get((f"{block}.{part}", None)) for block in REVIEW_BLOCKS for part, _ in REVIEW_PARTS))


# ---------------------------------------------------------------------------------------------------------------
# Real reports, pasted


def figure_set(figures: list[Figure]) -> set[tuple[str, str | None, float | None]]:
    """What must agree between two readings of one report: metric, applicant and value of every figure."""
    return {(f.metric, f.applicant, f.value) for f in figures}


@pytest.fixture(scope="module")
def parse():
    """parse_file and parse_document, imported when first needed."""
    from loaders.parse import parse_document, parse_file

    return parse_file, parse_document


@pytest.mark.parametrize("name", PASTED)
def test_pasted_report_gives_the_figures_of_its_text(name: str, parse) -> None:
    parse_file, parse_document = parse
    original = parse_file(REPORTS / f"{name}.txt")
    data = render_workbook(original)
    pasted = parse_document(read_xlsx(data, f"{name}.xlsx"), f"{name}.xlsx")
    assert figure_set(pasted.figures) == figure_set(original.figures)
    assert len(pasted.figures) == len(original.figures)
    assert (pasted.agency, pasted.year, pasted.template) == (original.agency, original.year, original.template)
    assert pasted.source_format == "xlsx"


def test_pasted_figures_point_to_their_sheet_row(parse) -> None:
    parse_file, parse_document = parse
    original = parse_file(REPORTS / "zhangdian-district-gov-2021.txt")
    data = render_workbook(original)
    pasted = parse_document(read_xlsx(data, "zd.xlsx"), "zd.xlsx")
    by_key = {f.key(): f for f in pasted.figures}
    new = by_key[("requests.new", "total")]
    assert new.value == 105 and new.raw == "105"
    sheet = read_sheets(data, "zd.xlsx")[0]
    row = int(re.fullmatch(r"Sheet 第(\d+)行", new.location).group(1))
    assert sheet.rows[row - 1][0] == "一、本年新收政府信息公开申请数量" and sheet.rows[row - 1][9] == "105"
    carried = by_key[("requests.carried_over", "commercial")]
    assert carried.raw == "00" and carried.value == 0  # stored as text in the workbook, and kept as printed


# ---------------------------------------------------------------------------------------------------------------
# Cells as printed


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (12.0, "General", "12"),
        (12, "General", "12"),
        (19318.93442, "General", "19318.93442"),
        (0.1 + 0.2, "General", "0.3"),
        (356.2, "0.00", "356.2"),
        (0.581, "0.00%", "58.10%"),
        (-3.0, "General", "-3"),
        ("00", "General", "00"),
        ("/", "General", "/"),
        (" 增7 ", "General", "增7"),
        (None, "General", ""),
        (True, "General", "TRUE"),
    ],
)
def test_cell_text_is_the_value_as_printed(value: object, number_format: str, text: str) -> None:
    assert cell_text(value, number_format) == text


def test_sheets_rows_merges_and_locations() -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "表一"
    first["A1"] = "某区2021年政府信息公开工作年度报告"
    first["A2"] = "第一段。\n第二段。"
    first.append(["规章", 12.0, "00", 19318.93442])
    first.merge_cells("A5:C6")
    first["A5"] = "合并的标签"
    second = workbook.create_sheet("表二")
    second["C2"] = 7
    out = io.BytesIO()
    workbook.save(out)
    doc = read_xlsx(out.getvalue(), "book.xlsx")
    assert doc.text.split("\n") == [
        "某区2021年政府信息公开工作年度报告",
        "第一段。",
        "第二段。",
        "规章\t12\t00\t19318.93442",
        "",
        "合并的标签",  # a merged label stands once: the cells its range covers to the right are not value cells
        "",
        "",
        "",
        "\t\t7",
    ]
    assert doc.locations == [
        "表一 第1行",
        "表一 第2行",
        "表一 第2行",
        "表一 第3行",
        "表一 第4行",
        "表一 第5行",
        "表一 第6行",
        "表二",
        "表二 第1行",
        "表二 第2行",
    ]


# ---------------------------------------------------------------------------------------------------------------
# Files that must be refused


def refused(data: bytes, name: str = "bad.xlsx") -> ReportError:
    """The error read_xlsx raises for `data`; the test fails if it raises none."""
    with pytest.raises(ReportError) as caught:
        read_xlsx(data, name)
    assert caught.value.source == name and name in str(caught.value)
    return caught.value


def workbook_bytes(fill=None) -> bytes:
    """A small valid workbook, filled by `fill(sheet)` when given."""
    workbook = openpyxl.Workbook()
    if fill:
        fill(workbook.active)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_zero_bytes_is_refused() -> None:
    assert "文件为空" in refused(b"").zh


def test_empty_workbook_is_refused() -> None:
    assert "没有任何内容" in refused(workbook_bytes()).zh


def test_truncated_workbook_is_refused() -> None:
    data = workbook_bytes(lambda s: s.append(["规章", 1, 2, 3]))
    error = refused(data[: len(data) // 2])
    assert "损坏或不完整" in error.zh and "damaged or truncated" in error.en


def test_not_a_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "不是 Excel 工作簿" in refused(out.getvalue()).zh
    assert "不是有效的 Excel" in refused(b"just some text, not a zip").zh


def test_old_xls_is_refused() -> None:
    assert ".xls" in refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512).zh


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    "</Relationships>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def write_xlsx(path: Path, sheet_chunks, compresslevel: int = 1, workbook: str = _WORKBOOK) -> Path:
    """A minimal .xlsx whose one sheet is streamed from `sheet_chunks` (strings), never held whole in memory."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        _write_parts(archive, workbook)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for chunk in sheet_chunks:
                sheet.write(chunk.encode("utf-8"))
    return path


def _write_parts(archive: zipfile.ZipFile, workbook: str) -> None:
    """Every part of a minimal workbook but its sheet."""
    archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
    archive.writestr("_rels/.rels", _ROOT_RELS)
    archive.writestr("xl/workbook.xml", workbook)
    archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)


def million_rows(dimension: bool):
    """Sheet XML of 1,000,000 rows, one number each, in chunks of 10,000 rows."""
    yield _SHEET_HEAD.format(dimension='<dimension ref="A1:A1000000"/>' if dimension else "")
    for start in range(1, 1_000_001, 10_000):
        yield "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(start, start + 10_000))
    yield _SHEET_TAIL


def test_values_under_a_merge_are_not_read(tmp_path: Path) -> None:
    """Excel hides whatever a merged range covers; another program may have left a value there."""
    rows = [
        _SHEET_HEAD.format(dimension=""),
        '<row r="2"><c r="A2" t="inlineStr"><is><t>行政许可</t></is></c><c r="B2"><v>5</v></c>'
        '<c r="C2"><v>99</v></c><c r="D2" s="0"/></row>',
        '</sheetData><mergeCells><mergeCell ref="B2:C2"/></mergeCells></worksheet>',
    ]
    data = write_xlsx(tmp_path / "small.xlsx", rows).read_bytes()
    assert read_xlsx(data, "small.xlsx").text == "\n行政许可\t5\t\t"


@pytest.mark.parametrize("dimension", [True, False], ids=["declared", "undeclared"])
def test_million_rows_are_refused(tmp_path: Path, dimension: bool) -> None:
    path = write_xlsx(tmp_path / "million.xlsx", million_rows(dimension))
    error = refused(path.read_bytes(), "million.xlsx")
    assert f"超过上限 {MAX_ROWS} 行" in error.zh and "rows" in error.en
    assert ("1000000行" in error.zh) is dimension  # a declared extent is refused before any row is read


def test_million_rows_stay_within_memory(tmp_path: Path) -> None:
    """Peak memory of refusing a 1,000,000-row sheet, measured in a fresh process: its VmHWM, since ru_maxrss
    carries over an exec the peak of the process that started it (a test worker that has grown past the limit)."""
    path = write_xlsx(tmp_path / "million.xlsx", million_rows(dimension=False))
    script = (
        "import sys\n"
        "from loaders.formats.xlsx import read_xlsx\n"
        "from loaders.model import ReportError\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "try:\n"
        "    read_xlsx(data, 'million.xlsx')\n"
        "    print('accepted')\n"
        "except ReportError:\n"
        "    print('refused')\n"
        "print(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], cwd=REPO, capture_output=True, text=True, check=True
    )
    verdict, peak_kib = done.stdout.split()
    print(
        f"1,000,000-row xlsx ({path.stat().st_size / 2**20:.1f} MB): {verdict}, peak RSS {int(peak_kib) / 1024:.0f} MiB"
    )
    assert verdict == "refused"
    assert int(peak_kib) < 1024 * 1024  # VmHWM is in KiB


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    padding = " " * (1 << 20)
    chunks = [_SHEET_HEAD.format(dimension=""), *([padding] * 160), _SHEET_TAIL]  # 160 MB of white space
    path = write_xlsx(tmp_path / "bomb.xlsx", chunks, compresslevel=9)
    assert path.stat().st_size < 1_000_000
    error = refused(path.read_bytes(), "bomb.xlsx")
    assert "压缩炸弹" in error.zh and "zip bomb" in error.en


def test_zip_bomb_with_a_false_declared_size_is_refused(tmp_path: Path) -> None:
    """A part that claims to be small but inflates further is cut at its claim, and reported as damaged."""
    path = tmp_path / "liar.xlsx"
    sheet = _SHEET_HEAD.format(dimension="") + " " * (20 << 20) + _SHEET_TAIL
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        _write_parts(archive, _WORKBOOK)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.getinfo("xl/worksheets/sheet1.xml").file_size = 1000  # the central directory will claim 1000 bytes
    error = refused(path.read_bytes(), "liar.xlsx")
    assert "damaged" in error.en


# A billion laughs: ten entities, each ten times the one before.
_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)


@pytest.mark.parametrize("part", ["workbook", "sheet"])
def test_entity_bomb_is_refused(tmp_path: Path, part: str) -> None:
    if part == "workbook":
        workbook = _WORKBOOK.replace('<?xml version="1.0" encoding="UTF-8"?>', _LAUGHS)
        path = write_xlsx(tmp_path / "laughs.xlsx", [_SHEET_HEAD.format(dimension=""), _SHEET_TAIL], 1, workbook)
    else:
        head = _SHEET_HEAD.format(dimension="").replace('<?xml version="1.0" encoding="UTF-8"?>', _LAUGHS)
        cell = '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        path = write_xlsx(tmp_path / "laughs.xlsx", [head, cell, _SHEET_TAIL])
    error = refused(path.read_bytes(), "laughs.xlsx")
    assert "实体" in error.zh and "entity bomb" in error.en


def test_entity_bomb_in_utf16_is_refused(tmp_path: Path) -> None:
    """The check reads the XML as XML, so a declaration in UTF-16 is found as well."""
    workbook = _WORKBOOK.replace('<?xml version="1.0" encoding="UTF-8"?>', _LAUGHS.replace("UTF-8", "UTF-16"))
    path = tmp_path / "utf16.xlsx"
    write_xlsx(path, [_SHEET_HEAD.format(dimension=""), _SHEET_TAIL])
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/workbook.xml":
                body = workbook.encode("utf-16")
            target.writestr(info.filename, body)
    error = refused(rebuilt.getvalue(), "utf16.xlsx")
    assert "entity bomb" in error.en


def test_many_sheets_together_are_refused() -> None:
    def two_wide_sheets(sheet: Worksheet) -> None:
        sheet.cell(1000, 600, 1)
        sheet.parent.create_sheet("第二张").cell(1000, 600, 2)

    error = refused(workbook_bytes(two_wide_sheets))
    assert "1200000" in error.zh and "cells" in error.en


def test_huge_sheet_range_is_refused(tmp_path: Path) -> None:
    rows = [_SHEET_HEAD.format(dimension=""), '<row r="19000"><c r="XFD19000"><v>1</v></c></row>', _SHEET_TAIL]
    error = refused(write_xlsx(tmp_path / "wide.xlsx", rows).read_bytes(), "wide.xlsx")
    assert "单元格" in error.zh and "cells" in error.en


# --- blank cells keep their columns ----------------------------------------------------------------


def test_blank_cells_keep_their_columns_in_an_excel_table(parse) -> None:
    # Blank 总计 cells, a blank applicant cell beside a label merged across two columns, blanks in a row with a
    # two-level label, and a section 四 with only the 行政复议 block filled: every other cell stays in its column.
    from tests import formats_render as fr  # the renderers parse their text original: imported when needed

    parse_document = parse[1]
    report = parse_document(read_xlsx(fr.render_xlsx(fr.blank_cells_original()), "blank.xlsx"), "blank.xlsx")
    fr.assert_blank_cells_kept(report)


def test_merged_ranges_and_blank_cells_keep_the_columns() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["三、收到和处理政府信息公开申请情况"])
    sheet.append(["项目", None, "自然人", "商业企业", "总计"])
    sheet.merge_cells("A2:B2")
    sheet.append(["三、本年度办理结果", "（一）予以公开", 5, None, None])  # blank cells with no border
    sheet.append([None, "（二）部分公开", None, 2, 2])
    sheet.merge_cells("A3:A4")
    out = io.BytesIO()
    workbook.save(out)
    lines = read_xlsx(out.getvalue(), "merged.xlsx").text.split("\n")
    assert lines == [
        "三、收到和处理政府信息公开申请情况",
        "项目\t自然人\t商业企业\t总计",  # the label merged across two columns stands once
        "三、本年度办理结果\t（一）予以公开\t5\t\t",  # the row reaches the table's right edge
        "\t（二）部分公开\t\t2\t2",  # the label merged down keeps its column empty
    ]
