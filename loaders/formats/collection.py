"""The collection template: the sheet a supervising office sends its units, one row per unit and year.

`write_template` builds it from the data dictionary: every canonical key is a column, headed by its Chinese
label, with the key itself in a hidden row below so that reading back never depends on how a label is worded.
`read_collection` turns every filled row into a Report whose figures keep the cell's text, its value (parsed as in
text reports) and the cell they came from.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from loaders.formats.xlsx import Sheet, read_sheets
from loaders.keys import (
    APPLICANTS,
    METRICS,
    REPORT_TEMPLATES,
    SECTION3_ROWS,
    TEMPLATES,
    MetricDef,
    category_of,
    is_section3,
)
from loaders.model import Figure, Finding, Report, ReportError
from loaders.normalize import parse_value

SHEET = "填报表"
GUIDE = "说明"
BAND_ROW, LABEL_ROW, KEY_ROW, FIRST_ROW = 1, 2, 3, 4
PREPARED_ROWS = 1000  # rows that carry data validation in a fresh template
TEMPLATE_CHOICES = ("2021", "2019")
_KEY_ROW_SEARCH = 10  # the key row is looked for among a sheet's first rows

# (key, header, kind, width): who reports, for which year, on which template.
_IDENTITY = (
    ("agency", "单位名称", "text", 30),
    ("year", "年度", "year", 8),
    ("template", "模板", "template", 8),
    ("region", "地区", "text", 16),
    ("parent", "上级单位", "text", 22),
    ("published_on", "发布日期", "date", 12),
)
_IDENTITY_KEYS = tuple(key for key, *_ in _IDENTITY)

_BANDS = {
    "identity": "基本信息",
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
    "prose": "正文中的数字",
}
_BAND_FILLS = {"identity": "D9E1F2", "二": "E2EFDA", "三": "FFF2CC", "四": "FCE4D6", "prose": "EDEDED"}
# Sub-rows of an outcome category are numbered 1., 2., … within it, so the category goes in front of them.
_CATEGORY_LABELS = {
    "denied": "（三）不予公开",
    "unavailable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other": "（六）其他处理",
}
_KIND_NAMES = {
    "count": "件数（≥0 的整数）",
    "change": "增减（整数，可为负）",
    "amount": "金额（≥0，可有小数）",
    "text": "文字",
    "year": "四位年份",
    "template": "2021 或 2019",
    "date": "日期",
}
_YEAR = re.compile(r"^(\d{4})\s*(?:年度?)?$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s.*)?$")


@dataclass(frozen=True)
class Column:
    """One column of the template: its key, its header, the band above it and the kind of value it takes."""

    key: str  # "agency", "rules.issued", "requests.new|natural_person"
    header: str
    band: str  # identity | 二 | 三 | 四 | prose
    kind: str  # text | year | template | date | count | change | amount
    width: float = 11


# ---------------------------------------------------------------------------------------------------------------
# Columns from the data dictionary


def template_columns() -> list[Column]:
    """Every column in order: identity, then sections 二, 三 and 四, then the figures reports state in prose."""
    columns = [Column(key, header, "identity", kind, width) for key, header, kind, width in _IDENTITY]
    printed = _section3_order()
    for band in ("二", "三", "四", "prose"):
        metrics = [m for m in METRICS.values() if m.section == band]
        if band == "三":  # in printed order, rows of both templates interleaved; prose-only totals last
            metrics.sort(key=lambda m: printed.index(m.key) if m.key in printed else len(printed))
        for metric in metrics:
            columns += _metric_columns(metric)
    return columns


def _section3_order() -> list[str]:
    """Section 三 rows as printed: the 2021 rows, each 2019-only row placed before the row that follows it there."""
    order = [row.metric for row in SECTION3_ROWS["2021"]]
    rows_2019 = [row.metric for row in SECTION3_ROWS["2019"]]
    for i, metric in enumerate(rows_2019):
        if metric not in order:
            following = next((m for m in rows_2019[i + 1 :] if m in order), None)
            order.insert(order.index(following) if following else len(order), metric)
    return order


def _metric_columns(metric: MetricDef) -> list[Column]:
    """One column per metric, or one per applicant for the metrics of section 三."""
    if not is_section3(metric.key):
        return [Column(metric.key, metric.label, metric.section, metric.kind)]
    row = _section3_row_label(metric)
    return [Column(f"{metric.key}|{applicant}", f"{row}·{label}", "三", metric.kind) for applicant, label in APPLICANTS]


def _section3_row_label(metric: MetricDef) -> str:
    """The printed row label of a section 三 metric, with its category in front where the row is numbered in it."""
    category = category_of(metric.key)
    if metric.key == "outcome.other.unspecified":  # the single 其他处理 row of the 2019 template
        return metric.label
    if category in _CATEGORY_LABELS:
        tail = "（未分项）" if metric.key.endswith(".unspecified") else metric.label
        return _CATEGORY_LABELS[category] + tail
    return metric.label


def split_key(key: str) -> tuple[str, str | None]:
    """("requests.new", "total") from "requests.new|total"; ("rules.issued", None) from "rules.issued"."""
    metric, _, applicant = key.partition("|")
    return metric, applicant or None


# ---------------------------------------------------------------------------------------------------------------
# Writing the template


def write_template(path: Path) -> None:
    """Write the collection template (填报表 and 说明) to `path`."""
    columns = template_columns()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    _write_headers(sheet, columns)
    _add_validations(sheet, columns)
    _set_layout(sheet, columns)
    _write_guide(workbook.create_sheet(GUIDE), columns)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _write_headers(sheet: Worksheet, columns: list[Column]) -> None:
    """The band row, the label row and the (hidden) key row."""
    for index, column in enumerate(columns, start=1):
        fill = PatternFill("solid", fgColor=_BAND_FILLS[column.band])
        label = sheet.cell(LABEL_ROW, index, column.header)
        label.font, label.fill, label.alignment, label.border = Font(bold=True, size=9), fill, _CENTER, _BORDER
        key = sheet.cell(KEY_ROW, index, column.key)
        key.font, key.alignment = Font(size=7, color="808080"), Alignment(horizontal="center")
    _write_bands(sheet, columns)
    sheet.cell(LABEL_ROW, 1).comment = Comment(
        "第3行（已隐藏）是每列的键名，导入时据此识别各列，请勿修改或删除。\n"
        "Row 3 (hidden) holds each column's key; import relies on it: do not edit or delete it.",
        "模板",
    )


def _write_bands(sheet: Worksheet, columns: list[Column]) -> None:
    """One merged cell above each run of columns of the same section."""
    start = 1
    for index in range(1, len(columns) + 1):
        band = columns[index - 1].band
        if index < len(columns) and columns[index].band == band:
            continue
        cell = sheet.cell(BAND_ROW, start, _BANDS[band])
        cell.font, cell.alignment, cell.border = Font(bold=True, size=11), _CENTER, _BORDER
        cell.fill = PatternFill("solid", fgColor=_BAND_FILLS[band])
        if index > start:
            sheet.merge_cells(start_row=BAND_ROW, start_column=start, end_row=BAND_ROW, end_column=index)
        start = index + 1


def _add_validations(sheet: Worksheet, columns: list[Column]) -> None:
    """Data validation on every column that takes a number, a year, a template or a date."""
    for index, column in enumerate(columns, start=1):
        validation = _validation(column.kind, f"{get_column_letter(index)}{FIRST_ROW}")
        if validation is None:
            continue
        letter = get_column_letter(index)
        validation.add(f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + PREPARED_ROWS - 1}")
        sheet.add_data_validation(validation)


# Formulas are written for the first data cell and shift with each row. "/" is allowed wherever a report may
# print it; everything else must be a number of the column's kind. IF, unlike AND and OR, evaluates only the
# branch it takes, so text never reaches INT() and turns the whole rule into an error (which Excel rejects).
_FORMULAS = {
    "count": 'IF(ISNUMBER({c}),AND({c}>=0,{c}=INT({c})),{c}="/")',
    "change": 'IF(ISNUMBER({c}),{c}=INT({c}),{c}="/")',
    "amount": 'IF(ISNUMBER({c}),{c}>=0,{c}="/")',
}
_ERRORS = {
    "count": "请填写不小于 0 的整数；报告中印“/”的填“/”；报告未载明的留空。",
    "change": "请填写整数（减少填负数）；报告中印“/”的填“/”；报告未载明的留空。",
    "amount": "请填写不小于 0 的数，可有小数；报告中印“/”的填“/”；报告未载明的留空。",
    "year": "请填写四位年份，如 2021。",
    "template": "请从下拉列表中选择 2021 或 2019。",
    "date": "请填写日期，如 2022-01-20。",
}


def _validation(kind: str, first_cell: str) -> DataValidation | None:
    """The validation rule for one kind of column, or None for free text."""
    if kind in _FORMULAS:
        rule = DataValidation(type="custom", formula1=_FORMULAS[kind].format(c=first_cell))
    elif kind == "year":
        rule = DataValidation(type="whole", operator="between", formula1="2000", formula2="2100")
    elif kind == "template":
        rule = DataValidation(type="list", formula1='"' + ",".join(TEMPLATE_CHOICES) + '"')
    elif kind == "date":
        rule = DataValidation(type="date", operator="greaterThanOrEqual", formula1="36526")  # 2000-01-01
    else:
        return None
    rule.allow_blank = True
    rule.showErrorMessage = True
    rule.errorTitle = "填写有误"
    rule.error = _ERRORS[kind]
    return rule


def _set_layout(sheet: Worksheet, columns: list[Column]) -> None:
    """Frozen headers, column widths and print settings (A3 landscape, headers repeated on every page)."""
    sheet.freeze_panes = f"C{FIRST_ROW}"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[BAND_ROW].height = 24
    sheet.row_dimensions[LABEL_ROW].height = 110
    sheet.row_dimensions[KEY_ROW].hidden = True
    date_format = "yyyy-mm-dd"
    for row in range(FIRST_ROW, FIRST_ROW + PREPARED_ROWS):
        sheet.cell(row, _IDENTITY_KEYS.index("published_on") + 1).number_format = date_format
    setup = sheet.page_setup
    setup.orientation, setup.paperSize = "landscape", sheet.PAPERSIZE_A3
    sheet.print_title_rows = f"{BAND_ROW}:{LABEL_ROW}"
    sheet.print_title_cols = "A:B"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.center.text = "&A 第 &P 页，共 &N 页"


_GUIDE_TEXT = (
    "政府信息公开工作年度报告数据填报说明",
    "",
    "1. 每个单位每个年度填一行，从第 4 行起填写；“单位名称”和“年度”必填。",
    "2. “模板”选择该单位年报使用的表格格式：2021（国办公开办函〔2021〕30号）或 2019（国办公开办函〔2019〕60号）。"
    "按报告实际使用的格式选择，不按年度推断。",
    "3. 照报告表格原样填写数字：",
    "   · 报告未载明的项目：留空（空白表示“未载明”，不是 0）；",
    "   · 报告中印“/”的单元格：填“/”；",
    "   · 报告中印 0 的单元格：填 0（0 表示“零”）。",
    "4. 件数列只能填不小于 0 的整数；“本年增/减”列填整数，减少填负数；金额列单位见表头（万元或元），可有小数。",
    "5. 第二部分中 2021 版与 2019 版表格的栏目不同，只填报告中实际有的栏目，其余留空。",
    "6. 第三部分每一行按申请人类别分 7 列：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计。",
    "7. “正文中的数字”填写报告正文中写明的数字（如主动公开信息条数、信息处理费；写明“未收取”的填 0），"
    "正文未写明的留空。",
    "8. 表头下方第 3 行已隐藏，是各列的键名，导入时据此识别各列：请勿修改或删除；没有键名的列不会导入。",
    "9. 请勿合并单元格，请勿在数字后加“件”“条”等单位。",
    "",
    "各列说明：",
)


def _write_guide(sheet: Worksheet, columns: list[Column]) -> None:
    """The 说明 sheet: how to fill the template, and a list of every column with its key and kind."""
    for row, text in enumerate(_GUIDE_TEXT, start=1):
        sheet.cell(row, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    header_row = len(_GUIDE_TEXT) + 1
    for col, title in enumerate(("列", "表头", "键", "填写内容", "适用模板"), start=1):
        cell = sheet.cell(header_row, col, title)
        cell.font, cell.border, cell.fill = Font(bold=True), _BORDER, PatternFill("solid", fgColor="D9E1F2")
    for offset, column in enumerate(columns, start=1):
        values = (get_column_letter(offset), column.header, column.key, _KIND_NAMES[column.kind], _templates(column))
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(header_row + offset, col, value)
            cell.border, cell.alignment = _BORDER, Alignment(wrap_text=True, vertical="top")
    _guide_layout(sheet, header_row)


def _templates(column: Column) -> str:
    """Which report templates print a column, in words."""
    if column.band == "identity":
        return "全部"
    metric = METRICS[split_key(column.key)[0]]
    names = {key: TEMPLATES[key].removesuffix("模板") for key in REPORT_TEMPLATES}  # 2021版 …
    return "、".join(names[t] for t in metric.templates if t in names)


def _guide_layout(sheet: Worksheet, header_row: int) -> None:
    """Widths and print settings of the 说明 sheet (A4 portrait, one page wide)."""
    for letter, width in zip("ABCDE", (6, 46, 34, 20, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in range(2, header_row - 1):
        sheet.row_dimensions[row].height = 30
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation, sheet.page_setup.paperSize = "portrait", sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def main_template(argv: list[str] | None = None) -> int:
    """`template --out FILE.xlsx`: write the collection template; exit 0, or 2 when the file cannot be written."""
    parser = argparse.ArgumentParser(prog="python -m loaders template", description="生成填报模板 / write the template")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="output file")
    args = parser.parse_args(argv)
    try:
        write_template(args.out)
    except OSError as exc:
        print(f"{args.out}: 无法写入文件（{exc}） / cannot write the file", file=sys.stderr)
        return 2
    print(f"已生成填报模板 / template written: {args.out}")
    return 0


# ---------------------------------------------------------------------------------------------------------------
# Reading a filled template


def is_collection(data: bytes) -> bool:
    """Whether a workbook is our collection template (some sheet has the key row); False for anything unreadable."""
    try:
        sheets = read_sheets(data, "collection", max_rows=_KEY_ROW_SEARCH)
    except ReportError:
        return False
    return any(find_key_row(sheet) for sheet in sheets)


def find_key_row(sheet: Sheet) -> int | None:
    """The 1-based number of the row that holds the column keys, or None when the sheet has none."""
    for number, row in enumerate(sheet.rows[:_KEY_ROW_SEARCH], start=1):
        cells = set(row)
        if {"agency", "year"} <= cells and sum(split_key(c)[0] in METRICS for c in cells) >= 10:
            return number
    return None


def read_collection(data: bytes, source: str) -> list[Report]:
    """One Report per filled row of every sheet that has the key row."""
    reports: list[Report] = []
    found = False
    for sheet in read_sheets(data, source):
        key_row = find_key_row(sheet)
        if key_row is None:
            continue
        found = True
        reports += _sheet_reports(sheet, key_row, source)
    if not found:
        raise ReportError(source, "不是本系统的填报模板（找不到键名行）", "not our collection template (no key row)")
    if not reports:
        raise ReportError(source, "填报表中没有填写任何单位", "the collection sheet has no filled rows")
    return reports


def _sheet_reports(sheet: Sheet, key_row: int, source: str) -> list[Report]:
    """The reports of one sheet: every row below the key row with a filled cell under some key."""
    keyed = [i for i, key in enumerate(sheet.rows[key_row - 1]) if key]
    return [
        _row_report(sheet, key_row, number, source)
        for number in range(key_row + 1, len(sheet.rows) + 1)
        if any(sheet.rows[number - 1][i] for i in keyed)
    ]


def _row_report(sheet: Sheet, key_row: int, number: int, source: str) -> Report:
    """The Report of one filled row (line numbers are sheet row numbers)."""
    keys, row = sheet.rows[key_row - 1], sheet.rows[number - 1]
    labels = sheet.rows[key_row - 2] if key_row > 1 else []
    cells: dict[str, str] = {}
    for index, key in enumerate(keys):
        if key and row[index]:
            cells.setdefault(key, row[index])
    report = Report(
        source=source,
        text=_report_text(sheet, key_row, number),
        content_hash=_row_hash(keys, row),
        source_format="collection",
    )
    _set_identity(report, cells, sheet.name, number, keys)
    report.figures = _row_figures(sheet.name, number, row, keys, labels)
    report.sections = [n for n in ("二", "三", "四") if any(f.section == n for f in report.figures)]
    _set_template(report, cells.get("template"), sheet.name, number, keys)
    return report


def _report_text(sheet: Sheet, key_row: int, number: int) -> str:
    """The header rows and the report's own row, each on the line of its sheet row number; other rows blank."""
    headers = ["\t".join(row).rstrip("\t") for row in sheet.rows[:key_row]]
    gap = [""] * (number - key_row - 1)
    return "\n".join([*headers, *gap, "\t".join(sheet.rows[number - 1]).rstrip("\t")])


