"""评分: the units of a year scored against a rubric (analytics/rubric.py), every deduction with its evidence (the
score sheet file is written by exports/score_sheet.py).

Every figure comes from named queries: coverage (units, publication dates, deadlines), score_reports (sections,
requests, outcomes, cases), score_findings (findings with their review status) and score_similarity (the most
repeated section comparisons). The arithmetic here is the rubric's: points, deductions, caps, rescaling, tiers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from analytics.rubric import Indicator, Rubric, RubricError, UnitClass, load_rubric
from loaders.keys import RULES

# the named queries this module runs
QUERIES = ("coverage", "score_reports", "score_findings", "score_similarity", "score_tiers")

Fetch = Callable[..., pl.DataFrame]  # fetch(query_name, **params): a named query's result
SECTIONS = ("一", "二", "三", "四", "五", "六")
PASSAGE_SHOWN = 60  # characters of a repeated passage quoted as evidence


# --- results --------------------------------------------------------------------------------------------------


@dataclass
class Deduction:
    """Points lost (or, for a bonus item, added) with the reason and the evidence behind them.

    evidence["kind"] is one of coverage, sections, finding, similarity, rate, cap; report_id, line and
    finding_key are given wherever there is one, so that a page can link to the report or the finding.
    """

    indicator: str
    label: str
    points: float  # lost; an adjustment that gives points back (a cap) is negative
    reason: str
    evidence: dict[str, Any]

    def evidence_text(self) -> str:
        """The evidence in one line of Chinese."""
        return _EVIDENCE_TEXT[self.evidence["kind"]](self.evidence)


@dataclass
class IndicatorResult:
    """An indicator as scored for one unit: its points, what it earned (None: not scored) and what was found."""

    id: str
    label: str
    group: str
    points: float
    earned: float | None
    value: str
    note: str = ""


@dataclass
class UnitScore:
    """One unit's score for a year."""

    unit: str
    parent: str | None
    level: str | None
    type: str | None
    class_id: str | None
    class_label: str
    report_id: str | None
    filed_as: str | None
    timeliness: str | None
    total: float | None = None  # None: the unit is in no class of the rubric
    tier: str = ""
    rank: int | None = None  # within its class, 1 = best; ties share a rank
    indicators: list[IndicatorResult] = field(default_factory=list)
    deductions: list[Deduction] = field(default_factory=list)
    bonuses: list[Deduction] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    region: str | None = None


@dataclass
class Outcome:
    """What an indicator found: scored or not, the value shown, and the deductions (or bonus) with evidence."""

    scored: bool
    value: str
    items: list[Deduction] = field(default_factory=list)
    note: str = ""


@dataclass
class Context:
    """Everything one unit's indicators read: its coverage row, its report's inputs, findings and similarity rows."""

    unit: dict[str, Any]
    report: dict[str, Any]
    findings: list[dict[str, Any]]
    similar: list[dict[str, Any]]


# --- scoring a year ---------------------------------------------------------------------------------------------


def score_year(fetch: Fetch, year: int, rubric: Rubric) -> list[UnitScore]:
    """Every unit expected to report for `year` (the coverage query), scored and placed in a tier."""
    units = fetch("coverage", year=year)
    reports = {r["report_id"]: r for r in fetch("score_reports", year=year).iter_rows(named=True)}
    findings = _by_report(fetch("score_findings", year=year))
    similar = _by_report(fetch("score_similarity", year=year))
    scores = [
        score_unit(rubric, unit, reports.get(unit["report_id"]), findings.get(unit["report_id"], []),
                   similar.get(unit["report_id"], []))
        for unit in units.iter_rows(named=True)
    ]  # fmt: skip
    assign_tiers(fetch, scores, rubric)
    for score in scores:
        _name_reports(score, year)
    return scores


def _name_reports(score: UnitScore, year: int) -> None:
    """Give every piece of evidence about the unit's report the report's agency and year, so that it reads as
    张店区人民政府2021年报告 rather than as the report's id (which stays, for the links)."""
    for item in score.deductions + score.bonuses:
        if item.evidence.get("report_id"):
            item.evidence.setdefault("agency", score.filed_as or score.unit)
            item.evidence.setdefault("year", year)


