"""Table extraction from token streams in the flattenings real reports arrive in."""

from __future__ import annotations

from loaders import tables
from loaders.keys import SECTION3_ROWS
from loaders.tokens import tokenize

ROWS19 = SECTION3_ROWS["2019"]


def _section3(body: str, variant: str = "2019") -> dict[tuple[str, str], tables.Slot]:
    slots, _ = tables.extract_section3(tokenize(body, 1), variant)
    return {(s.metric, s.applicant): s for s in slots}


def _tab_table(values: dict[str, list[str]]) -> str:
    """A section 三 body on the 2019 template, one tab-separated row per line."""
    lines = ["申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计"]
    for row in ROWS19:
        lines.append("\t".join([row.label, *values.get(row.metric, ["0"] * 7)]))
    return "\n".join(lines)


def test_tab_rows_with_blank_and_slash_cells() -> None:
    body = _tab_table({"outcome.granted": ["5", "", "/", "—", "0", "0", "5"]})
    cells = _section3(body)
    assert cells["outcome.granted", "natural_person"].raw == "5"
    assert (cells["outcome.granted", "commercial"].kind, cells["outcome.granted", "commercial"].raw) == ("blank", "")
    assert cells["outcome.granted", "research"].kind == "na"
    assert cells["outcome.granted", "social_org"].raw == "—"


def test_page_number_alone_between_rows_is_dropped() -> None:
    lines = _tab_table({"requests.new": ["3", "0", "0", "0", "0", "0", "3"]}).split("\n")
    lines.insert(2, "3")  # a page number printed between the first and second rows
    cells = _section3("\n".join(lines))
    assert [cells["requests.new", a].raw for a in ("natural_person", "total")] == ["3", "3"]
    assert cells["requests.carried_over", "total"].raw == "0"


def test_footer_lines_are_not_values() -> None:
    lines = _tab_table({}).split("\n")
    lines.insert(5, "- 3 -")
    lines.insert(9, "第 3 页 共 5 页")
    cells = _section3("\n".join(lines))
    assert all(s.raw == "0" for s in cells.values())
    assert len(cells) == 7 * len(ROWS19)


def test_glued_row_split_by_row_total() -> None:
    body = _tab_table({}).replace("（一）予以公开\t0\t0\t0\t0\t0\t0\t0", "（一）予以公开640020470")
    cells = _section3(body)
    assert [cells["outcome.granted", a].raw for a, _ in tables.APPLICANTS] == ["64", "0", "0", "2", "0", "4", "70"]


def test_glued_row_with_two_readings_is_settled_by_the_columns() -> None:
    # "110000011" adds up as 11|0|0|0|0|0|11 and as 1|10|0|0|0|0|11; only the first agrees with the new-requests
    # row and the total row (R1, R2), so the columns decide.
    values = {
        "requests.new": ["11", "0", "0", "0", "0", "0", "11"],
        "outcome.granted": ["11", "0", "0", "0", "0", "0", "11"],
        "outcome.total": ["11", "0", "0", "0", "0", "0", "11"],
    }
    body = _tab_table(values).replace("（一）予以公开\t11\t0\t0\t0\t0\t0\t11", "（一）予以公开110000011")
    slots, findings = tables.extract_section3(tokenize(body, 1), "2019")
    cells = {(s.metric, s.applicant): s for s in slots}
    assert [cells["outcome.granted", a].raw for a, _ in tables.APPLICANTS] == ["11", "0", "0", "0", "0", "0", "11"]
    assert findings == []


def test_glued_row_the_columns_cannot_settle_is_left_unstated() -> None:
    # Alone, "110000011" reads two ways and no other row constrains it: the two cells in doubt stay unstated.
    slots, findings = tables.extract_section3(tokenize("（一）予以公开110000011", 1), "2019")
    cells = {s.applicant: s for s in slots}
    assert (cells["natural_person"].kind, cells["natural_person"].raw) == ("ambiguous", "110000011")
    assert (cells["commercial"].kind, cells["commercial"].raw) == ("ambiguous", "110000011")
    assert (cells["total"].kind, cells["total"].raw) == ("num", "11")
    assert "110000011" in findings[0].message


