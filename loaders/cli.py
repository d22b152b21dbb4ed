"""Command line: ingest report files into DuckDB, parse files to JSON without a database, list findings, give a
stored report the agency and year it lacks (or file it under another, cli_rename), import a roster of units and a work
plan's task table."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import unicodedata
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

import config
from loaders import checks, cli_rename, cli_support, cli_users, store
from loaders.accounts import local_user
from loaders.model import Given, Report, ReportError
from loaders.parse import parse_reports

if TYPE_CHECKING:
    from loaders import identify as identify_module


def main(argv: list[str] | None = None) -> int:
    """Run one command and return the process exit code."""
    return cli_support.run(_parser(), argv)


def _parser() -> argparse.ArgumentParser:
    """The argument parser with its commands."""
    from loaders.batch import PARALLEL_FROM

    parser, commands = cli_support.command_parser("python -m loaders", "政务公开年报 / annual report loader")
    ingest = commands.add_parser("ingest", help="解析并入库 / parse files and store them")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    cli_support.add_db_option(ingest)
    ingest.add_argument("--quiet", action="store_true", help="no progress bar")
    ingest.add_argument(
        "--workers",
        type=_positive,
        default=os.cpu_count() or 1,
        metavar="N",
        help=f"解析进程数（默认全部核心；至少 {PARALLEL_FROM} 个文件时启用）"
        f"/ parse processes (default: every core; used from {PARALLEL_FROM} files on)",
    )
    _add_given_options(ingest)
    ingest.set_defaults(run=run_ingest)
    parse = commands.add_parser("parse", help="只解析不入库 / parse files without a database")
    parse.add_argument("paths", nargs="+", type=Path, metavar="FILE")
    parse.add_argument("--json", action="store_true", help="print JSON")
    _add_given_options(parse)
    parse.set_defaults(run=run_parse)
    check = commands.add_parser("check", help="列出数据库中的问题 / list the findings of the database")
    cli_support.add_db_option(check)
    check.add_argument("--json", action="store_true", help="print JSON")
    check.set_defaults(run=run_check)
    identify = commands.add_parser(
        "identify", help="为未识别的报告填写单位、年度 / give a stored report the agency and year it lacks"
    )
    identify.add_argument("report", metavar="FILE_OR_ID", help="入库时的文件名或报告编号 / file name or report id")
    identify.add_argument("--agency", metavar="NAME", help="发布机关 / agency")
    identify.add_argument("--year", type=_year, metavar="YYYY", help="报告年度 / reporting year")
    identify.add_argument("--by", metavar="NAME", help="填写人（默认为登录名） / who gives them (default: login name)")
    cli_support.add_db_option(identify)
    identify.set_defaults(run=run_identify)
    template = commands.add_parser("template", help="生成汇总填报模板 / write the collection template workbook")
    template.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    template.set_defaults(run=run_template)
    roster = commands.add_parser("roster", help="导入单位名册（替换原名册） / import the roster of units (replaces it)")
    roster.add_argument("file", type=Path, metavar="FILE", help=".xlsx or .csv")
    cli_support.add_db_option(roster)
    roster.set_defaults(run=run_roster)
    workplan = commands.add_parser("workplan", help="导入工作要点任务分解表 / import a work plan's task table")
    workplan.add_argument("file", type=Path, metavar="FILE", help="text, .docx or .xlsx")
    cli_support.add_db_option(workplan)
    workplan.set_defaults(run=run_workplan)
    for command in (ingest, roster, workplan):
        command.add_argument(
            "--account",
            metavar="NAME",
            help="记录为操作人（默认：本机用户名） / recorded as the writer (default: OS user)",
        )
    cli_rename.add_commands(commands, _year)
    cli_users.add_commands(commands)
    _add_batch_commands(commands)
    return parser


def _add_given_options(command: argparse.ArgumentParser) -> None:
    """--agency and --year: for reports that do not state them (explicit values win; see meta.apply_given)."""
    command.add_argument(
        "--agency",
        metavar="NAME",
        help="发布机关：报告未写明时使用；与报告所写不同时以此为准并记为问题 / "
        "agency for every file; wins over the report's own, which is then kept as a finding",
    )
    command.add_argument(
        "--year",
        type=_year,
        metavar="YYYY",
        help="报告年度，规则同上 / reporting year, same rule",
    )


def _year(text: str) -> int:
    """A four-digit reporting year from the command line."""
    if not (text.isdigit() and len(text) == 4 and 1990 <= int(text) <= 2100):
        raise argparse.ArgumentTypeError(f"年度应为四位年份，如 2023 / a year is four digits, e.g. 2023: {text!r}")
    return int(text)


def _given(args: argparse.Namespace) -> Given | None:
    """The agency and year given on the command line, or None when neither was."""
    agency = (args.agency or "").strip() or None
    return Given(agency, args.year) if agency or args.year else None


def run_roster(args: argparse.Namespace) -> int:
    """Import a roster; exit 1 for a bad file (nothing written), 2 when the database could not be written."""
    from loaders import roster

    return _import(args, lambda db: roster.summary(roster.import_roster(args.file, db, args.account)))


def run_workplan(args: argparse.Namespace) -> int:
    """Import a work plan's task table; exit 1 for a file without one, 2 when the database could not be written."""
    from loaders import workplan

    return _import(args, lambda db: workplan.summary(workplan.import_workplan(args.file, db, args.account)))


