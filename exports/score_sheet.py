"""The score sheet (评分表) as an .xlsx: one row per unit (total, tier, each indicator, deductions with their
evidence), one row per deduction, and the rubric itself; styled and set up for printing like the briefing workbook
(exports.excel: A4 landscape, one page wide, the header repeated on every page and frozen on screen). Text cells are
written with exports.excel.put_text, so text from reports can never run as a formula. The file is written whole or
not at all (exports.atomic: a temporary file, then a rename). The command line:

    python -m exports.score_sheet --db FILE --year YEAR [--rubric FILE] --out FILE.xlsx
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analytics.db import connect
from analytics.queries import run
from analytics.rubric import DEFAULT_RUBRIC, Rubric, RubricError, Tier, load_rubric
from analytics.scoring import Deduction, ScoringError, UnitScore, indicator_labels, score_year, sheet_order
from exports.atomic import write_atomic
from exports.excel import BODY_FONT, BORDER, NOTE_FONT, TITLE_FONT, WRAP_TOP, print_setup, put_text, save, write_header
from loaders.cli_support import not_a_database

HEADER_ROW = 4  # title, rubric, blank, header
NOT_SCORED = "不计分"


def write_score_sheet(scores: list[UnitScore], rubric: Rubric, year: int, out: Path) -> Path:
    """Write the score sheet to `out` (an .xlsx) atomically; returns the path."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ScoringError(f"{out.name}: 评分表应保存为 .xlsx 文件 / the score sheet must be an .xlsx file")
    return write_atomic(out.parent, out.name, score_workbook(scores, rubric, year))


def score_workbook(scores: list[UnitScore], rubric: Rubric, year: int) -> bytes:
    """The workbook's bytes: 评分表, 扣分明细 and 评分细则."""
    book = Workbook()
    ranking = book.active
    ranking.title = "评分表"
    _ranking_sheet(ranking, scores, rubric, year)
    _deductions_sheet(book.create_sheet("扣分明细"), scores, year)
    _rubric_sheet(book.create_sheet("评分细则"), rubric)
    return save(book)


# --- sheets ------------------------------------------------------------------------------------------------------


def _ranking_sheet(sheet: Worksheet, scores: list[UnitScore], rubric: Rubric, year: int) -> None:
    """One row per unit: rank, unit, class, timeliness, total, tier, each indicator, deductions, notes."""
    labels = indicator_labels(scores, rubric)
    header = ["排名", "单位", "类别", "报送情况", "总分", "等次", *labels, "扣分与加分明细（含证据）", "说明"]
    _title(sheet, f"{year}年度政府信息公开工作年度报告评分表", _rubric_line(rubric), len(header))
    write_header(sheet, HEADER_ROW, header)
    for row, score in enumerate(sorted(scores, key=sheet_order), start=HEADER_ROW + 1):
        earned = {r.label: r for r in score.indicators}
        values = [score.rank, score.unit, score.class_label, score.timeliness or "—", score.total, score.tier or "—"]
        values += [_earned(earned.get(label)) for label in labels]
        lines = [_line(d, False) for d in score.deductions] + [_line(d, True) for d in score.bonuses]
        values += ["\n".join(lines) or "无", _notes(score)]
        _row(sheet, row, values)
    widths = [6, 22, 14, 9, 8, 8, *[10] * len(labels), 70, 40]
    _finish(sheet, widths, f"{year}年度年报评分表")


def _deductions_sheet(sheet: Worksheet, scores: list[UnitScore], year: int) -> None:
    """One row per deduction or bonus, with its evidence and where to find it."""
    header = ["单位", "类别", "指标", "扣分（负数为加分）", "原因", "证据", "报告编号", "行号", "问题编号"]
    _title(
        sheet,
        f"{year}年度年报评分扣分明细",
        "每一项扣分（或加分）及其依据：报告编号与行号可在看板“报告详情”中打开。",
        len(header),
    )
    write_header(sheet, HEADER_ROW, header)
    row = HEADER_ROW + 1
    for score in sorted(scores, key=sheet_order):
        for item, sign in [(d, 1) for d in score.deductions] + [(d, -1) for d in score.bonuses]:
            evidence = item.evidence
            where = [evidence.get("report_id"), evidence.get("line"), evidence.get("finding_key")]
            points = round(sign * item.points, 2)
            _row(
                sheet,
                row,
                [score.unit, score.class_label, item.label, points, item.reason, item.evidence_text(), *where],
            )
            row += 1
    _finish(sheet, [22, 14, 16, 10, 30, 70, 18, 7, 18], f"{year}年度年报评分扣分明细")


def _rubric_sheet(sheet: Worksheet, rubric: Rubric) -> None:
    """The rubric: each indicator with its group, kind, points per class and parameters; groups' caps; tiers."""
    classes = [c.label for c in rubric.classes]
    header = ["指标", "编号", "分组（组上限）", "类型", *[f"{c}分值" for c in classes], "参数"]
    _title(sheet, f"评分细则：{rubric.name}", rubric.source or rubric.path, len(header))
    write_header(sheet, HEADER_ROW, header)
    row = HEADER_ROW + 1
    for indicator in rubric.indicators.values():
        group = rubric.groups[indicator.group]
        cap = "不限" if group.cap is None else f"{group.cap:g}分"
        points = [rubric.points(c, indicator) if indicator.id in c.indicators else "不适用" for c in rubric.classes]
        params = "；".join(f"{k} = {_param(v)}" for k, v in indicator.params.items())
        kind = f"{indicator.kind}（加分项）" if indicator.bonus else indicator.kind
        _row(sheet, row, [indicator.label, indicator.id, f"{group.label}（{cap}）", kind, *points, params])
        row += 1
    row += 1
    tiers = "；".join(_tier_text(t) for t in rubric.tiers)
    put_text(sheet.cell(row, 1), f"等次：{tiers}").font = NOTE_FONT
    rules = (
        f"满分{rubric.max_score:g}分；本年新收申请少于{rubric.min_requests}件的单位，比率类指标列示但不计分，"
        f"总分按可计分指标折算；{rubric.missing_words()}。排名在同一类别内，并列同名次；"
        "“同类别前x%”指名次除以同类别参与排名的单位数不超过x%。"
    )
    put_text(sheet.cell(row + 1, 1), rules).font = NOTE_FONT
    _finish(sheet, [18, 14, 20, 20, *[10] * len(classes), 60], f"评分细则：{rubric.name}")


