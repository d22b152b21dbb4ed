"""Every page over a database whose agency, file names, reviewers, explanations, roster and work plan carry Markdown
and HTML: what the pages render shows the payload as text, escaped, and never makes a link, an image or a style."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from loaders import review, roster, store, workplan
from loaders.model import Given
from tests import dbutil
from tests.apptest_support import dashboard_pages, run_page

REPORTS = Path(__file__).parent / "fixtures" / "reports"

# Each payload kind: what an attacker writes, and how it must reach Streamlit's Markdown (every sign escaped, a bare
# URL or address split by a word joiner). No payload holds a "/", so that each also fits in a file name.
PAYLOADS = {
    "link": ("[x](https:evil.example)", r"\[x\]\(https\:evil\.example\)"),
    "image": ("![b](https:evil.example)", r"\!\[b\]\(https\:evil\.example\)"),
    "html_img": ("<img src=https:evil.example>", r"\<img src\=https\:evil\.example\>"),
    "html_link": ("<a href=https:evil.example>y", r"\<a href\=https\:evil\.example\>y"),
    "colour": (":red[x]", r"\:red\[x\]"),
    "bold": ("**bold**", r"\*\*bold\*\*"),
    "math": ("$x^2$", r"\$x\^2\$"),
    "bare_url": ("www.evil.example", "www\u2060\\.evil\\.example"),  # GFM links it even escaped: split
    "email": ("a@evil.example", "a\\@\u2060evil\\.example"),
}
ALL = " ".join(raw for raw, _ in PAYLOADS.values())

# Each field: the marker that tells it apart, then every payload (a reviewer's name is short: one reviewer per kind).
AGENCY = f"甲单位 {ALL}"
REPORT_FILE = f"乙文件 {ALL}.txt"
NOTE = f"丙说明 {ALL}"
ROSTER_UNIT = f"丁名册单位 {ALL}"
ROSTER_FILE = f"戊名册 {ALL}.csv"
WORKPLAN_FILE = f"己要点 {ALL}.txt"
REVIEWERS = {kind: f"庚{raw}" for kind, (raw, _) in PAYLOADS.items()}
FIELDS = {
    "agency": "甲单位",
    "report file": "乙文件",
    "explanation": "丙说明",
    "roster unit": "丁名册单位",
    "roster file": "戊名册",
    "work-plan file": "己要点",
    "reviewer": "庚",
}

# Proto fields that Streamlit renders as Markdown, and elements whose text it shows as is (or draws, as charts).
MARKDOWN_FIELDS = ("body", "label", "help", "text")
PLAIN_ELEMENTS = {"text", "code", "arrow_data_frame", "plotly_chart", "json", "exception"}


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The database: the office's 2021 report (and a 2020 one, for 雷同) under a hostile agency and file name, a
    finding explained and corrected by hostile reviewers, a hostile roster whose hostile unit reports too, and a
    hostile work plan. Returns the database, the
    2021 report's id and the key of one of its findings."""
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "reports.duckdb"
    current = folder / REPORT_FILE
    shutil.copy(REPORTS / "zhangdian-district-gov-office-2021.txt", current)
    earlier = folder / "上年.txt"
    earlier.write_bytes(current.read_bytes() + "\n另有一句不同的话。\n".encode())
    unit = folder / "单位.txt"  # a unit of the roster that answers to the agency, with a report of its own
    shutil.copy(REPORTS / "zhangdian-district-gov-2021.txt", unit)
    given = {current.name: Given(AGENCY, 2021), earlier.name: Given(AGENCY, 2020), unit.name: Given(ROSTER_UNIT, 2021)}
    store.ingest([current, earlier, unit], db, progress=False, given=lambda path: given[path.name])
    report_id = dbutil.current_report_id(db, AGENCY, 2021)
    finding_key = dbutil.rows(db, "select finding_key from findings where report_id = ? limit 1", [report_id])[0][0]
    for i, name in enumerate(REVIEWERS.values()):
        status = ("已说明", "待核实")[i % 2]
        review.review_finding(db, finding_key, name, note=f"{NOTE} {i}", status=status)
    stated = "select metric, applicant, value from figures where report_id = ? and value is not null limit 1"
    metric, applicant, value = dbutil.rows(db, stated, [report_id])[0]
    review.correct_figure(db, report_id, metric, applicant, value + 1, NOTE, REVIEWERS["link"], finding_key)
    csv = f"单位,上级,层级,类型,同类组\n{AGENCY},,区县级,政府办公室,\n{ROSTER_UNIT},{AGENCY},区县级,部门,\n"
    roster.import_roster_bytes(csv.encode(), ROSTER_FILE, db)
    workplan.import_workplan_bytes((REPORTS / "zhoucun-district-workplan-2021.txt").read_bytes(), WORKPLAN_FILE, db)
    return db, report_id, finding_key


