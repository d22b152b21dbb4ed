"""Table layout variants: the control report's tables laid out as converters, web pages, Word, Excel and PDF text
print them in ways the shape files do not show. Each variant must give the control's figures exactly (NULL where
a cell is left blank) and raise no R1–R5 finding."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document as new_docx
from openpyxl import Workbook

from loaders import checks
from loaders.parse import parse_bytes

SHAPES = Path(__file__).parent / "fixtures" / "shapes"
CONTROL = (SHAPES / "00_control.txt").read_text(encoding="utf-8")
EXPECTED: dict[str, float | None] = json.loads((SHAPES / "cases.json").read_text(encoding="utf-8"))["00_control.txt"][
    "expected"
]
LINES = CONTROL.split("\n")
HEAD = LINES[: LINES.index("二、主动公开政府信息情况")]
TAIL = LINES[LINES.index("五、存在的主要问题及改进情况") :]
S3_START = LINES.index("三、收到和处理政府信息公开申请情况")
S4_START = LINES.index("四、政府信息公开行政复议、行政诉讼情况")
# Section 三 rows of the control as (label, seven numbers), in print order.
S3 = [(ln.split("\t")[0], ln.split("\t")[2:]) for ln in LINES[S3_START + 4 : S4_START - 1]]
S4 = LINES[S4_START + 4].split("\t")
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
S2 = [
    (
        "第二十条第（一）项",
        ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        [("规章", "0", "0", "0"), ("行政规范性文件", "5", "1", "23")],
    ),
    ("第二十条第（五）项", ("信息内容", "本年处理决定数量"), [("行政许可", "120")]),
    ("第二十条第（六）项", ("信息内容", "本年处理决定数量"), [("行政处罚", "36"), ("行政强制", "4")]),
    ("第二十条第（八）项", ("信息内容", "本年收费金额（单位：万元）"), [("行政事业性收费", "12.5")]),
]
DENIED = ("（三）不予公开", range(4, 12))
UNABLE = ("（四）无法提供", range(12, 15))
NOT_PROCESSED = ("（五）不予处理", range(15, 20))
OTHER = ("（六）其他处理", range(20, 23))
S4_HEAD1 = ("行政复议", "行政诉讼")
S4_HEAD2 = ("未经复议直接起诉", "复议后起诉")
S4_HEAD3 = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
S3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _group_of(i: int) -> str | None:
    for title, rows in (DENIED, UNABLE, NOT_PROCESSED, OTHER):
        if i in rows:
            return title
    return None


def _text(head: list[str], s2: list[str], s3: list[str], s4: list[str]) -> str:
    return "\n".join(
        [
            *HEAD,
            "二、主动公开政府信息情况",
            *s2,
            "",
            "三、收到和处理政府信息公开申请情况",
            *s3,
            "",
            "四、政府信息公开行政复议、行政诉讼情况",
            *s4,
            "",
            *TAIL,
        ]
    )


def _s2_tabs() -> list[str]:
    return LINES[LINES.index("二、主动公开政府信息情况") + 1 : S3_START - 1]


def _s3_tabs() -> list[str]:
    return LINES[S3_START + 1 : S4_START - 1]


def _s4_tabs() -> list[str]:
    return LINES[S4_START + 1 : S4_START + 5]


# ---------------------------------------------------------------- Markdown


def _md_row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_table(header, rows) -> list[str]:
    return [_md_row(header), _md_row(["---"] * len(header)), *(_md_row(r) for r in rows)]


def _md_s2(order=(0, 1, 2, 3), generic=False) -> list[str]:
    out = []
    for i in order:
        title, header, rows = S2[i]
        out.append(title)
        head = [f"列{k + 1}" for k in range(len(header))] if generic else list(header)
        if generic:
            out += _md_table(head, [header, *rows])
        else:
            out += _md_table(head, rows)
        out.append("")
    return out


def _md_s4(header=None) -> list[str]:
    head = header or [f"Column{k + 1}" for k in range(15)]
    rows = [
        ["行政复议", "", "", "", "", "行政诉讼", "", "", "", "", "", "", "", "", ""],
        ["", "", "", "", "", "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
        list(S4_HEAD3 * 3),
        S4,
    ]
    return _md_table(head, rows)


def _s3_full_rows(label_fn=lambda i, label: label) -> list[list[str]]:
    rows = []
    for i, (label, vals) in enumerate(S3):
        rows.append([label_fn(i, label), *vals])
    return rows


def md_generic_columns() -> str:
    header = [f"列{k}" for k in range(1, 9)]
    rows = [[S3_NOTE, *APPLICANTS], *_s3_full_rows()]
    return _text(HEAD, _md_s2(generic=True), _md_table(header, rows), _md_s4())


def md_empty_header() -> str:
    header = [""] * 8
    rows = [["", *APPLICANTS], *_s3_full_rows()]
    return _text(HEAD, _md_s2(), _md_table(header, rows), _md_s4([""] * 15))


def md_bold_numbers() -> str:
    rows = [[label, *(f"**{v}**" for v in vals)] for label, vals in S3]
    s4 = _md_s4()
    s4[-1] = _md_row(f"**{v}**" for v in S4)
    return _text(HEAD, _md_s2(), _md_table(["申请人情况", *APPLICANTS], rows), s4)


def md_br_in_cells() -> str:
    def lab(i, label):
        if len(label) > 12:
            return label[:8] + "<br>" + label[8:]
        return label

    rows = _s3_full_rows(lab)
    header = ["本列数据的勾稽关系为：<br>第一项加第二项之和，<br>等于第三项加第四项之和", *APPLICANTS]
    return _text(HEAD, _md_s2(), _md_table(header, rows), _md_s4())


def md_escaped_pipe() -> str:
    rows = _s3_full_rows(lambda i, label: label.replace("、", "\\|", 1) if i >= 20 else label)
    return _text(HEAD, _md_s2(), _md_table(["申请人情况 \\| 类别", *APPLICANTS], rows), _md_s4())


def md_page_break_repeated_header() -> str:
    header = ["申请人情况", *APPLICANTS]
    rows = _s3_full_rows()
    first = _md_table(header, rows[:11])
    second = _md_table(header, rows[11:])
    s3 = [*first, "", "— 3 —", "", *second]
    return _text(HEAD, _md_s2(), s3, _md_s4())


def md_footnote_cells_and_lines() -> str:
    rows = _s3_full_rows()
    rows[-1][0] = rows[-1][0] + "[^1]"
    rows[3][0] = rows[3][0] + "（注：区分处理的只计一次）"
    s3 = [*_md_table(["申请人情况", *APPLICANTS], rows), "", "[^1]: 注：本表数据截至2023年12月31日。", "注：单位为件。"]
    return _text(HEAD, _md_s2(), s3, _md_s4())


def md_mini_tables_per_group(repeat_header: bool) -> str:
    out = []
    header = ["类别", *APPLICANTS] if repeat_header else [f"数据{k}" for k in range(8)]
    groups: list[tuple[str, list[int]]] = [
        ("一、本年新收政府信息公开申请数量", [0]),
        ("二、上年结转政府信息公开申请数量", [1]),
        ("三、本年度办理结果", [2, 3]),
        DENIED[0:1] + (list(DENIED[1]),),
        UNABLE[0:1] + (list(UNABLE[1]),),
        NOT_PROCESSED[0:1] + (list(NOT_PROCESSED[1]),),
        OTHER[0:1] + (list(OTHER[1]),),
        ("（七）总计", [23]),
        ("四、结转下年度继续办理", [24]),
    ]
    for title, idx in groups:
        out.append(f"**{title}**")
        rows = [[S3[i][0], *S3[i][1]] for i in idx]
        if repeat_header:
            out += _md_table(header, rows)
        else:
            out += [_md_row(r) for r in rows]
        out.append("")
    return _text(HEAD, _md_s2(), out, _md_s4())


def md_loose_wrapped_labels(marker_alone: bool) -> str:
    out = [_md_row(["申请人情况", *APPLICANTS]), _md_row(["---"] * 8)]
    for label, vals in S3:
        if len(label) > 14:
            if marker_alone and label[0] in "123456789（":
                cut = label.index(".") + 1 if "." in label[:3] else label.index("）") + 1
                parts = [label[:cut], label[cut : cut + 10], label[cut + 10 :]]
            else:
                third = len(label) // 3
                parts = [label[:third], label[third : 2 * third], label[2 * third :]]
            out += ["", *[p for p in parts if p], ""]
            out.append(_md_row(vals))
            out.append(_md_row(["---"] * 7))
        else:
            out.append(_md_row([label, *vals]))
    return _text(HEAD, _md_s2(), out, _md_s4())


def md_s2_order() -> str:
    return _text(HEAD, _md_s2(order=(3, 1, 0, 2)), _s3_tabs(), _s4_tabs())


def md_html_table_inside() -> str:
    return _text(HEAD, _md_s2(), ["", _html_s3_table(), ""], ["", _html_s4_table(), ""])


# ---------------------------------------------------------------- HTML


def _cell(v: str, tag: str = "td", attrs: str = "") -> str:
    return f"<{tag}{attrs}>{v}</{tag}>"


def _html_s2() -> str:
    parts = []
    for title, header, rows in S2:
        parts.append(f"<p>{title}</p><table><tr>{''.join(_cell(h, 'th') for h in header)}</tr>")
        for r in rows:
            parts.append("<tr>" + "".join(_cell(c) for c in r) + "</tr>")
        parts.append("</table>")
    return "".join(parts)


def _html_s3_table(wrap=lambda v: v, rowspan=True, spacer=False, nested=False, th=False) -> str:
    sp = "<td>&nbsp;</td>" if spacer else ""
    head_tag = "th" if th else "td"
    rows = [
        f'<tr><{head_tag} colspan="3" rowspan="3">{S3_NOTE}</{head_tag}>{sp}'
        f'<{head_tag} colspan="7">申请人情况</{head_tag}></tr>',
        f'<tr>{sp}<{head_tag} rowspan="2">自然人</{head_tag}><{head_tag} colspan="5">法人或其他组织</{head_tag}>'
        f'<{head_tag} rowspan="2">总计</{head_tag}></tr>',
        "<tr>" + sp + "".join(f"<{head_tag}>{a}</{head_tag}>" for a in APPLICANTS[1:6]) + "</tr>",
    ]
    groups = {0: None, 1: None, 23: None, 24: None}
    for i, (label, vals) in enumerate(S3):
        nums = sp + "".join(_cell(wrap(v)) for v in vals)
        if i in groups:
            rows.append(f'<tr><td colspan="3">{label}</td>{nums}</tr>')
            continue
        lead = ""
        if i == 2 and rowspan:
            lead = '<td rowspan="21">三、本年度办理结果</td>'
        group = _group_of(i)
        if group is None:
            rows.append(f'<tr>{lead}<td colspan="2">{label}</td>{nums}</tr>')
            continue
        rng = {t: r for t, r in (DENIED, UNABLE, NOT_PROCESSED, OTHER)}[group]
        glead = f'<td rowspan="{len(rng)}">{group}</td>' if i == rng[0] else ""
        rows.append(f"<tr>{lead}{glead}<td>{label}</td>{nums}</tr>")
    body = "".join(rows)
    if nested:
        body = "<tbody><tbody>" + body + "</tbody></tbody>"
    return f'<table border="1">{body}</table>'


def _html_s4_table(wrap=lambda v: v, three_rows=True) -> str:
    r1 = '<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
    r2 = (
        '<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td>'
        '<td rowspan="2">尚未审结</td><td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td>'
        '<td colspan="5">复议后起诉</td></tr>'
    )
    r3 = "<tr>" + "".join(_cell(h) for h in S4_HEAD3 * 2) + "</tr>"
    r4 = "<tr>" + "".join(_cell(wrap(v)) for v in S4) + "</tr>"
    return f"<table>{r1}{r2}{r3}{r4}</table>"


def _html_page(s3: str, s4: str, s2: str | None = None) -> str:
    head = "".join(f"<p>{ln}</p>" for ln in HEAD if ln)
    tail = "".join(f"<p>{ln}</p>" for ln in TAIL if ln)
    return (
        f'<html><head><meta charset="utf-8"><title>{HEAD[0]}</title></head><body>{head}'
        f"<p>二、主动公开政府信息情况</p>{s2 or _html_s2()}<p>三、收到和处理政府信息公开申请情况</p>{s3}"
        f"<p>四、政府信息公开行政复议、行政诉讼情况</p>{s4}{tail}</body></html>"
    )


def html_nested_tbody_th() -> str:
    return _html_page(_html_s3_table(nested=True, th=True), _html_s4_table())


def html_rowspan_labels() -> str:
    return _html_page(_html_s3_table(), _html_s4_table())


def html_spacer_nbsp() -> str:
    return _html_page(_html_s3_table(spacer=True, wrap=lambda v: f"&nbsp;{v}&nbsp;"), _html_s4_table())


def html_p_span() -> str:
    w = lambda v: f'<p style="text-align:center"><span lang="EN-US">{v}</span></p>'  # noqa: E731
    return _html_page(_html_s3_table(wrap=w), _html_s4_table(wrap=w))


FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")


def html_fullwidth_digits() -> str:
    w = lambda v: v.translate(FULL)  # noqa: E731
    return _html_page(_html_s3_table(wrap=w), _html_s4_table(wrap=w))


def html_one_big_table() -> str:
    rows = [f'<tr><td colspan="10">{ln}</td></tr>' for ln in HEAD if ln]
    rows.append('<tr><td colspan="10">二、主动公开政府信息情况</td></tr>')
    for title, header, srows in S2:
        rows.append(f'<tr><td colspan="10">{title}</td></tr>')
        for r in (header, *srows):
            rows.append("<tr>" + "".join(_cell(c) for c in r) + "</tr>")
    rows.append('<tr><td colspan="10">三、收到和处理政府信息公开申请情况</td></tr>')
    inner = _html_s3_table()
    rows.append(inner[inner.index("<tr>") : inner.rindex("</table>")])
    rows.append('<tr><td colspan="10">四、政府信息公开行政复议、行政诉讼情况</td></tr>')
    inner4 = _html_s4_table()
    rows.append(inner4[len("<table>") : -len("</table>")])
    rows += [f'<tr><td colspan="10">{ln}</td></tr>' for ln in TAIL if ln]
    return f'<html><head><meta charset="utf-8"></head><body><table>{"".join(rows)}</table></body></html>'


# ---------------------------------------------------------------- Word and Excel


def _docx_s3(doc, blank: set[tuple[int, int]]):
    t = doc.add_table(rows=3 + len(S3), cols=10)
    t.cell(0, 0).merge(t.cell(2, 2)).text = S3_NOTE
    t.cell(0, 3).merge(t.cell(0, 9)).text = "申请人情况"
    t.cell(1, 3).merge(t.cell(2, 3)).text = "自然人"
    t.cell(1, 4).merge(t.cell(1, 8)).text = "法人或其他组织"
    t.cell(1, 9).merge(t.cell(2, 9)).text = "总计"
    for k, a in enumerate(APPLICANTS[1:6]):
        t.cell(2, 4 + k).text = a
    t.cell(5, 0).merge(t.cell(25, 0)).text = "三、本年度办理结果"
    for title, rng in (DENIED, UNABLE, NOT_PROCESSED, OTHER):
        t.cell(3 + rng[0], 1).merge(t.cell(3 + rng[-1], 1)).text = title
    for i, (label, vals) in enumerate(S3):
        r = 3 + i
        if i in (0, 1, 23, 24):
            t.cell(r, 0).merge(t.cell(r, 2)).text = label
        elif _group_of(i) is None:
            t.cell(r, 1).merge(t.cell(r, 2)).text = label
        else:
            t.cell(r, 2).text = label
        for k, v in enumerate(vals):
            if (i, k) not in blank:
                t.cell(r, 3 + k).text = v


def _docx_s4(doc, only_review: bool):
    t = doc.add_table(rows=4, cols=15)
    t.cell(0, 0).merge(t.cell(0, 4)).text = "行政复议"
    t.cell(0, 5).merge(t.cell(0, 14)).text = "行政诉讼"
    for k in range(5):
        t.cell(1, k).merge(t.cell(2, k)).text = S4_HEAD3[k]
    t.cell(1, 5).merge(t.cell(1, 9)).text = "未经复议直接起诉"
    t.cell(1, 10).merge(t.cell(1, 14)).text = "复议后起诉"
    for k in range(10):
        t.cell(2, 5 + k).text = S4_HEAD3[k % 5]
    for k, v in enumerate(S4):
        if not only_review or k < 5:
            t.cell(3, k).text = v


def _docx(blank: set[tuple[int, int]] = frozenset(), only_review: bool = False) -> bytes:
    doc = new_docx()
    for ln in HEAD:
        doc.add_paragraph(ln)
    doc.add_paragraph("二、主动公开政府信息情况")
    for title, header, rows in S2:
        doc.add_paragraph(title)
        t = doc.add_table(rows=1 + len(rows), cols=len(header))
        for r, row in enumerate((header, *rows)):
            for c, v in enumerate(row):
                t.cell(r, c).text = v
    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    _docx_s3(doc, set(blank))
    doc.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    _docx_s4(doc, only_review)
    for ln in TAIL:
        doc.add_paragraph(ln)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _xlsx(as_text: bool, blank_last: bool) -> bytes:
    wb = Workbook()
    ws = wb.active
    r = 1

    def put(row: int, col: int, v: str) -> None:
        if v == "":
            return
        try:
            num = float(v)
        except ValueError:
            ws.cell(row, col, v)
            return
        if as_text:
            ws.cell(row, col, v).number_format = "@"
        else:
            ws.cell(row, col, int(num) if num.is_integer() else num)

    for ln in [*HEAD, "二、主动公开政府信息情况"]:
        if ln:
            ws.cell(r, 1, ln)
            r += 1
    for title, header, rows in S2:
        ws.cell(r, 1, title)
        r += 1
        for row in (header, *rows):
            for c, v in enumerate(row):
                put(r, 1 + c, v)
            r += 1
    ws.cell(r, 1, "三、收到和处理政府信息公开申请情况")
    r += 1
    top = r
    ws.cell(top, 1, S3_NOTE)
    ws.merge_cells(start_row=top, start_column=1, end_row=top + 2, end_column=3)
    ws.cell(top, 4, "申请人情况")
    ws.merge_cells(start_row=top, start_column=4, end_row=top, end_column=10)
    ws.cell(top + 1, 4, "自然人")
    ws.merge_cells(start_row=top + 1, start_column=4, end_row=top + 2, end_column=4)
    ws.cell(top + 1, 5, "法人或其他组织")
    ws.merge_cells(start_row=top + 1, start_column=5, end_row=top + 1, end_column=9)
    ws.cell(top + 1, 10, "总计")
    ws.merge_cells(start_row=top + 1, start_column=10, end_row=top + 2, end_column=10)
    for k, a in enumerate(APPLICANTS[1:6]):
        ws.cell(top + 2, 5 + k, a)
    r = top + 3
    ws.cell(r + 2, 1, "三、本年度办理结果")
    ws.merge_cells(start_row=r + 2, start_column=1, end_row=r + 22, end_column=1)
    for title, rng in (DENIED, UNABLE, NOT_PROCESSED, OTHER):
        ws.cell(r + rng[0], 2, title)
        ws.merge_cells(start_row=r + rng[0], start_column=2, end_row=r + rng[-1], end_column=2)
    for i, (label, vals) in enumerate(S3):
        if i in (0, 1, 23, 24):
            ws.cell(r + i, 1, label)
            ws.merge_cells(start_row=r + i, start_column=1, end_row=r + i, end_column=3)
        elif _group_of(i) is None:
            ws.cell(r + i, 2, label)
            ws.merge_cells(start_row=r + i, start_column=2, end_row=r + i, end_column=3)
        else:
            ws.cell(r + i, 3, label)
        for k, v in enumerate(vals):
            if blank_last and i == len(S3) - 1 and k == 6:
                continue
            put(r + i, 4 + k, v)
    r += len(S3)
    ws.cell(r, 1, "四、政府信息公开行政复议、行政诉讼情况")
    r += 1
    ws.cell(r, 1, "行政复议")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
    ws.cell(r, 6, "行政诉讼")
    ws.merge_cells(start_row=r, start_column=6, end_row=r, end_column=15)
    for k in range(5):
        ws.cell(r + 1, 1 + k, S4_HEAD3[k])
        ws.merge_cells(start_row=r + 1, start_column=1 + k, end_row=r + 2, end_column=1 + k)
    ws.cell(r + 1, 6, "未经复议直接起诉")
    ws.merge_cells(start_row=r + 1, start_column=6, end_row=r + 1, end_column=10)
    ws.cell(r + 1, 11, "复议后起诉")
    ws.merge_cells(start_row=r + 1, start_column=11, end_row=r + 1, end_column=15)
    for k in range(10):
        ws.cell(r + 2, 6 + k, S4_HEAD3[k % 5])
    for k, v in enumerate(S4):
        put(r + 3, 1 + k, v)
    r += 5
    for ln in TAIL:
        if ln:
            ws.cell(r, 1, ln)
            r += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- PDF text


def pdf_s4_column_order() -> str:
    """Section 四 values one per line, read column by column down the three header rows."""
    lines = ["行政复议", "", "行政诉讼", ""]
    for k in range(5):
        lines += [S4_HEAD3[k], "", S4[k], ""]
    lines += ["未经复议直接起诉", ""]
    for k in range(5):
        lines += [S4_HEAD3[k], "", S4[5 + k], ""]
    lines += ["复议后起诉", ""]
    for k in range(5):
        lines += [S4_HEAD3[k], "", S4[10 + k], ""]
    return _text(HEAD, _s2_tabs(), _s3_tabs(), lines)


def _layout_row(label: str, vals: list[str], width: int = 60) -> str:
    def w(s: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    out = label + " " * max(2, width - w(label))
    for v in vals:
        out += v.rjust(8)
    return out


def pdf_layout_blank_cells() -> str:
    s3 = [
        S3_NOTE,
        " " * 60 + "申请人情况",
        " " * 60 + "自然人".rjust(6) + "法人或其他组织".rjust(30) + "总计".rjust(14),
        " " * 60 + "".join(a.rjust(6) for a in APPLICANTS[1:6]),
    ]
    for i, (label, vals) in enumerate(S3):
        v = list(vals)
        if i in (6, 13):
            v = [x if k != 3 else "" for k, x in enumerate(v)]
        s3.append(_layout_row(label, v))
    return _text(HEAD, _s2_tabs(), s3, _s4_tabs())


def pdf_label_after_numbers() -> str:
    s3 = _s3_tabs()[:3]
    for label, vals in S3:
        if len(label) > 20:
            s3.append(" ".join(vals))
            s3.append(label)
        else:
            s3.append(label + " " + " ".join(vals))
    return _text(HEAD, _s2_tabs(), s3, _s4_tabs())


def pdf_spaces_only() -> str:
    s3 = [S3_NOTE, "申请人情况", "自然人 法人或其他组织 总计", " ".join(APPLICANTS[1:6])]
    s3 += [label + " " + " ".join(vals) for label, vals in S3]
    s4 = [" ".join(S4_HEAD1), " ".join(S4_HEAD2), " ".join(S4_HEAD3 * 3), " ".join(S4)]
    return _text(HEAD, _s2_tabs(), s3, s4)


def _s3_three_label_rows(fill: str) -> list[list[str]]:
    """Section 三 rows with the group columns of the template; a merged cell repeats its label or stays empty."""
    rows = []
    for i, (label, vals) in enumerate(S3):
        if i in (0, 1, 23, 24):
            rows.append([label, label if fill == "repeat" else "", label if fill == "repeat" else "", *vals])
            continue
        top = "三、本年度办理结果" if fill == "repeat" or i == 2 else ""
        group = _group_of(i)
        if group is None:
            rows.append([top, label, label if fill == "repeat" else "", *vals])
            continue
        rng = {t: r for t, r in (DENIED, UNABLE, NOT_PROCESSED, OTHER)}[group]
        rows.append([top, group if fill == "repeat" or i == rng[0] else "", label, *vals])
    return rows


def md_merged_label_columns(fill: str) -> str:
    header = [f"Column{k}" for k in range(1, 11)]
    heads = [
        [S3_NOTE, "", "", "申请人情况", "", "", "", "", "", ""],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", "", *APPLICANTS[1:6], ""],
    ]
    return _text(HEAD, _md_s2(), _md_table(header, [*heads, *_s3_three_label_rows(fill)]), _md_s4())


def md_s2_one_table() -> str:
    rows = []
    for title, header, srows in S2:
        rows.append([title, "", "", ""])
        rows.append([*header, *[""] * (4 - len(header))])
        rows += [[*r, *[""] * (4 - len(r))] for r in srows]
    return _text(HEAD, _md_table(["列1", "列2", "列3", "列4"], rows), _s3_tabs(), _s4_tabs())


def md_header_repeated_inside_table() -> str:
    header = ["申请人情况", *APPLICANTS]
    rows = _s3_full_rows()
    body = [*rows[:13], header, *rows[13:]]
    return _text(HEAD, _md_s2(), _md_table(header, body), _md_s4())


def html_sup_footnote() -> str:
    page = _html_page(_html_s3_table(), _html_s4_table())
    return page.replace("（七）总计</td>", "（七）总计<sup>1</sup></td>").replace(
        "四、结转下年度继续办理</td>", "四、结转下年度继续办理<sup>[2]</sup></td>"
    )


def pdf_s4_values_after_headers() -> str:
    """Section 四 headers first, then the fifteen values one per line."""
    lines = [*S4_HEAD1, *S4_HEAD3, *S4_HEAD2, *(S4_HEAD3 * 2), *S4]
    return _text(HEAD, _s2_tabs(), _s3_tabs(), lines)


def pdf_s4_blocks() -> str:
    """Section 四 read block by block: each block's headers, then its five values."""
    lines = ["行政复议", *S4_HEAD3, *S4[:5], "行政诉讼", "未经复议直接起诉", *S4_HEAD3, *S4[5:10], "复议后起诉"]
    lines += [*S4_HEAD3, *S4[10:]]
    return _text(HEAD, _s2_tabs(), _s3_tabs(), lines)


