"""Reviewers' writes: the status and explanations (情况说明) of findings, and corrections of parsed figures.

Every function here is one `loaders.store.transaction`: it lands whole or not at all, queues behind other
writers, and refreshes the views and facts, so the dashboard sees the change as soon as the file is swapped in.
The tables are append-only event logs (finding_status_events, finding_notes, figure_corrections) that ingest
never touches; current states are views over them (sql/staging/stg_finding_review_state.sql,
stg_figures_corrected.sql).

Findings are named by `finding_key` (built in sql/checks/findings.sql): a hash of the agency, the year, the rule
and what the finding is about (the figure keys of its evidence cells, or its message when it names no figure),
with an ordinal for two findings of one rule about the same cells. It leaves out the report id, which is a hash
of the text, and the values the finding quotes. So a status or explanation stays with its finding when the same
file is ingested again, when everything is re-ingested, when a correction changes the values it quotes, and when
a new version of the report repeats the same problem; a finding that no longer occurs keeps its history, which
returns with it should it occur again.

Input errors raise ReviewError with the problem in Chinese and English; nothing is written then. The writer is a
signed-in `Account` (its role and units are checked here, whatever the page showed: a write refused raises
accounts.Refused) or, from the command line and scripts, a name. Every write appends its row to the audit log in
the same transaction.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb

from loaders import audit
from loaders.accounts import Account, authorize, require_unit
from loaders.keys import APPLICANTS, CORRECTED, METRICS, STATUSES, UNREVIEWED
from loaders.parse import MAX_EXACT, MAX_PLAUSIBLE_COUNT
from loaders.store import touch, transaction

MAX_NAME = 40
MAX_NOTE = 4000
MAX_REASON = 1000
_APPLICANT_LABELS = dict(APPLICANTS)


class ReviewError(ValueError):
    """A review write that was refused; the message gives the problem in Chinese and English."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class Finding:
    """What a finding said when it was reviewed: stored beside every event so its history reads on its own."""

    finding_key: str
    report_id: str | None
    agency: str | None
    year: int | None
    rule: str | None
    message: str | None


@dataclass(frozen=True)
class StatusEvent:
    """The latest status change of a finding."""

    status: str
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class Reviewed:
    """What review_finding wrote: the id of the note and of the status event (None when not written)."""

    note_id: int | None
    event_id: int | None


# --- findings: status and explanations ---------------------------------------------------------------


Writer = Account | str  # a signed-in account, or a name given on the command line


def set_status(db: Path, finding_key: str, status: str, by: Writer, expected: str | None = None) -> int:
    """Set a finding's status; with `expected`, refuse if the status is no longer what the reviewer saw."""
    return review_finding(db, finding_key, by, status=status, expected=expected).event_id


def add_note(db: Path, finding_key: str, note: str, by: Writer) -> int:
    """Add a written explanation to a finding's thread; returns the note's id."""
    return review_finding(db, finding_key, by, note=note).note_id


def review_finding(
    db: Path,
    finding_key: str,
    by: Writer,
    note: str | None = None,
    status: str | None = None,
    expected: str | None = None,
) -> Reviewed:
    """Write an explanation and/or a status change of one finding together, in one transaction."""
    name = writer(by, "finding.status" if status is not None else "finding.note")
    text = None if note is None else clean_text(note, MAX_NOTE, ("情况说明", "the explanation"))
    if status is not None:
        check_status(status)
    if expected is not None:
        check_status(expected)
    if text is None and status is None:
        raise ReviewError("没有要保存的情况说明或状态", "nothing to save: no explanation and no status given")
    with transaction(Path(db), rebuild=False) as con:  # statuses and notes feed no fact: read live
        finding = find_finding(con, finding_key)
        require_unit(con, by, finding.agency)
        at = dt.datetime.now()
        note_id = _insert_note(con, finding, text, name, at) if text is not None else None
        if note_id is not None:
            audit.record(con, by, "finding.note", finding_key, None, {"note_id": note_id, "note": text})
        event_id = None
        if status is not None:
            current = current_status(con, finding_key)
            _require_expected(current, expected, status)
            event_id = _insert_status(con, finding, status, _status_of(current), name, at)
            audit.record(con, by, "finding.status", finding_key, {"status": _status_of(current)}, {"status": status})
    return Reviewed(note_id, event_id)


