"""The batch parse to Parquet: local processes and Ray write the same tables, load-parquet stores what ingest stores,
re-runs add nothing and a killed run resumes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest

from loaders import batch, store
from loaders.formats.collection import write_template
from loaders.model import ReportError
from loaders.parse import parse_file
from tests import formats_render as fr
from tests.test_collection import FILLED_FROM, fill

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
REPORTS = FIXTURES / "reports"
SAMPLE = ROOT / "sample_data"
EDITED = "zhangdian-district-gov-2021.txt"  # its second version is in the mixed folder


def _edited(text: str) -> str:
    """A report's text with one sentence added to its first paragraph: another version of the same report."""
    return text.replace("。", "。本报告为更正后的版本。", 1)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of reports in several formats and of files that are not reports, some in a subfolder."""
    folder = tmp_path_factory.mktemp("mixed") / "in"
    (folder / "sub").mkdir(parents=True)
    for name in ("zhangdian-district-gov-office-2021.txt", "014_pingtan_zone_2021.txt", "hongze_district_gov_2023.pdf"):
        shutil.copy(REPORTS / name, folder / name)
    shutil.copy(REPORTS / "014_pingtan_zone_2021.txt", folder / "sub" / "copy-of-pingtan.txt")  # same bytes again
    edited = _edited((REPORTS / EDITED).read_text(encoding="utf-8"))
    (folder / "sub" / EDITED).write_text(edited, encoding="utf-8")
    shutil.copy(FIXTURES / "unidentified" / "annual-disclosure-report.txt", folder / "sub" / "report.txt")
    docx = fr.render_docx(fr.original("shizhong-district-health-bureau-2021.txt"))
    (folder / "shizhong.docx").write_bytes(docx)
    template = folder.parent / "template.xlsx"
    write_template(template)
    (folder / "汇总.xlsx").write_bytes(fill(template, [parse_file(REPORTS / f"{n}.txt") for n in FILLED_FROM]))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "undecodable.txt").write_bytes(b"\x80\xff" * 300)
    (folder / "old.doc").write_bytes(fr.ole_file("WordDocument"))
    (folder / "sub" / "cut.docx").write_bytes(docx[: len(docx) // 2])
    (folder / "README.md").write_text("说明", encoding="utf-8")  # skipped, as ingest skips it
    return folder


def _files(*paths: Path) -> list[str]:
    """The input files of these folders, as the command line collects them."""
    files, _ = batch.input_files([str(p) for p in paths])
    return files


def _run(folder: Path, out: Path, workers: int = 2, batch_size: int = 3) -> batch.Counts:
    """The local runner over one folder."""
    return batch.run_local(_files(folder), out, workers, batch_size, quiet=True)


@pytest.fixture(scope="module")
def mixed_out(mixed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The local runner's output for the mixed folder (read-only: copy it before changing it)."""
    out = tmp_path_factory.mktemp("mixed-out") / "out"
    _run(mixed, out)
    return out


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The local runner's output for sample_data/."""
    out = tmp_path_factory.mktemp("sample-out") / "out"
    _run(SAMPLE, out, batch_size=8)
    return out


def _tables(out: Path) -> dict[str, pl.DataFrame]:
    """Every table of an output, each in its fixed order."""
    return {table: batch.read_table(out, table) for table in batch.TABLES}


def _assert_same_tables(left: Path, right: Path) -> None:
    """Two outputs hold the same rows in every table."""
    a, b = _tables(left), _tables(right)
    for table in batch.TABLES:
        assert a[table].height == b[table].height, table
        assert a[table].equals(b[table]), f"{table} differs"


@pytest.fixture(scope="module")
def ray_session():
    """One Ray on this machine for the module's Ray test, with two CPUs at most."""
    import ray

    ray.init(
        num_cpus=2, include_dashboard=False, log_to_driver=False, runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}}
    )
    yield ray
    ray.shutdown()


# --- what the runners write -----------------------------------------------------------------------------------------


def test_local_and_ray_write_the_same_tables(ray_session, mixed, mixed_out, tmp_path):
    """The mixed folder: every format, a workbook of several reports, a copy, a second version and files refused,
    over three batches (the 23 plain-text sample reports would add volume, not another kind of input)."""
    from loaders.batch_ray import run_ray

    out = tmp_path / "out"
    counts = run_ray(_files(mixed), out, "local", batch_size=4, quiet=True)
    assert counts.files == len(_files(mixed)) and counts.skipped == 0
    _assert_same_tables(mixed_out, out)
    assert batch.read_table(out, "reports").height > 0