def test_values_in_pdf_reading_order_are_read_in_column_blocks() -> None:
    # Two rows written column by column: (5,0,0,0,0,0,5) and (2,0,0,0,0,1,3) -> 5 2 0 0 0 0 0 0 0 0 0 1 5 3.
    tokens = tokenize("5\n2\n0\n0\n0\n0\n0\n0\n0\n0\n0\n1\n5\n3", 1)
    rows = (ROWS19[0], ROWS19[1])
    readings = tables.column_blocks(tokens, rows)
    assert len(readings) == 1
    assert [raw for raw, _, _ in readings[0][1]] == ["2", "0", "0", "0", "0", "1", "3"]


def test_section4_glued_digits_split_by_block_totals() -> None:
    slots, findings = tables.extract_section4(tokenize("行政复议 结果维持 总计 110024001510102", 1))
    assert [s.raw for s in slots] == ["1", "1", "0", "0", "2", "4", "0", "0", "1", "5", "1", "0", "1", "0", "2"]
    assert findings == []


_S4_HEAD = ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正")


def _section4_lines(*values: int, head: tuple[str, ...] = _S4_HEAD) -> str:
    """Section 四 as a PDF's reading order gives it: the headers, then one value per line."""
    return "\n".join([*head, *map(str, values)])


def _section4_values(body: str, pins: dict[str, set[float]] | None = None):
    slots, findings = tables.extract_section4(tokenize(body, 1), pins)
    return [int(s.raw) for s in slots], findings, slots


def test_section4_parts_emitted_before_the_previous_total_are_read_in_printed_order() -> None:
    # Printed 6 2 0 1 9 | 2 0 0 1 3 | 1 1 0 2 4: the after-review parts come out before the review total.
    values, findings, slots = _section4_values(_section4_lines(6, 2, 0, 1, 1, 1, 0, 2, 9, 2, 0, 0, 1, 3, 4))
    assert values == [6, 2, 0, 1, 9, 2, 0, 0, 1, 3, 1, 1, 0, 2, 4]
    assert [f.severity for f in findings] == ["info"] and "6 2 0 1 9 2 0 0 1 3 1 1 0 2 4" in findings[0].message
    after_review = next(s for s in slots if s.metric == "litigation.after_review.maintained")
    assert (after_review.raw, after_review.line) == ("1", 11)  # each cell keeps the line it was printed on


def test_section4_review_block_after_the_litigation_blocks_is_settled_by_the_prose() -> None:
    # Printed 2 1 0 1 4 | 3 0 0 0 3 | 1 1 0 0 2; the review total comes first and its parts last.
    body = _section4_lines(4, 3, 0, 0, 0, 3, 1, 1, 0, 0, 2, 2, 1, 0, 1)
    values, findings, _ = _section4_values(body, {"review.total": {4.0}, "litigation.total": {5.0}})
    assert values == [2, 1, 0, 1, 4, 3, 0, 0, 0, 3, 1, 1, 0, 0, 2]
    assert [f.severity for f in findings] == ["info"]


def test_section4_value_right_after_its_block_name_settles_the_order() -> None:
    # As above without prose, but the review total comes out right under the review header.
    body = _section4_lines(4, 3, 0, 0, 0, 3, 1, 1, 0, 0, 2, 2, 1, 0, 1, head=("行政复议", "结果维持"))
    values, findings, _ = _section4_values(body)
    assert values == [2, 1, 0, 1, 4, 3, 0, 0, 0, 3, 1, 1, 0, 0, 2]
    assert [f.severity for f in findings] == ["info"]


def test_section4_order_the_sums_cannot_settle_is_kept_with_a_finding() -> None:
    emitted = [4, 3, 0, 0, 0, 3, 1, 1, 0, 0, 2, 2, 1, 0, 1]
    values, findings, _ = _section4_values(_section4_lines(*emitted))  # no prose: two blocks could be the review
    assert values == emitted
    assert [(f.rule, f.severity) for f in findings] == [("PARSE", "warning")]
    assert "2种阅读顺序" in findings[0].message and "按读出的顺序保留" in findings[0].message


def test_section4_prose_that_no_reading_matches_keeps_the_order_read() -> None:
    emitted = [6, 2, 0, 1, 1, 1, 0, 2, 9, 2, 0, 0, 1, 3, 4]
    values, findings, _ = _section4_values(_section4_lines(*emitted), {"review.total": {7.0}})
    assert values == emitted
    assert [f.severity for f in findings] == ["info"] and "不能使各栏都相符" in findings[0].message


