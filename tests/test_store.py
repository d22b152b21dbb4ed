"""Storage: real reports into real DuckDB files, atomic swaps, kill safety, idempotence and versioning."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import config
from loaders import memory, similarity, store
from loaders.keys import METRICS
from loaders.model import Given
from loaders.parse import parse_file
from tests.dbutil import rows

ROOT = Path(__file__).resolve().parent.parent
GOV = "zhangdian-district-gov-2021.txt"
OFFICE = "zhangdian-district-gov-office-2021.txt"
PROSE = "zhangdian-district-gov-2014.txt"


def copy_reports(reports_dir: Path, target: Path, *names: str) -> list[Path]:
    """Copy fixture reports into `target` (created) and return the copies."""
    target.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(reports_dir / name, target / name)) for name in names]


def edited(reports_dir: Path, tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of a fixture report with one passage replaced (the passage must occur)."""
    text = (reports_dir / name).read_text(encoding="utf-8")
    assert old in text, f"{name} no longer contains {old!r}"
    path = tmp_path / "edited" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_ingest_stores_every_figure_as_parsed(reports_dir: Path, db_file: Path):
    summary = store.ingest([reports_dir / GOV, reports_dir / OFFICE, reports_dir / PROSE], db_file, progress=False)
    assert (summary.added, summary.replaced, summary.unchanged, summary.failures) == (3, 0, 0, [])
    parsed = parse_file(reports_dir / GOV)
    stored = rows(
        db_file,
        "select metric, applicant, value, raw, line from figures join reports using (report_id) where source = ?",
        [GOV],
    )
    expected = [(f.metric, f.applicant, f.value, f.raw, f.line) for f in parsed.figures]
    assert sorted(stored, key=repr) == sorted(expected, key=repr)
    assert summary.figures == rows(db_file, "select count(*) from figures")[0][0]


def test_stored_cells_keep_raw_text_and_not_stated_stays_null(reports_dir: Path, db_file: Path):
    store.ingest([reports_dir / GOV, reports_dir / "013_pingtan_zone_2020.txt"], db_file, progress=False)
    printed_00 = rows(
        db_file,
        "select value, raw from figures where metric = 'requests.carried_over' and applicant = 'commercial' "
        "and report_id in (select report_id from reports where source = ?)",
        [GOV],
    )
    assert printed_00 == [(0.0, "00")]
    # A run of digits the parser could not split is stored without a value, never as 0.
    ambiguous = rows(
        db_file, "select value, raw from figures where qualifier = 'ambiguous' and metric = 'licensing.decisions'"
    )
    assert ambiguous == [(None, "396442278")]


def test_report_metadata_and_sections_are_stored(reports_dir: Path, db_file: Path):
    store.ingest([reports_dir / GOV], db_file, progress=False)
    (row,) = rows(db_file, "select agency, year, template, version, sections, source, source_path from reports")
    assert row[:4] == ("张店区人民政府", 2021, "2021", 1)
    assert row[4] == ["一", "二", "三", "四", "五", "六"]
    assert row[5] == GOV and Path(row[6]).name == GOV


