"""Chart images: Chinese text is drawn with real glyphs (not tofu boxes), PNGs are print resolution and say 300 dpi,
SVG keeps text as text, and a machine without a CJK font or a browser gets a clear error, not bad images."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image, ImageDraw, ImageFont

from analytics import charts
from exports import ExportError, images

LABEL = "政务公开年报分析"  # eight different characters, each one em wide


def ink(image: Image.Image) -> np.ndarray:
    """Dark pixels of an image as a boolean mask."""
    return np.asarray(image.convert("L")) < 128


def glyph_cells(mask: np.ndarray, count: int, size: int = 32) -> np.ndarray:
    """The text's ink cut into `count` equal cells (one per full-width character), each cropped to its own ink,
    scaled to size x size and normalised: one row per character, comparable across renderers."""
    ys, xs = np.nonzero(mask)
    band = mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    step = band.shape[1] / count
    out = []
    for i in range(count):
        cell = band[:, round(i * step) : round((i + 1) * step)]
        cy, cx = np.nonzero(cell)
        crop = cell[cy.min() : cy.max() + 1, cx.min() : cx.max() + 1]
        scaled = Image.fromarray(crop.astype(np.uint8) * 255).resize((size, size), Image.Resampling.BILINEAR)
        vector = np.asarray(scaled, dtype=float).ravel()
        vector -= vector.mean()
        out.append(vector / (np.linalg.norm(vector) or 1.0))
    return np.array(out)


def drawn_with(font: ImageFont.FreeTypeFont) -> np.ndarray:
    """LABEL drawn by Pillow in `font`."""
    canvas = Image.new("L", (1400, 220), 255)
    ImageDraw.Draw(canvas).text((20, 40), LABEL, font=font, fill=0)
    return ink(canvas)


def noto_cjk() -> ImageFont.FreeTypeFont:
    """The Noto Sans CJK SC face the setup installs, located through fontconfig."""
    found = subprocess.run(["fc-match", "-f", "%{file}:%{index}", "Noto Sans CJK SC"], capture_output=True, text=True)
    path, index = found.stdout.rsplit(":", 1)
    assert "CJK" in path, f"Noto Sans CJK is not installed: fc-match gave {path}"
    return ImageFont.truetype(path, 96, index=int(index))


def matches(rendered: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Similarity of each rendered character to each reference character (1 = same shape)."""
    return glyph_cells(rendered, len(LABEL)) @ glyph_cells(reference, len(LABEL)).T


@pytest.fixture(scope="module")
def title_png() -> bytes:
    """A themed figure whose only ink is its Chinese title, rendered by kaleido and Chromium."""
    return images.png(charts.empty(LABEL, ""))


def test_the_measure_tells_glyphs_from_tofu():
    # Pillow's own font has no Chinese: every character becomes the same box, which matches no real glyph
    reference = drawn_with(noto_cjk())
    tofu = matches(drawn_with(ImageFont.load_default(size=96)), reference)
    assert np.diag(tofu).max() < 0.5
    assert np.diag(matches(reference, reference)).min() > 0.99


def test_chinese_title_is_drawn_with_real_glyphs(title_png: bytes):
    rendered = ink(Image.open(io.BytesIO(title_png)))
    similarity = matches(rendered, drawn_with(noto_cjk()))
    # every character looks like the same character in Noto Sans CJK, and more than like any other
    assert np.diag(similarity).min() > 0.8
    assert (similarity.argmax(axis=1) == np.arange(len(LABEL))).all()


def test_png_is_print_resolution_and_tagged_300_dpi(title_png: bytes):
    image = Image.open(io.BytesIO(title_png))
    assert image.size == (images.EXPORT_WIDTH * images.PRINT_SCALE, charts.DEFAULT_HEIGHT * images.PRINT_SCALE)
    assert [round(d) for d in image.info["dpi"]] == [300, 300]


def test_dpi_tag_is_added_once_and_keeps_the_image():
    canvas = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(canvas, format="PNG")
    tagged = images.with_dpi(canvas.getvalue(), 300)
    assert images.with_dpi(tagged, 150) == tagged
    reopened = Image.open(io.BytesIO(tagged))
    assert reopened.size == (40, 20) and reopened.getpixel((5, 5)) == (255, 0, 0)
    with pytest.raises(ExportError, match="not a PNG"):
        images.with_dpi(b"GIF89a....", 300)


def test_svg_keeps_the_chinese_text_as_text():
    svg = images.svg(go.Figure(layout={"title": {"text": LABEL}}).update_layout(template=charts.THEME)).decode()
    assert svg.startswith("<svg") and LABEL in svg


def test_a_missing_cjk_font_is_an_error_in_both_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    empty = tmp_path / "fonts.conf"  # a fontconfig configuration that knows no font directory at all
    empty.write_text('<?xml version="1.0"?><fontconfig><cachedir>' + str(tmp_path) + "</cachedir></fontconfig>")
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    assert images.cjk_fonts() == []
    with pytest.raises(ExportError, match="没有安装中文字体.*fonts-noto-cjk.* / no font with Chinese glyphs"):
        images.require_cjk_font()


def test_the_installed_cjk_font_is_found():
    assert any("CJK" in family for family in images.require_cjk_font())


def test_a_missing_browser_is_an_error_in_both_languages(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(images.BROWSER_ENV, "/nonexistent/chromium")
    with pytest.raises(ExportError, match="找不到.*Chromium.* / Chromium for chart images not found"):
        images.browser_path()
