"""The record of review follows a report whose findings get new keys.

A finding's key is a hash of its report's agency and year, its rule and what it is about (sql/checks/findings.sql),
so filing a report under another unit or year changes the keys of all its findings: when a report is renamed
(loaders/rename.py), identified (loaders/identify.py), or filed under a name the roster now keeps as another name of
one of its units (loaders/roster.add_alias). Statuses, explanations and the links of corrections to findings are
stored by key, so without this they would stay behind under keys that no longer occur.

`Follower` is used inside the writer's transaction: made before the change, it notes the findings of the reports
and their keys; `carry` after the change matches each old finding to the finding of the same report that is about
the same thing (same rule and subject, in the same order; else the same rule in the same order) and copies the old
key's notes, status events and correction links to the new key, with their original authors and times, skipping
what the new key already holds from an earlier move. A finding a correction made go away is matched on the figures
as printed, so its record is there when an undo brings it back. A thread entry says the record was carried and why;
finding_moves keeps which row was copied from which, and the old key leaves findings_gone (stg_findings_moved).
The corrections themselves need no carrying: they name the report by its id, which the key change leaves alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import duckdb

from loaders import audit, store
from loaders.accounts import Account

_SNAPSHOT_SQL = """
select
    report_id, finding_key, agency, year, rule, message,
    finding_subject(cells, message) as subject, first_cell_line(cells) as first_line
from findings
where list_contains(?, report_id)
order by report_id, rule, first_line nulls last, message, finding_key
"""


@dataclass(frozen=True)
class Seen:
    """One finding of a report as the findings view shows it at a moment."""

    report_id: str
    finding_key: str
    agency: str | None
    year: int | None
    rule: str
    message: str
    subject: str
    first_line: int | None


@dataclass(frozen=True)
class Moved:
    """One finding key whose record was carried: from `old_key` to `new_key`, with how many rows of each kind."""

    old_key: str
    new_key: str
    notes: int
    statuses: int
    links: int


def findings_now(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> tuple[list[Seen], list[Seen]]:
    """The findings of these reports now: as they stand, and on their figures as printed, no correction applied (a
    finding a correction made go away is in the second, and comes back under its key should the correction be
    undone). Both are read with the views limited to the reports these depend on, a scope set up once for both."""
    if not report_ids:
        return [], []
    with store.reports_scope(con, report_ids), store.pinned_staging(con):
        return _read(con, report_ids), _read_printed(con, report_ids)


def _read(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> list[Seen]:
    """The findings of these reports from the live findings view."""
    return [Seen(*row) for row in con.sql(_SNAPSHOT_SQL, params=[report_ids]).fetchall()]


def _read_printed(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> list[Seen]:
    """The findings of these reports with a temporary empty figure_corrections before the table (and the pinned
    corrections view pinned again over it)."""
    quoted = store.own_catalog(con)
    con.sql(f"create or replace temp view figure_corrections as select * from {quoted}.main.figure_corrections limit 0")
    try:
        with store.pinned_staging(con, ("stg_figure_corrections",)):
            return _read(con, report_ids)
    finally:
        con.sql("drop view if exists temp.figure_corrections")


def _pairs(before: tuple[list[Seen], list[Seen]], after: tuple[list[Seen], list[Seen]], renamed) -> list:
    """The findings matched as they stand, then those only the printed figures show (each old key once)."""
    pairs, seen = [], set()
    for old, new in [*match(before[0], after[0], renamed), *match(before[1], after[1], renamed)]:
        if old.finding_key not in seen:
            seen.add(old.finding_key)
            pairs.append((old, new))
    return pairs


def match(before: list[Seen], after: list[Seen], renamed: dict[str, str] | None = None) -> list[tuple[Seen, Seen]]:
    """Pairs (old finding, new finding) of the same report (or the report it became, `renamed`) about the same
    thing: same rule and subject in order first, then what is left of one rule in order."""
    renamed = renamed or {}
    pairs: list[tuple[Seen, Seen]] = []
    by_subject: dict[tuple, list[Seen]] = defaultdict(list)
    for seen in after:
        by_subject[(seen.report_id, seen.rule, seen.subject)].append(seen)
    left_old: list[Seen] = []
    for old in before:
        queue = by_subject.get((renamed.get(old.report_id, old.report_id), old.rule, old.subject))
        if queue:
            pairs.append((old, queue.pop(0)))
        else:
            left_old.append(old)
    by_rule: dict[tuple, list[Seen]] = defaultdict(list)
    for queue in by_subject.values():
        for seen in queue:
            by_rule[(seen.report_id, seen.rule)].append(seen)
    for old in left_old:
        queue = by_rule.get((renamed.get(old.report_id, old.report_id), old.rule))
        if queue:
            pairs.append((old, queue.pop(0)))
    return [(old, new) for old, new in pairs if old.finding_key != new.finding_key]


class Follower:
    """Carries the record of review of some reports' findings across a change of their agency or year."""

    def __init__(self, con: duckdb.DuckDBPyConnection, report_ids: list[str]):
        """Note the reports' findings before the change."""
        self.con = con
        self.report_ids = list(dict.fromkeys(report_ids))
        self.before = findings_now(con, self.report_ids)

    def carry(self, by: Account | str, name: str, reason: str, renamed: dict[str, str] | None = None) -> list[Moved]:
        """After the change: copy each old key's record to its new key, recorded under `name` for `reason`."""
        targets = list(dict.fromkeys([*self.report_ids, *(renamed or {}).values()]))
        pairs = _pairs(self.before, findings_now(self.con, targets), renamed)
        with_history = _keys_with_history(self.con, [old.finding_key for old, _ in pairs])
        at = dt.datetime.now()
        done = []
        for old, new in pairs:
            if old.finding_key in with_history:
                moved = _move(self.con, old, new, name, reason, at)
                audit.record(
                    self.con, by, "finding.move", old.finding_key, {"finding_key": old.finding_key},
                    {"finding_key": new.finding_key, "reason": reason, "notes": moved.notes,
                     "statuses": moved.statuses, "links": moved.links},
                )  # fmt: skip
                done.append(moved)
        return done