def _by_report(frame: pl.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Rows grouped by report id."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in frame.iter_rows(named=True):
        out[row["report_id"]].append(row)
    return out


def score_unit(rubric: Rubric, unit: dict, report: dict | None, findings: list[dict], similar: list[dict]) -> UnitScore:
    """One unit's score: its class's indicators, caps per indicator and group, rescaling, bonus items."""
    unit_class = rubric.class_for(unit.get("type"))
    score = UnitScore(
        unit["unit"], unit.get("parent"), unit.get("level"), unit.get("type"), unit_class and unit_class.id,
        unit_class.label if unit_class else "—", unit.get("report_id"), unit.get("filed_as"), unit.get("timeliness"),
    )  # fmt: skip
    score.region = unit.get("region")
    if unit_class is None:
        score.notes.append("单位类型不属于评分细则中的任何类别，不评分")
        return score
    chosen = [rubric.indicators[i] for i in unit_class.indicators]
    if report is None:
        return _no_report(score, rubric, unit_class, chosen, unit)
    context = Context(unit, report, findings, similar)
    base = _scored_indicators(score, rubric, unit_class, [i for i in chosen if not i.bonus], context)
    lost = sum(d.points for d in score.deductions)
    score.total = (base - lost) * rubric.max_score / base if base else 0.0
    full = sum(rubric.points(unit_class, i) for i in chosen if not i.bonus)
    if base < full:
        score.notes.append(
            f"有指标不计分（见各项说明），按可计分的{base:g}分折算为{rubric.max_score:g}分制："
            f"（{base:g} − {lost:g}）÷ {base:g} × {rubric.max_score:g}"
        )
    bonus = _bonus_items(score, rubric, unit_class, [i for i in chosen if i.bonus], context)
    score.total = round(min(rubric.max_score, score.total + bonus), 2)
    return score


def _scored_indicators(
    score: UnitScore, rubric: Rubric, unit_class: UnitClass, chosen: list[Indicator], context: Context
) -> float:
    """Evaluate each indicator, cap its deductions at its points and each group's at the group cap; the points
    of the indicators that were scored."""
    base = 0.0
    by_group: dict[str, list[Deduction]] = defaultdict(list)
    for indicator in chosen:
        points = rubric.points(unit_class, indicator)
        outcome = EVALUATORS[indicator.kind](indicator, points, context)
        if not outcome.scored:
            score.indicators.append(_result(indicator, points, None, outcome))
            continue
        base += points
        items = outcome.items + _cap(indicator, outcome.items, points, "本项")
        score.indicators.append(_result(indicator, points, points - sum(d.points for d in items), outcome))
        by_group[indicator.group] += items
    for group_id, items in by_group.items():
        group = rubric.groups[group_id]
        score.deductions += items
        if group.cap is not None:
            score.deductions += _cap(_GroupAsIndicator(group.id, group.label), items, group.cap, "本组")
    return base


@dataclass(frozen=True)
class _GroupAsIndicator:
    """A group where a cap adjustment names what it caps."""

    id: str
    label: str


def _cap(owner: Indicator | _GroupAsIndicator, items: list[Deduction], cap: float, what: str) -> list[Deduction]:
    """An adjustment giving back what `items` lose beyond `cap` (none when within it)."""
    lost = sum(d.points for d in items)
    if lost <= cap:
        return []
    evidence = {"kind": "cap", "lost": lost, "cap": cap, "what": what}
    return [Deduction(owner.id, owner.label, -(lost - cap), f"{what}扣分以{cap:g}分为限", evidence)]


def _result(indicator: Indicator, points: float, earned: float | None, outcome: Outcome) -> IndicatorResult:
    """An indicator's line of the score sheet."""
    shown = None if earned is None else round(earned, 2)
    return IndicatorResult(indicator.id, indicator.label, indicator.group, points, shown, outcome.value, outcome.note)


def _bonus_items(
    score: UnitScore, rubric: Rubric, unit_class: UnitClass, chosen: list[Indicator], context: Context
) -> float:
    """Points added by bonus items, each at most its points and each group at most its cap."""
    by_group: dict[str, list[Deduction]] = defaultdict(list)
    for indicator in chosen:
        points = rubric.points(unit_class, indicator)
        outcome = EVALUATORS[indicator.kind](indicator, points, context)
        added = sum(d.points for d in outcome.items)
        score.indicators.append(_result(indicator, points, added, outcome))
        by_group[indicator.group] += outcome.items
    total = 0.0
    for group_id, items in by_group.items():
        group = rubric.groups[group_id]
        adjustment = (
            _cap(_GroupAsIndicator(group.id, group.label), items, group.cap, "本组加分")
            if group.cap is not None
            else []
        )
        score.bonuses += items + adjustment
        total += sum(d.points for d in items + adjustment)
    return total


def _no_report(
    score: UnitScore, rubric: Rubric, unit_class: UnitClass, chosen: list[Indicator], unit: dict
) -> UnitScore:
    """A unit with no report for the year: 0 (missing_report = "zero"), with the coverage row as evidence."""
    for indicator in chosen:
        points = rubric.points(unit_class, indicator)
        score.indicators.append(IndicatorResult(indicator.id, indicator.label, indicator.group, points, None, "未发布"))
    evidence = _coverage_evidence(unit)
    score.deductions.append(Deduction("report", "年度报告", rubric.max_score, "未发布年度报告，按0分计", evidence))
    score.total = 0.0
    return score


# --- indicators ---------------------------------------------------------------------------------------------------


def _coverage_evidence(unit: dict) -> dict[str, Any]:
    """The coverage row as evidence: publication date, deadline, days late."""
    return {
        "kind": "coverage",
        "report_id": unit.get("report_id"),
        "timeliness": unit.get("timeliness"),
        "published_on": _iso(unit.get("published_on")),
        "deadline": _iso(unit.get("deadline")),
        "days_late": unit.get("days_late"),
    }


def _iso(value: Any) -> str | None:
    """A date as YYYY-MM-DD."""
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if value else None)


