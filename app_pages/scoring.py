"""评分排名: the units of a year scored against a rubric (rubrics/*.toml): the ranking with each indicator, how the
units spread across tiers, the most improved units against the previous year, and for a chosen unit every deduction
with its evidence and links to the report (报告详情) and the finding (问题核查).

Every unit expected to report is scored and ranked within its class, whatever the sidebar shows; the sidebar's
region, level, type and unit filters narrow what is listed (its year range does not apply: the page has its own year).

Queries: score_years; coverage, score_reports, score_findings, score_similarity (through analytics.scoring).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import streamlit as st

from analytics import charts, scoring
from analytics.rubric import DEFAULT_RUBRIC, Rubric, RubricError, checked_name, load_rubric, rubric_from_text
from analytics.scoring import UnitScore
from analytics.state import Selection
from analytics.views import scoring as score_views
from config import db_path
from ui import auth, data, textview, url_state
from ui import imports as import_ui
from ui import widgets as ui

# the named queries this page runs, itself or through the modules it uses (bench/queries.py times them)
QUERIES = ("score_years", "stored_rubrics", *scoring.QUERIES)

TOP_IMPROVED = 10
CHOICES = 100  # units the detail's picker lists at most; a search box finds the others


def _rubric() -> Rubric:
    """The rubric chosen: the default file first, other rubric files beside it, then the rubrics a 管理员 imported."""
    files = sorted(DEFAULT_RUBRIC.parent.glob("*.toml"), key=lambda p: (p != DEFAULT_RUBRIC, p.name))
    stored = data.fetch("stored_rubrics")
    options = [("file", str(p)) for p in files] + [("stored", name) for name in stored["name"].to_list()]
    chosen = options[0]
    if len(options) > 1:
        chosen = url_state.selectbox(
            st, "评分细则", options, options[0], key="score_rubric", url="rubric", token=_rubric_token,
            format_func=_rubric_label,
        )  # fmt: skip
    try:
        if chosen[0] == "file":
            return load_rubric(Path(chosen[1]))
        return rubric_from_text(stored.filter(pl.col("name") == chosen[1])["toml"][0], f"{chosen[1]}（已导入）")
    except RubricError as exc:
        st.error(textview.markdown_text(str(exc)))
        st.stop()


def _rubric_token(option: tuple[str, str]) -> str:
    """A rubric choice in the URL: a file by its name (default.toml), an imported rubric by its own name."""
    kind, value = option
    return Path(value).name if kind == "file" else value


def _rubric_label(option: tuple[str, str]) -> str:
    """A rubric choice as the picker shows it: a file by its name, an imported rubric by its own."""
    kind, value = option
    return Path(value).name if kind == "file" else f"{value}（已导入）"


def _rubric_import() -> None:
    """For a 管理员: import a rubric (TOML), checked before it is stored; its history is on 账户与审计."""
    if not auth.may("rubric.import"):
        return
    with st.expander("导入评分细则（管理员）", icon=":material/upload_file:"):
        st.caption(
            "评分细则为 TOML 文件，格式同 rubrics/default.toml；同名细则再次导入即替换，历次版本可在“账户与审计”恢复。"
        )
        import_ui.import_form(
            "rubric", "评分细则文件（.toml）", ("toml",), "导入评分细则", _import_rubric, "rubric.import"
        )


def _import_rubric(file_name: str, content: bytes) -> str:
    """Check and store a rubric through the loader; what was stored, or Refused with the reason."""
    from loaders import rubrics
    from loaders.accounts import Refused

    try:
        name = rubrics.import_rubric_bytes(content, file_name, db_path(), checked_name, auth.account())
    except RubricError as exc:
        raise Refused(f"{exc.source}：{exc.zh}", f"{exc.source}: {exc.en}") from exc
    return f"已导入评分细则“{name}” / rubric stored: {name}"


def _year(selection: Selection) -> int:
    """The reporting year to score, latest first. It starts at the year, up to the sidebar's last year, in which
    most units reported (latest on a tie): a year only one unit has reported so far would rank all others last."""
    years = data.fetch("score_years")
    if years.is_empty():
        st.info("数据库中还没有年度报告。请在“导入”页导入报告。")
        st.stop()
    options = years["year"].to_list()
    within = years.filter(pl.col("year") <= selection.year_to) if selection.year_to is not None else years
    start = (within if not within.is_empty() else years).sort("reports", "year").row(-1)[0]
    return url_state.selectbox(
        st, "年度", options, start, key="score_year", url="year", format_func=lambda y: f"{y}年度"
    )


def _shown(scores: list[UnitScore], selection: Selection) -> list[UnitScore]:
    """The units the sidebar's region, level, type and unit filters leave."""
    keep = []
    for score in scores:
        if selection.agencies and score.unit not in selection.agencies and score.filed_as not in selection.agencies:
            continue
        if selection.levels and score.level not in selection.levels:
            continue
        if selection.types and score.type not in selection.types:
            continue
        if selection.regions and (score.region or "（未注明）") not in selection.regions:
            continue
        keep.append(score)
    return keep


