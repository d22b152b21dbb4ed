"""Web-page reports read into the same figures as their text originals, whatever the page wraps them in.

The pages (tests/formats_render.py) put a menu, scripts and a footer around the article, write the tables with
rowspan and colspan, and come in UTF-8 and in GB2312-declared GB18030 bytes with Word's "save as web page" residue.
"""

from __future__ import annotations

import base64
import re

import pytest

from loaders.formats.html import read_html
from loaders.keys import SECTION3_ROWS
from loaders.model import ReportError
from loaders.parse import parse_document
from tests import formats_render as fr

CASES = fr.RENDERED + fr.RENDERED_SETS
VARIANTS = {"utf-8": {}, "gb2312-word": {"charset": "gb2312", "word": True}}
_TABLE_OF_SECTION = {"二": 1, "三": 2, "四": 3}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", CASES)
def test_html_gives_the_figures_of_the_text(name: str, variant: str) -> None:
    orig = fr.original(name)
    source = f"{name}.html"
    doc = read_html(fr.render_html(orig, **VARIANTS[variant]), source)
    report = parse_document(doc, source)
    assert fr.figure_set(report) == fr.figure_set(orig.report)
    for fig in report.figures:
        if fig.kind != "table":
            assert fig.location == "正文", (fig.metric, fig.location)
            continue
        number, row = map(int, re.fullmatch(r"表(\d+) 第(\d+)行", fig.location or "").groups())
        assert number == _TABLE_OF_SECTION[fig.section], (fig.metric, fig.location)
        if fig.section == "三":
            rows = [r.metric for r in SECTION3_ROWS[orig.report.template]]
            assert row == 4 + rows.index(fig.metric), (fig.metric, fig.location)


def test_menus_scripts_and_footers_are_left_out() -> None:
    doc = read_html(fr.render_html(fr.original("zhangdian-district-gov-office-2021.txt")), "page.html")
    for outside in ("首页", "互动交流", "document.write", "访问量", "主办单位", "网站地图", "var menu"):
        assert outside not in doc.text
    assert doc.locations[0] == "标题" and doc.text.startswith("张店区人民政府办公室")


def test_gbk_page_decodes_by_its_declaration() -> None:
    data = fr.render_html(fr.original("shizhong-district-health-bureau-2021.txt"), charset="gb2312", word=True)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    doc = read_html(data, "page.htm")
    assert doc.encoding == "gb18030"
    assert "市中区卫生健康局" in doc.text
    assert "o:p" not in doc.text and "mso" not in doc.text and "WordDocument" not in doc.text


def test_page_declaring_gbk_but_written_in_utf8_still_reads() -> None:
    page = '<html><head><meta charset="gbk"><title>年报</title></head><body><p>政府信息公开</p></body></html>'
    doc = read_html(page.encode("utf-8"), "moved.html")
    assert doc.encoding == "utf-8"
    assert "政府信息公开" in doc.text


def _table(html: str) -> list[str]:
    doc = read_html(f"<html><body><p>政府信息公开</p>{html}</body></html>".encode(), "t.html")
    return [line for line, where in zip(doc.text.split("\n"), doc.locations, strict=True) if where.startswith("表")]


def test_a_merged_label_stands_once_and_a_blank_value_keeps_its_column() -> None:
    rows = _table(
        "<table><tr><td rowspan=3>三、本年度办理结果</td><td colspan=2>（一）予以公开</td><td>5</td></tr>"
        "<tr><td rowspan=2>（三）不予公开</td><td>1.属于国家秘密</td><td>0</td></tr>"
        "<tr><td>2.其他法律行政法规禁止公开</td><td>&nbsp;</td></tr></table>"
    )
    assert rows == [
        "三、本年度办理结果\t（一）予以公开\t5",
        "\t（三）不予公开\t1.属于国家秘密\t0",
        "\t\t2.其他法律行政法规禁止公开\t",
    ]


def test_a_caption_stands_before_its_rows() -> None:
    assert _table("<table><caption>表1</caption><tr><td>规章</td><td>0</td></tr></table>") == ["规章\t0"]
    doc = read_html(b"<p>\xe5\x85\xac</p><table><caption>cap</caption><tr><td>a</td><td>1</td></tr></table>", "c.html")
    assert doc.text.split("\n")[-2:] == ["cap", "a\t1"]


def test_cells_join_their_lines_and_ignore_word_residue() -> None:
    rows = _table(
        "<table><tbody><tr><td><p class=MsoNormal>商业<br>企业<o:p></o:p></p></td>"
        "<td><!--[if !supportLists]--><span style='mso-list:Ignore'>&nbsp;</span><!--[endif]-->12<o:p></o:p></td>"
        "<td><span style='display:none'>99</span>&nbsp;</td></tr></tbody></table>"
    )
    assert rows == ["商业 企业\t12\t"]


