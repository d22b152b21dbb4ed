"""The scoring rubric: a TOML file (read with the standard library's tomllib) of indicator groups, indicators, unit
classes and tiers, checked entry by entry. Every error names the file and the entry, in Chinese and English.

The format is documented in the README ("Scoring rubric"); rubrics/default.toml is the shipped example.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import config
from analytics.state import TYPES
from loaders.keys import CHECK_RULES, RULES, STATUSES, UNREVIEWED

DEFAULT_RUBRIC = config.REPO_ROOT / "rubrics" / "default.toml"
RELATIONS = ("上年", "同类")  # the relations of section_similarity
ALL_RULES = CHECK_RULES
# what a unit without a report scores, and whether it is ranked: "unranked" scores 0 and is listed, last tier, but
# neither ranked nor counted among its class's units; "zero" scores 0 and is ranked and counted like the others
MISSING_REPORT = {
    "unranked": (
        "未发布年度报告的单位按0分计、列入最后一个等次，不参与排名，也不计入同类别单位数"
        "（“前x%”只按已发布报告的单位计算）"
    ),
    "zero": "未发布年度报告的单位按0分计，参与同类别排名，并计入同类别单位数（“前x%”按全部应发布单位计算）",
}


class RubricError(ValueError):
    """A rubric that cannot be used: the file, the entry and the problem, in Chinese and English."""

    def __init__(self, source: str, zh: str, en: str):
        super().__init__(f"{source}: {zh} / {en}")
        self.source, self.zh, self.en = source, zh, en


# --- the rubric as the scorer uses it -----------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """Indicators scored together; `cap` is the most points they can lose together (bonus items: add)."""

    id: str
    label: str
    cap: float | None


@dataclass(frozen=True)
class Indicator:
    """One scored item: what it measures (kind), its points and the kind's parameters."""

    id: str
    label: str
    group: str
    kind: str
    points: float
    params: Mapping[str, Any]

    @property
    def bonus(self) -> bool:
        """A bonus item adds points instead of losing them."""
        return self.kind in BONUS_KINDS


@dataclass(frozen=True)
class UnitClass:
    """Units of some types (政府, 部门 …) scored on their own set of indicators, with their own points."""

    id: str
    label: str
    types: tuple[str, ...]
    indicators: tuple[str, ...]
    points: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Tier:
    """A tier a unit is placed in when it meets every condition given (the last tier has none)."""

    label: str
    min_score: float | None = None
    top_share: float | None = None

    def conditions(self) -> str:
        """The tier's conditions in words, e.g. 同类别前25%且不低于67分; empty for a tier without any."""
        parts = []
        if self.top_share is not None:
            parts.append(f"同类别前{self.top_share * 100:g}%")
        if self.min_score is not None:
            parts.append(f"不低于{self.min_score:g}分")
        return "且".join(parts)


@dataclass(frozen=True)
class Rubric:
    """A validated rubric."""

    name: str
    source: str
    max_score: float
    min_requests: int
    missing_report: str
    groups: Mapping[str, Group]
    indicators: Mapping[str, Indicator]
    classes: tuple[UnitClass, ...]
    tiers: tuple[Tier, ...]
    path: str

    def ranks_missing(self) -> bool:
        """Whether a unit without a report is ranked and counted among its class's units."""
        return self.missing_report == "zero"

    def missing_words(self) -> str:
        """How units without a report are scored, ranked and counted, in words (for the page and the sheet)."""
        return MISSING_REPORT[self.missing_report]

    def class_for(self, unit_type: str | None) -> UnitClass | None:
        """The class of units of this type."""
        return next((c for c in self.classes if unit_type in c.types), None)

    def points(self, unit_class: UnitClass, indicator: Indicator) -> float:
        """An indicator's points for a class (the class may give it other points than the indicator's own)."""
        return float(unit_class.points.get(indicator.id, indicator.points))

    def threshold(self) -> float | None:
        """The duplicated-text threshold of the first duplicated_text indicator, if any."""
        found = next((i for i in self.indicators.values() if i.kind == "duplicated_text"), None)
        return found.params["threshold"] if found else None


# --- reading and checking ------------------------------------------------------------------------------------


def load_rubric(path: Path | str | None = None) -> Rubric:
    """Read and check a rubric file (the default one when no path is given)."""
    path = Path(path) if path else DEFAULT_RUBRIC
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RubricError(name, "评分细则文件不存在", "rubric file not found") from exc
    except UnicodeDecodeError as exc:
        raise RubricError(name, "文件不是 UTF-8 编码的文本", "the file is not UTF-8 text") from exc
    except OSError as exc:
        raise RubricError(name, f"无法读取文件（{exc}）", f"cannot read the file ({exc})") from exc
    return rubric_from_text(text, name)


