"""Markdown reports, with pipe tables as PDF converters write them, read into the same figures as the text."""

from __future__ import annotations

import re

import pytest

from loaders.formats.markdown import read_markdown
from loaders.model import ReportError
from loaders.parse import parse_document
from tests import formats_render as fr

CASES = fr.RENDERED + fr.RENDERED_SETS
_TABLE_OF_SECTION = {"二": 1, "三": 2, "四": 3}


@pytest.mark.parametrize("name", CASES)
def test_markdown_gives_the_figures_of_the_text(name: str) -> None:
    orig = fr.original(name)
    source = f"{name}.md"
    report = parse_document(read_markdown(fr.render_markdown(orig), source), source)
    assert report.source_format == "markdown"
    assert fr.figure_set(report) == fr.figure_set(orig.report)
    for fig in report.figures:
        if fig.kind == "table":
            match = re.fullmatch(r"表(\d+) 第\d+行", fig.location or "")
            assert match and int(match.group(1)) == _TABLE_OF_SECTION[fig.section], (fig.metric, fig.location)
        else:
            assert re.fullmatch(r"第\d+行", fig.location or ""), (fig.metric, fig.location)


def _read(markdown: str) -> list[tuple[str, str]]:
    doc = read_markdown(markdown.encode(), "t.md")
    return list(zip(doc.locations, doc.text.split("\n"), strict=True))


def test_pipe_tables_become_tab_rows() -> None:
    lines = _read(
        "## 二、主动公开政府信息情况\n"
        "| 第二十条第（一）项 | | | |\n"
        "|:---|---:|---|---|\n"
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
        "| 规章 | 0 | | 0\n"  # no closing pipe
        "行政规范性文件 | 12 | 0 |\n"  # no opening pipe, ragged
        "\n"
        "**说明**：数据截至 12 月 31 日。"
    )
    assert lines == [
        ("第1行", "二、主动公开政府信息情况"),
        ("表1 第1行", "第二十条第（一）项\t\t\t"),
        ("表1 第2行", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数"),
        ("表1 第3行", "规章\t0\t\t0"),
        ("表1 第4行", "行政规范性文件\t12\t0"),
        ("第7行", ""),
        ("第8行", "说明：数据截至 12 月 31 日。"),
    ]


def test_cells_keep_escaped_pipes_and_join_broken_lines() -> None:
    lines = _read("| 商业<br>企业 | a \\| b | \\- |\n| --- | --- | --- |")
    assert lines == [("表1 第1行", "商业 企业\ta | b\t-")]


def test_a_new_table_starts_after_a_text_line() -> None:
    lines = _read("| a | 1 |\n| b | 2 |\n第 3 页\n| c | 3 |")
    assert [where for where, _ in lines] == ["表1 第1行", "表1 第2行", "第3行", "表2 第1行"]


def test_html_tables_inside_markdown_are_laid_out() -> None:
    lines = _read(
        "三、收到和处理政府信息公开申请情况\n<table>\n<tr><td rowspan=2>三、本年度办理结果</td><td>（一）予以公开</td>"
        "<td>5</td></tr>\n<tr><td>（二）部分公开</td><td>1</td></tr>\n</table>\n结束"
    )
    assert lines == [
        ("第1行", "三、收到和处理政府信息公开申请情况"),
        ("表1 第1行", "三、本年度办理结果\t（一）予以公开\t5"),
        ("表1 第2行", "\t（二）部分公开\t1"),
        ("第6行", "结束"),
    ]


def test_text_without_tables_is_kept_as_it_is() -> None:
    text = "一、总体情况\n2021年，全区共收到申请105件（其中自然人85件）。\n"
    assert [line for _, line in _read(text)] == ["一、总体情况", "2021年，全区共收到申请105件（其中自然人85件）。", ""]


BAD = [
    ("zero bytes", b"", "文件为空"),
    ("only white space", b" \n\t\n", "空白"),
    ("binary", bytes(range(256)) * 40, "二进制"),
    ("a PDF", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
]


@pytest.mark.parametrize(("what", "data", "zh"), BAD, ids=[b[0] for b in BAD])
def test_bad_markdown_is_refused_naming_the_file(what: str, data: bytes, zh: str) -> None:
    with pytest.raises(ReportError) as caught:
        read_markdown(data, "bad.md")
    assert str(caught.value).startswith("bad.md: ")
    assert zh in caught.value.zh


def test_truncated_markdown_is_refused_by_the_parser() -> None:
    md = fr.render_markdown(fr.original("zhangdian-district-gov-2021.txt"))
    cut = md[: md.index("## 四、".encode())]
    with pytest.raises(ReportError) as caught:
        parse_document(read_markdown(cut, "cut.md"), "cut.md")
    assert "报告不完整" in caught.value.zh
