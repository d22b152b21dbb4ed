"""Every input format through the command line and the store: the loader reads each file by what it is."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb

from loaders import store
from tests import formats_render as fr
from tests.test_collection import fill, originals, template  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "tests" / "fixtures" / "reports"
NAME = "zhangdian-district-gov-office-2021.txt"


def _table_values(db: Path, source: str) -> set[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.sql(
            "select f.metric, f.applicant, f.value from figures as f join reports as r using (report_id)"
            " where r.source = $s and f.kind = 'table'",
            params={"s": source},
        ).fetchall()
    return set(rows)


def test_each_format_is_stored_with_the_figures_of_the_text(tmp_path: Path, originals) -> None:  # noqa: F811
    orig = fr.original(NAME)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.docx").write_bytes(fr.render_docx(orig))
    (folder / "b.html").write_bytes(fr.render_html(orig, charset="gb2312"))
    (folder / "c.md").write_bytes(fr.render_markdown(orig))
    (folder / "page_saved_as.txt").write_bytes(fr.render_html(orig))  # a .txt that holds HTML
    for i, name in enumerate(("a.docx", "b.html", "c.md", "page_saved_as.txt")):
        db = tmp_path / f"db{i}.duckdb"
        summary = store.ingest([folder / name], db, progress=False)
        assert summary.failures == [] and summary.added == 1, name
        text_db = tmp_path / f"text{i}.duckdb"
        store.ingest([REPORTS / NAME], text_db, progress=False)
        assert _table_values(db, name) == _table_values(text_db, NAME), name


def test_parse_json_reads_the_pdf(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "loaders", "parse", "--json", str(REPORTS / "hongze_district_gov_2023.pdf")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(out.stdout)["reports"][0]
    figures = {(f["metric"], f["applicant"]): f["value"] for f in report["figures"]}
    assert (report["agency"], report["year"]) == ("洪泽区人民政府", 2023)
    assert figures[("requests.new", "total")] == 21
    assert figures[("review.maintained", None)] == 10
    assert any(f["rule"] == "R4" for f in report["findings"])


def test_a_collection_workbook_is_stored_as_one_report_per_row(tmp_path: Path, template, originals) -> None:  # noqa: F811
    path = tmp_path / "汇总.xlsx"
    path.write_bytes(fill(template, originals))
    db = tmp_path / "db.duckdb"
    summary = store.ingest([path], db, progress=False)
    assert summary.failures == [] and summary.added == 2
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.sql("select agency, year, source_format from reports order by agency").fetchall()
    assert rows == [("市中区卫生健康局", 2021, "collection"), ("张店区人民政府", 2021, "collection")]
    again = store.ingest([path], db, progress=False)
    assert (again.added, again.unchanged) == (0, 2)


def test_template_command_writes_a_workbook(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    subprocess.run([sys.executable, "-m", "loaders", "template", "--out", str(out)], cwd=ROOT, check=True)
    assert out.read_bytes()[:2] == b"PK"
