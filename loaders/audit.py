"""The audit log: one append-only row per write, in the transaction of the write it records (sql/tables/audit_log.sql).

Only `record` writes the table and only by insert; nothing in the code updates or deletes its rows.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import duckdb

from loaders.accounts import Account, role_of


def record(
    con: duckdb.DuckDBPyConnection,
    by: Account | str,
    action: str,
    target: str,
    before: Any = None,
    after: Any = None,
) -> int:
    """Append one row (who, when, what, before and after) in the caller's transaction; returns its id."""
    audit_id = con.sql("select coalesce(max(audit_id), 0) + 1 from audit_log").fetchall()[0][0]
    con.sql(
        "insert into audit_log values (?, ?, ?, ?, ?, ?, cast(? as json), cast(? as json))",
        params=[
            audit_id, dt.datetime.now(), _name(by), role_of(by), action, target, _json(before), _json(after),
        ],
    )  # fmt: skip
    return audit_id


def _name(by: Account | str) -> str:
    """The account name recorded: the account's, or the local caller's name as given."""
    return by.name if isinstance(by, Account) else " ".join(by.split())


def _json(value: Any) -> str | None:
    """A state as JSON text (dates as ISO text), or None."""
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)
