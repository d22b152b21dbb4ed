"""The live database: one read-only connection per database file version, and named queries run on it.

The loader swaps a new database file in atomically; the app notices by the file's identity (inode and
modification time), closes the old connection (DuckDB keeps serving an open file's old contents) and opens the new.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from analytics import queries
from analytics.db import connect
from config import db_path

_LOCK = threading.Condition()  # guards _OPEN and _RUNNING; notified whenever a query ends
_OPEN: dict[str, tuple[tuple[int, int], duckdb.DuckDBPyConnection]] = {}
_RUNNING: dict[int, int] = {}  # id of an open connection -> queries running on it


def version(path: Path | None = None) -> tuple[str, int, int]:
    """(path, inode, mtime_ns) of the database file: changes whenever the loader swaps in a new file."""
    path = path or db_path()
    stat = path.stat()
    return (str(path), stat.st_ino, stat.st_mtime_ns)


def connection(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The read-only connection to the current database file, reopened after a swap."""
    with _LOCK:
        return _current(path)


def _current(path: Path | None) -> duckdb.DuckDBPyConnection:
    """connection() under _LOCK. DuckDB hands out one database instance per open path, and an instance lives on
    while a query runs on it: the old file's connection is closed only once its queries have ended, else the new
    connect() would be handed the old instance and read the old file's contents (two writes a moment apart,
    each followed by a rerun of its page, do this)."""
    key, ino, mtime = version(path)
    held = _OPEN.get(key)
    if held and held[0] == (ino, mtime):
        return held[1]
    if held:
        _LOCK.wait_for(lambda: not _RUNNING.get(id(held[1])))
        held[1].close()
        _RUNNING.pop(id(held[1]), None)
    con = connect(Path(key))
    _OPEN[key] = ((ino, mtime), con)
    return con


def run(name: str, path: Path | None = None, **params: Any) -> pl.DataFrame:
    """Run a named query on the current connection, counted as running until it ends (see _current)."""
    with _LOCK:
        con = _current(path)
        _RUNNING[id(con)] = _RUNNING.get(id(con), 0) + 1
    try:
        return queries.run(con, name, **params)
    finally:
        with _LOCK:
            _RUNNING[id(con)] -= 1
            _LOCK.notify_all()
