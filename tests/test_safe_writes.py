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
