"""What a report says about itself: agency, reporting year, region, parent body and publication date."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from .model import Finding, Given, Report

# Titles, crawl headers and signatures sit at the ends of a report; the middle is tables and prose.
_EDGE = 3000
# Enough mentions of a name to find how the text qualifies it, few enough to stay fast on odd input.
_MAX_MENTIONS = 200
_SP = r"[ \t\u3000]*"
_YEAR = r"(?:19|20)\d\d"

# Name endings of a public body, and of a bare place name (a title may print only the place).
_ORGAN_ENDS = (
    "人民政府", "政府", "管委会", "委员会", "行政公署", "办事处", "办公室", "办公厅",
    "局", "厅", "委", "办", "署", "院", "部", "中心", "所", "站", "处", "队", "会", "社", "馆", "校", "庭",
)  # fmt: skip
_PLACE_ENDS = ("省", "市", "区", "县", "旗", "州", "盟", "镇", "乡", "街道")
# Organs named after a place: "平潭综合实验区" + "管委会".
_PLACE_ORGANS = ("人民政府", "管理委员会", "管委会", "行政公署", "街道办事处", "办事处")
_GOVERNMENTS = "人民政府|管理委员会|管委会|行政公署"
# How a text says a body belongs to a government: "…局是…人民政府的工作部门".
_UNITS = "(?:工作部门|组成部门|直属机构|直属特设机构|派出机构|办事机构)"
_GOVERNMENT = rf"([\u4e00-\u9fff]{{2,30}}?(?:{_GOVERNMENTS}))"
_STATED = re.compile(rf"(?:是|为|系){_GOVERNMENT}的?{_UNITS}|隶属于{_GOVERNMENT}")
_NOT_NAMES = ("报告", "关于", "印发", "通知", "根据", "本机关", "本报告", "标题", "年度")

_HEADER_KEYS = ("标题", "发布时间", "发布机构")
_HEADER = re.compile(rf"^({'|'.join(_HEADER_KEYS)})[:：][ \t]*(.*)$", re.M)
_TITLE = re.compile(
    rf"^{_SP}(?:标题[:：])?{_SP}(?P<agency>[^\s\d，。；：:、,.;《》“”]{{0,40}}?){_SP}"
    rf"(?P<year>{_YEAR}){_SP}年度?{_SP}(?P<rest>[^\n]{{0,40}}?报告)",
    re.M,
)
# "2023年1月1日至2023年12月31日", or with the year said once: "2023 年 1 月 1 日至 12 月 31 日".
_PERIOD = re.compile(
    rf"(?P<y>{_YEAR})\s*年\s*0?1\s*月\s*0?1\s*日\s*起?\s*[，,]?\s*(?:至|到|—|－|-|~|～)\s*(?:(?P=y)\s*年\s*)?"
    r"12\s*月\s*31\s*日"
)
_ISO_DATE = re.compile(rf"({_YEAR})[-/.年](\d{{1,2}})[-/.月](\d{{1,2}})")
_DATE_LINE = re.compile(rf"^{_SP}({_YEAR}){_SP}年{_SP}(\d{{1,2}}){_SP}月{_SP}(\d{{1,2}}){_SP}日{_SP}$")
_CN_DATE_LINE = re.compile(
    rf"^{_SP}([〇○零一二三四五六七八九]{{4}})年([一二三四五六七八九十]{{1,3}})月([一二三四五六七八九十]{{1,3}})日{_SP}$"
)
# A signature with its date on the same line: "江川市生态环境局　2024年1月20日".
_TRAILING_DATE = re.compile(
    rf"{_SP}(?:{_YEAR}{_SP}年{_SP}\d{{1,2}}{_SP}月{_SP}\d{{1,2}}{_SP}日|[〇○零一二三四五六七八九]{{4}}年[一二三四五六七八九十]{{1,3}}月"
    rf"[一二三四五六七八九十]{{1,3}}日){_SP}$"
)
# Lines that may follow a signature: "（此件公开发布）", "(联系电话：…)".
_CLOSING_NOTE = re.compile(r"^[（(][^）)]{0,40}[)）]$")
_CN_SMALL = re.compile(r"(?:([二三]?)十)?([一二三四五六七八九]?)")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0}
# A year printed in Chinese numerals or full-width digits ("二〇二三年度", "２０２３年"): read as its four digits.
_OTHER_YEAR = re.compile(r"[〇○零一二三四五六七八九０-９]{4}(?=[ \t\u3000]*年)")
_YEAR_MARKS = "〇○零九０１２３４５６７８９"
_YEAR_DIGITS = str.maketrans("〇○零一二三四五六七八九０１２３４５６７８９", "0001234567890123456789")
# A title that names no year: "某某局政府信息公开工作年度报告".
_YEARLESS_TITLE = re.compile(
    rf"^{_SP}(?P<agency>[\u4e00-\u9fff（）()]{{2,40}}?)(?:政府信息公开|政务公开|信息公开)[^\n]{{0,20}}?报告{_SP}$"
)
# A note after a signature's name: "（印章）", "（盖章）".
_SEAL_NOTE = re.compile(r"[（(][^）)]{0,8}[章印][^）)]{0,4}[)）]$")
# A chain of administrative units right before a place name: "淄博市" in "由淄博市张店区人民政府办公室编制".
_CHAIN = re.compile(r"(?:[\u4e00-\u9fff]{2,8}?(?:省|自治区|市|自治州|州|盟|地区|区|县|旗))+")
_CHAIN_ENDS = frozenset("省区市州盟县旗")  # the last character of each unit _CHAIN allows
_CHAIN_BOUNDARY = re.compile(r"[^\u4e00-\u9fff]|[由在从与向经对至于为及和是的将按据请本全我该各此]")


@dataclass
class Meta:
    """What a report states about itself; None wherever the text does not say."""

    agency: str | None = None
    year: int | None = None
    region: str | None = None
    parent: str | None = None
    published_on: str | None = None  # ISO date
    agency_source: str | None = None  # where the agency was read: see SOURCES
    year_source: str | None = None


# Where an agency or a year was read, strongest first. "given" is a value the user supplied (see apply_given).
SOURCES = {
    "title": "标题",
    "text": "正文首行",
    "period": "统计期限",
    "signature": "落款",
    "filename": "文件名",
    "given": "用户指定",
    "workbook": "汇总表",
}


def extract_meta(text: str, source: str) -> Meta:
    """Read agency, reporting year, region, parent and publication date from a report's text; never raises.

    Agency: the title (on one line or broken over several), a first line that is only a name, the signature,
    the file name. Year: the title, the statistics period, the closing date (a report is published the year
    after the one it reports on), the file name.
    """
    head, tail = text[:_EDGE], text[-_EDGE:]
    headers = _crawl_headers(head)
    closing = _closing_date(tail)
    title_agency, title_year = _title_parts(head, headers)
    agency, agency_source = _first_found(
        ("title", lambda: title_agency),
        ("text", lambda: _first_line_agency(head)),
        ("signature", lambda: _signature_agency(tail)),
        ("filename", lambda: _from_file_name(source)[0]),
    )
    if agency and _is_bare_place(agency):
        agency = _with_organ(text, agency)
    year, year_source = _first_found(
        ("title", lambda: title_year),
        ("period", lambda: _period_year(head) or _period_year(tail)),
        ("signature", lambda: int(closing[:4]) - 1 if closing else None),
        ("filename", lambda: _from_file_name(source)[1] or _file_year(source)),
    )
    return Meta(
        agency=agency,
        year=year,
        region=_region(text, agency),
        parent=_parent(head + tail, agency),
        published_on=_published_on(headers.get("发布时间"), tail),
        agency_source=agency_source,
        year_source=year_source,
    )


_FIELDS = {"agency": ("单位", "agency"), "year": ("年度", "year")}


def apply_given(report: Report, given: Given | None) -> None:
    """Put the agency and year a user gave on a report, marked "given".

    A given value wins over what the report states, since the user said so explicitly; when the report states
    something else, that reading is kept in a finding, so the override is never silent.
    """
    if given is None:
        return
    for field, value in (("agency", given.agency), ("year", given.year)):
        if value in (None, ""):
            continue
        read, source = getattr(report, field), getattr(report, f"{field}_source")
        if read not in (None, "") and read != value:
            report.findings.append(_overridden(field, read, source, value))
        setattr(report, field, value)
        setattr(report, f"{field}_source", "given")
    if given.agency:
        report.region = _region(report.text, report.agency)
        report.parent = _parent(report.text[:_EDGE] + report.text[-_EDGE:], report.agency)


def given_on(report: Report) -> Given | None:
    """The agency and year a user gave a report (those apply_given marked "given"), or None when neither."""
    agency = report.agency if report.agency_source == "given" else None
    year = report.year if report.year_source == "given" else None
    return Given(agency, year) if agency or year else None


def _overridden(field: str, read: object, source: str | None, value: object) -> Finding:
    """The finding that records what a report stated where the user gave another value."""
    zh, en = _FIELDS[field]
    where = SOURCES.get(source or "", "正文")
    message = (
        f"报告{where}所示{zh}为“{read}”，已按用户指定改为“{value}” / "
        f"the report's {source or 'text'} gives {en} “{read}”; replaced by the given “{value}”"
    )
    return Finding("PARSE", "warning", message, [{"raw": str(read), "given": str(value), "field": field}])


def _first_found(*readers) -> tuple:
    """The first value any reader finds, with the name of that reader; (None, None) when none does."""
    for name, read in readers:
        value = read()
        if value:
            return value, name
    return None, None


def _crawl_headers(head: str) -> dict[str, str]:
    """The "key: value" lines a crawler put above the page text (标题, 发布时间, ...), first of each."""
    headers: dict[str, str] = {}
    # A header is one line that starts with its key: lines are tried one by one, since a pattern that opens with a
    # line start is tried at every character of a text.
    for line in head.split("\n"):
        if line.startswith(_HEADER_KEYS):
            m = _HEADER.match(line)
            if m:
                headers.setdefault(m.group(1), m.group(2).strip())
    return headers


# --- agency and year ---------------------------------------------------------------------------


def _title_parts(head: str, headers: dict[str, str]) -> tuple[str | None, int | None]:
    """Agency and year from the title; a title broken over several short lines is read joined up."""
    agency, year = _from_title(head, headers.get("标题"))
    if agency and year:
        return agency, year
    joined_agency, joined_year = _from_title(_joined_title_lines(head), None)
    return agency or joined_agency or _yearless_title_agency(head), year or joined_year


def _joined_title_lines(head: str) -> str:
    """The head with each run of short lines (a title broken by the page width) joined into one line."""
    runs: list[list[str]] = [[]]
    for line in head.split("\n", 30)[:30]:
        line = line.strip().lstrip("#*").strip()
        if not line:
            continue
        if len(line) > 40 or "。" in line or _HEADER.match(line):
            runs.append([])
        else:
            runs[-1].append(line)
    return "\n".join("".join(run) for run in runs if run)


def _from_file_name(source: str) -> tuple[str | None, int | None]:
    """Agency and year from a file named like its title (2022年某某县教育局政府信息公开工作年度报告.pdf)."""
    stem = PurePath(source).stem.strip()
    agency, year = _from_title(stem, None)
    if agency is None:
        # "某某局_2023_annual": the part of the name that is a body's name
        parts = [stem] + [part for part in re.split(r"[_\-\s.·]+", stem) if part]
        agency = next((part for part in parts if _looks_like_organ(part)), None)
    return agency, year


def _from_title(head: str, header_title: str | None) -> tuple[str | None, int | None]:
    """Agency and reporting year from the title: the crawl header's first, else the first title line."""
    for where in (_ascii_years(header_title or ""), _ascii_years(head)):
        for m in _line_matches(_TITLE, where):
            if "公开" in m.group("rest"):
                return _title_agency(where, m), int(m.group("year"))
    return None, None


