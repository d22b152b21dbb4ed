"""Markdown reports, with pipe tables as PDF converters write them, read into the same figures as the text."""

from __future__ import annotations

import re

import pytest

from loaders.formats.markdown import read_markdown
from loaders.keys import APPLICANTS, SECTION3_ROWS
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


# --- tables a converter broke apart --------------------------------------------------------------------

_HEAD = (
    "# 示例县住房和城乡建设局2024年政府信息公开工作年度报告\n\n"
    "一、总体情况\n2024年，本局扎实推进政务公开工作，全年主动公开政府信息126条。\n\n"
)
_S2_TEXT = (
    "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
    "规章\t0\t0\t0\n行政规范性文件\t3\t1\t17\n第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t58\n"
    "第二十条第（六）项\n信息内容\t本年处理决定数量\n行政处罚\t9\n行政强制\t0\n"
    "第二十条第（八）项\n信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t0\n\n"
)
_S3_HEADING = "三、收到和处理政府信息公开申请情况\n"
_TAIL = (
    "\n四、政府信息公开行政复议、行政诉讼情况\n行政复议\t\t\t\t\t行政诉讼\n"
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\n"
    + "\t".join(["0"] * 15)
    + "\n\n五、存在的主要问题及改进情况\n公开内容不够全面，下一步将加强培训。\n\n"
    + "六、其他需要报告的事项\n本年度未收取信息处理费。\n"
)
# Section 三 on the 2021 template: seven cells per row; rows not listed print seven zeros.
_S3_VALUES = {
    "requests.new": ["5", "1", "0", "0", "0", "0", "6"],
    "requests.carried_over": ["1", "0", "0", "0", "0", "0", "1"],
    "outcome.granted": ["3", "1", "", "0", "0", "0", "4"],
    "outcome.partial": ["1", "0", "0", "0", "0", "0", "1"],
    "outcome.denied.internal_affairs": ["1", "0", "0", "0", "0", "0", "1"],
    "outcome.unavailable.not_held": ["1", "0", "0", "0", "0", "0", "1"],
    "outcome.total": ["6", "1", "", "0", "0", "0", "7"],
    "requests.carried_forward": ["0", "0", "0", "0", "0", "0", "0"],
}
_S3_ROWS = SECTION3_ROWS["2021"]


def _cells(metric: str) -> list[str]:
    return _S3_VALUES.get(metric, ["0"] * 7)


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _parse_md(markdown: str):
    return parse_document(read_markdown(markdown.encode(), "t.md"), "t.md")


def _section3_figures(report) -> dict[tuple[str, str], float | None]:
    return {(f.metric, f.applicant): f.value for f in report.figures if f.section == "三"}


def _assert_section3(report) -> None:
    """Every section 三 cell as printed: blanks are NULL, never 0."""
    got = _section3_figures(report)
    for row in _S3_ROWS:
        want = [float(v) if v else None for v in _cells(row.metric)]
        assert [got.get((row.metric, a)) for a, _ in APPLICANTS] == want, row.metric


def test_one_small_table_per_block_with_numbered_column_headers() -> None:
    # OCR output: each block of rows is its own table repeating a header whose cells only number the columns.
    header = _pipe([f"列{n}" for n in range(1, 9)])
    blocks = [_S3_ROWS[:2], _S3_ROWS[2:4], _S3_ROWS[4:12], _S3_ROWS[12:15], _S3_ROWS[15:20], _S3_ROWS[20:]]
    parts = []
    for block in blocks:
        parts += ["", header, "|" + "---|" * 8, *(_pipe([r.label, *_cells(r.metric)]) for r in block)]
    report = _parse_md(_HEAD + _S2_TEXT + _S3_HEADING + "\n".join(parts) + "\n" + _TAIL)
    _assert_section3(report)
    doc = read_markdown((_S3_HEADING + "\n".join(parts)).encode(), "t.md")
    assert doc.text.count("列1") == 1  # the blocks are one table again: the repeated headers are gone