def test_section4_row_read_from_one_line_is_never_reordered() -> None:
    # One row of cells (a table grid, a web page) is in printed order: a block that does not add up is the report's.
    body = "行政复议 结果维持 总计\n" + "\t".join(["10", "1", "0", "0", "0"] + ["0"] * 5 + ["5", "0", "0", "0", "0"])
    values, findings, _ = _section4_values(body)
    assert values == [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]
    assert findings == []


def test_section4_glued_digits_that_split_two_ways_are_settled_by_the_prose() -> None:
    body = "行政复议 结果维持 总计 312512320125122930317"
    slots, findings = tables.extract_section4(tokenize(body, 1))
    assert findings and [s.kind for s in slots[8:11]] == ["ambiguous", "num", "num"]
    values, findings, _ = _section4_values(body, {"review.total": {32.0}})
    assert values == [3, 12, 5, 12, 32, 0, 12, 5, 12, 29, 3, 0, 3, 1, 7]
    assert findings == []


def test_section4_extra_value_is_reported() -> None:
    slots, findings = tables.extract_section4(tokenize("\t".join(["0"] * 16), 1))
    assert len(slots) == 15
    assert "16" in findings[0].message


def test_section2_value_before_its_label_is_the_labels() -> None:
    body = "\n".join(
        ["第二十条第（五）项", "信息内容", "本年处理决定数量", "550", "行政许可"]
        + ["第二十条第（六）项", "信息内容", "本年处理决定数量", "行政处罚", "4119"]
    )
    slots, _ = tables.extract_section2(tokenize(body, 1), "2021", {})
    assert {s.metric: s.raw for s in slots} == {"licensing.decisions": "550", "penalty.decisions": "4119"}


def test_section2_glued_row_pinned_by_prose() -> None:
    body = "规章000行政规范性文件8855698"
    pins = {"normative_docs.issued": {88.0}, "normative_docs.in_force": {698.0}}
    slots, findings = tables.extract_section2(tokenize(body, 1), "2021", pins)
    assert {s.metric: s.raw for s in slots if s.metric.startswith("normative")} == {
        "normative_docs.issued": "88",
        "normative_docs.repealed": "55",
        "normative_docs.in_force": "698",
    }
    assert findings == []


def test_section2_glued_row_without_pins_is_unstated() -> None:
    slots, findings = tables.extract_section2(tokenize("行政规范性文件693665", 1), "2021", {})
    assert all(s.kind == "ambiguous" and s.raw == "693665" for s in slots)
    assert "693665" in findings[0].message