def test_every_file_is_parsed_or_failed_with_the_reason_ingest_gives(mixed, mixed_out, tmp_path):
    files = _tables(mixed_out)["files"]
    assert sorted(files["source_path"]) == sorted(_files(mixed))
    assert "README.md" not in {Path(p).name for p in files["source_path"]}
    failed = {Path(p).name for p in files.filter(pl.col("status") == "failed")["source_path"]}
    assert failed == {"empty.txt", "undecodable.txt", "old.doc", "cut.docx"}
    summary = store.ingest([mixed], tmp_path / "db.duckdb", progress=False)
    expected = {(str(Path(file).resolve()), message) for file, message in summary.failures}
    failures = batch.read_table(mixed_out, "failures")
    assert set(zip(failures["source_path"], failures["message"], strict=True)) == expected
    for row in failures.iter_rows(named=True):
        assert row["message"].endswith(f"{row['reason_zh']} / {row['reason_en']}")
        assert row["reason_zh"] and row["reason_en"] and row["reason_zh"] != row["reason_en"]
    assert failures.filter(pl.col("file_hash").is_null()).is_empty()  # every bad file was read, then refused


def test_figures_keep_raw_text_and_location(mixed_out):
    tables = _tables(mixed_out)
    reports = tables["reports"]
    pdf = reports.filter(pl.col("source") == "hongze_district_gov_2023.pdf")
    assert pdf.height == 1 and pdf["source_format"][0] == "pdf"
    figures = tables["figures"].filter(pl.col("report_id") == pdf["report_id"][0])
    assert figures.height > 50
    assert figures.filter(pl.col("location").is_null() | pl.col("raw").is_null()).is_empty()
    assert all(loc.startswith("第") and "页" in loc for loc in figures["location"])
    workbook = reports.filter(pl.col("source").str.starts_with("汇总.xlsx"))
    assert sorted(workbook["position"]) == [0, 1]


# --- load-parquet ---------------------------------------------------------------------------------------------------

_COMPARED = {
    "reports": "select * exclude (ingested_at) from reports",
    "figures": "select * from figures",
    "mentions": "select * from mentions",
    "parse_findings": "select * from parse_findings",
    "findings": "select * from findings",
    "fct_reports": "select * from fct_reports",
    "fct_values": "select * from fct_values",
}


