"""导入 ("app_pages/upload.py") and ui.upload: real report files into a copy of the sample database."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from loaders import identify
from tests.apptest_support import metrics, run_page
from ui import upload

PDF = "hongze_district_gov_2023.pdf"  # the district's own PDF; the sample database holds its pdftotext output
OFFICE = "zhangdian-district-gov-office-2021.txt"


@pytest.fixture
def db(dashboard_copy: Path) -> Path:
    """A copy of the sample database that the dashboard and the tests write into."""
    return dashboard_copy


def snapshot(db: Path) -> dict[str, set]:
    """Everything stored that an import must keep: reports, figures and the parser's findings, row by row."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            table: set(con.sql(f"select * exclude ({skip}) from {table}").fetchall())
            for table, skip in (("reports", "sections"), ("figures", "sentence"), ("parse_findings", "cells"))
        }
    finally:
        con.close()


def kept(before: dict[str, set], after: dict[str, set]) -> bool:
    """True when every row stored before is still stored, unchanged."""
    return all(before[table] <= after[table] for table in before)


def test_a_report_and_a_bad_file(db: Path, reports_dir: Path) -> None:
    before = snapshot(db)
    uploads = [upload.Upload(PDF, (reports_dir / PDF).read_bytes()), upload.Upload("empty.txt", b"")]
    result = upload.import_uploads(uploads, db)
    pdf, bad = result.files
    assert (pdf.status, bad.status) == ("stored", "failed")
    report = pdf.reports[0]
    assert (report["agency"], report["year"], report["template"], report["version"]) == (
        "洪泽区人民政府",
        2023,
        "2021",
        2,
    )
    assert report["n_figures"] > 100 and report["is_current"]
    assert bad.error == "empty.txt: 文件为空（0 字节） / file is empty (0 bytes)"
    assert (result.added, result.replaced, result.unchanged, result.failed) == (0, 1, 0, 1)
    after = snapshot(db)
    assert kept(before, after)
    assert len(after["reports"]) == len(before["reports"]) + 1


def test_a_file_already_stored_is_unchanged_and_found(db: Path, reports_dir: Path) -> None:
    result = upload.import_uploads([upload.Upload("copy.txt", (reports_dir / OFFICE).read_bytes())], db)
    (office,) = result.files
    assert office.status == "unchanged" and result.unchanged == 1
    assert [(r["agency"], r["source"], r["n_findings"]) for r in office.reports] == [
        ("张店区人民政府办公室", OFFICE, 4)
    ]


def test_files_with_one_name_and_hostile_names_each_get_their_result(db: Path, reports_dir: Path) -> None:
    text = (reports_dir / OFFICE).read_bytes()
    uploads = [
        upload.Upload("../../a.txt", text),
        upload.Upload("../../a.txt", b"not a report"),
        upload.Upload("", b""),
    ]
    result = upload.import_uploads(uploads, db)
    assert [f.status for f in result.files] == ["unchanged", "failed", "failed"]
    assert result.files[1].error.startswith("a.txt: ")  # the folder part of the name is dropped, never followed
    assert result.files[2].error.startswith("upload-2: 文件为空")


def test_progress_is_reported_to_the_end(db: Path, reports_dir: Path) -> None:
    steps: list[float] = []
    upload.import_uploads(
        [upload.Upload(OFFICE, (reports_dir / OFFICE).read_bytes())], db, lambda f, _: steps.append(f)
    )
    assert steps == sorted(steps) and steps[-1] == 1.0 and len(steps) >= 3


def test_an_ingest_that_cannot_run_leaves_the_database_alone(tmp_path: Path, reports_dir: Path) -> None:
    not_a_file = tmp_path / "reports.duckdb"
    not_a_file.mkdir()  # the loader cannot copy a folder as its work database
    result = upload.import_uploads([upload.Upload(OFFICE, (reports_dir / OFFICE).read_bytes())], not_a_file)
    assert result.files[0].status == "failed"
    assert "导入中断，数据库未改动" in result.files[0].error and not any(not_a_file.iterdir())


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("报告.txt", "报告.txt"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\年报 2023.pdf", "年报 2023.pdf"),
        ("..", "upload-7"),
        ("", "upload-7"),
        ("长" * 300 + ".docx", "长" * 115 + ".docx"),
    ],
)
def test_safe_name(name: str, safe: str) -> None:
    assert upload.safe_name(name, 7) == safe