def rubric_from_text(text: str, source: str) -> Rubric:
    """Read and check a rubric's TOML text; `source` names it in error messages."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(source, f"TOML 格式错误（{exc}）", f"not valid TOML ({exc})") from exc
    return parse_rubric(raw, source)


def checked_name(text: str, file_name: str) -> str:
    """The name of a rubric whose text reads and checks (what loaders.rubrics stores it under); RubricError else."""
    return rubric_from_text(text, file_name).name


def parse_rubric(raw: Mapping[str, Any], source: str) -> Rubric:
    """A rubric from the parsed TOML; `source` names the file in error messages."""
    check = _Checker(source)
    check.keys(raw, "文件顶层", "the top level", {"rubric", "groups", "indicators", "classes", "tiers"}, {"rubric"})
    head = check.table(raw, "rubric", "[rubric]")
    check.keys(head, "[rubric]", "[rubric]", set(_HEAD), {"name", "max_score"})
    values = {key: check.value(head, key, kind, "[rubric]", default) for key, (kind, default) in _HEAD.items()}
    groups = _groups(check, raw)
    indicators = _indicators(check, raw, groups, values["min_requests"])
    classes = _classes(check, raw, indicators)
    tiers = _tiers(check, raw, values["max_score"])
    return Rubric(
        name=values["name"],
        source=values["source"],
        max_score=values["max_score"],
        min_requests=values["min_requests"],
        missing_report=values["missing_report"],
        groups=groups,
        indicators=indicators,
        classes=classes,
        tiers=tiers,
        path=source,
    )


def _groups(check: _Checker, raw: Mapping[str, Any]) -> dict[str, Group]:
    """The [[groups]] entries."""
    out: dict[str, Group] = {}
    for where, entry in check.entries(raw, "groups"):
        check.keys(entry, where, where, {"id", "label", "cap"}, {"id", "label"})
        ident = check.value(entry, "id", "ident", where)
        group = Group(ident, check.value(entry, "label", "text", where), check.value(entry, "cap", "number", where))
        check.unique(out, group.id, where)
        out[group.id] = group
    return out


def _indicators(check: _Checker, raw: Mapping[str, Any], groups: Mapping[str, Group], min_requests: int) -> dict:
    """The [[indicators]] entries, each with its kind's parameters (defaults filled in)."""
    out: dict[str, Indicator] = {}
    for where, entry in check.entries(raw, "indicators"):
        kind = check.value(entry, "kind", "text", where)
        if kind not in KINDS:
            check.fail(where, f"未知的指标类型“{kind}”（可用：{'、'.join(KINDS)}）", f'unknown kind "{kind}"')
        params = KINDS[kind]
        check.keys(entry, where, where, {"id", "label", "group", "kind", "points", *params}, {"id", "label", "kind"})
        ident = check.value(entry, "id", "ident", where)
        group = check.value(entry, "group", "text", where, "")
        if group not in groups:
            check.fail(where, f"分组“{group}”未在 [[groups]] 中定义", f'group "{group}" is not defined in [[groups]]')
        points = check.value(entry, "points", "positive", where)
        values = {
            k: check.value(entry, k, t, where, _default(k, d, points, min_requests)) for k, (t, d) in params.items()
        }
        indicator = Indicator(ident, check.value(entry, "label", "text", where), group, kind, points, values)
        check.unique(out, indicator.id, where)
        out[indicator.id] = indicator
    return out


def _default(key: str, default: Any, points: float, min_requests: int) -> Any:
    """A parameter's default: some follow the indicator's points or the rubric's small-sample guard."""
    if default == "points":
        return points
    if default == "min_requests":
        return min_requests
    return default