def test_repeated_generic_header_does_not_read_as_the_total_row() -> None:
    # Blocks under a header "类别 | 数据1 … 数据6 | 总计"; the 不予处理 block's first label was misread by OCR, so
    # without joining the header's 总计 would be taken for the （七）总计 row and the real total lost.
    header = _pipe(["类别", *(f"数据{n}" for n in range(1, 7)), "总计"])
    blocks = [_S3_ROWS[:15], _S3_ROWS[15:20], _S3_ROWS[20:]]
    parts = []
    for block in blocks:
        rows = [_pipe([r.label, *_cells(r.metric)]) for r in block]
        parts += ["", header, "|" + "---|" * 8, *rows]
    text = "\n".join(parts).replace("1.信访举报投诉类申请", "1.信坊举极投拆类申请")
    report = _parse_md(_HEAD + _S2_TEXT + _S3_HEADING + text + "\n" + _TAIL)
    got = _section3_figures(report)
    assert [got[("outcome.total", a)] for a, _ in APPLICANTS] == [6, 1, None, 0, 0, 0, 7]
    assert [got[("outcome.not_processed.duplicate", a)] for a, _ in APPLICANTS] == [0] * 7
    assert all(v is None or v < 10 for v in got.values())  # no header digits read as values


def test_labels_printed_as_loose_wrapped_lines_go_onto_their_numbers() -> None:
    # PDF to Markdown: where a label wrapped in its cell, the converter printed it as loose lines and kept only the
    # numbers in the table; one label comes right after its row's table, one group heading precedes its items.
    bare = {"outcome.granted", "outcome.partial", "outcome.denied.internal_affairs", "outcome.unavailable.not_held"}
    lines = [_pipe(["申请人情况", *(label for _, label in APPLICANTS)]), "|" + "---|" * 8]
    lines += [_pipe([r.label, *_cells(r.metric)]) for r in _S3_ROWS[:2]]
    lines += ["", "三、本年度办理结果", "（一）予以公开", _pipe(_cells("outcome.granted")), "|" + "---|" * 7]
    lines += [_pipe(_cells("outcome.partial")), "", "（二）部分公开（区分处理的，只计这一", "情形，不计其他情形）", ""]
    lines += [_pipe([r.label, *_cells(r.metric)]) for r in _S3_ROWS[4:8]]
    lines += ["", "（三）不予公开", "5.属于三类内部事务", "信息", "1.本机关不掌握相关", "政府信息"]
    rest = [r for r in _S3_ROWS[9:] if r.metric not in bare]
    lines += [_pipe(_cells("outcome.denied.internal_affairs")), "|" + "---|" * 7]
    lines += [_pipe([r.label, *_cells(r.metric)]) for r in rest[:3]]
    lines += [_pipe(_cells("outcome.unavailable.not_held"))]
    lines += [_pipe([r.label, *_cells(r.metric)]) for r in rest[3:]]
    assert sum(line.startswith("| 1 |") or line.startswith("| 3 |") for line in lines) == len(bare)
    report = _parse_md(_HEAD + _S2_TEXT + _S3_HEADING + "\n".join(lines) + "\n" + _TAIL)
    _assert_section3(report)
    where = {f.metric: f.location for f in report.figures if f.applicant == "total"}
    assert where["outcome.partial"] == "表2 第2行"  # the numbers' own place in the file
    text = read_markdown("\n".join(lines).encode(), "t.md").text
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t1\t0" in text
    assert "1.本机关不掌握相关政府信息\t1\t0" in text


def test_footnotes_in_a_cell_and_between_rows_are_no_cells() -> None:
    lines = [_pipe(["申请人情况", *(label for _, label in APPLICANTS)]), "|" + "---|" * 8]
    for r in _S3_ROWS:
        cells = _cells(r.metric)
        if r.metric == "requests.new":
            cells = [f"{cells[0]}（其中网上申请 4 件）", *cells[1:]]
        lines.append(_pipe([r.label, *cells]))
        if r.metric == "outcome.granted":
            lines.append("（其中依申请公开 2 件，主动公开 1 件）")
    report = _parse_md(_HEAD + _S2_TEXT + _S3_HEADING + "\n".join(lines) + "\n" + _TAIL)
    _assert_section3(report)


