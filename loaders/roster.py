"""Import the roster of units a supervising office oversees: units with their parent, level, type and peer group,
and the renames and mergers that tie old names to current units.

A roster comes as an Excel workbook (a sheet of units, or several, and optionally a sheet of changes) or a CSV
file (the units, then a blank line and a second header for the changes). Headers may be Chinese or English. Every row is
checked before anything is written; a file with any problem is refused with one bilingual message per problem,
naming the file, the row and what is wrong, and the stored roster stays as it was. A good file replaces the
previous roster as a whole.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from loaders import audit, history, rekey, similarity, store, textio
from loaders.accounts import Account, authorize, local_user, require_unit
from loaders.formats.sniff import sniff
from loaders.keys import LEVELS, TYPES
from loaders.model import ReportError
from loaders.roster_headers import CHANGE_HEADERS, UNIT_HEADERS, header_of
from loaders.unit_match import level_and_type

ALIAS_REASON = "确认名册单位"  # why the findings of a name's reports get the unit's keys (loaders/rekey.py)
MAX_PROBLEMS = 20  # a file with more problems is wrong throughout; the first ones say how

_REQUIRED_UNIT = ("unit", "level", "type")
_REQUIRED_CHANGE = ("old_name", "new_name", "kind", "year")

# Accepted spellings of levels, types and change kinds beyond the keys and labels of analytics.state.
_LEVEL_WORDS = {
    "省": "province", "省级": "province", "市": "city", "地市级": "city", "县": "county", "区": "county",
    "县级": "county", "区级": "county", "区县": "county", "县区级": "county", "乡镇": "township",
    "乡镇街道": "township", "街道": "township", "国家": "national", "中央": "national",
}  # fmt: skip
_TYPE_WORDS = {"人民政府": "government", "办公室": "office", "办公厅": "office", "政府办公厅": "office"}
KINDS = {"rename": "更名", "merge": "合并", "alias": "别名"}  # alias: the same unit written another way
_KIND_WORDS = {
    "更名": "rename",
    "改名": "rename",
    "合并": "merge",
    "并入": "merge",
    "rename": "rename",
    "merge": "merge",
    "别名": "alias",
    "又称": "alias",
    "alias": "alias",
}

_UNIT_SCHEMA = {
    "unit": pl.String,
    "parent": pl.String,
    "level": pl.String,
    "type": pl.String,
    "peer_group": pl.String,
    "position": pl.Int32,
    "source": pl.String,
    "source_row": pl.String,
}
_CHANGE_SCHEMA = {
    "old_name": pl.String,
    "new_name": pl.String,
    "kind": pl.String,
    "year": pl.Int32,
    "source": pl.String,
    "source_row": pl.String,
}


@dataclass
class Row:
    """One row of a table in the file: its cells and where it stood ("第5行" or "名册 第5行")."""

    cells: list[str]
    where: str


@dataclass
class Table:
    """A table found in the file: the header's fields by column and the rows under it."""

    kind: str  # units | changes
    columns: dict[str, int]
    header: Row
    rows: list[Row] = field(default_factory=list)


@dataclass
class Unit:
    """A unit of the roster, checked."""

    unit: str
    parent: str | None
    level: str
    type: str
    peer_group: str
    position: int
    where: str


@dataclass
class Change:
    """A rename or merger, checked: reports under `old_name` count for `new_name`; `year` is the first reporting
    year under the new name."""

    old_name: str
    new_name: str
    kind: str  # rename | merge
    year: int
    where: str


@dataclass
class Roster:
    """A checked roster, ready to store."""

    source: str
    units: list[Unit]
    changes: list[Change]


class RosterError(ReportError):
    """A roster file that cannot be imported; `problems` lists every problem found, one bilingual line each."""

    def __init__(self, source: str, problems: list[str]):
        """Keep every problem; the message lists them all, one per line."""
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - MAX_PROBLEMS
            shown.append(f"{source}: 另有 {more} 个问题未列出 / {more} more problems not listed")
        Exception.__init__(self, "\n".join(shown))
        self.source, self.problems = source, problems
        self.zh, self.en = "名册有误，未导入", "the roster has problems and was not imported"


