"""报告详情's form for filing a report under another unit or year (the parser took the wrong agency, or the filer
wrote a variant): the roster's likely units first (loaders.unit_match), any other name typed in, and the year. Shown
only to a role that may rename reports, and to an account limited to some units only for its own units' reports;
loaders.rename checks the role and both units again.

Queries: roster_names.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from config import db_path
from loaders import identify, rename
from loaders.unit_match import candidates
from ui import auth, data, textview
from ui import review as review_ui
from ui import units as units_ui

# the named queries this module runs
QUERIES = ("roster_names",)

_FORM = "rename_report"
_TYPED = "（填写其他名称）"


def rename_block(meta: dict) -> None:
    """The form in a folded section under the report, for an identified report and a permitted account."""
    found = auth.current()
    if found is None or not found.may("report.rename") or meta["agency"] is None or meta["year"] is None:
        return
    if found.scoped and meta["agency"] not in found.units and meta.get("filed_as") not in found.units:
        return
    review_ui.show_flash(_FORM)
    with st.expander("更正报告的单位或年度", icon=":material/edit:"):
        st.caption(
            "报告被归到错误的单位或年度时（解析读错了单位，或署名写法不同），在此改正。报告的各版本、数值、原文和更正都保留；"
            "其问题的情况说明、状态和更正记录随报告转入新单位。新单位该年度已有报告的，本报告存为其新版本；"
            "内容相同的报告已在那里时不予更改。"
        )
        options = _unit_options(meta["agency"], found.units if found.scoped else None)
        with st.form(f"{_FORM}_form"):
            st.selectbox("改为名册中的单位", list(options), format_func=options.get, key=f"{_FORM}_unit")
            st.text_input(
                "或填写单位名称", key=f"{_FORM}_typed", max_chars=identify.MAX_AGENCY,
                help="名册中没有该单位时填写；填写后以此为准。",
            )  # fmt: skip
            st.number_input(
                "报告年度", identify.FIRST_YEAR, identify.LAST_YEAR, value=int(meta["year"]), step=1,
                key=f"{_FORM}_year",
            )  # fmt: skip
            review_ui.name_field()
            st.form_submit_button(
                "保存更正", key=f"{_FORM}_save", on_click=_save, args=(meta["report_id"], meta["agency"])
            )


def _unit_options(agency: str, allowed: tuple[str, ...] | None) -> dict[str, str]:
    """The units offered, label by name: the report's own first (year only), then the roster's likely units with
    the reasons, then the other roster units the account may choose (past units.CHOICES of them, those a search box
    finds), then a typed name."""
    known = data.fetch("roster_names")
    units: list[str] = []
    earlier: dict[str, str] = {}
    if not known.is_empty():
        units = sorted(known.filter(pl.col("via") == "self")["unit"].unique().to_list())
        earlier = {r["name"]: r["unit"] for r in known.filter(pl.col("via") != "self").iter_rows(named=True)}
    if allowed is not None:
        units = [u for u in units if u in allowed]
    options = {agency: f"{agency}（不变，只改年度）"}
    for candidate in candidates(agency, units, earlier):
        if candidate.unit not in options:
            reasons = "、".join(candidate.reasons)
            options[candidate.unit] = f"{candidate.unit}（{reasons}；匹配度{candidate.score:.0%}）"
    options |= {u: u for u in units_ui.searched_units(units, _FORM) if u not in options}
    if allowed is None:
        options[_TYPED] = _TYPED
    return options


def _save(report_id: str, agency: str) -> None:
    """Form callback: file the report as chosen, through the loader; the outcome is shown after the rerun."""
    typed = (st.session_state.get(f"{_FORM}_typed") or "").strip()
    chosen = st.session_state.get(f"{_FORM}_unit")
    target = typed or (None if chosen in (None, _TYPED, agency) else chosen)
    year = st.session_state.get(f"{_FORM}_year")
    try:
        done = rename.rename(db_path(), report_id, target, int(year) if year is not None else None, review_ui.writer())
    except review_ui.REFUSED as exc:
        review_ui.flash("error", exc.zh, _FORM)  # show_flash escapes it
        return
    except OSError as exc:
        review_ui.flash("error", f"无法写入数据库，原数据库未改动（{exc}）", _FORM)
        return
    (old, old_year, _), (new, new_year, version) = done.before, done.after
    text = (
        f"已将报告由“{old}”{old_year}年改为“{new}”{new_year}年（第{version}版）；"
        f"{done.carried}个问题的说明、状态与更正记录已随之转入。"
    )
    review_ui.flash("success", textview.markdown_text(text), _FORM)
    st.cache_data.clear()