def _import(args: argparse.Namespace, write: Callable[[Path], str]) -> int:
    """Run one import into the database and print its summary, or the problems with the file."""
    db = args.db or config.db_path()
    try:
        print(write(db))
    except ReportError as exc:
        return cli_support.fail(str(exc), 1)
    except (OSError, duckdb.Error) as exc:
        return cli_support.cannot_write(db, exc)
    return 0


def run_template(args: argparse.Namespace) -> int:
    """Write the collection template that a supervising office sends to its units."""
    from loaders.formats.collection import main_template

    return main_template(["--out", str(args.out)])


def run_ingest(args: argparse.Namespace) -> int:
    """Ingest files and folders; exit 1 when any file failed, 2 when the database could not be written."""
    db = args.db or config.db_path()
    given = _given(args)
    try:
        from loaders import batch  # the parse on several processes, for many files

        summary = batch.ingest(
            args.paths,
            db,
            progress=not args.quiet,
            given=None if given is None else lambda _path: given,
            by=args.account,
            workers=args.workers,
        )
        identified, problems = _identify_given(db, summary, args.account or local_user())
    except (OSError, duckdb.Error) as exc:
        return cli_support.cannot_write(db, exc)
    print(_ingest_summary(summary, db))
    lines = [f"已识别 / identified: {_identified(done)}" for done in identified]
    lines += [f"未能识别 / not identified: {problem}" for problem in problems]
    if lines:
        print("\n".join(lines))
    return 1 if summary.failures or problems else 0


def _identify_given(
    db: Path, summary: store.IngestSummary, by: str
) -> tuple[list[identify_module.Identified], list[str]]:
    """A file stored earlier without agency or year and ingested again with them given: identify its report."""
    if not summary.given_again:
        return [], []
    from loaders import identify

    return identify.identify_given(db, summary.given_again, by)


def _ingest_summary(summary: store.IngestSummary, db: Path) -> str:
    """The human-readable summary of an ingest."""
    lines = [
        f"数据库 / database: {db}",
        f"报告 / reports: 新增 added {summary.added}, 新版本 replaced {summary.replaced}, "
        f"未变 unchanged {summary.unchanged}",
        f"未识别单位或年度而入库 / stored without agency or year: {summary.unidentified}"
        + (
            "（见问题核查；用 identify 命令或导入页面填写 / see the findings; give them with identify or on the"
            " import page）"
            if summary.unidentified
            else ""
        ),
        f"数值 / figures: {summary.figures}",
        f"问题 / findings: {summary.findings}",
        f"失败 / failures: {len(summary.failures)}",
    ]
    lines += [f"  {file}: {message}" for file, message in summary.failures]
    if summary.skipped:
        lines.append(f"跳过 / skipped: {len(summary.skipped)}")
        lines += [f"  {file}: {why}" for file, why in summary.skipped]
    return "\n".join(lines)


def run_parse(args: argparse.Namespace) -> int:
    """Parse files (no database) and print them with their findings; exit 1 when any file failed."""
    files, failures, skipped = store.collect(args.paths)
    reports: list[Report] = []
    errors = [{"source": file, "message": message} for file, message in failures]
    given = _given(args)
    for path in files:
        try:
            reports.extend(parse_reports(path, given))
        except ReportError as exc:
            errors.append({"source": str(path), "message": str(exc)})
        except Exception as exc:  # a parser bug on one file must not hide the others
            errors.append({"source": str(path), "message": f"{path.name}: 无法解析（{exc}） / could not parse ({exc})"})
    found = checks.findings_for(reports)
    for report in reports:
        found[report.source] += _identity_findings(report)
    if args.json:
        document = _parse_json(reports, found, errors)
        if skipped:
            document["skipped"] = [{"source": file, "reason": why} for file, why in skipped]
        print(json.dumps(document, ensure_ascii=False, indent=1))
    else:
        print(_parse_text(reports, found, errors))
        print("\n".join(f"跳过 / skipped: {file}: {why}" for file, why in skipped))
    return 1 if errors else 0


