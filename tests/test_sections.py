"""Sections and templates are recognised from structure on every real report."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.sections import detect_template, find_sections, line_starts

REPORTS = Path(__file__).parent / "fixtures" / "reports"
TEMPLATES = {
    "zhangdian-district-gov-2021.txt": "2021",
    "zhangdian-district-gov-office-2021.txt": "2021",
    "shizhong-district-health-bureau-2021.txt": "2019",
    "zhangdian-district-gov-2014.txt": "prose",
    "zhoucun-district-workplan-2021.txt": "workplan",
    "012_pingtan_zone_2019.txt": "2019",
    "013_pingtan_zone_2020.txt": "2019",
    "014_pingtan_zone_2021.txt": "2021",
    "018_pingtan_zone_2025.txt": "2021",
    "022_hongze_district_gov_2023_pdf_raw.txt": "2021",
    "001_pingtan_zone_2011.txt": "prose",
    "026_pingtan_zone_2018.txt": "prose",
}


@pytest.mark.parametrize(("file", "template"), TEMPLATES.items())
def test_template_from_structure(file: str, template: str) -> None:
    text = (REPORTS / file).read_text(encoding="utf-8")
    assert detect_template(text, find_sections(text)) == template


@pytest.mark.parametrize("file", [f for f, t in TEMPLATES.items() if t in ("2019", "2021")])
def test_templated_reports_have_six_sections_in_order(file: str) -> None:
    text = (REPORTS / file).read_text(encoding="utf-8")
    sections = find_sections(text)
    assert list(sections) == ["一", "二", "三", "四", "五", "六"]
    starts = [s.start for s in sections.values()]
    assert starts == sorted(starts)


def test_table_rows_are_not_taken_for_headings() -> None:
    text = "三、收到和处理政府信息公开申请情况\n四、结转下年度继续办理\t0\n四、政府信息公开行政复议、行政诉讼情况\n"
    sections = find_sections(text)
    assert text[sections["四"].heading_start :].startswith("四、政府信息公开行政复议")


def test_heading_typo_and_spaces_are_tolerated() -> None:
    text = "四、政府信息公开行政法复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六 、其他需要报告的事项"
    assert list(find_sections(text)) == ["四", "五", "六"]


def test_a_2021_report_on_the_2019_template_is_detected_as_2019() -> None:
    text = (REPORTS / "shizhong-district-health-bureau-2021.txt").read_text(encoding="utf-8")
    assert "2021年" in text[:100]
    assert detect_template(text, find_sections(text)) == "2019"


def test_line_starts() -> None:
    assert line_starts("a\nbc\n") == [0, 2, 5]


# --- sections by what they are, whatever their numbering ---------------------------------------------------------

SHAPES = Path(__file__).parent / "fixtures" / "shapes"
CONTROL = (SHAPES / "00_control.txt").read_text(encoding="utf-8")
TITLES = {
    "一": "一、总体情况",
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
    "五": "五、存在的主要问题及改进情况",
    "六": "六、其他需要报告的事项",
}


def heading_at(text: str, numeral: str) -> str:
    """The line a found section begins on."""
    sections = find_sections(text)
    return text[sections[numeral].heading_start :].split("\n", 1)[0]


def test_prose_numbered_first_then_tables_restarting_at_one() -> None:
    text = (SHAPES / "C1_renumbered_sections.txt").read_text(encoding="utf-8")
    sections = find_sections(text)
    assert list(sections) == ["一", "二", "三", "四", "五", "六"]
    assert [heading_at(text, n) for n in ("二", "三", "四", "六")] == [
        "一、主动公开政府信息情况",
        "二、收到和处理政府信息公开申请情况",
        "三、政府信息公开行政复议、行政诉讼情况",
        "五、其他需要报告的事项",
    ]
    assert heading_at(text, "五") == "（一）主要问题"  # section 五 printed without its title
    assert detect_template(text, sections) == "2021"


def test_prose_sections_with_the_template_titles_lose_to_the_titles_over_tables() -> None:
    prose = (
        "二、主动公开政府信息情况\n全年主动公开政府信息310条。\n"
        "三、收到和处理政府信息公开申请情况\n全年收到申请43件。\n"
    )
    renumbered = CONTROL.replace(TITLES["二"], "一、主动公开政府信息情况").replace(
        TITLES["三"], "二、收到和处理政府信息公开申请情况"
    )
    text = renumbered.replace("\n\n一、主动公开政府信息情况", "\n" + prose + "\n一、主动公开政府信息情况")
    assert heading_at(text, "二") == "一、主动公开政府信息情况"
    assert heading_at(text, "三") == "二、收到和处理政府信息公开申请情况"
    assert "第二十条第（一）项" in find_sections(text)["二"].body(text)


@pytest.mark.parametrize(
    ("numeral", "table_starts"),
    [("二", "第二十条第（一）项"), ("三", "（本列数据的勾稽关系为"), ("四", "行政复议\t")],
)
def test_a_lost_heading_is_found_by_its_table_header(numeral: str, table_starts: str) -> None:
    text = CONTROL.replace(TITLES[numeral] + "\n", "")
    sections = find_sections(text)
    assert list(sections) == ["一", "二", "三", "四", "五", "六"]
    assert sections[numeral].body(text).startswith(table_starts)
    assert detect_template(text, sections) == "2021"


def test_headings_numbered_otherwise_or_not_at_all() -> None:
    text = (
        CONTROL.replace(TITLES["二"], "（二）主动公开政府信息情况")
        .replace(TITLES["三"], "第三部分 收到和处理政府信息公开申请情况")
        .replace(TITLES["四"], "## 政府信息公开行政复议、行政诉讼情况")
        .replace(TITLES["六"], "其他需要报告的事项")
    )
    assert list(find_sections(text)) == ["一", "二", "三", "四", "五", "六"]
    assert heading_at(text, "三") == "第三部分 收到和处理政府信息公开申请情况"


def test_a_table_of_contents_is_not_taken_for_the_sections() -> None:
    contents = "目录\n" + "\n".join(TITLES.values()) + "\n\n"
    start = CONTROL.index("一、总体情况")
    text = CONTROL[:start] + contents + CONTROL[start:]
    sections = find_sections(text)
    for numeral in ("二", "三", "四"):
        assert sections[numeral].heading_start > text.index("\n\n", text.index("目录"))
    assert "本年制发件数" in sections["二"].body(text)


def test_titles_mentioned_in_a_sentence_are_not_headings() -> None:
    text = CONTROL.replace(
        "依申请公开工作规范有序。",
        "依申请公开工作规范有序。报告包括主动公开政府信息情况、收到和处理政府信息公开申请情况等。",
    )
    assert heading_at(text, "二") == TITLES["二"] and heading_at(text, "三") == TITLES["三"]


def test_a_web_page_on_one_line_keeps_its_sections() -> None:
    text = CONTROL.replace("\n", " ")
    assert list(find_sections(text)) == ["一", "二", "三", "四", "五", "六"]


def test_a_prose_report_numbering_its_problems_fourth_gets_section_five() -> None:
    text = (
        "一、概述\n正文。\n二、主动公开政府信息情况\n公开信息100条。\n"
        "四、政府信息公开工作存在的主要问题及改进情况\n人手不足。\n"
    )
    assert list(find_sections(text)) == ["一", "二", "五"]
    assert detect_template(text, find_sections(text)) == "prose"


def test_odd_text_has_no_sections() -> None:
    for text in ("", "\n" * 50, "主要问题" * 3000, "一、" * 5000):
        assert isinstance(find_sections(text), dict)