def _classes(check: _Checker, raw: Mapping[str, Any], indicators: Mapping[str, Indicator]) -> tuple[UnitClass, ...]:
    """The [[classes]] entries: every unit type in exactly one class, every indicator named defined."""
    out: list[UnitClass] = []
    seen_types: dict[str, str] = {}
    for where, entry in check.entries(raw, "classes"):
        check.keys(entry, where, where, {"id", "label", "types", "indicators", "points"}, {"id", "label", "types"})
        ident = check.value(entry, "id", "ident", where)
        types = tuple(check.value(entry, "types", "types", where))
        for unit_type in types:
            if unit_type in seen_types:
                other = seen_types[unit_type]
                check.fail(
                    where, f"类型“{unit_type}”已属于类别“{other}”", f'type "{unit_type}" is already in class "{other}"'
                )
            seen_types[unit_type] = ident
        chosen = tuple(check.value(entry, "indicators", "names", where, list(indicators)))
        points = check.value(entry, "points", "points_map", where, {})
        for name in (*chosen, *points):
            if name not in indicators:
                check.fail(
                    where,
                    f"指标“{name}”未在 [[indicators]] 中定义",
                    f'indicator "{name}" is not defined in [[indicators]]',
                )
        if not any(not indicators[i].bonus for i in chosen):
            check.fail(
                where, "至少要有一个计分指标（加分项以外）", "needs at least one scored indicator besides bonus items"
            )
        check.unique({c.id: c for c in out}, ident, where)
        out.append(UnitClass(ident, check.value(entry, "label", "text", where), types, chosen, points))
    missing = [t for t in TYPES if t not in seen_types]
    if missing:
        check.fail(
            "[[classes]]",
            f"单位类型 {'、'.join(missing)} 不属于任何类别",
            f"unit types {', '.join(missing)} belong to no class",
        )
    return tuple(out)


def _tiers(check: _Checker, raw: Mapping[str, Any], max_score: float) -> tuple[Tier, ...]:
    """The [[tiers]] entries, in order; the last one must take every unit left."""
    out: list[Tier] = []
    for where, entry in check.entries(raw, "tiers"):
        check.keys(entry, where, where, {"label", "min_score", "top_share"}, {"label"})
        tier = Tier(
            check.value(entry, "label", "text", where),
            check.value(entry, "min_score", "number", where),
            check.value(entry, "top_share", "share", where),
        )
        if tier.min_score is not None and tier.min_score > max_score:
            check.fail(
                where,
                f"min_score {tier.min_score} 超过满分 {max_score}",
                f"min_score {tier.min_score} exceeds max_score {max_score}",
            )
        out.append(tier)
    if out[-1].min_score is not None or out[-1].top_share is not None:
        check.fail(
            f"tiers[{len(out) - 1}]",
            "最后一个等次不能有条件（它接收其余所有单位）",
            "the last tier must have no conditions (it takes every unit left)",
        )
    return tuple(out)


# --- kinds and their parameters: (value type, default) --------------------------------------------------------

_FINDINGS_R1_R7 = list(ALL_RULES[:7])
KINDS: dict[str, dict[str, tuple[str, Any]]] = {
    "on_time": {"late": ("number", "points"), "unknown": ("number", 0)},
    "sections_present": {"per_missing": ("number", 5)},
    "reconciles": {
        "per": ("number", 1),
        "rules": ("rules", _FINDINGS_R1_R7),
        "statuses": ("statuses", list(STATUSES[:3])),
    },
    "unexplained_findings": {
        "per": ("number", 1),
        "rules": ("rules", list(ALL_RULES)),
        "statuses": ("statuses", [UNREVIEWED]),
    },
    "duplicated_text": {"per": ("number", 1), "threshold": ("share", 0.5), "relations": ("relations", list(RELATIONS))},
    "outcome_mix": {"target": ("share", 0.6), "min_requests": ("count", "min_requests")},
    "correction_rate": {
        "max_rate": ("share", 0.5),
        "min_requests": ("count", "min_requests"),
        "min_cases": ("count", 0),
    },
    "early_publication": {"days": ("count", 15)},
    "no_findings": {"rules": ("rules", list(ALL_RULES)), "statuses": ("statuses", list(STATUSES[:3]))},
}
BONUS_KINDS = frozenset({"early_publication", "no_findings"})
_HEAD: dict[str, tuple[str, Any]] = {
    "name": ("text", None),
    "source": ("text", ""),
    "max_score": ("positive", None),
    "min_requests": ("count", 30),
    "missing_report": ("missing", "zero"),
}


