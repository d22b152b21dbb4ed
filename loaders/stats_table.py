"""The statistics table that Fujian reports appended before 2019 ("指标名称 计量单位 2011年度 历年累计").

Each row prints a label, a unit, this year's value and the cumulative value since 2008. Web pages
flatten it either with spaces ("受理依申请公开信息总数 条 0 0") or with nothing at all
("受理依申请公开信息总数条01" = 0 this year, 1 cumulative). A glued pair is split only where exactly one
reading is valid (no leading zeros except "0", cumulative >= this year); otherwise the row's value is
left empty and a finding says why.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass

from .model import Figure, Finding

_HEADER = re.compile(r"指\s*标\s*名\s*称")
_HEADER_END = re.compile(r"历\s*年\s*累\s*计")
_HEADER_SPAN = 80  # the header's columns fit well within this many characters
# A row: label (perhaps "其中：1、…"), unit, then the numbers. The label grows until a unit is followed by a
# digit, so labels holding a unit character ("主动公开文件数条…") are read whole.
_ROW = re.compile(
    r"\s*(?P<label>[^\d]{0,12}?(?:\d{1,2}\s*[、.．]\s*)?[^\d]{1,40}?)\s*(?P<unit>万元|条|件|元|项|个)\s*"
    r"(?P<vals>\d+(?:\.\d+)?(?:\s+\d+(?:\.\d+)?)*)"
)
# The next row's ordinal glued to this row's numbers: "2949819162、政府公报…" ends with the "2" of "2、".
_NEXT_ORDINAL = re.compile(r"[、.．]\s*[^\d\s]")
_COLUMN = "本年度"


@dataclass(frozen=True)
class _Key:
    """Which canonical figure a printed row states, and the report section it belongs to."""

    pattern: re.Pattern[str]
    metric: str
    applicant: str | None
    section: str


def _key(pattern: str, metric: str, applicant: str | None, section: str) -> _Key:
    return _Key(re.compile(pattern), metric, applicant, section)


# First match wins: 同意部分公开 must be tried before 同意公开. 行政诉讼数 is printed as one number that is
# not split into direct and after-review suits, so it has no canonical key and is not extracted;
# 主动公开信息数 is left to the prose, which states the same year's count in words.
_KEYS = (
    _key(r"部分公开", "outcome.partial", "total", "三"),
    _key(r"同意公开|予以公开", "outcome.granted", "total", "三"),
    _key(r"否决公开|不予公开|不同意公开", "outcome.denied.unspecified", "total", "三"),
    _key(r"其[他它]类型答复|其[他它]答复", "outcome.other.unspecified", "total", "三"),
    _key(r"对申请的答复", "outcome.total", "total", "三"),
    _key(r"受理.*总数", "requests.new", "total", "三"),
    _key(r"当面申请", "channel.in_person", None, "三"),
    _key(r"^(?!.*信函).*传真申请", "channel.fax", None, "三"),
    _key(r"电子邮件申请", "channel.email", None, "三"),
    _key(r"网上申请", "channel.online", None, "三"),
    _key(r"^(?!.*传真).*信函申请", "channel.letter", None, "三"),
    _key(r"其[他它]形式申请", "channel.other", None, "三"),
    _key(r"行政复议", "review.total", None, "四"),
    # The FOI fee charged or waived; counted only when the row is in yuan (not 万元).
    _key(r"收费.*金额|减免.*金额", "fees.disclosure_charged_yuan", None, "三"),
)


@dataclass
class _Row:
    """One printed row: label, unit, the numbers as printed, and where they start."""

    label: str
    unit: str
    numbers: list[str]
    offset: int


def extract_stats_table(
    text: str, hints: Mapping[str, float] | None = None, source: str = ""
) -> tuple[list[Figure], list[Finding]]:
    """Figures of the old statistics table in `text` (none if it has no such table) and parse findings.

    `hints` maps a metric to this year's value stated elsewhere (the prose); it picks the reading of a
    glued row that splits more than one way. `source` names the file in findings.
    """
    start = _body_start(text)
    if start is None:
        return [], []
    rows = _rows(text, start)
    spaced = any(len(r.numbers) >= 2 for r in rows)
    lines = [0] + [m.end() for m in re.finditer("\n", text)]
    figures: list[Figure] = []
    findings: list[Finding] = []
    for row in rows:
        key = _key_of(row)
        if key is None:
            continue
        line = bisect_right(lines, row.offset)
        value, raw, problem = _this_year(row, spaced, (hints or {}).get(key.metric))
        figures.append(Figure(key.metric, key.applicant, value, raw, line, key.section, row.label, _COLUMN))
        if problem:
            findings.append(_finding(row, raw, line, problem, source))
    return figures, findings


def _body_start(text: str) -> int | None:
    """Offset just after the header "指标名称 … 历年累计", or None when the text has no such table."""
    head = _HEADER.search(text)
    if head is None:
        return None
    end = _HEADER_END.search(text, head.end(), head.end() + _HEADER_SPAN)
    return end.end() if end else None


def _rows(text: str, pos: int) -> list[_Row]:
    """Rows from `pos` on, until the text stops looking like label-unit-numbers."""
    rows: list[_Row] = []
    while m := _ROW.match(text, pos):
        numbers, end = _numbers(text, m)
        label = re.sub(r"\s+", "", m.group("label")).removeprefix("其中：").removeprefix("其中:")
        rows.append(_Row(label, m.group("unit"), numbers, m.start("vals")))
        pos = end
    return rows


def _numbers(text: str, m: re.Match[str]) -> tuple[list[str], int]:
    """The row's numbers without a next-row ordinal glued to their end, and where the next row starts."""
    vals, end = m.group("vals"), m.end("vals")
    if not _NEXT_ORDINAL.match(text, end):
        return vals.split(), end
    tokens = vals.split()
    if len(tokens) > 1 and len(tokens[-1]) <= 2:  # spaced: "418 1509 2.政府公报…"
        return tokens[:-1], end - len(tokens[-1])
    return (vals[:-1].split() if len(vals) > 1 else []), end - 1  # glued: "2949819162、政府公报…"