def _identity_findings(report: Report) -> list[dict]:
    """The finding that says a report states no agency or year (ingest stores it unidentified) and how to give them."""
    finding = store.identity_finding(report)
    if finding is None:
        return []
    return [{"rule": finding.rule, "severity": finding.severity, "message": finding.message, "cells": finding.cells}]


def run_identify(args: argparse.Namespace) -> int:
    """Give a stored unidentified report its agency and/or year; exit 1 for bad input (nothing written), 2 when the
    database could not be written."""
    from loaders import identify
    from loaders.review import ReviewError

    db = args.db or config.db_path()
    problem = cli_support.not_a_database(db)
    if problem:
        return cli_support.fail(problem, 1)
    try:
        done = identify.identify(db, args.report, args.agency, args.year, args.by or getpass.getuser())
    except ReviewError as exc:
        return cli_support.fail(f"{args.report}: {exc}", 1)
    except (OSError, duckdb.Error) as exc:
        return cli_support.cannot_write(db, exc)
    print(_identified(done))
    return 0


def _identified(done: identify_module.Identified) -> str:
    """What an identification did, in Chinese and English."""
    head = f"{done.source}（{done.report_id}）→ {done.agency} {done.year}年 / {done.agency}, {done.year}"
    if done.version is None:
        return (
            f"{head}：该单位该年度已有内容相同的报告，未另存新版本，未识别的副本已移除 / "
            "that unit and year already hold the same report: no new version, the unidentified copy was removed"
        )
    return f"{head}：已存为第{done.version}版 / stored as version {done.version}"


def _parse_json(reports: list[Report], found: dict[str, list[dict]], errors: list[dict]) -> dict:
    """The `parse --json` document: reports with figures and findings, plus errors when any file failed."""
    out: dict = {"reports": []}
    for report in reports:
        item = report.to_json()
        item["findings"] = [{k: f[k] for k in ("rule", "severity", "message")} for f in found[report.source]]
        out["reports"].append(item)
    if errors:
        out["errors"] = errors
    return out


def _parse_text(reports: list[Report], found: dict[str, list[dict]], errors: list[dict]) -> str:
    """A short readable account of each parsed file."""
    lines: list[str] = []
    for report in reports:
        lines.append(f"{report.source}: {report.agency} {report.year} 模板/template {report.template}")
        lines.append(f"  数值 / figures: {len(report.figures)}, 问题 / findings: {len(found[report.source])}")
        lines.append(f"  单位、年度取自 / agency, year from: {report.agency_source}, {report.year_source}")
        lines += [f"  {f['rule']} {f['severity']}: {f['message']}" for f in found[report.source]]
    lines += [f"失败 / failed: {e['message']}" for e in errors]
    return "\n".join(lines)


def run_check(args: argparse.Namespace) -> int:
    """Print the findings stored in the database, as a table or as JSON."""
    db = args.db or config.db_path()
    problem = cli_support.not_a_database(db)
    if problem:
        return cli_support.fail(problem, 1)
    try:
        con = store.connect(db, read_only=True)
        try:
            rows = checks.findings(con).to_dicts()
        finally:
            con.close()
    except duckdb.Error as exc:
        return cli_support.fail(cli_support.cannot_read(db, exc), 1)
    if args.json:
        for row in rows:
            row["cells"] = json.loads(row["cells"]) if row["cells"] else []
        print(json.dumps({"findings": rows}, ensure_ascii=False, indent=1))
    else:
        print(_findings_table(rows))
    return 0


def _findings_table(rows: list[dict]) -> str:
    """Findings as aligned columns (CJK characters count double), then a count by severity."""
    header = {"agency": "机构 agency", "year": "年度 year", "rule": "规则 rule", "severity": "级别 severity"}
    columns = list(header)
    shown = [{c: "—" if r[c] is None else str(r[c]) for c in columns} for r in rows]  # —: not identified
    widths = {c: max([_width(header[c])] + [_width(r[c]) for r in shown]) for c in columns}
    lines = ["  ".join(_pad(header[c], widths[c]) for c in columns) + "  说明 message"]
    lines += [
        "  ".join(_pad(s[c], widths[c]) for c in columns) + "  " + r["message"]
        for s, r in zip(shown, rows, strict=True)
    ]
    errors = sum(r["severity"] == "error" for r in rows)
    lines.append(f"共 {len(rows)} 条问题（错误 {errors} 条）/ {len(rows)} findings ({errors} errors)")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width of text in a terminal: wide East Asian characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    """Text padded with spaces to a display width."""
    return text + " " * (width - _width(text))


