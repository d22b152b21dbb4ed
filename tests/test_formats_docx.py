"""Word reports read into the same figures as their text originals; merged cells stand once; bad files are refused.

The real reports are rendered as .docx by tests/formats_render.py: 2021-template reports fill the official blank
template, the others get tables built with the same merges (labels merged down many rows, headers across).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.formats.docx import read_docx
from loaders.keys import SECTION3_ROWS
from loaders.model import ReportError
from loaders.parse import parse_document
from tests import formats_render as fr

REPO = Path(__file__).resolve().parent.parent
CASES = fr.RENDERED + fr.RENDERED_SETS
_TABLE_OF_SECTION = {"二": 1, "三": 2, "四": 3}


@pytest.mark.parametrize("name", CASES)
def test_docx_gives_the_figures_of_the_text(name: str) -> None:
    orig = fr.original(name)
    source = f"{name}.docx"
    report = parse_document(read_docx(fr.render_docx(orig), source), source)
    assert report.source_format == "docx"
    assert fr.figure_set(report) == fr.figure_set(orig.report)
    for fig in report.figures:
        if fig.kind == "table":
            number, row = map(int, re.fullmatch(r"表(\d+) 第(\d+)行", fig.location or "").groups())
            assert number == _TABLE_OF_SECTION[fig.section], (fig.metric, fig.location)
            if fig.section == "三":  # three header rows, then the template's rows in order
                rows = [r.metric for r in SECTION3_ROWS[orig.report.template]]
                assert row == 4 + rows.index(fig.metric), (fig.metric, fig.location)
        else:
            assert re.fullmatch(r"第\d+段", fig.location or ""), (fig.metric, fig.location)


def test_merged_cells_stand_once_at_their_first_position() -> None:
    doc = read_docx(fr.TEMPLATE_2021.read_bytes(), "template.docx")
    assert doc.text.count("三、本年度办理结果") == 1  # merged down 23 rows of the template
    assert doc.text.count("（三）不予公开") == 1
    assert doc.text.count("申请人情况") == 1  # merged across seven columns
    rows = dict(zip(doc.locations, doc.text.split("\n"), strict=True))
    # A label merged across columns stands once (its filler is left out); one merged down keeps its first column
    # empty on the rows below; the seven value cells keep their columns.
    assert rows["表2 第8行"].split("\t") == ["", "（三）不予公开", "1.属于国家秘密"] + [""] * 7
    assert rows["表2 第9行"].split("\t") == ["", "", "2.其他法律行政法规禁止公开"] + [""] * 7
    assert rows["表1 第7行"] == "行政许可\t\t\t"  # one value cell spanning three columns
    assert rows["表2 第3行"].split("\t")[2] == "商业 企业"  # a line break inside a cell is a space


def test_paragraphs_and_tables_keep_document_order() -> None:
    doc = read_docx(fr.TEMPLATE_2021.read_bytes(), "template.docx")
    lines = doc.text.split("\n")
    order = [lines.index(h) for h in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况")]
    first_table = doc.locations.index("表1 第1行")
    second_table = doc.locations.index("表2 第1行")
    assert order[0] < first_table < order[1] < second_table
    assert doc.locations[order[0]].startswith("第") and doc.locations[order[0]].endswith("段")


def test_automatic_list_numbers_are_written_out() -> None:
    # Headings numbered by Word's list numbering carry no "二、" in their text; the reader writes it back.
    numbering = (
        f'<w:numbering xmlns:w="{fr.W_NS}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">'
        '<w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/>'
        '</w:lvl></w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )
    items = [(0, "总体情况"), (1, "主动公开情况"), (1, "依申请公开情况"), (0, "主动公开政府信息情况"), (1, "规章")]
    body = "".join(
        f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="3"/></w:numPr></w:pPr>'
        f"<w:r><w:t>{text}</w:t></w:r></w:p>"
        for lvl, text in items
    )
    doc = read_docx(fr.docx_with_numbering(body, numbering), "numbered.docx")
    assert doc.text.split("\n") == [
        "一、总体情况",
        "（一）主动公开情况",
        "（二）依申请公开情况",
        "二、主动公开政府信息情况",
        "（一）规章",
    ]


def test_numbering_restarts_where_a_list_says_so() -> None:
    numbering = (
        f'<w:numbering xmlns:w="{fr.W_NS}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">'
        '<w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%1）"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="0"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num></w:numbering>'
    )
    body = "".join(
        f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr></w:pPr>'
        f"<w:r><w:t>{text}</w:t></w:r></w:p>"
        for num, text in ((1, "甲"), (1, "乙"), (2, "丙"), (2, "丁"))
    )
    doc = read_docx(fr.docx_with_numbering(body, numbering), "restart.docx")
    assert doc.text.split("\n") == ["（一）甲", "（二）乙", "（一）丙", "（二）丁"]


def test_a_frame_table_around_the_report_is_read_through() -> None:
    # Reports pasted from web pages often sit in one big cell; the figures table inside must stay a table.
    row = "<w:tr>{}</w:tr>"
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    inner = "<w:tbl>" + row.format(cell.format("规章") + cell.format("0")) + "</w:tbl>"
    heading = "<w:p><w:r><w:t>二、主动公开政府信息情况</w:t></w:r></w:p>"
    frame = f"<w:tbl><w:tr><w:tc>{heading}{inner}<w:p/></w:tc></w:tr></w:tbl>"
    doc = read_docx(fr.docx_with_numbering(frame, None), "framed.docx")
    assert list(zip(doc.locations, doc.text.split("\n"), strict=True)) == [
        ("第1段", "二、主动公开政府信息情况"),
        ("表1 第1行", "规章\t0"),
        ("第2段", ""),
    ]


def test_deleted_and_hidden_text_is_left_out() -> None:
    body = (
        "<w:p><w:r><w:t>共收到申请</w:t></w:r><w:del><w:r><w:delText>99</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>12</w:t></w:r></w:ins><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>"
        "<w:r><w:t>件</w:t></w:r></w:p>"
    )
    assert read_docx(fr.docx_with_numbering(body, None), "revised.docx").text == "共收到申请12件"


# --- bad files ---------------------------------------------------------------------------------------

BASE = fr.small_docx()
BAD = [
    ("zero bytes", b"", "文件为空"),
    ("truncated", BASE[: len(BASE) // 2], "损坏或不完整"),
    ("first bytes only", BASE[:100], "损坏或不完整"),
    ("not a zip", "这不是 Word 文件".encode(), "损坏或不完整"),
    ("damaged body", fr.corrupted_member(BASE, "word/document.xml"), "损坏"),
    ("zip without Word body", fr.zip_only({"a.txt": b"x"}), "不是 Word 文档"),
    ("spreadsheet", fr.xlsx_bytes(), "不是 Word 文档"),
    ("zip bomb: 210 MB expanded", fr.zip_bomb(BASE, 210), "解压后过大"),
    ("zip bomb: 1000x ratio", fr.zip_bomb(BASE, 20), "压缩比异常"),
    ("billion laughs", fr.replaced_members(BASE, {"word/document.xml": fr.entity_bomb_xml(10)}), "实体声明"),
    ("small entity bomb", fr.replaced_members(BASE, {"word/document.xml": fr.entity_bomb_xml(4)}), "实体声明"),
    ("external entity", fr.replaced_members(BASE, {"word/document.xml": fr.external_entity_xml()}), "实体声明"),
    ("XML nested 300 deep", fr.replaced_members(BASE, {"word/document.xml": fr.deep_xml(300)}), "XML 无法解析"),
    ("password-protected", fr.ole_file("EncryptionInfo", "EncryptedPackage"), "设有密码"),
    ("old binary Word", fr.ole_file("WordDocument"), "旧版 Word"),
    ("no text", fr.small_docx(""), "没有文字"),
]


@pytest.mark.parametrize(("what", "data", "zh"), BAD, ids=[b[0] for b in BAD])
def test_bad_docx_is_refused_naming_the_file(what: str, data: bytes, zh: str) -> None:
    with pytest.raises(ReportError) as caught:
        read_docx(data, "bad.docx")
    assert str(caught.value).startswith("bad.docx: ")
    assert zh in caught.value.zh
    assert caught.value.en  # and the English half


_UNDER_1GB = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from loaders.formats.docx import read_docx
from loaders.model import ReportError
try:
    read_docx(sys.stdin.buffer.read(), "bomb.docx")
except ReportError as exc:
    print(exc.zh)
"""


@pytest.mark.parametrize("what", ["zip bomb: 210 MB expanded", "zip bomb: 1000x ratio", "billion laughs"])
def test_bombs_are_refused_within_1gb_of_memory(what: str) -> None:
    data = next(b[1] for b in BAD if b[0] == what)
    run = subprocess.run(
        [sys.executable, "-c", _UNDER_1GB], input=data, capture_output=True, cwd=REPO, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr.decode(errors="replace")[-2000:]
    assert "已拒绝" in run.stdout.decode()


# --- blank cells keep their columns ----------------------------------------------------------------


def test_blank_cells_keep_their_columns_in_a_word_table() -> None:
    # Blank 总计 cells, a blank applicant cell beside a label merged across two columns, blanks in a row with a
    # two-level label, and a section 四 with only the 行政复议 block filled: every other cell stays in its column.
    report = parse_document(read_docx(fr.render_docx(fr.blank_cells_original()), "blank.docx"), "blank.docx")
    fr.assert_blank_cells_kept(report)
