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
    return args.run(args)


def fail(message: str, code: int) -> int:
    """Print an error (already in Chinese and English) to stderr and return the exit code it calls for."""
    print(message, file=sys.stderr)
    return code


def cannot_write(db: Path, exc: BaseException) -> int:
    """Say that the database could not be written and is unchanged; returns CANNOT_WRITE."""
    return fail(
        f"{db}: 无法写入数据库，原数据库未改动（{exc}） / cannot write the database, it is unchanged", CANNOT_WRITE
    )