def pdf_layout_section4_blank() -> str:
    """Section 四 in -layout mode, one review cell left blank: a wide gap keeps the other values in place."""
    vals = [v.rjust(6) if k != 3 else " " * 6 for k, v in enumerate(S4)]
    lines = [
        "      行政复议" + " " * 24 + "行政诉讼",
        " " * 34 + "未经复议直接起诉" + " " * 16 + "复议后起诉",
        "".join(h.rjust(6) for h in S4_HEAD3 * 3),
        "".join(vals),
    ]
    return _text(HEAD, _s2_tabs(), _s3_tabs(), lines)


def pdf_label_split_around_numbers() -> str:
    """Long labels broken by pdftotext: the first part before the numbers, the rest on the next line."""
    s3 = _s3_tabs()[:3]
    for label, vals in S3:
        if len(label) > 20:
            s3.append(label[:16] + "  " + "  ".join(vals))
            s3.append(label[16:])
        else:
            s3.append(label + "  " + "  ".join(vals))
    return _text(HEAD, _s2_tabs(), s3, _s4_tabs())


def pdf_layout_last_column_blank() -> str:
    s3 = [S3_NOTE, " " * 60 + "申请人情况"]
    for i, (label, vals) in enumerate(S3):
        v = list(vals)
        if i == 9:
            v[6] = ""
        if i == 10:
            v[0] = ""
        s3.append(_layout_row(label, v).rstrip())
    return _text(HEAD, _s2_tabs(), s3, _s4_tabs())