def test_page_imports_uploads_and_links_the_new_report(db: Path, reports_dir: Path) -> None:
    before = snapshot(db)
    at = run_page("app_pages/upload.py")
    assert at.button(key="upload_start").proto.disabled  # nothing to import yet
    files = [(PDF, (reports_dir / PDF).read_bytes(), "application/pdf"), ("broken.docx", b"PK\x03\x04junk", "")]
    at.get("file_uploader")[0].set_value(files).run()
    at.button(key="upload_start").click().run()
    assert kept(before, snapshot(db)) and len(snapshot(db)["reports"]) == len(before["reports"])
    at.button(key="upload_confirm").click().run()  # the PDF is a new version of a stored report: confirmed
    assert not at.exception, [e.message for e in at.exception]
    assert metrics(at) == {"新增报告": "0", "新版本": "1", "未变": "0", "失败文件": "1"}
    rows = at.dataframe[0].value
    assert list(rows["文件"]) == [PDF, "broken.docx"]
    assert list(rows["单位"])[0] == "洪泽区人民政府" and list(rows["结果"]) == ["已导入（新版本）", "失败"]
    assert len(at.error) == 1 and "broken" in at.error[0].value
    (link,) = at.get("page_link")
    assert link.value == "洪泽区人民政府 · 2023年 · 第2版"
    assert kept(before, snapshot(db))
    report_id = link.proto.query_string.removeprefix("report=")
    page = run_page("app_pages/report.py", {"report": report_id})
    meta = next(h.value for h in page.html if "rm-grid" in h.value)
    assert "洪泽区人民政府" in meta and "PDF" in meta and "第2版（共2版，最新）" in meta


def collection_workbook(path: Path, reports_dir: Path, names: list[str]) -> bytes:
    """The collection template filled with one row per real report, table cells typed in as printed."""
    import io

    import openpyxl

    from loaders.formats.collection import FIRST_ROW, KEY_ROW, SHEET, write_template
    from loaders.parse import parse_file

    write_template(path)
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET]
    columns = {sheet.cell(KEY_ROW, c).value: c for c in range(1, sheet.max_column + 1)}
    for row, name in enumerate(names, start=FIRST_ROW):
        report = parse_file(reports_dir / name)
        for key in ("agency", "year", "template"):
            sheet.cell(row, columns[key], getattr(report, key))
        for fig in (f for f in report.figures if f.kind == "table"):
            sheet.cell(row, columns[f"{fig.metric}|{fig.applicant}" if fig.applicant else fig.metric], fig.raw)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_one_workbook_stores_a_report_per_row(db: Path, reports_dir: Path, tmp_path: Path) -> None:
    workbook = collection_workbook(tmp_path / "template.xlsx", reports_dir, [OFFICE, "zhangdian-district-gov-2021.txt"])
    before = snapshot(db)
    result = upload.import_uploads([upload.Upload("汇总.xlsx", workbook)], db)
    (file,) = result.files
    assert file.status == "stored" and result.replaced == 2
    assert sorted((r["agency"], r["version"]) for r in file.reports) == [
        ("张店区人民政府", 2),
        ("张店区人民政府办公室", 2),
    ]
    office = next(r for r in file.reports if r["agency"] == "张店区人民政府办公室")
    assert office["n_findings"] == 3  # the three R1 breaks come with the figures, whatever the format
    assert kept(before, snapshot(db))


SHAPES = Path(__file__).parent / "fixtures" / "shapes"
# The control report without its title and statistics period: its text says neither whose report it is nor for when.
NAMELESS = (SHAPES / "00_control.txt").read_text(encoding="utf-8").split("\n", 3)[3].encode("utf-8")


