"""Every flattening of every figure set parses back to exactly the figures it was rendered from.

tests/flatten.py writes a whole report from a complete set of canonical figures in one of the flattenings real
reports reach us in. The parser must give back every figure with its value, its printed digits and the line it
stands on; invent none; and where glued digits have no unique split under the template's arithmetic, state no
value for the cells in doubt and say so in a finding. The second half tests the renderer itself.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path

import pytest

from loaders.keys import APPLICANT_KEYS, METRICS, SECTION2_ROWS, SECTION3_ROWS, SECTION4_KEYS
from loaders.model import Figure, Finding, Report
from tests import flatten as fl

CASES = [(s, f) for s in fl.SETS for f in fl.FLATTENINGS]
REPORTS = Path(__file__).resolve().parent / "fixtures" / "reports"


@functools.cache
def parsed(set_name: str, flattening: str) -> tuple[str, Report]:
    """The rendered text and the parser's report of it (each case parsed once)."""
    from loaders.parse import parse_text  # imported here: the renderer's own tests run without the parser

    text = fl.render(fl.SETS[set_name], fl.FLATTENINGS[flattening])
    return text, parse_text(text, source=f"{set_name}.{flattening}.txt")


def is_prose_metric(metric: str) -> bool:
    """True for figures that only prose states (proactive.items, npc.*, ...): no table cell stands for them."""
    return metric in METRICS and METRICS[metric].section == "prose"


def table_figures(report: Report) -> dict[tuple[str, str | None], Figure]:
    """The report's figures that tables state, by key (the first, should a key come twice)."""
    out: dict[tuple[str, str | None], Figure] = {}
    for figure in report.figures:
        if not is_prose_metric(figure.metric):
            out.setdefault(figure.key(), figure)
    return out


def finding_text(finding: Finding) -> str:
    """Everything a finding says, to look for a row's digits or label in it."""
    return f"{finding.message} {finding.cells}"


def figure_problem(key: tuple, exp: fl.Expected, fig: Figure | None) -> str | None:
    """Why the parser's figure does not match the rendered cell, or None when it does."""
    if not exp.settled:
        guessed = fig is not None and fig.value is not None
        return f"{key}: guessed {fig.value!r} from glued {exp.row_text!r}" if guessed else None
    if fig is None:
        return f"{key}: missing (printed {exp.printed!r})"
    if fig.value != exp.value:
        return f"{key}: value {fig.value!r}, printed {exp.printed!r} (expected {exp.value!r})"
    core = fl.printed_core(exp.printed)
    if core not in fl.plain(fig.raw) or (not core and fl.plain(fig.raw)):
        return f"{key}: raw {fig.raw!r} does not hold the printed {core or '(blank)'!r}"
    return None


def line_problem(key: tuple, exp: fl.Expected, fig: Figure | None, lines: list[str]) -> str | None:
    """Why the figure's line does not show its printed digits, or None when it does (or nothing is printed).

    Only figures read right are checked here; wrong or missing ones fail the value test.
    """
    core = fl.printed_core(exp.printed)
    if fig is None or fig.value != exp.value or not exp.settled or not core:
        return None
    if fig.line is None or not 1 <= fig.line <= len(lines):
        return f"{key}: line {fig.line!r} is not a line of the text"
    if core not in fl.plain(lines[fig.line - 1]):
        return f"{key}: line {fig.line} {lines[fig.line - 1].strip()[:60]!r} does not show {core!r}"
    return None


def first_problems(problems: list[str | None], limit: int = 5) -> list[str]:
    """The first few real problems, in printed order."""
    return [p for p in problems if p][:limit]


# --- the parser against every flattening ---------------------------------------------------------