def rendered(at) -> list[tuple[str, str, str]]:
    """Every text the page handed to Streamlit's Markdown or HTML: (element type, proto field, text)."""
    found = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is None or kind in PLAIN_ELEMENTS or not hasattr(proto, "ListFields"):
            continue
        found.extend(_strings(proto, kind))
    return found


def _strings(proto, kind: str) -> list[tuple[str, str, str]]:
    """The Markdown-rendered string fields of a proto, looking into nested messages (a block's expander label)."""
    found = []
    for descriptor, value in proto.ListFields():
        if descriptor.message_type is not None:
            for message in value if descriptor.is_repeated else [value]:
                found.extend(_strings(message, kind) if hasattr(message, "ListFields") else [])
        elif descriptor.name in MARKDOWN_FIELDS and isinstance(value, str):
            found.append((kind, descriptor.name, value))
    return found


def literal(markdown: str) -> str:
    """The text a Markdown string shows once its backslash escapes are read (word joiners are invisible)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


def active(markdown: str) -> list[str]:
    """The payloads whose syntax survives in a Markdown string: each escaped sign blanked out, the raw payload found."""
    unescaped = re.sub(r"\\[!-/:-@\[-`{-~]", "\x00", markdown)
    return [kind for kind, (raw, _) in PAYLOADS.items() if raw in unescaped]


def chart_texts(at) -> list[str]:
    """Every string of every Plotly chart the page draws (its data and layout), as the browser receives them."""
    found: list[str] = []
    for node in at._tree:
        if getattr(node, "type", "") == "plotly_chart":
            _walk_strings(json.loads(node.proto.spec), found)
    return found


def _walk_strings(value, found: list[str]) -> None:
    """Collect the strings of a JSON value."""
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _walk_strings(item, found)
    elif isinstance(value, list):
        for item in value:
            _walk_strings(item, found)


def page_runs(report_id: str, finding_key: str) -> list[tuple[str, dict]]:
    """Every page with the hostile agency and roster unit picked in the sidebar; the report and the finding named
    where a page shows one."""
    query = {"agency": [AGENCY, ROSTER_UNIT]}
    extra = {"app_pages/report.py": {"report": report_id}, "app_pages/findings.py": {"finding": finding_key}}
    return [(file, {**query, **extra.get(file, {})}) for file, *_ in dashboard_pages()]


def test_every_page_shows_hostile_text_escaped(hostile_db, monkeypatch: pytest.MonkeyPatch) -> None:
    db, report_id, finding_key = hostile_db
    monkeypatch.setenv("GOVREPORT_DB", str(db))
    problems, seen, charted = [], set(), set()
    for page, query in page_runs(report_id, finding_key):
        at = run_page(page, query)
        for text in chart_texts(at):  # Plotly draws its own HTML subset: <a href> links, <span style> styles
            charted |= {page for marker in FIELDS.values() if marker in text}
            problems += [(page, "plotly", raw) for raw, _ in PAYLOADS.values() if raw.startswith("<") and raw in text]
        for kind, field, text in rendered(at):
            shown = html.unescape(text) if kind == "html" else literal(text)
            for name, marker in FIELDS.items():
                if marker in shown:
                    seen.add((name, page))
            if kind == "html":
                problems += [(page, kind, raw) for raw, _ in PAYLOADS.values() if raw.startswith("<") and raw in text]
                continue
            if active(text):
                problems.append((page, f"{kind}.{field}", active(text), text[:300]))
            for raw, escaped in PAYLOADS.values():
                if raw in shown and escaped not in text:
                    problems.append((page, f"{kind}.{field}", f"not escaped as {escaped}", text[:300]))
    pages = {page for _, page in seen}
    print(f"\n{len(PAYLOADS)} payload kinds x {len(seen)} (field, page) pairs over {len(pages)} pages: {sorted(seen)}")
    assert not problems, problems
    assert {name for name, _ in seen} == set(FIELDS)
    assert len(charted) >= 5, charted  # the hostile names do reach the charts of the analysis pages


def test_line_breaks_never_start_a_block() -> None:
    from ui.textview import markdown_text

    assert markdown_text("甲\n# 乙\r\n- 丙\r> 丁") == "甲  \n\\# 乙  \n\\- 丙  \n\\> 丁"


def test_bare_urls_are_split_where_gfm_would_link_them() -> None:
    from ui.textview import markdown_text

    assert markdown_text("http://a.cn WWW.b.cn") == "http\u2060\\://a\\.cn WWW\u2060\\.b\\.cn"
