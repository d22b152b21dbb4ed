"""Briefing exports: chart images (images.py), Excel (excel.py), PowerPoint (slides.py) and Word (word.py) files
made from what briefing.py assembles out of the dashboard's own named queries and chart builders. The dashboard
pages and the command line (`python -m exports briefing ...`) share them."""

from __future__ import annotations


class ExportError(Exception):
    """An export that cannot be made as asked; the message says why in Chinese and English."""
