"""Text variants of the section, metadata and prose classes: each transforms the control report (or a real one)
the way unseen reports differ, and must still give the same figures, agency and year, and no R1–R5 finding."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from loaders import checks
from loaders.parse import parse_bytes, parse_text

SHAPES = Path(__file__).parent / "fixtures" / "shapes"
CONTROL = (SHAPES / "00_control.txt").read_text(encoding="utf-8")
TABLE_FIGURES = json.loads((SHAPES / "cases.json").read_text(encoding="utf-8"))["00_control.txt"]["expected"]
AGENCY = "青禾县农业农村局"
TITLE = f"{AGENCY}2023年政府信息公开工作年度报告"
HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
OPENING = "2023年，本机关认真贯彻《中华人民共和国政府信息公开条例》，扎实推进政务公开各项工作。"
PROACTIVE = "全年主动公开政府信息310条，依申请公开工作规范有序。"
FEE_LINE = "本年度未收取信息处理费。"
SIGNATURE = f"\n\n{AGENCY}\n2024年1月20日\n"


def _headings(text: str, new: tuple[str, ...]) -> str:
    """Replace the six section headings, in order."""
    for old, repl in zip(HEADINGS, new, strict=True):
        text = text.replace(f"\n{old}\n", f"\n{repl}\n", 1)
    return text


def _title(text: str, new: str) -> str:
    """Replace the first line (the title)."""
    return new + text[len(TITLE) :]


def _prose(text: str, sentence: str) -> str:
    """Put a sentence at the end of section 一's paragraph."""
    return text.replace(PROACTIVE, PROACTIVE + sentence, 1)


def _wrap(paragraph: str, at: int) -> str:
    """Break a paragraph line the way PDF text does, after `at` characters."""
    return paragraph[:at] + "\n" + paragraph[at:]


def _arabic(text: str) -> str:
    return _headings(text, tuple(f"{i}.{h[2:]}" for i, h in enumerate(HEADINGS, 1)))


def _part(text: str) -> str:
    return _headings(text, tuple(f"第{h[0]}部分 {h[2:]}" for h in HEADINGS))


def _paraphrased(text: str) -> str:
    titles = ("总体情况", "主动公开情况", "依申请公开情况", "行政复议和行政诉讼情况", "存在的问题和改进措施")
    return _headings(
        text, tuple(f"{h[0]}、{t}" for h, t in zip(HEADINGS, titles + ("其他需要报告的事项",), strict=True))
    )


def _dropped(text: str) -> str:
    for old in HEADINGS:
        text = text.replace(f"\n{old}\n", "\n", 1)
    return text


def _embedded(text: str) -> str:
    text = text.replace(f"\n{HEADINGS[0]}\n", f"\n{HEADINGS[0]}。", 1)
    text = text.replace(f"\n{HEADINGS[4]}\n", f"\n{HEADINGS[4]}：", 1)
    return text.replace(f"\n{HEADINGS[5]}\n", f"\n{HEADINGS[5]}。", 1)


def _contents(text: str) -> str:
    toc = "目录\n" + "\n".join(HEADINGS) + "\n"
    return text.replace("\n\n本报告依据", "\n\n" + toc + "\n本报告依据", 1)


def _contents_paged(text: str) -> str:
    toc = "目  录\n" + "\n".join(f"{h}……………{i}" for i, h in enumerate(HEADINGS, 1)) + "\n"
    return text.replace("\n\n本报告依据", "\n\n" + toc + "\n本报告依据", 1)


def _prose_then_tables(text: str) -> str:
    extra = (
        "\n二、工作机制建设\n设立政务公开领导小组。\n三、平台建设\n优化政府网站栏目。\n四、监督保障\n开展培训2次。\n"
    )
    titles = ("主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况")
    text = _headings(
        text,
        (
            HEADINGS[0],
            f"一、{titles[0]}",
            f"二、{titles[1]}",
            f"三、{titles[2]}",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ),
    )
    return text.replace(f"\n一、{titles[0]}\n", extra + f"\n一、{titles[0]}\n", 1)


