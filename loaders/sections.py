"""Find the six numbered sections of a report and recognise its template from structure."""

from __future__ import annotations

import re
from dataclasses import dataclass


def _loose(phrase: str) -> str:
    """A regex for a phrase that tolerates white space between any two characters (PDF and OCR text)."""
    return r"\s*".join(re.escape(ch) if ch not in "()?|[]" else ch for ch in phrase)


_NUMERAL_SEP = r"\s*[、.．，,]\s*"
# Each heading: its numeral and the words that follow it. Typos seen in real reports are allowed for.
_HEADINGS = (
    ("一", r"[一—－-]" + _NUMERAL_SEP + r"(?:总\s*体\s*情\s*况|概\s*述)"),
    ("二", "二" + _NUMERAL_SEP + _loose("主动公开政府信息") + r"(?:\s*的)?\s*情\s*况"),
    ("三", "三" + _NUMERAL_SEP + _loose("收到和处理政府信息公开申请") + r"(?:\s*的)?\s*情\s*况"),
    (
        "四",
        "四" + _NUMERAL_SEP + _loose("政府信息公开行政") + r"\s*(?:法\s*)?" + _loose("复议") + r"\s*[、,，]?\s*"
        r"(?:行\s*政\s*)?诉\s*讼(?:\s*的)?\s*情\s*况",
    ),
    (
        "五",
        "五" + _NUMERAL_SEP + r"(?:[^\n。]{0,12}?)" + _loose("存在的主要问题") + r"[^\n。]{0,12}?(?:情\s*况|措\s*施)",
    ),
    ("六", "六" + _NUMERAL_SEP + _loose("其他需要报告的事项")),
)
_HEADING_RES = tuple((numeral, re.compile(pattern)) for numeral, pattern in _HEADINGS)


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


def find_sections(text: str) -> dict[str, Section]:
    """Locate sections 一…六 in order; a heading is looked for only after the previous one found."""
    found: list[tuple[str, int, int]] = []
    pos = 0
    for numeral, regex in _HEADING_RES:
        match = regex.search(text, pos)
        if match:
            found.append((numeral, match.start(), match.end()))
            pos = match.end()
    sections: dict[str, Section] = {}
    for i, (numeral, hstart, hend) in enumerate(found):
        end = found[i + 1][1] if i + 1 < len(found) else len(text)
        sections[numeral] = Section(numeral, hstart, hend, end)
    return sections


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
