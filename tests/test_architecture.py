"""Meta-tests of the layout: every module's imports (read with ast) go the allowed way, no two packages or modules
import each other, and the lists that must agree (formats, rules, statuses, template names) are written once.

Data flows one way: loaders -> (database) -> analytics -> ui and app_pages, and exports. The checks are plain
functions over an import graph, so the unit tests at the top feed them a bad graph and see them fire.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "loaders", "analytics", "ui", "exports", "app_pages", "dashboard", "bench")

# What each part of the code must never import (a package, a module, or an outside library such as streamlit).
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "config": ("loaders", "analytics", "ui", "exports", "app_pages", "dashboard", "bench", "streamlit"),
    "loaders": ("analytics", "ui", "exports", "app_pages", "dashboard", "bench", "streamlit"),
    # the read core: no Streamlit, no file writers, and of the loader only its data dictionary and data model
    "analytics": (
        "ui",
        "exports",
        "app_pages",
        "dashboard",
        "bench",
        "streamlit",
        "loaders.store",
        "loaders.review",
        "loaders.roster",
        "loaders.workplan",
        "loaders.cli",
    ),  # fmt: skip
    "exports": ("ui", "app_pages", "dashboard", "bench", "streamlit", "loaders.store", "loaders.review"),
    "ui": ("app_pages", "dashboard", "bench"),
    "app_pages": ("app_pages", "dashboard", "bench"),
    "dashboard": ("bench",),
    "bench": ("app_pages", "dashboard"),
}


# --- the import graph -----------------------------------------------------------------------------------------------


def module_name(path: Path) -> str:
    """A source file's dotted module name (a package's __init__ is the package)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> list[Path]:
    """Every Python file of the application (tests are left out: they may import anything)."""
    files = [ROOT / "config.py", ROOT / "dashboard.py"]
    for package in ("loaders", "analytics", "ui", "exports", "app_pages", "bench"):
        files += sorted((ROOT / package).rglob("*.py"))
    return files