def stored_identity(db: Path, agency: str) -> list[tuple]:
    """Year and the sources of agency and year of an agency's stored reports."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        query = "select year, agency_source, year_source from reports where agency = ?"
        return con.sql(query, params=[agency]).fetchall()
    finally:
        con.close()


def test_a_file_without_agency_or_year_is_stored_unidentified_and_identified_later(db: Path) -> None:
    before = snapshot(db)
    result = upload.import_uploads([upload.Upload("report.txt", NAMELESS)], db)
    (stored,) = result.files
    assert (stored.status, result.added, stored.error) == ("stored", 1, None)
    (report,) = stored.reports
    assert (report["agency"], report["year"], report["version"]) == (None, None, 1)
    assert report["n_findings"] >= 1  # the PARSE finding that says what is missing
    assert kept(before, snapshot(db))
    identify.identify(db, "report.txt", "青禾县农业农村局", 2023, by="审核员甲")
    (now,) = upload.stored_reports(db, [], [upload.content_hash(NAMELESS)]).to_dicts()  # the app's read path
    assert (now["agency"], now["year"], now["version"], now["is_current"]) == ("青禾县农业农村局", 2023, 1, True)
    assert now["n_findings"] == report["n_findings"] - 1  # the finding of the missing identity is gone
    assert stored_identity(db, "青禾县农业农村局") == [(2023, "given", "given")]
    assert kept(before, snapshot(db))


def test_a_file_named_like_its_title_needs_nothing_given(db: Path) -> None:
    name = "2022年青禾县教育局政府信息公开工作年度报告.txt"
    (stored,) = upload.import_uploads([upload.Upload(name, NAMELESS)], db).files
    assert stored.status == "stored" and (stored.reports[0]["agency"], stored.reports[0]["year"]) == (
        "青禾县教育局",
        2022,
    )
    assert stored_identity(db, "青禾县教育局") == [(2022, "filename", "filename")]


def test_page_lists_an_unidentified_report_and_saves_its_agency_and_year(db: Path, reports_dir: Path) -> None:
    at = run_page("app_pages/upload.py")
    files = [("report.txt", NAMELESS, "text/plain"), (OFFICE, (reports_dir / OFFICE).read_bytes(), "text/plain")]
    at.get("file_uploader")[0].set_value(files).run()
    at.button(key="upload_start").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert metrics(at) == {"新增报告": "1", "新版本": "0", "未变": "1", "失败文件": "0"}
    rows = at.dataframe[0].value
    unnamed = rows[rows["文件"] == "report.txt"]
    assert "请在下方“未识别的报告”中填写" in list(unnamed["说明"])[0]
    report_id = upload.content_hash(NAMELESS)[:16]
    form = f"identify_{report_id}"
    at.text_input(key=f"{form}_agency").input("青禾县农业农村局")
    at.number_input(key=f"{form}_year").set_value(2023)
    at.button(key=f"{form}_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("已归入青禾县农业农村局 2023年：第1版" in s.value for s in at.success)
    assert not [b for b in at.button if b.key == f"{form}_save"]  # nothing left to identify
    assert stored_identity(db, "青禾县农业农村局") == [(2023, "given", "given")]
    (identified,) = duckdb_rows(db, "select identified_by, previous_agency, previous_year from report_identifications")
    assert identified == ("测试管理员", None, None)  # the signed-in account, never a typed name
    (logged,) = duckdb_rows(db, "select account, action, target from audit_log where action = 'report.identify'")
    assert logged == ("测试管理员", "report.identify", report_id)


def test_a_save_with_a_field_left_empty_is_refused_and_nothing_is_written(db: Path) -> None:
    upload.import_uploads([upload.Upload("report.txt", NAMELESS)], db)
    before = snapshot(db)
    at = run_page("app_pages/upload.py")
    form = f"identify_{upload.content_hash(NAMELESS)[:16]}"
    at.text_input(key=f"{form}_agency").input("青禾县农业农村局")
    at.button(key=f"{form}_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("还缺年度" in e.value for e in at.error)
    assert snapshot(db) == before


def duckdb_rows(db: Path, sql: str) -> list[tuple]:
    """The rows of a query on the database, read-only."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def office_version(reports_dir: Path) -> bytes:
    """A new version of the stored office report: 本年新收 of natural persons printed 14 (was 12), the 上年结转 row
    left out (its seven figures removed)."""
    lines = (reports_dir / OFFICE).read_text(encoding="utf-8").split("\n")
    assert lines[99].startswith("一、本年新收") and lines[100].startswith("二、上年结转")
    lines[99] = lines[99].replace("\t\t12\t", "\t\t14\t", 1)
    del lines[100]
    return "\n".join(lines).encode("utf-8")


