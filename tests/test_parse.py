"""The parser's entry points on whole, cut and odd reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from loaders.model import ReportError
from loaders.parse import parse_bytes, parse_file, parse_text
from loaders.sections import find_sections

REPORTS = Path(__file__).parent / "fixtures" / "reports"
GOV = REPORTS / "zhangdian-district-gov-2021.txt"


@pytest.mark.parametrize("cut", [9000, 15000, 20000, 26000, 30000])
def test_a_report_cut_short_is_refused_with_both_languages(tmp_path: Path, cut: int) -> None:
    path = tmp_path / f"cut{cut}.txt"
    path.write_bytes(GOV.read_bytes()[:cut])
    with pytest.raises(ReportError) as err:
        parse_file(path)
    assert "报告不完整" in str(err.value) and "truncated report" in str(err.value) and path.name in str(err.value)


def test_a_whole_report_is_not_taken_for_a_cut_one() -> None:
    for path in REPORTS.glob("*.txt"):
        parse_file(path)  # raises on a false alarm


def test_bytes_text_and_file_give_the_same_figures() -> None:
    data = GOV.read_bytes()
    by_file = parse_file(GOV)
    by_bytes = parse_bytes(data, GOV.name)
    by_text = parse_text(data.decode("utf-8"), GOV.name)
    key = [(f.metric, f.applicant, f.value) for f in by_file.figures]
    assert key == [(f.metric, f.applicant, f.value) for f in by_bytes.figures]
    assert key == [(f.metric, f.applicant, f.value) for f in by_text.figures]
    assert by_file.content_hash == by_bytes.content_hash


def test_gb18030_file_gives_the_figures_of_the_utf8_one(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(GOV.read_text(encoding="utf-8").encode("gb18030", errors="replace"))
    gbk = {(f.metric, f.applicant): f.value for f in parse_file(path).figures if f.kind == "table"}
    utf8 = {(f.metric, f.applicant): f.value for f in parse_file(GOV).figures if f.kind == "table"}
    assert gbk == utf8


def test_a_table_beats_prose_and_each_key_appears_once() -> None:
    report = parse_file(GOV)
    keys = [f.key() for f in report.figures]
    assert len(keys) == len(set(keys))
    granted = next(f for f in report.figures if f.key() == ("outcome.granted", "total"))
    assert granted.kind == "table"
    assert any(m.metric == "outcome.granted" and m.percent == pytest.approx(58.10) for m in report.mentions)


def test_prose_report_takes_request_counts_from_its_sentences() -> None:
    report = parse_file(REPORTS / "zhangdian-district-gov-2014.txt")
    fig = next(f for f in report.figures if f.key() == ("requests.new", "total"))
    assert (fig.value, fig.kind) == (15, "prose")
    assert "申请总数为15件" in fig.sentence


# --- prose filling blank table cells --------------------------------------------------------------

CONTROL = Path(__file__).parent / "fixtures" / "shapes" / "00_control.txt"
REVIEW_ROW = "3\t1\t0\t1\t5\t1\t0\t0\t1\t2"
OVERVIEW = "全年主动公开政府信息310条，"


def control_with(*changes: tuple[str, str]) -> str:
    """The control report's text with passages replaced (each must occur exactly once)."""
    text = CONTROL.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_a_number_the_prose_states_fills_a_blank_cell() -> None:
    text = control_with((REVIEW_ROW, "3\t1\t0\t1\t\t1\t0\t0\t1\t2"), (OVERVIEW, OVERVIEW + "政府信息公开行政复议5件，"))
    report = parse_text(text, "blank.txt")
    fig = next(f for f in report.figures if f.key() == ("review.total", None))
    assert (fig.value, fig.raw, fig.kind, fig.qualifier) == (5, "", "prose", "from_prose")
    assert (fig.section, fig.row_label, fig.col_label) == ("四", "行政复议", "总计")
    assert text.splitlines()[fig.line - 1].startswith("3\t1\t0\t1\t\t1")  # the blank cell's own line
    assert "行政复议5件" in fig.sentence
    mention = next(m for m in report.mentions if m.key() == ("review.total", None))
    assert (mention.raw, mention.kind) == ("5件", "prose")


def test_a_blank_cell_stays_blank_without_a_single_plain_statement() -> None:
    blank = (REVIEW_ROW, "3\t1\t0\t1\t\t1\t0\t0\t1\t2")
    for prose in ("政府信息公开行政复议5件，", "政府信息公开行政复议5件，行政复议6件，", "政府信息公开行政复议约5件，"):
        report = parse_text(control_with(blank, (OVERVIEW, OVERVIEW + prose)), "blank.txt")
        fig = next(f for f in report.figures if f.key() == ("review.total", None))
        if prose == "政府信息公开行政复议5件，":
            assert fig.value == 5
        else:
            assert (fig.value, fig.raw, fig.kind, fig.qualifier) == (None, "", "table", None), prose


