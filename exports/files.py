"""The briefing files made together (chart images rendered once for the deck and the document; the PDF converted
from the document), and written into a folder atomically (exports.atomic): each file appears whole or not at all."""

from __future__ import annotations

from pathlib import Path

from exports import excel, images, pdf, slides, word
from exports.atomic import write_atomic
from exports.briefing import Briefing

FORMATS = ("xlsx", "pptx", "docx")  # made by default
PDF = "pdf"  # made on request, where LibreOffice is installed (exports.pdf)
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    PDF: "application/pdf",
    "png": "image/png",
    "svg": "image/svg+xml",
}


def chart_images(briefing: Briefing) -> dict[str, bytes]:
    """Every chart of the briefing as a print-resolution PNG, by chart key."""
    return {chart.key: images.png(chart.figure) for chart in briefing.charts()}


def make_files(briefing: Briefing, formats: tuple[str, ...] = FORMATS) -> dict[str, bytes]:
    """The briefing's files by extension, all made in memory before anything is written (the PDF from the Word
    document, made once for both)."""
    needs_images = {"pptx", "docx", PDF} & set(formats)
    pictures = chart_images(briefing) if needs_images else {}
    document = word.document(briefing, pictures) if {"docx", PDF} & set(formats) else b""
    makers = {
        "xlsx": lambda: excel.briefing_workbook(briefing),
        "pptx": lambda: slides.deck(briefing, pictures),
        "docx": lambda: document,
        PDF: lambda: pdf.from_docx(document),
    }
    return {fmt: makers[fmt]() for fmt in formats}


def file_stem(briefing: Briefing) -> str:
    """The files' common name, e.g. briefing_2014-2021 (ASCII, so that mail and archives keep it intact)."""
    low, high = briefing.selection.year_from, briefing.selection.year_to
    if low is None and high is None:
        return "briefing_all-years"
    return f"briefing_{low}" if low == high else f"briefing_{low or 'first'}-{high or 'last'}"


def write_files(folder: Path, briefing: Briefing, files: dict[str, bytes]) -> list[Path]:
    """Write the made files into `folder`, each atomically; returns their paths."""
    stem = file_stem(briefing)
    return [write_atomic(folder, f"{stem}.{fmt}", data) for fmt, data in files.items()]