def _title_three_lines(text: str) -> str:
    return _title(text, f"{AGENCY}\n2023年政府信息公开\n工作年度报告")


def _title_split_in_name(text: str) -> str:
    return _title(text, "青禾县农业\n农村局2023年度政府信息\n公开工作年度报告")


def _title_cn_year(text: str) -> str:
    return _title(text, f"{AGENCY}二〇二三年度政府信息公开工作年度报告")


def _title_cn_year_first(text: str) -> str:
    return _title(text, f"二〇二三年{AGENCY}\n政府信息公开工作年度报告")


def _title_full_width(text: str) -> str:
    return _title(text, f"{AGENCY}２０２３年政府信息公开工作年度报告")


def _signature_only(text: str) -> str:
    return _title(text, "2023年政府信息公开工作年度报告") + SIGNATURE


def _signature_seal(text: str) -> str:
    return _title(text, "2023年度政府信息公开工作年度报告") + f"\n\n{AGENCY}（印章）\n2024年1月20日\n（此件公开发布）\n"


def _signature_cn_date(text: str) -> str:
    return _title(text, "政府信息公开工作年度报告") + f"\n\n{AGENCY}\n二〇二四年一月二十日\n"


def _signature_label(text: str) -> str:
    return _title(text, "2023年政府信息公开工作年度报告") + f"\n\n{AGENCY}\n2024年1月20日\n（此件公开发布）\n"


def _title_about(text: str) -> str:
    return _title(text, f"{AGENCY}关于2023年度政府信息公开工作的年度报告")


def _full_width_dots(text: str) -> str:
    return _headings(text, tuple(f"{h[0]}．{h[2:]}" for h in HEADINGS))


def _bracketed(text: str) -> str:
    return _headings(text, tuple(f"（{h[0]}）{h[2:]}" for h in HEADINGS))


def _indented(text: str) -> str:
    return _headings(text, tuple(f"\u3000\u3000{h}" for h in HEADINGS))


PERIOD = "统计期限自2023年1月1日至2023年12月31日。"


def _year_before_break(text: str) -> str:
    return _title(text, f"{AGENCY}2023\n年政府信息公开工作年度报告")


def _year_from_signature_date(text: str) -> str:
    body = _title(text.replace(PERIOD, ""), "政府信息公开工作年度报告")
    return body + f"\n\n{AGENCY}（盖章）\n二〇二四年一月二十日\n（此件公开发布）\n"


VARIANTS_SECTIONS = {
    "full_width_dots": _full_width_dots,
    "bracketed_numerals": _bracketed,
    "indented_headings": _indented,
    "arabic_headings": _arabic,
    "part_headings": _part,
    "paraphrased_titles": _paraphrased,
    "headings_dropped": _dropped,
    "heading_with_text": _embedded,
    "table_of_contents": _contents,
    "table_of_contents_paged": _contents_paged,
    "prose_parts_then_tables": _prose_then_tables,
}
VARIANTS_META = {
    "title_year_before_break": _year_before_break,
    "year_from_signature_date": _year_from_signature_date,
    "title_about": _title_about,
    "title_three_lines": _title_three_lines,
    "title_split_in_name": _title_split_in_name,
    "title_chinese_year": _title_cn_year,
    "title_chinese_year_first": _title_cn_year_first,
    "title_full_width_year": _title_full_width,
    "agency_in_signature": _signature_only,
    "signature_with_seal": _signature_seal,
    "signature_chinese_date": _signature_cn_date,
    "signature_publication_label": _signature_label,
}


