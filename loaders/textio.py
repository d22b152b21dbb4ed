"""Read report files: refuse what is not text, decode the common encodings and normalise newlines."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from loaders.model import ReportError

MAX_BYTES = 20 * 1024 * 1024
MAX_ANY_FILE_BYTES = 64 * 1024 * 1024  # any format (the uploader's limit too); each reader applies its own

# Control bytes that never occur in text; tab, newlines, vertical tab and form feed (pdftotext page
# breaks) are text, so they are not listed.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])

# A few stray control bytes happen in real exports (a DOS end-of-file mark, a NUL from a crawler);
# more than this share of the file means it is not text.
_CONTROL_SHARE = 0.005

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Leading bytes of file types people upload by mistake: (signature, 中文名称, English name).
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "PDF 文件", "a PDF file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Word/Excel/WPS 文档", "an old-style Word/Excel/WPS document"),
    (b"{\\rtf", "RTF 文档", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "图片（PNG）", "an image (PNG)"),
    (b"\xff\xd8\xff", "图片（JPEG）", "an image (JPEG)"),
    (b"GIF87a", "图片（GIF）", "an image (GIF)"),
    (b"GIF89a", "图片（GIF）", "an image (GIF)"),
    (b"II*\x00", "图片（TIFF）", "an image (TIFF)"),
    (b"MM\x00*", "图片（TIFF）", "an image (TIFF)"),
    (b"Rar!\x1a\x07", "RAR 压缩包", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包", "a 7z archive"),
    (b"\x1f\x8b", "gzip 压缩包", "a gzip archive"),
    (b"\x7fELF", "程序文件", "an executable"),
    (b"SQLite format 3\x00", "SQLite 数据库", "an SQLite database"),
)

# Office formats are ZIP archives; the member names tell them apart.
_ZIP_MEMBERS: tuple[tuple[bytes, str, str], ...] = (
    (b"word/", "Word 文档（.docx）", "a Word document (.docx)"),
    (b"xl/", "Excel 表格（.xlsx）", "an Excel workbook (.xlsx)"),
    (b"ppt/", "PowerPoint 演示文稿（.pptx）", "a PowerPoint file (.pptx)"),
    (b"OFD.xml", "OFD 版式文档", "an OFD document"),
)


def read_source(path: str | os.PathLike) -> tuple[bytes, str, str]:
    """Read a report file: (raw bytes, normalised text, encoding); raise ReportError if it is not a readable report."""
    file = Path(path)
    source = file.name
    data = read_regular(file, MAX_BYTES)
    text, encoding = decode(data, source)
    check_report_text(text, source)
    return data, text, encoding


def read_file(path: str | os.PathLike) -> tuple[bytes, str]:
    """A file named by the user (a roster, a work plan) as its bytes and its name; ReportError when there is none."""
    file = Path(path)
    return read_regular(file, MAX_ANY_FILE_BYTES), file.name


def read_regular(file: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; a folder, pipe, device or socket is refused unread.

    The file is opened without blocking (a pipe with no writer would wait forever) and read no further than
    the limit, so a file that grows, or a device that never ends, cannot exhaust the memory.
    """
    source = file.name
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError as exc:
        raise ReportError(source, "文件不存在", "file not found") from exc
    except IsADirectoryError as exc:
        raise ReportError(source, "这是一个文件夹，不是文件", "this is a folder, not a file") from exc
    except OSError as exc:
        raise ReportError(source, f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}") from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise ReportError(source, "这是一个文件夹，不是文件", "this is a folder, not a file")
        zh, en = _special_kind(mode)
        raise ReportError(source, f"这是{zh}，不是普通文件，未读取", f"this is {en}, not a regular file; not read")
    with os.fdopen(fd, "rb") as fh:
        size = os.fstat(fd).st_size
        check_limit(size, source, limit)
        try:
            data = fh.read(size + 1)  # a buffer of the file's size, not of the limit
            if len(data) > size:  # the file grew while being read: read on, up to the limit
                data += fh.read(limit + 1 - len(data))
        except OSError as exc:
            raise ReportError(source, f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}") from exc
    check_limit(len(data), source, limit)
    return data


def _special_kind(mode: int) -> tuple[str, str]:
    """What a file that is not a regular file is, in Chinese and English."""
    if stat.S_ISFIFO(mode):
        return "命名管道", "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件", "a device"
    if stat.S_ISSOCK(mode):
        return "套接字", "a socket"
    return "特殊文件", "a special file"