def on_time(indicator: Indicator, points: float, context: Context) -> Outcome:
    """按时发布: the coverage query's timeliness; late (逾期) loses `late` points, an unknown date `unknown`."""
    unit = context.unit
    timeliness = unit.get("timeliness") or "日期不详"
    evidence = _coverage_evidence(unit)
    value = f"{timeliness}（发布{evidence['published_on'] or '日期不详'}，截止{evidence['deadline']}）"
    lose = {"逾期": indicator.params["late"], "日期不详": indicator.params["unknown"]}.get(timeliness, 0)
    if not lose:
        return Outcome(True, value)
    reason = f"逾期{unit.get('days_late')}天发布" if timeliness == "逾期" else "报告未载明发布日期"
    return Outcome(True, value, [Deduction(indicator.id, indicator.label, lose, reason, evidence)])


def sections_present(indicator: Indicator, points: float, context: Context) -> Outcome:
    """六个部分齐全: each of sections 一…六 the report lacks loses `per_missing`."""
    report = context.report
    if report.get("source_format") == "collection":
        return Outcome(False, "汇总表填报", note="汇总填报表只有数字，没有正文各部分，不计分")
    found = list(report.get("sections") or [])
    missing = [s for s in SECTIONS if s not in found]
    items = [
        Deduction(
            indicator.id, indicator.label, indicator.params["per_missing"], f"缺少第{s}部分",
            {"kind": "sections", "report_id": report["report_id"], "missing": s, "found": found, "line": None},
        )
        for s in missing
    ]  # fmt: skip
    return Outcome(True, "齐全" if not missing else f"缺少{'、'.join(missing)}", items)


def _finding_items(indicator: Indicator, context: Context, reason: str) -> list[Deduction]:
    """One deduction of `per` points for each finding of the indicator's rules whose status counts."""
    rules, statuses = set(indicator.params["rules"]), set(indicator.params["statuses"])
    return [
        Deduction(
            indicator.id, indicator.label, indicator.params.get("per", 0), f"{reason}（{f['rule']}，{f['status']}）",
            {"kind": "finding", "finding_key": f["finding_key"], "rule": f["rule"], "status": f["status"],
             "severity": f["severity"], "message": f["message"], "report_id": f["report_id"], "line": f["line"]},
        )
        for f in context.findings
        if f["rule"] in rules and f["status"] in statuses
    ]  # fmt: skip


def reconciles(indicator: Indicator, points: float, context: Context) -> Outcome:
    """表格数据勾稽相符: each finding of the listed rules (R1–R7 by default) whose status counts loses `per`."""
    items = _finding_items(indicator, context, "数据不符")
    return Outcome(True, "相符" if not items else f"{len(items)}处不符", items)