def test_markdown_table_with_merged_label_cells() -> None:
    body = "\n".join(
        [
            "| 申请人情况 | | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
            "|---|---|---|---|---|---|---|---|---|",
            "| 一、本年新收政府信息公开申请数量 | | 4 | 1 | | 0 | 0 | 0 | 5 |",
            "| 二、上年结转政府信息公开申请数量 | | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        ]
    )
    cells = _section3(body)
    assert [cells["requests.new", a].raw for a, _ in tables.APPLICANTS] == ["4", "1", "", "0", "0", "0", "5"]
    assert cells["requests.carried_over", "total"].raw == "0"


def test_header_rows_that_number_their_columns_are_labels() -> None:
    from loaders.tokens import is_header_row

    assert is_header_row(["类别", *(f"数据{n}" for n in range(1, 7)), "总计"])
    assert is_header_row([f"列{n}" for n in range(1, 8)])
    assert is_header_row(["Column 1", "Column 2", "Column 3"])
    assert is_header_row(["", "Unnamed: 1", "自然人", "Unnamed: 3"])  # pandas numbers a column by its place
    assert is_header_row(["第1列", "第2列", "第3列"])
    assert is_header_row(["Unnamed: 0", "自然人", "商业企业", "总计"])  # one numbered cell among labels
    assert not is_header_row(["第二十条第（1）项", "", ""])  # a lone numbered title: nothing shows it is a header
    assert not is_header_row(["规章", "1", "2", "3"])  # values
    assert not is_header_row(["数据1", "数据3"])  # not in step with their places
    assert not is_header_row(["1.属于国家秘密", "0", "0"])
    assert not is_header_row(["申请人情况", "自然人", "总计"])  # a header, but no column numbers to settle


def test_numbered_header_gives_no_values() -> None:
    body = _tab_table({"requests.new": ["2", "0", "", "0", "0", "0", "2"]}).replace(
        "申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计",
        "项目\t数据1\t数据2\t数据3\t数据4\t数据5\t数据6\t总计",
    )
    cells = _section3(body)
    assert [cells["requests.new", a].raw for a, _ in tables.APPLICANTS] == ["2", "0", "", "0", "0", "0", "2"]
    assert cells["requests.new", "research"].kind == "blank"
    assert all(not t.text.isdigit() for t in tokenize(body.split("\n")[0], 1))


def test_bracketed_notes_are_no_cells() -> None:
    tokens = tokenize("行政规范性文件\t5\t14（含到期失效 6 件）\t23\n（其中修订 3 件）", 1)
    assert [(t.kind, t.text) for t in tokens] == [
        ("text", "行政规范性文件"),
        ("num", "5"),
        ("num", "14"),
        ("num", "23"),
    ]


def test_section2_first_sub_table_printed_last() -> None:
    body = "\n".join(
        ["第二十条第（五）项", "信息内容\t本年处理决定数量", "行政许可\t0", "第二十条第（六）项", "行政处罚\t36"]
        + ["信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "规章\t9\t2\t80", "行政规范性文件\t5\t14\t23"]
    )
    body += "\n行政许可事项清单已按要求公开"  # a row read already is not read again from a later mention
    slots, _ = tables.extract_section2(tokenize(body, 1), "2021", {})
    got = {s.metric: s.raw for s in slots}
    assert got["rules.issued"] == "9" and got["normative_docs.repealed"] == "14"
    assert got["licensing.decisions"] == "0" and got["penalty.decisions"] == "36"


def test_section2_loose_cell_before_a_label_with_its_own_value_is_left_aside() -> None:
    # A cell of another sub-table printed loose before the 行政许可 row, which has its own value.
    body = "\n".join(["第二十条第（一）项", "14", "第二十条第（五）项", "信息内容\t本年处理决定数量", "行政许可\t0"])
    slots, findings = tables.extract_section2(tokenize(body, 1), "2021", {})
    assert {s.metric: s.raw for s in slots} == {"licensing.decisions": "0"}
    assert findings == []


def test_section2_prose_naming_an_earlier_row_is_no_row() -> None:
    body = "规章\t1\t0\t3\n行政许可\t5\n行政处罚\t2\n本年度规范性文件清理工作按计划完成"
    slots, _ = tables.extract_section2(tokenize(body, 1), "2021", {})
    assert not any(s.metric.startswith("normative_docs") for s in slots)


# ---------------------------------------------------------------- blank cells keep their columns

_APPLICANTS = [a for a, _ in tables.APPLICANTS]
# Section 三 of the 2021 template as a Word table pasted as text: each row's label cells, then seven value cells.
# 予以公开 and 部分公开 take the first two columns (one label merged across both, so one empty filler cell),
# 不予公开's reasons have a two-level label, and the section's own title is merged down the first column.
_S3_WORD_PASTE = (
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t申请人情况\n"
    "\t\t自然人\t法人或其他组织\t\t\t\t\t总计\n"
    "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\n"
    "一、本年新收政府信息公开申请数量\t\t{new}\n"
    "三、本年度办理结果\t（一）予以公开\t{granted}\n"
    "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t{partial}\n"
    "\t（三）不予公开\t1.属于国家秘密\t{secret}\n"
)


def _s3_word_paste(**rows: list[str]) -> dict[tuple[str, str], tables.Slot]:
    cells = {name: "\t".join(rows.get(name, ["0"] * 7)) for name in ("new", "granted", "partial", "secret")}
    return _section3(_S3_WORD_PASTE.format(**cells), "2021")


def _raws(cells: dict[tuple[str, str], tables.Slot], metric: str) -> list[str]:
    return [cells[metric, a].raw for a in _APPLICANTS]


def test_tab_row_splits_into_cells_with_empty_fields_kept_in_place() -> None:
    tokens = tokenize("（一）予以公开\t18\t\t0\t/\t\t1\t", 1)
    assert [(t.kind, t.text, t.cell) for t in tokens] == [
        ("text", "（一）予以公开", 0),
        ("num", "18", 1),
        ("blank", "", 2),
        ("num", "0", 3),
        ("na", "/", 4),
        ("blank", "", 5),
        ("num", "1", 6),
        ("blank", "", 7),
    ]


def test_empty_cells_before_a_label_or_on_a_header_line_are_not_value_cells() -> None:
    assert [t.kind for t in tokenize("\t\t（三）不予公开\t1.属于国家秘密\t6", 1)] == ["text", "num"]
    assert [t.kind for t in tokenize("未经复议直接起诉\t\t\t\t\t复议后起诉", 1)] == ["text"]
    assert [t.kind for t in tokenize("\t12", 1)] == ["num"]  # one indented cell per line
    assert [t.kind for t in tokenize("\t\t3\t1", 1)] == ["blank", "blank", "num", "num"]  # a row of cells
    # A labelled row whose cells are all empty keeps them: its label stays apart from the next row's.
    tokens = tokenize("3.其他\t\t\t\n（七）总计\t1", 1)
    assert [(t.kind, t.text) for t in tokens] == [
        ("text", "3.其他"),
        *[("blank", "")] * 3,
        ("text", "（七）总计"),
        ("num", "1"),
    ]


def test_blank_total_in_a_row_whose_label_spans_two_columns_keeps_the_columns() -> None:
    cells = _s3_word_paste(granted=["18", "3", "0", "0", "1", "0", ""], partial=["2", "0", "0", "0", "0", "0", ""])
    assert _raws(cells, "outcome.granted") == ["18", "3", "0", "0", "1", "0", ""]
    assert (cells["outcome.granted", "total"].kind, cells["outcome.granted", "total"].raw) == ("blank", "")
    assert _raws(cells, "outcome.partial") == ["2", "0", "0", "0", "0", "0", ""]
    assert _raws(cells, "outcome.denied.state_secret") == ["0"] * 7


def test_blank_applicant_cell_next_to_a_merged_label_keeps_the_columns() -> None:
    cells = _s3_word_paste(
        new=["", "3", "0", "0", "1", "0", "4"],
        granted=["", "3", "0", "0", "1", "0", "4"],
        secret=["6", "", "", "", "", "", "6"],
    )
    assert _raws(cells, "requests.new") == ["", "3", "0", "0", "1", "0", "4"]
    assert cells["requests.new", "natural_person"].kind == "blank"
    assert _raws(cells, "outcome.granted") == ["", "3", "0", "0", "1", "0", "4"]
    assert _raws(cells, "outcome.denied.state_secret") == ["6", "", "", "", "", "", "6"]


_S4_WORD_PASTE = (
    "行政复议\t\t\t\t\t行政诉讼\n"
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\n"
    "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
)


def _section4(row: str, header: str = _S4_WORD_PASTE) -> tuple[dict[str, tables.Slot], list]:
    slots, findings = tables.extract_section4(tokenize(header + row, 1))
    return {s.metric: s for s in slots}, findings


# The same header with the filler a merged label leaves after it at the end of each line.
_S4_TRAILING_FILLER = _S4_WORD_PASTE.replace("行政诉讼\n", "行政诉讼" + "\t" * 9 + "\n").replace(
    "复议后起诉\n", "复议后起诉\t\t\t\t\n"
)


def test_section4_with_only_the_review_block_filled_stays_on_the_review_block() -> None:
    for header in (_S4_WORD_PASTE, _S4_TRAILING_FILLER):
        for row in ("3\t1\t0\t1\t5" + "\t" * 10, "3\t1\t0\t1\t5"):  # empty cells written out, or left off
            cells, findings = _section4(row, header)
            assert [cells[k].raw for k in tables.SECTION4_KEYS[:5]] == ["3", "1", "0", "1", "5"]
            assert all(cells[k].kind == "blank" for k in tables.SECTION4_KEYS[5:]), row
            assert findings == []


def test_section4_with_only_litigation_filled_keeps_the_review_block_blank() -> None:
    cells, findings = _section4("\t" * 5 + "2\t0\t0\t0\t2" + "\t" * 5, _S4_TRAILING_FILLER)
    assert all(cells[k].kind == "blank" for k in tables.SECTION4_KEYS[:5])
    assert [cells[k].raw for k in tables.SECTION4_KEYS[5:10]] == ["2", "0", "0", "0", "2"]
    assert all(cells[k].kind == "blank" for k in tables.SECTION4_KEYS[10:])
    assert findings == []


def test_section4_blank_cells_inside_the_row_keep_their_columns() -> None:
    cells, _ = _section4("3\t\t\t1\t4\t2\t\t\t\t2\t\t\t\t\t")
    raws = [cells[k].raw for k in tables.SECTION4_KEYS]
    assert raws == ["3", "", "", "1", "4", "2", "", "", "", "2", "", "", "", "", ""]