def docx_superscript_note() -> bytes:
    """A Word table whose total row's label carries a superscript note number."""
    doc = new_docx()
    for ln in HEAD:
        doc.add_paragraph(ln)
    doc.add_paragraph("二、主动公开政府信息情况")
    for title, header, rows in S2:
        doc.add_paragraph(title)
        t = doc.add_table(rows=1 + len(rows), cols=len(header))
        for r, row in enumerate((header, *rows)):
            for c, v in enumerate(row):
                t.cell(r, c).text = v
    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    _docx_s3(doc, set())
    label = doc.tables[-1].cell(3 + 23, 0).paragraphs[0]
    label.add_run("1").font.superscript = True
    doc.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    _docx_s4(doc, False)
    for ln in TAIL:
        doc.add_paragraph(ln)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def tabs_trailing_blank() -> str:
    """Tab rows whose last cell is left empty: the trailing tab keeps the blank total cell."""
    s3 = _s3_tabs()
    at = 3 + 21
    s3[at] = s3[at].rsplit("\t", 1)[0] + "\t"
    return _text(HEAD, _s2_tabs(), s3, _s4_tabs())


STATS_FILE = SHAPES / "C8_glued_stats_table.txt"
STATS_EXPECTED = json.loads((SHAPES / "cases.json").read_text(encoding="utf-8"))["C8_glued_stats_table.txt"]["expected"]
STATS_ROWS = [
    ("主动公开信息数", "310", "950"),
    ("其中：1.网站公开", "310", "950"),
    ("2.政府公报公开", "0", "0"),
    ("受理依申请公开信息总数", "14", "14"),
    ("其中：1.当面申请数", "12", "12"),
    ("2.传真申请数", "0", "0"),
    ("3.电子邮件申请数", "2", "2"),
    ("4.网上申请数", "0", "0"),
    ("5.信函申请数", "0", "0"),
    ("6.其它形式申请数", "0", "0"),
    ("对申请的答复数", "14", "14"),
    ("其中：1.同意公开答复数", "11", "11"),
    ("2.同意部分公开答复数", "2", "2"),
    ("3.否决公开答复数", "1", "1"),
    ("行政复议数", "0", "0"),
    ("行政诉讼数", "0", "0"),
    ("行政申诉数", "0", "0"),
]


def _stats_report(table: list[str]) -> str:
    text = STATS_FILE.read_text(encoding="utf-8")
    head = text[: text.index("指标名称")]
    return head.replace(" ", "\n") + "\n" + "\n".join(table) + "\n"


def stats_spaced_rows() -> str:
    return _stats_report(["指标名称 计量单位 2012年度 历年累计", *(f"{a} 条 {b} {c}" for a, b, c in STATS_ROWS)])


def stats_tab_rows() -> str:
    return _stats_report(["指标名称\t计量单位\t2012年度\t历年累计", *(f"{a}\t条\t{b}\t{c}" for a, b, c in STATS_ROWS)])


def stats_one_cell_per_line() -> str:
    lines = ["指标名称", "计量单位", "2012年度", "历年累计"]
    for row in STATS_ROWS:
        lines += [row[0], "条", row[1], row[2]]
    return _stats_report(lines)


def stats_glued_rows_on_lines() -> str:
    return _stats_report(["指标名称计量单位2012年度历年累计", *(f"{a}条{b}{c}" for a, b, c in STATS_ROWS)])


def md_index_column() -> str:
    """A converter's table with its row index as the first column (as data-frame exports write it)."""
    rows = [[str(i), label, *vals] for i, (label, vals) in enumerate(S3)]
    return _text(HEAD, _md_s2(), _md_table(["", "类别", *APPLICANTS], rows), _md_s4())


def html_numbers_with_unit_and_spaces() -> str:
    w = lambda v: f" {v} "  # noqa: E731
    page = _html_page(_html_s3_table(wrap=w), _html_s4_table(wrap=lambda v: f"{v}件"))
    return page


def pdf_layout_split_labels_with_blank() -> str:
    s3 = [S3_NOTE, " " * 60 + "申请人情况"]
    for i, (label, vals) in enumerate(S3):
        v = list(vals)
        if i == 16:
            v[2] = ""
        if len(label) > 20:
            s3.append(_layout_row(label[:14], v).rstrip())
            s3.append(label[14:])
        else:
            s3.append(_layout_row(label, v).rstrip())
    return _text(HEAD, _s2_tabs(), s3, _s4_tabs())


# ---------------------------------------------------------------- expectations and runs

Variant = Callable[[], tuple[str, bytes, dict[str, float | None]]]


def _blank_expected(cells: set[tuple[int, int]]) -> dict[str, float | None]:
    want = dict(EXPECTED)
    keys = [k for k in EXPECTED if "|" in k and k.split("|")[1]]
    rows = [keys[i * 7 : (i + 1) * 7] for i in range(len(S3))]
    for i, k in cells:
        want[rows[i][k]] = None
    return want


def _t(fn: Callable[[], str], ext: str = "md"):
    return lambda: (f"v.{ext}", fn().encode("utf-8"), EXPECTED)


