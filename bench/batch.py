"""Batch benchmark: files per second of `python -m loaders batch` with 1 and 2 worker processes and on Ray started
on this machine, over a generated folder of reports (text, Word and PDF), and the scaling efficiency from 1 to 2.

The folder is made from the real 2021-template reports of tests/fixtures/reports with the place in the agency's
name and the reporting year changed (so each file is another unit's or year's report, parsed in full): text files
as they are, Word files from the test suite's Word rendering, PDFs from its PDF typesetting. Every file name
starts with "synthetic-"; it is written under --dir (default bench/out/batch), never into sample_data/ or data/.

Usage: python bench/batch.py [--files N] [--dir DIR] [--no-ray]
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import io
import json
import logging
import os
import re
import resource
import shutil
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script: `python bench/batch.py`

from loaders import batch  # noqa: E402
from loaders.parse import parse_file, parse_text  # noqa: E402

DEFAULT_FILES = 1200
# Share of each format in the folder. Real corpora are mostly PDF; PDF reading is ~50 times slower than text here,
# so the default keeps PDFs few enough for a run of minutes (--pdf-share for more).
SHARES = {"text": 0.75, "docx": 0.20}
DEFAULT_PDF_SHARE = 0.05
_STEM_A = "青云白金玉丰安长永和嘉新东西南北平宁泰兴"  # the same invented place-name characters as bench/synthetic.py
_STEM_B = "华明清河山林石溪江湖阳桥松竹梅兰桃柳岭原"
_STEM_C = "春夏秋冬晨曦云霞星月川泉峰谷田园城乡港湾"
_STEM = re.compile(r"(.+?)(?:区|县|市)")
YEARS = (2021, 2022, 2023, 2024, 2025)  # the 2021 template's years


def _bases() -> list[str]:
    """The real reports the folder is made from: those the test suite renders as Word and PDF."""
    from tests.formats_render import RENDERED

    return list(RENDERED)


def _variant(text: str, agency: str, year: int, index: int) -> tuple[str, str, int]:
    """The text of another unit's report for another year: the place in the agency's name and the year changed."""
    found = _STEM.match(agency or "")
    stem = found.group(1) if found else agency
    places = (_STEM_A, _STEM_B, _STEM_C)
    new_stem = "".join(chars[(index // len(_STEM_A) ** n) % len(chars)] for n, chars in enumerate(places))
    new_year = YEARS[(index // len(_STEM_A) ** len(places)) % len(YEARS)]
    return _rewrite(text, stem, new_stem, year, new_year), new_stem, new_year


def _rewrite(text: str, stem: str, new_stem: str, year: int, new_year: int) -> str:
    """Replace the place name, the year and the next year (the publication date) in one pass."""
    swaps = {stem: new_stem, f"{year}年": f"{new_year}年", f"{year + 1}年": f"{new_year + 1}年"}
    pattern = re.compile("|".join(re.escape(k) for k in sorted(swaps, key=len, reverse=True)))
    return pattern.sub(lambda m: swaps[m.group(0)], text)


def generate(folder: Path, files: int, pdf_share: float) -> dict[str, int]:
    """Write the folder of `files` reports (reused when it already holds the same set); returns files per format."""
    from tests import formats_render as fr

    counts = {"text": round(files * SHARES["text"] * (1 - pdf_share) / sum(SHARES.values()))}
    counts["pdf"] = round(files * pdf_share)
    counts["docx"] = files - counts["text"] - counts["pdf"]
    stamp = folder / ".manifest.json"  # hidden: the folder walk skips it
    manifest = {**counts, "place_characters": 3}  # what the file names and texts are made of
    if stamp.exists() and json.loads(stamp.read_text()) == manifest:
        return counts
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    bases = [(name, parse_file(fr.REPORTS_DIR / name)) for name in _bases()]
    index = 0
    for kind, count in counts.items():
        for i in range(count):
            name, report = bases[i % len(bases)]
            text, stem, year = _variant(report.text, report.agency, report.year, index)
            index += 1
            out = folder / f"synthetic-{i:05d}-{stem}-{year}-{Path(name).stem}"
            if kind == "text":
                out.with_suffix(".txt").write_text(text, encoding="utf-8")
            elif kind == "docx":
                out.with_suffix(".docx").write_bytes(_docx_variant(_docx(name), report, stem, year))
            else:
                orig = fr.split_report(name, parse_text(text, name))
                out.with_suffix(".pdf").write_bytes(fr.render_pdf(orig))
    stamp.write_text(json.dumps(manifest))
    return counts


@functools.cache
def _docx(name: str) -> bytes:
    """A base report rendered as Word once (the rendering takes seconds); its variants edit its text."""
    from tests import formats_render as fr

    return fr.render_docx(fr.original(name))


def _docx_variant(data: bytes, report, new_stem: str, new_year: int) -> bytes:
    """A Word rendering with the place and year changed in its document text."""
    from tests import formats_render as fr

    found = _STEM.match(report.agency or "")
    stem = found.group(1) if found else report.agency
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    xml = _rewrite(xml, stem, new_stem, report.year, new_year)
    return fr.replaced_members(data, {"word/document.xml": xml.encode("utf-8")})


def _timed(label: str, files: list[str], run) -> tuple[str, float, float | None, batch.Counts]:
    """Run one runner: its wall seconds, and the CPU seconds of this process and the worker processes it ended
    (None for Ray, whose workers are not this process's children)."""
    cpu = _cpu_seconds()
    start = time.perf_counter()
    counts = run()
    seconds = time.perf_counter() - start
    assert counts.files == len(files), f"{label}: {counts.files} of {len(files)} files"
    used = None if label.startswith("ray") else _cpu_seconds() - cpu
    return label, seconds, used, counts


def _cpu_seconds() -> float:
    """CPU seconds used so far by this process and its ended worker processes."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _digest(out: Path) -> str:
    """A digest of every table of an output, to see that the runners wrote the same rows."""
    digest = hashlib.sha256()
    for table in batch.TABLES:
        digest.update(batch.read_table(out, table).write_ndjson().encode())
    return digest.hexdigest()[:12]


def main(argv: list[str] | None = None) -> int:
    """Generate the folder, time the runners and print files per second and the scaling efficiency."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--files", type=int, default=DEFAULT_FILES, help=f"reports to generate (default {DEFAULT_FILES})"
    )
    parser.add_argument("--pdf-share", type=float, default=DEFAULT_PDF_SHARE, help="share of PDFs (default 0.05)")
    parser.add_argument("--dir", type=Path, default=ROOT / "bench" / "out" / "batch")
    parser.add_argument("--no-ray", action="store_true", help="leave out the Ray run")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    counts = generate(args.dir / "corpus", args.files, args.pdf_share)
    print(f"folder: {args.dir / 'corpus'}  {counts}  (made or checked in {time.perf_counter() - start:.0f} s)")
    files, _ = batch.input_files([str(args.dir / "corpus")])
    runs = []
    print(f"{'runner':<28}{'seconds':>9}{'files/s':>9}{'CPU s':>9}  failed  tables", flush=True)
    for workers in (1, 2):
        out = args.dir / f"out-{workers}"
        shutil.rmtree(out, ignore_errors=True)
        run = functools.partial(batch.run_local, files, out, workers, 32, quiet=True)
        runs.append(_timed(f"local, {workers} worker(s)", files, run) + (_digest(out),))
        _show(runs[-1], len(files))
    if not args.no_ray:
        runs.append(_ray_run(files, args.dir / "out-ray"))
        _show(runs[-1], len(files))
    one, two = (len(files) / runs[0][1]), (len(files) / runs[1][1])
    print(f"scaling 1 -> 2 workers: {two / one:.2f}x, efficiency {two / one / 2:.0%}")
    print(f"CPU per file (1 worker): {runs[0][2] / len(files) * 1000:.0f} ms; machine load now: {os.getloadavg()}")
    return 0


def _show(run: tuple, files: int) -> None:
    """Print one runner's line: seconds, files per second, failures and the digest of its tables."""
    label, seconds, cpu, done, digest = run
    shown = "n/a" if cpu is None else f"{cpu:.1f}"
    print(f"{label:<28}{seconds:>9.1f}{files / seconds:>9.1f}{shown:>9}  {done.failed:>6}  {digest}", flush=True)


def _ray_run(files: list[str], out: Path) -> tuple:
    """Ray started on this machine with two CPUs; its start-up is timed apart from the run."""
    import ray

    from loaders.batch_ray import run_ray

    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    print(f"ray start-up: {time.perf_counter() - start:.1f} s (not counted below)")
    try:
        run = functools.partial(run_ray, files, out, "local", 32, True)
        timed = _timed("ray (local, 2 CPUs)", files, run)
    finally:
        ray.shutdown()
    return (*timed, _digest(out))


if __name__ == "__main__":
    sys.exit(main())