@pytest.mark.parametrize(("set_name", "flattening"), CASES)
def test_every_figure_comes_back_with_its_value_and_raw(set_name: str, flattening: str):
    _, report = parsed(set_name, flattening)
    figures = table_figures(report)
    expected = fl.expected_figures(fl.SETS[set_name], fl.FLATTENINGS[flattening])
    problems = [figure_problem(key, exp, figures.get(key)) for key, exp in expected.items()]
    bad = first_problems(problems)
    assert not bad, f"{sum(map(bool, problems))} of {len(expected)} figures wrong; first: {bad}"


@pytest.mark.parametrize(("set_name", "flattening"), CASES)
def test_no_figure_is_invented_or_given_twice(set_name: str, flattening: str):
    _, report = parsed(set_name, flattening)
    expected = fl.expected_figures(fl.SETS[set_name], fl.FLATTENINGS[flattening])
    keys = Counter(f.key() for f in report.figures if not is_prose_metric(f.metric))
    invented = [key for key in keys if key not in expected]
    twice = [key for key, count in keys.items() if count > 1]
    assert not invented, f"figures the tables do not print: {invented[:5]}"
    assert not twice, f"figures given more than once: {twice[:5]}"


@pytest.mark.parametrize(("set_name", "flattening"), CASES)
def test_every_figure_points_at_a_line_showing_its_digits(set_name: str, flattening: str):
    text, report = parsed(set_name, flattening)
    figures, lines = table_figures(report), text.splitlines()
    expected = fl.expected_figures(fl.SETS[set_name], fl.FLATTENINGS[flattening])
    problems = [line_problem(key, exp, figures.get(key), lines) for key, exp in expected.items()]
    bad = first_problems(problems)
    assert not bad, f"{sum(map(bool, problems))} figures point at the wrong line; first: {bad}"


@pytest.mark.parametrize(("set_name", "flattening"), CASES)
def test_template_is_recognised_in_every_flattening(set_name: str, flattening: str):
    _, report = parsed(set_name, flattening)
    assert report.template == fl.SETS[set_name].template


@pytest.mark.parametrize("set_name", list(fl.SETS))
def test_glued_rows_in_doubt_are_named_in_a_finding(set_name: str):
    _, report = parsed(set_name, "glued")
    expected = fl.expected_figures(fl.SETS[set_name], fl.FLATTENINGS["glued"])
    said = [finding_text(f) for f in report.findings]
    doubtful = {(e.row_text, e.row_words) for e in expected.values() if not e.settled and e.row_text}
    silent = [text for text, words in doubtful if not any(text in s or any(w in s for w in words) for s in said)]
    assert not silent, f"glued rows without a unique split and no finding about them: {silent}"


def test_glued_normative_docs_row_is_not_guessed():
    text, report = parsed("synthetic-2021", "glued")
    assert "行政规范性文件693665" in text  # 69|3|665, 6|93|665, 69|36|65 ...: nothing pins one
    figures = table_figures(report)
    for metric in ("normative_docs.issued", "normative_docs.repealed", "normative_docs.in_force"):
        figure = figures.get((metric, None))
        assert figure is None or figure.value is None, f"{metric} guessed as {figure.value}"
    assert any("693665" in finding_text(f) or "规范性文件" in finding_text(f) for f in report.findings)


# --- the figure sets -----------------------------------------------------------------------------


def template_keys(template: str) -> set[tuple[str, str | None]]:
    """Every cell the template's three tables print."""
    s2 = {(m, None) for row in SECTION2_ROWS[template] for m in row.metrics}
    s3 = {(row.metric, a) for row in SECTION3_ROWS[template] for a in APPLICANT_KEYS}
    return s2 | s3 | {(k, None) for k in SECTION4_KEYS}


# What a set leaves out of its template, because the source report prints no such row.
NOT_PRINTED = {
    "shizhong-district-health-bureau-2021": {("procurement.items", None), ("procurement.amount_wan_yuan", None)}
}


