"""Meta-tests: the repository keeps its own conventions (SQL naming, docs, data dictionary, pins, scripts)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import duckdb
import pytest

from loaders import keys

ROOT = Path(__file__).resolve().parent.parent
SQL_FILES = sorted((ROOT / "sql").rglob("*.sql"))
SKIP_DIRS = {".venv", ".git", ".ruff_cache", ".pytest_cache", "__pycache__", "data", "node_modules"}

_CREATE = re.compile(
    r"\bcreate\s+(?:or\s+replace\s+)?(?:temp(?:orary)?\s+)?"
    r"(table|view|macro|function|type|sequence)\s+(?:if\s+not\s+exists\s+)?([a-z_][a-z0-9_]*)",
    re.IGNORECASE,
)


def sql_code(path: Path) -> str:
    """A SQL file without its comments."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.DOTALL)
    return re.sub(r"--[^\n]*", " ", text)


def python_sources() -> list[Path]:
    """Every Python file of the project (not the virtualenv or caches)."""
    return [p for p in sorted(ROOT.rglob("*.py")) if not SKIP_DIRS & set(p.relative_to(ROOT).parts)]


def loaded_by_name(name: str) -> bool:
    """True when some Python file outside tests names the SQL file as a quoted string."""
    pattern = re.compile(rf"[\"']{re.escape(name)}(\.sql)?[\"']")
    return any(pattern.search(p.read_text(encoding="utf-8")) for p in python_sources() if "tests" not in p.parts)


# --- SQL -----------------------------------------------------------------------------------------

# How each sql/ folder is used: "ddl" files create one object named like the file; "view" files are a
# select that the loader turns into a view named after the file; "query" files are run by name from
# analytics/queries.py; "table" files are a select that the loader stores as a table of the file's name at
# the end of every ingest.
SQL_FOLDERS = {
    "tables": "ddl",
    "macros": "ddl",
    "staging": "view",
    "checks": "view",
    "facts": "table",
    "marts": "query",
}


def sql_kind(path: Path) -> str:
    """The use of a SQL file, from its folder under sql/."""
    return SQL_FOLDERS.get(path.relative_to(ROOT / "sql").parts[0], "unknown")


@pytest.fixture(scope="module")
def prepared_db(tmp_path_factory: pytest.TempPathFactory):
    """An empty database with every table, macro and view of sql/ built by the loader."""
    from loaders.store import materialize, prepare

    con = duckdb.connect(str(tmp_path_factory.mktemp("sql") / "empty.duckdb"))
    prepare(con)
    materialize(con)
    yield con
    con.close()


def test_there_is_sql_to_check():
    assert SQL_FILES, "sql/ holds no .sql file"


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_sql_file_is_in_a_known_folder(path: Path):
    assert sql_kind(path) != "unknown", f"{path}: add its folder to SQL_FOLDERS and say how it is used"


@pytest.mark.parametrize("path", [p for p in SQL_FILES if sql_kind(p) == "ddl"], ids=lambda p: p.name)
def test_ddl_file_creates_one_object_named_like_the_file(path: Path):
    created = _CREATE.findall(sql_code(path))
    assert len(created) == 1, f"{path.name}: one object per file, found {created}"
    assert created[0][1].lower() == path.stem, f"{path.name} creates {created[0][1]}"


@pytest.mark.parametrize("path", [p for p in SQL_FILES if sql_kind(p) == "view"], ids=lambda p: p.name)
def test_view_file_is_built_as_a_view_of_its_name(path: Path, prepared_db: duckdb.DuckDBPyConnection):
    assert not _CREATE.findall(sql_code(path)), f"{path.name}: the loader adds `create view`; write only the select"
    views = {name for (name,) in prepared_db.sql("select view_name from duckdb_views() where not internal").fetchall()}
    assert path.stem in views


@pytest.mark.parametrize("path", [p for p in SQL_FILES if sql_kind(p) == "table"], ids=lambda p: p.name)
def test_fact_file_is_stored_as_a_table_of_its_name(path: Path, prepared_db: duckdb.DuckDBPyConnection):
    assert not _CREATE.findall(sql_code(path)), f"{path.name}: the loader adds `create table`; write only the select"
    tables = {name for (name,) in prepared_db.sql("select table_name from duckdb_tables()").fetchall()}
    assert path.stem in tables


@pytest.mark.parametrize("path", [p for p in SQL_FILES if sql_kind(p) == "query"], ids=lambda p: p.name)
def test_query_file_is_loaded_by_name_and_runs(path: Path, prepared_db: duckdb.DuckDBPyConnection):
    assert not _CREATE.findall(sql_code(path)), f"{path.name}: a query file holds one select"
    assert loaded_by_name(path.stem), f"no code loads {path.name} by name"
    params = {name: None for name in re.findall(r"\$([a-z_][a-z0-9_]*)", sql_code(path))}
    prepared_db.cursor().sql(path.read_text(encoding="utf-8"), params=params or None).fetchall()


