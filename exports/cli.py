"""Command line: `python -m exports briefing --db FILE --agencies A B --years 2019-2021 --out DIR` writes the
briefing workbook, deck and document of a selection (`--formats ... pdf` or `--pdf` adds the PDF, where LibreOffice
is installed); the database is opened read-only."""

from __future__ import annotations

import argparse
import difflib
import functools
import re
from pathlib import Path

import duckdb
import polars as pl

import config
from analytics import queries
from analytics.db import connect
from analytics.state import Selection
from exports import ExportError
from exports.briefing import build, data_label
from exports.files import FORMATS, PDF, make_files, write_files
from loaders import cli_support

_RANGE = re.compile(r"^(\d{4})\s*(?:[-–—~～至到]\s*(\d{4}))?$")


def main(argv: list[str] | None = None) -> int:
    """Run one command and return the process exit code."""
    return cli_support.run(_parser(), argv)


def _parser() -> argparse.ArgumentParser:
    """The argument parser and its one command."""
    parser, commands = cli_support.command_parser("python -m exports", "简报导出 / briefing exports")
    brief = commands.add_parser("briefing", help="生成简报（Excel、PowerPoint、Word） / write the briefing files")
    cli_support.add_db_option(brief)
    brief.add_argument("--agencies", nargs="+", default=[], metavar="AGENCY", help="单位 / agencies (default: all)")
    brief.add_argument("--years", nargs="+", default=[], metavar="YEAR", help="e.g. 2021, 2019-2021 or 2019 2020 2021")
    brief.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the files")
    brief.add_argument("--title", default="政府信息公开工作年度报告分析简报", help="简报标题 / title")
    brief.add_argument("--formats", nargs="+", choices=(*FORMATS, PDF), default=list(FORMATS), help="files to write")
    brief.add_argument("--pdf", action="store_true", help="另存PDF（需LibreOffice） / also write the PDF (LibreOffice)")
    brief.set_defaults(run=run_briefing)
    return parser


def run_briefing(args: argparse.Namespace) -> int:
    """Build the briefing and write its files; exit 2 on bad input or when nothing could be made."""
    db = args.db or config.db_path()
    problem = cli_support.not_a_database(db) if db.exists() else None
    if problem:
        return cli_support.fail(problem, 2)
    try:
        con = connect(db)
    except FileNotFoundError as exc:
        return cli_support.fail(str(exc), 2)
    except duckdb.Error as exc:
        return cli_support.fail(cli_support.cannot_read(db, exc), 2)
    try:
        fetch = functools.partial(queries.run, con)
        selection = parse_selection(fetch, args.agencies, args.years, db)
        briefing = build(fetch, selection, data_label(db, fetch), args.title)
        files = make_files(briefing, tuple(dict.fromkeys([*args.formats, *([PDF] if args.pdf else [])])))
        written = write_files(args.out, briefing, files)
    except (ExportError, duckdb.Error, OSError) as exc:
        return cli_support.fail(f"{db}: {exc}", 2)
    finally:
        con.close()
    for path in written:
        print(path)
    return 0


def parse_selection(fetch, agencies: list[str], years: list[str], db: Path) -> Selection:
    """The selection the arguments name, checked against the database: every agency must be stored, and the
    years must be one unbroken range within the years the chosen agencies reported."""
    options = fetch("selection_options")
    known = options["agency"].to_list()
    for agency in agencies:
        if agency not in known:
            raise ExportError(_unknown_agency(agency, known, db))
    chosen = options.filter(pl.col("agency").is_in(agencies)) if agencies else options
    low, high = parse_years(years)
    first, last = int(chosen["first_year"].min()), int(chosen["last_year"].max())
    for year in (y for y in (low, high) if y is not None):
        if not first <= year <= last:
            raise ExportError(
                f"年度 {year} 超出所选单位的报告年度（{first}—{last}） / "
                f"year {year} is outside the years the chosen agencies reported ({first}-{last})"
            )
    return Selection(agencies=tuple(dict.fromkeys(agencies)), year_from=low, year_to=high)


def _unknown_agency(agency: str, known: list[str], db: Path) -> str:
    """The error for an agency the database does not hold, with the closest names it does."""
    close = difflib.get_close_matches(agency, known, n=3, cutoff=0.5)
    hint_zh = f"；是否指：{'、'.join(close)}" if close else ""
    hint_en = f"; did you mean: {', '.join(close)}" if close else ""
    return (
        f"未知单位“{agency}”：数据库中没有该单位的报告{hint_zh} / "
        f"unknown agency {agency!r}: no report of it in {db.name}{hint_en}"
    )


def parse_years(tokens: list[str]) -> tuple[int | None, int | None]:
    """The year range the --years tokens give (2021, 2019-2021, or a list of consecutive years); (None, None) for
    all years."""
    years: set[int] = set()
    for token in tokens:
        match = _RANGE.match(token.strip())
        if not match:
            raise ExportError(f"无法识别的年度“{token}”，应为 2021 或 2019-2021 / cannot read year {token!r}")
        low, high = int(match[1]), int(match[2] or match[1])
        if high < low:
            raise ExportError(f"年度范围“{token}”首尾颠倒 / year range {token!r} runs backwards")
        years.update(range(low, high + 1))
    if not years:
        return None, None
    if len(years) != max(years) - min(years) + 1:
        raise ExportError(
            f"年度须连续（{'、'.join(map(str, sorted(years)))}） / the years must form one unbroken range"
        )
    return min(years), max(years)
