"""The memory budget of a write's DuckDB connection: set, and lifted for a statement that cannot fit in it."""

from __future__ import annotations

import duckdb


def set_budget(con: duckdb.DuckDBPyConnection, budget: str | None) -> None:
    """Let DuckDB use at most `budget` (a size config validated, never user input; None: DuckDB's default) before it
    spills to disk."""
    if budget:
        con.sql(f"set memory_limit = '{budget}'")
    else:
        con.sql("reset memory_limit")


def run_sized(con: duckdb.DuckDBPyConnection, statement: str, budget: str | None, params: dict | None = None) -> None:
    """Run one statement of a write within the connection's memory budget, `budget`; one that DuckDB cannot fit in it
    (not every operator spills to disk: a full rebuild of a very large database's facts) runs again without it, and
    the budget is set again. Each statement stands alone (no transaction is open), so the failed run left nothing to
    undo."""
    try:
        con.sql(statement, params=params)
    except duckdb.OutOfMemoryException:
        if not budget:  # no budget to lift: the machine itself is short of memory
            raise
        set_budget(con, None)
        try:
            con.sql(statement, params=params)
        finally:
            set_budget(con, budget)