def _check(report, agency: str, year: int, extra: dict[str, float | None] | None = None) -> None:
    """The control's table figures, the given prose figures, agency, year, and no R1–R5 finding."""
    got = {f"{f.metric}|{f.applicant or ''}": f.value for f in report.figures}
    want = {**TABLE_FIGURES, **(extra or {})}
    wrong = {k: (v, got.get(k)) for k, v in want.items() if got.get(k) != v}
    assert not wrong, f"figures wrong (want, got): {wrong}"
    assert (report.agency, report.year) == (agency, year)
    found = checks.findings_for([report])[report.source]
    rules = [f"{f['rule']}: {f['message']}" for f in found if f["rule"] in ("R1", "R2", "R3", "R4", "R5")]
    assert not rules


@pytest.mark.parametrize("name", sorted(VARIANTS_SECTIONS))
def test_section_variant(name: str) -> None:
    report = parse_text(VARIANTS_SECTIONS[name](CONTROL), f"{name}.txt")
    _check(report, AGENCY, 2023, {"proactive.items|": 310})
    assert set("一二三四") <= set(report.sections) or name == "headings_dropped"


@pytest.mark.parametrize("name", sorted(VARIANTS_META))
def test_metadata_variant(name: str) -> None:
    report = parse_text(VARIANTS_META[name](CONTROL), f"{name}.txt")
    _check(report, AGENCY, 2023, {"proactive.items|": 310})


@pytest.mark.parametrize(
    "file_name",
    ["2023年度青禾县农业农村局政府信息公开工作年度报告.txt", "青禾县农业农村局_2023_annual.txt"],
)
def test_identity_from_file_name(file_name: str) -> None:
    body = CONTROL[len(TITLE) :].replace("2023年", "本年").replace("2023", "")
    report = parse_text("政府信息公开工作年度报告" + body, file_name)
    _check(report, AGENCY, 2023)


def test_year_from_short_file_name_agency_from_signature() -> None:
    body = CONTROL[len(TITLE) :].replace("2023年", "本年").replace("2023", "")
    report = parse_text("政府信息公开工作年度报告" + body + f"\n\n{AGENCY}\n", "qinghe_2023_annual.txt")
    _check(report, AGENCY, 2023)


def test_web_page_title_carries_agency() -> None:
    html = ["<html><head><meta charset='utf-8'>", f"<title>{TITLE}_青禾县人民政府</title></head><body>"]
    html.append("<h1>2023年政府信息公开工作年度报告</h1>")
    rows: list[str] = []
    for line in CONTROL[len(TITLE) :].split("\n"):
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in line.split("\t")) + "</tr>")
            continue
        if rows:
            html.append("<table>" + "".join(rows) + "</table>")
            rows = []
        if line.strip():
            html.append(f"<p>{line}</p>")
    if rows:
        html.append("<table>" + "".join(rows) + "</table>")
    html.append("</body></html>")
    report = parse_bytes("\n".join(html).encode("utf-8"), "page.html")
    _check(report, AGENCY, 2023, {"proactive.items|": 310})


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        ("青禾县白石镇人民政府2023年政府信息公开工作年度报告", "青禾县白石镇人民政府"),
        ("青禾区东湖街道办事处2023年度政府信息公开工作年度报告", "青禾区东湖街道办事处"),
        ("青禾经济技术开发区管理委员会2023年政府信息公开工作年度报告", "青禾经济技术开发区管理委员会"),
    ],
)
def test_town_street_and_zone_agency(title: str, agency: str) -> None:
    report = parse_text(_title(CONTROL, title), "report.txt")
    _check(report, agency, 2023, {"proactive.items|": 310})


def test_year_read_nowhere_does_not_crash() -> None:
    text = re.sub(r"20\d\d", "", _title(CONTROL, f"{AGENCY}政府信息公开工作年度报告"))
    text = text.replace("统计期限自年1月1日至年12月31日", "")
    report = parse_text(text, "report.txt")
    assert report.agency == AGENCY and report.year is None
    got = {f"{f.metric}|{f.applicant or ''}": f.value for f in report.figures}
    assert got["requests.new|total"] == 43 and got["review.total|"] == 5
    checks.findings_for([report])


