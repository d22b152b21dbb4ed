"""The dashboard's data access: one read-only connection per database file version, and cached named queries.

The loader swaps a new database file in atomically; the app notices by the file's identity (inode and
modification time), closes the old connection (DuckDB keeps serving an open file's old contents) and opens the new.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from analytics import queries
from analytics.db import connect
from config import db_path

_LOCK = threading.Lock()
_OPEN: dict[str, tuple[tuple[int, int], duckdb.DuckDBPyConnection]] = {}


def version(path: Path | None = None) -> tuple[str, int, int]:
    """(path, inode, mtime_ns) of the database file: changes whenever the loader swaps in a new file."""
    path = path or db_path()
    stat = path.stat()
    return (str(path), stat.st_ino, stat.st_mtime_ns)


def connection(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The read-only connection to the current database file, reopened after a swap."""
    key, ino, mtime = version(path)
    with _LOCK:
        held = _OPEN.get(key)
        if held and held[0] == (ino, mtime):
            return held[1]
        if held:
            # DuckDB hands out one database instance per open path: the old file's connection must be closed for
            # a new connect() to read the swapped-in file.
            held[1].close()
        con = connect(Path(key))
        _OPEN[key] = ((ino, mtime), con)
        return con


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(name: str, db_version: tuple[str, int, int], params_json: str) -> pl.DataFrame:
    """Run a named query once per database version and parameter set."""
    del db_version  # part of the cache key: a swapped-in database gives fresh results
    return queries.run(connection(), name, **json.loads(params_json))


def fetch(name: str, **params: Any) -> pl.DataFrame:
    """The result of sql/**/<name>.sql with its parameters bound, cached until the database changes."""
    return _cached(name, version(), json.dumps(params, ensure_ascii=False, sort_keys=True, default=str))
