"""Parse one report: read the text, detect its template, extract tables and prose, and name every figure."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from . import formats, meta, prose, stats_table, tables, textio
from .formats import collection
from .formats.sniff import sniff
from .keys import METRICS, SECTION2_ROWS, is_section3
from .model import Document, Figure, Finding, Given, Report, ReportError
from .normalize import slot_to_figure
from .sections import Section, detect_template, find_sections, section3_variant
from .tokens import tokenize

_TABLE_SECTIONS = ("二", "三", "四")
_SENTENCE_ENDS = set('。！？；）)”"」』】日0123456789')
# Prose mentions of these become figures only when no table states them (a table beats prose).
_PROSE_ONLY_PREFIXES = ("channel.", "proactive.", "fees.disclosure_charged_yuan", "npc.", "cppcc.")


MAX_FILE_BYTES = textio.MAX_ANY_FILE_BYTES


def parse_reports(path: str | Path, given: Given | None = None) -> list[Report]:
    """Every report in the file at `path`: one for a report file, one per filled row for a collection workbook.

    `given` is an agency and a year the user supplied for the file (see meta.apply_given).
    """
    path = Path(path)
    return parse_reports_data(_read(path), path.name, given)


def parse_reports_data(data: bytes, name: str, given: Given | None = None) -> list[Report]:
    """Every report in a file's bytes, the file named `name`: what parse_reports does once the file is read."""
    if sniff(data, name) == "xlsx" and collection.is_collection(data):
        reports = collection.read_collection(data, name)
        if len(reports) > 1:  # one file, many reports: each needs a name of its own in results and findings
            for row in reports:
                row.source = f"{name}#{_row_name(row)}"
    else:
        reports = [_parse_data(data, name)]
    for report in reports:
        meta.apply_given(report, given)
    return reports


def _row_name(row: Report) -> int:
    """What tells a collection row apart in its file's name: its sheet row number (the line of its figures and of
    its own text), or its year for a row without figures, as before."""
    if row.figures:
        return row.figures[0].line
    return row.year or row.text.count("\n") + 1


def parse_file(path: str | Path) -> Report:
    """Parse the report at `path`, whatever its format; raises ReportError naming the file when it cannot."""
    path = Path(path)
    return _parse_data(_read(path), path.name)


def parse_bytes(data: bytes, source: str) -> Report:
    """Parse a report given as bytes (an upload, say) under the name `source`."""
    return _parse_data(data, source)


def _read(path: Path) -> bytes:
    """A file's bytes: only a regular file, read no further than MAX_FILE_BYTES."""
    return textio.read_regular(path, MAX_FILE_BYTES)


def _parse_data(data: bytes, source: str) -> Report:
    """Text goes straight to the text parser; any other format is read into a Document first."""
    digest = hashlib.sha256(data).hexdigest()
    if sniff(data, source) == "text":
        text, encoding = textio.decode(data, source)
        return _parse(text, source, digest, encoding)
    return parse_document(formats.read_document(data, source), source, digest)


def parse_text(text: str, source: str) -> Report:
    """Parse a report already decoded to text."""
    text = textio.normalise(text)
    return _parse(text, source, hashlib.sha256(text.encode("utf-8")).hexdigest(), "utf-8")


def parse_document(doc: Document, source: str, content_hash: str | None = None) -> Report:
    """Parse a file of any format once it has been read as a Document (text plus per-line locations)."""
    text = textio.normalise(doc.text)
    digest = content_hash or hashlib.sha256(text.encode("utf-8")).hexdigest()
    report = _parse(text, source, digest, doc.encoding or "utf-8")
    report.source_format = doc.source_format
    for fig in report.figures + report.mentions:
        if fig.line is not None and 0 < fig.line <= len(doc.locations):
            fig.location = doc.locations[fig.line - 1]
    return report