def test_layout_tables_are_read_as_text_not_as_rows() -> None:
    article = "<p>" + "本机关依法公开政府信息。" * 40 + "</p><table><tr><td>规章</td><td>0</td></tr></table>"
    page = f"<html><body><table><tr><td>菜单</td><td>{article}</td></tr></table></body></html>"
    doc = read_html(page.encode(), "layout.html")
    assert doc.locations.count("表1 第1行") == 1  # only the data table inside the layout cell is a table
    assert doc.text.split("\n")[doc.locations.index("表1 第1行")] == "规章\t0"


def test_single_file_web_page_is_unwrapped() -> None:
    orig = fr.original("zhangdian-district-gov-office-2021.txt")
    page = fr.render_html(orig, charset="gb2312")
    mht = (
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
        b'Content-Type: text/html; charset="gb2312"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        + base64.encodebytes(page)
        + b"\r\n--b--\r\n"
    )
    report = parse_document(read_html(mht, "report.mht"), "report.mht")
    assert fr.figure_set(report) == fr.figure_set(orig.report)


BAD = [
    ("zero bytes", b"", "文件为空"),
    ("only markup", b"<html><head><title></title></head><body><div></div></body></html>", "没有正文文字"),
    ("only a script", b"<html><body><script>var x = 1;</script></body></html>", "没有正文文字"),
    ("nested 10,000 deep", fr.deep_html(10_000), "嵌套过深"),
    ("nested 2,100 deep", fr.deep_html(2_100), "嵌套过深"),
    ("binary", bytes(range(256)) * 40, "二进制"),
]


@pytest.mark.parametrize(("what", "data", "zh"), BAD, ids=[b[0] for b in BAD])
def test_bad_pages_are_refused_naming_the_file(what: str, data: bytes, zh: str) -> None:
    with pytest.raises(ReportError) as caught:
        read_html(data, "bad.html")
    assert str(caught.value).startswith("bad.html: ")
    assert zh in caught.value.zh


def test_deep_but_bounded_nesting_still_reads() -> None:
    doc = read_html(fr.deep_html(1_500), "deep.html")
    assert "本年度公开信息10条" in doc.text


def test_truncated_page_is_refused_by_the_parser() -> None:
    page = fr.render_html(fr.original("zhangdian-district-gov-2021.txt"))
    cut = page[: page.index("四、政府信息公开行政复议".encode()) - 200]
    doc = read_html(cut, "cut.html")
    with pytest.raises(ReportError) as caught:
        parse_document(doc, "cut.html")
    assert "报告不完整" in caught.value.zh


def test_entity_bomb_in_a_page_is_not_expanded() -> None:
    bomb = fr.entity_bomb_xml(10).decode().replace(f' xmlns:w="{fr.W_NS}"', "").replace("w:document", "html")
    page = bomb.replace("<w:body><w:p><w:r><w:t>", "<body><p>").replace("</w:t></w:r></w:p></w:body>", "</p></body>")
    doc = read_html(page.encode(), "bomb.html")
    assert len(doc.text) < 1000  # ten levels expanded would be 10^10 copies of the first entity
    with pytest.raises(ReportError, match="bomb.html"):
        parse_document(doc, "bomb.html")


# --- blank cells keep their columns ----------------------------------------------------------------


def test_blank_cells_keep_their_columns_in_a_web_page_table() -> None:
    # Blank 总计 cells, a blank applicant cell beside a label merged across two columns, blanks in a row with a
    # two-level label, and a section 四 with only the 行政复议 block filled: every other cell stays in its column.
    report = parse_document(read_html(fr.render_html(fr.blank_cells_original()), "blank.html"), "blank.html")
    fr.assert_blank_cells_kept(report)


def test_a_spacer_column_is_dropped_and_a_blank_cell_kept() -> None:
    rows = _table(
        "<table><tr><td>信息内容</td><td>本年新制作数量</td><td>&nbsp;</td><td>对外公开总数量</td></tr>"
        "<tr><td>规章</td><td>5</td><td>&nbsp;</td><td>&nbsp;</td></tr>"
        "<tr><td>规范性文件</td><td>&nbsp;</td><td></td><td>95</td></tr></table>"
    )
    assert rows == ["信息内容\t本年新制作数量\t对外公开总数量", "规章\t5\t", "规范性文件\t\t95"]


def test_a_two_row_header_reads_as_its_labels_only() -> None:
    rows = _table(
        "<table><tr><td colspan=5>行政复议</td><td colspan=2>行政诉讼</td></tr>"
        "<tr><td rowspan=2>维持</td><td rowspan=2>纠正</td><td rowspan=2>其他结果</td><td rowspan=2>尚未审结</td>"
        "<td rowspan=2>总计</td><td colspan=2>未经复议直接起诉</td></tr>"
        "<tr><td>维持</td><td>总计</td></tr>"
        "<tr><td>3</td><td>&nbsp;</td><td>&nbsp;</td><td>1</td><td>4</td><td>&nbsp;</td><td>&nbsp;</td></tr></table>"
    )
    assert rows[:2] == ["行政复议\t行政诉讼", "维持\t纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉"]
    assert rows[2].split("\t") == ["", "", "", "", "", "维持", "总计"]  # the labels merged down keep their columns
    assert rows[3].split("\t") == ["3", "", "", "1", "4", "", ""]