@pytest.fixture(params=[0, 1000], ids=["all-read-at-once", "each-looked-up"])
def lookups(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """The writer reads every stored hash and version at its first lookup, or looks each up as reports come (what
    it does for a few reports); the outcome is the same."""
    monkeypatch.setattr(store.BatchWriter, "point_lookups", request.param)
    return request.param


def test_reingesting_the_same_files_changes_nothing(reports_dir: Path, db_file: Path, lookups: int):
    paths = [reports_dir / GOV, reports_dir / OFFICE]
    store.ingest(paths, db_file, progress=False)
    before = rows(db_file, "select report_id, version, ingested_at from reports order by report_id")
    figures_before = rows(db_file, "select count(*) from figures")
    summary = store.ingest(paths, db_file, progress=False)
    assert (summary.added, summary.replaced, summary.unchanged, summary.figures) == (0, 0, 2, 0)
    assert rows(db_file, "select report_id, version, ingested_at from reports order by report_id") == before
    assert rows(db_file, "select count(*) from figures") == figures_before


def test_same_content_twice_in_one_ingest_is_stored_once(
    reports_dir: Path, tmp_path: Path, db_file: Path, lookups: int
):
    (copy,) = copy_reports(reports_dir, tmp_path / "elsewhere", GOV)
    summary = store.ingest([reports_dir / GOV, copy], db_file, progress=False)
    assert (summary.added, summary.unchanged) == (1, 1)
    assert rows(db_file, "select count(*) from reports") == [(1,)]


def test_new_text_for_the_same_agency_and_year_is_a_new_version(
    reports_dir: Path, tmp_path: Path, db_file: Path, lookups: int
):
    store.ingest([reports_dir / GOV], db_file, progress=False)
    revised = edited(reports_dir, tmp_path, GOV, "行政许可\n\t65036", "行政许可\n\t65037")
    summary = store.ingest([revised], db_file, progress=False)
    assert (summary.added, summary.replaced) == (0, 1)
    versions = rows(
        db_file,
        "select version, value from reports join figures using (report_id) "
        "where metric = 'licensing.decisions' order by version",
    )
    assert versions == [(1, 65036.0), (2, 65037.0)]  # the old version stays queryable
    current = rows(
        db_file,
        "select version, value from stg_figures join reports using (report_id) where metric = 'licensing.decisions'",
    )
    assert current == [(2, 65037.0)]


def test_one_bad_file_does_not_stop_the_others(reports_dir: Path, tmp_path: Path, db_file: Path):
    folder = tmp_path / "in"
    copy_reports(reports_dir, folder / "nested", GOV, OFFICE)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    (folder / "notes.md").write_text("not a report", encoding="utf-8")  # Markdown is read, but this is no report
    summary = store.ingest([folder], db_file, progress=False)
    assert summary.added == 2
    failed = dict(summary.failures)
    assert set(failed) == {str(folder / "empty.txt"), str(folder / "binary.txt"), str(folder / "notes.md")}
    assert "notes.md" in failed[str(folder / "notes.md")]
    assert "empty.txt" in failed[str(folder / "empty.txt")] and "文件为空" in failed[str(folder / "empty.txt")]
    assert "PDF" in failed[str(folder / "binary.txt")]


def test_missing_and_unsupported_paths_are_failures_with_reasons(reports_dir: Path, tmp_path: Path, db_file: Path):
    missing = tmp_path / "nope.txt"
    image = tmp_path / "scan.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    summary = store.ingest([missing, image, reports_dir / GOV], db_file, False)
    assert summary.added == 1
    messages = dict(summary.failures)
    assert "文件不存在" in messages[str(missing)] and "file not found" in messages[str(missing)]
    assert "图片" in messages[str(image)] and "image" in messages[str(image)]


@pytest.mark.parametrize(
    ("replacements", "zh", "identity"),
    [
        ((("张店区人民政府", "本机关"), ("张店区", "本区")), "单位", (None, 2014, None, "title")),
        ((("2014年", "今年"),), "年度", ("张店区人民政府", None, "signature", None)),
    ],
    ids=["no-agency", "no-year"],
)
def test_a_report_without_agency_or_year_is_stored_unidentified_with_a_finding(
    reports_dir: Path, tmp_path: Path, db_file: Path, replacements: tuple, zh: str, identity: tuple
):
    text = (reports_dir / PROSE).read_text(encoding="utf-8")
    for old, new in replacements:
        text = text.replace(old, new)
    path = tmp_path / "anonymous.txt"
    path.write_text(text, encoding="utf-8")
    summary = store.ingest([path, reports_dir / GOV], db_file, progress=False)
    assert (summary.added, summary.unidentified, summary.failures) == (2, 1, [])
    [(report_id, *stored)] = rows(
        db_file, "select report_id, agency, year, agency_source, year_source from reports where source = ?", [path.name]
    )
    assert tuple(stored) == identity  # what the report states is kept; what it does not is null, never made up
    assert rows(db_file, "select count(*) from figures where report_id = ?", [report_id])[0][0] > 0
    [(message,)] = rows(
        db_file,
        "select message from findings where report_id = ? and rule = 'PARSE' and severity = 'error'",
        [report_id],
    )
    assert "anonymous.txt" in message and f"未写明{zh}" in message and "python -m loaders identify" in message
    assert rows(db_file, "select count(*) from fct_reports where report_id = ?", [report_id]) == [(0,)]


def test_views_are_rebuilt_from_sql_files_on_every_ingest(reports_dir: Path, db_file: Path):
    store.ingest([reports_dir / GOV], db_file, progress=False)
    con = duckdb.connect(str(db_file))
    con.sql("create view obsolete_view as select 1 as x")
    con.close()
    store.ingest([reports_dir / GOV], db_file, progress=False)
    views = {name for (name,) in rows(db_file, "select view_name from duckdb_views() where not internal")}
    expected = {p.stem for folder in ("staging", "checks") for p in (config.SQL_DIR / folder).glob("*.sql")}
    assert views == expected


def test_dictionary_tables_match_the_code(reports_dir: Path, db_file: Path):
    store.ingest([reports_dir / GOV], db_file, progress=False)
    assert rows(db_file, "select count(*) from metric_defs") == [(len(METRICS),)]
    assert rows(db_file, "select key from applicant_defs order by position")[-1] == ("total",)


def test_a_reader_of_the_old_file_is_not_disturbed_by_the_swap(reports_dir: Path, db_file: Path):
    store.ingest([reports_dir / GOV], db_file, progress=False)
    reader = subprocess.Popen(
        [sys.executable, "-c", _READER, str(db_file)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert reader.stdout.readline().strip() == "1"  # the reader has the old file open
    store.ingest([reports_dir / OFFICE], db_file, progress=False)
    out, _ = reader.communicate("\n")
    assert out.strip() == "1"  # still reading the file it opened, whole
    assert rows(db_file, "select count(*) from reports") == [(2,)]


_READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.sql("select count(*) from reports").fetchall()[0][0], flush=True)
sys.stdin.readline()
print(con.sql("select count(*) from reports").fetchall()[0][0], flush=True)
"""


def test_killing_an_ingest_midway_leaves_the_old_database_whole(reports_dir: Path, tmp_path: Path, db_file: Path):
    store.ingest([reports_dir / GOV], db_file, progress=False)
    before = rows(db_file, "select report_id, content_hash, version from reports")
    figures_before = rows(db_file, "select count(*) from figures")
    # More distinct texts than one write batch; the ingest says when the first batch is in its work copy and
    # waits there, and is killed at that moment.
    files = distinct_copies(reports_dir, tmp_path / "batch", store.BatchWriter.batch_size + 10)
    paths = [*files, reports_dir / OFFICE]
    args = [sys.executable, "-c", _PAUSED_INGEST, str(db_file), *map(str, paths)]
    proc = subprocess.Popen(args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "batch written"
        proc.kill()
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -9
    assert rows(db_file, "select report_id, content_hash, version from reports") == before
    assert rows(db_file, "select count(*) from figures") == figures_before
    # The next ingest clears the killed one's work copy and proceeds.
    assert list(db_file.parent.glob(".reports.duckdb.ingest-*"))
    summary = store.ingest([reports_dir / OFFICE], db_file, progress=False)
    assert summary.added == 1 and rows(db_file, "select count(*) from reports") == [(2,)]
    assert not list(db_file.parent.glob(".reports.duckdb.ingest-*"))


# An ingest that stops after writing its first batch into the work copy, until told to go on.
_PAUSED_INGEST = """
import sys
from pathlib import Path
from loaders import store

insert = store.insert_reports

def insert_then_wait(con, items):
    insert(con, items)
    print("batch written", flush=True)
    sys.stdin.readline()

store.insert_reports = insert_then_wait
store.ingest([Path(p) for p in sys.argv[2:]], Path(sys.argv[1]), progress=False)
"""


def distinct_copies(reports_dir: Path, target: Path, count: int) -> list[Path]:
    """`count` report files with distinct texts: real reports, each with a numbered note line appended."""
    target.mkdir(parents=True, exist_ok=True)
    sources = [reports_dir / n for n in (GOV, OFFICE, "014_pingtan_zone_2021.txt", "015_pingtan_zone_2022.txt")]
    copies = []
    for i in range(count):
        source = sources[i % len(sources)]
        copy = target / f"{i:04d}_{source.name}"
        copy.write_text(source.read_text(encoding="utf-8") + f"\n附注{i}\n", encoding="utf-8")
        copies.append(copy)
    return copies


def test_a_report_that_cannot_be_written_fails_alone(reports_dir: Path, tmp_path: Path):
    good, bad = parse_file(reports_dir / GOV), parse_file(reports_dir / OFFICE)
    bad.figures[0].line = "第十行"  # not a line number: the batch insert fails on it
    con = duckdb.connect(str(tmp_path / "batch.duckdb"))
    try:
        store.prepare(con)
        summary = store.IngestSummary()
        writer = store.BatchWriter(con, summary)
        writer.add(good, reports_dir / GOV)
        writer.add(bad, reports_dir / OFFICE)
        writer.flush()
        stored = con.sql("select source from reports").fetchall()
        orphans = con.sql("select count(*) from figures where report_id not in (select report_id from reports)")
        orphan_count = orphans.fetchall()
    finally:
        con.close()
    assert stored == [(GOV,)] and orphan_count == [(0,)]
    assert summary.added == 1 and summary.figures == len(good.figures)
    [(file, message)] = summary.failures
    assert file == str(reports_dir / OFFICE) and OFFICE in message


def test_collect_walks_folders_and_names_every_file_it_skips(tmp_path: Path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/one.txt", "a/b/two.TEXT", "a/b/three.docx", "a/README.md", "a/.hidden.txt", "a/pic.png", "a/noext"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, failures, skipped = store.collect([tmp_path / "a"])
    walked = [p.relative_to(tmp_path).as_posix() for p in files]
    # Every file but a README or a hidden one is read, its content deciding, so that a .png is refused by name.
    assert walked == ["a/b/three.docx", "a/b/two.TEXT", "a/noext", "a/one.txt", "a/pic.png"]
    assert failures == []
    assert [(Path(f).name, "README" in why or "hidden" in why) for f, why in skipped] == [
        (".hidden.txt", True),
        ("README.md", True),
    ]


def test_config_reads_the_database_path_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv(config.DB_ENV_VAR, str(tmp_path / "x.duckdb"))
    assert config.db_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv(config.DB_ENV_VAR)
    assert config.db_path() == ROOT / "data" / "reports.duckdb"


def test_a_transaction_that_fails_leaves_the_database_as_it_was(reports_dir: Path, db_file: Path):
    store.ingest([reports_dir / GOV], db_file, progress=False)
    before = db_file.read_bytes()
    with pytest.raises(RuntimeError, match="abandon"):
        with store.transaction(db_file) as con:
            con.sql("delete from figures")
            raise RuntimeError("abandon")
    assert db_file.read_bytes() == before
    assert rows(db_file, "select count(*) from figures")[0][0] > 0
    assert not list(db_file.parent.glob(f".{db_file.name}.ingest-*"))


def test_concurrent_transactions_queue_and_keep_every_write(reports_dir: Path, db_file: Path):
    store.ingest([reports_dir / GOV], db_file, progress=False)
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from loaders import store\n"
        "with store.transaction(Path(sys.argv[1])) as con:\n"
        "    con.sql('create table if not exists probe (writer varchar)')\n"
        "    time.sleep(0.3)  # hold the lock while the other writer waits\n"
        "    con.sql('insert into probe values (?)', params=[sys.argv[2]])\n"
    )
    writers = [
        subprocess.Popen([sys.executable, "-c", script, str(db_file), name], cwd=ROOT) for name in ("a", "b", "c")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0]
    assert sorted(r[0] for r in rows(db_file, "select writer from probe")) == ["a", "b", "c"]
    assert rows(db_file, "select count(*) from figures")[0][0] > 0


def test_a_transaction_without_rebuild_keeps_the_facts_as_they_were(reports_dir: Path, db_file: Path):
    store.ingest([reports_dir / GOV], db_file, progress=False)
    facts = "select count(*) from fct_values"
    before = rows(db_file, facts)[0][0]
    with store.transaction(db_file, rebuild=False) as con:
        con.sql("delete from figures")
    assert rows(db_file, "select count(*) from figures")[0][0] == 0
    assert rows(db_file, facts)[0][0] == before  # not rebuilt: a status or note write feeds no fact
    with store.transaction(db_file) as con:
        pass
    assert rows(db_file, facts)[0][0] == 0  # the full rebuild sees the deleted figures


def test_a_transaction_without_rebuild_still_upgrades_an_older_database(reports_dir: Path, db_file: Path):
    store.ingest([reports_dir / GOV], db_file, progress=False)
    with store.transaction(db_file, rebuild=False) as con:
        con.sql("update schema_info set fingerprint = 'older'")
        con.sql("drop table fct_reports")
    assert not store.is_current(db_file)
    with store.transaction(db_file, rebuild=False):
        pass
    assert store.is_current(db_file)
    assert rows(db_file, "select count(*) from fct_reports")[0][0] == 1


def test_a_blank_cell_filled_from_the_prose_is_stored_with_its_marker(tmp_path: Path, db_file: Path):
    control = Path(__file__).parent / "fixtures" / "shapes"
    path = edited(control, tmp_path, "00_control.txt", "3\t1\t0\t1\t5\t1", "3\t1\t0\t1\t\t1")
    text = path.read_text(encoding="utf-8").replace("310条，", "310条，政府信息公开行政复议5件，", 1)
    path.write_text(text, encoding="utf-8")
    store.ingest([path], db_file, progress=False)
    stored = rows(
        db_file,
        "select value, raw, kind, qualifier, row_label, col_label, sentence like '%行政复议5件%' "
        "from figures where metric = 'review.total'",
    )
    assert stored == [(5.0, "", "prose", "from_prose", "行政复议", "总计", True)]
    assert rows(db_file, "select value, raw, kind from mentions where metric = 'review.total'") == [
        (5.0, "5件", "prose")
    ]


def test_connections_print_no_progress_bar(tmp_path: Path) -> None:
    """DuckDB draws a progress bar on standard output for a slow query: never into the loader's or a page's output."""
    from analytics import db as read_db

    path = tmp_path / "x.duckdb"
    setting = "select current_setting('enable_progress_bar')"
    with store.connect(path) as con:
        assert con.sql(setting).fetchall() == [(False,)]
    with read_db.connect(path) as con:
        assert con.sql(setting).fetchall() == [(False,)]


# --- incremental facts ----------------------------------------------------------------------------------------

FACTS = [path.stem for path in store.sql_files("facts")]
FULL_REBUILD = store.materialize  # the comparison's own rebuild, which the write counter below does not count


def test_an_incremental_write_recomputes_every_fact_table_by_report_or_by_unit():
    assert sorted(store.PER_REPORT_FACTS + store.PER_UNIT_FACTS) == sorted(FACTS)  # a new fact table says which


def assert_facts_equal_a_full_rebuild(db: Path, tmp_path: Path) -> None:
    """Every fact table of `db`, as incremental writes left it, holds exactly the rows a full rebuild computes."""
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copyfile(db, rebuilt)
    con = duckdb.connect(str(rebuilt))
    try:
        FULL_REBUILD(con)
        con.sql(f"attach '{db}' as kept (read_only)")
        for table in FACTS:
            for a, b in ((table, f"kept.{table}"), (f"kept.{table}", table)):
                extra = con.sql(f"select * from {a} except all select * from {b}").fetchall()
                assert extra == [], (table, a, extra[:3])
        assert con.sql("select count(*) from fct_values").fetchall()[0][0] > 0
    finally:
        con.close()
    rebuilt.unlink()


@pytest.fixture
def full_rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the writes that rebuilt every fact table instead of the rows they change."""
    calls: list[int] = []
    rebuild = store.materialize
    monkeypatch.setattr(store, "materialize", lambda con: (calls.append(1), rebuild(con)))
    return calls


def test_facts_stored_over_pinned_staging_equal_the_fact_queries_over_the_views(sample_copy: Path) -> None:
    """Facts are computed with the most-read staging views pinned as temporary tables (store.pinned_staging): the
    stored rows are exactly what each sql/facts query gives over the views themselves."""
    con = duckdb.connect(str(sample_copy))
    try:
        assert not con.sql("select 1 from duckdb_tables() where temporary").fetchall()  # nothing pinned here
        for path in store.sql_files("facts"):
            body = path.read_text(encoding="utf-8").strip().rstrip(";")
            con.sql(f"create temp table direct as\n{body}")
            for a, b in (("direct", path.stem), (path.stem, "direct")):
                extra = con.sql(f"select * from {a} except all select * from {b}").fetchall()
                assert extra == [], (path.stem, a, extra[:3])
            assert con.sql("select count(*) from direct").fetchall()[0][0] > 0, path.stem
            con.sql("drop table temp.direct")
    finally:
        con.close()


def test_pinned_staging_views_are_pinned_after_the_views_they_read_and_dropped_after() -> None:
    bodies = {
        p.stem: p.read_text(encoding="utf-8") for folder in ("staging", "checks") for p in store.sql_files(folder)
    }
    needs = store.view_dependencies(bodies)
    for place, name in enumerate(store.PINNED_STAGING):
        assert name in bodies, name
        later = set(store.PINNED_STAGING[place:])
        assert not (needs[name] & later), (name, needs[name] & later)
    con = duckdb.connect()
    store.prepare(con)
    with store.pinned_staging(con):
        pinned = con.sql("select table_name from duckdb_tables() where temporary order by 1").fetchall()
        assert [n for (n,) in pinned] == sorted(store.PINNED_STAGING)
        assert "text" not in con.sql("select * from stg_reports_current limit 0").columns  # left out of the copy
    assert not con.sql("select 1 from duckdb_tables() where temporary").fetchall()
    assert "text" in con.sql("select * from stg_reports_current limit 0").columns  # the view again


def first_finding(db: Path, report_id: str) -> str:
    """The key of one finding of a report."""
    return rows(db, "select finding_key from fct_findings where report_id = ? order by 1 limit 1", [report_id])[0][0]


def report_of(db: Path, agency: str, year: int) -> str:
    """The current report of an agency and year."""
    sql = "select report_id from stg_reports_current where agency = ? and year = ?"
    return rows(db, sql, [agency, year])[0][0]


def test_incremental_writes_keep_the_facts_a_full_rebuild_gives(
    reports_dir: Path, tmp_path: Path, db_file: Path, full_rebuilds: list[int]
):
    from loaders import identify, review

    store.ingest([reports_dir / PROSE], db_file, progress=False)  # a new database: built whole
    assert len(full_rebuilds) == 1
    steps = [
        lambda: store.ingest([reports_dir / GOV], db_file, progress=False),  # the same unit's later year
        lambda: store.ingest([reports_dir / OFFICE], db_file, progress=False),  # its office: R7 pairs them
        lambda: store.ingest(
            [edited(reports_dir, tmp_path, GOV, "行政许可\n\t65036", "行政许可\n\t65037")], db_file, progress=False
        ),  # a new version
        lambda: review.correct_figure(
            db_file, report_of(db_file, "张店区人民政府办公室", 2021), "requests.new", "total", 999, "核对原件", "甲"
        ),
        lambda: review.undo_correction(db_file, 1, "甲"),
        lambda: review.review_finding(
            db_file,
            first_finding(db_file, report_of(db_file, "张店区人民政府", 2021)),
            "甲",
            status="已说明",
            note="已核对",
        ),
        lambda: store.ingest(
            [ROOT / "tests" / "fixtures" / "unidentified" / "annual-disclosure-report.txt"], db_file, progress=False
        ),  # fmt: skip
        lambda: identify.identify(db_file, "annual-disclosure-report.txt", "张店区人民政府办公室", 2021, by="甲"),
        lambda: store.ingest([reports_dir / "shizhong-district-health-bureau-2021.txt"], db_file, progress=False),
    ]
    for step in steps:
        step()
        assert_facts_equal_a_full_rebuild(db_file, tmp_path)
    assert len(full_rebuilds) == 1  # every later write recomputed only the rows it changes


def test_incremental_writes_across_years_and_after_a_roster_keep_the_facts_of_a_full_rebuild(
    reports_dir: Path, tmp_path: Path, db_file: Path
):
    from loaders import review, roster

    names = ["013_pingtan_zone_2020.txt", "014_pingtan_zone_2021.txt", "012_pingtan_zone_2019.txt"]
    store.ingest([reports_dir / names[0]], db_file, progress=False)
    roster_file = tmp_path / "名册.csv"
    roster_file.write_text(
        "单位,上级,层级,类型,同类组\n平潭综合实验区管委会,福建省人民政府,区县级,政府,区县政府\n"
        "张店区人民政府,淄博市人民政府,区县级,政府,区县政府\n",
        encoding="utf-8",
    )
    roster.import_roster(roster_file, db_file)
    for name in names[1:]:  # R5 pairs each year's carried-over requests with the year before
        store.ingest([reports_dir / name], db_file, progress=False)
        assert_facts_equal_a_full_rebuild(db_file, tmp_path)
    agency = rows(db_file, "select agency from reports limit 1")[0][0]
    review.correct_figure(
        db_file, report_of(db_file, agency, 2020), "requests.carried_forward", "total", 12345, "核对原件", "甲"
    )
    assert_facts_equal_a_full_rebuild(db_file, tmp_path)
    store.ingest([reports_dir / GOV], db_file, progress=False)
    assert_facts_equal_a_full_rebuild(db_file, tmp_path)


def test_incremental_writes_of_a_unit_that_also_files_under_an_alias_keep_the_facts_of_a_full_rebuild(
    reports_dir: Path, tmp_path: Path, db_file: Path
):
    from loaders import roster

    alias = "平潭综合实验区管理委员会"  # how its 2020 report was filed
    store.ingest(
        [reports_dir / "013_pingtan_zone_2020.txt"], db_file, progress=False, given=lambda _: Given(alias, 2020)
    )
    store.ingest([reports_dir / "012_pingtan_zone_2019.txt"], db_file, progress=False)
    unit = rows(db_file, "select agency from reports where year = 2019")[0][0]
    roster_file = tmp_path / "名册.csv"
    roster_file.write_text(
        f"单位,上级,层级,类型,同类组\n{unit},福建省人民政府,区县级,政府,区县政府\n", encoding="utf-8"
    )
    roster.import_roster(roster_file, db_file)
    roster.add_alias(db_file, alias, unit, by="甲")
    # a report filed under the unit's own name: the scope takes in the reports filed under its alias
    store.ingest([reports_dir / "014_pingtan_zone_2021.txt"], db_file, progress=False)
    assert_facts_equal_a_full_rebuild(db_file, tmp_path)
    # a report filed under the alias: the scope takes in the unit it counts for
    store.ingest(
        [reports_dir / "011_pingtan_zone_2017.txt"], db_file, progress=False, given=lambda _: Given(alias, 2018)
    )
    assert rows(db_file, "select count(*) from stg_reports_current where agency = ?", [unit]) == [(4,)]
    assert_facts_equal_a_full_rebuild(db_file, tmp_path)


def with_line(reports_dir: Path, tmp_path: Path, name: str, line: str, target: str) -> Path:
    """A copy of a fixture report with one line added at its end."""
    text = (reports_dir / name).read_text(encoding="utf-8")
    (tmp_path / target).write_text(f"{text}\n{line}\n", encoding="utf-8")
    return tmp_path / target


def test_incremental_writes_along_a_chain_of_parents_keep_the_facts_of_a_full_rebuild(
    reports_dir: Path, tmp_path: Path, db_file: Path
):
    # 张店区人民政府办公室 -> 张店区人民政府 (by name) -> 淄博市人民政府 (as its report states) -> a province
    city, other = "shizhong-district-health-bureau-2021.txt", "淄博市人民政府"
    gov = with_line(reports_dir, tmp_path, GOV, "张店区人民政府隶属于淄博市人民政府。", "gov.txt")
    store.ingest([reports_dir / OFFICE, gov], db_file, progress=False)
    ancestors = "select ancestors from fct_reports where agency = '张店区人民政府办公室'"
    for province in ("山东省人民政府", "江苏省人民政府"):  # the city's report, then a new version of it
        stated = with_line(reports_dir, tmp_path, city, f"淄博市人民政府隶属于{province}。", f"{province}.txt")
        store.ingest([stated], db_file, progress=False, given=lambda _: Given(other, 2021))
        assert rows(db_file, ancestors) == [(sorted(["张店区人民政府", other, province]),)]  # two levels below
        assert_facts_equal_a_full_rebuild(db_file, tmp_path)


# A write that stops at one moment (the module and function it pauses before), says so and waits to be killed.
_PAUSED_WRITE = """
import sys
from pathlib import Path
from loaders import review, similarity, store

module = {"store": store, "similarity": similarity}[sys.argv[2]]
name = sys.argv[3]
original = getattr(module, name)

def pause(*args, **kwargs):
    print("paused", flush=True)
    sys.stdin.readline()
    return original(*args, **kwargs)

setattr(module, name, pause)
db = Path(sys.argv[1])
if sys.argv[4] == "correction":
    review.correct_figure(db, sys.argv[5], "requests.new", "total", 4321, "核对原件", "甲")
else:
    store.ingest([Path(sys.argv[5])], db, progress=False)
"""


@pytest.mark.parametrize(
    ("write", "module", "moment"),
    [
        ("upload", "similarity", "_compare_pairs"),  # 雷同: its sketches and pairs stored, the rows not yet
        ("upload", "store", "_renumber_report_order"),  # during the fact update: its rows in, places not yet moved
        ("correction", "store", "_renumber_report_order"),
        ("upload", "store", "_fsync"),  # the new file written, not yet swapped in
    ],
)
def test_killing_an_incremental_write_at_any_moment_leaves_the_old_state(
    reports_dir: Path, tmp_path: Path, db_file: Path, write: str, module: str, moment: str
):
    store.ingest([reports_dir / GOV, reports_dir / PROSE], db_file, progress=False)
    tables = ["reports", "figure_corrections", "section_similarity", "audit_log", *FACTS]
    before = {t: rows(db_file, f"select * exclude (passages) from {t} order by all" if t == "section_similarity"
                      else f"select count(*), sum(hash(columns(*)::varchar)) from {t}") for t in tables}  # fmt: skip
    target = report_of(db_file, "张店区人民政府", 2021) if write == "correction" else str(reports_dir / OFFICE)
    args = [sys.executable, "-c", _PAUSED_WRITE, str(db_file), module, moment, write, target]
    proc = subprocess.Popen(args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "paused"
        proc.kill()
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -9
    after = {t: rows(db_file, f"select * exclude (passages) from {t} order by all" if t == "section_similarity"
                     else f"select count(*), sum(hash(columns(*)::varchar)) from {t}") for t in tables}  # fmt: skip
    assert after == before  # the database opens and holds the old state, every table of it
    # the next write clears the killed one's work copy and lands; the facts are still a full rebuild's
    store.ingest([reports_dir / OFFICE], db_file, progress=False)
    assert rows(db_file, "select count(*) from stg_reports_current") == [(3,)]
    assert_facts_equal_a_full_rebuild(db_file, tmp_path)


def test_a_write_keeps_the_views_while_sql_is_unchanged_and_recreates_an_edited_one(
    reports_dir: Path, tmp_path: Path, db_file: Path, monkeypatch: pytest.MonkeyPatch
):
    sql = shutil.copytree(config.SQL_DIR, tmp_path / "sql")
    monkeypatch.setattr(config, "SQL_DIR", sql)
    monkeypatch.setattr(store, "schema_fingerprint", store.schema_fingerprint.__wrapped__)  # this sql/, uncached
    created: list[str] = []
    create = store.create_views
    monkeypatch.setattr(store, "create_views", lambda con: (created.append("views"), create(con)))
    store.ingest([reports_dir / GOV], db_file, progress=False)
    created.clear()  # the new database's views: created now, or copied from this process's empty database
    store.ingest([reports_dir / OFFICE], db_file, progress=False)
    assert created == []  # the second write found the views of this sql/ and kept them
    crosswalk = "select count(*) from stg_crosswalk"
    (count,) = rows(db_file, crosswalk)[0]
    view = sql / "staging" / "stg_crosswalk.sql"
    view.write_text(f"select * from (\n{view.read_text(encoding='utf-8')}\n) limit 1\n", encoding="utf-8")
    store.ingest([reports_dir / PROSE], db_file, progress=False)
    assert created == ["views"]  # the edited file was picked up
    assert count > 1 and rows(db_file, crosswalk) == [(1,)]
    assert_facts_equal_a_full_rebuild(db_file, tmp_path)


def test_a_new_database_starts_from_a_copy_of_this_sql_s_empty_database(
    reports_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    sql = shutil.copytree(config.SQL_DIR, tmp_path / "sql")
    monkeypatch.setattr(config, "SQL_DIR", sql)
    monkeypatch.setattr(store, "schema_fingerprint", store.schema_fingerprint.__wrapped__)  # this sql/, uncached
    monkeypatch.setattr(store, "_empty_databases", {})
    created: list[str] = []
    create = store.create_views
    monkeypatch.setattr(store, "create_views", lambda con: (created.append("views"), create(con)))
    first, second = tmp_path / "a" / "reports.duckdb", tmp_path / "b" / "reports.duckdb"
    store.ingest([reports_dir / GOV], first, progress=False)
    store.ingest([reports_dir / GOV], second, progress=False)
    assert created == ["views"]  # once, for the empty database both were copied from
    schema = (
        "select 'view', view_name, sql from duckdb_views() where not internal union all"
        " select 'table', table_name, sql from duckdb_tables() union all"
        " select 'macro', function_name, macro_definition from duckdb_functions() where function_type = 'macro'"
        " and not internal order by all"
    )
    direct = tmp_path / "direct.duckdb"
    con = store.connect(direct)
    try:
        store.prepare(con)
        store.materialize(con)
    finally:
        con.close()
    assert rows(first, schema) == rows(direct, schema)  # the views, tables and facts prepare() and a rebuild make
    dictionary = "select * from metric_defs order by all"
    assert rows(first, dictionary) == rows(direct, dictionary)
    assert_facts_equal_a_full_rebuild(first, tmp_path)  # stored whole by the first write, as in a database built anew
    # an edited sql/ file makes a new empty database for the next new database
    view = sql / "staging" / "stg_crosswalk.sql"
    view.write_text(f"select * from (\n{view.read_text(encoding='utf-8')}\n) limit 1\n", encoding="utf-8")
    third = tmp_path / "c" / "reports.duckdb"
    created.clear()
    store.ingest([reports_dir / GOV], third, progress=False)
    assert created == ["views"]
    assert rows(third, "select count(*) from stg_crosswalk") == [(1,)]
    assert rows(third, "select fingerprint from schema_info") == [(store.schema_fingerprint(),)]


def test_an_upload_stores_its_facts_in_place_and_only_a_new_agency_moves_the_others(
    reports_dir: Path, tmp_path: Path, db_file: Path, monkeypatch: pytest.MonkeyPatch
):
    moved: list[int] = []
    renumber = store._renumber_report_order
    out_of_place = (
        "select count(*) from stg_report_agencies as s join fct_reports as f using (report_id)"
        " where f.report_order <> s.report_order"
    )

    def counted(con: duckdb.DuckDBPyConnection, agencies: list[str], stored: list[str]) -> None:
        moved.append(con.sql(out_of_place).fetchall()[0][0])  # the rows the renumbering has to move
        renumber(con, agencies, stored)

    monkeypatch.setattr(store, "_renumber_report_order", counted)
    store.ingest([reports_dir / GOV, reports_dir / "015_pingtan_zone_2022.txt"], db_file, progress=False)
    moved.clear()
    store.ingest([reports_dir / PROSE], db_file, progress=False)  # 张店区人民政府 again, another year
    assert moved == [0]  # its rows went in with the number a full rebuild gives them
    store.ingest([reports_dir / "shizhong-district-health-bureau-2021.txt"], db_file, progress=False)
    assert moved[-1] == 3  # a new agency first in name order: every report after it moved one place
    assert_facts_equal_a_full_rebuild(db_file, tmp_path)


def test_the_fingerprint_covers_what_the_database_holds_and_not_the_page_queries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    sql = shutil.copytree(config.SQL_DIR, tmp_path / "sql")
    monkeypatch.setattr(config, "SQL_DIR", sql)
    fingerprint = store.schema_fingerprint.__wrapped__  # this sql/, uncached
    before = fingerprint()
    page_query = sql / "marts" / "overview" / "overview_by_year.sql"
    page_query.write_text(page_query.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
    assert fingerprint() == before  # a page query is read from its file at each run: no rebuild of the facts
    for folder in ("tables", "macros", "staging", "checks", "facts"):
        stored = sorted((sql / folder).glob("*.sql"))[0]
        stored.write_text(stored.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
        assert fingerprint() != before, folder
        before = fingerprint()


# --- the write memory budget ----------------------------------------------------------------------------------------

_UNSPILLABLE = "create or replace table big as select list(range) as all_numbers from range(3000000)"


def test_a_write_keeps_its_memory_budget_and_a_statement_that_cannot_fit_runs_without_it(tmp_path, monkeypatch):
    monkeypatch.setenv(config.WRITE_MEMORY_ENV_VAR, "16MB")
    con = store.connect(tmp_path / "budget.duckdb")
    try:
        assert con.sql("select current_setting('memory_limit')").fetchall() == [("15.2 MiB",)]
        with pytest.raises(duckdb.OutOfMemoryException):
            con.sql(_UNSPILLABLE)  # one list of three million numbers: no operator can spill it
        memory.run_sized(con, _UNSPILLABLE, "16MB")
        assert con.sql("select current_setting('memory_limit')").fetchall() == [("15.2 MiB",)]
        con.sql("reset memory_limit")  # reading the list back needs more than the budget too
        assert con.sql("select len(all_numbers) from big").fetchall() == [(3_000_000,)]
    finally:
        con.close()
    reader = store.connect(tmp_path / "budget.duckdb", read_only=True)
    try:  # reading is not a write: DuckDB's own default
        assert reader.sql("select current_setting('memory_limit')").fetchall() != [("15.2 MiB",)]
    finally:
        reader.close()


@pytest.mark.parametrize(("value", "expected"), [("", "600MB"), ("512MB", "512MB"), ("2 GiB", "2 GiB"), ("none", None)])
def test_the_write_memory_budget_is_read_from_the_environment(value, expected, monkeypatch):
    monkeypatch.setenv(config.WRITE_MEMORY_ENV_VAR, value)
    assert config.write_memory() == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("", "300MB"), ("200MB", "200MB"), ("2 GiB", "300MB"), ("286MiB", "286MiB"), ("none", None)]
)
def test_a_write_in_place_works_within_the_smaller_of_its_own_budget_and_the_write_budget(value, expected, monkeypatch):
    monkeypatch.setenv(config.WRITE_MEMORY_ENV_VAR, value)
    assert config.update_memory() == expected


def test_a_full_rebuild_runs_within_the_write_budget_and_similarity_and_a_write_in_place_within_their_own(
    reports_dir: Path, db_file: Path, monkeypatch: pytest.MonkeyPatch
):
    budgets: list[tuple[str, str]] = []
    run = store.run_sized

    def noted(con, statement, budget, params=None):
        budgets.append((statement.split()[0], current_budget(con)))
        run(con, statement, budget, params)

    monkeypatch.setattr(store, "run_sized", noted)
    compute = similarity._compute
    monkeypatch.setattr(
        similarity, "_compute", lambda con, *args: budgets.append(("雷同", current_budget(con))) or compute(con, *args)
    )
    store.ingest([reports_dir / "014_pingtan_zone_2021.txt"], db_file, progress=False)  # a new database: whole
    assert {step for step, _ in budgets} == {"雷同", "create"}
    assert all(in_force == ("286.1 MiB" if step == "雷同" else "572.2 MiB") for step, in_force in budgets)  # as printed
    budgets.clear()
    store.ingest([reports_dir / "015_pingtan_zone_2022.txt"], db_file, progress=False)  # an upload: in place
    assert {step for step, _ in budgets} == {"雷同", "insert"}  # every fact table's rows in place
    assert all(in_force == "286.1 MiB" for _, in_force in budgets)  # 300MB


def current_budget(con: duckdb.DuckDBPyConnection) -> str:
    """The connection's memory_limit as DuckDB prints it."""
    return con.sql("select current_setting('memory_limit')").fetchall()[0][0]


def test_a_write_memory_budget_that_is_no_size_is_refused_in_both_languages(monkeypatch):
    monkeypatch.setenv(config.WRITE_MEMORY_ENV_VAR, "1GB'; drop table reports; --")
    with pytest.raises(ValueError, match="不是内存大小.*is not a memory size"):
        config.write_memory()


def test_the_command_line_says_a_wrong_write_memory_budget_before_running_anything(tmp_path, monkeypatch, capsys):
    from loaders import cli

    monkeypatch.setenv(config.WRITE_MEMORY_ENV_VAR, "lots")
    report = ROOT / "sample_data" / "014_pingtan_zone_2021.txt"
    assert cli.main(["ingest", str(report), "--db", str(tmp_path / "db.duckdb")]) == 2
    assert "不是内存大小" in capsys.readouterr().err and not (tmp_path / "db.duckdb").exists()
