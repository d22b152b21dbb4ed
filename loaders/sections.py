"""Find the six sections of a report by what they are (title words, table header rows) and recognise its
template from structure."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import islice


def _loose(phrase: str) -> str:
    """A regex for a phrase that tolerates white space between any two characters (PDF and OCR text)."""
    return r"\s*".join(re.escape(ch) if ch not in "()?|[]" else ch for ch in phrase)


NUMERALS = ("一", "二", "三", "四", "五", "六")
# The words of each section's title, as patterns that each begin with a fixed character (which keeps searching for
# them fast). Typos seen in real reports are allowed for.
_TITLES = {
    "一": (r"总\s*体\s*情\s*况", r"概\s*述"),
    "二": (_loose("主动公开政府信息") + r"(?:\s*的)?\s*情\s*况",),
    "三": (_loose("收到和处理政府信息公开申请") + r"(?:\s*的)?\s*情\s*况",),
    "四": (
        _loose("政府信息公开行政")
        + r"\s*(?:法\s*)?"
        + _loose("复议")
        + r"\s*[、,，]?\s*(?:行\s*政\s*)?诉\s*讼(?:\s*的)?\s*情\s*况",
    ),
    "五": (_loose("存在的主要问题") + r"[^\n。]{0,12}?(?:情\s*况|措\s*施)",),
    "六": (_loose("其他需要报告的事项"),),
}
# How many characters of other words a title may have before its own: "五、政府信息公开工作存在的主要问题…".
_TITLE_LEAD = {"五": 12}
# A numbered heading, anywhere: "三、收到和处理…". The numeral need not be the template's (a report may restart
# its numbering at the tables), but a heading that carries the template's own numeral counts for more.
_NUMERAL = re.compile(r"(?P<num>[一二三四五六七八九十]{1,2}|[—－-])\s*[、.．，,]\s*")
# A heading numbered some other way, or not at all, on a short line of its own: "（二）主动公开政府信息情况",
# "## 其他需要报告的事项", "第三部分 收到和处理政府信息公开申请情况".
_OTHER_NUMBERING = (
    r"[ \t\u3000#*>|]*(?:第\s*[一二三四五六七八九十]{1,3}\s*部\s*分\s*[、.．，,:：]?"
    r"|[（(]\s*[一二三四五六七八九十\d]{1,2}\s*[)）]|\d{1,2}\s*[、.．]|[①-⑩])?[ \t\u3000]*"
)
_BARE_LEADS = {gap: re.compile(_OTHER_NUMBERING + rf"[^\n。]{{0,{gap}}}") for gap in (0, 3, 12)}
_LINE_END = re.compile(r"[^\n。；;]{0,16}(?:\n|\Z)")
# Section 五 is sometimes printed without its title, opening straight on its first part: "（一）主要问题".
_PROBLEMS = (r"主\s*要\s*问\s*题", r"存\s*在\s*的?\s*问\s*题", r"问\s*题\s*[和及与]\s*(?:改\s*进|整\s*改)")
_PROBLEMS_LEAD = 3  # "（一）存在的主要问题"
# The header rows of the three tables: a table is its own section even when the heading above it is lost.
_SEP = r"[\s|｜]*"
_TABLE_HEADERS = {
    "二": (
        r"第\s*二\s*十\s*条\s*第\s*[（(]\s*一\s*[)）]\s*项",
        _loose("信息内容") + _SEP + "(?:" + _loose("本年制发件数") + "|" + _loose("本年新制作数量") + ")",
    ),
    "三": (
        _loose("申请人情况"),
        _loose("自然人") + _SEP + _loose("法人或其他组织"),
        _loose("商业企业") + _SEP + _loose("科研机构"),
    ),
    "四": (
        _loose("行政复议") + _SEP + "(?:" + _loose("行政诉讼") + "|" + _loose("结果维持") + ")",
        _loose("结果维持") + _SEP + _loose("结果纠正"),
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
    tables = {numeral: [m.start() for m in _search(words, text)] for numeral, words in _TABLE_HEADERS.items()}
    title_starts = sorted({c.heading_start for c in titles})
    found = [_with_table(c, tables.get(c.numeral), title_starts, len(text)) for c in titles]
    for numeral, starts in tables.items():
        found += [_Candidate(numeral, s, s, _TABLE_ALONE) for s in (_line_start(text, p) for p in starts)]
    return sorted(found, key=lambda c: (c.heading_start, -c.score))


def _title_candidates(text: str) -> list[_Candidate]:
    """Numbered and bare titles of each section, and the bare opening part of section 五."""
    found: list[_Candidate] = []
    for numeral in NUMERALS:
        for heading_start, end, printed in _readings(text, _TITLES[numeral], _TITLE_LEAD.get(numeral, 0)):
            score = _UNNUMBERED if printed is None else _numbered_score(numeral, printed)
            found.append(_Candidate(numeral, heading_start, end, score))
    for heading_start, end, _printed in _readings(text, _PROBLEMS, _PROBLEMS_LEAD):
        found.append(_Candidate("五", heading_start, end, _OPENING_PART))
    return found


def _readings(text: str, words: tuple[str, ...], lead: int) -> list[tuple[int, int, str | None]]:
    """Where the words stand as a heading: (heading start, heading end, the numeral printed or None if bare)."""
    found = []
    for m in _search(words, text):
        numbered = _numbered_start(text, m.start(), lead)
        if numbered:
            found.append((numbered[0], m.end(), numbered[1]))
        bare = _bare_start(text, m.start(), m.end(), lead)
        if bare is not None:
            found.append((bare, m.end(), None))
    return found


def _numbered_start(text: str, words_start: int, lead: int) -> tuple[int, str] | None:
    """The numeral printed right before a title's words (up to `lead` other characters between), and where."""
    for m in _NUMERAL.finditer(text, max(0, words_start - lead - 8), words_start):
        between = text[m.end() : words_start]
        if len(between) <= lead and "\n" not in between and "。" not in between:
            return m.start(), m.group("num")
    return None


def _bare_start(text: str, words_start: int, words_end: int, lead: int) -> int | None:
    """The start of the line when the words stand on a short line of their own, numbered otherwise or not."""
    line_start = text.rfind("\n", 0, words_start) + 1
    if words_start - line_start > 40 or not _BARE_LEADS[lead].fullmatch(text, line_start, words_start):
        return None
    return line_start if _LINE_END.match(text, words_end) else None


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


def _line_start(text: str, pos: int) -> int:
    """The start of the line holding `pos` when what precedes it there is a short label, else `pos` itself."""
    start = text.rfind("\n", 0, pos) + 1
    lead = text[start:pos]
    return start if len(lead) <= 80 and "。" not in lead else pos


def _search(patterns: tuple[str, ...], text: str) -> list[re.Match]:
    """The first matches of any of the patterns, in text order: enough for any real report, few on odd text."""
    if len(patterns) == 1:  # already in text order
        return list(islice(_compiled(patterns[0]).finditer(text), _MAX_CANDIDATES))
    found: list[re.Match] = []
    for pattern in patterns:
        found += islice(_compiled(pattern).finditer(text), _MAX_CANDIDATES)
    return sorted(found, key=re.Match.start)[:_MAX_CANDIDATES]


@cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


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
