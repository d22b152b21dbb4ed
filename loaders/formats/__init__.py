"""Read a report file of any supported format into a Document, choosing the reader by what the bytes are.

Readers are imported when first needed, so that a reader whose module or library is missing fails only for its
own format, with a message saying so, while every other format still reads.
"""

from __future__ import annotations

import importlib
import io
import zipfile
from collections.abc import Callable
from pathlib import PurePath

from loaders import textio
from loaders.model import Document, ReportError

from .registry import READERS
from .sniff import sniff

_READERS = READERS  # kind -> (module, function) of its reader

# What files we cannot read are, and what to do with them: kind -> (中文, English).
_REFUSALS: dict[str, tuple[str, str]] = {
    "doc": (
        "这是旧版 Word（.doc）、WPS 或 RTF 文件，请用 Word 或 WPS 另存为 .docx 后再导入",
        "this is an old binary Word (.doc), WPS or RTF file: save it as .docx in Word or WPS and import that",
    ),
    "xls": (
        "这是旧版 Excel（.xls）文件，请用 Excel 或 WPS 另存为 .xlsx 后再导入",
        "this is an old binary Excel (.xls) file: save it as .xlsx in Excel or WPS and import that",
    ),
    "encrypted": (
        "文件设有密码（已加密），请在 Word、Excel 或 WPS 中取消密码后另存，再导入",
        "the file is password-protected: remove the password in Word, Excel or WPS, save it and import that",
    ),
    "image": (
        "这是图片，不含可读取的文字；请导入报告的网页、Word、PDF（带文字层）或文本版本",
        "this is an image with no readable text: import the report as a web page, Word, PDF with text, or text file",
    ),
    "zip": (
        "这是压缩包，请先解压，再导入其中的报告文件",
        "this is an archive: unpack it and import the report files inside",
    ),
    "unknown": (
        "无法识别的文件格式：支持文本、网页（.html）、Markdown、Word（.docx）、Excel（.xlsx）和 PDF",
        "unrecognised file format: text, web pages, Markdown, Word (.docx), Excel (.xlsx) and PDF are supported",
    ),
}


def read_document(data: bytes, source: str) -> Document:
    """The report text of a file of any supported format; ReportError naming the file for anything else."""
    if not data:
        raise ReportError(source, "文件为空（0 字节）", "file is empty (0 bytes)")
    kind = sniff(data, source)
    if kind == "text":
        return read_text(data, source)
    if kind == "zip" and _damaged_archive(data):
        _refuse_damaged(source)
    if kind in _REFUSALS:
        zh, en = _REFUSALS[kind]
        raise ReportError(source, zh, en)
    return _reader(kind, source)(data, source)


# What a damaged ZIP package most likely was, by its file name (the damage hides what the content was).
_PACKAGE_NAMES = {
    ".docx": ("Word（.docx）", "Word (.docx)"),
    ".xlsx": ("Excel（.xlsx）", "Excel (.xlsx)"),
    ".xlsm": ("Excel（.xlsm）", "Excel (.xlsm)"),
    ".pptx": ("PowerPoint（.pptx）", "PowerPoint (.pptx)"),
}


def _damaged_archive(data: bytes) -> bool:
    """Whether a file that starts like a ZIP package cannot be opened as one (cut short or corrupt)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)):
            return False
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
        return True


def _refuse_damaged(source: str) -> None:
    """Refuse a damaged package, naming the kind of file its name says it was."""
    zh, en = _PACKAGE_NAMES.get(PurePath(source).suffix.lower(), ("Office 或压缩", "Office or ZIP"))
    raise ReportError(
        source,
        f"文件已损坏或不完整，无法作为{zh}文件打开；请重新下载或从原件重新保存后再导入",
        f"the file is a damaged or incomplete {en} file: download it again or save it again from the original",
    )


def read_text(data: bytes, source: str) -> Document:
    """A plain-text report: decoded as the text loader does; each line's location is its line number."""
    text, encoding = textio.decode(data, source)
    locations = [f"第{n}行" for n in range(1, text.count("\n") + 2)]
    return Document(text, locations, source_format="text", encoding=encoding)


def _reader(kind: str, source: str) -> Callable[[bytes, str], Document]:
    """The reader function for a kind, imported now; a missing reader is a clear error, not a crash."""
    module_name, function = _READERS[kind]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ReportError(
            source,
            f"暂时无法读取 {kind} 格式的文件（读取模块不可用：{exc}）",
            f"{kind} files cannot be read here (the reader is not available: {exc})",
        ) from exc
    return getattr(module, function)
