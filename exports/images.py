"""Chart images: Plotly figures rendered to PNG (print resolution) and SVG by kaleido and the system Chromium.

One kaleido server per process, started on first use (about 4 s) and stopped at exit; each image after that takes
a fraction of a second. Rendering needs a font with Chinese glyphs: without one Chromium draws every character as
an empty box ("tofu"), so a missing CJK font is an error here, never a silent bad image.
"""

from __future__ import annotations

import atexit
import os
import shutil
import struct
import subprocess
import threading
import warnings
import zlib

import kaleido
import plotly.graph_objects as go
import plotly.io as pio

from analytics import charts
from exports import ExportError

BROWSER_ENV = "BROWSER_PATH"  # read by kaleido's browser finder before anything else
DEFAULT_BROWSER = "/usr/bin/chromium"
EXPORT_WIDTH = 1000  # layout px; the height is the figure's own (charts.DEFAULT_HEIGHT unless a builder set one)
PRINT_SCALE = 3  # 3000 px across: 10 in at 300 dpi, sharp at any width a page or slide gives it
PRINT_DPI = 300

_LOCK = threading.Lock()  # one render at a time: the server answers requests in order through one queue
_STARTED = False


def cjk_fonts() -> list[str]:
    """The font families fontconfig knows that cover Chinese (`fc-list :lang=zh family`)."""
    try:
        done = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False, timeout=30
        )  # fmt: skip
    except FileNotFoundError:
        return []
    return sorted({line.split(",")[0].strip() for line in done.stdout.splitlines() if line.strip()})


def require_cjk_font() -> list[str]:
    """The installed CJK font families; an error in Chinese and English when there is none."""
    fonts = cjk_fonts()
    if not fonts:
        raise ExportError(
            "没有安装中文字体，图表中的汉字会显示为方框；请安装 fonts-noto-cjk（scripts/setup.sh 会安装） / "
            "no font with Chinese glyphs is installed (fontconfig finds none for :lang=zh), so every Chinese "
            "character would render as an empty box; install fonts-noto-cjk (scripts/setup.sh does)"
        )
    return fonts


def browser_path() -> str:
    """The Chromium kaleido drives: $BROWSER_PATH if set, else the Debian package's; an error if it is missing."""
    path = os.environ.get(BROWSER_ENV) or DEFAULT_BROWSER
    found = shutil.which(path)
    if not found:
        raise ExportError(
            f"找不到用于生成图片的 Chromium：{path}；请安装 chromium（scripts/setup.sh 会安装）或设置 {BROWSER_ENV} / "
            f"Chromium for chart images not found at {path}; "
            f"install chromium (scripts/setup.sh does) or set {BROWSER_ENV}"
        )
    return found


def start() -> None:
    """Start the process's kaleido server once (font and browser checked first), and stop it at exit."""
    global _STARTED
    with _LOCK:
        if _STARTED:
            return
        require_cjk_font()
        os.environ.setdefault(BROWSER_ENV, browser_path())
        # MathJax would be fetched from a CDN that cannot be reached offline; no chart uses LaTeX
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        atexit.register(stop)
        _STARTED = True


def stop() -> None:
    """Stop the kaleido server if this module started it."""
    global _STARTED
    with _LOCK:
        if _STARTED:
            kaleido.stop_sync_server(silence_warnings=True)
            _STARTED = False


def _render(fig: go.Figure, fmt: str, width: int, scale: float) -> bytes:
    """One image from the running server."""
    start()
    with _LOCK, warnings.catch_warnings():
        # plotly passes its (empty) per-call options along and the server says it ignores them: harmless
        warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)
        try:
            return pio.to_image(charts.escaped(fig), format=fmt, width=width, scale=scale)
        except Exception as exc:  # the browser side fails in many ways; each is the same problem to the user
            title = fig.layout.title.text or ""
            raise ExportError(f"无法生成图表图片“{title}”（{exc}） / cannot render the chart image: {exc}") from exc


def png(fig: go.Figure, width: int = EXPORT_WIDTH, scale: float = PRINT_SCALE) -> bytes:
    """The figure as a PNG at print resolution, tagged 300 dpi so that Office places it at its printed size."""
    return with_dpi(_render(fig, "png", width, scale), PRINT_DPI)


def svg(fig: go.Figure, width: int = EXPORT_WIDTH) -> bytes:
    """The figure as SVG (text stays text: whoever opens it needs a CJK font; PNG is safer for sharing)."""
    return _render(fig, "svg", width, 1)


def with_dpi(data: bytes, dpi: int) -> bytes:
    """PNG bytes with a pHYs chunk saying `dpi` (kaleido writes none, and Office then assumes 96 dpi)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ExportError("不是PNG图片 / not a PNG image")
    if b"pHYs" in _chunk_types(data):
        return data
    per_metre = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)  # unit 1: the metre
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    after_ihdr = 8 + 4 + 4 + 13 + 4  # signature, then IHDR: length, type, 13 data bytes, CRC
    return data[:after_ihdr] + chunk + data[after_ihdr:]


def _chunk_types(data: bytes) -> list[bytes]:
    """The chunk types of a PNG up to its first image data (where pHYs must come, if anywhere)."""
    types, at = [], 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I", data[at : at + 4])[0], data[at + 4 : at + 8]
        if kind == b"IDAT":
            break
        types.append(kind)
        at += 12 + length
    return types
