"""Decoding report files: every real report, the common encodings, and each kind of bad input."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from loaders.model import ReportError
from loaders.textio import MAX_BYTES, check_report_text, decode, normalise, read_source

REPORTS = Path(__file__).parent / "fixtures" / "reports"
REPORT_FILES = sorted(REPORTS.glob("*.txt"))
SEED = REPORTS / "zhangdian-district-gov-2021.txt"


def seed_text() -> str:
    """A real report as text (it has tabs, full-width spaces and ASCII digits as well as hanzi)."""
    return SEED.read_text(encoding="utf-8")


def refused(path: Path) -> ReportError:
    """The error read_source raises for a file, checked to name the file in both languages."""
    with pytest.raises(ReportError) as caught:
        read_source(path)
    err = caught.value
    assert path.name in str(err)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.zh), err.zh
    assert err.en.isascii() or "“公开”" in err.en, err.en
    assert err.zh in str(err) and err.en in str(err)
    return err


# --- real reports ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: p.name)
def test_every_real_report_reads_as_utf8_unchanged(path: Path):
    data, text, encoding = read_source(path)
    assert data == path.read_bytes()
    assert encoding == "utf-8"
    assert text == data.decode("utf-8")


def test_pdftotext_page_breaks_are_kept():
    # Form feeds separate the pages of the PDF's text; they are characters of the file, not junk.
    _, text, _ = read_source(REPORTS / "022_hongze_district_gov_2023_pdf_raw.txt")
    assert text.count("\x0c") == 5


# --- encodings -------------------------------------------------------------------------------------

ENCODINGS = [
    ("gb18030", b"", "gb18030"),
    ("gbk", b"", "gb18030"),
    ("utf-16-le", b"\xff\xfe", "utf-16-le"),
    ("utf-16-be", b"\xfe\xff", "utf-16-be"),
    ("utf-16-le", b"", "utf-16-le"),
    ("utf-16-be", b"", "utf-16-be"),
    ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
    ("utf-32-le", b"\xff\xfe\x00\x00", "utf-32-le"),
]


@pytest.mark.parametrize(("codec", "bom", "expected"), ENCODINGS, ids=lambda v: repr(v))
def test_encodings_round_trip(tmp_path: Path, codec: str, bom: bytes, expected: str):
    text = seed_text()
    path = tmp_path / f"seed-{codec}.txt"
    path.write_bytes(bom + text.encode(codec))
    _, decoded, encoding = read_source(path)
    assert decoded == text
    assert encoding == expected


@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: p.name)
def test_every_real_report_round_trips_through_gb18030_and_utf16(path: Path):
    text = path.read_text(encoding="utf-8")
    assert decode(text.encode("gb18030"), path.name) == (text, "gb18030")
    assert decode(text.encode("utf-16-le"), path.name) == (text, "utf-16-le")


def test_gb2312_text_reads_as_gb18030():
    text = "张店区人民政府\n2021年政府信息公开工作年度报告\n本年新收政府信息公开申请105件。\n"
    assert decode(text.encode("gb2312"), "gb2312.txt") == (text, "gb18030")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_newlines_are_normalised_and_lines_keep_their_numbers(newline: str):
    text = seed_text()
    decoded, _ = decode(text.replace("\n", newline).encode("utf-8"), "crlf.txt")
    assert decoded == text
    assert decoded.split("\n") == text.split("\n")


def test_normalise_drops_bom_and_nuls_and_keeps_everything_else():
    assert normalise("\ufeff公开\r\n第\x00二行\r第三行\u3000\x0c\t") == "公开\n第二行\n第三行\u3000\x0c\t"


def test_odd_trailing_nul_of_utf16_is_dropped():
    text = seed_text()
    decoded, encoding = decode(b"\xff\xfe" + text.encode("utf-16-le") + b"\x00", "padded.txt")
    assert (decoded, encoding) == (text, "utf-16-le")


def test_a_few_stray_control_bytes_are_kept():
    text = seed_text() + "\x1a"
    assert decode(text.encode("utf-8"), "dos-eof.txt") == (text, "utf-8")


def test_nul_padding_after_utf8_is_dropped():
    text = seed_text()
    assert decode(text.encode("utf-8") + b"\x00" * 4096, "padded.txt") == (text, "utf-8")


def test_utf8_cut_mid_character_still_reads_as_utf8():
    data = seed_text().encode("utf-8") + "公".encode()[:2]
    text, encoding = decode(data, "cut.txt")
    assert encoding == "utf-8"
    assert text == seed_text() + "\ufffd"


def test_big5_text_is_refused_naming_big5():
    text = "政府資訊公開工作年度報告\n本年度共受理政府資訊公開申請一百零五件，均已依法答覆。\n" * 20
    decoded, encoding = decode(text.encode("big5"), "big5.txt")
    # Big5 also decodes as GB18030 (its byte ranges fit), so the check on the text is what catches it.
    with pytest.raises(ReportError, match="Big5"):
        check_report_text(decoded, "big5.txt")
    assert encoding in {"gb18030", "big5", "cp950"}


# --- bad input -------------------------------------------------------------------------------------


def test_empty_file_is_refused(tmp_path: Path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "文件为空" in refused(path).zh


@pytest.mark.parametrize("content", [b"   \n\n\t ", "\u3000\u3000\r\n".encode(), b"\xff\xfe \x00\n\x00"])
def test_whitespace_only_file_is_refused(tmp_path: Path, content: bytes):
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    err = refused(path)
    assert "空白" in err.zh and "whitespace" in err.en


@pytest.mark.parametrize(
    ("name", "zh", "en"),
    [("hongze_district_gov_2023.pdf", "PDF 文件", "PDF"), ("official_template_2021_blank.docx", "Word", "Word")],
)
def test_real_pdf_and_word_files_are_named_for_what_they_are(tmp_path: Path, name: str, zh: str, en: str):
    path = tmp_path / f"{name}.txt"  # a wrong extension must not matter
    path.write_bytes((REPORTS / name).read_bytes())
    err = refused(path)
    assert f"这是一个 {zh}" in err.zh
    assert "不是文本" in err.zh and en in err.en and "not text" in err.en


@pytest.mark.parametrize(
    ("head", "zh"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "图片（PNG）"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "图片（JPEG）"),
        (b"PK\x03\x04\x14\x00\x00\x00notes.txt", "ZIP 压缩包"),
        (b"PK\x03\x04\x14\x00\x00\x00OFD.xml", "OFD 版式文档"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "旧版 Word/Excel/WPS 文档"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "图片（WebP）"),
    ],
)
def test_known_binary_signatures_are_named(tmp_path: Path, head: bytes, zh: str):
    path = tmp_path / "upload.txt"
    path.write_bytes(head + bytes(range(256)) * 4)
    assert refused(path).zh.replace(" ", "") == f"这是一个{zh}，不是文本".replace(" ", "")


def test_binary_junk_with_nuls_is_refused(tmp_path: Path):
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes(range(256)) * 40)
    err = refused(path)
    assert "二进制" in err.zh and "binary" in err.en


def test_nul_only_file_is_refused(tmp_path: Path):
    path = tmp_path / "zeros.txt"
    path.write_bytes(b"\x00" * 1000)
    assert "NUL" in refused(path).zh


def test_control_bytes_without_nuls_are_refused(tmp_path: Path):
    path = tmp_path / "ctrl.txt"
    path.write_bytes(("公开" * 100).encode("utf-8") + bytes(range(1, 32)) * 10)
    assert "二进制" in refused(path).zh


def test_bytes_in_no_supported_encoding_are_refused(tmp_path: Path):
    path = tmp_path / "undecodable.txt"
    path.write_bytes(b"\x80\xff" * 300)  # not UTF-8, not GB18030 (0x80 leads nothing), no NULs for UTF-16
    err = refused(path)
    assert "无法识别文件编码" in err.zh and "cannot decode" in err.en


@pytest.mark.parametrize(
    ("garble", "said"),
    [
        (lambda t: t.encode("utf-8").decode("latin-1"), "UTF-8 read as Latin-1"),
        (lambda t: t.encode("gbk").decode("latin-1"), "GBK read as Latin-1"),
        (lambda t: t.encode("utf-8").decode("gbk", errors="replace"), "could not be decoded"),
        (lambda t: t.encode("utf-8")[:3000].decode("gb18030", errors="ignore"), "UTF-8 read as GBK"),
    ],
)
def test_mojibake_is_refused_as_a_wrong_encoding(tmp_path: Path, garble, said: str):
    path = tmp_path / "mojibake.txt"
    path.write_text(garble(seed_text()), encoding="utf-8")
    err = refused(path)
    assert "文本无法识别，可能编码错误" in err.zh
    assert "text unreadable, probably a wrong encoding" in err.en and said in err.en


def test_text_without_gongkai_is_not_a_report(tmp_path: Path):
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n今天讨论了三件事。\n", encoding="utf-8")
    err = refused(path)
    assert "公开" in err.zh and "wrong encoding" in err.en


def test_missing_file_and_folder_are_refused(tmp_path: Path):
    assert "不存在" in refused(tmp_path / "missing.txt").zh
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert "文件夹" in refused(folder).zh


def test_file_over_the_limit_is_refused_without_reading_it(tmp_path: Path):
    path = tmp_path / "huge.txt"
    chunk = ("本年度政府信息公开工作年度报告。\n" * 4096).encode("utf-8")
    with path.open("wb") as fh:
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk)
        fh.truncate(50 * 1024 * 1024)
    tracemalloc.start()
    try:
        err = refused(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "50.0 MB" in err.zh and "20 MB" in err.zh
    assert "too large" in err.en and "50.0 MB" in err.en
    assert peak < 1024 * 1024, f"peak {peak} bytes: the file was read"
    path.unlink()  # 50 MB is too much to leave behind in the temp folder


def test_bytes_over_the_limit_are_refused():
    with pytest.raises(ReportError, match="20 MB"):
        decode(b"a" * (MAX_BYTES + 1), "big.txt")