def _line_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """What pattern.finditer(text) finds for a pattern that opens with a line start and never crosses a line break:
    the pattern is tried at each line's start only, instead of at every character."""
    start = 0
    while start != -1:
        m = pattern.match(text, start)
        if m:
            yield m
        start = text.find("\n", start)
        if start != -1:
            start += 1


def _ascii_years(text: str) -> str:
    """The text with each year in Chinese numerals or full-width digits written in ASCII digits (same length)."""
    if not any(mark in text for mark in _YEAR_MARKS):  # 19xx has 九, 20xx a zero; `in` is far faster than a regex
        return text
    return _OTHER_YEAR.sub(lambda m: m.group().translate(_YEAR_DIGITS), text)


def _yearless_title_agency(head: str) -> str | None:
    """The agency of a title that states no year, on one line or broken over short lines."""
    for where in (head, _joined_title_lines(head)):
        for line in where.split("\n", 12)[:12]:
            if not line.strip():
                continue
            m = _YEARLESS_TITLE.match(line.strip().lstrip("#*").strip())
            if m and _looks_like_organ(m.group("agency")):
                return m.group("agency")
            break
    return None


def _title_agency(where: str, m: re.Match) -> str | None:
    """The agency a title names: before the year, after it ("2021年度XX政府信息公开…"), or on the line above."""
    before = m.group("agency")
    if before.endswith("关于"):  # "某某局关于2023年度政府信息公开工作的报告"
        before = before[:-2]
    if before and _looks_like_name(before):
        return before
    after = _name_before_subject(m.group("rest"))
    if after or before:
        return after
    return _name_above(where[: m.start()])