# ---------------------------------------------------------------------------------------------------------------
# Reading


def read_roster(data: bytes, source: str) -> Roster:
    """Read and check a roster file (xlsx or csv); RosterError lists every problem, ReportError an unreadable file."""
    tables = _tables(data, source)
    problems: list[str] = []
    if not any(t.kind == "units" for t in tables):
        raise RosterError(source, [_no_units_header(source)])
    units: list[Unit] = []
    changes: list[Change] = []
    seen: dict[str, str] = {}  # unit -> where it was first listed, across every units sheet or section
    for table in tables:
        if table.kind == "units":
            units += _check_units(table, source, problems, seen, len(units))
        else:
            changes += _check_changes(table, source, problems)
    if not units and not problems:
        problems.append(f"{source}: 名册中没有单位 / the roster lists no unit")
    _check_change_names(changes, {u.unit for u in units}, source, problems)
    _check_parent_cycles(units, source, problems)
    if problems:
        raise RosterError(source, problems)
    return Roster(source, units, changes)


def read_roster_file(path: str | Path) -> Roster:
    """Read and check the roster at `path`."""
    return read_roster(*textio.read_file(path))


def _tables(data: bytes, source: str) -> list[Table]:
    """The unit and change tables of the file, by its content: a workbook's sheets or a CSV file's sections."""
    if not data:
        raise ReportError(source, "文件为空（0 字节）", "file is empty (0 bytes)")
    kind = sniff(data, source)
    if kind == "xlsx":
        return _workbook_tables(data, source)
    if kind == "xls":
        raise ReportError(
            source,
            "这是旧版 Excel（.xls）文件，请用 Excel 或 WPS 另存为 .xlsx 后再导入",
            "this is an old binary Excel (.xls) file: save it as .xlsx in Excel or WPS and import that",
        )
    if kind not in ("text", "markdown"):
        raise ReportError(
            source,
            "名册应为 Excel（.xlsx）或 CSV 文件",
            "a roster must be an Excel workbook (.xlsx) or a CSV file",
        )
    text, _ = textio.decode(data, source)  # UTF-8 (with or without BOM), GB18030/GBK and the rest
    return _sections(_csv_rows(text), source)


def _workbook_tables(data: bytes, source: str) -> list[Table]:
    """Each sheet of a workbook holds one table: units or changes, told apart by the header."""
    from loaders.formats.xlsx import read_sheets

    tables: list[Table] = []
    for sheet in read_sheets(data, source):
        rows = [Row(cells, f"工作表“{sheet.name}”第{n}行") for n, cells in enumerate(sheet.rows, start=1)]
        tables += _sections(rows, source)
    return tables


def _csv_rows(text: str) -> list[Row]:
    """The rows of a CSV text (comma separated, or tab separated when the first line has tabs and no commas)."""
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first and "，" not in first else ","
    if delimiter == "," and "," not in first and "，" in first:
        delimiter = "，"  # typed with a Chinese input method
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [Row(cells, f"第{n}行") for n, cells in enumerate(reader, start=1)]


def _sections(rows: list[Row], source: str) -> list[Table]:
    """Split rows into tables: a row that reads as a units or changes header starts a table; blank rows and rows
    starting with # are skipped."""
    tables: list[Table] = []
    for row in rows:
        cells = [c.strip() for c in row.cells]
        if not any(cells) or cells[0].startswith("#"):
            continue  # blank rows, and notes such as the template's "# 层级可填…"
        header = header_of(cells)
        if header:
            tables.append(Table(header[0], header[1], row))
        elif tables:
            tables[-1].rows.append(Row(cells, row.where))
        # rows before the first header (a title such as "2021年度报送名册") are not data
    return tables


# ---------------------------------------------------------------------------------------------------------------
# Checking