def _db_rows(db: Path) -> dict[str, list[tuple]]:
    """Every compared table of a database, rows sorted."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: sorted(con.sql(sql).fetchall(), key=repr) for name, sql in _COMPARED.items()}
    finally:
        con.close()


def _assert_same_database(left: Path, right: Path) -> None:
    """Two databases hold the same reports, figures, mentions, findings and facts."""
    a, b = _db_rows(left), _db_rows(right)
    for name in _COMPARED:
        assert len(a[name]) == len(b[name]), name
        assert a[name] == b[name], f"{name} differs"


@pytest.mark.parametrize("which", ["mixed", "sample"])
def test_load_parquet_stores_what_ingest_stores(which, mixed, mixed_out, sample_out, tmp_path):
    folder, out = (mixed, mixed_out) if which == "mixed" else (SAMPLE, sample_out)
    ingested = store.ingest([folder], tmp_path / "ingest.duckdb", progress=False)
    loaded = batch.load_parquet(out, tmp_path / "load.duckdb")
    _assert_same_database(tmp_path / "ingest.duckdb", tmp_path / "load.duckdb")
    for field in ("added", "replaced", "unchanged", "unidentified", "figures", "findings"):
        assert getattr(loaded, field) == getattr(ingested, field), field
    assert sorted(loaded.failures) == sorted((str(Path(f).resolve()), m) for f, m in ingested.failures)
    if which == "mixed":  # the workbook's two rows follow the docx and the edited text as versions 2; one copy
        assert (ingested.added, ingested.replaced, ingested.unchanged, ingested.unidentified) == (6, 2, 1, 1)


def test_load_parquet_into_an_existing_database_is_incremental(mixed, mixed_out, tmp_path):
    first = [REPORTS / EDITED, REPORTS / "014_pingtan_zone_2021.txt"]
    for db in ("ingest.duckdb", "load.duckdb"):
        store.ingest(first, tmp_path / db, progress=False)
    ingested = store.ingest([mixed], tmp_path / "ingest.duckdb", progress=False)
    summary = batch.load_parquet(mixed_out, tmp_path / "load.duckdb")
    _assert_same_database(tmp_path / "ingest.duckdb", tmp_path / "load.duckdb")
    assert (summary.added, summary.replaced, summary.unchanged) == (
        ingested.added,
        ingested.replaced,
        ingested.unchanged,
    )
    assert (
        summary.replaced >= 1 and summary.unchanged == 2
    )  # the edited report is a new version; Pingtan twice as before
    again = batch.load_parquet(mixed_out, tmp_path / "load.duckdb")
    assert (again.added, again.replaced) == (0, 0)
    _assert_same_database(tmp_path / "ingest.duckdb", tmp_path / "load.duckdb")


# --- ingest on every core -------------------------------------------------------------------------------------------

_AUDITED = "select account, role, action, target, before, after from audit_log order by audit_id"


def _audit_rows(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(_AUDITED).fetchall()
    finally:
        con.close()


@pytest.fixture
def parallel_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Ingests of two files or more use the workers (the threshold lowered for small folders); the number of
    files of each such ingest is recorded."""
    calls: list[int] = []
    real = batch.ingest_on_workers

    def spy(files, *args, **kwargs):
        calls.append(len(files))
        return real(files, *args, **kwargs)

    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)
    monkeypatch.setattr(batch, "ingest_on_workers", spy)
    return calls


@pytest.mark.parametrize("existing", [False, True], ids=["new database", "into stored reports"])
def test_ingest_on_workers_stores_what_ingest_on_one_core_stores(existing, mixed, parallel_calls, tmp_path):
    if existing:  # an earlier version of the edited report, and a report the folder holds again
        for db in ("one.duckdb", "two.duckdb"):
            store.ingest([REPORTS / EDITED, REPORTS / "014_pingtan_zone_2021.txt"], tmp_path / db, progress=False)
    one = store.ingest([mixed], tmp_path / "one.duckdb", progress=False, by="审核员甲")
    two = batch.ingest([mixed], tmp_path / "two.duckdb", progress=False, by="审核员甲", workers=2)
    assert parallel_calls == [len(store.collect([mixed])[0])]
    _assert_same_database(tmp_path / "one.duckdb", tmp_path / "two.duckdb")
    assert _audit_rows(tmp_path / "one.duckdb") == _audit_rows(tmp_path / "two.duckdb")
    for field in ("added", "replaced", "unchanged", "unidentified", "figures", "findings", "report_ids", "skipped"):
        assert getattr(two, field) == getattr(one, field), field
    assert sorted(two.failures) == sorted(one.failures) and len(one.failures) == 4
    assert (two.added, two.replaced) != (0, 0)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".duckdb")) == [
        ".one.duckdb.lock",
        ".two.duckdb.lock",
    ]  # the parsed Parquet folder is gone


