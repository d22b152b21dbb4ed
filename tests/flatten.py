"""Render whole annual reports from canonical figure sets, in the text flattenings real reports reach us in.

A figure set holds every table cell of one report as printed ({(metric, applicant): raw}). `build_doc` lays the
cells out as the national templates print them (label slots, merged cells, header rows); modifiers change the
tables the way converters do (broken labels, vertical headers, page footers, stray markers, full-width digits);
a base renderer writes the tables as Word copy-paste, tab rows, pdftotext -layout, glued web text or Markdown.
`expected_figures` says what a parser must give back for one (set, flattening), including which glued rows
cannot be split uniquely and so must not be guessed.

Run `python -m tests.flatten` to rewrite the checked-in examples under tests/fixtures/flattened/.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from enum import Enum
from itertools import product
from pathlib import Path

from loaders.keys import APPLICANT_KEYS, METRICS, SECTION2_ROWS, SECTION3_ROWS, SECTION4_KEYS

Key = tuple[str, str | None]

EXAMPLES_DIR = Path(__file__).resolve().parent / "fixtures" / "flattened"
MARKER = "[bookmark: _GoBack]"
_MARKER_RE = re.compile(r"\[bookmark: [^\]]*\]")
_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_VERTICAL = "三、本年度办理结果"
HEADINGS = {
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
}


# --- figure sets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureSet:
    """Every table cell of one report as printed, with the title and prose sections printed around the tables."""

    name: str
    template: str
    title: tuple[str, ...]
    cells: dict[Key, str]
    prose: dict[str, str]  # "一", "五", "六" -> heading and body, as printed


def _s2(template: str, rows: dict[str, tuple[str, ...]]) -> dict[Key, str]:
    """Section 二 cells from {row label: raws in printed column order}."""
    by_label = {row.label: row for row in SECTION2_ROWS[template]}
    return {
        (metric, None): raw
        for label, raws in rows.items()
        for metric, raw in zip(by_label[label].metrics, raws, strict=True)
    }


def _s3(template: str, rows: dict[str, tuple[str, ...]]) -> dict[Key, str]:
    """Section 三 cells: the rows given, and "0" in all seven columns of every row not given."""
    cells: dict[Key, str] = {}
    for row in SECTION3_ROWS[template]:
        raws = rows.get(row.metric, ("0",) * len(APPLICANT_KEYS))
        cells.update({(row.metric, a): raw for a, raw in zip(APPLICANT_KEYS, raws, strict=True)})
    return cells


def _s4(raws: str) -> dict[Key, str]:
    """Section 四 cells from the fifteen printed values, space separated, in printed order."""
    return {(key, None): raw for key, raw in zip(SECTION4_KEYS, raws.split(), strict=True)}


def _row(*raws: str) -> tuple[str, ...]:
    """A printed row of cells (a readable spelling for the tables below)."""
    return raws


ZHANGDIAN_2021 = FigureSet(
    name="zhangdian-district-gov-2021",
    template="2021",
    title=("张店区人民政府", "2021年政府信息公开工作年度报告"),
    cells={
        **_s2(
            "2021",
            {
                "规章": _row("0", "0", "0"),
                "行政规范性文件": _row("12", "0", "47"),
                "行政许可": _row("65036"),
                "行政处罚": _row("542730"),
                "行政强制": _row("10165"),
                "行政事业性收费": _row("19318.93442"),
            },
        ),
        # Rows not listed print 0 in all seven columns.
        **_s3(
            "2021",
            {
                "requests.new": _row("85", "12", "8", "0", "0", "0", "105"),
                "requests.carried_over": _row("0", "00", "0", "0", "0", "0", "0"),
                "outcome.granted": _row("41", "12", "8", "0", "0", "0", "61"),
                "outcome.partial": _row("3", "0", "0", "0", "0", "0", "3"),
                "outcome.denied.internal_affairs": _row("7", "0", "0", "0", "0", "0", "7"),
                "outcome.denied.process_info": _row("3", "0", "0", "0", "0", "0", "3"),
                "outcome.denied.enforcement_file": _row("2", "0", "0", "0", "0", "0", "2"),
                "outcome.unavailable.not_held": _row("15", "0", "0", "0", "0", "0", "15"),
                "outcome.unavailable.needs_creation": _row("5", "0", "0", "0", "0", "0", "5"),
                "outcome.not_processed.petition": _row("7", "0", "0", "0", "0", "0", "7"),
                "outcome.not_processed.duplicate": _row("2", "0", "0", "0", "0", "0", "2"),
                "outcome.total": _row("85", "12", "8", "0", "0", "0", "105"),
            },
        ),
        **_s4("4 3 0 1 8  9 3 1 0 13  0 0 0 0 0"),
    },
    prose={
        "一": "—、总体情况\n\n2021年，张店区坚持以习近平新时代中国特色社会主义思想为指导，按照国务院、省、市、区政府的"
        "重点工作部署，把政务公开工作作为提高政府工作透明度、优化营商环境、保障公民合法权益的重要举措。\n\n"
        "（二）依申请公开\n\n2021年度，全区共办理政府信息公开申请105件（政府层面的申请16件），其中自然人申请85件，"
        "商业企业申请12件，科研机构申请8件。",
        "五": "五、政府信息公开工作存在的主要问题及改进情况\n\n2021年，我办政府信息公开工作稳步推进，在信息公开的"
        "及时性、便民性等方面与群众对于政务信息的需求还存在一定差距。",
        "六": "六、其他需要报告的事项\n\n（一）收费情况说明\n2021年度，在区政府办理政府信息公开申请过程中，依据"
        "《政府信息公开信息处理费管理办法》未收取任何信息处理费。",
    },
)

ZHANGDIAN_OFFICE_2021 = FigureSet(
    name="zhangdian-district-gov-office-2021",
    template="2021",
    title=("张店区人民政府办公室", "2021 年政府信息公开工作年度报告"),
    cells={
        **_s2(
            "2021",
            {
                "规章": _row("0", "0", "0"),
                "行政规范性文件": _row("4", "0", "19"),
                "行政许可": _row("0"),
                "行政处罚": _row("0"),
                "行政强制": _row("0"),
                "行政事业性收费": _row("0"),
            },
        ),
        # Rows not listed print 0 in all seven columns. The printed totals break R1 per column; kept as printed.
        **_s3(
            "2021",
            {
                "requests.new": _row("12", "2", "2", "0", "0", "0", "16"),
                "outcome.granted": _row("8", "0", "0", "0", "0", "0", "8"),
                "outcome.denied.internal_affairs": _row("2", "0", "0", "0", "0", "0", "2"),
                "outcome.unavailable.not_held": _row("6", "0", "0", "0", "0", "0", "6"),
                "outcome.total": _row("16", "0", "0", "0", "0", "0", "16"),
            },
        ),
        # The source prints sixteen zeros for these fifteen cells; the canonical set has the fifteen.
        **_s4("0 0 0 0 0  0 0 0 0 0  0 0 0 0 0"),
    },
    prose={
        "一": "一、总体情况\n\n（二）依申请公开情况。\n\n"
        "2021 年度，我机关办理政府信息公开申请 16 件，其中自然人申请 12 件，商业企业申请 2 件，科研机构申请 2 件。",
        "五": "五、存在的主要问题及改进情况\n\n2021年，我办政府信息公开工作稳步推进，在信息公开的及时性、便民性等方面"
        "与群众对于政务信息的需求还存在一定差距。",
        "六": "六、其他需要报告的事项\n\n1. 2021 年度，我机关在办理以及代区政府办理政府信息公开申请过程中，"
        "未收取任何信息处理费。",
    },
)

SHIZHONG_HEALTH_2021 = FigureSet(
    name="shizhong-district-health-bureau-2021",
    template="2019",
    title=("市中区卫生健康局", "2021年政府信息公开工作年度报告"),
    cells={
        # The source prints no 政府集中采购 row, so the set has none.
        **_s2(
            "2019",
            {
                "规章": _row("0", "0", "0"),
                "规范性文件": _row("0", "0", "0"),
                "行政许可": _row(f"{MARKER}1", "0", "0"),
                "其他对外管理服务事项": _row("121", "增7", "0"),
                "行政处罚": _row("540", "3", "303"),
                "行政强制": _row("10", "0", "0"),
                "行政事业性收费": _row("0", "0"),
            },
        ),
        **_s3("2019", {}),  # every cell prints 0
        **_s4("0 0 0 0 0  0 0 0 0 0  0 0 0 0 0"),
    },
    prose={
        "一": "—、总体情况\n（一）主动公开情况\n"
        "    主动公开信息245条，其中在政府门户网站公开165条，政务新媒体公开78条，其他渠道公开2(新闻发布会)条。",
        "五": "五、存在的主要问题及改进情况\n    在2021年，我局政务信息公开工作取得了一定的成效，但是实际工作中还存在"
        "一些比较突出的问题。",
        "六": "六、其他需要报告的事项\n（一）人大代表建议和政协委员提案办理情况\n2021年，市中区（单位全称）共承办区级"
        "人大代表建议5件，办复率100%；承办区政协委员提案8件，办复率100%。\n（二）收取信息处理费的情况\n"
        "本年度依申请公开政府信息未收取任何费用。",
    },
)

# Invented figures that reconcile (R1-R4) wherever a number is printed; multi-digit cells make glued rows
# hard to split, and the 规范性文件 row (69|3|665) has no unique split on purpose, with no prose to pin it.
SYNTHETIC_2021 = FigureSet(
    name="synthetic-2021",
    template="2021",
    title=("示例县人民政府", "2021年政府信息公开工作年度报告"),
    cells={
        **_s2(
            "2021",
            {
                "规章": _row("/", "/", "/"),
                "行政规范性文件": _row("69", "3", "665"),
                "行政许可": _row("12874"),
                "行政处罚": _row("—"),
                "行政强制": _row("306"),
                "行政事业性收费": _row("356.27"),
            },
        ),
        **_s3(
            "2021",
            {
                "requests.new": _row("1203", "45", "6", "0", "17", "3", "1274"),
                "requests.carried_over": _row("28", "2", "0", "0", "1", "0", "31"),
                "outcome.granted": _row("512", "20", "3", "0", "8", "1", "544"),
                "outcome.partial": _row("97", "6", "0", "0", "2", "0", "105"),
                "outcome.denied.prohibited_by_law": _row("4", "0", "0", "0", "0", "0", "4"),
                "outcome.denied.security_stability": _row("2", "0", "0", "0", "0", "0", "2"),
                "outcome.denied.third_party": _row("31", "3", "0", "0", "1", "0", "35"),
                "outcome.denied.internal_affairs": _row("15", "0", "0", "0", "0", "0", "15"),
                "outcome.denied.process_info": _row("22", "1", "0", "0", "0", "0", "23"),
                "outcome.denied.enforcement_file": _row("11", "0", "0", "0", "2", "0", "13"),
                "outcome.denied.query_matter": _row("", "", "", "", "", "", ""),
                "outcome.unavailable.not_held": _row("260", "9", "2", "0", "3", "1", "275"),
                "outcome.unavailable.needs_creation": _row("40", "1", "0", "0", "0", "0", "41"),
                "outcome.unavailable.unclear": _row("18", "0", "0", "0", "0", "0", "18"),
                "outcome.not_processed.petition": _row("66", "2", "0", "0", "0", "1", "69"),
                "outcome.not_processed.duplicate": _row("25", "0", "0", "0", "0", "0", "25"),
                "outcome.not_processed.publication": _row("3", "0", "0", "0", "0", "0", "3"),
                "outcome.not_processed.excessive": _row("10", "0", "0", "0", "0", "0", "10"),
                "outcome.not_processed.confirmation": _row("7", "0", "1", "0", "0", "0", "8"),
                "outcome.other.no_correction": _row("19", "1", "0", "0", "0", "0", "20"),
                "outcome.other.unpaid_fee": _row("—", "—", "—", "—", "—", "—", "—"),
                "outcome.other.other": _row("12", "", "0", "0", "1", "0", "13"),
                "outcome.total": _row("1154", "43", "6", "0", "17", "3", "1223"),
                "requests.carried_forward": _row("77", "4", "0", "0", "1", "0", "82"),
            },
        ),
        **_s4("12 3 0 2 17  5 0 1 0 6  2 1 0 0 3"),
    },
    prose={
        "一": "一、总体情况\n\n2021年，示例县人民政府坚持以公开为常态、不公开为例外，持续完善主动公开目录，"
        "规范依申请公开办理流程。",
        "五": "五、政府信息公开工作存在的主要问题及改进情况\n\n依申请公开答复的规范性还需加强。下一步将加强业务培训，"
        "提升答复质量。",
        "六": "六、其他需要报告的事项\n\n本年度未收取信息处理费。",
    },
)

# Invented figures on the 2019 template: every section 二 row printed (政府集中采购 too), signed changes, and a
# section 三 that reconciles, so the 2019 layout is tested with numbers other than zero.
SYNTHETIC_2019 = FigureSet(
    name="synthetic-2019",
    template="2019",
    title=("示例区卫生健康局", "2020年政府信息公开工作年度报告"),
    cells={
        **_s2(
            "2019",
            {
                "规章": _row("/", "/", "/"),
                "规范性文件": _row("8", "8", "52"),
                "行政许可": _row("396", "44", "278"),
                "其他对外管理服务事项": _row("10", "7", "105"),
                "行政处罚": _row("2648", "-18", "538"),
                "行政强制": _row("126", "26", "29"),
                "行政事业性收费": _row("35", "-15"),
                "政府集中采购": _row("135", "7539.44"),
            },
        ),
        **_s3(
            "2019",
            {
                "requests.new": _row("20", "0", "0", "0", "0", "1", "21"),
                "requests.carried_over": _row("2", "0", "0", "0", "0", "0", "2"),
                "outcome.granted": _row("7", "0", "0", "0", "0", "1", "8"),
                "outcome.partial": _row("6", "0", "0", "0", "0", "0", "6"),
                "outcome.denied.third_party": _row("1", "0", "0", "0", "0", "0", "1"),
                "outcome.denied.process_info": _row("2", "0", "0", "0", "0", "0", "2"),
                "outcome.unavailable.not_held": _row("3", "0", "0", "0", "0", "0", "3"),
                "outcome.not_processed.petition": _row("1", "0", "0", "0", "0", "0", "1"),
                "outcome.other.unspecified": _row("1", "0", "0", "0", "0", "0", "1"),
                "outcome.total": _row("21", "0", "0", "0", "0", "1", "22"),
                "requests.carried_forward": _row("1", "0", "0", "0", "0", "0", "1"),
            },
        ),
        **_s4("2 0 1 0 3  1 0 0 1 2  0 0 0 0 0"),
    },
    prose={
        "一": "一、总体情况\n\n2020年，示例区卫生健康局认真落实政府信息公开条例，"
        "及时公开疫情防控、医疗服务等方面的信息。",
        "五": "五、存在的主要问题及改进情况\n\n公开内容的时效性还需提高。下一步将完善信息发布审核流程。",
        "六": "六、其他需要报告的事项\n\n本年度未收取信息处理费。",
    },
)

SETS: dict[str, FigureSet] = {
    s.name: s for s in (ZHANGDIAN_2021, ZHANGDIAN_OFFICE_2021, SHIZHONG_HEALTH_2021, SYNTHETIC_2021, SYNTHETIC_2019)
}


# --- reading a printed cell ----------------------------------------------------------------------

_NUMBER = re.compile(r"(增|减|\+|-)?(\d+(?:\.\d+)?)")


def strip_markers(text: str) -> str:
    """The text without Word bookmark markers such as "[bookmark: _GoBack]"."""
    return _MARKER_RE.sub("", text)


def plain(text: str) -> str:
    """The text as a reader sees it: markers gone, full-width forms folded (NFKC), outer space trimmed."""
    return unicodedata.normalize("NFKC", strip_markers(text)).strip()


def cell_value(raw: str) -> float | None:
    """The number a printed cell states: "00" is 0, "增7" is 7, "减3" is -3; "", "/" and "—" state none."""
    match = _NUMBER.fullmatch(plain(raw))
    if match is None:
        return None
    sign = -1 if match.group(1) in ("减", "-") else 1
    return sign * float(match.group(2))


def printed_core(raw: str) -> str:
    """What a parser's raw text must contain for this cell: its digits, or the symbol it prints instead."""
    text = plain(raw)
    digits = re.sub(r"[^0-9.]", "", text)
    return digits or text