def _keys_with_history(con: duckdb.DuckDBPyConnection, keys: list[str]) -> set[str]:
    """Which of the keys have any note, status event or correction link."""
    if not keys:
        return set()
    rows = con.sql(
        "select finding_key from finding_notes where list_contains($k, finding_key)"
        " union select finding_key from finding_status_events where list_contains($k, finding_key)"
        " union select finding_key from correction_findings where list_contains($k, finding_key)",
        params={"k": keys},
    ).fetchall()
    return {key for (key,) in rows}


def _move(con: duckdb.DuckDBPyConnection, old: Seen, new: Seen, name: str, reason: str, at: dt.datetime) -> Moved:
    """Copy one key's notes, status events and correction links to the new key; then the thread entry."""
    move_id = _next(con, "finding_moves", "move_id")
    identity = [new.report_id, new.agency, new.year, new.rule, new.message]
    notes = _copy_notes(con, old.finding_key, new.finding_key, identity)
    statuses = _copy_statuses(con, old.finding_key, new.finding_key, identity)
    links = _copy_links(con, old.finding_key, new.finding_key, notes, statuses)
    rows = [("note", a, b) for a, b in notes.items()] + [("status", a, b) for a, b in statuses.items()]
    rows += [("link", c, c) for c in links]
    entry = _next(con, "finding_notes", "note_id")
    was = _unit_year(old.agency, old.year)
    text = (
        f"报告由“{was}”改为“{_unit_year(new.agency, new.year)}”（{reason}，{name}）："
        "本问题此前的情况说明、状态和更正记录随报告转入。"
    )
    con.sql(
        "insert into finding_notes values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params=[entry, new.finding_key, text, name, at, *identity],
    )
    rows.append(("note", None, entry))
    for record, from_id, to_id in rows:
        con.sql(
            "insert into finding_moves values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params=[move_id, old.finding_key, new.finding_key, record, from_id, to_id, new.report_id, reason, name, at],
        )
    return Moved(old.finding_key, new.finding_key, len(notes), len(statuses), len(links))