def unexplained_findings(indicator: Indicator, points: float, context: Context) -> Outcome:
    """问题均已说明: each finding still in a counted status (待核实 by default) loses `per`."""
    items = _finding_items(indicator, context, "问题未说明")
    return Outcome(True, "均已处理" if not items else f"{len(items)}个问题待说明", items)


def duplicated_text(indicator: Indicator, points: float, context: Context) -> Outcome:
    """内容不雷同: each section repeated at or above the threshold (its highest comparison) loses `per`."""
    threshold, relations = indicator.params["threshold"], set(indicator.params["relations"])
    best: dict[str, dict] = {}
    for row in context.similar:
        if row["relation"] in relations and row["score"] >= threshold:
            if row["section"] not in best or row["score"] > best[row["section"]]["score"]:
                best[row["section"]] = row
    items = [_similarity_item(indicator, best[s], context.report["report_id"]) for s in SECTIONS if s in best]
    top = max((r["score"] for r in context.similar if r["relation"] in relations), default=None)
    value = (
        "未比较"
        if top is None
        else f"最高{top * 100:.1f}%" + (f"，{len(items)}部分超过{threshold * 100:.0f}%" if items else "")
    )
    return Outcome(True, value, items)


def _similarity_item(indicator: Indicator, row: dict, report_id: str) -> Deduction:
    """The deduction for one repeated section, quoting its longest repeated passage."""
    passage = row.get("passage") or ""
    evidence = {
        "kind": "similarity", "report_id": report_id, "section": row["section"], "relation": row["relation"],
        "other_report_id": row["other_report_id"], "other_agency": row["other_agency"],
        "other_year": row["other_year"], "score": row["score"], "line": row.get("line"),
        "passage": passage if len(passage) <= PASSAGE_SHOWN else passage[:PASSAGE_SHOWN] + "…",
    }  # fmt: skip
    other = "上年报告" if row["relation"] == "上年" else "同类单位报告"
    reason = f"第{row['section']}部分与{other}雷同{row['score'] * 100:.0f}%"
    return Deduction(indicator.id, indicator.label, indicator.params["per"], reason, evidence)


def _guard(indicator: Indicator, report: dict) -> str | None:
    """Why a rate indicator is not scored for this report (too few requests), or None."""
    requests, least = report.get("requests"), indicator.params["min_requests"]
    if requests is None:
        return "报告未填报本年新收申请数，不计分"
    if requests < least:
        return f"本年新收申请{requests:g}件，少于{least}件，样本不足，不计分"
    return None


def outcome_mix(indicator: Indicator, points: float, context: Context) -> Outcome:
    """依申请公开实质公开率: (予以公开 + 部分公开) / 办理总计; `target` or more keeps every point, less pro rata."""
    report = context.report
    handled, disclosed, rate = report.get("handled"), report.get("disclosed"), report.get("disclosure_rate")
    shown = _rate_text(rate, disclosed, handled)
    reason = _guard(indicator, report)
    if reason is None and rate is None:
        reason = "报告未填报办理总计或予以公开、部分公开，无法计算，不计分"
    if reason:
        return Outcome(False, shown, note=reason)
    target = indicator.params["target"]
    lose = points * max(0.0, 1 - rate / target)
    evidence = _rate_evidence(
        report, "予以公开+部分公开", disclosed, "办理总计", handled, rate, target, report.get("handled_line")
    )
    item = Deduction(
        indicator.id, indicator.label, round(lose, 2), f"实质公开率{rate * 100:.1f}%，低于{target * 100:.0f}%", evidence
    )
    return Outcome(True, shown, [item] if lose > 0 else [])