def imported_names(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """The dotted names a module imports anywhere (at the top, inside functions, under TYPE_CHECKING): for
    `from a import b` both `a.b` and `a`, so that a submodule and a name of the package both count."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_package else module.split(".")[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of this repository (and outside libraries' top names) it imports."""
    files = source_files()
    modules = {module_name(f) for f in files}
    graph: dict[str, set[str]] = {}
    for path in files:
        name = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets: set[str] = set()
        for imported in imported_names(tree, name, path.name == "__init__.py"):
            if imported in modules:
                targets.add(imported)
            elif imported.split(".")[0] not in PACKAGES:
                targets.add(imported.split(".")[0])  # an outside library, by its top name
        targets.discard(name)
        graph[name] = targets
    return graph


# --- the checks -----------------------------------------------------------------------------------------------------


def part_of(module: str) -> str:
    """The part of the code a module belongs to: its top package (or the top-level module itself)."""
    return module.split(".")[0]


def forbidden_imports(graph: Mapping[str, Iterable[str]], rules: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Every import against the rules, as "importer -> imported"; a package importing itself is allowed except
    where its own name is forbidden (pages never import each other)."""
    bad = []
    for module, targets in graph.items():
        for target in targets:
            for banned in rules.get(part_of(module), ()):
                own_package = banned == part_of(module) and target == part_of(module)
                if (target == banned or target.startswith(banned + ".")) and not own_package:
                    bad.append(f"{module} -> {target}")
    return sorted(bad)


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The import cycles of a graph: each strongly connected group of more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def package_graph(graph: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """The graph between the parts of the code (packages and top-level modules), outside libraries left out."""
    out: dict[str, set[str]] = {}
    for module, targets in graph.items():
        out.setdefault(part_of(module), set()).update(
            part_of(t) for t in targets if part_of(t) in PACKAGES and part_of(t) != part_of(module)
        )
    return out


# --- the checks fire on a bad graph ---------------------------------------------------------------------------------


def test_a_forbidden_import_is_caught():
    bad = {
        "analytics.charts": {"streamlit", "analytics.db"},
        "analytics.views.overview": {"exports.images"},
        "loaders.store": {"analytics.queries"},
        "exports.excel": {"ui.widgets"},
        "app_pages.trends": {"app_pages.overview", "ui.widgets"},
        "analytics.scoring": {"loaders.keys", "loaders.review"},
    }
    assert forbidden_imports(bad, FORBIDDEN) == [
        "analytics.charts -> streamlit",
        "analytics.scoring -> loaders.review",
        "analytics.views.overview -> exports.images",
        "app_pages.trends -> app_pages.overview",
        "exports.excel -> ui.widgets",
        "loaders.store -> analytics.queries",
    ]


def test_an_import_cycle_is_caught_between_modules_and_between_packages():
    graph = {
        "analytics.scoring": {"exports.score_sheet"},
        "exports.score_sheet": {"analytics.scoring"},
        "analytics.db": set(),
        "ui.widgets": {"analytics.db"},
    }
    assert cycles(graph) == [["analytics.scoring", "exports.score_sheet"]]
    assert cycles(package_graph(graph)) == [["analytics", "exports"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_a_relative_import_is_resolved():
    tree = ast.parse("from . import charts\nfrom .db import query\n")
    assert imported_names(tree, "analytics.views.overview", False) >= {"analytics.views.charts", "analytics.views"}
    assert imported_names(tree, "analytics", True) >= {"analytics.charts", "analytics.db.query"}


# --- the repository keeps them ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


def test_the_graph_sees_the_known_imports(graph: dict[str, set[str]]):
    assert "analytics.queries" in graph["analytics.live"]
    assert "streamlit" in graph["ui.widgets"]
    assert "loaders.keys" in graph["analytics.charts"]


def test_every_import_goes_the_allowed_way(graph: dict[str, set[str]]):
    assert forbidden_imports(graph, FORBIDDEN) == []


def test_no_two_modules_import_each_other(graph: dict[str, set[str]]):
    assert cycles(graph) == []


def test_no_two_packages_import_each_other(graph: dict[str, set[str]]):
    assert cycles(package_graph(graph)) == []


# --- lists that must agree are written once -------------------------------------------------------------------------


def _spellings() -> dict[str, tuple[str, set[str]]]:
    """What each registry spells, and the one file allowed to spell it: file name extensions, rule ids, review
    statuses and template names (with their short forms, 2021版). Two spellings in one literal make a copy; for the
    extensions three, since output formats (xlsx, docx) and the roster's (xlsx, csv, txt) share some."""
    from loaders.formats.registry import EXTENSIONS
    from loaders.keys import CHECK_RULES, STATUSES, TEMPLATES

    extensions = set(EXTENSIONS) | {e.removeprefix(".") for e in EXTENSIONS}
    templates = set(TEMPLATES.values()) | {n.removesuffix("模板") for n in TEMPLATES.values()}
    return {
        "formats": ("loaders/formats/registry.py", extensions),
        "rules": ("loaders/keys.py", set(CHECK_RULES)),
        "statuses": ("loaders/keys.py", set(STATUSES)),
        "templates": ("loaders/keys.py", templates),
    }


def copied_lists(source: str, spellings: Mapping[str, set[str]]) -> list[str]:
    """The registries a source copies: a literal tuple, list, set or dict (its keys or values) holding two (formats:
    three) or more of a registry's spellings."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            groups = [node.elts]
        elif isinstance(node, ast.Dict):
            groups = [[k for k in node.keys if k is not None], node.values]
        else:
            continue
        for elements in groups:
            texts = {e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            found += [
                name for name, spelled in spellings.items() if len(texts & spelled) >= (3 if name == "formats" else 2)
            ]
    return sorted(set(found))


def test_a_copied_list_is_caught():
    spellings = {name: spelled for name, (_, spelled) in _spellings().items()}
    assert copied_lists('OUT = ("xlsx", "docx")\n', spellings) == []
    copy = 'UPLOAD = ("txt", "docx", "pdf")\nNAMES = {"2021": "2021版", "2019": "2019版"}\nS = ["待核实", "已说明"]\n'
    assert copied_lists(copy, spellings) == ["formats", "statuses", "templates"]
    assert copied_lists('RULES = ["R1", "R2"]\nONE = ("R1",)\n', spellings) == ["rules"]
    assert copied_lists('ONE = ("R1", "x")\nfrom loaders.keys import STATUSES\n', spellings) == []


def test_formats_rules_statuses_and_template_names_are_written_once():
    spellings = _spellings()
    copies = []
    for path in source_files():
        where = path.relative_to(ROOT).as_posix()
        kept = {name: spelled for name, (home, spelled) in spellings.items() if home != where}
        copies += [f"{where}: {name}" for name in copied_lists(path.read_text(encoding="utf-8"), kept)]
    assert copies == []


def test_the_rubric_does_not_copy_the_rule_or_status_lists():
    from analytics.rubric import DEFAULT_RUBRIC

    text = DEFAULT_RUBRIC.read_text(encoding="utf-8")
    assert not [line for line in text.splitlines() if line.split("#")[0].strip().startswith(("rules", "statuses"))]


def test_the_uploader_takes_every_format_the_loader_reads():
    from loaders.formats.registry import EXTENSIONS, FORMATS
    from loaders.store import SUPPORTED_SUFFIXES
    from ui.upload import UPLOAD_TYPES

    assert {f".{t}" for t in UPLOAD_TYPES} == set(EXTENSIONS) == set(SUPPORTED_SUFFIXES) - {""}
    assert {".mht", ".markdown"} <= set(EXTENSIONS)
    assert [f.kind for f in FORMATS if f.reader is None] == ["text"]


# --- every page declares its named queries --------------------------------------------------------------------------

_RUNS = (
    re.compile(r"""\bfetch\(\s*["']([a-z_][a-z0-9_]*)["']"""),  # data.fetch("name"), or a fetch passed in
    re.compile(r"""queries\.run\([^,]+,\s*["']([a-z_][a-z0-9_]*)["']"""),
    re.compile(r"""\b(?:live\.)?run\(\s*["']([a-z_][a-z0-9_]*)["']"""),
)


def run_in_source(source: str) -> set[str]:
    """The named queries a source runs with a literal name."""
    return {name for pattern in _RUNS for name in pattern.findall(source)}


def declaring_modules() -> list[Path]:
    """The modules that run named queries for pages: pages, views, ui helpers, scoring and the briefing."""
    files = sorted((ROOT / "app_pages").glob("*.py")) + sorted((ROOT / "analytics" / "views").glob("*.py"))
    files += [ROOT / "ui" / n for n in ("widgets.py", "review.py", "upload.py")]
    return files + [ROOT / "analytics" / "scoring.py", ROOT / "exports" / "briefing.py"]


@pytest.mark.parametrize("path", declaring_modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_module_declares_every_query_it_runs(path: Path):
    from bench.queries import declared_queries

    if path.name == "__init__.py":
        return
    declared = set(declared_queries(path))
    assert run_in_source(path.read_text(encoding="utf-8")) <= declared
    assert all(list((ROOT / "sql").rglob(f"{name}.sql")) for name in declared), declared


@pytest.mark.parametrize("page", sorted((ROOT / "app_pages").glob("*.py")), ids=lambda p: p.stem)
def test_a_page_declares_the_queries_of_the_modules_it_uses(page: Path):
    from bench.queries import declared_queries

    tree = ast.parse(page.read_text(encoding="utf-8"))
    mine = set(declared_queries(page))
    for name in imported_names(tree, module_name(page), False):
        path = ROOT / Path(*name.split(".")).with_suffix(".py")
        if path in declaring_modules() and path != ROOT / "ui" / "widgets.py" and path.name != "__init__.py":
            assert set(declared_queries(path)) <= mine, path.name


def test_a_missing_declaration_is_caught():
    assert run_in_source('rows = data.fetch("overview_by_year", **p)\nlive.run("upload_reports", path)\n') == {
        "overview_by_year",
        "upload_reports",
    }


# --- the rules: one entry in loaders/keys.py and one check file each ------------------------------------------------


def check_rules(checks_dir: Path) -> dict[str, set[str]]:
    """Check view name -> the rule ids it gives its findings ('R1' as rule, or … else 'R1' end as rule)."""
    found = {}
    for path in sorted(checks_dir.glob("chk_*.sql")):
        found[path.stem] = set(re.findall(r"'(R\d+)'(?:\s+end)?\s+as\s+rule\b", path.read_text(encoding="utf-8")))
    return found


def rule_check_problems(checks_dir: Path, rules: Iterable[str]) -> list[str]:
    """What keeps the rule list and the check files of a checks folder from agreeing, in words: each rule has one
    check file (named for what it checks, giving that rule alone), and the findings view names none of them but
    reads every one through the loader's list of check views."""
    checks = check_rules(checks_dir)
    problems = [f"{name}: gives {sorted(found)}" for name, found in checks.items() if len(found) != 1]
    given = sorted(r for found in checks.values() for r in found)
    if given != sorted(rules):
        problems.append(f"rules {sorted(rules)} but checks give {given}")
    problems += [f"{name}: named for a rule id" for name in checks if re.fullmatch(r"chk_r\d+", name)]
    findings = re.sub(r"--[^\n]*", " ", (checks_dir / "findings.sql").read_text(encoding="utf-8"))
    problems += [f"findings.sql names {name}" for name in sorted(set(re.findall(r"\bchk_\w+", findings)))]
    if not re.search(r"\bquery_table\(\s*check_views\(\),\s*true\s*\)", findings):
        problems.append("findings.sql does not read query_table(check_views(), true)")
    return problems


def test_every_rule_has_one_named_check_and_every_check_feeds_the_findings():
    from loaders.keys import CHECK_RULES

    assert rule_check_problems(ROOT / "sql" / "checks", CHECK_RULES) == []


def test_a_check_named_by_hand_in_the_findings_or_a_rule_without_its_check_is_caught(tmp_path: Path):
    import shutil

    from loaders.keys import CHECK_RULES

    checks = shutil.copytree(ROOT / "sql" / "checks", tmp_path / "checks")
    assert rule_check_problems(checks, [*CHECK_RULES, "R10"]) == [f"rules {sorted([*CHECK_RULES, 'R10'])} but "
                                                                   f"checks give {sorted(CHECK_RULES)}"]  # fmt: skip
    findings = checks / "findings.sql"
    findings.write_text(findings.read_text(encoding="utf-8") + "\nunion all select * from chk_requests_balance\n")
    assert rule_check_problems(checks, CHECK_RULES) == ["findings.sql names chk_requests_balance"]


def test_marts_are_grouped_by_topic_and_found_by_name():
    from analytics.queries import load_sql

    marts = ROOT / "sql" / "marts"
    assert not list(marts.glob("*.sql"))  # every query in a topic folder
    files = sorted(marts.glob("*/*.sql"))
    assert len({p.stem for p in files}) == len(files)  # names unique across topics
    for path in files:
        assert load_sql(path.stem) == path.read_text(encoding="utf-8")


def test_the_briefing_builds_no_chart_or_table_itself(graph: dict[str, set[str]]):
    # it lists the views the pages show; a chart drawn here would be a second definition of a page's chart
    assert "analytics.charts" not in graph["exports.briefing"]
    for topic in ("overview", "trends", "outcomes", "review", "proposals"):
        assert f"analytics.views.{topic}" in graph["exports.briefing"]
        assert f"analytics.views.{topic}" in graph[f"app_pages.{topic}"]