def test_sql_file_names_are_unique():
    names = [p.stem for p in SQL_FILES]
    assert len(names) == len(set(names)), "objects and queries are named after their files, so names must be unique"


# --- docs ----------------------------------------------------------------------------------------


def test_readme_gives_both_commands_in_both_forms():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("make run", "make test", "scripts/run.sh", "scripts/test.sh"):
        assert command in readme


def test_readme_names_every_required_library():
    readme = (ROOT / "README.md").read_text(encoding="utf-8").lower()
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        name = line.split("#")[0].split("==")[0].strip().lower()
        if name:
            assert f"| {name} |" in readme, f"README's Libraries table does not say why {name} is here"


def sample_reports() -> list[str]:
    """Names of the report files in sample_data/."""
    return sorted(p.name for p in (ROOT / "sample_data").iterdir() if p.is_file() and p.name != "README.md")


def test_sample_data_readme_lists_exactly_the_files_there():
    readme = (ROOT / "sample_data" / "README.md").read_text(encoding="utf-8")
    listed = sorted(set(re.findall(r"^\| `([^`]+)` \|", readme, flags=re.MULTILINE)))
    assert sample_reports(), "sample_data/ holds no report"
    assert listed == sample_reports()


# --- the data dictionary -------------------------------------------------------------------------

_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@pytest.mark.parametrize("key", sorted(keys.METRICS))
def test_metric_key_is_well_formed(key: str):
    metric = keys.METRICS[key]
    assert _KEY.match(key), key
    assert metric.key == key
    assert metric.label.strip()
    assert metric.kind in {"count", "change", "amount"}
    assert metric.templates and set(metric.templates) <= set(keys.TEMPLATES)
    assert metric.category == keys.category_of(key)


@pytest.mark.parametrize("template", sorted(keys.SECTION3_ROWS))
def test_section3_rows_have_keywords_and_known_metrics(template: str):
    rows = keys.SECTION3_ROWS[template]
    assert len({r.metric for r in rows}) == len(rows), "a metric printed twice in one table"
    for row in rows:
        assert row.keywords and all(k.strip() for k in row.keywords), row.metric
        assert keys.METRICS[row.metric].section == "三"
        assert template in keys.METRICS[row.metric].templates


@pytest.mark.parametrize("template", sorted(keys.SECTION2_ROWS))
def test_section2_rows_map_each_column_to_a_known_metric(template: str):
    for row in keys.SECTION2_ROWS[template]:
        assert row.keywords and all(k.strip() for k in row.keywords), row.label
        assert len(row.metrics) == len(row.columns), row.label
        assert all(keys.METRICS[m].section == "二" for m in row.metrics)


# --- pins and scripts ----------------------------------------------------------------------------


def pins(path: Path) -> dict[str, str]:
    """name -> version of every `name==version` line (names compared case- and dash-insensitively)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep, f"{path.name}: not an exact pin: {line}"
            out[re.sub(r"[-_.]+", "-", name.strip().lower())] = version.strip()
    return out


def test_lock_pins_every_requirement_at_the_same_version():
    wanted, locked = pins(ROOT / "requirements.txt"), pins(ROOT / "requirements.lock")
    mismatched = {name: (v, locked.get(name)) for name, v in wanted.items() if locked.get(name) != v}
    assert not mismatched, f"requirements.lock disagrees with requirements.txt: {mismatched}"


@pytest.mark.parametrize("script", ["scripts/setup.sh", "scripts/run.sh", "scripts/test.sh", ".ci/run"])
def test_scripts_are_strict_bash(script: str):
    lines = (ROOT / script).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    assert "set -euo pipefail" in lines


def test_setup_lists_its_debian_packages():
    assert re.search(r"^DEBIAN_PACKAGES=\(", (ROOT / "scripts/setup.sh").read_text(encoding="utf-8"), re.MULTILINE)


# --- code conventions ----------------------------------------------------------------------------


def public_definitions(body: list[ast.stmt]) -> list[ast.AST]:
    """Public top-level functions and classes, and the public methods of those classes (not nested helpers)."""
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    out: list[ast.AST] = []
    for node in body:
        if isinstance(node, kinds) and not node.name.startswith("_"):
            out.append(node)
            out += public_definitions(node.body) if isinstance(node, ast.ClassDef) else []
    return out


def public_definitions_without_docstring(path: Path) -> list[str]:
    """The module and public definitions of a file that lack a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = [] if ast.get_docstring(tree) or not tree.body else ["<module>"]  # an empty package marker is fine
    return missing + [node.name for node in public_definitions(tree.body) if not ast.get_docstring(node)]


@pytest.mark.parametrize(
    "path",
    [p for p in python_sources() if "tests" not in p.parts],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_module_and_public_functions_have_docstrings(path: Path):
    assert not public_definitions_without_docstring(path)