def _name_above(above: str) -> str | None:
    """A name printed on the line(s) above a title: "江川市" and "生态环境局" on two lines make one name."""
    lines = [line.strip() for line in above.rstrip().split("\n")[-3:]]
    found = None
    for count in range(1, len(lines) + 1):
        parts = lines[-count:]
        if not all(_looks_like_name(part) for part in parts[:-1]):
            break
        if _looks_like_organ("".join(parts)):
            found = "".join(parts)
    return found


def _name_before_subject(rest: str) -> str | None:
    """In "张店区人民政府政府信息公开工作年度报告", the name in front of the subject words."""
    for subject in ("政府信息公开", "政务公开", "信息公开"):
        cut = rest.find(subject)
        while cut > 0:
            if _looks_like_organ(rest[:cut]):
                return rest[:cut]
            cut = rest.find(subject, cut + 1)
    return None


def _first_line_agency(head: str) -> str | None:
    """A first line that is nothing but a body's name (张店区人民政府)."""
    for line in head.split("\n", 20)[:20]:
        if line.strip():
            return line.strip() if _looks_like_organ(line.strip()) else None
    return None


def _signature_agency(tail: str) -> str | None:
    """The signature at the end: the last line, or the line above a closing date or a closing note."""
    lines = _closing_lines(tail)
    if not lines:
        return None
    name = _SEAL_NOTE.sub("", _TRAILING_DATE.sub("", lines[-1]).strip()).strip()
    return name if _looks_like_organ(name) else None


