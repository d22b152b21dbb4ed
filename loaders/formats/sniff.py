"""Recognise what a file holds from its bytes (magic numbers, archive members, markup), its name only as a tie-break.

Reports reach us misnamed: a .txt that a crawler filled with the page's HTML, a .doc that is really a .docx or an
RTF, a .pdf that is a Word file, files with no extension at all. So the content decides; the extension only
separates Markdown from plain text when the content could be either.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import PurePath

from loaders.formats.registry import FORMATS, extensions_of

KINDS = (*(f.kind for f in FORMATS), "doc", "xls", "encrypted", "image", "zip", "unknown")

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_ARCHIVES = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HEAD = 65536  # bytes of a text file looked at: markup shows itself early
_MIME_TOP = 2048  # characters of a saved web page's MIME headers looked at

# Content types of the main part of Word and Excel packages (plain, macro-enabled and template variants).
_DOCX_TYPES = (b"wordprocessingml.document.main", b"wordprocessingml.template.main", b"ms-word.document.macroenabled")
_XLSX_TYPES = (b"spreadsheetml.sheet.main", b"spreadsheetml.template.main", b"ms-excel.sheet.macroenabled")

_MARKDOWN_NAMES = extensions_of("markdown")
# A web page shows itself by a doctype at its start (after an XML declaration and comments) or by one of its main
# tags anywhere. Two patterns: the one that starts with "<" is searched for quickly, the other is tried at the start.
_HTML_START = re.compile(
    # A comment may not run past its own "-->": otherwise leading comments could be grouped in exponentially many ways.
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--(?:(?!-->).)*-->\s*)*<!doctype\s+html",
    re.S,
)
_HTML_TAG = re.compile(r"<(?:html|body|head)[\s>]")
_WEAK_HTML = re.compile(r"<(?:p|div|table|tr|td|span|meta|title|h[1-6]|ul|li|a|font|center)[\s>]")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*\|", re.M)
_MD_HEADING = re.compile(r"^#{1,6}\s+\S", re.M)


def sniff(data: bytes, name: str) -> str:
    """What the bytes are: one of KINDS. The name decides only between Markdown and plain text."""
    if not data:
        return "unknown"
    binary = _binary_kind(data)
    if binary:
        return binary
    head = _text_head(data[:_HEAD])
    if head is None:
        return "unknown"
    return _text_kind(head, PurePath(name).suffix.lower())


def _binary_kind(data: bytes) -> str | None:
    """The kind of a file that starts with a known signature, or None."""
    if b"%PDF-" in data[:1024]:  # the PDF header may follow a little junk
        return "pdf"
    if data.startswith(OLE2_SIGNATURE):
        return ole_kind(data)
    if data.startswith(_ZIP):
        return zip_kind(data)
    if data.startswith(b"{\\rtf"):
        return "doc"  # RTF: Word and WPS open it; the fix is the same as for .doc
    if data.startswith(_IMAGES) or _is_webp_or_bmp(data):
        return "image"
    if data.startswith(_ARCHIVES):
        return "zip"
    return None


def _is_webp_or_bmp(data: bytes) -> bool:
    """WebP and BMP have short signatures ("RIFF", "BM") that text can start with: check more of the header."""
    if data.startswith(b"RIFF"):
        return data[8:12] == b"WEBP"
    return data.startswith(b"BM") and len(data) > 26 and data[6:10] == b"\x00\x00\x00\x00"


# --- ZIP: Office Open XML packages ---------------------------------------------------------------


def zip_kind(data: bytes) -> str:
    """docx or xlsx by the package's members and content types; a damaged package by the names it mentions."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            types = _content_types(archive)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
        return _damaged_zip_kind(data)
    if "word/document.xml" in names or any(t in types for t in _DOCX_TYPES):
        return "docx"
    if "xl/workbook.xml" in names or any(t in types for t in _XLSX_TYPES):
        return "xlsx"
    return "zip"


def _content_types(archive: zipfile.ZipFile) -> bytes:
    """The package's [Content_Types].xml, lower-cased (empty when missing or implausibly large)."""
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return b""
    if info.file_size > 1024 * 1024:
        return b""
    return archive.read(info).lower()


def _damaged_zip_kind(data: bytes) -> str:
    """A truncated or corrupt archive: the member names in its local headers still tell Word from Excel."""
    head = data[: 1024 * 1024]
    if b"word/" in head:
        return "docx"
    if b"xl/" in head:
        return "xlsx"
    return "zip"


# --- OLE2 compound files: old Word/Excel/WPS, and encrypted Office Open XML -----------------------

_MAXREGSECT = 0xFFFFFFFA  # sector numbers above this mark free sectors and chain ends
_MAX_SECTORS = 100_000  # a directory chain longer than this is a loop in a damaged file


