"""Per-format speed: the same real reports rendered as Word, web page, Markdown, Excel and PDF, read and parsed.

Prints files per second for each format and pages per second for PDFs (the real Hongze PDF and rendered ones).
The renderers are the test suite's own (tests/), so the files are exactly those the format tests check.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES = (
    "zhangdian-district-gov-2021.txt",
    "zhangdian-district-gov-office-2021.txt",
    "shizhong-district-health-bureau-2021.txt",
)


def rendered_files() -> dict[str, list[tuple[str, bytes]]]:
    """(name, bytes) per format, built from the real text reports."""
    from loaders.formats.registry import FORMATS
    from loaders.parse import parse_file
    from tests import formats_render as fr
    from tests.test_formats_pdf import _rendered
    from tests.test_formats_xlsx import render_workbook

    reports = ROOT / "tests" / "fixtures" / "reports"
    out: dict[str, list[tuple[str, bytes]]] = {f.kind: [] for f in FORMATS if f.kind != "text"}
    for name in NAMES:
        orig = fr.original(name)
        out["docx"].append((name + ".docx", fr.render_docx(orig)))
        out["html"].append((name + ".html", fr.render_html(orig)))
        out["markdown"].append((name + ".md", fr.render_markdown(orig)))
        out["xlsx"].append((name + ".xlsx", render_workbook(parse_file(reports / name))))
        out["pdf"].append((name + ".pdf", _rendered(name)))
    out["pdf"].append(("hongze_district_gov_2023.pdf", (reports / "hongze_district_gov_2023.pdf").read_bytes()))
    return out


def _median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pdf_pages(data: bytes) -> int:
    """Pages of a PDF, counted with the same library the reader uses."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def format_lines(repeat: int = 3) -> list[str]:
    """One line per format: files per second (read + parse), and pages per second for PDFs."""
    from loaders.parse import parse_bytes

    lines = ["格式 / format: files per second (read + parse, median of runs)"]
    for kind, files in rendered_files().items():
        seconds = [_median_seconds(lambda d=data, n=name: parse_bytes(d, n), repeat) for name, data in files]
        line = f"  {kind:<9} {len(files) / sum(seconds):8.1f} files/s  ({1000 * statistics.mean(seconds):.0f} ms/file)"
        if kind == "pdf":
            pages = sum(pdf_pages(data) for _, data in files)
            line += f"  {pages / sum(seconds):.1f} pages/s over {pages} pages"
        lines.append(line)
    return lines
