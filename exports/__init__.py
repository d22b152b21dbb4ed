"""File writers: chart images (images.py), Excel (excel.py), PowerPoint (slides.py) and Word (word.py) files made
from the briefing (briefing.py: a list of the views the pages show), and the score sheet (score_sheet.py). The
dashboard pages and the command lines (`python -m exports briefing ...`, `python -m exports.score_sheet ...`) share
them; nothing here imports Streamlit or the ui package."""

from __future__ import annotations


class ExportError(Exception):
    """An export that cannot be made as asked; the message says why in Chinese and English."""