def _headline(scores: list[UnitScore], rubric: Rubric) -> None:
    """How many units were scored and how many fall in each tier."""
    scored = [s for s in scores if s.total is not None]
    columns = st.columns(1 + len(rubric.tiers))
    columns[0].metric("参评单位", len(scored))
    for column, tier in zip(columns[1:], rubric.tiers, strict=True):
        column.metric(textview.markdown_text(tier.label), sum(s.tier == tier.label for s in scored))


def _ranking(scores: list[UnitScore], rubric: Rubric) -> None:
    """The ranking: one row per unit with its total, tier and each indicator's points."""
    st.subheader("排名")
    ui.show_table(score_views.ranking_table(scores, rubric), "score_table", selection)
    st.caption(
        f"评分细则：{textview.markdown_text(f'{rubric.name}（{rubric.path}）')}。排名在同一类别内；指标得分为空时，“未计分”列写明原因（不计分、"
        f"未发布），其余为该类别不适用此指标；本年新收申请少于{rubric.min_requests}件的单位比率类指标不计分"
        "（总分按可计分指标折算）。"
    )
    st.caption(f"等次与排名：{textview.markdown_text(score_views.tier_words(rubric))}")


def _tiers_chart(scores: list[UnitScore], rubric: Rubric) -> None:
    """How many units of each class fall in each tier."""
    counts = scoring.tier_counts(scores, rubric)
    if counts.is_empty():
        return
    fig = charts.grouped_bars(counts, "等次", "单位数", "类别", "各等次单位数", "等次", "单位数", stacked=True)
    fig.update_xaxes(categoryorder="array", categoryarray=[t.label for t in rubric.tiers])
    ui.show_chart(
        fig, f"按评分细则“{rubric.name}”的等次，同一类别内排名。{score_views.tier_words(rubric)}", "score_tiers"
    )


def _improved(scores: list[UnitScore], shown: set[str], rubric: Rubric, year: int) -> None:
    """The units whose total rose most against the previous year (same rubric, both years with a report)."""
    st.subheader("进步最大的单位")
    years = set(data.fetch("score_years")["year"].to_list())
    if year - 1 not in years:
        st.info(f"数据库中没有{year - 1}年度的报告，无法与上年比较。")
        return
    previous = scoring.score_year(data.fetch, year - 1, rubric)
    changes = scoring.improvements(scores, previous).filter(pl.col("单位").is_in(list(shown)))
    if changes.is_empty():
        st.info(f"所选范围内没有单位在{year - 1}年度和{year}年度都有报告。")
        return
    top = changes.head(TOP_IMPROVED)
    fig = charts.ranked_bars(top, "单位", "变化", f"{year}年度总分较上年变化（前{TOP_IMPROVED}名）", "总分变化（分）")
    ui.show_chart(
        fig, f"{year}年度与{year - 1}年度按同一评分细则计算的总分之差；只比较两年都有报告的单位。", "score_improved"
    )
    ui.show_table(score_views.improvements_table(changes, rubric), "score_improved_table", selection)