@pytest.mark.parametrize("set_name", list(fl.SETS))
def test_figure_set_covers_every_cell_of_its_template(set_name: str):
    figset = fl.SETS[set_name]
    assert set(figset.cells) == template_keys(figset.template) - NOT_PRINTED.get(set_name, set())


_PRINTED_NUMBER = re.compile(r"(\[bookmark: [^\]]*\])?(增|减)?\d+(\.\d+)?")


def source_numbers(path: Path) -> list[str]:
    """Every cell of the tables in a real report that is a number alone, in printed order (二 to 四)."""
    text = path.read_text(encoding="utf-8")
    start = text.index(fl.HEADINGS["二"])
    end = re.search(r"^\s*五、", text[start:], flags=re.MULTILINE).start() + start
    fields = [f.strip() for line in text[start:end].splitlines() for f in line.split("\t")]
    return [f for f in fields if _PRINTED_NUMBER.fullmatch(f)]


# Cells a source prints beyond the canonical set: the office report has sixteen zeros for fifteen cells.
EXTRA_PRINTED = {"zhangdian-district-gov-office-2021": ["0"]}


@pytest.mark.parametrize("set_name", [n for n in fl.SETS if (REPORTS / f"{n}.txt").exists()])
def test_real_figure_set_matches_its_source_report(set_name: str):
    figset = fl.SETS[set_name]
    printed = [figset.cells[k] for t in fl.FLATTENINGS["word"].tables(figset) for _, _, k in fl.value_cells(t)]
    source = source_numbers(REPORTS / f"{set_name}.txt")
    assert source[: len(printed)] == printed
    assert source[len(printed) :] == EXTRA_PRINTED.get(set_name, [])


@pytest.mark.parametrize("figset", [fl.SYNTHETIC_2021, fl.SYNTHETIC_2019], ids=lambda s: s.name)
def test_synthetic_set_reconciles_where_numbers_are_printed(figset: fl.FigureSet):
    value = {k: fl.cell_value(raw) or 0.0 for k, raw in figset.cells.items()}
    rows = SECTION3_ROWS[figset.template]
    outcome_rows = [r.metric for r in rows if r.metric.startswith("outcome.")][:-1]
    for a in APPLICANT_KEYS:
        assert value["requests.new", a] + value["requests.carried_over", a] == (
            value["outcome.total", a] + value["requests.carried_forward", a]
        ), f"R1 {a}"
        assert sum(value[m, a] for m in outcome_rows) == value["outcome.total", a], f"R2 {a}"
    for row in rows:
        assert sum(value[row.metric, a] for a in APPLICANT_KEYS[:-1]) == value[row.metric, "total"], f"R3 {row}"
    for block in ("review", "litigation.direct", "litigation.after_review"):
        parts = sum(value[f"{block}.{p}", None] for p in ("maintained", "corrected", "other", "pending"))
        assert parts == value[f"{block}.total", None], f"R4 {block}"


# --- reading cells and splitting glued rows ------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "core"),
    [
        ("12", 12.0, "12"),
        ("00", 0.0, "00"),
        ("增7", 7.0, "7"),
        ("减3", -3.0, "3"),
        ("-3", -3.0, "3"),
        (f"{fl.MARKER}1", 1.0, "1"),
        ("１２", 12.0, "12"),
        ("19318.93442", 19318.93442, "19318.93442"),
        ("/", None, "/"),
        ("—", None, "—"),
        ("", None, ""),
    ],
)
def test_printed_cell_reads_as_its_value(raw: str, value: float | None, core: str):
    assert fl.cell_value(raw) == value
    assert fl.printed_core(raw) == core


S3_KEYS = [("requests.new", a) for a in APPLICANT_KEYS]


def test_glued_row_splits_by_its_total():
    # pingtan 2021 prints 本年新收 as "640020470": 64,0,0,2,0,4 add up to 70, and nothing else does
    assert fl.glued_candidates(["640020470"], S3_KEYS, "三") == [("64", "0", "0", "2", "0", "4", "70")]