def correction_rate(indicator: Indicator, points: float, context: Context) -> Outcome:
    """复议诉讼纠错率: 结果纠正 / 已审结 over the three blocks of section 四; 0 keeps every point, `max_rate` or more
    none, linear between."""
    report = context.report
    concluded, corrected = report.get("cases_concluded"), report.get("cases_corrected")
    shown = _rate_text(report.get("correction_rate"), corrected, concluded)
    reason = _guard(indicator, report)
    if reason is None and (concluded is None or corrected is None):
        reason = "报告未填报复议诉讼的结果纠正或审结情况，不计分"
    if reason is None and concluded < max(indicator.params["min_cases"], 1):
        reason = f"已审结复议诉讼案件{concluded:g}件，少于{max(indicator.params['min_cases'], 1)}件，不计分"
    rate = report.get("correction_rate")
    if reason is None and rate is None:
        reason = "复议诉讼没有可计算纠错率的已审结案件，不计分"
    if reason:
        return Outcome(False, shown, note=reason)
    limit = indicator.params["max_rate"]
    lose = points * min(1.0, rate / limit)
    evidence = _rate_evidence(report, "结果纠正", corrected, "已审结", concluded, rate, limit, report.get("cases_line"))
    item = Deduction(indicator.id, indicator.label, round(lose, 2), f"复议诉讼纠错率{rate * 100:.1f}%", evidence)
    return Outcome(True, shown, [item] if lose > 0 else [])


def _rate_text(rate: float | None, numerator: float | None, denominator: float | None) -> str:
    """A rate the SQL worked out with its counts, e.g. 50.7%（35/69）; 未填报 when a count is missing."""
    if numerator is None or denominator is None:
        return "未填报"
    if rate is None:
        return f"—（{numerator:g}/{denominator:g}）"
    return f"{rate * 100:.1f}%（{numerator:g}/{denominator:g}）"


def _rate_evidence(report: dict, num_label: str, num: float, den_label: str, den: float, rate: float, bound: float,
                   line: int | None) -> dict[str, Any]:  # fmt: skip
    """A rate and its counts as evidence."""
    return {
        "kind": "rate", "report_id": report["report_id"], "line": line, "numerator_label": num_label,
        "numerator": num, "denominator_label": den_label, "denominator": den, "rate": rate, "bound": bound,
    }  # fmt: skip


def early_publication(indicator: Indicator, points: float, context: Context) -> Outcome:
    """提前发布 (bonus): published at least `days` days before the deadline adds the item's points."""
    unit = context.unit
    published, deadline = unit.get("published_on"), unit.get("deadline")
    if published is None or deadline is None:
        return Outcome(True, "日期不详")
    ahead = (deadline - published).days
    value = f"提前{ahead}天" if ahead > 0 else "未提前"
    if ahead < indicator.params["days"]:
        return Outcome(True, value)
    reason = f"截止日期前{ahead}天发布"
    return Outcome(True, value, [Deduction(indicator.id, indicator.label, points, reason, _coverage_evidence(unit))])


def no_findings(indicator: Indicator, points: float, context: Context) -> Outcome:
    """无问题 (bonus): no finding of the listed rules in a counted status adds the item's points."""
    if _finding_items(indicator, context, ""):
        return Outcome(True, "有问题")
    evidence = {"kind": "clean", "report_id": context.report["report_id"], "rules": list(indicator.params["rules"])}
    return Outcome(True, "无问题", [Deduction(indicator.id, indicator.label, points, "未发现所列规则的问题", evidence)])


EVALUATORS: dict[str, Callable[[Indicator, float, Context], Outcome]] = {
    "on_time": on_time,
    "sections_present": sections_present,
    "reconciles": reconciles,
    "unexplained_findings": unexplained_findings,
    "duplicated_text": duplicated_text,
    "outcome_mix": outcome_mix,
    "correction_rate": correction_rate,
    "early_publication": early_publication,
    "no_findings": no_findings,
}


# --- evidence in words -----------------------------------------------------------------------------------------


def _at(evidence: dict) -> str:
    """Where in which report, e.g. 张店区人民政府2021年报告第100行 (the report's id only when it names no unit)."""
    line = evidence.get("line")
    named = evidence.get("agency") and evidence.get("year")
    report = f"{evidence['agency']}{evidence['year']}年报告" if named else f"报告 {evidence.get('report_id')}"
    return report + (f"第{line}行" if line else "")