def _parse(text: str, source: str, content_hash: str, encoding: str) -> Report:
    """The steps shared by every entry point."""
    textio.check_report_text(text, source)
    text = textio.fold_digits(text)  # ２０２１ and １２ read as the year and the figure they are
    sections = find_sections(text)
    template = detect_template(text, sections)
    found = meta.extract_meta(text, source)
    report = Report(source=source, text=text, content_hash=content_hash, template=template, encoding=encoding)
    report.agency, report.year, report.region = found.agency, found.year, found.region
    report.agency_source, report.year_source = found.agency_source, found.year_source
    report.parent, report.published_on = found.parent, found.published_on
    report.sections = list(sections)
    if template == "workplan":
        return report
    report.mentions = prose.extract_prose(text, report.year, report.agency)
    table_figures = _table_figures(text, sections, template, report)
    report.figures = _merge(table_figures, report.mentions)
    _check_truncated(report, sections, text)
    _check_magnitudes(report)
    return report


# Requests, reviews and lawsuits (sections 三 and 四) above this many in one year are a misreading or a typo.
MAX_PLAUSIBLE_COUNT = 10_000_000
# Whole numbers above this are not all exactly representable as stored (a 64-bit float).
MAX_EXACT = 2**53


def _check_magnitudes(report: Report) -> None:
    """A figure too large to be stored exactly becomes NULL, and one above a plausible bound stays; both get a
    PARSE finding quoting the printed text."""
    large = [
        fig
        for fig in (*report.figures, *report.mentions)
        if fig.value is not None and not -MAX_PLAUSIBLE_COUNT <= fig.value <= MAX_PLAUSIBLE_COUNT
    ]
    if not large:  # almost every report: neither bound applies
        return
    stated = {id(fig) for fig in report.figures}
    for fig in large:
        inexact = abs(fig.value) > MAX_EXACT
        implausible = METRICS.get(fig.metric) is not None and _bounded(fig.metric) and fig.value > MAX_PLAUSIBLE_COUNT
        if not (inexact or implausible):
            continue
        if id(fig) in stated:
            report.findings.append(_magnitude_finding(fig, inexact))
        if inexact:
            fig.value = None


def _bounded(metric: str) -> bool:
    """Whether a metric is a count of requests, reviews or lawsuits, which a plausible bound applies to."""
    definition = METRICS[metric]
    return definition.kind == "count" and definition.section in ("三", "四")


def _magnitude_finding(fig: Figure, inexact: bool) -> Finding:
    """The PARSE finding of a figure too large to store exactly or to be plausible."""
    cell = {"metric": fig.metric, "applicant": fig.applicant, "raw": fig.raw, "line": fig.line}
    if inexact:
        message = f"数字“{fig.raw}”过大，无法精确保存，已留空，请核对原文"
    else:
        message = f"数字“{fig.raw}”超过{MAX_PLAUSIBLE_COUNT:,}，不合常理，请核对原文"
    return Finding("PARSE", "warning", message, [cell])


def _table_figures(text: str, sections: dict[str, Section], template: str, report: Report) -> list[Figure]:
    """Figures from the tables of sections 二, 三 and 四 (or the old statistics table of prose reports)."""
    if template == "prose":
        figures, findings = stats_table.extract_stats_table(text, _stat_hints(report.mentions), report.source)
        report.findings += findings
        return figures
    slots: list[tables.Slot] = []
    for numeral in _TABLE_SECTIONS:
        if numeral not in sections:
            continue
        section = sections[numeral]
        tokens = tokenize(section.body(text), _line_of(text, section.start))
        found, findings = _extract(numeral, tokens, template, section.body(text), report.mentions, text)
        slots += found
        report.findings += findings
    return [slot_to_figure(s) for s in slots]


def _stat_hints(mentions: list[Figure]) -> dict[str, float]:
    """What the prose states plainly, first mention per metric: it can settle a glued statistics-table row."""
    hints: dict[str, float] = {}
    for m in mentions:
        if m.value is not None and m.applicant in (None, "total") and m.qualifier is None:
            hints.setdefault(m.metric, m.value)
    return hints