# --- pieces ------------------------------------------------------------------------------------------------------


def _rubric_line(rubric: Rubric) -> str:
    """Which rubric scored the sheet."""
    return f"评分细则：{rubric.name}（{rubric.path}），满分{rubric.max_score:g}分。等次：" + "；".join(
        _tier_text(t) for t in rubric.tiers
    )


def _tier_text(tier: Tier) -> str:
    """A tier with its conditions in words."""
    return f"{tier.label}（{tier.conditions() or '其余'}）"


def _param(value: object) -> str:
    """A rubric parameter as text."""
    return (
        "、".join(map(str, value))
        if isinstance(value, list | tuple)
        else f"{value:g}"
        if isinstance(value, float)
        else str(value)
    )


def _earned(result) -> float | str | None:
    """An indicator's cell: points earned, 不计分, or empty when the unit's class does not have it."""
    if result is None:
        return None
    if result.earned is None:
        return "未发布" if result.value == "未发布" else NOT_SCORED
    return result.earned


def _line(item: Deduction, bonus: bool) -> str:
    """A deduction (bonus: an addition) in one line: indicator, points, reason and evidence."""
    added = -item.points if not bonus else item.points  # a cap adjustment runs the other way
    points = f"+{added:g}" if added >= 0 else f"−{-added:g}"
    return f"【{item.label}】{points}：{item.reason}。{item.evidence_text()}"


def _notes(score: UnitScore) -> str:
    """Why indicators were not scored, and any rescaling."""
    notes = [f"{r.label}：{r.note}" for r in score.indicators if r.note]
    return "\n".join(notes + score.notes)


def _title(sheet: Worksheet, title: str, note: str, width: int) -> None:
    """The title and the note above the table."""
    put_text(sheet.cell(1, 1), title).font = TITLE_FONT
    put_text(sheet.cell(2, 1), note).font = NOTE_FONT
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.cell(2, 1).alignment = WRAP_TOP
    sheet.row_dimensions[2].height = 30


def _row(sheet: Worksheet, row: int, values: Sequence[object]) -> None:
    """One body row: numbers as numbers (two decimals at most), text as text, empty for None."""
    for col, value in enumerate(values, start=1):
        cell = sheet.cell(row, col)
        if isinstance(value, str):
            put_text(cell, value)
        elif value is not None:
            cell.value = value
            cell.number_format = "0" if isinstance(value, int) else "0.##"
        cell.font, cell.border, cell.alignment = BODY_FONT, BORDER, WRAP_TOP


def _finish(sheet: Worksheet, widths: Sequence[float], title: str) -> None:
    """Column widths, frozen header, filter, and the page set up for printing."""
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 3)  # header rows and the rank and unit columns stay in view
    last = max(sheet.max_row, HEADER_ROW)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(widths))}{last}"
    print_setup(sheet, title, HEADER_ROW)


# --- command line ---------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Write the score sheet of one year; exit 1 on bad input, 2 when the file cannot be written."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    args = _parser().parse_args(argv)
    try:
        rubric = load_rubric(args.rubric)
        scores = _scores_from_file(args.db, args.year, rubric)
    except (RubricError, ScoringError) as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        write_score_sheet(scores, rubric, args.year, args.out)
    except ScoringError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{args.out}: 无法写入评分表（{exc}） / cannot write the score sheet ({exc})", file=sys.stderr)
        return 2
    print(f"评分表 / score sheet: {args.out}（{len(scores)} 个单位 / units, {args.year}）")
    return 0


def _parser() -> argparse.ArgumentParser:
    """The command line's arguments."""
    parser = argparse.ArgumentParser(
        prog="python -m exports.score_sheet", description="年报评分表 / annual report score sheet"
    )
    parser.add_argument("--db", type=Path, required=True, help="database file")
    parser.add_argument("--year", type=int, required=True, help="reporting year")
    parser.add_argument("--rubric", type=Path, default=None, help=f"rubric TOML (default: {DEFAULT_RUBRIC.name})")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="score sheet to write")
    return parser


def _scores_from_file(db: Path, year: int, rubric: Rubric) -> list[UnitScore]:
    """Score a year from a database file opened read-only."""
    problem = not_a_database(db)
    if problem and db.exists():
        raise ScoringError(problem)
    try:
        con = connect(db)
    except FileNotFoundError as exc:
        raise ScoringError(f"{db}: 数据库文件不存在 / database file not found") from exc
    except duckdb.Error as exc:
        raise ScoringError(f"{db}: 无法打开数据库（{exc}） / cannot open the database") from exc
    try:
        scores = score_year(lambda name, **params: run(con, name, **params), year, rubric)
    finally:
        con.close()
    if not scores:
        raise ScoringError(f"{db}: {year}年度没有应报送的单位 / no units to score for {year}")
    return scores


if __name__ == "__main__":
    raise SystemExit(main())
