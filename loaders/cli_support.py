"""What the project's command lines (`python -m loaders`, `python -m exports`) share: UTF-8 output, a parser of
commands with the --db option, and errors printed to stderr, in Chinese and English, with the exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import config

# The exit code when the database could not be written (its old contents are kept).
CANNOT_WRITE = 2


def command_parser(prog: str, description: str) -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    """A parser whose first argument names the command, and the group its commands are added to; each command
    sets `run`, the function that runs it and returns the exit code."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    return parser, parser.add_subparsers(required=True, metavar="COMMAND")


def add_db_option(command: argparse.ArgumentParser) -> None:
    """The --db option: the database file, by default the one config names."""
    command.add_argument(
        "--db", type=Path, default=None, help=f"database file (default: ${config.DB_ENV_VAR} or data/)"
    )


def run(parser: argparse.ArgumentParser, argv: list[str] | None = None) -> int:
    """Parse the arguments and run the chosen command; returns its exit code. Output is UTF-8 whatever the locale,
    since messages are in Chinese."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # a captured stream in tests may not be a text file
            stream.reconfigure(encoding="utf-8")
    args = parser.parse_args(argv)
    try:
        config.write_memory()  # a wrong write memory budget is said before any command, not in the middle of one
    except ValueError as exc:
        return fail(str(exc), 2)
    return args.run(args)


def fail(message: str, code: int) -> int:
    """Print an error (already in Chinese and English) to stderr and return the exit code it calls for."""
    print(message, file=sys.stderr)
    return code


def not_a_database(db: Path) -> str | None:
    """Why the file at `db` cannot be read as a database, in Chinese and English; None when it looks like one."""
    if not db.exists():
        return f"{db}: 数据库不存在，请先运行 ingest / database not found, run ingest first"
    if db.is_dir():
        return f"{db}: 这是文件夹，不是数据库文件 / this is a folder, not a database file"
    if not is_duckdb_file(db):
        return (
            f"{db}: 不是数据库文件（已损坏，或不是 DuckDB 数据库），请检查 --db 参数 / "
            "not a database file (damaged, or not a DuckDB database); check the --db option"
        )
    return _not_ours(db)


def _not_ours(db: Path) -> str | None:
    """Why a DuckDB file is not a database of report figures (None when it is one)."""
    import duckdb

    try:
        con = duckdb.connect(str(db), read_only=True)
        try:
            found = con.sql("select 1 from duckdb_tables() where table_name in ('schema_info', 'reports')").fetchall()
        finally:
            con.close()
    except duckdb.Error as exc:
        return cannot_read(db, exc)
    if len(found) < 2:
        return (
            f"{db}: 这个数据库不是年报数据库（没有报告表），请用 ingest 生成 / "
            "this database holds no reports (not one this program made): build it with ingest"
        )
    return None


def is_duckdb_file(path: Path) -> bool:
    """Whether a file starts like a DuckDB database (an empty file is one DuckDB will create)."""
    with open(path, "rb") as handle:
        head = handle.read(12)
    return not head or head[8:12] == b"DUCK"


def cannot_read(db: Path, exc: BaseException) -> str:
    """The message for a database that opened but could not be read as this project's database."""
    return (
        f"{db}: 无法读取数据库，它可能不是本系统生成的，请用 ingest 重新生成（{exc}） / "
        "cannot read the database; it may not be one this program made: build it with ingest"
    )


def cannot_write(db: Path, exc: BaseException) -> int:
    """Say that the database could not be written and is unchanged; returns CANNOT_WRITE."""
    return fail(
        f"{db}: 无法写入数据库，原数据库未改动（{exc}） / cannot write the database, it is unchanged", CANNOT_WRITE
    )