def ole_kind(data: bytes) -> str:
    """doc, xls or encrypted by the streams the compound file holds; doc when the directory is unreadable."""
    names = ole_stream_names(data)
    if not names:
        names = _scanned_names(data)
    if names & {"EncryptedPackage", "EncryptionInfo"}:
        return "encrypted"
    if "WordDocument" in names:
        return "doc"
    if names & {"Workbook", "Book"}:
        return "xls"
    return "doc" if not names else "unknown"


def ole_stream_names(data: bytes) -> set[str]:
    """Names in the compound file's directory, following the directory's sector chain through the FAT."""
    try:
        shift = struct.unpack_from("<H", data, 30)[0]
        first_dir = struct.unpack_from("<I", data, 48)[0]
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 76) if s <= _MAXREGSECT]
    except struct.error:
        return set()
    if shift not in (9, 12):
        return set()
    size = 1 << shift
    fat = b"".join(data[(s + 1) * size : (s + 2) * size] for s in fat_sectors)
    return _directory_names(data, fat, first_dir, size)


def _directory_names(data: bytes, fat: bytes, sector: int, size: int) -> set[str]:
    """The entry names of every directory sector in the chain that starts at `sector`."""
    names: set[str] = set()
    for _ in range(_MAX_SECTORS):
        if sector > _MAXREGSECT or (sector + 2) * size > len(data):
            break
        block = data[(sector + 1) * size : (sector + 2) * size]
        for offset in range(0, size, 128):
            length = struct.unpack_from("<H", block, offset + 64)[0]
            if 2 <= length <= 64:
                names.add(block[offset : offset + length - 2].decode("utf-16-le", errors="replace"))
        if (sector + 1) * 4 > len(fat):
            break
        sector = struct.unpack_from("<I", fat, sector * 4)[0]
    return names


def _scanned_names(data: bytes) -> set[str]:
    """Stream names found anywhere in the bytes: a last resort for a compound file whose FAT is damaged."""
    wanted = ("EncryptedPackage", "EncryptionInfo", "WordDocument", "Workbook")
    return {n for n in wanted if n.encode("utf-16-le") in data}


# --- text: HTML, Markdown or plain ---------------------------------------------------------------


# Control bytes that text does not use (tab, newlines and form feed are text).
_CONTROLS = bytes((*range(1, 9), *range(14, 32), 127))


def _text_head(head: bytes) -> str | None:
    """The first bytes decoded leniently for a look at their markup, or None when they are not text."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    nuls = head.count(0)
    if nuls >= max(2, len(head) // 100):
        return _utf16_head(head)
    controls = len(head) - len(head.translate(None, _CONTROLS))  # one pass, not one count per control byte
    if controls > max(2, len(head) // 200):
        return None
    text = head.decode("utf-8", errors="replace")
    if text.count("\ufffd") > 8:
        text = head.decode("gb18030", errors="replace")
    return text


# Characters text is made of: controls that text uses, printable ASCII and Latin, punctuation, CJK, full-width forms.
_TEXT_CHARS = re.compile("[\t\n\r\x0c\x20-\x7e\u00a0-\u024f\u2000-\u27ff\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _utf16_head(head: bytes) -> str | None:
    """UTF-16 without a byte order mark: the byte order that reads as text wins; neither means binary data."""
    body = head[: len(head) // 2 * 2]
    for codec in ("utf-16-le", "utf-16-be"):
        text = body.decode(codec, errors="replace")
        if len(_TEXT_CHARS.findall(text)) >= 0.95 * len(text):
            return text
    return None


def _text_kind(head: str, suffix: str) -> str:
    """html, markdown or text for a decoded head; the suffix breaks the tie between Markdown and text."""
    if _is_html(head.lstrip("\ufeff"), suffix):
        return "html"
    if suffix in _MARKDOWN_NAMES:
        return "markdown"
    if suffix in extensions_of("text"):
        return "text"  # the text parser reads pipe tables too; the name says the user meant text
    if _MD_RULE.search(head) or len(_MD_HEADING.findall(head)) >= 2:
        return "markdown"
    return "text"


def _is_html(head: str, suffix: str) -> bool:
    """A web page: MIME headers around HTML, a doctype or main tag, or (unless named Markdown) many common tags.
    Tags need a "<": text without one is lowercased only as far as the MIME headers are looked for."""
    if "<" not in head:
        return _is_mime_html(head[:_MIME_TOP].lower())
    lowered = head.lower()
    if _is_mime_html(lowered) or _is_strong_html(lowered[:_HEAD]):
        return True
    return suffix not in _MARKDOWN_NAMES and len(_WEAK_HTML.findall(lowered)) >= 5


def _is_strong_html(lowered: str) -> bool:
    """A doctype at the start or an html, head or body tag anywhere."""
    return bool(_HTML_START.match(lowered) or _HTML_TAG.search(lowered))


def _is_mime_html(lowered: str) -> bool:
    """A single-file web page (.mht) as Word and browsers save it: MIME headers around the HTML."""
    top = lowered[:_MIME_TOP]
    return top.startswith(("mime-version:", "from:", "subject:", "date:")) and "multipart/related" in top