def _extract(numeral: str, tokens, template: str, body: str, mentions: list[Figure], text: str):
    """Run the extractor for one table section."""
    if numeral == "二":
        pins: dict[str, set[float]] = {}
        for m in mentions:
            if m.value is not None:
                pins.setdefault(m.metric, set()).add(m.value)
        return tables.extract_section2(tokens, template if template in SECTION2_ROWS else "2021", pins)
    if numeral == "三":
        return tables.extract_section3(tokens, section3_variant(body))
    return tables.extract_section4(tokens, _section4_pins(mentions, text))


# "行政诉讼15件": both suits together, which no canonical key holds but which can settle section 四's reading.
_SUITS = re.compile(r"行政诉讼(?:案件)?(?:共计|合计|共)?\s*(\d+)\s*(?:件|起|宗)")


def _section4_pins(mentions: list[Figure], text: str) -> dict[str, set[float]]:
    """What the prose plainly states about section 四: review figures, and the number of suits."""
    pins: dict[str, set[float]] = {}
    for m in mentions:
        if m.value is not None and m.qualifier is None and m.metric.startswith("review."):
            pins.setdefault(m.metric, set()).add(m.value)
    suits = {float(n) for n in _SUITS.findall(text)}
    if suits:
        pins["litigation.total"] = suits
    return pins


def _line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset: one count of the line breaks before it."""
    return text.count("\n", 0, offset) + 1


def _merge(table_figures: list[Figure], mentions: list[Figure]) -> list[Figure]:
    """One figure per metric+applicant: the table's; prose fills in what no table section states and blank cells."""
    figures: dict[tuple, Figure] = {}
    for fig in table_figures:
        figures.setdefault(fig.key(), fig)
    stated = prose.plain_statements(mentions)
    for key, fig in figures.items():
        if key in stated and _blank_cell(fig):
            figures[key] = prose.fill_blank(fig, stated[key])
    has_requests = any(is_section3(f.metric) for f in table_figures)
    has_review = any(f.metric.startswith(("review.", "litigation.")) for f in table_figures)
    for fig in mentions:
        if fig.qualifier in prose.OTHER_SCOPES or fig.key() in figures:
            continue
        if _promotable(fig.metric, has_requests, has_review):
            figures[fig.key()] = fig
    return list(figures.values())


def _blank_cell(fig: Figure) -> bool:
    """A table cell printed empty: no number, nothing written (a "/" or "—" says something, so it is not blank)."""
    return fig.kind == "table" and fig.value is None and fig.qualifier is None and not fig.raw.strip()


def _promotable(metric: str, has_requests: bool, has_review: bool) -> bool:
    """Whether a prose mention may stand as the report's figure for its key."""
    if metric.startswith(_PROSE_ONLY_PREFIXES):
        return True
    if is_section3(metric):
        return not has_requests
    if metric.startswith(("review.", "litigation.")):
        return not has_review
    return False


def _check_truncated(report: Report, sections: dict[str, Section], text: str) -> None:
    """A report that stops before its tables end is refused: storing half a report would mislead.

    A templated report whose last section is 二 or 三 (or 四 with no values) stopped inside its tables; a report
    that announces the 2019/2021 template but has no statistics table and no section 五 or 六 stopped before its
    tables; one that lacks section 六 and ends mid-sentence, or ends inside a character (a file cut short),
    stopped early.
    """
    last = max(sections, key=lambda n: sections[n].start) if sections else None
    templated = report.template in ("2019", "2021")
    cut_in_tables = templated and (last in ("二", "三") or (last == "四" and not _has_section4_values(report)))
    cut_before = _cut_before_tables(report, sections, text)
    last_line = text.rstrip().rsplit("\n", 1)[-1].strip()
    ending = last_line[-1:]
    # A paragraph that breaks off: a signature, a date or "无" closing a report is short and never counts.
    cut_mid_sentence = templated and "六" not in sections and len(last_line) > 40 and ending not in _SENTENCE_ENDS
    if cut_before:
        zh_where, en_where = _where_it_ends(last, last_line)
        raise ReportError(
            report.source,
            f"报告不完整：按 2019/2021 年报模板编写，但正文在{zh_where}中断，缺少统计表格（第二至四部分）及之后的内容",
            f"truncated report: written on the 2019/2021 template, but the text stops {en_where}, before its "
            "statistics tables (sections 二 to 四) and the rest",
        )
    if cut_in_tables or cut_mid_sentence or ending == "\ufffd":
        raise ReportError(
            report.source,
            f"报告不完整：正文在第{last}部分中断，缺少后续部分",
            f"truncated report: the text stops in section {last}, later sections are missing",
        )