def _unit_year(agency: str | None, year: int | None) -> str:
    """A unit and year as a thread names them, 未识别 for what a report did not state."""
    return f"{agency or '未识别单位'}{f'{year}年' if year is not None else '（年度未识别）'}"


def _origins(con: duckdb.DuckDBPyConnection, record: str) -> dict[int, int]:
    """For every copied row of a kind, the row it was first copied from (following copies of copies)."""
    parent = dict(
        con.sql(
            "select to_id, from_id from finding_moves where record = ? and from_id is not null", params=[record]
        ).fetchall()
    )
    roots = {}
    for row in parent:
        root, seen = row, set()
        while root in parent and root not in seen:
            seen.add(root)
            root = parent[root]
        roots[row] = root
    return roots


def _copy_notes(con: duckdb.DuckDBPyConnection, old_key: str, new_key: str, identity: list) -> dict[int, int]:
    """Copy the old key's notes the new key does not already hold; {old note id: new note id}."""
    origins = _origins(con, "note")
    held = {
        origins.get(i, i)
        for (i,) in con.sql("select note_id from finding_notes where finding_key = ?", params=[new_key]).fetchall()
    }
    copied = {}
    rows = con.sql(
        "select note_id, note, written_by, written_at from finding_notes where finding_key = ? order by note_id",
        params=[old_key],
    ).fetchall()
    for note_id, note, by, at in rows:
        if origins.get(note_id, note_id) in held:
            continue
        copied[note_id] = _next(con, "finding_notes", "note_id")
        con.sql(
            "insert into finding_notes values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params=[copied[note_id], new_key, note, by, at, *identity],
        )
    return copied


def _copy_statuses(con: duckdb.DuckDBPyConnection, old_key: str, new_key: str, identity: list) -> dict[int, int]:
    """Copy the old key's status events the new key does not already hold, in order, so the report's latest status
    is the new key's latest; {old event id: new event id}."""
    origins = _origins(con, "status")
    held = {
        origins.get(i, i)
        for (i,) in con.sql(
            "select event_id from finding_status_events where finding_key = ?", params=[new_key]
        ).fetchall()
    }
    copied = {}
    rows = con.sql(
        "select event_id, status, previous_status, changed_by, changed_at from finding_status_events"
        " where finding_key = ? order by event_id",
        params=[old_key],
    ).fetchall()
    for event_id, status, previous, by, at in rows:
        if origins.get(event_id, event_id) in held:
            continue
        copied[event_id] = _next(con, "finding_status_events", "event_id")
        con.sql(
            "insert into finding_status_events values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params=[copied[event_id], new_key, status, previous, by, at, *identity],
        )
    return copied


def _copy_links(
    con: duckdb.DuckDBPyConnection, old_key: str, new_key: str, notes: dict[int, int], statuses: dict[int, int]
) -> list[int]:
    """Link the new key to the corrections and undos the old key was linked to, through the copied note and status
    event (an undo finds the finding there); the correction ids linked."""
    rows = con.sql(
        "select correction_id, note_id, status_event_id from correction_findings where finding_key = ?"
        " and correction_id not in (select correction_id from correction_findings where finding_key = ?)"
        " order by correction_id",
        params=[old_key, new_key],
    ).fetchall()
    for correction_id, note_id, event_id in rows:
        con.sql(
            "insert into correction_findings values (?, ?, ?, ?)",
            params=[correction_id, new_key, notes.get(note_id, note_id), statuses.get(event_id, event_id)],
        )
    return [row[0] for row in rows]


def _next(con: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    """The next id of a table (a fixed name from this module); safe because writers hold the lock."""
    return con.sql(f"select coalesce(max({column}), 0) + 1 from {table}").fetchall()[0][0]
