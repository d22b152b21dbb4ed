"""The `rename` command of the loader's command line: file a stored report under another unit or year."""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable

import duckdb

import config
from loaders import cli_support


def add_commands(commands: argparse._SubParsersAction, year: Callable[[str], int] = int) -> None:
    """Register `rename FILE_OR_ID --agency NAME --year YYYY` under the loader's commands."""
    rename = commands.add_parser(
        "rename",
        help="更正已入库报告的单位或年度（说明、状态与更正随之转入） / file a stored report under another unit or year",
    )
    rename.add_argument("report", metavar="FILE_OR_ID", help="入库时的文件名或报告编号 / file name or report id")
    rename.add_argument("--agency", metavar="NAME", help="正确的单位名称 / the right agency")
    rename.add_argument("--year", type=year, metavar="YYYY", help="正确的报告年度 / the right reporting year")
    rename.add_argument("--by", metavar="NAME", help="操作人（默认为登录名） / who renames (default: login name)")
    cli_support.add_db_option(rename)
    rename.set_defaults(run=run_rename)


def run_rename(args: argparse.Namespace) -> int:
    """Rename a stored report; exit 1 for bad input (nothing written), 2 when the database could not be written."""
    from loaders.accounts import Refused
    from loaders.rename import rename
    from loaders.review import ReviewError

    db = args.db or config.db_path()
    problem = cli_support.not_a_database(db)
    if problem:
        return cli_support.fail(problem, 1)
    try:
        done = rename(db, args.report, args.agency, args.year, args.by or getpass.getuser())
    except (ReviewError, Refused) as exc:
        return cli_support.fail(f"{args.report}: {exc}", 1)
    except (OSError, duckdb.Error) as exc:
        return cli_support.cannot_write(db, exc)
    (agency0, year0, version0), (agency, year, version) = done.before, done.after
    print(
        f"{done.source}（{done.report_id}）：{agency0} {year0}年第{version0}版 → {agency} {year}年第{version}版；"
        f"{done.carried}个问题的说明、状态与更正记录已随之转入 / "
        f"{agency0}, {year0} v{version0} → {agency}, {year} v{version}; the review record of {done.carried}"
        " finding(s) followed"
    )
    return 0