def test_glued_row_without_arithmetic_has_many_splits():
    keys = [("normative_docs.issued", None), ("normative_docs.repealed", None), ("normative_docs.in_force", None)]
    splits = fl.glued_candidates(["693665"], keys, "二")
    assert ("69", "3", "665") in splits and ("6", "93", "665") in splits


def test_glued_section4_splits_by_each_block_total():
    # pingtan 2021: "10203120001200000" is 1|0|2|0|3, 12|0|0|0|12, 0|0|0|0|0
    keys = [(k, None) for k in SECTION4_KEYS]
    expected = ("1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0")
    assert fl.glued_candidates(["10203120001200000"], keys, "四") == [expected]


def test_glued_split_gives_no_cell_a_leading_zero():
    assert fl.glued_candidates(["0", "00", "0", "0", "0", "0", "0"], S3_KEYS, "三") == []


@pytest.mark.parametrize("set_name", list(fl.SETS))
def test_glued_cells_the_arithmetic_settles_are_the_printed_ones(set_name: str):
    figset = fl.SETS[set_name]
    for table in fl.FLATTENINGS["glued"].tables(figset):
        for key, text in fl.glued_determined(table).items():
            assert text is None or text == fl.plain(figset.cells[key]), key


@pytest.mark.parametrize("set_name", list(fl.SETS))
def test_glued_rows_with_a_blank_cell_have_no_split(set_name: str):
    # A blank cell leaves no trace in glued text, so such a row must not split cleanly into a wrong reading.
    figset = fl.SETS[set_name]
    for table in fl.FLATTENINGS["glued"].tables(figset):
        for row in table.body():
            cells = [row.slots[c] for c, k in enumerate(row.keys) if k]
            keys = [k for k in row.keys if k]
            if "" in cells:
                assert fl.glued_candidates(cells, keys, table.section) == [], keys[0]


# --- the renderings ------------------------------------------------------------------------------


@pytest.mark.parametrize(("set_name", "flattening"), CASES)
def test_headings_stay_on_their_own_lines(set_name: str, flattening: str):
    figset = fl.SETS[set_name]
    lines = set(fl.render(figset, fl.FLATTENINGS[flattening]).splitlines())
    headings = [*fl.HEADINGS.values(), *(figset.prose[n].split("\n")[0] for n in ("一", "五", "六"))]
    assert all(h in lines for h in headings)


def test_every_flattening_renders_differently():
    texts = {name: fl.render(fl.SYNTHETIC_2021, f) for name, f in fl.FLATTENINGS.items()}
    assert len(set(texts.values())) == len(texts)


@pytest.mark.parametrize("flattening", list(fl.FLATTENINGS))
def test_line_endings_are_all_crlf_or_all_lf(flattening: str):
    text = fl.render(fl.SYNTHETIC_2021, fl.FLATTENINGS[flattening])
    bare = len(re.findall(r"(?<!\r)\n", text))
    assert bare == (0 if fl.FLATTENINGS[flattening].crlf else text.count("\n"))


def test_broken_label_and_vertical_header_print_as_converters_do():
    text = fl.render(fl.SYNTHETIC_2021, fl.FLATTENINGS["word-everything"]).replace("\r\n", "\n")
    assert "\t（二）部分公开（区分处理的，只计这一情\n形，不计其他情形）\n" in text
    assert "\t三\n、\n本\n年\n度\n办\n理\n结\n果\n" in text


@pytest.mark.parametrize("flattening", list(fl.FLATTENINGS))
def test_checked_in_example_is_what_the_renderer_writes(flattening: str):
    path = fl.example_path(fl.FLATTENINGS[flattening])
    assert path.read_bytes() == fl.render(fl.SYNTHETIC_2021, fl.FLATTENINGS[flattening]).encode("utf-8"), (
        f"{path.name} drifted: run `python -m tests.flatten` and review the diff"
    )