def writer(by: Writer, action: str) -> str:
    """The name recorded for a write: a signed-in account allowed to do `action`, or a name given (cleaned)."""
    if isinstance(by, Account):
        if action == "finding.status":
            authorize(by, "finding.note")
        return authorize(by, action)
    return clean_name(by)


def clean_name(by: str | None) -> str:
    """The reviewer's name, trimmed; refused when empty or too long."""
    name = " ".join((by or "").split())
    if not name:
        raise ReviewError("请填写姓名", "a name is required")
    if len(name) > MAX_NAME:
        raise ReviewError(f"姓名过长（最多{MAX_NAME}个字符）", f"the name is too long (at most {MAX_NAME} characters)")
    return name


def clean_text(text: str | None, limit: int, what: tuple[str, str]) -> str:
    """A note or reason, trimmed at both ends; refused when empty or longer than `limit` characters."""
    value = (text or "").strip()
    if not value:
        raise ReviewError(f"{what[0]}不能为空", f"{what[1]} is empty")
    if len(value) > limit:
        raise ReviewError(f"{what[0]}过长（最多{limit}个字符）", f"{what[1]} is too long (at most {limit} characters)")
    return value


def check_status(status: str) -> None:
    """Refuse a status outside STATUSES."""
    if status not in STATUSES:
        raise ReviewError(
            f"未知状态“{status}”，应为{'、'.join(STATUSES)}之一",
            f"unknown status {status!r}: expected one of {', '.join(STATUSES)}",
        )


def find_finding(con: duckdb.DuckDBPyConnection, finding_key: str) -> Finding:
    """The current finding of that key, or the last record of one that has review history; else refused."""
    rows = con.sql(
        "select report_id, agency, year, rule, message from fct_findings where finding_key = ? limit 1",
        params=[finding_key],
    ).fetchall()
    if not rows:  # no longer occurs: known by what its latest status event or note recorded
        rows = con.sql(
            "select report_id, agency, year, rule, message from stg_finding_last_record where finding_key = ?",
            params=[finding_key],
        ).fetchall()
    if not rows:
        raise ReviewError(f"问题不存在：{finding_key}", f"no such finding: {finding_key}")
    return Finding(finding_key, *rows[0])


def current_status(con: duckdb.DuckDBPyConnection, finding_key: str) -> StatusEvent | None:
    """The latest status change of a finding, or None when its status was never set."""
    rows = con.sql(
        "select status, changed_by, changed_at from finding_status_events where finding_key = ?"
        " order by event_id desc limit 1",
        params=[finding_key],
    ).fetchall()
    return StatusEvent(*rows[0]) if rows else None


def _status_of(event: StatusEvent | None) -> str:
    """The status an event leaves, 待核实 when there is none."""
    return event.status if event else UNREVIEWED


def _require_expected(current: StatusEvent | None, expected: str | None, wanted: str) -> None:
    """Refuse a change made on a stale view (someone changed the status meanwhile) or one that changes nothing."""
    now = _status_of(current)
    if expected is not None and now != expected:
        when = current.at.strftime("%Y-%m-%d %H:%M:%S") if current else ""
        who = current.by if current else ""
        raise ReviewError(
            f"状态已被他人更改：{who}于{when}改为“{now}”（你看到的是“{expected}”），本次未保存，请确认当前状态后再次保存",
            f"the status was changed meanwhile: {who} set it to {now!r} at {when} (you saw {expected!r});"
            " nothing was saved; check the current status, then save again",
        )
    if now == wanted:
        raise ReviewError(f"状态已是“{now}”，无需更改", f"the status is already {now!r}; nothing to change")