def _add_batch_commands(commands: argparse._SubParsersAction) -> None:
    """The batch parse to Parquet and the load of its output into the database."""
    from loaders.batch import DEFAULT_BATCH_SIZE

    batch = commands.add_parser(
        "batch", help="批量解析为 Parquet（本机多进程或 Ray） / parse many files to Parquet (local processes or Ray)"
    )
    batch.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (folders walked recursively)")
    batch.add_argument(
        "--list",
        dest="lists",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="文本文件，每行一个路径或 URI / a text file listing paths or URIs, one a line (repeatable)",
    )
    batch.add_argument("--out", type=Path, required=True, metavar="DIR", help="Parquet output folder")
    batch.add_argument("--workers", type=_positive, default=os.cpu_count() or 1, metavar="N", help="worker processes")
    batch.add_argument(
        "--ray",
        metavar="ADDRESS",
        help="在 Ray 上运行：auto、ray://host:port，或 local（本机启动） / run on Ray: auto, ray://host:port or local",
    )
    batch.add_argument(
        "--batch-size", type=_positive, default=DEFAULT_BATCH_SIZE, metavar="N", help="files per output batch"
    )
    batch.add_argument("--quiet", action="store_true", help="no progress display")
    batch.set_defaults(run=run_batch)
    load = commands.add_parser(
        "load-parquet", help="将批量解析结果入库 / store a batch output in the database, as ingest would"
    )
    load.add_argument("out", type=Path, metavar="DIR", help="the batch command's --out folder")
    cli_support.add_db_option(load)
    load.set_defaults(run=run_load_parquet)


def _positive(text: str) -> int:
    """A whole number of at least 1 from the command line."""
    if not (text.isdigit() and int(text) >= 1):
        raise argparse.ArgumentTypeError(f"应为正整数 / a positive whole number is needed: {text!r}")
    return int(text)


def run_batch(args: argparse.Namespace) -> int:
    """Parse files to Parquet; exit 1 when any file failed, 2 when the output or Ray could not be used."""
    from loaders import batch

    try:
        paths = [str(p) for p in args.paths] + batch.listed_paths(args.lists)
    except ReportError as exc:
        return cli_support.fail(str(exc), 2)
    if not paths:
        return cli_support.fail("没有要解析的文件 / no files given: name paths or a --list file", 2)
    files, skipped = batch.input_files(paths)
    before = batch.batch_count(args.out)
    try:
        counts = _run_batch(args, files)
    except ReportError as exc:
        return cli_support.fail(str(exc), 2)
    except OSError as exc:
        return cli_support.fail(f"{args.out}: 无法写入输出目录（{exc}） / cannot write the output folder ({exc})", 2)
    except BrokenProcessPool:
        return cli_support.fail(
            "工作进程意外退出；已完成的批次已保存，重新运行同一命令即可继续 / a worker process died; the finished"
            " batches are kept: run the same command again to resume",
            2,
        )
    print(_batch_summary(counts, skipped, batch.batch_count(args.out) - before, args.out))
    return 1 if counts.failed else 0


def _run_batch(args: argparse.Namespace, files: list[str]):
    """Run the local runner, or the Ray runner when --ray names an address."""
    from loaders import batch

    if not args.ray:
        return batch.run_local(files, args.out, args.workers, args.batch_size, args.quiet)
    from loaders import batch_ray

    try:
        return batch_ray.run_ray(files, args.out, args.ray, args.batch_size, args.quiet, num_cpus=args.workers)
    except batch_ray.RayMissing as exc:
        raise ReportError("--ray", *str(exc).split(" / ", 1)) from exc


def _batch_summary(counts, skipped: list[tuple[str, str]], written: int, out: Path) -> str:
    """The human-readable summary of a batch run."""
    lines = [
        f"输出 / output: {out}",
        f"文件 / files: 解析 parsed {counts.parsed}, 失败 failed {counts.failed}, "
        f"已在输出中 already in the output {counts.skipped}",
        f"新批次 / new batches: {written}",
    ]
    lines += [f"  {file}: {message}" for file, message in counts.failures]
    if skipped:
        lines.append(f"跳过 / skipped: {len(skipped)}")
        lines += [f"  {file}: {why}" for file, why in skipped]
    return "\n".join(lines)


def run_load_parquet(args: argparse.Namespace) -> int:
    """Store a batch output in the database as ingest would; exit 1 when there is no output, 2 when the database
    could not be written."""
    from loaders import batch

    db = args.db or config.db_path()
    try:
        summary = batch.load_parquet(args.out, db)
    except ReportError as exc:
        return cli_support.fail(str(exc), 1)
    except (OSError, duckdb.Error) as exc:
        return cli_support.cannot_write(db, exc)
    print(_ingest_summary(summary, db))
    return 0
