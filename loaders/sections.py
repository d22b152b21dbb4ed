"""Find the six sections of a report by what they are (title words, table header rows) and recognise its
template from structure."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass


def _loose(phrase: str) -> str:
    """A regex for a phrase that tolerates white space between any two characters (PDF and OCR text)."""
    return r"\s*".join(re.escape(ch) if ch not in "()?|[]" else ch for ch in phrase)


NUMERALS = ("一", "二", "三", "四", "五", "六")
_NUMERAL_SEP = r"\s*[、.．，,]\s*"
# What each section's title says, without its numeral. Typos seen in real reports are allowed for.
_TITLES = {
    "一": r"(?:总\s*体\s*情\s*况|概\s*述)",
    "二": _loose("主动公开政府信息") + r"(?:\s*的)?\s*情\s*况",
    "三": _loose("收到和处理政府信息公开申请") + r"(?:\s*的)?\s*情\s*况",
    "四": _loose("政府信息公开行政")
    + r"\s*(?:法\s*)?"
    + _loose("复议")
    + r"\s*[、,，]?\s*(?:行\s*政\s*)?诉\s*讼(?:\s*的)?\s*情\s*况",
    "五": r"(?:[^\n。]{0,12}?)" + _loose("存在的主要问题") + r"[^\n。]{0,12}?(?:情\s*况|措\s*施)",
    "六": _loose("其他需要报告的事项"),
}
# A numbered heading anywhere: "三、收到和处理…". The numeral need not be the template's (a report may restart
# its numbering at the tables), but a heading that carries the template's own numeral counts for more.
_NUMBERED = {
    numeral: re.compile(r"(?P<num>[一二三四五六七八九十]{1,2}|[—－-])" + _NUMERAL_SEP + title)
    for numeral, title in _TITLES.items()
}
# A heading numbered some other way, or not at all, on a short line of its own: "（二）主动公开政府信息情况",
# "## 其他需要报告的事项", "第三部分 收到和处理政府信息公开申请情况".
_LINE_START = r"^[ \t\u3000#*>|]*"
_OTHER_NUMBERING = (
    r"(?:第\s*[一二三四五六七八九十]{1,3}\s*部\s*分\s*[、.．，,:：]?|[（(]\s*[一二三四五六七八九十\d]{1,2}\s*[)）]"
    r"|\d{1,2}\s*[、.．]|[①-⑩])?[ \t\u3000]*"
)
_LINE_END = r"[^\n。；;]{0,16}$"
_BARE = {
    numeral: re.compile(_LINE_START + _OTHER_NUMBERING + title + _LINE_END, re.M) for numeral, title in _TITLES.items()
}
# Section 五 is sometimes printed without its title, opening straight on its first part: "（一）主要问题".
_PROBLEMS = re.compile(
    _LINE_START
    + _OTHER_NUMBERING
    + r"(?:(?:存\s*在\s*的?\s*)?主\s*要\s*问\s*题|存\s*在\s*的?\s*问\s*题|问\s*题\s*[和及与]\s*(?:改\s*进|整\s*改))"
    + _LINE_END,
    re.M,
)
# The header rows of the three tables: a table is its own section even when the heading above it is lost.
_TABLE_HEADERS = {
    "二": re.compile(
        r"第\s*二\s*十\s*条\s*第\s*[（(]\s*一\s*[)）]\s*项"
        + "|"
        + _loose("信息内容")
        + r"[\s|｜]*(?:"
        + _loose("本年制发件数")
        + "|"
        + _loose("本年新制作数量")
        + ")"
    ),
    "三": re.compile(
        _loose("申请人情况")
        + "|"
        + _loose("自然人")
        + r"[\s|｜]*"
        + _loose("法人或其他组织")
        + "|"
        + _loose("商业企业")
        + r"[\s|｜]*"
        + _loose("科研机构")
    ),
    "四": re.compile(
        _loose("行政复议")
        + r"[\s|｜]*(?:"
        + _loose("行政诉讼")
        + "|"
        + _loose("结果维持")
        + ")|"
        + _loose("结果维持")
        + r"[\s|｜]*"
        + _loose("结果纠正")
    ),
}
# How much one reading of a heading counts when sections are chosen (see find_sections).
_OWN_NUMERAL, _OTHER_NUMERAL, _UNNUMBERED, _OPENING_PART = 3.0, 2.0, 1.0, 0.5
_TABLE_FOLLOWS = 3.0  # a title with its table right below it, however it is numbered
_TABLE_ALONE = 3.5  # a table header with no title above it: beats a title without a table, loses to one with
_MAX_CANDIDATES = 60  # per kind of candidate and section: real reports have a few, odd text must stay fast


@dataclass
class Section:
    """One section of a report: its numeral and where its body lies in the text."""

    numeral: str
    heading_start: int
    start: int  # first character after the heading
    end: int  # first character of the next section (or end of text)

    def body(self, text: str) -> str:
        """The section's text without its heading."""
        return text[self.start : self.end]