def test_section2_sub_tables_in_any_order_with_footnotes() -> None:
    s2 = "\n".join(
        [
            "二、主动公开政府信息情况",
            "第二十条第（五）项",
            _pipe(["信息内容", "本年处理决定数量"]),
            "|---|---|",
            _pipe(["行政许可", ""]),
            "第二十条第（六）项",
            _pipe(["信息内容", "本年处理决定数量"]),
            "|---|---|",
            _pipe(["行政处罚", "17"]),
            _pipe(["行政强制", "0"]),
            "第二十条第（八）项",
            _pipe(["信息内容", "本年收费金额（单位：万元）"]),
            "|---|---|",
            _pipe(["行政事业性收费", "0.8"]),
            "第二十条第（一）项",
            "9",
            "（含到期失效 6 件）",
            _pipe(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]),
            "|---|---|---|---|",
            _pipe(["规章", "2（其中修订 2 件）", "0", "15"]),
            "（注：现行有效件数含本年制发件数）",
            _pipe(["行政规范性文件", "7", "9", "41"]),
            "",
        ]
    )
    s3 = "\n".join(_pipe([r.label, *_cells(r.metric)]) for r in _S3_ROWS)
    report = _parse_md(_HEAD + s2 + "\n" + _S3_HEADING + s3 + "\n" + _TAIL)
    got = {f.metric: f.value for f in report.figures if f.section == "二"}
    assert got == {
        "licensing.decisions": None,
        "penalty.decisions": 17,
        "coercion.decisions": 0,
        "fees.amount_wan_yuan": 0.8,
        "rules.issued": 2,
        "rules.repealed": 0,
        "rules.in_force": 15,
        "normative_docs.issued": 7,
        "normative_docs.repealed": 9,
        "normative_docs.in_force": 41,
    }


def test_column_blocks_join_by_row_label() -> None:
    # A wide table printed as two tables side by side: the same row labels, the columns split after 科研机构.
    left = [_pipe(["申请人情况", "自然人", "商业企业", "科研机构"]), "|---|---|---|---|"]
    right = [_pipe(["申请人情况", "社会公益组织", "法律服务机构", "其他", "总计"]), "|---|---|---|---|---|"]
    for r in _S3_ROWS:
        left.append(_pipe([r.label, *_cells(r.metric)[:3]]))
        right.append(_pipe([r.label, *_cells(r.metric)[3:]]))
    report = _parse_md(_HEAD + _S2_TEXT + _S3_HEADING + "\n".join(left) + "\n\n" + "\n".join(right) + "\n" + _TAIL)
    _assert_section3(report)
    where = {f.applicant: f.location for f in report.figures if f.metric == "requests.new"}
    assert where["natural_person"] == where["total"] == "表1 第2行、表2 第2行"


def test_tables_with_other_row_labels_stay_apart() -> None:
    lines = _read("| 规章 | 1 | 0 | 3 |\n|---|---|---|---|\n\n| 行政许可 | 5 |\n|---|---|")
    assert lines == [("表1 第1行", "规章\t1\t0\t3"), ("第3行", ""), ("表2 第1行", "行政许可\t5")]


def test_a_bare_row_under_its_own_label_row_keeps_it() -> None:
    # A long label alone on one row, its numbers on the next under an empty label cell: no loose label is needed,
    # and a loose line naming a row elsewhere stays where it is.
    lines = _read(
        "（二）部分公开\n\n| 一、本年新收政府信息公开申请数量 | | |\n|---|---|---|\n"
        "| | 5 | 6 |\n| （一）予以公开 | 3 | 3 |"
    )
    assert [text for _, text in lines] == [
        "（二）部分公开",
        "",
        "一、本年新收政府信息公开申请数量\t\t",
        "\t5\t6",
        "（一）予以公开\t3\t3",
    ]


def test_section_headings_and_prose_are_never_taken_for_labels() -> None:
    lines = _read(
        "四、政府信息公开行政复议、行政诉讼情况\n"
        "| 行政复议 | | | | |\n|---|---|---|---|---|\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
        "| 1 | 0 | 0 | 0 | 1 |\n"
        "本年度予以公开的申请均按时答复，未发生因政府信息公开被纠错的情况。\n"
        "| 0 | 0 | 0 | 0 | 0 |"
    )
    assert lines[0] == ("第1行", "四、政府信息公开行政复议、行政诉讼情况")
    assert [text for where, text in lines if where.startswith("表")][-2:] == ["1\t0\t0\t0\t1", "0\t0\t0\t0\t0"]


def test_block_heading_is_the_label_of_its_bare_row() -> None:
    # Blocks headed by the row's own label; most blocks print it again in the row, one leaves the label cell empty.
    header = _pipe(["类别", *(f"数据{n}" for n in range(1, 7)), "总计"])
    parts = []
    for r in _S3_ROWS:
        label = "" if r.metric == "outcome.granted" else r.label
        parts += ["", f"### {r.label}", header, "|" + "---|" * 8, _pipe([label, *_cells(r.metric)])]
    report = _parse_md(_HEAD + _S2_TEXT + _S3_HEADING + "\n".join(parts) + "\n" + _TAIL)
    _assert_section3(report)
    text = read_markdown("\n".join(parts).encode(), "t.md").text
    assert "（一）予以公开\t3\t1\t\t0" in text


def test_labels_printed_after_a_table_of_bare_rows() -> None:
    # The converter kept the header and the numbers, and printed the label column after the table.
    rows = _S3_ROWS[2:4]
    lines = [_pipe(["", *(label for _, label in APPLICANTS)]), "|" + "---|" * 8]
    lines += [_pipe(["", *_cells(r.metric)]) for r in rows]
    lines += ["", *(r.label for r in rows)]
    assert [text for _, text in _read("\n".join(lines))] == [
        "\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计",
        "（一）予以公开\t3\t1\t\t0\t0\t0\t4",
        "（二）部分公开\t1\t0\t0\t0\t0\t0\t1",
        "",
    ]


def test_block_titles_in_the_header_label_cell() -> None:
    # Each block's header names its group in the label cell; the total block prints its numbers without a label.
    groups = [("申请情况", _S3_ROWS[:2]), ("（一）（二）", _S3_ROWS[2:4]), ("（三）不予公开", _S3_ROWS[4:12])]
    groups += [("（四）无法提供", _S3_ROWS[12:15]), ("（五）不予处理", _S3_ROWS[15:20])]
    groups += [("（六）其他处理", _S3_ROWS[20:23]), ("（七）总计", _S3_ROWS[23:24]), ("四、", _S3_ROWS[24:])]
    parts = []
    for title, rows in groups:
        parts += ["", _pipe([title, *(f"数据{n}" for n in range(1, 7)), "总计"]), "|" + "---|" * 8]
        parts += [_pipe(["" if r.metric == "outcome.total" else r.label, *_cells(r.metric)]) for r in rows]
    report = _parse_md(_HEAD + _S2_TEXT + _S3_HEADING + "\n".join(parts) + "\n" + _TAIL)
    _assert_section3(report)
    # OCR misread one label: its row is lost, but the header's 总计 is not taken for the total row.
    text = "\n".join(parts).replace("1.信访举报投诉类申请", "1.信坊举极投拆类申清")
    got = _section3_figures(_parse_md(_HEAD + _S2_TEXT + _S3_HEADING + text + "\n" + _TAIL))
    assert [got[("outcome.total", a)] for a, _ in APPLICANTS] == [6, 1, None, 0, 0, 0, 7]
    assert ("outcome.not_processed.petition", "total") not in got
    assert got[("outcome.not_processed.duplicate", "total")] == 0
