"""History of the roster and the work plans, kept in the audit log, and restoring an earlier state.

Every import of a roster or a work plan records the whole state before and after it (the roster's units and
changes; the plan's tasks) in its audit row; restoring writes one of those states back, in one transaction, and
is itself recorded, so a restore can be undone the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl

from loaders import audit, similarity, store
from loaders.accounts import Account, Refused, authorize, local_user

ROSTER_ACTIONS = ("roster.import", "roster.restore", "roster.alias", "roster.add_unit")
WORKPLAN_ACTIONS = ("workplan.import", "workplan.restore")

_ROSTER_COLUMNS = {
    "roster_units": ("unit", "parent", "level", "type", "peer_group", "position", "source", "source_row"),
    "roster_changes": ("old_name", "new_name", "kind", "year", "source", "source_row"),
}
_TASK_COLUMNS = (
    "plan", "year", "issuer", "position", "task_no", "category", "heading", "task", "lead_units",
    "cooperating_units", "units_text", "deadline", "line", "location", "source",
)  # fmt: skip


def _rows(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], where: str = "", params=None) -> list:
    """Rows of a stored table (a fixed name from this module) as dicts of the given columns."""
    sql = f"select {', '.join(columns)} from {table} {where} order by all"
    return con.sql(sql, params=params).pl().to_dicts()


def roster_state(con: duckdb.DuckDBPyConnection) -> dict:
    """The stored roster: its units and its renames and mergers."""
    return {table: _rows(con, table, columns) for table, columns in _ROSTER_COLUMNS.items()}


def replace_roster(con: duckdb.DuckDBPyConnection, state: dict) -> None:
    """Put a roster state in place of the stored roster."""
    for table, columns in _ROSTER_COLUMNS.items():
        con.sql(f"delete from {table}")  # table is one of two fixed names
        rows = state.get(table) or []
        if rows:
            frame = con.sql(f"select {', '.join(columns)} from {table} limit 0").pl()
            store.append(con, table, pl.DataFrame(rows, schema=frame.schema), store.IMPORTED_SELECT)


def plan_state(con: duckdb.DuckDBPyConnection, plan: str) -> dict:
    """The stored tasks of one work plan."""
    return {"plan": plan, "tasks": _rows(con, "workplan_tasks", _TASK_COLUMNS, "where plan = $plan", {"plan": plan})}


def replace_plan(con: duckdb.DuckDBPyConnection, state: dict) -> None:
    """Put a work plan state in place of the stored tasks of that plan (no tasks: the plan is removed)."""
    con.sql("delete from workplan_tasks where plan = $plan", params={"plan": state["plan"]})
    if state["tasks"]:
        schema = con.sql(f"select {', '.join(_TASK_COLUMNS)} from workplan_tasks limit 0").pl().schema
        store.append(con, "workplan_tasks", pl.DataFrame(state["tasks"], schema=schema), store.IMPORTED_SELECT)


def saved_state(
    con: duckdb.DuckDBPyConnection, audit_id: int, actions: tuple[str, ...], side: str, allow_empty: bool = False
) -> tuple[str, dict | None]:
    """(target, state) saved in an audit row of one of `actions`; refused when there is none. With `allow_empty`,
    a write that created its target (nothing before it) gives the state None: restoring it removes the target."""
    rows = con.sql(
        f"select action, target, {'before' if side == 'before' else 'after'} from audit_log where audit_id = ?",
        params=[audit_id],
    ).fetchall()
    if not rows or rows[0][0] not in actions or (rows[0][2] is None and not allow_empty):
        raise Refused(f"审计记录#{audit_id}中没有可恢复的版本", f"audit row #{audit_id} holds no state to restore")
    return rows[0][1], json.loads(rows[0][2]) if rows[0][2] is not None else None


def restore_roster(db: Path, audit_id: int, by: Account | str | None = None, side: str = "after") -> None:
    """Make the roster what it was before or after the write of audit row `audit_id`; recorded as roster.restore."""
    by = local_user() if by is None else by
    authorize(by, "roster.import")
    with store.transaction(Path(db)) as con:
        _, state = saved_state(con, audit_id, ROSTER_ACTIONS, side)
        groupings = similarity.groupings(con)
        old = roster_state(con)
        replace_roster(con, state)
        audit.record(con, by, "roster.restore", f"#{audit_id}", old, roster_state(con))
        similarity.refresh_regrouped(con, groupings)


def restore_plan(db: Path, audit_id: int, by: Account | str | None = None, side: str = "after") -> None:
    """Make a work plan's tasks what they were before or after the write of audit row `audit_id`."""
    by = local_user() if by is None else by
    authorize(by, "workplan.import")
    with store.transaction(Path(db), rebuild=False) as con:
        plan, state = saved_state(con, audit_id, WORKPLAN_ACTIONS, side)
        old = plan_state(con, plan)
        replace_plan(con, {"plan": plan, "tasks": state["tasks"]})
        audit.record(con, by, "workplan.restore", plan, old, plan_state(con, plan))