def _closing_lines(tail: str) -> list[str]:
    """The report's last lines, without the closing date and notes like "（此件公开发布）" below the signature."""
    lines = [line.strip() for line in tail.split("\n")[-12:] if line.strip()]
    while lines and (_line_date(lines[-1]) or _CLOSING_NOTE.match(lines[-1])):
        lines.pop()
    return lines


def _closing_date(tail: str) -> str | None:
    """A date among the report's last lines, on a line of its own or after the signature, as an ISO date."""
    lines = [line.strip() for line in tail.split("\n")[-12:] if line.strip()]
    for line in reversed(lines[-4:]):
        found = _line_date(line) or _signed_date(line)
        if found:
            return found
    return None


def _signed_date(line: str) -> str | None:
    """The date of a signature line that ends with it ("江川市生态环境局 2024年1月20日")."""
    if not line.rstrip().endswith("日"):  # the search tries every start: skip lines that cannot end in a date
        return None
    dated = _TRAILING_DATE.search(line)
    if dated and _looks_like_organ(line[: dated.start()].strip()):
        return _line_date(dated.group().strip())
    return None


def _looks_like_name(text: str) -> bool:
    """A short run of Chinese characters ending like a body or a place, and no title words."""
    if not 2 <= len(text) <= 40 or text in _ORGAN_ENDS or any(word in text for word in _NOT_NAMES):
        return False
    if not all("\u4e00" <= ch <= "\u9fff" or ch in "（）()·" for ch in text):
        return False
    return text.endswith(_ORGAN_ENDS) or text.endswith(_PLACE_ENDS)


def _looks_like_organ(text: str) -> bool:
    return _looks_like_name(text) and text.endswith(_ORGAN_ENDS)


def _is_bare_place(name: str) -> bool:
    return name.endswith(_PLACE_ENDS) and not name.endswith(_ORGAN_ENDS)