_EVIDENCE_TEXT: dict[str, Callable[[dict], str]] = {
    "coverage": lambda e: (
        f"发布日期 {e['published_on'] or '不详'}，截止日期 {e['deadline']}"
        + (f"，逾期{e['days_late']}天" if e.get("days_late") else "")
        + (f"（{e['timeliness']}）" if e.get("timeliness") else "")
    ),
    "sections": lambda e: f"{_at(e)}：识别到第{'、'.join(e['found']) or '（无）'}部分，缺少第{e['missing']}部分",
    "finding": lambda e: f"{_at(e)}：{e['rule']} {RULES.get(e['rule'], '')}（{e['status']}）：{e['message']}",
    "similarity": lambda e: (
        f"{_at(e)} 第{e['section']}部分，与{e['other_agency']}{e['other_year']}年报告"
        f"相同{e['score'] * 100:.1f}%，如：“{e['passage']}”"
    ),
    "rate": lambda e: (
        f"{_at(e)}：{e['numerator_label']}{e['numerator']:g} ÷ {e['denominator_label']}"
        f"{e['denominator']:g} = {e['rate'] * 100:.1f}%（界值 {e['bound'] * 100:.0f}%）"
    ),
    "cap": lambda e: f"{e['what']}合计{e['lost']:g}分，超过上限{e['cap']:g}分",
    "clean": lambda e: f"{_at(e)}：无 {'、'.join(e['rules'])} 问题",
}


# --- tiers and comparisons ----------------------------------------------------------------------------------------


def assign_tiers(fetch: Fetch, scores: Iterable[UnitScore], rubric: Rubric) -> None:
    """Rank units within their class and give each a tier, as the rubric defines them (sql score_tiers: ties share
    a rank, 同类别前x% means rank over the class's ranked units at most x, a unit without a report ranked or not as
    the rubric's missing_report says)."""
    scored = [s for s in scores if s.total is not None]
    if not scored:
        return
    tiers = fetch(
        "score_tiers",
        units=[str(i) for i in range(len(scored))],
        classes=[s.class_id for s in scored],
        totals=[s.total for s in scored],
        reported=[s.report_id is not None for s in scored],
        tier_labels=[t.label for t in rubric.tiers],
        tier_min_scores=[t.min_score for t in rubric.tiers],
        tier_top_shares=[t.top_share for t in rubric.tiers],
        rank_missing=rubric.ranks_missing(),
    )
    for row in tiers.iter_rows(named=True):
        score = scored[int(row["unit_id"])]
        score.rank, score.tier = row["class_rank"], row["tier"]


def indicator_labels(scores: list[UnitScore], rubric: Rubric) -> list[str]:
    """The labels of the indicators any unit was scored on, in the rubric's order."""
    used = {r.id for s in scores for r in s.indicators}
    return [i.label for i in rubric.indicators.values() if i.id in used]


def sheet_order(score: UnitScore) -> tuple:
    """Sheet order: class, then rank, then name; unscored units last."""
    return (score.class_label, score.rank if score.rank is not None else 10**9, score.unit)


def improvements(current: list[UnitScore], previous: list[UnitScore]) -> pl.DataFrame:
    """Units with a report in both years: last year's total, this year's and the change, most improved first."""
    before = {s.unit: s for s in previous if s.report_id and s.total is not None}
    rows = [
        (s.unit, s.class_label, before[s.unit].total, s.total, round(s.total - before[s.unit].total, 2))
        for s in current
        if s.report_id and s.total is not None and s.unit in before
    ]
    schema = {"单位": pl.String, "类别": pl.String, "上年总分": pl.Float64, "本年总分": pl.Float64, "变化": pl.Float64}
    return pl.DataFrame(rows, schema=schema, orient="row").sort(["变化", "单位"], descending=[True, False])


def tier_counts(scores: list[UnitScore], rubric: Rubric) -> pl.DataFrame:
    """How many units of each class fall in each tier, tiers in the rubric's order."""
    rows = [(s.class_label, s.tier) for s in scores if s.total is not None]
    frame = pl.DataFrame(rows, schema={"类别": pl.String, "等次": pl.String}, orient="row")
    counts = frame.group_by("类别", "等次").len("单位数")
    order = {tier.label: i for i, tier in enumerate(rubric.tiers)}
    return counts.sort(pl.col("等次").replace_strict(order, default=len(order)), "类别")


def duplicated_text_threshold(path: Path | None = None) -> float:
    """The duplicated-text threshold of the (default) rubric: where the 雷同检查 page's slider starts."""
    try:
        return load_rubric(path).threshold() or 0.5
    except RubricError:
        return 0.5


class ScoringError(ValueError):
    """Bad input to the command line (database, year, output file), in Chinese and English."""