def test_a_cell_printed_as_a_slash_is_not_filled() -> None:
    text = control_with(
        (REVIEW_ROW, "3\t1\t0\t1\t/\t1\t0\t0\t1\t2"), (OVERVIEW, OVERVIEW + "政府信息公开行政复议5件，")
    )
    fig = next(f for f in parse_text(text, "slash.txt").figures if f.key() == ("review.total", None))
    assert (fig.value, fig.raw, fig.kind) == (None, "/", "table")


RENUMBERED = Path(__file__).parent / "fixtures" / "shapes" / "C1_renumbered_sections.txt"


def test_a_report_renumbering_its_sections_is_whole() -> None:
    report = parse_file(RENUMBERED)
    assert report.sections == ["一", "二", "三", "四", "五", "六"] and report.template == "2021"


@pytest.mark.parametrize(
    "cut_before", ["一、主动公开政府信息情况", "1.属于国家秘密", "三、政府信息公开行政复议", "行政复议\t"]
)
def test_a_renumbered_report_cut_short_is_still_refused(cut_before: str) -> None:
    text = RENUMBERED.read_text(encoding="utf-8")
    with pytest.raises(ReportError, match="报告不完整"):
        parse_text(text[: text.index(cut_before)], "cut.txt")


# ---------------------------------------------------------------- fragments cut before the tables

TEMPLATED = (
    "012_pingtan_zone_2019.txt",
    "014_pingtan_zone_2021.txt",
    "016_pingtan_zone_2023.txt",
    "022_hongze_district_gov_2023_pdf_raw.txt",
    "shizhong-district-health-bureau-2021.txt",
    "zhangdian-district-gov-2021.txt",
    "zhangdian-district-gov-office-2021.txt",
)
CUTS = ("一 heading", "一 third", "一 mid-line", "一 end", "二 half heading", "二 heading")


def _cut_at(text: str, where: str) -> int:
    """An offset in a whole report's text: inside section 一, or at and inside section 二's heading."""
    sections = find_sections(text)
    one, two = sections["一"], sections["二"]
    third = one.start + (one.end - one.start) // 3
    return {
        "一 heading": one.start,
        "一 third": text.rfind("\n", one.start, third) if "\n" in text[one.start : third] else third,
        "一 mid-line": (one.start + 2 * one.end) // 3,
        "一 end": one.end,
        "二 half heading": (two.heading_start + two.start) // 2,
        "二 heading": two.start,
    }[where]


@pytest.mark.parametrize("where", CUTS)
@pytest.mark.parametrize("name", TEMPLATED)
def test_a_templated_report_cut_before_its_tables_is_refused(name: str, where: str) -> None:
    text = parse_file(REPORTS / name).text
    fragment = text[: _cut_at(text, where)]
    with pytest.raises(ReportError) as err:
        parse_text(fragment, f"cut-{name}")
    message = str(err.value)
    assert f"cut-{name}" in message and "报告不完整" in message and "truncated report" in message
    assert "统计表格" in err.value.zh and "statistics tables" in err.value.en
    last_words = fragment.rstrip().rsplit("\n", 1)[-1].strip()[-8:]
    assert last_words in err.value.zh and last_words in err.value.en  # where it ends


@pytest.mark.parametrize("name", TEMPLATED)
def test_a_fragment_without_its_year_is_refused_by_what_it_says(name: str) -> None:
    # No year anywhere: the template's titles, notices and the parts of section 一 still tell the template.
    text = parse_file(REPORTS / name).text
    for where in ("一 end", "二 heading"):
        fragment = re.sub(r"20[12]\d", "", text[: _cut_at(text, where)])
        with pytest.raises(ReportError, match="报告不完整"):
            parse_text(fragment, "cut.txt")


@pytest.mark.parametrize("name", ["012_pingtan_zone_2019.txt", "zhangdian-district-gov-office-2021.txt"])
def test_a_title_and_introduction_listing_the_template_parts_is_refused(name: str) -> None:
    text = parse_file(REPORTS / name).text
    with pytest.raises(ReportError, match="标题和导语"):
        parse_text(text[: find_sections(text)["一"].heading_start], "cut.txt")


def test_every_report_of_the_samples_and_fixtures_still_parses() -> None:
    # Free-prose reports from before 2019 have no tables at all and are whole.
    folders = (REPORTS, REPORTS.parent.parent.parent / "sample_data")
    paths = [p for folder in folders for p in sorted(folder.glob("*.txt"))]
    prose = [p.name for p in paths if parse_file(p).template == "prose"]
    assert len(prose) >= 8 and "zhangdian-district-gov-2014.txt" in prose
