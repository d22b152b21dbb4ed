"""The briefing as a PDF for sending: the Word document converted by LibreOffice (`libreoffice --headless
--convert-to pdf`) when it is installed, so the PDF shows exactly the Word layout (fitted tables, repeated header
rows, charts kept with their notes). Without LibreOffice no PDF is offered."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from exports import ExportError

PROGRAMS = ("libreoffice", "soffice")  # the command's names on Debian and elsewhere
TIMEOUT = 180  # seconds one conversion may take (the first start of LibreOffice is slow)


def converter() -> str | None:
    """The LibreOffice command on this machine, or None when it is not installed."""
    return next((path for path in map(shutil.which, PROGRAMS) if path), None)


def available() -> bool:
    """Whether a PDF can be made here."""
    return converter() is not None


def from_docx(docx: bytes) -> bytes:
    """The PDF of a .docx, converted by LibreOffice in a private folder and profile (so that two conversions at
    once, or an open LibreOffice window, do not disturb each other); an ExportError when it cannot be made."""
    program = converter()
    if program is None:
        raise ExportError("未安装LibreOffice，无法生成PDF / LibreOffice is not installed: no PDF can be made")
    with tempfile.TemporaryDirectory(prefix="briefing-pdf-") as work:
        folder = Path(work)
        (folder / "briefing.docx").write_bytes(docx)
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(folder / "briefing.docx"),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ExportError(f"PDF转换超时（{TIMEOUT}秒） / the PDF conversion timed out") from exc
        out = folder / "briefing.pdf"
        if done.returncode != 0 or not out.exists():
            why = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
            raise ExportError(f"PDF转换失败：{why[0]} / LibreOffice could not convert the document")
        return out.read_bytes()
