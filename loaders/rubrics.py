"""Scoring rubrics imported into the database by a 管理员, with their history.

A rubric is TOML text; `import_rubric_bytes` stores it under the name its [rubric] table gives, after the caller's
checker (analytics.rubric reads and checks rubrics; loaders never import analytics) has accepted it. Each import
records the rubric before and after in the audit log, in the same transaction, and `restore_rubric` puts either
back, itself recorded, so a restore can be undone the same way. Scores are computed when a page asks, so no fact
is rebuilt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import duckdb

from loaders import audit, store
from loaders.accounts import Account, Refused, authorize, local_user
from loaders.history import saved_state

ACTIONS = ("rubric.import", "rubric.restore")
MAX_BYTES = 256 * 1024  # a rubric is a page of TOML; anything larger is not one

Checker = Callable[[str, str], str]  # (TOML text, file name) -> the rubric's name; raises with the reason


def import_rubric_bytes(data: bytes, file_name: str, db: Path, check: Checker, by: Account | str | None = None) -> str:
    """Check and store an uploaded rubric under its name, replacing an earlier import of that name; its name."""
    by = local_user() if by is None else by
    writer = authorize(by, "rubric.import")
    text = _text(data, file_name)
    name = check(text, file_name)
    with store.transaction(Path(db), rebuild=False) as con:
        old = rubric_state(con, name)
        _replace(con, name, {"name": name, "file_name": file_name, "toml": text}, writer)
        audit.record(con, by, "rubric.import", name, old, rubric_state(con, name))
    return name


def restore_rubric(db: Path, audit_id: int, by: Account | str | None = None, side: str = "after") -> None:
    """Make a rubric what it was before or after the write of audit row `audit_id` (nothing before its first import:
    it is removed); recorded as rubric.restore."""
    by = local_user() if by is None else by
    writer = authorize(by, "rubric.import")
    with store.transaction(Path(db), rebuild=False) as con:
        target, state = saved_state(con, audit_id, ACTIONS, side, allow_empty=True)
        old = rubric_state(con, target)
        _replace(con, target, state, writer)
        audit.record(con, by, "rubric.restore", target, old, rubric_state(con, target))


def rubric_state(con: duckdb.DuckDBPyConnection, name: str) -> dict | None:
    """A stored rubric as the audit log keeps it (name, file name, TOML text), or None."""
    rows = con.sql("select name, file_name, toml from rubrics where name = ?", params=[name]).fetchall()
    return dict(zip(("name", "file_name", "toml"), rows[0], strict=True)) if rows else None


def _replace(con: duckdb.DuckDBPyConnection, name: str, state: dict | None, stored_by: str) -> None:
    """Put a rubric state in place of the stored rubric `name` (None: remove it)."""
    con.sql("delete from rubrics where name = ?", params=[name])
    if state is not None:
        con.sql(
            "insert into rubrics values (?, ?, ?, ?, ?)",
            params=[name, state["file_name"], state["toml"], stored_by, dt.datetime.now()],
        )


def _text(data: bytes, file_name: str) -> str:
    """The rubric's text: UTF-8 TOML of a sane size, else refused naming the file."""
    if len(data) > MAX_BYTES:
        raise Refused(
            f"{file_name}：评分细则文件过大（超过{MAX_BYTES // 1024} KB）",
            f"{file_name}: a rubric file is at most {MAX_BYTES // 1024} KB",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused(f"{file_name}：文件不是 UTF-8 编码的文本", f"{file_name}: the file is not UTF-8 text") from exc