def stored_versions(db: Path, agency: str) -> list[int]:
    """The versions stored for an agency's 2021 report."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        query = "select version from reports where agency = ? and year = 2021 order by version"
        return [v for (v,) in con.sql(query, params=[agency]).fetchall()]
    finally:
        con.close()


def upload_on_page(files: list[tuple[str, bytes, str]]):
    """The 导入 page with these files uploaded and the import button pressed."""
    at = run_page("app_pages/upload.py")
    at.get("file_uploader")[0].set_value(files).run()
    at.button(key="upload_start").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_new_version_shows_what_changes_and_is_stored_only_once_confirmed(db: Path, reports_dir: Path) -> None:
    before = snapshot(db)
    at = upload_on_page([("新版.txt", office_version(reports_dir), "text/plain")])
    assert snapshot(db) == before and stored_versions(db, "张店区人民政府办公室") == [1]  # nothing stored yet
    (diff,) = [d.value for d in at.dataframe if "变化" in d.value.columns]
    diff = diff.astype(object).where(diff.notna(), None)  # an absent figure: no value, not NaN
    rows = {r["键"]: (r["指标"], r["变化"], r["原值"], r["新值"]) for r in diff.to_dict("records")}
    assert rows["requests.new|natural_person"] == ("一、本年新收政府信息公开申请数量（自然人）", "改变", "12", "14")
    removed = {k: v for k, v in rows.items() if k.startswith("requests.carried_over|")}
    assert len(removed) == 7 and {v[1:] for v in removed.values()} == {("删除", "0", None)}
    assert len(rows) == 8
    assert "第1版 → 第2版" in " ".join(m.value for m in at.markdown)
    at.button(key="upload_cancel").click().run()  # not confirmed: the store stays as it was
    assert not [b for b in at.button if b.key == "upload_confirm"] and snapshot(db) == before
    at.button(key="upload_start").click().run()
    at.button(key="upload_confirm").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert metrics(at) == {"新增报告": "0", "新版本": "1", "未变": "0", "失败文件": "0"}
    assert stored_versions(db, "张店区人民政府办公室") == [1, 2] and kept(before, snapshot(db))


def test_the_same_report_again_says_nothing_changes(db: Path, reports_dir: Path) -> None:
    before = snapshot(db)
    text = (reports_dir / OFFICE).read_text(encoding="utf-8")
    same = upload.preview_uploads([upload.Upload("again.txt", text.encode("gb18030"))], db)  # other bytes, same text
    assert [(p.agency, p.version, p.same, p.changes) for p in same] == [("张店区人民政府办公室", 1, True, [])]
    at = upload_on_page([("again.txt", text.encode("gb18030"), "text/plain")])  # no confirmation asked
    assert metrics(at)["未变"] == "1" and snapshot(db) == before


def test_figure_changes_name_added_figures_too(reports_dir: Path) -> None:
    from loaders.parse import parse_bytes, parse_text
    from loaders.versions import figure_changes

    stored = parse_bytes(office_version(reports_dir), "新版.txt")
    report = parse_text((reports_dir / OFFICE).read_text(encoding="utf-8"), OFFICE)
    changes = figure_changes(report, [(f.metric, f.applicant, f.value, f.raw) for f in stored.figures])
    assert [(c.key, c.change, c.old, c.new) for c in changes][:2] == [
        ("requests.new|natural_person", "changed", 14, 12),
        ("requests.carried_over|natural_person", "added", None, 0),
    ]
    assert sum(c.change == "added" for c in changes) == 7


def test_an_uploaded_report_whose_agency_is_not_on_the_roster_is_matched_to_its_unit(
    db: Path, reports_dir: Path, tmp_path: Path
) -> None:
    import config
    from loaders import roster
    from tests.dbutil import rows
    from tests.test_unit_alias import UNIT, VARIANT, next_year_report

    roster.import_roster(config.SAMPLE_ROSTER, db)
    path = next_year_report(reports_dir, tmp_path)
    at = run_page("app_pages/upload.py")
    at.get("file_uploader")[0].set_value([(path.name, path.read_bytes(), "text/plain")]).run()
    at.button(key="upload_start").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert metrics(at)["新增报告"] == "1"
    assert any("不在名册中" in w.value for w in at.warning)
    assert at.selectbox(key="upload_match_0_unit").value == UNIT
    at.button(key="upload_match_0_confirm").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert [s.value for s in at.success] == [f"已确认：“{VARIANT}”记为“{UNIT}”的另一名称，其报告计入该单位。"]
    assert not any("不在名册中" in w.value for w in at.warning)
    assert rows(db, "select agency from stg_reports_current where filed_as = ?", [VARIANT]) == [(UNIT,)]