# What only reports on the 2019 and 2021 templates say: the template's section 三 and 六 titles (also in the
# introduction's list of parts), and the notices that set the templates out.
_TEMPLATE_WORDS = re.compile(
    r"收\s*到\s*和\s*处\s*理\s*政\s*府\s*信\s*息\s*公\s*开\s*申\s*请|其\s*他\s*需\s*要\s*报\s*告\s*的\s*事\s*项"
    r"|年度报告格式|国办公开办函\s*[〔\[［(（]\s*20(?:19|21)\s*[〕\]］)）]\s*(?:60|30)\s*号"
)
# The parts the 2021 template's section 一 covers besides 主动公开, as its numbered sub-headings name them.
_OVERVIEW_PARTS = (
    re.compile(r"依\s*申\s*请\s*公\s*开"),
    re.compile(r"政\s*府\s*信\s*息\s*管\s*理"),
    re.compile(r"平\s*台(?:\s*载\s*体)?\s*建\s*设"),
    re.compile(r"监\s*督\s*保\s*障|保\s*障\s*监\s*督"),
)
_SUB_HEADING = re.compile(r"[（(]\s*[一二三四五六七八九十]{1,2}\s*[)）]([^\n。；]{0,24})")


def _cut_before_tables(report: Report, sections: dict[str, Section], text: str) -> bool:
    """Whether a report announces the 2019/2021 template yet ends before its statistics tables: no table figure
    and no section 五 or 六 (a complete report whose tables are pictures still has those)."""
    if report.template == "workplan" or "五" in sections or "六" in sections:
        return False
    if any(f.kind == "table" for f in report.figures):
        return False
    return _announces_template(report, sections, text)


def _announces_template(report: Report, sections: dict[str, Section], text: str) -> bool:
    """A report written on the 2019/2021 template, told by its own words rather than by tables it may not reach:
    the template's titles or notices, section 一 split into the template's parts, or a section 一 in a report of
    2019 or later (before 2019 there was no template)."""
    if report.template in ("2019", "2021") or _TEMPLATE_WORDS.search(text):
        return True
    if "一" not in sections:
        return False
    if (report.year or 0) >= 2019:
        return True
    headings = " ".join(_SUB_HEADING.findall(sections["一"].body(text)))
    return sum(1 for part in _OVERVIEW_PARTS if part.search(headings)) >= 3


def _where_it_ends(last: str | None, last_line: str) -> tuple[str, str]:
    """Where a cut report's text ends, in Chinese and English: its last section and its last words."""
    tail = last_line[-20:]
    if last is None:
        return f"标题和导语处（末尾为“{tail}”）", f"in its title and introduction (ending “{tail}”)"
    return f"第{last}部分（末尾为“{tail}”）", f"in section {last} (ending “{tail}”)"


def _has_section4_values(report: Report) -> bool:
    return any(f.section == "四" and f.kind == "table" for f in report.figures)


def findings_of(report: Report) -> list[Finding]:
    """The parser's own findings for a report (rules over figures live in sql/checks)."""
    return list(report.findings)