def _row_hash(keys: list[str], row: list[str]) -> str:
    """A hash of the row's filled cells by key: the same figures for the same unit and year hash the same."""
    filled = [[key, row[i]] for i, key in enumerate(keys) if key and row[i]]
    return hashlib.sha256(json.dumps(["collection", filled], ensure_ascii=False).encode("utf-8")).hexdigest()


def _set_identity(report: Report, cells: dict[str, str], sheet: str, number: int, keys: list[str]) -> None:
    """Agency, year, region, parent and date from the row. A row without an agency or a readable year is kept all
    the same: it is stored as an unidentified report (a year that cannot be read is also a finding)."""
    report.agency, report.region, report.parent = (_one_line(cells.get(k, "")) for k in ("agency", "region", "parent"))
    year = _YEAR.match(cells.get("year", ""))
    report.year = int(year.group(1)) if year else None
    if cells.get("year") and year is None:
        report.findings.append(_warning(sheet, number, keys, "year", cells["year"], "年度"))
    report.agency_source = "workbook" if report.agency else None
    report.year_source = "workbook" if report.year else None
    report.published_on = _iso_date(cells.get("published_on", ""))
    if cells.get("published_on") and report.published_on is None:
        report.findings.append(_warning(sheet, number, keys, "published_on", cells["published_on"], "发布日期"))