def _insert_status(
    con: duckdb.DuckDBPyConnection, finding: Finding, status: str, previous: str, by: str, at: dt.datetime
) -> int:
    """Append one status event and return its id."""
    event_id = _next_id(con, "finding_status_events", "event_id")
    con.sql(
        "insert into finding_status_events values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params=[event_id, finding.finding_key, status, previous, by, at, *_identity(finding)],
    )
    return event_id


def _insert_note(con: duckdb.DuckDBPyConnection, finding: Finding, note: str, by: str, at: dt.datetime) -> int:
    """Append one note and return its id."""
    note_id = _next_id(con, "finding_notes", "note_id")
    con.sql(
        "insert into finding_notes values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params=[note_id, finding.finding_key, note, by, at, *_identity(finding)],
    )
    return note_id


def _identity(finding: Finding) -> list:
    """The finding's report, agency, year, rule and message, in table column order."""
    return [finding.report_id, finding.agency, finding.year, finding.rule, finding.message]


def _next_id(con: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    """The next id of an event table (a fixed name from this module); safe because writers hold the lock."""
    return con.sql(f"select coalesce(max({column}), 0) + 1 from {table}").fetchall()[0][0]


# --- corrections of figures ----------------------------------------------------------------------------


def correct_figure(
    db: Path,
    report_id: str,
    metric: str,
    applicant: str | None,
    value: float | None,
    reason: str,
    by: Writer,
    finding_key: str | None = None,
    expected: float | None | object = ...,
) -> int:
    """Correct one figure of a stored report (None: the cell reads as not stated); returns the correction's id.

    With `expected` (the value the reviewer saw, None for not stated), a correction made on a stale view is
    refused, naming who changed the figure meanwhile and when, as a status change is.

    Made from a finding (`finding_key`), the correction is also written into that finding's thread and sets its
    status to 已更正, in the same transaction: the finding may stop occurring once its figures are corrected, and
    its thread says why. The link (correction_findings) lets an undo find the finding again.
    """
    name = writer(by, "figure.correct")
    if finding_key and isinstance(by, Account):
        authorize(by, "finding.status")
    why = clean_text(reason, MAX_REASON, ("更正理由", "the reason"))
    applicant = applicant or None
    _check_metric(metric, applicant)
    value = check_value(metric, value)
    with transaction(Path(db)) as con:
        finding = find_finding(con, finding_key) if finding_key else None
        require_unit(con, by, _require_report(con, report_id))
        current = _current_value(con, report_id, metric, applicant)
        if expected is not ... and not _same(current, expected):
            _refuse_stale_correction(con, report_id, metric, applicant, current, expected)
        if current == value or (current is not None and value is not None and math.isclose(current, value)):
            raise ReviewError("更正值与当前值相同，未作更改", "the corrected value equals the current one")
        correction_id, at = _insert_correction(con, report_id, metric, applicant, value, why, name)
        touch(con, [report_id])  # only this report's unit's facts change
        target = f"{report_id}|{metric}|{applicant or ''}"
        after = {"value": value, "reason": why, "correction_id": correction_id}
        audit.record(con, by, "figure.correct", target, {"value": current}, after)
        if finding:
            text = (
                f"更正数值 #{correction_id}：{figure_name(metric, applicant)}由{_shown(current)}改为{_shown(value)}。"
            )
            note_id = _insert_note(con, finding, f"{text}理由：{why}", name, at)
            event_id = _mark_corrected(con, by, finding, correction_id, name, at)
            _link(con, correction_id, finding_key, note_id, event_id)
    return correction_id


def undo_correction(
    db: Path, correction_id: int, by: Writer, reason: str | None = None, finding_key: str | None = None
) -> int:
    """Cancel one correction (the figure goes back to the previous correction in force, else to the parsed value).

    Wherever it is made from, the undo is written into the thread of every finding the correction was made from
    (and of `finding_key`, when given), and a finding the correction set to 已更正 gets back the status it had
    before, unless another correction made from it is still in force or someone changed its status since.
    """
    name = writer(by, "figure.correct")
    why = clean_text(reason, MAX_REASON, ("撤销理由", "the reason")) if reason and reason.strip() else None
    with transaction(Path(db)) as con:
        keys = _linked_findings(con, correction_id)
        if finding_key and finding_key not in keys:
            keys[finding_key] = None
        findings = [find_finding(con, key) for key in keys]
        report_id, metric, applicant = _correction(con, correction_id)
        require_unit(con, by, _require_report(con, report_id))
        before = _current_value(con, report_id, metric, applicant)
        undo_id, at = _insert_correction(con, report_id, metric, applicant, None, why, name, undoes=correction_id)
        restored = _current_value(con, report_id, metric, applicant)
        touch(con, [report_id])
        audit.record(
            con, by, "figure.undo", f"{report_id}|{metric}|{applicant or ''}", {"value": before},
            {"value": restored, "undoes": correction_id, "undo_id": undo_id},
        )  # fmt: skip
        text = f"撤销更正 #{correction_id}：{figure_name(metric, applicant)}恢复为{_shown(restored)}。"
        for finding in findings:
            event_id, said = _restore_status(con, by, finding, keys[finding.finding_key], undo_id, name, at)
            note = text + said + (f"理由：{why}" if why else "")
            _link(con, undo_id, finding.finding_key, _insert_note(con, finding, note, name, at), event_id)
    return undo_id


def _link(con: duckdb.DuckDBPyConnection, correction_id: int, key: str, note_id: int, event_id: int | None) -> None:
    """Record that a correction or undo wrote `note_id` (and status event `event_id`) into finding `key`."""
    con.sql("insert into correction_findings values (?, ?, ?, ?)", params=[correction_id, key, note_id, event_id])


def _linked_findings(con: duckdb.DuckDBPyConnection, correction_id: int) -> dict[str, int | None]:
    """The findings a correction was made from, each with the status event the correction wrote (or None); a key
    whose record was carried to another key (its report now filed elsewhere, stg_findings_moved) is left out, the
    key it went to being linked in its place."""
    rows = con.sql(
        "select finding_key, status_event_id from correction_findings where correction_id = ?"
        " and finding_key not in (select finding_key from stg_findings_moved) order by note_id",
        params=[correction_id],
    ).fetchall()
    return dict(rows)


def _mark_corrected(
    con: duckdb.DuckDBPyConnection, by: Writer, finding: Finding, correction_id: int, name: str, at: dt.datetime
) -> int | None:
    """Set a finding to 已更正 for a correction made from it; the event's id, None when it already was."""
    previous = _status_of(current_status(con, finding.finding_key))
    if previous == CORRECTED:
        return None
    event_id = _insert_status(con, finding, CORRECTED, previous, name, at)
    after = {"status": CORRECTED, "correction_id": correction_id}
    audit.record(con, by, "finding.status", finding.finding_key, {"status": previous}, after)
    return event_id


def _restore_status(
    con: duckdb.DuckDBPyConnection,
    by: Writer,
    finding: Finding,
    set_by: int | None,
    undo_id: int,
    name: str,
    at: dt.datetime,
) -> tuple[int | None, str]:
    """Put back the status a correction's 已更正 replaced; (the new event's id or None, what the thread says).

    The finding stays as it is while another correction made from it is in force, or when its latest status
    event is not one a correction wrote (someone set the status by hand since).
    """
    current = con.sql(
        "select event_id, status, previous_status from finding_status_events where finding_key = ?"
        " order by event_id desc limit 1",
        params=[finding.finding_key],
    ).fetchall()
    if not current or current[0][1] != CORRECTED:
        return None, ""
    event_id, _, previous = current[0]
    still = con.sql(
        "select count(*) from correction_findings as l join stg_figure_corrections as c using (correction_id)"
        " where l.finding_key = ? and c.is_active",
        params=[finding.finding_key],
    ).fetchall()[0][0]
    if still:
        return None, "该问题另有更正仍在生效，状态仍为“已更正”。"
    by_correction = con.sql(
        "select count(*) from correction_findings where status_event_id = ?", params=[event_id]
    ).fetchall()[0][0]
    if not by_correction or previous == CORRECTED:
        return None, ""
    new_id = _insert_status(con, finding, previous, CORRECTED, name, at)
    audit.record(
        con, by, "finding.status", finding.finding_key, {"status": CORRECTED}, {"status": previous, "undo_id": undo_id}
    )
    return new_id, f"问题状态由“已更正”恢复为“{previous}”。"


def _insert_correction(
    con: duckdb.DuckDBPyConnection,
    report_id: str,
    metric: str,
    applicant: str | None,
    value: float | None,
    reason: str | None,
    by: str,
    undoes: int | None = None,
) -> tuple[int, dt.datetime]:
    """Append one row to the corrections log (an undo when it `undoes` a correction) and return its id and time."""
    correction_id = _next_id(con, "figure_corrections", "correction_id")
    at = dt.datetime.now()
    con.sql(
        "insert into figure_corrections values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params=[correction_id, report_id, metric, applicant, value, reason, by, at, undoes],
    )
    return correction_id, at


def _same(a: float | None, b: float | None) -> bool:
    """Whether two figure values are the same (both not stated, or equal)."""
    return a is b is None or (a is not None and b is not None and math.isclose(a, b))


def _refuse_stale_correction(
    con: duckdb.DuckDBPyConnection,
    report_id: str,
    metric: str,
    applicant: str | None,
    current: float | None,
    expected: float | None,
) -> None:
    """Refuse a correction made on a stale view, naming the last change of the figure, by whom and when."""
    rows = con.sql(
        "select corrected_by, corrected_at from figure_corrections"
        " where report_id = ? and metric = ? and applicant is not distinct from ? order by correction_id desc limit 1",
        params=[report_id, metric, applicant],
    ).fetchall()
    who, at = rows[0] if rows else ("", None)
    when = at.strftime("%Y-%m-%d %H:%M:%S") if at else ""
    name = figure_name(metric, applicant)
    raise ReviewError(
        f"数值已被他人更改：{who}于{when}将{name}改为{_shown(current)}（你看到的是{_shown(expected)}），"
        "本次未保存，请确认当前数值后再次保存",
        f"the figure was changed meanwhile: {who} set {metric} to {_shown(current)} at {when} (you saw"
        f" {_shown(expected)}); nothing was saved; check the current value, then save again",
    )


def figure_name(metric: str, applicant: str | None) -> str:
    """A figure as a reader names it: the metric's label, with the applicant column in brackets."""
    column = f"（{_APPLICANT_LABELS.get(applicant, applicant)}）" if applicant else ""
    return f"{METRICS[metric].label if metric in METRICS else metric}{column}"


def _shown(value: float | None) -> str:
    """A value in a note: 12 rather than 12.0, 未填报 for a cell that states no number."""
    if value is None:
        return "“未填报”"
    return str(int(value)) if value == int(value) else f"{value:g}"


def parse_value(text: str | None) -> float | None:
    """A value typed by a reviewer: blank means "not stated" (None); full-width digits and thousands commas allowed."""
    value = unicodedata.normalize("NFKC", text or "").strip().replace(",", "")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ReviewError(f"“{text}”不是数字", f"{text!r} is not a number") from None
    if not math.isfinite(number):
        raise ReviewError(f"“{text}”不是有效数字", f"{text!r} is not a finite number")
    return number


def check_value(metric: str, value: float | None) -> float | None:
    """A corrected value fit for its metric: a count is a non-negative whole number, a change a whole number."""
    if value is None:
        return None
    number = float(value)
    kind = METRICS[metric].kind
    if not math.isfinite(number):
        raise ReviewError("更正值不是有效数字", "the corrected value is not a finite number")
    if kind in ("count", "change") and number != int(number):
        raise ReviewError(f"{METRICS[metric].label}应为整数", f"{metric} takes whole numbers")
    if kind == "count" and number < 0:
        raise ReviewError(f"{METRICS[metric].label}不能为负数", f"{metric} is a count and cannot be negative")
    if abs(number) > MAX_EXACT:
        raise ReviewError(
            f"更正值{number:g}过大，无法精确保存（上限{MAX_EXACT:,}）",
            f"the corrected value {number:g} is too large to store exactly (the limit is {MAX_EXACT:,})",
        )
    if kind == "count" and METRICS[metric].section in ("三", "四") and number > MAX_PLAUSIBLE_COUNT:
        raise ReviewError(
            f"{METRICS[metric].label}为{number:,.0f}，超过{MAX_PLAUSIBLE_COUNT:,}，不合常理",
            f"{metric} of {number:,.0f} is above {MAX_PLAUSIBLE_COUNT:,}, which is not plausible",
        )
    return number


def _check_metric(metric: str, applicant: str | None) -> None:
    """Refuse a metric or applicant column outside the data dictionary."""
    if metric not in METRICS:
        raise ReviewError(f"未知指标：{metric}", f"unknown metric key: {metric}")
    if applicant is not None and applicant not in _APPLICANT_LABELS:
        raise ReviewError(f"未知申请人类别：{applicant}", f"unknown applicant column: {applicant}")


def _require_report(con: duckdb.DuckDBPyConnection, report_id: str) -> str:
    """The agency of a stored report; refused for a report id that is not stored."""
    rows = con.sql("select agency from reports where report_id = ?", params=[report_id]).fetchall()
    if not rows:
        raise ReviewError(f"报告不存在：{report_id}", f"no such report: {report_id}")
    return rows[0][0]


def _current_value(con: duckdb.DuckDBPyConnection, report_id: str, metric: str, applicant: str | None) -> float | None:
    """The figure's value as it stands (corrections applied); refused when the report has no such figure."""
    rows = con.sql(
        "select value from stg_figures_corrected"
        " where report_id = ? and metric = ? and applicant is not distinct from ?",
        params=[report_id, metric, applicant],
    ).fetchall()
    if not rows:
        raise ReviewError(
            f"该报告没有这个数值：{figure_name(metric, applicant)}",
            f"the report has no figure {metric}{'|' + applicant if applicant else ''}",
        )
    return rows[0][0]


def _correction(con: duckdb.DuckDBPyConnection, correction_id: int) -> tuple:
    """(report_id, metric, applicant) of a correction that can be undone; refused otherwise, naming who undid it."""
    rows = con.sql(
        "select report_id, metric, applicant, action, undone_by, undone_at from stg_figure_corrections"
        " where correction_id = ?",
        params=[correction_id],
    ).fetchall()
    if not rows:
        raise ReviewError(f"更正记录不存在：#{correction_id}", f"no such correction: #{correction_id}")
    report_id, metric, applicant, action, undone_by, undone_at = rows[0]
    if action == "undo":
        raise ReviewError(
            f"#{correction_id}是一次撤销，不能再撤销；请重新更正",
            f"#{correction_id} is an undo and cannot be undone; correct the figure again instead",
        )
    if undone_by is not None:
        raise ReviewError(
            f"更正#{correction_id}已由{undone_by}于{undone_at:%Y-%m-%d %H:%M:%S}撤销",
            f"correction #{correction_id} was already undone by {undone_by} at {undone_at:%Y-%m-%d %H:%M:%S}",
        )
    return report_id, metric, applicant
