"""Files are recognised by their content, whatever they are called, and read_document sends each to its reader."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from loaders.formats import read_document
from loaders.formats.sniff import ole_stream_names, sniff
from loaders.model import ReportError
from tests import formats_render as fr

REPORTS = Path(__file__).resolve().parent / "fixtures" / "reports"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(20)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)


def _page() -> bytes:
    return fr.render_html(fr.original("zhangdian-district-gov-office-2021.txt"))


def _markdown() -> bytes:
    return fr.render_markdown(fr.original("zhangdian-district-gov-office-2021.txt"))


DOCX = fr.small_docx()
TEXT = (REPORTS / "zhangdian-district-gov-2021.txt").read_bytes()
GBK_PAGE = fr.render_html(fr.original("shizhong-district-health-bureau-2021.txt"), "gb2312")
MHT_HEAD = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n"

CASES = [
    # (what, bytes, name, kind)
    ("real text report", TEXT, "zhangdian.txt", "text"),
    ("text without extension", TEXT, "report", "text"),
    ("text as GB18030", TEXT.decode("utf-8").encode("gb18030"), "report.txt", "text"),
    ("text as UTF-16 with BOM", TEXT.decode("utf-8").encode("utf-16"), "report.txt", "text"),
    ("text as UTF-16 without BOM", TEXT.decode("utf-8").encode("utf-16-le"), "report.txt", "text"),
    ("real PDF", (REPORTS / "hongze_district_gov_2023.pdf").read_bytes(), "hongze.pdf", "pdf"),
    ("PDF named .docx", (REPORTS / "hongze_district_gov_2023.pdf").read_bytes(), "report.docx", "pdf"),
    ("official template", (REPORTS / "official_template_2021_blank.docx").read_bytes(), "t.docx", "docx"),
    ("docx named .pdf", DOCX, "report.pdf", "docx"),
    ("docx without extension", DOCX, "report", "docx"),
    ("docx named .doc", DOCX, "report.doc", "docx"),
    ("truncated docx", DOCX[: len(DOCX) // 2], "report.docx", "docx"),
    ("xlsx", fr.xlsx_bytes(), "report.xlsx", "xlsx"),
    ("xlsx named .docx", fr.xlsx_bytes(), "report.docx", "xlsx"),
    ("zip of files", fr.zip_only({"a.txt": b"x", "b.txt": b"y"}), "reports.zip", "zip"),
    ("zip holding a docx", fr.zip_only({"report.docx": DOCX}), "reports.zip", "zip"),
    ("gzip", gzip.compress(b"abc"), "a.gz", "zip"),
    ("old Word", fr.ole_file("WordDocument", "1Table"), "report.doc", "doc"),
    ("old Word named .docx", fr.ole_file("WordDocument"), "report.docx", "doc"),
    ("old Excel", fr.ole_file("Workbook"), "report.xls", "xls"),
    ("encrypted docx", fr.ole_file("EncryptionInfo", "EncryptedPackage"), "report.docx", "encrypted"),
    ("RTF named .doc", b"{\\rtf1\\ansi\\ansicpg936 \\f0 \\'b9\\'ab\\'bf\\'aa}", "report.doc", "doc"),
    ("PNG", PNG, "scan.png", "image"),
    ("JPEG named .pdf", JPEG, "scan.pdf", "image"),
    ("web page", _page(), "report.html", "html"),
    ("web page saved as .txt", _page(), "report.txt", "html"),
    ("web page without extension", _page(), "report", "html"),
    (
        "GBK web page",
        fr.render_html(fr.original("shizhong-district-health-bureau-2021.txt"), "gb2312"),
        "a.htm",
        "html",
    ),
    ("web page as UTF-16", _page().decode("utf-8").encode("utf-16"), "report.html", "html"),
    ("HTML fragment in .txt", b"<div><p>a</p><p>b</p><table><tr><td>1</td></tr></table></div>", "a.txt", "html"),
    (
        "single-file web page",
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n",
        "a.mht",
        "html",
    ),
    ("Markdown", _markdown(), "report.md", "markdown"),
    ("Markdown without extension", _markdown(), "report", "markdown"),
    ("Markdown named .txt", _markdown(), "report.txt", "text"),
    ("plain text named .md", "一、总体情况\n本年度公开信息。\n".encode(), "report.md", "markdown"),
    ("binary noise", bytes(range(256)) * 40, "report.txt", "unknown"),
    ("empty", b"", "report.txt", "unknown"),
]


@pytest.mark.parametrize(("what", "data", "name", "kind"), CASES, ids=[c[0] for c in CASES])
def test_sniff_by_content(what: str, data: bytes, name: str, kind: str) -> None:
    assert sniff(data, name) == kind


def test_ole_directory_is_read_not_guessed() -> None:
    names = ole_stream_names(fr.ole_file("EncryptionInfo", "EncryptedPackage"))
    assert names == {"Root Entry", "EncryptionInfo", "EncryptedPackage"}


# --- read_document -------------------------------------------------------------------------------------

REFUSED = [
    ("report.doc", fr.ole_file("WordDocument"), "旧版 Word（.doc）", "save it as .docx"),
    ("report.xls", fr.ole_file("Workbook"), "旧版 Excel（.xls）", "save it as .xlsx"),
    ("report.docx", fr.ole_file("EncryptionInfo", "EncryptedPackage"), "设有密码", "password-protected"),
    ("scan.jpg", JPEG, "这是图片", "image"),
    ("all.zip", fr.zip_only({"a.docx": DOCX}), "压缩包", "unpack it"),
    ("noise.bin", bytes(range(256)) * 40, "无法识别的文件格式", "unrecognised file format"),
    ("nothing.txt", b"", "文件为空", "file is empty"),
]


@pytest.mark.parametrize(("name", "data", "zh", "en"), REFUSED, ids=[r[0] for r in REFUSED])
def test_read_document_refuses_with_a_clear_message(name: str, data: bytes, zh: str, en: str) -> None:
    with pytest.raises(ReportError) as caught:
        read_document(data, name)
    assert caught.value.source == name
    assert str(caught.value).startswith(f"{name}: ")
    assert zh in caught.value.zh and en in caught.value.en


def test_read_document_text_keeps_line_numbers_as_locations() -> None:
    doc = read_document(TEXT, "zhangdian.txt")
    assert doc.source_format == "text"
    assert len(doc.locations) == doc.text.count("\n") + 1
    assert doc.locations[9] == "第10行"


@pytest.mark.parametrize(
    ("name", "data", "source_format"),
    [
        ("report.pdf", DOCX, "docx"),
        ("report.txt", _page(), "html"),
        ("report.md", _markdown(), "markdown"),
        ("report.docx", (REPORTS / "hongze_district_gov_2023.pdf").read_bytes(), "pdf"),
        ("report.xlsx", fr.xlsx_bytes(), "xlsx"),
    ],
)
def test_read_document_dispatches_by_content(name: str, data: bytes, source_format: str) -> None:
    assert read_document(data, name).source_format == source_format