VARIANTS: dict[str, Variant] = {
    "md_generic_columns": _t(md_generic_columns),
    "md_empty_header": _t(md_empty_header),
    "md_bold_numbers": _t(md_bold_numbers),
    "md_br_in_cells": _t(md_br_in_cells),
    "md_escaped_pipe": _t(md_escaped_pipe),
    "md_page_break_repeated_header": _t(md_page_break_repeated_header),
    "md_footnote_cells_and_lines": _t(md_footnote_cells_and_lines),
    "md_mini_tables_repeated_header": _t(lambda: md_mini_tables_per_group(True)),
    "md_mini_tables_no_header": _t(lambda: md_mini_tables_per_group(False)),
    "md_loose_labels_3_lines": _t(lambda: md_loose_wrapped_labels(False)),
    "md_loose_labels_marker_alone": _t(lambda: md_loose_wrapped_labels(True)),
    "md_s2_order": _t(md_s2_order),
    "md_html_table_inside": _t(md_html_table_inside),
    "html_nested_tbody_th": _t(html_nested_tbody_th, "html"),
    "html_rowspan_labels": _t(html_rowspan_labels, "html"),
    "html_spacer_nbsp": _t(html_spacer_nbsp, "html"),
    "html_p_span": _t(html_p_span, "html"),
    "html_fullwidth_digits": _t(html_fullwidth_digits, "html"),
    "html_one_big_table": _t(html_one_big_table, "html"),
    "docx_merged": lambda: ("v.docx", _docx(), EXPECTED),
    "docx_blank_cells": lambda: ("v.docx", _docx({(4, 2), (17, 0)}), _blank_expected({(4, 2), (17, 0)})),
    "docx_s4_one_block": lambda: (
        "v.docx",
        _docx(only_review=True),
        {**EXPECTED, **{k: None for k in EXPECTED if k.startswith("litigation.")}},
    ),
    "xlsx_merged_numbers": lambda: ("v.xlsx", _xlsx(False, False), EXPECTED),
    "xlsx_text_numbers_blank_last": lambda: ("v.xlsx", _xlsx(True, True), _blank_expected({(24, 6)})),
    "pdf_s4_column_order": _t(pdf_s4_column_order, "txt"),
    "pdf_layout_blank_cells": lambda: ("v.txt", pdf_layout_blank_cells().encode(), _blank_expected({(6, 3), (13, 3)})),
    "pdf_label_after_numbers": _t(pdf_label_after_numbers, "txt"),
    "pdf_spaces_only": _t(pdf_spaces_only, "txt"),
    "md_merged_labels_repeated": _t(lambda: md_merged_label_columns("repeat")),
    "md_merged_labels_empty": _t(lambda: md_merged_label_columns("empty")),
    "md_s2_one_table": _t(md_s2_one_table),
    "md_header_repeated_inside_table": _t(md_header_repeated_inside_table),
    "html_sup_footnote": _t(html_sup_footnote, "html"),
    "pdf_s4_values_after_headers": _t(pdf_s4_values_after_headers, "txt"),
    "pdf_s4_blocks": _t(pdf_s4_blocks, "txt"),
    "pdf_layout_section4_blank": lambda: (
        "v.txt",
        pdf_layout_section4_blank().encode(),
        {**EXPECTED, "review.pending|": None},
    ),
    "pdf_label_split_around_numbers": _t(pdf_label_split_around_numbers, "txt"),
    "md_index_column": _t(md_index_column),
    "html_numbers_with_unit_and_spaces": _t(html_numbers_with_unit_and_spaces, "html"),
    "pdf_layout_split_labels_with_blank": lambda: (
        "v.txt",
        pdf_layout_split_labels_with_blank().encode(),
        _blank_expected({(16, 2)}),
    ),
    "docx_superscript_note": lambda: ("v.docx", docx_superscript_note(), EXPECTED),
    "tabs_trailing_blank": lambda: ("v.txt", tabs_trailing_blank().encode(), _blank_expected({(21, 6)})),
    "stats_spaced_rows": lambda: ("v.txt", stats_spaced_rows().encode(), STATS_EXPECTED),
    "stats_tab_rows": lambda: ("v.txt", stats_tab_rows().encode(), STATS_EXPECTED),
    "stats_one_cell_per_line": lambda: ("v.txt", stats_one_cell_per_line().encode(), STATS_EXPECTED),
    "stats_glued_rows_on_lines": lambda: ("v.txt", stats_glued_rows_on_lines().encode(), STATS_EXPECTED),
    "pdf_layout_last_column_blank": lambda: (
        "v.txt",
        pdf_layout_last_column_blank().encode(),
        _blank_expected({(9, 6), (10, 0)}),
    ),
}


def _same(got: float | None, want: float | None) -> bool:
    return got is None and want is None or got is not None and want is not None and abs(got - want) < 1e-6


def _run(name: str):
    filename, data, want = VARIANTS[name]()
    report = parse_bytes(data, f"{name}_{filename}")
    got = {f"{f.metric}|{f.applicant or ''}": f.value for f in report.figures}
    wrong = {k: (v, got.get(k)) for k, v in want.items() if not _same(got.get(k), v)}
    return report, wrong


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_gives_control_figures(name: str) -> None:
    _, wrong = _run(name)
    assert not wrong, f"{name}: {len(wrong)} figures wrong (want, got): {wrong}"


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_raises_no_rule_finding(name: str) -> None:
    report, _ = _run(name)
    found = checks.findings_for([report])[report.source]
    rules = [f"{f['rule']}: {f['message']}" for f in found if f["rule"] in ("R1", "R2", "R3", "R4", "R5")]
    assert not rules
