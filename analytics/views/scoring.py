"""评分排名: the units of a year scored against a rubric, as tables of numbers: the ranking with each indicator's
points, the most improved units, and one unit's indicators and deductions."""

from __future__ import annotations

import polars as pl

from analytics import scoring
from analytics.rubric import Rubric
from analytics.scoring import UnitScore, indicator_labels, sheet_order
from analytics.views import DASHBOARD, Column, Table, source

QUERIES = (*scoring.QUERIES,)
UNSCORED_NOTE = "得分为空的指标及原因：不计分（如本年新收申请过少，比率类指标不计分）、未发布（没有报告）"
EMPTY_NOTE = "空白：该单位类别不适用此指标，或见“未计分”列。"


def _source(rubric: Rubric) -> str:
    """Where the scores come from: the rubric applied to the reports and findings."""
    return source(f"按评分细则“{rubric.name}”对各单位年度报告与问题核查结果计分（{DASHBOARD}）")


def _unscored(score: UnitScore) -> str:
    """The unit's indicators without points, each with why: 不计分 or 未发布."""
    missing = [r for r in score.indicators if r.earned is None]
    return "；".join(f"{r.label}：{'未发布' if r.value == '未发布' else '不计分'}" for r in missing)


SHARE_WORDS = "“同类别前x%”指名次除以同类别参与排名的单位数不超过x%（5个单位中第2名为40%）"


def tier_words(rubric: Rubric) -> str:
    """The tiers as the rubric defines them, in words: each tier's conditions, what a top share means, and how units
    without a report are scored, ranked and counted."""
    tiers = "；".join(f"{t.label}：{t.conditions() or '其余单位'}" for t in rubric.tiers)
    return f"{tiers}。{SHARE_WORDS}；{rubric.missing_words()}。"


def ranking_table(scores: list[UnitScore], rubric: Rubric) -> Table:
    """One row per unit: rank within its class, total, tier and each indicator's points earned, as numbers."""
    labels = indicator_labels(scores, rubric)
    rows = []
    for score in sorted(scores, key=sheet_order):
        earned = {r.label: r.earned for r in score.indicators}
        scored = score.total is not None
        rows.append(
            [score.rank, score.unit, score.class_label, score.total, score.tier or None, score.timeliness]
            + [earned.get(label) for label in labels]
            + [round(sum(d.points for d in score.deductions), 2) if scored else None]
            + [round(sum(d.points for d in score.bonuses), 2) if scored else None, _unscored(score)]
        )
    columns = (
        Column("排名", "ordinal", f"在同一类别内的名次，并列同名次；{rubric.missing_words()}"),
        Column("单位"),
        Column("类别", "text", "评分细则中的单位类别"),
        Column("总分", "score", "各指标得分之和，按可计分指标折算"),
        Column("等次", "text", tier_words(rubric)),
        Column("报送", "text", "按时、逾期、日期不详或未发布"),
        *[Column(label, "score", f"该指标所得分数；{EMPTY_NOTE}") for label in labels],
        Column("扣分", "score", "各项扣分之和"),
        Column("加分", "score", "各项加分或上限调整之和"),
        Column("未计分", "text", UNSCORED_NOTE),
    )
    frame = pl.DataFrame(rows, schema=_schema(columns), orient="row")
    note = f"排名在同一类别内；本年新收申请少于{rubric.min_requests}件的单位比率类指标不计分。{tier_words(rubric)}"
    return Table("scores", "评分排名", frame, columns, _source(rubric), note)


def _schema(columns: tuple[Column, ...]) -> dict[str, type[pl.DataType]]:
    """A frame schema from the columns' kinds: text as strings, ranks as integers, other numbers as floats."""
    types = {"text": pl.String, "ordinal": pl.Int64}
    return {c.name: types.get(c.kind, pl.Float64) for c in columns}


def improvements_table(changes: pl.DataFrame, rubric: Rubric) -> Table:
    """Units with a report in both years: last year's total, this year's and the change (scoring.improvements)."""
    columns = (
        Column("单位"),
        Column("类别"),
        Column("上年总分", "score", "上一年度按同一评分细则计算的总分"),
        Column("本年总分", "score", "本年度总分"),
        Column("变化", "score", "本年总分 − 上年总分"),
    )
    note = "只比较两年都有报告的单位，进步最大的在前。"
    return Table("score_changes", "总分较上年变化", changes, columns, _source(rubric), note)


def indicators_table(score: UnitScore, rubric: Rubric) -> Table:
    """One unit's indicators: points available, points earned, what was found and why."""
    columns = (
        Column("指标"),
        Column("分值", "score", "该指标满分"),
        Column("得分", "score", "所得分数；不计分时为空"),
        Column("结果", "text", "计分所依据的数字或情况，比率写明分子与分母"),
        Column("说明"),
    )
    frame = pl.DataFrame(
        [[r.label, r.points, r.earned, r.value, r.note] for r in score.indicators],
        schema=_schema(columns),
        orient="row",
    )
    return Table("score_unit", f"{score.unit}评分明细", frame, columns, _source(rubric), "")


def deductions_table(score: UnitScore, rubric: Rubric) -> Table:
    """Every deduction (negative) and bonus (positive) of one unit with its reason and evidence."""
    items = [(d, -d.points) for d in score.deductions] + [(d, d.points) for d in score.bonuses]
    columns = (
        Column("指标"),
        Column("分数", "score", "为负：扣分；为正：加分或上限调整"),
        Column("原因"),
        Column("证据", "text", "所依据的问题、报告及行号"),
    )
    rows = [[d.label, round(p, 2), d.reason, d.evidence_text()] for d, p in items]
    frame = pl.DataFrame(rows, schema=_schema(columns), orient="row")
    return Table("score_deductions", f"{score.unit}扣分与加分", frame, columns, _source(rubric), "")