# --- the printed layout --------------------------------------------------------------------------


class Span(Enum):
    """A grid position covered by a merged cell: from the cell on its left, or from the cell above."""

    RIGHT = "right"
    DOWN = "down"


Slot = str | Span


@dataclass(frozen=True)
class Row:
    """One printed table row: a slot per grid column, the figure each value slot holds, a page footer after it."""

    slots: tuple[Slot, ...]
    keys: tuple[Key | None, ...]
    head: bool = False
    footer: str | None = None


@dataclass(frozen=True)
class Table:
    """One table of a report: its section, how many leading grid columns hold row labels, and its rows."""

    section: str
    n_label: int
    rows: tuple[Row, ...]

    def body(self) -> list[Row]:
        """The rows that hold figures."""
        return [r for r in self.rows if not r.head]


def _head(*slots: Slot) -> Row:
    """A header row."""
    return Row(tuple(slots), (None,) * len(slots), head=True)


def _body(labels: tuple[Slot, ...], keys: list[Key], cells: dict[Key, str], width: int) -> Row:
    """A body row: its label slots, then one value slot per key, padded with RIGHT to the grid width."""
    pad = width - len(labels) - len(keys)
    slots = labels + tuple(cells[k] for k in keys) + (Span.RIGHT,) * pad
    return Row(slots, (None,) * len(labels) + tuple(keys) + (None,) * pad)


