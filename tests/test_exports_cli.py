"""`python -m exports briefing` end to end in a subprocess: three whole files for a good selection, and for bad
input an error in Chinese and English, a non-zero exit and no file at all."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from pptx import Presentation

from exports import ExportError
from exports.cli import parse_years

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Run the command line from the repository root, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "exports", "briefing", *args],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=600,
    )  # fmt: skip


def test_briefing_writes_three_whole_files_and_leaves_the_database_alone(sample_db: Path, tmp_path: Path):
    before = (sample_db.stat().st_mtime_ns, sample_db.read_bytes())
    out = tmp_path / "简报"
    done = run_cli("--db", str(sample_db), "--agencies", "张店区人民政府", "--years", "2021", "--out", str(out))
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["briefing_2021.docx", "briefing_2021.pptx", "briefing_2021.xlsx"]  # no temporary file left
    written = [str(out / f"briefing_2021.{fmt}") for fmt in ("xlsx", "pptx", "docx")]
    assert done.stdout.split() == written
    book = openpyxl.load_workbook(out / "briefing_2021.xlsx")
    assert [c.value for c in book["表1 年度汇总"][6]][:5] == [2021, 1, 1, 105, 105]
    assert Presentation(out / "briefing_2021.pptx").slides[0].shapes.title.text == "政府信息公开工作年度报告分析简报"
    assert any(p.text == "一、总体情况" for p in Document(out / "briefing_2021.docx").paragraphs)
    assert (out / "briefing_2021.xlsx").stat().st_mode & 0o044  # readable by others, like any file written plainly
    assert (sample_db.stat().st_mtime_ns, sample_db.read_bytes()) == before


def test_an_unknown_agency_is_named_in_both_languages_and_nothing_is_written(sample_db: Path, tmp_path: Path):
    out = tmp_path / "out"
    done = run_cli("--db", str(sample_db), "--agencies", "张店区人民政府", "张店区政府", "--out", str(out))
    assert done.returncode == 2
    assert "未知单位“张店区政府”" in done.stderr and "unknown agency '张店区政府'" in done.stderr
    assert "是否指：" in done.stderr and "张店区人民政府" in done.stderr.split("是否指：")[1]
    assert not out.exists()


@pytest.mark.parametrize(
    ("years", "zh", "en"),
    [
        (["2019", "2021"], "年度须连续", "unbroken range"),
        (["2030"], "年度 2030 超出", "outside the years"),
        (["二〇二一"], "无法识别的年度", "cannot read year"),
        (["2021-2019"], "首尾颠倒", "runs backwards"),
    ],
)
def test_bad_years_are_refused_in_both_languages(sample_db: Path, tmp_path: Path, years: list[str], zh: str, en: str):
    out = tmp_path / "out"
    done = run_cli("--db", str(sample_db), "--years", *years, "--out", str(out))
    assert done.returncode == 2
    assert zh in done.stderr and en in done.stderr
    assert not out.exists()


def test_a_missing_database_is_named(tmp_path: Path):
    done = run_cli("--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "数据库文件不存在 / database file not found" in done.stderr and "none.duckdb" in done.stderr
    assert not (tmp_path / "out").exists()


def test_only_the_formats_asked_for_are_written(sample_db: Path, tmp_path: Path):
    out = tmp_path / "out"
    done = run_cli("--db", str(sample_db), "--years", "2014-2021", "--formats", "xlsx", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert [p.name for p in out.iterdir()] == ["briefing_2014-2021.xlsx"]
    book = openpyxl.load_workbook(io.BytesIO((out / "briefing_2014-2021.xlsx").read_bytes()))
    assert book["说明"]["B1"].value is None and "年度：2014—2021年" in book["说明"]["A2"].value


def test_an_existing_file_is_replaced_whole(sample_db: Path, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "briefing_2021.xlsx").write_bytes(b"old")
    done = run_cli("--db", str(sample_db), "--years", "2021", "--formats", "xlsx", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(out / "briefing_2021.xlsx")["表1 年度汇总"]["A6"].value == 2021
    assert os.listdir(out) == ["briefing_2021.xlsx"]


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [([], (None, None)), (["2021"], (2021, 2021)), (["2019-2021"], (2019, 2021)), (["2019", "2020"], (2019, 2020))],
)
def test_years_are_read_as_one_range(tokens: list[str], expected: tuple):
    assert parse_years(tokens) == expected


def test_overlapping_year_tokens_still_form_one_range():
    assert parse_years(["2019-2020", "2020–2021"]) == (2019, 2021)
    with pytest.raises(ExportError):
        parse_years(["2019", "2019-2020", "2022"])