def _with_organ(text: str, place: str) -> str:
    """A place printed without its organ (平潭综合实验区) gets the organ the text names it with most often."""
    text = text.replace("\n", "")  # a name wrapped at the end of a line still counts
    counts = [(text.count(place + organ), -text.find(place + organ), organ) for organ in _PLACE_ORGANS]
    count, _, organ = max(counts)
    return place + organ if count else place


def _period_year(part: str) -> int | None:
    """The year of a statistics period that runs 1 January to 31 December of one year."""
    m = _PERIOD.search(part)
    return int(m.group("y")) if m else None


def _file_year(source: str) -> int | None:
    """A single year in the file name (…_2023_pdf_raw.txt); none or several say nothing."""
    years = set(re.findall(rf"(?<!\d)({_YEAR})(?!\d)", PurePath(source).stem))
    return int(years.pop()) if len(years) == 1 else None


# --- publication date ---------------------------------------------------------------------------


def _published_on(header_date: str | None, tail: str) -> str | None:
    """The crawl header's 发布时间, else a date line closing the report, as an ISO date."""
    if header_date:
        m = _ISO_DATE.search(header_date)
        found = m and _iso(*m.groups())
        if found:
            return found
    return _closing_date(tail)


def _line_date(line: str) -> str | None:
    """A line that is only a date, in digits (2022年1月10日) or Chinese numerals (二〇二二年一月十日)."""
    m = _DATE_LINE.match(line)
    if m:
        return _iso(*m.groups())
    m = _CN_DATE_LINE.match(line)
    if m:
        year = "".join(str(_CN_DIGITS[c]) for c in m.group(1))
        return _iso(year, str(_cn_small(m.group(2))), str(_cn_small(m.group(3))))
    return None


def _cn_small(numeral: str) -> int:
    """一 … 三十一 as a number (month and day numerals); 0 for anything else, which no date accepts."""
    m = _CN_SMALL.fullmatch(numeral)
    if not m:
        return 0
    tens = 0 if m.group(1) is None else _CN_DIGITS.get(m.group(1), 1)
    return tens * 10 + _CN_DIGITS.get(m.group(2), 0)


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


# --- region and parent --------------------------------------------------------------------------


def _place_of(agency: str | None) -> str | None:
    """The place an agency is named after: 淄博市张店区 in 淄博市张店区人民政府, 市中区 in 市中区卫生健康局."""
    place = None
    for i in range(1, len(agency or "") - 1):
        end = agency[: i + 1]
        # 市场, 市政, 区域 … are words, not the end of a place name.
        if end.endswith(_PLACE_ENDS) and agency[i + 1] not in "场政民容域划级直属":
            place = end
    return place


def _region(text: str, agency: str | None) -> str | None:
    """The agency's place with the higher units the text prints before it (淄博市 + 张店区)."""
    place = _place_of(agency)
    if place is None:
        return None
    region, start, seen = place, text.find(place), 0
    while start >= 0 and seen < _MAX_MENTIONS:
        seen += 1
        # A chain ends with a unit (省, 市, 区 …): a mention after any other character has none, unread.
        if start and text[start - 1] in _CHAIN_ENDS:
            chain = _chain_before(text[max(0, start - 16) : start], at_start=start <= 16)
            if chain and len(chain) + len(place) > len(region):
                region = chain + place
        start = text.find(place, start + 1)
    return region


def _chain_before(window: str, at_start: bool) -> str | None:
    """Administrative units ending the window and starting after a word boundary (由, 在, 地址：…)."""
    cuts = [m.end() for m in _CHAIN_BOUNDARY.finditer(window)]
    if not cuts and not at_start:
        return None
    chain = window[cuts[-1] if cuts else 0 :]
    return chain if _CHAIN.fullmatch(chain) else None


def _parent(text: str, agency: str | None) -> str | None:
    """The body an agency belongs to: by its name (X人民政府办公室 -> X人民政府) or as the text states it."""
    if not agency:
        return None
    for office in ("办公室", "办公厅"):
        owner = agency.removesuffix(office)
        if owner != agency and _looks_like_organ(owner):
            return owner
    start, seen = text.find(agency), 0
    while start >= 0 and seen < _MAX_MENTIONS:
        seen += 1
        stated = _STATED.match(text, start + len(agency))
        if stated:
            return stated.group(1) or stated.group(2)
        start = text.find(agency, start + 1)
    return None
