"""The blank-screenshot check itself, on pictures made here (no browser needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tests.e2e.screens import assert_not_blank, blank_reasons


def picture(tmp_path: Path, name: str, draw_content: bool, sidebar: bool = True) -> Path:
    """A 1000×800 page: white, optionally a grey sidebar, optionally text-like strokes and a chart in the main area."""
    image = Image.new("RGB", (1000, 800), "white")
    pen = ImageDraw.Draw(image)
    if sidebar:
        pen.rectangle((0, 0, 249, 799), fill=(240, 242, 246))
    if draw_content:
        for row in range(12):
            for col in range(20):
                shade = (row * 20 + col * 7) % 120
                pen.text((280 + col * 30, 40 + row * 20), "字", fill=(shade, shade, shade + 40))
        for step in range(200):
            pen.line((300 + step * 3, 700 - step, 303 + step * 3, 699 - step), fill=(31, 78 + step % 100, 121), width=3)
    path = tmp_path / name
    image.save(path)
    return path


def test_a_white_page_is_blank(tmp_path: Path) -> None:
    path = picture(tmp_path, "white.png", draw_content=False, sidebar=False)
    with pytest.raises(AssertionError, match="white.png looks blank"):
        assert_not_blank(path)


def test_a_frame_without_content_is_blank_in_its_main_area(tmp_path: Path) -> None:
    path = picture(tmp_path, "frame.png", draw_content=False)
    reasons = blank_reasons(path, main=(250, 0, 1000, 800))
    assert any(r.startswith("main:") for r in reasons)


def test_a_page_with_text_and_a_chart_is_not_blank(tmp_path: Path) -> None:
    assert_not_blank(picture(tmp_path, "page.png", draw_content=True), main=(250, 0, 1000, 800))