@dataclass(frozen=True)
class _Candidate:
    """A place where a section may begin, and how sure that reading is."""

    numeral: str
    heading_start: int
    start: int
    score: float


def find_sections(text: str) -> dict[str, Section]:
    """Sections 一…六 by what they are: titles (whatever their numbering) and table header rows.

    Every reading of a heading is a candidate; the sections are the in-order choice, at most one per section,
    that counts most: a title carrying its own numeral beats one numbered otherwise, which beats a bare title
    line; a title with its table right below beats a title without; a table header with no title above it
    stands for its section. Ties go to the earliest reading, as a reader would take them.
    """
    chosen = _best_sequence(_candidates(text))
    sections: dict[str, Section] = {}
    for i, cand in enumerate(chosen):
        end = chosen[i + 1].heading_start if i + 1 < len(chosen) else len(text)
        sections[cand.numeral] = Section(cand.numeral, cand.heading_start, cand.start, end)
    return sections


def _candidates(text: str) -> list[_Candidate]:
    """Every reading of a section's beginning: titles first scored on their own, then tables."""
    titles = _title_candidates(text)
    tables = {numeral: _header_starts(regex, text) for numeral, regex in _TABLE_HEADERS.items()}
    title_starts = sorted({c.heading_start for c in titles})
    found = [_with_table(c, tables.get(c.numeral), title_starts, len(text)) for c in titles]
    for numeral, starts in tables.items():
        found += [_Candidate(numeral, s, s, _TABLE_ALONE) for s in (_line_start(text, p) for p in starts)]
    return sorted(found, key=lambda c: (c.heading_start, -c.score))


def _title_candidates(text: str) -> list[_Candidate]:
    """Numbered and bare titles of each section, and the bare opening part of section 五."""
    found: list[_Candidate] = []
    for numeral in NUMERALS:
        for m in _limited(_NUMBERED[numeral].finditer(text)):
            found.append(_Candidate(numeral, m.start(), m.end(), _numbered_score(numeral, m.group("num"))))
        found += [_Candidate(numeral, m.start(), m.end(), _UNNUMBERED) for m in _limited(_BARE[numeral].finditer(text))]
    found += [_Candidate("五", m.start(), m.end(), _OPENING_PART) for m in _limited(_PROBLEMS.finditer(text))]
    return found


def _numbered_score(numeral: str, printed: str) -> float:
    """A heading with the template's numeral counts most; a dash stands for 一 in OCR text."""
    if printed == numeral or (numeral == "一" and printed in "—－-"):
        return _OWN_NUMERAL
    return _UNNUMBERED if printed in "—－-" else _OTHER_NUMERAL