def test_ingest_on_workers_removes_what_a_killed_one_left_and_leaves_a_live_one(parallel_calls, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("014_pingtan_zone_2021.txt", "zhangdian-district-gov-office-2021.txt"):
        shutil.copy(REPORTS / name, folder / name)
    killed, live = tmp_path / ".db.duckdb.parsed-killed", tmp_path / ".db.duckdb.parsed-live"
    for out in (killed, live):
        (out / "parts").mkdir(parents=True)
        (out / ".lock").touch()
    with batch.output_lock(live):
        batch.ingest([folder], tmp_path / "db.duckdb", progress=False, workers=2)
    assert parallel_calls == [2] and live.exists() and not killed.exists()


def test_ingest_keeps_one_core_when_agency_and_year_are_given_or_the_account_is_limited(parallel_calls, tmp_path):
    from loaders.accounts import FILER, Account
    from loaders.model import Given

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("014_pingtan_zone_2021.txt", "zhangdian-district-gov-office-2021.txt"):
        shutil.copy(REPORTS / name, folder / name)
    given = batch.ingest([folder], tmp_path / "given.duckdb", False, lambda _: Given("某县人民政府", 2020), workers=2)
    limited = Account("填报员", FILER, ("平潭综合实验区管委会",))
    scoped = batch.ingest([folder], tmp_path / "limited.duckdb", progress=False, by=limited, workers=2)
    assert parallel_calls == [] and (given.added, given.replaced) == (1, 1)  # both given as one unit's year
    refused = [Path(f).name for f, _ in scoped.failures]
    assert scoped.added == 1 and refused == ["zhangdian-district-gov-office-2021.txt"]
    batch.ingest([folder], tmp_path / "anyone.duckdb", progress=False, workers=2)
    batch.ingest([folder], tmp_path / "one worker.duckdb", progress=False, workers=1)  # bounded memory on one core too
    assert parallel_calls == [2, 2]


def test_load_parquet_of_a_folder_without_batches_says_so(tmp_path):
    code, _, err = _cli("load-parquet", str(tmp_path), "--db", str(tmp_path / "db.duckdb"))
    assert code == 1 and "没有批量解析结果" in err and "no batch output" in err
    assert not (tmp_path / "db.duckdb").exists()


# --- re-runs and resuming -------------------------------------------------------------------------------------------


def _listing(out: Path) -> dict[str, float]:
    """Every file of an output with its modification time."""
    return {str(p.relative_to(out)): p.stat().st_mtime for p in out.rglob("*") if p.is_file()}


def test_a_rerun_writes_nothing_new(mixed, mixed_out, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(mixed_out, out)
    before = _listing(out)
    counts = _run(mixed, out, workers=1, batch_size=5)
    assert (counts.parsed, counts.failed, counts.skipped) == (0, 0, len(_files(mixed)))
    assert _listing(out) == before


def test_a_lost_batch_is_parsed_again_and_nothing_else(mixed, mixed_out, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(mixed_out, out)
    parts = sorted((out / batch.PARTS_DIR).iterdir())
    lost = parts[-1]
    lost_files = pl.read_parquet(lost / "files.parquet").height
    shutil.rmtree(lost)
    (out / batch.TMP_DIR / "unfinished").mkdir(parents=True)  # what a killed run leaves behind
    (out / batch.TMP_DIR / "unfinished" / "reports.parquet").write_bytes(b"PAR1")
    counts = _run(mixed, out, workers=1, batch_size=5)
    assert counts.parsed + counts.failed == lost_files
    assert counts.skipped == len(_files(mixed)) - lost_files
    assert not (out / batch.TMP_DIR).exists() or not any((out / batch.TMP_DIR).iterdir())
    _assert_same_tables(mixed_out, out)


def test_a_killed_run_resumes_and_completes(mixed, mixed_out, tmp_path):
    out = tmp_path / "out"
    command = ["batch", str(mixed), "--out", str(out), "--workers", "1", "--batch-size", "1", "--quiet"]
    process = subprocess.Popen(
        [sys.executable, "-m", "loaders", *command], cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 300
        while not any((out / batch.PARTS_DIR).glob("*/files.parquet")) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert process.poll() is None, "the run ended before it could be killed"
        os.killpg(process.pid, signal.SIGKILL)  # the run and its worker processes, mid-way
    finally:
        process.wait()
    written = batch.batch_count(out)
    assert 0 < written < len(_files(mixed))
    code, _, _ = _cli(*command)
    assert code == 1  # the bad files fail, as in any run
    _assert_same_tables(mixed_out, out)
    assert not any((out / batch.TMP_DIR).glob("*"))


def test_a_second_run_into_the_same_folder_is_refused(tmp_path):
    files = [str(REPORTS / EDITED)]
    with batch.output_lock(tmp_path / "out"), pytest.raises(ReportError) as refused:
        batch.run_local(files, tmp_path / "out", 1, 4, quiet=True)
    assert "另一个批量任务正在写入" in str(refused.value) and "another batch run" in str(refused.value)
    assert not (tmp_path / "out" / batch.PARTS_DIR).exists()
    assert batch.run_local(files, tmp_path / "out", 1, 4, quiet=True).parsed == 1  # the lock went with its holder


# --- the command line -----------------------------------------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str, str]:
    """Run `python -m loaders` with these arguments: exit code, stdout, stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "loaders", *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8"
    )
    return done.returncode, done.stdout, done.stderr


def test_a_list_file_names_the_inputs(tmp_path):
    listing = tmp_path / "files.txt"
    listing.write_text(f"# 平潭\n{REPORTS / '014_pingtan_zone_2021.txt'}\n\n{REPORTS / 'no-such-file.txt'}\n")
    code, stdout, _ = _cli("batch", "--list", str(listing), "--out", str(tmp_path / "out"), "--workers", "1")
    assert code == 1
    assert "解析 parsed 1, 失败 failed 1" in stdout and "文件不存在 / file not found" in stdout
    files = batch.read_table(tmp_path / "out", "files")
    assert sorted(Path(p).name for p in files["source_path"]) == ["014_pingtan_zone_2021.txt", "no-such-file.txt"]


def test_the_local_runner_refuses_uris(tmp_path):
    code, _, err = _cli("batch", "s3://bucket/report.pdf", "--out", str(tmp_path / "out"))
    assert code == 2 and "--ray" in err and "本机运行只能读取本地文件" in err and "local files only" in err


def test_without_ray_the_ray_option_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    from loaders import cli

    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError, as when it is not installed
    code = cli.main(["batch", str(REPORTS / EDITED), "--out", str(tmp_path / "out"), "--ray", "auto", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "未安装 Ray" in err and "Ray is not installed" in err and "requirements-ray.txt" in err


def test_ray_is_pinned_in_the_lock_and_named_in_the_readme():
    pins = [line for line in (ROOT / "requirements-ray.txt").read_text().splitlines() if line and line[0] != "#"]
    assert pins == ["ray[data]==2.60.0"]
    assert "ray==2.60.0" in (ROOT / "requirements.lock").read_text().splitlines()
    assert "| ray |" in (ROOT / "README.md").read_text(encoding="utf-8").lower()


def test_the_benchmark_generates_its_folder_and_times_both_local_runs(tmp_path, capsys):
    from bench import batch as bench

    assert bench.main(["--files", "12", "--pdf-share", "0.1", "--dir", str(tmp_path), "--no-ray"]) == 0
    out = capsys.readouterr().out
    names = [p.name for p in (tmp_path / "corpus").iterdir() if not p.name.startswith(".")]
    assert len(names) == 12 and all(n.startswith("synthetic-") for n in names)
    assert {Path(n).suffix for n in names} == {".txt", ".docx", ".pdf"}
    lines = {line.split("  ")[0]: line.split() for line in out.splitlines()}
    one, two = lines["local, 1 worker(s)"], lines["local, 2 worker(s)"]
    assert one[-2:] == ["0", two[-1]] and two[-2] == "0"  # no failure, and both wrote the same tables
    assert "scaling 1 -> 2 workers" in out and "CPU per file" in out


def test_the_bulk_benchmark_ingests_its_folder_on_one_core_and_on_two_with_the_same_facts(tmp_path, capsys):
    from bench import bulk

    files = batch.PARALLEL_FROM + 6  # enough for the workers
    assert bulk.main(["--files", str(files), "--dir", str(tmp_path), "--workers", "1", "2"]) == 0
    out = capsys.readouterr().out.replace("  over target", "")  # the memory flag, which depends on the machine
    rows = [line.split() for line in out.splitlines() if line.startswith("this code")]
    assert [row[3] for row in rows] == ["1", "2"]
    assert {row[-3] for row in rows} == {str(files)}  # every generated report stored, a distinct unit-year each
    assert len({row[-1] for row in rows}) == 1  # the same facts
    assert not (tmp_path / "bulk.duckdb").exists()


def test_workers_start_when_the_main_script_is_the_dashboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A spawned worker re-reads its parent's main script: after the dashboard ran in this process (AppTest runs it
    as __main__), that script is dashboard.py, which must then run nothing."""
    import types

    main = types.ModuleType("__main__")
    main.__file__ = str(Path(__file__).resolve().parent.parent / "dashboard.py")
    main.__spec__ = None
    monkeypatch.setitem(sys.modules, "__main__", main)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "reports" / "zhangdian-district-gov-2021.txt", folder)
    counts = _run(folder, tmp_path / "out", workers=1)
    assert (counts.parsed, counts.failed) == (1, 0)