def check_limit(size: int, source: str, limit: int) -> None:
    """Refuse a file over `limit` bytes, naming the size and the limit."""
    if size > limit:
        mb, cap = size / 1024 / 1024, limit // 1024 // 1024
        raise ReportError(
            source, f"文件太大：{mb:.1f} MB，上限为 {cap} MB", f"file is too large: {mb:.1f} MB, the limit is {cap} MB"
        )


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Decode report bytes to normalised text: (text, encoding name); raise ReportError for non-text input."""
    if not data:
        raise ReportError(source, "文件为空（0 字节）", "file is empty (0 bytes)")
    check_size(len(data), source)
    _refuse_known_binary(data, source)
    text, encoding = _decode_bytes(data, source)
    text = normalise(text)
    if not text or text.isspace():
        raise ReportError(source, "文件只有空白字符，没有内容", "file contains only whitespace")
    return text, encoding


# Full-width digits (０-９) read as the ASCII digits they are; nothing else is folded, so Chinese punctuation stays.
_FULL_WIDTH = "０１２３４５６７８９"
_FULL_WIDTH_DIGITS = str.maketrans(_FULL_WIDTH, "0123456789")
_ANY_FULL_WIDTH_DIGIT = re.compile("[０-９]")


def fold_digits(text: str) -> str:
    """Full-width digits as ASCII digits, one character for one, so columns and line numbers stay."""
    # translate() walks every character through a Python mapping: replacing the few matches is far cheaper, and
    # looking for each digit alone (a memory scan) is cheaper still than a pattern scan of text that has none
    if not any(digit in text for digit in _FULL_WIDTH):
        return text
    return _ANY_FULL_WIDTH_DIGIT.sub(_ascii_digit, text)


def _ascii_digit(match: re.Match) -> str:
    return match.group().translate(_FULL_WIDTH_DIGITS)


def normalise(text: str) -> str:
    """Newlines to \\n, no leading BOM, no NULs; every other character kept so line numbers match the file."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text


def check_size(size: int, source: str) -> None:
    """Refuse files over MAX_BYTES, naming the size and the limit."""
    check_limit(size, source, MAX_BYTES)


def _refuse_known_binary(data: bytes, source: str) -> None:
    """Name the file type when the bytes start like a document, image or archive rather than text."""
    kind = _binary_kind(data)
    if kind:
        zh, en = kind
        space = " " if zh[0].isascii() else ""
        raise ReportError(source, f"这是一个{space}{zh}，不是文本", f"this is {en}, not text")


def _binary_kind(data: bytes) -> tuple[str, str] | None:
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return next(((zh, en) for member, zh, en in _ZIP_MEMBERS if member in data), ("ZIP 压缩包", "a ZIP archive"))
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "图片（WebP）", "an image (WebP)"
    return next(((zh, en) for sig, zh, en in _SIGNATURES if data.startswith(sig)), None)


def _decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Fast paths first (BOM, BOM-less UTF-16, UTF-8, GB18030), a guess last."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_declared(data[len(bom) :], codec, source)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    # Not UTF-16, so NULs at the very end are padding (an interrupted download), not content.
    data = data.rstrip(b"\x00")
    if not data:
        raise ReportError(source, "文件只含 NUL 字节，没有文本", "file holds only NUL bytes, no text")
    _refuse_control_bytes(data, source)
    for attempt in (_strict_utf8, _damaged_utf8, _strict_gb18030, _guessed):
        found = attempt(data)
        if found:
            return found
    raise _undecodable(source)


def _decode_declared(body: bytes, codec: str, source: str) -> tuple[str, str]:
    """Decode the bytes after a BOM with the codec the BOM declares."""
    if codec == "utf-8-sig":
        found = _strict_utf8(body) or _damaged_utf8(body)
        if found:
            return found[0], codec
        raise _undecodable(source)
    if codec.startswith("utf-16") and len(body) % 2 and body.endswith(b"\x00"):
        body = body[:-1]  # an odd trailing NUL is padding, not text
    try:
        return body.decode(codec), codec
    except UnicodeDecodeError as exc:
        raise _undecodable(source) from exc


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: ASCII characters leave NULs; the byte order whose text reads as text wins."""
    nuls = data.count(0, 0, 65536)
    if nuls < max(2, min(len(data), 65536) // 100):
        return None
    body = data[:-1] if len(data) % 2 and data.endswith(b"\x00") else data
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text[:32768]):
            return text, codec
    return None


# Characters a Chinese report is made of: ASCII, Latin, punctuation and symbols, CJK, full-width forms.
_UNLIKELY = re.compile(
    "[^\t\n\r\x0b\x0c\x20-\x7e\u00a0-\u024f\u2000-\u27ff\u3000-\u303f\u3400-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)


def _looks_like_text(text: str) -> bool:
    """At most 2% unlikely characters: a misread byte order or binary data gives far more."""
    return len(_UNLIKELY.findall(text)) <= 0.02 * len(text)


def _refuse_control_bytes(data: bytes, source: str) -> None:
    """Refuse bytes with NULs or control codes beyond a few strays: binary data, not text."""
    count = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if count > len(data) * _CONTROL_SHARE:
        raise ReportError(
            source,
            f"文件含有二进制内容（{count} 个 NUL 或控制字节），不是文本",
            f"file contains binary data ({count} NUL or control bytes), not text",
        )


def _strict_utf8(data: bytes) -> tuple[str, str] | None:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return None


def _damaged_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few broken bytes (e.g. cut off mid-character); GB bytes break on nearly every character."""
    text = ""
    # The head first: GB text fails there at once, without decoding the whole file twice.
    for part in (data[:4096], data):
        text = part.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
        if non_ascii - bad < 50 * bad:
            return None
    return text, "utf-8"


