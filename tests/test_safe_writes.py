"""Bad input and interrupted writes: stale write-ahead logs, devices and pipes, leftovers of killed writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from loaders import store
from tests.dbutil import rows

ROOT = Path(__file__).resolve().parent.parent
GOV = "zhangdian-district-gov-2021.txt"
OFFICE = "zhangdian-district-gov-office-2021.txt"

# Opens the database read-write, writes a row without a checkpoint, says so and waits to be killed.
_DIRTY_WRITER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
con.sql("set wal_autocheckpoint = '1GB'")
con.sql("create table scratch (n integer)")
con.sql("insert into scratch values (7)")
print("written", flush=True)
sys.stdin.readline()
"""


def kill_a_dirty_writer(db: Path) -> None:
    """Leave a real stale write-ahead log beside `db`: a read-write process writes, then is killed with -9."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _DIRTY_WRITER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "written"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -9


def test_a_stale_write_ahead_log_is_replayed_not_left_beside_the_new_file(reports_dir: Path, db_file: Path):
    store.ingest([reports_dir / GOV], db_file, progress=False)
    kill_a_dirty_writer(db_file)
    wal = db_file.with_name(db_file.name + ".wal")
    assert wal.exists() and wal.stat().st_size > 0
    summary = store.ingest([reports_dir / OFFICE], db_file, progress=False)
    assert summary.added == 1 and not summary.failures
    assert not wal.exists()
    assert rows(db_file, "select count(*) from reports") == [(2,)]
    assert rows(db_file, "select n from scratch") == [(7,)]  # the killed writer's committed row was kept
    con = duckdb.connect(str(db_file))  # and a read-write open works too
    con.close()


def test_a_write_ahead_log_still_in_use_is_refused_and_the_database_kept(reports_dir: Path, db_file: Path):
    store.ingest([reports_dir / GOV], db_file, progress=False)
    before = db_file.read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-c", _DIRTY_WRITER, str(db_file)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "written"
        with pytest.raises(store.WriteRefused, match="其他程序以读写方式打开.*another program"):
            store.ingest([reports_dir / OFFICE], db_file, progress=False)
    finally:
        proc.kill()
        proc.wait()
    assert db_file.read_bytes() == before
    assert store.ingest([reports_dir / OFFICE], db_file, progress=False).added == 1  # its owner is gone now
    assert rows(db_file, "select count(*) from reports") == [(2,)]


def test_a_named_pipe_on_the_command_line_is_refused_without_blocking(reports_dir: Path, tmp_path: Path, db_file: Path):
    pipe = tmp_path / "report.txt"
    os.mkfifo(pipe)
    result = subprocess.run(
        [sys.executable, "-m", "loaders", "ingest", "--quiet", "--db", str(db_file), str(pipe), str(reports_dir / GOV)],
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        timeout=120,  # a guard against hanging on the pipe
        check=False,
    )
    assert result.returncode == 1
    assert "新增 added 1" in result.stdout
    line = next(line for line in result.stdout.splitlines() if str(pipe) in line)
    assert "report.txt" in line and "命名管道" in line and "named pipe" in line


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_unread_in_every_reader(device: str, db_file: Path):
    from loaders import parse, roster, textio, workplan
    from loaders.model import ReportError

    name = Path(device).name
    calls = [
        lambda: parse.parse_reports(device),
        lambda: parse.parse_file(device),
        lambda: textio.read_source(device),
        lambda: roster.read_roster_file(device),
        lambda: workplan.import_workplan(device, db_file),
    ]
    for call in calls:
        with pytest.raises(ReportError) as caught:
            call()
        assert caught.value.source == name
        assert "设备文件" in str(caught.value) and "a device" in str(caught.value) and name in str(caught.value)
    summary = store.ingest([Path(device)], db_file, progress=False)
    assert summary.failures == [(device, summary.failures[0][1])] and "设备文件" in summary.failures[0][1]


def test_a_file_that_grows_past_the_limit_is_cut_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from loaders import parse
    from loaders.model import ReportError

    monkeypatch.setattr(parse, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 1001)
    with pytest.raises(ReportError, match="big.txt.*文件太大.*too large"):
        parse.parse_reports(big)


def run_module(module: str, *args: str | Path) -> subprocess.CompletedProcess:
    """Run `python -m MODULE ARGS` from the repository root, capturing UTF-8 output."""
    return subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def test_a_cut_short_office_file_is_called_damaged_not_an_archive(tmp_path: Path, reports_dir: Path):
    from loaders.model import ReportError
    from loaders.parse import parse_reports

    whole = (reports_dir / "official_template_2021_blank.docx").read_bytes()
    for name, data in (("cut.docx", whole[:500]), ("cut.xlsx", whole[:500]), ("cut.docx", whole[: len(whole) // 2])):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ReportError) as caught:
            parse_reports(path)
        message = str(caught.value)
        assert message.startswith(name) and "文件已损坏或不完整" in message and "damaged or incomplete" in message
        assert ("Word" if name.endswith("docx") else "Excel") in message and "压缩包" not in message


def foreign_databases(tmp_path: Path) -> list[Path]:
    """A text file named like a database, and a DuckDB database that holds no reports."""
    text = tmp_path / "text.duckdb"
    text.write_text("这不是数据库\n", encoding="utf-8")
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.sql("create table t (a integer)")
    con.close()
    return [text, other]


@pytest.mark.parametrize(
    "command",
    [
        ["loaders", "check"],
        ["loaders", "roster", ROOT / "sample_data" / "roster.csv"],
        ["loaders", "workplan", ROOT / "sample_data" / "zhoucun-district-workplan-2021.txt"],
        ["loaders", "ingest", "--quiet", ROOT / "sample_data" / "zhangdian-district-gov-2021.txt"],
        ["exports", "briefing", "--out", "OUT"],
        ["exports.score_sheet", "--year", "2021", "--out", "OUT/score.xlsx"],
    ],
    ids=["check", "roster", "workplan", "ingest", "briefing", "scoring"],
)
def test_every_command_says_plainly_when_the_database_is_not_one(command: list, tmp_path: Path):
    for db in foreign_databases(tmp_path):
        before = db.read_bytes()
        args = [str(a).replace("OUT", str(tmp_path / "out")) for a in command[1:]]
        result = run_module(command[0], *args, "--db", db)
        assert result.returncode != 0
        assert "Traceback" not in result.stderr, result.stderr
        message = result.stderr.strip()
        assert str(db) in message and " / " in message
        if db.name == "text.duckdb":
            assert "不是数据库文件" in message and "not a database file" in message
        else:
            assert "不是年报数据库" in message and "holds no reports" in message
        assert db.read_bytes() == before


def test_full_width_digits_read_as_digits_in_title_tables_and_prose(reports_dir: Path, tmp_path: Path):
    from loaders.parse import parse_file

    text = (reports_dir / GOV).read_text(encoding="utf-8")
    wide = tmp_path / GOV
    wide.write_text(text.translate(str.maketrans("0123456789", "０１２３４５６７８９")), encoding="utf-8")
    plain, folded = parse_file(reports_dir / GOV), parse_file(wide)
    assert "２０２１" in wide.read_text(encoding="utf-8")
    assert (folded.agency, folded.year) == (plain.agency, plain.year) == (plain.agency, 2021)
    assert len(plain.figures) > 50
    assert [(f.metric, f.applicant, f.value, f.line) for f in folded.figures] == [
        (f.metric, f.applicant, f.value, f.line) for f in plain.figures
    ]
    assert {f.metric for f in folded.mentions} == {f.metric for f in plain.mentions}
    assert "，" in folded.text and "。" in folded.text and "（" in folded.text  # Chinese punctuation is kept


def test_counts_too_large_to_store_or_to_believe_get_a_finding(reports_dir: Path, tmp_path: Path):
    from loaders.parse import parse_file

    text = (reports_dir / GOV).read_text(encoding="utf-8")
    head = "一、本年新收政府信息公开申请数量\n\t85\n\t12\n"
    assert head in text
    path = tmp_path / GOV
    path.write_text(text.replace(head, head.replace("85", "99999999999999999999").replace("12", "12000000")), "utf-8")
    report = parse_file(path)
    new = [f for f in report.figures if f.metric == "requests.new"]
    huge = next(f for f in new if f.raw == "99999999999999999999")
    large = next(f for f in new if f.raw == "12000000")
    assert huge.value is None and large.value == 12_000_000  # NULL when not exact; kept, but flagged, when large
    messages = [f.message for f in report.findings if f.rule == "PARSE"]
    assert any("99999999999999999999" in m and "无法精确保存" in m for m in messages)
    assert any("12000000" in m and "不合常理" in m for m in messages)
    plain = parse_file(reports_dir / GOV)
    assert not [f for f in plain.findings if "不合常理" in f.message or "无法精确" in f.message]


def test_a_reviewer_saves_while_an_ingest_is_still_parsing(
    sample_copy: Path, reports_dir: Path, monkeypatch: pytest.MonkeyPatch
):
    import threading

    from loaders import review

    (key,) = rows(sample_copy, "select finding_key from fct_findings limit 1")[0:1]
    parsing, release = threading.Event(), threading.Event()
    real_parse = store.parse_reports

    def slow_parse(path, given=None):
        parsing.set()
        assert release.wait(120), "the test never released the parse"
        return real_parse(path, given)

    monkeypatch.setattr(store, "parse_reports", slow_parse)
    results: dict = {}
    ingest = threading.Thread(target=lambda: results.update(summary=store.ingest([reports_dir / OFFICE], sample_copy)))
    ingest.start()
    try:
        assert parsing.wait(60)
        saved = threading.Thread(
            target=lambda: results.update(event=review.set_status(sample_copy, key[0], "不采纳", "张三"))
        )
        saved.start()
        saved.join(60)  # a guard; the save does not wait for the parse at all
        assert not saved.is_alive(), "the save waited for the parse"
        assert results["event"] and ingest.is_alive()
    finally:
        release.set()
        ingest.join(300)
    assert results["summary"].failures == []
    assert rows(sample_copy, "select status from finding_status_events where finding_key = ?", [key[0]]) == [
        ("不采纳",)
    ]


def test_leftovers_of_killed_writes_are_removed_at_the_next_write(
    reports_dir: Path, db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import tempfile

    from ui import upload

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)  # a process that has ended
    stale = temp / f"govreport-upload-{dead_pid}-abc"
    live = temp / f"govreport-upload-{os.getpid()}-def"  # an import of a running process
    for folder in (stale, live):
        (folder / "0").mkdir(parents=True)
        (folder / "0" / GOV).write_bytes(b"x")
    store.ingest([reports_dir / GOV], db_file, progress=False)
    work = db_file.parent / ".reports.duckdb.ingest-killed"  # a killed write's work copy
    work.mkdir()
    (work / "reports.duckdb").write_bytes(b"half")
    result = upload.import_uploads([upload.Upload(OFFICE, (reports_dir / OFFICE).read_bytes())], db_file)
    assert result.failed == 0
    assert not stale.exists() and live.exists()
    assert not work.exists()
    assert [p.name for p in temp.iterdir()] == [live.name]  # the import's own folder is gone too