_S3_PARENTS = {
    "outcome.denied": "（三）不予公开",
    "outcome.unavailable": "（四）无法提供",
    "outcome.not_processed": "（五）不予处理",
    "outcome.other": "（六）其他处理",
}
_S3_FULL_LABELS = {"outcome.partial": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"}


def _s3_row_labels(metric: str, label: str, first_of_group: bool) -> tuple[Slot, ...]:
    """The three label slots of one section 三 row: merged across for 一、二、四, down for 三、本年度办理结果."""
    parent = metric.rsplit(".", 1)[0]
    if metric.startswith("requests."):
        return (label, Span.RIGHT, Span.RIGHT)
    if metric == "outcome.granted":
        return (_VERTICAL, label, Span.RIGHT)
    if parent not in _S3_PARENTS or metric.endswith(".unspecified"):
        return (Span.DOWN, label, Span.RIGHT)
    return (Span.DOWN, _S3_PARENTS[parent] if first_of_group else Span.DOWN, label)


def _s3_labels(template: str) -> list[tuple[str, tuple[Slot, ...]]]:
    """Each section 三 metric with its three label slots as the template prints them."""
    out: list[tuple[str, tuple[Slot, ...]]] = []
    seen: set[str] = set()
    for row in SECTION3_ROWS[template]:
        parent = row.metric.rsplit(".", 1)[0]
        label = _S3_FULL_LABELS.get(row.metric, row.label)
        out.append((row.metric, _s3_row_labels(row.metric, label, parent not in seen)))
        seen.add(parent)
    return out


def section3_table(figset: FigureSet) -> Table:
    """Section 三 as printed: three header rows, then one row per metric with seven applicant columns."""
    r, d = Span.RIGHT, Span.DOWN
    heads = (
        _head(_NOTE, r, r, "申请人情况", r, r, r, r, r, r),
        _head(d, r, r, "自然人", "法人或其他组织", r, r, r, r, "总计"),
        _head(d, r, r, d, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", d),
    )
    rows = [
        _body(labels, [(metric, a) for a in APPLICANT_KEYS], figset.cells, 10)
        for metric, labels in _s3_labels(figset.template)
    ]
    return Table("三", 3, heads + tuple(rows))


def section4_table(figset: FigureSet) -> Table:
    """Section 四 as printed: three header rows over fifteen columns, then the one row of values."""
    r, d = Span.RIGHT, Span.DOWN
    parts = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    heads = (
        _head("行政复议", r, r, r, r, "行政诉讼", *(r,) * 9),
        _head(*parts, "未经复议直接起诉", r, r, r, r, "复议后起诉", r, r, r, r),
        _head(*(d,) * 5, *parts, *parts),
    )
    body = _body((), [(k, None) for k in SECTION4_KEYS], figset.cells, 15)
    return Table("四", 0, heads + (body,))


# Which 第二十条 item each section 二 row is printed under.
_S2_ITEMS = {
    "规章": "（一）",
    "规范性文件": "（一）",
    "行政规范性文件": "（一）",
    "行政许可": "（五）",
    "其他对外管理服务事项": "（五）",
    "行政处罚": "（六）",
    "行政强制": "（六）",
    "行政事业性收费": "（八）",
    "政府集中采购": "（九）",
}


def section2_table(figset: FigureSet) -> Table:
    """Section 二 as printed: per 第二十条 item a title row, a header row and its rows (those the set has)."""
    r = Span.RIGHT
    rows: list[Row] = []
    item = None
    for s2row in SECTION2_ROWS[figset.template]:
        keys = [(m, None) for m in s2row.metrics]
        if not all(k in figset.cells for k in keys):
            continue
        if _S2_ITEMS[s2row.label] != item:
            item = _S2_ITEMS[s2row.label]
            rows.append(_head(f"第二十条第{item}项", r, r, r))
            rows.append(_head("信息内容", *s2row.columns, *(r,) * (3 - len(s2row.columns))))
        rows.append(_body((s2row.label,), keys, figset.cells, 4))
    return Table("二", 1, tuple(rows))


def build_doc(figset: FigureSet) -> list[str | Table]:
    """The whole report as blocks: title, prose 一, the three tables under their headings, prose 五 and 六."""
    return [
        "\n".join(figset.title),
        figset.prose["一"],
        section2_table(figset),
        section3_table(figset),
        section4_table(figset),
        figset.prose["五"],
        figset.prose["六"],
    ]


def value_cells(table: Table) -> Iterator[tuple[Row, int, Key]]:
    """Every value slot of a table: its row, its grid column and the figure it holds."""
    for row in table.body():
        for col, key in enumerate(row.keys):
            if key is not None:
                yield row, col, key


# --- modifiers: what converters do to a table ------------------------------------------------------


def _with_slots(row: Row, change: Callable[[int, Slot], Slot]) -> Row:
    """The row with every slot passed through `change(column, slot)`."""
    return replace(row, slots=tuple(change(c, s) for c, s in enumerate(row.slots)))


def broken_labels(table: Table) -> Table:
    """Row labels longer than a cell is wide wrap onto a second line after 19 characters."""

    def wrap(col: int, slot: Slot) -> Slot:
        if col >= table.n_label or not isinstance(slot, str) or len(slot) <= 19:
            return slot
        return "\n".join(slot[i : i + 19] for i in range(0, len(slot), 19))

    rows = tuple(row if row.head else _with_slots(row, wrap) for row in table.rows)
    return replace(table, rows=rows)


def vertical_header(table: Table) -> Table:
    """The merged 三、本年度办理结果 cell printed top to bottom, one character per line."""

    def stack(_col: int, slot: Slot) -> Slot:
        return "\n".join(slot) if slot == _VERTICAL else slot

    return replace(table, rows=tuple(_with_slots(row, stack) for row in table.rows))


# Page footers printed between two body rows: (section, body row index) -> footer.
_FOOTERS = {("二", 2): "- 2 -", ("三", 5): "第 3 页 共 5 页", ("三", 14): "4"}


def page_footers(table: Table) -> Table:
    """A page footer or bare page number between two rows, where the table crossed a page."""
    rows, body_index = [], 0
    for row in table.rows:
        if not row.head:
            row = replace(row, footer=_FOOTERS.get((table.section, body_index)))
            body_index += 1
        rows.append(row)
    return replace(table, rows=tuple(rows))


def stray_markers(table: Table) -> Table:
    """A "[bookmark: _GoBack]" marker before the first number of the table, as docx-to-text tools leave it."""
    target = next(((r, c) for r, c, _ in value_cells(table) if cell_value(r.slots[c]) is not None), None)
    if target is None:
        return table

    def mark(row: Row) -> Row:
        if row is not target[0]:
            return row
        return _with_slots(row, lambda c, s: f"{MARKER}{s}" if c == target[1] else s)

    return replace(table, rows=tuple(mark(row) for row in table.rows))


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def full_width_digits(table: Table) -> Table:
    """Every digit of every value cell in its full-width form (１２ for 12)."""

    def widen(row: Row) -> Row:
        if row.head:
            return row
        return _with_slots(row, lambda c, s: s.translate(_FULL_WIDTH) if row.keys[c] and isinstance(s, str) else s)

    return replace(table, rows=tuple(widen(row) for row in table.rows))


# --- base renderers ------------------------------------------------------------------------------


def word_lines(table: Table) -> list[str]:
    """Word copy-paste: one cell per line after a tab, a blank line after each row; merged-down cells leave a tab."""
    out: list[str] = []
    for row in table.rows:
        for slot in row.slots:
            if isinstance(slot, str):
                first, *rest = slot.split("\n")
                out += ["\t" + first, *rest]
            elif slot is Span.DOWN:
                out.append("\t")
        out.append("")
        if row.footer:
            out += [row.footer, ""]
    return out


def tab_lines(table: Table) -> list[str]:
    """Tab-separated rows, one grid column per field; a wrapped cell continues on the next line in its field."""
    out: list[str] = []
    for row in table.rows:
        cells = [slot.split("\n") if isinstance(slot, str) else [""] for slot in row.slots]
        out.append("\t".join(c[0] for c in cells))
        for k in range(1, max(len(c) for c in cells)):
            out.append("\t".join(c[k] if k < len(c) else "" for c in cells).rstrip("\t"))
        if row.footer:
            out.append(row.footer)
    return out


def glued_lines(table: Table) -> list[str]:
    """The whole table on one line with no separator between cells, as crawled web pages read."""
    text = "".join(s.replace("\n", "") for row in table.rows for s in row.slots if isinstance(s, str))
    return [text]


def _md_cells(row: Row) -> list[str]:
    """A row's Markdown cells: merged positions empty, trailing merged positions dropped (ragged)."""
    cells = [s.replace("\n", "<br>") if isinstance(s, str) else "" for s in row.slots]
    kept = len(row.slots)
    while kept > 1 and isinstance(row.slots[kept - 1], Span):
        kept -= 1
    return cells[:kept]


def _md_split(row: Row, n_label: int) -> list[list[str]]:
    """A row with a long label becomes two: the label alone, then its numbers under empty label cells."""
    cells = _md_cells(row)
    if row.head or not any(isinstance(s, str) and len(s) > 24 for s in row.slots[:n_label]):
        return [cells]
    return [cells[:n_label] + [""] * (len(cells) - n_label), [""] * n_label + cells[n_label:]]


def markdown_lines(table: Table) -> list[str]:
    """A Markdown pipe table as PDF converters write it: |---| under the first row, ragged rows, split labels."""
    out: list[str] = []
    width = len(table.rows[0].slots)
    for i, row in enumerate(table.rows):
        for cells in _md_split(row, table.n_label):
            line = "| " + " | ".join(cells) + " |"
            out.append(line[:-2] if len(out) % 3 == 2 and not row.head else line)
        if i == 0:
            out.append("|" + "---|" * width)
        if row.footer:
            out += ["", row.footer, ""]
    return out


# --- pdftotext -layout ---------------------------------------------------------------------------

# Narrow columns break these header cells over two lines.
_LAYOUT_BREAKS = {
    "商业企业": "商业\n企业",
    "科研机构": "科研\n机构",
    "社会公益组织": "社会公\n益组织",
    "法律服务机构": "法律服\n务机构",
    "结果维持": "结果\n维持",
    "结果纠正": "结果\n纠正",
    "其他结果": "其他\n结果",
    "尚未审结": "尚未\n审结",
}


def display_width(text: str) -> int:
    """Columns the text takes in a monospaced rendering: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _span(row: Row, col: int) -> int:
    """How many grid columns the cell starting at `col` covers (itself and the RIGHT slots after it)."""
    end = col + 1
    while end < len(row.slots) and row.slots[end] is Span.RIGHT:
        end += 1
    return end - col


def _layout_text(row: Row, slot: str) -> str:
    """A cell's text as the layout prints it: narrow header cells broken over two lines."""
    return _LAYOUT_BREAKS.get(slot, slot) if row.head else slot


def _layout_widths(table: Table) -> list[int]:
    """Display width of each grid column: wide enough for its one-column cells and for body labels."""
    n = len(table.rows[0].slots)
    widths = [2 if c < table.n_label else 8 for c in range(n)]
    for row in table.rows:
        for col, slot in enumerate(row.slots):
            if not isinstance(slot, str):
                continue
            need = max(display_width(line) for line in _layout_text(row, slot).split("\n")) + 2
            span = _span(row, col)
            if span == 1 or (col < table.n_label and not row.head):
                last = col + span - 1
                widths[last] = max(widths[last], need - sum(widths[col:last]))
    return widths


def _wrap_display(text: str, width: int) -> list[str]:
    """Lines of at most `width` display columns (a header cell wider than the columns it spans)."""
    lines, line = [], ""
    for ch in text:
        if line and display_width(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return lines + [line]


def _cell_lines(row: Row, col: int, slot: str, widths: list[int]) -> list[str]:
    """The printed lines of one cell in the layout."""
    room = sum(widths[col : col + _span(row, col)]) - 2
    return [part for line in _layout_text(row, slot).split("\n") for part in _wrap_display(line, room)]


def _compose(items: list[tuple[int, int, str, bool]], widths: list[int]) -> str:
    """One printed line from (column, span, text, centred) items, at least two spaces between items."""
    line = ""
    for col, span, text, centred in sorted(items):
        start = sum(widths[:col])
        if centred:
            start += (sum(widths[col : col + span]) - display_width(text)) // 2
        if line:
            start = max(start, display_width(line) + 2)
        line += " " * (start - display_width(line)) + text
    return line.rstrip()


# Lines of a merged-down cell still to print in the rows below: column -> (lines, centred).
_Carry = dict[int, tuple[list[str], bool]]


def _placed(row: Row, widths: list[int], carry: _Carry) -> dict[int, tuple[int, list[str], bool]]:
    """The cells a row prints: column -> (span, lines, centred); merged-down cells take over carried lines."""
    placed = {}
    for col, slot in enumerate(row.slots):
        if isinstance(slot, str):
            centred = row.head or row.keys[col] is not None
            placed[col] = (_span(row, col), _cell_lines(row, col, slot, widths), centred)
        elif slot is Span.DOWN and col in carry:
            lines, centred = carry.pop(col)
            placed[col] = (_span(row, col), lines, centred)
    return placed


def _layout_row(row: Row, below: Row | None, widths: list[int], carry: _Carry) -> list[str]:
    """The printed lines of one row; lines of a cell merged into the row below are carried down to it."""
    placed = _placed(row, widths, carry)
    flowing = {c for c in placed if below is not None and below.slots[c] is Span.DOWN}
    height = max([len(lines) for c, (_, lines, _) in placed.items() if c not in flowing] or [1])
    out = []
    for k in range(height):
        items = [(c, span, lines[k], ctr) for c, (span, lines, ctr) in placed.items() if k < len(lines)]
        out.append(_compose(items, widths))
    for col in flowing:
        _, lines, centred = placed[col]
        if lines[height:]:
            carry[col] = (lines[height:], centred)
    return out


def layout_lines(table: Table) -> list[str]:
    """pdftotext -layout style: columns aligned with spaces (CJK two columns wide), narrow headers broken."""
    widths = _layout_widths(table)
    carry: _Carry = {}
    out: list[str] = []
    for i, row in enumerate(table.rows):
        below = table.rows[i + 1] if i + 1 < len(table.rows) else None
        out += _layout_row(row, below, widths, carry)
        if row.footer:
            out.append(" " * (sum(widths) // 2) + row.footer)
    for col, (lines, centred) in sorted(carry.items()):
        out += [_compose([(col, 1, line, centred)], widths) for line in lines]
    return out


# --- flattenings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flattening:
    """One way a report's tables reach us as text: a base renderer, table modifiers and the line ending."""

    name: str
    base: Callable[[Table], list[str]]
    modifiers: tuple[Callable[[Table], Table], ...] = ()
    crlf: bool = False

    @property
    def glued(self) -> bool:
        """True when the cells of a row run together with no separator."""
        return self.base is glued_lines

    def tables(self, figset: FigureSet) -> list[Table]:
        """The set's tables with this flattening's modifiers applied."""
        out = []
        for block in build_doc(figset):
            if isinstance(block, Table):
                for modify in self.modifiers:
                    block = modify(block)
                out.append(block)
        return out


def _flattenings(*items: Flattening) -> dict[str, Flattening]:
    """Flattenings by name."""
    return {f.name: f for f in items}


FLATTENINGS = _flattenings(
    Flattening("word", word_lines),
    Flattening("tabs", tab_lines),
    Flattening("layout", layout_lines),
    Flattening("glued", glued_lines),
    Flattening("markdown", markdown_lines),
    Flattening("word-broken-labels", word_lines, (broken_labels,)),
    Flattening("word-vertical-header", word_lines, (vertical_header,)),
    Flattening("word-page-footers", word_lines, (page_footers,)),
    Flattening("word-markers", word_lines, (stray_markers,)),
    Flattening("word-crlf", word_lines, crlf=True),
    Flattening("tabs-full-width", tab_lines, (full_width_digits,)),
    Flattening("layout-vertical-header", layout_lines, (vertical_header,)),
    Flattening("layout-footers-broken-labels", layout_lines, (page_footers, broken_labels)),
    Flattening("markdown-markers-crlf", markdown_lines, (stray_markers,), crlf=True),
    Flattening("tabs-footers-markers-full-width", tab_lines, (page_footers, stray_markers, full_width_digits)),
    Flattening(
        "word-everything",
        word_lines,
        (vertical_header, broken_labels, page_footers, stray_markers, full_width_digits),
        crlf=True,
    ),
)


def render(figset: FigureSet, flattening: Flattening) -> str:
    """The whole report as text: title and prose as printed, each table under its heading in this flattening."""
    tables = iter(flattening.tables(figset))
    blocks = []
    for block in build_doc(figset):
        if isinstance(block, Table):
            table = next(tables)
            block = "\n".join([HEADINGS[table.section], *flattening.base(table)]).rstrip("\n")
        blocks.append(block)
    text = "\n\n".join(blocks) + "\n"
    return text.replace("\n", "\r\n") if flattening.crlf else text


# --- glued rows: which splits the arithmetic allows ----------------------------------------------

_TOKENS = {
    "count": re.compile(r"0|[1-9]\d*"),
    "change": re.compile(r"(增|减|[+-])?(0|[1-9]\d*)"),
    "amount": re.compile(r"(0|[1-9]\d*)(\.\d+)?"),
}
_SYMBOLS = ("/", "—")


def glued_splits(text: str, kinds: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """Every way to cut `text` into one well-formed cell per kind, in order ("00" is no cell: no leading zeros)."""
    if not kinds:
        if not text:
            yield ()
        return
    for end in range(1, len(text) + 1):
        head = text[:end]
        if head in _SYMBOLS or _TOKENS[kinds[0]].fullmatch(head):
            for rest in glued_splits(text[end:], kinds[1:]):
                yield (head, *rest)


def _sums_hold(cells: tuple[str, ...], section: str) -> bool:
    """The row's own arithmetic: R3 (total = the six columns) in 三, R4 per block of five in 四, none in 二."""
    values = [cell_value(c) or 0.0 for c in cells]
    totals = {"三": [(0, 6)], "四": [(0, 4), (5, 9), (10, 14)]}.get(section, [])
    return all(cell_value(cells[t]) is None or sum(values[s:t]) == values[t] for s, t in totals)


def glued_candidates(cells: list[str], keys: list[Key], section: str) -> list[tuple[str, ...]]:
    """The splits of a glued row's text into its cells that are well formed and satisfy the row's sums."""
    text = "".join(plain(c) for c in cells)
    kinds = tuple(METRICS[metric].kind for metric, _ in keys)
    return [split for split in glued_splits(text, kinds) if _sums_hold(split, section)]


def _row_cells(row: Row) -> tuple[list[str], list[Key]]:
    """A body row's value cells as printed and the figures they hold."""
    cols = [c for c, k in enumerate(row.keys) if k is not None]
    return [row.slots[c] for c in cols], [row.keys[c] for c in cols]


def _agreed(readings: list[tuple[str, ...]], width: int) -> list[str | None]:
    """Per cell, the text every reading gives it, or None where readings differ (or there are none)."""
    return [readings[0][i] if readings and len({r[i] for r in readings}) == 1 else None for i in range(width)]


def _equations_met(reading: dict[str, list[float | None]]) -> int:
    """How many column equations of section 三 (R1 and R2, per column) hold where every cell states a number."""
    outcomes = [m for m in reading if m.startswith("outcome.") and m != "outcome.total"]
    met = 0
    for col in range(len(APPLICANT_KEYS)):
        r1 = [reading.get(m, [None] * 7)[col] for m in _R1]
        r2 = [reading[m][col] for m in outcomes] + [reading.get("outcome.total", [None] * 7)[col]]
        met += None not in r1 and r1[0] + r1[1] == r1[2] + r1[3]
        met += None not in r2 and sum(r2[:-1]) == r2[-1]
    return met


_R1 = ("requests.new", "requests.carried_over", "outcome.total", "requests.carried_forward")


def _s3_admissible(options: dict[str, list[tuple[str, ...]]]) -> list[dict[str, tuple[str, ...]]]:
    """Readings of glued section 三 (one split per readable row) that meet the most column equations."""
    readable = [m for m, splits in options.items() if splits]
    readings = [dict(zip(readable, combo, strict=True)) for combo in product(*(options[m] for m in readable))]
    scores = [_equations_met({m: [cell_value(c) for c in cells] for m, cells in r.items()}) for r in readings]
    return [r for r, score in zip(readings, scores, strict=True) if score == max(scores)]


def glued_determined(table: Table) -> dict[Key, str | None]:
    """The text of each glued cell that the arithmetic settles (every admissible split agrees), else None.

    Section 二 has no arithmetic; 四 has R4 per block; 三 has R3 per row, then R1 and R2 across rows.
    """
    rows = {}
    for row in table.body():
        cells, keys = _row_cells(row)
        rows[keys[0][0]] = (cells, keys)  # a row is named by the metric of its first cell
    options = {m: glued_candidates(cells, keys, table.section) for m, (cells, keys) in rows.items()}
    if table.section == "三":
        admissible = _s3_admissible(options)
        options = {m: [r[m] for r in admissible] if m in admissible[0] else [] for m in options}
    out: dict[Key, str | None] = {}
    for m, (_, keys) in rows.items():
        out.update(zip(keys, _agreed(options[m], len(keys)), strict=True))
    return out


# --- what a parser must give back ----------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """What a parser must give back for one cell of one rendering."""

    value: float | None
    printed: str  # the cell as it stands in the rendered text
    settled: bool = True  # False: glued digits the arithmetic cannot split uniquely; the parser must not guess
    row_text: str = ""  # the row's cells run together, as a glued rendering prints them
    row_words: tuple[str, ...] = ()  # words of the row's label


def _row_words(metric: str, template: str) -> tuple[str, ...]:
    """Words that name the printed row of a metric."""
    for row in SECTION3_ROWS[template]:
        if row.metric == metric:
            return row.keywords
    for s2row in SECTION2_ROWS[template]:
        if metric in s2row.metrics:
            return s2row.keywords
    return ("复议", "诉讼")


def expected_figures(figset: FigureSet, flattening: Flattening) -> dict[Key, Expected]:
    """Every figure of the set as the parser must return it from this flattening, in printed order."""
    out: dict[Key, Expected] = {}
    for table in flattening.tables(figset):
        # Outside glued text every cell stands apart; inside it, only cells the arithmetic settles.
        agreed = glued_determined(table) if flattening.glued else {}
        for row in table.body():
            cells, keys = _row_cells(row)
            text, words = "".join(plain(c) for c in cells), _row_words(keys[0][0], figset.template)
            for cell, key in zip(cells, keys, strict=True):
                out[key] = Expected(cell_value(cell), cell, agreed.get(key, cell) is not None, text, words)
    return out


# --- checked-in examples -------------------------------------------------------------------------


def example_path(flattening: Flattening) -> Path:
    """Where the checked-in example of the synthetic set in this flattening lives."""
    return EXAMPLES_DIR / f"{SYNTHETIC_2021.name}.{flattening.name}.txt"


def write_examples() -> list[Path]:
    """Rewrite the checked-in examples (bytes as rendered, so CRLF files keep their line endings)."""
    EXAMPLES_DIR.mkdir(parents=True, exist_ok=True)
    paths = []
    for flattening in FLATTENINGS.values():
        path = example_path(flattening)
        path.write_bytes(render(SYNTHETIC_2021, flattening).encode("utf-8"))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_examples():
        print(written.relative_to(EXAMPLES_DIR.parent.parent.parent))
