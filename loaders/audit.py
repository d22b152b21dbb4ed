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
    return record_many(con, by, action, [(target, before, after)])[0]


def record_many(
    con: duckdb.DuckDBPyConnection, by: Account | str, action: str, entries: list[tuple[str, Any, Any]]
) -> list[int]:
    """Append one row per (target, before, after), all by `by` for `action` at the same moment, with one insert in
    the caller's transaction; returns their ids, in the order of `entries`."""
    if not entries:
        return []
    first = con.sql("select coalesce(max(audit_id), 0) + 1 from audit_log").fetchall()[0][0]
    ids = list(range(first, first + len(entries)))
    # The rows' own values as lists bound as parameters, unnested side by side: one statement, no frame to convert.
    con.sql(
        "insert into audit_log select unnest($ids), $at, $account, $role, $action, unnest($targets),"
        " cast(unnest($befores) as json), cast(unnest($afters) as json)",
        params={
            "ids": ids,
            "at": dt.datetime.now(),
            "account": _name(by),
            "role": role_of(by),
            "action": action,
            "targets": [target for target, _, _ in entries],
            "befores": [_json(before) for _, before, _ in entries],
            "afters": [_json(after) for _, _, after in entries],
        },
    )
    return ids


def _name(by: Account | str) -> str:
    """The account name recorded: the account's, or the local caller's name as given."""
    return by.name if isinstance(by, Account) else " ".join(by.split())


def _json(value: Any) -> str | None:
    """A state as JSON text (dates as ISO text), or None."""
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)
