"""The statistics table that Fujian reports appended before 2019 ("指标名称 计量单位 2011年度 历年累计").

Each row prints a label, a unit, this year's value and the cumulative value since 2008. Web pages
flatten it either with spaces ("受理依申请公开信息总数 条 0 0") or with nothing at all
("受理依申请公开信息总数条01" = 0 this year, 1 cumulative). A glued pair is read only where one value for
this year remains once every relation the table states has been applied: no leading zeros except "0",
cumulative >= this year, the prose's own count, and the sub-rows ("其中：1.…") that split a row adding up to
it in both columns. Otherwise the row's value is left empty and a finding says why.
"""

from __future__ import annotations

import itertools
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
# A sub-row of the row above it: "其中：1、当面申请数", "2.传真申请数".
_SUB_ROW = re.compile(r"^(?:其中[：:]?)?\d{1,2}[、.．]")
_COLUMN = "本年度"
_MAX_COMBOS = 4096


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
    sub: bool = False  # a part of the nearest row above that is not a sub-row


Reading = tuple[str, str | None]  # (this year, cumulative) as printed; cumulative None when not printed


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
    keys = [_key_of(row) for row in rows]
    groups = [g for g in _groups(rows) if any(keys[i] for i in g)]
    needed = {i for i, k in enumerate(keys) if k} | {i for g in groups for i in g}
    hints = hints or {}
    options = [
        _readings(r, spaced, hints.get(k.metric) if k else None) if i in needed else []
        for i, (r, k) in enumerate(zip(rows, keys, strict=True))
    ]
    settle_by_sub_rows(groups, options)
    lines = [0] + [m.end() for m in re.finditer("\n", text)]
    figures: list[Figure] = []
    findings: list[Finding] = []
    for row, key, readings in zip(rows, keys, options, strict=True):
        if key is None:
            continue
        line = bisect_right(lines, row.offset)
        value, raw, problem = _this_year(row, readings)
        figures.append(Figure(key.metric, key.applicant, value, raw, line, key.section, row.label, _COLUMN))
        if problem:
            findings.append(_finding(row, raw, line, problem, source, readings))
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
        printed = re.sub(r"\s+", "", m.group("label"))
        label = printed.removeprefix("其中：").removeprefix("其中:")
        rows.append(_Row(label, m.group("unit"), numbers, m.start("vals"), bool(_SUB_ROW.match(printed))))
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


def _readings(row: _Row, spaced: bool, hint: float | None) -> list[Reading]:
    """The (this year, cumulative) readings a row allows; a prose count for this year picks among glued ones."""
    nums = row.numbers
    if len(nums) == 2:
        return [(nums[0], nums[1])]
    if len(nums) == 1 and spaced:
        return [(nums[0], None)]  # spaced; a lone number is this year's (cumulative left blank)
    if len(nums) != 1:
        return []
    options = _splits(nums[0])
    if hint is not None and len(options) > 1:
        options = [o for o in options if float(o[0]) == hint] or options
    return options


def _this_year(row: _Row, readings: list[Reading]) -> tuple[float | None, str, str | None]:
    """(value, raw text, problem) for this year's column of a row, from the readings still possible."""
    nums = row.numbers
    if len(nums) != 1 and not readings:
        return None, " ".join(nums), "count"
    if not readings:
        return None, nums[0], "unsplittable"
    if len({float(this) for this, _ in readings}) > 1:
        return None, nums[0], "ambiguous"
    return float(readings[0][0]), readings[0][0], None  # raw: this year's part, as the glued cell printed it


def settle_by_sub_rows(groups: list[list[int]], options: list[list[Reading]]) -> None:
    """Narrow the readings of glued rows to those under which a row's sub-rows add up to it in both columns.

    `groups` are row indexes, each row before its sub-rows. Sub-rows are only known to split their row when they
    do add up, so a group none of whose readings adds up (overlapping parts such as website and gazette) leaves
    its rows as they were.
    """
    for group in groups:
        loose = [i for i in group if len(options[i]) > 1]
        if not loose or any(not options[i] for i in group):
            continue
        combos = list(itertools.islice(itertools.product(*(options[i] for i in loose)), _MAX_COMBOS + 1))
        if len(combos) > _MAX_COMBOS:
            continue
        fixed = {i: options[i][0] for i in group}
        kept = [c for c in combos if _adds_up([{**fixed, **dict(zip(loose, c, strict=True))}[i] for i in group])]
        for k, i in enumerate(loose):
            options[i] = list(dict.fromkeys(c[k] for c in kept)) or options[i]


def _groups(rows: list[_Row]) -> list[list[int]]:
    """Each row followed by its sub-rows, as indexes; rows without sub-rows are left out."""
    groups: list[list[int]] = []
    for i, row in enumerate(rows):
        if not row.sub:
            groups.append([i])
        elif groups:
            groups[-1].append(i)
    return [g for g in groups if len(g) > 1]


def _adds_up(group: list[Reading]) -> bool:
    """Whether the sub-rows sum to their row this year and, where every cell is printed, cumulatively."""
    (this, cum), parts = group[0], group[1:]
    if float(this) != sum(float(p) for p, _ in parts):
        return False
    return cum is None or any(c is None for _, c in parts) or float(cum) == sum(float(c) for _, c in parts)


def _splits(run: str) -> list[Reading]:
    """Every (this year, cumulative) reading of glued digits: no leading zeros, cumulative >= this year."""
    out: list[Reading] = []
    for i in range(1, len(run)):
        a, b = run[:i], run[i:]
        if _whole(a) and _whole(b) and int(b) >= int(a):
            out.append((a, b))
    return out


def _whole(digits: str) -> bool:
    """A whole number as printed without a leading zero ("0" itself is fine)."""
    return digits.isdigit() and (digits == "0" or not digits.startswith("0"))


def _finding(row: _Row, raw: str, line: int, problem: str, source: str, left: list[Reading]) -> Finding:
    """A PARSE warning for a row whose value for this year could not be read; `left`: the readings still open."""
    where = f"{source}：" if source else ""
    readings = "、".join(f"{a}|{b}" for a, b in left) if problem == "ambiguous" else ""
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