def _key_of(row: _Row) -> _Key | None:
    """The canonical key of a row, or None for rows with none (sub-totals, 行政诉讼数, 行政申诉数)."""
    for key in _KEYS:
        if key.pattern.search(row.label):
            if key.metric == "fees.disclosure_charged_yuan" and row.unit != "元":
                return None
            return key
    return None


def _this_year(row: _Row, spaced: bool, hint: float | None) -> tuple[float | None, str, str | None]:
    """(value, raw text, problem) for this year's column of a row."""
    nums = row.numbers
    if len(nums) == 2 or (len(nums) == 1 and spaced):
        return float(nums[0]), nums[0], None  # spaced; a lone number is this year's (cumulative left blank)
    if len(nums) != 1:
        return None, " ".join(nums), "count"
    options = _splits(nums[0])
    if hint is not None and len(options) > 1:
        options = [o for o in options if float(o[0]) == hint] or options
    if len(options) == 1:
        return float(options[0][0]), options[0][0], None  # raw: this year's part, as the glued cell printed it
    return None, nums[0], "ambiguous" if options else "unsplittable"


def _splits(run: str) -> list[tuple[str, str]]:
    """Every (this year, cumulative) reading of glued digits: no leading zeros, cumulative >= this year."""
    out = []
    for i in range(1, len(run)):
        a, b = run[:i], run[i:]
        if _whole(a) and _whole(b) and int(b) >= int(a):
            out.append((a, b))
    return out


def _whole(digits: str) -> bool:
    """A whole number as printed without a leading zero ("0" itself is fine)."""
    return digits.isdigit() and (digits == "0" or not digits.startswith("0"))


def _finding(row: _Row, raw: str, line: int, problem: str, source: str) -> Finding:
    """A PARSE warning for a row whose value for this year could not be read."""
    where = f"{source}：" if source else ""
    readings = "、".join(f"{a}|{b}" for a, b in _splits(raw)) if problem == "ambiguous" else ""
    zh, en = {
        "ambiguous": (
            f"数字“{raw}”可拆分为多种“本年度|历年累计”组合（{readings}），本年度数已留空",
            f"the digits “{raw}” split into this year's and cumulative values in more than one way ({readings}); "
            "this year's value is left empty",
        ),
        "unsplittable": (
            f"数字“{raw}”无法拆分为本年度数和不小于它的历年累计数，本年度数已留空",
            f"the digits “{raw}” do not split into this year's value and a cumulative value at least as large; "
            "this year's value is left empty",
        ),
        "count": (
            f"应为两个数字（本年度、历年累计），实际为“{raw}”，本年度数已留空",
            f"expected two numbers (this year, cumulative) but found “{raw}”; this year's value is left empty",
        ),
    }[problem]
    message = f"{where}统计表“{row.label}”一行：{zh} / statistics table row “{row.label}”: {en}"
    return Finding("PARSE", "warning", message, [{"row_label": row.label, "raw": raw, "line": line}])