PROSE_VARIANTS = {
    # hard line breaks: between number and unit, inside key words
    "wrap_before_unit": (
        _wrap(OPENING + "全年在门户网站主动公开政府信息310条，依申请公开工作规范有序。", len(OPENING) + 15),
        {"proactive.items|": 310},
    ),
    "wrap_inside_keyword": (
        _wrap(OPENING + "全年在门户网站主动公开政府信息310条，依申请公开工作规范有序。", len(OPENING) + 10),
        {"proactive.items|": 310},
    ),
    "wrap_inside_fee_word": (
        _wrap(OPENING + "全年主动公开政府信息310条，依申请提供政府信息未收取任何信息处理费。", len(OPENING) + 29),
        {"proactive.items|": 310, "fees.disclosure_charged_yuan|": 0},
    ),
    # proactive counts
    "proactive_wan": (OPENING + "全年主动公开政府信息1.2万余条。", {"proactive.items|": 12000}),
    "proactive_about": (OPENING + "全年累计主动公开各类政府信息3100余条。", {"proactive.items|": 3100}),
    "proactive_via_site": (OPENING + "通过政府网站主动公开政府信息共计856条。", {"proactive.items|": 856}),
    # scope-qualified counts: never the report's own figure, never held against its table
    "region_requests": (OPENING + PROACTIVE + "全县共收到政府信息公开申请215件。", {"proactive.items|": 310}),
    "departments_requests": (
        OPENING + PROACTIVE + "全县各部门共受理政府信息公开申请188件。",
        {"proactive.items|": 310},
    ),
    "own_body_requests": (OPENING + PROACTIVE + "本机关全年共收到政府信息公开申请43件。", {"proactive.items|": 310}),
    "county_level_requests": (OPENING + PROACTIVE + "县本级共受理政府信息公开申请96件。", {"proactive.items|": 310}),
    # own spending on disclosure work is not a fee charged to applicants
    "spend_input": (OPENING + PROACTIVE + "全年投入政务公开工作经费3万元。", {"fees.disclosure_charged_yuan|": 0}),
    "spend_budget": (
        OPENING + PROACTIVE + "安排政府信息公开工作预算经费5000元，用于公开栏更新。",
        {"fees.disclosure_charged_yuan|": 0},
    ),
    "spend_cost": (OPENING + PROACTIVE + "政府信息公开费用支出1.2万元。", {"fees.disclosure_charged_yuan|": 0}),
    # real fees charged
    "fee_zero_yuan": (
        OPENING + PROACTIVE + "本年度收取信息处理费0元。",
        {"fees.disclosure_charged_yuan|": 0},
    ),
    "fee_none_any": (
        OPENING + PROACTIVE + "依申请公开政府信息未收取任何费用，也无减免情况。",
        {"fees.disclosure_charged_yuan|": 0},
    ),
    # NPC and CPPCC
    "deputies_handled": (
        OPENING + PROACTIVE + "全年承办县人大代表建议15件、县政协委员提案8件，均已按时办结。",
        {"npc.suggestions|": 15, "cppcc.proposals|": 8},
    ),
    "deputies_lead_and_assist": (
        OPENING + PROACTIVE + "办理人大代表建议12条，政协提案6条，答复率100%。",
        {"npc.suggestions|": 12, "cppcc.proposals|": 6},
    ),
    "department_sum_requests": (
        OPENING + PROACTIVE + "全县各部门共受理政府信息公开申请188件。",
        {"proactive.items|": 310},
    ),
    "deputies_combined_count": (
        OPENING + PROACTIVE + "承办人大代表建议和政协提案共23件。",
        {"npc.suggestions|": None, "cppcc.proposals|": None},
    ),
    "proposals_then_suggestions_combined": (
        OPENING + PROACTIVE + "办理政协提案及人大代表建议共19件。",
        {"npc.suggestions|": None, "cppcc.proposals|": None},
    ),
    "fee_processing_cost_zero": (
        OPENING + PROACTIVE + "本年度收取政府信息公开处理费用0元。",
        {"fees.disclosure_charged_yuan|": 0},
    ),
    "indented_first_line_wrapped": (
        "\u3000\u3000\u3000\u30002023年，本机关全年主动公开政府信\n息310条，依申请公开工作规范有序。",
        {"proactive.items|": 310},
    ),
    "deputies_received_requests_unaffected": (
        OPENING + PROACTIVE + "共收到人大代表建议20件，全部办结。",
        {"npc.suggestions|": 20, "proactive.items|": 310},
    ),
}