def _with_table(cand: _Candidate, tables: list[int] | None, title_starts: list[int], size: int) -> _Candidate:
    """A table section's title scores more when its table's header follows before the next title."""
    if not tables:
        return cand
    nxt = bisect_right(title_starts, cand.start)
    limit = title_starts[nxt] if nxt < len(title_starts) else size
    after = bisect_right(tables, cand.start - 1)
    if after < len(tables) and tables[after] < limit:
        return _Candidate(cand.numeral, cand.heading_start, cand.start, cand.score + _TABLE_FOLLOWS)
    return cand


def _header_starts(regex: re.Pattern, text: str) -> list[int]:
    """Where a table's header rows are printed."""
    return [m.start() for m in _limited(regex.finditer(text))]


def _line_start(text: str, pos: int) -> int:
    """The start of the line holding `pos` when what precedes it there is a short label, else `pos` itself."""
    start = text.rfind("\n", 0, pos) + 1
    lead = text[start:pos]
    return start if len(lead) <= 80 and "。" not in lead else pos


def _limited(matches) -> list[re.Match]:
    """The first matches of a search, enough for any real report."""
    found = []
    for m in matches:
        found.append(m)
        if len(found) >= _MAX_CANDIDATES:
            break
    return found


def _best_sequence(cands: list[_Candidate]) -> list[_Candidate]:
    """The in-order choice of candidates, at most one per section, with the highest total score (earliest on ties).

    Candidates are sorted by position; best[i] is the best total of a sequence starting at candidate i.
    """
    order = {numeral: i for i, numeral in enumerate(NUMERALS)}
    best: list[float] = [0.0] * len(cands)
    nxt: list[int | None] = [None] * len(cands)
    for i in range(len(cands) - 1, -1, -1):
        here = cands[i]
        for j in range(i + 1, len(cands)):
            there = cands[j]
            if there.heading_start >= here.start and order[there.numeral] > order[here.numeral]:
                if nxt[i] is None or best[j] > best[nxt[i]]:
                    nxt[i] = j
        best[i] = here.score + (best[nxt[i]] if nxt[i] is not None else 0.0)
    if not cands:
        return []
    i: int | None = max(range(len(cands)), key=lambda k: (best[k], -k))
    chosen = []
    while i is not None:
        chosen.append(cands[i])
        i = nxt[i]
    return chosen


_S2_2021 = re.compile(_loose("本年制发件数") + "|" + _loose("本年废止件数") + "|" + _loose("现行有效件数"))
_S2_2019 = re.compile(
    _loose("本年新制作数量")
    + "|"
    + _loose("对外公开总数量")
    + "|"
    + _loose("上一年项目数量")
    + "|"
    + _loose("本年新公开数量")
)
_S3_2021 = re.compile(_loose("逾期不补正") + "|" + _loose("缴纳费用"))
_S3_ANY = re.compile(_loose("本年新收") + "|" + _loose("上年结转") + "|" + _loose("予以公开"))
_WORKPLAN = re.compile(r"工作要点")
_TASK_TABLE = re.compile(r"任务分解|责任单位")


def detect_template(text: str, sections: dict[str, Section]) -> str:
    """Recognise `2021`, `2019`, `prose` or `workplan` from the report's structure, never from its year."""
    head = text[:600]
    if _WORKPLAN.search(head) and _TASK_TABLE.search(text) and "年度报告" not in head:
        return "workplan"
    s2 = sections["二"].body(text) if "二" in sections else ""
    if _S2_2021.search(s2):
        return "2021"
    if _S2_2019.search(s2):
        return "2019"
    s3 = sections["三"].body(text) if "三" in sections else ""
    if _S3_ANY.search(s3):
        return "2021" if _S3_2021.search(s3) else "2019"
    return "prose"


def section3_variant(body: str) -> str:
    """Which row set section 三 prints: `2021` (three 其他处理 rows) or `2019` (one row)."""
    return "2021" if _S3_2021.search(body) else "2019"


def line_starts(text: str) -> list[int]:
    """Offsets where each line begins, for turning a character offset into a 1-based line number."""
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts
