"""Filing a stored report under another unit or year: the parser took the wrong agency, or the filer wrote a variant.

`rename` is one `store.transaction`: the report keeps its id, versions, figures, raw text, source locations and
corrections (they name it by its id), and becomes the next version of the unit and year it is moved to, as a second
text of a unit and year does at ingest; a report of the same content already there refuses the move (ingest would
not store it twice), naming both. The unit it leaves shows its previous version again, if it has one. The name or
year the report itself states is kept as a finding, as for any value a user gives. Its findings get new keys (they
are built from the agency and year), so their statuses, explanations and correction links are carried to them
(loaders/rekey.py). An account needs a role that may rename reports; one limited to some units may move a report
only from one of its units to another. The audit log keeps the unit and year before and after. Input errors raise
ReviewError in Chinese and English; nothing is written then.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

import duckdb

from loaders import audit, meta, rekey, similarity, store
from loaders.accounts import require_unit
from loaders.identify import check_year, clean_agency, file_under, stored_report
from loaders.model import Given, Report
from loaders.review import ReviewError, Writer, writer

REASON = "更正单位或年度"


@dataclass(frozen=True)
class Renamed:
    """What a rename did: the report, its unit, year and version before and after, and the findings carried."""

    report_id: str
    source: str
    before: tuple[str, int, int]
    after: tuple[str, int, int]
    carried: int


def rename(db: Path, target: str, agency: str | None = None, year: int | None = None, by: Writer = "") -> Renamed:
    """File the stored report `target` (its id or the file it came from) under `agency` and/or `year`, in one
    transaction; ReviewError when the input is wrong, accounts.Refused when `by` may not."""
    name = writer(by, "report.rename")
    given = Given(clean_agency(agency), check_year(year))
    if given.agency is None and given.year is None:
        raise ReviewError("请填写新的单位或年度", "give the new agency or year")
    with store.transaction(Path(db)) as con:
        report_id = find_report(con, target)
        report = stored_report(con, report_id)
        before = (report.agency, report.year, _version(con, report_id))
        new = (given.agency or report.agency, given.year or report.year)
        if new == before[:2]:
            raise ReviewError(
                f"报告已在“{new[0]}”{new[1]}年下，无需更改", f"the report is already filed under {new[0]}, {new[1]}"
            )
        require_unit(con, by, report.agency)
        require_unit(con, by, new[0])
        version = _next_version(con, report_id, report, *new)
        follower = rekey.Follower(con, [report_id])
        groups = similarity.groupings(con)
        _own_readings(con, report_id, report, given)
        meta.apply_given(report, given)  # the report's own reading of a changed value becomes a finding
        file_under(con, report_id, report, version)
        store.carry_corrections(con, [report_id])
        similarity.refresh(con, [report_id])
        similarity.refresh_regrouped(con, groups)
        store.touch(con, [report_id])
        carried = follower.carry(by, name, REASON)
        after = (report.agency, report.year, version)
        audit.record(
            con, by, "report.rename", report_id, dict(zip(("agency", "year", "version"), before, strict=True)),
            dict(zip(("agency", "year", "version"), after, strict=True)) | {"findings_carried": len(carried)},
        )  # fmt: skip
        return Renamed(report_id, report.source, before, after, len(carried))


def find_report(con: duckdb.DuckDBPyConnection, target: str) -> str:
    """The id of the stored report with an agency and year named by its id or file name; ReviewError otherwise."""
    rows = con.sql(
        "select report_id, source, agency, year, version from reports where report_id = ? or source = ? or source = ?"
        " order by agency, year, version",
        params=[target, target, PurePath(target).name],
    ).fetchall()
    placed = [row for row in rows if store.is_identified(row[2], row[3])]
    if len(placed) == 1:
        return placed[0][0]
    if len(placed) > 1:
        ids = "、".join(f"{row[0]}（{row[2]}{row[3]}年第{row[4]}版）" for row in placed)
        raise ReviewError(
            f"文件“{target}”对应{len(placed)}份报告，请改用报告编号：{ids}",
            f"{len(placed)} stored reports come from “{target}”; name one by its report id: {ids}",
        )
    if rows:
        raise ReviewError(
            f"报告“{rows[0][1]}”尚未识别单位或年度，请先识别（identify）",
            f"the report “{rows[0][1]}” has no agency or year yet; identify it first",
        )
    raise ReviewError(f"数据库中没有报告“{target}”", f"no stored report is named “{target}”")


def _version(con: duckdb.DuckDBPyConnection, report_id: str) -> int:
    """The report's version number."""
    return con.sql("select version from reports where report_id = ?", params=[report_id]).fetchall()[0][0]


def _next_version(con: duckdb.DuckDBPyConnection, report_id: str, report: Report, agency: str, year: int) -> int:
    """The version the report becomes under `agency` and `year`: one past the newest stored there; refused when that
    newest one is the same report (same text and figures), naming both."""
    rows = con.sql(
        "select report_id, source, text, version from reports where agency = ? and year = ? and report_id <> ?"
        " order by version desc limit 1",
        params=[agency, year, report_id],
    ).fetchall()
    if not rows:
        return 1
    other_id, other_source, other_text, other_version = rows[0]
    figures = "select metric, applicant, value from figures where report_id = ?"
    same = store.content_key(report.text, con.sql(figures, params=[report_id]).fetchall()) == store.content_key(
        other_text, con.sql(figures, params=[other_id]).fetchall()
    )
    if same:
        raise ReviewError(
            f"“{agency}”{year}年已有内容相同的报告“{other_source}”（{other_id}，第{other_version}版），"
            f"未将报告“{report.source}”（{report_id}）改到该单位；如两份是同一报告，请保留已有的一份",
            f"{agency}, {year} already holds the same report “{other_source}” ({other_id}, version {other_version});"
            f" “{report.source}” ({report_id}) was not moved there",
        )
    return other_version + 1


def _own_readings(con: duckdb.DuckDBPyConnection, report_id: str, report: Report, given: Given) -> None:
    """Put back on `report` what the report itself states for each field being changed, where a user gave it
    before, and drop the finding of that earlier override (apply_given writes the current one)."""
    for field in ("agency", "year"):
        if getattr(given, field) is None:
            continue
        override = "select cells ->> '$[0].raw' from parse_findings where report_id = ? and cells ->> '$[0].field' = ?"
        raw = con.sql(override, params=[report_id, field]).fetchall()
        con.sql(
            "delete from parse_findings where report_id = ? and rule = 'PARSE' and cells ->> '$[0].field' = ?",
            params=[report_id, field],
        )
        if raw:
            setattr(report, field, int(raw[0][0]) if field == "year" else raw[0][0])
            setattr(report, f"{field}_source", None)
        elif getattr(report, f"{field}_source") == "given":  # given before with nothing of its own to say
            setattr(report, field, None)