@pytest.mark.parametrize("name", sorted(PROSE_VARIANTS))
def test_prose_variant(name: str) -> None:
    paragraph, extra = PROSE_VARIANTS[name]
    text = CONTROL.replace(OPENING + PROACTIVE, paragraph, 1)
    if "fees.disclosure_charged_yuan|" in extra and FEE_LINE not in paragraph:
        text = text.replace(FEE_LINE, "无。", 1) if "收取" in paragraph else text
    report = parse_text(text, f"{name}.txt")
    _check(report, AGENCY, 2023, extra)


WRAPPED_SENTENCE = "全年在门户网站主动公开各类政府信息3200余条，同比增长。"
# every break point but those inside the number (a converter never breaks a line between two digits)
BREAKS = [at for at in range(1, 22) if not WRAPPED_SENTENCE[at - 1 : at + 1].isdigit()]


@pytest.mark.parametrize("at", BREAKS)
def test_proactive_sentence_wrapped_anywhere(at: int) -> None:
    """A PDF line break at any point of the sentence, except inside the number, keeps the count."""
    sentence = WRAPPED_SENTENCE
    paragraph = OPENING + sentence[:at] + "\n" + sentence[at:]
    report = parse_text(CONTROL.replace(OPENING + PROACTIVE, paragraph, 1), "wrapped.txt")
    _check(report, AGENCY, 2023, {"proactive.items|": 3200})


REPORTS = Path(__file__).parent / "fixtures" / "reports"
# Reports in the 2019+ template; the old statistics tables of 2014–2017 flattened into prose are another class.
REWRAPPED = [
    "zhangdian-district-gov-2021.txt",
    "zhangdian-district-gov-office-2021.txt",
    "shizhong-district-health-bureau-2021.txt",
    "012_pingtan_zone_2019.txt",
    "014_pingtan_zone_2021.txt",
    "015_pingtan_zone_2022.txt",
    "016_pingtan_zone_2023.txt",
]


def _rewrap(text: str, width: int) -> str:
    """Hard-wrap every prose line at `width` characters as PDF text does (headers, table rows, numbers kept whole)."""
    out: list[str] = []
    for line in text.split("\n"):
        header = re.match(r"(标题|发布时间|发布机构|文号|栏目)[:：]", line)
        if "\t" in line or len(line) <= width or header or re.search(r"\d\s{2,}\d|\d{6,}", line):
            out.append(line)
            continue
        start = 0
        while start < len(line):
            end = min(start + width, len(line))
            while (
                end < len(line)
                and (line[end - 1].isdigit() or line[end - 1] == ".")
                and (line[end].isdigit() or line[end] == ".")
            ):
                end += 1
            out.append(line[start:end])
            start = end
    return "\n".join(out)


@pytest.mark.parametrize("width", [23, 34])
@pytest.mark.parametrize("name", REWRAPPED)
def test_real_report_rewrapped(name: str, width: int) -> None:
    """A real report's prose hard-wrapped at a PDF page width gives the figures, agency and year it gave unwrapped."""
    text = (REPORTS / name).read_text(encoding="utf-8")
    before, after = parse_text(text, name), parse_text(_rewrap(text, width), name)
    want = {f"{f.metric}|{f.applicant or ''}": f.value for f in before.figures}
    got = {f"{f.metric}|{f.applicant or ''}": f.value for f in after.figures}
    assert {k: (v, got.get(k)) for k, v in want.items() if got.get(k) != v} == {}
    assert (after.agency, after.year) == (before.agency, before.year)
