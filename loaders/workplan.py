"""Import the 任务分解表 of a work plan (工作要点): one task per numbered row, with the units that carry it.

The table reaches us from text (the agency-site layout: a cell per tab-indented line, rows apart by blank lines;
or a row per line with tab-separated cells), Word and Excel. Merged cells arrive as blank cells, so a blank
grouping, unit or deadline cell repeats the value above ("filled down"); a grouping column that changes resets
the columns below it. Units are split at 、，；, and at 和/及/等 joining two names of bodies ("…管委会和区政府各部门").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from loaders import audit, formats, history, meta, store, textio
from loaders.accounts import Account, authorize, local_user
from loaders.formats.sniff import sniff
from loaders.model import ReportError

# Header spellings (spaces removed) of each kind of column.
NUMBER_HEADERS = ("序号", "编号", "序")
LEAD_HEADERS = ("牵头单位", "牵头部门", "牵头责任单位")
RESPONSIBLE_HEADERS = ("责任单位", "责任部门", "承办单位", "主办单位", "落实单位", "责任主体")
COOPERATING_HEADERS = ("配合单位", "配合部门", "协办单位", "参与单位", "协同单位", "协助单位")
DEADLINE_HEADERS = ("完成时限", "完成时间", "时间要求", "时限", "时间节点", "完成期限", "时限要求", "进度安排")
TEXT_HEADERS = (
    "工作举措",
    "具体措施",
    "工作措施",
    "主要措施",
    "任务内容",
    "工作内容",
    "具体任务",
    "工作要求",
    "重点任务",
    "主要任务",
    "任务举措",
    "工作任务",
    "任务",
)  # fmt: skip; the first one a header has is the text column, so the more specific spellings come first
UNIT_HEADERS = LEAD_HEADERS + RESPONSIBLE_HEADERS + COOPERATING_HEADERS

_SPACES = re.compile(r"\s+")
_UNIT_SEPARATORS = re.compile(r"[\n\s、，,；;／/]+")
# 和/及/等 between two names of bodies: the left part ends like a body's name, the right starts like one.
_JOINED = re.compile(r"(?<=[局委办室处会院府心位门所站队司团馆厅部])(?:以及|和|及|与|等)(?=[区市县镇乡街各省])")
_LABEL = re.compile(r"^[^：:]{1,20}[：:]")  # "区总体预案：区应急局"
_FIRST_IS_LEAD = re.compile(r"(?:排在|列在|列于|位于)?(?:第一|首)(?:位|个)[^。\n]{0,12}(?:为|是)牵头")
_DEADLINE_IN_TEXT = re.compile(
    r"(?:(?:19|20)\d\d年)?(?:年底|年末|上半年|下半年|[0-9]{1,2}月(?:底|末|中旬|上旬|下旬|[0-9]{1,2}日))前|年内"
)
_PLAN_TITLE = re.compile(r"^\S{0,40}?(?:19|20)\d\d年\S{0,20}?工作要点$")
_PLAN_IN_NOTICE = re.compile(r"印发(?P<plan>\S{2,60}?工作要点)(?:的通知)?")
_YEAR = re.compile(r"((?:19|20)\d\d)年")
_TASK_NUMBER = re.compile(r"\d+(?:[.．-]\d+)*[.、．]?")

_TASK_SCHEMA = {
    "plan": pl.String,
    "year": pl.Int32,
    "issuer": pl.String,
    "position": pl.Int32,
    "task_no": pl.String,
    "category": pl.String,
    "heading": pl.String,
    "task": pl.String,
    "lead_units": pl.List(pl.String),
    "cooperating_units": pl.List(pl.String),
    "units_text": pl.String,
    "deadline": pl.String,
    "line": pl.Int32,
    "location": pl.String,
    "source": pl.String,
}


@dataclass
class Row:
    """A table row as read: its cells, its line (or sheet row) and where it stood in the original file."""

    cells: list[str]
    line: int
    location: str


@dataclass
class Layout:
    """Which columns of the table hold what, from its header."""

    number: int
    groups: list[int]  # grouping columns left of the text, outermost first
    text: int  # the first column of the text span (a merged 工作举措 header may cover a heading and the text)
    span: int  # how many columns the text header covers in the header row
    lead: list[int] = field(default_factory=list)
    responsible: list[int] = field(default_factory=list)
    cooperating: list[int] = field(default_factory=list)
    deadline: int | None = None
    width: int = 0  # cells in the header row


@dataclass
class Task:
    """One task of the plan, merged cells filled down."""

    position: int
    task_no: str | None
    category: str | None
    heading: str | None
    task: str
    lead_units: list[str]
    cooperating_units: list[str]
    units_text: str
    deadline: str | None
    line: int
    location: str


@dataclass
class WorkPlan:
    """A parsed work plan: its title, year, issuer and tasks."""

    source: str
    plan: str
    year: int | None
    issuer: str | None
    tasks: list[Task]

    def units(self) -> list[str]:
        """Every unit named in the plan, in order of first appearance."""
        seen: dict[str, None] = {}
        for task in self.tasks:
            for unit in task.lead_units + task.cooperating_units:
                seen.setdefault(unit, None)
        return list(seen)


# ---------------------------------------------------------------------------------------------------------------
# Reading the table


def parse_workplan(data: bytes, source: str) -> WorkPlan:
    """The work plan in a file of any supported format; ReportError naming the file when it has no task table."""
    if sniff(data, source) == "xlsx":
        from loaders.formats.xlsx import read_sheets

        rows = [
            Row(cells, n, f"{sheet.name} 第{n}行")
            for sheet in read_sheets(data, source)
            for n, cells in enumerate(sheet.rows, start=1)
        ]
        text = "\n".join("\t".join(r.cells) for r in rows)
    else:
        doc = formats.read_document(data, source)
        text = textio.normalise(doc.text)
        rows = text_rows(text, doc.locations)
    return _plan(text, rows, source)


def parse_workplan_file(path: str | Path) -> WorkPlan:
    """The work plan in the file at `path`."""
    return parse_workplan(*textio.read_file(path))


def text_rows(text: str, locations: list[str] | None = None) -> list[Row]:
    """The table rows of a text: a row per line when the header sits on one line with tabs, else cell-per-line
    blocks (each cell on a tab-indented line, untabbed lines continuing the cell above, blank lines between rows)."""
    lines = text.split("\n")
    where = _locator(locations or [])
    if any(_is_header([c.strip() for c in line.split("\t")]) for line in lines if "\t" in line.strip("\t")):
        return [Row(line.split("\t"), n, where(n)) for n, line in enumerate(lines, start=1) if line.strip()]
    return _block_rows(lines, where)


def _locator(locations: list[str]) -> Callable[[int], str]:
    """Where line n sits in the original file: the reader's location, or the line itself for plain text."""

    def where(n: int) -> str:
        return locations[n - 1] if n <= len(locations) else f"第{n}行"

    return where


