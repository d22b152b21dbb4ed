"""Briefing files are written atomically: whole or not at all, with the permissions of a plainly written file."""

from __future__ import annotations

from pathlib import Path

import pytest

from exports.files import write_atomic


def test_a_file_appears_whole_and_replaces_the_old_one(tmp_path: Path):
    target = write_atomic(tmp_path / "new", "a.xlsx", b"first")
    assert target.read_bytes() == b"first"
    write_atomic(tmp_path / "new", "a.xlsx", b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in (tmp_path / "new").iterdir()] == ["a.xlsx"]


def test_a_failed_write_leaves_neither_a_file_nor_its_temporary(tmp_path: Path):
    (tmp_path / "a.xlsx").mkdir()  # the target name is taken by a folder: the final rename must fail
    with pytest.raises(OSError):
        write_atomic(tmp_path, "a.xlsx", b"data")
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"] and (tmp_path / "a.xlsx").is_dir()