def _no_units_header(source: str) -> str:
    return (
        f"{source}: 找不到名册表头（需有“单位”“层级”“类型”列） / "
        "no roster header found (columns unit, level and type are needed)"
    )


def _missing_columns(table: Table, required: tuple[str, ...], source: str, problems: list[str]) -> bool:
    """Record each required column the table's header lacks; True when all are there."""
    spellings = UNIT_HEADERS if table.kind == "units" else CHANGE_HEADERS
    missing = [key for key in required if key not in table.columns]
    for key in missing:
        zh, en = spellings[key][0], spellings[key][-1]
        problems.append(f"{source} {table.header.where}：缺少“{zh}”列 / missing column “{en}”")
    return not missing


def _check_units(table: Table, source: str, problems: list[str], seen: dict[str, str], before: int) -> list[Unit]:
    """The units of one units table, each row checked (positions continue after `before` units); problems are
    recorded rather than raised, so that all are reported."""
    if not _missing_columns(table, _REQUIRED_UNIT, source, problems):
        return []
    units: list[Unit] = []
    for row in table.rows:
        unit = _unit(row, table.columns, before + len(units) + 1, source, problems)
        if unit is None:
            continue
        if unit.unit in seen:
            problems.append(
                f"{source} {row.where}：单位“{unit.unit}”重复（已见于{seen[unit.unit]}） / "
                f"duplicate unit “{unit.unit}” (also at {seen[unit.unit]})"
            )
            continue
        seen[unit.unit] = row.where
        units.append(unit)
    return units


def _cell(row: Row, columns: dict[str, int], key: str) -> str:
    """The text of a field in a row ("" when the column is absent or the row is short)."""
    index = columns.get(key)
    return row.cells[index].strip() if index is not None and index < len(row.cells) else ""


def _unit(row: Row, columns: dict[str, int], position: int, source: str, problems: list[str]) -> Unit | None:
    """One unit row checked: a name, a known level and a known type; None (problems recorded) otherwise."""
    name = _cell(row, columns, "unit")
    level = _coded(_cell(row, columns, "level"), LEVELS, _LEVEL_WORDS)
    kind = _coded(_cell(row, columns, "type"), TYPES, _TYPE_WORDS)
    before = len(problems)
    if not name:
        problems.append(f"{source} {row.where}：单位名称为空 / empty unit name")
    if level is None:
        problems.append(_unknown(source, row.where, "层级", "level", _cell(row, columns, "level"), LEVELS))
    if kind is None:
        problems.append(_unknown(source, row.where, "类型", "type", _cell(row, columns, "type"), TYPES))
    if len(problems) > before:
        return None
    parent = _cell(row, columns, "parent") or None
    peer = _cell(row, columns, "peer_group") or f"{level}/{kind}"  # the default groups as stg_agencies does
    return Unit(name, parent, level, kind, peer, position, row.where)


def _coded(value: str, labels: dict[str, str], words: dict[str, str]) -> str | None:
    """The key of a level or type written as its key, its Chinese label or a common synonym; None if unknown."""
    value = value.strip()
    if value.lower() in labels:
        return value.lower()
    by_label = {label: key for key, label in labels.items()}
    return by_label.get(value) or words.get(value)


def _unknown(source: str, where: str, zh: str, en: str, value: str, labels: dict[str, str]) -> str:
    """The message for a level or type the importer does not know, listing what it accepts."""
    allowed_zh = "、".join(labels.values())
    allowed_en = ", ".join(f"{key} ({label})" for key, label in labels.items())
    if not value:
        return f"{source} {where}：{zh}为空（可填：{allowed_zh}） / empty {en} (allowed: {allowed_en})"
    return (
        f"{source} {where}：无法识别的{zh}“{value}”（可填：{allowed_zh}） / "
        f"unknown {en} “{value}” (allowed: {allowed_en})"
    )


def _check_changes(table: Table, source: str, problems: list[str]) -> list[Change]:
    """The renames and mergers of a changes table, each row checked."""
    if not _missing_columns(table, _REQUIRED_CHANGE, source, problems):
        return []
    changes = []
    for row in table.rows:
        change = _change(row, table.columns, source, problems)
        if change:
            changes.append(change)
    return changes


def _change(row: Row, columns: dict[str, int], source: str, problems: list[str]) -> Change | None:
    """One rename or merger row checked: both names, a known kind and a plausible year."""
    old, new = _cell(row, columns, "old_name"), _cell(row, columns, "new_name")
    kind = _KIND_WORDS.get(_cell(row, columns, "kind").lower())
    year = _year(_cell(row, columns, "year"))
    before = len(problems)
    if not old or not new:
        problems.append(f"{source} {row.where}：旧名称或新名称为空 / empty old or new name")
    elif old == new:
        problems.append(f"{source} {row.where}：旧名称与新名称相同“{old}” / old and new name are the same “{old}”")
    if kind is None:
        value = _cell(row, columns, "kind")
        problems.append(
            f"{source} {row.where}：无法识别的变更类型“{value}”（可填：更名、合并） / "
            f"unknown kind of change “{value}” (allowed: 更名 rename, 合并 merge)"
        )
    if year is None:
        value = _cell(row, columns, "year")
        problems.append(
            f"{source} {row.where}：年度“{value}”无效（应为四位年份，如2021） / "
            f"invalid year “{value}” (a four-digit year such as 2021)"
        )
    if len(problems) > before:
        return None
    return Change(old, new, kind, year, row.where)


def _year(value: str) -> int | None:
    """A four-digit year between 1990 and 2100 ("2021", "2021年", "2021.0" from a spreadsheet); None otherwise."""
    match = re.fullmatch(r"((?:19|20|21)\d\d)(?:\.0+)?\s*年?(?:度)?", value.strip())
    if not match:
        return None
    year = int(match.group(1))
    return year if 1990 <= year <= 2100 else None


def _check_parent_cycles(units: list[Unit], source: str, problems: list[str]) -> None:
    """Refuse parent chains that lead back to a unit (A under B under A): roll-ups over them never end."""
    by_name = {u.unit: u for u in units}
    reported: set[str] = set()
    for unit in units:
        chain: list[Unit] = []
        current: Unit | None = unit
        while current is not None and current not in chain and current.unit not in reported:
            chain.append(current)
            current = by_name.get(current.parent) if current.parent else None
        if current is None or current.unit in reported or current is not chain[0]:
            continue  # the chain ends, or runs into a loop that is reported from one of its own units
        reported.update(u.unit for u in chain)
        path = "→".join([*(u.unit for u in chain), unit.unit])
        rows = "、".join(u.where for u in chain)
        problems.append(
            f"{source} {unit.where}：上级关系成环（{path}，见{rows}），请改正其中一个单位的上级 / "
            f"the parent chain loops ({path}, rows {rows}): fix the parent of one of these units"
        )


def _check_change_names(changes: list[Change], units: set[str], source: str, problems: list[str]) -> None:
    """Each change leads to a unit of the roster (directly or through later changes); an old name goes one way."""
    olds: dict[str, Change] = {}
    for change in changes:
        if change.old_name in olds:
            first = olds[change.old_name]
            problems.append(
                f"{source} {change.where}：旧名称“{change.old_name}”已在{first.where}登记过变更 / "
                f"old name “{change.old_name}” already has a change at {first.where}"
            )
        olds.setdefault(change.old_name, change)
    for change in changes:
        if change.old_name in units:  # its reports would count twice: for itself and for the new unit
            problems.append(
                f"{source} {change.where}：旧名称“{change.old_name}”仍列在名册的单位中 / "
                f"the old name “{change.old_name}” is still listed as a unit"
            )
        if _final_unit(change.new_name, olds) not in units:
            problems.append(
                f"{source} {change.where}：新名称“{change.new_name}”不是名册中的单位 / "
                f"new name “{change.new_name}” is not a unit of the roster"
            )


def _final_unit(name: str, olds: dict[str, Change]) -> str:
    """Where a chain of changes from `name` ends (a loop ends where it closes)."""
    seen = {name}
    while name in olds and olds[name].new_name not in seen:
        name = olds[name].new_name
        seen.add(name)
    return name


# ---------------------------------------------------------------------------------------------------------------
# Storing


def store_roster(roster: Roster, db_path: Path, by: Account | str | None = None) -> None:
    """Replace the stored roster with this one, atomically: the old roster stays whole if anything fails. The
    roster gives agencies their peer groups and ties renamed units' reports together, so the 雷同 rows of the
    years where either changed are recomputed in the same transaction. The old and the new roster go into the
    audit log, from which the old one can be restored (loaders.history)."""
    by = local_user() if by is None else by
    authorize(by, "roster.import")
    with store.transaction(db_path) as con:
        before = similarity.groupings(con)
        old = history.roster_state(con)
        kept = _confirmed_aliases(con, roster)
        con.sql("delete from roster_changes")
        con.sql("delete from roster_units")
        store.append(con, "roster_units", _units_frame(roster), store.IMPORTED_SELECT)
        store.append(con, "roster_changes", _changes_frame(roster), store.IMPORTED_SELECT)
        if not kept.is_empty():
            store.append(con, "roster_changes", kept, "select * from incoming")
        audit.record(con, by, "roster.import", roster.source, old, history.roster_state(con))
        similarity.refresh_regrouped(con, before)


def _confirmed_aliases(con, roster: Roster) -> pl.DataFrame:
    """The aliases confirmed in the app (not from a file) that still apply to the new roster: their unit is on it
    and the new roster does not list their name itself, as a unit or as an old name."""
    names = {u.unit for u in roster.units}
    olds = {c.old_name for c in roster.changes}
    rows = con.sql("select * from roster_changes where kind = 'alias' and source_row is null order by old_name").pl()
    return rows.filter(pl.col("new_name").is_in(list(names)) & ~pl.col("old_name").is_in(list(names | olds)))


# ---------------------------------------------------------------------------------------------------------------
# A name not on the roster: kept as another name of a unit, or added as a unit of its own


CONFIRMED = "确认匹配"  # the source of an alias confirmed in the app (source_row stays empty)


class UnitError(ValueError):
    """A roster write from the app that was refused; the message gives the problem in Chinese and English."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def add_alias(db_path: Path, name: str, unit: str, by: Account | str | None = None) -> None:
    """Keep `name` (an agency name reports are filed under) as another name of roster unit `unit`, so coverage,
    trends, R6 and roll-ups count its reports for that unit. A 单位填报人 may only do it for its own unit."""
    by = local_user() if by is None else by
    writer = authorize(by, "roster.alias")
    name, unit = " ".join((name or "").split()), (unit or "").strip()
    with store.transaction(Path(db_path)) as con:
        require_unit(con, by, unit)
        _require_new_name(con, name, unit)
        before = similarity.groupings(con)
        old = history.roster_state(con)
        filed = [r for (r,) in con.sql("select report_id from reports where agency = ?", params=[name]).fetchall()]
        follower = rekey.Follower(con, filed)  # its reports' findings are keyed by the unit's name from now on
        year = con.sql("select coalesce(min(year), year(current_date)) from reports where agency = ?", params=[name])
        con.sql(
            "insert into roster_changes values (?, ?, 'alias', ?, ?, null, cast(now() as timestamp))",
            params=[name, unit, year.fetchall()[0][0], CONFIRMED],
        )
        audit.record(con, by, "roster.alias", name, old, history.roster_state(con))
        similarity.refresh_regrouped(con, before)
        follower.carry(by, writer, ALIAS_REASON)


def add_unit(db_path: Path, name: str, by: Account | str | None = None, parent: str | None = None) -> None:
    """Add `name` to the roster as a unit of its own, its level and type read from the name."""
    by = local_user() if by is None else by
    authorize(by, "roster.add_unit")
    name = " ".join((name or "").split())
    with store.transaction(Path(db_path)) as con:
        require_unit(con, by, name)
        _require_new_name(con, name, None)
        before = similarity.groupings(con)
        old = history.roster_state(con)
        level, kind = level_and_type(name)
        position = con.sql("select coalesce(max(position), 0) + 1 from roster_units").fetchall()[0][0]
        con.sql(
            "insert into roster_units values (?, ?, ?, ?, ?, ?, ?, null, cast(now() as timestamp))",
            params=[name, parent or None, level, kind, f"{level}/{kind}", position, CONFIRMED],
        )
        audit.record(con, by, "roster.add_unit", name, old, history.roster_state(con))
        similarity.refresh_regrouped(con, before)


def _require_new_name(con, name: str, unit: str | None) -> None:
    """Refuse an empty name, a name already on the roster (as a unit or an old name), or an unknown target unit."""
    if not name:
        raise UnitError("名称为空", "the name is empty")
    if con.sql("select 1 from roster_units where unit = ?", params=[name]).fetchall():
        raise UnitError(f"“{name}”已是名册中的单位", f"{name!r} is already a unit of the roster")
    taken = con.sql("select new_name, kind from roster_changes where old_name = ?", params=[name]).fetchall()
    if taken:
        word = KINDS.get(taken[0][1], taken[0][1])
        raise UnitError(
            f"“{name}”已登记为“{taken[0][0]}”的{word}", f"{name!r} is already tied to {taken[0][0]!r} ({taken[0][1]})"
        )
    if unit is not None and not con.sql("select 1 from roster_units where unit = ?", params=[unit]).fetchall():
        raise UnitError(f"“{unit}”不是名册中的单位", f"{unit!r} is not a unit of the roster")


def import_roster(path: str | Path, db_path: Path, by: Account | str | None = None) -> Roster:
    """Read, check and store the roster at `path`; raises RosterError (nothing written) for a bad file."""
    return import_roster_bytes(*textio.read_file(path), db_path, by)


def import_roster_bytes(data: bytes, source: str, db_path: Path, by: Account | str | None = None) -> Roster:
    """Read, check and store an uploaded roster; raises RosterError (nothing written) for a bad file."""
    by = local_user() if by is None else by
    authorize(by, "roster.import")
    roster = read_roster(data, source)
    store_roster(roster, db_path, by)
    return roster


def _units_frame(roster: Roster) -> pl.DataFrame:
    rows = [(u.unit, u.parent, u.level, u.type, u.peer_group, u.position, roster.source, u.where) for u in roster.units]
    return pl.DataFrame(rows, schema=_UNIT_SCHEMA, orient="row")


def _changes_frame(roster: Roster) -> pl.DataFrame:
    rows = [(c.old_name, c.new_name, c.kind, c.year, roster.source, c.where) for c in roster.changes]
    return pl.DataFrame(rows, schema=_CHANGE_SCHEMA, orient="row")


def summary(roster: Roster) -> str:
    """A one-line account of an imported roster, in Chinese and English."""
    counts = {kind: sum(c.kind == kind for c in roster.changes) for kind in KINDS}
    return (
        f"名册 / roster {roster.source}: 单位 units {len(roster.units)}, "
        f"更名 renames {counts['rename']}, 合并 mergers {counts['merge']}"
    )


def template_csv() -> str:
    """An empty roster as CSV, with both headers and one example row each, for supervisors to fill in."""
    levels = "/".join(LEVELS.values())
    types = "/".join(TYPES.values())
    return (
        "单位,上级,层级,类型,同类组\n"
        "示例区卫生健康局,示例区人民政府,区县级,部门,区县部门\n"
        "\n"
        "旧名称,新名称,类型,年度\n"
        "示例区卫生和计划生育局,示例区卫生健康局,更名,2019\n"
        f"# 层级可填：{levels}；类型可填：{types}；变更类型可填：更名、合并；年度为新名称开始报送的第一个年度\n"
    )