def _block_rows(lines: list[str], where: Callable[[int], str]) -> list[Row]:
    """Rows of the cell-per-line layout of agency-site documents."""
    rows: list[Row] = []
    cells: list[str] = []
    start = 0
    for n, line in enumerate(lines, start=1):
        if not line.strip() and "\t" not in line:
            if cells:
                rows.append(Row(cells, start, where(start)))
            cells = []
        elif line.startswith("\t"):
            if not cells:
                start = n
            cells.append(line[1:].strip())
        elif cells:
            cells[-1] = f"{cells[-1]}\n{line.strip()}" if cells[-1] else line.strip()
        else:
            rows.append(Row([line.strip()], n, where(n)))  # text outside the table, one cell
    if cells:
        rows.append(Row(cells, start, where(start)))
    return rows


def _norm(cell: str) -> str:
    """A header cell as compared: no spaces of any kind."""
    return _SPACES.sub("", cell)


def _is_header(cells: list[str]) -> bool:
    """A row that heads a task table: a number column and a unit column."""
    names = [_norm(c) for c in cells]
    return any(n in NUMBER_HEADERS for n in names) and any(n in UNIT_HEADERS for n in names)


def layout_of(header: list[str]) -> Layout:
    """The column roles a header row gives; the text column is the first text-like header after the number."""
    names = [_norm(c) for c in header]
    number = next(i for i, n in enumerate(names) if n in NUMBER_HEADERS)
    text = _text_column(names, number)
    named_after = [i for i in range(text + 1, len(names)) if names[i]]
    span = (named_after[0] if named_after else len(names)) - text
    found = Layout(number=number, groups=[], text=text, span=span, width=len(names))
    found.groups = [i for i in range(number + 1, text) if names[i]]
    for i, name in enumerate(names):
        if name in LEAD_HEADERS:
            found.lead.append(i)
        elif name in RESPONSIBLE_HEADERS:
            found.responsible.append(i)
        elif name in COOPERATING_HEADERS:
            found.cooperating.append(i)
        elif name in DEADLINE_HEADERS and found.deadline is None:
            found.deadline = i
    return found


def _text_column(names: list[str], number: int) -> int:
    """Where the task text stands: the most specific text header after the number, else the column after it."""
    for spelling in TEXT_HEADERS:
        for i in range(number + 1, len(names)):
            if names[i] == spelling:
                return i
    return number + 1


# ---------------------------------------------------------------------------------------------------------------
# Rows to tasks


class _Filler:
    """Carries the values of merged (blank) cells down the table."""

    def __init__(self, layout: Layout):
        """Nothing carried yet."""
        self.layout = layout
        self.groups: list[str | None] = []
        self.units: dict[int, str] = {}
        self.deadline: str | None = None

    def group(self, level: int, value: str) -> None:
        """A grouping cell: a new value replaces the carried one and resets the levels below it."""
        while len(self.groups) <= level:
            self.groups.append(None)
        if value and value != self.groups[level]:
            self.groups[level] = value
            del self.groups[level + 1 :]

    def title(self, value: str) -> None:
        """A full-width row naming a category: the outermost group."""
        self.groups = [value]

    def unit_cell(self, column: int, value: str) -> str:
        """A unit cell, or the one above it when blank."""
        if value:
            self.units[column] = value
        return self.units.get(column, "")

    def deadline_cell(self, value: str) -> str | None:
        """A deadline cell, or the one above it when blank."""
        if value:
            self.deadline = value
        return self.deadline


def _aligned(row: Row, layout: Layout, width: int) -> tuple[list[str], list[str]]:
    """(cells by header column, the text span's cells): columns left of the text by position from the left,
    columns right of it from the right, so a header cell merged over several columns still lines up. A row
    shorter than the table's usual `width` lost its trailing cells (blank, or cut off at the end of the file)."""
    cells = [c.strip() for c in row.cells]
    cells += [""] * (width - len(cells))
    right_count = layout.width - layout.text - layout.span
    span_width = max(1, len(cells) - layout.text - right_count)
    span = cells[layout.text : layout.text + span_width]
    right = cells[layout.text + span_width :]
    by_header = cells[: layout.text] + [""] * layout.span + right
    return by_header, span


def _usual_width(rows: list[Row], layout: Layout) -> int:
    """How many cells the table's rows usually have: at least the header's (a merged header cell spans more)."""
    widths = Counter(len(r.cells) for r in rows if sum(1 for c in r.cells if c.strip()) > 1)
    return max(widths.most_common(1)[0][0] if widths else 0, layout.width)


def _tasks(rows: list[Row], layout: Layout, first_is_lead: bool) -> list[Task]:
    """The tasks under a header, in order, with blank merged cells filled from above."""
    filler = _Filler(layout)
    width = _usual_width(rows, layout)
    tasks: list[Task] = []
    for row in rows:
        filled = [c for c in row.cells if c.strip()]
        if not filled:
            continue
        if _is_header(row.cells):
            continue  # the header repeated on a new page
        if len(filled) == 1 and not _TASK_NUMBER.fullmatch(filled[0].strip()):
            filler.title(filled[0].strip())  # a full-width row naming the group of the tasks below it
            continue
        task = _task(row, layout, width, filler, len(tasks) + 1, first_is_lead)
        if task:
            tasks.append(task)
    return tasks


def _task(row: Row, layout: Layout, width: int, filler: _Filler, position: int, first_is_lead: bool) -> Task | None:
    """One task row: groups and units filled down, the text span split into sub-headings and the text."""
    cells, span = _aligned(row, layout, width)
    for level, column in enumerate(layout.groups):
        filler.group(level, cells[column])
    for offset, heading in enumerate(span[:-1]):
        filler.group(len(layout.groups) + offset, heading)
    text = span[-1] if span else ""
    if not text:
        return None
    lead, cooperating, printed = _units(cells, layout, filler, first_is_lead)
    deadline = filler.deadline_cell(cells[layout.deadline]) if layout.deadline is not None else _deadline_in(text)
    groups = [g for g in filler.groups if g]
    number = cells[layout.number] or None
    return Task(
        position=position,
        task_no=number,
        category=groups[0] if groups else None,
        heading=" / ".join(groups[1:]) or None,
        task=text,
        lead_units=lead,
        cooperating_units=cooperating,
        units_text=printed,
        deadline=deadline,
        line=row.line,
        location=row.location,
    )


def _units(cells: list[str], layout: Layout, filler: _Filler, first_is_lead: bool) -> tuple[list[str], list[str], str]:
    """(lead units, cooperating units, the unit cells as printed) of a row, blank cells filled from above."""

    def named(columns: list[int]) -> tuple[list[str], list[str]]:
        texts = [filler.unit_cell(c, cells[c]) for c in columns]
        return [u for t in texts for u in split_units(t)], [t for t in texts if t]

    lead, lead_text = named(layout.lead)
    responsible, responsible_text = named(layout.responsible)
    cooperating, cooperating_text = named(layout.cooperating)
    printed = "；".join(lead_text + responsible_text + cooperating_text)
    if lead:
        return _unique(lead), _unique(responsible + cooperating, exclude=lead), printed
    if first_is_lead and responsible:
        return responsible[:1], _unique(responsible[1:] + cooperating, exclude=responsible[:1]), printed
    return _unique(responsible), _unique(cooperating, exclude=responsible), printed


def _unique(units: list[str], exclude: list[str] | None = None) -> list[str]:
    """Units in order, each once, without those in `exclude`."""
    seen = dict.fromkeys(exclude or [])
    out = []
    for unit in units:
        if unit not in seen:
            seen[unit] = None
            out.append(unit)
    return out


def split_units(text: str) -> list[str]:
    """The unit names in a cell: split at 、，； and line breaks, labels ("区总体预案：") dropped, and 和/及/等
    split only where they join two names of bodies (区卫生和健康局 stays whole)."""
    units: list[str] = []
    for part in _UNIT_SEPARATORS.split(text):
        part = _LABEL.sub("", part.strip())
        for name in _JOINED.split(part):
            name = name.strip().removesuffix("等").strip()
            if name:
                units.append(name)
    return units


def _deadline_in(text: str) -> str | None:
    """A time limit the task text states (年底前, 6月底前, 2021年年底前), digits made half-width."""
    match = _DEADLINE_IN_TEXT.search(unicodedata.normalize("NFKC", text))
    return match.group(0) if match else None


# ---------------------------------------------------------------------------------------------------------------
# The plan


def _plan(text: str, rows: list[Row], source: str) -> WorkPlan:
    """The plan's identity and the tasks of its first task table."""
    start = next((i for i, row in enumerate(rows) if _is_header([c.strip() for c in row.cells])), None)
    if start is None:
        raise ReportError(
            source,
            "未找到任务分解表：需要含“序号”和“责任单位”（或“牵头单位”）列的表格",
            "no task table found: a table with 序号 (number) and 责任单位 or 牵头单位 (responsible units) columns",
        )
    layout = layout_of([c.strip() for c in rows[start].cells])
    tasks = _tasks(rows[start + 1 :], layout, bool(_FIRST_IS_LEAD.search(text)))
    if not tasks:
        raise ReportError(source, "任务分解表中没有任务", "the task table holds no task")
    plan, year = plan_title(text, source)
    found = meta.extract_meta(text, source)
    return WorkPlan(source, plan, year or found.year, found.agency, tasks)


def plan_title(text: str, source: str) -> tuple[str, int | None]:
    """The plan's title ("周村区2021年政务公开工作要点") and its year; the file name when the text has no title."""
    lines = [line.strip() for line in text.split("\n")[:80]]
    title = next((line for line in lines if _PLAN_TITLE.match(line) and not line.startswith("关于")), None)
    if title is None:
        match = next((m for m in map(_PLAN_IN_NOTICE.search, lines) if m), None)
        title = match.group("plan") if match else Path(source).stem
    year = _YEAR.search(title)
    return title, int(year.group(1)) if year else None


# ---------------------------------------------------------------------------------------------------------------
# Storing


def store_workplan(plan: WorkPlan, db_path: Path, by: Account | str | None = None) -> None:
    """Store the plan's tasks, replacing any earlier import of the plan of the same title, atomically. No fact is
    computed from the tasks (the work plan views read them live), so the facts are not rebuilt. The tasks before
    and after go into the audit log, from which the earlier ones can be restored (loaders.history)."""
    by = local_user() if by is None else by
    authorize(by, "workplan.import")
    with store.transaction(db_path, rebuild=False) as con:
        old = history.plan_state(con, plan.plan)
        con.sql("delete from workplan_tasks where plan = $plan", params={"plan": plan.plan})
        store.append(con, "workplan_tasks", _tasks_frame(plan), store.IMPORTED_SELECT)
        audit.record(con, by, "workplan.import", plan.plan, old, history.plan_state(con, plan.plan))


def import_workplan(path: str | Path, db_path: Path, by: Account | str | None = None) -> WorkPlan:
    """Parse and store the work plan at `path`."""
    return import_workplan_bytes(*textio.read_file(path), db_path, by)


def import_workplan_bytes(data: bytes, source: str, db_path: Path, by: Account | str | None = None) -> WorkPlan:
    """Parse and store an uploaded work plan."""
    by = local_user() if by is None else by
    authorize(by, "workplan.import")
    plan = parse_workplan(data, source)
    store_workplan(plan, db_path, by)
    return plan


def _tasks_frame(plan: WorkPlan) -> pl.DataFrame:
    rows = [
        (
            plan.plan,
            plan.year,
            plan.issuer,
            t.position,
            t.task_no,
            t.category,
            t.heading,
            t.task,
            t.lead_units,
            t.cooperating_units,
            t.units_text,
            t.deadline,
            t.line,
            t.location,
            plan.source,
        )
        for t in plan.tasks
    ]
    return pl.DataFrame(rows, schema=_TASK_SCHEMA, orient="row")


def summary(plan: WorkPlan) -> str:
    """A one-line account of an imported plan, in Chinese and English."""
    return (
        f"工作要点 / work plan: {plan.plan}（{plan.year or '年度不详'}）: "
        f"任务 tasks {len(plan.tasks)}, 单位 units {len(plan.units())}"
    )