def _unit_detail(scores: list[UnitScore], rubric: Rubric) -> None:
    """A chosen unit's indicators and every deduction with its evidence and links."""
    st.subheader("单位评分明细")
    names = [s.unit for s in sorted(scores, key=scoring.sheet_order)]
    chosen = url_state.searched_selectbox(
        st, "单位", names, names[0], key="score_unit", url="unit", limit=CHOICES, order="按类别与排名排序"
    )
    score = next(s for s in scores if s.unit == chosen)
    total = "—" if score.total is None else f"{score.total:g}"
    tier, group = textview.markdown_text(score.tier or "—"), textview.markdown_text(score.class_label)
    st.markdown(f"**总分 {total}　等次 {tier}　类别 {group}　同类排名 {score.rank or '—'}**")
    ui.show_table(score_views.indicators_table(score, rubric), "score_unit_indicators", selection)
    for note in score.notes:
        st.caption(textview.markdown_text(note))
    _deductions(score, rubric)


def _deductions(score: UnitScore, rubric: Rubric) -> None:
    """Every deduction and bonus with its evidence, then links to the evidence."""
    items = [(d, -d.points) for d in score.deductions] + [(d, d.points) for d in score.bonuses]
    if not items:
        st.success("没有扣分。")
        return
    ui.show_table(score_views.deductions_table(score, rubric), "score_deductions", selection)
    st.caption("分数为负：扣分；为正：加分或上限调整。")
    _links([d for d, _ in items])


def _links(items: list) -> None:
    """Links to the reports and findings the evidence names, each once."""
    seen: set[tuple] = set()
    for item in items:
        evidence = item.evidence
        if evidence.get("finding_key") and ("finding", evidence["finding_key"]) not in seen:
            seen.add(("finding", evidence["finding_key"]))
            # the finding's message tells apart the links of a unit's several findings of one rule and status
            message = textview.markdown_text(evidence.get("message") or "")
            named = textview.markdown_text(f"{item.label}（{evidence['rule']}，{evidence['status']}）")
            label = f"问题核查：{named}· {message}"  # its words and rule, never its id
            st.page_link("app_pages/findings.py", label=label, query_params={"finding": evidence["finding_key"]})
        report, line = evidence.get("report_id"), evidence.get("line")
        if report and ("report", report, line) not in seen:
            seen.add(("report", report, line))
            query = {"report": report, **({"line": str(line)} if line else {})}
            named = (
                f"{evidence.get('agency') or ''}{evidence.get('year') or ''}年报告" if evidence.get("agency") else ""
            )
            where = f"{named}第{line}行" if line else f"{named}全文"
            label = f"报告详情：{textview.markdown_text(where)}（{textview.markdown_text(item.label)}）"
            st.page_link("app_pages/report.py", label=label, query_params=query)


selection = ui.selection()
controls = st.columns(2)
with controls[0]:
    year = _year(selection)
with controls[1]:
    rubric = _rubric()
all_scores = scoring.score_year(data.fetch, year, rubric)
listed = _shown(all_scores, selection)
if not listed:
    st.info(f"{year}年度所选范围内没有应报送的单位。请调整左侧筛选条件。")
    st.stop()
st.caption("各单位在全部参评单位中按类别排名；左侧筛选只缩小列出的范围，年度范围不适用（本页按上方选择的年度评分）。")
_headline(listed, rubric)
_ranking(listed, rubric)
_tiers_chart(listed, rubric)
_improved(all_scores, {s.unit for s in listed}, rubric, year)
_unit_detail(listed, rubric)
_rubric_import()