def _one_line(text: str) -> str | None:
    """A name typed over several lines in its cell, on one line (Chinese names join without spaces)."""
    return re.sub(r"\s*\n\s*", "", text) or None


def _iso_date(text: str) -> str | None:
    """An ISO date from "2022-01-20", "2022/1/20" or "2022年1月20日"; None when it is none of those."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


def _set_template(report: Report, given: str | None, sheet: str, number: int, keys: list[str]) -> None:
    """The template as filled in; when blank or not one of ours, recognised from which columns hold figures."""
    if given in TEMPLATE_CHOICES:
        report.template = given
        return
    if given:
        report.findings.append(_warning(sheet, number, keys, "template", given, "模板"))
    filled = {f.metric for f in report.figures}
    for template in TEMPLATE_CHOICES:
        if filled & _ONLY_IN[template]:
            report.template = template
            return


# Metrics that one table template prints and the other does not: they tell the templates apart.
_ONLY_IN = {
    t: {m.key for m in METRICS.values() if t in m.templates and not set(TEMPLATE_CHOICES) - {t} & set(m.templates)}
    for t in TEMPLATE_CHOICES
}


def _warning(sheet: str, number: int, keys: list[str], key: str, raw: str, zh_name: str) -> Finding:
    """A finding for an identity cell that could not be read; the report is kept."""
    where = _cell_name(sheet, number, keys, key)
    message = f"{where} 的{zh_name}“{raw}”无法识别，已忽略 / {where}: {key} “{raw}” not understood, ignored"
    return Finding("PARSE", "warning", message, [{"raw": raw, "line": number, "location": where}])


def _cell_name(sheet: str, number: int, keys: list[str], key: str) -> str:
    """ "填报表!B7" for the cell of `key` on row `number`."""
    column = keys.index(key) + 1 if key in keys else 1
    return f"{sheet}!{get_column_letter(column)}{number}"


def _row_figures(sheet: str, number: int, row: list[str], keys: list[str], labels: list[str]) -> list[Figure]:
    """A figure for every filled cell under a metric key; the first column of a key wins if a key repeats."""
    figures: dict[tuple[str, str | None], Figure] = {}
    for index, key in enumerate(keys):
        metric, applicant = split_key(key)
        raw = row[index]
        if metric in METRICS and raw and (metric, applicant) not in figures:
            label = labels[index] if index < len(labels) else ""
            location = f"{sheet}!{get_column_letter(index + 1)}{number}"
            figures[(metric, applicant)] = _figure(metric, applicant, raw, label, location, number)
    return list(figures.values())


def _figure(metric: str, applicant: str | None, raw: str, label: str, location: str, line: int) -> Figure:
    """One figure from one cell; its labels are the column header split at its last "·"."""
    row_label, _, col_label = label.rpartition("·")
    if not row_label:
        row_label, col_label = col_label, ""
    return Figure(
        metric=metric,
        applicant=applicant,
        value=parse_value(raw),
        raw=raw,
        line=line,
        section=METRICS[metric].section,
        row_label=row_label,
        col_label=col_label,
        kind="table",
        location=location,
    )
