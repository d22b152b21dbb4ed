"""Is a screenshot of the dashboard blank? Decoded with Pillow: enough distinct colours, enough drawn (non-white)
pixels and enough dark "ink" (text, lines) in the whole picture and in the page's main area."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

Box = tuple[int, int, int, int]  # left, top, right, bottom in pixels

MIN_COLOURS = 200  # anti-aliased text and a chart give hundreds; a blank or single-colour page a handful
MIN_DRAWN = {"page": 0.05, "main": 0.01}  # share of pixels darker than near-white
MIN_INK = {"page": 0.001, "main": 0.001}  # share of dark pixels: text, axes, lines
_NEAR_WHITE = 250  # grey level (0–255) below which a pixel counts as drawn
_DARK = 128  # grey level below which a pixel counts as ink


@dataclass(frozen=True)
class Measure:
    """What a picture holds: distinct colours (capped), and the shares of drawn and of dark pixels."""

    colours: int
    drawn: float
    ink: float


def measure(image: Image.Image) -> Measure:
    """Count the colours and the drawn and dark pixels of an image."""
    rgb = image.convert("RGB")
    colours = rgb.getcolors(MIN_COLOURS * 10)
    histogram = rgb.convert("L").histogram()
    total = sum(histogram) or 1
    return Measure(
        colours=len(colours) if colours is not None else MIN_COLOURS * 10,
        drawn=sum(histogram[:_NEAR_WHITE]) / total,
        ink=sum(histogram[:_DARK]) / total,
    )


def blank_reasons(path: Path, main: Box | None = None) -> list[str]:
    """Why the screenshot at `path` looks blank (empty when it does not), for the whole page and its main area."""
    with Image.open(path) as image:
        parts = {"page": measure(image)}
        if main is not None:
            parts["main"] = measure(image.crop(main))
    reasons = []
    for part, seen in parts.items():
        if seen.colours < MIN_COLOURS:
            reasons.append(f"{part}: only {seen.colours} distinct colours")
        if seen.drawn < MIN_DRAWN[part]:
            reasons.append(f"{part}: only {seen.drawn:.1%} of the pixels are drawn")
        if seen.ink < MIN_INK[part]:
            reasons.append(f"{part}: only {seen.ink:.2%} of the pixels are dark (text, lines)")
    return reasons


def assert_not_blank(path: Path, main: Box | None = None) -> None:
    """Fail when the screenshot looks blank."""
    reasons = blank_reasons(path, main)
    assert not reasons, f"{path.name} looks blank: {'; '.join(reasons)}"