class _Checker:
    """Checks parts of the parsed TOML and raises RubricError naming the file and the entry."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, zh: str, en: str) -> None:
        """Refuse the rubric."""
        raise RubricError(self.source, f"{where}：{zh}", f"{where}: {en}")

    def table(self, raw: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
        """A table that must be there."""
        value = raw.get(key)
        if not isinstance(value, dict):
            self.fail(where, "缺少该表或不是表", "missing, or not a table")
        return value

    def entries(self, raw: Mapping[str, Any], key: str) -> list[tuple[str, Mapping[str, Any]]]:
        """The entries of an array of tables ([[key]]), each named for messages, e.g. indicators[2] (id "x")."""
        value = raw.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            self.fail(f"[[{key}]]", "至少需要一项，每项是一个表", "needs at least one entry, each a table")
        named = []
        for i, entry in enumerate(value):
            label = entry.get("id", entry.get("label"))
            named.append((f"{key}[{i}]" + (f' (id "{label}")' if isinstance(label, str) else ""), entry))
        return named

    def keys(self, entry: Mapping[str, Any], where_zh: str, where_en: str, allowed: set, required: set) -> None:
        """No unknown key (a typo would otherwise be ignored silently), no required key missing."""
        unknown = sorted(set(entry) - allowed)
        if unknown:
            raise RubricError(
                self.source,
                f"{where_zh}：未知的键 {'、'.join(unknown)}（可用：{'、'.join(sorted(allowed))}）",
                f"{where_en}: unknown keys {', '.join(unknown)}",
            )
        missing = sorted(required - set(entry))
        if missing:
            raise RubricError(
                self.source, f"{where_zh}：缺少 {'、'.join(missing)}", f"{where_en}: missing {', '.join(missing)}"
            )

    def unique(self, seen: Mapping[str, Any], key: str, where: str) -> None:
        """Ids are unique within their kind of entry."""
        if key in seen:
            self.fail(where, f"id“{key}”重复", f'duplicate id "{key}"')

    def value(self, entry: Mapping[str, Any], key: str, kind: str, where: str, default: Any = None) -> Any:
        """One value checked against its kind; the default when the key is absent."""
        if key not in entry:
            return default
        value = entry[key]
        problem = _PROBLEMS[kind](value)
        if problem:
            self.fail(where, f"{key} = {_shown(value)}：{problem[0]}", f"{key} = {_shown(value)}: {problem[1]}")
        return float(value) if kind in ("number", "positive", "share") else value


def _shown(value: Any) -> str:
    """A value as the rubric file would spell it, short."""
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + "…"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _list_of(allowed: Callable[[Any], bool], zh: str, en: str) -> Callable[[Any], tuple[str, str] | None]:
    """A check for a non-empty list whose items all pass `allowed`."""

    def check(value: Any) -> tuple[str, str] | None:
        if not isinstance(value, list) or not value:
            return ("应为非空列表", "must be a non-empty list")
        bad = [v for v in value if not allowed(v)]
        return (f"{zh}：{'、'.join(map(str, bad))}", f"{en}: {', '.join(map(str, bad))}") if bad else None

    return check


_PROBLEMS: dict[str, Callable[[Any], tuple[str, str] | None]] = {
    "text": lambda v: None if isinstance(v, str) and v.strip() else ("应为非空文本", "must be non-empty text"),
    "ident": lambda v: (
        None
        if isinstance(v, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", v)
        else ("应为英文字母、数字和下划线组成的标识", "must be an identifier of letters, digits and underscores")
    ),
    "number": lambda v: None if _is_number(v) and v >= 0 else ("应为不小于0的数", "must be a number of at least 0"),
    "positive": lambda v: None if _is_number(v) and v > 0 else ("应为大于0的数", "must be a number above 0"),
    "share": lambda v: (
        None if _is_number(v) and 0 < v <= 1 else ("应为0到1之间的比例（不含0）", "must be a share in (0, 1]")
    ),
    "count": lambda v: (
        None
        if isinstance(v, int) and not isinstance(v, bool) and v >= 0
        else ("应为不小于0的整数", "must be a whole number of at least 0")
    ),
    "missing": lambda v: (
        None if v in MISSING_REPORT else ('只能是 "unranked" 或 "zero"', 'must be "unranked" or "zero"')
    ),
    "rules": _list_of(lambda v: isinstance(v, str) and v in RULES, "未知的规则", "unknown rules"),  # loaders.keys
    "statuses": _list_of(lambda v: v in STATUSES, "未知的状态", "unknown statuses"),
    "relations": _list_of(lambda v: v in RELATIONS, "未知的比较对象", "unknown relations"),
    "types": _list_of(lambda v: v in TYPES, f"未知的单位类型（可用：{'、'.join(TYPES)}）", "unknown unit types"),
    "names": _list_of(lambda v: isinstance(v, str), "应为指标 id", "must be indicator ids"),
    "points_map": lambda v: (
        None
        if isinstance(v, dict) and all(_is_number(p) and p > 0 for p in v.values())
        else ("应为 { 指标id = 分值 } 且分值大于0", "must be { indicator_id = points } with points above 0")
    ),
}
