"""Identifying a stored report that states no agency or no year: the user gives them, and the report joins its unit
and year exactly as if it had been ingested with --agency/--year.

A report none of whose parts names its agency or year is stored all the same (store.identity_finding says so in a
PARSE finding) and kept out of every unit and year total. `identify` gives it what it lacks in one
`store.transaction`: it becomes the next version of that unit and year (or, when the unit and year already hold
the same report, the copy is dropped as an ingest would not have stored it), its PARSE finding goes, a given value
that differs from what the report states is kept as a finding, and a row of `report_identifications` and one of the
audit log record who gave what and when. The findings' statuses, explanations and correction links follow them to
their new keys (loaders/rekey.py). A signed-in account needs a role that may identify reports, and one
limited to some units may give only those units' names. Input errors raise ReviewError in Chinese and English;
nothing is written then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path, PurePath

import duckdb

from loaders import audit, meta, rekey, store
from loaders.accounts import Refused, require_unit
from loaders.model import Given, Report
from loaders.review import ReviewError, Writer, writer
from loaders.similarity import refresh as refresh_similarity

MAX_AGENCY = 100
FIRST_YEAR, LAST_YEAR = 1990, 2100
REASON = "识别报告"
_FIELDS = {"agency": ("单位", "agency"), "year": ("年度", "year")}


@dataclass(frozen=True)
class Identified:
    """What an identification did: the report, the agency and year it now has, and its version (None: the unit and
    year already held the same report, so this copy was dropped and that report stands for it)."""

    report_id: str
    source: str
    agency: str
    year: int
    version: int | None
    kept_as: str | None = None  # when this copy was dropped: the stored report that stands for it


def identify(db: Path, target: str, agency: str | None = None, year: int | None = None, by: Writer = "") -> Identified:
    """Give the stored report `target` (its id or the file name it was ingested from) the agency and/or year it
    lacks, in one transaction; ReviewError when the input is wrong or the report is not an unidentified one,
    accounts.Refused when `by` may not."""
    name = writer(by, "report.identify")
    given = Given(clean_agency(agency), check_year(year))
    if given.agency is None and given.year is None:
        raise ReviewError("请填写单位或年度", "give an agency or a year")
    with store.transaction(Path(db)) as con:
        report_id = find_unidentified(con, target)
        follower = rekey.Follower(con, [report_id])
        done = place(con, report_id, given, name, by)
        store.touch(con, [report_id])  # the facts of its unit (and of the unit it was filed under before) change
        follower.carry(by, name, REASON, _kept([done]))
        audit.record(
            con, by, "report.identify", report_id, {"source": done.source}, {"agency": done.agency, "year": done.year}
        )
        return done


def identify_given(db: Path, given_again: list[tuple[str, Given]], by: Writer) -> tuple[list[Identified], list[str]]:
    """Identify the reports an ingest found stored already, byte for byte, when the user now gave their agency or
    year and the stored report still lacks it: each as `identify` would, all in one transaction. Returns what was
    identified and, for each report that could not be, why (in Chinese and English)."""
    todo = dict(given_again)  # one file given twice in one ingest is one report
    still_open = _unidentified_among(db, list(todo))
    todo = {report_id: given for report_id, given in todo.items() if report_id in still_open}
    if not todo:
        return [], []
    name = writer(by, "report.identify")
    done: list[Identified] = []
    problems: list[str] = []
    with store.transaction(Path(db)) as con:
        follower = rekey.Follower(con, list(todo))
        for report_id, given in todo.items():
            try:
                placed = place(con, report_id, Given(clean_agency(given.agency), check_year(given.year)), name, by)
            except (ReviewError, Refused) as exc:  # refused before anything of this report was written
                problems.append(f"{report_id}: {exc}")
                continue
            audit.record(
                con, by, "report.identify", report_id, {"source": placed.source},
                {"agency": placed.agency, "year": placed.year},
            )  # fmt: skip
            done.append(placed)
        follower.carry(by, name, REASON, _kept(done))
    return done, problems


def _kept(done: list[Identified]) -> dict[str, str]:
    """For each dropped copy, the stored report that stands for it (its findings take the copy's record)."""
    return {d.report_id: d.kept_as for d in done if d.kept_as}


def _unidentified_among(db: Path, report_ids: list[str]) -> set[str]:
    """Which of the reports are stored without an agency or a year."""
    if not report_ids:
        return set()
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.sql(
            "select report_id, agency, year from reports where list_contains(?, report_id)", params=[report_ids]
        ).fetchall()
    finally:
        con.close()
    return {report_id for report_id, agency, year in rows if not store.is_identified(agency, year)}


def clean_agency(agency: str | None) -> str | None:
    """An agency name as given, with its spaces collapsed; None when blank; refused when too long."""
    value = " ".join((agency or "").split())
    if len(value) > MAX_AGENCY:
        raise ReviewError(
            f"单位名称过长（最多{MAX_AGENCY}个字符）", f"the agency name is too long (at most {MAX_AGENCY} characters)"
        )
    return value or None


def check_year(year: int | None) -> int | None:
    """A reporting year as given (None: not given); refused outside 1990–2100."""
    if year is None:
        return None
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ReviewError(
            f"年度应为{FIRST_YEAR}至{LAST_YEAR}之间的四位年份：{year}",
            f"a year is four digits between {FIRST_YEAR} and {LAST_YEAR}: {year}",
        )
    return year


def find_unidentified(con: duckdb.DuckDBPyConnection, target: str) -> str:
    """The id of the unidentified report named by its id or by the file it came from; ReviewError otherwise."""
    file_name = PurePath(target).name
    rows = con.sql(
        "select report_id, source, agency, year from reports where report_id = ? or source = ? or source = ?"
        " order by source, report_id",
        params=[target, target, file_name],
    ).fetchall()
    open_rows = [row for row in rows if not store.is_identified(row[2], row[3])]
    if len(open_rows) == 1:
        return open_rows[0][0]
    if len(open_rows) > 1:
        ids = "、".join(row[0] for row in open_rows)
        raise ReviewError(
            f"文件“{target}”对应{len(open_rows)}份未识别的报告，请改用报告编号：{ids}",
            f"{len(open_rows)} unidentified reports come from “{target}”; name one by its report id: {ids}",
        )
    if rows:
        _, source, agency, year = rows[0]
        raise ReviewError(
            f"报告“{source}”已有单位和年度（{agency}，{year}年），无需识别",
            f"the report “{source}” already has its agency and year ({agency}, {year})",
        )
    raise ReviewError(f"数据库中没有报告“{target}”", f"no stored report is named “{target}”")


def place(con: duckdb.DuckDBPyConnection, report_id: str, given: Given, name: str, by: Writer = "") -> Identified:
    """Give one stored unidentified report the agency and year `given` and move it into that unit and year, recorded
    under `name`; refused when the account `by` is limited to other units."""
    report = stored_report(con, report_id)
    before = (report.agency, report.year)
    lacking = [field for field in _FIELDS if getattr(report, field) in (None, "") and getattr(given, field) is None]
    if lacking:
        zh = "、".join(_FIELDS[f][0] for f in lacking)
        en = " and ".join(_FIELDS[f][1] for f in lacking)
        raise ReviewError(f"报告“{report.source}”还缺{zh}，请一并填写", f"“{report.source}” still needs its {en}")
    meta.apply_given(report, given)  # given values win; a differing reading of the report becomes a finding
    require_unit(con, by, report.agency)
    figures = _stored_figures(con, report_id)
    latest = _latest_version(con, report.agency, report.year)
    kept_as = None
    if latest and store.content_key(latest[1], _stored_figures(con, latest[0])) == store.content_key(
        report.text, figures
    ):
        version, kept_as = None, latest[0]  # the unit and year already hold this report: ingest would not store it
        _drop(con, report_id)
    else:
        version = (latest[2] if latest else 0) + 1
        file_under(con, report_id, report, version)
        store.carry_corrections(con, [report_id])
        refresh_similarity(con, [report_id])
    _record(con, report_id, report, before, version, name)
    return Identified(report_id, report.source, report.agency, report.year, version, kept_as)


_REPORT_COLUMNS = ("source", "text", "content_hash", "agency", "year", "region", "parent", "published_on")


def stored_report(con: duckdb.DuckDBPyConnection, report_id: str) -> Report:
    """A stored report's identity and text as a Report (its figures are not needed to move it)."""
    row = con.sql(
        f"select {', '.join(_REPORT_COLUMNS)}, agency_source, year_source from reports where report_id = ?",
        params=[report_id],
    ).fetchall()[0]
    report = Report(**dict(zip(_REPORT_COLUMNS, row[: len(_REPORT_COLUMNS)], strict=True)))
    report.agency_source, report.year_source = row[len(_REPORT_COLUMNS) :]
    return report


def _stored_figures(con: duckdb.DuckDBPyConnection, report_id: str) -> list[tuple]:
    """A stored report's figures as (metric, applicant, value), what content_key compares."""
    return con.sql("select metric, applicant, value from figures where report_id = ?", params=[report_id]).fetchall()


def _latest_version(con: duckdb.DuckDBPyConnection, agency: str, year: int) -> tuple | None:
    """(report_id, text, version) of the newest stored version of an agency and year, or None."""
    rows = con.sql(
        "select report_id, text, version from reports where agency = ? and year = ? order by version desc limit 1",
        params=[agency, year],
    ).fetchall()
    return rows[0] if rows else None


def file_under(con: duckdb.DuckDBPyConnection, report_id: str, report: Report, version: int) -> None:
    """File a stored report under `report`'s agency and year: write them, where each came from, region, parent and
    version; swap the PARSE finding of a missing identity (if any) for those of values a user gave in place of the
    report's own (identify and rename both file a report this way)."""
    con.sql(
        "update reports set agency = ?, year = ?, agency_source = ?, year_source = ?, region = ?, parent = ?,"
        " version = ? where report_id = ?",
        params=[
            report.agency,
            report.year,
            report.agency_source,
            report.year_source,
            report.region,
            report.parent,
            version,
            report_id,
        ],
    )
    con.sql(
        "delete from parse_findings where report_id = ? and rule = 'PARSE' and contains(message, ?)",
        params=[report_id, store.UNIDENTIFIED_MARK],
    )
    for finding in report.findings:
        store.append_finding(con, report_id, finding)


def _drop(con: duckdb.DuckDBPyConnection, report_id: str) -> None:
    """Remove an unidentified copy of a report its unit and year already hold (its corrections' log stays)."""
    for table in ("figures", "mentions", "parse_findings", "reports"):  # fixed names, the report's row last
        con.sql(f"delete from {table} where report_id = ?", params=[report_id])


def _record(
    con: duckdb.DuckDBPyConnection, report_id: str, report: Report, before: tuple, version: int | None, by: str
) -> None:
    """Append who gave the report which agency and year, and when."""
    con.sql(
        "insert into report_identifications values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params=[report_id, report.source, *before, report.agency, report.year, version, by, dt.datetime.now()],
    )