def _strict_gb18030(data: bytes) -> tuple[str, str] | None:
    # GB18030 is a superset of GBK and GB2312, so one codec reads all three.
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return None


# Encodings a Chinese report can be in beyond the fast paths; a guess of any other (cp1252, cp437, ...)
# on bytes that failed UTF-8 and GB18030 means the bytes are not Chinese text.
_GUESSABLE = ("big5", "cp950", "hz", "utf_16", "utf_32", "iso2022_cn")


def _guessed(data: bytes) -> tuple[str, str] | None:
    """Last resort for rarer encodings (Big5, UTF-32 without BOM, ...): ask charset-normalizer."""
    from charset_normalizer import from_bytes  # imported here: slow to import and rarely needed

    best = from_bytes(data).best()
    if best is None or not best.encoding.startswith(_GUESSABLE):
        return None
    return str(best), best.encoding


def _undecodable(source: str) -> ReportError:
    return ReportError(
        source,
        "无法识别文件编码（已尝试 UTF-8、GB18030/GBK/GB2312、UTF-16）",
        "cannot decode the file (tried UTF-8, GB18030/GBK/GB2312, UTF-16)",
    )


def check_report_text(text: str, source: str) -> None:
    """Refuse decoded text that is mojibake or has no “公开” at all, so it cannot be a disclosure report."""
    _refuse_replacement_chars(text, source)
    if "公开" in text:
        return
    wrong = _mojibake_of(text)
    if wrong:
        zh, en = wrong
        raise ReportError(
            source,
            f"文本无法识别，可能编码错误（像是{zh}）",
            f"text unreadable, probably a wrong encoding (looks like {en})",
        )
    raise ReportError(
        source,
        "文本无法识别，可能编码错误，或不是政府信息公开年报（全文没有“公开”二字）",
        "text unreadable, probably a wrong encoding, or not an information-disclosure report (no “公开” in the text)",
    )


def _refuse_replacement_chars(text: str, source: str) -> None:
    bad = text.count("\ufffd")
    if bad and bad > 0.01 * max(1, len(text) - text.count(" ") - text.count("\n")):
        raise ReportError(
            source,
            f"文本无法识别，可能编码错误（{bad} 个字符无法解码）",
            f"text unreadable, probably a wrong encoding ({bad} characters could not be decoded)",
        )


# How text goes wrong: (codec it was wrongly read with, codec it really was, 中文说明, English).
_MISREADINGS: tuple[tuple[str, str, str, str], ...] = (
    ("gb18030", "utf-8", "把 UTF-8 文件当成 GBK 读取", "UTF-8 read as GBK"),
    ("latin-1", "utf-8", "把 UTF-8 文件当成 Latin-1 读取", "UTF-8 read as Latin-1"),
    ("cp1252", "utf-8", "把 UTF-8 文件当成 Windows-1252 读取", "UTF-8 read as Windows-1252"),
    ("latin-1", "gb18030", "把 GBK 文件当成 Latin-1 读取", "GBK read as Latin-1"),
    ("cp1252", "gb18030", "把 GBK 文件当成 Windows-1252 读取", "GBK read as Windows-1252"),
    ("gb18030", "big5", "繁体 Big5 编码的文本", "Traditional Chinese text in Big5"),
)


def _mojibake_of(text: str) -> tuple[str, str] | None:
    """Undo the usual misreadings of a head sample; the one that brings back “公开” names the mistake."""
    sample = text[:4000]
    for read_as, really, zh, en in _MISREADINGS:
        restored = sample.encode(read_as, errors="ignore").decode(really, errors="ignore")
        if "公开" in restored or "公開" in restored:
            return zh, en
    return None
